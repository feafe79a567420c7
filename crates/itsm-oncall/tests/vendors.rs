//! Conformance: one test per rule the tools document, each naming the tool and the page
//! (ServiceNow On-Call Scheduling, Australia release, from ServiceNow's documentation
//! repository; PagerDuty's and Opsgenie's support pages). Written from the pages, not from
//! this crate's docs.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use chrono::Duration;
use common::*;
use itsm_calendar::{Segment, Week};
use itsm_oncall::{
    Combine, Command, Event, Override, Policy, Restriction, Schedule, ScheduleSpec, Status, Step,
    Target, TimeOff, Turn, Via,
};

fn seg(a: &str, b: &str) -> Segment {
    Segment::parse(a, b).unwrap()
}

fn weekly_team(rosters: usize) -> ScheduleSpec {
    // Monday 4 January 2027, 09:00: turn 0.
    let h = local(2027, 1, 4, 9, 0);
    let names = ["primary", "secondary", "tertiary"];
    let members = [[ANN, BOB, CAT], [DAN, EVE, ANN], [CAT, DAN, EVE]];
    let layers = (0..rosters)
        .map(|i| layer(names[i], &members[i], h, Turn::Weeks(1)))
        .collect();
    let mut spec = ScheduleSpec::new("network", layers);
    spec.combine = Combine::All;
    spec
}

// ---------------------------------------------------------------------------------------
// ServiceNow On-Call Scheduling
// ---------------------------------------------------------------------------------------

/// ServiceNow, "Escalation and reminder settings for rosters"
/// (on-call-scheduling/escalation-remind-settings-oncall): "if Number of reminders is 2 and
/// Time between reminders is 10 minutes, then the Time before escalation is 30 minutes ...
/// the time that passes between the first notification of a non-responsive roster member and
/// the first notification of the next member in the escalation path."
#[test]
fn servicenow_time_before_escalation_is_reminders_plus_one_times_the_interval() {
    let spec = weekly_team(1);
    let policy = Policy::rotate_through_members("network", "primary", 3, 2, Duration::minutes(10));
    let t0 = utc(2027, 1, 5, 2, 0);
    let run = paged(policy, &[spec], t0, 60);
    let notices = run.notices();
    let first_of_next = notices.iter().find(|n| n.1 == 1).unwrap();
    assert_eq!(first_of_next.0, plus(t0, 30));
    // The first member got the first notice and two reminders, ten minutes apart.
    let first: Vec<_> = notices
        .iter()
        .filter(|n| n.1 == 0)
        .map(|n| (n.0, n.2))
        .collect();
    assert_eq!(first, vec![(t0, 0), (plus(t0, 10), 1), (plus(t0, 20), 2)]);
}

/// ServiceNow, "Create an escalation policy" (create-custom-esc-policy-oncall): "If a shift
/// has only one roster, the escalation type is automatically set to Rotate through members
/// and the escalation path goes through the member list of a roster (primary, secondary,
/// tertiary)".
#[test]
fn servicenow_rotate_through_members_walks_the_roster_from_the_member_on_turn() {
    let spec = weekly_team(1);
    let policy = Policy::rotate_through_members("network", "primary", 3, 0, Duration::minutes(15));
    // Second week: Bob's turn, so Bob, then Cat, then Ann.
    let t0 = utc(2027, 1, 12, 2, 0);
    let run = paged(policy, &[spec], t0, 60);
    let order: Vec<_> = run.notices().iter().map(|n| (n.0, n.3.clone())).collect();
    assert_eq!(
        order,
        vec![
            (t0, vec![BOB]),
            (plus(t0, 15), vec![CAT]),
            (plus(t0, 30), vec![ANN])
        ]
    );
    assert_eq!(run.state.status(), Status::Exhausted);
}

/// ServiceNow, "Create an escalation policy" (create-custom-esc-policy-oncall): "If the
/// shift has multiple rosters, the escalation type is automatically set to Rotate through
/// rosters and the escalation path goes through all rosters".
#[test]
fn servicenow_rotate_through_rosters_notifies_each_rosters_member_on_turn() {
    let spec = weekly_team(3);
    let policy = Policy::rotate_through_rosters(
        "network",
        &["primary", "secondary", "tertiary"],
        0,
        Duration::minutes(15),
    );
    let t0 = utc(2027, 1, 5, 2, 0);
    let run = paged(policy, &[spec], t0, 45);
    let order: Vec<_> = run.notices().iter().map(|n| n.3.clone()).collect();
    assert_eq!(order, vec![vec![ANN], vec![DAN], vec![CAT]]);
}

/// ServiceNow, "Create an escalation policy" (create-custom-esc-policy-oncall), the custom
/// step's "Time to next step: Wait time from the last reminder to run the next step".
#[test]
fn servicenow_time_to_next_step_counts_from_the_last_reminder() {
    let spec = weekly_team(1);
    let step = |target| Step {
        targets: vec![target],
        reminders: 1,
        between_reminders: Duration::minutes(5),
        wait: Duration::minutes(20),
        channels: Vec::new(),
    };
    let policy = Policy::new(
        "custom",
        vec![step(Target::User(DAN)), step(Target::User(EVE))],
    );
    let t0 = utc(2027, 1, 5, 2, 0);
    let run = paged(policy, &[spec], t0, 60);
    let at: Vec<_> = run.notices().iter().map(|n| (n.0, n.1)).collect();
    assert_eq!(
        at,
        vec![
            (t0, 0),
            (plus(t0, 5), 0),
            (plus(t0, 25), 1),
            (plus(t0, 30), 1)
        ]
    );
}

/// ServiceNow, "Resolve gaps, conflicts, and time-off requests in a shift"
/// (resolv-gap-conflct-timeoff-oncall): "Possible reasons for gaps are: Time off without
/// coverage".
#[test]
fn servicenow_time_off_without_cover_is_a_gap() {
    let mut spec = weekly_team(1);
    spec.time_off.push(TimeOff {
        member: ANN,
        from: utc(2027, 1, 6, 0, 0),
        to: utc(2027, 1, 7, 0, 0),
        cover: None,
    });
    let s = Schedule::new(&spec).unwrap();
    let gaps = s
        .gaps(utc(2027, 1, 4, 9, 0), utc(2027, 1, 11, 9, 0))
        .unwrap();
    assert_eq!(gaps, vec![(utc(2027, 1, 6, 0, 0), utc(2027, 1, 7, 0, 0))]);
}

/// ServiceNow, "Request time off and suggest who can cover"
/// (schedule-time-off-and-cover-oncall): "Propose cover: Name of a roster member who can
/// provide cover in the absence."
#[test]
fn servicenow_the_proposed_cover_takes_the_members_turn() {
    let mut spec = weekly_team(1);
    spec.time_off.push(TimeOff {
        member: ANN,
        from: utc(2027, 1, 6, 0, 0),
        to: utc(2027, 1, 7, 0, 0),
        cover: Some(CAT),
    });
    let s = Schedule::new(&spec).unwrap();
    let at = s.on_call(utc(2027, 1, 6, 12, 0)).unwrap();
    assert_eq!(users(&at), vec![CAT]);
    assert_eq!(at[0].via, Via::Cover { member: ANN });
    assert_eq!(who(&s, utc(2027, 1, 7, 12, 0)), vec![ANN]);
}

/// ServiceNow, "Resolve gaps, conflicts, and time-off requests in a shift"
/// (resolv-gap-conflct-timeoff-oncall): "A conflict is possible if a user is assigned as both
/// the primary and secondary point of contact for a shift."
#[test]
fn servicenow_a_user_primary_and_secondary_at_once_is_a_conflict() {
    let spec = weekly_team(2);
    let s = Schedule::new(&spec).unwrap();
    // Primary [Ann, Bob, Cat], secondary [Dan, Eve, Ann]: week 2 has Cat and Ann; Ann is
    // primary in weeks 0 and 3, secondary in week 2: no conflict until the rosters meet.
    assert!(
        s.conflicts(utc(2027, 1, 4, 9, 0), utc(2027, 1, 25, 9, 0))
            .unwrap()
            .is_empty()
    );
    let mut spec = spec;
    spec.layers[1].members = vec![DAN, BOB, EVE];
    let s = Schedule::new(&spec).unwrap();
    let conflicts = s
        .conflicts(utc(2027, 1, 4, 9, 0), utc(2027, 1, 25, 9, 0))
        .unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        (conflicts[0].from, conflicts[0].to, conflicts[0].user),
        (utc(2027, 1, 11, 9, 0), utc(2027, 1, 18, 9, 0), BOB)
    );
    assert_eq!(conflicts[0].layers, vec![0, 1]);
}

/// ServiceNow, "Configure a roster" (config-roster-oncall): "Day of week for rotation:
/// Weekday on which the roster rotation should start ... Rotate every: Frequency of the
/// rotation interval ... Rotation start time ... for example 08:00 instead of midnight".
#[test]
fn servicenow_a_weekly_rotation_every_two_weeks_starts_on_its_day_and_time() {
    // Wednesday 6 January 2027 at 08:00, every two weeks.
    let spec = ScheduleSpec::new(
        "dba",
        vec![layer(
            "dba",
            &[ANN, BOB],
            local(2027, 1, 6, 8, 0),
            Turn::Weeks(2),
        )],
    );
    let s = Schedule::new(&spec).unwrap();
    assert_eq!(who(&s, utc(2027, 1, 20, 7, 59)), vec![ANN]);
    assert_eq!(who(&s, utc(2027, 1, 20, 8, 0)), vec![BOB]);
    assert_eq!(who(&s, utc(2027, 2, 3, 8, 0)), vec![ANN]);
    assert_eq!(
        s.turn(0, utc(2027, 1, 25, 0, 0)).unwrap(),
        Some((utc(2027, 1, 20, 8, 0), utc(2027, 2, 3, 8, 0)))
    );
}

/// ServiceNow, "Designing an escalation process" (designing-escalation-process-oncall): "An
/// on-call escalation is canceled when the assignment group of the associated task record
/// ... changes to a different group without a matching trigger rule."
#[test]
fn servicenow_a_canceled_escalation_sends_nothing_more() {
    let spec = weekly_team(1);
    let policy = Policy::rotate_through_members("network", "primary", 3, 2, Duration::minutes(10));
    let mut run = Run::new(policy, schedules(&[spec]));
    let t0 = utc(2027, 1, 5, 2, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    run.at(
        plus(t0, 5),
        SYSTEM,
        Command::Cancel {
            reason: "reassigned to the database group".into(),
        },
    );
    assert!(run.tick(plus(t0, 120)).is_empty());
    assert_eq!(run.state.status(), Status::Canceled);
    assert_eq!(run.notices().len(), 1);
    assert_eq!(itsm_oncall::next_deadline(&run.state), None);
}

/// ServiceNow, "Modify the order of a member in a roster" (set-member-rotation-order-oncall):
/// "You can modify the order number for a member without affecting the past shift
/// schedule"; PagerDuty, "Edit Schedules": "changes apply only to future dates and times".
/// An edit is the old layer ended and a new one started.
#[test]
fn an_edit_from_a_date_leaves_the_past_as_it_was() {
    let h = local(2027, 1, 4, 9, 0);
    let before = ScheduleSpec::new("ops", vec![layer("a", &[ANN, BOB, CAT], h, Turn::Days(1))]);
    let cut = utc(2027, 1, 10, 9, 0);
    let mut old = layer("a", &[ANN, BOB, CAT], h, Turn::Days(1));
    old.ends = Some(cut);
    let mut new = layer("a2", &[CAT, BOB, ANN], h, Turn::Days(1));
    new.starts = Some(cut);
    let after = ScheduleSpec::new("ops", vec![old, new]);
    let (before, after) = (
        Schedule::new(&before).unwrap(),
        Schedule::new(&after).unwrap(),
    );
    let past = |s: &Schedule| s.shifts(utc(2027, 1, 4, 9, 0), cut).unwrap();
    let mut b = past(&before);
    for shift in &mut b {
        for e in &mut shift.on_call {
            e.layer = Some(0);
        }
    }
    assert_eq!(past(&after), b);
    assert_ne!(who(&after, plus(cut, 60)), who(&before, plus(cut, 60)));
}

// ---------------------------------------------------------------------------------------
// PagerDuty
// ---------------------------------------------------------------------------------------

/// PagerDuty, "Schedule Basics" (support.pagerduty.com/docs/schedules): "In a schedule with
/// multiple layers, the lowest layer always takes precedence. If a user on Layer 1 and
/// Layer 2 overlap, the user on Layer 2 will be the one on-call for the period of their
/// overlap. The user on Layer 1 is 'hidden' until the overlap ends".
#[test]
fn pagerduty_the_lowest_layer_takes_precedence_and_hides_the_one_above() {
    let h = local(2027, 1, 4, 0, 0);
    let mut l2 = layer("layer 2", &[BOB], h, Turn::Days(1));
    l2.restriction = Some(Restriction {
        week: Week::every_day(&[Segment::parse("12:00", "14:00").unwrap()]),
        holidays: Vec::new(),
    });
    let spec = ScheduleSpec::new("web", vec![layer("layer 1", &[ANN], h, Turn::Days(1)), l2]);
    let s = Schedule::new(&spec).unwrap();
    assert_eq!(who(&s, utc(2027, 1, 5, 11, 0)), vec![ANN]);
    assert_eq!(who(&s, utc(2027, 1, 5, 13, 0)), vec![BOB]);
    assert_eq!(who(&s, utc(2027, 1, 5, 14, 0)), vec![ANN]);
}

/// PagerDuty, "Escalation Policy vs. Schedule": "Only one person can be on-call at any
/// given time within a single on-call schedule."
#[test]
fn pagerduty_one_person_at_a_time_in_a_schedule() {
    let h = local(2027, 1, 4, 9, 0);
    let spec = ScheduleSpec::new(
        "web",
        vec![
            layer("a", &[ANN, BOB], h, Turn::Days(1)),
            layer("b", &[CAT, DAN], h, Turn::Hours(8)),
            layer("c", &[EVE], h, Turn::Weeks(1)),
        ],
    );
    let s = Schedule::new(&spec).unwrap();
    for shift in s
        .shifts(utc(2027, 1, 1, 0, 0), utc(2027, 2, 1, 0, 0))
        .unwrap()
    {
        assert!(shift.on_call.len() <= 1);
    }
}

/// PagerDuty, "Schedule Basics": "It is also possible that no one is on-call during a given
/// time period ... the schedule is set to 'off' during that time, until the next person
/// starts their on-call shift".
#[test]
fn pagerduty_no_one_on_call_before_a_layer_starts() {
    let mut l = layer("a", &[ANN], local(2027, 1, 4, 9, 0), Turn::Days(1));
    l.starts = Some(utc(2027, 1, 4, 9, 0));
    let s = Schedule::new(&ScheduleSpec::new("web", vec![l])).unwrap();
    assert!(who(&s, utc(2027, 1, 4, 8, 0)).is_empty());
    assert_eq!(
        s.gaps(utc(2027, 1, 4, 0, 0), utc(2027, 1, 5, 0, 0))
            .unwrap(),
        vec![(utc(2027, 1, 4, 0, 0), utc(2027, 1, 4, 9, 0))]
    );
}

/// PagerDuty, "Setting up Restrictions for On-Call Shifts": "we restricted the on-call user
/// to be on call from 19:00-07:00 every weekday ... No one is on call from 07:00-19:00 or at
/// any time during the weekend unless a second layer is created."
#[test]
fn pagerduty_a_weekday_night_restriction_leaves_days_and_weekends_uncovered() {
    let mut l = layer(
        "nights",
        &[ANN, BOB],
        local(2027, 1, 4, 19, 0),
        Turn::Weeks(1),
    );
    l.restriction = Some(Restriction {
        week: Week::weekdays(&[Segment::parse("19:00", "07:00").unwrap()]),
        holidays: Vec::new(),
    });
    let s = Schedule::new(&ScheduleSpec::new("web", vec![l])).unwrap();
    assert_eq!(who(&s, utc(2027, 1, 5, 3, 0)), vec![ANN]); // Tuesday night
    assert!(who(&s, utc(2027, 1, 5, 12, 0)).is_empty()); // Tuesday day
    assert!(who(&s, utc(2027, 1, 9, 22, 0)).is_empty()); // Saturday night
    assert!(who(&s, utc(2027, 1, 10, 12, 0)).is_empty()); // Sunday
}

/// PagerDuty, "Schedule Basics": "I want my shift to begin at 8am and end at 8am (24 hours)
/// every day, so my handoff time would be 8:00".
#[test]
fn pagerduty_a_daily_rotation_hands_off_at_its_handoff_time() {
    let s = Schedule::new(&ScheduleSpec::new(
        "web",
        vec![layer(
            "a",
            &[ANN, BOB, CAT],
            local(2027, 1, 4, 8, 0),
            Turn::Days(1),
        )],
    ))
    .unwrap();
    let shifts = s
        .shifts(utc(2027, 1, 4, 8, 0), utc(2027, 1, 7, 8, 0))
        .unwrap();
    let got: Vec<_> = shifts.iter().map(|x| (x.from, users(&x.on_call))).collect();
    assert_eq!(
        got,
        vec![
            (utc(2027, 1, 4, 8, 0), vec![ANN]),
            (utc(2027, 1, 5, 8, 0), vec![BOB]),
            (utc(2027, 1, 6, 8, 0), vec![CAT])
        ]
    );
}

/// PagerDuty's example policy: the primary schedule, then one person (Jason, here Dan),
/// thirty minutes each.
fn primary_then_one_person() -> Policy {
    Policy::new(
        "default",
        vec![
            Step::after(
                vec![Target::Schedule("primary".into())],
                Duration::minutes(30),
            ),
            Step::after(vec![Target::User(DAN)], Duration::minutes(30)),
        ],
    )
}

fn primary_then_jason(repeat: u32) -> Run {
    let spec = ScheduleSpec::new(
        "primary",
        vec![layer("a", &[ANN], local(2027, 1, 4, 9, 0), Turn::Weeks(1))],
    );
    let mut policy = primary_then_one_person();
    policy.repeat = repeat;
    Run::new(policy, schedules(&[spec]))
}

/// PagerDuty, "Escalation Policy Basics": "if an on-call user in the Primary On-Call Schedule
/// does not acknowledge an incident in 30 minutes, then it will escalate to Jason ... Jason
/// will have 30 minutes to acknowledge the incident before it escalates and starts over from
/// the beginning of the policy. This escalation policy is set up to repeat 9 times."
#[test]
fn pagerduty_an_unacknowledged_incident_escalates_then_starts_over_nine_times() {
    let mut run = primary_then_jason(9);
    let t0 = utc(2027, 1, 5, 2, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    run.tick(plus(t0, 24 * 60));
    let notices = run.notices();
    assert_eq!(notices.len(), 20, "two levels, ten passes");
    assert_eq!(notices[1], (plus(t0, 30), 1, 0, vec![DAN]));
    assert_eq!(notices[2], (plus(t0, 60), 0, 0, vec![ANN]));
    assert_eq!(notices[19].0, plus(t0, 19 * 30));
    assert_eq!(run.state.status(), Status::Exhausted);
    assert!(matches!(run.events.last(), Some(Event::Exhausted { at }) if *at == plus(t0, 600)));
}

/// PagerDuty, "Escalation Policy Basics": "enter the number of minutes that should pass
/// before the incident escalates ... This time period is called the escalation timeout.
/// Incidents will not escalate if" acknowledged; "Incidents": "Acknowledging an incident
/// halts the escalation process."
#[test]
fn pagerduty_acknowledging_halts_the_escalation() {
    let mut run = primary_then_jason(9);
    let t0 = utc(2027, 1, 5, 2, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    run.at(plus(t0, 10), ANN, Command::Acknowledge);
    assert!(run.tick(plus(t0, 24 * 60)).is_empty());
    assert_eq!(run.notices().len(), 1);
    assert_eq!(run.state.acknowledged_by(), Some(ANN));
}

/// PagerDuty, "Acknowledgement Timeouts": "An incident re-triggered by the acknowledgement
/// timeout will re-notify the user who ack'd and the current user on-call if on-call
/// responsibilities have changed since the ack"; "Incidents": "the incident will go from
/// the acknowledged state back to the triggered state and notifications will be sent again;
/// the escalation process is un-paused and continues".
#[test]
fn pagerduty_an_acknowledgement_timeout_renotifies_the_acknowledger_and_the_new_on_call() {
    let spec = ScheduleSpec::new(
        "primary",
        vec![layer(
            "a",
            &[ANN, BOB],
            local(2027, 1, 4, 9, 0),
            Turn::Days(1),
        )],
    );
    let mut policy = primary_then_one_person();
    policy.ack_timeout = Some(Duration::hours(4));
    let mut run = Run::new(policy, schedules(&[spec]));
    let t0 = utc(2027, 1, 5, 7, 0); // Ann's turn until 09:00
    run.at(t0, SYSTEM, Command::Trigger);
    run.at(plus(t0, 5), ANN, Command::Acknowledge);
    run.tick(plus(t0, 5 + 240));
    let last = run.notices().last().cloned().unwrap();
    assert_eq!(last, (plus(t0, 245), 0, 0, vec![ANN, BOB]));
    assert_eq!(run.state.status(), Status::Escalating);
    // Then the escalation continues as defined.
    run.tick(plus(t0, 245 + 30));
    assert_eq!(run.notices().last().unwrap().3, vec![DAN]);
}

/// PagerDuty, "Incidents": "Once an incident is resolved, no additional notifications will be
/// sent and the incident cannot be triggered again."
#[test]
fn pagerduty_a_resolved_incident_sends_nothing_and_cannot_trigger_again() {
    let mut run = primary_then_jason(9);
    let t0 = utc(2027, 1, 5, 2, 0);
    run.at(t0, SYSTEM, Command::Trigger);
    run.at(plus(t0, 10), BOB, Command::Resolve);
    assert!(run.tick(plus(t0, 600)).is_empty());
    assert!(run.try_at(plus(t0, 601), SYSTEM, Command::Trigger).is_err());
}

// ---------------------------------------------------------------------------------------
// Opsgenie
// ---------------------------------------------------------------------------------------

/// Opsgenie, "Manage on-call schedules and rotations": "When a schedule is being used to
/// determine who is notified, all on-call users from different rotations are notified."
#[test]
fn opsgenie_all_on_call_users_of_all_rotations_are_notified() {
    let h = local(2027, 1, 4, 8, 0);
    let mut spec = ScheduleSpec::new(
        "ops",
        vec![
            layer("r1", &[ANN, BOB], h, Turn::Days(1)),
            layer("r2", &[CAT], h, Turn::Weeks(1)),
        ],
    );
    spec.combine = Combine::All;
    let policy = Policy::new(
        "ops",
        vec![Step::after(
            vec![Target::Schedule("ops".into())],
            Duration::minutes(5),
        )],
    );
    let mut run = Run::new(policy, schedules(&[spec]));
    run.at(utc(2027, 1, 5, 12, 0), SYSTEM, Command::Trigger);
    assert_eq!(run.notices()[0].3, vec![BOB, CAT]);
}

/// Opsgenie, "Manage on-call schedules and rotations": "Starting date and time indicates
/// when the rotation becomes active. Schedule rotations are calculated from this date and
/// time ... it becomes the handover time ... Default rotation start time is 08:00."
#[test]
fn opsgenie_the_start_time_is_the_handover_time() {
    let mut l = layer("r1", &[ANN, BOB], local(2027, 1, 4, 8, 0), Turn::Days(1));
    l.starts = Some(utc(2027, 1, 4, 8, 0));
    let s = Schedule::new(&ScheduleSpec::new("ops", vec![l])).unwrap();
    assert!(who(&s, utc(2027, 1, 4, 7, 59)).is_empty());
    assert_eq!(who(&s, utc(2027, 1, 4, 8, 0)), vec![ANN]);
    assert_eq!(who(&s, utc(2027, 1, 5, 7, 59)), vec![ANN]);
    assert_eq!(who(&s, utc(2027, 1, 5, 8, 0)), vec![BOB]);
}

/// Opsgenie, "Manage on-call schedules and rotations": "End date and time indicates when the
/// rotation ends and becomes inactive. No on-call rotation can be used after the specified
/// end date".
#[test]
fn opsgenie_no_rotation_after_its_end_date() {
    let mut l = layer("r1", &[ANN], local(2027, 1, 4, 8, 0), Turn::Days(1));
    l.ends = Some(utc(2027, 2, 1, 8, 0));
    let s = Schedule::new(&ScheduleSpec::new("ops", vec![l])).unwrap();
    assert_eq!(who(&s, utc(2027, 2, 1, 7, 59)), vec![ANN]);
    assert!(who(&s, utc(2027, 2, 1, 8, 0)).is_empty());
}

/// Opsgenie (setting on-call schedules, overrides): "Schedules set in Overrides have a higher
/// priority than Rotations ... If you select a Rotation, the override only applies to that
/// Rotation. If not, the override takes precedence over all Rotations."
#[test]
fn opsgenie_an_override_of_one_rotation_leaves_the_others_and_a_whole_one_takes_all() {
    let h = local(2027, 1, 4, 8, 0);
    let mut spec = ScheduleSpec::new(
        "ops",
        vec![
            layer("r1", &[ANN], h, Turn::Days(1)),
            layer("r2", &[BOB], h, Turn::Days(1)),
        ],
    );
    spec.combine = Combine::All;
    spec.overrides.push(Override {
        user: EVE,
        from: utc(2027, 1, 5, 0, 0),
        to: utc(2027, 1, 6, 0, 0),
        layer: Some("r1".into()),
    });
    spec.overrides.push(Override {
        user: DAN,
        from: utc(2027, 1, 7, 0, 0),
        to: utc(2027, 1, 8, 0, 0),
        layer: None,
    });
    let s = Schedule::new(&spec).unwrap();
    assert_eq!(who(&s, utc(2027, 1, 5, 12, 0)), vec![EVE, BOB]);
    assert_eq!(who(&s, utc(2027, 1, 7, 12, 0)), vec![DAN]);
    assert_eq!(who(&s, utc(2027, 1, 8, 12, 0)), vec![ANN, BOB]);
}

/// Opsgenie, "On-call schedule with different rotations for business hours and off hours":
/// "During business hours (weekdays 09:00-18:00), all members of web_ops_group are notified
/// ... In the evenings and on weekends, Bob, Jack, and Jane share the on-call duty, rotating
/// daily."
#[test]
fn opsgenie_business_hours_and_off_hours_rotations() {
    let h = local(2027, 1, 4, 9, 0);
    let mut day = layer("business hours", &[ANN], h, Turn::Days(1));
    day.restriction = Some(Restriction {
        week: Week::weekdays(&[Segment::parse("09:00", "18:00").unwrap()]),
        holidays: Vec::new(),
    });
    let mut off = layer(
        "off hours",
        &[BOB, CAT, DAN],
        local(2027, 1, 4, 18, 0),
        Turn::Days(1),
    );
    off.restriction = Some(Restriction {
        // Weeknights from 18:00 to 09:00, and the weekend from Friday 18:00 to Monday 09:00.
        week: Week {
            sat: vec![seg("09:00", "24:00")],
            sun: vec![seg("00:00", "12:00"), seg("12:00", "09:00")],
            ..Week::weekdays(&[seg("18:00", "09:00")])
        },
        holidays: Vec::new(),
    });
    let mut spec = ScheduleSpec::new("web_ops", vec![day, off]);
    spec.combine = Combine::All;
    let s = Schedule::new(&spec).unwrap();
    assert_eq!(who(&s, utc(2027, 1, 5, 10, 0)), vec![ANN]); // Tuesday 10:00
    // Turns from Monday 18:00: Tuesday evening is turn 1, Saturday noon turn 4 (4 mod 3 = 1),
    // Sunday evening to Monday 09:00 turn 6.
    assert_eq!(who(&s, utc(2027, 1, 5, 20, 0)), vec![CAT]);
    assert_eq!(who(&s, utc(2027, 1, 9, 12, 0)), vec![CAT]);
    assert_eq!(who(&s, utc(2027, 1, 10, 20, 0)), vec![BOB]);
    assert_eq!(who(&s, utc(2027, 1, 11, 8, 0)), vec![BOB]);
    assert!(
        s.gaps(utc(2027, 1, 4, 18, 0), utc(2027, 2, 1, 18, 0))
            .unwrap()
            .is_empty()
    );
}
