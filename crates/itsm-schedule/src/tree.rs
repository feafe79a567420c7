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
    /// Each slot's `[start, end)` again, coarsened to 8 bytes ([`Span`]), a quarter of a
    /// slot: a small group's scan reads these (a quarter of the cache lines the slots
    /// would take) and reads a slot only to confirm a candidate.
    spans: Vec<Span>,
    /// The instant the spans count from: the earliest start (0 without slots).
    base: i64,
}

/// How coarse a [`Span`] is: units of 2^30 ns (about 1.07 s), so that 32 bits cover about
/// 146 years from the forest's earliest start.
const SPAN_SHIFT: u32 = 30;

/// A slot's `[start, end)` in units of 2^[`SPAN_SHIFT`] ns from the forest's base, the
/// start rounded down (at most `u32::MAX - 1`) and the end rounded up (`u32::MAX` for an
/// end that lies further): a superset of the slot, so it never misses an overlap, and in
/// start order, so a scan may stop at the first span past a query's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

/// `x` in span units from `base`, rounded down or up, clamped to `0..=max`.
#[inline]
fn unit(x: i64, base: i64, up: bool, max: u32) -> u32 {
    let d = x.saturating_sub(base);
    let d = if up {
        d.saturating_add((1i64 << SPAN_SHIFT) - 1)
    } else {
        d
    };
    // invariant: `d >> SPAN_SHIFT` is clamped into `0..=max` first, so the conversion holds.
    u32::try_from((d >> SPAN_SHIFT).clamp(0, i64::from(max))).unwrap_or(max)
}

impl Span {
    fn new(start: i64, end: i64, base: i64) -> Span {
        Span {
            start: unit(start, base, false, u32::MAX - 1),
            end: unit(end, base, true, u32::MAX),
        }
    }
}

/// A window to look up, `[start, end)` in nanoseconds, with its bounds in the span units
/// of one forest ([`Forest::query`]): made once for the many groups a check looks up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Query {
    start: i64,
    end: i64,
    base: i64,
    /// The start rounded down (at most `u32::MAX - 1`) and the end rounded up (`u32::MAX`
    /// past the spans' reach, where no span is known to start after it). So a span
    /// starting at or after `qe` starts after the query ends, and a span ending at or
    /// before `qs` ends before it starts.
    qs: u32,
    qe: u32,
}

impl Query {
    fn new(start: i64, end: i64, base: i64) -> Query {
        Query {
            start,
            end,
            base,
            qs: unit(start, base, false, u32::MAX - 1),
            qe: unit(end, base, true, u32::MAX),
        }
    }

    /// The same window in the span units of `base` (itself when they are its own).
    #[inline]
    fn from(self, base: i64) -> Query {
        if base == self.base {
            self
        } else {
            Query::new(self.start, self.end, base)
        }
    }
}

/// One group's slots and their spans ([`Forest::slots`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group<'a> {
    slots: &'a [Slot],
    spans: &'a [Span],
    base: i64,
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
        let base = slots.iter().map(|s| s.start).min().unwrap_or(0);
        let spans = slots
            .iter()
            .map(|s| Span::new(s.start, s.end, base))
            .collect();
        let mut forest = Forest {
            offsets,
            slots,
            spans,
            base,
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
            (Some(slots), Some(spans)) => Group {
                slots,
                spans,
                base: self.base,
            },
            _ => Group {
                slots: &[],
                spans: &[],
                base: self.base,
            },
        }
    }

    /// How many groups.
    pub fn groups(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// `[start, end)` as a [`Query`] of this forest's groups.
    pub fn query(&self, start: i64, end: i64) -> Query {
        Query::new(start, end, self.base)
    }

    /// Calls `hit` with every slot of `group` that overlaps `[start, end)`, in slot order.
    #[inline]
    pub fn overlapping(&self, group: usize, start: i64, end: i64, hit: impl FnMut(&Slot)) {
        overlapping(
            self.view(self.range(group).unwrap_or(0..0)),
            self.query(start, end),
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

/// Calls `hit` with every slot of the indexed group `g` that overlaps the query's
/// `[start, end)` (`slot.start < end && start < slot.end`), in slot order.
pub(crate) fn overlapping(g: Group<'_>, q: Query, mut hit: impl FnMut(&Slot)) {
    let (start, end) = (q.start, q.end);
    let a = g.slots;
    let n = a.len();
    if n == 0 {
        return;
    }
    // Small groups (the usual case): a plain scan of the spans up to the first one past
    // the end, each candidate confirmed on its slot. Up to 64 slots (half a kilobyte of
    // spans) a scan beats the tree's walk (measured: docs/performance.md).
    if n <= 64 {
        let Query { qs, qe, .. } = q.from(g.base);
        for (span, slot) in g.spans.iter().zip(a) {
            if span.start >= qe {
                break;
            }
            if qs < span.end && slot.start < end && start < slot.end {
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

    /// Instants that sit on, beside and between span units, and at the ends of the range
    /// (where the spans saturate), offset from a base anywhere.
    fn instant() -> impl proptest::strategy::Strategy<Value = i64> {
        use proptest::prelude::*;
        let unit = 1i64 << SPAN_SHIFT;
        prop_oneof![
            (-4i64..4, -2i64..3).prop_map(move |(k, d)| k * unit + d),
            -3 * unit..3 * unit,
            Just(i64::MIN),
            Just(i64::MAX),
            Just(i64::MIN + 1),
            Just(i64::MAX - 1),
            (-2i64..3).prop_map(move |d| (u32::MAX as i64) * unit + d),
            (-2i64..3).prop_map(move |d| (u32::MAX as i64 - 1) * unit + d),
            any::<i64>(),
        ]
    }

    /// `raw`'s pairs as intervals from `base` (each pair ordered, the empty ones left out).
    fn shifted(base: i64, raw: &[(i64, i64)]) -> Vec<(i64, i64)> {
        raw.iter()
            .map(|&(a, b)| (a.min(b).saturating_add(base), a.max(b).saturating_add(base)))
            .filter(|(a, b)| a < b)
            .collect()
    }

    proptest::proptest! {
        /// The coarse spans a small group's scan reads never change its answer: the same
        /// slots as a scan of the exact intervals, for windows a nanosecond apart, on unit
        /// boundaries, and past the 146 years the spans reach (where they saturate).
        #[test]
        fn coarse_spans_answer_like_the_exact_intervals(
            base in instant(),
            raw in proptest::collection::vec((instant(), instant()), 0..40),
            queries in proptest::collection::vec((instant(), instant()), 1..20),
        ) {
            let f = tree(&shifted(base, &raw));
            for &(a, b) in &queries {
                let shift = |x: i64| x.saturating_add(base);
                let (s, e) = (shift(a.min(b)), shift(a.max(b)));
                let mut got = Vec::new();
                f.overlapping(0, s, e, |slot| got.push(slot.entry));
                let mut want = brute(f.group(0), s, e);
                got.sort_unstable();
                want.sort_unstable();
                proptest::prop_assert_eq!(got, want, "query {}..{}", s, e);
            }
        }

        /// A query made for one forest and used on another's group answers as if made for
        /// that group (a query carries the base it was made for, and a group of another
        /// base works the units out again): the two forests' bases lie anywhere, apart or
        /// equal.
        #[test]
        fn a_query_from_another_forest_answers_like_a_scan(
            bases in (instant(), instant()),
            raw in (
                proptest::collection::vec((instant(), instant()), 0..90),
                proptest::collection::vec((instant(), instant()), 0..90),
            ),
            queries in proptest::collection::vec((instant(), instant()), 1..20),
        ) {
            let made_for = tree(&shifted(bases.0, &raw.0));
            let used_on = tree(&shifted(bases.1, &raw.1));
            let n = used_on.group(0).len();
            for &(a, b) in &queries {
                let (s, e) = (a.min(b).saturating_add(bases.0), a.max(b).saturating_add(bases.0));
                let mut got = Vec::new();
                overlapping(used_on.view(0..n), made_for.query(s, e), |slot| got.push(slot.entry));
                let mut want = brute(used_on.group(0), s, e);
                got.sort_unstable();
                want.sort_unstable();
                proptest::prop_assert_eq!(got, want, "query {}..{} on {} slots", s, e, n);
            }
        }
    }

    #[test]
    fn a_span_is_a_superset_of_its_interval_and_saturates_at_its_reach() {
        let unit = 1i64 << SPAN_SHIFT;
        // Rounded outwards, by whole units.
        assert_eq!(Span::new(1, unit - 1, 0), Span { start: 0, end: 1 });
        assert_eq!(Span::new(unit, unit + 1, 0), Span { start: 1, end: 2 });
        assert_eq!(Span::new(unit - 1, 2 * unit, 0), Span { start: 0, end: 2 });
        // From the base.
        assert_eq!(
            Span::new(10 * unit, 12 * unit, 7 * unit),
            Span { start: 3, end: 5 }
        );
        // Past the reach: the start stops one short of the end's ceiling.
        let far = Span::new(i64::MAX - 1, i64::MAX, i64::MIN);
        assert_eq!(
            far,
            Span {
                start: u32::MAX - 1,
                end: u32::MAX
            }
        );
        // Before the base (a query's start): zero.
        assert_eq!(unit_of(i64::MIN, 0), 0);
    }

    #[test]
    fn a_query_made_for_another_forest_is_worked_out_again() {
        let unit = 1i64 << SPAN_SHIFT;
        let near = tree(&[(0, unit), (5 * unit, 6 * unit)]);
        let far = tree(&[(100 * unit, 101 * unit), (105 * unit, 106 * unit)]);
        // `q` is made for `near` (base 0): its units say 105..106. `far`'s base is 100
        // units, so its slot 1 has the span 5..6 and read in `q`'s units it would miss.
        // The scan must work the units out again from `far`'s base, and find slot 1.
        let q = near.query(105 * unit, 105 * unit + 1);
        let mut got = Vec::new();
        overlapping(far.view(0..2), q, |s| got.push(s.entry));
        assert_eq!(got, [1]);
    }

    fn unit_of(x: i64, base: i64) -> u32 {
        unit(x, base, false, u32::MAX - 1)
    }
}
