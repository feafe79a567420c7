//! Edges the mutation run showed untested (docs/mutants.md) and the fuzz target's findings
//! (their inputs are in `fuzz/corpus/release/regression-*`), one test each.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;
use itsm_release::{
    CheckStatus, Command, Event, Factors, Holiday, PhaseSpec, PhaseStatus, Plan, Policy, Process,
    ReleaseId, State, TaskStatus, decide, next_deadline, risk,
};

fn stage(phases: Vec<PhaseSpec>) -> Plan {
    Plan::new("r", Process::Stage, phases)
}

#[test]
fn mapping_a_check_refuses_only_its_own_name() {
    let mut run = started(
        stage(vec![PhaseSpec::new("a").task(task("x")).check("scan")]),
        Policy::servicenow(),
    );
    run.ok(
        &admin(),
        at(3, 2, 9),
        Command::MapCheck {
            phase: 0,
            check: "lint".into(),
        },
    );
    assert_eq!(
        run.err(
            &admin(),
            at(3, 2, 9),
            Command::MapCheck {
                phase: 0,
                check: "scan".into()
            }
        ),
        "phase `a` already has check `scan`; a check is mapped to a phase once"
    );
}

#[test]
fn unmapping_reruns_only_after_a_run_on_the_phase_in_progress_with_checks_left() {
    let phases = || {
        stage(vec![
            PhaseSpec::new("a")
                .task(task("x"))
                .check("scan")
                .check("lint"),
            PhaseSpec::new("b")
                .task(task("y"))
                .check("smoke")
                .check("load"),
        ])
    };
    let unmap = |phase: usize, check: &str| Command::UnmapCheck {
        phase,
        check: check.into(),
    };
    // Not run: nothing reruns.
    let mut run = started(phases(), Policy::servicenow());
    assert_eq!(run.ok(&admin(), at(3, 2, 9), unmap(0, "scan")).len(), 1);
    // Run, on a pending phase: nothing reruns (its checks cannot have run; none is asked).
    let mut run = started(phases(), Policy::servicenow());
    assert_eq!(run.ok(&admin(), at(3, 2, 9), unmap(1, "smoke")).len(), 1);
    // Run, but the last check: nothing is left to rerun.
    let mut run = started(phases(), Policy::servicenow());
    run.ok(&admin(), at(3, 2, 9), Command::RunChecks);
    run.ok(&admin(), at(3, 2, 10), unmap(0, "lint"));
    run.ok(
        &admin(),
        at(3, 2, 10),
        Command::RecordCheck {
            check: "scan".into(),
            compliant: false,
        },
    );
    assert_eq!(run.ok(&admin(), at(3, 2, 11), unmap(0, "scan")).len(), 1);
}

#[test]
fn an_exception_covers_its_own_check_from_its_start_until_before_its_end() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("a")
                .task(task("x"))
                .check("scan")
                .check("lint"),
        ]),
        Policy::servicenow(),
    );
    run.ok(
        &admin(),
        at(3, 2, 9),
        Command::GrantException {
            check: "scan".into(),
            from: at(3, 2, 12),
            to: at(3, 2, 14),
            justification: "accepted".into(),
        },
    );
    let record = |check: &str| Command::RecordCheck {
        check: check.into(),
        compliant: false,
    };
    let status = |run: &Run, i: usize| run.phase(0).checks()[i].status();
    run.ok(&admin(), at(3, 2, 11), record("scan"));
    assert_eq!(
        status(&run, 0),
        CheckStatus::NonCompliant,
        "before it starts"
    );
    run.ok(&admin(), at(3, 2, 12), record("scan"));
    assert_eq!(
        status(&run, 0),
        CheckStatus::CompliantWithException,
        "at its start"
    );
    run.ok(&admin(), at(3, 2, 13), record("lint"));
    assert_eq!(status(&run, 1), CheckStatus::NonCompliant, "another check");
    run.ok(&admin(), at(3, 2, 14), record("scan"));
    assert_eq!(status(&run, 0), CheckStatus::NonCompliant, "at its end");
}

#[test]
fn a_retarget_to_today_is_allowed() {
    let mut run = started(
        stage(vec![PhaseSpec::new("a").task(task("x"))]),
        Policy::servicenow(),
    );
    run.ok(
        &admin(),
        at(3, 2, 9),
        Command::Retarget {
            readiness: day(3, 2),
        },
    );
    assert_eq!(run.release().readiness(), Some(day(3, 2)));
}

#[test]
fn a_retarget_checks_only_the_dates_it_moves() {
    // A closed task due a year and a fortnight before chrono's end stays where it is, so a
    // retarget by 400 days is not refused for it.
    let late = chrono::NaiveDate::MAX - chrono::Duration::days(380);
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a")
                .dates(day(3, 8), day(3, 12))
                .task(task("x").due(late))
                .task(task("y")),
        ],
    )
    .with_readiness(day(3, 20));
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    let mut run = started(plan, policy);
    run.ok(&admin(), at(3, 8, 1), Command::Tick);
    run.ok(&engineer(), at(3, 8, 2), close(0, 0));
    run.ok(
        &admin(),
        at(3, 8, 3),
        Command::Retarget {
            readiness: day(3, 20) + chrono::Duration::days(400),
        },
    );
    assert_eq!(run.phase(0).tasks()[0].due(), Some(late));
    assert_eq!(
        run.phase(0).end(),
        Some(day(3, 12) + chrono::Duration::days(400))
    );
}

#[test]
fn cancel_keeps_closed_tasks_closed_and_restart_dates_the_phase_it_restarts() {
    let mut run = started(
        stage(vec![PhaseSpec::new("a").task(task("x")).task(task("y"))]),
        Policy::servicenow(),
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    run.ok(
        &admin(),
        at(3, 2, 10),
        Command::Cancel {
            reason: "dropped".into(),
        },
    );
    let t = run.phase(0).tasks();
    assert_eq!(
        (t[0].status(), t[1].status()),
        (TaskStatus::ClosedComplete, TaskStatus::Canceled)
    );

    let mut run = started(
        stage(vec![
            PhaseSpec::new("a").task(task("x")),
            PhaseSpec::new("b").task(task("y")),
        ]),
        Policy::servicenow(),
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    assert_eq!(run.phase(1).started_at(), Some(at(3, 2, 9)));
    run.ok(&admin(), at(3, 3, 9), Command::Restart { phase: 0 });
    assert_eq!(run.phase(0).started_at(), Some(at(3, 3, 9)));
    assert_eq!(
        run.phase(1).started_at(),
        Some(at(3, 2, 9)),
        "a reset phase keeps its last start"
    );
}

#[test]
fn a_date_a_holiday_sends_back_where_it_was_is_not_announced_again() {
    // Due on the 10th, announced; a retarget by a day lands on the 11th, a holiday, and
    // goes back to the 10th: not moved, not announced again.
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a")
                .dates(day(3, 8), day(3, 12))
                .task(task("x").due(day(3, 10))),
        ],
    )
    .with_readiness(day(3, 20))
    .with_holidays(vec![Holiday::date(day(3, 11))]);
    let mut run = started(plan, Policy::servicenow());
    let events = run.ok(&admin(), at(3, 8, 1), Command::Tick);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::TaskDueSoon { .. }))
    );
    let events = run.ok(
        &admin(),
        at(3, 8, 2),
        Command::Retarget {
            readiness: day(3, 21),
        },
    );
    assert_eq!(events.len(), 1, "only the retarget: {events:?}");
    assert_eq!(run.phase(0).tasks()[0].due(), Some(day(3, 10)));
    assert!(run.ok(&admin(), at(3, 8, 3), Command::Tick).is_empty());
}

#[test]
fn a_date_moved_to_end_exactly_at_the_retarget_is_not_ahead() {
    // The phase ended on the 9th unfinished and was announced. Retargeted a day later at
    // midnight after the 10th, its end moves to the 10th, which ends at that very instant:
    // not ahead, not announced again.
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a")
                .dates(day(3, 8), day(3, 9))
                .task(task("x")),
        ],
    )
    .with_readiness(day(3, 20));
    let mut run = started(plan, Policy::servicenow());
    let events = run.ok(&admin(), at(3, 10, 1), Command::Tick);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::PhaseEndReached { .. }))
    );
    let events = run.ok(
        &admin(),
        at(3, 11, 0),
        Command::Retarget {
            readiness: day(3, 21),
        },
    );
    assert_eq!(run.phase(0).end(), Some(day(3, 10)));
    assert_eq!(events.len(), 1, "{events:?}");
}

#[test]
fn next_deadline_skips_an_item_held_by_the_main_release() {
    // An included timeline release whose first phase is done at its end date while the
    // main release is still at phase 0... of a later phase: held, so no deadline in the past.
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a").dates(day(3, 8), day(3, 9)),
            PhaseSpec::new("b").dates(day(3, 10), day(3, 11)),
        ],
    );
    let mut run = started(plan, Policy::servicenow());
    run.main = Some(0);
    run.ok(&admin(), at(3, 12, 0), Command::Tick);
    assert_eq!(
        run.phase(1).status(),
        PhaseStatus::InProgress,
        "held by the main release"
    );
    // An event exactly at the held end instant (the end of the 11th).
    run.ok(
        &admin(),
        at(3, 12, 0),
        Command::GrantException {
            check: "c".into(),
            from: at(3, 12, 0),
            to: at(3, 13, 0),
            justification: "x".into(),
        },
    );
    assert_eq!(next_deadline(&run.state, &run.policy), None);
}

#[test]
fn the_lifecycle_loops_only_on_commands_that_keep_the_status() {
    let l = itsm_release::lifecycle();
    let loops: Vec<_> = l.transitions().iter().filter(|t| t.from == t.to).collect();
    assert!(
        loops
            .iter()
            .any(|t| t.from == "in_progress" && t.command == "close_task")
    );
    for t in loops {
        assert!(
            !["start", "begin_review", "complete", "cancel"].contains(&t.command.as_str()),
            "{t:?}"
        );
    }
}

#[test]
fn each_notice_is_sent_once_and_a_tick_before_create_does_nothing() {
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a")
                .dates(day(3, 8), day(3, 12))
                .task(task("x").due(day(3, 10)))
                .task(task("y").due(day(3, 11))),
        ],
    );
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    let mut run = started(plan, policy);
    let events = run.ok(&admin(), at(3, 9, 12), Command::Tick);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::TaskDueSoon { .. }))
            .count(),
        2
    );
    let events = run.ok(&engineer(), at(3, 9, 13), close(0, 0));
    assert_eq!(events.len(), 1, "only the closing: {events:?}");
    assert!(
        run.ok(&admin(), at(3, 9, 14), Command::Tick).is_empty(),
        "nothing sent twice"
    );

    let policy = Policy::servicenow();
    let admin = admin();
    let ctx = itsm_release::Context::new(at(3, 1, 9), &admin, &policy);
    assert_eq!(decide(&State::new(), &Command::Tick, &ctx), Ok(Vec::new()));
}

#[test]
fn processes_have_names() {
    assert_eq!(
        (Process::Timeline.name(), Process::Stage.name()),
        ("timeline", "stage")
    );
}

// Found by the fuzz target (its inputs are in fuzz/corpus/release/regression-*).

#[test]
fn phases_keep_their_order_across_a_phase_without_dates() {
    let plan = stage(vec![
        PhaseSpec::new("build").dates(day(6, 19), day(6, 20)),
        PhaseSpec::new("test"),
        PhaseSpec::new("deploy").dates(day(6, 14), day(6, 15)),
    ]);
    assert_eq!(
        plan_err(plan),
        "phase `deploy` starts on 2027-06-14, before phase `build` listed before it (2027-06-19); list phases in the order they run"
    );
}

#[test]
fn an_unknown_check_message_lists_five_checks() {
    let mut phase = PhaseSpec::new("a").task(task("x"));
    phase.checks = (0..40).map(|i| format!("c{i}")).collect();
    let mut run = started(stage(vec![phase]), Policy::servicenow());
    assert_eq!(
        run.err(
            &admin(),
            at(3, 2, 9),
            Command::RecordCheck {
                check: "sast".into(),
                compliant: true
            }
        ),
        "phase `a` has no check `sast`; its checks: `c0`, `c1`, `c2`, `c3`, `c4` and 35 more"
    );
}

#[test]
fn notices_at_one_instant_come_tasks_then_the_phase_end() {
    // Started late: the phase starts at once, and its task's notice and its end, both past,
    // fall due at that instant.
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a")
                .dates(day(3, 8), day(3, 9))
                .task(task("x").due(day(3, 9))),
        ],
    );
    let mut run = Run::new(plan, Policy::servicenow(), at(3, 1, 9));
    let events = run.ok(&admin(), at(3, 20, 0), Command::Start);
    assert_eq!(
        kinds(&events),
        [
            "Started",
            "PhaseStarted",
            "TasksOpened",
            "TaskDueSoon",
            "PhaseEndReached"
        ]
    );
    assert!(events.iter().all(|e| e.at() == at(3, 20, 0)));
}

#[test]
fn key_dates_keep_a_year_from_either_end_of_chronos_range() {
    let late = chrono::NaiveDate::MAX - chrono::Duration::days(2);
    assert_eq!(
        plan_err(stage(vec![PhaseSpec::new("a")]).with_readiness(late)),
        "date +262142-12-29 is out of range; key dates must be at least a year inside chrono's range (years -262143 to 262142)"
    );
}

#[test]
fn plan_dates_at_their_edges() {
    // A timeline phase needs both dates.
    let mut phase = PhaseSpec::new("a");
    phase.start = Some(day(3, 8));
    assert_eq!(
        plan_err(Plan::new("r", Process::Timeline, vec![phase])),
        "phase `a` has no planned start or end date; a timeline release needs both on every phase"
    );
    // Two phases may start on the same date, and today is not in the past.
    let policy = Policy::servicenow();
    let admin = admin();
    let ctx = itsm_release::Context::new(at(3, 8, 9), &admin, &policy);
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a")
                .dates(day(3, 8), day(3, 8))
                .task(task("x").due(day(3, 8))),
            PhaseSpec::new("b").dates(day(3, 8), day(3, 9)),
        ],
    )
    .with_readiness(day(3, 8));
    assert!(
        decide(
            &State::new(),
            &Command::create(ReleaseId::from_u128(1), plan),
            &ctx
        )
        .is_ok()
    );
}

#[test]
fn timeline_risk_weights_multiply_their_scores() {
    // No tasks; the one check failed (score 2); weights 20 / 80; the last day: 2 x 80 / 100
    // = 1.6 -> 2.
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a")
                .dates(day(3, 8), day(3, 12))
                .check("scan"),
        ],
    );
    let mut policy = Policy::servicenow();
    policy.risk_weights = itsm_release::RiskWeights {
        overdue: 20,
        check_failure: 80,
    };
    let mut run = started(plan, policy);
    run.ok(&admin(), at(3, 8, 1), Command::RunChecks);
    run.ok(
        &admin(),
        at(3, 8, 2),
        Command::RecordCheck {
            check: "scan".into(),
            compliant: false,
        },
    );
    let r = risk(&run.state, at(3, 12, 12), &run.policy);
    assert!(matches!(
        r.factors,
        Factors::Timeline {
            failure_score: 2,
            elapsed_days: 4,
            total_days: 4,
            ..
        }
    ));
    assert_eq!(r.score, 2);
}

#[test]
fn stage_time_pressure_once_the_date_passed_counts_every_run() {
    // 10 tasks, 2 closed (work 0.8 x 0.3 = 0.24); two finished runs, both passing; the
    // readiness target three days past (time 1 x 0.2): 44.
    let mut build = PhaseSpec::new("build").check("c0").check("c1");
    for i in 0..10 {
        build = build.task(task(&format!("t{i}")));
    }
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    policy.allow_past_dates = true;
    let plan = stage(vec![build, PhaseSpec::new("deploy")]).with_readiness(day(3, 7));
    let mut run = started(plan, policy);
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    run.ok(&engineer(), at(3, 2, 9), close(0, 1));
    run.ok(&admin(), at(3, 2, 10), Command::RunChecks);
    run.ok(
        &admin(),
        at(3, 2, 11),
        Command::RecordCheck {
            check: "c0".into(),
            compliant: true,
        },
    );
    run.ok(
        &admin(),
        at(3, 2, 11),
        Command::RecordCheck {
            check: "c1".into(),
            compliant: true,
        },
    );
    let r = risk(&run.state, at(3, 10, 12), &run.policy);
    assert!(matches!(
        r.factors,
        Factors::Stage {
            runs: 2,
            days_remaining: Some(-3),
            ..
        }
    ));
    assert_eq!(r.score, 44);
}
