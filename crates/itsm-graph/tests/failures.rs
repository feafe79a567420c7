//! Single points of failure, resilience and root causes against the straightforward
//! algorithms they replaced (one impact per candidate, through the public workspace, which
//! `tests/reference.rs` checks against the reference model), on random graphs of up to
//! about 90 nodes built from the shapes that the faster algorithms take shortcuts through:
//! chains (a node whose only arc passes on shares its answer), fans, nested redundancy
//! groups of every threshold (a third of them counting their members' influence), cycles through groups, and scales whose holding level is the
//! outage level (one failed member then takes any group down).
// Test code: a failed unwrap is a failed test, with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeSet, VecDeque};

use itsm_graph::{
    Candidate, Graph, GraphBuilder, MinUp, NodeId, NodeKind, NodeSpec, Propagation, RelationSpec,
    Resilience, SeverityScale,
};
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};

/// A seeded xorshift: the graph is a function of the seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// A random graph of about `size` nodes: chains, a fan, random arcs, nested groups.
fn graph(seed: u64, size: usize) -> Graph {
    let mut r = Rng(seed | 1);
    let scale = match r.below(5) {
        0 => SeverityScale::outage_degraded(),
        1 => SeverityScale::servicenow(),
        2 => SeverityScale::new(&["down"], 1),
        3 => SeverityScale::new(&["minor", "major", "down"], 3),
        _ => SeverityScale::new(&["minor", "major", "down"], 2),
    };
    let mut b = GraphBuilder::new(scale);
    let rels = [
        b.relation(RelationSpec::new("depends_on", Propagation::ToFrom))
            .unwrap(),
        b.relation(RelationSpec::new("hosts", Propagation::FromTo))
            .unwrap(),
        b.relation(RelationSpec::new("peers", Propagation::Both))
            .unwrap(),
    ];
    let mut nodes: Vec<NodeId> = Vec::new();
    let plain = 4 + r.below(size);
    for i in 0..plain {
        let kind = match r.below(4) {
            0 => NodeKind::BusinessService,
            1 => NodeKind::TechnicalService,
            _ => NodeKind::ConfigurationItem,
        };
        nodes.push(
            b.node(&NodeSpec::new(&format!("n{i}"), kind, "ci"))
                .unwrap(),
        );
    }
    // Chains: runs of consecutive nodes, each depending on the next (mostly).
    for _ in 0..r.below(4) {
        let from = r.below(plain);
        let len = r.below(plain - from);
        for i in from..from + len {
            let rel = if r.one_in(8) {
                rels[r.below(3)]
            } else {
                rels[0]
            };
            b.edge(nodes[i], nodes[i + 1], rel).unwrap();
        }
    }
    // A fan: a hub many nodes depend on, or that depends on many.
    if r.one_in(2) {
        let hub = nodes[r.below(plain)];
        for _ in 0..r.below(plain) {
            let other = nodes[r.below(plain)];
            if r.one_in(2) {
                b.edge(other, hub, rels[0]).unwrap();
            } else {
                b.edge(hub, other, rels[0]).unwrap();
            }
        }
    }
    // Groups, nested: members among the nodes and the groups made before.
    let groups = r.below(size / 3 + 1);
    let mut all = nodes.clone();
    for g in 0..groups {
        let min_up = if r.one_in(2) {
            MinUp::Count(r.below(4) as u32)
        } else {
            MinUp::Percent([0u8, 34, 50, 67, 100][r.below(5)])
        };
        let id = b.group(&format!("g{g}"), min_up).unwrap();
        // At most as many as there are nodes and groups to pick from.
        let count = (1 + r.below(5)).min(all.len());
        let mut members = BTreeSet::new();
        // Often the previous group, so that groups nest deeply.
        if g > 0 && r.one_in(2) {
            members.insert(all[all.len() - 1]);
        }
        while members.len() < count {
            members.insert(all[r.below(all.len())]);
        }
        // At least as many members as the rule needs up (else the graph is refused).
        let need_up = match min_up {
            MinUp::Count(k) => k as usize,
            MinUp::Percent(p) => (members.len() * p as usize).div_ceil(100),
        };
        while members.len() < need_up {
            members.insert(nodes[r.below(plain)]);
            if members.len() >= plain + g {
                break;
            }
        }
        // A third of the groups count their members' influence (0 to 3 each).
        let weighted = r.one_in(3);
        for m in &members {
            if weighted {
                b.member_with_influence(id, *m, r.below(4) as u32).unwrap();
            } else {
                b.member(id, *m).unwrap();
            }
        }
        // Something depends on the group, through an edge (sometimes a cycle back).
        let user = all[r.below(all.len())];
        b.edge(user, id, rels[r.below(3)]).unwrap();
        all.push(id);
    }
    // Random arcs, including into groups (inputs, not members).
    for _ in 0..r.below(size) {
        let (a, z) = (all[r.below(all.len())], all[r.below(all.len())]);
        b.edge(a, z, rels[r.below(3)]).unwrap();
    }
    match b.build() {
        Ok(g) => g,
        // A group whose rule needs more members up than it has: drop the groups' rules
        // by building again without them (rare).
        Err(_) => graph(seed.wrapping_add(0x9e37_79b9), size),
    }
}

/// Upstream of `starts`, nearest first, each node's sources in `NodeId` order: the order
/// the queries document.
fn upstream(g: &Graph, starts: &[NodeId]) -> Vec<NodeId> {
    let mut seen: BTreeSet<NodeId> = starts.iter().copied().collect();
    let mut queue: VecDeque<NodeId> = starts.iter().copied().collect();
    let mut out = Vec::new();
    while let Some(u) = queue.pop_front() {
        for v in g.affected_by(u) {
            if seen.insert(v) {
                out.push(v);
                queue.push_back(v);
            }
        }
    }
    out
}

fn brute_spof(g: &Graph, target: NodeId) -> Vec<String> {
    let mut ws = g.workspace();
    let mut out: Vec<String> = upstream(g, &[target])
        .into_iter()
        .filter(|c| g.kind(*c) != Some(NodeKind::Group))
        .filter(|c| ws.run(&[(*c, g.outage())], &[]).unwrap().severity(target) == g.outage())
        .map(|c| g.id(c).to_owned())
        .collect();
    out.sort();
    out
}

fn next_combination(idx: &mut [usize], n: usize) -> bool {
    let k = idx.len();
    for i in (0..k).rev() {
        if idx[i] < n + i - k {
            idx[i] += 1;
            for j in i + 1..k {
                idx[j] = idx[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

fn brute_resilience(g: &Graph, target: NodeId, max_size: usize, budget: usize) -> Resilience {
    let pool: Vec<NodeId> = upstream(g, &[target])
        .into_iter()
        .filter(|n| g.kind(*n) != Some(NodeKind::Group))
        .collect();
    if pool.is_empty() {
        return Resilience::Unbreakable;
    }
    let mut ws = g.workspace();
    let mut spent = 0;
    for size in 1..=max_size.min(pool.len()) {
        let mut idx: Vec<usize> = (0..size).collect();
        loop {
            if spent >= budget {
                return Resilience::AtLeast { checked: size - 1 };
            }
            spent += 1;
            let seeds: Vec<(NodeId, u8)> = idx.iter().map(|i| (pool[*i], g.outage())).collect();
            if ws.run(&seeds, &[]).unwrap().severity(target) == g.outage() {
                let mut example: Vec<String> =
                    seeds.iter().map(|(n, _)| g.id(*n).to_owned()).collect();
                example.sort();
                return Resilience::MinimumSet { size, example };
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
}

type Plain = (String, Vec<String>, usize);

fn brute_root_causes(g: &Graph, alarmed: &[NodeId], limit: usize, search: usize) -> Vec<Plain> {
    let mut wanted: Vec<NodeId> = Vec::new();
    for a in alarmed {
        if !wanted.contains(a) {
            wanted.push(*a);
        }
    }
    let mut pool = wanted.clone();
    pool.extend(upstream(g, &wanted).into_iter().take(search));
    let mut ws = g.workspace();
    let mut out: Vec<Plain> = Vec::new();
    for c in pool {
        if g.kind(c) == Some(NodeKind::Group) {
            continue;
        }
        let view = ws.run(&[(c, g.outage())], &[]).unwrap();
        let mut explains = Vec::new();
        let mut also = 0;
        for (n, level) in view.affected() {
            if wanted.contains(&n) {
                // An alarm without a level is an outage: explained only by an outage
                // (a member whose loss its group absorbs does not explain it).
                if level == g.outage() {
                    explains.push(g.id(n).to_owned());
                }
            } else if g.kind(n) == Some(NodeKind::BusinessService) {
                also += 1;
            }
        }
        if explains.is_empty() {
            continue;
        }
        explains.sort();
        out.push((g.id(c).to_owned(), explains, also));
    }
    out.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then(a.2.cmp(&b.2))
            .then(a.0.cmp(&b.0))
    });
    out.truncate(limit);
    out
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // The plain searches cost one impact per set: this many graphs, each with every
        // node as the target, keep the debug test run to seconds.
        cases: 256,
        rng_seed: RngSeed::Fixed(0x6772_6170_6846),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/failures.txt"
        )))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// The single points of failure of every node.
    #[test]
    fn single_points_of_failure_match_one_impact_per_candidate(seed in any::<u64>(), size in 4..60usize) {
        let g = graph(seed, size);
        for target in g.nodes() {
            prop_assert_eq!(
                g.single_points_of_failure(g.id(target)).unwrap(),
                brute_spof(&g, target),
                "target {}", g.id(target)
            );
        }
    }

    /// Resilience with budgets that run out at every stage, and sizes up to three.
    #[test]
    fn resilience_matches_the_plain_search(
        seed in any::<u64>(),
        size in 4..40usize,
        budgets in proptest::collection::vec(0..400usize, 3),
    ) {
        let g = graph(seed, size);
        for target in g.nodes() {
            for (max_size, budget) in [(3, budgets[0]), (2, budgets[1]), (4, budgets[2]), (3, usize::MAX)] {
                prop_assert_eq!(
                    g.resilience(g.id(target), max_size, budget).unwrap(),
                    brute_resilience(&g, target, max_size, budget),
                    "target {}, max size {}, budget {}", g.id(target), max_size, budget
                );
            }
        }
    }

    /// Root causes, the candidates of one strongly connected component answered once.
    #[test]
    fn root_causes_match_one_impact_per_candidate(
        seed in any::<u64>(),
        size in 4..60usize,
        picks in proptest::collection::vec(any::<u16>(), 1..=4),
        search in prop_oneof![Just(usize::MAX), 0..30usize],
    ) {
        let g = graph(seed, size);
        let n = g.node_count();
        let alarmed: Vec<NodeId> = picks.iter().map(|p| g.node_at(*p as usize % n).unwrap()).collect();
        let names: Vec<&str> = alarmed.iter().map(|a| g.id(*a)).collect();
        for limit in [usize::MAX, 3] {
            let got: Vec<Plain> = g
                .root_causes(&names, limit, search)
                .unwrap()
                .into_iter()
                .map(|c: Candidate| (c.id, c.explains, c.also_affects))
                .collect();
            prop_assert_eq!(got, brute_root_causes(&g, &alarmed, limit, search));
        }
    }
}

/// The generator makes what the properties need: nested groups, cycles, chains.
#[test]
fn the_generator_makes_nested_groups_chains_and_cycles() {
    let (mut nested, mut cyclic, mut long) = (0, 0, 0);
    for seed in 0..200u64 {
        let g = graph(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15), 40);
        let groups: Vec<NodeId> = g.nodes().filter(|n| g.group_rule(*n).is_some()).collect();
        if groups
            .iter()
            .any(|x| g.affected_by(*x).iter().any(|m| g.group_rule(*m).is_some()))
        {
            nested += 1;
        }
        if !g.cycles().is_empty() {
            cyclic += 1;
        }
        if g.nodes()
            .any(|v| g.affects(v).len() == 1 && g.affected_by(v).len() == 1)
        {
            long += 1;
        }
    }
    assert!(
        nested > 40 && cyclic > 40 && long > 100,
        "{nested} {cyclic} {long}"
    );
}
