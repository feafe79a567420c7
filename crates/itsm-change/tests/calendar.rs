//! Planning a window against the change calendar (itsm-schedule): conflicts listed on the
//! `planned` event by default (ServiceNow shows them), refused when the policy blocks, and a
//! change re-planned is not in conflict with its own booking.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_change::{
    Actor, CalendarCheck, ChangeId, Command, ConfigItemId, ConflictHandling, Context, Error, Event,
    Policy, Request, Role, State, UserId, Window, decide,
};
use itsm_schedule::{Checks, Limits, Rules, Schedule, ScheduledChange};

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
}

const DB: ConfigItemId = ConfigItemId::from_u128(2);
const APP: ConfigItemId = ConfigItemId::from_u128(1);
const OURS: ChangeId = ChangeId::from_u128(1);
const OTHER: ChangeId = ChangeId::from_u128(50);

fn manager() -> Actor {
    Actor::new(UserId::from_u128(2), [Role::new("change_manager").unwrap()])
}

fn schedule() -> Schedule {
    let (schedule, refused) = Schedule::build(
        [
            ScheduledChange::new(OTHER, vec![DB], Some(t(48)), Some(t(52))),
            // Our own change, already booked at its old window.
            ScheduledChange::new(OURS, vec![APP], Some(t(10)), Some(t(12))),
        ],
        &Limits::new(),
    );
    assert!(refused.is_empty());
    schedule
}

/// Plans `window` for a change on the app, whose database is related.
fn plan(policy: &Policy, window: Window) -> Result<Vec<Event>, Error> {
    let schedule = schedule();
    let rules = Rules::new(Checks::all(), vec![], vec![]).unwrap();
    let topology = |item: &ConfigItemId| if *item == APP { vec![DB] } else { vec![] };
    let mut request = Request::new(OURS, "normal", UserId::from_u128(9), "Upgrade the app");
    request.items = vec![APP];
    let actor = manager();
    let mut state = State::new();
    state.apply(&decide(
        &state,
        &request.into(),
        &Context::new(t(0), &actor, policy),
    )?);
    let ctx = Context::new(t(1), &actor, policy)
        .with_calendar(CalendarCheck::new(&schedule, &rules, &topology));
    decide(&state, &Command::Plan { window }, &ctx)
}

#[test]
fn conflicts_are_listed_on_the_planned_event_by_default() {
    let events = plan(&Policy::servicenow(), Window::new(t(50), t(54))).unwrap();
    let [Event::Planned { conflicts, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        conflicts,
        &[format!(
            "configuration item {DB}, related to {APP}, is already scheduled in change {OTHER}"
        )]
    );
}

#[test]
fn a_blocking_policy_refuses_a_window_with_conflicts() {
    let mut policy = Policy::servicenow();
    policy.conflicts = ConflictHandling::Block;
    let err = plan(&policy, Window::new(t(50), t(54))).unwrap_err();
    assert!(
        matches!(&err, Error::Conflicts { conflicts } if conflicts.len() == 1),
        "{err:?}"
    );
    // A free window goes through.
    assert!(plan(&policy, Window::new(t(52), t(54))).is_ok());
}

#[test]
fn a_change_is_not_in_conflict_with_its_own_booking() {
    let mut policy = Policy::servicenow();
    policy.conflicts = ConflictHandling::Block;
    // Overlaps the change's own old booking (t(10)..t(12)) only.
    let events = plan(&policy, Window::new(t(11), t(13))).unwrap();
    assert!(
        matches!(events.as_slice(), [Event::Planned { conflicts, .. }] if conflicts.is_empty())
    );
}

/// A context's calendar check shows what it checks against in `Debug` (the topology, a
/// closure, is left out).
#[test]
fn a_calendar_check_debugs_as_its_schedule_and_rules() {
    let schedule = schedule();
    let rules = Rules::new(Checks::all(), vec![], vec![]).unwrap();
    let topology = |_: &ConfigItemId| Vec::<ConfigItemId>::new();
    let check = CalendarCheck::new(&schedule, &rules, &topology);
    let shown = format!("{check:?}");
    assert!(
        shown.starts_with("CalendarCheck { changes: 2, rules: "),
        "{shown}"
    );
    assert!(shown.ends_with(", .. }"), "{shown}");
}
