//! Business continuity exercises and crisis events as a pure state machine.
//!
//! When a disruption strikes (or an exercise rehearses one), the continuity team activates
//! its recovery plans and works through their tasks. This crate holds the rules of that
//! work as ServiceNow Business Continuity Management documents them, with its behaviour as
//! the [`Policy`]:
//!
//! - **Activation** ([`CrisisSpec`]): the plans added to the event (primary plans), the
//!   plans related to them (run beside them) and the plans their tasks refer to (child
//!   plans, run when their task is triggered), down to the policy's levels
//!   (`sn_recovery.max_activated_plan_levels`, 1 to 10). A plan referred from several tasks
//!   is activated once per task.
//! - **Event tasks** run by their dependencies ([`Order::Dependencies`]: tasks with none
//!   start when their plan opens, the others when the tasks before them are done) or one
//!   after another by Task ID ([`Order::TaskId`]); a task that refers to a plan runs that
//!   plan and is done when it closes; first-level plans may wait for other plans. Tasks on
//!   a circular dependency are named at the start, to be triggered by hand.
//! - **Task states** as ServiceNow's table of permitted transitions has them
//!   ([`TASK_TRANSITIONS`]): triggered, worked on, closed complete, incomplete, skipped or
//!   failed (a failed task holds up the tasks after it and, if automated, tells its backup
//!   assignee), re-triggered as a manual task or its automation run again.
//! - **Plans and assets** ([`ActivatedPlan`], [`Crisis::assets`]): a plan opens, is in
//!   progress once a task is worked on, and closes with its last task (incomplete if any
//!   task was); an asset is partially recovered or recovered as its tasks at each recovery
//!   level are done, and is checked against its recovery time objective; times and efforts
//!   leave out the tasks excluded from time calculations.
//! - **The planned timeline** ([`Crisis::planned`]): planned starts and ends from each task's
//!   planned duration along task and plan dependencies, and each asset's planned recovery
//!   against its recovery time objective; [`Crisis::forecast`], the same from where the
//!   event stands.
//! - **The event** ([`Status`]): pending, in progress, submitted for approval once every
//!   activated plan is closed (an exercise with its result), approved or returned, closed.
//!
//! `docs/crisis.md` in the repository has every rule with its source and the choices we
//! made where the documentation is silent.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. Time, ids and the acting user come in as inputs. A command's cascade
//! (a task done, the next ones triggered, a plan closed, its referring task done, the next
//! plan opened) is a worklist over an overlay of the state: no recursion, and nothing
//! copied but what the cascade touches.
//!
//! # Example
//! ```
//! use itsm_crisis::chrono::{Duration, TimeZone, Utc};
//! use itsm_crisis::{
//!     Actor, AssetSpec, AssetStatus, Closing, Command, Context, CrisisId, CrisisSpec, Kind,
//!     PlanSpec, PlanStatus, Policy, RecoveryLevel, Role, State, TaskRef, TaskSpec,
//!     TaskStatus, UserId, decide,
//! };
//!
//! let spec = CrisisSpec::new("data centre A lost", Kind::Actual, vec![
//!     PlanSpec::new("site failover", vec![
//!         TaskSpec::new(1, "declare the disaster"),
//!         TaskSpec::new(2, "fail the database over").after([1])
//!             .asset("payments", RecoveryLevel::Recovered),
//!     ]),
//! ], ["site failover"])
//! .asset(AssetSpec::new("payments", Some(Duration::hours(4))));
//! let policy = Policy::servicenow();
//! let manager = Actor::new(UserId::from_u128(1), [Role::new("sn_bcm.program_manager")?]);
//! let t0 = Utc.with_ymd_and_hms(2027, 5, 3, 8, 0, 0).unwrap();
//! let mut state = State::new();
//! let mut run = |hours: i64, command: Command| {
//!     let ctx = Context::new(t0 + Duration::hours(hours), &manager, &policy);
//!     let events = decide(&state, &command, &ctx)?;
//!     state.apply(&events);
//!     Ok::<_, itsm_crisis::Error>(state.clone())
//! };
//! run(0, Command::create(CrisisId::from_u128(7), spec))?;
//! run(0, Command::Start)?;
//! let (first, second) = (TaskRef::new(0, 1), TaskRef::new(0, 2));
//! run(0, Command::Work { task: first, started: None })?;
//! let state = run(1, Command::Close { task: first, closing: Closing::Complete, ended: None })?;
//! // The first task done, the second is triggered.
//! assert_eq!(state.crisis().unwrap().task(second).unwrap().status, TaskStatus::Open);
//! run(1, Command::Work { task: second, started: None })?;
//! let state = run(3, Command::Close { task: second, closing: Closing::Complete, ended: None })?;
//! let crisis = state.crisis().unwrap();
//! assert_eq!(crisis.plans[0].status, PlanStatus::ClosedComplete);
//! let payments = &crisis.assets()?[0];
//! assert_eq!(payments.status, AssetStatus::Recovered);
//! assert_eq!(payments.within_rto, Some(true)); // back after 3 h of 4
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for specs, policies, commands, events and states. Events
//!   carry a `type` tag, commands a `command` tag.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod activation;
mod cascade;
mod command;
mod error;
mod event;
mod lifecycle;
mod machine;
mod model;
mod planned;
mod policy;
mod spec;
mod store;

pub use command::{AdHocTask, Closing, Command};
pub use error::Error;
pub use event::Event;
pub use lifecycle::{TASK_TRANSITIONS, TRANSITIONS, Transition, mermaid, task_mermaid};
pub use machine::{Context, decide, evolve};
pub use model::{
    ActivatedPlan, Activation, AssetProgress, AssetStatus, Crisis, CrisisId, ExerciseResult,
    Outcome, PlanKind, PlanStatus, Progress, State, Status, Task, TaskRef, TaskStatus,
};
pub use planned::{Planned, PlannedAsset, Span};
pub use policy::{Order, Policy};
pub use spec::{
    AssetSpec, Classification, CrisisSpec, Kind, MAX_LEVELS, MAX_PLANS, MAX_TASKS, Phase, PlanSpec,
    RecoveryLevel, TaskSpec,
};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s).
pub use itsm_core::{Actor, Role, UserId};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
