//! Replays the saved fuzz corpus on stable.
//!
//! The fuzz targets `schedule_queries` and `schedule_json` in `fuzz/` (run with
//! `cargo +nightly fuzz run <target>`) are thin wrappers around the functions of
//! `fuzz/harness/schedule.rs` and `fuzz/harness/schedule_json.rs`; this test includes the
//! same files and feeds them every input saved in `fuzz/corpus/<target>/`, so each input the
//! fuzzer found interesting (and each past crash, once fixed and saved there) is checked
//! again by `cargo test`, without nightly or libFuzzer.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

// The harnesses are library-like code shared with the fuzz targets: they keep the
// workspace's lints.
#[warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#[path = "../../../fuzz/harness/schedule.rs"]
mod harness;
#[warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#[path = "../../../fuzz/harness/schedule_json.rs"]
mod json_harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn schedule_queries_corpus_replays() {
    let n = replay("schedule_queries", harness::queries);
    assert!(n >= 10, "the schedule_queries corpus has only {n} inputs");
}

#[test]
fn schedule_json_corpus_replays() {
    let n = replay("schedule_json", json_harness::json);
    assert!(n >= 5, "the schedule_json corpus has only {n} inputs");
}

/// Inputs written by hand pass: the README's calendar in JSON, bad records, inputs that
/// are not JSON, and a few byte strings for the queries.
#[test]
fn inputs_built_from_the_code_pass() {
    let input = r#"{
      "changes": [
        { "change": "00000000-0000-0000-0000-000000000064", "items": ["00000000-0000-0000-0000-000000000001"],
          "start": "2026-03-07T20:00:00Z", "end": "2026-03-07T23:00:00Z" },
        { "change": "00000000-0000-0000-0000-000000000065", "items": ["00000000-0000-0000-0000-000000000001"],
          "start": "2026-03-07T21:00:00Z" },
        { "change": "00000000-0000-0000-0000-000000000066", "items": [],
          "start": "2026-03-07T21:00:00Z", "end": "2026-03-07T21:00:00Z", "assignee": "00000000-0000-0000-0000-000000000007" }
      ],
      "limits": { "longest": "P2D" },
      "proposals": [
        { "items": ["00000000-0000-0000-0000-000000000001"], "window": { "start": "2026-03-07T22:00:00Z", "end": "2026-03-07T23:00:00Z" } }
      ],
      "search": { "horizon": "P1D", "count": 3, "step": "PT1H" }
    }"#;
    json_harness::json(input.as_bytes());
    json_harness::json(br#"{"start": "2026-03-07T22:00:00Z", "end": "2026-03-07T22:00:00Z"}"#);
    json_harness::json(br#"{"reason": "in_blackout", "item": null, "blackout": "year end"}"#);
    json_harness::json(br#"{"horizon": "P90D", "count": 100, "step": "PT1H"}"#);
    json_harness::json(&[0xff, 0x00]);
    harness::queries(&[]);
    // A year limit, all checks; four changes on items 1 and 2 (one a duplicate id, one
    // without an end, one zero-length); nights on item 1; a global freeze; edges 1 -> 2;
    // keys; two proposals.
    harness::queries(&[
        0, 0, 4, 0, 1, 10, 8, 0, 1, 3, 12, 8, 1, 0, 2, 20, 255, 2, 2, 3, 30, 0, 3, 1, 0, 0, 0, 0,
        0, 1, 2, 4, 4, 128, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 3, 4, 8, 0, 1, 9, 2, 6, 2, 0, 3, 2,
        40,
    ]);
}
