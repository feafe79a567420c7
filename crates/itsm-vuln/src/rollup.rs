//! Roll-down (an item's state from its own and its tasks') and roll-up (a task's state from
//! its items'), as ServiceNow Vulnerability Response documents them, kept exact and cheap
//! with a tally per task.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

use chrono::{DateTime, Utc};
use itsm_core::ConfigItemId;

use crate::model::{Board, Closure, Deferral, ItemId, Own, Reason, Status, TaskId};

/// What a task knows of its items' states, kept up to date by the fold so a roll-up is
/// O(log n), not a pass over the task. Derived: never serialized, never compared.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    items: u64,
    closed: u64,
    deferred: u64,
    closures: HashMap<Option<Closure>, u64>,
    reasons: HashMap<Option<Reason>, u64>,
    untils: BTreeMap<DateTime<Utc>, u64>,
}

impl PartialEq for Tally {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Tally {}

fn bump<K: Hash + Eq>(map: &mut HashMap<K, u64>, key: K, up: bool) {
    if up {
        *map.entry(key).or_insert(0) += 1;
    } else if let Some(n) = map.get_mut(&key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(&key);
        }
    }
}

fn bump_until(map: &mut BTreeMap<DateTime<Utc>, u64>, key: DateTime<Utc>, up: bool) {
    if up {
        *map.entry(key).or_insert(0) += 1;
    } else if let Some(n) = map.get_mut(&key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(&key);
        }
    }
}

/// The one key all counted items share, or none when they differ.
fn single<K: Copy>(map: &HashMap<Option<K>, u64>) -> Option<K> {
    if map.len() == 1 {
        map.keys().next().copied().flatten()
    } else {
        None
    }
}

impl Tally {
    fn count(&mut self, view: &Own, up: bool) {
        let step = |n: &mut u64| {
            *n = if up {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            }
        };
        step(&mut self.items);
        match view.status {
            Status::Closed => {
                step(&mut self.closed);
                bump(&mut self.closures, view.closure, up);
            }
            Status::Deferred => {
                step(&mut self.deferred);
                bump(&mut self.reasons, view.deferral.and_then(|d| d.reason), up);
                if let Some(d) = view.deferral {
                    bump_until(&mut self.untils, d.until, up);
                }
            }
            _ => {}
        }
    }

    /// The state the items roll up to, if they decide it: all closed (the same closure, or
    /// none), or all closed or deferred with some deferred (the same reason or none, the
    /// earliest date).
    fn rolled_up(&self) -> Option<Own> {
        if self.items == 0 {
            return None;
        }
        if self.closed == self.items {
            return Some(Own {
                status: Status::Closed,
                closure: single(&self.closures),
                deferral: None,
            });
        }
        if self.deferred > 0 && self.closed + self.deferred == self.items {
            let until = self.untils.keys().next().copied()?;
            return Some(Own {
                status: Status::Deferred,
                closure: None,
                deferral: Some(Deferral {
                    until,
                    reason: single(&self.reasons),
                }),
            });
        }
        None
    }
}

/// Whether the board's tallies are built (after a deserialize they are not). Derived:
/// never serialized, never compared.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub(crate) built: bool,
    pub(crate) agenda: crate::agenda::Agenda,
    /// The items on each configuration item (an item never changes its CI).
    pub(crate) by_ci: HashMap<ConfigItemId, Vec<ItemId>>,
    /// The latest task each remediation task rule made for each of its keys.
    pub(crate) groups: HashMap<crate::grouping::Grouping, TaskId>,
}

impl PartialEq for Index {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Index {}

fn view(board: &Board, id: ItemId) -> Option<Own> {
    board.items.get(&id).map(|i| Own {
        status: i.status,
        closure: i.closure,
        deferral: i.deferral,
    })
}

/// Builds every task's tally if a deserialize left them empty.
pub(crate) fn ensure_index(board: &mut Board) {
    if board.index.built {
        return;
    }
    let ids: Vec<TaskId> = board.tasks.keys().copied().collect();
    for id in ids {
        let members: Vec<Own> = board
            .tasks
            .get(&id)
            .map(|t| t.items.iter().filter_map(|&i| view(board, i)).collect())
            .unwrap_or_default();
        if let Some(task) = board.tasks.get_mut(&id) {
            task.tally = Tally::default();
            for v in &members {
                task.tally.count(v, true);
            }
        }
    }
    crate::agenda::build(board);
    let mut by_ci: HashMap<ConfigItemId, Vec<ItemId>> = HashMap::new();
    for item in board.items.values() {
        by_ci.entry(item.ci).or_default().push(item.id);
    }
    board.index.by_ci = by_ci;
    let mut groups = HashMap::new();
    for task in board.tasks.values() {
        if let Some(g) = &task.rule {
            // The one not closed, if any (a rule opens a new task only when its last closed).
            if task.status != Status::Closed || !groups.contains_key(g) {
                groups.insert(g.clone(), task.id);
            }
        }
    }
    board.index.groups = groups;
    board.index.built = true;
}

/// An item joins a task (`up`) or leaves it: both sides' memberships and the task's tally.
/// Nothing happens unless both exist and the membership changes.
pub(crate) fn join(board: &mut Board, task: TaskId, item: ItemId, up: bool) {
    let (Some(v), Some(t)) = (view(board, item), board.tasks.get_mut(&task)) else {
        return;
    };
    let changed = if up {
        t.items.insert(item)
    } else {
        t.items.remove(&item)
    };
    if !changed {
        return;
    }
    t.tally.count(&v, up);
    if let Some(i) = board.items.get_mut(&item) {
        if up {
            i.tasks.insert(task);
        } else {
            i.tasks.remove(&task);
        }
    }
}

/// An item's state from its own and its tasks': the highest precedence wins; among
/// deferrals the latest date, among closures its own, then the first task's. Nothing set
/// and no task counting: open.
pub(crate) fn effective(board: &Board, id: ItemId) -> Option<Own> {
    let item = board.items.get(&id)?;
    let mut best: Option<Own> = item.own;
    for task in item.tasks.iter().filter_map(|t| board.tasks.get(t)) {
        if !task.counts() {
            continue;
        }
        let candidate = Own {
            status: task.status,
            closure: task.closure,
            deferral: task.deferral,
        };
        best = Some(match best {
            None => candidate,
            Some(b) if candidate.status.precedence() > b.status.precedence() => candidate,
            Some(b)
                if candidate.status == Status::Deferred
                    && b.status == Status::Deferred
                    && candidate.deferral.map(|d| d.until) > b.deferral.map(|d| d.until) =>
            {
                candidate
            }
            Some(b) => b,
        });
    }
    let mut state = best.unwrap_or(Own {
        status: Status::Open,
        closure: None,
        deferral: None,
    });
    if state.status != Status::Closed {
        state.closure = None;
    }
    if state.status != Status::Deferred {
        state.deferral = None;
    }
    Some(state)
}

/// Recomputes these items' states; every task whose tally changed goes on the worklist.
pub(crate) fn refresh(
    board: &mut Board,
    ids: impl IntoIterator<Item = ItemId>,
    at: DateTime<Utc>,
    work: &mut BTreeSet<TaskId>,
) {
    for id in ids {
        let (Some(old), Some(new)) = (view(board, id), effective(board, id)) else {
            continue;
        };
        if old == new {
            continue;
        }
        let tasks: Vec<TaskId> = board
            .items
            .get(&id)
            .map(|i| i.tasks.iter().copied().collect())
            .unwrap_or_default();
        for t in &tasks {
            if let Some(task) = board.tasks.get_mut(t) {
                task.tally.count(&old, false);
                task.tally.count(&new, true);
            }
            work.insert(*t);
        }
        board.index.agenda.touched_items.push(id);
        if let Some(item) = board.items.get_mut(&id) {
            item.status = new.status;
            item.closure = new.closure;
            item.deferral = new.deferral;
            if new.status == Status::Closed && old.status != Status::Closed {
                item.closed_at = Some(at);
            } else if new.status != Status::Closed {
                item.closed_at = None;
            }
        }
    }
}

/// Rolls tasks up from their tallies and their new states down to their items, until
/// nothing changes. A task only moves up to closed or deferred (or along a deferral's date,
/// which only grows), so this ends.
pub(crate) fn settle(board: &mut Board, mut work: BTreeSet<TaskId>, at: DateTime<Utc>) {
    while let Some(id) = work.pop_first() {
        let Some(task) = board.tasks.get(&id) else {
            continue;
        };
        if task.status == Status::Closed {
            continue;
        }
        let Some(up) = task.tally.rolled_up() else {
            continue;
        };
        // A deferral already over is no deferral: the task stays as it is (its items'
        // deferrals end on their own; one held by an extension waits for the approver).
        if up.deferral.is_some_and(|d| d.until <= at) {
            continue;
        }
        let current = Own {
            status: task.status,
            closure: task.closure,
            deferral: task.deferral,
        };
        if up == current {
            continue;
        }
        set_task(board, id, up, at, &mut work);
    }
}

/// Sets a task's state and rolls it down to its items.
pub(crate) fn set_task(
    board: &mut Board,
    id: TaskId,
    state: Own,
    at: DateTime<Utc>,
    work: &mut BTreeSet<TaskId>,
) {
    let items: Vec<ItemId> = match board.tasks.get_mut(&id) {
        Some(task) => {
            task.status = state.status;
            task.closure = state.closure;
            task.deferral = state.deferral;
            // A request lives with the state that waits for it: an exception or a false
            // positive in review, an extension while deferred. Rolled elsewhere, it is moot.
            let keeps = |r: &crate::model::Request| match r.ask {
                crate::model::Ask::Extension { .. } => state.status == Status::Deferred,
                _ => state.status == Status::InReview,
            };
            if !task.request.as_ref().is_some_and(keeps) {
                task.request = None;
            }
            task.items.iter().copied().collect()
        }
        None => return,
    };
    board.index.agenda.touched_tasks.push(id);
    // The task itself is looked at again: its items may decide otherwise (a task reopened
    // while every item is deferred defers again).
    work.insert(id);
    refresh(board, items, at, work);
}

/// A reopened item takes its resolved or deferred tasks back to work: under investigation
/// if the task is assigned and was resolved, open otherwise (ServiceNow's roll-up: "If you
/// reopen any VIT, then the state of the remediation task changes to Open"; a resolved,
/// assigned task goes to Under Investigation).
pub(crate) fn reopen_tasks(
    board: &mut Board,
    item: ItemId,
    at: DateTime<Utc>,
    work: &mut BTreeSet<TaskId>,
) {
    let tasks: Vec<TaskId> = board
        .items
        .get(&item)
        .map(|i| i.tasks.iter().copied().collect())
        .unwrap_or_default();
    for id in tasks {
        let Some(task) = board.tasks.get(&id) else {
            continue;
        };
        let to = match task.status {
            Status::Resolved if task.is_assigned() => Status::UnderInvestigation,
            Status::Resolved | Status::Deferred => Status::Open,
            _ => continue,
        };
        set_task(
            board,
            id,
            Own {
                status: to,
                closure: None,
                deferral: None,
            },
            at,
            work,
        );
    }
}
