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
//! 2. Build a [`Context::new`]: `now` from your clock, the acting [`Actor`], your [`Policy`].
//! 3. Call [`decide`] with the [`Command`]. On `Err`, show the [`Error`] (it says what is
//!    allowed); nothing changed.
//! 4. On `Ok(events)`, store the events, then fold them into the state with
//!    [`State::apply`] (or [`evolve`] one by one).
//! 5. For a parent incident, pass each event to [`sync_children`] and run the commands it
//!    returns on the children (back to step 2, with a system actor).
//! 6. Ask [`next_deadline`] when to wake up; at that time send [`Command::Tick`]. A tick
//!    before the deadline returns no events, so spurious wake-ups are harmless.
//!
//! # Example
//! ```
//! use itsm_incident::chrono::{Duration, TimeZone, Utc};
//! use itsm_incident::{
//!     Actor, Command, Context, GroupId, Impact, IncidentId, Policy, Report, Role, State,
//!     StatusKind, Urgency, UserId, decide, next_deadline,
//! };
//!
//! let policy = Policy::servicenow();
//! let agent = Actor::new(UserId::from_u128(2), [Role::new("agent")?]);
//! let system = Actor::new(UserId::from_u128(3), [Role::new("system")?]);
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//!
//! // Decide, then apply the events (a product stores them first).
//! let mut state = State::new();
//! let mut run = |state: &mut State, command: Command, actor: &Actor, now| {
//!     let events = decide(state, &command, &Context::new(now, actor, &policy))?;
//!     state.apply(&events);
//!     Ok::<_, itsm_incident::Error>(events)
//! };
//!
//! let report = Report::new(
//!     IncidentId::from_u128(1), UserId::from_u128(9), Impact(1), Urgency(2), "Printer offline",
//! );
//! run(&mut state, report.into(), &agent, t0)?;
//! run(&mut state, Command::Assign { group: GroupId::from_u128(7), person: None }, &agent, t0)?;
//! run(&mut state, Command::StartWork, &agent, t0)?;
//! run(&mut state, Command::Resolve { code: "solved".into(), notes: "cable".into() }, &agent, t0)?;
//!
//! // Auto-close is a deadline the host waits for.
//! let due = next_deadline(&state, &policy).unwrap();
//! assert_eq!(due, t0 + Duration::days(7));
//! assert!(run(&mut state, Command::Tick, &system, due - Duration::seconds(1))?.is_empty());
//! run(&mut state, Command::Tick, &system, due)?;
//! assert_eq!(state.kind(), StatusKind::Closed);
//! # Ok::<(), itsm_incident::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for commands, events, states and policies. Events carry a
//!   stable `type` tag, commands a `command` tag. `Event::from_json` decodes stored
//!   events faster than a generic JSON library, with the same answers as `serde_json`.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod error;
mod event;
mod follow_up;
#[cfg(feature = "serde")]
mod json;
mod machine;
mod model;
mod policy;
mod serde_tagged;
mod sync;
mod timeline;
mod triggers;
mod workflow;

pub use command::{Command, CommandKind};
pub use error::Error;
pub use event::Event;
pub use follow_up::{FollowUp, FollowUpField, FollowUpPolicy, follow_up};
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub use json::DecodeError;
pub use machine::{
    Context, allowed_commands, decide, evolve, is_allowed, lifecycle, next_deadline,
};
pub use model::{
    Assignment, ChangeId, Channel, Escalation, EscalationKind, HoldReason, Incident, IncidentId,
    Link, Links, MajorState, ProblemId, Report, Resolution, Snapshot, State, Status, StatusKind,
};
pub use policy::{
    AutoCloseFrom, HoldReasonRule, MajorTrigger, Policy, ReassignmentCounting, RequiredFields,
    TriggerAction,
};
pub use sync::{resolve_for_problem, sync_children};
pub use timeline::timeline;
pub use workflow::{
    CloseUnresolved, ReopenClosed, TRANSITIONS, Workflow, WorkflowSpec, WorkflowState,
};

/// The date and time crate of this API (`DateTime<Utc>` instants, `Duration`s), re-exported
/// so that a host needs no second dependency to build them.
pub use chrono;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s, so values mix freely with other practice crates).
pub use itsm_core::{
    Actor, Category, Condition, ConfigItemId, GroupId, Impact, Lifecycle, LifecycleProblem,
    Permissions, Priority, PriorityExplanation, PriorityMatrix, Role, ServiceId, TicketView,
    TransitionSpec, Urgency, UserId, ViewField,
};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
