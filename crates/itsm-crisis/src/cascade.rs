//! A command's cascade: events produced and applied to an overlay as they come, then the
//! work they cause (tasks triggered, plans opened and closed, referring tasks done), as a
//! worklist; and the peeling that names what sits on a circular dependency.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::event::Event;
use crate::machine::{apply_mut, position};
use crate::model::{Crisis, Outcome, PlanStatus, Status, TaskRef, TaskStatus};
use crate::store::{Overlay, Store};

/// One unit of a cascade's work.
pub(crate) enum Work {
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
pub(crate) struct Cascade<'a> {
    s: Overlay<'a>,
    out: Vec<Event>,
    pub(crate) queue: VecDeque<Work>,
    now: DateTime<Utc>,
}

impl<'a> Cascade<'a> {
    pub(crate) fn new(base: &'a Crisis, now: DateTime<Utc>) -> Self {
        Cascade {
            s: Overlay::new(base),
            out: Vec::new(),
            queue: VecDeque::new(),
            now,
        }
    }

    pub(crate) fn emit(&mut self, event: Event) {
        apply_mut(&mut self.s, &event);
        self.out.push(event);
    }

    fn base(&self) -> &'a Crisis {
        self.s.base_crisis()
    }

    pub(crate) fn task_ref(&self, plan: u32, pos: u32) -> Option<TaskRef> {
        let id = self.base().plan(plan)?.tasks.get(pos as usize)?.id;
        Some(TaskRef::new(plan, id))
    }

    /// Closes a task and queues what follows.
    pub(crate) fn close(
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

    pub(crate) fn run(mut self) -> Vec<Event> {
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
    pub(crate) fn started(&mut self, plan: u32) {
        self.open(plan);
        if self
            .s
            .plan(plan)
            .is_some_and(|p| p.status == PlanStatus::Open)
        {
            self.emit(Event::PlanStarted { plan, at: self.now });
        }
    }

    pub(crate) fn open(&mut self, plan: u32) {
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
    pub(crate) fn closed(&mut self, plan: u32, outcome: Outcome) {
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

/// Kahn's peeling: each node's count of what it waits for, and the nodes waiting on each;
/// returns which nodes are peeled (every node they wait for peeled first). What is left is
/// on a cycle or after one.
fn peel<'n>(mut waiting: Vec<u32>, dependents: impl Fn(usize) -> &'n [u32]) -> Vec<bool> {
    let mut ready: Vec<usize> = (0..waiting.len())
        .filter(|i| waiting.get(*i) == Some(&0))
        .collect();
    let mut peeled = vec![false; waiting.len()];
    while let Some(i) = ready.pop() {
        if let Some(p) = peeled.get_mut(i) {
            *p = true;
        }
        for &d in dependents(i) {
            if let Some(w) = waiting.get_mut(d as usize) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.push(d as usize);
                }
            }
        }
    }
    peeled
}

/// Tasks that will not be triggered by themselves: not peeled, plan by plan, so on a cycle
/// or after one.
pub(crate) fn circular(crisis: &Crisis) -> Vec<TaskRef> {
    let mut out = Vec::new();
    for (n, plan) in (0u32..).zip(&crisis.plans) {
        let peeled = peel(plan.tasks.iter().map(|t| t.waiting).collect(), |i| {
            plan.tasks
                .get(i)
                .map_or(&[][..], |t| t.dependents.as_slice())
        });
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
pub(crate) fn circular_plans(crisis: &Crisis) -> Vec<u32> {
    let peeled = peel(crisis.plans.iter().map(|p| p.waiting).collect(), |i| {
        crisis
            .plans
            .get(i)
            .map_or(&[][..], |p| p.dependents.as_slice())
    });
    (0u32..)
        .zip(&peeled)
        .filter(|(_, p)| !**p)
        .map(|(n, _)| n)
        .collect()
}
