//! A service's dependency edges as plain data, and the suppliers it depends on with no
//! alternative (supplier concentration).
//!
//! The edges come from the host (a CMDB export, or `itsm-graph`'s edges by id): this crate
//! does not depend on the graph crate. A node is any id; a node whose id is a configuration
//! item of the organisation is provided by that item's supplier, and a node whose id is a
//! supplier stands for the supplier itself (so a supplier's own suppliers form a chain).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::error::Error;

/// `from` needs one of `on`: a single node is a plain dependency, several are alternatives
/// (any one of them suffices). A node with several dependencies needs each of them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Dependency {
    /// The node that depends.
    pub from: String,
    /// What it depends on: one node, or several alternatives.
    pub on: Vec<String>,
}

impl Dependency {
    /// `from` depends on one of `on`.
    ///
    /// ```
    /// use itsm_dimensions::Dependency;
    ///
    /// let plain = Dependency::new("payroll", &["payroll-db"]);
    /// let either = Dependency::new("payroll-db", &["san-a", "san-b"]); // redundant storage
    /// assert_eq!((plain.on.len(), either.on.len()), (1, 2));
    /// ```
    pub fn new(from: &str, on: &[&str]) -> Self {
        Dependency {
            from: from.to_owned(),
            on: crate::model::strings(on),
        }
    }
}

/// Dependency edges, checked and indexed once for many services' queries. Ids need not be
/// declared in the organisation: a node it does not know simply has no supplier.
///
/// ```
/// use itsm_dimensions::{Dependencies, Dependency};
///
/// let deps = Dependencies::new(vec![
///     Dependency::new("shop", &["payments"]),
///     Dependency::new("payments", &["psp-a", "psp-b"]),
/// ])?;
/// assert_eq!(deps.node_count(), 4);
/// assert!(Dependencies::new(vec![Dependency::new("shop", &[])]).is_err());
/// # Ok::<(), itsm_dimensions::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dependencies {
    edges: Vec<Dependency>,
    pub(crate) graph: Csr,
}

/// The compact form: nodes by position, each node's requirement groups, each group's
/// alternatives, and the reverse (which groups a node is an alternative in).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Csr {
    pub(crate) names: Vec<String>,
    pub(crate) ids: BTreeMap<String, u32>,
    /// `node_groups[n]..node_groups[n + 1]`: node `n`'s groups.
    node_groups: Vec<u32>,
    /// `group_alts[g]..group_alts[g + 1]`: group `g`'s alternatives in `alts`.
    group_alts: Vec<u32>,
    alts: Vec<u32>,
    /// The node owning each group.
    group_owner: Vec<u32>,
    /// `rev_start[n]..rev_start[n + 1]`: the groups node `n` is an alternative in, in `rev`.
    rev_start: Vec<u32>,
    rev: Vec<u32>,
}

const MAX: usize = u32::MAX as usize - 1;

impl Dependencies {
    /// Checks and indexes `edges`. A dependency given twice is the same fact.
    ///
    /// # Errors
    /// [`Error::EmptyDependency`] for a dependency with an empty `on`, and
    /// [`Error::TooLarge`] past 4 billion nodes or alternatives.
    pub fn new(edges: Vec<Dependency>) -> Result<Self, Error> {
        let mut ids: BTreeMap<String, u32> = BTreeMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut intern = |name: &String| -> Result<u32, Error> {
            if let Some(&i) = ids.get(name) {
                return Ok(i);
            }
            let count = names.len();
            if count >= MAX {
                return Err(Error::TooLarge {
                    what: "nodes",
                    count: count + 1,
                    max: MAX,
                });
            }
            let i = count as u32;
            ids.insert(name.clone(), i);
            names.push(name.clone());
            Ok(i)
        };
        let mut groups: Vec<(u32, Vec<u32>)> = Vec::with_capacity(edges.len());
        let mut total_alts = 0usize;
        for (index, edge) in edges.iter().enumerate() {
            if edge.on.is_empty() {
                return Err(Error::EmptyDependency {
                    index,
                    from: edge.from.clone(),
                });
            }
            let from = intern(&edge.from)?;
            let mut on = Vec::with_capacity(edge.on.len());
            for name in &edge.on {
                on.push(intern(name)?);
            }
            on.sort_unstable();
            on.dedup();
            total_alts += on.len();
            if total_alts >= MAX || groups.len() >= MAX {
                return Err(Error::TooLarge {
                    what: "alternatives",
                    count: total_alts,
                    max: MAX,
                });
            }
            groups.push((from, on));
        }
        groups.sort_unstable();
        groups.dedup();
        let n = names.len();
        let mut node_groups = vec![0u32; n + 1];
        let mut group_alts = Vec::with_capacity(groups.len() + 1);
        let mut alts = Vec::with_capacity(total_alts);
        let mut group_owner = Vec::with_capacity(groups.len());
        let mut rev_count = vec![0u32; n + 1];
        group_alts.push(0);
        for (from, on) in &groups {
            if let Some(c) = node_groups.get_mut(*from as usize + 1) {
                *c += 1;
            }
            for a in on {
                if let Some(c) = rev_count.get_mut(*a as usize + 1) {
                    *c += 1;
                }
            }
            alts.extend_from_slice(on);
            group_alts.push(alts.len() as u32);
            group_owner.push(*from);
        }
        for i in 1..=n {
            let (prev, cur) = (at(&node_groups, i - 1), at(&node_groups, i));
            if let Some(c) = node_groups.get_mut(i) {
                *c = prev + cur;
            }
            let (prev, cur) = (at(&rev_count, i - 1), at(&rev_count, i));
            if let Some(c) = rev_count.get_mut(i) {
                *c = prev + cur;
            }
        }
        let rev_start = rev_count.clone();
        let mut fill = rev_count;
        let mut rev = vec![0u32; alts.len()];
        for (g, (_, on)) in groups.iter().enumerate() {
            for a in on {
                if let Some(slot) = fill.get_mut(*a as usize) {
                    if let Some(r) = rev.get_mut(*slot as usize) {
                        *r = g as u32;
                    }
                    *slot += 1;
                }
            }
        }
        Ok(Dependencies {
            edges,
            graph: Csr {
                names,
                ids,
                node_groups,
                group_alts,
                alts,
                group_owner,
                rev_start,
                rev,
            },
        })
    }

    /// No dependencies at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// The edges as given.
    pub fn edges(&self) -> &[Dependency] {
        &self.edges
    }

    /// How many distinct nodes the edges name.
    pub fn node_count(&self) -> usize {
        self.graph.names.len()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Dependencies {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.edges.serialize(serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Dependencies {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let edges = Vec::<Dependency>::deserialize(deserializer)?;
        Dependencies::new(edges).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Dependencies {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Dependencies".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Vec::<Dependency>::json_schema(generator)
    }
}

fn at(v: &[u32], i: usize) -> u32 {
    v.get(i).copied().unwrap_or(0)
}

fn range(v: &[u32], i: u32) -> std::ops::Range<usize> {
    at(v, i as usize) as usize..at(v, i as usize + 1) as usize
}

impl Csr {
    fn groups(&self, n: u32) -> impl Iterator<Item = u32> + '_ {
        range(&self.node_groups, n).map(|g| g as u32)
    }

    fn alts(&self, g: u32) -> &[u32] {
        self.alts.get(range(&self.group_alts, g)).unwrap_or(&[])
    }

    fn parents(&self, n: u32) -> &[u32] {
        self.rev.get(range(&self.rev_start, n)).unwrap_or(&[])
    }

    fn owner(&self, g: u32) -> u32 {
        self.group_owner.get(g as usize).copied().unwrap_or(0)
    }
}

/// Scratch space reused across services, so that a query costs what it reaches, never the
/// size of the whole graph.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    stamp: Vec<u32>,
    local: Vec<u32>,
    generation: u32,
}

impl Workspace {
    fn start(&mut self, n: usize) {
        if self.stamp.len() < n {
            self.stamp.resize(n, 0);
            self.local.resize(n, 0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
    }

    fn local(&self, n: u32) -> Option<u32> {
        let i = n as usize;
        (self.stamp.get(i) == Some(&self.generation)).then(|| self.local.get(i).copied())?
    }

    fn set(&mut self, n: u32, local: u32) {
        let i = n as usize;
        if let (Some(s), Some(l)) = (self.stamp.get_mut(i), self.local.get_mut(i)) {
            *s = self.generation;
            *l = local;
        }
    }
}

/// The suppliers whose failure alone takes `root` down, each with the nodes of the graph it
/// provides, by supplier position; `suppliers_of(node)` gives a node's suppliers.
///
/// Failure travels up: a node fails when it is provided by the failed supplier, or when
/// every alternative of one of its dependencies has failed (least fixpoint, so cycles are
/// fine). The cost is linear in what `root` reaches when no alternative is reachable (then
/// every supplier reached is critical). Otherwise the candidates are the suppliers on two
/// different working sets (one taking every first alternative, one every last); each is
/// checked by failing it and following the failure up until it reaches a node already known
/// to be critical (the service, what it needs with no alternative, a confirmed supplier's
/// node) or fails every node of a confirmed supplier, candidates nearest the service first.
/// A chain, a ladder of alternatives that meet again one step down, or redundant chains that
/// one supplier per level covers on all of them, so cost a step or two per candidate; the
/// worst case, many candidates each taking down much of the graph without reaching the
/// service, is the candidates times what they reach.
pub(crate) fn critical_suppliers(
    graph: &Csr,
    root: &str,
    suppliers_of: &dyn Fn(u32) -> Vec<u32>,
    ws: &mut Workspace,
) -> BTreeMap<u32, Vec<u32>> {
    let mut found: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let Some(&root) = graph.ids.get(root) else {
        return found;
    };
    ws.start(graph.names.len());
    // Reach, in an order where a node comes after everything it depends on (post-order of
    // an iterative depth-first search).
    let mut order: Vec<u32> = Vec::new();
    let mut stack: Vec<(u32, u32, usize)> = Vec::new(); // node, group, alternative
    let mut alternatives = false;
    ws.set(root, u32::MAX);
    stack.push((root, at(&graph.node_groups, root as usize), 0));
    while let Some(top) = stack.last_mut() {
        let (node, group, alt) = *top;
        let end = at(&graph.node_groups, node as usize + 1);
        if group >= end {
            let local = order.len() as u32;
            order.push(node);
            ws.set(node, local);
            stack.pop();
            continue;
        }
        let alts = graph.alts(group);
        if alts.len() > 1 {
            alternatives = true;
        }
        match alts.get(alt) {
            Some(&next) => {
                top.2 += 1;
                if ws.local(next).is_none() {
                    ws.set(next, u32::MAX); // on the stack
                    stack.push((next, at(&graph.node_groups, next as usize), 0));
                }
            }
            None => {
                top.1 += 1;
                top.2 = 0;
            }
        }
    }
    // Every supplier of every node reached.
    let supplied: Vec<(u32, Vec<u32>)> = order
        .iter()
        .map(|&n| (n, suppliers_of(n)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    if !alternatives {
        for (node, suppliers) in &supplied {
            for s in suppliers {
                found.entry(*s).or_default().push(*node);
            }
        }
        return found;
    }
    let w1 = witness(graph, root, ws, &order, true);
    let w2 = witness(graph, root, ws, &order, false);
    // A candidate is on both working sets; checked from the service down (parents before
    // children), each is critical when its failure reaches a node already known critical.
    let mut candidates: BTreeMap<u32, (u32, Vec<u32>)> = BTreeMap::new(); // supplier -> (top, nodes)
    let on = |w: &[bool], l: u32| w.get(l as usize) == Some(&true);
    let mut in_w1 = BTreeSet::new();
    let mut in_w2 = BTreeSet::new();
    for (node, suppliers) in &supplied {
        let Some(l) = ws.local(*node) else { continue };
        for &s in suppliers {
            if on(&w1, l) {
                in_w1.insert(s);
            }
            if on(&w2, l) {
                in_w2.insert(s);
            }
            let entry = candidates.entry(s).or_insert((0, Vec::new()));
            entry.0 = entry.0.max(l);
            entry.1.push(l);
        }
    }
    candidates.retain(|s, _| in_w1.contains(s) && in_w2.contains(s));
    let mut critical = Critical {
        nodes: forced(graph, root, ws, order.len()),
        sets: Vec::new(),
        member: BTreeMap::new(),
    };
    let mut queue: Vec<(u32, u32, Vec<u32>)> = candidates
        .into_iter()
        .map(|(s, (top, nodes))| (top, s, nodes))
        .collect();
    queue.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, supplier, nodes) in queue {
        if takes_down(graph, ws, &order, &nodes, &critical) {
            critical.learn(&nodes);
            let names: Vec<u32> = nodes
                .iter()
                .filter_map(|l| order.get(*l as usize).copied())
                .collect();
            found.insert(supplier, names);
        }
    }
    found
}

/// The nodes whose failure alone takes `root` down for certain, found without search:
/// `root`, and what a known one depends on with no alternative.
fn forced(graph: &Csr, root: u32, ws: &Workspace, len: usize) -> Vec<bool> {
    let mut known = vec![false; len];
    let mut stack = vec![root];
    if let Some(k) = ws.local(root).and_then(|l| known.get_mut(l as usize)) {
        *k = true;
    }
    while let Some(n) = stack.pop() {
        for g in graph.groups(n) {
            if let [only] = graph.alts(g) {
                if let Some(k) = ws.local(*only).and_then(|l| known.get_mut(l as usize)) {
                    if !*k {
                        *k = true;
                        stack.push(*only);
                    }
                }
            }
        }
    }
    known
}

/// What is known to take `root` down: single nodes (by local position), and the node sets
/// of suppliers already confirmed critical. Failure spreads monotonically, so a failure that
/// reaches every node of a known set takes `root` down too: two redundant chains that one
/// supplier per level covers on both cost a step or two per supplier, not a walk to the
/// service each.
struct Critical {
    nodes: Vec<bool>,
    /// The confirmed sets of more than one node.
    sets: Vec<Vec<u32>>,
    /// Local position -> the sets it belongs to.
    member: BTreeMap<u32, Vec<u32>>,
}

impl Critical {
    fn node(&self, l: u32) -> bool {
        self.nodes.get(l as usize) == Some(&true)
    }

    /// Records that failing `nodes` takes `root` down.
    fn learn(&mut self, nodes: &[u32]) {
        let mut set = nodes.to_vec();
        set.sort_unstable();
        set.dedup();
        if let [one] = set.as_slice() {
            if let Some(k) = self.nodes.get_mut(*one as usize) {
                *k = true;
            }
            return;
        }
        let index = self.sets.len() as u32;
        for &l in &set {
            self.member.entry(l).or_default().push(index);
        }
        self.sets.push(set);
    }
}

/// Whether failing `sources` (local positions) takes `root` down, judged by what is already
/// known: failure travels up, a node failing when every alternative of one of its
/// dependencies has, until it reaches a known critical node or completes a known critical
/// set. So a candidate just below a known critical node (or set) costs a step, not a walk
/// to the service.
fn takes_down(
    graph: &Csr,
    ws: &Workspace,
    order: &[u32],
    sources: &[u32],
    critical: &Critical,
) -> bool {
    let mut failed: BTreeSet<u32> = BTreeSet::new();
    let mut dead: BTreeMap<u32, usize> = BTreeMap::new(); // group -> alternatives failed
    let mut hits: BTreeMap<u32, usize> = BTreeMap::new(); // known set -> its nodes failed
    // Breadth first: failure spreads up every way at once, so it meets a known set as soon
    // as its nearest member, not after walking one way to the service first.
    let mut queue: VecDeque<u32> = VecDeque::new();
    // Marks `l` failed; true when that completes what is known to take `root` down.
    let mut fail = |l: u32, failed: &mut BTreeSet<u32>, queue: &mut VecDeque<u32>| {
        if critical.node(l) {
            return true;
        }
        if !failed.insert(l) {
            return false;
        }
        queue.push_back(l);
        for &set in critical.member.get(&l).map(Vec::as_slice).unwrap_or(&[]) {
            let count = hits.entry(set).or_insert(0);
            *count += 1;
            if critical.sets.get(set as usize).map(Vec::len) == Some(*count) {
                return true;
            }
        }
        false
    };
    for &l in sources {
        if fail(l, &mut failed, &mut queue) {
            return true;
        }
    }
    while let Some(l) = queue.pop_front() {
        let Some(&node) = order.get(l as usize) else {
            continue;
        };
        for &g in graph.parents(node) {
            let owner = graph.owner(g);
            let Some(o) = ws.local(owner) else { continue };
            if failed.contains(&o) {
                continue;
            }
            let count = dead.entry(g).or_insert(0);
            *count += 1;
            if *count < graph.alts(g).len() {
                continue;
            }
            if fail(o, &mut failed, &mut queue) {
                return true;
            }
        }
    }
    false
}

/// The nodes of one working set: from `root`, every dependency through its first (or last)
/// alternative. If a supplier is on none of its nodes, its failure leaves this set working,
/// so `root` keeps working: a critical supplier is on every such set.
fn witness(graph: &Csr, root: u32, ws: &Workspace, order: &[u32], first: bool) -> Vec<bool> {
    let mut on = vec![false; order.len()];
    let mut stack = vec![root];
    if let Some(l) = ws.local(root) {
        if let Some(o) = on.get_mut(l as usize) {
            *o = true;
        }
    }
    while let Some(n) = stack.pop() {
        for g in graph.groups(n) {
            let alts = graph.alts(g);
            let pick = if first { alts.first() } else { alts.last() };
            if let Some(&next) = pick {
                if let Some(l) = ws.local(next) {
                    if let Some(o) = on.get_mut(l as usize) {
                        if !*o {
                            *o = true;
                            stack.push(next);
                        }
                    }
                }
            }
        }
    }
    on
}
