//! Bytes -> a change calendar with dirty records, maintenance windows, blackouts, a
//! topology and related keys, then proposals and a search; every answer compared with a
//! reference model.
//!
//! The logic is in `harness/schedule.rs`, shared with the stable tests of
//! `crates/itsm-schedule` (`tests/fuzz_corpus.rs`, `tests/reference.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/schedule.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::queries(data));
