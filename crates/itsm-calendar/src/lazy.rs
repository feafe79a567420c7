//! Calendars without a horizon: one UTC year at a time, compiled the first time a query
//! needs it and kept (pure: the same year always compiles to the same table; thread-safe:
//! each year sits in a `OnceLock`).
//!
//! Queries within a year cost what they cost on an explicit horizon. Queries across years
//! add up per-year totals of open time, and years far from today repeat: outside the years
//! [`ZONE_EARLY`] to [`ZONE_LATE`] (where zones keep one offset, or repeat their rules) and
//! away from dated holidays and exceptions, a year has the same open time as the year 400
//! years before or after it (400 Gregorian years are exactly 20,871 weeks). Such years
//! share one compiled table, and walks over them skip whole 400-year periods; so no query
//! walks more than 400 years of a periodic stretch, whatever its span.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use crate::build::{self, Job, Pieces};
use crate::error::Error;
use crate::flat::Flat;
use crate::rules::{DAY, NS, Rules};
use crate::sparse::Sparse;
use crate::years::*;
use crate::zone::Zone;

/// What a year holds, for walks that do not need its intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Summary {
    /// Open time.
    total: i64,
    /// The run of open time from the year's first instant (0 if closed then).
    head: i64,
    /// The run of open time to the year's end (0 if closed then).
    tail: i64,
    /// The longest run within the year.
    longest: i64,
    /// The year's length.
    len: i64,
}

impl Summary {
    /// The summary of a year of length `len` with these intervals (sorted, disjoint).
    fn of(starts: &[i64], ends: &[i64], len: i64) -> Summary {
        let mut s = Summary {
            total: 0,
            head: 0,
            tail: 0,
            longest: 0,
            len,
        };
        let mut run: Option<(i64, i64)> = None;
        let close = |(start, end): (i64, i64), s: &mut Summary| {
            if start == 0 {
                s.head = end - start;
            }
            if end == len {
                s.tail = end - start;
            }
            s.longest = s.longest.max(end - start);
        };
        for (&a, &b) in starts.iter().zip(ends) {
            s.total += b - a;
            run = match run {
                Some((start, end)) if end == a => Some((start, b)),
                Some(r) => {
                    close(r, &mut s);
                    Some((a, b))
                }
                None => Some((a, b)),
            };
        }
        if let Some(r) = run {
            close(r, &mut s);
        }
        s
    }

    fn full(&self) -> bool {
        self.head == self.len
    }
}

/// A periodic stretch's 400 years, from its first.
#[derive(Debug)]
struct Period {
    /// Open time of the first `k` years, `k` in `0..=400`.
    prefix: Vec<i128>,
    /// The longest run of open time in the stretch (`None`: open throughout).
    longest: Option<i128>,
}

impl Period {
    fn total(&self) -> i128 {
        self.prefix.last().copied().unwrap_or(0)
    }

    /// Open time of `m` years from the `i`-th of the cycle, wrapping around.
    fn cyclic(&self, i: usize, m: usize) -> i128 {
        let p = |k: usize| self.prefix.get(k).copied().unwrap_or(0);
        if i + m <= 400 {
            p(i + m) - p(i)
        } else {
            (self.total() - p(i)) + p(i + m - 400)
        }
    }
}

/// Why a walk over years stopped without an answer.
enum Stop {
    /// Past the instants chrono represents.
    Overflow,
    /// No open time left in that direction.
    Exhausted,
}

/// An open interval as UTC instants.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// A run of open time that reached the end of a year: where it started and its length so
/// far.
type Carry = (i32, i64, i128);

/// See the module docs.
#[derive(Clone)]
pub(crate) struct Lazy {
    pub(crate) name: String,
    pub(crate) rules: Rules,
    pub(crate) zone: Zone,
    /// Years up to `lo` repeat every 400 years, and so do years from `hi` on.
    lo: i32,
    hi: i32,
    years: Sparse<Option<Arc<Flat>>>,
    /// The years from `DENSE_FROM`, which are their own table's year (they lie between
    /// `lo` and `hi + 400`), kept apart for a lookup without levels.
    dense: Box<[OnceLock<Option<Arc<Flat>>>]>,
    /// `Lazy::longest_run`, once.
    longest: Option<i64>,
    summaries: Sparse<Option<Summary>>,
    early: OnceLock<Option<Arc<Period>>>,
    late: OnceLock<Option<Arc<Period>>>,
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lazy")
            .field("name", &self.name)
            .field("zone", &self.zone)
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Lazy {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.zone == other.zone && self.rules == other.rules
    }
}

impl Eq for Lazy {}

impl Lazy {
    pub(crate) fn new(name: String, rules: Rules, zone: Zone) -> Lazy {
        let (mut lo, mut hi) = (ZONE_EARLY, ZONE_LATE);
        if let Some((first, last)) = rules.dated_years() {
            lo = lo.min(first.saturating_sub(2));
            hi = hi.max(last.saturating_add(2));
        }
        let mut lazy = Lazy {
            name,
            rules,
            zone,
            lo: lo.max(min_year() - 1),
            hi: hi.min(max_year() + 1),
            years: Sparse::new(),
            dense: (0..DENSE).map(|_| OnceLock::new()).collect(),
            longest: None,
            summaries: Sparse::new(),
            early: OnceLock::new(),
            late: OnceLock::new(),
        };
        lazy.longest = lazy.longest_run();
        lazy
    }

    /// The year whose table year `y` shares.
    fn rep(&self, y: i32) -> i32 {
        if y >= self.hi {
            self.hi + (y - self.hi) % PERIOD
        } else if y <= self.lo {
            self.lo - (self.lo - y) % PERIOD
        } else {
            y
        }
    }

    fn key(&self, y: i32) -> Option<u32> {
        u32::try_from(self.rep(y).checked_sub(min_year())?).ok()
    }

    /// Whether year `y` can hold open time at all: always for weekly hours, else only
    /// where an open exception falls.
    fn may_open(&self, y: i32) -> bool {
        if self.rules.recurring {
            return true;
        }
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| d.checked_sub_days(Days::new(3))),
            NaiveDate::from_ymd_opt(y, 12, 31).and_then(|d| d.checked_add_days(Days::new(3))),
        ) else {
            return true;
        };
        self.rules
            .changes
            .iter()
            .any(|c| c.open && c.start.date() <= last && c.end.date() >= first)
    }

    /// `Some(open)` when one exception decides all of year `y` (it covers every local day
    /// that reaches the year, and no later exception touches them), as for a closure of
    /// centuries: then the year needs no compiling to be summed.
    fn uniform(&self, y: i32) -> Option<bool> {
        let first = NaiveDate::from_ymd_opt(y, 1, 1)?.checked_sub_days(Days::new(4))?;
        let last = NaiveDate::from_ymd_opt(y, 12, 31)?.checked_add_days(Days::new(4))?;
        let (lo, hi) = (first.and_hms_opt(0, 0, 0)?, last.and_hms_opt(0, 0, 0)?);
        let decisive = self
            .rules
            .changes
            .iter()
            .rev()
            .find(|c| c.start < hi && c.end > lo)?;
        (decisive.start <= lo && decisive.end >= hi).then_some(decisive.open)
    }

    /// Compiles year `y`, keeping each interval's date for building answers.
    fn compile(&self, y: i32) -> Option<Flat> {
        let (intervals, len) = self.intervals(y)?;
        Flat::new(intervals, 0, len, NaiveDate::from_ymd_opt(y, 1, 1))
    }

    /// Year `y`'s open intervals, in nanoseconds from its start, and its length.
    fn intervals(&self, y: i32) -> Option<(build::Intervals, i64)> {
        let origin_date = NaiveDate::from_ymd_opt(y, 1, 1)?;
        let origin = year_start(y);
        let len = (year_start(y + 1) - origin) * NS;
        let first = origin_date
            .checked_sub_days(Days::new(3))
            .unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(y + 1, 1, 1)
            .and_then(|d| d.checked_add_days(Days::new(2)))
            .unwrap_or(NaiveDate::MAX);
        // The zone around the year, within chrono's range.
        let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        let lo = (-4 * DAY).max((min.timestamp() - origin).saturating_mul(NS));
        let hi = (len + 4 * DAY).min((max.timestamp() - origin).saturating_mul(NS));
        let pieces = match self.zone {
            Zone::Utc => Pieces::scan(&Utc, origin, lo, hi),
            Zone::Fixed(offset) => Pieces::scan(&offset, origin, lo, hi),
            #[cfg(feature = "tz")]
            Zone::Iana(tz) => Pieces::scan(&tz, origin, lo, hi),
        }?;
        let job = Job {
            origin_date,
            days: (first, last),
            clip: (0, len),
            clip_day_ends: false,
        };
        Some((build::intervals(&self.rules, &pieces, &job)?, len))
    }

    /// The slot of a dense year.
    #[inline]
    fn dense_slot(&self, y: i32) -> Option<&OnceLock<Option<Arc<Flat>>>> {
        self.dense
            .get(usize::try_from(y.checked_sub(DENSE_FROM)?).ok()?)
    }

    /// Year `y`'s table, if compiled already.
    fn compiled(&self, y: i32) -> Option<&Flat> {
        match self.dense_slot(y) {
            Some(slot) => slot.get()?.as_deref(),
            None => self.years.get(self.key(y)?)?.as_deref(),
        }
    }

    #[inline]
    fn year(&self, y: i32) -> Result<&Flat, Stop> {
        if let Some(slot) = self.dense_slot(y) {
            return slot
                .get_or_init(|| self.compile(y).map(Arc::new))
                .as_deref()
                .ok_or(Stop::Overflow);
        }
        let key = self.key(y).ok_or(Stop::Overflow)?;
        let rep = self.rep(y);
        self.years
            .get_or_init(key, || self.compile(rep).map(Arc::new))
            .and_then(|y| y.as_deref())
            .ok_or(Stop::Overflow)
    }

    fn summary(&self, y: i32) -> Result<Summary, Stop> {
        let key = self.key(y).ok_or(Stop::Overflow)?;
        let rep = self.rep(y);
        let summary = self.summaries.get_or_init(key, || {
            if let Some(flat) = self.compiled(rep) {
                return Some(Summary::of(&flat.starts, &flat.ends, flat.to));
            }
            let len = (year_start(rep + 1) - year_start(rep)) * NS;
            let whole = |open: bool| {
                let all = if open { len } else { 0 };
                Some(Summary {
                    total: all,
                    head: all,
                    tail: all,
                    longest: all,
                    len,
                })
            };
            if !self.may_open(rep) {
                return whole(false);
            }
            if let Some(open) = self.uniform(rep) {
                return whole(open);
            }
            self.intervals(rep)
                .map(|(i, len)| Summary::of(&i.starts, &i.ends, len))
        });
        summary.and_then(|s| *s).ok_or(Stop::Overflow)
    }

    /// The 400 years from `first`.
    fn period_from(&self, first: i32) -> Option<Period> {
        let years: Vec<Summary> = (first..first.checked_add(PERIOD)?)
            .map(|y| self.summary(y).ok())
            .collect::<Option<_>>()?;
        let mut prefix = Vec::with_capacity(years.len() + 1);
        let mut sum: i128 = 0;
        prefix.push(0);
        for s in &years {
            sum += i128::from(s.total);
            prefix.push(sum);
        }
        let longest = if years.iter().all(Summary::full) {
            None
        } else {
            let n = years.len();
            let mut best = years
                .iter()
                .map(|s| i128::from(s.longest))
                .max()
                .unwrap_or(0);
            for (i, s) in years.iter().enumerate() {
                if s.full() || s.tail == 0 {
                    continue;
                }
                let mut run = i128::from(s.tail);
                for k in 1..n {
                    let Some(next) = years.get((i + k) % n) else {
                        break;
                    };
                    if next.full() {
                        run += i128::from(next.len);
                    } else {
                        run += i128::from(next.head);
                        break;
                    }
                }
                best = best.max(run);
            }
            Some(best)
        };
        Some(Period { prefix, longest })
    }

    /// The periodic stretch before `lo` (`late == false`) or from `hi` on; `None` when it
    /// is shorter than a period.
    fn period(&self, late: bool) -> Option<&Period> {
        let (cell, first) = if late {
            (&self.late, self.hi)
        } else {
            (&self.early, self.lo - (PERIOD - 1))
        };
        cell.get_or_init(|| {
            if first < min_year() || first + PERIOD - 1 > max_year() {
                return None;
            }
            self.period_from(first).map(Arc::new)
        })
        .as_deref()
    }

    /// The place of year `y` in its stretch's period.
    fn cycle_index(&self, y: i32) -> usize {
        let i = if y >= self.hi {
            (y - self.hi) % PERIOD
        } else {
            PERIOD - 1 - (self.lo - y) % PERIOD
        };
        usize::try_from(i).unwrap_or(0)
    }

    /// Open time of the years `from..to` of one periodic stretch.
    fn stretch_total(&self, from: i32, to: i32, late: bool) -> Result<i128, Stop> {
        let n = to - from;
        if n >= PERIOD {
            if let Some(p) = self.period(late) {
                let m = usize::try_from(n % PERIOD).unwrap_or(0);
                return Ok(i128::from(n / PERIOD) * p.total() + p.cyclic(self.cycle_index(from), m));
            }
        }
        (from..to).try_fold(0i128, |sum, y| Ok(sum + i128::from(self.summary(y)?.total)))
    }

    /// Open time of the years `from..to`.
    fn years_total(&self, from: i32, to: i32) -> Result<i128, Stop> {
        let mut sum = 0i128;
        let mut y = from;
        while y < to {
            let end = if y <= self.lo {
                to.min(self.lo + 1)
            } else if y >= self.hi {
                to
            } else {
                to.min(self.hi)
            };
            sum += if y <= self.lo || y >= self.hi {
                self.stretch_total(y, end, y >= self.hi)?
            } else {
                (y..end).try_fold(0i128, |s, z| {
                    Ok::<_, Stop>(s + i128::from(self.summary(z)?.total))
                })?
            };
            y = end;
        }
        Ok(sum)
    }

    /// Walks whole years from `z` (forward or backward) to the first whose open time
    /// reaches `need` (at least 1); returns it and what is left of `need` there (in
    /// `1..=its total`).
    fn walk(&self, mut z: i32, mut need: i128, forward: bool) -> Result<(i32, i128), Stop> {
        let step = if forward { 1 } else { -1 };
        // Years walked one by one in the current periodic stretch.
        let mut walked = 0;
        loop {
            if z < min_year() || z > max_year() {
                return Err(Stop::Overflow);
            }
            let (early, late) = (z <= self.lo, z >= self.hi);
            if early || late {
                walked += 1;
                if walked > PERIOD {
                    if let Some(p) = self.period(late) {
                        // Towards the stretch's open end no year will do; towards the
                        // other years, skip to them.
                        if p.total() == 0 {
                            match (forward, late) {
                                (true, true) | (false, false) => return Err(Stop::Exhausted),
                                (true, false) => z = self.lo + 1,
                                (false, true) => z = self.hi - 1,
                            }
                            walked = 0;
                            continue;
                        }
                        let room = match (forward, late) {
                            (true, false) => (self.lo + 1 - z) / PERIOD,
                            (false, true) => (z - self.hi + 1) / PERIOD,
                            _ => i32::MAX,
                        };
                        let k = ((need - 1) / p.total()).min(i128::from(room));
                        if k > 0 {
                            let years = i32::try_from(k * i128::from(PERIOD))
                                .map_err(|_| Stop::Overflow)?;
                            z = z.checked_add(step * years).ok_or(Stop::Overflow)?;
                            need -= k * p.total();
                            continue;
                        }
                    }
                }
            } else {
                walked = 0;
            }
            let total = i128::from(self.summary(z)?.total);
            if need <= total {
                return Ok((z, need));
            }
            need -= total;
            z += step;
        }
    }

    fn stopped(&self, stop: Stop, what: &'static str, at: DateTime<Utc>) -> Error {
        match stop {
            Stop::Overflow => Error::DateOverflow { what, at },
            Stop::Exhausted => Error::OutOfOpenTime {
                calendar: self.name.clone(),
                what,
                at,
            },
        }
    }

    fn instant(
        &self,
        y: i32,
        rel: i64,
        what: &'static str,
        at: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, Error> {
        to_instant(y, rel).ok_or(Error::DateOverflow { what, at })
    }

    /// The instant `rel` into year `y`, known to lie in interval `i` of its table: built from
    /// the interval's date when the table is the year's own.
    #[inline]
    fn instant_in(
        &self,
        y: i32,
        year: &Flat,
        i: usize,
        rel: i64,
        what: &'static str,
        at: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, Error> {
        if y == self.rep(y) {
            if let Some(t) = year.instant_on(i, rel) {
                return Ok(t);
            }
        }
        self.instant(y, rel, what, at)
    }

    // Out of line: the explicit horizon's queries, which share their callers, stay small.
    #[inline(never)]
    pub(crate) fn is_open<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> Result<bool, Error> {
        let (y, rel) = split(t);
        let year = self
            .year(y)
            .map_err(|s| self.stopped(s, "the query", t.to_utc()))?;
        Ok(year.is_open(rel))
    }

    /// The first year from `y` on (or back) with open time.
    fn first_open_year(&self, y: i32, forward: bool) -> Result<i32, Stop> {
        self.walk(y, 1, forward).map(|(z, _)| z)
    }

    // Out of line: the explicit horizon's queries, which share their callers, stay small.
    #[inline(never)]
    pub(crate) fn next_open<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> Result<DateTime<Utc>, Error> {
        const WHAT: &str = "the next opening";
        let at = t.to_utc();
        let (y, rel) = split(t);
        let year = self.year(y).map_err(|s| self.stopped(s, WHAT, at))?;
        let i = year.locate(rel);
        if let Some(&s) = year.starts.get(i) {
            return self.instant_in(y, year, i, s.max(rel), WHAT, at);
        }
        let z = self
            .first_open_year(y + 1, true)
            .map_err(|s| self.stopped(s, WHAT, at))?;
        let first = self.year(z).ok().and_then(|f| f.starts.first().copied());
        match first {
            Some(s) => self.instant(z, s, WHAT, at),
            None => Err(Error::DateOverflow { what: WHAT, at }),
        }
    }

    /// Business time between `a` and `b`, in nanoseconds.
    // Out of line: the explicit horizon's queries, which share their callers, stay small.
    #[inline(never)]
    pub(crate) fn duration<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        a: &DateTime<Tz1>,
        b: &DateTime<Tz2>,
    ) -> Result<i128, Error> {
        let ((ya, ra), (yb, rb)) = (split(a), split(b));
        if (ya, ra) > (yb, rb) {
            return self.duration(b, a).map(|d| -d);
        }
        let fail = |s| self.stopped(s, "the duration", a.to_utc());
        let first = self.year(ya).map_err(fail)?;
        if ya == yb {
            return Ok(i128::from(first.position(rb) - first.position(ra)));
        }
        let head = i128::from(first.total() - first.position(ra));
        let middle = self.years_total(ya + 1, yb).map_err(fail)?;
        let last = i128::from(self.year(yb).map_err(fail)?.position(rb));
        Ok(head + middle + last)
    }

    /// Whether `[a, b)` is all open time (an empty window is; a reversed one is not).
    /// Within one year the interval holding `a` answers (the window starts closed, or ends
    /// inside the interval); otherwise the open time between them must be the wall time.
    // Out of line: the explicit horizon's queries, which share their callers, stay small.
    #[inline(never)]
    pub(crate) fn covers<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        a: &DateTime<Tz1>,
        b: &DateTime<Tz2>,
    ) -> Result<bool, Error> {
        if b.naive_utc() < a.naive_utc() {
            return Ok(false);
        }
        let ((ya, ra), (yb, rb)) = (split(a), split(b));
        if ya == yb && ra < rb {
            let year = self
                .year(ya)
                .map_err(|s| self.stopped(s, "the duration", a.to_utc()))?;
            let i = year.locate(ra);
            return Ok(match (year.starts.get(i), year.ends.get(i)) {
                // Open at `a` until `b` or later.
                (Some(&s), Some(&e)) if s <= ra && rb <= e => true,
                // Open at `a`, closing before `b`: covered only if the next intervals
                // follow on without a gap.
                (Some(&s), _) if s <= ra => year.position(rb) - year.position(ra) == rb - ra,
                // Closed at `a`.
                _ => false,
            });
        }
        let wall = crate::calendar::wide(b.to_utc() - a.to_utc());
        Ok(self.duration(a, b)? == wall)
    }

    // Out of line: the explicit horizon's queries, which share their callers, stay small.
    #[inline(never)]
    pub(crate) fn add<Tz: TimeZone>(
        &self,
        start: &DateTime<Tz>,
        d: i128,
    ) -> Result<DateTime<Utc>, Error> {
        const WHAT: &str = "adding the duration";
        let at = start.to_utc();
        if d == 0 {
            return Ok(at);
        }
        let fail = |s| self.stopped(s, WHAT, at);
        let (y, rel) = split(start);
        let (to_end, from_start) = wall_left(start);
        if self.rules.recurring && (d > to_end || -d > from_start) {
            return Err(Error::DateOverflow { what: WHAT, at });
        }
        let year = self.year(y).map_err(fail)?;
        let p = year.position(rel);
        let (z, target) = if d > 0 {
            let left = i128::from(year.total() - p);
            if d <= left {
                (y, i128::from(p) + d)
            } else {
                self.walk(y + 1, d - left, true).map_err(fail)?
            }
        } else if -d <= i128::from(p) {
            (y, i128::from(p) + d)
        } else {
            let (z, need) = self.walk(y - 1, -d - i128::from(p), false).map_err(fail)?;
            let total = i128::from(self.year(z).map_err(fail)?.total());
            (z, total - need)
        };
        let target = i64::try_from(target).map_err(|_| Error::DateOverflow { what: WHAT, at })?;
        let year = self.year(z).map_err(fail)?;
        let (i, x) = year
            .at_position(target, d > 0)
            .ok_or(Error::DateOverflow { what: WHAT, at })?;
        self.instant_in(z, year, i, x, WHAT, at)
    }

    // Out of line: the explicit horizon's queries, which share their callers, stay small.
    #[inline(never)]
    pub(crate) fn end_of_business_day<Tz: TimeZone>(
        &self,
        t: &DateTime<Tz>,
    ) -> Result<DateTime<Utc>, Error> {
        const WHAT: &str = "the end of the business day";
        let at = t.to_utc();
        let fail = |s| self.stopped(s, WHAT, at);
        let (y, rel) = split(t);
        let year = self.year(y).map_err(fail)?;
        if let Some(&end) = year.day_ends.get(year.locate(rel)) {
            return self.instant(y, end, WHAT, at);
        }
        let z = self.first_open_year(y + 1, true).map_err(fail)?;
        match self.year(z).map_err(fail)?.day_ends.first() {
            Some(&end) => self.instant(z, end, WHAT, at),
            None => Err(Error::DateOverflow { what: WHAT, at }),
        }
    }

    /// An upper bound on any run of open time, in wall time, if one is known cheaply.
    ///
    /// A run's local times fall in one stretch of local open time, of at most `l`
    /// ([`Rules::longest_run`]); a fixed zone never changes, so `l` is the bound. Between
    /// two changes of offset a run covers each local time at most once, so it lasts at
    /// most `l` there. The changes of IANA zones are more than six days apart and under 30
    /// hours each: a stretch under six days therefore meets at most one change (two would
    /// put six days between them inside the run), and its runs last at most `2 l`; any
    /// run of wall time `w` has `w <= l + (w / 6 days + 1) * 30 hours`, so
    /// `w <= (l + 2 days) * 4 / 3`.
    fn longest_run(&self) -> Option<i64> {
        let local = self.rules.longest_run()?;
        match self.zone {
            Zone::Utc | Zone::Fixed(_) => Some(local),
            #[cfg(feature = "tz")]
            Zone::Iana(_) => {
                let any = local.checked_add(2 * DAY)?.checked_mul(4)? / 3;
                Some(if local < 6 * DAY {
                    any.min(2 * local)
                } else {
                    any
                })
            }
        }
    }

    /// The first instant from `t` on that starts `need` nanoseconds of uninterrupted open
    /// time.
    // Out of line: the explicit horizon's queries, which share their callers, stay small.
    #[inline(never)]
    pub(crate) fn next_fit<Tz: TimeZone>(
        &self,
        t: &DateTime<Tz>,
        need: i128,
    ) -> Result<Option<DateTime<Utc>>, Error> {
        const WHAT: &str = "the next window";
        let at = t.to_utc();
        let fail = |s| self.stopped(s, WHAT, at);
        if need > wall_left(t).0 || self.longest.is_some_and(|l| need > i128::from(l)) {
            return Ok(None);
        }
        let (y, rel) = split(t);
        let found = |z: i32, x: i64| self.instant(z, x, WHAT, at).map(Some);
        let year = self.year(y).map_err(fail)?;
        let mut carry: Option<Carry> = None;
        match scan(year, year.locate(rel), rel, need) {
            Scan::Found(x) => return found(y, x),
            Scan::Carry(x, len) => carry = Some((y, x, len)),
            Scan::None => {}
        }
        let mut z = y;
        loop {
            z += 1;
            if z > max_year() {
                return Ok(None);
            }
            if carry.is_none() {
                // A fit that is not found within a period is never found.
                if z >= self.hi {
                    if let Some(p) = self.period(true) {
                        if p.longest.is_some_and(|l| need > l) {
                            return Ok(None);
                        }
                    }
                }
                // Nothing long enough starts before the last period of the early stretch.
                if z + PERIOD < self.lo {
                    if let Some(p) = self.period(false) {
                        if p.longest.is_some_and(|l| need > l) {
                            z = self.lo - PERIOD - 1;
                            continue;
                        }
                    }
                }
            }
            // A run through years open throughout: to the end of chrono's range (which
            // holds `need`, checked above), or to the end of the early stretch.
            if let Some((cy, cx, len)) = carry {
                if z >= self.hi && self.period(true).is_some_and(|p| p.longest.is_none()) {
                    let start = self.instant(cy, cx, WHAT, at)?;
                    return Ok((need <= wall_left(&start).0).then_some(start));
                }
                if z < self.lo && self.period(false).is_some_and(|p| p.longest.is_none()) {
                    let wall = i128::from(year_start(self.lo + 1) - year_start(z)) * i128::from(NS);
                    if len + wall >= need {
                        return found(cy, cx);
                    }
                    carry = Some((cy, cx, len + wall));
                    z = self.lo;
                    continue;
                }
            }
            let s = self.summary(z).map_err(fail)?;
            let mut skip_head = false;
            if let Some((cy, cx, len)) = carry.take() {
                if s.head > 0 {
                    let len = len + i128::from(s.head);
                    if len >= need {
                        return found(cy, cx);
                    }
                    if s.full() {
                        carry = Some((cy, cx, len));
                        continue;
                    }
                    skip_head = true;
                }
            }
            if s.total == 0 || (i128::from(s.longest) < need && s.tail == 0) {
                continue;
            }
            let year = self.year(z).map_err(fail)?;
            let from = if skip_head {
                year.runs_from(0, 0).next().map_or(0, |(_, _, k)| k + 1)
            } else {
                0
            };
            match scan(year, from, 0, need) {
                Scan::Found(x) => return found(z, x),
                Scan::Carry(x, len) => carry = Some((z, x, len)),
                Scan::None => {}
            }
        }
    }

    /// The open intervals that meet `[a, b)`, clipped to it, in nanoseconds from the Unix
    /// epoch as `(year, rel)` pairs turned into instants; the parts of an interval split
    /// at the end of a UTC year joined again.
    // Out of line: the explicit horizon's queries, which share their callers, stay small.
    #[inline(never)]
    pub(crate) fn intervals_between<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        a: &DateTime<Tz1>,
        b: &DateTime<Tz2>,
    ) -> Result<Vec<Span>, Error> {
        const WHAT: &str = "the open intervals";
        let at = a.to_utc();
        let fail = |s| self.stopped(s, WHAT, at);
        let ((ya, ra), (yb, rb)) = (split(a), split(b));
        let mut out: Vec<(DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        let mut y = ya;
        while y <= yb {
            let year = self.year(y).map_err(fail)?;
            let lo = if y == ya { ra } else { 0 };
            let hi = if y == yb { rb } else { year.to };
            for i in year.locate(lo)..year.len() {
                let (Some(&s), Some(&e), Some(&d)) =
                    (year.starts.get(i), year.ends.get(i), year.day_ends.get(i))
                else {
                    break;
                };
                let (s, e) = (s.max(lo), e.min(hi));
                if s >= e {
                    if s >= hi {
                        break;
                    }
                    continue;
                }
                let (s, e, d) = (
                    self.instant(y, s, WHAT, at)?,
                    self.instant(y, e, WHAT, at)?,
                    self.instant(y, d, WHAT, at)?,
                );
                match out.last_mut() {
                    // One interval split where the year ends: the same business day.
                    Some(last) if i == 0 && y != ya && last.1 == s && last.2 == d => {
                        last.1 = e;
                    }
                    _ => out.push((s, e, d)),
                }
            }
            y += 1;
        }
        Ok(out.into_iter().map(|(s, e, _)| (s, e)).collect())
    }

    /// The open intervals of chrono's whole range, year after year.
    pub(crate) fn all_intervals(
        &self,
    ) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        let mut pending: Option<(DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)> = None;
        let mut years = min_year()..=max_year();
        let mut current: std::vec::IntoIter<(DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)> =
            Vec::new().into_iter();
        std::iter::from_fn(move || {
            loop {
                let next = match current.next() {
                    Some(x) => Some(x),
                    None => match years.next() {
                        Some(y) => {
                            current = self.year_intervals(y).into_iter();
                            continue;
                        }
                        None => None,
                    },
                };
                match (pending.take(), next) {
                    (None, None) => return None,
                    (Some(p), None) => return Some((p.0, p.1)),
                    (None, Some(n)) => pending = Some(n),
                    // One interval split where a year ends.
                    (Some(p), Some(n)) if p.1 == n.0 && p.2 == n.2 => {
                        pending = Some((p.0, n.1, p.2))
                    }
                    (Some(p), Some(n)) => {
                        pending = Some(n);
                        return Some((p.0, p.1));
                    }
                }
            }
        })
    }

    /// Year `y`'s intervals with the ends of their business days.
    fn year_intervals(&self, y: i32) -> Vec<(DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)> {
        let Ok(year) = self.year(y) else {
            return Vec::new();
        };
        year.starts
            .iter()
            .zip(&year.ends)
            .zip(&year.day_ends)
            .filter_map(|((&s, &e), &d)| {
                Some((to_instant(y, s)?, to_instant(y, e)?, to_instant(y, d)?))
            })
            .collect()
    }

    /// All the open time in chrono's range.
    pub(crate) fn total_open(&self) -> Option<i128> {
        self.years_total(min_year(), max_year() + 1).ok()
    }
}

/// What a scan of one year's runs found.
enum Scan {
    /// A run long enough, from this instant.
    Found(i64),
    /// A run that reaches the year's end: its start and length so far.
    Carry(i64, i128),
    None,
}

fn scan(year: &Flat, from: usize, floor: i64, need: i128) -> Scan {
    for (start, end, _) in year.runs_from(from, floor) {
        let len = i128::from(end - start);
        if len >= need {
            return Scan::Found(start);
        }
        if end == year.to {
            return Scan::Carry(start, len);
        }
    }
    Scan::None
}
