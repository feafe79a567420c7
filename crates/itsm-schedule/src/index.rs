//! A [`Checker`](crate::Checker)'s table of items: for each configuration item the schedule
//! books or the rules give a maintenance calendar, where its bookings are and which calendar
//! it has, found with one probe of one array (open addressing, linear probing). A check looks
//! up a handful of items; each lookup then reads one cache line, where a hash map and two
//! tables by position read four (docs/performance.md, fifth pass).

use itsm_core::ConfigItemId;

use crate::hash::{K, folded_multiply};

/// What a lookup finds about one item: its bookings (`schedule.by_item()`'s slots
/// `from..to`, empty when it has none) and its maintenance calendar ([`NO_CALENDAR`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// The first of its slots.
    pub from: u32,
    /// One past its last slot.
    pub to: u32,
    /// Its maintenance calendar in the rules.
    pub calendar: u32,
}

/// An item without a maintenance calendar.
pub(crate) const NO_CALENDAR: u32 = u32::MAX;

impl Found {
    /// No bookings, no calendar.
    pub const NONE: Found = Found {
        from: 0,
        to: 0,
        calendar: NO_CALENDAR,
    };

    /// The maintenance calendar, if any.
    #[inline]
    pub fn calendar(self) -> Option<u32> {
        (self.calendar != NO_CALENDAR).then_some(self.calendar)
    }
}

/// One cell: 32 bytes, two to a cache line, never across one.
#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Cell {
    key: u128,
    found: Found,
    used: bool,
}

const EMPTY: Cell = Cell {
    key: 0,
    found: Found::NONE,
    used: false,
};

/// Items to what is known of them.
#[derive(Debug, Clone)]
pub(crate) struct ItemTable {
    /// A power of two cells, at most two thirds used, so that a probe always ends.
    cells: Vec<Cell>,
    /// 64 minus the number of bits a cell's index has: a hash's top bits index.
    shift: u32,
}

impl ItemTable {
    /// An empty table with room for `n` items.
    pub fn with_room(n: usize) -> ItemTable {
        let wanted = n.saturating_add(n / 2).max(16);
        let len = wanted.checked_next_power_of_two().unwrap_or(1 << 62);
        ItemTable {
            cells: vec![EMPTY; len],
            shift: 64 - len.trailing_zeros(),
        }
    }

    /// Where a probe for `key` starts.
    #[inline]
    fn home(&self, key: u128) -> usize {
        let (lo, hi) = (key as u64, (key >> 64) as u64);
        let h = folded_multiply(folded_multiply(lo ^ 0x243F_6A88_85A3_08D3, K) ^ hi, K);
        h.checked_shr(self.shift).unwrap_or(0) as usize
    }

    /// Where `key` is (`Ok`) or the empty cell where it would go (`Err`), and how many
    /// cells the probe read; `None` for a full table without it.
    #[inline]
    fn probe(&self, key: u128) -> (Option<Result<usize, usize>>, usize) {
        let mask = self.cells.len().wrapping_sub(1);
        let mut i = self.home(key);
        for read in 1..=self.cells.len() {
            match self.cells.get(i) {
                Some(c) if c.used => {
                    if c.key == key {
                        return (Some(Ok(i)), read);
                    }
                    i = (i + 1) & mask;
                }
                Some(_) => return (Some(Err(i)), read),
                None => break,
            }
        }
        (None, self.cells.len())
    }

    /// The cell of `item`, made when it is not there (with nothing known). `None` only
    /// when the table is full, which [`ItemTable::with_room`]'s sizing prevents.
    pub fn entry(&mut self, item: &ConfigItemId) -> Option<&mut Found> {
        let key = item.0.as_u128();
        let i = match self.probe(key).0? {
            Ok(i) => i,
            Err(i) => {
                *self.cells.get_mut(i)? = Cell {
                    key,
                    found: Found::NONE,
                    used: true,
                };
                i
            }
        };
        self.cells.get_mut(i).map(|c| &mut c.found)
    }

    /// What is known of `item` ([`Found::NONE`] for an item it does not have).
    #[inline]
    pub fn get(&self, item: &ConfigItemId) -> Found {
        match self.probe(item.0.as_u128()).0 {
            Some(Ok(i)) => self.cells.get(i).map_or(Found::NONE, |c| c.found),
            _ => Found::NONE,
        }
    }

    /// How many cells a lookup of `item` reads (for the tests of the table's spread).
    #[cfg(test)]
    fn probes(&self, item: &ConfigItemId) -> usize {
        self.probe(item.0.as_u128()).1
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn a_cell_is_half_a_cache_line() {
        assert_eq!(std::mem::size_of::<Cell>(), 32);
        assert_eq!(std::mem::align_of::<Cell>(), 32);
    }

    proptest! {
        /// Entries made and looked up agree with a map's, for counter ids (bits at one end
        /// only), random ones and the all-zero id; a table filled to its room still answers
        /// for ids it does not have.
        #[test]
        fn agrees_with_a_map(
            keys in proptest::collection::vec(prop_oneof![0u128..64, any::<u128>()], 0..200),
            probes in proptest::collection::vec(prop_oneof![0u128..128, any::<u128>()], 0..50),
        ) {
            let mut table = ItemTable::with_room(keys.len());
            let mut map = HashMap::new();
            for (n, &k) in (0u32..).zip(&keys) {
                let found = table.entry(&ConfigItemId::from_u128(k)).unwrap();
                found.from = found.from.max(n);
                found.calendar = n % 3;
                let m = map.entry(k).or_insert(Found::NONE);
                m.from = m.from.max(n);
                m.calendar = n % 3;
            }
            for k in keys.iter().chain(&probes) {
                let want = map.get(k).copied().unwrap_or(Found::NONE);
                prop_assert_eq!(table.get(&ConfigItemId::from_u128(*k)), want);
            }
        }
    }

    /// The table is sized to one and a half times its items, rounded up to a power of two
    /// (so at most two thirds full), and spreads counter ids (in either half of the id) and
    /// random ones so that a lookup reads a few cells, not a run of them.
    #[test]
    fn lookups_read_few_cells() {
        for n in [1usize, 10, 1000, 4096] {
            let table = ItemTable::with_room(n);
            let cells = table.cells.len();
            assert!(cells.is_power_of_two() && cells >= 16, "{n}: {cells}");
            assert!(
                cells >= n + n / 2 && (cells <= 3 * n || cells == 16),
                "{n}: {cells}"
            );
        }
        let mut state = 0x1234_5678_9ABC_DEF0_u64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            u128::from(state) << 64 | u128::from(state.rotate_left(29))
        };
        for keys in [
            (0..4096u128).collect::<Vec<_>>(),
            // Ids whose low half is the same (a counter in the high half).
            (0..4096u128).map(|i| i << 64 | 7).collect(),
            (0..4096).map(|_| random()).collect(),
        ] {
            let mut table = ItemTable::with_room(keys.len());
            for k in &keys {
                table.entry(&ConfigItemId::from_u128(*k)).unwrap().from = 1;
            }
            let probes: Vec<usize> = keys
                .iter()
                .map(|k| table.probes(&ConfigItemId::from_u128(*k)))
                .collect();
            let mean = probes.iter().sum::<usize>() as f64 / probes.len() as f64;
            let max = probes.iter().max().copied().unwrap_or(0);
            assert!(mean < 2.5 && max < 40, "mean {mean}, longest {max}");
            // Ids it does not have end at an empty cell soon too.
            let absent: Vec<usize> = (0..1000)
                .map(|_| table.probes(&ConfigItemId::from_u128(random())))
                .collect();
            let mean = absent.iter().sum::<usize>() as f64 / absent.len() as f64;
            assert!(mean < 6.0, "mean {mean} for absent ids");
        }
    }

    #[test]
    fn found_names_its_calendar_only_when_it_has_one() {
        assert_eq!(Found::NONE.calendar(), None);
        let f = Found {
            from: 1,
            to: 2,
            calendar: 0,
        };
        assert_eq!(f.calendar(), Some(0));
    }
}
