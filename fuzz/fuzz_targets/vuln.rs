//! Bytes -> a vulnerability response policy (recalculation method, longest exception, stale
//! days, self approval, closing retired items, the calculator) and up to 48 commands of
//! every kind over four items and four tasks, by scanners, owners, an administrator,
//! approvers and users without roles, at times moving forward (to `next_deadline` too) and
//! sometimes back: never a panic, a refusal changes nothing, `evolve` folds as
//! `Board::apply`, the board survives JSON, every item's state is the roll-down of its own
//! and its tasks', every task's the roll-up of its items', and a tick does something exactly
//! from `next_deadline` on.
//!
//! The logic is in `harness/vuln.rs`, shared with the stable replay test
//! `crates/itsm-vuln/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The corpus test also reads what `run` returns; this target does not.
#[allow(dead_code)]
#[path = "../harness/vuln.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::vuln(data));
