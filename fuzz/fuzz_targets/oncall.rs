//! Bytes -> an on-call schedule (layers rotating by hours, days or weeks in UTC, fixed
//! offsets or Europe/Berlin, restrictions, dates, time off with and without cover, overrides
//! of the schedule or of one layer, defects sometimes), an escalation policy and up to 16
//! commands: never a panic, `Err` exactly for the documented defects, `on_call`, `shifts`,
//! `gaps`, `conflicts`, `load` and every event equal to the harness's own model of the doc
//! comments.
//!
//! The logic is in `harness/oncall.rs`, shared with the stable replay test
//! `crates/itsm-oncall/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The corpus test also reads what `run` returns; this target does not.
#[allow(dead_code)]
#[path = "../harness/oncall.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::oncall(data));
