//! Workflows: lifecycles vendors shape as policy data.
//!
//! The iTop tests follow iTop's own data model, one test per documented transition rule:
//! Combodo/iTop, `datamodels/2.x/itop-incident-mgmt-itil/datamodel.itop-incident-mgmt-itil.xml`,
//! the `<lifecycle>` of class `Incident` (states new, escalated_tto, assigned, escalated_ttr,
//! pending, resolved, closed; stimuli ev_assign, ev_reassign, ev_pending, ev_timeout,
//! ev_autoresolve, ev_resolve, ev_close, ev_reopen). The GLPI tests follow GLPI's ticket
//! statuses as `DOMAIN.md` summarises them.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::field_reassign_with_default, // `WorkflowSpec` is non-exhaustive: no literal
)]

mod common;

use std::collections::BTreeSet;

use chrono::Duration;
use common::{ALICE, NETWORK, SERVICE_DESK, agent, caller, cmd, day, fold, snapshot, system, t};
use itsm_core::{Actor, LifecycleProblem, explore};
use itsm_incident::{
    CloseUnresolved, Command, Context, Error, Event, Policy, ReopenClosed, Resolution, State,
    Status, StatusKind, TransitionSpec, Workflow, WorkflowSpec, WorkflowState, decide, evolve,
};

/// Runs commands in order (each an hour after the previous one), folding the events;
/// returns the state and every event, or the first refusal with its step.
fn run(policy: &Policy, steps: &[(Command, Actor)]) -> Result<(State, Vec<Event>), (usize, Error)> {
    let mut state = State::new();
    let mut log = Vec::new();
    for (i, (command, actor)) in steps.iter().enumerate() {
        let ctx = Context::new(t(i64::try_from(i).unwrap()), actor, policy);
        let events = decide(&state, command, &ctx).map_err(|e| (i, e))?;
        for event in &events {
            state = evolve(state, event);
        }
        log.extend(events);
    }
    Ok((state, log))
}

fn name(state: &State) -> &str {
    state.incident().unwrap().state_name()
}

fn assign() -> Command {
    Command::Assign {
        group: SERVICE_DESK,
        person: Some(ALICE),
    }
}

fn reassign() -> Command {
    Command::Assign {
        group: NETWORK,
        person: None,
    }
}

fn itop_resolve() -> Command {
    Command::Resolve {
        code: "software patch".into(),
        notes: "patched the VPN client".into(),
    }
}

fn transition(name: &str) -> Command {
    Command::Transition { name: name.into() }
}

fn not_allowed(err: &Error) -> (&str, &str) {
    match err {
        Error::NotAllowed { state, command, .. } => (state, command),
        other => panic!("expected NotAllowed, got {other:?}"),
    }
}

// ---- iTop, from its data model ----

#[test]
fn itop_new_ev_assign_goes_to_assigned() {
    let (state, log) = run(
        &Policy::itop(),
        &[(cmd::report(), agent()), (assign(), agent())],
    )
    .unwrap();
    assert_eq!(name(&state), "assigned");
    assert_eq!(state.kind(), StatusKind::InProgress);
    // The assignment and the entry into iTop's state, both told by events.
    assert!(matches!(log[1], Event::Assigned { .. }));
    assert!(
        matches!(&log[2], Event::Entered { state, kind: StatusKind::InProgress, .. } if &**state == "assigned")
    );
    // A follow-up is refused there, naming the vendor's state and its kind.
    let request = itsm_incident::Report::new(
        itsm_incident::IncidentId::from_u128(0xF0),
        ALICE,
        itsm_core::Impact(3),
        itsm_core::Urgency(3),
        "again",
    );
    let err = itsm_incident::follow_up(&state, request, &Policy::itop()).unwrap_err();
    assert!(
        err.to_string()
            .contains("is in state `assigned` (of kind `in_progress`); only a closed incident"),
        "{err}"
    );
}

#[test]
fn itop_new_ev_timeout_goes_to_escalated_tto_then_ev_assign_to_assigned() {
    let (state, _) = run(
        &Policy::itop(),
        &[(cmd::report(), agent()), (transition("timeout"), system())],
    )
    .unwrap();
    assert_eq!(
        (name(&state), state.kind()),
        ("escalated_tto", StatusKind::New)
    );
    let (state, _) = run(
        &Policy::itop(),
        &[
            (cmd::report(), agent()),
            (transition("timeout"), system()),
            (assign(), agent()),
        ],
    )
    .unwrap();
    assert_eq!(name(&state), "assigned");
}

#[test]
fn itop_timeout_is_the_systems_stimulus() {
    let err = run(
        &Policy::itop(),
        &[(cmd::report(), agent()), (transition("timeout"), agent())],
    )
    .unwrap_err();
    assert!(matches!(err, (1, Error::Denied { .. })), "{err:?}");
}

#[test]
fn itop_assigned_ev_pending_goes_to_pending_and_ev_assign_returns_to_assigned() {
    let steps = [
        (cmd::report(), agent()),
        (assign(), agent()),
        (
            cmd::hold(itsm_incident::HoldReason::AwaitingVendor),
            agent(),
        ),
    ];
    let (state, _) = run(&Policy::itop(), &steps).unwrap();
    assert_eq!(
        (name(&state), state.kind()),
        ("pending", StatusKind::OnHold)
    );
    let mut more = steps.to_vec();
    more.push((reassign(), agent()));
    let (state, _) = run(&Policy::itop(), &more).unwrap();
    assert_eq!(
        (name(&state), state.kind()),
        ("assigned", StatusKind::InProgress)
    );
}

/// A vendor's state changes the timeline's phase as its kind does (found by the fuzz
/// harness's timeline check): iTop's `ev_assign` enters `assigned`, in progress, so the
/// incident is acknowledged then; `ev_assign` from `pending` resumes it.
#[test]
fn itop_states_entered_move_the_timeline_as_their_kinds_do() {
    let steps = [
        (cmd::report(), agent()),
        (assign(), agent()),
        (
            cmd::hold(itsm_incident::HoldReason::AwaitingVendor),
            agent(),
        ),
        (reassign(), agent()),
    ];
    let (state, log) = run(&Policy::itop(), &steps).unwrap();
    let timeline = itsm_incident::timeline(&log).unwrap();
    let marks: Vec<(&str, chrono::DateTime<chrono::Utc>)> = timeline
        .marks()
        .iter()
        .map(|m| (m.kind.name(), m.at))
        .collect();
    assert_eq!(
        marks,
        [
            ("assigned", t(1)),
            ("acknowledged", t(1)),
            ("paused", t(2)),
            ("assigned", t(3)),
            ("resumed", t(3)),
        ]
    );
    assert_eq!(timeline.category_at(t(3)), Some(state.kind().category()));
}

#[test]
fn itop_new_has_no_ev_pending() {
    let (_, err) = run(
        &Policy::itop(),
        &[
            (cmd::report(), agent()),
            (
                cmd::hold(itsm_incident::HoldReason::AwaitingVendor),
                agent(),
            ),
        ],
    )
    .unwrap_err();
    assert_eq!(not_allowed(&err), ("new", "put_on_hold"));
}

#[test]
fn itop_assigned_ev_reassign_stays_assigned_and_counts() {
    let (state, _) = run(
        &Policy::itop(),
        &[
            (cmd::report(), agent()),
            (assign(), agent()),
            (reassign(), agent()),
        ],
    )
    .unwrap();
    let incident = state.incident().unwrap();
    assert_eq!(incident.state_name(), "assigned");
    assert_eq!(incident.reassignment_count(), 1);
}

#[test]
fn itop_assigned_ev_timeout_goes_to_escalated_ttr_and_ev_reassign_back_to_assigned() {
    let steps = [
        (cmd::report(), agent()),
        (assign(), agent()),
        (transition("timeout"), system()),
    ];
    let (state, _) = run(&Policy::itop(), &steps).unwrap();
    assert_eq!(
        (name(&state), state.kind()),
        ("escalated_ttr", StatusKind::InProgress)
    );
    let mut more = steps.to_vec();
    more.push((reassign(), agent()));
    let (state, _) = run(&Policy::itop(), &more).unwrap();
    assert_eq!(name(&state), "assigned");
}

#[test]
fn itop_ev_resolve_ev_close_and_ev_reopen_to_assigned() {
    let base = [
        (cmd::report(), agent()),
        (assign(), agent()),
        (itop_resolve(), agent()),
    ];
    let (state, _) = run(&Policy::itop(), &base).unwrap();
    assert_eq!(
        (name(&state), state.kind()),
        ("resolved", StatusKind::Resolved)
    );
    let mut closed = base.to_vec();
    closed.push((Command::Close { resolution: None }, caller()));
    assert_eq!(name(&run(&Policy::itop(), &closed).unwrap().0), "closed");
    let mut reopened = base.to_vec();
    reopened.push((cmd::reopen(), caller()));
    let (state, _) = run(&Policy::itop(), &reopened).unwrap();
    assert_eq!(name(&state), "assigned");
    assert_eq!(state.incident().unwrap().reopen_count(), 1);
}

#[test]
fn itop_ev_autoresolve_resolves_a_new_incident() {
    let (state, _) = run(
        &Policy::itop(),
        &[(cmd::report(), agent()), (itop_resolve(), system())],
    )
    .unwrap();
    assert_eq!(name(&state), "resolved");
}

#[test]
fn itop_closed_has_no_transitions() {
    let mut steps = vec![
        (cmd::report(), agent()),
        (assign(), agent()),
        (itop_resolve(), agent()),
        (Command::Close { resolution: None }, caller()),
    ];
    steps.push((cmd::reopen(), agent()));
    let (_, err) = run(&Policy::itop(), &steps).unwrap_err();
    assert_eq!(not_allowed(&err), ("closed", "reopen"));
    match err {
        Error::NotAllowed { allowed, .. } => assert_eq!(allowed, ["tick"]),
        _ => unreachable!(),
    }
}

#[test]
fn itop_incidents_cannot_be_canceled() {
    for state in [
        "new",
        "escalated_tto",
        "assigned",
        "escalated_ttr",
        "pending",
    ] {
        assert_eq!(Workflow::itop().target(state, "cancel"), None, "{state}");
    }
    let (_, err) = run(
        &Policy::itop(),
        &[(cmd::report(), agent()), (cmd::cancel(), agent())],
    )
    .unwrap_err();
    assert_eq!(not_allowed(&err), ("new", "cancel"));
}

#[test]
fn itop_resolution_codes_are_itops() {
    let (_, err) = run(
        &Policy::itop(),
        &[
            (cmd::report(), agent()),
            (assign(), agent()),
            (cmd::resolve(), agent()),
        ],
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::UnknownResolutionCode { .. }),
        "{err:?}"
    );
}

/// iTop: resolving requires a resolution code and a solution (DOMAIN.md's summary of its
/// data model).
#[test]
fn itop_resolving_needs_a_solution() {
    let steps = |notes: &str| {
        [
            (cmd::report(), agent()),
            (assign(), agent()),
            (
                Command::Resolve {
                    code: "software patch".into(),
                    notes: notes.into(),
                },
                agent(),
            ),
        ]
    };
    let (step, err) = run(&Policy::itop(), &steps("")).unwrap_err();
    assert_eq!(step, 2);
    assert!(matches!(err, Error::MissingField { .. }), "{err:?}");
    assert!(run(&Policy::itop(), &steps("patched the VPN client")).is_ok());
}

/// Each vendor preset carries its own priority matrix (DOMAIN.md: iTop's and GLPI's
/// differ from ServiceNow's, GLPI's even in direction).
#[test]
fn itop_and_glpi_presets_use_their_own_priority_matrices() {
    use itsm_core::PriorityMatrix;
    assert_eq!(Policy::itop().matrix, PriorityMatrix::itop());
    assert_eq!(Policy::glpi().matrix, PriorityMatrix::glpi());
    assert_ne!(Policy::itop().matrix, Policy::servicenow().matrix);
    assert_ne!(Policy::glpi().matrix, Policy::servicenow().matrix);
}

#[test]
fn itop_import_enters_the_first_state_of_the_kind() {
    let policy = Policy::itop();
    let integration = common::integration();
    let ctx = Context::new(t(0), &integration, &policy);
    let events = decide(
        &State::new(),
        &Command::Import(Box::new(snapshot(Status::InProgress))),
        &ctx,
    )
    .unwrap();
    let state = events.iter().fold(State::new(), evolve);
    assert_eq!(name(&state), "assigned");
    let canceled = snapshot(Status::Canceled {
        reason: "dup".into(),
        at: day(-1),
    });
    assert_eq!(
        decide(&State::new(), &Command::Import(Box::new(canceled)), &ctx),
        Err(Error::KindNotInWorkflow {
            kind: StatusKind::Canceled,
            workflow: "itop".into()
        })
    );
}

// ---- GLPI ----

#[test]
fn glpi_assign_plan_pending_solve_refuse_and_approve() {
    let policy = Policy::glpi();
    let steps = vec![
        (cmd::report(), agent()),
        (assign(), agent()),
        (transition("plan"), agent()),
        (
            cmd::hold(itsm_incident::HoldReason::AwaitingVendor),
            agent(),
        ),
        (Command::Resume, agent()),
        (cmd::resolve(), agent()),
        (cmd::reopen(), caller()), // the requester refuses the solution
        (cmd::resolve(), agent()),
        (Command::Close { resolution: None }, caller()), // and approves this one
    ];
    let names: Vec<String> = (1..=steps.len())
        .map(|n| name(&run(&policy, &steps[..n]).unwrap().0).to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "new", "assigned", "planned", "pending", "assigned", "solved", "assigned", "solved",
            "closed"
        ]
    );
}

#[test]
fn glpi_unassign_keeps_the_status_and_clears_the_assignment() {
    let (state, log) = run(
        &Policy::glpi(),
        &[
            (cmd::report(), agent()),
            (assign(), agent()),
            (Command::Unassign, agent()),
        ],
    )
    .unwrap();
    assert_eq!(name(&state), "assigned");
    assert_eq!(state.incident().unwrap().assignment(), None);
    assert!(matches!(log.last(), Some(Event::Unassigned { .. })));
    // Nothing assigned: a no-op.
    let (_, log) = run(
        &Policy::glpi(),
        &[(cmd::report(), agent()), (Command::Unassign, agent())],
    )
    .unwrap();
    assert_eq!(log.len(), 1);
}

// ---- ServiceNow: unchanged ----

#[test]
fn servicenow_is_the_default_and_refuses_the_variants() {
    let policy = Policy::servicenow();
    assert_eq!(policy.workflow, Workflow::servicenow());
    assert_eq!(
        Workflow::servicenow().lifecycle(),
        itsm_incident::lifecycle()
    );
    let closed = [
        (cmd::report(), agent()),
        (Command::StartWork, agent()),
        (cmd::resolve(), agent()),
        (Command::Close { resolution: None }, caller()),
    ];
    let mut reopen = closed.to_vec();
    reopen.push((cmd::reopen(), caller()));
    assert_eq!(
        not_allowed(&run(&policy, &reopen).unwrap_err().1),
        ("closed", "reopen")
    );
    let (_, err) = run(
        &policy,
        &[
            (cmd::report(), agent()),
            (Command::StartWork, agent()),
            (Command::Close { resolution: None }, agent()),
        ],
    )
    .unwrap_err();
    assert_eq!(not_allowed(&err), ("in_progress", "close"));
    let (_, err) = run(
        &policy,
        &[(cmd::report(), agent()), (Command::Unassign, agent())],
    )
    .unwrap_err();
    assert_eq!(not_allowed(&err), ("new", "unassign"));
    // Its events never name a state: no `entered`.
    let (_, log) = run(&policy, &closed).unwrap();
    assert!(!log.iter().any(|e| matches!(e, Event::Entered { .. })));
}

#[cfg(feature = "serde")]
#[test]
fn a_policy_file_without_a_workflow_is_servicenows() {
    let mut json = serde_json::to_value(Policy::servicenow()).unwrap();
    json.as_object_mut().unwrap().remove("workflow");
    let policy: Policy = serde_json::from_value(json).unwrap();
    assert_eq!(policy, Policy::servicenow());
}

// ---- the variants ----

fn servicenow_with(change: impl FnOnce(&mut WorkflowSpec)) -> Policy {
    let mut spec = WorkflowSpec::default();
    change(&mut spec);
    let mut policy = Policy::servicenow();
    policy.workflow = Workflow::new(spec).unwrap();
    policy
}

fn closed_steps() -> Vec<(Command, Actor)> {
    vec![
        (cmd::report(), agent()),
        (Command::StartWork, agent()),
        (cmd::resolve(), agent()),
        (Command::Close { resolution: None }, caller()),
    ]
}

#[test]
fn reopen_closed_always_reopens_to_in_progress_and_counts() {
    let policy = servicenow_with(|s| s.reopen_closed = ReopenClosed::Always);
    let mut steps = closed_steps();
    steps.push((cmd::reopen(), caller()));
    let (state, _) = run(&policy, &steps).unwrap();
    assert_eq!(state.kind(), StatusKind::InProgress);
    assert_eq!(state.incident().unwrap().reopen_count(), 1);
}

#[test]
fn reopen_closed_within_a_window() {
    let policy = servicenow_with(|s| s.reopen_closed = ReopenClosed::Within(Duration::minutes(90)));
    // Closed at t(3); the reopen comes at t(4): inside 90 minutes.
    let mut steps = closed_steps();
    steps.push((cmd::reopen(), caller()));
    assert!(run(&policy, &steps).is_ok());
    // Forty minutes is too short.
    let policy = servicenow_with(|s| s.reopen_closed = ReopenClosed::Within(Duration::minutes(40)));
    let (_, err) = run(&policy, &steps).unwrap_err();
    assert_eq!(
        err,
        Error::ReopenClosedWindowPassed {
            closed_at: t(3),
            window: Duration::minutes(40),
            until: t(3) + Duration::minutes(40),
            now: t(4),
        }
    );
    assert!(
        err.to_string()
            .starts_with("the reopen window of PT40M after closure"),
        "{err}"
    );
}

#[test]
fn a_reopen_exactly_at_the_end_of_the_window_is_still_inside_it() {
    // Closed at t(3), reopened at t(4): a window of exactly an hour still holds it, a
    // window a nanosecond shorter does not.
    let mut steps = closed_steps();
    steps.push((cmd::reopen(), caller()));
    let policy = servicenow_with(|s| s.reopen_closed = ReopenClosed::Within(Duration::hours(1)));
    assert!(run(&policy, &steps).is_ok());
    let short = Duration::hours(1) - Duration::nanoseconds(1);
    let policy = servicenow_with(|s| s.reopen_closed = ReopenClosed::Within(short));
    let (_, err) = run(&policy, &steps).unwrap_err();
    assert!(
        matches!(err, Error::ReopenClosedWindowPassed { .. }),
        "{err}"
    );
}

#[test]
fn a_direct_close_checks_the_code_it_is_given_and_no_empty_one() {
    // Codes not required on a direct close, but the policy lists the allowed ones.
    let mut policy =
        servicenow_with(|s| s.close_unresolved = CloseUnresolved::new(["in_progress"], false));
    policy.resolution_codes = vec!["solved".into()];
    let start = [(cmd::report(), agent()), (Command::StartWork, agent())];
    let close = |resolution: Option<Resolution>| {
        let mut steps = start.to_vec();
        steps.push((Command::Close { resolution }, agent()));
        run(&policy, &steps)
    };
    // No code given, or an empty one: nothing to check, it closes.
    let (state, _) = close(None).unwrap();
    assert_eq!(state.kind(), StatusKind::Closed);
    let (state, _) = close(Some(Resolution {
        code: String::new(),
        notes: String::new(),
    }))
    .unwrap();
    assert_eq!(state.kind(), StatusKind::Closed);
    // A code given is checked against the list.
    let (_, err) = close(Some(Resolution {
        code: "magic".into(),
        notes: String::new(),
    }))
    .unwrap_err();
    assert!(
        matches!(err, Error::UnknownResolutionCode { .. }),
        "{err:?}"
    );
    let (state, _) = close(Some(Resolution {
        code: "solved".into(),
        notes: String::new(),
    }))
    .unwrap();
    assert_eq!(state.kind(), StatusKind::Closed);
}

#[test]
fn close_unresolved_resolves_and_closes_at_once() {
    let policy =
        servicenow_with(|s| s.close_unresolved = CloseUnresolved::new(["in_progress"], true));
    let start = [(cmd::report(), agent()), (Command::StartWork, agent())];
    let with = |resolution: Option<Resolution>| {
        let mut steps = start.to_vec();
        steps.push((Command::Close { resolution }, agent()));
        run(&policy, &steps)
    };
    let (_, err) = with(None).unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingField {
                field: "resolution code",
                ..
            }
        ),
        "{err:?}"
    );
    let (state, log) = with(Some(Resolution {
        code: "solved".into(),
        notes: String::new(),
    }))
    .unwrap();
    assert!(matches!(log[log.len() - 2], Event::Resolved { .. }));
    assert!(matches!(
        log[log.len() - 1],
        Event::Closed { auto: false, .. }
    ));
    match state.incident().unwrap().status() {
        Status::Closed { resolution, .. } => assert_eq!(resolution.code, "solved"),
        other => panic!("{other:?}"),
    }
    // Not from new: only the listed states.
    let (_, err) = run(
        &policy,
        &[
            (cmd::report(), agent()),
            (Command::Close { resolution: None }, agent()),
        ],
    )
    .unwrap_err();
    assert_eq!(not_allowed(&err), ("new", "close"));
    // Without a code requirement, a bare close closes with an empty resolution.
    let policy =
        servicenow_with(|s| s.close_unresolved = CloseUnresolved::new(["in_progress"], false));
    let mut steps = start.to_vec();
    steps.push((Command::Close { resolution: None }, agent()));
    let (state, log) = run(&policy, &steps).unwrap();
    assert_eq!(state.kind(), StatusKind::Closed);
    assert_eq!(log.len(), 3);
}

// ---- checked at load ----

#[test]
fn a_broken_workflow_is_refused_with_every_problem() {
    let mut spec = WorkflowSpec::default();
    spec.name = "broken".into();
    // An unreachable state, a dead end, an unknown state, a command to the wrong kind, an
    // ambiguous command and a close_unresolved that names a resolved state.
    spec.states
        .push(WorkflowState::new("orphan", StatusKind::InProgress));
    spec.states
        .push(WorkflowState::new("limbo", StatusKind::OnHold));
    spec.transitions
        .push(TransitionSpec::new("orphan", "resolve", "resolved"));
    spec.transitions
        .push(TransitionSpec::new("in_progress", "wait", "limbo"));
    spec.transitions
        .push(TransitionSpec::new("limbo", "wait", "limbo"));
    spec.transitions
        .push(TransitionSpec::new("new", "escalate", "nowhere"));
    spec.transitions
        .push(TransitionSpec::new("new", "start_work", "resolved"));
    spec.close_unresolved.from = vec!["resolved".into()];
    let Err(itsm_core::Error::InvalidLifecycle {
        lifecycle,
        problems,
    }) = Workflow::new(spec)
    else {
        panic!("accepted")
    };
    assert_eq!(lifecycle, "broken");
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(
        has("close_unresolved names `resolved` of kind `resolved`"),
        "{text:#?}"
    );
    assert!(
        has("`new` --start_work--> `resolved`: from kind `new` it leads to kind `in_progress`"),
        "{text:#?}"
    );
    assert!(
        has("`in_progress` --wait--> `limbo`: a vendor transition keeps the kind"),
        "{text:#?}"
    );
    assert!(problems.contains(&LifecycleProblem::UnknownState {
        command: "escalate".into(),
        state: "nowhere".into()
    }));
    assert!(problems.contains(&LifecycleProblem::AmbiguousCommand {
        state: "new".into(),
        command: "start_work".into(),
        targets: vec!["in_progress".into(), "resolved".into()]
    }));
    assert!(problems.contains(&LifecycleProblem::Unreachable {
        state: "orphan".into()
    }));
    assert!(problems.contains(&LifecycleProblem::DeadEnd {
        state: "limbo".into()
    }));
}

#[test]
fn report_import_and_transition_are_not_transitions() {
    let mut spec = WorkflowSpec::default();
    spec.transitions
        .push(TransitionSpec::new("new", "import", "new"));
    spec.transitions
        .push(TransitionSpec::new("new", "transition", "new"));
    let err = Workflow::new(spec).unwrap_err().to_string();
    assert!(
        err.contains("`report` and `import` create incidents"),
        "{err}"
    );
    assert!(err.contains("name the transition instead"), "{err}");
}

#[cfg(feature = "serde")]
#[test]
fn a_broken_policy_file_is_refused_at_load_naming_every_problem() {
    let mut json = serde_json::to_value(Policy::servicenow()).unwrap();
    json["workflow"] = serde_json::json!({
        "name": "broken",
        "states": [
            {"name": "new", "kind": "new"},
            {"name": "work", "kind": "in_progress"},
            {"name": "lost", "kind": "in_progress"},
            {"name": "done", "kind": "closed"}
        ],
        "transitions": [
            {"from": "new", "command": "start_work", "to": "work"},
            {"from": "work", "command": "assign", "to": "work"}
        ]
    });
    let err = serde_json::from_value::<Policy>(json)
        .unwrap_err()
        .to_string();
    assert!(err.contains("lifecycle `broken` is invalid"), "{err}");
    assert!(
        err.contains("state `lost` cannot be reached from an initial state"),
        "{err}"
    );
    assert!(
        err.contains("no terminal state can be reached from state `work`"),
        "{err}"
    );
    assert!(
        err.contains("no terminal state can be reached from state `new`"),
        "{err}"
    );
}

#[cfg(feature = "serde")]
#[test]
fn a_policy_file_may_switch_on_one_variant_only() {
    let mut json = serde_json::to_value(Policy::servicenow()).unwrap();
    json["workflow"] = serde_json::json!({"reopen_closed": {"within": "P30D"}});
    let policy: Policy = serde_json::from_value(json).unwrap();
    assert_eq!(
        policy.workflow.target("closed", "reopen"),
        Some("in_progress")
    );
    assert_eq!(policy.workflow.name(), "servicenow");
}

// ---- folding ----

#[test]
fn events_rebuild_the_vendor_state_without_the_policy() {
    let steps = [
        (cmd::report(), agent()),
        (assign(), agent()),
        (transition("timeout"), system()),
        (
            cmd::hold(itsm_incident::HoldReason::AwaitingVendor),
            agent(),
        ),
    ];
    let (state, log) = run(&Policy::itop(), &steps).unwrap();
    let stored: Vec<Event> = log.iter().map(common::through_storage).collect();
    assert_eq!(fold(&stored), state);
    assert_eq!(name(&state), "pending");
}

/// Bounded exploration of each preset: every accepted step leaves the incident in a state of
/// the workflow whose kind is the incident's kind, and moves along a transition of the
/// workflow (or stays).
#[test]
fn exploring_the_presets_stays_inside_their_workflows() {
    let superuser = common::superuser();
    for policy in [Policy::servicenow(), Policy::itop(), Policy::glpi()] {
        let workflow = policy.workflow.clone();
        let alphabet = vec![
            cmd::report(),
            assign(),
            reassign(),
            Command::StartWork,
            cmd::hold(itsm_incident::HoldReason::AwaitingVendor),
            Command::Resume,
            itop_resolve(),
            cmd::reopen(),
            Command::Close { resolution: None },
            cmd::cancel(),
            Command::Unassign,
            transition("timeout"),
            transition("plan"),
            transition("unplan"),
        ];
        let mut edges = BTreeSet::new();
        let mut policy = policy;
        policy.resolution_codes.clear();
        let report = explore(
            (State::new(), 0i64),
            &alphabet,
            6,
            |(s, _)| format!("{s:?}"),
            |(s, n), c| {
                let ctx = Context::new(t(*n), &superuser, &policy);
                let events = decide(s, c, &ctx)?;
                Ok::<_, Error>((events.iter().fold(s.clone(), evolve), n + 1))
            },
            |(before, _), command, (after, _)| {
                let Some(incident) = after.incident() else {
                    return Ok(());
                };
                let here = incident.state_name();
                if workflow.kind_of(here) != Some(incident.status().kind()) {
                    return Err(format!(
                        "`{here}` is not a {} state",
                        incident.status().kind()
                    ));
                }
                if let Some(from) = before.incident().map(|i| i.state_name().to_owned()) {
                    if from != here && workflow.target(&from, command.name()) != Some(here) {
                        return Err(format!(
                            "{from} --{}--> {here} is not in the workflow",
                            command.name()
                        ));
                    }
                    edges.insert((from, here.to_owned()));
                }
                Ok(())
            },
        );
        assert!(
            report.violations.is_empty(),
            "{}: {:?}",
            workflow.name(),
            report.violations
        );
        // Every state-changing edge of the workflow's diagram is reached.
        let lifecycle = workflow.lifecycle();
        for t in lifecycle
            .transitions()
            .iter()
            .filter(|t| t.from != t.to && t.command != "tick")
        {
            assert!(
                edges.contains(&(t.from.clone(), t.to.clone())),
                "{}: {} --{}--> {} never taken",
                workflow.name(),
                t.from,
                t.command,
                t.to
            );
        }
    }
}

/// `evolve` moves the kind on `entered` only into new or in progress, and only from an open
/// state; an `entered` of those kinds on a resolved incident (no workflow writes one, but a
/// stored log may hold anything) leaves the resolution (mutants: the guards `open` turned
/// into `true` or `false`).
#[test]
fn entered_moves_the_kind_only_between_open_states() {
    let entered = |state: &str, kind| Event::Entered {
        at: t(3),
        by: agent().user,
        state: state.into(),
        kind,
    };
    let working = [common::ev::reported(t(0)), common::ev::started(t(1))];
    // Back to a vendor's queue of kind new, from in progress.
    let queued = fold(&[&working[..], &[entered("queued", StatusKind::New)]].concat());
    assert_eq!((queued.kind(), name(&queued)), (StatusKind::New, "queued"));
    // A resolved incident stays resolved.
    let resolved = [&working[..], &[common::ev::resolved(t(2))]].concat();
    for kind in [StatusKind::New, StatusKind::InProgress] {
        let after = fold(&[&resolved[..], &[entered("odd", kind)]].concat());
        assert_eq!(after.kind(), StatusKind::Resolved, "{kind:?}");
    }
}

/// Every kind of state a vendor's workflow enters moves the timeline to that kind's
/// category with the mark that leads there: from new, open acknowledges; from pending,
/// open resumes; from resolved, open reopens; pending pauses; resolved, closed and
/// canceled mark as much; a state of the category the timeline is in adds nothing
/// (mutants: each arm of `entered` deleted, the guard `phase == New` made `true`). A
/// reprioritization sets the timeline's priority (mutant: its arm deleted).
#[test]
fn each_kind_of_state_entered_marks_the_timeline_as_its_category_does() {
    let entered = |h: i64, kind| Event::Entered {
        at: t(h),
        by: agent().user,
        state: "vendor".into(),
        kind,
    };
    let marks = |log: &[Event]| -> Vec<&'static str> {
        itsm_incident::timeline(log)
            .unwrap()
            .marks()
            .iter()
            .map(|m| m.kind.name())
            .collect()
    };
    let reported = common::ev::reported(t(0));
    let cases: [(&[StatusKind], &[&str]); 7] = [
        (&[StatusKind::InProgress], &["acknowledged"]),
        (&[StatusKind::New], &[]),
        (
            &[
                StatusKind::InProgress,
                StatusKind::OnHold,
                StatusKind::InProgress,
            ],
            &["acknowledged", "paused", "resumed"],
        ),
        (
            &[StatusKind::Resolved, StatusKind::InProgress],
            &["resolved", "reopened"],
        ),
        (
            &[
                StatusKind::InProgress,
                StatusKind::Resolved,
                StatusKind::Closed,
            ],
            &["acknowledged", "resolved", "closed"],
        ),
        (&[StatusKind::Canceled], &["canceled"]),
        (
            &[StatusKind::InProgress, StatusKind::InProgress],
            &["acknowledged"],
        ),
    ];
    for (kinds, want) in cases {
        let mut log = vec![reported.clone()];
        log.extend((1..).zip(kinds).map(|(h, k)| entered(h, *k)));
        assert_eq!(marks(&log), want, "{kinds:?}");
    }
    let log = [reported, common::ev::reprioritized(t(1), 1, 1)];
    let timeline = itsm_incident::timeline(&log).unwrap();
    let first = itsm_incident::timeline(&log[..1]).unwrap();
    assert_eq!(timeline.spec().priority, Some(1));
    assert_ne!(first.spec().priority, Some(1));
}
