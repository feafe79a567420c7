//! IT asset management as a pure state machine.
//!
//! An asset is something the organisation owns and tracks through its life: a laptop is
//! ordered, received into a stockroom, reserved for a new starter, assigned, sent for
//! repair, transferred between stockrooms, retired and sold; keyboards are tracked by the
//! dozen and consumed a few at a time. This crate holds those rules as the leading tool
//! documents them, ServiceNow's Asset Management as the default [`Policy`]:
//!
//! - **States and substates** ([`Status`], [`Substate`]): the states are fixed, the
//!   substates and which class may take which pair are data ([`Policy::states`], the
//!   documented table by default). Any state may be set by hand ([`Command::SetState`])
//!   unless the policy lists its [`moves`](Policy::moves).
//! - **Workflows** ([`STEPS`]): receive, reserve, assign, return, consume, allocate a
//!   pre-allocated record, mark for disposal, transfer order lines through their stages,
//!   retire.
//! - **Quantities**: consumables are records of many items; consuming, returning,
//!   transferring or marking part of one splits it ([`Event::Split`]), and records that
//!   become identical merge ([`Event::Merged`]), except those pending disposal or being
//!   transferred.
//! - **Parents**: a child's state and assignment are its parent's; moving the parent moves
//!   every descendant.
//! - **CIs**: states the policy maps set the linked configuration item's status
//!   ([`Event::CiStatusSet`]; retiring an asset retires its CI).
//! - **Stock rules**: at or below a threshold a restock is asked for once, until it is
//!   delivered.
//! - **Depreciation** ([`value`]): straight line or declining balance, ServiceNow's
//!   examples to the cent.
//!
//! The state ([`Inventory`]) is every record: splitting and merging touch two records, and
//! stock rules count many.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. The time, the ids of new records and the acting user come in as
//! inputs, so the same inputs give the same outputs: a stored stream of commands replays
//! to the same inventory.
//!
//! # Example
//! ```
//! use itsm_asset::chrono::{TimeZone, Utc};
//! use itsm_asset::{
//!     Actor, AssetClass, AssetId, Command, Context, Event, Inventory, NewAsset, Part, Policy,
//!     Role, Status, Substate, UserId, decide,
//! };
//!
//! let policy = Policy::servicenow();
//! let clerk = Actor::new(UserId::from_u128(7), [Role::new("asset")?]);
//! let ctx = Context::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(), &clerk, &policy);
//! let mut inventory = Inventory::new();
//! let mut run = |inventory: &mut Inventory, command: Command| {
//!     let events = decide(inventory, &command, &ctx)?;
//!     inventory.apply(&events);
//!     Ok::<_, itsm_asset::Error>(events)
//! };
//!
//! // Twenty keyboards in the Dublin stockroom; three consumed by a new starter.
//! let keyboards = AssetId::from_u128(1);
//! let new = NewAsset::new(keyboards, AssetClass::Consumable, "USB keyboard")
//!     .in_stock("Dublin", Substate::AVAILABLE)
//!     .quantity(20);
//! run(&mut inventory, Command::Register { asset: new })?;
//! let part = Part { quantity: 3, new_asset: AssetId::from_u128(2) };
//! let consume = Command::Consume { asset: keyboards, part, consumed_by: None, user: Some(UserId::from_u128(42)) };
//! let events = run(&mut inventory, consume)?;
//! assert!(matches!(events[0], Event::Split { quantity: 3, .. }));
//! assert_eq!(inventory.available("USB keyboard", "Dublin"), 17);
//! let consumed = inventory.asset(AssetId::from_u128(2)).unwrap();
//! assert_eq!((consumed.status(), consumed.quantity), (Status::Consumed, 3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for commands, events, inventories and policies. Events carry
//!   a `type` tag, commands a `command` tag.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod depreciation;
mod error;
mod event;
mod evolve;
mod machine;
mod model;
mod policy;
mod steps;

pub use command::{Command, NewAsset, Part};
pub use depreciation::{Method, Schedule, Valuation, value};
pub use error::Error;
pub use event::Event;
pub use evolve::evolve;
pub use machine::{Context, decide};
pub use model::{
    Asset, AssetClass, AssetId, Inventory, Placement, Status, Substate, Transfer, TransferStage,
};
pub use policy::{CiStatusRule, Move, Policy, RestockSource, StateRule, StockRule};
pub use steps::{STEPS, Step, mermaid};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s, so values mix freely with the practice crates).
pub use itsm_core::{Actor, Permissions, Role, UserId};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
