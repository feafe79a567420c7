//! Change tasks: the pieces of work of a change (plan, implement, test, review), each with
//! its own small lifecycle, held inside the change they belong to.

use crate::model::Window;

itsm_core::id_type!(
    /// A change task's id (made by the host).
    ChangeTaskId
);

/// What a task is for (ServiceNow's change task types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ChangeTaskKind {
    /// Planning and preparing the change (the default).
    #[default]
    Planning,
    /// Carrying the change out: its planned window must lie within the change's.
    Implementation,
    /// Verifying the change works.
    Testing,
    /// Post-implementation review.
    Review,
}

/// Where a task is. Once closed or canceled it never moves again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "state", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ChangeTaskState {
    /// Not yet ready (waiting for a predecessor or its start).
    Pending,
    /// Ready, not started.
    Open,
    /// Being worked on.
    InProgress,
    /// Done, with a close code and notes.
    Closed {
        /// The close code (from the policy's close codes).
        code: String,
        /// The close notes.
        notes: String,
    },
    /// No longer needed (or its change was canceled).
    Canceled {
        /// Why.
        reason: String,
    },
}

impl ChangeTaskState {
    /// The state's name: `pending`, `open`, `in_progress`, `closed`, `canceled`.
    pub const fn name(&self) -> &'static str {
        match self {
            ChangeTaskState::Pending => "pending",
            ChangeTaskState::Open => "open",
            ChangeTaskState::InProgress => "in_progress",
            ChangeTaskState::Closed { .. } => "closed",
            ChangeTaskState::Canceled { .. } => "canceled",
        }
    }

    /// Whether the task is still active (not closed nor canceled).
    pub const fn is_active(&self) -> bool {
        !matches!(
            self,
            ChangeTaskState::Closed { .. } | ChangeTaskState::Canceled { .. }
        )
    }
}

/// Why a task is on hold, and whether its change put it there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ChangeTaskHold {
    /// Why.
    pub reason: String,
    /// `true`: copied from the change when it went on hold (cleared when the change is taken
    /// off hold); `false`: put on hold by hand (kept when the change goes on or off hold).
    pub from_change: bool,
}

/// A change task.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ChangeTask {
    /// Its id.
    pub id: ChangeTaskId,
    /// What it is for.
    pub kind: ChangeTaskKind,
    /// What is to be done.
    pub description: String,
    /// Its planned window, if any.
    pub window: Option<Window>,
    /// Where it is.
    pub state: ChangeTaskState,
    /// Whether it is on hold, and why.
    pub hold: Option<ChangeTaskHold>,
}
