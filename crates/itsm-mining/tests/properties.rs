//! Properties over arbitrary logs: construction never panics and either succeeds or lists
//! problems; a valid log always writes OCEL 2.0 JSON that parses back with every id,
//! activity and relation intact, and XES with one event per (case, event) pair.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{HOSTILE, assert_well_formed, t, xml_kept};
use itsm_mining::{Error, Event, EventLog, Object, ObjectType, Value, ocel, xes};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(HOSTILE.to_vec()).prop_map(str::to_owned),
        "[a-c]{0,2}",
        any::<String>(),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::String),
        any::<i64>().prop_map(Value::Integer),
        any::<f64>().prop_map(Value::Float),
        any::<bool>().prop_map(Value::Boolean),
        (0u32..48).prop_map(|h| Value::Time(t(h))),
    ]
}

fn object_type() -> impl Strategy<Value = ObjectType> {
    prop_oneof![
        prop::sample::select(ObjectType::BUILT_IN.to_vec()),
        text().prop_map(ObjectType::Other),
    ]
}

fn objects() -> impl Strategy<Value = Vec<Object>> {
    prop::collection::vec(
        (
            text(),
            object_type(),
            prop::collection::vec((text(), value()), 0..3),
            prop::collection::vec((text(), text()), 0..3),
        ),
        0..6,
    )
    .prop_map(|list| {
        list.into_iter()
            .map(|(id, ty, attributes, relations)| {
                let mut o = Object::new(&id, ty);
                for (name, v) in attributes {
                    o = o.with(&name, v);
                }
                for (to, q) in relations {
                    o = o.related(&to, &q);
                }
                o
            })
            .collect()
    })
}

fn events(ids: Vec<String>) -> impl Strategy<Value = Vec<Event>> {
    let target = if ids.is_empty() {
        text().boxed()
    } else {
        prop_oneof![3 => prop::sample::select(ids), 1 => text()].boxed()
    };
    prop::collection::vec(
        (
            text(),
            text(),
            0u32..48,
            prop::collection::vec((text(), value()), 0..3),
            prop::collection::vec((target, text()), 0..3),
        ),
        0..8,
    )
    .prop_map(|list| {
        list.into_iter()
            .map(|(id, activity, h, attributes, relations)| {
                let mut e = Event::new(&id, &activity, t(h));
                for (name, v) in attributes {
                    e = e.with(&name, v);
                }
                for (to, q) in relations {
                    e = e.related(&to, &q);
                }
                e
            })
            .collect()
    })
}

fn logs() -> impl Strategy<Value = (Vec<Object>, Vec<Event>)> {
    objects().prop_flat_map(|objects| {
        let ids = objects.iter().map(|o| o.id.clone()).collect();
        (Just(objects), events(ids))
    })
}

/// A valid log writes OCEL JSON that parses back with every id, activity and relation, and
/// XES with one trace per case and one event per (case, event).
fn check_writes(
    log: &EventLog,
    objects: &[Object],
    events: &[Event],
    case_pick: usize,
) -> Result<(), TestCaseError> {
    let json: serde_json::Value = serde_json::from_str(&ocel::to_json(log)).unwrap();
    let back_objects = json["objects"].as_array().unwrap();
    prop_assert_eq!(back_objects.len(), objects.len());
    for (o, b) in objects.iter().zip(back_objects) {
        prop_assert_eq!(b["id"].as_str(), Some(o.id.as_str()));
        prop_assert_eq!(b["type"].as_str(), Some(o.object_type.name()));
        prop_assert_eq!(
            b["relationships"].as_array().unwrap().len(),
            o.relations.len()
        );
    }
    let back_events = json["events"].as_array().unwrap();
    prop_assert_eq!(back_events.len(), events.len());
    for (e, b) in events.iter().zip(back_events) {
        prop_assert_eq!(b["id"].as_str(), Some(e.id.as_str()));
        prop_assert_eq!(b["type"].as_str(), Some(e.activity.as_str()));
        let targets: Vec<&str> = b["relationships"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["objectId"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = e.relations.iter().map(|r| r.object.as_str()).collect();
        prop_assert_eq!(targets, expected);
    }
    prop_assert_eq!(
        json["eventTypes"].as_array().unwrap().len(),
        log.activities().len()
    );
    prop_assert_eq!(
        json["objectTypes"].as_array().unwrap().len(),
        log.object_types().len()
    );

    // XES on some type: one trace per case, one event per (case, event).
    let case_type = ObjectType::BUILT_IN
        .get(case_pick)
        .cloned()
        .or_else(|| objects.first().map(|o| o.object_type.clone()))
        .unwrap_or(ObjectType::Incident);
    let cases = log.cases(&case_type);
    let xml = xes::to_xes(log, &case_type);
    assert_well_formed(&xml);
    prop_assert_eq!(xml.matches("<trace>").count(), cases.len());
    let n: usize = cases.iter().map(|(_, e)| e.len()).sum();
    prop_assert_eq!(xml.matches("<event>").count(), n);
    for (o, es) in &cases {
        prop_assert!(!es.is_empty());
        prop_assert!(es.windows(2).all(|w| w[0].time <= w[1].time));
        let name = format!(
            "<trace><string key=\"concept:name\" value=\"{}\"/>",
            itsm_mining::escape::xml_text(&o.id)
        );
        prop_assert!(xml.contains(&name));
    }
    Ok(())
}

/// Logs valid by construction: unique ids, relations to listed objects, non-empty
/// activities, attribute names that say their type, finite floats; the text is hostile.
fn valid_logs() -> impl Strategy<Value = (Vec<Object>, Vec<Event>)> {
    let typed = || {
        prop_oneof![
            text().prop_map(Value::String),
            any::<i64>().prop_map(Value::Integer),
            (-1e9f64..1e9).prop_map(Value::Float),
            any::<bool>().prop_map(Value::Boolean),
            (0u32..48).prop_map(|h| Value::Time(t(h))),
        ]
    };
    let named = move || {
        prop::collection::vec((text(), typed()), 0..3).prop_map(|list| {
            list.into_iter()
                .map(|(name, v)| (format!("{}:{name}", v.type_name()), v))
                .collect::<Vec<_>>()
        })
    };
    prop::collection::vec(
        (
            text(),
            prop::sample::select(ObjectType::BUILT_IN.to_vec()),
            named(),
        ),
        1..6,
    )
    .prop_flat_map(move |list| {
        let n = list.len();
        let objects: Vec<Object> = list
            .into_iter()
            .enumerate()
            .map(|(i, (id, ty, attributes))| {
                let mut o = Object::new(&format!("{i}{id}"), ty);
                for (name, v) in attributes {
                    o = o.with(&name, v);
                }
                o
            })
            .collect();
        let relations = prop::collection::vec(((0..n, 0..n), text()), 0..4);
        let events = prop::collection::vec(
            (
                text(),
                0u32..48,
                named(),
                prop::collection::vec((0..n, text()), 0..3),
            ),
            0..10,
        );
        (Just(objects), relations, events)
    })
    .prop_map(|(mut objects, relations, events)| {
        for ((a, b), q) in relations {
            let to = objects[b].id.clone();
            objects[a].relations.push(itsm_mining::Relation {
                object: to,
                qualifier: q,
            });
        }
        let events = events
            .into_iter()
            .enumerate()
            .map(|(i, (activity, h, attributes, related))| {
                let mut e = Event::new(&format!("e{i}"), &format!("a{activity}"), t(h));
                for (name, v) in attributes {
                    e = e.with(&name, v);
                }
                for (k, q) in related {
                    e = e.related(&objects[k].id, &q);
                }
                e
            })
            .collect();
        (objects, events)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_input_builds_or_lists_problems_and_a_valid_log_writes_faithfully(
        (objects, events) in logs(),
        case_pick in 0usize..10,
    ) {
        match EventLog::new(objects.clone(), events.clone()) {
            Err(Error::InvalidLog { problems }) => {
                prop_assert!(!problems.is_empty());
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
            Ok(log) => {
                check_writes(&log, &objects, &events, case_pick)?;
            }
        }
    }

    #[test]
    fn a_valid_log_builds_and_writes_faithfully((objects, events) in valid_logs(), case_pick in 0usize..10) {
        let log = EventLog::new(objects.clone(), events.clone());
        prop_assert!(log.is_ok(), "{:?}", log.err());
        check_writes(&log.unwrap(), &objects, &events, case_pick)?;
    }

    #[test]
    fn json_strings_parse_back_to_the_input(s in any::<String>()) {
        let back: String = serde_json::from_str(&itsm_mining::escape::json_string(&s)).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn xml_text_unescapes_to_what_xml_can_carry(s in any::<String>()) {
        let escaped = itsm_mining::escape::xml_text(&s);
        prop_assert!(!escaped.contains('<') && !escaped.contains('"') && !escaped.contains('\''));
        prop_assert_eq!(common::xml_unescape(&escaped), xml_kept(&s));
    }
}
