//! Bytes -> SLA definitions and a timeline of views through decide/evolve with ticks at
//! next_deadline, every invariant checked after every step and the run compared with replay.
//!
//! The logic is in `harness/sla.rs`, shared with the stable replay test
//! `crates/itsm-sla/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/sla.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::timeline(data));
