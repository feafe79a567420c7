//! The release record as its events made it: statuses, phases, tasks and checks.

use chrono::{DateTime, NaiveDate, Utc};
use itsm_calendar::Holiday;
use itsm_core::UserId;

use crate::plan::Process;

itsm_core::id_type!(
    /// A release record (made by the host).
    ReleaseId
);

use itsm_core::named_enum as named;

named!(
    /// Where a release stands.
    Status {
        /// Planned, not started.
        Draft => "draft",
        /// Its phases are running.
        InProgress => "in_progress",
        /// Every phase completed; the release is being reviewed.
        Review => "review",
        /// Reviewed and closed.
        Completed => "completed",
        /// Called off.
        Canceled => "canceled",
    }
);

named!(
    /// Where a phase stands. At most one phase of a release is in progress.
    PhaseStatus {
        /// Not reached yet (or reset by a restart).
        Pending => "pending",
        /// The current phase.
        InProgress => "in_progress",
        /// Done.
        Completed => "completed",
        /// The release was canceled before the phase completed.
        Canceled => "canceled",
    }
);

named!(
    /// Where a task stands.
    TaskStatus {
        /// Its phase has not opened it yet.
        Pending => "pending",
        /// Open for work.
        Open => "open",
        /// An approval task waiting for its approver.
        Requested => "requested",
        /// Being worked on.
        InProgress => "in_progress",
        /// An approval task its approver rejected (a manager may request it again).
        Rejected => "rejected",
        /// Closed, done.
        ClosedComplete => "closed_complete",
        /// Closed, not done.
        ClosedIncomplete => "closed_incomplete",
        /// Closed as skipped.
        Skipped => "skipped",
        /// The release was canceled while the task was not closed.
        Canceled => "canceled",
    }
);

impl TaskStatus {
    /// Closed for the phase's completion: closed complete, closed incomplete or skipped
    /// (ServiceNow's close states).
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            TaskStatus::ClosedComplete | TaskStatus::ClosedIncomplete | TaskStatus::Skipped
        )
    }

    /// Taken up and not closed: open, requested, in progress or rejected. A sequential
    /// policy opens the next task only when none is active.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            TaskStatus::Open
                | TaskStatus::Requested
                | TaskStatus::InProgress
                | TaskStatus::Rejected
        )
    }
}

named!(
    /// The last result of a check (ServiceNow's policy run status).
    CheckStatus {
        /// Not run since it was mapped or reset.
        NotRun => "not_run",
        /// Asked for; the host has not recorded the result yet.
        Running => "running",
        /// Passed.
        Compliant => "compliant",
        /// Failed.
        NonCompliant => "non_compliant",
        /// Failed while an exception for it was in force.
        CompliantWithException => "compliant_with_exception",
    }
);

impl CheckStatus {
    /// Whether a phase may complete on it: compliant, or compliant with an exception.
    pub fn passes(self) -> bool {
        matches!(
            self,
            CheckStatus::Compliant | CheckStatus::CompliantWithException
        )
    }

    /// Whether a run finished: compliant, non-compliant or compliant with an exception.
    pub fn is_result(self) -> bool {
        matches!(
            self,
            CheckStatus::Compliant
                | CheckStatus::NonCompliant
                | CheckStatus::CompliantWithException
        )
    }
}

/// A release, as its events made it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Release {
    pub(crate) id: ReleaseId,
    pub(crate) name: String,
    pub(crate) process: Process,
    pub(crate) zone: Option<String>,
    pub(crate) readiness: Option<NaiveDate>,
    pub(crate) readiness_noticed: bool,
    pub(crate) holidays: Vec<Holiday>,
    pub(crate) status: Status,
    pub(crate) phases: Vec<Phase>,
    pub(crate) exceptions: Vec<CheckException>,
    pub(crate) review: Option<String>,
    pub(crate) cancel_reason: Option<String>,
    pub(crate) created_by: UserId,
    pub(crate) started_at: Option<DateTime<Utc>>,
    pub(crate) last_at: DateTime<Utc>,
}

impl Release {
    /// Its id.
    pub fn id(&self) -> ReleaseId {
        self.id
    }
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Its process.
    pub fn process(&self) -> Process {
        self.process
    }
    /// The zone its dates are read in, as written (`None`: UTC).
    pub fn zone(&self) -> Option<&str> {
        self.zone.as_deref()
    }
    /// The readiness target.
    pub fn readiness(&self) -> Option<NaiveDate> {
        self.readiness
    }
    /// Its holiday schedule.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }
    /// Where it stands.
    pub fn status(&self) -> Status {
        self.status
    }
    /// Its phases, in order.
    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }
    /// The phase in progress, with its index.
    ///
    /// Cost: a binary search (phases complete in order, so the completed ones come first).
    pub fn current(&self) -> Option<(usize, &Phase)> {
        let k = self.progress();
        self.phases
            .get(k)
            .filter(|p| p.status == PhaseStatus::InProgress)
            .map(|p| (k, p))
    }
    /// How many phases completed: the index of the current phase, or of the next to start.
    /// A multi-product host passes this as the main release's or an included release's
    /// progress ([`Context::included_in`](crate::Context::included_in),
    /// [`Context::with_included`](crate::Context::with_included)).
    ///
    /// Cost: a binary search.
    pub fn progress(&self) -> usize {
        self.phases
            .partition_point(|p| p.status == PhaseStatus::Completed)
    }
    /// The check exceptions granted.
    pub fn exceptions(&self) -> &[CheckException] {
        &self.exceptions
    }
    /// The review's notes, once finished.
    pub fn review(&self) -> Option<&str> {
        self.review.as_deref()
    }
    /// Why it was canceled.
    pub fn cancel_reason(&self) -> Option<&str> {
        self.cancel_reason.as_deref()
    }
    /// Who created it.
    pub fn created_by(&self) -> UserId {
        self.created_by
    }
    /// When it started.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.started_at
    }
    /// The instant of its last event.
    pub fn last_at(&self) -> DateTime<Utc> {
        self.last_at
    }
}

/// A phase of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Phase {
    pub(crate) name: String,
    pub(crate) start: Option<NaiveDate>,
    pub(crate) end: Option<NaiveDate>,
    pub(crate) status: PhaseStatus,
    pub(crate) started_at: Option<DateTime<Utc>>,
    pub(crate) ended_at: Option<DateTime<Utc>>,
    pub(crate) forced: bool,
    pub(crate) restarts: u32,
    pub(crate) end_noticed: bool,
    pub(crate) tasks: Vec<Task>,
    pub(crate) checks: Vec<Check>,
}

impl Phase {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The planned start date.
    pub fn start(&self) -> Option<NaiveDate> {
        self.start
    }
    /// The planned end date (inclusive).
    pub fn end(&self) -> Option<NaiveDate> {
        self.end
    }
    /// Where it stands.
    pub fn status(&self) -> PhaseStatus {
        self.status
    }
    /// When it last started.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.started_at
    }
    /// When it completed (its actual end).
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.ended_at
    }
    /// Whether it was completed with checks not passing, by an override role.
    pub fn forced(&self) -> bool {
        self.forced
    }
    /// How many times a restart caught it in progress (ServiceNow marks that run of the
    /// phase "restarted").
    pub fn restarts(&self) -> u32 {
        self.restarts
    }
    /// Its tasks.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }
    /// Its checks.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }
    /// Whether it may complete: every task closed, every check passing.
    pub fn is_done(&self) -> bool {
        self.tasks.iter().all(|t| t.status.is_closed())
            && self.checks.iter().all(|c| c.status.passes())
    }
}

/// A task of a phase.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Task {
    pub(crate) name: String,
    pub(crate) due: Option<NaiveDate>,
    pub(crate) approver: Option<UserId>,
    pub(crate) status: TaskStatus,
    pub(crate) due_noticed: bool,
    pub(crate) rejection: Option<String>,
}

impl Task {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Its due date.
    pub fn due(&self) -> Option<NaiveDate> {
        self.due
    }
    /// Its approver, for an approval task.
    pub fn approver(&self) -> Option<UserId> {
        self.approver
    }
    /// Where it stands.
    pub fn status(&self) -> TaskStatus {
        self.status
    }
    /// Why its approver rejected it, while rejected.
    pub fn rejection(&self) -> Option<&str> {
        self.rejection.as_deref()
    }
}

/// A check mapped to a phase, with its last result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Check {
    pub(crate) name: String,
    pub(crate) status: CheckStatus,
}

impl Check {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Its last result.
    pub fn status(&self) -> CheckStatus {
        self.status
    }
}

/// An approved exception for a check: a failed result recorded from `from` until before
/// `to` counts as compliant with exception.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CheckException {
    /// The check's name (in any phase).
    pub check: String,
    /// When it starts.
    pub from: DateTime<Utc>,
    /// When it ends (exclusive).
    pub to: DateTime<Utc>,
    /// Why it was granted.
    pub justification: String,
}

/// A release's state: nothing before [`Command::Create`](crate::Command::Create), then the
/// release.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct State {
    pub(crate) release: Option<Box<Release>>,
}

impl State {
    /// A release not created yet.
    pub fn new() -> Self {
        State::default()
    }

    /// Folds `events` in order ([`evolve`](crate::evolve) each).
    pub fn apply(&mut self, events: &[crate::Event]) {
        for e in events {
            crate::machine::evolve_in_place(self, e);
        }
    }

    /// The release, once created.
    pub fn release(&self) -> Option<&Release> {
        self.release.as_deref()
    }
}
