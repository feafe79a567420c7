//! What several test files share.
#![allow(clippy::unwrap_used)]

use itsm_sim::chrono::Duration;
use itsm_sim::{Arrivals, Engine, Model, RunReport, simulate};

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

/// Arrivals at `rate` an hour from Monday to Saturday and none on Sunday, so that every
/// ticket of a week's run from a Monday is done before its horizon.
#[allow(dead_code)] // not every test file that includes this module uses it
pub fn weekdays(rate: f64) -> Arrivals {
    let mut rates = vec![rate; 168];
    rates[144..].fill(0.0);
    Arrivals::Profile {
        rates,
        per: Duration::hours(1),
    }
}
