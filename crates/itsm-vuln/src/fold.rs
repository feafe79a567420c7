//! `evolve`: folding an event into the board, then settling roll-down and roll-up and the
//! agenda.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::command::Subject;
use crate::event::Event;
use crate::model::{Ask, Board, Item, ItemId, Own, Status, Task, TaskId};
use crate::rollup;

/// Folds one event into the board. Never fails: events are facts `decide` produced; an
/// event naming an item or task the board does not have changes nothing of it.
pub fn evolve(mut board: Board, event: &Event) -> Board {
    apply(&mut board, event);
    board
}

fn set_own(
    board: &mut Board,
    id: ItemId,
    own: Option<Own>,
    at: DateTime<Utc>,
    work: &mut BTreeSet<TaskId>,
) {
    if let Some(i) = board.items.get_mut(&id) {
        i.own = own;
    }
    rollup::refresh(board, [id], at, work);
}

fn state(status: Status) -> Own {
    Own {
        status,
        closure: None,
        deferral: None,
    }
}

pub(crate) fn apply(board: &mut Board, event: &Event) {
    rollup::ensure_index(board);
    let mut work = BTreeSet::new();
    let at = crate::job::time_of(event);
    if let Some(at) = at {
        board.last = Some(board.last.map_or(at, |l| l.max(at)));
    }
    let at = at.or(board.last).unwrap_or_default();
    match event {
        Event::Created {
            item,
            ci,
            vulnerability,
            facts,
            risk,
            target,
            at,
        } => {
            if !board.items.contains_key(item) {
                board.index.by_ci.entry(*ci).or_default().push(*item);
            }
            board.items.entry(*item).or_insert_with(|| Item {
                id: *item,
                ci: *ci,
                vulnerability: vulnerability.clone(),
                facts: *facts,
                risk: risk.clone(),
                status: Status::Open,
                closure: None,
                deferral: None,
                own: None,
                request: None,
                tasks: BTreeSet::new(),
                first_found: *at,
                last_found: *at,
                opened: *at,
                closed_at: None,
                target: target.clone(),
                deferrals: 0,
                reopened: 0,
                sched: Default::default(),
            });
        }
        Event::Seen {
            item,
            facts,
            risk,
            target,
            at,
        } => {
            if let Some(i) = board.items.get_mut(item) {
                i.facts = *facts;
                i.risk = risk.clone();
                i.target = target.clone();
                i.last_found = *at;
            }
        }
        Event::Reopened {
            item,
            facts,
            risk,
            target,
            at,
        } => {
            let closed: Vec<TaskId> = match board.items.get(item) {
                Some(i) => i
                    .tasks
                    .iter()
                    .filter(|t| {
                        board
                            .tasks
                            .get(t)
                            .is_some_and(|t| t.status == Status::Closed)
                    })
                    .copied()
                    .collect(),
                None => return,
            };
            // Out of its closed tasks (their tallies lose it), kept in the others.
            for t in &closed {
                rollup::join(board, *t, *item, false);
            }
            if let Some(i) = board.items.get_mut(item) {
                i.facts = *facts;
                i.risk = risk.clone();
                i.target = target.clone();
                i.last_found = *at;
                i.opened = *at;
                i.request = None;
                i.reopened = i.reopened.saturating_add(1);
            }
            set_own(board, *item, None, *at, &mut work);
            rollup::reopen_tasks(board, *item, *at, &mut work);
        }
        Event::Closed { item, closure, at } => {
            let own = Own {
                status: Status::Closed,
                closure: Some(*closure),
                deferral: None,
            };
            if let Some(i) = board.items.get_mut(item) {
                i.request = None;
            }
            set_own(board, *item, Some(own), *at, &mut work);
        }
        Event::TaskCreated {
            task,
            items,
            assigned_to,
            group,
            rule,
            ..
        } => {
            if board.tasks.contains_key(task) {
                return;
            }
            let members: BTreeSet<ItemId> = items
                .iter()
                .filter(|i| board.items.contains_key(i))
                .copied()
                .collect();
            board.tasks.insert(
                *task,
                Task {
                    id: *task,
                    status: Status::Open,
                    closure: None,
                    deferral: None,
                    request: None,
                    assigned_to: *assigned_to,
                    group: *group,
                    items: BTreeSet::new(),
                    notes: None,
                    deferrals: 0,
                    rule: rule.clone(),
                    tally: rollup::Tally::default(),
                    sched: Default::default(),
                },
            );
            if let Some(g) = rule {
                board.index.groups.insert(g.clone(), *task);
            }
            for i in &members {
                rollup::join(board, *task, *i, true);
            }
            // The new task counts for its items at once, then takes their state.
            rollup::refresh(board, members.iter().copied(), at, &mut work);
            work.insert(*task);
        }
        Event::Split {
            task, into, items, ..
        } => {
            let Some(from) = board.tasks.get(task) else {
                return;
            };
            if board.tasks.contains_key(into) {
                return;
            }
            let moved: BTreeSet<ItemId> = items
                .iter()
                .filter(|i| from.items.contains(i))
                .copied()
                .collect();
            let new = Task {
                id: *into,
                status: from.status,
                closure: from.closure,
                deferral: from.deferral,
                request: None,
                assigned_to: from.assigned_to,
                group: from.group,
                items: BTreeSet::new(),
                notes: None,
                deferrals: 0,
                rule: None,
                tally: rollup::Tally::default(),
                sched: Default::default(),
            };
            board.tasks.insert(*into, new);
            for i in &moved {
                rollup::join(board, *task, *i, false);
                rollup::join(board, *into, *i, true);
            }
            work.insert(*task);
            work.insert(*into);
        }
        Event::Joined { task, item, at } => {
            let member = board
                .tasks
                .get(task)
                .is_some_and(|t| t.items.contains(item));
            if member || !board.items.contains_key(item) || !board.tasks.contains_key(task) {
                return;
            }
            rollup::join(board, *task, *item, true);
            rollup::refresh(board, [*item], *at, &mut work);
            work.insert(*task);
        }
        Event::Assigned { task, to, group } => {
            if let Some(t) = board.tasks.get_mut(task) {
                t.assigned_to = *to;
                t.group = *group;
            }
        }
        Event::Moved {
            subject,
            to,
            notes,
            at,
        } => match subject {
            Subject::Item(id) => set_own(board, *id, Some(state(*to)), *at, &mut work),
            Subject::Task(id) => {
                if let (Some(t), Some(n)) = (board.tasks.get_mut(id), notes) {
                    t.notes = Some(n.clone());
                }
                rollup::set_task(board, *id, state(*to), *at, &mut work);
            }
        },
        Event::Deferred {
            subject,
            deferral,
            at,
        } => {
            let own = Own {
                status: Status::Deferred,
                closure: None,
                deferral: Some(*deferral),
            };
            match subject {
                Subject::Item(id) => {
                    if let Some(i) = board.items.get_mut(id) {
                        i.deferrals = i.deferrals.saturating_add(1);
                        i.request = None;
                    }
                    set_own(board, *id, Some(own), *at, &mut work);
                }
                Subject::Task(id) => {
                    if let Some(t) = board.tasks.get_mut(id) {
                        t.deferrals = t.deferrals.saturating_add(1);
                        t.request = None;
                    }
                    rollup::set_task(board, *id, own, *at, &mut work);
                }
            }
        }
        Event::Requested { subject, request } => {
            let in_review = !matches!(request.ask, Ask::Extension { .. });
            match subject {
                Subject::Item(id) => {
                    if let Some(i) = board.items.get_mut(id) {
                        i.request = Some(*request);
                    }
                    if in_review {
                        set_own(
                            board,
                            *id,
                            Some(state(Status::InReview)),
                            request.at,
                            &mut work,
                        );
                    }
                }
                Subject::Task(id) => {
                    if in_review {
                        rollup::set_task(
                            board,
                            *id,
                            state(Status::InReview),
                            request.at,
                            &mut work,
                        );
                    }
                    if let Some(t) = board.tasks.get_mut(id) {
                        t.request = Some(*request);
                    }
                }
            }
        }
        Event::Approved { .. } => {}
        Event::Rejected { subject, at, .. } => match subject {
            Subject::Item(id) => {
                let Some(request) = board.items.get_mut(id).and_then(|i| i.request.take()) else {
                    return;
                };
                if !matches!(request.ask, Ask::Extension { .. }) {
                    set_own(board, *id, request.back_to, *at, &mut work);
                }
            }
            Subject::Task(id) => {
                let Some(request) = board.tasks.get_mut(id).and_then(|t| t.request.take()) else {
                    return;
                };
                if let (false, Some(back)) = (
                    matches!(request.ask, Ask::Extension { .. }),
                    request.back_to,
                ) {
                    rollup::set_task(board, *id, back, *at, &mut work);
                }
            }
        },
        Event::TaskClosed { task, closure, at } => {
            let own = Own {
                status: Status::Closed,
                closure: Some(*closure),
                deferral: None,
            };
            rollup::set_task(board, *task, own, *at, &mut work);
        }
        Event::DeferralEnded { subject, at } => match subject {
            Subject::Item(id) => set_own(board, *id, None, *at, &mut work),
            Subject::Task(id) => {
                rollup::set_task(board, *id, state(Status::Open), *at, &mut work);
            }
        },
        Event::Approaching { item, .. } => {
            if let Some(t) = board.items.get_mut(item).and_then(|i| i.target.as_mut()) {
                t.reminded = true;
            }
        }
        Event::Missed { item, .. } => {
            if let Some(t) = board.items.get_mut(item).and_then(|i| i.target.as_mut()) {
                t.reminded = true;
                t.missed = true;
            }
        }
    }
    // Whatever the event named may have a new deadline (roll-down and roll-up noted theirs).
    match event {
        Event::Created { item, .. }
        | Event::Seen { item, .. }
        | Event::Reopened { item, .. }
        | Event::Closed { item, .. }
        | Event::Approaching { item, .. }
        | Event::Missed { item, .. } => board.index.agenda.touched_items.push(*item),
        Event::Moved { subject, .. }
        | Event::Deferred { subject, .. }
        | Event::Requested { subject, .. }
        | Event::Approved { subject, .. }
        | Event::Rejected { subject, .. }
        | Event::DeferralEnded { subject, .. } => match subject {
            Subject::Item(i) => board.index.agenda.touched_items.push(*i),
            Subject::Task(t) => board.index.agenda.touched_tasks.push(*t),
        },
        Event::TaskCreated { task, .. }
        | Event::Assigned { task, .. }
        | Event::TaskClosed { task, .. } => board.index.agenda.touched_tasks.push(*task),
        Event::Split { task, into, .. } => {
            board.index.agenda.touched_tasks.push(*task);
            board.index.agenda.touched_tasks.push(*into);
        }
        Event::Joined { task, item, .. } => {
            board.index.agenda.touched_tasks.push(*task);
            board.index.agenda.touched_items.push(*item);
        }
    }
    rollup::settle(board, work, at);
    crate::agenda::update(board);
}
