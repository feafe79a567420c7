//! Events: facts that happened. `evolve` folds them into the state.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{ChangeId, ProblemId, UserId};

use crate::command::Link;
use crate::model::{ProblemStatus, RootCause, Statement};

/// Something that happened to a problem. Every event carries when (`at`) and who (`by`).
/// In JSON the `type` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Event {
    /// Logged.
    Logged {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// What was logged.
        statement: Arc<Statement>,
    },
    /// Assessment started.
    Assessed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Confirmed: root-cause analysis starts.
    Confirmed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Marked as a duplicate and closed.
    MarkedDuplicate {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The problem it duplicates.
        of: ProblemId,
    },
    /// Canceled.
    Canceled {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Why.
        reason: String,
    },
    /// The root cause recorded or revised.
    RootCauseRecorded {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The record.
        root_cause: RootCause,
    },
    /// The fix started.
    FixStarted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The change carrying it.
        change: Option<ChangeId>,
    },
    /// The risk accepted: resolved without a fix.
    RiskAccepted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Why.
        reason: String,
    },
    /// Resolved by the fix.
    Resolved {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// What was done.
        notes: String,
    },
    /// Closed.
    Closed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Analysis started again.
    Reanalysed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Why.
        reason: String,
    },
    /// A record linked.
    Linked {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The link.
        link: Link,
    },
    /// A workflow state entered that the other events of the same `decide` answer do not
    /// name (a vendor's state); it carries the kind, so `evolve` needs no policy.
    Entered {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The state's name.
        state: Arc<str>,
        /// Its kind.
        kind: ProblemStatus,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Logged { at, .. }
            | Event::Assessed { at, .. }
            | Event::Confirmed { at, .. }
            | Event::MarkedDuplicate { at, .. }
            | Event::Canceled { at, .. }
            | Event::RootCauseRecorded { at, .. }
            | Event::FixStarted { at, .. }
            | Event::RiskAccepted { at, .. }
            | Event::Resolved { at, .. }
            | Event::Closed { at, .. }
            | Event::Reanalysed { at, .. }
            | Event::Linked { at, .. }
            | Event::Entered { at, .. } => *at,
        }
    }

    /// Who did it.
    pub fn by(&self) -> UserId {
        match self {
            Event::Logged { by, .. }
            | Event::Assessed { by, .. }
            | Event::Confirmed { by, .. }
            | Event::MarkedDuplicate { by, .. }
            | Event::Canceled { by, .. }
            | Event::RootCauseRecorded { by, .. }
            | Event::FixStarted { by, .. }
            | Event::RiskAccepted { by, .. }
            | Event::Resolved { by, .. }
            | Event::Closed { by, .. }
            | Event::Reanalysed { by, .. }
            | Event::Linked { by, .. }
            | Event::Entered { by, .. } => *by,
        }
    }

    /// The status the event sets, for the events that set one.
    pub fn sets_status(&self) -> Option<ProblemStatus> {
        match self {
            Event::Assessed { .. } => Some(ProblemStatus::Assess),
            Event::Confirmed { .. } | Event::Reanalysed { .. } => {
                Some(ProblemStatus::RootCauseAnalysis)
            }
            Event::MarkedDuplicate { .. } | Event::Closed { .. } => Some(ProblemStatus::Closed),
            Event::Canceled { .. } => Some(ProblemStatus::Canceled),
            Event::FixStarted { .. } => Some(ProblemStatus::FixInProgress),
            Event::RiskAccepted { .. } | Event::Resolved { .. } => Some(ProblemStatus::Resolved),
            _ => None,
        }
    }
}
