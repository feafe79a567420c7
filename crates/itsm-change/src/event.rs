//! Events: facts that happened, in the past tense. `evolve` folds them into the state.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::model::{Phase, Request, Review, Window};
use crate::risk::RiskAssessment;

/// Something that happened to a change. Every event carries when (`at`) and who (`by`), and
/// every value `evolve` needs (the phase a move leads to), so folding needs no policy.
///
/// In JSON the `type` field is a stable tag (`raised`, `submitted`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Event {
    /// The change was raised.
    Raised {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// What was requested (shared with the state).
        request: Arc<Request>,
    },
    /// Submitted from `new`.
    Submitted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The phase it went to.
        to: Phase,
    },
    /// Risk assessed.
    RiskAssessed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The result, explained.
        assessment: RiskAssessment,
    },
    /// Assessment finished.
    AssessmentCompleted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The phase it went to.
        to: Phase,
    },
    /// Authorised.
    Authorized {
        /// When.
        at: DateTime<Utc>,
        /// Who recorded it.
        by: UserId,
        /// The approval's explanation.
        explanation: String,
        /// The phase it went to.
        to: Phase,
    },
    /// An event of the approval running in `authorize` (its own `at` and `by` inside).
    Approval {
        /// The approval's event.
        event: itsm_approval::Event,
    },
    /// Refused at assessment or authorisation; back to `new`.
    Rejected {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Why.
        reason: String,
    },
    /// A window was planned (or moved).
    Planned {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The window.
        window: Window,
        /// The conflicts the change calendar found, explained (when the policy lets a
        /// window with conflicts through; absent in JSON: none).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Vec::is_empty")
        )]
        conflicts: Vec<String>,
    },
    /// Implementation started.
    ImplementationStarted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Implementation finished; the review starts.
    Completed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Closed after the review.
    Closed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The post-implementation review.
        review: Review,
    },
    /// Put on hold.
    PutOnHold {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Why.
        reason: String,
    },
    /// Taken off hold.
    Resumed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Entered a vendor's state ([`ChangeModel::states`](crate::ChangeModel)): after a move
    /// to a state whose name is not its phase's, or alone for a move between two states of
    /// one phase (iTop's `validated` to `assigned`).
    Entered {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The state's name.
        state: String,
        /// Its phase.
        phase: Phase,
    },
    /// Its type changed while new: the request now names this model and template.
    Retyped {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The model it now follows.
        model: String,
        /// The template, for a model that requires one.
        template: Option<String>,
    },
    /// A task was added.
    TaskAdded {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The task as added (pending or open).
        task: crate::task::ChangeTask,
    },
    /// Work on a task started.
    TaskStarted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The task.
        task: crate::task::ChangeTaskId,
    },
    /// A task was closed.
    TaskClosed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The task.
        task: crate::task::ChangeTaskId,
        /// The close code.
        code: String,
        /// The close notes.
        notes: String,
    },
    /// A task was canceled.
    TaskCanceled {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The task.
        task: crate::task::ChangeTaskId,
        /// Why.
        reason: String,
    },
    /// A task was put on hold by hand.
    TaskPutOnHold {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The task.
        task: crate::task::ChangeTaskId,
        /// Why.
        reason: String,
    },
    /// A task was taken off hold.
    TaskResumed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The task.
        task: crate::task::ChangeTaskId,
    },
    /// Withdrawn.
    Canceled {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Why.
        reason: String,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Raised { at, .. }
            | Event::Submitted { at, .. }
            | Event::RiskAssessed { at, .. }
            | Event::AssessmentCompleted { at, .. }
            | Event::Authorized { at, .. }
            | Event::Rejected { at, .. }
            | Event::Planned { at, .. }
            | Event::ImplementationStarted { at, .. }
            | Event::Completed { at, .. }
            | Event::Closed { at, .. }
            | Event::PutOnHold { at, .. }
            | Event::Resumed { at, .. }
            | Event::Entered { at, .. }
            | Event::Retyped { at, .. }
            | Event::TaskAdded { at, .. }
            | Event::TaskStarted { at, .. }
            | Event::TaskClosed { at, .. }
            | Event::TaskCanceled { at, .. }
            | Event::TaskPutOnHold { at, .. }
            | Event::TaskResumed { at, .. }
            | Event::Canceled { at, .. } => *at,
            Event::Approval { event } => event.at(),
        }
    }

    /// Who did it.
    pub fn by(&self) -> UserId {
        match self {
            Event::Raised { by, .. }
            | Event::Submitted { by, .. }
            | Event::RiskAssessed { by, .. }
            | Event::AssessmentCompleted { by, .. }
            | Event::Authorized { by, .. }
            | Event::Rejected { by, .. }
            | Event::Planned { by, .. }
            | Event::ImplementationStarted { by, .. }
            | Event::Completed { by, .. }
            | Event::Closed { by, .. }
            | Event::PutOnHold { by, .. }
            | Event::Resumed { by, .. }
            | Event::Entered { by, .. }
            | Event::Retyped { by, .. }
            | Event::TaskAdded { by, .. }
            | Event::TaskStarted { by, .. }
            | Event::TaskClosed { by, .. }
            | Event::TaskCanceled { by, .. }
            | Event::TaskPutOnHold { by, .. }
            | Event::TaskResumed { by, .. }
            | Event::Canceled { by, .. } => *by,
            Event::Approval { event } => event.by(),
        }
    }
}
