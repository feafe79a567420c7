//! Invariants over random command sequences, and a bounded exploration of every preset model:
//! each accepted change of phase is a transition of the change's model; a terminal phase
//! accepts nothing; rejections never go down; replaying the events rebuilds the state.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_change::{
    Actor, ChangeId, Command, Context, Event, Impact, Phase, Policy, Request, ReviewOutcome,
    RiskFacts, Role, State, UserId, Window, decide, evolve, target,
};
use itsm_core::{Category, explore};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn everyone() -> Actor {
    Actor::new(
        UserId::from_u128(1),
        ["requester", "change_manager", "implementer", "cab", "ecab"]
            .map(|r| Role::new(r).unwrap()),
    )
}

fn alphabet() -> Vec<Command> {
    let mut standard = Request::new(
        ChangeId::from_u128(1),
        "standard",
        UserId::from_u128(1),
        "x",
    );
    standard.template = Some("os_patch".into());
    vec![
        Request::new(ChangeId::from_u128(1), "normal", UserId::from_u128(1), "x").into(),
        Request::new(
            ChangeId::from_u128(1),
            "emergency",
            UserId::from_u128(1),
            "x",
        )
        .into(),
        standard.into(),
        Command::Submit,
        Command::Assess(Box::new(RiskFacts {
            model: String::new(),
            items: vec![],
            services: vec![],
            impact: Impact(1),
            likelihood: 1,
            outside_maintenance: false,
            answers: vec![],
        })),
        Command::CompleteAssessment,
        Command::Authorize {
            explanation: "approved".into(),
        },
        Command::Reject {
            reason: "no".into(),
        },
        Command::Plan {
            // Long enough that random sequences (an hour a step) implement within it.
            window: Window::new(t0() + Duration::hours(2), t0() + Duration::hours(40)),
        },
        Command::Implement,
        Command::Complete,
        Command::Close {
            outcome: ReviewOutcome::Successful,
            close_code: "successful".into(),
            notes: String::new(),
        },
        Command::PutOnHold {
            reason: "wait".into(),
        },
        Command::Resume,
        Command::Cancel {
            reason: "dup".into(),
        },
        Command::Retype {
            model: "emergency".into(),
            template: None,
        },
    ]
}

/// One step's checks; returns the state after it (the clock moves an hour per step).
fn check(
    policy: &Policy,
    state: &State,
    command: &Command,
    now: DateTime<Utc>,
) -> Result<State, String> {
    let actor = everyone();
    let result = decide(state, command, &Context::new(now, &actor, policy));
    let Ok(events) = result else {
        return Ok(state.clone());
    };
    let after = events.iter().fold(state.clone(), evolve);
    if let (Some(before), Some(change)) = (state.change(), after.change()) {
        if before.stage().is_terminal() && !events.is_empty() {
            return Err(format!(
                "{} accepted in terminal {}",
                command.name(),
                before.stage()
            ));
        }
        if before.stage() != change.stage() {
            let model = policy.models.get(&change.request().model).unwrap();
            if target(model, before.stage(), command.name()) != Some(change.stage()) {
                return Err(format!(
                    "{} --{}--> {} is not in model {}",
                    before.stage(),
                    command.name(),
                    change.stage(),
                    model.name
                ));
            }
        }
        if change.rejections() < before.rejections() {
            return Err("rejections went down".into());
        }
        if change.stage() == Phase::Scheduled && change.window().is_none() {
            return Err("scheduled without a window".into());
        }
    }
    Ok(after)
}

/// The converter `itsm-metrics` measures (`timeline`) agrees with the state: a change under
/// review is resolved, a closed or canceled one is so, one on hold is paused, any other is
/// none of the first three.
fn timeline_agrees(state: &State, log: &[Event]) -> Result<(), TestCaseError> {
    let (Some(change), Some(phase), Some(last)) = (state.change(), state.stage(), log.last())
    else {
        return Ok(());
    };
    let t = itsm_change::timeline(log).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let category = t.category_at(last.at());
    let expected = match phase {
        Phase::Review => Some(Category::Resolved),
        Phase::Closed => Some(Category::Closed),
        Phase::Canceled => Some(Category::Canceled),
        _ if change.on_hold().is_some() => Some(Category::Pending),
        _ => None,
    };
    match expected {
        Some(c) => prop_assert_eq!(category, Some(c), "{:?}: {:?}", phase, t.marks()),
        None => prop_assert!(
            !matches!(
                category,
                Some(Category::Resolved | Category::Closed | Category::Canceled)
            ),
            "{:?}: {:?}",
            phase,
            t.marks()
        ),
    }
    prop_assert_eq!(t.id(), change.id().to_string());
    Ok(())
}

proptest! {
    #[test]
    fn random_sequences_keep_the_invariants(picks in proptest::collection::vec(0usize..16, 0..40)) {
        let policy = Policy::servicenow();
        let letters = alphabet();
        let mut state = State::new();
        let mut log: Vec<Event> = Vec::new();
        for (i, pick) in picks.iter().enumerate() {
            let now = t0() + Duration::hours(i64::try_from(i).unwrap());
            let command = &letters[*pick];
            let actor = everyone();
            if let Ok(events) = decide(&state, command, &Context::new(now, &actor, &policy)) {
                log.extend(events);
            }
            state = check(&policy, &state, command, now).map_err(TestCaseError::fail)?;
            timeline_agrees(&state, &log)?;
        }
        prop_assert_eq!(&log.iter().fold(State::new(), evolve), &state);
    }
}

#[test]
fn exploring_every_model_reaches_every_transition_and_breaks_no_invariant() {
    let policy = Policy::servicenow();
    let letters = alphabet();
    let mut edges = BTreeSet::new();
    let report = explore(
        (State::new(), 0i64),
        &letters,
        9,
        |(s, _)| format!("{s:?}"),
        |(s, n), c| {
            let now = t0() + Duration::hours(*n);
            let actor = everyone();
            let events = decide(s, c, &Context::new(now, &actor, &policy))?;
            Ok::<_, itsm_change::Error>((events.iter().fold(s.clone(), evolve), n + 1))
        },
        |(before, n), command, (after, _)| {
            let now = t0() + Duration::hours(*n);
            check(&policy, before, command, now)?;
            if let (Some(b), Some(a)) = (before.change(), after.change()) {
                if b.stage() != a.stage() {
                    edges.insert((a.request().model.clone(), b.stage(), a.stage()));
                }
            }
            Ok(())
        },
    );
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    for model in policy.models.all() {
        let lifecycle = model.lifecycle().unwrap();
        for t in lifecycle.transitions().iter().filter(|t| t.from != t.to) {
            let from = Phase::ALL.into_iter().find(|p| p.name() == t.from).unwrap();
            let to = Phase::ALL.into_iter().find(|p| p.name() == t.to).unwrap();
            assert!(
                edges.contains(&(model.name.clone(), from, to)),
                "{}: {} --{}--> {} never taken",
                model.name,
                t.from,
                t.command,
                t.to
            );
        }
    }
}
