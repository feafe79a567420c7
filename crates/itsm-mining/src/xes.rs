//! XES (IEEE 1849-2016), the XML event log format of classic process mining: a `log` of
//! `trace`s of `event`s, each attribute a typed element (`string`, `date`, `int`, `float`,
//! `boolean`) with a `key` and a `value`.
//!
//! XES has one case notion, so writing an object-centric log is a **flattening**: one trace
//! per object of the chosen type ([`EventLog::cases`]), named by the object's id
//! (`concept:name`), carrying the object's attributes that always held. A key repeated within one element is
//! written once, with its last value (XES keys are unique per element). Each event carries
//! `concept:name` (the activity), `time:timestamp`, `lifecycle:transition` (the event's own
//! `lifecycle:transition` attribute, a string such as `start`, or else `complete`: our
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

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::escape::push_xml_text;
use crate::model::{Attribute, Event, EventLog, Object, ObjectType, Relation, Value};
use crate::ocel::time;
use crate::read::{Imported, SkipLog, SkipReason, parse_time};
use crate::xml::{Token, Tokenizer, XmlError};

/// A value's XES element name and its text.
fn xes_form(value: &Value) -> (&'static str, String) {
    match value {
        Value::String(s) => ("string", s.clone()),
        Value::Integer(n) => ("int", n.to_string()),
        Value::Float(x) => ("float", format!("{x:?}")),
        Value::Boolean(b) => ("boolean", b.to_string()),
        Value::Time(t) => ("date", time(t)),
    }
}

fn push_attribute(out: &mut String, key: &str, value: &Value) {
    let (tag, text) = xes_form(value);
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
    let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    let mut keep: Vec<&Attribute> = Vec::new();
    for a in attributes.rev() {
        if seen.insert(a.name.as_str()) {
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
            if !e
                .attributes
                .iter()
                .any(|a| a.name == "lifecycle:transition")
            {
                push_attribute(
                    &mut out,
                    "lifecycle:transition",
                    &Value::String("complete".to_owned()),
                );
            }
            push_attribute(&mut out, "ocel:eid", &Value::String(e.id.clone()));
            push_attributes(&mut out, e.attributes.iter());
            out.push_str("</event>");
        }
        out.push_str("</trace>\n");
    }
    out.push_str("</log>\n");
    out
}

/// The value of attribute element `tag`, or why it is left out (a missing or infinite
/// float; a type XES does not define); an error for a value its type cannot spell.
fn typed_value(
    tag: &str,
    value: &str,
    line: usize,
    key: &str,
) -> Result<Result<Value, SkipReason>, Error> {
    let bad = |expected: &'static str| Error::BadValue {
        owner: format!("line {line}"),
        kind: tag.to_owned(),
        key: key.to_owned(),
        value: value.to_owned(),
        expected,
    };
    Ok(Ok(match tag {
        "string" | "id" => Value::String(value.to_owned()),
        "date" => Value::Time(
            parse_time(value).ok_or_else(|| bad("an RFC 3339 date and time (xs:dateTime)"))?,
        ),
        "int" => Value::Integer(
            value
                .trim()
                .parse()
                .map_err(|_| bad("a whole number within 64 bits"))?,
        ),
        "float" => match value.trim().parse::<f64>() {
            // A missing value, as pandas-based tools write one.
            Ok(x) if x.is_nan() => return Ok(Err(SkipReason::MissingValue)),
            // The log's floats are finite (`INF`, or a number past f64's range).
            Ok(x) if x.is_infinite() => return Ok(Err(SkipReason::InfiniteFloat)),
            Ok(x) => Value::Float(x),
            Err(_) => return Err(bad("a number")),
        },
        "boolean" => Value::Boolean(match value.trim() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => return Err(bad("true, false, 1 or 0")),
        }),
        _ => return Ok(Err(SkipReason::UnknownElement)),
    }))
}

/// The attribute element types XES defines.
fn is_attribute(tag: &str) -> bool {
    matches!(
        tag,
        "string" | "date" | "int" | "float" | "boolean" | "id" | "list" | "container"
    )
}

/// An element's name without its namespace prefix.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// What each open element is, so its children are read in context.
enum Frame {
    Log,
    Trace,
    Event,
    /// An attribute element: its children are nested attributes.
    Attribute,
    /// A part not read, with its children.
    Skip,
}

/// An event as read, before its trace's id is known.
struct ReadEvent {
    id: Option<String>,
    activity: Option<String>,
    time: Option<DateTime<Utc>>,
    attributes: Vec<Attribute>,
}

#[derive(Default)]
struct ReadTrace {
    id: Option<String>,
    attributes: Vec<Attribute>,
    events: Vec<ReadEvent>,
}

/// The log being built.
struct Builder<'c> {
    case_type: &'c ObjectType,
    objects: Vec<Object>,
    events: Vec<Event>,
    /// Events carrying an explicit `ocel:eid`, by id: the same event written into several
    /// traces (one per case it concerns) is read back as one event related to each.
    by_eid: BTreeMap<String, usize>,
    log_attributes: Vec<Attribute>,
    skipped: SkipLog,
    trace: Option<ReadTrace>,
    event: Option<ReadEvent>,
}

impl Builder<'_> {
    /// Reads attribute element `tag` of the innermost open log, trace or event; the frame
    /// its children are read in.
    fn attribute(
        &mut self,
        tag: &str,
        attributes: &[(&str, Cow<'_, str>)],
        line: usize,
        parent: &Frame,
    ) -> Result<Frame, Error> {
        let get = |name: &str| {
            attributes
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.as_ref())
        };
        let incomplete = |missing| Error::IncompleteXesAttribute {
            line,
            tag: tag.to_owned(),
            missing,
        };
        let key = get("key").ok_or_else(|| incomplete("key"))?;
        let value = if matches!(tag, "list" | "container") {
            Err(SkipReason::Collection)
        } else if matches!(parent, Frame::Trace) && key == "time:timestamp" {
            Err(SkipReason::CaseTimestamp)
        } else {
            let text = get("value").ok_or_else(|| incomplete("value"))?;
            typed_value(tag, text, line, key)?
        };
        let value = match value {
            Ok(value) => value,
            Err(reason) => {
                self.skipped.add(reason, key, || format!("line {line}"));
                // Its members (or meta-attributes) go with it.
                return Ok(Frame::Skip);
            }
        };
        let attribute = Attribute {
            name: key.to_owned(),
            value,
            at: None,
        };
        match parent {
            Frame::Log => self.log_attributes.push(attribute),
            Frame::Trace => {
                if let Some(trace) = &mut self.trace {
                    if key == "concept:name" {
                        trace.id = Some(text_of(&attribute.value));
                    } else {
                        trace.attributes.push(attribute);
                    }
                }
            }
            Frame::Event => {
                if let Some(event) = &mut self.event {
                    match key {
                        "concept:name" => {
                            event.activity = Some(text_of(&attribute.value));
                        }
                        "time:timestamp" => match attribute.value {
                            Value::Time(t) => event.time = Some(t),
                            _ => {
                                return Err(Error::BadValue {
                                    owner: format!("line {line}"),
                                    kind: tag.to_owned(),
                                    key: key.to_owned(),
                                    value: text_of(&attribute.value),
                                    expected: "a date attribute (`<date>`)",
                                });
                            }
                        },
                        "ocel:eid" => event.id = Some(text_of(&attribute.value)),
                        _ => event.attributes.push(attribute),
                    }
                }
            }
            Frame::Attribute | Frame::Skip => {}
        }
        Ok(Frame::Attribute)
    }

    fn end_trace(&mut self, line: usize) -> Result<(), Error> {
        let Some(trace) = self.trace.take() else {
            return Ok(());
        };
        let case = trace.id.ok_or(Error::MissingXesKey {
            line,
            element: "trace",
            key: "concept:name",
        })?;
        let qualifier = self.case_type.name().to_owned();
        for (position, read) in trace.events.into_iter().enumerate() {
            let explicit = read.id.is_some();
            let id = read
                .id
                .unwrap_or_else(|| format!("{case}:{}", position + 1));
            let event = Event {
                id,
                // Checked at the event's end.
                activity: read.activity.unwrap_or_default(),
                time: read.time.unwrap_or_default(),
                attributes: read.attributes,
                relations: vec![Relation {
                    object: case.clone(),
                    qualifier: qualifier.clone(),
                }],
            };
            if explicit {
                if let Some(&i) = self.by_eid.get(&event.id) {
                    if let Some(seen) = self.events.get_mut(i) {
                        let same = seen.activity == event.activity
                            && seen.time == event.time
                            && seen.attributes == event.attributes;
                        // Written into another trace: one event concerning both. The same
                        // id twice in one trace is two events (refused as a repeated id).
                        // (This trace's own relation is always the last one: a lookup,
                        // not a scan, when one event stands in thousands of traces.)
                        if same && seen.relations.last().is_none_or(|r| r.object != case) {
                            seen.relations.extend(event.relations);
                            continue;
                        }
                    }
                } else {
                    self.by_eid.insert(event.id.clone(), self.events.len());
                }
            }
            self.events.push(event);
        }
        let mut object = Object::new(&case, self.case_type.clone());
        object.attributes = last_per_key(trace.attributes);
        self.objects.push(object);
        Ok(())
    }
}

/// Each key once, with its last value, in the order of the last values: XES keys are unique
/// within an element, and this is how [`to_xes`] writes a key given twice.
fn last_per_key(list: Vec<Attribute>) -> Vec<Attribute> {
    if list.len() < 2 {
        return list;
    }
    let keep: Vec<bool> = {
        let mut seen = std::collections::BTreeSet::new();
        let mut keep = vec![false; list.len()];
        for (slot, a) in keep.iter_mut().zip(&list).rev() {
            *slot = seen.insert(a.name.as_str());
        }
        keep
    };
    list.into_iter()
        .zip(keep)
        .filter_map(|(a, kept)| kept.then_some(a))
        .collect()
}

/// A value's text, as the writer spells it.
fn text_of(value: &Value) -> String {
    xes_form(value).1
}

/// Reads an XES document as a log: one object of `case_type` per trace (its id the trace's
/// `concept:name`, its attributes the trace's others), one event per event element, related
/// to its trace's object with the case type's name as qualifier. This is the inverse of
/// [`to_xes`] up to what XES cannot say: reading back what `to_xes(log, t)` wrote gives
/// `log`'s objects of type `t` that some event concerns (with their attributes that always
/// held) and the events concerning them, each related to those objects only, with each
/// attribute key once (its last value), times cut to the millisecond, text as XML keeps it,
/// and an event's own `lifecycle:transition` of `complete` read as none (the writer's
/// default).
///
/// Per event: `concept:name` is the activity and `time:timestamp` the time (both required;
/// a timestamp without offset is UTC); `ocel:eid`, when present, is the event's id, and an
/// event written into several traces under one id (as [`to_xes`] writes an event that
/// concerns several cases) is read as one event related to each of them; without it the id
/// is `<case>:<position>` (1-based within the trace). `lifecycle:transition` is kept as an
/// attribute unless it is `complete` (what [`to_xes`] writes for an event without one).
/// Attributes keep their types: `string` and `id` as text, `date`, `int`, `float`,
/// `boolean` (`true`, `false`, `1`, `0`). A key repeated within one element (XES keys are
/// unique per element) counts once, with its last value, as [`to_xes`] writes it.
///
/// Not carried over, and listed in [`Imported::skipped`]: `list` and `container`
/// attributes, `float` attributes whose value is `NaN` (how pm4py and other pandas-based
/// tools write a value missing from a row), attributes nested in attributes, events outside a trace, elements XES does
/// not define where they stand. The log's own attributes are in
/// [`Imported::log_attributes`]. Extensions, globals and classifiers are declarations the
/// log does not need (globals give no values to events that lack them). The text is the
/// decoded document: a gzipped `.xes.gz` is unpacked by the host.
///
/// # Errors
/// [`Error::MalformedXml`], [`Error::NotXes`], [`Error::MissingXesKey`],
/// [`Error::IncompleteXesAttribute`], [`Error::BadValue`] for the first fault of the
/// document; then [`Error::InvalidLog`] with every problem of the log read (repeated case
/// or event ids, non-finite floats, times outside the years 0001 to 9999, ...).
///
/// ```
/// use itsm_mining::{xes, ObjectType, Value};
///
/// let text = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
///   <string key="concept:name" value="service desk"/>
///   <trace><string key="concept:name" value="INC1"/><int key="priority" value="2"/>
///     <event><string key="concept:name" value="open"/>
///            <date key="time:timestamp" value="2026-01-05T09:30:00.000+01:00"/></event>
///     <event><string key="concept:name" value="resolve"/>
///            <date key="time:timestamp" value="2026-01-05T11:00:00.000+01:00"/>
///            <list key="tags"/></event>
///   </trace>
/// </log>"#;
/// let read = xes::from_xes(text, &ObjectType::Incident)?;
/// let events = read.log.events();
/// assert_eq!((events[0].id.as_str(), events[1].activity.as_str()), ("INC1:1", "resolve"));
/// assert_eq!(events[0].time.to_rfc3339(), "2026-01-05T08:30:00+00:00");
/// assert_eq!(read.log.objects()[0].attributes[0].value, Value::Integer(2));
/// assert_eq!(read.log_attributes[0].value, Value::from("service desk"));
/// assert_eq!(read.skipped[0].to_string(), "1 × list or container attribute `tags` (first at line 9)");
/// # Ok::<(), itsm_mining::Error>(())
/// ```
pub fn from_xes(text: &str, case_type: &ObjectType) -> Result<Imported, Error> {
    let mut tokens = Tokenizer::new(text);
    let mut frames: Vec<Frame> = Vec::new();
    let mut b = Builder {
        case_type,
        objects: Vec::new(),
        events: Vec::new(),
        by_eid: BTreeMap::new(),
        log_attributes: Vec::new(),
        skipped: SkipLog::default(),
        trace: None,
        event: None,
    };
    let malformed = |e: XmlError| Error::MalformedXml {
        line: e.line,
        reason: e.reason,
    };
    while let Some(token) = tokens.next_token().map_err(malformed)? {
        let line = tokens.line();
        let (name, attributes, empty) = match token {
            Token::End => {
                match frames.pop() {
                    Some(Frame::Trace) => b.end_trace(line)?,
                    Some(Frame::Event) => end_event(&mut b, line)?,
                    _ => {}
                }
                continue;
            }
            Token::Start {
                name,
                attributes,
                empty,
            } => (local(name), attributes, empty),
        };
        let frame = match frames.last() {
            None if name == "log" => Frame::Log,
            None => {
                return Err(Error::NotXes {
                    root: name.to_owned(),
                });
            }
            Some(Frame::Log) if name == "trace" => {
                b.trace = Some(ReadTrace::default());
                Frame::Trace
            }
            Some(Frame::Log) if name == "event" => {
                b.skipped.add(SkipReason::EventOutsideTrace, name, || {
                    format!("line {line}")
                });
                Frame::Skip
            }
            Some(Frame::Log) if matches!(name, "extension" | "global" | "classifier") => {
                Frame::Skip
            }
            Some(Frame::Trace) if name == "event" => {
                b.event = Some(ReadEvent {
                    id: None,
                    activity: None,
                    time: None,
                    attributes: Vec::new(),
                });
                Frame::Event
            }
            Some(parent @ (Frame::Log | Frame::Trace | Frame::Event)) if is_attribute(name) => {
                b.attribute(name, &attributes, line, parent)?
            }
            Some(Frame::Attribute) if is_attribute(name) => {
                let key = attributes
                    .iter()
                    .find(|(k, _)| *k == "key")
                    .map_or("", |(_, v)| v.as_ref());
                b.skipped
                    .add(SkipReason::NestedAttribute, key, || format!("line {line}"));
                Frame::Skip
            }
            Some(Frame::Skip) => Frame::Skip,
            Some(_) => {
                b.skipped
                    .add(SkipReason::UnknownElement, name, || format!("line {line}"));
                Frame::Skip
            }
        };
        if empty {
            match frame {
                Frame::Trace => b.end_trace(line)?,
                Frame::Event => end_event(&mut b, line)?,
                _ => {}
            }
        } else {
            frames.push(frame);
        }
    }
    let log = EventLog::new(b.objects, b.events)?;
    Ok(Imported {
        log,
        log_attributes: last_per_key(b.log_attributes),
        skipped: b.skipped.into_list(),
    })
}

/// Checks the event that ends here and files it with its trace.
fn end_event(b: &mut Builder<'_>, line: usize) -> Result<(), Error> {
    let Some(event) = b.event.take() else {
        return Ok(());
    };
    for (present, key) in [
        (event.activity.is_some(), "concept:name"),
        (event.time.is_some(), "time:timestamp"),
    ] {
        if !present {
            return Err(Error::MissingXesKey {
                line,
                element: "event",
                key,
            });
        }
    }
    let mut event = event;
    event.attributes = last_per_key(std::mem::take(&mut event.attributes));
    // `complete` is the writer's default, which the log does not store.
    event.attributes.retain(|a| {
        a.name != "lifecycle:transition" || a.value != Value::String("complete".to_owned())
    });
    if let Some(trace) = &mut b.trace {
        trace.events.push(event);
    }
    Ok(())
}
