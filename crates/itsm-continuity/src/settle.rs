//! When every node is back, by the rules of docs/continuity.md.
//!
//! A node's time is a monotone function of the times of what it waits for: the latest of
//! them (a node not lost), that plus its RTA (a lost node recovered after its dependencies),
//! the later of that and its RTA (side by side), the moment enough members are back (a
//! group). Nodes are settled in order of time (Knuth's generalisation of Dijkstra's
//! algorithm): a node is settled once everything it waits for is. Waits in a cycle would
//! never settle, so cycles of plain waits (among nodes that are not groups and not lost
//! without an RTA) are contracted first into units, found by Tarjan's algorithm with an
//! explicit stack: a unit is recovered side by side, each member after what it waits for
//! outside the unit, and is back when its last member is. A group still counts a member only
//! once the member is back on its own account, so a cycle through a group that no member
//! breaks is never back.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use itsm_graph::Graph;

use crate::plan::{NONE, Nanos, node_u32};
use crate::spec::Sequencing;

/// A node's time: not back (yet).
pub(crate) const NEVER: Nanos = Nanos::MAX;

/// The settled times.
pub(crate) struct Run {
    /// Per node: when it is back, [`NEVER`] if never.
    pub(crate) time: Vec<Nanos>,
    /// Per node: the node whose return set its time, [`NONE`] when its own recovery (or
    /// nothing) did.
    pub(crate) via: Vec<u32>,
}

/// Settles every node's time.
pub(crate) fn settle(
    g: &Graph,
    lost: &[bool],
    rta: &[Option<Nanos>],
    sequencing: Sequencing,
) -> Run {
    let n = g.node_count();
    let is_lost = |v: usize| lost.get(v).copied().unwrap_or(false);
    // Nodes that may share a unit: not groups, not lost without an RTA.
    let eligible: Vec<bool> = g
        .nodes()
        .map(|v| {
            let i = v.index();
            g.group_rule(v).is_none() && (!is_lost(i) || rta.get(i).copied().flatten().is_some())
        })
        .collect();
    let unit = components(g, &eligible, true);
    let down = down(g, lost);
    // Per unit (its representative): plain arcs from other units not yet back, member
    // weight still needed (groups).
    let mut edges = vec![0u32; n];
    let mut weight = vec![0u64; n];
    for u in g.nodes() {
        let uu = unit.get(u.index()).copied().unwrap_or(NONE);
        for arc in g.arcs_from(u) {
            let vu = unit.get(arc.to.index()).copied().unwrap_or(NONE);
            // Waits inside a unit do not count; a node's wait on itself is inside its unit
            // only when it may share one (else a deadlock).
            let inside = vu == uu && eligible.get(u.index()).copied().unwrap_or(false);
            if arc.passes && !inside {
                if let Some(e) = edges.get_mut(vu as usize) {
                    *e = e.saturating_add(1);
                }
            }
        }
    }
    for v in g.nodes() {
        if let Some((total, down_at)) = g.group_rule(v) {
            // Up while fewer than `down_at` fail: `total - down_at + 1` must be back.
            if let Some(w) = weight.get_mut(v.index()) {
                *w = (u64::from(total) + 1).saturating_sub(u64::from(down_at));
            }
        }
    }
    // Per unit of more than one node: its members.
    let mut members: std::collections::HashMap<u32, Vec<u32>> = std::collections::HashMap::new();
    for v in g.nodes() {
        let i = v.index();
        let r = unit.get(i).copied().unwrap_or(NONE);
        if r as usize != i {
            members.entry(r).or_default().push(node_u32(v));
        }
    }
    for (r, list) in &mut members {
        list.push(*r);
        list.sort_unstable();
    }
    let own = |v: usize, t: Nanos| -> Option<Nanos> {
        if !is_lost(v) {
            return Some(t);
        }
        let r = rta.get(v).copied().flatten()?;
        Some(match sequencing {
            Sequencing::AfterDependencies => t + r,
            Sequencing::Parallel => t.max(r),
        })
    };
    // Per node: the latest arrival from outside its unit (time, from).
    let mut start: Vec<(Nanos, u32)> = vec![(0, NONE); n];
    // A unit's time, once everything it waits for from outside is back: the latest of its
    // members' own times, and the member (entry) and arrival (by) that set it.
    let unit_time = |r: u32, start: &[(Nanos, u32)]| -> Option<(Nanos, u32, u32)> {
        let one = [r];
        let list = members.get(&r).map_or(&one[..], Vec::as_slice);
        let mut best: Option<(Nanos, u32, u32)> = None;
        for &m in list {
            let (t, from) = start.get(m as usize).copied().unwrap_or((0, NONE));
            let back = own(m as usize, t)?;
            let set = t > 0
                && (back == t
                    || (is_lost(m as usize)
                        && matches!(sequencing, Sequencing::AfterDependencies)));
            if best.is_none_or(|b| back > b.0) {
                best = Some((back, m, if set { from } else { NONE }));
            }
        }
        best
    };
    let mut time = vec![NEVER; n];
    let mut via = vec![NONE; n];
    let mut ready = vec![false; n];
    // (time, unit, the node that set it, the member it entered by)
    let mut heap: BinaryHeap<Reverse<(Nanos, u32, u32, u32)>> = BinaryHeap::new();
    for v in g.nodes() {
        let i = v.index();
        if unit.get(i).copied() != Some(node_u32(v)) {
            continue;
        }
        // A unit never down is back at once, whatever it waits on (its waits on down nodes
        // are only members its groups can spare); so is one waiting on nothing down.
        if !down.get(i).copied().unwrap_or(true) {
            heap.push(Reverse((0, node_u32(v), NONE, node_u32(v))));
            if let Some(r) = ready.get_mut(i) {
                *r = true;
            }
        } else if edges.get(i) == Some(&0) && weight.get(i) == Some(&0) {
            if let Some((t, entry, by)) = unit_time(node_u32(v), &start) {
                heap.push(Reverse((t, node_u32(v), by, entry)));
            }
            if let Some(r) = ready.get_mut(i) {
                *r = true;
            }
        }
    }
    let mut settled: Vec<u32> = Vec::new();
    while let Some(Reverse((t, r, by, entry))) = heap.pop() {
        match time.get_mut(r as usize) {
            Some(slot) if *slot == NEVER => *slot = t,
            _ => continue,
        }
        settled.clear();
        match members.get(&r) {
            Some(list) => {
                for m in list {
                    if let Some(s) = time.get_mut(*m as usize) {
                        *s = t;
                    }
                    if let Some(s) = via.get_mut(*m as usize) {
                        // Each member is back with the one the unit entered by.
                        *s = if *m == entry {
                            by
                        } else if t > 0 {
                            entry
                        } else {
                            NONE
                        };
                    }
                }
                settled.extend_from_slice(list);
            }
            None => {
                if let Some(s) = via.get_mut(r as usize) {
                    *s = by;
                }
                settled.push(r);
            }
        }
        for &u in &settled {
            let Some(node) = g.node_at(u as usize) else {
                continue;
            };
            for arc in g.arcs_from(node) {
                let v = unit.get(arc.to.index()).copied().unwrap_or(NONE) as usize;
                if v == r as usize || ready.get(v) != Some(&false) {
                    continue;
                }
                if arc.passes {
                    if let Some(e) = edges.get_mut(v) {
                        *e = e.saturating_sub(1);
                    }
                }
                if let Some(c) = arc.counts {
                    if let Some(w) = weight.get_mut(v) {
                        *w = w.saturating_sub(u64::from(c));
                    }
                }
                // Arrivals come in order of time: the latest is this one.
                if let Some(s) = start.get_mut(arc.to.index()) {
                    *s = (t, u);
                }
                if edges.get(v) != Some(&0) || weight.get(v) != Some(&0) {
                    continue;
                }
                if let Some(x) = ready.get_mut(v) {
                    *x = true;
                }
                let vu = u32::try_from(v).unwrap_or(NONE);
                if let Some((back, entry, by)) = unit_time(vu, &start) {
                    heap.push(Reverse((back, vu, by, entry)));
                }
            }
        }
    }
    Run { time, via }
}

/// Which nodes `lost` takes down, by the graph's failure propagation: a lost node; a node a
/// down node's failure passes to as it is; a group whose down members' weight reaches its
/// threshold. The least such set (a node down only if forced), one breadth-first walk.
pub(crate) fn down(g: &Graph, lost: &[bool]) -> Vec<bool> {
    let n = g.node_count();
    let mut down = vec![false; n];
    let mut failed = vec![0u64; n];
    let mut queue: Vec<u32> = Vec::new();
    for v in g.nodes() {
        if lost.get(v.index()).copied().unwrap_or(false) {
            if let Some(d) = down.get_mut(v.index()) {
                *d = true;
            }
            queue.push(node_u32(v));
        }
    }
    let mut head = 0;
    while let Some(&u) = queue.get(head) {
        head += 1;
        let Some(node) = g.node_at(u as usize) else {
            continue;
        };
        for arc in g.arcs_from(node) {
            let v = arc.to.index();
            if down.get(v) != Some(&false) {
                continue;
            }
            let mut hit = arc.passes;
            if let Some(c) = arc.counts {
                if let Some(f) = failed.get_mut(v) {
                    *f += u64::from(c);
                    let at = g.group_rule(arc.to).map_or(1, |(_, at)| u64::from(at));
                    hit |= *f >= at;
                }
            }
            if hit {
                if let Some(d) = down.get_mut(v) {
                    *d = true;
                }
                queue.push(node_u32(arc.to));
            }
        }
    }
    down
}

/// Per node, the representative (least index) of its strongly connected component among
/// eligible nodes (over plain arcs only when `plain`), or the node itself. Tarjan's
/// algorithm with an explicit stack: no recursion, O(n + m).
pub(crate) fn components(g: &Graph, eligible_nodes: &[bool], plain: bool) -> Vec<u32> {
    let n = g.node_count();
    let mut unit: Vec<u32> = (0..n).map(|i| u32::try_from(i).unwrap_or(NONE)).collect();
    let eligible = |v: usize| eligible_nodes.get(v).copied().unwrap_or(false);
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut next = 0u32;
    // The walk: (node, the arcs of it still to look at).
    let mut walk: Vec<(u32, Vec<u32>)> = Vec::new();
    let targets = |u: u32| -> Vec<u32> {
        g.node_at(u as usize)
            .map(|node| {
                g.arcs_from(node)
                    .filter(|a| (a.passes || !plain) && eligible(a.to.index()))
                    .map(|a| node_u32(a.to))
                    .collect()
            })
            .unwrap_or_default()
    };
    for s in 0..n {
        if !eligible(s) || index.get(s) != Some(&NONE) {
            continue;
        }
        let s = u32::try_from(s).unwrap_or(NONE);
        let open = |v: u32, index: &mut Vec<u32>, low: &mut Vec<u32>, next: &mut u32| {
            if let (Some(i), Some(l)) = (index.get_mut(v as usize), low.get_mut(v as usize)) {
                (*i, *l) = (*next, *next);
            }
            *next += 1;
        };
        open(s, &mut index, &mut low, &mut next);
        stack.push(s);
        if let Some(o) = on_stack.get_mut(s as usize) {
            *o = true;
        }
        walk.push((s, targets(s)));
        while let Some((v, rest)) = walk.last_mut() {
            let v = *v;
            if let Some(w) = rest.pop() {
                let wi = w as usize;
                if index.get(wi) == Some(&NONE) {
                    open(w, &mut index, &mut low, &mut next);
                    stack.push(w);
                    if let Some(o) = on_stack.get_mut(wi) {
                        *o = true;
                    }
                    let t = targets(w);
                    walk.push((w, t));
                } else if on_stack.get(wi) == Some(&true) {
                    let iw = index.get(wi).copied().unwrap_or(0);
                    if let Some(l) = low.get_mut(v as usize) {
                        *l = (*l).min(iw);
                    }
                }
                continue;
            }
            walk.pop();
            let lv = low.get(v as usize).copied().unwrap_or(0);
            if let Some((p, _)) = walk.last() {
                if let Some(l) = low.get_mut(*p as usize) {
                    *l = (*l).min(lv);
                }
            }
            if lv == index.get(v as usize).copied().unwrap_or(NONE) {
                // `v` roots a component: pop it; its least index represents it.
                let mut comp: Vec<u32> = Vec::new();
                while let Some(w) = stack.pop() {
                    if let Some(o) = on_stack.get_mut(w as usize) {
                        *o = false;
                    }
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                let self_loop = comp.len() == 1 && targets(v).contains(&v);
                if comp.len() > 1 || self_loop {
                    let rep = comp.iter().copied().min().unwrap_or(v);
                    for w in comp {
                        if let Some(u) = unit.get_mut(w as usize) {
                            *u = rep;
                        }
                    }
                }
            }
        }
    }
    unit
}
