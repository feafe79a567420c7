//! Bytes -> a licence snapshot (models with downgrade rights, devices with and without
//! hardware, installs, subscriptions, entitlements of every metric with allocations, edge
//! numbers and dates, sometimes a large shape) and a policy, reconciled: never a panic,
//! `Err` exactly for the documented defects, every invariant of the position holds.
//!
//! The logic is in `harness/licence.rs`, shared with the stable replay test
//! `crates/itsm-licence/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The corpus test also reads what `run` returns and the metric names; this target does not.
#[allow(dead_code)]
#[path = "../harness/licence.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::reconciliation(data));
