//! Properties against a model written from docs/cost.md: which edges carry cost (rules
//! matched by hand), cycles (a reachability matrix), and each node's cost as the exact
//! fraction of every direct cost that reaches it (floating point, path by path), which the
//! crate's whole minor units must follow to within the rounding of the splits on the way.
// Amounts are written as units_cents (2_500_00 is 2,500.00).
#![allow(
    clippy::inconsistent_digit_grouping,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::needless_range_loop
)]

use itsm_cost::{
    Allocate, AllocationUnits, CostSpec, Costing, Cycles, Distribution, Error, Expense, PathRule,
    Policy, RateCard, Selector, UnitMethod,
};
use itsm_graph::{
    EdgeSpec, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
};
use proptest::prelude::*;

/// Reads small numbers from the entropy proptest gives.
struct Dice<'a>(&'a [u32], usize);

impl Dice<'_> {
    fn roll(&mut self, n: u32) -> u32 {
        let v = self
            .0
            .get(self.1 % self.0.len().max(1))
            .copied()
            .unwrap_or(0);
        self.1 += 1;
        if n == 0 {
            0
        } else {
            v.wrapping_mul(2_654_435_761).rotate_left(7) % n
        }
    }
}

const CLASSES: [&str; 3] = ["app", "host", "db"];
const RELATIONS: [(&str, Propagation); 3] = [
    ("depends_on", Propagation::ToFrom),
    ("hosts", Propagation::FromTo),
    ("peer", Propagation::Both),
];

struct Case {
    graph: GraphSpec,
    spec: CostSpec,
    policy: Policy,
}

fn case(entropy: &[u32]) -> Case {
    let mut d = Dice(entropy, 0);
    let n = 1 + d.roll(10) as usize;
    let mut nodes = Vec::new();
    for i in 0..n {
        let kind = match d.roll(3) {
            0 => NodeKind::BusinessService,
            1 => NodeKind::TechnicalService,
            _ => NodeKind::ConfigurationItem,
        };
        let mut node = NodeSpec::new(&format!("n{i}"), kind, CLASSES[d.roll(3) as usize]);
        node.location = match d.roll(3) {
            0 => None,
            1 => Some("x".into()),
            _ => Some("y".into()),
        };
        nodes.push(node);
    }
    let groups_n = d.roll(3) as usize;
    let mut groups = Vec::new();
    for g in 0..groups_n {
        let mut members: Vec<String> = Vec::new();
        for i in 0..n {
            if d.roll(3) == 0 {
                members.push(format!("n{i}"));
            }
        }
        if members.is_empty() {
            members.push(format!("n{}", d.roll(n as u32)));
        }
        // Nesting: an earlier group as a member.
        if g > 0 && d.roll(2) == 0 {
            members.push(format!("g{}", g - 1));
        }
        groups.push(GroupSpec::new(
            &format!("g{g}"),
            &members.iter().map(String::as_str).collect::<Vec<_>>(),
            MinUp::Count(1),
        ));
    }
    let all: Vec<String> = (0..n)
        .map(|i| format!("n{i}"))
        .chain((0..groups_n).map(|g| format!("g{g}")))
        .collect();
    let mut edges = Vec::new();
    let cyclic = d.roll(5) == 0;
    for _ in 0..d.roll(3 * all.len() as u32 + 1) {
        let a = d.roll(all.len() as u32) as usize;
        let b = d.roll(all.len() as u32) as usize;
        let (rel, _) = RELATIONS[d.roll(if cyclic { 3 } else { 2 }) as usize];
        // Acyclic unless chosen: cost goes from the higher index to the lower.
        let (from, to) = match rel {
            "hosts" => (a.max(b), a.min(b)),
            _ => (a.min(b), a.max(b)),
        };
        if from == to && !cyclic {
            continue;
        }
        let (from, to) = if cyclic && d.roll(2) == 0 {
            (to, from)
        } else {
            (from, to)
        };
        edges.push(EdgeSpec::new(&all[from], &all[to], rel));
    }
    // Memberships: a member with a higher index than a group is fine (groups come after
    // nodes); a group in a group is the earlier one. Edges out of groups point at nodes with
    // lower indices only when acyclic... groups have the highest indices, so an edge that
    // makes a group a child of a node keeps the order.
    let graph = GraphSpec::new(
        RELATIONS
            .iter()
            .map(|(r, p)| RelationSpec::new(r, *p))
            .collect(),
        nodes,
        groups,
        edges,
    );
    let amount =
        |d: &mut Dice| (d.roll(2001) as i64 - 500) * if d.roll(8) == 0 { 1_000_000_007 } else { 1 };
    let selector = |d: &mut Dice| {
        let mut s = Selector::default();
        if d.roll(2) == 0 {
            s.classes.push(CLASSES[d.roll(3) as usize].into());
        }
        if d.roll(3) == 0 {
            s.locations
                .push(if d.roll(2) == 0 { "x" } else { "y" }.into());
        }
        if d.roll(2) == 0 || !s.has_condition() {
            s.nodes.push(format!("n{}", d.roll(n as u32)));
        }
        s
    };
    let mut spec = CostSpec::default();
    for k in 0..d.roll(3) {
        let sel = selector(&mut d);
        let costs = [("a", amount(&mut d)), ("b", amount(&mut d))];
        spec.rate_cards.push(RateCard::new(
            &format!("card{k}"),
            sel,
            &costs[..1 + d.roll(2) as usize],
        ));
    }
    for _ in 0..d.roll(4) {
        spec.expenses.push(Expense::new(
            &format!("n{}", d.roll(n as u32)),
            amount(&mut d),
            "e",
        ));
    }
    for k in 0..d.roll(3) {
        let sel = selector(&mut d);
        spec.distributions
            .push(Distribution::new(&format!("dist{k}"), amount(&mut d), sel));
    }
    if d.roll(2) == 0 {
        let mut rules = Vec::new();
        for _ in 0..d.roll(3) {
            rules.push(PathRule {
                child_class: (d.roll(2) == 0).then(|| CLASSES[d.roll(3) as usize].into()),
                parent_class: (d.roll(3) == 0).then(|| CLASSES[d.roll(3) as usize].into()),
                relation: (d.roll(2) == 0).then(|| RELATIONS[d.roll(3) as usize].0.into()),
            });
        }
        spec.paths = Some(rules);
    }
    let mut used = std::collections::BTreeSet::new();
    for _ in 0..d.roll(3) {
        let s = d.roll(n as u32);
        if !used.insert(s) {
            continue;
        }
        let total = 1 + u64::from(d.roll(20));
        let mut consumers = Vec::new();
        let mut left = total;
        for c in 0..d.roll(4) {
            let u = u64::from(d.roll(left as u32 + 1));
            left -= u;
            consumers.push((format!("cc{c}"), u));
        }
        let refs: Vec<(&str, u64)> = consumers.iter().map(|(c, u)| (c.as_str(), *u)).collect();
        spec.units
            .push(AllocationUnits::new(&format!("n{s}"), total, &refs));
    }
    let mut policy = Policy::default();
    policy.unit_method = if d.roll(2) == 0 {
        UnitMethod::AllUnits
    } else {
        UnitMethod::AllocatedUnits
    };
    policy.allocate = if d.roll(2) == 0 {
        Allocate::Total
    } else {
        Allocate::Kept
    };
    policy.cycles = if d.roll(2) == 0 {
        Cycles::Refuse
    } else {
        Cycles::Pool
    };
    Case {
        graph,
        spec,
        policy,
    }
}

/// The model's carrying arcs (child, parent), as docs/cost.md states them.
fn carrying(g: &GraphSpec, spec: &CostSpec) -> Vec<(usize, usize)> {
    let ids: Vec<&str> = g
        .nodes
        .iter()
        .map(|n| n.id.as_str())
        .chain(g.groups.iter().map(|x| x.id.as_str()))
        .collect();
    let at = |id: &str| ids.iter().position(|x| *x == id).unwrap();
    let class = |i: usize| g.nodes.get(i).map(|n| n.class.as_str());
    let matches = |c: usize, p: usize, rel: &str| match &spec.paths {
        None => true,
        Some(rules) => rules.iter().any(|r| {
            r.child_class.as_deref().is_none_or(|x| class(c) == Some(x))
                && r.parent_class
                    .as_deref()
                    .is_none_or(|x| class(p) == Some(x))
                && r.relation.as_deref().is_none_or(|x| x == rel)
        }),
    };
    let mut arcs = Vec::new();
    for e in &g.edges {
        let (f, t) = (at(&e.from), at(&e.to));
        let prop = g
            .relations
            .iter()
            .find(|r| r.name == e.relation)
            .unwrap()
            .propagation;
        let pairs = match prop {
            Propagation::ToFrom => vec![(t, f)],
            Propagation::FromTo => vec![(f, t)],
            Propagation::Both => vec![(t, f), (f, t)],
        };
        for (c, p) in pairs {
            if matches(c, p, &e.relation) {
                arcs.push((c, p));
            }
        }
    }
    for gr in &g.groups {
        for m in &gr.members {
            arcs.push((at(m), at(&gr.id)));
        }
    }
    arcs
}

fn reach(n: usize, arcs: &[(usize, usize)]) -> Vec<Vec<bool>> {
    let mut reach = vec![vec![false; n]; n];
    for &(c, p) in arcs {
        reach[c][p] = true;
    }
    for k in 0..n {
        for i in 0..n {
            if reach[i][k] {
                for j in 0..n {
                    if reach[k][j] {
                        reach[i][j] = true;
                    }
                }
            }
        }
    }
    reach
}

fn has_cycle(n: usize, arcs: &[(usize, usize)]) -> bool {
    let r = reach(n, arcs);
    (0..n).any(|i| r[i][i])
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let n = c.graph.nodes.len() + c.graph.groups.len();
    let arcs = carrying(&c.graph, &c.spec);
    let result = Costing::new(&c.graph, &c.spec, &c.policy);
    let costing = match result {
        Err(Error::Cycle { nodes, length }) => {
            prop_assert_eq!(c.policy.cycles, Cycles::Refuse);
            prop_assert!(
                has_cycle(n, &arcs),
                "a cycle reported where the model has none: {nodes:?}"
            );
            prop_assert!(length >= 1 && !nodes.is_empty());
            return Ok(());
        }
        Err(Error::Overflow { .. }) => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("unexpected error: {e}"))),
        Ok(costing) => costing,
    };
    prop_assert!(
        c.policy.cycles == Cycles::Pool || !has_cycle(n, &arcs),
        "no cycle reported where the model has one"
    );
    // The model's pools: nodes that reach each other (or themselves).
    let r = reach(n, &arcs);
    let comp: Vec<usize> = (0..n)
        .map(|i| (0..n).find(|&j| j == i || (r[i][j] && r[j][i])).unwrap())
        .collect();
    let pooled: Vec<bool> = (0..n).map(|i| r[i][i]).collect();
    let ids: Vec<String> = c
        .graph
        .nodes
        .iter()
        .map(|x| x.id.clone())
        .chain(c.graph.groups.iter().map(|x| x.id.clone()))
        .collect();

    // Direct costs are their lines; lines follow the spec.
    let mut direct = vec![0i64; n];
    for (i, id) in ids.iter().enumerate() {
        let cost = costing.cost(id).unwrap();
        direct[i] = cost.direct;
        let lines: i64 = costing.lines(id).unwrap().iter().map(|l| l.amount).sum();
        prop_assert_eq!(lines, cost.direct, "lines of {}", id);
        prop_assert_eq!(cost.total, cost.direct + cost.inherited);
        let received: i64 = costing.received(id).unwrap().iter().map(|s| s.amount).sum();
        prop_assert_eq!(received, cost.inherited, "received by {}", id);
        let passed = costing.passed(id).unwrap();
        let k = arcs.iter().filter(|(ch, _)| *ch == i).count();
        prop_assert_eq!(passed.len(), k, "paths of {}", id);
        prop_assert_eq!(cost.paths, k);
        prop_assert_eq!(cost.pooled, pooled[i], "pooled {}", id);
        if !pooled[i] {
            prop_assert_eq!(cost.kept, if k == 0 { cost.total } else { 0 });
            prop_assert_eq!(cost.passed_on, if k == 0 { 0 } else { cost.total });
        }
        if k > 0 && !pooled[i] {
            let sum: i64 = passed.iter().map(|s| s.amount).sum();
            prop_assert_eq!(sum, cost.total);
            let exact = cost.total as f64 / k as f64;
            for s in &passed {
                prop_assert!(
                    (s.amount as f64 - exact).abs() < 1.0,
                    "share {} of {}",
                    s.amount,
                    exact
                );
            }
            for w in passed.windows(2) {
                prop_assert!(w[0].amount.abs() >= w[1].amount.abs(), "extra units first");
            }
        }
    }
    // Rate cards and distributions applied as the model selects.
    let class_of = |i: usize| c.graph.nodes.get(i).map(|x| x.class.clone());
    let loc_of = |i: usize| c.graph.nodes.get(i).and_then(|x| x.location.clone());
    let selects = |s: &Selector, i: usize| {
        s.nodes.iter().any(|x| *x == ids[i])
            || (i < c.graph.nodes.len()
                && s.has_condition()
                && (s.classes.is_empty() || class_of(i).is_some_and(|cl| s.classes.contains(&cl)))
                && (s.locations.is_empty() || loc_of(i).is_some_and(|l| s.locations.contains(&l))))
    };
    let mut model = vec![0i128; n];
    for card in &c.spec.rate_cards {
        let per: i128 = card.costs.iter().map(|x| i128::from(x.amount)).sum();
        for (i, m) in model.iter_mut().enumerate() {
            if selects(&card.applies_to, i) {
                *m += per;
            }
        }
    }
    let mut undistributed = 0i128;
    for dist in &c.spec.distributions {
        let chosen: Vec<usize> = (0..n).filter(|&i| selects(&dist.to, i)).collect();
        if chosen.is_empty() {
            undistributed += i128::from(dist.amount);
            continue;
        }
        let k = chosen.len() as i128;
        let a = i128::from(dist.amount);
        for (rank, &i) in chosen.iter().enumerate() {
            let extra = if (rank as i128) < (a % k).abs() {
                a.signum()
            } else {
                0
            };
            model[i] += a / k + extra;
        }
    }
    for e in &c.spec.expenses {
        model[ids.iter().position(|x| *x == e.node).unwrap()] += i128::from(e.amount);
    }
    for i in 0..n {
        prop_assert_eq!(model[i], i128::from(direct[i]), "direct cost of {}", ids[i]);
    }
    // Each total is the exact fraction of every direct cost reaching it, to within one minor
    // unit per split on the way (at most one per arc). Components in topological order; a
    // pool's cost leaves by its paths out, split evenly.
    let mut frac_total = vec![0f64; n];
    let mut comps: Vec<usize> = comp.clone();
    comps.sort_unstable();
    comps.dedup();
    let mut indeg = vec![0usize; n];
    for &(ch, p) in &arcs {
        if comp[ch] != comp[p] {
            indeg[comp[p]] += 1;
        }
    }
    let mut q: Vec<usize> = comps.iter().copied().filter(|&k| indeg[k] == 0).collect();
    let mut model_pools: Vec<(Vec<usize>, f64, usize)> = Vec::new();
    while let Some(k) = q.pop() {
        let members: Vec<usize> = (0..n).filter(|&i| comp[i] == k).collect();
        let exits: Vec<(usize, usize)> = arcs
            .iter()
            .copied()
            .filter(|&(ch, p)| comp[ch] == k && (comp[p] != k || !pooled[ch]))
            .collect();
        let mut pool_total = 0.0;
        for &m in &members {
            frac_total[m] += direct[m] as f64;
            pool_total += frac_total[m];
        }
        for &(_, p) in &exits {
            frac_total[p] += pool_total / exits.len() as f64;
        }
        if pooled[members[0]] {
            model_pools.push((members.clone(), pool_total, exits.len()));
        }
        for &(_, p) in &exits {
            if comp[p] != k {
                indeg[comp[p]] -= 1;
                if indeg[comp[p]] == 0 {
                    q.push(comp[p]);
                }
            }
        }
    }
    let slack = arcs.len() as f64 + 1e-6 * frac_total.iter().map(|x| x.abs()).fold(1.0, f64::max);
    for i in 0..n {
        let got = costing.cost(&ids[i]).unwrap().total as f64;
        prop_assert!(
            (got - frac_total[i]).abs() <= slack,
            "{}: {} against {}",
            ids[i],
            got,
            frac_total[i]
        );
    }
    // Pools as the model has them.
    model_pools.sort_by_key(|p| p.0[0]);
    prop_assert_eq!(costing.pools().len(), model_pools.len());
    for (got, (members, total, exits)) in costing.pools().iter().zip(&model_pools) {
        let names: Vec<&str> = members.iter().map(|&m| ids[m].as_str()).collect();
        prop_assert_eq!(&got.members, &names);
        prop_assert_eq!(got.exits, *exits);
        prop_assert!((got.amount as f64 - total).abs() <= slack);
        for &m in members {
            let cost = costing.cost(&ids[m]).unwrap();
            prop_assert_eq!(cost.kept, if *exits == 0 { cost.total } else { 0 });
        }
        let passed: i64 = members
            .iter()
            .map(|&m| costing.cost(&ids[m]).unwrap().passed_on)
            .sum();
        prop_assert_eq!(passed, if *exits == 0 { 0 } else { got.amount });
    }
    // Conservation.
    let t = costing.totals();
    prop_assert_eq!(
        t.direct,
        direct.iter().map(|&x| i128::from(x)).sum::<i128>()
    );
    prop_assert_eq!(t.direct, t.kept_by_services + t.stranded);
    prop_assert_eq!(t.undistributed, undistributed);
    let held: i128 = costing.holders().iter().map(|h| i128::from(h.amount)).sum();
    prop_assert_eq!(held, t.direct);
    // Allocations: each service's pieces add up to what it allocates, each within a unit of
    // its exact share.
    for u in &c.spec.units {
        let cost = costing.cost(&u.service).unwrap();
        let amount = match c.policy.allocate {
            Allocate::Total => cost.total,
            Allocate::Kept => {
                if cost.pooled {
                    cost.kept
                } else if cost.paths == 0 {
                    cost.total
                } else {
                    0
                }
            }
        };
        let pieces: Vec<_> = costing
            .allocations()
            .iter()
            .filter(|a| a.service == u.service)
            .collect();
        let rest: i64 = costing
            .unallocated()
            .iter()
            .filter(|a| a.service == u.service)
            .map(|a| a.amount)
            .sum();
        prop_assert_eq!(pieces.len(), u.consumers.len());
        let sum: i128 =
            pieces.iter().map(|p| i128::from(p.amount)).sum::<i128>() + i128::from(rest);
        prop_assert_eq!(sum, i128::from(amount), "allocations of {}", u.service);
        let used: u64 = u.consumers.iter().map(|x| x.units).sum();
        let denominator = match c.policy.unit_method {
            UnitMethod::AllUnits => u.total,
            UnitMethod::AllocatedUnits => used,
        };
        for p in &pieces {
            let exact = if denominator == 0 {
                0.0
            } else {
                amount as f64 * p.units as f64 / denominator as f64
            };
            prop_assert!(
                (p.amount as f64 - exact).abs() < 1.0 + exact.abs() * 1e-12,
                "{} against {}",
                p.amount,
                exact
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn the_roll_up_follows_the_model(entropy in proptest::collection::vec(any::<u32>(), 200)) {
        check(&case(&entropy))?;
    }
}

#[test]
fn the_generator_reaches_every_outcome() {
    // Not every case may end in a cycle or with paths: count that all kinds occur.
    let (mut ok, mut cycles, mut shared, mut allocated) = (0, 0, 0, 0);
    for seed in 0..2_000u32 {
        let entropy: Vec<u32> = (0..200)
            .map(|k| seed.wrapping_mul(7919).wrapping_add(k * 104_729))
            .collect();
        let c = case(&entropy);
        match Costing::new(&c.graph, &c.spec, &c.policy) {
            Ok(costing) => {
                ok += 1;
                if costing.totals().kept_by_services != 0 && c.graph.edges.len() > 2 {
                    shared += 1;
                }
                if costing.allocations().iter().any(|a| a.amount != 0) {
                    allocated += 1;
                }
            }
            Err(Error::Cycle { .. }) => cycles += 1,
            Err(_) => {}
        }
    }
    println!("ok {ok}, cycles {cycles}, shared {shared}, allocated {allocated}");
    assert!(ok > 1_000 && cycles > 50 && shared > 300 && allocated > 200);
}

/// Task costs against a model: the card of lowest order (first on ties) that applies; per
/// worker and rate type, the seconds added up and priced at the matching labour card of lowest
/// order or the default, to the nearest minor unit; per entry, each entry on its own, never more
/// than half a unit per entry from the per-worker total.
fn check_tasks(entropy: &[u32]) -> Result<(), TestCaseError> {
    use chrono::Duration;
    use itsm_cost::{
        Condition, LabourRateCard, Task, TaskRate, TaskRateCard, TaskRates, TimeLines, Worker,
        cost_tasks,
    };
    let mut d = Dice(entropy, 0);
    let tables = ["incident", "change_request"];
    let mut cards = Vec::new();
    for k in 0..d.roll(4) {
        let mut cond = Condition::any();
        if d.roll(2) == 0 {
            cond = cond.with("priority", &[["1", "2", "3"][d.roll(3) as usize]]);
        }
        let rate = if d.roll(2) == 0 {
            TaskRate::Flat(i64::from(d.roll(50_000)) - 1_000)
        } else {
            TaskRate::TimeWorked {
                default_hourly: i64::from(d.roll(40_000)),
            }
        };
        let mut c = TaskRateCard::new(&format!("t{k}"), tables[d.roll(2) as usize], cond, rate);
        c.order = i64::from(d.roll(3));
        cards.push(c);
    }
    let mut labour = Vec::new();
    for k in 0..d.roll(4) {
        let cond = if d.roll(2) == 0 {
            Condition::any().with("dept", &[["a", "b"][d.roll(2) as usize]])
        } else {
            Condition::any()
        };
        let mut c = LabourRateCard::new(&format!("l{k}"), i64::from(d.roll(30_000)), cond);
        c.order = i64::from(d.roll(3));
        c.rate_type = (d.roll(2) == 0).then(|| "OT".to_owned());
        labour.push(c);
    }
    let workers = vec![
        Worker::new("u0", "dept", "a"),
        Worker::new("u1", "dept", "b"),
    ];
    let mut rates = TaskRates::new(cards.clone(), labour.clone(), workers);
    let mut tasks = Vec::new();
    for k in 0..1 + d.roll(4) {
        let mut t = Task::new(&format!("T{k}"), tables[d.roll(2) as usize], Some("n"))
            .field("priority", ["1", "2", "3"][d.roll(3) as usize]);
        for _ in 0..d.roll(5) {
            let user = ["u0", "u1", "u2"][d.roll(3) as usize];
            let rt = (d.roll(2) == 0).then_some("OT");
            t = t.worked(user, Duration::seconds(i64::from(d.roll(20_000))), rt);
        }
        tasks.push(t);
    }
    let by_worker = cost_tasks(&rates, &tasks).unwrap();
    rates.time_lines = TimeLines::PerEntry;
    let by_entry = cost_tasks(&rates, &tasks).unwrap();
    let dept = |u: &str| match u {
        "u0" => Some("a"),
        "u1" => Some("b"),
        _ => None,
    };
    let mut expected_lines = 0;
    for t in &tasks {
        let card = cards
            .iter()
            .enumerate()
            .filter(|(_, c)| c.table == t.table && c.condition.holds(&t.fields))
            .min_by_key(|(k, c)| (c.order, *k))
            .map(|(_, c)| c);
        let mine: Vec<_> = by_worker.lines.iter().filter(|l| l.task == t.id).collect();
        let Some(card) = card else {
            prop_assert!(mine.is_empty() && by_worker.unpriced.contains(&t.id));
            continue;
        };
        match card.rate {
            TaskRate::Flat(a) => {
                prop_assert_eq!(mine.len(), 1);
                prop_assert_eq!(mine[0].amount, a);
                expected_lines += 1;
            }
            TaskRate::TimeWorked { default_hourly } => {
                let mut groups: Vec<(String, Option<String>, i64)> = Vec::new();
                for e in &t.worked {
                    match groups
                        .iter_mut()
                        .find(|g| g.0 == e.user && g.1 == e.rate_type)
                    {
                        Some(g) => g.2 += e.time.num_seconds(),
                        None => {
                            groups.push((e.user.clone(), e.rate_type.clone(), e.time.num_seconds()))
                        }
                    }
                }
                prop_assert_eq!(mine.len(), groups.len());
                expected_lines += groups.len();
                for (line, (user, rt, secs)) in mine.iter().zip(&groups) {
                    let hourly = labour
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| {
                            c.rate_type == *rt
                                && c.condition.0.iter().all(|(_, vals)| {
                                    dept(user).is_some_and(|dp| vals.iter().any(|v| v == dp))
                                })
                        })
                        .min_by_key(|(k, c)| (c.order, *k))
                        .map_or(default_hourly, |(_, c)| c.hourly);
                    let exact = hourly as f64 * *secs as f64 / 3600.0;
                    prop_assert!(
                        (line.amount as f64 - exact).abs() <= 0.5 + 1e-9,
                        "{} against {}",
                        line.amount,
                        exact
                    );
                    prop_assert_eq!(line.labour.as_ref().unwrap().hourly, hourly);
                }
                let worker_total: i64 = mine.iter().map(|l| l.amount).sum();
                let entries: Vec<_> = by_entry.lines.iter().filter(|l| l.task == t.id).collect();
                prop_assert_eq!(entries.len(), t.worked.len());
                let entry_total: i64 = entries.iter().map(|l| l.amount).sum();
                prop_assert!(
                    ((entry_total - worker_total) as f64).abs()
                        <= t.worked.len() as f64 * 0.5 + 0.5,
                    "{} against {}",
                    entry_total,
                    worker_total
                );
            }
        }
    }
    prop_assert_eq!(by_worker.lines.len(), expected_lines);
    prop_assert_eq!(by_worker.expenses().len(), expected_lines);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn task_costs_follow_the_model(entropy in proptest::collection::vec(any::<u32>(), 120)) {
        check_tasks(&entropy)?;
    }
}
