//! The KPI definitions of `docs/metrics.md`, each pinned on small timelines whose answer is
//! worked out by hand.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_core::{ChangeOutcome, ChangeType, Mark, MarkKind, Practice, Timeline, TimelineSpec};
use itsm_metrics::{
    Cycle, Error, FirstContact, FollowUps, Kpis, Measure, Options, PausedTime, Ratio, Value,
    WorkingTime, backlog,
};

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap() + Duration::hours(h)
}

fn timeline(id: &str, practice: Practice, marks: &[(i64, MarkKind)]) -> TimelineSpec {
    let mut spec = TimelineSpec::new(id, practice, at(0));
    spec.marks = marks
        .iter()
        .map(|(h, k)| Mark::new(at(*h), k.clone()))
        .collect();
    spec
}

fn build(specs: Vec<TimelineSpec>) -> Vec<Timeline> {
    specs
        .into_iter()
        .map(|s| Timeline::new(s).unwrap())
        .collect()
}

fn group(g: &str) -> MarkKind {
    MarkKind::Assigned { group: g.into() }
}

/// A: ack 1h, paused 2..4, resolved 6, reopened 8, resolved 10.
/// B: ack 2h, resolved 3, never reopened, one group.
/// C: reassigned, never resolved.
fn three() -> Vec<Timeline> {
    use MarkKind::*;
    build(vec![
        timeline(
            "A",
            Practice::Incident,
            &[
                (1, Acknowledged),
                (2, Paused),
                (4, Resumed),
                (6, Resolved),
                (8, Reopened),
                (10, Resolved),
                (20, Closed),
            ],
        ),
        timeline(
            "B",
            Practice::Incident,
            &[(0, group("a")), (2, Acknowledged), (3, Resolved)],
        ),
        timeline(
            "C",
            Practice::Request,
            &[(0, group("a")), (1, group("a")), (2, group("b"))],
        ),
    ])
}

#[test]
fn time_to_resolve_follows_the_cycle_and_paused_options() {
    let t = three();
    let mut o = Options::default();
    let k = Kpis::compute(&t, &o, None);
    assert_eq!(k.tickets, 3);
    // First resolution: A 6h, B 3h; nearest rank: p50 of 2 values is rank 1.
    let r = k.time_to_resolve.unwrap();
    assert_eq!(
        (r.count, r.min, r.p50, r.max),
        (
            2,
            Duration::hours(3),
            Duration::hours(3),
            Duration::hours(6)
        )
    );
    assert_eq!(r.mean, Duration::minutes(270));
    // Final resolution: A works 0..8 minus nothing resolved in between: 6h + 2h = 8h.
    o.cycle = Cycle::Final;
    let r = Kpis::compute(&t, &o, None).time_to_resolve.unwrap();
    assert_eq!((r.min, r.max), (Duration::hours(3), Duration::hours(8)));
    // Without pending time: A 8h - 2h.
    o.paused = PausedTime::Excluded;
    let r = Kpis::compute(&t, &o, None).time_to_resolve.unwrap();
    assert_eq!(r.max, Duration::hours(6));
    // Acknowledge: A 1h, B 2h (C never acknowledged).
    let a = k.time_to_acknowledge.unwrap();
    assert_eq!((a.count, a.mean), (2, Duration::minutes(90)));
}

#[test]
fn rates_follow_their_definitions() {
    let k = Kpis::compute(&three(), &Options::default(), None);
    // Resolved: A and B; A reopened.
    assert_eq!(k.reopen_rate, Ratio::new(1, 2));
    // Derived first contact: B only (A paused and reopened).
    assert_eq!(k.first_contact_resolution, Ratio::new(1, 2));
    // Assigned: B and C; C went from a to b (a to a is no reassignment).
    assert_eq!(k.reassignment_rate, Ratio::new(1, 2));
    assert_eq!(k.sla_attainment.value(), None);
}

#[test]
fn a_follow_up_counts_as_a_reopen_of_the_ticket_it_follows_when_asked() {
    use MarkKind::*;
    // O resolved at its first contact and closed; F raised anew after the closure (a
    // follow-up of O, opened at 3), resolved; X follows up a ticket not in the set; P is a
    // problem that names B (not a ticket practice: it reopens nothing); R, a request,
    // names B too (another practice: B is an incident); G follows up B after it was
    // resolved; E follows up L but was opened before L was resolved (not a reopen).
    let at3 = |id: &str, marks: &[(i64, MarkKind)]| {
        let mut spec = timeline(id, Practice::Incident, marks);
        spec.opened_at = at(3);
        spec
    };
    let mut follow = at3("F", &[(30, Resolved)]);
    follow.follow_up_of = Some("O".into());
    let mut stray = timeline("X", Practice::Incident, &[(2, Resolved)]);
    stray.follow_up_of = Some("gone".into());
    let mut problem = timeline("P", Practice::Problem, &[]);
    problem.follow_up_of = Some("B".into());
    let mut request = timeline("R", Practice::Request, &[]);
    request.follow_up_of = Some("B".into());
    let mut early = at3("E", &[]);
    early.follow_up_of = Some("L".into());
    // (opened at the very instant B was resolved: that counts)
    let mut again = timeline("G", Practice::Incident, &[]);
    again.opened_at = at(1);
    again.follow_up_of = Some("B".into());
    let o = timeline("O", Practice::Incident, &[(1, Resolved), (2, Closed)]);
    let b = timeline("B", Practice::Incident, &[(1, Resolved)]);
    let late = timeline("L", Practice::Incident, &[(5, Resolved)]);
    let t = build(vec![
        follow, stray, problem, request, early, again, o, b, late,
    ]);
    assert_eq!(t[0].follow_up_of(), Some("O"));
    let mut options = Options::default();
    options.first_contact = FirstContact::Derived;
    // Separate (the default): nothing reopened; all five resolved incidents resolved at
    // first contact.
    let k = Kpis::compute(&t, &options, None);
    assert_eq!(k.reopen_rate, Ratio::new(0, 5));
    assert_eq!(k.first_contact_resolution, Ratio::new(5, 5));
    // As reopens: O and B (followed up by F and G, opened after they were resolved) are
    // reopened, and so not resolved at the first contact; F, X and L are not; every
    // incident and the request are still tickets of their own.
    options.follow_ups = FollowUps::AsReopens;
    let k = Kpis::compute(&t, &options, None);
    assert_eq!(k.reopen_rate, Ratio::new(2, 5));
    assert_eq!(k.first_contact_resolution, Ratio::new(3, 5));
    assert_eq!(k.tickets, 8);
    // The order of the timelines does not matter.
    let reversed: Vec<Timeline> = t.iter().rev().cloned().collect();
    assert_eq!(Kpis::compute(&reversed, &options, None), k);
}

#[test]
fn first_contact_reads_the_flag_as_configured() {
    let mut flagged = timeline(
        "F",
        Practice::Incident,
        &[
            (1, MarkKind::Resolved),
            (2, MarkKind::Reopened),
            (3, MarkKind::Resolved),
        ],
    );
    flagged.first_contact = Some(true);
    let unflagged = timeline("U", Practice::Incident, &[(1, MarkKind::Resolved)]);
    let t = build(vec![flagged, unflagged]);
    let mut o = Options::default();
    assert_eq!(
        Kpis::compute(&t, &o, None).first_contact_resolution,
        Ratio::new(2, 2)
    );
    o.first_contact = FirstContact::FlagOnly;
    assert_eq!(
        Kpis::compute(&t, &o, None).first_contact_resolution,
        Ratio::new(1, 1)
    );
    o.first_contact = FirstContact::Derived;
    assert_eq!(
        Kpis::compute(&t, &o, None).first_contact_resolution,
        Ratio::new(1, 2)
    );
}

#[test]
fn a_closure_from_work_is_a_resolution_and_a_cancelation_is_not() {
    use MarkKind::*;
    let t = build(vec![
        timeline("closed", Practice::Incident, &[(5, Closed)]),
        timeline("canceled", Practice::Incident, &[(5, Canceled)]),
        timeline(
            "reopened_then_canceled",
            Practice::Incident,
            &[(2, Resolved), (3, Reopened), (4, Canceled)],
        ),
    ]);
    let mut o = Options::default();
    let r = Kpis::compute(&t, &o, None).time_to_resolve.unwrap();
    assert_eq!(
        (r.count, r.min, r.max),
        (2, Duration::hours(2), Duration::hours(5))
    );
    o.cycle = Cycle::Final;
    let r = Kpis::compute(&t, &o, None).time_to_resolve.unwrap();
    assert_eq!((r.count, r.max), (1, Duration::hours(5)));
}

#[test]
fn sla_change_and_problem_measures() {
    let mut met = timeline("I1", Practice::Incident, &[]);
    met.sla.insert("response".into(), true);
    met.sla.insert("resolution".into(), false);
    let mut other = timeline("I2", Practice::Incident, &[]);
    other.sla.insert("resolution".into(), true);
    let mut c1 = timeline("C1", Practice::Change, &[(4, MarkKind::Closed)]);
    c1.change_type = Some(ChangeType::Emergency);
    c1.change_outcome = Some(ChangeOutcome::SuccessfulWithIssues);
    let mut c2 = timeline("C2", Practice::Change, &[]);
    c2.change_type = Some(ChangeType::Standard);
    c2.change_outcome = Some(ChangeOutcome::BackedOut);
    let mut c3 = timeline("C3", Practice::Change, &[]);
    c3.change_type = Some(ChangeType::Normal);
    let p1 = timeline(
        "P1",
        Practice::Problem,
        &[
            (1, MarkKind::Acknowledged),
            (30, MarkKind::KnownError),
            (40, MarkKind::KnownError),
        ],
    );
    let p2 = timeline("P2", Practice::Problem, &[]);
    let k = Kpis::compute(
        &build(vec![met, other, c1, c2, c3, p1, p2]),
        &Options::default(),
        None,
    );
    assert_eq!(k.sla_attainment, Ratio::new(2, 3));
    assert_eq!(k.sla_by_name["resolution"], Ratio::new(1, 2));
    assert_eq!(k.sla_by_name["response"], Ratio::new(1, 1));
    assert_eq!(k.change_success_rate, Ratio::new(1, 2));
    assert_eq!(k.emergency_change_ratio, Ratio::new(1, 3));
    let ke = k.time_to_known_error.unwrap();
    assert_eq!((ke.count, ke.mean), (1, Duration::hours(30)));
    // Changes and problems are not tickets by default.
    assert_eq!(k.tickets, 2);
    assert_eq!(k.value(Measure::ChangeSuccessRate), Some(Value::Rate(0.5)));
    assert_eq!(
        k.value(Measure::MeanTimeToKnownError),
        Some(Value::Time(Duration::hours(30)))
    );
}

/// Business hours 08:00 to 16:00 every day, counted hour by hour (enough for whole hours).
struct DayShift;

impl WorkingTime for DayShift {
    fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Duration> {
        use chrono::Timelike;
        let mut t = from;
        let mut total = Duration::zero();
        while t < to {
            if (8..16).contains(&t.hour()) {
                total += Duration::hours(1);
            }
            t += Duration::hours(1);
        }
        Some(total)
    }
}

struct Broken;

impl WorkingTime for Broken {
    fn working_time(&self, _: DateTime<Utc>, _: DateTime<Utc>) -> Option<Duration> {
        None
    }
}

#[test]
fn business_time_goes_through_the_clock() {
    // Opened at midnight, acknowledged 09:00, resolved 18:00: 1 and 8 business hours.
    let t = build(vec![timeline(
        "A",
        Practice::Incident,
        &[(9, MarkKind::Acknowledged), (18, MarkKind::Resolved)],
    )]);
    let k = Kpis::compute(&t, &Options::default(), Some(&DayShift));
    assert_eq!(
        k.business_time_to_acknowledge.unwrap().mean,
        Duration::hours(1)
    );
    assert_eq!(k.business_time_to_resolve.unwrap().mean, Duration::hours(8));
    assert_eq!(k.time_to_resolve.unwrap().mean, Duration::hours(18));
    assert_eq!(
        Kpis::compute(&t, &Options::default(), None).business_time_to_resolve,
        None
    );
    let k = Kpis::compute(&t, &Options::default(), Some(&Broken));
    assert_eq!(
        (k.business_time_to_resolve, k.business_time_unmeasured),
        (None, 1)
    );
    assert!(k.time_to_resolve.is_some());
}

#[cfg(feature = "calendar")]
#[test]
fn an_itsm_calendar_is_a_working_time() {
    use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    let cal = Calendar::new(&CalendarSpec::new(
        "office",
        Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
    ))
    .unwrap();
    // 2026-03-02 is a Monday: opened Monday 00:00, resolved Tuesday 12:00 = 8 + 3 hours.
    let t = build(vec![timeline(
        "A",
        Practice::Incident,
        &[(36, MarkKind::Resolved)],
    )]);
    let k = Kpis::compute(&t, &Options::default(), Some(&cal));
    assert_eq!(
        k.business_time_to_resolve.unwrap().mean,
        Duration::hours(11)
    );
}

#[test]
fn the_backlog_counts_open_stretches_by_age() {
    use MarkKind::*;
    let t = build(vec![
        timeline(
            "A",
            Practice::Incident,
            &[(2, Paused), (3, Resolved), (5, Reopened), (7, Closed)],
        ),
        timeline("B", Practice::Incident, &[(1, Canceled)]),
        timeline("C", Practice::Change, &[]),
    ]);
    let samples = [at(4), at(0), at(1), at(2), at(3), at(5), at(7)];
    let b = backlog(
        &t,
        &Options::default(),
        &samples,
        &[Duration::hours(1), Duration::hours(5)],
    )
    .unwrap();
    let open: Vec<(DateTime<Utc>, u64)> = b.iter().map(|s| (s.at, s.open)).collect();
    assert_eq!(
        open,
        [
            (at(4), 0),
            (at(0), 2),
            (at(1), 1),
            (at(2), 1),
            (at(3), 0),
            (at(5), 1),
            (at(7), 0)
        ]
    );
    // At 0 both are 0 hours old; at 2, A is 2 hours old; at 5, A is 5 hours old (last bucket).
    assert_eq!(b[1].by_age, [2, 0, 0]);
    assert_eq!(b[3].by_age, [0, 1, 0]);
    assert_eq!(b[5].by_age, [0, 0, 1]);
    let e = backlog(
        &t,
        &Options::default(),
        &samples,
        &[Duration::hours(2), Duration::hours(2)],
    )
    .unwrap_err();
    assert_eq!(
        e,
        Error::InvalidBounds {
            index: 1,
            bound: "PT2H".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "age bucket bound 1 (PT2H) must be positive and greater than the bound before it"
    );
    assert!(backlog(&t, &Options::default(), &[], &[Duration::zero()]).is_err());
}

#[test]
fn empty_inputs_give_none_not_nan() {
    let k = Kpis::compute(&[], &Options::default(), None);
    assert_eq!(k.tickets, 0);
    assert_eq!(k.time_to_resolve, None);
    assert_eq!(k.reopen_rate.value(), None);
    for m in [
        Measure::ReopenRate,
        Measure::MeanTimeToResolve,
        Measure::SlaAttainment,
    ] {
        assert_eq!(k.value(m), None);
    }
    assert!(backlog(&[], &Options::default(), &[at(0)], &[]).unwrap()[0].by_age == [0]);
}

#[cfg(feature = "serde")]
#[test]
fn results_and_options_round_trip_through_json() {
    let mut o = Options::default();
    o.cycle = Cycle::Final;
    let k = Kpis::compute(&three(), &o, None);
    let json = serde_json::to_string(&k).unwrap();
    // Final cycle: A 8 hours, B 3 hours.
    assert!(
        json.contains(r#""time_to_resolve":{"count":2,"mean":"PT5H30M","min":"PT3H""#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Kpis>(&json).unwrap(), k);
    let oj = serde_json::to_string(&o).unwrap();
    assert_eq!(
        oj,
        r#"{"cycle":"final","paused":"counted","first_contact":"flag_else_derived","ticket_practices":["incident","request","other"],"follow_ups":"separate"}"#
    );
    assert_eq!(serde_json::from_str::<Options>(&oj).unwrap(), o);
    assert_eq!(
        serde_json::from_str::<Options>("{}").unwrap(),
        Options::default()
    );
    let b = backlog(&three(), &o, &[at(1)], &[Duration::hours(1)]).unwrap();
    let bj = serde_json::to_string(&b).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<itsm_metrics::BacklogSample>>(&bj).unwrap(),
        b
    );
}
