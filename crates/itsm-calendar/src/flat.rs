//! Open intervals over one stretch of time, with prefix sums of open time and two O(1)
//! lookup tables (by instant and by business time): an explicit horizon, or one year of a
//! calendar without one.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use crate::build::Intervals;
use crate::rules::{DAY, NS};

/// Step loops up to this many iterations run branch-free.
const FIXED_STEPS: u32 = 4;

/// Instants are nanoseconds from an origin (the Unix epoch for an explicit horizon, the
/// year's first UTC instant for a year).
///
/// Intervals are half-open, sorted and disjoint; they may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flat {
    /// The stretch covered.
    pub(crate) from: i64,
    pub(crate) to: i64,
    pub(crate) starts: Vec<i64>,
    pub(crate) ends: Vec<i64>,
    /// The end of each interval's business day (see `build::Intervals`).
    pub(crate) day_ends: Vec<i64>,
    /// Open time up to the end of interval `i`.
    pub(crate) cum_end: Vec<i64>,
    /// Open time before interval `i` (one more entry than intervals: the total).
    cum_start: Vec<i64>,
    /// The UTC date each interval starts on, and that date's midnight (to build answers
    /// without calendar arithmetic); empty when not kept.
    dates: Vec<(NaiveDate, i64)>,
    /// For bucket `b` (instants `bucket0 + (b << ishift)` onwards): the first interval
    /// ending after the bucket starts.
    by_instant: Vec<u32>,
    bucket0: i64,
    ishift: u32,
    /// For business-time bucket `j`: the first interval whose `cum_end >= j << shift`.
    by_business: Vec<u32>,
    /// Business-time buckets are `1 << shift` nanoseconds wide: a shift, not a division.
    shift: u32,
    /// The most intervals a query must step over after its bucket, for each table: when
    /// small, the step loops run a fixed number of times, without unpredictable branches.
    locate_steps: u32,
    seek_steps: u32,
}

/// An instant from nanoseconds since the Unix epoch.
pub(crate) fn instant(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

impl Flat {
    /// The tables over `intervals`, which lie in `[from, to]`. With `origin_date` (the UTC
    /// date at nanosecond 0), each interval's date is kept for [`Flat::instant_in`].
    pub(crate) fn new(
        intervals: Intervals,
        from: i64,
        to: i64,
        origin_date: Option<NaiveDate>,
    ) -> Option<Flat> {
        let Intervals {
            starts,
            ends,
            day_ends,
        } = intervals;
        let mut cum_end = Vec::with_capacity(starts.len());
        let mut total: i64 = 0;
        for (s, e) in starts.iter().zip(&ends) {
            total = total.checked_add(e - s)?;
            cum_end.push(total);
        }
        let n = i64::try_from(starts.len()).ok()?.max(1);
        // Lookup by instant: about two buckets per interval, a power of two wide (a shift,
        // not a division), so a query steps over at most an interval or two.
        let ishift = ((to - from) / (2 * n)).max(1).ilog2().clamp(30, 46);
        let bucket0 = from;
        let buckets = usize::try_from(((to - bucket0) >> ishift) + 2).ok()?;
        let mut by_instant = Vec::with_capacity(buckets);
        let mut i = 0usize;
        for b in 0..buckets {
            let start = bucket0 + (i64::try_from(b).ok()? << ishift);
            while ends.get(i).is_some_and(|&e| e <= start) {
                i += 1;
            }
            by_instant.push(u32::try_from(i).ok()?);
        }
        let steps = |table: &[u32]| {
            table
                .windows(2)
                .map(|w| match w {
                    [a, b] => b.saturating_sub(*a),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        };
        let locate_steps = steps(&by_instant);
        // Lookup by business time: about as many buckets as intervals, a power of two wide.
        let shift = (total / (2 * n)).max(1).ilog2();
        let mut by_business = Vec::with_capacity(starts.len() * 2 + 2);
        let mut i = 0usize;
        let mut j: i64 = 0;
        // One bucket past the total, so every bucket has a successor for `seek_steps`.
        while (j - 1) << shift <= total {
            while cum_end.get(i).is_some_and(|&c| c < j << shift) {
                i += 1;
            }
            by_business.push(u32::try_from(i).ok()?);
            j += 1;
        }
        let seek_steps = steps(&by_business);
        let mut cum_start = Vec::with_capacity(starts.len() + 1);
        cum_start.push(0);
        cum_start.extend(cum_end.iter().copied());
        let dates = match origin_date {
            Some(origin) => starts
                .iter()
                .map(|s| {
                    let days = s.div_euclid(DAY);
                    Some((origin.checked_add_signed(Duration::days(days))?, days * DAY))
                })
                .collect::<Option<Vec<_>>>()?,
            None => Vec::new(),
        };
        Some(Flat {
            from,
            to,
            starts,
            ends,
            day_ends,
            cum_end,
            cum_start,
            dates,
            by_instant,
            bucket0,
            ishift,
            by_business,
            shift,
            locate_steps,
            seek_steps,
        })
    }

    /// All the open time.
    pub(crate) fn total(&self) -> i64 {
        self.cum_end.last().copied().unwrap_or(0)
    }

    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    /// Index of the first interval that ends after `t` (`len` when none).
    #[inline]
    pub(crate) fn locate(&self, t: i64) -> usize {
        let b = usize::try_from((t - self.bucket0) >> self.ishift).unwrap_or(0);
        let mut i = self
            .by_instant
            .get(b)
            .map_or(self.ends.len(), |&i| i as usize);
        if self.locate_steps <= FIXED_STEPS {
            for _ in 0..self.locate_steps {
                i += usize::from(self.ends.get(i).is_some_and(|&e| e <= t));
            }
        } else {
            while self.ends.get(i).is_some_and(|&e| e <= t) {
                i += 1;
            }
        }
        i
    }

    /// Whether `t` is open.
    #[inline]
    pub(crate) fn is_open(&self, t: i64) -> bool {
        let i = self.locate(t);
        self.starts.get(i).is_some_and(|&s| s <= t)
    }

    /// Open time before `t` since the start of the stretch.
    #[inline]
    pub(crate) fn position(&self, t: i64) -> i64 {
        let i = self.locate(t);
        let before = self.cum_start.get(i).copied().unwrap_or(0);
        // Inside interval `i` the time since its start counts; before it, nothing.
        let start = self.starts.get(i).copied().unwrap_or(i64::MAX);
        before + t.saturating_sub(start).max(0)
    }

    /// Index of the first interval whose `cum_end >= target` (`target` in `0..=total`).
    #[inline(always)]
    fn seek(&self, target: i64) -> usize {
        let j = usize::try_from(target >> self.shift).unwrap_or(0);
        let mut i = self.by_business.get(j).map_or(0, |&i| i as usize);
        if self.seek_steps <= FIXED_STEPS {
            for _ in 0..self.seek_steps {
                i += usize::from(self.cum_end.get(i).is_some_and(|&c| c < target));
            }
        } else {
            while self.cum_end.get(i).is_some_and(|&c| c < target) {
                i += 1;
            }
        }
        i
    }

    /// The instant at business position `target` (in `0..=total`), with its interval:
    /// forward, the earliest such instant (a closing time rather than the next opening);
    /// backward, the latest (an opening time).
    // Always: on the explicit horizon's hot path, a call costs a tenth of an `add`.
    #[inline(always)]
    pub(crate) fn at_position(&self, target: i64, forward: bool) -> Option<(usize, i64)> {
        let mut i = self.seek(target);
        let c = *self.cum_end.get(i)?;
        if !forward && c == target && i + 1 < self.cum_end.len() {
            i += 1;
            return Some((i, *self.starts.get(i)?));
        }
        Some((i, *self.ends.get(i)? - (c - target)))
    }

    /// The instant `ns` (nanoseconds since the Unix epoch), known to lie in interval `i`:
    /// built from the interval's date without calendar arithmetic when it falls on the
    /// same UTC day.
    #[inline]
    pub(crate) fn instant_in(&self, i: usize, ns: i64) -> DateTime<Utc> {
        // The same as `instant_on`, written out: built on `Option`s, the explicit horizon's
        // `add` is 3 ns slower.
        if let Some(&(date, midnight)) = self.dates.get(i) {
            let offset = ns - midnight;
            if (0..DAY).contains(&offset) {
                let secs = u32::try_from(offset / NS).unwrap_or(0);
                let nano = u32::try_from(offset % NS).unwrap_or(0);
                if let Some(time) = NaiveTime::from_num_seconds_from_midnight_opt(secs, nano) {
                    return date.and_time(time).and_utc();
                }
            }
        }
        instant(ns)
    }

    /// The instant `ns` (from this table's origin), known to lie in interval `i`, when it
    /// falls on the UTC day the interval starts on.
    #[inline]
    pub(crate) fn instant_on(&self, i: usize, ns: i64) -> Option<DateTime<Utc>> {
        let &(date, midnight) = self.dates.get(i)?;
        let offset = ns - midnight;
        if !(0..DAY).contains(&offset) {
            return None;
        }
        let secs = u32::try_from(offset / NS).ok()?;
        let nano = u32::try_from(offset % NS).ok()?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nano)?;
        Some(date.and_time(time).and_utc())
    }

    /// The runs of touching intervals from interval `i` on, the first starting no earlier
    /// than `floor`: `(start, end, index of the run's last interval)`.
    pub(crate) fn runs_from(&self, i: usize, floor: i64) -> Runs<'_> {
        Runs {
            flat: self,
            i,
            floor,
        }
    }
}

/// See [`Flat::runs_from`].
pub(crate) struct Runs<'a> {
    flat: &'a Flat,
    i: usize,
    floor: i64,
}

impl Iterator for Runs<'_> {
    type Item = (i64, i64, usize);
    fn next(&mut self) -> Option<(i64, i64, usize)> {
        let f = self.flat;
        let (&s, &e) = (f.starts.get(self.i)?, f.ends.get(self.i)?);
        let start = s.max(self.floor);
        let mut end = e;
        let mut k = self.i;
        while f.starts.get(k + 1) == Some(&end) {
            k += 1;
            end = f.ends.get(k).copied().unwrap_or(end);
        }
        self.i = k + 1;
        Some((start, end, k))
    }
}
