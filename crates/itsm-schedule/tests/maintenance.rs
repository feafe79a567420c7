//! Maintenance windows shared by several items: a check asks each calendar once per
//! proposal and reports every item (and related item) outside it, each naming its calendar.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
use itsm_core::ConfigItemId;
use itsm_schedule::{Checks, Conflict, Maintenance, Proposal, Rules, Schedule, Window};

/// 2026-03-07 is a Saturday.
fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

fn calendar(name: &str, from: &str, to: &str) -> Calendar {
    Calendar::new(&CalendarSpec::new(
        name,
        Week::every_day(&[Segment::parse(from, to).unwrap()]),
    ))
    .unwrap()
}

const A: ConfigItemId = ConfigItemId::from_u128(1);
const B: ConfigItemId = ConfigItemId::from_u128(2);
const C: ConfigItemId = ConfigItemId::from_u128(3);
const D: ConfigItemId = ConfigItemId::from_u128(4);
const E: ConfigItemId = ConfigItemId::from_u128(5);

fn rules() -> Rules {
    Rules::new(
        Checks::all(),
        vec![
            // A, B and D change at night; C in office hours; E any time.
            Maintenance::new(calendar("nights", "22:00", "04:00"), vec![A, B, D]),
            Maintenance::new(calendar("office", "09:00", "17:00"), vec![C]),
        ],
        vec![],
    )
    .unwrap()
}

/// A and B are related to D and C; E to nothing.
fn topology(item: &ConfigItemId) -> Vec<ConfigItemId> {
    match *item {
        A | B => vec![D, C],
        _ => vec![],
    }
}

#[test]
fn every_item_of_a_group_outside_its_window_is_reported_with_its_calendar() {
    let schedule = Schedule::default();
    let rules = rules();
    // At 10:00 the night items are outside, the office item inside.
    let day = Proposal::new(
        vec![A, B, E],
        Window::starting(at(9, 10), Duration::hours(1)).unwrap(),
    );
    let got = schedule.check(&day, &rules, &topology).unwrap();
    assert_eq!(
        got,
        [
            Conflict::OutsideMaintenance {
                item: A,
                calendar: "nights".into()
            },
            Conflict::OutsideMaintenance {
                item: B,
                calendar: "nights".into()
            },
            Conflict::RelatedOutsideMaintenance {
                item: A,
                related: D,
                calendar: "nights".into()
            },
            Conflict::RelatedOutsideMaintenance {
                item: B,
                related: D,
                calendar: "nights".into()
            },
        ]
    );
    // The conflicts of one calendar share its name rather than copy it.
    let names: Vec<&str> = got
        .iter()
        .filter_map(|c| match c {
            Conflict::OutsideMaintenance { calendar, .. }
            | Conflict::RelatedOutsideMaintenance { calendar, .. } => Some(&**calendar),
            _ => None,
        })
        .collect();
    assert!(names.windows(2).all(|w| std::ptr::eq(w[0], w[1])));

    // At 23:00 it is the other way round: only C, related to A and B, is outside.
    let night = Proposal::new(
        vec![A, B, E],
        Window::starting(at(9, 23), Duration::hours(1)).unwrap(),
    );
    assert_eq!(
        schedule.check(&night, &rules, &topology).unwrap(),
        [
            Conflict::RelatedOutsideMaintenance {
                item: A,
                related: C,
                calendar: "office".into()
            },
            Conflict::RelatedOutsideMaintenance {
                item: B,
                related: C,
                calendar: "office".into()
            },
        ]
    );

    // A window both calendars cover does not exist; one neither covers reports both.
    let evening = Proposal::new(
        vec![A, C],
        Window::starting(at(9, 18), Duration::hours(1)).unwrap(),
    );
    assert_eq!(
        schedule.check(&evening, &rules, &topology).unwrap(),
        [
            Conflict::OutsideMaintenance {
                item: A,
                calendar: "nights".into()
            },
            Conflict::OutsideMaintenance {
                item: C,
                calendar: "office".into()
            },
            Conflict::RelatedOutsideMaintenance {
                item: A,
                related: D,
                calendar: "nights".into()
            },
        ]
    );
}

/// A checker's table holds every item with a maintenance calendar, not only those the
/// schedule books: here the schedule is empty and 200 items change at night only, so each
/// is outside its window by day, through the checker as through `Schedule::check`.
#[test]
fn a_checker_knows_every_maintained_item_even_when_none_is_booked() {
    let items: Vec<ConfigItemId> = (100..300u128).map(ConfigItemId::from_u128).collect();
    let rules = Rules::new(
        Checks::all(),
        vec![Maintenance::new(
            calendar("nights", "22:00", "04:00"),
            items.clone(),
        )],
        vec![],
    )
    .unwrap();
    let schedule = Schedule::default();
    let checker = schedule.checker(&rules);
    let by_day = Window::starting(at(9, 10), Duration::hours(1)).unwrap();
    for &item in &items {
        let proposal = Proposal::new(vec![item], by_day);
        let got = checker
            .check(&proposal, &itsm_schedule::NoTopology)
            .unwrap();
        assert_eq!(
            got,
            schedule
                .check(&proposal, &rules, &itsm_schedule::NoTopology)
                .unwrap()
        );
        assert!(
            matches!(got.as_slice(), [Conflict::OutsideMaintenance { item: i, .. }] if *i == item),
            "{item}: {got:?}"
        );
    }
}

/// Without a rule on related items, a check never asks the host's topology (which may be
/// a CMDB query): only `related_items`, `related_maintenance` and `related_blackout` do.
#[test]
fn the_topology_is_asked_only_when_a_related_rule_is_on() {
    let asked = std::cell::Cell::new(0usize);
    let counting = |item: &ConfigItemId| {
        asked.set(asked.get() + 1);
        topology(item)
    };
    let schedule = Schedule::default();
    let window = Window::starting(at(9, 23), Duration::hours(1)).unwrap();
    let proposal = Proposal::new(vec![A, B], window);
    let mut checks = Checks::all();
    checks.related_items = false;
    checks.related_maintenance = false;
    checks.related_blackout = false;
    let own_only = Rules::new(checks, vec![], vec![]).unwrap();
    schedule.check(&proposal, &own_only, &counting).unwrap();
    schedule
        .checker(&own_only)
        .check(&proposal, &counting)
        .unwrap();
    assert_eq!(asked.get(), 0);
    for one in 0..3 {
        let mut checks = checks;
        match one {
            0 => checks.related_items = true,
            1 => checks.related_maintenance = true,
            _ => checks.related_blackout = true,
        }
        let before = asked.get();
        let rules = Rules::new(checks, vec![], vec![]).unwrap();
        schedule.check(&proposal, &rules, &counting).unwrap();
        assert_eq!(
            asked.get(),
            before + 2,
            "rule {one}: once per item of the proposal"
        );
    }
}

/// What the rules were given can be read back: each maintenance group's items, each
/// blackout's items (`None` for every item), how many blackouts.
#[test]
fn rules_give_back_their_groups_and_blackouts() {
    let night = Maintenance::new(calendar("nights", "22:00", "04:00"), vec![A, B, D]);
    assert_eq!(night.items(), [A, B, D]);
    assert_eq!(night.calendar().name(), "nights");
    let everything = itsm_schedule::Blackout::windows(
        "year end",
        vec![Window::starting(at(20, 0), Duration::days(2)).unwrap()],
    );
    assert_eq!(everything.items(), None);
    let some = everything.clone().only_for(vec![C, E]);
    assert_eq!(some.items(), Some([C, E].as_slice()));
    assert_eq!(some.name(), "year end");
    let rules = Rules::new(Checks::all(), vec![night], vec![everything, some]).unwrap();
    assert_eq!(rules.blackout_count(), 2);
    assert_eq!(
        Rules::new(Checks::all(), vec![], vec![])
            .unwrap()
            .blackout_count(),
        0
    );
}
