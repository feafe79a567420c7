//! The state tables the docs draw, as data: the event's statuses and the task states.

use crate::model::{Status, TaskStatus};

/// A move of the event's status and the command (or rule) that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transition {
    /// From.
    pub from: Status,
    /// To.
    pub to: Status,
    /// The command.
    pub command: &'static str,
}

const fn t(from: Status, command: &'static str, to: Status) -> Transition {
    Transition { from, to, command }
}

/// Every move of the event's status (ServiceNow's states of an exercise and crisis event;
/// `cancel` is ours; `close_event` from work in progress only when the policy needs no
/// approval).
pub const TRANSITIONS: &[Transition] = &[
    t(Status::Pending, "start", Status::WorkInProgress),
    t(Status::WorkInProgress, "submit", Status::PendingApproval),
    t(Status::Returned, "submit", Status::PendingApproval),
    t(Status::PendingApproval, "approve", Status::Approved),
    t(Status::PendingApproval, "reject", Status::Returned),
    t(Status::Approved, "close_event", Status::ClosedComplete),
    t(Status::Approved, "close_event", Status::ClosedIncomplete),
    t(Status::Returned, "close_event", Status::ClosedComplete),
    t(Status::Returned, "close_event", Status::ClosedIncomplete),
    t(
        Status::WorkInProgress,
        "close_event",
        Status::ClosedComplete,
    ),
    t(
        Status::WorkInProgress,
        "close_event",
        Status::ClosedIncomplete,
    ),
    t(Status::Pending, "cancel", Status::Canceled),
    t(Status::WorkInProgress, "cancel", Status::Canceled),
];

/// The event task moves ServiceNow's table of permitted transitions allows (from, to);
/// every other pair is refused.
pub const TASK_TRANSITIONS: &[(TaskStatus, TaskStatus)] = &[
    (TaskStatus::Pending, TaskStatus::Open),
    (TaskStatus::Pending, TaskStatus::ClosedSkipped),
    (TaskStatus::Open, TaskStatus::WorkInProgress),
    (TaskStatus::Open, TaskStatus::ClosedSkipped),
    (TaskStatus::WorkInProgress, TaskStatus::Open),
    (TaskStatus::WorkInProgress, TaskStatus::ClosedComplete),
    (TaskStatus::WorkInProgress, TaskStatus::ClosedIncomplete),
    (TaskStatus::WorkInProgress, TaskStatus::ClosedSkipped),
    (TaskStatus::WorkInProgress, TaskStatus::ClosedFailed),
    (TaskStatus::ClosedComplete, TaskStatus::Open),
    (TaskStatus::ClosedIncomplete, TaskStatus::Open),
    (TaskStatus::ClosedSkipped, TaskStatus::Open),
    (TaskStatus::ClosedFailed, TaskStatus::Open),
];

/// The event's statuses as a Mermaid state diagram (drawn in `docs/crisis.md`).
pub fn mermaid() -> String {
    let mut out = String::from("stateDiagram-v2\n    [*] --> pending: create\n");
    let mut seen: Vec<(Status, Status)> = Vec::new();
    for tr in TRANSITIONS {
        if seen.contains(&(tr.from, tr.to)) {
            continue;
        }
        seen.push((tr.from, tr.to));
        out.push_str(&format!("    {} --> {}: {}\n", tr.from, tr.to, tr.command));
    }
    out
}

/// The event task states as a Mermaid state diagram (drawn in `docs/crisis.md`).
pub fn task_mermaid() -> String {
    let mut out = String::from("stateDiagram-v2\n    [*] --> pending\n");
    for (from, to) in TASK_TRANSITIONS {
        out.push_str(&format!("    {from} --> {to}\n"));
    }
    out
}
