//! Calendars without a horizon ([`Calendar::new`]): the same answers as an explicit horizon
//! wherever both answer, spans of any number of years, the years that repeat every 400
//! years, chrono's whole range, and threads sharing one calendar.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use common::{config, run};
use itsm_calendar::{Calendar, CalendarSpec, Exception, Holiday, Segment, Week};
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    date(y, m, d).and_hms_opt(h, 0, 0).unwrap().and_utc()
}

/// An IANA zone with the `tz` feature; without it, an offset.
fn zone(iana: &str, offset: &str) -> Option<String> {
    Some(if cfg!(feature = "tz") { iana } else { offset }.to_owned())
}

fn seg(start: &str, end: &str) -> Segment {
    Segment::parse(start, end).unwrap()
}

/// Weekdays 09:00-17:00 in UTC, closed on New Year's Day and Christmas Day.
fn office() -> CalendarSpec {
    let mut spec = CalendarSpec::new("office", Week::weekdays(&[seg("09:00", "17:00")]));
    spec.holidays = vec![Holiday::yearly(1, 1), Holiday::yearly(12, 25)];
    spec
}

/// The office's open time on the days `from..to`, counted day by day.
fn counted(from: NaiveDate, to: NaiveDate) -> Duration {
    let mut days = 0;
    let mut d = from;
    while d < to {
        let holiday = (d.month(), d.day()) == (1, 1) || (d.month(), d.day()) == (12, 25);
        if !holiday && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            days += 1;
        }
        d = d.succ_opt().unwrap();
    }
    Duration::hours(8 * days)
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap().and_utc()
}

#[test]
fn spans_of_many_years_add_up_day_by_day() {
    let cal = Calendar::new(&office()).unwrap();
    for (from, to) in [
        (date(2026, 1, 5), date(2036, 1, 7)),
        (date(1990, 6, 1), date(2110, 6, 1)),
        // Across the years where zones stop changing, and whole 400-year periods.
        (date(1700, 3, 1), date(2600, 3, 1)),
        (date(2090, 1, 1), date(3300, 7, 1)),
        (date(1, 1, 1), date(1300, 1, 1)),
        (date(-3000, 2, 28), date(-1000, 3, 1)),
        (date(200_000, 1, 1), date(201_500, 1, 1)),
    ] {
        let (a, b) = (midnight(from), midnight(to));
        let expected = counted(from, to);
        assert_eq!(cal.duration(&a, &b), Ok(expected), "{from} to {to}");
        assert_eq!(cal.duration(&b, &a), Ok(-expected), "{to} to {from}");
        // Back again: the last closing time before `to`.
        let end = cal.add(&a, expected).unwrap();
        assert!(end <= b && cal.is_open(&(end - Duration::nanoseconds(1))).unwrap());
        assert_eq!(cal.duration(&a, &end), Ok(expected));
    }
}

#[test]
fn the_whole_range_of_chrono() {
    let cal = Calendar::new(&office()).unwrap();
    let (first, last) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    let all = cal.duration(&first, &last).unwrap();
    assert_eq!(cal.total_open(), all);
    // 524,288 years, about 1,310.7 periods of 400 years, each with this many open hours.
    let period = counted(date(2400, 1, 1), date(2800, 1, 1));
    let periods = all.num_seconds() as f64 / period.num_seconds() as f64;
    assert!((periods - 524_288.0 / 400.0).abs() < 0.01, "{periods}");
    // From the first instant, all of it reaches the last closing time.
    let end = cal.add(&first, all).unwrap();
    assert_eq!(cal.duration(&end, &last), Ok(Duration::zero()));
    assert_eq!(cal.add(&last, -all), cal.next_open(&first));
    assert_eq!(cal.next_open(&first).unwrap().year(), first.year());
    assert_eq!(
        cal.end_of_business_day(&first).unwrap().year(),
        first.year()
    );
    assert_eq!(
        cal.next_fit(&first, Duration::hours(8))
            .unwrap()
            .unwrap()
            .year(),
        first.year()
    );
}

/// Years outside 1800-2100 and away from dated entries repeat every 400 years.
#[test]
fn far_years_repeat_every_four_hundred_years() {
    let mut spec = office();
    spec.zone = Some("+05:30".into());
    spec.week.sat = vec![seg("22:00", "04:00")];
    spec.exceptions = vec![Exception::open(
        "migration",
        date(2030, 6, 1).and_hms_opt(0, 0, 0).unwrap(),
        date(2030, 6, 3).and_hms_opt(0, 0, 0).unwrap(),
    )];
    let cal = Calendar::new(&spec).unwrap();
    let period = Duration::days(146_097);
    for start in [
        utc(2500, 3, 4, 11),
        utc(-7_000, 12, 30, 23),
        utc(9_999, 12, 31, 20),
    ] {
        let later = start + period;
        let ahead = Duration::days(800);
        assert_eq!(
            cal.duration(&start, &(start + ahead)),
            cal.duration(&later, &(later + ahead)),
            "{start}"
        );
        assert_eq!(
            cal.next_open(&start).map(|t| t + period),
            cal.next_open(&later)
        );
        assert_eq!(
            cal.add(&start, Duration::hours(12_345)).map(|t| t + period),
            cal.add(&later, Duration::hours(12_345))
        );
        assert_eq!(
            cal.end_of_business_day(&start).map(|t| t + period),
            cal.end_of_business_day(&later)
        );
        // One period is the same open time wherever it starts, in either stretch.
        let one = cal.duration(&start, &later).unwrap();
        let other = cal.duration(&utc(-40_000, 1, 1, 0), &(utc(-40_000, 1, 1, 0) + period));
        assert_eq!(Ok(one), other);
    }
}

/// The same spec, with and without a horizon, answers the same within the horizon.
#[test]
fn without_a_horizon_as_with_one() {
    let mut spec = CalendarSpec::new(
        "london",
        Week {
            sat: vec![seg("10:00", "14:00")],
            sun: vec![seg("23:30", "01:30")],
            ..Week::weekdays(&[seg("08:00", "12:00"), seg("13:00", "17:30")])
        },
    );
    spec.zone = zone("Europe/London", "+00:00");
    spec.holidays = vec![
        Holiday::yearly(12, 25).named("Christmas"),
        Holiday::date(date(2026, 4, 3)),
        Holiday::yearly(2, 29),
    ];
    spec.exceptions = vec![
        Exception::open(
            "migration",
            date(2026, 3, 28).and_hms_opt(22, 0, 0).unwrap(),
            date(2026, 3, 29).and_hms_opt(4, 0, 0).unwrap(),
        ),
        Exception::closed(
            "strike",
            date(2027, 10, 30).and_hms_opt(12, 0, 0).unwrap(),
            date(2027, 11, 2).and_hms_opt(0, 0, 0).unwrap(),
        ),
    ];
    let (from, to) = (date(2020, 1, 1), date(2032, 1, 1));
    let fixed = Calendar::with_horizon(&spec, from, to).unwrap();
    let open = Calendar::new(&spec).unwrap();
    let (lo, hi) = (fixed.horizon_start(), fixed.horizon_end());
    let span = (hi - lo).num_seconds();
    let instant =
        |x: u64| lo + Duration::seconds(i64::try_from(x % u64::try_from(span).unwrap()).unwrap());
    // On the whole horizon, the same intervals.
    assert_eq!(
        open.intervals_between(&lo, &hi).unwrap(),
        fixed.intervals().collect::<Vec<_>>()
    );
    run(
        config(256, "proptest-regressions/open-london.txt"),
        &(any::<u64>(), any::<u64>(), -20_000i64..20_000),
        |(x, y, minutes)| {
            let (a, b) = (instant(x), instant(y));
            let d = Duration::minutes(minutes * 7);
            prop_assert_eq!(open.is_open(&a), fixed.is_open(&a));
            prop_assert_eq!(open.duration(&a, &b), fixed.duration(&a, &b));
            prop_assert_eq!(open.covers(&a, &b), fixed.covers(&a, &b));
            prop_assert_eq!(open.overlaps(&a, &b), fixed.overlaps(&a, &b));
            if let Ok(r) = fixed.add(&a, d) {
                prop_assert_eq!(open.add(&a, d), Ok(r));
            }
            if let Ok(r) = fixed.next_open(&a) {
                prop_assert_eq!(open.next_open(&a), Ok(r));
            }
            if let Ok(r) = fixed.end_of_business_day(&a) {
                if r < hi {
                    prop_assert_eq!(open.end_of_business_day(&a), Ok(r));
                }
            }
            let length = Duration::minutes(minutes.abs() % 600);
            if let Ok(Some(r)) = fixed.next_fit(&a, length) {
                if r + length < hi {
                    prop_assert_eq!(open.next_fit(&a, length), Ok(Some(r)));
                }
            }
            Ok(())
        },
    );
}

#[test]
fn add_inverts_duration_over_centuries() {
    let mut spec = office();
    spec.zone = zone("America/New_York", "-05:00");
    let cal = Calendar::new(&spec).unwrap();
    run(
        config(64, "proptest-regressions/open-add.txt"),
        &(-500_000i64..500_000, 0i64..2_000_000),
        |(day, hours)| {
            let start = utc(2000, 1, 1, 0) + Duration::days(day) + Duration::minutes(day % 1440);
            let d = Duration::hours(hours) + Duration::nanoseconds(day);
            let end = cal.add(&start, d).unwrap();
            prop_assert_eq!(cal.duration(&start, &end), Ok(d));
            // Forward: the earliest such instant.
            prop_assert!(cal.is_open(&(end - Duration::nanoseconds(1))).unwrap());
            let back = cal.add(&start, -d).unwrap();
            prop_assert_eq!(cal.duration(&back, &start), Ok(d));
            // Backward: the latest, open itself.
            prop_assert!(cal.is_open(&back).unwrap());
            Ok(())
        },
    );
}

/// A window that fits across the end of a UTC year, a run that lasts years, and a window
/// that never fits, answered at once.
#[test]
fn windows_across_years() {
    // Nightly windows, 22:00 to 06:00 UTC: one spans New Year's Eve.
    let nights = Calendar::new(&CalendarSpec::new(
        "nights",
        Week::every_day(&[seg("22:00", "06:00")]),
    ))
    .unwrap();
    let eve = utc(2026, 12, 31, 12);
    assert_eq!(
        nights.next_fit(&eve, Duration::hours(8)),
        Ok(Some(utc(2026, 12, 31, 22)))
    );
    assert_eq!(nights.next_fit(&eve, Duration::hours(9)), Ok(None));
    assert!(
        nights
            .covers(&utc(2026, 12, 31, 23), &utc(2027, 1, 1, 5))
            .unwrap()
    );
    // One interval, though the year's tables end at midnight.
    assert_eq!(
        nights.intervals_between(&eve, &utc(2027, 1, 1, 12)),
        Ok(vec![(utc(2026, 12, 31, 22), utc(2027, 1, 1, 6))])
    );
    assert_eq!(
        nights.end_of_business_day(&utc(2026, 12, 31, 23)),
        Ok(utc(2027, 1, 1, 6))
    );
    // Around the clock but for one yearly holiday: a run of a year less a day.
    let mut spec = CalendarSpec::always_open("almost");
    spec.holidays = vec![Holiday::yearly(7, 14)];
    let almost = Calendar::new(&spec).unwrap();
    let start = utc(2026, 7, 15, 0);
    assert_eq!(
        almost.next_fit(&start, Duration::days(364)),
        Ok(Some(start))
    );
    assert_eq!(
        almost.next_fit(&start, Duration::days(365)),
        Ok(Some(utc(2027, 7, 15, 0)))
    );
    assert_eq!(almost.next_fit(&start, Duration::days(366)), Ok(None));
    // Around the clock: any window fits, up to the end of chrono's range.
    let always = Calendar::new(&CalendarSpec::always_open("24x7")).unwrap();
    let long = Duration::days(365 * 1000);
    assert_eq!(always.next_fit(&start, long), Ok(Some(start)));
    let left = DateTime::<Utc>::MAX_UTC - start;
    assert_eq!(always.next_fit(&start, left), Ok(Some(start)));
    assert_eq!(
        always.next_fit(&start, left + Duration::seconds(1)),
        Ok(None)
    );
    // From the far past, through the years that repeat, into the years between.
    let past = utc(-200_000, 3, 1, 0);
    let ages = Duration::days(365 * 201_000);
    assert_eq!(always.next_fit(&past, ages), Ok(Some(past)));
    assert_eq!(always.covers(&past, &(past + ages)), Ok(true));
    assert_eq!(always.duration(&past, &(past + ages)), Ok(ages));
    assert_eq!(always.add(&past, ages), Ok(past + ages));
}

/// A calendar is shared between threads: each year is compiled once, whoever asks first.
#[test]
fn threads_share_one_calendar() {
    fn shareable<T: Send + Sync + Clone>(_: &T) {}
    let mut spec = office();
    spec.zone = zone("Europe/Berlin", "+01:00");
    let cal = Calendar::new(&spec).unwrap();
    shareable(&cal);
    let alone = Calendar::new(&spec).unwrap();
    let years: Vec<i32> = (0..16).map(|k| 1990 + 3 * k).collect();
    let expected: Vec<_> = years
        .iter()
        .map(|&y| {
            let t = utc(y, 6, 1, 12);
            (
                alone.duration(&utc(1985, 1, 1, 0), &t),
                alone.add(&t, Duration::hours(40)),
            )
        })
        .collect();
    let answers: Vec<Vec<_>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    years
                        .iter()
                        .map(|&y| {
                            let t = utc(y, 6, 1, 12);
                            (
                                cal.duration(&utc(1985, 1, 1, 0), &t),
                                cal.add(&t, Duration::hours(40)),
                            )
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for a in answers {
        assert_eq!(a, expected);
    }
    // A clone answers the same.
    assert_eq!(
        cal.clone()
            .duration(&utc(1985, 1, 1, 0), &utc(2030, 1, 1, 0)),
        cal.duration(&utc(1985, 1, 1, 0), &utc(2030, 1, 1, 0))
    );
    assert!(cal.clone() == cal);
}

/// The years that repeat rest on chrono-tz's zones keeping one offset (or yearly rules)
/// outside 1800-2100; a new version of the data that breaks this fails here.
#[test]
#[cfg(feature = "tz")]
fn zones_keep_their_offsets_outside_1800_to_2100() {
    use chrono::{Offset, TimeZone};
    for tz in chrono_tz::TZ_VARIANTS {
        let offset = |t: DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc()).fix();
        let late = offset(utc(2101, 1, 1, 0));
        for y in [2101, 2150, 2400, 2501, 10_000, 200_000] {
            for m in [1, 4, 7, 10] {
                assert_eq!(offset(utc(y, m, 1, 0)), late, "{tz} in {y}-{m}");
            }
        }
        let early = offset(utc(1799, 12, 31, 0));
        for y in [1799, 1700, 1400, 1, -10_000, -200_000] {
            for m in [1, 4, 7, 10] {
                assert_eq!(offset(utc(y, m, 1, 0)), early, "{tz} in {y}-{m}");
            }
        }
    }
}

/// `total_open` is all the open time in chrono's range, in every zone: the open time from
/// its first instant to its last, plus the last instant's own nanosecond when it is open
/// (a duration between two instants cannot count it; behind UTC, the office is open at
/// chrono's last instant). Its fallback (`Duration::MAX` when the total cannot be counted)
/// is never taken, at the extreme offsets (+14:00 and -12:00 push the first and last local
/// days past chrono's range) nor with daylight saving.
#[test]
fn the_whole_range_is_counted_in_every_zone() {
    let (first, last) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    let mut open_at_the_end = Vec::new();
    for zone in [
        None,
        zone("Pacific/Kiritimati", "+14:00"),
        zone("Etc/GMT+12", "-12:00"),
        zone("Europe/London", "+01:00"),
        zone("America/St_Johns", "-03:30"),
    ] {
        let mut spec = office();
        spec.zone.clone_from(&zone);
        let cal = Calendar::new(&spec).unwrap();
        let between = cal.duration(&first, &last).unwrap();
        let last_ns = cal.is_open(&last).unwrap();
        let expected = between + Duration::nanoseconds(i64::from(last_ns));
        assert_eq!(cal.total_open(), expected, "{zone:?}");
        assert!(expected < Duration::days(524_288 * 366), "{zone:?}");
        open_at_the_end.push(last_ns);
    }
    // 262142-12-31 is a weekday: open at 11:59 local in -12:00 only (23:59 in UTC, 20:29
    // in St John's and the next day, 1 January, a holiday, at +14:00).
    assert_eq!(open_at_the_end, [false, false, true, false, false]);
}
