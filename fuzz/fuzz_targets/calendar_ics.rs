//! Bytes -> `itsm_calendar::ics::read`, and the calendar its holidays and exceptions make.
//!
//! The logic is in `harness/calendar_ics.rs`, shared with the stable replay test
//! `crates/itsm-calendar/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/calendar_ics.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::ics(data));
