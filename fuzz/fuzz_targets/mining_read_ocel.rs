//! Bytes -> JSON -> `itsm_mining::ocel::from_document`, and what it reads written and read
//! again.
//!
//! The logic is in `harness/mining_read.rs` (`read_ocel`), shared with the stable replay test
//! `crates/itsm-mining/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/mining_read.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::read_ocel(data));
