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
