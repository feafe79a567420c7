//! Replays the saved fuzz corpus on stable: the fuzz target `alert_commands` is a thin
//! wrapper around `fuzz/harness/alert.rs`, which this test includes and feeds every input
//! saved in `fuzz/corpus/alert_commands/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/alert.rs"]
mod harness;

#[test]
fn alert_commands_corpus_replays() {
    let n = itsm_testkit::replay_corpus("alert_commands", harness::commands);
    assert!(n >= 6, "the alert_commands corpus has only {n} inputs");
}
