//! Why a spec, a policy or a command is refused.

use chrono::{DateTime, Utc};
use itsm_core::Quoted;

use crate::model::{Status, TaskRef, TaskStatus};

/// The most numbers a message lists.
const LISTED: usize = 5;

/// "plan 3 is" or "plans 1, 2 are", at most [`LISTED`] numbers, then how many more.
fn numbers(plans: &[u32]) -> String {
    let shown = plans
        .iter()
        .take(LISTED)
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    match (plans.len(), plans.len().saturating_sub(LISTED)) {
        (1, _) => format!("plan {shown} is"),
        (_, 0) => format!("plans {shown} are"),
        (_, more) => format!("plans {shown} and {more} more are"),
    }
}

/// Everything this crate refuses. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // The spec and the policy.
    /// A name that must not be empty or blank is.
    #[error("the {what}'s name is empty; give it a name")]
    EmptyName {
        /// What has no name.
        what: &'static str,
    },
    /// Two plans of the spec share a name.
    #[error("two plans are named `{}`; give each plan its own name", Quoted(.plan))]
    DuplicatePlan {
        /// The name.
        plan: String,
    },
    /// A plan named somewhere is not in the spec.
    #[error("{by} names plan `{}`, which the spec does not have; name one of its plans", Quoted(.plan))]
    UnknownPlan {
        /// The name.
        plan: String,
        /// Where it is named (for example "the event's plans to activate").
        by: String,
    },
    /// The event activates no plan.
    #[error("the event activates no plan; name at least one plan of the spec in `activate`")]
    NothingActivated,
    /// The event activates a plan twice.
    #[error("the event activates plan `{}` twice; name each plan once", Quoted(.plan))]
    DuplicateActivation {
        /// The plan.
        plan: String,
    },
    /// Two tasks of a plan share a Task ID.
    #[error("plan `{}` has two tasks with Task ID {id}; give each task its own", Quoted(.plan))]
    DuplicateTaskId {
        /// The plan.
        plan: String,
        /// The Task ID.
        id: u32,
    },
    /// A task depends on a Task ID its plan does not have.
    #[error("task {task} of plan `{}` depends on Task ID {depends_on}, which the plan does not have; name a task of the same plan", Quoted(.plan))]
    UnknownDependency {
        /// The plan.
        plan: String,
        /// The task.
        task: u32,
        /// The Task ID it names.
        depends_on: u32,
    },
    /// A task depends on itself.
    #[error("task {task} of plan `{}` depends on itself; name other tasks", Quoted(.plan))]
    SelfDependency {
        /// The plan.
        plan: String,
        /// The task.
        task: u32,
    },
    /// Two assets of the spec share a name.
    #[error("the spec lists asset `{}` twice; list each asset once", Quoted(.asset))]
    DuplicateAsset {
        /// The asset.
        asset: String,
    },
    /// The spec has more plans than this crate takes.
    #[error("the spec has {count} plans; at most {max} are allowed")]
    TooManyPlans {
        /// How many.
        count: usize,
        /// The limit ([`MAX_PLANS`](crate::MAX_PLANS)).
        max: usize,
    },
    /// Activating the plans (each referred plan once per task referring to it) makes more
    /// tasks than this crate takes.
    #[error(
        "activating the event's plans makes more than {max} tasks; activate fewer levels or plans"
    )]
    TooManyTasks {
        /// The limit ([`MAX_TASKS`](crate::MAX_TASKS)).
        max: usize,
    },
    /// The policy's levels are out of range.
    #[error("the policy activates {levels} levels of plans; give 1 to {max}")]
    InvalidLevels {
        /// The levels given.
        levels: u8,
        /// The most ([`MAX_LEVELS`](crate::MAX_LEVELS)).
        max: u8,
    },

    // Commands.
    /// A command other than `create` before the event exists.
    #[error("there is no event yet; `create` it first")]
    NotCreated,
    /// `create` on an event that exists.
    #[error("the event exists already; `create` makes a new one only")]
    AlreadyCreated,
    /// The actor lacks the roles for the command.
    #[error("`{command}` needs one of the roles {roles}; the actor has none of them")]
    Forbidden {
        /// The command.
        command: &'static str,
        /// The roles that may, listed.
        roles: String,
    },
    /// The command does not apply in the event's status.
    #[error("`{command}` applies to an event that is {allowed}; this one is `{status}`")]
    WrongStatus {
        /// The command.
        command: &'static str,
        /// The event's status.
        status: Status,
        /// The statuses it applies in, described.
        allowed: &'static str,
    },
    /// No activated plan has this number.
    #[error("the event has no activated plan {plan}; its plans are numbered 0 to {last}", last = .count.saturating_sub(1))]
    NoSuchPlan {
        /// The number given.
        plan: u32,
        /// How many activated plans there are.
        count: usize,
    },
    /// No task has this reference.
    #[error("the event has no {task}")]
    NoSuchTask {
        /// The reference given.
        task: TaskRef,
    },
    /// The command does not apply to a task in its status.
    #[error("`{command}` applies to a task that is {allowed}; {task} is `{status}`")]
    WrongTaskStatus {
        /// The command.
        command: &'static str,
        /// The task.
        task: TaskRef,
        /// Its status.
        status: TaskStatus,
        /// The statuses it applies in, described.
        allowed: &'static str,
    },
    /// The plan was closed by hand (or, for an ad-hoc task, is closed): reopen nothing in
    /// it.
    #[error("plan {plan} is closed; {what}")]
    PlanClosed {
        /// The plan.
        plan: u32,
        /// What is refused.
        what: &'static str,
    },
    /// Submitting (or closing without approval) with plans still open.
    #[error("all activated plans must be closed before submitting the event for an approval; {} not", numbers(.plans))]
    PlansOpen {
        /// The plans not closed.
        plans: Vec<u32>,
    },
    /// An exercise submitted without a result.
    #[error("an exercise needs its result recorded (`record_result`) before it is submitted")]
    ResultMissing,
    /// An actual end before the actual start.
    #[error(
        "{task} would end at {ended}, before it started at {started}; give an end at or after its start"
    )]
    EndBeforeStart {
        /// The task.
        task: TaskRef,
        /// Its actual start.
        started: DateTime<Utc>,
        /// The end given.
        ended: DateTime<Utc>,
    },
    /// The event's actual end before its start.
    #[error(
        "the event would end at {ended}, before it started at {started}; give an end at or after its start"
    )]
    EventEndBeforeStart {
        /// Its actual start.
        started: DateTime<Utc>,
        /// The end given.
        ended: DateTime<Utc>,
    },
    /// Re-triggering the automation of a task that is not automated.
    #[error(
        "{task} is not run by an automated flow (manual, or re-triggered as manual); re-trigger it with `retrigger`"
    )]
    NotAutomated {
        /// The task.
        task: TaskRef,
    },
    /// A plan closed by hand as complete with tasks not complete.
    #[error("plan {plan} has tasks neither closed complete nor skipped; close it as incomplete")]
    NotAllComplete {
        /// The plan.
        plan: u32,
    },
    /// A plan holds the highest Task ID already: no ad-hoc task can follow it.
    #[error("plan {plan} already has Task ID {max}; an ad-hoc task takes the next one", max = u32::MAX)]
    TaskIdsExhausted {
        /// The plan.
        plan: u32,
    },
    /// A planned start or end falls past chrono's range.
    #[error(
        "{task} would be planned to end past the representable dates (year 262142); give a planned start or durations inside them"
    )]
    PlannedOutOfRange {
        /// The task.
        task: TaskRef,
    },
    /// A negative planned duration.
    #[error("{what} is planned to take {}; give zero or more", itsm_core::duration::format(*.duration))]
    NegativeDuration {
        /// The task, described.
        what: String,
        /// The duration given.
        duration: chrono::Duration,
    },
    /// The tasks' times add up past what a duration holds.
    #[error(
        "the tasks' times add up past what a duration holds (about 292 million years); check their actual starts and ends"
    )]
    EffortOverflow,
}
