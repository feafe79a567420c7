//! Replays the saved fuzz corpora on stable: the fuzz targets `mining_export`,
//! `mining_read_xes` and `mining_read_ocel` are thin wrappers around
//! `fuzz/harness/mining.rs` and `mining_read.rs`, which this test includes and feeds every input saved in their
//! folders under `fuzz/corpus/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/mining.rs"]
mod harness;
// The OCEL reader needs the `serde` feature (its `Document` is deserialized).
#[cfg(feature = "serde")]
#[path = "../../../fuzz/harness/mining_read.rs"]
mod harness_read;

use itsm_testkit::replay_corpus as replay;

#[test]
fn mining_export_corpus_replays() {
    let n = replay("mining_export", harness::export);
    assert!(n >= 10, "the mining_export corpus has only {n} inputs");
}

#[cfg(feature = "serde")]
#[test]
fn mining_read_xes_corpus_replays() {
    let n = replay("mining_read_xes", harness_read::read_xes);
    assert!(n >= 4, "the mining_read_xes corpus has only {n} inputs");
}

#[cfg(feature = "serde")]
#[test]
fn mining_read_ocel_corpus_replays() {
    let n = replay("mining_read_ocel", harness_read::read_ocel);
    assert!(n >= 3, "the mining_read_ocel corpus has only {n} inputs");
}
