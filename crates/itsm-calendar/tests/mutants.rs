//! Tests that mutation testing showed were missing (`bash .ci/mutants itsm-calendar`,
//! docs/mutants.md): each kills a mutant that survived the other tests.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe;
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).unwrap()
}

/// Nine to five on weekdays.
fn office() -> CalendarSpec {
    let day = vec![Segment::parse("09:00", "17:00").unwrap()];
    CalendarSpec::new(
        "office",
        Week {
            mon: day.clone(),
            tue: day.clone(),
            wed: day.clone(),
            thu: day.clone(),
            fri: day,
            ..Week::default()
        },
    )
}

/// `has_horizon` tells a compiled calendar from one without a horizon (mutants: always
/// `true`, always `false`).
#[test]
fn a_compiled_calendar_has_a_horizon_and_a_new_one_has_none() {
    let spec = office();
    assert!(!Calendar::new(&spec).unwrap().has_horizon());
    let compiled = Calendar::compile(&spec, &Utc, date(2026, 1, 1), date(2026, 12, 31)).unwrap();
    assert!(compiled.has_horizon());
}

/// A horizon that starts on the day clocks go forward starts at that day's local midnight,
/// before the change (mutant: the zone's offsets read from a day later, `3 * DAY` turned
/// into `3 + DAY`). Paris, 29 March 2026: midnight is 23:00 UTC the day before, at +01:00.
#[test]
fn a_horizon_starting_on_a_daylight_saving_day_starts_at_its_local_midnight() {
    let cal = Calendar::compile(
        &office(),
        &Europe::Paris,
        date(2026, 3, 29),
        date(2026, 4, 30),
    )
    .unwrap();
    assert_eq!(cal.horizon_start(), utc(2026, 3, 28, 23));
    // Monday 30 March opens at 09:00 local, 07:00 UTC (+02:00 by then).
    assert_eq!(
        cal.next_open(&utc(2026, 3, 28, 23)).unwrap(),
        utc(2026, 3, 30, 7)
    );
}

/// `intervals_between` on a compiled calendar clips each interval to the range and leaves
/// out those that only touch it (mutants: `s < e` turned into `<=`, `==`, `>`).
#[test]
fn intervals_between_clips_to_the_range_and_leaves_out_intervals_that_only_touch_it() {
    let cal = Calendar::compile(&office(), &Utc, date(2026, 3, 1), date(2026, 3, 31)).unwrap();
    // Monday 2 March 17:00 (Monday's interval ends there) to Wednesday 12:00.
    let got = cal
        .intervals_between(&utc(2026, 3, 2, 17), &utc(2026, 3, 4, 12))
        .unwrap();
    assert_eq!(
        got.as_slice(),
        [
            (utc(2026, 3, 3, 9), utc(2026, 3, 3, 17)),
            (utc(2026, 3, 4, 9), utc(2026, 3, 4, 12)),
        ]
    );
    // A range that ends when an interval starts holds nothing.
    let none = cal
        .intervals_between(&utc(2026, 3, 3, 17), &utc(2026, 3, 4, 9))
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
}

fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    date(y, m, d).and_hms_opt(h, 0, 0).unwrap()
}

/// A business day whose overnight segment is joined to the next day's open exception ends
/// where the joined interval does, for every interval of that day (mutants: the day end's
/// `s < r.2` turned into `==`, `>`). Monday 09:00-17:00 and 20:00-02:00, an open exception
/// on Tuesday 01:00-04:00: Monday's business day ends on Tuesday at 04:00.
#[test]
fn a_day_joined_to_the_next_days_exception_ends_where_the_joined_interval_does() {
    let mut spec = office();
    spec.week.mon = vec![
        Segment::parse("09:00", "17:00").unwrap(),
        Segment::parse("20:00", "02:00").unwrap(),
    ];
    spec.exceptions.push(itsm_calendar::Exception::open(
        "migration",
        at(2026, 3, 3, 1),
        at(2026, 3, 3, 4),
    ));
    let compiled = Calendar::compile(&spec, &Utc, date(2026, 3, 1), date(2026, 3, 31)).unwrap();
    let open = Calendar::new(&spec).unwrap();
    for cal in [&compiled, &open] {
        assert_eq!(
            cal.end_of_business_day(&utc(2026, 3, 2, 10)).unwrap(),
            utc(2026, 3, 3, 4)
        );
    }
}

/// An evening of the day before the horizon that ends at the horizon's start leaves nothing
/// in the horizon, not even an empty interval. (Written for the clip's `s < e` turned into
/// `<=`, which it does not kill: the day before a horizon is never built, and an empty
/// interval elsewhere changes no answer; docs/mutants.md lists it as equivalent.)
#[test]
fn an_interval_ending_where_the_horizon_starts_is_left_out() {
    let mut spec = office();
    spec.week.mon = vec![Segment::parse("20:00", "24:00").unwrap()];
    // Tuesday 3 March 2026 starts the horizon; Monday's evening ends at its midnight.
    let cal = Calendar::compile(&spec, &Utc, date(2026, 3, 3), date(2026, 3, 10)).unwrap();
    let first = cal.intervals().next().unwrap();
    assert_eq!(first, (utc(2026, 3, 3, 9), utc(2026, 3, 3, 17)));
    assert!(cal.intervals().all(|(s, e)| s < e));
}

/// A fit that starts late in one year and ends early in the next is found although each
/// year's open time alone is too short (mutant: the year's open tail not recorded, `end ==
/// len` turned into `!=`, so the year was skipped). Closed all week except an open
/// exception from 31 December 2026 12:00 to 1 January 2027 12:00: twenty hours fit from
/// 31 December 12:00, searched from a year before (the year a search starts in is scanned
/// whole; the later ones are skipped on their summary when nothing can fit).
#[test]
fn a_fit_across_a_year_end_is_found() {
    let mut spec = CalendarSpec::new("year end", Week::default());
    spec.exceptions.push(itsm_calendar::Exception::open(
        "change freeze lifted",
        at(2026, 12, 31, 12),
        at(2027, 1, 1, 12),
    ));
    let cal = Calendar::new(&spec).unwrap();
    assert_eq!(
        cal.next_fit(&utc(2025, 12, 1, 0), chrono::Duration::hours(20))
            .unwrap(),
        Some(utc(2026, 12, 31, 12))
    );
}

/// A holiday of the wrong JSON type is refused with what a holiday looks like (mutant: the
/// visitor's `expecting` writing nothing).
#[cfg(feature = "serde")]
#[test]
fn a_holiday_of_the_wrong_type_says_what_a_holiday_looks_like() {
    let err = serde_json::from_str::<itsm_calendar::Holiday>("5").unwrap_err();
    assert!(
        err.to_string().contains(
            "expected a holiday, \"YYYY-MM-DD\", \"--MM-DD\" or an object tagged by kind"
        ),
        "{err}"
    );
}

/// Calendars without a horizon are equal when built from the same name, zone and rules,
/// and only then; their debug output names them (mutants: `eq` always true, its `&&`s
/// turned into `||`, `Debug` writing nothing).
#[test]
fn calendars_without_a_horizon_compare_by_name_zone_and_rules() {
    let base = office();
    let same = Calendar::new(&base).unwrap();
    assert_eq!(same, Calendar::new(&base).unwrap());
    let mut renamed = base.clone();
    renamed.name = "other".into();
    let mut zoned = base.clone();
    zoned.zone = Some("+02:00".into());
    let mut longer = base.clone();
    longer.week.sat = vec![Segment::parse("10:00", "12:00").unwrap()];
    for other in [&renamed, &zoned, &longer] {
        let cal = Calendar::new(other).unwrap();
        assert_ne!(same, cal, "{other:?}");
    }
    let debug = format!("{same:?}");
    assert!(
        debug.contains("Lazy") && debug.contains("office"),
        "{debug}"
    );
}

/// A calendar open only by exception counts a later year's exception when it sums whole
/// years (mutants: the year's exception test turned around, `<=` into `>` and `>=` into
/// `<`, so the year was taken for closed).
#[test]
fn an_exception_years_ahead_counts_in_a_sum_of_years() {
    let mut spec = CalendarSpec::new("rare", Week::default());
    spec.exceptions.push(itsm_calendar::Exception::open(
        "migration weekend",
        at(2030, 3, 2, 9),
        at(2030, 3, 2, 17),
    ));
    let cal = Calendar::new(&spec).unwrap();
    assert_eq!(
        cal.duration(&utc(2026, 1, 1, 0), &utc(2032, 1, 1, 0))
            .unwrap(),
        chrono::Duration::hours(8)
    );
    assert_eq!(
        cal.add(&utc(2026, 1, 1, 0), chrono::Duration::hours(1))
            .unwrap(),
        utc(2030, 3, 2, 10)
    );
}

/// A closure that covers only part of a year does not close the whole year when years are
/// summed (mutant: "one exception decides the year" with `&&` turned into `||`): office
/// hours, closed from 1 June 2030 to 2100; the sum over 2029-2030 agrees with a compiled
/// horizon's.
#[test]
fn a_closure_from_mid_year_leaves_the_months_before_it_open() {
    let mut spec = office();
    spec.exceptions.push(itsm_calendar::Exception::closed(
        "decommissioned",
        at(2030, 6, 1, 0),
        at(2100, 1, 1, 0),
    ));
    let open = Calendar::new(&spec).unwrap();
    let compiled = Calendar::compile(&spec, &Utc, date(2028, 12, 1), date(2031, 1, 31)).unwrap();
    let (a, b) = (utc(2029, 1, 1, 0), utc(2031, 1, 1, 0));
    let want = compiled.duration(&a, &b).unwrap();
    assert!(want > chrono::Duration::hours(8 * 261 + 8 * 100), "{want}");
    assert_eq!(open.duration(&a, &b).unwrap(), want);
}

/// A year wholly inside an open exception counts as a whole year of open time when years
/// are summed (mutants: the year's length in the summary of such a year, `*` into `+` or
/// `/`, `+ 1` into `- 1` or `* 1`).
#[test]
fn a_year_inside_an_open_exception_sums_as_a_whole_year() {
    let mut spec = office();
    spec.exceptions.push(itsm_calendar::Exception::open(
        "always on",
        at(2000, 1, 1, 0),
        at(2100, 1, 1, 0),
    ));
    let cal = Calendar::new(&spec).unwrap();
    assert_eq!(
        cal.duration(&utc(2029, 12, 31, 12), &utc(2032, 1, 1, 0))
            .unwrap(),
        chrono::Duration::hours(12 + 2 * 365 * 24)
    );
}

/// On a calendar open around the clock, adding exactly the time left to chrono's last
/// instant (or subtracting the time since its first) reaches it; a nanosecond more is an
/// overflow, named (mutants: the early overflow check's `>` turned into `>=` or `==`).
#[test]
fn adding_up_to_the_end_of_time_reaches_it_and_no_further() {
    let always = always_open();
    let (max, min) = (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC);
    let late = max - chrono::Duration::hours(1);
    assert_eq!(always.add(&late, max - late).unwrap(), max);
    let over = always.add(&late, max - late + chrono::Duration::nanoseconds(1));
    assert!(
        matches!(over, Err(itsm_calendar::Error::DateOverflow { .. })),
        "{over:?}"
    );
    let early = min + chrono::Duration::hours(1);
    assert_eq!(always.add(&early, -(early - min)).unwrap(), min);
}

/// A fit in chrono's last year is found from the year before (mutants: the search's end
/// of years, `z > max_year` turned into `>=` or `==`).
#[test]
fn a_fit_in_the_last_year_chrono_knows_is_found() {
    let mut spec = CalendarSpec::new("far", Week::default());
    spec.exceptions.push(itsm_calendar::Exception::open(
        "last window",
        at(262_142, 6, 1, 9),
        at(262_142, 6, 1, 17),
    ));
    let cal = Calendar::new(&spec).unwrap();
    let from = Utc.with_ymd_and_hms(262_141, 1, 1, 0, 0, 0).unwrap();
    let want = Utc.with_ymd_and_hms(262_142, 6, 1, 9, 0, 0).unwrap();
    assert_eq!(
        cal.next_fit(&from, chrono::Duration::hours(1)).unwrap(),
        Some(want)
    );
}

/// On the night clocks go back, an hour of local opening lasts two hours of wall time, and
/// a window of ninety minutes fits in it (mutants: the bound on a run's length in an IANA
/// zone, `2 * local` into `2 + local` and `2 * DAY` into `2 / DAY`, which made the search
/// give up). Paris, Sundays 02:00-03:00 local; 25 October 2026 repeats that hour.
#[cfg(feature = "tz")]
#[test]
fn the_repeated_hour_of_a_daylight_saving_night_holds_a_longer_window() {
    let mut spec = CalendarSpec::new(
        "night",
        Week {
            sun: vec![Segment::parse("02:00", "03:00").unwrap()],
            ..Week::default()
        },
    );
    spec.zone = Some("Europe/Paris".into());
    let cal = Calendar::new(&spec).unwrap();
    assert_eq!(
        cal.next_fit(&utc(2026, 10, 1, 0), chrono::Duration::minutes(90))
            .unwrap(),
        Some(utc(2026, 10, 25, 0))
    );
}

/// Far in the future (the periodic stretch of the calendar), a window exactly as long as
/// the longest opening still fits (mutant: the search's "nothing this long ever fits"
/// test, `need > longest` turned into `>=`). Office hours; from the evening of 31 December
/// 5000, eight hours fit on the next weekday.
#[test]
fn a_window_as_long_as_the_longest_opening_fits_far_ahead() {
    let cal = Calendar::new(&office()).unwrap();
    let from = Utc.with_ymd_and_hms(5000, 12, 31, 18, 0, 0).unwrap();
    let got = cal
        .next_fit(&from, chrono::Duration::hours(8))
        .unwrap()
        .unwrap();
    assert!(
        got > from && got < from + chrono::Duration::days(5),
        "{got}"
    );
    assert!(
        cal.covers(&got, &(got + chrono::Duration::hours(8)))
            .unwrap()
    );
}

/// Adding business time over thousands of years from the distant past, across the years
/// a dated exception makes irregular, lands where the business time between the two
/// instants is exactly what was added (mutants: the walk's bound on whole periods it may
/// skip, its match arms deleted, so it skipped into the irregular years).
#[test]
fn adding_across_millennia_and_a_dated_exception_is_undone_by_duration() {
    let mut spec = office();
    spec.exceptions.push(itsm_calendar::Exception::closed(
        "move",
        at(2026, 3, 2, 0),
        at(2026, 3, 9, 0),
    ));
    let cal = Calendar::new(&spec).unwrap();
    let from = Utc.with_ymd_and_hms(-2000, 1, 3, 9, 0, 0).unwrap();
    for hours in [2_088 * 3_000, 2_088 * 4_100, 2_088 * 4_500] {
        let d = chrono::Duration::hours(hours);
        let to = cal.add(&from, d).unwrap();
        assert_eq!(cal.duration(&from, &to).unwrap(), d, "{hours} h: {to}");
        let back = cal.add(&to, -d).unwrap();
        assert_eq!(
            cal.duration(&back, &to).unwrap(),
            d,
            "{hours} h back: {back}"
        );
    }
    // And backward from the distant future.
    let late = Utc.with_ymd_and_hms(6000, 1, 3, 17, 0, 0).unwrap();
    for hours in [2_088 * 3_000, 2_088 * 4_100] {
        let d = chrono::Duration::hours(hours);
        let back = cal.add(&late, -d).unwrap();
        assert_eq!(
            cal.duration(&back, &late).unwrap(),
            d,
            "{hours} h back: {back}"
        );
    }
}

/// Far in the past, a window that fits in an opening is found in the next year, not skipped
/// over (mutants: the early stretch's "nothing this long fits" test, `need > longest`
/// turned into `<`, `>=` or `==`). Office hours; from the evening of 31 December of the
/// year -5000, one hour and eight hours fit on the next weekday.
#[test]
fn a_window_that_fits_is_found_far_in_the_past() {
    let cal = Calendar::new(&office()).unwrap();
    let from = Utc.with_ymd_and_hms(-5000, 12, 31, 18, 0, 0).unwrap();
    for hours in [1, 8] {
        let got = cal
            .next_fit(&from, chrono::Duration::hours(hours))
            .unwrap()
            .unwrap();
        assert!(
            got > from && got < from + chrono::Duration::days(5),
            "{hours} h: {got}"
        );
    }
}

/// A long window that only a dated exception holds is found from far in the past: the
/// search skips the early years but not the dated ones (mutant: the skip's target,
/// `lo - PERIOD - 1` turned into `lo + PERIOD - 1`). Office hours and a migration weekend
/// open from Friday 6 March 2026 18:00 to Monday 9 March 09:00; forty-eight hours fit only
/// there, from Friday 18:00.
#[test]
fn a_long_window_only_a_dated_exception_holds_is_found_from_the_distant_past() {
    let mut spec = office();
    spec.exceptions.push(itsm_calendar::Exception::open(
        "migration weekend",
        at(2026, 3, 6, 18),
        at(2026, 3, 9, 9),
    ));
    let cal = Calendar::new(&spec).unwrap();
    let from = Utc.with_ymd_and_hms(-5000, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        cal.next_fit(&from, chrono::Duration::hours(48)).unwrap(),
        Some(utc(2026, 3, 6, 18))
    );
}

fn always_open() -> Calendar {
    Calendar::new(&CalendarSpec::new("always", around_the_clock())).unwrap()
}

/// Every day from 00:00 to 24:00.
fn around_the_clock() -> Week {
    every_day("00:00", "24:00")
}

/// One segment every day of the week.
fn every_day(start: &str, end: &str) -> Week {
    let day = vec![Segment::parse(start, end).unwrap()];
    Week {
        mon: day.clone(),
        tue: day.clone(),
        wed: day.clone(),
        thu: day.clone(),
        fri: day.clone(),
        sat: day.clone(),
        sun: day,
    }
}

/// On a calendar open around the clock, a window of many years fits at once, in the distant
/// past and future, until chrono's range cannot hold it (mutants: the runs through whole
/// open years in the periodic stretches).
#[test]
fn windows_of_many_years_fit_at_once_on_an_always_open_calendar() {
    let cal = always_open();
    let years = |n: i64| chrono::Duration::days(366 * n);
    for from in [
        Utc.with_ymd_and_hms(-5000, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(-3000, 7, 1, 12, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(3000, 6, 1, 0, 0, 0).unwrap(),
    ] {
        for n in [2, 10, 900] {
            assert_eq!(
                cal.next_fit(&from, years(n)).unwrap(),
                Some(from),
                "{from} {n}"
            );
        }
    }
    let late = DateTime::<Utc>::MAX_UTC - chrono::Duration::days(3 * 366);
    assert_eq!(cal.next_fit(&late, years(2)).unwrap(), Some(late));
    assert_eq!(cal.next_fit(&late, years(4)).unwrap(), None);
}

/// Adding whole multiples of a 400-year period of wall time on an always-open calendar
/// lands exactly that far, also when what is left after the first year is a whole number of
/// periods (mutants: the number of periods the walk skips, `need - 1` into `need + 1` or
/// `need / 1`, which made it skip one period too many).
#[test]
fn adding_whole_periods_lands_exactly_that_far() {
    let cal = always_open();
    let from = Utc.with_ymd_and_hms(-5000, 3, 1, 0, 0, 0).unwrap();
    // 400 Gregorian years are 146,097 days.
    for periods in [1i64, 2, 3] {
        let d = chrono::Duration::days(146_097 * periods);
        assert_eq!(cal.add(&from, d).unwrap(), from + d, "{periods}");
        assert_eq!(cal.add(&(from + d), -d).unwrap(), from, "{periods} back");
    }
    // From the first instant of the year -5000 (365 days long), the rest after that year is
    // a whole number of periods.
    let new_year = Utc.with_ymd_and_hms(-5000, 1, 1, 0, 0, 0).unwrap();
    for periods in [2i64, 3, 4] {
        let d = chrono::Duration::days(365 + 146_097 * periods);
        assert_eq!(cal.add(&new_year, d).unwrap(), new_year + d, "{periods}");
    }
    // The same on office hours: the sum lands on a closing time, right after open time.
    let office = Calendar::new(&office()).unwrap();
    let first_year = office
        .duration(
            &new_year,
            &Utc.with_ymd_and_hms(-4999, 1, 1, 0, 0, 0).unwrap(),
        )
        .unwrap();
    let period = office
        .duration(
            &Utc.with_ymd_and_hms(-4999, 1, 1, 0, 0, 0).unwrap(),
            &Utc.with_ymd_and_hms(-4599, 1, 1, 0, 0, 0).unwrap(),
        )
        .unwrap();
    for periods in [2i32, 3, 4] {
        let d = first_year + period * periods;
        let to = office.add(&new_year, d).unwrap();
        assert_eq!(office.duration(&new_year, &to).unwrap(), d, "{periods}");
        assert!(
            office
                .is_open(&(to - chrono::Duration::nanoseconds(1)))
                .unwrap(),
            "{periods}: {to} is not right after open time"
        );
    }
}

/// A calendar open around the clock but closed for a week in 2026: a window of years that
/// would cross the closure starts after it, from the past and from just before (mutants:
/// the shortcuts through runs of whole open years taken where the dated years are not all
/// open, `&&` into `||`, `>=` into `<`; the run carried through the early years shortened,
/// `len + wall` into `len - wall`).
#[test]
fn a_run_of_open_years_stops_at_a_dated_closure() {
    let mut spec = CalendarSpec::new("always but one week", around_the_clock());
    spec.exceptions.push(itsm_calendar::Exception::closed(
        "move",
        at(2026, 3, 2, 0),
        at(2026, 3, 9, 0),
    ));
    let cal = Calendar::new(&spec).unwrap();
    let ten_years = chrono::Duration::days(3653);
    for from in [
        Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(1500, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(-3000, 1, 1, 0, 0, 0).unwrap(),
    ] {
        let need = if from.year() < 2000 {
            (utc(2026, 6, 1, 0) - from).abs()
        } else {
            ten_years
        };
        assert_eq!(
            cal.next_fit(&from, need).unwrap(),
            Some(utc(2026, 3, 9, 0)),
            "{from}"
        );
        // A run that ends before the closure fits from where it starts.
        let before = utc(2026, 1, 1, 0) - from;
        assert_eq!(cal.next_fit(&from, before).unwrap(), Some(from), "{from}");
    }
}

/// Without a horizon, `intervals` runs from chrono's first instant year after year, and an
/// interval split where a UTC year ends comes out whole, as `intervals_between` gives it
/// (mutants: `all_intervals` and `year_intervals` returning nothing, the joining guard
/// turned always true (which never ends) or false, or its tests turned around or joined
/// by `||`).
#[test]
fn intervals_without_a_horizon_join_what_a_year_end_splits() {
    let cal = Calendar::new(&CalendarSpec::new("nights", every_day("22:00", "02:00"))).unwrap();
    let min = DateTime::<Utc>::MIN_UTC;
    let got: Vec<_> = cal.intervals().take(400).collect();
    let until = got.last().unwrap().1;
    let want = cal.intervals_between(&min, &until).unwrap();
    assert_eq!(got.len(), 400);
    assert_eq!(got.as_slice(), want.as_slice());
    // The night across the first year's end is one interval.
    let year_end = Utc.with_ymd_and_hms(-262_142, 1, 1, 0, 0, 0).unwrap();
    assert!(
        got.iter().any(|(s, e)| *s < year_end && year_end < *e),
        "no interval across {year_end}"
    );
    // Two openings of one business day (a lunch break between) stay two.
    let mut lunch = office();
    lunch.week.mon = vec![
        Segment::parse("09:00", "12:00").unwrap(),
        Segment::parse("13:00", "17:00").unwrap(),
    ];
    let cal = Calendar::new(&lunch).unwrap();
    let got: Vec<_> = cal.intervals().take(20).collect();
    let want = cal.intervals_between(&min, &got.last().unwrap().1).unwrap();
    assert_eq!(got.as_slice(), want.as_slice());
}

/// A run carried over a year's end that the new year does not continue (it opens later)
/// is dropped, and the new year's first opening is searched in full (mutant: `head > 0`
/// turned into `>=`, which skipped that opening). Office hours and Thursday evenings
/// 20:00-24:00; 31 December 2026 is a Thursday: six hours fit first on Friday 1 January
/// 2027 from 09:00.
#[test]
fn a_run_the_new_year_does_not_continue_is_dropped() {
    let mut spec = office();
    spec.week
        .thu
        .push(Segment::parse("20:00", "24:00").unwrap());
    let cal = Calendar::new(&spec).unwrap();
    assert_eq!(
        cal.next_fit(&utc(2026, 12, 31, 19), chrono::Duration::hours(6))
            .unwrap(),
        Some(utc(2027, 1, 1, 9))
    );
}

/// A segment crosses midnight only when it ends earlier than it starts: an empty one (which
/// a calendar refuses) does not (mutant: `<` turned into `<=`).
#[test]
fn only_a_segment_ending_before_it_starts_crosses_midnight() {
    assert!(Segment::parse("22:00", "02:00").unwrap().crosses_midnight());
    assert!(!Segment::parse("09:00", "09:00").unwrap().crosses_midnight());
    assert!(!Segment::parse("09:00", "17:00").unwrap().crosses_midnight());
}

/// A leap second at the end of a year (chrono's 23:59:60) reads as the next year's first
/// instant, in the years the calendar keeps a table of starts for and outside them
/// (mutants: the carry into the next year in `split`, `y + 1` into `y - 1` or `y * 1`,
/// `rel - len` into `rel + len` or `rel / len`).
#[test]
fn a_leap_second_at_a_year_end_reads_as_the_next_year() {
    let cal = always_open();
    for y in [2016, 1800, 2300] {
        let leap = NaiveDate::from_ymd_opt(y, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        let after = Utc.with_ymd_and_hms(y + 1, 1, 1, 0, 0, 1).unwrap();
        assert_eq!(
            cal.duration(&leap, &after).unwrap(),
            chrono::Duration::milliseconds(500),
            "{y}"
        );
    }
}

/// An offset zone with minutes past 59 is refused (mutant: `h > 23 || m > 59` turned into
/// `&&`, which let "+05:75" through as +06:15).
#[test]
fn an_offset_with_too_many_minutes_is_refused() {
    for zone in ["+05:75", "-01:60", "+24:00"] {
        let mut spec = office();
        spec.zone = Some(zone.into());
        assert!(
            matches!(
                Calendar::new(&spec),
                Err(itsm_calendar::Error::UnknownZone { .. })
            ),
            "{zone}"
        );
    }
    let mut spec = office();
    spec.zone = Some("+05:45".into());
    assert!(Calendar::new(&spec).is_ok());
}

/// `covers` without a horizon answers from the interval holding the window's start: open
/// to the end, closed at the start, or open but closing before the end. A window running
/// over midnight from one day's segment into the next day's is covered when the two meet,
/// and not when they leave a gap (the branch that checks the open time across intervals).
#[test]
fn a_window_across_two_segments_that_meet_is_covered_and_across_a_gap_is_not() {
    let mut week = Week {
        mon: vec![Segment::parse("20:00", "24:00").unwrap()],
        tue: vec![Segment::parse("00:00", "03:00").unwrap()],
        ..Week::default()
    };
    let cal = Calendar::new(&CalendarSpec::new("night", week.clone())).unwrap();
    // Monday 9 March 2026.
    assert_eq!(
        cal.covers(&utc(2026, 3, 9, 21), &utc(2026, 3, 9, 23)),
        Ok(true)
    );
    assert_eq!(
        cal.covers(&utc(2026, 3, 9, 22), &utc(2026, 3, 10, 2)),
        Ok(true)
    );
    assert_eq!(
        cal.covers(&utc(2026, 3, 9, 22), &utc(2026, 3, 10, 4)),
        Ok(false)
    );
    assert_eq!(
        cal.covers(&utc(2026, 3, 9, 19), &utc(2026, 3, 9, 21)),
        Ok(false)
    );
    assert_eq!(
        cal.covers(&utc(2026, 3, 9, 12), &utc(2026, 3, 9, 12)),
        Ok(true)
    );
    assert_eq!(
        cal.covers(&utc(2026, 3, 9, 22), &utc(2026, 3, 9, 21)),
        Ok(false)
    );
    // Tuesday opening at 01:00 instead leaves a gap after midnight.
    week.tue = vec![Segment::parse("01:00", "03:00").unwrap()];
    let gap = Calendar::new(&CalendarSpec::new("gap", week)).unwrap();
    assert_eq!(
        gap.covers(&utc(2026, 3, 9, 22), &utc(2026, 3, 10, 2)),
        Ok(false)
    );
    assert_eq!(
        gap.covers(&utc(2026, 3, 10, 1), &utc(2026, 3, 10, 2)),
        Ok(true)
    );
}
