//! Service catalogue and service request fulfilment as pure state machines.
//!
//! What users order and how IT delivers it. The **catalogue** is data a vendor writes
//! ([`CatalogueSpec`], checked by [`Catalogue::new`] listing every problem): items with typed
//! [variables](Variable) (text, choice, multi-choice, number, date, boolean, reference),
//! required flags, defaults, validation [rules](Rule) and visibility [conditions](Condition);
//! [entitlements](Entitlement) (who may order); approval steps run by `itsm-approval` with
//! its quorum rules; a fulfilment plan as a DAG of [tasks](TaskSpec) (a cycle is refused and
//! named); [access items](AccessSpec) with an owner, roles and a revocation task;
//! [bundles](BundleSpec); [separation-of-duties](SodRule) rules between application roles;
//! and the [stage gates](Gate) of the services' portfolio lifecycle ([`decide_service`]).
//!
//! A **request** ([`decide`], [`evolve`]) holds the items of one [`Order`]. Submitting it
//! checks every line (entitlement, every answer at once, access roles, separation of
//! duties), then requests each item's approval or starts its fulfilment. Tasks open as
//! the tasks they come after are done; an item is fulfilled when all are; the request's
//! state is derived from its items ([`derive_stage`], a documented rule). Access is granted
//! with its item's fulfilment and, past its expiry, a [`Command::Tick`] opens the
//! revocation task. Every answer ends with [`Event::SlaHook`]s: the practice-neutral state
//! changes an SLA engine such as `itsm-sla` consumes.
//!
//! # Purity
//! Nothing here reads the clock, the environment, files or the network, makes ids or logs.
//! Time, ids, the acting user and the directory's answers (the person's groups, manager and
//! current access; groups' members) come in as inputs.
//!
//! # The host's loop
//! 1. Load the request's [`State`] (fold its stored events with [`evolve`]).
//! 2. Build a [`Context::new`]: `now`, the acting [`Actor`], your [`Catalogue`].
//! 3. Call [`decide`]; on `Err` show the [`Error`] (it says what is allowed); on
//!    `Ok(events)`, store the events and fold them ([`State::apply`]).
//! 4. Wake at [`next_deadline`] (an access expiry) and send [`Command::Tick`].
//!
//! # Example
//! ```
//! use itsm_catalogue::chrono::{TimeZone, Utc};
//! use itsm_catalogue::{
//!     Actor, Catalogue, CatalogueSpec, Command, Context, ItemSpec, Order, OrderLine, RequestId,
//!     Requester, Stage, State, TaskSpec, UserId, Value, Variable, VariableKind, decide,
//! };
//!
//! let mut laptop = ItemSpec::new("laptop", TaskSpec::new("order", "Order the laptop"));
//! laptop.tasks.push(TaskSpec::new("image", "Install the image").after(["order"]));
//! let mut model = Variable::new("model", VariableKind::Choice(vec!["13in".into(), "15in".into()]));
//! model.required = true;
//! laptop.variables.push(model);
//! let catalogue = Catalogue::new(CatalogueSpec::new([laptop]))?;
//!
//! let me = Actor::new(UserId::from_u128(1), []);
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let ctx = Context::new(now, &me, &catalogue);
//! let mut state = State::new();
//!
//! // Every field error at once, each naming the field and the rule.
//! let bad = Order::new(RequestId::from_u128(1), Requester::new(me.user), vec![OrderLine::new("laptop")]);
//! assert_eq!(
//!     decide(&state, &bad.into(), &ctx).unwrap_err().to_string(),
//!     "the order's answers are invalid: line 0, field `model` (required): a value is required"
//! );
//!
//! let line = OrderLine::new("laptop").answer("model", Value::Text("13in".into()));
//! let order = Order::new(RequestId::from_u128(1), Requester::new(me.user), vec![line]);
//! state.apply(&decide(&state, &order.into(), &ctx)?);
//! for task in ["order", "image"] {
//!     let done = Command::CompleteTask { line: 0, task: task.into(), notes: String::new() };
//!     state.apply(&decide(&state, &done, &ctx)?);
//! }
//! assert_eq!(state.stage(), Some(Stage::Fulfilled));
//! # Ok::<(), itsm_catalogue::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for commands, events, states and catalogues (`command` and
//!   `type` tags); a catalogue is checked when it is loaded.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod catalogue;
mod command;
mod decimal;
mod error;
mod event;
mod machine;
mod model;
mod service;
mod variable;

pub use catalogue::{
    AccessSpec, AppRole, ApprovalStep, BundleLine, BundleSpec, Catalogue, CatalogueSpec,
    Entitlement, ItemApprover, ItemSpec, SodRule, TaskSpec,
};
pub use command::Command;
pub use decimal::{Decimal, DecimalError, MAX_DIGITS};
pub use error::{Error, FieldError};
pub use event::{Event, SubmittedLine};
pub use machine::{Context, approval_id, decide, evolve, next_deadline, task_commands};
pub use model::{
    Access, AccessAsk, AccessStatus, ITEM_TRANSITIONS, Item, ItemApproval, Order, OrderLine,
    REQUEST_RULE, REQUEST_TRANSITIONS, Record, Request, RequestId, Requester, Stage, State,
    TASK_TRANSITIONS, Task, TaskStage, derive_stage, item_lifecycle, request_lifecycle,
    task_lifecycle,
};
pub use service::{
    Gate, GateOn, PortfolioStatus, Requirement, SERVICE_TRANSITIONS, STAGE_MOVES, Service,
    ServiceCommand, ServiceEvent, ServiceStage, ServiceState, decide_service, evolve_service,
    service_lifecycle,
};
pub use variable::{Bound, Condition, MAX_CONDITION_DEPTH, Rule, Value, Variable, VariableKind};

/// The date and time crate of this API, re-exported so that a host needs no second
/// dependency to build instants.
pub use chrono;
/// The approval crate whose commands and events this API carries.
pub use itsm_approval;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s).
pub use itsm_core::{Actor, Category, GroupId, Lifecycle, Permissions, Role, ServiceId, UserId};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
