//! `decide` and `evolve`.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use itsm_core::{Actor, Role, UserId};

use crate::command::{Closing, Command};
use crate::error::Error;
use crate::event::Event;
use crate::model::{
    ActivatedPlan, Activation, Crisis, Outcome, PlanKind, PlanStatus, State, Status, Task, TaskRef,
    TaskStatus,
};
use crate::policy::{Order, Policy};
use crate::spec::{CrisisSpec, MAX_PLANS, MAX_TASKS};
use crate::store::{Overlay, Store};

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
fn position(base: &Crisis, task: TaskRef) -> Option<u32> {
    let pos = base.plan(task.plan)?.position(task.task)?;
    u32::try_from(pos).ok()
}

/// The changes a cascade reads back, applied to the record or to an overlay alike.
fn apply_mut<S: Store>(s: &mut S, event: &Event) {
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

/// The record a `Created` event describes. The spec was checked by `decide`; whatever a
/// hand-made event holds, this neither panics nor loops.
fn build(
    id: crate::CrisisId,
    spec: &CrisisSpec,
    activated: &[Activation],
    order: Order,
    at: DateTime<Utc>,
) -> Crisis {
    let mut plans: Vec<ActivatedPlan> = activated
        .iter()
        .map(|a| {
            let source = spec.plans.get(a.spec as usize);
            let mut specs: Vec<&crate::TaskSpec> =
                source.map(|p| p.tasks.iter().collect()).unwrap_or_default();
            specs.sort_by_key(|t| t.id);
            specs.dedup_by_key(|t| t.id);
            let ids: Vec<u32> = specs.iter().map(|t| t.id).collect();
            let mut tasks: Vec<Task> = specs
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let mut depends_on: Vec<u32> = t
                        .depends_on
                        .iter()
                        .copied()
                        .filter(|d| *d != t.id && ids.binary_search(d).is_ok())
                        .collect();
                    if order == Order::TaskId {
                        if let Some(prev) = i.checked_sub(1).and_then(|j| ids.get(j)) {
                            depends_on.push(*prev);
                        }
                    }
                    depends_on.sort_unstable();
                    depends_on.dedup();
                    Task {
                        id: t.id,
                        name: t.name.clone(),
                        classification: t.classification,
                        manual: false,
                        ad_hoc: false,
                        phase: t.phase,
                        status: TaskStatus::Pending,
                        waiting: u32::try_from(depends_on.len()).unwrap_or(u32::MAX),
                        depends_on,
                        child: None,
                        assets: t.assets.clone(),
                        level: t.level,
                        exclude_from_time: t.exclude_from_time,
                        duration: t.duration,
                        assignee: t.assignee,
                        backup: t.backup,
                        started: None,
                        ended: None,
                        dependents: Vec::new(),
                    }
                })
                .collect();
            let mut edges: Vec<(usize, u32)> = Vec::new();
            for (i, t) in tasks.iter().enumerate() {
                for d in &t.depends_on {
                    if let Ok(j) = ids.binary_search(d) {
                        edges.push((j, u32::try_from(i).unwrap_or(u32::MAX)));
                    }
                }
            }
            for (j, i) in edges {
                if let Some(t) = tasks.get_mut(j) {
                    t.dependents.push(i);
                }
            }
            ActivatedPlan {
                name: source.map(|p| p.name.clone()).unwrap_or_default(),
                activation: a.clone(),
                status: PlanStatus::Pending,
                closed_by_hand: false,
                remaining: u32::try_from(tasks.len()).unwrap_or(u32::MAX),
                tasks,
                started: None,
                ended: None,
                depends_on: Vec::new(),
                incomplete: 0,
                waiting: 0,
                dependents: Vec::new(),
            }
        })
        .collect();
    // Child plans hang off the tasks that refer to them.
    for (n, a) in (0u32..).zip(activated) {
        if let (PlanKind::Child, Some(parent)) = (a.kind, a.parent) {
            if let Some(pos) = plans
                .get(parent.plan as usize)
                .and_then(|p| p.position(parent.task))
            {
                if let Some(t) = plans
                    .get_mut(parent.plan as usize)
                    .and_then(|p| p.tasks.get_mut(pos))
                {
                    t.child = Some(n);
                }
            }
        }
    }
    // Dependencies between first-level plans, by name.
    let first: HashMap<&str, u32> = (0u32..)
        .zip(&plans)
        .filter(|(_, p)| p.activation.kind != PlanKind::Child)
        .map(|(n, p)| (p.name.as_str(), n))
        .collect();
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for (n, p) in (0u32..).zip(&plans) {
        if p.activation.kind == PlanKind::Child {
            continue;
        }
        let wanted = spec
            .plans
            .get(p.activation.spec as usize)
            .map(|s| s.depends_on.as_slice())
            .unwrap_or(&[]);
        let mut on: Vec<u32> = wanted
            .iter()
            .filter_map(|name| first.get(name.as_str()).copied())
            .filter(|m| *m != n)
            .collect();
        on.sort_unstable();
        on.dedup();
        edges.extend(on.iter().map(|m| (*m, n)));
    }
    for (m, n) in edges {
        if let Some(p) = plans.get_mut(m as usize) {
            p.dependents.push(n);
        }
        if let Some(p) = plans.get_mut(n as usize) {
            p.depends_on.push(m);
            p.waiting = p.waiting.saturating_add(1);
        }
    }
    Crisis {
        id,
        name: spec.name.clone(),
        kind: spec.kind,
        status: Status::Pending,
        order,
        coordinator: spec.coordinator,
        plans,
        assets: spec.assets.clone(),
        created: at,
        started: None,
        ended: None,
        result: None,
        closed: None,
    }
}

/// Checks a spec and works out the plans it activates under `policy`: the primary plans,
/// their related plans (level 2), and each task's referred plan one level below its own,
/// down to the policy's levels.
pub(crate) fn activate(spec: &CrisisSpec, policy: &Policy) -> Result<Vec<Activation>, Error> {
    policy.check()?;
    if spec.name.trim().is_empty() {
        return Err(Error::EmptyName { what: "event" });
    }
    if spec.plans.len() > MAX_PLANS {
        return Err(Error::TooManyPlans {
            count: spec.plans.len(),
            max: MAX_PLANS,
        });
    }
    let mut index: HashMap<&str, u32> = HashMap::new();
    for (n, plan) in (0u32..).zip(&spec.plans) {
        if plan.name.trim().is_empty() {
            return Err(Error::EmptyName { what: "plan" });
        }
        if index.insert(plan.name.as_str(), n).is_some() {
            return Err(Error::DuplicatePlan {
                plan: plan.name.clone(),
            });
        }
    }
    let find = |name: &str, by: &dyn Fn() -> String| {
        index.get(name).copied().ok_or_else(|| Error::UnknownPlan {
            plan: name.to_owned(),
            by: by(),
        })
    };
    for plan in &spec.plans {
        let mut ids = HashSet::new();
        for task in &plan.tasks {
            if task.name.trim().is_empty() {
                return Err(Error::EmptyName { what: "task" });
            }
            if !ids.insert(task.id) {
                return Err(Error::DuplicateTaskId {
                    plan: plan.name.clone(),
                    id: task.id,
                });
            }
        }
        for task in &plan.tasks {
            if let Some(duration) = task.duration.filter(|d| *d < chrono::Duration::zero()) {
                return Err(Error::NegativeDuration {
                    what: format!(
                        "task {} of plan `{}`",
                        task.id,
                        itsm_core::Quoted(&plan.name)
                    ),
                    duration,
                });
            }
            for d in &task.depends_on {
                if *d == task.id {
                    return Err(Error::SelfDependency {
                        plan: plan.name.clone(),
                        task: task.id,
                    });
                }
                if !ids.contains(d) {
                    return Err(Error::UnknownDependency {
                        plan: plan.name.clone(),
                        task: task.id,
                        depends_on: *d,
                    });
                }
            }
            if let Some(r) = &task.refers {
                find(r, &|| format!("task {} of plan `{}`", task.id, plan.name))?;
            }
        }
        for r in &plan.related {
            find(r, &|| format!("plan `{}`'s related plans", plan.name))?;
        }
        for r in &plan.depends_on {
            find(r, &|| format!("plan `{}`'s dependencies", plan.name))?;
        }
    }
    let mut assets = HashSet::new();
    for asset in &spec.assets {
        if asset.name.trim().is_empty() {
            return Err(Error::EmptyName { what: "asset" });
        }
        if !assets.insert(asset.name.as_str()) {
            return Err(Error::DuplicateAsset {
                asset: asset.name.clone(),
            });
        }
    }
    if spec.activate.is_empty() {
        return Err(Error::NothingActivated);
    }
    let mut activated: Vec<Activation> = Vec::new();
    let mut first: HashSet<u32> = HashSet::new();
    for name in &spec.activate {
        let n = find(name, &|| "the event's plans to activate".to_owned())?;
        if !first.insert(n) {
            return Err(Error::DuplicateActivation { plan: name.clone() });
        }
        activated.push(Activation {
            spec: n,
            kind: PlanKind::Primary,
            level: 1,
            parent: None,
        });
    }
    if policy.max_levels >= 2 {
        let primaries: Vec<u32> = activated.iter().map(|a| a.spec).collect();
        for p in primaries {
            let related = spec.plans.get(p as usize).map(|s| s.related.as_slice());
            for name in related.unwrap_or(&[]) {
                if let Some(&n) = index.get(name.as_str()) {
                    if first.insert(n) {
                        activated.push(Activation {
                            spec: n,
                            kind: PlanKind::Related,
                            level: 2,
                            parent: None,
                        });
                    }
                }
            }
        }
    }
    // Referred plans, breadth-first: each activated plan's tasks in Task ID order. Each
    // child comes from a task already counted in `total`, so the activations stay under
    // the first-level plans plus `MAX_TASKS`.
    let mut total: usize = 0;
    let mut at = 0usize;
    while let Some(a) = activated.get(at).cloned() {
        let number = u32::try_from(at).map_err(|_| Error::TooManyTasks { max: MAX_TASKS })?;
        at += 1;
        let Some(plan) = spec.plans.get(a.spec as usize) else {
            continue;
        };
        total = total.saturating_add(plan.tasks.len());
        if total > MAX_TASKS {
            return Err(Error::TooManyTasks { max: MAX_TASKS });
        }
        if a.level >= policy.max_levels {
            continue;
        }
        let mut tasks: Vec<&crate::TaskSpec> = plan.tasks.iter().collect();
        tasks.sort_by_key(|t| t.id);
        for task in tasks {
            if let Some(n) = task.refers.as_deref().and_then(|r| index.get(r)) {
                activated.push(Activation {
                    spec: *n,
                    kind: PlanKind::Child,
                    level: a.level.saturating_add(1),
                    parent: Some(TaskRef::new(number, task.id)),
                });
            }
        }
    }
    Ok(activated)
}

/// One unit of a cascade's work.
enum Work {
    /// The task at this position became done: its dependents may run, its plan may close.
    Done(u32, u32),
    /// Trigger the task at this position if it is still pending.
    Trigger(u32, u32, Option<UserId>),
    /// Open the plan if it is still pending, and trigger its ready tasks.
    Open(u32),
    /// Close the plan if every task is done.
    Check(u32),
}

/// A cascade: events produced and applied to an overlay as they come, then the work they
/// cause, in order, until none is left. No recursion: a worklist.
struct Cascade<'a> {
    s: Overlay<'a>,
    out: Vec<Event>,
    queue: VecDeque<Work>,
    now: DateTime<Utc>,
}

impl<'a> Cascade<'a> {
    fn new(base: &'a Crisis, now: DateTime<Utc>) -> Self {
        Cascade {
            s: Overlay::new(base),
            out: Vec::new(),
            queue: VecDeque::new(),
            now,
        }
    }

    fn emit(&mut self, event: Event) {
        apply_mut(&mut self.s, &event);
        self.out.push(event);
    }

    fn base(&self) -> &'a Crisis {
        self.s.base_crisis()
    }

    fn task_ref(&self, plan: u32, pos: u32) -> Option<TaskRef> {
        let id = self.base().plan(plan)?.tasks.get(pos as usize)?.id;
        Some(TaskRef::new(plan, id))
    }

    /// Closes a task and queues what follows.
    fn close(
        &mut self,
        plan: u32,
        pos: u32,
        status: TaskStatus,
        ended: Option<DateTime<Utc>>,
        by: Option<UserId>,
    ) {
        let Some(task) = self.task_ref(plan, pos) else {
            return;
        };
        self.emit(Event::TaskClosed {
            task,
            status,
            ended: ended.filter(|_| status != TaskStatus::ClosedSkipped),
            at: self.now,
            by,
        });
        if status == TaskStatus::ClosedFailed {
            let spec = self.base().task(task);
            let automated = self.s.task(plan, pos).is_some_and(|t| !t.manual)
                && spec.is_some_and(|t| t.classification == crate::Classification::Automatic);
            if let (true, Some(user)) = (automated, spec.and_then(|t| t.backup)) {
                self.emit(Event::BackupNotified {
                    task,
                    user,
                    at: self.now,
                });
            }
        }
        if status.is_done() {
            self.queue.push_back(Work::Done(plan, pos));
        }
    }

    fn run(mut self) -> Vec<Event> {
        while let Some(work) = self.queue.pop_front() {
            match work {
                Work::Done(plan, pos) => self.done(plan, pos),
                Work::Trigger(plan, pos, by) => self.trigger(plan, pos, by),
                Work::Open(plan) => self.open(plan),
                Work::Check(plan) => self.check(plan),
            }
        }
        self.out
    }

    fn done(&mut self, plan: u32, pos: u32) {
        let base = self.base();
        let dependents = base
            .plan(plan)
            .and_then(|p| p.tasks.get(pos as usize))
            .map_or(&[][..], |t| t.dependents.as_slice());
        let running = self
            .s
            .plan(plan)
            .is_some_and(|p| p.status != PlanStatus::Pending);
        if running && self.s.status() == Status::WorkInProgress {
            for &d in dependents {
                if self
                    .s
                    .task(plan, d)
                    .is_some_and(|t| t.waiting == 0 && t.status == TaskStatus::Pending)
                {
                    self.queue.push_back(Work::Trigger(plan, d, None));
                }
            }
        }
        self.queue.push_back(Work::Check(plan));
    }

    fn trigger(&mut self, plan: u32, pos: u32, by: Option<UserId>) {
        if !self
            .s
            .task(plan, pos)
            .is_some_and(|t| t.status == TaskStatus::Pending)
        {
            return;
        }
        let Some(task) = self.task_ref(plan, pos) else {
            return;
        };
        // A task triggered by hand in a plan not running yet opens the plan first (its
        // other ready tasks are queued behind this one).
        self.open(plan);
        self.emit(Event::TaskTriggered {
            task,
            at: self.now,
            by,
        });
        let spec = self.base().task(task);
        if spec.is_some_and(|t| t.is_automated()) {
            self.emit(Event::AutomationRequested { task, at: self.now });
            self.started(plan);
        }
        if let Some(child) = spec.and_then(|t| t.child) {
            // Its plan already closed (run by hand-triggered tasks first): done at once, as
            // the plan closed.
            let closed = self.s.plan(child).map(|p| p.status);
            match closed {
                Some(PlanStatus::ClosedComplete) => {
                    self.close(plan, pos, TaskStatus::ClosedComplete, Some(self.now), None);
                }
                Some(PlanStatus::ClosedIncomplete) => {
                    self.close(
                        plan,
                        pos,
                        TaskStatus::ClosedIncomplete,
                        Some(self.now),
                        None,
                    );
                }
                _ => self.queue.push_back(Work::Open(child)),
            }
        }
    }

    /// Work started on one of the plan's tasks: the plan is in progress (opened first if it
    /// was not running: a task re-triggered after being skipped in a waiting plan).
    fn started(&mut self, plan: u32) {
        self.open(plan);
        if self
            .s
            .plan(plan)
            .is_some_and(|p| p.status == PlanStatus::Open)
        {
            self.emit(Event::PlanStarted { plan, at: self.now });
        }
    }

    fn open(&mut self, plan: u32) {
        if !self
            .s
            .plan(plan)
            .is_some_and(|p| p.status == PlanStatus::Pending)
        {
            return;
        }
        self.emit(Event::PlanOpened { plan, at: self.now });
        let count = self.base().plan(plan).map_or(0, |p| p.tasks.len());
        for pos in (0u32..).take(count) {
            if self
                .s
                .task(plan, pos)
                .is_some_and(|t| t.waiting == 0 && t.status == TaskStatus::Pending)
            {
                self.queue.push_back(Work::Trigger(plan, pos, None));
            }
        }
        self.queue.push_back(Work::Check(plan));
    }

    fn check(&mut self, plan: u32) {
        let Some(p) = self.s.plan(plan) else {
            return;
        };
        let empty = self.base().plan(plan).is_none_or(|p| p.tasks.is_empty());
        if p.status.is_closed() || p.status == PlanStatus::Pending || p.remaining > 0 || empty {
            return;
        }
        let outcome = if p.incomplete > 0 {
            Outcome::Incomplete
        } else {
            Outcome::Complete
        };
        self.emit(Event::PlanClosed {
            plan,
            outcome,
            at: self.now,
            by: None,
        });
        self.closed(plan, outcome);
    }

    /// What a plan's closing sets off: the plans after it, and the task that refers to it.
    fn closed(&mut self, plan: u32, outcome: Outcome) {
        let base = self.base();
        let Some(p) = base.plan(plan) else {
            return;
        };
        if self.s.status() == Status::WorkInProgress {
            for &d in &p.dependents {
                if self
                    .s
                    .plan(d)
                    .is_some_and(|q| q.waiting == 0 && q.status == PlanStatus::Pending)
                {
                    self.queue.push_back(Work::Open(d));
                }
            }
        }
        if let Some(parent) = p.activation.parent {
            let Some(pos) = position(base, parent) else {
                return;
            };
            if self
                .s
                .task(parent.plan, pos)
                .is_some_and(|t| matches!(t.status, TaskStatus::Open | TaskStatus::WorkInProgress))
            {
                let status = match outcome {
                    Outcome::Complete => TaskStatus::ClosedComplete,
                    Outcome::Incomplete => TaskStatus::ClosedIncomplete,
                };
                self.close(parent.plan, pos, status, Some(self.now), None);
            }
        }
    }
}

/// Tasks that will not be triggered by themselves: left after peeling, plan by plan, the
/// tasks whose dependencies are all peeled (Kahn's order), so on a cycle or after one.
fn circular(crisis: &Crisis) -> Vec<TaskRef> {
    let mut out = Vec::new();
    for (n, plan) in (0u32..).zip(&crisis.plans) {
        let mut waiting: Vec<u32> = plan.tasks.iter().map(|t| t.waiting).collect();
        let mut ready: Vec<usize> = (0..plan.tasks.len())
            .filter(|i| waiting.get(*i) == Some(&0))
            .collect();
        let mut peeled = vec![false; plan.tasks.len()];
        while let Some(i) = ready.pop() {
            if let Some(p) = peeled.get_mut(i) {
                *p = true;
            }
            for &d in plan
                .tasks
                .get(i)
                .map_or(&[][..], |t| t.dependents.as_slice())
            {
                if let Some(w) = waiting.get_mut(d as usize) {
                    *w = w.saturating_sub(1);
                    if *w == 0 {
                        ready.push(d as usize);
                    }
                }
            }
        }
        out.extend(
            plan.tasks
                .iter()
                .zip(&peeled)
                .filter(|(_, p)| !**p)
                .map(|(t, _)| TaskRef::new(n, t.id)),
        );
    }
    out
}

/// First-level plans that will not open by themselves (the same peeling over plans).
fn circular_plans(crisis: &Crisis) -> Vec<u32> {
    let mut waiting: Vec<u32> = crisis.plans.iter().map(|p| p.waiting).collect();
    let mut ready: Vec<usize> = (0..crisis.plans.len())
        .filter(|i| waiting.get(*i) == Some(&0))
        .collect();
    let mut peeled = vec![false; crisis.plans.len()];
    while let Some(i) = ready.pop() {
        if let Some(p) = peeled.get_mut(i) {
            *p = true;
        }
        for &d in crisis
            .plans
            .get(i)
            .map_or(&[][..], |p| p.dependents.as_slice())
        {
            if let Some(w) = waiting.get_mut(d as usize) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.push(d as usize);
                }
            }
        }
    }
    (0u32..)
        .zip(&peeled)
        .filter(|(_, p)| !**p)
        .map(|(n, _)| n)
        .collect()
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
