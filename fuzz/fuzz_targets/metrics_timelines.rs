//! Bytes -> JSON timelines -> every KPI under every option and the backlog: never a panic,
//! every invariant holds.
//!
//! The logic is in `harness/metrics.rs`, shared with the stable replay test
//! `crates/itsm-metrics/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/metrics.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::timelines(data));
