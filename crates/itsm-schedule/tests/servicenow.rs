//! ServiceNow's change conflict detection, rule by rule, each test naming the page of
//! ServiceNow's documentation (Australia release, change management) that states it:
//!
//! - "Conflict detection" (`c_ConflictDetection`): the seven reasons a conflict is found;
//! - "Detect change conflicts" (`configure-conflict-properties`): the properties that turn
//!   each check on, contiguous changes, the next-available-time defaults, basic and advanced
//!   mode;
//! - "Detect conflicts manually and review conflict details" (`t_RunManualConflictDetection`):
//!   the conflict types, excluded and inactive changes;
//! - "Create blackout and maintenance schedules in Change Management"
//!   (`t_CreateBlkoutMaintSched`): blackouts and maintenance windows, their time zone and the
//!   items they apply to;
//! - "Configure a change request to monitor outside maintenance schedule conflicts"
//!   (`monitor-maintenance-schedule`); "Manage your change schedules and resolve conflicts"
//!   (`use-conflict-calendar`); knowledge article KB0695872 (a CI without a maintenance
//!   schedule).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Exception, Segment, Week};
use itsm_core::{ChangeId, ConfigItemId, UserId};
use itsm_schedule::{
    Blackout, Checks, Conflict, Limits, Maintenance, NoTopology, Proposal, Rules, Schedule,
    ScheduledChange, Search, Window,
};

/// 2026-03-07 is a Saturday.
fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

fn window(day: u32, from: u32, hours: i64) -> Window {
    Window::starting(at(day, from), Duration::hours(hours)).unwrap()
}

const APP: ConfigItemId = ConfigItemId::from_u128(1);
const DB: ConfigItemId = ConfigItemId::from_u128(2);
const HOST: ConfigItemId = ConfigItemId::from_u128(3);
const OTHER: ConfigItemId = ConfigItemId::from_u128(4);
const ALICE: UserId = UserId::from_u128(7);
const PATCH: ChangeId = ChangeId::from_u128(100);

/// The app runs on the database, which runs on the host: parents and children both ways.
fn cmdb(item: &ConfigItemId) -> Vec<ConfigItemId> {
    match *item {
        APP => vec![DB],
        DB => vec![APP, HOST],
        HOST => vec![DB],
        _ => vec![],
    }
}

/// One change, the patch, on `items` on Saturday 20:00-23:00, assigned to Alice.
fn patched(items: Vec<ConfigItemId>) -> Schedule {
    let mut patch = ScheduledChange::planned(PATCH, items, window(7, 20, 3));
    patch.assignee = Some(ALICE);
    let (schedule, refused) = Schedule::build([patch], &Limits::new());
    assert!(refused.is_empty());
    schedule
}

fn only(checks: impl FnOnce(&mut Checks)) -> Rules {
    let mut c = Checks::none();
    checks(&mut c);
    Rules::new(c, vec![], vec![]).unwrap()
}

fn nights() -> Calendar {
    let week = Week {
        sat: vec![Segment::parse("22:00", "04:00").unwrap()],
        ..Week::default()
    };
    Calendar::new(&CalendarSpec::new("saturday-nights", week)).unwrap()
}

#[test]
fn conflict_detection_the_ci_is_already_scheduled() {
    // "The configuration items (CIs) are already scheduled at the given date and time."
    let schedule = patched(vec![DB]);
    let rules = only(|c| c.same_item = true);
    let p = Proposal::new(vec![DB], window(7, 22, 2));
    assert_eq!(
        schedule.check(&p, &rules, &NoTopology).unwrap(),
        [Conflict::ItemScheduled {
            item: DB,
            change: PATCH
        }]
    );
}

#[test]
fn conflict_detection_a_parent_or_child_is_already_scheduled() {
    // "A parent or child of the CI is already scheduled at the given date and time."
    let rules = only(|c| c.related_items = true);
    // The child (the database) of the app is scheduled ...
    let schedule = patched(vec![DB]);
    let p = Proposal::new(vec![APP], window(7, 21, 1));
    assert_eq!(
        schedule.check(&p, &rules, &cmdb).unwrap(),
        [Conflict::RelatedItemScheduled {
            item: APP,
            related: DB,
            change: PATCH
        }]
    );
    // ... and the parent (the app) of the database.
    let schedule = patched(vec![APP]);
    let p = Proposal::new(vec![DB], window(7, 21, 1));
    assert_eq!(
        schedule.check(&p, &rules, &cmdb).unwrap(),
        [Conflict::RelatedItemScheduled {
            item: DB,
            related: APP,
            change: PATCH
        }]
    );
}

#[test]
fn conflict_detection_the_ci_is_not_in_the_maintenance_window() {
    // "The CI is not in the maintenance window."
    let rules = Rules::new(
        Checks::all(),
        vec![Maintenance::new(nights(), vec![DB])],
        vec![],
    )
    .unwrap();
    let schedule = Schedule::default();
    let inside = Proposal::new(vec![DB], window(7, 23, 4));
    assert!(
        schedule
            .check(&inside, &rules, &NoTopology)
            .unwrap()
            .is_empty()
    );
    let over = Proposal::new(vec![DB], window(7, 23, 6));
    assert_eq!(
        schedule.check(&over, &rules, &NoTopology).unwrap(),
        [Conflict::OutsideMaintenance {
            item: DB,
            calendar: "saturday-nights".into()
        }]
    );
}

#[test]
fn conflict_detection_a_parent_or_child_is_not_in_the_maintenance_window() {
    // "A parent or child of the CI is not in the maintenance window."
    let rules = Rules::new(
        Checks::all(),
        vec![Maintenance::new(nights(), vec![DB])],
        vec![],
    )
    .unwrap();
    let p = Proposal::new(vec![APP], window(9, 10, 1));
    assert_eq!(
        Schedule::default().check(&p, &rules, &cmdb).unwrap(),
        [Conflict::RelatedOutsideMaintenance {
            item: APP,
            related: DB,
            calendar: "saturday-nights".into()
        }]
    );
}

#[test]
fn conflict_detection_the_ci_is_in_a_blackout_window() {
    // "The CI is in a blackout window."
    let freeze = Blackout::windows(
        "quarter close",
        vec![Window::new(at(30, 0), at(31, 0)).unwrap()],
    );
    let rules = Rules::new(Checks::all(), vec![], vec![freeze]).unwrap();
    let p = Proposal::new(vec![OTHER], window(30, 22, 4));
    assert_eq!(
        Schedule::default().check(&p, &rules, &NoTopology).unwrap(),
        [Conflict::InBlackout {
            item: None,
            blackout: "quarter close".into()
        }]
    );
}

#[test]
fn conflict_detection_a_parent_or_child_is_in_a_blackout_window() {
    // "A parent or child of the CI is in a blackout window."
    let freeze = Blackout::windows(
        "storage migration",
        vec![Window::new(at(30, 0), at(31, 0)).unwrap()],
    )
    .only_for(vec![HOST]);
    let rules = Rules::new(Checks::all(), vec![], vec![freeze]).unwrap();
    let p = Proposal::new(vec![DB], window(30, 10, 1));
    assert_eq!(
        Schedule::default().check(&p, &rules, &cmdb).unwrap(),
        [Conflict::RelatedInBlackout {
            item: DB,
            related: HOST,
            blackout: "storage migration".into()
        }]
    );
}

#[test]
fn conflict_detection_the_assignee_is_already_scheduled() {
    // "The CI is assigned to a person already scheduled at the given date and time."
    let schedule = patched(vec![DB]);
    let rules = only(|c| c.assignee = true);
    let mut p = Proposal::new(vec![OTHER], window(7, 22, 2));
    p.assignee = Some(ALICE);
    assert_eq!(
        schedule.check(&p, &rules, &NoTopology).unwrap(),
        [Conflict::AssigneeBooked {
            assignee: ALICE,
            change: PATCH
        }]
    );
    p.assignee = Some(UserId::from_u128(8));
    assert!(schedule.check(&p, &rules, &NoTopology).unwrap().is_empty());
}

#[test]
fn detect_change_conflicts_each_property_turns_its_check_off() {
    // change.conflict.currentci, .currentwindow, .blackout, .assigned_to and the related
    // ones: each check runs only when its property is on.
    let schedule = patched(vec![DB]);
    let freeze = Blackout::windows("freeze", vec![window(7, 0, 24)]);
    let mut p = Proposal::new(vec![DB, APP], window(7, 21, 2));
    p.assignee = Some(ALICE);
    let all = Rules::new(
        Checks::all(),
        vec![Maintenance::new(nights(), vec![DB])],
        vec![freeze.clone()],
    )
    .unwrap();
    assert_eq!(schedule.check(&p, &all, &cmdb).unwrap().len(), 4);
    let none = Rules::new(
        Checks::none(),
        vec![Maintenance::new(nights(), vec![DB])],
        vec![freeze],
    )
    .unwrap();
    assert!(schedule.check(&p, &none, &cmdb).unwrap().is_empty());
}

#[test]
fn detect_change_conflicts_contiguous_changes_do_not_conflict() {
    // change.conflict.allow_contiguous_changes: a change that starts when another ends.
    let schedule = patched(vec![DB]);
    let rules = Rules::new(Checks::all(), vec![], vec![]).unwrap();
    let mut p = Proposal::new(vec![DB], window(7, 23, 1));
    p.assignee = Some(ALICE);
    assert!(schedule.check(&p, &rules, &NoTopology).unwrap().is_empty());
    let before = Proposal::new(vec![DB], window(7, 18, 2));
    assert!(
        schedule
            .check(&before, &rules, &NoTopology)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn detect_change_conflicts_next_available_time_defaults() {
    // change.conflict.next_available.schedule_window (90 days) and .choice_limit (100).
    let search = Search::new();
    assert_eq!((search.horizon, search.count), (Duration::days(90), 100));
    let rules = Rules::new(
        Checks::all(),
        vec![Maintenance::new(nights(), vec![DB])],
        vec![],
    )
    .unwrap();
    let p = Proposal::new(vec![DB], window(2, 0, 5));
    let free = Schedule::default()
        .next_windows(&p, &search, &rules, &NoTopology)
        .unwrap();
    // A five-hour change fits Saturday nights at 22:00 and 23:00: two a week for the 12
    // Saturdays whose windows end by 31 May (the 13th, 30 May, would end after the horizon).
    assert_eq!(free.len(), 24);
    assert!(
        free.iter()
            .all(|w| w.end() <= at(2, 0) + Duration::days(90))
    );
    assert_eq!(free[0].start(), at(7, 22));
}

#[test]
fn detect_change_conflicts_advanced_mode_checks_affected_cis() {
    // change.conflict.mode = advanced: the current change's CI and its affected CIs against
    // other changes' CIs and affected CIs. A change's items here are all its CIs.
    let schedule = patched(vec![APP, DB]);
    let rules = only(|c| c.same_item = true);
    let p = Proposal::new(vec![OTHER, DB], window(7, 22, 1));
    assert_eq!(
        schedule.check(&p, &rules, &NoTopology).unwrap(),
        [Conflict::ItemScheduled {
            item: DB,
            change: PATCH
        }]
    );
}

#[test]
fn manual_detection_a_change_does_not_conflict_with_itself_and_excluded_ones_are_left_out() {
    // Re-running detection on a scheduled change; excluded or inactive changes are not on
    // the schedule the host builds, so nothing conflicts with them.
    let schedule = patched(vec![DB]);
    let rules = Rules::new(Checks::all(), vec![], vec![]).unwrap();
    let mut again = Proposal::new(vec![DB], window(7, 20, 3));
    again.change = Some(PATCH);
    again.assignee = Some(ALICE);
    assert!(
        schedule
            .check(&again, &rules, &NoTopology)
            .unwrap()
            .is_empty()
    );
    let (without, _) = Schedule::build(Vec::new(), &Limits::new());
    assert!(
        without
            .check(
                &Proposal::new(vec![DB], window(7, 20, 3)),
                &rules,
                &NoTopology
            )
            .unwrap()
            .is_empty()
    );
}

#[test]
fn manual_detection_conflict_types_read_as_the_documented_ones() {
    // "CI Already Scheduled", "Parent/Child CI Already Scheduled", "Not in Maintenance
    // Window", "Parent/Child Not In Maintenance Window", "Blackout".
    let c = Conflict::ItemScheduled {
        item: DB,
        change: PATCH,
    };
    assert_eq!(
        c.to_string(),
        format!("configuration item {DB} is already scheduled in change {PATCH}")
    );
    assert_eq!((c.item(), c.change()), (Some(DB), Some(PATCH)));
    let c = Conflict::OutsideMaintenance {
        item: DB,
        calendar: "saturday-nights".into(),
    };
    assert_eq!(
        c.to_string(),
        format!("configuration item {DB} is outside its maintenance window `saturday-nights`")
    );
    assert_eq!(c.change(), None);
    let c = Conflict::InBlackout {
        item: None,
        blackout: "year end".into(),
    };
    assert_eq!(c.to_string(), "the window falls in blackout `year end`");
}

#[test]
fn blackout_and_maintenance_schedules_year_end_freeze_in_a_zone_for_some_cis() {
    // "create a blackout schedule for code freezes at the end of the year"; a schedule has a
    // time zone; "Applies to" narrows it to some CIs.
    let mut spec = CalendarSpec::new("year-end freeze", Week::default());
    spec.zone = Some("+02:00".into());
    let day = |m, d| {
        NaiveDate::from_ymd_opt(2026, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    };
    spec.exceptions
        .push(Exception::open("freeze", day(12, 20), day(12, 31)));
    let freeze = Blackout::calendar(Calendar::new(&spec).unwrap()).only_for(vec![DB]);
    let rules = Rules::new(Checks::all(), vec![], vec![freeze]).unwrap();
    // 19 December 22:30 UTC is 20 December 00:30 at +02:00: frozen.
    let late = Window::starting(
        Utc.with_ymd_and_hms(2026, 12, 19, 22, 30, 0).unwrap(),
        Duration::hours(1),
    )
    .unwrap();
    let schedule = Schedule::default();
    assert_eq!(
        schedule
            .check(&Proposal::new(vec![DB], late), &rules, &NoTopology)
            .unwrap(),
        [Conflict::InBlackout {
            item: Some(DB),
            blackout: "year-end freeze".into()
        }]
    );
    let early = Window::starting(
        Utc.with_ymd_and_hms(2026, 12, 19, 20, 0, 0).unwrap(),
        Duration::hours(1),
    )
    .unwrap();
    assert!(
        schedule
            .check(&Proposal::new(vec![DB], early), &rules, &NoTopology)
            .unwrap()
            .is_empty()
    );
    // Other CIs are not frozen.
    assert!(
        schedule
            .check(&Proposal::new(vec![OTHER], late), &rules, &NoTopology)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn outside_maintenance_flag_checks_only_the_changes_own_cis() {
    // "Only the maintenance window for the primary CI or affected CIs is checked; the
    // upstream and downstream items are not checked": related_maintenance off.
    let mut checks = Checks::all();
    checks.related_maintenance = false;
    let rules = Rules::new(checks, vec![Maintenance::new(nights(), vec![DB])], vec![]).unwrap();
    let p = Proposal::new(vec![APP], window(9, 10, 1));
    assert!(
        Schedule::default()
            .check(&p, &rules, &cmdb)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn kb0695872_a_ci_without_a_maintenance_schedule_may_change_any_time() {
    let rules = Rules::new(
        Checks::all(),
        vec![Maintenance::new(nights(), vec![DB])],
        vec![],
    )
    .unwrap();
    let p = Proposal::new(vec![OTHER], window(9, 10, 1));
    assert!(
        Schedule::default()
            .check(&p, &rules, &NoTopology)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn conflict_calendar_no_slot_in_90_days_finds_none() {
    // "When there are no available slots for the next 90 days, then an actionable message
    // is displayed": the search returns no window, and says why through check.
    let freeze = Blackout::windows(
        "long freeze",
        vec![Window::new(at(1, 0), at(1, 0) + Duration::days(200)).unwrap()],
    );
    let rules = Rules::new(Checks::all(), vec![], vec![freeze]).unwrap();
    let p = Proposal::new(vec![DB], window(2, 0, 2));
    let schedule = Schedule::default();
    assert!(
        schedule
            .next_windows(&p, &Search::new(), &rules, &NoTopology)
            .unwrap()
            .is_empty()
    );
    assert_eq!(schedule.check(&p, &rules, &NoTopology).unwrap().len(), 1);
}
