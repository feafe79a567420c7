//! The problem record and its state.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Category, ChangeId, ConfigItemId, IncidentId, ProblemId, ServiceId};

/// The built-in states of a problem (ServiceNow's problem model): the *kinds* a policy's
/// workflow states follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ProblemStatus {
    /// Logged.
    New,
    /// Being assessed: is it a problem, a duplicate, worth working on?
    Assess,
    /// Looking for the root cause.
    RootCauseAnalysis,
    /// The fix is being made (often through a change).
    FixInProgress,
    /// Fixed, or the risk accepted.
    Resolved,
    /// Finished.
    Closed,
    /// Withdrawn (not a problem, or a duplicate at assessment).
    Canceled,
}

impl ProblemStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ProblemStatus; 7] = [
        ProblemStatus::New,
        ProblemStatus::Assess,
        ProblemStatus::RootCauseAnalysis,
        ProblemStatus::FixInProgress,
        ProblemStatus::Resolved,
        ProblemStatus::Closed,
        ProblemStatus::Canceled,
    ];

    /// The status's name, as in JSON and diagrams.
    pub const fn name(self) -> &'static str {
        match self {
            ProblemStatus::New => "new",
            ProblemStatus::Assess => "assess",
            ProblemStatus::RootCauseAnalysis => "root_cause_analysis",
            ProblemStatus::FixInProgress => "fix_in_progress",
            ProblemStatus::Resolved => "resolved",
            ProblemStatus::Closed => "closed",
            ProblemStatus::Canceled => "canceled",
        }
    }

    /// What the status means whatever a vendor calls it.
    ///
    /// ```
    /// use itsm_problem::{Category, ProblemStatus};
    ///
    /// assert_eq!(ProblemStatus::RootCauseAnalysis.category(), Category::Open);
    /// ```
    pub const fn category(self) -> Category {
        match self {
            ProblemStatus::New => Category::New,
            ProblemStatus::Assess
            | ProblemStatus::RootCauseAnalysis
            | ProblemStatus::FixInProgress => Category::Open,
            ProblemStatus::Resolved => Category::Resolved,
            ProblemStatus::Closed => Category::Closed,
            ProblemStatus::Canceled => Category::Canceled,
        }
    }

    /// Whether the status ends the lifecycle (closed or canceled; both may be re-analysed).
    pub const fn is_terminal(self) -> bool {
        matches!(self, ProblemStatus::Closed | ProblemStatus::Canceled)
    }
}

impl std::fmt::Display for ProblemStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a problem manager logs: everything `log` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Statement {
    /// The new problem's id (made by the host).
    pub id: ProblemId,
    /// A short statement of the problem.
    pub title: String,
    /// What is known.
    pub description: String,
    /// The vendor's category, if any.
    pub category: Option<String>,
    /// The service affected, if known.
    pub service: Option<ServiceId>,
    /// The incidents it starts from (for example a detected cluster).
    pub incidents: Vec<IncidentId>,
}

impl Statement {
    /// A statement with an id and a title; the rest empty.
    pub fn new(id: ProblemId, title: &str) -> Self {
        Statement {
            id,
            title: title.to_owned(),
            description: String::new(),
            category: None,
            service: None,
            incidents: Vec::new(),
        }
    }
}

/// How a root cause was found, as structured data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "method", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Method {
    /// Five whys: each answer the cause of the one before.
    FiveWhys {
        /// The chain of answers, from the symptom to the root.
        whys: Vec<String>,
    },
    /// A fault tree, as a list of events with their parent (index into the list; the top
    /// event has none) and the gate joining the children.
    FaultTree {
        /// The tree's events.
        events: Vec<FaultEvent>,
    },
    /// Kepner-Tregoe problem analysis: what the problem is and is not.
    KepnerTregoe {
        /// What, where, when, extent: is.
        is: Vec<String>,
        /// ... and is not.
        is_not: Vec<String>,
    },
    /// Any other method, by name, with its notes.
    Other {
        /// The method's name.
        name: String,
        /// Its notes.
        notes: String,
    },
}

/// One event of a fault tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FaultEvent {
    /// What happened.
    pub description: String,
    /// The parent event (an index into the tree's list), `None` for the top event.
    pub parent: Option<usize>,
    /// How its children combine: `true` for AND (all needed), `false` for OR.
    pub and_gate: bool,
}

/// What kind of cause it was.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum CauseCategory {
    /// Hardware failure.
    Hardware,
    /// Software defect.
    Software,
    /// Configuration error.
    Configuration,
    /// Network.
    Network,
    /// Capacity or performance.
    Capacity,
    /// A process was not followed or is wrong.
    Process,
    /// A person's error.
    Human,
    /// A supplier's product or service.
    Supplier,
    /// Facilities and environment.
    Environment,
    /// A vendor's own category.
    Other(String),
}

/// A root-cause record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RootCause {
    /// The cause, in a sentence.
    pub description: String,
    /// Its category.
    pub category: CauseCategory,
    /// How it was found.
    pub method: Method,
    /// Whether it is confirmed (a fix may need a confirmed cause, as the policy says).
    pub confirmed: bool,
}

/// How a problem was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "code", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Resolution {
    /// The fix was applied.
    FixApplied {
        /// What was done.
        notes: String,
    },
    /// The risk was accepted: no fix (too costly, or the service retires).
    RiskAccepted {
        /// Why.
        reason: String,
    },
    /// A duplicate of another problem, which carries the work.
    Duplicate {
        /// The problem it duplicates.
        of: ProblemId,
    },
}

/// A problem's whole record. Read through getters; only events change it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Problem {
    pub(crate) statement: Arc<Statement>,
    pub(crate) status: ProblemStatus,
    /// The workflow state's name when it is not the status's own.
    #[cfg_attr(
        feature = "serde",
        serde(default, rename = "state", skip_serializing_if = "Option::is_none")
    )]
    pub(crate) state_name: Option<Arc<str>>,
    pub(crate) incidents: BTreeSet<IncidentId>,
    pub(crate) changes: BTreeSet<ChangeId>,
    pub(crate) items: BTreeSet<ConfigItemId>,
    pub(crate) root_cause: Option<RootCause>,
    pub(crate) resolution: Option<Resolution>,
    pub(crate) analyses: u32,
    pub(crate) opened_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

impl Problem {
    /// The problem's id.
    pub fn id(&self) -> ProblemId {
        self.statement.id
    }
    /// What was logged.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }
    /// Its status (the kind of its workflow state).
    pub fn status(&self) -> ProblemStatus {
        self.status
    }
    /// The name of its state in the policy's workflow.
    pub fn state_name(&self) -> &str {
        self.state_name
            .as_deref()
            .unwrap_or_else(|| self.status.name())
    }
    /// The incidents linked to it.
    pub fn incidents(&self) -> &BTreeSet<IncidentId> {
        &self.incidents
    }
    /// The changes linked to it (the fix, typically).
    pub fn changes(&self) -> &BTreeSet<ChangeId> {
        &self.changes
    }
    /// The configuration items concerned.
    pub fn items(&self) -> &BTreeSet<ConfigItemId> {
        &self.items
    }
    /// The root cause, once recorded.
    pub fn root_cause(&self) -> Option<&RootCause> {
        self.root_cause.as_ref()
    }
    /// How it was resolved, once resolved.
    pub fn resolution(&self) -> Option<&Resolution> {
        self.resolution.as_ref()
    }
    /// How many times root-cause analysis started (a re-analysis after a failed fix adds one).
    pub fn analyses(&self) -> u32 {
        self.analyses
    }
    /// When it was logged.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.opened_at
    }
    /// When the last event happened.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

/// What folding a problem's events gives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "state", content = "problem", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum State {
    /// Before `log`.
    #[default]
    Unlogged,
    /// A problem.
    Logged(Box<Problem>),
}

impl State {
    /// Nothing yet.
    pub const fn new() -> Self {
        State::Unlogged
    }
    /// The problem, once logged.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            State::Unlogged => None,
            State::Logged(problem) => Some(problem),
        }
    }
    /// Folds events in place.
    pub fn apply(&mut self, events: &[crate::Event]) {
        for event in events {
            *self = crate::evolve(std::mem::take(self), event);
        }
    }
}
