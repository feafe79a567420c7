//! Bytes -> an approval policy, a request and a sequence of commands through decide/evolve,
//! invariants checked after every step.
//!
//! The logic is in `harness/approval.rs`, shared with the stable replay test
//! `crates/itsm-approval/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/approval.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::commands(data));
