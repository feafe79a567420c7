//! Random command sequences on the example catalogue, with the invariants of
//! `fuzz/harness/catalogue.rs` checked after every step: determinism, every request, item
//! and task move in its table, the request's state derived from its items, events' JSON
//! round trips, and replaying the log equal to the state.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[allow(dead_code)]
#[path = "../../../fuzz/harness/catalogue.rs"]
mod harness;

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_sequences_keep_the_invariants(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        harness::commands(&data);
    }

    #[test]
    fn random_json_is_refused_or_read_back(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        harness::json(&data);
    }
}

use itsm_catalogue::chrono::{Duration, TimeZone, Utc};
use itsm_catalogue::{
    Actor, Command, Context, Event, Order, OrderLine, RequestId, Requester, Stage, State,
    TaskStage, UserId, Value, decide, evolve, itsm_approval,
};

const ADA: UserId = UserId::from_u128(0xADA);
const GRACE: UserId = UserId::from_u128(0x6ACE);
const OWNER: UserId = UserId::from_u128(0xA1);
const TECH: UserId = UserId::from_u128(0x7EC);

/// The commands worth sending now: answers from the manager and the owner, every task
/// command on every task, a cancel now and then, and a tick.
fn candidates(state: &State) -> Vec<(UserId, Command)> {
    let mut out = vec![(TECH, Command::Tick)];
    let Some(request) = state.request() else {
        return out;
    };
    for (line, item) in request.items().iter().enumerate() {
        for who in [GRACE, OWNER] {
            out.push((
                who,
                Command::Approval {
                    line,
                    answer: itsm_approval::Command::Approve { comment: None },
                },
            ));
        }
        out.push((
            GRACE,
            Command::Approval {
                line,
                answer: itsm_approval::Command::Reject {
                    reason: "no".into(),
                },
            },
        ));
        for task in item.tasks() {
            let task = task.spec.name.clone();
            out.push((
                TECH,
                Command::StartTask {
                    line,
                    task: task.clone(),
                },
            ));
            out.push((
                TECH,
                Command::CompleteTask {
                    line,
                    task: task.clone(),
                    notes: String::new(),
                },
            ));
            out.push((
                TECH,
                Command::SkipTask {
                    line,
                    task,
                    reason: "not needed".into(),
                },
            ));
        }
        out.push((
            ADA,
            Command::CancelItem {
                line,
                reason: "changed my mind".into(),
            },
        ));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A guided walk over the example catalogue: a valid order of random lines, then random
    /// accepted commands; the invariants hold after every step, and a walk that runs long
    /// enough ends with every item closed.
    #[test]
    fn guided_walks_keep_the_invariants_and_end_closed(
        lines in proptest::collection::vec(0..3usize, 1..4),
        picks in proptest::collection::vec(any::<u16>(), 0..80),
        expiry in proptest::option::of(1..60i64),
    ) {
        let catalogue = harness::example();
        let mut now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let mut who = Requester::new(ADA);
        who.manager = Some(GRACE);
        who.organisation = Some("finance".into());
        let order_lines: Vec<OrderLine> = lines
            .iter()
            .map(|i| match i {
                0 => OrderLine::new("laptop").answer("needed_by", Value::Text("2026-03-09".into())),
                1 => OrderLine::new("software_install").answer("software", Value::Text("ide".into())),
                _ => OrderLine::new("payroll_access")
                    .answer("business_reason", Value::Text("month-end".into()))
                    .access("viewer", expiry.map(|d| now + Duration::days(d))),
            })
            .collect();
        let actor = Actor::new(ADA, []);
        let order = Order::new(RequestId::from_u128(5), who, order_lines);
        let events = decide(&State::new(), &order.into(), &Context::new(now, &actor, catalogue)).unwrap();
        let mut state = events.iter().fold(State::new(), evolve);
        harness::check_moves(&State::new(), &state);
        let mut log: Vec<Event> = events;
        let step = |state: &mut State, log: &mut Vec<Event>, now, pick: usize| {
            let options = candidates(state);
            let (user, command) = &options[pick % options.len()];
            let actor = Actor::new(*user, []);
            if let Ok(events) = decide(state, command, &Context::new(now, &actor, catalogue)) {
                let after = events.iter().fold(state.clone(), evolve);
                harness::check_moves(state, &after);
                log.extend(events);
                *state = after;
            }
        };
        for pick in &picks {
            now += Duration::hours(7);
            step(&mut state, &mut log, now, usize::from(*pick));
        }
        prop_assert_eq!(log.iter().fold(State::new(), evolve), state.clone());
        // Finish: approve, complete every task, tick past every expiry, revoke.
        for _ in 0..200 {
            now += Duration::days(3);
            let options = candidates(&state);
            let preferred = options.iter().position(|(_, c)| match c {
                Command::Approval { answer: itsm_approval::Command::Approve { .. }, .. } => true,
                Command::CompleteTask { line, task, .. } => state
                    .request()
                    .and_then(|r| r.items().get(*line))
                    .and_then(|i| i.task(task))
                    .is_some_and(|t| matches!(t.stage, TaskStage::Open | TaskStage::InProgress)),
                Command::Tick => true,
                _ => false,
            });
            // Try every preferred command in turn until one is accepted.
            let before = state.clone();
            for (i, _) in options.iter().enumerate().skip(preferred.unwrap_or(0)) {
                step(&mut state, &mut log, now, i);
                if state != before {
                    break;
                }
            }
        }
        let request = state.request().unwrap();
        for item in request.items() {
            prop_assert!(item.stage().is_terminal(), "item left {}", item.stage());
            if let Some(access) = item.access() {
                if item.stage() == Stage::Fulfilled && access.until.is_some() {
                    prop_assert_eq!(access.status, itsm_catalogue::AccessStatus::Revoked);
                }
            }
        }
        prop_assert_eq!(log.iter().fold(State::new(), evolve), state);
    }
}
