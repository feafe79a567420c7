//! XES (IEEE 1849-2016), the XML event log format of classic process mining: a `log` of
//! `trace`s of `event`s, each attribute a typed element (`string`, `date`, `int`, `float`,
//! `boolean`) with a `key` and a `value`.
//!
//! XES has one case notion, so writing an object-centric log is a **flattening**: one trace
//! per object of the chosen type ([`EventLog::cases`]), named by the object's id
//! (`concept:name`), carrying the object's attributes that always held. A key repeated within one element is
//! written once, with its last value (XES keys are unique per element). Each event carries
//! `concept:name` (the activity), `time:timestamp`, `lifecycle:transition` = `complete` (our
//! events are facts that happened), its own attributes, and `ocel:eid` (its id in the OCEL
//! log). Relations to objects of other types are not written: flattening loses them, which
//! is why the OCEL export exists.
//!
//! Text goes through [`xml_text`](crate::escape::xml_text): characters XML 1.0 cannot carry
//! become U+FFFD.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use itsm_mining::{xes, Event, EventLog, Object, ObjectType};
//!
//! let t = Utc.with_ymd_and_hms(2026, 1, 5, 9, 30, 0).unwrap();
//! let log = EventLog::new(
//!     vec![Object::new("INC<1>", ObjectType::Incident)],
//!     vec![Event::new("e1", "resolve", t).related("INC<1>", "incident")],
//! )?;
//! let xml = xes::to_xes(&log, &ObjectType::Incident);
//! assert!(xml.contains(r#"<trace><string key="concept:name" value="INC&lt;1&gt;"/>"#));
//! assert!(xml.contains(r#"<date key="time:timestamp" value="2026-01-05T09:30:00.000Z"/>"#));
//! # Ok::<(), itsm_mining::Error>(())
//! ```

use crate::escape::push_xml_text;
use crate::model::{Attribute, EventLog, ObjectType, Value};
use crate::ocel::time;

fn push_attribute(out: &mut String, key: &str, value: &Value) {
    let (tag, text) = match value {
        Value::String(s) => ("string", s.clone()),
        Value::Integer(n) => ("int", n.to_string()),
        Value::Float(x) => ("float", format!("{x:?}")),
        Value::Boolean(b) => ("boolean", b.to_string()),
        Value::Time(t) => ("date", time(t)),
    };
    out.push('<');
    out.push_str(tag);
    out.push_str(" key=\"");
    push_xml_text(out, key);
    out.push_str("\" value=\"");
    push_xml_text(out, &text);
    out.push_str("\"/>");
}

/// Writes each key once, with its last value: XES keys are unique within an element.
fn push_attributes<'a>(
    out: &mut String,
    attributes: impl DoubleEndedIterator<Item = &'a Attribute>,
) {
    let mut seen: Vec<&str> = Vec::new();
    let mut keep: Vec<&Attribute> = Vec::new();
    for a in attributes.rev() {
        if !seen.contains(&a.name.as_str()) {
            seen.push(&a.name);
            keep.push(a);
        }
    }
    for a in keep.into_iter().rev() {
        push_attribute(out, &a.name, &a.value);
    }
}

/// The header: the three standard extensions, the globals every trace and event carries,
/// and the activity classifier.
const HEADER: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<log xes.version=\"1849-2016\" xes.features=\"\" xmlns=\"http://www.xes-standard.org/\">\n",
    "<extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n",
    "<extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n",
    "<extension name=\"Lifecycle\" prefix=\"lifecycle\" uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n",
    "<global scope=\"trace\"><string key=\"concept:name\" value=\"\"/></global>\n",
    "<global scope=\"event\"><string key=\"concept:name\" value=\"\"/>",
    "<date key=\"time:timestamp\" value=\"1970-01-01T00:00:00.000Z\"/>",
    "<string key=\"lifecycle:transition\" value=\"complete\"/></global>\n",
    "<classifier name=\"Activity\" keys=\"concept:name\"/>\n",
);

/// The log flattened on `case_type` as an XES document: one trace per object of that type
/// that some event concerns (see [`EventLog::cases`]), one line per trace. A log with no such
/// object gives a document with no traces.
pub fn to_xes(log: &EventLog, case_type: &ObjectType) -> String {
    let mut out = String::with_capacity(1024 + 250 * log.events().len());
    out.push_str(HEADER);
    for (object, events) in log.cases(case_type) {
        out.push_str("<trace>");
        push_attribute(&mut out, "concept:name", &Value::String(object.id.clone()));
        push_attributes(
            &mut out,
            object.attributes.iter().filter(|a| a.at.is_none()),
        );
        for e in events {
            out.push_str("<event>");
            push_attribute(&mut out, "concept:name", &Value::String(e.activity.clone()));
            push_attribute(&mut out, "time:timestamp", &Value::Time(e.time));
            push_attribute(
                &mut out,
                "lifecycle:transition",
                &Value::String("complete".to_owned()),
            );
            if !e.attributes.iter().any(|a| a.name == "ocel:eid") {
                push_attribute(&mut out, "ocel:eid", &Value::String(e.id.clone()));
            }
            push_attributes(&mut out, e.attributes.iter());
            out.push_str("</event>");
        }
        out.push_str("</trace>\n");
    }
    out.push_str("</log>\n");
    out
}
