//! Replays the saved fuzz corpus on stable: the fuzz target `oncall` is a thin wrapper
//! around `fuzz/harness/oncall.rs`, which this test includes and feeds every input saved in
//! `fuzz/corpus/oncall/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/oncall.rs"]
mod harness;

#[test]
fn oncall_corpus_replays() {
    let n = itsm_testkit::replay_corpus("oncall", harness::oncall);
    assert!(n >= 8, "the oncall corpus has only {n} inputs");
}

/// The saved inputs compile schedules and refuse them, reach every event and refuse
/// commands, policies and contact profiles for every documented reason, plan contacts
/// that cannot reach someone for every documented reason, and reach handoffs of both kinds
/// (one at the window's start) and the reminders before them.
#[test]
fn the_corpus_reaches_every_event_and_error() {
    use std::collections::BTreeSet;
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/oncall");
    let (mut seen, mut compiled, mut zones) = (BTreeSet::new(), 0, BTreeSet::new());
    let (mut with_contacts, mut without) = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let outcome = harness::run(&std::fs::read(entry.unwrap().path()).unwrap());
        compiled += usize::from(outcome.schedule.is_ok());
        zones.insert(outcome.input.spec.zone.clone());
        with_contacts += usize::from(outcome.input.contacts.is_some());
        without += usize::from(outcome.input.contacts.is_none());
        seen.extend(outcome.handoffs);
        seen.extend(outcome.events);
        seen.extend(outcome.errors);
        seen.extend(
            outcome
                .unreachable
                .into_iter()
                .map(|u| format!("Unreachable::{u}")),
        );
    }
    assert!(
        with_contacts > 0 && without > 0,
        "the corpus needs inputs with and without contact profiles ({with_contacts}, {without})"
    );
    assert!(compiled > 0, "no saved input compiles its schedule");
    assert!(
        zones.contains(&Some("Europe/Berlin".to_owned())),
        "no input in Berlin"
    );
    for kind in [
        "Triggered",
        "Notified",
        "NobodyOnCall",
        "Escalated",
        "Acknowledged",
        "AcknowledgementExpired",
        "Exhausted",
        "Resolved",
        "Canceled",
        "ContactsPlanned",
        "Contacted",
        "UnknownZone",
        "NoLayers",
        "DuplicateLayer",
        "NoMembers",
        "InvalidTurn",
        "LayerEndsBeforeStart",
        "InvalidRestriction",
        "EmptyPeriod",
        "CoverIsMember",
        "UnknownLayer",
        "OutOfRange",
        "NoSteps",
        "NoTargets",
        "TooManyReminders",
        "TooManyRepeats",
        "InvalidAckTimeout",
        "NegativeDuration",
        "UnknownSchedule",
        "UnknownRoster",
        "NotAllowed",
        "NotNotified",
        "UnknownStep",
        "ClockWentBackwards",
        "TimeOverflow",
        "DuplicateProfile",
        "UnknownProfileZone",
        "TooManyMethods",
        "TooManyRules",
        "InvalidName",
        "DuplicateName",
        "NoRuleSteps",
        "TooManyRuleSteps",
        "UnknownMethod",
        "InvalidDelay",
        "InvalidRepeat",
        "InvalidAttempt",
        "InvalidHours",
        "Unreachable::NoProfile",
        "Unreachable::NoRule",
        "Unreachable::NoEnabledMethod",
        "Unreachable::NoMethodOn",
        "Unreachable::TooLate",
        "Unreachable::OutOfRange",
        "Handoff::on_call",
        "Handoff::off_call",
        "Handoff::at_from",
        "HandoffNotice::on_call",
        "HandoffNotice::off_call",
        "HandoffNotice::TimeOverflow",
        "HandoffRule::disabled",
        "HandoffRule::InvalidDelay",
        "HandoffRule::UnknownMethod",
    ] {
        assert!(seen.contains(kind), "no saved input reaches {kind}");
    }
}
