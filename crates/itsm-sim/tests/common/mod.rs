//! What several test files share.
#![allow(clippy::unwrap_used)]

use itsm_sim::chrono::Duration;
use itsm_sim::{
    Arrivals, Engine, Interval, Mmc, Model, RunReport, ServiceTime, Staffing, simulate,
};

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

/// A service time of exactly `m` minutes.
#[allow(dead_code)] // not every test file that includes this module uses it
pub fn minutes(m: i64) -> ServiceTime {
    ServiceTime::Deterministic {
        value: Duration::minutes(m),
    }
}

/// `agents` on duty around the clock.
#[allow(dead_code)]
pub fn constant(agents: u32) -> Staffing {
    Staffing::Constant { agents }
}

/// Exponential service at `rate` an hour.
#[allow(dead_code)]
pub fn exp(rate: f64) -> ServiceTime {
    ServiceTime::exponential(Duration::microseconds((3.6e9 / rate) as i64))
}

/// Checks that `interval` (replications' mean waits, in hours) holds the M/M/c mean wait
/// (Erlang C) at `lambda` an hour, `mu` an hour per agent and `c` agents, and is tight
/// (half-width under 15% of it).
#[allow(dead_code, clippy::print_stderr)]
pub fn assert_erlang(name: &str, interval: &Interval, lambda: f64, mu: f64, c: u32) {
    let theory = Mmc::new(lambda, mu, c).unwrap().mean_wait;
    eprintln!(
        "{name}: M/M/{c} lambda {lambda} mu {mu}: Erlang C wait {theory:.4}, simulated {:.4} ± {:.4}",
        interval.mean, interval.half_width
    );
    assert!(
        interval.contains(theory),
        "{name}: {interval:?} vs {theory}"
    );
    assert!(interval.half_width < 0.15 * theory, "{name}: {interval:?}");
}
