//! The fuzz harnesses of business calendars, as plain functions of bytes.
//!
//! The libFuzzer targets `calendar_queries` and `calendar_spec_json` call these functions,
//! and so does the stable test `crates/itsm-calendar/tests/fuzz_corpus.rs`, which replays
//! every saved input of `fuzz/corpus/<target>/` in `cargo test`.
//!
//! Only std, serde_json, chrono, chrono-tz and `itsm-calendar` are used; bytes are decoded by
//! hand into small domains (a dozen zones with and without daylight saving, horizons around
//! their transitions, segment sets that touch, overlap, cross midnight, are empty or end at
//! `24:00`, named and unnamed holidays, exceptions with sub-second edges), so short inputs
//! reach the corners, and the same bytes always mean the same thing.
//!
//! The laws checked (with `d` for `duration`): `d(s, add(s, x)) == x` whenever `add` answers,
//! and `add` answers exactly when the result stays in the horizon; forward `add` gives the
//! earliest instant at that distance, backward `add` the latest; `add(s, d(s, e)) == e` for an
//! open `e` that is not an opening after closed time; `d` is additive, antisymmetric and
//! agrees with the open intervals; `is_open`, `next_open`, `covers`, `overlaps`, `next_fit`
//! and `end_of_business_day` agree with the intervals; every answer is the same whatever zone
//! the instants are written in; instants outside the horizon are refused. In zones without
//! daylight saving the compiled intervals (and the refusals of `compile`) are also compared
//! with a day-by-day reference built straight from the spec. And the same spec compiled
//! without a horizon ([`Calendar::new`], with the zone named in the spec) gives the same
//! answers as the explicit horizon wherever the horizon answers, and answers beyond it
//! exactly where the horizon refuses.
//!
//! A function returns normally when all is well and panics (through `assert!`) when a law
//! breaks.
//!
//! How [`queries`] reads its bytes (each choice is a byte modulo the number of options; a
//! missing byte reads as 0), for writing seeds by hand:
//! - byte 0: the zone (0 UTC, 1 +05:30, 2 -03:00, 3 +14:00, 4 Berlin, 5 New York, 6 Lord
//!   Howe, 7 Apia, 8 Havana, 9 London, 10 Kolkata, 11 São Paulo, 12 Casablanca, 13 Troll);
//! - byte 1: the first day (see `FIRST_DAYS`), byte 2: the number of days (see `LENGTHS`);
//! - bytes 3-9: Monday to Sunday's segments (see [`day`]; some take more bytes);
//! - then n % 4 holidays and n % 4 exceptions (see [`holiday`] and [`exception`]);
//! - then up to 32 queries: three instants, a duration, and which query (see [`step`]).

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, Utc,
    Weekday,
};
use itsm_calendar::{Calendar, CalendarSpec, Error, Exception, Holiday, Segment, TimeOfDay, Week};

/// At most this many queries per input, so each execution stays fast.
const MAX_STEPS: usize = 32;

const NS: i64 = 1_000_000_000;
const HOUR: i64 = 3_600 * NS;
const DAY: i64 = 24 * HOUR;

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

// ---------------------------------------------------------------------------------------------
// Zones, instants, durations

/// A zone: a fixed offset (where the reference model applies) or an IANA zone.
#[derive(Debug, Clone, Copy)]
enum Zone {
    Fixed(FixedOffset),
    Iana(chrono_tz::Tz),
}

fn zone(choice: usize) -> Zone {
    let fixed = |secs: i32| Zone::Fixed(FixedOffset::east_opt(secs).unwrap_or(Utc.fix()));
    use chrono_tz::{Africa, America, Antarctica, Asia, Australia, Europe, Pacific};
    match choice % 14 {
        0 => fixed(0),
        1 => fixed(5 * 3600 + 1800),
        2 => fixed(-3 * 3600),
        3 => fixed(14 * 3600),
        4 => Zone::Iana(Europe::Berlin),
        5 => Zone::Iana(America::New_York),
        6 => Zone::Iana(Australia::Lord_Howe),
        7 => Zone::Iana(Pacific::Apia),
        8 => Zone::Iana(America::Havana),
        9 => Zone::Iana(Europe::London),
        10 => Zone::Iana(Asia::Kolkata),
        11 => Zone::Iana(America::Sao_Paulo),
        12 => Zone::Iana(Africa::Casablanca),
        _ => Zone::Iana(Antarctica::Troll),
    }
}

fn compile(
    spec: &CalendarSpec,
    zone: Zone,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Calendar, Error> {
    match zone {
        Zone::Fixed(offset) => Calendar::compile(spec, &offset, from, to),
        Zone::Iana(tz) => Calendar::compile(spec, &tz, from, to),
    }
}

/// The zone as a spec names it.
fn zone_name(zone: Zone) -> String {
    match zone {
        Zone::Fixed(offset) => offset.to_string(),
        Zone::Iana(tz) => tz.name().to_owned(),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// First days near daylight-saving changes, zone changes, leap days and the supported range.
fn first_day(choice: usize) -> NaiveDate {
    match choice % 14 {
        0 => date(2026, 1, 1),
        1 => date(2026, 3, 27),  // EU spring forward on the 29th
        2 => date(2026, 10, 23), // EU fall back on the 25th
        3 => date(2026, 3, 6),   // US spring forward on the 8th
        4 => date(2026, 10, 30), // US fall back on 1 November
        5 => date(2011, 12, 27), // Apia skips 30 December 2011
        6 => date(1893, 3, 28),  // Berlin leaves local mean time on 1 April 1893
        7 => date(2024, 2, 27),  // a leap day
        8 => date(1700, 1, 1),   // the first supported day
        9 => date(2200, 12, 20), // near the last one
        10 => date(2026, 4, 3),  // Lord Howe falls back half an hour on the 5th
        11 => date(2018, 11, 2), // São Paulo sprang forward at midnight on the 4th
        12 => date(2026, 2, 15), // Casablanca's Ramadan change
        _ => date(1699, 12, 31), // before the supported range
    }
}

/// Horizon lengths in days; 0 is empty, the last is longer than supported.
const LENGTHS: [i64; 8] = [1, 2, 7, 14, 45, 400, 0, 200 * 366 + 1];

fn nanos(t: &DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(i64::MIN)
}

fn utc(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

fn dur(ns: i64) -> Duration {
    Duration::nanoseconds(ns)
}

fn in_ns(d: Duration) -> Option<i64> {
    d.num_nanoseconds()
}

// ---------------------------------------------------------------------------------------------
// Decoding the spec

fn tod(secs: i64) -> TimeOfDay {
    let secs = u32::try_from(secs.clamp(0, 86_400)).unwrap_or(0);
    TimeOfDay::hms(secs / 3600, secs / 60 % 60, secs % 60).unwrap_or(TimeOfDay::MIDNIGHT)
}

fn seg(start: i64, end: i64) -> Segment {
    Segment {
        start: tod(start),
        end: tod(end),
    }
}

/// A day's segments: closed, office hours, a lunch break, around the clock, both ends of
/// the day (unsorted), daylight-saving hours with seconds, touching segments, one or two
/// segments from the bytes, office hours and a night shift, a segment from the bytes that
/// crosses midnight (or is empty), or two raw segments that may cross midnight, be empty or
/// overlap.
fn day(b: &mut Bytes<'_>) -> Vec<Segment> {
    let h = |x: i64| x * 3600;
    // Quarter hours from `after` to 24:00.
    let quarter = |b: &mut Bytes<'_>, after: i64| {
        let left = 96 - after.min(96);
        after + i64::from(b.byte()) % (left + 1)
    };
    match b.pick(12) {
        0 => Vec::new(),
        1 => vec![seg(h(9), h(17))],
        2 => vec![seg(h(9), h(12)), seg(h(13), h(17))],
        3 => vec![seg(0, h(24))],
        4 => vec![seg(h(22), h(24)), seg(0, h(2))],
        5 => vec![seg(5400, 11_730)],
        6 => vec![seg(h(9), h(12)), seg(h(12), h(13))],
        7 => {
            let start = quarter(b, 0).min(95);
            let end = quarter(b, start + 1);
            vec![seg(start * 900, end * 900)]
        }
        8 => {
            let start = quarter(b, 0).min(94);
            let end = quarter(b, start + 1).min(95);
            let next = quarter(b, end).min(95);
            let last = quarter(b, next + 1);
            let mut segments = vec![seg(start * 900, end * 900), seg(next * 900, last * 900)];
            if b.byte() & 1 == 1 {
                segments.reverse();
            }
            segments
        }
        10 => vec![seg(h(9), h(17)), seg(h(22), h(6))],
        11 => {
            let start = quarter(b, 0).min(95);
            let end = i64::from(b.byte()) % (start + 1);
            vec![seg(start * 900, end * 900)]
        }
        _ => {
            let raw = |b: &mut Bytes<'_>| i64::from(b.byte() % 97) * 900;
            vec![seg(raw(b), raw(b)), seg(raw(b), raw(b))]
        }
    }
}

fn holiday(b: &mut Bytes<'_>, from: NaiveDate) -> Holiday {
    let holiday = match b.pick(8) {
        0..=3 => Holiday::date(
            from.checked_add_signed(Duration::days(i64::from(b.byte() % 60)))
                .unwrap_or(from),
        ),
        4..=6 => {
            let (month, day) = b.choose(
                &[
                    (12, 25),
                    (2, 29),
                    (1, 1),
                    (3, 29),
                    (10, 25),
                    (from.month(), from.day()),
                ],
                (1, 1),
            );
            Holiday::yearly(month, day)
        }
        _ => {
            let (month, day) = b.choose(&[(2, 30), (13, 1), (0, 0), (4, 31)], (2, 30));
            Holiday::yearly(month, day)
        }
    };
    if b.byte() & 1 == 1 {
        holiday.named("holiday")
    } else {
        holiday
    }
}

fn exception(b: &mut Bytes<'_>, from: NaiveDate) -> Exception {
    let midnight = from.and_time(NaiveTime::MIN);
    let far = |y: i32| date(y, 6, 1).and_time(NaiveTime::MIN);
    let start = match b.pick(8) {
        0 => far(1),
        1 => far(9999),
        n => {
            let quarters =
                i64::from(b.byte()) * 15 * 60 + (i64::try_from(n).unwrap_or(0) - 2) * 86_400;
            let sub = b.choose(&[0i64, 1, 500_000_000, 999_999_999], 0);
            midnight
                .checked_add_signed(Duration::seconds(quarters) + Duration::nanoseconds(sub))
                .unwrap_or(midnight)
        }
    };
    let length = b.choose(
        &[
            Duration::nanoseconds(1),
            Duration::seconds(1),
            Duration::minutes(30),
            Duration::hours(3),
            Duration::hours(25),
            Duration::days(10),
            Duration::days(3_000_000),
            Duration::minutes(90),
            Duration::hours(2),
            Duration::days(2),
            Duration::zero(),
            Duration::hours(-1),
        ],
        Duration::hours(1),
    );
    let end = start.checked_add_signed(length).unwrap_or(start);
    if b.byte() & 1 == 1 {
        Exception::open("exception", start, end)
    } else {
        Exception::closed("exception", start, end)
    }
}

// ---------------------------------------------------------------------------------------------
// The reference (zones without daylight saving)

/// Where a segment runs, in seconds from its day's midnight (past 86,400 when it crosses
/// midnight).
fn span(s: &Segment) -> (u32, u32) {
    let (a, e) = (s.start.seconds(), s.end.seconds());
    if e < a { (a, e + 86_400) } else { (a, e) }
}

fn is_holiday(spec: &CalendarSpec, d: NaiveDate) -> bool {
    spec.holidays.iter().any(|h| match h {
        Holiday::Date { date, .. } => *date == d,
        Holiday::Yearly { month, day, .. } => d.month() == *month && d.day() == *day,
        _ => false,
    })
}

/// Whether the spec is valid, as `compile` checks it.
fn spec_is_valid(spec: &CalendarSpec) -> bool {
    let days = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let segments_ok = days.iter().all(|d| {
        let mut segments = spec.week.day(*d).to_vec();
        segments.sort_by_key(span);
        segments
            .iter()
            .all(|s| s.start != s.end && s.start.seconds() < 86_400)
            && segments
                .windows(2)
                .all(|w| matches!(w, [a, b] if span(b).0 >= span(a).1))
    });
    let overnight_ok = days.iter().all(|d| {
        let reach = spec
            .week
            .day(*d)
            .iter()
            .filter(|s| s.end < s.start)
            .map(|s| s.end)
            .max();
        reach.is_none_or(|r| spec.week.day(d.succ()).iter().all(|s| s.start >= r))
    });
    let holidays_ok = spec.holidays.iter().all(|h| match h {
        Holiday::Yearly { month, day, .. } => NaiveDate::from_ymd_opt(2000, *month, *day).is_some(),
        _ => true,
    });
    let exceptions_ok = spec.exceptions.iter().all(|x| x.start < x.end);
    segments_ok && overnight_ok && holidays_ok && exceptions_ok
}

fn horizon_is_valid(from: NaiveDate, to: NaiveDate) -> bool {
    let longest = from.checked_add_months(chrono::Months::new(200 * 12));
    to > from && longest.is_some_and(|l| to <= l) && from.year() >= 1700 && to <= date(2201, 1, 1)
}

/// Adds `[s, e)` to a sorted list of disjoint spans.
fn add_span(set: &mut Vec<(i64, i64)>, span: (i64, i64)) {
    let mut out = Vec::with_capacity(set.len() + 1);
    let (mut s, mut e) = span;
    for &(a, b) in set.iter() {
        if b < s || a > e {
            out.push((a, b));
        } else {
            s = s.min(a);
            e = e.max(b);
        }
    }
    out.push((s, e));
    out.sort_unstable();
    *set = out;
}

fn cut_span(set: &mut Vec<(i64, i64)>, cut: (i64, i64)) {
    let mut out = Vec::with_capacity(set.len() + 1);
    for &(a, b) in set.iter() {
        if a < cut.0 {
            out.push((a, b.min(cut.0)));
        }
        if b > cut.1 {
            out.push((a.max(cut.1), b));
        }
    }
    out.retain(|(a, b)| a < b);
    *set = out;
}

/// Spans that touch merged into one.
fn runs(intervals: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(intervals.len());
    for &(s, e) in intervals {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The open time of `spec` at a fixed offset, day by day, as UTC runs; with the instants of
/// the horizon's ends and the intervals of each day (for the ends of business days). Each day's segments run from its midnight (into the next day when
/// they cross midnight); an open exception opens its own date, a closed one closes what it
/// covers; the days either side of the horizon count where they fall in it.
fn reference(
    spec: &CalendarSpec,
    offset: FixedOffset,
    from: NaiveDate,
    to: NaiveDate,
) -> Reference {
    let shift = i64::from(offset.local_minus_utc()) * NS;
    let local = |d: NaiveDate| nanos(&d.and_time(NaiveTime::MIN).and_utc()) - shift;
    let (lo, hi) = (local(from), local(to));
    let mut all: Vec<(i64, i64, NaiveDate)> = Vec::new();
    let mut d = from.pred_opt().unwrap_or(from);
    while d <= to {
        let mut set: Vec<(i64, i64)> = Vec::new();
        if !is_holiday(spec, d) {
            for s in spec.week.day(d.weekday()) {
                let (a, e) = span(s);
                add_span(&mut set, (i64::from(a) * NS, i64::from(e) * NS));
            }
        }
        let midnight = d.and_time(NaiveTime::MIN);
        let since = |t: NaiveDateTime, window: i64| {
            let x = t.signed_duration_since(midnight);
            if x <= Duration::zero() {
                0
            } else {
                x.num_nanoseconds().map_or(window, |n| n.min(window))
            }
        };
        for x in &spec.exceptions {
            let window = if x.open { DAY } else { 2 * DAY };
            let (s, e) = (since(x.start, window), since(x.end, window));
            if s < e {
                if x.open {
                    add_span(&mut set, (s, e));
                } else {
                    cut_span(&mut set, (s, e));
                }
            }
        }
        let base = local(d);
        all.extend(
            set.into_iter()
                .map(|(s, e)| ((base + s).max(lo), (base + e).min(hi), d))
                .filter(|(s, e, _)| s < e),
        );
        let Some(next) = d.succ_opt() else { break };
        d = next;
    }
    all.sort_unstable();
    let spans: Vec<(i64, i64)> = all.iter().map(|(s, e, _)| (*s, *e)).collect();
    // Where two days' open time overlaps the business day is a choice; leave it out.
    let apart = all.windows(2).all(|w| matches!(w, [a, b] if a.1 <= b.0));
    Reference {
        runs: runs(&spans),
        start: lo,
        end: hi,
        days: apart.then_some(all),
    }
}

/// What [`reference`] builds.
struct Reference {
    runs: Vec<(i64, i64)>,
    start: i64,
    end: i64,
    /// The intervals with the day their segment belongs to, unless two days overlap.
    days: Option<Vec<(i64, i64, NaiveDate)>>,
}

// ---------------------------------------------------------------------------------------------
// The laws

/// A compiled calendar with what the laws compare it against.
struct Cal<'a> {
    cal: &'a Calendar,
    /// The same spec without a horizon, in the same zone.
    open: Option<&'a Calendar>,
    from: i64,
    to: i64,
    total: i64,
    intervals: Vec<(i64, i64)>,
    runs: Vec<(i64, i64)>,
    /// The reference's intervals with their days, when known (a fixed zone).
    days: Option<Vec<(i64, i64, NaiveDate)>>,
}

impl<'a> Cal<'a> {
    fn new(
        cal: &'a Calendar,
        open: Option<&'a Calendar>,
        days: Option<Vec<(i64, i64, NaiveDate)>>,
    ) -> Cal<'a> {
        let intervals: Vec<(i64, i64)> = cal
            .intervals()
            .map(|(s, e)| (nanos(&s), nanos(&e)))
            .collect();
        let from = nanos(&cal.horizon_start());
        let to = nanos(&cal.horizon_end());
        // The intervals are sorted, non-empty, disjoint and inside the horizon.
        assert!(
            !intervals.is_empty(),
            "a compiled calendar without open time"
        );
        assert!(
            intervals
                .iter()
                .all(|(s, e)| from <= *s && s < e && *e <= to),
            "an interval outside [{from}, {to}) or empty: {intervals:?}"
        );
        assert!(
            intervals
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.1 <= b.0)),
            "intervals overlap or are out of order: {intervals:?}"
        );
        let total = intervals.iter().map(|(s, e)| e - s).sum();
        assert_eq!(in_ns(cal.total_open()), Some(total), "total open time");
        Cal {
            cal,
            open,
            from,
            to,
            total,
            runs: runs(&intervals),
            intervals,
            days,
        }
    }

    fn in_horizon(&self, t: i64) -> bool {
        self.from <= t && t <= self.to
    }

    fn open(&self, t: i64) -> bool {
        self.intervals.iter().any(|(s, e)| *s <= t && t < *e)
    }

    /// Open time before `t` since the start of the horizon.
    fn pos(&self, t: i64) -> i64 {
        self.intervals
            .iter()
            .take_while(|(s, _)| *s < t)
            .map(|(s, e)| (*e).min(t) - s)
            .sum()
    }
}

fn other_zones() -> [FixedOffset; 2] {
    let east = FixedOffset::east_opt(5 * 3600 + 1800);
    let west = FixedOffset::west_opt(9 * 3600 + 17);
    let utc0 = Utc.fix();
    [east.unwrap_or(utc0), west.unwrap_or(utc0)]
}

/// Every query refuses an instant outside the horizon.
fn check_outside(c: &Cal<'_>, t: i64) {
    let at = utc(t);
    let inside = utc(c.from);
    let out = |r: Result<(), Error>| matches!(r, Err(Error::OutOfHorizon { .. }));
    assert!(out(c.cal.is_open(&at).map(|_| ())), "is_open({at})");
    assert!(out(c.cal.next_open(&at).map(|_| ())), "next_open({at})");
    assert!(out(c.cal.duration(&at, &inside).map(|_| ())));
    assert!(out(c.cal.duration(&inside, &at).map(|_| ())));
    assert!(out(c.cal.add(&at, Duration::zero()).map(|_| ())));
    assert!(out(c.cal.end_of_business_day(&at).map(|_| ())));
    assert!(out(c.cal.covers(&at, &inside).map(|_| ())));
    assert!(out(c.cal.overlaps(&inside, &at).map(|_| ())));
    assert!(out(c.cal.next_fit(&at, Duration::hours(1)).map(|_| ())));
}

fn check_instant(c: &Cal<'_>, t: i64) {
    if !c.in_horizon(t) {
        check_outside(c, t);
        return;
    }
    let at = utc(t);
    let open = c.open(t);
    assert_eq!(c.cal.is_open(&at), Ok(open), "is_open({at})");
    for z in other_zones() {
        assert_eq!(
            c.cal.is_open(&at.with_timezone(&z)),
            Ok(open),
            "is_open in {z}"
        );
    }
    // next_open: `t` itself when open, else the next interval's start.
    let next = if open {
        Some(t)
    } else {
        c.intervals.iter().map(|(s, _)| *s).find(|s| *s > t)
    };
    match c.cal.next_open(&at) {
        Ok(n) => assert_eq!(Some(nanos(&n)), next, "next_open({at})"),
        Err(e) => {
            assert_eq!(next, None, "next_open({at}): {e}");
            assert!(matches!(e, Error::PastHorizon { .. }), "{e}");
        }
    }
    // The end of the business day: the last interval of the local day of the interval at or
    // after `t`.
    let first = c.intervals.iter().position(|(_, e)| *e > t);
    let eobd = c.cal.end_of_business_day(&at);
    assert_eq!(
        eobd.is_ok(),
        first.is_some(),
        "end_of_business_day({at}) = {eobd:?}"
    );
    if let Err(e) = &eobd {
        assert!(matches!(e, Error::PastHorizon { .. }), "{e}");
    }
    if let (Ok(end), Some(i)) = (eobd, first) {
        let end = nanos(&end);
        assert!(end > t, "end of business day {end} not after {t}");
        assert!(
            c.intervals.iter().skip(i).any(|(_, e)| *e == end),
            "end of business day {end} is no interval's end"
        );
        // The business day of the interval at or after `t` (the day its segment starts
        // on) ends with that day's last interval.
        if let Some(days) = &c.days {
            let day = days
                .iter()
                .filter(|(_, e, _)| *e > t)
                .min_by_key(|(s, _, _)| *s)
                .map(|(_, _, d)| *d);
            let last = days
                .iter()
                .filter(|(_, _, d)| Some(*d) == day)
                .map(|(_, e, _)| *e)
                .max();
            assert_eq!(Some(end), last, "end of the business day {day:?} from {at}");
        }
    }
}

fn check_add(c: &Cal<'_>, s: i64, d: Duration) {
    if !c.in_horizon(s) {
        return;
    }
    let got = c.cal.add(&utc(s), d);
    let target = in_ns(d).and_then(|x| c.pos(s).checked_add(x));
    let fits = target.is_some_and(|t| (0..=c.total).contains(&t));
    match got {
        Err(e) => {
            assert!(
                !fits,
                "add({s}, {d}) refused though it stays in the horizon: {e}"
            );
            assert!(matches!(e, Error::PastHorizon { .. }), "{e}");
        }
        Ok(e) => {
            assert!(fits, "add({s}, {d}) = {e} past the horizon");
            let e = nanos(&e);
            assert!(c.in_horizon(e), "add({s}, {d}) = {e} outside the horizon");
            let x = in_ns(d).unwrap_or(0);
            assert_eq!(c.pos(e) - c.pos(s), x, "d(s, add(s, {d})) from {s}");
            assert_eq!(
                c.cal.duration(&utc(s), &utc(e)).ok().and_then(in_ns),
                Some(x),
                "duration(s, add(s, {d})) from {s}"
            );
            if x > 0 {
                // The earliest such instant: the one just before it is open.
                assert!(
                    e > s && c.open(e - 1),
                    "add({s}, {d}) = {e} is not the earliest"
                );
            } else if x < 0 {
                // The latest: open itself.
                assert!(e < s && c.open(e), "add({s}, {d}) = {e} is not the latest");
            } else {
                assert_eq!(e, s);
            }
            for z in other_zones() {
                let same = c.cal.add(&utc(s).with_timezone(&z), d).map(|t| nanos(&t));
                assert_eq!(same, Ok(e), "add in {z}");
            }
        }
    }
}

fn check_pair(c: &Cal<'_>, a: i64, b: i64) {
    if !(c.in_horizon(a) && c.in_horizon(b)) {
        return;
    }
    let d = c.pos(b) - c.pos(a);
    let (ua, ub) = (utc(a), utc(b));
    assert_eq!(
        c.cal.duration(&ua, &ub).ok().and_then(in_ns),
        Some(d),
        "duration({ua}, {ub})"
    );
    for z in other_zones() {
        let got = c
            .cal
            .duration(&ua.with_timezone(&z), &ub)
            .ok()
            .and_then(in_ns);
        assert_eq!(got, Some(d), "duration in {z}");
    }
    assert!(
        d.abs() <= (b - a).abs(),
        "more business time than wall time"
    );
    // Back again: `add(a, d(a, b))` is at `b`'s distance, and is `b` itself exactly when `b`
    // is the earliest instant at that distance (forward: the instant before it is open) or
    // the latest (backward: it is open itself). So it is `b` for an open `b` that is not an
    // opening after closed time, as documented.
    let back = c.cal.add(&ua, dur(d)).map(|t| nanos(&t));
    assert!(back.is_ok(), "add({a}, d({a}, {b})) = {back:?}");
    if let Ok(x) = back {
        assert_eq!(c.pos(x), c.pos(b), "add({a}, d({a}, {b})) = {x}");
        let is_b = if d > 0 {
            c.open(b - 1)
        } else if d < 0 {
            c.open(b)
        } else {
            a == b
        };
        assert_eq!(x == b, is_b, "add({a}, d({a}, {b})) = {x}, not {b}");
        if c.open(b) && (b == c.from || c.open(b - 1)) {
            assert_eq!(x, b, "the documented law: add({a}, d({a}, {b})) == {b}");
        }
    }
    // covers and overlaps, against the runs of touching intervals.
    let covers = if b <= a {
        b == a
    } else {
        c.runs.iter().any(|(s, e)| *s <= a && b <= *e)
    };
    assert_eq!(c.cal.covers(&ua, &ub), Ok(covers), "covers({ua}, {ub})");
    let overlaps = b > a && c.intervals.iter().any(|(s, e)| *s < b && a < *e);
    assert_eq!(
        c.cal.overlaps(&ua, &ub),
        Ok(overlaps),
        "overlaps({ua}, {ub})"
    );
}

fn check_fit(c: &Cal<'_>, t: i64, length: Duration) {
    if !c.in_horizon(t) {
        return;
    }
    let need = in_ns(length).unwrap_or(i64::MAX).max(0);
    let want = c
        .runs
        .iter()
        .filter(|(_, e)| *e > t)
        .map(|(s, e)| ((*s).max(t), *e))
        .find(|(s, e)| e - s >= need)
        .map(|(s, _)| s);
    let got = c
        .cal
        .next_fit(&utc(t), length)
        .map(|f| f.map(|f| nanos(&f)));
    assert_eq!(got, Ok(want), "next_fit({t}, {length})");
}

/// The calendar without a horizon answers as the horizon does wherever the horizon answers,
/// and beyond the horizon where it refuses.
fn check_open(c: &Cal<'_>, a: i64, e: i64, d: Duration) {
    let Some(open) = c.open else { return };
    // The horizon's last instant is in it, but what follows it is not: start before it.
    if !(c.in_horizon(a) && c.in_horizon(e) && a < c.to) {
        return;
    }
    let (ua, ue) = (utc(a), utc(e));
    let (first, last) = (utc(c.from), utc(c.to));
    let beyond =
        |x: &Result<DateTime<Utc>, Error>| x.as_ref().map_or(true, |x| *x >= last || *x < first);
    assert_eq!(
        open.is_open(&ua),
        c.cal.is_open(&ua),
        "is_open({ua}) without a horizon"
    );
    assert_eq!(
        open.duration(&ua, &ue),
        c.cal.duration(&ua, &ue),
        "duration({ua}, {ue}) without a horizon"
    );
    assert_eq!(
        open.covers(&ua, &ue),
        c.cal.covers(&ua, &ue),
        "covers({ua}, {ue})"
    );
    assert_eq!(
        open.overlaps(&ua, &ue),
        c.cal.overlaps(&ua, &ue),
        "overlaps({ua}, {ue})"
    );
    let next = open.next_open(&ua);
    match c.cal.next_open(&ua) {
        Ok(x) => assert_eq!(next, Ok(x), "next_open({ua}) without a horizon"),
        Err(_) => assert!(
            beyond(&next),
            "next_open({ua}) = {next:?} without a horizon"
        ),
    }
    let added = open.add(&ua, d);
    match c.cal.add(&ua, d) {
        Ok(x) => assert_eq!(added, Ok(x), "add({ua}, {d}) without a horizon"),
        Err(_) => assert!(
            beyond(&added),
            "add({ua}, {d}) = {added:?} without a horizon"
        ),
    }
    let eod = open.end_of_business_day(&ua);
    match c.cal.end_of_business_day(&ua) {
        Ok(x) if x < last => {
            assert_eq!(eod, Ok(x), "end_of_business_day({ua}) without a horizon");
        }
        _ => assert!(
            eod.as_ref().map_or(true, |x| *x >= last),
            "end_of_business_day({ua}) = {eod:?} without a horizon"
        ),
    }
    // A run that fits without the horizon but not within it reaches past its end.
    let need = in_ns(d).unwrap_or(i64::MAX).max(0);
    let reaches_past = |y: DateTime<Utc>| y >= last || nanos(&y).saturating_add(need) > c.to;
    let (fit, bounded) = (open.next_fit(&ua, d), c.cal.next_fit(&ua, d));
    assert!(
        fit.is_ok() && bounded.is_ok(),
        "next_fit({ua}, {d}): {fit:?} and {bounded:?}"
    );
    match (fit.ok().flatten(), bounded.ok().flatten()) {
        (Some(y), Some(x)) => {
            assert!(
                y <= x,
                "next_fit({ua}, {d}): {y} after {x} without a horizon"
            );
            if !reaches_past(y) {
                assert_eq!(y, x, "next_fit({ua}, {d}) without a horizon");
            }
        }
        (Some(y), None) => assert!(
            reaches_past(y),
            "next_fit({ua}, {d}) = {y} without a horizon, none with"
        ),
        (None, x) => assert_eq!(x, None, "next_fit({ua}, {d}) without a horizon"),
    }
}

/// The spec in `zone` without a horizon: it compiles whenever the horizon did.
fn without_horizon(spec: &CalendarSpec, zone: Zone) -> Option<Calendar> {
    let mut zoned = spec.clone();
    zoned.zone = Some(zone_name(zone));
    let cal = Calendar::new(&zoned);
    assert!(
        cal.is_ok(),
        "a spec that compiles with a horizon does not without: {cal:?}"
    );
    cal.ok()
}

/// An instant: the horizon's ends, an interval's edge give or take a little, somewhere in
/// the horizon, just outside it, or near the previous one.
fn instant(b: &mut Bytes<'_>, c: &Cal<'_>, prev: i64) -> i64 {
    let delta = |b: &mut Bytes<'_>| b.choose(&[0, 1, -1, NS, -NS, HOUR, -HOUR, 90 * 60 * NS], 0);
    let n = c.intervals.len();
    let base = match b.pick(8) {
        0 => c.from,
        1 => c.to,
        2 => c.intervals.get(b.pick(n)).map_or(c.from, |(s, _)| *s),
        3 => c.intervals.get(b.pick(n)).map_or(c.to, |(_, e)| *e),
        4 => {
            let part = i128::from(b.byte()) * i128::from(c.to - c.from) / 256;
            c.from.saturating_add(i64::try_from(part).unwrap_or(0))
        }
        5 => c.from - 1,
        6 => c.to + 1,
        _ => prev,
    };
    base.saturating_add(delta(b))
}

fn duration(b: &mut Bytes<'_>, c: &Cal<'_>, a: i64, e: i64) -> Duration {
    let sign = if b.byte() & 1 == 1 { -1 } else { 1 };
    let magnitude = match b.pick(10) {
        0 => 0,
        1 => 1,
        2 => NS,
        3 => 60 * NS,
        4 => HOUR,
        5 => 8 * HOUR,
        6 => 7 * DAY,
        7 => c.total,
        8 => c.total + 1,
        _ => c.pos(e) - c.pos(a),
    };
    if b.byte() == 255 {
        return if sign > 0 {
            Duration::MAX
        } else {
            Duration::MIN
        };
    }
    dur(sign * magnitude)
}

/// One query step: three instants, a duration, then every law about them.
fn step(b: &mut Bytes<'_>, c: &Cal<'_>, prev: i64) -> i64 {
    let a = instant(b, c, prev);
    let e = instant(b, c, a);
    let m = instant(b, c, e);
    let d = duration(b, c, a, e);
    check_instant(c, a);
    check_add(c, a, d);
    check_pair(c, a, e);
    check_pair(c, e, a);
    if c.in_horizon(a) && c.in_horizon(e) && c.in_horizon(m) {
        // Additive over a split, wherever the split falls.
        let dd = |x: i64, y: i64| c.cal.duration(&utc(x), &utc(y)).ok().and_then(in_ns);
        let (ae, em, am) = (dd(a, e), dd(e, m), dd(a, m));
        assert_eq!(
            ae.zip(em).map(|(x, y)| x + y),
            am,
            "d({a}, {e}) + d({e}, {m}) != d({a}, {m})"
        );
    }
    check_fit(c, a, d);
    check_open(c, a, e, d);
    m
}

/// Compiles `spec` in `zone` and checks the answer: in a fixed zone against the reference
/// (the same intervals, or the same refusal); in any zone, a valid spec and horizon compile
/// unless the calendar is never open.
fn compile_checked(
    spec: &CalendarSpec,
    zone: Zone,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<Calendar> {
    let got = compile(spec, zone, from, to);
    let valid = spec_is_valid(spec);
    let horizon = horizon_is_valid(from, to);
    if let Err(e) = &got {
        assert!(!e.to_string().is_empty());
        let spec_error = matches!(
            e,
            Error::InvalidSegment { .. }
                | Error::OverlappingSegments { .. }
                | Error::OvernightOverlap { .. }
                | Error::InvalidHoliday { .. }
                | Error::InvalidException { .. }
        );
        assert_eq!(spec_error, !valid, "compile: {e}");
        if valid {
            assert_eq!(
                matches!(e, Error::InvalidHorizon { .. }),
                !horizon,
                "compile {from} to {to}: {e}"
            );
        }
    } else {
        assert!(
            valid && horizon,
            "an invalid spec or horizon compiled: {spec:?} {from} {to}"
        );
    }
    if let (Zone::Fixed(offset), true, true) = (zone, valid, horizon) {
        let Reference {
            runs: want,
            start,
            end,
            ..
        } = reference(spec, offset, from, to);
        match &got {
            Ok(cal) => {
                let have: Vec<(i64, i64)> = cal
                    .intervals()
                    .map(|(s, e)| (nanos(&s), nanos(&e)))
                    .collect();
                assert_eq!(
                    runs(&have),
                    want,
                    "the open time differs from the reference"
                );
                assert_eq!(nanos(&cal.horizon_start()), start);
                assert_eq!(nanos(&cal.horizon_end()), end);
            }
            Err(e) => {
                assert!(want.is_empty(), "refused: {e}");
                assert!(matches!(e, Error::NoOpenTime { .. }), "{e}");
            }
        }
    }
    match got {
        Ok(cal) => Some(cal),
        Err(e) => {
            assert!(
                !(valid && horizon) || matches!(e, Error::NoOpenTime { .. }),
                "a valid spec and horizon refused: {e}"
            );
            None
        }
    }
}

/// Bytes -> a calendar built by hand (zone, horizon, week, holidays, exceptions), then a
/// sequence of queries, each checked against the laws and the open intervals.
pub fn queries(data: &[u8]) {
    let mut b = Bytes::new(data);
    let zone = zone(b.pick(14));
    let from = first_day(b.pick(14));
    let length = b.choose(&LENGTHS, 7);
    let to = from
        .checked_add_signed(Duration::days(length))
        .unwrap_or(from);
    let week = Week {
        mon: day(&mut b),
        tue: day(&mut b),
        wed: day(&mut b),
        thu: day(&mut b),
        fri: day(&mut b),
        sat: day(&mut b),
        sun: day(&mut b),
    };
    let holidays = (0..b.pick(4)).map(|_| holiday(&mut b, from)).collect();
    let exceptions = (0..b.pick(4)).map(|_| exception(&mut b, from)).collect();
    let mut spec = CalendarSpec::new("fuzz", week);
    spec.holidays = holidays;
    spec.exceptions = exceptions;
    let Some(cal) = compile_checked(&spec, zone, from, to) else {
        return;
    };
    let days = match zone {
        Zone::Fixed(offset) => reference(&spec, offset, from, to).days,
        Zone::Iana(_) => None,
    };
    let open = without_horizon(&spec, zone);
    let c = Cal::new(&cal, open.as_ref(), days);
    let mut prev = c.from;
    let mut steps = 0;
    while !b.is_empty() && steps < MAX_STEPS {
        steps += 1;
        prev = step(&mut b, &c, prev);
    }
}

fn json_round_trip<T>(value: &T) -> Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).ok()?;
    serde_json::from_str(&text).ok()
}

/// Bytes -> JSON -> a calendar spec (or text -> a time of day or a segment). A spec that
/// loads survives a JSON round trip, compiles in UTC like the reference and in Berlin across
/// a change of daylight saving, and answers a fixed set of queries by the laws; compiled in
/// its own zone without a horizon, it answers as it does with one.
pub fn spec_json(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(t) = text.parse::<TimeOfDay>() {
            assert!(t.seconds() <= 86_400);
            assert_eq!(
                t.to_string().parse::<TimeOfDay>(),
                Ok(t),
                "time of day text"
            );
            assert_eq!(json_round_trip(&t), Some(t));
        }
        if let Ok(s) = text.parse::<Segment>() {
            assert_eq!(s.to_string().parse::<Segment>(), Ok(s), "segment text");
            assert_eq!(json_round_trip(&s), Some(s));
        }
    }
    let Ok(spec) = serde_json::from_slice::<CalendarSpec>(data) else {
        return;
    };
    assert_eq!(
        json_round_trip(&spec).as_ref(),
        Some(&spec),
        "spec JSON round trip"
    );
    let horizons = [
        (zone(0), date(2026, 1, 1), date(2026, 2, 15)),
        (zone(4), date(2026, 3, 26), date(2026, 4, 2)),
        (zone(1), date(2026, 10, 20), date(2026, 11, 3)),
    ];
    for (zone, from, to) in horizons {
        let Some(cal) = compile_checked(&spec, zone, from, to) else {
            continue;
        };
        let days = match zone {
            Zone::Fixed(offset) => reference(&spec, offset, from, to).days,
            Zone::Iana(_) => None,
        };
        let open = without_horizon(&spec, zone);
        let c = Cal::new(&cal, open.as_ref(), days);
        // The edges of the first intervals and of the horizon, give or take a nanosecond.
        let mut points: Vec<i64> = vec![c.from, c.to, c.from - 1, c.to + 1];
        for (s, e) in c.intervals.iter().take(4) {
            points.extend([*s, *e, s - 1, e + 1]);
        }
        for p in &points {
            check_instant(&c, *p);
            check_fit(&c, *p, Duration::hours(1));
            for d in [HOUR, -HOUR, c.total, -c.total] {
                check_add(&c, *p, dur(d));
            }
        }
        for pair in points.windows(2) {
            if let [a, b] = pair {
                check_pair(&c, *a, *b);
                check_open(&c, *a, *b, Duration::hours(1));
                check_open(&c, *a, *b, dur(-c.total));
            }
        }
    }
    // In the spec's own zone: without a horizon as with one.
    let own = Calendar::new(&spec);
    let bounded = Calendar::with_horizon(&spec, date(2026, 3, 20), date(2026, 4, 5));
    match (&own, &bounded) {
        (Ok(open), Ok(cal)) => {
            let c = Cal::new(cal, Some(open), None);
            let points: Vec<i64> = c
                .intervals
                .iter()
                .take(6)
                .flat_map(|(s, e)| [*s, *e, s - 1, e + 1])
                .chain([c.from, c.to])
                .collect();
            for pair in points.windows(2) {
                if let [a, b] = pair {
                    check_open(&c, *a, *b, Duration::hours(2));
                    check_open(&c, *b, *a, dur(c.total));
                }
            }
        }
        // Never open, or never in those two weeks.
        (Ok(_) | Err(Error::NeverOpen { .. }), Err(Error::NoOpenTime { .. })) => {}
        (Err(a), Err(b)) => assert_eq!(a, b, "the same refusal with and without a horizon"),
        (a, b) => assert!(
            matches!((a, b), (Err(Error::UnknownZone { .. }), Ok(_))),
            "without a horizon {a:?}, with one {b:?}"
        ),
    }
}
