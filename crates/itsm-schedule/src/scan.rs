//! The whole calendar scanned for conflicting pairs: a sweep per item or related key.

use std::collections::HashMap;
use std::hash::Hash;

use itsm_core::{ChangeId, ConfigItemId};

use crate::schedule::Schedule;

/// Two changes of the schedule in conflict, `first < second`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Pair {
    /// The smaller change id.
    pub first: ChangeId,
    /// The larger one.
    pub second: ChangeId,
}

impl Pair {
    /// The pair of `a` and `b` in order (`None` when they are the same change).
    ///
    /// ```
    /// use itsm_core::ChangeId;
    /// use itsm_schedule::Pair;
    ///
    /// let (a, b) = (ChangeId::from_u128(1), ChangeId::from_u128(2));
    /// assert_eq!(Pair::new(b, a), Pair::new(a, b));
    /// assert_eq!(Pair::new(a, a), None);
    /// ```
    pub fn new(a: ChangeId, b: ChangeId) -> Option<Pair> {
        match a.cmp(&b) {
            std::cmp::Ordering::Less => Some(Pair {
                first: a,
                second: b,
            }),
            std::cmp::Ordering::Greater => Some(Pair {
                first: b,
                second: a,
            }),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// Sweeps one group of bookings sorted by start, pushing each overlapping pair (as the
/// two positions in one `u64`, smaller first). A booking leaves the active list the first
/// time a later start reaches its end, so each step costs one unit per pair it finds plus
/// one per booking it retires: O(n + pairs).
fn sweep(
    group: impl Iterator<Item = (i64, i64, u32)>,
    active: &mut Vec<(i64, u32)>,
    out: &mut Vec<u64>,
) {
    active.clear();
    for (start, end, b) in group {
        let mut i = 0;
        while let Some(&(until, other)) = active.get(i) {
            if until > start {
                let (lo, hi) = if other < b { (other, b) } else { (b, other) };
                if lo != hi {
                    out.push((u64::from(lo) << 32) | u64::from(hi));
                }
                i += 1;
            } else {
                active.swap_remove(i);
            }
        }
        active.push((end, b));
    }
}

impl Schedule {
    fn pairs(&self, mut codes: Vec<u64>) -> Vec<Pair> {
        codes.sort_unstable();
        codes.dedup();
        codes
            .into_iter()
            .filter_map(|code| {
                // invariant: the positions were bookings of this schedule.
                let first = self.change_at((code >> 32) as u32)?;
                let second = self.change_at((code & u64::from(u32::MAX)) as u32)?;
                Some(Pair { first, second })
            })
            .collect()
    }

    /// Every pair of changes whose windows overlap and that share at least one
    /// configuration item, each pair once, sorted.
    ///
    /// A sweep per item over its bookings sorted by start (sorted when the schedule was
    /// built): O(b + p log p) for b bookings of items and p pairs found, whatever the
    /// nesting of long windows, with no recursion.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::{ChangeId, ConfigItemId};
    /// use itsm_schedule::{Limits, Pair, Schedule, ScheduledChange};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    /// let (db, web) = (ConfigItemId::from_u128(10), ConfigItemId::from_u128(11));
    /// let change = |n, items, from, to| ScheduledChange::new(ChangeId::from_u128(n), items, Some(at(from)), Some(at(to)));
    /// let (schedule, _) = Schedule::build(
    ///     [
    ///         change(1, vec![db], 8, 12),
    ///         change(2, vec![db, web], 11, 13),
    ///         change(3, vec![db], 13, 14), // touches 2: no conflict
    ///         change(4, vec![web], 8, 20),
    ///     ],
    ///     &Limits::new(),
    /// );
    /// let id = ChangeId::from_u128;
    /// assert_eq!(schedule.scan(), [Pair::new(id(1), id(2)).unwrap(), Pair::new(id(2), id(4)).unwrap()]);
    /// ```
    pub fn scan(&self) -> Vec<Pair> {
        let mut codes = Vec::new();
        let mut active = Vec::new();
        let forest = self.by_item();
        for g in 0..forest.groups() {
            let group = forest.group(g).iter().map(|s| (s.start, s.end, s.entry));
            sweep(group, &mut active, &mut codes);
        }
        self.pairs(codes)
    }

    /// Every pair of changes whose windows overlap and that share at least one related
    /// key, each pair once, sorted. `keys` gives each configuration item's related keys
    /// (the service component, cluster or site that makes items related), and is called
    /// once per item of the schedule; an item with no key relates nothing.
    ///
    /// Two changes on one item share that item's keys, so with keys on every item this
    /// includes the pairs of [`Schedule::scan`]. The bookings of each key are gathered in
    /// start order in one pass over the schedule, then swept as in [`Schedule::scan`].
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::{ChangeId, ConfigItemId};
    /// use itsm_schedule::{Limits, Pair, Schedule, ScheduledChange};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    /// let (web_1, web_2, db) = (ConfigItemId::from_u128(10), ConfigItemId::from_u128(11), ConfigItemId::from_u128(20));
    /// let change = |n, item, from, to| ScheduledChange::new(ChangeId::from_u128(n), vec![item], Some(at(from)), Some(at(to)));
    /// let (schedule, _) = Schedule::build([change(1, web_1, 8, 12), change(2, web_2, 10, 11), change(3, db, 9, 10)], &Limits::new());
    /// // The two web servers belong to one farm; the database to none.
    /// let farm = |item: &ConfigItemId| (*item == web_1 || *item == web_2).then_some("web-farm");
    /// assert_eq!(schedule.scan_related(farm), [Pair::new(ChangeId::from_u128(1), ChangeId::from_u128(2)).unwrap()]);
    /// ```
    pub fn scan_related<K, I>(&self, mut keys: impl FnMut(&ConfigItemId) -> I) -> Vec<Pair>
    where
        K: Hash + Eq,
        I: IntoIterator<Item = K>,
    {
        // Each item's keys as dense numbers: item_keys[key_from[i]..key_from[i + 1]].
        let mut interned: HashMap<K, u32> = HashMap::new();
        let mut key_from = Vec::with_capacity(self.item_count() + 1);
        let mut item_keys: Vec<u32> = Vec::new();
        let mut mine: Vec<u32> = Vec::new();
        key_from.push(0usize);
        for ix in 0..self.item_count() {
            let Some(item) = u32::try_from(ix).ok().and_then(|ix| self.item_id(ix)) else {
                key_from.push(item_keys.len());
                continue;
            };
            mine.clear();
            for key in keys(item) {
                let next = u32::try_from(interned.len()).unwrap_or(u32::MAX);
                mine.push(*interned.entry(key).or_insert(next));
            }
            mine.sort_unstable();
            mine.dedup();
            item_keys.extend_from_slice(&mine);
            key_from.push(item_keys.len());
        }
        let key_count = interned.len();
        let keys_of = |ix: u32| -> &[u32] {
            let ix = ix as usize;
            match (key_from.get(ix), key_from.get(ix + 1)) {
                (Some(&a), Some(&b)) => item_keys.get(a..b).unwrap_or(&[]),
                _ => &[],
            }
        };
        // Each key's bookings in start order, each once, gathered in two passes (count,
        // then fill). A booking's items come together, so a repeat is the key's last.
        let mut last = vec![u32::MAX; key_count];
        let mut count = vec![0usize; key_count + 1];
        for &b in self.by_start() {
            for &ix in self.items_of(b) {
                for &k in keys_of(ix) {
                    if let (Some(seen), Some(n)) =
                        (last.get_mut(k as usize), count.get_mut(k as usize + 1))
                    {
                        if *seen != b {
                            *seen = b;
                            *n += 1;
                        }
                    }
                }
            }
        }
        for k in 0..key_count {
            let before = count.get(k).copied().unwrap_or(0);
            if let Some(n) = count.get_mut(k + 1) {
                *n += before;
            }
        }
        let mut fill = count.clone();
        last.fill(u32::MAX);
        let mut members = vec![0u32; count.last().copied().unwrap_or(0)];
        for &b in self.by_start() {
            for &ix in self.items_of(b) {
                for &k in keys_of(ix) {
                    if let (Some(seen), Some(at)) =
                        (last.get_mut(k as usize), fill.get_mut(k as usize))
                    {
                        if *seen != b {
                            *seen = b;
                            if let Some(slot) = members.get_mut(*at) {
                                *slot = b;
                            }
                            *at += 1;
                        }
                    }
                }
            }
        }
        let mut codes = Vec::new();
        let mut active = Vec::new();
        for k in 0..key_count {
            let (Some(&a), Some(&z)) = (count.get(k), count.get(k + 1)) else {
                continue;
            };
            let group = members.get(a..z).unwrap_or(&[]).iter().map(|&b| {
                let (start, end) = self.span(b);
                (start, end, b)
            });
            sweep(group, &mut active, &mut codes);
        }
        self.pairs(codes)
    }
}
