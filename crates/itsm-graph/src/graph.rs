//! The compiled graph, the builder, and the impact fixpoint.

use std::hash::{BuildHasher, Hasher};

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

/// An arc's weight says why failure travels along it: a group membership (the failure counts
/// against the group's threshold), an edge (the failure passes on as it is), or both.
const ARC_MEMBER: u8 = 1;
const ARC_EDGE: u8 = 2;

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
/// `String`s. A slot holds an index and 32 bits of its id's hash (the tag), so a probe
/// compares strings only when the tags agree; empty slots hold [`NONE`] as their index.
///
/// Ids can be appended unindexed ([`Names::push`]) and indexed later in one go
/// ([`Names::index`]), which spreads them by slot region first so that the index is
/// written one region at a time instead of at a random slot per id.
#[derive(Debug, Clone, Default)]
struct Names {
    buf: String,
    ends: Vec<u32>,
    slots: Vec<u64>,
    /// Ids `0..indexed` are in the slots.
    indexed: usize,
    /// The first repeated id found while indexing: (first index, repeated index).
    repeat: Option<(u32, u32)>,
}

/// Pending ids below this are indexed one by one, not spread by region first.
const BULK_INDEX_MIN: usize = 4096;
/// Slot regions of a bulk index (about this many).
const INDEX_REGIONS: u32 = 10;

/// The index in a slot (the low half).
fn slot_index(slot: u64) -> u32 {
    (slot & u64::from(u32::MAX)) as u32
}

/// The tag of a hash (its high half).
fn hash_tag(h: u64) -> u32 {
    (h >> 32) as u32
}

const EMPTY_SLOT: u64 = NONE as u64;

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

    fn hash(id: &str) -> u64 {
        let mut h = IdHash.build_hasher();
        h.write(id.as_bytes());
        h.finish()
    }

    /// The slot holding `id` (`Ok`), or the empty slot where it would go (`Err`); `None`
    /// without slots.
    fn probe(&self, id: &str, h: u64) -> Option<Result<usize, usize>> {
        let mask = self.slots.len().checked_sub(1)?;
        let tag = hash_tag(h);
        let mut at = h as usize & mask;
        loop {
            let slot = *self.slots.get(at)?;
            let i = slot_index(slot);
            if i == NONE {
                return Some(Err(at));
            }
            if hash_tag(slot) == tag && self.get(i) == id {
                return Some(Ok(at));
            }
            at = (at + 1) & mask;
        }
    }

    fn find(&self, id: &str) -> Option<u32> {
        match self.probe(id, Self::hash(id))? {
            Ok(at) => self.slots.get(at).map(|s| slot_index(*s)),
            Err(_) => None,
        }
    }

    /// Room in the index for `more` ids beyond those held (at most half the slots used).
    fn reserve(&mut self, more: usize) {
        self.ends.reserve(more);
        let want = (self.len().saturating_add(more).saturating_mul(2))
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX)
            .max(16);
        if self.slots.len() >= want {
            return;
        }
        // Everything held is indexed again in the larger table.
        self.slots = vec![EMPTY_SLOT; want];
        self.indexed = 0;
        self.index();
    }

    /// Appends an id without indexing it; `None` when full.
    fn push(&mut self, id: &str) -> Option<u32> {
        let i = u32::try_from(self.len()).ok().filter(|i| *i != NONE)?;
        let end = u32::try_from(self.buf.len() + id.len()).ok()?;
        self.buf.push_str(id);
        self.ends.push(end);
        Some(i)
    }

    /// Indexes the ids appended since the last call, noting the first repeated id.
    fn index(&mut self) {
        let len = self.len();
        if self.indexed >= len {
            return;
        }
        let want = len
            .saturating_mul(2)
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX)
            .max(16);
        if self.slots.len() < want {
            // Grown: everything is indexed again in the larger table.
            self.slots = vec![EMPTY_SLOT; want];
            self.indexed = 0;
        }
        let (from, Ok(to)) = (self.indexed, u32::try_from(len)) else {
            return;
        };
        let Ok(from) = u32::try_from(from) else {
            return;
        };
        let Some(mask) = self.slots.len().checked_sub(1) else {
            return;
        };
        if (to - from) as usize >= BULK_INDEX_MIN {
            // Spread by slot region (a stable counting sort), then placed region by region.
            let shift = mask.count_ones().saturating_sub(INDEX_REGIONS);
            let mut fill = vec![0usize; (mask >> shift) + 2];
            let hashes: Vec<u64> = (from..to).map(|i| Self::hash(self.get(i))).collect();
            for h in &hashes {
                if let Some(c) = fill.get_mut(((*h as usize & mask) >> shift) + 1) {
                    *c += 1;
                }
            }
            let mut total = 0;
            for c in &mut fill {
                total += *c;
                *c = total;
            }
            let mut order = vec![(0u64, 0u32); hashes.len()];
            for (h, i) in hashes.iter().zip(from..to) {
                if let Some(k) = fill.get_mut((*h as usize & mask) >> shift) {
                    if let Some(slot) = order.get_mut(*k) {
                        *slot = (*h, i);
                    }
                    *k += 1;
                }
            }
            drop(hashes);
            for (h, i) in order {
                self.place(i, h);
            }
        } else {
            for i in from..to {
                self.place(i, Self::hash(self.get(i)));
            }
        }
        self.indexed = len;
    }

    /// Puts id `i` (with hash `h`) in its slot, or notes it as repeated.
    fn place(&mut self, i: u32, h: u64) {
        // The id itself is read only when a slot's tag agrees (a repeat, or a rare
        // collision of 32-bit tags): the ids come in slot order, not in buffer order.
        let Some(mask) = self.slots.len().checked_sub(1) else {
            return;
        };
        let tag = hash_tag(h);
        let mut at = h as usize & mask;
        let found = loop {
            let Some(&slot) = self.slots.get(at) else {
                return;
            };
            let j = slot_index(slot);
            if j == NONE {
                break Err(at);
            }
            if hash_tag(slot) == tag && self.get(j) == self.get(i) {
                break Ok(at);
            }
            at = (at + 1) & mask;
        };
        match found {
            Ok(at) => {
                let first = self.slots.get(at).map_or(NONE, |s| slot_index(*s));
                // The repeat reported is the earliest one, as checking id by id would find.
                if self.repeat.is_none_or(|(_, second)| i < second) {
                    self.repeat = Some((first, i));
                }
            }
            Err(at) => {
                if let Some(slot) = self.slots.get_mut(at) {
                    *slot = (u64::from(tag) << 32) | u64::from(i);
                }
            }
        }
    }

    /// Adds an id; `Err(existing)` when it is there already, `Err(NONE)` when full.
    fn insert(&mut self, id: &str) -> Result<u32, u32> {
        self.index();
        if self.slots.len() < (self.len() + 1) * 2 {
            self.reserve(self.len().max(8));
        }
        let h = Self::hash(id);
        let at = match self.probe(id, h) {
            Some(Ok(at)) => {
                return Err(self.slots.get(at).map_or(NONE, |s| slot_index(*s)));
            }
            Some(Err(at)) => at,
            None => return Err(NONE),
        };
        let i = u32::try_from(self.len())
            .ok()
            .filter(|i| *i != NONE)
            .ok_or(NONE)?;
        let end = u32::try_from(self.buf.len() + id.len()).map_err(|_| NONE)?;
        self.buf.push_str(id);
        self.ends.push(end);
        self.indexed = self.len();
        if let Some(slot) = self.slots.get_mut(at) {
            *slot = (u64::from(hash_tag(h)) << 32) | u64::from(i);
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

/// Arcs as the builder collects them, one column per field (9 bytes an arc).
#[derive(Debug, Clone, Default)]
struct ArcList {
    from: Vec<u32>,
    to: Vec<u32>,
    bits: Vec<u8>,
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
    arcs: ArcList,
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
        let full = Error::TooLarge {
            what: "nodes",
            count: n,
            max: MAX_NODES,
        };
        if n >= MAX_NODES {
            return Err(full);
        }
        let i = self.names.push(id).ok_or(full)?;
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
    /// ([`GraphBuilder::check_ids`]): indexing a million ids at once costs a fraction of
    /// indexing them one at a time.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past 2^31 - 1 nodes (groups included).
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

    /// Adds a redundancy group (members come with [`GraphBuilder::member`]); its id is
    /// checked like a node's.
    ///
    /// # Errors
    /// [`Error::TooLarge`].
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
        self.arcs.push(member.0, group.0, ARC_MEMBER);
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
            Propagation::ToFrom => self.arcs.push(to.0, from.0, ARC_EDGE),
            Propagation::FromTo => self.arcs.push(from.0, to.0, ARC_EDGE),
            Propagation::Both => {
                self.arcs.push(to.0, from.0, ARC_EDGE);
                self.arcs.push(from.0, to.0, ARC_EDGE);
            }
        }
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
    /// computed from their member counts.
    /// Arcs that name a node the builder never made are dropped. Errors name the first bad
    /// record in the builder's order.
    ///
    /// # Errors
    /// [`Error::DuplicateId`], [`Error::EmptyGroup`], [`Error::GroupThreshold`],
    /// [`Error::SeverityScale`], [`Error::TooLarge`].
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
        let mut leaves = vec![0u64; n.div_ceil(64)];
        for (u, (lo, hi)) in forward.bounds().enumerate() {
            if lo == hi {
                set_bit(&mut leaves, u);
            }
        }
        let reverse = forward.transpose(n, &mut scratch_v, &mut scratch_u);
        drop((scratch_v, scratch_u));
        let mut need = vec![1u32; n];
        // In the builder's order, so that the first bad group reported does not depend on
        // the renumbering.
        for (i, rule) in min_up.iter().enumerate() {
            let Some(rule) = rule else { continue };
            let j = inner.get(i).copied().unwrap_or(NONE) as usize;
            let m = members.get(j).copied().unwrap_or(0);
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
            if let Some(t) = need.get_mut(j) {
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
            groups,
            statics,
            blank,
            leaves,
            forward,
            bits,
            reverse,
            inner,
            outer,
            outage: u8::try_from(levels).unwrap_or(u8::MAX),
            severity,
        })
    }
}

/// The nodes in breadth-first order along the rows (each row's arcs in the order they were
/// added: see [`Rows::adjacency`]), from each node no arc reaches (in the builder's order),
/// then from the nodes left (cycles), in the builder's order. What one failure
/// reaches then lies in fewer stretches of the compiled arrays: on the benchmark's
/// million-node graphs a full traversal runs about a quarter faster. The queue is worked
/// through [`BATCH`] nodes at a time, their rows' bounds and first arcs loaded together (as
/// [`Workspace::push_level`] does), since each row is a cache miss of its own.
fn locality_order(rows: &Rows, n: usize) -> Vec<u32> {
    let mut reached = vec![0u64; n.div_ceil(64)];
    for &v in &rows.cols {
        set_bit(&mut reached, v as usize);
    }
    let mut seen = vec![0u64; n.div_ceil(64)];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let roots = (0..n).filter(|&v| !bit(&reached, v)).chain(0..n);
    let mut ahead = 0u32;
    for root in roots {
        if bit(&seen, root) {
            continue;
        }
        let Ok(root) = u32::try_from(root) else { break };
        set_bit(&mut seen, root as usize);
        let mut head = order.len();
        order.push(root);
        while head < order.len() {
            let stop = (head + BATCH).min(order.len());
            let batch = order.get(head..stop).unwrap_or(&[]);
            let mut bounds = [(0usize, 0usize); BATCH];
            for (slot, &u) in bounds.iter_mut().zip(batch) {
                *slot = rows.range(u);
            }
            let bounds = bounds.get(..stop - head).unwrap_or(&[]);
            for &(lo, _) in bounds {
                ahead ^= rows.cols.get(lo).copied().unwrap_or(0);
            }
            for &(lo, hi) in bounds {
                for &v in rows.cols.get(lo..hi).unwrap_or(&[]) {
                    if !bit(&seen, v as usize) {
                        set_bit(&mut seen, v as usize);
                        order.push(v);
                    }
                }
            }
            head = stop;
        }
    }
    std::hint::black_box(ahead);
    order
}

/// Compressed sparse rows: the arcs out of node `u` go to `cols[start[u]..start[u + 1]]`,
/// sorted, without duplicates (except the rows of [`Rows::adjacency`], in the order the arcs
/// were added). Offsets are 32-bit (a graph holds fewer than 2^32 arcs).
#[derive(Debug, Clone, Default)]
struct Rows {
    start: Vec<u32>,
    cols: Vec<u32>,
}

impl Rows {
    /// The range of `cols` holding row `u` (empty for a node out of range).
    #[inline]
    fn range(&self, u: u32) -> (usize, usize) {
        let u = u as usize;
        match (self.start.get(u), self.start.get(u + 1)) {
            (Some(&lo), Some(&hi)) => (lo as usize, hi as usize),
            _ => (0, 0),
        }
    }

    /// Row `u`.
    #[inline]
    fn row(&self, u: u32) -> &[u32] {
        let (lo, hi) = self.range(u);
        self.cols.get(lo..hi).unwrap_or(&[])
    }

    /// Every row's range, in node order.
    fn bounds(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.start.windows(2).map(|w| match *w {
            [lo, hi] => (lo as usize, hi as usize),
            _ => (0, 0),
        })
    }

    fn node_count(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Offsets from per-row counts held at `start[u + 1]`; the total.
    fn prefix(start: &mut [u32]) -> u32 {
        let mut total = 0u32;
        for s in start.iter_mut() {
            total = total.wrapping_add(*s);
            *s = total;
        }
        total
    }

    /// The arcs out of each node, in the order they were added, duplicates kept, with each
    /// arc's bits: a counting sort by source. What the breadth-first walk of
    /// [`locality_order`] needs, and what [`Rows::renumbered`] compiles.
    fn adjacency(arcs: &ArcList, n: usize) -> Result<(Rows, Vec<u8>), Error> {
        let (start, total) = Rows::offsets(arcs, n)?;
        let mut at = start.clone();
        let mut cols = vec![0u32; total];
        let mut bits = vec![0u8; total];
        let triples = arcs.from.iter().zip(&arcs.to).zip(&arcs.bits);
        for ((&a, &b), &w) in triples {
            if !Rows::valid(a, b, n) {
                continue;
            }
            if let Some(k) = at.get_mut(a as usize) {
                let i = *k as usize;
                if let (Some(c), Some(x)) = (cols.get_mut(i), bits.get_mut(i)) {
                    *c = b;
                    *x = w;
                }
                *k += 1;
            }
        }
        Ok((Rows { start, cols }, bits))
    }

    /// These rows (with their arcs' `bits`) compiled under the numbering `inner` (old node
    /// to new). Each pass reads in order and its random accesses do not wait on one another:
    /// the targets are renumbered in place, each row's new place is looked up, each row is
    /// copied whole to it; then every row is sorted by target and its duplicates merged,
    /// their bits OR-ed, compacted in place.
    fn renumbered(mut self, bits: &[u8], inner: &[u32]) -> Result<(Rows, Vec<u8>), Error> {
        let n = self.node_count();
        let arcs = self.cols.len();
        for c in &mut self.cols {
            *c = inner.get(*c as usize).copied().unwrap_or(NONE);
        }
        let mut start = vec![0u32; n + 1];
        for (old, (lo, hi)) in self.bounds().enumerate() {
            let new = inner.get(old).copied().unwrap_or(NONE) as usize;
            if let Some(c) = start.get_mut(new + 1) {
                // invariant: bounds are prefix sums, so lo <= hi
                *c = u32::try_from(hi - lo).map_err(|_| Rows::too_many(arcs))?;
            }
        }
        Rows::prefix(&mut start);
        // Where each old row goes.
        let place: Vec<u32> = (0..n)
            .map(|old| {
                let new = inner.get(old).copied().unwrap_or(NONE) as usize;
                start.get(new).copied().unwrap_or(NONE)
            })
            .collect();
        let mut cols = vec![0u32; arcs];
        let mut new_bits = vec![0u8; arcs];
        for ((lo, hi), &at) in self.bounds().zip(&place) {
            let at = at as usize;
            let len = hi - lo; // invariant: bounds are prefix sums, so lo <= hi
            if let (Some(dst), Some(src)) = (cols.get_mut(at..at + len), self.cols.get(lo..hi)) {
                dst.copy_from_slice(src);
            }
            if let (Some(dst), Some(src)) = (new_bits.get_mut(at..at + len), bits.get(lo..hi)) {
                dst.copy_from_slice(src);
            }
        }
        drop((self, place));
        Rows::compact(start, cols, new_bits)
    }

    /// The error for `count` arcs, more than 32-bit offsets hold.
    fn too_many(count: usize) -> Error {
        Error::TooLarge {
            what: "edges",
            count,
            max: NONE as usize - 1,
        }
    }

    /// Whether the arc `a -> b` is between nodes of a graph of `n` (the rows skip the
    /// others).
    #[inline]
    fn valid(a: u32, b: u32, n: usize) -> bool {
        (a as usize) < n && (b as usize) < n
    }

    /// Row offsets for the valid arcs of `arcs` by source (a count per row, then prefix
    /// sums), and how many arcs they hold.
    fn offsets(arcs: &ArcList, n: usize) -> Result<(Vec<u32>, usize), Error> {
        if arcs.from.len() >= NONE as usize {
            return Err(Rows::too_many(arcs.from.len()));
        }
        let mut start = vec![0u32; n + 1];
        for (&a, &b) in arcs.from.iter().zip(&arcs.to) {
            if let Some(c) = start
                .get_mut(a as usize + 1)
                .filter(|_| Rows::valid(a, b, n))
            {
                *c += 1;
            }
        }
        let total = Rows::prefix(&mut start) as usize;
        Ok((start, total))
    }

    /// Rows `start`/`cols` (with `bits`) with each row sorted by target and its duplicates
    /// merged (the union of their bits), compacted in place: the write position never passes
    /// the read position.
    fn compact(
        mut start: Vec<u32>,
        mut cols: Vec<u32>,
        mut bits: Vec<u8>,
    ) -> Result<(Rows, Vec<u8>), Error> {
        let n = start.len().saturating_sub(1);
        let arcs = cols.len();
        let too_many = || Rows::too_many(arcs);
        // Each row sorted by target, duplicates merged, written back compacted: the write
        // position never passes the read position, so it is done in place.
        let mut scratch: Vec<u64> = Vec::new();
        let mut write = 0usize;
        let mut lo = 0usize;
        for u in 0..n {
            let hi = start.get(u + 1).copied().unwrap_or(0) as usize;
            if let Some(s) = start.get_mut(u) {
                *s = u32::try_from(write).map_err(|_| too_many())?;
            }
            // The row as keys (target above its bits), sorted.
            scratch.clear();
            if let (Some(c), Some(b)) = (cols.get(lo..hi), bits.get(lo..hi)) {
                scratch.extend(
                    c.iter()
                        .zip(b)
                        .map(|(c, b)| (u64::from(*c) << 8) | u64::from(*b)),
                );
            }
            scratch.sort_unstable();
            let row_begin = write;
            for &k in &scratch {
                let (c, w) = ((k >> 8) as u32, k as u8);
                if write > row_begin && cols.get(write - 1) == Some(&c) {
                    if let Some(x) = bits.get_mut(write - 1) {
                        *x |= w;
                    }
                    continue;
                }
                if let (Some(cw), Some(xw)) = (cols.get_mut(write), bits.get_mut(write)) {
                    *cw = c;
                    *xw = w;
                }
                write += 1;
            }
            lo = hi;
        }
        if let Some(s) = start.get_mut(n) {
            *s = u32::try_from(write).map_err(|_| too_many())?;
        }
        cols.truncate(write);
        bits.truncate(write);
        Ok((Rows { start, cols }, bits))
    }

    /// The reverse rows: a counting sort by target. Arcs are first spread by target
    /// range into [`TRANSPOSE_BUCKETS`] buckets (sequential writes into a few streams), then
    /// each bucket is placed within its own stretch of the rows, which stays in cache:
    /// scattering five million arcs straight across the rows would miss the cache (and on a
    /// virtual machine the TLB) at every arc. Sources come in order and both passes are
    /// stable, so each reverse row is sorted already.
    fn transpose(&self, n: usize, spread_v: &mut Vec<u32>, spread_u: &mut Vec<u32>) -> Rows {
        let mut start = vec![0u32; n + 1];
        for &v in &self.cols {
            if let Some(c) = start.get_mut(v as usize + 1) {
                *c += 1;
            }
        }
        Rows::prefix(&mut start);
        let m = self.cols.len();
        let shift = bucket_shift(n);
        let buckets = (n >> shift) + 1;
        // Where each bucket's arcs start (targets `b << shift ..`).
        let mut fill: Vec<usize> = (0..buckets)
            .map(|b| start.get(b << shift).copied().unwrap_or(0) as usize)
            .collect();
        spread_v.clear();
        spread_v.resize(m, 0);
        spread_u.clear();
        spread_u.resize(m, 0);
        for (u, (lo, hi)) in self.bounds().enumerate() {
            let Ok(u) = u32::try_from(u) else { break };
            for &v in self.cols.get(lo..hi).unwrap_or(&[]) {
                if let Some(k) = fill.get_mut(v as usize >> shift) {
                    if let (Some(sv), Some(su)) = (spread_v.get_mut(*k), spread_u.get_mut(*k)) {
                        *sv = v;
                        *su = u;
                    }
                    *k += 1;
                }
            }
        }
        drop(fill);
        let mut at = start.clone();
        let mut cols = vec![0u32; m];
        for (v, u) in spread_v.iter().zip(spread_u.iter()) {
            let (v, u) = (*v as usize, *u);
            if let Some(k) = at.get_mut(v) {
                if let Some(c) = cols.get_mut(*k as usize) {
                    *c = u;
                }
                *k += 1;
            }
        }
        Rows { start, cols }
    }
}

/// Buckets of the transpose's first pass (about this many).
const TRANSPOSE_BUCKETS: usize = 256;

/// The shift that maps a node to its transpose bucket: at least 4,096 nodes a bucket.
fn bucket_shift(n: usize) -> u32 {
    let per = n.div_ceil(TRANSPOSE_BUCKETS).max(1 << 12);
    per.next_power_of_two().trailing_zeros()
}

// petgraph's algorithms (Tarjan's strongly connected components) run on the rows as they
// are, through its visit traits.
impl petgraph::visit::GraphBase for Rows {
    type EdgeId = (u32, u32);
    type NodeId = u32;
}

impl petgraph::visit::NodeIndexable for Rows {
    fn node_bound(&self) -> usize {
        self.node_count()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        u32::try_from(i).unwrap_or(NONE)
    }
}

impl<'a> petgraph::visit::IntoNeighbors for &'a Rows {
    type Neighbors = std::iter::Copied<std::slice::Iter<'a, u32>>;
    fn neighbors(self, a: u32) -> Self::Neighbors {
        self.row(a).iter().copied()
    }
}

impl petgraph::visit::IntoNodeIdentifiers for &Rows {
    type NodeIdentifiers = std::ops::Range<u32>;
    fn node_identifiers(self) -> Self::NodeIdentifiers {
        0..u32::try_from(self.node_count()).unwrap_or(NONE)
    }
}

/// A compiled, read-only service dependency graph. Cycles are allowed: every query is a
/// fixpoint, not a tree walk.
///
/// Inside, nodes are renumbered for locality (breadth-first along the arcs); the API speaks
/// only of [`NodeId`]s, the builder's numbering, whatever the compiled order.
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
    /// One bit per group.
    groups: Vec<u64>,
    /// One bit per group or node with an arc into a group (always pushed down).
    statics: Vec<u64>,
    /// A workspace's bitmaps before any query (see [`Bits`]).
    blank: Vec<Bits>,
    /// One bit per node with no arc out: nothing is pushed down from it, so it is never
    /// queued.
    leaves: Vec<u64>,
    /// Where failure travels, by source.
    forward: Rows,
    /// The `ARC_*` bits of each forward arc.
    bits: Vec<u8>,
    /// The same arcs by target.
    reverse: Rows,
    /// A node's index in the compiled arrays (`members` to `reverse`, and the workspaces'),
    /// by its `NodeId`.
    inner: Vec<u32>,
    /// The `NodeId` of each compiled index.
    outer: Vec<u32>,
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
    fn inner_of(&self, node: NodeId) -> u32 {
        self.inner.get(node.0 as usize).copied().unwrap_or(NONE)
    }

    /// The `NodeId` of a compiled index.
    #[inline]
    fn outer_of(&self, i: u32) -> NodeId {
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

    /// A reusable workspace for impact queries on this graph (no allocation per query).
    pub fn workspace(&self) -> Workspace<'_> {
        let n = self.node_count();
        Workspace {
            graph: self,
            marks: vec![UNMARKED; n],
            preds: vec![NO_PRED; n + 1],
            levels: if self.outage > 2 {
                vec![0; n + 1]
            } else {
                Vec::new()
            },
            n,
            down: vec![0; n],
            bits: self.blank.clone(),
            done_count: 0,
            partial: 0,
            affected: 0,
            touched: vec![NONE; n + 1],
            touched_len: 0,
            touched_groups: Vec::new(),
            queue: Vec::new(),
            queue_len: 0,
            bottom_up: true,
            fill_above: n.div_ceil(64),
            ahead: 0,
        }
    }
}

/// A group's query state in one 8-byte word (one cache line read per visit, one store to
/// write it whole): the predecessor in bits 0-31 (the node whose failure raised this one to
/// its severity, [`NONE`] if unaffected), the state in bits 32-47 (the severity in the low
/// byte, the `ST_*` bits above it), and the highest severity among its members so far in
/// bits 48-55.
#[derive(Debug, Clone, Copy)]
struct Mark(u64);

impl Mark {
    /// A mark with predecessor `pred` and state `state`.
    #[inline]
    const fn new(pred: u32, state: u16) -> Mark {
        Mark(pred as u64 | (state as u64) << 32)
    }

    #[inline]
    fn pred(self) -> u32 {
        self.0 as u32
    }

    #[inline]
    fn state(self) -> u16 {
        (self.0 >> 32) as u16
    }

    #[inline]
    fn severity(self) -> u8 {
        (self.0 >> 32) as u8
    }

    #[inline]
    fn gmax(self) -> u8 {
        (self.0 >> 48) as u8
    }

    /// Sets the `ST_*` bits `bits`.
    #[inline]
    fn flag(&mut self, bits: u16) {
        self.0 |= u64::from(bits) << 32;
    }

    /// Clears the `ST_*` bits `bits`.
    #[inline]
    fn unflag(&mut self, bits: u16) {
        self.0 &= !(u64::from(bits) << 32);
    }

    #[inline]
    fn set_gmax(&mut self, g: u8) {
        self.0 = (self.0 & !(0xff << 48)) | u64::from(g) << 48;
    }

    /// Raises this mark to `new`, by `u`, queued; gives its state before, or `None` if it
    /// was at `new` or above.
    #[inline]
    fn lift(&mut self, new: u8, u: u32) -> Option<u16> {
        let cur = self.state();
        if u16::from(new) <= cur & ST_SEVERITY {
            return None;
        }
        let state = (cur & !ST_SEVERITY) | ST_TOUCHED | ST_QUEUED | u16::from(new);
        *self = Mark((self.0 & (0xff << 48)) | Mark::new(u, state).0);
        Some(cur)
    }
}

const ST_SEVERITY: u16 = 0xff;
const ST_TOUCHED: u16 = 1 << 8;
const ST_QUEUED: u16 = 1 << 9;
const ST_MASKED: u16 = 1 << 10;

/// A node no query has reached.
const UNMARKED: Mark = Mark::new(NONE, 0);

/// A node that is not a group records its predecessor in the low 31 bits of a `u32` (see
/// [`Workspace`]'s `preds`); these bits all set mean none.
const NO_PRED: u32 = (1 << 31) - 1;
/// Set in the record of a node that is not a group but has an arc into one once it has been
/// pushed down at the outage level (see [`Workspace::dequeue`]).
const PUSHED_OUT: u32 = 1 << 31;
/// Nodes a graph may have: every index stays below [`NO_PRED`].
const MAX_NODES: usize = NO_PRED as usize;

/// Graphs smaller than this are always traversed top-down (a bottom-up step scans every
/// node).
const BOTTOM_UP_MIN_NODES: usize = 1 << 14;
/// Frontier nodes whose rows are loaded together before they are pushed down.
const BATCH: usize = 32;
/// Frontier nodes whose rows are read to estimate a level's arcs.
const FRONTIER_SAMPLE: usize = 512;
/// A step goes bottom-up when the frontier's arcs are more than the arcs left to check
/// bottom-up divided by this (Beamer, Asanović and Patterson's direction-optimizing BFS).
const BOTTOM_UP_ALPHA: u64 = 14;

#[inline]
fn bit(words: &[u64], v: usize) -> bool {
    words
        .get(v / 64)
        .is_some_and(|w| w & (1u64 << (v % 64)) != 0)
}

#[inline]
fn set_bit(words: &mut [u64], v: usize) {
    if let Some(w) = words.get_mut(v / 64) {
        *w |= 1u64 << (v % 64);
    }
}

/// The severity of a node that is not a group and is affected below the outage level, from
/// a workspace's `levels`: empty on a scale of two levels, where it is 1.
#[inline]
fn partial_level(levels: &[u8], v: usize) -> u8 {
    // Tested first, without indexing: on the usual scale of two levels this is all a
    // level-1 dequeue reads (small queries 2.5% faster than through `get` alone).
    if levels.is_empty() {
        1
    } else {
        levels.get(v).copied().unwrap_or(1)
    }
}

/// Writes `v` at `list[*len]` and moves the end past it (a list in a buffer kept long
/// enough; nothing is written past the buffer).
#[inline]
fn append(list: &mut [u32], len: &mut usize, v: u32) {
    if let Some(slot) = list.get_mut(*len) {
        *slot = v;
        *len += 1;
    }
}

/// Three bitmaps interleaved, 64 nodes a record, so that the three bits a visit tests of a
/// node usually lie in one cache line (a 24-byte record straddles two lines a quarter of
/// the time).
#[derive(Debug, Clone, Copy, Default)]
struct Bits {
    /// Nodes that are not groups and are at the outage level: nothing can raise them, so
    /// their arcs in are skipped without reading their state.
    done: u64,
    /// Nodes that are not groups and are affected (at any level).
    hit: u64,
    /// Groups and masked nodes: never candidates of a bottom-up step.
    blocked: u64,
}

/// Which of a [`Bits`] record's bitmaps.
#[derive(Clone, Copy)]
enum Flag {
    Done,
    Hit,
    Blocked,
}

impl Flag {
    #[inline]
    fn word_mut(self, b: &mut Bits) -> &mut u64 {
        match self {
            Flag::Done => &mut b.done,
            Flag::Hit => &mut b.hit,
            Flag::Blocked => &mut b.blocked,
        }
    }
}

/// Scratch space for impact queries: dense arrays of which a reset clears only the bitmaps
/// and the groups touched, so a thousand small queries on a million-node graph cost what
/// they touch.
#[derive(Debug, Clone)]
pub struct Workspace<'g> {
    graph: &'g Graph,
    /// One mark per node, read and written for groups only.
    marks: Vec<Mark>,
    /// For a node that is not a group, raised in this query: the node that raised it to its
    /// severity, and [`PUSHED_OUT`]. 4 bytes rather than a whole mark, so that the records
    /// a query writes share cache lines more often (measured on the benchmark's largest
    /// small queries: 27% fewer lines than with 8-byte marks). A spare record at
    /// index `n` takes what a top-down step writes, rather than branch, when the target of
    /// an arc is not to be written (never read).
    preds: Vec<u32>,
    /// On a scale of more than two levels, for a node that is not a group and is affected
    /// below the outage level: its severity (spare at index `n`). Empty otherwise: such a
    /// node is then at level 1 (see [`partial_level`]).
    levels: Vec<u8>,
    /// The graph's node count.
    n: usize,
    /// For a group: members failed (at outage) so far.
    down: Vec<u32>,
    /// Three bits per node, 64 nodes a record (see [`Bits`]).
    bits: Vec<Bits>,
    done_count: usize,
    /// Nodes that are not groups and are affected below the outage level.
    partial: usize,
    /// Nodes affected (severity at least 1).
    affected: usize,
    /// Nodes touched in this query, in order: `touched[..touched_len]`. Its `n + 1` slots
    /// hold every node once and one more written past the end (see `push_down`).
    touched: Vec<u32>,
    touched_len: usize,
    /// The groups among `touched`: the only marks a reset clears.
    touched_groups: Vec<u32>,
    /// The FIFO queue, level after level: `queue[..queue_len]`, in a buffer kept long
    /// enough for a row's worth of entries past its end (see [`Workspace::room`]).
    queue: Vec<u32>,
    queue_len: usize,
    /// Whether large frontiers may be expanded bottom-up.
    bottom_up: bool,
    /// A reset after a query that touched more nodes than this copies the bitmaps whole.
    fill_above: usize,
    /// What [`Workspace::push_level`] loaded ahead (folded, never read for a result).
    ahead: u32,
}

impl<'g> Workspace<'g> {
    /// Clears the last query. The bitmaps are reset, and so are the marks and counts of the
    /// groups touched; the record (and level) of a node that is not a group is left as the
    /// last query wrote it, and read only while the node is affected (its hit bit is set):
    /// a record is written whole when its node is first raised, so a query need not clear
    /// what the one before it reached.
    fn reset(&mut self) {
        let touched = self.touched.get(..self.touched_len).unwrap_or(&[]);
        if touched.len() > self.fill_above {
            // More nodes than bitmap records: one sequential copy beats scattered writes.
            self.bits.clone_from_slice(&self.graph.blank);
        } else {
            for &t in touched {
                let i = t as usize;
                if let (Some(b), Some(blank)) =
                    (self.bits.get_mut(i / 64), self.graph.blank.get(i / 64))
                {
                    *b = *blank;
                }
            }
        }
        for &t in &self.touched_groups {
            let i = t as usize;
            if let Some(m) = self.marks.get_mut(i) {
                *m = UNMARKED;
            }
            if let Some(d) = self.down.get_mut(i) {
                *d = 0;
            }
        }
        self.done_count = 0;
        self.partial = 0;
        self.affected = 0;
        self.touched_len = 0;
        self.touched_groups.clear();
        self.queue_len = 0;
    }

    /// The severity of `v` in this query (0: unaffected, or not in the graph).
    fn severity_of(&self, v: usize) -> u8 {
        if bit(&self.graph.groups, v) {
            self.marks.get(v).map_or(0, |m| m.severity())
        } else {
            self.plain_severity(v)
        }
    }

    /// The severity of `v`, a node that is not a group: from its bits, and on a scale of
    /// more than two levels from its level when it is affected below the outage level.
    #[inline]
    fn plain_severity(&self, v: usize) -> u8 {
        let Some(b) = self.bits.get(v / 64) else {
            return 0;
        };
        let m = 1u64 << (v % 64);
        if b.hit & m == 0 {
            0
        } else if b.done & m != 0 {
            self.graph.outage
        } else {
            partial_level(&self.levels, v)
        }
    }

    /// The node that raised `v` to its severity (`v` itself for a seed), if `v` is affected.
    fn pred_of(&self, v: usize) -> Option<u32> {
        if bit(&self.graph.groups, v) {
            self.marks.get(v).map(|m| m.pred()).filter(|p| *p != NONE)
        } else if self.is_hit(v) {
            self.preds
                .get(v)
                .map(|r| r & NO_PRED)
                .filter(|p| *p != NO_PRED)
        } else {
            None
        }
    }

    #[inline]
    fn is_done(&self, v: usize) -> bool {
        self.bits
            .get(v / 64)
            .is_some_and(|b| b.done & (1u64 << (v % 64)) != 0)
    }

    #[inline]
    fn is_hit(&self, v: usize) -> bool {
        self.bits
            .get(v / 64)
            .is_some_and(|b| b.hit & (1u64 << (v % 64)) != 0)
    }

    /// Out of range counts as blocked: nothing is pushed there.
    #[inline]
    fn is_blocked(&self, v: usize) -> bool {
        self.bits
            .get(v / 64)
            .is_none_or(|b| b.blocked & (1u64 << (v % 64)) != 0)
    }

    /// Lists `v`, touched for the first time in this query (a group on its own list too,
    /// for the reset).
    #[inline]
    fn touch(&mut self, v: u32, group: bool) {
        append(&mut self.touched, &mut self.touched_len, v);
        if group {
            self.touched_groups.push(v);
        }
    }

    #[inline]
    fn set_flag(&mut self, v: usize, f: Flag) {
        if let Some(b) = self.bits.get_mut(v / 64) {
            *f.word_mut(b) |= 1u64 << (v % 64);
        }
    }

    /// Raises the group `v` to `new` (if that is higher), with `u` as the reason, queueing
    /// it.
    fn raise_group(&mut self, v: u32, new: u8, u: u32) {
        let vi = v as usize;
        let Some(cur) = self.marks.get_mut(vi).and_then(|m| m.lift(new, u)) else {
            return;
        };
        if cur & ST_SEVERITY == 0 {
            self.affected += 1;
        }
        if cur & ST_TOUCHED == 0 {
            self.touch(v, true);
        }
        if cur & ST_QUEUED == 0 && !bit(&self.graph.leaves, vi) {
            self.enqueue(v);
        }
    }

    /// Raises `v`, a node that is neither a group nor masked, from `was` (its severity, as
    /// the caller read it) to `new` (if that is higher), with `u` as the reason, queueing it
    /// (again, if it is still queued: see [`Workspace::dequeue`]). Its record is written
    /// whole, never read: below the outage level until now, it has not been pushed down at
    /// it. Always inlined: a bottom-up step calls it for most nodes of a full traversal
    /// (measured: full traversal of the benchmark's random graph 4% faster than `#[inline]`).
    #[inline(always)]
    fn raise_plain(&mut self, v: u32, was: u8, new: u8, u: u32, outage: u8) {
        let vi = v as usize;
        if new <= was {
            return;
        }
        let Some(record) = self.preds.get_mut(vi) else {
            return;
        };
        *record = u;
        if new < outage {
            if let Some(l) = self.levels.get_mut(vi) {
                *l = new;
            }
        }
        if was == 0 {
            self.affected += 1;
            self.touch(v, false);
        }
        if !bit(&self.graph.leaves, vi) {
            self.enqueue(v);
        }
        self.count_raise(vi, was, new, outage);
    }

    /// The bitmaps and counters of a node that is not a group, raised from `was` to `new`.
    #[inline]
    fn count_raise(&mut self, vi: usize, was: u8, new: u8, outage: u8) {
        if was == 0 {
            self.set_flag(vi, Flag::Hit);
            self.partial += 1;
        }
        if new == outage {
            self.set_flag(vi, Flag::Done);
            self.done_count += 1;
            self.partial = self.partial.saturating_sub(1);
        }
    }

    /// Queues `v`.
    #[inline]
    fn enqueue(&mut self, v: u32) {
        self.room(1);
        append(&mut self.queue, &mut self.queue_len, v);
    }

    /// Makes room in the queue's buffer for `more` entries past its end (each arc of a row
    /// queues at most one node).
    #[inline]
    fn room(&mut self, more: usize) {
        if self.queue_len + more >= self.queue.len() {
            let want = (self.queue_len + more + 1)
                .max(2 * self.queue.len())
                .max(1024);
            self.queue.resize(want, NONE);
        }
    }

    /// Dequeues `u` and gives the severity to push down from it, 0 for none.
    ///
    /// A node that is not a group is queued each time it is raised, even when it is still
    /// queued from before (no queued bit is kept for it), so it may be dequeued more than
    /// once at one severity. Pushing it down again changes nothing, except for a node with an
    /// arc into a group: a group counts its members failed as they are pushed down at the
    /// outage level, so such a node is pushed down at that level once ([`PUSHED_OUT`]).
    /// Nothing else reads the record here: a level-1 wave dequeues without touching it.
    #[inline]
    fn dequeue(&mut self, u: u32, outage: u8) -> u8 {
        let ui = u as usize;
        let Some(b) = self.bits.get(ui / 64) else {
            return 0;
        };
        let m = 1u64 << (ui % 64);
        if b.blocked & m != 0 {
            // A group (a masked node is never queued).
            return self.marks.get_mut(ui).map_or(0, |mark| {
                mark.unflag(ST_QUEUED);
                mark.severity()
            });
        }
        if b.done & m == 0 {
            return partial_level(&self.levels, ui);
        }
        if bit(&self.graph.statics, ui) {
            let Some(record) = self.preds.get_mut(ui) else {
                return 0;
            };
            if *record & PUSHED_OUT != 0 {
                return 0;
            }
            *record |= PUSHED_OUT;
        }
        outage
    }

    /// Dequeues `u` and pushes its severity along its arcs.
    #[inline(always)]
    fn push_down(&mut self, u: u32, outage: u8, holding: u8) {
        let g = self.graph;
        let s = self.dequeue(u, outage);
        if s == 0 {
            return;
        }
        let (lo, hi) = g.forward.range(u);
        let targets = g.forward.cols.get(lo..hi).unwrap_or(&[]);
        let arc_bits = g.bits.get(lo..hi).unwrap_or(&[]);
        self.room(targets.len());
        let spare = self.n;
        let Workspace {
            marks,
            preds,
            levels,
            down,
            bits,
            touched,
            touched_len,
            touched_groups,
            queue,
            queue_len,
            affected,
            partial,
            done_count,
            ..
        } = self;
        let (mut tl, mut ql) = (*touched_len, *queue_len);
        // Plain nodes newly affected, plain nodes raised to the outage level from below
        // it, groups newly affected.
        let (mut fresh_count, mut raised_done, mut groups_new) = (0usize, 0usize, 0usize);
        let at_outage = s == outage;
        // Whether a fresh target's level is written (on a scale of more than two levels,
        // below the outage level).
        let leveled = !levels.is_empty() && !at_outage;
        for (k, &v) in targets.iter().enumerate() {
            let vi = v as usize;
            let Some(b) = bits.get_mut(vi / 64) else {
                continue;
            };
            let m = 1u64 << (vi % 64);
            if b.blocked & m == 0 {
                // Into a node that is neither a group nor masked, the failure passes on as
                // it is (through an edge, or a builder's membership in a node that is not a
                // group).
                let hit = b.hit & m != 0;
                if s > 1 && (b.hit & !b.done) & m != 0 {
                    // Affected already, below the outage level.
                    if s <= partial_level(levels, vi) {
                        continue;
                    }
                    if let Some(record) = preds.get_mut(vi) {
                        *record = u;
                    }
                    // Queued again if still queued (see `dequeue`).
                    if !bit(&g.leaves, vi) {
                        append(queue, &mut ql, v);
                    }
                    if at_outage {
                        b.done |= m;
                        raised_done += 1;
                    } else if let Some(l) = levels.get_mut(vi) {
                        *l = s;
                    }
                    continue;
                }
                // Not affected yet (its record written without being read), or affected at
                // the outage level or at level 1, where `s` raises nothing. Without a branch
                // on which: when affected, the record goes to the spare slot and the lists'
                // ends stay.
                let fresh = !hit;
                b.hit |= m;
                if at_outage {
                    b.done |= m;
                }
                let slot = if fresh { vi } else { spare };
                if let Some(record) = preds.get_mut(slot) {
                    *record = u;
                }
                if leveled {
                    if let Some(l) = levels.get_mut(slot) {
                        *l = s;
                    }
                }
                if let Some(t) = touched.get_mut(tl) {
                    *t = v;
                }
                tl += usize::from(fresh);
                if let Some(q) = queue.get_mut(ql) {
                    *q = v;
                }
                ql += usize::from(fresh & !bit(&g.leaves, vi));
                fresh_count += usize::from(fresh);
                continue;
            }
            // A group, or a masked node.
            if !bit(&g.groups, vi) {
                continue;
            }
            let Some(mark) = marks.get_mut(vi) else {
                continue;
            };
            if mark.state() & ST_MASKED != 0 {
                continue;
            }
            // A group. Only arcs into groups need their bits.
            let arc = arc_bits.get(k).copied().unwrap_or(0);
            let mut new = if arc & ARC_EDGE != 0 { s } else { 0 };
            if arc & ARC_MEMBER != 0 {
                if mark.state() & ST_TOUCHED == 0 {
                    mark.flag(ST_TOUCHED);
                    append(touched, &mut tl, v);
                    touched_groups.push(v);
                }
                let Some(d) = down.get_mut(vi) else {
                    continue;
                };
                // A member is dequeued at the outage level at most once (nothing rises
                // above it), so each failed member is counted once.
                if at_outage {
                    *d += 1;
                }
                mark.set_gmax(mark.gmax().max(s));
                let rule = if *d >= g.need.get(vi).copied().unwrap_or(1) {
                    outage
                } else {
                    holding.min(mark.gmax())
                };
                new = new.max(rule);
            }
            let Some(cur) = mark.lift(new, u) else {
                continue;
            };
            if cur & ST_TOUCHED == 0 {
                append(touched, &mut tl, v);
                touched_groups.push(v);
            }
            groups_new += usize::from(cur & ST_SEVERITY == 0);
            if cur & ST_QUEUED == 0 && !bit(&g.leaves, vi) {
                append(queue, &mut ql, v);
            }
        }
        *touched_len = tl;
        *queue_len = ql;
        *affected += fresh_count + groups_new;
        if at_outage {
            *done_count += fresh_count + raised_done;
            *partial = partial.saturating_sub(raised_done);
        } else {
            *partial += fresh_count;
        }
    }

    /// Pushes down the level `queue[head..end]`, [`BATCH`] nodes at a time, loading ahead:
    /// first the row bounds of every node of the batch, then the first target of each, then
    /// the batch is pushed down. The loads of a batch do not depend on each
    /// other, so their cache misses are waited for together instead of one after the other
    /// (safe Rust has no prefetch instruction: these are ordinary loads, their values kept in
    /// `ahead` so that they are not optimized away).
    fn push_level(&mut self, head: usize, end: usize, outage: u8, holding: u8) {
        let g = self.graph;
        let mut at = head;
        while at < end {
            let stop = (at + BATCH).min(end);
            let batch = self.queue.get(at..stop).unwrap_or(&[]);
            let mut lo = [0usize; BATCH];
            for (slot, &u) in lo.iter_mut().zip(batch) {
                *slot = g.forward.range(u).0;
            }
            let mut ahead = self.ahead;
            for &l in lo.iter().take(batch.len()) {
                ahead ^= g.forward.cols.get(l).copied().unwrap_or(0);
            }
            self.ahead = ahead;
            for k in at..stop {
                let Some(&u) = self.queue.get(k) else { break };
                self.push_down(u, outage, holding);
            }
            at = stop;
        }
    }

    /// Whether the frontier `queue[head..end]` is better expanded bottom-up.
    fn go_bottom_up(&self, head: usize, end: usize) -> bool {
        let g = self.graph;
        let n = self.n;
        if !self.bottom_up || n < BOTTOM_UP_MIN_NODES || end - head < 64 {
            return false;
        }
        // The frontier's arcs, estimated from a sample of [`FRONTIER_SAMPLE`] evenly spaced
        // nodes (summing a large level's rows would read each one twice, out of cache).
        let level = self.queue.get(head..end).unwrap_or(&[]);
        let step = level.len().div_ceil(FRONTIER_SAMPLE).max(1);
        let (mut sampled, mut arcs_seen) = (0u64, 0u64);
        for u in level.iter().step_by(step) {
            let (lo, hi) = g.forward.range(*u);
            arcs_seen += (hi - lo) as u64;
            sampled += 1;
        }
        let frontier = arcs_seen * level.len() as u64 / sampled.max(1);
        let left = (n - self.done_count.min(n)) as u64;
        let arcs = g.forward.cols.len() as u64;
        frontier * BOTTOM_UP_ALPHA * n as u64 > left * arcs
    }

    /// Expands the frontier `queue[head..end]` bottom-up. A node that is not a group and
    /// has no arc into a group passes its severity on as it is to every node that is not a
    /// group (nor masked) that it has an arc to: such a node's severity is the highest of
    /// its affected sources, so each node below the frontier's highest severity scans its
    /// arcs in, stopping at the first source that gives it that severity. The rest of the
    /// frontier (groups, nodes with arcs into groups) is pushed down as usual. Sources
    /// found that are not in the frontier (raised earlier in this step) are queued
    /// themselves, so taking their severity early changes no result.
    fn step_bottom_up(&mut self, head: usize, end: usize, outage: u8, holding: u8) {
        let g = self.graph;
        let mut top = 0u8;
        for k in head..end {
            let Some(&u) = self.queue.get(k) else { break };
            if bit(&g.statics, u as usize) {
                self.push_down(u, outage, holding);
            } else {
                top = top.max(self.dequeue(u, outage));
            }
        }
        if top == 0 {
            return;
        }
        let n = self.n;
        let words = self.bits.len();
        for w in 0..words {
            // Candidates: not at the outage level (or, when the frontier is at level 1,
            // not affected at all).
            let Some(&b) = self.bits.get(w) else { break };
            let skip = if top == 1 { b.hit } else { b.done };
            let mut free = !(skip | b.blocked);
            while free != 0 {
                let v = w * 64 + free.trailing_zeros() as usize;
                free &= free - 1;
                if v >= n {
                    break;
                }
                // Not affected when the frontier is at level 1 or every affected node is
                // at the outage level; else its severity is read.
                let cur = if top == 1 || self.partial == 0 {
                    0
                } else {
                    self.plain_severity(v)
                };
                if cur >= top {
                    continue;
                }
                let Ok(v) = u32::try_from(v) else { break };
                let (best, by) = self.best_source(v, cur, top, outage);
                if by == NONE {
                    continue;
                }
                self.raise_plain(v, cur, best, by, outage);
            }
        }
    }

    /// The highest severity above `cur` among the affected sources of `v` that are not
    /// groups, stopping at `top`, and the source that gives it ([`NONE`] if none does).
    #[inline]
    fn best_source(&self, v: u32, cur: u8, top: u8, outage: u8) -> (u8, u32) {
        let sources = self.graph.reverse.row(v);
        if self.partial == 0 {
            // Every affected node that is not a group is at the outage level.
            // Rows are sorted and the compiled order is breadth-first, so the first source
            // is the earliest reached and usually done: it is tested alone. Past it, eight
            // sources' bits are loaded before any is tested: independent loads overlap,
            // where stopping at each one would wait for them one by one.
            let Some((&first, rest)) = sources.split_first() else {
                return (cur, NONE);
            };
            if self.is_done(first as usize) {
                return (outage, first);
            }
            for chunk in rest.chunks(8) {
                let mut found = 0u32;
                for (k, p) in chunk.iter().enumerate() {
                    found |= u32::from(self.is_done(*p as usize)) << k;
                }
                if found != 0 {
                    let p = chunk.get(found.trailing_zeros() as usize).copied();
                    return p.map_or((cur, NONE), |p| (outage, p));
                }
            }
            return (cur, NONE);
        }
        let (mut best, mut by) = (cur, NONE);
        for &p in sources {
            let pi = p as usize;
            if !self.is_hit(pi) {
                continue;
            }
            let s = self.plain_severity(pi);
            if s > best {
                best = s;
                by = p;
                if best >= top {
                    break;
                }
            }
        }
        (best, by)
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
        // Masks live in the blocked bits (and a group's mark) for the duration of the query.
        // A masked node that is not a group is told from a group by the graph's group bits.
        for m in maintenance {
            let m = g.inner_of(*m);
            let mi = m as usize;
            if mi >= self.n {
                continue;
            }
            let group = bit(&g.groups, mi);
            let first = if group {
                let Some(mark) = self.marks.get_mut(mi) else {
                    continue;
                };
                let first = mark.state() & ST_TOUCHED == 0;
                mark.flag(ST_TOUCHED | ST_MASKED);
                first
            } else {
                // Not masked twice.
                !self.is_blocked(mi)
            };
            if first {
                self.touch(m, group);
            }
            self.set_flag(mi, Flag::Blocked);
        }
        for &(node, level) in seeds {
            if level == 0 || level > outage {
                return Err(Error::NoSuchSeverity { level, max: outage });
            }
            let node = g.inner_of(node);
            let vi = node as usize;
            if vi >= self.n {
                continue;
            }
            if bit(&g.groups, vi) {
                let masked = self
                    .marks
                    .get(vi)
                    .is_some_and(|m| m.state() & ST_MASKED != 0);
                if !masked {
                    self.raise_group(node, level, node);
                }
            } else if !self.is_blocked(vi) {
                // Not masked (raised already if the seed is given twice).
                self.raise_plain(node, self.plain_severity(vi), level, node, outage);
            }
        }
        // Level by level (a FIFO queue, so a level is a stretch of it): each level is pushed
        // down, or expanded bottom-up when it is large.
        let mut head = 0;
        while head < self.queue_len {
            let end = self.queue_len;
            if self.go_bottom_up(head, end) {
                self.step_bottom_up(head, end, outage, holding);
            } else {
                self.push_level(head, end, outage, holding);
            }
            head = end;
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
    /// Affected nodes (severity at least 1) in discovery order, seeds included. The order is
    /// deterministic but follows the compiled graph's order (see [`Graph`]): nodes of one
    /// level are discovered in that order, and on large graphs a wave of outages may be
    /// expanded bottom-up, which discovers that wave's nodes in it too. Where two paths
    /// are equally short, [`ImpactView::via`] follows the first in that order.
    pub fn affected(&self) -> impl Iterator<Item = (NodeId, u8)> + '_ {
        let touched = self.ws.touched.get(..self.ws.touched_len).unwrap_or(&[]);
        touched.iter().filter_map(|t| {
            let s = self.ws.severity_of(*t as usize);
            (s > 0).then(|| (self.ws.graph.outer_of(*t), s))
        })
    }

    /// How many nodes are affected.
    pub fn count(&self) -> usize {
        self.ws.affected
    }

    /// The severity of `node` (0: unaffected).
    pub fn severity(&self, node: NodeId) -> u8 {
        self.ws.severity_of(self.ws.graph.inner_of(node) as usize)
    }

    /// The node whose failure raised `node` to its severity (itself for a seed).
    pub fn via(&self, node: NodeId) -> Option<NodeId> {
        self.ws
            .pred_of(self.ws.graph.inner_of(node) as usize)
            .map(|p| self.ws.graph.outer_of(p))
    }

    /// For a group: members failed (at outage) so far.
    pub fn failed_members(&self, node: NodeId) -> u32 {
        let i = self.ws.graph.inner_of(node) as usize;
        self.ws.down.get(i).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::SeverityScale;

    /// A builder with one relation, `feeds`, along which failure travels forward.
    fn feeding() -> Result<(GraphBuilder, RelationId), Error> {
        let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
        let feeds = b.relation(RelationSpec {
            name: "feeds".into(),
            propagation: Propagation::FromTo,
        })?;
        Ok((b, feeds))
    }

    /// A member raised from level 1 to the outage level while still queued is queued twice
    /// (nodes that are not groups keep no queued bit) and pushed down at the outage level
    /// once: its group counts it failed once.
    #[test]
    fn a_member_raised_while_queued_is_counted_once() -> Result<(), Error> {
        let (mut b, feeds) = feeding()?;
        let mut spec = NodeSpec::new("", NodeKind::ConfigurationItem, "host");
        let mut node = |id: &str| {
            spec.id = id.into();
            b.node(&spec)
        };
        let (p, q, x, y) = (node("p")?, node("q")?, node("x")?, node("y")?);
        let pair = b.group("pair", MinUp::Count(1))?;
        b.member(pair, x);
        b.member(pair, y);
        b.edge(p, x, feeds);
        b.edge(q, x, feeds);
        let g = b.build()?;
        let outage = g.outage();
        for seeds in [[(p, 1), (q, outage)], [(q, outage), (p, 1)]] {
            let mut ws = g.workspace();
            let view = ws.run(&seeds, &[])?;
            assert_eq!(view.severity(x), outage);
            assert_eq!(view.via(x), Some(q));
            assert_eq!(view.failed_members(pair), 1);
            // One of two members down: the pair holds, degraded.
            assert_eq!(view.severity(pair), 1);
            assert_eq!(view.count(), 4);
        }
        Ok(())
    }

    /// The compiled order is a breadth-first order, not the builder's, and every answer
    /// still speaks of the builder's ids: a chain built backwards is renumbered front to
    /// back, and a failure of its head is reported, explained and counted by `NodeId`.
    #[test]
    fn the_compiled_order_stays_behind_the_api() -> Result<(), Error> {
        let (mut b, feeds) = feeding()?;
        // Builder ids 0..5: c4, c3, c2, c1, c0; failure runs c0 -> c1 -> ... -> c4, and a
        // group (id 5) of c3 and c4 that needs one up.
        let mut spec = NodeSpec::new("", NodeKind::ConfigurationItem, "host");
        for i in (0..5).rev() {
            spec.id = format!("c{i}");
            b.node(&spec)?;
        }
        let pair = b.group("pair", MinUp::Count(1))?;
        for k in (1..5).rev() {
            b.edge(NodeId(k), NodeId(k - 1), feeds);
        }
        b.member(pair, NodeId(0));
        b.member(pair, NodeId(1));
        let g = b.build()?;
        // c0 (builder id 4) is the only node nothing reaches: it comes first.
        assert_eq!(g.outer.first(), Some(&4));
        assert_ne!(g.outer, (0..6).collect::<Vec<u32>>());
        for (i, &o) in g.outer.iter().enumerate() {
            assert_eq!(g.inner.get(o as usize).copied(), u32::try_from(i).ok());
        }
        assert_eq!(g.affects(NodeId(4)), vec![NodeId(3)]);
        assert_eq!(g.affected_by(pair), vec![NodeId(0), NodeId(1)]);
        assert_eq!(g.group_rule(pair), Some((2, 2)));
        let mut ws = g.workspace();
        let view = ws.run(&[(NodeId(4), 2)], &[])?;
        let mut affected: Vec<(NodeId, u8)> = view.affected().collect();
        affected.sort_unstable();
        let all: Vec<(NodeId, u8)> = (0..6).map(|i| (NodeId(i), 2)).collect();
        assert_eq!(affected, all);
        assert_eq!(view.via(NodeId(0)), Some(NodeId(1)));
        assert_eq!(view.via(NodeId(4)), Some(NodeId(4)));
        assert_eq!(view.failed_members(pair), 2);
        assert_eq!(view.severity(NodeId(9)), 0);
        Ok(())
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
        b.edge(x, first, feeds);
        assert_eq!(
            b.build().err(),
            Some(Error::EmptyGroup {
                group: "first".into()
            })
        );
        Ok(())
    }

    /// A mark's fields live in separate bits of its word: setting one leaves the others.
    #[test]
    fn a_mark_keeps_its_fields_apart() {
        let mut m = Mark::new(NONE - 1, ST_TOUCHED | 3);
        assert_eq!(
            (m.pred(), m.state(), m.severity(), m.gmax()),
            (NONE - 1, ST_TOUCHED | 3, 3, 0)
        );
        m.set_gmax(0xff);
        m.flag(ST_MASKED);
        assert_eq!(
            (m.pred(), m.state(), m.gmax()),
            (NONE - 1, ST_TOUCHED | ST_MASKED | 3, 0xff)
        );
        m.unflag(ST_TOUCHED);
        m.set_gmax(2);
        assert_eq!(
            (m.pred(), m.state(), m.gmax()),
            (NONE - 1, ST_MASKED | 3, 2)
        );
        // Lifting keeps the group's member maximum and the flags, and refuses a lower level.
        assert_eq!(m.lift(2, 7), None);
        assert_eq!(m.lift(250, 7), Some(ST_MASKED | 3));
        let lifted = ST_MASKED | ST_TOUCHED | ST_QUEUED | 250;
        assert_eq!((m.pred(), m.state(), m.gmax()), (7, lifted, 2));
    }

    /// A graph large enough for bottom-up steps: random arcs, with groups, masks and
    /// seeds of every level; bottom-up steps must give what pushing down alone gives.
    #[test]
    fn bottom_up_steps_answer_like_top_down() -> Result<(), Error> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut rnd = move |n: u32| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (((x >> 32) * u64::from(n)) >> 32) as u32
        };
        for scale in [
            SeverityScale::outage_degraded(),
            SeverityScale::servicenow(),
        ] {
            let n = 40_000u32;
            let groups = 2_000u32;
            let mut b = GraphBuilder::new(scale);
            let feeds = b.relation(RelationSpec {
                name: "feeds".into(),
                propagation: Propagation::FromTo,
            })?;
            let both = b.relation(RelationSpec {
                name: "peer".into(),
                propagation: Propagation::Both,
            })?;
            let mut spec = NodeSpec::new("", NodeKind::ConfigurationItem, "host");
            for i in 0..n {
                spec.id = format!("n{i}");
                b.node(&spec)?;
            }
            for i in 0..groups {
                let g = b.group(&format!("g{i}"), MinUp::Count(1 + rnd(2)))?;
                for k in 0..3 {
                    b.member(g, NodeId((i * 3 + k) % n));
                }
                b.edge(g, NodeId(rnd(n)), feeds);
            }
            for u in 0..n {
                for _ in 0..3 {
                    b.edge(NodeId(u), NodeId(rnd(n + groups)), feeds);
                }
                if rnd(50) == 0 {
                    b.edge(NodeId(u), NodeId(rnd(n)), both);
                }
            }
            let g = b.build()?;
            let outage = g.outage();
            let mut fast = g.workspace();
            // Reset sparsely however much a query touched: records are left from earlier
            // queries.
            fast.fill_above = usize::MAX;
            let mut slow = g.workspace();
            slow.bottom_up = false;
            for round in 0..6 {
                let seeds: Vec<(NodeId, u8)> = (0..1 + round * 3)
                    .map(|_| (NodeId(rnd(n + groups)), 1 + rnd(u32::from(outage)) as u8))
                    .collect();
                let masks: Vec<NodeId> = (0..round * 40).map(|_| NodeId(rnd(n + groups))).collect();
                let answer = |ws: &mut Workspace<'_>| -> Result<_, Error> {
                    let view = ws.run(&seeds, &masks)?;
                    let mut affected: Vec<(NodeId, u8)> = view.affected().collect();
                    affected.sort_unstable();
                    let members: Vec<u32> = (0..n + groups)
                        .map(|i| view.failed_members(NodeId(i)))
                        .collect();
                    // Every reason given is affected at least as badly.
                    for (node, s) in &affected {
                        let via = view.via(*node).map(|p| view.severity(p));
                        assert!(via.is_some_and(|p| p >= 1), "{node:?} at {s} has no reason");
                    }
                    Ok((affected, members))
                };
                let a = answer(&mut fast)?;
                let b = answer(&mut slow)?;
                assert!(a.0.len() > 1000 || round == 0);
                assert_eq!(a, b);
                // The reused workspace (records left from earlier queries) answers like a fresh
                // one, reasons included.
                let every = |ws: &mut Workspace<'_>| -> Result<Vec<(u8, Option<NodeId>)>, Error> {
                    let view = ws.run(&seeds, &masks)?;
                    Ok((0..n + groups)
                        .map(|i| (view.severity(NodeId(i)), view.via(NodeId(i))))
                        .collect())
                };
                assert_eq!(every(&mut fast)?, every(&mut g.workspace())?);
            }
        }
        Ok(())
    }
}
