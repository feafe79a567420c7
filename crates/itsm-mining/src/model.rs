//! The object-centric event log: objects of several types related to each other, and events
//! related to objects, checked once on construction.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Utc};

use crate::error::{Error, LogProblem};

/// What kind of thing an object is. The built-in types cover the ITSM records; `Other`
/// names any further type (its name must differ from the built-in ones).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ObjectType {
    /// An incident.
    Incident,
    /// A problem.
    Problem,
    /// A change.
    Change,
    /// A service request.
    Request,
    /// A configuration item.
    ConfigurationItem,
    /// A knowledge article.
    Article,
    /// An assignment group.
    Group,
    /// A person (caller, agent).
    User,
    /// A service.
    Service,
    /// Any other type, by name.
    Other(String),
}

impl ObjectType {
    /// The built-in types, in declaration order.
    pub const BUILT_IN: [ObjectType; 9] = [
        ObjectType::Incident,
        ObjectType::Problem,
        ObjectType::Change,
        ObjectType::Request,
        ObjectType::ConfigurationItem,
        ObjectType::Article,
        ObjectType::Group,
        ObjectType::User,
        ObjectType::Service,
    ];

    /// The type's name as the writers spell it: `incident`, `problem`, `change`, `request`,
    /// `configuration_item`, `article`, `group`, `user`, `service`, or the custom name.
    pub fn name(&self) -> &str {
        match self {
            ObjectType::Incident => "incident",
            ObjectType::Problem => "problem",
            ObjectType::Change => "change",
            ObjectType::Request => "request",
            ObjectType::ConfigurationItem => "configuration_item",
            ObjectType::Article => "article",
            ObjectType::Group => "group",
            ObjectType::User => "user",
            ObjectType::Service => "service",
            ObjectType::Other(name) => name,
        }
    }

    /// The type named `name`: a built-in one when the name is a built-in name, else `Other`.
    ///
    /// ```
    /// use itsm_mining::ObjectType;
    ///
    /// assert_eq!(ObjectType::named("incident"), ObjectType::Incident);
    /// assert_eq!(ObjectType::named("vendor"), ObjectType::Other("vendor".into()));
    /// ```
    pub fn named(name: &str) -> Self {
        ObjectType::BUILT_IN
            .into_iter()
            .find(|t| t.name() == name)
            .unwrap_or_else(|| ObjectType::Other(name.to_owned()))
    }
}

impl std::fmt::Display for ObjectType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A typed attribute value.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "type", content = "value", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Value {
    /// Text.
    String(String),
    /// A whole number.
    Integer(i64),
    /// A finite float (NaN and infinities are refused on construction of the log).
    Float(f64),
    /// A yes or no.
    Boolean(bool),
    /// An instant.
    Time(DateTime<Utc>),
}

impl Value {
    /// The type's name as OCEL 2.0 declares it: `string`, `integer`, `float`, `boolean`,
    /// `time`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Integer(_) => "integer",
            Value::Float(_) => "float",
            Value::Boolean(_) => "boolean",
            Value::Time(_) => "time",
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::String(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::String(text)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Integer(n)
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Boolean(b)
    }
}

impl From<DateTime<Utc>> for Value {
    fn from(t: DateTime<Utc>) -> Self {
        Value::Time(t)
    }
}

/// A named value. On an object, `at` says from when the value holds (OCEL 2.0 object
/// attributes change over time); `None` is a value that always held.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Attribute {
    /// The name.
    pub name: String,
    /// The value.
    pub value: Value,
    /// From when it holds (objects only; an event's attributes hold at the event's time).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub at: Option<DateTime<Utc>>,
}

/// A qualified relation to an object: from an object (object-to-object) or from an event
/// (event-to-object). The qualifier says what part the object plays (`affects`,
/// `assigned_to`, `caused_by`, ...); it may be empty.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Relation {
    /// The related object's id.
    pub object: String,
    /// The part it plays.
    pub qualifier: String,
}

/// An object: a record (incident, change, ...) or a thing events concern (a configuration
/// item, a group).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Object {
    /// Unique among the log's objects.
    pub id: String,
    /// What it is.
    pub object_type: ObjectType,
    /// Its attributes, each possibly changing over time.
    pub attributes: Vec<Attribute>,
    /// Its relations to other objects.
    pub relations: Vec<Relation>,
}

impl Object {
    /// An object with no attributes and no relations.
    pub fn new(id: &str, object_type: ObjectType) -> Self {
        Object {
            id: id.to_owned(),
            object_type,
            attributes: Vec::new(),
            relations: Vec::new(),
        }
    }

    /// This object with an attribute that always held.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.attributes.push(Attribute {
            name: name.to_owned(),
            value: value.into(),
            at: None,
        });
        self
    }

    /// This object with an attribute value that holds from `at`.
    #[must_use]
    pub fn with_at(mut self, name: &str, value: impl Into<Value>, at: DateTime<Utc>) -> Self {
        self.attributes.push(Attribute {
            name: name.to_owned(),
            value: value.into(),
            at: Some(at),
        });
        self
    }

    /// This object related to object `object` as `qualifier`.
    #[must_use]
    pub fn related(mut self, object: &str, qualifier: &str) -> Self {
        self.relations.push(Relation {
            object: object.to_owned(),
            qualifier: qualifier.to_owned(),
        });
        self
    }
}

/// An event: an activity that happened at a time, concerning some objects.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Event {
    /// Unique among the log's events.
    pub id: String,
    /// What happened (the OCEL event type, the XES `concept:name`).
    pub activity: String,
    /// When.
    pub time: DateTime<Utc>,
    /// Its attributes (their `at` is not used: they hold at the event's time).
    pub attributes: Vec<Attribute>,
    /// The objects it concerns.
    pub relations: Vec<Relation>,
}

impl Event {
    /// An event with no attributes and no objects.
    pub fn new(id: &str, activity: &str, time: DateTime<Utc>) -> Self {
        Event {
            id: id.to_owned(),
            activity: activity.to_owned(),
            time,
            attributes: Vec::new(),
            relations: Vec::new(),
        }
    }

    /// This event with an attribute.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.attributes.push(Attribute {
            name: name.to_owned(),
            value: value.into(),
            at: None,
        });
        self
    }

    /// This event concerning object `object` as `qualifier`.
    #[must_use]
    pub fn related(mut self, object: &str, qualifier: &str) -> Self {
        self.relations.push(Relation {
            object: object.to_owned(),
            qualifier: qualifier.to_owned(),
        });
        self
    }
}

/// Attribute names the XES writer sets itself, so an attribute may not use them: the
/// activity, the time and the event's id (`ocel:eid`, reserved on events only). (An event's `lifecycle:transition`, a string such
/// as `start` or `complete`, is its own: the writer writes `complete` only for an event
/// without one.)
pub const RESERVED_ATTRIBUTES: [&str; 3] = ["concept:name", "time:timestamp", "ocel:eid"];

/// A checked log: ids unique and non-empty, every relation names an object of the log,
/// activities non-empty, attribute names usable, floats finite, times within years
/// 0001-9999, one value type per attribute of each activity and object type.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct EventLog {
    objects: Vec<Object>,
    events: Vec<Event>,
}

fn time_ok(t: &DateTime<Utc>) -> bool {
    (1..=9999).contains(&t.year())
}

/// The attribute declarations of each activity or object type (each attribute's first
/// value type), and the conflicts already reported: lookups, so that a log with thousands
/// of attribute names is checked in linear-logarithmic time.
#[derive(Default)]
struct Declarations<'a> {
    by_owner: BTreeMap<&'a str, BTreeMap<&'a str, &'static str>>,
    reported: std::collections::BTreeSet<(&'a str, &'a str, &'static str)>,
}

impl<'a> Declarations<'a> {
    fn declare(&mut self, of: &'a str, attribute: &'a Attribute, problems: &mut Vec<LogProblem>) {
        let kind = attribute.value.type_name();
        let first = *self
            .by_owner
            .entry(of)
            .or_default()
            .entry(&attribute.name)
            .or_insert(kind);
        if first != kind && self.reported.insert((of, &attribute.name, kind)) {
            problems.push(LogProblem::AttributeTypeConflict {
                of: of.to_owned(),
                attribute: attribute.name.clone(),
                first,
                second: kind,
            });
        }
    }
}

/// Checks attributes of an object (`event: false`) or an event: `ocel:eid` is reserved on
/// events only (the XES writer writes it as the event's id).
fn check_attributes(
    owner: &str,
    attributes: &[Attribute],
    event: bool,
    problems: &mut Vec<LogProblem>,
) {
    for a in attributes {
        let reserved =
            RESERVED_ATTRIBUTES.contains(&a.name.as_str()) && (event || a.name != "ocel:eid");
        if a.name.is_empty() || reserved {
            problems.push(LogProblem::BadAttributeName {
                owner: owner.to_owned(),
                name: a.name.clone(),
            });
        }
        if a.name == "lifecycle:transition" && !matches!(a.value, Value::String(_)) {
            problems.push(LogProblem::TransitionNotText {
                owner: owner.to_owned(),
            });
        }
        if matches!(a.value, Value::Float(x) if !x.is_finite()) {
            problems.push(LogProblem::NonFiniteFloat {
                owner: owner.to_owned(),
                attribute: a.name.clone(),
            });
        }
        let bad_time = matches!(&a.value, Value::Time(t) if !time_ok(t))
            || a.at.as_ref().is_some_and(|t| !time_ok(t));
        if bad_time {
            problems.push(LogProblem::TimeOutOfRange {
                owner: owner.to_owned(),
            });
        }
    }
}

impl EventLog {
    /// Checks and builds a log.
    ///
    /// # Errors
    /// [`Error::InvalidLog`], listing every problem found (not only the first): empty or
    /// repeated ids, relations to objects not in the log, empty activities, custom object
    /// types spelling a built-in name, empty or reserved attribute names
    /// ([`RESERVED_ATTRIBUTES`]), a `lifecycle:transition` that is not a string, non-finite floats, times outside years 0001-9999, and an
    /// attribute with two value types within one activity or object type.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_mining::{Error, Event, EventLog, LogProblem, Object, ObjectType};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let err = EventLog::new(
    ///     vec![Object::new("INC1", ObjectType::Incident), Object::new("INC1", ObjectType::Incident)],
    ///     vec![Event::new("e1", "resolve", t).related("CI9", "affects")],
    /// );
    /// let Err(Error::InvalidLog { problems }) = err else { panic!() };
    /// assert_eq!(problems, [
    ///     LogProblem::DuplicateId { kind: "object", id: "INC1".into() },
    ///     LogProblem::DanglingRelation { kind: "event", from: "e1".into(), to: "CI9".into() },
    /// ]);
    /// ```
    pub fn new(objects: Vec<Object>, events: Vec<Event>) -> Result<Self, Error> {
        let mut problems = Vec::new();
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        let mut types = Declarations::default();
        for (index, o) in objects.iter().enumerate() {
            if o.id.is_empty() {
                problems.push(LogProblem::EmptyId {
                    kind: "object",
                    index,
                });
            } else if !ids.insert(&o.id) {
                problems.push(LogProblem::DuplicateId {
                    kind: "object",
                    id: o.id.clone(),
                });
            }
            if let ObjectType::Other(name) = &o.object_type {
                if name.is_empty() || ObjectType::named(name) != o.object_type {
                    let problem = LogProblem::BadObjectType { name: name.clone() };
                    if !problems.contains(&problem) {
                        problems.push(problem);
                    }
                }
            }
            check_attributes(&o.id, &o.attributes, false, &mut problems);
            for a in &o.attributes {
                types.declare(o.object_type.name(), a, &mut problems);
            }
        }
        for o in &objects {
            for r in &o.relations {
                if !ids.contains(r.object.as_str()) {
                    problems.push(LogProblem::DanglingRelation {
                        kind: "object",
                        from: o.id.clone(),
                        to: r.object.clone(),
                    });
                }
            }
        }
        let mut event_ids: BTreeSet<&str> = BTreeSet::new();
        let mut activities = Declarations::default();
        for (index, e) in events.iter().enumerate() {
            if e.id.is_empty() {
                problems.push(LogProblem::EmptyId {
                    kind: "event",
                    index,
                });
            } else if !event_ids.insert(&e.id) {
                problems.push(LogProblem::DuplicateId {
                    kind: "event",
                    id: e.id.clone(),
                });
            }
            if e.activity.is_empty() {
                problems.push(LogProblem::EmptyActivity {
                    event: e.id.clone(),
                });
            }
            if !time_ok(&e.time) {
                problems.push(LogProblem::TimeOutOfRange {
                    owner: e.id.clone(),
                });
            }
            check_attributes(&e.id, &e.attributes, true, &mut problems);
            for a in &e.attributes {
                activities.declare(&e.activity, a, &mut problems);
            }
            for r in &e.relations {
                if !ids.contains(r.object.as_str()) {
                    problems.push(LogProblem::DanglingRelation {
                        kind: "event",
                        from: e.id.clone(),
                        to: r.object.clone(),
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::InvalidLog { problems });
        }
        Ok(EventLog { objects, events })
    }

    /// The objects, as given.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// The events, as given.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The distinct activities, sorted.
    pub fn activities(&self) -> BTreeSet<&str> {
        self.events.iter().map(|e| e.activity.as_str()).collect()
    }

    /// The distinct object types, sorted.
    pub fn object_types(&self) -> BTreeSet<&ObjectType> {
        self.objects.iter().map(|o| &o.object_type).collect()
    }

    /// The attribute declarations OCEL 2.0 lists: per activity (`events == true`) or per
    /// object type, each attribute's name and type in first-seen order.
    pub(crate) fn declarations(
        &self,
        events: bool,
    ) -> BTreeMap<String, Vec<(String, &'static str)>> {
        // Each owner's list in first-seen order, with the names it holds beside it (a
        // lookup per attribute, not a scan of the list).
        type Listed = (Vec<(String, &'static str)>, BTreeSet<String>);
        let mut out: BTreeMap<String, Listed> = BTreeMap::new();
        let mut add = |of: &str, attributes: &[Attribute]| {
            let (list, seen) = out.entry(of.to_owned()).or_default();
            for a in attributes {
                if !seen.contains(a.name.as_str()) {
                    seen.insert(a.name.clone());
                    list.push((a.name.clone(), a.value.type_name()));
                }
            }
        };
        if events {
            for e in &self.events {
                add(&e.activity, &e.attributes);
            }
        } else {
            for o in &self.objects {
                add(o.object_type.name(), &o.attributes);
            }
        }
        out.into_iter().map(|(of, (list, _))| (of, list)).collect()
    }

    /// Flattening on one object type: one case per object of `case_type` that some event
    /// concerns, in the order the objects are listed, with the events concerning it (each
    /// once, whatever the number of relations) sorted by time, ties in log order. Objects no
    /// event concerns give no case (process-mining tools drop empty traces).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_mining::{Event, EventLog, Object, ObjectType};
    ///
    /// let t = |h| Utc.with_ymd_and_hms(2026, 1, 5, h, 0, 0).unwrap();
    /// let log = EventLog::new(
    ///     vec![Object::new("INC1", ObjectType::Incident), Object::new("INC2", ObjectType::Incident)],
    ///     vec![
    ///         Event::new("e2", "resolve", t(10)).related("INC1", "incident"),
    ///         Event::new("e1", "open", t(9)).related("INC1", "incident"),
    ///     ],
    /// )?;
    /// let cases = log.cases(&ObjectType::Incident);
    /// assert_eq!(cases.len(), 1);
    /// assert_eq!(cases[0].1.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["e1", "e2"]);
    /// # Ok::<(), itsm_mining::Error>(())
    /// ```
    pub fn cases(&self, case_type: &ObjectType) -> Vec<(&Object, Vec<&Event>)> {
        let mut slot: BTreeMap<&str, usize> = BTreeMap::new();
        let mut cases: Vec<(&Object, Vec<&Event>)> = Vec::new();
        for o in self.objects.iter().filter(|o| &o.object_type == case_type) {
            slot.insert(&o.id, cases.len());
            cases.push((o, Vec::new()));
        }
        for e in &self.events {
            let mut seen: BTreeSet<usize> = BTreeSet::new();
            for r in &e.relations {
                let Some(&i) = slot.get(r.object.as_str()) else {
                    continue;
                };
                if seen.insert(i) {
                    if let Some((_, events)) = cases.get_mut(i) {
                        events.push(e);
                    }
                }
            }
        }
        cases.retain(|(_, events)| !events.is_empty());
        for (_, events) in &mut cases {
            // Stable: ties keep the log's order.
            events.sort_by_key(|e| e.time);
        }
        cases
    }
}
