//! Replays the saved fuzz corpus on stable: the fuzz target `licence_reconcile` is a thin
//! wrapper around `fuzz/harness/licence.rs`, which this test includes and feeds every input
//! saved in `fuzz/corpus/licence_reconcile/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/licence.rs"]
mod harness;

#[test]
fn licence_reconcile_corpus_replays() {
    let n = itsm_testkit::replay_corpus("licence_reconcile", harness::reconciliation);
    assert!(n >= 24, "the licence_reconcile corpus has only {n} inputs");
}

/// The hand-written seeds (the files named `seed-*`) license at least one record under
/// every metric, reach every large shape with a position, include refused snapshots and
/// run with and without downgrade rights.
#[test]
fn the_seeds_reach_every_metric_and_shape() {
    use std::collections::{BTreeMap, BTreeSet};
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/licence_reconcile");
    let mut covered = BTreeSet::new();
    let mut shapes = BTreeSet::new();
    let mut refused = 0;
    let mut downgrade_policies = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("seed-") {
            continue;
        }
        let outcome = harness::run(&std::fs::read(&path).unwrap());
        downgrade_policies.insert(outcome.policy.downgrade_rights);
        let Ok(position) = &outcome.answer else {
            refused += 1;
            continue;
        };
        if let Some(shape) = outcome.shape {
            shapes.insert(shape);
        }
        let metrics: BTreeMap<&str, &itsm_licence::Metric> = outcome
            .snapshot
            .entitlements
            .iter()
            .map(|e| (e.id.as_str(), &e.metric))
            .collect();
        for c in position.installs.iter().chain(&position.subscriptions) {
            if let Some(id) = c.entitlement.as_deref() {
                covered.insert(harness::metric_name(metrics[id]));
            }
        }
    }
    for name in harness::METRIC_NAMES {
        assert!(
            covered.contains(name),
            "no seed licenses a record under {name}"
        );
    }
    for name in harness::SHAPES {
        assert!(shapes.contains(name), "no seed reconciles the shape {name}");
    }
    assert!(refused > 0, "no seed is refused");
    assert_eq!(
        downgrade_policies.len(),
        2,
        "the seeds do not try both downgrade policies"
    );
}
