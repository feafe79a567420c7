//! The problem harness's `commands` (see `harness/problem.rs`, shared with the stable replay
//! `crates/itsm-problem/tests/fuzz_corpus.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../harness/problem.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::commands(data));
