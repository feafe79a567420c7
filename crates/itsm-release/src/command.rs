//! What a host asks of a release.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::ReleaseId;
use crate::plan::{Plan, TaskSpec};

/// A task by position: the phase's index in the plan and the task's index in the phase.
/// Positions never change: added tasks go at the end of their phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TaskRef {
    /// The phase's index.
    pub phase: usize,
    /// The task's index in the phase.
    pub task: usize,
}

impl TaskRef {
    /// The task at `task` in phase `phase`.
    pub const fn new(phase: usize, task: usize) -> Self {
        TaskRef { phase, task }
    }
}

/// How a task is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Outcome {
    /// Done.
    Complete,
    /// Not done, closed anyway.
    Incomplete,
    /// Not needed.
    Skipped,
}

/// A command: what the host asks of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Command {
    /// Records a planned release (a manager).
    Create {
        /// The id the host made.
        release: ReleaseId,
        /// The plan (boxed: it is large).
        plan: Box<Plan>,
    },
    /// Starts the release: a stage release's first phase starts now, a timeline release's
    /// on its start date.
    Start,
    /// Starts work on an open task.
    StartTask {
        /// The task.
        task: TaskRef,
    },
    /// Closes an open or in-progress task (not an approval task: its approver closes it).
    CloseTask {
        /// The task.
        task: TaskRef,
        /// How.
        outcome: Outcome,
    },
    /// The approver approves a requested approval task: it closes complete.
    Approve {
        /// The task.
        task: TaskRef,
    },
    /// The approver rejects a requested approval task.
    Reject {
        /// The task.
        task: TaskRef,
        /// Why (not empty).
        reason: String,
    },
    /// A manager requests a rejected approval task again.
    Rerequest {
        /// The task.
        task: TaskRef,
    },
    /// Adds a task at the end of a phase that has not completed (a manager).
    AddTask {
        /// The phase's index.
        phase: usize,
        /// The task.
        task: TaskSpec,
    },
    /// Maps a check to a phase that has not completed (a manager).
    MapCheck {
        /// The phase's index.
        phase: usize,
        /// The check's name.
        check: String,
    },
    /// Removes a check from a phase that has not completed (a manager). Removing a check
    /// that had run from the phase in progress runs the others again.
    UnmapCheck {
        /// The phase's index.
        phase: usize,
        /// The check's name.
        check: String,
    },
    /// Runs the current phase's checks: each is running until the host records its result
    /// (a manager).
    RunChecks,
    /// Records a check's result on the current phase (a manager, or the host's account).
    RecordCheck {
        /// The check's name.
        check: String,
        /// Whether it passed.
        compliant: bool,
    },
    /// Grants an exception for a check: failed results recorded from `from` until before
    /// `to` count as compliant with exception (a manager).
    GrantException {
        /// The check's name.
        check: String,
        /// When it starts.
        from: DateTime<Utc>,
        /// When it ends (after `from`).
        to: DateTime<Utc>,
        /// Why (not empty).
        justification: String,
    },
    /// Completes the current phase by hand (a manager): its tasks must be closed, and its
    /// checks must pass unless the actor holds an override role.
    CompletePhase,
    /// Restarts a stage release from a completed phase (a restart role): that phase is in
    /// progress again, the later ones pending; their tasks and checks reset.
    Restart {
        /// The completed phase's index.
        phase: usize,
    },
    /// Moves the readiness target (a manager); a timeline release's key dates move by as
    /// many days, off its holidays.
    Retarget {
        /// The new readiness target.
        readiness: NaiveDate,
    },
    /// Moves a release whose phases all completed to review, where the policy does not
    /// (a manager).
    BeginReview,
    /// Records the review (a manager); completes the release where the policy says so.
    FinishReview {
        /// What the review found (not empty).
        notes: String,
    },
    /// Completes a release under review (a manager).
    Complete,
    /// Cancels the release (a manager).
    Cancel {
        /// Why (not empty).
        reason: String,
    },
    /// Lets time pass: phases start and end on their dates, notices fall due. Never
    /// refused; early or repeated ticks return nothing.
    Tick,
}

impl Command {
    /// Its name in messages and JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Create { .. } => "create",
            Command::Start => "start",
            Command::StartTask { .. } => "start_task",
            Command::CloseTask { .. } => "close_task",
            Command::Approve { .. } => "approve",
            Command::Reject { .. } => "reject",
            Command::Rerequest { .. } => "rerequest",
            Command::AddTask { .. } => "add_task",
            Command::MapCheck { .. } => "map_check",
            Command::UnmapCheck { .. } => "unmap_check",
            Command::RunChecks => "run_checks",
            Command::RecordCheck { .. } => "record_check",
            Command::GrantException { .. } => "grant_exception",
            Command::CompletePhase => "complete_phase",
            Command::Restart { .. } => "restart",
            Command::Retarget { .. } => "retarget",
            Command::BeginReview => "begin_review",
            Command::FinishReview { .. } => "finish_review",
            Command::Complete => "complete",
            Command::Cancel { .. } => "cancel",
            Command::Tick => "tick",
        }
    }

    /// A `create` command.
    pub fn create(release: ReleaseId, plan: Plan) -> Self {
        Command::Create {
            release,
            plan: Box::new(plan),
        }
    }
}
