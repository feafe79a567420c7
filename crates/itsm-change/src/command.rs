//! Commands: what someone asks a change to do. `decide` accepts or refuses them.

use crate::model::{Request, ReviewOutcome, Window};
use crate::risk::RiskFacts;

/// Something asked of a change. In JSON the `command` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "command", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Command {
    /// Raise a change (it starts in `new`).
    Raise(Box<Request>),
    /// Submit it: `new` to the model's next phase (assessment, authorisation, or for a
    /// standard change straight to scheduled).
    Submit,
    /// Assess the risk with the policy's engines; may be repeated.
    Assess(Box<RiskFacts>),
    /// Finish assessment (the change manager's technical approval): to the next phase.
    CompleteAssessment,
    /// Authorise it (the board's decision, with its explanation): to the next phase.
    Authorize {
        /// Why: the approval's explanation (who approved, the quorum).
        explanation: String,
    },
    /// Start the model's approval in `authorize` (again after a refusal: a new round with a
    /// new id). The approval's requester and implementer are the change's; the host gives
    /// the members of the groups the approval policy names, from its directory, now.
    RequestApproval {
        /// The approval's id (made by the host).
        id: itsm_approval::ApprovalId,
        /// The members of each group the approval policy names.
        #[cfg_attr(feature = "serde", serde(default))]
        members: std::collections::BTreeMap<
            itsm_core::GroupId,
            std::collections::BTreeSet<itsm_core::UserId>,
        >,
    },
    /// An approver's answer (approve, reject, delegate) or a cancel, passed to the running
    /// approval; when it decides the approval, the change is authorised (to the next phase)
    /// or refused (back to `new`).
    Approval {
        /// The approval command (`approve`, `reject`, `delegate`, `cancel`).
        answer: itsm_approval::Command,
    },
    /// Refuse it at assessment or authorisation: back to `new`.
    Reject {
        /// Why.
        reason: String,
    },
    /// Plan (or move) its window.
    Plan {
        /// The planned window.
        window: Window,
    },
    /// Start implementing: `scheduled` to `implement`.
    Implement,
    /// Implementation finished: to `review`.
    Complete,
    /// Close after the post-implementation review.
    Close {
        /// How it went.
        outcome: ReviewOutcome,
        /// The close code, from the policy's codes for the outcome.
        close_code: String,
        /// What was learnt.
        notes: String,
    },
    /// Put on hold (a flag: the phase stays, nothing moves on until resumed).
    PutOnHold {
        /// Why.
        reason: String,
    },
    /// Take off hold.
    Resume,
    /// Add a task to the change (not once it is closed or canceled).
    AddTask {
        /// The new task's id (made by the host; unique on the change).
        task: crate::task::ChangeTaskId,
        /// What it is for.
        #[cfg_attr(feature = "serde", serde(default))]
        kind: crate::task::ChangeTaskKind,
        /// What is to be done (required).
        description: String,
        /// Its planned window; an implementation task's must lie within the change's.
        #[cfg_attr(feature = "serde", serde(default))]
        window: Option<Window>,
        /// `true`: the task starts pending (not yet ready); `false`: open.
        #[cfg_attr(feature = "serde", serde(default))]
        pending: bool,
    },
    /// Start work on a pending or open task.
    StartTask {
        /// The task.
        task: crate::task::ChangeTaskId,
    },
    /// Close a task with a close code (from the policy's close codes) and notes; it cannot
    /// be reopened.
    CloseTask {
        /// The task.
        task: crate::task::ChangeTaskId,
        /// The close code.
        code: String,
        /// The close notes (required).
        notes: String,
    },
    /// Cancel a task that is no longer needed.
    CancelTask {
        /// The task.
        task: crate::task::ChangeTaskId,
        /// Why (required).
        reason: String,
    },
    /// Put a task on hold by hand (kept when its change goes on or off hold).
    HoldTask {
        /// The task.
        task: crate::task::ChangeTaskId,
        /// Why (required).
        reason: String,
    },
    /// Take a task off hold.
    ResumeTask {
        /// The task.
        task: crate::task::ChangeTaskId,
    },
    /// Change the change's type (its model, and the template a standard change comes from)
    /// while it is new and no approval was ever requested: ServiceNow's fields are editable
    /// while New and read-only once authorised.
    Retype {
        /// The model to take (`standard`, `normal`, `emergency`, or a vendor's).
        model: String,
        /// The pre-approved template, for a model that requires one.
        #[cfg_attr(feature = "serde", serde(default))]
        template: Option<String>,
    },
    /// Withdraw it (not once in review).
    Cancel {
        /// Why.
        reason: String,
    },
}

impl Command {
    /// The command's name, as in JSON, permissions and the models' tables (`complete_assessment`).
    ///
    /// ```
    /// use itsm_change::Command;
    ///
    /// assert_eq!(Command::CompleteAssessment.name(), "complete_assessment");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Command::Raise(_) => "raise",
            Command::Submit => "submit",
            Command::Assess(_) => "assess",
            Command::CompleteAssessment => "complete_assessment",
            Command::Authorize { .. } => "authorize",
            Command::Reject { .. } => "reject",
            Command::RequestApproval { .. } => "request_approval",
            Command::Approval { .. } => "approval",
            Command::Plan { .. } => "plan",
            Command::Implement => "implement",
            Command::Complete => "complete",
            Command::Close { .. } => "close",
            Command::PutOnHold { .. } => "put_on_hold",
            Command::Resume => "resume",
            Command::Cancel { .. } => "cancel",
            Command::Retype { .. } => "retype",
            Command::AddTask { .. } => "add_task",
            Command::StartTask { .. } => "start_task",
            Command::CloseTask { .. } => "close_task",
            Command::CancelTask { .. } => "cancel_task",
            Command::HoldTask { .. } => "hold_task",
            Command::ResumeTask { .. } => "resume_task",
        }
    }

    /// Every command name, in declaration order.
    pub const NAMES: [&'static str; 22] = [
        "raise",
        "submit",
        "assess",
        "complete_assessment",
        "authorize",
        "request_approval",
        "approval",
        "reject",
        "plan",
        "implement",
        "complete",
        "close",
        "put_on_hold",
        "resume",
        "cancel",
        "retype",
        "add_task",
        "start_task",
        "close_task",
        "cancel_task",
        "hold_task",
        "resume_task",
    ];
}

impl From<Request> for Command {
    /// [`Command::Raise`], so a host writes `decide(&state, &request.into(), &ctx)`.
    fn from(request: Request) -> Self {
        Command::Raise(Box::new(request))
    }
}
