//! Bytes -> a contract (every model, with and without start and end dates, near chrono's
//! ends sometimes, covered assets and users, 0 to 3 rate cards of every interval and
//! distribution, a broken rule sometimes; or ten thousand rate cards), a policy (approver
//! only or any manager, reminders, expiry on or after the end date, drafts cancelable, 1 to
//! a million lines per tick, or an invalid one) and up to 48 commands of every kind by
//! managers, finance users, approvers right or wrong and users without roles, on days that
//! move forward 0 to 400 days (to `next_deadline`, the day before it, near chrono's last
//! day, or back for one command): never a panic, `Err` exactly where the documented rules
//! refuse, and every event, expense line, the record, its costs and `next_deadline` equal to
//! the harness's own model of docs/contract.md.
//!
//! The logic is in `harness/contract.rs`, shared with the stable replay test
//! `crates/itsm-contract/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The corpus test also reads what `run` returns; this target does not.
#[allow(dead_code)]
#[path = "../harness/contract.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::contract(data));
