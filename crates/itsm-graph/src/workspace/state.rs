//! The workspace's per-node state words: a group's [`Mark`] (predecessor, state bits,
//! severity in one `u64`) and the interleaved [`Bits`] records with their [`Flag`]s.

use crate::rows::NONE;

/// A group's query state in one 8-byte word (one cache line read per visit, one store to
/// write it whole): the predecessor in bits 0-31 (the node whose failure raised this one to
/// its severity, [`NONE`] if unaffected), the state in bits 32-47 (the severity in the low
/// byte, the `ST_*` bits above it), and the highest severity among its members so far in
/// bits 48-55.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mark(pub(super) u64);

impl Mark {
    /// A mark with predecessor `pred` and state `state`.
    #[inline]
    pub(super) const fn new(pred: u32, state: u16) -> Mark {
        Mark(pred as u64 | (state as u64) << 32)
    }

    #[inline]
    pub(super) fn pred(self) -> u32 {
        self.0 as u32
    }

    #[inline]
    pub(super) fn state(self) -> u16 {
        (self.0 >> 32) as u16
    }

    #[inline]
    pub(super) fn severity(self) -> u8 {
        (self.0 >> 32) as u8
    }

    #[inline]
    pub(super) fn gmax(self) -> u8 {
        (self.0 >> 48) as u8
    }

    /// Sets the `ST_*` bits `bits`.
    #[inline]
    pub(super) fn flag(&mut self, bits: u16) {
        self.0 |= u64::from(bits) << 32;
    }

    /// Clears the `ST_*` bits `bits`.
    #[inline]
    pub(super) fn unflag(&mut self, bits: u16) {
        self.0 &= !(u64::from(bits) << 32);
    }

    #[inline]
    pub(super) fn set_gmax(&mut self, g: u8) {
        self.0 = (self.0 & !(0xff << 48)) | u64::from(g) << 48;
    }

    /// Raises this mark to `new`, by `u`, queued; gives its state before, or `None` if it
    /// was at `new` or above.
    #[inline]
    pub(super) fn lift(&mut self, new: u8, u: u32) -> Option<u16> {
        let cur = self.state();
        if u16::from(new) <= cur & ST_SEVERITY {
            return None;
        }
        let state = (cur & !ST_SEVERITY) | ST_TOUCHED | ST_QUEUED | u16::from(new);
        *self = Mark((self.0 & (0xff << 48)) | Mark::new(u, state).0);
        Some(cur)
    }
}

pub(super) const ST_SEVERITY: u16 = 0xff;
pub(super) const ST_TOUCHED: u16 = 1 << 8;
pub(super) const ST_QUEUED: u16 = 1 << 9;
pub(super) const ST_MASKED: u16 = 1 << 10;
/// Set on a group once its targets have counted it among their affected clusters (the
/// scale's `clusters_down` rule).
pub(super) const ST_COUNTED: u16 = 1 << 11;

/// A node no query has reached.
pub(super) const UNMARKED: Mark = Mark::new(NONE, 0);

/// Three bitmaps interleaved, 64 nodes a record, so that the three bits a visit tests of a
/// node usually lie in one cache line (a 24-byte record straddles two lines a quarter of
/// the time).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Bits {
    /// Nodes that are not groups and are at the outage level: nothing can raise them, so
    /// their arcs in are skipped without reading their state.
    pub(crate) done: u64,
    /// Nodes that are not groups and are affected (at any level).
    pub(crate) hit: u64,
    /// Groups and masked nodes: never candidates of a bottom-up step.
    pub(crate) blocked: u64,
}

/// Which of a [`Bits`] record's bitmaps.
#[derive(Clone, Copy)]
pub(super) enum Flag {
    Done,
    Hit,
    Blocked,
}

impl Flag {
    #[inline]
    pub(super) fn word_mut(self, b: &mut Bits) -> &mut u64 {
        match self {
            Flag::Done => &mut b.done,
            Flag::Hit => &mut b.hit,
            Flag::Blocked => &mut b.blocked,
        }
    }
}
