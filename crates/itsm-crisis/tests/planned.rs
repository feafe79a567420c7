//! The planned timeline (`Crisis::planned`): ServiceNow's rule that planned ends follow from
//! the planned start and the planned durations along the dependencies, our choices for
//! referred plans, plan dependencies, cycles and tasks left out of time, and its errors.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;
use itsm_crisis::chrono::{DateTime, Duration, Utc};
use itsm_crisis::{
    AdHocTask, AssetSpec, Command, CrisisId, CrisisSpec, Error, Kind, PlanSpec, Policy,
    RecoveryLevel, State, TaskRef, TaskSpec, decide,
};

fn h(n: i64) -> Duration {
    Duration::hours(n)
}

fn spec(plans: Vec<PlanSpec>, activate: &[&str]) -> CrisisSpec {
    CrisisSpec::new("drill", Kind::Exercise, plans, activate.iter().copied())
}

fn span(run: &Run, plan: u32, task: u32) -> Option<(i64, i64)> {
    let planned = run.crisis().planned(at(0)).unwrap();
    planned
        .task(run.crisis(), TaskRef::new(plan, task))
        .map(|s| {
            (
                s.start.signed_duration_since(at(0)).num_minutes(),
                s.end.signed_duration_since(at(0)).num_minutes(),
            )
        })
}

/// ServiceNow, "Create Event Task form", Planned duration: "When you enter the Planned start
/// date, the Planned end date on the activated plan and on the event tasks is calculated based
/// upon the Planned duration field"; "Using nested plans": the order "is calculated
/// considering both event task and plan dependencies".
#[test]
fn planned_ends_follow_durations_along_dependencies() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![
            TaskSpec::new(1, "a").takes(h(1)),
            TaskSpec::new(2, "b").after([1]).takes(h(2)),
            TaskSpec::new(3, "c")
                .after([1])
                .takes(Duration::minutes(30)),
            TaskSpec::new(4, "d").after([2, 3]).takes(h(1)),
            TaskSpec::new(5, "note"),
        ],
    )];
    let run = Run::new(spec(plans, &["p"]));
    assert_eq!(span(&run, 0, 1), Some((0, 60)));
    assert_eq!(span(&run, 0, 2), Some((60, 180)));
    assert_eq!(span(&run, 0, 3), Some((60, 90)));
    assert_eq!(span(&run, 0, 4), Some((180, 240)));
    assert_eq!(
        span(&run, 0, 5),
        Some((0, 0)),
        "no duration: no time of its own"
    );
    let planned = run.crisis().planned(at(0)).unwrap();
    assert_eq!(planned.plans[0].unwrap().end, at(4));
}

/// A referring task starts its plan and ends with it, or after its own duration if later;
/// the tasks after it wait; a plan waiting for another starts when that one ends; a task
/// left out of time does not stretch its plan.
#[test]
fn referred_plans_plan_dependencies_and_excluded_tasks() {
    let plans = vec![
        PlanSpec::new(
            "main",
            vec![
                TaskSpec::new(1, "assess").takes(h(1)),
                TaskSpec::new(2, "restore")
                    .after([1])
                    .refers("db")
                    .takes(Duration::minutes(30)),
                TaskSpec::new(3, "verify").after([2]).takes(h(1)),
                TaskSpec::new(4, "write it up")
                    .after([3])
                    .takes(h(5))
                    .excluded_from_time(),
            ],
        )
        .related("comms"),
        PlanSpec::new(
            "db",
            vec![
                TaskSpec::new(1, "promote").takes(h(2)),
                TaskSpec::new(2, "check").after([1]).takes(h(1)),
            ],
        ),
        PlanSpec::new("comms", vec![TaskSpec::new(1, "notice").takes(h(1))]).after("main"),
    ];
    let run = Run::new(spec(plans, &["main"]));
    // Plans: 0 main, 1 comms (related), 2 db (child of task 2).
    assert_eq!(span(&run, 2, 1), Some((60, 180)));
    assert_eq!(span(&run, 2, 2), Some((180, 240)));
    assert_eq!(span(&run, 0, 2), Some((60, 240)));
    assert_eq!(span(&run, 0, 3), Some((240, 300)));
    assert_eq!(span(&run, 0, 4), Some((300, 600)));
    let planned = run.crisis().planned(at(0)).unwrap();
    assert_eq!(
        planned.plans[0].unwrap().end,
        at(5),
        "the write-up is left out"
    );
    assert_eq!(
        span(&run, 1, 1),
        Some((300, 360)),
        "comms waits for main's end"
    );
    // A referred plan longer than nothing, a task longer than its plan.
    let plans = vec![
        PlanSpec::new(
            "main",
            vec![TaskSpec::new(1, "restore").refers("db").takes(h(3))],
        ),
        PlanSpec::new("db", vec![TaskSpec::new(1, "promote").takes(h(2))]),
    ];
    let run = Run::new(spec(plans, &["main"]));
    assert_eq!(span(&run, 0, 1), Some((0, 180)));
}

/// Tasks on or after a circular dependency, plans waiting on a cycle of plans and the
/// referring task whose plan never ends have no span; an asset one of them recovers has no
/// planned recovery.
#[test]
fn what_never_starts_or_ends_has_no_span() {
    let plans = vec![
        PlanSpec::new(
            "main",
            vec![
                TaskSpec::new(1, "a").after([2]).takes(h(1)),
                TaskSpec::new(2, "b")
                    .after([1])
                    .takes(h(1))
                    .asset("both", RecoveryLevel::None),
                TaskSpec::new(3, "c")
                    .after([2])
                    .asset("shop", RecoveryLevel::Recovered),
                TaskSpec::new(4, "d")
                    .takes(h(1))
                    .asset("mail", RecoveryLevel::None)
                    .asset("both", RecoveryLevel::None),
                TaskSpec::new(5, "e").refers("looped"),
            ],
        )
        .related("x")
        .related("y"),
        PlanSpec::new(
            "looped",
            vec![
                TaskSpec::new(1, "f").after([2]),
                TaskSpec::new(2, "g").after([1]),
            ],
        ),
        PlanSpec::new("x", vec![TaskSpec::new(1, "h")]).after("y"),
        PlanSpec::new("y", vec![TaskSpec::new(1, "i")]).after("x"),
    ];
    let run = Run::new(spec(plans, &["main"]));
    for task in [1, 2, 3, 5] {
        assert_eq!(span(&run, 0, task), None, "task {task}");
    }
    assert_eq!(span(&run, 0, 4), Some((0, 60)));
    let planned = run.crisis().planned(at(0)).unwrap();
    assert_eq!(planned.plans[0], None, "main never ends");
    assert_eq!((planned.plans[1], planned.plans[2]), (None, None));
    assert_eq!(planned.plans[3], None, "looped starts but never ends");
    let assets: Vec<_> = planned
        .assets
        .iter()
        .map(|a| (a.name.as_str(), a.back))
        .collect();
    // `both`: one of its tasks scheduled, the other on the cycle: no planned recovery.
    assert_eq!(
        assets,
        [("both", None), ("mail", Some(at(1))), ("shop", None)]
    );
}

/// Each asset's planned recovery against its RTO: the latest planned end of its tasks at
/// the recovered level, or of every task tagged with it.
#[test]
fn planned_recovery_against_the_rto() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![
            TaskSpec::new(1, "core")
                .takes(h(1))
                .asset("db", RecoveryLevel::PartiallyRecovered),
            TaskSpec::new(2, "full")
                .after([1])
                .takes(h(2))
                .asset("db", RecoveryLevel::Recovered),
            TaskSpec::new(3, "tune")
                .after([2])
                .takes(h(9))
                .asset("db", RecoveryLevel::None),
            TaskSpec::new(4, "web")
                .takes(h(5))
                .asset("web", RecoveryLevel::None),
        ],
    )];
    let s = spec(plans, &["p"])
        .asset(AssetSpec::new("db", Some(h(4))))
        .asset(AssetSpec::new("web", Some(h(4))));
    let run = Run::new(s);
    let planned = run.crisis().planned(at(0)).unwrap();
    assert_eq!(
        (planned.assets[0].back, planned.assets[0].within_rto),
        (Some(at(3)), Some(true))
    );
    assert_eq!(
        (planned.assets[1].back, planned.assets[1].within_rto),
        (Some(at(5)), Some(false))
    );
}

#[test]
fn planned_errors() {
    let run = Run::new(spec(
        vec![PlanSpec::new("p", vec![TaskSpec::new(1, "a").takes(h(2))])],
        &["p"],
    ));
    let e = run
        .crisis()
        .planned(DateTime::<Utc>::MAX_UTC - h(1))
        .unwrap_err();
    assert_eq!(
        e,
        Error::PlannedOutOfRange {
            task: TaskRef::new(0, 1)
        }
    );
    assert_eq!(
        e.to_string(),
        "task 1 of plan 0 would be planned to end past the representable dates (year 262142); give a planned start or durations inside them"
    );
    let pm = program_manager();
    let policy = Policy::servicenow();
    let ctx = itsm_crisis::Context::new(at(0), &pm, &policy);
    let bad = spec(
        vec![PlanSpec::new("p", vec![TaskSpec::new(1, "a").takes(-h(1))])],
        &["p"],
    );
    let e = decide(
        &State::new(),
        &Command::create(CrisisId::from_u128(1), bad),
        &ctx,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "task 1 of plan `p` is planned to take -PT1H; give zero or more"
    );
    let mut run = Run::new(spec(vec![PlanSpec::new("p", vec![])], &["p"]));
    let mut task = AdHocTask::new("call");
    task.duration = Some(-h(2));
    assert_eq!(
        run.err(&program_manager(), Command::AddTask { plan: 0, task })
            .to_string(),
        "the ad-hoc task `call` is planned to take -PT2H; give zero or more"
    );
}

/// The forecast (ours): done tasks at their actual times, a task in progress to its planned
/// end or now, the rest planned from now; before anything happens it is the plan.
#[test]
fn the_forecast_follows_where_the_event_stands() {
    let plans = vec![
        PlanSpec::new(
            "main",
            vec![
                TaskSpec::new(1, "assess").takes(h(1)),
                TaskSpec::new(2, "restore").after([1]).refers("db"),
                TaskSpec::new(3, "verify")
                    .after([2])
                    .takes(h(1))
                    .asset("shop", RecoveryLevel::Recovered),
            ],
        ),
        PlanSpec::new("db", vec![TaskSpec::new(1, "promote").takes(h(2))]),
    ];
    let s = spec(plans, &["main"]).asset(AssetSpec::new("shop", Some(h(5))));
    let mut run = Run::new(s);
    // Not started: the forecast from now is the plan from now.
    assert_eq!(
        run.crisis().forecast(at(0)).unwrap(),
        run.crisis().planned(at(0)).unwrap()
    );
    let planned = run.crisis().planned(at(0)).unwrap();
    assert_eq!(
        (planned.assets[0].back, planned.assets[0].within_rto),
        (Some(at(4)), Some(true))
    );
    run.pm(Command::Start);
    // Assessing takes three hours instead of one.
    run.pm(Command::Work {
        task: TaskRef::new(0, 1),
        started: None,
    });
    run.hour = 2;
    let forecast = run.crisis().forecast(at(2)).unwrap();
    assert_eq!(
        forecast.task(run.crisis(), TaskRef::new(0, 1)).unwrap().end,
        at(2),
        "overdue: now"
    );
    run.hour = 3;
    run.pm(Command::Close {
        task: TaskRef::new(0, 1),
        closing: itsm_crisis::Closing::Complete,
        ended: None,
    });
    let forecast = run.crisis().forecast(at(3)).unwrap();
    assert_eq!(span_of(&run, &forecast, 0, 1), Some((at(0), at(3))));
    assert_eq!(span_of(&run, &forecast, 1, 1), Some((at(3), at(5))));
    assert_eq!(span_of(&run, &forecast, 0, 3), Some((at(5), at(6))));
    assert_eq!(
        (forecast.assets[0].back, forecast.assets[0].within_rto),
        (Some(at(6)), Some(false))
    );
    // The promotion fails at hour 4: it runs again from now.
    let promote = TaskRef::new(1, 1);
    run.hour = 4;
    run.pm(Command::Work {
        task: promote,
        started: Some(at(3)),
    });
    run.pm(Command::Close {
        task: promote,
        closing: itsm_crisis::Closing::Failed,
        ended: None,
    });
    let forecast = run.crisis().forecast(at(4)).unwrap();
    assert_eq!(span_of(&run, &forecast, 1, 1), Some((at(4), at(6))));
    assert_eq!(span_of(&run, &forecast, 0, 3), Some((at(6), at(7))));
    // Done: every span is what happened; the referring task ended with its plan.
    run.pm(Command::Retrigger { task: promote });
    run.pm(Command::Work {
        task: promote,
        started: None,
    });
    run.hour = 5;
    run.pm(Command::Close {
        task: promote,
        closing: itsm_crisis::Closing::Complete,
        ended: None,
    });
    run.complete(0, 3);
    // The plan is what was planned, whatever happened.
    assert_eq!(run.crisis().planned(at(0)).unwrap(), planned);
    let forecast = run.crisis().forecast(at(9)).unwrap();
    assert_eq!(
        span_of(&run, &forecast, 0, 2),
        Some((at(5), at(5))),
        "closed from open at hour 5"
    );
    assert_eq!(span_of(&run, &forecast, 0, 3), Some((at(5), at(6))));
    assert_eq!(forecast.plans[0].unwrap().end, at(6));
    assert_eq!(
        (forecast.assets[0].back, forecast.assets[0].within_rto),
        (Some(at(6)), Some(false))
    );
}

fn span_of(
    run: &Run,
    f: &itsm_crisis::Planned,
    p: u32,
    t: u32,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    f.task(run.crisis(), TaskRef::new(p, t))
        .map(|s| (s.start, s.end))
}
