//! A fast hasher for the id maps: the standard library's SipHash costs more than the rest of
//! a conflict check's lookups together. Ids are UUIDs, random (v4), a hash of a foreign key
//! (v5) or plain counters (`from_u128(1)`, `from_u128(2)`, ...), whose bits vary only at one
//! end: each word goes through a folded multiply (the 128-bit product's halves xored, as
//! foldhash does), which carries every input bit to every output bit. Only lookups use these
//! maps: nothing iterates them, so their order never reaches an output.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by ids.
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Folds each written word into the state with a folded multiply.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdHasher(u64);

/// The golden ratio's constant, as in Fibonacci hashing; odd, with bits spread evenly.
pub(crate) const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The two halves of the 128-bit product of `a` and `b`, xored.
#[inline]
pub(crate) fn folded_multiply(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

impl IdHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = folded_multiply(self.0 ^ word, K);
    }
}

impl Hasher for IdHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            if let Some(head) = word.get_mut(..rest.len()) {
                head.copy_from_slice(rest);
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // A second round, so that a word's bits reach the low bits hashbrown indexes by.
        folded_multiply(self.0, 0x5851_F42D_4C95_7F2D)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    /// Counter ids spread over the low bits hashbrown indexes by (and the top seven it tags
    /// with): a map of a million of them would otherwise degrade into a list.
    #[test]
    fn counter_ids_spread_over_the_buckets() {
        let build = BuildHasherDefault::<IdHasher>::default();
        let mut low = std::collections::HashSet::new();
        let mut top = std::collections::HashSet::new();
        for i in 0..4096u128 {
            let v = build.hash_one(itsm_core::ConfigItemId::from_u128(i));
            low.insert(v & 0xFFF);
            top.insert(v >> 57);
        }
        assert!(low.len() > 2500, "{} of 4096 low values", low.len());
        assert_eq!(top.len(), 128);
    }

    /// Every kind of write counts: both word-write methods, and bytes that end short of a
    /// word, each move the hash (a hasher that dropped one would put all such keys in one
    /// bucket: still correct answers, but a map degraded into a list). Not every pair of
    /// byte strings hashes apart (`write(&[])` and `write(&[0])` agree); ids are safe from
    /// that because their slices are written after their length.
    #[test]
    fn every_write_reaches_the_hash() {
        let one = |f: &dyn Fn(&mut IdHasher)| {
            let mut h = IdHasher::default();
            f(&mut h);
            h.finish()
        };
        let distinct = |hashes: Vec<u64>| {
            let n = hashes.len();
            let set: std::collections::HashSet<u64> = hashes.into_iter().collect();
            assert_eq!(set.len(), n, "{} distinct hashes of {n}", set.len());
        };
        distinct((0..4096u64).map(|i| one(&|h| h.write_u64(i))).collect());
        distinct((0..4096usize).map(|i| one(&|h| h.write_usize(i))).collect());
        // Three bytes, short of a word: only the remainder carries them.
        distinct(
            (0..4096u32)
                .map(|i| one(&|h| h.write(&i.to_le_bytes()[..3])))
                .collect(),
        );
        // Two words in a row, as a UUID's bytes are written: the second does not wipe
        // out the first, nor is it lost in it.
        distinct(
            (0..64u64)
                .flat_map(|a| (0..64u64).map(move |b| (a, b)))
                .map(|(a, b)| {
                    one(&|h| {
                        h.write_u64(a);
                        h.write_u64(b << 7 | 0x5A);
                    })
                })
                .collect(),
        );
    }
}
