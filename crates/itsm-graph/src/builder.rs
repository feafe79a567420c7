//! The builder: nodes, groups, memberships and edges collected column by column, checked
//! and compiled into a [`Graph`] by [`GraphBuilder::build`].

use crate::error::{Error, NamedIn};
use crate::graph::{Graph, NodeId};
use crate::names::{Names, Strings};
use crate::rows::{NONE, Rows, bit, locality_order, set_bit};
use crate::spec::{MinUp, NodeKind, NodeSpec, Propagation, RelationSpec, SeverityScale};
use crate::workspace::{Bits, MAX_NODES};

/// A relationship type of a builder, made by [`GraphBuilder::relation`]. It prints as `#`
/// and its position among the builder's relations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RelationId(u32);

impl std::fmt::Display for RelationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Levels a severity scale may have: a severity is a byte, and the workspace keeps the bits
/// above 250 free.
const MAX_LEVELS: usize = 250;

/// An arc's weight says why failure travels along it: a group membership (the failure counts
/// against the group's threshold), an edge (the failure passes on as it is), or both.
pub(crate) const ARC_MEMBER: u8 = 1;
pub(crate) const ARC_EDGE: u8 = 2;

/// Arcs as the builder collects them, one column per field (9 bytes an arc).
#[derive(Debug, Clone, Default)]
pub(crate) struct ArcList {
    pub(crate) from: Vec<u32>,
    pub(crate) to: Vec<u32>,
    pub(crate) bits: Vec<u8>,
}

impl ArcList {
    fn push(&mut self, from: u32, to: u32, bits: u8) {
        self.from.push(from);
        self.to.push(to);
        self.bits.push(bits);
    }

    fn reserve(&mut self, more: usize) {
        self.from.reserve(more);
        self.to.reserve(more);
        self.bits.reserve(more);
    }
}

/// Builds a [`Graph`] node by node and edge by edge, its ids checked in bulk. The
/// only way to a graph: [`Graph::from_spec`] uses it too. For graphs too large to hold as a
/// [`GraphSpec`](crate::GraphSpec) first (a loader streaming millions of records).
///
/// ```
/// use itsm_graph::{GraphBuilder, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec, SeverityScale};
///
/// let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
/// let depends_on = b.relation(RelationSpec::new("depends_on", Propagation::ToFrom))?;
/// let shop = b.node(&NodeSpec::new("shop", NodeKind::BusinessService, "service"))?;
/// let web_1 = b.node(&NodeSpec::new("web-1", NodeKind::ConfigurationItem, "host"))?;
/// let web_2 = b.node(&NodeSpec::new("web-2", NodeKind::ConfigurationItem, "host"))?;
/// let farm = b.group("web-farm", MinUp::Count(1))?;
/// b.member(farm, web_1)?;
/// b.member(farm, web_2)?;
/// b.edge(shop, farm, depends_on)?;
/// let graph = b.build()?;
///
/// // Both web servers down: the farm fails, and the shop with it.
/// let mut ws = graph.workspace();
/// let view = ws.run(&[(web_1, 2), (web_2, 2)], &[])?;
/// assert_eq!(view.severity(shop), 2);
/// # Ok::<(), itsm_graph::Error>(())
/// ```
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
    /// One bit per node made by [`GraphBuilder::group`]: what `member` checks its group
    /// against (a bitmap stays in cache where `min_up` would not).
    group_bits: Vec<u64>,
    relations: Vec<RelationSpec>,
    arcs: ArcList,
    severity: SeverityScale,
    /// Memberships with an influence: (group, member, influence), builder's ids.
    influences: Vec<(u32, u32, u32)>,
}

impl GraphBuilder {
    /// An empty builder whose graph will use the severity scale `severity` (checked by
    /// [`GraphBuilder::build`]).
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
            group_bits: Vec::new(),
            influences: Vec::new(),
            relations: Vec::new(),
            arcs: ArcList::default(),
            severity,
        }
    }

    /// Room for this many nodes and edges.
    pub fn reserve(&mut self, nodes: usize, edges: usize) {
        self.names.reserve(nodes);
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
    /// [`Error::DuplicateRelation`]; [`Error::TooLarge`] past 2^32 - 1 relations.
    pub fn relation(&mut self, spec: RelationSpec) -> Result<RelationId, Error> {
        if self.relations.iter().any(|r| r.name == spec.name) {
            return Err(Error::DuplicateRelation { name: spec.name });
        }
        let count = self.relations.len();
        let id = u32::try_from(count)
            .ok()
            .filter(|i| *i != NONE)
            .ok_or(Error::TooLarge {
                what: "relations",
                count,
                max: NONE as usize,
            })?;
        self.relations.push(spec);
        Ok(RelationId(id))
    }

    fn push(&mut self, id: &str, kind: NodeKind) -> Result<u32, Error> {
        let n = self.names.len();
        if n >= MAX_NODES {
            return Err(Error::TooLarge {
                what: "nodes",
                count: n + 1,
                max: MAX_NODES,
            });
        }
        let bytes = self.names.bytes().saturating_add(id.len());
        let i = self.names.push(id).ok_or(Error::TooLarge {
            what: "bytes of ids",
            count: bytes,
            max: NONE as usize,
        })?;
        self.kind.push(kind);
        Ok(i)
    }

    /// Checks that no id is used twice so far (ids are checked in bulk: here, at the first
    /// [`GraphBuilder::find`] after new nodes, and at [`GraphBuilder::build`]).
    ///
    /// # Errors
    /// [`Error::DuplicateId`], naming the earliest repeat and the record it repeats.
    pub fn check_ids(&mut self) -> Result<(), Error> {
        self.names.index();
        match self.names.repeat {
            None => Ok(()),
            Some((first, second)) => Err(Error::DuplicateId {
                id: self.names.get(second).to_owned(),
                first: first as usize,
                second: second as usize,
            }),
        }
    }

    /// Adds a node. Its id is checked against the others in bulk, later
    /// ([`GraphBuilder::check_ids`]): ids indexed together are spread by slot region first,
    /// so the index is written one region at a time instead of at a random slot per id.
    ///
    /// # Errors
    /// [`Error::InvalidNodeKind`] for a node of kind [`NodeKind::Group`] (groups come from
    /// [`GraphBuilder::group`]); [`Error::TooLarge`] past 2^31 - 1 nodes (groups included),
    /// or past 4 GiB of ids or of attribute texts.
    pub fn node(&mut self, spec: &NodeSpec) -> Result<NodeId, Error> {
        if spec.kind == NodeKind::Group {
            return Err(Error::InvalidNodeKind {
                id: spec.id.clone(),
            });
        }
        // The texts first: a refusal leaves the columns as they were.
        let strings = &mut self.strings;
        let texts = strings.intern(&spec.class).and_then(|class| {
            let owner = strings.opt(spec.owner.as_ref())?;
            let supplier = strings.opt(spec.supplier.as_ref())?;
            Some((class, owner, supplier, strings.opt(spec.location.as_ref())?))
        });
        let Some((class, owner, supplier, location)) = texts else {
            return Err(self.strings.full());
        };
        let i = self.push(&spec.id, spec.kind)?;
        self.tier.push(spec.tier);
        self.class.push(class);
        self.owner.push(owner);
        self.supplier.push(supplier);
        self.location.push(location);
        self.min_up.push(None);
        Ok(NodeId(i))
    }

    /// Adds a redundancy group (members come with [`GraphBuilder::member`]); its id is
    /// checked like a node's.
    ///
    /// # Errors
    /// [`Error::TooLarge`], as for [`GraphBuilder::node`].
    pub fn group(&mut self, id: &str, min_up: MinUp) -> Result<NodeId, Error> {
        let Some(class) = self.strings.intern("redundancy_group") else {
            return Err(self.strings.full());
        };
        let i = self.push(id, NodeKind::Group)?;
        self.tier.push(0);
        self.class.push(class);
        self.owner.push(NONE);
        self.supplier.push(NONE);
        self.location.push(NONE);
        self.min_up.push(Some(min_up));
        let at = i as usize;
        if self.group_bits.len() <= at / 64 {
            self.group_bits.resize(at / 64 + 1, 0);
        }
        set_bit(&mut self.group_bits, at);
        Ok(NodeId(i))
    }

    /// Makes `member` a member of `group`: its failure counts against the group. Membership
    /// is a set: a member added twice counts once ([`Graph::from_spec`] refuses a member
    /// listed twice in a spec, where it is a typo).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for a [`NodeId`] this builder did not make;
    /// [`Error::UnknownGroup`] when `group` is not a group made by [`GraphBuilder::group`].
    pub fn member(&mut self, group: NodeId, member: NodeId) -> Result<(), Error> {
        let n = self.kind.len();
        if group.index() < n && member.index() < n && bit(&self.group_bits, group.index()) {
            self.arcs.push(member.0, group.0, ARC_MEMBER);
            Ok(())
        } else {
            Err(self.refused_member(group, member))
        }
    }

    /// Makes `member` a member of `group` with an influence (ServiceNow's cluster member
    /// influence): the group counts its members' influence rather than their number. A group
    /// with one member added this way counts influence for all (a member added with
    /// [`GraphBuilder::member`] has influence 1); its `min_up` is then influence that must be
    /// up: `Count(k)` units, or `Percent(p)` of the total, rounded up. ServiceNow's "the
    /// cluster is down when its failed members' influence reaches T" is
    /// `Count(total - T + 1)` ([`GroupSpec::with_influence`](crate::GroupSpec::with_influence)
    /// computes it).
    ///
    /// # Errors
    /// As [`GraphBuilder::member`].
    pub fn member_with_influence(
        &mut self,
        group: NodeId,
        member: NodeId,
        influence: u32,
    ) -> Result<(), Error> {
        self.member(group, member)?;
        self.influences.push((group.0, member.0, influence));
        Ok(())
    }

    /// Why [`GraphBuilder::member`] refused `member` of `group`. Out of line: loaders call
    /// `member` millions of times, and its checks are a few comparisons.
    #[cold]
    #[inline(never)]
    fn refused_member(&self, group: NodeId, member: NodeId) -> Error {
        let n = self.kind.len();
        match [group, member].into_iter().find(|node| node.index() >= n) {
            Some(unknown) => Error::UnknownNode {
                id: unknown.to_string(),
                named_in: NamedIn::Builder,
            },
            None => Error::UnknownGroup {
                id: self.names.get(group.0).to_owned(),
                member: self.names.get(member.0).to_owned(),
            },
        }
    }

    /// Adds an edge `from -> to` of a relationship type. The same edge added twice is one
    /// edge.
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for a [`NodeId`] this builder did not make;
    /// [`Error::UnknownRelation`] for a [`RelationId`] it did not make.
    pub fn edge(&mut self, from: NodeId, to: NodeId, relation: RelationId) -> Result<(), Error> {
        let n = self.kind.len();
        let propagation = match self.relations.get(relation.0 as usize) {
            Some(r) if from.index() < n && to.index() < n => r.propagation,
            _ => return Err(self.refused_edge(from, to, relation)),
        };
        // An edge into a group is an ordinary input (the group fails with what it depends
        // on); it never makes the other end a member.
        match propagation {
            Propagation::ToFrom => self.arcs.push(to.0, from.0, ARC_EDGE),
            Propagation::FromTo => self.arcs.push(from.0, to.0, ARC_EDGE),
            Propagation::Both => {
                self.arcs.push(to.0, from.0, ARC_EDGE);
                self.arcs.push(from.0, to.0, ARC_EDGE);
            }
        }
        Ok(())
    }

    /// Why [`GraphBuilder::edge`] refused the edge (out of line, as for `member`).
    #[cold]
    #[inline(never)]
    fn refused_edge(&self, from: NodeId, to: NodeId, relation: RelationId) -> Error {
        let n = self.kind.len();
        match [from, to].into_iter().find(|node| node.index() >= n) {
            Some(unknown) => Error::UnknownNode {
                id: unknown.to_string(),
                named_in: NamedIn::Builder,
            },
            None => Error::UnknownRelation {
                relation: relation.to_string(),
                named_in: NamedIn::Builder,
                declared: self.relations.iter().map(|r| r.name.clone()).collect(),
            },
        }
    }

    /// The node at position `index` in the order nodes and groups were added, if there is
    /// one: for a loader that numbers its records itself.
    #[inline]
    pub fn node_at(&self, index: usize) -> Option<NodeId> {
        (index < self.kind.len())
            .then(|| u32::try_from(index).ok().map(NodeId))
            .flatten()
    }

    /// The node with id `id`, if added (the first one, if the id was used twice: see
    /// [`GraphBuilder::check_ids`]).
    pub fn find(&mut self, id: &str) -> Option<NodeId> {
        self.names.index();
        self.names.find(id).map(NodeId)
    }

    /// Compiles the graph: arcs counting-sorted by source into rows, nodes renumbered
    /// breadth-first along them for locality (internally: the graph's API keeps the builder's
    /// [`NodeId`]s), the rows renumbered into compressed sparse rows (each row then sorted and
    /// its duplicates merged), the reverse rows by transposing them, and groups' thresholds
    /// computed from their member counts. Errors name the first bad record in the builder's
    /// order.
    ///
    /// # Errors
    /// [`Error::DuplicateId`]; for the severity scale [`Error::EmptySeverityScale`],
    /// [`Error::TooManySeverityLevels`] (more than 250) and [`Error::UnknownHoldingLevel`];
    /// then [`Error::EmptyGroup`], [`Error::GroupThreshold`], [`Error::TooLarge`].
    pub fn build(mut self) -> Result<Graph, Error> {
        self.check_ids()?;
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
            group_bits: _,
            relations: _,
            mut arcs,
            severity,
            influences,
        } = self;
        let n = names.len();
        let levels = severity.levels.len();
        if levels == 0 {
            return Err(Error::EmptySeverityScale);
        }
        let Some(outage) = u8::try_from(levels).ok().filter(|_| levels <= MAX_LEVELS) else {
            return Err(Error::TooManySeverityLevels {
                count: levels,
                max: MAX_LEVELS,
            });
        };
        if severity.group_holding == 0 || severity.group_holding > outage {
            return Err(Error::UnknownHoldingLevel {
                level: severity.group_holding,
                max: outage,
            });
        }
        if u32::try_from(n).is_err() {
            return Err(Error::TooLarge {
                what: "nodes",
                count: n,
                max: NONE as usize,
            });
        }
        // Renumber the nodes for locality before the rows the queries read are built: the
        // order of a breadth-first walk along the arcs, so that what one failure reaches lies
        // close together (see `locality_order`). The builder's numbering stays the public one
        // (`NodeId`); `inner` and `outer` translate at the API.
        let (first, first_bits) = Rows::adjacency(&arcs, n)?;
        let outer = locality_order(&first, n);
        let mut inner = vec![NONE; n];
        for (new, &old) in outer.iter().enumerate() {
            if let Some(slot) = inner.get_mut(old as usize) {
                *slot = u32::try_from(new).unwrap_or(NONE);
            }
        }
        drop(std::mem::take(&mut arcs.bits));
        let (forward, bits) = first.renumbered(&first_bits, &inner)?;
        drop(first_bits);
        // The arc list's columns are reused as the transpose's scratch (memory the process
        // already holds: fresh pages cost a fault each).
        let (mut scratch_v, mut scratch_u) =
            (std::mem::take(&mut arcs.from), std::mem::take(&mut arcs.to));
        drop(arcs);
        // Only memberships count: an edge into a group is not a member of it. A node with an
        // arc into a group is marked: its failure must always be pushed along its arcs.
        let mut members = vec![0u32; n];
        let mut groups = vec![0u64; n.div_ceil(64)];
        for (i, rule) in min_up.iter().enumerate() {
            if let Some(j) = inner.get(i).filter(|_| rule.is_some()) {
                set_bit(&mut groups, *j as usize);
            }
        }
        // Groups, and nodes with an arc into a group.
        let mut statics = groups.clone();
        for (a, (lo, hi)) in forward.bounds().enumerate() {
            let targets = forward.cols.get(lo..hi).unwrap_or(&[]);
            let arc_bits = bits.get(lo..hi).unwrap_or(&[]);
            for (b, w) in targets.iter().zip(arc_bits) {
                if !bit(&groups, *b as usize) {
                    continue;
                }
                set_bit(&mut statics, a);
                if let Some(m) = members.get_mut(*b as usize).filter(|_| w & ARC_MEMBER != 0) {
                    *m += 1;
                }
            }
        }
        let blank = groups
            .iter()
            .map(|&groups| Bits {
                blocked: groups,
                ..Bits::default()
            })
            .collect();
        let mut services = vec![0u64; n.div_ceil(64)];
        for (i, k) in kind.iter().enumerate() {
            if let Some(j) = inner.get(i).filter(|_| *k == NodeKind::BusinessService) {
                set_bit(&mut services, *j as usize);
            }
        }
        let mut leaves = vec![0u64; n.div_ceil(64)];
        for (u, (lo, hi)) in forward.bounds().enumerate() {
            if lo == hi {
                set_bit(&mut leaves, u);
            }
        }
        let reverse = forward.transpose(n, &mut scratch_v, &mut scratch_u);
        drop((scratch_v, scratch_u));
        // Influences, by (group, member) in compiled indices; a weighted group's `members`
        // is its total influence (a member without one counts 1).
        let mut weighted = Vec::new();
        let mut influence: Vec<(u64, u32)> = Vec::new();
        if !influences.is_empty() {
            weighted = vec![0u64; n.div_ceil(64)];
            for &(g, m, w) in &influences {
                let (gi, mi) = (
                    inner.get(g as usize).copied().unwrap_or(NONE),
                    inner.get(m as usize).copied().unwrap_or(NONE),
                );
                set_bit(&mut weighted, gi as usize);
                influence.push((u64::from(gi) << 32 | u64::from(mi), w));
            }
            // The last influence given for a membership counts (a membership is a set).
            influence.reverse();
            influence.sort_by_key(|(k, _)| *k);
            influence.dedup_by_key(|(k, _)| *k);
            for (gi, total) in members.iter_mut().enumerate() {
                if !bit(&weighted, gi) {
                    continue;
                }
                let g = u32::try_from(gi).unwrap_or(NONE);
                let mut sum = 0u32;
                for &m in reverse.row(g) {
                    let w = forward_weight(&influence, g, m).unwrap_or(1);
                    let member = forward
                        .row(m)
                        .binary_search(&g)
                        .ok()
                        .and_then(|k| bits.get(forward.range(m).0 + k))
                        .is_some_and(|b| b & ARC_MEMBER != 0);
                    if member {
                        sum = sum.saturating_add(w);
                    }
                }
                *total = sum;
            }
        }
        let mut need = vec![1u32; n];
        // In the builder's order, so that the first bad group reported does not depend on
        // the renumbering.
        for (i, rule) in min_up.iter().enumerate() {
            let Some(rule) = rule else { continue };
            let j = inner.get(i).copied().unwrap_or(NONE) as usize;
            let m = members.get(j).copied().unwrap_or(0);
            let group = || names.get(u32::try_from(i).unwrap_or(NONE)).to_owned();
            if m == 0 && !bit(&weighted, j) {
                return Err(Error::EmptyGroup { group: group() });
            }
            // Influences are summed saturating: a total of `u32::MAX` is one that overflowed
            // (and would overflow the threshold below).
            if m == u32::MAX && bit(&weighted, j) {
                return Err(Error::InfluenceTooLarge { group: group() });
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
            if let Some(t) = need.get_mut(j) {
                *t = (m - k).saturating_add(1);
            }
        }
        Ok(Graph {
            names: std::sync::Arc::new(names),
            strings,
            kind,
            tier,
            class,
            owner,
            supplier,
            location,
            members,
            need,
            groups,
            statics,
            blank,
            leaves,
            services,
            forward,
            bits,
            reverse,
            inner,
            outer,
            outage,
            severity,
            weighted,
            influence,
        })
    }
}

/// The influence of `member` in `group` (compiled indices), if one was given.
pub(crate) fn forward_weight(influence: &[(u64, u32)], group: u32, member: u32) -> Option<u32> {
    let key = u64::from(group) << 32 | u64::from(member);
    influence
        .binary_search_by_key(&key, |(k, _)| *k)
        .ok()
        .and_then(|i| influence.get(i))
        .map(|(_, w)| *w)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A builder with one relation, `feeds`, along which failure travels forward (shared
    /// with the workspace's tests).
    pub(crate) fn feeding() -> Result<(GraphBuilder, RelationId), Error> {
        let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
        let feeds = b.relation(RelationSpec::new("feeds", Propagation::FromTo))?;
        Ok((b, feeds))
    }

    /// Two bad groups whose compiled order is the reverse of the builder's: the error names
    /// the first in the builder's order.
    #[test]
    fn build_errors_follow_the_builders_order() -> Result<(), Error> {
        let (mut b, feeds) = feeding()?;
        // `first` is reached from `x`, so it is compiled after `second` and `x`.
        let first = b.group("first", MinUp::Count(1))?;
        b.group("second", MinUp::Count(1))?;
        let x = b.node(&NodeSpec::new("x", NodeKind::ConfigurationItem, "host"))?;
        b.edge(x, first, feeds)?;
        assert_eq!(
            b.build().err(),
            Some(Error::EmptyGroup {
                group: "first".into()
            })
        );
        Ok(())
    }
}
