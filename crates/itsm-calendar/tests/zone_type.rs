//! `Zone`: names, wall-clock readings, and the first instant at or after a reading across
//! daylight-saving changes.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDateTime, Utc};
use itsm_calendar::Zone;

#[cfg(feature = "tz")]
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

#[test]
fn names_parse_as_calendar_specs_take_them() {
    assert_eq!(Zone::parse("UTC"), Some(Zone::Utc));
    assert!(matches!(Zone::parse("-05:30"), Some(Zone::Fixed(_))));
    for bad in ["", "utc", "+24:00", "+2:00", "Mars/Olympus"] {
        assert_eq!(Zone::parse(bad), None, "{bad}");
    }
    assert!(Zone::ALLOWED.contains("UTC"));
}

#[cfg(feature = "tz")]
#[test]
fn a_reading_in_the_skipped_hour_is_the_jump_and_a_repeated_one_the_earlier() {
    use chrono::TimeZone;
    let berlin = Zone::parse("Europe/Berlin").unwrap();
    // 28 March 2027: Berlin jumps from 02:00 CET (01:00 UTC) to 03:00 CEST.
    let jump = Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap();
    assert_eq!(
        berlin.first_at_or_after(local(2027, 3, 28, 2, 30)),
        Some(jump)
    );
    assert_eq!(
        berlin.first_at_or_after(local(2027, 3, 28, 2, 0)),
        Some(jump)
    );
    assert_eq!(
        berlin.first_at_or_after(local(2027, 3, 28, 3, 0)),
        Some(jump),
        "03:00 CEST is the jump itself"
    );
    assert_eq!(
        berlin.first_at_or_after(local(2027, 3, 28, 1, 59)),
        Some(Utc.with_ymd_and_hms(2027, 3, 28, 0, 59, 0).unwrap())
    );
    // 31 October 2027: 02:00-03:00 happens twice; the first is 00:30 UTC.
    assert_eq!(
        berlin.first_at_or_after(local(2027, 10, 31, 2, 30)),
        Some(Utc.with_ymd_and_hms(2027, 10, 31, 0, 30, 0).unwrap())
    );
    assert_eq!(berlin.local(jump), Some(local(2027, 3, 28, 3, 0)));
    assert_eq!(
        Zone::parse("+01:00")
            .unwrap()
            .local(DateTime::<Utc>::MAX_UTC),
        None
    );
    assert_eq!(berlin.local(DateTime::<Utc>::MAX_UTC), None);
}

#[test]
fn the_ends_of_chronos_range_answer_none() {
    assert_eq!(
        Zone::parse("+10:00")
            .unwrap()
            .first_at_or_after(NaiveDateTime::MIN),
        None
    );
    assert_eq!(
        Zone::parse("-10:00")
            .unwrap()
            .first_at_or_after(NaiveDateTime::MAX),
        None
    );
    assert!(Zone::Utc.first_at_or_after(NaiveDateTime::MAX).is_some());
    let last = DateTime::<Utc>::MAX_UTC;
    assert_eq!(Zone::Utc.local(last), Some(last.naive_utc()));
    assert_eq!(Zone::parse("+01:00").unwrap().local(last), None);
    assert!(Zone::parse("-01:00").unwrap().local(last).is_some());
}
