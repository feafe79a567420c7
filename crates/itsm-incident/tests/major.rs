//! Major-incident candidates and trigger rules, one test per rule as ServiceNow documents it
//! (IT Service Management > Incident Management > Managing major incidents). Each test
//! names its page; the pages are cited, not copied.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use itsm_core::Error as CoreError;
use itsm_incident::{
    Command, CommandKind, Condition, Context, Error, Event, IncidentId, Link, MajorState,
    MajorTrigger, Policy, State, StatusKind, TriggerAction, decide,
};

/// The critical business service of the trigger rule examples.
const SERVICE: itsm_incident::ServiceId = itsm_incident::ServiceId::from_u128(0x5_0001);

fn major_state(state: &State) -> MajorState {
    state.incident().unwrap().major_state()
}

fn refused(state: &State, command: &Command, actor: &itsm_core::Actor, policy: &Policy) -> Error {
    decide(state, command, &Context::new(t(9), actor, policy)).unwrap_err()
}

fn reported_p(impact: u8, urgency: u8, policy: &Policy) -> (State, Vec<Event>) {
    let report = Command::Report(Box::new(report_of(ID, impact, urgency)));
    run(&State::new(), &report, &agent(), t(0), policy)
}

/// An incident in progress, reported at priority 3 (impact 2, urgency 2).
fn in_progress(policy: &Policy) -> State {
    let (state, _) = reported_p(2, 2, policy);
    run(&state, &Command::StartWork, &agent(), t(1), policy).0
}

fn p1_rule() -> MajorTrigger {
    MajorTrigger::new("p1", Condition::PriorityIn(vec![1]))
}

fn with_triggers(rules: Vec<MajorTrigger>) -> Policy {
    let mut policy = Policy::servicenow();
    policy.major_triggers = rules;
    policy
}

fn to_p1() -> Command {
    Command::Reprioritize {
        impact: itsm_core::Impact(1),
        urgency: itsm_core::Urgency(1),
    }
}

fn denied(command: CommandKind, allowed: &[&str], held: &[&str]) -> Error {
    let role = |r: &&str| itsm_core::Role::new(*r).unwrap();
    Error::Denied {
        command,
        reason: CoreError::PermissionDenied {
            action: command.name().to_owned(),
            allowed: allowed.iter().map(role).collect(),
            held: held.iter().map(role).collect(),
        },
    }
}

/// "Create a major incident candidate" (create-major-incident-candidate): proposing sets the
/// major incident state to Proposed, with a reason and the business impact; the proposer
/// needs an ITIL role (the agent), not the major incident manager's.
#[test]
fn servicenow_proposing_makes_a_candidate() {
    let policy = Policy::servicenow();
    let state = in_progress(&policy);
    assert_eq!(major_state(&state), MajorState::None);
    let (after, events) = run(&state, &cmd::propose_major(), &agent(), t(2), &policy);
    assert_eq!(
        events,
        vec![Event::MajorProposed {
            at: t(2),
            by: agent().user,
            reason: "every branch reports it".into(),
            business_impact: "no payments".into(),
            trigger: None,
        }]
    );
    assert_eq!(major_state(&after), MajorState::Proposed);
    assert!(
        !after.incident().unwrap().is_major(),
        "a candidate is not a major incident yet"
    );
    assert_eq!(after.kind(), StatusKind::InProgress);
    // Proposed twice, or without a reason: refused, saying why.
    assert_eq!(
        refused(&after, &cmd::propose_major(), &agent(), &policy),
        Error::AlreadyProposed
    );
    let no_reason = Command::ProposeMajor {
        reason: " ".into(),
        business_impact: String::new(),
    };
    assert_eq!(
        refused(&state, &no_reason, &agent(), &policy),
        Error::MissingField {
            command: CommandKind::ProposeMajor,
            field: "reason"
        }
    );
    assert_eq!(
        refused(&state, &cmd::propose_major(), &caller(), &policy),
        denied(
            CommandKind::ProposeMajor,
            &["agent", "major_incident_manager", "system"],
            &["caller"]
        )
    );
}

/// Same page: "If an incident is in the resolved, closed, or canceled state, the Propose
/// Major Incident option does not appear".
#[test]
fn servicenow_no_proposal_when_resolved_closed_or_canceled() {
    let policy = Policy::servicenow();
    let state = in_progress(&policy);
    let (resolved, _) = run(&state, &cmd::resolve(), &agent(), t(2), &policy);
    let (closed, _) = run(
        &resolved,
        &Command::Close { resolution: None },
        &agent(),
        t(3),
        &policy,
    );
    let (canceled, _) = run(&state, &cmd::cancel(), &agent(), t(2), &policy);
    for (done, kind) in [
        (&resolved, StatusKind::Resolved),
        (&closed, StatusKind::Closed),
        (&canceled, StatusKind::Canceled),
    ] {
        let err = refused(done, &cmd::propose_major(), &agent(), &policy);
        assert!(
            matches!(&err, Error::NotAllowed { state, command, .. }
                if state == kind.name() && command == "propose_major"),
            "{kind}: {err}"
        );
    }
}

/// "Accept or reject a major incident candidate" (accept-reject-major-incident-candidate):
/// accepting (a major incident manager only) changes the major incident state from Proposed
/// to Accepted; only a candidate can be accepted.
#[test]
fn servicenow_accepting_a_candidate_makes_a_major_incident() {
    let policy = Policy::servicenow();
    let state = in_progress(&policy);
    assert_eq!(
        refused(&state, &cmd::accept_major(), &mim(), &policy),
        Error::NotACandidate {
            command: CommandKind::AcceptMajor,
            state: MajorState::None
        }
    );
    let (proposed, _) = run(&state, &cmd::propose_major(), &agent(), t(2), &policy);
    assert_eq!(
        refused(&proposed, &cmd::accept_major(), &agent(), &policy),
        denied(
            CommandKind::AcceptMajor,
            &["major_incident_manager"],
            &["agent"]
        )
    );
    let (accepted, events) = run(&proposed, &cmd::accept_major(), &mim(), t(3), &policy);
    assert_eq!(
        events,
        vec![Event::MajorDeclared {
            at: t(3),
            by: mim().user,
            reason: "bridge opened".into(),
        }]
    );
    assert_eq!(major_state(&accepted), MajorState::Accepted);
    assert!(accepted.incident().unwrap().is_major());
    assert_eq!(accepted.kind(), StatusKind::InProgress);
    assert_eq!(
        refused(&accepted, &cmd::propose_major(), &agent(), &policy),
        Error::AlreadyMajor
    );
}

/// Same page: rejecting asks for a reason, and "the state of the incident remains the same
/// while the Major incident state field is changed to Rejected".
#[test]
fn servicenow_rejecting_keeps_the_incident_state() {
    let policy = Policy::servicenow();
    let state = in_progress(&policy);
    let (proposed, _) = run(&state, &cmd::propose_major(), &agent(), t(2), &policy);
    let no_reason = Command::RejectMajor {
        reason: String::new(),
    };
    assert_eq!(
        refused(&proposed, &no_reason, &mim(), &policy),
        Error::MissingField {
            command: CommandKind::RejectMajor,
            field: "reason"
        }
    );
    let (rejected, events) = run(&proposed, &cmd::reject_major(), &mim(), t(3), &policy);
    assert_eq!(
        events,
        vec![Event::MajorRejected {
            at: t(3),
            by: mim().user,
            reason: "one branch only".into(),
        }]
    );
    assert_eq!(major_state(&rejected), MajorState::Rejected);
    assert_eq!(rejected.kind(), StatusKind::InProgress);
    assert_eq!(
        refused(&rejected, &cmd::reject_major(), &mim(), &policy),
        Error::NotACandidate {
            command: CommandKind::RejectMajor,
            state: MajorState::Rejected
        }
    );
    // A rejected candidate may be proposed again.
    let (again, _) = run(&rejected, &cmd::propose_major(), &agent(), t(4), &policy);
    assert_eq!(major_state(&again), MajorState::Proposed);
}

/// "Create a major incident" (create-a-major-incident): a major incident manager promotes an
/// incident directly, without the proposal; not in the resolved, closed or canceled state.
#[test]
fn servicenow_promoting_directly_skips_the_proposal() {
    let policy = Policy::servicenow();
    let state = in_progress(&policy);
    assert_eq!(
        refused(&state, &cmd::declare_major(), &agent(), &policy),
        denied(
            CommandKind::DeclareMajor,
            &["major_incident_manager"],
            &["agent"]
        )
    );
    let (major, _) = run(&state, &cmd::declare_major(), &mim(), t(2), &policy);
    assert_eq!(major_state(&major), MajorState::Accepted);
    let (resolved, _) = run(&state, &cmd::resolve(), &agent(), t(2), &policy);
    assert!(matches!(
        refused(&resolved, &cmd::declare_major(), &mim(), &policy),
        Error::NotAllowed { .. }
    ));
}

/// "Demote a major incident" (demote-major-incident): a major incident manager demotes it,
/// with a reason; "the major incident state is set to Canceled but the incident state
/// remains the same".
#[test]
fn servicenow_demoting_cancels_the_major_state_only() {
    let policy = Policy::servicenow();
    let state = in_progress(&policy);
    let (proposed, _) = run(&state, &cmd::propose_major(), &agent(), t(2), &policy);
    let (accepted, _) = run(&proposed, &cmd::accept_major(), &mim(), t(3), &policy);
    let (demoted, _) = run(&accepted, &cmd::stand_down(), &mim(), t(4), &policy);
    assert_eq!(major_state(&demoted), MajorState::Canceled);
    assert!(!demoted.incident().unwrap().is_major());
    assert_eq!(demoted.kind(), StatusKind::InProgress);
    assert_eq!(
        demoted.incident().unwrap().view().fields.get("major_state"),
        Some(&"canceled".to_owned())
    );
}

/// "Create trigger rules for major incidents" (major-incident-trigger-rules): "the base
/// system major incident trigger rules are inactive by default".
#[test]
fn servicenow_trigger_rules_are_off_by_default() {
    let policy = Policy::servicenow();
    assert!(policy.major_triggers.is_empty());
    let (state, events) = reported_p(1, 1, &policy);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(major_state(&state), MajorState::None);
}

/// Same page: the rules are evaluated each time an incident is created or updated.
#[test]
fn servicenow_trigger_rules_run_on_creation_and_on_update() {
    let policy = with_triggers(vec![p1_rule()]);
    // Created at P1: proposed at once, the rule named.
    let (created, events) = reported_p(1, 1, &policy);
    assert!(matches!(
        events.last(),
        Some(Event::MajorProposed { trigger: Some(name), reason, .. })
            if name == "p1" && reason == "trigger rule `p1`"
    ));
    assert_eq!(major_state(&created), MajorState::Proposed);
    // Created at P3, updated to P1: proposed by that update.
    let state = in_progress(&policy);
    assert_eq!(major_state(&state), MajorState::None);
    let (updated, events) = run(&state, &to_p1(), &agent(), t(2), &policy);
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(major_state(&updated), MajorState::Proposed);
    // A command that changes nothing is no update: no rule runs.
    let resume = run(&state, &cmd::caller_responded(), &agent(), t(2), &policy).1;
    assert!(resume.is_empty());
}

/// Same page: the rules run only if the incident has no parent (is not a child incident).
#[test]
fn servicenow_trigger_rules_skip_child_incidents() {
    let policy = with_triggers(vec![p1_rule()]);
    let state = in_progress(&policy);
    let parent = Command::Link {
        link: Link::Parent(OTHER),
    };
    let (child, _) = run(&state, &parent, &agent(), t(2), &policy);
    let (after, events) = run(&child, &to_p1(), &agent(), t(3), &policy);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(major_state(&after), MajorState::None);
}

/// Same page: the rules run only if the major incident state is not proposed or accepted
/// (so a rejected or demoted incident is evaluated again on its next update).
#[test]
fn servicenow_trigger_rules_skip_proposed_and_accepted_incidents() {
    let policy = with_triggers(vec![p1_rule()]);
    let (proposed, _) = reported_p(1, 1, &policy);
    let assign = Command::Assign {
        group: NETWORK,
        person: None,
    };
    let (still, events) = run(&proposed, &assign, &agent(), t(1), &policy);
    assert_eq!(events.len(), 1, "no second proposal: {events:?}");
    let (accepted, _) = run(&still, &cmd::accept_major(), &mim(), t(2), &policy);
    let (_, events) = run(&accepted, &Command::StartWork, &agent(), t(3), &policy);
    assert_eq!(events.len(), 1, "{events:?}");
    // Demoted, then updated while still P1: the demotion stands for its own command, and
    // the next update proposes the incident again, as the rule's conditions say.
    let (demoted, events) = run(&accepted, &cmd::stand_down(), &mim(), t(3), &policy);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(major_state(&demoted), MajorState::Canceled);
    let (again, _) = run(&demoted, &Command::StartWork, &agent(), t(4), &policy);
    assert_eq!(major_state(&again), MajorState::Proposed);
}

/// Same page: the rules run only if the incident is active.
#[test]
fn servicenow_trigger_rules_skip_inactive_incidents() {
    let policy = with_triggers(vec![MajorTrigger::new("any", Condition::Always)]);
    let mut quiet = Policy::servicenow();
    quiet.major_triggers.clear();
    let state = in_progress(&quiet);
    let (resolved, _) = run(&state, &cmd::resolve(), &agent(), t(2), &quiet);
    let assign = Command::Assign {
        group: NETWORK,
        person: None,
    };
    let (after, events) = run(&resolved, &assign, &agent(), t(3), &policy);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(major_state(&after), MajorState::None);
    // The same update on an active incident is proposed.
    let (active, _) = run(&state, &assign, &agent(), t(3), &policy);
    assert_eq!(major_state(&active), MajorState::Proposed);
}

/// Same page: the rule with the lowest execution order runs first, and once one matches
/// "verification of the remaining rules isn't required"; its action either proposes a
/// candidate or promotes the incident directly.
#[test]
fn servicenow_the_first_matching_rule_acts_alone() {
    let mut promote = MajorTrigger::new("critical", Condition::Always);
    promote.action = TriggerAction::Promote;
    let promote_first = with_triggers(vec![promote.clone(), p1_rule()]);
    let (state, events) = reported_p(1, 1, &promote_first);
    assert_eq!(events.len(), 2, "one rule acts: {events:?}");
    assert!(matches!(
        events.last(),
        Some(Event::MajorDeclared { reason, .. }) if reason == "trigger rule `critical`"
    ));
    assert_eq!(major_state(&state), MajorState::Accepted);
    let propose_first = with_triggers(vec![p1_rule(), promote]);
    let (state, events) = reported_p(1, 1, &propose_first);
    assert_eq!(events.len(), 2, "one rule acts: {events:?}");
    assert_eq!(major_state(&state), MajorState::Proposed);
}

/// Same page's examples: a critical business service, "the number of child incidents is
/// greater than 20", a P1 incident.
#[test]
fn servicenow_trigger_rule_examples() {
    let mut children = MajorTrigger::new("children", Condition::Always);
    children.children_more_than = Some(20);
    let critical = MajorTrigger::new("critical", Condition::ServiceIn(vec![SERVICE.to_string()]));
    let policy = with_triggers(vec![critical, children, p1_rule()]);
    let mut state = in_progress(&policy);
    for n in 1..=20u128 {
        let link = Command::Link {
            link: Link::Child(IncidentId::from_u128(0x9_0000 + n)),
        };
        let (next, events) = run(&state, &link, &agent(), t(2), &policy);
        assert_eq!(events.len(), 1, "child {n}: {events:?}");
        state = next;
    }
    assert_eq!(major_state(&state), MajorState::None);
    let link = Command::Link {
        link: Link::Child(IncidentId::from_u128(0x9_0021)),
    };
    let (after, events) = run(&state, &link, &agent(), t(3), &policy);
    assert!(matches!(
        events.last(),
        Some(Event::MajorProposed { trigger: Some(name), .. }) if name == "children"
    ));
    assert_eq!(major_state(&after), MajorState::Proposed);
    // An incident on the critical service is proposed when it is reported.
    let mut report = report_of(THIRD, 3, 3);
    report.service = Some(SERVICE);
    let (on_service, _) = run(
        &State::new(),
        &Command::Report(Box::new(report)),
        &agent(),
        t(0),
        &policy,
    );
    assert_eq!(major_state(&on_service), MajorState::Proposed);
}

/// Trigger rules load from the policy's JSON: optional, defaults filled in, names checked.
#[cfg(feature = "serde")]
#[test]
fn trigger_rules_in_json() {
    let mut json = serde_json::to_value(Policy::servicenow()).unwrap();
    assert!(json.get("major_triggers").is_none(), "omitted when empty");
    json["major_triggers"] = serde_json::json!([
        {"name": "p1", "condition": {"priority_in": [1]}},
        {"name": "children", "children_more_than": 20, "action": "promote"}
    ]);
    let policy: Policy = serde_json::from_value(json.clone()).unwrap();
    let mut children = MajorTrigger::new("children", Condition::Always);
    children.children_more_than = Some(20);
    children.action = TriggerAction::Promote;
    assert_eq!(policy.major_triggers, vec![p1_rule(), children]);
    for (rules, message) in [
        (
            serde_json::json!([{"name": " "}]),
            "a major-incident trigger rule needs a non-empty name",
        ),
        (
            serde_json::json!([{"name": "p1"}, {"name": "p1"}]),
            "major-incident trigger rule `p1` is named twice; names must be unique",
        ),
    ] {
        json["major_triggers"] = rules;
        let err = serde_json::from_value::<Policy>(json.clone()).unwrap_err();
        assert!(err.to_string().starts_with(message), "{err}");
    }
}

/// Ours: a trigger rule acts only where the workflow accepts its command. iTop's workflow has
/// no candidate flow (no `propose_major`), so a proposing rule does nothing there, while a
/// promoting one declares (iTop's states accept `declare_major`).
#[test]
fn trigger_rules_follow_the_workflow() {
    let mut policy = Policy::itop();
    policy.major_triggers = vec![p1_rule()];
    let (state, events) = reported_p(1, 1, &policy);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(major_state(&state), MajorState::None);
    let mut promote = p1_rule();
    promote.action = TriggerAction::Promote;
    policy.major_triggers = vec![promote];
    let (state, _) = reported_p(1, 1, &policy);
    assert_eq!(major_state(&state), MajorState::Accepted);
}

/// The recipe in the CHANGELOG's "Behaviour worth knowing": a rule whose condition excludes
/// `major_state` `rejected` leaves a rejected candidate alone on its next update, where the
/// plain rule proposes it again.
#[cfg(feature = "serde")]
#[test]
fn a_rejection_sticks_when_the_rule_says_so() {
    let sticky: Condition = serde_json::from_str(
        r#"{"all": [{"priority_in": [1]},
                    {"not": {"field_in": {"field": "major_state", "values": ["rejected", "canceled"]}}}]}"#,
    )
    .unwrap();
    for (condition, proposed_again) in [(Condition::PriorityIn(vec![1]), true), (sticky, false)] {
        let policy = with_triggers(vec![MajorTrigger::new("p1", condition)]);
        let (proposed, _) = reported_p(1, 1, &policy);
        let (rejected, events) = run(&proposed, &cmd::reject_major(), &mim(), t(1), &policy);
        assert_eq!(events.len(), 1, "the rejection stands: {events:?}");
        assert_eq!(major_state(&rejected), MajorState::Rejected);
        let (after, _) = run(&rejected, &Command::StartWork, &agent(), t(2), &policy);
        let expected = if proposed_again {
            MajorState::Proposed
        } else {
            MajorState::Rejected
        };
        assert_eq!(major_state(&after), expected);
    }
}

/// A stored state written by hand that says `accepted` in the review but carries no `major`
/// flag is not a major incident: `major_state` and `is_major` always agree.
#[cfg(feature = "serde")]
#[test]
fn a_hand_written_review_state_cannot_contradict_the_major_flag() {
    let policy = Policy::servicenow();
    let (state, _) = reported_p(2, 2, &policy);
    let mut json = serde_json::to_value(&state).unwrap();
    let incident = json
        .as_object_mut()
        .and_then(|o| o.values_mut().find(|v| v.get("major").is_some()))
        .unwrap();
    incident["major_review"] = serde_json::json!("accepted");
    let read: State = serde_json::from_value(json).unwrap();
    let incident = read.incident().unwrap();
    assert!(!incident.is_major());
    assert_eq!(incident.major_state(), MajorState::None);
}
