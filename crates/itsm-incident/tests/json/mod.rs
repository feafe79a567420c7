//! Helpers of the JSON tests of events and commands (`event_json.rs`, `command_json.rs`):
//! decoding with the error's position dropped, objects written with their keys in a chosen
//! order, and strategies for any value of the types that events and commands carry.
// Each test file uses a part of these.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Level, RuleUsed};
use itsm_incident::{
    ChangeId, Channel, ConfigItemId, EscalationKind, Event, GroupId, HoldReason, Impact,
    IncidentId, Link, Priority, PriorityExplanation, ProblemId, Report, Resolution, ServiceId,
    Snapshot, State, Urgency, UserId, evolve,
};
use proptest::prelude::*;
use serde_json::Value;

/// Every saved input of the `incident_command_json` fuzz corpus that parses as JSON, in
/// name order (the inputs that do not parse are the fuzzer's, and are left out).
pub fn corpus_values() -> Vec<Value> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/corpus/incident_command_json"
    );
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| serde_json::from_slice(&std::fs::read(path).unwrap()).ok())
        .collect()
}

/// The result of decoding, with the error's position dropped (the buffered path reports
/// errors at the end of the object, the direct one where they occur).
pub fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str::<T>(json).map_err(|e| {
        let text = e.to_string();
        match text.find(" at line ") {
            Some(at) => text[..at].to_owned(),
            None => text,
        }
    })
}

/// The object written out with its entries in the given order (keys may repeat).
pub fn object(entries: &[(&str, &Value)]) -> String {
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), v))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// The object's entries other than the tag, in the order `seed` shuffles them to, and the
/// tag's value.
pub fn shuffled<'v>(
    value: &'v Value,
    tag: &str,
    seed: u64,
) -> Option<(&'v Value, Vec<(&'v str, &'v Value)>)> {
    let map = value.as_object()?;
    let tag_value = map.get(tag)?;
    let mut rest: Vec<(&str, &Value)> = map
        .iter()
        .filter(|(k, _)| *k != tag)
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    // Fisher-Yates with a xorshift generator: any order, reproducible from the seed.
    let mut state = seed | 1;
    for i in (1..rest.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap();
        rest.swap(i, j);
    }
    Some((tag_value, rest))
}

/// The object with the tag at each of: first (the direct path), last and in the middle (the
/// buffered path), and at a position chosen by `seed`; the other keys in an order chosen by
/// `seed`.
pub fn orders(value: &Value, tag: &str, seed: u64) -> Vec<String> {
    let Some((tag_value, rest)) = shuffled(value, tag, seed) else {
        return Vec::new();
    };
    let n = rest.len();
    let chosen = usize::try_from(seed >> 32).unwrap() % (n + 1);
    [0, n, n / 2, chosen]
        .into_iter()
        .map(|at| {
            let mut entries = rest.clone();
            entries.insert(at, (tag, tag_value));
            object(&entries)
        })
        .collect()
}

// Strategies for any value of the types in events and commands.

pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z ]{1,12}",
        // Escapes, quotes, control characters and characters outside the BMP: the decoder
        // gets owned strings for these, borrowed ones otherwise.
        "\\PC{0,8}",
        Just("tab\t\"quoted\"\\ \u{1F600} \u{7}".to_owned()),
    ]
}

pub fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        // Whole seconds, milli-, micro- and nanoseconds, across chrono's whole range.
        (
            -8_334_601_228_800i64..8_210_266_876_800,
            0..4u8,
            any::<u32>()
        )
            .prop_map(|(seconds, digits, nanos)| {
                let nanos = match digits {
                    0 => 0,
                    1 => nanos % 1_000 * 1_000_000,
                    2 => nanos % 1_000_000 * 1_000,
                    _ => nanos % 1_000_000_000,
                };
                DateTime::from_timestamp(seconds, nanos).unwrap()
            }),
        // Leap seconds (chrono writes second 60).
        (0..1_000_000i64, 1_000_000_000..2_000_000_000u32).prop_map(|(minutes, nanos)| {
            DateTime::from_timestamp(minutes * 60 + 59, nanos).unwrap()
        }),
    ]
}

pub fn id() -> impl Strategy<Value = u128> {
    prop_oneof![Just(0u128), Just(u128::MAX), any::<u128>()]
}

pub fn user() -> impl Strategy<Value = UserId> {
    id().prop_map(UserId::from_u128)
}

pub fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![
        Just(Channel::Phone),
        Just(Channel::Email),
        Just(Channel::SelfService),
        Just(Channel::Chat),
        Just(Channel::WalkIn),
        Just(Channel::Monitoring),
        Just(Channel::Unspecified),
        text().prop_map(Channel::Other),
    ]
}

pub fn report() -> BoxedStrategy<Report> {
    (
        (id(), user(), channel(), proptest::option::of(text())),
        (proptest::option::of(id()), proptest::option::of(id())),
        (any::<u8>(), any::<u8>(), text()),
    )
        .prop_map(
            |((id, caller, channel, category), (item, service), (impact, urgency, description))| {
                let mut report = Report::new(
                    IncidentId::from_u128(id),
                    caller,
                    Impact(impact),
                    Urgency(urgency),
                    description,
                );
                report.channel = channel;
                report.category = category;
                report.configuration_item = item.map(ConfigItemId::from_u128);
                report.service = service.map(ServiceId::from_u128);
                report
            },
        )
        .boxed()
}

pub fn level() -> impl Strategy<Value = Level> {
    (any::<u8>(), text()).prop_map(|(value, label)| Level::new(value, label))
}

pub fn explanation() -> BoxedStrategy<PriorityExplanation> {
    let rule = prop_oneof![
        Just(RuleUsed::Cell),
        (any::<i16>(), any::<u8>(), 0..3u8).prop_map(|(offset, divisor, rounding)| {
            RuleUsed::Formula {
                offset,
                divisor,
                rounding: [
                    itsm_core::Rounding::Floor,
                    itsm_core::Rounding::Ceil,
                    itsm_core::Rounding::HalfAwayFromZero,
                ][usize::from(rounding)],
            }
        }),
    ];
    (text(), level(), level(), level(), rule)
        .prop_map(
            |(matrix, impact, urgency, priority, rule)| PriorityExplanation {
                matrix,
                impact,
                urgency,
                priority,
                rule,
            },
        )
        .boxed()
}

pub fn hold_reason() -> impl Strategy<Value = HoldReason> {
    text().prop_map(|code| HoldReason::from_code(&code))
}

pub fn escalation_kind() -> impl Strategy<Value = EscalationKind> {
    prop_oneof![
        Just(EscalationKind::Functional),
        Just(EscalationKind::Hierarchical)
    ]
}

pub fn link() -> impl Strategy<Value = Link> {
    prop_oneof![
        id().prop_map(|n| Link::Problem(ProblemId::from_u128(n))),
        id().prop_map(|n| Link::Change(ChangeId::from_u128(n))),
        id().prop_map(|n| Link::Parent(IncidentId::from_u128(n))),
        id().prop_map(|n| Link::Child(IncidentId::from_u128(n))),
        id().prop_map(|n| Link::FollowUpOf(IncidentId::from_u128(n))),
    ]
}

/// Every event but `imported`.
pub fn plain_event() -> BoxedStrategy<Event> {
    let head = || (instant(), user());
    prop_oneof![
        (head(), report(), any::<u8>(), explanation()).prop_map(
            |((at, by), report, priority, explanation)| Event::Reported {
                at,
                by,
                report: Arc::new(report),
                priority: Priority(priority),
                explanation: Box::new(explanation),
            }
        ),
        (head(), id(), proptest::option::of(user()), any::<bool>()).prop_map(
            |((at, by), group, person, reassignment)| Event::Assigned {
                at,
                by,
                group: GroupId::from_u128(group),
                person,
                reassignment,
            }
        ),
        head().prop_map(|(at, by)| Event::WorkStarted { at, by }),
        (head(), hold_reason(), proptest::option::of(text())).prop_map(
            |((at, by), reason, comment)| Event::PutOnHold {
                at,
                by,
                reason,
                comment
            }
        ),
        (head(), proptest::option::of(text()))
            .prop_map(|((at, by), comment)| Event::CallerResponded { at, by, comment }),
        head().prop_map(|(at, by)| Event::Resumed { at, by }),
        (head(), any::<u8>(), any::<u8>(), any::<u8>(), explanation()).prop_map(
            |((at, by), impact, urgency, priority, explanation)| Event::Reprioritized {
                at,
                by,
                impact: Impact(impact),
                urgency: Urgency(urgency),
                priority: Priority(priority),
                explanation: Box::new(explanation),
            }
        ),
        (head(), escalation_kind(), any::<u8>()).prop_map(|((at, by), kind, level)| {
            Event::Escalated {
                at,
                by,
                kind,
                level,
            }
        }),
        (head(), text()).prop_map(|((at, by), reason)| Event::MajorDeclared { at, by, reason }),
        (head(), text()).prop_map(|((at, by), reason)| Event::MajorStoodDown { at, by, reason }),
        (head(), text(), text(), proptest::option::of(text())).prop_map(
            |((at, by), reason, business_impact, trigger)| Event::MajorProposed {
                at,
                by,
                reason,
                business_impact,
                trigger,
            }
        ),
        (head(), text()).prop_map(|((at, by), reason)| Event::MajorRejected { at, by, reason }),
        (head(), link()).prop_map(|((at, by), link)| Event::Linked { at, by, link }),
        (head(), text(), text()).prop_map(|((at, by), code, notes)| Event::Resolved {
            at,
            by,
            resolution: Arc::new(Resolution { code, notes }),
        }),
        (head(), text(), any::<bool>()).prop_map(|((at, by), reason, by_support)| {
            Event::Reopened {
                at,
                by,
                reason,
                by_support,
            }
        }),
        (head(), any::<bool>()).prop_map(|((at, by), auto)| Event::Closed { at, by, auto }),
        (head(), text()).prop_map(|((at, by), reason)| Event::Canceled { at, by, reason }),
    ]
    .boxed()
}

/// The snapshot of an incident folded from a report and a few other events (`evolve` is
/// total, so any sequence folds).
pub fn snapshot() -> BoxedStrategy<Snapshot> {
    let reported =
        (instant(), user(), report(), explanation()).prop_map(|(at, by, report, explanation)| {
            Event::Reported {
                at,
                by,
                report: Arc::new(report),
                priority: Priority(1),
                explanation: Box::new(explanation),
            }
        });
    (reported, proptest::collection::vec(plain_event(), 0..6))
        .prop_filter_map("the events fold into an incident", |(reported, rest)| {
            let state = std::iter::once(&reported)
                .chain(&rest)
                .fold(State::new(), evolve);
            Some(state.incident()?.snapshot())
        })
        .boxed()
}
