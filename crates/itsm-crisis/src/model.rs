//! The event record as its events made it: its status, its activated plans and their tasks,
//! and what they say about the assets.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use itsm_core::UserId;

use crate::error::Error;
use crate::policy::Order;
use crate::spec::{AssetSpec, Classification, Kind, Phase, RecoveryLevel, named};

itsm_core::id_type!(
    /// An exercise or crisis event record (made by the host).
    CrisisId
);

named! {
    /// Where the event stands (ServiceNow's states of an exercise and crisis event).
    Status {
        /// Created, not started: plans and tasks may still be added.
        Pending => "pending",
        /// Started: tasks run.
        WorkInProgress => "work_in_progress",
        /// Submitted once every activated plan is closed; waiting for a program manager.
        PendingApproval => "pending_approval",
        /// Rejected: may be submitted again or closed.
        Returned => "returned",
        /// Approved: may be closed.
        Approved => "approved",
        /// Closed, complete.
        ClosedComplete => "closed_complete",
        /// Closed, incomplete.
        ClosedIncomplete => "closed_incomplete",
        /// Called off before it was submitted (our addition: ServiceNow deletes the record).
        Canceled => "canceled",
    }
}

impl Status {
    /// Whether nothing more can happen to the event.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::ClosedComplete | Status::ClosedIncomplete | Status::Canceled
        )
    }
}

named! {
    /// Where an event task stands (ServiceNow's event task states).
    TaskStatus {
        /// Waiting: for the event to start, its plan to open, or the tasks it depends on.
        Pending => "pending",
        /// Triggered: ready to be worked on.
        Open => "open",
        /// Being worked on (an automatic task: its flow running).
        WorkInProgress => "work_in_progress",
        /// Done.
        ClosedComplete => "closed_complete",
        /// Done, not all of it.
        ClosedIncomplete => "closed_incomplete",
        /// Skipped by a program manager (no actual start or end).
        ClosedSkipped => "closed_skipped",
        /// Failed: closed but not done; the tasks after it wait.
        ClosedFailed => "closed_failed",
    }
}

impl TaskStatus {
    /// Whether the task counts as done for the tasks after it, its plan and its assets:
    /// closed complete, incomplete or skipped (a failed task is closed but not done).
    pub fn is_done(self) -> bool {
        matches!(
            self,
            TaskStatus::ClosedComplete | TaskStatus::ClosedIncomplete | TaskStatus::ClosedSkipped
        )
    }

    /// Whether the task is in one of the four closed states.
    pub fn is_closed(self) -> bool {
        self.is_done() || self == TaskStatus::ClosedFailed
    }
}

named! {
    /// How an activated plan came into the event.
    PlanKind {
        /// Added to the event by hand (the event's own plans).
        Primary => "primary",
        /// Related to a primary plan but to none of its tasks: runs beside it.
        Related => "related",
        /// Referred to by a task: runs when that task is triggered, and the task is done
        /// when it closes.
        Child => "child",
    }
}

named! {
    /// Where an activated plan stands.
    PlanStatus {
        /// Not running yet: the event has not started, the plans it depends on are not
        /// closed, or (a child plan) its task has not been triggered.
        Pending => "pending",
        /// Running; no task has been worked on yet.
        Open => "open",
        /// A task has been worked on (its actual start recorded).
        WorkInProgress => "work_in_progress",
        /// Every task done, none incomplete.
        ClosedComplete => "closed_complete",
        /// Every task done, some incomplete; or closed by hand with work left.
        ClosedIncomplete => "closed_incomplete",
    }
}

impl PlanStatus {
    /// Whether the plan is closed.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            PlanStatus::ClosedComplete | PlanStatus::ClosedIncomplete
        )
    }
}

named! {
    /// How a plan or the event closes.
    Outcome {
        /// Complete.
        Complete => "complete",
        /// Incomplete.
        Incomplete => "incomplete",
    }
}

named! {
    /// An exercise's result.
    ExerciseResult {
        /// The plans worked.
        Successful => "successful",
        /// The plans worked, with issues to address.
        SuccessfulWithIssues => "successful_with_issues",
        /// The plans did not work.
        Unsuccessful => "unsuccessful",
    }
}

named! {
    /// How far an asset is back.
    AssetStatus {
        /// Not yet.
        NotRecovered => "not_recovered",
        /// Every task at the partial level done.
        PartiallyRecovered => "partially_recovered",
        /// Every task at the recovered level done (or, with no level given to any of its
        /// tasks, every task tagged with it), none failed.
        Recovered => "recovered",
    }
}

/// An event task: the activated plan it belongs to (its number in the event) and its Task
/// ID in that plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TaskRef {
    /// The activated plan's number (its place in [`Crisis::plans`]).
    pub plan: u32,
    /// The task's Task ID in that plan.
    pub task: u32,
}

impl TaskRef {
    /// Task `task` of activated plan `plan`.
    pub const fn new(plan: u32, task: u32) -> Self {
        TaskRef { plan, task }
    }
}

impl std::fmt::Display for TaskRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "task {} of plan {}", self.task, self.plan)
    }
}

/// One plan activated in the event: which library plan, how it came in, and how far down.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Activation {
    /// The library plan's place in [`CrisisSpec::plans`](crate::CrisisSpec::plans).
    pub spec: u32,
    /// Primary, related or child.
    pub kind: PlanKind,
    /// 1 for primary plans, one more per plan above.
    pub level: u8,
    /// For a child plan, the task that refers to it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub parent: Option<TaskRef>,
}

/// An event task.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Task {
    /// Its Task ID.
    pub id: u32,
    /// What to do.
    pub name: String,
    /// Manual or automatic, as planned.
    pub classification: Classification,
    /// Re-triggered as a manual task (an automatic task is then carried out by hand).
    pub manual: bool,
    /// Added during the event (ad hoc), not from the plan.
    pub ad_hoc: bool,
    /// Its phase.
    pub phase: Phase,
    /// Where it stands.
    pub status: TaskStatus,
    /// The Task IDs it depends on (with the one before it when ordered by Task ID).
    pub depends_on: Vec<u32>,
    /// The activated plan it refers to, if that plan was activated.
    pub child: Option<u32>,
    /// The assets it helps bring back.
    pub assets: Vec<String>,
    /// The recovery level it counts towards.
    pub level: RecoveryLevel,
    /// Left out of time calculations.
    pub exclude_from_time: bool,
    /// How long it is planned to take.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "itsm_core::duration::option")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub duration: Option<Duration>,
    /// Who carries it out.
    pub assignee: Option<UserId>,
    /// Who is told when its automation fails.
    pub backup: Option<UserId>,
    /// Its actual start (set when work starts; none for a skipped task).
    pub started: Option<DateTime<Utc>>,
    /// Its actual end (set when it closes; none for a skipped task).
    pub ended: Option<DateTime<Utc>>,
    /// Positions (in the plan's task list) of the tasks that depend on it.
    pub(crate) dependents: Vec<u32>,
    /// How many of the tasks it depends on are not done.
    pub(crate) waiting: u32,
}

impl Task {
    /// Whether it runs as an automated flow now (automatic, not re-triggered as manual).
    pub fn is_automated(&self) -> bool {
        self.classification == Classification::Automatic && !self.manual
    }

    /// How long it took, if it has both times.
    pub fn time_taken(&self) -> Option<Duration> {
        Some(self.ended?.signed_duration_since(self.started?))
    }
}

/// An activated plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ActivatedPlan {
    /// Its library plan's name.
    pub name: String,
    /// How it came in, its level and (a child plan) its task.
    pub activation: Activation,
    /// Where it stands.
    pub status: PlanStatus,
    /// Closed by hand rather than by its last task.
    pub closed_by_hand: bool,
    /// Its tasks, by Task ID.
    pub tasks: Vec<Task>,
    /// When its first task was worked on.
    pub started: Option<DateTime<Utc>>,
    /// When it closed.
    pub ended: Option<DateTime<Utc>>,
    /// The first-level plans it waits for.
    pub depends_on: Vec<u32>,
    /// Tasks not done.
    pub(crate) remaining: u32,
    /// Tasks closed incomplete.
    pub(crate) incomplete: u32,
    /// Plans it depends on that are not closed.
    pub(crate) waiting: u32,
    /// Plans that depend on it.
    pub(crate) dependents: Vec<u32>,
}

impl ActivatedPlan {
    /// Its task with Task ID `id`.
    pub fn task(&self, id: u32) -> Option<&Task> {
        self.position(id).and_then(|i| self.tasks.get(i))
    }

    pub(crate) fn position(&self, id: u32) -> Option<usize> {
        self.tasks.binary_search_by_key(&id, |t| t.id).ok()
    }

    /// Its times and effort so far ([`Progress`]).
    pub fn progress(&self) -> Result<Progress, Error> {
        progress(self.tasks.iter(), self.started, self.ended)
    }
}

/// Times and effort of a plan or an asset, from its tasks (tasks left out of time
/// calculations left out); a plan with no timed task takes its own start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Progress {
    /// The earliest actual start.
    pub started: Option<DateTime<Utc>>,
    /// The latest actual end, once every task is done (none while one is not).
    pub ended: Option<DateTime<Utc>>,
    /// The tasks' times added up ("total effort"), once every task is done.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "itsm_core::duration::option")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub effort: Option<Duration>,
    /// From the start to the end ("actual time taken"), once every task is done.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "itsm_core::duration::option")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub time_taken: Option<Duration>,
}

fn progress<'a>(
    tasks: impl Iterator<Item = &'a Task>,
    started: Option<DateTime<Utc>>,
    ended: Option<DateTime<Utc>>,
) -> Result<Progress, Error> {
    let mut all_done = true;
    let mut effort = Duration::zero();
    let (mut first, mut last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
    for task in tasks.filter(|t| !t.exclude_from_time) {
        all_done &= task.status.is_done();
        if let Some(s) = task.started {
            first = Some(first.map_or(s, |f| f.min(s)));
        }
        if let Some(e) = task.ended {
            last = Some(last.map_or(e, |l| l.max(e)));
        }
        if let Some(t) = task.time_taken() {
            effort = effort.checked_add(&t).ok_or(Error::EffortOverflow)?;
        }
    }
    // The tasks' times when they have any ("the time up to step 4 only" when later steps
    // are left out), else the record's own (a plan closed by hand, or with no timed task).
    let first = first.or(started);
    let last = last.or(ended);
    let done = all_done && last.is_some();
    Ok(Progress {
        started: first,
        ended: last.filter(|_| done),
        effort: done.then_some(effort),
        time_taken: match (first, last) {
            (Some(f), Some(l)) if done => Some(l.signed_duration_since(f)),
            _ => None,
        },
    })
}

/// An asset's recovery in the event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AssetProgress {
    /// The asset.
    pub name: String,
    /// How far it is back.
    pub status: AssetStatus,
    /// When it was recovered: the latest end of the tasks that recovered it.
    pub recovered_at: Option<DateTime<Utc>>,
    /// Its recovery time objective, if the spec gave one.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "itsm_core::duration::option")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub rto: Option<Duration>,
    /// Whether it was recovered within its objective of the event's start (none without an
    /// objective, a start or a recovery).
    pub within_rto: Option<bool>,
    /// Times and effort of the tasks tagged with it.
    pub progress: Progress,
}

/// The event record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Crisis {
    /// Its id.
    pub id: CrisisId,
    /// Its short description.
    pub name: String,
    /// Exercise or actual.
    pub kind: Kind,
    /// Where it stands.
    pub status: Status,
    /// The order its tasks run in (from the policy at creation).
    pub order: Order,
    /// Its coordinator.
    pub coordinator: Option<UserId>,
    /// The activated plans, primary plans first.
    pub plans: Vec<ActivatedPlan>,
    /// The assets it tracks with their objectives.
    pub assets: Vec<AssetSpec>,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// When it started (its actual start).
    pub started: Option<DateTime<Utc>>,
    /// Its actual end (given at submission, or the submission's time).
    pub ended: Option<DateTime<Utc>>,
    /// An exercise's result.
    pub result: Option<ExerciseResult>,
    /// When it was closed or canceled.
    pub closed: Option<DateTime<Utc>>,
}

impl Crisis {
    /// The activated plan numbered `plan`.
    pub fn plan(&self, plan: u32) -> Option<&ActivatedPlan> {
        self.plans.get(plan as usize)
    }

    /// The task `task`.
    pub fn task(&self, task: TaskRef) -> Option<&Task> {
        self.plan(task.plan)?.task(task.task)
    }

    /// The activated plans not closed.
    pub fn open_plans(&self) -> Vec<u32> {
        (0u32..)
            .zip(&self.plans)
            .filter(|(_, p)| !p.status.is_closed())
            .map(|(n, _)| n)
            .collect()
    }

    /// Every asset the spec lists or a task tags, in the spec's order then by name, with
    /// its status, when it was recovered and against its objective. One pass over the
    /// tasks.
    pub fn assets(&self) -> Result<Vec<AssetProgress>, Error> {
        let mut tagged: BTreeMap<&str, Vec<&Task>> = BTreeMap::new();
        for task in self.plans.iter().flat_map(|p| &p.tasks) {
            for asset in &task.assets {
                tagged.entry(asset.as_str()).or_default().push(task);
            }
        }
        self.assets_list()
            .into_iter()
            .map(|(name, rto)| {
                let tasks = tagged.get(name).map_or(&[][..], Vec::as_slice);
                self.asset(name, rto, tasks)
            })
            .collect()
    }

    fn asset(
        &self,
        name: &str,
        rto: Option<Duration>,
        tasks: &[&Task],
    ) -> Result<AssetProgress, Error> {
        let at = |level: RecoveryLevel| tasks.iter().filter(move |t| t.level == level);
        // Reached when every task of the set is done and none failed; the time is the latest end.
        let reached = |set: &mut dyn Iterator<Item = &&Task>| -> Option<Option<DateTime<Utc>>> {
            let mut any = false;
            let mut last: Option<DateTime<Utc>> = None;
            for t in set {
                any = true;
                if !t.status.is_done() {
                    return None;
                }
                if let Some(e) = t.ended {
                    last = Some(last.map_or(e, |l| l.max(e)));
                }
            }
            any.then_some(last)
        };
        let failed = tasks.iter().any(|t| t.status == TaskStatus::ClosedFailed);
        // With tasks at the recovered level, those; with no level chosen at all, every task
        // tagged with the asset; with partial levels only, no task brings it all the way back.
        let full = if at(RecoveryLevel::Recovered).next().is_some() {
            reached(&mut at(RecoveryLevel::Recovered))
        } else if at(RecoveryLevel::PartiallyRecovered).next().is_none() {
            reached(&mut tasks.iter())
        } else {
            None
        };
        let (status, recovered_at) = match full {
            Some(when) if !failed => (AssetStatus::Recovered, when),
            _ => match reached(&mut at(RecoveryLevel::PartiallyRecovered)) {
                Some(_) => (AssetStatus::PartiallyRecovered, None),
                None => (AssetStatus::NotRecovered, None),
            },
        };
        let within_rto = match (rto, self.started, recovered_at) {
            (Some(rto), Some(start), Some(back)) => Some(back.signed_duration_since(start) <= rto),
            _ => None,
        };
        Ok(AssetProgress {
            name: name.to_owned(),
            status,
            recovered_at,
            rto,
            within_rto,
            progress: progress(tasks.iter().copied(), None, None)?,
        })
    }
}

/// The event's state: nothing before it is created, then its record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct State {
    pub(crate) crisis: Option<Crisis>,
}

impl State {
    /// The state before the event is created.
    pub fn new() -> Self {
        State::default()
    }

    /// The event, once created.
    pub fn crisis(&self) -> Option<&Crisis> {
        self.crisis.as_ref()
    }

    /// Folds `events` in ([`evolve`](crate::evolve) for each).
    pub fn apply(&mut self, events: &[crate::Event]) {
        for event in events {
            crate::machine::apply(self, event);
        }
    }
}
