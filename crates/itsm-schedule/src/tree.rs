//! Groups of intervals, each sorted by start and laid out as an implicit interval tree
//! (Heng Li's cgranges layout): no pointers, no recursion, a fixed-size stack.
//!
//! In a group of `n` slots sorted by start, slot `i` is a node of the tree at level `k`,
//! the number of trailing one bits of `i`: leaves are the even slots, their parents the
//! slots `4j + 1`, and so on; the root is slot `2^K - 1` with `K = floor(log2 n)`. Each slot
//! keeps the largest end in its subtree (`max`), so a query skips every subtree that ends
//! before the query starts, and stops at the first slot that starts after the query ends.
//! A query costs O(log n + k log n) at worst for k overlaps, whatever the nesting of the
//! windows; the stack holds at most two cells a level (64 levels: 2^64 slots).

/// One interval of a group: nanoseconds since 1970, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    pub start: i64,
    pub end: i64,
    /// The largest end in this slot's subtree.
    pub max: i64,
    /// What the interval belongs to (a booking, a blackout).
    pub entry: u32,
}

impl Slot {
    pub fn new(start: i64, end: i64, entry: u32) -> Slot {
        Slot {
            start,
            end,
            max: end,
            entry,
        }
    }
}

/// Many groups, each an implicit interval tree, in one vector (compressed rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Forest {
    /// Group `g` is `slots[offsets[g]..offsets[g + 1]]`.
    offsets: Vec<usize>,
    slots: Vec<Slot>,
    /// Each slot's `(start, end)` again, half its size: a small group's scan reads these
    /// (two or three cache lines where the slots take four or more) and reads a slot only
    /// for an overlap found.
    spans: Vec<(i64, i64)>,
}

/// One group's slots and their spans ([`Forest::slots`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group<'a> {
    slots: &'a [Slot],
    spans: &'a [(i64, i64)],
}

impl Forest {
    /// Groups from `(group, slot)` pairs, `group < groups`; slots of a group are sorted by
    /// start then entry, and indexed.
    pub fn new(groups: usize, mut pairs: Vec<(u32, Slot)>) -> Forest {
        pairs.sort_unstable_by_key(|(g, s)| (*g, s.start, s.entry));
        let mut offsets = Vec::with_capacity(groups + 1);
        offsets.push(0);
        let mut slots = Vec::with_capacity(pairs.len());
        let mut pairs = pairs.into_iter().peekable();
        for g in 0..groups {
            while let Some((_, slot)) = pairs.next_if(|(pg, _)| usize::try_from(*pg) == Ok(g)) {
                slots.push(slot);
            }
            offsets.push(slots.len());
        }
        let spans = slots.iter().map(|s| (s.start, s.end)).collect();
        let mut forest = Forest {
            offsets,
            slots,
            spans,
        };
        for g in 0..groups {
            if let Some(range) = forest.range(g) {
                if let Some(group) = forest.slots.get_mut(range) {
                    index(group);
                }
            }
        }
        forest
    }

    /// Where group `group`'s slots are (`None` for a group it does not have).
    fn range(&self, group: usize) -> Option<std::ops::Range<usize>> {
        let from = *self.offsets.get(group)?;
        let to = *self.offsets.get(group + 1)?;
        Some(from..to)
    }

    /// The slots of `group`, sorted by start (empty for a group it does not have).
    pub fn group(&self, group: usize) -> &[Slot] {
        self.range(group)
            .and_then(|r| self.slots.get(r))
            .unwrap_or(&[])
    }

    /// Where group `group`'s slots are, as 32-bit offsets for [`Forest::slots`] (`None` for
    /// a group it does not have, or offsets past 32 bits, which `Schedule::build`'s limit
    /// of 2^32 - 1 item bookings rules out).
    pub fn bounds(&self, group: usize) -> Option<(u32, u32)> {
        let range = self.range(group)?;
        Some((
            u32::try_from(range.start).ok()?,
            u32::try_from(range.end).ok()?,
        ))
    }

    /// The slots `from..to` (a group's, from [`Forest::bounds`]; empty when out of range).
    #[inline]
    pub fn slots(&self, from: u32, to: u32) -> Group<'_> {
        self.view(from as usize..to as usize)
    }

    fn view(&self, range: std::ops::Range<usize>) -> Group<'_> {
        match (self.slots.get(range.clone()), self.spans.get(range)) {
            (Some(slots), Some(spans)) => Group { slots, spans },
            _ => Group {
                slots: &[],
                spans: &[],
            },
        }
    }

    /// How many groups.
    pub fn groups(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Calls `hit` with every slot of `group` that overlaps `[start, end)`, in slot order.
    #[inline]
    pub fn overlapping(&self, group: usize, start: i64, end: i64, hit: impl FnMut(&Slot)) {
        overlapping(
            self.view(self.range(group).unwrap_or(0..0)),
            start,
            end,
            hit,
        );
    }
}

/// Fills in `max` for a group sorted by start.
fn index(a: &mut [Slot]) {
    let n = a.len();
    if n == 0 {
        return;
    }
    let max_of = |a: &[Slot], i: usize| a.get(i).map_or(i64::MIN, |s| s.max);
    let mut last_i = 0;
    for i in (0..n).step_by(2) {
        if let Some(s) = a.get_mut(i) {
            s.max = s.end;
        }
        last_i = i;
    }
    let mut last = max_of(a, last_i);
    let mut k = 1u32;
    while k < usize::BITS && (1usize << k) <= n {
        let x = 1usize << (k - 1);
        let (i0, step) = ((x << 1) - 1, x << 2);
        let mut i = i0;
        while i < n {
            let left = max_of(a, i - x);
            let right = if i + x < n { max_of(a, i + x) } else { last };
            if let Some(s) = a.get_mut(i) {
                s.max = s.end.max(left).max(right);
            }
            i += step;
        }
        // `last_i` moves to its parent, whose subtree now holds the group's last slots.
        last_i = if (last_i >> k) & 1 == 1 {
            last_i - x
        } else {
            last_i + x
        };
        if last_i < n {
            last = last.max(max_of(a, last_i));
        }
        k += 1;
    }
}

/// The root's level: floor(log2 n), for n > 0.
fn top_level(n: usize) -> u32 {
    usize::BITS - 1 - n.leading_zeros()
}

/// Calls `hit` with every slot of the indexed group `g` that overlaps `[start, end)`
/// (`slot.start < end && start < slot.end`), in slot order.
pub(crate) fn overlapping(g: Group<'_>, start: i64, end: i64, mut hit: impl FnMut(&Slot)) {
    let a = g.slots;
    let n = a.len();
    if n == 0 {
        return;
    }
    // Small groups (the usual case): a plain scan of the spans up to the first one past
    // the end. Up to 64 slots (two kilobytes) a scan beats the tree's walk (measured:
    // docs/performance.md).
    if n <= 64 {
        for (&(s, e), slot) in g.spans.iter().zip(a) {
            if s >= end {
                break;
            }
            if start < e {
                hit(slot);
            }
        }
        return;
    }
    let mut stack = Stack::default();
    let root_level = top_level(n);
    stack.push((1usize << root_level) - 1, false);
    while let Some((x, done)) = stack.pop() {
        // A node's level is the number of trailing one bits of its index.
        let k = x.trailing_ones();
        if k <= 3 {
            // A small subtree: scan its slots in order.
            let from = x >> k << k;
            let to = (from + (1usize << (k + 1)) - 1).min(n);
            if let Some(run) = a.get(from..to) {
                for s in run.iter().take_while(|s| s.start < end) {
                    if start < s.end {
                        hit(s);
                    }
                }
            }
        } else if !done {
            let y = x - (1usize << (k - 1));
            stack.push(x, true);
            // The left child may lie past the end (a node of the implicit tree without a
            // slot): visit it anyway, its own left child may exist.
            if a.get(y).is_none_or(|s| s.max > start) {
                stack.push(y, false);
            }
        } else if let Some(s) = a.get(x) {
            if s.start < end {
                if start < s.end {
                    hit(s);
                }
                stack.push(x + (1usize << (k - 1)), false);
            }
        }
    }
}

/// The traversal's stack: a node and whether its left subtree is done, packed in one word
/// (`node << 1 | done`; a node index is below 2^59, since a slot takes 32 bytes). At most
/// two cells a level are ever on it, and a group has at most 64 levels.
struct Stack {
    cells: [usize; 128],
    len: usize,
}

impl Default for Stack {
    fn default() -> Self {
        Stack {
            cells: [0; 128],
            len: 0,
        }
    }
}

impl Stack {
    #[inline]
    fn push(&mut self, node: usize, done: bool) {
        // invariant: never full (two cells a level, at most 64 levels).
        if let Some(slot) = self.cells.get_mut(self.len) {
            *slot = node << 1 | usize::from(done);
            self.len += 1;
        }
    }

    #[inline]
    fn pop(&mut self) -> Option<(usize, bool)> {
        self.len = self.len.checked_sub(1)?;
        self.cells.get(self.len).map(|&c| (c >> 1, c & 1 == 1))
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn brute(a: &[Slot], start: i64, end: i64) -> Vec<u32> {
        a.iter()
            .filter(|s| s.start < end && start < s.end)
            .map(|s| s.entry)
            .collect()
    }

    fn tree(intervals: &[(i64, i64)]) -> Forest {
        let pairs = intervals
            .iter()
            .enumerate()
            .map(|(i, &(s, e))| (0, Slot::new(s, e, i as u32)))
            .collect();
        Forest::new(1, pairs)
    }

    #[test]
    fn queries_agree_with_a_scan_on_nested_chained_and_long_windows() {
        let mut intervals = Vec::new();
        for i in 0..300i64 {
            intervals.push((i, 600 - i)); // nested
            intervals.push((1000 + i, 1002 + i)); // a chain
            intervals.push((2000 + 7 * i, 2003 + 7 * i)); // apart
        }
        intervals.push((-5_000, 50_000)); // one long window over everything
        let f = tree(&intervals);
        let a = f.group(0);
        for (s, e) in [
            (-10, -5),
            (0, 1),
            (299, 301),
            (300, 301),
            (599, 700),
            (1100, 1101),
            (1500, 1600),
            (2003, 2007),
            (2004, 2005),
            (i64::MIN, i64::MAX),
            (60_000, 70_000),
        ] {
            let mut got = Vec::new();
            f.overlapping(0, s, e, |slot| got.push(slot.entry));
            let mut want = brute(a, s, e);
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "query {s}..{e}");
        }
    }

    #[test]
    fn every_size_up_to_a_few_levels_answers_like_a_scan() {
        for n in 0..140i64 {
            let intervals: Vec<(i64, i64)> = (0..n)
                .map(|i| (i * 3 % 17, i * 3 % 17 + 1 + i % 5))
                .collect();
            let f = tree(&intervals);
            for s in -1..25 {
                for len in 1..4 {
                    let mut got = Vec::new();
                    f.overlapping(0, s, s + len, |slot| got.push(slot.entry));
                    let mut want = brute(f.group(0), s, s + len);
                    got.sort_unstable();
                    want.sort_unstable();
                    assert_eq!(got, want, "n {n}, query {s}+{len}");
                }
            }
        }
    }
}
