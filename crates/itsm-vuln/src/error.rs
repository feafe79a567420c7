//! Why a policy or a command is refused.

use chrono::{DateTime, Utc};
use itsm_core::{ConfigItemId, Quoted};

use crate::model::{Closure, ItemId, Status, TaskId};

/// Everything this crate refuses. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // The policy.
    /// A calculator or target rule without a name.
    #[error("a rule has an empty name; name every calculator and target rule")]
    EmptyRuleName,
    /// A calculator rule conditioned on the rating it is to work out.
    #[error(
        "calculator rule `{}` has a rating condition; a calculator works the rating out, so condition it on the facts only",
        Quoted(rule)
    )]
    RatingInCalculator {
        /// The rule.
        rule: String,
    },
    /// Points outside 0 to 100.
    #[error(
        "rule `{}` gives {points} points; points run from 0 to 100",
        Quoted(rule)
    )]
    PointsOutOfRange {
        /// The rule.
        rule: String,
        /// The points.
        points: u8,
    },
    /// A weighted rule whose weights add up to more than 100 percent.
    #[error(
        "risk rule `{}` has weights adding up to {total} %; at most 100 % keeps the score within 0 to 100",
        Quoted(rule)
    )]
    WeightsOver100 {
        /// The rule.
        rule: String,
        /// The sum of its weights.
        total: u32,
    },
    /// Rating bounds not strictly descending within 1 to 100.
    #[error(
        "the rating scale critical {critical}, high {high}, medium {medium}, low {low} is not strictly descending within 100 to 1"
    )]
    BadScale {
        /// The lowest critical score.
        critical: u8,
        /// The lowest high score.
        high: u8,
        /// The lowest medium score.
        medium: u8,
        /// The lowest low score.
        low: u8,
    },
    /// A target rule's days out of range.
    #[error(
        "target rule `{}` is due in {days} days with a reminder {remind} days before; days run up to 36525 and the reminder comes at most the target's days before it",
        Quoted(rule)
    )]
    BadTargetDays {
        /// The rule.
        rule: String,
        /// Its days.
        days: u32,
        /// Its reminder's days.
        remind: u32,
    },
    /// Too many of something.
    #[error("{count} {what} is more than the {max} allowed")]
    TooMany {
        /// What.
        what: &'static str,
        /// How many.
        count: usize,
        /// The most allowed.
        max: usize,
    },

    // Commands.
    /// The command's time is before the last command's.
    #[error(
        "the command is at {now}, before the last command at {last}; commands come in time order"
    )]
    ClockWentBackwards {
        /// The command's time.
        now: DateTime<Utc>,
        /// The last command's.
        last: DateTime<Utc>,
    },
    /// The actor has none of the roles the command needs.
    #[error("`{command}` needs one of the roles {roles}")]
    Forbidden {
        /// The command.
        command: &'static str,
        /// The roles that may.
        roles: String,
    },
    /// No such item.
    #[error("there is no vulnerable item {0}")]
    UnknownItem(ItemId),
    /// No such task.
    #[error("there is no remediation task {0}")]
    UnknownTask(TaskId),
    /// The task id is taken.
    #[error("remediation task {0} exists already; give a new id")]
    TaskExists(TaskId),
    /// The vulnerability id is empty.
    #[error("the vulnerability id is empty; give the CVE or the scanner's id")]
    EmptyVulnerability,
    /// A found item's configuration item or vulnerability differs from the one on record.
    #[error(
        "vulnerable item {item} is `{}` on configuration item {ci}; one item is one vulnerability on one configuration item, so report another with a new item id",
        Quoted(vulnerability)
    )]
    ItemMismatch {
        /// The item.
        item: ItemId,
        /// The vulnerability on record.
        vulnerability: String,
        /// The configuration item on record.
        ci: ConfigItemId,
    },
    /// A task given no items.
    #[error("a remediation task needs at least one vulnerable item")]
    NoItems,
    /// An item named twice.
    #[error("vulnerable item {0} is listed twice")]
    DuplicateItem(ItemId),
    /// A split naming an item not in the task.
    #[error("vulnerable item {item} is not in remediation task {task}; split only its own items")]
    NotInTask {
        /// The item.
        item: ItemId,
        /// The task.
        task: TaskId,
    },
    /// A split taking every item.
    #[error("the split takes every item of remediation task {0}; leave at least one behind")]
    SplitTakesAll(TaskId),
    /// A command the state does not allow.
    #[error("`{command}` is not allowed on a {status} {what}; it is allowed {allowed}")]
    WrongState {
        /// The command.
        command: &'static str,
        /// Item or task.
        what: &'static str,
        /// Its state.
        status: Status,
        /// Where it is allowed.
        allowed: &'static str,
    },
    /// An investigation started on a task nobody is assigned.
    #[error(
        "remediation task {0} is assigned to nobody; assign a person or a group to start investigating"
    )]
    Unassigned(TaskId),
    /// A deferral date not after now.
    #[error("the deferral runs until {until}, not after now ({now}); give a later date")]
    UntilPassed {
        /// The date given.
        until: DateTime<Utc>,
        /// Now.
        now: DateTime<Utc>,
    },
    /// A deferral longer than the policy allows.
    #[error(
        "the exception runs until {until}, past the {days} days the policy allows (until {limit}); ask for a shorter one"
    )]
    TooLong {
        /// The date given.
        until: DateTime<Utc>,
        /// The policy's limit in days.
        days: u32,
        /// The latest date allowed.
        limit: DateTime<Utc>,
    },
    /// An extension not moving the date later.
    #[error(
        "the extension runs until {until}, not after the current deferral's {current}; give a later date"
    )]
    NotLater {
        /// The date given.
        until: DateTime<Utc>,
        /// The current date.
        current: DateTime<Utc>,
    },
    /// A request already waiting.
    #[error("a request is already waiting for its approver; approve or reject it first")]
    RequestPending,
    /// Approve or reject with nothing waiting.
    #[error("no request is waiting for an approver")]
    NoRequest,
    /// The requester approving their own request.
    #[error("the requester cannot approve or reject their own request; another approver must")]
    OwnRequest,
    /// A rejection without comments.
    #[error("a rejection needs comments saying why")]
    EmptyComment,
    /// A task closure that is not an administrator's.
    #[error(
        "a remediation task is closed by an administrator as canceled or fixed_with_exception, not as {0}; the scanner closes the rest"
    )]
    WrongClosure(Closure),
    /// Reopening an item closed because its configuration item was retired.
    #[error(
        "vulnerable item {0} is closed because its configuration item was retired; it cannot be reopened by hand"
    )]
    Decommissioned(ItemId),
    /// Reopening a task whose items are all closed.
    #[error(
        "every vulnerable item of remediation task {0} is closed, so it would close again at once; reopen an item first"
    )]
    AllItemsClosed(TaskId),
    /// A time out of chrono's range.
    #[error("{what} falls outside the dates this crate can represent")]
    OutOfRange {
        /// What was computed.
        what: &'static str,
    },
}
