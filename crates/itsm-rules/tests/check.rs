//! The checker across triggers: a `created` rule that wins shadows a later burst (a burst
//! runs only on a creation), while a burst never shadows a `created` rule and a time rule is
//! shadowed only by one due on the same ticks. Each verdict is shown by evaluation too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use itsm_rules::chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_rules::{
    Action, Anchor, Category, Condition, Context, Finding, Input, Memory, Mode, RuleSet,
    RuleSetSpec, RuleSpec, TicketView, Trigger, ViewField, check, evaluate,
};

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
}

fn notify(id: &str, when: Trigger, condition: Condition, stop: bool) -> RuleSpec {
    let mut r = RuleSpec::new(
        id,
        when,
        condition,
        vec![Action::Notify {
            to: vec!["desk".into()],
            message: id.into(),
        }],
    );
    r.stop = stop;
    r
}

fn burst() -> Trigger {
    Trigger::Burst {
        per: ViewField::Service,
        more_than: 2,
        within: Duration::hours(1),
    }
}

fn after(minutes: i64) -> Trigger {
    Trigger::After {
        anchor: Anchor::Created,
        delay: Duration::minutes(minutes),
        calendar: None,
    }
}

fn mail() -> TicketView {
    let mut v = TicketView::new("new", Category::New);
    v.service = Some("mail".into());
    v.opened_at = Some(at(9, 0));
    v
}

/// The rules that fire for `count` creations of `view`, a minute apart from 09:00.
fn created_many(set: &RuleSet, count: u32) -> Vec<String> {
    let mut memory = Memory::default();
    let mut fired = Vec::new();
    for n in 0..count {
        let out = evaluate(
            set,
            &Input::Created(mail()),
            &Context::new(at(9, n)),
            &memory,
        )
        .unwrap();
        fired.extend(out.firings.into_iter().map(|f| f.rule));
        memory = out.memory;
    }
    fired
}

fn set(mode: Mode, rules: Vec<RuleSpec>) -> RuleSet {
    RuleSet::new(RuleSetSpec::new(mode, rules)).unwrap()
}

#[test]
fn a_created_rule_with_stop_shadows_a_later_burst() {
    let set = set(
        Mode::AllMatches,
        vec![
            notify(
                "any-mail",
                Trigger::Created,
                Condition::ServiceIn(vec!["mail".into()]),
                true,
            ),
            notify(
                "mail-storm",
                burst(),
                Condition::ServiceIn(vec!["mail".into()]),
                false,
            ),
        ],
    );
    assert_eq!(
        check(&set),
        [Finding::Shadowed {
            rule: "mail-storm".into(),
            by: vec!["any-mail".into()]
        }]
    );
    assert_eq!(
        check(&set)[0].to_string(),
        "never fires: rule `mail-storm` is shadowed: whenever it matches, earlier rule(s) `any-mail`, run by every event that runs it, match too and win"
    );
    // Five creations of mail: the storm's threshold is passed, and still it never fires.
    assert_eq!(created_many(&set, 5), ["any-mail"; 5]);
}

#[test]
fn in_first_match_mode_an_earlier_created_rule_shadows_a_burst() {
    let set = set(
        Mode::FirstMatch,
        vec![
            notify("triage", Trigger::Created, Condition::Always, false),
            notify("mail-storm", burst(), Condition::Always, false),
        ],
    );
    assert!(
        matches!(&check(&set)[..], [Finding::Shadowed { rule, .. }] if rule == "mail-storm"),
        "{:?}",
        check(&set)
    );
    assert_eq!(created_many(&set, 5), ["triage"; 5]);
}

#[test]
fn a_created_rule_that_cannot_hold_with_the_burst_shadows_nothing() {
    let set = set(
        Mode::AllMatches,
        vec![
            notify(
                "any-web",
                Trigger::Created,
                Condition::ServiceIn(vec!["web".into()]),
                true,
            ),
            notify("mail-storm", burst(), Condition::Always, false),
        ],
    );
    assert_eq!(check(&set), []);
    assert!(created_many(&set, 3).contains(&"mail-storm".to_owned()));
}

#[test]
fn a_burst_with_stop_does_not_shadow_a_later_created_rule() {
    // The burst runs on the third creation only; the first two run the created rule.
    let set = set(
        Mode::AllMatches,
        vec![
            notify("mail-storm", burst(), Condition::Always, true),
            notify("any-mail", Trigger::Created, Condition::Always, false),
        ],
    );
    assert_eq!(check(&set), []);
    assert_eq!(
        created_many(&set, 3),
        ["any-mail", "any-mail", "mail-storm"]
    );
}

#[test]
fn a_time_rule_is_shadowed_only_by_one_due_on_the_same_ticks() {
    let rules = vec![
        notify("hour", after(60), Condition::Always, true),
        notify("hour-again", after(60), Condition::Always, false),
        notify("two-hours", after(120), Condition::Always, false),
        notify("created", Trigger::Created, Condition::Always, true),
    ];
    let set = set(Mode::AllMatches, rules);
    assert_eq!(
        check(&set),
        [Finding::Shadowed {
            rule: "hour-again".into(),
            by: vec!["hour".into()]
        }]
    );
    // A tick past both deadlines runs both time rules, and the stop ends the round; a tick
    // between them runs the later one alone.
    let tick = |since: DateTime<Utc>, now: DateTime<Utc>| {
        let out = evaluate(
            &set,
            &Input::Tick {
                view: mail(),
                since,
            },
            &Context::new(now),
            &Memory::default(),
        )
        .unwrap();
        out.firings.into_iter().map(|f| f.rule).collect::<Vec<_>>()
    };
    assert_eq!(tick(at(9, 0), at(12, 0)), ["hour"]);
    assert_eq!(tick(at(10, 30), at(11, 0)), ["two-hours"]);
}
