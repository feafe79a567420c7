//! A short list kept on the stack: a check handles a handful of items, and allocating for
//! them cost more than the lookups they hold (docs/performance.md).

/// Up to `N` values inline, all of them in a vector beyond.
pub(crate) struct Inline<T: Copy, const N: usize> {
    inline: [T; N],
    len: usize,
    more: Vec<T>,
}

impl<T: Copy, const N: usize> Inline<T, N> {
    /// An empty list; `fill` only initialises the unused cells.
    pub fn new(fill: T) -> Self {
        Inline {
            inline: [fill; N],
            len: 0,
            more: Vec::new(),
        }
    }

    /// Appends `value`.
    #[inline]
    pub fn push(&mut self, value: T) {
        if self.more.is_empty() {
            if let Some(cell) = self.inline.get_mut(self.len) {
                *cell = value;
                self.len += 1;
                return;
            }
            self.more.reserve(N * 2);
            self.more.extend_from_slice(&self.inline);
        }
        self.more.push(value);
    }

    /// Appends every value.
    pub fn extend(&mut self, values: impl IntoIterator<Item = T>) {
        for value in values {
            self.push(value);
        }
    }

    /// The values, in order.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        if self.more.is_empty() {
            self.inline.get(..self.len).unwrap_or(&[])
        } else {
            &self.more
        }
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        if self.more.is_empty() {
            self.inline.get_mut(..self.len).unwrap_or(&mut [])
        } else {
            &mut self.more
        }
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }
}

impl<T: Copy + PartialEq, const N: usize> Inline<T, N> {
    /// Sorts the values by `key` (which must order them as their own order would, for
    /// equal values to end up next to each other) and keeps each once. Values already in
    /// strictly increasing order (a topology usually lists them so) are left as they are
    /// after one comparison each.
    #[inline]
    pub fn sort_dedup_by_key<K: Ord>(&mut self, key: impl Fn(&T) -> K) {
        if self
            .as_slice()
            .windows(2)
            .all(|w| matches!(w, [a, b] if key(a) < key(b)))
        {
            return;
        }
        self.as_mut_slice().sort_unstable_by_key(key);
        if !self.more.is_empty() {
            self.more.dedup();
            return;
        }
        let values = self.as_mut_slice();
        let mut kept = 0usize;
        for i in 0..values.len() {
            let (Some(&value), previous) = (values.get(i), kept.checked_sub(1)) else {
                continue;
            };
            if previous.and_then(|p| values.get(p)) != Some(&value) {
                if let Some(cell) = values.get_mut(kept) {
                    *cell = value;
                }
                kept += 1;
            }
        }
        self.len = kept;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::Inline;
    use proptest::prelude::*;

    proptest! {
        /// Pushes, then sorting and deduplication, agree with a vector's, inline and past it.
        #[test]
        fn behaves_like_a_vector(values in proptest::collection::vec(0u8..20, 0..40)) {
            let mut list: Inline<u8, 8> = Inline::new(0);
            list.extend(values.iter().copied());
            prop_assert_eq!(list.as_slice(), values.as_slice());
            prop_assert_eq!(list.len(), values.len());
            let mut want = values.clone();
            want.sort_unstable();
            want.dedup();
            list.sort_dedup_by_key(|v| *v);
            prop_assert_eq!(list.as_slice(), want.as_slice());
            let mut by_key: Inline<u8, 8> = Inline::new(0);
            by_key.extend(values.iter().copied());
            by_key.sort_dedup_by_key(|v| u32::from(*v) * 3);
            prop_assert_eq!(by_key.as_slice(), want.as_slice());
        }
    }
}
