//! What happened to an event: the facts `decide` produces and `evolve` folds.

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::command::AdHocTask;
use crate::model::{Activation, CrisisId, ExerciseResult, Outcome, TaskRef, TaskStatus};
use crate::policy::Order;
use crate::spec::CrisisSpec;

/// An event of the record's history. `by` is the user whose command caused it; none when
/// the event's own rules did (a task triggered because the tasks before it are done, a plan
/// closed by its last task).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Event {
    /// The event was created and its plans activated.
    Created {
        /// Its id.
        id: CrisisId,
        /// What it is made of.
        spec: Box<CrisisSpec>,
        /// The plans activated, in the order they are numbered.
        activated: Vec<Activation>,
        /// The order its tasks run in.
        order: Order,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The event started.
    Started {
        /// When (its actual start).
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Tasks that will not be triggered by themselves: on a circular dependency or
        /// after one (ServiceNow: "you have to trigger the tasks manually").
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Vec::is_empty")
        )]
        circular: Vec<TaskRef>,
        /// First-level plans that will not open by themselves: waiting on each other in a
        /// cycle, or after such plans.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Vec::is_empty")
        )]
        circular_plans: Vec<u32>,
    },
    /// An activated plan opened: its tasks may be triggered.
    PlanOpened {
        /// The plan's number.
        plan: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// The first work on a plan's tasks started (its actual start).
    PlanStarted {
        /// The plan's number.
        plan: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// A plan closed.
    PlanClosed {
        /// The plan's number.
        plan: u32,
        /// How.
        outcome: Outcome,
        /// When.
        at: DateTime<Utc>,
        /// Who closed it by hand; none when its last task did.
        by: Option<UserId>,
    },
    /// A plan closed by its last task is running again (one of its tasks re-triggered).
    PlanReopened {
        /// The plan's number.
        plan: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// A task was triggered: it is open (an automatic one also gets
    /// [`Event::AutomationRequested`]).
    TaskTriggered {
        /// The task.
        task: TaskRef,
        /// When.
        at: DateTime<Utc>,
        /// The program manager who triggered it by hand.
        by: Option<UserId>,
    },
    /// The host is to run an automatic task's flow now; the task is in progress and the
    /// flow's outcome comes back as [`Command::Close`](crate::Command::Close).
    AutomationRequested {
        /// The task.
        task: TaskRef,
        /// When (the task's actual start).
        at: DateTime<Utc>,
    },
    /// Work on a task started.
    TaskStarted {
        /// The task.
        task: TaskRef,
        /// Its actual start.
        started: DateTime<Utc>,
        /// When it was recorded.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A task closed (closed complete, incomplete, skipped or failed).
    TaskClosed {
        /// The task.
        task: TaskRef,
        /// Its closed state.
        status: TaskStatus,
        /// Its actual end (none when skipped).
        ended: Option<DateTime<Utc>>,
        /// When it was recorded.
        at: DateTime<Utc>,
        /// Who; none when its child plan closed it.
        by: Option<UserId>,
    },
    /// A failed automatic task's backup assignee is to be told.
    BackupNotified {
        /// The task.
        task: TaskRef,
        /// The backup assignee.
        user: UserId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A task was re-triggered as a manual task: open again, its times cleared.
    TaskRetriggered {
        /// The task.
        task: TaskRef,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A task was assigned.
    TaskAssigned {
        /// The task.
        task: TaskRef,
        /// To whom.
        user: UserId,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// An ad-hoc task was added (pending; a [`Event::TaskTriggered`] follows when its plan
    /// runs).
    TaskAdded {
        /// Where, with its Task ID (the plan's highest plus one).
        task: TaskRef,
        /// The task.
        spec: AdHocTask,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// An exercise's result was recorded.
    ResultRecorded {
        /// The result.
        result: ExerciseResult,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The event was submitted for approval.
    Submitted {
        /// Its actual end.
        ended: DateTime<Utc>,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The event was approved.
    Approved {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The event was rejected and returned.
    Returned {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The event closed.
    Closed {
        /// How.
        outcome: Outcome,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The event was called off.
    Canceled {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
}
