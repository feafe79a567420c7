//! `decide` and `evolve`.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use itsm_core::{Actor, Role};

use crate::command::{Command, Subject};
use crate::error::Error;
use crate::event::Event;
use crate::job;
use crate::model::{Ask, Board, Closure, Item, ItemId, Own, Request, Status, Task, TaskId};
use crate::policy::Policy;
use crate::risk::assess;
use crate::rollup;

/// What one call needs besides the board: the time, who asks, the vendor's policy. The
/// host reads its clock; this crate never does.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// Now, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command (for [`Command::Tick`], the host's system account).
    pub actor: &'a Actor,
    /// The vendor's configuration.
    pub policy: &'a Policy,
}

impl<'a> Context<'a> {
    /// The context of one call.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context { now, actor, policy }
    }

    fn require(&self, command: &Command, roles: &[&[Role]]) -> Result<(), Error> {
        if roles
            .iter()
            .flat_map(|r| r.iter())
            .any(|r| self.actor.roles.contains(r))
        {
            return Ok(());
        }
        let listed: Vec<String> = roles
            .iter()
            .flat_map(|r| r.iter())
            .map(|r| format!("`{}`", itsm_core::Quoted(r.as_str())))
            .collect();
        Err(Error::Forbidden {
            command: command.name(),
            roles: if listed.is_empty() {
                "(none: the policy lists no role)".to_owned()
            } else {
                listed.join(", ")
            },
        })
    }
}

fn item(board: &Board, id: ItemId) -> Result<&Item, Error> {
    board.items.get(&id).ok_or(Error::UnknownItem(id))
}

fn task(board: &Board, id: TaskId) -> Result<&Task, Error> {
    board.tasks.get(&id).ok_or(Error::UnknownTask(id))
}

/// A subject's state and pending request.
fn subject(board: &Board, s: Subject) -> Result<(Status, Option<Request>, &'static str), Error> {
    Ok(match s {
        Subject::Item(id) => {
            let i = item(board, id)?;
            (i.status, i.request, "vulnerable item")
        }
        Subject::Task(id) => {
            let t = task(board, id)?;
            (t.status, t.request, "remediation task")
        }
    })
}

fn allow(
    command: &Command,
    what: &'static str,
    status: Status,
    ok: bool,
    allowed: &'static str,
) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::WrongState {
            command: command.name(),
            what,
            status,
            allowed,
        })
    }
}

/// Decides what a command does to the board. Refusals change nothing; nothing here reads
/// the clock or panics.
pub fn decide(board: &Board, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let now = ctx.now;
    if let Some(last) = board.last {
        if now < last {
            return Err(Error::ClockWentBackwards { now, last });
        }
    }
    let p = ctx.policy;
    let (owners, admins): (&[Role], &[Role]) = (&p.owners, &p.admins);
    let by = ctx.actor.user;
    match command {
        Command::Found {
            item: id,
            ci,
            vulnerability,
            facts,
        } => {
            ctx.require(command, &[&p.scanners])?;
            if vulnerability.trim().is_empty() {
                return Err(Error::EmptyVulnerability);
            }
            let risk = assess(&p.calculators, &p.scale, facts);
            let Some(existing) = board.items.get(id) else {
                let target = job::target(p, facts, &risk, now)?;
                return Ok(vec![Event::Created {
                    item: *id,
                    ci: *ci,
                    vulnerability: vulnerability.clone(),
                    facts: *facts,
                    risk,
                    target,
                    at: now,
                }]);
            };
            if existing.ci != *ci || existing.vulnerability != *vulnerability {
                return Err(Error::ItemMismatch {
                    item: *id,
                    vulnerability: existing.vulnerability.clone(),
                    ci: existing.ci,
                });
            }
            let reopen = existing.status == Status::Resolved
                || (existing.status == Status::Closed
                    && existing.closure.is_some_and(Closure::reopened_by_scan));
            if reopen {
                let target = job::target(p, facts, &risk, now)?;
                return Ok(vec![Event::Reopened {
                    item: *id,
                    facts: *facts,
                    risk,
                    target,
                    at: now,
                }]);
            }
            let target = job::retarget(p, existing, facts, &risk, now)?;
            Ok(vec![Event::Seen {
                item: *id,
                facts: *facts,
                risk,
                target,
                at: now,
            }])
        }
        Command::Fixed { item: id } => {
            ctx.require(command, &[&p.scanners])?;
            let i = item(board, *id)?;
            if i.status == Status::Closed && i.own.is_some_and(|o| o.status == Status::Closed) {
                return Ok(vec![]);
            }
            Ok(vec![Event::Closed {
                item: *id,
                closure: Closure::Fixed,
                at: now,
            }])
        }
        Command::Retired { ci } => {
            ctx.require(command, &[&p.scanners, admins])?;
            if !p.close_retired {
                return Ok(vec![]);
            }
            // The CI's items from the index; a board just read back has none yet (the
            // next fold builds it), so then every item is looked at.
            let items: Vec<&Item> = if board.index.built {
                board
                    .index
                    .by_ci
                    .get(ci)
                    .map(|ids| ids.iter().filter_map(|i| board.items.get(i)).collect())
                    .unwrap_or_default()
            } else {
                board.items.values().filter(|i| i.ci == *ci).collect()
            };
            let mut closing: Vec<ItemId> = items
                .into_iter()
                .filter(|i| i.status != Status::Closed)
                .map(|i| i.id)
                .collect();
            closing.sort_unstable();
            Ok(closing
                .into_iter()
                .map(|item| Event::Closed {
                    item,
                    closure: Closure::CiDecommissioned,
                    at: now,
                })
                .collect())
        }
        Command::CreateTask {
            task: id,
            items,
            assigned_to,
            group,
        } => {
            ctx.require(command, &[owners, admins])?;
            if board.tasks.contains_key(id) {
                return Err(Error::TaskExists(*id));
            }
            distinct(board, items)?;
            Ok(vec![Event::TaskCreated {
                task: *id,
                items: items.clone(),
                assigned_to: *assigned_to,
                group: *group,
                at: now,
            }])
        }
        Command::Split {
            task: id,
            into,
            items,
        } => {
            ctx.require(command, &[owners, admins])?;
            let t = task(board, *id)?;
            allow(
                command,
                "remediation task",
                t.status,
                t.status != Status::Closed,
                "on a task that is not closed",
            )?;
            if board.tasks.contains_key(into) {
                return Err(Error::TaskExists(*into));
            }
            distinct(board, items)?;
            if let Some(&stray) = items.iter().find(|i| !t.items.contains(i)) {
                return Err(Error::NotInTask {
                    item: stray,
                    task: *id,
                });
            }
            if items.len() >= t.items.len() {
                return Err(Error::SplitTakesAll(*id));
            }
            Ok(vec![Event::Split {
                task: *id,
                into: *into,
                items: items.clone(),
                at: now,
            }])
        }
        Command::Assign {
            task: id,
            to,
            group,
        } => {
            ctx.require(command, &[owners, admins])?;
            let t = task(board, *id)?;
            allow(
                command,
                "remediation task",
                t.status,
                t.status != Status::Closed,
                "on a task that is not closed",
            )?;
            Ok(vec![Event::Assigned {
                task: *id,
                to: *to,
                group: *group,
            }])
        }
        Command::StartInvestigation { task: id } => {
            ctx.require(command, &[owners, admins])?;
            let t = task(board, *id)?;
            allow(
                command,
                "remediation task",
                t.status,
                t.status == Status::Open,
                "on an open task",
            )?;
            if !t.is_assigned() {
                return Err(Error::Unassigned(*id));
            }
            Ok(vec![moved(
                Subject::Task(*id),
                Status::UnderInvestigation,
                None,
                now,
            )])
        }
        Command::AwaitImplementation { task: id } => {
            ctx.require(command, &[owners, admins])?;
            let t = task(board, *id)?;
            allow(
                command,
                "remediation task",
                t.status,
                t.status == Status::UnderInvestigation,
                "on a task under investigation",
            )?;
            Ok(vec![moved(
                Subject::Task(*id),
                Status::AwaitingImplementation,
                None,
                now,
            )])
        }
        Command::Resolve { subject: s, notes } => {
            ctx.require(command, &[owners, admins])?;
            let (status, _, what) = subject(board, *s)?;
            allow(
                command,
                what,
                status,
                matches!(status, Status::Open | Status::AwaitingImplementation),
                "when open or awaiting implementation",
            )?;
            Ok(vec![moved(*s, Status::Resolved, Some(notes.clone()), now)])
        }
        Command::Defer {
            subject: s,
            until,
            reason,
        } => {
            ctx.require(command, &[admins])?;
            let (status, _, what) = subject(board, *s)?;
            allow(
                command,
                what,
                status,
                status.is_actionable(),
                "when open, under investigation or awaiting implementation",
            )?;
            job::check_until(p, *until, now)?;
            Ok(vec![Event::Deferred {
                subject: *s,
                deferral: crate::model::Deferral {
                    until: *until,
                    reason: Some(*reason),
                },
                at: now,
            }])
        }
        Command::RequestException {
            subject: s,
            until,
            reason,
            ..
        } => {
            ctx.require(command, &[owners, admins])?;
            let (status, _, what) = subject(board, *s)?;
            allow(
                command,
                what,
                status,
                status.is_actionable(),
                "when open, under investigation or awaiting implementation",
            )?;
            job::check_until(p, *until, now)?;
            Ok(vec![requested(
                board,
                *s,
                Ask::Exception {
                    until: *until,
                    reason: *reason,
                },
                by,
                now,
            )])
        }
        Command::MarkFalsePositive { subject: s, .. } => {
            ctx.require(command, &[owners, admins])?;
            let (status, _, what) = subject(board, *s)?;
            allow(command, what, status, status == Status::Open, "when open")?;
            Ok(vec![requested(board, *s, Ask::FalsePositive, by, now)])
        }
        Command::RequestExtension {
            subject: s,
            until,
            reason,
        } => {
            ctx.require(command, &[owners, admins])?;
            let (status, request, what) = subject(board, *s)?;
            allow(
                command,
                what,
                status,
                status == Status::Deferred,
                "when deferred",
            )?;
            if request.is_some() {
                return Err(Error::RequestPending);
            }
            let current = match *s {
                Subject::Item(id) => item(board, id)?.deferral,
                Subject::Task(id) => task(board, id)?.deferral,
            };
            if let Some(d) = current {
                if *until <= d.until {
                    return Err(Error::NotLater {
                        until: *until,
                        current: d.until,
                    });
                }
            }
            job::check_until(p, *until, now)?;
            Ok(vec![requested(
                board,
                *s,
                Ask::Extension {
                    until: *until,
                    reason: *reason,
                },
                by,
                now,
            )])
        }
        Command::Approve { subject: s } => {
            ctx.require(command, &[&p.approvers])?;
            let (_, request, _) = subject(board, *s)?;
            let request = request.ok_or(Error::NoRequest)?;
            if request.by == by && !p.self_approval {
                return Err(Error::OwnRequest);
            }
            let mut events = vec![Event::Approved {
                subject: *s,
                by,
                at: now,
            }];
            events.push(match (request.ask, *s) {
                (Ask::Exception { until, reason } | Ask::Extension { until, reason }, _) => {
                    Event::Deferred {
                        subject: *s,
                        deferral: crate::model::Deferral {
                            until,
                            reason: Some(reason),
                        },
                        at: now,
                    }
                }
                (Ask::FalsePositive, Subject::Item(item)) => Event::Closed {
                    item,
                    closure: Closure::FalsePositive,
                    at: now,
                },
                (Ask::FalsePositive, Subject::Task(task)) => Event::TaskClosed {
                    task,
                    closure: Closure::FalsePositive,
                    at: now,
                },
            });
            Ok(events)
        }
        Command::Reject {
            subject: s,
            comments,
        } => {
            ctx.require(command, &[&p.approvers])?;
            let (_, request, _) = subject(board, *s)?;
            let request = request.ok_or(Error::NoRequest)?;
            if request.by == by && !p.self_approval {
                return Err(Error::OwnRequest);
            }
            if comments.trim().is_empty() {
                return Err(Error::EmptyComment);
            }
            Ok(vec![Event::Rejected {
                subject: *s,
                by,
                comments: comments.clone(),
                at: now,
            }])
        }
        Command::Reopen { subject: s } => {
            ctx.require(command, &[owners, admins])?;
            let (status, _, what) = subject(board, *s)?;
            allow(
                command,
                what,
                status,
                matches!(status, Status::Deferred | Status::Resolved | Status::Closed),
                "when deferred, resolved or closed",
            )?;
            match *s {
                Subject::Item(id) => {
                    if item(board, id)?.closure == Some(Closure::CiDecommissioned) {
                        return Err(Error::Decommissioned(id));
                    }
                }
                Subject::Task(id) => {
                    let t = task(board, id)?;
                    // Closed by something other than this task: its own state or another
                    // closed task that counts.
                    let closed_elsewhere = |i: &Item| {
                        i.own.is_some_and(|o| o.status == Status::Closed)
                            || i.tasks.iter().any(|other| {
                                *other != id
                                    && board
                                        .tasks
                                        .get(other)
                                        .is_some_and(|o| o.status == Status::Closed && o.counts())
                            })
                    };
                    let all_closed = t
                        .items
                        .iter()
                        .all(|i| board.items.get(i).is_none_or(closed_elsewhere));
                    if all_closed {
                        return Err(Error::AllItemsClosed(id));
                    }
                }
            }
            if let Subject::Item(id) = *s {
                // An item reopened by hand is worked out afresh, as a scanner's reopening.
                let i = item(board, id)?;
                let risk = assess(&p.calculators, &p.scale, &i.facts);
                let target = job::target(p, &i.facts, &risk, now)?;
                return Ok(vec![Event::Reopened {
                    item: id,
                    facts: i.facts,
                    risk,
                    target,
                    at: now,
                }]);
            }
            Ok(vec![moved(*s, Status::Open, None, now)])
        }
        Command::CloseTask { task: id, closure } => {
            ctx.require(command, &[admins])?;
            let t = task(board, *id)?;
            if !closure.leaves_items() {
                return Err(Error::WrongClosure(*closure));
            }
            allow(
                command,
                "remediation task",
                t.status,
                t.status != Status::Closed,
                "on a task that is not closed",
            )?;
            Ok(vec![Event::TaskClosed {
                task: *id,
                closure: *closure,
                at: now,
            }])
        }
        Command::Tick => job::tick(board, p, now),
    }
}

fn moved(subject: Subject, to: Status, notes: Option<String>, at: DateTime<Utc>) -> Event {
    Event::Moved {
        subject,
        to,
        notes,
        at,
    }
}

fn requested(
    board: &Board,
    s: Subject,
    ask: Ask,
    by: itsm_core::UserId,
    at: DateTime<Utc>,
) -> Event {
    let back_to = match (ask, s) {
        (Ask::Extension { .. }, _) => None,
        (_, Subject::Item(id)) => board.items.get(&id).and_then(|i| i.own),
        (_, Subject::Task(id)) => board.tasks.get(&id).map(|t| Own {
            status: t.status,
            closure: t.closure,
            deferral: t.deferral,
        }),
    };
    Event::Requested {
        subject: s,
        request: Request {
            ask,
            by,
            at,
            back_to,
        },
    }
}

fn distinct(board: &Board, items: &[ItemId]) -> Result<(), Error> {
    if items.is_empty() {
        return Err(Error::NoItems);
    }
    let mut seen = HashSet::with_capacity(items.len());
    for id in items {
        if !board.items.contains_key(id) {
            return Err(Error::UnknownItem(*id));
        }
        if !seen.insert(*id) {
            return Err(Error::DuplicateItem(*id));
        }
    }
    Ok(())
}

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
                if let Some(task) = board.tasks.get_mut(t) {
                    task.items.remove(item);
                }
            }
            if let Some(i) = board.items.get_mut(item) {
                for t in &closed {
                    i.tasks.remove(t);
                }
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
                    items: members.clone(),
                    notes: None,
                    deferrals: 0,
                    tally: rollup::Tally::default(),
                    sched: Default::default(),
                },
            );
            for i in &members {
                rollup::join(board, *task, *i, true);
                if let Some(item) = board.items.get_mut(i) {
                    item.tasks.insert(*task);
                }
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
                tally: rollup::Tally::default(),
                sched: Default::default(),
            };
            board.tasks.insert(*into, new);
            for i in &moved {
                rollup::join(board, *task, *i, false);
                if let Some(t) = board.tasks.get_mut(task) {
                    t.items.remove(i);
                }
                if let Some(t) = board.tasks.get_mut(into) {
                    t.items.insert(*i);
                }
                rollup::join(board, *into, *i, true);
                if let Some(item) = board.items.get_mut(i) {
                    item.tasks.remove(task);
                    item.tasks.insert(*into);
                }
            }
            work.insert(*task);
            work.insert(*into);
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
    }
    rollup::settle(board, work, at);
    crate::agenda::update(board);
}
