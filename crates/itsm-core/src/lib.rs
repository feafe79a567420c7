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
//! use itsm_core::priority::{Impact, PriorityMatrix, Urgency};
//!
//! // A vendor's matrix arrives as JSON and is checked on the way in.
//! let json = serde_json::to_string(&PriorityMatrix::itop()).unwrap();
//! let matrix: PriorityMatrix = serde_json::from_str(&json).unwrap();
//! let why = matrix.explain(Impact(1), Urgency(2))?;
//! assert_eq!(why.priority.label, "Critical");
//! # Ok::<(), itsm_core::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): serialization of every data type; deserializing a matrix goes through
//!   its checked constructor.
//! - `schemars`: JSON Schemas for policy files (implies `serde`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod actor;
pub mod ids;
mod error;
pub mod lifecycle;
pub mod priority;

pub use error::{Axis, Error};
