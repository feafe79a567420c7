//! Bytes -> SLA definitions from JSON; whatever loads round trips, passes `check` and
//! runs a fixed timeline with every invariant of the host's loop.
//!
//! The logic is in `harness/sla.rs`, shared with the stable replay test
//! `crates/itsm-sla/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/sla.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::definitions_json(data));
