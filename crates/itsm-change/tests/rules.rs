//! The change lifecycle's rules, one test each. Where a rule is ServiceNow's, the test names
//! the documentation it follows (ServiceNow, "Change types" and "State model and transitions"
//! of Change Management: standard changes are pre-approved and skip assessment and
//! authorisation; emergency changes skip assessment and are authorised by the emergency CAB;
//! a rejected change returns to New; a change in Review cannot be canceled).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_change::{
    Actor, ChangeId, ChangeModel, Command, Context, Error, Event, Impact, Models, Phase, Policy,
    Request, ReviewOutcome, RiskCondition, RiskFacts, RiskLevel, RiskRule, Role, State, UserId,
    Window, decide, evolve, next_deadline,
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

fn manager() -> Actor {
    actor(2, &["change_manager"])
}
fn requester() -> Actor {
    actor(9, &["requester"])
}
fn implementer() -> Actor {
    actor(3, &["implementer"])
}
fn cab() -> Actor {
    actor(4, &["cab"])
}
fn ecab() -> Actor {
    actor(5, &["ecab"])
}

fn request(model: &str) -> Request {
    let mut r = Request::new(
        ChangeId::from_u128(1),
        model,
        requester().user,
        "Upgrade db01",
    );
    if model == "standard" {
        r.template = Some("os_patch".into());
    }
    r
}

fn window() -> Window {
    Window::new(t(48), t(50))
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

/// Runs the steps with the ServiceNow policy (each an hour after the previous, unless the
/// step gives its time); returns the state and events, or the first refusal.
fn run(
    policy: &Policy,
    steps: &[(Command, Actor, Option<DateTime<Utc>>)],
) -> Result<(State, Vec<Event>), (usize, Error)> {
    let mut state = State::new();
    let mut log = Vec::new();
    for (i, (command, actor, at)) in steps.iter().enumerate() {
        let now = at.unwrap_or_else(|| t(i64::try_from(i).unwrap()));
        let events =
            decide(&state, command, &Context::new(now, actor, policy)).map_err(|e| (i, e))?;
        state.apply(&events);
        log.extend(events);
    }
    Ok((state, log))
}

fn step(command: Command, actor: Actor) -> (Command, Actor, Option<DateTime<Utc>>) {
    (command, actor, None)
}

fn close(outcome: ReviewOutcome, code: &str) -> Command {
    Command::Close {
        outcome,
        close_code: code.into(),
        notes: "went fine".into(),
    }
}

/// A normal change up to `scheduled`.
fn normal_scheduled() -> Vec<(Command, Actor, Option<DateTime<Utc>>)> {
    vec![
        step(request("normal").into(), requester()),
        step(Command::Plan { window: window() }, requester()),
        step(Command::Submit, requester()),
        step(Command::Assess(Box::new(facts())), manager()),
        step(Command::CompleteAssessment, manager()),
        step(
            Command::Authorize {
                explanation: "CAB: 3 of 5 approved".into(),
            },
            cab(),
        ),
    ]
}

/// A normal change up to authorisation, where the board rejects it (back to `new`).
fn rejected_at_authorisation() -> Vec<(Command, Actor, Option<DateTime<Utc>>)> {
    let mut steps = normal_scheduled();
    steps.pop();
    steps.push(step(
        Command::Reject {
            reason: "no back-out plan".into(),
        },
        cab(),
    ));
    steps
}

#[test]
fn a_normal_change_goes_through_assessment_and_authorisation() {
    let mut steps = normal_scheduled();
    steps.push((Command::Implement, implementer(), Some(t(48))));
    steps.push((Command::Complete, implementer(), Some(t(49))));
    steps.push((
        close(ReviewOutcome::Successful, "successful"),
        manager(),
        Some(t(50)),
    ));
    let phases: Vec<Phase> = (1..=steps.len())
        .map(|n| {
            run(&Policy::servicenow(), &steps[..n])
                .unwrap()
                .0
                .stage()
                .unwrap()
        })
        .collect();
    use Phase::*;
    assert_eq!(
        phases,
        [
            New, New, Assess, Assess, Authorize, Scheduled, Implement, Review, Closed
        ]
    );
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    let change = state.change().unwrap();
    assert_eq!(change.review().unwrap().outcome, ReviewOutcome::Successful);
    assert_eq!(change.risk().unwrap().risk, RiskLevel::Moderate);
}

#[test]
fn servicenow_a_standard_change_is_pre_approved_and_skips_assessment_and_authorisation() {
    let (state, log) = run(
        &Policy::servicenow(),
        &[
            step(request("standard").into(), requester()),
            step(Command::Plan { window: window() }, requester()),
            step(Command::Submit, requester()),
        ],
    )
    .unwrap();
    assert_eq!(state.stage(), Some(Phase::Scheduled));
    assert!(matches!(
        log.last(),
        Some(Event::Submitted {
            to: Phase::Scheduled,
            ..
        })
    ));
}

#[test]
fn servicenow_a_standard_change_needs_one_of_its_templates() {
    let mut r = request("standard");
    r.template = None;
    let (_, err) = run(
        &Policy::servicenow(),
        &[step(r.clone().into(), requester())],
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Template { template: None, .. }),
        "{err:?}"
    );
    r.template = Some("reboot_everything".into());
    let (_, err) = run(&Policy::servicenow(), &[step(r.into(), requester())]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a `standard` change comes from a pre-approved template; allowed: `os_patch`, `service_restart`"
    );
}

#[test]
fn servicenow_an_emergency_change_skips_assessment_and_needs_the_emergency_board() {
    let base = vec![
        step(request("emergency").into(), requester()),
        step(Command::Plan { window: window() }, requester()),
        step(Command::Submit, requester()),
    ];
    let (state, _) = run(&Policy::servicenow(), &base).unwrap();
    assert_eq!(state.stage(), Some(Phase::Authorize));
    let authorize = Command::Authorize {
        explanation: "ECAB".into(),
    };
    let mut by_cab = base.clone();
    by_cab.push(step(authorize.clone(), cab()));
    let (_, err) = run(&Policy::servicenow(), &by_cab).unwrap_err();
    assert!(matches!(err, Error::Denied { .. }), "{err:?}");
    let mut by_ecab = base;
    by_ecab.push(step(authorize, ecab()));
    assert_eq!(
        run(&Policy::servicenow(), &by_ecab).unwrap().0.stage(),
        Some(Phase::Scheduled)
    );
}

#[test]
fn servicenow_a_rejected_change_returns_to_new() {
    let mut steps = rejected_at_authorisation();
    let before = run(&Policy::servicenow(), &steps[..steps.len() - 1])
        .unwrap()
        .0;
    assert_eq!(before.change().unwrap().rejections(), 0);
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    let change = state.change().unwrap();
    assert_eq!((change.stage(), change.rejections()), (Phase::New, 1));
    // And it can be submitted again.
    steps.push(step(Command::Submit, requester()));
    assert_eq!(
        run(&Policy::servicenow(), &steps).unwrap().0.stage(),
        Some(Phase::Assess)
    );
    // Rejected a second time: counted again.
    steps.push(step(Command::Assess(Box::new(facts())), manager()));
    steps.push(step(Command::CompleteAssessment, manager()));
    steps.push(step(
        Command::Reject {
            reason: "still no back-out plan".into(),
        },
        cab(),
    ));
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    assert_eq!(state.change().unwrap().rejections(), 2);
}

/// A canceled change keeps why; one not canceled has no reason.
#[test]
fn a_canceled_change_keeps_its_reason() {
    let mut steps = normal_scheduled();
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    assert_eq!(state.change().unwrap().cancel_reason(), None);
    steps.push(step(
        Command::Cancel {
            reason: "superseded by CHG0042".into(),
        },
        manager(),
    ));
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    let change = state.change().unwrap();
    assert_eq!(change.stage(), Phase::Canceled);
    assert_eq!(change.cancel_reason(), Some("superseded by CHG0042"));
}

#[test]
fn servicenow_a_change_in_review_cannot_be_canceled() {
    let mut steps = normal_scheduled();
    steps.push((Command::Implement, implementer(), Some(t(48))));
    steps.push((Command::Complete, implementer(), Some(t(49))));
    steps.push((
        Command::Cancel {
            reason: "oops".into(),
        },
        manager(),
        Some(t(50)),
    ));
    let (_, err) = run(&Policy::servicenow(), &steps).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`cancel` is not allowed in phase `review` of a `normal` change; allowed there: `close`, `put_on_hold`, `resume`"
    );
}

#[test]
fn leaving_assessment_needs_a_risk_assessment() {
    let (_, err) = run(
        &Policy::servicenow(),
        &[
            step(request("normal").into(), requester()),
            step(Command::Submit, requester()),
            step(Command::CompleteAssessment, manager()),
        ],
    )
    .unwrap_err();
    assert_eq!(err, Error::RiskNotAssessed);
}

#[test]
fn scheduling_needs_a_window_and_implementation_waits_for_it() {
    let (_, err) = run(
        &Policy::servicenow(),
        &[
            step(request("standard").into(), requester()),
            step(Command::Submit, requester()),
        ],
    )
    .unwrap_err();
    assert_eq!(err, Error::WindowRequired);
    let mut steps = normal_scheduled();
    steps.push((Command::Implement, implementer(), Some(t(47))));
    let (_, err) = run(&Policy::servicenow(), &steps).unwrap_err();
    assert_eq!(
        err,
        Error::BeforeWindow {
            start: t(48),
            now: t(47)
        }
    );
    let mut early = Policy::servicenow();
    early.implement_before_window = true;
    assert!(run(&early, &steps).is_ok());
}

#[test]
fn a_window_must_end_after_it_starts() {
    let (_, err) = run(
        &Policy::servicenow(),
        &[
            step(request("normal").into(), requester()),
            step(
                Command::Plan {
                    window: Window::new(t(5), t(5)),
                },
                requester(),
            ),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidWindow {
            start: t(5),
            end: t(5)
        }
    );
}

#[test]
fn on_hold_is_a_flag_that_stops_every_move_but_cancel() {
    let mut steps = vec![
        step(request("normal").into(), requester()),
        step(
            Command::PutOnHold {
                reason: "vendor patch missing".into(),
            },
            manager(),
        ),
    ];
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    let change = state.change().unwrap();
    assert_eq!(
        (change.stage(), change.on_hold()),
        (Phase::New, Some("vendor patch missing"))
    );
    steps.push(step(Command::Submit, requester()));
    let (_, err) = run(&Policy::servicenow(), &steps).unwrap_err();
    assert!(matches!(err, Error::OnHold { .. }), "{err:?}");
    steps.pop();
    steps.push(step(Command::Resume, manager()));
    steps.push(step(Command::Submit, requester()));
    assert_eq!(
        run(&Policy::servicenow(), &steps).unwrap().0.stage(),
        Some(Phase::Assess)
    );
}

#[test]
fn close_codes_follow_the_outcome() {
    let mut steps = normal_scheduled();
    steps.push((Command::Implement, implementer(), Some(t(48))));
    steps.push((Command::Complete, implementer(), Some(t(49))));
    let mut wrong = steps.clone();
    wrong.push((
        close(ReviewOutcome::BackedOut, "successful"),
        manager(),
        Some(t(50)),
    ));
    let (_, err) = run(&Policy::servicenow(), &wrong).unwrap_err();
    assert_eq!(
        err.to_string(),
        "close code `successful` is not allowed for outcome `backed_out`; allowed: `unsuccessful`"
    );
    steps.push((
        close(ReviewOutcome::BackedOut, "unsuccessful"),
        manager(),
        Some(t(50)),
    ));
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    assert!(
        !state
            .change()
            .unwrap()
            .review()
            .unwrap()
            .outcome
            .is_success()
    );
}

#[test]
fn the_clock_must_not_go_backwards() {
    let (_, err) = run(
        &Policy::servicenow(),
        &[
            (request("normal").into(), requester(), Some(t(5))),
            (Command::Submit, requester(), Some(t(4))),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::ClockWentBackwards {
            last: t(5),
            now: t(4)
        }
    );
}

#[test]
fn risk_engines_combine_highest_wins() {
    let mut policy = Policy::servicenow();
    policy.risk.rules.push(RiskRule {
        name: "many items".into(),
        when: RiskCondition::ItemsAtLeast(2),
        risk: RiskLevel::High,
    });
    let mut r = request("normal");
    r.items = vec![
        itsm_change::ConfigItemId::from_u128(1),
        itsm_change::ConfigItemId::from_u128(2),
    ];
    let (state, _) = run(
        &policy,
        &[
            step(r.into(), requester()),
            step(Command::Assess(Box::new(facts())), manager()),
        ],
    )
    .unwrap();
    let risk = state.change().unwrap().risk().unwrap();
    // The rule answers, so the lookup (which would say moderate) is not used.
    assert_eq!(risk.risk, RiskLevel::High);
    assert_eq!(
        risk.to_string(),
        "risk high: rule `many items` gives high (the highest wins)"
    );
}

#[test]
fn a_vendor_model_with_its_own_path_is_checked_at_load() {
    let quick = ChangeModel::new(
        "quick",
        vec![
            Phase::New,
            Phase::Scheduled,
            Phase::Implement,
            Phase::Review,
            Phase::Closed,
        ],
    );
    assert!(Models::new(vec![quick.clone()]).is_ok());
    let backwards = ChangeModel::new(
        "backwards",
        vec![
            Phase::New,
            Phase::Implement,
            Phase::Scheduled,
            Phase::Review,
            Phase::Closed,
        ],
    );
    let mut unauthorised = ChangeModel::new(
        "unauthorised",
        vec![
            Phase::New,
            Phase::Authorize,
            Phase::Scheduled,
            Phase::Implement,
            Phase::Review,
            Phase::Closed,
        ],
    );
    unauthorised.authorized_by.clear();
    let endless = ChangeModel::new(
        "endless",
        vec![Phase::New, Phase::Scheduled, Phase::Implement],
    );
    let err = Models::new(vec![quick.clone(), quick, backwards, unauthorised, endless])
        .unwrap_err()
        .to_string();
    for needle in [
        "model `quick` is listed twice",
        "model `backwards`: the path must follow the lifecycle order",
        "model `unauthorised`: `authorize` is on the path but neither `authorized_by` names a role nor an `approval` is set",
        "model `endless`: the path must end at `closed`",
        "model `endless`: the path must include `review`",
    ] {
        assert!(err.contains(needle), "{needle} not in {err}");
    }
}

#[test]
fn next_deadline_is_the_window_while_scheduled_and_implementing() {
    let steps = normal_scheduled();
    let (state, _) = run(&Policy::servicenow(), &steps).unwrap();
    assert_eq!(next_deadline(&state), Some(t(48)));
    let mut more = steps;
    more.push((Command::Implement, implementer(), Some(t(48))));
    assert_eq!(
        next_deadline(&run(&Policy::servicenow(), &more).unwrap().0),
        Some(t(50))
    );
}

#[test]
fn replaying_the_events_rebuilds_the_state() {
    let (state, log) = run(&Policy::servicenow(), &normal_scheduled()).unwrap();
    assert_eq!(log.iter().fold(State::new(), evolve), state);
    #[cfg(feature = "serde")]
    {
        let stored: Vec<Event> = log
            .iter()
            .map(|e| serde_json::from_str(&serde_json::to_string(e).unwrap()).unwrap())
            .collect();
        assert_eq!(stored.iter().fold(State::new(), evolve), state);
    }
}

/// The change success rate counts the two successful outcomes (ServiceNow's close codes
/// "Successful" and "Successful with issues"), not a failure or a back-out.
#[test]
fn a_review_outcome_is_a_success_only_when_the_change_achieved_its_purpose() {
    let outcomes = [
        ReviewOutcome::Successful,
        ReviewOutcome::SuccessfulWithIssues,
        ReviewOutcome::Failed,
        ReviewOutcome::BackedOut,
    ];
    let success: Vec<bool> = outcomes.iter().map(|o| o.is_success()).collect();
    assert_eq!(success, [true, true, false, false]);
}

/// `wrap` applied `levels` times around `Always`: a condition nested that deep.
fn nested(levels: usize, wrap: fn(RiskCondition) -> RiskCondition) -> RiskCondition {
    (0..levels).fold(RiskCondition::Always, |c, _| wrap(c))
}

fn all(c: RiskCondition) -> RiskCondition {
    RiskCondition::All(vec![c])
}

fn any(c: RiskCondition) -> RiskCondition {
    RiskCondition::Any(vec![c])
}

fn not(c: RiskCondition) -> RiskCondition {
    RiskCondition::Not(Box::new(c))
}

/// A questionnaire's question `id` with its answers and their weights.
fn question(id: &str, answers: &[(&str, u32)]) -> itsm_change::Question {
    itsm_change::Question {
        id: id.into(),
        text: format!("{id}?"),
        answers: answers
            .iter()
            .map(|(a, w)| itsm_change::AnswerOption {
                id: (*a).into(),
                weight: *w,
            })
            .collect(),
    }
}

/// Each risk condition holds exactly when its fact does (ServiceNow's risk conditions: the
/// first rule whose condition holds answers), and an unchecked policy's condition is
/// evaluated to 32 levels of nesting, no deeper (`RiskPolicy::check` refuses deeper ones,
/// and the limit keeps the evaluation off a deep stack).
#[test]
fn each_risk_condition_holds_exactly_when_its_fact_does() {
    use itsm_change::{ConfigItemId, RiskPolicy, ServiceId};
    let (db, web) = (ConfigItemId::from_u128(1), ConfigItemId::from_u128(2));
    let (shop, mail) = (ServiceId::from_u128(7), ServiceId::from_u128(8));
    let facts = RiskFacts {
        model: "normal".into(),
        items: vec![db],
        services: vec![shop],
        impact: Impact(2),
        likelihood: 2,
        outside_maintenance: true,
        answers: vec![],
    };
    let holds = |when: RiskCondition, facts: &RiskFacts| {
        let mut policy = RiskPolicy::default();
        policy.rules.push(RiskRule {
            name: "r".into(),
            when,
            risk: RiskLevel::VeryHigh,
        });
        policy.assess(facts).unwrap().risk == RiskLevel::VeryHigh
    };
    let cases = [
        (RiskCondition::Always, true),
        (RiskCondition::Model("normal".into()), true),
        (RiskCondition::Model("emergency".into()), false),
        (RiskCondition::ItemsAtLeast(1), true),
        (RiskCondition::ItemsAtLeast(2), false),
        (RiskCondition::Item(db), true),
        (RiskCondition::Item(web), false),
        (RiskCondition::ServiceIn(vec![mail, shop]), true),
        (RiskCondition::ServiceIn(vec![mail]), false),
        // Impact 1 is the most severe: impact 2 is at least 2 and 3, not 1.
        (RiskCondition::ImpactAtLeast(Impact(3)), true),
        (RiskCondition::ImpactAtLeast(Impact(2)), true),
        (RiskCondition::ImpactAtLeast(Impact(1)), false),
        (RiskCondition::OutsideMaintenance, true),
        (not(RiskCondition::OutsideMaintenance), false),
        (not(RiskCondition::Item(web)), true),
        (
            RiskCondition::All(vec![RiskCondition::Item(db), RiskCondition::Item(web)]),
            false,
        ),
        (
            RiskCondition::Any(vec![RiskCondition::Item(db), RiskCondition::Item(web)]),
            true,
        ),
        (RiskCondition::All(vec![]), true),
        (RiskCondition::Any(vec![]), false),
        // The innermost condition at level 32 is evaluated; at level 33 it is not (false).
        (nested(31, all), true),
        (nested(32, all), false),
        (nested(31, any), true),
        (nested(32, any), false),
        (nested(30, not), true),
        (nested(32, not), false),
    ];
    for (i, (when, expected)) in cases.into_iter().enumerate() {
        assert_eq!(holds(when.clone(), &facts), expected, "case {i}: {when:?}");
    }
    let mut impact_one = facts.clone();
    impact_one.impact = Impact(1);
    assert!(holds(RiskCondition::ImpactAtLeast(Impact(1)), &impact_one));
    // The policy check refuses what the evaluation would cut short.
    let mut deep = RiskPolicy::default();
    deep.rules.push(RiskRule {
        name: "deep".into(),
        when: nested(32, all),
        risk: RiskLevel::High,
    });
    assert!(deep.check().is_err());
    deep.rules[0].when = nested(31, all);
    assert!(deep.check().is_ok());
}

/// A risk questionnaire (ServiceNow's risk assessment: weighted answers, a score, and the
/// level whose threshold the score reaches), combined with the rules, the highest winning.
#[test]
fn a_questionnaire_scores_the_answers_and_the_highest_engine_wins() {
    use itsm_change::{Questionnaire, RiskPolicy};
    let mut policy = RiskPolicy {
        questionnaire: Some(Questionnaire {
            questions: vec![
                question("outage", &[("yes", 10), ("no", 0)]),
                question("tested", &[("no", 5), ("yes", 0)]),
            ],
            thresholds: vec![
                (5, RiskLevel::Moderate),
                (10, RiskLevel::High),
                (15, RiskLevel::VeryHigh),
            ],
        }),
        ..RiskPolicy::default()
    };
    assert!(policy.check().is_ok());
    let answered = |outage: &str, tested: &str| {
        let mut f = facts();
        f.answers = vec![
            ("tested".into(), tested.into()),
            ("outage".into(), outage.into()),
        ];
        f
    };
    let score_under = |policy: &RiskPolicy, outage: &str, tested: &str| {
        let a = policy.assess(&answered(outage, tested)).unwrap();
        (a.risk, a.to_string())
    };
    // Each score at a threshold reaches its level; below the first, low.
    assert_eq!(
        score_under(&policy, "no", "yes"),
        (
            RiskLevel::Low,
            "risk low: questionnaire score 0 gives low (the highest wins)".into()
        )
    );
    assert_eq!(score_under(&policy, "no", "no").0, RiskLevel::Moderate);
    assert_eq!(score_under(&policy, "yes", "yes").0, RiskLevel::High);
    assert_eq!(
        score_under(&policy, "yes", "no"),
        (
            RiskLevel::VeryHigh,
            "risk very_high: questionnaire score 15 gives very_high (the highest wins)".into()
        )
    );
    // A rule answers too; the higher of the two wins.
    policy.rules.push(RiskRule {
        name: "touches items".into(),
        when: RiskCondition::Always,
        risk: RiskLevel::High,
    });
    assert_eq!(
        score_under(&policy, "no", "no"),
        (
            RiskLevel::High,
            "risk high: questionnaire score 5 gives moderate; rule `touches items` gives high (the highest wins)".into()
        )
    );
    // Every question must be answered, from its own answers.
    let mut partial = facts();
    partial.answers = vec![("outage".into(), "no".into())];
    assert_eq!(
        policy.assess(&partial),
        Err(Error::UnansweredQuestion {
            question: "tested".into()
        })
    );
    assert_eq!(
        policy.assess(&answered("maybe", "yes")),
        Err(Error::UnknownAnswer {
            question: "outage".into(),
            answer: "maybe".into(),
            allowed: vec!["yes".into(), "no".into()],
        })
    );
}

/// `RiskPolicy::check` lists every problem at once: thresholds out of order, a question
/// without answers or listed twice, a rule nested deeper than 32 levels (through `all`,
/// `any` or `not`).
#[test]
fn a_risk_policy_lists_every_problem_at_once() {
    use itsm_change::{Questionnaire, RiskPolicy};
    let rule = |name: &str, when| RiskRule {
        name: name.into(),
        when,
        risk: RiskLevel::High,
    };
    let mut policy = RiskPolicy {
        questionnaire: Some(Questionnaire {
            questions: vec![
                question("a", &[("yes", 1)]),
                question("b", &[]),
                question("a", &[("yes", 1)]),
            ],
            thresholds: vec![(10, RiskLevel::High), (10, RiskLevel::VeryHigh)],
        }),
        rules: vec![
            rule("fine", nested(31, any)),
            rule("deep any", nested(32, any)),
            rule("deep not", nested(32, not)),
        ],
        ..RiskPolicy::default()
    };
    assert_eq!(
        policy.check(),
        Err(Error::InvalidRiskPolicy {
            problems: vec![
                "questionnaire thresholds must increase".into(),
                "question `b` has no answers".into(),
                "question `a` is listed twice".into(),
                "rule `deep any` nests conditions deeper than 32 levels".into(),
                "rule `deep not` nests conditions deeper than 32 levels".into(),
            ]
        })
    );
    // Increasing thresholds, distinct questions with answers: fine.
    policy.questionnaire = Some(Questionnaire {
        questions: vec![question("a", &[("yes", 1)]), question("b", &[("yes", 1)])],
        thresholds: vec![(1, RiskLevel::Moderate), (2, RiskLevel::High)],
    });
    policy.rules.truncate(1);
    assert_eq!(policy.check(), Ok(()));
}

/// The timeline `itsm-metrics` measures: the model gives the change type (a vendor's
/// model none), every hold pauses it and every resume resumes it, and a change submitted
/// again after a rejection is acknowledged once.
#[test]
fn a_change_timeline_has_its_type_pauses_and_one_acknowledgement() {
    use itsm_core::ChangeType;
    let type_of = |model: &str| {
        let (_, log) = run(
            &Policy::servicenow(),
            &[step(request(model).into(), requester())],
        )
        .unwrap();
        itsm_change::timeline(&log).unwrap().spec().change_type
    };
    assert_eq!(type_of("standard"), Some(ChangeType::Standard));
    assert_eq!(type_of("normal"), Some(ChangeType::Normal));
    assert_eq!(type_of("emergency"), Some(ChangeType::Emergency));
    let mut vendor = Request::new(ChangeId::from_u128(2), "normal", requester().user, "x");
    vendor.model = "quick".into();
    let events = vec![Event::Raised {
        at: t(0),
        by: requester().user,
        request: std::sync::Arc::new(vendor),
    }];
    assert_eq!(
        itsm_change::timeline(&events).unwrap().spec().change_type,
        None
    );

    let mut steps = rejected_at_authorisation();
    steps.push(step(Command::Submit, requester()));
    steps.push(step(
        Command::PutOnHold {
            reason: "waiting for the vendor".into(),
        },
        manager(),
    ));
    steps.push(step(Command::Resume, manager()));
    steps.push(step(
        Command::PutOnHold {
            reason: "waiting again".into(),
        },
        manager(),
    ));
    steps.push(step(Command::Resume, manager()));
    let (_, log) = run(&Policy::servicenow(), &steps).unwrap();
    let timeline = itsm_change::timeline(&log).unwrap();
    let kinds: Vec<&str> = timeline.marks().iter().map(|m| m.kind.name()).collect();
    assert_eq!(
        kinds,
        ["acknowledged", "paused", "resumed", "paused", "resumed"]
    );
}

/// A risk rule nested a million deep (built in code) is refused by `RiskPolicy::check`
/// and dropped on a thread with a 256 kB stack: dropping used to take one call per level
/// and overflowed at some twenty thousand.
#[test]
fn a_million_deep_risk_rule_is_refused_and_dropped_on_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let mut policy = itsm_change::RiskPolicy::default();
            policy.rules.push(RiskRule {
                name: "deep".into(),
                when: nested(1_000_000, not),
                risk: RiskLevel::High,
            });
            policy.rules.push(RiskRule {
                name: "wide".into(),
                when: nested(1_000_000, all),
                risk: RiskLevel::High,
            });
            let err = policy.check().unwrap_err().to_string();
            assert!(
                err.contains("rule `deep` nests conditions deeper than 32"),
                "{err}"
            );
            assert!(
                err.contains("rule `wide` nests conditions deeper than 32"),
                "{err}"
            );
            drop(policy);
        })
        .unwrap()
        .join()
        .unwrap();
}

fn retype(model: &str, template: Option<&str>) -> Command {
    Command::Retype {
        model: model.into(),
        template: template.map(str::to_owned),
    }
}

/// ServiceNow, "Create a change request" (t_CreateAChange): the fields (the type among them)
/// are editable while the change is New and read-only once it moves on. A normal change
/// retyped as standard needs a pre-approved template, then follows the standard model
/// (straight from new to scheduled); once submitted, its type is locked.
#[test]
fn servicenow_the_type_changes_only_while_new() {
    let policy = Policy::servicenow();
    let steps = [step(request("normal").into(), requester())];
    let (state, _) = run(&policy, &steps).unwrap();
    let who = requester();
    let ctx = |h| Context::new(t(h), &who, &policy);
    // Standard without a template: refused as `raise` refuses it.
    assert!(matches!(
        decide(&state, &retype("standard", None), &ctx(1)),
        Err(Error::Template { .. })
    ));
    assert!(matches!(
        decide(&state, &retype("minor", None), &ctx(1)),
        Err(Error::UnknownModel { .. })
    ));
    // The same type again changes nothing.
    assert_eq!(decide(&state, &retype("normal", None), &ctx(1)), Ok(vec![]));
    // The implementer may not retype (ServiceNow preset: requester and change manager).
    assert!(matches!(
        decide(
            &state,
            &retype("standard", Some("os_patch")),
            &Context::new(t(1), &implementer(), &policy)
        ),
        Err(Error::Denied { .. })
    ));
    let events = decide(&state, &retype("standard", Some("os_patch")), &ctx(1)).unwrap();
    assert_eq!(
        events,
        vec![Event::Retyped {
            at: t(1),
            by: requester().user,
            model: "standard".into(),
            template: Some("os_patch".into()),
        }]
    );
    let mut retyped = state.clone();
    retyped.apply(&events);
    let change = retyped.change().unwrap();
    assert_eq!(change.request().model, "standard");
    assert_eq!(change.request().template.as_deref(), Some("os_patch"));
    // It now follows the standard model: planned, then submitted straight to scheduled.
    let mut s = retyped;
    for (h, command) in [
        (2, Command::Plan { window: window() }),
        (3, Command::Submit),
    ] {
        let events = decide(&s, &command, &ctx(h)).unwrap();
        s.apply(&events);
    }
    assert_eq!(s.stage(), Some(Phase::Scheduled));
    // Submitted: the type is read-only.
    assert_eq!(
        decide(&s, &retype("normal", None), &ctx(4)).map_err(|e| e.to_string()),
        Err(
            "`retype` needs a new change whose approval was never requested (its type is \
             read-only once submitted); the change is in `scheduled`"
                .to_owned()
        )
    );
    // The timeline measures the type it ended with.
    let (_, mut log) = run(&policy, &steps).unwrap();
    log.extend(events);
    assert_eq!(
        itsm_change::timeline(&log).unwrap().spec().change_type,
        Some(itsm_core::ChangeType::Standard)
    );
}

/// Ours: a risk assessed for a change's previous model is dropped when it is retyped, so the
/// assessment that lets it leave `assess` is one made for the model it follows; and a
/// canceled change says so when asked to change type.
#[test]
fn retyping_drops_the_previous_risk_and_a_canceled_change_says_so() {
    let policy = Policy::servicenow();
    let steps = [step(request("normal").into(), requester())];
    let (mut state, _) = run(&policy, &steps).unwrap();
    let who = manager();
    let ctx = |h| Context::new(t(h), &who, &policy);
    let events = decide(&state, &Command::Assess(Box::new(facts())), &ctx(1)).unwrap();
    state.apply(&events);
    assert!(state.change().unwrap().risk().is_some());
    let events = decide(&state, &retype("emergency", None), &ctx(2)).unwrap();
    state.apply(&events);
    assert_eq!(state.change().unwrap().risk(), None);
    let cancel = Command::Cancel {
        reason: "not needed".into(),
    };
    let events = decide(&state, &cancel, &ctx(3)).unwrap();
    state.apply(&events);
    assert_eq!(
        decide(&state, &retype("normal", None), &ctx(4)),
        Err(Error::TypeLocked {
            state: "canceled".into(),
            why: "closed or canceled"
        })
    );
}
