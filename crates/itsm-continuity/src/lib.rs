//! IT service continuity: what a disruption costs the business, what every service and
//! component must achieve, and whether the recovery plans make it.
//!
//! - **Objectives and capabilities over a dependency graph** ([`Plan`]): a business impact
//!   analysis sets a node's recovery time objective (RTO), recovery point objective (RPO)
//!   and maximum tolerable period of disruption (MTPD) ([`Objective`]); the technical teams
//!   say how long each node takes to bring back and how much data it loses (recovery time
//!   and point achievable, [`Capability`]). The graph is an [`itsm_graph::Graph`], the same
//!   CMDB the impact queries run on, its redundancy groups included.
//! - **What each node must achieve** ([`Plan::required_rto`], [`Plan::required_rpo`]): the
//!   shortest objective of everything that depends on it; [`Plan::gaps`] lists the nodes
//!   slower on their own than that, losing more data, or without a recovery time at all
//!   (ServiceNow marks the first in red in a plan's hierarchy).
//! - **When each service is back after a disruption** ([`Plan::recover`]): a site, a set of
//!   nodes or everything lost ([`Disruption`]); a lost node back its RTA after what it
//!   depends on (or side by side, [`Sequencing`]); a redundancy group back once enough
//!   members are; nodes waiting on each other in a cycle recovered side by side; each
//!   objective met, missed, past its MTPD, waiting on a node nobody gave a recovery time, or on
//!   a cycle through a group no member breaks, with the critical path that sets its time
//!   ([`Recovery`]).
//!
//! `docs/continuity.md` in the repository has every rule with its source and the choices we
//! made where the tools' documentation is silent.
//!
//! # Purity
//! No I/O, no clock, no randomness: the same graph, spec and disruption give the same
//! answer. Every walk is iterative (a million-long chain is no deeper for the stack than a
//! chain of three).
//!
//! # Example
//! ```
//! use chrono::Duration;
//! use itsm_continuity::{Capability, ContinuitySpec, Disruption, Objective, Plan, Policy, Status};
//! use itsm_graph::{EdgeSpec, Graph, GraphSpec, NodeKind, NodeSpec, Propagation, RelationSpec};
//!
//! let graph = Graph::from_spec(&GraphSpec::new(
//!     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
//!     vec![
//!         NodeSpec::new("payments", NodeKind::BusinessService, "service"),
//!         NodeSpec::new("pay-app", NodeKind::ConfigurationItem, "application"),
//!         NodeSpec::new("pay-db", NodeKind::ConfigurationItem, "database"),
//!     ],
//!     vec![],
//!     vec![
//!         EdgeSpec::new("payments", "pay-app", "depends_on"),
//!         EdgeSpec::new("pay-app", "pay-db", "depends_on"),
//!     ],
//! ))?;
//! let spec = ContinuitySpec::new(
//!     vec![Objective::new("payments", Duration::hours(4))],
//!     vec![
//!         Capability::new("pay-app", Duration::hours(1)),
//!         Capability::new("pay-db", Duration::hours(2)),
//!     ],
//! );
//! let plan = Plan::new(&graph, &spec)?;
//! // The database must be back within the payments' four hours too.
//! assert_eq!(plan.required_rto("pay-db")?.unwrap().value, Duration::hours(4));
//!
//! // Both lost: the database first (2 h), then the application on it (1 h).
//! let recovery = plan.recover(&Disruption::Everything, &Policy::default())?;
//! let payments = recovery.outcome("payments").unwrap();
//! assert_eq!(payments.status, Status::Met);
//! assert_eq!(payments.back_after, Some(Duration::hours(3)));
//! assert_eq!(payments.critical_path, ["pay-db", "pay-app", "payments"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod bia;
mod error;
mod plan;
mod recovery;
mod settle;
mod spec;

pub use bia::{
    Adjusted, Answers, Assessment, Category, CategoryResult, Contributes, DisruptionAnswer, Rating,
    RatingRule, ScoreAnswer, ScoreBand, Source, Template, Tier, Timeframe, assess,
};
pub use error::Error;
pub use plan::{Gap, Gaps, Plan, Required, Unknown};
pub use recovery::{MAX_PATH, Outcome, Recovery, Status, Summary};
pub use spec::{Capability, ContinuitySpec, Disruption, Objective, Policy, Sequencing};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
