//! Lookup buckets holding many intervals (issue 20's mutation findings): the compiled
//! calendar sizes its lookup buckets from the average interval, so a year that is closed but
//! for a month and a burst of sixty one-minute openings on one morning puts the whole burst in
//! one instant bucket and one business-time bucket. `is_open`, `next_open`, `duration` and
//! `add` must then walk past the first few intervals of a bucket (the fallback loops of
//! `locate` and `seek`); every answer is compared with a plain list of the open intervals.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Exception, Week};

fn at(month: u32, day: u32, hour: u32, minute: u32, second: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, month, day)
        .unwrap()
        .and_hms_opt(hour, minute, second)
        .unwrap()
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// The open intervals, in order: sixty minutes open, one in two, from 10:00 on 2 March, then
/// June.
fn intervals() -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut list: Vec<_> = (0..60)
        .map(|k| {
            let start = utc(at(3, 2, 10, 0, 0)) + Duration::minutes(2 * k);
            (start, start + Duration::minutes(1))
        })
        .collect();
    list.push((utc(at(6, 1, 0, 0, 0)), utc(at(7, 1, 0, 0, 0))));
    list
}

fn calendar() -> Calendar {
    let mut spec = CalendarSpec::new("burst", Week::default());
    for (k, (start, end)) in intervals().into_iter().enumerate() {
        spec.exceptions.push(Exception::open(
            format!("open {k}"),
            start.naive_utc(),
            end.naive_utc(),
        ));
    }
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    Calendar::compile(&spec, &Utc, from, to).unwrap()
}

/// Business time from the horizon's start to `t`, by the list.
fn open_before(t: DateTime<Utc>) -> Duration {
    intervals()
        .iter()
        .map(|&(s, e)| (e.min(t) - s).max(Duration::zero()))
        .fold(Duration::zero(), |a, b| a + b)
}

/// The instant at which `d` of business time has passed since the horizon's start.
fn instant_after(d: Duration) -> DateTime<Utc> {
    let mut left = d;
    for (s, e) in intervals() {
        if left <= e - s {
            return s + left;
        }
        left -= e - s;
    }
    panic!("{d} is past the open time of the horizon");
}

/// Probes every 20 seconds from 09:58 to 12:02 on the morning of the burst.
fn probes() -> impl Iterator<Item = DateTime<Utc>> {
    (0..=372).map(|k| utc(at(3, 2, 9, 58, 0)) + Duration::seconds(20 * k))
}

#[test]
fn the_calendar_is_the_list() {
    let cal = calendar();
    assert_eq!(cal.name(), "burst");
    // The calendar keeps June as thirty touching days; joined, they are the list.
    let mut joined: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (s, e) in cal.intervals() {
        match joined.last_mut() {
            Some(last) if last.1 == s => last.1 = e,
            _ => joined.push((s, e)),
        }
    }
    assert_eq!(joined, intervals());
    assert_eq!(cal.total_open(), Duration::days(30) + Duration::minutes(60));
}

#[test]
fn is_open_and_next_open_inside_a_crowded_bucket() {
    let cal = calendar();
    let list = intervals();
    for t in probes() {
        let open = list.iter().any(|&(s, e)| s <= t && t < e);
        assert_eq!(cal.is_open(&t).unwrap(), open, "is_open at {t}");
        let next = list
            .iter()
            .find(|&&(_, e)| t < e)
            .map(|&(s, _)| s.max(t))
            .unwrap();
        assert_eq!(cal.next_open(&t).unwrap(), next, "next_open at {t}");
    }
}

#[test]
fn duration_inside_a_crowded_bucket() {
    let cal = calendar();
    let start = utc(at(1, 1, 0, 0, 0));
    for t in probes() {
        assert_eq!(cal.duration(&start, &t).unwrap(), open_before(t), "to {t}");
        let back = utc(at(3, 2, 11, 1, 30));
        assert_eq!(
            cal.duration(&back, &t).unwrap(),
            open_before(t) - open_before(back),
            "{back} to {t}"
        );
    }
}

#[test]
fn add_inside_a_crowded_business_bucket() {
    let cal = calendar();
    let start = utc(at(1, 1, 0, 0, 0));
    // Every 10 seconds of the burst's business hour, and into June.
    for k in 1..=400 {
        let d = Duration::seconds(10 * k);
        assert_eq!(cal.add(&start, d).unwrap(), instant_after(d), "add {d}");
    }
    // Backward from inside June into the burst.
    let june = utc(at(6, 1, 0, 30, 0));
    for k in 1..=380 {
        let d = Duration::seconds(10 * k);
        let expected = instant_after(open_before(june) - d);
        let got = cal.add(&june, -d).unwrap();
        // Going backward, an instant at an interval's start and the previous one's end are
        // the same business instant; the calendar answers with the end (the later instant).
        assert_eq!(open_before(got), open_before(expected), "add -{d}: {got}");
        assert!(got >= expected, "add -{d}: {got} before {expected}");
    }
}

/// The business-time buckets' edge: when an interval's cumulative end falls exactly on a
/// bucket boundary (intervals of 2^30 ns make every cumulative end a multiple of the bucket
/// width), `add` of exactly that much business time must answer the interval's closing
/// instant (the earliest instant at that position), not the next opening.
#[test]
fn add_to_a_cumulative_end_on_a_bucket_boundary_answers_the_closing_instant() {
    let length = Duration::nanoseconds(1 << 30);
    let starts: Vec<DateTime<Utc>> = (0..64)
        .map(|k| utc(at(3, 2, 0, 0, 0)) + Duration::minutes(15 * k))
        .collect();
    let mut spec = CalendarSpec::new("pulses", Week::default());
    for (k, start) in starts.iter().enumerate() {
        spec.exceptions.push(Exception::open(
            format!("pulse {k}"),
            start.naive_utc(),
            (*start + length).naive_utc(),
        ));
    }
    let from = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    let cal = Calendar::compile(&spec, &Utc, from, to).unwrap();
    let origin = utc(at(3, 1, 0, 0, 0));
    for (k, start) in starts.iter().enumerate() {
        let passed = length * i32::try_from(k + 1).unwrap();
        assert_eq!(
            cal.add(&origin, passed).unwrap(),
            *start + length,
            "pulse {k}"
        );
        assert_eq!(cal.duration(&origin, &(*start + length)).unwrap(), passed);
    }
}
