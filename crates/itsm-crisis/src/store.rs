//! The parts of the record a cascade changes, behind one trait: the record itself (for
//! `evolve`) and an overlay over it (for `decide`, which must not change the state and
//! must not copy it either: one command on a million-task event touches a handful of
//! tasks).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::model::{Crisis, PlanStatus, Status, TaskStatus};

/// What a cascade changes of a plan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlanMut {
    pub status: PlanStatus,
    pub closed_by_hand: bool,
    pub started: Option<DateTime<Utc>>,
    pub ended: Option<DateTime<Utc>>,
    pub remaining: u32,
    pub incomplete: u32,
    pub waiting: u32,
}

/// What a cascade changes of a task.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TaskMut {
    pub status: TaskStatus,
    pub waiting: u32,
    pub manual: bool,
    pub started: Option<DateTime<Utc>>,
    pub ended: Option<DateTime<Utc>>,
}

/// Read and write access to the changing parts; the rest is read from [`Store::base`].
pub(crate) trait Store {
    /// The record as it was (for an overlay) or is (for the record itself): everything a
    /// cascade never changes (names, dependencies, activations) is read from here.
    fn base(&self) -> &Crisis;
    fn status(&self) -> Status;
    fn set_status(&mut self, status: Status);
    fn plan(&self, plan: u32) -> Option<PlanMut>;
    fn set_plan(&mut self, plan: u32, value: PlanMut);
    /// Task at position `pos` of plan `plan`.
    fn task(&self, plan: u32, pos: u32) -> Option<TaskMut>;
    fn set_task(&mut self, plan: u32, pos: u32, value: TaskMut);
}

impl Store for Crisis {
    fn base(&self) -> &Crisis {
        self
    }

    fn status(&self) -> Status {
        self.status
    }

    fn set_status(&mut self, status: Status) {
        self.status = status;
    }

    fn plan(&self, plan: u32) -> Option<PlanMut> {
        let p = self.plans.get(plan as usize)?;
        Some(PlanMut {
            status: p.status,
            closed_by_hand: p.closed_by_hand,
            started: p.started,
            ended: p.ended,
            remaining: p.remaining,
            incomplete: p.incomplete,
            waiting: p.waiting,
        })
    }

    fn set_plan(&mut self, plan: u32, v: PlanMut) {
        if let Some(p) = self.plans.get_mut(plan as usize) {
            p.status = v.status;
            p.closed_by_hand = v.closed_by_hand;
            p.started = v.started;
            p.ended = v.ended;
            p.remaining = v.remaining;
            p.incomplete = v.incomplete;
            p.waiting = v.waiting;
        }
    }

    fn task(&self, plan: u32, pos: u32) -> Option<TaskMut> {
        let t = self.plans.get(plan as usize)?.tasks.get(pos as usize)?;
        Some(TaskMut {
            status: t.status,
            waiting: t.waiting,
            manual: t.manual,
            started: t.started,
            ended: t.ended,
        })
    }

    fn set_task(&mut self, plan: u32, pos: u32, v: TaskMut) {
        if let Some(t) = self
            .plans
            .get_mut(plan as usize)
            .and_then(|p| p.tasks.get_mut(pos as usize))
        {
            t.status = v.status;
            t.waiting = v.waiting;
            t.manual = v.manual;
            t.started = v.started;
            t.ended = v.ended;
        }
    }
}

/// The changes of one `decide`, over the record it reads.
pub(crate) struct Overlay<'a> {
    base: &'a Crisis,
    status: Option<Status>,
    plans: HashMap<u32, PlanMut>,
    tasks: HashMap<(u32, u32), TaskMut>,
}

impl<'a> Overlay<'a> {
    pub fn new(base: &'a Crisis) -> Self {
        Overlay {
            base,
            status: None,
            plans: HashMap::new(),
            tasks: HashMap::new(),
        }
    }

    /// The record under the overlay, for as long as the overlay's borrow.
    pub fn base_crisis(&self) -> &'a Crisis {
        self.base
    }
}

impl Store for Overlay<'_> {
    fn base(&self) -> &Crisis {
        self.base
    }

    fn status(&self) -> Status {
        self.status.unwrap_or(self.base.status)
    }

    fn set_status(&mut self, status: Status) {
        self.status = Some(status);
    }

    fn plan(&self, plan: u32) -> Option<PlanMut> {
        self.plans
            .get(&plan)
            .copied()
            .or_else(|| Store::plan(self.base, plan))
    }

    fn set_plan(&mut self, plan: u32, value: PlanMut) {
        self.plans.insert(plan, value);
    }

    fn task(&self, plan: u32, pos: u32) -> Option<TaskMut> {
        self.tasks
            .get(&(plan, pos))
            .copied()
            .or_else(|| Store::task(self.base, plan, pos))
    }

    fn set_task(&mut self, plan: u32, pos: u32, value: TaskMut) {
        self.tasks.insert((plan, pos), value);
    }
}
