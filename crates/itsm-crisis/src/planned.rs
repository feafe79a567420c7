//! The planned timeline of an event: when each task, plan and asset is planned to start and
//! end from a planned start, the tasks' planned durations and their dependencies (ServiceNow:
//! "When you enter the Planned start date, the Planned end date on the activated plan and on
//! the event tasks is calculated based upon the Planned duration field"), and whether each
//! asset's planned recovery meets its recovery time objective.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

use crate::error::Error;
use crate::model::{Crisis, PlanKind, TaskRef, TaskStatus};
use crate::spec::RecoveryLevel;

/// A planned start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Span {
    /// Planned start.
    pub start: DateTime<Utc>,
    /// Planned end.
    pub end: DateTime<Utc>,
}

/// An asset's planned recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlannedAsset {
    /// The asset.
    pub name: String,
    /// When it is planned to be back: the latest planned end of the tasks that recover it
    /// (those at the recovered level, or every task tagged with it if none has a level);
    /// none if one of them is not scheduled, no task tags it, or its tasks give partial
    /// levels only.
    pub back: Option<DateTime<Utc>>,
    /// Whether that is within its objective of the planned start (none without an objective
    /// or a planned recovery).
    pub within_rto: Option<bool>,
}

/// The planned timeline ([`Crisis::planned`]) or the forecast ([`Crisis::forecast`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Planned {
    /// Per activated plan, by number: its span (none if it never starts or never ends:
    /// waiting on a cycle of plans, below a task that never starts, or with a task on a
    /// circular dependency).
    pub plans: Vec<Option<Span>>,
    /// Per activated plan, its tasks' spans in the plan's order (none for a task on or after
    /// a circular dependency, in a plan that never starts, or referring to a plan that never
    /// ends).
    pub tasks: Vec<Vec<Option<Span>>>,
    /// The assets, in the order of [`Crisis::assets`].
    pub assets: Vec<PlannedAsset>,
}

impl Planned {
    /// The span of `task`.
    pub fn task(&self, crisis: &Crisis, task: TaskRef) -> Option<Span> {
        let pos = crisis.plan(task.plan)?.position(task.task)?;
        *self.tasks.get(task.plan as usize)?.get(pos)?
    }
}

enum Step {
    PlanStarts(u32, DateTime<Utc>),
    TaskEnds(u32, u32, DateTime<Utc>),
    PlanEnds(u32),
}

impl Crisis {
    /// The planned timeline from `start`: first-level plans start then (or when the plans
    /// they depend on end), each task when its plan starts and the tasks it depends on end,
    /// and ends its planned duration later (none: at once); a task that refers to a plan
    /// starts that plan and ends when it does (or after its own duration, if later); a plan
    /// ends with its last task not left out of time (or at its start, without one). One pass
    /// in dependency order, no recursion: O(plans + tasks + dependencies).
    ///
    /// # Errors
    /// [`Error::PlannedOutOfRange`] when a planned time falls past chrono's range.
    pub fn planned(&self, start: DateTime<Utc>) -> Result<Planned, Error> {
        self.timeline(start, None)
    }

    /// The forecast at `now`, from where the event stands: done tasks at their actual times
    /// (closed complete or incomplete; a skipped task takes no time), a task in progress from
    /// its actual start to its planned end or now if later, and everything else planned from
    /// now on (a failed task runs again), along the same dependencies as
    /// [`Crisis::planned`], from the event's actual start (now, before it starts). Each
    /// asset's forecast recovery is compared with its RTO from that start: "given where we
    /// stand, when is payments back, and is that within its objective?"
    ///
    /// # Errors
    /// [`Error::PlannedOutOfRange`] when a forecast time falls past chrono's range.
    pub fn forecast(&self, now: DateTime<Utc>) -> Result<Planned, Error> {
        self.timeline(self.started.unwrap_or(now), Some(now))
    }

    /// The planned timeline (`now` none) or the forecast at `now`.
    fn timeline(&self, start: DateTime<Utc>, now: Option<DateTime<Utc>>) -> Result<Planned, Error> {
        let mut tasks: Vec<Vec<Option<Span>>> = self
            .plans
            .iter()
            .map(|p| vec![None; p.tasks.len()])
            .collect();
        let mut plans: Vec<Option<Span>> = vec![None; self.plans.len()];
        // What each task waits for: its dependencies and its plan's start.
        let mut waiting: Vec<Vec<u32>> = self
            .plans
            .iter()
            .map(|p| {
                p.tasks
                    .iter()
                    .map(|t| {
                        u32::try_from(t.depends_on.len())
                            .unwrap_or(u32::MAX)
                            .saturating_add(1)
                    })
                    .collect()
            })
            .collect();
        let mut left: Vec<usize> = self.plans.iter().map(|p| p.tasks.len()).collect();
        // Spans are written when a task starts and finished when it ends; what never ends
        // (on or after a cycle, or waiting on a plan that never ends) is reported as none.
        let mut ended: Vec<Vec<bool>> = self
            .plans
            .iter()
            .map(|p| vec![false; p.tasks.len()])
            .collect();
        let mut plan_ended: Vec<bool> = vec![false; self.plans.len()];
        // Tasks whose span is their actual one (a forecast's done tasks): a child plan does
        // not move their end.
        let mut fixed: Vec<Vec<bool>> = self
            .plans
            .iter()
            .map(|p| vec![false; p.tasks.len()])
            .collect();
        let mut plans_waiting: Vec<usize> = self.plans.iter().map(|p| p.depends_on.len()).collect();
        let mut queue: VecDeque<Step> = VecDeque::new();
        for (n, p) in (0u32..).zip(&self.plans) {
            if p.activation.kind != PlanKind::Child && p.depends_on.is_empty() {
                queue.push_back(Step::PlanStarts(n, start));
            }
        }
        let latest = |a: DateTime<Utc>, b: Option<DateTime<Utc>>| b.map_or(a, |b| a.max(b));
        while let Some(step) = queue.pop_front() {
            match step {
                Step::PlanStarts(n, at) => {
                    let Some(plan) = self.plans.get(n as usize) else {
                        continue;
                    };
                    if let Some(span) = plans.get_mut(n as usize) {
                        *span = Some(Span { start: at, end: at });
                    }
                    if plan.tasks.is_empty() {
                        queue.push_back(Step::PlanEnds(n));
                    }
                    for (pos, _) in (0u32..).zip(&plan.tasks) {
                        self.release(
                            n,
                            pos,
                            now,
                            &mut waiting,
                            &mut tasks,
                            &mut fixed,
                            &plans,
                            &mut queue,
                        )?;
                    }
                }
                Step::TaskEnds(n, pos, end) => {
                    let Some(plan) = self.plans.get(n as usize) else {
                        continue;
                    };
                    if let Some(span) = tasks
                        .get_mut(n as usize)
                        .and_then(|t| t.get_mut(pos as usize))
                    {
                        if let Some(s) = span.as_mut() {
                            s.end = end;
                        }
                    }
                    if let Some(e) = ended
                        .get_mut(n as usize)
                        .and_then(|t| t.get_mut(pos as usize))
                    {
                        *e = true;
                    }
                    let dependents = plan
                        .tasks
                        .get(pos as usize)
                        .map_or(&[][..], |t| t.dependents.as_slice());
                    for &d in dependents {
                        self.release(
                            n,
                            d,
                            now,
                            &mut waiting,
                            &mut tasks,
                            &mut fixed,
                            &plans,
                            &mut queue,
                        )?;
                    }
                    if let Some(l) = left.get_mut(n as usize) {
                        *l = l.saturating_sub(1);
                        if *l == 0 {
                            queue.push_back(Step::PlanEnds(n));
                        }
                    }
                }
                Step::PlanEnds(n) => {
                    let Some(plan) = self.plans.get(n as usize) else {
                        continue;
                    };
                    let Some(mut span) = plans.get(n as usize).copied().flatten() else {
                        continue;
                    };
                    let ends = plan
                        .tasks
                        .iter()
                        .zip(tasks.get(n as usize).map_or(&[][..], Vec::as_slice));
                    let timed: Vec<DateTime<Utc>> = ends
                        .clone()
                        .filter(|(t, _)| !t.exclude_from_time)
                        .filter_map(|(_, s)| s.map(|s| s.end))
                        .collect();
                    let all: Vec<DateTime<Utc>> =
                        ends.filter_map(|(_, s)| s.map(|s| s.end)).collect();
                    let last = if timed.is_empty() {
                        all.iter().max()
                    } else {
                        timed.iter().max()
                    };
                    span.end = last.copied().map_or(span.start, |l| l.max(span.start));
                    if now.is_some() && plan.status.is_closed() {
                        span.end = plan.ended.unwrap_or(span.end).max(span.start);
                    }
                    if let Some(s) = plans.get_mut(n as usize) {
                        *s = Some(span);
                    }
                    if let Some(e) = plan_ended.get_mut(n as usize) {
                        *e = true;
                    }
                    // The plans after it, once every plan they wait for has ended.
                    for &d in &plan.dependents {
                        let Some(w) = plans_waiting.get_mut(d as usize) else {
                            continue;
                        };
                        *w = w.saturating_sub(1);
                        if *w == 0 {
                            let after = self
                                .plans
                                .get(d as usize)
                                .map_or(&[][..], |q| q.depends_on.as_slice());
                            let begin = after
                                .iter()
                                .filter_map(|m| plans.get(*m as usize).copied().flatten())
                                .map(|s| s.end)
                                .fold(start, DateTime::max);
                            queue.push_back(Step::PlanStarts(d, begin));
                        }
                    }
                    // The task that refers to it ends with it (or after its own duration).
                    if let Some(parent) = plan.activation.parent {
                        let done = self
                            .plan(parent.plan)
                            .and_then(|p| p.position(parent.task))
                            .and_then(|i| fixed.get(parent.plan as usize)?.get(i).copied())
                            .unwrap_or(false);
                        if done {
                            continue;
                        }
                        let Some(pos) =
                            self.plan(parent.plan).and_then(|p| p.position(parent.task))
                        else {
                            continue;
                        };
                        let Some(own) = tasks
                            .get(parent.plan as usize)
                            .and_then(|t| t.get(pos))
                            .copied()
                            .flatten()
                        else {
                            continue;
                        };
                        queue.push_back(Step::TaskEnds(
                            parent.plan,
                            u32::try_from(pos).unwrap_or(u32::MAX),
                            latest(span.end, Some(own.end)),
                        ));
                    }
                }
            }
        }
        for (spans, done) in tasks.iter_mut().zip(&ended) {
            for (span, done) in spans.iter_mut().zip(done) {
                if !done {
                    *span = None;
                }
            }
        }
        for (span, done) in plans.iter_mut().zip(&plan_ended) {
            if !done {
                *span = None;
            }
        }
        let assets = self
            .assets_list()
            .into_iter()
            .map(|(name, rto)| {
                let mut tagged = Vec::new();
                for (n, plan) in self.plans.iter().enumerate() {
                    for (i, t) in plan.tasks.iter().enumerate() {
                        if t.assets.iter().any(|a| a == name) {
                            let span = tasks.get(n).and_then(|v| v.get(i)).copied().flatten();
                            tagged.push((t.level, span));
                        }
                    }
                }
                let full: Vec<_> = if tagged.iter().any(|(l, _)| *l == RecoveryLevel::Recovered) {
                    tagged
                        .iter()
                        .filter(|(l, _)| *l == RecoveryLevel::Recovered)
                        .collect()
                } else if tagged
                    .iter()
                    .all(|(l, _)| *l != RecoveryLevel::PartiallyRecovered)
                {
                    tagged.iter().collect()
                } else {
                    // Partial levels only: no task brings it all the way back.
                    Vec::new()
                };
                let back = if full.is_empty() || full.iter().any(|(_, s)| s.is_none()) {
                    None
                } else {
                    full.iter().filter_map(|(_, s)| s.map(|s| s.end)).max()
                };
                PlannedAsset {
                    name: name.to_owned(),
                    back,
                    within_rto: match (rto, back) {
                        (Some(rto), Some(back)) => Some(back.signed_duration_since(start) <= rto),
                        _ => None,
                    },
                }
            })
            .collect();
        Ok(Planned {
            plans,
            tasks,
            assets,
        })
    }

    /// One less thing task `pos` of plan `n` waits for; when none is left, it starts: its
    /// span opens, and it ends its planned duration later, or (a referring task) starts its
    /// child plan and ends with it.
    // The walk's arrays are the pass's own locals, borrowed piecewise by the loop that
    // calls this; a struct holding them would be borrowed whole.
    #[allow(clippy::too_many_arguments)]
    fn release(
        &self,
        n: u32,
        pos: u32,
        now: Option<DateTime<Utc>>,
        waiting: &mut [Vec<u32>],
        tasks: &mut [Vec<Option<Span>>],
        fixed: &mut [Vec<bool>],
        plans: &[Option<Span>],
        queue: &mut VecDeque<Step>,
    ) -> Result<(), Error> {
        let Some(w) = waiting
            .get_mut(n as usize)
            .and_then(|w| w.get_mut(pos as usize))
        else {
            return Ok(());
        };
        *w = w.saturating_sub(1);
        if *w > 0 {
            return Ok(());
        }
        let Some(plan) = self.plans.get(n as usize) else {
            return Ok(());
        };
        let Some(task) = plan.tasks.get(pos as usize) else {
            return Ok(());
        };
        let Some(plan_start) = plans.get(n as usize).copied().flatten().map(|s| s.start) else {
            return Ok(());
        };
        let done = tasks.get(n as usize).map_or(&[][..], Vec::as_slice);
        let begin = task
            .depends_on
            .iter()
            .filter_map(|d| plan.position(*d))
            .filter_map(|i| done.get(i).copied().flatten())
            .map(|s| s.end)
            .fold(plan_start, DateTime::max);
        let out_of_range = || Error::PlannedOutOfRange {
            task: TaskRef::new(n, task.id),
        };
        let after = |from: DateTime<Utc>| {
            from.checked_add_signed(task.duration.unwrap_or_else(Duration::zero))
                .ok_or_else(out_of_range)
        };
        let (begin, end, actual) = match now {
            None => (begin, after(begin)?, false),
            Some(now) => match task.status {
                TaskStatus::ClosedComplete | TaskStatus::ClosedIncomplete => {
                    let end = task.ended.unwrap_or(begin);
                    (task.started.unwrap_or(end).min(end), end, true)
                }
                TaskStatus::ClosedSkipped => (begin, begin, true),
                TaskStatus::WorkInProgress => {
                    let started = task.started.unwrap_or(now);
                    (started, after(started)?.max(now), false)
                }
                _ => {
                    let begin = begin.max(now);
                    (begin, after(begin)?, false)
                }
            },
        };
        if let Some(span) = tasks
            .get_mut(n as usize)
            .and_then(|t| t.get_mut(pos as usize))
        {
            *span = Some(Span { start: begin, end });
        }
        if let Some(f) = fixed
            .get_mut(n as usize)
            .and_then(|f| f.get_mut(pos as usize))
        {
            *f = actual;
        }
        match task.child {
            Some(child) => {
                queue.push_back(Step::PlanStarts(child, begin));
                if actual {
                    queue.push_back(Step::TaskEnds(n, pos, end));
                }
            }
            None => queue.push_back(Step::TaskEnds(n, pos, end)),
        }
        Ok(())
    }
}

impl Crisis {
    /// The assets the spec lists or a task tags, in [`Crisis::assets`]'s order, with their
    /// objectives.
    pub(crate) fn assets_list(&self) -> Vec<(&str, Option<Duration>)> {
        let mut names: Vec<(&str, Option<Duration>)> = self
            .assets
            .iter()
            .map(|a| (a.name.as_str(), a.rto))
            .collect();
        let listed: std::collections::HashSet<&str> = names.iter().map(|(n, _)| *n).collect();
        let tagged: BTreeMap<&str, ()> = self
            .plans
            .iter()
            .flat_map(|p| &p.tasks)
            .flat_map(|t| &t.assets)
            .filter(|a| !listed.contains(a.as_str()))
            .map(|a| (a.as_str(), ()))
            .collect();
        names.extend(tagged.into_keys().map(|n| (n, None)));
        names
    }
}
