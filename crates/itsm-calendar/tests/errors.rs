//! Every error, as an exact structured value and with its message pinned.
//!
//! Messages are part of the interface (hosts show them to the people who wrote the policy
//! file), so a change of wording is a visible diff here.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use itsm_calendar::{
    Calendar, CalendarSpec, Error, Exception, Holiday, MAX_HORIZON_YEARS, Segment, TimeOfDay, Week,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn office() -> CalendarSpec {
    CalendarSpec::new(
        "office",
        Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
    )
}

fn compile(spec: &CalendarSpec) -> Result<Calendar, Error> {
    Calendar::compile(spec, &Utc, date(2026, 1, 1), date(2027, 1, 1))
}

/// The error of a compilation that must fail (without printing a whole calendar if not).
fn refused(result: Result<Calendar, Error>) -> Error {
    match result {
        Ok(cal) => panic!("compiled, with {} of open time", cal.total_open()),
        Err(e) => e,
    }
}

/// The office calendar over 2026, in UTC.
fn cal() -> Calendar {
    compile(&office()).unwrap()
}

#[test]
fn an_empty_segment_and_one_starting_at_24_00_are_refused() {
    for (start, end) in [
        ("09:00", "09:00"),
        ("00:00", "00:00"),
        ("24:00", "24:00"),
        ("24:00", "06:00"),
        ("12:00:30", "12:00:30"),
    ] {
        let mut spec = office();
        spec.week.sun = vec![Segment::parse(start, end).unwrap()];
        assert_eq!(
            refused(compile(&spec)),
            Error::InvalidSegment {
                calendar: "office".into(),
                day: Weekday::Sun,
                start: start.into(),
                end: end.into(),
            }
        );
    }
    let err = Error::InvalidSegment {
        calendar: "office".into(),
        day: Weekday::Tue,
        start: "09:00".into(),
        end: "09:00".into(),
    };
    assert_eq!(
        err.to_string(),
        "calendar `office`: the Tue segment 09:00-09:00 is empty or starts at 24:00; a segment whose end is earlier than its start crosses midnight"
    );
}

/// An end earlier than the start crosses midnight: not an error any more.
#[test]
fn a_segment_that_ends_before_it_starts_crosses_midnight() {
    let mut spec = office();
    spec.week.tue = vec![Segment::parse("17:00", "09:00").unwrap()];
    spec.week.wed = vec![];
    assert!(compile(&spec).is_ok());
    assert!(Calendar::new(&spec).is_ok());
}

#[test]
fn a_segment_crossing_midnight_into_the_next_days_hours_is_refused() {
    let mut spec = office();
    spec.week.mon = vec![
        Segment::parse("09:00", "17:00").unwrap(),
        Segment::parse("22:00", "09:30").unwrap(),
    ];
    let err = refused(compile(&spec));
    assert_eq!(
        err,
        Error::OvernightOverlap {
            calendar: "office".into(),
            day: Weekday::Mon,
            overnight: "22:00-09:30".into(),
            next: Weekday::Tue,
            segment: "09:00-17:00".into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "calendar `office`: the Mon segment 22:00-09:30 runs into the Tue segment 09:00-17:00; segments may touch but not overlap"
    );
    assert_eq!(Calendar::new(&spec).err(), Some(err));
    // Sunday night runs into Monday: the week wraps around.
    let mut spec = office();
    spec.week.sun = vec![Segment::parse("23:00", "10:00").unwrap()];
    assert!(matches!(
        refused(compile(&spec)),
        Error::OvernightOverlap {
            day: Weekday::Sun,
            next: Weekday::Mon,
            ..
        }
    ));
    // Touching is fine, and so is a segment crossing midnight into a closed day.
    spec.week.sun = vec![Segment::parse("23:00", "09:00").unwrap()];
    assert!(compile(&spec).is_ok());
    spec.week.fri = vec![
        Segment::parse("09:00", "17:00").unwrap(),
        Segment::parse("20:00", "06:00").unwrap(),
    ];
    assert!(compile(&spec).is_ok());
    // Two segments crossing midnight on one day overlap on that day.
    spec.week.fri = vec![
        Segment::parse("20:00", "06:00").unwrap(),
        Segment::parse("21:00", "05:00").unwrap(),
    ];
    assert!(matches!(
        refused(compile(&spec)),
        Error::OverlappingSegments {
            day: Weekday::Fri,
            ..
        }
    ));
}

#[test]
fn overlapping_segments_are_refused_and_named_in_order() {
    let mut spec = office();
    // Given out of order: the message names them sorted.
    spec.week.wed = vec![
        Segment::parse("13:00", "17:00").unwrap(),
        Segment::parse("09:00", "13:30").unwrap(),
    ];
    let err = refused(compile(&spec));
    assert_eq!(
        err,
        Error::OverlappingSegments {
            calendar: "office".into(),
            day: Weekday::Wed,
            first: "09:00-13:30".into(),
            second: "13:00-17:00".into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "calendar `office`: on Wed the segments 09:00-13:30 and 13:00-17:00 overlap; segments may touch but not overlap"
    );
    // The same segment twice overlaps itself.
    spec.week.wed = vec![Segment::parse("09:00", "10:00").unwrap(); 2];
    assert_eq!(
        refused(compile(&spec)),
        Error::OverlappingSegments {
            calendar: "office".into(),
            day: Weekday::Wed,
            first: "09:00-10:00".into(),
            second: "09:00-10:00".into(),
        }
    );
    // Touching is fine.
    spec.week.wed = vec![
        Segment::parse("12:00", "24:00").unwrap(),
        Segment::parse("00:00", "12:00").unwrap(),
    ];
    assert!(compile(&spec).is_ok());
}

#[test]
fn an_invalid_segment_is_reported_before_an_overlap_and_days_in_week_order() {
    let mut spec = office();
    spec.week.fri = vec![
        Segment::parse("09:00", "12:00").unwrap(),
        Segment::parse("10:00", "11:00").unwrap(),
        Segment::parse("15:00", "15:00").unwrap(),
    ];
    spec.week.thu = vec![
        Segment::parse("09:00", "12:00").unwrap(),
        Segment::parse("10:00", "11:00").unwrap(),
    ];
    assert!(matches!(
        refused(compile(&spec)),
        Error::OverlappingSegments {
            day: Weekday::Thu,
            ..
        }
    ));
    spec.week.thu = vec![];
    assert!(matches!(
        refused(compile(&spec)),
        Error::InvalidSegment {
            day: Weekday::Fri,
            ..
        }
    ));
}

#[test]
fn invalid_times_of_day_are_refused_with_the_text() {
    for text in [
        "25:00",
        "9:00",
        "12:60",
        "24:01",
        "24:00:01",
        "12:00:60",
        "",
        "12",
        "12:",
        "12:00:",
        "12:00:00:00",
        "ab:cd",
        "-1:00",
        "+1:00",
        " 9:00",
        "09:00 ",
        "09h00",
        "१२:००",
    ] {
        let expected = Error::InvalidTimeOfDay { text: text.into() };
        assert_eq!(text.parse::<TimeOfDay>(), Err(expected.clone()), "{text:?}");
        assert_eq!(
            Segment::parse(text, "24:00"),
            Err(expected.clone()),
            "{text:?}"
        );
        assert_eq!(
            Segment::parse("00:00", text),
            Err(expected.clone()),
            "{text:?}"
        );
        assert_eq!(
            TimeOfDay::try_from(text.to_owned()),
            Err(expected),
            "{text:?}"
        );
    }
    assert_eq!(
        "25:00".parse::<TimeOfDay>().unwrap_err().to_string(),
        "`25:00` is not a time of day; write HH:MM or HH:MM:SS from 00:00 to 24:00"
    );
    assert_eq!(
        "9:00".parse::<TimeOfDay>().unwrap_err().to_string(),
        "`9:00` is not a time of day; write HH:MM or HH:MM:SS from 00:00 to 24:00"
    );
}

#[test]
fn times_of_day_from_numbers_are_checked() {
    let bad = |text: &str| Err(Error::InvalidTimeOfDay { text: text.into() });
    assert_eq!(TimeOfDay::hm(24, 1), bad("24:01:00"));
    assert_eq!(TimeOfDay::hm(25, 0), bad("25:00:00"));
    assert_eq!(TimeOfDay::hm(12, 60), bad("12:60:00"));
    assert_eq!(TimeOfDay::hms(23, 59, 60), bad("23:59:60"));
    assert_eq!(TimeOfDay::hms(24, 0, 1), bad("24:00:01"));
    // No overflow on absurd numbers.
    assert_eq!(TimeOfDay::hm(u32::MAX, 0), bad("4294967295:00:00"));
    assert_eq!(TimeOfDay::hms(0, 0, u32::MAX), bad("00:00:4294967295"));
    assert_eq!(TimeOfDay::hm(24, 0), Ok(TimeOfDay::END_OF_DAY));
    assert_eq!(TimeOfDay::hm(0, 0), Ok(TimeOfDay::MIDNIGHT));
    assert_eq!(TimeOfDay::hms(23, 59, 59).unwrap().seconds(), 86_399);
}

#[test]
fn valid_times_of_day_parse_and_print_back() {
    for (text, seconds, shown) in [
        ("00:00", 0, "00:00"),
        ("09:30", 34_200, "09:30"),
        ("09:30:00", 34_200, "09:30"),
        ("17:30:15", 63_015, "17:30:15"),
        ("23:59:59", 86_399, "23:59:59"),
        ("24:00", 86_400, "24:00"),
        ("24:00:00", 86_400, "24:00"),
    ] {
        let t: TimeOfDay = text.parse().unwrap();
        assert_eq!(t.seconds(), seconds, "{text}");
        assert_eq!(t.to_string(), shown, "{text}");
        assert_eq!(String::from(t), shown, "{text}");
    }
}

#[test]
fn a_yearly_holiday_on_a_day_no_year_has_is_refused() {
    for (month, day) in [(2, 30), (2, 31), (4, 31), (13, 1), (0, 1), (1, 0), (1, 32)] {
        let mut spec = office();
        spec.holidays = vec![
            Holiday::yearly(2, 29).named("leap day"),
            Holiday::yearly(month, day).named("bad"),
        ];
        let expected = Error::InvalidHoliday {
            calendar: "office".into(),
            name: Some("bad".into()),
            month,
            day,
        };
        assert_eq!(refused(compile(&spec)), expected, "{month}/{day}");
        assert_eq!(Calendar::new(&spec).err(), Some(expected), "{month}/{day}");
    }
    let err = Error::InvalidHoliday {
        calendar: "office".into(),
        name: Some("Pancake day".into()),
        month: 2,
        day: 30,
    };
    assert_eq!(
        err.to_string(),
        "calendar `office`: holiday `Pancake day` is on month 2, day 30, which no year has"
    );
    let mut spec = office();
    spec.holidays = vec![Holiday::yearly(2, 30)];
    let err = refused(compile(&spec));
    assert_eq!(
        err,
        Error::InvalidHoliday {
            calendar: "office".into(),
            name: None,
            month: 2,
            day: 30,
        }
    );
    assert_eq!(
        err.to_string(),
        "calendar `office`: a yearly holiday is on month 2, day 30, which no year has"
    );
}

#[test]
fn an_exception_that_does_not_end_after_it_starts_is_refused() {
    let start = date(2026, 3, 2).and_hms_opt(10, 0, 0).unwrap();
    for end in [start, start - Duration::minutes(30)] {
        let mut spec = office();
        spec.exceptions = vec![Exception::open("migration", start, end)];
        assert_eq!(
            refused(compile(&spec)),
            Error::InvalidException {
                calendar: "office".into(),
                name: "migration".into(),
                start,
                end,
            }
        );
    }
    let err = Error::InvalidException {
        calendar: "office".into(),
        name: "migration".into(),
        start,
        end: start - Duration::minutes(30),
    };
    assert_eq!(
        err.to_string(),
        "calendar `office`: exception `migration` from 2026-03-02 10:00:00 to 2026-03-02 09:30:00 does not end after it starts"
    );
}

#[test]
fn an_unknown_zone_is_refused_with_its_name() {
    let allowed = if cfg!(feature = "tz") {
        "an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00"
    } else {
        "UTC or an offset such as +02:00 (IANA names need the `tz` feature)"
    };
    let mut spec = office();
    for zone in [
        "Europe/Berln",
        "utc",
        "+24:00",
        "+2:00",
        "02:00",
        "+02:00:00",
        "",
    ] {
        spec.zone = Some(zone.into());
        let expected = Error::UnknownZone {
            calendar: "office".into(),
            zone: zone.into(),
            allowed,
        };
        assert_eq!(Calendar::new(&spec).err(), Some(expected.clone()), "{zone}");
        assert_eq!(
            Calendar::with_horizon(&spec, date(2026, 1, 1), date(2027, 1, 1)).err(),
            Some(expected),
            "{zone}"
        );
    }
    spec.zone = Some("Europe/Berln".into());
    assert_eq!(
        Calendar::new(&spec).unwrap_err().to_string(),
        format!("calendar `office`: unknown time zone `Europe/Berln`; write {allowed}")
    );
    // IANA names need the feature; UTC and offsets never do.
    spec.zone = Some("Europe/Berlin".into());
    assert_eq!(Calendar::new(&spec).is_ok(), cfg!(feature = "tz"));
    for zone in ["UTC", "+02:00", "-09:30", "+00:00", "-23:59"] {
        spec.zone = Some(zone.into());
        assert!(Calendar::new(&spec).is_ok(), "{zone}");
    }
    // `compile` takes its zone as an argument and does not read the spec's.
    spec.zone = Some("Mars/Olympus_Mons".into());
    assert!(Calendar::compile(&spec, &Utc, date(2026, 1, 1), date(2027, 1, 1)).is_ok());
}

#[test]
fn a_calendar_without_a_horizon_that_never_opens_is_refused() {
    let closed = CalendarSpec::new("closed", Week::default());
    let err = Calendar::new(&closed).unwrap_err();
    assert_eq!(
        err,
        Error::NeverOpen {
            calendar: "closed".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "calendar `closed` is never open: no weekly hours outside yearly holidays and no open exception"
    );
    // Every day of the year a yearly holiday.
    let mut spec = office();
    spec.holidays = (1..=12)
        .flat_map(|m| (1..=31).map(move |d| (m, d)))
        .filter(|&(m, d)| NaiveDate::from_ymd_opt(2000, m, d).is_some())
        .map(|(m, d)| Holiday::yearly(m, d))
        .collect();
    assert_eq!(spec.holidays.len(), 366);
    assert!(matches!(Calendar::new(&spec), Err(Error::NeverOpen { .. })));
    // A closed exception does not open it; an open one does.
    let mut spec = CalendarSpec::new("windows", Week::default());
    let at = |d| date(2026, 3, d).and_hms_opt(0, 0, 0).unwrap();
    spec.exceptions = vec![Exception::closed("strike", at(1), at(2))];
    assert!(matches!(Calendar::new(&spec), Err(Error::NeverOpen { .. })));
    spec.exceptions
        .push(Exception::open("window", at(7), at(8)));
    assert!(Calendar::new(&spec).is_ok());
}

/// A calendar that opens only through exceptions runs out of open time after the last.
#[test]
fn a_calendar_without_a_horizon_runs_out_of_open_time() {
    let mut spec = CalendarSpec::new("windows", Week::default());
    let at = |d, h| date(2026, 3, d).and_hms_opt(h, 0, 0).unwrap();
    spec.exceptions = vec![
        Exception::open("first", at(7, 22), at(8, 2)),
        Exception::open("second", at(14, 22), at(15, 2)),
    ];
    let cal = Calendar::new(&spec).unwrap();
    let (before, after) = (at(1, 0).and_utc(), at(20, 0).and_utc());
    let out = |what: &'static str, at| Error::OutOfOpenTime {
        calendar: "windows".into(),
        what,
        at,
    };
    assert_eq!(cal.next_open(&before), Ok(at(7, 22).and_utc()));
    assert_eq!(cal.next_open(&after), Err(out("the next opening", after)));
    assert_eq!(
        cal.end_of_business_day(&after),
        Err(out("the end of the business day", after))
    );
    assert_eq!(
        cal.add(&before, Duration::hours(8)),
        Ok(at(15, 2).and_utc())
    );
    let err = cal
        .add(&before, Duration::hours(8) + Duration::nanoseconds(1))
        .unwrap_err();
    assert_eq!(err, out("adding the duration", before));
    assert_eq!(
        err.to_string(),
        "calendar `windows` has no open time left for adding the duration from 2026-03-01 00:00:00 UTC"
    );
    assert_eq!(
        cal.add(&after, -Duration::hours(8)),
        Ok(at(7, 22).and_utc())
    );
    assert_eq!(
        cal.add(&after, -Duration::hours(9)),
        Err(out("adding the duration", after))
    );
    assert_eq!(cal.next_fit(&after, Duration::zero()), Ok(None));
    assert_eq!(cal.total_open(), Duration::hours(8));
    // Far away, the answers come at once.
    let (first, last) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    assert_eq!(cal.duration(&first, &last), Ok(Duration::hours(8)));
    assert_eq!(cal.next_open(&first), Ok(at(7, 22).and_utc()));
}

/// Without a horizon, only chrono's range bounds the answers.
#[test]
fn past_chronos_range_is_a_date_overflow() {
    let cal = Calendar::new(&office()).unwrap();
    let (first, last) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    let near_end = last - Duration::days(3);
    let err = cal.add(&near_end, Duration::days(30)).unwrap_err();
    assert_eq!(
        err,
        Error::DateOverflow {
            what: "adding the duration",
            at: near_end
        }
    );
    assert_eq!(
        err.to_string(),
        format!("adding the duration from {near_end} goes past the instants chrono represents")
    );
    for d in [Duration::MAX, Duration::MIN] {
        assert!(matches!(
            cal.add(&near_end, d),
            Err(Error::DateOverflow { .. })
        ));
    }
    assert!(matches!(
        cal.add(&(first + Duration::days(3)), -Duration::days(30)),
        Err(Error::DateOverflow { .. })
    ));
    // Every instant chrono represents is a valid query.
    for t in [first, last, near_end] {
        assert!(cal.is_open(&t).is_ok());
        assert!(cal.duration(&first, &t).is_ok());
    }
    assert_eq!(cal.next_fit(&near_end, Duration::days(30)), Ok(None));
}

fn horizon_error(from: NaiveDate, to: NaiveDate) -> Error {
    Error::InvalidHorizon {
        from,
        to,
        max_years: MAX_HORIZON_YEARS,
    }
}

#[test]
fn an_empty_horizon_is_refused() {
    let spec = office();
    for (from, to) in [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 1, 2), date(2026, 1, 1)),
        (date(2027, 1, 1), date(2026, 1, 1)),
    ] {
        assert_eq!(
            Calendar::compile(&spec, &Utc, from, to).err(),
            Some(horizon_error(from, to))
        );
    }
    assert_eq!(
        horizon_error(date(2026, 1, 1), date(2026, 1, 1)).to_string(),
        "horizon 2026-01-01 to 2026-01-01 is not supported; it must be non-empty, at most 200 years long, within the years 1700 to 2200"
    );
}

#[test]
fn a_horizon_of_more_than_200_years_is_refused() {
    assert_eq!(MAX_HORIZON_YEARS, 200);
    let spec = CalendarSpec::always_open("24x7");
    for (from, to) in [
        (date(2000, 1, 1), date(2200, 1, 2)),
        (date(2000, 1, 1), date(2200, 2, 15)),
        (date(1700, 1, 1), date(2200, 1, 1)),
        (date(1800, 3, 1), date(2000, 3, 2)),
    ] {
        assert_eq!(
            Calendar::compile(&spec, &Utc, from, to).err(),
            Some(horizon_error(from, to)),
            "{from} to {to}"
        );
    }
    // Exactly 200 years is allowed, leap days or not.
    for (from, to) in [
        (date(2000, 1, 1), date(2200, 1, 1)),
        (date(1800, 3, 1), date(2000, 3, 1)),
    ] {
        let cal = Calendar::compile(&spec, &Utc, from, to).unwrap();
        assert_eq!(
            cal.horizon_end() - cal.horizon_start(),
            to - from,
            "{from} to {to}"
        );
        assert_eq!(cal.total_open(), to - from);
    }
}

#[test]
fn a_horizon_outside_the_years_1700_to_2200_is_refused() {
    let spec = CalendarSpec::always_open("24x7");
    for (from, to) in [
        (date(1699, 12, 31), date(1700, 1, 2)),
        (date(1600, 1, 1), date(1601, 1, 1)),
        (date(2200, 12, 31), date(2201, 1, 2)),
        (date(2201, 1, 1), date(2201, 1, 2)),
        (date(9999, 1, 1), date(9999, 1, 2)),
        (NaiveDate::MIN, date(1700, 1, 1)),
        (date(2200, 1, 1), NaiveDate::MAX),
    ] {
        assert_eq!(
            Calendar::compile(&spec, &Utc, from, to).err(),
            Some(horizon_error(from, to)),
            "{from} to {to}"
        );
    }
    // The first and the last day of the range are in it, in any zone.
    let east = FixedOffset::east_opt(14 * 3600).unwrap();
    let west = FixedOffset::west_opt(12 * 3600).unwrap();
    for (from, to) in [
        (date(1700, 1, 1), date(1700, 1, 2)),
        (date(2200, 12, 31), date(2201, 1, 1)),
        (date(2200, 1, 1), date(2201, 1, 1)),
    ] {
        for zone in [east, west] {
            let cal = Calendar::compile(&spec, &zone, from, to).unwrap();
            assert_eq!(cal.total_open(), to - from, "{from} to {to} in {zone}");
        }
    }
}

#[test]
fn a_spec_error_comes_before_a_horizon_error() {
    let mut spec = office();
    spec.week.mon = vec![Segment::parse("10:00", "10:00").unwrap()];
    let err = refused(Calendar::compile(
        &spec,
        &Utc,
        date(2026, 1, 1),
        date(2026, 1, 1),
    ));
    assert!(matches!(err, Error::InvalidSegment { .. }), "{err}");
}

#[test]
fn a_calendar_never_open_is_refused_at_once() {
    // Closed every day for 200 years: refused up front, after one pass over the days.
    let closed = CalendarSpec::new("closed", Week::default());
    let (from, to) = (date(2000, 1, 1), date(2200, 1, 1));
    let err = refused(Calendar::compile(&closed, &Utc, from, to));
    assert_eq!(
        err,
        Error::NoOpenTime {
            calendar: "closed".into(),
            from,
            to,
        }
    );
    assert_eq!(
        err.to_string(),
        "calendar `closed` has no open time between 2000-01-01 and 2200-01-01"
    );
    let never = |spec: &CalendarSpec, from: NaiveDate, to: NaiveDate| {
        assert_eq!(
            Calendar::compile(spec, &chrono_tz::Europe::Berlin, from, to).err(),
            Some(Error::NoOpenTime {
                calendar: spec.name.clone(),
                from,
                to,
            })
        );
    };
    // A weekday calendar over a weekend.
    never(&office(), date(2026, 3, 7), date(2026, 3, 9));
    // Every open day a holiday.
    let mut spec = office();
    spec.holidays = (2..=6)
        .map(|d| Holiday::date(date(2026, 3, d)).named(format!("day {d}")))
        .collect();
    never(&spec, date(2026, 3, 1), date(2026, 3, 8));
    // Closed by an exception; an open exception outside the horizon does not help.
    let mut spec = office();
    spec.exceptions = vec![
        Exception::closed(
            "strike",
            date(2026, 3, 1).and_hms_opt(0, 0, 0).unwrap(),
            date(2026, 3, 8).and_hms_opt(0, 0, 0).unwrap(),
        ),
        Exception::open(
            "before",
            date(2026, 2, 28).and_hms_opt(0, 0, 0).unwrap(),
            date(2026, 3, 1).and_hms_opt(0, 0, 0).unwrap(),
        ),
    ];
    never(&spec, date(2026, 3, 1), date(2026, 3, 8));
    // A segment swallowed whole by the spring-forward gap: 02:00-03:00 on 29 March 2026.
    let spec = CalendarSpec::new(
        "gap",
        Week {
            sun: vec![Segment::parse("02:00", "03:00").unwrap()],
            ..Week::default()
        },
    );
    never(&spec, date(2026, 3, 29), date(2026, 3, 30));
}

#[test]
fn an_instant_outside_the_horizon_is_refused_by_every_query() {
    let cal = cal();
    let (from, to) = (at(2026, 1, 1, 0, 0), at(2027, 1, 1, 0, 0));
    let inside = at(2026, 6, 1, 10, 0);
    for t in [
        from - Duration::nanoseconds(1),
        to + Duration::nanoseconds(1),
        at(1900, 1, 1, 0, 0),
        at(3000, 1, 1, 0, 0),
    ] {
        let expected = Error::OutOfHorizon { at: t, from, to };
        assert_eq!(cal.is_open(&t), Err(expected.clone()));
        assert_eq!(cal.next_open(&t), Err(expected.clone()));
        assert_eq!(cal.duration(&t, &inside), Err(expected.clone()));
        assert_eq!(cal.duration(&inside, &t), Err(expected.clone()));
        assert_eq!(cal.add(&t, Duration::zero()), Err(expected.clone()));
        assert_eq!(cal.add(&t, Duration::hours(1)), Err(expected.clone()));
        assert_eq!(cal.end_of_business_day(&t), Err(expected.clone()));
        assert_eq!(cal.covers(&t, &inside), Err(expected.clone()));
        assert_eq!(cal.overlaps(&inside, &t), Err(expected.clone()));
        assert_eq!(cal.next_fit(&t, Duration::hours(1)), Err(expected));
    }
    // The first instant of the horizon and the one after it are inside.
    assert_eq!(cal.is_open(&from), Ok(false));
    assert_eq!(cal.is_open(&to), Ok(false));
    assert_eq!(cal.duration(&from, &to), Ok(cal.total_open()));
    // The instant is reported in UTC, whatever zone it was written in.
    let written = chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(2026, 1, 1, 8, 59, 0)
        .unwrap();
    let err = cal.is_open(&written).unwrap_err();
    assert_eq!(
        err,
        Error::OutOfHorizon {
            at: at(2025, 12, 31, 23, 59),
            from,
            to
        }
    );
    assert_eq!(
        err.to_string(),
        "2025-12-31 23:59:00 UTC is outside the calendar's horizon, 2026-01-01 00:00:00 UTC to 2027-01-01 00:00:00 UTC; compile a longer horizon"
    );
}

#[test]
fn adding_past_either_end_of_the_horizon_is_refused() {
    let cal = cal();
    let (from, to) = (at(2026, 1, 1, 0, 0), at(2027, 1, 1, 0, 0));
    let past = |what: &'static str, t: DateTime<Utc>| Error::PastHorizon {
        what,
        at: t,
        from,
        to,
    };
    // 2026 has 261 weekdays of 8 hours.
    assert_eq!(cal.total_open(), Duration::hours(261 * 8));
    let first_open = at(2026, 1, 1, 9, 0);
    let last_close = at(2026, 12, 31, 17, 0);
    assert_eq!(cal.add(&from, cal.total_open()), Ok(last_close));
    assert_eq!(
        cal.add(&from, cal.total_open() + Duration::nanoseconds(1)),
        Err(past("adding the duration", from))
    );
    assert_eq!(cal.add(&to, -cal.total_open()), Ok(first_open));
    assert_eq!(
        cal.add(&to, -cal.total_open() - Duration::nanoseconds(1)),
        Err(past("adding the duration", to))
    );
    let thursday = at(2026, 12, 31, 16, 0);
    assert_eq!(cal.add(&thursday, Duration::hours(1)), Ok(last_close));
    let err = cal.add(&thursday, Duration::minutes(61)).unwrap_err();
    assert_eq!(err, past("adding the duration", thursday));
    assert_eq!(
        err.to_string(),
        "adding the duration from 2026-12-31 16:00:00 UTC goes past the calendar's horizon, 2026-01-01 00:00:00 UTC to 2027-01-01 00:00:00 UTC; compile a longer horizon"
    );
    let early = at(2026, 1, 1, 10, 0);
    assert_eq!(cal.add(&early, Duration::hours(-1)), Ok(first_open));
    assert_eq!(
        cal.add(&early, Duration::minutes(-61)),
        Err(past("adding the duration", early))
    );
    // Durations no calendar could hold, written in another zone.
    let tokyo = early.with_timezone(&chrono_tz::Asia::Tokyo);
    for d in [Duration::MAX, Duration::MIN, Duration::days(365 * 300)] {
        assert_eq!(cal.add(&tokyo, d), Err(past("adding the duration", early)));
    }
}

#[test]
fn nothing_opens_after_the_last_close() {
    let cal = cal();
    let (from, to) = (at(2026, 1, 1, 0, 0), at(2027, 1, 1, 0, 0));
    let late = at(2026, 12, 31, 17, 0);
    let err = cal.next_open(&late).unwrap_err();
    assert_eq!(
        err,
        Error::PastHorizon {
            what: "the next opening",
            at: late,
            from,
            to
        }
    );
    assert_eq!(
        err.to_string(),
        "the next opening from 2026-12-31 17:00:00 UTC goes past the calendar's horizon, 2026-01-01 00:00:00 UTC to 2027-01-01 00:00:00 UTC; compile a longer horizon"
    );
    assert_eq!(
        cal.end_of_business_day(&late),
        Err(Error::PastHorizon {
            what: "the end of the business day",
            at: late,
            from,
            to
        })
    );
    assert_eq!(cal.next_fit(&late, Duration::zero()), Ok(None));
    // One nanosecond earlier the last day is still open.
    let before = late - Duration::nanoseconds(1);
    assert_eq!(cal.next_open(&before), Ok(before));
    assert_eq!(cal.end_of_business_day(&before), Ok(late));
}

#[test]
fn errors_are_values() {
    let err = cal().is_open(&at(2030, 1, 1, 0, 0)).unwrap_err();
    let copy = err.clone();
    assert_eq!(copy, err);
    let dynamic: &dyn std::error::Error = &err;
    assert!(dynamic.source().is_none());
    assert!(format!("{err:?}").starts_with("OutOfHorizon"));
}
