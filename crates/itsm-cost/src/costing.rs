//! The roll-up: direct costs per node, carried up the relationship paths in topological
//! order (each node's cost split evenly among its paths), then allocated to cost centres.

use std::collections::BTreeMap;

use itsm_graph::{GraphSpec, NodeKind};

use crate::build::{Arcs, MEMBERSHIP, NONE, Nodes, Sel, row};
use crate::error::{CYCLE_SHOWN, Error};
use crate::spec::{Allocate, CostSpec, Cycles, Policy, RateCard, UnitMethod};

/// Splits `amount` into `weights.len()` pieces in proportion to `weights` (out of
/// `denominator`, at least their sum), exactly: each piece is its share rounded towards zero,
/// and the minor units left over go one each to the pieces with the largest remainders (the
/// first on ties); a negative amount is split as its magnitude, then negated. With a
/// denominator above the weights' sum, the rest is the last element of the answer.
pub(crate) fn split(amount: i64, weights: &[u64], denominator: u128) -> Vec<i64> {
    let magnitude = i128::from(amount).unsigned_abs();
    let sign: i128 = if amount < 0 { -1 } else { 1 };
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let rest_weight = denominator.saturating_sub(sum);
    let mut pieces: Vec<(u128, u128)> = Vec::with_capacity(weights.len() + 1);
    // magnitude <= 2^63 and w < 2^64: the product fits in a u128.
    let share = |w: u128| match magnitude.checked_mul(w) {
        Some(p) if denominator > 0 => (p / denominator, p % denominator),
        _ => (0, 0),
    };
    for &w in weights {
        pieces.push(share(u128::from(w)));
    }
    pieces.push(share(rest_weight));
    let given: u128 = pieces.iter().map(|p| p.0).sum();
    let mut left = magnitude.saturating_sub(given);
    if left > 0 {
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        order.sort_by(|&a, &b| {
            let ra = pieces.get(a).map_or(0, |p| p.1);
            let rb = pieces.get(b).map_or(0, |p| p.1);
            rb.cmp(&ra).then(a.cmp(&b))
        });
        let mut k = 0;
        while left > 0 && !order.is_empty() {
            if let Some(p) = order.get(k % order.len()).and_then(|&i| pieces.get_mut(i)) {
                p.0 += 1;
            }
            left -= 1;
            k += 1;
        }
    }
    pieces
        .iter()
        .map(|p| i64::try_from(sign * p.0 as i128).unwrap_or(0))
        .collect()
}

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
    /// The node at the other end: the child for [`Costing::received`], the parent for
    /// [`Costing::passed`].
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
/// [`UnitMethod::AllUnits`], or no consumers at all).
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

/// A distribution cost resolved: whom it selects and how it splits.
#[derive(Debug, Clone)]
struct Resolved {
    name: String,
    amount: i64,
    sel: Sel,
    /// How many nodes it selects.
    count: u64,
}

/// One period's costs over a service dependency graph: what each node costs directly, what
/// it inherits from what it depends on, where the money ends up and which cost centres pay.
///
/// Built by [`Costing::new`]; every query answers from the computed tables.
#[derive(Debug, Clone)]
pub struct Costing {
    nodes: Nodes,
    arcs: Arcs,
    direct: Vec<i64>,
    inherited: Vec<i64>,
    /// The amount of each arc.
    amount: Vec<i64>,
    cards: Vec<(RateCard, Sel)>,
    distributions: Vec<Resolved>,
    /// Expenses: (node, amount, description), sorted by node (stable).
    expenses: Vec<(u32, i64, String)>,
    allocations: Vec<Allocation>,
    unallocated: Vec<Unallocated>,
    undistributed: Vec<Undistributed>,
    /// Each node's pool (`NONE`: none); empty when there is no pool.
    pool_of: Vec<u32>,
    pools: Vec<Pool>,
}

impl Costing {
    /// Computes one period's costs over `graph`.
    ///
    /// Checked in this order, the first problem reported: the graph's ids and relations, the
    /// relationship paths, the graph's edges and groups, the rate cards, the distribution
    /// costs, the expenses, the nodes' direct costs (an overflow), the roll-up (an overflow
    /// where a total is taken, in Kahn's order; then a cycle), the allocation units.
    ///
    /// ```
    /// use itsm_cost::{CostSpec, Costing, Expense, Policy};
    /// use itsm_graph::{EdgeSpec, GraphSpec, NodeKind, NodeSpec, Propagation, RelationSpec};
    ///
    /// let graph = GraphSpec::new(
    ///     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    ///     vec![
    ///         NodeSpec::new("shop", NodeKind::BusinessService, "service"),
    ///         NodeSpec::new("db", NodeKind::ConfigurationItem, "database"),
    ///     ],
    ///     vec![],
    ///     vec![EdgeSpec::new("shop", "db", "depends_on")],
    /// );
    /// let spec = CostSpec::new(vec![], vec![Expense::new("db", 900, "licence")], vec![]);
    /// let costing = Costing::new(&graph, &spec, &Policy::default())?;
    /// assert_eq!(costing.cost("shop")?.inherited, 900);
    /// # Ok::<(), itsm_cost::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::DuplicateId`], [`Error::GroupInNodes`], [`Error::DuplicateRelation`],
    /// [`Error::UnknownRelation`], [`Error::UnknownNode`], [`Error::EmptyGroup`],
    /// [`Error::DuplicateMember`], [`Error::GroupNamed`], [`Error::DuplicateName`],
    /// [`Error::EmptySelector`], [`Error::Cycle`], [`Error::Overflow`],
    /// [`Error::DuplicateUnits`], [`Error::DuplicateConsumer`], [`Error::ZeroUnits`],
    /// [`Error::OverAllocated`].
    pub fn new(graph: &GraphSpec, spec: &CostSpec, policy: &Policy) -> Result<Costing, Error> {
        let nodes = Nodes::new(graph)?;
        let arcs = Arcs::new(graph, &nodes, spec.paths.as_deref())?;
        let n = nodes.len();
        // Added up wide, checked once per node at the end: the order of the lines does not
        // decide whether a node's cost fits.
        let mut wide = vec![0i128; n];
        let mut stamp = vec![0u32; n];
        let mut mark = 0u32;
        let add = |wide: &mut Vec<i128>, i: u32, amount: i128| {
            if let Some(slot) = wide.get_mut(i as usize) {
                *slot += amount;
            }
        };

        let mut cards = Vec::with_capacity(spec.rate_cards.len());
        let mut names = std::collections::HashSet::new();
        for card in &spec.rate_cards {
            if !names.insert(card.name.as_str()) {
                return Err(Error::DuplicateName {
                    kind: "rate card",
                    name: card.name.clone(),
                });
            }
            let mut cost_names = std::collections::HashSet::new();
            let mut per_item: i128 = 0;
            for c in &card.costs {
                if !cost_names.insert(c.name.as_str()) {
                    return Err(Error::DuplicateName {
                        kind: "rate card cost",
                        name: c.name.clone(),
                    });
                }
                per_item += i128::from(c.amount);
            }
            let sel = Sel::new(
                &nodes,
                &card.applies_to,
                "rate card",
                &card.name,
                "the rate cards",
            )?;
            mark += 1;
            for i in sel.select(&nodes, &mut stamp, mark) {
                add(&mut wide, i, per_item);
            }
            cards.push((card.clone(), sel));
        }

        let mut distributions = Vec::with_capacity(spec.distributions.len());
        let mut undistributed = Vec::new();
        names.clear();
        for d in &spec.distributions {
            if !names.insert(d.name.as_str()) {
                return Err(Error::DuplicateName {
                    kind: "distribution cost",
                    name: d.name.clone(),
                });
            }
            let sel = Sel::new(
                &nodes,
                &d.to,
                "distribution cost",
                &d.name,
                "the distribution costs",
            )?;
            mark += 1;
            let selected = sel.select(&nodes, &mut stamp, mark);
            let count = selected.len() as u64;
            if selected.is_empty() {
                undistributed.push(Undistributed {
                    name: d.name.clone(),
                    amount: d.amount,
                });
            } else {
                for (rank, &i) in selected.iter().enumerate() {
                    add(
                        &mut wide,
                        i,
                        i128::from(even_piece(d.amount, count, rank as u64)),
                    );
                }
            }
            distributions.push(Resolved {
                name: d.name.clone(),
                amount: d.amount,
                sel,
                count,
            });
        }

        let mut expenses = Vec::with_capacity(spec.expenses.len());
        for e in &spec.expenses {
            let i = nodes.costed("the expenses", &e.node)?;
            add(&mut wide, i, i128::from(e.amount));
            expenses.push((i, e.amount, e.description.clone()));
        }
        expenses.sort_by_key(|e| e.0);
        let mut direct = Vec::with_capacity(n);
        for (i, &d) in wide.iter().enumerate() {
            direct.push(i64::try_from(d).map_err(|_| Error::Overflow {
                id: nodes.id(i as u32).to_owned(),
            })?);
        }
        drop(wide);

        let rolled = roll_up(&nodes, &arcs, &direct, policy.cycles)?;
        let mut costing = Costing {
            nodes,
            arcs,
            direct,
            inherited: rolled.inherited,
            amount: rolled.amount,
            pool_of: rolled.pool_of,
            pools: rolled.pools,
            cards,
            distributions,
            expenses,
            allocations: Vec::new(),
            unallocated: Vec::new(),
            undistributed,
        };
        costing.allocate(spec, policy)?;
        Ok(costing)
    }

    fn allocate(&mut self, spec: &CostSpec, policy: &Policy) -> Result<(), Error> {
        let mut seen = std::collections::HashSet::new();
        for u in &spec.units {
            let i = self.nodes.costed("the allocation units", &u.service)?;
            if !seen.insert(i) {
                return Err(Error::DuplicateUnits {
                    id: u.service.clone(),
                });
            }
            if u.total == 0 {
                return Err(Error::ZeroUnits {
                    id: u.service.clone(),
                });
            }
            let mut centres = std::collections::HashSet::new();
            for c in &u.consumers {
                if !centres.insert(c.cost_centre.as_str()) {
                    return Err(Error::DuplicateConsumer {
                        service: u.service.clone(),
                        cost_centre: c.cost_centre.clone(),
                    });
                }
            }
            let used: u128 = u.consumers.iter().map(|c| u128::from(c.units)).sum();
            if used > u128::from(u.total) {
                return Err(Error::OverAllocated {
                    id: u.service.clone(),
                    total: u.total,
                    allocated: used,
                });
            }
            let cost = self.cost_at(i);
            let amount = match policy.allocate {
                Allocate::Total => cost.total,
                Allocate::Kept => cost.kept,
            };
            let weights: Vec<u64> = u.consumers.iter().map(|c| c.units).collect();
            let denominator = match policy.unit_method {
                UnitMethod::AllUnits => u128::from(u.total),
                UnitMethod::AllocatedUnits => used,
            };
            let pieces = if denominator == 0 {
                // No consumer at all: nothing can be allocated.
                let mut p = vec![0; weights.len()];
                p.push(amount);
                p
            } else {
                split(amount, &weights, denominator)
            };
            for (c, &a) in u.consumers.iter().zip(&pieces) {
                self.allocations.push(Allocation {
                    service: u.service.clone(),
                    cost_centre: c.cost_centre.clone(),
                    units: c.units,
                    amount: a,
                });
            }
            let rest = pieces.last().copied().unwrap_or(0);
            let unused = u
                .total
                .saturating_sub(u64::try_from(used).unwrap_or(u64::MAX));
            self.unallocated.push(Unallocated {
                service: u.service.clone(),
                units: unused,
                amount: rest,
            });
        }
        Ok(())
    }

    fn cost_at(&self, i: u32) -> NodeCost {
        let direct = self.direct.get(i as usize).copied().unwrap_or(0);
        let inherited = self.inherited.get(i as usize).copied().unwrap_or(0);
        let total = direct.saturating_add(inherited);
        let range = self.arcs.parents(i as usize);
        let paths = range.len();
        let pool = self
            .pool_of
            .get(i as usize)
            .and_then(|&p| self.pools.get(p as usize));
        let (passed_on, kept) = match pool {
            None if paths > 0 => (total, 0),
            None => (0, total),
            Some(p) => {
                let out = self
                    .amount
                    .get(range)
                    .unwrap_or(&[])
                    .iter()
                    .fold(0i64, |a, &b| a.saturating_add(b));
                (out, if p.exits == 0 { total } else { 0 })
            }
        };
        NodeCost {
            direct,
            inherited,
            total,
            passed_on,
            kept,
            paths,
            pooled: pool.is_some(),
        }
    }

    /// The pools (only under [`Cycles::Pool`](crate::Cycles::Pool)), by their first member
    /// in the graph's order.
    pub fn pools(&self) -> &[Pool] {
        &self.pools
    }

    /// A node's cost: direct, inherited, total, passed on.
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an id the graph does not have.
    pub fn cost(&self, id: &str) -> Result<NodeCost, Error> {
        Ok(self.cost_at(self.nodes.find("queries", id)?))
    }

    fn share(&self, arc: usize, other: u32) -> Share {
        let relation = self
            .arcs
            .up_relation
            .get(arc)
            .copied()
            .unwrap_or(MEMBERSHIP);
        Share {
            node: self.nodes.id(other).to_owned(),
            relation: (relation != MEMBERSHIP)
                .then(|| self.nodes.relations.get(relation as usize).cloned())
                .flatten(),
            amount: self.amount.get(arc).copied().unwrap_or(0),
        }
    }

    /// What a node inherited, one share per path into it (ServiceNow's inherited expense
    /// lines), in the order of the graph's nodes.
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an id the graph does not have.
    pub fn received(&self, id: &str) -> Result<Vec<Share>, Error> {
        let i = self.nodes.find("queries", id)?;
        Ok(row(&self.arcs.down_start, &self.arcs.down_arc, i as usize)
            .iter()
            .map(|&arc| {
                let child = self.arcs.from.get(arc as usize).copied().unwrap_or(0);
                self.share(arc as usize, child)
            })
            .collect())
    }

    /// Where a node's cost went, one share per path out of it, in the order of the graph's
    /// nodes (the extra minor units of an even split go to the first).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an id the graph does not have.
    pub fn passed(&self, id: &str) -> Result<Vec<Share>, Error> {
        let i = self.nodes.find("queries", id)?;
        Ok(self
            .arcs
            .parents(i as usize)
            .map(|arc| {
                let parent = self.arcs.up_to.get(arc).copied().unwrap_or(0);
                self.share(arc, parent)
            })
            .collect())
    }

    /// A node's direct expense lines: each rate card cost, each expense, each share of a
    /// distribution cost, in that order (cards and distributions as the spec lists them).
    /// Linear in the graph for each distribution cost that selects the node (its share
    /// depends on its rank among the selected nodes).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an id the graph does not have.
    pub fn lines(&self, id: &str) -> Result<Vec<Line>, Error> {
        let i = self.nodes.find("queries", id)?;
        let mut lines = Vec::new();
        for (card, sel) in &self.cards {
            if sel.matches(&self.nodes, i) {
                for c in &card.costs {
                    lines.push(Line {
                        source: Source::RateCard {
                            card: card.name.clone(),
                            cost: c.name.clone(),
                        },
                        amount: c.amount,
                    });
                }
            }
        }
        let first = self.expenses.partition_point(|e| e.0 < i);
        for e in self.expenses.get(first..).unwrap_or(&[]) {
            if e.0 != i {
                break;
            }
            lines.push(Line {
                source: Source::Expense {
                    description: e.2.clone(),
                },
                amount: e.1,
            });
        }
        for d in &self.distributions {
            if d.count > 0 && d.sel.matches(&self.nodes, i) {
                let rank = (0..i).filter(|&j| d.sel.matches(&self.nodes, j)).count() as u64;
                lines.push(Line {
                    source: Source::Distribution {
                        name: d.name.clone(),
                    },
                    amount: even_piece(d.amount, d.count, rank),
                });
            }
        }
        Ok(lines)
    }

    /// The nodes that keep a cost (no path carries it further; a total other than zero), in
    /// the order of the graph's nodes: services, and the stranded rest.
    pub fn holders(&self) -> Vec<Holder> {
        (0..self.nodes.len() as u32)
            .filter_map(|i| {
                let c = self.cost_at(i);
                (c.kept != 0).then(|| Holder {
                    id: self.nodes.id(i).to_owned(),
                    service: is_service(self.nodes.kind.get(i as usize)),
                    amount: c.kept,
                })
            })
            .collect()
    }

    /// Every allocation to a cost centre, services in the spec's order, consumers in theirs.
    pub fn allocations(&self) -> &[Allocation] {
        &self.allocations
    }

    /// What each service with allocation units left unallocated (one record per service, zero
    /// included), in the spec's order.
    pub fn unallocated(&self) -> &[Unallocated] {
        &self.unallocated
    }

    /// Distribution costs that selected no node.
    pub fn undistributed(&self) -> &[Undistributed] {
        &self.undistributed
    }

    /// Each cost centre's allocations added up, by name.
    pub fn cost_centres(&self) -> Vec<CostCentre> {
        let mut by = BTreeMap::<&str, i128>::new();
        for a in &self.allocations {
            *by.entry(a.cost_centre.as_str()).or_default() += i128::from(a.amount);
        }
        by.into_iter()
            .map(|(name, amount)| CostCentre {
                name: name.to_owned(),
                amount,
            })
            .collect()
    }

    /// What a set of cost centres was allocated, added up (a budget's actual); a name listed
    /// twice counts once.
    pub fn allocated_to(&self, cost_centres: &[String]) -> i128 {
        let wanted: std::collections::HashSet<&str> =
            cost_centres.iter().map(String::as_str).collect();
        self.allocations
            .iter()
            .filter(|a| wanted.contains(a.cost_centre.as_str()))
            .map(|a| i128::from(a.amount))
            .sum()
    }

    /// The period's sums.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for i in 0..self.nodes.len() as u32 {
            let c = self.cost_at(i);
            t.direct += i128::from(c.direct);
            if is_service(self.nodes.kind.get(i as usize)) {
                t.kept_by_services += i128::from(c.kept);
            } else {
                t.stranded += i128::from(c.kept);
            }
        }
        t.undistributed = self
            .undistributed
            .iter()
            .map(|u| i128::from(u.amount))
            .sum();
        t.allocated = self.allocations.iter().map(|a| i128::from(a.amount)).sum();
        t.unallocated = self.unallocated.iter().map(|u| i128::from(u.amount)).sum();
        t
    }

    /// How many nodes and groups the graph has.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

fn is_service(kind: Option<&NodeKind>) -> bool {
    matches!(
        kind,
        Some(NodeKind::BusinessService | NodeKind::TechnicalService)
    )
}

/// The `rank`-th of `count` even pieces of `amount`: rounded towards zero, the first
/// `|amount % count|` pieces one minor unit more (of the amount's sign).
pub(crate) fn even_piece(amount: i64, count: u64, rank: u64) -> i64 {
    let Ok(count) = i64::try_from(count) else {
        return 0;
    };
    if count <= 0 {
        return 0;
    }
    let base = amount / count;
    let rest = amount % count;
    let extra = if (rank as i128) < i128::from(rest.unsigned_abs()) {
        rest.signum()
    } else {
        0
    };
    base + extra
}

/// What the roll-up computes.
struct Rolled {
    inherited: Vec<i64>,
    amount: Vec<i64>,
    pool_of: Vec<u32>,
    pools: Vec<Pool>,
}

/// Splits node or pool `u`'s `total` evenly over `exits` (arc numbers, in order): each arc's
/// amount set, each parent's inheritance raised.
fn pass_up(arcs: &Arcs, exits: &[usize], total: i64, amount: &mut [i64], inherited: &mut [i128]) {
    let k = exits.len() as u64;
    for (rank, &arc) in exits.iter().enumerate() {
        let piece = even_piece(total, k, rank as u64);
        if let Some(a) = amount.get_mut(arc) {
            *a = piece;
        }
        let p = arcs.up_to.get(arc).copied().unwrap_or(0);
        if let Some(slot) = inherited.get_mut(p as usize) {
            // At most 2^32 arcs of at most 2^63 each: no i128 overflows.
            *slot += i128::from(piece);
        }
    }
}

/// A node's total once its inheritance is final: it and its inheritance must fit in 64 bits.
fn total_of(nodes: &Nodes, direct: &[i64], inherited: &[i128], u: u32) -> Result<i64, Error> {
    let ui = u as usize;
    let d = i128::from(direct.get(ui).copied().unwrap_or(0));
    let h = inherited.get(ui).copied().unwrap_or(0);
    let overflow = || Error::Overflow {
        id: nodes.id(u).to_owned(),
    };
    i64::try_from(h).map_err(|_| overflow())?;
    i64::try_from(d + h).map_err(|_| overflow())
}

/// Kahn's order over the carrying arcs: a node's total is final once every child has
/// passed its share; it is then split evenly among its own paths. What Kahn's order cannot
/// reach lies on or after a cycle: refused, or costed in pools.
fn roll_up(nodes: &Nodes, arcs: &Arcs, direct: &[i64], cycles: Cycles) -> Result<Rolled, Error> {
    let n = nodes.len();
    let mut inherited = vec![0i128; n];
    let mut amount = vec![0i64; arcs.up_to.len()];
    let mut waiting: Vec<u32> = (0..n)
        .map(|i| row(&arcs.down_start, &arcs.down_arc, i).len() as u32)
        .collect();
    let mut queue: Vec<u32> = (0..n as u32)
        .filter(|&i| waiting.get(i as usize) == Some(&0))
        .collect();
    let mut head = 0;
    let mut exits: Vec<usize> = Vec::new();
    while let Some(&u) = queue.get(head) {
        head += 1;
        let total = total_of(nodes, direct, &inherited, u)?;
        exits.clear();
        exits.extend(arcs.parents(u as usize));
        pass_up(arcs, &exits, total, &mut amount, &mut inherited);
        for &arc in &exits {
            let p = arcs.up_to.get(arc).copied().unwrap_or(0);
            if let Some(w) = waiting.get_mut(p as usize) {
                *w -= 1;
                if *w == 0 {
                    queue.push(p);
                }
            }
        }
    }
    let narrow = |inherited: &[i128]| -> Vec<i64> {
        // Every node's inheritance was checked to fit when its total was taken.
        inherited
            .iter()
            .map(|&h| i64::try_from(h).unwrap_or(0))
            .collect()
    };
    if queue.len() == n {
        return Ok(Rolled {
            inherited: narrow(&inherited),
            amount,
            pool_of: Vec::new(),
            pools: Vec::new(),
        });
    }
    if cycles == Cycles::Refuse {
        return Err(cycle(nodes, arcs, &waiting));
    }
    let mut pool_of = vec![NONE; n];
    let mut pools: Vec<Pool> = Vec::new();
    // The nodes left, by strongly connected component, sources first.
    let left: Vec<bool> = waiting.iter().map(|&w| w > 0).collect();
    let components = components(arcs, &left);
    for comp in components.iter().rev() {
        let first = comp.first().copied().unwrap_or(0);
        let self_loop = arcs
            .parents(first as usize)
            .any(|arc| arcs.up_to.get(arc) == Some(&first));
        if comp.len() == 1 && !self_loop {
            let total = total_of(nodes, direct, &inherited, first)?;
            exits.clear();
            exits.extend(arcs.parents(first as usize));
            pass_up(arcs, &exits, total, &mut amount, &mut inherited);
            continue;
        }
        let id = pools.len() as u32;
        for &m in comp {
            if let Some(p) = pool_of.get_mut(m as usize) {
                *p = id;
            }
        }
        let mut wide: i128 = 0;
        for &m in comp {
            wide += i128::from(total_of(nodes, direct, &inherited, m)?);
        }
        let total = i64::try_from(wide).map_err(|_| Error::Overflow {
            id: nodes.id(first).to_owned(),
        })?;
        exits.clear();
        for &m in comp {
            exits.extend(arcs.parents(m as usize).filter(|&arc| {
                let p = arcs.up_to.get(arc).copied().unwrap_or(0);
                pool_of.get(p as usize) != Some(&id)
            }));
        }
        pass_up(arcs, &exits, total, &mut amount, &mut inherited);
        pools.push(Pool {
            members: comp.iter().map(|&m| nodes.id(m).to_owned()).collect(),
            amount: total,
            exits: exits.len(),
        });
    }
    pools.sort_by(|a, b| {
        let key = |p: &Pool| p.members.first().and_then(|m| nodes.index.get(m)).copied();
        key(a).cmp(&key(b))
    });
    // Pool numbers follow the sorted order.
    for (k, p) in pools.iter().enumerate() {
        for m in &p.members {
            if let Some(&i) = nodes.index.get(m) {
                if let Some(slot) = pool_of.get_mut(i as usize) {
                    *slot = k as u32;
                }
            }
        }
    }
    Ok(Rolled {
        inherited: narrow(&inherited),
        amount,
        pool_of,
        pools,
    })
}

/// Strongly connected components of the carrying arcs among the nodes `left` marks
/// (Tarjan's algorithm with an explicit stack: no recursion), each sorted, in the order
/// Tarjan's algorithm closes them: every component after those its cost flows into.
fn components(arcs: &Arcs, left: &[bool]) -> Vec<Vec<u32>> {
    /// The walk's state.
    struct Walk {
        index: Vec<u32>,
        low: Vec<u32>,
        on_stack: Vec<bool>,
        stack: Vec<u32>,
        /// (node, its next arc to look at).
        frames: Vec<(u32, usize)>,
        next: u32,
    }
    impl Walk {
        fn open(&mut self, arcs: &Arcs, v: u32) {
            let vi = v as usize;
            if let (Some(i), Some(l), Some(o)) = (
                self.index.get_mut(vi),
                self.low.get_mut(vi),
                self.on_stack.get_mut(vi),
            ) {
                (*i, *l, *o) = (self.next, self.next, true);
            }
            self.next += 1;
            self.stack.push(v);
            self.frames.push((v, arcs.parents(vi).start));
        }
        fn lower(&mut self, v: u32, to: u32) {
            if let Some(l) = self.low.get_mut(v as usize) {
                *l = (*l).min(to);
            }
        }
    }
    let n = left.len();
    let mut w = Walk {
        index: vec![NONE; n],
        low: vec![0u32; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        frames: Vec::new(),
        next: 0,
    };
    let mut out = Vec::new();
    let is_left = |v: u32| left.get(v as usize).copied().unwrap_or(false);
    for s in 0..n as u32 {
        if !is_left(s) || w.index.get(s as usize) != Some(&NONE) {
            continue;
        }
        w.open(arcs, s);
        while let Some(&(v, pos)) = w.frames.last() {
            if pos < arcs.parents(v as usize).end {
                if let Some(f) = w.frames.last_mut() {
                    f.1 += 1;
                }
                let t = arcs.up_to.get(pos).copied().unwrap_or(NONE);
                if !is_left(t) {
                    continue;
                }
                if w.index.get(t as usize) == Some(&NONE) {
                    w.open(arcs, t);
                } else if w.on_stack.get(t as usize) == Some(&true) {
                    let it = w.index.get(t as usize).copied().unwrap_or(0);
                    w.lower(v, it);
                }
                continue;
            }
            w.frames.pop();
            let lv = w.low.get(v as usize).copied().unwrap_or(0);
            if let Some(&(p, _)) = w.frames.last() {
                w.lower(p, lv);
            }
            if lv == w.index.get(v as usize).copied().unwrap_or(NONE) {
                let mut comp = Vec::new();
                while let Some(x) = w.stack.pop() {
                    if let Some(o) = w.on_stack.get_mut(x as usize) {
                        *o = false;
                    }
                    comp.push(x);
                    if x == v {
                        break;
                    }
                }
                comp.sort_unstable();
                out.push(comp);
            }
        }
    }
    out
}

/// A cycle among the nodes Kahn's order never reached (each has a child among them): walk
/// children until a node repeats.
fn cycle(nodes: &Nodes, arcs: &Arcs, waiting: &[u32]) -> Error {
    let start = waiting.iter().position(|&w| w > 0).unwrap_or(0) as u32;
    let mut on_walk = std::collections::HashMap::new();
    let mut walk: Vec<u32> = Vec::new();
    let mut u = start;
    loop {
        if let Some(&at) = on_walk.get(&u) {
            let mut members: Vec<u32> = walk.get(at..).unwrap_or(&[]).to_vec();
            // The walk went from parents to children; cost travels the other way.
            members.reverse();
            let least = members
                .iter()
                .enumerate()
                .min_by_key(|(_, v)| **v)
                .map_or(0, |(k, _)| k);
            members.rotate_left(least);
            let length = members.len();
            return Error::Cycle {
                nodes: members
                    .iter()
                    .take(CYCLE_SHOWN)
                    .map(|&v| nodes.id(v).to_owned())
                    .collect(),
                length,
            };
        }
        on_walk.insert(u, walk.len());
        walk.push(u);
        let next = row(&arcs.down_start, &arcs.down_arc, u as usize)
            .iter()
            .map(|&arc| arcs.from.get(arc as usize).copied().unwrap_or(0))
            .find(|&c| waiting.get(c as usize).is_some_and(|&w| w > 0));
        match next {
            Some(c) => u = c,
            // Cannot happen (every node left has a child left); end with what we have.
            None => {
                return Error::Cycle {
                    nodes: walk
                        .iter()
                        .take(CYCLE_SHOWN)
                        .map(|&v| nodes.id(v).to_owned())
                        .collect(),
                    length: walk.len(),
                };
            }
        }
    }
}
