//! What users and the host ask of an event.

use chrono::{DateTime, Duration, Utc};
use itsm_core::UserId;

use crate::model::{CrisisId, ExerciseResult, Outcome, TaskRef};
use crate::spec::{CrisisSpec, Phase, RecoveryLevel};

crate::spec::named! {
    /// How a task being worked on closes.
    Closing {
        /// Done.
        Complete => "complete",
        /// Done, not all of it.
        Incomplete => "incomplete",
        /// Failed: the tasks after it wait; an automatic task's backup assignee is told.
        Failed => "failed",
    }
}

/// A task added during the event (ServiceNow's ad-hoc task: manual, no dependencies).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AdHocTask {
    /// What to do.
    pub name: String,
    /// Its phase.
    #[cfg_attr(feature = "serde", serde(default))]
    pub phase: Phase,
    /// The assets it helps bring back.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub assets: Vec<String>,
    /// The recovery level it counts towards.
    #[cfg_attr(feature = "serde", serde(default))]
    pub level: RecoveryLevel,
    /// Left out of time calculations.
    #[cfg_attr(feature = "serde", serde(default))]
    pub exclude_from_time: bool,
    /// How long it is planned to take ("planned duration"; none: no time of its own).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            with = "itsm_core::duration::option",
            skip_serializing_if = "Option::is_none"
        )
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub duration: Option<Duration>,
    /// Who carries it out.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub assignee: Option<UserId>,
}

impl AdHocTask {
    /// A recovery-phase task with no assets or assignee.
    pub fn new(name: impl Into<String>) -> Self {
        AdHocTask {
            name: name.into(),
            phase: Phase::Recovery,
            assets: Vec::new(),
            level: RecoveryLevel::None,
            exclude_from_time: false,
            duration: None,
            assignee: None,
        }
    }
}

/// A command. Who may issue which is in the policy ([`Policy`](crate::Policy)); each
/// variant says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Command {
    /// Create the event and activate its plans (a manager).
    Create {
        /// The host's id for it.
        id: CrisisId,
        /// What it is made of.
        spec: Box<CrisisSpec>,
    },
    /// Start the event: its first-level plans open and their tasks without dependencies are
    /// triggered (a manager).
    Start,
    /// Trigger a pending task whatever it waits for (a program manager, the event in
    /// progress).
    Trigger {
        /// The task.
        task: TaskRef,
    },
    /// Start work on an open task (its assignee or a manager).
    Work {
        /// The task.
        task: TaskRef,
        /// Its actual start, if not now.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        started: Option<DateTime<Utc>>,
    },
    /// Close a task being worked on (its assignee or a manager; an automatic task's flow,
    /// through the host).
    Close {
        /// The task.
        task: TaskRef,
        /// How.
        closing: Closing,
        /// Its actual end, if not now.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        ended: Option<DateTime<Utc>>,
    },
    /// Skip a pending, open or in-progress task (a program manager, the event in progress).
    Skip {
        /// The task.
        task: TaskRef,
    },
    /// Re-trigger a task in progress or closed as a manual task: it is open again (a
    /// manager).
    Retrigger {
        /// The task.
        task: TaskRef,
    },
    /// Run an automatic task's flow again, from in progress or closed (a manager).
    RetriggerAutomation {
        /// The task.
        task: TaskRef,
    },
    /// Assign a task not closed (a manager).
    Assign {
        /// The task.
        task: TaskRef,
        /// To whom.
        user: UserId,
    },
    /// Add an ad-hoc task to an activated plan not closed (a manager, before the event is
    /// submitted).
    AddTask {
        /// The activated plan's number.
        plan: u32,
        /// The task.
        task: AdHocTask,
    },
    /// Close an activated plan by hand; its tasks not closed are skipped (a manager, the
    /// event in progress).
    ClosePlan {
        /// The activated plan's number.
        plan: u32,
        /// How: complete only if every task is closed complete or skipped.
        outcome: Outcome,
    },
    /// Record an exercise's result (a manager, in progress or returned).
    RecordResult {
        /// The result.
        result: ExerciseResult,
    },
    /// Submit the event for approval once every activated plan is closed (a manager).
    Submit {
        /// The event's actual end, if not now.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        ended: Option<DateTime<Utc>>,
    },
    /// Approve a submitted event (a program manager).
    Approve,
    /// Reject a submitted event: it is returned (a program manager).
    Reject,
    /// Close the event: approved or returned (or in progress with every plan closed when
    /// the policy needs no approval) (a manager).
    CloseEvent {
        /// How.
        outcome: Outcome,
    },
    /// Call the event off before it is submitted (a manager).
    Cancel,
}

impl Command {
    /// A `Create` command.
    pub fn create(id: CrisisId, spec: CrisisSpec) -> Self {
        Command::Create {
            id,
            spec: Box::new(spec),
        }
    }

    /// Its name in messages and JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Create { .. } => "create",
            Command::Start => "start",
            Command::Trigger { .. } => "trigger",
            Command::Work { .. } => "work",
            Command::Close { .. } => "close",
            Command::Skip { .. } => "skip",
            Command::Retrigger { .. } => "retrigger",
            Command::RetriggerAutomation { .. } => "retrigger_automation",
            Command::Assign { .. } => "assign",
            Command::AddTask { .. } => "add_task",
            Command::ClosePlan { .. } => "close_plan",
            Command::RecordResult { .. } => "record_result",
            Command::Submit { .. } => "submit",
            Command::Approve => "approve",
            Command::Reject => "reject",
            Command::CloseEvent { .. } => "close_event",
            Command::Cancel => "cancel",
        }
    }
}
