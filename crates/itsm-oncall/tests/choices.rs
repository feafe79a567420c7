//! Our choices where the tools are silent or differ (docs/oncall.md lists each), and every
//! error, each with the case that gives it.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use common::*;
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
use itsm_oncall::{
    Acknowledgers, Combine, Command, Error, Event, Nobody, Override, Policy, Restriction, Schedule,
    ScheduleSpec, Status, Step, Target, TimeOff, Turn, Via,
};

#[cfg(feature = "tz")]
fn berlin(turn: Turn, handover: NaiveDateTime) -> Schedule {
    let mut spec = ScheduleSpec::new("eu", vec![layer("a", &[ANN, BOB], handover, turn)]);
    spec.zone = Some("Europe/Berlin".into());
    Schedule::new(&spec).unwrap()
}

#[cfg(feature = "tz")]
#[test]
fn a_daily_handover_stays_at_its_wall_clock_time_across_daylight_saving() {
    // Berlin moves from CET (+1) to CEST (+2) on Sunday 28 March 2027.
    let s = berlin(Turn::Days(1), local(2027, 3, 20, 9, 0));
    let t = s.turn(0, utc(2027, 3, 28, 12, 0)).unwrap().unwrap();
    assert_eq!(t, (utc(2027, 3, 28, 7, 0), utc(2027, 3, 29, 7, 0)));
    let before = s.turn(0, utc(2027, 3, 27, 12, 0)).unwrap().unwrap();
    assert_eq!(before, (utc(2027, 3, 27, 8, 0), utc(2027, 3, 28, 7, 0)));
    assert_eq!(before.1 - before.0, Duration::hours(23));
}

#[cfg(feature = "tz")]
#[test]
fn an_hourly_turn_is_elapsed_time_so_its_handover_moves_on_the_wall_clock() {
    let s = berlin(Turn::Hours(24), local(2027, 3, 20, 9, 0));
    let t = s.turn(0, utc(2027, 3, 28, 12, 0)).unwrap().unwrap();
    // 09:00 CET is 08:00 UTC, and stays 08:00 UTC: 10:00 CEST after the change.
    assert_eq!(t, (utc(2027, 3, 28, 8, 0), utc(2027, 3, 29, 8, 0)));
}

#[cfg(feature = "tz")]
#[test]
fn a_handover_in_the_skipped_hour_happens_when_the_clocks_jump() {
    let s = berlin(Turn::Days(1), local(2027, 3, 20, 2, 30));
    let t = s.turn(0, utc(2027, 3, 28, 12, 0)).unwrap().unwrap();
    // 02:30 does not exist on the 28th: the turn starts at the jump, 01:00 UTC.
    assert_eq!(t.0, utc(2027, 3, 28, 1, 0));
    assert_eq!(t.1, utc(2027, 3, 29, 0, 30));
}

#[cfg(feature = "tz")]
#[test]
fn a_handover_in_the_repeated_hour_happens_the_first_time() {
    // 31 October 2027: 02:00-03:00 happens twice in Berlin.
    let s = berlin(Turn::Days(1), local(2027, 10, 25, 2, 30));
    let t = s.turn(0, utc(2027, 10, 31, 12, 0)).unwrap().unwrap();
    assert_eq!(t.0, utc(2027, 10, 31, 0, 30));
    assert_eq!(t.1 - t.0, Duration::hours(25));
}

#[test]
fn turns_before_the_handover_count_backwards() {
    let s = single(layer(
        "a",
        &[ANN, BOB, CAT],
        local(2027, 1, 4, 9, 0),
        Turn::Days(1),
    ));
    assert_eq!(who(&s, utc(2027, 1, 3, 12, 0)), vec![CAT]);
    assert_eq!(who(&s, utc(2027, 1, 2, 12, 0)), vec![BOB]);
    assert_eq!(who(&s, utc(2026, 12, 1, 12, 0)), vec![CAT]); // turn -34, -34 mod 3 = 2
}

#[test]
fn the_last_listed_override_and_time_off_win_where_they_overlap() {
    let mut spec = ScheduleSpec::new(
        "ops",
        vec![layer("a", &[ANN], local(2027, 1, 4, 9, 0), Turn::Days(1))],
    );
    let o = |user, d0, d1| Override {
        user,
        from: utc(2027, 1, d0, 0, 0),
        to: utc(2027, 1, d1, 0, 0),
        layer: None,
    };
    spec.overrides = vec![o(BOB, 5, 8), o(CAT, 6, 7)];
    spec.time_off = vec![
        TimeOff {
            member: ANN,
            from: utc(2027, 1, 10, 0, 0),
            to: utc(2027, 1, 12, 0, 0),
            cover: Some(DAN),
        },
        TimeOff {
            member: ANN,
            from: utc(2027, 1, 11, 0, 0),
            to: utc(2027, 1, 12, 0, 0),
            cover: None,
        },
    ];
    let s = Schedule::new(&spec).unwrap();
    assert_eq!(who(&s, utc(2027, 1, 5, 12, 0)), vec![BOB]);
    assert_eq!(who(&s, utc(2027, 1, 6, 12, 0)), vec![CAT]);
    assert_eq!(
        s.on_call(utc(2027, 1, 6, 12, 0)).unwrap()[0].via,
        Via::Override { index: 1 }
    );
    assert_eq!(who(&s, utc(2027, 1, 10, 12, 0)), vec![DAN]);
    assert!(who(&s, utc(2027, 1, 11, 12, 0)).is_empty());
}

#[test]
fn under_combine_all_a_person_in_two_layers_is_listed_once() {
    let h = local(2027, 1, 4, 9, 0);
    let mut spec = ScheduleSpec::new(
        "ops",
        vec![
            layer("a", &[ANN], h, Turn::Days(1)),
            layer("b", &[BOB], h, Turn::Days(1)),
            layer("c", &[ANN], h, Turn::Days(1)),
        ],
    );
    spec.combine = Combine::All;
    let s = Schedule::new(&spec).unwrap();
    let at = s.on_call(utc(2027, 1, 5, 0, 0)).unwrap();
    assert_eq!(users(&at), vec![ANN, BOB]);
    assert_eq!(at[0].layer, Some(0));
    assert_eq!(s.layers_at(utc(2027, 1, 5, 0, 0)).unwrap().len(), 3);
}

#[test]
fn a_roster_target_counts_members_on_and_skips_an_uncovered_absence() {
    let mut spec = ScheduleSpec::new(
        "ops",
        vec![layer(
            "a",
            &[ANN, BOB, CAT],
            local(2027, 1, 4, 9, 0),
            Turn::Days(1),
        )],
    );
    spec.time_off.push(TimeOff {
        member: BOB,
        from: utc(2027, 1, 1, 0, 0),
        to: utc(2027, 2, 1, 0, 0),
        cover: None,
    });
    let s = Schedule::new(&spec).unwrap();
    let at = utc(2027, 1, 4, 12, 0);
    let next = |n| s.layer_on_call(0, at, n).unwrap().map(|e| e.user);
    assert_eq!(
        (next(0), next(1), next(2), next(3)),
        (Some(ANN), None, Some(CAT), Some(ANN))
    );
    assert_eq!(s.layer_on_call(7, at, 0).unwrap(), None);
}

#[test]
fn load_counts_time_on_call_out_of_hours_and_stretches() {
    let s = single(layer(
        "a",
        &[ANN, BOB],
        local(2027, 1, 4, 9, 0),
        Turn::Weeks(1),
    ));
    let office = Calendar::new(&CalendarSpec::new(
        "office",
        Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
    ))
    .unwrap();
    let loads = s
        .load(utc(2027, 1, 4, 9, 0), utc(2027, 1, 25, 9, 0), Some(&office))
        .unwrap();
    assert_eq!(loads.len(), 2);
    let (ann, bob) = (loads[0], loads[1]);
    assert_eq!(
        (ann.user, ann.on_call, ann.shifts),
        (ANN, Duration::weeks(2), 2)
    );
    assert_eq!(
        (bob.user, bob.on_call, bob.shifts),
        (BOB, Duration::weeks(1), 1)
    );
    // A week is 168 hours, 40 of them office hours.
    assert_eq!(bob.outside_hours, Duration::hours(128));
    let without = s
        .load(utc(2027, 1, 4, 9, 0), utc(2027, 1, 11, 9, 0), None)
        .unwrap();
    assert_eq!(without[0].outside_hours, Duration::weeks(1));
}

fn one_user_policy(steps: usize, reminders: u32) -> Policy {
    Policy::new(
        "p",
        (0..steps)
            .map(|i| Step {
                targets: vec![Target::User(itsm_oncall::UserId::from_u128(10 + i as u128))],
                reminders,
                between_reminders: Duration::minutes(5),
                wait: Duration::minutes(10),
                channels: Vec::new(),
            })
            .collect(),
    )
}

fn empty_schedule() -> ScheduleSpec {
    let mut l = layer("a", &[ANN], local(2027, 1, 4, 9, 0), Turn::Days(1));
    l.ends = Some(utc(2027, 1, 5, 9, 0));
    ScheduleSpec::new("empty", vec![l])
}

#[test]
fn a_step_with_nobody_on_call_is_skipped_at_once_or_waited() {
    let nobody_then_dan = |nobody| {
        let mut p = Policy::new(
            "p",
            vec![
                Step {
                    targets: vec![Target::Schedule("empty".into())],
                    reminders: 2,
                    between_reminders: Duration::minutes(5),
                    wait: Duration::minutes(10),
                    channels: Vec::new(),
                },
                Step::after(vec![Target::User(DAN)], Duration::minutes(10)),
            ],
        );
        p.nobody = nobody;
        let mut run = Run::new(p, schedules(&[empty_schedule()]));
        let t0 = utc(2027, 2, 1, 0, 0);
        run.at(t0, SYSTEM, Command::Trigger);
        run.tick(plus(t0, 60));
        run
    };
    let t0 = utc(2027, 2, 1, 0, 0);
    let skip = nobody_then_dan(Nobody::Skip);
    assert_eq!(skip.notices()[0], (t0, 1, 0, vec![DAN]));
    assert!(
        skip.events
            .iter()
            .any(|e| matches!(e, Event::NobodyOnCall { step: 0, next, .. } if *next == t0))
    );
    let wait = nobody_then_dan(Nobody::Wait);
    // Two reminders five minutes apart, then ten minutes: the next step at +20.
    assert_eq!(wait.notices()[0], (plus(t0, 20), 1, 0, vec![DAN]));
}

#[test]
fn reminders_go_to_those_notified_first_even_across_a_handover() {
    let spec = ScheduleSpec::new(
        "ops",
        vec![layer(
            "a",
            &[ANN, BOB],
            local(2027, 1, 4, 9, 0),
            Turn::Days(1),
        )],
    );
    let p = Policy::new(
        "p",
        vec![Step {
            targets: vec![Target::Schedule("ops".into())],
            reminders: 2,
            between_reminders: Duration::minutes(10),
            wait: Duration::minutes(10),
            channels: Vec::new(),
        }],
    );
    let mut run = Run::new(p, schedules(&[spec]));
    let t0 = utc(2027, 1, 5, 8, 55); // Ann until 09:00, then Bob
    run.at(t0, SYSTEM, Command::Trigger);
    run.tick(plus(t0, 60));
    let to: Vec<_> = run.notices().into_iter().map(|n| n.3).collect();
    assert_eq!(to, vec![vec![ANN], vec![ANN], vec![ANN]]);
}

#[test]
fn a_late_tick_sends_each_due_notice_at_the_instant_it_fell_due() {
    let mut run = Run::new(one_user_policy(2, 1), schedules(&[]));
    let t0 = utc(2027, 1, 5, 0, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    let events = run.tick(plus(t0, 500));
    let at: Vec<DateTime<Utc>> = events.iter().map(Event::at).collect();
    assert_eq!(
        at,
        vec![
            plus(t0, 5),
            plus(t0, 15),
            plus(t0, 15),
            plus(t0, 20),
            plus(t0, 30)
        ]
    );
    assert!(matches!(events.last(), Some(Event::Exhausted { .. })));
    assert_eq!(run.state.notices(), 4);
}

#[test]
fn only_someone_notified_may_acknowledge_when_the_policy_says_so() {
    let mut p = one_user_policy(2, 0);
    p.acknowledgers = Acknowledgers::Notified;
    let mut run = Run::new(p, schedules(&[]));
    let t0 = utc(2027, 1, 5, 0, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    let err = run
        .try_at(plus(t0, 1), ANN, Command::Acknowledge)
        .unwrap_err();
    assert_eq!(err, Error::NotNotified { user: ANN });
    let ten = itsm_oncall::UserId::from_u128(10);
    run.at(plus(t0, 2), ten, Command::Acknowledge);
    assert_eq!(run.state.status(), Status::Acknowledged);
    // A second acknowledgement changes nothing.
    assert!(run.at(plus(t0, 3), ten, Command::Acknowledge).is_empty());
}

#[test]
fn escalating_by_hand_jumps_to_a_step_and_exhausted_escalations_still_take_acks() {
    let mut run = Run::new(one_user_policy(3, 0), schedules(&[]));
    let t0 = utc(2027, 1, 5, 0, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    let events = run.at(plus(t0, 1), ANN, Command::Escalate { step: 2 });
    assert!(matches!(
        events[0],
        Event::Escalated {
            step: 2,
            by: Some(ANN),
            ..
        }
    ));
    run.tick(plus(t0, 100));
    assert_eq!(run.state.status(), Status::Exhausted);
    run.at(plus(t0, 101), BOB, Command::Acknowledge);
    assert_eq!(run.state.status(), Status::Acknowledged);
    run.at(plus(t0, 102), BOB, Command::Escalate { step: 0 });
    assert_eq!(
        (run.state.status(), run.state.step()),
        (Status::Escalating, 0)
    );
    let err = run
        .try_at(plus(t0, 103), BOB, Command::Escalate { step: 3 })
        .unwrap_err();
    assert_eq!(err, Error::UnknownStep { step: 3, steps: 3 });
    assert!(err.to_string().contains("steps 0 to 2"));
}

#[test]
fn commands_refused_by_status_and_clock_name_what_is_allowed() {
    let mut run = Run::new(one_user_policy(1, 0), schedules(&[]));
    let t0 = utc(2027, 1, 5, 0, 0);
    let err = run.try_at(t0, ANN, Command::Acknowledge).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot acknowledge: the escalation is idle; allowed when escalating or acknowledged or exhausted"
    );
    run.at(t0, SYSTEM, Command::Trigger);
    let err = run.try_at(plus(t0, -1), ANN, Command::Resolve).unwrap_err();
    assert!(matches!(err, Error::ClockWentBackwards { .. }));
    assert!(run.tick(plus(t0, -1)).is_empty());
    assert!(matches!(
        run.try_at(t0, SYSTEM, Command::Trigger),
        Err(Error::NotAllowed {
            command: "trigger",
            status: Status::Escalating,
            ..
        })
    ));
}

#[test]
fn the_state_folds_from_the_events_alone() {
    let mut run = Run::new(one_user_policy(2, 2), schedules(&[]));
    let t0 = utc(2027, 1, 5, 0, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    run.tick(plus(t0, 12));
    run.at(plus(t0, 13), ANN, Command::Acknowledge);
    let mut folded = itsm_oncall::State::new();
    for e in &run.events {
        folded = itsm_oncall::evolve(folded, e);
    }
    assert_eq!(folded, run.state);
    assert_eq!(run.state.last_at(), Some(plus(t0, 13)));
}

#[test]
fn transitions_table_matches_decide() {
    // Each arrow of the table is reached by the command or tick it names.
    let d = itsm_oncall::mermaid();
    for t in itsm_oncall::TRANSITIONS {
        assert!(d.contains(&format!("{} --> {}", t.from, t.to)), "{t:?}");
    }
    let mut run = Run::new(one_user_policy(1, 0), schedules(&[]));
    let t0 = utc(2027, 1, 5, 0, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    run.tick(plus(t0, 10));
    assert_eq!(run.state.status(), Status::Exhausted);
    run.at(plus(t0, 11), SYSTEM, Command::Cancel { reason: "x".into() });
    assert_eq!(run.state.status(), Status::Canceled);
}

// ---------------------------------------------------------------------------------------
// Every error of a schedule
// ---------------------------------------------------------------------------------------

fn refused(spec: &ScheduleSpec) -> Error {
    Schedule::new(spec).unwrap_err()
}

fn one_layer() -> ScheduleSpec {
    ScheduleSpec::new(
        "ops",
        vec![layer("a", &[ANN], local(2027, 1, 4, 9, 0), Turn::Days(1))],
    )
}

#[test]
fn schedule_errors_name_the_schedule_and_what_is_allowed() {
    let mut s = one_layer();
    s.zone = Some("Mars/Olympus".into());
    let e = refused(&s);
    assert!(matches!(e, Error::UnknownZone { .. }));
    assert!(e.to_string().contains("`Mars/Olympus`"));

    assert!(matches!(
        refused(&ScheduleSpec::new("ops", vec![])),
        Error::NoLayers { .. }
    ));

    let mut s = one_layer();
    s.layers.push(s.layers[0].clone());
    assert!(matches!(refused(&s), Error::DuplicateLayer { layer, .. } if layer == "a"));

    let mut s = one_layer();
    s.layers[0].members.clear();
    assert!(matches!(refused(&s), Error::NoMembers { .. }));

    for turn in [
        Turn::Hours(0),
        Turn::Days(0),
        Turn::Weeks(0),
        Turn::Days(36_601),
        Turn::Weeks(u32::MAX),
    ] {
        let mut s = one_layer();
        s.layers[0].rotation.turn = turn;
        assert!(
            matches!(
                refused(&s),
                Error::InvalidTurn {
                    max_days: 36_600,
                    ..
                }
            ),
            "{turn:?}"
        );
    }
    let mut s = one_layer();
    s.layers[0].rotation.turn = Turn::Days(36_600);
    assert!(Schedule::new(&s).is_ok());

    let mut s = one_layer();
    s.layers[0].starts = Some(utc(2027, 1, 2, 0, 0));
    s.layers[0].ends = Some(utc(2027, 1, 2, 0, 0));
    assert!(matches!(refused(&s), Error::LayerEndsBeforeStart { .. }));

    let mut s = one_layer();
    s.layers[0].restriction = Some(Restriction {
        week: Week::default(),
        holidays: Vec::new(),
    });
    let e = refused(&s);
    assert!(matches!(e, Error::InvalidRestriction { .. }));
    assert!(
        e.to_string()
            .starts_with("schedule `ops`, layer `a`: invalid restriction: ")
    );

    let mut s = one_layer();
    s.time_off.push(TimeOff {
        member: ANN,
        from: utc(2027, 1, 2, 0, 0),
        to: utc(2027, 1, 1, 0, 0),
        cover: None,
    });
    assert!(matches!(
        refused(&s),
        Error::EmptyPeriod {
            what: "time off",
            index: 0,
            ..
        }
    ));

    let mut s = one_layer();
    s.time_off.push(TimeOff {
        member: ANN,
        from: utc(2027, 1, 1, 0, 0),
        to: utc(2027, 1, 2, 0, 0),
        cover: Some(ANN),
    });
    assert!(matches!(refused(&s), Error::CoverIsMember { index: 0, .. }));

    let mut s = one_layer();
    s.overrides.push(Override {
        user: BOB,
        from: utc(2027, 1, 1, 0, 0),
        to: utc(2027, 1, 1, 0, 0),
        layer: None,
    });
    assert!(matches!(
        refused(&s),
        Error::EmptyPeriod {
            what: "override",
            ..
        }
    ));
    s.overrides[0].to = utc(2027, 1, 2, 0, 0);
    s.overrides[0].layer = Some("b".into());
    assert!(matches!(refused(&s), Error::UnknownLayer { layer, .. } if layer == "b"));

    let mut s = one_layer();
    s.layers[0].rotation.handover = NaiveDateTime::MAX;
    s.zone = Some("-05:00".into());
    assert!(matches!(refused(&s), Error::OutOfRange { .. }));
}

#[test]
fn window_errors_and_the_ends_of_the_range() {
    let s = Schedule::new(&one_layer()).unwrap();
    let (a, b) = (utc(2027, 1, 2, 0, 0), utc(2027, 1, 1, 0, 0));
    assert_eq!(
        s.shifts(a, b).unwrap_err(),
        Error::ReversedWindow { from: a, to: b }
    );
    assert!(s.shifts(a, a).unwrap().is_empty());
    let mut hourly = one_layer();
    hourly.layers[0].rotation.turn = Turn::Hours(1);
    let h = Schedule::new(&hourly).unwrap();
    let e = h
        .shifts(utc(2000, 1, 1, 0, 0), utc(2700, 1, 1, 0, 0))
        .unwrap_err();
    assert!(matches!(e, Error::WindowTooLong { max: 5_000_000, .. }));
    // Chrono's first and last instants answer or refuse, never panic.
    for at in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
        let _ = s.on_call(at);
        let _ = h.on_call(at);
        let _ = s.turn(0, at);
    }
    assert!(matches!(
        s.turn(0, DateTime::<Utc>::MAX_UTC),
        Err(Error::OutOfRange { .. })
    ));
}

// ---------------------------------------------------------------------------------------
// Every error of a policy
// ---------------------------------------------------------------------------------------

#[test]
fn policy_errors_name_the_policy_the_step_and_the_limit() {
    let s = schedules(&[one_layer()]);
    let check = |p: &Policy| p.check(&s).unwrap_err();
    assert!(matches!(
        check(&Policy::new("p", vec![])),
        Error::NoSteps { .. }
    ));
    let too_many = one_user_policy(51, 0);
    assert!(matches!(
        check(&too_many),
        Error::TooManySteps {
            steps: 51,
            max: 50,
            ..
        }
    ));
    assert!(one_user_policy(50, 20).check(&s).is_ok());
    let mut p = one_user_policy(1, 0);
    p.steps[0].targets.clear();
    assert!(matches!(check(&p), Error::NoTargets { step: 0, .. }));
    let p = one_user_policy(2, 21);
    assert!(matches!(
        check(&p),
        Error::TooManyReminders {
            step: 0,
            reminders: 21,
            max: 20,
            ..
        }
    ));
    let mut p = one_user_policy(1, 0);
    p.repeat = 21;
    assert!(matches!(
        check(&p),
        Error::TooManyRepeats {
            repeat: 21,
            max: 20,
            ..
        }
    ));
    let mut p = one_user_policy(1, 0);
    p.ack_timeout = Some(Duration::zero());
    let e = check(&p);
    assert!(matches!(e, Error::InvalidAckTimeout { .. }));
    assert!(e.to_string().contains("must be positive"));
    let mut p = one_user_policy(2, 0);
    p.steps[1].wait = Duration::minutes(-1);
    let e = check(&p);
    assert!(matches!(
        e,
        Error::NegativeDuration {
            field: "wait",
            step: 1,
            ..
        }
    ));
    assert_eq!(
        e.to_string(),
        "policy `p`, step 1: `wait` must not be negative"
    );
    let mut p = one_user_policy(1, 0);
    p.steps[0].between_reminders = Duration::minutes(-1);
    assert!(matches!(
        check(&p),
        Error::NegativeDuration {
            field: "between_reminders",
            ..
        }
    ));
    let mut p = one_user_policy(1, 0);
    p.steps[0].targets.push(Target::Schedule("nope".into()));
    assert!(matches!(check(&p), Error::UnknownSchedule { schedule, .. } if schedule == "nope"));
    let mut p = one_user_policy(1, 0);
    p.steps[0].targets.push(Target::Roster {
        schedule: "ops".into(),
        layer: "z".into(),
        next: 0,
    });
    assert!(matches!(check(&p), Error::UnknownRoster { layer, .. } if layer == "z"));
    // `decide` checks the policy first.
    let mut run = Run::new(Policy::new("p", vec![]), schedules(&[]));
    assert!(matches!(
        run.try_at(utc(2027, 1, 1, 0, 0), SYSTEM, Command::Trigger),
        Err(Error::NoSteps { .. })
    ));
}

#[test]
fn due_times_past_the_range_are_errors_at_decide() {
    let mut p = Policy::new(
        "p",
        vec![Step::after(
            vec![Target::User(ANN)],
            Duration::days(365 * 1000),
        )],
    );
    p.ack_timeout = Some(Duration::days(365 * 1000));
    let mut run = Run::new(p, schedules(&[]));
    let late = DateTime::<Utc>::MAX_UTC - Duration::days(1);
    let e = run.try_at(late, SYSTEM, Command::Trigger).unwrap_err();
    assert!(matches!(
        e,
        Error::TimeOverflow {
            what: "the next step",
            ..
        }
    ));
    assert_eq!(run.state.status(), Status::Idle);
}

#[test]
fn errors_quote_names_capped_and_escaped() {
    let mut s = one_layer();
    s.name = format!("{}\u{7}", "x".repeat(100_000));
    s.layers.clear();
    let text = refused(&s).to_string();
    assert!(text.len() < 300, "{}", text.len());
    assert!(text.contains("… (100001 bytes)"));
    let mut s = one_layer();
    s.layers[0].name = "bell\u{7}".into();
    s.layers[0].members.clear();
    assert!(refused(&s).to_string().contains("layer `bell\\u{7}`"));
}

#[test]
fn an_override_of_a_layer_takes_its_turns_only_while_it_is_on_call() {
    let mut nights = layer("nights", &[ANN], local(2027, 1, 4, 19, 0), Turn::Days(1));
    nights.restriction = Some(Restriction {
        week: Week::every_day(&[Segment::parse("19:00", "07:00").unwrap()]),
        holidays: Vec::new(),
    });
    let mut spec = ScheduleSpec::new("ops", vec![nights]);
    spec.overrides.push(Override {
        user: BOB,
        from: utc(2027, 1, 5, 6, 0),
        to: utc(2027, 1, 5, 12, 0),
        layer: Some("nights".into()),
    });
    let s = Schedule::new(&spec).unwrap();
    assert_eq!(who(&s, utc(2027, 1, 5, 6, 30)), vec![BOB]);
    assert!(
        who(&s, utc(2027, 1, 5, 11, 0)).is_empty(),
        "the nights layer is off by day"
    );
}

#[test]
fn a_cover_away_hands_on_to_their_own_cover_and_a_loop_is_nobody() {
    let mut spec = one_layer();
    let off = |member, cover| TimeOff {
        member,
        from: utc(2027, 1, 5, 0, 0),
        to: utc(2027, 1, 6, 0, 0),
        cover,
    };
    spec.time_off = vec![off(ANN, Some(BOB)), off(BOB, Some(CAT))];
    let s = Schedule::new(&spec).unwrap();
    let at = s.on_call(utc(2027, 1, 5, 12, 0)).unwrap();
    assert_eq!(users(&at), vec![CAT]);
    assert_eq!(at[0].via, Via::Cover { member: ANN });
    spec.time_off.push(off(CAT, Some(ANN)));
    let s = Schedule::new(&spec).unwrap();
    assert!(who(&s, utc(2027, 1, 5, 12, 0)).is_empty());
    spec.time_off[2].cover = None;
    let s = Schedule::new(&spec).unwrap();
    assert!(who(&s, utc(2027, 1, 5, 12, 0)).is_empty());
}

#[test]
fn a_conflict_across_another_layers_handover_is_one_conflict() {
    let h = local(2027, 1, 4, 9, 0);
    let spec = ScheduleSpec::new(
        "ops",
        vec![
            layer("primary", &[ANN], h, Turn::Weeks(1)),
            layer("secondary", &[ANN], h, Turn::Weeks(1)),
            layer(
                "other",
                &[BOB, CAT],
                local(2027, 1, 4, 12, 0),
                Turn::Days(1),
            ),
        ],
    );
    let s = Schedule::new(&spec).unwrap();
    let c = s
        .conflicts(utc(2027, 1, 5, 0, 0), utc(2027, 1, 7, 0, 0))
        .unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].from, c[0].to, c[0].layers.clone()),
        (utc(2027, 1, 5, 0, 0), utc(2027, 1, 7, 0, 0), vec![0, 1])
    );
}

#[cfg(feature = "tz")]
#[test]
fn the_last_instant_answers_in_a_zone_ahead_of_utc() {
    let s = berlin(Turn::Weeks(2), local(2027, 1, 4, 9, 0));
    let last = DateTime::<Utc>::MAX_UTC;
    assert_eq!(s.on_call(last).unwrap().len(), 1);
    assert_eq!(s.gaps(last - Duration::days(1), last).unwrap(), Vec::new());
}

#[test]
fn an_invalid_turn_is_quoted_with_the_limits() {
    let mut s = one_layer();
    s.layers[0].rotation.turn = Turn::Hours(0);
    assert_eq!(
        refused(&s).to_string(),
        "schedule `ops`, layer `a`: a turn of 0 hours is not allowed; give at least one hour, day or week and at most 36600 days (878400 hours, 5228 weeks)"
    );
}

/// Found by the fuzz target: the part of a second before an hourly turn starts, before the
/// first handover, belongs to the turn before (the elapsed time was cut towards zero).
#[test]
fn a_fraction_of_a_second_before_an_hourly_turn_is_the_turn_before() {
    let s = single(layer(
        "l0",
        &[ANN, BOB],
        local(2027, 3, 26, 0, 0),
        Turn::Hours(3),
    ));
    let at = utc(2027, 3, 26, 0, 0) - Duration::milliseconds(500);
    assert_eq!(who(&s, at), vec![BOB]);
    assert_eq!(
        s.turn(0, at).unwrap(),
        Some((utc(2027, 3, 25, 21, 0), utc(2027, 3, 26, 0, 0)))
    );
    assert_eq!(
        who(&s, utc(2027, 3, 26, 0, 0) - Duration::nanoseconds(1)),
        vec![BOB]
    );
    assert_eq!(who(&s, utc(2027, 3, 26, 0, 0)), vec![ANN]);
}

/// The window guard's estimate, worked out by hand from its documented parts: a turn of
/// hours counts every turn, a wall-clock day at least 23 hours, a restriction two edges per
/// segment and one crossing midnight each day, a time off or override two.
#[test]
fn a_windows_estimate_is_the_sum_of_its_parts() {
    let mut hourly = layer("hourly", &[ANN], local(2027, 1, 1, 0, 0), Turn::Hours(1));
    hourly.restriction = Some(Restriction {
        week: Week::weekdays(&[
            Segment::parse("08:00", "12:00").unwrap(),
            Segment::parse("13:00", "17:00").unwrap(),
        ]),
        holidays: Vec::new(),
    });
    let daily = layer("daily", &[BOB], local(2027, 1, 1, 0, 0), Turn::Days(1));
    let weekly = layer("weekly", &[CAT], local(2027, 1, 1, 0, 0), Turn::Weeks(2));
    let mut spec = ScheduleSpec::new("ops", vec![hourly, daily, weekly]);
    for member in [ANN, BOB] {
        spec.time_off.push(TimeOff {
            member,
            from: utc(2027, 1, 1, 0, 0),
            to: utc(2027, 1, 2, 0, 0),
            cover: None,
        });
    }
    spec.overrides.push(Override {
        user: CAT,
        from: utc(2027, 1, 1, 0, 0),
        to: utc(2027, 1, 2, 0, 0),
        layer: None,
    });
    let s = Schedule::new(&spec).unwrap();
    let from = utc(2027, 1, 1, 0, 0);
    let to = from + Duration::days(600_000);
    // 1 + 2 x 3 (two time offs, an override); hourly: 51,840,000,000 s / 3,600 + 2 turns
    // and (600,000 + 2) days x 2 x (2 x 2 + 1) edges; daily: 51,840,000,000 / 82,800 + 2
    // turns; fortnightly: 51,840,000,000 / (2 x 7 x 82,800) + 2.
    let expected = 7 + (14_400_000 + 2) + 600_002 * 10 + (626_086 + 2) + (44_720 + 2);
    assert_eq!(
        s.shifts(from, to).unwrap_err(),
        Error::WindowTooLong {
            from,
            to,
            estimate: expected,
            max: 5_000_000
        }
    );
}

#[test]
fn names_and_schedules_are_listed() {
    let spec = ScheduleSpec::new(
        "ops",
        vec![
            layer("primary", &[ANN], local(2027, 1, 1, 0, 0), Turn::Days(1)),
            layer("secondary", &[BOB], local(2027, 1, 1, 0, 0), Turn::Days(1)),
        ],
    );
    let s = Schedule::new(&spec).unwrap();
    assert_eq!(
        s.layer_names().collect::<Vec<_>>(),
        vec!["primary", "secondary"]
    );
    assert_eq!(s.layer_index("secondary"), Some(1));
    let all = schedules(&[spec, one_layer_named("b")]);
    let names: Vec<&str> = all.iter().map(Schedule::name).collect();
    assert_eq!(names, vec!["b", "ops"]);
}

fn one_layer_named(name: &str) -> ScheduleSpec {
    let mut s = one_layer();
    s.name = name.into();
    s
}

#[test]
fn the_policy_limits_are_inclusive() {
    let s = schedules(&[]);
    let mut p = one_user_policy(50, 20);
    p.repeat = 20;
    assert!(p.check(&s).is_ok());
}

/// In the repeated hour, an instant reading earlier than the handover may still follow the
/// turn's start (the first time the clock read it): the wall clock's estimate is one turn
/// short there, and the turn is found from the instants.
#[cfg(feature = "tz")]
#[test]
fn the_second_time_round_the_repeated_hour_is_already_the_new_turn() {
    let s = berlin(Turn::Days(1), local(2027, 10, 25, 2, 30));
    // 01:10 UTC reads 02:10 (CET, the second time); the turn began at 00:30 UTC.
    let at = utc(2027, 10, 31, 1, 10);
    let (start, end) = s.turn(0, at).unwrap().unwrap();
    assert_eq!(start, utc(2027, 10, 31, 0, 30));
    assert_eq!(end, utc(2027, 11, 1, 1, 30));
    // Turn 6 from the 25th (the 30th's turn, 5, was Bob's): Ann's.
    assert_eq!(who(&s, at), vec![ANN]);
}

#[test]
fn the_longest_turn_is_the_same_in_every_unit() {
    for (turn, ok) in [
        (Turn::Weeks(5_228), true),
        (Turn::Weeks(5_229), false),
        (Turn::Hours(878_400), true),
        (Turn::Hours(878_401), false),
    ] {
        let mut s = one_layer();
        s.layers[0].rotation.turn = turn;
        assert_eq!(Schedule::new(&s).is_ok(), ok, "{turn:?}");
    }
}
