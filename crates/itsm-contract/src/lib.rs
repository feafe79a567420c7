//! Contract management as a pure state machine.
//!
//! Contracts with vendors (leases, maintenance, warranties, licences, subscriptions,
//! service and purchase agreements) are how the *partners and suppliers* dimension of a
//! service is held to account. This crate holds the rules of a contract's life as
//! ServiceNow Contract Management documents them, with its behaviour as the [`Policy`]:
//!
//! - **Review and approval**: a contract is created as a draft awaiting review, sent to its
//!   approver, approved or rejected with comments (and edited and sent again); the approver
//!   cannot change while it is under review.
//! - **The daily job** ([`Command::Tick`], [`next_deadline`]): an approved draft takes effect
//!   on its start date, an approved renewal on its own, an active contract expires on its
//!   end date, and the administrator is reminded 90, 60 and 30 days ahead and on the day.
//! - **Renewal, extension, adjustment, cancellation**: an active or expired contract is
//!   renewed in place (new dates, prices adjusted by a percentage or an amount, the history
//!   kept) or extended once approved; an active one is adjusted or canceled (its rate cards
//!   stop).
//! - **Money** ([`Contract::total_cost`], [`Contract::projected`]): taxes, the total and the
//!   cost per covered asset, projected monthly and annual costs, and rate cards that charge
//!   every interval while the contract is active or expired, split into expense lines on
//!   the contract, evenly or by value over covered assets, or over covered users, exactly
//!   to the minor unit.
//!
//! `docs/contract.md` in the repository has every rule with its source and the choices we
//! made where the documentation is silent.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. The day, ids and the acting user come in as inputs.
//!
//! # Example
//! ```
//! use itsm_contract::chrono::NaiveDate;
//! use itsm_contract::{
//!     Actor, Command, Context, ContractId, ContractSpec, Event, Interval, Model, Policy,
//!     RateCardSpec, Role, State, Status, UserId, decide, next_deadline,
//! };
//!
//! let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
//! let manager = Actor::new(UserId::from_u128(1), [Role::new("contract_manager")?]);
//! let approver = Actor::new(UserId::from_u128(2), [Role::new("contract_manager")?]);
//! let system = Actor::new(UserId::from_u128(3), []);
//! let policy = Policy::servicenow();
//!
//! let spec = ContractSpec::new("MNT-7", Model::Maintenance, Some(day(2, 1)), Some(day(12, 31)))
//!     .approver(approver.user)
//!     .rate_card(RateCardSpec::new("support", day(2, 1), Interval::Monthly, 50_000));
//! let mut state = State::new();
//! let mut run = |today, actor: &Actor, command: Command| {
//!     let events = decide(&state, &command, &Context::new(today, actor, &policy))?;
//!     state.apply(&events);
//!     Ok::<_, itsm_contract::Error>((state.clone(), events))
//! };
//! run(day(1, 10), &manager, Command::create(ContractId::from_u128(7), spec))?;
//! run(day(1, 10), &manager, Command::Submit { approver: None })?;
//! let (state, _) = run(day(1, 12), &approver, Command::Approve)?;
//! // Approved before its start date: it takes effect on 1 February.
//! assert_eq!(state.contract().unwrap().status, Status::Draft);
//! assert_eq!(next_deadline(&state, &Policy::servicenow()), Some(day(2, 1)));
//! let (state, events) = run(day(2, 1), &system, Command::Tick)?;
//! assert_eq!(state.contract().unwrap().status, Status::Active);
//! // The rate card charged its first month.
//! assert!(matches!(events.last(), Some(Event::Charged { lines, .. }) if lines[0].amount == 50_000));
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

mod check;
mod command;
mod error;
mod event;
mod job;
mod lifecycle;
mod machine;
mod model;
mod money;
mod policy;
mod spec;

pub use command::{Command, Edit, Renewal};
pub use error::Error;
pub use event::{Event, Line};
pub use job::next_deadline;
pub use lifecycle::{TRANSITIONS, Transition, mermaid};
pub use machine::{Context, decide, evolve};
pub use model::{
    Contract, ContractId, Coverage, DateChange, History, Projection, RateCard, Request, Review,
    Stage, State, Status, Substate,
};
pub use policy::{Expiry, MAX_REMINDER_DAYS, Policy};
pub use spec::{
    ContractSpec, CoveredAsset, Distribute, Interval, MAX_AMOUNT, MAX_COVERED, MAX_RATE_CARDS,
    Model, Rate, RateCardSpec, Summary,
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
