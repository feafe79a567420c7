//! Incident management as a pure state machine.
//!
//! An incident is an unplanned interruption or degradation of a service. This crate holds the
//! rules of its lifecycle (new, in progress, on hold with a reason, resolved, closed,
//! canceled), as the leading tools document them, with ServiceNow's model as the default
//! [`Policy`] and every difference between tools a policy option. Products embed it; they
//! keep storage, clocks, ids and user interfaces.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. Time, ids and the acting user come in as inputs, so the same inputs give
//! the same outputs and a product can replay, test and audit everything.
//!
//! # The host's loop
//! 1. Load the incident's [`State`] (fold its stored events with [`evolve`], or keep it).
//! 2. Build a [`Context`]: `now` from your clock, the acting [`Actor`](itsm_core::actor::Actor),
//!    your [`Policy`].
//! 3. Call [`decide`] with the [`Command`]. On `Err`, show the [`Error`] (it says what is
//!    allowed); nothing changed.
//! 4. On `Ok(events)`, store the events, then fold them into the state with [`evolve`].
//! 5. For a parent incident, pass each event to [`sync_children`] and run the commands it
//!    returns on the children (back to step 2, with a system actor).
//! 6. Ask [`next_deadline`] when to wake up; at that time send [`Command::Tick`]. A tick
//!    before the deadline returns no events, so spurious wake-ups are harmless.
//!
//! # Example
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use itsm_core::actor::{Actor, Role, UserId};
//! use itsm_core::priority::{Impact, Urgency};
//! use itsm_incident::model::{Channel, IncidentId, Report, StatusKind};
//! use itsm_incident::{decide, evolve, next_deadline, Command, Context, Policy, State};
//!
//! let policy = Policy::servicenow();
//! let agent = Actor::new(UserId::from_u128(2), [Role::new("agent")?]);
//! let system = Actor::new(UserId::from_u128(3), [Role::new("system")?]);
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//!
//! let mut state = State::new();
//! let mut run = |state: &mut State, cmd: Command, actor: &Actor, now| {
//!     let ctx = Context { now, actor, policy: &policy };
//!     let events = decide(state, &cmd, &ctx)?;
//!     *state = events.iter().fold(std::mem::replace(state, State::new()), evolve);
//!     Ok::<_, itsm_incident::Error>(events)
//! };
//!
//! let report = Report {
//!     id: IncidentId::from_u128(1), caller: UserId::from_u128(9), channel: Channel::Phone,
//!     category: Some("network".into()), configuration_item: None, service: None,
//!     impact: Impact(1), urgency: Urgency(2), description: "Printer offline".into(),
//! };
//! run(&mut state, Command::Report(Box::new(report)), &agent, t0)?;
//! run(&mut state, Command::StartWork, &agent, t0)?;
//! run(&mut state, Command::Resolve { code: "solved".into(), notes: "cable".into() }, &agent, t0)?;
//!
//! // Auto-close is a deadline the host waits for.
//! let due = next_deadline(&state, &policy).unwrap();
//! assert_eq!(due, t0 + Duration::days(7));
//! assert!(run(&mut state, Command::Tick, &system, due - Duration::seconds(1))?.is_empty());
//! run(&mut state, Command::Tick, &system, due)?;
//! assert_eq!(state.kind(), StatusKind::Closed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for commands, events, states and policies. Events carry a
//!   stable `type` tag, commands a `command` tag.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod error;
mod event;
mod machine;
pub mod model;
mod policy;
mod sync;

pub use command::{Command, CommandKind};
pub use error::Error;
pub use event::Event;
pub use machine::{
    Context, TRANSITIONS, allowed_commands, decide, evolve, is_allowed, lifecycle, next_deadline,
};
pub use model::State;
pub use policy::{AutoCloseFrom, HoldReasonRule, Policy, ReassignmentCounting, RequiredFields};
pub use sync::sync_children;

// The README's example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
