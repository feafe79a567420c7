//! Replays the saved fuzz corpus on stable: the fuzz target `metrics_timelines` is a thin
//! wrapper around `fuzz/harness/metrics.rs`, which this test includes and feeds every input
//! saved in `fuzz/corpus/metrics_timelines/`; the same for `metrics_availability`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/metrics.rs"]
mod harness;

#[path = "../../../fuzz/harness/metrics_availability.rs"]
mod availability;

#[test]
fn metrics_timelines_corpus_replays() {
    let n = itsm_testkit::replay_corpus("metrics_timelines", harness::timelines);
    assert!(n >= 6, "the metrics_timelines corpus has only {n} inputs");
}

/// The seeds reach the KPIs: most of them decode (a corpus of parse errors tests nothing).
#[test]
fn most_seeds_decode() {
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/metrics_timelines");
    let decoded = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            let data = std::fs::read(e.as_ref().unwrap().path()).unwrap();
            serde_json::from_slice::<Vec<itsm_core::Timeline>>(&data).is_ok()
        })
        .count();
    assert!(decoded >= 4, "only {decoded} seeds decode");
}

#[test]
fn metrics_availability_corpus_replays() {
    let n = itsm_testkit::replay_corpus("metrics_availability", availability::availability);
    assert!(
        n >= 6,
        "the metrics_availability corpus has only {n} inputs"
    );
}

/// The availability seeds reach the measure: most of them decode.
#[test]
fn most_availability_seeds_decode() {
    use itsm_metrics::{Commitment, Outage, Period};
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/metrics_availability");
    let decoded = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            let data = std::fs::read(e.as_ref().unwrap().path()).unwrap();
            serde_json::from_slice::<(Commitment, Vec<Outage>, Vec<Period>)>(&data).is_ok()
        })
        .count();
    assert!(decoded >= 5, "only {decoded} seeds decode");
}
