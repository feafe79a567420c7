//! Edge cases pinned by hand: daylight saving (an hour lost, an hour gained, Lord Howe's
//! half hour, clocks changed at midnight, local mean time's odd seconds), `24:00` ends,
//! 24x7 calendars, lunch breaks, leap-day holidays and the order of exceptions.
//!
//! Each expected instant is worked out by hand from the zone's rules and written in UTC.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use chrono_tz::{America, Asia, Australia, Europe, Tz};
use common::Jumpy;
use itsm_calendar::{Calendar, CalendarSpec, Exception, Holiday, Segment, Week};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

fn local<Z: TimeZone>(tz: &Z, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Z> {
    tz.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
}

fn seg(start: &str, end: &str) -> Segment {
    Segment::parse(start, end).unwrap()
}

fn spec(week: Week) -> CalendarSpec {
    CalendarSpec::new("test", week)
}

fn sundays(segments: &[Segment]) -> CalendarSpec {
    spec(Week {
        sun: segments.to_vec(),
        ..Week::default()
    })
}

fn compile<Z: TimeZone>(spec: &CalendarSpec, tz: &Z, from: NaiveDate, to: NaiveDate) -> Calendar {
    Calendar::compile(spec, tz, from, to).unwrap_or_else(|e| panic!("{e}"))
}

/// The open intervals, in UTC.
fn intervals(cal: &Calendar) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    cal.intervals().collect()
}

/// The open intervals that start on a UTC day.
fn on(cal: &Calendar, y: i32, m: u32, d: u32) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    cal.intervals()
        .filter(|(s, _)| s.date_naive() == date(y, m, d))
        .collect()
}

#[test]
fn a_segment_over_the_spring_forward_gap_loses_the_skipped_hour() {
    // New York, Sunday 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    let cal = compile(
        &sundays(&[seg("01:00", "04:00")]),
        &America::New_York,
        date(2026, 3, 1),
        date(2026, 3, 15),
    );
    assert_eq!(
        intervals(&cal),
        vec![
            // The Sunday before: 01:00-04:00 EST, three hours.
            (utc(2026, 3, 1, 6, 0, 0), utc(2026, 3, 1, 9, 0, 0)),
            // 01:00 EST to 04:00 EDT: two hours.
            (utc(2026, 3, 8, 6, 0, 0), utc(2026, 3, 8, 8, 0, 0)),
        ]
    );
    let sunday = local(&America::New_York, 2026, 3, 8, 0, 0);
    let monday = local(&America::New_York, 2026, 3, 9, 0, 0);
    assert_eq!(cal.duration(&sunday, &monday), Ok(Duration::hours(2)));
    // 01:59 EST plus a minute is 03:00 EDT.
    let before = utc(2026, 3, 8, 6, 59, 0);
    assert_eq!(
        cal.add(&before, Duration::minutes(1)),
        Ok(utc(2026, 3, 8, 7, 0, 0))
    );
    assert_eq!(cal.is_open(&utc(2026, 3, 8, 7, 0, 0)), Ok(true));
    assert_eq!(
        cal.end_of_business_day(&before),
        Ok(utc(2026, 3, 8, 8, 0, 0))
    );

    // A segment starting inside the gap opens when the gap ends (03:00 EDT, 07:00 UTC).
    let cal = compile(
        &sundays(&[seg("02:30", "05:00")]),
        &America::New_York,
        date(2026, 3, 8),
        date(2026, 3, 9),
    );
    assert_eq!(
        intervals(&cal),
        vec![(utc(2026, 3, 8, 7, 0, 0), utc(2026, 3, 8, 9, 0, 0))]
    );

    // Berlin, Sunday 29 March 2026: a whole day is 23 hours.
    let cal = compile(
        &CalendarSpec::always_open("24x7"),
        &Europe::Berlin,
        date(2026, 3, 29),
        date(2026, 3, 30),
    );
    assert_eq!(cal.total_open(), Duration::hours(23));
    assert_eq!(
        (cal.horizon_start(), cal.horizon_end()),
        (utc(2026, 3, 28, 23, 0, 0), utc(2026, 3, 29, 22, 0, 0))
    );
}

/// On a day the clocks go back, a segment is open exactly while the clock reads a time
/// inside it: one that ends inside the repeated hour is open in two stretches.
#[test]
fn a_segment_ending_inside_the_repeated_hour_is_open_twice() {
    // New York, Sunday 1 November 2026: 02:00 EDT falls back to 01:00 EST (06:00 UTC), so
    // 01:00-02:00 happens twice: 05:00-06:00 and 06:00-07:00 UTC.
    let ny = &America::New_York;
    let (from, to) = (date(2026, 11, 1), date(2026, 11, 2));
    // 00:30-01:30: the first pass from 00:30 EDT to 01:30 EDT, then the repeat from 01:00
    // EST to 01:30 EST. From 01:30 to 02:00 EDT the clock reads past the closing time.
    let cal = compile(&sundays(&[seg("00:30", "01:30")]), ny, from, to);
    assert_eq!(
        intervals(&cal),
        vec![
            (utc(2026, 11, 1, 4, 30, 0), utc(2026, 11, 1, 5, 30, 0)),
            (utc(2026, 11, 1, 6, 0, 0), utc(2026, 11, 1, 6, 30, 0)),
        ]
    );
    assert_eq!(cal.total_open(), Duration::minutes(90));
    assert_eq!(cal.is_open(&utc(2026, 11, 1, 5, 45, 0)), Ok(false));
    assert_eq!(
        cal.next_open(&utc(2026, 11, 1, 5, 45, 0)),
        Ok(utc(2026, 11, 1, 6, 0, 0))
    );
    // Ten minutes before the first close, plus 20 minutes: ten minutes into the repeat.
    assert_eq!(
        cal.add(&utc(2026, 11, 1, 5, 20, 0), Duration::minutes(20)),
        Ok(utc(2026, 11, 1, 6, 10, 0))
    );
    // The business day ends at the second close.
    assert_eq!(
        cal.end_of_business_day(&utc(2026, 11, 1, 4, 45, 0)),
        Ok(utc(2026, 11, 1, 6, 30, 0))
    );
    // 01:30-03:00 opens inside the repeat: from 01:30 EDT to the change, then again when the
    // clock reads 01:30 a second time, to 03:00 EST.
    let cal = compile(&sundays(&[seg("01:30", "03:00")]), ny, from, to);
    assert_eq!(
        intervals(&cal),
        vec![
            (utc(2026, 11, 1, 5, 30, 0), utc(2026, 11, 1, 6, 0, 0)),
            (utc(2026, 11, 1, 6, 30, 0), utc(2026, 11, 1, 8, 0, 0)),
        ]
    );
    assert_eq!(cal.total_open(), Duration::hours(2));
    // Opening where the repeat starts and closing where it ends: both passes, one interval.
    let cal = compile(&sundays(&[seg("01:00", "02:00")]), ny, from, to);
    assert_eq!(
        intervals(&cal),
        vec![(utc(2026, 11, 1, 5, 0, 0), utc(2026, 11, 1, 7, 0, 0))]
    );
    // The whole day: 25 hours.
    let cal = compile(&CalendarSpec::always_open("24x7"), ny, from, to);
    assert_eq!(cal.total_open(), Duration::hours(25));
    assert_eq!(
        cal.add(&cal.horizon_start(), Duration::hours(25)),
        Ok(cal.horizon_end())
    );
    // London, Sunday 25 October 2026 (02:00 BST back to 01:00 GMT at 01:00 UTC): a
    // segment 00:00-01:15 is open 00:00-01:15 BST and 01:00-01:15 GMT.
    let cal = compile(
        &sundays(&[seg("00:00", "01:15")]),
        &Europe::London,
        date(2026, 10, 25),
        date(2026, 10, 26),
    );
    assert_eq!(
        intervals(&cal),
        vec![
            (utc(2026, 10, 24, 23, 0, 0), utc(2026, 10, 25, 0, 15, 0)),
            (utc(2026, 10, 25, 1, 0, 0), utc(2026, 10, 25, 1, 15, 0)),
        ]
    );
    // The same without a horizon.
    #[cfg(feature = "tz")]
    {
        let mut spec = sundays(&[seg("00:00", "01:15")]);
        spec.zone = Some("Europe/London".into());
        let open = Calendar::new(&spec).unwrap();
        let day = (utc(2026, 10, 24, 12, 0, 0), utc(2026, 10, 26, 0, 0, 0));
        assert_eq!(open.intervals_between(&day.0, &day.1), Ok(intervals(&cal)));
    }
}

/// A segment that ends where the repeat starts covers none of it: it closes at the first
/// 01:00, not the second (which would add the whole first pass of 01:00-02:00).
#[test]
fn a_segment_closing_where_the_repeat_starts_gains_nothing() {
    let ny = &America::New_York;
    let cal = compile(
        &sundays(&[seg("00:00", "01:00"), seg("03:00", "04:00")]),
        ny,
        date(2026, 11, 1),
        date(2026, 11, 2),
    );
    assert_eq!(
        intervals(&cal),
        vec![
            (utc(2026, 11, 1, 4, 0, 0), utc(2026, 11, 1, 5, 0, 0)),
            (utc(2026, 11, 1, 8, 0, 0), utc(2026, 11, 1, 9, 0, 0)),
        ]
    );
    // The first 01:30 (EDT) is not open: the clocks read 01:30, after the segment.
    assert_eq!(cal.is_open(&utc(2026, 11, 1, 5, 30, 0)), Ok(false));
    assert_eq!(
        cal.end_of_business_day(&utc(2026, 11, 1, 4, 30, 0)),
        Ok(utc(2026, 11, 1, 9, 0, 0))
    );

    // London, Sunday 25 October 2026: 02:00 BST falls back to 01:00 GMT (01:00 UTC).
    let cal = compile(
        &sundays(&[seg("00:00", "01:00")]),
        &Europe::London,
        date(2026, 10, 25),
        date(2026, 10, 26),
    );
    assert_eq!(
        intervals(&cal),
        vec![(utc(2026, 10, 24, 23, 0, 0), utc(2026, 10, 25, 0, 0, 0))]
    );

    // Havana, Sunday 3 November 2024: 01:00 CDT falls back to 00:00 CST (05:00 UTC), so
    // Saturday's 24:00 starts the repeat. Saturday closes at the first midnight (04:00 UTC),
    // where Sunday opens: the days do not overlap, and Sunday has 25 hours.
    let cal = compile(
        &CalendarSpec::always_open("24x7"),
        &America::Havana,
        date(2024, 11, 2),
        date(2024, 11, 4),
    );
    assert_eq!(
        intervals(&cal),
        vec![
            (utc(2024, 11, 2, 4, 0, 0), utc(2024, 11, 3, 4, 0, 0)),
            (utc(2024, 11, 3, 4, 0, 0), utc(2024, 11, 4, 5, 0, 0)),
        ]
    );
    let saturday_night = utc(2024, 11, 3, 3, 0, 0);
    assert_eq!(
        cal.end_of_business_day(&saturday_night),
        Ok(utc(2024, 11, 3, 4, 0, 0))
    );
    // A horizon ending on that midnight ends at its first pass, with Saturday.
    let cal = compile(
        &CalendarSpec::always_open("24x7"),
        &America::Havana,
        date(2024, 11, 2),
        date(2024, 11, 3),
    );
    assert_eq!(cal.horizon_end(), utc(2024, 11, 3, 4, 0, 0));
    assert_eq!(cal.total_open(), Duration::hours(24));
}

#[test]
fn lord_howe_shifts_by_half_an_hour() {
    let lh = &Australia::Lord_Howe;
    let spec = sundays(&[seg("01:00", "03:00")]);
    // Sunday 5 April 2026: 02:00 (+11) falls back to 01:30 (+10:30) at 15:00 UTC the day
    // before. 01:00 +11 to 03:00 +10:30: two and a half hours.
    let cal = compile(&spec, lh, date(2026, 4, 5), date(2026, 4, 6));
    assert_eq!(
        intervals(&cal),
        vec![(utc(2026, 4, 4, 14, 0, 0), utc(2026, 4, 4, 16, 30, 0))]
    );
    // Sunday 4 October 2026: 02:00 (+10:30) springs to 02:30 (+11) at 15:30 UTC the day
    // before. 01:00 +10:30 to 03:00 +11: an hour and a half.
    let cal = compile(&spec, lh, date(2026, 10, 4), date(2026, 10, 5));
    assert_eq!(
        intervals(&cal),
        vec![(utc(2026, 10, 3, 14, 30, 0), utc(2026, 10, 3, 16, 0, 0))]
    );
    // A segment starting in the skipped half hour opens at 02:30.
    let cal = compile(
        &sundays(&[seg("02:10", "04:00")]),
        lh,
        date(2026, 10, 4),
        date(2026, 10, 5),
    );
    assert_eq!(
        intervals(&cal),
        vec![(utc(2026, 10, 3, 15, 30, 0), utc(2026, 10, 3, 17, 0, 0))]
    );
    // The whole year, 24x7: duration is wall time, across both shifts.
    let cal = compile(
        &CalendarSpec::always_open("24x7"),
        lh,
        date(2026, 1, 1),
        date(2027, 1, 1),
    );
    assert_eq!(cal.total_open(), cal.horizon_end() - cal.horizon_start());
    let (a, b) = (utc(2026, 4, 4, 14, 45, 0), utc(2026, 10, 3, 15, 45, 0));
    assert_eq!(cal.duration(&a, &b), Ok(b - a));
}

#[test]
fn a_segment_may_end_at_24_00() {
    // Monday 2 March 2026: 22:00-24:00, then Tuesday 00:00-02:00.
    let spec = spec(Week {
        mon: vec![seg("22:00", "24:00")],
        tue: vec![seg("00:00", "02:00")],
        ..Week::default()
    });
    let cal = compile(&spec, &Utc, date(2026, 3, 1), date(2026, 4, 1));
    let (mon_22, mon_23) = (utc(2026, 3, 2, 22, 0, 0), utc(2026, 3, 2, 23, 0, 0));
    let (tue_0, tue_1, tue_2) = (
        utc(2026, 3, 3, 0, 0, 0),
        utc(2026, 3, 3, 1, 0, 0),
        utc(2026, 3, 3, 2, 0, 0),
    );
    // Two intervals that touch.
    assert_eq!(on(&cal, 2026, 3, 2), vec![(mon_22, tue_0)]);
    assert_eq!(on(&cal, 2026, 3, 3), vec![(tue_0, tue_2)]);
    assert_eq!(cal.is_open(&tue_0), Ok(true));
    assert_eq!(cal.is_open(&tue_2), Ok(false));
    assert_eq!(cal.add(&mon_23, Duration::hours(2)), Ok(tue_1));
    assert_eq!(cal.add(&tue_1, Duration::hours(-2)), Ok(mon_23));
    // Landing on midnight exactly: forward and backward agree, it is one instant.
    assert_eq!(cal.add(&mon_22, Duration::hours(2)), Ok(tue_0));
    assert_eq!(cal.add(&tue_2, Duration::hours(-2)), Ok(tue_0));
    assert_eq!(
        cal.duration(&utc(2026, 3, 2, 0, 0, 0), &utc(2026, 3, 4, 0, 0, 0)),
        Ok(Duration::hours(4))
    );
    // Monday's business day ends at its 24:00; Tuesday's at 02:00.
    assert_eq!(cal.end_of_business_day(&mon_23), Ok(tue_0));
    assert_eq!(cal.end_of_business_day(&tue_0), Ok(tue_2));
    // A four-hour window runs across midnight.
    assert_eq!(cal.covers(&mon_22, &tue_2), Ok(true));
    assert_eq!(cal.next_fit(&mon_22, Duration::hours(4)), Ok(Some(mon_22)));
    assert_eq!(
        cal.next_fit(&(mon_22 + Duration::seconds(1)), Duration::hours(4)),
        Ok(Some(utc(2026, 3, 9, 22, 0, 0)))
    );
    assert_eq!(
        cal.next_fit(&mon_22, Duration::hours(4) + Duration::nanoseconds(1)),
        Ok(None)
    );
}

#[test]
fn a_24x7_calendar_counts_wall_time() {
    let spec = CalendarSpec::always_open("24x7");
    let zones: [Tz; 6] = [
        chrono_tz::UTC,
        America::New_York,
        Europe::Berlin,
        Europe::London,
        Asia::Kolkata,
        Australia::Lord_Howe,
    ];
    let instants = [
        utc(2026, 1, 1, 0, 0, 0),
        utc(2026, 3, 8, 6, 59, 59),
        utc(2026, 3, 29, 1, 0, 0),
        utc(2026, 4, 4, 15, 0, 0),
        utc(2026, 10, 25, 0, 59, 59),
        utc(2026, 11, 1, 6, 0, 0),
        utc(2026, 12, 30, 12, 0, 0),
    ];
    for tz in zones {
        let cal = compile(&spec, &tz, date(2025, 12, 31), date(2027, 1, 2));
        assert_eq!(
            cal.total_open(),
            cal.horizon_end() - cal.horizon_start(),
            "{tz}"
        );
        // One interval a day, touching.
        assert_eq!(cal.intervals().count(), 367, "{tz}");
        for &a in &instants {
            assert_eq!(cal.is_open(&a), Ok(true), "{tz}");
            assert_eq!(cal.next_open(&a), Ok(a), "{tz}");
            for &b in &instants {
                assert_eq!(cal.duration(&a, &b), Ok(b - a), "{tz} {a} {b}");
                assert_eq!(cal.add(&a, b - a), Ok(b), "{tz} {a} {b}");
                assert_eq!(cal.covers(&a, &b), Ok(a <= b), "{tz} {a} {b}");
            }
            // The whole rest of the horizon is one window.
            let rest = cal.horizon_end() - a;
            assert_eq!(cal.next_fit(&a, rest), Ok(Some(a)), "{tz}");
            let more = rest + Duration::nanoseconds(1);
            assert_eq!(cal.next_fit(&a, more), Ok(None), "{tz}");
        }
    }
}

fn berlin_office() -> CalendarSpec {
    spec(Week::weekdays(&[
        seg("09:00", "12:00"),
        seg("13:00", "17:00"),
    ]))
}

#[test]
fn a_lunch_break_is_closed_time() {
    let tz = &Europe::Berlin;
    let cal = compile(&berlin_office(), tz, date(2026, 3, 1), date(2026, 4, 1));
    // Monday 2 March 2026 (CET, UTC+1).
    let at = |h: u32, m: u32| local(tz, 2026, 3, 2, h, m).with_timezone(&Utc);
    let ns = Duration::nanoseconds(1);
    // Forward into the break: the earliest instant, noon.
    assert_eq!(cal.add(&at(11, 0), Duration::hours(1)), Ok(at(12, 0)));
    assert_eq!(
        cal.add(&at(11, 0), Duration::hours(1) + ns),
        Ok(at(13, 0) + ns)
    );
    // Backward into the break: the latest instant, 13:00.
    assert_eq!(cal.add(&at(14, 0), Duration::hours(-1)), Ok(at(13, 0)));
    assert_eq!(
        cal.add(&at(14, 0), Duration::hours(-1) - ns),
        Ok(at(12, 0) - ns)
    );
    // From inside the break.
    assert_eq!(cal.add(&at(12, 30), Duration::hours(1)), Ok(at(14, 0)));
    assert_eq!(cal.add(&at(12, 30), Duration::hours(-1)), Ok(at(11, 0)));
    assert_eq!(cal.add(&at(12, 30), Duration::zero()), Ok(at(12, 30)));
    assert_eq!(cal.duration(&at(11, 0), &at(14, 0)), Ok(Duration::hours(2)));
    assert_eq!(cal.duration(&at(12, 10), &at(12, 50)), Ok(Duration::zero()));
    assert_eq!(cal.is_open(&at(12, 0)), Ok(false));
    assert_eq!(cal.is_open(&(at(12, 0) - ns)), Ok(true));
    assert_eq!(cal.next_open(&at(12, 0)), Ok(at(13, 0)));
    assert_eq!(cal.end_of_business_day(&at(12, 30)), Ok(at(17, 0)));
    assert_eq!(cal.end_of_business_day(&at(9, 0)), Ok(at(17, 0)));
    assert_eq!(
        cal.end_of_business_day(&at(17, 0)),
        Ok(local(tz, 2026, 3, 3, 17, 0).with_timezone(&Utc))
    );
    assert_eq!(cal.covers(&at(9, 0), &at(12, 0)), Ok(true));
    assert_eq!(cal.covers(&at(9, 0), &(at(12, 0) + ns)), Ok(false));
    assert_eq!(cal.overlaps(&at(12, 0), &at(13, 0)), Ok(false));
    assert_eq!(cal.overlaps(&at(12, 0), &(at(13, 0) + ns)), Ok(true));
    // The longest run of open time is the afternoon's four hours.
    assert_eq!(
        cal.next_fit(&at(9, 0), Duration::hours(4)),
        Ok(Some(at(13, 0)))
    );
    assert_eq!(
        cal.next_fit(&at(9, 0), Duration::hours(3)),
        Ok(Some(at(9, 0)))
    );
    assert_eq!(cal.next_fit(&at(9, 0), Duration::hours(4) + ns), Ok(None));
    // A week is 5 x 7 hours.
    assert_eq!(
        cal.duration(&at(0, 0), &local(tz, 2026, 3, 9, 0, 0)),
        Ok(Duration::hours(35))
    );
}

#[test]
fn a_29_february_holiday_applies_in_leap_years_only() {
    let mut spec = spec(Week::weekdays(&[seg("09:00", "17:00")]));
    let (from, to) = (date(2027, 1, 1), date(2030, 1, 1));
    let without = compile(&spec, &Utc, from, to);
    spec.holidays = vec![Holiday::yearly(2, 29).named("leap day")];
    let cal = compile(&spec, &Utc, from, to);
    // Tuesday 29 February 2028 is closed; nothing else is.
    assert_eq!(cal.is_open(&utc(2028, 2, 29, 12, 0, 0)), Ok(false));
    assert_eq!(without.is_open(&utc(2028, 2, 29, 12, 0, 0)), Ok(true));
    assert_eq!(without.total_open() - cal.total_open(), Duration::hours(8));
    for open in [
        utc(2028, 2, 28, 12, 0, 0),
        utc(2028, 3, 1, 12, 0, 0),
        utc(2027, 3, 1, 12, 0, 0),
        utc(2029, 2, 28, 12, 0, 0),
        utc(2029, 3, 1, 12, 0, 0),
    ] {
        assert_eq!(cal.is_open(&open), Ok(true), "{open}");
    }
    assert_eq!(
        cal.add(&utc(2028, 2, 28, 16, 0, 0), Duration::hours(2)),
        Ok(utc(2028, 3, 1, 10, 0, 0))
    );
}

#[test]
fn dated_and_yearly_holidays_close_whole_days() {
    let mut spec = berlin_office();
    spec.holidays = vec![
        Holiday::date(date(2026, 4, 3)).named("Good Friday"),
        Holiday::yearly(12, 25),
    ];
    let tz = &Europe::Berlin;
    let cal = compile(&spec, tz, date(2026, 1, 1), date(2028, 1, 1));
    for day in [date(2026, 4, 3), date(2026, 12, 25), date(2027, 12, 25)] {
        let morning = tz
            .from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
            .unwrap();
        let night = tz
            .from_local_datetime(&day.and_hms_opt(23, 0, 0).unwrap())
            .unwrap();
        assert_eq!(
            cal.duration(&morning, &night),
            Ok(Duration::zero()),
            "{day}"
        );
    }
    // A dated holiday is one date: Good Friday 2027 (26 March) is an ordinary Friday.
    let friday = local(tz, 2027, 3, 26, 10, 0);
    assert_eq!(cal.is_open(&friday), Ok(true));
}

fn exception(name: &str, start: (u32, u32, u32), end: (u32, u32, u32), open: bool) -> Exception {
    let at = |(d, h, m): (u32, u32, u32)| date(2026, 12, d).and_hms_opt(h, m, 0).unwrap();
    if open {
        Exception::open(name, at(start), at(end))
    } else {
        Exception::closed(name, at(start), at(end))
    }
}

#[test]
fn exceptions_override_holidays_and_later_ones_win() {
    let tz = &Europe::Berlin;
    let mut spec = berlin_office();
    spec.holidays = vec![Holiday::yearly(12, 25).named("Christmas")];
    let at = |d: u32, h: u32, m: u32| local(tz, 2026, 12, d, h, m).with_timezone(&Utc);
    let (from, to) = (date(2026, 12, 1), date(2027, 1, 1));

    // An open exception on the holiday (Friday 25 December): open 10:00-12:00 only.
    spec.exceptions = vec![exception("on call", (25, 10, 0), (25, 12, 0), true)];
    let cal = compile(&spec, tz, from, to);
    assert_eq!(on(&cal, 2026, 12, 25), vec![(at(25, 10, 0), at(25, 12, 0))]);

    // Closed all Monday 14th, then open 12:00-13:00 (over the lunch break): the later wins.
    spec.exceptions = vec![
        exception("closed", (14, 0, 0), (15, 0, 0), false),
        exception("open", (14, 12, 0), (14, 13, 0), true),
    ];
    let cal = compile(&spec, tz, from, to);
    assert_eq!(on(&cal, 2026, 12, 14), vec![(at(14, 12, 0), at(14, 13, 0))]);
    // The other way round, the closure wins.
    spec.exceptions.reverse();
    let cal = compile(&spec, tz, from, to);
    assert_eq!(on(&cal, 2026, 12, 14), vec![]);

    // An open exception across midnight (a weekend migration, Saturday 19th 22:00 to
    // Sunday 02:00) next to a closed one that cuts an hour out of it.
    spec.exceptions = vec![
        exception("migration", (19, 22, 0), (20, 2, 0), true),
        exception("pause", (19, 23, 30), (20, 0, 30), false),
    ];
    let cal = compile(&spec, tz, from, to);
    let weekend: Vec<_> = cal
        .intervals()
        .filter(|&(s, _)| at(19, 0, 0) <= s && s < at(21, 0, 0))
        .collect();
    assert_eq!(
        weekend,
        vec![
            (at(19, 22, 0), at(19, 23, 30)),
            (at(20, 0, 30), at(20, 2, 0)),
        ]
    );
    assert_eq!(
        cal.duration(&at(19, 0, 0), &at(21, 0, 0)),
        Ok(Duration::minutes(90 + 90))
    );
    // Friday 16:00 plus two hours: one hour on Friday, then Saturday 22:00-23:00.
    assert_eq!(
        cal.add(&at(18, 16, 0), Duration::hours(2)),
        Ok(at(19, 23, 0))
    );
    // Using up Saturday's open time exactly ends at its close, not at Sunday's reopening.
    assert_eq!(
        cal.add(&at(18, 16, 0), Duration::minutes(150)),
        Ok(at(19, 23, 30))
    );
    assert_eq!(
        cal.add(
            &at(18, 16, 0),
            Duration::minutes(150) + Duration::nanoseconds(1)
        ),
        Ok(at(20, 0, 30) + Duration::nanoseconds(1))
    );
}

#[test]
fn the_answers_do_not_depend_on_the_zone_an_instant_is_written_in() {
    let cal = compile(
        &berlin_office(),
        &Europe::Berlin,
        date(2026, 1, 1),
        date(2027, 1, 1),
    );
    let a = utc(2026, 3, 27, 15, 30, 0);
    let b = utc(2026, 3, 30, 8, 15, 0);
    let kathmandu = FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap();
    let expected_d = cal.duration(&a, &b).unwrap();
    // Friday 16:30 CET to Monday 10:15 CEST: 30 min + 1 h 15 min.
    assert_eq!(expected_d, Duration::minutes(105));
    macro_rules! same {
        ($a:expr, $b:expr) => {
            assert_eq!(cal.duration(&$a, &$b), Ok(expected_d));
            assert_eq!(cal.is_open(&$a), Ok(true));
            assert_eq!(cal.next_open(&$b), Ok(b));
            assert_eq!(cal.add(&$a, expected_d), Ok(b));
            assert_eq!(cal.add(&$b, -expected_d), Ok(a));
            assert_eq!(cal.end_of_business_day(&$a), Ok(utc(2026, 3, 27, 16, 0, 0)));
            assert_eq!(cal.covers(&$a, &$b), Ok(false));
            assert_eq!(cal.overlaps(&$a, &$b), Ok(true));
            assert_eq!(
                cal.next_fit(&$a, Duration::hours(3)),
                Ok(Some(utc(2026, 3, 30, 7, 0, 0)))
            );
        };
    }
    same!(a, b);
    same!(
        a.with_timezone(&kathmandu),
        b.with_timezone(&America::New_York)
    );
    same!(
        a.with_timezone(&Australia::Lord_Howe),
        b.with_timezone(&Utc)
    );
    let newfoundland = FixedOffset::west_opt(3 * 3600 + 30 * 60).unwrap();
    same!(
        a.with_timezone(&newfoundland),
        b.with_timezone(&Asia::Kolkata)
    );
}

#[test]
fn equivalent_zones_compile_to_the_same_calendar() {
    let spec = berlin_office();
    let (from, to) = (date(2026, 3, 1), date(2026, 3, 15));
    let utc_cal = compile(&spec, &Utc, from, to);
    assert!(compile(&spec, &chrono_tz::UTC, from, to) == utc_cal);
    assert!(compile(&spec, &chrono_tz::Etc::GMT, from, to) == utc_cal);
    assert!(compile(&spec, &FixedOffset::east_opt(0).unwrap(), from, to) == utc_cal);
    // India has kept +5:30 since 1945.
    let ist = FixedOffset::east_opt(5 * 3600 + 30 * 60).unwrap();
    assert!(compile(&spec, &Asia::Kolkata, from, to) == compile(&spec, &ist, from, to));
    assert!(compile(&spec, &Asia::Kolkata, from, to) != utc_cal);
    // The intervals of a fixed offset are the UTC ones, shifted.
    let shifted: Vec<_> = compile(&spec, &ist, from, to)
        .intervals()
        .map(|(s, e)| (s + Duration::minutes(330), e + Duration::minutes(330)))
        .collect();
    assert_eq!(shifted, intervals(&utc_cal));
}

/// Local mean time's offsets are not whole minutes. Berlin went from +0:53:28 to +1:00 at
/// midnight on Saturday 1 April 1893 (23:06:32 UTC), skipping 00:00:00 to 00:06:32.
#[test]
fn a_jump_ending_between_whole_minutes_ends_to_the_second() {
    let spec = spec(Week {
        fri: vec![seg("20:00", "24:00")],
        sat: vec![seg("00:00", "01:00")],
        ..Week::default()
    });
    let cal = compile(&spec, &Europe::Berlin, date(1893, 3, 31), date(1893, 4, 2));
    assert_eq!(
        intervals(&cal),
        vec![
            // Friday 20:00 LMT to the end of the jump: four hours.
            (utc(1893, 3, 31, 19, 6, 32), utc(1893, 3, 31, 23, 6, 32)),
            // Saturday from the end of the jump to 01:00 CET.
            (utc(1893, 3, 31, 23, 6, 32), utc(1893, 4, 1, 0, 0, 0)),
        ]
    );
    let cal = compile(&spec, &Europe::Berlin, date(1893, 3, 31), date(1893, 4, 1));
    assert_eq!(cal.horizon_end(), utc(1893, 3, 31, 23, 6, 32));
    assert_eq!(cal.total_open(), Duration::hours(4));
    // Kolkata skipped 00:00:00 to 00:08:50 on 1 January 1906 (+5:21:10 to +5:30).
    let cal = compile(
        &CalendarSpec::always_open("24x7"),
        &Asia::Kolkata,
        date(1906, 1, 1),
        date(1906, 1, 2),
    );
    assert_eq!(cal.horizon_start(), utc(1905, 12, 31, 18, 38, 50));
    assert_eq!(cal.total_open(), Duration::seconds(86_400 - 530));
}

/// Santiago falls back from 24:00 to 23:00 (Saturday's last hour repeats) and springs
/// forward from 24:00 to 01:00 (Sunday's first hour is skipped).
#[test]
fn santiago_changes_its_clocks_at_midnight() {
    let spec = spec(Week {
        sat: vec![seg("22:00", "24:00")],
        sun: vec![seg("00:00", "02:00")],
        ..Week::default()
    });
    // Saturday 6 April 2024, -3 until 03:00 UTC on the 7th, then -4.
    let cal = compile(
        &spec,
        &America::Santiago,
        date(2024, 4, 6),
        date(2024, 4, 8),
    );
    assert_eq!(
        intervals(&cal),
        vec![
            // 22:00 -3 to midnight -4: three hours, keeping the repeated hour.
            (utc(2024, 4, 7, 1, 0, 0), utc(2024, 4, 7, 4, 0, 0)),
            (utc(2024, 4, 7, 4, 0, 0), utc(2024, 4, 7, 6, 0, 0)),
        ]
    );
    // Saturday 7 September 2024, -4 until 04:00 UTC on the 8th, then -3.
    let cal = compile(
        &spec,
        &America::Santiago,
        date(2024, 9, 7),
        date(2024, 9, 9),
    );
    assert_eq!(
        intervals(&cal),
        vec![
            (utc(2024, 9, 8, 2, 0, 0), utc(2024, 9, 8, 4, 0, 0)),
            // Sunday opens at 01:00 -3: one hour.
            (utc(2024, 9, 8, 4, 0, 0), utc(2024, 9, 8, 5, 0, 0)),
        ]
    );
    assert_eq!(cal.horizon_start(), utc(2024, 9, 7, 4, 0, 0));
}

/// A made-up zone whose clocks fall back from 00:30 on Saturday 2 March 2030 to 23:30 on
/// the Friday (at 23:30 UTC), so midnight lies inside the repeated hour. No zone does this
/// today; a horizon ending on that midnight must still hold its last day's 24:00, and the
/// first half hour of Saturday belongs to Saturday.
#[test]
fn a_horizon_can_end_on_a_midnight_inside_a_repeat() {
    let zone = Jumpy::new(vec![
        (i64::MIN / 4, 3600),
        (utc(2030, 3, 1, 23, 30, 0).timestamp(), 0),
    ]);
    let spec = CalendarSpec::always_open("24x7");
    let cal = compile(&spec, &zone, date(2030, 2, 25), date(2030, 3, 2));
    // From 00:00 +1 on the 25th to Friday's 24:00, the later midnight (00:00 UTC).
    assert_eq!(cal.horizon_start(), utc(2030, 2, 24, 23, 0, 0));
    assert_eq!(cal.horizon_end(), utc(2030, 3, 2, 0, 0, 0));
    let all = cal.horizon_end() - cal.horizon_start();
    assert_eq!(all, Duration::days(5) + Duration::hours(1));
    // From 23:00 to 23:30 UTC the clock reads Saturday 00:00-00:30: open time too.
    assert_eq!(cal.total_open(), all);
    assert_eq!(cal.is_open(&utc(2030, 3, 1, 23, 15, 0)), Ok(true));
    let end = cal.add(&cal.horizon_start(), all).unwrap();
    assert_eq!(end, cal.horizon_end());
    assert_eq!(cal.duration(&cal.horizon_start(), &end), Ok(all));
    // A horizon starting on that midnight starts at its earlier pass.
    let cal = compile(&spec, &zone, date(2030, 3, 2), date(2030, 3, 3));
    assert_eq!(cal.horizon_start(), utc(2030, 3, 1, 23, 0, 0));
    assert_eq!(cal.total_open(), Duration::hours(25));
    // With weekend hours only, the Friday half hour the clock reads twice is closed: the
    // first half hour of Saturday is open, then closed until the clock reads Saturday again.
    let weekend = Week {
        sat: vec![seg("00:00", "24:00")],
        sun: vec![seg("00:00", "24:00")],
        ..Week::default()
    };
    let cal = compile(
        &self::spec(weekend.clone()),
        &zone,
        date(2030, 3, 2),
        date(2030, 3, 3),
    );
    assert_eq!(
        intervals(&cal),
        vec![
            (utc(2030, 3, 1, 23, 0, 0), utc(2030, 3, 1, 23, 30, 0)),
            (utc(2030, 3, 2, 0, 0, 0), utc(2030, 3, 3, 0, 0, 0)),
        ]
    );
    assert_eq!(cal.total_open(), Duration::minutes(24 * 60 + 30));
}

/// A made-up zone that springs forward from 23:30 on Monday 4 March 2030 to 00:30 on the
/// Tuesday (at 22:30 UTC): midnight is skipped, Monday's 24:00 and Tuesday's 00:00 are both
/// the end of the jump.
#[test]
fn a_midnight_inside_a_jump() {
    let zone = Jumpy::new(vec![
        (i64::MIN / 4, 0),
        (utc(2030, 3, 4, 23, 30, 0).timestamp(), 3600),
    ]);
    let spec = spec(Week {
        mon: vec![seg("22:00", "24:00")],
        tue: vec![seg("00:00", "02:00")],
        ..Week::default()
    });
    let cal = compile(&spec, &zone, date(2030, 3, 4), date(2030, 3, 6));
    assert_eq!(
        intervals(&cal),
        vec![
            (utc(2030, 3, 4, 22, 0, 0), utc(2030, 3, 4, 23, 30, 0)),
            (utc(2030, 3, 4, 23, 30, 0), utc(2030, 3, 5, 1, 0, 0)),
        ]
    );
    assert_eq!(cal.total_open(), Duration::hours(3));
    assert_eq!(
        cal.end_of_business_day(&utc(2030, 3, 4, 23, 0, 0)),
        Ok(utc(2030, 3, 4, 23, 30, 0))
    );
}

/// Exceptions are local date-times to the nanosecond, and count to the nanosecond.
#[test]
fn an_exception_may_start_and_end_between_whole_seconds() {
    let d = date(2026, 3, 2);
    let at = |h: u32, m: u32, s: u32, nano: u32| d.and_hms_nano_opt(h, m, s, nano).unwrap();
    let mut spec = spec(Week::weekdays(&[seg("09:00", "17:00")]));
    spec.exceptions = vec![
        Exception::closed(
            "reboot",
            at(9, 0, 0, 500_000_000),
            at(10, 0, 0, 250_000_000),
        ),
        Exception::open("one more nanosecond", at(17, 0, 0, 0), at(17, 0, 0, 1)),
    ];
    let cal = compile(&spec, &Utc, d, date(2026, 3, 3));
    let ns = |h: u32, m: u32, s: u32, nano: u32| at(h, m, s, nano).and_utc();
    assert_eq!(
        intervals(&cal),
        vec![
            (ns(9, 0, 0, 0), ns(9, 0, 0, 500_000_000)),
            (ns(10, 0, 0, 250_000_000), ns(17, 0, 0, 1)),
        ]
    );
    assert_eq!(
        cal.total_open(),
        Duration::hours(7) + Duration::milliseconds(250) + Duration::nanoseconds(1)
    );
    // The same in Berlin, shifted by its hour.
    let berlin = compile(&spec, &Europe::Berlin, d, date(2026, 3, 3));
    let shifted: Vec<_> = berlin
        .intervals()
        .map(|(s, e)| (s + Duration::hours(1), e + Duration::hours(1)))
        .collect();
    assert_eq!(shifted, intervals(&cal));
}

/// An exception spanning millennia is clipped to each day without overflowing.
#[test]
fn an_exception_may_span_millennia() {
    let mut spec = spec(Week::weekdays(&[seg("09:00", "17:00")]));
    spec.exceptions = vec![Exception::open(
        "forever",
        date(-9000, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
        date(9000, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
    )];
    let cal = compile(&spec, &Utc, date(2026, 1, 1), date(2027, 1, 1));
    assert_eq!(cal.total_open(), Duration::days(365));
    spec.exceptions[0].open = false;
    assert!(matches!(
        Calendar::compile(&spec, &Utc, date(2026, 1, 1), date(2027, 1, 1)),
        Err(itsm_calendar::Error::NoOpenTime { .. })
    ));
}
