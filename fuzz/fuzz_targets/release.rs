//! Bytes -> a release plan (one to four phases, stage or timeline, dates around 2027 or near
//! chrono's ends, tasks with and without due dates and approvers, checks, holidays; UTC,
//! fixed offsets or Europe/Berlin; plan defects sometimes), a policy and up to 24 commands by
//! four actors at instants going forward, back and to the next deadline: never a panic,
//! `Err` exactly where the documented rules refuse, and every event, the release, the next
//! deadline and the risk scores equal to the harness's own model of docs/release.md.
//!
//! The logic is in `harness/release.rs`, shared with the stable replay test
//! `crates/itsm-release/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The corpus test also reads what `run` returns; this target does not.
#[allow(dead_code)]
#[path = "../harness/release.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::release(data));
