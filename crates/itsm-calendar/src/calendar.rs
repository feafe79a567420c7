//! The compiled calendar and its queries.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc, Weekday,
};

use crate::error::Error;
use crate::spec::{CalendarSpec, Holiday, Segment, TimeOfDay};

const NANOS_PER_SEC: i64 = 1_000_000_000;
const DAY: i64 = 86_400 * NANOS_PER_SEC;
/// The longest horizon [`Calendar::compile`] accepts.
pub const MAX_HORIZON_YEARS: u32 = 200;

/// A calendar compiled for fast queries: its open time as sorted UTC intervals over a
/// horizon, with prefix sums of open time and two O(1) lookup tables (by instant and by
/// business time). Build it once with [`Calendar::compile`]; every query after that is
/// O(1) on average and never walks day by day.
///
/// Intervals are half-open: open at their start, closed at their end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    /// Horizon, in nanoseconds since the Unix epoch.
    from: i64,
    to: i64,
    starts: Vec<i64>,
    ends: Vec<i64>,
    /// Open time up to the end of interval `i`.
    cum_end: Vec<i64>,
    /// Open time before interval `i` (one more entry than intervals: the total).
    cum_start: Vec<i64>,

    /// The UTC date each interval starts on, and that date's midnight in nanoseconds (to
    /// build answers without calendar arithmetic).
    dates: Vec<(NaiveDate, i64)>,
    /// Local business day (days since the horizon's first day) of each interval.
    day: Vec<u32>,
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

/// Step loops up to this many iterations run branch-free.
const FIXED_STEPS: u32 = 4;

fn nanos<Tz: TimeZone>(t: &DateTime<Tz>) -> Option<i64> {
    t.timestamp()
        .checked_mul(NANOS_PER_SEC)?
        .checked_add(i64::from(t.timestamp_subsec_nanos()))
}

fn instant(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

/// The instant of a local time, as an opening (`closing == false`) or a closing boundary.
///
/// An ambiguous local time opens at its earlier instant and closes at its later one, so a
/// segment keeps the repeated time it covers; but a closing time that *starts* the repeat
/// (01:00 when 02:00 falls back to 01:00, or 24:00 when 01:00 falls back to 00:00) closes at
/// its earlier instant: the segment covers none of the repeated time, and closing later
/// would give it the whole first pass of the repeat (and make the next day's first segment
/// overlap it). A local time that a jump skips resolves, either way, to the instant the jump
/// ends.
fn resolve<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime, closing: bool) -> Option<i64> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => nanos(&t),
        LocalResult::Ambiguous(early, late) => {
            // Whether the local time was already at or past `local` just before `late`:
            // `late` is then the instant the clocks went back to `local`.
            let starts_repeat = late
                .clone()
                .checked_sub_signed(Duration::nanoseconds(1))
                .is_some_and(|before| before.naive_local() >= local);
            if closing && !starts_repeat {
                nanos(&late)
            } else {
                nanos(&early)
            }
        }
        LocalResult::None => end_of_jump(tz, local),
    }
}

/// The instant a jump over the skipped local time `local` ends.
fn end_of_jump<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> Option<i64> {
    // Real zones skip at most a few hours: step by minutes past the end of the jump...
    let mut probe = local;
    for _ in 0..=(24 * 60) {
        probe = probe.checked_add_signed(Duration::minutes(1))?;
        probe = probe.with_second(0)?.with_nanosecond(0)?;
        let Some(mut t) = tz.from_local_datetime(&probe).earliest() else {
            continue;
        };
        // ...then back by seconds to its exact end: offsets of local mean time are not
        // whole minutes (Berlin went from +0:53:28 to +1:00 at midnight on 1 April 1893,
        // skipping 00:00:00 to 00:06:32).
        for _ in 0..60 {
            let Some(before) = probe.checked_sub_signed(Duration::seconds(1)) else {
                break;
            };
            match tz.from_local_datetime(&before).earliest() {
                Some(b) if before >= local => {
                    probe = before;
                    t = b;
                }
                _ => break,
            }
        }
        return nanos(&t);
    }
    None
}

use chrono::Timelike;

fn segment_text(s: &Segment) -> String {
    format!("{}-{}", s.start, s.end)
}

/// Per-day open time `[start, end)` in nanoseconds since local midnight, within `0..=DAY`,
/// sorted and disjoint. Nanoseconds, not seconds: exceptions are `NaiveDateTime`s and may
/// start or end between whole seconds.
type DaySet = Vec<(i64, i64)>;

fn union(set: &mut DaySet, add: (i64, i64)) {
    set.push(add);
    set.sort_unstable();
    let mut merged: DaySet = Vec::with_capacity(set.len());
    for &(s, e) in set.iter() {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *set = merged;
}

fn subtract(set: &mut DaySet, cut: (i64, i64)) {
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

fn check_spec(spec: &CalendarSpec) -> Result<(), Error> {
    const DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    for day in DAYS {
        let mut segments = spec.week.day(day).to_vec();
        for s in &segments {
            if s.start >= s.end {
                return Err(Error::InvertedSegment {
                    calendar: spec.name.clone(),
                    day,
                    start: s.start.to_string(),
                    end: s.end.to_string(),
                });
            }
        }
        segments.sort();
        for pair in segments.windows(2) {
            if let [a, b] = pair {
                if b.start < a.end {
                    return Err(Error::OverlappingSegments {
                        calendar: spec.name.clone(),
                        day,
                        first: segment_text(a),
                        second: segment_text(b),
                    });
                }
            }
        }
    }
    for h in &spec.holidays {
        if let Holiday::Yearly { month, day, name } = h {
            // 2000 is a leap year, so 29 February passes.
            if NaiveDate::from_ymd_opt(2000, *month, *day).is_none() {
                return Err(Error::InvalidHoliday {
                    calendar: spec.name.clone(),
                    name: name.clone(),
                    month: *month,
                    day: *day,
                });
            }
        }
    }
    for x in &spec.exceptions {
        if x.start >= x.end {
            return Err(Error::InvertedException {
                calendar: spec.name.clone(),
                name: x.name.clone(),
                start: x.start,
                end: x.end,
            });
        }
    }
    Ok(())
}

fn is_holiday(spec: &CalendarSpec, date: NaiveDate) -> bool {
    spec.holidays.iter().any(|h| match h {
        Holiday::Date { date: d, .. } => *d == date,
        Holiday::Yearly { month, day, .. } => date.month() == *month && date.day() == *day,
    })
}

/// The part of `day` covered by `[start, end)`, clipped to the day, in nanoseconds since
/// its midnight.
fn clip(day: NaiveDate, start: NaiveDateTime, end: NaiveDateTime) -> Option<(i64, i64)> {
    let day_start = day.and_time(NaiveTime::MIN);
    // Clamped before converting to nanoseconds, which would overflow for a date centuries away.
    let since = |t: NaiveDateTime| {
        let d = t.signed_duration_since(day_start);
        if d <= Duration::zero() {
            0
        } else {
            d.num_nanoseconds().map_or(DAY, |n| n.min(DAY))
        }
    };
    let (s, e) = (since(start), since(end));
    (s < e).then_some((s, e))
}

impl Calendar {
    /// Compiles `spec` in time zone `tz` for the local days `from` (included) to `to`
    /// (excluded).
    ///
    /// Local times are resolved once, here: a segment boundary that daylight saving makes
    /// ambiguous opens at the earlier instant and closes at the later one (the segment keeps
    /// the repeated hour), except a closing time at which the repeat starts (`01:00` when
    /// `02:00` falls back to `01:00`): the segment covers none of the repeat, so it closes at
    /// the earlier instant. One that daylight saving skips moves to the end of the jump (the
    /// segment loses the skipped time). Holidays close whole days; exceptions then apply in
    /// list order. The horizon runs from the first instant of `from` to the instant at which
    /// the last day's `24:00` closes.
    ///
    /// # Errors
    /// [`Error::InvertedSegment`], [`Error::OverlappingSegments`], [`Error::InvalidHoliday`],
    /// [`Error::InvertedException`] for a bad spec; [`Error::InvalidHorizon`] for an empty,
    /// too long (over [`MAX_HORIZON_YEARS`]) or out-of-range horizon; [`Error::NoOpenTime`]
    /// when the calendar is never open in the horizon.
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// let spec = CalendarSpec {
    ///     name: "office".into(),
    ///     week: Week::weekdays(&[Segment::parse("09:00", "12:00")?, Segment::parse("13:00", "17:00")?]),
    ///     ..CalendarSpec::default()
    /// };
    /// let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    /// let to = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    /// let cal = Calendar::compile(&spec, &Utc, from, to)?;
    /// // Friday 16:00 plus 2 business hours: Monday 10:00.
    /// let fri = Utc.with_ymd_and_hms(2026, 3, 6, 16, 0, 0).unwrap();
    /// let due = cal.add(&fri, chrono::Duration::hours(2))?;
    /// assert_eq!(due, Utc.with_ymd_and_hms(2026, 3, 9, 10, 0, 0).unwrap());
    /// assert_eq!(cal.duration(&fri, &due)?, chrono::Duration::hours(2));
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn compile<Tz: TimeZone>(
        spec: &CalendarSpec,
        tz: &Tz,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Calendar, Error> {
        check_spec(spec)?;
        let horizon_error = || Error::InvalidHorizon {
            from,
            to,
            max_years: MAX_HORIZON_YEARS,
        };
        // The local days 1700-01-01 to 2200-12-31, at most MAX_HORIZON_YEARS calendar years.
        let longest = from.checked_add_months(Months::new(MAX_HORIZON_YEARS * 12));
        if to <= from
            || longest.is_none_or(|longest| to > longest)
            || from.year() < 1700
            || to > NaiveDate::from_ymd_opt(2201, 1, 1).ok_or_else(horizon_error)?
        {
            return Err(horizon_error());
        }
        // The horizon ends where its last day's 24:00 closes, so no interval ends after it.
        let h_from = resolve(tz, from.and_time(NaiveTime::MIN), false).ok_or_else(horizon_error)?;
        let h_to = resolve(tz, to.and_time(NaiveTime::MIN), true).ok_or_else(horizon_error)?;

        let mut starts = Vec::new();
        let mut ends = Vec::new();
        let mut day_of = Vec::new();
        let mut date = from;
        let mut index: u32 = 0;
        while date < to {
            let mut set: DaySet = Vec::new();
            if !is_holiday(spec, date) {
                for s in spec.week.day(date.weekday()) {
                    let second = |t: TimeOfDay| i64::from(t.seconds()) * NANOS_PER_SEC;
                    union(&mut set, (second(s.start), second(s.end)));
                }
            }
            let next = date.succ_opt().ok_or_else(horizon_error)?;
            for x in &spec.exceptions {
                if let Some(part) = clip(date, x.start, x.end) {
                    if x.open {
                        union(&mut set, part);
                    } else {
                        subtract(&mut set, part);
                    }
                }
            }
            let midnight = date.and_time(NaiveTime::MIN);
            for (s, e) in set {
                let local_s = midnight + Duration::nanoseconds(s);
                let local_e = midnight + Duration::nanoseconds(e);
                let (Some(a), Some(b)) = (resolve(tz, local_s, false), resolve(tz, local_e, true))
                else {
                    return Err(horizon_error());
                };
                if a < b {
                    starts.push(a);
                    ends.push(b);
                    day_of.push(index);
                }
            }
            date = next;
            index = index.saturating_add(1);
        }
        // Daylight saving can make neighbouring intervals overlap; merge them.
        let mut order: Vec<usize> = (0..starts.len()).collect();
        order.sort_by_key(|&i| starts.get(i).copied().unwrap_or(0));
        let (mut s2, mut e2, mut d2): (Vec<i64>, Vec<i64>, Vec<u32>) = (vec![], vec![], vec![]);
        for i in order {
            let (Some(&s), Some(&e), Some(&d)) = (starts.get(i), ends.get(i), day_of.get(i)) else {
                continue;
            };
            match e2.last_mut() {
                Some(last) if s < *last => *last = (*last).max(e),
                _ => {
                    s2.push(s);
                    e2.push(e);
                    d2.push(d);
                }
            }
        }
        if s2.is_empty() {
            return Err(Error::NoOpenTime {
                calendar: spec.name.clone(),
                from,
                to,
            });
        }
        let mut cum_end = Vec::with_capacity(s2.len());
        let mut total: i64 = 0;
        for (s, e) in s2.iter().zip(&e2) {
            total = total.checked_add(e - s).ok_or_else(horizon_error)?;
            cum_end.push(total);
        }
        // Lookup by instant: about two buckets per interval, a power of two wide (a shift,
        // not a division), so a query steps over at most an interval or two.
        let intervals = i64::try_from(s2.len()).map_err(|_| horizon_error())?;
        let ishift = ((h_to - h_from) / (2 * intervals))
            .max(1)
            .ilog2()
            .clamp(30, 46);
        let bucket0 = h_from;
        let buckets =
            usize::try_from(((h_to - bucket0) >> ishift) + 2).map_err(|_| horizon_error())?;
        let mut by_instant = Vec::with_capacity(buckets);
        let mut i = 0usize;
        for b in 0..buckets {
            let day_start = bucket0 + (i64::try_from(b).map_err(|_| horizon_error())? << ishift);
            while e2.get(i).is_some_and(|&e| e <= day_start) {
                i += 1;
            }
            by_instant.push(u32::try_from(i).map_err(|_| horizon_error())?);
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
        let n = i64::try_from(s2.len()).map_err(|_| horizon_error())?;
        let shift = (total / (2 * n)).max(1).ilog2();
        let mut by_business = Vec::with_capacity(s2.len() * 2 + 2);
        let mut i = 0usize;
        let mut j: i64 = 0;
        // One bucket past the total, so every bucket has a successor for `seek_steps`.
        while (j - 1) << shift <= total {
            while cum_end.get(i).is_some_and(|&c| c < j << shift) {
                i += 1;
            }
            by_business.push(u32::try_from(i).map_err(|_| horizon_error())?);
            j += 1;
        }
        let seek_steps = steps(&by_business);
        let mut cum_start = Vec::with_capacity(s2.len() + 1);
        cum_start.push(0);
        cum_start.extend(cum_end.iter().copied());
        let dates = s2
            .iter()
            .map(|s| {
                (
                    DateTime::from_timestamp_nanos(*s).date_naive(),
                    s.div_euclid(DAY) * DAY,
                )
            })
            .collect();
        Ok(Calendar {
            name: spec.name.clone(),
            from: h_from,
            to: h_to,
            starts: s2,
            ends: e2,
            cum_end,
            cum_start,
            dates,
            day: d2,
            by_instant,
            bucket0,
            ishift,
            by_business,
            shift,
            locate_steps,
            seek_steps,
        })
    }

    /// The calendar's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The first instant of the horizon.
    pub fn horizon_start(&self) -> DateTime<Utc> {
        instant(self.from)
    }

    /// The instant after the horizon.
    pub fn horizon_end(&self) -> DateTime<Utc> {
        instant(self.to)
    }

    /// The open intervals, in order, as UTC instants (for drawing and checking).
    pub fn intervals(&self) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        self.starts
            .iter()
            .zip(&self.ends)
            .map(|(s, e)| (instant(*s), instant(*e)))
    }

    /// All the open time in the horizon.
    pub fn total_open(&self) -> Duration {
        Duration::nanoseconds(self.cum_end.last().copied().unwrap_or(0))
    }

    fn at<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> Result<i64, Error> {
        match nanos(t) {
            Some(ns) if ns >= self.from && ns <= self.to => Ok(ns),
            _ => Err(Error::OutOfHorizon {
                at: t.with_timezone(&Utc),
                from: instant(self.from),
                to: instant(self.to),
            }),
        }
    }

    fn past(&self, what: &'static str, at: i64) -> Error {
        Error::PastHorizon {
            what,
            at: instant(at),
            from: instant(self.from),
            to: instant(self.to),
        }
    }

    /// Index of the first interval that ends after `t` (`len` when none).
    #[inline]
    fn locate(&self, t: i64) -> usize {
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

    /// Open time before `t` since the start of the horizon.
    #[inline]
    fn position(&self, t: i64) -> i64 {
        let i = self.locate(t);
        let before = self.cum_start.get(i).copied().unwrap_or(0);
        // Inside interval `i` the time since its start counts; before it, nothing.
        let start = self.starts.get(i).copied().unwrap_or(i64::MAX);
        before + t.saturating_sub(start).max(0)
    }

    /// Index of the first interval whose `cum_end >= target` (`target` in `0..=total`).
    #[inline]
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

    /// The instant `ns`, known to lie in interval `i`: built from the interval's date
    /// without calendar arithmetic when it falls on the same UTC day.
    #[inline]
    fn instant_in(&self, i: usize, ns: i64) -> DateTime<Utc> {
        if let Some(&(date, midnight)) = self.dates.get(i) {
            let offset = ns - midnight;
            if (0..DAY).contains(&offset) {
                let secs = u32::try_from(offset / NANOS_PER_SEC).unwrap_or(0);
                let nano = u32::try_from(offset % NANOS_PER_SEC).unwrap_or(0);
                if let Some(time) = NaiveTime::from_num_seconds_from_midnight_opt(secs, nano) {
                    return date.and_time(time).and_utc();
                }
            }
        }
        instant(ns)
    }

    /// Whether the calendar is open at `t`.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`].
    pub fn is_open<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> Result<bool, Error> {
        let t = self.at(t)?;
        let i = self.locate(t);
        Ok(self.starts.get(i).is_some_and(|&s| s <= t))
    }

    /// The first open instant at or after `t`.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`]; [`Error::PastHorizon`] when the calendar does not open again
    /// within the horizon.
    pub fn next_open<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> Result<DateTime<Utc>, Error> {
        let ns = self.at(t)?;
        let i = self.locate(ns);
        match self.starts.get(i) {
            Some(&s) => Ok(instant(s.max(ns))),
            None => Err(self.past("the next opening", ns)),
        }
    }

    /// The business (open) time between `a` and `b`: negative when `b` is before `a`.
    /// Additive: `duration(a, b) + duration(b, c) == duration(a, c)`.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`].
    pub fn duration<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        a: &DateTime<Tz1>,
        b: &DateTime<Tz2>,
    ) -> Result<Duration, Error> {
        let (a, b) = (self.at(a)?, self.at(b)?);
        Ok(Duration::nanoseconds(self.position(b) - self.position(a)))
    }

    /// The instant a business duration after `start` (before it, when negative).
    ///
    /// Convention at segment boundaries: moving forward gives the *earliest* such instant,
    /// so a deadline that uses up a day's last segment falls at its closing time (Monday
    /// 17:00, not Tuesday 09:00); moving backward gives the *latest* one (an opening time).
    /// So `duration(start, add(start, d)) == d` always, and `add(start, duration(start, end))
    /// == end` whenever `end` is open time that is not the opening instant of a segment
    /// preceded by closed time.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`] for `start`; [`Error::PastHorizon`] when the result would lie
    /// outside the horizon.
    pub fn add<Tz: TimeZone>(
        &self,
        start: &DateTime<Tz>,
        d: Duration,
    ) -> Result<DateTime<Utc>, Error> {
        let s = self.at(start)?;
        let Some(step) = d.num_nanoseconds() else {
            return Err(self.past("adding the duration", s));
        };
        if step == 0 {
            return Ok(instant(s));
        }
        let total = self.cum_end.last().copied().unwrap_or(0);
        let target = match self.position(s).checked_add(step) {
            Some(t) if (0..=total).contains(&t) => t,
            _ => return Err(self.past("adding the duration", s)),
        };
        let mut i = self.seek(target);
        let Some(&c) = self.cum_end.get(i) else {
            return Err(self.past("adding the duration", s));
        };
        if step < 0 && c == target && i + 1 < self.cum_end.len() {
            // Backward: the latest instant, the next segment's opening.
            i += 1;
            return Ok(self.instant_in(i, self.starts.get(i).copied().unwrap_or(s)));
        }
        let end = self.ends.get(i).copied().unwrap_or(s);
        Ok(self.instant_in(i, end - (c - target)))
    }

    /// The end of the business day: the closing time of the last segment of the local day
    /// that `t` is open in or, when `t` is closed, of the next day that opens.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`]; [`Error::PastHorizon`] when no business day follows within
    /// the horizon.
    pub fn end_of_business_day<Tz: TimeZone>(
        &self,
        t: &DateTime<Tz>,
    ) -> Result<DateTime<Utc>, Error> {
        let ns = self.at(t)?;
        let mut i = self.locate(ns);
        let Some(&day) = self.day.get(i) else {
            return Err(self.past("the end of the business day", ns));
        };
        while self.day.get(i + 1) == Some(&day) {
            i += 1;
        }
        Ok(instant(self.ends.get(i).copied().unwrap_or(ns)))
    }

    /// Whether all of `[start, end)` is open time (a change fits a maintenance window).
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`].
    pub fn covers<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        start: &DateTime<Tz1>,
        end: &DateTime<Tz2>,
    ) -> Result<bool, Error> {
        let (a, b) = (self.at(start)?, self.at(end)?);
        Ok(b >= a && self.position(b) - self.position(a) == b - a)
    }

    /// Whether any of `[start, end)` is open time (a change touches a blackout window).
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`].
    pub fn overlaps<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        start: &DateTime<Tz1>,
        end: &DateTime<Tz2>,
    ) -> Result<bool, Error> {
        let (a, b) = (self.at(start)?, self.at(end)?);
        Ok(b > a && self.position(b) > self.position(a))
    }

    /// The first instant at or after `t` from which `length` of uninterrupted open time
    /// follows (the next maintenance window a change of that length fits in), if any within
    /// the horizon.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`].
    pub fn next_fit<Tz: TimeZone>(
        &self,
        t: &DateTime<Tz>,
        length: Duration,
    ) -> Result<Option<DateTime<Utc>>, Error> {
        let ns = self.at(t)?;
        let need = length.num_nanoseconds().unwrap_or(i64::MAX).max(0);
        let mut i = self.locate(ns);
        while let (Some(&s), Some(&e)) = (self.starts.get(i), self.ends.get(i)) {
            let run_start = s.max(ns);
            // Extend over intervals that touch (a window across midnight).
            let mut run_end = e;
            let mut k = i;
            while self.starts.get(k + 1) == Some(&run_end) {
                k += 1;
                run_end = self.ends.get(k).copied().unwrap_or(run_end);
            }
            if run_end - run_start >= need {
                return Ok(Some(instant(run_start)));
            }
            i = k + 1;
        }
        Ok(None)
    }
}
