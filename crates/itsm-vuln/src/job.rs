//! The schedule's work (deferrals ending, stale items, reminders, missed targets) and the
//! remediation target rules.

use chrono::{DateTime, TimeDelta, Utc};

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

/// An item's own deferral, if it has one.
fn own_until(item: &Item) -> Option<DateTime<Utc>> {
    item.own
        .filter(|o| o.status == Status::Deferred)
        .and_then(|o| o.deferral)
        .map(|d| d.until)
}

fn stale_at(item: &Item, policy: &Policy) -> Option<DateTime<Utc>> {
    let d = policy.stale_days?;
    if item.status == Status::Closed {
        return None;
    }
    item.last_found.checked_add_signed(days(d))
}

/// Remediation targets count while the item is not deferred, resolved or closed.
fn targeted(item: &Item) -> Option<&Target> {
    if matches!(
        item.status,
        Status::Deferred | Status::Resolved | Status::Closed
    ) {
        return None;
    }
    item.target.as_ref()
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
    for item in board.items.values() {
        if own_until(item).is_some_and(|u| u <= now) && item.request.is_none() {
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
    for task in board.tasks.values() {
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
    let tasks = board.tasks.values().filter_map(|t| {
        (t.status == Status::Deferred && t.request.is_none())
            .then_some(t.deferral.map(|d| d.until))
            .flatten()
    });
    let items = board.items.values().flat_map(|i| {
        let deferral = own_until(i).filter(|_| i.request.is_none());
        let stale = stale_at(i, policy);
        let (remind, miss) = match targeted(i) {
            Some(t) => (
                t.remind.filter(|_| !t.reminded && !t.missed),
                (!t.missed).then_some(t.due),
            ),
            None => (None, None),
        };
        [deferral, stale, remind, miss].into_iter().flatten()
    });
    tasks.chain(items).min()
}
