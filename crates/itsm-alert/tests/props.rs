//! Properties over random streams of signals, operator commands and ticks under random
//! policies: nothing panics; a refused command changes nothing; each key has at most one
//! active alert and it is the key's latest; every status change is in `TRANSITIONS`; each
//! accepted signal that is not ignored adds exactly one to the alerts' signal counts; folding
//! the events from scratch gives the same board; a tick before `next_deadline` does
//! nothing and one at it does something; events and boards round-trip through JSON.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::{Board, t};
use itsm_alert::{
    Acknowledgement, AlertId, AlertStatus, Command, Event, Flapping, IncidentRule, Policy,
    Severity, Signal, State, TRANSITIONS, evolve, next_deadline,
};
use proptest::prelude::*;

fn severity() -> impl Strategy<Value = Severity> {
    prop_oneof![
        3 => Just(Severity::Clear),
        1 => Just(Severity::Info),
        1 => Just(Severity::Warning),
        1 => Just(Severity::Minor),
        2 => Just(Severity::Major),
        2 => Just(Severity::Critical),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::bool::ANY,
        prop::option::of(0..120i64),
        0..30i64,
        prop::option::of((0..60i64, 1..4u32, 0..60i64)),
        prop::option::of(1..200i64),
        prop::bool::ANY,
        prop::option::of((severity(), 0..30i64)),
    )
        .prop_map(|(alerta, active, repeat, flap, stale, undo, incident)| {
            let mut p = if alerta {
                Policy::alerta()
            } else {
                Policy::servicenow()
            };
            p.active_interval = active.map(Duration::minutes);
            p.repeat_window = Duration::minutes(repeat);
            p.flapping = flap.map(|(interval, frequency, quiet)| Flapping {
                interval: Duration::minutes(interval),
                frequency,
                quiet: Duration::minutes(quiet),
            });
            p.close_stale_after = stale.map(Duration::minutes);
            p.acknowledgement = if undo {
                Acknowledgement::UndoneByEscalation
            } else {
                Acknowledgement::Kept
            };
            p.incident =
                incident
                    .filter(|(s, _)| *s != Severity::Clear)
                    .map(|(min_severity, after)| IncidentRule {
                        min_severity,
                        after: Duration::minutes(after),
                    });
            p
        })
}

#[derive(Debug, Clone)]
enum Step {
    Signal {
        node: u8,
        severity: Severity,
        text: u8,
    },
    Acknowledge(u8),
    Close(u8),
    Reopen(u8),
    Tick,
}

fn steps() -> impl Strategy<Value = Vec<(i64, Step)>> {
    let step = prop_oneof![
        8 => (0..3u8, severity(), 0..2u8).prop_map(|(node, severity, text)| Step::Signal { node, severity, text }),
        1 => (0..6u8).prop_map(Step::Acknowledge),
        1 => (0..6u8).prop_map(Step::Close),
        1 => (0..6u8).prop_map(Step::Reopen),
        2 => Just(Step::Tick),
    ];
    prop::collection::vec((0..40i64, step), 0..60)
}

fn status_changes(before: &State, after: &State) -> Vec<(Option<AlertStatus>, AlertStatus)> {
    after
        .alerts()
        .filter_map(|a| {
            let was = before.alert(a.id()).map(|b| b.status());
            (was != Some(a.status())).then_some((was, a.status()))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_board_keeps_its_invariants(policy in policy(), steps in steps()) {
        let mut b = Board::new(policy);
        let mut minute = 0i64;
        let mut all_events: Vec<Event> = Vec::new();
        let mut counted = 0u64;
        let mut next_id = 1u128;
        for (gap, step) in steps {
            // Mostly forward in time; a tick may come late.
            minute += gap;
            let ids: Vec<AlertId> = b.state.alerts().map(|a| a.id()).collect();
            let pick = |i: u8| ids.get(usize::from(i) % ids.len().max(1)).copied().unwrap_or(AlertId::from_u128(999));
            let (command, operator) = match step {
                Step::Signal { node, severity, text } => {
                    let signal = Signal::new("mon", format!("n{node}"), severity)
                        .with_description(if text == 0 { "a" } else { "b" });
                    next_id += 1;
                    (Command::ingest(signal, AlertId::from_u128(next_id)), false)
                }
                Step::Acknowledge(i) => (Command::Acknowledge { alert: pick(i) }, true),
                Step::Close(i) => (Command::Close { alert: pick(i) }, true),
                Step::Reopen(i) => (Command::Reopen { alert: pick(i) }, true),
                Step::Tick => (Command::Tick, false),
            };
            let before = b.state.clone();
            let signal = matches!(command, Command::Ingest { .. });
            match b.run_as(minute, command, operator) {
                Err(_) => prop_assert_eq!(&b.state, &before),
                Ok(events) => {
                    if signal && !matches!(events.last(), Some(Event::Ignored { .. })) {
                        counted += 1;
                    }
                    // Event by event, every status change is in the table.
                    let mut step = before.clone();
                    for event in &events {
                        let next = evolve(step.clone(), event);
                        for (from, to) in status_changes(&step, &next) {
                            prop_assert!(
                                TRANSITIONS.iter().any(|t| t.from == from && t.to == to),
                                "{from:?} -> {to:?} is not in TRANSITIONS: {events:?}"
                            );
                        }
                        step = next;
                    }
                    all_events.extend(events);
                }
            }
            // One active alert per key at most, and it is the key's latest.
            let mut active: BTreeMap<String, Vec<AlertId>> = BTreeMap::new();
            for a in b.state.active() {
                active.entry(a.key().to_string()).or_default().push(a.id());
            }
            for ids in active.values() {
                prop_assert_eq!(ids.len(), 1);
            }
            for a in b.state.active() {
                prop_assert_eq!(b.state.latest(a.key()).map(|l| l.id()), Some(a.id()));
            }
            let total: u64 = b.state.alerts().map(|a| a.signals()).sum();
            prop_assert_eq!(total, counted);
            // A tick before the deadline does nothing; one at it does something.
            if let Some(due) = next_deadline(&b.state, &b.policy) {
                let last = b.state.last_at().unwrap_or(due);
                let ctx_actor = b.system.clone();
                if due > last {
                    let early = itsm_alert::Context::new(due - Duration::nanoseconds(1), &ctx_actor, &b.policy);
                    prop_assert!(itsm_alert::decide(&b.state, &Command::Tick, &early).unwrap().is_empty());
                }
                // The deadline is never before the last event: a tick there always acts.
                prop_assert!(due >= last);
                let at = itsm_alert::Context::new(due, &ctx_actor, &b.policy);
                prop_assert!(!itsm_alert::decide(&b.state, &Command::Tick, &at).unwrap().is_empty());
            }
        }
        // Folding the events from scratch gives the same board.
        let replayed = all_events.iter().fold(State::new(), evolve);
        prop_assert_eq!(&replayed, &b.state);
        #[cfg(feature = "serde")]
        {
            let text = serde_json::to_string(&all_events).unwrap();
            prop_assert_eq!(serde_json::from_str::<Vec<Event>>(&text).unwrap(), all_events);
            let text = serde_json::to_string(&b.state).unwrap();
            prop_assert_eq!(serde_json::from_str::<State>(&text).unwrap(), b.state.clone());
        }
        let _ = t(0);
    }
}
