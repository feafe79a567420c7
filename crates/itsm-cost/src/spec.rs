//! The cost data as users write it: rate cards, expenses, distribution costs, relationship
//! paths and allocation units, and the policy choices.
//!
//! Amounts are whole minor units of one currency (cents for the euro or the dollar): every
//! split is exact, the pieces add up to the whole, and no amount is ever rounded away.

/// Which configuration items a rate card or a distribution cost applies to: those listed by
/// id, and those matching the condition (ServiceNow's "Update CI List", merge: the listed
/// items kept, the condition's results added; each item counted once).
///
/// The condition is met by a node (not a redundancy group: a group has no class or location
/// of its own) whose class is one of `classes` (any class when empty) and whose location is
/// one of `locations` (any location when empty); with both empty there is no condition, and
/// a selector without a condition must list nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Selector {
    /// Nodes by id, selected whatever the condition says.
    #[cfg_attr(feature = "serde", serde(default))]
    pub nodes: Vec<String>,
    /// The condition's classes (any when empty).
    #[cfg_attr(feature = "serde", serde(default))]
    pub classes: Vec<String>,
    /// The condition's locations (any when empty).
    #[cfg_attr(feature = "serde", serde(default))]
    pub locations: Vec<String>,
}

impl Selector {
    /// The nodes listed, no condition.
    ///
    /// ```
    /// use itsm_cost::Selector;
    ///
    /// let s = Selector::nodes(&["db-1", "db-2"]);
    /// assert!(s.classes.is_empty() && s.locations.is_empty());
    /// ```
    pub fn nodes(ids: &[&str]) -> Self {
        Selector {
            nodes: ids.iter().map(|s| (*s).to_owned()).collect(),
            ..Selector::default()
        }
    }

    /// Every node of one of these classes, wherever it is.
    ///
    /// ```
    /// use itsm_cost::Selector;
    ///
    /// assert_eq!(Selector::classes(&["unix_server"]).classes, ["unix_server"]);
    /// ```
    pub fn classes(classes: &[&str]) -> Self {
        Selector {
            classes: classes.iter().map(|s| (*s).to_owned()).collect(),
            ..Selector::default()
        }
    }

    /// Every node at one of these locations, whatever its class.
    ///
    /// ```
    /// use itsm_cost::Selector;
    ///
    /// assert_eq!(Selector::locations(&["ny-dc"]).locations, ["ny-dc"]);
    /// ```
    pub fn locations(locations: &[&str]) -> Self {
        Selector {
            locations: locations.iter().map(|s| (*s).to_owned()).collect(),
            ..Selector::default()
        }
    }

    /// Whether the selector has a condition (classes or locations).
    pub fn has_condition(&self) -> bool {
        !self.classes.is_empty() || !self.locations.is_empty()
    }
}

/// One recurring cost on a rate card, applied in full to every item of the card.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RateCardCost {
    /// Its name, unique on the card (`server backup`).
    pub name: String,
    /// The amount per item for the period, in minor units (negative for a credit).
    pub amount: i64,
}

/// A CI rate card (ServiceNow): costs that are the same for many configuration items, each
/// applied to every item the card selects.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RateCard {
    /// Its name, unique among rate cards (`Sun E20K Servers NY`).
    pub name: String,
    /// The items it applies to.
    pub applies_to: Selector,
    /// Its costs.
    pub costs: Vec<RateCardCost>,
}

impl RateCard {
    /// A card named `name` with these costs (name, amount) for the items `applies_to` selects.
    ///
    /// ```
    /// use itsm_cost::{RateCard, Selector};
    ///
    /// let card = RateCard::new("Sun E20K NY", Selector::classes(&["unix_server"]), &[("backup", 120_00)]);
    /// assert_eq!(card.costs[0].amount, 12_000);
    /// ```
    pub fn new(name: &str, applies_to: Selector, costs: &[(&str, i64)]) -> Self {
        RateCard {
            name: name.to_owned(),
            applies_to,
            costs: costs
                .iter()
                .map(|(n, a)| RateCardCost {
                    name: (*n).to_owned(),
                    amount: *a,
                })
                .collect(),
        }
    }
}

/// An expense line entered for one node (an invoice, a contract payment).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Expense {
    /// The node it is for.
    pub node: String,
    /// The amount in minor units (negative for a credit).
    pub amount: i64,
    /// What it is, for the lines.
    #[cfg_attr(feature = "serde", serde(default))]
    pub description: String,
}

impl Expense {
    /// An expense of `amount` for `node`.
    ///
    /// ```
    /// use itsm_cost::Expense;
    ///
    /// assert_eq!(Expense::new("db-1", 2_500_00, "maintenance").amount, 250_000);
    /// ```
    pub fn new(node: &str, amount: i64, description: &str) -> Self {
        Expense {
            node: node.to_owned(),
            amount,
            description: description.to_owned(),
        }
    }
}

/// A distribution cost (ServiceNow): a bulk cost, such as a data centre's power, divided
/// evenly among the items its rule selects.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Distribution {
    /// Its name, unique among distribution costs.
    pub name: String,
    /// The whole amount in minor units.
    pub amount: i64,
    /// The items it is divided among.
    pub to: Selector,
}

impl Distribution {
    /// `amount` divided among the items `to` selects.
    ///
    /// ```
    /// use itsm_cost::{Distribution, Selector};
    ///
    /// let power = Distribution::new("NY power", 5_500_00, Selector::locations(&["ny-dc"]));
    /// assert_eq!(power.amount, 550_000);
    /// ```
    pub fn new(name: &str, amount: i64, to: Selector) -> Self {
        Distribution {
            name: name.to_owned(),
            amount,
            to,
        }
    }
}

/// A relationship path (ServiceNow): which edges carry a child's cost up to a parent. A field
/// left out matches anything ("all parent classes", "all relationships"). A redundancy group
/// has no class, so only a rule without that class matches an edge out of or into a group;
/// a member's cost always reaches its group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PathRule {
    /// The child's class: where the cost comes from.
    #[cfg_attr(feature = "serde", serde(default))]
    pub child_class: Option<String>,
    /// The parent's class: where it goes.
    #[cfg_attr(feature = "serde", serde(default))]
    pub parent_class: Option<String>,
    /// The relationship's name, one of the graph's relations.
    #[cfg_attr(feature = "serde", serde(default))]
    pub relation: Option<String>,
}

impl PathRule {
    /// Costs of `child_class` go up every relationship of type `relation` to any parent.
    ///
    /// ```
    /// use itsm_cost::PathRule;
    ///
    /// let rule = PathRule::new("unix_server", "runs_on");
    /// assert_eq!(rule.parent_class, None);
    /// ```
    pub fn new(child_class: &str, relation: &str) -> Self {
        PathRule {
            child_class: Some(child_class.to_owned()),
            parent_class: None,
            relation: Some(relation.to_owned()),
        }
    }
}

/// One consumer of a service's units (ServiceNow's CI cost center relationship).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Consumer {
    /// The cost centre.
    pub cost_centre: String,
    /// The units it uses.
    pub units: u64,
}

/// A service's allocation units (ServiceNow): how many units it provides and which cost
/// centres use how many.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AllocationUnits {
    /// The node whose cost is allocated (usually a business service).
    pub service: String,
    /// The units it can provide (`Total Units`), more than zero.
    pub total: u64,
    /// Who uses them, each cost centre once.
    pub consumers: Vec<Consumer>,
}

impl AllocationUnits {
    /// `service` provides `total` units, used by these (cost centre, units).
    ///
    /// ```
    /// use itsm_cost::AllocationUnits;
    ///
    /// let retail = AllocationUnits::new("Retail", 50, &[("Trading", 10), ("Sales", 35)]);
    /// assert_eq!(retail.consumers.len(), 2);
    /// ```
    pub fn new(service: &str, total: u64, consumers: &[(&str, u64)]) -> Self {
        AllocationUnits {
            service: service.to_owned(),
            total,
            consumers: consumers
                .iter()
                .map(|(c, u)| Consumer {
                    cost_centre: (*c).to_owned(),
                    units: *u,
                })
                .collect(),
        }
    }
}

/// Everything that costs money in one period, and how it travels: the input of
/// [`Costing::new`](crate::Costing::new).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CostSpec {
    /// CI rate cards.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rate_cards: Vec<RateCard>,
    /// Expense lines entered per node.
    #[cfg_attr(feature = "serde", serde(default))]
    pub expenses: Vec<Expense>,
    /// Distribution costs.
    #[cfg_attr(feature = "serde", serde(default))]
    pub distributions: Vec<Distribution>,
    /// Relationship paths: the edges that carry cost up. Left out (the default), every edge
    /// carries; given, only the edges a rule matches (an empty list: none).
    #[cfg_attr(feature = "serde", serde(default))]
    pub paths: Option<Vec<PathRule>>,
    /// Allocation units per service.
    #[cfg_attr(feature = "serde", serde(default))]
    pub units: Vec<AllocationUnits>,
}

impl CostSpec {
    /// A spec of these rate cards, expenses and distribution costs; every edge carries cost
    /// and nothing is allocated to cost centres (set [`CostSpec::paths`] and
    /// [`CostSpec::units`] for that).
    ///
    /// ```
    /// use itsm_cost::{CostSpec, Expense};
    ///
    /// let spec = CostSpec::new(vec![], vec![Expense::new("db", 100, "")], vec![]);
    /// assert!(spec.paths.is_none() && spec.units.is_empty());
    /// ```
    pub fn new(
        rate_cards: Vec<RateCard>,
        expenses: Vec<Expense>,
        distributions: Vec<Distribution>,
    ) -> Self {
        CostSpec {
            rate_cards,
            expenses,
            distributions,
            paths: None,
            units: Vec::new(),
        }
    }
}

/// How a service's cost is divided among the cost centres using it (ServiceNow's system
/// property).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum UnitMethod {
    /// A cost centre pays its units over the service's total units; what unused units cost
    /// stays unallocated (IT overhead). ServiceNow's "all units".
    #[default]
    AllUnits,
    /// A cost centre pays its units over the units allocated to all cost centres: 100% of
    /// the cost is allocated (full cost recovery). ServiceNow's "allocated units".
    AllocatedUnits,
}

/// Which of a service's costs its cost centres are allocated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Allocate {
    /// Its whole cost, its own and what it inherits (ServiceNow allocates every expense line
    /// of the service, the inherited ones included). A service whose cost also goes up to a
    /// parent service with units of its own is then allocated twice.
    #[default]
    Total,
    /// Only what it keeps: nothing for a service whose cost goes up to a parent, so nothing
    /// is allocated twice.
    Kept,
}

/// What to do when relationship paths form a cycle (services that depend on each other).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Cycles {
    /// Refuse the graph ([`Error::Cycle`](crate::Error::Cycle), naming a cycle): cost would
    /// go round forever, and ServiceNow's walk has no rule for it.
    #[default]
    Refuse,
    /// Cost the nodes that reach each other as one pool (a strongly connected component):
    /// the pool's cost (its members' own costs and what reaches them from outside) leaves by
    /// the pool's paths out, split evenly among them; nothing travels inside it. A pool with
    /// no path out keeps its cost, each member what is its own.
    Pool,
}

/// The choices the tools differ on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Policy {
    /// All units (the default) or allocated units.
    pub unit_method: UnitMethod,
    /// The whole cost (the default) or what a service keeps.
    pub allocate: Allocate,
    /// Refuse cycles (the default) or cost them as pools.
    pub cycles: Cycles,
}
