//! Why an event log, or a document read as one, is refused.

use itsm_core::Quoted;

/// A refused input. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The objects and events do not make a valid log; every problem found is listed, not
    /// only the first (the message shows the first ten and how many more).
    #[error("the event log is not valid: {}", list(.problems))]
    InvalidLog {
        /// Every problem, in the order the objects and then the events are listed.
        problems: Vec<LogProblem>,
    },
    /// The text given to [`xes::from_xes`](crate::xes::from_xes) is not well-formed XML
    /// (as far as reading XES needs: tags that nest, quoted attribute values, the five
    /// predefined entities and character references, no internal DTD subset).
    #[error("line {line}: not well-formed XML: {reason}")]
    MalformedXml {
        /// The line (1-based) where the fault was seen.
        line: usize,
        /// What was wrong.
        reason: String,
    },
    /// The document's root element is not an XES `log`.
    #[error("the root element is `<{}>`; an XES document's root is `<log>`", Quoted(.root))]
    NotXes {
        /// The root element's name.
        root: String,
    },
    /// An XES trace or event lacks an attribute every one of them needs: a trace its
    /// `concept:name` (the case id), an event its `concept:name` (the activity) and
    /// `time:timestamp`.
    #[error("line {line}: this {element} has no `{key}`; every {element} needs one")]
    MissingXesKey {
        /// The line (1-based) where the trace or event ends.
        line: usize,
        /// `trace` or `event`.
        element: &'static str,
        /// The missing key.
        key: &'static str,
    },
    /// An XES attribute element lacks its `key` or its `value`.
    #[error("line {line}: a `<{}>` attribute has no `{missing}`; XES attributes have a key and a value", Quoted(.tag))]
    IncompleteXesAttribute {
        /// The line (1-based) of the element.
        line: usize,
        /// The element's name (`string`, `date`, `int`, ...).
        tag: String,
        /// `key` or `value`.
        missing: &'static str,
    },
    /// An attribute's value does not read as its type (XES) or declared type (OCEL).
    #[error("{} `{}` of {} has the value `{}`, which is not {expected}", .kind, Quoted(.key), Quoted(.owner), Quoted(.value))]
    BadValue {
        /// Where: `line N` (XES) or the object or event id (OCEL).
        owner: String,
        /// The attribute's type as given (`date`, `int`, `time`, `integer`, ...).
        kind: String,
        /// The attribute's key.
        key: String,
        /// The value as given.
        value: String,
        /// What the type allows.
        expected: &'static str,
    },
    /// An OCEL 2.0 attribute declaration names a type other than `string`, `integer`,
    /// `float`, `boolean` and `time`.
    #[error("attribute `{}` of `{}` is declared with type `{}`; OCEL 2.0 types are string, integer, float, boolean and time", Quoted(.attribute), Quoted(.of), Quoted(.declared))]
    UnknownAttributeType {
        /// The object or event type declaring it.
        of: String,
        /// The attribute's name.
        attribute: String,
        /// The type given.
        declared: String,
    },
}

/// How many problems a message shows; the error's field keeps every one.
const SHOWN: usize = 10;

/// The first [`SHOWN`] problems, then how many more: a log read from a real file can have a
/// problem per row, and one message must stay readable.
fn list(problems: &[LogProblem]) -> String {
    let mut out = problems
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if problems.len() > SHOWN {
        out.push_str(&format!(
            "; and {} more ({} problems in all)",
            problems.len() - SHOWN,
            problems.len()
        ));
    }
    out
}

/// One reason an event log is refused; [`Error::InvalidLog`] lists every one found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "problem", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum LogProblem {
    /// An object or event has an empty id.
    EmptyId {
        /// `object` or `event`.
        kind: &'static str,
        /// Its position in its list (0-based).
        index: usize,
    },
    /// Two objects, or two events, share an id.
    DuplicateId {
        /// `object` or `event`.
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A relation names an object that is not in the log.
    DanglingRelation {
        /// `object` or `event`: what the relation starts from.
        kind: &'static str,
        /// The id of the object or event the relation starts from.
        from: String,
        /// The missing object's id.
        to: String,
    },
    /// An event has an empty activity.
    EmptyActivity {
        /// The event's id.
        event: String,
    },
    /// A custom object type is empty or spells a built-in type's name (use the built-in
    /// variant instead, so one type has one spelling).
    BadObjectType {
        /// The name given.
        name: String,
    },
    /// An attribute's name is empty, or one the XES writer sets itself (`concept:name`,
    /// `time:timestamp`, `ocel:eid`).
    BadAttributeName {
        /// The id of the object or event that carries it.
        owner: String,
        /// The name given.
        name: String,
    },
    /// A `lifecycle:transition` attribute is not a string (XES's lifecycle extension
    /// spells transitions as text: `start`, `complete`, ...).
    TransitionNotText {
        /// The id of the object or event that carries it.
        owner: String,
    },
    /// A float attribute is not a finite number (JSON and XES have no NaN or infinity).
    NonFiniteFloat {
        /// The id of the object or event that carries it.
        owner: String,
        /// The attribute's name.
        attribute: String,
    },
    /// A time outside the years 0001 to 9999, which ISO 8601 timestamps in XES and OCEL
    /// cannot spell with four digits.
    TimeOutOfRange {
        /// The id of the object or event that carries it.
        owner: String,
    },
    /// One attribute of one event type (activity) or object type has values of two types;
    /// OCEL 2.0 declares one type per attribute.
    AttributeTypeConflict {
        /// The activity or object type.
        of: String,
        /// The attribute's name.
        attribute: String,
        /// The type seen first (`string`, `integer`, `float`, `boolean`, `time`).
        first: &'static str,
        /// The other type seen.
        second: &'static str,
    },
}

impl std::fmt::Display for LogProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Ids and names come from the input: quoted capped and escaped.
        let q = |text: &str| Quoted(text).to_string();
        match self {
            LogProblem::EmptyId { kind, index } => {
                write!(f, "{kind} #{index} has an empty id; ids must be non-empty")
            }
            LogProblem::DuplicateId { kind, id } => {
                write!(f, "{kind} id `{}` is used twice; ids must be unique", q(id))
            }
            LogProblem::DanglingRelation { kind, from, to } => write!(
                f,
                "{kind} `{}` is related to object `{}`, which is not in the log",
                q(from),
                q(to)
            ),
            LogProblem::EmptyActivity { event } => {
                write!(f, "event `{}` has an empty activity", q(event))
            }
            LogProblem::BadObjectType { name } => write!(
                f,
                "custom object type `{}` is empty or a built-in type's name; use the built-in type",
                q(name)
            ),
            LogProblem::BadAttributeName { owner, name } => write!(
                f,
                "`{}` has an attribute named `{}`; names must be non-empty and not concept:name, time:timestamp or ocel:eid",
                q(owner),
                q(name)
            ),
            LogProblem::TransitionNotText { owner } => write!(
                f,
                "`{}` has a `lifecycle:transition` that is not a string; transitions are text such as start or complete",
                q(owner)
            ),
            LogProblem::NonFiniteFloat { owner, attribute } => write!(
                f,
                "attribute `{}` of `{}` is not a finite number; only finite floats are allowed",
                q(attribute),
                q(owner)
            ),
            LogProblem::TimeOutOfRange { owner } => {
                write!(
                    f,
                    "`{}` has a time outside the years 0001 to 9999",
                    q(owner)
                )
            }
            LogProblem::AttributeTypeConflict {
                of,
                attribute,
                first,
                second,
            } => write!(
                f,
                "attribute `{}` of `{}` is both {first} and {second}; one type per attribute",
                q(attribute),
                q(of)
            ),
        }
    }
}
