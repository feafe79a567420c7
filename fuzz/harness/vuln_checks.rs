//! The `vuln` harness's own model of roll-down and roll-up, written from the crate's doc
//! comments (`Item::status`, `Status::precedence`, `Task::counts`, the crate docs'
//! "Remediation tasks" and `rollup.rs`'s opening) and ServiceNow Vulnerability Response's
//! pages, not from the code, and the board's invariants checked after every step.
//!
//! Roll-down: an item's state is the highest-precedence one among its own (`own`, if set)
//! and its tasks' states, closed > deferred > resolved > in review > awaiting
//! implementation > under investigation > open; tasks closed as canceled or fixed with
//! exception do not count; nothing counting: open. Among deferrals the latest date wins;
//! among closures its own, then its first task's (in id order).
//!
//! Roll-up: a task not closed whose items are all closed is closed; one whose items are all
//! closed or deferred, some deferred, is deferred until the earliest of its deferred items'
//! dates, unless that date has passed already (the crate's choice: a deferral already over
//! is no deferral; the items' own deferrals end at the next tick). A task in review has a
//! request waiting for its approver.

use super::*;

/// One contributor to an item's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct St {
    pub status: Status,
    pub closure: Option<Closure>,
    pub until: Option<T>,
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Open => 0,
        Status::UnderInvestigation => 1,
        Status::AwaitingImplementation => 2,
        Status::InReview => 3,
        Status::Resolved => 4,
        Status::Deferred => 5,
        _ => 6,
    }
}

fn counts(t: &Task) -> bool {
    !(t.status == Status::Closed
        && matches!(
            t.closure,
            Some(Closure::Canceled | Closure::FixedWithException)
        ))
}

/// The roll-down rule: the state `item` should show, from its own and its tasks'.
pub fn rolled_down(board: &Board, item: &Item) -> St {
    let mut best: Option<St> = item.own.map(|o| St {
        status: o.status,
        closure: o.closure,
        until: o.deferral.map(|d| d.until),
    });
    for t in item.tasks.iter().filter_map(|t| board.task(*t)) {
        if !counts(t) {
            continue;
        }
        let c = St {
            status: t.status,
            closure: t.closure,
            until: t.deferral.map(|d| d.until),
        };
        best = match best {
            None => Some(c),
            Some(b) if rank(c.status) > rank(b.status) => Some(c),
            Some(b) if c.status == Status::Deferred && b.status == Status::Deferred => {
                Some(if c.until > b.until { c } else { b })
            }
            b => b,
        };
    }
    let mut s = best.unwrap_or(St {
        status: Status::Open,
        closure: None,
        until: None,
    });
    if s.status != Status::Closed {
        s.closure = None;
    }
    if s.status != Status::Deferred {
        s.until = None;
    }
    s
}

/// What a task's items say it should be, if they decide it: closed (the closure they
/// share, or none) or deferred until the earliest date (the reason they share, or none).
pub fn rolled_up(board: &Board, task: &Task) -> Option<(Status, Option<Closure>, Option<T>)> {
    let items: Vec<&Item> = task.items.iter().filter_map(|i| board.item(*i)).collect();
    if items.is_empty() {
        return None;
    }
    if items.iter().all(|i| i.status == Status::Closed) {
        let first = items.first().and_then(|i| i.closure);
        let same = items.iter().all(|i| i.closure == first);
        return Some((Status::Closed, if same { first } else { None }, None));
    }
    let settled = items
        .iter()
        .all(|i| matches!(i.status, Status::Closed | Status::Deferred));
    if settled {
        let until = items
            .iter()
            .filter(|i| i.status == Status::Deferred)
            .filter_map(|i| i.deferral.map(|d| d.until))
            .min();
        return Some((Status::Deferred, None, until));
    }
    None
}

/// The invariants of the board, as messages (empty: all hold). Each message starts with a
/// short kind, so a known difference can be told from a new one.
pub fn violations(board: &Board) -> Vec<String> {
    let mut out = Vec::new();
    for item in board.items.values() {
        for t in &item.tasks {
            if !board.task(*t).is_some_and(|t| t.items.contains(&item.id)) {
                out.push(format!("links: item {} lists task {t}", item.id));
            }
        }
        let want = rolled_down(board, item);
        let got = St {
            status: item.status,
            closure: item.closure,
            until: item.deferral.map(|d| d.until),
        };
        if want != got {
            out.push(format!(
                "rolldown: item {} is {got:?}, the rule gives {want:?} (own {:?})",
                item.id, item.own
            ));
        }
        if (item.status == Status::Closed) != item.closed_at.is_some() {
            out.push(format!(
                "closed_at: item {} {} closed at {:?}",
                item.id, item.status, item.closed_at
            ));
        }
        if item.status == Status::Deferred && item.deferral.is_none() {
            out.push(format!(
                "deferral: item {} deferred without a date",
                item.id
            ));
        }
    }
    for task in board.tasks.values() {
        for i in &task.items {
            if !board.item(*i).is_some_and(|i| i.tasks.contains(&task.id)) {
                out.push(format!("links: task {} lists item {i}", task.id));
            }
        }
        if task.status == Status::InReview && task.request.is_none() {
            out.push(format!(
                "in_review_without_request: task {} is in review with nothing waiting for an approver",
                task.id
            ));
        }
        if task.status == Status::Closed {
            continue;
        }
        if task.items.is_empty() {
            out.push(format!(
                "empty: task {} {} has no items",
                task.id, task.status
            ));
        }
        match rolled_up(board, task) {
            Some((Status::Closed, ..)) => out.push(format!(
                "rollup_closed: task {} is {} with every item closed",
                task.id, task.status
            )),
            // A roll-up never defers a task to a time already past (`rollup.rs`: "a deferral
            // already over is no deferral"); the items' deferrals end at the next tick.
            Some((_, _, until)) if until.is_none_or(|u| board.last.is_some_and(|l| u <= l)) => {}
            Some((_, _, until)) => {
                let got = task.deferral.map(|d| d.until);
                // A task deferred by a command (not by its items) keeps its own date, which
                // is never later than its items' (each shows the latest deferral it has).
                let direct = got.is_some() && got < until;
                if task.status != Status::Deferred || (got != until && !direct) {
                    out.push(format!(
                        "rollup_deferred: task {} is {} until {got:?}, its items closed or deferred until {until:?} at the earliest",
                        task.id, task.status
                    ));
                }
            }
            None => {}
        }
    }
    out
}
