//! Availability against a brute force: random outages (every kind, with and without an end),
//! random schedules, periods and options, on a minute grid; every figure is recounted minute
//! by minute from the documented rules (`docs/metrics.md`, "Availability") and must agree
//! exactly. Plus the invariants: the order of the outages does not matter, one more outage
//! never raises the availability, JSON round trips.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_metrics::{
    Availability, Commitment, CreditTier, Degradations, Ongoing, Outage, OutageKind, Period,
    PlannedOutages, WorkingTime,
};
use proptest::prelude::*;

/// Minutes in the horizon every instant of these tests lies in.
const H: i64 = 400;

fn t(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap() + Duration::minutes(minute)
}

fn minute(at: DateTime<Utc>) -> i64 {
    (at - t(0)).num_minutes()
}

/// A schedule open on the minutes marked in a mask.
#[derive(Debug, Clone)]
struct Mask {
    /// `open_before[m]`: open minutes before minute `m`.
    open_before: Vec<i64>,
    open: Vec<bool>,
}

impl Mask {
    fn new(open: Vec<bool>) -> Self {
        let mut open_before = vec![0];
        for &o in &open {
            open_before.push(open_before.last().unwrap() + i64::from(o));
        }
        Mask { open_before, open }
    }
}

impl WorkingTime for Mask {
    fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Duration> {
        let (a, b) = (minute(from), minute(to));
        let get = |m: i64| self.open_before.get(usize::try_from(m).ok()?).copied();
        Some(Duration::minutes(get(b)? - get(a)?))
    }
}

fn kind() -> impl Strategy<Value = OutageKind> {
    prop_oneof![
        3 => Just(OutageKind::Outage),
        2 => Just(OutageKind::Planned),
        1 => Just(OutageKind::Degradation),
    ]
}

fn outages() -> impl Strategy<Value = Vec<Outage>> {
    prop::collection::vec((0..H, 0..120i64, kind(), prop::bool::weighted(0.15)), 0..14).prop_map(
        |drawn| {
            drawn
                .into_iter()
                .map(|(begin, length, kind, ongoing)| {
                    let end = (!ongoing).then(|| t((begin + length).min(H)));
                    Outage::new(t(begin), end, kind)
                })
                .collect()
        },
    )
}

fn commitment() -> impl Strategy<Value = Commitment> {
    (
        0u32..=200,
        prop_oneof![
            Just(PlannedOutages::Uptime),
            Just(PlannedOutages::Excluded),
            Just(PlannedOutages::Downtime)
        ],
        prop::bool::ANY,
        prop::option::of(0..H),
        prop::collection::vec((1u32..=200, 0u32..=100), 0..3),
    )
        .prop_map(|(target, planned, degraded, until, tiers)| {
            let mut c = Commitment::new(f64::from(target) / 2.0);
            c.planned = planned;
            c.degradations = if degraded {
                Degradations::Downtime
            } else {
                Degradations::Uptime
            };
            c.ongoing = until.map_or(Ongoing::Ignored, |m| Ongoing::Until(t(m)));
            c.credits = tiers
                .into_iter()
                .map(|(below, credit)| CreditTier {
                    below: f64::from(below) / 2.0,
                    credit: f64::from(credit),
                })
                .collect();
            c
        })
}

fn mask() -> impl Strategy<Value = Option<Mask>> {
    prop::option::of(
        prop::collection::vec((0..H, 0..90i64), 0..6).prop_map(|blocks| {
            let mut open = vec![false; H as usize];
            for (start, length) in blocks {
                for m in start..(start + length).min(H) {
                    open[m as usize] = true;
                }
            }
            Mask::new(open)
        }),
    )
}

fn periods() -> impl Strategy<Value = Vec<Period>> {
    prop::collection::vec((0..H, 1..H), 1..4).prop_map(|drawn| {
        drawn
            .into_iter()
            .map(|(start, length)| Period {
                start: t(start),
                end: t((start + length).min(H).max(start + 1)),
            })
            .collect()
    })
}

/// One period's figures, recounted minute by minute.
#[derive(Debug, PartialEq)]
struct Counted {
    total_time: i64,
    total_downtime: i64,
    total_outages: u64,
    scheduled_time: i64,
    excluded_time: i64,
    downtime: i64,
    outages: u64,
}

fn brute(c: &Commitment, outages: &[Outage], period: &Period, mask: Option<&Mask>) -> Counted {
    let covers = |kind: OutageKind, m: i64| {
        outages.iter().any(|o| {
            let end = match (o.end, c.ongoing) {
                (Some(end), _) => end,
                (None, Ongoing::Until(now)) => now,
                (None, _) => return false,
            };
            o.kind == kind && t(m) >= o.begin && t(m) < end
        })
    };
    let (mut wall, mut sched) = ((0, 0, 0u64, false), (0, 0, 0u64, false));
    let mut excluded_time = 0;
    for m in minute(period.start)..minute(period.end) {
        let planned = covers(OutageKind::Planned, m);
        let down = covers(OutageKind::Outage, m)
            || (planned && c.planned == PlannedOutages::Downtime)
            || (covers(OutageKind::Degradation, m) && c.degradations == Degradations::Downtime);
        let cut = planned && c.planned != PlannedOutages::Downtime;
        let open = mask.is_none_or(|mask| mask.open[m as usize]);
        if cut && c.planned == PlannedOutages::Excluded {
            excluded_time += i64::from(open);
            continue; // neither up nor down: runs go on through it
        }
        let down = down && !cut;
        for (clock, counts) in [(&mut wall, true), (&mut sched, open)] {
            if !counts {
                continue; // unscheduled: runs go on through it
            }
            clock.0 += 1;
            if down {
                clock.1 += 1;
                if !clock.3 {
                    clock.2 += 1;
                }
            }
            clock.3 = down;
        }
    }
    Counted {
        total_time: wall.0,
        total_downtime: wall.1,
        total_outages: wall.2,
        scheduled_time: sched.0,
        excluded_time,
        downtime: sched.1,
        outages: sched.2,
    }
}

fn counted(a: &Availability) -> Counted {
    Counted {
        total_time: a.total_time.num_minutes(),
        total_downtime: a.total_downtime.num_minutes(),
        total_outages: a.total_outages,
        scheduled_time: a.scheduled_time.num_minutes(),
        excluded_time: a.excluded_time.num_minutes(),
        downtime: a.downtime.num_minutes(),
        outages: a.outages,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_figure_agrees_with_a_minute_by_minute_count(
        c in commitment(), outages in outages(), periods in periods(), mask in mask(),
    ) {
        let schedule = mask.as_ref().map(|m| m as &dyn WorkingTime);
        let all = c.measure(&outages, &periods, schedule).unwrap();
        prop_assert_eq!(all.len(), periods.len());
        for (a, period) in all.iter().zip(&periods) {
            let b = brute(&c, &outages, period, mask.as_ref());
            prop_assert_eq!(counted(a), b);
            prop_assert_eq!(a.period, *period);
            // The derived figures, from the counts.
            let (s, d) = (a.scheduled_time.num_minutes(), a.downtime.num_minutes());
            let target = (c.target * 1e7).round() as i64;
            let s_ns = i128::from(s) * 60_000_000_000;
            prop_assert_eq!(a.met, (s > 0).then(|| i128::from(s - d) * 1_000_000_000 >= i128::from(target) * i128::from(s)));
            prop_assert_eq!(
                a.acceptable_downtime,
                Duration::nanoseconds((s_ns * i128::from(1_000_000_000 - target) / 1_000_000_000) as i64)
            );
            prop_assert_eq!(a.budget_left, a.acceptable_downtime - a.downtime);
            let up = a.scheduled_time - a.downtime;
            if a.outages > 0 {
                let n = a.outages as i32;
                prop_assert_eq!(a.mtbf, Some(up / n));
                prop_assert_eq!(a.mtrs, Some(a.downtime / n));
                prop_assert_eq!(a.mtbsi, Some(a.scheduled_time / n));
            } else {
                prop_assert_eq!((a.mtbf, a.mtrs, a.mtbsi), (None, None, None));
            }
            match a.availability {
                Some(p) => {
                    prop_assert!(s > 0 && (0.0..=100.0).contains(&p));
                    prop_assert!((p - (s - d) as f64 / s as f64 * 100.0).abs() < 1e-9);
                }
                None => prop_assert_eq!(s, 0),
            }
            let credit = c.credits.iter()
                .filter(|tier| s > 0 && i128::from(s - d) * 1_000_000_000 < i128::from((tier.below * 1e7).round() as i64) * i128::from(s))
                .map(|tier| tier.credit)
                .reduce(f64::max);
            prop_assert_eq!(a.credit, credit);
        }
    }

    #[test]
    fn the_order_of_the_outages_does_not_matter(
        c in commitment(), mut outages in outages(), periods in periods(), mask in mask(), seed in 0usize..1000,
    ) {
        let schedule = mask.as_ref().map(|m| m as &dyn WorkingTime);
        let before = c.measure(&outages, &periods, schedule).unwrap();
        outages.reverse();
        if !outages.is_empty() {
            let len = outages.len();
            outages.rotate_left(seed % len);
        }
        prop_assert_eq!(c.measure(&outages, &periods, schedule).unwrap(), before);
    }

    #[test]
    fn one_more_unplanned_outage_never_raises_the_downtime_less(
        c in commitment(), outages in outages(), periods in periods(), mask in mask(),
        begin in 0..H, length in 1..60i64,
    ) {
        let schedule = mask.as_ref().map(|m| m as &dyn WorkingTime);
        let before = c.measure(&outages, &periods, schedule).unwrap();
        let mut more = outages.clone();
        more.push(Outage::new(t(begin), Some(t((begin + length).min(H))), OutageKind::Outage));
        let after = c.measure(&more, &periods, schedule).unwrap();
        for (a, b) in before.iter().zip(&after) {
            prop_assert!(b.downtime >= a.downtime);
            prop_assert!(b.total_downtime >= a.total_downtime);
            prop_assert_eq!(b.scheduled_time, a.scheduled_time);
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn commitments_and_outages_round_trip_through_json(c in commitment(), outages in outages()) {
        let text = serde_json::to_string(&c).unwrap();
        prop_assert_eq!(serde_json::from_str::<Commitment>(&text).unwrap(), c);
        let text = serde_json::to_string(&outages).unwrap();
        prop_assert_eq!(serde_json::from_str::<Vec<Outage>>(&text).unwrap(), outages);
    }
}
