//! Properties over random graphs, specs and disruptions, against a brute-force model written
//! from docs/continuity.md: recovery times iterated down from "never", nodes of a cycle
//! recovered side by side (found by a reachability matrix); required
//! objectives by reachability, the statuses and counts; and JSON round trips.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use chrono::Duration;
use itsm_continuity::{
    Answers, Capability, Category, ContinuitySpec, Disruption, Objective, Plan, Policy, Rating,
    RatingRule, Sequencing, Status, Template, assess,
};
use itsm_graph::{
    EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
};
use proptest::prelude::*;

const NEVER: i64 = i64::MAX;

/// A random case: node kinds, locations, edges `(from, to)` meaning from depends on to,
/// groups (members, needed), RTAs in hours (`None`: none given), objectives (node, RTO, RPO,
/// MTPD extra), the disruption and the sequencing.
#[derive(Debug, Clone)]
struct Case {
    services: usize,
    items: usize,
    north: Vec<bool>,
    groups: Vec<(Vec<usize>, usize)>,
    edges: Vec<(usize, usize)>,
    rta: Vec<Option<i64>>,
    objectives: Vec<(usize, i64, Option<i64>, Option<i64>)>,
    disruption: u8,
    named: Vec<usize>,
    parallel: bool,
}

impl Case {
    fn nodes(&self) -> usize {
        self.services + self.items
    }
    fn total(&self) -> usize {
        self.nodes() + self.groups.len()
    }
    fn id(&self, i: usize) -> String {
        if i < self.services {
            format!("s{i}")
        } else if i < self.nodes() {
            format!("c{}", i - self.services)
        } else {
            format!("g{}", i - self.nodes())
        }
    }
    fn graph(&self) -> Graph {
        let mut nodes: Vec<NodeSpec> = (0..self.services)
            .map(|i| NodeSpec::new(&self.id(i), NodeKind::BusinessService, "svc"))
            .collect();
        for k in 0..self.items {
            let mut n = NodeSpec::new(
                &self.id(self.services + k),
                NodeKind::ConfigurationItem,
                "ci",
            );
            n.location = Some(if self.north[k] { "north" } else { "south" }.to_owned());
            nodes.push(n);
        }
        let groups = self
            .groups
            .iter()
            .enumerate()
            .map(|(g, (members, need))| {
                let ids: Vec<String> = members.iter().map(|m| self.id(*m)).collect();
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                GroupSpec::new(
                    &self.id(self.nodes() + g),
                    &refs,
                    MinUp::Count(*need as u32),
                )
            })
            .collect();
        let edges = self
            .edges
            .iter()
            .map(|(a, b)| EdgeSpec::new(&self.id(*a), &self.id(*b), "depends_on"))
            .collect();
        Graph::from_spec(&GraphSpec::new(
            vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
            nodes,
            groups,
            edges,
        ))
        .unwrap()
    }
    fn spec(&self) -> ContinuitySpec {
        let objectives = self
            .objectives
            .iter()
            .map(|(n, rto, rpo, extra)| {
                let mut o = Objective::new(&self.id(*n), Duration::hours(*rto));
                if let Some(r) = rpo {
                    o = o.with_rpo(Duration::hours(*r));
                }
                if let Some(e) = extra {
                    o = o.with_mtpd(Duration::hours(rto + e));
                }
                o
            })
            .collect();
        let capabilities = (0..self.nodes())
            .filter_map(|i| {
                self.rta[i].map(|r| {
                    Capability::new(&self.id(i), Duration::hours(r)).with_rpa(Duration::hours(r))
                })
            })
            .collect();
        ContinuitySpec::new(objectives, capabilities)
    }
    fn disruption(&self) -> Disruption {
        match self.disruption % 3 {
            0 => Disruption::Everything,
            1 => Disruption::Locations(vec!["north".into()]),
            _ => Disruption::Nodes(self.named.iter().map(|n| self.id(*n)).collect()),
        }
    }
    fn lost(&self) -> Vec<bool> {
        (0..self.total())
            .map(|i| {
                let item = i >= self.services && i < self.nodes();
                match self.disruption % 3 {
                    0 => item,
                    1 => item && self.north[i - self.services],
                    _ => self.named.contains(&i),
                }
            })
            .collect()
    }
    /// What node `v` waits on: plain dependencies, and for a group its members and need.
    fn waits(&self, v: usize) -> (Vec<usize>, Option<(&[usize], usize)>) {
        let plain = self
            .edges
            .iter()
            .filter(|(a, _)| *a == v)
            .map(|(_, b)| *b)
            .collect();
        let group = (v >= self.nodes()).then(|| {
            let (m, k) = &self.groups[v - self.nodes()];
            (m.as_slice(), *k)
        });
        (plain, group)
    }
    /// A node that may share a unit with the nodes it waits on in a cycle: not a group, not
    /// lost without an RTA.
    fn eligible(&self, v: usize, lost: &[bool]) -> bool {
        v < self.nodes() && (!lost[v] || self.rta[v].is_some())
    }

    /// A node's own time once what it waits for is back at `w`.
    fn own(&self, v: usize, w: i64, lost: &[bool]) -> i64 {
        if w == NEVER {
            return NEVER;
        }
        if !lost[v] {
            return w;
        }
        match self.rta.get(v).copied().flatten() {
            None => NEVER,
            Some(r) if self.parallel => w.max(r),
            Some(r) => w + r,
        }
    }

    /// Recovery times (hours; [`NEVER`]) by the rules of docs/continuity.md: a node never
    /// down (by failure propagation from the lost ones) at 0; the others iterated down
    /// from "never" until nothing changes, so that a node is back only once what it waits
    /// for is (a cycle through a group no member breaks is never back), except that eligible
    /// nodes waiting on each other in a cycle (found by a reachability matrix) are recovered
    /// side by side, each after what it waits for outside, and back together.
    fn times(&self) -> Vec<i64> {
        let lost = self.lost();
        let n = self.total();
        // Down: lost, or a plain wait down, or a group with too few members up; the least
        // such set, iterated up from the lost nodes.
        let mut down = lost.clone();
        loop {
            let mut changed = false;
            for v in 0..n {
                if down[v] {
                    continue;
                }
                let (plain, group) = self.waits(v);
                let mut d = plain.iter().any(|u| down[*u]);
                if let Some((members, k)) = group {
                    d |= members.iter().filter(|m| !down[**m]).count() < k;
                }
                if d {
                    down[v] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let ok: Vec<bool> = (0..n).map(|v| self.eligible(v, &lost)).collect();
        // reach[a][b]: b waits on a along plain waits among eligible nodes.
        let mut reach = vec![vec![false; n]; n];
        for (a, b) in &self.edges {
            // `a depends on b`: a waits on b.
            if ok[*a] && ok[*b] {
                reach[*b][*a] = true;
            }
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if reach[i][k] && reach[k][j] {
                        reach[i][j] = true;
                    }
                }
            }
        }
        let together =
            |a: usize, b: usize| (a == b && reach[a][a]) || (a != b && reach[a][b] && reach[b][a]);
        let mut t = vec![NEVER; n];
        for _ in 0..=4 * n + 4 {
            let mut changed = false;
            for v in 0..n {
                let unit: Vec<usize> = (0..n).filter(|u| *u == v || together(*u, v)).collect();
                let new = if !down[v] {
                    0
                } else if unit.len() > 1 || together(v, v) {
                    // Side by side, each after what it waits for outside; back with the last.
                    unit.iter()
                        .map(|m| {
                            let w = self
                                .edges
                                .iter()
                                .filter(|(a, b)| a == m && !unit.contains(b))
                                .map(|(_, b)| t[*b])
                                .max()
                                .unwrap_or(0);
                            self.own(*m, w, &lost)
                        })
                        .max()
                        .unwrap_or(NEVER)
                } else {
                    let (plain, group) = self.waits(v);
                    let mut w = plain.iter().map(|d| t[*d]).max().unwrap_or(0);
                    if let Some((members, k)) = group {
                        let mut back: Vec<i64> = members.iter().map(|m| t[*m]).collect();
                        back.sort_unstable();
                        w = w.max(back.get(k - 1).copied().unwrap_or(NEVER));
                    }
                    self.own(v, w, &lost)
                };
                if new != t[v] {
                    t[v] = new;
                    changed = true;
                }
            }
            if !changed {
                return t;
            }
        }
        panic!("no fixpoint")
    }

    /// Nodes that depend on `v`, directly or not (through groups too), `v` included.
    fn dependents(&self, v: usize) -> BTreeSet<usize> {
        let mut seen = BTreeSet::from([v]);
        let mut stack = vec![v];
        while let Some(u) = stack.pop() {
            let mut up: Vec<usize> = self
                .edges
                .iter()
                .filter(|(_, b)| *b == u)
                .map(|(a, _)| *a)
                .collect();
            for (g, (m, _)) in self.groups.iter().enumerate() {
                if m.contains(&u) {
                    up.push(self.nodes() + g);
                }
            }
            for a in up {
                if seen.insert(a) {
                    stack.push(a);
                }
            }
        }
        seen
    }
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..3, 1usize..7, 0usize..3).prop_flat_map(|(services, items, groups)| {
        let nodes = services + items;
        let total = nodes + groups;
        (
            Just((services, items)),
            proptest::collection::vec(any::<bool>(), items),
            proptest::collection::vec(
                (proptest::collection::vec(services..nodes, 1..4), 0usize..4),
                groups,
            ),
            proptest::collection::vec((0..total, 0..total), 0..12),
            proptest::collection::vec(proptest::option::weighted(0.85, 0i64..6), nodes),
            proptest::collection::vec(
                (
                    0..nodes,
                    0i64..12,
                    proptest::option::of(0i64..12),
                    proptest::option::of(0i64..6),
                ),
                0..4,
            ),
            any::<u8>(),
            proptest::collection::vec(0..nodes, 0..4),
            any::<bool>(),
        )
            .prop_map(
                |(
                    (services, items),
                    north,
                    groups,
                    edges,
                    rta,
                    objectives,
                    disruption,
                    named,
                    parallel,
                )| {
                    let groups = groups
                        .into_iter()
                        .map(|(m, k)| {
                            let m: Vec<usize> =
                                m.into_iter().collect::<BTreeSet<_>>().into_iter().collect();
                            let k = k.min(m.len()).max(1);
                            (m, k)
                        })
                        .collect();
                    let mut seen = BTreeSet::new();
                    let objectives = objectives
                        .into_iter()
                        .filter(|o| seen.insert(o.0))
                        .collect();
                    Case {
                        services,
                        items,
                        north,
                        groups,
                        edges,
                        rta,
                        objectives,
                        disruption,
                        named,
                        parallel,
                    }
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Every objective's time and status as the model has them; the summary's counts.
    #[test]
    fn recovery_matches_the_fixpoint_model(c in case()) {
        let g = c.graph();
        let spec = c.spec();
        let plan = Plan::new(&g, &spec).unwrap();
        let seq = if c.parallel { Sequencing::Parallel } else { Sequencing::AfterDependencies };
        let Ok(r) = plan.recover(&c.disruption(), &Policy::default().with_sequencing(seq)) else {
            // Only a location nobody has is refused.
            prop_assert!(c.disruption % 3 == 1 && c.north.iter().all(|n| !n));
            return Ok(());
        };
        let t = c.times();
        let lost = c.lost();
        let cycles: BTreeSet<String> = g.cycles().into_iter().flatten().map(|v| g.id(v).to_owned()).collect();
        for (k, (node, rto, _, extra)) in c.objectives.iter().enumerate() {
            let o = &r.outcomes[k];
            prop_assert_eq!(&o.id, &c.id(*node));
            let want = t[*node];
            if want == NEVER {
                prop_assert_eq!(o.back_after, None);
                let on = o.waits_on.clone().unwrap();
                let on_index = (0..c.total()).find(|i| c.id(*i) == on).unwrap();
                prop_assert_eq!(t[on_index], NEVER);
                match o.status {
                    Status::NoRecoveryTime => prop_assert!(lost[on_index] && c.rta[on_index].is_none()),
                    Status::Circular => prop_assert!(cycles.contains(&on), "{} not on a cycle", on),
                    s => prop_assert!(false, "status {:?} for a node never back", s),
                }
                continue;
            }
            prop_assert_eq!(o.back_after, Some(Duration::hours(want)));
            let status = if want == 0 {
                Status::Unaffected
            } else if want <= *rto {
                Status::Met
            } else if extra.is_some_and(|e| want > rto + e) {
                Status::Intolerable
            } else {
                Status::Missed
            };
            prop_assert_eq!(o.status, status);
            prop_assert_eq!(o.late_by, (want > *rto).then(|| Duration::hours(want - rto)));
            if want > 0 {
                // The path ends at the node, starts at a lost node, and never goes back in time.
                prop_assert_eq!(o.critical_path.last(), Some(&c.id(*node)));
                let first = (0..c.total()).find(|i| c.id(*i) == o.critical_path[0]).unwrap();
                prop_assert!(lost[first]);
                let times: Vec<i64> = o.critical_path.iter().map(|id| t[(0..c.total()).find(|i| c.id(*i) == *id).unwrap()]).collect();
                prop_assert!(times.windows(2).all(|w| w[0] <= w[1]), "{:?}", times);
            }
        }
        let down = (0..c.total()).filter(|v| t[*v] == NEVER || t[*v] > 0 || lost[*v]).count();
        prop_assert_eq!(r.summary.down, down as u64);
        prop_assert_eq!(r.summary.lost, lost.iter().filter(|l| **l).count() as u64);
        prop_assert_eq!(r.summary.never_back, t.iter().filter(|x| **x == NEVER).count() as u64);
        let last = (0..c.total()).filter(|v| t[*v] != NEVER && (t[*v] > 0 || lost[*v])).map(|v| t[v]).max();
        prop_assert_eq!(r.summary.all_back_after, last.map(Duration::hours));
    }

    /// Required objectives are the least of the objectives depending on a node (ties to the
    /// earlier); the gaps list exactly the nodes the model finds.
    #[test]
    fn requirements_and_gaps_match_reachability(c in case()) {
        let g = c.graph();
        let plan = Plan::new(&g, &c.spec()).unwrap();
        let gaps = plan.gaps();
        let mut rto_gaps = Vec::new();
        let mut no_rta = Vec::new();
        for v in 0..c.total() {
            let deps = c.dependents(v);
            let best = c.objectives.iter().enumerate().filter(|(_, o)| deps.contains(&o.0)).min_by_key(|(k, o)| (o.1, *k));
            let got = plan.required_rto(&c.id(v)).unwrap();
            prop_assert_eq!(got.as_ref().map(|r| (r.value, r.set_by.clone())), best.map(|(_, o)| (Duration::hours(o.1), c.id(o.0))));
            let best_rpo = c.objectives.iter().enumerate().filter(|(_, o)| deps.contains(&o.0) && o.2.is_some()).min_by_key(|(k, o)| (o.2, *k));
            let got = plan.required_rpo(&c.id(v)).unwrap();
            prop_assert_eq!(got.map(|r| r.value), best_rpo.and_then(|(_, o)| o.2).map(Duration::hours));
            if let Some((_, o)) = best {
                let item = v >= c.services && v < c.nodes();
                match c.rta.get(v).copied().flatten() {
                    Some(a) if a > o.1 => rto_gaps.push(c.id(v)),
                    None if item => no_rta.push(c.id(v)),
                    _ => {}
                }
            }
        }
        let ids = |v: &[itsm_continuity::Gap]| v.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
        prop_assert_eq!(ids(&gaps.rto), rto_gaps);
        prop_assert_eq!(gaps.no_rta.iter().map(|x| x.id.clone()).collect::<Vec<_>>(), no_rta);
        for x in &gaps.objective_rto {
            prop_assert!(x.required.value < x.achieves);
        }
    }

    /// A spec and a recovery survive JSON.
    #[cfg(feature = "serde")]
    #[test]
    fn json_round_trips(c in case()) {
        let spec = c.spec();
        let back: ContinuitySpec = serde_json::from_str(&serde_json::to_string(&spec).unwrap()).unwrap();
        prop_assert_eq!(&back, &spec);
        let g = c.graph();
        if let Ok(r) = Plan::new(&g, &spec).unwrap().recover(&c.disruption(), &Policy::default()) {
            let back: itsm_continuity::Recovery = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
            prop_assert_eq!(back, r);
        }
    }

    /// The two readings of ServiceNow's rating rule agree when ratings are in order: names
    /// sorted as values, every tolerable rating below every intolerable one.
    #[test]
    fn the_two_rating_rules_agree_on_ordered_ratings(
        tolerable in 0usize..4,
        durations in proptest::collection::vec(0usize..9, 3),
    ) {
        let names = ["1 Low", "2 Moderate", "3 High"];
        let ratings = (0..3).map(|i| Rating::new(names[i], i as u32 + 1, i < tolerable)).collect();
        let t = Template::servicenow().with_category(Category::rto("Revenue", ratings, "1 Month"));
        let frames: Vec<String> = t.timeframes.iter().map(|f| f.name.clone()).collect();
        let mut answers = Answers::default();
        for (i, d) in durations.iter().enumerate() {
            answers = answers.at("Revenue", names[i], &frames[*d]);
        }
        let a = assess(&t, &answers).unwrap();
        let b = assess(&t.clone().with_rating_rule(RatingRule::AboveHighestTolerable), &answers).unwrap();
        prop_assert_eq!(&a, &b);
        let want = if tolerable >= 3 { "1 Month".to_owned() } else { frames[durations[tolerable]].clone() };
        prop_assert_eq!(a.rto, Some(want));
    }
}
