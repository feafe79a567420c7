//! The problem lifecycle's rules, one test each, from ServiceNow's problem management
//! documentation as `DOMAIN.md` summarises it ("Problem management states": New, Assess,
//! Root Cause Analysis, Fix in Progress, Resolved, Closed; from Assess confirm, mark
//! duplicate or cancel; from analysis fix or accept the risk; resolve with "fix applied",
//! then close; re-analyse from closed, canceled or risk-accepted), and known errors.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_problem::{
    Actor, CauseCategory, ChangeId, Command, Context, Error, Event, IncidentFacts, IncidentId,
    KnownError, KnownErrorCommand, KnownErrorId, KnownErrorRecord, Link, Match, Method, Policy,
    ProblemId, ProblemStatus, Resolution, Role, RootCause, State, Statement, TransitionSpec,
    UserId, Workflow, WorkflowSpec, WorkflowState, decide, decide_known_error, evolve,
    evolve_known_error, offer_workarounds,
};

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
}

fn actor(roles: &[&str]) -> Actor {
    Actor::new(
        UserId::from_u128(2),
        roles.iter().map(|r| Role::new(*r).unwrap()),
    )
}

fn manager() -> Actor {
    actor(&["problem_manager"])
}

fn cause(confirmed: bool) -> Command {
    Command::RecordRootCause(Box::new(RootCause {
        description: "MTU too small".into(),
        category: CauseCategory::Configuration,
        method: Method::FiveWhys {
            whys: vec!["drops".into(), "fragmentation".into()],
        },
        confirmed,
    }))
}

fn run(
    policy: &Policy,
    commands: &[(Command, Actor)],
) -> Result<(State, Vec<Event>), (usize, Error)> {
    let mut state = State::new();
    let mut log = Vec::new();
    for (i, (command, who)) in commands.iter().enumerate() {
        let events = decide(
            &state,
            command,
            &Context::new(t(i64::try_from(i).unwrap()), who, policy),
        )
        .map_err(|e| (i, e))?;
        state.apply(&events);
        log.extend(events);
    }
    Ok((state, log))
}

fn logged() -> Vec<(Command, Actor)> {
    let mut statement = Statement::new(ProblemId::from_u128(1), "VPN drops");
    statement.incidents = vec![IncidentId::from_u128(10), IncidentId::from_u128(11)];
    vec![(statement.into(), manager())]
}

fn analysing() -> Vec<(Command, Actor)> {
    let mut steps = logged();
    steps.push((Command::Assess, manager()));
    steps.push((Command::Confirm, manager()));
    steps
}

fn status(steps: &[(Command, Actor)]) -> ProblemStatus {
    run(&Policy::servicenow(), steps)
        .unwrap()
        .0
        .problem()
        .unwrap()
        .status()
}

#[test]
fn servicenow_the_fix_path_new_assess_analysis_fix_resolved_closed() {
    let mut steps = analysing();
    steps.push((cause(false), manager()));
    steps.push((
        Command::StartFix {
            change: Some(ChangeId::from_u128(5)),
        },
        manager(),
    ));
    steps.push((
        Command::Resolve {
            notes: "MTU raised".into(),
        },
        manager(),
    ));
    steps.push((Command::Close, manager()));
    let statuses: Vec<ProblemStatus> = (1..=steps.len()).map(|n| status(&steps[..n])).collect();
    use ProblemStatus::*;
    assert_eq!(
        statuses,
        [
            New,
            Assess,
            RootCauseAnalysis,
            RootCauseAnalysis,
            FixInProgress,
            Resolved,
            Closed
        ]
    );
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    let problem = state.problem().unwrap();
    assert!(problem.changes().contains(&ChangeId::from_u128(5)));
    assert_eq!(problem.incidents().len(), 2);
    assert!(matches!(
        problem.resolution(),
        Some(Resolution::FixApplied { .. })
    ));
}

#[test]
fn servicenow_accepting_the_risk_resolves_without_a_fix() {
    let mut steps = analysing();
    steps.push((
        Command::AcceptRisk {
            reason: "service retires in May".into(),
        },
        manager(),
    ));
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    let problem = state.problem().unwrap();
    assert_eq!(problem.status(), ProblemStatus::Resolved);
    assert!(matches!(
        problem.resolution(),
        Some(Resolution::RiskAccepted { .. })
    ));
    // Only the problem manager may accept a risk.
    let mut by_coordinator = analysing();
    by_coordinator.push((
        Command::AcceptRisk {
            reason: "cost".into(),
        },
        actor(&["problem_coordinator"]),
    ));
    assert!(matches!(
        run(&Policy::servicenow(), &by_coordinator),
        Err((3, Error::Denied { .. }))
    ));
}

#[test]
fn servicenow_a_duplicate_is_closed_pointing_at_the_other_problem() {
    let mut steps = logged();
    steps.push((Command::Assess, manager()));
    steps.push((
        Command::MarkDuplicate {
            of: ProblemId::from_u128(7),
        },
        manager(),
    ));
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    let problem = state.problem().unwrap();
    assert_eq!(problem.status(), ProblemStatus::Closed);
    assert_eq!(
        problem.resolution(),
        Some(&Resolution::Duplicate {
            of: ProblemId::from_u128(7)
        })
    );
    let mut itself = logged();
    itself.push((Command::Assess, manager()));
    itself.push((
        Command::MarkDuplicate {
            of: ProblemId::from_u128(1),
        },
        manager(),
    ));
    assert_eq!(
        run(&Policy::servicenow(), &itself).unwrap_err().1,
        Error::SelfDuplicate {
            id: ProblemId::from_u128(1)
        }
    );
}

#[test]
fn servicenow_a_failed_fix_is_reanalysed_and_counted() {
    let mut steps = analysing();
    steps.push((cause(false), manager()));
    steps.push((Command::StartFix { change: None }, manager()));
    steps.push((
        Command::Reanalyse {
            reason: "the fix did not hold".into(),
        },
        manager(),
    ));
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    let problem = state.problem().unwrap();
    assert_eq!(
        (problem.status(), problem.analyses()),
        (ProblemStatus::RootCauseAnalysis, 2)
    );
}

#[test]
fn servicenow_closed_canceled_and_risk_accepted_problems_can_be_reanalysed() {
    let reanalyse = (
        Command::Reanalyse {
            reason: "it came back".into(),
        },
        manager(),
    );
    let mut canceled = logged();
    canceled.push((
        Command::Cancel {
            reason: "not a problem".into(),
        },
        manager(),
    ));
    canceled.push(reanalyse.clone());
    assert_eq!(status(&canceled), ProblemStatus::RootCauseAnalysis);
    let mut accepted = analysing();
    accepted.push((
        Command::AcceptRisk {
            reason: "cost".into(),
        },
        manager(),
    ));
    accepted.push((Command::Close, manager()));
    accepted.push(reanalyse);
    let (state, _) = run(&Policy::servicenow(), &accepted).unwrap();
    assert_eq!(state.problem().unwrap().resolution(), None);
}

#[test]
fn a_fix_needs_a_root_cause_and_the_policy_may_ask_it_confirmed() {
    let mut steps = analysing();
    steps.push((Command::StartFix { change: None }, manager()));
    assert_eq!(
        run(&Policy::servicenow(), &steps).unwrap_err().1,
        Error::NoRootCause {
            command: "start_fix"
        }
    );
    let mut policy = Policy::servicenow();
    policy.confirmed_cause_before_fix = true;
    let mut unconfirmed = analysing();
    unconfirmed.push((cause(false), manager()));
    unconfirmed.push((Command::StartFix { change: None }, manager()));
    assert_eq!(
        run(&policy, &unconfirmed).unwrap_err().1,
        Error::RootCauseNotConfirmed
    );
    let mut confirmed = analysing();
    confirmed.push((cause(true), manager()));
    confirmed.push((Command::StartFix { change: None }, manager()));
    assert!(run(&policy, &confirmed).is_ok());
}

#[test]
fn commands_outside_the_table_are_refused_naming_what_is_allowed() {
    let mut steps = logged();
    steps.push((Command::Close, manager()));
    let err = run(&Policy::servicenow(), &steps).unwrap_err().1;
    assert_eq!(
        err.to_string(),
        "`close` is not allowed in state `new`; allowed there: `assess`, `cancel`, `link`"
    );
}

#[test]
fn links_are_kept_once() {
    let mut steps = logged();
    steps.push((
        Command::Link {
            link: Link::Incident(IncidentId::from_u128(10)),
        },
        manager(),
    ));
    let (_, log) = run(&Policy::servicenow(), &steps).unwrap();
    assert_eq!(
        log.len(),
        1,
        "linking an incident already linked is a no-op"
    );
}

#[test]
fn a_vendor_state_is_entered_and_replayed_without_the_policy() {
    // GLPI's "under observation" after a fix, before closing.
    let mut spec = WorkflowSpec::default();
    spec.name = "glpi".into();
    spec.states.push(WorkflowState::new(
        "under_observation",
        ProblemStatus::Resolved,
    ));
    spec.transitions.push(TransitionSpec::new(
        "resolved",
        "observe",
        "under_observation",
    ));
    spec.transitions
        .push(TransitionSpec::new("under_observation", "close", "closed"));
    spec.transitions.push(TransitionSpec::new(
        "under_observation",
        "reanalyse",
        "root_cause_analysis",
    ));
    let mut policy = Policy::servicenow();
    policy.workflow = Workflow::new(spec).unwrap();
    policy.permissions = policy
        .permissions
        .clone()
        .allow("observe", [Role::new("problem_manager").unwrap()]);
    let mut steps = analysing();
    steps.push((cause(true), manager()));
    steps.push((Command::StartFix { change: None }, manager()));
    steps.push((
        Command::Resolve {
            notes: "patched".into(),
        },
        manager(),
    ));
    steps.push((
        Command::Transition {
            name: "observe".into(),
        },
        manager(),
    ));
    let (state, log) = run(&policy, &steps).unwrap();
    assert_eq!(state.problem().unwrap().state_name(), "under_observation");
    assert_eq!(log.iter().fold(State::new(), evolve), state);
    steps.push((Command::Close, manager()));
    assert_eq!(
        run(&policy, &steps)
            .unwrap()
            .0
            .problem()
            .unwrap()
            .state_name(),
        "closed"
    );
}

#[test]
fn a_broken_workflow_is_refused_with_every_problem() {
    let mut spec = WorkflowSpec::default();
    spec.states
        .push(WorkflowState::new("limbo", ProblemStatus::Assess));
    spec.transitions
        .push(TransitionSpec::new("new", "confirm", "resolved"));
    spec.transitions
        .push(TransitionSpec::new("assess", "park", "resolved"));
    let err = Workflow::new(spec).unwrap_err().to_string();
    for needle in [
        "`new` --confirm--> `resolved`: `confirm` cannot run in a state of kind `new`",
        "`assess` --park--> `resolved`: a vendor transition keeps the kind",
        "state `limbo` cannot be reached from an initial state",
        "no terminal state can be reached from state `limbo`",
    ] {
        assert!(err.contains(needle), "{needle} not in {err}");
    }
}

fn known_error(symptom: &str, items: Vec<itsm_problem::ConfigItemId>) -> KnownErrorRecord {
    KnownErrorRecord {
        id: KnownErrorId::from_u128(1),
        problem: Some(ProblemId::from_u128(1)),
        symptom: symptom.into(),
        root_cause: "MTU".into(),
        workaround: "set MTU 1400".into(),
        category: Some("network".into()),
        items,
        services: vec![],
    }
}

fn known(record: KnownErrorRecord, publish: bool) -> KnownError {
    let pm = manager();
    let mut state = None;
    let mut commands = vec![KnownErrorCommand::Record(Box::new(record))];
    if publish {
        commands.push(KnownErrorCommand::Publish);
    }
    for (i, c) in commands.iter().enumerate() {
        let events =
            decide_known_error(state.as_ref(), c, t(i64::try_from(i).unwrap()), &pm).unwrap();
        state = events.iter().fold(state, evolve_known_error);
    }
    state.unwrap()
}

#[test]
fn known_errors_go_from_draft_to_published_to_retired() {
    let pm = manager();
    let draft = known(known_error("vpn_drop", vec![]), false);
    let published = known(known_error("vpn_drop", vec![]), true);
    assert!(!draft.is_published() && published.is_published());
    let events =
        decide_known_error(Some(&published), &KnownErrorCommand::Retire, t(5), &pm).unwrap();
    let retired = events
        .iter()
        .fold(Some(published), evolve_known_error)
        .unwrap();
    let err =
        decide_known_error(Some(&retired), &KnownErrorCommand::Publish, t(6), &pm).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`publish` is not allowed in state `retired`; allowed there: nothing"
    );
    let mut empty = known_error("vpn_drop", vec![]);
    empty.workaround.clear();
    let draft = known(empty, false);
    assert_eq!(
        decide_known_error(Some(&draft), &KnownErrorCommand::Publish, t(5), &pm),
        Err(Error::NoWorkaround)
    );
}

#[test]
fn only_published_workarounds_are_offered_strongest_match_first() {
    let item = itsm_problem::ConfigItemId::from_u128(3);
    let by_item = known(known_error("other", vec![item]), true);
    let by_symptom = known(known_error("vpn_drop", vec![]), true);
    let draft = known(known_error("vpn_drop", vec![item]), false);
    let list = [by_item.clone(), draft, by_symptom.clone()];
    let incident = IncidentFacts {
        item: Some(item),
        service: None,
        category: Some("network".into()),
        symptom: Some("vpn_drop".into()),
    };
    let offers = offer_workarounds(&list, &incident);
    let reasons: Vec<Match> = offers.iter().map(|o| o.reason).collect();
    assert_eq!(reasons, [Match::Symptom, Match::Item]);
    assert_eq!(offers[0].known_error, &by_symptom);
    // Another category does not match on the symptom.
    let elsewhere = IncidentFacts {
        category: Some("email".into()),
        ..incident
    };
    let reasons: Vec<Match> = offer_workarounds(&list, &elsewhere)
        .iter()
        .map(|o| o.reason)
        .collect();
    assert_eq!(reasons, [Match::Item]);
}
