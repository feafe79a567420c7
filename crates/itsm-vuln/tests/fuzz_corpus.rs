//! Replays the saved fuzz corpus on stable: the fuzz target `vuln` is a thin wrapper around
//! `fuzz/harness/vuln.rs`, which this test includes and feeds every input saved in
//! `fuzz/corpus/vuln/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/vuln.rs"]
mod harness;

#[test]
fn vuln_corpus_replays() {
    let n = itsm_testkit::replay_corpus("vuln", harness::vuln);
    assert!(n >= 8, "the vuln corpus has only {n} inputs");
}

/// The saved inputs reach every event, every state of items and tasks, every closure,
/// every refusal the harness's decoder can make a command meet, and every command
/// accepted.
#[test]
fn the_corpus_reaches_every_event_error_and_status() {
    use std::collections::BTreeSet;
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/vuln");
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let outcome = harness::run(&std::fs::read(entry.unwrap().path()).unwrap());
        seen.extend(outcome.events);
        seen.extend(outcome.errors);
        seen.extend(outcome.statuses);
        seen.extend(outcome.accepted.into_iter().map(|c| format!("command:{c}")));
    }
    let mut missing = Vec::new();
    for kind in [
        // States, of items and of tasks.
        "item:open",
        "item:under_investigation",
        "item:awaiting_implementation",
        "item:in_review",
        "item:resolved",
        "item:deferred",
        "item:closed",
        "task:open",
        "task:under_investigation",
        "task:awaiting_implementation",
        "task:in_review",
        "task:resolved",
        "task:deferred",
        "task:closed",
        // Closures, and reopenings by a scan.
        "closure:fixed",
        "closure:false_positive",
        "closure:canceled",
        "closure:fixed_with_exception",
        "closure:stale",
        "closure:ci_decommissioned",
        "reopened:resolved",
        "reopened:fixed",
        "reopened:stale",
        "reopened:ci_decommissioned",
        // Time.
        "tick:at_deadline",
        "time:back",
        // Commands accepted.
        "command:found",
        "command:fixed",
        "command:retired",
        "command:create_task",
        "command:split",
        "command:assign",
        "command:start_investigation",
        "command:await_implementation",
        "command:resolve",
        "command:defer",
        "command:request_exception",
        "command:request_extension",
        "command:mark_false_positive",
        "command:approve",
        "command:reject",
        "command:reopen",
        "command:close_task",
        "command:tick",
        // Events.
        "created",
        "seen",
        "reopened",
        "closed",
        "task_created",
        "split",
        "joined",
        "assigned",
        "moved",
        "deferred",
        "requested",
        "approved",
        "rejected",
        "task_closed",
        "deferral_ended",
        "approaching",
        "missed",
        // Errors a command can meet (the policy's are `Policy::check`'s, not decide's).
        "ClockWentBackwards",
        "Forbidden",
        "UnknownItem",
        "UnknownTask",
        "TaskExists",
        "EmptyVulnerability",
        "ItemMismatch",
        "NoItems",
        "DuplicateItem",
        "NotInTask",
        "SplitTakesAll",
        "WrongState",
        "Unassigned",
        "UntilPassed",
        "TooLong",
        "NotLater",
        "RequestPending",
        "NoRequest",
        "OwnRequest",
        "EmptyComment",
        "WrongClosure",
        "Decommissioned",
        "AllItemsClosed",
        "OutOfRange",
    ] {
        if !seen.contains(kind) {
            missing.push(kind);
        }
    }
    assert!(missing.is_empty(), "no saved input reaches {missing:?}");
}
