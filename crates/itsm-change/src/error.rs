//! Why `decide` refuses a command, and why a policy is refused.

use chrono::{DateTime, Utc};
use itsm_core::{Impact, Quoted};

use crate::model::{Phase, ReviewOutcome};

/// A refused command or an unsound policy. Each variant names what was wrong and what is
/// allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The change's model has no such transition from this phase.
    #[error("`{}` is not allowed in phase `{phase}` of a `{}` change; allowed there: {}", Quoted(.command), Quoted(.model), names(.allowed))]
    NotAllowed {
        /// The change's model.
        model: String,
        /// The current phase (`unraised` before `raise`).
        phase: String,
        /// The command refused.
        command: String,
        /// The commands the phase accepts.
        allowed: Vec<String>,
    },
    /// The actor holds none of the roles the policy allows for the command.
    #[error("`{command}` refused: {reason}")]
    Denied {
        /// The command refused.
        command: String,
        /// The permission check's answer, printed as part of this message (not a `source`).
        reason: itsm_core::Error,
    },
    /// The time in the context is earlier than the change's last event.
    #[error(
        "the clock went backwards: now is {now} but the change was last updated at {last}; time must not decrease"
    )]
    ClockWentBackwards {
        /// The change's last update.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// The request names a model the policy does not have.
    #[error("change model `{}` is not in the policy; allowed: {}", Quoted(.model), names(.allowed))]
    UnknownModel {
        /// The model named.
        model: String,
        /// The policy's models.
        allowed: Vec<String>,
    },
    /// The change has no task with this id.
    #[error("change task {task} is not on this change")]
    UnknownTask {
        /// The task named.
        task: crate::task::ChangeTaskId,
    },
    /// A task with this id is already on the change.
    #[error("change task {task} is already on this change; task ids must be unique")]
    DuplicateTask {
        /// The task named.
        task: crate::task::ChangeTaskId,
    },
    /// The task is closed or canceled: it never moves again.
    #[error("change task {task} is {state}; a closed or canceled task cannot change")]
    TaskFinished {
        /// The task.
        task: crate::task::ChangeTaskId,
        /// Its state's name.
        state: &'static str,
    },
    /// The task is on hold by hand: only canceling it or taking it off hold is allowed.
    #[error("change task {task} is on hold ({}); take it off hold or cancel it", Quoted(.reason))]
    TaskOnHold {
        /// The task.
        task: crate::task::ChangeTaskId,
        /// Why it is on hold.
        reason: String,
    },
    /// The command needs a task that is not on hold (or one that is).
    #[error("change task {task} is not on hold")]
    TaskNotOnHold {
        /// The task.
        task: crate::task::ChangeTaskId,
    },
    /// The task is on hold because its change is: it comes off hold with the change (only
    /// canceling it is allowed meanwhile).
    #[error("change task {task} is on hold with its change; take the change off hold (`resume`)")]
    TaskHeldByChange {
        /// The task.
        task: crate::task::ChangeTaskId,
    },
    /// An implementation task's window does not lie within the change's planned window.
    #[error("implementation task {task} must be planned within the change's window{}", match .change { Some(w) => format!(" ({} to {})", w.start, w.end), None => "; plan the change first".to_owned() })]
    TaskOutsideWindow {
        /// The task.
        task: crate::task::ChangeTaskId,
        /// The change's window, if planned.
        change: Option<crate::model::Window>,
    },
    /// A task's close code is not one of the policy's close codes.
    #[error("close code `{}` is not in the policy; allowed: {}", Quoted(.code), names(.allowed))]
    UnknownTaskCloseCode {
        /// The code given.
        code: String,
        /// The policy's close codes (of every outcome).
        allowed: Vec<String>,
    },
    /// The change cannot close while tasks are active.
    #[error("the change has {} active task(s) ({}); close or cancel them before closing the change", .tasks.len(), task_list(.tasks))]
    OpenTasks {
        /// The active tasks.
        tasks: Vec<crate::task::ChangeTaskId>,
    },
    /// `retype` outside the new phase, or after an approval was requested.
    #[error("`retype` needs a new change whose approval was never requested (its type is read-only once {why}); the change is in `{}`", Quoted(.state))]
    TypeLocked {
        /// The change's state.
        state: String,
        /// Why the type is locked: `closed or canceled`, `submitted` or `an approval was
        /// requested`.
        why: &'static str,
    },
    /// The model needs a pre-approved template and the request names none, or another one.
    #[error("a `{model}` change comes from a pre-approved template; allowed: {}", names(.allowed))]
    Template {
        /// The model.
        model: String,
        /// The template named, if any.
        template: Option<String>,
        /// The model's templates.
        allowed: Vec<String>,
    },
    /// A field the command needs is empty.
    #[error("`{command}` needs a non-empty {field}")]
    MissingField {
        /// The command.
        command: &'static str,
        /// The field.
        field: &'static str,
    },
    /// Leaving assessment needs a risk assessment first.
    #[error("the change has no risk assessment; send `assess` before `complete_assessment`")]
    RiskNotAssessed,
    /// Moving to scheduled needs a planned window.
    #[error("the change has no planned window; send `plan` with a window before it is scheduled")]
    WindowRequired,
    /// A window that does not end after it starts.
    #[error("the window from {start} to {end} does not end after it starts")]
    InvalidWindow {
        /// Its start.
        start: DateTime<Utc>,
        /// Its end.
        end: DateTime<Utc>,
    },
    /// Implementation may not start before the planned window.
    #[error("implementation may start at {start}, the window's start; now is {now}")]
    BeforeWindow {
        /// The window's start.
        start: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// The change is on hold: it cannot move on until resumed.
    #[error("the change is on hold ({reason}); `resume` it first")]
    OnHold {
        /// Why it is on hold.
        reason: String,
    },
    /// The change is not on hold.
    #[error("the change is not on hold; only a change on hold can be resumed")]
    NotOnHold,
    /// The close code is not one of the policy's codes for that outcome.
    #[error("close code `{code}` is not allowed for outcome `{outcome}`; allowed: {}", names(.allowed))]
    UnknownCloseCode {
        /// The code given.
        code: String,
        /// The review's outcome.
        outcome: ReviewOutcome,
        /// The codes allowed for it.
        allowed: Vec<String>,
    },
    /// A question of the risk questionnaire has no answer.
    #[error("risk question `{question}` is not answered; every question needs an answer")]
    UnansweredQuestion {
        /// The question.
        question: String,
    },
    /// An answer is not one of the question's.
    #[error("`{}` is not an answer to risk question `{}`; allowed: {}", Quoted(.answer), Quoted(.question), names(.allowed))]
    UnknownAnswer {
        /// The question.
        question: String,
        /// The answer given.
        answer: String,
        /// The question's answers.
        allowed: Vec<String>,
    },
    /// The impact is off the risk lookup's scale.
    #[error("impact {} is off the risk lookup's scale; allowed: 1 to 3", .impact.0)]
    Impact {
        /// The impact given.
        impact: Impact,
    },
    /// The likelihood is off the risk lookup's scale.
    #[error("likelihood {likelihood} is off the risk lookup's scale; allowed: 1 to 3")]
    Likelihood {
        /// The likelihood given.
        likelihood: u8,
    },
    /// The risk policy is unsound.
    #[error("the risk policy is invalid: {}", .problems.join("; "))]
    InvalidRiskPolicy {
        /// Every problem found.
        problems: Vec<String>,
    },
    /// The change policy is unsound (its models, close codes or risk policy).
    #[error("the change policy is invalid: {}", .problems.join("; "))]
    InvalidPolicy {
        /// Every problem found.
        problems: Vec<String>,
    },
    /// A name is not one of the phases.
    #[error("`{}` is not a change phase; allowed: {}", Quoted(.name), names(&Phase::ALL))]
    UnknownPhase {
        /// The name given.
        name: String,
    },
    /// The running approval refused the command (an approver not eligible, a delegation not
    /// allowed, ...); its own error says why.
    #[error(transparent)]
    Approval(#[from] itsm_approval::Error),
    /// An approval command came with no approval running (send `request_approval` first),
    /// or `request_approval` while one is still pending.
    #[error("{0}")]
    ApprovalRound(&'static str),
    /// The model is authorised through an approval: `authorize` by hand is not its way.
    #[error(
        "a `{model}` change is authorised through its approval; send `request_approval` and the approvers' answers"
    )]
    AuthorizedByApproval {
        /// The model.
        model: String,
    },
    /// The planned window conflicts with the change calendar and the policy blocks such
    /// windows.
    #[error("the window conflicts with the change calendar: {}", .conflicts.join("; "))]
    Conflicts {
        /// Each conflict, explained.
        conflicts: Vec<String>,
    },
    /// The change calendar refused the check (a window it cannot hold).
    #[error(transparent)]
    Schedule(#[from] itsm_schedule::Error),
    /// An error of the shared vocabulary (a role, an id), passed through so that a host
    /// composes both crates' results with `?`.
    #[error(transparent)]
    Core(#[from] itsm_core::Error),
}

fn names<T: std::fmt::Display>(values: &[T]) -> String {
    if values.is_empty() {
        return "nothing".to_owned();
    }
    let parts: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    parts.join(", ")
}

/// At most five task ids, then how many more.
fn task_list(tasks: &[crate::task::ChangeTaskId]) -> String {
    let mut out: Vec<String> = tasks.iter().take(5).map(ToString::to_string).collect();
    if tasks.len() > 5 {
        out.push(format!("and {} more", tasks.len() - 5));
    }
    out.join(", ")
}
