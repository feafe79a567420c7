//! The model's behaviour: the two paths agree, the queue discipline, staffing by hour and by
//! shift calendars, the service-time distributions against the Pollaczek-Khinchine formula,
//! rate estimation, and one error per cause.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

use itsm_sim::chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_sim::{
    Arrivals, CalendarSpec, ClassSpec, Config, Engine, Error, Hold, Interval, Model, Segment,
    ServiceTime, Shift, Staffing, Week, estimate_rates, simulate,
};

fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap()
}

fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

/// Four priorities with four different service distributions, staffed by hour.
fn desk() -> Config {
    let classes = vec![
        ClassSpec::new(
            1,
            Arrivals::per_hour(0.2),
            ServiceTime::exponential(minutes(60)),
            minutes(15),
            minutes(240),
        ),
        ClassSpec::new(
            2,
            Arrivals::Poisson {
                rate: 24.0,
                per: Duration::days(1),
            },
            ServiceTime::Lognormal {
                median: minutes(40),
                sigma: 0.8,
            },
            minutes(30),
            minutes(480),
        ),
        ClassSpec::new(
            3,
            Arrivals::per_hour(2.0),
            ServiceTime::Empirical {
                samples: vec![minutes(10), minutes(20), minutes(45), minutes(90)],
            },
            minutes(120),
            minutes(24 * 60),
        ),
        ClassSpec::new(
            4,
            Arrivals::per_hour(1.0),
            ServiceTime::Deterministic { value: minutes(30) },
            minutes(480),
            minutes(72 * 60),
        ),
    ];
    let mut hours = vec![2; 24];
    hours[8..18].fill(6);
    let mut config = Config::new(
        monday(),
        Duration::days(28),
        classes,
        Staffing::Hourly { agents: hours },
    );
    config.warmup = Duration::days(2);
    config
}

#[test]
fn the_full_path_agrees_with_the_fast_path() {
    let model = Model::new(desk()).unwrap();
    for seed in [1, 2] {
        let fast = simulate(&model, seed, Engine::Fast).unwrap();
        let full = simulate(&model, seed, Engine::Full).unwrap();
        assert_eq!((fast.engine, full.engine), (Engine::Fast, Engine::Full));
        assert_eq!(fast.waits, full.waits);
        assert_eq!(fast.backlog, full.backlog);
        assert_eq!(fast.utilisation, full.utilisation);
        for (f, s) in fast.classes.iter().zip(&full.classes) {
            assert_eq!(f.priority, s.priority);
            assert_eq!(f.waits, s.waits);
            // The SLA engine's attainment equals the core's arithmetic.
            assert_eq!(f.response, s.response, "priority {}", f.priority);
            assert_eq!(f.resolution, s.resolution, "priority {}", f.priority);
        }
        // Something was measured, and not everything met: the comparison has content.
        let breached: u64 = full
            .classes
            .iter()
            .map(|c| c.response.breached + c.resolution.breached)
            .sum();
        let met: u64 = full
            .classes
            .iter()
            .map(|c| c.response.met + c.resolution.met)
            .sum();
        assert!(breached > 0 && met > 1000, "met {met} breached {breached}");
    }
}

#[test]
fn urgent_tickets_wait_less() {
    let model = Model::new(desk()).unwrap();
    let report = simulate(&model, 5, Engine::Fast).unwrap();
    let p: Vec<u8> = report.classes.iter().map(|c| c.priority).collect();
    assert_eq!(p, [1, 2, 3, 4]);
    let means: Vec<f64> = report.classes.iter().map(|c| c.waits.mean_hours).collect();
    assert!(means.windows(2).all(|w| w[0] < w[1]), "{means:?}");
    assert_eq!(
        report.arrivals,
        report.completed + report.in_service + report.queued
    );
    let w = report.waits;
    assert!(w.p50 <= w.p90 && w.p90 <= w.p95 && w.p95 <= w.p99 && w.p99 <= w.max);
    assert!(report.utilisation > 0.0 && report.utilisation < 1.0);
}

#[test]
fn hourly_staffing_follows_the_table_in_utc() {
    let mut config = desk();
    config.start = monday() + Duration::minutes(30); // not on an hour boundary
    config.warmup = Duration::zero();
    let model = Model::new(config).unwrap();
    let report = simulate(&model, 1, Engine::Fast).unwrap();
    // Samples every hour from 00:30: the agents on duty then.
    for point in report.backlog.iter().take(48) {
        let hour = (point.at - monday()).num_hours() % 24;
        let expected = if (8..18).contains(&hour) { 6 } else { 2 };
        assert_eq!(point.agents, expected, "at {}", point.at);
    }
}

#[test]
fn shifts_come_from_business_calendars() {
    let mut office = CalendarSpec::always_open("office");
    office.week = Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]);
    let mut config = desk();
    config.warmup = Duration::zero();
    config.staffing = Staffing::Shifts {
        shifts: vec![
            Shift::new(office, 4),
            Shift::new(CalendarSpec::always_open("night"), 1),
        ],
    };
    let model = Model::new(config).unwrap();
    assert_eq!(model.max_agents(), 5);
    let report = simulate(&model, 1, Engine::Full).unwrap();
    let at = |h: i64| {
        report
            .backlog
            .iter()
            .find(|p| p.at == monday() + Duration::hours(h))
            .unwrap()
            .agents
    };
    assert_eq!(at(8), 1);
    assert_eq!(at(9), 5);
    assert_eq!(at(16), 5);
    assert_eq!(at(17), 1);
    assert_eq!(at(5 * 24 + 10), 1); // Saturday
    // Fewer agents than the hourly desk: more waiting.
    let hourly = simulate(&Model::new(desk()).unwrap(), 1, Engine::Fast).unwrap();
    assert!(report.waits.mean_hours > hourly.waits.mean_hours);
}

/// M/G/1 against Pollaczek-Khinchine: Wq = lambda E[S^2] / (2 (1 - rho)).
fn pollaczek_khinchine(service: ServiceTime, lambda: f64, es: f64, es2: f64) {
    let rho = lambda * es;
    let theory = lambda * es2 / (2.0 * (1.0 - rho));
    let mut config = Config::mmc(lambda, 1.0, 1, Duration::hours(20_200));
    config.classes[0].service = service;
    config.warmup = Duration::hours(200);
    config.sample_every = Duration::hours(20_000);
    let model = Model::new(config).unwrap();
    let means: Vec<f64> = (1..=10)
        .map(|s| simulate(&model, s, Engine::Fast).unwrap().waits.mean_hours)
        .collect();
    let ci = Interval::of(&means).unwrap();
    assert!(ci.contains(theory), "{ci:?} vs {theory}");
    assert!(ci.half_width < 0.1 * theory, "{ci:?}");
}

#[test]
fn deterministic_service_matches_pollaczek_khinchine() {
    // M/D/1, rho = 0.6: Wq = 0.6 * 1 / (2 * 0.4) = 0.75 hours.
    pollaczek_khinchine(
        ServiceTime::Deterministic {
            value: Duration::hours(1),
        },
        0.6,
        1.0,
        1.0,
    );
}

#[test]
fn lognormal_service_matches_pollaczek_khinchine() {
    // Median 30 minutes, sigma 0.5: E[S] = 0.5 e^0.125, E[S^2] = 0.25 e^0.5.
    let es = 0.5 * (0.125f64).exp();
    let es2 = 0.25 * (0.5f64).exp();
    pollaczek_khinchine(
        ServiceTime::Lognormal {
            median: minutes(30),
            sigma: 0.5,
        },
        1.0,
        es,
        es2,
    );
}

#[test]
fn empirical_service_matches_pollaczek_khinchine() {
    // 15, 30 or 90 minutes: E[S] = 0.75 h, E[S^2] = (0.0625 + 0.25 + 2.25) / 3 h^2.
    let samples = vec![minutes(15), minutes(30), minutes(90)];
    pollaczek_khinchine(
        ServiceTime::Empirical { samples },
        0.8,
        0.75,
        (0.0625 + 0.25 + 2.25) / 3.0,
    );
}

#[test]
fn rates_are_estimated_over_the_whole_window() {
    let t = |m: i64| monday() + minutes(m);
    let seen: Vec<(u8, DateTime<Utc>)> = (0..121)
        .map(|i| (if i % 4 == 0 { 1 } else { 3 }, t(i * 30)))
        .collect();
    let rates = estimate_rates(&seen, Duration::days(1)).unwrap();
    // 60 hours: 31 arrivals of priority 1, 90 of priority 3.
    assert!((rates[&1].rate_per_hour() - 31.0 / 60.0).abs() < 1e-12);
    assert!((rates[&3].rate_per_hour() - 90.0 / 60.0).abs() < 1e-12);
    assert!(matches!(rates[&3], Arrivals::Poisson { per, .. } if per == Duration::days(1)));
    assert_eq!(
        estimate_rates(&seen[..1], Duration::hours(1)),
        Err(Error::TooFewArrivals { count: 1 })
    );
    let same = [(1, t(0)), (2, t(0))];
    assert_eq!(
        estimate_rates(&same, Duration::hours(1)),
        Err(Error::TooFewArrivals { count: 2 })
    );
}

#[test]
fn each_bad_configuration_has_its_error() {
    let base = desk;
    let mut cases: Vec<(Config, Error)> = Vec::new();
    let mut c = base();
    c.classes.clear();
    cases.push((c, Error::NoClasses));
    let mut c = base();
    c.classes[0].priority = 6;
    cases.push((c, Error::PriorityOutOfRange { priority: 6 }));
    let mut c = base();
    c.classes[1].priority = 1;
    cases.push((c, Error::DuplicatePriority { priority: 1 }));
    let mut c = base();
    c.classes[0].arrivals = Arrivals::per_hour(0.0);
    cases.push((
        c,
        Error::BadRate {
            priority: 1,
            value: "0".into(),
        },
    ));
    let mut c = base();
    c.classes[0].arrivals = Arrivals::per_hour(f64::NAN);
    cases.push((
        c,
        Error::BadRate {
            priority: 1,
            value: "NaN".into(),
        },
    ));
    let mut c = base();
    c.classes[0].service = ServiceTime::exponential(Duration::zero());
    cases.push((
        c,
        Error::BadServiceTime {
            priority: 1,
            reason: "the mean PT0S must be positive and at most 100 years".into(),
        },
    ));
    let mut c = base();
    c.classes[2].service = ServiceTime::Empirical { samples: vec![] };
    cases.push((
        c,
        Error::BadServiceTime {
            priority: 3,
            reason: "the empirical distribution has no samples; give at least one".into(),
        },
    ));
    let mut c = base();
    c.classes[1].service = ServiceTime::Lognormal {
        median: minutes(5),
        sigma: -1.0,
    };
    cases.push((
        c,
        Error::BadServiceTime {
            priority: 2,
            reason: "sigma -1 must be a finite number from 0 to 10".into(),
        },
    ));
    let mut c = base();
    c.classes[3].response = Duration::zero();
    cases.push((
        c,
        Error::BadTarget {
            priority: 4,
            target: "response",
            value: "PT0S".into(),
        },
    ));
    let mut c = base();
    c.horizon = Duration::zero();
    cases.push((
        c,
        Error::BadHorizon {
            value: "PT0S".into(),
        },
    ));
    let mut c = base();
    c.warmup = c.horizon;
    cases.push((
        c,
        Error::BadWarmup {
            warmup: "P28D".into(),
            horizon: "P28D".into(),
        },
    ));
    let mut c = base();
    c.sample_every = Duration::seconds(1);
    cases.push((
        c,
        Error::BadSampleInterval {
            value: "PT1S".into(),
            limit: 1_000_000,
        },
    ));
    let mut c = base();
    c.staffing = Staffing::Hourly {
        agents: vec![1; 23],
    };
    cases.push((c, Error::HourlyLength { len: 23 }));
    let mut c = base();
    c.staffing = Staffing::Hourly {
        agents: vec![0; 168],
    };
    cases.push((c, Error::NoAgents));
    let mut c = base();
    c.staffing = Staffing::Constant { agents: 100_001 };
    cases.push((
        c,
        Error::TooManyAgents {
            agents: 100_001,
            limit: 100_000,
        },
    ));
    let mut c = base();
    c.classes[0].arrivals = Arrivals::per_hour(1e6);
    cases.push((
        c,
        Error::TooManyArrivals {
            expected: 672_002_688,
            limit: 50_000_000,
        },
    ));
    let mut c = base();
    let mut closed = CalendarSpec::always_open("never");
    closed.week = Week::weekdays(&[]);
    c.staffing = Staffing::Shifts {
        shifts: vec![Shift::new(closed, 2)],
    };
    let Err(Error::Calendar { shift: 0, reason }) = Model::new(c) else {
        panic!("a calendar never open is refused")
    };
    assert!(reason.contains("never"), "{reason}");
    for (config, error) in cases {
        assert_eq!(Model::new(config).unwrap_err(), error);
    }
}

#[test]
fn error_messages_say_what_is_allowed() {
    assert_eq!(
        Error::HourlyLength { len: 23 }.to_string(),
        "the hourly staffing table has 23 entries; give 24 (hours of the day) or 168 (hours of the week from Monday 00:00 UTC)"
    );
    assert_eq!(
        Error::BadRate {
            priority: 2,
            value: "-1".into()
        }
        .to_string(),
        "priority 2: the arrival rate -1 is refused; it must be a finite number > 0 per a positive duration"
    );
}

#[cfg(feature = "serde")]
mod json {
    use super::*;

    #[test]
    fn configurations_and_reports_round_trip() {
        let config = desk();
        let text = serde_json::to_string(&config).unwrap();
        let back: Config = serde_json::from_str(&text).unwrap();
        assert_eq!(back, config);
        let report = simulate(&Model::new(config).unwrap(), 1, Engine::Fast).unwrap();
        let text = serde_json::to_string(&report).unwrap();
        let back: itsm_sim::RunReport = serde_json::from_str(&text).unwrap();
        assert_eq!(back.classes.len(), report.classes.len());
        assert_eq!(back.backlog, report.backlog);
        assert_eq!(back.arrivals, report.arrivals);
    }

    #[test]
    fn a_hand_written_configuration_reads() {
        let text = r#"{
            "start": "2026-03-02T00:00:00Z",
            "horizon": "P7D",
            "warmup": "P1D",
            "classes": [
                {"priority": 2, "arrivals": {"poisson": {"rate": 3, "per": "PT1H"}},
                 "service": {"exponential": {"mean": "PT30M"}}, "response": "PT1H", "resolution": "PT8H"},
                {"priority": 4, "arrivals": {"poisson": {"rate": 20, "per": "P1D"}},
                 "service": {"lognormal": {"median": "PT20M", "sigma": 0.7}}, "response": "PT8H", "resolution": "P3D"}
            ],
            "staffing": {"shifts": {"shifts": [
                {"calendar": {"name": "day", "week": {"weekdays": ["08:00-18:00"]}}, "agents": 3},
                {"calendar": {"name": "always", "week": {"daily": ["00:00-24:00"]}}, "agents": 1}
            ]}}
        }"#;
        let config: Config = match serde_json::from_str(text) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(config.sample_every, Duration::hours(1));
        let model = Model::new(config).unwrap();
        assert_eq!(model.max_agents(), 4);
        let report = simulate(&model, 9, Engine::Full).unwrap();
        assert_eq!(report.classes.len(), 2);
        assert!(report.classes[0].response.met > 0);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = r#"{"constant": {"agents": 3, "extra": 1}}"#;
        assert!(serde_json::from_str::<Staffing>(text).is_err());
    }
}

#[test]
fn a_ticket_resolved_exactly_at_its_target_is_breached_on_both_paths() {
    // The SLA engine's rule: a deadline is due at its instant. No waiting (many agents),
    // an hour of work, an hour of target: every resolution is late, every response on time.
    let mut config = Config::mmc(2.0, 1.0, 200, Duration::hours(100));
    config.classes[0].service = ServiceTime::Deterministic {
        value: Duration::hours(1),
    };
    config.classes[0].resolution = Duration::hours(1);
    let model = Model::new(config).unwrap();
    for path in [Engine::Fast, Engine::Full] {
        let r = simulate(&model, 3, path).unwrap();
        let c = &r.classes[0];
        assert_eq!(c.resolution.met, 0, "{path:?}");
        assert!(c.resolution.breached > 150, "{path:?}: {:?}", c.resolution);
        assert_eq!(c.response.breached, 0, "{path:?}");
        assert_eq!(c.response.met, c.arrivals, "{path:?}");
    }
}

fn office() -> CalendarSpec {
    CalendarSpec::new(
        "office",
        Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
    )
}

#[test]
fn targets_on_a_business_calendar_count_open_time_only() {
    // No waiting (200 agents), an hour of work, an hour of resolution target on an office
    // calendar (weekdays 09:00-17:00 UTC). A ticket arriving on a weekday from 09:00 to 16:00
    // uses its whole hour of business time by the end of its work, so is due exactly then:
    // breached, by the SLA engine's rule. One arriving later in the day, at night or at the
    // weekend has used less: met. So the breached share is that of the week from 09:00 to
    // 16:00 on weekdays, 35 of 168 hours (0.208); around the clock every one is breached.
    let mut config = Config::mmc(2.0, 1.0, 200, Duration::days(28));
    config.start = monday();
    config.classes[0].service = ServiceTime::Deterministic {
        value: Duration::hours(1),
    };
    config.classes[0].resolution = Duration::hours(1);
    let around_the_clock = Model::new(config.clone()).unwrap();
    config.classes[0].calendar = Some(office());
    let model = Model::new(config).unwrap();
    assert_eq!(model.calendars().len(), 1);
    assert_eq!(
        model
            .definitions()
            .list()
            .iter()
            .map(|d| d.calendar.as_deref())
            .collect::<Vec<_>>(),
        [Some("p3"), Some("p3")]
    );
    let fast = simulate(&model, 5, Engine::Fast).unwrap();
    let full = simulate(&model, 5, Engine::Full).unwrap();
    let (f, s) = (&fast.classes[0], &full.classes[0]);
    assert_eq!((f.response, f.resolution), (s.response, s.resolution));
    let share = f.resolution.breached as f64 / (f.resolution.met + f.resolution.breached) as f64;
    assert!(
        (0.16..0.26).contains(&share),
        "breached share {share}: {:?}",
        f.resolution
    );
    assert_eq!(
        f.response.breached, 0,
        "served at once, within any business hour"
    );
    let plain = simulate(&around_the_clock, 5, Engine::Fast).unwrap();
    assert_eq!(plain.classes[0].resolution.met, 0);
    // The same tickets either way (common random numbers).
    assert_eq!(plain.arrivals, fast.arrivals);
}

#[test]
fn office_staff_on_office_sla_meet_what_round_the_clock_counting_breaches() {
    // Agents only in office hours, enough to clear a weekend's tickets (about 64, 20
    // minutes each) within an hour and a half of Monday's opening; a response target of two
    // hours. Counted around the clock, every ticket of the night and the weekend waits past
    // it; counted on the office calendar, that time does not count and nearly every ticket
    // is answered in time.
    let shifts = Staffing::Shifts {
        shifts: vec![Shift::new(office(), 16)],
    };
    let mut config = Config::new(
        monday(),
        Duration::days(28),
        vec![ClassSpec::new(
            3,
            Arrivals::per_hour(1.0),
            ServiceTime::exponential(minutes(20)),
            minutes(120),
            Duration::hours(16),
        )],
        shifts,
    );
    config.warmup = Duration::days(1);
    let plain = simulate(&Model::new(config.clone()).unwrap(), 2, Engine::Fast).unwrap();
    config.classes[0].calendar = Some(office());
    let model = Model::new(config).unwrap();
    let office = simulate(&model, 2, Engine::Fast).unwrap();
    let full = simulate(&model, 2, Engine::Full).unwrap();
    assert_eq!(office.classes[0].response, full.classes[0].response);
    assert_eq!(office.classes[0].resolution, full.classes[0].resolution);
    let met = |r: &itsm_sim::RunReport| {
        let a = r.classes[0].response;
        a.met as f64 / (a.met + a.breached) as f64
    };
    assert!(met(&office) > 0.95, "{}", met(&office));
    assert!(met(&plain) < 0.5, "{}", met(&plain));
}

#[test]
fn an_sla_calendar_is_checked() {
    let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
    // Never open: refused by the calendar crate.
    config.classes[0].calendar = Some(CalendarSpec::new("never", Week::weekdays(&[])));
    let err = Model::new(config.clone()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("priority 3: its SLA calendar is refused: calendar `never` is never open"),
        "{err}"
    );
    // Open once, before the run: the calendar crate takes it, but no deadline of the run
    // exists. So is one open for a day during the run (8 hours short of the longest target).
    let mut past = CalendarSpec::new("past", Week::weekdays(&[]));
    let day = |d: u32| {
        itsm_sim::chrono::NaiveDate::from_ymd_opt(2020, 1, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    };
    past.exceptions
        .push(itsm_sim::Exception::open("one day", day(6), day(7)));
    config.classes[0].calendar = Some(past);
    let err = Model::new(config.clone()).unwrap_err();
    assert!(
        matches!(&err, Error::SlaCalendar { priority: 3, reason } if reason.starts_with("it has less than PT8H of open time after the run's end")),
        "{err}"
    );
    let mut brief = CalendarSpec::new("brief", Week::weekdays(&[]));
    let during = |h: u32| {
        itsm_sim::chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    };
    brief.exceptions.push(itsm_sim::Exception::open(
        "a morning",
        during(8),
        during(12),
    ));
    config.classes[0].calendar = Some(brief);
    assert!(matches!(
        Model::new(config.clone()),
        Err(Error::SlaCalendar { priority: 3, .. })
    ));
    // Refused by the calendar crate: overlapping segments.
    config.classes[0].calendar = Some(CalendarSpec::new(
        "overlap",
        Week::weekdays(&[
            Segment::parse("09:00", "12:00").unwrap(),
            Segment::parse("11:00", "13:00").unwrap(),
        ]),
    ));
    let err = Model::new(config).unwrap_err();
    assert!(
        matches!(err, Error::SlaCalendar { priority: 3, .. }),
        "{err}"
    );
}

#[cfg(feature = "serde")]
#[test]
fn a_class_reads_its_calendar_from_json() {
    let text = r#"{"priority": 2, "arrivals": {"poisson": {"rate": 3, "per": "PT1H"}},
        "service": {"exponential": {"mean": "PT30M"}}, "response": "PT1H", "resolution": "PT8H",
        "calendar": {"name": "office", "week": {"weekdays": ["09:00-17:00"]}}}"#;
    let class: ClassSpec = serde_json::from_str(text).unwrap();
    assert_eq!(
        class.calendar.as_ref().map(|c| c.name.as_str()),
        Some("office")
    );
    // Absent: around the clock, and not written back.
    let mut plain = class.clone();
    plain.calendar = None;
    let json = serde_json::to_string(&plain).unwrap();
    assert!(!json.contains("calendar"), "{json}");
    assert_eq!(serde_json::from_str::<ClassSpec>(&json).unwrap(), plain);
}

/// No waiting (200 agents), an hour of work and every ticket on hold for two hours
/// part-way through it, around the clock.
fn held_desk(resolution: Duration) -> Model {
    let mut config = Config::mmc(2.0, 1.0, 200, Duration::days(10));
    config.classes[0].service = ServiceTime::Deterministic {
        value: Duration::hours(1),
    };
    config.classes[0].resolution = resolution;
    config.classes[0].hold = Some(Hold::new(
        1.0,
        ServiceTime::Deterministic {
            value: Duration::hours(2),
        },
    ));
    Model::new(config).unwrap()
}

#[test]
fn a_hold_pauses_the_resolution_clock() {
    // Three hours from arrival to resolution, two of them on hold: one hour counts. So a
    // two-hour target is met by every ticket, and a one-hour target is reached exactly at
    // resolution (breached, by the SLA engine's rule), on both paths. Counted around the
    // clock without the pause, every ticket would breach both.
    for (target, met) in [(Duration::hours(2), true), (Duration::hours(1), false)] {
        let model = held_desk(target);
        for path in [Engine::Fast, Engine::Full] {
            let r = simulate(&model, 4, path).unwrap();
            let c = &r.classes[0];
            assert!(r.completed > 400, "{path:?}: {}", r.completed);
            let resolved = c.resolution.met + c.resolution.breached;
            assert_eq!(resolved, r.completed, "{path:?}: every resolution measured");
            if met {
                assert_eq!(c.resolution.breached, 0, "{path:?}: {:?}", c.resolution);
            } else {
                assert_eq!(c.resolution.met, 0, "{path:?}: {:?}", c.resolution);
            }
            // Responses at once; the held tickets free their agents.
            assert_eq!(c.response.breached, 0);
            assert_eq!(
                r.arrivals,
                r.completed + r.in_service + r.queued + r.on_hold,
                "{path:?}"
            );
        }
    }
}

#[test]
fn tickets_on_hold_at_the_horizon_are_counted_apart() {
    // A hold of a year: every ticket is on hold at the horizon, none in service; their
    // resolution clocks are paused, so unmeasured; the backlog samples show them.
    let mut config = Config::mmc(2.0, 1.0, 5, Duration::days(3));
    config.classes[0].hold = Some(Hold::new(
        1.0,
        ServiceTime::Deterministic {
            value: Duration::days(365),
        },
    ));
    let model = Model::new(config).unwrap();
    let fast = simulate(&model, 2, Engine::Fast).unwrap();
    let full = simulate(&model, 2, Engine::Full).unwrap();
    assert_eq!(fast.classes[0].resolution, full.classes[0].resolution);
    assert_eq!(fast.completed, 0);
    assert!(fast.on_hold > 100, "{}", fast.on_hold);
    assert_eq!(fast.arrivals, fast.on_hold + fast.in_service + fast.queued);
    assert_eq!(
        fast.classes[0].resolution.met + fast.classes[0].resolution.breached,
        0
    );
    let last = fast.backlog.last().unwrap();
    assert!(last.on_hold > 100 && last.in_service <= 5, "{last:?}");
}

#[test]
fn a_hold_is_checked() {
    let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
    config.classes[0].hold = Some(Hold::new(1.5, ServiceTime::exponential(minutes(30))));
    let err = Model::new(config.clone()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "priority 3: the hold is refused: the probability 1.5 must be a number from 0 to 1"
    );
    config.classes[0].hold = Some(Hold::new(f64::NAN, ServiceTime::exponential(minutes(30))));
    assert!(matches!(
        Model::new(config.clone()),
        Err(Error::BadHold { priority: 3, .. })
    ));
    config.classes[0].hold = Some(Hold::new(0.5, ServiceTime::exponential(Duration::zero())));
    let err = Model::new(config).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "priority 3: the hold is refused: its duration: the mean PT0S must be positive"
        ),
        "{err}"
    );
}

#[test]
fn preemption_reaches_agents_finishing_past_a_shift() {
    // Two agents until noon, one after; six-hour priority-2 jobs keep both busy past noon.
    // An urgent ticket arriving then still gets an agent at once (the agent on duty hands
    // over), exactly as when priority 1 is the only class.
    let mut hours = vec![2u32; 24];
    hours[12..].fill(1);
    let p1 = ClassSpec::new(
        1,
        Arrivals::per_hour(0.3),
        ServiceTime::Deterministic { value: minutes(6) },
        minutes(15),
        Duration::hours(4),
    );
    let p2 = ClassSpec::new(
        2,
        Arrivals::per_hour(1.0),
        ServiceTime::Deterministic {
            value: Duration::hours(6),
        },
        Duration::hours(1),
        Duration::hours(80),
    );
    let mut config = Config::new(
        monday(),
        Duration::days(4),
        vec![p1, p2],
        Staffing::Hourly { agents: hours },
    );
    config.discipline = itsm_sim::Discipline::PreemptiveResume;
    let mut alone = config.clone();
    alone.classes.truncate(1);
    let (both, alone) = (Model::new(config).unwrap(), Model::new(alone).unwrap());
    for seed in 95..=105 {
        let a = simulate(&both, seed, Engine::Fast).unwrap();
        let b = simulate(&alone, seed, Engine::Fast).unwrap();
        assert_eq!(a.classes[0].waits, b.classes[0].waits, "seed {seed}");
        let full = simulate(&both, seed, Engine::Full).unwrap();
        assert_eq!(
            a.classes[1].resolution, full.classes[1].resolution,
            "seed {seed}"
        );
    }
}

#[test]
fn long_interrupted_work_leaves_no_lasting_debris() {
    // Urgent one-minute tickets keep interrupting days-long ones: each interruption leaves
    // the long ticket's old departure in the event heap, swept once such leftovers are half
    // of it. Whatever the sweeps drop, the urgent class still runs exactly as alone, and
    // every ticket is accounted for.
    let urgent = ClassSpec::new(
        1,
        Arrivals::per_hour(30.0),
        ServiceTime::Deterministic { value: minutes(1) },
        minutes(5),
        minutes(30),
    );
    let long = ClassSpec::new(
        4,
        Arrivals::per_hour(1.0),
        ServiceTime::Lognormal {
            median: Duration::hours(10),
            sigma: 3.0,
        },
        Duration::hours(8),
        Duration::days(30),
    );
    let mut config = Config::new(
        monday(),
        Duration::days(20),
        vec![urgent, long],
        Staffing::Constant { agents: 10 },
    );
    config.discipline = itsm_sim::Discipline::PreemptiveResume;
    let mut alone = config.clone();
    alone.classes.truncate(1);
    let both = simulate(&Model::new(config).unwrap(), 3, Engine::Fast).unwrap();
    let one = simulate(&Model::new(alone).unwrap(), 3, Engine::Fast).unwrap();
    assert_eq!(both.classes[0].waits, one.classes[0].waits);
    assert_eq!(both.classes[0].resolution, one.classes[0].resolution);
    assert_eq!(
        both.arrivals,
        both.completed + both.in_service + both.queued + both.on_hold
    );
    assert!(both.classes[1].arrivals > 400 && both.completed > 14_000);
}

#[test]
fn a_hold_with_a_target_too_long_for_its_pause_is_refused() {
    // A pause moves the resolution deadline by up to the horizon: 200 years of target and
    // 100 of horizon would pass the 292 years both paths count in nanoseconds.
    let mut config = Config::mmc(0.0002, 1.0, 1, Duration::days(100 * 366));
    config.sample_every = Duration::days(365);
    config.classes[0].resolution = Duration::days(200 * 366);
    config.classes[0].hold = Some(Hold::new(1.0, ServiceTime::exponential(Duration::days(1))));
    let err = Model::new(config.clone()).unwrap_err();
    assert!(
        matches!(&err, Error::BadHold { priority: 3, reason } if reason.contains("over 292 years")),
        "{err}"
    );
    // Without the hold, the same target is fine.
    config.classes[0].hold = None;
    assert!(Model::new(config).is_ok());
}

#[test]
fn arrival_profiles_are_checked() {
    let mut c = desk();
    c.classes[2].arrivals = Arrivals::Profile {
        rates: vec![1.0; 23],
        per: Duration::hours(1),
    };
    assert_eq!(
        Model::new(c).unwrap_err(),
        Error::ProfileLength {
            priority: 3,
            len: 23
        }
    );
    let mut c = desk();
    let mut rates = vec![1.0; 168];
    rates[100] = -2.0;
    c.classes[2].arrivals = Arrivals::Profile {
        rates,
        per: Duration::hours(1),
    };
    assert_eq!(
        Model::new(c).unwrap_err(),
        Error::BadRate {
            priority: 3,
            value: "-2".into()
        }
    );
    let mut c = desk();
    c.classes[2].arrivals = Arrivals::Profile {
        rates: vec![0.0; 24],
        per: Duration::hours(1),
    };
    assert_eq!(
        Model::new(c).unwrap_err(),
        Error::BadRate {
            priority: 3,
            value: "0".into()
        }
    );
}

#[test]
fn an_office_hours_profile_with_office_hours_shifts_waits_less_than_a_flat_one() {
    // The same 48 tickets a weekday, arriving in office hours or spread over the day, with
    // 3 agents in office hours and 1 otherwise: the profile matches the shifts.
    let mut rates = vec![0.0; 168];
    for day in 0..5 {
        rates[day * 24 + 9..day * 24 + 17].fill(6.0);
    }
    let mut office = CalendarSpec::always_open("office");
    office.week = Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]);
    let shifts = Staffing::Shifts {
        shifts: vec![
            Shift::new(office, 3),
            Shift::new(CalendarSpec::always_open("always"), 1),
        ],
    };
    let class = |arrivals| {
        ClassSpec::new(
            3,
            arrivals,
            ServiceTime::exponential(minutes(20)),
            minutes(60),
            minutes(480),
        )
    };
    let profiled = Config::new(
        monday(),
        Duration::weeks(20),
        vec![class(Arrivals::Profile {
            rates: rates.clone(),
            per: Duration::hours(1),
        })],
        shifts.clone(),
    );
    let flat = Config::new(
        monday(),
        Duration::weeks(20),
        vec![class(Arrivals::Poisson {
            rate: 240.0,
            per: Duration::weeks(1),
        })],
        shifts,
    );
    let (profiled, flat) = (Model::new(profiled).unwrap(), Model::new(flat).unwrap());
    assert!((profiled.expected_arrivals() - flat.expected_arrivals()).abs() < 1e-6);
    let p = simulate(&profiled, 4, Engine::Full).unwrap();
    let f = simulate(&flat, 4, Engine::Full).unwrap();
    assert!(
        p.waits.mean_hours < f.waits.mean_hours,
        "{} vs {}",
        p.waits.mean_hours,
        f.waits.mean_hours
    );
    assert!(p.classes[0].response.ratio() > f.classes[0].response.ratio());
    // Nobody arrives at the weekend under the profile: Saturday noon's backlog is empty.
    let saturday_noon = monday() + Duration::hours(5 * 24 + 12);
    let at = p.backlog.iter().find(|b| b.at == saturday_noon).unwrap();
    assert_eq!((at.queued, at.in_service), (0, 0));
}

#[test]
fn profiles_estimated_from_simulated_arrivals_recover_the_rates() {
    // Arrivals drawn from a known weekly profile by the simulator itself are not exposed, so
    // draw a log here: one arrival exactly every (1 / rate) hours inside each hour.
    let mut seen = Vec::new();
    for week in 0..4 {
        for hour in 0..168i64 {
            let weekday = hour / 24 < 5;
            let n = if weekday && (9..17).contains(&(hour % 24)) {
                6
            } else {
                1
            };
            for k in 0..n {
                let at =
                    monday() + Duration::weeks(week) + Duration::hours(hour) + minutes(60 * k / n);
                seen.push((if k % 2 == 0 { 3 } else { 2 }, at));
            }
        }
    }
    let profiles = itsm_sim::estimate_profiles(&seen, 168).unwrap();
    let total = |h: usize| -> f64 {
        profiles
            .values()
            .map(|a| match a {
                Arrivals::Profile { rates, .. } => rates[h],
                _ => panic!("a profile"),
            })
            .sum()
    };
    // Monday 10:00 and Saturday 10:00; the window ends at the last arrival, in the last hour.
    assert!((total(10) - 6.0).abs() < 1e-9, "{}", total(10));
    assert!((total(5 * 24 + 10) - 1.0).abs() < 1e-9);
    assert_eq!(
        itsm_sim::estimate_profiles(&seen, 25),
        Err(Error::ProfileLength {
            priority: 0,
            len: 25
        })
    );
    // The profile's mean equals the flat estimate.
    let flat = estimate_rates(&seen, Duration::hours(1)).unwrap();
    let mean: f64 = profiles.values().map(Arrivals::rate_per_hour).sum();
    let flat: f64 = flat.values().map(Arrivals::rate_per_hour).sum();
    assert!((mean - flat).abs() / flat < 0.01, "{mean} vs {flat}");
}

/// Hourly profiles over any window agree with the exposure counted in whole seconds, hour
/// by hour: the estimate now steps whole days (weeks) at once in the middle of the window.
/// And a window of millennia (a log with a bad year in it) is answered, with each slot's
/// exposure a share of the window.
#[test]
fn profiles_over_long_windows_match_the_exposure_counted_by_the_second() {
    let base = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    for (case, (offset, length)) in [
        (0i64, 3600i64),
        (1_234, 86_399),
        (3_600 * 13 + 17, 86_400 * 9 + 3_601),
        (86_400 * 3 + 59, 86_400 * 61 + 7),
        (86_400 * 6 + 3_599, 86_400 * 400),
    ]
    .into_iter()
    .enumerate()
    {
        for len in [24usize, 168] {
            let first = base + Duration::seconds(offset);
            let last = first + Duration::seconds(length);
            let seen = vec![
                (1u8, first),
                (1, first + Duration::seconds(length / 3)),
                (1, last),
            ];
            let profiles = itsm_sim::estimate_profiles(&seen, len).unwrap();
            let Arrivals::Profile { rates, .. } = &profiles[&1] else {
                panic!("a profile")
            };
            // The reference: seconds of the window in each slot, boundary to boundary.
            let cycle = len as i64 * 3600;
            let mut exposure = vec![0i64; len];
            let mut t = offset;
            while t < offset + length {
                let next = ((t / 3600) + 1) * 3600;
                let next = next.min(offset + length);
                exposure[((t % cycle) / 3600) as usize] += next - t;
                t = next;
            }
            let mut counts = vec![0u32; len];
            for (_, at) in &seen {
                let s = (*at - base).num_seconds();
                counts[((s % cycle) / 3600) as usize] += 1;
            }
            for slot in 0..len {
                let want = if exposure[slot] > 0 {
                    f64::from(counts[slot]) / (exposure[slot] as f64 / 3600.0)
                } else {
                    0.0
                };
                let got = rates[slot];
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                    "case {case}, len {len}, slot {slot}: {got} against {want}"
                );
            }
        }
    }
    // Two arrivals eight thousand years apart: each slot held a share of the window.
    let early = Utc.with_ymd_and_hms(1000, 1, 1, 0, 30, 0).unwrap();
    let late = Utc.with_ymd_and_hms(9000, 1, 1, 0, 30, 0).unwrap();
    let profiles = itsm_sim::estimate_profiles(&[(2, early), (2, late)], 24).unwrap();
    let Arrivals::Profile { rates, .. } = &profiles[&2] else {
        panic!("a profile")
    };
    let days = (late - early).num_days() as f64;
    assert!(
        (rates[0] - 2.0 / days).abs() < 1e-9 * rates[0],
        "{}",
        rates[0]
    );
    assert_eq!(rates[1], 0.0);
}

/// Erlang B stops once it has underflowed, with the same answer as every step would give,
/// and refuses more than 2^24 servers instead of looping billions of times.
#[test]
fn erlang_b_stops_at_underflow_and_refuses_absurd_server_counts() {
    let full = |servers: u32, load: f64| {
        let mut b = 1.0f64;
        for k in 1..=servers {
            b = load * b / (f64::from(k) + load * b);
        }
        b
    };
    for (servers, load) in [
        (1, 0.5),
        (10, 9.0),
        (500, 1.0),
        (3_000, 0.01),
        (2_000, 1_500.0),
    ] {
        assert_eq!(
            itsm_sim::erlang_b(servers, load).unwrap().to_bits(),
            full(servers, load).to_bits(),
            "{servers} servers, {load} erlangs"
        );
    }
    assert_eq!(itsm_sim::erlang_b(1 << 24, 1.0), Some(0.0));
    assert_eq!(itsm_sim::erlang_b((1 << 24) + 1, 1.0), None);
    assert_eq!(itsm_sim::erlang_b(u32::MAX, 1.0), None);
    assert!(itsm_sim::Mmc::new(1.0, 1.0, u32::MAX).is_none());
    assert!(itsm_sim::Mmc::new(1.0, 1.0, 1 << 24).is_some());
}

/// A load of -0.0 is a load of 0: Erlang B is +0.0 for any number of servers (the steps
/// used to alternate the zero's sign).
#[test]
fn erlang_b_of_a_negative_zero_load_is_zero() {
    for servers in [1u32, 2, 3, 1_000] {
        assert_eq!(
            itsm_sim::erlang_b(servers, -0.0).map(f64::to_bits),
            Some(0.0f64.to_bits())
        );
    }
}
