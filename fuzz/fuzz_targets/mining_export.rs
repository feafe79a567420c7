//! Bytes -> an object-centric event log written as OCEL 2.0 JSON and XES, and a lifecycle
//! written as PNML, invariants checked.
//!
//! The logic is in `harness/mining.rs`, shared with the stable replay test
//! `crates/itsm-mining/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/mining.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::export(data));
