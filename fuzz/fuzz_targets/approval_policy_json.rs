//! Bytes -> an approval policy (or state, command, event) from JSON; a policy that loads
//! round-trips and runs a fixed scenario both ways.
//!
//! The logic is in `harness/approval.rs`, shared with the stable replay test
//! `crates/itsm-approval/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/approval.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::policy_json(data));
