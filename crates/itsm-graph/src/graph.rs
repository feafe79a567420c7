//! The compiled graph: its records, its forward and reverse rows, and the translation
//! between the builder's numbering (the public [`NodeId`]s) and the compiled order.

use crate::builder::GraphBuilder;
use crate::error::Error;
use crate::names::{Names, Strings};
use crate::rows::{NONE, Rows, bit};
use crate::spec::{GraphSpec, NodeKind, NodeSpec, SeverityScale};
use crate::workspace::Bits;

/// A node of a compiled graph (its position in the builder's order: nodes, then groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NodeId(pub u32);

/// A compiled, read-only service dependency graph. Cycles are allowed: every query is a
/// fixpoint, not a tree walk.
///
/// Inside, nodes are renumbered for locality (breadth-first along the arcs); the API speaks
/// only of [`NodeId`]s, the builder's numbering, whatever the compiled order.
#[derive(Debug, Clone)]
pub struct Graph {
    pub(crate) names: Names,
    pub(crate) strings: Strings,
    pub(crate) kind: Vec<NodeKind>,
    pub(crate) tier: Vec<u8>,
    pub(crate) class: Vec<u32>,
    pub(crate) owner: Vec<u32>,
    pub(crate) supplier: Vec<u32>,
    pub(crate) location: Vec<u32>,
    /// For a group, its member count (membership arcs in; edges into it are not members).
    pub(crate) members: Vec<u32>,
    /// For a group: failing members that take it down; else 1.
    pub(crate) need: Vec<u32>,
    /// One bit per group.
    pub(crate) groups: Vec<u64>,
    /// One bit per group or node with an arc into a group (always pushed down).
    pub(crate) statics: Vec<u64>,
    /// A workspace's bitmaps before any query (see [`Bits`]).
    pub(crate) blank: Vec<Bits>,
    /// One bit per node with no arc out: nothing is pushed down from it, so it is never
    /// queued.
    pub(crate) leaves: Vec<u64>,
    /// Where failure travels, by source.
    pub(crate) forward: Rows,
    /// The `ARC_*` bits of each forward arc.
    pub(crate) bits: Vec<u8>,
    /// The same arcs by target.
    pub(crate) reverse: Rows,
    /// A node's index in the compiled arrays (`members` to `reverse`, and the workspaces'),
    /// by its `NodeId`.
    pub(crate) inner: Vec<u32>,
    /// The `NodeId` of each compiled index.
    pub(crate) outer: Vec<u32>,
    pub(crate) outage: u8,
    pub(crate) severity: SeverityScale,
}

impl Graph {
    /// Compiles a spec through the same checked builder.
    ///
    /// # Errors
    /// Every [`Error`] of the builder, plus [`Error::UnknownNode`], [`Error::UnknownRelation`],
    /// [`Error::UnknownMember`], [`Error::DuplicateMember`], each naming the offending record.
    pub fn from_spec(spec: &GraphSpec) -> Result<Graph, Error> {
        let mut b = GraphBuilder::new(spec.severity.clone());
        b.reserve(spec.nodes.len() + spec.groups.len(), spec.edges.len());
        let mut rels = Vec::with_capacity(spec.relations.len());
        for r in &spec.relations {
            rels.push((r.name.clone(), b.relation(r.clone())?));
        }
        for node in &spec.nodes {
            b.node(node)?;
        }
        let mut groups = Vec::with_capacity(spec.groups.len());
        for g in &spec.groups {
            groups.push(b.group(&g.id, g.min_up)?);
        }
        b.check_ids()?;
        for (g, id) in spec.groups.iter().zip(groups) {
            let mut seen = std::collections::BTreeSet::new();
            for m in &g.members {
                let member = b.find(m).ok_or_else(|| Error::UnknownMember {
                    group: g.id.clone(),
                    member: m.clone(),
                })?;
                // A member listed twice would silently shrink the group its threshold is
                // computed from (a percentage of 3 listed members taken of 2).
                if !seen.insert(member) {
                    return Err(Error::DuplicateMember {
                        group: g.id.clone(),
                        member: m.clone(),
                    });
                }
                b.member(id, member);
            }
        }
        for (i, e) in spec.edges.iter().enumerate() {
            let unknown = |id: &str| Error::UnknownNode {
                edge: i,
                from: e.from.clone(),
                to: e.to.clone(),
                id: id.to_owned(),
            };
            let from = b.find(&e.from).ok_or_else(|| unknown(&e.from))?;
            let to = b.find(&e.to).ok_or_else(|| unknown(&e.to))?;
            let rel = rels
                .iter()
                .find(|(name, _)| *name == e.relation)
                .map(|(_, r)| *r)
                .ok_or_else(|| Error::UnknownRelation {
                    edge: i,
                    from: e.from.clone(),
                    to: e.to.clone(),
                    relation: e.relation.clone(),
                    declared: spec.relations.iter().map(|r| r.name.clone()).collect(),
                })?;
            b.edge(from, to, rel);
        }
        b.build()
    }

    /// Nodes, groups included.
    pub fn node_count(&self) -> usize {
        self.names.len()
    }

    /// Arcs along which failure propagates (after merging duplicates).
    pub fn arc_count(&self) -> usize {
        self.forward.cols.len()
    }

    /// The node with this id.
    ///
    /// # Errors
    /// [`Error::NoSuchNode`].
    pub fn node(&self, id: &str) -> Result<NodeId, Error> {
        self.names
            .find(id)
            .map(NodeId)
            .ok_or_else(|| Error::NoSuchNode { id: id.to_owned() })
    }

    /// A node's id.
    pub fn id(&self, node: NodeId) -> &str {
        self.names.get(node.0)
    }

    /// A node's kind.
    pub fn kind(&self, node: NodeId) -> Option<NodeKind> {
        self.kind.get(node.0 as usize).copied()
    }

    /// A node's record, rebuilt from the compact form.
    pub fn spec(&self, node: NodeId) -> Option<NodeSpec> {
        let i = node.0 as usize;
        let text = |v: &Vec<u32>| {
            v.get(i)
                .copied()
                .filter(|s| *s != NONE)
                .map(|s| self.strings.names.get(s).to_owned())
        };
        Some(NodeSpec {
            id: self.id(node).to_owned(),
            kind: *self.kind.get(i)?,
            class: text(&self.class).unwrap_or_default(),
            tier: self.tier.get(i).copied().unwrap_or(0),
            owner: text(&self.owner),
            supplier: text(&self.supplier),
            location: text(&self.location),
        })
    }

    /// The severity scale.
    pub fn severity_scale(&self) -> &SeverityScale {
        &self.severity
    }

    /// The outage level (the top of the scale).
    pub fn outage(&self) -> u8 {
        self.outage
    }

    /// The compiled index of `node` ([`NONE`] if it is not in the graph).
    #[inline]
    pub(crate) fn inner_of(&self, node: NodeId) -> u32 {
        self.inner.get(node.0 as usize).copied().unwrap_or(NONE)
    }

    /// The `NodeId` of a compiled index.
    #[inline]
    pub(crate) fn outer_of(&self, i: u32) -> NodeId {
        NodeId(self.outer.get(i as usize).copied().unwrap_or(NONE))
    }

    /// `row` as node ids, sorted.
    fn sorted_ids(&self, row: &[u32]) -> Vec<NodeId> {
        let mut ids: Vec<NodeId> = row.iter().map(|&v| self.outer_of(v)).collect();
        ids.sort_unstable();
        ids
    }

    /// The nodes a failure of `node` reaches directly, sorted (empty for a node not in the
    /// graph).
    pub fn affects(&self, node: NodeId) -> Vec<NodeId> {
        self.sorted_ids(self.forward.row(self.inner_of(node)))
    }

    /// The nodes whose failure reaches `node` directly, sorted (empty for a node not in the
    /// graph).
    pub fn affected_by(&self, node: NodeId) -> Vec<NodeId> {
        self.sorted_ids(self.reverse.row(self.inner_of(node)))
    }

    /// For a group: (members, failing members that take it down).
    pub fn group_rule(&self, node: NodeId) -> Option<(u32, u32)> {
        let i = self.inner_of(node) as usize;
        bit(&self.groups, i).then(|| {
            (
                self.members.get(i).copied().unwrap_or(0),
                self.need.get(i).copied().unwrap_or(1),
            )
        })
    }

    /// The cycles of the propagation graph (strongly connected components of more than one
    /// node, or with a self-loop), each sorted, in order of their first node. Real CMDBs have
    /// them; every query stays correct on them.
    pub fn cycles(&self) -> Vec<Vec<NodeId>> {
        let mut out: Vec<Vec<NodeId>> = petgraph::algo::tarjan_scc(&self.forward)
            .into_iter()
            .filter(|scc| {
                scc.len() > 1
                    || scc
                        .first()
                        .is_some_and(|n| self.forward.row(*n).contains(n))
            })
            .map(|scc| {
                let mut v: Vec<NodeId> = scc.into_iter().map(|i| self.outer_of(i)).collect();
                v.sort_unstable();
                v
            })
            .collect();
        out.sort_unstable();
        out
    }
}
