//! The readers, rule by rule: XES as IEEE 1849-2016 defines it (xes-standard.org: a `log`
//! of `trace`s of `event`s; typed attributes `string`, `date`, `int`, `float`, `boolean`,
//! `id`, `list`, `container`, each with a `key` and, except the collections, a `value`;
//! attributes nested in attributes as meta-attributes; the concept, time and lifecycle
//! extensions' `concept:name`, `time:timestamp`, `lifecycle:transition`), and OCEL 2.0 JSON
//! as its specification defines it (ocel-standard.org: `objectTypes` and `eventTypes` with
//! typed attribute declarations, `objects` with timed attribute values and `relationships`,
//! `events`).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{TimeZone, Utc};
#[cfg(feature = "serde")]
use itsm_mining::ocel;
use itsm_mining::{Error, Event, EventLog, LogProblem, Object, ObjectType, SkipReason, Value, xes};

fn doc(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\" xmlns=\"http://www.xes-standard.org/\">\n{body}\n</log>\n"
    )
}

fn event(activity: &str, at: &str, more: &str) -> String {
    format!(
        "<event><string key=\"concept:name\" value=\"{activity}\"/><date key=\"time:timestamp\" value=\"{at}\"/>{more}</event>"
    )
}

fn read(body: &str) -> Result<itsm_mining::Imported, Error> {
    xes::from_xes(&doc(body), &ObjectType::Incident)
}

#[test]
fn xes_each_trace_is_a_case_and_each_attribute_keeps_its_type() {
    let body = format!(
        "<trace><string key=\"concept:name\" value=\"INC1\"/><id key=\"sys\" value=\"6f1c\"/>{}</trace>",
        event(
            "open",
            "2016-02-29T01:16:00.000+01:00",
            "<int key=\"n\" value=\"-7\"/><float key=\"x\" value=\"2.5e3\"/><boolean key=\"b\" value=\"1\"/><boolean key=\"c\" value=\"false\"/><date key=\"due\" value=\"2016-03-01T00:00:00Z\"/>"
        )
    );
    let read = read(&body).unwrap();
    let objects = read.log.objects();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].id, "INC1");
    assert_eq!(objects[0].object_type, ObjectType::Incident);
    assert_eq!(objects[0].attributes[0].value, Value::from("6f1c"));
    let e = &read.log.events()[0];
    assert_eq!((e.id.as_str(), e.activity.as_str()), ("INC1:1", "open"));
    assert_eq!(e.time, Utc.with_ymd_and_hms(2016, 2, 29, 0, 16, 0).unwrap());
    let values: Vec<&Value> = e.attributes.iter().map(|a| &a.value).collect();
    assert_eq!(
        values,
        [
            &Value::Integer(-7),
            &Value::Float(2500.0),
            &Value::Boolean(true),
            &Value::Boolean(false),
            &Value::Time(Utc.with_ymd_and_hms(2016, 3, 1, 0, 0, 0).unwrap()),
        ]
    );
    assert_eq!(e.relations[0].object, "INC1");
    assert_eq!(e.relations[0].qualifier, "incident");
}

#[test]
fn xes_an_event_in_several_traces_under_one_ocel_id_is_one_event() {
    let shared = event(
        "link",
        "2026-01-05T10:00:00Z",
        "<string key=\"ocel:eid\" value=\"e9\"/>",
    );
    let body = format!(
        "<trace><string key=\"concept:name\" value=\"A\"/>{shared}</trace><trace><string key=\"concept:name\" value=\"B\"/>{shared}</trace>"
    );
    let read = read(&body).unwrap();
    assert_eq!(read.log.events().len(), 1);
    let e = &read.log.events()[0];
    assert_eq!(e.id, "e9");
    let related: Vec<&str> = e.relations.iter().map(|r| r.object.as_str()).collect();
    assert_eq!(related, ["A", "B"]);

    // The same id on two different events is a repeated id, not a merge.
    let other = event(
        "unlink",
        "2026-01-05T10:00:00Z",
        "<string key=\"ocel:eid\" value=\"e9\"/>",
    );
    let body = format!(
        "<trace><string key=\"concept:name\" value=\"A\"/>{shared}</trace><trace><string key=\"concept:name\" value=\"B\"/>{other}</trace>"
    );
    let Err(Error::InvalidLog { problems }) = read_err(&body) else {
        panic!()
    };
    assert_eq!(
        problems,
        [LogProblem::DuplicateId {
            kind: "event",
            id: "e9".into()
        }]
    );
}

fn read_err(body: &str) -> Result<itsm_mining::Imported, Error> {
    read(body)
}

#[test]
fn xes_lifecycle_transitions_other_than_complete_are_kept_and_written_back() {
    let body = format!(
        "<trace><string key=\"concept:name\" value=\"C1\"/>{}{}</trace>",
        event(
            "work",
            "2026-01-05T09:00:00Z",
            "<string key=\"lifecycle:transition\" value=\"start\"/>"
        ),
        event(
            "work",
            "2026-01-05T10:00:00Z",
            "<string key=\"lifecycle:transition\" value=\"complete\"/>"
        ),
    );
    let read = read(&body).unwrap();
    let events = read.log.events();
    assert_eq!(events[0].attributes[0].name, "lifecycle:transition");
    assert_eq!(events[0].attributes[0].value, Value::from("start"));
    assert!(events[1].attributes.is_empty());
    let again = xes::to_xes(&read.log, &ObjectType::Incident);
    assert_eq!(
        again
            .matches("<string key=\"lifecycle:transition\" value=\"start\"/>")
            .count(),
        1
    );
    assert_eq!(
        again
            .matches("<string key=\"lifecycle:transition\" value=\"complete\"/>")
            .count(),
        2,
        "the global's default and the second event"
    );
    // A transition that is not text is refused by the log's own check.
    let t = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let err = EventLog::new(
        vec![Object::new("C1", ObjectType::Incident)],
        vec![
            Event::new("e1", "work", t)
                .related("C1", "incident")
                .with("lifecycle:transition", 1),
        ],
    )
    .unwrap_err();
    assert!(err.to_string().contains("not a string"), "{err}");
}

#[test]
fn xes_what_the_log_cannot_carry_is_counted_not_lost_silently() {
    let body = format!(
        "<string key=\"concept:name\" value=\"desk\"/>\n<extension name=\"Concept\" prefix=\"concept\" uri=\"x\"/>\n<global scope=\"event\"><string key=\"concept:name\" value=\"\"/></global>\n<classifier name=\"Activity\" keys=\"concept:name\"/>\n{}\n<trace><string key=\"concept:name\" value=\"C1\"><string key=\"note\" value=\"meta\"/></string>\n{}\n{}\n<trace-note/></trace>",
        event("stray", "2026-01-05T09:00:00Z", ""),
        event(
            "a",
            "2026-01-05T09:00:00Z",
            "<list key=\"items\"><values><string key=\"i\" value=\"1\"/></values></list>"
        ),
        event(
            "b",
            "2026-01-05T10:00:00Z",
            "<container key=\"items\"/><int key=\"n\" value=\"3\"><int key=\"weight\" value=\"1\"/></int>"
        ),
    );
    let read = read(&body).unwrap();
    assert_eq!(read.log_attributes[0].value, Value::from("desk"));
    assert_eq!(read.log.events().len(), 2);
    assert_eq!(read.log.events()[1].attributes[0].value, Value::Integer(3));
    let skipped: Vec<(SkipReason, &str, usize, &str)> = read
        .skipped
        .iter()
        .map(|s| (s.reason, s.key.as_str(), s.count, s.first.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (SkipReason::EventOutsideTrace, "event", 1, "line 7"),
            (SkipReason::NestedAttribute, "note", 1, "line 8"),
            (SkipReason::Collection, "items", 2, "line 9"),
            (SkipReason::NestedAttribute, "weight", 1, "line 10"),
            (SkipReason::UnknownElement, "trace-note", 1, "line 11"),
        ]
    );
}

#[test]
fn xes_faults_name_the_line_and_what_is_allowed() {
    let cases: Vec<(String, &str)> = vec![
        (
            doc(&format!(
                "<trace>\n{}</trace>",
                event("a", "2026-01-05T09:00:00Z", "")
            )),
            "line 4: this trace has no `concept:name`; every trace needs one",
        ),
        (
            doc(
                "<trace><string key=\"concept:name\" value=\"C\"/>\n<event><string key=\"concept:name\" value=\"a\"/></event></trace>",
            ),
            "line 4: this event has no `time:timestamp`; every event needs one",
        ),
        (
            doc(
                "<trace><string key=\"concept:name\" value=\"C\"/>\n<event><date key=\"time:timestamp\" value=\"2026-01-05T09:00:00Z\"/></event></trace>",
            ),
            "line 4: this event has no `concept:name`; every event needs one",
        ),
        (
            doc(&format!(
                "<trace><string key=\"concept:name\" value=\"C\"/>{}</trace>",
                event(
                    "a",
                    "2026-01-05T09:00:00Z",
                    "<int key=\"n\" value=\"1.5\"/>"
                )
            )),
            "int `n` of line 3 has the value `1.5`, which is not a whole number within 64 bits",
        ),
        (
            doc(&format!(
                "<trace><string key=\"concept:name\" value=\"C\"/>{}</trace>",
                event("a", "29/2/2016 01:16", "")
            )),
            "date `time:timestamp` of line 3 has the value `29/2/2016 01:16`, which is not an RFC 3339 date and time (xs:dateTime)",
        ),
        (
            doc(
                "<trace><string key=\"concept:name\" value=\"C\"/><event><string key=\"concept:name\" value=\"a\"/><string key=\"time:timestamp\" value=\"2026\"/></event></trace>",
            ),
            "string `time:timestamp` of line 3 has the value `2026`, which is not a date attribute (`<date>`)",
        ),
        (
            doc("<trace><string value=\"C\"/></trace>"),
            "line 3: a `<string>` attribute has no `key`; XES attributes have a key and a value",
        ),
        (
            doc("<trace><boolean key=\"b\"/></trace>"),
            "line 3: a `<boolean>` attribute has no `value`; XES attributes have a key and a value",
        ),
        (
            "<?xml version=\"1.0\"?><events/>".to_owned(),
            "the root element is `<events>`; an XES document's root is `<log>`",
        ),
        (
            doc("<trace>"),
            "line 4: not well-formed XML: end tag `</log>` closes `<trace>`; tags must nest",
        ),
    ];
    for (text, message) in cases {
        let err = xes::from_xes(&text, &ObjectType::Incident).unwrap_err();
        assert_eq!(err.to_string(), message, "{text}");
    }
    // A long value is quoted cut, with its length.
    let long = "9".repeat(100_000);
    let text = doc(&format!(
        "<trace><string key=\"concept:name\" value=\"C\"/>{}</trace>",
        event(
            "a",
            "2026-01-05T09:00:00Z",
            &format!("<int key=\"n\" value=\"{long}\"/>")
        )
    ));
    let message = xes::from_xes(&text, &ObjectType::Incident)
        .unwrap_err()
        .to_string();
    assert!(message.contains("… (100000 bytes)"), "{message}");
    assert!(message.len() < 300, "{message}");
}

#[test]
fn xes_elements_may_carry_a_namespace_prefix() {
    let text = "<xes:log xmlns:xes=\"http://www.xes-standard.org/\"><xes:trace><xes:string key=\"concept:name\" value=\"C\"/><xes:event><xes:string key=\"concept:name\" value=\"a\"/><xes:date key=\"time:timestamp\" value=\"2026-01-05T09:00:00Z\"/></xes:event></xes:trace></xes:log>";
    let read = xes::from_xes(text, &ObjectType::Change).unwrap();
    assert_eq!(read.log.events()[0].relations[0].qualifier, "change");
}

#[test]
fn xes_a_million_deep_nest_and_a_long_trace_need_no_deep_stack() {
    let depth = 1_000_000;
    let nest = format!("{}{}", "<x>".repeat(depth), "</x>".repeat(depth));
    let deep = doc(&format!(
        "<trace><string key=\"concept:name\" value=\"C\"/>{}</trace>",
        event("a", "2026-01-05T09:00:00Z", &nest)
    ));
    // (A million events read in about a second in release builds: `pm4py-check` times it.)
    let mut long = String::from("<trace><string key=\"concept:name\" value=\"C\"/>");
    for _ in 0..100_000 {
        long.push_str("<event><string key=\"concept:name\" value=\"a\"/><date key=\"time:timestamp\" value=\"2026-01-05T09:00:00Z\"/></event>");
    }
    long.push_str("</trace>");
    let long = doc(&long);
    // A 256 kB stack: a reader that recursed per level would overflow it.
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let read = xes::from_xes(&deep, &ObjectType::Incident).unwrap();
            assert_eq!(read.skipped[0].reason, SkipReason::UnknownElement);
            assert_eq!(read.skipped[0].count, 1, "only the outermost is counted");
            let read = xes::from_xes(&long, &ObjectType::Incident).unwrap();
            assert_eq!(read.log.events().len(), 100_000);
            assert_eq!(read.log.events()[99_999].id, "C:100000");
        })
        .unwrap()
        .join()
        .unwrap();
}

#[cfg(feature = "serde")]
#[test]
fn ocel_values_read_as_their_declared_types() {
    let text = r#"{
      "objectTypes": [{"name": "incident", "attributes": [
        {"name": "priority", "type": "integer"}, {"name": "score", "type": "float"},
        {"name": "major", "type": "boolean"}, {"name": "due", "type": "time"},
        {"name": "code", "type": "string"}]},
        {"name": "vendor", "attributes": []}],
      "eventTypes": [{"name": "resolve", "attributes": [{"name": "minutes", "type": "integer"}]}],
      "objects": [
        {"id": "INC1", "type": "incident", "attributes": [
          {"name": "priority", "time": "1970-01-01T00:00:00Z", "value": "2"},
          {"name": "priority", "time": "2026-01-05T10:00:00+01:00", "value": 1.0},
          {"name": "score", "time": "1970-01-01T00:00:00Z", "value": 3},
          {"name": "major", "time": "1970-01-01T00:00:00Z", "value": "true"},
          {"name": "due", "time": "1970-01-01T00:00:00Z", "value": "2026-01-06T09:00:00"},
          {"name": "code", "time": "1970-01-01T00:00:00Z", "value": 42},
          {"name": "note", "time": "1970-01-01T00:00:00Z", "value": null},
          {"name": "undeclared", "time": "1970-01-01T00:00:00Z", "value": false}],
         "relationships": [{"objectId": "V1"}]},
        {"id": "V1", "type": "vendor"}],
      "events": [{"id": "e1", "type": "resolve", "time": "2026-01-05T09:30:00.123Z",
                  "attributes": [{"name": "minutes", "value": 30}, {"name": "by", "value": "ana"}],
                  "relationships": [{"objectId": "INC1", "qualifier": "incident"}]}],
      "extension": "ignored"
    }"#;
    let document: ocel::Document = serde_json::from_str(text).unwrap();
    let read = ocel::from_document(document).unwrap();
    let incident = &read.log.objects()[0];
    let t = |d, h, m| Utc.with_ymd_and_hms(2026, 1, d, h, m, 0).unwrap();
    let got: Vec<(&str, &Value, Option<_>)> = incident
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), &a.value, a.at))
        .collect();
    assert_eq!(
        got,
        [
            ("priority", &Value::Integer(2), None),
            ("priority", &Value::Integer(1), Some(t(5, 9, 0))),
            ("score", &Value::Float(3.0), None),
            ("major", &Value::Boolean(true), None),
            ("due", &Value::Time(t(6, 9, 0)), None),
            ("code", &Value::from("42"), None),
            ("undeclared", &Value::Boolean(false), None),
        ]
    );
    assert_eq!(incident.relations[0].qualifier, "");
    assert_eq!(
        read.log.objects()[1].object_type,
        ObjectType::Other("vendor".into())
    );
    let e = &read.log.events()[0];
    assert_eq!(e.time.timestamp_subsec_millis(), 123);
    assert_eq!(e.attributes[0].value, Value::Integer(30));
    assert_eq!(e.attributes[1].value, Value::from("ana"));
    assert_eq!(read.skipped.len(), 1);
    assert_eq!(
        read.skipped[0].to_string(),
        "1 × missing value (an OCEL null, an XES NaN) `note` (first at object INC1)"
    );
}

#[cfg(feature = "serde")]
#[test]
fn ocel_faults_say_what_is_wrong_and_what_is_allowed() {
    for (text, message) in [
        (
            r#"{"objectTypes": [{"name": "incident", "attributes": [{"name": "p", "type": "int"}]}]}"#,
            "attribute `p` of `incident` is declared with type `int`; OCEL 2.0 types are string, integer, float, boolean and time",
        ),
        (
            r#"{"objectTypes": [{"name": "incident", "attributes": [{"name": "p", "type": "integer"}]}],
                "objects": [{"id": "I", "type": "incident", "attributes": [{"name": "p", "time": "1970-01-01T00:00:00Z", "value": "high"}]}]}"#,
            "integer `p` of object I has the value `high`, which is not a whole number within 64 bits",
        ),
        (
            r#"{"objects": [{"id": "I", "type": "incident", "attributes": [{"name": "p", "time": "yesterday", "value": 1}]}]}"#,
            "time `p` of object I has the value `yesterday`, which is not an RFC 3339 time (when the value holds from)",
        ),
        (
            r#"{"events": [{"id": "e1", "type": "a", "time": "5/1/2026"}]}"#,
            "time `time` of event e1 has the value `5/1/2026`, which is not an RFC 3339 time",
        ),
        (
            r#"{"events": [{"id": "e1", "type": "a", "time": "2026-01-05T09:00:00Z", "relationships": [{"objectId": "nobody"}]}]}"#,
            "the event log is not valid: event `e1` is related to object `nobody`, which is not in the log",
        ),
    ] {
        let document: ocel::Document = serde_json::from_str(text).unwrap();
        let err = ocel::from_document(document).unwrap_err();
        assert_eq!(err.to_string(), message, "{text}");
    }
}

#[test]
fn xes_a_key_repeated_in_one_element_counts_once_with_its_last_value() {
    // XES keys are unique per element; a document repeating one is read as `to_xes` writes
    // a key given twice (the last value, where the last one stands). Found by fuzzing: the
    // first `ocel:eid` used to be the id and the second an attribute the writer then wrote
    // as the id.
    let body = "<trace><string key=\"concept:name\" value=\"A\"/><string key=\"concept:name\" value=\"B\"/>\
        <event><string key=\"concept:name\" value=\"x\"/><string key=\"ocel:eid\" value=\"e1\"/>\
        <string key=\"note\" value=\"first\"/><int key=\"n\" value=\"1\"/><string key=\"note\" value=\"last\"/>\
        <string key=\"lifecycle:transition\" value=\"start\"/><string key=\"lifecycle:transition\" value=\"complete\"/>\
        <string key=\"concept:name\" value=\"y\"/><date key=\"time:timestamp\" value=\"2026-01-05T09:00:00Z\"/>\
        <string key=\"ocel:eid\" value=\"e2\"/></event></trace>";
    let read = read(body).unwrap();
    assert_eq!(read.log.objects()[0].id, "B");
    let e = &read.log.events()[0];
    assert_eq!((e.id.as_str(), e.activity.as_str()), ("e2", "y"));
    let attributes: Vec<(&str, &Value)> = e
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), &a.value))
        .collect();
    assert_eq!(
        attributes,
        [("n", &Value::Integer(1)), ("note", &Value::from("last"))]
    );
    let again = xes::from_xes(
        &xes::to_xes(&read.log, &ObjectType::Incident),
        &ObjectType::Incident,
    )
    .unwrap();
    assert_eq!(again.log, read.log);
}

#[test]
fn xes_a_nan_float_is_a_missing_value_as_pm4py_writes_one() {
    // pm4py writes a value a row lacks as `<float key="hold_reason" value="nan" />`, also
    // where the other rows hold text (seen in its XES of the UCI log): read as missing, so
    // the attribute keeps one type.
    let body = format!(
        "<trace><string key=\"concept:name\" value=\"C\"/>{}{}</trace>",
        event(
            "a",
            "2026-01-05T09:00:00+00:00",
            "<float key=\"hold_reason\" value=\"nan\" />"
        ),
        event(
            "a",
            "2026-01-05T10:00:00+00:00",
            "<string key=\"hold_reason\" value=\"vendor\" /><float key=\"x\" value=\"NaN\"/>"
        ),
    );
    let read = read(&body).unwrap();
    assert!(read.log.events()[0].attributes.is_empty());
    assert_eq!(
        read.log.events()[1].attributes[0].value,
        Value::from("vendor")
    );
    let skipped: Vec<String> = read.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        [
            "1 × missing value (an OCEL null, an XES NaN) `hold_reason` (first at line 3)",
            "1 × missing value (an OCEL null, an XES NaN) `x` (first at line 3)"
        ]
    );
    // Infinity (written, or past f64's range) is a value the log cannot carry: skipped and
    // counted with its own reason; the rest of the log reads.
    let body = format!(
        "<trace><string key=\"concept:name\" value=\"C\"/>{}</trace>",
        event(
            "a",
            "2026-01-05T09:00:00Z",
            "<float key=\"x\" value=\"inf\"/><float key=\"y\" value=\"-1e999\"/><float key=\"z\" value=\"1.5\"/>"
        )
    );
    let infinite = self::read(&body).unwrap();
    assert_eq!(infinite.log.events()[0].attributes.len(), 1);
    assert_eq!(
        infinite.log.events()[0].attributes[0].value,
        Value::Float(1.5)
    );
    let skipped: Vec<String> = infinite.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        [
            "1 × infinite float `x` (first at line 3)",
            "1 × infinite float `y` (first at line 3)"
        ]
    );
}

#[test]
fn xes_a_traces_own_timestamp_is_skipped_not_fatal() {
    // Some tools write a case's start time on the trace; a case here is an object, which
    // has no time of its own: skipped with its reason, the trace and its events read.
    let body = format!(
        "<trace><string key=\"concept:name\" value=\"C\"/><date key=\"time:timestamp\" value=\"2026-01-05T08:00:00Z\"/><int key=\"n\" value=\"3\"/>{}</trace>",
        event("a", "2026-01-05T09:00:00Z", "")
    );
    let read = read(&body).unwrap();
    assert_eq!(read.log.objects().len(), 1);
    assert_eq!(read.log.objects()[0].attributes.len(), 1);
    assert_eq!(read.log.objects()[0].attributes[0].name, "n");
    assert_eq!(read.log.events().len(), 1);
    let skipped: Vec<String> = read.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        [
            "1 × time:timestamp of a trace (a case has no time of its own) `time:timestamp` (first at line 3)"
        ]
    );
}

#[test]
fn a_log_with_a_problem_per_row_makes_a_short_message() {
    let t = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let events = (0..100_000)
        .map(|i| Event::new(&format!("e{i}"), "a", t).related(&"x".repeat(1000), "incident"))
        .collect();
    let Err(err @ Error::InvalidLog { .. }) = EventLog::new(Vec::new(), events) else {
        panic!()
    };
    let Error::InvalidLog { problems } = &err else {
        panic!()
    };
    assert_eq!(problems.len(), 100_000, "the field keeps every problem");
    let message = err.to_string();
    assert!(
        message.ends_with("; and 99990 more (100000 problems in all)"),
        "{}",
        &message[message.len() - 100..]
    );
    assert!(message.len() < 2_000, "{} bytes", message.len());
}

#[test]
fn xes_the_same_id_twice_in_one_trace_is_two_events_refused_not_one_kept() {
    // Found by review: the second used to be dropped without a word.
    let twice = event(
        "a",
        "2026-01-05T09:00:00Z",
        "<string key=\"ocel:eid\" value=\"z\"/>",
    );
    let body = format!("<trace><string key=\"concept:name\" value=\"C\"/>{twice}{twice}</trace>");
    let Err(Error::InvalidLog { problems }) = read_err(&body) else {
        panic!()
    };
    assert_eq!(
        problems,
        [LogProblem::DuplicateId {
            kind: "event",
            id: "z".into()
        }]
    );
    // And an attribute may not be named `ocel:eid`: the writer writes the event's id there.
    let t = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let err = EventLog::new(
        vec![Object::new("C", ObjectType::Incident)],
        vec![
            Event::new("e1", "a", t)
                .related("C", "incident")
                .with("ocel:eid", "zzz"),
        ],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("not concept:name, time:timestamp or ocel:eid"),
        "{err}"
    );
}

#[test]
fn xes_one_event_in_many_traces_merges_in_linear_time() {
    // Found by the second review: each merge scanned the event's relations.
    let shared = event(
        "a",
        "2026-01-05T09:00:00Z",
        "<string key=\"ocel:eid\" value=\"e1\"/>",
    );
    let body: String = (0..40_000)
        .map(|i| format!("<trace><string key=\"concept:name\" value=\"C{i}\"/>{shared}</trace>"))
        .collect();
    let read = read(&body).unwrap();
    assert_eq!(read.log.events().len(), 1);
    assert_eq!(read.log.events()[0].relations.len(), 40_000);
    // An object may carry `ocel:eid` (only an event's is the writer's).
    let t = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    assert!(
        EventLog::new(
            vec![Object::new("C", ObjectType::Incident).with("ocel:eid", "x")],
            vec![Event::new("e1", "a", t).related("C", "incident")],
        )
        .is_ok()
    );
}
