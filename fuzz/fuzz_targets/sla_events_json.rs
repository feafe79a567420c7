//! Bytes -> SLA events, clocks, views and conditions from JSON; whatever loads round trips
//! and folds, and decoded clocks are measured, ticked and updated without a panic.
//!
//! The logic is in `harness/sla.rs`, shared with the stable replay test
//! `crates/itsm-sla/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/sla.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::events_json(data));
