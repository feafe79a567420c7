//! Bytes -> a plan library (2 to 5 plans of up to 6 tasks with random dependencies incl.
//! cycles, referred plans incl. self and mutual references, related plans, plan
//! dependencies, automatic tasks with backups, assets with levels and RTOs; or a chain or fan
//! of thousands of tasks, a plan nested 10 levels deep, too many plans or tasks), a policy
//! (both orders, 1 to 4 levels or 10 or invalid ones, approval needed or not) and up to 48
//! commands of every kind by seven actors: never a panic, `Err` exactly where the documented
//! rules refuse, and every event, the event record, its assets and efforts equal to the
//! harness's own model of docs/crisis.md.
//!
//! The logic is in `harness/crisis.rs`, shared with the stable replay test
//! `crates/itsm-crisis/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The corpus test also reads what `run` returns; this target does not.
#[allow(dead_code)]
#[path = "../harness/crisis.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::crisis(data));
