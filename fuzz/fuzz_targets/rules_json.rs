//! The rules harness's `rules_json` (see `harness/rules.rs`, shared with the stable replay
//! `crates/itsm-rules/tests/fuzz_corpus.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../harness/rules.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::rules_json(data));
