//! When every node is back, by the rules of docs/continuity.md.
//!
//! A node's time is a monotone function of the times of what it waits for: the latest of
//! them (a node not lost), that plus its RTA (a lost node recovered after its dependencies),
//! the later of that and its RTA (side by side), the moment enough members are back (a
//! group). A node never down (the graph's own failure propagation from the lost nodes) is
//! back at once. Cycles of plain waits (among nodes that are not groups and not lost without
//! an RTA) are contracted first into units, found by Tarjan's algorithm with an explicit
//! stack: a unit is recovered side by side, each member after what it waits for outside the
//! unit, and is back when its last member is.
//!
//! Then two passes. The first takes units in topological order (Kahn's algorithm: a unit
//! once everything it waits on is settled), which is exact and linear wherever the waits
//! form no cycle: a unit's time is computed from its arrivals (the latest plain one; for a
//! group, the earliest moment its members back reach its need). What is left waits on a
//! cycle through a group, where a group counts a member only once the member is back on its
//! own account: the second pass settles it in order of time (Knuth's generalisation of
//! Dijkstra's algorithm), members' arrivals from the first pass replayed at their times, so
//! that a group takes the earliest members that make it hold; what never settles is never
//! back.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

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

/// An event of the second pass, in order of time: a unit settled (by, entry), or a member
/// settled in the first pass arriving at its group (weight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// A member of the first pass reaches a group of the second: (member, group, weight).
    Arrive(u32, u32, u32),
    /// A unit is back: (unit, the node that set its time, the member it entered by).
    Settle(u32, u32, u32),
}

/// The state of one settling.
struct Settler<'a> {
    g: &'a Graph,
    lost: &'a [bool],
    rta: &'a [Option<Nanos>],
    sequencing: Sequencing,
    /// Per node, the representative (least index) of its unit.
    unit: Vec<u32>,
    /// Per unit of more than one node: its members, sorted.
    members: HashMap<u32, Vec<u32>>,
    /// Per node: it represents a unit of more than one node (a key of `members`).
    multi: Vec<bool>,
    /// Per node: whether it may share a unit.
    eligible: Vec<bool>,
    /// Per node: the latest plain arrival from outside its unit (time, from).
    plain: Vec<(Nanos, u32)>,
    /// Per group: member arrivals (time, member, weight), rows over `arr_start`.
    arr_start: Vec<u32>,
    arr_fill: Vec<u32>,
    arrivals: Vec<(Nanos, u32, u32)>,
    /// Per group: the member weight it needs back.
    need: Vec<u64>,
    time: Vec<Nanos>,
    via: Vec<u32>,
    /// Per unit: settled (or found never back) in the first pass.
    done: Vec<bool>,
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
    let mut members: HashMap<u32, Vec<u32>> = HashMap::new();
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
    // Per unit: arcs from outside it still to settle (a wait of a node that may not share a
    // unit on itself counts: a deadlock). Per group: its member arcs, for the rows.
    let mut pending = vec![0u32; n];
    let mut arr_count = vec![0u32; n + 1];
    for u in g.nodes() {
        for arc in g.arcs_from(u) {
            if let Some(r) = outside(&unit, &eligible, node_u32(u), node_u32(arc.to)) {
                if let Some(p) = pending.get_mut(r as usize) {
                    *p = p.saturating_add(1);
                }
            }
            if arc.counts.is_some() {
                if let Some(c) = arr_count.get_mut(arc.to.index() + 1) {
                    *c += 1;
                }
            }
        }
    }
    for i in 1..arr_count.len() {
        let prev = arr_count.get(i - 1).copied().unwrap_or(0);
        if let Some(x) = arr_count.get_mut(i) {
            *x += prev;
        }
    }
    let total = arr_count.last().copied().unwrap_or(0) as usize;
    let mut need = vec![0u64; n];
    for v in g.nodes() {
        if let Some((members_total, down_at)) = g.group_rule(v) {
            // Up while fewer than `down_at` fail: `total - down_at + 1` must be back.
            if let Some(w) = need.get_mut(v.index()) {
                *w = (u64::from(members_total) + 1).saturating_sub(u64::from(down_at));
            }
        }
    }
    let mut multi = vec![false; n];
    for r in members.keys() {
        if let Some(m) = multi.get_mut(*r as usize) {
            *m = true;
        }
    }
    let mut s = Settler {
        g,
        lost,
        rta,
        sequencing,
        unit,
        members,
        multi,
        eligible,
        plain: vec![(0, NONE); n],
        arr_fill: arr_count.clone(),
        arr_start: arr_count,
        arrivals: vec![(NEVER, NONE, 0); total],
        need,
        time: vec![NEVER; n],
        via: vec![NONE; n],
        done: vec![false; n],
    };
    // First pass: units never down at once, then Kahn's order.
    let mut queue: Vec<u32> = Vec::new();
    for v in g.nodes() {
        let i = v.index();
        if s.unit.get(i).copied() == Some(node_u32(v)) && !down.get(i).copied().unwrap_or(true) {
            s.finish(node_u32(v), 0, NONE, node_u32(v), &mut pending, &mut queue);
        }
    }
    for v in g.nodes() {
        let i = v.index();
        if s.unit.get(i).copied() == Some(node_u32(v))
            && pending.get(i) == Some(&0)
            && s.done.get(i) == Some(&false)
        {
            queue.push(node_u32(v));
        }
    }
    let mut head = 0;
    while let Some(&r) = queue.get(head) {
        head += 1;
        if s.done.get(r as usize) != Some(&false) {
            continue;
        }
        let (t, by, entry) = s.evaluate(r);
        s.finish(r, t, by, entry, &mut pending, &mut queue);
    }
    drop(queue);
    s.second_pass();
    Run {
        time: s.time,
        via: s.via,
    }
}

/// The unit of `v` if the arc `u -> v` comes from outside it (a node that may not share a
/// unit waiting on itself counts as outside).
fn outside(unit: &[u32], eligible: &[bool], u: u32, v: u32) -> Option<u32> {
    let (uu, vu) = (
        unit.get(u as usize).copied().unwrap_or(NONE),
        unit.get(v as usize).copied().unwrap_or(NONE),
    );
    let inside = uu == vu && eligible.get(u as usize).copied().unwrap_or(false);
    (!inside).then_some(vu)
}

impl Settler<'_> {
    fn is_lost(&self, v: usize) -> bool {
        self.lost.get(v).copied().unwrap_or(false)
    }

    /// A node's time once what it waits for is back at `t`; [`NEVER`] for never.
    fn own(&self, v: usize, t: Nanos) -> Nanos {
        if t == NEVER {
            return NEVER;
        }
        if !self.is_lost(v) {
            return t;
        }
        match self.rta.get(v).copied().flatten() {
            None => NEVER,
            Some(r) => match self.sequencing {
                Sequencing::AfterDependencies => t + r,
                Sequencing::Parallel => t.max(r),
            },
        }
    }

    /// Whether `v`'s time `back` is set by what it waited for at `t` (else by its own RTA).
    fn set_by_arrival(&self, v: usize, t: Nanos, back: Nanos) -> bool {
        t > 0
            && (back == t
                || (self.is_lost(v) && matches!(self.sequencing, Sequencing::AfterDependencies)))
    }

    /// A group's member arrivals, as recorded.
    fn arrivals_of(&self, v: usize) -> &[(Nanos, u32, u32)] {
        let lo = self.arr_start.get(v).copied().unwrap_or(0) as usize;
        let hi = self.arr_fill.get(v).copied().unwrap_or(0) as usize;
        self.arrivals.get(lo..hi).unwrap_or(&[])
    }

    /// The earliest moment a group's recorded members back reach its need, and the member
    /// that made it; [`NEVER`] if they do not.
    fn kth(&self, v: usize) -> (Nanos, u32) {
        let need = self.need.get(v).copied().unwrap_or(0);
        if need == 0 {
            return (0, NONE);
        }
        let mut back: Vec<(Nanos, u32, u32)> = self
            .arrivals_of(v)
            .iter()
            .copied()
            .filter(|a| a.0 != NEVER)
            .collect();
        back.sort_unstable();
        let mut have = 0u64;
        for (t, m, w) in back {
            have += u64::from(w);
            if have >= need {
                return (t, m);
            }
        }
        (NEVER, NONE)
    }

    /// A unit's time once everything it waits on has arrived: (time, by, entry).
    fn evaluate(&self, r: u32) -> (Nanos, u32, u32) {
        let ri = r as usize;
        if self
            .g
            .node_at(ri)
            .and_then(|v| self.g.group_rule(v))
            .is_some()
        {
            let (pt, pu) = self.plain.get(ri).copied().unwrap_or((0, NONE));
            let (kt, ku) = self.kth(ri);
            let (t, by) = if kt > pt { (kt, ku) } else { (pt, pu) };
            return (t, if t > 0 && t != NEVER { by } else { NONE }, r);
        }
        let one = [r];
        let list = if self.multi.get(ri) == Some(&true) {
            self.members.get(&r).map_or(&one[..], Vec::as_slice)
        } else {
            &one[..]
        };
        let mut best = (0, NONE, r);
        let mut first = true;
        for &m in list {
            let (t, from) = self.plain.get(m as usize).copied().unwrap_or((0, NONE));
            let back = self.own(m as usize, t);
            if first || back > best.0 {
                let by = if back != NEVER && self.set_by_arrival(m as usize, t, back) {
                    from
                } else {
                    NONE
                };
                best = (back, by, m);
                first = false;
            }
        }
        best
    }

    /// Sets the time of every member of a unit, and what set it: the member it entered by
    /// took its time from `by`; the others from that member (none at 0 or never).
    fn stamp(&mut self, list: &[u32], t: Nanos, by: u32, entry: u32) {
        for &m in list {
            if let Some(x) = self.time.get_mut(m as usize) {
                *x = t;
            }
            if let Some(x) = self.via.get_mut(m as usize) {
                *x = if t == NEVER {
                    NONE
                } else if m == entry {
                    by
                } else if t > 0 {
                    entry
                } else {
                    NONE
                };
            }
        }
    }

    /// Settles unit `r` at `t` and records its members' arrivals downstream; queues units
    /// whose arcs have all arrived.
    fn finish(
        &mut self,
        r: u32,
        t: Nanos,
        by: u32,
        entry: u32,
        pending: &mut [u32],
        queue: &mut Vec<u32>,
    ) {
        if let Some(d) = self.done.get_mut(r as usize) {
            *d = true;
        }
        let one = [r];
        // A unit of one (nearly every node) needs no copy of its member list.
        let multi = if self.multi.get(r as usize) == Some(&true) {
            self.members.get(&r).cloned()
        } else {
            None
        };
        let list: &[u32] = multi.as_deref().unwrap_or(&one);
        self.stamp(list, t, by, entry);
        for &u in list {
            let Some(node) = self.g.node_at(u as usize) else {
                continue;
            };
            for arc in self.g.arcs_from(node) {
                let v = node_u32(arc.to);
                let Some(vr) = outside(&self.unit, &self.eligible, u, v) else {
                    continue;
                };
                if arc.passes {
                    if let Some(p) = self.plain.get_mut(v as usize) {
                        if p.1 == NONE || t > p.0 {
                            *p = (t, u);
                        }
                    }
                }
                if let Some(c) = arc.counts {
                    let vi = v as usize;
                    if let Some(slot) = self.arr_fill.get_mut(vi) {
                        if let Some(a) = self.arrivals.get_mut(*slot as usize) {
                            *a = (t, u, c);
                        }
                        *slot += 1;
                    }
                }
                if let Some(p) = pending.get_mut(vr as usize) {
                    *p = p.saturating_sub(1);
                    if *p == 0 && self.done.get(vr as usize) == Some(&false) {
                        queue.push(vr);
                    }
                }
            }
        }
    }

    /// The units the first pass could not order (they wait on a cycle through a group):
    /// settled in order of time. Their arrivals from settled units are in already (plain
    /// ones as the latest, member ones replayed at their times); waits on units not settled
    /// are counted and arrive as those settle.
    fn second_pass(&mut self) {
        let g = self.g;
        let n = g.node_count();
        let left = |s: &Self, v: usize| {
            s.done
                .get(s.unit.get(v).copied().unwrap_or(NONE) as usize)
                .is_some_and(|d| !*d)
        };
        if !(0..n).any(|v| left(self, v)) {
            return;
        }
        // Per unit left: plain arcs from units left or never back; per group left: the
        // member weight still needed.
        let mut edges = vec![0u32; n];
        let mut weight = vec![0u64; n];
        let mut heap: BinaryHeap<Reverse<(Nanos, Event)>> = BinaryHeap::new();
        for v in g.nodes() {
            if left(self, v.index()) {
                if let Some(w) = weight.get_mut(v.index()) {
                    *w = self.need.get(v.index()).copied().unwrap_or(0);
                }
            }
        }
        for u in g.nodes() {
            let ui = u.index();
            let from_left = left(self, ui);
            let tu = self.time.get(ui).copied().unwrap_or(NEVER);
            for arc in g.arcs_from(u) {
                let v = node_u32(arc.to);
                if !left(self, v as usize) {
                    continue;
                }
                let Some(vr) = outside(&self.unit, &self.eligible, node_u32(u), v) else {
                    continue;
                };
                if arc.passes && (from_left || tu == NEVER) {
                    if let Some(e) = edges.get_mut(vr as usize) {
                        *e += 1;
                    }
                }
                if let (Some(c), false) = (arc.counts, from_left) {
                    if tu != NEVER {
                        heap.push(Reverse((tu, Event::Arrive(node_u32(u), v, c))));
                    }
                }
            }
        }
        // Member arrivals recorded in the first pass are replayed from the heap instead.
        for v in g.nodes() {
            if left(self, v.index()) {
                if let (Some(f), Some(s0)) = (
                    self.arr_fill.get_mut(v.index()),
                    self.arr_start.get(v.index()),
                ) {
                    *f = *s0;
                }
            }
        }
        let mut ready = vec![false; n];
        let check = |s: &Self,
                     r: u32,
                     t: Nanos,
                     edges: &[u32],
                     weight: &[u64],
                     ready: &mut [bool],
                     heap: &mut BinaryHeap<Reverse<(Nanos, Event)>>| {
            let ri = r as usize;
            if ready.get(ri) != Some(&false)
                || edges.get(ri) != Some(&0)
                || weight.get(ri) != Some(&0)
            {
                return;
            }
            if let Some(x) = ready.get_mut(ri) {
                *x = true;
            }
            let (back, by, entry) = if g.node_at(ri).and_then(|v| g.group_rule(v)).is_some() {
                // The need is reached by the arrival at `t` (events come in order of time).
                let (pt, pu) = s.plain.get(ri).copied().unwrap_or((0, NONE));
                let kt = t;
                let (bt, bu) = if kt > pt { (kt, NONE) } else { (pt, pu) };
                (bt, if bt > 0 { bu } else { NONE }, r)
            } else {
                s.evaluate(r)
            };
            if back != NEVER {
                heap.push(Reverse((back, Event::Settle(r, by, entry))));
            }
        };
        for v in g.nodes() {
            let i = v.index();
            if left(self, i) && self.unit.get(i).copied() == Some(node_u32(v)) {
                check(self, node_u32(v), 0, &edges, &weight, &mut ready, &mut heap);
            }
        }
        let mut settled = vec![false; n];
        while let Some(Reverse((t, e))) = heap.pop() {
            match e {
                Event::Arrive(u, v, c) => {
                    let vr = self.unit.get(v as usize).copied().unwrap_or(NONE);
                    if let Some(w) = weight.get_mut(vr as usize) {
                        let before = *w;
                        *w = w.saturating_sub(u64::from(c));
                        if before > 0 && *w == 0 {
                            // The member completing the need sets the group's time.
                            if let Some(p) = self.via.get_mut(vr as usize) {
                                *p = u;
                            }
                        }
                    }
                    check(self, vr, t, &edges, &weight, &mut ready, &mut heap);
                }
                Event::Settle(r, by, entry) => {
                    if settled.get(r as usize) != Some(&false) {
                        continue;
                    }
                    if let Some(x) = settled.get_mut(r as usize) {
                        *x = true;
                    }
                    let by = match g.node_at(r as usize).and_then(|v| g.group_rule(v)) {
                        Some(_) if by == NONE && t > 0 => {
                            self.via.get(r as usize).copied().unwrap_or(NONE)
                        }
                        _ => by,
                    };
                    let one = [r];
                    let list = self.members.get(&r).map_or(one.to_vec(), Clone::clone);
                    self.stamp(&list, t, by, entry);
                    for &u in &list {
                        let Some(node) = g.node_at(u as usize) else {
                            continue;
                        };
                        for arc in g.arcs_from(node) {
                            let v = node_u32(arc.to);
                            if !left(self, v as usize) {
                                continue;
                            }
                            let Some(vr) = outside(&self.unit, &self.eligible, u, v) else {
                                continue;
                            };
                            if ready.get(vr as usize) != Some(&false) {
                                continue;
                            }
                            if arc.passes {
                                if let Some(e) = edges.get_mut(vr as usize) {
                                    *e = e.saturating_sub(1);
                                }
                                if let Some(p) = self.plain.get_mut(v as usize) {
                                    if p.1 == NONE || t > p.0 {
                                        *p = (t, u);
                                    }
                                }
                            }
                            if let Some(c) = arc.counts {
                                if let Some(w) = weight.get_mut(vr as usize) {
                                    let before = *w;
                                    *w = w.saturating_sub(u64::from(c));
                                    if before > 0 && *w == 0 {
                                        if let Some(p) = self.via.get_mut(vr as usize) {
                                            *p = u;
                                        }
                                    }
                                }
                            }
                            check(self, vr, t, &edges, &weight, &mut ready, &mut heap);
                        }
                    }
                }
            }
        }
    }
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
    // The walk: (node, where its targets start in `targets`); the targets of every open
    // node, on one shared stack (no allocation per node).
    let mut walk: Vec<(u32, usize)> = Vec::new();
    let mut targets: Vec<u32> = Vec::new();
    let push_targets = |u: u32, targets: &mut Vec<u32>| {
        if let Some(node) = g.node_at(u as usize) {
            targets.extend(
                g.arcs_from(node)
                    .filter(|a| (a.passes || !plain) && eligible(a.to.index()))
                    .map(|a| node_u32(a.to)),
            );
        }
    };
    let self_loop = |v: u32| {
        g.node_at(v as usize).is_some_and(|node| {
            g.arcs_from(node)
                .any(|a| a.to == node && (a.passes || !plain))
        })
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
        walk.push((s, targets.len()));
        push_targets(s, &mut targets);
        while let Some(&(v, base)) = walk.last() {
            if targets.len() > base {
                let w = targets.pop().unwrap_or(NONE);
                let wi = w as usize;
                if index.get(wi) == Some(&NONE) {
                    open(w, &mut index, &mut low, &mut next);
                    stack.push(w);
                    if let Some(o) = on_stack.get_mut(wi) {
                        *o = true;
                    }
                    walk.push((w, targets.len()));
                    push_targets(w, &mut targets);
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
                if comp.len() > 1 || self_loop(v) {
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
