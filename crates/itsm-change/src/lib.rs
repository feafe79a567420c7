//! Change enablement as a pure state machine.
//!
//! A change adds, modifies or removes something that could affect IT services. This crate
//! holds the rules of its lifecycle as the leading tools document them, with ServiceNow's
//! model as the default [`Policy`]: change models as data (standard changes from a
//! pre-approved template skip assessment and authorisation, normal changes go through both,
//! emergency changes skip assessment and are authorised by the emergency board, and a vendor
//! adds its own model with its own path, checked when loaded), risk assessment
//! ([`RiskPolicy`]: a questionnaire, risk rules first-match, engines combined highest-wins,
//! an impact x likelihood lookup, every result explained), rejection back to new, on hold as
//! a flag, planned windows, and the post-implementation review with its outcome and close
//! code. Products embed it; they keep storage, clocks, ids and user interfaces.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. Time, ids and the acting user come in as inputs.
//!
//! # The host's loop
//! 1. Load the change's [`State`] (fold its stored events with [`evolve`]).
//! 2. Build a [`Context::new`]: `now`, the acting [`Actor`], your [`Policy`].
//! 3. Call [`decide`]; on `Err` show the [`Error`] (it says what is allowed); on
//!    `Ok(events)`, store the events and fold them ([`State::apply`]).
//! 4. [`next_deadline`] gives the planned window's start or end, for the host's calendar.
//!
//! # Example
//! ```
//! use itsm_change::chrono::{Duration, TimeZone, Utc};
//! use itsm_change::{
//!     Actor, ChangeId, Command, Context, Phase, Policy, Request, ReviewOutcome, Role, State,
//!     UserId, Window, decide,
//! };
//!
//! let policy = Policy::servicenow();
//! let manager = Actor::new(UserId::from_u128(2), [Role::new("change_manager")?]);
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let mut state = State::new();
//! let mut run = |state: &mut State, command: Command, now| {
//!     let events = decide(state, &command, &Context::new(now, &manager, &policy))?;
//!     state.apply(&events);
//!     Ok::<_, itsm_change::Error>(())
//! };
//!
//! let mut request = Request::new(ChangeId::from_u128(1), "standard", manager.user, "Patch web01");
//! request.template = Some("os_patch".into());
//! run(&mut state, request.into(), t0)?;
//! let window = Window::new(t0 + Duration::days(1), t0 + Duration::days(1) + Duration::hours(2));
//! run(&mut state, Command::Plan { window }, t0)?;
//! run(&mut state, Command::Submit, t0)?; // a standard change: straight to scheduled
//! assert_eq!(state.stage(), Some(Phase::Scheduled));
//! run(&mut state, Command::Implement, window.start)?;
//! run(&mut state, Command::Complete, window.end)?;
//! run(
//!     &mut state,
//!     Command::Close {
//!         outcome: ReviewOutcome::Successful,
//!         close_code: "successful".into(),
//!         notes: String::new(),
//!     },
//!     window.end,
//! )?;
//! assert_eq!(state.stage(), Some(Phase::Closed));
//! # Ok::<(), itsm_change::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for commands, events, states and policies (`command` and
//!   `type` tags).
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
mod risk;
mod task;
mod task_machine;
mod timeline;

pub use command::Command;
pub use error::Error;
pub use event::Event;
pub use machine::{
    CalendarCheck, Context, allowed_commands, decide, evolve, next_deadline, target,
};
pub use model::{Change, Phase, Request, Review, ReviewOutcome, State, Window};
pub use policy::{ChangeModel, CloseCodes, ConflictHandling, ModelState, Models, Policy};
pub use risk::{
    AnswerOption, EngineResult, Question, Questionnaire, RiskAssessment, RiskCondition, RiskFacts,
    RiskLevel, RiskPolicy, RiskRule,
};
pub use task::{ChangeTask, ChangeTaskHold, ChangeTaskId, ChangeTaskKind, ChangeTaskState};
pub use timeline::timeline;

/// The date and time crate of this API, re-exported so that a host needs no second
/// dependency to build instants and durations.
pub use chrono;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s).
pub use itsm_core::{
    Actor, Category, ChangeId, ConfigItemId, Impact, Lifecycle, Permissions, Role, ServiceId,
    TransitionSpec, UserId,
};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
