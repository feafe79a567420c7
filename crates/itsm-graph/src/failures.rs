//! What takes one node down: the walk upstream of a node (nearest first), outage closures
//! confined to what lies upstream of a target, single points of failure, and the bounded
//! search for the smallest failure set.
//!
//! Only the outage level matters here. A node that is not a group is at outage when any of
//! its inputs is; a group is at outage when an edge into it brings an outage, or when `need`
//! of its members are (or one member is, when the scale's holding level is the outage level
//! itself). So the set of nodes a failure set takes to outage is a closure, and an arc is
//! either *passing* (an outage at its source brings its target to outage: into a node that
//! is not a group, an edge into a group, a membership of a group that one failed member
//! takes down) or *counting* (a membership of a group that needs two or more failed
//! members). Nodes that do not lie upstream of the target cannot bring it down, so every
//! closure stays inside that region.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::answers::Resilience;
use crate::builder::ARC_EDGE;
use crate::graph::Graph;
use crate::rows::{NONE, bit, set_bit};

/// The nodes upstream of some starts (whose failure can reach one of them), nearest first:
/// breadth first along the reverse rows, each node's sources taken in [`NodeId`] order (as
/// [`Graph::affected_by`] lists them), the starts left out. Lazy: a caller that needs the
/// nearest few pays for those. Compiled indices.
///
/// [`NodeId`]: crate::NodeId
pub(crate) struct Upstream<'g> {
    graph: &'g Graph,
    seen: Vec<u64>,
    /// The starts, then every node found, in the order found.
    queue: Vec<u32>,
    /// The next node whose sources are to be listed.
    head: usize,
    /// The next node to hand out.
    at: usize,
    /// One row's sources: (`NodeId`, compiled index).
    row: Vec<(u32, u32)>,
}

impl<'g> Upstream<'g> {
    /// The walk from `starts` (compiled indices; a repeat counts once).
    pub(crate) fn new(graph: &'g Graph, starts: &[u32]) -> Self {
        let n = graph.node_count();
        let mut seen = vec![0u64; n.div_ceil(64)];
        let mut queue = Vec::with_capacity(starts.len());
        for &s in starts {
            if (s as usize) < n && !bit(&seen, s as usize) {
                set_bit(&mut seen, s as usize);
                queue.push(s);
            }
        }
        let at = queue.len();
        Upstream {
            graph,
            seen,
            queue,
            head: 0,
            at,
            row: Vec::new(),
        }
    }

    fn expand(&mut self, u: u32) {
        let g = self.graph;
        self.row.clear();
        self.row
            .extend(g.reverse.row(u).iter().map(|&v| (g.outer_of(v).0, v)));
        self.row.sort_unstable();
        for &(_, v) in &self.row {
            if !bit(&self.seen, v as usize) {
                set_bit(&mut self.seen, v as usize);
                self.queue.push(v);
            }
        }
    }
}

impl Iterator for Upstream<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.at >= self.queue.len() {
            let u = *self.queue.get(self.head)?;
            self.head += 1;
            self.expand(u);
        }
        let v = self.queue.get(self.at).copied();
        self.at += 1;
        v
    }
}

/// Where a closure's propagation stands after a node is taken down.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Go on.
    Go,
    /// Stop: the answer is known (the target, or a node known to take it down, is down).
    Stop,
}

/// A closure's state before some step, to return to.
#[derive(Clone, Copy)]
struct Mark {
    dead: usize,
    counted: usize,
    reached: usize,
    clustered: usize,
}

/// Outage closures confined to a region (the nodes upstream of a target, and the target):
/// which nodes a set of failed nodes takes to outage, grown one failed node at a time and
/// undone step by step, so that a search shares the closure of what its sets have in common.
struct Closure<'g> {
    graph: &'g Graph,
    /// The region.
    scope: Vec<u64>,
    dead: Vec<u64>,
    /// For a group: members counted down so far (counting arcs only).
    count: Vec<u32>,
    /// The nodes taken down, in order (what an undo clears).
    dead_list: Vec<u32>,
    /// The groups counted, with what each count added (what an undo takes back).
    counted: Vec<(u32, u32)>,
    queue: Vec<u32>,
    /// Whether one member at outage brings a group to outage whatever it needs (the
    /// holding level is the outage level).
    holding_is_outage: bool,
    /// Per group, members lost to a maintenance window
    /// ([`MaintenanceRule::LostCapacity`](crate::MaintenanceRule::LostCapacity)): they count
    /// as failed already. Empty: none.
    lost: Vec<u32>,
    /// The scale's cluster rule (`clusters_down`): a node that is not a group goes down
    /// when this many groups it has an arc from are affected (at any level); 0: no such
    /// rule, and the four lists below stay empty.
    clusters_need: u32,
    /// Whether what is only affected is tracked (the lists below): with the cluster rule,
    /// or when the maintenance alone exhausts a group (it then fails as soon as a member is
    /// affected at any level, as impact has it).
    track: bool,
    /// Nodes affected at some level (every arc passes some severity on, so: reached).
    reached: Vec<u64>,
    /// The nodes reached, in order (what an undo clears).
    reached_list: Vec<u32>,
    /// For a node that is not a group: the affected groups it has an arc from.
    clusters: Vec<u32>,
    /// The nodes whose cluster count was raised, once per count (what an undo takes back).
    clustered: Vec<u32>,
    /// Nodes reached whose arcs are still to be followed.
    reach_queue: Vec<u32>,
}

impl<'g> Closure<'g> {
    fn new(graph: &'g Graph, scope: Vec<u64>, lost: Vec<u32>) -> Self {
        let n = graph.node_count();
        let exhausted = lost
            .iter()
            .zip(&graph.need)
            .any(|(l, need)| *l > 0 && l >= need);
        let track = graph.severity.clusters_down.is_some() || exhausted;
        Closure {
            graph,
            scope,
            dead: vec![0u64; n.div_ceil(64)],
            count: vec![0u32; n],
            dead_list: Vec::new(),
            counted: Vec::new(),
            queue: Vec::new(),
            // A member at outage gives a holding group the holding level, lowered first
            // by `redundancy_lowers`: the outage only when nothing lowers it.
            holding_is_outage: graph.severity.group_holding >= graph.outage
                && graph.severity.redundancy_lowers == 0,
            lost,
            clusters_need: graph.severity.clusters_down.map_or(0, |c| c.get()),
            track,
            reached: if track {
                vec![0u64; n.div_ceil(64)]
            } else {
                Vec::new()
            },
            reached_list: Vec::new(),
            clusters: if graph.severity.clusters_down.is_some() {
                vec![0u32; n]
            } else {
                Vec::new()
            },
            clustered: Vec::new(),
            reach_queue: Vec::new(),
        }
    }

    /// The failed members that take the group `vi` down, less those lost to maintenance
    /// (at least one: a group is taken down by a failure, never by the maintenance alone).
    #[inline]
    fn need_of(&self, vi: usize) -> u32 {
        let need = self.graph.need.get(vi).copied().unwrap_or(1);
        need.saturating_sub(self.lost.get(vi).copied().unwrap_or(0))
            .max(1)
    }

    #[inline]
    fn in_scope(&self, v: u32) -> bool {
        bit(&self.scope, v as usize)
    }

    #[inline]
    fn is_dead(&self, v: u32) -> bool {
        bit(&self.dead, v as usize)
    }

    /// Whether the graph has a counting arc (a membership of a group that needs two or more
    /// failed members, on a scale whose holding level is below the outage): a scan of the
    /// groups, without them every arc passes.
    fn any_counting(&self) -> bool {
        if self.holding_is_outage {
            return false;
        }
        let g = self.graph;
        g.groups.iter().enumerate().any(|(w, &word)| {
            let mut bits = word;
            while bits != 0 {
                let v = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let weighted = u32::try_from(v).is_ok_and(|v| g.is_weighted(v));
                if self.need_of(v) > 1 || weighted {
                    return true;
                }
            }
            false
        })
    }

    /// Whether an outage at `u` brings `v` to outage alone, `w` being the arc's bits.
    #[inline]
    fn passes(&self, u: u32, v: u32, w: u8) -> bool {
        let g = self.graph;
        let vi = v as usize;
        !bit(&g.groups, vi)
            || w & ARC_EDGE != 0
            || self.holding_is_outage
            || self.need_of(vi) <= g.weight(u, v)
    }

    /// Whether the arc `u -> v` passes an outage on alone (looked up in `u`'s row).
    fn arc_passes(&self, u: u32, v: u32) -> bool {
        let g = self.graph;
        if !bit(&g.groups, v as usize) {
            return true;
        }
        let (lo, hi) = g.forward.range(u);
        let row = g.forward.cols.get(lo..hi).unwrap_or(&[]);
        match row.binary_search(&v) {
            Ok(k) => self.passes(u, v, g.bits.get(lo + k).copied().unwrap_or(0)),
            Err(_) => false,
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            dead: self.dead_list.len(),
            counted: self.counted.len(),
            reached: self.reached_list.len(),
            clustered: self.clustered.len(),
        }
    }

    /// Back to the state of `mark`.
    fn undo(&mut self, mark: Mark) {
        while self.dead_list.len() > mark.dead {
            let Some(v) = self.dead_list.pop() else { break };
            if let Some(w) = self.dead.get_mut(v as usize / 64) {
                *w &= !(1u64 << (v % 64));
            }
        }
        while self.counted.len() > mark.counted {
            let Some((g, weight)) = self.counted.pop() else {
                break;
            };
            if let Some(c) = self.count.get_mut(g as usize) {
                *c = c.saturating_sub(weight);
            }
        }
        while self.reached_list.len() > mark.reached {
            let Some(v) = self.reached_list.pop() else {
                break;
            };
            if let Some(w) = self.reached.get_mut(v as usize / 64) {
                *w &= !(1u64 << (v % 64));
            }
        }
        while self.clustered.len() > mark.clustered {
            let Some(v) = self.clustered.pop() else { break };
            if let Some(c) = self.clusters.get_mut(v as usize) {
                *c = c.saturating_sub(1);
            }
        }
    }

    /// Whether the maintenance alone has taken the group `vi`'s redundancy (its lost
    /// members reach what takes it down).
    #[inline]
    fn exhausted(&self, vi: usize) -> bool {
        let lost = self.lost.get(vi).copied().unwrap_or(0);
        lost > 0 && lost >= self.graph.need.get(vi).copied().unwrap_or(1)
    }

    /// Marks `v` affected, to follow its arcs (when [`Closure::track`] says so).
    #[inline]
    fn reach(&mut self, v: u32) {
        if self.track && !bit(&self.reached, v as usize) {
            set_bit(&mut self.reached, v as usize);
            self.reached_list.push(v);
            self.reach_queue.push(v);
        }
    }

    /// Takes `v` down (it is in the region and not down yet).
    #[inline]
    fn take_down(&mut self, v: u32) {
        set_bit(&mut self.dead, v as usize);
        self.dead_list.push(v);
        self.queue.push(v);
        self.reach(v);
    }

    /// Adds the failure of `seed` and propagates it, calling `down` for each node taken
    /// down (the seed first); stops as soon as `down` says [`Step::Stop`], and then says so.
    /// The queue is left behind when it stops: the caller undoes the step.
    fn fail(&mut self, seed: u32, mut down: impl FnMut(u32) -> Step) -> Step {
        self.queue.clear();
        self.reach_queue.clear();
        if !self.in_scope(seed) || self.is_dead(seed) {
            return Step::Go;
        }
        self.take_down(seed);
        if down(seed) == Step::Stop {
            return Step::Stop;
        }
        let g = self.graph;
        let (mut head, mut reach_head) = (0, 0);
        loop {
            let Some(&u) = self.queue.get(head) else {
                // Outages first; then what is only affected (with the cluster rule): a
                // group affected counts for each node that is not a group it has an arc
                // to, which goes down when it counts enough.
                let Some(&u) = self.reach_queue.get(reach_head) else {
                    break;
                };
                reach_head += 1;
                let group = bit(&g.groups, u as usize);
                let (lo, hi) = g.forward.range(u);
                for k in lo..hi {
                    let (Some(&v), Some(&w)) = (g.forward.cols.get(k), g.bits.get(k)) else {
                        break;
                    };
                    if !self.in_scope(v) {
                        continue;
                    }
                    self.reach(v);
                    if self.is_dead(v) {
                        continue;
                    }
                    if bit(&g.groups, v as usize) {
                        // A group the maintenance exhausted fails when a member is affected.
                        if w & crate::builder::ARC_MEMBER != 0 && self.exhausted(v as usize) {
                            self.take_down(v);
                            if down(v) == Step::Stop {
                                return Step::Stop;
                            }
                        }
                        continue;
                    }
                    if !group || self.clusters_need == 0 {
                        continue;
                    }
                    let Some(c) = self.clusters.get_mut(v as usize) else {
                        continue;
                    };
                    *c += 1;
                    let reached = *c >= self.clusters_need;
                    self.clustered.push(v);
                    if reached {
                        self.take_down(v);
                        if down(v) == Step::Stop {
                            return Step::Stop;
                        }
                    }
                }
                continue;
            };
            head += 1;
            let (lo, hi) = g.forward.range(u);
            let targets = g.forward.cols.get(lo..hi).unwrap_or(&[]);
            let arc_bits = g.bits.get(lo..hi).unwrap_or(&[]);
            for (&v, &w) in targets.iter().zip(arc_bits) {
                if !self.in_scope(v) || self.is_dead(v) {
                    continue;
                }
                if !self.passes(u, v, w) {
                    let vi = v as usize;
                    let need = self.need_of(vi);
                    let weight = g.weight(u, v);
                    let Some(c) = self.count.get_mut(vi) else {
                        continue;
                    };
                    *c += weight;
                    let reached = *c >= need;
                    self.counted.push((v, weight));
                    if !reached {
                        continue;
                    }
                }
                self.take_down(v);
                if down(v) == Step::Stop {
                    return Step::Stop;
                }
            }
        }
        Step::Go
    }

    /// The region's nodes that `u` has an arc to: none, exactly one through a passing arc
    /// (`Some(v)`: then `u`'s failure does what `v`'s does, and takes `u` down besides), or
    /// anything else (`None`).
    fn single_passing_arc(&self, u: u32) -> Option<u32> {
        let g = self.graph;
        let (lo, hi) = g.forward.range(u);
        let targets = g.forward.cols.get(lo..hi).unwrap_or(&[]);
        let arc_bits = g.bits.get(lo..hi).unwrap_or(&[]);
        let mut only = None;
        for (&v, &w) in targets.iter().zip(arc_bits) {
            if v == u || !self.in_scope(v) {
                continue;
            }
            if only.is_some() || !self.passes(u, v, w) {
                return None;
            }
            only = Some(v);
        }
        only
    }
}

/// What is known of a node: whether its failure alone takes the target down.
const UNKNOWN: u8 = 0;
const DOWN: u8 = 1;
const SURVIVES: u8 = 2;

/// The part of the graph upstream of one target, and what each of its nodes' failure alone
/// does to the target.
pub(crate) struct Failures<'g> {
    graph: &'g Graph,
    target: u32,
    /// The region's nodes but the target, breadth first from it (not in `NodeId` order).
    region: Vec<u32>,
    closure: Closure<'g>,
    /// Per node: [`UNKNOWN`], [`DOWN`] (its failure alone takes the target down) or
    /// [`SURVIVES`].
    state: Vec<u8>,
}

impl<'g> Failures<'g> {
    /// Finds what lies upstream of `target` and settles, for every node there, whether its
    /// failure alone takes the target down.
    ///
    /// First every node with a path of passing arcs to the target is a single point of
    /// failure (one walk upstream along them). Each other node is then settled nearest
    /// first: a node whose only arc in the region passes to a settled node shares its
    /// answer; otherwise its closure is grown until it takes down a node known to take the
    /// target down (yes), or to its end (no: and then no node it took down takes the
    /// target down either, since their closures lie inside it).
    pub(crate) fn new(graph: &'g Graph, target: u32) -> Self {
        Failures::with_maintenance(graph, target, None, Vec::new())
    }

    /// [`Failures::new`] with the nodes of `masked` (a bitmap of compiled indices) left out
    /// of the region (they neither fail nor pass failure on), and `lost[g]` members of each
    /// group `g` counted as failed already (empty: none).
    pub(crate) fn with_maintenance(
        graph: &'g Graph,
        target: u32,
        masked: Option<&[u64]>,
        lost: Vec<u32>,
    ) -> Self {
        let n = graph.node_count();
        let is_masked = |v: u32| masked.is_some_and(|m| bit(m, v as usize));
        let mut scope = vec![0u64; n.div_ceil(64)];
        let mut region = Vec::new();
        if (target as usize) < n {
            set_bit(&mut scope, target as usize);
            let mut take = |u: u32| {
                let new = !bit(&scope, u as usize) && !is_masked(u);
                if new {
                    set_bit(&mut scope, u as usize);
                }
                new
            };
            region.extend(
                graph
                    .reverse
                    .row(target)
                    .iter()
                    .copied()
                    .filter(|&u| take(u)),
            );
            std::hint::black_box(graph.reverse.extend_breadth_first(&mut region, 0, take));
        }
        let mut state = vec![UNKNOWN; n];
        let closure = Closure::new(graph, scope, lost);
        if !closure.any_counting() {
            // Every arc passes an outage on: every node upstream takes the target down.
            for &v in region.iter().chain([target].iter()) {
                if let Some(s) = state.get_mut(v as usize) {
                    *s = DOWN;
                }
            }
            return Failures {
                graph,
                target,
                region,
                closure,
                state,
            };
        }
        // The target, and every node with a path of passing arcs to it.
        if let Some(s) = state.get_mut(target as usize) {
            *s = DOWN;
            let mut stack = vec![target];
            while let Some(v) = stack.pop() {
                for &u in graph.reverse.row(v) {
                    if state.get(u as usize) == Some(&UNKNOWN)
                        && closure.in_scope(u)
                        && closure.arc_passes(u, v)
                    {
                        if let Some(s) = state.get_mut(u as usize) {
                            *s = DOWN;
                        }
                        stack.push(u);
                    }
                }
            }
        }
        let mut f = Failures {
            graph,
            target,
            region,
            closure,
            state,
        };
        f.settle();
        f
    }

    fn state_of(&self, v: u32) -> u8 {
        self.state.get(v as usize).copied().unwrap_or(UNKNOWN)
    }

    fn set_state(&mut self, v: u32, s: u8) {
        if let Some(x) = self.state.get_mut(v as usize) {
            *x = s;
        }
    }

    /// Settles every node of the region that is not a group (groups are settled when a
    /// closure passes them, or not at all: they are never candidates).
    fn settle(&mut self) {
        let g = self.graph;
        for k in 0..self.region.len() {
            let Some(&c) = self.region.get(k) else { break };
            if bit(&g.groups, c as usize) || self.state_of(c) != UNKNOWN {
                continue;
            }
            if let Some(d) = self.closure.single_passing_arc(c) {
                let s = self.state_of(d);
                if s != UNKNOWN {
                    self.set_state(c, s);
                    continue;
                }
            }
            let mark = self.closure.mark();
            let state = &self.state;
            let step = self.closure.fail(c, |v| {
                if state.get(v as usize) == Some(&DOWN) {
                    Step::Stop
                } else {
                    Step::Go
                }
            });
            if step == Step::Stop {
                self.set_state(c, DOWN);
            } else {
                // Nothing this closure took down takes the target down alone.
                let from = mark.dead;
                for i in from..self.closure.dead_list.len() {
                    if let Some(&v) = self.closure.dead_list.get(i) {
                        self.set_state(v, SURVIVES);
                    }
                }
            }
            self.closure.undo(mark);
        }
    }

    /// The nodes that are not groups whose failure alone takes the target down, target
    /// excluded (compiled indices, in no particular order).
    pub(crate) fn single_points(&self) -> impl Iterator<Item = u32> + '_ {
        let g = self.graph;
        self.region
            .iter()
            .copied()
            .filter(move |&v| self.state_of(v) == DOWN && !bit(&g.groups, v as usize))
    }

    /// Whether the failure of `v` alone takes the target down.
    fn takes_down(&self, v: u32) -> bool {
        self.state_of(v) == DOWN
    }

    /// The search of [`Graph::resilience`](crate::Graph::resilience) over `pool` (the
    /// region's nodes that are not groups, nearest first in `NodeId` order): sets by size,
    /// each size in lexicographic order of the pool, one unit of `budget` each. Sets of one
    /// come from [`Failures::single_points`]; a larger set is answered by growing the
    /// closure of its first members (kept while only its last member changes) with the
    /// last. A member whose only arc in the region passes to another node fails exactly as
    /// that node does, so each set is taken as the set of such representatives, and a set of
    /// representatives already answered is not grown again.
    ///
    /// The pool is read lazily, as sets of one are tried: a single point of failure near the
    /// target is found without listing the rest of the region.
    pub(crate) fn smallest_set(
        &mut self,
        pool: impl Iterator<Item = u32>,
        max_size: usize,
        budget: usize,
    ) -> Resilience {
        let mut spent = 0usize;
        let mut listed: Vec<u32> = Vec::new();
        let mut pool = pool;
        if max_size >= 1 {
            for c in pool.by_ref() {
                if spent >= budget {
                    return Resilience::AtLeast { checked: 0 };
                }
                spent += 1;
                if self.takes_down(c) {
                    return self.found(&[c]);
                }
                listed.push(c);
            }
        }
        listed.extend(pool);
        let pool = listed.as_slice();
        let p = pool.len();
        let mut reps = vec![NONE; self.graph.node_count()];
        let mut answered: HashMap<Vec<u32>, bool, BuildHasherDefault<std::hash::DefaultHasher>> =
            HashMap::default();
        for size in 2..=max_size.min(p) {
            let mut idx: Vec<usize> = (0..size).collect();
            // The members applied to the closure (their pool positions), with the closure's
            // state before each.
            let mut applied: Vec<(usize, Mark)> = Vec::with_capacity(size);
            let bottom = self.closure.mark();
            let mut key: Vec<u32> = Vec::with_capacity(size);
            loop {
                if spent >= budget {
                    self.closure.undo(bottom);
                    return Resilience::AtLeast { checked: size - 1 };
                }
                spent += 1;
                // The first `size - 1` members, applied: keep the common prefix.
                let keep = applied
                    .iter()
                    .zip(&idx)
                    .take_while(|((i, _), j)| i == *j)
                    .count()
                    .min(size - 1);
                if let Some(&(_, mark)) = applied.get(keep) {
                    self.closure.undo(mark);
                    applied.truncate(keep);
                }
                for &i in idx.iter().take(size - 1).skip(keep) {
                    let mark = self.closure.mark();
                    let r = self.representative(pool.get(i).copied().unwrap_or(NONE), &mut reps);
                    // invariant: every smaller set was searched and none takes the target
                    // down, so a prefix never does.
                    self.closure.fail(r, |_| Step::Go);
                    applied.push((i, mark));
                }
                let last = idx
                    .last()
                    .and_then(|i| pool.get(*i))
                    .copied()
                    .unwrap_or(NONE);
                let r = self.representative(last, &mut reps);
                let down = if self.closure.is_dead(r) {
                    // Its representative is down already: the closure does not change.
                    false
                } else {
                    key.clear();
                    for &i in &idx {
                        let c = pool.get(i).copied().unwrap_or(NONE);
                        key.push(self.representative(c, &mut reps));
                    }
                    key.sort_unstable();
                    key.dedup();
                    if let Some(&known) = answered.get(&key) {
                        known
                    } else {
                        let mark = self.closure.mark();
                        let target = self.target;
                        let step = self
                            .closure
                            .fail(r, |v| if v == target { Step::Stop } else { Step::Go });
                        self.closure.undo(mark);
                        let down = step == Step::Stop;
                        answered.insert(key.clone(), down);
                        down
                    }
                };
                if down {
                    self.closure.undo(bottom);
                    let set: Vec<u32> = idx.iter().filter_map(|i| pool.get(*i).copied()).collect();
                    return self.found(&set);
                }
                if !next_combination(&mut idx, p) {
                    break;
                }
            }
            self.closure.undo(bottom);
        }
        if max_size >= p {
            Resilience::Unbreakable
        } else {
            Resilience::AtLeast { checked: max_size }
        }
    }

    /// The answer for the set `set` (compiled indices): its size and its ids, sorted.
    fn found(&self, set: &[u32]) -> Resilience {
        let mut example: Vec<String> = set
            .iter()
            .map(|v| self.graph.id(self.graph.outer_of(*v)).to_owned())
            .collect();
        example.sort();
        Resilience::MinimumSet {
            size: set.len(),
            example,
        }
    }

    /// The node whose failure does what `c`'s does, apart from the nodes on the way: the
    /// end of the path from `c` along nodes whose only arc in the region passes on (the
    /// target, a node with any other arcs, or a node of a cycle of such nodes). Memoized in
    /// `reps`, the path compressed, so a chain is walked once.
    fn representative(&self, c: u32, reps: &mut [u32]) -> u32 {
        let mut path = Vec::new();
        let mut at = c;
        let end = loop {
            match reps.get(at as usize).copied() {
                None => break at,
                Some(NONE) => {}
                // Met again on this path: a cycle of such nodes.
                Some(ON_PATH) => break at,
                Some(r) => break r,
            }
            if at == self.target {
                break at;
            }
            match self.closure.single_passing_arc(at) {
                Some(next) => {
                    if let Some(r) = reps.get_mut(at as usize) {
                        *r = ON_PATH;
                    }
                    path.push(at);
                    at = next;
                }
                None => break at,
            }
        };
        for v in path.into_iter().chain([at]) {
            if let Some(r) = reps.get_mut(v as usize) {
                if *r == NONE || *r == ON_PATH {
                    *r = end;
                }
            }
        }
        end
    }
}

/// A node on the path being followed by [`Failures::representative`].
const ON_PATH: u32 = NONE - 1;

/// Advances `idx` (a strictly increasing selection from `0..n`) to the next combination in
/// lexicographic order; `false` after the last.
pub(crate) fn next_combination(idx: &mut [usize], n: usize) -> bool {
    let k = idx.len();
    for i in (0..k).rev() {
        let limit = n + i - k;
        let Some(v) = idx.get(i).copied() else {
            return false;
        };
        if v < limit {
            for (next, slot) in (v + 1..).zip(idx.iter_mut().skip(i)) {
                *slot = next;
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn combinations_are_enumerated_once_each() {
        let mut idx = vec![0, 1];
        let mut seen = vec![idx.clone()];
        while super::next_combination(&mut idx, 4) {
            seen.push(idx.clone());
        }
        assert_eq!(
            seen,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
    }
}
