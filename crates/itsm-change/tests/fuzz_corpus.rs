//! Replays the saved fuzz corpus on stable: the fuzz targets `change_commands` and
//! `change_policy_json` are thin wrappers around `fuzz/harness/change.rs`, which this test
//! includes and feeds every input saved in `fuzz/corpus/<target>/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#[path = "../../../fuzz/harness/change.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn change_commands_corpus_replays() {
    let n = replay("change_commands", harness::commands);
    assert!(n >= 10, "the change_commands corpus has only {n} inputs");
}

#[test]
fn change_policy_json_corpus_replays() {
    let n = replay("change_policy_json", harness::policy_json);
    assert!(n >= 2, "the change_policy_json corpus has only {n} inputs");
}
