//! Unit tests of the detector's parts; the rules as a whole are tested against a brute-force
//! reference in `tests/detect_reference.rs`, and by scenario in `tests/detect.rs`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use chrono::{Duration, TimeZone, Utc};

use super::sweep::{Burst, NONE, Rule, combine, number_values};
use super::{Baseline, Field, IncidentRecord, WindowEnd};

fn records(values: &[Option<&str>]) -> Vec<IncidentRecord> {
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    values
        .iter()
        .map(|v| {
            let mut r = IncidentRecord::new(at);
            r.symptom = v.map(str::to_owned);
            r
        })
        .collect()
}

#[test]
fn equal_values_get_equal_numbers_and_missing_ones_none() {
    let r = records(&[Some("b"), None, Some("a"), Some("b"), Some("")]);
    let n = number_values(&r, &Field::Symptom);
    assert_eq!((n[0], n[1]), (n[3], NONE));
    let mut distinct = vec![n[0], n[2], n[4]];
    distinct.sort_unstable();
    assert_eq!(distinct, [0, 1, 2]);
    assert_eq!(number_values(&r, &Field::Item), [NONE; 5]);
    assert!(number_values(&[], &Field::Item).is_empty());
}

#[test]
fn combinations_are_numbered_in_the_order_of_their_numbers() {
    let first = vec![1, 0, 1, NONE, 0];
    let second = vec![0, 1, 0, 0, NONE];
    // (1,0) (0,1) (1,0) - - : (0,1) < (1,0).
    assert_eq!(
        combine(5, [&first, &second].into_iter()),
        [1, 0, 1, NONE, NONE]
    );
    assert_eq!(combine(3, std::iter::empty()), [0, 0, 0]);
    assert_eq!(combine(2, [&vec![NONE, 4]].into_iter()), [NONE, 4]);
}

#[test]
fn the_burst_need_is_exact_and_never_overflows() {
    let burst = |period: Duration, factor, window: Duration| {
        Burst::new(Baseline::new(period, factor), window)
    };
    // Twice the usual rate: 28 incidents in 28 days is 7 a week; more than 14 needed.
    let b = burst(Duration::days(28), 2, Duration::days(7)).unwrap();
    assert_eq!(b.need(0), 1);
    assert_eq!(b.need(28), 15);
    assert_eq!(b.need(27), 14); // 2 × 27 × 7 / 28 = 13.5
    // Products beyond 128 bits: never reached.
    let huge = burst(Duration::milliseconds(1), u32::MAX, Duration::MAX).unwrap();
    assert_eq!(huge.need(usize::MAX), usize::MAX);
    assert_eq!(huge.need(0), 1);
    // No period to measure a rate over: no test.
    assert!(burst(Duration::zero(), 2, Duration::days(7)).is_none());
    assert!(burst(Duration::microseconds(999), 2, Duration::days(7)).is_none());
    assert!(burst(-Duration::days(1), 2, Duration::days(7)).is_none());
}

#[test]
fn an_instant_is_never_split_by_a_window() {
    let rule = |window, end| Rule {
        window,
        end,
        min: 1,
        burst: None,
    };
    let zero = rule(Duration::zero(), WindowEnd::Exclusive);
    assert!(zero.within(Duration::zero()));
    assert!(!zero.within(Duration::nanoseconds(1)));
    let week = rule(Duration::days(7), WindowEnd::Exclusive);
    assert!(!week.within(Duration::days(7)));
    assert!(week.within(Duration::days(7) - Duration::nanoseconds(1)));
    let closed = rule(Duration::days(7), WindowEnd::Inclusive);
    assert!(closed.within(Duration::days(7)));
    assert!(!closed.within(Duration::days(7) + Duration::nanoseconds(1)));
}
