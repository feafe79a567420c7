//! Reopens by the caller: exact timelines under each of the SLA engine's reopen modes, on
//! both paths, the horizon's edge, and the checks of a reopen's configuration; and where in
//! the work a hold comes (found missing by a mutation run over the arrival's draws).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
use common::{both, weekdays};

use itsm_sim::chrono::Duration;
use itsm_sim::{Config, Engine, Error, Model, Reopen, ReopenMode, ServiceTime, simulate};

fn hours(h: i64) -> ServiceTime {
    ServiceTime::Deterministic {
        value: Duration::hours(h),
    }
}

/// No waiting (200 agents), an hour of work, every ticket resolved, reopened two hours
/// later and resolved again after another hour: arrival 0, resolved at 1, reopened at 3,
/// resolved again at 4 (hours), around the clock. A week from Monday, with no arrivals on
/// Sunday, so that every ticket has done all that before the horizon.
fn reopened_desk(clock: ReopenMode, resolution: Duration) -> Model {
    let mut config = Config::mmc(2.0, 1.0, 200, Duration::days(7));
    config.classes[0].arrivals = weekdays(2.0);
    config.classes[0].service = hours(1);
    config.classes[0].resolution = resolution;
    let mut reopen = Reopen::new(1.0, hours(2), hours(1));
    reopen.clock = clock;
    config.classes[0].reopen = Some(reopen);
    Model::new(config).unwrap()
}

#[test]
fn a_new_cycle_measures_each_resolution_against_the_full_target() {
    // Two cycles of one hour each: a one-hour target is reached exactly at each resolution
    // (breached, by the SLA engine's rule), a two-hour one met by both.
    for (target, met) in [(Duration::hours(2), true), (Duration::hours(1), false)] {
        let r = both(&reopened_desk(ReopenMode::NewCycle, target), 3);
        let c = &r.classes[0];
        assert!(r.arrivals > 200, "{}", r.arrivals);
        assert_eq!(r.reopened, r.arrivals);
        assert_eq!(r.completed, 2 * r.arrivals);
        // Every resolution is a cycle measured (no warm-up here).
        assert_eq!(c.resolution.met + c.resolution.breached, r.completed);
        if met {
            assert_eq!(c.resolution.breached, 0, "{:?}", c.resolution);
        } else {
            assert_eq!(c.resolution.met, 0, "{:?}", c.resolution);
        }
        // The reopened work neither waits again nor answers again.
        assert_eq!(c.waits.count, r.arrivals);
        assert_eq!(c.response.met + c.response.breached, r.arrivals);
    }
}

#[test]
fn one_clock_continued_or_paused_while_resolved_is_measured_once() {
    // One clock from arrival to the second resolution, four hours later. Continued, all
    // four count: reached exactly by a four-hour target, met by a five-hour one. Paused
    // while resolved, the two hours resolved do not: reached by two hours, met by three.
    let cases = [
        (ReopenMode::Continue, 5, true),
        (ReopenMode::Continue, 4, false),
        (ReopenMode::PauseWhileResolved, 3, true),
        (ReopenMode::PauseWhileResolved, 2, false),
    ];
    for (seed, (clock, target, met)) in (5u64..).zip(cases) {
        let r = both(&reopened_desk(clock, Duration::hours(target)), seed);
        let c = &r.classes[0];
        assert!(r.arrivals > 200, "{}", r.arrivals);
        assert_eq!((r.reopened, r.completed), (r.arrivals, 2 * r.arrivals));
        // Once per ticket.
        assert_eq!(c.resolution.met + c.resolution.breached, r.arrivals);
        if met {
            assert_eq!(
                c.resolution.breached, 0,
                "{clock:?} {target}: {:?}",
                c.resolution
            );
        } else {
            assert_eq!(
                c.resolution.met, 0,
                "{clock:?} {target}: {:?}",
                c.resolution
            );
        }
    }
}

#[test]
fn a_breach_before_the_reopen_stays_under_a_continued_or_paused_clock() {
    // A 30-minute target: breached at the first resolution (an hour), whatever follows.
    for clock in [ReopenMode::Continue, ReopenMode::PauseWhileResolved] {
        let r = both(&reopened_desk(clock, Duration::minutes(30)), 9);
        assert_eq!(r.classes[0].resolution.met, 0, "{clock:?}");
        assert_eq!(r.classes[0].resolution.breached, r.arrivals, "{clock:?}");
    }
}

#[test]
fn a_reopen_due_after_the_horizon_is_never_seen() {
    // Reopened a year later, beyond the ten days simulated: every resolution stands, and
    // under a continued clock each ticket is measured once, at its resolution.
    let mut config = Config::mmc(2.0, 1.0, 200, Duration::days(10));
    config.classes[0].service = hours(1);
    config.classes[0].resolution = Duration::hours(2);
    let mut reopen = Reopen::new(
        1.0,
        ServiceTime::Deterministic {
            value: Duration::days(365),
        },
        hours(1),
    );
    reopen.clock = ReopenMode::Continue;
    config.classes[0].reopen = Some(reopen);
    let r = both(&Model::new(config).unwrap(), 11);
    assert_eq!(r.reopened, 0);
    let c = &r.classes[0];
    assert_eq!(c.resolution.met, r.completed);
    assert!(r.completed > 400);
}

#[test]
fn reopens_add_their_work_to_the_load() {
    // Two an hour, an hour's work each, four agents: half busy. Half of the tickets come
    // back about eight hours after their resolution for another hour: three agents' worth
    // of work, three quarters busy (the same arrivals: common random numbers).
    let mut config = Config::mmc(2.0, 1.0, 4, Duration::days(200));
    config.warmup = Duration::days(2);
    let plain = simulate(&Model::new(config.clone()).unwrap(), 1, Engine::Fast).unwrap();
    config.classes[0].reopen = Some(Reopen::new(
        0.5,
        ServiceTime::exponential(Duration::hours(8)),
        ServiceTime::exponential(Duration::hours(1)),
    ));
    let model = Model::new(config).unwrap();
    assert!((model.offered_load() - 3.0).abs() < 1e-9);
    let r = both(&model, 1);
    assert_eq!(r.arrivals, plain.arrivals);
    let share = r.reopened as f64 / r.arrivals as f64;
    assert!((share - 0.5).abs() < 0.02, "{share}");
    assert!(
        (plain.utilisation - 0.5).abs() < 0.02,
        "{}",
        plain.utilisation
    );
    assert!((r.utilisation - 0.75).abs() < 0.02, "{}", r.utilisation);
    assert!(r.waits.mean > plain.waits.mean);
}

#[test]
fn a_reopen_is_checked() {
    let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
    config.classes[0].reopen = Some(Reopen::new(-0.1, hours(1), hours(1)));
    let err = Model::new(config.clone()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "priority 3: the reopen is refused: the probability -0.1 must be a number from 0 to 1"
    );
    config.classes[0].reopen = Some(Reopen::new(
        0.5,
        ServiceTime::exponential(Duration::zero()),
        hours(1),
    ));
    let err = Model::new(config.clone()).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "priority 3: the reopen is refused: its delay (after): the mean PT0S must be positive"
        ),
        "{err}"
    );
    config.classes[0].reopen = Some(Reopen::new(
        0.5,
        hours(1),
        ServiceTime::Empirical { samples: vec![] },
    ));
    assert!(matches!(
        Model::new(config.clone()),
        Err(Error::BadReopen { priority: 3, reason }) if reason.starts_with("its work: ")
    ));
    // A paused clock moves the deadline by up to the horizon: 200 years of target and 100
    // of horizon would pass the 292 years both paths count in nanoseconds.
    let mut long = Config::mmc(0.0002, 1.0, 1, Duration::days(100 * 366));
    long.sample_every = Duration::days(365);
    long.classes[0].resolution = Duration::days(200 * 366);
    let mut reopen = Reopen::new(1.0, hours(1), hours(1));
    reopen.clock = ReopenMode::PauseWhileResolved;
    long.classes[0].reopen = Some(reopen);
    assert!(matches!(
        Model::new(long.clone()),
        Err(Error::BadReopen { reason, .. }) if reason.contains("over 292 years")
    ));
    // A continued clock does not move it.
    long.classes[0].reopen.as_mut().unwrap().clock = ReopenMode::Continue;
    assert!(Model::new(long).is_ok());
}

#[cfg(feature = "serde")]
#[test]
fn a_reopen_reads_from_json() {
    let json = r#"{"probability": 0.1, "after": {"exponential": {"mean": "P1D"}},
        "work": {"exponential": {"mean": "PT30M"}}}"#;
    let reopen: Reopen = serde_json::from_str(json).unwrap();
    assert_eq!(reopen.clock, ReopenMode::NewCycle);
    assert_eq!(reopen.after, ServiceTime::exponential(Duration::days(1)));
    let continued: Reopen =
        serde_json::from_str(&json.replace("}}}", "}}, \"clock\": \"pause_while_resolved\"}"))
            .unwrap();
    assert_eq!(continued.clock, ReopenMode::PauseWhileResolved);
    assert!(
        serde_json::from_str::<Reopen>(&json.replace("}}}", "}}, \"clock\": \"restart\"}"))
            .is_err()
    );
    assert!(
        serde_json::from_str::<Reopen>(&json.replace("}}}", "}}, \"delay\": \"P1D\"}")).is_err()
    );
}

#[test]
fn a_reopen_due_exactly_at_the_horizon_is_not_seen() {
    // One agent on duty from 22:00 to 24:00 only, an hour's work each: the first two
    // tickets (of about 22 waiting) are resolved at exactly 23:00 and 24:00. Reopened six
    // hours later, with the horizon at 30:00: the first reopen (29:00) is seen, the second
    // (30:00, the horizon's own instant) is not, so its resolution stands and is measured
    // (a continued clock measures a reopened ticket only at its final resolution).
    let mut agents = vec![0u32; 24];
    agents[22..].fill(1);
    let mut config = Config::mmc(1.0, 1.0, 1, Duration::hours(30));
    config.staffing = itsm_sim::Staffing::Hourly { agents };
    config.classes[0].service = hours(1);
    config.classes[0].resolution = Duration::hours(1000);
    let mut reopen = Reopen::new(1.0, hours(6), hours(1));
    reopen.clock = ReopenMode::Continue;
    config.classes[0].reopen = Some(reopen);
    let r = both(&Model::new(config).unwrap(), 2);
    assert!(r.arrivals > 10, "{}", r.arrivals);
    assert_eq!((r.completed, r.reopened), (2, 1));
    assert_eq!(r.classes[0].resolution.met, 1);
    assert_eq!(r.classes[0].resolution.breached, 0);
}

#[test]
fn a_hold_comes_part_way_through_the_work() {
    // Every ticket stops for its caller at a point of its hour of work drawn uniformly, and
    // the caller answers only after the horizon: the agent works half an hour per ticket on
    // average, not the whole hour. Half a ticket an hour on one agent: a quarter busy.
    let mut config = Config::mmc(0.5, 1.0, 1, Duration::days(200));
    config.classes[0].service = hours(1);
    config.classes[0].hold = Some(itsm_sim::Hold::new(
        1.0,
        ServiceTime::Deterministic {
            value: Duration::days(365 * 10),
        },
    ));
    let r = simulate(&Model::new(config).unwrap(), 3, Engine::Fast).unwrap();
    assert!((r.utilisation - 0.25).abs() < 0.02, "{}", r.utilisation);
    assert_eq!(r.completed, 0);
}
