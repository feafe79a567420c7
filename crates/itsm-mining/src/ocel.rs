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

/// An OCEL 2.0 JSON document as it stands, for [`from_document`]: deserialize it with any
/// serde format crate (`serde_json::from_str::<ocel::Document>(&text)`), so this crate parses
/// no JSON itself. Fields the standard does not name are ignored; missing lists are empty.
/// (`serde_json` reads floats exactly only with its `float_roundtrip` feature; without it
/// a float may come out a unit or so in the last place away from the document's.)
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Document {
    /// `objectTypes`: each type's name and attribute declarations.
    pub object_types: Vec<TypeDeclaration>,
    /// `eventTypes`: each event type's name and attribute declarations.
    pub event_types: Vec<TypeDeclaration>,
    /// `objects`.
    pub objects: Vec<DocumentObject>,
    /// `events`.
    pub events: Vec<DocumentEvent>,
}

/// An object or event type and its attributes, as a document declares them.
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct TypeDeclaration {
    /// The type's name.
    pub name: String,
    /// Its attributes.
    pub attributes: Vec<AttributeDeclaration>,
}

/// One declared attribute: its name and type (`string`, `integer`, `float`, `boolean`,
/// `time`).
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AttributeDeclaration {
    /// The attribute's name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: String,
}

/// An object as a document lists it.
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DocumentObject {
    /// `id`.
    pub id: String,
    /// `type`: the object type's name.
    #[serde(rename = "type")]
    pub kind: String,
    /// `attributes`, each with the time from which its value holds.
    pub attributes: Vec<DocumentAttribute>,
    /// `relationships` to other objects.
    pub relationships: Vec<DocumentRelationship>,
}

/// An event as a document lists it.
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DocumentEvent {
    /// `id`.
    pub id: String,
    /// `type`: the event type (the activity).
    #[serde(rename = "type")]
    pub kind: String,
    /// `time`, as written (RFC 3339).
    pub time: String,
    /// `attributes`.
    pub attributes: Vec<DocumentAttribute>,
    /// `relationships` to the objects it concerns.
    pub relationships: Vec<DocumentRelationship>,
}

/// An attribute value as a document writes it; `time` only on objects' attributes.
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DocumentAttribute {
    /// `name`.
    pub name: String,
    /// `time` (objects only): from when the value holds, as written.
    pub time: Option<String>,
    /// `value`; `None` for `null`.
    pub value: Option<DocumentValue>,
}

/// A JSON scalar, read as the attribute's declared type says.
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum DocumentValue {
    /// `true` or `false`.
    Boolean(bool),
    /// A whole number within 64 bits.
    Integer(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Text(String),
}

/// A qualified relationship (`objectId`, `qualifier`).
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct DocumentRelationship {
    /// The related object's id.
    pub object_id: String,
    /// The part it plays (empty when the document gives none).
    pub qualifier: String,
}

/// The OCEL 2.0 attribute types.
#[cfg(feature = "serde")]
const TYPES: [&str; 5] = ["string", "integer", "float", "boolean", "time"];

/// The declared type of each attribute, by object or event type, then attribute name.
#[cfg(feature = "serde")]
type Declared = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// The attributes of one object (`timed`: each with the time it holds from) or event, read
/// by the owner type's declarations; a `null` value skipped and counted.
#[cfg(feature = "serde")]
fn read_attributes(
    list: Vec<DocumentAttribute>,
    declared: Option<&std::collections::BTreeMap<String, String>>,
    owner: &str,
    timed: bool,
    skipped: &mut crate::read::SkipLog,
) -> Result<Vec<Attribute>, crate::Error> {
    let mut out = Vec::with_capacity(list.len());
    for a in list {
        let Some(value) = a.value else {
            skipped.add(crate::read::SkipReason::MissingValue, &a.name, || {
                owner.to_owned()
            });
            continue;
        };
        let kind = declared.and_then(|d| d.get(&a.name)).map(String::as_str);
        let value = convert(kind, value, owner, &a.name)?;
        let at = match a.time.filter(|_| timed) {
            None => None,
            Some(text) => {
                let t = crate::read::parse_time(&text).ok_or_else(|| crate::Error::BadValue {
                    owner: owner.to_owned(),
                    kind: "time".to_owned(),
                    key: a.name.clone(),
                    value: text.clone(),
                    expected: "an RFC 3339 time (when the value holds from)",
                })?;
                (t != DateTime::UNIX_EPOCH).then_some(t)
            }
        };
        out.push(Attribute {
            name: a.name,
            value,
            at,
        });
    }
    Ok(out)
}

/// `value` as the declared type `kind` (`None`: undeclared, read by its JSON type).
#[cfg(feature = "serde")]
fn convert(
    kind: Option<&str>,
    value: DocumentValue,
    owner: &str,
    key: &str,
) -> Result<Value, crate::Error> {
    let text = |v: &DocumentValue| match v {
        DocumentValue::Boolean(b) => b.to_string(),
        DocumentValue::Integer(n) => n.to_string(),
        DocumentValue::Float(x) => format!("{x:?}"),
        DocumentValue::Text(s) => s.clone(),
    };
    let bad = |expected: &'static str| crate::Error::BadValue {
        owner: owner.to_owned(),
        kind: kind.unwrap_or_default().to_owned(),
        key: key.to_owned(),
        value: text(&value),
        expected,
    };
    Ok(match (kind, &value) {
        (None, DocumentValue::Boolean(b)) => Value::Boolean(*b),
        (None, DocumentValue::Integer(n)) => Value::Integer(*n),
        (None, DocumentValue::Float(x)) => Value::Float(*x),
        (None, DocumentValue::Text(s)) => Value::String(s.clone()),
        (Some("string"), v) => Value::String(text(v)),
        (Some("integer"), DocumentValue::Integer(n)) => Value::Integer(*n),
        // A whole float within range (2.0), as some writers spell integers.
        (Some("integer"), DocumentValue::Float(x)) if x.fract() == 0.0 && x.abs() < 9.2e18 =>
        {
            #[allow(clippy::cast_possible_truncation)]
            Value::Integer(*x as i64)
        }
        (Some("integer"), DocumentValue::Text(s)) => Value::Integer(
            s.trim()
                .parse()
                .map_err(|_| bad("a whole number within 64 bits"))?,
        ),
        (Some("integer"), _) => return Err(bad("a whole number within 64 bits")),
        (Some("float"), DocumentValue::Float(x)) => Value::Float(*x),
        #[allow(clippy::cast_precision_loss)]
        (Some("float"), DocumentValue::Integer(n)) => Value::Float(*n as f64),
        (Some("float"), DocumentValue::Text(s)) => {
            Value::Float(s.trim().parse().map_err(|_| bad("a number"))?)
        }
        (Some("float"), _) => return Err(bad("a number")),
        (Some("boolean"), DocumentValue::Boolean(b)) => Value::Boolean(*b),
        (Some("boolean"), DocumentValue::Text(s)) if s == "true" || s == "false" => {
            Value::Boolean(s == "true")
        }
        (Some("boolean"), _) => return Err(bad("true or false")),
        (Some(_), DocumentValue::Text(s)) => {
            Value::Time(crate::read::parse_time(s).ok_or_else(|| bad("an RFC 3339 time"))?)
        }
        (Some(_), _) => return Err(bad("an RFC 3339 time")),
    })
}

/// Reads an OCEL 2.0 JSON document, already deserialized, as a log: object types by name
/// ([`ObjectType::named`](crate::ObjectType::named): `incident` is the built-in type, any other name a custom one),
/// event types as activities, relationships with their qualifiers. The inverse of
/// [`to_json`]: reading back what it wrote gives the same log, up to times cut to the
/// millisecond, an object attribute holding from `1970-01-01T00:00:00Z` read as one that
/// always held (the instant both stand for), and the `at` of event attributes, which the
/// log does not use and the writer does not write.
///
/// Each attribute value is read as its type's declaration says (`integer` from `2`, `2.0`
/// or `"2"`; `float` from a number or its text; `boolean` from `true` or `"true"`; `time`
/// from RFC 3339 text, UTC when it has no offset; `string` from any scalar); an undeclared
/// attribute is read by its JSON type. An object attribute at `1970-01-01T00:00:00Z`, the
/// time OCEL 2.0 tools give a value that always held, reads as one (`at: None`). An
/// attribute whose value is `null` is left out and listed in [`Imported::skipped`].
///
/// # Errors
/// [`Error::UnknownAttributeType`] for a declaration whose type OCEL 2.0 does not define,
/// [`Error::BadValue`] for the first value that does not read as its type or an event time
/// that is not RFC 3339; then [`Error::InvalidLog`] with every problem of the log read
/// (dangling relationships, repeated ids, ...).
///
/// [`Error::UnknownAttributeType`]: crate::Error::UnknownAttributeType
/// [`Error::BadValue`]: crate::Error::BadValue
/// [`Error::InvalidLog`]: crate::Error::InvalidLog
/// [`Imported::skipped`]: crate::Imported::skipped
///
/// ```
/// use itsm_mining::{ocel, ObjectType, Value};
///
/// let text = r#"{
///   "objectTypes": [{"name": "incident", "attributes": [{"name": "priority", "type": "integer"}]}],
///   "eventTypes": [{"name": "resolve", "attributes": []}],
///   "objects": [{"id": "INC1", "type": "incident",
///                "attributes": [{"name": "priority", "time": "1970-01-01T00:00:00Z", "value": "2"}]}],
///   "events": [{"id": "e1", "type": "resolve", "time": "2026-01-05T09:30:00Z",
///               "relationships": [{"objectId": "INC1", "qualifier": "incident"}]}]
/// }"#;
/// let document: ocel::Document = serde_json::from_str(text)?;
/// let read = ocel::from_document(document)?;
/// let incident = &read.log.objects()[0];
/// assert_eq!(incident.object_type, ObjectType::Incident);
/// assert_eq!((incident.attributes[0].value.clone(), incident.attributes[0].at), (Value::Integer(2), None));
/// assert_eq!(read.log.events()[0].relations[0].object, "INC1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub fn from_document(document: Document) -> Result<crate::Imported, crate::Error> {
    use std::collections::BTreeMap;

    use crate::model::{Event, Object, ObjectType};
    use crate::read::{SkipLog, parse_time};

    let declare = |list: Vec<TypeDeclaration>| -> Result<Declared, crate::Error> {
        let mut out: Declared = BTreeMap::new();
        for t in list {
            for a in t.attributes {
                if !TYPES.contains(&a.kind.as_str()) {
                    return Err(crate::Error::UnknownAttributeType {
                        of: t.name,
                        attribute: a.name,
                        declared: a.kind,
                    });
                }
                out.entry(t.name.clone())
                    .or_default()
                    .insert(a.name, a.kind);
            }
        }
        Ok(out)
    };
    let object_declared = declare(document.object_types)?;
    let event_declared = declare(document.event_types)?;
    let mut skipped = SkipLog::default();
    let relations = |list: Vec<DocumentRelationship>| -> Vec<Relation> {
        list.into_iter()
            .map(|r| Relation {
                object: r.object_id,
                qualifier: r.qualifier,
            })
            .collect()
    };

    let mut objects = Vec::with_capacity(document.objects.len());
    for o in document.objects {
        let owner = format!("object {}", o.id);
        let declared = object_declared.get(&o.kind);
        let attributes = read_attributes(o.attributes, declared, &owner, true, &mut skipped)?;
        objects.push(Object {
            id: o.id,
            object_type: ObjectType::named(&o.kind),
            attributes,
            relations: relations(o.relationships),
        });
    }

    let mut events = Vec::with_capacity(document.events.len());
    for e in document.events {
        let owner = format!("event {}", e.id);
        let time = parse_time(&e.time).ok_or_else(|| crate::Error::BadValue {
            owner: owner.clone(),
            kind: "time".to_owned(),
            key: "time".to_owned(),
            value: e.time.clone(),
            expected: "an RFC 3339 time",
        })?;
        let declared = event_declared.get(&e.kind);
        let attributes = read_attributes(e.attributes, declared, &owner, false, &mut skipped)?;
        events.push(Event {
            id: e.id,
            activity: e.kind,
            time,
            attributes,
            relations: relations(e.relationships),
        });
    }
    Ok(crate::Imported {
        log: EventLog::new(objects, events)?,
        log_attributes: Vec::new(),
        skipped: skipped.into_list(),
    })
}
