//! Vulnerability response as a pure state machine.
//!
//! Scanners report vulnerabilities on configuration items; someone has to remediate them,
//! by a date that depends on the risk, or accept the risk for a while with an approved
//! exception. This crate holds those rules (the *information security management*
//! practice's daily work) as ServiceNow Vulnerability Response documents them, with its
//! behaviour as the [`Policy`]:
//!
//! - **Detections** ([`Command::Found`], [`Command::Fixed`], [`Command::Retired`]): a
//!   vulnerable item is created on first detection, closed as fixed when the scanner no
//!   longer finds it, reopened when it finds it again after that (or after it was
//!   resolved), closed as stale or decommissioned.
//! - **Remediation tasks**: items grouped and worked together. A task's state *rolls down*
//!   to its items, an item in several tasks takes the highest-precedence state (closed >
//!   deferred > resolved > in review > awaiting implementation > under investigation >
//!   open), a state set on the item itself counts like a task's; and items' states *roll
//!   up*: all closed closes the task, all closed or deferred defers it until the earliest
//!   date, a reopened item takes its resolved or deferred task back to work.
//! - **Exceptions, extensions, false positives**: asked for, in review, approved (deferred
//!   until a date, or closed as a false positive) or rejected (back where it was); a
//!   deferral ends on its date ([`Command::Tick`], [`next_deadline`]).
//! - **Risk and targets** ([`assess`], [`TargetRule`]): ordered calculator rules (first
//!   match) score the item 0 to 100 and rate it; the most restrictive remediation target
//!   rule sets its due date, with a reminder; a new rating moves the date by the policy's
//!   recalculation method; [`Item::progress`] says where it stands.
//!
//! `docs/vulnerability.md` in the repository has every rule with its source and the choices
//! we made where the documentation is silent.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. Time, ids and the acting user come in as inputs.
//!
//! # Example
//! ```
//! use itsm_vuln::chrono::{TimeZone, Utc};
//! use itsm_vuln::{
//!     Actor, Board, Command, ConfigItemId, Context, Criticality, Facts, ItemId, Policy, Rating,
//!     Role, Severity, Status, Subject, TaskId, UserId, decide,
//! };
//!
//! let at = |d, h| Utc.with_ymd_and_hms(2027, 3, d, h, 0, 0).unwrap();
//! let scanner = Actor::new(UserId::from_u128(1), [Role::new("sn_vul.integration")?]);
//! let owner = Actor::new(UserId::from_u128(2), [Role::new("sn_vul.remediation_owner")?]);
//! let policy = Policy::servicenow();
//! let mut board = Board::new();
//! let mut run = |now, actor: &Actor, command: Command| {
//!     let events = decide(&board, &command, &Context::new(now, actor, &policy))?;
//!     board.apply(&events);
//!     Ok::<_, itsm_vuln::Error>(board.clone())
//! };
//! let (web, log4j) = (ItemId::from_u128(1), ItemId::from_u128(2));
//! let facts = Facts::new(Severity::Critical)
//!     .exploited()
//!     .internet_facing()
//!     .criticality(Criticality::High);
//! for (item, ci) in [(web, 10), (log4j, 11)] {
//!     run(at(1, 9), &scanner, Command::Found {
//!         item,
//!         ci: ConfigItemId::from_u128(ci),
//!         vulnerability: "CVE-2021-44228".into(),
//!         facts,
//!         task: None,
//!     })?;
//! }
//! let task = TaskId::from_u128(100);
//! run(at(1, 10), &owner, Command::CreateTask {
//!     task, items: vec![web, log4j], assigned_to: Some(owner.user), group: None,
//! })?;
//! let board = run(at(2, 9), &owner, Command::Resolve {
//!     subject: Subject::Task(task), notes: "patched".into(),
//! })?;
//! // The task's state rolled down to its items.
//! assert_eq!(board.item(web).unwrap().status, Status::Resolved);
//! assert_eq!(board.item(web).unwrap().risk.rating, Rating::Critical);
//! // The scanner confirms both fixed: the items close and roll the task up to closed.
//! run(at(3, 9), &scanner, Command::Fixed { item: web })?;
//! let board = run(at(3, 9), &scanner, Command::Fixed { item: log4j })?;
//! assert_eq!(board.task(task).unwrap().status, Status::Closed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for policies, commands, events and boards. Events carry a
//!   `type` tag, commands a `command` tag.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod agenda;
mod command;
mod error;
mod event;
mod fold;
mod grouping;
mod job;
mod lifecycle;
mod machine;
mod model;
mod policy;
mod risk;
mod rollup;

pub use command::{Command, Subject};
pub use error::Error;
pub use event::Event;
pub use fold::evolve;
pub use grouping::{GroupBy, Grouping, TaskRule};
pub use job::next_deadline;
pub use lifecycle::{TRANSITIONS, Transition, mermaid};
pub use machine::{Context, decide};
pub use model::{
    Ask, Board, Closure, Deferral, Item, ItemId, Own, Progress, Reason, Request, Status, Target,
    Task, TaskId,
};
pub use policy::Policy;
pub use risk::{
    CalculatorRule, Condition, Criticality, Facts, Levels, MAX_RULES, MAX_TARGET_DAYS, Rating,
    RatingScale, Recalculation, Risk, Score, Severity, TargetRule, Weights, assess,
    default_risk_rule, severity_calculator,
};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s).
pub use itsm_core::{Actor, ConfigItemId, GroupId, Role, UserId};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
