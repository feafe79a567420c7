//! The detector against a brute-force reference written straight from the rules in
//! `detect`'s documentation: windows as sets of incidents by time (never by sorted
//! position), clusters as the connected parts of the full windows that share an incident,
//! every quantity counted by looking at every pair. O(n^2) and more, on small random inputs
//! built to hit the edges: equal instants, windows of zero and below, gaps exactly one
//! window long, missing fields, keys of no field and of several, `min_incidents` 0 and 1,
//! burst tests with zero, negative and tiny periods.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_problem::{
    Baseline, Cluster, DetectionSpec, Field, IncidentRecord, Key, WindowEnd, detect,
};
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};

/// One full window of the reference: the incidents it holds, sorted by (time, position).
struct Window {
    start: DateTime<Utc>,
    members: Vec<usize>,
    needed: usize,
}

fn in_window(spec: &DetectionSpec, gap: Duration) -> bool {
    let window = spec.window.max(Duration::zero());
    gap.is_zero()
        || match spec.window_end {
            WindowEnd::Inclusive => gap <= window,
            WindowEnd::Exclusive => gap < window,
        }
}

/// The fewest incidents that pass the burst test after `before` incidents in the period:
/// found by trying every count, from the rule `c × period > factor × before × window`.
fn burst_needed(spec: &DetectionSpec, before: usize, most: usize) -> usize {
    let Some(baseline) = spec.baseline else {
        return 0;
    };
    let period = i128::from(baseline.period.num_milliseconds());
    if period <= 0 {
        return 0;
    }
    let window = i128::from(spec.window.max(Duration::zero()).num_milliseconds());
    let rhs = i128::from(baseline.factor) * before as i128 * window;
    (1..=most + 1)
        .find(|c| *c as i128 * period > rhs)
        .unwrap_or(usize::MAX)
}

/// The clusters, ranked, by brute force.
fn reference(records: &[IncidentRecord], spec: &DetectionSpec) -> Vec<Cluster> {
    let min = spec.min_incidents.max(1);
    let mut out: Vec<(usize, Vec<String>, Cluster)> = Vec::new();
    for (k, key) in spec.keys.iter().enumerate() {
        let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for (pos, record) in records.iter().enumerate() {
            let values: Option<Vec<String>> = key
                .fields
                .iter()
                .map(|f| record.get(f).map(str::to_owned))
                .collect();
            if let Some(values) = values {
                groups.entry(values).or_default().push(pos);
            }
        }
        for (values, group) in groups {
            let at = |p: usize| records[p].at;
            let starts: BTreeSet<DateTime<Utc>> = group.iter().map(|&p| at(p)).collect();
            let mut full: Vec<Window> = Vec::new();
            for &t in &starts {
                let mut members: Vec<usize> = group
                    .iter()
                    .copied()
                    .filter(|&p| at(p) >= t && in_window(spec, at(p) - t))
                    .collect();
                members.sort_by_key(|&p| (at(p), p));
                let before = group
                    .iter()
                    .filter(|&&p| at(p) < t && spec.baseline.is_some_and(|b| t - at(p) <= b.period))
                    .count();
                let needed = min.max(burst_needed(spec, before, group.len()));
                if members.len() >= needed {
                    full.push(Window {
                        start: t,
                        members,
                        needed,
                    });
                }
            }
            // Connected parts: windows sharing an incident, by repeated merging.
            let mut parts: Vec<Vec<usize>> = (0..full.len()).map(|i| vec![i]).collect();
            loop {
                let mut merged = false;
                'pairs: for a in 0..parts.len() {
                    for b in a + 1..parts.len() {
                        let share = parts[a].iter().any(|&x| {
                            parts[b].iter().any(|&y| {
                                full[x].members.iter().any(|m| full[y].members.contains(m))
                            })
                        });
                        if share {
                            let moved = parts.remove(b);
                            parts[a].extend(moved);
                            merged = true;
                            break 'pairs;
                        }
                    }
                }
                if !merged {
                    break;
                }
            }
            for part in parts {
                let windows: Vec<&Window> = part.iter().map(|&i| &full[i]).collect();
                let mut incidents: Vec<usize> = windows
                    .iter()
                    .flat_map(|w| w.members.iter().copied())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                incidents.sort_by_key(|&p| (at(p), p));
                // Earliest to become full; among those, the earliest start.
                let first_full = windows
                    .iter()
                    .min_by_key(|w| (at(w.members[w.needed - 1]), w.start))
                    .unwrap();
                let peak = windows.iter().map(|w| w.members.len()).max().unwrap();
                let peak_from = windows
                    .iter()
                    .filter(|w| w.members.len() == peak)
                    .map(|w| w.start)
                    .min()
                    .unwrap();
                let mut cluster = Cluster::clone(&template());
                cluster.key = k;
                cluster.fields = key.fields.clone();
                cluster.values = values.clone();
                cluster.trigger = first_full.members[..first_full.needed].to_vec();
                cluster.detectable_at = at(first_full.members[first_full.needed - 1]);
                cluster.first_at = at(incidents[0]);
                cluster.last_at = at(*incidents.last().unwrap());
                cluster.peak = peak;
                cluster.peak_from = peak_from;
                cluster.window = spec.window.max(Duration::zero());
                cluster.window_end = spec.window_end;
                cluster.incidents = incidents;
                out.push((k, values.clone(), cluster));
            }
        }
    }
    out.sort_by(|(ka, va, a), (kb, vb, b)| {
        (
            Reverse(a.peak),
            Reverse(a.incidents.len()),
            a.detectable_at,
            ka,
            va,
            a.incidents[0],
        )
            .cmp(&(
                Reverse(b.peak),
                Reverse(b.incidents.len()),
                b.detectable_at,
                kb,
                vb,
                b.incidents[0],
            ))
    });
    out.into_iter().map(|(_, _, c)| c).collect()
}

/// A cluster to overwrite field by field (the type is non-exhaustive: only `detect` makes
/// one).
fn template() -> Cluster {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let records = [IncidentRecord::new(at)];
    let spec = DetectionSpec::new([Key::new([])], 1, Duration::zero());
    detect(&records, &spec).remove(0)
}

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        Just(Field::Item),
        Just(Field::Category),
        Just(Field::Symptom),
        Just(Field::attribute("location")),
    ]
}

fn value() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        2 => Just(Some("a".to_owned())),
        2 => Just(Some("b".to_owned())),
        1 => Just(Some(String::new())),
    ]
}

fn record() -> impl Strategy<Value = IncidentRecord> {
    // Minutes from a small range, so equal instants and exact window gaps are common.
    (0i64..40, value(), value(), value(), value()).prop_map(|(m, item, cat, sym, loc)| {
        let mut r = IncidentRecord::new(base() + Duration::minutes(m));
        r.item = item;
        r.category = cat;
        r.symptom = sym;
        if let Some(loc) = loc {
            r = r.with(Field::attribute("location"), loc);
        }
        r
    })
}

fn spec() -> impl Strategy<Value = DetectionSpec> {
    (
        prop::collection::vec(
            prop::collection::vec(field(), 0..3).prop_map(Key::new),
            0..4,
        ),
        0usize..5,
        -3i64..15,
        any::<bool>(),
        prop_oneof![
            2 => Just(None),
            1 => (-2i64..30, 0u32..4).prop_map(|(p, f)| Some((p, f))),
        ],
        any::<bool>(),
    )
        .prop_map(|(keys, n, w, inclusive, baseline, sub_ms)| {
            let mut spec = DetectionSpec::new(keys, n, Duration::minutes(w));
            if inclusive {
                spec.window_end = WindowEnd::Inclusive;
            }
            spec.baseline = baseline.map(|(p, f)| {
                // Sometimes a period under a millisecond: no rate to compare with.
                let period = if sub_ms && p == 0 {
                    Duration::microseconds(500)
                } else {
                    Duration::minutes(p)
                };
                Baseline::new(period, f)
            });
            spec
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1024,
        rng_seed: RngSeed::Fixed(0x6465_7465_6374),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/detect_reference.txt"
        )))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// The same clusters, with the same evidence, in the same order.
    #[test]
    fn detect_equals_the_brute_force_reference(
        records in prop::collection::vec(record(), 0..30),
        spec in spec(),
    ) {
        prop_assert_eq!(detect(&records, &spec), reference(&records, &spec));
    }

    /// Reordering the input renames the positions and changes nothing else (but the order
    /// of clusters that tie on everything up to the first position).
    #[test]
    fn the_input_order_only_renames_positions(
        records in prop::collection::vec(record(), 0..30),
        spec in spec(),
    ) {
        let reversed: Vec<IncidentRecord> = records.iter().rev().cloned().collect();
        let n = records.len();
        let key = |c: &Cluster| {
            let mut incidents: Vec<DateTime<Utc>> = c.incidents.iter().map(|&p| records[p].at).collect();
            incidents.sort();
            (c.key, c.values.clone(), incidents, c.detectable_at, c.peak, c.peak_from)
        };
        let mut forward: Vec<_> = detect(&records, &spec).iter().map(key).collect();
        let mut backward: Vec<_> = detect(&reversed, &spec)
            .into_iter()
            .map(|mut c| {
                c.incidents = c.incidents.iter().map(|p| n - 1 - p).collect();
                key(&c)
            })
            .collect();
        forward.sort();
        backward.sort();
        prop_assert_eq!(forward, backward);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..config() })]

    /// What `detectable_at` promises: the detector run over only the incidents opened up to
    /// that instant (a host running it then) finds a cluster of the same key value with the
    /// same trigger, detectable at the same instant.
    #[test]
    fn a_cluster_is_found_from_the_history_up_to_its_detection(
        records in prop::collection::vec(record(), 0..30),
        spec in spec(),
    ) {
        for c in detect(&records, &spec) {
            let kept: Vec<usize> = (0..records.len())
                .filter(|&p| records[p].at <= c.detectable_at)
                .collect();
            let history: Vec<IncidentRecord> = kept.iter().map(|&p| records[p].clone()).collect();
            let found = detect(&history, &spec).into_iter().any(|d| {
                d.key == c.key
                    && d.values == c.values
                    && d.detectable_at == c.detectable_at
                    && d.trigger.iter().map(|&p| kept[p]).collect::<Vec<_>>() == c.trigger
            });
            prop_assert!(found, "{c:?} is not found in the history up to its detection");
        }
    }
}

/// The generator reaches what the property is meant to cover, so it cannot pass vacuously.
#[test]
fn the_generator_reaches_the_edges() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::new(ProptestConfig {
        rng_seed: RngSeed::Fixed(0x6564_6765),
        ..ProptestConfig::default()
    });
    let strategy = (prop::collection::vec(record(), 0..30), spec());
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..1000 {
        let (records, spec) = strategy.new_tree(&mut runner).unwrap().current();
        let clusters = detect(&records, &spec);
        let mut count =
            |what: &'static str, yes: bool| *seen.entry(what).or_default() += usize::from(yes);
        count("clusters", !clusters.is_empty());
        count("several clusters", clusters.len() > 2);
        count(
            "a merged cluster",
            clusters.iter().any(|c| c.incidents.len() > c.peak),
        );
        count(
            "equal instants in a cluster",
            clusters.iter().any(|c| {
                c.incidents
                    .windows(2)
                    .any(|w| records[w[0]].at == records[w[1]].at)
            }),
        );
        count(
            "burst test binding",
            clusters
                .iter()
                .any(|c| c.trigger.len() > spec.min_incidents.max(1)),
        );
        count(
            "a key of two fields",
            clusters.iter().any(|c| c.fields.len() == 2),
        );
        count(
            "a key of no field",
            clusters.iter().any(|c| c.fields.is_empty()),
        );
        count(
            "detectable after the first window's start",
            clusters.iter().any(|c| c.detectable_at > c.first_at),
        );
        count("empty input", records.is_empty());
    }
    for (what, n) in &seen {
        assert!(
            *n >= 5,
            "the generator reached `{what}` only {n} times in 1000: {seen:?}"
        );
    }
}
