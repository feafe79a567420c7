//! From local open time to UTC intervals, exactly: an instant is open when the local wall
//! clock reads an open time.
//!
//! The zone is read only as UTC offsets (`offset_from_utc_datetime`, never ambiguous): a
//! probe every [`STEP`] finds where the offset changes, and bisection finds the change to
//! the nanosecond. Between two changes the local time is `instant + offset`, so the
//! instants whose local time lies in `[a, b)` are, piece by piece,
//! `[max(piece start, a - offset), min(piece end, b - offset))`. Hence the rules at a
//! change of offset: a boundary that the clocks skip moves to the end of the gap; a segment
//! that ends inside a repeated hour is open on the first pass up to its closing time and
//! again from the start of the repeat up to the closing time; one that opens inside a
//! repeated hour is open from its opening time to the change, then again when the clock
//! reads its opening time a second time.

use chrono::{DateTime, NaiveDate, Offset, TimeZone};

use crate::rules::{DAY, NS, Rules, Spans};

/// The zone is probed this often. A zone must not change its offset twice within it (the
/// changes of every IANA zone are more than six days apart); an offset that changed and
/// changed back between two probes would go unseen.
pub(crate) const STEP: i64 = 12 * 3600 * NS;

/// Where the zone's offset changes around a stretch of time: offsets[k] applies from
/// starts[k] to starts[k + 1]. Instants are nanoseconds from an origin (a UTC second).
pub(crate) struct Pieces {
    starts: Vec<i64>,
    offsets: Vec<i64>,
    min_offset: i64,
    max_offset: i64,
}

/// The zone's offset at `origin + at` nanoseconds, in nanoseconds.
fn offset_at<Tz: TimeZone>(tz: &Tz, origin: i64, at: i64) -> Option<i64> {
    let secs = origin.checked_add(at.div_euclid(NS))?;
    let nanos = u32::try_from(at.rem_euclid(NS)).ok()?;
    let utc = DateTime::from_timestamp(secs, nanos)?.naive_utc();
    Some(i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()) * NS)
}

impl Pieces {
    /// The offsets from `lo` to `hi` (nanoseconds from `origin`, both in chrono's range).
    pub(crate) fn scan<Tz: TimeZone>(tz: &Tz, origin: i64, lo: i64, hi: i64) -> Option<Pieces> {
        let mut at = lo;
        let mut off = offset_at(tz, origin, at)?;
        let mut pieces = Pieces {
            starts: vec![i64::MIN],
            offsets: vec![off],
            min_offset: off,
            max_offset: off,
        };
        while at < hi {
            let probe = at.saturating_add(STEP).min(hi);
            if offset_at(tz, origin, probe)? == off {
                at = probe;
                continue;
            }
            // The first instant in (at, probe] with another offset.
            let (mut a, mut b) = (at, probe);
            while b - a > 1 {
                let m = a + (b - a) / 2;
                if offset_at(tz, origin, m)? == off {
                    a = m;
                } else {
                    b = m;
                }
            }
            off = offset_at(tz, origin, b)?;
            pieces.starts.push(b);
            pieces.offsets.push(off);
            pieces.min_offset = pieces.min_offset.min(off);
            pieces.max_offset = pieces.max_offset.max(off);
            at = b;
        }
        Some(pieces)
    }

    fn each(&self) -> impl Iterator<Item = (i64, i64, i64)> + '_ {
        self.starts
            .iter()
            .zip(&self.offsets)
            .enumerate()
            .map(|(k, (&start, &off))| {
                let end = self.starts.get(k + 1).copied().unwrap_or(i64::MAX);
                (start, end, off)
            })
    }

    /// The first instant whose local time is at or after `local`.
    pub(crate) fn earliest(&self, local: i64) -> Option<i64> {
        self.each()
            .filter_map(|(start, end, off)| {
                let c = start.max(local.checked_sub(off)?);
                (c < end).then_some(c)
            })
            .min()
    }

    /// The instant before which every local time is below `local` and after which none is.
    pub(crate) fn latest(&self, local: i64) -> Option<i64> {
        self.each()
            .filter_map(|(start, end, off)| {
                let c = end.min(local.checked_sub(off)?);
                (c > start).then_some(c)
            })
            .max()
    }
}

/// Open intervals in nanoseconds from an origin, sorted and disjoint (intervals may touch),
/// each with the end of its business day: the end of the last interval of the local day
/// its segment belongs to.
#[derive(Debug, Default)]
pub(crate) struct Intervals {
    pub(crate) starts: Vec<i64>,
    pub(crate) ends: Vec<i64>,
    pub(crate) day_ends: Vec<i64>,
}

/// What to build: the local days `days` (first and last included; each day's segments may
/// run into the next day),
/// whose midnight is `origin_date`'s plus whole days, in nanoseconds from the UTC
/// midnight of `origin_date`; kept within `clip`. With `clip_day_ends`, the ends of
/// business days are read from the intervals within it (an explicit horizon); without,
/// from all of the day's intervals (a year, whose days run on into the next).
pub(crate) struct Job {
    pub(crate) origin_date: NaiveDate,
    pub(crate) days: (NaiveDate, NaiveDate),
    pub(crate) clip: (i64, i64),
    pub(crate) clip_day_ends: bool,
}

/// The open intervals of `rules` for `job`, with the zone's `pieces`.
pub(crate) fn intervals(rules: &Rules, pieces: &Pieces, job: &Job) -> Option<Intervals> {
    let (first, last) = job.days;
    let changes = rules.changes_between(first.pred_opt().unwrap_or(first), last);
    // (start, end, end of its day), unclipped.
    let mut raw: Vec<(i64, i64, i64)> = Vec::new();
    let mut spans: Spans = Vec::new();
    let mut k0 = 0usize;
    // An explicit horizon knows nothing past its ends, business days included.
    let pre = if job.clip_day_ends {
        job.clip
    } else {
        (i64::MIN, i64::MAX)
    };
    let mut date = first;
    while date <= last {
        rules.day(date, &changes, &mut spans);
        let midnight = (date - job.origin_date).num_days().checked_mul(DAY)?;
        let begin = raw.len();
        let mut day_end = i64::MIN;
        for &(s, e) in &spans {
            let (a, b) = (midnight.checked_add(s)?, midnight.checked_add(e)?);
            // The pieces that can hold an instant whose local time is in [a, b).
            let (from, to) = (a - pieces.max_offset, b - pieces.min_offset);
            while pieces.starts.get(k0 + 1).is_some_and(|&next| next <= from) {
                k0 += 1;
            }
            let raw_len_before = raw.len();
            let mut k = k0;
            while let (Some(&start), Some(&off)) = (pieces.starts.get(k), pieces.offsets.get(k)) {
                if start >= to {
                    break;
                }
                let end = pieces.starts.get(k + 1).copied().unwrap_or(i64::MAX);
                let lo = start.max(a - off).max(pre.0);
                let hi = end.min(b - off).min(pre.1);
                if lo < hi {
                    let this_span = raw_len_before < raw.len();
                    match raw.last_mut() {
                        // The two sides of a change of offset that the span runs across
                        // (an hour skipped, or the whole repeated hour): one interval.
                        Some(last) if this_span && last.1 == lo => last.1 = hi,
                        _ => raw.push((lo, hi, 0)),
                    }
                    day_end = day_end.max(hi);
                }
                k += 1;
            }
        }
        for r in raw.get_mut(begin..).into_iter().flatten() {
            r.2 = day_end;
        }
        match date.succ_opt() {
            Some(next) if date < last => date = next,
            _ => break,
        }
    }
    if !raw.is_sorted_by_key(|r| r.0) {
        raw.sort_by_key(|r| r.0);
    }
    // Two days' open time overlaps where an open exception covers a segment that crossed
    // midnight: one interval, ending its business day no earlier than either day did.
    let mut joined: Vec<(i64, i64, i64)> = Vec::with_capacity(raw.len());
    let mut merged = false;
    for r in raw {
        match joined.last_mut() {
            Some(l) if r.0 < l.1 => {
                l.1 = l.1.max(r.1);
                l.2 = l.2.max(r.2).max(l.1);
                merged = true;
            }
            _ => joined.push(r),
        }
    }
    if merged {
        // A business day whose last interval was joined to the next day's ends where the
        // joined interval does.
        let bounds: Vec<(i64, i64)> = joined.iter().map(|r| (r.0, r.1)).collect();
        for r in &mut joined {
            let j = bounds.partition_point(|b| b.1 < r.2);
            if let Some(&(s, e)) = bounds.get(j) {
                if s < r.2 {
                    r.2 = e;
                }
            }
        }
    }
    let (lo, hi) = job.clip;
    let mut out = Intervals::default();
    for (s, e, d) in joined {
        let (s, e) = (s.max(lo), e.min(hi));
        if s < e {
            out.starts.push(s);
            out.ends.push(e);
            out.day_ends.push(d);
        }
    }
    Some(out)
}
