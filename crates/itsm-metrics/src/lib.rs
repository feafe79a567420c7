//! ITSM measures computed exactly from practice-neutral ticket timelines, service
//! availability against a commitment, and a continual improvement register that tracks
//! initiatives against them.
//!
//! - **Input**: [`Timeline`](itsm_core::Timeline)s, the practice-neutral history
//!   of a ticket defined in `itsm-core`. Each practice crate turns its events into one
//!   (`itsm_incident::timeline`, `itsm_problem::timeline`, `itsm_change::timeline`); a host
//!   can build them from a foreign log. This crate depends on no practice crate.
//! - **KPIs** ([`Kpis::compute`]): mean and nearest-rank percentiles ([`DurationStats`],
//!   [`percentile`]) of the time to acknowledge and to resolve, in actual time and in
//!   business time through a [`WorkingTime`] (an `itsm_calendar::Calendar` with the
//!   `calendar` feature); first-contact resolution, reopen and reassignment rates, SLA
//!   attainment, change success rate, emergency change ratio and the time from a problem to
//!   its known error, as exact [`Ratio`]s. Every choice (which resolution after a reopen,
//!   whether paused time counts, what first contact means) is an [`Options`] field, and
//!   every definition is written in `docs/metrics.md`.
//! - **Backlog** ([`backlog`]): the open tickets at sample instants, bucketed by age.
//! - **Availability** ([`Commitment::measure`]): a service's [`Outage`]s against what it
//!   promises, per [`Period`] ([`periods`] cuts local days, weeks, months or years in any
//!   zone): downtime on the wall clock and within a schedule (a [`WorkingTime`]), outages,
//!   availability, acceptable downtime and the error budget left, met or not, MTBF, MTRS,
//!   MTBSI, service credits. ServiceNow's rules by default (only unplanned outages count,
//!   unplanned time inside a planned outage does not, ongoing outages wait for their end);
//!   planned outages excluded or counted, degradations counted, on request.
//! - **Improvement register** ([`decide`], [`evolve`], [`TRANSITIONS`]): initiatives with a
//!   baseline, a target and a [`Measure`], proposed, approved, in progress, achieved or
//!   abandoned; [`progress`] says how far a KPI value got, clamped and explained.
//!
//! # Purity
//! Nothing here reads the clock, the environment, files or the network, or makes ids. The
//! same inputs give the same outputs, whatever the order of the timelines.
//!
//! # The host's loop
//! 1. Turn each ticket's events into a timeline (the practice crates' `timeline` functions,
//!    or [`TimelineSpec`](itsm_core::TimelineSpec) and `Timeline::new` for a
//!    foreign log).
//! 2. Call [`Kpis::compute`] with the [`Options`] you report under (and a calendar for
//!    business time), and [`backlog`] with the instants to sample.
//! 3. Feed a KPI's [`value`](Kpis::value) to the register as a [`Command::Record`].
//!
//! # Example
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
//! use itsm_metrics::{Kpis, Measure, Options, PausedTime, Value};
//!
//! let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
//! let mut spec = TimelineSpec::new("INC1", Practice::Incident, at(8));
//! spec.marks = vec![
//!     Mark::new(at(9), MarkKind::Acknowledged),
//!     Mark::new(at(10), MarkKind::Paused),
//!     Mark::new(at(12), MarkKind::Resumed),
//!     Mark::new(at(13), MarkKind::Resolved),
//! ];
//! spec.sla.insert("resolution".into(), true);
//! let timelines = [Timeline::new(spec)?];
//!
//! let kpis = Kpis::compute(&timelines, &Options::default(), None);
//! assert_eq!(kpis.value(Measure::MeanTimeToResolve), Some(Value::Time(Duration::hours(5))));
//! assert_eq!(kpis.sla_attainment.value(), Some(1.0));
//!
//! // Without the two paused hours.
//! let mut options = Options::default();
//! options.paused = PausedTime::Excluded;
//! let kpis = Kpis::compute(&timelines, &options, None);
//! assert_eq!(kpis.time_to_resolve.unwrap().mean, Duration::hours(3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for the results, options, register commands, events and states
//!   (durations as ISO 8601 strings).
//! - `schemars`: JSON Schemas for them (implies `serde`).
//! - `calendar`: `itsm_calendar::Calendar` implements [`WorkingTime`].
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod availability;
mod backlog;
mod error;
mod facts;
mod kpis;
mod register;
mod stats;

pub use availability::{
    Availability, Commitment, CreditTier, Degradations, Interval, Ongoing, Outage, OutageKind,
    Period, Periods, PlannedOutages, periods,
};
pub use backlog::{BacklogSample, backlog};
pub use error::Error;
pub use kpis::{
    Cycle, FirstContact, FollowUps, Kpis, Measure, Options, PausedTime, TicketTimes, Value,
    WorkingTime,
};
pub use register::{
    Command, Context, Event, Initiative, InitiativeId, InitiativeStatus, Measurement, Progress,
    State, TRANSITIONS, Transition, decide, evolve, progress,
};
pub use stats::{DurationStats, Ratio, mean, percentile};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
