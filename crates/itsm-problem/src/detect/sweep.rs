//! The detector's algorithm: each field's values numbered once by sorting, each key's
//! records sorted by (value, time), then one forward sweep per value with three pointers
//! (the window's start, its end, the baseline's start).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::{Baseline, Cluster, DetectionSpec, Field, IncidentRecord, WindowEnd};

/// A record without a value for a field (or a key): not a value number, which are below the
/// number of records.
pub(super) const NONE: usize = usize::MAX;

/// One record of a key: its value number, when it was opened, its position in the input.
type Entry = (usize, DateTime<Utc>, usize);

pub(super) fn detect(records: &[IncidentRecord], spec: &DetectionSpec) -> Vec<Cluster> {
    let window = spec.window.max(Duration::zero());
    let rule = Rule {
        window,
        end: spec.window_end,
        min: spec.min_incidents.max(1),
        burst: spec.baseline.and_then(|b| Burst::new(b, window)),
    };
    let mut numbered: BTreeMap<&Field, Vec<usize>> = BTreeMap::new();
    let mut found = Vec::new();
    for (key, spec_key) in spec.keys.iter().enumerate() {
        for field in &spec_key.fields {
            if !numbered.contains_key(field) {
                numbered.insert(field, number_values(records, field));
            }
        }
        let columns = spec_key.fields.iter().filter_map(|f| numbered.get(f));
        let values = combine(records.len(), columns);
        let mut entries: Vec<Entry> = values
            .iter()
            .zip(records)
            .enumerate()
            .filter(|(_, (value, _))| **value != NONE)
            .map(|(pos, (value, record))| (*value, record.at, pos))
            .collect();
        entries.sort_unstable();
        for run in entries.chunk_by(|a, b| a.0 == b.0) {
            rule.sweep(run, &mut |span| {
                found.push(Found {
                    key,
                    cluster: span.cluster(run, key, &spec_key.fields, records, &rule),
                });
            });
        }
    }
    found.sort_unstable_by(|a, b| {
        let rank = |f: &Found| {
            (
                Reverse(f.cluster.peak),
                Reverse(f.cluster.incidents.len()),
                f.cluster.detectable_at,
                f.key,
            )
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.cluster.values.cmp(&b.cluster.values))
            .then_with(|| {
                a.cluster
                    .incidents
                    .first()
                    .cmp(&b.cluster.incidents.first())
            })
    });
    found.into_iter().map(|f| f.cluster).collect()
}

/// A cluster before ranking, with what the ranking reads besides the cluster.
struct Found {
    key: usize,
    cluster: Cluster,
}

/// Numbers the values of `field` (equal values, equal numbers); [`NONE`] where a record has
/// none. Sorting, not a hash table: O(n log n) whatever the values, and no random seed. The
/// sort compares a fixed hash of each value, and the texts only where hashes collide; the
/// numbers are therefore in the order of the hashes, not of the values (the ranking
/// compares the values themselves).
pub(super) fn number_values(records: &[IncidentRecord], field: &Field) -> Vec<usize> {
    let mut present: Vec<(u64, &str, usize)> = records
        .iter()
        .enumerate()
        .filter_map(|(pos, r)| r.get(field).map(|v| (fnv1a(v), v, pos)))
        .collect();
    // By hash only (cheap to compare), then by text only inside a run of equal hashes
    // whose texts differ (a collision: rare, and still O(n log n) if every hash collides).
    // The order within a run of one value does not matter.
    present.sort_unstable_by_key(|&(hash, _, _)| hash);
    for run in present.chunk_by_mut(|a, b| a.0 == b.0) {
        let first = run.first().map(|e| e.1);
        if run.iter().any(|e| Some(e.1) != first) {
            run.sort_unstable_by_key(|&(_, value, _)| value);
        }
    }
    let mut numbers = vec![NONE; records.len()];
    let mut number = 0;
    let mut previous: Option<(u64, &str)> = None;
    for (hash, value, pos) in present {
        if previous.is_some_and(|p| p != (hash, value)) {
            number += 1;
        }
        previous = Some((hash, value));
        if let Some(slot) = numbers.get_mut(pos) {
            *slot = number;
        }
    }
    numbers
}

/// FNV-1a, 64 bits: fixed, so the same values always sort the same way.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Numbers the combinations of several fields' value numbers (equal combinations, equal
/// numbers); [`NONE`] where a record lacks any of them. No fields: every record has number 0.
pub(super) fn combine<'a>(
    len: usize,
    mut columns: impl Iterator<Item = &'a Vec<usize>>,
) -> Vec<usize> {
    let Some(first) = columns.next() else {
        return vec![0; len];
    };
    let mut numbers = first.clone();
    for column in columns {
        let mut pairs: Vec<(usize, usize, usize)> = numbers
            .iter()
            .zip(column)
            .enumerate()
            .filter(|(_, (a, b))| **a != NONE && **b != NONE)
            .map(|(pos, (a, b))| (*a, *b, pos))
            .collect();
        pairs.sort_unstable_by_key(|&(a, b, _)| (a, b));
        let mut next = vec![NONE; len];
        let mut number = 0;
        let mut previous = None;
        for (a, b, pos) in pairs {
            if previous.is_some_and(|p| p != (a, b)) {
                number += 1;
            }
            previous = Some((a, b));
            if let Some(slot) = next.get_mut(pos) {
                *slot = number;
            }
        }
        numbers = next;
    }
    numbers
}

/// The spec, normalised: the window at least zero, `min` at least 1, the burst test only
/// when it has a period to measure.
pub(super) struct Rule {
    pub(super) window: Duration,
    pub(super) end: WindowEnd,
    pub(super) min: usize,
    pub(super) burst: Option<Burst>,
}

/// The burst test in whole milliseconds, all positive or zero.
#[derive(Clone, Copy)]
pub(super) struct Burst {
    period: Duration,
    period_ms: u128,
    window_ms: u128,
    factor: u128,
}

impl Burst {
    pub(super) fn new(baseline: Baseline, window: Duration) -> Option<Self> {
        let period_ms = u128::try_from(baseline.period.num_milliseconds()).ok()?;
        if period_ms == 0 {
            return None;
        }
        Some(Burst {
            period: baseline.period,
            period_ms,
            window_ms: u128::try_from(window.num_milliseconds()).unwrap_or(0),
            factor: u128::from(baseline.factor),
        })
    }

    /// The fewest incidents `c` a window needs after `before` incidents in the period:
    /// `c × period > factor × before × window`, that is `factor × before × window / period`
    /// rounded down, plus one. `usize::MAX` (never reached) when that does not fit: the
    /// product then exceeds 2^128 and so `2^64 × period`.
    pub(super) fn need(&self, before: usize) -> usize {
        let Ok(before) = u128::try_from(before) else {
            return usize::MAX;
        };
        self.factor
            .checked_mul(before)
            .and_then(|x| x.checked_mul(self.window_ms))
            .map(|x| x / self.period_ms + 1)
            .and_then(|x| usize::try_from(x).ok())
            .unwrap_or(usize::MAX)
    }
}

/// A cluster being built in one value's run: index ranges into the run.
struct Span {
    start: usize,
    end: usize,
    detectable_at: DateTime<Utc>,
    trigger: (usize, usize),
    peak: usize,
    peak_from: DateTime<Utc>,
}

impl Span {
    fn cluster(
        &self,
        run: &[Entry],
        key: usize,
        fields: &[Field],
        records: &[IncidentRecord],
        rule: &Rule,
    ) -> Cluster {
        let positions = |from: usize, to: usize| -> Vec<usize> {
            run.get(from..=to)
                .unwrap_or_default()
                .iter()
                .map(|e| e.2)
                .collect()
        };
        let incidents = positions(self.start, self.end);
        let time = |i: usize| run.get(i).map_or(self.detectable_at, |e| e.1);
        let first = incidents.first().and_then(|&p| records.get(p));
        Cluster {
            key,
            fields: fields.to_vec(),
            values: fields
                .iter()
                .map(|f| first.and_then(|r| r.get(f)).unwrap_or_default().to_owned())
                .collect(),
            trigger: positions(self.trigger.0, self.trigger.1),
            detectable_at: self.detectable_at,
            first_at: time(self.start),
            last_at: time(self.end),
            peak: self.peak,
            peak_from: self.peak_from,
            incidents,
            window: rule.window,
            window_end: rule.end,
        }
    }
}

impl Rule {
    /// Whether an incident opened `gap` after a window's first one is in the window. The
    /// incidents of one instant are never split, even by a window of zero.
    pub(super) fn within(&self, gap: Duration) -> bool {
        match self.end {
            WindowEnd::Inclusive => gap <= self.window,
            WindowEnd::Exclusive => gap < self.window || gap.is_zero(),
        }
    }

    /// Finds the clusters of one value's records (sorted by time, then position) and hands
    /// each to `emit`. Windows start only at the first record of each instant: a window
    /// starting at a later record of the same instant holds a subset of the same records
    /// against the same baseline.
    fn sweep(&self, run: &[Entry], emit: &mut impl FnMut(&Span)) {
        let time = |i: usize| run.get(i).map(|e| e.1);
        let mut building: Option<Span> = None;
        let (mut start, mut end, mut base) = (0, 0, 0);
        while let Some(t) = time(start) {
            end = end.max(start);
            while let Some(next) = time(end + 1) {
                if !self.within(next - t) {
                    break;
                }
                end += 1;
            }
            let count = end - start + 1;
            let need = match &self.burst {
                Some(burst) => {
                    while time(base).is_some_and(|b| base < start && t - b > burst.period) {
                        base += 1;
                    }
                    burst.need(start - base)
                }
                None => 0,
            };
            let needed = self.min.max(need);
            if count >= needed {
                // needed <= count, so this is at most `end`.
                let last = start + needed - 1;
                let detectable_at = time(last).unwrap_or(t);
                match &mut building {
                    Some(span) if start <= span.end => {
                        span.end = span.end.max(end);
                        if detectable_at < span.detectable_at {
                            span.detectable_at = detectable_at;
                            span.trigger = (start, last);
                        }
                        if count > span.peak {
                            span.peak = count;
                            span.peak_from = t;
                        }
                    }
                    _ => {
                        if let Some(span) = building.take() {
                            emit(&span);
                        }
                        building = Some(Span {
                            start,
                            end,
                            detectable_at,
                            trigger: (start, last),
                            peak: count,
                            peak_from: t,
                        });
                    }
                }
            }
            start += 1;
            while time(start) == Some(t) {
                start += 1;
            }
        }
        if let Some(span) = building {
            emit(&span);
        }
    }
}
