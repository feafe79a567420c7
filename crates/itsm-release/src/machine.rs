//! `decide`, `evolve` and `next_deadline`, and the status tables the docs draw.

use std::borrow::Cow;

use chrono::{DateTime, Days, Utc};
use itsm_calendar::Zone;
use itsm_core::Actor;

use crate::command::{Command, Outcome, TaskRef};
use crate::error::Error;
use crate::event::Event;
use crate::model::{
    Check, CheckException, CheckStatus, Phase, PhaseStatus, Release, State, Status, Task,
    TaskStatus,
};
use crate::plan::{self, Process};
use crate::policy::{Policy, RestartTasks};
use crate::{handle, lifecycle};

/// What `decide` needs besides the state and the command: the time, who acts, the policy,
/// and for a release that is part of a multi-product release, where the others stand.
/// Nothing is read from the environment.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The current time, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command.
    pub actor: &'a Actor,
    /// The vendor's configuration.
    pub policy: &'a Policy,
    /// For a release included in a multi-product release: the main release's
    /// [`progress`](crate::Release::progress). It completes no phase ahead of the main
    /// release's current phase.
    pub main_progress: Option<usize>,
    /// For a main release: each included release's progress. It completes phase `i` only
    /// when every included release has reached phase `i`.
    pub included_progress: &'a [usize],
}

impl<'a> Context<'a> {
    /// The context of one call, for a release on its own.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context {
            now,
            actor,
            policy,
            main_progress: None,
            included_progress: &[],
        }
    }

    /// The same context for a release included in a main release at `progress`.
    #[must_use]
    pub const fn included_in(mut self, progress: usize) -> Self {
        self.main_progress = Some(progress);
        self
    }

    /// The same context for a main release whose included releases stand at `progress`.
    #[must_use]
    pub const fn with_included(mut self, progress: &'a [usize]) -> Self {
        self.included_progress = progress;
        self
    }

    /// Whether the multi-product rules let phase `phase` complete now.
    pub(crate) fn sync_allows(&self, phase: usize) -> Result<(), Error> {
        if let Some(main) = self.main_progress.filter(|m| phase > *m) {
            return Err(Error::AheadOfMain { phase, main });
        }
        if let Some((index, behind)) = self
            .included_progress
            .iter()
            .enumerate()
            .find(|(_, p)| **p < phase)
        {
            return Err(Error::IncludedBehind {
                phase,
                included: index,
                progress: *behind,
            });
        }
        Ok(())
    }
}

/// Folds one event into the state. Never fails: events are facts `decide` produced; an
/// event naming a phase or task the release does not have changes nothing of it.
pub fn evolve(mut state: State, event: &Event) -> State {
    evolve_in_place(&mut state, event);
    state
}

pub(crate) fn evolve_in_place(state: &mut State, event: &Event) {
    if let Event::Created {
        release,
        plan,
        at,
        by,
    } = event
    {
        state.release = Some(Box::new(created(*release, plan, *at, *by)));
        return;
    }
    if let Some(r) = state.release.as_deref_mut() {
        apply(r, event);
    }
}

fn created(
    id: crate::ReleaseId,
    plan: &plan::Plan,
    at: DateTime<Utc>,
    by: itsm_core::UserId,
) -> Release {
    Release {
        id,
        name: plan.name.clone(),
        process: plan.process,
        zone: plan.zone.clone(),
        readiness: plan.readiness,
        readiness_noticed: false,
        holidays: plan.holidays.clone(),
        status: Status::Draft,
        phases: plan
            .phases
            .iter()
            .map(|p| Phase {
                name: p.name.clone(),
                start: p.start,
                end: p.end,
                status: PhaseStatus::Pending,
                started_at: None,
                ended_at: None,
                forced: false,
                restarts: 0,
                end_noticed: false,
                tasks: p.tasks.iter().map(new_task).collect(),
                checks: p.checks.iter().map(|c| new_check(c)).collect(),
            })
            .collect(),
        exceptions: Vec::new(),
        review: None,
        cancel_reason: None,
        created_by: by,
        started_at: None,
        last_at: at,
    }
}

fn new_task(spec: &plan::TaskSpec) -> Task {
    Task {
        name: spec.name.clone(),
        due: spec.due,
        approver: spec.approver,
        status: TaskStatus::Pending,
        due_noticed: false,
        rejection: None,
    }
}

fn new_check(name: &str) -> Check {
    Check {
        name: name.to_owned(),
        status: CheckStatus::NotRun,
    }
}

/// An opened task: open, or requested for an approval task.
fn opened(task: &Task) -> TaskStatus {
    if task.approver.is_some() {
        TaskStatus::Requested
    } else {
        TaskStatus::Open
    }
}

fn task_mut(r: &mut Release, at: TaskRef) -> Option<&mut Task> {
    r.phases.get_mut(at.phase)?.tasks.get_mut(at.task)
}

fn apply(r: &mut Release, event: &Event) {
    r.last_at = r.last_at.max(event.at());
    match event {
        Event::Created { .. } => {}
        Event::Started { at, .. } => {
            r.status = Status::InProgress;
            r.started_at = Some(*at);
        }
        Event::PhaseStarted { phase, at } => {
            if let Some(p) = r.phases.get_mut(*phase) {
                p.status = PhaseStatus::InProgress;
                p.started_at = Some(*at);
                p.ended_at = None;
            }
        }
        Event::TasksOpened { tasks, .. } => {
            for at in tasks {
                if let Some(task) = task_mut(r, *at) {
                    task.status = opened(task);
                }
            }
        }
        Event::TaskStarted { task, .. } => {
            if let Some(task) = task_mut(r, *task) {
                task.status = TaskStatus::InProgress;
            }
        }
        Event::TaskClosed { task, outcome, .. } => {
            if let Some(task) = task_mut(r, *task) {
                task.status = match outcome {
                    Outcome::Complete => TaskStatus::ClosedComplete,
                    Outcome::Incomplete => TaskStatus::ClosedIncomplete,
                    Outcome::Skipped => TaskStatus::Skipped,
                };
            }
        }
        Event::TaskApproved { task, .. } => {
            if let Some(task) = task_mut(r, *task) {
                task.status = TaskStatus::ClosedComplete;
                task.rejection = None;
            }
        }
        Event::TaskRejected { task, reason, .. } => {
            if let Some(task) = task_mut(r, *task) {
                task.status = TaskStatus::Rejected;
                task.rejection = Some(reason.clone());
            }
        }
        Event::TaskRerequested { task, .. } => {
            if let Some(task) = task_mut(r, *task) {
                task.status = TaskStatus::Requested;
                task.rejection = None;
            }
        }
        Event::TaskAdded { phase, task, .. } => {
            if let Some(p) = r.phases.get_mut(*phase) {
                p.tasks.push(new_task(task));
            }
        }
        Event::CheckMapped { phase, check, .. } => {
            if let Some(p) = r.phases.get_mut(*phase) {
                p.checks.push(new_check(check));
            }
        }
        Event::CheckUnmapped { phase, check, .. } => {
            if let Some(p) = r.phases.get_mut(*phase) {
                p.checks.retain(|c| c.name != *check);
            }
        }
        Event::ChecksRequested { phase, checks, .. } => {
            if let Some(p) = r.phases.get_mut(*phase) {
                let checks: std::collections::BTreeSet<&str> =
                    checks.iter().map(String::as_str).collect();
                for c in p
                    .checks
                    .iter_mut()
                    .filter(|c| checks.contains(c.name.as_str()))
                {
                    c.status = CheckStatus::Running;
                }
            }
        }
        Event::CheckRecorded {
            phase,
            check,
            status,
            ..
        } => {
            if let Some(c) = r
                .phases
                .get_mut(*phase)
                .and_then(|p| p.checks.iter_mut().find(|c| c.name == *check))
            {
                c.status = *status;
            }
        }
        Event::ExceptionGranted {
            check,
            from,
            to,
            justification,
            ..
        } => r.exceptions.push(CheckException {
            check: check.clone(),
            from: *from,
            to: *to,
            justification: justification.clone(),
        }),
        Event::PhaseCompleted {
            phase, forced, at, ..
        } => {
            if let Some(p) = r.phases.get_mut(*phase) {
                p.status = PhaseStatus::Completed;
                p.ended_at = Some(*at);
                p.forced = *forced;
            }
        }
        Event::Restarted {
            from,
            current,
            tasks,
            at,
            ..
        } => restart(r, *from, *current, *tasks, *at),
        Event::Retargeted { to, days, at, .. } => retarget(r, *to, *days, *at),
        Event::PhaseEndReached { phase, .. } => {
            if let Some(p) = r.phases.get_mut(*phase) {
                p.end_noticed = true;
            }
        }
        Event::TaskDueSoon { task, .. } => {
            if let Some(task) = task_mut(r, *task) {
                task.due_noticed = true;
            }
        }
        Event::ReadinessNear { .. } => r.readiness_noticed = true,
        Event::ReviewStarted { .. } => r.status = Status::Review,
        Event::ReviewFinished { notes, .. } => r.review = Some(notes.clone()),
        Event::Completed { .. } => r.status = Status::Completed,
        Event::Canceled { reason, .. } => {
            r.status = Status::Canceled;
            r.cancel_reason = Some(reason.clone());
            for p in &mut r.phases {
                if matches!(p.status, PhaseStatus::Pending | PhaseStatus::InProgress) {
                    p.status = PhaseStatus::Canceled;
                }
                for task in &mut p.tasks {
                    if !task.status.is_closed() {
                        task.status = TaskStatus::Canceled;
                    }
                }
            }
        }
    }
}

fn restart(
    r: &mut Release,
    from: usize,
    current: Option<usize>,
    tasks: RestartTasks,
    at: DateTime<Utc>,
) {
    let last = current.unwrap_or(r.phases.len().saturating_sub(1));
    if let Some(p) = current.and_then(|c| r.phases.get_mut(c)) {
        p.restarts = p.restarts.saturating_add(1);
    }
    for (i, p) in r.phases.iter_mut().enumerate() {
        if i < from || i > last {
            continue;
        }
        p.status = if i == from {
            PhaseStatus::InProgress
        } else {
            PhaseStatus::Pending
        };
        if i == from {
            p.started_at = Some(at);
        }
        p.ended_at = None;
        p.forced = false;
        p.end_noticed = false;
        for c in &mut p.checks {
            c.status = CheckStatus::NotRun;
        }
        for task in &mut p.tasks {
            task.rejection = None;
            task.due_noticed = false;
            task.status = match tasks {
                RestartTasks::AllOpen => opened(task),
                RestartTasks::AsPhaseStart => TaskStatus::Pending,
            };
        }
    }
}

/// The phases and tasks a retarget moves: phases not completed (pending or in progress),
/// tasks not closed in them.
fn retarget(r: &mut Release, to: chrono::NaiveDate, days: i64, at: DateTime<Utc>) {
    // A notice is sent once per date: one whose date moved, and is still ahead at the
    // retarget, is sent again for its new date; a date moved into the past is not announced.
    let zone = zone(r).unwrap_or(Zone::Utc);
    let ahead = |d: chrono::NaiveDate| plan::day_end(&zone, d).is_some_and(|end| end > at);
    if r.readiness != Some(to) {
        r.readiness = Some(to);
        if ahead(to) {
            r.readiness_noticed = false;
        }
    }
    if days == 0 {
        return;
    }
    let holidays = plan::Holidays::new(&r.holidays);
    let moved = |d: &mut Option<chrono::NaiveDate>| -> bool {
        match d.and_then(|x| holidays.shift(x, days)) {
            Some(n) if Some(n) != *d => {
                *d = Some(n);
                ahead(n)
            }
            _ => false,
        }
    };
    for p in r.phases.iter_mut().filter(|p| moves(p.status)) {
        moved(&mut p.start);
        if moved(&mut p.end) {
            p.end_noticed = false;
        }
        for task in p.tasks.iter_mut().filter(|t| !t.status.is_closed()) {
            if moved(&mut task.due) {
                task.due_noticed = false;
            }
        }
    }
}

pub(crate) fn moves(status: PhaseStatus) -> bool {
    matches!(status, PhaseStatus::Pending | PhaseStatus::InProgress)
}

/// The zone of a release (an unreadable zone, possible only in hand-written state, is an
/// error for `decide`).
fn zone(r: &Release) -> Result<Zone, Error> {
    plan::zone_of(&r.name, r.zone.as_deref())
}

/// When the host should next send [`Command::Tick`]: the earliest of a timeline release's
/// first start date, the end of the current phase's end date (a timeline phase then
/// completes if done; an unfinished phase gets [`Event::PhaseEndReached`]), a task's or
/// the readiness target's notice. `None` when nothing is due (or the state's zone is
/// unreadable; `decide` says so).
///
/// Cost: one pass over the tasks.
///
/// ```
/// use itsm_release::{Policy, State, next_deadline};
///
/// assert_eq!(next_deadline(&State::new(), &Policy::servicenow()), None);
/// ```
pub fn next_deadline(state: &State, policy: &Policy) -> Option<DateTime<Utc>> {
    let r = state.release()?;
    let zone = zone(r).ok()?;
    // Items due now were run by the last `decide`; one still due is held by the
    // multi-product rules or a policy changed since, and waits for the host's next command.
    let phase = match next_phase_item(r, &zone, None, policy) {
        Some((When::At(t), _)) if t > r.last_at => Some(t),
        _ => None,
    };
    let notice = earliest_notice(r, &zone, policy);
    [phase, notice].into_iter().flatten().min()
}

/// What the rules do next to the phases, without a command.
enum Item {
    /// Open the current phase's tasks that are due to open.
    Open(Vec<TaskRef>),
    /// Complete the current phase.
    Complete(usize),
    /// Start the next phase.
    Start(usize),
    /// Move to review.
    Review,
}

/// When an item is due.
#[derive(Clone, Copy)]
enum When {
    /// As soon as the rules look: in the pass that made it so, or (found stale, after the
    /// host changed the multi-product progress or the policy) at the command's instant.
    Now,
    /// At a date's instant (a first start date, the end of an end date).
    At(DateTime<Utc>),
}

/// The next item and when it is due. `ctx` gives the multi-product rules; without it (for
/// `next_deadline`) they are taken to allow.
fn next_phase_item(
    r: &Release,
    zone: &Zone,
    ctx: Option<&Context<'_>>,
    policy: &Policy,
) -> Option<(When, Item)> {
    if r.status != Status::InProgress {
        return None;
    }
    let now = When::Now;
    match r.current() {
        Some((i, p)) => {
            let open = opening(p, i, policy);
            if !open.is_empty() {
                return Some((now, Item::Open(open)));
            }
            let allowed = ctx.is_none_or(|c| c.sync_allows(i).is_ok());
            if !p.is_done() || !allowed {
                return None;
            }
            match r.process {
                Process::Stage if policy.auto_advance => Some((now, Item::Complete(i))),
                Process::Stage => None,
                Process::Timeline => {
                    let end = p.end.and_then(|e| plan::day_end(zone, e))?;
                    Some((When::At(end), Item::Complete(i)))
                }
            }
        }
        None => {
            let k = r.progress();
            match r.phases.get(k) {
                Some(p) if p.status == PhaseStatus::Pending => {
                    if r.process == Process::Timeline && k == 0 {
                        let start = p.start.and_then(|s| plan::day_start(zone, s))?;
                        Some((When::At(start), Item::Start(0)))
                    } else {
                        Some((now, Item::Start(k)))
                    }
                }
                Some(_) => None,
                None if policy.auto_review => Some((now, Item::Review)),
                None => None,
            }
        }
    }
}

/// The tasks of phase `i` (in progress) to open now: every pending one, or under a
/// sequential policy the first pending one once none is active.
fn opening(p: &Phase, i: usize, policy: &Policy) -> Vec<TaskRef> {
    let pending = p
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.status == TaskStatus::Pending)
        .map(|(j, _)| TaskRef::new(i, j));
    if policy.sequential_tasks {
        if p.tasks.iter().any(|t| t.status.is_active()) {
            return Vec::new();
        }
        pending.take(1).collect()
    } else {
        pending.collect()
    }
}

/// Which notices: all, the tasks' only, or the release's and phase's only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kinds {
    All,
    Tasks,
    Others,
}

/// How far notices are taken.
#[derive(Clone, Copy)]
enum Bound {
    /// Strictly before (a phase item at that instant goes first).
    Before(DateTime<Utc>),
    /// At or before.
    Upto(DateTime<Utc>),
}

impl Bound {
    fn keeps(self, t: DateTime<Utc>) -> bool {
        match self {
            Bound::Before(b) => t < b,
            Bound::Upto(b) => t <= b,
        }
    }
}

/// The notices of `kinds` due within `bound` (all pending ones when `None`, for `next_deadline`:
/// then only the earliest matters), in time order: tasks near their due dates, the readiness
/// target near, the current phase at the end of its end date while not done.
fn notices(
    r: &Release,
    zone: &Zone,
    policy: &Policy,
    bound: Option<Bound>,
    kinds: Kinds,
) -> Vec<Event> {
    let mut out = Vec::new();
    each_notice(r, zone, policy, bound, kinds, |e| out.push(e));
    out.sort_by_key(Event::at);
    out
}

/// The instant of the earliest pending notice (no list built, no sort).
fn earliest_notice(r: &Release, zone: &Zone, policy: &Policy) -> Option<DateTime<Utc>> {
    let mut earliest: Option<DateTime<Utc>> = None;
    each_notice(r, zone, policy, None, Kinds::All, |e| {
        earliest = Some(earliest.map_or(e.at(), |t| t.min(e.at())));
    });
    earliest
}

/// Calls `f` with each notice due within `bound`, in plan order.
fn each_notice(
    r: &Release,
    zone: &Zone,
    policy: &Policy,
    bound: Option<Bound>,
    kinds: Kinds,
    mut f: impl FnMut(Event),
) {
    if !matches!(r.status, Status::Draft | Status::InProgress) {
        return;
    }
    // Many tasks share a due date: each date is placed in the zone once.
    let mut placed: std::collections::BTreeMap<(chrono::NaiveDate, u32), Option<DateTime<Utc>>> =
        std::collections::BTreeMap::new();
    let mut due_from = |date: chrono::NaiveDate, days: u32| {
        *placed.entry((date, days)).or_insert_with(|| {
            date.checked_sub_days(Days::new(days.into()))
                .and_then(|d| plan::day_start(zone, d))
                .map(|t| t.max(r.last_at))
        })
    };
    let keep = |t: DateTime<Utc>| bound.is_none_or(|b| b.keeps(t));
    let (tasks, others) = (kinds != Kinds::Others, kinds != Kinds::Tasks);
    if let (Some(days), Some(readiness), false, true) = (
        policy.readiness_notice_days,
        r.readiness,
        r.readiness_noticed,
        others,
    ) {
        if let Some(at) = due_from(readiness, days).filter(|t| keep(*t)) {
            f(Event::ReadinessNear { readiness, at });
        }
    }
    if r.status != Status::InProgress {
        return;
    }
    if let Some(days) = policy.task_notice_days.filter(|_| tasks) {
        for (i, p) in r.phases.iter().enumerate() {
            for (j, task) in p.tasks.iter().enumerate() {
                if task.due_noticed
                    || task.status.is_closed()
                    || task.status == TaskStatus::Canceled
                {
                    continue;
                }
                if let Some(due) = task.due {
                    if let Some(at) = due_from(due, days).filter(|t| keep(*t)) {
                        f(Event::TaskDueSoon {
                            task: TaskRef::new(i, j),
                            due,
                            at,
                        });
                    }
                }
            }
        }
    }
    if let Some((i, p)) = r.current().filter(|(_, p)| others && !p.end_noticed) {
        if let Some(at) = p
            .end
            .and_then(|e| plan::day_end(zone, e))
            .map(|t| t.max(r.last_at))
            .filter(|t| keep(*t))
        {
            f(Event::PhaseEndReached { phase: i, at });
        }
    }
}

/// Runs the rules up to `now`: notices in time order, and the phase items (opening tasks,
/// completing, starting, review) each at its instant; folds everything into `r`.
fn advance(r: &mut Release, zone: &Zone, ctx: &Context<'_>, out: &mut Vec<Event>) {
    let policy = ctx.policy;
    // Whether a phase item ran in this pass (then an item due now follows it at once).
    let mut moved = false;
    // The tasks' notices, found once: nothing the rules do below closes a task, so each
    // stays due (one pass over the tasks, not one per round).
    let mut task_notices = notices(r, zone, policy, Some(Bound::Upto(ctx.now)), Kinds::Tasks)
        .into_iter()
        .peekable();
    // Each round either ends the loop or opens tasks, completes a phase, starts one, or
    // moves to review: at most a few rounds per phase.
    loop {
        // An item due now follows the pass's last phase item at its instant; as the pass's
        // first, it was held (or made due by the command) until now.
        let stamp = if moved { r.last_at } else { ctx.now };
        let item = match next_phase_item(r, zone, Some(ctx), policy) {
            Some((When::Now, item)) => Some((stamp, item)),
            Some((When::At(t), item)) if t.max(r.last_at) <= ctx.now => {
                Some((t.max(r.last_at), item))
            }
            _ => None,
        };
        let bound = match &item {
            Some((at, _)) => Bound::Before(*at),
            None => Bound::Upto(ctx.now),
        };
        // Readiness, then tasks in plan order, then the phase's end, at equal instants.
        let (ends, mut batch): (Vec<Event>, Vec<Event>) =
            notices(r, zone, policy, Some(bound), Kinds::Others)
                .into_iter()
                .partition(|e| matches!(e, Event::PhaseEndReached { .. }));
        while let Some(e) = task_notices.next_if(|e| bound.keeps(e.at())) {
            batch.push(e);
        }
        batch.extend(ends);
        batch.sort_by_key(Event::at);
        for e in batch {
            apply(r, &e);
            out.push(e);
        }
        let Some((at, item)) = item else {
            break;
        };
        let e = match item {
            Item::Open(tasks) => Event::TasksOpened { tasks, at },
            Item::Complete(phase) => Event::PhaseCompleted {
                phase,
                forced: false,
                at,
                by: None,
            },
            Item::Start(phase) => Event::PhaseStarted { phase, at },
            Item::Review => Event::ReviewStarted { at, by: None },
        };
        apply(r, &e);
        out.push(e);
        moved = true;
    }
}

/// Decides what a command does to a release: the events, or why it is refused.
///
/// Every command but `create` first lets time pass to `now` (as a [`Command::Tick`] would:
/// phases start and end on their dates, notices fall due, each at its instant); then the
/// command's own checks run, in a fixed order: the clock (a command earlier than the last
/// event is refused; a `tick` then returns nothing), the status table
/// ([`allowed_commands`](crate::allowed_commands)), the actor's roles, then the command's rules. After the command
/// the rules run again at `now` (a stage phase that is now done completes and the next
/// starts; a sequential phase opens its next task; the release moves to review).
///
/// # Errors
/// Every variant of [`Error`]; each names what was wrong and what is allowed.
///
/// ```
/// use itsm_release::chrono::{NaiveDate, TimeZone, Utc};
/// use itsm_release::{
///     Actor, Command, Context, PhaseSpec, Plan, Policy, Process, ReleaseId, Role, State, UserId,
///     decide,
/// };
///
/// let policy = Policy::servicenow();
/// let admin = Actor::new(UserId::from_u128(1), [Role::new("release_admin")?]);
/// let ctx = Context::new(Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap(), &admin, &policy);
/// let plan = Plan::new("2027.1", Process::Stage, vec![PhaseSpec::new("build")]);
/// let mut state = State::new();
/// state.apply(&decide(&state, &Command::create(ReleaseId::from_u128(7), plan), &ctx)?);
/// let err = decide(&state, &Command::CompletePhase, &ctx).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "`complete_phase` is not allowed in status `draft`; allowed there: `start`, `add_task`, `map_check`, `unmap_check`, `grant_exception`, `retarget`, `cancel`, `tick`"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    ctx.policy.check()?;
    let Some(before) = state.release() else {
        return match command {
            Command::Create { release, plan } => handle::create(*release, plan, ctx),
            Command::Tick => Ok(Vec::new()),
            _ => Err(Error::NotCreated {
                command: command.name(),
            }),
        };
    };
    if ctx.now < before.last_at {
        return match command {
            Command::Tick => Ok(Vec::new()),
            _ => Err(Error::ClockWentBackwards {
                last: before.last_at,
                now: ctx.now,
            }),
        };
    }
    if let Command::Create { .. } = command {
        return Err(Error::AlreadyCreated);
    }
    let zone = zone(before)?;
    let mut r = Cow::Borrowed(before);
    let mut events = Vec::new();
    if has_due(before, &zone, ctx) {
        advance(r.to_mut(), &zone, ctx, &mut events);
    }
    if let Command::Tick = command {
        return Ok(events);
    }
    let name = command.name();
    if !lifecycle::allowed_commands(r.status).contains(&name) {
        return Err(Error::NotAllowed {
            state: r.status.name(),
            command: name,
            allowed: lifecycle::allowed_commands(r.status),
        });
    }
    let own = handle::command_events(&r, &zone, command, ctx)?;
    if own.is_empty() {
        return Ok(events);
    }
    let r = r.to_mut();
    for e in &own {
        apply(r, e);
    }
    events.extend(own);
    advance(r, &zone, ctx, &mut events);
    Ok(events)
}

/// Whether anything falls due by `now` (so that a command on a quiet release does not
/// clone it).
fn has_due(r: &Release, zone: &Zone, ctx: &Context<'_>) -> bool {
    next_phase_item(r, zone, Some(ctx), ctx.policy).is_some_and(|(when, _)| match when {
        When::Now => true,
        When::At(t) => t <= ctx.now,
    }) || earliest_notice(r, zone, ctx.policy).is_some_and(|t| t <= ctx.now)
}
