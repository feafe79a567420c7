//! One period's costs: direct costs per node, the roll-up, the allocations to cost centres,
//! and the queries over them.

use std::collections::BTreeMap;

use itsm_graph::{GraphSpec, NodeKind};

use crate::answers::{
    Allocation, CostCentre, Holder, Line, NodeCost, Pool, Share, Source, Totals, Unallocated,
    Undistributed,
};
use crate::build::{Arcs, MEMBERSHIP, Nodes, Sel, row};
use crate::error::Error;
use crate::money::{even_piece, split};
use crate::rollup::roll_up;
use crate::spec::{Allocate, CostSpec, Policy, RateCard, UnitMethod};

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
