//! Every error message, pinned: what was wrong, and what is allowed.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{Duration, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
use itsm_core::{ChangeId, ConfigItemId, UserId};
use itsm_schedule::{
    Checks, Error, Limits, Maintenance, NoTopology, Proposal, Rules, Schedule, ScheduledChange,
    Search, Window,
};

#[test]
fn refusals_name_the_change_and_what_is_allowed() {
    let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    let id = ChangeId::from_u128;
    let far = Utc.with_ymd_and_hms(2300, 1, 1, 0, 0, 0).unwrap();
    let (schedule, refused) = Schedule::build(
        [
            ScheduledChange::new(id(1), vec![], None, None),
            ScheduledChange::new(id(2), vec![], None, Some(at(3))),
            ScheduledChange::new(id(3), vec![], Some(at(5)), Some(at(4))),
            ScheduledChange::new(id(4), vec![], Some(at(1)), Some(far)),
            ScheduledChange::new(
                id(5),
                vec![],
                Some(at(1)),
                Some(at(1) + Duration::days(400)),
            ),
            ScheduledChange::new(id(6), vec![], Some(at(1)), Some(at(2))),
            ScheduledChange::new(id(6), vec![], Some(at(3)), Some(at(4))),
        ],
        &Limits::new(),
    );
    assert_eq!(schedule.len(), 1);
    let messages: Vec<String> = refused.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "change 00000000-0000-0000-0000-000000000001 has no planned start and end; a scheduled change needs a planned start and end",
            "change 00000000-0000-0000-0000-000000000002 has no planned start; a scheduled change needs a planned start and end",
            "change 00000000-0000-0000-0000-000000000003: the planned window 2026-03-07 05:00:00 UTC to 2026-03-07 04:00:00 UTC does not end after it starts; the planned end must come after the planned start",
            "change 00000000-0000-0000-0000-000000000004: the planned window 2026-03-07 01:00:00 UTC to 2300-01-01 00:00:00 UTC lies outside 1677-09-21 to 2262-04-11, the instants a schedule represents",
            "change 00000000-0000-0000-0000-000000000005: the planned window 2026-03-07 01:00:00 UTC to 2027-04-11 01:00:00 UTC lasts P400D, longer than the longest allowed, P366D",
            "change 00000000-0000-0000-0000-000000000006 is given twice; each change is scheduled once (the first is kept)",
        ]
    );
    let mut missing_end = ScheduledChange::new(id(7), vec![], Some(at(1)), None);
    missing_end.assignee = None;
    let (_, refused) = Schedule::build([missing_end], &Limits::new());
    assert_eq!(
        refused[0].to_string(),
        "change 00000000-0000-0000-0000-000000000007 has no planned end; a scheduled change needs a planned start and end"
    );
}

/// What the schedule keeps: each booking as given, its items sorted and each once.
#[test]
fn a_kept_booking_has_its_window_its_items_once_and_its_assignee() {
    let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    let item = ConfigItemId::from_u128;
    let mut record = ScheduledChange::new(
        ChangeId::from_u128(9),
        vec![item(3), item(1), item(3), item(2)],
        Some(at(1)),
        Some(at(2)),
    );
    record.assignee = Some(UserId::from_u128(4));
    let unassigned = ScheduledChange::new(ChangeId::from_u128(8), vec![], Some(at(1)), Some(at(2)));
    let (schedule, refused) = Schedule::build([record, unassigned], &Limits::new());
    assert!(refused.is_empty());
    assert!(!schedule.is_empty());
    assert!(Schedule::default().is_empty());
    let kept = schedule.booking(&ChangeId::from_u128(9)).unwrap();
    assert_eq!(kept.change(), ChangeId::from_u128(9));
    assert_eq!(kept.window(), Window::new(at(1), at(2)).unwrap());
    assert_eq!(kept.items(), [item(1), item(2), item(3)]);
    assert_eq!(kept.assignee(), Some(UserId::from_u128(4)));
    let other = schedule.booking(&ChangeId::from_u128(8)).unwrap();
    assert_eq!(other.items(), []);
    assert_eq!(other.assignee(), None);
}

#[test]
fn windows_rules_and_searches_say_what_is_allowed() {
    let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    assert_eq!(
        Window::new(at(2), at(1)).unwrap_err().to_string(),
        "the window 2026-03-07 02:00:00 UTC to 2026-03-07 01:00:00 UTC does not end after it starts; a window must end after its start"
    );
    let far = Utc.with_ymd_and_hms(1600, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        Window::new(far, at(1)).unwrap_err().to_string(),
        "the window 1600-01-01 00:00:00 UTC to 2026-03-07 01:00:00 UTC lies outside 1677-09-21 to 2262-04-11, the instants a schedule represents"
    );
    assert!(matches!(
        Window::starting(at(1), Duration::MAX),
        Err(Error::WindowOutOfRange { .. })
    ));
    let calendar = |name| {
        Calendar::new(&CalendarSpec::new(
            name,
            Week::every_day(&[Segment::parse("22:00", "04:00").unwrap()]),
        ))
        .unwrap()
    };
    let db = ConfigItemId::from_u128(1);
    let twice = Rules::new(
        Checks::all(),
        vec![
            Maintenance::new(calendar("a"), vec![db]),
            Maintenance::new(calendar("b"), vec![db]),
        ],
        vec![],
    );
    assert_eq!(
        twice.unwrap_err().to_string(),
        "configuration item 00000000-0000-0000-0000-000000000001 has two maintenance calendars, `a` and `b`; give each item at most one"
    );
    let rules = Rules::new(Checks::all(), vec![], vec![]).unwrap();
    let p = Proposal::new(vec![db], Window::new(at(1), at(2)).unwrap());
    let mut search = Search::new();
    search.horizon = Duration::zero();
    assert_eq!(
        Schedule::default()
            .next_windows(&p, &search, &rules, &NoTopology)
            .unwrap_err()
            .to_string(),
        "a search horizon of PT0S is not positive; search at least a moment ahead (the default is 90 days)"
    );
    let mut search = Search::new();
    search.step = Duration::minutes(-5);
    assert_eq!(
        Schedule::default()
            .next_windows(&p, &search, &rules, &NoTopology)
            .unwrap_err()
            .to_string(),
        "a step of -PT5M between suggested windows is not positive; give a step above zero (the default is an hour)"
    );
}

#[test]
fn a_calendar_that_cannot_answer_passes_its_error_through() {
    let db = ConfigItemId::from_u128(1);
    let spec = CalendarSpec::new(
        "short",
        Week::every_day(&[Segment::parse("00:00", "24:00").unwrap()]),
    );
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let short = Calendar::with_horizon(&spec, day(1), day(3)).unwrap();
    let rules = Rules::new(
        Checks::all(),
        vec![Maintenance::new(short, vec![db])],
        vec![],
    )
    .unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap();
    let p = Proposal::new(vec![db], Window::starting(at, Duration::hours(1)).unwrap());
    let err = Schedule::default()
        .check(&p, &rules, &NoTopology)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Calendar(itsm_calendar::Error::OutOfHorizon { .. })
        ),
        "{err}"
    );
}

#[test]
fn each_refusal_names_its_change_and_other_errors_none() {
    let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    let id = ChangeId::from_u128;
    let far = Utc.with_ymd_and_hms(2300, 1, 1, 0, 0, 0).unwrap();
    let (_, refused) = Schedule::build(
        [
            ScheduledChange::new(id(1), vec![], None, None),
            ScheduledChange::new(id(2), vec![], Some(at(5)), Some(at(4))),
            ScheduledChange::new(id(3), vec![], Some(at(1)), Some(far)),
            ScheduledChange::new(
                id(4),
                vec![],
                Some(at(1)),
                Some(at(1) + Duration::days(400)),
            ),
            ScheduledChange::new(id(5), vec![], Some(at(1)), Some(at(2))),
            ScheduledChange::new(id(5), vec![], Some(at(3)), Some(at(4))),
        ],
        &Limits::new(),
    );
    assert_eq!(
        refused.iter().map(Error::change).collect::<Vec<_>>(),
        [
            Some(id(1)),
            Some(id(2)),
            Some(id(3)),
            Some(id(4)),
            Some(id(5))
        ]
    );
    // A schedule of 2^32 changes is too big to build here: the variant is built directly.
    let too_many = Error::TooManyChanges {
        change: id(6),
        max: u64::from(u32::MAX),
    };
    assert_eq!(too_many.change(), Some(id(6)));
    assert_eq!(
        too_many.to_string(),
        "change 00000000-0000-0000-0000-000000000006 is past what a schedule holds: 4294967295 changes, and as many item bookings (a change on three items counts three)"
    );
    // The errors of windows, rules and queries name no change.
    let not_about_a_change = [
        Window::new(at(2), at(1)).unwrap_err(),
        Error::InvalidSearchHorizon {
            horizon: Duration::zero(),
        },
        Error::InvalidSearchStep {
            step: Duration::zero(),
        },
        Error::DuplicateMaintenance {
            item: ConfigItemId::from_u128(1),
            first: "a".into(),
            second: "b".into(),
        },
    ];
    for e in not_about_a_change {
        assert_eq!(e.change(), None, "{e}");
    }
}
