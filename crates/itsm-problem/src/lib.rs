//! Problem management as a pure state machine.
//!
//! A problem is the cause, or potential cause, of one or more incidents. This crate holds the
//! rules of its lifecycle as the leading tools document them, with ServiceNow's problem model
//! as the default [`Policy`]: new, assess, root-cause analysis, fix in progress, resolved,
//! closed, with the paths real tools have (mark as duplicate, accept the risk, re-analyse
//! after a failed fix, cancel); linked incidents, changes and configuration items by id; a
//! structured root-cause record ([`RootCause`]: the method, such as five whys or a fault
//! tree, the cause's category, confirmed or not); a vendor's own lifecycle as data
//! ([`Workflow`], checked when the policy is loaded). Known errors ([`KnownError`]) have their
//! own small lifecycle, and [`offer_workarounds`] finds the published workarounds that match
//! an incident. The detector finds recurring clusters of incidents in history (proactive
//! problem management).
//!
//! # Example
//! ```
//! use itsm_problem::chrono::{TimeZone, Utc};
//! use itsm_problem::{
//!     Actor, CauseCategory, Command, Context, Method, Policy, ProblemId, ProblemStatus, Role,
//!     RootCause, State, Statement, UserId, decide,
//! };
//!
//! let policy = Policy::servicenow();
//! let pm = Actor::new(UserId::from_u128(2), [Role::new("problem_manager")?]);
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let mut state = State::new();
//! let mut run = |state: &mut State, command: Command| {
//!     let events = decide(state, &command, &Context::new(now, &pm, &policy))?;
//!     state.apply(&events);
//!     Ok::<_, itsm_problem::Error>(())
//! };
//! run(&mut state, Statement::new(ProblemId::from_u128(1), "VPN drops every ten minutes").into())?;
//! run(&mut state, Command::Assess)?;
//! run(&mut state, Command::Confirm)?;
//! let cause = RootCause {
//!     description: "the concentrator's MTU is too small".into(),
//!     category: CauseCategory::Configuration,
//!     method: Method::FiveWhys { whys: vec!["packets dropped".into(), "fragmentation".into()] },
//!     confirmed: true,
//! };
//! run(&mut state, Command::RecordRootCause(Box::new(cause)))?;
//! run(&mut state, Command::StartFix { change: None })?;
//! run(&mut state, Command::Resolve { notes: "MTU raised".into() })?;
//! assert_eq!(state.problem().map(|p| p.status()), Some(ProblemStatus::Resolved));
//! # Ok::<(), itsm_problem::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for commands, events, states and policies.
//! - `schemars`: JSON Schemas for them (pinned in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod detect;
mod error;
mod event;
mod known_error;
mod machine;
mod model;
mod policy;
mod timeline;
mod workflow;

pub use command::{Command, Link};
pub use detect::{Baseline, Cluster, DetectionSpec, Field, IncidentRecord, Key, WindowEnd, detect};
pub use error::Error;
pub use event::Event;
pub use known_error::{
    IncidentFacts, KnownError, KnownErrorCommand, KnownErrorEvent, KnownErrorId, KnownErrorRecord,
    KnownErrorStatus, Match, Offer, decide_known_error, evolve_known_error, offer_workarounds,
};
pub use machine::{Context, decide, evolve, next_deadline};
pub use model::{
    CauseCategory, FaultEvent, Method, Problem, ProblemStatus, Resolution, RootCause, State,
    Statement,
};
pub use policy::Policy;
pub use timeline::timeline;
pub use workflow::{TRANSITIONS, Workflow, WorkflowSpec, WorkflowState};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The shared vocabulary this crate's API uses, re-exported.
pub use itsm_core::{
    Actor, Category, ChangeId, ConfigItemId, IncidentId, Lifecycle, LifecycleProblem, Permissions,
    ProblemId, Role, ServiceId, TransitionSpec, UserId,
};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
