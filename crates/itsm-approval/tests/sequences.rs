//! Random policies and command sequences, with the invariants checked after every step.
//!
//! Policies have one to three stages over people, groups, a role and the parties, every kind
//! of quorum, both refusal rules, any separation of duties, sometimes a required role, and
//! each delegation rule; requests put the requester or the implementer into groups, so
//! exclusions and undecidable requests occur. Commands come from seven people holding
//! random roles, at times that usually move forward but sometimes go back. The seed is
//! fixed, so every run tries the same cases; failures are persisted in
//! `proptest-regressions/` and replayed first.
//!
//! After every step: `decide` is deterministic; accepted events are stamped with `now` and
//! the actor; the change of state is an entry of `TRANSITIONS`; terminal states accept
//! nothing; replaying the whole log reproduces the state; a decided stage never changes;
//! and the state invariants of `invariants::check` hold (early decision exactly when the
//! outcome is fixed, approved only with every quorum met by eligible approvals, one seat
//! and one answer per person per stage). With `serde`, states, events and commands survive
//! a JSON round trip.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;
mod invariants;

use std::cell::RefCell;
use std::collections::BTreeSet;

use chrono::Duration;
use common::{ANA, BEN, CAB, CAT, DAN, EVE, ID, IMPLEMENTER, REQUESTER, TECH, role, t0};
use itsm_approval::{
    Actor, Approver, Command, CommandKind, Context, DecidedBy, Delegation, Event, Party, Policy,
    PolicySpec, Quorum, RefusalRule, Request, StageSpec, State, StatusKind, UserId, decide, evolve,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestRunner};

const CASES: u32 = 512;
const MAX_STEPS: usize = 30;

/// The cast: the parties, four approvers and someone on no list.
const PEOPLE: [UserId; 7] = [REQUESTER, IMPLEMENTER, ANA, BEN, CAT, DAN, EVE];

fn approver() -> impl Strategy<Value = Approver> {
    prop_oneof![
        1 => Just(Approver::Person(ANA)),
        1 => Just(Approver::Person(BEN)),
        3 => Just(Approver::Group(CAB)),
        2 => Just(Approver::Group(TECH)),
        1 => Just(Approver::Role(role("cab"))),
        1 => Just(Approver::Party(Party::Requester)),
        1 => Just(Approver::Party(Party::Implementer)),
    ]
}

fn quorum() -> impl Strategy<Value = Quorum> {
    prop_oneof![
        Just(Quorum::Any),
        Just(Quorum::All),
        Just(Quorum::Majority),
        (1..=3u32).prop_map(Quorum::Count),
        prop_oneof![Just(1u8), Just(34), Just(50), Just(60), Just(100)].prop_map(Quorum::Percent),
    ]
}

fn stage(index: usize) -> impl Strategy<Value = StageSpec> {
    (
        proptest::collection::vec(approver(), 1..=3),
        quorum(),
        any::<bool>(),
        proptest::sample::subsequence(vec![Party::Requester, Party::Implementer], 0..=2),
        proptest::option::weighted(0.2, Just(role("cab_member"))),
    )
        .prop_map(
            move |(mut approvers, quorum, first, parties, required_role)| {
                // A stage lists each approver once (repeats are a policy error, tested apart).
                let mut seen = BTreeSet::new();
                approvers.retain(|a| seen.insert(a.clone()));
                let mut stage = StageSpec::new(format!("stage{index}"), approvers, quorum);
                stage.refusal = if first {
                    RefusalRule::FirstRejection
                } else {
                    RefusalRule::QuorumImpossible
                };
                stage.separation_of_duties = parties.into_iter().collect();
                stage.required_role = required_role;
                stage
            },
        )
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        (1..=3usize).prop_flat_map(|n| {
            (0..n)
                .map(stage)
                .collect::<Vec<_>>()
                .prop_map(|stages| stages)
        }),
        prop_oneof![
            Just(Delegation::Forbidden),
            Just(Delegation::Once),
            Just(Delegation::Redelegate)
        ],
    )
        .prop_filter_map("an invalid policy", |(stages, delegation)| {
            let mut spec = PolicySpec::new("random", stages);
            spec.delegation = delegation;
            Policy::new(spec).ok()
        })
}

fn members() -> impl Strategy<Value = Vec<UserId>> {
    proptest::sample::subsequence(PEOPLE.to_vec(), 0..=5)
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop_oneof![3 => Just(REQUESTER), 1 => Just(ANA)],
        proptest::option::of(prop_oneof![3 => Just(IMPLEMENTER), 1 => Just(BEN)]),
        members(),
        members(),
    )
        .prop_map(|(requester, implementer, cab, tech)| {
            let mut request = Request::new(ID, requester)
                .with_members(CAB, cab)
                .with_members(TECH, tech);
            request.implementer = implementer;
            request
        })
}

#[derive(Debug, Clone)]
struct Step {
    actor: usize,
    roles: (bool, bool),
    command: Command,
    seconds: i64,
}

fn command(request: Request) -> impl Strategy<Value = Command> {
    prop_oneof![
        1 => Just(Command::Request(Box::new(request))),
        6 => proptest::option::weighted(0.3, Just("ok".to_owned()))
            .prop_map(|comment| Command::Approve { comment }),
        4 => prop_oneof![1 => Just(String::new()), 5 => Just("no".to_owned())]
            .prop_map(|reason| Command::Reject { reason }),
        2 => (0..PEOPLE.len()).prop_map(|i| Command::Delegate { to: PEOPLE[i] }),
        1 => Just(Command::Cancel { reason: "withdrawn".into() }),
    ]
}

fn step(request: Request) -> impl Strategy<Value = Step> {
    (
        0..PEOPLE.len(),
        (any::<bool>(), proptest::bool::weighted(0.7)),
        command(request),
        prop_oneof![8 => Just(60i64), 1 => Just(0), 1 => Just(-60)],
    )
        .prop_map(|(actor, roles, command, seconds)| Step {
            actor,
            roles,
            command,
            seconds,
        })
}

fn case() -> impl Strategy<Value = (Policy, Request, Vec<Step>)> {
    (policy(), request()).prop_flat_map(|(policy, request)| {
        (
            Just(policy),
            Just(request.clone()),
            proptest::collection::vec(step(request), 1..=MAX_STEPS),
        )
    })
}

fn actor_of(step: &Step) -> Actor {
    let mut roles = Vec::new();
    if step.roles.0 {
        roles.push(role("cab"));
    }
    if step.roles.1 {
        roles.push(role("cab_member"));
    }
    Actor::new(PEOPLE[step.actor], roles)
}

/// What the whole run reached, to check the cases cover the table and every rule.
#[derive(Default)]
struct Seen {
    transitions: BTreeSet<(StatusKind, CommandKind, StatusKind)>,
    decided_by: BTreeSet<(bool, String)>,
    early: usize,
}

#[cfg(feature = "serde")]
fn round_trips(state: &State, events: &[Event], command: &Command) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(state).unwrap();
    prop_assert_eq!(&serde_json::from_str::<State>(&json).unwrap(), state);
    for event in events {
        let json = serde_json::to_string(event).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Event>(&json).unwrap(), event);
    }
    let json = serde_json::to_string(command).unwrap();
    prop_assert_eq!(&serde_json::from_str::<Command>(&json).unwrap(), command);
    Ok(())
}

#[cfg(not(feature = "serde"))]
fn round_trips(_: &State, _: &[Event], _: &Command) -> Result<(), TestCaseError> {
    Ok(())
}

fn run_case(
    policy: &Policy,
    request: &Request,
    steps: &[Step],
    seen: &mut Seen,
) -> Result<(), TestCaseError> {
    let mut state = State::new();
    let mut log: Vec<Event> = Vec::new();
    let mut now = t0();
    // Start with the request most of the time, so sequences get deep.
    let opening = Step {
        actor: 0,
        roles: (false, false),
        command: Command::Request(Box::new(request.clone())),
        seconds: 0,
    };
    for step in std::iter::once(&opening).chain(steps) {
        now += Duration::seconds(step.seconds);
        let actor = actor_of(step);
        let ctx = Context::new(now, &actor, policy);
        let result = decide(&state, &step.command, &ctx);
        prop_assert_eq!(&result, &decide(&state, &step.command, &ctx));
        let before = state.clone();
        let Ok(events) = result else {
            if before.kind().is_terminal() {
                continue;
            }
            continue;
        };
        prop_assert!(
            !before.kind().is_terminal(),
            "a terminal state accepted {:?}",
            step.command
        );
        for event in &events {
            prop_assert_eq!(event.at(), now);
            prop_assert_eq!(event.by(), actor.user);
        }
        state.apply(&events);
        log.extend(events.iter().cloned());
        let transition = (before.kind(), step.command.kind(), state.kind());
        prop_assert!(
            invariants::in_table(transition.0, transition.1, transition.2),
            "{:?} is not in TRANSITIONS",
            transition
        );
        seen.transitions.insert(transition);
        // Replaying the log reproduces the state.
        let replayed = log.iter().fold(State::new(), evolve);
        prop_assert_eq!(&replayed, &state);
        // Decided stages never change.
        if let (Some(a), Some(b)) = (before.approval(), state.approval()) {
            let n = a.decisions().len();
            prop_assert_eq!(&b.decisions()[..n], a.decisions());
            prop_assert_eq!(&b.stages()[..n], &a.stages()[..n]);
        }
        if let Err(why) = invariants::check(&state) {
            return Err(TestCaseError::fail(format!(
                "{why}\nafter {:?}",
                step.command
            )));
        }
        for event in &events {
            if let Event::StageDecided { explanation, .. } = event {
                let label = match explanation.decided_by {
                    DecidedBy::QuorumMet => "quorum_met",
                    DecidedBy::QuorumImpossible => "quorum_impossible",
                    DecidedBy::FirstRejection => "first_rejection",
                };
                seen.decided_by
                    .insert((explanation.early(), label.to_owned()));
                if explanation.early() {
                    seen.early += 1;
                }
            }
        }
        round_trips(&state, &events, &step.command)?;
    }
    Ok(())
}

#[test]
fn random_sequences_keep_every_invariant() {
    let config = Config {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        source_file: Some(file!()),
        test_name: Some("random_sequences_keep_every_invariant"),
        rng_seed: RngSeed::Fixed(0xA99_0DA1),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let seen = RefCell::new(Seen::default());
    let result = runner.run(&case(), |(policy, request, steps)| {
        run_case(&policy, &request, &steps, &mut seen.borrow_mut())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    // The cases reach every entry of the table and every way a stage is decided.
    for entry in itsm_approval::TRANSITIONS {
        assert!(seen.transitions.contains(entry), "never reached {entry:?}");
    }
    for label in ["quorum_met", "quorum_impossible", "first_rejection"] {
        assert!(
            seen.decided_by.iter().any(|(_, l)| l == label),
            "no stage decided by {label}"
        );
    }
    assert!(seen.early > 0, "no stage decided early");
}
