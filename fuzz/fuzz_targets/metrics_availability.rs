//! Bytes -> JSON `[commitment, outages, periods]` -> availability with and without a
//! schedule, and over generated calendar periods: never a panic, every invariant holds.
//!
//! The logic is in `harness/metrics_availability.rs`, shared with the stable replay test
//! `crates/itsm-metrics/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/metrics_availability.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::availability(data));
