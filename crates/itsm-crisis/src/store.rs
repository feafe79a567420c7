//! The parts of the record a cascade changes, behind one trait: the record itself (for
//! `evolve`) and an overlay over it (for `decide`, which must not change the state and
//! must not copy it either: one command on a million-task event touches a handful of
//! tasks).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
    /// Changes the waiting count of every task that depends on task `pos` of plan `plan` by
    /// one, down when `done`, up otherwise (without copying the list of dependents).
    fn count_dependents(&mut self, plan: u32, pos: u32, done: bool);
}

fn step(waiting: u32, done: bool) -> u32 {
    if done {
        waiting.saturating_sub(1)
    } else {
        waiting.saturating_add(1)
    }
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

    fn count_dependents(&mut self, plan: u32, pos: u32, done: bool) {
        let Some(p) = self.plans.get_mut(plan as usize) else {
            return;
        };
        let dependents = p
            .tasks
            .get_mut(pos as usize)
            .map(|t| std::mem::take(&mut t.dependents))
            .unwrap_or_default();
        for &d in &dependents {
            if let Some(t) = p.tasks.get_mut(d as usize) {
                t.waiting = step(t.waiting, done);
            }
        }
        if let Some(t) = p.tasks.get_mut(pos as usize) {
            t.dependents = dependents;
        }
    }
}

/// A hasher for the overlay's keys (plan numbers and task positions, small integers the
/// record itself assigns): a multiply and a rotate per word instead of SipHash, which took a
/// twentieth of a million-task cascade. The keys are not the user's text, so a weaker hash
/// invites no flooding.
#[derive(Default)]
pub(crate) struct PositionHasher(u64);

impl Hasher for PositionHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(26) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Positions<K, V> = HashMap<K, V, BuildHasherDefault<PositionHasher>>;

/// The changes of one `decide`, over the record it reads.
pub(crate) struct Overlay<'a> {
    base: &'a Crisis,
    status: Option<Status>,
    plans: Positions<u32, PlanMut>,
    tasks: Positions<(u32, u32), TaskMut>,
}

impl<'a> Overlay<'a> {
    pub fn new(base: &'a Crisis) -> Self {
        Overlay {
            base,
            status: None,
            plans: Positions::default(),
            tasks: Positions::default(),
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

    fn count_dependents(&mut self, plan: u32, pos: u32, done: bool) {
        let base = self.base;
        let Some(p) = base.plans.get(plan as usize) else {
            return;
        };
        let dependents = p
            .tasks
            .get(pos as usize)
            .map_or(&[][..], |t| t.dependents.as_slice());
        self.tasks.reserve(dependents.len());
        for &d in dependents {
            if let Some(mut t) = self.task(plan, d) {
                t.waiting = step(t.waiting, done);
                self.tasks.insert((plan, d), t);
            }
        }
    }
}
