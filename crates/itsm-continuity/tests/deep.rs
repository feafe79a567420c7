//! Deep and wide inputs on a thread with a 256 kB stack: a million-node chain, a
//! million-leaf fan behind a redundancy group, a long cycle. A walk whose depth followed the
//! input would overflow the stack and abort; each query answers instead.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::Duration;
use itsm_continuity::{
    Capability, ContinuitySpec, Disruption, MAX_PATH, Objective, Plan, Policy, Sequencing, Status,
};
use itsm_graph::{
    GraphBuilder, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec, SeverityScale,
};

use itsm_testkit::on_small_stack;

/// `svc` on `n0` on `n1` ... on `n{len-1}`; the last one optionally on `n0` again (a cycle).
fn chain(len: usize, cycle: bool) -> itsm_graph::Graph {
    let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
    let dep = b
        .relation(RelationSpec::new("depends_on", Propagation::ToFrom))
        .unwrap();
    let svc = b
        .node(&NodeSpec::new("svc", NodeKind::BusinessService, "service"))
        .unwrap();
    let ids: Vec<_> = (0..len)
        .map(|i| {
            b.node(&NodeSpec::new(
                &format!("n{i}"),
                NodeKind::ConfigurationItem,
                "x",
            ))
            .unwrap()
        })
        .collect();
    b.edge(svc, ids[0], dep).unwrap();
    for w in ids.windows(2) {
        b.edge(w[0], w[1], dep).unwrap();
    }
    if cycle {
        b.edge(ids[len - 1], ids[0], dep).unwrap();
    }
    b.build().unwrap()
}

#[test]
fn a_million_node_chain() {
    on_small_stack(|| {
        const N: usize = 1_000_000;
        let g = chain(N, false);
        let caps = (0..N)
            .map(|i| Capability::new(&format!("n{i}"), Duration::seconds(1)))
            .collect();
        let spec = ContinuitySpec::new(vec![Objective::new("svc", Duration::hours(1))], caps);
        let plan = Plan::new(&g, &spec).unwrap();
        assert_eq!(plan.required_rto("n999999").unwrap().unwrap().set_by, "svc");
        let gaps = plan.gaps();
        assert!(gaps.rto.is_empty() && gaps.no_rta.is_empty());
        for seq in [Sequencing::AfterDependencies, Sequencing::Parallel] {
            let r = plan
                .recover(
                    &Disruption::Everything,
                    &Policy::default().with_sequencing(seq),
                )
                .unwrap();
            let o = &r.outcomes[0];
            let want = match seq {
                Sequencing::Parallel => Duration::seconds(1),
                _ => Duration::seconds(N as i64),
            };
            assert_eq!(o.back_after, Some(want));
            assert_eq!(r.summary.down, N as u64 + 1);
        }
    });
}

#[test]
fn a_million_node_cycle_is_one_unit() {
    on_small_stack(|| {
        const N: usize = 1_000_000;
        let g = chain(N, true);
        let spec = ContinuitySpec::new(
            vec![Objective::new("svc", Duration::hours(1))],
            vec![Capability::new("n5", Duration::seconds(7))],
        );
        let plan = Plan::new(&g, &spec).unwrap();
        let r = plan
            .recover(&Disruption::Nodes(vec!["n5".into()]), &Policy::default())
            .unwrap();
        let o = &r.outcomes[0];
        assert_eq!(
            (o.status, o.back_after),
            (Status::Met, Some(Duration::seconds(7)))
        );
        assert_eq!(o.critical_path, ["n5", "n0", "svc"]);
        assert_eq!(r.summary.down, N as u64 + 1);
    });
}

/// A million-node chain closed through a group whose only member is its first node: never
/// back, named.
#[test]
fn a_million_node_cycle_through_a_group_is_reported() {
    on_small_stack(|| {
        const N: usize = 1_000_000;
        let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
        let dep = b
            .relation(RelationSpec::new("depends_on", Propagation::ToFrom))
            .unwrap();
        let svc = b
            .node(&NodeSpec::new("svc", NodeKind::BusinessService, "service"))
            .unwrap();
        let grp = b.group("grp", MinUp::Count(1)).unwrap();
        let ids: Vec<_> = (0..N)
            .map(|i| {
                b.node(&NodeSpec::new(
                    &format!("n{i}"),
                    NodeKind::ConfigurationItem,
                    "x",
                ))
                .unwrap()
            })
            .collect();
        b.edge(svc, grp, dep).unwrap();
        b.member(grp, ids[0]).unwrap();
        for w in ids.windows(2) {
            b.edge(w[0], w[1], dep).unwrap();
        }
        b.edge(ids[N - 1], grp, dep).unwrap();
        let g = b.build().unwrap();
        let spec = ContinuitySpec::new(
            vec![Objective::new("svc", Duration::hours(1))],
            vec![Capability::new("n5", Duration::seconds(7))],
        );
        let plan = Plan::new(&g, &spec).unwrap();
        let r = plan
            .recover(&Disruption::Nodes(vec!["n5".into()]), &Policy::default())
            .unwrap();
        let o = &r.outcomes[0];
        assert_eq!(
            (o.status, o.waits_on.as_deref()),
            (Status::Circular, Some("grp"))
        );
        assert_eq!(r.summary.never_back, N as u64 + 2);
    });
}

#[test]
fn a_million_member_group() {
    on_small_stack(|| {
        const N: usize = 1_000_000;
        let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
        let dep = b
            .relation(RelationSpec::new("depends_on", Propagation::ToFrom))
            .unwrap();
        let svc = b
            .node(&NodeSpec::new("svc", NodeKind::BusinessService, "service"))
            .unwrap();
        let farm = b.group("farm", MinUp::Count(N as u32 / 2)).unwrap();
        b.edge(svc, farm, dep).unwrap();
        let mut caps = Vec::with_capacity(N);
        for i in 0..N {
            let id = format!("w{i}");
            let m = b
                .node(&NodeSpec::new(&id, NodeKind::ConfigurationItem, "x"))
                .unwrap();
            b.member(farm, m).unwrap();
            // Members come back one second apart, in reverse order of listing.
            caps.push(Capability::new(&id, Duration::seconds((N - i) as i64)));
        }
        let g = b.build().unwrap();
        let spec = ContinuitySpec::new(vec![Objective::new("svc", Duration::hours(1))], caps);
        let plan = Plan::new(&g, &spec).unwrap();
        assert_eq!(plan.gaps().rto.len(), N - 3600);
        let r = plan
            .recover(&Disruption::Everything, &Policy::default())
            .unwrap();
        let o = &r.outcomes[0];
        // Half the members back: the 500,000th second.
        assert_eq!(o.back_after, Some(Duration::seconds(N as i64 / 2)));
        assert_eq!(
            o.critical_path,
            [format!("w{}", N / 2), "farm".into(), "svc".into()]
        );
        assert_eq!(o.status, Status::Missed);
    });
}

/// An objective on every node of a 100,000-node chain: each critical path is counted, not
/// walked (the review's quadratic case: 1.9 s at 40,000 before).
#[test]
fn an_objective_on_every_node_of_a_long_chain() {
    on_small_stack(|| {
        const N: usize = 100_000;
        let g = chain(N, false);
        let caps = (0..N)
            .map(|i| Capability::new(&format!("n{i}"), Duration::seconds(1)))
            .collect();
        let objs = (0..N)
            .map(|i| Objective::new(&format!("n{i}"), Duration::hours(1)))
            .collect();
        let plan = Plan::new(&g, &ContinuitySpec::new(objs, caps)).unwrap();
        let r = plan
            .recover(&Disruption::Everything, &Policy::default())
            .unwrap();
        // n0 waits on the whole chain: N seconds, a path of N nodes.
        let o = &r.outcomes[0];
        assert_eq!(o.back_after, Some(Duration::seconds(N as i64)));
        assert_eq!(o.critical_path.len(), MAX_PATH);
        assert_eq!(o.path_omitted, (N - MAX_PATH) as u64);
        let last = &r.outcomes[N - 1];
        assert_eq!((last.critical_path.len(), last.path_omitted), (1, 0));
    });
}
