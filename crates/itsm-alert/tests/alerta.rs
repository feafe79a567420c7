//! Conformance with Alerta's documented alert lifecycle ("Alert Lifecycle", docs.alerta.io,
//! the state transition tables): one test per rule, under `Policy::alerta()`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{Board, disk, names, t};
use itsm_alert::{AlertStatus, CloseReason, Command, Event, Policy, Severity};

// Severity changes: a normal severity closes an alert, whatever its status.
#[test]
fn alerta_normal_severity_closes() {
    let mut b = Board::new(Policy::alerta());
    b.signal(0, disk("db-1", Severity::Major));
    let alert = b.only().id();
    b.run_as(1, Command::Acknowledge { alert }, true).unwrap();
    let e = b.signal(2, disk("db-1", Severity::Clear));
    assert!(matches!(
        e[..],
        [Event::Closed {
            reason: CloseReason::Cleared,
            ..
        }]
    ));
}

// Severity changes, `ack` row: more severe re-opens an acknowledged alert (only if the
// severity genuinely increases); less severe leaves it acknowledged.
#[test]
fn alerta_more_severe_takes_an_acknowledgement_back_less_severe_does_not() {
    let mut b = Board::new(Policy::alerta());
    b.signal(0, disk("db-1", Severity::Major));
    let alert = b.only().id();
    b.run_as(1, Command::Acknowledge { alert }, true).unwrap();
    let e = b.signal(2, disk("db-1", Severity::Minor));
    assert_eq!(names(&e), ["updated"]);
    assert!(b.only().acknowledged());
    // The same severity again is no increase either.
    b.signal(3, disk("db-1", Severity::Minor));
    assert!(b.only().acknowledged());
    let e = b.signal(4, disk("db-1", Severity::Critical));
    assert_eq!(names(&e), ["updated", "acknowledgement_undone"]);
    assert!(!b.only().acknowledged());
    // ServiceNow keeps the acknowledgement.
    let mut b = Board::new(Policy::servicenow());
    b.signal(0, disk("db-1", Severity::Major));
    let alert = b.only().id();
    b.run_as(1, Command::Acknowledge { alert }, true).unwrap();
    b.signal(4, disk("db-1", Severity::Critical));
    assert!(b.only().acknowledged());
}

// Severity changes, `closed` row: a more severe (any non-normal) signal re-opens a closed
// alert; Alerta has no active interval, so this holds however late.
#[test]
fn alerta_a_closed_alert_reopens_however_late() {
    let mut b = Board::new(Policy::alerta());
    b.signal(0, disk("db-1", Severity::Major));
    b.signal(1, disk("db-1", Severity::Clear));
    let e = b.signal(10 * 24 * 60, disk("db-1", Severity::Warning));
    assert_eq!(names(&e), ["reopened"]);
    assert_eq!(b.state.alerts().count(), 1);
    assert_eq!(b.only().status(), AlertStatus::Reopened);
}

// System actions: an alert not updated within its timeout (86,400 seconds by default) is
// expired; here it closes as stale.
#[test]
fn alerta_timeout_closes_a_silent_alert() {
    let mut b = Board::new(Policy::alerta());
    b.signal(0, disk("db-1", Severity::Major));
    b.signal(100, disk("db-1", Severity::Major));
    let due = t(100) + chrono::Duration::seconds(86_400);
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), Some(due));
    assert!(b.tick(100 + 24 * 60 - 1).is_empty());
    let e = b.tick(100 + 24 * 60);
    assert!(matches!(
        e[..],
        [Event::Closed {
            reason: CloseReason::Stale,
            by: None,
            ..
        }]
    ));
    assert_eq!(itsm_alert::next_deadline(&b.state, &b.policy), None);
}

// Operator actions: `ack` is valid for an open alert and invalid for a closed one; `close`
// closes an acknowledged alert.
#[test]
fn alerta_operator_actions() {
    let mut b = Board::new(Policy::alerta());
    b.signal(0, disk("db-1", Severity::Major));
    let alert = b.only().id();
    let e = b.run_as(1, Command::Acknowledge { alert }, true).unwrap();
    assert_eq!(names(&e), ["acknowledged"]);
    // Twice: nothing more.
    assert!(
        b.run_as(2, Command::Acknowledge { alert }, true)
            .unwrap()
            .is_empty()
    );
    let e = b.run_as(3, Command::Close { alert }, true).unwrap();
    assert!(matches!(
        e[..],
        [Event::Closed {
            reason: CloseReason::Operator,
            by: Some(_),
            ..
        }]
    ));
    assert!(!b.only().acknowledged());
    assert!(b.run_as(4, Command::Acknowledge { alert }, true).is_err());
}

// Found by a review: an alert closed as stale and reopened by an operator went stale again
// at once, from its old last signal, and `next_deadline` pointed before the last event (a
// host ticking at it waited forever). Staleness now counts from the reopening.
#[test]
fn a_reopened_stale_alert_goes_stale_a_timeout_after_its_reopening() {
    let mut b = Board::new(Policy::alerta());
    b.signal(0, disk("db-1", Severity::Major));
    assert!(matches!(
        b.tick(25 * 60)[..],
        [Event::Closed {
            reason: CloseReason::Stale,
            ..
        }]
    ));
    let alert = b.only().id();
    b.run_as(26 * 60, Command::Reopen { alert }, true).unwrap();
    let due = itsm_alert::next_deadline(&b.state, &b.policy).unwrap();
    assert_eq!(due, t(26 * 60) + chrono::Duration::seconds(86_400));
    assert!(due >= b.state.last_at().unwrap());
    assert!(!b.tick(26 * 60 + 24 * 60).is_empty());
}
