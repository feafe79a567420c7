//! Replays the saved fuzz corpus on stable: the fuzz targets `catalogue_commands` and
//! `catalogue_json` are thin wrappers around `fuzz/harness/catalogue.rs`, which this test
//! includes and feeds every input saved in `fuzz/corpus/<target>/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#[path = "../../../fuzz/harness/catalogue.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn catalogue_commands_corpus_replays() {
    let n = replay("catalogue_commands", harness::commands);
    assert!(n >= 10, "the catalogue_commands corpus has only {n} inputs");
}

#[test]
fn catalogue_json_corpus_replays() {
    let n = replay("catalogue_json", harness::json);
    assert!(n >= 10, "the catalogue_json corpus has only {n} inputs");
}
