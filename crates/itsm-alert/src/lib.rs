//! Monitoring and event management as a pure state machine.
//!
//! Monitoring tools send a stream of signals (ServiceNow calls them events, Alerta
//! alerts): "disk 95% full on db-1", "CPU back to normal on web-2". Event management turns
//! that stream into a short list of **alerts** an operator can act on, and asks for an
//! incident when one matters. This crate holds the rules as the leading tools document them,
//! ServiceNow's Event Management as the default [`Policy`] and Alerta's as the other preset:
//!
//! - **Deduplication** by message key ([`Signal::message_key`]): the tool's key, or
//!   source, type, node, resource and metric joined; each key has one alert at a time.
//! - **Statuses** ([`AlertStatus`]): open, reopened, flapping, closed, in one table
//!   ([`TRANSITIONS`]). A clear closes an alert; a later signal reopens it within the
//!   policy's active interval of its last update, or opens a new alert after it.
//! - **Repeats**: a signal identical to the alert's last one within the repeat window only
//!   counts ([`Event::Repeated`]); the alert is not updated (ServiceNow's keep-alive rule).
//! - **Flapping** ([`Flapping`]): reopened `frequency` times within `interval`, an alert
//!   flaps (clears no longer close it) until no signal has come for `quiet`.
//! - **Operators** acknowledge, close and reopen (roles from the policy's permissions);
//!   under Alerta's rule a more severe signal takes an acknowledgement back.
//! - **Ticks** ([`next_deadline`]): flapping that went quiet ends, stale alerts close
//!   (Alerta's timeout), incidents fall due ([`IncidentRule`]).
//!
//! The state ([`State`]) is the board: every alert and the latest alert of each key. One
//! [`decide`] takes one command against the whole board, so deduplication needs no lookup
//! by the host.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. The arrival time, the id of a new alert and the acting user come in as
//! inputs, so the same inputs give the same outputs: a stored stream of signals replays to
//! the same alerts.
//!
//! # The host's loop
//! 1. Keep the board's [`State`] (or fold the stored events with [`evolve`]).
//! 2. For each signal, call [`decide`] with [`Command::Ingest`] (the signal, and an id to
//!    use should it open an alert) and a [`Context`] whose `now` is its arrival time.
//! 3. Store the events and fold them in with [`State::apply`]; open an incident for each
//!    [`Event::IncidentRequested`].
//! 4. Ask [`next_deadline`] when to send [`Command::Tick`].
//!
//! # Example
//! ```
//! use itsm_alert::chrono::{Duration, TimeZone, Utc};
//! use itsm_alert::{
//!     Actor, AlertId, AlertStatus, Command, Context, Event, Policy, Severity, Signal, State,
//!     UserId, decide,
//! };
//!
//! let policy = Policy::servicenow();
//! let system = Actor::new(UserId::from_u128(0), []);
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let mut state = State::new();
//! let mut ingest = |state: &mut State, minutes: i64, severity: Severity, id: u128| {
//!     let signal = Signal::new("nagios", "db-1", severity).with_kind("Disk");
//!     let command = Command::ingest(signal, AlertId::from_u128(id));
//!     let events = decide(state, &command, &Context::new(t0 + Duration::minutes(minutes), &system, &policy))?;
//!     state.apply(&events);
//!     Ok::<_, itsm_alert::Error>(events)
//! };
//!
//! ingest(&mut state, 0, Severity::Major, 1)?; // opens alert 1
//! ingest(&mut state, 5, Severity::Major, 2)?; // the same: a repeat
//! ingest(&mut state, 10, Severity::Clear, 3)?; // closes alert 1
//! let events = ingest(&mut state, 30, Severity::Critical, 4)?; // within the hour: reopens 1
//! assert!(matches!(events[0], Event::Reopened { .. }));
//! let alert = state.alert(AlertId::from_u128(1)).unwrap();
//! assert_eq!((alert.status(), alert.signals(), alert.repeats()), (AlertStatus::Reopened, 4, 1));
//!
//! ingest(&mut state, 40, Severity::Clear, 5)?;
//! ingest(&mut state, 200, Severity::Minor, 6)?; // hours later: a new alert
//! assert!(state.alert(AlertId::from_u128(6)).is_some());
//! # Ok::<(), itsm_alert::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for signals, commands, events, states and policies. Events
//!   carry a `type` tag, commands a `command` tag; durations are ISO 8601 strings.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod error;
mod event;
mod machine;
mod model;
mod policy;

pub use command::Command;
pub use error::Error;
pub use event::{Event, IgnoreReason};
pub use machine::{Context, TRANSITIONS, Transition, decide, evolve, mermaid, next_deadline};
pub use model::{
    Alert, AlertId, AlertStatus, CloseReason, FlapWindow, MessageKey, Severity, Signal, State,
};
pub use policy::{Acknowledgement, Flapping, IncidentRule, Policy};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s, so values mix freely with the practice crates).
pub use itsm_core::{Actor, Permissions, Role, UserId};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
