//! The OCEL 2.0 JSON and XES writers: the structure the OCEL 2.0 specification
//! (ocel-standard.org, "OCEL 2.0 JSON format") and IEEE 1849-2016 (XES) define, hostile
//! strings escaped and read back intact, flattening rules.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{HOSTILE, assert_well_formed, attribute_values, t, xml_kept};
use itsm_mining::{Event, EventLog, Object, ObjectType, ocel, xes};
use serde_json::Value as Json;

fn sample() -> EventLog {
    EventLog::new(
        vec![
            Object::new("CI7", ObjectType::ConfigurationItem).with("name", "mail server"),
            Object::new("G1", ObjectType::Group),
            Object::new("INC1", ObjectType::Incident)
                .with("category", "network")
                .with_at("priority", 3, t(9))
                .with_at("priority", 1, t(10))
                .related("CI7", "affects")
                .related("G1", "assigned_to"),
            Object::new("PRB1", ObjectType::Problem).related("INC1", "caused"),
            Object::new("G2", ObjectType::Group),
        ],
        vec![
            Event::new("e2", "resolved", t(11))
                .related("INC1", "incident")
                .with("code", "fixed")
                .with("minutes", 120)
                .with("share", 0.5)
                .with("major", false)
                .with("due", t(12)),
            Event::new("e1", "new", t(9))
                .related("INC1", "incident")
                .related("CI7", "affects")
                .related("G1", "assigned_to"),
            Event::new("e3", "new", t(10)).related("PRB1", "problem"),
        ],
    )
    .unwrap()
}

#[test]
fn ocel_json_has_the_specified_shape() {
    let json: Json = serde_json::from_str(&ocel::to_json(&sample())).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // serde_json lists keys sorted: these four and no others.
    assert_eq!(keys, ["eventTypes", "events", "objectTypes", "objects"]);
    assert_eq!(
        json["objectTypes"],
        serde_json::json!([
            {"name": "configuration_item", "attributes": [{"name": "name", "type": "string"}]},
            {"name": "group", "attributes": []},
            {"name": "incident", "attributes": [
                {"name": "category", "type": "string"}, {"name": "priority", "type": "integer"}]},
            {"name": "problem", "attributes": []},
        ])
    );
    assert_eq!(
        json["eventTypes"],
        serde_json::json!([
            {"name": "new", "attributes": []},
            {"name": "resolved", "attributes": [
                {"name": "code", "type": "string"}, {"name": "minutes", "type": "integer"},
                {"name": "share", "type": "float"}, {"name": "major", "type": "boolean"},
                {"name": "due", "type": "time"}]},
        ])
    );
    let incident = &json["objects"][2];
    assert_eq!(incident["id"], "INC1");
    assert_eq!(incident["type"], "incident");
    assert_eq!(
        incident["attributes"],
        serde_json::json!([
            {"name": "category", "time": "1970-01-01T00:00:00.000Z", "value": "network"},
            {"name": "priority", "time": "2026-01-05T09:00:00.000Z", "value": 3},
            {"name": "priority", "time": "2026-01-05T10:00:00.000Z", "value": 1},
        ])
    );
    assert_eq!(
        incident["relationships"],
        serde_json::json!([
            {"objectId": "CI7", "qualifier": "affects"},
            {"objectId": "G1", "qualifier": "assigned_to"},
        ])
    );
    let e2 = &json["events"][0];
    assert_eq!(e2["id"], "e2");
    assert_eq!(e2["type"], "resolved");
    assert_eq!(e2["time"], "2026-01-05T11:00:00.000Z");
    assert_eq!(
        e2["attributes"],
        serde_json::json!([
            {"name": "code", "value": "fixed"}, {"name": "minutes", "value": 120},
            {"name": "share", "value": 0.5}, {"name": "major", "value": false},
            {"name": "due", "value": "2026-01-05T12:00:00.000Z"},
        ])
    );
    assert_eq!(json["events"].as_array().unwrap().len(), 3);
}

#[test]
fn a_whole_float_stays_a_float_in_json() {
    let log = EventLog::new(
        vec![Object::new("o", ObjectType::Incident).with("x", 2.0)],
        vec![],
    )
    .unwrap();
    let json: Json = serde_json::from_str(&ocel::to_json(&log)).unwrap();
    assert!(json["objects"][0]["attributes"][0]["value"].is_f64());
}

#[test]
fn hostile_strings_survive_ocel_json() {
    for (i, s) in HOSTILE.iter().enumerate() {
        let id = format!("{s}#{i}");
        let log = EventLog::new(
            vec![Object::new(&id, ObjectType::Other(format!("type {s}"))).with(s, *s)],
            vec![
                Event::new(&format!("e{s}"), s, t(1))
                    .related(&id, s)
                    .with(s, *s),
            ],
        )
        .unwrap();
        let json: Json = serde_json::from_str(&ocel::to_json(&log)).unwrap();
        assert_eq!(json["objects"][0]["id"], id.as_str());
        assert_eq!(json["objects"][0]["type"], format!("type {s}").as_str());
        assert_eq!(json["objects"][0]["attributes"][0]["name"], *s);
        assert_eq!(json["objects"][0]["attributes"][0]["value"], *s);
        assert_eq!(json["events"][0]["id"], format!("e{s}").as_str());
        assert_eq!(json["events"][0]["type"], *s);
        assert_eq!(json["events"][0]["relationships"][0]["qualifier"], *s);
        assert_eq!(json["eventTypes"][0]["name"], *s);
    }
}

#[test]
fn hostile_strings_survive_xes_as_xml_can_carry_them() {
    for (i, s) in HOSTILE.iter().enumerate() {
        let id = format!("{s}#{i}");
        let log = EventLog::new(
            vec![Object::new(&id, ObjectType::Incident).with(s, *s)],
            vec![
                Event::new("e1", s, t(1))
                    .related(&id, "incident")
                    .with(s, *s),
            ],
        )
        .unwrap();
        let xml = xes::to_xes(&log, &ObjectType::Incident);
        assert_well_formed(&xml);
        let keys = attribute_values(&xml, "key");
        let values = attribute_values(&xml, "value");
        // After the header's globals (4 values): trace name, its attribute, then the event's
        // name, time, lifecycle, id, attribute.
        let kept = xml_kept(s);
        assert_eq!(values[4], xml_kept(&id));
        assert_eq!(
            keys[4..],
            [
                "concept:name",
                &kept,
                "concept:name",
                "time:timestamp",
                "lifecycle:transition",
                "ocel:eid",
                &kept
            ]
        );
        assert_eq!(values[5], kept);
        assert_eq!(values[6], kept);
        assert_eq!(values[10], kept);
    }
}

#[test]
fn xes_has_the_standard_header_and_typed_attributes() {
    let xml = xes::to_xes(&sample(), &ObjectType::Incident);
    assert_well_formed(&xml);
    assert!(
        xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\""
        )
    );
    for ext in ["concept", "time", "lifecycle"] {
        assert!(xml.contains(&format!(
            "prefix=\"{ext}\" uri=\"http://www.xes-standard.org/{ext}.xesext\""
        )));
    }
    assert!(xml.contains("<classifier name=\"Activity\" keys=\"concept:name\"/>"));
    assert_eq!(xml.matches("<trace>").count(), 1);
    // Sorted by time: e1 (09:00) before e2 (11:00); e3 concerns the problem only.
    let ids: Vec<String> = attribute_values(&xml, "value")
        .into_iter()
        .filter(|v| v.starts_with('e') && v.len() == 2)
        .collect();
    assert_eq!(ids, ["e1", "e2"]);
    assert!(xml.contains("<int key=\"minutes\" value=\"120\"/>"));
    assert!(xml.contains("<float key=\"share\" value=\"0.5\"/>"));
    assert!(xml.contains("<boolean key=\"major\" value=\"false\"/>"));
    assert!(xml.contains("<date key=\"due\" value=\"2026-01-05T12:00:00.000Z\"/>"));
    // The trace carries the attribute that always held, not the timed ones.
    assert!(xml.contains("<trace><string key=\"concept:name\" value=\"INC1\"/><string key=\"category\" value=\"network\"/><event>"));
}

#[test]
fn flattening_on_another_type_and_on_a_type_without_events() {
    let log = sample();
    let problems = xes::to_xes(&log, &ObjectType::Problem);
    assert_eq!(problems.matches("<trace>").count(), 1);
    assert_eq!(problems.matches("<event>").count(), 1);
    // G2 is related to no event: no trace (no empty trace); G1 has one.
    let groups = xes::to_xes(&log, &ObjectType::Group);
    assert_eq!(groups.matches("<trace>").count(), 1);
    assert!(groups.contains("value=\"G1\""));
    assert!(!groups.contains("value=\"G2\""));
    let changes = xes::to_xes(&log, &ObjectType::Change);
    assert_eq!(changes.matches("<trace>").count(), 0);
    assert!(changes.ends_with("</log>\n"));
    // CI7 has one event.
    assert_eq!(log.cases(&ObjectType::ConfigurationItem).len(), 1);
}

#[test]
fn an_event_related_twice_to_a_case_appears_once_and_ties_keep_log_order() {
    let log = EventLog::new(
        vec![Object::new("INC1", ObjectType::Incident)],
        vec![
            Event::new("b", "x", t(5))
                .related("INC1", "incident")
                .related("INC1", "parent"),
            Event::new("a", "y", t(5)).related("INC1", "incident"),
            Event::new("c", "z", t(4)).related("INC1", "incident"),
        ],
    )
    .unwrap();
    let cases = log.cases(&ObjectType::Incident);
    let ids: Vec<&str> = cases[0].1.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["c", "b", "a"]);
    assert_eq!(
        xes::to_xes(&log, &ObjectType::Incident)
            .matches("<event>")
            .count(),
        3
    );
}

#[test]
fn xes_writes_a_repeated_key_once_with_its_last_value() {
    let log = EventLog::new(
        vec![Object::new("INC1", ObjectType::Incident)],
        vec![
            Event::new("e", "x", t(5))
                .related("INC1", "incident")
                .with("k", "first")
                .with("k", "last"),
        ],
    )
    .unwrap();
    let xml = xes::to_xes(&log, &ObjectType::Incident);
    assert_eq!(xml.matches("key=\"k\"").count(), 1);
    assert!(xml.contains("<string key=\"k\" value=\"last\"/>"));
}

#[cfg(feature = "serde")]
#[test]
fn objects_and_events_round_trip_through_serde_json() {
    let log = sample();
    for o in log.objects() {
        let back: Object = serde_json::from_str(&serde_json::to_string(o).unwrap()).unwrap();
        assert_eq!(&back, o);
    }
    for e in log.events() {
        let back: Event = serde_json::from_str(&serde_json::to_string(e).unwrap()).unwrap();
        assert_eq!(&back, e);
    }
    let v: itsm_mining::Value = serde_json::from_str(r#"{"type":"integer","value":7}"#).unwrap();
    assert_eq!(v, itsm_mining::Value::Integer(7));
}
