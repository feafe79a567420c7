//! Exhaustive bounded exploration with `itsm_core::explore`: from nothing, apply every
//! command of a fixed alphabet (a request, each person's approval and rejection, delegations,
//! a cancel) to every distinct state, up to ten commands deep, under each preset and two
//! policies of our own (roles, a required role, first rejection, redelegation). After every
//! accepted step the state invariants hold, the change of state is in `TRANSITIONS`, and
//! replaying the events reproduces the state; every entry of `TRANSITIONS` is reached.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;
mod invariants;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use common::{ANA, BEN, BUSINESS, CAB, CAT, DAN, EVE, IMPLEMENTER, REQUESTER, TECH, request, role};
use itsm_approval::{
    Actor, Approver, Command, CommandKind, Context, Delegation, Event, Holder, Policy, PolicySpec,
    Quorum, RefusalRule, StageSpec, State, StatusKind, TRANSITIONS, UserId, decide, evolve,
};
use itsm_core::{Exploration, explore};

const DEPTH: usize = 10;

#[derive(Debug, Clone)]
struct Sim {
    state: State,
    now: DateTime<Utc>,
    log: Vec<Event>,
}

/// Seat holders and answers per stage, and the state's kind: times are left out (the clock
/// only moves forward, so a state seen earlier behaves the same later).
type Key = (StatusKind, Vec<Vec<(Holder, Option<(UserId, bool)>)>>);

fn key(sim: &Sim) -> Key {
    let stages = sim
        .state
        .approval()
        .map(|a| {
            a.stages()
                .iter()
                .map(|s| {
                    s.seats()
                        .iter()
                        .map(|seat| {
                            (
                                seat.holder().clone(),
                                seat.answer().map(|a| {
                                    (a.by, matches!(a.vote, itsm_approval::Vote::Approve { .. }))
                                }),
                            )
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    (sim.state.kind(), stages)
}

fn alphabet() -> Vec<(Actor, Command)> {
    let cab = |user: UserId| Actor::new(user, [role("cab"), role("cab_member")]);
    let members: &[UserId] = &[ANA, BEN, CAT, IMPLEMENTER];
    let tech: &[UserId] = &[ANA, DAN];
    let mut letters = vec![(
        Actor::new(REQUESTER, []),
        request(&[(CAB, members), (TECH, tech), (BUSINESS, members)]).into(),
    )];
    for user in [ANA, BEN, CAT, DAN, EVE, IMPLEMENTER] {
        letters.push((cab(user), Command::Approve { comment: None }));
        letters.push((
            cab(user),
            Command::Reject {
                reason: "no".into(),
            },
        ));
    }
    letters.push((cab(ANA), Command::Delegate { to: EVE }));
    letters.push((cab(EVE), Command::Delegate { to: DAN }));
    letters.push((cab(DAN), Command::Delegate { to: ANA }));
    letters.push((
        Actor::new(REQUESTER, []),
        Command::Cancel {
            reason: "withdrawn".into(),
        },
    ));
    letters
}

fn policies() -> Vec<Policy> {
    let mut roles = StageSpec::new(
        "managers",
        [Approver::Role(role("cab")), Approver::Person(DAN)],
        Quorum::All,
    );
    roles.required_role = Some(role("cab_member"));
    let mut first = StageSpec::new("cab", [Approver::Group(CAB)], Quorum::Count(2));
    first.refusal = RefusalRule::FirstRejection;
    let mut chain = PolicySpec::new("own", [first, roles]);
    chain.delegation = Delegation::Redelegate;
    let percent = PolicySpec::new(
        "percent",
        [StageSpec::new(
            "cab",
            [Approver::Group(CAB), Approver::Person(EVE)],
            Quorum::Percent(60),
        )],
    );
    vec![
        Policy::cab(CAB),
        Policy::cab_any(CAB),
        Policy::ecab(CAB),
        Policy::technical_then_business(TECH, BUSINESS),
        Policy::new(chain).unwrap(),
        Policy::new(percent).unwrap(),
    ]
}

fn run(
    policy: &Policy,
    reached: &mut BTreeSet<(StatusKind, CommandKind, StatusKind)>,
) -> Exploration {
    let start = Sim {
        state: State::new(),
        now: common::t0(),
        log: Vec::new(),
    };
    let letters = alphabet();
    let step = |sim: &Sim, (actor, command): &(Actor, Command)| {
        let now = sim.now + Duration::minutes(1);
        let events = decide(&sim.state, command, &Context::new(now, actor, policy))?;
        let mut next = sim.clone();
        next.now = now;
        next.state.apply(&events);
        next.log.extend(events);
        Ok::<_, itsm_approval::Error>(next)
    };
    explore(
        start,
        &letters,
        DEPTH,
        key,
        step,
        |before, (_, command), after| {
            let transition = (before.state.kind(), command.kind(), after.state.kind());
            if !invariants::in_table(transition.0, transition.1, transition.2) {
                return Err(format!("{transition:?} is not in TRANSITIONS"));
            }
            reached.insert(transition);
            let replayed = after.log.iter().fold(State::new(), evolve);
            if replayed != after.state {
                return Err("replaying the log gives another state".into());
            }
            invariants::check(&after.state)
        },
    )
}

#[test]
fn every_policy_keeps_the_invariants_and_the_table_is_reached() {
    let mut reached = BTreeSet::new();
    for policy in policies() {
        let report = run(&policy, &mut reached);
        assert!(
            report.violations.is_empty(),
            "{}: {:?}",
            policy.name(),
            &report.violations[..report.violations.len().min(3)]
        );
        assert!(report.states > 10, "{}: {report:?}", policy.name());
    }
    for entry in TRANSITIONS {
        assert!(reached.contains(entry), "never reached {entry:?}");
    }
}

#[test]
fn lifecycle_is_sound_and_agrees_with_the_table() {
    let lifecycle = itsm_approval::lifecycle();
    for (from, command, to) in TRANSITIONS.iter().filter(|(f, _, t)| f != t) {
        assert_eq!(
            lifecycle.commands_between(from.name(), to.name()),
            [command.name()],
            "{from} --{command}--> {to}"
        );
    }
    for kind in StatusKind::ALL {
        let state = lifecycle.state(kind.name()).unwrap();
        assert_eq!(state.terminal, kind.is_terminal());
        assert_eq!(state.category, kind.category());
        // A terminal state accepts no command; the others accept what the table lists.
        assert_eq!(
            itsm_approval::allowed_commands(kind).is_empty(),
            kind.is_terminal()
        );
    }
}
