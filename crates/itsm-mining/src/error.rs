//! Why an event log is refused.

/// A refused input. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The objects and events do not make a valid log; every problem found is listed, not
    /// only the first.
    #[error("the event log is not valid: {}", list(.problems))]
    InvalidLog {
        /// Every problem, in the order the objects and then the events are listed.
        problems: Vec<LogProblem>,
    },
}

fn list(problems: &[LogProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
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
    /// `time:timestamp`, `lifecycle:transition`).
    BadAttributeName {
        /// The id of the object or event that carries it.
        owner: String,
        /// The name given.
        name: String,
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
        match self {
            LogProblem::EmptyId { kind, index } => {
                write!(f, "{kind} #{index} has an empty id; ids must be non-empty")
            }
            LogProblem::DuplicateId { kind, id } => {
                write!(f, "{kind} id `{id}` is used twice; ids must be unique")
            }
            LogProblem::DanglingRelation { kind, from, to } => write!(
                f,
                "{kind} `{from}` is related to object `{to}`, which is not in the log"
            ),
            LogProblem::EmptyActivity { event } => {
                write!(f, "event `{event}` has an empty activity")
            }
            LogProblem::BadObjectType { name } => write!(
                f,
                "custom object type `{name}` is empty or a built-in type's name; use the built-in type"
            ),
            LogProblem::BadAttributeName { owner, name } => write!(
                f,
                "`{owner}` has an attribute named `{name}`; names must be non-empty and not concept:name, time:timestamp or lifecycle:transition"
            ),
            LogProblem::NonFiniteFloat { owner, attribute } => write!(
                f,
                "attribute `{attribute}` of `{owner}` is not a finite number; only finite floats are allowed"
            ),
            LogProblem::TimeOutOfRange { owner } => {
                write!(f, "`{owner}` has a time outside the years 0001 to 9999")
            }
            LogProblem::AttributeTypeConflict {
                of,
                attribute,
                first,
                second,
            } => write!(
                f,
                "attribute `{attribute}` of `{of}` is both {first} and {second}; one type per attribute"
            ),
        }
    }
}
