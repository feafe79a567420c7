//! The fuzz harnesses of the service dependency graph, as plain functions of bytes.
//!
//! It follows issue 21's rules (a group that failed itself does not hold; root causes
//! explain an outage alarm only by an outage; ServiceNow's scale lowers a holding group by
//! one level and takes down a node with two affected clusters; each scenario is also checked
//! under the `LostCapacity` and `HidesParents` maintenance rules).
//!
//! The libFuzzer targets `graph_queries` and `graph_spec_json` call these functions, and so
//! does the stable test `crates/itsm-graph/tests/fuzz_corpus.rs`, which replays every saved
//! input of `fuzz/corpus/<target>/` in `cargo test`.
//!
//! Only std, serde_json and `itsm-graph` are used; bytes are decoded by hand into small
//! domains (a few nodes and groups, three relationship types, five severity scales), so short
//! inputs reach graphs with cycles, nested groups and groups in cycles, and the same bytes
//! always mean the same thing.
//!
//! Every answer is compared with a reference model built straight from the [`GraphSpec`]:
//! ids in a map, arcs in a set, and a fixpoint that recomputes every node from its inputs
//! until nothing changes (the rules of `docs/graph.md`). A function returns normally when all
//! is well and panics (through `assert!`) when an answer differs or an invariant breaks.
//!
//! How [`queries`] reads its bytes (each choice is a byte modulo the number of options; a
//! missing byte reads as 0), for writing seeds by hand:
//! - byte 0: flags (bit 0 declares a relation twice, bit 1 names group 0 like node 0, bits
//!   2-4 the severity scale: 0-1 degraded/outage, 2 ServiceNow's four levels, 3 one level,
//!   4 three levels holding at 3, 5 three levels holding at 2, 6 holding level 0, 7 no
//!   levels);
//! - byte 1: 1 + n % 8 nodes, then per node its kind (0-3 business service, 4-5 technical
//!   service, 6-8 configuration item, 9 a node of kind `group` in the node list) and tier;
//! - then n % 4 groups, each: two bytes of member mask over nodes then groups, an extra
//!   (255: an unknown member, 254: the first member again), the rule (0-3 `count` 0-3, 4-11
//!   `percent` 0, 1, 34, 50, 67, 100, 101, 255);
//! - then n % 17 edges, each: from, to (255: an unknown id) and relation (0 `depends_on`
//!   to-from, 1 `hosts` from-to, 2 `peers` both; 255 an undeclared one);
//! - then n % 5 scenarios, each: n % 4 failures of (node, severity: none, 0, 1, 2, outage,
//!   outage + 1) and n % 3 nodes in maintenance;
//! - then up to 24 queries: the kind (0 single points of failure, 1 root causes, 2
//!   resilience, 3 what-if) and its own choices;
//! - and the input's last byte, when the input has at least two (it is read by the above as
//!   well): modulo 8, 5 hangs a long chain below node `n0`, 6 a wide fan above it, 7 deep
//!   redundancy-group nesting around it, with the next-to-last byte setting the size (up to
//!   about 52,000 chain nodes, 5,200 fan nodes or 2,100 nested groups); see [`shapes`]. These
//!   queries run on a thread with a 256 kB stack, so recursion that follows the input
//!   overflows it, and are checked against what the shape implies.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use itsm_graph::{
    Candidate, EdgeSpec, Error, Explanation, Failure, Graph, GraphBuilder, GraphSpec, GroupSpec,
    ImpactReport, MaintenanceRule, MinUp, NamedIn, NodeId, NodeKind, NodeSpec, Propagation,
    RelationSpec, Resilience, Scenario, SeverityScale, WhatIf,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

/// At most this many queries per input, so each execution stays fast.
const MAX_QUERIES: usize = 24;

/// The id every choice of 255 names: in no graph.
const GHOST: &str = "ghost";

/// One of `ids`, or (for 255) an id that no graph has.
fn pick_id(b: &mut Bytes<'_>, ids: &[String]) -> String {
    let byte = b.byte();
    if byte == 255 {
        return GHOST.to_owned();
    }
    let i = usize::from(byte) % ids.len().max(1);
    ids.get(i).cloned().unwrap_or_else(|| GHOST.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Decoding

const RELATIONS: [(&str, Propagation); 3] = [
    ("depends_on", Propagation::ToFrom),
    ("hosts", Propagation::FromTo),
    ("peers", Propagation::Both),
];

fn scale(choice: u8) -> SeverityScale {
    match choice % 8 {
        0 | 1 => SeverityScale::outage_degraded(),
        2 => SeverityScale::servicenow(),
        3 => SeverityScale::new(&["down"], 1),
        4 => SeverityScale::new(&["minor", "major", "down"], 3),
        5 => SeverityScale::new(&["minor", "major", "down"], 2),
        6 => SeverityScale::new(&["degraded", "down"], 0),
        _ => SeverityScale::new(&[], 1),
    }
}

fn spec_from(b: &mut Bytes<'_>) -> GraphSpec {
    let flags = b.byte();
    let mut relations: Vec<RelationSpec> = RELATIONS
        .iter()
        .map(|(name, propagation)| RelationSpec::new(name, *propagation))
        .collect();
    if flags & 1 != 0 {
        relations.push(RelationSpec::new("hosts", Propagation::ToFrom));
    }
    let node_count = 1 + b.pick(8);
    let mut nodes = Vec::with_capacity(node_count);
    for i in 0..node_count {
        let kind = match b.pick(10) {
            0..=3 => NodeKind::BusinessService,
            4 | 5 => NodeKind::TechnicalService,
            6..=8 => NodeKind::ConfigurationItem,
            _ => NodeKind::Group,
        };
        let class = match kind {
            NodeKind::BusinessService | NodeKind::TechnicalService => "service",
            _ => "host",
        };
        let mut node = NodeSpec::new(&format!("n{i}"), kind, class);
        node.tier = b.byte() % 4;
        if node.tier == 1 {
            node.owner = Some("ops".to_owned());
        }
        nodes.push(node);
    }
    let group_count = b.pick(4);
    let group_ids: Vec<String> = (0..group_count)
        .map(|i| {
            if i == 0 && flags & 2 != 0 {
                "n0".to_owned()
            } else {
                format!("g{i}")
            }
        })
        .collect();
    let all: Vec<String> = nodes
        .iter()
        .map(|n| n.id.clone())
        .chain(group_ids.iter().cloned())
        .collect();
    let mut groups = Vec::with_capacity(group_count);
    for id in &group_ids {
        let mask = u16::from(b.byte()) | (u16::from(b.byte()) << 8);
        let mut members: Vec<String> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << (i % 16)) != 0)
            .map(|(_, id)| id.clone())
            .collect();
        match b.byte() {
            255 => members.push(GHOST.to_owned()),
            254 => {
                if let Some(first) = members.first().cloned() {
                    members.push(first);
                }
            }
            _ => {}
        }
        let min_up = match b.pick(12) {
            k @ 0..=3 => MinUp::Count(u32::try_from(k).unwrap_or(0)),
            p => MinUp::Percent(
                [0u8, 1, 34, 50, 67, 100, 101, 255]
                    .get(p - 4)
                    .copied()
                    .unwrap_or(50),
            ),
        };
        let mut group = GroupSpec::new(id, &[], min_up);
        group.members = members;
        groups.push(group);
    }
    let edge_count = b.pick(17);
    let mut edges = Vec::with_capacity(edge_count);
    for _ in 0..edge_count {
        let from = pick_id(b, &all);
        let to = pick_id(b, &all);
        let relation = match b.byte() {
            255 => "undeclared".to_owned(),
            r => RELATIONS
                .get(usize::from(r) % RELATIONS.len())
                .map_or("depends_on", |(name, _)| *name)
                .to_owned(),
        };
        edges.push(EdgeSpec::new(&from, &to, &relation));
    }
    let mut spec = GraphSpec::new(relations, nodes, groups, edges);
    spec.severity = scale(flags >> 2);
    spec
}

fn scenario_from(b: &mut Bytes<'_>, ids: &[String], outage: u8) -> Scenario {
    let failed = (0..b.pick(4))
        .map(|_| {
            let mut failure = Failure::outage(&pick_id(b, ids));
            failure.severity = b.choose(
                &[
                    None,
                    Some(0),
                    Some(1),
                    Some(2),
                    Some(outage),
                    Some(outage.saturating_add(1)),
                ],
                None,
            );
            failure
        })
        .collect();
    let maintenance: Vec<String> = (0..b.pick(3)).map(|_| pick_id(b, ids)).collect();
    let maintenance: Vec<&str> = maintenance.iter().map(String::as_str).collect();
    Scenario::new(failed, &maintenance)
}

// ---------------------------------------------------------------------------------------------
// The reference model

/// Failed nodes with their levels, and the nodes in maintenance.
type Seeds = (Vec<(usize, u8)>, BTreeSet<usize>);

const MEMBER: u8 = 1;
const EDGE: u8 = 2;

/// A graph as the reference sees it: positions in graph order (the spec's nodes, then its
/// groups). `None` from [`Model::new`] when `Graph::from_spec` must refuse the spec.
struct Model {
    ids: Vec<String>,
    kinds: Vec<NodeKind>,
    at: BTreeMap<String, usize>,
    /// Arcs along which failure travels, `(from, to)`, with why: membership, edge, or both.
    arcs: BTreeMap<(usize, usize), u8>,
    /// For each node, the arcs into it: `(from, why)`, in graph order.
    inputs: Vec<Vec<(usize, u8)>>,
    /// For each node, the nodes its failure reaches directly, in graph order.
    outputs: Vec<Vec<usize>>,
    /// For each group of the spec: (members, members that must be up).
    rules: Vec<Option<(u32, u32)>>,
    levels: Vec<String>,
    outage: u8,
    holding: u8,
    /// Levels a holding group lowers its members' worst level by (ServiceNow: 1).
    lowers: u8,
    /// ServiceNow's cluster rule: a node that is not a group is down when this many groups
    /// it has an arc from are affected.
    clusters_down: Option<u32>,
}

impl Model {
    fn new(spec: &GraphSpec) -> Option<Model> {
        // Groups are declared among the groups; a node of kind `group` is refused.
        if spec.nodes.iter().any(|n| n.kind == NodeKind::Group) {
            return None;
        }
        let mut names = BTreeSet::new();
        if !spec.relations.iter().all(|r| names.insert(r.name.as_str())) {
            return None;
        }
        let mut ids: Vec<String> = spec.nodes.iter().map(|n| n.id.clone()).collect();
        let mut kinds: Vec<NodeKind> = spec.nodes.iter().map(|n| n.kind).collect();
        ids.extend(spec.groups.iter().map(|g| g.id.clone()));
        kinds.extend(spec.groups.iter().map(|_| NodeKind::Group));
        let mut at = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            if at.insert(id.clone(), i).is_some() {
                return None;
            }
        }
        let mut arcs: BTreeMap<(usize, usize), u8> = BTreeMap::new();
        let mut rules = vec![None; ids.len()];
        for (g, group) in spec.groups.iter().enumerate() {
            let gi = spec.nodes.len() + g;
            let mut seen = BTreeSet::new();
            for m in &group.members {
                let mi = *at.get(m)?;
                if !seen.insert(mi) {
                    return None;
                }
                *arcs.entry((mi, gi)).or_default() |= MEMBER;
            }
            let m = u32::try_from(seen.len()).ok()?;
            let k = match group.min_up {
                MinUp::Count(k) => u64::from(k),
                MinUp::Percent(p) => (u64::from(m) * u64::from(p)).div_ceil(100),
            };
            if m == 0 || k > u64::from(m) {
                return None;
            }
            let k = u32::try_from(k).ok()?;
            if let Some(rule) = rules.get_mut(gi) {
                *rule = Some((m, k));
            }
        }
        for e in &spec.edges {
            let (from, to) = (*at.get(&e.from)?, *at.get(&e.to)?);
            let relation = spec.relations.iter().find(|r| r.name == e.relation)?;
            let pairs: &[(usize, usize)] = match relation.propagation {
                Propagation::ToFrom => &[(to, from)],
                Propagation::FromTo => &[(from, to)],
                Propagation::Both => &[(to, from), (from, to)],
            };
            for pair in pairs {
                *arcs.entry(*pair).or_default() |= EDGE;
            }
        }
        let scale = &spec.severity;
        let outage = u8::try_from(scale.levels.len()).ok()?;
        if outage == 0 || outage > 250 || scale.group_holding == 0 || scale.group_holding > outage {
            return None;
        }
        let mut inputs = vec![Vec::new(); ids.len()];
        let mut outputs = vec![Vec::new(); ids.len()];
        for (&(u, v), &bits) in &arcs {
            if let Some(list) = inputs.get_mut(v) {
                list.push((u, bits));
            }
            if let Some(list) = outputs.get_mut(u) {
                list.push(v);
            }
        }
        Some(Model {
            ids,
            kinds,
            at,
            arcs,
            inputs,
            outputs,
            rules,
            levels: scale.levels.clone(),
            outage,
            holding: scale.group_holding,
            lowers: scale.redundancy_lowers,
            clusters_down: scale.clusters_down.map(|c| c.get()),
        })
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn id(&self, i: usize) -> String {
        self.ids.get(i).cloned().unwrap_or_default()
    }

    fn kind(&self, i: usize) -> Option<NodeKind> {
        self.kinds.get(i).copied()
    }

    fn rule(&self, i: usize) -> Option<(u32, u32)> {
        self.rules.get(i).copied().flatten()
    }

    /// `masked` and everything reachable from it (`MaintenanceRule::HidesParents`).
    fn hidden(&self, masked: &BTreeSet<usize>) -> BTreeSet<usize> {
        let mut out = masked.clone();
        let mut stack: Vec<usize> = masked.iter().copied().collect();
        while let Some(u) = stack.pop() {
            for &v in self.outputs.get(u).map_or(&[][..], Vec::as_slice) {
                if out.insert(v) {
                    stack.push(v);
                }
            }
        }
        out
    }

    /// Failed members that take a group down.
    fn need(&self, i: usize) -> Option<u32> {
        self.rule(i).map(|(m, k)| m - k + 1)
    }

    /// Severities after `seeds`, with the nodes of `masked` left out: the least fixpoint,
    /// found by recomputing every node from its inputs until nothing changes.
    fn impact(&self, seeds: &[(usize, u8)], masked: &BTreeSet<usize>) -> Vec<u8> {
        self.impact_lost(seeds, masked, false)
    }

    /// [`Model::impact`], with the members in `masked` counted as failed members of their
    /// groups when `lost` (`MaintenanceRule::LostCapacity`).
    fn impact_lost(&self, seeds: &[(usize, u8)], masked: &BTreeSet<usize>, lost: bool) -> Vec<u8> {
        let n = self.len();
        let mut sev = vec![0u8; n];
        loop {
            let mut changed = false;
            for v in 0..n {
                if masked.contains(&v) {
                    continue;
                }
                let mut new = seeds
                    .iter()
                    .filter(|(s, _)| *s == v)
                    .map(|(_, l)| *l)
                    .max()
                    .unwrap_or(0);
                let group = self.need(v);
                let (mut down, mut worst, mut clusters) = (0u32, 0u8, 0u32);
                for &(u, bits) in self.inputs.get(v).map_or(&[][..], Vec::as_slice) {
                    let s = sev.get(u).copied().unwrap_or(0);
                    if bits & EDGE != 0 || group.is_none() {
                        new = new.max(s);
                    }
                    if group.is_none() && s > 0 && self.need(u).is_some() {
                        clusters += 1;
                    }
                    if bits & MEMBER != 0 && group.is_some() {
                        down += u32::from(s == self.outage || (lost && masked.contains(&u)));
                        worst = worst.max(s);
                    }
                }
                if let Some(need) = group {
                    // A group is raised only once a member is affected (the maintenance
                    // alone raises nothing).
                    new = new.max(if worst == 0 {
                        0
                    } else if down >= need {
                        self.outage
                    } else {
                        self.holding.min(worst.saturating_sub(self.lowers).max(1))
                    });
                } else if self.clusters_down.is_some_and(|c| clusters >= c) {
                    new = self.outage;
                }
                if let Some(cur) = sev.get_mut(v) {
                    if new > *cur {
                        *cur = new;
                        changed = true;
                    }
                }
            }
            if !changed {
                return sev;
            }
        }
    }

    fn outages(&self, nodes: &[usize]) -> Vec<u8> {
        let seeds: Vec<(usize, u8)> = nodes.iter().map(|n| (*n, self.outage)).collect();
        self.impact(&seeds, &BTreeSet::new())
    }

    /// Members of group `g` at outage.
    fn failed_members(&self, sev: &[u8], g: usize) -> u32 {
        let failed = self
            .inputs
            .get(g)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|(u, bits)| *bits & MEMBER != 0 && sev.get(*u) == Some(&self.outage))
            .count();
        u32::try_from(failed).unwrap_or(u32::MAX)
    }

    /// The scenario's seeds and masks, or `None` when `Graph::impact` must refuse it.
    fn seeds(&self, scenario: &Scenario) -> Option<Seeds> {
        let mut seeds = Vec::new();
        for f in &scenario.failed {
            seeds.push((*self.at.get(&f.id)?, f.severity.unwrap_or(self.outage)));
        }
        let mut masks = BTreeSet::new();
        for m in &scenario.maintenance {
            masks.insert(*self.at.get(m)?);
        }
        if seeds.iter().any(|(_, l)| *l == 0 || *l > self.outage) {
            return None;
        }
        Some((seeds, masks))
    }

    /// Nodes whose failure can reach `starts`, nearest first (breadth first, inputs in graph
    /// order), `starts` excluded.
    fn upstream(&self, starts: &[usize]) -> Vec<usize> {
        let mut seen: BTreeSet<usize> = starts.iter().copied().collect();
        let mut queue: VecDeque<usize> = starts.iter().copied().collect();
        let mut out = Vec::new();
        while let Some(v) = queue.pop_front() {
            for &(u, _) in self.inputs.get(v).map_or(&[][..], Vec::as_slice) {
                if seen.insert(u) {
                    out.push(u);
                    queue.push_back(u);
                }
            }
        }
        out
    }

    /// For each node, the nodes it reaches (itself only through a cycle).
    fn reach(&self) -> Vec<BTreeSet<usize>> {
        (0..self.len())
            .map(|s| {
                let mut seen = BTreeSet::new();
                let mut queue = VecDeque::from([s]);
                while let Some(u) = queue.pop_front() {
                    for &v in self.outputs.get(u).map_or(&[][..], Vec::as_slice) {
                        if seen.insert(v) {
                            queue.push_back(v);
                        }
                    }
                }
                seen
            })
            .collect()
    }

    fn level_name(&self, level: u8) -> String {
        self.levels
            .get(usize::from(level).saturating_sub(1))
            .cloned()
            .unwrap_or_default()
    }

    /// Affected nodes in graph order: id, kind, severity and the level's name.
    fn affected(&self, sev: &[u8]) -> Vec<(String, NodeKind, u8, String)> {
        sev.iter()
            .enumerate()
            .filter(|(_, s)| **s > 0)
            .map(|(i, s)| {
                let kind = self.kind(i).unwrap_or(NodeKind::ConfigurationItem);
                (self.id(i), kind, *s, self.level_name(*s))
            })
            .collect()
    }

    fn services(&self, sev: &[u8]) -> BTreeMap<String, u8> {
        sev.iter()
            .enumerate()
            .filter(|(i, s)| {
                **s > 0
                    && matches!(
                        self.kind(*i),
                        Some(NodeKind::BusinessService | NodeKind::TechnicalService)
                    )
            })
            .map(|(i, s)| (self.id(i), *s))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Checks

/// The compiled graph holds what the spec says: ids in graph order, records, group rules,
/// the propagation arcs, and the cycles.
fn check_structure(graph: &Graph, model: &Model, spec: &GraphSpec) {
    assert_eq!(graph.node_count(), model.len());
    assert_eq!(graph.nodes().len(), model.len());
    assert_eq!(graph.outage(), model.outage);
    assert_eq!(graph.severity_scale(), &spec.severity);
    for ((i, id), node) in model.ids.iter().enumerate().zip(graph.nodes()) {
        assert_eq!(node.index(), i);
        assert_eq!(graph.node_at(i), Some(node));
        assert_eq!(graph.node(id), Ok(node), "`{id}` is not at {i}");
        assert_eq!(graph.id(node), id);
        assert_eq!(graph.kind(node), model.kind(i));
        if let Some(record) = spec.nodes.get(i) {
            assert_eq!(graph.spec(node).as_ref(), Some(record), "record of `{id}`");
        }
        let rule = model.rule(i).map(|(m, k)| (m, m - k + 1));
        assert_eq!(graph.group_rule(node), rule, "rule of `{id}`");
        let out: Vec<usize> = graph.affects(node).iter().map(|v| v.index()).collect();
        assert_eq!(model.outputs.get(i), Some(&out), "arcs out of `{id}`");
        let back: Vec<usize> = graph.affected_by(node).iter().map(|u| u.index()).collect();
        let want: Vec<usize> = model
            .inputs
            .get(i)
            .map(|list| list.iter().map(|(u, _)| *u).collect())
            .unwrap_or_default();
        assert_eq!(back, want, "arcs into `{id}`");
    }
    assert_eq!(graph.node_at(model.len()), None);
    // A node of another, larger graph: no panic, nothing there.
    let beyond = foreign(model.len());
    assert!(beyond.is_some());
    if let Some(beyond) = beyond {
        assert_eq!(graph.kind(beyond), None);
        assert_eq!(graph.spec(beyond), None);
        assert!(graph.affects(beyond).is_empty() && graph.affected_by(beyond).is_empty());
        assert_eq!(graph.group_rule(beyond), None);
    }
    assert_eq!(graph.arc_count(), model.arcs.len());
    assert!(graph.node(GHOST).is_err());
    // Cycles: the strongly connected components with more than one node or a self-loop.
    let nodes: Vec<NodeId> = graph.nodes().collect();
    let reach = model.reach();
    let mut cycles: BTreeSet<Vec<NodeId>> = BTreeSet::new();
    for (i, from_i) in reach.iter().enumerate() {
        if !from_i.contains(&i) {
            continue;
        }
        let scc: Vec<NodeId> = (0..model.len())
            .filter(|j| {
                *j == i || (from_i.contains(j) && reach.get(*j).is_some_and(|r| r.contains(&i)))
            })
            .filter_map(|j| nodes.get(j).copied())
            .collect();
        cycles.insert(scc);
    }
    let cycles: Vec<Vec<NodeId>> = cycles.into_iter().collect();
    assert_eq!(graph.cycles(), cycles, "cycles");
}

/// The node at position `n` of another graph, of `n + 1` nodes: one past the end of a graph
/// of `n`.
fn foreign(n: usize) -> Option<NodeId> {
    let mut b = GraphBuilder::new(SeverityScale::default());
    let mut spec = NodeSpec::new("", NodeKind::ConfigurationItem, "host");
    for i in 0..=n {
        spec.id = format!("x{i}");
        b.node(&spec).ok()?;
    }
    b.node_at(n)
}

/// `graph.impact(scenario)` against the reference: the same answer or the same refusal, and
/// an explanation per affected business service whose path and group counts hold.
fn check_impact(graph: &Graph, model: &Model, scenario: &Scenario) -> Option<ImpactReport> {
    let got = graph.impact(scenario);
    let Some((seeds, masks)) = model.seeds(scenario) else {
        assert!(got.is_err(), "{scenario:?} accepted: {got:?}");
        if let Err(error) = &got {
            assert!(!error.to_string().is_empty());
        }
        return None;
    };
    assert!(got.is_ok(), "{scenario:?} refused: {got:?}");
    let Ok(impact) = got else {
        return None;
    };
    let sev = model.impact(&seeds, &masks);
    let affected: Vec<(String, NodeKind, u8, String)> = impact
        .affected
        .iter()
        .map(|a| (a.id.clone(), a.kind, a.severity, a.severity_name.clone()))
        .collect();
    assert_eq!(affected, model.affected(&sev), "{scenario:?}");
    assert_eq!(impact.services(), model.services(&sev));
    for (i, id) in model.ids.iter().enumerate() {
        assert_eq!(impact.severity(id), Some(sev.get(i).copied().unwrap_or(0)));
    }
    // An id the graph does not have is not "unaffected" (ids are never `ghost`).
    assert_eq!(impact.severity(GHOST), None);
    assert!(graph.severity_in(&impact, GHOST).is_err());
    let mut services: Vec<String> = (0..model.len())
        .filter(|i| {
            model.kind(*i) == Some(NodeKind::BusinessService) && sev.get(*i).is_some_and(|s| *s > 0)
        })
        .map(|i| model.id(i))
        .collect();
    services.sort();
    let explained: Vec<String> = impact
        .explanations
        .iter()
        .map(|e| e.service.clone())
        .collect();
    assert_eq!(explained, services, "explanations of {scenario:?}");
    for e in &impact.explanations {
        check_explanation(model, e, &sev, &seeds, &masks);
    }
    // The other maintenance rules, on the same scenario.
    for rule in [MaintenanceRule::LostCapacity, MaintenanceRule::HidesParents] {
        let mut other = scenario.clone();
        other.maintenance_rule = rule;
        let want = match rule {
            MaintenanceRule::HidesParents => model.impact(&seeds, &model.hidden(&masks)),
            _ => model.impact_lost(&seeds, &masks, true),
        };
        let got = graph.impact(&other);
        assert!(got.is_ok(), "{other:?} refused: {got:?}");
        if let Ok(report) = got {
            for (i, id) in model.ids.iter().enumerate() {
                let level = graph.severity_in(&report, id);
                assert_eq!(
                    level,
                    Ok(want.get(i).copied().unwrap_or(0)),
                    "{id} in {other:?}"
                );
            }
        }
    }
    Some(impact)
}

fn check_explanation(
    model: &Model,
    e: &Explanation,
    sev: &[u8],
    seeds: &[(usize, u8)],
    masks: &BTreeSet<usize>,
) {
    let path: Vec<usize> = e
        .path
        .iter()
        .filter_map(|id| model.at.get(id).copied())
        .collect();
    assert_eq!(path.len(), e.path.len(), "unknown id in {e:?}");
    assert_eq!(Some(&e.service), e.path.last(), "{e:?}");
    assert_eq!(
        Some(&e.severity),
        model.at.get(&e.service).and_then(|i| sev.get(*i))
    );
    let first = path.first().copied();
    assert!(
        first.is_some_and(|f| seeds.iter().any(|(s, _)| *s == f) && !masks.contains(&f)),
        "the path does not start at a failed node: {e:?}"
    );
    assert_eq!(
        path.iter().collect::<BTreeSet<_>>().len(),
        path.len(),
        "a node twice on the path: {e:?}"
    );
    for pair in path.windows(2) {
        if let [u, v] = pair {
            assert!(model.arcs.contains_key(&(*u, *v)), "no arc on {e:?}");
        }
    }
    assert!(path.iter().all(|n| sev.get(*n).is_some_and(|s| *s > 0)));
    // Each group on the path: id, failed, members, min_up, held.
    let groups: Vec<(String, u32, u32, u32, bool)> = path
        .iter()
        .filter_map(|n| {
            let (members, k) = model.rule(*n)?;
            let failed = model.failed_members(sev, *n);
            // A group holds when enough members are up and it has not failed itself (as
            // a seed, or through what it depends on).
            let up = failed < members - k + 1;
            let own = sev.get(*n).is_some_and(|s| *s >= model.outage);
            Some((model.id(*n), failed, members, k, up && !own))
        })
        .collect();
    let got: Vec<(String, u32, u32, u32, bool)> = e
        .groups
        .iter()
        .map(|g| (g.group.clone(), g.failed, g.members, g.min_up, g.held))
        .collect();
    assert_eq!(got, groups, "group counts of {e:?}");
    for g in &e.groups {
        assert!(!g.to_string().is_empty());
    }
}

/// A workspace reused across queries answers like the reference each time, and refuses a
/// node of another graph among the seeds or the masks, naming it.
fn check_workspace(graph: &Graph, model: &Model, scenarios: &[Scenario]) {
    let mut ws = graph.workspace();
    let nodes: Vec<NodeId> = graph.nodes().collect();
    let beyond = foreign(model.len() + 3);
    assert!(beyond.is_some());
    for scenario in scenarios.iter().chain(scenarios.iter().rev()) {
        let Some((seeds, masks)) = model.seeds(scenario) else {
            continue;
        };
        let sev = model.impact(&seeds, &masks);
        let ids: Vec<(NodeId, u8)> = seeds
            .iter()
            .filter_map(|(n, l)| Some((*nodes.get(*n)?, *l)))
            .collect();
        let masked: Vec<NodeId> = masks
            .iter()
            .filter_map(|n| nodes.get(*n).copied())
            .collect();
        if let Some(beyond) = beyond {
            let refused = Err(Error::UnknownNode {
                id: beyond.to_string(),
                named_in: NamedIn::Workspace,
            });
            let mut more = ids.clone();
            more.push((beyond, 1));
            assert_eq!(ws.run(&more, &masked).map(|v| v.count()), refused);
            let mut more = masked.clone();
            more.push(beyond);
            assert_eq!(ws.run(&ids, &more).map(|v| v.count()), refused);
        }
        let view = ws.run(&ids, &masked);
        assert!(
            view.is_ok(),
            "{scenario:?} refused by a workspace: {view:?}"
        );
        let Ok(view) = view else {
            return;
        };
        for ((i, s), node) in sev.iter().enumerate().zip(&nodes) {
            assert_eq!(
                view.severity(*node),
                *s,
                "a reused workspace disagrees on `{}` for {scenario:?}",
                model.id(i)
            );
            // A group in maintenance is left out: nothing counts against it.
            if model.rule(i).is_some() && !masks.contains(&i) {
                assert_eq!(
                    view.failed_members(*node),
                    model.failed_members(&sev, i),
                    "a reused workspace miscounts `{}` for {scenario:?}",
                    model.id(i)
                );
            }
        }
        assert_eq!(view.count(), sev.iter().filter(|s| **s > 0).count());
        if let Some(beyond) = beyond {
            assert_eq!(view.severity(beyond), 0);
        }
        let mut affected: Vec<(NodeId, u8)> = view.affected().collect();
        affected.sort_unstable();
        let want: Vec<(NodeId, u8)> = sev
            .iter()
            .zip(&nodes)
            .filter(|(s, _)| **s > 0)
            .map(|(s, n)| (*n, *s))
            .collect();
        assert_eq!(affected, want);
    }
}

fn check_what_if(graph: &Graph, model: &Model, a: &Scenario, b: &Scenario) {
    let got = graph.what_if(a, b);
    let (Some((sa, ma)), Some((sb, mb))) = (model.seeds(a), model.seeds(b)) else {
        assert!(got.is_err(), "what-if of a bad scenario: {got:?}");
        return;
    };
    let first = model.services(&model.impact(&sa, &ma));
    let second = model.services(&model.impact(&sb, &mb));
    let mut want = WhatIf::default();
    for (id, s) in &first {
        match second.get(id) {
            None => want.only_first.push((id.clone(), *s)),
            Some(t) if t != s => want.changed.push((id.clone(), *s, *t)),
            Some(_) => {}
        }
    }
    for (id, t) in &second {
        if !first.contains_key(id) {
            want.only_second.push((id.clone(), *t));
        }
    }
    assert_eq!(got.as_ref(), Ok(&want), "what-if");
    // Symmetric: swapping the scenarios swaps the answer.
    let back = graph.what_if(b, a);
    let mut swapped = WhatIf::default();
    swapped.only_first = want.only_second.clone();
    swapped.only_second = want.only_first.clone();
    swapped.changed = want
        .changed
        .iter()
        .map(|(id, s, t)| (id.clone(), *t, *s))
        .collect();
    assert_eq!(back, Ok(swapped), "what-if is not symmetric");
    assert_eq!(graph.what_if(a, a), Ok(WhatIf::default()));
}

fn check_spof(graph: &Graph, model: &Model, target: &str) {
    let got = graph.single_points_of_failure(target);
    let Some(&t) = model.at.get(target) else {
        assert!(got.is_err());
        return;
    };
    let mut want: Vec<String> = model
        .upstream(&[t])
        .into_iter()
        .filter(|c| model.kind(*c) != Some(NodeKind::Group))
        .filter(|c| model.outages(&[*c]).get(t) == Some(&model.outage))
        .map(|c| model.id(c))
        .collect();
    want.sort();
    assert_eq!(got, Ok(want), "single points of failure of `{target}`");
}

fn check_root_causes(
    graph: &Graph,
    model: &Model,
    alarmed: &[String],
    limit: usize,
    search: usize,
) {
    let refs: Vec<&str> = alarmed.iter().map(String::as_str).collect();
    let got = graph.root_causes(&refs, limit, search);
    let mut wanted: Vec<usize> = Vec::new();
    for a in alarmed {
        let Some(&i) = model.at.get(a) else {
            assert!(got.is_err(), "root causes of unknown `{a}`: {got:?}");
            return;
        };
        if !wanted.contains(&i) {
            wanted.push(i);
        }
    }
    let mut pool = wanted.clone();
    pool.extend(model.upstream(&wanted).into_iter().take(search));
    // Candidates as id, explained alarms, other business services affected.
    let mut want: Vec<(String, Vec<String>, usize)> = Vec::new();
    for c in pool {
        if model.kind(c) == Some(NodeKind::Group) {
            continue;
        }
        let sev = model.outages(&[c]);
        let mut explains: Vec<String> = wanted
            .iter()
            // An alarm without a level is an outage, explained only by an outage.
            .filter(|w| sev.get(**w).is_some_and(|s| *s == model.outage))
            .map(|w| model.id(*w))
            .collect();
        if explains.is_empty() {
            continue;
        }
        explains.sort();
        let also_affects = (0..model.len())
            .filter(|n| {
                !wanted.contains(n)
                    && model.kind(*n) == Some(NodeKind::BusinessService)
                    && sev.get(*n).is_some_and(|s| *s > 0)
            })
            .count();
        want.push((model.id(c), explains, also_affects));
    }
    // By explained (most first), then other services affected (fewest first), then id.
    want.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then(a.2.cmp(&b.2))
            .then(a.0.cmp(&b.0))
    });
    want.truncate(limit);
    let got = got.map(|list| {
        list.into_iter()
            .map(|c: Candidate| (c.id, c.explains, c.also_affects))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        got,
        Ok(want),
        "root causes of {alarmed:?} ({limit}, {search})"
    );
}

/// The search `Graph::resilience` documents, run on the reference: sets of upstream nodes
/// by size, in lexicographic order of the nearest-first pool, one evaluation each.
fn check_resilience(graph: &Graph, model: &Model, target: &str, max_size: usize, budget: usize) {
    let got = graph.resilience(target, max_size, budget);
    let Some(&t) = model.at.get(target) else {
        assert!(got.is_err());
        return;
    };
    let pool: Vec<usize> = model
        .upstream(&[t])
        .into_iter()
        .filter(|n| model.kind(*n) != Some(NodeKind::Group))
        .collect();
    let want = 'search: {
        if pool.is_empty() {
            break 'search Resilience::Unbreakable;
        }
        let mut spent = 0usize;
        for size in 1..=max_size.min(pool.len()) {
            let mut idx: Vec<usize> = (0..size).collect();
            loop {
                if spent >= budget {
                    break 'search Resilience::AtLeast { checked: size - 1 };
                }
                spent += 1;
                let set: Vec<usize> = idx.iter().filter_map(|i| pool.get(*i).copied()).collect();
                if model.outages(&set).get(t) == Some(&model.outage) {
                    let mut example: Vec<String> = set.iter().map(|n| model.id(*n)).collect();
                    example.sort();
                    break 'search Resilience::MinimumSet { size, example };
                }
                if !next_combination(&mut idx, pool.len()) {
                    break;
                }
            }
        }
        if max_size >= pool.len() {
            Resilience::Unbreakable
        } else {
            Resilience::AtLeast { checked: max_size }
        }
    };
    assert_eq!(
        got,
        Ok(want),
        "resilience of `{target}` ({max_size}, {budget})"
    );
}

/// The next strictly increasing selection of `idx.len()` from `0..n`; `false` after the last.
fn next_combination(idx: &mut [usize], n: usize) -> bool {
    let k = idx.len();
    for i in (0..k).rev() {
        let Some(v) = idx.get(i).copied() else {
            return false;
        };
        if v < n + i - k {
            for (next, slot) in (v + 1..).zip(idx.iter_mut().skip(i)) {
                *slot = next;
            }
            return true;
        }
    }
    false
}

/// Compiles `spec` and checks every answer against the reference. Returns the graph and the
/// model when the spec is valid.
fn compile(spec: &GraphSpec) -> Option<(Graph, Model)> {
    let got = Graph::from_spec(spec);
    let Some(model) = Model::new(spec) else {
        assert!(got.is_err(), "an invalid spec compiled: {spec:?}");
        if let Err(error) = &got {
            assert!(!error.to_string().is_empty());
        }
        return None;
    };
    assert!(got.is_ok(), "a valid spec was refused: {got:?}; {spec:?}");
    let Ok(graph) = got else {
        return None;
    };
    check_structure(&graph, &model, spec);
    Some((graph, model))
}

/// Runs `scenarios` and then the queries the remaining bytes ask for, each against the
/// reference.
fn run(
    graph: &Graph,
    model: &Model,
    scenarios: &[Scenario],
    b: &mut Bytes<'_>,
    max: usize,
    max_budget: usize,
) {
    for s in scenarios {
        check_impact(graph, model, s);
    }
    check_workspace(graph, model, scenarios);
    for id in model.ids.iter().take(12) {
        let radius = graph.blast_radius(id);
        let outage = check_impact(graph, model, &Scenario::outages(&[id]));
        assert_eq!(radius.ok(), outage, "blast radius of `{id}`");
    }
    for pair in scenarios.windows(2) {
        if let [a, b] = pair {
            check_what_if(graph, model, a, b);
        }
    }
    let ids: Vec<String> = model.ids.clone();
    let mut queries = 0;
    while !b.is_empty() && queries < max {
        queries += 1;
        match b.pick(4) {
            0 => check_spof(graph, model, &pick_id(b, &ids)),
            1 => {
                let alarmed: Vec<String> = (0..1 + b.pick(3)).map(|_| pick_id(b, &ids)).collect();
                let limit = b.choose(&[0, 1, 3, usize::MAX], 3);
                let search = b.choose(&[0, 1, 2, 5, usize::MAX], usize::MAX);
                check_root_causes(graph, model, &alarmed, limit, search);
            }
            2 => {
                let target = pick_id(b, &ids);
                let max_size = b.choose(&[0, 1, 2, 3, usize::MAX], 2);
                let budget = b.choose(&[0, 1, 4, 64, 4096], 64).min(max_budget);
                check_resilience(graph, model, &target, max_size, budget);
            }
            _ => {
                let outage = model.outage;
                let a = scenario_from(b, &ids, outage);
                let c = scenario_from(b, &ids, outage);
                check_what_if(graph, model, &a, &c);
            }
        }
    }
}

/// Bytes -> a small graph (cycles, nested groups, all three directions, five severity
/// scales, sometimes an invalid record), scenarios and queries; every answer compared with
/// the reference model.
pub fn queries(data: &[u8]) {
    let mut b = Bytes::new(data);
    let spec = spec_from(&mut b);
    let Some((graph, model)) = compile(&spec) else {
        return;
    };
    let scenarios: Vec<Scenario> = (0..b.pick(5))
        .map(|_| scenario_from(&mut b, &model.ids, model.outage))
        .collect();
    run(&graph, &model, &scenarios, &mut b, MAX_QUERIES, usize::MAX);
    if let [.., size, shape] = data {
        let (spec, size, shape) = (spec.clone(), *size, *shape);
        let small = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || shapes(&spec, shape, size));
        if let Err(panic) = must(small, "cannot start a thread").join() {
            std::panic::resume_unwind(panic);
        }
    }
}

/// The ids of an impact's affected nodes with their severities.
fn severities(report: &ImpactReport) -> BTreeMap<String, u8> {
    report
        .affected
        .iter()
        .map(|a| (a.id.clone(), a.severity))
        .collect()
}

/// `r`'s value; a failed check (naming `what`) otherwise.
#[allow(
    clippy::panic,
    reason = "a failed check is the harness's panic, as its asserts are"
)]
fn must<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

/// A valid `spec` with a large shape added around its node `n0` (see [`queries`]), and what
/// the shape implies of the queries' answers.
fn shapes(spec: &GraphSpec, shape: u8, size: u8) {
    let Ok(small) = Graph::from_spec(spec) else {
        return;
    };
    if small.node("n0").is_err() {
        return;
    }
    let ci = |id: &str| NodeSpec::new(id, NodeKind::ConfigurationItem, "host");
    let mut big = spec.clone();
    let cycles = |g: &Graph| -> Vec<Vec<String>> {
        g.cycles()
            .iter()
            .map(|c| c.iter().map(|n| g.id(*n).to_owned()).collect())
            .collect()
    };
    let outage = small.outage();
    let size = usize::from(size);
    match shape % 8 {
        5 => {
            // n0 <- x0 <- x1 <- ... : n0 depends on x0, which depends on x1, ...
            let len = 1_000 + 200 * size;
            for i in 0..len {
                big.nodes.push(ci(&format!("x{i}")));
                let from = if i == 0 {
                    "n0".to_owned()
                } else {
                    format!("x{}", i - 1)
                };
                big.edges
                    .push(EdgeSpec::new(&from, &format!("x{i}"), "depends_on"));
            }
            let g = must(Graph::from_spec(&big), "a chain made a valid spec invalid");
            assert_eq!(cycles(&g), cycles(&small), "a chain adds no cycle");
            let bottom = format!("x{}", len - 1);
            let (radius, n0) = (
                must(g.blast_radius(&bottom), "blast radius refused"),
                must(small.blast_radius("n0"), "blast radius refused"),
            );
            let mut want = severities(&n0);
            for i in 0..len {
                want.insert(format!("x{i}"), outage);
            }
            assert_eq!(severities(&radius), want, "the chain fails as n0 does");
            let (spofs, before) = (
                must(
                    g.single_points_of_failure("n0"),
                    "single points of failure refused",
                ),
                must(
                    small.single_points_of_failure("n0"),
                    "single points of failure refused",
                ),
            );
            let want: BTreeSet<String> = before
                .into_iter()
                .chain((0..len).map(|i| format!("x{i}")))
                .collect();
            assert_eq!(spofs.into_iter().collect::<BTreeSet<_>>(), want);
            assert!(matches!(
                g.resilience("n0", 3, 64),
                Ok(Resilience::MinimumSet { size: 1, .. })
            ));
            let causes = must(g.root_causes(&["n0"], 3, 100), "root causes refused");
            assert!(causes.iter().all(|c| c.explains == ["n0"]));
            assert_eq!(causes.len(), 3);
        }
        6 => {
            // A hub that depends on n0, and `width` nodes that depend on the hub.
            let width = 100 + 20 * size;
            big.nodes.push(ci("hub"));
            big.edges.push(EdgeSpec::new("hub", "n0", "depends_on"));
            for i in 0..width {
                big.nodes.push(ci(&format!("f{i}")));
                big.edges
                    .push(EdgeSpec::new(&format!("f{i}"), "hub", "depends_on"));
            }
            let g = must(Graph::from_spec(&big), "a fan made a valid spec invalid");
            let radius = must(g.blast_radius("hub"), "blast radius refused");
            assert_eq!(radius.affected.len(), width + 1);
            let spofs = must(
                g.single_points_of_failure("f0"),
                "single points of failure refused",
            );
            assert!(spofs.iter().any(|s| s == "hub") && spofs.iter().any(|s| s == "n0"));
            let alarms: Vec<String> = (0..width.min(50)).map(|i| format!("f{i}")).collect();
            let alarms: Vec<&str> = alarms.iter().map(String::as_str).collect();
            let causes = must(g.root_causes(&alarms, 1, 10), "root causes refused");
            assert_eq!(causes.first().map(|c| c.explains.len()), Some(alarms.len()));
            let what = g.what_if(&Scenario::outages(&["hub"]), &Scenario::outages(&["f0"]));
            assert!(what.is_ok());
        }
        7 => {
            // g1 = {n0, y1}, g2 = {g1, y2}, ...: each needs 1 of its 2 members up; a service
            // depends on the last.
            let depth = 50 + 8 * size;
            for k in 1..=depth {
                big.nodes.push(ci(&format!("y{k}")));
                let inner = if k == 1 {
                    "n0".to_owned()
                } else {
                    format!("gg{}", k - 1)
                };
                big.groups.push(GroupSpec::new(
                    &format!("gg{k}"),
                    &[&inner, &format!("y{k}")],
                    MinUp::Count(1),
                ));
            }
            big.nodes
                .push(NodeSpec::new("top", NodeKind::BusinessService, "service"));
            big.edges
                .push(EdgeSpec::new("top", &format!("gg{depth}"), "depends_on"));
            let g = must(
                Graph::from_spec(&big),
                "nested groups made a valid spec invalid",
            );
            let spofs = must(
                g.single_points_of_failure("top"),
                "single points of failure refused",
            );
            // One failed member takes a group down when the holding level is the outage.
            let one_is_enough = g.severity_scale().group_holding >= outage;
            for k in 1..=depth {
                let y = format!("y{k}");
                assert_eq!(spofs.contains(&y), one_is_enough, "{y}");
            }
            let answer = must(g.resilience("top", 3, 4096), "resilience refused");
            if one_is_enough {
                assert!(matches!(answer, Resilience::MinimumSet { size: 1, .. }));
            } else {
                // Every y and n0 (or what takes it down) must fail: more than three.
                assert!(matches!(answer, Resilience::AtLeast { .. }), "{answer:?}");
            }
            let all: Vec<String> = (1..=depth)
                .map(|k| format!("y{k}"))
                .chain(["n0".to_owned()])
                .collect();
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let report = must(g.impact(&Scenario::outages(&all)), "impact refused");
            assert_eq!(report.severity("top"), Some(outage));
            // Explained through the last group at least (the path follows what raised each
            // node: a member y may have raised its group before the group inside it did).
            let why = report.explanations.iter().find(|e| e.service == "top");
            assert!(why.is_some_and(|e| {
                e.groups
                    .iter()
                    .any(|c| c.group == format!("gg{depth}") && !c.held)
            }));
        }
        _ => {}
    }
}

fn json_round_trip<T>(value: &T) -> Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).ok()?;
    serde_json::from_str(&text).ok()
}

/// The graph of the crate's example: a shop on a two-host web farm and a database.
fn shop() -> GraphSpec {
    let host = |id: &str| NodeSpec::new(id, NodeKind::ConfigurationItem, "host");
    GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("shop", NodeKind::BusinessService, "service"),
            host("web-1"),
            host("web-2"),
            host("db"),
        ],
        vec![GroupSpec::new(
            "web-farm",
            &["web-1", "web-2"],
            MinUp::Count(1),
        )],
        vec![
            EdgeSpec::new("shop", "web-farm", "depends_on"),
            EdgeSpec::new("shop", "db", "depends_on"),
        ],
    )
}

/// Bytes -> JSON -> a graph spec or a scenario. A spec that loads survives a JSON round trip
/// and compiles exactly when the reference accepts it; a compiled graph answers a bounded
/// set of queries like the reference. A scenario that loads round trips and runs on the
/// example graph like the reference.
pub fn spec_json(data: &[u8]) {
    if let Ok(spec) = serde_json::from_slice::<GraphSpec>(data) {
        assert_eq!(
            json_round_trip(&spec).as_ref(),
            Some(&spec),
            "spec JSON round trip"
        );
        if let Some((graph, model)) = compile(&spec) {
            // Scenarios from the spec's own ids: each node alone, then all of them at once.
            let mut scenarios: Vec<Scenario> = model
                .ids
                .iter()
                .take(4)
                .map(|id| Scenario::outages(&[id]))
                .collect();
            let all: Vec<&str> = model.ids.iter().take(16).map(String::as_str).collect();
            scenarios.push(Scenario::outages(&all));
            // The queries come from the JSON's own bytes, a few of them.
            let mut b = Bytes::new(data);
            run(&graph, &model, &scenarios, &mut b, 4, 64);
            if let Ok(impact) = graph.impact(&Scenario::outages(&all)) {
                assert_eq!(json_round_trip(&impact).as_ref(), Some(&impact));
            }
        }
    }
    if let Ok(scenario) = serde_json::from_slice::<Scenario>(data) {
        assert_eq!(
            json_round_trip(&scenario).as_ref(),
            Some(&scenario),
            "scenario JSON round trip"
        );
        let spec = shop();
        if let Some((graph, model)) = compile(&spec) {
            check_impact(&graph, &model, &scenario);
            check_workspace(&graph, &model, std::slice::from_ref(&scenario));
            check_what_if(&graph, &model, &scenario, &Scenario::outages(&["db"]));
        }
    }
}
