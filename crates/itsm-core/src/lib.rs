//! The small shared vocabulary of itsm-rs: what several practices need and no practice owns.
//!
//! - **Priority**: [`Impact`], [`Urgency`] and [`Priority`] levels, and a [`PriorityMatrix`]
//!   as validated data, built from a [`MatrixSpec`] through one checked constructor (which
//!   deserialization also uses): complete over its scales, monotone in each axis, explicit
//!   about which end of a scale is the most severe ([`Direction`]). Its
//!   [`explain`](PriorityMatrix::explain) says which cell or formula gave a result; presets
//!   follow ServiceNow, iTop and GLPI, and formula rules cover the rest.
//! - **Actors**: ids for users, groups, services and configuration items ([`UserId`],
//!   [`GroupId`], [`ServiceId`], [`ConfigItemId`]), the acting [`Actor`] with its [`Role`]s,
//!   and a role-based [`Permissions`] table that practices consult before every command.
//! - **Lifecycles as data**: a [`Lifecycle`] (states with a [`Category`], transitions,
//!   terminal states) with a [`conformance`](Lifecycle::conformance) check of observed state
//!   sequences, Mermaid output and a bounded exhaustive [`explore`] helper for tests.
//! - **Conditions over tickets**: a practice-neutral [`TicketView`] of a record and the one
//!   predicate language over it, [`Condition`] (with [`ViewField`] naming a view's fields),
//!   shared by SLA definitions (`itsm-sla`) and automation rules (`itsm-rules`).
//! - **Ticket timelines**: a practice-neutral [`Timeline`] of dated [`Mark`]s (checked from a
//!   [`TimelineSpec`]; its phase at any instant is a [`Category`] and [`Timeline::view_at`]
//!   gives the [`TicketView`]), which practice crates produce and `itsm-metrics` measures.
//! - **Durations in data**: [`duration`], the ISO 8601 codec (`"PT4H"`, `"P7D"`) every
//!   crate's JSON uses for lengths of time.
//!
//! Every type is at the crate root; [`duration`] is a module because serde's `with`
//! attribute names a module.
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

mod actor;
pub mod duration;
mod error;
mod ids;
mod lifecycle;
pub mod nested;
mod priority;
mod required;
mod serde_tagged;
mod timeline;
mod view;

/// What the [`id_type!`] macro expands to needs, reachable from other crates.
#[doc(hidden)]
pub mod __private {
    /// What [`__tagged_enum!`](crate::__tagged_enum) expands to needs.
    #[cfg(feature = "serde")]
    pub mod tagged {
        pub use crate::serde_tagged::{InternallyTagged, deserialize};
    }
    pub use uuid::Uuid;
}

pub use actor::{Actor, Permissions, Role};
pub use error::{Axis, Error, Quoted};
pub use ids::{
    ChangeId, ConfigItemId, GroupId, IncidentId, KnownErrorId, ProblemId, ServiceId, UserId,
};
pub use lifecycle::{
    Category, Conformance, Exploration, Lifecycle, LifecycleProblem, StateSpec, Step,
    TransitionSpec, Verdict, explore,
};
pub use priority::{
    Cell, Direction, Impact, Level, MatrixSpec, Priority, PriorityExplanation, PriorityMatrix,
    Rounding, Rule, RuleUsed, Scale, Urgency,
};
pub use required::Requirements;
pub use timeline::{ChangeOutcome, ChangeType, Mark, MarkKind, Practice, Timeline, TimelineSpec};
pub use view::{Condition, MAX_CONDITION_DEPTH, TicketView, ViewField};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
