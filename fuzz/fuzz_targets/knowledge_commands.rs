//! The knowledge harness's `commands` (see `harness/knowledge.rs`, shared with the stable
//! replay `crates/itsm-knowledge/tests/fuzz_corpus.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../harness/knowledge.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::commands(data));
