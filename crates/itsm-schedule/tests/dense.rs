//! Dense calendars at a million changes: a chain of overlapping windows, windows nested a
//! million deep, one long window over a million short ones. Nothing recurses, and nothing
//! costs more than the pairs there are (each test would take hours on an all-pairs scan
//! and would overflow a recursive interval tree's stack on the nested input).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_core::{ChangeId, ConfigItemId};
use itsm_schedule::{
    Checks, Conflict, Limits, NoTopology, Pair, Proposal, Rules, Schedule, ScheduledChange, Window,
};

const N: u64 = 1_000_000;

fn minute(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(m)
}

fn booking(id: u64, items: Vec<ConfigItemId>, from: i64, to: i64) -> ScheduledChange {
    ScheduledChange::new(
        ChangeId::from_u128(u128::from(id)),
        items,
        Some(minute(from)),
        Some(minute(to)),
    )
}

fn build(changes: Vec<ScheduledChange>) -> Schedule {
    let (schedule, refused) = Schedule::build(changes, &Limits::longest(Duration::days(100_000)));
    assert!(refused.is_empty());
    schedule
}

fn rules() -> Rules {
    Rules::new(Checks::all(), vec![], vec![]).unwrap()
}

fn changes_of(conflicts: &[Conflict]) -> Vec<u128> {
    conflicts
        .iter()
        .filter_map(|c| c.change())
        .map(|c| c.0.as_u128())
        .collect()
}

#[test]
fn a_million_long_chain_of_overlapping_windows_on_one_item() {
    let item = ConfigItemId::from_u128(1);
    // Change i runs [i, i + 2) minutes: it overlaps i - 1 and i + 1, and touches i +- 2.
    let schedule = build(
        (0..N)
            .map(|i| booking(i, vec![item], i as i64, i as i64 + 2))
            .collect(),
    );
    let pairs = schedule.scan();
    assert_eq!(pairs.len() as u64, N - 1);
    assert!(
        pairs
            .iter()
            .all(|p| p.second.0.as_u128() == p.first.0.as_u128() + 1)
    );
    assert_eq!(
        schedule.scan_related(|_: &ConfigItemId| [0u8]).len() as u64,
        N - 1
    );
    let p = Proposal::new(
        vec![item],
        Window::new(minute(500_000), minute(500_001)).unwrap(),
    );
    assert_eq!(
        changes_of(&schedule.check(&p, &rules(), &NoTopology).unwrap()),
        [499_999, 500_000]
    );
}

#[test]
fn windows_nested_a_million_deep() {
    // Change i runs [i, 2N - i) on items i and i + 1: each window holds the next one, and
    // only neighbours share an item.
    let n = N as i64;
    let item = |i: i64| ConfigItemId::from_u128(i as u128);
    let schedule = build(
        (0..N)
            .map(|i| {
                let j = i as i64;
                booking(i, vec![item(j), item(j + 1)], j, 2 * n - j)
            })
            .collect(),
    );
    let pairs = schedule.scan();
    assert_eq!(pairs.len() as u64, N - 1);
    assert_eq!(
        pairs[0],
        Pair::new(ChangeId::from_u128(0), ChangeId::from_u128(1)).unwrap()
    );
    // The middle minute lies in every window: on item 500,000 only its two changes.
    let p = Proposal::new(
        vec![item(500_000)],
        Window::new(minute(n - 1), minute(n)).unwrap(),
    );
    assert_eq!(
        changes_of(&schedule.check(&p, &rules(), &NoTopology).unwrap()),
        [499_999, 500_000]
    );
    // Every item of a related key shared by all: every pair overlaps, so take two keys
    // only on the ends of the nest.
    let ends =
        |i: &ConfigItemId| (i.0.as_u128() < 2 || i.0.as_u128() > N as u128 - 1).then_some(1u8);
    assert_eq!(schedule.scan_related(ends).len(), 3);
    // Outside the nest nothing conflicts.
    let after = Proposal::new(
        vec![item(0), item(1)],
        Window::new(minute(2 * n), minute(2 * n + 10)).unwrap(),
    );
    assert!(
        schedule
            .check(&after, &rules(), &NoTopology)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn one_long_window_over_a_million_short_ones() {
    let item = ConfigItemId::from_u128(1);
    // A million ten-minute changes a quarter hour apart, and one window over all of them.
    let mut changes: Vec<ScheduledChange> = (0..N)
        .map(|i| booking(i + 1, vec![item], 15 * i as i64, 15 * i as i64 + 10))
        .collect();
    changes.push(booking(0, vec![item], 0, 15 * N as i64));
    let schedule = build(changes);
    let pairs = schedule.scan();
    assert_eq!(pairs.len() as u64, N);
    assert!(pairs.iter().all(|p| p.first == ChangeId::from_u128(0)));
    // Between two short changes only the long one is in the way.
    let p = Proposal::new(
        vec![item],
        Window::new(minute(15 * 1000 + 10), minute(15 * 1001)).unwrap(),
    );
    assert_eq!(
        changes_of(&schedule.check(&p, &rules(), &NoTopology).unwrap()),
        [0]
    );
}
