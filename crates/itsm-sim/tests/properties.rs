//! Properties over generated configurations: no panics, determinism, conservation
//! (`arrivals + reopened = completed + in_service + queued + on_hold`), the two paths agree, and figures stay
//! in range.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

use itsm_sim::chrono::{Duration, TimeZone, Utc};
use itsm_sim::{
    Arrivals, CalendarSpec, ClassSpec, Config, Discipline, Engine, GroupSpec, Hold, Hop, Model,
    Reassign, Reopen, ReopenMode, Segment, ServiceTime, Staffing, Week, simulate,
};
use proptest::prelude::*;

fn service() -> impl Strategy<Value = ServiceTime> {
    prop_oneof![
        (1i64..240).prop_map(|m| ServiceTime::exponential(Duration::minutes(m))),
        (1i64..240).prop_map(|m| ServiceTime::Deterministic {
            value: Duration::minutes(m)
        }),
        (1i64..240, 0.0f64..2.0).prop_map(|(m, sigma)| ServiceTime::Lognormal {
            median: Duration::minutes(m),
            sigma
        }),
        prop::collection::vec(1i64..600, 1..5).prop_map(|v| ServiceTime::Empirical {
            samples: v.into_iter().map(Duration::minutes).collect()
        }),
    ]
}

fn arrivals() -> impl Strategy<Value = Arrivals> {
    prop_oneof![
        (0.05f64..6.0).prop_map(Arrivals::per_hour),
        prop::collection::vec(0.0f64..6.0, 24).prop_map(|rates| Arrivals::Profile {
            rates,
            per: Duration::hours(1)
        }),
        prop::collection::vec(0.0f64..40.0, 168).prop_map(|rates| Arrivals::Profile {
            rates,
            per: Duration::days(1)
        }),
    ]
}

/// An SLA calendar: none (around the clock), office hours with a lunch break, or long days
/// every day of the week.
fn calendar() -> impl Strategy<Value = Option<CalendarSpec>> {
    let segment = |a: &str, b: &str| Segment::parse(a, b).unwrap();
    prop_oneof![
        Just(None),
        Just(Some(CalendarSpec::new(
            "office",
            Week::weekdays(&[segment("09:00", "12:00"), segment("13:00", "17:30")]),
        ))),
        Just(Some(CalendarSpec::new(
            "long-days",
            Week::every_day(&[segment("07:00", "21:00")]),
        ))),
    ]
}

/// A hold: none, or a share of tickets waiting for their caller for a while.
fn hold() -> impl Strategy<Value = Option<Hold>> {
    prop_oneof![
        Just(None),
        (0.0f64..=1.0, service()).prop_map(|(p, duration)| Some(Hold::new(p, duration))),
    ]
}

/// A reopen: none, or a share of tickets reopened a while after their resolution, under
/// each of the SLA engine's reopen modes.
fn reopen() -> impl Strategy<Value = Option<Reopen>> {
    prop_oneof![
        Just(None),
        (
            0.0f64..=1.0,
            service(),
            service(),
            prop_oneof![
                Just(ReopenMode::NewCycle),
                Just(ReopenMode::Continue),
                Just(ReopenMode::PauseWhileResolved)
            ]
        )
            .prop_map(|(p, after, work, clock)| {
                let mut reopen = Reopen::new(p, after, work);
                reopen.clock = clock;
                Some(reopen)
            }),
    ]
}

fn class() -> impl Strategy<Value = ClassSpec> {
    (
        1u8..=5,
        arrivals(),
        service(),
        1i64..600,
        1i64..3000,
        calendar(),
        hold(),
        reopen(),
    )
        .prop_map(|(p, arrivals, service, r, s, calendar, hold, reopen)| {
            let mut class = ClassSpec::new(
                p,
                arrivals,
                service,
                Duration::minutes(r),
                Duration::minutes(s),
            );
            class.calendar = calendar;
            class.hold = hold;
            class.reopen = reopen;
            class
        })
}

fn staffing() -> impl Strategy<Value = Staffing> {
    prop_oneof![
        (0u32..8).prop_map(|agents| Staffing::Constant { agents }),
        prop::collection::vec(0u32..6, 24).prop_map(|agents| Staffing::Hourly { agents }),
        prop::collection::vec(0u32..6, 168).prop_map(|agents| Staffing::Hourly { agents }),
    ]
}

/// A pass: to which group, what share, after how much triage.
type Pass = (usize, f64, ServiceTime);

/// Where each class's tickets go: (its first group, whether some are passed on, the first
/// pass, the passes after it); the groups are picked by position among the desk and the
/// generated groups.
fn routing() -> impl Strategy<Value = Vec<(usize, bool, Pass, Vec<Pass>)>> {
    let pass = || (0usize..4, 0.0f64..=1.0, service());
    prop::collection::vec(
        (
            0usize..4,
            any::<bool>(),
            pass(),
            prop::collection::vec(pass(), 0..itsm_sim::MAX_PASSES),
        ),
        4,
    )
}

fn config() -> impl Strategy<Value = Config> {
    (
        prop::collection::vec(class(), 0..4),
        staffing(),
        prop::collection::vec(staffing(), 0..3),
        routing(),
        1i64..120,
        0i64..120,
        0u32..3600,
        prop_oneof![Just(15i64), Just(60), Just(240)],
        prop_oneof![
            Just(Discipline::NonPreemptive),
            Just(Discipline::PreemptiveResume)
        ],
        prop::collection::vec((0usize..4, 0usize..4), 0..4),
    )
        .prop_map(
            |(
                classes,
                staffing,
                groups,
                routing,
                horizon,
                warmup,
                offset,
                every,
                discipline,
                help,
            )| {
                let start = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap()
                    + Duration::seconds(i64::from(offset) * 7);
                let mut config = Config::new(start, Duration::hours(horizon), classes, staffing);
                config.groups = groups
                    .into_iter()
                    .enumerate()
                    .map(|(i, staffing)| GroupSpec::new(format!("g{i}"), staffing))
                    .collect();
                let n = config.groups.len() + 1;
                let name = |i: usize| match i % n {
                    0 => None,
                    i => Some(format!("g{}", i - 1)),
                };
                for (class, (first, passes, (to, share, triage), then)) in
                    config.classes.iter_mut().zip(routing)
                {
                    class.group = name(first);
                    if passes && n > 1 {
                        // Never to the group it is in.
                        let next =
                            |at: usize, to: usize| if to % n == at % n { to + 1 } else { to };
                        let mut at = next(first, to);
                        let named = |i: usize| name(i).unwrap_or_else(|| "desk".into());
                        let mut reassign = Reassign::new(share, named(at), triage);
                        for (to, share, triage) in then {
                            at = next(at, to);
                            reassign = reassign.with_hop(Hop::new(share, named(at), triage));
                        }
                        class.reassign = Some(reassign);
                    }
                }
                // Agents in several groups: (helper, helped) by position, each pair once,
                // never a group helping itself; not under pre-emption.
                if discipline == Discipline::NonPreemptive {
                    for (from, to) in help {
                        let (from, to) = (from % n, to % n);
                        if from != to {
                            let named = |i: usize| name(i).unwrap_or_else(|| "desk".into());
                            let list = config.helps.entry(named(from)).or_default();
                            if !list.contains(&named(to)) {
                                list.push(named(to));
                            }
                        }
                    }
                }
                config.warmup = Duration::hours(warmup);
                config.sample_every = Duration::minutes(every);
                config.discipline = discipline;
                config
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn runs_are_deterministic_conserve_tickets_and_paths_agree(config in config(), seed in any::<u64>()) {
        let Ok(model) = Model::new(config.clone()) else {
            return Ok(());
        };
        let fast = simulate(&model, seed, Engine::Fast).unwrap();
        let full = simulate(&model, seed, Engine::Full).unwrap();
        let passes = config
            .classes
            .iter()
            .filter_map(|c| c.reassign.as_ref())
            .map(|r| r.then.len() as u64 + 1)
            .max()
            .unwrap_or(0);
        prop_assert_eq!(&simulate(&model, seed, Engine::Fast).unwrap(), &fast);
        prop_assert_eq!(&simulate(&model, seed, Engine::Full).unwrap(), &full);
        for r in [&fast, &full] {
            prop_assert_eq!(r.arrivals + r.reopened, r.completed + r.in_service + r.queued + r.on_hold);
            prop_assert!(r.reopened <= r.arrivals);
            // As many times per ticket as its passes at most, and into the groups the
            // report lists.
            prop_assert!(r.reassigned <= r.arrivals * passes);
            prop_assert_eq!(r.groups.len(), config.groups.len() + 1);
            prop_assert_eq!(r.groups.iter().map(|g| g.reassigned_in).sum::<u64>(), r.reassigned);
            // A group's wait is measured at most once per coming to it.
            for g in &r.groups {
                prop_assert!(g.waits.count <= r.arrivals + g.reassigned_in);
            }
            for g in &r.groups {
                prop_assert!(g.utilisation >= 0.0 && g.utilisation <= 1.0 + 1e-9, "{}", g.utilisation);
            }
            prop_assert!(r.in_service <= u64::from(model.max_agents()));
            prop_assert!(r.utilisation >= 0.0 && r.utilisation <= 1.0 + 1e-9, "{}", r.utilisation);
            let counted: u64 = r.classes.iter().map(|c| c.arrivals).sum();
            prop_assert!(counted <= r.arrivals);
            let waits: u64 = r.classes.iter().map(|c| c.waits.count).sum();
            prop_assert_eq!(waits, r.waits.count);
            prop_assert!(r.waits.count <= counted);
            for c in &r.classes {
                // Each picked-up ticket has its response measured; open ones may add breaches.
                prop_assert!(c.response.met + c.response.breached >= c.waits.count);
                prop_assert!(c.response.met + c.response.breached <= c.arrivals);
                // A new cycle per reopen: at most two measured per ticket.
                prop_assert!(c.resolution.met + c.resolution.breached <= 2 * c.arrivals);
            }
            let w = r.waits;
            prop_assert!(w.p50 <= w.p90 && w.p90 <= w.p95 && w.p95 <= w.p99 && w.p99 <= w.max);
            prop_assert!(w.mean <= w.max);
            let expected = ((config.horizon - config.warmup).num_minutes() as f64 / config.sample_every.num_minutes() as f64).ceil() as usize;
            prop_assert_eq!(r.backlog.len(), expected);
            prop_assert!(r.backlog.windows(2).all(|p| p[0].at < p[1].at));
        }
        prop_assert_eq!(fast.waits, full.waits);
        prop_assert_eq!(fast.reopened, full.reopened);
        prop_assert_eq!(fast.reassigned, full.reassigned);
        prop_assert_eq!(&fast.groups, &full.groups);
        for (f, s) in fast.classes.iter().zip(&full.classes) {
            prop_assert_eq!(f.response, s.response);
            prop_assert_eq!(f.resolution, s.resolution);
        }
    }

    #[test]
    fn under_preemption_the_most_urgent_class_runs_as_if_alone(
        config in config(),
        seed in any::<u64>(),
    ) {
        // Pre-emptive resume, under any staffing (drops with agents finishing past a
        // shift's end included): the most urgent class never waits for the others, so its
        // tickets (the same ones: each class draws from streams of its own) get exactly the
        // waits and attainment they get with no other class at all.
        let mut config = config;
        config.discipline = Discipline::PreemptiveResume;
        config.helps.clear();
        config.classes.sort_by_key(|c| c.priority);
        config.classes.dedup_by_key(|c| c.priority);
        let mut alone = config.clone();
        alone.classes.truncate(1);
        let (Ok(all), Ok(one)) = (Model::new(config), Model::new(alone)) else {
            return Ok(());
        };
        let (all, one) = (
            simulate(&all, seed, Engine::Fast).unwrap(),
            simulate(&one, seed, Engine::Fast).unwrap(),
        );
        let (a, b) = (&all.classes[0], &one.classes[0]);
        prop_assert_eq!(a.arrivals, b.arrivals);
        prop_assert_eq!(a.waits, b.waits);
        prop_assert_eq!(a.response, b.response);
        prop_assert_eq!(a.resolution, b.resolution);
    }

    #[test]
    fn more_agents_never_make_anyone_wait_longer_in_total(config in config(), seed in any::<u64>()) {
        // Common random numbers: the same tickets, one more agent around the clock. With one
        // class, FIFO and identical agents, each ticket starts no later (a coupling argument).
        let mut one = config;
        one.classes.truncate(1);
        // (Without holds and reopens: a ticket back from hold or reopened joins the queue
        // again, so with more agents more tickets can be back in the queue at the horizon.)
        // (Nor groups: with more desk agents, more tickets can be waiting in a second
        // line at the horizon.)
        if let Some(class) = one.classes.first_mut() {
            class.hold = None;
            class.reopen = None;
            class.group = None;
            class.reassign = None;
        }
        one.groups.clear();
        one.helps.clear();
        one.warmup = Duration::zero();
        one.staffing = Staffing::Constant { agents: 2 };
        let mut more = one.clone();
        more.staffing = Staffing::Constant { agents: 3 };
        let (Ok(a), Ok(b)) = (Model::new(one), Model::new(more)) else {
            return Ok(());
        };
        let (a, b) = (simulate(&a, seed, Engine::Fast).unwrap(), simulate(&b, seed, Engine::Fast).unwrap());
        prop_assert_eq!(a.arrivals, b.arrivals);
        prop_assert!(b.completed >= a.completed);
        prop_assert!(b.queued <= a.queued);
    }
}
