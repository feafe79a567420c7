//! Commands: what someone asks a problem to do.

use itsm_core::{ChangeId, ConfigItemId, IncidentId, ProblemId};

use crate::model::{RootCause, Statement};

/// A record a problem links to, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", content = "id", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Link {
    /// An incident caused by the problem.
    Incident(IncidentId),
    /// A change (the fix, or the change that caused it).
    Change(ChangeId),
    /// A configuration item concerned.
    Item(ConfigItemId),
}

/// Something asked of a problem. In JSON the `command` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "command", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Command {
    /// Log a problem.
    Log(Box<Statement>),
    /// Start assessing it.
    Assess,
    /// Confirm it is a problem worth analysing: to root-cause analysis.
    Confirm,
    /// It duplicates another problem, which carries the work: closed.
    MarkDuplicate {
        /// The other problem.
        of: ProblemId,
    },
    /// Withdraw it.
    Cancel {
        /// Why.
        reason: String,
    },
    /// Record (or revise) the root cause.
    RecordRootCause(Box<RootCause>),
    /// Start the fix (often a change).
    StartFix {
        /// The change that carries the fix, if any.
        change: Option<ChangeId>,
    },
    /// Accept the risk: resolved without a fix.
    AcceptRisk {
        /// Why.
        reason: String,
    },
    /// The fix is applied: resolved.
    Resolve {
        /// What was done.
        notes: String,
    },
    /// Close a resolved problem.
    Close,
    /// Analyse again (a failed fix, or a closed, canceled or risk-accepted problem back).
    Reanalyse {
        /// Why.
        reason: String,
    },
    /// Link an incident, a change or a configuration item.
    Link {
        /// The record.
        link: Link,
    },
    /// Take a transition the vendor defined in the policy's workflow, by its name.
    Transition {
        /// The transition's command name in the workflow.
        name: String,
    },
}

impl Command {
    /// The command's name in the workflow (a vendor transition's own name).
    ///
    /// ```
    /// use itsm_problem::Command;
    ///
    /// assert_eq!(Command::AcceptRisk { reason: "cost".into() }.name(), "accept_risk");
    /// ```
    pub fn name(&self) -> &str {
        match self {
            Command::Log(_) => "log",
            Command::Assess => "assess",
            Command::Confirm => "confirm",
            Command::MarkDuplicate { .. } => "mark_duplicate",
            Command::Cancel { .. } => "cancel",
            Command::RecordRootCause(_) => "record_root_cause",
            Command::StartFix { .. } => "start_fix",
            Command::AcceptRisk { .. } => "accept_risk",
            Command::Resolve { .. } => "resolve",
            Command::Close => "close",
            Command::Reanalyse { .. } => "reanalyse",
            Command::Link { .. } => "link",
            Command::Transition { name } => name,
        }
    }
}

impl From<Statement> for Command {
    /// [`Command::Log`].
    fn from(statement: Statement) -> Self {
        Command::Log(Box::new(statement))
    }
}
