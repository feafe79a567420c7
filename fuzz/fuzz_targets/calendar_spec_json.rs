//! Bytes -> a calendar spec from JSON (or a time of day from text); whatever loads round
//! trips, compiles like the reference and answers by the laws.
//!
//! The logic is in `harness/calendar.rs`, shared with the stable replay test
//! `crates/itsm-calendar/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/calendar.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::spec_json(data));
