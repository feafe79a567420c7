//! Why a plan, a policy or a command is refused.

use chrono::{DateTime, NaiveDate, Utc};
use itsm_core::{Quoted, UserId};

use crate::model::{CheckStatus, PhaseStatus, TaskStatus};

/// The most names a message lists.
const LISTED: usize = 5;

/// Names in backticks, joined by commas, each quoted (capped and escaped); at most
/// [`LISTED`], then how many more.
fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".to_owned();
    }
    let shown = names
        .iter()
        .take(LISTED)
        .map(|n| format!("`{}`", Quoted(n)))
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(LISTED) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

fn commands(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn statuses(names: &[TaskStatus]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Everything this crate refuses. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // The plan.
    /// A name that must not be empty is.
    #[error("the {what}'s name is empty; give it a name")]
    EmptyName {
        /// What has no name.
        what: &'static str,
    },
    /// The plan's zone is not one the crate reads.
    #[error("release `{}`: unknown time zone `{}`; give {}", Quoted(.release), Quoted(.zone), .allowed)]
    UnknownZone {
        /// The release.
        release: String,
        /// The zone as written.
        zone: String,
        /// What may be written.
        allowed: &'static str,
    },
    /// A plan without phases.
    #[error("release `{}` has no phases; give at least one", Quoted(.release))]
    NoPhases {
        /// The release.
        release: String,
    },
    /// A phase without a name.
    #[error("phase {index} has an empty name; give every phase a name")]
    EmptyPhaseName {
        /// The phase's index.
        index: usize,
    },
    /// Two phases share a name.
    #[error("two phases are named `{}`; phase names must be unique", Quoted(.phase))]
    DuplicatePhase {
        /// The name.
        phase: String,
    },
    /// A timeline phase without planned dates.
    #[error("phase `{}` has no planned start or end date; a timeline release needs both on every phase", Quoted(.phase))]
    MissingDates {
        /// The phase.
        phase: String,
    },
    /// A phase that ends before it starts.
    #[error("phase `{}` ends on {end}, before it starts on {start}; the end date must be on or after the start date", Quoted(.phase))]
    PhaseEndsBeforeStart {
        /// The phase.
        phase: String,
        /// Its start.
        start: NaiveDate,
        /// Its end.
        end: NaiveDate,
    },
    /// A phase that starts before the phase listed before it.
    #[error("phase `{}` starts on {start}, before phase `{}` listed before it ({previous_start}); list phases in the order they run", Quoted(.phase), Quoted(.previous))]
    PhasesOutOfOrder {
        /// The phase.
        phase: String,
        /// Its start.
        start: NaiveDate,
        /// The phase before it.
        previous: String,
        /// That phase's start.
        previous_start: NaiveDate,
    },
    /// A task without a name.
    #[error("phase `{}`: task {index} has an empty name; give every task a name", Quoted(.phase))]
    EmptyTaskName {
        /// The phase.
        phase: String,
        /// The task's index.
        index: usize,
    },
    /// A check without a name.
    #[error("phase `{}`: a check has an empty name; name every check", Quoted(.phase))]
    EmptyCheckName {
        /// The phase.
        phase: String,
    },
    /// A check mapped twice to one phase.
    #[error("phase `{}` already has check `{}`; a check is mapped to a phase once", Quoted(.phase), Quoted(.check))]
    DuplicateCheck {
        /// The phase.
        phase: String,
        /// The check.
        check: String,
    },
    /// A date the release's zone cannot place (at chrono's ends), or whose notices could
    /// not be.
    #[error(
        "date {date} is out of range; key dates must be at least a year inside chrono's range (years -262143 to 262142)"
    )]
    DateOutOfRange {
        /// The date.
        date: NaiveDate,
    },
    /// A date before today where the policy does not allow one.
    #[error(
        "{what} is {date}, before today ({today}); give today or later, or set the policy's `allow_past_dates`"
    )]
    DateInPast {
        /// Which date.
        what: String,
        /// The date.
        date: NaiveDate,
        /// Today, in the release's zone.
        today: NaiveDate,
    },
    /// A plan without a readiness target where the policy requires one.
    #[error("release `{}` has no readiness target; the policy requires one (`require_readiness`)", Quoted(.release))]
    ReadinessRequired {
        /// The release.
        release: String,
    },
    /// A retarget would move a key date out of range, or every day is a holiday.
    #[error(
        "date {date} cannot move by {days} days: it would leave chrono's range or the holiday schedule leaves no working day"
    )]
    CannotMove {
        /// The date.
        date: NaiveDate,
        /// By how many days.
        days: i64,
    },
    // The policy.
    /// Risk weights that do not add up to 100.
    #[error("risk weights {overdue} (overdue tasks) and {check_failure} (failed checks) add up to {}; they must add up to 100", *.overdue as u64 + *.check_failure as u64)]
    InvalidRiskWeights {
        /// The overdue weight.
        overdue: u32,
        /// The failed-check weight.
        check_failure: u32,
    },
    /// A notice too many days ahead.
    #[error("`{field}` is {days} days; give at most {max}")]
    NoticeTooEarly {
        /// The field.
        field: &'static str,
        /// The days given.
        days: u32,
        /// The most allowed.
        max: u32,
    },
    // Commands.
    /// A command other than `create` or `tick` before the release exists.
    #[error("`{command}` needs a release; `create` it first")]
    NotCreated {
        /// The command.
        command: &'static str,
    },
    /// `create` on a release that exists.
    #[error("the release exists already; `create` makes a new one")]
    AlreadyCreated,
    /// A command earlier than the last event.
    #[error(
        "the clock went backwards: the last event was at {last}, the command at {now}; commands come in time order"
    )]
    ClockWentBackwards {
        /// The last event's instant.
        last: DateTime<Utc>,
        /// The command's.
        now: DateTime<Utc>,
    },
    /// A command the release's status does not accept.
    #[error("`{command}` is not allowed in status `{state}`; allowed there: {}", commands(.allowed))]
    NotAllowed {
        /// The status.
        state: &'static str,
        /// The command.
        command: &'static str,
        /// What the status accepts.
        allowed: &'static [&'static str],
    },
    /// The actor holds none of the roles the command needs.
    #[error("`{command}` needs one of the roles {}; the actor holds none of them", list(.roles))]
    Forbidden {
        /// The command.
        command: &'static str,
        /// The roles that may.
        roles: Vec<String>,
    },
    /// A phase index the release does not have.
    #[error("there is no phase {phase}; the release has {phases} (0 to {})", .phases.saturating_sub(1))]
    UnknownPhase {
        /// The index given.
        phase: usize,
        /// How many phases there are.
        phases: usize,
    },
    /// A task index the phase does not have.
    #[error("phase `{}` has no task {task}; it has {tasks}", Quoted(.phase))]
    UnknownTask {
        /// The phase.
        phase: String,
        /// The index given.
        task: usize,
        /// How many tasks it has.
        tasks: usize,
    },
    /// A phase that completed or was canceled.
    #[error("phase `{}` is {status}; tasks and checks change only on pending and in-progress phases", Quoted(.phase))]
    PhaseClosed {
        /// The phase.
        phase: String,
        /// Its status.
        status: PhaseStatus,
    },
    /// No phase is in progress.
    #[error(
        "no phase is in progress ({completed} of {phases} completed); a timeline release's first phase starts on its start date"
    )]
    NoCurrentPhase {
        /// Phases completed.
        completed: usize,
        /// Phases.
        phases: usize,
    },
    /// A field that must not be empty is.
    #[error("`{command}` needs a non-empty `{field}`")]
    MissingField {
        /// The command.
        command: &'static str,
        /// The field.
        field: &'static str,
    },
    /// A task in a status the command does not act on.
    #[error("task `{}` is {status}; `{command}` acts on a task that is {}", Quoted(.task), statuses(.allowed))]
    TaskStatus {
        /// The task.
        task: String,
        /// The command.
        command: &'static str,
        /// Its status.
        status: TaskStatus,
        /// The statuses the command acts on.
        allowed: &'static [TaskStatus],
    },
    /// Approve, reject or rerequest on a task without an approver.
    #[error("task `{}` is not an approval task; only tasks with an approver are approved or rejected", Quoted(.task))]
    NotApprovalTask {
        /// The task.
        task: String,
    },
    /// Someone other than the approver answers an approval task.
    #[error("task `{}` is approved or rejected by its approver {approver} only", Quoted(.task))]
    NotApprover {
        /// The task.
        task: String,
        /// Its approver.
        approver: UserId,
    },
    /// `close_task` on an approval task.
    #[error("task `{}` is an approval task; it closes when its approver approves it", Quoted(.task))]
    ApprovalTaskCloses {
        /// The task.
        task: String,
    },
    /// A check the phase does not have.
    #[error("phase `{}` has no check `{}`; its checks: {}", Quoted(.phase), Quoted(.check), list(.checks))]
    UnknownCheck {
        /// The phase.
        phase: String,
        /// The check named.
        check: String,
        /// The phase's checks.
        checks: Vec<String>,
    },
    /// An exception that ends before it starts.
    #[error("the exception for check `{}` ends at {to}, not after it starts at {from}", Quoted(.check))]
    ExceptionEndsBeforeStart {
        /// The check.
        check: String,
        /// Its start.
        from: DateTime<Utc>,
        /// Its end.
        to: DateTime<Utc>,
    },
    /// `complete_phase` with tasks not closed.
    #[error("phase `{}` has {open} task(s) not closed (the first, `{}`, is {status}); close them first", Quoted(.phase), Quoted(.first))]
    TasksOpen {
        /// The phase.
        phase: String,
        /// How many are not closed.
        open: usize,
        /// The first of them.
        first: String,
        /// Its status.
        status: TaskStatus,
    },
    /// `complete_phase` with a check not passing, by an actor without an override role.
    #[error("phase `{}`: check `{}` is {status}; completing the phase anyway needs one of the roles {}", Quoted(.phase), Quoted(.check), list(.roles))]
    ChecksNotPassing {
        /// The phase.
        phase: String,
        /// The first check not passing.
        check: String,
        /// Its status.
        status: CheckStatus,
        /// The override roles.
        roles: Vec<String>,
    },
    /// An included release would complete a phase ahead of the main release.
    #[error(
        "phase {phase} cannot complete: the main release is at phase {main}, and an included release completes no phase ahead of it"
    )]
    AheadOfMain {
        /// The phase.
        phase: usize,
        /// The main release's progress.
        main: usize,
    },
    /// A main release would complete a phase an included release has not reached.
    #[error(
        "phase {phase} cannot complete: included release {included} is at phase {progress}; every included release must reach the main release's phase first"
    )]
    IncludedBehind {
        /// The phase.
        phase: usize,
        /// The included release's index in the context.
        included: usize,
        /// Its progress.
        progress: usize,
    },
    /// `restart` on a timeline release.
    #[error("release `{}` is timeline-oriented; only stage-oriented releases restart from a completed phase", Quoted(.release))]
    RestartNeedsStage {
        /// The release.
        release: String,
    },
    /// `restart` from a phase that has not completed.
    #[error("phase `{}` is {status}; a release restarts from a completed phase", Quoted(.phase))]
    RestartFromUncompleted {
        /// The phase.
        phase: String,
        /// Its status.
        status: PhaseStatus,
    },
    /// `begin_review` before every phase completed.
    #[error("{completed} of {phases} phases completed; the review begins when all have")]
    PhasesNotCompleted {
        /// Phases completed.
        completed: usize,
        /// Phases.
        phases: usize,
    },
}
