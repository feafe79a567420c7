//! Replays the saved fuzz corpus on stable: the fuzz target `cost_rollup` is a thin wrapper
//! around `fuzz/harness/cost.rs`, which this test includes and feeds every input saved in
//! `fuzz/corpus/cost_rollup/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/cost.rs"]
mod harness;

#[path = "../../../fuzz/harness/cost_tasks.rs"]
mod tasks_harness;

#[test]
fn cost_tasks_corpus_replays() {
    let n = itsm_testkit::replay_corpus("cost_tasks", tasks_harness::tasks);
    assert!(n >= 8, "the cost_tasks corpus has only {n} inputs");
}

#[test]
fn cost_rollup_corpus_replays() {
    let n = itsm_testkit::replay_corpus("cost_rollup", harness::rollup);
    assert!(n >= 20, "the cost_rollup corpus has only {n} inputs");
}

/// The hand-written seeds (the files named `seed-*`) reach every large shape, a cycle, an
/// overflow, every stage of refusal, both unit methods and both allocation choices, stranded
/// cost, undistributed cost, path rules and pools.
#[test]
fn the_seeds_reach_every_shape_and_error() {
    use std::collections::BTreeSet;
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/cost_rollup");
    let mut shapes = BTreeSet::new();
    let mut errors = BTreeSet::new();
    let mut policies = BTreeSet::new();
    let (mut stranded, mut undistributed, mut with_paths, mut allocated) = (0, 0, 0, 0);
    let mut pooled = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("seed-") {
            continue;
        }
        let outcome = harness::run(&std::fs::read(&path).unwrap());
        match &outcome.costing {
            Ok(c) => {
                if let Some(s) = outcome.input.shape {
                    shapes.insert(s);
                }
                let t = c.totals();
                stranded += usize::from(t.stranded != 0);
                undistributed += usize::from(t.undistributed != 0);
                allocated += usize::from(t.allocated != 0);
                with_paths += usize::from(outcome.input.spec.paths.is_some());
                if !c.allocations().is_empty() {
                    let p = outcome.input.policy;
                    policies.insert(format!("{:?} {:?}", p.unit_method, p.allocate));
                }
                if !c.pools().is_empty() {
                    pooled += 1;
                }
            }
            Err(e) => {
                let debug = format!("{e:?}");
                errors.insert(debug.split([' ', '{']).next().unwrap_or("").to_owned());
            }
        }
    }
    for s in harness::SHAPES {
        assert!(shapes.contains(s), "no seed costs the shape {s}");
    }
    for e in [
        "DuplicateId",
        "DuplicateRelation",
        "GroupInNodes",
        "EmptyGroup",
        "DuplicateMember",
        "UnknownRelation",
        "UnknownNode",
        "GroupNamed",
        "DuplicateName",
        "EmptySelector",
        "Cycle",
        "Overflow",
        "DuplicateUnits",
        "DuplicateConsumer",
        "ZeroUnits",
        "OverAllocated",
    ] {
        assert!(errors.contains(e), "no seed is refused with {e}");
    }
    assert_eq!(
        policies.len(),
        4,
        "the seeds allocate under {policies:?} only"
    );
    assert!(stranded > 0, "no seed strands cost");
    assert!(
        undistributed > 0,
        "no seed leaves a distribution cost undistributed"
    );
    assert!(allocated > 0, "no seed allocates anything");
    assert!(with_paths > 0, "no seed gives relationship paths");
    assert!(pooled > 0, "no seed costs a cycle as a pool");
}
