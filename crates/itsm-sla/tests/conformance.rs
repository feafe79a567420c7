//! One test per row of the conformance table in `docs/sla.md`: each rule as ServiceNow and
//! iTop document it, and the option of ours that selects each behaviour. The pages each
//! test follows are named on it. March 2026: the 2nd is a Monday; `office8` is open
//! Monday to Friday 09:00-17:00 (UTC unless a zone is named).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // helpers outside #[test] functions

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
use itsm_sla::{
    Calendars, Clock, Condition, CycleStart, Definition, Definitions, Event, PauseMode,
    RelativeTarget, ReopenMode, Replay, Selection, Stage, Target, TicketView, ViewField,
    ZoneSource, replay,
};

type Timeline = Vec<(DateTime<Utc>, TicketView)>;

fn run_with(selection: Selection, list: Vec<Definition>, timeline: &Timeline) -> Replay {
    let definitions = Definitions::new(list, selection).unwrap();
    replay(timeline, &definitions, &calendars(), None).unwrap()
}

fn running(r: &Replay) -> Vec<&Clock> {
    r.clocks
        .clocks()
        .iter()
        .filter(|c| matches!(c.stage(), Stage::InProgress | Stage::Paused))
        .collect()
}

fn latest<'r>(r: &'r Replay, id: &str) -> &'r Clock {
    r.clocks
        .clocks()
        .iter()
        .rev()
        .find(|c| c.definition() == id)
        .unwrap()
}

fn p(v: TicketView, priority: u8) -> TicketView {
    with_priority(v, priority)
}

// ---------------------------------------------------------------------------------------
// Selection

/// Issue 21's reproduction. A starts on P1 and continues on reopen (4 h); B starts on P1 or
/// P2 (8 h). 09:00 P1 in progress (A); 10:00 resolved; 11:00 P2 in progress (B attaches);
/// 12:00 P1 in progress: A must not continue while B runs ("only if no clock of that
/// target kind is running"). Every definition attaching (ServiceNow's "SLA definition"
/// page: each matching definition attaches) is `Selection::All`, where both run.
#[test]
fn exclusive_selection_holds_on_reopen() {
    let mut a = resolution("a", 4, None);
    a.reopen = ReopenMode::Continue;
    let mut b = resolution("b", 8, None);
    b.start = Condition::PriorityIn(vec![1, 2]);
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Resolved)),
        (at(MON, 11, 0), p(view(Open), 2)),
        (at(MON, 12, 0), view(Open)),
    ];
    for selection in [Selection::FirstMatch, Selection::ShortestTarget] {
        let r = run_with(selection, vec![a.clone(), b.clone()], &timeline);
        let ids: Vec<&str> = running(&r).iter().map(|c| c.definition()).collect();
        assert_eq!(ids, ["b"], "{selection:?}: {:#?}", summary(&r.events));
        assert!(
            !r.events
                .iter()
                .any(|e| matches!(e, Event::Resumed { reopened: true, .. })),
            "{selection:?}"
        );
    }
    let r = run_with(Selection::All, vec![a, b], &timeline);
    let ids: Vec<&str> = running(&r).iter().map(|c| c.definition()).collect();
    assert_eq!(ids, ["a", "b"]);
}

/// A reopen competes with a new attach in the same update: with `FirstMatch` the one
/// first in list order wins, so only one clock of the kind runs.
#[test]
fn exclusive_selection_chooses_between_a_reopen_and_an_attach() {
    let mut a = resolution("a", 4, None);
    a.reopen = ReopenMode::Continue;
    let mut b = resolution("b", 8, None);
    b.start = Condition::FieldIn {
        field: "vip".into(),
        values: vec!["yes".into()],
    };
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Resolved)),
        (at(MON, 11, 0), with_field(view(Open), "vip", "yes")),
    ];
    let r = run_with(Selection::FirstMatch, vec![a, b], &timeline);
    let ids: Vec<&str> = running(&r).iter().map(|c| c.definition()).collect();
    assert_eq!(ids, ["a"], "{:#?}", summary(&r.events));
}

/// `ShortestTarget` keeps a running clock when the ticket changes (ours); iTop recomputes
/// the goal of its time-to-resolve stopwatch on every update and keeps the time spent
/// (iTop, "Priority and Deadline computation": the deadlines are computed each time the
/// request is modified): `ShortestTargetRecomputed`.
#[test]
fn a_running_clock_keeps_or_recomputes_its_goal() {
    let p1 = resolution("p1", 4, None);
    // Any priority up to 3: the P3 target applies to every ticket, the P1 one is shorter.
    let mut p3 = resolution("p3", 8, None);
    p3.start = Condition::PriorityIn(vec![1, 2, 3]);
    let timeline = vec![
        (at(MON, 9, 0), p(view(Open), 3)),
        (at(MON, 10, 0), p(view(Pending), 3)),
        (at(MON, 11, 0), p(view(Open), 3)),
        (at(MON, 12, 0), view(Open)),
    ];
    // Ours: the P3 clock keeps its 8 hours (due 18:00 after an hour on hold); P1's start
    // holds but a clock of the kind runs.
    let r = run_with(
        Selection::ShortestTarget,
        vec![p1.clone(), p3.clone()],
        &timeline,
    );
    let ids: Vec<&str> = running(&r).iter().map(|c| c.definition()).collect();
    assert_eq!(ids, ["p3"]);
    assert_eq!(running(&r)[0].deadline(), at(MON, 18, 0));
    // iTop: the same stopwatch now runs to the P1 goal, from the same start, keeping the
    // hour on hold: 09:00 + 4 h + 1 h = 14:00.
    let r = run_with(Selection::ShortestTargetRecomputed, vec![p1, p3], &timeline);
    let clocks = running(&r);
    assert_eq!(clocks.len(), 1, "{:#?}", summary(&r.events));
    let c = clocks[0];
    assert_eq!((c.definition(), c.start()), ("p1", at(MON, 9, 0)));
    assert_eq!((c.deadline(), c.target()), (at(MON, 14, 0), Some(hours(4))));
    assert_eq!(c.paused_business(), hours(1));
    assert!(
        summary(&r.events)
            .contains(&"retargeted p3#1 to p1#1 at Mon 02 12:00 due Mon 02 14:00".to_owned())
    );
}

// ---------------------------------------------------------------------------------------
// Retroactive start and pause

/// After a reopen in `NewCycle`, the new cycle counts from its attach (ours,
/// `CycleStart::FromAttach`) or from the named field again (ServiceNow, "Retroactive
/// start": the start is set to the field, such as Created or Opened, for every task SLA of
/// the definition): `CycleStart::FromField`.
#[test]
fn a_retroactive_start_in_a_new_cycle() {
    let mut d = resolution("p1", 4, None);
    d.retroactive_start = Some("opened_at".into());
    let v = |c| with_time(view(c), "opened_at", at(MON, 8, 0));
    let timeline = vec![
        (at(MON, 9, 0), v(Open)),
        (at(MON, 10, 0), v(Resolved)),
        (at(MON, 12, 0), v(Open)),
    ];
    let r = run_with(Selection::All, vec![d.clone()], &timeline);
    let c = latest(&r, "p1");
    assert_eq!(
        (c.cycle(), c.start(), c.deadline()),
        (2, at(MON, 12, 0), at(MON, 16, 0))
    );
    assert!(!c.is_breached());

    d.new_cycle_start = CycleStart::FromField;
    let r = run_with(Selection::All, vec![d], &timeline);
    let c = latest(&r, "p1");
    assert_eq!(
        (c.cycle(), c.start(), c.deadline()),
        (2, at(MON, 8, 0), at(MON, 12, 0))
    );
    assert!(c.is_breached(), "due at the reopen: breached at once");
}

/// ServiceNow's "retroactive pause" (page "Use SLA retroactive pause"): with a retroactive
/// start, the time the ticket spent paused between that start and the attach counts as
/// paused and moves the breach time out. Ours by default: it counts as elapsed.
#[test]
fn a_retroactive_pause_counts_the_time_paused_before_the_attach() {
    let mut d = resolution("p1", 4, None);
    d.retroactive_start = Some("opened_at".into());
    let v = |c, pr| with_time(p(view(c), pr), "opened_at", at(MON, 9, 0));
    let timeline = vec![
        (at(MON, 9, 0), v(Open, 3)),
        (at(MON, 10, 0), v(Pending, 3)),
        (at(MON, 11, 30), v(Open, 3)),
        (at(MON, 12, 0), v(Open, 1)),
    ];
    let r = run_with(Selection::All, vec![d.clone()], &timeline);
    let c = latest(&r, "p1");
    assert_eq!((c.start(), c.deadline()), (at(MON, 9, 0), at(MON, 13, 0)));

    d.retroactive_pause = true;
    let r = run_with(Selection::All, vec![d], &timeline);
    let c = latest(&r, "p1");
    assert_eq!(c.start(), at(MON, 9, 0));
    assert_eq!(c.original_deadline(), at(MON, 13, 0));
    assert_eq!(c.deadline(), at(MON, 14, 30));
    assert_eq!(c.paused_business(), Duration::minutes(90));
}

// ---------------------------------------------------------------------------------------
// Conditions on change

/// ServiceNow's condition operators "changes", "changes to", "changes from" hold on the
/// update that makes the change. A reset on "priority changes to 1" fires once; a reset on
/// "priority is 1" fires on every later update while the priority stays 1.
#[test]
fn a_reset_on_a_change_fires_once() {
    let mut d = Definition::new("resolution", Target::Resolution, hours(8));
    let timeline = vec![
        (at(MON, 9, 0), p(view(Open), 2)),
        (at(MON, 10, 0), p(view(Open), 1)),
        (at(MON, 11, 0), with_field(view(Open), "note", "x")),
    ];
    d.reset = Condition::ChangesTo {
        field: ViewField::Priority,
        values: vec!["1".into()],
    };
    let r = run_with(Selection::All, vec![d.clone()], &timeline);
    assert_eq!(
        latest(&r, "resolution").cycle(),
        2,
        "{:#?}",
        summary(&r.events)
    );

    d.reset = Condition::ChangesFrom {
        field: ViewField::Priority,
        values: vec!["2".into()],
    };
    let r = run_with(Selection::All, vec![d.clone()], &timeline);
    assert_eq!(latest(&r, "resolution").cycle(), 2);

    d.reset = Condition::Changes(ViewField::Field("note".into()));
    let r = run_with(Selection::All, vec![d.clone()], &timeline);
    assert_eq!(latest(&r, "resolution").cycle(), 2);
    assert_eq!(latest(&r, "resolution").start(), at(MON, 11, 0));

    d.reset = Condition::PriorityIn(vec![1]);
    let r = run_with(Selection::All, vec![d], &timeline);
    assert_eq!(
        latest(&r, "resolution").cycle(),
        3,
        "fires at 10:00 and again at 11:00"
    );
}

/// A view without a previous one knows of no change; an empty previous view makes every
/// field set at creation a change (ServiceNow's "changes" on insert).
#[test]
fn a_change_needs_a_previous_view() {
    let c = Condition::ChangesTo {
        field: ViewField::Priority,
        values: vec!["1".into()],
    };
    let mut v = view(Open);
    assert!(!c.eval(&v));
    v.previous = Some(Box::default());
    assert!(c.eval(&v));
    v.previous = Some(Box::new(view(New)));
    assert!(!c.eval(&v), "priority 1 before and after: no change");
    assert!(Condition::Changes(ViewField::State).eval(&v));
}

// ---------------------------------------------------------------------------------------
// Units, schedules and time zones

/// ServiceNow ("SLA duration and schedules"): a duration of one day on a 9-to-5 schedule
/// is 24 business hours, spread over three working days. Ours reads `P1D` the same way (a
/// day is 24 hours of the calendar's open time); one business day of an 8-hour calendar is
/// written `PT8H`, or as a relative target.
#[test]
fn a_day_on_a_schedule_is_24_business_hours() {
    let one_day = |target| {
        let mut d = resolution("p1", 1, Some(OFFICE8));
        d.target = target;
        d
    };
    let timeline = vec![(at(MON, 9, 0), view(Open))];
    let r = run_with(Selection::All, vec![one_day(Duration::days(1))], &timeline);
    assert_eq!(latest(&r, "p1").deadline(), at(WED, 17, 0));
    let r = run_with(Selection::All, vec![one_day(hours(8))], &timeline);
    assert_eq!(latest(&r, "p1").deadline(), at(MON, 17, 0));
    let mut relative = one_day(hours(8));
    relative.relative = Some(RelativeTarget::end_of_day(0));
    let r = run_with(Selection::All, vec![relative], &timeline);
    assert_eq!(latest(&r, "p1").deadline(), at(MON, 17, 0));
}

fn zoned(calendars: &mut Calendars, zone: &str) {
    let mut spec = CalendarSpec::new(
        OFFICE8,
        Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
    );
    spec.zone = Some(zone.into());
    calendars.insert(format!("{OFFICE8}@{zone}"), Calendar::new(&spec).unwrap());
}

/// ServiceNow ("Time zones in SLAs"): the time zone source is the caller's, the SLA
/// definition's, the CI's location's, the task's location's or the caller's location's,
/// with a default when the source has none. Ours: `zone_source` names the view field, the
/// zone selects the calendar `"{calendar}@{zone}"`, `zone` is the fallback, and without
/// either the calendar counts in its own zone.
#[test]
fn the_time_zone_comes_from_the_ticket() {
    let mut calendars = calendars();
    zoned(&mut calendars, "+09:00");
    zoned(&mut calendars, "+01:00");
    let mut d = resolution("p1", 8, Some(OFFICE8));
    d.zone_source = ZoneSource::Caller;
    let definitions = Definitions::new(vec![d.clone()], Selection::All).unwrap();
    let due = |definitions: &Definitions, v: TicketView| {
        let r = replay(&[(at(MON, 0, 0), v)], definitions, &calendars, None).unwrap();
        (
            latest(&r, "p1").deadline(),
            latest(&r, "p1").calendar().map(str::to_owned),
        )
    };
    // Tokyo caller: 09:00-17:00 at +09:00 is 00:00-08:00 UTC.
    let tokyo = with_field(view(Open), "caller_time_zone", "+09:00");
    assert_eq!(
        due(&definitions, tokyo),
        (at(MON, 8, 0), Some("office8@+09:00".into()))
    );
    // No zone on the caller, none on the definition: the calendar's own (UTC).
    assert_eq!(due(&definitions, view(Open)), (at(MON, 17, 0), None));
    // The definition's zone is the fallback.
    d.zone = Some("+01:00".into());
    let definitions = Definitions::new(vec![d.clone()], Selection::All).unwrap();
    assert_eq!(
        due(&definitions, view(Open)),
        (at(MON, 16, 0), Some("office8@+01:00".into()))
    );
    // A caller's zone the host compiled no calendar for falls back to the definition's.
    let unexpected = with_field(view(Open), "caller_time_zone", "+05:00");
    assert_eq!(
        due(&definitions, unexpected),
        (at(MON, 16, 0), Some("office8@+01:00".into()))
    );
    // Each of ServiceNow's sources reads its own field.
    for (source, field) in [
        (ZoneSource::CallerLocation, "caller_location_time_zone"),
        (
            ZoneSource::ConfigItemLocation,
            "config_item_location_time_zone",
        ),
        (ZoneSource::GroupLocation, "group_location_time_zone"),
    ] {
        d.zone_source = source;
        d.zone = None;
        let definitions = Definitions::new(vec![d.clone()], Selection::All).unwrap();
        let v = with_field(view(Open), field, "+09:00");
        assert_eq!(due(&definitions, v).0, at(MON, 8, 0), "{field}");
    }
}

/// ServiceNow's schedule source "task field" (SLA API of the ServiceNow SDK:
/// `scheduleSource`): the schedule is named on the ticket. Ours: `calendar_from`, falling
/// back to `calendar`.
#[test]
fn the_schedule_comes_from_the_ticket() {
    let mut d = resolution("p1", 8, Some(OFFICE8));
    d.calendar_from = Some(ViewField::Field("schedule".into()));
    let timeline = vec![(at(MON, 9, 0), with_field(view(Open), "schedule", ALWAYS))];
    let r = run_with(Selection::All, vec![d.clone()], &timeline);
    assert_eq!(latest(&r, "p1").deadline(), at(MON, 17, 0));
    assert_eq!(latest(&r, "p1").calendar(), Some(ALWAYS));
    let timeline = vec![(at(MON, 12, 0), with_field(view(Open), "schedule", ALWAYS))];
    let r = run_with(Selection::All, vec![d.clone()], &timeline);
    assert_eq!(latest(&r, "p1").deadline(), at(MON, 20, 0));
    // No schedule on the ticket, or one the host does not have: the definition's.
    for v in [view(Open), with_field(view(Open), "schedule", "moon-base")] {
        let r = run_with(Selection::All, vec![d.clone()], &vec![(at(MON, 12, 0), v)]);
        assert_eq!(latest(&r, "p1").deadline(), at(TUE, 12, 0));
        assert_eq!(latest(&r, "p1").calendar(), None);
    }
}

// ---------------------------------------------------------------------------------------
// Relative durations

fn relative(rel: RelativeTarget) -> Definition {
    let mut d = resolution("p1", 8, Some(OFFICE8));
    d.relative = Some(rel);
    d
}

fn due_from(d: &Definition, start: DateTime<Utc>) -> DateTime<Utc> {
    let r = run_with(Selection::All, vec![d.clone()], &vec![(start, view(Open))]);
    latest(&r, "p1").deadline()
}

/// ServiceNow's relative duration "End of next business day" ("Define a relative
/// duration"): a Monday start is due at the end of Tuesday, a Friday start at the end of
/// the next Monday. Ours: `RelativeTarget::end_of_day(1)`.
#[test]
fn a_relative_target_at_the_end_of_the_next_business_day() {
    let d = relative(RelativeTarget::end_of_day(1));
    assert_eq!(due_from(&d, at(MON, 10, 0)), at(TUE, 17, 0));
    assert_eq!(due_from(&d, at(FRI, 10, 0)), at(MON2, 17, 0));
    // A start after hours belongs to the next business day.
    assert_eq!(due_from(&d, at(MON, 20, 0)), at(WED, 17, 0));
    // The target is the business time to that deadline; pauses move it as any other.
    let r = run_with(Selection::All, vec![d], &vec![(at(MON, 10, 0), view(Open))]);
    assert_eq!(latest(&r, "p1").target(), Some(hours(15)));
}

/// ServiceNow's "2 business days by 10:30" / "Next business day by 4pm if before 2pm"
/// ("Simple duration versus relative duration"): a local time on the n-th business day,
/// with a cut-off after which today does not count. Ours: `RelativeTarget::by` and
/// `cutoff`, read in the clock's zone.
#[test]
fn a_relative_target_by_a_local_time_two_business_days_later() {
    let d = relative(RelativeTarget::by(2, "10:00"));
    assert_eq!(due_from(&d, at(MON, 11, 0)), at(WED, 10, 0));
    assert_eq!(due_from(&d, at(THU, 11, 0)), at(MON2, 10, 0));
    let mut cut = RelativeTarget::by(1, "16:00");
    cut.cutoff = Some("14:00".into());
    let d = relative(cut);
    assert_eq!(due_from(&d, at(MON, 12, 0)), at(TUE, 16, 0));
    assert_eq!(due_from(&d, at(MON, 15, 0)), at(WED, 16, 0));
    // In the definition's zone: 10:00 at +01:00 is 09:00 UTC.
    let mut d = relative(RelativeTarget::by(2, "10:00"));
    d.zone = Some("+01:00".into());
    d.zone_source = ZoneSource::Definition;
    let mut calendars = calendars();
    zoned(&mut calendars, "+01:00");
    let definitions = Definitions::new(vec![d], Selection::All).unwrap();
    let r = replay(
        &[(at(MON, 11, 0), view(Open))],
        &definitions,
        &calendars,
        None,
    )
    .unwrap();
    assert_eq!(latest(&r, "p1").deadline(), at(WED, 9, 0));
}

/// A relative target needs a calendar to count business days on.
#[test]
fn a_relative_target_without_a_calendar_is_refused() {
    let mut d = relative(RelativeTarget::end_of_day(1));
    d.calendar = None;
    assert_eq!(
        Definitions::new(vec![d], Selection::All),
        Err(itsm_sla::Error::RelativeWithoutCalendar { id: "p1".into() })
    );
}

// ---------------------------------------------------------------------------------------
// The rows both tools agree on

/// ServiceNow ("SLA processing"): start and stop both true attach nothing, the stop
/// condition wins. Ours: the same.
#[test]
fn the_stop_condition_overrides_the_start() {
    let r = run_with(
        Selection::All,
        vec![resolution("p1", 4, None)],
        &vec![(at(MON, 9, 0), view(Resolved))],
    );
    assert!(r.events.is_empty());
}

/// ServiceNow ("SLA conditions", "When to cancel": start conditions are not met, the
/// default). Ours: `cancel: None`.
#[test]
fn a_clock_cancels_when_its_start_no_longer_holds() {
    let r = run_with(
        Selection::All,
        vec![resolution("p1", 4, None)],
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), p(view(Open), 2)),
        ],
    );
    assert_eq!(latest(&r, "p1").stage(), Stage::Canceled);
}

/// ServiceNow's pause moves the breach time out by the time paused; iTop's TTR counts only
/// while the request is neither pending nor resolved ("Priority and Deadline
/// computation"). Ours: `PauseMode::Pause` (the default); `Freeze` keeps the deadline.
#[test]
fn a_pause_moves_the_deadline() {
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Pending)),
        (at(MON, 12, 0), view(Open)),
    ];
    let d = resolution("p1", 4, None);
    let r = run_with(Selection::All, vec![d.clone()], &timeline);
    assert_eq!(latest(&r, "p1").deadline(), at(MON, 15, 0));
    let mut frozen = d;
    frozen.pause_mode = PauseMode::Freeze;
    let r = run_with(Selection::All, vec![frozen], &timeline);
    assert_eq!(latest(&r, "p1").deadline(), at(MON, 13, 0));
}
