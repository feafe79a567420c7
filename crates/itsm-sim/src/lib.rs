//! A seeded discrete-event simulation of a service desk, built on the real itsm-rs crates.
//!
//! How many agents does a desk need to answer 90% of priority-2 tickets within an hour?
//! What happens to the backlog if the night shift goes? This crate answers such questions by
//! simulation, and checks itself against queueing theory where theory has an answer.
//!
//! - **Model** ([`Config`], data with serde, checked by [`Model::new`], one error per
//!   cause): ticket classes by incident priority, each with Poisson [`Arrivals`], at a
//!   constant rate or by hour of the day or week (given, or estimated from the arrival
//!   instants of a log by [`estimate_rates`] and [`estimate_profiles`]), a [`ServiceTime`]
//!   distribution (exponential, deterministic, lognormal or empirical, sampled by inverse
//!   transform), response and resolution targets (around the clock or on a business
//!   calendar), and optionally a [`Hold`] awaiting the caller part-way through the work
//!   (the resolution clock paused meanwhile) and a [`Reopen`] by the caller after the
//!   resolution (a new clock cycle, or the same clock continued); [`Staffing`] constant, by
//!   hour, or as shifts on itsm-calendar business calendars; resolver groups besides the
//!   desk ([`GroupSpec`]), each with its own agents and queues, a class routed to the group
//!   with its skill, a share of it passed on after triage ([`Reassign`], again and again
//!   through [`Reassign::then`]), and agents who also take other groups' tickets
//!   ([`Config::helps`]); a warm-up and a horizon.
//! - **Queue**: one FIFO queue per priority, served most urgent first; an agent finishes the
//!   ticket in hand even when the shift ends; with [`Discipline::PreemptiveResume`] an urgent
//!   ticket interrupts less urgent work (resumed later, no work lost).
//! - **Two paths** ([`Engine`]) over one event loop: [`Engine::Fast`] is the plain queueing
//!   core; [`Engine::Full`] also drives every ticket through itsm-incident's `decide` and
//!   `evolve` (reported, assigned and in progress when an agent picks it up, on hold and
//!   answered, resolved) and
//!   itsm-sla's clocks (response and resolution per priority), and reads the attainment
//!   from the SLA engine. Both give the same waits; their attainment agrees (a test pins
//!   it). The full path costs a few microseconds per ticket, the fast one tens of
//!   nanoseconds per event.
//! - **Outputs** ([`RunReport`]): SLA attainment per priority, waiting-time mean and
//!   percentiles, agent utilisation, the backlog over time; per group ([`GroupReport`]) its
//!   waits, utilisation and the tickets passed on to it.
//! - **Theory** ([`Mmc`], [`erlang_b`], [`Interval`]): Erlang C's mean wait and probability
//!   of waiting for M/M/c (the recursive Erlang B form, stable for hundreds of agents), and
//!   Student-t intervals over independent replications; the tests check the simulated mean
//!   wait against Erlang C for several (arrival rate, service rate, agents) points.
//!
//! # Purity
//! No clock, no I/O, no entropy from the system: the host passes the seed, and the same
//! model and seed give the same report, bit for bit. Each class draws arrivals and service
//! times from streams of its own, so two runs that differ only in staffing see the same
//! tickets (common random numbers: a staffing sweep compares like with like).
//!
//! # The host's loop
//! 1. Write a [`Config`] (or read one from JSON) and check it with [`Model::new`].
//! 2. Pick seeds (say 1 to 10) and call [`simulate`] for each, with [`Engine::Fast`] for
//!    sweeps and [`Engine::Full`] to exercise the real lifecycle and SLA engine.
//! 3. Read the [`RunReport`]s; put a figure across replications into [`Interval::of`] for its
//!    confidence interval.
//!
//! # Example
//! ```
//! use itsm_sim::chrono::Duration;
//! use itsm_sim::{Config, Interval, Mmc, Model, Engine, simulate};
//!
//! // M/M/c: 4 tickets an hour, 1 hour of work each, 5 agents; 2,000 hours after 100 of warm-up.
//! let mut config = Config::mmc(4.0, 1.0, 5, Duration::hours(2_100));
//! config.warmup = Duration::hours(100);
//! let model = Model::new(config)?;
//!
//! let means: Vec<f64> = (1..=8)
//!     .map(|seed| simulate(&model, seed, Engine::Fast).map(|r| r.waits.mean_hours))
//!     .collect::<Result<_, _>>()?;
//! let ci = Interval::of(&means).unwrap();
//! let theory = Mmc::new(4.0, 1.0, 5).unwrap().mean_wait; // 0.554 hours
//! assert!(ci.contains(theory), "{ci:?} vs {theory}");
//!
//! // The same seed, the same answer.
//! assert_eq!(simulate(&model, 3, Engine::Fast)?, simulate(&model, 3, Engine::Fast)?);
//! # Ok::<(), itsm_sim::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for the configuration and the reports; durations are ISO 8601
//!   strings (`itsm_core::duration`).
//! - `tz`: IANA zone names in shift calendars, through itsm-calendar's feature.
//! - `schemars`: JSON Schemas of the configuration and the report (the pinned copies are
//!   in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod arrivals;
mod config;
mod core;
mod desk;
mod dist;
mod erlang;
mod error;
mod model;
mod observer;
mod report;
mod streams;
mod time;

pub use arrivals::{Arrivals, estimate_profiles, estimate_rates};
pub use config::{
    ClassSpec, Config, DESK, Discipline, GroupSpec, Hold, Hop, MAX_AGENTS, MAX_ARRIVALS,
    MAX_GROUPS, MAX_HORIZON, MAX_PASSES, MAX_SAMPLES, MAX_STAFFING_CHANGES, Reassign, Reopen,
    Shift, Staffing,
};
pub use dist::ServiceTime;
pub use erlang::{Interval, Mmc, erlang_b};
pub use error::Error;
pub use model::Model;
pub use report::{Attainment, BacklogPoint, ClassReport, Engine, GroupReport, RunReport, Waits};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The calendar spec shifts and SLA targets are written in (itsm-calendar's own types), re-exported.
pub use itsm_calendar::{CalendarSpec, Exception, Holiday, Segment, Week};
/// What a resolution clock does at a [`Reopen`] (itsm-sla's own type), re-exported.
pub use itsm_sla::ReopenMode;

/// Runs `model` once with `seed` on `path`.
///
/// ```
/// use itsm_sim::chrono::Duration;
/// use itsm_sim::{Config, Model, Engine, simulate};
///
/// let model = Model::new(Config::mmc(2.0, 1.0, 3, Duration::hours(200)))?;
/// let fast = simulate(&model, 7, Engine::Fast)?;
/// let full = simulate(&model, 7, Engine::Full)?;
/// assert_eq!(fast.waits, full.waits); // one event loop
/// assert_eq!(fast.classes[0].resolution, full.classes[0].resolution); // one SLA rule
/// assert_eq!(fast.arrivals, fast.completed + fast.in_service + fast.queued + fast.on_hold);
/// # Ok::<(), itsm_sim::Error>(())
/// ```
///
/// # Errors
/// [`Error::Machine`] if the incident or SLA state machine refuses a step of the full path
/// (a bug: the simulator drives them only through allowed transitions);
/// [`Error::DateOverflow`] if an instant leaves chrono's range. The fast path does not fail
/// on a checked model ([`Model::new`] refuses the calendars, holds and targets whose
/// deadlines could not be computed).
pub fn simulate(model: &Model, seed: u64, engine: Engine) -> Result<RunReport, Error> {
    match engine {
        Engine::Fast => core::run(model, seed, engine, &mut observer::Nothing),
        Engine::Full => {
            let mut desk = desk::Desk::new(model)?;
            core::run(model, seed, engine, &mut desk)
        }
    }
}

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
