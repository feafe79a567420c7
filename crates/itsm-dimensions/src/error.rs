//! The one error type of this crate, and the problems an organisation can be refused for.

use chrono::{Duration, NaiveDate};
use itsm_core::Quoted;

/// Everything that can go wrong loading an organisation or assessing it. Each variant says
/// what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The organisation refers to records it does not declare, declares a record twice,
    /// names one twice in a list or holds a malformed value. Every problem found is listed,
    /// in the order of the data.
    #[error("the organisation has {} problem{}: {}; fix each and load it again", .problems.len(), plural(.problems.len()), problems_text(.problems))]
    InvalidOrganisation {
        /// Every problem found.
        problems: Vec<ModelProblem>,
    },
    /// A query names a service the organisation does not declare.
    #[error("there is no service `{}`; name a service the organisation declares", Quoted(.id))]
    UnknownService {
        /// The id given.
        id: String,
    },
    /// Every dimension's weight is zero, so no balanced score can be made.
    #[error("every dimension weight is 0; give at least one dimension a weight above 0")]
    ZeroWeights,
    /// The notice period for contracts is negative.
    #[error(
        "the contract notice period is {}; give a period of zero or more (such as P90D)",
        itsm_core::duration::format(*.notice)
    )]
    InvalidNotice {
        /// The period given.
        notice: Duration,
    },
    /// `today` plus the notice period is past the range of dates.
    #[error(
        "{today} plus the notice period {} is past the last date there is; give a shorter period",
        itsm_core::duration::format(*.notice)
    )]
    DateOverflow {
        /// The day of the assessment.
        today: NaiveDate,
        /// The notice period.
        notice: Duration,
    },
    /// A dependency lists no node it depends on.
    #[error(
        "dependency #{index} of `{}` depends on nothing; list at least one node in `on` (several are alternatives)",
        Quoted(.from)
    )]
    EmptyDependency {
        /// The dependency's position in the list (from 0).
        index: usize,
        /// Its `from`.
        from: String,
    },
    /// More dependency nodes or edges than the compact form holds.
    #[error("the dependencies have {count} {what}; at most {max} are supported")]
    TooLarge {
        /// Nodes or edges.
        what: &'static str,
        /// How many.
        count: usize,
        /// The limit.
        max: usize,
    },
}

/// What kind of record an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum RecordKind {
    /// A [`Person`](crate::Person).
    Person,
    /// A [`Team`](crate::Team).
    Team,
    /// A [`Practice`](crate::Practice).
    Practice,
    /// A [`Supplier`](crate::Supplier).
    Supplier,
    /// A [`Contract`](crate::Contract).
    Contract,
    /// A [`ConfigurationItem`](crate::ConfigurationItem).
    ConfigurationItem,
    /// A [`DataAsset`](crate::DataAsset).
    DataAsset,
    /// A [`Service`](crate::Service).
    Service,
    /// A service's [`ServiceRole`](crate::ServiceRole), by name.
    Role,
    /// A service's [`ValueStream`](crate::ValueStream), by name.
    ValueStream,
    /// A value stream's [`ValueStreamStep`](crate::ValueStreamStep), by name.
    Step,
    /// A skill of a person.
    Skill,
    /// A tool of a service.
    Tool,
}

impl RecordKind {
    /// Its name in messages (`configuration item`).
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Person => "person",
            RecordKind::Team => "team",
            RecordKind::Practice => "practice",
            RecordKind::Supplier => "supplier",
            RecordKind::Contract => "contract",
            RecordKind::ConfigurationItem => "configuration item",
            RecordKind::DataAsset => "data asset",
            RecordKind::Service => "service",
            RecordKind::Role => "role",
            RecordKind::ValueStream => "value stream",
            RecordKind::Step => "step",
            RecordKind::Skill => "skill",
            RecordKind::Tool => "tool",
        }
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One reason an organisation is refused; [`Error::InvalidOrganisation`] lists every one
/// found. `named_in` says where, as a phrase (`` service `payroll`, its teams ``).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelProblem {
    /// Two records of one kind share an id (or two roles, value streams or steps of one
    /// service or stream share a name).
    DuplicateId {
        /// The kind of record.
        kind: RecordKind,
        /// The id.
        id: String,
        /// Where: the list holding both.
        named_in: String,
    },
    /// A reference to a record that is not declared (a dangling reference).
    UnknownReference {
        /// The kind of record referred to.
        kind: RecordKind,
        /// The id given.
        id: String,
        /// Where it was given.
        named_in: String,
    },
    /// A list names the same record twice.
    DuplicateReference {
        /// The kind of record referred to.
        kind: RecordKind,
        /// The id given twice.
        id: String,
        /// The list.
        named_in: String,
    },
    /// A value is malformed: a time that is not `"HH:MM"`, support hours that close before
    /// they open or have no day, an availability outside 0 to 100, a response or resolution
    /// target that is not positive, an empty id.
    InvalidValue {
        /// Where.
        named_in: String,
        /// What was given and what is allowed.
        reason: String,
    },
}

impl std::fmt::Display for ModelProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelProblem::DuplicateId { kind, id, named_in } => write!(
                f,
                "{named_in}: {kind} `{}` is declared twice; ids must be unique",
                Quoted(id)
            ),
            ModelProblem::UnknownReference { kind, id, named_in } => write!(
                f,
                "{named_in}: unknown {kind} `{}`; name a declared {kind}",
                Quoted(id)
            ),
            ModelProblem::DuplicateReference { kind, id, named_in } => write!(
                f,
                "{named_in}: {kind} `{}` is listed twice; list each once",
                Quoted(id)
            ),
            ModelProblem::InvalidValue { named_in, reason } => write!(f, "{named_in}: {reason}"),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// At most this many problems are written out in the message; the field keeps them all.
const SHOWN: usize = 20;

fn problems_text(problems: &[ModelProblem]) -> String {
    let mut parts: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    if problems.len() > SHOWN {
        parts.push(format!("and {} more", problems.len() - SHOWN));
    }
    parts.join("; ")
}
