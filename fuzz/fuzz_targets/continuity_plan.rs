//! Bytes -> a dependency graph (services, configuration items at a few locations, redundancy
//! groups with counts, percentages and influences, cycles, sometimes a large shape), a
//! continuity spec (objectives and capabilities, durations at chrono's limits, defects), a
//! disruption and a policy, and a business impact analysis (template and answers): never a
//! panic, `Err` exactly for the documented defects, every answer equal to the harness's own
//! model of docs/continuity.md.
//!
//! The logic is in `harness/continuity.rs`, shared with the stable replay test
//! `crates/itsm-continuity/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The corpus test also reads what `run` returns and the names of statuses and shapes; this
// target does not.
#[allow(dead_code)]
#[path = "../harness/continuity.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::plan(data));
