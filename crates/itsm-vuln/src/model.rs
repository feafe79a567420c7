//! The board: vulnerable items and remediation tasks as the events left them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use itsm_core::{ConfigItemId, GroupId, UserId};

use crate::risk::{Facts, Risk, named};

itsm_core::id_type!(
    /// A vulnerable item: one vulnerability found on one configuration item (ServiceNow's
    /// VIT).
    ItemId
);
itsm_core::id_type!(
    /// A remediation task: a group of vulnerable items remediated together.
    TaskId
);

named! {
    /// The state of a vulnerable item or a remediation task (ServiceNow's state model).
    Status {
        /// Found, nobody on it yet.
        Open => "open",
        /// Someone is investigating.
        UnderInvestigation => "under_investigation",
        /// Referred outside (a change, a patch) and waiting for it.
        AwaitingImplementation => "awaiting_implementation",
        /// An exception or a false positive is waiting for its approver.
        InReview => "in_review",
        /// The owner says it is remediated; the scanner confirms (closed) or finds it again.
        Resolved => "resolved",
        /// Not to be remediated until a date.
        Deferred => "deferred",
        /// Done.
        Closed => "closed",
    }
}

impl Status {
    /// ServiceNow's precedence, higher wins: closed > deferred > resolved > in review >
    /// awaiting implementation > under investigation > open.
    pub fn precedence(self) -> u8 {
        match self {
            Status::Open => 0,
            Status::UnderInvestigation => 1,
            Status::AwaitingImplementation => 2,
            Status::InReview => 3,
            Status::Resolved => 4,
            Status::Deferred => 5,
            Status::Closed => 6,
        }
    }

    /// Open, under investigation or awaiting implementation: where work is still to do and
    /// an exception may be asked.
    pub fn is_actionable(self) -> bool {
        matches!(
            self,
            Status::Open | Status::UnderInvestigation | Status::AwaitingImplementation
        )
    }
}

named! {
    /// Why an item or task is closed (its substate).
    Closure {
        /// The scanner no longer finds it.
        Fixed => "fixed",
        /// Approved as a false positive.
        FalsePositive => "false_positive",
        /// Canceled (a task closed by an administrator; its items are not affected).
        Canceled => "canceled",
        /// Closed with an exception (a task; its items are not affected).
        FixedWithException => "fixed_with_exception",
        /// Not seen by the scanner for longer than the policy's stale period.
        Stale => "stale",
        /// Its configuration item was retired.
        CiDecommissioned => "ci_decommissioned",
    }
}

impl Closure {
    /// A task closed like this leaves its items alone (ServiceNow: "If the remediation task
    /// state changes to Closed, and its resolution to Canceled or Fixed with Exception, the
    /// item is not affected").
    pub fn leaves_items(self) -> bool {
        matches!(self, Closure::Canceled | Closure::FixedWithException)
    }

    /// A new detection reopens an item closed like this (fixed, stale, decommissioned).
    pub fn reopened_by_scan(self) -> bool {
        matches!(
            self,
            Closure::Fixed | Closure::Stale | Closure::CiDecommissioned
        )
    }
}

named! {
    /// Why remediation is deferred (ServiceNow's exception reasons).
    Reason {
        /// Waiting for a maintenance window.
        AwaitingMaintenanceWindow => "awaiting_maintenance_window",
        /// No fix exists yet.
        FixUnavailable => "fix_unavailable",
        /// The risk is accepted.
        RiskAccepted => "risk_accepted",
        /// A mitigating control is in place.
        MitigatingControl => "mitigating_control",
        /// A false positive, deferred by an administrator without a review.
        FalsePositive => "false_positive",
        /// Something else (say what in the information).
        Other => "other",
    }
}

/// A deferral: until when, and why (none when a task's items differ in reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Deferral {
    /// When it reopens.
    pub until: DateTime<Utc>,
    /// Why.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub reason: Option<Reason>,
}

/// What a request asks its approver for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Ask {
    /// An exception: deferred until a date once approved.
    Exception {
        /// The deferral asked for.
        until: DateTime<Utc>,
        /// Why.
        reason: Reason,
    },
    /// A longer deferral of a deferred item or task.
    Extension {
        /// The new date.
        until: DateTime<Utc>,
        /// Why.
        reason: Reason,
    },
    /// Closed as a false positive once approved.
    FalsePositive,
}

/// A request waiting for its approver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Request {
    /// What it asks.
    pub ask: Ask,
    /// Who asked.
    pub by: UserId,
    /// When.
    pub at: DateTime<Utc>,
    /// What to go back to if it is rejected: a task's state, or an item's own state (none:
    /// the item followed its tasks; an extension changes no state and keeps the current).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub back_to: Option<Own>,
}

/// A remediation target worked out by a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Target {
    /// The rule that set it.
    pub rule: String,
    /// When the item is due remediated.
    pub due: DateTime<Utc>,
    /// When it is reported as approaching its target (none: never).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub remind: Option<DateTime<Utc>>,
    /// The reminder went out.
    #[cfg_attr(feature = "serde", serde(default))]
    pub reminded: bool,
    /// The miss was reported.
    #[cfg_attr(feature = "serde", serde(default))]
    pub missed: bool,
}

named! {
    /// Where an item stands against its remediation target (ServiceNow's *Remediation
    /// status*).
    Progress {
        /// No rule applies (or the item is deferred or resolved: no target is shown).
        NoTarget => "no_target",
        /// Before the reminder.
        OnTrack => "on_track",
        /// Past the reminder, before the target.
        ApproachingTarget => "approaching_target",
        /// Past the target, still not closed.
        TargetMissed => "target_missed",
        /// Closed by its target.
        TargetMet => "target_met",
        /// Closed after its target.
        ClosedLate => "closed_late",
    }
}

/// A vulnerable item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Item {
    /// Its id.
    pub id: ItemId,
    /// The configuration item it is on.
    pub ci: ConfigItemId,
    /// The vulnerability (a CVE or the scanner's id).
    pub vulnerability: String,
    /// What the scanner last reported.
    pub facts: Facts,
    /// Its risk, from the policy's calculator.
    pub risk: Risk,
    /// Its state: its own, or the highest-precedence one of its tasks'.
    pub status: Status,
    /// Why it is closed.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub closure: Option<Closure>,
    /// Until when it is deferred (deferred only).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub deferral: Option<Deferral>,
    /// A state set on the item itself (none: it follows its tasks).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub own: Option<Own>,
    /// A request waiting for its approver.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub request: Option<Request>,
    /// The remediation tasks it is in.
    #[cfg_attr(feature = "serde", serde(default))]
    pub tasks: BTreeSet<TaskId>,
    /// First found.
    pub first_found: DateTime<Utc>,
    /// Last found by the scanner.
    pub last_found: DateTime<Utc>,
    /// Last opened (created or reopened): where its target counts from.
    pub opened: DateTime<Utc>,
    /// When it closed (closed only).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub closed_at: Option<DateTime<Utc>>,
    /// Its remediation target (none: no rule applies).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub target: Option<Target>,
    /// How many times it was deferred (an extension counts too).
    #[cfg_attr(feature = "serde", serde(default))]
    pub deferrals: u32,
    /// How many times it was reopened.
    #[cfg_attr(feature = "serde", serde(default))]
    pub reopened: u32,
    #[cfg_attr(feature = "serde", serde(skip))]
    #[cfg_attr(feature = "schemars", schemars(skip))]
    pub(crate) sched: crate::agenda::Sched,
}

/// A state with what goes with it: set on an item itself (it counts with its tasks' states
/// by precedence), or a state to go back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Own {
    /// The state.
    pub status: Status,
    /// Why closed (closed only).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub closure: Option<Closure>,
    /// Until when deferred (deferred only).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub deferral: Option<Deferral>,
}

impl Item {
    /// Where it stands against its remediation target at `now`. Deferred and resolved items
    /// show no target (ServiceNow shows the date only for items not deferred, resolved or
    /// closed); a closed one is met or late by its closing time.
    pub fn progress(&self, now: DateTime<Utc>) -> Progress {
        let Some(target) = &self.target else {
            return Progress::NoTarget;
        };
        match self.status {
            Status::Closed => match self.closed_at {
                Some(at) if at > target.due => Progress::ClosedLate,
                _ => Progress::TargetMet,
            },
            Status::Deferred | Status::Resolved => Progress::NoTarget,
            _ if now >= target.due => Progress::TargetMissed,
            _ if target.remind.is_some_and(|r| now >= r) => Progress::ApproachingTarget,
            _ => Progress::OnTrack,
        }
    }

    /// How long it has been active at `now` (since last opened); none when closed
    /// (ServiceNow's *Age*).
    pub fn age(&self, now: DateTime<Utc>) -> Option<chrono::TimeDelta> {
        (self.status != Status::Closed).then(|| now.signed_duration_since(self.opened))
    }

    /// How long it was active before it closed (ServiceNow's *Age closed*); none while
    /// open.
    pub fn age_closed(&self) -> Option<chrono::TimeDelta> {
        self.closed_at.map(|c| c.signed_duration_since(self.opened))
    }
}

/// A remediation task.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Task {
    /// Its id.
    pub id: TaskId,
    /// Its state.
    pub status: Status,
    /// Why it is closed.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub closure: Option<Closure>,
    /// Until when it is deferred.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub deferral: Option<Deferral>,
    /// A request waiting for its approver.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub request: Option<Request>,
    /// Who it is assigned to.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub assigned_to: Option<UserId>,
    /// The assignment group.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub group: Option<GroupId>,
    /// Its items.
    #[cfg_attr(feature = "serde", serde(default))]
    pub items: BTreeSet<ItemId>,
    /// Resolution notes.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub notes: Option<String>,
    /// How many times it was deferred.
    #[cfg_attr(feature = "serde", serde(default))]
    pub deferrals: u32,
    /// The remediation task rule that made it, and for which values (none: made by hand).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub rule: Option<crate::grouping::Grouping>,
    #[cfg_attr(feature = "serde", serde(skip))]
    #[cfg_attr(feature = "schemars", schemars(skip))]
    pub(crate) tally: crate::rollup::Tally,
    #[cfg_attr(feature = "serde", serde(skip))]
    #[cfg_attr(feature = "schemars", schemars(skip))]
    pub(crate) sched: crate::agenda::Sched,
}

impl Task {
    /// Assigned to someone or some group.
    pub fn is_assigned(&self) -> bool {
        self.assigned_to.is_some() || self.group.is_some()
    }

    /// Its state counts for its items: not closed as canceled or fixed with exception.
    pub fn counts(&self) -> bool {
        !(self.status == Status::Closed && self.closure.is_some_and(Closure::leaves_items))
    }
}

/// Every vulnerable item and remediation task, as the events left them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Board {
    /// The items by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub items: BTreeMap<ItemId, Item>,
    /// The tasks by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub tasks: BTreeMap<TaskId, Task>,
    /// The time of the last command decided (commands may not go back in time).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub last: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "serde", serde(skip))]
    #[cfg_attr(feature = "schemars", schemars(skip))]
    pub(crate) index: crate::rollup::Index,
}

impl Board {
    /// An empty board.
    pub fn new() -> Self {
        Board::default()
    }

    /// An item.
    pub fn item(&self, id: ItemId) -> Option<&Item> {
        self.items.get(&id)
    }

    /// A task.
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(&id)
    }

    /// Folds events in order (as [`evolve`](crate::evolve) does, in place).
    pub fn apply(&mut self, events: &[crate::Event]) {
        for event in events {
            crate::fold::apply(self, event);
        }
    }
}
