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

use std::sync::atomic::{AtomicUsize, Ordering};

use itsm_testkit::replay_corpus as replay;

#[test]
fn sla_timeline_corpus_replays() {
    let n = replay("sla_timeline", harness::timeline);
    assert!(n >= 10, "the sla_timeline corpus has only {n} inputs");
}

/// How many corpus inputs decode, so that a format change that leaves the JSON corpora
/// behind (every input refused at the door, nothing run) fails here.
static DEFINITIONS_DECODED: AtomicUsize = AtomicUsize::new(0);
static EVENTS_DECODED: AtomicUsize = AtomicUsize::new(0);

fn definitions_counted(data: &[u8]) {
    if serde_json::from_slice::<Vec<itsm_sla::Definition>>(data).is_ok()
        || serde_json::from_slice::<itsm_sla::Definition>(data).is_ok()
    {
        DEFINITIONS_DECODED.fetch_add(1, Ordering::Relaxed);
    }
    harness::definitions_json(data);
}

fn events_counted(data: &[u8]) {
    if serde_json::from_slice::<Vec<itsm_sla::Event>>(data).is_ok()
        || serde_json::from_slice::<itsm_sla::Event>(data).is_ok()
        || serde_json::from_slice::<itsm_sla::Clocks>(data).is_ok()
        || serde_json::from_slice::<itsm_sla::Clock>(data).is_ok()
    {
        EVENTS_DECODED.fetch_add(1, Ordering::Relaxed);
    }
    harness::events_json(data);
}

#[test]
fn sla_definitions_json_corpus_replays() {
    let n = replay("sla_definitions_json", definitions_counted);
    assert!(
        n >= 5,
        "the sla_definitions_json corpus has only {n} inputs"
    );
    let decoded = DEFINITIONS_DECODED.load(Ordering::Relaxed);
    assert!(
        decoded >= 40,
        "only {decoded} of {n} sla_definitions_json inputs decode: convert the corpus to the current format"
    );
}

#[test]
fn sla_events_json_corpus_replays() {
    let n = replay("sla_events_json", events_counted);
    assert!(n >= 5, "the sla_events_json corpus has only {n} inputs");
    let decoded = EVENTS_DECODED.load(Ordering::Relaxed);
    assert!(
        decoded >= 20,
        "only {decoded} of {n} sla_events_json inputs decode: convert the corpus to the current format"
    );
}

/// Inputs built from the code itself pass: a definition and an event log in JSON, inputs
/// that are not JSON at all, and a few byte strings.
#[test]
fn inputs_built_from_the_code_pass() {
    let definition = r#"{
      "id": "p1-resolution", "kind": "resolution", "agreement": "sla", "target": "PT4H",
      "calendar": "office", "start": {"priority_in": [1]},
      "stop": {"category_in": ["resolved", "closed"]}, "pause": {"category_in": ["pending"]},
      "pause_mode": "pause", "thresholds": [50, 75], "reopen": "new_cycle",
      "escalations": [{"name": "manager", "offset": "-PT30M"}]
    }"#;
    // The inputs built here decode: they exercise more than the refusal.
    assert!(serde_json::from_str::<itsm_sla::Definition>(definition).is_ok());
    harness::definitions_json(definition.as_bytes());
    harness::definitions_json(format!("[{definition}, {definition}]").as_bytes());
    let canceled =
        br#"[{"type": "canceled", "definition": "d0", "cycle": 1, "at": "2026-03-02T09:00:00Z"}]"#;
    assert!(serde_json::from_slice::<Vec<itsm_sla::Event>>(canceled).is_ok());
    harness::events_json(canceled);
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
