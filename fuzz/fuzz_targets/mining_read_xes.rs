//! Bytes -> `itsm_mining::xes::from_xes`, and what it reads written and read again.
//!
//! The logic is in `harness/mining_read.rs` (`read_xes`), shared with the stable replay test
//! `crates/itsm-mining/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/mining_read.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::read_xes(data));
