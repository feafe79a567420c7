//! Replays the saved fuzz corpus on stable.
//!
//! The fuzz targets `calendar_queries`, `calendar_spec_json` and `calendar_ics` in `fuzz/` (run with
//! `cargo +nightly fuzz run <target>`) are thin wrappers around the functions of
//! `fuzz/harness/calendar.rs` and `calendar_ics.rs`; this test includes the same files and feeds it every input saved
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
#[path = "../../../fuzz/harness/calendar.rs"]
mod harness;
#[warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#[path = "../../../fuzz/harness/calendar_ics.rs"]
mod harness_ics;

use itsm_testkit::replay_corpus as replay;

#[test]
fn calendar_queries_corpus_replays() {
    let n = replay("calendar_queries", harness::queries);
    assert!(n >= 10, "the calendar_queries corpus has only {n} inputs");
}

#[test]
fn calendar_spec_json_corpus_replays() {
    let n = replay("calendar_spec_json", harness::spec_json);
    assert!(n >= 5, "the calendar_spec_json corpus has only {n} inputs");
}

/// Inputs built from the code itself pass: a spec in JSON, texts that are times of day or
/// not, inputs that are not JSON at all, and a few byte strings.
#[test]
fn inputs_built_from_the_code_pass() {
    let office = r#"{
      "name": "berlin-office",
      "week": { "mon": [{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "24:00" }],
                "sat": [{ "start": "02:30", "end": "03:30:15" }] },
      "holidays": [{ "kind": "yearly", "month": 2, "day": 29, "name": "leap" },
                   { "kind": "date", "date": "2026-03-30", "name": "closed" }],
      "exceptions": [{ "name": "migration", "start": "2026-03-28T22:00:00", "end": "2026-03-29T04:00:00.5", "open": true }]
    }"#;
    harness::spec_json(office.as_bytes());
    harness::spec_json(br#"{"name": "x", "week": {"mon": [{"start": "10:00", "end": "09:00"}]}}"#);
    harness::spec_json(b"24:00");
    harness::spec_json(b"24:00:01");
    harness::spec_json(&[0xff, 0x00]);
    harness::queries(&[]);
    // Berlin across the spring change, office hours with a lunch break every day, then a
    // few queries around the intervals' edges.
    harness::queries(&[
        4, 1, 3, 2, 2, 2, 2, 2, 5, 5, 0, 0, 2, 1, 0, 3, 1, 0, 2, 3, 2, 0, 0, 3, 3, 1, 4, 0, 4, 200,
        6, 0, 1, 9, 0, 7, 3, 2, 2, 0, 1, 8, 0, 4, 9, 0,
    ]);
}

#[test]
fn calendar_ics_corpus_replays() {
    let n = replay("calendar_ics", harness_ics::ics);
    assert!(n >= 4, "the calendar_ics corpus has only {n} inputs");
}
