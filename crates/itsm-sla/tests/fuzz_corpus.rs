//! Replays the saved fuzz corpus on stable.
//!
//! The fuzz targets `sla_timeline`, `sla_definitions_json` and `sla_events_json` in `fuzz/`
//! (run with `cargo +nightly fuzz run <target>`) are thin wrappers around the functions of
//! `fuzz/harness/sla.rs`; this test includes the same file and feeds it every input saved
//! in `fuzz/corpus/<target>/`, so each input the fuzzer found interesting (and each past
//! crash, once fixed and saved there) is checked again by `cargo test`, without nightly or
//! libFuzzer.
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
#[path = "../../../fuzz/harness/sla.rs"]
mod harness;

#[path = "../../../fuzz/harness/corpus.rs"]
mod corpus;
use corpus::replay;

#[test]
fn sla_timeline_corpus_replays() {
    let n = replay("sla_timeline", harness::timeline);
    assert!(n >= 10, "the sla_timeline corpus has only {n} inputs");
}

#[test]
fn sla_definitions_json_corpus_replays() {
    let n = replay("sla_definitions_json", harness::definitions_json);
    assert!(
        n >= 5,
        "the sla_definitions_json corpus has only {n} inputs"
    );
}

#[test]
fn sla_events_json_corpus_replays() {
    let n = replay("sla_events_json", harness::events_json);
    assert!(n >= 5, "the sla_events_json corpus has only {n} inputs");
}

/// Inputs built from the code itself pass: a definition and an event log in JSON, inputs
/// that are not JSON at all, and a few byte strings.
#[test]
fn inputs_built_from_the_code_pass() {
    let definition = r#"{
      "id": "p1-resolution", "target": "resolution", "agreement": "sla", "target_seconds": 14400,
      "calendar": "office", "start": {"priority_in": [1]},
      "stop": {"category_in": ["resolved", "closed"]}, "pause": {"category_in": ["pending"]},
      "pause_mode": "pause", "thresholds": [50, 75], "reopen": "new_cycle",
      "escalations": [{"name": "manager", "offset_seconds": -1800}]
    }"#;
    harness::definitions_json(definition.as_bytes());
    harness::definitions_json(format!("[{definition}, {definition}]").as_bytes());
    harness::events_json(
        br#"[{"type": "cancelled", "definition": "d0", "cycle": 1, "at": "2026-03-02T09:00:00Z"}]"#,
    );
    harness::events_json(br#"{"all": [{"state_in": ["new"]}, {"not": "always"}]}"#);
    harness::events_json(&[0xff, 0x00]);
    harness::timeline(&[]);
    // One definition around the clock with thresholds, then views: new, waiting, back,
    // a tick's worth of time, resolved, reopened.
    harness::timeline(&[
        0, 0, 0, 1, 0, 3, 0, 0, 1, 1, 0, 2, 2, 0, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 1, 5, 1, 2, 1, 1,
        0, 0, 5, 0, 1, 0, 1, 0, 0, 10, 3, 3, 0, 0, 0, 0, 7, 1, 1, 0, 1, 0, 0, 1,
    ]);
}
