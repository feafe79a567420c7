//! Why `decide` rejects a command.

use chrono::{DateTime, Utc};
use itsm_core::Quoted;

use crate::command::CommandKind;
use crate::model::{EscalationKind, HoldReason, IncidentId, StatusKind};

/// A rejected command. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The policy's workflow has no such transition from this state.
    #[error("`{}` is not allowed in state `{}`; allowed there: {}", Quoted(.command), Quoted(.state), names(.allowed))]
    NotAllowed {
        /// The current state's name in the workflow.
        state: String,
        /// The command refused, by its name in the workflow (a vendor transition's own).
        command: String,
        /// The commands the state accepts, by name.
        allowed: Vec<String>,
    },
    /// The actor holds none of the roles the policy allows for the command.
    #[error("`{command}` refused: {reason}")]
    Denied {
        /// The command refused.
        command: CommandKind,
        /// The permission check's answer, printed as part of this message (not a `source`).
        reason: itsm_core::Error,
    },
    /// The time in the context is earlier than the incident's last event.
    #[error(
        "the clock went backwards: now is {now} but the incident was last updated at {last}; time must not decrease"
    )]
    ClockWentBackwards {
        /// The incident's last update.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// A field the policy requires is empty or missing.
    #[error("`{command}` needs a non-empty {field}")]
    MissingField {
        /// The command.
        command: CommandKind,
        /// The field.
        field: &'static str,
    },
    /// The hold reason is not in the policy.
    #[error("hold reason `{reason}` is not in the policy; allowed: {}", names(.allowed))]
    UnknownHoldReason {
        /// The reason given.
        reason: HoldReason,
        /// The reasons the policy lists.
        allowed: Vec<HoldReason>,
    },
    /// The resolution code is not in the policy's list.
    #[error("resolution code `{code}` is not in the policy; allowed: {}", .allowed.join(", "))]
    UnknownResolutionCode {
        /// The code given.
        code: String,
        /// The codes the policy lists.
        allowed: Vec<String>,
    },
    /// Impact or urgency is not on the matrix's scales.
    #[error("cannot compute the priority: {reason}")]
    Priority {
        /// The matrix's answer, printed as part of this message (not a `source`).
        reason: itsm_core::Error,
    },
    /// The reopen window has passed.
    #[error(
        "the reopen window of {} after resolution at {resolved_at} has passed (now {now}); reopen is allowed until {until}", itsm_core::duration::format(*.window)
    )]
    ReopenWindowPassed {
        /// When it was resolved.
        resolved_at: DateTime<Utc>,
        /// The policy's window.
        window: chrono::Duration,
        /// The last instant a reopen was allowed.
        until: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// The workflow's window for reopening closed incidents has passed.
    #[error(
        "the reopen window of {} after closure at {closed_at} has passed (now {now}); reopen was allowed until {until}", itsm_core::duration::format(*.window)
    )]
    ReopenClosedWindowPassed {
        /// When it was closed.
        closed_at: DateTime<Utc>,
        /// The workflow's window.
        window: chrono::Duration,
        /// The last instant a reopen was allowed.
        until: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// An imported record is in a kind of state the policy's workflow has no state for
    /// (iTop's has no canceled incidents).
    #[error("workflow `{workflow}` has no state of kind `{kind}`; the record cannot be imported")]
    KindNotInWorkflow {
        /// The record's kind.
        kind: StatusKind,
        /// The workflow's name.
        workflow: String,
    },
    /// An escalation must go up.
    #[error("{kind} escalation to level {requested} refused: the incident is at level {current}; allowed: {}", levels_above(*.current, *.max))]
    EscalationLevel {
        /// Functional or hierarchical.
        kind: EscalationKind,
        /// The level reached so far.
        current: u8,
        /// The level asked for.
        requested: u8,
        /// The policy's highest level.
        max: u8,
    },
    /// The incident is already a major incident.
    #[error("the incident is already a major incident; stand it down first")]
    AlreadyMajor,
    /// The incident is not a major incident.
    #[error("the incident is not a major incident; only a major incident can be stood down")]
    NotMajor,
    /// The incident is already a major-incident candidate.
    #[error("the incident is already proposed as a major incident; accept or reject it")]
    AlreadyProposed,
    /// Only a proposed candidate can be accepted or rejected.
    #[error(
        "`{command}` needs a proposed major-incident candidate; the incident's major incident state is `{state}`"
    )]
    NotACandidate {
        /// The command.
        command: CommandKind,
        /// The incident's major incident state.
        state: crate::model::MajorState,
    },
    /// An incident may not be linked to itself.
    #[error("incident {id} cannot be its own parent, child or follow-up")]
    SelfLink {
        /// The incident.
        id: IncidentId,
    },
    /// A follow-up was asked of an incident that was never reported.
    #[error(
        "there is no incident to follow up: the original is unreported; only a closed incident is followed up by a new one"
    )]
    FollowUpOfUnreported,
    /// A follow-up was asked of an incident that is not closed.
    #[error("incident {id} is in state {}; only a closed incident is followed up by a new one (reopen a resolved one with `reopen`)", state_of_kind(.state, *.kind))]
    FollowUpOfOpen {
        /// The incident.
        id: IncidentId,
        /// Its state's name in the workflow.
        state: String,
        /// Its state's kind.
        kind: crate::model::StatusKind,
    },
    /// A follow-up was asked of a canceled incident.
    #[error(
        "incident {id} was canceled; a canceled incident is not followed up (report a new incident instead)"
    )]
    FollowUpOfCanceled {
        /// The incident.
        id: IncidentId,
    },
    /// A follow-up's request reuses the closed incident's id.
    #[error("the follow-up needs an id of its own; {id} is the closed incident's")]
    FollowUpSameId {
        /// The closed incident's id.
        id: IncidentId,
    },
    /// The incident already follows up another closed incident.
    #[error("incident already follows up {current}; it cannot also follow up {requested}")]
    FollowUpOfAlreadySet {
        /// The incident it follows up.
        current: IncidentId,
        /// The incident asked for.
        requested: IncidentId,
    },
    /// The incident already has another parent.
    #[error("incident already has parent {current}; it cannot also have parent {requested}")]
    ParentAlreadySet {
        /// The parent it has.
        current: IncidentId,
        /// The parent asked for.
        requested: IncidentId,
    },
    /// A name is not one of the lifecycle's states.
    #[error("`{}` is not an incident state; allowed: {}", Quoted(.name), names(&crate::model::StatusKind::ALL))]
    UnknownStatus {
        /// The name given.
        name: String,
    },
    /// A name is not one of the commands.
    #[error("`{}` is not an incident command; allowed: {}", Quoted(.name), names(&CommandKind::ALL))]
    UnknownCommand {
        /// The name given.
        name: String,
    },
    /// An error of the shared vocabulary (a role, an id, a matrix), passed through so that a
    /// host composes both crates' results with `?`.
    #[error(transparent)]
    Core(#[from] itsm_core::Error),
    /// The auto-close clock cannot be computed (the date would overflow).
    #[error("the date overflows: {what}")]
    DateOverflow {
        /// What was being computed.
        what: &'static str,
    },
}

/// The levels an escalation may still reach. Written without `current + 1`, which overflows
/// for an imported incident at level 255 (a `Display` must not panic), and naming the case
/// where the incident already sits at (or above) the policy's highest level.
fn levels_above(current: u8, max: u8) -> String {
    match current.checked_add(1) {
        Some(next) if next <= max => format!("levels {next} to {max}"),
        _ => format!("none, {max} is the highest level"),
    }
}

fn names<T: std::fmt::Display>(values: &[T]) -> String {
    if values.is_empty() {
        return "nothing".to_owned();
    }
    let parts: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    parts.join(", ")
}

/// A workflow state's name, with its kind when the name is a vendor's own (iTop's
/// `assigned` is an `in_progress` state).
fn state_of_kind(state: &str, kind: crate::model::StatusKind) -> String {
    if state == kind.name() {
        format!("`{}`", Quoted(state))
    } else {
        format!("`{}` (of kind `{kind}`)", Quoted(state))
    }
}
