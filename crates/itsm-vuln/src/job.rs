//! The schedule's work (deferrals ending, stale items, reminders, missed targets) and the
//! remediation target rules.

use chrono::{DateTime, TimeDelta, Utc};

use crate::agenda::{own_until, targeted};
use crate::command::Subject;
use crate::error::Error;
use crate::event::Event;
use crate::model::{Board, Closure, Item, Status, Target};
use crate::policy::Policy;
use crate::risk::{Facts, Recalculation, Risk};

fn days(n: u32) -> TimeDelta {
    TimeDelta::days(i64::from(n))
}

fn plus(at: DateTime<Utc>, n: u32, what: &'static str) -> Result<DateTime<Utc>, Error> {
    at.checked_add_signed(days(n))
        .ok_or(Error::OutOfRange { what })
}

/// The remediation target of facts rated `risk`, counted from `from`: the most restrictive
/// (earliest) of the matching rules, the first of equals; none when no rule matches.
pub(crate) fn target(
    policy: &Policy,
    facts: &Facts,
    risk: &Risk,
    from: DateTime<Utc>,
) -> Result<Option<Target>, Error> {
    let mut best: Option<Target> = None;
    for rule in &policy.targets {
        if !rule.when.matches(facts, risk.rating) {
            continue;
        }
        let due = plus(from, rule.days, "a remediation target")?;
        if best.as_ref().is_some_and(|b| b.due <= due) {
            continue;
        }
        let remind = match rule.remind_days {
            Some(d) => Some(due.checked_sub_signed(days(d)).ok_or(Error::OutOfRange {
                what: "a remediation reminder",
            })?),
            None => None,
        };
        best = Some(Target {
            rule: rule.name.clone(),
            due,
            remind,
            reminded: false,
            missed: false,
        });
    }
    Ok(best)
}

/// The target of an item found again with new facts: a new rating is handled by the
/// policy's recalculation; an item without a target gets one from its last opening.
pub(crate) fn retarget(
    policy: &Policy,
    item: &Item,
    facts: &Facts,
    risk: &Risk,
    now: DateTime<Utc>,
) -> Result<Option<Target>, Error> {
    let Some(old) = &item.target else {
        return target(policy, facts, risk, item.opened);
    };
    if risk.rating == item.risk.rating {
        return Ok(Some(old.clone()));
    }
    let fresh = || target(policy, facts, risk, now);
    let earlier = |new: Option<Target>| match new {
        Some(n) if n.due < old.due => Some(n),
        _ => Some(old.clone()),
    };
    Ok(match policy.recalculation {
        Recalculation::Keep => Some(old.clone()),
        Recalculation::FromChange => fresh()?,
        Recalculation::Earliest => earlier(fresh()?),
        Recalculation::EarliestWhenRising => {
            if risk.rating.rank() > item.risk.rating.rank() {
                earlier(fresh()?)
            } else {
                fresh()?
            }
        }
    })
}

/// A deferral's date: after now, within the policy's longest exception.
pub(crate) fn check_until(
    policy: &Policy,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if until <= now {
        return Err(Error::UntilPassed { until, now });
    }
    if let Some(max) = policy.max_exception_days {
        let limit = plus(now, max, "the longest exception")?;
        if until > limit {
            return Err(Error::TooLong {
                until,
                days: max,
                limit,
            });
        }
    }
    Ok(())
}

/// The time an event happened, if it carries one.
pub(crate) fn time_of(event: &Event) -> Option<DateTime<Utc>> {
    match event {
        Event::Created { at, .. }
        | Event::Seen { at, .. }
        | Event::Reopened { at, .. }
        | Event::Closed { at, .. }
        | Event::TaskCreated { at, .. }
        | Event::Split { at, .. }
        | Event::Joined { at, .. }
        | Event::Moved { at, .. }
        | Event::Deferred { at, .. }
        | Event::Approved { at, .. }
        | Event::Rejected { at, .. }
        | Event::TaskClosed { at, .. }
        | Event::DeferralEnded { at, .. }
        | Event::Approaching { at, .. }
        | Event::Missed { at, .. } => Some(*at),
        Event::Requested { request, .. } => Some(request.at),
        Event::Assigned { .. } => None,
    }
}

fn stale_at(item: &Item, policy: &Policy) -> Option<DateTime<Utc>> {
    let d = policy.stale_days?;
    if item.status == Status::Closed {
        return None;
    }
    item.last_found.checked_add_signed(days(d))
}

/// The schedule's work at `now`: items' own deferrals ending (the item follows its tasks
/// again), stale items closing, reminders and missed targets reported once each, then task
/// deferrals ending (the task reopens). Nothing due: no events.
pub(crate) fn tick(
    board: &Board,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    let mut events = Vec::new();
    let stale = policy.stale_days.map(days);
    // The agenda names the items and tasks that may be due; a board just read back has none
    // yet (it is built by the next fold), so then every one is looked at.
    let (due_items, due_tasks) = if board.index.built {
        let agenda = &board.index.agenda;
        (
            Some(agenda.items_due(now, stale)),
            Some(agenda.tasks_due(now)),
        )
    } else {
        (None, None)
    };
    let items: Box<dyn Iterator<Item = &Item>> = match &due_items {
        Some(ids) => Box::new(ids.iter().filter_map(|i| board.items.get(i))),
        None => Box::new(board.items.values()),
    };
    for item in items {
        if own_until(item).is_some_and(|u| u <= now) {
            events.push(Event::DeferralEnded {
                subject: Subject::Item(item.id),
                at: now,
            });
        }
        if stale_at(item, policy).is_some_and(|s| s <= now) {
            events.push(Event::Closed {
                item: item.id,
                closure: Closure::Stale,
                at: now,
            });
            continue;
        }
        let Some(t) = targeted(item) else { continue };
        if !t.missed && t.due <= now {
            events.push(Event::Missed {
                item: item.id,
                due: t.due,
                at: now,
            });
        } else if !t.reminded && t.remind.is_some_and(|r| r <= now) && t.due > now {
            events.push(Event::Approaching {
                item: item.id,
                due: t.due,
                at: now,
            });
        }
    }
    // Tasks after items: an item's own deferral ending at the same time as its task's
    // then follows the task back to open in this tick, not the next.
    let tasks: Box<dyn Iterator<Item = &crate::model::Task>> = match &due_tasks {
        Some(ids) => Box::new(ids.iter().filter_map(|t| board.tasks.get(t))),
        None => Box::new(board.tasks.values()),
    };
    for task in tasks {
        let due = task.status == Status::Deferred
            && task.request.is_none()
            && task.deferral.is_some_and(|d| d.until <= now);
        if due {
            events.push(Event::DeferralEnded {
                subject: Subject::Task(task.id),
                at: now,
            });
        }
    }
    Ok(events)
}

/// When the schedule next has work: the earliest deferral to end, stale item to close,
/// reminder or miss to report (none: nothing is scheduled). Tick then; a tick before it
/// does nothing. A deferral waiting on an extension's approval ends when the approver
/// decides.
pub fn next_deadline(board: &Board, policy: &Policy) -> Option<DateTime<Utc>> {
    if board.index.built {
        return board.index.agenda.next(policy.stale_days.map(days));
    }
    // A board just read back: a pass over it (the next fold builds the agenda).
    let tasks = board.tasks.values().filter_map(crate::agenda::task_next);
    let items = board.items.values().flat_map(|i| {
        [crate::agenda::item_next(i), stale_at(i, policy)]
            .into_iter()
            .flatten()
    });
    tasks.chain(items).min()
}
