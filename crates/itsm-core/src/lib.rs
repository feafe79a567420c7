//! The small shared vocabulary of itsm-rs: what several practices need and no practice owns.
//!
//! - [`priority`]: impact, urgency and priority, and a [`PriorityMatrix`](priority::PriorityMatrix)
//!   as validated data (complete, monotone, explicit about scale direction) with an `explain`
//!   that says which cell or rule gave a result; presets for ServiceNow, iTop, GLPI and a
//!   formula form.
//! - [`actor`]: ids for users and groups, the acting [`Actor`](actor::Actor), and a role-based
//!   [`Permissions`](actor::Permissions) table.
//! - [`lifecycle`]: a lifecycle as data (states, transitions, terminal states) with a
//!   conformance check of observed state sequences, Mermaid output and a bounded exhaustive
//!   [`explore`](lifecycle::explore) helper for tests.
//!
//! # Purity
//! Nothing here reads the clock, the environment, files or the network, or makes random ids.
//! The same inputs give the same outputs.
//!
//! # Example
//! ```
//! use itsm_core::{Impact, PriorityMatrix, Urgency};
//!
//! let matrix = PriorityMatrix::itop();
//! # // Without the `serde` feature the example still runs, on the preset itself.
//! # #[cfg(feature = "serde")]
//! // A vendor's matrix arrives as JSON and is checked on the way in.
//! let matrix: PriorityMatrix = serde_json::from_str(&serde_json::to_string(&matrix)?)?;
//! let why = matrix.explain(Impact(1), Urgency(2))?;
//! assert_eq!(why.priority.label, "Critical");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): serialization of every data type; deserializing a matrix goes through
//!   its checked constructor.
//! - `schemars`: JSON Schemas for policy files (implies `serde`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod actor;
pub mod duration;
mod error;
pub mod ids;
pub mod lifecycle;
pub mod priority;

pub use actor::{Actor, Permissions, Role};
pub use error::{Axis, Error};
pub use ids::{ConfigItemId, GroupId, ServiceId, UserId};
pub use lifecycle::{
    Category, Conformance, Exploration, Lifecycle, StateSpec, Step, TransitionSpec, Verdict,
    explore,
};
pub use priority::{
    Cell, Direction, Impact, Level, MatrixSpec, Priority, PriorityExplanation, PriorityMatrix,
    Rounding, Rule, RuleUsed, Scale, Urgency,
};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
