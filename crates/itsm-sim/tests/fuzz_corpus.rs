//! Replays the saved fuzz corpus on stable: the fuzz target `sim_config` is a thin wrapper
//! around `fuzz/harness/sim.rs`, which this test includes and feeds every input saved in
//! `fuzz/corpus/sim_config/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/sim.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn sim_config_corpus_replays() {
    let n = replay("sim_config", harness::sim_config);
    assert!(n >= 8, "the sim_config corpus has only {n} inputs");
}
