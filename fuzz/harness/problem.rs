//! The problem fuzz harness: command sequences through `decide` and `evolve` with the
//! invariants checked after every step, and policies from JSON. Shared by the fuzz targets
//! (`problem_commands`, `problem_policy_json`) and the stable corpus replay
//! `crates/itsm-problem/tests/fuzz_corpus.rs`.

use chrono::{Duration, TimeZone, Utc};
use itsm_problem::{
    Actor, CauseCategory, ChangeId, Command, ConfigItemId, Context, Event, IncidentId, Link,
    Method, Policy, ProblemId, Role, RootCause, State, Statement, UserId, decide, evolve,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

fn actor(b: &mut Bytes<'_>) -> Actor {
    let roles: Vec<Role> = ["problem_manager", "problem_coordinator", "agent", "guest"]
        .iter()
        .filter(|_| b.flag())
        .filter_map(|r| Role::new(*r).ok())
        .collect();
    Actor::new(UserId::from_u128(1 + b.pick(3) as u128), roles)
}

fn command(b: &mut Bytes<'_>) -> Command {
    match b.pick(14) {
        0 => {
            let mut s = Statement::new(ProblemId::from_u128(1), &b.text(&["VPN drops", ""]));
            s.incidents = (0..b.pick(3))
                .map(|i| IncidentId::from_u128(i as u128))
                .collect();
            s.into()
        }
        1 => Command::Assess,
        2 => Command::Confirm,
        3 => Command::MarkDuplicate {
            of: ProblemId::from_u128(b.pick(3) as u128),
        },
        4 => Command::Cancel {
            reason: b.text(&["not a problem", ""]),
        },
        5 => Command::RecordRootCause(Box::new(RootCause {
            description: b.text(&["MTU", ""]),
            category: CauseCategory::Configuration,
            method: Method::FiveWhys { whys: vec![] },
            confirmed: b.flag(),
        })),
        6 => Command::StartFix {
            change: b.flag().then(|| ChangeId::from_u128(5)),
        },
        7 => Command::AcceptRisk {
            reason: b.text(&["cost", ""]),
        },
        8 => Command::Resolve {
            notes: b.text(&["patched", ""]),
        },
        9 => Command::Close,
        10 => Command::Reanalyse {
            reason: b.text(&["came back", ""]),
        },
        11 => Command::Link {
            link: b.choose(
                &[
                    Link::Incident(IncidentId::from_u128(1)),
                    Link::Change(ChangeId::from_u128(2)),
                    Link::Item(ConfigItemId::from_u128(3)),
                ],
                Link::Incident(IncidentId::from_u128(1)),
            ),
        },
        _ => Command::Transition {
            name: b.text(&["observe", "", "close"]),
        },
    }
}

/// Bytes -> a policy variant, then (actor, time step, command) triples; after each step:
/// determinism, every change of state in the workflow, the state always a workflow state of
/// its own kind, JSON round trips, replay equal to the state.
pub fn commands(data: &[u8]) {
    let mut b = Bytes::new(data);
    let mut policy = Policy::servicenow();
    policy.confirmed_cause_before_fix = b.flag();
    let mut now = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut state = State::new();
    let mut log: Vec<Event> = Vec::new();
    while !b.is_empty() {
        let who = actor(&mut b);
        let step = i64::from(b.byte()) - 8;
        now = now.checked_add_signed(Duration::hours(step)).unwrap_or(now);
        let command = command(&mut b);
        let ctx = Context::new(now, &who, &policy);
        let result = decide(&state, &command, &ctx);
        assert_eq!(
            result,
            decide(&state, &command, &ctx),
            "decide is not deterministic"
        );
        let Ok(events) = result else { continue };
        let after = events.iter().fold(state.clone(), evolve);
        if let (Some(before), Some(problem)) = (state.problem(), after.problem()) {
            let (from, to) = (before.state_name(), problem.state_name());
            if from != to {
                assert_eq!(
                    policy.workflow.target(from, command.name()),
                    Some(to),
                    "{from} --{}--> {to} is not in the workflow",
                    command.name()
                );
            }
            assert!(problem.analyses() >= before.analyses());
        }
        for event in &events {
            let json = serde_json::to_string(event).ok();
            let back: Option<Event> = json.and_then(|j| serde_json::from_str(&j).ok());
            assert_eq!(back.as_ref(), Some(event), "event JSON round trip");
        }
        log.extend(events);
        state = after;
        assert_eq!(
            log.iter().fold(State::new(), evolve),
            state,
            "replay differs"
        );
    }
    // Any log `decide` wrote converts to a timeline (what itsm-metrics measures), ending in
    // the problem's category.
    if let (Some(problem), Some(last)) = (state.problem(), log.last()) {
        let timeline = itsm_problem::timeline(&log);
        assert!(
            timeline.is_ok(),
            "no timeline of a decided log: {timeline:?}"
        );
        let Ok(timeline) = timeline else {
            return;
        };
        assert_eq!(
            timeline.category_at(last.at()),
            Some(problem.status().category()),
            "the timeline ends elsewhere than the problem"
        );
    }
}

/// Bytes -> a policy from JSON; one that loads round trips and has a sound lifecycle.
pub fn policy_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = serde_json::from_str::<Policy>(text) else {
        return;
    };
    let _ = policy.workflow.lifecycle();
    let json = serde_json::to_string(&policy).ok();
    let back: Option<Policy> = json.and_then(|j| serde_json::from_str(&j).ok());
    assert_eq!(back.as_ref(), Some(&policy), "policy JSON round trip");
}
