//! Given/when/then: modes and the stop flag, cascades and the loop bound, time rules (plain
//! and business time) with next_deadline, bursts, each assignment strategy through a pool,
//! explanations, and every error's message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use itsm_rules::chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_rules::{
    Action, Anchor, Calendar, CalendarSpec, Calendars, Category, Condition, Context, Error, Input,
    Loads, Member, Memory, Mode, Pool, RuleSet, RuleSetSpec, RuleSpec, Segment, Strategy,
    TicketView, Trigger, ViewField, Week, evaluate, next_deadline,
};

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
}

fn rule(id: &str, when: Trigger, c: Condition, actions: Vec<Action>) -> RuleSpec {
    RuleSpec::new(id, when, c, actions)
}

fn group(g: &str) -> Action {
    Action::AssignGroup(g.into())
}

fn new_view() -> TicketView {
    let mut v = TicketView::new("new", Category::New);
    v.opened_at = Some(at(9, 0));
    v
}

fn run(set: &RuleSet, input: Input, now: DateTime<Utc>) -> Result<itsm_rules::Outcome, Error> {
    evaluate(set, &input, &Context::new(now), &Memory::default())
}

fn ids(o: &itsm_rules::Outcome) -> Vec<&str> {
    o.firings.iter().map(|f| f.rule.as_str()).collect()
}

fn two(mode: Mode, stop: bool) -> RuleSet {
    let mut a = rule("a", Trigger::Created, Condition::Always, vec![group("one")]);
    a.stop = stop;
    let b = rule(
        "b",
        Trigger::Created,
        Condition::Always,
        vec![Action::Escalate(1)],
    );
    RuleSet::new(RuleSetSpec::new(mode, vec![a, b])).unwrap()
}

#[test]
fn first_match_fires_the_first_rule_that_holds_only() {
    let out = run(
        &two(Mode::FirstMatch, false),
        Input::Created(new_view()),
        at(9, 0),
    )
    .unwrap();
    assert_eq!(ids(&out), ["a"]);
}

#[test]
fn all_matches_fires_each_rule_that_holds_until_a_stop_flag() {
    let out = run(
        &two(Mode::AllMatches, false),
        Input::Created(new_view()),
        at(9, 0),
    )
    .unwrap();
    assert_eq!(ids(&out), ["a", "b"]);
    let out = run(
        &two(Mode::AllMatches, true),
        Input::Created(new_view()),
        at(9, 0),
    )
    .unwrap();
    assert_eq!(ids(&out), ["a"]);
}

#[test]
fn conditions_see_the_record_as_the_round_began() {
    // b tests the group a sets: in the same round it sees the old value.
    let a = rule("a", Trigger::Created, Condition::Always, vec![group("one")]);
    let b = rule(
        "b",
        Trigger::Created,
        Condition::GroupIn(vec!["one".into()]),
        vec![group("two")],
    );
    let set = RuleSet::new(RuleSetSpec::new(Mode::AllMatches, vec![a, b])).unwrap();
    let out = run(&set, Input::Created(new_view()), at(9, 0)).unwrap();
    assert_eq!(ids(&out), ["a"]);
}

#[test]
fn changes_cascade_to_updated_rules_and_are_explained() {
    let route = rule(
        "route",
        Trigger::Created,
        Condition::ServiceIn(vec!["mail".into()]),
        vec![group("messaging")],
    );
    let tell = rule(
        "tell-messaging",
        Trigger::Updated {
            fields: vec![ViewField::Group],
        },
        Condition::GroupIn(vec!["messaging".into()]),
        vec![Action::Notify {
            to: vec!["messaging-lead".into()],
            message: "new mail incident".into(),
        }],
    );
    let set = RuleSet::new(RuleSetSpec::new(Mode::AllMatches, vec![route, tell])).unwrap();
    let mut view = new_view();
    view.service = Some("mail".into());
    let out = run(&set, Input::Created(view), at(9, 0)).unwrap();
    assert_eq!(ids(&out), ["route", "tell-messaging"]);
    let second = &out.firings[1];
    assert_eq!(second.round, 1);
    assert_eq!(second.trigger, "updated by rules: group changed");
    assert_eq!(second.clauses, ["group in [\"messaging\"]"]);
    assert_eq!(out.notifications.len(), 1);
    assert_eq!(out.notifications[0].rule, "tell-messaging");
    let changes: Vec<_> = out
        .changes()
        .map(|(r, c)| (r, c.field.clone(), c.to.clone()))
        .collect();
    assert_eq!(
        changes,
        [("route", ViewField::Group, Some("messaging".to_owned()))]
    );
}

#[test]
fn a_loop_hits_the_bound_with_the_rules_named() {
    let watch = || Trigger::Updated {
        fields: vec![ViewField::Group],
    };
    let ping = rule(
        "ping",
        watch(),
        Condition::GroupIn(vec!["a".into()]),
        vec![group("b")],
    );
    let pong = rule(
        "pong",
        watch(),
        Condition::GroupIn(vec!["b".into()]),
        vec![group("a")],
    );
    let mut spec = RuleSetSpec::new(Mode::FirstMatch, vec![ping, pong]);
    spec.max_changes = 5;
    let set = RuleSet::new(spec).unwrap();
    let before = new_view();
    let mut after = before.clone();
    after.group = Some("a".into());
    let e = run(&set, Input::Updated { before, after }, at(9, 0)).unwrap_err();
    assert_eq!(
        e,
        Error::LoopBound {
            limit: 5,
            rules: vec!["ping".into(), "pong".into()]
        }
    );
    assert_eq!(
        e.to_string(),
        "rules changed the record 5 times for one event and would go on; the loop bound is max_changes = 5; rules involved: `ping`, `pong`"
    );
}

#[test]
fn a_rule_setting_a_value_already_set_changes_nothing_and_ends_the_cascade() {
    let r = rule(
        "r",
        Trigger::Updated { fields: vec![] },
        Condition::Always,
        vec![group("x")],
    );
    let set = RuleSet::new(RuleSetSpec::new(Mode::AllMatches, vec![r])).unwrap();
    let before = new_view();
    let mut after = before.clone();
    after.priority = Some(2);
    let out = run(&set, Input::Updated { before, after }, at(9, 0)).unwrap();
    assert_eq!(ids(&out), ["r", "r"]);
    assert_eq!(out.firings[1].applied[0].note, "group already `x`");
    assert!(!out.firings[1].changed());
}

#[test]
fn state_entered_triggers_on_the_named_states_only() {
    let r = rule(
        "on-resolve",
        Trigger::StateEntered {
            states: vec!["resolved".into()],
        },
        Condition::Always,
        vec![Action::Notify {
            to: vec!["caller".into()],
            message: "resolved".into(),
        }],
    );
    let set = RuleSet::new(RuleSetSpec::new(Mode::AllMatches, vec![r])).unwrap();
    let before = new_view();
    let mut after = before.clone();
    after.state = "resolved".into();
    let out = run(
        &set,
        Input::Updated {
            before: before.clone(),
            after,
        },
        at(9, 0),
    )
    .unwrap();
    assert_eq!(out.firings[0].trigger, "state entered: `resolved`");
    let mut after = before.clone();
    after.state = "in_progress".into();
    assert!(
        run(&set, Input::Updated { before, after }, at(9, 0))
            .unwrap()
            .firings
            .is_empty()
    );
}

fn p1_unowned(calendar: Option<&str>) -> RuleSet {
    let r = rule(
        "p1-unowned",
        Trigger::After {
            anchor: Anchor::Created,
            delay: Duration::minutes(30),
            calendar: calendar.map(Into::into),
        },
        Condition::All(vec![
            Condition::PriorityIn(vec![1]),
            Condition::Not(Box::new(Condition::IsSet(ViewField::Assignee))),
        ]),
        vec![Action::Escalate(2)],
    );
    RuleSet::new(RuleSetSpec::new(Mode::AllMatches, vec![r])).unwrap()
}

#[test]
fn a_time_rule_fires_at_its_deadline_once() {
    let set = p1_unowned(None);
    let mut view = new_view();
    view.priority = Some(1);
    let ctx = Context::new(at(9, 0));
    assert_eq!(
        next_deadline(&set, &view, at(9, 0), &ctx).unwrap(),
        Some(at(9, 30))
    );
    // A tick before the deadline: nothing.
    let early = run(
        &set,
        Input::Tick {
            view: view.clone(),
            since: at(9, 0),
        },
        at(9, 20),
    )
    .unwrap();
    assert!(early.firings.is_empty());
    let due = run(
        &set,
        Input::Tick {
            view: view.clone(),
            since: at(9, 20),
        },
        at(9, 30),
    )
    .unwrap();
    assert_eq!(ids(&due), ["p1-unowned"]);
    assert!(
        due.firings[0]
            .trigger
            .starts_with("time: due at 2026-03-02T09:30:00")
    );
    // The next tick window no longer holds the deadline.
    let later = run(
        &set,
        Input::Tick {
            view: view.clone(),
            since: at(9, 30),
        },
        at(11, 0),
    )
    .unwrap();
    assert!(later.firings.is_empty());
    assert_eq!(next_deadline(&set, &view, at(9, 30), &ctx).unwrap(), None);
    // Owned in time: due, but the condition fails.
    view.assignee = Some("ana".into());
    let owned = run(
        &set,
        Input::Tick {
            view,
            since: at(9, 0),
        },
        at(9, 30),
    )
    .unwrap();
    assert!(owned.firings.is_empty());
}

#[test]
fn a_time_rule_counts_business_time_on_its_calendar() {
    let set = p1_unowned(Some("office"));
    let office = CalendarSpec::new(
        "office",
        Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
    );
    let calendars: Calendars =
        BTreeMap::from([("office".to_owned(), Calendar::new(&office).unwrap())]);
    let mut view = new_view();
    view.priority = Some(1);
    view.opened_at = Some(at(16, 50)); // Monday 16:50: 10 minutes today, 20 on Tuesday
    let ctx = Context::new(at(16, 50)).with_calendars(&calendars);
    let tuesday = Utc.with_ymd_and_hms(2026, 3, 3, 9, 20, 0).unwrap();
    assert_eq!(
        next_deadline(&set, &view, at(16, 50), &ctx).unwrap(),
        Some(tuesday)
    );
    // Without the calendar the host is told which one is missing.
    let e = next_deadline(&set, &view, at(16, 50), &Context::new(at(16, 50))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "rule `p1-unowned` counts business time on calendar `office`, which is not among the calendars given; given: none"
    );
}

/// One burst rule, `major`: more than `more_than` records of one service within an hour
/// propose a major incident.
fn burst_set(more_than: u32) -> RuleSet {
    let r = rule(
        "major",
        Trigger::Burst {
            per: ViewField::Service,
            more_than,
            within: Duration::hours(1),
        },
        Condition::Always,
        vec![Action::ProposeMajor("burst".into())],
    );
    RuleSet::new(RuleSetSpec::new(Mode::AllMatches, vec![r])).unwrap()
}

/// A record of `service` created at `hour:minute`, evaluated under `set` from `memory`.
fn create(
    set: &RuleSet,
    memory: &Memory,
    service: &str,
    hour: u32,
    minute: u32,
) -> itsm_rules::Outcome {
    let mut view = new_view();
    view.service = Some(service.into());
    evaluate(
        set,
        &Input::Created(view),
        &Context::new(at(hour, minute)),
        memory,
    )
    .unwrap()
}

#[test]
fn a_burst_fires_once_when_the_count_passes_the_threshold() {
    let set = burst_set(2);
    let mut memory = Memory::default();
    let mut fired = Vec::new();
    for (i, minute) in [0, 10, 20, 30, 40].into_iter().enumerate() {
        let out = create(&set, &memory, "mail", 10, minute);
        if !out.firings.is_empty() {
            fired.push((i, out.firings[0].trigger.clone()));
        }
        memory = out.memory;
    }
    assert_eq!(
        fired,
        [(
            2,
            "burst: 3 records with service `mail` within PT1H (more than 2)".to_owned()
        )]
    );
    assert_eq!(memory.burst_count("major", "mail"), 5);
    // Two hours later the window has emptied: it re-arms and the count starts again.
    let out = create(&set, &memory, "mail", 12, 45);
    assert!(out.firings.is_empty());
    assert_eq!(out.memory.burst_count("major", "mail"), 1);
}

fn pool_set(strategy: Strategy) -> RuleSet {
    let mut spec = RuleSetSpec::new(
        Mode::AllMatches,
        vec![rule(
            "assign",
            Trigger::Created,
            Condition::Always,
            vec![Action::AssignFrom("desk".into())],
        )],
    );
    let mut pool = Pool::new(
        vec![
            Member::new("ana", &["network"]),
            Member::new("bo", &["network", "linux"]),
            Member::new("cy", &[]),
        ],
        strategy,
    );
    pool.group = Some("service-desk".into());
    spec.pools.insert("desk".into(), pool);
    RuleSet::new(spec).unwrap()
}

#[test]
fn round_robin_carries_its_state_in_memory() {
    let set = pool_set(Strategy::RoundRobin);
    let mut memory = Memory::default();
    let mut picks = Vec::new();
    for _ in 0..4 {
        let out = evaluate(
            &set,
            &Input::Created(new_view()),
            &Context::new(at(9, 0)),
            &memory,
        )
        .unwrap();
        picks.push(out.view.assignee.clone().unwrap());
        memory = out.memory;
    }
    assert_eq!(picks, ["ana", "bo", "cy", "ana"]);
    assert_eq!(memory.last_pick("desk"), Some("ana"));
}

#[test]
fn least_loaded_and_skills_break_ties_by_list_order() {
    let loads: Loads = BTreeMap::from([
        ("ana".to_owned(), 2),
        ("bo".to_owned(), 1),
        ("cy".to_owned(), 1),
    ]);
    let pick = |s: Strategy| {
        let ctx = Context::new(at(9, 0)).with_loads(&loads);
        let out = evaluate(
            &pool_set(s),
            &Input::Created(new_view()),
            &ctx,
            &Memory::default(),
        )
        .unwrap();
        (
            out.view.group.clone(),
            out.view.assignee.clone(),
            out.firings[0].applied[0].note.clone(),
        )
    };
    let (g, p, note) = pick(Strategy::LeastLoaded);
    assert_eq!(
        (g.as_deref(), p.as_deref()),
        (Some("service-desk"), Some("bo"))
    );
    assert_eq!(
        note,
        "pool `desk` picked `bo` (least loaded); group set from none to `service-desk`; assignee set from none to `bo`"
    );
    assert_eq!(
        pick(Strategy::Skills(vec!["network".into()])).1.as_deref(),
        Some("bo")
    );
    assert_eq!(pick(Strategy::Fixed).1.as_deref(), Some("ana"));
    let (_, nobody, note) = pick(Strategy::Skills(vec!["sap".into()]));
    assert_eq!(nobody, None);
    assert_eq!(
        note,
        "nobody in pool `desk` has the skills asked for; nothing assigned"
    );
}

#[test]
fn loading_errors_name_the_rule_and_what_is_allowed() {
    let ok = || {
        rule(
            "r",
            Trigger::Created,
            Condition::Always,
            vec![Action::Escalate(1)],
        )
    };
    let msg = |spec: RuleSetSpec| RuleSet::new(spec).unwrap_err().to_string();
    let mut r = ok();
    r.id = String::new();
    assert_eq!(
        msg(RuleSetSpec::new(Mode::FirstMatch, vec![ok(), r])),
        "rule number 2 has an empty id; every rule needs a unique, non-empty id"
    );
    let mut r = ok();
    r.actions.clear();
    assert_eq!(
        msg(RuleSetSpec::new(Mode::FirstMatch, vec![r])),
        "rule `r` has no actions; give it at least one (a notification will do)"
    );
    let mut r = ok();
    r.when = Trigger::After {
        anchor: Anchor::Updated,
        delay: -Duration::hours(1),
        calendar: None,
    };
    assert_eq!(
        msg(RuleSetSpec::new(Mode::FirstMatch, vec![r])),
        "rule `r` fires -PT1H after its anchor; the delay must be zero or positive"
    );
    let mut r = ok();
    r.when = Trigger::Burst {
        per: ViewField::Service,
        more_than: 1,
        within: Duration::zero(),
    };
    assert_eq!(
        msg(RuleSetSpec::new(Mode::FirstMatch, vec![r])),
        "rule `r` counts records within PT0S; the window must be positive"
    );
    let mut r = ok();
    r.actions = vec![Action::AssignFrom("nobody".into())];
    assert_eq!(
        msg(RuleSetSpec::new(Mode::FirstMatch, vec![r])),
        "rule `r` assigns through pool `nobody`, which is not declared; declared pools: none"
    );
    let mut spec = RuleSetSpec::new(Mode::FirstMatch, vec![ok()]);
    spec.pools
        .insert("p".into(), Pool::new(vec![], Strategy::Fixed));
    assert_eq!(
        msg(spec),
        "pool `p` has no members; list at least one person"
    );
    let mut spec = RuleSetSpec::new(Mode::FirstMatch, vec![ok()]);
    spec.pools.insert(
        "p".into(),
        Pool::new(
            vec![Member::new("a", &[]), Member::new("a", &[])],
            Strategy::Fixed,
        ),
    );
    assert_eq!(msg(spec), "pool `p` lists `a` twice; list each person once");
    let long = "x".repeat(200);
    let mut r = ok();
    r.id.clone_from(&long);
    let e = msg(RuleSetSpec::new(Mode::FirstMatch, vec![r.clone(), r]));
    assert!(e.contains("… (200 bytes)"), "{e}");
}

#[test]
fn a_tick_running_backwards_is_refused() {
    let set = p1_unowned(None);
    let e = run(
        &set,
        Input::Tick {
            view: new_view(),
            since: at(10, 0),
        },
        at(9, 0),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the tick runs from 2026-03-02 10:00:00 UTC back to 2026-03-02 09:00:00 UTC; `since` must not be after `now`"
    );
}

/// The memory keeps the records of the last two windows, not every key ever seen: a key
/// whose records are all older is dropped when a later record is counted, and a burst that
/// ended with its window fires again, even at a threshold of 0. (Each of 20,000 records on
/// a service of its own used to stay in the memory for good, and every call copied them
/// all.)
#[test]
fn a_burst_forgets_keys_whose_window_has_emptied() {
    let set = burst_set(0);
    let out = create(&set, &Memory::default(), "mail", 9, 0);
    assert_eq!(out.firings.len(), 1, "the first record is a burst of one");
    let out = create(&set, &out.memory, "mail", 9, 30);
    assert!(out.firings.is_empty(), "the same burst goes on");
    // Another service, more than two windows after the mail records: mail is forgotten.
    let out = create(&set, &out.memory, "web", 12, 0);
    assert_eq!(out.memory.burst_count("major", "mail"), 0);
    assert_eq!(out.memory.burst_count("major", "web"), 1);
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&out.memory).unwrap();
        assert!(!json.contains("mail"), "{json}");
    }
    // Mail again: a new burst, so it fires again; also when its own record is the first
    // to see its window emptied.
    let out = create(&set, &out.memory, "mail", 12, 10);
    assert_eq!(out.firings.len(), 1);
    let out = create(&set, &out.memory, "mail", 14, 0);
    assert_eq!(out.firings.len(), 1);
    // Many services, one record each, a minute apart: the memory holds only the last two
    // hours' (s180 to s299).
    let mut memory = out.memory;
    for i in 0..300u32 {
        let out = create(&set, &memory, &format!("s{i}"), 15 + i / 60, i % 60);
        memory = out.memory;
    }
    assert_eq!(memory.burst_count("major", "s179"), 0);
    assert_eq!(memory.burst_count("major", "s180"), 1);
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&memory).unwrap();
        assert!(!json.contains("\"s179\""), "{json}");
        assert_eq!(json.matches("\"s").count(), 120, "{json}");
    }
}

/// A creation that comes late (after a later one on another key), by less than a window,
/// is counted against the whole window, as if the records had come in time order: the
/// burst under way is not fired a second time.
#[test]
fn a_late_creation_counts_against_the_whole_window() {
    let set = burst_set(1);
    let mut memory = Memory::default();
    let mut fired = Vec::new();
    for (service, hour, minute) in [
        ("a", 9, 0),
        ("a", 9, 10),
        ("b", 10, 30),
        ("a", 9, 20),
        ("a", 9, 25),
    ] {
        let out = create(&set, &memory, service, hour, minute);
        if !out.firings.is_empty() {
            fired.push((service, hour, minute));
        }
        memory = out.memory;
    }
    assert_eq!(fired, [("a", 9, 10)]);
    assert_eq!(memory.burst_count("major", "a"), 4);
}

/// A condition nested deeper than `MAX_CONDITION_DEPTH` is refused when the rule set is
/// built, naming the rule; one nested a million deep is refused (and dropped) on a thread
/// with a 256 kB stack, where evaluating or checking it used to overflow the stack at a few
/// thousand levels.
#[test]
fn a_rule_whose_condition_nests_too_deep_is_refused() {
    let nested = |depth: usize| {
        let mut c = Condition::Always;
        for _ in 1..depth {
            c = Condition::Not(Box::new(c));
        }
        c
    };
    let set = move |depth: usize| {
        RuleSet::new(RuleSetSpec::new(
            Mode::FirstMatch,
            vec![rule(
                "deep",
                Trigger::Created,
                nested(depth),
                vec![group("g")],
            )],
        ))
    };
    assert!(set(itsm_core::MAX_CONDITION_DEPTH).is_ok());
    let err = set(itsm_core::MAX_CONDITION_DEPTH + 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "rule `deep`: its condition nests 65 deep; at most 64 levels of `all`, `any` and `not` are allowed"
    );
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            assert!(matches!(
                set(1_000_000),
                Err(Error::ConditionTooDeep {
                    depth: 1_000_000,
                    max: 64,
                    ..
                })
            ));
        })
        .unwrap()
        .join()
        .unwrap();
}
