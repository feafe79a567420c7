//! Conformance with ServiceNow's Event Management documentation: one test per documented
//! rule, each naming its page.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use chrono::Duration;
use common::{Board, disk, names, t};
use itsm_alert::{
    AlertId, AlertStatus, CloseReason, Command, Error, Event, IncidentRule, Policy, Severity,
    Signal,
};

// "Event identifiers" (c_EMEventIdentifier): each event is identified by its message key;
// when the key is empty, Source, Type, Node, Resource and Metric Name make it.
#[test]
fn servicenow_events_are_identified_by_message_key_else_by_their_fields() {
    let mut b = Board::new(Policy::servicenow());
    // The tool's key wins over every other field.
    b.signal(
        0,
        Signal::new("scom", "db-1", Severity::Major).with_key("K-42"),
    );
    b.signal(
        1,
        Signal::new("nagios", "web-9", Severity::Critical).with_key("K-42"),
    );
    assert_eq!(b.state.alerts().count(), 1);
    // Without a key: the same five fields are one alert, a different resource another.
    b.signal(2, disk("db-1", Severity::Minor));
    b.signal(3, disk("db-1", Severity::Major));
    b.signal(4, disk("db-1", Severity::Major).with_resource("/home"));
    assert_eq!(b.state.alerts().count(), 3);
    assert_eq!(
        disk("db-1", Severity::Minor).message_key().as_str(),
        "nagios|Disk|db-1|/var|"
    );
    // Fields that contain the separator cannot make another signal's key.
    let a = Signal::new("a|b", "c", Severity::Info).message_key();
    let b2 = Signal::new("a", "b|c", Severity::Info).message_key();
    assert_ne!(a, b2);
}

// "Configure the alert active interval" (t_EMSetTheAlertActiveInterval): an open alert is
// updated without checking the interval; a closed alert is reopened by an event before the
// active interval elapses (counted from its last update), and an event after it creates a
// new alert.
#[test]
fn servicenow_active_interval_reopens_or_opens_anew() {
    let mut b = Board::new(Policy::servicenow()); // an hour
    b.signal(0, disk("db-1", Severity::Major));
    b.signal(500, disk("db-1", Severity::Critical)); // open: updated, however late
    assert_eq!(b.only().severity(), Severity::Critical);
    b.signal(510, disk("db-1", Severity::Clear)); // closed at 510
    let e = b.signal(570, disk("db-1", Severity::Major)); // exactly an hour later
    assert_eq!(names(&e), ["reopened"]);
    assert_eq!(b.only().status(), AlertStatus::Reopened);
    b.signal(575, disk("db-1", Severity::Clear)); // closed at 575
    let e = b.signal(636, disk("db-1", Severity::Major)); // 61 minutes later
    assert_eq!(names(&e), ["opened"]);
    assert_eq!(b.state.alerts().count(), 2);
    let first = b.state.alert(AlertId::from_u128(1)).unwrap();
    assert_eq!(first.status(), AlertStatus::Closed);
}

// "Configure alert flapping" (t_EMConfigAlertStateFlapDetect), update_alert_restricted_
// fields_elapsed_time: an event identical to the alert within the interval (24 hours by
// default) does not update it.
#[test]
fn servicenow_identical_events_within_the_interval_do_not_update_the_alert() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(
        0,
        disk("db-1", Severity::Major).with_description("95% full"),
    );
    let e = b.signal(
        5,
        disk("db-1", Severity::Major).with_description("95% full"),
    );
    assert_eq!(names(&e), ["repeated"]);
    let alert = b.only();
    assert_eq!((alert.updated_at(), alert.last_signal_at()), (t(0), t(5)));
    assert_eq!((alert.signals(), alert.repeats()), (2, 1));
    // A different description is new data: updated.
    let e = b.signal(
        6,
        disk("db-1", Severity::Major).with_description("96% full"),
    );
    assert_eq!(names(&e), ["updated"]);
    // The same again a day after the last update: updated.
    let e = b.signal(
        6 + 24 * 60,
        disk("db-1", Severity::Major).with_description("96% full"),
    );
    assert_eq!(names(&e), ["updated"]);
}

// "Configure alert flapping" (t_EMConfigAlertStateFlapDetect), flap_interval and
// flap_frequency: an alert enters the flapping state when its flap count reaches or exceeds
// the frequency within the interval.
#[test]
fn servicenow_flapping_starts_when_the_count_reaches_the_frequency_within_the_interval() {
    let mut b = Board::new(Policy::servicenow()); // 4 within an hour
    b.signal(0, disk("db-1", Severity::Critical));
    let mut last = Vec::new();
    for (i, minute) in [2, 4, 6, 8].into_iter().enumerate() {
        b.signal(minute, disk("db-1", Severity::Clear));
        last = b.signal(minute + 1, disk("db-1", Severity::Critical));
        let count = b.only().flap().unwrap().count;
        assert_eq!(count, i as u32 + 1);
    }
    assert_eq!(names(&last), ["reopened", "flapping_started"]);
    assert_eq!(b.only().status(), AlertStatus::Flapping);
    // While flapping, a clear does not close it.
    let e = b.signal(10, disk("db-1", Severity::Clear));
    assert_eq!(names(&e), ["updated"]);
    assert_eq!(b.only().status(), AlertStatus::Flapping);
}

// "View alerts in the flapping state" (t_EMViewAlertFlapping): the flap count counts the
// fluctuations between closed and not closed within the flap interval since the flap start
// window; an issue after the interval expires starts counting anew.
#[test]
fn servicenow_the_flap_count_restarts_after_the_interval() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Critical));
    for minute in [10, 20, 30] {
        b.signal(minute, disk("db-1", Severity::Clear));
        b.signal(minute + 1, disk("db-1", Severity::Critical));
    }
    let w = *b.only().flap().unwrap();
    assert_eq!((w.start, w.count), (t(11), 3));
    // 11 + 60 = 71: a reopening at 72 is outside the window: a new one, count 1.
    b.signal(71, disk("db-1", Severity::Clear));
    b.signal(72, disk("db-1", Severity::Critical));
    let w = *b.only().flap().unwrap();
    assert_eq!((w.start, w.count), (t(72), 1));
    assert_eq!(b.only().status(), AlertStatus::Reopened);
}

// "Configure alert flapping" (t_EMConfigAlertStateFlapDetect), flap_quiet_interval: the
// alert exits flapping when the time between the latest event and the flap last update time
// reaches the quiet interval, or when the background job finds no update for that long; it
// then shows the state it had.
#[test]
fn servicenow_flapping_ends_after_the_quiet_interval() {
    let flapping = |b: &mut Board| {
        b.signal(0, disk("db-1", Severity::Critical));
        for minute in [2, 4, 6, 8] {
            b.signal(minute, disk("db-1", Severity::Clear));
            b.signal(minute + 1, disk("db-1", Severity::Critical));
        }
        assert_eq!(b.only().status(), AlertStatus::Flapping);
    };
    // By the background job (a tick): last signal critical at 9, quiet an hour: 69.
    let mut b = Board::new(Policy::servicenow());
    flapping(&mut b);
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), Some(t(69)));
    assert!(b.tick(68).is_empty());
    let e = b.tick(69);
    assert!(matches!(
        e[..],
        [Event::FlappingEnded {
            status: AlertStatus::Reopened,
            ..
        }]
    ));
    assert_eq!(b.only().closed(), None);
    assert_eq!(b.only().status(), AlertStatus::Reopened);
    // By the next event: the alert leaves flapping first, then takes the event.
    let mut b = Board::new(Policy::servicenow());
    flapping(&mut b);
    b.signal(20, disk("db-1", Severity::Clear)); // flapping: recorded, not closed
    let e = b.signal(80, disk("db-1", Severity::Critical));
    assert_eq!(names(&e), ["flapping_ended", "reopened"]);
    assert_eq!(b.only().status(), AlertStatus::Reopened);
}

// "An overview of alerts for Event Management operators" (operator-events-alerts):
// severity Clear means the alert no longer needs action.
#[test]
fn servicenow_a_clear_closes_the_alert() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Major));
    let e = b.signal(5, disk("db-1", Severity::Clear));
    assert!(matches!(
        e[..],
        [Event::Closed {
            reason: CloseReason::Cleared,
            ..
        }]
    ));
    assert_eq!(b.only().closed(), Some((t(5), CloseReason::Cleared)));
    // A clear with nothing to close changes nothing, and says so.
    let e = b.signal(6, disk("db-2", Severity::Clear));
    assert_eq!(names(&e), ["ignored"]);
    assert_eq!(b.state.alerts().count(), 1);
}

// "Reopen an alert" (t_EMReopenAlert): an alert can be reopened by changing its state;
// roles evt_mgmt_admin, evt_mgmt_operator or evt_mgmt_user.
#[test]
fn servicenow_an_operator_reopens_a_closed_alert() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Major));
    let alert = b.only().id();
    // Not while it is open.
    let e = b.run_as(1, Command::Reopen { alert }, true);
    assert!(matches!(
        e,
        Err(Error::NotAllowed {
            command: "reopen",
            ..
        })
    ));
    b.run_as(2, Command::Close { alert }, true).unwrap();
    // Without a role: denied.
    let e = b.run_as(3, Command::Reopen { alert }, false);
    assert!(matches!(
        e,
        Err(Error::Denied {
            command: "reopen",
            ..
        })
    ));
    let e = b.run_as(4, Command::Reopen { alert }, true).unwrap();
    assert!(matches!(e[..], [Event::Reopened { by: Some(_), .. }]));
    assert_eq!(b.only().status(), AlertStatus::Reopened);
    assert_eq!(b.only().reopens(), 1);
}

#[test]
fn an_incident_is_requested_once_per_active_stretch() {
    let mut policy = Policy::servicenow();
    policy.incident = Some(IncidentRule {
        min_severity: Severity::Major,
        after: Duration::minutes(10),
    });
    let mut b = Board::new(policy);
    b.signal(0, disk("db-1", Severity::Minor));
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), None);
    // Major from minute 3: due ten minutes later.
    b.signal(3, disk("db-1", Severity::Major));
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), Some(t(13)));
    assert!(b.tick(12).is_empty());
    let e = b.tick(13);
    assert!(matches!(
        e[..],
        [Event::IncidentRequested {
            severity: Severity::Major,
            ..
        }]
    ));
    assert!(b.tick(20).is_empty());
    // A reopened alert may ask again; a drop below the rule's severity restarts its time.
    b.signal(30, disk("db-1", Severity::Clear));
    let e = b.signal(31, disk("db-1", Severity::Critical));
    assert_eq!(names(&e), ["reopened"]);
    let e = b.signal(38, disk("db-1", Severity::Minor).with_description("x"));
    assert_eq!(names(&e), ["updated"]);
    let e = b.signal(39, disk("db-1", Severity::Critical));
    assert_eq!(names(&e), ["updated"]);
    assert!(b.tick(48).is_empty());
    // A signal at or after the time asks at once, but not twice.
    let e = b.signal(49, disk("db-1", Severity::Critical).with_description("y"));
    assert_eq!(names(&e), ["updated", "incident_requested"]);
    assert!(b.tick(60).is_empty());
}

#[test]
fn every_error_names_what_was_wrong() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(10, disk("db-1", Severity::Major));
    let unknown = AlertId::from_u128(99);
    let e = b.run_as(11, Command::Close { alert: unknown }, true);
    assert!(matches!(e, Err(Error::UnknownAlert { .. })));
    let e = b.run_as(
        5,
        Command::ingest(disk("db-2", Severity::Major), AlertId::from_u128(5)),
        false,
    );
    assert!(matches!(e, Err(Error::ClockWentBackwards { .. })));
    // A tick in the past does nothing.
    assert!(b.run_as(5, Command::Tick, false).unwrap().is_empty());
    let e = b.run_as(
        12,
        Command::ingest(disk("db-2", Severity::Major), AlertId::from_u128(1)),
        false,
    );
    assert!(matches!(e, Err(Error::AlertIdInUse { .. })));
    let e = b.run_as(
        12,
        Command::ingest(Signal::new("", "", Severity::Major), AlertId::from_u128(9)),
        false,
    );
    assert_eq!(
        e.as_ref()
            .err()
            .map(|e| e.to_string().contains("give a message_key")),
        Some(true)
    );
    let mut bad = Policy::servicenow();
    bad.flapping = bad.flapping.map(|mut f| {
        f.frequency = 0;
        f
    });
    assert!(matches!(
        bad.check(),
        Err(Error::InvalidPolicy {
            field: "flapping.frequency",
            ..
        })
    ));
    // Only the latest alert of a key can be reopened.
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Major));
    b.signal(1, disk("db-1", Severity::Clear));
    b.signal(200, disk("db-1", Severity::Major)); // a new alert
    b.signal(201, disk("db-1", Severity::Clear));
    let e = b.run_as(
        202,
        Command::Reopen {
            alert: AlertId::from_u128(1),
        },
        true,
    );
    assert!(matches!(e, Err(Error::Superseded { .. })));
}

// Found by a review, each pinned.

#[test]
fn a_changed_configuration_item_is_new_data_not_a_repeat() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Major).with_ci("db-1"));
    let e = b.signal(5, disk("db-1", Severity::Major).with_ci("db-2"));
    assert_eq!(names(&e), ["updated"]);
    assert_eq!(b.only().ci(), Some("db-2"));
    // Without a configuration item the signal matches any.
    let e = b.signal(6, disk("db-1", Severity::Major));
    assert_eq!(names(&e), ["repeated"]);
}

#[test]
fn flapping_left_by_a_policy_without_flapping_ends_at_the_next_signal_or_tick() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Critical));
    for minute in [2, 4, 6, 8] {
        b.signal(minute, disk("db-1", Severity::Clear));
        b.signal(minute + 1, disk("db-1", Severity::Critical));
    }
    assert_eq!(b.only().status(), AlertStatus::Flapping);
    b.policy.flapping = None;
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), Some(t(9)));
    let e = b.signal(10, disk("db-1", Severity::Clear));
    assert_eq!(names(&e), ["flapping_ended", "closed"]);
}

#[test]
fn an_incident_waits_its_time_from_when_the_alert_became_severe_enough() {
    let mut policy = Policy::servicenow();
    policy.incident = Some(IncidentRule {
        min_severity: Severity::Critical,
        after: Duration::minutes(10),
    });
    let mut b = Board::new(policy);
    b.signal(0, disk("db-1", Severity::Info));
    // Informational for two hours, then critical: a blip of five minutes passes.
    let e = b.signal(120, disk("db-1", Severity::Critical));
    assert_eq!(names(&e), ["updated"]);
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), Some(t(130)));
    b.signal(125, disk("db-1", Severity::Major));
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), None);
    b.signal(126, disk("db-1", Severity::Critical));
    assert!(b.tick(135).is_empty());
    let e = b.tick(136);
    assert_eq!(names(&e), ["incident_requested"]);
}

#[test]
fn a_flapping_alert_keeps_its_severity_when_cleared_and_counts_afresh_after_quiet() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Critical));
    for minute in [2, 4, 6, 8] {
        b.signal(minute, disk("db-1", Severity::Clear));
        b.signal(minute + 1, disk("db-1", Severity::Critical));
    }
    b.signal(10, disk("db-1", Severity::Clear));
    let a = b.only();
    assert_eq!(
        (a.status(), a.severity(), a.cleared()),
        (AlertStatus::Flapping, Severity::Critical, true)
    );
    // Quiet: closed (the last signal a clear), still critical as its last severity.
    let e = b.tick(70);
    assert!(matches!(
        e[..],
        [Event::FlappingEnded {
            status: AlertStatus::Closed,
            ..
        }]
    ));
    assert_eq!(b.only().severity(), Severity::Critical);
    assert_eq!(b.only().flap(), None);
    assert_eq!(b.only().closed(), Some((t(70), CloseReason::Cleared)));
    // The signal after it reopens with a new window (count 1): no flapping again at once.
    let e = b.signal(71, disk("db-1", Severity::Critical));
    assert_eq!(names(&e), ["reopened"]);
    assert_eq!(b.only().flap().map(|w| w.count), Some(1));
}

#[test]
fn signals_at_the_same_instant_are_all_taken() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Major));
    b.signal(0, disk("db-2", Severity::Major));
    b.signal(0, disk("db-1", Severity::Clear));
    assert_eq!(b.state.alerts().count(), 2);
    assert_eq!(b.state.active().count(), 1);
}

#[test]
fn a_refusal_names_the_statuses_that_allow_the_command() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Major));
    let alert = b.only().id();
    let e = b.run_as(1, Command::Reopen { alert }, true).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("cannot reopen alert {alert}: it is open; allowed when closed")
    );
    b.run_as(2, Command::Close { alert }, true).unwrap();
    let e = b.run_as(3, Command::Close { alert }, true).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "cannot close alert {alert}: it is closed; allowed when open or reopened or flapping"
        )
    );
}

// Mutation testing found these unpinned; each now is.

#[test]
fn a_reopening_takes_the_signal_s_description_and_keeps_a_known_configuration_item() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(
        0,
        disk("db-1", Severity::Major)
            .with_description("95%")
            .with_ci("db-1"),
    );
    assert_eq!((b.only().repeats(), b.only().reopens()), (0, 0));
    assert!(!b.only().cleared() && !b.only().incident_requested());
    b.signal(1, disk("db-1", Severity::Clear));
    assert!(b.only().cleared());
    // No configuration item on the reopening signal: the known one stays.
    b.signal(2, disk("db-1", Severity::Minor).with_description("91%"));
    let a = b.only();
    assert_eq!(
        (a.description(), a.ci(), a.reopens()),
        ("91%", Some("db-1"), 1)
    );
    b.signal(3, disk("db-1", Severity::Clear));
    b.signal(
        4,
        disk("db-1", Severity::Minor)
            .with_description("90%")
            .with_ci("db-9"),
    );
    let a = b.only();
    assert_eq!(
        (a.description(), a.ci(), a.reopens()),
        ("90%", Some("db-9"), 2)
    );
}

#[test]
fn a_signal_while_flapping_puts_the_quiet_end_back() {
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Critical));
    for minute in [2, 4, 6, 8] {
        b.signal(minute, disk("db-1", Severity::Clear));
        b.signal(minute + 1, disk("db-1", Severity::Critical));
    }
    b.signal(30, disk("db-1", Severity::Critical)); // a repeat while flapping
    assert_eq!(b.only().flap().map(|w| w.last_update), Some(t(30)));
    assert!(b.tick(80).is_empty());
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), Some(t(90)));
}

#[test]
fn names_and_keys() {
    assert_eq!(Severity::Major.to_string(), "major");
    assert_eq!(Severity::Clear.to_string(), "clear");
    assert_eq!(AlertStatus::Flapping.to_string(), "flapping");
    // A separator inside a field is escaped: a source `a|b` is not a source `a` of kind `b`.
    let joined = Signal::new("a|b", "", Severity::Info).message_key();
    let split = Signal::new("a", "", Severity::Info)
        .with_kind("b")
        .message_key();
    assert_ne!(joined, split);
    assert_eq!(joined.as_str(), "a\\|b||||");
    let slash = Signal::new("a\\", "", Severity::Info).message_key();
    assert_eq!(slash.as_str(), "a\\\\||||");
}

#[test]
fn an_incident_request_is_remembered() {
    let mut policy = Policy::servicenow();
    policy.incident = Some(IncidentRule {
        min_severity: Severity::Major,
        after: Duration::zero(),
    });
    let mut b = Board::new(policy);
    let e = b.signal(0, disk("db-1", Severity::Major));
    assert_eq!(names(&e), ["opened", "incident_requested"]);
    assert!(b.only().incident_requested());
}

#[test]
fn a_negative_quiet_time_is_refused_alone() {
    let mut p = Policy::servicenow();
    p.flapping = p.flapping.map(|mut f| {
        f.quiet = -Duration::minutes(1);
        f
    });
    assert!(matches!(
        p.check(),
        Err(Error::InvalidPolicy {
            field: "flapping",
            ..
        })
    ));
}
