//! Unit tests of the impact workspace.

use super::*;
use crate::builder::GraphBuilder;
use crate::builder::tests::feeding;
use crate::spec::{MinUp, NodeKind, NodeSpec, Propagation, RelationSpec, SeverityScale};

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
    b.member(pair, x)?;
    b.member(pair, y)?;
    b.edge(p, x, feeds)?;
    b.edge(q, x, feeds)?;
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
        b.edge(NodeId(k), NodeId(k - 1), feeds)?;
    }
    b.member(pair, NodeId(0))?;
    b.member(pair, NodeId(1))?;
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
        let feeds = b.relation(RelationSpec::new("feeds", Propagation::FromTo))?;
        let both = b.relation(RelationSpec::new("peer", Propagation::Both))?;
        let mut spec = NodeSpec::new("", NodeKind::ConfigurationItem, "host");
        for i in 0..n {
            spec.id = format!("n{i}");
            b.node(&spec)?;
        }
        for i in 0..groups {
            let g = b.group(&format!("g{i}"), MinUp::Count(1 + rnd(2)))?;
            for k in 0..3 {
                b.member(g, NodeId((i * 3 + k) % n))?;
            }
            b.edge(g, NodeId(rnd(n)), feeds)?;
        }
        for u in 0..n {
            for _ in 0..3 {
                b.edge(NodeId(u), NodeId(rnd(n + groups)), feeds)?;
            }
            if rnd(50) == 0 {
                b.edge(NodeId(u), NodeId(rnd(n)), both)?;
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
