//! The compact rows: compressed sparse rows of 32-bit offsets and targets, built from the
//! builder's arc list by counting sorts, the breadth-first walk that orders the nodes for
//! locality, the transpose, the bitmaps the graph and the workspaces share, and petgraph's
//! visit traits on the rows.

use crate::builder::ArcList;
use crate::error::Error;
use crate::workspace::BATCH;

pub(crate) const NONE: u32 = u32::MAX;

#[inline]
pub(crate) fn bit(words: &[u64], v: usize) -> bool {
    words
        .get(v / 64)
        .is_some_and(|w| w & (1u64 << (v % 64)) != 0)
}

#[inline]
pub(crate) fn set_bit(words: &mut [u64], v: usize) {
    if let Some(w) = words.get_mut(v / 64) {
        *w |= 1u64 << (v % 64);
    }
}

/// The nodes in breadth-first order along the rows (each row's arcs in the order they were
/// added: see [`Rows::adjacency`]), from each node no arc reaches (in the builder's order),
/// then from the nodes left (cycles), in the builder's order. What one failure
/// reaches then lies in fewer stretches of the compiled arrays, so a traversal misses the
/// cache less often. The queue is worked through [`BATCH`] nodes at a time, their rows'
/// bounds and first arcs loaded together (as the workspace's `push_level` does), since each
/// row is a cache miss of its own.
pub(crate) fn locality_order(rows: &Rows, n: usize) -> Vec<u32> {
    let mut reached = vec![0u64; n.div_ceil(64)];
    for &v in &rows.cols {
        set_bit(&mut reached, v as usize);
    }
    let mut seen = vec![0u64; n.div_ceil(64)];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let roots = (0..n).filter(|&v| !bit(&reached, v)).chain(0..n);
    let mut ahead = 0u32;
    for root in roots {
        if bit(&seen, root) {
            continue;
        }
        let Ok(root) = u32::try_from(root) else { break };
        set_bit(&mut seen, root as usize);
        let head = order.len();
        order.push(root);
        ahead ^= rows.extend_breadth_first(&mut order, head, |v| {
            let new = !bit(&seen, v as usize);
            set_bit(&mut seen, v as usize);
            new
        });
    }
    std::hint::black_box(ahead);
    order
}

/// Compressed sparse rows: the arcs out of node `u` go to `cols[start[u]..start[u + 1]]`,
/// sorted, without duplicates (except the rows of [`Rows::adjacency`], in the order the arcs
/// were added). Offsets are 32-bit (a graph holds fewer than 2^32 arcs).
#[derive(Debug, Clone, Default)]
pub(crate) struct Rows {
    pub(crate) start: Vec<u32>,
    pub(crate) cols: Vec<u32>,
}

impl Rows {
    /// The range of `cols` holding row `u` (empty for a node out of range).
    #[inline]
    pub(crate) fn range(&self, u: u32) -> (usize, usize) {
        let u = u as usize;
        match (self.start.get(u), self.start.get(u + 1)) {
            (Some(&lo), Some(&hi)) => (lo as usize, hi as usize),
            _ => (0, 0),
        }
    }

    /// Row `u`.
    #[inline]
    pub(crate) fn row(&self, u: u32) -> &[u32] {
        let (lo, hi) = self.range(u);
        self.cols.get(lo..hi).unwrap_or(&[])
    }

    /// Works through `queue[head..]` breadth-first: appends each target of a queued node's
    /// row that `take` accepts, in row order, until the queue is worked through.
    /// [`BATCH`] nodes at a time, their rows' bounds, then their first arcs, are read
    /// together, so that the cache misses of a batch overlap (one node at a time, each row
    /// would wait for the last). Returns the first arcs read, folded (for `black_box`, so
    /// that those reads are not dropped).
    pub(crate) fn extend_breadth_first(
        &self,
        queue: &mut Vec<u32>,
        mut head: usize,
        mut take: impl FnMut(u32) -> bool,
    ) -> u32 {
        let mut ahead = 0u32;
        while head < queue.len() {
            let stop = (head + BATCH).min(queue.len());
            let mut bounds = [(0usize, 0usize); BATCH];
            for (slot, &u) in bounds.iter_mut().zip(queue.get(head..stop).unwrap_or(&[])) {
                *slot = self.range(u);
            }
            let bounds = bounds.get(..stop - head).unwrap_or(&[]);
            for &(lo, _) in bounds {
                ahead ^= self.cols.get(lo).copied().unwrap_or(0);
            }
            for &(lo, hi) in bounds {
                for &v in self.cols.get(lo..hi).unwrap_or(&[]) {
                    if take(v) {
                        queue.push(v);
                    }
                }
            }
            head = stop;
        }
        ahead
    }

    /// Every row's range, in node order.
    pub(crate) fn bounds(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.start.windows(2).map(|w| match *w {
            [lo, hi] => (lo as usize, hi as usize),
            _ => (0, 0),
        })
    }

    pub(crate) fn node_count(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Offsets from per-row counts held at `start[u + 1]`; the total.
    fn prefix(start: &mut [u32]) -> u32 {
        let mut total = 0u32;
        for s in start.iter_mut() {
            total = total.wrapping_add(*s);
            *s = total;
        }
        total
    }

    /// The arcs out of each node, in the order they were added, duplicates kept, with each
    /// arc's bits: a counting sort by source. What the breadth-first walk of
    /// [`locality_order`] needs, and what [`Rows::renumbered`] compiles.
    pub(crate) fn adjacency(arcs: &ArcList, n: usize) -> Result<(Rows, Vec<u8>), Error> {
        let (start, total) = Rows::offsets(arcs, n)?;
        let mut at = start.clone();
        let mut cols = vec![0u32; total];
        let mut bits = vec![0u8; total];
        let triples = arcs.from.iter().zip(&arcs.to).zip(&arcs.bits);
        for ((&a, &b), &w) in triples {
            if !Rows::valid(a, b, n) {
                continue;
            }
            if let Some(k) = at.get_mut(a as usize) {
                let i = *k as usize;
                if let (Some(c), Some(x)) = (cols.get_mut(i), bits.get_mut(i)) {
                    *c = b;
                    *x = w;
                }
                *k += 1;
            }
        }
        Ok((Rows { start, cols }, bits))
    }

    /// These rows (with their arcs' `bits`) compiled under the numbering `inner` (old node
    /// to new). Each pass reads in order and its random accesses do not wait on one another:
    /// the targets are renumbered in place, each row's new place is looked up, each row is
    /// copied whole to it; then every row is sorted by target and its duplicates merged,
    /// their bits OR-ed, compacted in place.
    pub(crate) fn renumbered(
        mut self,
        bits: &[u8],
        inner: &[u32],
    ) -> Result<(Rows, Vec<u8>), Error> {
        let n = self.node_count();
        let arcs = self.cols.len();
        for c in &mut self.cols {
            *c = inner.get(*c as usize).copied().unwrap_or(NONE);
        }
        let mut start = vec![0u32; n + 1];
        for (old, (lo, hi)) in self.bounds().enumerate() {
            let new = inner.get(old).copied().unwrap_or(NONE) as usize;
            if let Some(c) = start.get_mut(new + 1) {
                // invariant: bounds are prefix sums, so lo <= hi
                *c = u32::try_from(hi - lo).map_err(|_| Rows::too_many(arcs))?;
            }
        }
        Rows::prefix(&mut start);
        // Where each old row goes.
        let place: Vec<u32> = (0..n)
            .map(|old| {
                let new = inner.get(old).copied().unwrap_or(NONE) as usize;
                start.get(new).copied().unwrap_or(NONE)
            })
            .collect();
        let mut cols = vec![0u32; arcs];
        let mut new_bits = vec![0u8; arcs];
        for ((lo, hi), &at) in self.bounds().zip(&place) {
            let at = at as usize;
            let len = hi - lo; // invariant: bounds are prefix sums, so lo <= hi
            if let (Some(dst), Some(src)) = (cols.get_mut(at..at + len), self.cols.get(lo..hi)) {
                dst.copy_from_slice(src);
            }
            if let (Some(dst), Some(src)) = (new_bits.get_mut(at..at + len), bits.get(lo..hi)) {
                dst.copy_from_slice(src);
            }
        }
        drop((self, place));
        Rows::compact(start, cols, new_bits)
    }

    /// The error for `count` arcs, more than 32-bit offsets hold.
    fn too_many(count: usize) -> Error {
        Error::TooLarge {
            what: "edges",
            count,
            max: NONE as usize - 1,
        }
    }

    /// Whether the arc `a -> b` is between nodes of a graph of `n` (the rows skip the
    /// others).
    #[inline]
    fn valid(a: u32, b: u32, n: usize) -> bool {
        (a as usize) < n && (b as usize) < n
    }

    /// Row offsets for the valid arcs of `arcs` by source (a count per row, then prefix
    /// sums), and how many arcs they hold.
    fn offsets(arcs: &ArcList, n: usize) -> Result<(Vec<u32>, usize), Error> {
        if arcs.from.len() >= NONE as usize {
            return Err(Rows::too_many(arcs.from.len()));
        }
        let mut start = vec![0u32; n + 1];
        for (&a, &b) in arcs.from.iter().zip(&arcs.to) {
            if let Some(c) = start
                .get_mut(a as usize + 1)
                .filter(|_| Rows::valid(a, b, n))
            {
                *c += 1;
            }
        }
        let total = Rows::prefix(&mut start) as usize;
        Ok((start, total))
    }

    /// Rows `start`/`cols` (with `bits`) with each row sorted by target and its duplicates
    /// merged (the union of their bits), compacted in place: the write position never passes
    /// the read position.
    fn compact(
        mut start: Vec<u32>,
        mut cols: Vec<u32>,
        mut bits: Vec<u8>,
    ) -> Result<(Rows, Vec<u8>), Error> {
        let n = start.len().saturating_sub(1);
        let arcs = cols.len();
        let too_many = || Rows::too_many(arcs);
        // Each row sorted by target, duplicates merged, written back compacted: the write
        // position never passes the read position, so it is done in place.
        let mut scratch: Vec<u64> = Vec::new();
        let mut write = 0usize;
        let mut lo = 0usize;
        for u in 0..n {
            let hi = start.get(u + 1).copied().unwrap_or(0) as usize;
            if let Some(s) = start.get_mut(u) {
                *s = u32::try_from(write).map_err(|_| too_many())?;
            }
            // The row as keys (target above its bits), sorted.
            scratch.clear();
            if let (Some(c), Some(b)) = (cols.get(lo..hi), bits.get(lo..hi)) {
                scratch.extend(
                    c.iter()
                        .zip(b)
                        .map(|(c, b)| (u64::from(*c) << 8) | u64::from(*b)),
                );
            }
            scratch.sort_unstable();
            let row_begin = write;
            for &k in &scratch {
                let (c, w) = ((k >> 8) as u32, k as u8);
                if write > row_begin && cols.get(write - 1) == Some(&c) {
                    if let Some(x) = bits.get_mut(write - 1) {
                        *x |= w;
                    }
                    continue;
                }
                if let (Some(cw), Some(xw)) = (cols.get_mut(write), bits.get_mut(write)) {
                    *cw = c;
                    *xw = w;
                }
                write += 1;
            }
            lo = hi;
        }
        if let Some(s) = start.get_mut(n) {
            *s = u32::try_from(write).map_err(|_| too_many())?;
        }
        cols.truncate(write);
        bits.truncate(write);
        Ok((Rows { start, cols }, bits))
    }

    /// The reverse rows: a counting sort by target. Arcs are first spread by target
    /// range into [`TRANSPOSE_BUCKETS`] buckets (sequential writes into a few streams), then
    /// each bucket is placed within its own stretch of the rows, which stays in cache:
    /// scattering five million arcs straight across the rows would miss the cache (and on a
    /// virtual machine the TLB) at every arc. Sources come in order and both passes are
    /// stable, so each reverse row is sorted already.
    pub(crate) fn transpose(
        &self,
        n: usize,
        spread_v: &mut Vec<u32>,
        spread_u: &mut Vec<u32>,
    ) -> Rows {
        let mut start = vec![0u32; n + 1];
        for &v in &self.cols {
            if let Some(c) = start.get_mut(v as usize + 1) {
                *c += 1;
            }
        }
        Rows::prefix(&mut start);
        let m = self.cols.len();
        let shift = bucket_shift(n);
        let buckets = (n >> shift) + 1;
        // Where each bucket's arcs start (targets `b << shift ..`).
        let mut fill: Vec<usize> = (0..buckets)
            .map(|b| start.get(b << shift).copied().unwrap_or(0) as usize)
            .collect();
        spread_v.clear();
        spread_v.resize(m, 0);
        spread_u.clear();
        spread_u.resize(m, 0);
        for (u, (lo, hi)) in self.bounds().enumerate() {
            let Ok(u) = u32::try_from(u) else { break };
            for &v in self.cols.get(lo..hi).unwrap_or(&[]) {
                if let Some(k) = fill.get_mut(v as usize >> shift) {
                    if let (Some(sv), Some(su)) = (spread_v.get_mut(*k), spread_u.get_mut(*k)) {
                        *sv = v;
                        *su = u;
                    }
                    *k += 1;
                }
            }
        }
        drop(fill);
        let mut at = start.clone();
        let mut cols = vec![0u32; m];
        for (v, u) in spread_v.iter().zip(spread_u.iter()) {
            let (v, u) = (*v as usize, *u);
            if let Some(k) = at.get_mut(v) {
                if let Some(c) = cols.get_mut(*k as usize) {
                    *c = u;
                }
                *k += 1;
            }
        }
        Rows { start, cols }
    }
}

/// Buckets of the transpose's first pass (about this many).
const TRANSPOSE_BUCKETS: usize = 256;

/// The shift that maps a node to its transpose bucket: at least 4,096 nodes a bucket.
fn bucket_shift(n: usize) -> u32 {
    let per = n.div_ceil(TRANSPOSE_BUCKETS).max(1 << 12);
    per.next_power_of_two().trailing_zeros()
}

// petgraph's algorithms (Tarjan's strongly connected components) run on the rows as they
// are, through its visit traits.
impl petgraph::visit::GraphBase for Rows {
    type EdgeId = (u32, u32);
    type NodeId = u32;
}

impl petgraph::visit::NodeIndexable for Rows {
    fn node_bound(&self) -> usize {
        self.node_count()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        u32::try_from(i).unwrap_or(NONE)
    }
}

impl<'a> petgraph::visit::IntoNeighbors for &'a Rows {
    type Neighbors = std::iter::Copied<std::slice::Iter<'a, u32>>;
    fn neighbors(self, a: u32) -> Self::Neighbors {
        self.row(a).iter().copied()
    }
}

impl petgraph::visit::IntoNodeIdentifiers for &Rows {
    type NodeIdentifiers = std::ops::Range<u32>;
    fn node_identifiers(self) -> Self::NodeIdentifiers {
        0..u32::try_from(self.node_count()).unwrap_or(NONE)
    }
}
