//! What several test files share.
#![allow(clippy::unwrap_used)]

use itsm_sim::{Engine, Model, RunReport, simulate};

/// Runs both paths, checks that tickets are conserved on each and that they agree (waits,
/// reopens, reassignments, group figures, each class's attainment), and returns the fast
/// path's report.
pub fn both(model: &Model, seed: u64) -> RunReport {
    let fast = simulate(model, seed, Engine::Fast).unwrap();
    let full = simulate(model, seed, Engine::Full).unwrap();
    for r in [&fast, &full] {
        assert_eq!(
            r.arrivals + r.reopened,
            r.completed + r.in_service + r.queued + r.on_hold
        );
    }
    assert_eq!(fast.waits, full.waits);
    assert_eq!(fast.reopened, full.reopened);
    assert_eq!(fast.reassigned, full.reassigned);
    assert_eq!(fast.groups, full.groups);
    assert_eq!(fast.classes.len(), full.classes.len());
    for (f, s) in fast.classes.iter().zip(&full.classes) {
        assert_eq!(f.response, s.response, "priority {}", f.priority);
        assert_eq!(f.resolution, s.resolution, "priority {}", f.priority);
    }
    fast
}
