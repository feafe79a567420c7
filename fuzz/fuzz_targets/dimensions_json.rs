//! The dimensions harness's `organisation_json` (see `harness/dimensions.rs`, shared with the
//! stable replay `crates/itsm-dimensions/tests/fuzz_corpus.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../harness/dimensions.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::organisation_json(data));
