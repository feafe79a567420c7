//! A table of lazily computed values for keys `0..2^19` (chrono's years), allocated as it
//! fills: three levels of `OnceLock`s, so that reads are lock-free and a value is computed
//! once even when threads race for it.

use std::sync::OnceLock;

const TOP: usize = 64;
const MID: usize = 64;
const LEAF: usize = 128;

type Leaf<T> = [OnceLock<T>; LEAF];
type Mid<T> = [OnceLock<Box<Leaf<T>>>; MID];

/// See the module docs.
#[derive(Clone)]
pub(crate) struct Sparse<T> {
    top: Box<[OnceLock<Box<Mid<T>>>; TOP]>,
}

/// The key's place at each level, if it is in range.
fn place(key: u32) -> Option<(usize, usize, usize)> {
    let key = usize::try_from(key).ok()?;
    let (leaf, rest) = (key % LEAF, key / LEAF);
    let (mid, top) = (rest % MID, rest / MID);
    (top < TOP).then_some((top, mid, leaf))
}

impl<T> Sparse<T> {
    pub(crate) fn new() -> Self {
        Sparse {
            top: Box::new(std::array::from_fn(|_| OnceLock::new())),
        }
    }

    /// The value at `key`, if computed.
    pub(crate) fn get(&self, key: u32) -> Option<&T> {
        let (t, m, l) = place(key)?;
        self.top.get(t)?.get()?.get(m)?.get()?.get(l)?.get()
    }

    /// The value at `key`, computed by `init` the first time; `None` for a key out of
    /// range.
    pub(crate) fn get_or_init(&self, key: u32, init: impl FnOnce() -> T) -> Option<&T> {
        let (t, m, l) = place(key)?;
        let mid = self
            .top
            .get(t)?
            .get_or_init(|| Box::new(std::array::from_fn(|_| OnceLock::new())));
        let leaf = mid
            .get(m)?
            .get_or_init(|| Box::new(std::array::from_fn(|_| OnceLock::new())));
        Some(leaf.get(l)?.get_or_init(init))
    }
}
