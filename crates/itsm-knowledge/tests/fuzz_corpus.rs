//! Replays the saved fuzz corpus on stable: the fuzz targets `knowledge_commands` and
//! `knowledge_policy_json` are thin wrappers around `fuzz/harness/knowledge.rs`, which this
//! test includes and feeds every input saved in `fuzz/corpus/<target>/`.
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
#[path = "../../../fuzz/harness/knowledge.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn knowledge_commands_corpus_replays() {
    let n = replay("knowledge_commands", harness::commands);
    assert!(n >= 10, "the knowledge_commands corpus has only {n} inputs");
}

#[test]
fn knowledge_policy_json_corpus_replays() {
    let n = replay("knowledge_policy_json", harness::policy_json);
    assert!(
        n >= 3,
        "the knowledge_policy_json corpus has only {n} inputs"
    );
}
