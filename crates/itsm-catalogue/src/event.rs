//! Events: facts that happened, in the past tense. `evolve` folds them into the state.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Category, UserId};

use crate::catalogue::{AppRole, TaskSpec};
use crate::model::{Record, RequestId};
use crate::variable::Value;

/// One line as submitted: everything `evolve` needs, copied from the catalogue, so folding
/// needs no catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SubmittedLine {
    /// The catalogue item.
    pub item: String,
    /// The answers kept (defaults filled in, hidden variables dropped).
    pub answers: BTreeMap<String, Value>,
    /// The fulfilment plan.
    pub tasks: Vec<TaskSpec>,
    /// For an access item: the role, the expiry and the revocation task.
    #[cfg_attr(feature = "serde", serde(default))]
    pub access: Option<(AppRole, Option<DateTime<Utc>>, TaskSpec)>,
}

/// Something that happened to a request. Every event carries when (`at`), and who (`by`)
/// where a person acted. In JSON the `type` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Event {
    /// The request was submitted; every item and task starts submitted or pending.
    Submitted {
        /// When.
        at: DateTime<Utc>,
        /// Who ordered.
        by: UserId,
        /// Its id.
        id: RequestId,
        /// Whom it is for.
        requested_for: UserId,
        /// Its lines.
        lines: Arc<Vec<SubmittedLine>>,
    },
    /// An item's approval steps were requested (the approval's own `requested` event
    /// follows, wrapped).
    ApprovalRequested {
        /// When.
        at: DateTime<Utc>,
        /// The line.
        line: usize,
        /// The steps resolved to an approval policy (manager and owner named).
        policy: Arc<itsm_approval::Policy>,
    },
    /// An event of an item's running approval.
    Approval {
        /// The line.
        line: usize,
        /// The approval's event (its own `at` and `by` inside).
        event: itsm_approval::Event,
    },
    /// An item's approval approved it: to fulfilment.
    Approved {
        /// When.
        at: DateTime<Utc>,
        /// Whose answer decided.
        by: UserId,
        /// The line.
        line: usize,
        /// The approval's explanation.
        explanation: String,
    },
    /// An item's approval refused it.
    Rejected {
        /// When.
        at: DateTime<Utc>,
        /// Whose answer decided.
        by: UserId,
        /// The line.
        line: usize,
        /// The approval's explanation.
        reason: String,
    },
    /// An item without approval steps went to fulfilment.
    FulfilmentStarted {
        /// When.
        at: DateTime<Utc>,
        /// The line.
        line: usize,
    },
    /// A task opened (its item in fulfilment and the tasks before it done).
    TaskOpened {
        /// When.
        at: DateTime<Utc>,
        /// The line.
        line: usize,
        /// The task.
        task: String,
    },
    /// Work on a task started.
    TaskStarted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The line.
        line: usize,
        /// The task.
        task: String,
    },
    /// A task was completed.
    TaskCompleted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The line.
        line: usize,
        /// The task.
        task: String,
        /// What was done.
        notes: String,
    },
    /// A task was skipped.
    TaskSkipped {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The line.
        line: usize,
        /// The task.
        task: String,
        /// Why.
        reason: String,
    },
    /// Every task of an item is done.
    Fulfilled {
        /// When.
        at: DateTime<Utc>,
        /// The line.
        line: usize,
    },
    /// Access was provisioned (with its item's fulfilment).
    AccessGranted {
        /// When.
        at: DateTime<Utc>,
        /// The line.
        line: usize,
        /// Whom it is for.
        user: UserId,
        /// The application role.
        role: AppRole,
        /// When it expires.
        until: Option<DateTime<Utc>>,
    },
    /// Access passed its expiry; the revocation task opened.
    AccessExpired {
        /// When (the tick's time).
        at: DateTime<Utc>,
        /// The line.
        line: usize,
        /// The revocation task, open.
        task: TaskSpec,
    },
    /// The revocation task was completed: access revoked.
    AccessRevoked {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The line.
        line: usize,
        /// The application role.
        role: AppRole,
    },
    /// An item was canceled (its open tasks with it).
    ItemCanceled {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The line.
        line: usize,
        /// Why.
        reason: String,
    },
    /// A record entered a state: the practice-neutral hook an SLA engine consumes (a
    /// `TicketView` of `state` and `category` for `itsm-sla`). `evolve` ignores it.
    SlaHook {
        /// When.
        at: DateTime<Utc>,
        /// Which record.
        record: Record,
        /// The state entered.
        state: String,
        /// What it means.
        category: Category,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Submitted { at, .. }
            | Event::ApprovalRequested { at, .. }
            | Event::Approved { at, .. }
            | Event::Rejected { at, .. }
            | Event::FulfilmentStarted { at, .. }
            | Event::TaskOpened { at, .. }
            | Event::TaskStarted { at, .. }
            | Event::TaskCompleted { at, .. }
            | Event::TaskSkipped { at, .. }
            | Event::Fulfilled { at, .. }
            | Event::AccessGranted { at, .. }
            | Event::AccessExpired { at, .. }
            | Event::AccessRevoked { at, .. }
            | Event::ItemCanceled { at, .. }
            | Event::SlaHook { at, .. } => *at,
            Event::Approval { event, .. } => event.at(),
        }
    }

    /// The event's stable tag, as in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Submitted { .. } => "submitted",
            Event::ApprovalRequested { .. } => "approval_requested",
            Event::Approval { .. } => "approval",
            Event::Approved { .. } => "approved",
            Event::Rejected { .. } => "rejected",
            Event::FulfilmentStarted { .. } => "fulfilment_started",
            Event::TaskOpened { .. } => "task_opened",
            Event::TaskStarted { .. } => "task_started",
            Event::TaskCompleted { .. } => "task_completed",
            Event::TaskSkipped { .. } => "task_skipped",
            Event::Fulfilled { .. } => "fulfilled",
            Event::AccessGranted { .. } => "access_granted",
            Event::AccessExpired { .. } => "access_expired",
            Event::AccessRevoked { .. } => "access_revoked",
            Event::ItemCanceled { .. } => "item_canceled",
            Event::SlaHook { .. } => "sla_hook",
        }
    }
}
