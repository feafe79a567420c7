//! The compiled calendar against a naive reference model (see `common/mod.rs`), on random
//! calendars and random instants, zone by zone.
//!
//! Every case compiles a random spec (random segments per weekday with lunch breaks, touching
//! halves and `24:00` ends; dated, yearly and leap-day holidays; open and closed exceptions
//! that may overlap, cross midnight and leave the horizon) over a random horizon of up to a
//! few years around the days the zone changes its offset, then asks every query at instants
//! chosen on, just around and far from the open intervals' boundaries (and just outside the
//! horizon), each written in a different zone, and compares the answers, errors included,
//! with the model's.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::cell::RefCell;

use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::{America, Asia, Australia, Europe, Tz};
use common::{
    Case, Model, NS, case, config, date, distance, instant, modern_anchors, modern_zones, ns, run,
    written,
};
use itsm_calendar::{Calendar, Error};
use proptest::prelude::*;

const CASES: u32 = 64;

fn nanos(d: Duration) -> i64 {
    d.num_nanoseconds().unwrap()
}

/// What the generator reached, so that a weak generator cannot make the comparison pass
/// vacuously.
#[derive(Debug, Default)]
struct Seen {
    compiled: usize,
    never_open: usize,
    stretched: usize,
    ambiguous_end: usize,
    days_overlap: usize,
    open: usize,
    closed: usize,
    out_of_horizon: usize,
    past_horizon: usize,
    added: usize,
    end_of_day: usize,
    fits: usize,
}

/// Joins intervals that touch, as the model's union does.
fn joined(intervals: impl Iterator<Item = (i64, i64)>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (s, e) in intervals {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn check<Z: TimeZone>(tz: &Z, case: &Case, seen: &RefCell<Seen>) -> Result<(), TestCaseError> {
    let model = Model::build(&case.spec, tz, case.from, case.to);
    let compiled = Calendar::compile(&case.spec, tz, case.from, case.to);
    let mut seen = seen.borrow_mut();
    if model.open.is_empty() {
        prop_assert_eq!(
            compiled,
            Err(Error::NoOpenTime {
                calendar: "generated".into(),
                from: case.from,
                to: case.to,
            })
        );
        seen.never_open += 1;
        return Ok(());
    }
    let cal = match compiled {
        Ok(cal) => cal,
        Err(e) => return Err(TestCaseError::fail(format!("does not compile: {e}"))),
    };
    seen.compiled += 1;
    seen.stretched += usize::from(model.stretched > 0);
    seen.days_overlap += usize::from(model.days_overlap);
    let hi = common::local_midnight(case.to);
    seen.ambiguous_end += usize::from(model.to != model.offsets.earliest(hi) * NS);

    prop_assert_eq!(ns(&cal.horizon_start()), model.from, "horizon start");
    prop_assert_eq!(ns(&cal.horizon_end()), model.to, "horizon end");
    let intervals: Vec<(i64, i64)> = cal.intervals().map(|(s, e)| (ns(&s), ns(&e))).collect();
    prop_assert!(
        intervals
            .windows(2)
            .all(|w| w[0].0 < w[0].1 && w[0].1 <= w[1].0),
        "intervals sorted, non-empty, disjoint"
    );
    prop_assert_eq!(
        joined(intervals.into_iter()),
        model.open.clone(),
        "open time"
    );
    prop_assert_eq!(nanos(cal.total_open()), model.total(), "total open");

    for (k, p) in case.probes.iter().enumerate() {
        let t = instant(&model, p);
        let other = case.probes[(k + 1) % case.probes.len()];
        let u = instant(&model, &other);
        let (at, au) = (written(t, p.zone), written(u, other.zone));

        let open = model.is_open(t);
        prop_assert_eq!(cal.is_open(&at), open.clone(), "is_open({})", at);
        match open {
            Ok(true) => seen.open += 1,
            Ok(false) => seen.closed += 1,
            Err(_) => seen.out_of_horizon += 1,
        }
        let next = model.next_open(t);
        seen.past_horizon += usize::from(matches!(next, Err(Error::PastHorizon { .. })));
        prop_assert_eq!(
            cal.next_open(&at).map(|x| ns(&x)),
            next,
            "next_open({})",
            at
        );
        prop_assert_eq!(
            cal.duration(&at, &au).map(nanos),
            model.duration(t, u),
            "duration({}, {})",
            at,
            au
        );
        let d = distance(&model, t.clamp(model.from, model.to), p);
        let expected = model.add(t, d);
        seen.added += usize::from(expected.is_ok() && d != 0);
        seen.past_horizon += usize::from(matches!(expected, Err(Error::PastHorizon { .. })));
        prop_assert_eq!(
            cal.add(&at, Duration::nanoseconds(d)).map(|x| ns(&x)),
            expected,
            "add({}, {}ns)",
            at,
            d
        );
        // A zone whose midnight repeats can make two days' intervals overlap; which day
        // such an instant belongs to is a choice the model does not make.
        if !model.days_overlap {
            let eod = model.end_of_business_day(t);
            seen.end_of_day += usize::from(eod.is_ok());
            prop_assert_eq!(
                cal.end_of_business_day(&at).map(|x| ns(&x)),
                eod,
                "end_of_business_day({})",
                at
            );
        }
        prop_assert_eq!(
            cal.covers(&at, &au),
            model.covers(t, u),
            "covers({}, {})",
            at,
            au
        );
        prop_assert_eq!(
            cal.overlaps(&at, &au),
            model.overlaps(t, u),
            "overlaps({}, {})",
            at,
            au
        );
        let length = d.abs().min(model.total());
        let fit = model.next_fit(t, length);
        seen.fits += usize::from(matches!(fit, Ok(Some(_))));
        prop_assert_eq!(
            cal.next_fit(&at, Duration::nanoseconds(length))
                .map(|x| x.map(|x| ns(&x))),
            fit,
            "next_fit({}, {}ns)",
            at,
            length
        );
    }
    Ok(())
}

/// Runs the comparison in `tz` and returns what it reached.
fn compare(tz: Tz, anchors: Vec<NaiveDate>, reach: i64, file: &'static str) -> Seen {
    let seen = RefCell::new(Seen::default());
    run(config(CASES, file), &case(anchors, reach), |c| {
        check(&tz, &c, &seen)
    });
    reached(seen.into_inner())
}

/// Checks that the generator reached every kind of answer.
fn reached(seen: Seen) -> Seen {
    assert!(seen.compiled >= CASES as usize / 2, "{seen:?}");
    for (what, n) in [
        ("open instants", seen.open),
        ("closed instants", seen.closed),
        ("instants outside the horizon", seen.out_of_horizon),
        ("results past the horizon", seen.past_horizon),
        ("additions", seen.added),
        ("ends of business days", seen.end_of_day),
        ("windows that fit", seen.fits),
    ] {
        assert!(n > 0, "the generator never reached {what}: {seen:?}");
    }
    seen
}

fn modern(tz: Tz, file: &'static str) -> Seen {
    compare(tz, modern_anchors(), 500, file)
}

#[test]
fn utc_matches_the_model() {
    let seen = modern(modern_zones()[0], "proptest-regressions/reference-utc.txt");
    assert_eq!(seen.stretched, 0, "UTC has no daylight saving");
}

#[test]
fn new_york_matches_the_model() {
    let seen = modern(
        America::New_York,
        "proptest-regressions/reference-new-york.txt",
    );
    assert!(
        seen.stretched > 0,
        "no segment met daylight saving: {seen:?}"
    );
}

#[test]
fn berlin_matches_the_model() {
    let seen = modern(Europe::Berlin, "proptest-regressions/reference-berlin.txt");
    assert!(
        seen.stretched > 0,
        "no segment met daylight saving: {seen:?}"
    );
}

#[test]
fn london_matches_the_model() {
    let seen = modern(Europe::London, "proptest-regressions/reference-london.txt");
    assert!(
        seen.stretched > 0,
        "no segment met daylight saving: {seen:?}"
    );
}

#[test]
fn kolkata_matches_the_model() {
    let seen = modern(Asia::Kolkata, "proptest-regressions/reference-kolkata.txt");
    assert_eq!(seen.stretched, 0, "India has no daylight saving today");
}

#[test]
fn lord_howe_matches_the_model() {
    let seen = modern(
        Australia::Lord_Howe,
        "proptest-regressions/reference-lord-howe.txt",
    );
    assert!(seen.stretched > 0, "no segment met the half hour: {seen:?}");
}

/// Havana changes its clocks at midnight: 00:00 is skipped in March and repeated in
/// November (01:00 falls back to 00:00), so a day's `24:00` closes where the repeat starts
/// and the horizon can end on a repeated midnight.
#[test]
fn havana_matches_the_model() {
    let seen = modern(America::Havana, "proptest-regressions/reference-havana.txt");
    assert!(seen.stretched > 0, "{seen:?}");
}

/// Santiago springs forward at midnight (00:00 is skipped) and falls back from 24:00 to
/// 23:00 (the last hour of Saturday repeats).
#[test]
fn santiago_matches_the_model() {
    let seen = modern(
        America::Santiago,
        "proptest-regressions/reference-santiago.txt",
    );
    assert!(seen.stretched > 0, "{seen:?}");
}

/// Historical offsets, from local mean time, are not whole minutes: Berlin went from
/// +0:53:28 to +1:00 at midnight on 1 April 1893, skipping 00:00:00 to 00:06:32.
#[test]
fn berlin_1893_matches_the_model() {
    let seen = compare(
        Europe::Berlin,
        vec![date(1893, 4, 1)],
        40,
        "proptest-regressions/reference-berlin-1893.txt",
    );
    assert!(seen.stretched > 0, "{seen:?}");
}

/// Kolkata's history: midnight repeated by 8 seconds (1854) and by 32 minutes 10 seconds
/// (1870), skipped by 8 minutes 50 seconds (1906), by an hour (1941) and repeated by an
/// hour (1942).
#[test]
fn kolkata_history_matches_the_model() {
    let seen = compare(
        Asia::Kolkata,
        vec![
            date(1854, 6, 28),
            date(1870, 1, 1),
            date(1906, 1, 1),
            date(1941, 10, 1),
            date(1942, 5, 15),
        ],
        40,
        "proptest-regressions/reference-kolkata-history.txt",
    );
    assert!(seen.stretched > 0, "{seen:?}");
}

/// New York's noon of 18 November 1883 (railway time): 12:00:00 to 12:03:58 happened twice.
#[test]
fn new_york_1883_matches_the_model() {
    compare(
        America::New_York,
        vec![date(1883, 11, 18)],
        40,
        "proptest-regressions/reference-new-york-1883.txt",
    );
}

/// Dublin's first summer time (1916) jumped from Dublin Mean Time, -0:25:21, to +0:34:39.
#[test]
fn dublin_1916_matches_the_model() {
    let seen = compare(
        Europe::Dublin,
        vec![date(1916, 5, 21), date(1916, 10, 1)],
        40,
        "proptest-regressions/reference-dublin-1916.txt",
    );
    assert!(seen.stretched > 0, "{seen:?}");
}

/// Made-up zones with random transitions at random instants (around 15 June 2030), and
/// horizons that start or end near them.
#[test]
fn random_zones_match_the_model() {
    let seen = RefCell::new(Seen::default());
    let strategy = common::random_zone().prop_flat_map(|zone| {
        let days = common::change_days(&zone);
        (Just(zone), case(days, 10))
    });
    run(
        config(CASES * 2, "proptest-regressions/reference-random-zones.txt"),
        &strategy,
        |(zone, c)| check(&zone, &c, &seen),
    );
    let seen = reached(seen.into_inner());
    assert!(seen.stretched > 0, "{seen:?}");
    assert!(seen.days_overlap > 0, "no two days overlapped: {seen:?}");
    assert!(
        seen.ambiguous_end > 0,
        "no horizon ended inside a repeat: {seen:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The rule itself, minute by minute
//
// A second reference that states the rule as plainly as it can be stated and walks every
// minute: at each UTC minute it reads the wall clock (`offset_from_utc_datetime`), asks
// whether the clock's time lies in a segment of its own day or in a segment of the day
// before that crosses midnight (holidays closing their own day's segments), lets the
// exceptions that cover the clock's time decide in list order, and compares with
// `is_open`, both on an explicit horizon and without one; then it counts the open minutes
// and compares `duration` and `add`. The segments' and exceptions' boundaries are drawn
// around the hour the clocks skip or repeat, on whole days around each change of 2026 in New
// York, London, Lord Howe (half an hour), Santiago (at midnight) and Havana (at midnight).

mod wall_clock {
    use super::common::{Offsets, config, local_midnight, run};
    use chrono::{
        DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc,
    };
    use chrono_tz::Tz;
    use itsm_calendar::{Calendar, CalendarSpec, Exception, Holiday, Segment, TimeOfDay, Week};
    use proptest::collection::vec;
    use proptest::prelude::*;

    const MINUTE: i64 = 60;

    /// A change of offset: the local day it happens on, and the local minutes (from that
    /// day's midnight, negative for the day before) that the clocks skip or repeat.
    #[derive(Debug, Clone, Copy)]
    struct Change {
        day: NaiveDate,
        window: (i64, i64),
        repeat: bool,
    }

    /// The changes of offset of `tz` in 2026.
    fn changes(tz: &Tz) -> Vec<Change> {
        let lo = local_midnight(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let hi = local_midnight(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        let offsets = Offsets::scan(tz, lo, hi);
        let pieces: Vec<(i64, i64, i64)> = offsets.each().collect();
        pieces
            .windows(2)
            .map(|w| {
                let (at, before, after) = (w[1].0, w[0].2, w[1].2);
                // The local day of the instant just before the change.
                let day = DateTime::from_timestamp(at + before - 1, 0)
                    .unwrap()
                    .date_naive();
                let midnight = local_midnight(day);
                let (a, b) = (at + before.min(after), at + before.max(after));
                Change {
                    day,
                    window: ((a - midnight) / MINUTE, (b - midnight) / MINUTE),
                    repeat: after < before,
                }
            })
            .collect()
    }

    fn offset(tz: &Tz, t: i64) -> i64 {
        let utc = DateTime::from_timestamp(t, 0).unwrap().naive_utc();
        i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc())
    }

    fn holiday(spec: &CalendarSpec, day: NaiveDate) -> bool {
        spec.holidays.iter().any(|h| match h {
            Holiday::Date { date, .. } => *date == day,
            _ => false,
        })
    }

    /// Whether a segment of `day` holds the local time `secs` after `day`'s midnight.
    fn in_segments(spec: &CalendarSpec, day: NaiveDate, secs: u32) -> bool {
        !holiday(spec, day)
            && spec.week.day(day.weekday()).iter().any(|s| {
                let (a, mut e) = (s.start.seconds(), s.end.seconds());
                if e < a {
                    e += 86_400;
                }
                a <= secs && secs < e
            })
    }

    /// The rule: open when the wall clock reads a time inside a segment, exceptions last.
    fn open_at(spec: &CalendarSpec, local: NaiveDateTime) -> bool {
        let (day, secs) = (local.date(), local.time().num_seconds_from_midnight());
        let mut open = in_segments(spec, day, secs)
            || in_segments(spec, day.pred_opt().unwrap(), secs + 86_400);
        for x in &spec.exceptions {
            if x.start <= local && local < x.end {
                open = x.open;
            }
        }
        open
    }

    /// How a boundary is drawn: near the window the clocks skip or repeat, or anywhere.
    #[derive(Debug, Clone, Copy)]
    struct Pick {
        near: bool,
        raw: u16,
    }

    fn pick() -> impl Strategy<Value = Pick> {
        (prop::bool::weighted(0.7), any::<u16>()).prop_map(|(near, raw)| Pick { near, raw })
    }

    /// A minute of a day (0..=1440), from `pick`, near `window` (minutes from that day's
    /// midnight) or anywhere.
    fn minute(p: Pick, window: (i64, i64)) -> u32 {
        let m = if p.near {
            let lo = window.0 - 30;
            let span = window.1 + 30 - lo + 1;
            lo + i64::from(p.raw) % span
        } else {
            i64::from(p.raw) % 1441
        };
        u32::try_from(m.clamp(0, 1440)).unwrap()
    }

    fn tod(m: u32) -> TimeOfDay {
        TimeOfDay::hm(m / 60, m % 60).unwrap()
    }

    /// A case: which change, the day's segments, the day before's (one may cross midnight),
    /// and maybe a holiday and exceptions near the change.
    #[derive(Debug, Clone)]
    struct Case {
        change: usize,
        today: Vec<Pick>,
        before: Vec<Pick>,
        night: Option<(Pick, Pick)>,
        holiday: bool,
        exceptions: Vec<(Pick, Pick, bool)>,
        adds: Vec<u16>,
    }

    fn case() -> impl Strategy<Value = Case> {
        (
            any::<usize>(),
            vec(pick(), 0..=6),
            vec(pick(), 0..=4),
            proptest::option::weighted(0.5, (pick(), pick())),
            prop::bool::weighted(0.1),
            vec((pick(), pick(), any::<bool>()), 0..=2),
            vec(any::<u16>(), 4),
        )
            .prop_map(
                |(change, today, before, night, holiday, exceptions, adds)| Case {
                    change,
                    today,
                    before,
                    night,
                    holiday,
                    exceptions,
                    adds,
                },
            )
    }

    /// Segments from the sorted, distinct boundaries, two by two.
    fn segments(picks: &[Pick], window: (i64, i64)) -> Vec<Segment> {
        let mut b: Vec<u32> = picks.iter().map(|p| minute(*p, window)).collect();
        b.sort_unstable();
        b.dedup();
        b.chunks_exact(2)
            .map(|p| Segment {
                start: tod(p[0]),
                end: tod(p[1]),
            })
            .collect()
    }

    /// The spec of a case around `change`, and that change.
    fn spec(c: &Case, all: &[Change]) -> (CalendarSpec, Change) {
        let change = all[c.change % all.len()];
        let (day, w) = (change.day, change.window);
        let yesterday = day.pred_opt().unwrap();
        let mut week = Week::default();
        let today = segments(&c.today, w);
        let mut before = segments(&c.before, (w.0 + 1440, w.1 + 1440));
        // A segment of the day before that crosses midnight: after that day's segments,
        // ending before today's first.
        if let Some((s, e)) = c.night {
            let start = minute(s, (w.0 + 1440, w.1 + 1440)).min(1439);
            let end = minute(e, w);
            let after = before
                .iter()
                .map(|s| s.end.seconds() / 60)
                .max()
                .unwrap_or(0);
            let first = today
                .iter()
                .map(|s| s.start.seconds() / 60)
                .min()
                .unwrap_or(1440);
            if start >= after && end < start && end <= first {
                before.push(Segment {
                    start: tod(start),
                    end: tod(end),
                });
            }
        }
        set(&mut week, day.weekday(), today);
        set(&mut week, yesterday.weekday(), before);
        let mut spec = CalendarSpec::new("wall clock", week);
        if c.holiday {
            spec.holidays.push(Holiday::date(day));
        }
        let midnight = day.and_hms_opt(0, 0, 0).unwrap();
        for &(a, b, open) in &c.exceptions {
            let (a, b) = (minute(a, w), minute(b, w));
            let (a, b) = (a.min(b), a.max(b));
            if a < b {
                let at = |m: u32| midnight + Duration::minutes(i64::from(m));
                spec.exceptions.push(if open {
                    Exception::open("open", at(a), at(b))
                } else {
                    Exception::closed("closed", at(a), at(b))
                });
            }
        }
        (spec, change)
    }

    fn set(week: &mut Week, day: chrono::Weekday, segments: Vec<Segment>) {
        let slot = match day {
            chrono::Weekday::Mon => &mut week.mon,
            chrono::Weekday::Tue => &mut week.tue,
            chrono::Weekday::Wed => &mut week.wed,
            chrono::Weekday::Thu => &mut week.thu,
            chrono::Weekday::Fri => &mut week.fri,
            chrono::Weekday::Sat => &mut week.sat,
            chrono::Weekday::Sun => &mut week.sun,
        };
        *slot = segments;
    }

    /// What a zone's cases reached.
    #[derive(Debug, Default)]
    struct Seen {
        minutes: usize,
        open_in_window: usize,
        closed_in_window: usize,
        open_twice: usize,
    }

    fn walk(tz: Tz, file: &'static str) {
        let all = changes(&tz);
        assert!(all.len() >= 2, "{tz}: {all:?}");
        let seen = std::cell::RefCell::new(Seen::default());
        run(config(48, file), &case(), |c| {
            let (spec, change) = spec(&c, &all);
            let mut zoned = spec.clone();
            zoned.zone = Some(tz.name().to_owned());
            let (from, to) = (
                change.day - Duration::days(3),
                change.day + Duration::days(4),
            );
            let fixed = Calendar::compile(&spec, &tz, from, to);
            // From noon the day before to noon the day after, local time, minute by minute.
            let start = local_midnight(change.day) - 12 * 3600;
            let start = start - offset(&tz, start);
            let minutes = 48 * 60 + 60;
            let open = match Calendar::new(&zoned) {
                Ok(open) => Some(open),
                // IANA names need the `tz` feature: the explicit horizon alone then.
                Err(itsm_calendar::Error::UnknownZone { .. }) if !cfg!(feature = "tz") => None,
                // No segments at all: nothing is open.
                Err(e) => {
                    prop_assert!(matches!(e, itsm_calendar::Error::NeverOpen { .. }), "{}", e);
                    for k in 0..minutes {
                        let t = start + k * MINUTE;
                        let local = DateTime::from_timestamp(t + offset(&tz, t), 0)
                            .unwrap()
                            .naive_utc();
                        prop_assert!(!open_at(&spec, local));
                    }
                    return Ok(());
                }
            };
            let mut count = 0i64;
            let mut opened: Vec<i64> = Vec::new();
            let mut seen = seen.borrow_mut();
            for k in 0..minutes {
                let t = start + k * MINUTE;
                let local = DateTime::from_timestamp(t + offset(&tz, t), 0)
                    .unwrap()
                    .naive_utc();
                let expected = open_at(&spec, local);
                let at = DateTime::<Utc>::from_timestamp(t, 0).unwrap();
                if let Some(open) = &open {
                    prop_assert_eq!(
                        open.is_open(&at),
                        Ok(expected),
                        "{} at {} ({})",
                        tz,
                        at,
                        local
                    );
                }
                if let Ok(fixed) = &fixed {
                    prop_assert_eq!(
                        fixed.is_open(&at),
                        Ok(expected),
                        "{} at {} ({})",
                        tz,
                        at,
                        local
                    );
                }
                let m = (local - change.day.and_hms_opt(0, 0, 0).unwrap()).num_minutes();
                if change.window.0 <= m && m < change.window.1 {
                    if expected {
                        seen.open_in_window += 1;
                    } else {
                        seen.closed_in_window += 1;
                    }
                }
                if expected {
                    count += 1;
                    opened.push(t);
                }
            }
            seen.minutes += usize::try_from(minutes).unwrap();
            let (a, b) = (
                DateTime::<Utc>::from_timestamp(start, 0).unwrap(),
                DateTime::<Utc>::from_timestamp(start + minutes * MINUTE, 0).unwrap(),
            );
            let total = Duration::minutes(count);
            if let Some(open) = &open {
                prop_assert_eq!(open.duration(&a, &b), Ok(total));
            }
            match &fixed {
                Ok(fixed) => prop_assert_eq!(fixed.duration(&a, &b), Ok(total)),
                // Never open in its week: nor in the walk.
                Err(e) => prop_assert_eq!(count, 0, "{}", e),
            }
            // Two stretches of one segment: a minute reached twice on the wall clock.
            if change.repeat {
                let mut locals: Vec<NaiveDateTime> = opened
                    .iter()
                    .map(|&t| {
                        DateTime::from_timestamp(t + offset(&tz, t), 0)
                            .unwrap()
                            .naive_utc()
                    })
                    .collect();
                let n = locals.len();
                locals.sort_unstable();
                locals.dedup();
                seen.open_twice += usize::from(locals.len() < n);
            }
            // Adding n minutes of business time ends at the end of the n-th open minute.
            for &n in &c.adds {
                if opened.is_empty() {
                    break;
                }
                let n = usize::from(n) % opened.len() + 1;
                let end = DateTime::<Utc>::from_timestamp(opened[n - 1] + MINUTE, 0).unwrap();
                let d = Duration::minutes(i64::try_from(n).unwrap());
                if let Some(open) = &open {
                    prop_assert_eq!(open.add(&a, d), Ok(end), "add({}, {}) in {}", a, d, tz);
                }
                if let Ok(fixed) = &fixed {
                    prop_assert_eq!(fixed.add(&a, d), Ok(end));
                }
                // Backward from the end of the walk: the start of the n-th open minute from it.
                let back = DateTime::<Utc>::from_timestamp(opened[opened.len() - n], 0).unwrap();
                if let Some(open) = &open {
                    prop_assert_eq!(open.add(&b, -d), Ok(back), "add({}, -{}) in {}", b, d, tz);
                }
                if let Ok(fixed) = &fixed {
                    prop_assert_eq!(fixed.add(&b, -d), Ok(back));
                }
            }
            Ok(())
        });
        let seen = seen.into_inner();
        assert!(
            seen.open_in_window > 0 && seen.closed_in_window > 0,
            "{tz}: {seen:?}"
        );
        assert!(
            seen.open_twice > 0,
            "{tz}: no segment was open twice: {seen:?}"
        );
    }

    #[test]
    fn new_york_minute_by_minute() {
        walk(
            chrono_tz::America::New_York,
            "proptest-regressions/wall-clock-new-york.txt",
        );
    }

    #[test]
    fn london_minute_by_minute() {
        walk(
            chrono_tz::Europe::London,
            "proptest-regressions/wall-clock-london.txt",
        );
    }

    #[test]
    fn lord_howe_minute_by_minute() {
        walk(
            chrono_tz::Australia::Lord_Howe,
            "proptest-regressions/wall-clock-lord-howe.txt",
        );
    }

    #[test]
    fn santiago_minute_by_minute() {
        walk(
            chrono_tz::America::Santiago,
            "proptest-regressions/wall-clock-santiago.txt",
        );
    }

    #[test]
    fn havana_minute_by_minute() {
        walk(
            chrono_tz::America::Havana,
            "proptest-regressions/wall-clock-havana.txt",
        );
    }
}
