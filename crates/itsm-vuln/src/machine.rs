//! `decide` and `evolve`.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use itsm_core::{Actor, Role, UserId};

use crate::command::{Command, Subject};
use crate::error::Error;
use crate::event::Event;
use crate::grouping;
use crate::job;
use crate::model::{Ask, Board, Closure, Item, ItemId, Own, Request, Status, Task, TaskId};
use crate::policy::Policy;
use crate::risk::assess;

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

/// A task that is not closed (split, assign and close need one).
fn not_closed<'b>(command: &Command, board: &'b Board, id: TaskId) -> Result<&'b Task, Error> {
    let t = task(board, id)?;
    allow(
        command,
        "remediation task",
        t.status,
        t.status != Status::Closed,
        "on a task that is not closed",
    )?;
    Ok(t)
}

/// The request waiting on a subject, which its requester may not decide unless the policy
/// says so (approve and reject).
fn waiting(board: &Board, s: Subject, by: UserId, policy: &Policy) -> Result<Request, Error> {
    let (_, request, _) = subject(board, s)?;
    let request = request.ok_or(Error::NoRequest)?;
    if request.by == by && !policy.self_approval {
        return Err(Error::OwnRequest);
    }
    Ok(request)
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
            task: new_task,
        } => {
            ctx.require(command, &[&p.scanners])?;
            if vulnerability.trim().is_empty() {
                return Err(Error::EmptyVulnerability);
            }
            let risk = assess(&p.calculators, &p.scale, facts);
            let found = grouping::Found {
                vulnerability,
                ci: *ci,
                facts,
                risk: &risk,
            };
            let Some(existing) = board.items.get(id) else {
                let group = group(board, p, &found, *id, &BTreeSet::new(), *new_task, now)?;
                let target = job::target(p, facts, &risk, now)?;
                let mut events = vec![Event::Created {
                    item: *id,
                    ci: *ci,
                    vulnerability: vulnerability.clone(),
                    facts: *facts,
                    risk,
                    target,
                    at: now,
                }];
                events.extend(group);
                return Ok(events);
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
                // Its closed tasks let it go; the others keep it.
                let kept: BTreeSet<TaskId> = existing
                    .tasks
                    .iter()
                    .filter(|t| {
                        board
                            .tasks
                            .get(t)
                            .is_some_and(|t| t.status != Status::Closed)
                    })
                    .copied()
                    .collect();
                let group = group(board, p, &found, *id, &kept, *new_task, now)?;
                let target = job::target(p, facts, &risk, now)?;
                let mut events = vec![Event::Reopened {
                    item: *id,
                    facts: *facts,
                    risk,
                    target,
                    at: now,
                }];
                events.extend(group);
                return Ok(events);
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
                rule: None,
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
            let t = not_closed(command, board, *id)?;
            // The new task would copy a state the request explains but not the request.
            if t.request.is_some() {
                return Err(Error::RequestPending);
            }
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
            not_closed(command, board, *id)?;
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
            let request = waiting(board, *s, by, p)?;
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
            waiting(board, *s, by, p)?;
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
            task(board, *id)?;
            if !closure.leaves_items() {
                return Err(Error::WrongClosure(*closure));
            }
            not_closed(command, board, *id)?;
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

fn requested(board: &Board, s: Subject, ask: Ask, by: UserId, at: DateTime<Utc>) -> Event {
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

/// The event that puts a found or reopened item into its remediation task rule's task: it
/// joins the rule's open task for its values, or a new task (with the host's id) is made;
/// nothing when no rule applies, the item is already in that task, or no id was given.
fn group(
    board: &Board,
    policy: &Policy,
    found: &grouping::Found<'_>,
    item: ItemId,
    member_of: &BTreeSet<TaskId>,
    new_task: Option<TaskId>,
    now: DateTime<Utc>,
) -> Result<Option<Event>, Error> {
    let Some((grouping, group)) = grouping::place(&policy.task_rules, found) else {
        return Ok(None);
    };
    if let Some(task) = grouping::open_task(board, &grouping) {
        if member_of.contains(&task) {
            return Ok(None);
        }
        return Ok(Some(Event::Joined {
            task,
            item,
            at: now,
        }));
    }
    let Some(task) = new_task else {
        return Ok(None);
    };
    if board.tasks.contains_key(&task) {
        return Err(Error::TaskExists(task));
    }
    Ok(Some(Event::TaskCreated {
        task,
        items: vec![item],
        rule: Some(grouping),
        assigned_to: None,
        group,
        at: now,
    }))
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
