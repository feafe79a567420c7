//! The change harness's `commands` (see `harness/change.rs`, shared with the stable replay
//! `crates/itsm-change/tests/fuzz_corpus.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../harness/change.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::commands(data));
