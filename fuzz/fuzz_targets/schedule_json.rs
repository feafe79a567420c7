//! Bytes -> the change calendar's JSON types (each round trips) and whole inputs (changes,
//! limits, checks, proposals, search) answered like the reference model.
//!
//! The logic is in `harness/schedule_json.rs` and `harness/schedule.rs`, shared with the
//! stable test `crates/itsm-schedule/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The JSON harness uses the reference model's part of the queries harness.
#[allow(dead_code)]
#[path = "../harness/schedule.rs"]
mod harness;
#[path = "../harness/schedule_json.rs"]
mod json_harness;

fuzz_target!(|data: &[u8]| json_harness::json(data));
