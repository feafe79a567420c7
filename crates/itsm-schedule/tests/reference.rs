//! The schedule's answers against the reference model of `fuzz/harness/schedule.rs` (every
//! pair tried, every booking tried, every quarter hour tried), on calendars proptest
//! generates: long, zero-length, touching, missing and duplicate windows, maintenance
//! windows, blackouts of every item or some, a topology and related keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#[path = "../../../fuzz/harness/schedule.rs"]
mod harness;

use chrono::Duration;
use harness::{Freeze, Model, change, item, quarter, user};
use itsm_schedule::{Checks, Limits, Proposal, ScheduledChange, Search, Window};
use proptest::prelude::*;

/// A record: id, items (mask), start quarter (None: missing), length in quarters (None:
/// no end; 0: zero-length; negative: ends before it starts), assignee.
type Record = (u8, u8, Option<u16>, Option<i16>, Option<u8>);

/// The rest of a model: check flags, each item's maintenance calendar, topology edges, each
/// item's key byte, window blackouts (start, length in quarters, 0 for the lunch calendar;
/// scope).
type Extras = (u8, Vec<u8>, Vec<(u8, u8)>, Vec<u8>, Vec<(u16, u8, u8)>);

fn record() -> impl Strategy<Value = Record> {
    (
        0u8..40,
        0u8..64,
        prop::option::weighted(0.95, 0u16..400),
        prop::option::weighted(
            0.95,
            prop_oneof![
                6 => 1i16..12,        // hours: touching and overlapping on a quarter grid
                1 => Just(0i16),      // zero-length: refused
                1 => -4i16..0,        // ends before it starts: refused
                1 => 100i16..400,     // long: over the whole calendar
            ],
        ),
        prop::option::of(0u8..3),
    )
}

fn model(records: Vec<Record>, extras: Extras) -> Model {
    let (flags, calendars, edges, keys, freezes) = extras;
    let changes = records
        .into_iter()
        .map(|(id, mask, start, length, who)| {
            let items = (0..6)
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| item(i + 1))
                .collect();
            let start_at = start.map(|q| quarter(i64::from(q)));
            let end = match (start, length) {
                (_, None) => None,
                (Some(q), Some(l)) => Some(quarter(i64::from(q) + i64::from(l))),
                (None, Some(l)) => Some(quarter(i64::from(l))),
            };
            let mut r = ScheduledChange::new(change(100 + u128::from(id)), items, start_at, end);
            r.assignee = who.map(|u| user(u128::from(u)));
            r
        })
        .collect();
    let checks = if flags < 128 {
        Checks::all()
    } else {
        let mut c = Checks::none();
        c.same_item = flags & 1 != 0;
        c.related_items = flags & 2 != 0;
        c.maintenance = flags & 4 != 0;
        c.related_maintenance = flags & 8 != 0;
        c.blackout = flags & 16 != 0;
        c.related_blackout = flags & 32 != 0;
        c.assignee = flags & 64 != 0;
        c
    };
    let maintenance = calendars
        .iter()
        .enumerate()
        .filter_map(|(i, &c)| Some((item(i as u128 + 1), harness::maintenance_calendar(c)?)))
        .collect();
    let freezes = freezes
        .iter()
        .enumerate()
        .map(|(n, &(q, len, scope))| Freeze {
            // A calendar blackout takes its calendar's name (`Blackout::calendar`).
            name: if len == 0 {
                "lunch".to_owned()
            } else {
                format!("freeze-{n}")
            },
            calendar: (len == 0).then(harness::lunch).flatten(),
            windows: vec![
                Window::new(
                    quarter(i64::from(q)),
                    quarter(i64::from(q) + i64::from(len.max(1))),
                )
                .unwrap(),
            ],
            items: (scope & 0x80 == 0).then(|| {
                (0..6)
                    .filter(|i| scope >> i & 1 == 1)
                    .map(|i| item(i + 1))
                    .collect()
            }),
        })
        .collect();
    Model {
        limits: Limits::longest(Duration::hours(80)),
        checks,
        changes,
        maintenance,
        freezes,
        edges: edges
            .into_iter()
            .map(|(a, b)| (item(u128::from(a % 6) + 1), item(u128::from(b % 6) + 1)))
            .collect(),
        keys: keys
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                (
                    item(i as u128 + 1),
                    if k % 4 == 0 { vec![] } else { vec![k % 4] },
                )
            })
            .collect(),
    }
}

fn extras() -> impl Strategy<Value = Extras> {
    (
        any::<u8>(),
        prop::collection::vec(0u8..4, 6),
        prop::collection::vec((0u8..6, 0u8..6), 0..6),
        prop::collection::vec(any::<u8>(), 6),
        prop::collection::vec((0u16..400, 0u8..30, any::<u8>()), 0..3),
    )
}

fn proposal() -> impl Strategy<Value = (u8, u16, u8, Option<u8>, Option<u8>)> {
    (
        0u8..64,
        0u16..400,
        1u8..24,
        prop::option::of(0u8..3),
        prop::option::of(0u8..40),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The sweeps equal every pair tried; refusals and bookings equal the reference's.
    #[test]
    fn scans_equal_an_all_pairs_scan(records in prop::collection::vec(record(), 0..120), extras in extras()) {
        let m = model(records, extras);
        harness::compare(&m, &[], &Search::new());
    }

    /// Checks equal every booking tried, and free windows every quarter hour tried.
    #[test]
    fn checks_and_searches_equal_brute_force(
        // Up to 90 records, so that an item's bookings pass the 64 a plain scan handles
        // and the interval tree answers too.
        records in prop::collection::vec(record(), 0..90),
        extras in extras(),
        proposals in prop::collection::vec(proposal(), 1..4),
        (count, step, horizon) in (0usize..4, 1i64..8, 1i64..300),
    ) {
        let m = model(records, extras);
        let proposals: Vec<Proposal> = proposals
            .into_iter()
            .map(|(mask, q, len, who, whose)| {
                let items = (0..6).filter(|i| mask >> i & 1 == 1).map(|i| item(i + 1)).collect();
                let w = Window::new(quarter(i64::from(q)), quarter(i64::from(q) + i64::from(len))).unwrap();
                let mut p = Proposal::new(items, w);
                p.assignee = who.map(|u| user(u128::from(u)));
                p.change = whose.map(|c| change(100 + u128::from(c)));
                p
            })
            .collect();
        let mut search = Search::new();
        search.count = count;
        search.step = Duration::minutes(15 * step);
        search.horizon = Duration::minutes(15 * horizon);
        harness::compare(&m, &proposals, &search);
    }

    /// Any bytes decode to a run whose answers equal the reference's (the fuzz target's
    /// function, on stable).
    #[test]
    fn decoded_bytes_answer_like_the_reference(data in prop::collection::vec(any::<u8>(), 0..300)) {
        harness::queries(&data);
    }
}
