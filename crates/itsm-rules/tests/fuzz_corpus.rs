//! Replays the saved fuzz corpus on stable: the fuzz target `rules_json` is a thin wrapper
//! around `fuzz/harness/rules.rs`, which this test includes and feeds every input saved in
//! `fuzz/corpus/rules_json/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/rules.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn rules_json_corpus_replays() {
    let n = replay("rules_json", harness::rules_json);
    assert!(n >= 10, "the rules_json corpus has only {n} inputs");
}
