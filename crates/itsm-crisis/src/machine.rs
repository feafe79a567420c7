//! `decide` and `evolve`.

use chrono::{DateTime, Utc};
use itsm_core::{Actor, Role};

use crate::activation::{activate, build};
use crate::cascade::{Cascade, Work, circular, circular_plans};
use crate::command::{Closing, Command};
use crate::error::Error;
use crate::event::Event;
use crate::model::{
    Crisis, Outcome, PlanKind, PlanStatus, State, Status, Task, TaskRef, TaskStatus,
};
use crate::policy::Policy;
use crate::spec::MAX_TASKS;
use crate::store::Store;

/// What `decide` needs besides the state and the command: the time, who acts and the
/// policy. Nothing is read from the environment.
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
}

impl<'a> Context<'a> {
    /// The context of one call.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context { now, actor, policy }
    }

    fn holds(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.actor.roles.contains(r))
    }

    fn require(&self, command: &Command, roles: &[Role]) -> Result<(), Error> {
        if self.holds(roles) {
            return Ok(());
        }
        Err(Error::Forbidden {
            command: command.name(),
            roles: list_roles(roles),
        })
    }
}

fn list_roles(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "(none: the policy lists no role)".to_owned();
    }
    roles
        .iter()
        .map(|r| format!("`{}`", itsm_core::Quoted(r.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Folds one event into the state. Never fails: events are facts `decide` produced; an
/// event naming a plan or task the record does not have changes nothing of it.
pub fn evolve(mut state: State, event: &Event) -> State {
    apply(&mut state, event);
    state
}

pub(crate) fn apply(state: &mut State, event: &Event) {
    if let Event::Created {
        id,
        spec,
        activated,
        order,
        at,
        ..
    } = event
    {
        state.crisis = Some(build(*id, spec, activated, *order, *at));
        return;
    }
    let Some(crisis) = state.crisis.as_mut() else {
        return;
    };
    match event {
        Event::Started { at, .. } => crisis.started = Some(*at),
        Event::TaskAssigned { task, user, .. } => {
            if let Some(t) = task_mut(crisis, *task) {
                t.assignee = Some(*user);
            }
        }
        Event::TaskAdded { task, spec, .. } => {
            if let Some(plan) = crisis.plans.get_mut(task.plan as usize) {
                plan.tasks.push(Task {
                    id: task.task,
                    name: spec.name.clone(),
                    classification: crate::Classification::Manual,
                    manual: false,
                    ad_hoc: true,
                    phase: spec.phase,
                    status: TaskStatus::Pending,
                    depends_on: Vec::new(),
                    child: None,
                    assets: spec.assets.clone(),
                    level: spec.level,
                    exclude_from_time: spec.exclude_from_time,
                    duration: spec.duration,
                    assignee: spec.assignee,
                    backup: None,
                    started: None,
                    ended: None,
                    dependents: Vec::new(),
                    waiting: 0,
                });
                plan.remaining = plan.remaining.saturating_add(1);
            }
        }
        Event::ResultRecorded { result, .. } => crisis.result = Some(*result),
        Event::Submitted { ended, .. } => crisis.ended = Some(*ended),
        Event::Closed { at, .. } | Event::Canceled { at, .. } => crisis.closed = Some(*at),
        _ => {}
    }
    apply_mut(crisis, event);
}

fn task_mut(crisis: &mut Crisis, task: TaskRef) -> Option<&mut Task> {
    let plan = crisis.plans.get_mut(task.plan as usize)?;
    let pos = plan.position(task.task)?;
    plan.tasks.get_mut(pos)
}

/// The task's position in its plan.
pub(crate) fn position(base: &Crisis, task: TaskRef) -> Option<u32> {
    let pos = base.plan(task.plan)?.position(task.task)?;
    u32::try_from(pos).ok()
}

/// The changes a cascade reads back, applied to the record or to an overlay alike.
pub(crate) fn apply_mut<S: Store>(s: &mut S, event: &Event) {
    match event {
        Event::Started { .. } => s.set_status(Status::WorkInProgress),
        Event::Submitted { .. } => s.set_status(Status::PendingApproval),
        Event::Approved { .. } => s.set_status(Status::Approved),
        Event::Returned { .. } => s.set_status(Status::Returned),
        Event::Closed { outcome, .. } => s.set_status(match outcome {
            Outcome::Complete => Status::ClosedComplete,
            Outcome::Incomplete => Status::ClosedIncomplete,
        }),
        Event::Canceled { .. } => s.set_status(Status::Canceled),
        Event::PlanOpened { plan, .. } => {
            if let Some(mut p) = s.plan(*plan) {
                p.status = PlanStatus::Open;
                s.set_plan(*plan, p);
            }
        }
        Event::PlanStarted { plan, at } => {
            if let Some(mut p) = s.plan(*plan) {
                p.status = PlanStatus::WorkInProgress;
                p.started = p.started.or(Some(*at));
                s.set_plan(*plan, p);
            }
        }
        Event::PlanClosed {
            plan,
            outcome,
            at,
            by,
        } => {
            if let Some(mut p) = s.plan(*plan) {
                p.status = match outcome {
                    Outcome::Complete => PlanStatus::ClosedComplete,
                    Outcome::Incomplete => PlanStatus::ClosedIncomplete,
                };
                p.closed_by_hand = by.is_some();
                p.ended = Some(*at);
                s.set_plan(*plan, p);
                plan_waiting(s, *plan, false);
            }
        }
        Event::PlanReopened { plan, .. } => {
            if let Some(mut p) = s.plan(*plan) {
                p.status = if p.started.is_some() {
                    PlanStatus::WorkInProgress
                } else {
                    PlanStatus::Open
                };
                p.ended = None;
                s.set_plan(*plan, p);
                plan_waiting(s, *plan, true);
            }
        }
        Event::TaskTriggered { task, .. } => {
            set_task_status(s, *task, TaskStatus::Open, |_| {});
        }
        Event::AutomationRequested { task, at } => {
            let at = *at;
            set_task_status(s, *task, TaskStatus::WorkInProgress, |t| {
                t.started = Some(at);
                t.ended = None;
            });
        }
        Event::TaskStarted { task, started, .. } => {
            let started = *started;
            set_task_status(s, *task, TaskStatus::WorkInProgress, |t| {
                t.started = Some(started);
            });
        }
        Event::TaskClosed {
            task,
            status,
            ended,
            ..
        } => {
            let (status, ended) = (*status, *ended);
            set_task_status(s, *task, status, |t| {
                t.ended = ended;
                if status == TaskStatus::ClosedSkipped {
                    t.started = None;
                    t.ended = None;
                }
            });
        }
        Event::TaskRetriggered { task, .. } => {
            set_task_status(s, *task, TaskStatus::Open, |t| {
                t.manual = true;
                t.started = None;
                t.ended = None;
            });
        }
        _ => {}
    }
}

/// Moves a task to `status`, keeping the counters (the dependents' waiting counts, the
/// plan's tasks not done and closed incomplete) in step.
fn set_task_status<S: Store>(
    s: &mut S,
    task: TaskRef,
    status: TaskStatus,
    also: impl FnOnce(&mut crate::store::TaskMut),
) {
    let Some(pos) = position(s.base(), task) else {
        return;
    };
    let Some(mut t) = s.task(task.plan, pos) else {
        return;
    };
    let old = t.status;
    t.status = status;
    also(&mut t);
    s.set_task(task.plan, pos, t);
    let Some(mut p) = s.plan(task.plan) else {
        return;
    };
    if old == TaskStatus::ClosedIncomplete {
        p.incomplete = p.incomplete.saturating_sub(1);
    }
    if status == TaskStatus::ClosedIncomplete {
        p.incomplete = p.incomplete.saturating_add(1);
    }
    if old.is_done() == status.is_done() {
        s.set_plan(task.plan, p);
        return;
    }
    let done = status.is_done();
    p.remaining = if done {
        p.remaining.saturating_sub(1)
    } else {
        p.remaining.saturating_add(1)
    };
    s.set_plan(task.plan, p);
    s.count_dependents(task.plan, pos, done);
}

/// A plan closed (`more` false) or reopened (`more` true): the plans after it wait one
/// plan less or more.
fn plan_waiting<S: Store>(s: &mut S, plan: u32, more: bool) {
    let dependents: Vec<u32> = s
        .base()
        .plan(plan)
        .map(|p| p.dependents.clone())
        .unwrap_or_default();
    for d in dependents {
        if let Some(mut q) = s.plan(d) {
            q.waiting = if more {
                q.waiting.saturating_add(1)
            } else {
                q.waiting.saturating_sub(1)
            };
            s.set_plan(d, q);
        }
    }
}

/// Decides what a command does to the event: the events it causes, or why it is refused
/// (then nothing changed).
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let policy = ctx.policy;
    let now = ctx.now;
    let by = ctx.actor.user;
    let Some(crisis) = state.crisis.as_ref() else {
        let Command::Create { id, spec } = command else {
            return Err(Error::NotCreated);
        };
        ctx.require(command, &policy.managers)?;
        let activated = activate(spec, policy)?;
        return Ok(vec![Event::Created {
            id: *id,
            spec: spec.clone(),
            activated,
            order: policy.order,
            at: now,
            by,
        }]);
    };
    let status = crisis.status;
    let wrong = |allowed: &'static str| Error::WrongStatus {
        command: command.name(),
        status,
        allowed,
    };
    let in_progress = || {
        if status == Status::WorkInProgress {
            Ok(())
        } else {
            Err(wrong("in progress"))
        }
    };
    let find = |task: TaskRef| -> Result<(u32, &Task), Error> {
        let plan = crisis.plan(task.plan).ok_or(Error::NoSuchTask { task })?;
        let pos = plan.position(task.task).ok_or(Error::NoSuchTask { task })?;
        let t = plan.tasks.get(pos).ok_or(Error::NoSuchTask { task })?;
        Ok((u32::try_from(pos).unwrap_or(u32::MAX), t))
    };
    let wrong_task = |task: TaskRef, t: &Task, allowed: &'static str| Error::WrongTaskStatus {
        command: command.name(),
        task,
        status: t.status,
        allowed,
    };
    // The task's assignee, the coordinator, or a manager.
    let may_work = |t: &Task| -> Result<(), Error> {
        if t.assignee == Some(by) || crisis.coordinator == Some(by) || ctx.holds(&policy.managers) {
            Ok(())
        } else {
            Err(Error::Forbidden {
                command: command.name(),
                roles: format!(
                    "{} (or being the task's assignee or the event's coordinator)",
                    list_roles(&policy.managers)
                ),
            })
        }
    };
    let mut c = Cascade::new(crisis, now);
    match command {
        Command::Create { .. } => return Err(Error::AlreadyCreated),
        Command::Start => {
            ctx.require(command, &policy.managers)?;
            if status != Status::Pending {
                return Err(wrong("pending"));
            }
            c.emit(Event::Started {
                at: now,
                by,
                circular: circular(crisis),
                circular_plans: circular_plans(crisis),
            });
            for (n, p) in (0u32..).zip(&crisis.plans) {
                if p.activation.kind != PlanKind::Child && p.waiting == 0 {
                    c.queue.push_back(Work::Open(n));
                }
            }
        }
        Command::Trigger { task } => {
            ctx.require(command, &policy.program_managers)?;
            in_progress()?;
            let (pos, t) = find(*task)?;
            if t.status != TaskStatus::Pending {
                return Err(wrong_task(*task, t, "pending"));
            }
            c.queue.push_back(Work::Trigger(task.plan, pos, Some(by)));
        }
        Command::Work { task, started } => {
            in_progress()?;
            let (_, t) = find(*task)?;
            may_work(t)?;
            if t.status != TaskStatus::Open {
                return Err(wrong_task(*task, t, "open"));
            }
            c.emit(Event::TaskStarted {
                task: *task,
                started: started.unwrap_or(now),
                at: now,
                by,
            });
            c.started(task.plan);
        }
        Command::Close {
            task,
            closing,
            ended,
        } => {
            in_progress()?;
            let (pos, t) = find(*task)?;
            may_work(t)?;
            if t.status != TaskStatus::WorkInProgress {
                return Err(wrong_task(*task, t, "in progress"));
            }
            let ended = ended.unwrap_or(now);
            if let Some(started) = t.started.filter(|s| ended < *s) {
                return Err(Error::EndBeforeStart {
                    task: *task,
                    started,
                    ended,
                });
            }
            let status = match closing {
                Closing::Complete => TaskStatus::ClosedComplete,
                Closing::Incomplete => TaskStatus::ClosedIncomplete,
                Closing::Failed => TaskStatus::ClosedFailed,
            };
            c.close(task.plan, pos, status, Some(ended), Some(by));
        }
        Command::Skip { task } => {
            ctx.require(command, &policy.program_managers)?;
            in_progress()?;
            let (pos, t) = find(*task)?;
            if t.status.is_closed() {
                return Err(wrong_task(*task, t, "pending, open or in progress"));
            }
            c.close(task.plan, pos, TaskStatus::ClosedSkipped, None, Some(by));
        }
        Command::Retrigger { task } | Command::RetriggerAutomation { task } => {
            ctx.require(command, &policy.managers)?;
            in_progress()?;
            let (_, t) = find(*task)?;
            let plan = crisis
                .plan(task.plan)
                .ok_or(Error::NoSuchTask { task: *task })?;
            if plan.closed_by_hand {
                return Err(Error::PlanClosed {
                    plan: task.plan,
                    what: "it was closed by hand, so none of its tasks runs again",
                });
            }
            let automation = matches!(command, Command::RetriggerAutomation { .. });
            if automation && !t.is_automated() {
                return Err(Error::NotAutomated { task: *task });
            }
            if !(t.status == TaskStatus::WorkInProgress || t.status.is_closed()) {
                return Err(wrong_task(*task, t, "in progress or closed"));
            }
            if automation {
                c.emit(Event::AutomationRequested {
                    task: *task,
                    at: now,
                });
            } else {
                c.emit(Event::TaskRetriggered {
                    task: *task,
                    at: now,
                    by,
                });
            }
            if plan.status.is_closed() {
                c.emit(Event::PlanReopened {
                    plan: task.plan,
                    at: now,
                });
            }
            if automation {
                c.started(task.plan);
            } else {
                // A task skipped in a plan not running yet and re-triggered: its plan opens.
                c.open(task.plan);
            }
        }
        Command::Assign { task, user } => {
            ctx.require(command, &policy.managers)?;
            if !matches!(status, Status::Pending | Status::WorkInProgress) {
                return Err(wrong("pending or in progress"));
            }
            let (_, t) = find(*task)?;
            if t.status.is_closed() {
                return Err(wrong_task(*task, t, "not closed"));
            }
            c.emit(Event::TaskAssigned {
                task: *task,
                user: *user,
                at: now,
                by,
            });
        }
        Command::AddTask { plan, task } => {
            ctx.require(command, &policy.managers)?;
            if !matches!(status, Status::Pending | Status::WorkInProgress) {
                return Err(wrong("pending or in progress"));
            }
            let p = crisis.plan(*plan).ok_or(Error::NoSuchPlan {
                plan: *plan,
                count: crisis.plans.len(),
            })?;
            if task.name.trim().is_empty() {
                return Err(Error::EmptyName { what: "task" });
            }
            if let Some(duration) = task.duration.filter(|d| *d < chrono::Duration::zero()) {
                return Err(Error::NegativeDuration {
                    what: format!("the ad-hoc task `{}`", itsm_core::Quoted(&task.name)),
                    duration,
                });
            }
            if p.status.is_closed() {
                return Err(Error::PlanClosed {
                    plan: *plan,
                    what: "add tasks only to plans not closed",
                });
            }
            if p.tasks.len() >= MAX_TASKS {
                return Err(Error::TooManyTasks { max: MAX_TASKS });
            }
            let id = match p.tasks.last() {
                Some(last) => last
                    .id
                    .checked_add(1)
                    .ok_or(Error::TaskIdsExhausted { plan: *plan })?,
                None => 1,
            };
            let added = TaskRef::new(*plan, id);
            let mut events = vec![Event::TaskAdded {
                task: added,
                spec: task.clone(),
                at: now,
                by,
            }];
            if status == Status::WorkInProgress && p.status != PlanStatus::Pending {
                events.push(Event::TaskTriggered {
                    task: added,
                    at: now,
                    by: None,
                });
            }
            return Ok(events);
        }
        Command::ClosePlan { plan, outcome } => {
            ctx.require(command, &policy.managers)?;
            in_progress()?;
            let p = crisis.plan(*plan).ok_or(Error::NoSuchPlan {
                plan: *plan,
                count: crisis.plans.len(),
            })?;
            if p.status.is_closed() {
                return Err(Error::PlanClosed {
                    plan: *plan,
                    what: "it cannot be closed again",
                });
            }
            if *outcome == Outcome::Complete
                && p.tasks.iter().any(|t| {
                    !matches!(
                        t.status,
                        TaskStatus::ClosedComplete | TaskStatus::ClosedSkipped
                    )
                })
            {
                return Err(Error::NotAllComplete { plan: *plan });
            }
            for (pos, t) in (0u32..).zip(&p.tasks) {
                if !t.status.is_closed() {
                    if let Some(task) = c.task_ref(*plan, pos) {
                        c.emit(Event::TaskClosed {
                            task,
                            status: TaskStatus::ClosedSkipped,
                            ended: None,
                            at: now,
                            by: Some(by),
                        });
                    }
                }
            }
            c.emit(Event::PlanClosed {
                plan: *plan,
                outcome: *outcome,
                at: now,
                by: Some(by),
            });
            c.closed(*plan, *outcome);
        }
        Command::RecordResult { result } => {
            ctx.require(command, &policy.managers)?;
            if !matches!(status, Status::WorkInProgress | Status::Returned) {
                return Err(wrong("in progress or returned"));
            }
            return Ok(vec![Event::ResultRecorded {
                result: *result,
                at: now,
                by,
            }]);
        }
        Command::Submit { ended } => {
            ctx.require(command, &policy.managers)?;
            if !matches!(status, Status::WorkInProgress | Status::Returned) {
                return Err(wrong("in progress or returned"));
            }
            let open = crisis.open_plans();
            if !open.is_empty() {
                return Err(Error::PlansOpen { plans: open });
            }
            if crisis.kind == crate::Kind::Exercise
                && policy.exercise_result_required
                && crisis.result.is_none()
            {
                return Err(Error::ResultMissing);
            }
            let ended = ended.or(crisis.ended).unwrap_or(now);
            if let Some(started) = crisis.started.filter(|s| ended < *s) {
                return Err(Error::EventEndBeforeStart { started, ended });
            }
            return Ok(vec![Event::Submitted { ended, at: now, by }]);
        }
        Command::Approve | Command::Reject => {
            ctx.require(command, &policy.program_managers)?;
            if status != Status::PendingApproval {
                return Err(wrong("pending approval"));
            }
            return Ok(vec![if matches!(command, Command::Approve) {
                Event::Approved { at: now, by }
            } else {
                Event::Returned { at: now, by }
            }]);
        }
        Command::CloseEvent { outcome } => {
            ctx.require(command, &policy.managers)?;
            let allowed = match status {
                Status::Approved | Status::Returned => true,
                Status::WorkInProgress => !policy.approval_required,
                _ => false,
            };
            if !allowed {
                return Err(wrong(if policy.approval_required {
                    "approved or returned"
                } else {
                    "in progress, approved or returned"
                }));
            }
            let open = crisis.open_plans();
            if !open.is_empty() {
                return Err(Error::PlansOpen { plans: open });
            }
            return Ok(vec![Event::Closed {
                outcome: *outcome,
                at: now,
                by,
            }]);
        }
        Command::Cancel => {
            ctx.require(command, &policy.managers)?;
            if !matches!(status, Status::Pending | Status::WorkInProgress) {
                return Err(wrong("pending or in progress"));
            }
            return Ok(vec![Event::Canceled { at: now, by }]);
        }
    }
    Ok(c.run())
}
