//! Release management as a pure state machine.
//!
//! Release management plans, builds, tests and deploys a set of changes as one release.
//! This crate holds the rules of a release's life as ServiceNow Digital Product Release
//! documents them (and Release Management v2's state categories), with ServiceNow's
//! defaults as the [`Policy`]:
//!
//! - **A plan** ([`Plan`]): phases in order ([`PhaseSpec`]), each with tasks ([`TaskSpec`],
//!   approval tasks among them) and checks (ServiceNow's release policies: named gates
//!   whose results the host records), planned dates, a readiness target and a holiday
//!   schedule, in a time zone.
//! - **Two processes** ([`Process`]): *timeline* (the first phase starts on its start date;
//!   a phase whose tasks are closed and checks pass ends on its end date) and *stage* (a
//!   phase ends as soon as it is done; the release may restart from a completed phase).
//!   Either way one phase is in progress at a time, the next starts when it completes,
//!   and the release moves to review when the last one does.
//! - **Tasks** opened one at a time in order or all at once; approval tasks requested,
//!   then approved or rejected by their approver only.
//! - **Checks**: run, recorded compliant or not; an exception in force turns a failure
//!   into "compliant with exception"; completing a phase whose checks fail needs an
//!   override role. [`aggregate`] rolls up a multi-product release's check status, and
//!   [`Context::included_in`] / [`Context::with_included`] keep a main release and its
//!   included releases in step.
//! - **Retargeting** moves a timeline release's key dates by the days the readiness target
//!   moved, off its holidays; **notices** fall due as events (a phase at its end date, a
//!   task two days before it is due, the readiness target a day ahead).
//! - **Risk** ([`risk`]): ServiceNow's risk scores of the phase in progress, exactly.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. Time, ids, the acting user and the other releases' progress come in as
//! inputs, so the same inputs give the same outputs.
//!
//! # The host's loop
//! 1. Load the release's [`State`] (fold its stored events with [`evolve`], or keep it).
//! 2. Build a [`Context::new`]: `now` from your clock, the acting [`Actor`], your [`Policy`].
//! 3. Call [`decide`] with the [`Command`]. On `Err`, show the [`Error`]; nothing changed.
//! 4. On `Ok(events)`, store them and fold them in with [`State::apply`].
//! 5. Ask [`next_deadline`] when to wake up, and send [`Command::Tick`] then.
//!
//! # Example
//! ```
//! use itsm_release::chrono::{Duration, NaiveDate, TimeZone, Utc};
//! use itsm_release::{
//!     Actor, Command, Context, Event, Outcome, PhaseSpec, PhaseStatus, Plan, Policy, Process,
//!     ReleaseId, Role, State, Status, TaskRef, TaskSpec, UserId, decide,
//! };
//!
//! let policy = Policy::servicenow();
//! let admin = Actor::new(UserId::from_u128(1), [Role::new("release_admin")?]);
//! let cab = UserId::from_u128(2);
//! let plan = Plan::new("payments 4.2", Process::Stage, vec![
//!     PhaseSpec::new("build").task(TaskSpec::new("package")).check("no_critical_vulnerabilities"),
//!     PhaseSpec::new("deploy").task(TaskSpec::new("go/no-go").approval(cab)),
//! ]);
//! let t0 = Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap();
//! let mut state = State::new();
//! let mut run = |state: &mut State, who: &Actor, hours: i64, command: Command| {
//!     let ctx = Context::new(t0 + Duration::hours(hours), who, &policy);
//!     let events = decide(state, &command, &ctx)?;
//!     state.apply(&events);
//!     Ok::<_, itsm_release::Error>(events)
//! };
//! run(&mut state, &admin, 0, Command::create(ReleaseId::from_u128(7), plan))?;
//! run(&mut state, &admin, 1, Command::Start)?;
//! run(&mut state, &admin, 2, Command::CloseTask { task: TaskRef::new(0, 0), outcome: Outcome::Complete })?;
//! // The task is closed but the check has not passed: the phase stays in progress.
//! assert_eq!(state.release().unwrap().phases()[0].status(), PhaseStatus::InProgress);
//! run(&mut state, &admin, 3, Command::RunChecks)?;
//! let events = run(&mut state, &admin, 4, Command::RecordCheck {
//!     check: "no_critical_vulnerabilities".into(),
//!     compliant: true,
//! })?;
//! // Done: the phase completes, the next starts and requests its approval.
//! assert!(matches!(events[1], Event::PhaseCompleted { phase: 0, by: None, .. }));
//! assert!(matches!(events[2], Event::PhaseStarted { phase: 1, .. }));
//! let cab = Actor::new(cab, []);
//! run(&mut state, &cab, 5, Command::Approve { task: TaskRef::new(1, 0) })?;
//! assert_eq!(state.release().unwrap().status(), Status::Review);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for plans, policies, commands, events and states. Events
//!   carry a `type` tag, commands a `command` tag.
//! - `tz` (default): IANA zone names in plans.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod error;
mod event;
mod handle;
mod lifecycle;
mod machine;
mod model;
mod plan;
mod policy;
mod risk;

pub use command::{Command, Outcome, TaskRef};
pub use error::Error;
pub use event::Event;
pub use lifecycle::{
    PHASE_TRANSITIONS, TRANSITIONS, Transition, allowed_commands, lifecycle, mermaid, phase_mermaid,
};
pub use machine::{Context, decide, evolve, next_deadline};
pub use model::{
    Check, CheckException, CheckStatus, Phase, PhaseStatus, Release, ReleaseId, State, Status,
    Task, TaskStatus,
};
pub use plan::{MAX_NOTICE_DAYS, PhaseSpec, Plan, Process, TaskSpec};
pub use policy::{Policy, RestartTasks, RiskWeights};
pub use risk::{Factors, Risk, RiskLevel, aggregate, phase_check_status, risk};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The holiday type of plans, re-exported from `itsm-calendar` (the same type).
pub use itsm_calendar::Holiday;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s).
pub use itsm_core::{Actor, Role, UserId};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
