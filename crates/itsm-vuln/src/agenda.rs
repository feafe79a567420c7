//! When each item and task next needs the schedule, kept by the fold so `next_deadline` and
//! a tick cost O(log n) per item due, not a pass over the board. Derived: never serialized,
//! never compared, rebuilt after a deserialize.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::model::{Board, Item, ItemId, Status, Task, TaskId};

/// Where an item or task stands in the agenda, kept on the record so an unchanged deadline
/// costs no lookup. Derived: never serialized, never compared.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sched {
    next: Option<DateTime<Utc>>,
    found: Option<DateTime<Utc>>,
}

impl PartialEq for Sched {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Sched {}

/// The board's schedule, and what the current event touched (inside the board's derived
/// index, which is never compared).
#[derive(Debug, Clone, Default)]
pub(crate) struct Agenda {
    /// Each item's next own-deferral end, reminder or target.
    items: BTreeSet<(DateTime<Utc>, ItemId)>,
    /// When each item not closed was last found (stale items count from it).
    found: BTreeSet<(DateTime<Utc>, ItemId)>,
    /// Each deferred task's end.
    tasks: BTreeSet<(DateTime<Utc>, TaskId)>,
    /// Touched by the event being folded.
    pub(crate) touched_items: Vec<ItemId>,
    pub(crate) touched_tasks: Vec<TaskId>,
}

/// An item's own deferral end, if it has one and no request holds it.
pub(crate) fn own_until(item: &Item) -> Option<DateTime<Utc>> {
    item.own
        .filter(|o| o.status == Status::Deferred && item.request.is_none())
        .and_then(|o| o.deferral)
        .map(|d| d.until)
}

/// Targets count while the item is not deferred, resolved or closed.
pub(crate) fn targeted(item: &Item) -> Option<&crate::model::Target> {
    if matches!(
        item.status,
        Status::Deferred | Status::Resolved | Status::Closed
    ) {
        return None;
    }
    item.target.as_ref()
}

/// When the item next needs the schedule (stale aside).
pub(crate) fn item_next(item: &Item) -> Option<DateTime<Utc>> {
    let (remind, due) = match targeted(item) {
        Some(t) if !t.missed => (t.remind.filter(|_| !t.reminded), Some(t.due)),
        _ => (None, None),
    };
    [own_until(item), remind, due].into_iter().flatten().min()
}

/// When a task's deferral ends, if it is deferred and no request holds it.
pub(crate) fn task_next(task: &Task) -> Option<DateTime<Utc>> {
    if task.status != Status::Deferred || task.request.is_some() {
        return None;
    }
    task.deferral.map(|d| d.until)
}

/// Moves `key` from `old` to `new` in the set; true when it moved.
fn put<K: Copy + Ord>(
    set: &mut BTreeSet<(DateTime<Utc>, K)>,
    key: K,
    old: Option<DateTime<Utc>>,
    new: Option<DateTime<Utc>>,
) {
    // Most touches (a task's state rolled down) leave the deadline as it was.
    if old == new {
        return;
    }
    if let Some(o) = old {
        set.remove(&(o, key));
    }
    if let Some(n) = new {
        set.insert((n, key));
    }
}

impl Agenda {
    fn item(&mut self, id: ItemId, item: Option<&mut Item>) {
        let Some(item) = item else { return };
        let next = item_next(item);
        let found = (item.status != Status::Closed).then_some(item.last_found);
        put(&mut self.items, id, item.sched.next, next);
        put(&mut self.found, id, item.sched.found, found);
        item.sched = Sched { next, found };
    }

    fn task(&mut self, id: TaskId, task: Option<&mut Task>) {
        let Some(task) = task else { return };
        let next = task_next(task);
        put(&mut self.tasks, id, task.sched.next, next);
        task.sched.next = next;
    }

    /// The earliest time anything is due, stale items counting `stale` after they were
    /// last found.
    pub(crate) fn next(&self, stale: Option<chrono::TimeDelta>) -> Option<DateTime<Utc>> {
        let stale = stale.and_then(|d| {
            self.found
                .first()
                .and_then(|(f, _)| f.checked_add_signed(d))
        });
        [
            self.items.first().map(|(w, _)| *w),
            self.tasks.first().map(|(w, _)| *w),
            stale,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// The items that may have something due at `now`, by id.
    pub(crate) fn items_due(
        &self,
        now: DateTime<Utc>,
        stale: Option<chrono::TimeDelta>,
    ) -> BTreeSet<ItemId> {
        let mut due: BTreeSet<ItemId> = self
            .items
            .iter()
            .take_while(|(w, _)| *w <= now)
            .map(|(_, i)| *i)
            .collect();
        if let Some(d) = stale {
            due.extend(
                self.found
                    .iter()
                    .take_while(|(f, _)| f.checked_add_signed(d).is_some_and(|s| s <= now))
                    .map(|(_, i)| *i),
            );
        }
        due
    }

    /// The tasks whose deferral ends by `now`, by id.
    pub(crate) fn tasks_due(&self, now: DateTime<Utc>) -> BTreeSet<TaskId> {
        self.tasks
            .iter()
            .take_while(|(w, _)| *w <= now)
            .map(|(_, t)| *t)
            .collect()
    }
}

/// Builds the agenda from scratch (after a deserialize).
pub(crate) fn build(board: &mut Board) {
    let mut agenda = Agenda::default();
    for (id, item) in board.items.iter_mut() {
        item.sched = Sched::default();
        agenda.item(*id, Some(item));
    }
    for (id, task) in board.tasks.iter_mut() {
        task.sched = Sched::default();
        agenda.task(*id, Some(task));
    }
    board.index.agenda = agenda;
}

/// Brings the touched items and tasks up to date.
pub(crate) fn update(board: &mut Board) {
    let items = std::mem::take(&mut board.index.agenda.touched_items);
    let tasks = std::mem::take(&mut board.index.agenda.touched_tasks);
    for id in items {
        board.index.agenda.item(id, board.items.get_mut(&id));
    }
    for id in tasks {
        board.index.agenda.task(id, board.tasks.get_mut(&id));
    }
}
