//! The improvement register: its rules as given/when/then, the progress arithmetic, replay
//! and JSON.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_core::UserId;
use itsm_metrics::{
    Command, Context, Error, Event, InitiativeId, InitiativeStatus, Measure, State, TRANSITIONS,
    Value, decide, evolve, progress,
};

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(h)
}

fn ctx(h: i64) -> Context {
    Context::new(at(h), UserId::from_u128(1))
}

fn propose() -> Command {
    Command::Propose {
        id: InitiativeId::from_u128(7),
        title: "Fewer reopens".into(),
        measure: Measure::ReopenRate,
        baseline: Value::Rate(0.08),
        target: Value::Rate(0.04),
    }
}

/// Runs `given` commands (each must pass) at hours 0, 1, ..., then `when`.
fn check(given: &[Command], when: Command) -> Result<Vec<Event>, Error> {
    let mut state = State::new();
    for (h, c) in given.iter().enumerate() {
        let events = decide(&state, c, &ctx(h as i64)).unwrap();
        state.apply(&events);
    }
    decide(&state, &when, &ctx(given.len() as i64))
}

fn record(r: f64) -> Command {
    Command::Record {
        value: Value::Rate(r),
    }
}

#[test]
fn the_lifecycle_runs_in_order() {
    let given = [propose(), Command::Approve, Command::Start, record(0.03)];
    assert!(matches!(
        check(&given, Command::Achieve).unwrap()[..],
        [Event::Achieved { .. }]
    ));
    assert!(matches!(
        check(
            &given[..1],
            Command::Abandon {
                reason: "no budget".into()
            }
        )
        .unwrap()[..],
        [Event::Abandoned { .. }]
    ));
}

#[test]
fn refusals_say_what_is_allowed() {
    assert_eq!(check(&[], Command::Approve), Err(Error::NotProposed));
    let e = check(&[propose()], Command::Start).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot start an initiative that is proposed; allowed when approved"
    );
    let e = check(
        &[propose(), Command::Approve, Command::Start, record(0.06)],
        Command::Achieve,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the target is not reached: reopen_rate went from 0.0800 (baseline) to 0.0600; the target is 0.0400: 50% of the way; record a measurement that reaches it"
    );
    let e = check(
        &[propose(), Command::Approve, Command::Start],
        Command::Achieve,
    )
    .unwrap_err();
    assert!(matches!(e, Error::TargetNotReached { .. }));
    let done = [
        propose(),
        Command::Approve,
        Command::Start,
        record(0.04),
        Command::Achieve,
    ];
    let e = check(&done, Command::Abandon { reason: "x".into() }).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot abandon an initiative that is achieved; allowed when proposed or approved or in_progress"
    );
    assert!(matches!(
        check(&[propose()], propose()),
        Err(Error::AlreadyProposed { .. })
    ));
    let e = check(
        &[propose(), Command::Approve, Command::Start],
        Command::Record {
            value: Value::Time(Duration::hours(1)),
        },
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "reopen_rate is a rate, but a time was given");
    let e = check(&[propose(), Command::Approve, Command::Start], record(1.5)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "1.5000 is not a valid rate; a rate is a number from 0 to 1"
    );
}

#[test]
fn proposals_are_checked() {
    let bad = |title: &str, baseline, target| Command::Propose {
        id: InitiativeId::from_u128(1),
        title: title.into(),
        measure: Measure::MeanTimeToResolve,
        baseline,
        target,
    };
    let h = |n| Value::Time(Duration::hours(n));
    assert_eq!(check(&[], bad(" ", h(2), h(1))), Err(Error::EmptyTitle));
    assert_eq!(
        check(&[], bad("t", h(2), h(2))),
        Err(Error::TargetIsBaseline {
            value: "PT2H".into()
        })
    );
    assert!(matches!(
        check(&[], bad("t", Value::Rate(0.1), h(1))),
        Err(Error::MismatchedValue { .. })
    ));
    assert!(matches!(
        check(&[], bad("t", h(-1), h(1))),
        Err(Error::InvalidValue { .. })
    ));
    assert!(matches!(
        check(&[], bad("t", Value::Rate(f64::NAN), h(1))),
        Err(Error::MismatchedValue { .. })
    ));
}

#[test]
fn the_clock_may_not_go_backwards() {
    let mut state = State::new();
    state.apply(&decide(&state, &propose(), &ctx(5)).unwrap());
    assert_eq!(
        decide(&state, &Command::Approve, &ctx(4)),
        Err(Error::ClockWentBackwards {
            now: at(4),
            last: at(5)
        })
    );
}

#[test]
fn every_status_allows_exactly_what_the_table_says() {
    let given: [&[Command]; 5] = [
        &[propose()],
        &[propose(), Command::Approve],
        &[propose(), Command::Approve, Command::Start],
        &[
            propose(),
            Command::Approve,
            Command::Start,
            record(0.01),
            Command::Achieve,
        ],
        &[propose(), Command::Abandon { reason: "r".into() }],
    ];
    let statuses = [
        InitiativeStatus::Proposed,
        InitiativeStatus::Approved,
        InitiativeStatus::InProgress,
        InitiativeStatus::Achieved,
        InitiativeStatus::Abandoned,
    ];
    for (given, status) in given.iter().zip(statuses) {
        for row in TRANSITIONS {
            let command = match row.command {
                "approve" => Command::Approve,
                "start" => Command::Start,
                "record" => record(0.02),
                "achieve" => Command::Achieve,
                _ => Command::Abandon { reason: "r".into() },
            };
            let mut all = given.to_vec();
            if row.command == "achieve" && status == InitiativeStatus::InProgress {
                all.push(record(0.02));
            }
            let result = check(&all, command);
            assert_eq!(
                result.is_ok(),
                row.from.contains(&status),
                "{} in {status}: {result:?}",
                row.command
            );
            if let (Ok(events), Some(to)) = (&result, row.to) {
                let mut state = State::new();
                for (h, c) in all.iter().enumerate() {
                    state.apply(&decide(&state, c, &ctx(h as i64)).unwrap());
                }
                state.apply(events);
                assert_eq!(state.initiative().unwrap().status(), to);
            }
        }
    }
}

#[test]
fn progress_is_clamped_and_works_both_ways() {
    let h = |n| Value::Time(Duration::hours(n));
    let p = progress(Measure::MeanTimeToResolve, h(10), h(6), h(2)).unwrap();
    assert_eq!((p.fraction, p.raw), (1.0, 2.0));
    assert!(
        p.explanation
            .ends_with("100% of the way (past the target: counted as 100%)"),
        "{}",
        p.explanation
    );
    let p = progress(
        Measure::FirstContactResolution,
        Value::Rate(0.5),
        Value::Rate(0.7),
        Value::Rate(0.6),
    )
    .unwrap();
    assert!((p.fraction - 0.5).abs() < 1e-9);
    let p = progress(
        Measure::FirstContactResolution,
        Value::Rate(0.5),
        Value::Rate(0.7),
        Value::Rate(0.4),
    )
    .unwrap();
    assert_eq!(p.fraction, 0.0);
    assert!(
        p.explanation
            .ends_with("(away from the target: counted as 0%)")
    );
}

#[test]
fn folding_the_events_reproduces_the_state_and_stray_events_change_nothing() {
    let commands = [
        propose(),
        Command::Approve,
        Command::Start,
        record(0.06),
        record(0.03),
    ];
    let mut state = State::new();
    let mut log = Vec::new();
    for (h, c) in commands.iter().enumerate() {
        let events = decide(&state, c, &ctx(h as i64)).unwrap();
        state.apply(&events);
        log.extend(events);
    }
    let replayed = log.iter().fold(State::new(), evolve);
    assert_eq!(replayed, state);
    let i = state.initiative().unwrap();
    assert_eq!(i.latest().unwrap().value, Value::Rate(0.03));
    assert_eq!(i.updated_at(), at(4));
    assert_eq!(evolve(State::new(), &log[1]), State::new());
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&log).unwrap();
        assert!(
            json.contains(r#""type":"recorded""#) && json.contains(r#""value":{"rate":0.06}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Vec<Event>>(&json).unwrap(), log);
        let sj = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<State>(&sj).unwrap(), state);
        let cj = serde_json::to_string(&commands[..]).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Command>>(&cj).unwrap(), commands);
        let t = serde_json::to_string(&Value::Time(Duration::minutes(90))).unwrap();
        assert_eq!(t, r#"{"time":"PT1H30M"}"#);
    }
}
