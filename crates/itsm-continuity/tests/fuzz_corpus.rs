//! Replays the saved fuzz corpus on stable: the fuzz target `continuity_plan` is a thin
//! wrapper around `fuzz/harness/continuity.rs`, which this test includes and feeds every
//! input saved in `fuzz/corpus/continuity_plan/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/continuity.rs"]
mod harness;

#[test]
fn continuity_plan_corpus_replays() {
    let n = itsm_testkit::replay_corpus("continuity_plan", harness::plan);
    assert!(n >= 20, "the continuity_plan corpus has only {n} inputs");
}

/// The hand-written seeds (the files named `seed-*`) reach every status, both sequencings,
/// every kind of disruption, every large shape with a recovery, refused specs, disruptions
/// and assessments, and assessments with both rating rules.
#[test]
fn the_seeds_reach_every_status_and_shape() {
    use std::collections::BTreeSet;
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/continuity_plan");
    let mut statuses = BTreeSet::new();
    let mut sequencings = BTreeSet::new();
    let mut disruptions = BTreeSet::new();
    let mut shapes = BTreeSet::new();
    let mut rules = BTreeSet::new();
    let (mut refused_specs, mut refused_disruptions, mut overflows) = (0, 0, 0);
    let (mut assessed, mut refused_assessments) = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("seed-") {
            continue;
        }
        let outcome = harness::run(&std::fs::read(&path).unwrap());
        match &outcome.assessment {
            Ok(a) if a.rto.is_some() => {
                assessed += 1;
                rules.insert(format!("{:?}", outcome.input.template.rating_rule));
            }
            Ok(_) => {}
            Err(_) => refused_assessments += 1,
        }
        match (&outcome.plan, &outcome.recovery) {
            (Some(Err(_)), _) => refused_specs += 1,
            (_, Some(Ok(r))) => {
                sequencings.insert(format!("{:?}", outcome.input.policy.sequencing));
                disruptions.insert(harness::disruption_name(&outcome.input.disruption));
                if let Some(shape) = outcome.input.shape {
                    shapes.insert(shape);
                }
                for o in &r.outcomes {
                    statuses.insert(harness::status_name(o.status));
                }
            }
            (_, Some(Err(itsm_continuity::Error::Overflow { .. }))) => overflows += 1,
            (_, Some(Err(_))) => refused_disruptions += 1,
            _ => {}
        }
    }
    for s in harness::STATUSES {
        assert!(statuses.contains(s), "no seed has an objective {s}");
    }
    for d in harness::DISRUPTIONS {
        assert!(
            disruptions.contains(d),
            "no seed recovers from a disruption of kind {d}"
        );
    }
    for s in harness::SHAPES {
        assert!(shapes.contains(s), "no seed recovers the shape {s}");
    }
    assert_eq!(
        sequencings.len(),
        2,
        "the seeds do not try both sequencings"
    );
    assert_eq!(
        rules.len(),
        2,
        "the seeds do not assess under both rating rules"
    );
    assert!(refused_specs > 0, "no seed's spec is refused");
    assert!(refused_disruptions > 0, "no seed's disruption is refused");
    assert!(overflows > 0, "no seed overflows a duration");
    assert!(assessed > 0, "no seed's assessment has an RTO");
    assert!(refused_assessments > 0, "no seed's assessment is refused");
}
