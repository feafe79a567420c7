//! Bytes -> the log importer and the replay (`harness::rows`): see `harness/import.rs`.
//!
//! The logic is in `harness/import.rs`, shared with the stable replay test
//! `examples/tests/import_fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/import.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::rows(data));
