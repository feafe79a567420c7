//! Replays the saved fuzz corpus on stable: the fuzz target `release` is a thin wrapper
//! around `fuzz/harness/release.rs`, which this test includes and feeds every input saved in
//! `fuzz/corpus/release/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/release.rs"]
mod harness;

#[test]
fn release_corpus_replays() {
    let n = itsm_testkit::replay_corpus("release", harness::release);
    assert!(n >= 8, "the release corpus has only {n} inputs");
}

/// The saved inputs run both processes in every zone kind, reach every status, every
/// event and every documented refusal.
#[test]
fn the_corpus_reaches_every_event_and_error() {
    use std::collections::BTreeSet;
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/release");
    let (mut seen, mut zones, mut processes) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for entry in std::fs::read_dir(&dir).unwrap() {
        let outcome = harness::run(&std::fs::read(entry.unwrap().path()).unwrap());
        zones.insert(outcome.input.plan.zone.clone());
        if outcome.events.iter().any(|e| e == "Created") {
            processes.insert(outcome.input.plan.process.name());
        }
        seen.extend(outcome.events);
        seen.extend(outcome.errors);
        seen.extend(outcome.statuses);
    }
    assert!(processes.len() == 2, "created only {processes:?} releases");
    for zone in [None, Some("+02:00"), Some("Europe/Berlin")] {
        assert!(
            zones.contains(&zone.map(str::to_owned)),
            "no input in {zone:?}"
        );
    }
    for kind in [
        // Statuses.
        "draft",
        "in_progress",
        "review",
        "completed",
        "canceled",
        // Events.
        "Created",
        "Started",
        "PhaseStarted",
        "TasksOpened",
        "TaskStarted",
        "TaskClosed",
        "TaskApproved",
        "TaskRejected",
        "TaskRerequested",
        "TaskAdded",
        "CheckMapped",
        "CheckUnmapped",
        "ChecksRequested",
        "CheckRecorded",
        "ExceptionGranted",
        "PhaseCompleted",
        "Restarted",
        "Retargeted",
        "PhaseEndReached",
        "TaskDueSoon",
        "ReadinessNear",
        "ReviewStarted",
        "ReviewFinished",
        "Completed",
        "Canceled",
        // Errors.
        "EmptyName",
        "UnknownZone",
        "NoPhases",
        "EmptyPhaseName",
        "DuplicatePhase",
        "MissingDates",
        "PhaseEndsBeforeStart",
        "PhasesOutOfOrder",
        "EmptyTaskName",
        "EmptyCheckName",
        "DuplicateCheck",
        "DateOutOfRange",
        "DateInPast",
        "ReadinessRequired",
        "CannotMove",
        "InvalidRiskWeights",
        "NoticeTooEarly",
        "NotCreated",
        "AlreadyCreated",
        "ClockWentBackwards",
        "NotAllowed",
        "Forbidden",
        "UnknownPhase",
        "UnknownTask",
        "PhaseClosed",
        "NoCurrentPhase",
        "MissingField",
        "TaskStatus",
        "NotApprovalTask",
        "NotApprover",
        "ApprovalTaskCloses",
        "UnknownCheck",
        "ExceptionEndsBeforeStart",
        "TasksOpen",
        "ChecksNotPassing",
        "AheadOfMain",
        "IncludedBehind",
        "RestartNeedsStage",
        "RestartFromUncompleted",
        "PhasesNotCompleted",
    ] {
        assert!(seen.contains(kind), "no saved input reaches {kind}");
    }
}
