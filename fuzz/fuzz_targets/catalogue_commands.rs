//! The catalogue harness's `commands` (see `harness/catalogue.rs`, shared with the stable
//! replay `crates/itsm-catalogue/tests/fuzz_corpus.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../harness/catalogue.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::commands(data));
