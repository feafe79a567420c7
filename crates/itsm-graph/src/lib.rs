//! The service dependency graph (CMDB) and the questions operators ask of it during an outage
//! and before a change.
//!
//! - A [`GraphSpec`] is data (serde + JSON Schema): nodes (business and technical services,
//!   configuration items of any class, with a criticality tier and optional owner, supplier,
//!   location), typed edges whose relationship types say which way failure travels, and
//!   redundancy groups (at least k members, a count or a percentage, must be up). Build one
//!   with the records' constructors ([`NodeSpec::new`], [`RelationSpec::new`],
//!   [`EdgeSpec::new`], [`GroupSpec::new`], [`GraphSpec::new`]) or load it from JSON.
//! - [`Graph::from_spec`] (or a [`GraphBuilder`] for millions of nodes) checks it, naming the
//!   offending record, and compiles it once into compact compressed sparse rows, forward and
//!   reverse (32-bit, on which petgraph's algorithms run through its visit traits);
//!   petgraph's types never appear in this crate's API. A builder checks ids in bulk
//!   ([`GraphBuilder::check_ids`], or at `build`).
//! - Queries are fixpoints, so cycles (which real CMDBs have: [`Graph::cycles`] reports them)
//!   never break them: [`Graph::impact`] with severities, maintenance (counted as
//!   [`MaintenanceRule`] says) and an explanation per affected business service
//!   ([`ImpactReport`]; its [`ImpactReport::severity`] is `None` for an id the graph does
//!   not have); [`Graph::root_causes`] and
//!   [`Graph::root_causes_for`] (alarms with a severity, maintenance);
//!   [`Graph::blast_radius`]; [`Graph::single_points_of_failure`] (and
//!   [`Graph::single_points_of_failure_during`] a maintenance window); [`Graph::resilience`]
//!   (how many simultaneous failures a service survives); [`Graph::what_if`], and
//!   [`GraphSpec::what_if_edited`] over [`GraphEdit`]s. For many queries, reuse a
//!   [`Workspace`]: it resets only what a query touched.
//! - Each tool's documented rules are options: ServiceNow's (a holding group one level
//!   lower, two affected clusters down: [`SeverityScale::servicenow`]; cluster member
//!   influence: [`GroupSpec::with_influence`]) and iTop's (redundancy counts, excluded nodes,
//!   the default [`MaintenanceRule::Excluded`]).
//!
//! Results come in a documented order: affected nodes in graph order (the spec's nodes, then
//! its groups), explanations and service lists by id, candidates by rank then id. Nothing
//! given is dropped quietly: an unknown id, relation or level is an [`Error`] naming where it
//! was given ([`NamedIn`]), and a [`NodeId`] comes only from the builder or graph it belongs
//! to.
//!
//! # Purity
//! No I/O, no clock, no randomness; the same graph and scenario give the same answer.
//!
//! # Example
//! ```
//! use itsm_graph::{
//!     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation,
//!     RelationSpec, Scenario,
//! };
//!
//! let host = |id| NodeSpec::new(id, NodeKind::ConfigurationItem, "host");
//! let spec = GraphSpec::new(
//!     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
//!     vec![
//!         NodeSpec::new("shop", NodeKind::BusinessService, "service"),
//!         host("web-1"),
//!         host("web-2"),
//!         host("db"),
//!     ],
//!     vec![GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1))],
//!     vec![
//!         EdgeSpec::new("shop", "web-farm", "depends_on"),
//!         EdgeSpec::new("shop", "db", "depends_on"),
//!     ],
//! );
//! let graph = Graph::from_spec(&spec)?;
//!
//! // One web server down: the farm holds, the shop is degraded.
//! let report = graph.impact(&Scenario::outages(&["web-1"]))?;
//! assert_eq!(report.severity("shop"), Some(1));
//! assert_eq!(report.severity("shpo"), None); // a typo is not "unaffected"
//! assert_eq!(report.explanations[0].groups[0].to_string(), "group `web-farm`: 1 of 2 members up, needs 1: holds");
//! // The database is the single point of failure.
//! assert_eq!(graph.single_points_of_failure("shop")?, ["db"]);
//! # Ok::<(), itsm_graph::Error>(())
//! ```
//!
//! # JSON
//! With the `serde` feature (on by default) a vendor's graph arrives as JSON (its schema is
//! `docs/schema/graph-spec.json` in the repository) and is checked when compiled:
//! ```
//! # #[cfg(feature = "serde")]
//! # {
//! use itsm_graph::{Graph, GraphSpec, Scenario};
//!
//! let spec: GraphSpec = serde_json::from_str(r#"{
//!   "relations": [{ "name": "depends_on", "propagation": "to_from" }],
//!   "nodes": [
//!     { "id": "shop", "kind": "business_service", "class": "service", "tier": 1 },
//!     { "id": "web-1", "kind": "configuration_item", "class": "host" },
//!     { "id": "web-2", "kind": "configuration_item", "class": "host" },
//!     { "id": "db", "kind": "configuration_item", "class": "database", "owner": "dba" }
//!   ],
//!   "groups": [{ "id": "web-farm", "members": ["web-1", "web-2"], "min_up": { "count": 1 } }],
//!   "edges": [
//!     { "from": "shop", "to": "web-farm", "relation": "depends_on" },
//!     { "from": "shop", "to": "db", "relation": "depends_on" }
//!   ],
//!   "severity": { "levels": ["degraded", "outage"], "group_holding": 1 }
//! }"#)?;
//! let graph = Graph::from_spec(&spec)?;
//! let report = graph.impact(&serde_json::from_str::<Scenario>(r#"{ "failed": [{ "id": "db" }] }"#)?)?;
//! assert_eq!(
//!     serde_json::to_value(&report.affected[0])?,
//!     serde_json::json!({ "id": "shop", "kind": "business_service", "severity": 2, "severity_name": "outage" })
//! );
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): serialization of specs ([`GraphSpec`] and its records), scenarios and
//!   results ([`ImpactReport`], [`Candidate`], [`Resilience`], [`WhatIf`]); specs and
//!   scenarios refuse unknown fields. Without it the crate has no dependency on serde, and
//!   everything is built through the constructors.
//! - `schemars`: a JSON Schema for [`GraphSpec`] (implies `serde`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod answers;
mod builder;
mod edit;
mod error;
mod failures;
mod graph;
mod names;
mod queries;
mod rows;
mod scc;
mod spec;
mod workspace;

pub use answers::{
    Affected, Alarm, Candidate, Explanation, Failure, GroupCount, ImpactReport, MaintenanceRule,
    Resilience, RootCauseQuery, Scenario, WhatIf,
};
pub use builder::{GraphBuilder, RelationId};
pub use edit::GraphEdit;
pub use error::{Error, NamedIn};
pub use graph::{FailureArc, Graph, NodeId};
pub use spec::{
    EdgeSpec, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    SeverityScale,
};
pub use workspace::{ImpactView, Workspace};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
