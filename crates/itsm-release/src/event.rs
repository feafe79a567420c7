//! What happened to a release: the facts `decide` returns and `evolve` folds.

use chrono::{DateTime, NaiveDate, Utc};
use itsm_core::UserId;

use crate::command::{Outcome, TaskRef};
use crate::model::{CheckStatus, ReleaseId};
use crate::plan::{Plan, TaskSpec};
use crate::policy::RestartTasks;

/// An event. Each carries its instant (`at`); events of a late tick carry the instant each
/// fell due.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Event {
    /// The release was recorded.
    Created {
        /// Its id.
        release: ReleaseId,
        /// Its plan (boxed: it is large).
        plan: Box<Plan>,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The release started.
    Started {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A phase started (on its date, by hand, or after the one before it completed).
    PhaseStarted {
        /// The phase's index.
        phase: usize,
        /// When.
        at: DateTime<Utc>,
    },
    /// Tasks were opened (approval tasks requested).
    TasksOpened {
        /// Their positions.
        tasks: Vec<TaskRef>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Work started on a task.
    TaskStarted {
        /// The task.
        task: TaskRef,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A task was closed.
    TaskClosed {
        /// The task.
        task: TaskRef,
        /// How.
        outcome: Outcome,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// An approval task was approved (closed complete).
    TaskApproved {
        /// The task.
        task: TaskRef,
        /// When.
        at: DateTime<Utc>,
        /// The approver.
        by: UserId,
    },
    /// An approval task was rejected.
    TaskRejected {
        /// The task.
        task: TaskRef,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
        /// The approver.
        by: UserId,
    },
    /// A rejected approval task was requested again.
    TaskRerequested {
        /// The task.
        task: TaskRef,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A task was added at the end of a phase, pending.
    TaskAdded {
        /// The phase's index.
        phase: usize,
        /// The task.
        task: TaskSpec,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A check was mapped to a phase, not run.
    CheckMapped {
        /// The phase's index.
        phase: usize,
        /// The check.
        check: String,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A check was removed from a phase.
    CheckUnmapped {
        /// The phase's index.
        phase: usize,
        /// The check.
        check: String,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Checks of a phase were asked to run; each is running until its result is recorded.
    ChecksRequested {
        /// The phase's index.
        phase: usize,
        /// The checks.
        checks: Vec<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A check's result was recorded.
    CheckRecorded {
        /// The phase's index.
        phase: usize,
        /// The check.
        check: String,
        /// The result (compliant with exception where an exception covered a failure).
        status: CheckStatus,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// An exception was granted for a check.
    ExceptionGranted {
        /// The check.
        check: String,
        /// When it starts.
        from: DateTime<Utc>,
        /// When it ends (exclusive).
        to: DateTime<Utc>,
        /// Why.
        justification: String,
        /// When granted.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A phase completed.
    PhaseCompleted {
        /// The phase's index.
        phase: usize,
        /// Completed with checks not passing, by an override role.
        forced: bool,
        /// When.
        at: DateTime<Utc>,
        /// Who completed it by hand; `None` when the rules did.
        by: Option<UserId>,
    },
    /// A stage release restarted from a completed phase.
    Restarted {
        /// The phase it restarted from (now in progress).
        from: usize,
        /// The phase that was in progress (now pending; `None` when none was).
        current: Option<usize>,
        /// What happened to the reset phases' tasks.
        tasks: RestartTasks,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The readiness target moved; a timeline release's key dates moved by `days`.
    Retargeted {
        /// The target before.
        from: Option<NaiveDate>,
        /// The target now.
        to: NaiveDate,
        /// Days the key dates of a timeline release moved by (0 for a stage release, or a
        /// first target).
        days: i64,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A phase in progress reached the end of its end date without being done (a notice).
    PhaseEndReached {
        /// The phase's index.
        phase: usize,
        /// The end of its end date.
        at: DateTime<Utc>,
    },
    /// A task not closed is near its due date (a notice).
    TaskDueSoon {
        /// The task.
        task: TaskRef,
        /// Its due date.
        due: NaiveDate,
        /// When the notice fell due.
        at: DateTime<Utc>,
    },
    /// The readiness target is near (a notice).
    ReadinessNear {
        /// The target.
        readiness: NaiveDate,
        /// When the notice fell due.
        at: DateTime<Utc>,
    },
    /// The release moved to review.
    ReviewStarted {
        /// When.
        at: DateTime<Utc>,
        /// Who moved it; `None` when the rules did.
        by: Option<UserId>,
    },
    /// The review was recorded.
    ReviewFinished {
        /// Its notes.
        notes: String,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The release completed.
    Completed {
        /// When.
        at: DateTime<Utc>,
        /// Who completed it by hand; `None` when the rules did.
        by: Option<UserId>,
    },
    /// The release was canceled.
    Canceled {
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Created { at, .. }
            | Event::Started { at, .. }
            | Event::PhaseStarted { at, .. }
            | Event::TasksOpened { at, .. }
            | Event::TaskStarted { at, .. }
            | Event::TaskClosed { at, .. }
            | Event::TaskApproved { at, .. }
            | Event::TaskRejected { at, .. }
            | Event::TaskRerequested { at, .. }
            | Event::TaskAdded { at, .. }
            | Event::CheckMapped { at, .. }
            | Event::CheckUnmapped { at, .. }
            | Event::ChecksRequested { at, .. }
            | Event::CheckRecorded { at, .. }
            | Event::ExceptionGranted { at, .. }
            | Event::PhaseCompleted { at, .. }
            | Event::Restarted { at, .. }
            | Event::Retargeted { at, .. }
            | Event::PhaseEndReached { at, .. }
            | Event::TaskDueSoon { at, .. }
            | Event::ReadinessNear { at, .. }
            | Event::ReviewStarted { at, .. }
            | Event::ReviewFinished { at, .. }
            | Event::Completed { at, .. }
            | Event::Canceled { at, .. } => *at,
        }
    }
}
