//! Conformance of the risk scores: one test per rule of ServiceNow's
//! `dpr-risk-score-release.md` (Digital Product Release; read from the ServiceNowDocs mirror).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use chrono::{Datelike, Duration};
use common::*;
use itsm_release::{Command, Factors, PhaseSpec, Plan, Policy, Process, RiskLevel, risk};

/// Two timeline phases in March 2027: build 8-12, deploy 15-19.
fn timeline(build: PhaseSpec, deploy: PhaseSpec) -> Plan {
    Plan::new(
        "payments 4.2",
        Process::Timeline,
        vec![
            build.dates(day(3, 8), day(3, 12)),
            deploy.dates(day(3, 15), day(3, 19)),
        ],
    )
}

fn stage(phases: Vec<PhaseSpec>) -> Plan {
    Plan::new("payments 4.2", Process::Stage, phases)
}

/// A timeline release in its build phase (8-12 March; deploy 15-19) with `tasks` tasks due
/// on the 9th of which `closed` are closed, and `checks` checks of which `failed` failed.
fn timeline_risk_case(tasks: usize, closed: usize, checks: usize, failed: usize) -> Run {
    let mut build = PhaseSpec::new("build");
    for i in 0..tasks {
        build = build.task(task(&format!("t{i}")).due(day(3, 9)));
    }
    for i in 0..checks {
        build = build.check(format!("c{i}"));
    }
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    let mut run = started(timeline(build, PhaseSpec::new("deploy")), policy);
    run.ok(&admin(), at(3, 8, 0), Command::Tick);
    for i in 0..closed {
        run.ok(&engineer(), at(3, 8, 1), close(0, i));
    }
    if checks > 0 {
        run.ok(&admin(), at(3, 8, 2), Command::RunChecks);
        for i in 0..checks {
            run.ok(&admin(), at(3, 8, 3), record(&format!("c{i}"), i >= failed));
        }
    }
    run
}

// dpr-risk-score-release.md, "Risk score for timeline-oriented releases": the overdue task
// score is 0 under 10% overdue, 1 from 10% to 40%, 2 over 40%; the policy failure score
// likewise; "Risk score = Round((Overdue task score * overdue_weight + Policy failure score *
// policy_failure_weight) * (Number of days elapsed in release / Total number of days in
// release))"; levels low (0, 1), medium (2), high (3, 4).
#[test]
fn servicenow_dpr_timeline_risk_score() {
    // 10 tasks due on the 9th, 5 closed: 50% overdue on the 10th (score 2); 10 checks, 1
    // failed (10%: score 1). Elapsed 8th -> 19th: 11 days; on the 19th, 11 of 11.
    let run = timeline_risk_case(10, 5, 10, 1);
    let r = risk(&run.state, at(3, 19, 12), &run.policy);
    // (2 x 50 + 1 x 50) / 100 x 11/11 = 1.5 -> 2.
    assert_eq!(r.score, 2);
    assert_eq!(r.level, Some(RiskLevel::Medium));
    assert!(matches!(
        r.factors,
        Factors::Timeline {
            overdue: 5,
            overdue_score: 2,
            failed: 1,
            failure_score: 1,
            elapsed_days: 11,
            total_days: 11,
            ..
        }
    ));
    // Halfway (the 13th: 5 of 11 days): 1.5 x 5/11 = 0.68 -> 1, low.
    let r = risk(&run.state, at(3, 13, 12), &run.policy);
    assert_eq!((r.score, r.level), (1, Some(RiskLevel::Low)));
    // Bands: 9% overdue is 0, exactly 10% is 1, exactly 40% is 1, 41% is 2.
    for (tasks, open, band) in [(100, 9, 0), (10, 1, 1), (10, 4, 1), (100, 41, 2)] {
        let run = timeline_risk_case(tasks, tasks - open, 0, 0);
        let r = risk(&run.state, at(3, 19, 12), &run.policy);
        assert!(
            matches!(r.factors, Factors::Timeline { overdue_score, .. } if overdue_score == band),
            "{open} of {tasks} overdue: {:?}",
            r.factors
        );
    }
}

// dpr-risk-score-release.md: "If a task has no end date, the phase's end date is used as the
// task's due date."
#[test]
fn servicenow_dpr_timeline_task_without_due_date_uses_phase_end() {
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    let mut run = started(
        timeline(
            PhaseSpec::new("build").task(task("a")),
            PhaseSpec::new("deploy"),
        ),
        policy,
    );
    run.ok(&admin(), at(3, 8, 0), Command::Tick);
    let on = |d| risk(&run.state, at(3, d, 12), &run.policy).factors;
    assert!(
        matches!(on(12), Factors::Timeline { overdue: 0, .. }),
        "due on the 12th"
    );
    assert!(matches!(on(13), Factors::Timeline { overdue: 1, .. }));
}

/// A stage release in its first phase with `tasks` tasks, `closed` closed, `runs` finished
/// check runs of which `failed` failed, and a readiness target `days` ahead (if any).
fn stage_risk_case(
    tasks: usize,
    closed: usize,
    runs: usize,
    failed: usize,
    days: Option<i64>,
) -> (Run, chrono::DateTime<chrono::Utc>) {
    let mut build = PhaseSpec::new("build");
    for i in 0..tasks {
        build = build.task(task(&format!("t{i}")));
    }
    for i in 0..runs {
        build = build.check(format!("c{i}"));
    }
    let mut plan = stage(vec![build, PhaseSpec::new("deploy")]);
    let now = at(3, 10, 12);
    if let Some(d) = days {
        plan = plan.with_readiness(
            (now.date_naive() + Duration::days(d))
                .with_year(2027)
                .unwrap(),
        );
    }
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    policy.allow_past_dates = true;
    let mut run = started(plan, policy);
    for i in 0..closed {
        run.ok(&engineer(), at(3, 2, 9), close(0, i));
    }
    if runs > 0 {
        run.ok(&admin(), at(3, 2, 10), Command::RunChecks);
        for i in 0..runs {
            run.ok(
                &admin(),
                at(3, 2, 11),
                record(&format!("c{i}"), i >= failed),
            );
        }
    }
    (run, now)
}

// dpr-risk-score-release.md, "Risk score for stage-oriented releases", with a readiness
// date: "Risk score = Round(((0.3 × Work risk) + (0.4 × Policy risk) + (0.1 × Stage progress
// risk) + (0.2 × Time pressure risk)) × 100)".
#[test]
fn servicenow_dpr_stage_risk_with_readiness_date() {
    // 10 tasks, 1 closed: work 0.9, progress 1 - 0.1/0.2 = 0.5; 4 runs, 1 failed: 0.25; 7
    // days left: time 0.5. 0.27 + 0.1 + 0.05 + 0.1 = 0.52 -> 52.
    let (run, now) = stage_risk_case(10, 1, 4, 1, Some(7));
    assert_eq!(risk(&run.state, now, &run.policy).score, 52);
}

// The same page, without a readiness date: "Risk score = Round(((0.5 × Work risk) + (0.4 ×
// Policy risk) + (0.1 × Stage progress risk)) × 100)".
#[test]
fn servicenow_dpr_stage_risk_without_readiness_date() {
    // work 0.9 x 0.5 = 0.45, checks 0.25 x 0.4 = 0.1, progress 0.5 x 0.1 = 0.05 -> 60.
    let (run, now) = stage_risk_case(10, 1, 4, 1, None);
    let r = risk(&run.state, now, &run.policy);
    assert_eq!(r.score, 60);
    assert_eq!(r.level, None);
}

// The same page: "If the phase has zero or one task, the work risk is 0."
#[test]
fn servicenow_dpr_stage_work_risk_zero_with_one_task() {
    // One open task: work 0; progress 1 (nothing closed) x 0.1 = 10; no runs, no target.
    let (run, now) = stage_risk_case(1, 0, 0, 0, None);
    assert_eq!(risk(&run.state, now, &run.policy).score, 10);
}

// The same page: "Only policies with a completed execution status are counted. If no
// policies have been executed, the policy risk is 0."
#[test]
fn servicenow_dpr_stage_policy_risk_counts_finished_runs() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build")
                .task(task("x"))
                .task(task("y"))
                .check("c"),
        ]),
        Policy::servicenow(),
    );
    let now = at(3, 10, 12);
    run.ok(&engineer(), at(3, 3, 10), close(0, 0));
    run.ok(&engineer(), at(3, 3, 10), close(0, 1));
    // Tasks closed, check not run: no risk at all.
    assert_eq!(risk(&run.state, now, &run.policy).score, 0);
    run.ok(&admin(), at(3, 3, 11), Command::RunChecks);
    assert_eq!(
        risk(&run.state, now, &run.policy).score,
        0,
        "a running check is not counted"
    );
    run.ok(&admin(), at(3, 3, 12), record("c", false));
    assert_eq!(risk(&run.state, now, &run.policy).score, 40);
}

// The same page: "Stage progress risk = max(0, 1 - (closed task ratio / 0.2))"; at or above
// the 20% threshold it is 0.
#[test]
fn servicenow_dpr_stage_progress_threshold() {
    // 10 tasks, 2 closed: work 0.8 x 0.5 = 0.4, progress 0 -> 40.
    let (run, now) = stage_risk_case(10, 2, 0, 0, None);
    assert_eq!(risk(&run.state, now, &run.policy).score, 40);
    // 1 closed: progress 0.5 -> 0.45 + 0.05 = 50.
    let (run, now) = stage_risk_case(10, 1, 0, 0, None);
    assert_eq!(risk(&run.state, now, &run.policy).score, 50);
}

// The same page: "Risk increases as the readiness date approaches, using a 14-day threshold.
// If the readiness date has passed, the time pressure risk is 1."
#[test]
fn servicenow_dpr_stage_time_pressure() {
    // 10 tasks, 2 closed: work 0.8 x 0.3 = 24, progress 0; time x 20.
    for (days, score) in [(20, 24), (14, 24), (7, 34), (0, 44), (-3, 44)] {
        let (run, now) = stage_risk_case(10, 2, 0, 0, Some(days));
        assert_eq!(
            risk(&run.state, now, &run.policy).score,
            score,
            "{days} days left"
        );
    }
}

// The same page, "When the risk score is zero": completed or canceled releases, no phase in
// progress, a phase with no tasks and no completed policy executions.
#[test]
fn servicenow_dpr_risk_zero_cases() {
    let (mut run, now) = stage_risk_case(10, 1, 0, 0, None);
    assert!(risk(&run.state, now, &run.policy).score > 0);
    run.ok(
        &admin(),
        at(3, 4, 9),
        Command::Cancel {
            reason: "dropped".into(),
        },
    );
    assert_eq!(risk(&run.state, now, &run.policy).score, 0);
    let run = Run::new(
        stage(vec![PhaseSpec::new("a").task(task("x"))]),
        Policy::servicenow(),
        at(3, 1, 9),
    );
    assert_eq!(
        risk(&run.state, now, &run.policy).score,
        0,
        "no phase in progress"
    );
    let run = started(
        stage(vec![PhaseSpec::new("a").check("c")]),
        Policy::servicenow(),
    );
    assert_eq!(risk(&run.state, now, &run.policy).factors, Factors::None);
}
