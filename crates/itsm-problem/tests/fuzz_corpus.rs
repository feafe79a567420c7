//! Replays the saved fuzz corpus on stable: the fuzz targets `problem_commands` and
//! `problem_policy_json` are thin wrappers around `fuzz/harness/problem.rs`, which this test
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
#[path = "../../../fuzz/harness/problem.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn problem_commands_corpus_replays() {
    let n = replay("problem_commands", harness::commands);
    assert!(n >= 10, "the problem_commands corpus has only {n} inputs");
}

#[test]
fn problem_policy_json_corpus_replays() {
    let n = replay("problem_policy_json", harness::policy_json);
    assert!(n >= 2, "the problem_policy_json corpus has only {n} inputs");
}
