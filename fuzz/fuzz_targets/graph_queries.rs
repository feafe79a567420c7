//! Bytes -> a small graph with cycles and groups, scenarios and queries; every answer
//! compared with a reference model.
//!
//! The logic is in `harness/graph.rs`, shared with the stable replay test
//! `crates/itsm-graph/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/graph.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::queries(data));
