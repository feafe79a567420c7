//! The compiled graph, the builder, and the impact fixpoint.

use std::hash::{BuildHasher, Hasher};

use petgraph::csr::Csr;

use crate::error::Error;
use crate::spec::{GraphSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec, SeverityScale};

/// A node of a compiled graph (its position in the builder's order: nodes, then groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NodeId(pub u32);

/// A relationship type of a builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RelationId(u32);

const NONE: u32 = u32::MAX;
const FLAG_GROUP: u8 = 1;

/// An arc's weight says why failure travels along it: a group membership (the failure counts
/// against the group's threshold), an edge (the failure passes on as it is), or both.
const ARC_MEMBER: u8 = 1;
const ARC_EDGE: u8 = 2;

/// The compact propagation graph; the weight of an arc is its `ARC_*` bits.
type Arcs = Csr<(), u8, petgraph::Directed, u32>;

/// A small, fast, deterministic string hasher (FNV-1a over 8-byte words) for the id index.
#[derive(Default, Clone, Copy)]
struct IdHash;

struct IdHasher(u64);

impl BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = 0u64;
            for (i, b) in chunk.iter().enumerate() {
                word |= u64::from(*b) << (8 * i);
            }
            self.0 = (self.0 ^ word)
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(29);
        }
    }
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// Ids in one buffer, with an open-addressing index: a few bytes per node instead of two
/// `String`s.
#[derive(Debug, Clone, Default)]
struct Names {
    buf: String,
    ends: Vec<u32>,
    slots: Vec<u32>,
}

impl Names {
    fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0) as usize,
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.buf.get(start..end).unwrap_or("")
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn hash(id: &str) -> usize {
        let mut h = IdHash.build_hasher();
        h.write(id.as_bytes());
        h.finish() as usize
    }

    fn find(&self, id: &str) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = Self::hash(id) & mask;
        loop {
            match self.slots.get(at).copied() {
                Some(NONE) | None => return None,
                Some(i) if self.get(i) == id => return Some(i),
                Some(_) => at = (at + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let want = (self.len() * 2 + 2).next_power_of_two().max(16);
        if self.slots.len() >= want {
            return;
        }
        self.slots = vec![NONE; want];
        let mask = want - 1;
        for i in 0..self.len() {
            let Ok(i) = u32::try_from(i) else { break };
            let mut at = Self::hash(self.get(i)) & mask;
            while self.slots.get(at).is_some_and(|s| *s != NONE) {
                at = (at + 1) & mask;
            }
            if let Some(slot) = self.slots.get_mut(at) {
                *slot = i;
            }
        }
    }

    /// Adds an id; `Err(existing)` when it is there already.
    fn insert(&mut self, id: &str) -> Result<u32, u32> {
        if let Some(i) = self.find(id) {
            return Err(i);
        }
        let i = u32::try_from(self.len()).map_err(|_| NONE)?;
        self.buf.push_str(id);
        self.ends
            .push(u32::try_from(self.buf.len()).map_err(|_| NONE)?);
        if self.slots.len() < self.len() * 2 {
            self.grow();
        } else {
            let mask = self.slots.len() - 1;
            let mut at = Self::hash(id) & mask;
            while self.slots.get(at).is_some_and(|s| *s != NONE) {
                at = (at + 1) & mask;
            }
            if let Some(slot) = self.slots.get_mut(at) {
                *slot = i;
            }
        }
        Ok(i)
    }
}

/// Interned attribute strings (classes, owners, suppliers, locations).
#[derive(Debug, Clone, Default)]
struct Strings {
    names: Names,
}

impl Strings {
    fn intern(&mut self, s: &str) -> u32 {
        match self.names.insert(s) {
            Ok(i) | Err(i) => i,
        }
    }
    fn opt(&mut self, s: Option<&String>) -> u32 {
        s.map_or(NONE, |s| self.intern(s))
    }
}

/// Builds a [`Graph`] node by node and edge by edge, with ids checked as they come. The
/// only way to a graph: [`Graph::from_spec`] uses it too.
#[derive(Debug, Clone)]
pub struct GraphBuilder {
    names: Names,
    strings: Strings,
    kind: Vec<NodeKind>,
    tier: Vec<u8>,
    class: Vec<u32>,
    owner: Vec<u32>,
    supplier: Vec<u32>,
    location: Vec<u32>,
    min_up: Vec<Option<MinUp>>,
    relations: Vec<RelationSpec>,
    arcs: Vec<(u32, u32, u8)>,
    severity: SeverityScale,
}

impl GraphBuilder {
    /// An empty builder.
    pub fn new(severity: SeverityScale) -> Self {
        GraphBuilder {
            names: Names::default(),
            strings: Strings::default(),
            kind: Vec::new(),
            tier: Vec::new(),
            class: Vec::new(),
            owner: Vec::new(),
            supplier: Vec::new(),
            location: Vec::new(),
            min_up: Vec::new(),
            relations: Vec::new(),
            arcs: Vec::new(),
            severity,
        }
    }

    /// Room for this many nodes and edges.
    pub fn reserve(&mut self, nodes: usize, edges: usize) {
        self.kind.reserve(nodes);
        self.tier.reserve(nodes);
        self.class.reserve(nodes);
        self.owner.reserve(nodes);
        self.supplier.reserve(nodes);
        self.location.reserve(nodes);
        self.min_up.reserve(nodes);
        self.arcs.reserve(edges);
    }

    /// Declares a relationship type.
    ///
    /// # Errors
    /// [`Error::DuplicateRelation`].
    pub fn relation(&mut self, spec: RelationSpec) -> Result<RelationId, Error> {
        if self.relations.iter().any(|r| r.name == spec.name) {
            return Err(Error::DuplicateRelation { name: spec.name });
        }
        let id = RelationId(u32::try_from(self.relations.len()).unwrap_or(NONE));
        self.relations.push(spec);
        Ok(id)
    }

    fn push(&mut self, id: &str, kind: NodeKind) -> Result<u32, Error> {
        let n = self.names.len();
        match self.names.insert(id) {
            Ok(i) => {
                self.kind.push(kind);
                Ok(i)
            }
            Err(NONE) => Err(Error::TooLarge {
                what: "nodes",
                count: n,
                max: NONE as usize,
            }),
            Err(first) => Err(Error::DuplicateId {
                id: id.to_owned(),
                first: first as usize,
                second: n,
            }),
        }
    }

    /// Adds a node.
    ///
    /// # Errors
    /// [`Error::DuplicateId`]; [`Error::TooLarge`] past 2^32 - 1 nodes.
    pub fn node(&mut self, spec: &NodeSpec) -> Result<NodeId, Error> {
        let i = self.push(&spec.id, spec.kind)?;
        self.tier.push(spec.tier);
        self.class.push(self.strings.intern(&spec.class));
        self.owner.push(self.strings.opt(spec.owner.as_ref()));
        self.supplier.push(self.strings.opt(spec.supplier.as_ref()));
        self.location.push(self.strings.opt(spec.location.as_ref()));
        self.min_up.push(None);
        Ok(NodeId(i))
    }

    /// Adds a redundancy group (members come with [`GraphBuilder::member`]).
    ///
    /// # Errors
    /// [`Error::DuplicateId`]; [`Error::TooLarge`].
    pub fn group(&mut self, id: &str, min_up: MinUp) -> Result<NodeId, Error> {
        let i = self.push(id, NodeKind::Group)?;
        self.tier.push(0);
        let class = self.strings.intern("redundancy_group");
        self.class.push(class);
        self.owner.push(NONE);
        self.supplier.push(NONE);
        self.location.push(NONE);
        self.min_up.push(Some(min_up));
        Ok(NodeId(i))
    }

    /// Makes `member` a member of `group`: its failure counts against the group. A member
    /// added twice counts once ([`Graph::from_spec`] refuses duplicates in a spec).
    pub fn member(&mut self, group: NodeId, member: NodeId) {
        self.arcs.push((member.0, group.0, ARC_MEMBER));
    }

    /// Adds an edge `from -> to` of a relationship type.
    pub fn edge(&mut self, from: NodeId, to: NodeId, relation: RelationId) {
        let propagation = self
            .relations
            .get(relation.0 as usize)
            .map_or(Propagation::ToFrom, |r| r.propagation);
        // An edge into a group is an ordinary input (the group fails with what it depends
        // on); it never makes the other end a member.
        match propagation {
            Propagation::ToFrom => self.arcs.push((to.0, from.0, ARC_EDGE)),
            Propagation::FromTo => self.arcs.push((from.0, to.0, ARC_EDGE)),
            Propagation::Both => {
                self.arcs.push((to.0, from.0, ARC_EDGE));
                self.arcs.push((from.0, to.0, ARC_EDGE));
            }
        }
    }

    /// The node with id `id`, if added.
    pub fn find(&self, id: &str) -> Option<NodeId> {
        self.names.find(id).map(NodeId)
    }

    /// Compiles the graph: arcs sorted into petgraph CSRs (forward and reverse), groups'
    /// thresholds computed from their member counts.
    ///
    /// # Errors
    /// [`Error::EmptyGroup`], [`Error::GroupThreshold`], [`Error::SeverityScale`],
    /// [`Error::TooLarge`].
    pub fn build(self) -> Result<Graph, Error> {
        let GraphBuilder {
            names,
            strings,
            kind,
            tier,
            class,
            owner,
            supplier,
            location,
            min_up,
            relations: _,
            mut arcs,
            severity,
        } = self;
        let n = names.len();
        let levels = severity.levels.len();
        if levels == 0
            || levels > 250
            || severity.group_holding == 0
            || usize::from(severity.group_holding) > levels
        {
            return Err(Error::SeverityScale {
                reason: format!(
                    "{levels} levels with groups holding at level {}; give 1 to 250 levels and a holding level among them",
                    severity.group_holding
                ),
            });
        }
        let node_count = u32::try_from(n).map_err(|_| Error::TooLarge {
            what: "nodes",
            count: n,
            max: NONE as usize,
        })?;
        arcs.retain(|(a, b, _)| *a < node_count && *b < node_count);
        arcs.sort_unstable();
        merge(&mut arcs);
        let forward = csr(&arcs, n)?;
        // Only memberships count: an edge into a group is not a member of it.
        let mut members = vec![0u32; n];
        for (_, b, w) in &arcs {
            if let Some(m) = members.get_mut(*b as usize).filter(|_| w & ARC_MEMBER != 0) {
                *m += 1;
            }
        }
        for (a, b, _) in &mut arcs {
            std::mem::swap(a, b);
        }
        arcs.sort_unstable();
        let reverse = csr(&arcs, n)?;
        drop(arcs);
        let mut flags = vec![0u8; n];
        let mut need = vec![1u32; n];
        for (i, rule) in min_up.iter().enumerate() {
            let Some(rule) = rule else { continue };
            let m = members.get(i).copied().unwrap_or(0);
            let group = || names.get(u32::try_from(i).unwrap_or(NONE)).to_owned();
            if m == 0 {
                return Err(Error::EmptyGroup { group: group() });
            }
            // Rounded up, in 64 bits (a percentage of a group of millions overflows 32); a
            // percentage over 100 needs more members than the group has, so it is refused.
            let k = match *rule {
                MinUp::Count(k) => k,
                MinUp::Percent(p) => {
                    u32::try_from((u64::from(m) * u64::from(p)).div_ceil(100)).unwrap_or(u32::MAX)
                }
            };
            if k > m {
                return Err(Error::GroupThreshold {
                    group: group(),
                    min_up: k,
                    members: m,
                });
            }
            if let (Some(f), Some(t)) = (flags.get_mut(i), need.get_mut(i)) {
                *f |= FLAG_GROUP;
                *t = m - k + 1;
            }
        }
        Ok(Graph {
            names,
            strings,
            kind,
            tier,
            class,
            owner,
            supplier,
            location,
            members,
            need,
            flags,
            forward,
            reverse,
            outage: u8::try_from(levels).unwrap_or(u8::MAX),
            severity,
        })
    }
}

/// Merges sorted arcs between the same two nodes into one, with the union of their bits.
fn merge(arcs: &mut Vec<(u32, u32, u8)>) {
    arcs.dedup_by(|next, kept| {
        let same = (next.0, next.1) == (kept.0, kept.1);
        if same {
            kept.2 |= next.2;
        }
        same
    });
}

fn csr(arcs: &[(u32, u32, u8)], n: usize) -> Result<Arcs, Error> {
    let mut g: Arcs = Csr::from_sorted_edges(arcs).map_err(|_| Error::TooLarge {
        what: "edges (unsorted)",
        count: arcs.len(),
        max: 0,
    })?;
    while g.node_count() < n {
        g.add_node(());
    }
    Ok(g)
}

/// A compiled, read-only service dependency graph. Cycles are allowed: every query is a
/// fixpoint, not a tree walk.
#[derive(Debug, Clone)]
pub struct Graph {
    names: Names,
    strings: Strings,
    kind: Vec<NodeKind>,
    tier: Vec<u8>,
    class: Vec<u32>,
    owner: Vec<u32>,
    supplier: Vec<u32>,
    location: Vec<u32>,
    /// For a group, its member count (membership arcs in; edges into it are not members).
    members: Vec<u32>,
    /// For a group: failing members that take it down; else 1.
    need: Vec<u32>,
    flags: Vec<u8>,
    forward: Arcs,
    reverse: Arcs,
    outage: u8,
    severity: SeverityScale,
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
        self.forward.edge_count()
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

    /// The nodes a failure of `node` reaches directly.
    pub fn affects(&self, node: NodeId) -> &[u32] {
        if (node.0 as usize) < self.forward.node_count() {
            self.forward.neighbors_slice(node.0)
        } else {
            &[]
        }
    }

    /// The nodes whose failure reaches `node` directly.
    pub fn affected_by(&self, node: NodeId) -> &[u32] {
        if (node.0 as usize) < self.reverse.node_count() {
            self.reverse.neighbors_slice(node.0)
        } else {
            &[]
        }
    }

    /// For a group: (members, failing members that take it down).
    pub fn group_rule(&self, node: NodeId) -> Option<(u32, u32)> {
        let i = node.0 as usize;
        (self.flags.get(i).copied().unwrap_or(0) & FLAG_GROUP != 0).then(|| {
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
                        .is_some_and(|n| self.forward.neighbors_slice(*n).contains(n))
            })
            .map(|scc| {
                let mut v: Vec<NodeId> = scc.into_iter().map(NodeId).collect();
                v.sort_unstable();
                v
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// A reusable workspace for impact queries on this graph (no allocation per query).
    pub fn workspace(&self) -> Workspace<'_> {
        let n = self.node_count();
        Workspace {
            graph: self,
            sev: vec![0; n],
            pred: vec![NONE; n],
            gmax: vec![0; n],
            down: vec![0; n],
            mark: vec![0; n],
            touched: Vec::new(),
            queue: Vec::new(),
        }
    }
}

const MARK_TOUCHED: u8 = 1;
const MARK_QUEUED: u8 = 2;
const MARK_MASKED: u8 = 4;

/// Scratch space for impact queries: dense arrays reset sparsely, so a thousand small
/// queries on a million-node graph cost what they touch.
#[derive(Debug, Clone)]
pub struct Workspace<'g> {
    graph: &'g Graph,
    sev: Vec<u8>,
    pred: Vec<u32>,
    gmax: Vec<u8>,
    down: Vec<u32>,
    mark: Vec<u8>,
    touched: Vec<u32>,
    queue: Vec<u32>,
}

impl<'g> Workspace<'g> {
    fn reset(&mut self) {
        for &t in &self.touched {
            let i = t as usize;
            if let (Some(s), Some(p), Some(g), Some(d), Some(m)) = (
                self.sev.get_mut(i),
                self.pred.get_mut(i),
                self.gmax.get_mut(i),
                self.down.get_mut(i),
                self.mark.get_mut(i),
            ) {
                *s = 0;
                *p = NONE;
                *g = 0;
                *d = 0;
                *m = 0;
            }
        }
        self.touched.clear();
        self.queue.clear();
    }

    #[inline]
    fn touch(&mut self, v: usize) {
        if let Some(m) = self.mark.get_mut(v) {
            if *m & MARK_TOUCHED == 0 {
                *m |= MARK_TOUCHED;
                self.touched.push(v as u32);
            }
        }
    }

    /// Runs the impact fixpoint for `seeds` (each with a severity level), with the nodes of
    /// `maintenance` left out (they neither fail nor pass failure on, as ServiceNow leaves out
    /// CIs in a maintenance window and what depends on them only through them).
    ///
    /// # Errors
    /// [`Error::NoSuchSeverity`] for a level outside the scale.
    pub fn run(
        &mut self,
        seeds: &[(NodeId, u8)],
        maintenance: &[NodeId],
    ) -> Result<ImpactView<'_, 'g>, Error> {
        self.reset();
        let g = self.graph;
        let outage = g.outage;
        let holding = g.severity.group_holding;
        // Masks live in the mark array for the duration of the query (reset with it).
        for m in maintenance {
            self.touch(m.0 as usize);
            if let Some(mark) = self.mark.get_mut(m.0 as usize) {
                *mark |= MARK_MASKED;
            }
        }
        for &(node, level) in seeds {
            if level == 0 || level > outage {
                return Err(Error::NoSuchSeverity { level, max: outage });
            }
            let i = node.0 as usize;
            if self.mark.get(i).is_none_or(|m| m & (MARK_MASKED) != 0) {
                continue;
            }
            if self.sev.get(i).is_some_and(|s| *s < level) {
                self.touch(i);
                if let (Some(s), Some(p)) = (self.sev.get_mut(i), self.pred.get_mut(i)) {
                    *s = level;
                    *p = node.0;
                }
                if let Some(m) = self.mark.get_mut(i) {
                    if *m & MARK_QUEUED == 0 {
                        *m |= MARK_QUEUED;
                        self.queue.push(node.0);
                    }
                }
            }
        }
        let mut head = 0;
        while let Some(&u) = self.queue.get(head) {
            head += 1;
            let ui = u as usize;
            if let Some(m) = self.mark.get_mut(ui) {
                *m &= !MARK_QUEUED;
            }
            let s = self.sev.get(ui).copied().unwrap_or(0);
            let arcs = g
                .forward
                .neighbors_slice(u)
                .iter()
                .zip(g.forward.edges_slice(u));
            for (&v, &arc) in arcs {
                let vi = v as usize;
                let mark = self.mark.get(vi).copied().unwrap_or(0);
                if mark & (MARK_MASKED) != 0 {
                    continue;
                }
                let flags = g.flags.get(vi).copied().unwrap_or(0);
                // Through an edge, the failure passes on as it is (and so it does through a
                // builder's membership in a node that is not a group).
                let mut new = if arc & ARC_EDGE != 0 || flags & FLAG_GROUP == 0 {
                    s
                } else {
                    0
                };
                if arc & ARC_MEMBER != 0 && flags & FLAG_GROUP != 0 {
                    if mark & MARK_TOUCHED == 0 {
                        self.touch(vi);
                    }
                    let (Some(d), Some(gm)) = (self.down.get_mut(vi), self.gmax.get_mut(vi)) else {
                        continue;
                    };
                    // A member is dequeued at the outage level at most once (nothing rises
                    // above it), so each failed member is counted once.
                    if s == outage {
                        *d += 1;
                    }
                    *gm = (*gm).max(s);
                    let rule = if *d >= g.need.get(vi).copied().unwrap_or(1) {
                        outage
                    } else {
                        holding.min(*gm)
                    };
                    new = new.max(rule);
                }
                if let Some(cur) = self.sev.get_mut(vi) {
                    if new > *cur {
                        *cur = new;
                        if let Some(p) = self.pred.get_mut(vi) {
                            *p = u;
                        }
                        let m = self.mark.get_mut(vi);
                        if let Some(m) = m {
                            let fresh = *m & MARK_TOUCHED == 0;
                            let queued = *m & MARK_QUEUED != 0;
                            *m |= MARK_TOUCHED | MARK_QUEUED;
                            if fresh {
                                self.touched.push(v);
                            }
                            if !queued {
                                self.queue.push(v);
                            }
                        }
                    }
                }
            }
        }
        Ok(ImpactView { ws: self })
    }
}

/// The result of [`Workspace::run`], borrowed from the workspace until the next query.
#[derive(Debug)]
pub struct ImpactView<'w, 'g> {
    ws: &'w Workspace<'g>,
}

impl ImpactView<'_, '_> {
    /// Affected nodes (severity at least 1) in discovery order, seeds included.
    pub fn affected(&self) -> impl Iterator<Item = (NodeId, u8)> + '_ {
        self.ws.touched.iter().filter_map(|t| {
            self.ws
                .sev
                .get(*t as usize)
                .filter(|s| **s > 0)
                .map(|s| (NodeId(*t), *s))
        })
    }

    /// How many nodes are affected.
    pub fn count(&self) -> usize {
        self.affected().count()
    }

    /// The severity of `node` (0: unaffected).
    pub fn severity(&self, node: NodeId) -> u8 {
        self.ws.sev.get(node.0 as usize).copied().unwrap_or(0)
    }

    /// The node whose failure raised `node` to its severity (itself for a seed).
    pub fn via(&self, node: NodeId) -> Option<NodeId> {
        self.ws
            .pred
            .get(node.0 as usize)
            .copied()
            .filter(|p| *p != NONE)
            .map(NodeId)
    }

    /// For a group: members failed (at outage) so far.
    pub fn failed_members(&self, node: NodeId) -> u32 {
        self.ws.down.get(node.0 as usize).copied().unwrap_or(0)
    }
}
