//! What users, scanners and the host's schedule ask for.

use chrono::{DateTime, Utc};
use itsm_core::{ConfigItemId, GroupId, UserId};

use crate::model::{Closure, ItemId, Reason, TaskId};
use crate::risk::Facts;

/// What a shared command acts on: one vulnerable item, or a remediation task and, through
/// roll-down, its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Subject {
    /// A vulnerable item.
    Item(ItemId),
    /// A remediation task.
    Task(TaskId),
}

/// A command. Time and the actor come in the [`Context`](crate::Context).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Command {
    /// A scanner found the vulnerability on the configuration item: the item is created,
    /// its facts and risk updated, or, closed as fixed, stale or decommissioned (or
    /// resolved), reopened.
    Found {
        /// The item (the host maps the scanner's detection to it).
        item: ItemId,
        /// The configuration item.
        ci: ConfigItemId,
        /// The vulnerability's id.
        vulnerability: String,
        /// What the scanner and the CMDB say.
        facts: Facts,
        /// The id of a new remediation task, should a task rule need one for this item (the
        /// host gives a fresh id with each detection; unused when the item joins an open task
        /// or no rule applies; none: a rule needing a new task leaves the item ungrouped).
        #[cfg_attr(feature = "serde", serde(default))]
        task: Option<TaskId>,
    },
    /// A scanner no longer finds the vulnerability: closed as fixed.
    Fixed {
        /// The item.
        item: ItemId,
    },
    /// The configuration item was retired: its open items close as decommissioned (when
    /// the policy says so).
    Retired {
        /// The configuration item.
        ci: ConfigItemId,
    },
    /// Groups items into a new remediation task; its state is worked out from theirs.
    CreateTask {
        /// The new task's id.
        task: TaskId,
        /// Its items.
        items: Vec<ItemId>,
        /// Assigned to.
        #[cfg_attr(feature = "serde", serde(default))]
        assigned_to: Option<UserId>,
        /// Assignment group.
        #[cfg_attr(feature = "serde", serde(default))]
        group: Option<GroupId>,
    },
    /// Moves some of a task's items into a new task with the same assignment; both states
    /// are worked out again.
    Split {
        /// The task split.
        task: TaskId,
        /// The new task's id.
        into: TaskId,
        /// The items moved.
        items: Vec<ItemId>,
    },
    /// Assigns a task (none clears).
    Assign {
        /// The task.
        task: TaskId,
        /// To whom.
        #[cfg_attr(feature = "serde", serde(default))]
        to: Option<UserId>,
        /// Which group.
        #[cfg_attr(feature = "serde", serde(default))]
        group: Option<GroupId>,
    },
    /// An open task goes under investigation (it must be assigned).
    StartInvestigation {
        /// The task.
        task: TaskId,
    },
    /// A task under investigation is referred outside and waits for it.
    AwaitImplementation {
        /// The task.
        task: TaskId,
    },
    /// Marked remediated, waiting for the scanner to confirm.
    Resolve {
        /// The item or task.
        subject: Subject,
        /// Resolution notes.
        notes: String,
    },
    /// An administrator defers at once, without a review.
    Defer {
        /// The item or task.
        subject: Subject,
        /// Reopens then.
        until: DateTime<Utc>,
        /// Why.
        reason: Reason,
    },
    /// Asks the approver for an exception: in review, then deferred until the date.
    RequestException {
        /// The item or task.
        subject: Subject,
        /// Deferred until.
        until: DateTime<Utc>,
        /// Why.
        reason: Reason,
        /// Anything the approver should know.
        #[cfg_attr(feature = "serde", serde(default))]
        information: String,
    },
    /// Asks the approver for a later date on a deferred item or task.
    RequestExtension {
        /// The item or task.
        subject: Subject,
        /// The new date.
        until: DateTime<Utc>,
        /// Why.
        reason: Reason,
    },
    /// Asks the approver to close an open item or task as a false positive.
    MarkFalsePositive {
        /// The item or task.
        subject: Subject,
        /// Why it is not a vulnerability.
        #[cfg_attr(feature = "serde", serde(default))]
        information: String,
    },
    /// Approves the waiting request.
    Approve {
        /// The item or task.
        subject: Subject,
    },
    /// Rejects the waiting request: back to the state before it.
    Reject {
        /// The item or task.
        subject: Subject,
        /// Why.
        comments: String,
    },
    /// Back to open (a deferred, resolved or closed item or task).
    Reopen {
        /// The item or task.
        subject: Subject,
    },
    /// An administrator closes a task as canceled or fixed with exception; its items are
    /// not affected.
    CloseTask {
        /// The task.
        task: TaskId,
        /// How.
        closure: Closure,
    },
    /// The host's schedule: deferrals that ended reopen, stale items close, reminders and
    /// missed targets are reported. Tick at [`next_deadline`](crate::next_deadline).
    Tick,
}

impl Command {
    /// Its name in messages and the state diagram.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Found { .. } => "found",
            Command::Fixed { .. } => "fixed",
            Command::Retired { .. } => "retired",
            Command::CreateTask { .. } => "create_task",
            Command::Split { .. } => "split",
            Command::Assign { .. } => "assign",
            Command::StartInvestigation { .. } => "start_investigation",
            Command::AwaitImplementation { .. } => "await_implementation",
            Command::Resolve { .. } => "resolve",
            Command::Defer { .. } => "defer",
            Command::RequestException { .. } => "request_exception",
            Command::RequestExtension { .. } => "request_extension",
            Command::MarkFalsePositive { .. } => "mark_false_positive",
            Command::Approve { .. } => "approve",
            Command::Reject { .. } => "reject",
            Command::Reopen { .. } => "reopen",
            Command::CloseTask { .. } => "close_task",
            Command::Tick => "tick",
        }
    }
}
