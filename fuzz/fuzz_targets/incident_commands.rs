//! Bytes -> a sequence of commands through decide/evolve, invariants checked after every step.
//!
//! The logic is in `harness/incident.rs`, shared with the stable replay test
//! `crates/itsm-incident/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/incident.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::commands(data));
