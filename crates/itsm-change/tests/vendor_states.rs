//! A vendor's own states on a change model (`ChangeModel::states`): each a name on a
//! built-in phase, checked at load, followed by `decide` and `evolve`, and seen by diagrams
//! and conformance checks. The iTop model is the one DOMAIN.md summarises from iTop's
//! change management data model (normal change: new, validated, assigned, planned,
//! approved, implemented, monitored, closed).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_change::{
    Actor, ChangeId, ChangeModel, Command, Context, Error, Event, Impact, ModelState, Models,
    Phase, Policy, Request, ReviewOutcome, RiskFacts, Role, State, UserId, Window, decide,
    timeline,
};

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
}

fn actor(user: u128, roles: &[&str]) -> Actor {
    Actor::new(
        UserId::from_u128(user),
        roles.iter().map(|r| Role::new(*r).unwrap()),
    )
}

const NORMAL: [Phase; 7] = [
    Phase::New,
    Phase::Assess,
    Phase::Authorize,
    Phase::Scheduled,
    Phase::Implement,
    Phase::Review,
    Phase::Closed,
];

fn itop_states() -> Vec<ModelState> {
    vec![
        ModelState::new("new", Phase::New),
        ModelState::new("validated", Phase::Assess),
        ModelState::new("assigned", Phase::Assess),
        ModelState::new("planned", Phase::Authorize),
        ModelState::new("approved", Phase::Scheduled),
        ModelState::new("implemented", Phase::Implement),
        ModelState::new("monitored", Phase::Review),
        ModelState::new("closed", Phase::Closed),
    ]
}

fn model(name: &str, states: Vec<ModelState>) -> ChangeModel {
    let mut model = ChangeModel::new(name, NORMAL.to_vec()).with_states(states);
    model.authorized_by = vec![Role::new("cab").unwrap()];
    model
}

fn policy_with(model: ChangeModel) -> Policy {
    let mut policy = Policy::servicenow();
    policy.models = Models::new(vec![model]).unwrap();
    policy
}

fn facts() -> RiskFacts {
    RiskFacts {
        model: String::new(),
        items: vec![],
        services: vec![],
        impact: Impact(2),
        likelihood: 2,
        outside_maintenance: false,
        answers: vec![],
    }
}

fn window() -> Window {
    Window::new(t(48), t(50))
}

/// The commands of a normal change from raise to close, each with who runs it and when.
fn script(model: &str, assessment_steps: usize) -> Vec<(Command, Actor, DateTime<Utc>)> {
    let (manager, cab, implementer) = (
        actor(2, &["change_manager"]),
        actor(4, &["cab"]),
        actor(3, &["implementer"]),
    );
    let request = Request::new(ChangeId::from_u128(1), model, manager.user, "Upgrade db01");
    let mut steps = vec![
        (Command::from(request), manager.clone(), t(0)),
        (Command::Submit, manager.clone(), t(1)),
        (Command::Assess(Box::new(facts())), manager.clone(), t(2)),
    ];
    for _ in 0..assessment_steps {
        steps.push((Command::CompleteAssessment, manager.clone(), t(3)));
    }
    steps.extend([
        (Command::Plan { window: window() }, manager.clone(), t(4)),
        (
            Command::Authorize {
                explanation: "CAB of 2 March".into(),
            },
            cab,
            t(5),
        ),
        (Command::Implement, implementer.clone(), t(48)),
        (Command::Complete, implementer, t(50)),
        (
            Command::Close {
                outcome: ReviewOutcome::Successful,
                close_code: "successful".into(),
                notes: String::new(),
            },
            manager,
            t(51),
        ),
    ]);
    steps
}

/// Runs the steps; returns each step's events and the state name after it.
fn run(policy: &Policy, steps: &[(Command, Actor, DateTime<Utc>)]) -> (Vec<Event>, Vec<String>) {
    let (mut state, mut log, mut names) = (State::new(), Vec::new(), Vec::new());
    for (command, actor, now) in steps {
        let events = decide(&state, command, &Context::new(*now, actor, policy))
            .unwrap_or_else(|e| panic!("{} refused: {e}", command.name()));
        state.apply(&events);
        log.extend(events);
        names.push(state.change().unwrap().state_name().to_owned());
    }
    (log, names)
}

/// Each event's JSON tag, without needing JSON.
fn types(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            match e {
                Event::Raised { .. } => "raised",
                Event::Submitted { .. } => "submitted",
                Event::RiskAssessed { .. } => "risk_assessed",
                Event::AssessmentCompleted { .. } => "assessment_completed",
                Event::Authorized { .. } => "authorized",
                Event::Approval { .. } => "approval",
                Event::Rejected { .. } => "rejected",
                Event::Planned { .. } => "planned",
                Event::ImplementationStarted { .. } => "implementation_started",
                Event::Completed { .. } => "completed",
                Event::Closed { .. } => "closed",
                Event::PutOnHold { .. } => "put_on_hold",
                Event::Resumed { .. } => "resumed",
                Event::Entered { .. } => "entered",
                Event::Retyped { .. } => "retyped",
                Event::TaskAdded { .. } => "task_added",
                Event::TaskStarted { .. } => "task_started",
                Event::TaskClosed { .. } => "task_closed",
                Event::TaskCanceled { .. } => "task_canceled",
                Event::TaskPutOnHold { .. } => "task_put_on_hold",
                Event::TaskResumed { .. } => "task_resumed",
                Event::Canceled { .. } => "canceled",
            }
            .to_owned()
        })
        .collect()
}

#[test]
fn an_itop_normal_change_goes_through_its_own_states() {
    let policy = policy_with(model("itop_normal", itop_states()));
    let (events, names) = run(&policy, &script("itop_normal", 2));
    assert_eq!(
        names,
        [
            "new",
            "validated",
            "validated",
            "assigned",
            "planned",
            "planned",
            "approved",
            "implemented",
            "monitored",
            "closed"
        ]
    );
    assert_eq!(
        types(&events),
        [
            "raised",
            "submitted",
            "entered", // validated
            "risk_assessed",
            "entered", // validated to assigned: one phase, so `entered` alone
            "assessment_completed",
            "entered", // planned
            "planned",
            "authorized",
            "entered", // approved
            "implementation_started",
            "entered", // implemented
            "completed",
            "entered", // monitored
            "closed"   // named after its phase: no `entered`
        ]
    );
    // The timeline sees the same marks as under the built-in names.
    let marks: Vec<&str> = timeline(&events)
        .unwrap()
        .marks()
        .iter()
        .map(|m| m.kind.name())
        .collect();
    assert_eq!(marks, ["acknowledged", "resolved", "closed"]);
    // The vendor's lifecycle accepts the trace of state names.
    let lifecycle = policy
        .models
        .get("itop_normal")
        .unwrap()
        .lifecycle()
        .unwrap();
    let conformance = lifecycle.conformance(names.iter().map(String::as_str));
    assert!(
        conformance.starts_initial && conformance.rejected == 0,
        "{conformance:?}"
    );
    assert_eq!(conformance.accepted, 7); // new to closed, repeats are not changes
}

#[test]
fn a_state_left_before_its_rules_are_met_is_refused_by_name() {
    let policy = policy_with(model("itop_normal", itop_states()));
    let mut steps = script("itop_normal", 0);
    steps.truncate(2); // raised, submitted: in `validated`
    steps.push((
        Command::CompleteAssessment,
        actor(2, &["change_manager"]),
        t(3),
    ));
    let mut state = State::new();
    let mut last = None;
    for (command, actor, now) in &steps {
        match decide(&state, command, &Context::new(*now, actor, &policy)) {
            Ok(events) => state.apply(&events),
            Err(e) => last = Some(e),
        }
    }
    assert!(matches!(last, Some(Error::RiskNotAssessed)), "{last:?}");
    let err = decide(
        &state,
        &Command::Implement,
        &Context::new(t(4), &actor(2, &["change_manager"]), &policy),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`validated`"), "{text}");
}

#[test]
fn builtin_names_spelled_out_give_the_same_events_as_no_names() {
    let spelled = model(
        "normal",
        NORMAL.iter().map(|p| ModelState::builtin(*p)).collect(),
    );
    let plain = model("normal", Vec::new());
    let (a, names_a) = run(&policy_with(spelled), &script("normal", 1));
    let (b, names_b) = run(&policy_with(plain), &script("normal", 1));
    assert_eq!(a, b);
    assert_eq!(names_a, names_b);
    assert!(!types(&a).contains(&"entered".to_owned()));
}

#[test]
fn rejection_and_cancel_enter_the_vendors_first_and_canceled_states() {
    let mut states = itop_states();
    states[0] = ModelState::new("draft", Phase::New);
    states.push(ModelState::new("withdrawn", Phase::Canceled));
    let policy = policy_with(model("itop_normal", states));
    let mut steps = script("itop_normal", 2);
    steps.truncate(6); // in `planned` (authorize)
    let (_, names) = run(&policy, &steps);
    assert_eq!(names.last().map(String::as_str), Some("planned"));
    let cab = actor(4, &["cab"]);
    steps.push((
        Command::Reject {
            reason: "no rollback plan".into(),
        },
        cab,
        t(6),
    ));
    let (events, names) = run(&policy, &steps);
    assert_eq!(names.last().map(String::as_str), Some("draft"));
    assert_eq!(types(&events).last().map(String::as_str), Some("entered"));
    steps.push((
        Command::Cancel {
            reason: "superseded".into(),
        },
        actor(2, &["change_manager"]),
        t(7),
    ));
    let (events, names) = run(&policy, &steps);
    assert_eq!(names.last().map(String::as_str), Some("withdrawn"));
    let tail: Vec<String> = types(&events).into_iter().rev().take(2).collect();
    assert_eq!(tail, ["entered", "canceled"]);
}

#[test]
fn states_that_do_not_fit_the_path_are_refused_at_load_all_at_once() {
    let mut states = itop_states();
    states.swap(1, 3); // planned (authorize) before validated (assess)
    states[4] = ModelState::new("validated", Phase::Scheduled); // duplicate name
    states.push(ModelState::new("review", Phase::Implement)); // a phase's name elsewhere
    states.push(ModelState::new("gone", Phase::Canceled));
    states.push(ModelState::new("after", Phase::Closed)); // a second closed state
    let err = Models::new(vec![model("bad", states)]).unwrap_err();
    let text = err.to_string();
    for expected in [
        "state `validated` is listed twice",
        "carries the name of phase `review`",
        "but the path is new, assess, authorize, scheduled, implement, review, closed",
        "the `canceled` state comes last",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    let mut two_reviews = itop_states();
    two_reviews.insert(7, ModelState::new("audited", Phase::Review));
    let err = Models::new(vec![model("twice", two_reviews)]).unwrap_err();
    assert!(
        err.to_string()
            .contains("phase `review` has one state only"),
        "{err}"
    );
    let mut unnamed = itop_states();
    unnamed[2] = ModelState::new("", Phase::Assess);
    let err = Models::new(vec![model("unnamed", unnamed)]).unwrap_err();
    assert!(err.to_string().contains("state 3 has no name"), "{err}");
}

#[cfg(feature = "serde")]
#[test]
fn a_model_with_states_reads_back_from_json_and_without_them_stays_as_it_was() {
    let policy = policy_with(model("itop_normal", itop_states()));
    let json = serde_json::to_value(&policy).unwrap();
    assert_eq!(
        json["models"][0]["states"][1],
        serde_json::json!({"name": "validated", "phase": "assess"})
    );
    let back: Policy = serde_json::from_value(json).unwrap();
    assert_eq!(back, policy);
    let preset = serde_json::to_value(Policy::servicenow()).unwrap();
    assert!(preset["models"][0].get("states").is_none());
}

#[test]
fn the_diagram_names_the_vendors_states() {
    let m = model("itop_normal", itop_states());
    let mermaid = m.lifecycle().unwrap().to_mermaid();
    assert!(mermaid.contains("validated --> assigned"), "{mermaid}");
    assert!(mermaid.contains("assigned --> planned"), "{mermaid}");
    assert_eq!(
        m.commands_in("assigned"),
        [
            "assess",
            "complete_assessment",
            "reject",
            "plan",
            "put_on_hold",
            "resume",
            "cancel"
        ]
    );
}

/// `state_list` ends with a canceled state only when `cancel` can be reached: from any
/// phase before review. A path of review and closed alone (a model not yet checked:
/// `Models::new` requires `new` first) has none, with or without the vendor's states; a
/// full path gets the built-in one unless the vendor names its own.
#[test]
fn the_state_list_has_a_canceled_state_only_when_cancel_can_be_reached() {
    let names = |model: &ChangeModel| -> Vec<String> {
        model.state_list().iter().map(|s| s.name.clone()).collect()
    };
    let tail = ChangeModel::new("tail", vec![Phase::Review, Phase::Closed]);
    assert_eq!(names(&tail), ["review", "closed"]);
    let tail = tail.with_states([
        ModelState::new("monitored", Phase::Review),
        ModelState::new("closed", Phase::Closed),
    ]);
    assert_eq!(names(&tail), ["monitored", "closed"]);
    let itop = model("itop_normal", itop_states());
    assert_eq!(names(&itop).last().map(String::as_str), Some("canceled"));
    let mut with_own = itop_states();
    with_own.push(ModelState::new("withdrawn", Phase::Canceled));
    let own = model("itop_normal", with_own);
    let listed = names(&own);
    assert_eq!(listed.last().map(String::as_str), Some("withdrawn"));
    assert!(!listed.contains(&"canceled".to_owned()), "{listed:?}");
}
