//! The compiled graph: its records, its forward and reverse rows, and the translation
//! between the builder's numbering (the public [`NodeId`]s) and the compiled order.

use std::sync::Arc;

use crate::builder::GraphBuilder;
use crate::error::{Error, NamedIn};
use crate::names::{Names, Strings};
use crate::rows::{NONE, Rows, bit};
use crate::spec::{GraphSpec, NodeKind, NodeSpec, SeverityScale};
use crate::workspace::Bits;

/// A node of a builder or compiled graph: its position in the builder's order (nodes, then
/// groups, as added). Only a [`GraphBuilder`] or a [`Graph`] makes one, so it cannot name a
/// node that does not exist; one from another graph is refused where it is an input
/// ([`Error::UnknownNode`]). It prints as `#` and its index.
///
/// Hosts keep and exchange nodes by their string ids ([`Graph::node`], [`Graph::id`]): a
/// `NodeId` has no `FromStr` and no serde form, since it means something only in its graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    /// The node's position in the builder's order (nodes, then groups, from 0).
    ///
    /// ```
    /// use itsm_graph::{GraphBuilder, NodeKind, NodeSpec, SeverityScale};
    ///
    /// let mut b = GraphBuilder::new(SeverityScale::default());
    /// b.node(&NodeSpec::new("a", NodeKind::ConfigurationItem, "host"))?;
    /// let second = b.node(&NodeSpec::new("b", NodeKind::ConfigurationItem, "host"))?;
    /// assert_eq!(second.index(), 1);
    /// assert_eq!(second.to_string(), "#1");
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One arc along which failure travels ([`Graph::arcs_from`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct FailureArc {
    /// The node the failure reaches.
    pub to: NodeId,
    /// Whether the failure passes on as it is (an edge): the target is down while the
    /// source is, whatever else holds it up.
    pub passes: bool,
    /// For a membership of a redundancy group: what the failing member counts against the
    /// group's threshold (its influence in a group whose members carry one, else 1), in the
    /// units of [`Graph::group_rule`].
    pub counts: Option<u32>,
}

/// A compiled, read-only service dependency graph. Cycles are allowed: every query is a
/// fixpoint, not a tree walk.
///
/// Inside, nodes are renumbered for locality (breadth-first along the arcs); the API speaks
/// only of [`NodeId`]s, the builder's numbering, whatever the compiled order.
#[derive(Debug, Clone)]
pub struct Graph {
    /// The ids, shared with the graph's [`ImpactReport`](crate::ImpactReport)s.
    pub(crate) names: Arc<Names>,
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
    /// One bit per business service (compiled indices): what root causes count as the
    /// other services a candidate takes down, without reading each affected node's kind.
    pub(crate) services: Vec<u64>,
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
    /// One bit per group whose members carry an influence (empty: none does).
    pub(crate) weighted: Vec<u64>,
    /// The influences: ((group << 32) | member, influence), compiled indices, sorted.
    pub(crate) influence: Vec<(u64, u32)>,
}

impl Graph {
    /// Compiles a spec through the same checked builder. Records are checked in order:
    /// relations, nodes and groups (their ids), group members, edges, then the groups'
    /// thresholds and the severity scale; the first bad record is reported.
    ///
    /// ```
    /// use itsm_graph::{
    ///     EdgeSpec, Error, Graph, GraphSpec, GroupSpec, MinUp, NamedIn, NodeKind, NodeSpec,
    ///     Propagation, RelationSpec,
    /// };
    ///
    /// let host = |id| NodeSpec::new(id, NodeKind::ConfigurationItem, "host");
    /// let mut spec = GraphSpec::new(
    ///     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    ///     vec![NodeSpec::new("shop", NodeKind::BusinessService, "service"), host("web-1"), host("web-2"), host("db")],
    ///     vec![GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1))],
    ///     vec![EdgeSpec::new("shop", "web-farm", "depends_on"), EdgeSpec::new("shop", "db", "depends_on")],
    /// );
    /// let graph = Graph::from_spec(&spec)?;
    /// assert_eq!((graph.node_count(), graph.arc_count()), (5, 4));
    ///
    /// // A typo is refused, naming the record.
    /// spec.edges.push(EdgeSpec::new("shop", "dbb", "depends_on"));
    /// let err = Graph::from_spec(&spec).unwrap_err();
    /// assert_eq!(err.to_string(), "edge #2 (shop -> dbb) names unknown node `dbb`; name a declared node or group");
    /// assert!(matches!(err, Error::UnknownNode { named_in: NamedIn::Edge { edge: 2, .. }, .. }));
    /// # Ok::<(), Error>(())
    /// ```
    ///
    /// # Errors
    /// Every [`Error`] of the builder ([`GraphBuilder::relation`], [`GraphBuilder::node`],
    /// [`GraphBuilder::group`], [`GraphBuilder::build`]), plus [`Error::UnknownNode`] (in an
    /// edge or a group's members), [`Error::UnknownRelation`] and [`Error::DuplicateMember`],
    /// each naming the offending record.
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
                let member = b.find(m).ok_or_else(|| Error::UnknownNode {
                    id: m.clone(),
                    named_in: NamedIn::Group {
                        group: g.id.clone(),
                    },
                })?;
                // A member listed twice would silently shrink the group its threshold is
                // computed from (a percentage of 3 listed members taken of 2).
                if !seen.insert(member) {
                    return Err(Error::DuplicateMember {
                        group: g.id.clone(),
                        member: m.clone(),
                    });
                }
                b.member(id, member)?;
            }
            if !g.influence.is_empty() {
                if g.influence.len() != g.members.len() {
                    return Err(Error::InfluenceCount {
                        group: g.id.clone(),
                        members: g.members.len(),
                        influences: g.influence.len(),
                    });
                }
                for (m, w) in g.members.iter().zip(&g.influence) {
                    if let Some(member) = b.find(m) {
                        b.member_with_influence(id, member, *w)?;
                    }
                }
            }
        }
        for (i, e) in spec.edges.iter().enumerate() {
            let named_in = || NamedIn::Edge {
                edge: i,
                from: e.from.clone(),
                to: e.to.clone(),
            };
            let unknown = |id: &str| Error::UnknownNode {
                id: id.to_owned(),
                named_in: named_in(),
            };
            let from = b.find(&e.from).ok_or_else(|| unknown(&e.from))?;
            let to = b.find(&e.to).ok_or_else(|| unknown(&e.to))?;
            let rel = rels
                .iter()
                .find(|(name, _)| *name == e.relation)
                .map(|(_, r)| *r)
                .ok_or_else(|| Error::UnknownRelation {
                    relation: e.relation.clone(),
                    named_in: named_in(),
                    declared: spec.relations.iter().map(|r| r.name.clone()).collect(),
                })?;
            b.edge(from, to, rel)?;
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

    /// Every node, groups included, in the builder's order (a spec's nodes, then its groups).
    pub fn nodes(&self) -> impl DoubleEndedIterator<Item = NodeId> + ExactSizeIterator + '_ {
        // invariant: a graph holds fewer than 2^31 nodes (`TooLarge` past that).
        (0..u32::try_from(self.node_count()).unwrap_or(0)).map(NodeId)
    }

    /// The node at position `index` in the builder's order, if the graph has that many.
    #[inline]
    pub fn node_at(&self, index: usize) -> Option<NodeId> {
        (index < self.node_count())
            .then(|| u32::try_from(index).ok().map(NodeId))
            .flatten()
    }

    /// The node with this id.
    ///
    /// # Errors
    /// [`Error::UnknownNode`], named in [`NamedIn::Query`].
    pub fn node(&self, id: &str) -> Result<NodeId, Error> {
        self.names
            .find(id)
            .map(NodeId)
            .ok_or_else(|| Error::UnknownNode {
                id: id.to_owned(),
                named_in: NamedIn::Query,
            })
    }

    /// A node's id (empty for a [`NodeId`] of another, larger graph: the getters that take a
    /// `NodeId` answer "nothing" for one they do not know, see [`Graph::kind`]).
    pub fn id(&self, node: NodeId) -> &str {
        self.names.get(node.0)
    }

    /// A node's kind; `None` for a [`NodeId`] of another, larger graph.
    pub fn kind(&self, node: NodeId) -> Option<NodeKind> {
        self.kind.get(node.0 as usize).copied()
    }

    /// A node's record, rebuilt from the compact form (a group's as a node of kind
    /// [`NodeKind::Group`] and class `redundancy_group`); `None` for a [`NodeId`] of another,
    /// larger graph.
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
            // invariant: every node has a class (interned by the builder, or refused).
            class: text(&self.class).unwrap_or_default(),
            tier: self.tier.get(i).copied().unwrap_or(0),
            owner: text(&self.owner),
            supplier: text(&self.supplier),
            location: text(&self.location),
        })
    }

    /// A node's location (a site, a data centre), without rebuilding its record; `None` for a
    /// node without one or not in the graph.
    pub fn location(&self, node: NodeId) -> Option<&str> {
        self.location
            .get(node.0 as usize)
            .copied()
            .filter(|s| *s != NONE)
            .map(|s| self.strings.names.get(s))
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

    /// The arcs along which a failure of `node` travels, each saying how (see
    /// [`FailureArc`]). Unsorted and without allocating, for walks over millions of nodes;
    /// empty for a node not in the graph.
    pub fn arcs_from(&self, node: NodeId) -> impl ExactSizeIterator<Item = FailureArc> + '_ {
        let u = self.inner_of(node);
        let (lo, hi) = self.forward.range(u);
        let targets = self.forward.cols.get(lo..hi).unwrap_or(&[]);
        let arc_bits = self.bits.get(lo..hi).unwrap_or(&[]);
        targets.iter().enumerate().map(move |(k, &v)| {
            let w = arc_bits.get(k).copied().unwrap_or(crate::builder::ARC_EDGE);
            let member = w & crate::builder::ARC_MEMBER != 0 && bit(&self.groups, v as usize);
            FailureArc {
                to: self.outer_of(v),
                passes: w & crate::builder::ARC_EDGE != 0 || !member,
                counts: member.then(|| self.weight(u, v)),
            }
        })
    }

    /// The nodes whose failure reaches `node` directly, as [`Graph::affected_by`] gives them
    /// but unsorted and without allocating; empty for a node not in the graph.
    pub fn affected_by_unsorted(&self, node: NodeId) -> impl ExactSizeIterator<Item = NodeId> + '_ {
        self.reverse
            .row(self.inner_of(node))
            .iter()
            .map(|&v| self.outer_of(v))
    }

    /// For a group: (members, failing members that take it down), both in influence for a
    /// group whose members carry one (total influence, failed influence that takes it down);
    /// `None` for a node that is not a group.
    pub fn group_rule(&self, node: NodeId) -> Option<(u32, u32)> {
        let i = self.inner_of(node) as usize;
        bit(&self.groups, i).then(|| {
            (
                self.members.get(i).copied().unwrap_or(0),
                self.need.get(i).copied().unwrap_or(1),
            )
        })
    }

    /// `starts` (compiled indices) and every node their failure reaches along any arc,
    /// whatever the redundancy: what a node in maintenance puts in maintenance under
    /// [`MaintenanceRule::HidesParents`](crate::MaintenanceRule::HidesParents). One
    /// breadth-first walk with its own queue, O(what it reaches and their arcs).
    pub(crate) fn reach(&self, starts: &[u32]) -> Vec<u32> {
        let n = self.node_count();
        let mut seen = vec![0u64; n.div_ceil(64)];
        let mut out: Vec<u32> = Vec::with_capacity(starts.len());
        for &s in starts {
            if (s as usize) < n && !bit(&seen, s as usize) {
                crate::rows::set_bit(&mut seen, s as usize);
                out.push(s);
            }
        }
        let mut head = 0;
        while let Some(&u) = out.get(head) {
            head += 1;
            for &v in self.forward.row(u) {
                if !bit(&seen, v as usize) {
                    crate::rows::set_bit(&mut seen, v as usize);
                    out.push(v);
                }
            }
        }
        out
    }

    /// What the failure of member `member` counts against group `group` (compiled
    /// indices): its influence in a group with influences, else 1.
    #[inline]
    pub(crate) fn weight(&self, member: u32, group: u32) -> u32 {
        if self.weighted.is_empty() || !bit(&self.weighted, group as usize) {
            1
        } else {
            crate::builder::forward_weight(&self.influence, group, member).unwrap_or(1)
        }
    }

    /// Whether `group` (compiled index) counts its members' influence.
    #[inline]
    pub(crate) fn is_weighted(&self, group: u32) -> bool {
        !self.weighted.is_empty() && bit(&self.weighted, group as usize)
    }

    /// The nodes of `scc` (compiled indices) as node ids, sorted: by a sort for a small
    /// component, by a sweep of a bitmap for one of more than a 64th of the graph (linear
    /// where a sort of a million ids is not).
    fn sorted_members(&self, scc: &[u32]) -> Vec<NodeId> {
        let n = self.node_count();
        if scc.len() <= n / 64 {
            let mut v: Vec<NodeId> = scc.iter().map(|i| self.outer_of(*i)).collect();
            v.sort_unstable();
            return v;
        }
        let mut marks = vec![0u64; n.div_ceil(64)];
        for &i in scc {
            let o = self.outer_of(i).0 as usize;
            if o < n {
                crate::rows::set_bit(&mut marks, o);
            }
        }
        let mut v = Vec::with_capacity(scc.len());
        for (w, &word) in marks.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let o = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                v.push(NodeId(u32::try_from(o).unwrap_or(NONE)));
            }
        }
        v
    }

    /// The cycles of the propagation graph (strongly connected components of more than one
    /// node, or with a self-loop), each sorted, in order of their first node. Real CMDBs have
    /// them; every query stays correct on them. O(n + m), without recursion (Tarjan's
    /// algorithm with an explicit stack), so a chain of millions of nodes is no deeper for
    /// the thread's stack than a chain of three.
    pub fn cycles(&self) -> Vec<Vec<NodeId>> {
        let mut out: Vec<Vec<NodeId>> = Vec::new();
        let n = u32::try_from(self.node_count()).unwrap_or(0);
        crate::scc::components(&self.forward, 0..n, |scc| {
            let cyclic = scc.len() > 1
                || scc
                    .first()
                    .is_some_and(|v| self.forward.row(*v).contains(v));
            if cyclic {
                out.push(self.sorted_members(scc));
            }
        });
        out.sort_unstable();
        out
    }
}
