//! Replays the saved fuzz corpus on stable: the fuzz target `dimensions_json` is a thin
//! wrapper around `fuzz/harness/dimensions.rs`, which this test includes and feeds every
//! input saved in `fuzz/corpus/dimensions_json/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/dimensions.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn dimensions_json_corpus_replays() {
    let n = replay("dimensions_json", harness::organisation_json);
    assert!(n >= 8, "the dimensions_json corpus has only {n} inputs");
}
