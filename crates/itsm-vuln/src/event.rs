//! What happened: the facts [`decide`](crate::decide) produces and
//! [`evolve`](crate::evolve) folds. Roll-down and roll-up are not events: the fold works
//! them out, so a command on a task of a million items is one event.

use chrono::{DateTime, Utc};
use itsm_core::{ConfigItemId, GroupId, UserId};

use crate::command::Subject;
use crate::grouping::Grouping;
use crate::model::{Closure, Deferral, ItemId, Request, Status, Target, TaskId};
use crate::risk::{Facts, Risk};

/// An event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Event {
    /// A vulnerable item was found for the first time.
    Created {
        /// The item.
        item: ItemId,
        /// The configuration item.
        ci: ConfigItemId,
        /// The vulnerability.
        vulnerability: String,
        /// The facts.
        facts: Facts,
        /// Its risk.
        risk: Risk,
        /// Its remediation target.
        target: Option<Target>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Found again while open: the facts, the risk and (by the policy's recalculation)
    /// the target are refreshed.
    Seen {
        /// The item.
        item: ItemId,
        /// The facts.
        facts: Facts,
        /// Its risk.
        risk: Risk,
        /// Its remediation target.
        target: Option<Target>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Found again after it was closed as fixed, stale or decommissioned, or resolved:
    /// open again, out of its closed tasks, its resolved and deferred tasks back to work,
    /// its target worked out afresh from now.
    Reopened {
        /// The item.
        item: ItemId,
        /// The facts.
        facts: Facts,
        /// Its risk.
        risk: Risk,
        /// Its remediation target.
        target: Option<Target>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An item closed on its own (fixed by the scanner, stale, decommissioned, or a false
    /// positive approved).
    Closed {
        /// The item.
        item: ItemId,
        /// Why.
        closure: Closure,
        /// When.
        at: DateTime<Utc>,
    },
    /// A remediation task was created (by hand, or by a remediation task rule).
    TaskCreated {
        /// The task.
        task: TaskId,
        /// Its items.
        items: Vec<ItemId>,
        /// The rule that made it and for which values (none: by hand).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        rule: Option<Grouping>,
        /// Assigned to.
        assigned_to: Option<UserId>,
        /// Assignment group.
        group: Option<GroupId>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A found or reopened item joined the open task its remediation task rule keeps for it.
    Joined {
        /// The task.
        task: TaskId,
        /// The item.
        item: ItemId,
        /// When.
        at: DateTime<Utc>,
    },
    /// Items moved out of a task into a new one.
    Split {
        /// The task split.
        task: TaskId,
        /// The new task.
        into: TaskId,
        /// The items moved.
        items: Vec<ItemId>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A task was assigned.
    Assigned {
        /// The task.
        task: TaskId,
        /// To whom.
        to: Option<UserId>,
        /// Which group.
        group: Option<GroupId>,
    },
    /// A subject's state was set by a command (start investigation, await implementation,
    /// resolve, reopen).
    Moved {
        /// The item or task.
        subject: Subject,
        /// The new state.
        to: Status,
        /// Resolution notes (resolve only).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        notes: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A subject was deferred (by an administrator, or an exception or extension approved).
    Deferred {
        /// The item or task.
        subject: Subject,
        /// Until when and why.
        deferral: Deferral,
        /// When.
        at: DateTime<Utc>,
    },
    /// A request went to the approver (an exception or false positive puts the subject in
    /// review; an extension keeps it deferred).
    Requested {
        /// The item or task.
        subject: Subject,
        /// The request.
        request: Request,
    },
    /// The approver approved (followed by what it grants: [`Event::Deferred`] or
    /// [`Event::Closed`] / [`Event::TaskClosed`]).
    Approved {
        /// The item or task.
        subject: Subject,
        /// Who.
        by: UserId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The approver rejected: back to the state before the request.
    Rejected {
        /// The item or task.
        subject: Subject,
        /// Who.
        by: UserId,
        /// Why.
        comments: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A task was closed by an administrator or an approved false positive.
    TaskClosed {
        /// The task.
        task: TaskId,
        /// How.
        closure: Closure,
        /// When.
        at: DateTime<Utc>,
    },
    /// A deferral reached its date: the subject reopens (an item follows its tasks again).
    DeferralEnded {
        /// The item or task.
        subject: Subject,
        /// When.
        at: DateTime<Utc>,
    },
    /// An item passed its reminder without being remediated.
    Approaching {
        /// The item.
        item: ItemId,
        /// Its target.
        due: DateTime<Utc>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An item passed its remediation target without being remediated.
    Missed {
        /// The item.
        item: ItemId,
        /// Its target.
        due: DateTime<Utc>,
        /// When.
        at: DateTime<Utc>,
    },
}

impl Event {
    /// Its name (the `type` tag).
    pub fn name(&self) -> &'static str {
        match self {
            Event::Created { .. } => "created",
            Event::Seen { .. } => "seen",
            Event::Reopened { .. } => "reopened",
            Event::Closed { .. } => "closed",
            Event::TaskCreated { .. } => "task_created",
            Event::Joined { .. } => "joined",
            Event::Split { .. } => "split",
            Event::Assigned { .. } => "assigned",
            Event::Moved { .. } => "moved",
            Event::Deferred { .. } => "deferred",
            Event::Requested { .. } => "requested",
            Event::Approved { .. } => "approved",
            Event::Rejected { .. } => "rejected",
            Event::TaskClosed { .. } => "task_closed",
            Event::DeferralEnded { .. } => "deferral_ended",
            Event::Approaching { .. } => "approaching",
            Event::Missed { .. } => "missed",
        }
    }
}
