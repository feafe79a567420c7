//! Bytes -> a stream of signals, operator commands and ticks against one alert board under
//! a policy the bytes choose: never a panic, every invariant holds.
//!
//! The logic is in `harness/alert.rs`, shared with the stable replay test
//! `crates/itsm-alert/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/alert.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::commands(data));
