//! The detector's rules, scenario by scenario: the edges the documentation names (window
//! ends, `min_incidents` 0 and 1, equal instants, missing fields, keys of no field and of
//! several, the burst test and its cold start), the ranking, the JSON forms, and a million
//! records.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_problem::{
    Baseline, Cluster, DetectionSpec, Field, IncidentRecord, Key, WindowEnd, detect,
};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

/// Records with one symptom each, opened at the given (day, hour).
fn symptoms(list: &[(u32, u32, &str)]) -> Vec<IncidentRecord> {
    list.iter()
        .map(|&(d, h, s)| IncidentRecord::new(at(d, h)).with(Field::Symptom, s))
        .collect()
}

fn by_symptom(n: usize, window: Duration) -> DetectionSpec {
    DetectionSpec::new([Key::new([Field::Symptom])], n, window)
}

fn incidents(clusters: &[Cluster]) -> Vec<Vec<usize>> {
    clusters.iter().map(|c| c.incidents.clone()).collect()
}

#[test]
fn nothing_in_nothing_out() {
    let spec = by_symptom(3, Duration::days(7));
    assert!(detect(&[], &spec).is_empty());
    let records = symptoms(&[(2, 9, "a"), (2, 10, "a"), (2, 11, "a")]);
    let no_keys = DetectionSpec::new([], 1, Duration::days(7));
    assert!(detect(&records, &no_keys).is_empty());
}

#[test]
fn min_incidents_of_one_makes_every_incident_a_cluster_and_zero_counts_as_one() {
    let records = symptoms(&[(2, 9, "a"), (5, 9, "a"), (20, 9, "b")]);
    for n in [0, 1] {
        let clusters = detect(&records, &by_symptom(n, Duration::days(1)));
        assert_eq!(incidents(&clusters), [vec![0], vec![1], vec![2]], "n = {n}");
        for c in &clusters {
            assert_eq!(c.trigger, c.incidents);
            assert_eq!(c.detectable_at, c.first_at);
            assert_eq!(c.peak, 1);
        }
    }
    // With a longer window the first two chain up.
    let clusters = detect(&records, &by_symptom(1, Duration::days(7)));
    assert_eq!(incidents(&clusters), [vec![0, 1], vec![2]]);
}

#[test]
fn the_window_end_decides_a_gap_of_exactly_one_window() {
    let records = symptoms(&[(2, 9, "a"), (9, 9, "a"), (9, 10, "a")]);
    let mut spec = by_symptom(3, Duration::days(7));
    assert!(
        detect(&records, &spec).is_empty(),
        "[t, t + 7d) leaves the 9th at 9:00 out"
    );
    spec.window_end = WindowEnd::Inclusive;
    let clusters = detect(&records, &spec);
    assert!(
        clusters.is_empty(),
        "9:00 is in, 10:00 is not: two in the window"
    );
    spec.window = Duration::days(7) + Duration::hours(1);
    let clusters = detect(&records, &spec);
    assert_eq!(incidents(&clusters), [vec![0, 1, 2]]);
    assert_eq!(clusters[0].detectable_at, at(9, 10));
    assert_eq!(clusters[0].window_end, WindowEnd::Inclusive);
}

#[test]
fn equal_instants_stay_together_even_in_a_window_of_zero() {
    let records = symptoms(&[(2, 9, "a"), (2, 9, "a"), (2, 9, "a"), (2, 10, "a")]);
    for window in [Duration::zero(), -Duration::days(3)] {
        for end in [WindowEnd::Exclusive, WindowEnd::Inclusive] {
            let mut spec = by_symptom(3, window);
            spec.window_end = end;
            let clusters = detect(&records, &spec);
            assert_eq!(incidents(&clusters), [vec![0, 1, 2]], "{window} {end:?}");
            assert_eq!(clusters[0].trigger, [0, 1, 2]);
            assert_eq!(clusters[0].detectable_at, at(2, 9));
            assert_eq!(
                clusters[0].window,
                Duration::zero(),
                "a negative window is zero"
            );
        }
    }
    // The trigger is the first incidents by time, then by position.
    let records = symptoms(&[(2, 10, "a"), (2, 9, "a"), (2, 9, "a"), (2, 9, "a")]);
    let clusters = detect(&records, &by_symptom(2, Duration::hours(2)));
    assert_eq!(incidents(&clusters), [vec![1, 2, 3, 0]]);
    assert_eq!(clusters[0].trigger, [1, 2]);
}

#[test]
fn records_without_the_key_are_left_out_and_empty_text_is_a_value() {
    let mut records = symptoms(&[(2, 9, "a"), (2, 10, ""), (2, 11, ""), (2, 12, "a")]);
    records.push(IncidentRecord::new(at(2, 13)));
    records.push(IncidentRecord::new(at(2, 14)).with(Field::Category, "a"));
    let clusters = detect(&records, &by_symptom(2, Duration::days(1)));
    assert_eq!(incidents(&clusters), [vec![1, 2], vec![0, 3]]);
    assert_eq!(clusters[0].values, [""]);
}

#[test]
fn a_key_of_no_field_is_every_incident_and_combined_keys_need_every_value_equal() {
    let records = vec![
        IncidentRecord::new(at(2, 9))
            .with(Field::Category, "network")
            .with(Field::attribute("site"), "Porto"),
        IncidentRecord::new(at(2, 10))
            .with(Field::Category, "network")
            .with(Field::attribute("site"), "Lisbon"),
        IncidentRecord::new(at(2, 11))
            .with(Field::Category, "network")
            .with(Field::attribute("site"), "Porto"),
        IncidentRecord::new(at(2, 12)).with(Field::Category, "mail"),
    ];
    let spec = DetectionSpec::new(
        [
            Key::new([Field::Category, Field::attribute("site")]),
            Key::new([]),
            Key::new([Field::Category]),
        ],
        2,
        Duration::days(1),
    );
    let clusters = detect(&records, &spec);
    let summary: Vec<(usize, Vec<String>, Vec<usize>)> = clusters
        .iter()
        .map(|c| (c.key, c.values.clone(), c.incidents.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (1, vec![], vec![0, 1, 2, 3]),
            (2, vec!["network".to_owned()], vec![0, 1, 2]),
            (
                0,
                vec!["network".to_owned(), "Porto".to_owned()],
                vec![0, 2]
            ),
        ]
    );
    assert_eq!(Key::new([]).to_string(), "(every incident)");
}

#[test]
fn windows_that_share_an_incident_merge_and_the_others_do_not() {
    // a: 9, 10 | 11 ... chained by two-hour windows; then a gap; then 20, 21.
    let records = symptoms(&[
        (2, 9, "a"),
        (2, 10, "a"),
        (2, 11, "a"),
        (2, 20, "a"),
        (2, 21, "a"),
    ]);
    let clusters = detect(&records, &by_symptom(2, Duration::hours(2)));
    assert_eq!(incidents(&clusters), [vec![0, 1, 2], vec![3, 4]]);
    assert_eq!(clusters[0].peak, 2);
    assert_eq!(
        (clusters[0].first_at, clusters[0].last_at),
        (at(2, 9), at(2, 11))
    );
}

#[test]
fn the_ranking_is_peak_then_size_then_detection_then_key_then_values() {
    let records = symptoms(&[
        // "slow": three in one window.
        (3, 9, "slow"),
        (3, 10, "slow"),
        (3, 11, "slow"),
        // "down" and "cold": two in a window, chained to four, "down" detectable first.
        (2, 9, "down"),
        (2, 10, "down"),
        (2, 20, "down"),
        (2, 21, "down"),
        (4, 9, "cold"),
        (4, 10, "cold"),
        (4, 20, "cold"),
        (4, 21, "cold"),
        // "b" and "a": two each, at the same instants: values decide.
        (6, 9, "b"),
        (6, 10, "b"),
        (6, 9, "a"),
        (6, 10, "a"),
    ]);
    let clusters = detect(&records, &by_symptom(2, Duration::hours(11)));
    let order: Vec<&str> = clusters.iter().map(|c| c.values[0].as_str()).collect();
    assert_eq!(order, ["slow", "down", "cold", "a", "b"]);
}

#[test]
fn the_burst_test_ignores_a_steady_stream_and_finds_a_spike() {
    // One "printer" incident a day at 9:00 through March, and three more on the 20th at
    // 10:00, 11:00 and 12:00 (positions 31, 32, 33).
    let mut records: Vec<IncidentRecord> = (1..=31)
        .map(|d| IncidentRecord::new(at(d, 9)).with(Field::Symptom, "printer"))
        .collect();
    for h in [10, 11, 12] {
        records.push(IncidentRecord::new(at(20, h)).with(Field::Symptom, "printer"));
    }
    // Closed one-day windows: each holds two daily incidents.
    let mut spec = by_symptom(2, Duration::days(1));
    spec.window_end = WindowEnd::Inclusive;
    let plain = detect(&records, &spec);
    assert_eq!(
        plain.len(),
        1,
        "without a baseline, a steady stream is one long cluster"
    );
    assert_eq!(plain[0].incidents.len(), 34);

    // More than twice the usual count for a day, measured over the week before.
    spec.baseline = Some(Baseline::new(Duration::days(7), 2));
    let clusters = detect(&records, &spec);
    // The spike: the window from 9:00 on the 20th holds five (up to 9:00 on the 21st); the
    // week before it holds seven, so it needs more than 2 × 7 × 1 / 7 = 2: its third, at
    // 11:00. Then the cold start: until a week of history is there, two a day pass.
    assert_eq!(
        incidents(&clusters),
        [vec![19, 31, 32, 33, 20], (0..8).collect()]
    );
    assert_eq!(clusters[0].trigger, [19, 31, 32]);
    assert_eq!(clusters[0].detectable_at, at(20, 11));
    assert_eq!(clusters[0].peak, 5);

    // With one incident before it, the burst test asks no more than `min_incidents`.
    let early: Vec<IncidentRecord> =
        symptoms(&[(1, 9, "x"), (2, 9, "x"), (2, 10, "x"), (2, 11, "x")]);
    let mut spec = by_symptom(2, Duration::days(1));
    spec.baseline = Some(Baseline::new(Duration::days(7), 2));
    let clusters = detect(&early, &spec);
    assert_eq!(incidents(&clusters), [vec![1, 2, 3]]);
    assert_eq!(clusters[0].detectable_at, at(2, 10));
    // A factor of 0 lets every window with `min_incidents` pass.
    spec.baseline = Some(Baseline::new(Duration::days(7), 0));
    assert_eq!(
        detect(&early, &spec),
        detect(&early, &by_symptom(2, Duration::days(1)))
    );
}

#[cfg(feature = "serde")]
#[test]
fn specs_and_clusters_in_json() {
    let mut spec = DetectionSpec::new(
        [
            Key::new([Field::Item]),
            Key::new([Field::Category, Field::attribute("site")]),
        ],
        3,
        Duration::days(7),
    );
    spec.baseline = Some(Baseline::new(Duration::days(28), 2));
    let json = serde_json::to_value(&spec).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "keys": [{"fields": ["item"]}, {"fields": ["category", {"attribute": "site"}]}],
            "min_incidents": 3,
            "window": "P7D",
            "window_end": "exclusive",
            "baseline": {"period": "P28D", "factor": 2}
        })
    );
    assert_eq!(serde_json::from_value::<DetectionSpec>(json).unwrap(), spec);
    let unknown = serde_json::json!({"keys": [], "min_incidents": 1, "window": "P1D", "widow": 1});
    assert!(serde_json::from_value::<DetectionSpec>(unknown).is_err());
    let month = serde_json::json!({"keys": [], "min_incidents": 1, "window": "P1M"});
    assert!(serde_json::from_value::<DetectionSpec>(month).is_err());

    let records = symptoms(&[(2, 9, "a"), (2, 10, "a")]);
    let record_json = serde_json::to_value(&records[0]).unwrap();
    assert_eq!(
        record_json,
        serde_json::json!({"at": "2026-03-02T09:00:00Z", "item": null, "service": null,
            "category": null, "subcategory": null, "symptom": "a"})
    );
    let back: IncidentRecord =
        serde_json::from_value(serde_json::json!({"at": "2026-03-02T09:00:00Z"})).unwrap();
    assert_eq!(back, IncidentRecord::new(at(2, 9)));
    let clusters = detect(&records, &by_symptom(2, Duration::hours(2)));
    let text = serde_json::to_string(&clusters).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<Cluster>>(&text).unwrap(),
        clusters
    );
}

/// A million records, in a debug build: 1,000 configuration items over a year, one of them
/// failing a hundred times in a day. The sorts and sweeps are O(n log n), so this stays
/// within seconds even unoptimised (the release timing is `bench-problem`'s).
#[test]
fn a_million_records() {
    let start = at(1, 0);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let items: Vec<String> = (0..1000).map(|i| format!("ci-{i}")).collect();
    let mut records: Vec<IncidentRecord> = (0..1_000_000)
        .map(|_| {
            let minute = i64::try_from(next() % (365 * 24 * 60)).unwrap();
            let item = &items[usize::try_from(next() % 1000).unwrap()];
            let mut r = IncidentRecord::new(start + Duration::minutes(minute));
            r.item = Some(item.clone());
            r
        })
        .collect();
    for i in 0..100 {
        let mut r = IncidentRecord::new(at(20, 0) + Duration::minutes(i * 10));
        r.item = Some("ci-burst".to_owned());
        records.push(r);
    }
    // About 2.7 incidents a day per item: 20 in a day, and more than 4 times the usual count,
    // is a burst.
    let mut spec = DetectionSpec::new([Key::new([Field::Item])], 20, Duration::days(1));
    spec.baseline = Some(Baseline::new(Duration::days(28), 4));
    let clusters = detect(&records, &spec);
    assert_eq!(clusters[0].values, ["ci-burst"]);
    assert_eq!(clusters[0].incidents.len(), 100);
    assert_eq!(
        clusters[0].detectable_at,
        at(20, 0) + Duration::minutes(190)
    );
    assert_eq!(clusters.len(), 1, "no cluster of noise");
}
