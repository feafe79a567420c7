//! Construction of a log: every problem reported at once, in order.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use chrono::{TimeZone, Utc};
use common::t;
use itsm_mining::{Error, Event, EventLog, LogProblem, Object, ObjectType};

fn problems(objects: Vec<Object>, events: Vec<Event>) -> Vec<LogProblem> {
    match EventLog::new(objects, events) {
        Err(Error::InvalidLog { problems }) => problems,
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => Vec::new(),
    }
}

#[test]
fn every_problem_is_listed() {
    let far = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
    let found = problems(
        vec![
            Object::new("", ObjectType::Incident),
            Object::new("A", ObjectType::Incident)
                .with("p", 1)
                .related("Z", "x"),
            Object::new("A", ObjectType::Other("incident".into())).with("p", "high"),
            Object::new("B", ObjectType::Other(String::new()))
                .with("", 1.5)
                .with("w", f64::NAN),
        ],
        vec![
            Event::new("e", "", t(1))
                .related("A", "i")
                .related("Y", "x"),
            Event::new("e", "go", far)
                .with("concept:name", "x")
                .with("n", 1),
            Event::new("", "go", t(2)).with("n", true).with("at", far),
        ],
    );
    assert_eq!(
        found,
        [
            LogProblem::EmptyId {
                kind: "object",
                index: 0
            },
            LogProblem::DuplicateId {
                kind: "object",
                id: "A".into()
            },
            LogProblem::BadObjectType {
                name: "incident".into()
            },
            LogProblem::AttributeTypeConflict {
                of: "incident".into(),
                attribute: "p".into(),
                first: "integer",
                second: "string",
            },
            LogProblem::BadObjectType {
                name: String::new()
            },
            LogProblem::BadAttributeName {
                owner: "B".into(),
                name: String::new()
            },
            LogProblem::NonFiniteFloat {
                owner: "B".into(),
                attribute: "w".into()
            },
            LogProblem::DanglingRelation {
                kind: "object",
                from: "A".into(),
                to: "Z".into()
            },
            LogProblem::EmptyActivity { event: "e".into() },
            LogProblem::DanglingRelation {
                kind: "event",
                from: "e".into(),
                to: "Y".into()
            },
            LogProblem::DuplicateId {
                kind: "event",
                id: "e".into()
            },
            LogProblem::TimeOutOfRange { owner: "e".into() },
            LogProblem::BadAttributeName {
                owner: "e".into(),
                name: "concept:name".into()
            },
            LogProblem::EmptyId {
                kind: "event",
                index: 2
            },
            LogProblem::TimeOutOfRange {
                owner: String::new()
            },
            LogProblem::AttributeTypeConflict {
                of: "go".into(),
                attribute: "n".into(),
                first: "integer",
                second: "boolean",
            },
        ]
    );
}

#[test]
fn an_attribute_type_conflict_within_an_object_type_is_reported_once() {
    let found = problems(
        vec![
            Object::new("A", ObjectType::Incident).with("p", 1),
            Object::new("B", ObjectType::Incident).with("p", "x"),
            Object::new("C", ObjectType::Incident).with("p", "y"),
            // Another type may use another type for the same name.
            Object::new("D", ObjectType::Change).with("p", "z"),
        ],
        vec![],
    );
    assert_eq!(
        found,
        [LogProblem::AttributeTypeConflict {
            of: "incident".into(),
            attribute: "p".into(),
            first: "integer",
            second: "string",
        }]
    );
}

#[test]
fn messages_say_what_is_wrong_and_what_is_allowed() {
    let err = EventLog::new(
        vec![
            Object::new("A", ObjectType::Incident),
            Object::new("A", ObjectType::Incident),
        ],
        vec![Event::new("e", "go", t(1)).related("Q", "x")],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the event log is not valid: object id `A` is used twice; ids must be unique; event `e` is related to object `Q`, which is not in the log"
    );
}

#[test]
fn a_valid_log_keeps_its_order_and_lists_types_and_activities() {
    let log = EventLog::new(
        vec![
            Object::new("B", ObjectType::Change),
            Object::new("A", ObjectType::named("vendor")),
        ],
        vec![
            Event::new("2", "b", t(2)).related("A", ""),
            Event::new("1", "a", t(1)),
        ],
    )
    .unwrap();
    assert_eq!(log.objects()[0].id, "B");
    assert_eq!(log.events()[0].id, "2");
    assert_eq!(log.activities().into_iter().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(
        log.object_types()
            .into_iter()
            .map(|t| t.name())
            .collect::<Vec<_>>(),
        ["change", "vendor"]
    );
}

#[test]
fn built_in_names_round_trip() {
    for t in ObjectType::BUILT_IN {
        assert_eq!(ObjectType::named(t.name()), t);
    }
}
