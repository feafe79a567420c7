//! Relative targets against a naive reference: on `office8` (Monday to Friday 09:00-17:00,
//! UTC, no holidays), "n business days later, at the end of the day" and "by 10:00" are
//! computed day by day from the calendar's definition.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // helpers outside #[test] functions

mod common;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use common::*;
use itsm_sla::{Definition, RelativeTarget};
use proptest::prelude::*;

fn weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn next_weekday(mut d: NaiveDate) -> NaiveDate {
    loop {
        d = d.succ_opt().unwrap();
        if weekday(d) {
            return d;
        }
    }
}

/// Day 0: the start's date when it is a weekday before 17:00, else the next weekday; then
/// `n` weekdays on.
fn reference_day(start: DateTime<Utc>, n: u32) -> NaiveDate {
    let date = start.date_naive();
    let before_close = start.time() < NaiveTime::from_hms_opt(17, 0, 0).unwrap();
    let mut day = if weekday(date) && before_close {
        date
    } else {
        next_weekday(date)
    };
    for _ in 0..n {
        day = next_weekday(day);
    }
    day
}

fn at_time(day: NaiveDate, h: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(h, 0, 0).unwrap())
}

fn due(rel: RelativeTarget, start: DateTime<Utc>) -> DateTime<Utc> {
    let mut d: Definition = resolution("rel", 8, Some(OFFICE8));
    d.relative = Some(rel);
    let r = run(&defs(vec![d]), &[(start, view(Open))], None);
    r.clocks.clocks()[0].deadline()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_end_of_the_nth_business_day_matches_the_reference(
        minutes in 0..300 * 24 * 60i64,
        n in 0..8u32,
    ) {
        let start = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap() + Duration::minutes(minutes);
        let expected = at_time(reference_day(start, n), 17);
        prop_assert_eq!(due(RelativeTarget::end_of_day(n), start), expected);
    }

    #[test]
    fn by_ten_on_the_nth_business_day_matches_the_reference(
        minutes in 0..300 * 24 * 60i64,
        n in 0..8u32,
    ) {
        let start = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap() + Duration::minutes(minutes);
        // A start after 10:00 on day 0 is due at once (the deadline cannot precede it).
        let expected = at_time(reference_day(start, n), 10).max(start);
        prop_assert_eq!(due(RelativeTarget::by(n, "10:00"), start), expected);
    }
}

/// "Same day by 10:00" attached after 10:00 is due at its start: a zero target, used up at
/// once. The measure reads 100% (as the breach says), not 0% of nothing; the fuzzer found
/// the two disagreeing (`fuzz/corpus/sla_definitions_json/crash-zero-relative-target.json`).
#[test]
fn a_zero_relative_target_is_used_up_at_once() {
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 11, 0, 0).unwrap(); // a Monday
    let mut d: Definition = resolution("rel", 8, Some(OFFICE8));
    d.relative = Some(RelativeTarget::by(0, "10:00"));
    let definitions = defs(vec![d]);
    let r = run(&definitions, &[(start, view(Open))], None);
    let clock = &r.clocks.clocks()[0];
    assert_eq!(clock.deadline(), start);
    assert!(clock.is_breached());
    for at in [start, start + Duration::hours(2)] {
        let m = itsm_sla::measure(clock, at, &definitions, &calendars()).unwrap();
        assert_eq!(m.percent_hundredths, 10_000, "{m:?}");
    }
}
