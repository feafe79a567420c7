//! IT financial management for services: what each configuration item and service costs in
//! a period, where the money ends up, and which cost centres pay for it.
//!
//! - **Direct costs** ([`CostSpec`]): CI rate cards (costs that are the same for every item a
//!   card selects, by class, location or list, [`RateCard`]), expenses entered per node
//!   ([`Expense`]) and distribution costs divided evenly among the items a rule selects
//!   ([`Distribution`]), as ServiceNow's Cost Management has them.
//! - **Carried up the CMDB** ([`Costing`]): a node's whole cost, its own and what it
//!   inherited, goes to the nodes that depend on it along the relationship paths chosen
//!   ([`PathRule`]), divided evenly among those paths so nothing is counted twice
//!   (ServiceNow's relationship aggregation); a redundancy group collects its members'
//!   costs. [`Costing::received`] and [`Costing::passed`] are the inherited expense lines,
//!   [`Costing::lines`] a node's direct ones, [`Costing::holders`] where the money ends up
//!   (services, and configuration items whose cost reaches none: stranded).
//! - **Allocated to cost centres** ([`AllocationUnits`]): a service's cost divided among the
//!   cost centres by the units they use, over its total units (unused units are IT overhead)
//!   or over the units allocated (full recovery) ([`UnitMethod`]).
//! - **Task costs** ([`cost_tasks`]): what closed incidents, changes or any tasks cost, from
//!   task rate cards (a flat rate, or the time worked at each worker's labour rate), as
//!   expenses on the tasks' configuration items or services ([`TaskCosting::expenses`]).
//! - **Budgets** ([`Budget`]): planned, actual, remaining and projected.
//!
//! Amounts are whole minor units (cents) of one currency. Every split is exact: the pieces
//! add up to the whole, the extra minor units going to the first pieces (even splits) or to
//! the largest remainders (splits by units), so the money entered is the money reported
//! ([`Totals`]).
//!
//! `docs/cost.md` in the repository has every rule with its source and the choices we made
//! where the tools' documentation is silent.
//!
//! # Purity
//! No I/O, no clock, no randomness: the same graph and spec give the same answer. The
//! roll-up is one pass in topological order (no recursion: a million-long chain is no
//! deeper for the stack than a chain of three).
//!
//! # Example
//! ```
//! use itsm_cost::{AllocationUnits, CostSpec, Costing, Distribution, Expense, Policy, RateCard, Selector};
//! use itsm_graph::{EdgeSpec, GraphSpec, NodeKind, NodeSpec, Propagation, RelationSpec};
//!
//! let ci = |id, class| NodeSpec::new(id, NodeKind::ConfigurationItem, class);
//! let graph = GraphSpec::new(
//!     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
//!     vec![
//!         NodeSpec::new("retail", NodeKind::BusinessService, "service"),
//!         NodeSpec::new("pos", NodeKind::BusinessService, "service"),
//!         ci("app", "application"),
//!         ci("db-server", "unix_server"),
//!     ],
//!     vec![],
//!     vec![
//!         EdgeSpec::new("retail", "app", "depends_on"),
//!         EdgeSpec::new("retail", "db-server", "depends_on"),
//!         EdgeSpec::new("pos", "db-server", "depends_on"),
//!     ],
//! );
//! let mut spec = CostSpec::new(
//!     vec![RateCard::new("unix", Selector::classes(&["unix_server"]), &[("support", 2_000_00)])],
//!     vec![Expense::new("app", 300_00, "licence")],
//!     vec![Distribution::new("power", 500_00, Selector::classes(&["unix_server"]))],
//! );
//! spec.units = vec![AllocationUnits::new("retail", 50, &[("Trading", 10)])];
//! let costing = Costing::new(&graph, &spec, &Policy::default())?;
//!
//! // The server's 2,500.00 is split evenly between its two services.
//! assert_eq!(costing.cost("db-server")?.total, 2_500_00);
//! assert_eq!(costing.cost("pos")?.total, 1_250_00);
//! assert_eq!(costing.cost("retail")?.total, 1_250_00 + 300_00);
//! // Trading uses 10 of retail's 50 units: 20%.
//! assert_eq!(costing.allocations()[0].amount, 310_00);
//! assert_eq!(costing.totals().kept_by_services, 2_800_00);
//! # Ok::<(), itsm_cost::Error>(())
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Amounts in examples are written as units_cents (2_500_00 is 2,500.00).
#![allow(clippy::inconsistent_digit_grouping)]

mod answers;
mod budget;
mod build;
mod costing;
mod error;
mod money;
mod rollup;
mod spec;
mod task;

pub use answers::{
    Allocation, CostCentre, Holder, Line, NodeCost, Pool, Share, Source, Totals, Unallocated,
    Undistributed,
};
pub use budget::{Budget, BudgetStatus};
pub use costing::Costing;
pub use error::{CYCLE_SHOWN, Error};
pub use spec::{
    Allocate, AllocationUnits, Consumer, CostSpec, Cycles, Distribution, Expense, PathRule, Policy,
    RateCard, RateCardCost, Selector, UnitMethod,
};
pub use task::{
    Condition, Labour, LabourRateCard, Task, TaskCosting, TaskLine, TaskRate, TaskRateCard,
    TaskRates, TimeLines, TimeWorked, Worker, cost_tasks,
};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
