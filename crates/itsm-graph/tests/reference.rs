//! The impact fixpoint against a naive reference model, on random graphs.
//!
//! The reference is written to be obviously right rather than fast: an adjacency list built
//! straight from the [`GraphSpec`] (ids looked up in a map, no compact form, no CSR), and a
//! loop that recomputes every node from its inputs until nothing changes. The rules, as
//! `docs/graph.md` states them:
//!
//! - a node's severity is the highest of its seed level and its inputs' severities (an edge
//!   `from -> to` makes `to` an input of `from` for `to_from`, `from` an input of `to` for
//!   `from_to`, and both for `both`);
//! - a group of `n` members that needs `k` up is at outage when more than `n - k` members are
//!   at outage, else at `min(group_holding, worst member level)` when any member is affected;
//!   an edge that makes some node an input of a group is an ordinary input (the group fails
//!   with what it depends on), it does not make that node a member;
//! - a node in maintenance neither fails (a seed there is ignored) nor passes failure on;
//! - a group on an explanation's path holds when enough members are up and it is not at
//!   the outage level itself; a root cause explains an (outage) alarm when its outage takes
//!   the alarmed node down.
//!
//! The random graphs have cycles (edges go anywhere, self-loops included), nested groups,
//! groups in cycles, groups that are members of themselves, all three propagation directions,
//! random severity scales and seeds, and random maintenance masks.
// Test helpers index small vectors by construction and unwrap what the generator guarantees.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use itsm_graph::{
    Candidate, EdgeSpec, Failure, Graph, GraphSpec, GroupSpec, MinUp, NodeId, NodeKind, NodeSpec,
    Propagation, RelationSpec, Resilience, Scenario, SeverityScale,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{FileFailurePersistence, RngSeed, TestRunner};

// ---------------------------------------------------------------------------------------------
// The reference model

/// A graph as the reference sees it: positions in graph order (the spec's nodes, then its
/// groups).
struct Model {
    ids: Vec<String>,
    kinds: Vec<NodeKind>,
    /// For each node, the nodes whose failure reaches it through an edge.
    inputs: Vec<Vec<usize>>,
    /// For each group: its members and how many must be up.
    groups: Vec<Option<(Vec<usize>, usize)>>,
    outage: u8,
    holding: u8,
}

impl Model {
    fn new(spec: &GraphSpec) -> Model {
        let mut ids: Vec<String> = spec.nodes.iter().map(|n| n.id.clone()).collect();
        let mut kinds: Vec<NodeKind> = spec.nodes.iter().map(|n| n.kind).collect();
        ids.extend(spec.groups.iter().map(|g| g.id.clone()));
        kinds.extend(spec.groups.iter().map(|_| NodeKind::Group));
        let at: BTreeMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let mut inputs = vec![Vec::new(); ids.len()];
        for e in &spec.edges {
            let (from, to) = (at[e.from.as_str()], at[e.to.as_str()]);
            let rel = spec
                .relations
                .iter()
                .find(|r| r.name == e.relation)
                .unwrap();
            match rel.propagation {
                Propagation::ToFrom => inputs[from].push(to),
                Propagation::FromTo => inputs[to].push(from),
                Propagation::Both => {
                    inputs[from].push(to);
                    inputs[to].push(from);
                }
            }
        }
        let mut groups = vec![None; spec.nodes.len()];
        for g in &spec.groups {
            let members: Vec<usize> = g.members.iter().map(|m| at[m.as_str()]).collect();
            let n = members.len();
            let k = match g.min_up {
                MinUp::Count(k) => k as usize,
                MinUp::Percent(p) => (n * usize::from(p)).div_ceil(100),
            };
            groups.push(Some((members, k)));
        }
        Model {
            ids,
            kinds,
            inputs,
            groups,
            outage: u8::try_from(spec.severity.levels.len()).unwrap(),
            holding: spec.severity.group_holding,
        }
    }

    fn index(&self, id: &str) -> usize {
        self.ids.iter().position(|i| i == id).unwrap()
    }

    /// Severities of every node, iterated until nothing changes.
    fn impact(&self, seeds: &[(usize, u8)], masked: &[bool]) -> Vec<u8> {
        let n = self.ids.len();
        let mut seed = vec![0u8; n];
        for &(s, level) in seeds {
            if !masked[s] {
                seed[s] = seed[s].max(level);
            }
        }
        let mut sev = vec![0u8; n];
        loop {
            let mut changed = false;
            for v in 0..n {
                if masked[v] {
                    continue;
                }
                let mut s = seed[v];
                for &u in &self.inputs[v] {
                    s = s.max(sev[u]);
                }
                if let Some((members, k)) = &self.groups[v] {
                    let down = members.iter().filter(|m| sev[**m] == self.outage).count();
                    let worst = members.iter().map(|m| sev[*m]).max().unwrap_or(0);
                    let rule = if down > members.len() - k {
                        self.outage
                    } else if worst > 0 {
                        self.holding.min(worst)
                    } else {
                        0
                    };
                    s = s.max(rule);
                }
                if s > sev[v] {
                    sev[v] = s;
                    changed = true;
                }
            }
            if !changed {
                return sev;
            }
        }
    }

    /// Whether a failure of `u` reaches `v` directly (as an input or a member).
    fn arc(&self, u: usize, v: usize) -> bool {
        self.inputs[v].contains(&u)
            || self.groups[v]
                .as_ref()
                .is_some_and(|(members, _)| members.contains(&u))
    }

    fn outages(&self, nodes: &[usize]) -> Vec<u8> {
        let seeds: Vec<(usize, u8)> = nodes.iter().map(|n| (*n, self.outage)).collect();
        self.impact(&seeds, &vec![false; self.ids.len()])
    }

    /// Nodes a query may fail on its own: everything but groups.
    fn failable(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.ids.len()).filter(|i| self.kinds[*i] != NodeKind::Group)
    }
}

// ---------------------------------------------------------------------------------------------
// Random graphs

const RELATIONS: [(&str, Propagation); 3] = [
    ("depends_on", Propagation::ToFrom),
    ("hosts", Propagation::FromTo),
    ("peers", Propagation::Both),
];

#[derive(Debug, Clone)]
struct Case {
    spec: GraphSpec,
    /// Seeds by position, with their levels.
    seeds: Vec<(usize, u8)>,
    /// Maintenance, by position.
    masked: Vec<bool>,
}

impl Case {
    fn scenario(&self) -> Scenario {
        let ids = ids(&self.spec);
        let failed = self
            .seeds
            .iter()
            .map(|(s, level)| Failure::at(&ids[*s], *level))
            .collect();
        let masked: Vec<&str> = self
            .masked
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .map(|(i, _)| ids[i].as_str())
            .collect();
        Scenario::new(failed, &masked)
    }
}

fn ids(spec: &GraphSpec) -> Vec<String> {
    spec.nodes
        .iter()
        .map(|n| n.id.clone())
        .chain(spec.groups.iter().map(|g| g.id.clone()))
        .collect()
}

const KINDS: [NodeKind; 3] = [
    NodeKind::BusinessService,
    NodeKind::TechnicalService,
    NodeKind::ConfigurationItem,
];

/// A random graph of up to `max_nodes` nodes and `max_groups` groups, with seeds and masks.
fn case(
    max_nodes: usize,
    max_groups: usize,
    max_edges: usize,
    with_groups: bool,
) -> impl Strategy<Value = Case> {
    let groups = if with_groups { 0..=max_groups } else { 0..=0 };
    (1..=max_nodes, groups, 1..=4usize)
        .prop_flat_map(move |(nodes, groups, levels)| {
            let total = nodes + groups;
            let all: Vec<usize> = (0..total).collect();
            (
                Just((nodes, levels)),
                proptest::collection::vec(0..3usize, nodes),
                proptest::collection::vec(
                    (
                        proptest::sample::subsequence(all, 1..=total.min(4)),
                        any::<bool>(),
                        0..=100u32,
                    ),
                    groups,
                ),
                proptest::collection::vec((0..total, 0..total, 0..3usize), 0..=max_edges),
                1..=levels,
                proptest::collection::vec((0..total, 1..=levels), 0..=4),
                proptest::collection::vec(proptest::bool::weighted(0.15), total),
            )
        })
        .prop_map(
            |((nodes, levels), kinds, groups, edges, holding, seeds, masked)| {
                let id = |i: usize| {
                    if i < nodes {
                        format!("n{i}")
                    } else {
                        format!("g{}", i - nodes)
                    }
                };
                let mut spec = GraphSpec::new(
                    RELATIONS
                        .iter()
                        .map(|(name, propagation)| RelationSpec::new(name, *propagation))
                        .collect(),
                    kinds
                        .iter()
                        .enumerate()
                        .map(|(i, k)| NodeSpec::new(&id(i), KINDS[*k], "ci"))
                        .collect(),
                    groups
                        .iter()
                        .enumerate()
                        .map(|(g, (members, count, raw))| {
                            let n = u32::try_from(members.len()).unwrap();
                            let min_up = if *count {
                                MinUp::Count(raw % (n + 1))
                            } else {
                                MinUp::Percent(u8::try_from(*raw).unwrap())
                            };
                            let mut group = GroupSpec::new(&id(nodes + g), &[], min_up);
                            group.members = members.iter().map(|m| id(*m)).collect();
                            group
                        })
                        .collect(),
                    edges
                        .iter()
                        .map(|(from, to, rel)| {
                            EdgeSpec::new(&id(*from), &id(*to), RELATIONS[*rel].0)
                        })
                        .collect(),
                );
                let names: Vec<String> = (1..=levels).map(|l| format!("level {l}")).collect();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                spec.severity = SeverityScale::new(&names, u8::try_from(holding).unwrap());
                let seeds = seeds
                    .iter()
                    .map(|(s, l)| (*s, u8::try_from(*l).unwrap()))
                    .collect();
                Case {
                    spec,
                    seeds,
                    masked,
                }
            },
        )
}

/// A fixed seed (no randomness without one), and failures kept in the crate's
/// `proptest-regressions/` (integration tests have no `lib.rs` beside them to find it by).
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        rng_seed: RngSeed::Fixed(0x6772_6170_6821),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/reference.txt"
        )))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

/// `Graph::impact` agrees with the reference on severities, on the affected set and its order,
/// and every explanation is a real path from a seed with the right group counts.
fn check_impact(case: &Case) -> Result<(), TestCaseError> {
    let graph = Graph::from_spec(&case.spec).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let model = Model::new(&case.spec);
    let expected = model.impact(&case.seeds, &case.masked);
    let impact = graph.impact(&case.scenario()).unwrap();

    // Severities, and the affected set in graph order.
    let want: Vec<(String, u8)> = expected
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0)
        .map(|(i, s)| (model.ids[i].clone(), *s))
        .collect();
    let got: Vec<(String, u8)> = impact
        .affected
        .iter()
        .map(|a| (a.id.clone(), a.severity))
        .collect();
    prop_assert_eq!(&got, &want);
    for a in &impact.affected {
        let i = model.index(&a.id);
        prop_assert_eq!(a.kind, model.kinds[i]);
        prop_assert_eq!(
            &a.severity_name,
            &case.spec.severity.levels[usize::from(a.severity) - 1]
        );
    }

    // One explanation per affected business service, by id.
    let services: Vec<&str> = impact
        .affected
        .iter()
        .filter(|a| a.kind == NodeKind::BusinessService)
        .map(|a| a.id.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let explained: Vec<&str> = impact
        .explanations
        .iter()
        .map(|e| e.service.as_str())
        .collect();
    prop_assert_eq!(explained, services);
    for e in &impact.explanations {
        let service = model.index(&e.service);
        prop_assert_eq!(e.severity, expected[service]);
        prop_assert_eq!(e.path.last(), Some(&e.service));
        let path: Vec<usize> = e.path.iter().map(|p| model.index(p)).collect();
        // The path starts at an unmasked seed, raised by nothing but its own seed level.
        let first = path[0];
        let seed_level = case
            .seeds
            .iter()
            .filter(|(s, _)| *s == first)
            .map(|(_, l)| *l)
            .max();
        prop_assert!(!case.masked[first]);
        prop_assert_eq!(seed_level, Some(expected[first]), "path {:?}", e.path);
        // Each step is an arc, and severity never rises along the path.
        for w in path.windows(2) {
            prop_assert!(
                model.arc(w[0], w[1]),
                "no arc {} -> {} in {:?}",
                model.ids[w[0]],
                model.ids[w[1]],
                e.path
            );
            prop_assert!(expected[w[1]] <= expected[w[0]], "path {:?}", e.path);
            prop_assert!(!case.masked[w[1]]);
        }
        let distinct: BTreeSet<usize> = path.iter().copied().collect();
        prop_assert_eq!(distinct.len(), path.len(), "a path visits a node once");
        // The groups on the path, with their counts at the fixpoint.
        let groups: Vec<(String, u32, u32, u32, bool)> = path
            .iter()
            .filter_map(|p| {
                let (members, k) = model.groups[*p].as_ref()?;
                let failed = members
                    .iter()
                    .filter(|m| expected[**m] == model.outage)
                    .count();
                Some((
                    model.ids[*p].clone(),
                    u32::try_from(failed).unwrap(),
                    u32::try_from(members.len()).unwrap(),
                    u32::try_from(*k).unwrap(),
                    // Enough members up, and not failed itself (a seed, or through what
                    // it depends on).
                    failed <= members.len() - k && expected[*p] < model.outage,
                ))
            })
            .collect();
        let got: Vec<(String, u32, u32, u32, bool)> = e
            .groups
            .iter()
            .map(|g| (g.group.clone(), g.failed, g.members, g.min_up, g.held))
            .collect();
        prop_assert_eq!(got, groups);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn impact_matches_the_reference(case in case(8, 4, 14, true)) {
        check_impact(&case)?;
    }

    #[test]
    fn impact_matches_the_reference_on_dense_graphs(case in case(5, 3, 20, true)) {
        check_impact(&case)?;
    }

    /// Without groups, impact is plain reachability: every node reachable from an unmasked
    /// seed through unmasked nodes gets the highest level of the seeds that reach it.
    #[test]
    fn without_groups_impact_is_reachability(case in case(10, 0, 18, false)) {
        let graph = Graph::from_spec(&case.spec).unwrap();
        let model = Model::new(&case.spec);
        let n = model.ids.len();
        let mut want = vec![0u8; n];
        for &(seed, level) in &case.seeds {
            if case.masked[seed] {
                continue;
            }
            let mut seen = vec![false; n];
            seen[seed] = true;
            let mut queue = VecDeque::from([seed]);
            while let Some(u) = queue.pop_front() {
                want[u] = want[u].max(level);
                for (v, seen_v) in seen.iter_mut().enumerate() {
                    if !*seen_v && !case.masked[v] && model.inputs[v].contains(&u) {
                        *seen_v = true;
                        queue.push_back(v);
                    }
                }
            }
        }
        let impact = graph.impact(&case.scenario()).unwrap();
        for (i, id) in model.ids.iter().enumerate() {
            prop_assert_eq!(impact.severity(id), Some(want[i]), "{}", id);
        }
        prop_assert_eq!(impact.affected.len(), want.iter().filter(|s| **s > 0).count());
    }

    /// The same query twice, and on a second compilation of the same spec, gives the same
    /// answer; more seeds never lower a severity.
    #[test]
    fn impact_is_deterministic_and_monotone(case in case(8, 4, 14, true), extra in 0..12usize) {
        let graph = Graph::from_spec(&case.spec).unwrap();
        let again = Graph::from_spec(&case.spec).unwrap();
        let scenario = case.scenario();
        let first = graph.impact(&scenario).unwrap();
        prop_assert_eq!(&graph.impact(&scenario).unwrap(), &first);
        prop_assert_eq!(&again.impact(&scenario).unwrap(), &first);
        let mut more = scenario.clone();
        let ids = ids(&case.spec);
        more.failed.push(Failure::outage(&ids[extra % ids.len()]));
        let bigger = graph.impact(&more).unwrap();
        for a in &first.affected {
            prop_assert!(bigger.severity(&a.id) >= Some(a.severity), "{} fell", a.id);
        }
    }

    /// One workspace reused for many queries (errors included) answers like a fresh one for
    /// each: the sparse reset forgets everything the previous query touched.
    #[test]
    fn a_reused_workspace_answers_like_a_fresh_one(
        case in case(8, 4, 14, true),
        queries in proptest::collection::vec(
            (
                proptest::collection::vec((0..12usize, 0..=5u8), 0..=5),
                proptest::collection::vec(0..12usize, 0..=3),
            ),
            1..=12,
        ),
    ) {
        let graph = Graph::from_spec(&case.spec).unwrap();
        let n = graph.node_count();
        let node = |i: usize| graph.node_at(i % n).unwrap();
        let mut reused = graph.workspace();
        for (seeds, masks) in &queries {
            // Level 0 and levels above the scale are errors, in the middle of the sequence.
            let seeds: Vec<(NodeId, u8)> = seeds.iter().map(|(s, l)| (node(*s), *l)).collect();
            let masks: Vec<NodeId> = masks.iter().map(|m| node(*m)).collect();
            let mut fresh = graph.workspace();
            let want = fresh.run(&seeds, &masks).map(|v| {
                let all: Vec<(u8, Option<NodeId>, u32)> = (0..n)
                    .map(|i| (v.severity(node(i)), v.via(node(i)), v.failed_members(node(i))))
                    .collect();
                (v.affected().collect::<Vec<_>>(), v.count(), all)
            });
            let got = reused.run(&seeds, &masks).map(|v| {
                let all: Vec<(u8, Option<NodeId>, u32)> = (0..n)
                    .map(|i| (v.severity(node(i)), v.via(node(i)), v.failed_members(node(i))))
                    .collect();
                (v.affected().collect::<Vec<_>>(), v.count(), all)
            });
            prop_assert_eq!(got, want);
        }
    }

    /// Single points of failure are exactly the lone outages that take the service down.
    #[test]
    fn single_points_of_failure_match_brute_force(case in case(8, 3, 14, true), target in 0..12usize) {
        let graph = Graph::from_spec(&case.spec).unwrap();
        let model = Model::new(&case.spec);
        let target = target % model.ids.len();
        let mut want: Vec<String> = model
            .failable()
            .filter(|c| *c != target && model.outages(&[*c])[target] == model.outage)
            .map(|c| model.ids[c].clone())
            .collect();
        want.sort();
        prop_assert_eq!(graph.single_points_of_failure(&model.ids[target]).unwrap(), want);
    }

    /// Resilience with an ample budget is the exact minimum, and Unbreakable when no set at
    /// all takes the service down.
    #[test]
    fn resilience_matches_brute_force(case in case(7, 3, 12, true), target in 0..10usize) {
        let graph = Graph::from_spec(&case.spec).unwrap();
        let model = Model::new(&case.spec);
        let target = target % model.ids.len();
        let pool: Vec<usize> = model.failable().filter(|c| *c != target).collect();
        let mut best: Option<usize> = None;
        for mask in 0u32..(1 << pool.len()) {
            let set: Vec<usize> = pool.iter().enumerate().filter(|(b, _)| mask & (1 << b) != 0).map(|(_, c)| *c).collect();
            if model.outages(&set)[target] == model.outage && best.is_none_or(|b| set.len() < b) {
                best = Some(set.len());
            }
        }
        let got = graph.resilience(&model.ids[target], usize::MAX, usize::MAX).unwrap();
        match (best, &got) {
            (Some(size), Resilience::MinimumSet { size: s, example }) => {
                prop_assert_eq!(*s, size);
                prop_assert_eq!(example.len(), size);
                let mut sorted = example.clone();
                sorted.sort();
                prop_assert_eq!(&sorted, example);
                let set: Vec<usize> = example.iter().map(|e| model.index(e)).collect();
                prop_assert!(set.iter().all(|c| *c != target && model.kinds[*c] != NodeKind::Group));
                prop_assert_eq!(model.outages(&set)[target], model.outage);
            }
            (None, Resilience::Unbreakable) => {}
            _ => prop_assert!(false, "brute force {:?}, got {:?}", best, got),
        }
    }

    /// Root causes with an unlimited search are every node whose outage reaches an alarmed
    /// node, ranked by explained, then fewest other business services, then id.
    #[test]
    fn root_causes_match_brute_force(case in case(8, 3, 14, true), alarmed in proptest::collection::vec(0..12usize, 1..=3)) {
        let graph = Graph::from_spec(&case.spec).unwrap();
        let model = Model::new(&case.spec);
        // Alarms may repeat; a repeated alarm is one alarm.
        let listed: Vec<usize> = alarmed.iter().map(|a| a % model.ids.len()).collect();
        let alarmed: BTreeSet<usize> = listed.iter().copied().collect();
        // Candidates as id, explained alarms, other business services affected.
        let mut want: Vec<(String, Vec<String>, usize)> = model
            .failable()
            .filter_map(|c| {
                let sev = model.outages(&[c]);
                let mut explains: Vec<String> = alarmed.iter().filter(|a| sev[**a] == model.outage).map(|a| model.ids[*a].clone()).collect();
                explains.sort();
                let also_affects = (0..model.ids.len())
                    .filter(|v| sev[*v] > 0 && !alarmed.contains(v) && model.kinds[*v] == NodeKind::BusinessService)
                    .count();
                (!explains.is_empty()).then(|| (model.ids[c].clone(), explains, also_affects))
            })
            .collect();
        want.sort_by(|a, b| {
            b.1.len().cmp(&a.1.len()).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0))
        });
        let names: Vec<&str> = listed.iter().map(|a| model.ids[*a].as_str()).collect();
        let plain = |got: Vec<Candidate>| -> Vec<(String, Vec<String>, usize)> {
            got.into_iter().map(|c| (c.id, c.explains, c.also_affects)).collect()
        };
        prop_assert_eq!(plain(graph.root_causes(&names, usize::MAX, usize::MAX).unwrap()), want.clone());
        // A limit keeps the head of the same ranking.
        want.truncate(2);
        prop_assert_eq!(plain(graph.root_causes(&names, 2, usize::MAX).unwrap()), want);
    }

    /// What-if compares the services of two impacts.
    #[test]
    fn what_if_matches_the_two_impacts(first in case(8, 3, 14, true), seeds in proptest::collection::vec((0..12usize, 1..=4u8), 0..=3)) {
        let graph = Graph::from_spec(&first.spec).unwrap();
        let model = Model::new(&first.spec);
        let n = model.ids.len();
        let second_seeds: Vec<(usize, u8)> = seeds.iter().map(|(s, l)| (s % n, (*l).min(model.outage))).collect();
        let a = model.impact(&first.seeds, &first.masked);
        let b = model.impact(&second_seeds, &vec![false; n]);
        let second = Case { spec: first.spec.clone(), seeds: second_seeds, masked: vec![false; n] };
        let got = graph.what_if(&first.scenario(), &second.scenario()).unwrap();
        let mut by_id: Vec<usize> = (0..n)
            .filter(|i| matches!(model.kinds[*i], NodeKind::BusinessService | NodeKind::TechnicalService))
            .collect();
        by_id.sort_by(|x, y| model.ids[*x].cmp(&model.ids[*y]));
        let only_first: Vec<(String, u8)> = by_id.iter().filter(|i| a[**i] > 0 && b[**i] == 0).map(|i| (model.ids[*i].clone(), a[*i])).collect();
        let only_second: Vec<(String, u8)> = by_id.iter().filter(|i| a[**i] == 0 && b[**i] > 0).map(|i| (model.ids[*i].clone(), b[*i])).collect();
        let changed: Vec<(String, u8, u8)> = by_id.iter().filter(|i| a[**i] > 0 && b[**i] > 0 && a[**i] != b[**i]).map(|i| (model.ids[*i].clone(), a[*i], b[*i])).collect();
        prop_assert_eq!(got.only_first, only_first);
        prop_assert_eq!(got.only_second, only_second);
        prop_assert_eq!(got.changed, changed);
    }

    /// `cycles()` reports the strongly connected components of the propagation arcs (with a
    /// self-loop when alone), sorted, and nothing else.
    #[test]
    fn cycles_are_the_strongly_connected_components(case in case(8, 3, 14, true)) {
        let graph = Graph::from_spec(&case.spec).unwrap();
        let model = Model::new(&case.spec);
        let n = model.ids.len();
        // reach[u][v]: a failure of u reaches v in one or more steps.
        let mut reach = vec![vec![false; n]; n];
        for (u, row) in reach.iter_mut().enumerate() {
            for (v, cell) in row.iter_mut().enumerate() {
                *cell = model.arc(u, v);
            }
        }
        for k in 0..n {
            for u in 0..n {
                for v in 0..n {
                    if reach[u][k] && reach[k][v] {
                        reach[u][v] = true;
                    }
                }
            }
        }
        let mut want: Vec<Vec<NodeId>> = Vec::new();
        let mut placed = vec![false; n];
        for u in 0..n {
            if placed[u] || !reach[u][u] {
                continue;
            }
            let scc: Vec<usize> = (0..n).filter(|v| *v == u || (reach[u][*v] && reach[*v][u])).collect();
            for v in &scc {
                placed[*v] = true;
            }
            want.push(scc.iter().map(|v| graph.node_at(*v).unwrap()).collect());
        }
        prop_assert_eq!(graph.cycles(), want);
    }
}

/// The random graphs reach every feature the properties above are meant to cover, so they
/// cannot pass vacuously: count, over the same generator, how often each one shows up.
#[test]
fn the_generator_reaches_every_feature() {
    let mut runner = TestRunner::new(ProptestConfig {
        rng_seed: RngSeed::Fixed(0x636f_7665_7261_6765),
        ..ProptestConfig::default()
    });
    let strategy = case(8, 4, 14, true);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut count = |feature: &'static str, present: bool| {
        *seen.entry(feature).or_default() += usize::from(present);
    };
    for _ in 0..500 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let graph = Graph::from_spec(&case.spec).unwrap();
        let model = Model::new(&case.spec);
        let sev = model.impact(&case.seeds, &case.masked);
        let cycles = graph.cycles();
        let is_group = |n: usize| model.groups[n].is_some();
        count("cycle", !cycles.is_empty());
        count(
            "group in a cycle",
            cycles.iter().flatten().any(|n| is_group(n.index())),
        );
        count(
            "nested group",
            model
                .groups
                .iter()
                .flatten()
                .any(|(m, _)| m.iter().any(|m| is_group(*m))),
        );
        count(
            "edge into a group",
            (0..model.ids.len()).any(|g| is_group(g) && !model.inputs[g].is_empty()),
        );
        let mut outage = false;
        let mut holding = false;
        for (g, rule) in model.groups.iter().enumerate() {
            let Some((members, k)) = rule else { continue };
            let down = members.iter().filter(|m| sev[**m] == model.outage).count();
            outage |= down > members.len() - k;
            holding |= down > 0 && down <= members.len() - k && sev[g] < model.outage;
        }
        count("group failed by its members", outage);
        count("group holding after losing a member", holding);
        count(
            "maintenance blocks a failure",
            (0..model.ids.len())
                .any(|v| case.masked[v] && model.inputs[v].iter().any(|u| sev[*u] > 0)),
        );
        count(
            "seed in maintenance",
            case.seeds.iter().any(|(s, _)| case.masked[*s]),
        );
        count(
            "seed below outage",
            case.seeds.iter().any(|(_, l)| *l < model.outage),
        );
        count(
            "percent threshold",
            case.spec
                .groups
                .iter()
                .any(|g| matches!(g.min_up, MinUp::Percent(_))),
        );
        count(
            "count threshold",
            case.spec
                .groups
                .iter()
                .any(|g| matches!(g.min_up, MinUp::Count(_))),
        );
        for (name, _) in RELATIONS {
            count(name, case.spec.edges.iter().any(|e| e.relation == name));
        }
        count(
            "affected business service",
            (0..model.ids.len()).any(|v| sev[v] > 0 && model.kinds[v] == NodeKind::BusinessService),
        );
    }
    assert_eq!(seen.len(), 15, "{seen:?}");
    for (feature, n) in &seen {
        assert!(
            *n >= 25,
            "only {n} of 500 graphs have a {feature}: {seen:?}"
        );
    }
}
