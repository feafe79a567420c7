//! Bytes -> task and labour rate cards, workers and closed tasks (duplicate names, negative
//! and huge times and rates sometimes): never a panic, `Err` exactly for the documented
//! defects, every line equal to the harness's own model of docs/cost.md's task rules.
//!
//! The logic is in `harness/cost_tasks.rs`, shared with the stable replay test
//! `crates/itsm-cost/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../harness/cost_tasks.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::tasks(data));
