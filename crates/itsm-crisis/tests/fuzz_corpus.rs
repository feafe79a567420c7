//! Replays the saved fuzz corpus on stable: the fuzz target `crisis` is a thin wrapper around
//! `fuzz/harness/crisis.rs`, which this test includes and feeds every input saved in
//! `fuzz/corpus/crisis/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/crisis.rs"]
mod harness;

#[test]
fn crisis_corpus_replays() {
    let n = itsm_testkit::replay_corpus("crisis", harness::crisis);
    assert!(n >= 8, "the crisis corpus has only {n} inputs");
}

/// The saved inputs run both orders, reach every status, every event and every refusal a
/// command can meet.
#[test]
fn the_corpus_reaches_every_event_error_and_status() {
    use std::collections::BTreeSet;
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/crisis");
    let (mut seen, mut orders) = (BTreeSet::new(), BTreeSet::new());
    for entry in std::fs::read_dir(&dir).unwrap() {
        let outcome = harness::run(&std::fs::read(entry.unwrap().path()).unwrap());
        if outcome.events.iter().any(|e| e == "Started") {
            orders.extend(outcome.order.map(|o| o.name()));
        }
        seen.extend(outcome.events);
        seen.extend(outcome.errors);
        seen.extend(outcome.statuses);
        seen.extend(outcome.accepted.into_iter().map(|c| format!("command:{c}")));
    }
    assert!(orders.len() == 2, "started events only under {orders:?}");
    let mut missing = Vec::new();
    for kind in [
        // Statuses.
        "event:pending",
        "event:work_in_progress",
        "event:pending_approval",
        "event:returned",
        "event:approved",
        "event:closed_complete",
        "event:closed_incomplete",
        "event:canceled",
        "plan:pending",
        "plan:open",
        "plan:work_in_progress",
        "plan:closed_complete",
        "plan:closed_incomplete",
        "kind:primary",
        "kind:related",
        "kind:child",
        "task:pending",
        "task:open",
        "task:work_in_progress",
        "task:closed_complete",
        "task:closed_incomplete",
        "task:closed_skipped",
        "task:closed_failed",
        "asset:not_recovered",
        "asset:partially_recovered",
        "asset:recovered",
        "within_rto:true",
        "within_rto:false",
        // Commands accepted.
        "command:create",
        "command:start",
        "command:trigger",
        "command:work",
        "command:close",
        "command:skip",
        "command:retrigger",
        "command:retrigger_automation",
        "command:assign",
        "command:add_task",
        "command:close_plan",
        "command:record_result",
        "command:submit",
        "command:approve",
        "command:reject",
        "command:close_event",
        "command:cancel",
        // Events.
        "Created",
        "Started",
        "PlanOpened",
        "PlanStarted",
        "PlanClosed",
        "PlanReopened",
        "TaskTriggered",
        "AutomationRequested",
        "TaskStarted",
        "TaskClosed",
        "BackupNotified",
        "TaskRetriggered",
        "TaskAssigned",
        "TaskAdded",
        "ResultRecorded",
        "Submitted",
        "Approved",
        "Returned",
        "Closed",
        "Canceled",
        // Errors.
        "EmptyName",
        "DuplicatePlan",
        "UnknownPlan",
        "NothingActivated",
        "DuplicateActivation",
        "DuplicateTaskId",
        "UnknownDependency",
        "SelfDependency",
        "DuplicateAsset",
        "TooManyPlans",
        "TooManyTasks",
        "InvalidLevels",
        "NotCreated",
        "AlreadyCreated",
        "Forbidden",
        "WrongStatus",
        "NoSuchPlan",
        "NoSuchTask",
        "WrongTaskStatus",
        "PlanClosed",
        "PlansOpen",
        "ResultMissing",
        "EndBeforeStart",
        "EventEndBeforeStart",
        "NotAutomated",
        "NotAllComplete",
        "TaskIdsExhausted",
        "NegativeDuration",
        "EffortOverflow",
        "PlannedOutOfRange",
    ] {
        if !seen.contains(kind) {
            missing.push(kind);
        }
    }
    assert!(missing.is_empty(), "no saved input reaches {missing:?}");
}
