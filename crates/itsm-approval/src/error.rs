//! Why `decide` rejects a command, and why a policy is refused.

use chrono::{DateTime, Utc};
use itsm_core::{GroupId, Role, UserId};

use crate::command::CommandKind;
use crate::model::{Exclusion, Holder, StatusKind};
use crate::policy::{Approver, Party};

/// One reason a policy is refused; [`Error::InvalidPolicy`] lists every one found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyProblem {
    /// The policy's name is empty.
    EmptyPolicyName,
    /// The policy has no stages, so nothing could be approved.
    NoStages,
    /// A stage's name is empty.
    EmptyStageName {
        /// The stage's position (0 for the first).
        index: usize,
    },
    /// Two stages share a name.
    DuplicateStage {
        /// The repeated name.
        stage: String,
    },
    /// A stage lists no approvers, so it could never be decided.
    NoApprovers {
        /// The stage.
        stage: String,
    },
    /// A stage lists the same approver twice.
    DuplicateApprover {
        /// The stage.
        stage: String,
        /// The repeated approver.
        approver: Approver,
    },
    /// N of M with N = 0.
    ZeroCount {
        /// The stage.
        stage: String,
    },
    /// N of M with N above the number of approvers (a stage naming no group, so the number
    /// is known).
    CountAboveApprovers {
        /// The stage.
        stage: String,
        /// N.
        count: u32,
        /// The approvers listed.
        approvers: usize,
    },
    /// A percentage outside 1 to 100.
    PercentOutOfRange {
        /// The stage.
        stage: String,
        /// The percentage given.
        percent: u8,
    },
    /// Every approver of a stage is a party its own separation of duties excludes.
    AllExcluded {
        /// The stage.
        stage: String,
    },
}

impl std::fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyProblem::EmptyPolicyName => f.write_str("the policy has no name; give one"),
            PolicyProblem::NoStages => f.write_str("the policy has no stages; give at least one"),
            PolicyProblem::EmptyStageName { index } => {
                write!(
                    f,
                    "stage {} has no name; give each stage a unique name",
                    index.saturating_add(1)
                )
            }
            PolicyProblem::DuplicateStage { stage } => {
                write!(
                    f,
                    "stage `{stage}` is listed twice; stage names must be unique"
                )
            }
            PolicyProblem::NoApprovers { stage } => write!(
                f,
                "stage `{stage}` has no approvers; list at least one person, role, group or party"
            ),
            PolicyProblem::DuplicateApprover { stage, approver } => write!(
                f,
                "stage `{stage}` lists {approver} twice; list each approver once"
            ),
            PolicyProblem::ZeroCount { stage } => write!(
                f,
                "stage `{stage}` asks for 0 approvals; N of M needs N from 1 to the number of approvers"
            ),
            PolicyProblem::CountAboveApprovers {
                stage,
                count,
                approvers,
            } => write!(
                f,
                "stage `{stage}` asks for {count} approvals of {approvers} approvers; N of M needs N from 1 to {approvers}"
            ),
            PolicyProblem::PercentOutOfRange { stage, percent } => write!(
                f,
                "stage `{stage}` asks for {percent}% of its approvers; a percentage is 1 to 100"
            ),
            PolicyProblem::AllExcluded { stage } => write!(
                f,
                "every approver of stage `{stage}` is a party its separation of duties excludes, so it could never be decided; add other approvers or allow the party"
            ),
        }
    }
}

/// A rejected command, or a refused policy. Each variant names what was wrong and what is
/// allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The command is not accepted in the approval's state.
    #[error("`{command}` is not allowed in state `{state}`; allowed there: {}", names(.allowed))]
    NotAllowed {
        /// The approval's state.
        state: StatusKind,
        /// The command refused.
        command: CommandKind,
        /// The commands the state accepts.
        allowed: Vec<CommandKind>,
    },
    /// The time in the context is earlier than the approval's last event.
    #[error(
        "the clock went backwards: now is {now} but the approval was last updated at {last}; time must not decrease"
    )]
    ClockWentBackwards {
        /// The approval's last update.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// A policy is not sound: every problem found, in a stable order.
    #[error("approval policy `{policy}` is invalid: {}", problems_text(.problems))]
    InvalidPolicy {
        /// The policy's name.
        policy: String,
        /// What is wrong, at least one.
        problems: Vec<PolicyProblem>,
    },
    /// The request does not give the members of a group the policy names.
    #[error(
        "stage `{stage}` names group {group}, but the request gives no members for it; list its members (an empty list if it has none)"
    )]
    MissingMembers {
        /// The stage.
        stage: String,
        /// The group.
        group: GroupId,
    },
    /// For these parties and members, a stage could never be decided: fewer eligible seats
    /// than its quorum needs.
    #[error(
        "stage `{stage}` cannot be decided for this request: its quorum needs {} and it has {}{}; change the approvers or the parties",
        counted(*.required, "approval", "approvals"),
        counted(*.eligible, "eligible seat", "eligible seats"),
        excluded_text(.excluded)
    )]
    Undecidable {
        /// The stage.
        stage: String,
        /// The approvals its quorum needs (at least 1).
        required: u32,
        /// Its eligible seats.
        eligible: u32,
        /// Who its rules excluded.
        excluded: Vec<Exclusion>,
    },
    /// The acting user holds no seat in the open stage.
    #[error("{user} is not an approver of stage `{stage}`; its seats waiting for an answer: {}", holders(.waiting))]
    NotAnApprover {
        /// The open stage.
        stage: String,
        /// The acting user.
        user: UserId,
        /// The seats not answered yet.
        waiting: Vec<Holder>,
    },
    /// Separation of duties: the acting user is a party the stage excludes.
    #[error(
        "{user} may not answer in stage `{stage}`: they are the {party} of this request (separation of duties)"
    )]
    SeparationOfDuties {
        /// The open stage.
        stage: String,
        /// The acting user.
        user: UserId,
        /// Their part on the request.
        party: Party,
    },
    /// The acting user lacks the role the stage requires of approvers.
    #[error("stage `{stage}` requires approvers to hold role `{role}`; {user} has {}", roles(.held))]
    MissingRole {
        /// The open stage.
        stage: String,
        /// The acting user.
        user: UserId,
        /// The role required.
        role: Role,
        /// The roles they hold.
        held: Vec<Role>,
    },
    /// The acting user has answered in the open stage already (an answer is final).
    #[error("{user} has already answered in stage `{stage}`; an answer cannot be changed")]
    AlreadyAnswered {
        /// The open stage.
        stage: String,
        /// The acting user.
        user: UserId,
    },
    /// The acting user delegated their seat; the delegate answers now.
    #[error("{user} delegated their seat in stage `{stage}`; {holder} answers it now")]
    SeatDelegated {
        /// The open stage.
        stage: String,
        /// The acting user.
        user: UserId,
        /// Who holds the seat now.
        holder: UserId,
    },
    /// The policy does not allow delegation.
    #[error("policy `{policy}` does not allow delegation; answer the seat yourself")]
    DelegationForbidden {
        /// The policy's name.
        policy: String,
    },
    /// The acting user holds a delegated seat, and the policy allows one delegation only.
    #[error(
        "{user} holds this seat of stage `{stage}` as the delegate of {from}; the policy allows one delegation, so answer it yourself"
    )]
    RedelegationForbidden {
        /// The open stage.
        stage: String,
        /// The acting user.
        user: UserId,
        /// Who delegated the seat to them.
        from: UserId,
    },
    /// The delegation would hand the seat back to someone who held it.
    #[error("delegating would form a cycle: {}; delegate to someone outside the chain", chain_text(.chain))]
    DelegationCycle {
        /// The open stage.
        stage: String,
        /// Who held the seat, in order, ending with the proposed delegate (already in it).
        chain: Vec<UserId>,
    },
    /// The delegate is a party the stage excludes.
    #[error(
        "{to} cannot be delegated a seat in stage `{stage}`: they are the {party} of this request (separation of duties)"
    )]
    DelegateExcluded {
        /// The open stage.
        stage: String,
        /// The proposed delegate.
        to: UserId,
        /// Their part on the request.
        party: Party,
    },
    /// The delegate holds, or has answered, another seat of the stage: one person, one seat.
    #[error("{to} already has a seat in stage `{stage}`; a person holds one seat per stage")]
    DelegateAlreadySeated {
        /// The open stage.
        stage: String,
        /// The proposed delegate.
        to: UserId,
    },
    /// A role's seat belongs to whoever holds the role; it cannot be handed on.
    #[error(
        "the seat of role `{role}` in stage `{stage}` cannot be delegated; anyone holding the role may answer it"
    )]
    RoleSeatNotDelegable {
        /// The open stage.
        stage: String,
        /// The seat's role.
        role: Role,
    },
    /// A field the command needs is empty.
    #[error("`{command}` needs a non-empty {field}")]
    MissingField {
        /// The command.
        command: CommandKind,
        /// The field.
        field: &'static str,
    },
    /// A name is not one of the lifecycle's states.
    #[error("`{name}` is not an approval state; allowed: {}", names(&StatusKind::ALL))]
    UnknownStatus {
        /// The name given.
        name: String,
    },
    /// A name is not one of the commands.
    #[error("`{name}` is not an approval command; allowed: {}", names(&CommandKind::ALL))]
    UnknownCommand {
        /// The name given.
        name: String,
    },
    /// An error of the shared vocabulary (a role, an id), passed through so that a host
    /// composes both crates' results with `?`.
    #[error(transparent)]
    Core(#[from] itsm_core::Error),
}

fn counted(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn names<T: std::fmt::Display>(values: &[T]) -> String {
    if values.is_empty() {
        return "nothing".to_owned();
    }
    let parts: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    parts.join(", ")
}

fn holders(values: &[Holder]) -> String {
    if values.is_empty() {
        return "none".to_owned();
    }
    let parts: Vec<String> = values.iter().map(ToString::to_string).collect();
    parts.join(", ")
}

fn roles(values: &[Role]) -> String {
    if values.is_empty() {
        return "no role".to_owned();
    }
    let parts: Vec<String> = values.iter().map(|r| format!("`{r}`")).collect();
    parts.join(", ")
}

fn chain_text(chain: &[UserId]) -> String {
    let parts: Vec<String> = chain.iter().map(ToString::to_string).collect();
    parts.join(" -> ")
}

fn excluded_text(excluded: &[Exclusion]) -> String {
    if excluded.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = excluded.iter().map(ToString::to_string).collect();
    format!(" (excluded: {})", parts.join("; "))
}

fn problems_text(problems: &[PolicyProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
