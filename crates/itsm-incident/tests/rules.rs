//! The incident rules as given/when/then cases: given these events happened, when this actor
//! sends this command at this time, then `decide` answers exactly this (events or error).
//!
//! Every command's happy path and every `Error` variant appear at least once, with
//! ServiceNow's documented semantics (see `DOMAIN.md`, Incidents).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::{
    ALICE, BOB, ID, NETWORK, OTHER, SERVICE_DESK, THIRD, agent, caller, check, check_with, cmd,
    day, ev, fold, integration, mim, nobody, report_of, resolution, run, snapshot, status,
    superuser, system, t,
};
use itsm_core::{Axis, Error as CoreError};
use itsm_core::{Impact, Priority, PriorityMatrix, Urgency};
use itsm_core::{Role, UserId};
use itsm_incident::{
    Assignment, ChangeId, Escalation, EscalationKind, HoldReason, Link, Links, ProblemId, Status,
    StatusKind,
};
use itsm_incident::{
    AutoCloseFrom, Command, CommandKind, Error, Event, HoldReasonRule, Policy,
    ReassignmentCounting, State, allowed_commands, next_deadline,
};

use CommandKind as C;
use StatusKind as S;

fn role(name: &str) -> Role {
    Role::new(name).unwrap()
}

/// The error of a permission refusal, as the ServiceNow preset words it.
fn denied(command: CommandKind, allowed: &[&str], held: &[&str]) -> Error {
    Error::Denied {
        command,
        reason: CoreError::PermissionDenied {
            action: command.name().to_owned(),
            allowed: allowed.iter().map(|r| role(r)).collect(),
            held: held.iter().map(|r| role(r)).collect(),
        },
    }
}

fn not_allowed(state: StatusKind, command: CommandKind, allowed: &[CommandKind]) -> Error {
    Error::NotAllowed {
        state: state.name().to_owned(),
        command: command.name().to_owned(),
        allowed: allowed.iter().map(|c| c.name().to_owned()).collect(),
    }
}

/// The ServiceNow hold reasons, in policy order.
fn servicenow_reasons() -> Vec<HoldReason> {
    vec![
        HoldReason::AwaitingCaller,
        HoldReason::AwaitingChange,
        HoldReason::AwaitingProblem,
        HoldReason::AwaitingVendor,
        HoldReason::AwaitingEvidence,
    ]
}

fn incident(state: &State) -> &itsm_incident::Incident {
    state.incident().unwrap()
}

// Histories used again and again.
fn new_incident() -> Vec<Event> {
    vec![ev::reported(t(0))]
}
fn in_progress() -> Vec<Event> {
    vec![ev::reported(t(0)), ev::started(t(1))]
}
fn on_hold(reason: HoldReason) -> Vec<Event> {
    vec![
        ev::reported(t(0)),
        ev::started(t(1)),
        ev::on_hold(t(2), reason),
    ]
}
/// Resolved at `t(3)`.
fn resolved() -> Vec<Event> {
    vec![ev::reported(t(0)), ev::started(t(1)), ev::resolved(t(3))]
}
fn closed() -> Vec<Event> {
    let mut h = resolved();
    h.push(ev::closed(t(4), &caller(), false));
    h
}
fn canceled() -> Vec<Event> {
    vec![ev::reported(t(0)), ev::canceled(t(1))]
}

// ---------------------------------------------------------------------------------------
// report and import

#[test]
fn report_records_a_new_incident_with_the_matrix_priority() {
    let explanation = PriorityMatrix::servicenow()
        .explain(Impact(2), Urgency(2))
        .unwrap();
    let after = check(
        &[],
        cmd::report(),
        &agent(),
        t(0),
        Ok(vec![Event::Reported {
            at: t(0),
            by: agent().user,
            report: Arc::new(common::report()),
            priority: Priority(3),
            explanation: Box::new(explanation),
        }]),
    );
    let inc = incident(&after);
    assert_eq!(after.kind(), S::New);
    assert_eq!(inc.id(), ID);
    assert_eq!(inc.priority(), Priority(3));
    assert_eq!((inc.opened_at(), inc.updated_at()), (t(0), t(0)));
    assert_eq!(inc.assignment(), None);
    assert!(!inc.is_major());
}

#[test]
fn report_priority_is_impact_plus_urgency_minus_one() {
    for impact in 1..=3u8 {
        for urgency in 1..=3u8 {
            let when = Command::Report(Box::new(report_of(ID, impact, urgency)));
            let after = check(
                &[],
                when,
                &agent(),
                t(0),
                Ok(vec![ev::reported_as(ID, impact, urgency, t(0))]),
            );
            assert_eq!(incident(&after).priority(), Priority(impact + urgency - 1));
        }
    }
}

#[test]
fn a_caller_may_report_through_self_service() {
    let mut expected = ev::reported(t(0));
    if let Event::Reported { by, .. } = &mut expected {
        *by = caller().user;
    }
    check(&[], cmd::report(), &caller(), t(0), Ok(vec![expected]));
}

#[test]
fn report_with_a_level_off_the_matrix_is_a_priority_error() {
    check(
        &[],
        Command::Report(Box::new(report_of(ID, 2, 0))),
        &agent(),
        t(0),
        Err(Error::Priority {
            reason: CoreError::UnknownLevel {
                axis: Axis::Urgency,
                value: 0,
                allowed: vec![1, 2, 3],
            },
        }),
    );
}

#[test]
fn report_fields_the_policy_requires() {
    let mut policy = Policy::servicenow();
    policy.required.description = true;
    policy.required.category = true;
    let mut empty = common::report();
    empty.description = String::new();
    check_with(
        &policy,
        &[],
        Command::Report(Box::new(empty)),
        &agent(),
        t(0),
        Err(Error::MissingField {
            command: C::Report,
            field: "description",
        }),
    );
    for category in [None, Some(String::new())] {
        let mut uncategorised = common::report();
        uncategorised.category = category;
        check_with(
            &policy,
            &[],
            Command::Report(Box::new(uncategorised)),
            &agent(),
            t(0),
            Err(Error::MissingField {
                command: C::Report,
                field: "category",
            }),
        );
    }
    // The ServiceNow preset requires neither.
    let mut bare = common::report();
    bare.description = String::new();
    bare.category = None;
    let after = fold(&[]);
    let (after, _) = run(
        &after,
        &Command::Report(Box::new(bare)),
        &agent(),
        t(0),
        &Policy::servicenow(),
    );
    assert_eq!(after.kind(), S::New);
}

#[test]
fn import_brings_in_a_snapshot_in_each_status() {
    let statuses = [
        Status::New,
        Status::InProgress,
        Status::OnHold {
            reason: HoldReason::AwaitingVendor,
            since: day(-2),
        },
        Status::Resolved {
            resolution: resolution("solved", "rebooted"),
            at: day(-1),
        },
        Status::Closed {
            resolution: resolution("solved", "rebooted"),
            at: day(-1),
            auto: true,
        },
        Status::Canceled {
            reason: "duplicate".into(),
            at: day(-1),
        },
    ];
    let mut kinds = Vec::new();
    for status in statuses {
        let snap = snapshot(status.clone());
        let after = check(
            &[],
            Command::Import(Box::new(snap.clone())),
            &integration(),
            t(0),
            Ok(vec![ev::imported(t(0), snap.clone())]),
        );
        let inc = incident(&after);
        assert_eq!(inc.status(), &status);
        assert_eq!(
            inc.snapshot(),
            snap,
            "the snapshot comes back out unchanged"
        );
        assert_eq!(inc.priority(), Priority(3));
        assert_eq!(inc.opened_at(), day(-10));
        assert_eq!(inc.updated_at(), t(0), "the import is the last update");
        kinds.push(after.kind());
    }
    assert_eq!(kinds, StatusKind::ALL);
}

#[test]
fn an_imported_incident_keeps_its_counters_and_accepts_what_its_status_allows() {
    let mut snap = snapshot(Status::Resolved {
        resolution: resolution("solved", "rebooted"),
        at: t(-1),
    });
    snap.assignment = Some(Assignment {
        group: NETWORK,
        person: Some(BOB),
    });
    snap.reassignment_count = 2;
    snap.reopen_count = 1;
    snap.escalation = Escalation {
        functional: 2,
        hierarchical: 1,
    };
    snap.links.problems = vec![ProblemId::from_u128(9)];
    let given = [ev::imported(t(0), snap)];
    let after = check(
        &given,
        cmd::reopen(),
        &agent(),
        t(1),
        Ok(vec![ev::reopened(t(1), &agent(), true)]),
    );
    let inc = incident(&after);
    assert_eq!(inc.reopen_count(), 2);
    assert_eq!(inc.reassignment_count(), 2);
    assert_eq!(inc.escalation().functional, 2);
    assert_eq!(inc.links().problems, vec![ProblemId::from_u128(9)]);
    // Escalation continues from the imported level.
    check(
        &given,
        Command::Escalate {
            kind: EscalationKind::Functional,
            level: 2,
        },
        &agent(),
        t(1),
        Err(not_allowed(
            S::Resolved,
            C::Escalate,
            &[
                C::Assign,
                C::StandDownMajor,
                C::RejectMajor,
                C::Link,
                C::Reopen,
                C::Close,
                C::Tick,
            ],
        )),
    );
}

#[test]
fn import_checks_the_matrix_and_the_hold_reason() {
    let mut snap = snapshot(Status::New);
    snap.report.impact = Impact(4);
    check(
        &[],
        Command::Import(Box::new(snap)),
        &integration(),
        t(0),
        Err(Error::Priority {
            reason: CoreError::UnknownLevel {
                axis: Axis::Impact,
                value: 4,
                allowed: vec![1, 2, 3],
            },
        }),
    );
    let snap = snapshot(Status::OnHold {
        reason: HoldReason::Custom("awaiting_godot".into()),
        since: t(-1),
    });
    check(
        &[],
        Command::Import(Box::new(snap)),
        &integration(),
        t(0),
        Err(Error::UnknownHoldReason {
            reason: HoldReason::Custom("awaiting_godot".into()),
            allowed: servicenow_reasons(),
        }),
    );
}

#[test]
fn an_import_cannot_make_an_incident_its_own_parent_or_child() {
    let mut own_parent = snapshot(Status::InProgress);
    own_parent.links.parent = Some(ID);
    let mut own_child = snapshot(Status::InProgress);
    own_child.links.children = vec![OTHER, ID];
    for snap in [own_parent, own_child] {
        check(
            &[],
            Command::Import(Box::new(snap)),
            &integration(),
            t(0),
            Err(Error::SelfLink { id: ID }),
        );
    }
}

#[test]
fn only_an_integration_imports() {
    for actor in [agent(), system(), caller()] {
        let held: Vec<String> = actor.roles.iter().map(ToString::to_string).collect();
        let held: Vec<&str> = held.iter().map(String::as_str).collect();
        check(
            &[],
            Command::Import(Box::new(snapshot(Status::New))),
            &actor,
            t(0),
            Err(denied(C::Import, &["integration"], &held)),
        );
    }
}

#[test]
fn nothing_but_report_import_and_tick_before_the_incident_exists() {
    check(&[], Command::Tick, &nobody(), t(0), Ok(vec![]));
    let err = check(
        &[],
        Command::StartWork,
        &agent(),
        t(0),
        Err(not_allowed(
            S::Unreported,
            C::StartWork,
            &[C::Report, C::Import, C::Tick],
        )),
    );
    assert_eq!(err, State::new());
}

#[test]
fn report_and_import_are_refused_once_the_incident_exists() {
    for when in [
        cmd::report(),
        Command::Import(Box::new(snapshot(Status::New))),
    ] {
        let kind = when.kind();
        check(
            &new_incident(),
            when,
            &superuser(),
            t(1),
            Err(not_allowed(S::New, kind, &allowed_commands(S::New))),
        );
    }
}

// ---------------------------------------------------------------------------------------
// assign and reassignment counting

#[test]
fn the_first_assignment_is_not_a_reassignment() {
    let after = check(
        &new_incident(),
        Command::Assign {
            group: SERVICE_DESK,
            person: None,
        },
        &agent(),
        t(1),
        Ok(vec![ev::assigned(t(1), SERVICE_DESK, None, false)]),
    );
    let inc = incident(&after);
    assert_eq!(inc.reassignment_count(), 0);
    assert_eq!(
        inc.assignment(),
        Some(Assignment {
            group: SERVICE_DESK,
            person: None
        })
    );
}

#[test]
fn assigning_to_the_same_group_and_person_is_a_no_op() {
    let given = [
        ev::reported(t(0)),
        ev::assigned(t(1), SERVICE_DESK, Some(ALICE), false),
    ];
    let after = check(
        &given,
        Command::Assign {
            group: SERVICE_DESK,
            person: Some(ALICE),
        },
        &agent(),
        t(2),
        Ok(vec![]),
    );
    assert_eq!(incident(&after).updated_at(), t(1), "a no-op is no update");
}

#[test]
fn servicenow_counts_only_group_changes() {
    let given = vec![
        ev::reported(t(0)),
        ev::assigned(t(1), SERVICE_DESK, Some(ALICE), false),
    ];
    // Another person in the same group: recorded, not counted.
    let after = check(
        &given,
        Command::Assign {
            group: SERVICE_DESK,
            person: Some(BOB),
        },
        &agent(),
        t(2),
        Ok(vec![ev::assigned(t(2), SERVICE_DESK, Some(BOB), false)]),
    );
    assert_eq!(incident(&after).reassignment_count(), 0);
    // Another group: counted.
    let after = check(
        &given,
        Command::Assign {
            group: NETWORK,
            person: None,
        },
        &agent(),
        t(2),
        Ok(vec![ev::assigned(t(2), NETWORK, None, true)]),
    );
    assert_eq!(incident(&after).reassignment_count(), 1);
    // And again back: counted again.
    let mut longer = given.clone();
    longer.push(ev::assigned(t(2), NETWORK, None, true));
    let after = check(
        &longer,
        Command::Assign {
            group: SERVICE_DESK,
            person: None,
        },
        &agent(),
        t(3),
        Ok(vec![ev::assigned(t(3), SERVICE_DESK, None, true)]),
    );
    assert_eq!(incident(&after).reassignment_count(), 2);
}

#[test]
fn group_or_person_change_counts_a_new_person_too() {
    let policy = {
        let mut policy = Policy::servicenow();
        policy.reassignment_counting = ReassignmentCounting::GroupOrPersonChange;
        policy
    };
    let given = [
        ev::reported(t(0)),
        ev::assigned(t(1), SERVICE_DESK, Some(ALICE), false),
    ];
    let after = check_with(
        &policy,
        &given,
        Command::Assign {
            group: SERVICE_DESK,
            person: Some(BOB),
        },
        &agent(),
        t(2),
        Ok(vec![ev::assigned(t(2), SERVICE_DESK, Some(BOB), true)]),
    );
    assert_eq!(incident(&after).reassignment_count(), 1);
    // Dropping the person is a change of person as well.
    check_with(
        &policy,
        &given,
        Command::Assign {
            group: SERVICE_DESK,
            person: None,
        },
        &agent(),
        t(2),
        Ok(vec![ev::assigned(t(2), SERVICE_DESK, None, true)]),
    );
    // Same group and person: still a no-op.
    check_with(
        &policy,
        &given,
        Command::Assign {
            group: SERVICE_DESK,
            person: Some(ALICE),
        },
        &agent(),
        t(2),
        Ok(vec![]),
    );
}

// ---------------------------------------------------------------------------------------
// work, hold, caller response, resume

#[test]
fn start_work_moves_a_new_incident_in_progress() {
    let after = check(
        &new_incident(),
        Command::StartWork,
        &agent(),
        t(1),
        Ok(vec![ev::started(t(1))]),
    );
    assert_eq!(status(&after), &Status::InProgress);
    check(
        &in_progress(),
        Command::StartWork,
        &agent(),
        t(2),
        Err(not_allowed(
            S::InProgress,
            C::StartWork,
            &allowed_commands(S::InProgress),
        )),
    );
}

#[test]
fn put_on_hold_from_new_and_in_progress_records_reason_and_since() {
    for given in [new_incident(), in_progress()] {
        let after = check(
            &given,
            cmd::hold(HoldReason::AwaitingVendor),
            &agent(),
            t(2),
            Ok(vec![Event::PutOnHold {
                at: t(2),
                by: agent().user,
                reason: HoldReason::AwaitingVendor,
                comment: None,
            }]),
        );
        assert_eq!(
            status(&after),
            &Status::OnHold {
                reason: HoldReason::AwaitingVendor,
                since: t(2)
            }
        );
    }
}

#[test]
fn changing_the_hold_reason_while_on_hold() {
    let given = on_hold(HoldReason::AwaitingVendor);
    let after = check(
        &given,
        cmd::hold(HoldReason::AwaitingChange),
        &agent(),
        t(3),
        Ok(vec![ev::on_hold(t(3), HoldReason::AwaitingChange)]),
    );
    assert_eq!(
        status(&after),
        &Status::OnHold {
            reason: HoldReason::AwaitingChange,
            since: t(3)
        }
    );
    // The same reason again changes nothing (and keeps `since`).
    check(
        &given,
        cmd::hold(HoldReason::AwaitingVendor),
        &agent(),
        t(3),
        Ok(vec![]),
    );
}

#[test]
fn awaiting_caller_needs_a_comment() {
    for comment in [None, Some(String::new())] {
        check(
            &in_progress(),
            Command::PutOnHold {
                reason: HoldReason::AwaitingCaller,
                comment,
            },
            &agent(),
            t(2),
            Err(Error::MissingField {
                command: C::PutOnHold,
                field: "comment",
            }),
        );
    }
    check(
        &in_progress(),
        cmd::hold(HoldReason::AwaitingCaller),
        &agent(),
        t(2),
        Ok(vec![ev::on_hold(t(2), HoldReason::AwaitingCaller)]),
    );
    // Other reasons need none.
    for reason in servicenow_reasons().into_iter().skip(1) {
        check(
            &in_progress(),
            Command::PutOnHold {
                reason: reason.clone(),
                comment: None,
            },
            &agent(),
            t(2),
            Ok(vec![Event::PutOnHold {
                at: t(2),
                by: agent().user,
                reason,
                comment: None,
            }]),
        );
    }
}

#[test]
fn a_hold_reason_outside_the_policy_is_refused_and_a_listed_custom_one_accepted() {
    let godot = HoldReason::Custom("awaiting_godot".into());
    check(
        &in_progress(),
        Command::PutOnHold {
            reason: godot.clone(),
            comment: Some("any day now".into()),
        },
        &agent(),
        t(2),
        Err(Error::UnknownHoldReason {
            reason: godot.clone(),
            allowed: servicenow_reasons(),
        }),
    );
    let mut policy = Policy::servicenow();
    policy.hold_reasons.push(HoldReasonRule::new(godot.clone()));
    check_with(
        &policy,
        &in_progress(),
        Command::PutOnHold {
            reason: godot.clone(),
            comment: None,
        },
        &agent(),
        t(2),
        Ok(vec![Event::PutOnHold {
            at: t(2),
            by: agent().user,
            reason: godot,
            comment: None,
        }]),
    );
}

#[test]
fn a_caller_response_clears_awaiting_caller() {
    let after = check(
        &on_hold(HoldReason::AwaitingCaller),
        cmd::caller_responded(),
        &caller(),
        t(3),
        Ok(vec![ev::caller_responded(t(3))]),
    );
    assert_eq!(status(&after), &Status::InProgress);
}

#[test]
fn a_caller_response_is_a_no_op_for_other_holds_and_when_not_on_hold() {
    for reason in servicenow_reasons().into_iter().skip(1) {
        let after = check(
            &on_hold(reason.clone()),
            cmd::caller_responded(),
            &caller(),
            t(3),
            Ok(vec![]),
        );
        assert_eq!(after.kind(), S::OnHold, "{reason} stays on hold");
    }
    for given in [new_incident(), in_progress()] {
        check(&given, cmd::caller_responded(), &caller(), t(3), Ok(vec![]));
    }
    check(
        &resolved(),
        cmd::caller_responded(),
        &caller(),
        t(4),
        Err(not_allowed(
            S::Resolved,
            C::CallerResponded,
            &allowed_commands(S::Resolved),
        )),
    );
}

#[test]
fn resume_takes_an_incident_off_hold() {
    let after = check(
        &on_hold(HoldReason::AwaitingVendor),
        Command::Resume,
        &agent(),
        t(3),
        Ok(vec![ev::resumed(t(3))]),
    );
    assert_eq!(status(&after), &Status::InProgress);
    check(
        &in_progress(),
        Command::Resume,
        &agent(),
        t(3),
        Err(not_allowed(
            S::InProgress,
            C::Resume,
            &allowed_commands(S::InProgress),
        )),
    );
}

// ---------------------------------------------------------------------------------------
// reprioritize, escalate, major

#[test]
fn reprioritize_recomputes_the_priority_and_records_why() {
    let explanation = PriorityMatrix::servicenow()
        .explain(Impact(1), Urgency(2))
        .unwrap();
    assert_eq!(
        explanation.to_string(),
        "impact 1 (High) and urgency 2 (Medium) give priority 2 (High) by cell (impact 1, urgency 2) of matrix `servicenow`"
    );
    let after = check(
        &in_progress(),
        Command::Reprioritize {
            impact: Impact(1),
            urgency: Urgency(2),
        },
        &agent(),
        t(2),
        Ok(vec![Event::Reprioritized {
            at: t(2),
            by: agent().user,
            impact: Impact(1),
            urgency: Urgency(2),
            priority: Priority(2),
            explanation: Box::new(explanation),
        }]),
    );
    let inc = incident(&after);
    assert_eq!(inc.priority(), Priority(2));
    assert_eq!((inc.impact(), inc.urgency()), (Impact(1), Urgency(2)));
    // The report stays as the caller gave it; a snapshot carries the current levels, so an
    // import of it recomputes the current priority.
    assert_eq!(
        (inc.report().impact, inc.report().urgency),
        (Impact(2), Urgency(2))
    );
    let snap = inc.snapshot();
    assert_eq!(
        (snap.report.impact, snap.report.urgency),
        (Impact(1), Urgency(2))
    );
    assert_eq!(snap.report.description, inc.report().description);
    // A second reassessment replaces the first; going back to the reported levels is a
    // change too, and the getters follow.
    let back = check(
        &[in_progress(), vec![ev::reprioritized(t(2), 1, 2)]].concat(),
        Command::Reprioritize {
            impact: Impact(2),
            urgency: Urgency(2),
        },
        &agent(),
        t(3),
        Ok(vec![ev::reprioritized(t(3), 2, 2)]),
    );
    let inc = incident(&back);
    assert_eq!((inc.impact(), inc.urgency()), (Impact(2), Urgency(2)));
    assert_eq!(inc.priority(), Priority(3));
    // The same levels again: nothing to do.
    check(
        &in_progress(),
        Command::Reprioritize {
            impact: Impact(2),
            urgency: Urgency(2),
        },
        &agent(),
        t(2),
        Ok(vec![]),
    );
}

#[test]
fn reprioritize_to_an_unknown_impact_is_a_priority_error() {
    let err = Error::Priority {
        reason: CoreError::UnknownLevel {
            axis: Axis::Impact,
            value: 4,
            allowed: vec![1, 2, 3],
        },
    };
    assert_eq!(
        err.to_string(),
        "cannot compute the priority: impact 4 is not on the impact scale; allowed: 1, 2, 3"
    );
    check(
        &on_hold(HoldReason::AwaitingVendor),
        Command::Reprioritize {
            impact: Impact(4),
            urgency: Urgency(1),
        },
        &agent(),
        t(3),
        Err(err),
    );
}

#[test]
fn escalation_goes_up_to_the_policy_maximum() {
    use EscalationKind::{Functional, Hierarchical};
    let given = in_progress();
    let esc = |kind, level| Command::Escalate { kind, level };
    check(
        &given,
        esc(Functional, 1),
        &agent(),
        t(2),
        Ok(vec![ev::escalated(t(2), Functional, 1)]),
    );
    // Levels may be skipped.
    let after = check(
        &given,
        esc(Hierarchical, 3),
        &agent(),
        t(2),
        Ok(vec![ev::escalated(t(2), Hierarchical, 3)]),
    );
    assert_eq!(
        incident(&after).escalation(),
        Escalation {
            functional: 0,
            hierarchical: 3
        }
    );
    let mut at_one = given.clone();
    at_one.push(ev::escalated(t(2), Functional, 1));
    for (level, current) in [(0, 1), (1, 1), (4, 1)] {
        check(
            &at_one,
            esc(Functional, level),
            &agent(),
            t(3),
            Err(Error::EscalationLevel {
                kind: Functional,
                current,
                requested: level,
                max: 3,
            }),
        );
    }
    check(
        &given,
        esc(Functional, 0),
        &agent(),
        t(2),
        Err(Error::EscalationLevel {
            kind: Functional,
            current: 0,
            requested: 0,
            max: 3,
        }),
    );
}

#[test]
fn replaying_a_foreign_log_never_lowers_an_escalation_level() {
    // `evolve` checks no rules, but a log from elsewhere may list a lower level after a
    // higher one; the level reached stays.
    let state = fold(&[
        ev::reported(t(0)),
        ev::escalated(t(1), EscalationKind::Functional, 2),
        ev::escalated(t(2), EscalationKind::Functional, 1),
    ]);
    assert_eq!(incident(&state).escalation().functional, 2);
    assert_eq!(incident(&state).updated_at(), t(2));
}

#[test]
fn only_a_major_incident_manager_declares_and_stands_down() {
    for actor in [agent(), system(), caller()] {
        let held: Vec<String> = actor.roles.iter().map(ToString::to_string).collect();
        let held: Vec<&str> = held.iter().map(String::as_str).collect();
        check(
            &in_progress(),
            cmd::declare_major(),
            &actor,
            t(2),
            Err(denied(C::DeclareMajor, &["major_incident_manager"], &held)),
        );
    }
    let after = check(
        &in_progress(),
        cmd::declare_major(),
        &mim(),
        t(2),
        Ok(vec![ev::major(t(2))]),
    );
    assert!(incident(&after).is_major());
    let mut major = in_progress();
    major.push(ev::major(t(2)));
    check(
        &major,
        cmd::stand_down(),
        &agent(),
        t(3),
        Err(denied(
            C::StandDownMajor,
            &["major_incident_manager"],
            &["agent"],
        )),
    );
    let after = check(
        &major,
        cmd::stand_down(),
        &mim(),
        t(3),
        Ok(vec![ev::stood_down(t(3))]),
    );
    assert!(!incident(&after).is_major());
}

#[test]
fn declaring_twice_and_standing_down_a_minor_incident_are_refused() {
    let mut major = in_progress();
    major.push(ev::major(t(2)));
    check(
        &major,
        cmd::declare_major(),
        &mim(),
        t(3),
        Err(Error::AlreadyMajor),
    );
    check(
        &in_progress(),
        cmd::stand_down(),
        &mim(),
        t(3),
        Err(Error::NotMajor),
    );
    assert_eq!(
        Error::AlreadyMajor.to_string(),
        "the incident is already a major incident; stand it down first"
    );
}

// ---------------------------------------------------------------------------------------
// links

#[test]
fn links_to_problems_changes_parent_and_children() {
    let links = [
        Link::Problem(ProblemId::from_u128(7)),
        Link::Change(ChangeId::from_u128(8)),
        Link::Parent(OTHER),
        Link::Child(THIRD),
    ];
    let mut given = in_progress();
    for (i, link) in links.into_iter().enumerate() {
        let at = t(2 + i as i64);
        check(
            &given,
            Command::Link { link },
            &agent(),
            at,
            Ok(vec![ev::linked(at, link)]),
        );
        given.push(ev::linked(at, link));
    }
    let state = fold(&given);
    assert_eq!(incident(&state).links(), &{
        let mut links = Links::default();
        links.problems = vec![ProblemId::from_u128(7)];
        links.changes = vec![ChangeId::from_u128(8)];
        links.parent = Some(OTHER);
        links.children = vec![THIRD];
        links
    });
    // Linking again is a no-op, for every kind.
    for link in links {
        check(&given, Command::Link { link }, &agent(), t(9), Ok(vec![]));
    }
}

#[test]
fn children_stay_sorted_whatever_the_linking_order() {
    let mut given = in_progress();
    given.push(ev::linked(t(2), Link::Child(THIRD)));
    let after = check(
        &given,
        Command::Link {
            link: Link::Child(OTHER),
        },
        &agent(),
        t(3),
        Ok(vec![ev::linked(t(3), Link::Child(OTHER))]),
    );
    assert_eq!(incident(&after).links().children, vec![OTHER, THIRD]);
}

#[test]
fn an_incident_is_not_its_own_parent_or_child() {
    for link in [Link::Parent(ID), Link::Child(ID)] {
        check(
            &in_progress(),
            Command::Link { link },
            &agent(),
            t(2),
            Err(Error::SelfLink { id: ID }),
        );
    }
}

#[test]
fn a_second_parent_is_refused_the_same_parent_is_a_no_op() {
    let mut given = in_progress();
    given.push(ev::linked(t(2), Link::Parent(OTHER)));
    check(
        &given,
        Command::Link {
            link: Link::Parent(THIRD),
        },
        &agent(),
        t(3),
        Err(Error::ParentAlreadySet {
            current: OTHER,
            requested: THIRD,
        }),
    );
    check(
        &given,
        Command::Link {
            link: Link::Parent(OTHER),
        },
        &agent(),
        t(3),
        Ok(vec![]),
    );
}

#[test]
fn a_resolved_incident_still_accepts_links() {
    let link = Link::Problem(ProblemId::from_u128(7));
    let after = check(
        &resolved(),
        Command::Link { link },
        &agent(),
        t(4),
        Ok(vec![ev::linked(t(4), link)]),
    );
    assert_eq!(after.kind(), S::Resolved);
}

#[test]
fn importing_unsorted_links_keeps_them_sorted_and_without_repeats() {
    // A foreign tool exports children in its own order.
    let mut snap = snapshot(Status::InProgress);
    snap.links.children = vec![THIRD, OTHER, THIRD];
    snap.links.problems = vec![ProblemId::from_u128(9), ProblemId::from_u128(8)];
    let given = [ev::imported(t(0), snap)];
    let state = fold(&given);
    assert_eq!(incident(&state).links().children, vec![OTHER, THIRD]);
    assert_eq!(
        incident(&state).links().problems,
        vec![ProblemId::from_u128(8), ProblemId::from_u128(9)]
    );
    // So linking a child already there is the no-op it should be.
    for child in [OTHER, THIRD] {
        check(
            &given,
            Command::Link {
                link: Link::Child(child),
            },
            &agent(),
            t(1),
            Ok(vec![]),
        );
    }
}

// ---------------------------------------------------------------------------------------
// resolve, reopen, close, cancel

#[test]
fn resolve_from_every_open_state() {
    for given in [
        new_incident(),
        in_progress(),
        on_hold(HoldReason::AwaitingCaller),
        on_hold(HoldReason::AwaitingProblem),
    ] {
        let after = check(
            &given,
            cmd::resolve(),
            &agent(),
            t(3),
            Ok(vec![ev::resolved(t(3))]),
        );
        assert_eq!(
            status(&after),
            &Status::Resolved {
                resolution: resolution("solved", "replaced the cable"),
                at: t(3)
            }
        );
    }
}

#[test]
fn resolve_needs_a_code_and_notes() {
    check(
        &in_progress(),
        Command::Resolve {
            code: String::new(),
            notes: "n".into(),
        },
        &agent(),
        t(2),
        Err(Error::MissingField {
            command: C::Resolve,
            field: "resolution code",
        }),
    );
    check(
        &in_progress(),
        Command::Resolve {
            code: "solved".into(),
            notes: String::new(),
        },
        &agent(),
        t(2),
        Err(Error::MissingField {
            command: C::Resolve,
            field: "resolution notes",
        }),
    );
}

#[test]
fn a_resolution_code_outside_the_policy_list_is_refused() {
    let policy = {
        let mut policy = Policy::servicenow();
        policy.resolution_codes = vec!["solved".into(), "workaround".into()];
        policy
    };
    let err = Error::UnknownResolutionCode {
        code: "magic".into(),
        allowed: vec!["solved".into(), "workaround".into()],
    };
    assert_eq!(
        err.to_string(),
        "resolution code `magic` is not in the policy; allowed: solved, workaround"
    );
    check_with(
        &policy,
        &in_progress(),
        Command::Resolve {
            code: "magic".into(),
            notes: "n".into(),
        },
        &agent(),
        t(2),
        Err(err),
    );
    check_with(
        &policy,
        &in_progress(),
        cmd::resolve(),
        &agent(),
        t(2),
        Ok(vec![ev::resolved(t(2))]),
    );
}

#[test]
fn a_caller_cannot_resolve() {
    let err = denied(C::Resolve, &["agent", "system"], &["caller"]);
    assert_eq!(
        err.to_string(),
        "`resolve` refused: resolve needs one of the roles agent, system; the actor has caller"
    );
    check(&in_progress(), cmd::resolve(), &caller(), t(2), Err(err));
    check(
        &in_progress(),
        cmd::resolve(),
        &nobody(),
        t(2),
        Err(denied(C::Resolve, &["agent", "system"], &[])),
    );
}

#[test]
fn reopen_from_resolved_counts_reopens() {
    // A caller's reopen is not a support reopen; an agent's is.
    let after = check(
        &resolved(),
        cmd::reopen(),
        &caller(),
        t(4),
        Ok(vec![ev::reopened(t(4), &caller(), false)]),
    );
    assert_eq!(status(&after), &Status::InProgress);
    assert_eq!(incident(&after).reopen_count(), 1);
    let mut twice = resolved();
    twice.push(ev::reopened(t(4), &caller(), false));
    twice.push(ev::resolved(t(5)));
    let after = check(
        &twice,
        cmd::reopen(),
        &agent(),
        t(6),
        Ok(vec![ev::reopened(t(6), &agent(), true)]),
    );
    assert_eq!(incident(&after).reopen_count(), 2);
}

#[test]
fn a_closed_incident_cannot_reopen() {
    let err = not_allowed(S::Closed, C::Reopen, &[C::Tick]);
    assert_eq!(
        err.to_string(),
        "`reopen` is not allowed in state `closed`; allowed there: `tick`"
    );
    check(&closed(), cmd::reopen(), &caller(), t(5), Err(err));
    // Nor can anything else happen to it, for anyone, except time passing.
    for when in [
        Command::StartWork,
        cmd::resolve(),
        Command::Close { resolution: None },
        cmd::cancel(),
        cmd::declare_major(),
        Command::Link {
            link: Link::Child(OTHER),
        },
    ] {
        let kind = when.kind();
        check(
            &closed(),
            when,
            &superuser(),
            t(5),
            Err(not_allowed(S::Closed, kind, &[C::Tick])),
        );
    }
    check(&closed(), Command::Tick, &system(), day(400), Ok(vec![]));
}

#[test]
fn reopen_within_and_after_the_window() {
    let policy = {
        let mut policy = Policy::servicenow();
        policy.reopen_window = Some(Duration::days(2));
        policy
    };
    let until = t(3) + Duration::days(2);
    // The last instant of the window is still inside.
    check_with(
        &policy,
        &resolved(),
        cmd::reopen(),
        &caller(),
        until,
        Ok(vec![ev::reopened(until, &caller(), false)]),
    );
    let late = until + Duration::seconds(1);
    let err = Error::ReopenWindowPassed {
        resolved_at: t(3),
        window: Duration::days(2),
        until,
        now: late,
    };
    assert_eq!(
        err.to_string(),
        "the reopen window of P2D after resolution at 2026-03-02 12:00:00 UTC has passed \
         (now 2026-03-04 12:00:01 UTC); reopen is allowed until 2026-03-04 12:00:00 UTC"
    );
    check_with(
        &policy,
        &resolved(),
        cmd::reopen(),
        &caller(),
        late,
        Err(err),
    );
}

#[test]
fn the_end_of_a_reopen_window_past_the_calendar_is_an_error_not_a_panic() {
    let policy = {
        let mut policy = Policy::servicenow();
        policy.reopen_window = Some(Duration::days(2));
        policy
    };
    let far = DateTime::<Utc>::MAX_UTC;
    let given = [ev::imported(
        t(0),
        snapshot(Status::Resolved {
            resolution: resolution("solved", "n"),
            at: far,
        }),
    )];
    check_with(
        &policy,
        &given,
        cmd::reopen(),
        &agent(),
        t(1),
        Err(Error::DateOverflow {
            what: "the end of the reopen window",
        }),
    );
}

#[test]
fn close_a_resolved_incident_by_hand() {
    let after = check(
        &resolved(),
        Command::Close { resolution: None },
        &caller(),
        t(5),
        Ok(vec![ev::closed(t(5), &caller(), false)]),
    );
    assert_eq!(
        status(&after),
        &Status::Closed {
            // A closed incident keeps the whole resolution, notes included.
            resolution: resolution("solved", "replaced the cable"),
            at: t(5),
            auto: false
        }
    );
    for given in [new_incident(), in_progress()] {
        let from = fold(&given).kind();
        check(
            &given,
            Command::Close { resolution: None },
            &caller(),
            t(5),
            Err(not_allowed(from, C::Close, &allowed_commands(from))),
        );
    }
}

#[test]
fn cancel_only_from_new_or_in_progress() {
    for given in [new_incident(), in_progress()] {
        let after = check(
            &given,
            cmd::cancel(),
            &agent(),
            t(3),
            Ok(vec![Event::Canceled {
                at: t(3),
                by: agent().user,
                reason: "duplicate".into(),
            }]),
        );
        assert_eq!(
            status(&after),
            &Status::Canceled {
                reason: "duplicate".into(),
                at: t(3)
            }
        );
    }
    let refused = [
        (
            on_hold(HoldReason::AwaitingVendor),
            S::OnHold,
            vec![
                C::Assign,
                C::PutOnHold,
                C::CallerResponded,
                C::Resume,
                C::Reprioritize,
                C::Escalate,
                C::DeclareMajor,
                C::StandDownMajor,
                C::ProposeMajor,
                C::AcceptMajor,
                C::RejectMajor,
                C::Link,
                C::Resolve,
                C::Tick,
            ],
        ),
        (
            resolved(),
            S::Resolved,
            vec![
                C::Assign,
                C::StandDownMajor,
                C::RejectMajor,
                C::Link,
                C::Reopen,
                C::Close,
                C::Tick,
            ],
        ),
        (closed(), S::Closed, vec![C::Tick]),
        (canceled(), S::Canceled, vec![C::Tick]),
    ];
    for (given, state, allowed) in refused {
        assert_eq!(allowed, allowed_commands(state));
        check(
            &given,
            cmd::cancel(),
            &agent(),
            t(5),
            Err(not_allowed(state, C::Cancel, &allowed)),
        );
    }
}

#[test]
fn cancel_needs_a_reason() {
    check(
        &new_incident(),
        Command::Cancel {
            reason: String::new(),
        },
        &agent(),
        t(1),
        Err(Error::MissingField {
            command: C::Cancel,
            field: "reason",
        }),
    );
}

// ---------------------------------------------------------------------------------------
// tick and auto-close

#[test]
fn auto_close_at_the_deadline_and_not_a_second_earlier() {
    let policy = Policy::servicenow();
    let state = fold(&resolved());
    let due = next_deadline(&state, &policy).unwrap();
    assert_eq!(due, t(3) + Duration::days(7));
    check(
        &resolved(),
        Command::Tick,
        &system(),
        due - Duration::seconds(1),
        Ok(vec![]),
    );
    let after = check(
        &resolved(),
        Command::Tick,
        &system(),
        due,
        Ok(vec![ev::closed(due, &system(), true)]),
    );
    assert_eq!(
        status(&after),
        &Status::Closed {
            resolution: resolution("solved", "replaced the cable"),
            at: due,
            auto: true
        }
    );
    assert_eq!(next_deadline(&after, &policy), None);
    // A late tick closes too; the timer needs no role.
    let late = due + Duration::days(3);
    check(
        &resolved(),
        Command::Tick,
        &nobody(),
        late,
        Ok(vec![ev::closed(late, &nobody(), true)]),
    );
}

#[test]
fn nothing_is_due_before_resolution() {
    let policy = Policy::servicenow();
    for given in [
        new_incident(),
        in_progress(),
        on_hold(HoldReason::AwaitingVendor),
        closed(),
        canceled(),
    ] {
        assert_eq!(next_deadline(&fold(&given), &policy), None);
        check(&given, Command::Tick, &system(), day(365), Ok(vec![]));
    }
}

#[test]
fn a_major_incident_is_never_auto_closed_until_stood_down() {
    let policy = Policy::servicenow();
    let mut given = in_progress();
    given.push(ev::major(t(2)));
    given.push(ev::resolved(t(3)));
    assert_eq!(next_deadline(&fold(&given), &policy), None);
    check(&given, Command::Tick, &system(), day(30), Ok(vec![]));
    // Stand-down while resolved makes it due again, counted from the resolution.
    let after = check(
        &given,
        cmd::stand_down(),
        &mim(),
        day(30),
        Ok(vec![ev::stood_down(day(30))]),
    );
    assert_eq!(after.kind(), S::Resolved);
    assert_eq!(
        next_deadline(&after, &policy),
        Some(t(3) + Duration::days(7))
    );
    given.push(ev::stood_down(day(30)));
    check(
        &given,
        Command::Tick,
        &system(),
        day(30),
        Ok(vec![ev::closed(day(30), &system(), true)]),
    );
}

#[test]
fn no_auto_close_duration_means_never() {
    let policy = {
        let mut policy = Policy::servicenow();
        policy.auto_close_after = None;
        policy
    };
    assert_eq!(next_deadline(&fold(&resolved()), &policy), None);
    check_with(
        &policy,
        &resolved(),
        Command::Tick,
        &system(),
        day(10_000),
        Ok(vec![]),
    );
}

#[test]
fn auto_close_counted_from_the_last_update() {
    let policy = {
        let mut policy = Policy::servicenow();
        policy.auto_close_from = AutoCloseFrom::LastUpdate;
        policy
    };
    let mut given = resolved();
    given.push(ev::linked(day(3), Link::Problem(ProblemId::from_u128(7))));
    let state = fold(&given);
    assert_eq!(next_deadline(&state, &policy), Some(day(10)));
    assert_eq!(
        next_deadline(&state, &Policy::servicenow()),
        Some(t(3) + Duration::days(7)),
        "counted from the resolution, the link does not matter"
    );
    check_with(
        &policy,
        &given,
        Command::Tick,
        &system(),
        day(9),
        Ok(vec![]),
    );
    check_with(
        &policy,
        &given,
        Command::Tick,
        &system(),
        day(10),
        Ok(vec![ev::closed(day(10), &system(), true)]),
    );
}

// ---------------------------------------------------------------------------------------
// the clock and the error messages

#[test]
fn the_clock_must_not_go_backwards() {
    let err = Error::ClockWentBackwards {
        last: t(1),
        now: t(0),
    };
    assert_eq!(
        err.to_string(),
        "the clock went backwards: now is 2026-03-02 09:00:00 UTC but the incident was last \
         updated at 2026-03-02 10:00:00 UTC; time must not decrease"
    );
    check(
        &in_progress(),
        cmd::resolve(),
        &agent(),
        t(0),
        Err(err.clone()),
    );
    // Checked before anything else: the table, the role.
    check(&in_progress(), Command::Resume, &nobody(), t(0), Err(err));
    // A tick is the host's timer: two hosts' clocks drift, so a tick before the last event
    // does nothing (it is never an error).
    check(&in_progress(), Command::Tick, &system(), t(0), Ok(vec![]));
    // The same instant is fine.
    check(
        &in_progress(),
        cmd::resolve(),
        &agent(),
        t(1),
        Ok(vec![ev::resolved(t(1))]),
    );
}

#[test]
fn error_messages_are_pinned() {
    assert_eq!(
        not_allowed(
            S::Unreported,
            C::StartWork,
            &[C::Report, C::Import, C::Tick]
        )
        .to_string(),
        "`start_work` is not allowed in state `unreported`; allowed there: `report`, `import`, `tick`"
    );
    assert_eq!(
        not_allowed(S::Canceled, C::Reopen, &[]).to_string(),
        "`reopen` is not allowed in state `canceled`; allowed there: nothing"
    );
    assert_eq!(
        denied(C::DeclareMajor, &["major_incident_manager"], &["agent"]).to_string(),
        "`declare_major` refused: declare_major needs one of the roles major_incident_manager; the actor has agent"
    );
    assert_eq!(
        denied(C::Import, &["integration"], &[]).to_string(),
        "`import` refused: import needs one of the roles integration; the actor has (none)"
    );
    assert_eq!(
        Error::MissingField {
            command: C::PutOnHold,
            field: "comment"
        }
        .to_string(),
        "`put_on_hold` needs a non-empty comment"
    );
    assert_eq!(
        Error::UnknownHoldReason {
            reason: HoldReason::Custom("awaiting_godot".into()),
            allowed: servicenow_reasons(),
        }
        .to_string(),
        "hold reason `awaiting_godot` is not in the policy; allowed: `awaiting_caller`, \
         `awaiting_change`, `awaiting_problem`, `awaiting_vendor`, `awaiting_evidence`"
    );
    assert_eq!(
        Error::EscalationLevel {
            kind: EscalationKind::Functional,
            current: 1,
            requested: 4,
            max: 3
        }
        .to_string(),
        "functional escalation to level 4 refused: the incident is at level 1; allowed: levels 2 to 3"
    );
    assert_eq!(
        Error::SelfLink { id: ID }.to_string(),
        "incident 00000000-0000-0000-0000-000000010001 cannot be its own parent, child or follow-up"
    );
    assert_eq!(
        Error::DateOverflow {
            what: "the end of the reopen window"
        }
        .to_string(),
        "the date overflows: the end of the reopen window"
    );
}

#[test]
fn an_escalation_refused_at_the_top_level_says_so_without_overflowing() {
    // At the maximum there is no higher level to offer.
    assert_eq!(
        Error::EscalationLevel {
            kind: EscalationKind::Hierarchical,
            current: 3,
            requested: 3,
            max: 3
        }
        .to_string(),
        "hierarchical escalation to level 3 refused: the incident is at level 3; allowed: none, 3 is the highest level"
    );
    // An imported incident may sit at any level; its error message must still render.
    let mut snap = snapshot(Status::InProgress);
    snap.escalation.functional = u8::MAX;
    let err = Error::EscalationLevel {
        kind: EscalationKind::Functional,
        current: u8::MAX,
        requested: 3,
        max: 3,
    };
    check(
        &[ev::imported(t(0), snap)],
        Command::Escalate {
            kind: EscalationKind::Functional,
            level: 3,
        },
        &agent(),
        t(1),
        Err(err.clone()),
    );
    assert_eq!(
        err.to_string(),
        "functional escalation to level 3 refused: the incident is at level 255; allowed: none, 3 is the highest level"
    );
}

#[test]
fn every_event_carries_the_time_and_the_actor_of_its_command() {
    let caller_id: UserId = caller().user;
    let state = fold(&on_hold(HoldReason::AwaitingCaller));
    let (_, events) = run(
        &state,
        &cmd::caller_responded(),
        &caller(),
        t(7),
        &Policy::servicenow(),
    );
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].at(), events[0].by()), (t(7), caller_id));
    assert_eq!(events[0].name(), "caller_responded");
}

/// Issue 20: an incident resolved so late that its auto-close deadline overflows chrono's
/// range would never close and nobody would be told: `decide` refuses it, naming the field.
#[test]
fn resolving_when_the_auto_close_deadline_would_overflow_is_refused() {
    let late = DateTime::<Utc>::MAX_UTC - Duration::days(3);
    let given = [
        ev::reported(late - Duration::hours(2)),
        ev::started(late - Duration::hours(1)),
    ];
    let expected = Err(Error::DateOverflow {
        what: "the auto-close deadline (this instant plus the policy's auto_close_after)",
    });
    check(&given, cmd::resolve(), &agent(), late, expected.clone());
    // Without auto-close there is no deadline to compute.
    let mut never = Policy::servicenow();
    never.auto_close_after = None;
    check_with(
        &never,
        &given,
        cmd::resolve(),
        &agent(),
        late,
        Ok(vec![ev::resolved(late)]),
    );
    // Counting from the last update, any later update of the resolved incident is checked too.
    let mut from_update = Policy::servicenow();
    from_update.auto_close_from = itsm_incident::AutoCloseFrom::LastUpdate;
    from_update.auto_close_after = Some(Duration::days(1));
    let resolved_early = [
        ev::reported(late - Duration::days(1)),
        ev::started(late - Duration::days(1)),
        ev::resolved(late - Duration::days(1)),
    ];
    check_with(
        &from_update,
        &resolved_early,
        Command::Link {
            link: itsm_incident::Link::Problem(itsm_incident::ProblemId::from_u128(5)),
        },
        &agent(),
        DateTime::<Utc>::MAX_UTC - Duration::hours(1),
        Err(Error::DateOverflow {
            what: "the auto-close deadline (this instant plus the policy's auto_close_after)",
        }),
    );
    // Counting from the resolution (ServiceNow's default), the same late update leaves the
    // deadline where the resolution put it, in range: accepted (found by mutation testing).
    let mut from_resolution = from_update.clone();
    from_resolution.auto_close_from = itsm_incident::AutoCloseFrom::Resolution;
    let link = itsm_incident::Link::Problem(itsm_incident::ProblemId::from_u128(5));
    check_with(
        &from_resolution,
        &resolved_early,
        Command::Link { link },
        &agent(),
        DateTime::<Utc>::MAX_UTC - Duration::hours(1),
        Ok(vec![ev::linked(
            DateTime::<Utc>::MAX_UTC - Duration::hours(1),
            link,
        )]),
    );
}

/// Issue 20, found by the sequences at the ends of time: importing an already resolved
/// incident whose auto-close deadline overflows is refused too, not stored with no deadline.
#[test]
fn importing_a_resolved_incident_whose_deadline_would_overflow_is_refused() {
    let late = DateTime::<Utc>::MAX_UTC - Duration::hours(1);
    let imported = |at| {
        Command::Import(Box::new(snapshot(Status::Resolved {
            resolution: resolution("solved", "n"),
            at,
        })))
    };
    let expected = Err(Error::DateOverflow {
        what: "the auto-close deadline (the imported incident's resolution or this instant \
               plus the policy's auto_close_after)",
    });
    // Counting from the resolution, which the snapshot carries.
    check(&[], imported(late), &integration(), t(0), expected.clone());
    // Counting from the last update: the import itself, now.
    let mut from_update = Policy::servicenow();
    from_update.auto_close_from = itsm_incident::AutoCloseFrom::LastUpdate;
    check_with(
        &from_update,
        &[],
        imported(t(0)),
        &integration(),
        late,
        expected,
    );
    // A resolution in range imports, and its deadline is there to tick at.
    let state = check_with(
        &from_update,
        &[],
        imported(t(0)),
        &integration(),
        t(1),
        Ok(vec![ev::imported(
            t(1),
            snapshot(Status::Resolved {
                resolution: resolution("solved", "n"),
                at: t(0),
            }),
        )]),
    );
    assert_eq!(
        itsm_incident::next_deadline(&state, &from_update),
        Some(t(1) + Duration::days(7))
    );
}

/// Issue 20, found by auditing the deadlines: an incident imported as a major incident has
/// no deadline, so its import is not checked; standing it down gives it one, and one that
/// overflows is refused then. So is any update of a resolved incident under a policy whose
/// delay no longer fits, counting from the resolution; closing it stays possible.
#[test]
fn standing_down_a_major_incident_whose_deadline_would_overflow_is_refused() {
    let late = DateTime::<Utc>::MAX_UTC - Duration::hours(1);
    let mut major = snapshot(Status::Resolved {
        resolution: resolution("solved", "n"),
        at: late,
    });
    major.major = true;
    let given = [ev::imported(t(0), major)];
    let state = common::fold(&given);
    assert_eq!(
        itsm_incident::next_deadline(&state, &Policy::servicenow()),
        None
    );
    check(
        &given,
        cmd::stand_down(),
        &mim(),
        t(1),
        Err(Error::DateOverflow {
            what: "the auto-close deadline (the incident's resolution plus the policy's \
                   auto_close_after)",
        }),
    );
    // Without auto-close, nothing is due: stood down.
    let mut never = Policy::servicenow();
    never.auto_close_after = None;
    check_with(
        &never,
        &given,
        cmd::stand_down(),
        &mim(),
        t(1),
        Ok(vec![ev::stood_down(t(1))]),
    );
    // A resolution in range, under a policy whose delay grew past the end of time.
    let resolved = [ev::reported(t(0)), ev::started(t(1)), ev::resolved(t(2))];
    let mut huge = Policy::servicenow();
    huge.auto_close_after = Some(Duration::MAX);
    let link = itsm_incident::Link::Problem(itsm_incident::ProblemId::from_u128(5));
    check_with(
        &huge,
        &resolved,
        Command::Link { link },
        &agent(),
        t(3),
        Err(Error::DateOverflow {
            what: "the auto-close deadline (the incident's resolution plus the policy's \
                   auto_close_after)",
        }),
    );
    // Leaving the resolved state is not refused: the incident no longer waits for a deadline.
    let (closed, _) = run(
        &common::fold(&resolved),
        &Command::Close { resolution: None },
        &caller(),
        t(3),
        &huge,
    );
    assert_eq!(status(&closed).kind(), S::Closed);
}

/// A snapshot carries the current urgency too, not the reported one (found by mutation
/// testing: only a change of impact was checked).
#[test]
fn a_snapshot_carries_the_current_urgency() {
    let state = common::fold(&[in_progress(), vec![ev::reprioritized(t(2), 2, 1)]].concat());
    let inc = incident(&state);
    assert_eq!(inc.report().urgency, Urgency(2));
    let snap = inc.snapshot();
    assert_eq!(
        (snap.report.impact, snap.report.urgency),
        (Impact(2), Urgency(1))
    );
}
