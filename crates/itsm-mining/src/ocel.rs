//! OCEL 2.0 JSON: the object-centric event log standard's JSON format (ocel-standard.org),
//! which pm4py reads with `pm4py.read_ocel2_json`.
//!
//! The document has four arrays: `objectTypes` and `eventTypes` (each a `name` and its
//! `attributes`, each a `name` and a `type` among `string`, `integer`, `float`, `boolean`,
//! `time`), `objects` (`id`, `type`, `attributes` with `name`, `time`, `value`, and
//! `relationships` with `objectId` and `qualifier`), and `events` (`id`, `type`, `time`,
//! `attributes` with `name` and `value`, and `relationships`). An object attribute that
//! always held is written with the time `1970-01-01T00:00:00Z`, as OCEL 2.0 tools write
//! initial values. Times are UTC, RFC 3339 with milliseconds.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use itsm_mining::{ocel, Event, EventLog, Object, ObjectType};
//!
//! let t = Utc.with_ymd_and_hms(2026, 1, 5, 9, 30, 0).unwrap();
//! let log = EventLog::new(
//!     vec![
//!         Object::new("CI7", ObjectType::ConfigurationItem),
//!         Object::new("INC1", ObjectType::Incident).with("priority", 2).related("CI7", "affects"),
//!     ],
//!     vec![Event::new("e1", "resolve", t).related("INC1", "incident")],
//! )?;
//! let json = ocel::to_json(&log);
//! assert!(json.contains(r#""eventTypes":[{"name":"resolve","attributes":[]}]"#));
//! assert!(json.contains(r#""relationships":[{"objectId":"CI7","qualifier":"affects"}]"#));
//! assert!(json.contains(r#""time":"2026-01-05T09:30:00.000Z""#));
//! # Ok::<(), itsm_mining::Error>(())
//! ```

use chrono::{DateTime, SecondsFormat, Utc};

use crate::escape::push_json_string;
use crate::model::{Attribute, EventLog, Relation, Value};

/// An instant as the writers spell it: RFC 3339, UTC, milliseconds (`2026-01-05T09:30:00.000Z`).
pub(crate) fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn push_value(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => push_json_string(out, s),
        Value::Integer(n) => out.push_str(&n.to_string()),
        // Finite by the log's check; `{:?}` keeps a decimal point or exponent, so the
        // number reads back as a float.
        Value::Float(x) => out.push_str(&format!("{x:?}")),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Time(t) => push_json_string(out, &time(t)),
    }
}

fn push_declarations(out: &mut String, declarations: &[(String, Vec<(String, &'static str)>)]) {
    out.push('[');
    for (i, (name, attributes)) in declarations.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"name\":");
        push_json_string(out, name);
        out.push_str(",\"attributes\":[");
        for (j, (attribute, kind)) in attributes.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            push_json_string(out, attribute);
            out.push_str(",\"type\":\"");
            out.push_str(kind);
            out.push_str("\"}");
        }
        out.push_str("]}");
    }
    out.push(']');
}

fn push_relations(out: &mut String, relations: &[Relation]) {
    out.push_str("\"relationships\":[");
    for (i, r) in relations.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"objectId\":");
        push_json_string(out, &r.object);
        out.push_str(",\"qualifier\":");
        push_json_string(out, &r.qualifier);
        out.push('}');
    }
    out.push(']');
}

fn push_attributes(out: &mut String, attributes: &[Attribute], timed: bool) {
    out.push_str("\"attributes\":[");
    for (i, a) in attributes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"name\":");
        push_json_string(out, &a.name);
        if timed {
            out.push_str(",\"time\":");
            let at = a.at.unwrap_or(DateTime::UNIX_EPOCH);
            push_json_string(out, &time(&at));
        }
        out.push_str(",\"value\":");
        push_value(out, &a.value);
        out.push('}');
    }
    out.push(']');
}

/// The log as an OCEL 2.0 JSON document (one line). Object and event types are listed
/// sorted by name, objects and events in the log's order. Every log gives a document;
/// nothing is left out.
pub fn to_json(log: &EventLog) -> String {
    let mut out = String::with_capacity(256 + 200 * (log.events().len() + log.objects().len()));
    out.push_str("{\"objectTypes\":");
    let mut declared = log.declarations(false);
    // A type whose objects have no attributes is still declared.
    for t in log.object_types() {
        declared.entry(t.name().to_owned()).or_default();
    }
    // Sorted by name (the map's order).
    let object_types: Vec<(String, Vec<(String, &'static str)>)> = declared.into_iter().collect();
    push_declarations(&mut out, &object_types);
    out.push_str(",\"eventTypes\":");
    let event_types: Vec<_> = log.declarations(true).into_iter().collect();
    push_declarations(&mut out, &event_types);
    out.push_str(",\"objects\":[");
    for (i, o) in log.objects().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        push_json_string(&mut out, &o.id);
        out.push_str(",\"type\":");
        push_json_string(&mut out, o.object_type.name());
        out.push(',');
        push_attributes(&mut out, &o.attributes, true);
        out.push(',');
        push_relations(&mut out, &o.relations);
        out.push('}');
    }
    out.push_str("],\"events\":[");
    for (i, e) in log.events().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        push_json_string(&mut out, &e.id);
        out.push_str(",\"type\":");
        push_json_string(&mut out, &e.activity);
        out.push_str(",\"time\":");
        push_json_string(&mut out, &time(&e.time));
        out.push(',');
        push_attributes(&mut out, &e.attributes, false);
        out.push(',');
        push_relations(&mut out, &e.relations);
        out.push('}');
    }
    out.push_str("]}");
    out
}
