//! Replays the saved fuzz corpus on stable: the fuzz target `mining_export` is a thin
//! wrapper around `fuzz/harness/mining.rs`, which this test includes and feeds every input
//! saved in `fuzz/corpus/mining_export/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/mining.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn mining_export_corpus_replays() {
    let n = replay("mining_export", harness::export);
    assert!(n >= 10, "the mining_export corpus has only {n} inputs");
}
