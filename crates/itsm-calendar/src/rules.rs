//! A spec, checked and put in the form the compiler reads: each weekday's open time in
//! nanoseconds from its midnight, holidays as a sorted list and a bitmap, exceptions in
//! order.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::error::Error;
use crate::spec::{CalendarSpec, Holiday, Segment};

pub(crate) const NS: i64 = 1_000_000_000;
pub(crate) const DAY: i64 = 86_400 * NS;

/// Open time `[start, end)` in nanoseconds since a local midnight, sorted and disjoint
/// (touching spans joined). Nanoseconds, not seconds: exceptions are `NaiveDateTime`s and
/// may start or end between whole seconds.
pub(crate) type Spans = Vec<(i64, i64)>;

const DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// One exception, in local time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    pub(crate) open: bool,
}

/// A checked spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rules {
    /// Each weekday's segments (Monday first), in nanoseconds from its midnight; a segment
    /// that crosses midnight ends past `DAY` (before `2 * DAY`).
    week: [Spans; 7],
    /// Yearly holidays: bit `month * 32 + day`.
    yearly: [u64; 7],
    /// Dated holidays, sorted, without repeats.
    dated: Vec<NaiveDate>,
    /// Exceptions in list order.
    pub(crate) changes: Vec<Change>,
    /// Whether the weekly hours open on some day that is not a yearly holiday: then the
    /// calendar opens in every 400 years (a date falls on every weekday within them).
    pub(crate) recurring: bool,
}

fn label(s: &Segment) -> String {
    s.to_string()
}

fn yearly_bit(month: u32, day: u32) -> Option<(usize, u64)> {
    let bit = month.checked_mul(32)?.checked_add(day)?;
    let word = usize::try_from(bit / 64).ok()?;
    (word < 7).then_some((word, 1u64 << (bit % 64)))
}

impl Rules {
    /// Checks `spec`: segments per day in week order (each one, then overlaps), then
    /// segments that cross midnight against the next day's, then yearly holidays, then
    /// exceptions.
    pub(crate) fn new(spec: &CalendarSpec) -> Result<Rules, Error> {
        let calendar = || spec.name.clone();
        let mut week: [Spans; 7] = Default::default();
        for (day, slot) in DAYS.into_iter().zip(week.iter_mut()) {
            let mut segments = spec.week.day(day).to_vec();
            for s in &segments {
                if s.start == s.end || s.start.seconds() >= 86_400 {
                    return Err(Error::InvalidSegment {
                        calendar: calendar(),
                        day,
                        start: s.start.to_string(),
                        end: s.end.to_string(),
                    });
                }
            }
            segments.sort_by_key(Segment::span);
            for pair in segments.windows(2) {
                if let [a, b] = pair {
                    if b.span().0 < a.span().1 {
                        return Err(Error::OverlappingSegments {
                            calendar: calendar(),
                            day,
                            first: label(a),
                            second: label(b),
                        });
                    }
                }
            }
            for s in &segments {
                let (start, end) = s.span();
                union(slot, (i64::from(start) * NS, i64::from(end) * NS));
            }
        }
        for day in DAYS {
            let next = day.succ();
            let mut overnight: Vec<&Segment> = spec
                .week
                .day(day)
                .iter()
                .filter(|s| s.crosses_midnight())
                .collect();
            overnight.sort_by_key(|s| s.span());
            let mut following: Vec<&Segment> = spec.week.day(next).iter().collect();
            following.sort_by_key(|s| s.span());
            for o in &overnight {
                if let Some(s) = following.iter().find(|s| s.start < o.end) {
                    return Err(Error::OvernightOverlap {
                        calendar: calendar(),
                        day,
                        overnight: label(o),
                        next,
                        segment: label(s),
                    });
                }
            }
        }
        let mut yearly = [0u64; 7];
        let mut dated = Vec::new();
        for h in &spec.holidays {
            match h {
                Holiday::Date { date, .. } => dated.push(*date),
                Holiday::Yearly {
                    month, day, name, ..
                } => {
                    // 2000 is a leap year, so 29 February passes.
                    let bit = NaiveDate::from_ymd_opt(2000, *month, *day)
                        .and_then(|_| yearly_bit(*month, *day));
                    let Some((word, bit)) = bit else {
                        return Err(Error::InvalidHoliday {
                            calendar: calendar(),
                            name: name.clone(),
                            month: *month,
                            day: *day,
                        });
                    };
                    if let Some(w) = yearly.get_mut(word) {
                        *w |= bit;
                    }
                }
            }
        }
        dated.sort_unstable();
        dated.dedup();
        let mut changes = Vec::with_capacity(spec.exceptions.len());
        for x in &spec.exceptions {
            if x.start >= x.end {
                return Err(Error::InvalidException {
                    calendar: calendar(),
                    name: x.name.clone(),
                    start: x.start,
                    end: x.end,
                });
            }
            changes.push(Change {
                start: x.start,
                end: x.end,
                open: x.open,
            });
        }
        let open_weekly = week.iter().any(|d| !d.is_empty());
        let mut day = NaiveDate::from_ymd_opt(2000, 1, 1);
        let mut some_working_date = false;
        while let Some(d) = day.filter(|d| d.year() == 2000) {
            if yearly_bit(d.month(), d.day())
                .and_then(|(w, b)| yearly.get(w).map(|x| x & b == 0))
                .unwrap_or(false)
            {
                some_working_date = true;
                break;
            }
            day = d.succ_opt();
        }
        Ok(Rules {
            week,
            yearly,
            dated,
            changes,
            recurring: open_weekly && some_working_date,
        })
    }

    /// An upper bound on any stretch of uninterrupted local open time, in nanoseconds;
    /// `None` when nothing but dated entries ever closes it. A stretch is the week's longest
    /// (or, for a week open around the clock, the longest between two yearly holidays), or a
    /// chain of open exceptions and such stretches between and around them.
    pub(crate) fn longest_run(&self) -> Option<i64> {
        // The week twice over, so that runs across Sunday night count whole.
        let mut open: Spans = Vec::new();
        for copy in 0..2 {
            for (d, spans) in self.week.iter().enumerate() {
                let base = (i64::try_from(d).ok()? + 7 * copy) * DAY;
                for &(s, e) in spans {
                    union(&mut open, (base + s, base + e));
                }
            }
        }
        let weekly = if open.first().is_some_and(|&(s, e)| s <= 0 && e >= 14 * DAY) {
            // Open around the clock: only yearly holidays end a stretch, the segments of
            // the day before running into them by at most a day.
            let mut days: Vec<i64> = (0..13u32)
                .flat_map(|m| (0..32u32).map(move |d| (m, d)))
                .filter(|&(m, d)| {
                    yearly_bit(m, d)
                        .is_some_and(|(w, b)| self.yearly.get(w).is_some_and(|x| x & b != 0))
                })
                .filter_map(|(m, d)| NaiveDate::from_ymd_opt(2000, m, d))
                .map(|d| i64::from(d.ordinal0()))
                .collect();
            let first = *days.first()?;
            days.push(first + 366);
            let gap = days.windows(2).map(|w| match w {
                [a, b] => b - a - 1,
                _ => 0,
            });
            // Segments crossing midnight run into a holiday by at most their end.
            let spill = self
                .week
                .iter()
                .flatten()
                .map(|&(_, e)| (e - DAY).max(0))
                .max()
                .unwrap_or(0);
            gap.max()?.checked_mul(DAY)?.checked_add(spill)?
        } else {
            open.iter().map(|(s, e)| e - s).max().unwrap_or(0)
        };
        let mut local: i64 = weekly;
        for c in self.changes.iter().filter(|c| c.open) {
            let length = c
                .end
                .signed_duration_since(c.start)
                .num_nanoseconds()
                .unwrap_or(i64::MAX);
            local = local.saturating_add(length).saturating_add(weekly);
        }
        Some(local)
    }

    /// Whether any exception opens time.
    pub(crate) fn opens_by_exception(&self) -> bool {
        self.changes.iter().any(|c| c.open)
    }

    pub(crate) fn is_holiday(&self, date: NaiveDate) -> bool {
        let yearly = yearly_bit(date.month(), date.day())
            .and_then(|(w, b)| self.yearly.get(w).map(|x| x & b != 0))
            .unwrap_or(false);
        yearly || self.dated.binary_search(&date).is_ok()
    }

    /// The first and last years (local) that a dated holiday or an exception touches.
    pub(crate) fn dated_years(&self) -> Option<(i32, i32)> {
        let years = self.dated.iter().map(|d| d.year()).chain(
            self.changes
                .iter()
                .flat_map(|c| [c.start.year(), c.end.year()]),
        );
        years.fold(None, |acc, y| match acc {
            None => Some((y, y)),
            Some((lo, hi)) => Some((lo.min(y), hi.max(y))),
        })
    }

    /// The indices of the exceptions that touch the local days `from..to` (the window of
    /// each day's open time runs to the end of the next day).
    pub(crate) fn changes_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<usize> {
        let lo = from.and_time(NaiveTime::MIN);
        let hi = to
            .checked_add_signed(Duration::days(2))
            .unwrap_or(NaiveDate::MAX)
            .and_time(NaiveTime::MIN);
        self.changes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.end > lo && c.start < hi)
            .map(|(i, _)| i)
            .collect()
    }

    /// The open time of the segments that start on local day `date`, in nanoseconds from
    /// its midnight (up to `2 * DAY`: a segment may cross midnight), after holidays and the
    /// exceptions `changes` (indices, in list order). An open exception opens the part that
    /// falls on `date` itself; a closed one closes whatever it covers.
    pub(crate) fn day(&self, date: NaiveDate, changes: &[usize], out: &mut Spans) {
        out.clear();
        if !self.is_holiday(date) {
            let weekday = usize::try_from(date.weekday().num_days_from_monday()).unwrap_or(0);
            if let Some(week) = self.week.get(weekday) {
                out.extend_from_slice(week);
            }
        }
        for c in changes.iter().filter_map(|&i| self.changes.get(i)) {
            let window = if c.open { DAY } else { 2 * DAY };
            if let Some(part) = clip(date, c.start, c.end, window) {
                if c.open {
                    union(out, part);
                } else {
                    subtract(out, part);
                }
            }
        }
    }
}

/// The part of `[start, end)` in the `window` nanoseconds from `day`'s midnight.
fn clip(
    day: NaiveDate,
    start: NaiveDateTime,
    end: NaiveDateTime,
    window: i64,
) -> Option<(i64, i64)> {
    let midnight = day.and_time(NaiveTime::MIN);
    // Clamped before converting to nanoseconds, which would overflow for a date centuries
    // away.
    let since = |t: NaiveDateTime| {
        let d = t.signed_duration_since(midnight);
        if d <= Duration::zero() {
            0
        } else {
            d.num_nanoseconds().map_or(window, |n| n.min(window))
        }
    };
    let (s, e) = (since(start), since(end));
    (s < e).then_some((s, e))
}

fn union(set: &mut Spans, add: (i64, i64)) {
    set.push(add);
    set.sort_unstable();
    let mut merged: Spans = Vec::with_capacity(set.len());
    for &(s, e) in set.iter() {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *set = merged;
}

fn subtract(set: &mut Spans, cut: (i64, i64)) {
    let mut out = Vec::with_capacity(set.len() + 1);
    for &(s, e) in set.iter() {
        if e <= cut.0 || s >= cut.1 {
            out.push((s, e));
            continue;
        }
        if s < cut.0 {
            out.push((s, cut.0));
        }
        if e > cut.1 {
            out.push((cut.1, e));
        }
    }
    *set = out;
}
