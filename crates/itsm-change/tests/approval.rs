//! A change authorised through an approval (itsm-approval) run inside `authorize`: the CAB's
//! majority, separation of duties, refusal back to new, a new round, cancel.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_change::{
    Actor, ChangeId, Command, Context, Error, Event, Phase, Policy, Request, Role, State, UserId,
    Window, decide,
};
use itsm_core::GroupId;

const CAB: GroupId = GroupId::from_u128(77);
const REQUESTER: UserId = UserId::from_u128(9);
const IMPLEMENTER: UserId = UserId::from_u128(8);
const ANA: UserId = UserId::from_u128(11);
const BEN: UserId = UserId::from_u128(12);

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
}

fn policy() -> Policy {
    let mut policy = Policy::servicenow();
    let mut models = policy.models.all().to_vec();
    for model in &mut models {
        if model.name == "normal" {
            model.approval = Some(itsm_approval::Policy::cab(CAB));
            model.authorized_by.clear();
        }
    }
    policy.models = itsm_change::Models::new(models).unwrap();
    policy
}

fn manager() -> Actor {
    Actor::new(UserId::from_u128(2), [Role::new("change_manager").unwrap()])
}

fn person(user: UserId) -> Actor {
    Actor::new(user, [])
}

fn members() -> BTreeMap<GroupId, BTreeSet<UserId>> {
    // The implementer sits on the CAB: separation of duties takes them out.
    BTreeMap::from([(CAB, BTreeSet::from([ANA, BEN, IMPLEMENTER]))])
}

fn request_approval(round: u128) -> Command {
    Command::RequestApproval {
        id: itsm_approval::ApprovalId::from_u128(round),
        members: members(),
    }
}

fn approve() -> Command {
    Command::Approval {
        answer: itsm_approval::Command::Approve { comment: None },
    }
}

fn reject() -> Command {
    Command::Approval {
        answer: itsm_approval::Command::Reject {
            reason: "no back-out plan".into(),
        },
    }
}

/// Runs the steps, each an hour after the previous one.
fn run(steps: &[(Command, Actor)]) -> Result<(State, Vec<Event>), (usize, Error)> {
    let policy = policy();
    let mut state = State::new();
    let mut log = Vec::new();
    for (i, (command, actor)) in steps.iter().enumerate() {
        let now = t(i64::try_from(i).unwrap());
        let events =
            decide(&state, command, &Context::new(now, actor, &policy)).map_err(|e| (i, e))?;
        state.apply(&events);
        log.extend(events);
    }
    Ok((state, log))
}

fn in_authorize() -> Vec<(Command, Actor)> {
    let mut request = Request::new(ChangeId::from_u128(1), "normal", REQUESTER, "Upgrade db01");
    request.implementer = Some(IMPLEMENTER);
    vec![
        (request.into(), manager()),
        (
            Command::Plan {
                window: Window::new(t(48), t(50)),
            },
            manager(),
        ),
        (Command::Submit, manager()),
        (
            Command::Assess(Box::new(itsm_change::RiskFacts {
                model: String::new(),
                items: vec![],
                services: vec![],
                impact: itsm_change::Impact(2),
                likelihood: 2,
                outside_maintenance: false,
                answers: vec![],
            })),
            manager(),
        ),
        (Command::CompleteAssessment, manager()),
    ]
}

#[test]
fn a_cab_majority_authorises_the_change() {
    let mut steps = in_authorize();
    steps.push((request_approval(1), manager()));
    steps.push((approve(), person(ANA)));
    let (state, _) = run(&steps).unwrap();
    // One of the two eligible members (the implementer is excluded): not yet a majority.
    assert_eq!(state.stage(), Some(Phase::Authorize));
    steps.push((approve(), person(BEN)));
    let (state, log) = run(&steps).unwrap();
    assert_eq!(state.stage(), Some(Phase::Scheduled));
    let Some(Event::Authorized { explanation, .. }) = log.last() else {
        panic!("{log:?}")
    };
    assert!(
        explanation.contains("2 approvals of 2 eligible seats, a majority needs 2"),
        "{explanation}"
    );
    assert!(explanation.contains("as the implementer (separation of duties)"));
}

#[test]
fn the_implementer_may_not_approve_their_own_change() {
    let mut steps = in_authorize();
    steps.push((request_approval(1), manager()));
    steps.push((approve(), person(IMPLEMENTER)));
    let (i, err) = run(&steps).unwrap_err();
    assert_eq!(i, 6);
    assert!(matches!(err, Error::Approval(_)), "{err:?}");
}

#[test]
fn a_refused_approval_sends_the_change_back_to_new_and_a_new_round_starts_fresh() {
    let mut steps = in_authorize();
    steps.push((request_approval(1), manager()));
    steps.push((reject(), person(ANA)));
    let (state, log) = run(&steps).unwrap();
    let change = state.change().unwrap();
    assert_eq!((change.stage(), change.rejections()), (Phase::New, 1));
    assert!(matches!(log.last(), Some(Event::Rejected { .. })));
    // Back through assessment, then a second round with a new id.
    steps.push((Command::Submit, manager()));
    steps.push((Command::CompleteAssessment, manager()));
    steps.push((request_approval(2), manager()));
    steps.push((approve(), person(ANA)));
    steps.push((approve(), person(BEN)));
    assert_eq!(run(&steps).unwrap().0.stage(), Some(Phase::Scheduled));
}

#[test]
fn answers_need_a_running_approval_and_one_round_at_a_time() {
    let mut steps = in_authorize();
    steps.push((approve(), person(ANA)));
    assert!(matches!(run(&steps), Err((5, Error::ApprovalRound(_)))));
    let mut twice = in_authorize();
    twice.push((request_approval(1), manager()));
    twice.push((request_approval(2), manager()));
    assert!(matches!(run(&twice), Err((6, Error::ApprovalRound(_)))));
    let mut by_hand = in_authorize();
    by_hand.push((
        Command::Authorize {
            explanation: "ok".into(),
        },
        manager(),
    ));
    assert!(matches!(
        run(&by_hand),
        Err((5, Error::AuthorizedByApproval { .. }))
    ));
}

#[test]
fn canceling_the_change_cancels_its_pending_approval() {
    let mut steps = in_authorize();
    steps.push((request_approval(1), manager()));
    steps.push((
        Command::Cancel {
            reason: "superseded".into(),
        },
        manager(),
    ));
    let (state, log) = run(&steps).unwrap();
    assert_eq!(state.stage(), Some(Phase::Canceled));
    let n = log.len();
    assert!(matches!(log[n - 2], Event::Approval { .. }), "{log:?}");
    let approval = state.change().unwrap().approval().unwrap();
    assert!(
        matches!(approval.outcome(), itsm_approval::Outcome::Canceled { .. }),
        "{:?}",
        approval.outcome()
    );
}

/// An approval leads to scheduling, so it is not requested for a change without a planned
/// window: the board would authorise a change that cannot be scheduled.
#[test]
fn an_approval_is_not_requested_without_a_planned_window() {
    let mut steps: Vec<(Command, Actor)> = in_authorize()
        .into_iter()
        .filter(|(command, _)| !matches!(command, Command::Plan { .. }))
        .collect();
    steps.push((request_approval(1), manager()));
    let (i, err) = run(&steps).unwrap_err();
    assert_eq!((i, err), (4, Error::WindowRequired));
}

/// The type is read-only once an approval was requested, even when a refusal brings the
/// change back to new (ServiceNow, "Create a change request": read-only after approval).
#[test]
fn the_type_is_locked_once_an_approval_was_requested() {
    let mut steps = in_authorize();
    steps.push((request_approval(1), manager()));
    steps.push((reject(), person(ANA)));
    let (state, _) = run(&steps).unwrap();
    assert_eq!(state.stage(), Some(Phase::New));
    let retype = Command::Retype {
        model: "emergency".into(),
        template: None,
    };
    let policy = policy();
    let err = decide(&state, &retype, &Context::new(t(20), &manager(), &policy)).unwrap_err();
    assert_eq!(
        err,
        Error::TypeLocked {
            state: "new".into(),
            why: "an approval was requested"
        }
    );
}
