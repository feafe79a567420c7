//! Bytes -> a calendar built by hand (zone, horizon, week, holidays, exceptions) and a
//! sequence of queries, each checked against the laws of business time.
//!
//! The logic is in `harness/calendar.rs`, shared with the stable replay test
//! `crates/itsm-calendar/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/calendar.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::queries(data));
