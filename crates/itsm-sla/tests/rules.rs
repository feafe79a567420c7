//! The rules, given/then: a ticket's timeline of views, then the events and clock figures
//! expected, on a 24x7 clock and on a Monday-to-Friday 09:00-17:00 calendar with lunch
//! 12:00-13:00 (7 business hours a day). March 2026: the 2nd is a Monday.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // helpers outside #[test] functions

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_sla::{
    AlarmKind, Clocks, Condition, Context, Definition, Definitions, Error, EscalationRule, Event,
    Input, PauseMode, ReopenMode, Selection, Stage, Target, TicketView, decide, evolve, measure,
    next_deadline, replay,
};

type Timeline = Vec<(DateTime<Utc>, TicketView)>;

fn then(def: Definition, timeline: &Timeline, until: Option<DateTime<Utc>>, expected: &[&str]) {
    let r = run(&defs(vec![def]), timeline, until);
    assert_eq!(summary(&r.events), expected, "{:#?}", r.clocks);
}

fn with(def: Definition, f: impl FnOnce(&mut Definition)) -> Definition {
    let mut d = def;
    f(&mut d);
    d
}

// ---------------------------------------------------------------------------------------
// attach, stop, reset, cancel

#[test]
fn start_attaches_a_clock_around_the_clock() {
    let timeline = vec![(at(MON, 9, 0), view(New))];
    for calendar in [None, Some(ALWAYS)] {
        let r = run(&defs(vec![resolution("p1", 4, calendar)]), &timeline, None);
        assert_eq!(
            summary(&r.events),
            ["attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00"]
        );
        let c = only_clock(&r);
        assert_eq!(
            (c.stage(), c.cycle(), c.is_breached()),
            (Stage::InProgress, 1, false)
        );
        assert_eq!(c.original_deadline(), at(MON, 13, 0));
        assert_eq!(c.kind(), &Target::Resolution);
        assert_eq!(next_deadline(&r.clocks), Some(at(MON, 13, 0)));
    }
}

#[test]
fn on_the_office_calendar_the_deadline_skips_lunch_nights_and_weekends() {
    let d = || resolution("p1", 4, Some(OFFICE));
    // 11-12 and 13-16.
    then(
        d(),
        &vec![(at(MON, 11, 0), view(New))],
        None,
        &["attached p1#1 at Mon 02 11:00 from Mon 02 11:00 due Mon 02 16:00"],
    );
    // Friday 16-17, then Monday 09-12: the deadline is the earliest instant, 12:00, not 13:00.
    then(
        d(),
        &vec![(at(FRI, 16, 0), view(New))],
        None,
        &["attached p1#1 at Fri 06 16:00 from Fri 06 16:00 due Mon 09 12:00"],
    );
    // Created on a Saturday: the clock runs from Monday 09:00.
    then(
        d(),
        &vec![(at(SAT, 10, 0), view(New))],
        None,
        &["attached p1#1 at Sat 07 10:00 from Sat 07 10:00 due Mon 09 14:00"],
    );
}

#[test]
fn start_and_stop_both_true_attach_nothing() {
    let timeline = vec![
        (at(MON, 9, 0), view(Resolved)),
        (at(MON, 10, 0), view(Closed)),
    ];
    let r = run(&defs(vec![resolution("p1", 4, None)]), &timeline, None);
    assert!(r.events.is_empty(), "{:?}", summary(&r.events));
    assert!(r.clocks.clocks().is_empty());
    // Once stop no longer holds, it attaches.
    let mut later = timeline;
    later.push((at(MON, 11, 0), view(Open)));
    then(
        resolution("p1", 4, None),
        &later,
        None,
        &["attached p1#1 at Mon 02 11:00 from Mon 02 11:00 due Mon 02 15:00"],
    );
}

#[test]
fn stop_completes_in_time_or_breached() {
    let d = || resolution("p1", 4, Some(OFFICE));
    // Due at 14:00 (09-12, 13-14).
    then(
        d(),
        &vec![
            (at(MON, 9, 0), view(New)),
            (at(MON, 13, 30), view(Resolved)),
        ],
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 14:00",
            "completed p1#1 at Mon 02 13:30",
        ],
    );
    let timeline = vec![(at(MON, 9, 0), view(New)), (at(MON, 15, 0), view(Resolved))];
    let r = run(&defs(vec![d()]), &timeline, None);
    assert_eq!(
        summary(&r.events),
        [
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 14:00",
            "breached p1#1 at Mon 02 14:00",
            "completed p1#1 at Mon 02 15:00 breached",
        ]
    );
    let c = only_clock(&r);
    assert_eq!((c.stage(), c.is_breached()), (Stage::Completed, true));
    assert_eq!(c.ended_at(), Some(at(MON, 15, 0)));
    // Nothing is due on a completed clock, although its unfired alarms are kept.
    assert_eq!(next_deadline(&r.clocks), None);
}

#[test]
fn reset_with_start_completes_and_attaches_cycle_two() {
    let d = with(resolution("r", 4, None), |d| {
        d.reset = Condition::GroupIn(vec!["network".into()]);
    });
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), with_group(view(Open), "network")),
        (at(MON, 11, 0), view(Open)),
    ];
    let r = run(&defs(vec![d.clone()]), &timeline, None);
    assert_eq!(
        summary(&r.events),
        [
            "attached r#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "completed r#1 at Mon 02 10:00",
            "attached r#2 at Mon 02 10:00 from Mon 02 10:00 due Mon 02 14:00",
        ]
    );
    let stages: Vec<_> = r
        .clocks
        .clocks()
        .iter()
        .map(|c| (c.cycle(), c.stage()))
        .collect();
    assert_eq!(stages, [(1, Stage::Completed), (2, Stage::InProgress)]);
    // Reset without start: the default cancel wins, no new cycle.
    then(
        d,
        &vec![
            (at(MON, 9, 0), view(Open)),
            (
                at(MON, 10, 0),
                with_priority(with_group(view(Open), "network"), 2),
            ),
        ],
        None,
        &[
            "attached r#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "canceled r#1 at Mon 02 10:00",
        ],
    );
}

#[test]
fn by_default_a_clock_is_canceled_when_start_no_longer_holds() {
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), with_priority(view(Open), 2)),
    ];
    let r = run(&defs(vec![resolution("p1", 4, None)]), &timeline, None);
    assert_eq!(
        summary(&r.events),
        [
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "canceled p1#1 at Mon 02 10:00",
        ]
    );
    let c = only_clock(&r);
    assert_eq!(
        (c.stage(), c.ended_at()),
        (Stage::Canceled, Some(at(MON, 10, 0)))
    );
    assert_eq!(next_deadline(&r.clocks), None);
}

#[test]
fn an_explicit_cancel_condition_replaces_the_default() {
    let d = with(resolution("p1", 4, None), |d| {
        d.cancel = Some(Condition::CategoryIn(vec![Canceled]));
    });
    then(
        d,
        &vec![
            (at(MON, 9, 0), view(Open)),
            // Start no longer holds, but that is no longer what cancels.
            (at(MON, 10, 0), with_priority(view(Open), 2)),
            (at(MON, 11, 0), with_priority(view(Canceled), 2)),
        ],
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "canceled p1#1 at Mon 02 11:00",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// pause, freeze, none

#[test]
fn a_pause_moves_the_deadline_out_and_keeps_the_original() {
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Pending)),
        (at(MON, 11, 0), view(Open)),
        (at(MON, 15, 0), view(Resolved)),
    ];
    let r = run(&defs(vec![resolution("p1", 4, None)]), &timeline, None);
    assert_eq!(
        summary(&r.events),
        [
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "paused p1#1 at Mon 02 10:00",
            "resumed p1#1 at Mon 02 11:00 due Mon 02 14:00",
            "breached p1#1 at Mon 02 14:00",
            "completed p1#1 at Mon 02 15:00 breached",
        ]
    );
    let c = only_clock(&r);
    assert_eq!(c.original_deadline(), at(MON, 13, 0));
    assert_eq!(c.deadline(), at(MON, 14, 0));
    assert_eq!(c.paused_business(), hours(1));
    assert_eq!(c.paused_actual(), hours(1));
}

#[test]
fn a_pause_over_a_weekend_moves_the_deadline_by_the_business_hours_paused_only() {
    let d = resolution("p1", 4, Some(OFFICE));
    // Friday 15:00 + 4 business hours: Friday 15-17, Monday 09-11.
    let started = (at(FRI, 15, 0), view(Open));
    // Pending Friday 16:00 to Monday 10:00: 66 wall hours, 2 business hours (Fri 16-17,
    // Mon 09-10).
    let timeline = vec![
        started.clone(),
        (at(FRI, 16, 0), view(Pending)),
        (at(MON2, 10, 0), view(Open)),
    ];
    let r = run(&defs(vec![d.clone()]), &timeline, None);
    assert_eq!(
        summary(&r.events),
        [
            "attached p1#1 at Fri 06 15:00 from Fri 06 15:00 due Mon 09 11:00",
            "paused p1#1 at Fri 06 16:00",
            // 3 hours left at 10:00: 10-12 and 13-14.
            "resumed p1#1 at Mon 09 10:00 due Mon 09 14:00",
        ]
    );
    let c = only_clock(&r);
    assert_eq!(c.original_deadline(), at(MON2, 11, 0));
    assert_eq!(c.paused_business(), hours(2));
    assert_eq!(c.paused_actual(), hours(66));
    // Pending only while closed (Friday 17:30 to Monday 08:30): the deadline does not move.
    let timeline = vec![
        started,
        (at(FRI, 17, 30), view(Pending)),
        (at(MON2, 8, 30), view(Open)),
    ];
    let r = run(&defs(vec![d]), &timeline, None);
    assert_eq!(
        summary(&r.events)[2],
        "resumed p1#1 at Mon 09 08:30 due Mon 09 11:00"
    );
    let c = only_clock(&r);
    assert_eq!(c.deadline(), c.original_deadline());
    assert_eq!(c.paused_business(), Duration::zero());
    assert_eq!(c.paused_actual(), hours(63));
    // Around the clock, the same 66 hours all count.
    let r = run(
        &defs(vec![resolution("p1", 4, Some(ALWAYS))]),
        &[
            (at(FRI, 15, 0), view(Open)),
            (at(FRI, 16, 0), view(Pending)),
            (at(MON2, 10, 0), view(Open)),
        ],
        None,
    );
    assert_eq!(
        summary(&r.events)[2],
        "resumed p1#1 at Mon 09 10:00 due Mon 09 13:00"
    );
}

#[test]
fn next_deadline_is_none_while_paused_and_ticks_then_do_nothing() {
    let defs = defs(vec![resolution("p1", 4, None)]);
    let calendars = calendars();
    let ctx = |now| Context::new(now, &defs, &calendars);
    let mut clocks = Clocks::new();
    for (t, v) in [(at(MON, 9, 0), view(Open)), (at(MON, 10, 0), view(Pending))] {
        let events = decide(&clocks, &Input::Update(v), &ctx(t)).unwrap();
        clocks = events.iter().fold(clocks, evolve);
    }
    assert_eq!(clocks.clocks()[0].stage(), Stage::Paused);
    assert_eq!(next_deadline(&clocks), None);
    // Long past the original deadline, a tick changes nothing.
    assert_eq!(
        decide(&clocks, &Input::Tick, &ctx(at(TUE, 9, 0))).unwrap(),
        []
    );
}

#[test]
fn freeze_keeps_the_deadline_and_fires_the_breach_on_resume() {
    let d = with(resolution("z", 4, None), |d| {
        d.pause_mode = PauseMode::Freeze
    });
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Pending)),
        (at(MON, 14, 30), view(Open)),
    ];
    let defs = defs(vec![d.clone()]);
    let r = run(&defs, &timeline, None);
    assert_eq!(
        summary(&r.events),
        [
            "attached z#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "paused z#1 at Mon 02 10:00",
            "resumed z#1 at Mon 02 14:30 due Mon 02 13:00",
            // Stamped with the deadline, fired on resume.
            "breached z#1 at Mon 02 13:00",
        ]
    );
    let c = only_clock(&r);
    assert_eq!(c.deadline(), c.original_deadline());
    assert!(c.is_breached());
    let m = measure(c, at(MON, 14, 30), &defs, &calendars()).unwrap();
    assert_eq!(m.business_elapsed, hours(1));
    assert_eq!(m.business_paused, minutes(270));
    assert_eq!(m.time_left, -minutes(90));
    // Resumed before the deadline: the breach comes at the unmoved deadline.
    then(
        d.clone(),
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Pending)),
            (at(MON, 11, 0), view(Open)),
        ],
        Some(at(MON, 18, 0)),
        &[
            "attached z#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "paused z#1 at Mon 02 10:00",
            "resumed z#1 at Mon 02 11:00 due Mon 02 13:00",
            "breached z#1 at Mon 02 13:00",
        ],
    );
    // Resolved while frozen, after the deadline: completed breached.
    then(
        d,
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Pending)),
            (at(MON, 14, 0), view(Resolved)),
        ],
        None,
        &[
            "attached z#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "paused z#1 at Mon 02 10:00",
            "completed z#1 at Mon 02 14:00 breached",
        ],
    );
}

#[test]
fn pause_mode_none_ignores_the_pause_condition() {
    let d = with(resolution("n", 4, None), |d| d.pause_mode = PauseMode::None);
    then(
        d,
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Pending)),
            (at(MON, 11, 0), view(Open)),
        ],
        Some(at(MON, 18, 0)),
        &[
            "attached n#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "breached n#1 at Mon 02 13:00",
        ],
    );
}

#[test]
fn a_ticket_that_starts_pending_is_paused_from_the_start() {
    // Created straight into a pending state: the clock attaches paused and the time pending
    // does not count (`check`'s `PausedFromStart` finding says so, too).
    let timeline = vec![(at(MON, 9, 0), view(Pending)), (at(MON, 11, 0), view(Open))];
    then(
        resolution("p1", 4, None),
        &timeline,
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "paused p1#1 at Mon 02 09:00",
            "resumed p1#1 at Mon 02 11:00 due Mon 02 15:00",
        ],
    );
}

#[test]
fn an_explicit_resume_condition_keeps_the_clock_paused_until_it_holds() {
    let d = with(resolution("p1", 4, None), |d| {
        d.resume = Some(Condition::CategoryIn(vec![Open]));
    });
    then(
        d,
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Pending)),
            // No longer pending, but not open either: still paused.
            (at(MON, 11, 0), view(New)),
            (at(MON, 12, 0), view(Open)),
        ],
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "paused p1#1 at Mon 02 10:00",
            "resumed p1#1 at Mon 02 12:00 due Mon 02 15:00",
        ],
    );
}

#[test]
fn a_reopen_into_pending_continues_paused() {
    let d = with(resolution("p1", 4, None), |d| {
        d.reopen = ReopenMode::Continue
    });
    then(
        d,
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Resolved)),
            (at(MON, 11, 0), view(Pending)),
            (at(MON, 12, 0), view(Open)),
        ],
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "completed p1#1 at Mon 02 10:00",
            "reopened p1#1 at Mon 02 11:00 due Mon 02 13:00",
            "paused p1#1 at Mon 02 11:00",
            "resumed p1#1 at Mon 02 12:00 due Mon 02 14:00",
        ],
    );
}

#[test]
fn resolved_exactly_at_the_deadline_counts_as_breached() {
    // The deadline is the instant the target is used up (100.00%): the breach fires at it,
    // before an update at the same instant is looked at.
    then(
        resolution("p1", 4, None),
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 13, 0), view(Resolved)),
        ],
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "breached p1#1 at Mon 02 13:00",
            "completed p1#1 at Mon 02 13:00 breached",
        ],
    );
    then(
        resolution("p1", 4, None),
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 13, 0) - Duration::seconds(1), view(Resolved)),
        ],
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "completed p1#1 at Mon 02 12:59",
        ],
    );
}

#[test]
fn completing_a_paused_clock_keeps_its_last_pause_as_paused_time() {
    // Resolved straight from pending: the last pause is paused time, in business and wall
    // time alike.
    for calendar in [None, Some(OFFICE)] {
        let defs = defs(vec![resolution("p1", 4, calendar)]);
        let timeline = vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Pending)),
            (at(MON, 11, 0), view(Resolved)),
        ];
        let r = run(&defs, &timeline, None);
        let c = only_clock(&r);
        assert_eq!((c.stage(), c.is_breached()), (Stage::Completed, false));
        let m = measure(c, at(TUE, 9, 0), &defs, &calendars()).unwrap();
        assert_eq!(m.business_elapsed, hours(1), "{calendar:?}");
        assert_eq!(m.business_paused, hours(1), "{calendar:?}");
        assert_eq!(m.actual_elapsed, hours(1), "{calendar:?}");
        assert_eq!(m.actual_paused, hours(1), "{calendar:?}");
        assert_eq!(m.time_left, hours(3), "{calendar:?}");
    }
}

// ---------------------------------------------------------------------------------------
// retroactive start, thresholds, escalations, ticks

#[test]
fn a_retroactive_start_counts_from_creation_and_fires_past_thresholds_at_their_instants() {
    let d = with(resolution("p1", 4, None), |d| {
        d.retroactive_start = Some("opened_at".into());
        d.thresholds = vec![50, 75];
    });
    let opened = |v| with_time(v, "opened_at", at(MON, 8, 0));
    let timeline = vec![
        (at(MON, 8, 0), opened(with_priority(view(New), 3))),
        // Re-prioritised at 11:00: counts from 08:00.
        (at(MON, 11, 0), opened(view(Open))),
    ];
    then(
        d.clone(),
        &timeline,
        Some(at(MON, 18, 0)),
        &[
            "attached p1#1 at Mon 02 11:00 from Mon 02 08:00 due Mon 02 12:00",
            "50% p1#1 at Mon 02 10:00",
            "75% p1#1 at Mon 02 11:00",
            "breached p1#1 at Mon 02 12:00",
        ],
    );
    // On the office calendar, from 08:00 (closed): 50% = 2h at 11:00, 75% = 3h at 12:00.
    let office = with(d.clone(), |d| d.calendar = Some(OFFICE.into()));
    then(
        office,
        &vec![(at(MON, 11, 30), opened(view(Open)))],
        None,
        &[
            "attached p1#1 at Mon 02 11:30 from Mon 02 08:00 due Mon 02 14:00",
            "50% p1#1 at Mon 02 11:00",
        ],
    );
    // A timestamp in the future, or none, counts from now.
    for v in [
        with_time(view(Open), "opened_at", at(TUE, 8, 0)),
        view(Open),
    ] {
        then(
            d.clone(),
            &vec![(at(MON, 11, 0), v)],
            None,
            &["attached p1#1 at Mon 02 11:00 from Mon 02 11:00 due Mon 02 15:00"],
        );
    }
}

#[test]
fn thresholds_breach_and_escalations_fire_at_their_instants_in_order() {
    let d = with(resolution("p1", 4, Some(OFFICE)), |d| {
        d.thresholds = vec![75, 50];
        d.escalations = vec![
            EscalationRule::new("director", Duration::seconds(2 * 3600)),
            EscalationRule::new("warn", Duration::seconds(-1800)),
            EscalationRule::new("at-deadline", Duration::seconds(0)),
            EscalationRule::new("manager", Duration::seconds(3600)),
        ];
    });
    // Attached at 11:00; 4 business hours: 11-12, 13-16.
    then(
        d,
        &vec![(at(MON, 11, 0), view(Open))],
        Some(at(TUE, 12, 0)),
        &[
            "attached p1#1 at Mon 02 11:00 from Mon 02 11:00 due Mon 02 16:00",
            "50% p1#1 at Mon 02 14:00",
            "75% p1#1 at Mon 02 15:00",
            "escalation warn p1#1 at Mon 02 15:30",
            "breached p1#1 at Mon 02 16:00",
            "escalation at-deadline p1#1 at Mon 02 16:00",
            // An hour of business time after 16:00 ends at closing time.
            "escalation manager p1#1 at Mon 02 17:00",
            "escalation director p1#1 at Tue 03 10:00",
        ],
    );
}

#[test]
fn thresholds_around_lunch() {
    // 2 hours from 11:00: 50% at 12:00 (closing for lunch), 75% at 13:30, due 14:00.
    let d = with(resolution("p1", 2, Some(OFFICE)), |d| {
        d.thresholds = vec![50, 75]
    });
    then(
        d,
        &vec![(at(MON, 11, 0), view(Open))],
        Some(at(MON, 18, 0)),
        &[
            "attached p1#1 at Mon 02 11:00 from Mon 02 11:00 due Mon 02 14:00",
            "50% p1#1 at Mon 02 12:00",
            "75% p1#1 at Mon 02 13:30",
            "breached p1#1 at Mon 02 14:00",
        ],
    );
}

#[test]
fn ticks_before_next_deadline_emit_nothing_and_at_it_exactly_the_due_alarms() {
    let d = with(resolution("p1", 4, None), |d| {
        d.thresholds = vec![50, 75];
        d.escalations = vec![EscalationRule::new("early", Duration::seconds(-7200))];
    });
    let defs = defs(vec![d]);
    let calendars = calendars();
    let ctx = |now| Context::new(now, &defs, &calendars);
    let events = decide(
        &Clocks::new(),
        &Input::Update(view(Open)),
        &ctx(at(MON, 9, 0)),
    )
    .unwrap();
    let mut clocks = events.iter().fold(Clocks::new(), evolve);
    // 50% (11:00) and the escalation two hours before 13:00 fall at the same instant.
    let due = next_deadline(&clocks).unwrap();
    assert_eq!(due, at(MON, 11, 0));
    let before = due - Duration::nanoseconds(1);
    assert_eq!(decide(&clocks, &Input::Tick, &ctx(before)).unwrap(), []);
    assert_eq!(
        decide(&clocks, &Input::Tick, &ctx(at(MON, 10, 0))).unwrap(),
        []
    );
    let fired = decide(&clocks, &Input::Tick, &ctx(due)).unwrap();
    assert_eq!(
        summary(&fired),
        [
            "50% p1#1 at Mon 02 11:00",
            "escalation early p1#1 at Mon 02 11:00"
        ]
    );
    clocks = fired.iter().fold(clocks, evolve);
    let kinds: Vec<_> = clocks.clocks()[0]
        .alarms()
        .iter()
        .map(|a| a.kind().clone())
        .collect();
    assert_eq!(kinds, [AlarmKind::Threshold(75), AlarmKind::Breach]);
    assert_eq!(next_deadline(&clocks), Some(at(MON, 12, 0)));
    // A spurious tick at the same instant is a harmless no-op.
    assert_eq!(decide(&clocks, &Input::Tick, &ctx(due)).unwrap(), []);
    // A late tick fires everything due, each stamped with its own instant, in order.
    let late = decide(&clocks, &Input::Tick, &ctx(at(MON, 20, 0))).unwrap();
    assert_eq!(
        summary(&late),
        ["75% p1#1 at Mon 02 12:00", "breached p1#1 at Mon 02 13:00"]
    );
    clocks = late.iter().fold(clocks, evolve);
    assert_eq!(next_deadline(&clocks), None);
}

// ---------------------------------------------------------------------------------------
// errors

#[test]
fn time_going_backwards_is_an_error() {
    let defs = defs(vec![resolution("p1", 4, None)]);
    let calendars = calendars();
    let ctx = |now| Context::new(now, &defs, &calendars);
    let events = decide(
        &Clocks::new(),
        &Input::Update(view(Open)),
        &ctx(at(MON, 10, 0)),
    )
    .unwrap();
    let clocks = events.iter().fold(Clocks::new(), evolve);
    let expected = Error::ClockWentBackwards {
        last: at(MON, 10, 0),
        now: at(MON, 9, 0),
    };
    for input in [Input::Tick, Input::Update(view(Resolved))] {
        assert_eq!(
            decide(&clocks, &input, &ctx(at(MON, 9, 0))),
            Err(expected.clone())
        );
    }
    assert_eq!(
        expected.to_string(),
        "the clock went backwards: now is 2026-03-02 09:00:00 UTC but the last input was at \
         2026-03-02 10:00:00 UTC; time must not decrease"
    );
    // A timeline out of order is refused, even when the later view changed nothing.
    let timeline = vec![
        (at(MON, 10, 0), view(Resolved)),
        (at(MON, 9, 0), view(Open)),
    ];
    assert_eq!(replay(&timeline, &defs, &calendars, None), Err(expected));
}

#[test]
fn an_unknown_calendar_is_an_error_naming_the_known_ones() {
    let d = resolution("p1", 4, Some("nowhere"));
    let defs = defs(vec![d]);
    let calendars = calendars();
    let ctx = Context::new(at(MON, 9, 0), &defs, &calendars);
    let err = decide(&Clocks::new(), &Input::Update(view(Open)), &ctx).unwrap_err();
    assert_eq!(
        err,
        Error::UnknownCalendar {
            id: "p1".into(),
            calendar: "nowhere".into(),
            known: vec![ALWAYS.into(), OFFICE.into(), OFFICE8.into()],
        }
    );
    assert_eq!(
        err.to_string(),
        "SLA definition `p1` uses calendar `nowhere`, which is not among the calendars given; \
         known: 24x7, office, office8"
    );
    // A tick evaluates no definition, so it does not fail.
    assert_eq!(decide(&Clocks::new(), &Input::Tick, &ctx), Ok(vec![]));
}

#[test]
fn definitions_are_checked_when_built() {
    let d = resolution("p1", 4, None);
    assert_eq!(
        Definitions::new(vec![d.clone(), d.clone()], Selection::All),
        Err(Error::DuplicateDefinition { id: "p1".into() })
    );
    let zero = with(d.clone(), |d| d.target = Duration::zero());
    let err = Definitions::new(vec![zero], Selection::All).unwrap_err();
    assert_eq!(
        err,
        Error::NonPositiveTarget {
            id: "p1".into(),
            target: Duration::zero(),
        }
    );
    assert_eq!(
        err.to_string(),
        "SLA definition `p1` has a target of PT0S; it must be positive"
    );
    let long = with(d, |d| {
        d.target = itsm_sla::MAX_TARGET + Duration::nanoseconds(1)
    });
    let err = Definitions::new(vec![long], Selection::All).unwrap_err();
    assert_eq!(
        err.to_string(),
        "SLA definition `p1` has a target of P73200DT0.000000001S; at most P73200D (200 years) \
         is supported"
    );
}

#[test]
fn a_deadline_past_the_calendar_horizon_is_an_error() {
    // The calendars end with 2026; a year of business time from March does not fit.
    let d = resolution("p1", 24 * 365, Some(OFFICE));
    let err = replay(
        &[(at(MON, 9, 0), view(Open))],
        &defs(vec![d]),
        &calendars(),
        None,
    )
    .unwrap_err();
    let Error::CalendarQuery {
        ref id,
        ref calendar,
        ref source,
    } = err
    else {
        panic!("{err:?}");
    };
    assert_eq!((id.as_str(), calendar.as_str()), ("p1", OFFICE));
    assert!(
        matches!(**source, itsm_calendar::Error::PastHorizon { .. }),
        "{err:?}"
    );
    // The message adds the context; the calendar's own error is the source, printed once
    // by a reporter that walks the chain.
    assert_eq!(
        err.to_string(),
        "SLA definition `p1`: business time on calendar `office` cannot be computed"
    );
    let inner = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(inner, Some(source.to_string()));
    assert!(!err.to_string().contains(&source.to_string()));
}

#[test]
fn the_replayed_clocks_are_the_fold_of_the_replayed_events() {
    // The last view changes nothing: the state must still be what the events fold to, so a
    // host that stores only events rebuilds exactly the same clocks.
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), with_priority(view(Open), 2)),
        (at(MON, 11, 0), with_priority(view(Resolved), 2)),
    ];
    let r = run(&defs(vec![resolution("p1", 4, None)]), &timeline, None);
    assert_eq!(r.events.len(), 2);
    assert_eq!(r.events.iter().fold(Clocks::new(), evolve), r.clocks);
    assert_eq!(r.clocks.last_input(), Some(at(MON, 10, 0)));
}

// ---------------------------------------------------------------------------------------
// reopen

fn reopened(mode: ReopenMode, calendar: Option<&str>) -> Definition {
    with(resolution("p1", 4, calendar), |d| d.reopen = mode)
}

#[test]
fn reopen_new_cycle_attaches_cycle_two_with_the_full_target() {
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Resolved)),
        (at(MON, 12, 0), view(Open)),
    ];
    let r = run(
        &defs(vec![reopened(ReopenMode::NewCycle, None)]),
        &timeline,
        None,
    );
    assert_eq!(
        summary(&r.events),
        [
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "completed p1#1 at Mon 02 10:00",
            "attached p1#2 at Mon 02 12:00 from Mon 02 12:00 due Mon 02 16:00",
        ]
    );
    let cycles: Vec<_> = r
        .clocks
        .clocks()
        .iter()
        .map(|c| (c.cycle(), c.stage()))
        .collect();
    assert_eq!(cycles, [(1, Stage::Completed), (2, Stage::InProgress)]);
}

#[test]
fn reopen_new_cycle_with_a_retroactive_start_counts_from_the_reopen() {
    // The timestamp (creation) lies before the first cycle's end: the new cycle must not
    // count the first cycle and the time resolved again.
    let d = with(reopened(ReopenMode::NewCycle, None), |d| {
        d.retroactive_start = Some("opened_at".into());
    });
    let opened = |v| with_time(v, "opened_at", at(MON, 8, 0));
    then(
        d,
        &vec![
            (at(MON, 9, 0), opened(view(Open))),
            (at(MON, 10, 0), opened(view(Resolved))),
            (at(MON, 20, 0), opened(view(Open))),
        ],
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 08:00 due Mon 02 12:00",
            "completed p1#1 at Mon 02 10:00",
            "attached p1#2 at Mon 02 20:00 from Mon 02 20:00 due Tue 03 00:00",
        ],
    );
}

#[test]
fn reopen_continue_counts_the_time_resolved_as_elapsed() {
    let defs = defs(vec![reopened(ReopenMode::Continue, None)]);
    let early = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Resolved)),
        (at(MON, 11, 0), view(Open)),
    ];
    let r = run(&defs, &early, None);
    assert_eq!(
        summary(&r.events)[2..],
        ["reopened p1#1 at Mon 02 11:00 due Mon 02 13:00"]
    );
    let c = only_clock(&r);
    assert_eq!((c.stage(), c.ended_at()), (Stage::InProgress, None));
    let m = measure(c, at(MON, 11, 0), &defs, &calendars()).unwrap();
    assert_eq!(m.business_elapsed, hours(2));
    assert_eq!(m.business_paused, hours(0));
    // Reopened after the deadline: the breach fires at once, stamped with the deadline.
    let late = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Resolved)),
        (at(MON, 14, 0), view(Open)),
    ];
    let r = run(&defs, &late, None);
    assert_eq!(
        summary(&r.events),
        [
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "completed p1#1 at Mon 02 10:00",
            "reopened p1#1 at Mon 02 14:00 due Mon 02 13:00",
            "breached p1#1 at Mon 02 13:00",
        ]
    );
    assert!(only_clock(&r).is_breached());
}

#[test]
fn reopen_pause_while_resolved_counts_the_time_resolved_as_paused() {
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Resolved)),
        (at(MON, 14, 0), view(Open)),
    ];
    let defs24 = defs(vec![reopened(ReopenMode::PauseWhileResolved, None)]);
    let r = run(&defs24, &timeline, None);
    assert_eq!(
        summary(&r.events)[2..],
        ["reopened p1#1 at Mon 02 14:00 due Mon 02 17:00"]
    );
    let c = only_clock(&r);
    assert_eq!(c.original_deadline(), at(MON, 13, 0));
    assert_eq!(c.paused_business(), hours(4));
    assert!(!c.is_breached());
    // On the office calendar, resolved Friday 16:00 to Monday 10:00 is 2 business hours.
    let office = defs(vec![reopened(ReopenMode::PauseWhileResolved, Some(OFFICE))]);
    let r = run(
        &office,
        &[
            (at(FRI, 15, 0), view(Open)),
            (at(FRI, 16, 0), view(Resolved)),
            (at(MON2, 10, 0), view(Open)),
        ],
        None,
    );
    assert_eq!(
        summary(&r.events)[2..],
        ["reopened p1#1 at Mon 09 10:00 due Mon 09 14:00"]
    );
}

#[test]
fn reopen_pause_while_resolved_in_freeze_mode_moves_the_deadline_by_the_time_resolved_only() {
    // Frozen 10-11 (the deadline stays at 13:00), resolved 12-13 (counted as paused: the
    // deadline moves to 14:00, not 15:00).
    let d = with(reopened(ReopenMode::PauseWhileResolved, None), |d| {
        d.pause_mode = PauseMode::Freeze;
    });
    then(
        d,
        &vec![
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Pending)),
            (at(MON, 11, 0), view(Open)),
            (at(MON, 12, 0), view(Resolved)),
            (at(MON, 13, 0), view(Open)),
        ],
        None,
        &[
            "attached p1#1 at Mon 02 09:00 from Mon 02 09:00 due Mon 02 13:00",
            "paused p1#1 at Mon 02 10:00",
            "resumed p1#1 at Mon 02 11:00 due Mon 02 13:00",
            "completed p1#1 at Mon 02 12:00",
            "reopened p1#1 at Mon 02 13:00 due Mon 02 14:00",
        ],
    );
}

#[test]
fn reopening_a_clock_completed_while_paused_keeps_the_pause() {
    // Pending 10-11, resolved from pending at 11, reopened at 12.
    let timeline = vec![
        (at(MON, 9, 0), view(Open)),
        (at(MON, 10, 0), view(Pending)),
        (at(MON, 11, 0), view(Resolved)),
        (at(MON, 12, 0), view(Open)),
    ];
    // Continue: the pause (1h) moves the deadline, the time resolved (1h) counts.
    let r = run(
        &defs(vec![reopened(ReopenMode::Continue, None)]),
        &timeline,
        None,
    );
    assert_eq!(
        summary(&r.events)[3..],
        ["reopened p1#1 at Mon 02 12:00 due Mon 02 14:00"]
    );
    assert_eq!(only_clock(&r).paused_business(), hours(1));
    // Pause while resolved: both hours are paused.
    let r = run(
        &defs(vec![reopened(ReopenMode::PauseWhileResolved, None)]),
        &timeline,
        None,
    );
    assert_eq!(
        summary(&r.events)[3..],
        ["reopened p1#1 at Mon 02 12:00 due Mon 02 15:00"]
    );
    let c = only_clock(&r);
    assert_eq!(c.paused_business(), hours(2));
    assert_eq!(c.paused_actual(), hours(2));
    assert_eq!(c.paused_since(), None);
}

// ---------------------------------------------------------------------------------------
// selection

fn competing() -> Vec<Definition> {
    let vip = with(resolution("vip-2h", 2, None), |d| {
        d.start = Condition::FieldIn {
            field: "vip".into(),
            values: vec!["yes".into()],
        };
    });
    let any = with(resolution("any-8h", 8, None), |d| {
        d.start = Condition::Always
    });
    let response = with(resolution("response-1h", 1, None), |d| {
        d.kind = Target::Response;
        d.start = Condition::Always;
        d.stop = Condition::Not(Box::new(Condition::CategoryIn(vec![New])));
    });
    vec![resolution("p1-4h", 4, None), vip, any, response]
}

fn attached_ids(selection: Selection, timeline: &Timeline) -> Vec<String> {
    let defs = Definitions::new(competing(), selection).unwrap();
    let r = run(&defs, timeline, None);
    r.events
        .iter()
        .filter_map(|e| match e {
            Event::Attached { clock } => Some(format!(
                "{}@{}",
                clock.definition(),
                clock.attached_at().format("%H")
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn selection_decides_among_definitions_matching_at_once() {
    let both = vec![(at(MON, 9, 0), with_field(view(New), "vip", "yes"))];
    assert_eq!(
        attached_ids(Selection::All, &both),
        ["p1-4h@09", "vip-2h@09", "any-8h@09", "response-1h@09"]
    );
    // First in list order per target kind; the response clock is another kind.
    assert_eq!(
        attached_ids(Selection::FirstMatch, &both),
        ["p1-4h@09", "response-1h@09"]
    );
    // iTop: the shortest target wins.
    assert_eq!(
        attached_ids(Selection::ShortestTarget, &both),
        ["vip-2h@09", "response-1h@09"]
    );
}

#[test]
fn selection_waits_for_the_running_clock_of_the_kind() {
    let timeline = vec![
        (at(MON, 9, 0), view(New)),
        // Becomes VIP: under All another clock attaches; otherwise the running one stays.
        (at(MON, 10, 0), with_field(view(New), "vip", "yes")),
        // Priority 2: the P1 clock is canceled. Under the exclusive rules the best
        // remaining match now attaches.
        (
            at(MON, 11, 0),
            with_priority(with_field(view(New), "vip", "yes"), 2),
        ),
    ];
    assert_eq!(
        attached_ids(Selection::All, &timeline),
        ["p1-4h@09", "any-8h@09", "response-1h@09", "vip-2h@10"]
    );
    assert_eq!(
        attached_ids(Selection::FirstMatch, &timeline),
        ["p1-4h@09", "response-1h@09", "vip-2h@11"]
    );
    assert_eq!(
        attached_ids(Selection::ShortestTarget, &timeline),
        ["p1-4h@09", "response-1h@09", "vip-2h@11"]
    );
}

// ---------------------------------------------------------------------------------------
// business days, measures

#[test]
fn a_one_day_target_on_an_eight_hour_calendar_is_one_business_day() {
    // ServiceNow's example: a 24-hour target on an 8-hour schedule is three business days.
    let one = resolution("one-day", 8, Some(OFFICE8));
    let three = resolution("three-days", 24, Some(OFFICE8));
    // The lunch calendar has 7 business hours a day.
    let lunch_one = resolution("lunch-one-day", 7, Some(OFFICE));
    let lunch_three = resolution("lunch-three-days", 21, Some(OFFICE));
    let r = run(
        &defs(vec![one, three, lunch_one, lunch_three]),
        &[(at(MON, 9, 0), view(Open))],
        None,
    );
    let deadlines: Vec<_> = r
        .clocks
        .clocks()
        .iter()
        .map(|c| (c.definition(), fmt(c.deadline())))
        .collect();
    assert_eq!(
        deadlines,
        [
            ("one-day", "Mon 02 17:00".to_owned()),
            ("three-days", "Wed 04 17:00".to_owned()),
            ("lunch-one-day", "Mon 02 17:00".to_owned()),
            ("lunch-three-days", "Wed 04 17:00".to_owned()),
        ]
    );
}

#[test]
fn measure_keeps_wall_business_and_paused_time_apart() {
    let defs = defs(vec![resolution("p1", 4, Some(OFFICE))]);
    let timeline = vec![
        (at(FRI, 15, 0), view(Open)),
        (at(FRI, 16, 0), view(Pending)),
        (at(MON2, 10, 0), view(Open)),
    ];
    let r = run(&defs, &timeline, None);
    let c = only_clock(&r);
    let m = measure(c, at(MON2, 11, 0), &defs, &calendars()).unwrap();
    // Friday 15:00 to Monday 11:00: 68 wall hours, 66 of them paused; 4 business hours, 2
    // of them paused.
    assert_eq!(m.actual_elapsed, hours(2));
    assert_eq!(m.actual_paused, hours(66));
    assert_eq!(m.business_elapsed, hours(2));
    assert_eq!(m.business_paused, hours(2));
    // Due 14:00: 11-12 and 13-14.
    assert_eq!(m.time_left, hours(2));
    assert_eq!(m.percent_hundredths, 5000);
}

#[test]
fn measure_while_paused_shows_the_time_left_frozen() {
    let defs = defs(vec![resolution("p1", 4, Some(OFFICE))]);
    let timeline = vec![
        (at(FRI, 15, 0), view(Open)),
        (at(FRI, 16, 0), view(Pending)),
    ];
    let r = run(&defs, &timeline, None);
    let c = only_clock(&r);
    for now in [at(FRI, 16, 30), at(SAT, 12, 0), at(MON2, 11, 0)] {
        let m = measure(c, now, &defs, &calendars()).unwrap();
        assert_eq!(m.business_elapsed, hours(1), "{now}");
        assert_eq!(m.time_left, hours(3), "{now}");
        assert_eq!(m.percent_hundredths, 2500, "{now}");
    }
    let m = measure(c, at(MON2, 11, 0), &defs, &calendars()).unwrap();
    assert_eq!(m.business_paused, hours(3));
    assert_eq!(m.actual_paused, hours(67));
}

#[test]
fn percent_is_truncated_so_no_breach_is_reported_early() {
    let defs = defs(vec![resolution("p1", 4, None)]);
    let r = run(&defs, &[(at(MON, 9, 0), view(Open))], None);
    let c = only_clock(&r);
    let calendars = calendars();
    let pct = |t| measure(c, t, &defs, &calendars).unwrap().percent_hundredths;
    // One second short of the deadline: 99.993%, which two-decimal rounding shows as 100.00.
    assert_eq!(pct(at(MON, 13, 0) - Duration::seconds(1)), 9999);
    assert_eq!(pct(at(MON, 13, 0)), 10_000);
    assert_eq!(pct(at(MON, 11, 0)), 5000);
    assert_eq!(pct(at(MON, 15, 0)), 15_000);
    let m = measure(c, at(MON, 15, 0), &defs, &calendars).unwrap();
    assert_eq!(m.time_left, -hours(2));
}

#[test]
fn measuring_a_clock_of_an_unknown_definition_says_so() {
    let r = run(
        &defs(vec![resolution("p1", 4, None)]),
        &[(at(MON, 9, 0), view(Open))],
        None,
    );
    let other = defs(vec![resolution("p2", 4, None)]);
    let err = measure(only_clock(&r), at(MON, 10, 0), &other, &calendars()).unwrap_err();
    assert_eq!(
        err,
        Error::UnknownDefinition {
            id: "p1".into(),
            known: vec!["p2".into()],
        }
    );
    assert_eq!(
        err.to_string(),
        "no SLA definition has the id `p1`; known: p2"
    );
}

/// The events of a new ticket's first update at `t0`: every definition that starts attaches.
fn attach_new(
    definitions: &Definitions,
    cals: &itsm_sla::Calendars,
    t0: DateTime<Utc>,
) -> Vec<Event> {
    decide(
        &Clocks::new(),
        &Input::Update(view(New)),
        &Context::new(t0, definitions, cals),
    )
    .unwrap()
}

/// Many running clocks whose alarms all fall due before one tick: every alarm fires once,
/// in time order, and the clocks are left without alarms. (The next
/// alarm used to be looked for among every pair of clocks, once per alarm fired: a tick
/// over 1,000 clocks with three alarms each took seconds.)
#[test]
fn a_tick_over_many_clocks_fires_every_due_alarm_in_time_order() {
    let n = 400usize;
    let list: Vec<Definition> = (0..n)
        .map(|i| {
            let mut d = Definition::new(
                format!("d{i:03}"),
                Target::Resolution,
                Duration::minutes(60 + (i % 37) as i64),
            );
            d.thresholds = vec![50, 75];
            d
        })
        .collect();
    let definitions = defs(list);
    let cals = calendars();
    let t0 = at(2, 9, 0);
    let attach = attach_new(&definitions, &cals, t0);
    let mut clocks = Clocks::new();
    clocks.apply(&attach);
    assert_eq!(clocks.clocks().len(), n);
    let fired = decide(
        &clocks,
        &Input::Tick,
        &Context::new(t0 + Duration::days(1), &definitions, &cals),
    )
    .unwrap();
    assert_eq!(fired.len(), 3 * n);
    // Alarms order by instant, then kind (thresholds by percent, before the breach), then
    // definition.
    let keys: Vec<(DateTime<Utc>, u16, String)> = fired
        .iter()
        .map(|e| match e {
            Event::ThresholdReached {
                definition,
                at,
                percent,
                ..
            } => (*at, *percent, definition.clone()),
            Event::Breached { definition, at, .. } => (*at, u16::MAX, definition.clone()),
            other => panic!("not an alarm: {other:?}"),
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let mut after = clocks;
    after.apply(&fired);
    assert!(after.clocks().iter().all(|c| c.alarms().is_empty()));
    assert!(after.clocks().iter().all(|c| c.is_breached()));
}

/// A definition whose condition nests deeper than `MAX_CONDITION_DEPTH` is refused, naming
/// the definition and the condition; one nested a million deep is refused (and dropped) on
/// a thread with a 256 kB stack.
#[test]
fn a_definition_whose_condition_nests_too_deep_is_refused() {
    let nested = |depth: usize| {
        let mut c = Condition::Always;
        for _ in 1..depth {
            c = Condition::Not(Box::new(c));
        }
        c
    };
    let with_pause = |depth: usize| {
        let mut d = Definition::new("p1", Target::Resolution, Duration::hours(4));
        d.pause = nested(depth);
        Definitions::new(vec![d], Selection::All)
    };
    assert!(with_pause(itsm_core::MAX_CONDITION_DEPTH).is_ok());
    assert_eq!(
        with_pause(65).unwrap_err().to_string(),
        "SLA definition `p1`: its pause condition nests 65 deep; at most 64 levels of `all`, `any` and `not` are allowed"
    );
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut d = Definition::new("p2", Target::Response, Duration::hours(1));
            d.resume = Some(nested(1_000_000));
            assert!(matches!(
                Definitions::new(vec![d], Selection::All),
                Err(Error::ConditionTooDeep {
                    condition: "resume",
                    depth: 1_000_000,
                    ..
                })
            ));
        })
        .unwrap()
        .join()
        .unwrap();
}

/// A hand-made log may attach the same (definition, cycle) twice: only the latest clock of
/// the pair is live, so a tick fires the latest's alarms, not its older twin's (whose
/// alarms here fall due an hour earlier).
#[cfg(feature = "serde")]
#[test]
fn a_tick_fires_the_alarms_of_the_latest_of_twin_clocks() {
    let mut d = Definition::new("p1", Target::Resolution, Duration::hours(4));
    d.thresholds = vec![50];
    let definitions = defs(vec![d]);
    let cals = calendars();
    let t0 = at(2, 9, 0);
    let attach = attach_new(&definitions, &cals, t0);
    assert_eq!(attach.len(), 1);
    // The older twin: the same clock, its alarms an hour earlier.
    let mut older = serde_json::to_value(&attach[0]).unwrap();
    let text = older.to_string();
    let shifted = text
        .replace("2026-03-02T11:00:00Z", "2026-03-02T10:00:00Z")
        .replace("2026-03-02T13:00:00Z", "2026-03-02T12:00:00Z");
    assert_ne!(shifted, text, "{text}");
    older = serde_json::from_str(&shifted).unwrap();
    let older: Event = serde_json::from_value(older).unwrap();
    let mut clocks = Clocks::new();
    clocks.apply([&older, &attach[0]]);
    assert_eq!(clocks.clocks().len(), 2);
    let fired = decide(
        &clocks,
        &Input::Tick,
        &Context::new(t0 + Duration::days(1), &definitions, &cals),
    )
    .unwrap();
    let ats: Vec<String> = fired
        .iter()
        .map(|e| match e {
            Event::ThresholdReached { at, .. } | Event::Breached { at, .. } => {
                at.format("%H:%M").to_string()
            }
            other => panic!("not an alarm: {other:?}"),
        })
        .collect();
    assert_eq!(ats, ["11:00", "13:00"]);
}
