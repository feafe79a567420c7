//! Id interning: every node id in one buffer with an open-addressing index, and the
//! attribute strings (classes, owners, suppliers, locations) interned the same way.

use std::hash::{BuildHasher, Hasher};

use crate::error::Error;
use crate::rows::NONE;

/// A small, fast, deterministic string hasher (FNV-1a over 8-byte words) for the id index.
#[derive(Default, Clone, Copy)]
struct IdHash;

struct IdHasher(u64);

impl BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = 0u64;
            for (i, b) in chunk.iter().enumerate() {
                word |= u64::from(*b) << (8 * i);
            }
            self.0 = (self.0 ^ word)
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(29);
        }
    }
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// Ids in one buffer, with an open-addressing index: a few bytes per node instead of two
/// `String`s. A slot holds an index and 32 bits of its id's hash (the tag), so a probe
/// compares strings only when the tags agree; empty slots hold [`NONE`] as their index.
///
/// Ids can be appended unindexed ([`Names::push`]) and indexed later in one go
/// ([`Names::index`]), which spreads them by slot region first so that the index is
/// written one region at a time instead of at a random slot per id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    buf: String,
    ends: Vec<u32>,
    slots: Vec<u64>,
    /// Ids `0..indexed` are in the slots.
    indexed: usize,
    /// The first repeated id found while indexing: (first index, repeated index).
    pub(crate) repeat: Option<(u32, u32)>,
}

/// Pending ids below this are indexed one by one, not spread by region first.
const BULK_INDEX_MIN: usize = 4096;
/// Slot regions of a bulk index (about this many).
const INDEX_REGIONS: u32 = 10;

/// The index in a slot (the low half).
fn slot_index(slot: u64) -> u32 {
    (slot & u64::from(u32::MAX)) as u32
}

/// The tag of a hash (its high half).
fn hash_tag(h: u64) -> u32 {
    (h >> 32) as u32
}

const EMPTY_SLOT: u64 = NONE as u64;

impl Names {
    pub(crate) fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0) as usize,
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.buf.get(start..end).unwrap_or("")
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bytes of ids held.
    pub(crate) fn bytes(&self) -> usize {
        self.buf.len()
    }

    fn hash(id: &str) -> u64 {
        let mut h = IdHash.build_hasher();
        h.write(id.as_bytes());
        h.finish()
    }

    /// The slot holding `id` (`Ok`), or the empty slot where it would go (`Err`); `None`
    /// without slots.
    fn probe(&self, id: &str, h: u64) -> Option<Result<usize, usize>> {
        let mask = self.slots.len().checked_sub(1)?;
        let tag = hash_tag(h);
        let mut at = h as usize & mask;
        loop {
            let slot = *self.slots.get(at)?;
            let i = slot_index(slot);
            if i == NONE {
                return Some(Err(at));
            }
            if hash_tag(slot) == tag && self.get(i) == id {
                return Some(Ok(at));
            }
            at = (at + 1) & mask;
        }
    }

    pub(crate) fn find(&self, id: &str) -> Option<u32> {
        match self.probe(id, Self::hash(id))? {
            Ok(at) => self.slots.get(at).map(|s| slot_index(*s)),
            Err(_) => None,
        }
    }

    /// Room in the index for `more` ids beyond those held (at most half the slots used).
    pub(crate) fn reserve(&mut self, more: usize) {
        self.ends.reserve(more);
        let want = (self.len().saturating_add(more).saturating_mul(2))
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX)
            .max(16);
        if self.slots.len() >= want {
            return;
        }
        // Everything held is indexed again in the larger table.
        self.slots = vec![EMPTY_SLOT; want];
        self.indexed = 0;
        self.index();
    }

    /// Appends an id without indexing it; `None` when full.
    pub(crate) fn push(&mut self, id: &str) -> Option<u32> {
        let i = u32::try_from(self.len()).ok().filter(|i| *i != NONE)?;
        let end = u32::try_from(self.buf.len() + id.len()).ok()?;
        self.buf.push_str(id);
        self.ends.push(end);
        Some(i)
    }

    /// Indexes the ids appended since the last call, noting the first repeated id.
    pub(crate) fn index(&mut self) {
        let len = self.len();
        if self.indexed >= len {
            return;
        }
        let want = len
            .saturating_mul(2)
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX)
            .max(16);
        if self.slots.len() < want {
            // Grown: everything is indexed again in the larger table.
            self.slots = vec![EMPTY_SLOT; want];
            self.indexed = 0;
        }
        let (from, Ok(to)) = (self.indexed, u32::try_from(len)) else {
            return;
        };
        let Ok(from) = u32::try_from(from) else {
            return;
        };
        let Some(mask) = self.slots.len().checked_sub(1) else {
            return;
        };
        if (to - from) as usize >= BULK_INDEX_MIN {
            // Spread by slot region (a stable counting sort), then placed region by region.
            let shift = mask.count_ones().saturating_sub(INDEX_REGIONS);
            let mut fill = vec![0usize; (mask >> shift) + 2];
            let hashes: Vec<u64> = (from..to).map(|i| Self::hash(self.get(i))).collect();
            for h in &hashes {
                if let Some(c) = fill.get_mut(((*h as usize & mask) >> shift) + 1) {
                    *c += 1;
                }
            }
            let mut total = 0;
            for c in &mut fill {
                total += *c;
                *c = total;
            }
            let mut order = vec![(0u64, 0u32); hashes.len()];
            for (h, i) in hashes.iter().zip(from..to) {
                if let Some(k) = fill.get_mut((*h as usize & mask) >> shift) {
                    if let Some(slot) = order.get_mut(*k) {
                        *slot = (*h, i);
                    }
                    *k += 1;
                }
            }
            drop(hashes);
            for (h, i) in order {
                self.place(i, h);
            }
        } else {
            for i in from..to {
                self.place(i, Self::hash(self.get(i)));
            }
        }
        self.indexed = len;
    }

    /// Puts id `i` (with hash `h`) in its slot, or notes it as repeated.
    fn place(&mut self, i: u32, h: u64) {
        // The id itself is read only when a slot's tag agrees (a repeat, or a rare
        // collision of 32-bit tags): the ids come in slot order, not in buffer order.
        let Some(mask) = self.slots.len().checked_sub(1) else {
            return;
        };
        let tag = hash_tag(h);
        let mut at = h as usize & mask;
        let found = loop {
            let Some(&slot) = self.slots.get(at) else {
                return;
            };
            let j = slot_index(slot);
            if j == NONE {
                break Err(at);
            }
            if hash_tag(slot) == tag && self.get(j) == self.get(i) {
                break Ok(at);
            }
            at = (at + 1) & mask;
        };
        match found {
            Ok(at) => {
                let first = self.slots.get(at).map_or(NONE, |s| slot_index(*s));
                // The repeat reported is the earliest one, as checking id by id would find.
                if self.repeat.is_none_or(|(_, second)| i < second) {
                    self.repeat = Some((first, i));
                }
            }
            Err(at) => {
                if let Some(slot) = self.slots.get_mut(at) {
                    *slot = (u64::from(tag) << 32) | u64::from(i);
                }
            }
        }
    }

    /// Adds an id; `Err(existing)` when it is there already, `Err(NONE)` when full.
    fn insert(&mut self, id: &str) -> Result<u32, u32> {
        self.index();
        if self.slots.len() < (self.len() + 1) * 2 {
            self.reserve(self.len().max(8));
        }
        let h = Self::hash(id);
        let at = match self.probe(id, h) {
            Some(Ok(at)) => {
                return Err(self.slots.get(at).map_or(NONE, |s| slot_index(*s)));
            }
            Some(Err(at)) => at,
            None => return Err(NONE),
        };
        let i = u32::try_from(self.len())
            .ok()
            .filter(|i| *i != NONE)
            .ok_or(NONE)?;
        let end = u32::try_from(self.buf.len() + id.len()).map_err(|_| NONE)?;
        self.buf.push_str(id);
        self.ends.push(end);
        self.indexed = self.len();
        if let Some(slot) = self.slots.get_mut(at) {
            *slot = (u64::from(hash_tag(h)) << 32) | u64::from(i);
        }
        Ok(i)
    }
}

/// Interned attribute strings (classes, owners, suppliers, locations).
#[derive(Debug, Clone, Default)]
pub(crate) struct Strings {
    pub(crate) names: Names,
}

impl Strings {
    /// The index of `s`, added if new; `None` once the strings fill 4 GiB (32-bit offsets:
    /// see [`Strings::full`]).
    pub(crate) fn intern(&mut self, s: &str) -> Option<u32> {
        match self.names.insert(s) {
            Ok(i) => Some(i),
            Err(NONE) => None,
            Err(existing) => Some(existing),
        }
    }

    /// The index of `s` if given, else [`NONE`]; `None` when full.
    pub(crate) fn opt(&mut self, s: Option<&String>) -> Option<u32> {
        s.map_or(Some(NONE), |s| self.intern(s))
    }

    /// The error for strings that no longer fit.
    #[cold]
    pub(crate) fn full(&self) -> Error {
        Error::TooLarge {
            what: "bytes of attribute text",
            count: self.names.bytes(),
            max: NONE as usize,
        }
    }
}
