//! Properties of the measures over random valid timelines: percentiles are monotone and are
//! values of the data, rates stay in [0, 1], the order of the timelines does not matter, the
//! backlog agrees with a naive count, and JSON round trips.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_core::Category;
use itsm_core::{ChangeOutcome, ChangeType, Mark, MarkKind, Practice, Timeline, TimelineSpec};
use itsm_metrics::{
    Cycle, FirstContact, FollowUps, Kpis, Options, PausedTime, backlog, mean, percentile,
};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap()
}

fn kind(choice: u8) -> MarkKind {
    match choice % 12 {
        0 => MarkKind::Acknowledged,
        1 => MarkKind::Assigned { group: "a".into() },
        2 => MarkKind::Assigned { group: "b".into() },
        3 => MarkKind::Paused,
        4 => MarkKind::Resumed,
        5 | 6 => MarkKind::Resolved,
        7 => MarkKind::Reopened,
        8 => MarkKind::Closed,
        9 => MarkKind::Canceled,
        10 => MarkKind::KnownError,
        _ => MarkKind::FieldSet {
            field: "f".into(),
            value: "v".into(),
        },
    }
}

/// A valid timeline: candidate marks are kept only when the timeline stays valid.
fn timeline() -> impl Strategy<Value = Timeline> {
    (
        0u32..5,
        0i64..10_000,
        prop::collection::vec((0i64..600, any::<u8>()), 0..12),
        prop::option::of(any::<bool>()),
        prop::collection::vec(any::<bool>(), 0..3),
        0u8..4,
        prop::option::of(0i64..10_000),
    )
        .prop_map(
            |(practice, opened, steps, first_contact, slas, change, follows)| {
                let practice = [
                    Practice::Incident,
                    Practice::Request,
                    Practice::Problem,
                    Practice::Change,
                    Practice::Other,
                ][practice as usize];
                let opened = t0() + Duration::minutes(opened);
                let mut spec = TimelineSpec::new(format!("T{opened}"), practice, opened);
                spec.first_contact = first_contact;
                // A follow-up of the ticket opened then (ids are their opening instants).
                spec.follow_up_of = follows
                    .map(|m| format!("T{}", t0() + Duration::minutes(m)))
                    .filter(|of| *of != spec.id);
                for (i, met) in slas.into_iter().enumerate() {
                    spec.sla.insert(format!("sla{i}"), met);
                }
                if practice == Practice::Change {
                    spec.change_type = [
                        None,
                        Some(ChangeType::Standard),
                        Some(ChangeType::Normal),
                        Some(ChangeType::Emergency),
                    ][change as usize];
                    spec.change_outcome = [
                        None,
                        Some(ChangeOutcome::Successful),
                        Some(ChangeOutcome::Failed),
                        Some(ChangeOutcome::BackedOut),
                    ][change as usize];
                }
                let mut at = opened;
                for (gap, choice) in steps {
                    at += Duration::minutes(gap);
                    spec.marks.push(Mark::new(at, kind(choice)));
                    if Timeline::new(spec.clone()).is_err() {
                        spec.marks.pop();
                    }
                }
                Timeline::new(spec).unwrap()
            },
        )
}

/// Up to 12 timelines, some following up another of the set (or a ticket not in it).
fn timelines() -> impl Strategy<Value = Vec<Timeline>> {
    (
        prop::collection::vec(timeline(), 0..12),
        prop::collection::vec(prop::option::of(0usize..14), 12),
    )
        .prop_map(|(timelines, follows)| {
            let ids: Vec<String> = timelines.iter().map(|t| t.id().to_owned()).collect();
            timelines
                .into_iter()
                .zip(follows)
                .map(|(t, follows)| {
                    let mut spec = TimelineSpec::from(t);
                    spec.follow_up_of = follows
                        .map(|i| ids.get(i).cloned().unwrap_or_else(|| "elsewhere".into()))
                        .filter(|of| *of != spec.id);
                    Timeline::new(spec).unwrap()
                })
                .collect()
        })
}

fn options() -> impl Strategy<Value = Options> {
    (any::<bool>(), any::<bool>(), 0u8..3, any::<bool>()).prop_map(|(c, p, f, u)| {
        let mut o = Options::default();
        o.follow_ups = if u {
            FollowUps::Separate
        } else {
            FollowUps::AsReopens
        };
        o.cycle = if c { Cycle::First } else { Cycle::Final };
        o.paused = if p {
            PausedTime::Counted
        } else {
            PausedTime::Excluded
        };
        o.first_contact = [
            FirstContact::FlagElseDerived,
            FirstContact::FlagOnly,
            FirstContact::Derived,
        ][f as usize];
        o
    })
}

proptest! {
    #[test]
    fn percentiles_are_monotone_values_of_the_data(
        mut v in prop::collection::vec(-10_000i64..10_000, 1..50).prop_map(|v| v.into_iter().map(Duration::seconds).collect::<Vec<_>>()),
        p in 0u8..=100,
        q in 0u8..=100,
    ) {
        v.sort();
        let (lo, hi) = (p.min(q), p.max(q));
        let (a, b) = (percentile(&v, lo).unwrap(), percentile(&v, hi).unwrap());
        prop_assert!(a <= b);
        prop_assert!(v.contains(&a));
        // Nearest rank: at least p% of the values are at or below it, and fewer below.
        let n = v.len();
        let at_or_below = v.iter().filter(|x| **x <= b).count();
        let below = v.iter().filter(|x| **x < b).count();
        prop_assert!(at_or_below * 100 >= usize::from(hi) * n);
        prop_assert!(hi == 0 || below * 100 < usize::from(hi) * n);
        let m = mean(&v).unwrap();
        prop_assert!(v[0] <= m && m <= v[n - 1]);
        prop_assert_eq!(percentile(&v, 101), None);
    }

    #[test]
    fn rates_stay_in_range_and_order_does_not_matter(
        timelines in timelines(),
        o in options(),
    ) {
        let k = Kpis::compute(&timelines, &o, None);
        for r in [k.first_contact_resolution, k.reopen_rate, k.reassignment_rate, k.sla_attainment, k.change_success_rate, k.emergency_change_ratio] {
            prop_assert!(r.count <= r.of);
            if let Some(v) = r.value() { prop_assert!((0.0..=1.0).contains(&v)); }
        }
        if let Some(s) = k.time_to_resolve {
            prop_assert!(Duration::zero() <= s.min && s.min <= s.p50 && s.p50 <= s.p90 && s.p90 <= s.p95 && s.p95 <= s.max);
        }
        let mut reversed = timelines.clone();
        reversed.reverse();
        prop_assert_eq!(&Kpis::compute(&reversed, &o, None), &k);
        let mut rotated = timelines.clone();
        if !rotated.is_empty() { rotated.rotate_left(1); }
        prop_assert_eq!(&Kpis::compute(&rotated, &o, None), &k);
        // Counting follow-ups as reopens adds reopens over the same resolved tickets, and
        // changes nothing else.
        let mut separate = o.clone();
        separate.follow_ups = FollowUps::Separate;
        let s = Kpis::compute(&timelines, &separate, None);
        prop_assert_eq!(s.reopen_rate.of, k.reopen_rate.of);
        prop_assert!(s.reopen_rate.count <= k.reopen_rate.count);
        prop_assert_eq!(s.first_contact_resolution.of, k.first_contact_resolution.of);
        prop_assert!(s.first_contact_resolution.count >= k.first_contact_resolution.count);
        prop_assert_eq!((s.tickets, s.time_to_resolve, s.reassignment_rate), (k.tickets, k.time_to_resolve, k.reassignment_rate));
    }

    #[test]
    fn excluding_pauses_never_lengthens_a_time_to_resolve(
        timelines in prop::collection::vec(timeline(), 0..12),
    ) {
        let mut o = Options::default();
        let counted = Kpis::compute(&timelines, &o, None);
        o.paused = PausedTime::Excluded;
        let excluded = Kpis::compute(&timelines, &o, None);
        if let (Some(a), Some(b)) = (counted.time_to_resolve, excluded.time_to_resolve) {
            prop_assert_eq!(a.count, b.count);
            prop_assert!(b.max <= a.max && b.mean <= a.mean);
        }
    }

    #[test]
    fn the_backlog_agrees_with_a_naive_count(
        timelines in prop::collection::vec(timeline(), 0..12),
        offsets in prop::collection::vec(0i64..20_000, 0..10),
    ) {
        let samples: Vec<DateTime<Utc>> = offsets.iter().map(|m| t0() + Duration::minutes(*m)).collect();
        let bounds = [Duration::hours(1), Duration::hours(10)];
        let o = Options::default();
        let b = backlog(&timelines, &o, &samples, &bounds).unwrap();
        prop_assert_eq!(b.len(), samples.len());
        for (s, at) in b.iter().zip(&samples) {
            let open: Vec<&Timeline> = timelines.iter()
                .filter(|t| o.ticket_practices.contains(&t.practice()))
                .filter(|t| matches!(t.category_at(*at), Some(Category::New | Category::Open | Category::Pending)))
                .collect();
            prop_assert_eq!(s.open, open.len() as u64);
            let mut naive = [0u64; 3];
            for t in open {
                let age = at.signed_duration_since(t.opened_at());
                let i = bounds.iter().filter(|b| age >= **b).count();
                naive[i] += 1;
            }
            prop_assert_eq!(&s.by_age[..], &naive[..]);
        }
    }
}

#[cfg(feature = "serde")]
proptest! {
    #[test]
    fn timelines_and_kpis_round_trip_through_json(timelines in timelines()) {
        let json = serde_json::to_string(&timelines).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Vec<Timeline>>(&json).unwrap(), &timelines);
        let k = Kpis::compute(&timelines, &Options::default(), None);
        let kj = serde_json::to_string(&k).unwrap();
        prop_assert_eq!(serde_json::from_str::<Kpis>(&kj).unwrap(), k);
    }
}
