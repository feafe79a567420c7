//! The impact workspace: the per-query state (marks, records, bitmaps, queue), the
//! fixpoint that pushes failure along the rows level by level (top-down, or bottom-up for
//! large levels), and [`ImpactView`], the borrowed answer.

use crate::answers::MaintenanceRule;
use crate::builder::ARC_EDGE;
use crate::builder::ARC_MEMBER;
use crate::error::{Error, NamedIn};
use crate::graph::{Graph, NodeId};
use crate::rows::{NONE, bit};

mod state;
mod view;

pub(crate) use state::Bits;
use state::{Flag, Mark, ST_COUNTED, ST_MASKED, ST_QUEUED, ST_SEVERITY, ST_TOUCHED, UNMARKED};
pub use view::ImpactView;

impl Graph {
    /// A reusable workspace for impact queries on this graph (no allocation per query).
    pub fn workspace(&self) -> Workspace<'_> {
        let n = self.node_count();
        Workspace {
            graph: self,
            marks: vec![UNMARKED; n],
            preds: vec![NO_PRED; n + 1],
            levels: if self.outage > 2 {
                vec![0; n + 1]
            } else {
                Vec::new()
            },
            n,
            down: vec![0; n],
            clusters: if self.severity.clusters_down.is_some() {
                vec![0; n]
            } else {
                Vec::new()
            },
            bits: self.blank.clone(),
            done_count: 0,
            partial: 0,
            affected: 0,
            touched: vec![NONE; n + 1],
            touched_len: 0,
            touched_groups: Vec::new(),
            queue: Vec::new(),
            queue_len: 0,
            bottom_up: true,
            fill_above: n.div_ceil(64),
            ahead: 0,
        }
    }
}

/// A node that is not a group records its predecessor in the low 31 bits of a `u32` (see
/// [`Workspace`]'s `preds`); these bits all set mean none.
const NO_PRED: u32 = (1 << 31) - 1;
/// Set in the record of a node that is not a group but has an arc into one once it has been
/// pushed down at the outage level (see [`Workspace::dequeue`]).
const PUSHED_OUT: u32 = 1 << 31;
/// Nodes a graph may have: every index stays below [`NO_PRED`].
pub(crate) const MAX_NODES: usize = NO_PRED as usize;

/// Graphs smaller than this are always traversed top-down (a bottom-up step scans every
/// node).
const BOTTOM_UP_MIN_NODES: usize = 1 << 14;
/// Frontier nodes whose rows are loaded together before they are pushed down.
pub(crate) const BATCH: usize = 32;
/// Frontier nodes whose rows are read to estimate a level's arcs.
const FRONTIER_SAMPLE: usize = 512;
/// A step goes bottom-up when the frontier's arcs are more than the arcs left to check
/// bottom-up divided by this (Beamer, Asanović and Patterson's direction-optimizing BFS).
const BOTTOM_UP_ALPHA: u64 = 14;

/// The severity of a node that is not a group and is affected below the outage level, from
/// a workspace's `levels`: empty on a scale of two levels, where it is 1.
#[inline]
fn partial_level(levels: &[u8], v: usize) -> u8 {
    // Tested first, without indexing: on the usual scale of two levels this is all a
    // level-1 dequeue reads, and it costs no bounds check.
    if levels.is_empty() {
        1
    } else {
        levels.get(v).copied().unwrap_or(1)
    }
}

/// Writes `v` at `list[*len]` and moves the end past it (a list in a buffer kept long
/// enough; nothing is written past the buffer).
#[inline]
fn append(list: &mut [u32], len: &mut usize, v: u32) {
    if let Some(slot) = list.get_mut(*len) {
        *slot = v;
        *len += 1;
    }
}

/// Scratch space for impact queries: dense arrays of which a reset clears only the bitmaps
/// and the groups touched, so a thousand small queries on a million-node graph cost what
/// they touch.
#[derive(Debug, Clone)]
pub struct Workspace<'g> {
    graph: &'g Graph,
    /// One mark per node, read and written for groups only.
    marks: Vec<Mark>,
    /// For a node that is not a group, raised in this query: the node that raised it to its
    /// severity, and [`PUSHED_OUT`]. 4 bytes rather than a whole mark, so that the records
    /// a query writes share cache lines more often (twice as many records a line). A spare
    /// record at index `n` takes what a top-down step writes, rather than branch, when the
    /// target of an arc is not to be written (never read).
    preds: Vec<u32>,
    /// On a scale of more than two levels, for a node that is not a group and is affected
    /// below the outage level: its severity (spare at index `n`). Empty otherwise: such a
    /// node is then at level 1 (see [`partial_level`]).
    levels: Vec<u8>,
    /// The graph's node count.
    n: usize,
    /// For a group: members failed (at outage) so far (and, under
    /// [`MaintenanceRule::LostCapacity`], members in maintenance).
    down: Vec<u32>,
    /// With the scale's `clusters_down` rule, for a node that is not a group: the affected
    /// groups it has an arc from (empty without the rule).
    clusters: Vec<u32>,
    /// Three bits per node, 64 nodes a record (see [`Bits`]).
    bits: Vec<Bits>,
    done_count: usize,
    /// Nodes that are not groups and are affected below the outage level.
    partial: usize,
    /// Nodes affected (severity at least 1).
    affected: usize,
    /// Nodes touched in this query, in order: `touched[..touched_len]`. Its `n + 1` slots
    /// hold every node once and one more written past the end (see `push_down`).
    touched: Vec<u32>,
    touched_len: usize,
    /// The groups among `touched`: the only marks a reset clears.
    touched_groups: Vec<u32>,
    /// The FIFO queue, level after level: `queue[..queue_len]`, in a buffer kept long
    /// enough for a row's worth of entries past its end (see [`Workspace::room`]).
    queue: Vec<u32>,
    queue_len: usize,
    /// Whether large frontiers may be expanded bottom-up.
    bottom_up: bool,
    /// A reset after a query that touched more nodes than this copies the bitmaps whole.
    fill_above: usize,
    /// What [`Workspace::push_level`] loaded ahead (folded, never read for a result).
    ahead: u32,
}

impl<'g> Workspace<'g> {
    /// Clears the last query. The bitmaps are reset, and so are the marks and counts of the
    /// groups touched; the record (and level) of a node that is not a group is left as the
    /// last query wrote it, and read only while the node is affected (its hit bit is set):
    /// a record is written whole when its node is first raised, so a query need not clear
    /// what the one before it reached.
    fn reset(&mut self) {
        let touched = self.touched.get(..self.touched_len).unwrap_or(&[]);
        if touched.len() > self.fill_above {
            // More nodes than bitmap records: one sequential copy beats scattered writes.
            self.bits.clone_from_slice(&self.graph.blank);
        } else {
            for &t in touched {
                let i = t as usize;
                if let (Some(b), Some(blank)) =
                    (self.bits.get_mut(i / 64), self.graph.blank.get(i / 64))
                {
                    *b = *blank;
                }
            }
        }
        if !self.clusters.is_empty() {
            for &t in touched {
                if let Some(c) = self.clusters.get_mut(t as usize) {
                    *c = 0;
                }
            }
        }
        for &t in &self.touched_groups {
            let i = t as usize;
            if let Some(m) = self.marks.get_mut(i) {
                *m = UNMARKED;
            }
            if let Some(d) = self.down.get_mut(i) {
                *d = 0;
            }
        }
        self.done_count = 0;
        self.partial = 0;
        self.affected = 0;
        self.touched_len = 0;
        self.touched_groups.clear();
        self.queue_len = 0;
    }

    /// The severity of `v` in this query (0: unaffected, or not in the graph).
    fn severity_of(&self, v: usize) -> u8 {
        if bit(&self.graph.groups, v) {
            self.marks.get(v).map_or(0, |m| m.severity())
        } else {
            self.plain_severity(v)
        }
    }

    /// The severity of `v`, a node that is not a group: from its bits, and on a scale of
    /// more than two levels from its level when it is affected below the outage level.
    #[inline]
    fn plain_severity(&self, v: usize) -> u8 {
        let Some(b) = self.bits.get(v / 64) else {
            return 0;
        };
        let m = 1u64 << (v % 64);
        if b.hit & m == 0 {
            0
        } else if b.done & m != 0 {
            self.graph.outage
        } else {
            partial_level(&self.levels, v)
        }
    }

    /// The node that raised `v` to its severity (`v` itself for a seed), if `v` is affected.
    fn pred_of(&self, v: usize) -> Option<u32> {
        if bit(&self.graph.groups, v) {
            self.marks.get(v).map(|m| m.pred()).filter(|p| *p != NONE)
        } else if self.is_hit(v) {
            self.preds
                .get(v)
                .map(|r| r & NO_PRED)
                .filter(|p| *p != NO_PRED)
        } else {
            None
        }
    }

    #[inline]
    fn is_done(&self, v: usize) -> bool {
        self.bits
            .get(v / 64)
            .is_some_and(|b| b.done & (1u64 << (v % 64)) != 0)
    }

    #[inline]
    fn is_hit(&self, v: usize) -> bool {
        self.bits
            .get(v / 64)
            .is_some_and(|b| b.hit & (1u64 << (v % 64)) != 0)
    }

    /// Out of range counts as blocked: nothing is pushed there.
    #[inline]
    fn is_blocked(&self, v: usize) -> bool {
        self.bits
            .get(v / 64)
            .is_none_or(|b| b.blocked & (1u64 << (v % 64)) != 0)
    }

    /// Lists `v`, touched for the first time in this query (a group on its own list too,
    /// for the reset).
    #[inline]
    fn touch(&mut self, v: u32, group: bool) {
        append(&mut self.touched, &mut self.touched_len, v);
        if group {
            self.touched_groups.push(v);
        }
    }

    #[inline]
    fn set_flag(&mut self, v: usize, f: Flag) {
        if let Some(b) = self.bits.get_mut(v / 64) {
            *f.word_mut(b) |= 1u64 << (v % 64);
        }
    }

    /// Raises the group `v` to `new` (if that is higher), with `u` as the reason, queueing
    /// it.
    fn raise_group(&mut self, v: u32, new: u8, u: u32) {
        let vi = v as usize;
        let Some(cur) = self.marks.get_mut(vi).and_then(|m| m.lift(new, u)) else {
            return;
        };
        if cur & ST_SEVERITY == 0 {
            self.affected += 1;
        }
        if cur & ST_TOUCHED == 0 {
            self.touch(v, true);
        }
        if cur & ST_QUEUED == 0 && !bit(&self.graph.leaves, vi) {
            self.enqueue(v);
        }
    }

    /// Raises `v`, a node that is neither a group nor masked, from `was` (its severity, as
    /// the caller read it) to `new` (if that is higher), with `u` as the reason, queueing it
    /// (again, if it is still queued: see [`Workspace::dequeue`]). Its record is written
    /// whole, never read: below the outage level until now, it has not been pushed down at
    /// it. Always inlined: a bottom-up step calls it for most nodes of a full traversal, and
    /// the call's cost then shows.
    #[inline(always)]
    fn raise_plain(&mut self, v: u32, was: u8, new: u8, u: u32, outage: u8) {
        let vi = v as usize;
        if new <= was {
            return;
        }
        let Some(record) = self.preds.get_mut(vi) else {
            return;
        };
        *record = u;
        if new < outage {
            if let Some(l) = self.levels.get_mut(vi) {
                *l = new;
            }
        }
        if was == 0 {
            self.affected += 1;
            self.touch(v, false);
        }
        if !bit(&self.graph.leaves, vi) {
            self.enqueue(v);
        }
        self.count_raise(vi, was, new, outage);
    }

    /// The bitmaps and counters of a node that is not a group, raised from `was` to `new`.
    #[inline]
    fn count_raise(&mut self, vi: usize, was: u8, new: u8, outage: u8) {
        if was == 0 {
            self.set_flag(vi, Flag::Hit);
            self.partial += 1;
        }
        if new == outage {
            self.set_flag(vi, Flag::Done);
            self.done_count += 1;
            self.partial = self.partial.saturating_sub(1);
        }
    }

    /// Queues `v`.
    #[inline]
    fn enqueue(&mut self, v: u32) {
        self.room(1);
        append(&mut self.queue, &mut self.queue_len, v);
    }

    /// Makes room in the queue's buffer for `more` entries past its end (each arc of a row
    /// queues at most one node).
    #[inline]
    fn room(&mut self, more: usize) {
        if self.queue_len + more >= self.queue.len() {
            let want = (self.queue_len + more + 1)
                .max(2 * self.queue.len())
                .max(1024);
            self.queue.resize(want, NONE);
        }
    }

    /// Dequeues `u` and gives the severity to push down from it, 0 for none.
    ///
    /// A node that is not a group is queued each time it is raised, even when it is still
    /// queued from before (no queued bit is kept for it), so it may be dequeued more than
    /// once at one severity. Pushing it down again changes nothing, except for a node with an
    /// arc into a group: a group counts its members failed as they are pushed down at the
    /// outage level, so such a node is pushed down at that level once ([`PUSHED_OUT`]).
    /// Nothing else reads the record here: a level-1 wave dequeues without touching it.
    #[inline]
    fn dequeue(&mut self, u: u32, outage: u8) -> u8 {
        let ui = u as usize;
        let Some(b) = self.bits.get(ui / 64) else {
            return 0;
        };
        let m = 1u64 << (ui % 64);
        if b.blocked & m != 0 {
            // A group (a masked node is never queued).
            return self.marks.get_mut(ui).map_or(0, |mark| {
                mark.unflag(ST_QUEUED);
                mark.severity()
            });
        }
        if b.done & m == 0 {
            return partial_level(&self.levels, ui);
        }
        if bit(&self.graph.statics, ui) {
            let Some(record) = self.preds.get_mut(ui) else {
                return 0;
            };
            if *record & PUSHED_OUT != 0 {
                return 0;
            }
            *record |= PUSHED_OUT;
        }
        outage
    }

    /// Dequeues `u` and pushes its severity along its arcs.
    #[inline(always)]
    fn push_down(&mut self, u: u32, outage: u8, holding: u8) {
        let g = self.graph;
        let s = self.dequeue(u, outage);
        if s == 0 {
            return;
        }
        let (lo, hi) = g.forward.range(u);
        let targets = g.forward.cols.get(lo..hi).unwrap_or(&[]);
        let arc_bits = g.bits.get(lo..hi).unwrap_or(&[]);
        self.room(targets.len());
        let spare = self.n;
        let Workspace {
            marks,
            preds,
            levels,
            down,
            bits,
            touched,
            touched_len,
            touched_groups,
            queue,
            queue_len,
            affected,
            partial,
            done_count,
            ..
        } = self;
        let (mut tl, mut ql) = (*touched_len, *queue_len);
        // Plain nodes newly affected, plain nodes raised to the outage level from below
        // it, groups newly affected.
        let (mut fresh_count, mut raised_done, mut groups_new) = (0usize, 0usize, 0usize);
        let at_outage = s == outage;
        let lowers = g.severity.redundancy_lowers;
        // Whether a fresh target's level is written (on a scale of more than two levels,
        // below the outage level).
        let leveled = !levels.is_empty() && !at_outage;
        for (k, &v) in targets.iter().enumerate() {
            let vi = v as usize;
            let Some(b) = bits.get_mut(vi / 64) else {
                continue;
            };
            let m = 1u64 << (vi % 64);
            if b.blocked & m == 0 {
                // Into a node that is neither a group nor masked, the failure passes on as
                // it is (through an edge, or a builder's membership in a node that is not a
                // group).
                let hit = b.hit & m != 0;
                if s > 1 && (b.hit & !b.done) & m != 0 {
                    // Affected already, below the outage level.
                    if s <= partial_level(levels, vi) {
                        continue;
                    }
                    if let Some(record) = preds.get_mut(vi) {
                        *record = u;
                    }
                    // Queued again if still queued (see `dequeue`).
                    if !bit(&g.leaves, vi) {
                        append(queue, &mut ql, v);
                    }
                    if at_outage {
                        b.done |= m;
                        raised_done += 1;
                    } else if let Some(l) = levels.get_mut(vi) {
                        *l = s;
                    }
                    continue;
                }
                // Not affected yet (its record written without being read), or affected at
                // the outage level or at level 1, where `s` raises nothing. Without a branch
                // on which: when affected, the record goes to the spare slot and the lists'
                // ends stay.
                let fresh = !hit;
                b.hit |= m;
                if at_outage {
                    b.done |= m;
                }
                let slot = if fresh { vi } else { spare };
                if let Some(record) = preds.get_mut(slot) {
                    *record = u;
                }
                if leveled {
                    if let Some(l) = levels.get_mut(slot) {
                        *l = s;
                    }
                }
                if let Some(t) = touched.get_mut(tl) {
                    *t = v;
                }
                tl += usize::from(fresh);
                if let Some(q) = queue.get_mut(ql) {
                    *q = v;
                }
                ql += usize::from(fresh & !bit(&g.leaves, vi));
                fresh_count += usize::from(fresh);
                continue;
            }
            // A group, or a masked node.
            if !bit(&g.groups, vi) {
                continue;
            }
            let Some(mark) = marks.get_mut(vi) else {
                continue;
            };
            if mark.state() & ST_MASKED != 0 {
                continue;
            }
            // A group. Only arcs into groups need their bits.
            let arc = arc_bits.get(k).copied().unwrap_or(0);
            let mut new = if arc & ARC_EDGE != 0 { s } else { 0 };
            if arc & ARC_MEMBER != 0 {
                if mark.state() & ST_TOUCHED == 0 {
                    mark.flag(ST_TOUCHED);
                    append(touched, &mut tl, v);
                    touched_groups.push(v);
                }
                let Some(d) = down.get_mut(vi) else {
                    continue;
                };
                // A member is dequeued at the outage level at most once (nothing rises
                // above it), so each failed member is counted once.
                if at_outage {
                    // Its influence, in a group whose members carry one.
                    *d += g.weight(u, v);
                }
                mark.set_gmax(mark.gmax().max(s));
                let rule = if *d >= g.need.get(vi).copied().unwrap_or(1) {
                    outage
                } else {
                    // A group that holds: its members' worst level, lowered by the scale's
                    // `redundancy_lowers` (never below level 1), capped at the holding level.
                    holding.min(mark.gmax().saturating_sub(lowers).max(1))
                };
                new = new.max(rule);
            }
            let Some(cur) = mark.lift(new, u) else {
                continue;
            };
            if cur & ST_TOUCHED == 0 {
                append(touched, &mut tl, v);
                touched_groups.push(v);
            }
            groups_new += usize::from(cur & ST_SEVERITY == 0);
            if cur & ST_QUEUED == 0 && !bit(&g.leaves, vi) {
                append(queue, &mut ql, v);
            }
        }
        *touched_len = tl;
        *queue_len = ql;
        *affected += fresh_count + groups_new;
        if at_outage {
            *done_count += fresh_count + raised_done;
            *partial = partial.saturating_sub(raised_done);
        } else {
            *partial += fresh_count;
        }
        if !self.clusters.is_empty() && bit(&g.groups, u as usize) {
            self.count_clusters(u, outage);
        }
    }

    /// The scale's `clusters_down` rule, for the group `u` pushed down for the first time in
    /// this query: each node that is not a group (nor masked) it has an arc to counts one
    /// more affected cluster, and is raised to the outage level when it counts enough.
    /// Groups only, once each: O(arcs out of the groups affected).
    fn count_clusters(&mut self, u: u32, outage: u8) {
        let g = self.graph;
        let Some(need) = g.severity.clusters_down.map(std::num::NonZeroU32::get) else {
            return;
        };
        let Some(mark) = self.marks.get_mut(u as usize) else {
            return;
        };
        if mark.state() & ST_COUNTED != 0 {
            return;
        }
        mark.flag(ST_COUNTED);
        for &v in g.forward.row(u) {
            let vi = v as usize;
            if bit(&g.groups, vi) || self.is_blocked(vi) {
                continue;
            }
            let Some(c) = self.clusters.get_mut(vi) else {
                continue;
            };
            *c += 1;
            if *c >= need {
                let was = self.plain_severity(vi);
                self.raise_plain(v, was, outage, u, outage);
            }
        }
    }

    /// Pushes down the level `queue[head..end]`, [`BATCH`] nodes at a time, loading ahead:
    /// first the row bounds of every node of the batch, then the first target of each, then
    /// the batch is pushed down. The loads of a batch do not depend on each
    /// other, so their cache misses are waited for together instead of one after the other
    /// (safe Rust has no prefetch instruction: these are ordinary loads, their values kept in
    /// `ahead` so that they are not optimized away).
    fn push_level(&mut self, head: usize, end: usize, outage: u8, holding: u8) {
        let g = self.graph;
        let mut at = head;
        while at < end {
            let stop = (at + BATCH).min(end);
            let batch = self.queue.get(at..stop).unwrap_or(&[]);
            let mut lo = [0usize; BATCH];
            for (slot, &u) in lo.iter_mut().zip(batch) {
                *slot = g.forward.range(u).0;
            }
            let mut ahead = self.ahead;
            for &l in lo.iter().take(batch.len()) {
                ahead ^= g.forward.cols.get(l).copied().unwrap_or(0);
            }
            self.ahead = ahead;
            for k in at..stop {
                let Some(&u) = self.queue.get(k) else { break };
                self.push_down(u, outage, holding);
            }
            at = stop;
        }
    }

    /// Whether the frontier `queue[head..end]` is better expanded bottom-up.
    fn go_bottom_up(&self, head: usize, end: usize) -> bool {
        let g = self.graph;
        let n = self.n;
        if !self.bottom_up || n < BOTTOM_UP_MIN_NODES || end - head < 64 {
            return false;
        }
        // The frontier's arcs, estimated from a sample of [`FRONTIER_SAMPLE`] evenly spaced
        // nodes (summing a large level's rows would read each one twice, out of cache).
        let level = self.queue.get(head..end).unwrap_or(&[]);
        let step = level.len().div_ceil(FRONTIER_SAMPLE).max(1);
        let (mut sampled, mut arcs_seen) = (0u64, 0u64);
        for u in level.iter().step_by(step) {
            let (lo, hi) = g.forward.range(*u);
            arcs_seen += (hi - lo) as u64;
            sampled += 1;
        }
        let frontier = arcs_seen * level.len() as u64 / sampled.max(1);
        let left = (n - self.done_count.min(n)) as u64;
        let arcs = g.forward.cols.len() as u64;
        frontier * BOTTOM_UP_ALPHA * n as u64 > left * arcs
    }

    /// Counts the masked node `m` as a failed member of each group it is a member of, under
    /// [`MaintenanceRule::LostCapacity`]; a repeat of `m` (already counted) counts nothing.
    fn count_lost(&mut self, m: u32) {
        let g = self.graph;
        let (lo, hi) = g.forward.range(m);
        let targets = g.forward.cols.get(lo..hi).unwrap_or(&[]);
        let arc_bits = g.bits.get(lo..hi).unwrap_or(&[]);
        for (&v, &w) in targets.iter().zip(arc_bits) {
            let vi = v as usize;
            if w & ARC_MEMBER == 0 || !bit(&g.groups, vi) {
                continue;
            }
            let Some(mark) = self.marks.get_mut(vi) else {
                continue;
            };
            let first = mark.state() & ST_TOUCHED == 0;
            mark.flag(ST_TOUCHED);
            if first {
                self.touch(v, true);
            }
            if let Some(d) = self.down.get_mut(vi) {
                *d += g.weight(m, v);
            }
        }
    }

    /// Expands the frontier `queue[head..end]` bottom-up. A node that is not a group and
    /// has no arc into a group passes its severity on as it is to every node that is not a
    /// group (nor masked) that it has an arc to: such a node's severity is the highest of
    /// its affected sources, so each node below the frontier's highest severity scans its
    /// arcs in, stopping at the first source that gives it that severity. The rest of the
    /// frontier (groups, nodes with arcs into groups) is pushed down as usual. Sources
    /// found that are not in the frontier (raised earlier in this step) are queued
    /// themselves, so taking their severity early changes no result.
    fn step_bottom_up(&mut self, head: usize, end: usize, outage: u8, holding: u8) {
        let g = self.graph;
        let mut top = 0u8;
        for k in head..end {
            let Some(&u) = self.queue.get(k) else { break };
            if bit(&g.statics, u as usize) {
                self.push_down(u, outage, holding);
            } else {
                top = top.max(self.dequeue(u, outage));
            }
        }
        if top == 0 {
            return;
        }
        let n = self.n;
        let words = self.bits.len();
        for w in 0..words {
            // Candidates: not at the outage level (or, when the frontier is at level 1,
            // not affected at all).
            let Some(&b) = self.bits.get(w) else { break };
            let skip = if top == 1 { b.hit } else { b.done };
            let mut free = !(skip | b.blocked);
            while free != 0 {
                let v = w * 64 + free.trailing_zeros() as usize;
                free &= free - 1;
                if v >= n {
                    break;
                }
                // Not affected when the frontier is at level 1 or every affected node is
                // at the outage level; else its severity is read.
                let cur = if top == 1 || self.partial == 0 {
                    0
                } else {
                    self.plain_severity(v)
                };
                if cur >= top {
                    continue;
                }
                let Ok(v) = u32::try_from(v) else { break };
                let (best, by) = self.best_source(v, cur, top, outage);
                if by == NONE {
                    continue;
                }
                self.raise_plain(v, cur, best, by, outage);
            }
        }
    }

    /// The highest severity above `cur` among the affected sources of `v` that are not
    /// groups, stopping at `top`, and the source that gives it ([`NONE`] if none does).
    #[inline]
    fn best_source(&self, v: u32, cur: u8, top: u8, outage: u8) -> (u8, u32) {
        let sources = self.graph.reverse.row(v);
        if self.partial == 0 {
            // Every affected node that is not a group is at the outage level.
            // Rows are sorted and the compiled order is breadth-first, so the first source
            // is the earliest reached and usually done: it is tested alone. Past it, eight
            // sources' bits are loaded before any is tested: independent loads overlap,
            // where stopping at each one would wait for them one by one.
            let Some((&first, rest)) = sources.split_first() else {
                return (cur, NONE);
            };
            if self.is_done(first as usize) {
                return (outage, first);
            }
            for chunk in rest.chunks(8) {
                let mut found = 0u32;
                for (k, p) in chunk.iter().enumerate() {
                    found |= u32::from(self.is_done(*p as usize)) << k;
                }
                if found != 0 {
                    let p = chunk.get(found.trailing_zeros() as usize).copied();
                    return p.map_or((cur, NONE), |p| (outage, p));
                }
            }
            return (cur, NONE);
        }
        let (mut best, mut by) = (cur, NONE);
        for &p in sources {
            let pi = p as usize;
            if !self.is_hit(pi) {
                continue;
            }
            let s = self.plain_severity(pi);
            if s > best {
                best = s;
                by = p;
                if best >= top {
                    break;
                }
            }
        }
        (best, by)
    }

    /// Runs the impact fixpoint for `seeds` (each with a severity level), with the nodes of
    /// `maintenance` left out under [`MaintenanceRule::Excluded`] (they neither fail nor pass
    /// failure on, and count as up for their groups: iTop's excluded objects; see
    /// [`Workspace::run_with`] for the other rules). A seed in maintenance is left out too; a
    /// seed given twice counts at its highest level.
    ///
    /// The inputs are checked before anything runs: each seed (its node, then its level) in
    /// order, then each node in maintenance.
    ///
    /// ```
    /// use itsm_graph::{GraphBuilder, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec, SeverityScale};
    ///
    /// let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
    /// let depends_on = b.relation(RelationSpec::new("depends_on", Propagation::ToFrom))?;
    /// let app = b.node(&NodeSpec::new("app", NodeKind::TechnicalService, "service"))?;
    /// let db = b.node(&NodeSpec::new("db", NodeKind::ConfigurationItem, "database"))?;
    /// let san = b.node(&NodeSpec::new("san", NodeKind::ConfigurationItem, "storage"))?;
    /// b.edge(app, db, depends_on)?;
    /// b.edge(db, san, depends_on)?;
    /// let graph = b.build()?;
    ///
    /// // One workspace, many queries: each resets only what the last one touched.
    /// let mut ws = graph.workspace();
    /// let view = ws.run(&[(san, graph.outage())], &[])?;
    /// assert_eq!(view.count(), 3);
    /// assert_eq!(view.via(app), Some(db));
    /// // The database in a maintenance window: the storage failure stops there.
    /// let view = ws.run(&[(san, graph.outage())], &[db])?;
    /// assert_eq!(view.severity(app), 0);
    /// // A level outside the scale is refused.
    /// assert!(ws.run(&[(san, 3)], &[]).is_err());
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`] (named in [`NamedIn::Workspace`]) for a [`NodeId`] of another
    /// graph; [`Error::UnknownSeverity`] for a level outside the scale.
    pub fn run(
        &mut self,
        seeds: &[(NodeId, u8)],
        maintenance: &[NodeId],
    ) -> Result<ImpactView<'_, 'g>, Error> {
        self.run_with(seeds, maintenance, MaintenanceRule::default())
    }

    /// [`Workspace::run`] with the nodes of `maintenance` treated as `rule` says:
    /// [`MaintenanceRule::Excluded`] (what `run` does), [`MaintenanceRule::LostCapacity`]
    /// (left out, and counted as failed members of their groups) or
    /// [`MaintenanceRule::HidesParents`] (left out with everything their failure would reach:
    /// one more walk, O(what they reach)).
    ///
    /// ```
    /// use itsm_graph::{GraphBuilder, MaintenanceRule, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec, SeverityScale};
    ///
    /// let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
    /// let depends_on = b.relation(RelationSpec::new("depends_on", Propagation::ToFrom))?;
    /// let app = b.node(&NodeSpec::new("app", NodeKind::TechnicalService, "service"))?;
    /// let w1 = b.node(&NodeSpec::new("w1", NodeKind::ConfigurationItem, "host"))?;
    /// let w2 = b.node(&NodeSpec::new("w2", NodeKind::ConfigurationItem, "host"))?;
    /// let farm = b.group("farm", MinUp::Count(1))?;
    /// b.member(farm, w1)?;
    /// b.member(farm, w2)?;
    /// b.edge(app, farm, depends_on)?;
    /// let graph = b.build()?;
    /// let mut ws = graph.workspace();
    /// // w2 in maintenance, w1 fails: iTop's excluded node counts as up, the farm holds...
    /// let view = ws.run_with(&[(w1, 2)], &[w2], MaintenanceRule::Excluded)?;
    /// assert_eq!(view.severity(app), 1);
    /// // ...while the capacity lost to the maintenance takes it down.
    /// let view = ws.run_with(&[(w1, 2)], &[w2], MaintenanceRule::LostCapacity)?;
    /// assert_eq!(view.severity(app), 2);
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Workspace::run`].
    pub fn run_with(
        &mut self,
        seeds: &[(NodeId, u8)],
        maintenance: &[NodeId],
        rule: MaintenanceRule,
    ) -> Result<ImpactView<'_, 'g>, Error> {
        let g = self.graph;
        let outage = g.outage;
        let holding = g.severity.group_holding;
        let known = |node: NodeId| {
            if node.index() < self.n {
                Ok(())
            } else {
                Err(Error::UnknownNode {
                    id: node.to_string(),
                    named_in: NamedIn::Workspace,
                })
            }
        };
        for &(node, level) in seeds {
            known(node)?;
            if level == 0 || level > outage {
                return Err(Error::UnknownSeverity { level, max: outage });
            }
        }
        for &node in maintenance {
            known(node)?;
        }
        self.reset();
        // Every node is in the graph (checked above).
        let mut masked: Vec<u32> = maintenance.iter().map(|m| g.inner_of(*m)).collect();
        if rule == MaintenanceRule::HidesParents {
            masked = g.reach(&masked);
        }
        masked.sort_unstable();
        masked.dedup();
        // Masks live in the blocked bits (and a group's mark) for the duration of the query.
        // A masked node that is not a group is told from a group by the graph's group bits.
        for &m in &masked {
            let mi = m as usize;
            let group = bit(&g.groups, mi);
            let first = if group {
                let Some(mark) = self.marks.get_mut(mi) else {
                    continue;
                };
                let first = mark.state() & ST_TOUCHED == 0;
                mark.flag(ST_TOUCHED | ST_MASKED);
                first
            } else {
                // Not masked twice.
                !self.is_blocked(mi)
            };
            if first {
                self.touch(m, group);
            }
            self.set_flag(mi, Flag::Blocked);
        }
        if rule == MaintenanceRule::LostCapacity {
            // Each masked member counts as failed for the groups it belongs to (once each:
            // a masked node is listed once in the touched list, so count from there).
            for &m in &masked {
                self.count_lost(m);
            }
        }
        for &(node, level) in seeds {
            let node = g.inner_of(node);
            let vi = node as usize;
            if bit(&g.groups, vi) {
                let masked = self
                    .marks
                    .get(vi)
                    .is_some_and(|m| m.state() & ST_MASKED != 0);
                if !masked {
                    self.raise_group(node, level, node);
                }
            } else if !self.is_blocked(vi) {
                // Not masked (raised already if the seed is given twice).
                self.raise_plain(node, self.plain_severity(vi), level, node, outage);
            }
        }
        // Level by level (a FIFO queue, so a level is a stretch of it): each level is pushed
        // down, or expanded bottom-up when it is large.
        let mut head = 0;
        while head < self.queue_len {
            let end = self.queue_len;
            if self.go_bottom_up(head, end) {
                self.step_bottom_up(head, end, outage, holding);
            } else {
                self.push_level(head, end, outage, holding);
            }
            head = end;
        }
        Ok(ImpactView { ws: self })
    }
}

#[cfg(test)]
mod tests;
