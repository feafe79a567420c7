//! Our choices for contact rules where the tools' pages are silent, and every error a
//! profile can give (docs/oncall.md, "Contact rules").
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_calendar::{Segment, Week};
use itsm_oncall::{
    Channel, Command, ContactRule, Error, Event, MAX_CONTACT_REPEATS, MAX_METHODS, MAX_RULE_STEPS,
    MAX_RULES, Method, Notify, Policy, ProfileSpec, Profiles, Repeat, Restriction, State, Status,
    Step, Target, Unreachable, UserId, next_deadline,
};

fn m(minutes: i64, method: &str) -> Notify {
    Notify::new(Duration::minutes(minutes), method)
}

fn phone_and_app() -> Vec<Method> {
    vec![
        Method::new("app", Channel::Push),
        Method::new("phone", Channel::Voice),
    ]
}

fn profile(user: UserId, steps: Vec<Notify>) -> ProfileSpec {
    ProfileSpec::new(user, phone_and_app(), vec![ContactRule::new("rule", steps)])
}

fn one_step(users: &[UserId], reminders: u32, between: i64, wait: i64) -> Policy {
    let mut s = Step::servicenow(
        users.iter().map(|u| Target::User(*u)).collect(),
        reminders,
        Duration::minutes(between),
    );
    s.wait = Duration::minutes(wait);
    Policy::new("p", vec![s])
}

fn run(policy: Policy, specs: Vec<ProfileSpec>) -> Run {
    Run::new(policy, schedules(&[])).with_contacts(Profiles::new(&specs).unwrap())
}

fn t0() -> DateTime<Utc> {
    utc(2027, 3, 1, 3, 0)
}

#[test]
fn without_profiles_no_contact_is_planned() {
    let mut r = Run::new(one_step(&[ANN], 1, 5, 5), schedules(&[]));
    r.at(t0(), SYSTEM, Command::Trigger);
    r.tick(plus(t0(), 60));
    assert!(
        r.events
            .iter()
            .all(|e| !matches!(e, Event::ContactsPlanned { .. } | Event::Contacted { .. }))
    );
    assert_eq!(r.notices().len(), 2);
}

#[test]
fn the_plan_follows_its_notice_and_next_deadline_names_the_next_contact() {
    let mut r = run(
        one_step(&[ANN], 0, 0, 30),
        vec![profile(ANN, vec![m(0, "app"), m(4, "phone")])],
    );
    let events = r.at(t0(), SYSTEM, Command::Trigger);
    // Triggered, Notified, ContactsPlanned, then the contact at once.
    assert!(matches!(events[1], Event::Notified { .. }));
    let Event::ContactsPlanned {
        contacts,
        unreachable,
        reminder,
        ..
    } = &events[2]
    else {
        panic!("{events:?}")
    };
    assert_eq!(*reminder, 0);
    assert_eq!(contacts.len(), 2);
    assert!(unreachable.is_empty());
    assert!(
        matches!(&events[3], Event::Contacted { method, rule: Some(rule), channel: Channel::Push, .. } if method == "app" && rule == "rule")
    );
    assert_eq!(events.len(), 4);
    assert_eq!(next_deadline(&r.state), Some(plus(t0(), 4)));
    assert_eq!(r.state.pending_contacts().len(), 1);
    // A tick before it sends nothing.
    assert!(r.tick(plus(t0(), 3)).is_empty());
    let events = r.tick(plus(t0(), 4));
    assert!(
        matches!(&events[..], [Event::Contacted { method, at, .. }] if method == "phone" && *at == plus(t0(), 4))
    );
    assert_eq!(next_deadline(&r.state), Some(plus(t0(), 30)));
}

#[test]
fn a_reminder_drops_the_contacts_of_the_notice_before_and_plans_its_own() {
    // Reminders every 5 minutes; the rule's phone call at 5 minutes ties with the
    // reminder and is dropped (the notice goes first), then starts again.
    let mut r = run(
        one_step(&[ANN], 1, 5, 20),
        vec![profile(ANN, vec![m(0, "app"), m(5, "phone")])],
    );
    r.at(t0(), SYSTEM, Command::Trigger);
    r.tick(plus(t0(), 60));
    assert_eq!(
        r.contacted(),
        vec![
            (t0(), ANN, "app".to_owned()),
            (plus(t0(), 5), ANN, "app".to_owned()),
            (plus(t0(), 10), ANN, "phone".to_owned()),
        ]
    );
    // The last notice's contacts run on after the escalation is exhausted at 25.
    assert_eq!(r.state.status(), Status::Exhausted);
}

#[test]
fn exhausted_escalations_keep_contacting_the_last_recipients_until_resolved() {
    let mut r = run(
        one_step(&[ANN], 0, 0, 5),
        vec![profile(
            ANN,
            vec![m(0, "app"), m(10, "phone"), m(20, "phone")],
        )],
    );
    r.at(t0(), SYSTEM, Command::Trigger);
    r.tick(plus(t0(), 12));
    assert_eq!(r.state.status(), Status::Exhausted);
    assert_eq!(r.contacted().len(), 2);
    assert_eq!(next_deadline(&r.state), Some(plus(t0(), 20)));
    r.at(plus(t0(), 15), BOB, Command::Resolve);
    assert_eq!(next_deadline(&r.state), None);
    assert!(r.tick(plus(t0(), 60)).is_empty());
    assert_eq!(r.contacted().len(), 2);
}

#[test]
fn cancel_and_escalate_drop_the_contacts_still_ahead() {
    let specs = vec![
        profile(ANN, vec![m(0, "app"), m(10, "phone")]),
        profile(BOB, vec![m(0, "app"), m(10, "phone")]),
    ];
    let policy = Policy::new(
        "p",
        vec![
            Step::after(vec![Target::User(ANN)], Duration::minutes(30)),
            Step::after(vec![Target::User(BOB)], Duration::minutes(30)),
        ],
    );
    let mut r = run(policy.clone(), specs.clone());
    r.at(t0(), SYSTEM, Command::Trigger);
    r.at(plus(t0(), 2), CAT, Command::Escalate { step: 1 });
    r.tick(plus(t0(), 11));
    assert_eq!(
        r.contacted(),
        vec![
            (t0(), ANN, "app".to_owned()),
            (plus(t0(), 2), BOB, "app".to_owned())
        ],
        "Ann's call at 10 dropped; Bob's at 12 still ahead"
    );
    let mut r = run(policy, specs);
    r.at(t0(), SYSTEM, Command::Trigger);
    r.at(
        plus(t0(), 2),
        CAT,
        Command::Cancel {
            reason: "moved".into(),
        },
    );
    assert!(r.state.pending_contacts().is_empty());
    assert!(r.tick(plus(t0(), 60)).is_empty());
}

#[test]
fn an_acknowledgement_timeout_notifies_again_and_plans_again() {
    let mut policy = one_step(&[ANN], 0, 0, 60);
    policy.ack_timeout = Some(Duration::minutes(15));
    let mut r = run(policy, vec![profile(ANN, vec![m(0, "app"), m(3, "phone")])]);
    r.at(t0(), SYSTEM, Command::Trigger);
    r.at(plus(t0(), 1), ANN, Command::Acknowledge);
    r.tick(plus(t0(), 30));
    assert_eq!(
        r.contacted(),
        vec![
            (t0(), ANN, "app".to_owned()),
            (plus(t0(), 16), ANN, "app".to_owned()),
            (plus(t0(), 19), ANN, "phone".to_owned()),
        ]
    );
}

#[test]
fn a_late_tick_sends_everything_in_order_each_at_its_instant() {
    let mut r = run(
        one_step(&[ANN, BOB], 1, 10, 10),
        vec![
            profile(ANN, vec![m(2, "phone"), m(0, "app")]),
            profile(BOB, vec![m(0, "app"), m(2, "app")]),
        ],
    );
    r.at(t0(), SYSTEM, Command::Trigger);
    let events = r.tick(plus(t0(), 100));
    let at: Vec<_> = events.iter().map(Event::at).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]));
    // Same instant: recipients in the notice's order, then the rule's steps in order.
    assert_eq!(
        r.contacted(),
        vec![
            (t0(), ANN, "app".to_owned()),
            (t0(), BOB, "app".to_owned()),
            (plus(t0(), 2), ANN, "phone".to_owned()),
            (plus(t0(), 2), BOB, "app".to_owned()),
            (plus(t0(), 10), ANN, "app".to_owned()),
            (plus(t0(), 10), BOB, "app".to_owned()),
            (plus(t0(), 12), ANN, "phone".to_owned()),
            (plus(t0(), 12), BOB, "app".to_owned()),
        ]
    );
}

#[test]
fn who_cannot_be_reached_is_said_with_why() {
    let mut off = profile(BOB, vec![m(0, "app")]);
    off.rules[0].enabled = false;
    let mut dark = profile(CAT, vec![m(0, "app")]);
    dark.methods[0].enabled = false;
    let mut r = run(one_step(&[ANN, BOB, CAT, DAN], 0, 0, 10), vec![off, dark]);
    r.at(t0(), SYSTEM, Command::Trigger);
    assert_eq!(
        r.unreachable(),
        vec![
            Unreachable::NoProfile { user: ANN },
            Unreachable::NoRule { user: BOB },
            Unreachable::NoEnabledMethod {
                user: CAT,
                rule: "rule".into()
            },
            Unreachable::NoProfile { user: DAN },
        ]
    );
    assert_eq!(r.unreachable()[2].user(), CAT);
    assert!(r.contacted().is_empty());
    assert_eq!(
        next_deadline(&r.state),
        Some(plus(t0(), 10)),
        "only the step's end"
    );
}

#[test]
fn hours_are_read_in_the_profiles_zone_with_its_holidays() {
    let mut rule = ContactRule::new("office", vec![m(0, "app")]);
    rule.hours = Some(Restriction {
        week: Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
        holidays: vec![itsm_calendar::Holiday::yearly(3, 2)],
    });
    let fallback = ContactRule::new("else", vec![m(0, "phone")]);
    let mut p = ProfileSpec::new(ANN, phone_and_app(), vec![rule, fallback]);
    p.zone = Some("-05:00".into());
    // Monday 1 March 2027, 15:00 UTC = 10:00 at -05:00: office hours. Tuesday the 2nd is a
    // holiday. Monday 13:00 UTC = 08:00: before hours.
    for (at, expected) in [
        (utc(2027, 3, 1, 15, 0), "app"),
        (utc(2027, 3, 2, 15, 0), "phone"),
        (utc(2027, 3, 1, 13, 0), "phone"),
    ] {
        let mut r = run(one_step(&[ANN], 0, 0, 10), vec![p.clone()]);
        r.at(at, SYSTEM, Command::Trigger);
        assert_eq!(r.contacted(), vec![(at, ANN, expected.to_owned())], "{at}");
    }
}

#[test]
fn a_contact_past_the_end_of_time_is_reported_and_the_rest_sent() {
    // An error here would block every later command of the escalation (even `resolve`),
    // so the contacts past the range are reported, naming the person and the rule.
    let mut r = run(
        one_step(&[ANN], 0, 0, 0),
        vec![profile(ANN, vec![m(0, "app"), m(60, "phone")])],
    );
    let end = DateTime::<Utc>::MAX_UTC - Duration::minutes(30);
    r.at(end, SYSTEM, Command::Trigger);
    assert_eq!(r.contacted(), vec![(end, ANN, "app".to_owned())]);
    assert_eq!(
        r.unreachable(),
        vec![Unreachable::OutOfRange {
            user: ANN,
            rule: "rule".into()
        }]
    );
    r.at(end, BOB, Command::Resolve);
    assert_eq!(r.state.status(), Status::Resolved);
    assert_ne!(r.state, State::new());
    // All of them past the range, on a step that is not the last: out of range only (no
    // contact is planned, so none is too late).
    let policy = Policy::new(
        "p",
        vec![
            Step::after(vec![Target::User(ANN)], Duration::minutes(10)),
            Step::after(vec![Target::User(BOB)], Duration::minutes(10)),
        ],
    );
    let mut r = run(policy, vec![profile(ANN, vec![m(60, "phone")])]);
    r.at(end, SYSTEM, Command::Trigger);
    assert_eq!(
        r.unreachable(),
        vec![Unreachable::OutOfRange {
            user: ANN,
            rule: "rule".into()
        }]
    );
}

#[test]
fn someone_whose_contacts_all_fall_after_the_next_notice_is_named() {
    use itsm_oncall::Event;
    // Ann's only contact is 30 minutes after the notice, the step ends after 15: PagerDuty's
    // pitfall. On the last step (Bob's) nothing follows, so his late contact is sent.
    let policy = Policy::new(
        "p",
        vec![
            Step::after(vec![Target::User(ANN)], Duration::minutes(15)),
            Step::after(vec![Target::User(BOB)], Duration::minutes(15)),
        ],
    );
    let mut r = run(
        policy,
        vec![
            profile(ANN, vec![m(30, "phone")]),
            profile(BOB, vec![m(30, "phone")]),
        ],
    );
    r.at(t0(), SYSTEM, Command::Trigger);
    assert_eq!(
        r.unreachable(),
        vec![Unreachable::TooLate {
            user: ANN,
            next: plus(t0(), 15)
        }]
    );
    r.tick(plus(t0(), 60));
    assert_eq!(
        r.contacted(),
        vec![(plus(t0(), 45), BOB, "phone".to_owned())]
    );
    assert_eq!(r.unreachable().len(), 1, "Bob's is not too late");
    // Contacted names the notice it belongs to.
    let last = r
        .events
        .iter()
        .rev()
        .find(|e| matches!(e, Event::Contacted { .. }))
        .unwrap();
    assert!(matches!(
        last,
        Event::Contacted {
            step: 1,
            round: 0,
            reminder: 0,
            ..
        }
    ));
    // A forced channel on a step that ends at once is too late too.
    let mut step = Step::after(vec![Target::User(ANN)], Duration::zero());
    step.channels = vec![Channel::Push];
    let mut r = run(
        Policy::new(
            "p",
            vec![
                step,
                Step::after(vec![Target::User(BOB)], Duration::minutes(5)),
            ],
        ),
        vec![profile(ANN, vec![m(0, "app")])],
    );
    r.at(t0(), SYSTEM, Command::Trigger);
    assert!(r.contacted().iter().all(|c| c.1 != ANN));
    assert_eq!(
        r.unreachable()[0],
        Unreachable::TooLate {
            user: ANN,
            next: t0()
        }
    );
}

#[test]
fn contacts_still_ahead_are_sent_from_the_state_whatever_the_later_context() {
    // The plan is kept in the state: a later call without profiles still sends it.
    let mut r = run(
        one_step(&[ANN], 0, 0, 30),
        vec![profile(ANN, vec![m(0, "app"), m(5, "phone")])],
    );
    r.at(t0(), SYSTEM, Command::Trigger);
    r.contacts = None;
    r.tick(plus(t0(), 10));
    assert_eq!(r.contacted().len(), 2);
    assert!(r.state.pending_contacts().is_empty());
}

fn refused(spec: ProfileSpec) -> Error {
    Profiles::new(&[spec]).unwrap_err()
}

#[test]
fn every_profile_error_names_the_person_and_what_is_allowed() {
    let ok = || profile(ANN, vec![m(0, "app")]);
    let err = Profiles::new(&[ok(), ok()]).unwrap_err();
    assert!(matches!(err, Error::DuplicateProfile { user } if user == ANN));
    assert!(err.to_string().contains("one per person"));

    let mut p = ok();
    p.zone = Some("Mars/Olympus".into());
    let err = refused(p);
    assert!(matches!(err, Error::UnknownProfileZone { .. }));
    assert!(err.to_string().contains("Mars/Olympus"), "{err}");

    let mut p = ok();
    p.methods = (0..=MAX_METHODS)
        .map(|i| Method::new(format!("m{i}"), Channel::Email))
        .collect();
    p.methods.push(Method::new("app", Channel::Push));
    assert!(
        matches!(refused(p), Error::TooManyMethods { methods, max, .. } if methods == MAX_METHODS + 2 && max == MAX_METHODS)
    );

    let mut p = ok();
    p.rules = (0..=MAX_RULES)
        .map(|i| ContactRule::new(format!("r{i}"), vec![m(0, "app")]))
        .collect();
    assert!(matches!(refused(p), Error::TooManyRules { max, .. } if max == MAX_RULES));

    let mut p = ok();
    p.methods[1].name = " ".into();
    let err = refused(p);
    assert!(matches!(err, Error::InvalidName { what: "method", .. }));
    assert!(err.to_string().contains("empty or blank name"));

    let mut p = ok();
    p.rules[0].name = String::new();
    assert!(matches!(
        refused(p),
        Error::InvalidName { what: "rule", .. }
    ));

    let mut p = ok();
    p.methods[1].name = "app".into();
    let err = refused(p);
    assert!(matches!(&err, Error::DuplicateName { what: "method", name, .. } if name == "app"));
    assert!(err.to_string().contains("must be unique"));

    let mut p = ok();
    p.rules.push(p.rules[0].clone());
    assert!(matches!(
        refused(p),
        Error::DuplicateName { what: "rule", .. }
    ));

    let mut p = ok();
    p.rules[0].steps.clear();
    assert!(matches!(refused(p), Error::NoRuleSteps { rule, .. } if rule == "rule"));

    let mut p = ok();
    p.rules[0].steps = vec![m(0, "app"); MAX_RULE_STEPS + 1];
    assert!(
        matches!(refused(p), Error::TooManyRuleSteps { steps, max, .. } if steps == MAX_RULE_STEPS + 1 && max == MAX_RULE_STEPS)
    );

    let mut p = ok();
    p.rules[0].steps = vec![m(0, "pager")];
    let err = refused(p);
    assert!(
        matches!(&err, Error::UnknownMethod { method, known, .. } if method == "pager" && known.len() == 2)
    );
    assert!(
        err.to_string()
            .ends_with("no contact method `pager`; the profile has `app`, `phone`"),
        "{err}"
    );

    for after in [
        Duration::minutes(-1),
        Duration::days(7) + Duration::seconds(1),
    ] {
        let mut p = ok();
        p.rules[0].steps = vec![Notify::new(after, "app")];
        let err = refused(p);
        assert!(matches!(err, Error::InvalidDelay { max_days: 7, given, .. } if given == after));
        assert!(
            err.to_string()
                .contains("is not allowed; give from zero to 7 days"),
            "{err}"
        );
    }
    // The bounds themselves are allowed.
    let mut p = ok();
    p.methods = (0..MAX_METHODS)
        .map(|i| {
            Method::new(
                if i == 0 {
                    "app".into()
                } else {
                    format!("m{i}")
                },
                Channel::Email,
            )
        })
        .collect();
    p.rules = (0..MAX_RULES)
        .map(|i| ContactRule::new(format!("r{i}"), vec![m(0, "app"); MAX_RULE_STEPS]))
        .collect();
    p.handoffs = vec![HandoffRule::new(HandoffKind::OnCall, Duration::days(7), "app"); MAX_RULES];
    assert!(Profiles::new(&[p]).is_ok());
    let mut p = ok();
    p.rules[0].steps = vec![
        Notify::new(Duration::zero(), "app"),
        Notify::new(Duration::days(7), "app"),
    ];
    p.rules[0].repeat = Some(Repeat {
        every: Duration::days(7),
        times: MAX_CONTACT_REPEATS,
    });
    assert!(Profiles::new(&[p]).is_ok());

    for (every, times) in [
        (Duration::zero(), 1),
        (Duration::minutes(5), 0),
        (Duration::minutes(5), MAX_CONTACT_REPEATS + 1),
        (Duration::days(7) + Duration::seconds(1), 1),
    ] {
        let mut p = ok();
        p.rules[0].repeat = Some(Repeat { every, times });
        let err = refused(p);
        assert!(
            matches!(err, Error::InvalidRepeat { .. }),
            "{every} {times}"
        );
        assert!(err.to_string().contains("`times` from 1 to 100"));
    }

    for attempt in [0, itsm_oncall::MAX_ATTEMPT + 1] {
        let mut p = ok();
        p.rules[0].attempt = Some(attempt);
        let err = refused(p);
        assert!(matches!(err, Error::InvalidAttempt { .. }));
        assert!(
            err.to_string()
                .contains("counts from 1 (the first notice) to 21"),
            "{err}"
        );
    }
    let mut p = ok();
    p.rules[0].attempt = Some(itsm_oncall::MAX_ATTEMPT);
    assert!(Profiles::new(&[p]).is_ok());

    let mut p = ok();
    p.rules[0].hours = Some(Restriction {
        week: Week::default(),
        holidays: Vec::new(),
    });
    let err = refused(p);
    assert!(matches!(err, Error::InvalidHours { .. }), "{err}");
    assert!(err.to_string().contains("invalid hours"));
}

#[test]
fn the_list_of_known_methods_is_capped_at_five() {
    let mut p = profile(ANN, vec![m(0, "nope")]);
    p.methods = (0..8)
        .map(|i| Method::new(format!("m{i}"), Channel::Sms))
        .collect();
    let err = refused(p);
    assert!(
        err.to_string()
            .ends_with("`m0`, `m1`, `m2`, `m3`, `m4`, and 3 more"),
        "{err}"
    );
    let mut p = profile(ANN, vec![m(0, "nope")]);
    p.methods.clear();
    assert!(refused(p).to_string().ends_with("the profile has none"));
}

#[test]
fn profiles_answer_what_they_hold() {
    let profiles = Profiles::new(&[profile(ANN, vec![m(0, "app")])]).unwrap();
    assert!(profiles.contains(ANN));
    assert!(!profiles.contains(BOB));
    assert_eq!(profiles.len(), 1);
    let two = Profiles::new(&[
        profile(ANN, vec![m(0, "app")]),
        profile(BOB, vec![m(0, "app")]),
    ]);
    assert_eq!(two.unwrap().len(), 2);
    assert!(!profiles.is_empty());
    assert!(Profiles::new(&[]).unwrap().is_empty());
    assert_eq!(Channel::Teams.to_string(), "teams");
    assert_eq!(itsm_oncall::Urgency::Low.name(), "low");
    assert_eq!(itsm_oncall::Urgency::default(), itsm_oncall::Urgency::High);
}

// ---------------------------------------------------------------------------------------
// Handoffs and the reminders before them
// ---------------------------------------------------------------------------------------

use itsm_oncall::{HandoffKind, HandoffRule, Schedule, ScheduleSpec, TimeOff, Turn};

/// Ann and Bob turn daily at 09:00 UTC from 1 March 2027; Ann is away on the 3rd from
/// 12:00 to 15:00 without cover.
fn daily() -> Schedule {
    let mut spec = ScheduleSpec::new(
        "ops",
        vec![layer(
            "primary",
            &[ANN, BOB],
            local(2027, 3, 1, 9, 0),
            Turn::Days(1),
        )],
    );
    spec.time_off = vec![TimeOff {
        member: ANN,
        from: utc(2027, 3, 3, 12, 0),
        to: utc(2027, 3, 3, 15, 0),
        cover: None,
    }];
    Schedule::new(&spec).unwrap()
}

fn kinds(h: &[itsm_oncall::Handoff]) -> Vec<(DateTime<Utc>, UserId, HandoffKind)> {
    h.iter().map(|h| (h.at, h.user, h.kind)).collect()
}

#[test]
fn handoffs_count_a_change_at_the_window_start_and_gaps_as_off_and_on() {
    use HandoffKind::{OffCall, OnCall};
    let s = daily();
    // From exactly 09:00 on the 2nd: Ann off, Bob on, at that instant.
    let h = s
        .handoffs(utc(2027, 3, 2, 9, 0), utc(2027, 3, 3, 23, 0))
        .unwrap();
    assert_eq!(
        kinds(&h),
        vec![
            (utc(2027, 3, 2, 9, 0), ANN, OffCall),
            (utc(2027, 3, 2, 9, 0), BOB, OnCall),
            (utc(2027, 3, 3, 9, 0), BOB, OffCall),
            (utc(2027, 3, 3, 9, 0), ANN, OnCall),
            // The gap of her time off: off and on again.
            (utc(2027, 3, 3, 12, 0), ANN, OffCall),
            (utc(2027, 3, 3, 15, 0), ANN, OnCall),
        ]
    );
    // From a minute later: someone on call throughout is no handoff.
    let h = s
        .handoffs(utc(2027, 3, 2, 9, 1), utc(2027, 3, 3, 8, 0))
        .unwrap();
    assert!(h.is_empty());
    let err = s
        .handoffs(DateTime::<Utc>::MIN_UTC, utc(2027, 1, 1, 0, 0))
        .unwrap_err();
    assert!(
        matches!(err, Error::OutOfRange { .. } | Error::WindowTooLong { .. }),
        "{err}"
    );
}

#[test]
fn a_cover_or_a_change_of_layer_hands_nothing_over() {
    // Two layers with Ann in both, the last winning: Ann stays on call when the second
    // layer's restriction starts; Cat covers nobody else.
    let mut spec = ScheduleSpec::new(
        "ops",
        vec![
            layer("all day", &[ANN], local(2027, 3, 1, 0, 0), Turn::Weeks(1)),
            layer("office", &[ANN], local(2027, 3, 1, 0, 0), Turn::Weeks(1)),
        ],
    );
    spec.layers[1].restriction = Some(Restriction {
        week: Week::every_day(&[Segment::parse("09:00", "17:00").unwrap()]),
        holidays: Vec::new(),
    });
    let s = Schedule::new(&spec).unwrap();
    let shifts = s
        .shifts(utc(2027, 3, 2, 0, 0), utc(2027, 3, 3, 0, 0))
        .unwrap();
    assert_eq!(shifts.len(), 3, "the layer changes at 09:00 and 17:00");
    assert!(
        s.handoffs(utc(2027, 3, 2, 0, 0), utc(2027, 3, 3, 0, 0))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn handoff_reminders_fall_in_the_window_asked_each_once() {
    let mut p = ProfileSpec::new(ANN, phone_and_app(), Vec::new());
    p.handoffs = vec![
        HandoffRule::new(HandoffKind::OnCall, Duration::hours(2), "app"),
        HandoffRule::new(HandoffKind::OffCall, Duration::zero(), "phone"),
    ];
    p.methods[1].enabled = false; // no call at the end
    let profiles = Profiles::new(&[p]).unwrap();
    let s = daily();
    let all = profiles
        .handoff_notices(&s, utc(2027, 3, 1, 0, 0), utc(2027, 3, 6, 0, 0))
        .unwrap();
    let at: Vec<_> = all.iter().map(|n| (n.at, n.handoff.at)).collect();
    assert_eq!(
        at,
        vec![
            // Turns before the handover count backwards: Bob's is the day before, so Ann
            // goes on call on the 1st at 09:00.
            (utc(2027, 3, 1, 7, 0), utc(2027, 3, 1, 9, 0)),
            (utc(2027, 3, 3, 7, 0), utc(2027, 3, 3, 9, 0)),
            (utc(2027, 3, 3, 13, 0), utc(2027, 3, 3, 15, 0)),
            (utc(2027, 3, 5, 7, 0), utc(2027, 3, 5, 9, 0)),
        ]
    );
    assert!(
        all.iter()
            .all(|n| n.user == ANN && n.method == "app" && n.channel == Channel::Push)
    );
    // Window after window: the same reminders, each once.
    let mut pieces = Vec::new();
    let mut t = utc(2027, 3, 1, 0, 0);
    while t < utc(2027, 3, 6, 0, 0) {
        pieces.extend(profiles.handoff_notices(&s, t, plus(t, 7 * 60)).unwrap());
        t = plus(t, 7 * 60);
    }
    pieces.retain(|n| n.at < utc(2027, 3, 6, 0, 0));
    assert_eq!(pieces, all);
    // Nothing for an empty window, or without handoff rules.
    assert!(
        profiles
            .handoff_notices(&s, utc(2027, 3, 5, 0, 0), utc(2027, 3, 5, 0, 0))
            .unwrap()
            .is_empty()
    );
    let none = Profiles::new(&[profile(ANN, vec![m(0, "app")])]).unwrap();
    assert!(
        none.handoff_notices(&s, utc(2027, 3, 1, 0, 0), utc(2027, 3, 6, 0, 0))
            .unwrap()
            .is_empty()
    );
    // A window ending at the end of time cannot look past it.
    let err = profiles
        .handoff_notices(&s, utc(2027, 3, 1, 0, 0), DateTime::<Utc>::MAX_UTC)
        .unwrap_err();
    assert!(matches!(err, Error::TimeOverflow { .. }), "{err}");
}

#[test]
fn handoff_rule_errors_name_the_reminder() {
    let mut p = ProfileSpec::new(ANN, phone_and_app(), Vec::new());
    p.handoffs = vec![
        HandoffRule::new(HandoffKind::OnCall, Duration::hours(1), "app"),
        HandoffRule::new(HandoffKind::OnCall, Duration::hours(1), "pager"),
    ];
    let err = refused(p.clone());
    assert!(
        err.to_string()
            .contains("rule `handoff reminder 2`: no contact method `pager`"),
        "{err}"
    );
    p.handoffs[1] = HandoffRule::new(HandoffKind::OffCall, Duration::days(8), "app");
    assert!(
        matches!(refused(p.clone()), Error::InvalidDelay { rule, .. } if rule == "handoff reminder 2")
    );
    p.handoffs =
        vec![HandoffRule::new(HandoffKind::OnCall, Duration::hours(1), "app"); MAX_RULES + 1];
    assert!(matches!(refused(p), Error::TooManyRules { .. }));
    assert_eq!(HandoffKind::OffCall.name(), "off_call");
}

#[test]
fn hours_read_at_the_ends_of_time_never_block_the_escalation() {
    let mut rule = ContactRule::new("office", vec![m(0, "app")]);
    rule.hours = Some(Restriction {
        week: Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
        holidays: Vec::new(),
    });
    let fallback = ContactRule::new("else", vec![m(0, "phone")]);
    let mut p = ProfileSpec::new(ANN, phone_and_app(), vec![rule, fallback]);
    p.zone = Some("+14:00".into());
    for at in [
        DateTime::<Utc>::MAX_UTC - Duration::minutes(1),
        DateTime::<Utc>::MIN_UTC + Duration::minutes(1),
    ] {
        let mut r = run(one_step(&[ANN], 0, 0, 0), vec![p.clone()]);
        r.at(at, SYSTEM, Command::Trigger);
        r.at(at, ANN, Command::Resolve);
        assert_eq!(r.state.status(), Status::Resolved, "{at}");
        assert_eq!(
            r.contacted().len(),
            1,
            "{at}: one rule or the other applied"
        );
    }
}
