//! Replays the saved fuzz corpus on stable.
//!
//! The fuzz targets in `fuzz/` (run with `cargo +nightly fuzz run <target>`) are thin wrappers
//! around the functions of `fuzz/harness/incident.rs`; this test includes the same file and
//! feeds it every input saved in `fuzz/corpus/<target>/`, so each input the fuzzer found
//! interesting (and each past crash, once fixed and saved there) is checked again by
//! `cargo test`, without nightly or libFuzzer.
#![cfg(feature = "serde")]
// Test code: a failed unwrap is a failed test, with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

// The harness is library-like code shared with the fuzz targets: it keeps the workspace's
// lints (it asserts with `assert!`, never unwraps or indexes).
#[warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#[path = "../../../fuzz/harness/incident.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn incident_commands_corpus_replays() {
    let n = replay("incident_commands", harness::commands);
    assert!(n >= 10, "the incident_commands corpus has only {n} inputs");
}

#[test]
fn incident_policy_json_corpus_replays() {
    let n = replay("incident_policy_json", harness::policy_json);
    assert!(
        n >= 5,
        "the incident_policy_json corpus has only {n} inputs"
    );
}

#[test]
fn incident_command_json_corpus_replays() {
    let n = replay("incident_command_json", harness::command_json);
    assert!(
        n >= 5,
        "the incident_command_json corpus has only {n} inputs"
    );
}

#[test]
fn incident_event_json_corpus_replays() {
    let n = replay("incident_event_json", harness::event_json);
    assert!(
        n >= 20,
        "the incident_event_json corpus has only {n} inputs"
    );
}

/// Inputs built from the code itself pass: the real ServiceNow policy, a command, a short
/// script, and inputs that are not JSON at all. (The harness asserts its invariants inside.)
#[test]
fn inputs_built_from_the_code_pass() {
    let policy = serde_json::to_vec(&itsm_incident::Policy::servicenow()).unwrap();
    harness::policy_json(&policy);
    harness::policy_json(b"{\"matrix\": 1}");
    harness::command_json(b"{\"command\":\"tick\"}");
    harness::command_json(&[0xff, 0x00]);
    // Report (agent), start work, resolve, then tick at the deadline and once more.
    harness::commands(&[
        0, 1, 3, 0, 0, 0, 2, 0, 0, 1, 2, 1, 1, 3, 3, 1, 3, 12, 0, 0, 3, 9, 16, 3, 3, 16,
    ]);
}
