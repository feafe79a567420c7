//! The service dependency graph (CMDB) and the questions operators ask of it during an outage
//! and before a change.
//!
//! - A [`GraphSpec`] is data (serde + JSON Schema): nodes (business and technical services,
//!   configuration items of any class, with a criticality tier and optional owner, supplier,
//!   location), typed edges whose relationship types say which way failure travels, and
//!   redundancy groups (at least k members, a count or a percentage, must be up).
//! - [`Graph::from_spec`] (or a [`GraphBuilder`] for millions of nodes) checks it, naming the
//!   offending record, and compiles it once into compact compressed sparse rows, forward and
//!   reverse (32-bit, on which petgraph's algorithms run through its visit traits);
//!   petgraph's types never appear in this crate's API. A builder checks ids in bulk
//!   ([`GraphBuilder::check_ids`], or at `build`).
//! - Queries are fixpoints, so cycles (which real CMDBs have: [`Graph::cycles`] reports them)
//!   never break them: [`Graph::impact`] with severities, maintenance masks and an explanation
//!   per affected business service; [`Graph::root_causes`]; [`Graph::blast_radius`];
//!   [`Graph::single_points_of_failure`]; [`Graph::resilience`] (how many simultaneous
//!   failures a service survives); [`Graph::what_if`]. For many queries, reuse a
//!   [`Workspace`]: it resets only what a query touched.
//!
//! Results come in a documented order: affected nodes in graph order (the spec's nodes, then
//! its groups), explanations and service lists by id, candidates by rank then id.
//!
//! # Purity
//! No I/O, no clock, no randomness; the same graph and scenario give the same answer.
//!
//! # Example
//! ```
//! use itsm_graph::*;
//!
//! let spec: GraphSpec = serde_json::from_str(r#"{
//!   "relations": [{ "name": "depends_on", "propagation": "to_from" }],
//!   "nodes": [
//!     { "id": "shop", "kind": "business_service", "class": "service" },
//!     { "id": "web-1", "kind": "configuration_item", "class": "host" },
//!     { "id": "web-2", "kind": "configuration_item", "class": "host" },
//!     { "id": "db", "kind": "configuration_item", "class": "database" }
//!   ],
//!   "groups": [{ "id": "web-farm", "members": ["web-1", "web-2"], "min_up": { "count": 1 } }],
//!   "edges": [
//!     { "from": "shop", "to": "web-farm", "relation": "depends_on" },
//!     { "from": "shop", "to": "db", "relation": "depends_on" }
//!   ]
//! }"#).unwrap();
//! let graph = Graph::from_spec(&spec)?;
//!
//! // One web server down: the farm holds, the shop is degraded.
//! let impact = graph.impact(&Scenario::outages(&["web-1"]))?;
//! assert_eq!(impact.severity("shop"), 1);
//! assert_eq!(impact.explanations[0].groups[0].to_string(), "group `web-farm`: 1 of 2 members up, needs 1: holds");
//! // The database is the single point of failure.
//! assert_eq!(graph.single_points_of_failure("shop")?, vec!["db".to_string()]);
//! # Ok::<(), itsm_graph::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod builder;
mod error;
mod graph;
mod names;
mod queries;
mod rows;
mod spec;
mod workspace;

pub use builder::{GraphBuilder, RelationId};
pub use error::Error;
pub use graph::{Graph, NodeId};
pub use queries::{
    Affected, Candidate, Explanation, Failure, GroupCount, Impact, Resilience, Scenario, WhatIf,
};
pub use spec::{
    EdgeSpec, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    SeverityScale,
};
pub use workspace::{ImpactView, Workspace};
