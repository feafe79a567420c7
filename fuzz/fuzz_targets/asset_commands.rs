//! Bytes -> a policy variant and a stream of asset commands (and depreciations) against one
//! inventory: never a panic, every invariant holds.
//!
//! The logic is in `harness/asset.rs`, shared with the stable replay test
//! `crates/itsm-asset/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/asset.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::commands(data));
