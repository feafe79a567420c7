//! Conformance: one test per rule the vendors document, naming the tool and the page. The
//! pages are ServiceNow's Digital Product Release (DPR) and Release Management v2 docs
//! (servicenow.com/docs/r/it-service-management/...; read from the ServiceNowDocs mirror).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;
use itsm_release::{
    CheckStatus, Command, Event, Holiday, Outcome, PhaseSpec, PhaseStatus, Plan, Policy, Process,
    Status, TaskRef, TaskStatus, aggregate, next_deadline,
};

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

// dpr-product-release.md, "Timeline-oriented release process": "The flow starts with the
// first phase in the Pending state ... moves to In Progress when it starts on the planned
// start date."
#[test]
fn servicenow_dpr_timeline_first_phase_starts_on_its_start_date() {
    let mut run = started(
        timeline(PhaseSpec::new("build"), PhaseSpec::new("deploy")),
        Policy::servicenow(),
    );
    assert_eq!(run.phase(0).status(), PhaseStatus::Pending);
    assert_eq!(next_deadline(&run.state, &run.policy), Some(at(3, 8, 0)));
    assert!(run.ok(&admin(), at(3, 7, 23), Command::Tick).is_empty());
    let events = run.ok(&admin(), at(3, 8, 6), Command::Tick);
    assert!(matches!(events[0], Event::PhaseStarted { phase: 0, at } if at == at_(3, 8, 0)));
    assert_eq!(run.phase(0).status(), PhaseStatus::InProgress);
}

fn at_(m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    at(m, d, h)
}

// dpr-product-release.md and digital-product-release-properties.md,
// `sn_dpr.sequential_task_execution` (default true): "At the start of a phase, the task with
// the lowest order in it is set to the Open state. After this task is completed, the next
// task in the order is opened ... If the task is an approval task, the state is moved to the
// Requested state."
#[test]
fn servicenow_dpr_sequential_tasks_open_one_at_a_time() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build")
                .task(task("package"))
                .task(task("sign-off").approval(CAB))
                .task(task("publish")),
        ]),
        Policy::servicenow(),
    );
    let statuses = |run: &Run| -> Vec<TaskStatus> {
        run.phase(0).tasks().iter().map(|t| t.status()).collect()
    };
    assert_eq!(
        statuses(&run),
        [TaskStatus::Open, TaskStatus::Pending, TaskStatus::Pending]
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    assert_eq!(
        statuses(&run),
        [
            TaskStatus::ClosedComplete,
            TaskStatus::Requested,
            TaskStatus::Pending
        ]
    );
    run.ok(
        &approver(),
        at(3, 2, 10),
        Command::Approve {
            task: TaskRef::new(0, 1),
        },
    );
    assert_eq!(statuses(&run)[2], TaskStatus::Open);
}

// The same property set to false: "all its tasks are set to the Open state at the start of
// the phase."
#[test]
fn servicenow_dpr_parallel_tasks_all_open_at_phase_start() {
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    let run = started(
        stage(vec![
            PhaseSpec::new("build")
                .task(task("package"))
                .task(task("sign-off").approval(CAB)),
        ]),
        policy,
    );
    let t = run.phase(0).tasks();
    assert_eq!(t[0].status(), TaskStatus::Open);
    assert_eq!(t[1].status(), TaskStatus::Requested);
}

// dpr-product-release.md, timeline: "When all tasks are completed and policies are compliant,
// the phase ends automatically on its planned end date."
#[test]
fn servicenow_dpr_timeline_phase_ends_on_its_end_date() {
    let mut run = started(
        timeline(
            PhaseSpec::new("build").task(task("package")),
            PhaseSpec::new("deploy"),
        ),
        Policy::servicenow(),
    );
    run.ok(&admin(), at(3, 8, 1), Command::Tick);
    run.ok(&engineer(), at(3, 9, 9), close(0, 0));
    assert_eq!(
        run.phase(0).status(),
        PhaseStatus::InProgress,
        "done early, still in progress"
    );
    assert_eq!(next_deadline(&run.state, &run.policy), Some(at(3, 13, 0)));
    let events = run.ok(&admin(), at(3, 13, 2), Command::Tick);
    assert!(
        matches!(events[0], Event::PhaseCompleted { phase: 0, by: None, at, .. } if at == at_(3, 13, 0))
    );
    // "After the current phase is completed, the next phase moves to the In Progress state."
    assert!(matches!(events[1], Event::PhaseStarted { phase: 1, .. }));
}

// dpr-product-release.md: "Only one phase can be in progress at a given time."
#[test]
fn servicenow_dpr_one_phase_in_progress_at_a_time() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").task(task("a")),
            PhaseSpec::new("test").task(task("b")),
            PhaseSpec::new("deploy").task(task("c")),
        ]),
        Policy::servicenow(),
    );
    for i in 0..3 {
        let in_progress: Vec<usize> = run
            .release()
            .phases()
            .iter()
            .enumerate()
            .filter(|(_, p)| p.status() == PhaseStatus::InProgress)
            .map(|(j, _)| j)
            .collect();
        assert_eq!(in_progress, [i]);
        run.ok(&engineer(), at(3, 2 + i as u32, 9), close(i, 0));
    }
}

// dpr-product-release.md and `sn_dpr.auto_transition_release_to_review` (default true):
// "When all phases in the release are completed, the release moves to the Review state."
#[test]
fn servicenow_dpr_release_moves_to_review_after_last_phase() {
    let plan = stage(vec![PhaseSpec::new("build").task(task("a"))]);
    let mut run = started(plan.clone(), Policy::servicenow());
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    assert_eq!(run.release().status(), Status::Review);

    let mut policy = Policy::servicenow();
    policy.auto_review = false;
    let mut run = started(plan, policy);
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    assert_eq!(run.release().status(), Status::InProgress);
    run.ok(&admin(), at(3, 2, 10), Command::BeginReview);
    assert_eq!(run.release().status(), Status::Review);
}

// `sn_dpr.auto_transition_release_to_completed` (default false): "Determines whether a
// release can be automatically moved from the Review state to Completed state when its
// review is finished."
#[test]
fn servicenow_dpr_review_to_completed_by_property() {
    let plan = stage(vec![PhaseSpec::new("build")]);
    let review = Command::FinishReview {
        notes: "on time".into(),
    };
    let mut run = started(plan.clone(), Policy::servicenow());
    assert_eq!(run.release().status(), Status::Review);
    run.ok(&admin(), at(3, 2, 9), review.clone());
    assert_eq!(run.release().status(), Status::Review);
    run.ok(&admin(), at(3, 2, 10), Command::Complete);
    assert_eq!(run.release().status(), Status::Completed);

    let mut policy = Policy::servicenow();
    policy.auto_complete = true;
    let mut run = started(plan, policy);
    run.ok(&admin(), at(3, 2, 9), review);
    assert_eq!(run.release().status(), Status::Completed);
}

// dpr-working-stage-release.md: "The state of the phase moves to In Progress when you
// manually start it." (dpr-work-stage-release.md: "select Start release").
#[test]
fn servicenow_dpr_stage_first_phase_starts_by_hand() {
    let mut run = Run::new(
        stage(vec![PhaseSpec::new("build").task(task("a"))]),
        Policy::servicenow(),
        at(3, 1, 9),
    );
    assert!(run.ok(&admin(), at(3, 20, 9), Command::Tick).is_empty());
    assert_eq!(run.phase(0).status(), PhaseStatus::Pending);
    run.ok(&admin(), at(3, 20, 10), Command::Start);
    assert_eq!(run.phase(0).status(), PhaseStatus::InProgress);
}

// dpr-working-stage-release.md: "When all tasks are completed and all policies are
// compliant or compliant with exceptions for the current phase, it automatically moves to
// the Completed state."
#[test]
fn servicenow_dpr_stage_phase_completes_when_done() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").task(task("a")).check("scan"),
            PhaseSpec::new("deploy").task(task("b")),
        ]),
        Policy::servicenow(),
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    assert_eq!(
        run.phase(0).status(),
        PhaseStatus::InProgress,
        "the check has not run"
    );
    run.ok(&admin(), at(3, 2, 10), Command::RunChecks);
    run.ok(&admin(), at(3, 2, 11), record("scan", true));
    assert_eq!(run.phase(0).status(), PhaseStatus::Completed);
    assert_eq!(run.phase(1).status(), PhaseStatus::InProgress);
}

// `sn_dpr.stage_workflow_auto_transition` set to false: "the phases of the release will not
// transition between states, even if they comply with mapped policies."
#[test]
fn servicenow_dpr_without_auto_transition_phases_wait() {
    let mut policy = Policy::servicenow();
    policy.auto_advance = false;
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").task(task("a")),
            PhaseSpec::new("deploy"),
        ]),
        policy,
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    assert_eq!(run.phase(0).status(), PhaseStatus::InProgress);
    run.ok(&admin(), at(3, 2, 10), Command::CompletePhase);
    assert_eq!(run.phase(0).status(), PhaseStatus::Completed);
    assert_eq!(run.phase(1).status(), PhaseStatus::InProgress);
}

// dpr-work-stage-release.md, "Restart the release phase": "The state of the selected phase
// updates to In Progress and of all the later phases updates to Pending. The state of the
// current phase updates to Restarted. The state of all tasks in the affected phases updates
// to Open. ... The last run status of the policies mapped to these phases updates to Not
// run."
#[test]
fn servicenow_dpr_restart_resets_phases_tasks_and_policies() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").task(task("a")).check("scan"),
            PhaseSpec::new("test").task(task("b")).task(task("c")),
            PhaseSpec::new("deploy").task(task("d")),
        ]),
        Policy::servicenow(),
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    run.ok(&admin(), at(3, 2, 10), Command::RunChecks);
    run.ok(&admin(), at(3, 2, 11), record("scan", true));
    run.ok(&engineer(), at(3, 3, 9), close(1, 0));
    assert_eq!(run.phase(1).status(), PhaseStatus::InProgress);
    run.ok(&admin(), at(3, 4, 9), Command::Restart { phase: 0 });
    assert_eq!(run.phase(0).status(), PhaseStatus::InProgress);
    assert_eq!(run.phase(1).status(), PhaseStatus::Pending);
    assert_eq!(
        run.phase(1).restarts(),
        1,
        "the current phase's run was restarted"
    );
    assert_eq!(run.phase(2).status(), PhaseStatus::Pending);
    for p in [0, 1] {
        for t in run.phase(p).tasks() {
            assert_eq!(t.status(), TaskStatus::Open, "phase {p}");
        }
    }
    assert_eq!(run.phase(0).checks()[0].status(), CheckStatus::NotRun);
    // The later phase that was never reached is untouched.
    assert_eq!(run.phase(2).tasks()[0].status(), TaskStatus::Pending);
}

// dpr-work-stage-release.md, "Restart the release phase": "Role required:
// sn_dpr_model.release_admin".
#[test]
fn servicenow_dpr_restart_needs_release_admin() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").task(task("a")),
            PhaseSpec::new("deploy").task(task("b")),
        ]),
        Policy::servicenow(),
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    let e = run.err(&manager(), at(3, 3, 9), Command::Restart { phase: 0 });
    assert_eq!(
        e,
        "`restart` needs one of the roles `release_admin`; the actor holds none of them"
    );
}

// dpr-work-release.md and dpr-work-stage-release.md, "Execute the release": "If any of the
// mapped policies is noncompliant, you can complete a phase only when you have any of the
// roles defined in the system property sn_dpr.complete_phase_override. ... The actual end
// date of the current phase is updated to the current date."
#[test]
fn servicenow_dpr_complete_phase_override_role() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").check("scan"),
            PhaseSpec::new("deploy"),
        ]),
        Policy::servicenow(),
    );
    run.ok(&admin(), at(3, 2, 9), Command::RunChecks);
    run.ok(&admin(), at(3, 2, 10), record("scan", false));
    let e = run.err(&manager(), at(3, 2, 11), Command::CompletePhase);
    assert_eq!(
        e,
        "phase `build`: check `scan` is non_compliant; completing the phase anyway needs one of the roles `release_admin`"
    );
    run.ok(&admin(), at(3, 2, 12), Command::CompletePhase);
    assert!(run.phase(0).forced());
    assert_eq!(run.phase(0).ended_at(), Some(at(3, 2, 12)));
}

// dpr-work-release.md, "Execute the release": "The task is created in the Pending state and
// added to the selected phase."
#[test]
fn servicenow_dpr_added_task_is_pending() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").task(task("a")),
            PhaseSpec::new("deploy"),
        ]),
        Policy::servicenow(),
    );
    run.ok(
        &manager(),
        at(3, 2, 9),
        Command::AddTask {
            phase: 1,
            task: task("smoke test"),
        },
    );
    assert_eq!(run.phase(1).tasks()[0].status(), TaskStatus::Pending);
}

// dpr-work-release.md: "Policies can't be mapped to a completed or cancelled phase."
#[test]
fn servicenow_dpr_no_policy_on_completed_phase() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").task(task("a")),
            PhaseSpec::new("deploy").task(task("b")),
        ]),
        Policy::servicenow(),
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    let e = run.err(
        &admin(),
        at(3, 2, 10),
        Command::MapCheck {
            phase: 0,
            check: "scan".into(),
        },
    );
    assert_eq!(
        e,
        "phase `build` is completed; tasks and checks change only on pending and in-progress phases"
    );
}

// dpr-work-release.md: "For an in-progress phase, if you remove a previously executed
// policy, the remaining policies are automatically run after its removal."
#[test]
fn servicenow_dpr_removing_a_run_policy_reruns_the_rest() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").check("scan").check("coverage"),
        ]),
        Policy::servicenow(),
    );
    run.ok(&admin(), at(3, 2, 9), Command::RunChecks);
    run.ok(&admin(), at(3, 2, 10), record("scan", false));
    run.ok(&admin(), at(3, 2, 10), record("coverage", true));
    let events = run.ok(
        &admin(),
        at(3, 2, 11),
        Command::UnmapCheck {
            phase: 0,
            check: "scan".into(),
        },
    );
    assert!(matches!(&events[1], Event::ChecksRequested { checks, .. } if checks == &["coverage"]));
    assert_eq!(run.phase(0).checks()[0].status(), CheckStatus::Running);
}

// dpr-work-release.md: "select Run policies to run policies on the current phase. All
// mapped policies are executed ... for the current phase (In Progress state)."
#[test]
fn servicenow_dpr_run_policies_runs_every_mapped_one() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").check("scan").check("coverage"),
            PhaseSpec::new("deploy").check("change approved"),
        ]),
        Policy::servicenow(),
    );
    run.ok(&admin(), at(3, 2, 9), Command::RunChecks);
    assert!(
        run.phase(0)
            .checks()
            .iter()
            .all(|c| c.status() == CheckStatus::Running)
    );
    assert_eq!(run.phase(1).checks()[0].status(), CheckStatus::NotRun);
}

// dpr-work-stage-release.md, step 7: "After the exception is approved, the policy status
// shows as Compliant with exception in subsequent executions. The phase can be completed if
// all other policies are compliant."
#[test]
fn servicenow_dpr_exception_counts_in_subsequent_runs() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").check("scan"),
            PhaseSpec::new("deploy"),
        ]),
        Policy::servicenow(),
    );
    run.ok(&admin(), at(3, 2, 9), Command::RunChecks);
    run.ok(&admin(), at(3, 2, 10), record("scan", false));
    run.ok(
        &admin(),
        at(3, 2, 11),
        Command::GrantException {
            check: "scan".into(),
            from: at(3, 2, 11),
            to: at(3, 9, 0),
            justification: "CVE not reachable".into(),
        },
    );
    assert_eq!(
        run.phase(0).checks()[0].status(),
        CheckStatus::NonCompliant,
        "the run before the exception stands"
    );
    run.ok(&admin(), at(3, 2, 12), Command::RunChecks);
    run.ok(&admin(), at(3, 2, 13), record("scan", false));
    assert_eq!(run.phase(0).status(), PhaseStatus::Completed);
    assert_eq!(
        run.phase(0).checks()[0].status(),
        CheckStatus::CompliantWithException
    );
}

// dpr-work-stage-release.md, step 9: "Cancel a release if it's no longer required ... Enter
// the reason for cancellation".
#[test]
fn servicenow_dpr_cancel_with_reason() {
    let mut run = started(
        stage(vec![PhaseSpec::new("build").task(task("a"))]),
        Policy::servicenow(),
    );
    let e = run.err(
        &admin(),
        at(3, 2, 9),
        Command::Cancel { reason: " ".into() },
    );
    assert_eq!(e, "`cancel` needs a non-empty `reason`");
    run.ok(
        &admin(),
        at(3, 2, 9),
        Command::Cancel {
            reason: "superseded by 4.3".into(),
        },
    );
    assert_eq!(run.release().status(), Status::Canceled);
    assert_eq!(run.release().cancel_reason(), Some("superseded by 4.3"));
    assert_eq!(run.phase(0).status(), PhaseStatus::Canceled);
}

// dpr-product-release.md, "Phase management in a multi-product release": "Individual
// releases cannot advance past main release: An included product cannot complete a phase
// that is ahead of the main release's current phase."
#[test]
fn servicenow_dpr_included_release_waits_for_main() {
    let mut policy = Policy::servicenow();
    policy.auto_advance = false;
    let mut run = started(
        stage(vec![PhaseSpec::new("build"), PhaseSpec::new("deploy")]),
        policy,
    );
    run.main = Some(0);
    run.ok(&admin(), at(3, 2, 9), Command::CompletePhase);
    let e = run.err(&admin(), at(3, 2, 10), Command::CompletePhase);
    assert_eq!(
        e,
        "phase 1 cannot complete: the main release is at phase 0, and an included release completes no phase ahead of it"
    );
    run.main = Some(1);
    run.ok(&admin(), at(3, 2, 11), Command::CompletePhase);
}

// The same page: "Main release cannot advance past individual releases: The parent release
// cannot advance to the next phase if any included product has not yet reached the
// parent's current phase."
#[test]
fn servicenow_dpr_main_release_waits_for_included() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("build").task(task("a")),
            PhaseSpec::new("deploy").task(task("b")),
        ]),
        Policy::servicenow(),
    );
    // Every included release is at phase 0: the main release may leave it.
    run.context = vec![0, 0];
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    assert_eq!(run.phase(1).status(), PhaseStatus::InProgress);
    // Included release 1 has reached phase 1, release 0 has not: phase 1 waits.
    run.context = vec![0, 1];
    run.ok(&engineer(), at(3, 2, 10), close(1, 0));
    assert_eq!(run.phase(1).status(), PhaseStatus::InProgress);
    let e = run.err(&admin(), at(3, 2, 11), Command::CompletePhase);
    assert_eq!(
        e,
        "phase 1 cannot complete: included release 0 is at phase 0; every included release must reach the main release's phase first"
    );
    // Once it has, a tick completes the phase (the host ticks a main release when an
    // included one moves).
    run.context = vec![1, 1];
    let events = run.ok(&admin(), at(3, 2, 12), Command::Tick);
    assert!(matches!(
        events[0],
        Event::PhaseCompleted {
            phase: 1,
            by: None,
            ..
        }
    ));
    assert_eq!(run.release().status(), Status::Review);
}

// dpr-policy-status-aggregation.md: the table of the primary product's and three included
// products' statuses and the main release's aggregated status, row by row.
#[test]
fn servicenow_dpr_policy_status_aggregation_table() {
    use CheckStatus::*;
    let rows = [
        (NotRun, [NotRun, NotRun, NotRun], NotRun),
        (NotRun, [NonCompliant, NonCompliant, NonCompliant], NotRun),
        (NotRun, [Compliant, Compliant, Compliant], NotRun),
        (
            NonCompliant,
            [Compliant, Compliant, Compliant],
            NonCompliant,
        ),
        (Compliant, [Compliant, Compliant, Compliant], Compliant),
        (
            Compliant,
            [Compliant, Compliant, CompliantWithException],
            CompliantWithException,
        ),
    ];
    for (i, (primary, included, expected)) in rows.iter().enumerate() {
        assert_eq!(aggregate(*primary, included), *expected, "row {}", i + 1);
    }
    // "a non-compliant status in any product results in an overall non-compliant status".
    assert_eq!(
        aggregate(Compliant, &[Compliant, NonCompliant]),
        NonCompliant
    );
}

// dpr-work-release-readiness-target.md, "Result": "For timeline-oriented releases, the key
// dates impacted are adjusted based on the retargeted date ... after recalculating the
// number of days that have changed from the original schedule. If a holiday schedule is
// attached to the release and the revised key dates fall on a holiday, the last workday
// before the holiday is considered as the revised key date."
#[test]
fn servicenow_dpr_retarget_moves_key_dates_off_holidays() {
    let plan = timeline(
        PhaseSpec::new("build").task(task("a").due(day(3, 10))),
        PhaseSpec::new("deploy"),
    )
    .with_readiness(day(3, 22))
    .with_holidays(vec![Holiday::date(day(3, 26))]);
    let mut run = started(plan, Policy::servicenow());
    run.ok(
        &admin(),
        at(3, 2, 9),
        Command::Retarget {
            readiness: day(3, 29),
        },
    );
    let r = run.release();
    assert_eq!(r.readiness(), Some(day(3, 29)));
    assert_eq!(r.phases()[0].start(), Some(day(3, 15)));
    assert_eq!(r.phases()[0].end(), Some(day(3, 19)));
    assert_eq!(r.phases()[0].tasks()[0].due(), Some(day(3, 17)));
    // Deploy 15-19 moves to 22-26, and the 26th is a holiday: the 25th.
    assert_eq!(r.phases()[1].start(), Some(day(3, 22)));
    assert_eq!(r.phases()[1].end(), Some(day(3, 25)));
}

// digital-product-release-properties.md, `sn_dpr_model.allow_any_release_dates` (default
// false): "Restricts releases creation and retargeting with dates before today."
#[test]
fn servicenow_dpr_no_past_dates_by_default() {
    let plan = timeline(PhaseSpec::new("build"), PhaseSpec::new("deploy"));
    let mut run = Run::new(plan.clone(), Policy::servicenow(), at(3, 1, 9));
    let e = run.err(
        &admin(),
        at(3, 2, 9),
        Command::Retarget {
            readiness: day(3, 1),
        },
    );
    assert_eq!(
        e,
        "the readiness target is 2027-03-01, before today (2027-03-02); give today or later, or set the policy's `allow_past_dates`"
    );
    let mut fresh = itsm_release::State::new();
    let policy = Policy::servicenow();
    let admin = admin();
    let ctx = itsm_release::Context::new(at(3, 9, 9), &admin, &policy);
    let create = Command::create(itsm_release::ReleaseId::from_u128(2), plan.clone());
    assert_eq!(
        itsm_release::decide(&fresh, &create, &ctx)
            .unwrap_err()
            .to_string(),
        "phase `build`'s start date is 2027-03-08, before today (2027-03-09); give today or later, or set the policy's `allow_past_dates`"
    );
    let stale = Command::create(
        itsm_release::ReleaseId::from_u128(3),
        stage(vec![PhaseSpec::new("build").task(task("a").due(day(3, 2)))])
            .with_readiness(day(4, 1)),
    );
    assert_eq!(
        itsm_release::decide(&fresh, &stale, &ctx)
            .unwrap_err()
            .to_string(),
        "task `a`'s due date is 2027-03-02, before today (2027-03-09); give today or later, or set the policy's `allow_past_dates`"
    );
    let mut allow = Policy::servicenow();
    allow.allow_past_dates = true;
    let ctx = itsm_release::Context::new(at(3, 9, 9), &admin, &allow);
    fresh.apply(&itsm_release::decide(&fresh, &create, &ctx).unwrap());
    assert!(fresh.release().is_some());
}

// digital-product-release-properties.md, `sn_dpr.mandate_release_target`: "Determines
// whether selecting a release target is mandatory for a stage release."
#[test]
fn servicenow_dpr_mandatory_release_target() {
    let mut policy = Policy::servicenow();
    policy.require_readiness = true;
    let admin = admin();
    let ctx = itsm_release::Context::new(at(3, 1, 9), &admin, &policy);
    let plan = stage(vec![PhaseSpec::new("build")]);
    let create = Command::create(itsm_release::ReleaseId::from_u128(2), plan.clone());
    let state = itsm_release::State::new();
    assert_eq!(
        itsm_release::decide(&state, &create, &ctx)
            .unwrap_err()
            .to_string(),
        "release `payments 4.2` has no readiness target; the policy requires one (`require_readiness`)"
    );
    let create = Command::create(
        itsm_release::ReleaseId::from_u128(2),
        plan.with_readiness(day(4, 1)),
    );
    assert!(itsm_release::decide(&state, &create, &ctx).is_ok());
}

// dpr-work-release.md, "Execute the release": notifications "when: A phase reaches its end
// date; A release task is 2 days from its due date; The release is 1 day from its readiness
// target".
#[test]
fn servicenow_dpr_notifications_fall_due() {
    let plan = timeline(
        PhaseSpec::new("build").task(task("a").due(day(3, 11))),
        PhaseSpec::new("deploy"),
    )
    .with_readiness(day(3, 22));
    let mut run = started(plan, Policy::servicenow());
    let events = run.ok(&admin(), at(3, 21, 12), Command::Tick);
    let kinds: Vec<String> = events
        .iter()
        .map(|e| match e {
            Event::PhaseStarted { phase, at } => format!("{} start {phase}", at.format("%d %H")),
            Event::TasksOpened { at, .. } => format!("{} open", at.format("%d %H")),
            Event::TaskDueSoon { at, due, .. } => format!("{} due soon {due}", at.format("%d %H")),
            Event::PhaseEndReached { phase, at } => format!("{} end {phase}", at.format("%d %H")),
            Event::ReadinessNear { at, readiness } => {
                format!("{} readiness {readiness}", at.format("%d %H"))
            }
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "08 00 start 0",
            "08 00 open",
            "09 00 due soon 2027-03-11",
            "13 00 end 0",
            "21 00 readiness 2027-03-22",
        ]
    );
}

// Release Management v2, default-state-categories-for-release-and-release-task-tables.md:
// the release task table's close states are 3, 4 and 7 (closed complete, closed incomplete,
// closed skipped): any of them closes a task for its phase.
#[test]
fn servicenow_rm_v2_close_states_close_a_task() {
    for outcome in [Outcome::Complete, Outcome::Incomplete, Outcome::Skipped] {
        let mut run = started(
            stage(vec![
                PhaseSpec::new("build").task(task("a")),
                PhaseSpec::new("deploy").task(task("b")),
            ]),
            Policy::servicenow(),
        );
        run.ok(
            &engineer(),
            at(3, 2, 9),
            Command::CloseTask {
                task: TaskRef::new(0, 0),
                outcome,
            },
        );
        assert_eq!(run.phase(0).status(), PhaseStatus::Completed, "{outcome:?}");
    }
}
