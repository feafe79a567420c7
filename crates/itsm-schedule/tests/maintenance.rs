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
