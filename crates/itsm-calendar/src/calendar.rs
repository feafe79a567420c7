//! The compiled calendar and its queries.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Utc};

use crate::build::{self, Job, Pieces};
use crate::error::Error;
use crate::flat::{Flat, instant};
use crate::lazy::Lazy;
use crate::rules::{DAY, NS, Rules};
use crate::spec::CalendarSpec;
use crate::zone::{self, Zone};

/// The longest horizon [`Calendar::compile`] accepts.
pub const MAX_HORIZON_YEARS: u32 = 200;

/// A calendar compiled for fast queries: its open time as sorted UTC intervals with prefix
/// sums of open time and two O(1) lookup tables (by instant and by business time), so every
/// query is O(1) on average and never walks day by day.
///
/// Two forms, with the same queries and the same answers where both answer:
///
/// - [`Calendar::new`]: no horizon. The calendar answers any instant chrono represents; it
///   compiles one UTC year the first time a query needs it and keeps it (tens of
///   microseconds a year; a query within compiled years then costs about twice what it
///   costs on an explicit horizon, some 20 to 50 ns). A
///   query that only crosses years adds up their totals of open time, and years far from
///   today share their tables and totals with the year 400 years away, so no query compiles
///   more than a few hundred years, whatever its span. The calendar stays pure and
///   shareable: the same year always compiles the same way, and each sits in a
///   `std::sync::OnceLock` (two threads that race for a year compile it once).
/// - [`Calendar::compile`] and [`Calendar::with_horizon`]: an explicit horizon of local
///   days, compiled up front; instants outside it are refused ([`Error::OutOfHorizon`],
///   [`Error::PastHorizon`]).
///
/// Intervals are half-open: open at their start, closed at their end. An instant is open
/// exactly when the local wall clock reads a time inside a segment (see
/// [`Calendar::compile`] for what that means on days the clocks change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    kind: Kind,
}

/// Open intervals as UTC instants.
type Spans = Vec<(DateTime<Utc>, DateTime<Utc>)>;

#[derive(Debug, Clone, PartialEq, Eq)]
// The explicit horizon is what the O(1) queries read first: kept inline, not behind a box.
#[allow(clippy::large_enum_variant)]
enum Kind {
    /// An explicit horizon; instants are nanoseconds since the Unix epoch.
    Horizon(Flat),
    /// No horizon.
    Open(Lazy),
}

fn nanos<Tz: TimeZone>(t: &DateTime<Tz>) -> Option<i64> {
    t.timestamp()
        .checked_mul(NS)?
        .checked_add(i64::from(t.timestamp_subsec_nanos()))
}

pub(crate) fn wide(d: Duration) -> i128 {
    i128::from(d.num_seconds()) * i128::from(NS) + i128::from(d.subsec_nanos())
}

fn narrow(ns: i128) -> Option<Duration> {
    // Within 292 years: no 128-bit division.
    if let Ok(ns) = i64::try_from(ns) {
        return Some(Duration::nanoseconds(ns));
    }
    let secs = i64::try_from(ns.div_euclid(i128::from(NS))).ok()?;
    let nanos = u32::try_from(ns.rem_euclid(i128::from(NS))).ok()?;
    Duration::new(secs, nanos)
}

/// The zone a spec names (UTC when it names none).
fn zone_of(spec: &CalendarSpec) -> Result<Zone, Error> {
    match &spec.zone {
        None => Ok(Zone::Utc),
        Some(text) => Zone::parse(text).ok_or_else(|| Error::UnknownZone {
            calendar: spec.name.clone(),
            zone: text.clone(),
            allowed: zone::ALLOWED,
        }),
    }
}

impl Calendar {
    /// Compiles `spec` in its own zone, without a horizon: the calendar answers any
    /// instant chrono represents, compiling each UTC year the first time a query needs it.
    ///
    /// # Errors
    /// [`Error::InvalidSegment`], [`Error::OverlappingSegments`],
    /// [`Error::OvernightOverlap`], [`Error::InvalidHoliday`], [`Error::InvalidException`]
    /// for a bad spec; [`Error::UnknownZone`] for a zone that is not an IANA name (with the
    /// `tz` feature), `UTC` or an offset; [`Error::NeverOpen`] when no weekly hours outside
    /// yearly holidays and no exception ever open it.
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// let mut spec = CalendarSpec::new("office", Week::weekdays(&[Segment::parse("09:00", "17:00")?]));
    /// spec.zone = Some("+01:00".into());
    /// let cal = Calendar::new(&spec)?;
    /// // Friday 16:00 (+01:00) plus 2 business hours: Monday 10:00, in any year.
    /// let fri = Utc.with_ymd_and_hms(2126, 3, 1, 15, 0, 0).unwrap();
    /// assert_eq!(cal.add(&fri, Duration::hours(2))?, Utc.with_ymd_and_hms(2126, 3, 4, 9, 0, 0).unwrap());
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn new(spec: &CalendarSpec) -> Result<Calendar, Error> {
        let rules = Rules::new(spec)?;
        let zone = zone_of(spec)?;
        if !rules.recurring && !rules.opens_by_exception() {
            return Err(Error::NeverOpen {
                calendar: spec.name.clone(),
            });
        }
        Ok(Calendar {
            name: spec.name.clone(),
            kind: Kind::Open(Lazy::new(spec.name.clone(), rules, zone)),
        })
    }

    /// Compiles `spec` in its own zone for the local days `from` (included) to `to`
    /// (excluded): [`Calendar::compile`] with the zone the spec names.
    ///
    /// # Errors
    /// As [`Calendar::compile`], and [`Error::UnknownZone`].
    pub fn with_horizon(
        spec: &CalendarSpec,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Calendar, Error> {
        Rules::new(spec)?;
        match zone_of(spec)? {
            Zone::Utc => Calendar::compile(spec, &Utc, from, to),
            Zone::Fixed(offset) => Calendar::compile(spec, &offset, from, to),
            #[cfg(feature = "tz")]
            Zone::Iana(tz) => Calendar::compile(spec, &tz, from, to),
        }
    }

    /// Compiles `spec` in time zone `tz` (any chrono [`TimeZone`]; the spec's own `zone` is
    /// not read) for the local days `from` (included) to `to` (excluded): the
    /// explicit-horizon form.
    ///
    /// An instant is open exactly when the local wall clock reads a time inside a segment
    /// (of a day that is not a holiday, after exceptions). So on a day the clocks go back, a
    /// segment that ends inside the repeated hour is open in two stretches: the first pass
    /// up to its closing time, and the repeat from the hour's start up to the closing time
    /// again (one that opens inside it likewise closes when the clocks go back and opens
    /// again when they read its opening time a second time); a boundary inside a skipped
    /// hour moves to the end of the gap. Holidays close the segments that start on them;
    /// exceptions then apply in list order. The horizon runs from the first instant whose
    /// local time is `from`'s midnight to the one after which the local time stays at or
    /// past `to`'s; within it the calendar is open exactly when [`Calendar::new`] would be
    /// (a segment of the day before `from` that crosses midnight counts from the horizon's
    /// start).
    ///
    /// The zone is read as UTC offsets, probed every twelve hours: it must not change its
    /// offset twice within twelve hours (every IANA zone's changes are more than six days
    /// apart).
    ///
    /// # Errors
    /// [`Error::InvalidSegment`], [`Error::OverlappingSegments`],
    /// [`Error::OvernightOverlap`], [`Error::InvalidHoliday`], [`Error::InvalidException`]
    /// for a bad spec; [`Error::InvalidHorizon`] for an empty, too long (over
    /// [`MAX_HORIZON_YEARS`]) or out-of-range horizon; [`Error::NoOpenTime`] when the
    /// calendar is never open in the horizon.
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// let spec = CalendarSpec::new(
    ///     "office",
    ///     Week::weekdays(&[Segment::parse("09:00", "12:00")?, Segment::parse("13:00", "17:00")?]),
    /// );
    /// let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    /// let to = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    /// let cal = Calendar::compile(&spec, &Utc, from, to)?;
    /// // Friday 16:00 plus 2 business hours: Monday 10:00.
    /// let fri = Utc.with_ymd_and_hms(2026, 3, 6, 16, 0, 0).unwrap();
    /// let due = cal.add(&fri, chrono::Duration::hours(2))?;
    /// assert_eq!(due, Utc.with_ymd_and_hms(2026, 3, 9, 10, 0, 0).unwrap());
    /// assert_eq!(cal.duration(&fri, &due)?, chrono::Duration::hours(2));
    /// // 2028 is outside the horizon.
    /// assert!(cal.is_open(&Utc.with_ymd_and_hms(2028, 1, 3, 10, 0, 0).unwrap()).is_err());
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn compile<Tz: TimeZone>(
        spec: &CalendarSpec,
        tz: &Tz,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Calendar, Error> {
        let rules = Rules::new(spec)?;
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
        let epoch = DateTime::UNIX_EPOCH.date_naive();
        let local = |d: NaiveDate| (d - epoch).num_days().checked_mul(DAY);
        let (lo, hi) = (
            local(from).ok_or_else(horizon_error)?,
            local(to).ok_or_else(horizon_error)?,
        );
        let pieces = Pieces::scan(tz, 0, lo - 3 * DAY, hi + 3 * DAY).ok_or_else(horizon_error)?;
        // The horizon: from the first instant whose local time is `from`'s midnight to the
        // one after which the local time stays at or past `to`'s.
        let h_from = pieces.earliest(lo).ok_or_else(horizon_error)?;
        let h_to = pieces.latest(hi).ok_or_else(horizon_error)?;
        let job = Job {
            origin_date: epoch,
            days: (from.pred_opt().ok_or_else(horizon_error)?, to),
            clip: (h_from, h_to),
            clip_day_ends: true,
        };
        let intervals = build::intervals(&rules, &pieces, &job).ok_or_else(horizon_error)?;
        if intervals.starts.is_empty() {
            return Err(Error::NoOpenTime {
                calendar: spec.name.clone(),
                from,
                to,
            });
        }
        let flat = Flat::new(intervals, h_from, h_to, Some(epoch)).ok_or_else(horizon_error)?;
        Ok(Calendar {
            name: spec.name.clone(),
            kind: Kind::Horizon(flat),
        })
    }

    /// The calendar's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the calendar has an explicit horizon ([`Calendar::compile`],
    /// [`Calendar::with_horizon`]) rather than none ([`Calendar::new`]).
    pub fn has_horizon(&self) -> bool {
        matches!(self.kind, Kind::Horizon(_))
    }

    /// The first instant of the horizon (chrono's first instant without one).
    pub fn horizon_start(&self) -> DateTime<Utc> {
        match &self.kind {
            Kind::Horizon(f) => instant(f.from),
            Kind::Open(_) => DateTime::<Utc>::MIN_UTC,
        }
    }

    /// The instant after the horizon (chrono's last instant without one).
    pub fn horizon_end(&self) -> DateTime<Utc> {
        match &self.kind {
            Kind::Horizon(f) => instant(f.to),
            Kind::Open(_) => DateTime::<Utc>::MAX_UTC,
        }
    }

    /// The open intervals of the horizon, in order, as UTC instants (for drawing and
    /// checking). Without a horizon this runs over chrono's whole range, compiling year
    /// after year: use [`Calendar::intervals_between`].
    pub fn intervals(&self) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        let (flat, open) = match &self.kind {
            Kind::Horizon(f) => (Some(f), None),
            Kind::Open(lazy) => (None, Some(lazy)),
        };
        let fixed = flat
            .into_iter()
            .flat_map(|f| f.starts.iter().zip(&f.ends))
            .map(|(s, e)| (instant(*s), instant(*e)));
        let years = open.into_iter().flat_map(|lazy| lazy.all_intervals());
        fixed.chain(years)
    }

    /// The open intervals that meet `[from, to)`, clipped to it, in order.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`] for an instant outside an explicit horizon;
    /// [`Error::DateOverflow`] at the ends of chrono's range.
    pub fn intervals_between<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        from: &DateTime<Tz1>,
        to: &DateTime<Tz2>,
    ) -> Result<Spans, Error> {
        match &self.kind {
            Kind::Horizon(f) => {
                let (a, b) = (self.at(f, from)?, self.at(f, to)?);
                Ok(f.starts
                    .iter()
                    .zip(&f.ends)
                    .map(|(&s, &e)| (s.max(a), e.min(b)))
                    .filter(|(s, e)| s < e)
                    .map(|(s, e)| (instant(s), instant(e)))
                    .collect())
            }
            Kind::Open(lazy) => lazy.intervals_between(from, to),
        }
    }

    /// All the open time in the horizon (in chrono's whole range without one). Without a
    /// horizon that is [`Calendar::duration`] from chrono's first instant to its last, plus
    /// the last instant's own nanosecond when the calendar is open then (a duration between
    /// two instants cannot count it).
    pub fn total_open(&self) -> Duration {
        match &self.kind {
            Kind::Horizon(f) => Duration::nanoseconds(f.total()),
            // invariant: counted for every zone, up to its extreme offsets (tested in
            // `tests/open.rs`); a total past `Duration`'s range is past chrono's whole range.
            Kind::Open(lazy) => lazy.total_open().and_then(narrow).unwrap_or(Duration::MAX),
        }
    }

    fn at<Tz: TimeZone>(&self, f: &Flat, t: &DateTime<Tz>) -> Result<i64, Error> {
        match nanos(t) {
            Some(ns) if ns >= f.from && ns <= f.to => Ok(ns),
            _ => Err(Error::OutOfHorizon {
                at: t.to_utc(),
                from: instant(f.from),
                to: instant(f.to),
            }),
        }
    }

    fn past(f: &Flat, what: &'static str, at: i64) -> Error {
        Error::PastHorizon {
            what,
            at: instant(at),
            from: instant(f.from),
            to: instant(f.to),
        }
    }

    /// Whether the calendar is open at `t`.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`] (explicit horizon only).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// // A night shift: 22:00 to 06:00 the next morning, every night.
    /// let cal = Calendar::new(&CalendarSpec::new("nights", Week::every_day(&[Segment::parse("22:00", "06:00")?])))?;
    /// assert!(cal.is_open(&Utc.with_ymd_and_hms(2026, 3, 7, 5, 59, 0).unwrap())?);
    /// assert!(!cal.is_open(&Utc.with_ymd_and_hms(2026, 3, 7, 6, 0, 0).unwrap())?);
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn is_open<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> Result<bool, Error> {
        match &self.kind {
            Kind::Horizon(f) => Ok(f.is_open(self.at(f, t)?)),
            Kind::Open(lazy) => lazy.is_open(t),
        }
    }

    /// The first open instant at or after `t`.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`]; [`Error::PastHorizon`] when the calendar does not open again
    /// within an explicit horizon. Without a horizon: [`Error::OutOfOpenTime`] when it never
    /// opens again (it opens only through exceptions), [`Error::DateOverflow`] when it opens
    /// after chrono's last instant.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// let cal = Calendar::new(&CalendarSpec::new("office", Week::weekdays(&[Segment::parse("09:00", "17:00")?])))?;
    /// // Saturday 2 January 2027: the office opens on Monday.
    /// let sat = Utc.with_ymd_and_hms(2027, 1, 2, 12, 0, 0).unwrap();
    /// assert_eq!(cal.next_open(&sat)?, Utc.with_ymd_and_hms(2027, 1, 4, 9, 0, 0).unwrap());
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn next_open<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> Result<DateTime<Utc>, Error> {
        match &self.kind {
            Kind::Horizon(f) => {
                let ns = self.at(f, t)?;
                let i = f.locate(ns);
                match f.starts.get(i) {
                    Some(&s) => Ok(instant(s.max(ns))),
                    None => Err(Self::past(f, "the next opening", ns)),
                }
            }
            Kind::Open(lazy) => lazy.next_open(t),
        }
    }

    /// The business (open) time between `a` and `b`: negative when `b` is before `a`.
    /// Additive: `duration(a, b) + duration(b, c) == duration(a, c)`.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`] (explicit horizon only).
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// let cal = Calendar::new(&CalendarSpec::new("office", Week::weekdays(&[Segment::parse("09:00", "17:00")?])))?;
    /// let (a, b) = (Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2036, 1, 7, 0, 0, 0).unwrap());
    /// // Ten years and two days, Monday to Monday: 2,610 weekdays of 8 hours.
    /// assert_eq!(cal.duration(&a, &b)?, Duration::hours(8 * 2_610));
    /// assert_eq!(cal.duration(&b, &a)?, -cal.duration(&a, &b)?);
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn duration<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        a: &DateTime<Tz1>,
        b: &DateTime<Tz2>,
    ) -> Result<Duration, Error> {
        match &self.kind {
            Kind::Horizon(f) => {
                let (a, b) = (self.at(f, a)?, self.at(f, b)?);
                Ok(Duration::nanoseconds(f.position(b) - f.position(a)))
            }
            Kind::Open(lazy) => {
                let d = lazy.duration(a, b)?;
                narrow(d).ok_or(Error::DateOverflow {
                    what: "the duration",
                    at: a.to_utc(),
                })
            }
        }
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
    /// outside an explicit horizon. Without a horizon: [`Error::DateOverflow`] past chrono's
    /// range, [`Error::OutOfOpenTime`] when the open time runs out.
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// let cal = Calendar::new(&CalendarSpec::new("office", Week::weekdays(&[Segment::parse("09:00", "17:00")?])))?;
    /// let mon = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// // Five years of business time (1,305 weekdays of 8 hours).
    /// let due = cal.add(&mon, Duration::hours(8 * 1_305))?;
    /// assert_eq!(due, Utc.with_ymd_and_hms(2031, 1, 3, 17, 0, 0).unwrap());
    /// assert_eq!(cal.add(&due, -Duration::hours(8 * 1_305))?, mon);
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn add<Tz: TimeZone>(
        &self,
        start: &DateTime<Tz>,
        d: Duration,
    ) -> Result<DateTime<Utc>, Error> {
        let f = match &self.kind {
            Kind::Horizon(f) => f,
            Kind::Open(lazy) => return lazy.add(start, wide(d)),
        };
        let s = self.at(f, start)?;
        let Some(step) = d.num_nanoseconds() else {
            return Err(Self::past(f, "adding the duration", s));
        };
        if step == 0 {
            return Ok(instant(s));
        }
        let target = match f.position(s).checked_add(step) {
            Some(t) if (0..=f.total()).contains(&t) => t,
            _ => return Err(Self::past(f, "adding the duration", s)),
        };
        match f.at_position(target, step > 0) {
            Some((i, x)) => Ok(f.instant_in(i, x)),
            None => Err(Self::past(f, "adding the duration", s)),
        }
    }

    /// The end of the business day: the closing time of the last segment of the local day
    /// that `t` is open in or, when `t` is closed, of the next day that opens. A segment
    /// that crosses midnight belongs to the day it starts on.
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`]; [`Error::PastHorizon`] when no business day follows within
    /// an explicit horizon. Without a horizon, as [`Calendar::next_open`].
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// let week = Week::weekdays(&[Segment::parse("09:00", "12:00")?, Segment::parse("13:00", "17:00")?]);
    /// let cal = Calendar::new(&CalendarSpec::new("office", week))?;
    /// let lunch = Utc.with_ymd_and_hms(2026, 3, 2, 12, 30, 0).unwrap();
    /// assert_eq!(cal.end_of_business_day(&lunch)?, Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap());
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn end_of_business_day<Tz: TimeZone>(
        &self,
        t: &DateTime<Tz>,
    ) -> Result<DateTime<Utc>, Error> {
        match &self.kind {
            Kind::Horizon(f) => {
                let ns = self.at(f, t)?;
                match f.day_ends.get(f.locate(ns)) {
                    Some(&end) => Ok(instant(end)),
                    None => Err(Self::past(f, "the end of the business day", ns)),
                }
            }
            Kind::Open(lazy) => lazy.end_of_business_day(t),
        }
    }

    /// Whether all of `[start, end)` is open time (a change fits a maintenance window).
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`] (explicit horizon only).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// // Maintenance windows: Saturday 22:00 to Sunday 04:00.
    /// let mut week = Week::default();
    /// week.sat = vec![Segment::parse("22:00", "04:00")?];
    /// let windows = Calendar::new(&CalendarSpec::new("maintenance", week))?;
    /// let sat = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    /// let sun = |h| Utc.with_ymd_and_hms(2026, 3, 8, h, 0, 0).unwrap();
    /// assert!(windows.covers(&sat(23), &sun(3))?);
    /// assert!(!windows.covers(&sat(21), &sun(3))?);
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn covers<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        start: &DateTime<Tz1>,
        end: &DateTime<Tz2>,
    ) -> Result<bool, Error> {
        match &self.kind {
            Kind::Horizon(f) => {
                let (a, b) = (self.at(f, start)?, self.at(f, end)?);
                Ok(b >= a && f.position(b) - f.position(a) == b - a)
            }
            Kind::Open(lazy) => lazy.covers(start, end),
        }
    }

    /// Whether any of `[start, end)` is open time (a change touches a blackout window).
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`] (explicit horizon only).
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Exception, Week};
    ///
    /// // A blackout: the year-end freeze, and nothing else.
    /// let mut spec = CalendarSpec::new("freeze", Week::default());
    /// let at = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap();
    /// spec.exceptions.push(Exception::open("year end", at(12, 15), at(12, 31)));
    /// let freeze = Calendar::new(&spec)?;
    /// let change = |d| Utc.with_ymd_and_hms(2026, 12, d, 20, 0, 0).unwrap();
    /// assert!(freeze.overlaps(&change(14), &change(15))?);
    /// assert!(!freeze.overlaps(&change(10), &change(11))?);
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn overlaps<Tz1: TimeZone, Tz2: TimeZone>(
        &self,
        start: &DateTime<Tz1>,
        end: &DateTime<Tz2>,
    ) -> Result<bool, Error> {
        match &self.kind {
            Kind::Horizon(f) => {
                let (a, b) = (self.at(f, start)?, self.at(f, end)?);
                Ok(b > a && f.position(b) > f.position(a))
            }
            Kind::Open(lazy) => Ok(end.to_utc() > start.to_utc() && lazy.duration(start, end)? > 0),
        }
    }

    /// The first instant at or after `t` from which `length` of uninterrupted open time
    /// follows (the next maintenance window a change of that length fits in), if any within
    /// the horizon (within chrono's range without one).
    ///
    /// # Errors
    /// [`Error::OutOfHorizon`] (explicit horizon only).
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    ///
    /// let mut week = Week::default();
    /// week.sat = vec![Segment::parse("22:00", "04:00")?];
    /// let windows = Calendar::new(&CalendarSpec::new("maintenance", week))?;
    /// let wed = Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap();
    /// // A five-hour change fits the Saturday night window; a seven-hour one never does.
    /// assert_eq!(windows.next_fit(&wed, Duration::hours(5))?, Some(Utc.with_ymd_and_hms(2026, 3, 7, 22, 0, 0).unwrap()));
    /// assert_eq!(windows.next_fit(&wed, Duration::hours(7))?, None);
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn next_fit<Tz: TimeZone>(
        &self,
        t: &DateTime<Tz>,
        length: Duration,
    ) -> Result<Option<DateTime<Utc>>, Error> {
        let f = match &self.kind {
            Kind::Horizon(f) => f,
            Kind::Open(lazy) => return lazy.next_fit(t, wide(length).max(0)),
        };
        let ns = self.at(f, t)?;
        let need = length.num_nanoseconds().unwrap_or(i64::MAX).max(0);
        let fit = f
            .runs_from(f.locate(ns), ns)
            .find(|(start, end, _)| end - start >= need);
        Ok(fit.map(|(start, _, _)| instant(start)))
    }
}
