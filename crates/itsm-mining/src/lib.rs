//! Process mining for ITSM event streams: an object-centric event log of incidents,
//! problems, changes, requests, configuration items and their relations, written as
//! **OCEL 2.0 JSON** ([`ocel`]) or flattened to **XES** ([`xes`]), and read back from both
//! ([`xes::from_xes`], [`ocel::from_document`]: a log another tool exported comes in as the
//! same checked log); and any lifecycle as a Petri net in **PNML** ([`pnml`]), so
//! process-mining tools such as pm4py check real logs against our models (token-based
//! replay, alignments).
//!
//! # Purity
//! A pure library: the writers return `String`s and the readers take text or a
//! deserialized document; the host reads and writes the files. Nothing reads
//! the clock, the environment or files. Every input either makes a valid [`EventLog`] or is
//! refused with every problem listed ([`Error::InvalidLog`]); a valid log always writes, and
//! any lifecycle writes as a net. Text is escaped for its format ([`escape`]).
//!
//! # Host loop
//! 1. Turn your records' events into [`Object`]s (one per incident, change, configuration
//!    item, group, ...; with [`Relation`]s between them) and [`Event`]s (an activity, a time,
//!    attributes and the objects concerned, each with a qualifier).
//! 2. Build the [`EventLog`]; fix what [`Error::InvalidLog`] lists.
//! 3. Write [`ocel::to_json`] for object-centric tools, [`xes::to_xes`] on one object type
//!    for classic ones, and [`pnml::to_pnml`] of the lifecycle (a practice crate's, or a
//!    policy's workflow) to check the log against it.
//! 4. Or read a log another tool wrote: [`xes::from_xes`] on the text of an XES file, or
//!    [`ocel::from_document`] on an [`ocel::Document`] the host deserialized; each gives an
//!    [`Imported`] whose `skipped` says what the document held that the log cannot carry.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec};
//! use itsm_mining::{ocel, pnml, xes, Event, EventLog, Object, ObjectType};
//!
//! let t = |h| Utc.with_ymd_and_hms(2026, 1, 5, h, 0, 0).unwrap();
//! let log = EventLog::new(
//!     vec![
//!         Object::new("CI7", ObjectType::ConfigurationItem),
//!         Object::new("INC1", ObjectType::Incident).related("CI7", "affects"),
//!     ],
//!     vec![
//!         Event::new("e1", "new", t(9)).related("INC1", "incident").related("CI7", "affects"),
//!         Event::new("e2", "resolved", t(11)).related("INC1", "incident").with("code", "fixed"),
//!     ],
//! )?;
//! let json = ocel::to_json(&log);
//! assert!(json.starts_with(r#"{"objectTypes":[{"name":"configuration_item","attributes":[]}"#));
//! let xml = xes::to_xes(&log, &ObjectType::Incident);
//! assert_eq!(xml.matches("<event>").count(), 2);
//!
//! let lifecycle = Lifecycle::new(
//!     "ticket",
//!     vec![
//!         StateSpec::initial("new", Category::New),
//!         StateSpec::new("resolved", Category::Resolved).terminal(),
//!     ],
//!     vec![TransitionSpec::new("new", "resolve", "resolved")],
//! )?;
//! let net = pnml::to_pnml(&lifecycle, pnml::Labels::States);
//! assert!(net.contains("<text>resolved</text>"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): serialize the data types (the log itself, for example to store it).
//! - `schemars`: JSON Schemas of the data types (implies `serde`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
pub mod escape;
mod model;
pub mod ocel;
pub mod pnml;
mod read;
pub mod xes;
mod xml;

pub use error::{Error, LogProblem};
pub use model::{
    Attribute, Event, EventLog, Object, ObjectType, RESERVED_ATTRIBUTES, Relation, Value,
};
pub use read::{Imported, SkipReason, Skipped};

// The README's example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
