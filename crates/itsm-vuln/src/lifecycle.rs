//! The state table the docs draw, as data: a remediation task's states (an item's are the
//! same, set on it or rolled down from its tasks).

use crate::model::Status;

/// A move of a state and the command (or the schedule's or the scanner's rule) that makes
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transition {
    /// From.
    pub from: Status,
    /// To.
    pub to: Status,
    /// The command, `tick` for the schedule, `roll-up` for the items' states.
    pub command: &'static str,
}

const fn t(from: Status, command: &'static str, to: Status) -> Transition {
    Transition { from, to, command }
}

use Status::{
    AwaitingImplementation as Awaiting, Closed, Deferred, InReview, Open, Resolved,
    UnderInvestigation as Investigating,
};

/// Every move of a remediation task's state (ServiceNow Vulnerability Response's
/// remediation task states and roll-up).
pub const TRANSITIONS: &[Transition] = &[
    t(Open, "start_investigation", Investigating),
    t(Investigating, "await_implementation", Awaiting),
    t(Open, "resolve", Resolved),
    t(Awaiting, "resolve", Resolved),
    t(Open, "defer", Deferred),
    t(Investigating, "defer", Deferred),
    t(Awaiting, "defer", Deferred),
    t(Open, "request_exception", InReview),
    t(Investigating, "request_exception", InReview),
    t(Awaiting, "request_exception", InReview),
    t(Open, "mark_false_positive", InReview),
    t(InReview, "approve", Deferred),
    t(InReview, "approve", Closed),
    t(InReview, "reject", Open),
    t(InReview, "reject", Investigating),
    t(InReview, "reject", Awaiting),
    t(Deferred, "approve", Deferred),
    t(Deferred, "tick", Open),
    t(Deferred, "reopen", Open),
    t(Resolved, "reopen", Open),
    t(Closed, "reopen", Open),
    t(Resolved, "roll-up", Investigating),
    t(Resolved, "roll-up", Open),
    t(Deferred, "roll-up", Open),
    t(Open, "roll-up", Closed),
    t(Investigating, "roll-up", Closed),
    t(Awaiting, "roll-up", Closed),
    t(InReview, "roll-up", Closed),
    t(Resolved, "roll-up", Closed),
    t(Deferred, "roll-up", Closed),
    t(Open, "roll-up", Deferred),
    t(Investigating, "roll-up", Deferred),
    t(Awaiting, "roll-up", Deferred),
    t(InReview, "roll-up", Deferred),
    t(Resolved, "roll-up", Deferred),
    t(Open, "close_task", Closed),
    t(Investigating, "close_task", Closed),
    t(Awaiting, "close_task", Closed),
    t(InReview, "close_task", Closed),
    t(Resolved, "close_task", Closed),
    t(Deferred, "close_task", Closed),
];

/// A remediation task's states as a Mermaid state diagram (drawn in `docs/vulnerability.md`).
pub fn mermaid() -> String {
    let mut out = String::from("stateDiagram-v2\n    [*] --> open: create_task\n");
    for tr in TRANSITIONS {
        out.push_str(&format!("    {} --> {}: {}\n", tr.from, tr.to, tr.command));
    }
    out
}
