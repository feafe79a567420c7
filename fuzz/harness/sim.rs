//! The simulation fuzz harness: a configuration from JSON, checked, and run for a bounded
//! horizon on both paths. Shared by the fuzz target `sim_config` and the stable corpus
//! replay `crates/itsm-sim/tests/fuzz_corpus.rs`.
//!
//! Input: JSON text, an `itsm_sim::Config`. A configuration that decodes and is checked is
//! cut to a horizon of at most 14 days and 5,000 expected arrivals (so the harness never
//! hangs), then simulated with two seeds.
//!
//! Invariants: no panic; `Model::new` and `simulate` return values or errors, never
//! anything else; a run is deterministic (the same seed, the same report); tickets are
//! conserved (`arrivals + reopened = completed + in_service + queued + on_hold`); the fast and
//! the full path give the same waits, reopens, reassignments, group figures and attainment;
//! a ticket is reopened at most once and passed on at most as many times as the most passes
//! of any class, into the groups the report lists;
//! percentiles are ordered; utilisation is within [0, 1] while staffing never drops
//! (constant staffing in every group); a configuration round-trips through JSON.

use itsm_sim::chrono::Duration;
use itsm_sim::{Config, Engine, Model, Staffing, simulate};

/// The longest horizon the harness runs.
const HORIZON: Duration = Duration::days(14);
/// The most expected arrivals the harness runs.
const ARRIVALS: f64 = 5_000.0;

pub fn sim_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut config) = serde_json::from_str::<Config>(text) else {
        return;
    };
    let again: Config = serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
    // NaN rates are not equal to themselves; everything else round-trips, numbers to within
    // the last bits (serde_json's default parsing is best-effort: a long decimal can read
    // one unit in the last place off, and read back from its shortest form another).
    let nan = config
        .classes
        .iter()
        .any(|c| !c.arrivals.rate_per_hour().is_finite());
    assert!(
        nan || again == config
            || close(
                &serde_json::to_value(&again).unwrap(),
                &serde_json::to_value(&config).unwrap()
            ),
        "a configuration round-trips through JSON"
    );
    if config.horizon > HORIZON {
        config.horizon = HORIZON;
    }
    if config.warmup >= config.horizon {
        config.warmup = Duration::zero();
    }
    let Ok(model) = Model::new(config) else {
        return;
    };
    if model.expected_arrivals() > ARRIVALS {
        return;
    }
    let constant = std::iter::once(&model.config().staffing)
        .chain(model.config().groups.iter().map(|g| &g.staffing))
        .all(|s| matches!(s, Staffing::Constant { .. }));
    // The most times a ticket can be passed on.
    let passes = model
        .config()
        .classes
        .iter()
        .filter_map(|c| c.reassign.as_ref())
        .map(|r| r.then.len() as u64 + 1)
        .max()
        .unwrap_or(0);
    for seed in [0, 7] {
        let (Ok(fast), Ok(full)) = (
            simulate(&model, seed, Engine::Fast),
            simulate(&model, seed, Engine::Full),
        ) else {
            // The fast path never fails on a checked model; the full one only on a date
            // out of range, which then fails on both.
            let fast = simulate(&model, seed, Engine::Fast);
            assert!(
                fast.is_err(),
                "the full path failed where the fast one did not"
            );
            return;
        };
        assert_eq!(
            simulate(&model, seed, Engine::Fast).unwrap(),
            fast,
            "deterministic"
        );
        for r in [&fast, &full] {
            assert_eq!(
                r.arrivals + r.reopened,
                r.completed + r.in_service + r.queued + r.on_hold,
                "conservation"
            );
            assert!(
                r.reopened <= r.arrivals,
                "a ticket is reopened at most once"
            );
            assert!(
                r.reassigned <= r.arrivals * passes,
                "a ticket is passed on at most as many times as the most passes of any class"
            );
            assert_eq!(r.groups.len(), model.groups().count());
            assert_eq!(
                r.groups.iter().map(|g| g.reassigned_in).sum::<u64>(),
                r.reassigned
            );
            for g in &r.groups {
                assert!(!constant || (0.0..=1.0 + 1e-9).contains(&g.utilisation));
            }
            let w = r.waits;
            assert!(w.p50 <= w.p90 && w.p90 <= w.p95 && w.p95 <= w.p99 && w.p99 <= w.max);
            assert!(!constant || (0.0..=1.0 + 1e-9).contains(&r.utilisation));
        }
        assert_eq!(fast.waits, full.waits);
        assert_eq!(fast.reopened, full.reopened);
        assert_eq!(fast.reassigned, full.reassigned);
        assert_eq!(fast.groups, full.groups);
        for (f, s) in fast.classes.iter().zip(&full.classes) {
            assert_eq!(
                (f.response, f.resolution),
                (s.response, s.resolution),
                "priority {}",
                f.priority
            );
        }
    }
}

/// Whether two JSON values are the same, numbers to a relative 1e-14.
fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-14 * x.abs().max(y.abs()),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        _ => a == b,
    }
}
