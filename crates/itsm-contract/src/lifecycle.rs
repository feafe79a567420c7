//! The state table the docs draw, as data: the contract's statuses.

use crate::model::Status;

/// A move of the contract's status and the command (or the daily job's rule) that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transition {
    /// From.
    pub from: Status,
    /// To.
    pub to: Status,
    /// The command, or `tick` for the daily job.
    pub command: &'static str,
}

const fn t(from: Status, command: &'static str, to: Status) -> Transition {
    Transition { from, to, command }
}

/// Every move of the contract's status (ServiceNow's contract life cycle; `cancel` from a
/// draft only when the policy allows it).
pub const TRANSITIONS: &[Transition] = &[
    t(Status::Draft, "approve", Status::Active),
    t(Status::Draft, "tick", Status::Active),
    t(Status::Active, "tick", Status::Expired),
    t(Status::Active, "adjust", Status::Expired),
    t(Status::Active, "approve", Status::Expired),
    t(Status::Expired, "approve", Status::Active),
    t(Status::Expired, "tick", Status::Active),
    t(Status::Expired, "adjust", Status::Active),
    t(Status::Active, "cancel", Status::Canceled),
    t(Status::Draft, "cancel", Status::Canceled),
];

/// The contract's statuses as a Mermaid state diagram (drawn in `docs/contract.md`).
pub fn mermaid() -> String {
    let mut out = String::from("stateDiagram-v2\n    [*] --> draft: create\n");
    for tr in TRANSITIONS {
        out.push_str(&format!("    {} --> {}: {}\n", tr.from, tr.to, tr.command));
    }
    out
}
