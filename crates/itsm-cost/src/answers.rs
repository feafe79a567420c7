//! The answers of a [`Costing`](crate::Costing): per node, per line, per path, per holder,
//! per allocation, and the period's sums.

/// One node's cost for the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct NodeCost {
    /// Its own cost: rate card costs, expenses and its share of distribution costs.
    pub direct: i64,
    /// What its children passed up to it.
    pub inherited: i64,
    /// `direct + inherited`: what it costs, all in (ServiceNow's report at its level).
    pub total: i64,
    /// How much it passed on to its parents: all of its total when it has a path up; in a
    /// pool, the pool's shares that left through its paths out.
    pub passed_on: i64,
    /// What it keeps: its total when no path carries it further (a pool with no path out:
    /// each member its own total), else nothing.
    pub kept: i64,
    /// How many relationship paths carry its cost up (paths inside its pool included).
    pub paths: usize,
    /// Whether it is in a pool ([`Cycles::Pool`](crate::Cycles::Pool)).
    pub pooled: bool,
}

/// One piece of cost carried along one path (ServiceNow's inherited expense line).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Share {
    /// The node at the other end: the child for [`Costing::received`](crate::Costing::received), the parent for
    /// [`Costing::passed`](crate::Costing::passed).
    pub node: String,
    /// The relationship carrying it; `None` for a member's cost reaching its group.
    pub relation: Option<String>,
    /// The amount.
    pub amount: i64,
}

/// Where a direct cost came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Source {
    /// A rate card's cost.
    RateCard {
        /// The card.
        card: String,
        /// The cost on the card.
        cost: String,
    },
    /// An expense entered for the node.
    Expense {
        /// Its description.
        description: String,
    },
    /// The node's share of a distribution cost.
    Distribution {
        /// The distribution cost.
        name: String,
    },
}

/// One direct expense line of a node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Line {
    /// Where it came from.
    pub source: Source,
    /// The amount.
    pub amount: i64,
}

/// A node that keeps its cost: no relationship path carries it further.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Holder {
    /// The node.
    pub id: String,
    /// A business or technical service (else a configuration item or a group whose cost no
    /// path carries to a service: stranded).
    pub service: bool,
    /// What it keeps: its total.
    pub amount: i64,
}

/// What a cost centre is allocated of one service's cost.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Allocation {
    /// The service.
    pub service: String,
    /// The cost centre.
    pub cost_centre: String,
    /// The units it uses.
    pub units: u64,
    /// The amount allocated.
    pub amount: i64,
}

/// What of a service's cost no cost centre is allocated (unused units under
/// [`UnitMethod::AllUnits`](crate::UnitMethod::AllUnits), or no consumers at all).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Unallocated {
    /// The service.
    pub service: String,
    /// The units no cost centre uses.
    pub units: u64,
    /// The amount left unallocated.
    pub amount: i64,
}

/// A distribution cost that selected no node: its amount reached nobody.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Undistributed {
    /// The distribution cost.
    pub name: String,
    /// Its amount.
    pub amount: i64,
}

/// Nodes that reach each other along relationship paths, costed as one pool
/// ([`Cycles::Pool`](crate::Cycles::Pool)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Pool {
    /// Its members, in the graph's order.
    pub members: Vec<String>,
    /// Its cost: the members' own costs and what reached them from outside.
    pub amount: i64,
    /// Its paths out, among which the amount was split (none: the members keep it).
    pub exits: usize,
}

/// The period's sums, wide enough never to overflow. The money is conserved:
/// `direct + undistributed` is what the spec entered, and `direct == kept_by_services +
/// stranded`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Totals {
    /// Every node's direct cost, added up.
    pub direct: i128,
    /// Distribution costs that selected nobody.
    pub undistributed: i128,
    /// What services keep (no path carries it further).
    pub kept_by_services: i128,
    /// What configuration items and groups keep (no path carries it to a service).
    pub stranded: i128,
    /// Allocated to cost centres.
    pub allocated: i128,
    /// Left unallocated by services with allocation units.
    pub unallocated: i128,
}

/// A cost centre's allocations, added up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CostCentre {
    /// The cost centre.
    pub name: String,
    /// Its allocations from every service.
    pub amount: i128,
}
