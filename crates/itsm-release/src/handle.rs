//! What each command does: its checks and its events.

use itsm_calendar::Zone;
use itsm_core::Role;

use crate::command::{Command, TaskRef};
use crate::error::Error;
use crate::event::Event;
use crate::machine::{Context, moves};
use crate::model::{Check, CheckStatus, Phase, PhaseStatus, Release, Task, TaskStatus};
use crate::plan::{self, Process};

pub(crate) fn create(
    release: crate::ReleaseId,
    plan: &plan::Plan,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    permit("create", &ctx.policy.managers, ctx)?;
    let zone = plan::zone_of(&plan.name, plan.zone.as_deref())?;
    let today = plan::today(&zone, ctx.now);
    plan::check(plan, today, ctx.policy.allow_past_dates)?;
    if ctx.policy.require_readiness && plan.process == Process::Stage && plan.readiness.is_none() {
        return Err(Error::ReadinessRequired {
            release: plan.name.clone(),
        });
    }
    Ok(vec![Event::Created {
        release,
        plan: Box::new(plan.clone()),
        at: ctx.now,
        by: ctx.actor.user,
    }])
}

fn permit(command: &'static str, roles: &[Role], ctx: &Context<'_>) -> Result<(), Error> {
    if roles.iter().any(|r| ctx.actor.roles.contains(r)) {
        Ok(())
    } else {
        Err(Error::Forbidden {
            command,
            roles: roles.iter().map(|r| r.as_str().to_owned()).collect(),
        })
    }
}

fn phase_at(r: &Release, phase: usize) -> Result<&Phase, Error> {
    r.phases.get(phase).ok_or(Error::UnknownPhase {
        phase,
        phases: r.phases.len(),
    })
}

fn task_at(r: &Release, at: TaskRef) -> Result<&Task, Error> {
    let p = phase_at(r, at.phase)?;
    p.tasks.get(at.task).ok_or_else(|| Error::UnknownTask {
        phase: p.name.clone(),
        task: at.task,
        tasks: p.tasks.len(),
    })
}

fn open_phase(r: &Release, phase: usize) -> Result<&Phase, Error> {
    let p = phase_at(r, phase)?;
    if moves(p.status) {
        Ok(p)
    } else {
        Err(Error::PhaseClosed {
            phase: p.name.clone(),
            status: p.status,
        })
    }
}

fn current(r: &Release) -> Result<(usize, &Phase), Error> {
    r.current().ok_or(Error::NoCurrentPhase {
        completed: r.progress(),
        phases: r.phases.len(),
    })
}

fn not_empty(command: &'static str, field: &'static str, text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        Err(Error::MissingField { command, field })
    } else {
        Ok(())
    }
}

/// A task in one of `allowed` statuses.
fn task_in(
    r: &Release,
    at: TaskRef,
    command: &'static str,
    allowed: &'static [TaskStatus],
) -> Result<(), Error> {
    let task = task_at(r, at)?;
    if allowed.contains(&task.status) {
        Ok(())
    } else {
        Err(Error::TaskStatus {
            task: task.name.clone(),
            command,
            status: task.status,
            allowed,
        })
    }
}

/// The approval task at `at`, its approver the actor.
fn approval_by_actor(r: &Release, at: TaskRef, ctx: &Context<'_>) -> Result<(), Error> {
    let task = task_at(r, at)?;
    match task.approver {
        None => Err(Error::NotApprovalTask {
            task: task.name.clone(),
        }),
        Some(a) if a != ctx.actor.user => Err(Error::NotApprover {
            task: task.name.clone(),
            approver: a,
        }),
        Some(_) => Ok(()),
    }
}

pub(crate) fn command_events(
    r: &Release,
    zone: &Zone,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let (at, by, policy) = (ctx.now, ctx.actor.user, ctx.policy);
    let name = command.name();
    let managers = &policy.managers;
    Ok(match command {
        Command::Create { .. } => return Err(Error::AlreadyCreated),
        Command::Tick => Vec::new(),
        Command::Start => {
            permit(name, managers, ctx)?;
            vec![Event::Started { at, by }]
        }
        Command::StartTask { task } => {
            task_in(r, *task, name, &[TaskStatus::Open])?;
            vec![Event::TaskStarted {
                task: *task,
                at,
                by,
            }]
        }
        Command::CloseTask { task, outcome } => {
            if task_at(r, *task)?.approver.is_some() {
                return Err(Error::ApprovalTaskCloses {
                    task: task_at(r, *task)?.name.clone(),
                });
            }
            task_in(r, *task, name, &[TaskStatus::Open, TaskStatus::InProgress])?;
            vec![Event::TaskClosed {
                task: *task,
                outcome: *outcome,
                at,
                by,
            }]
        }
        Command::Approve { task } => {
            approval_by_actor(r, *task, ctx)?;
            task_in(r, *task, name, &[TaskStatus::Requested])?;
            vec![Event::TaskApproved {
                task: *task,
                at,
                by,
            }]
        }
        Command::Reject { task, reason } => {
            approval_by_actor(r, *task, ctx)?;
            task_in(r, *task, name, &[TaskStatus::Requested])?;
            not_empty(name, "reason", reason)?;
            vec![Event::TaskRejected {
                task: *task,
                reason: reason.clone(),
                at,
                by,
            }]
        }
        Command::Rerequest { task } => {
            permit(name, managers, ctx)?;
            if task_at(r, *task)?.approver.is_none() {
                return Err(Error::NotApprovalTask {
                    task: task_at(r, *task)?.name.clone(),
                });
            }
            task_in(r, *task, name, &[TaskStatus::Rejected])?;
            vec![Event::TaskRerequested {
                task: *task,
                at,
                by,
            }]
        }
        Command::AddTask { phase, task } => {
            permit(name, managers, ctx)?;
            let p = open_phase(r, *phase)?;
            if task.name.trim().is_empty() {
                return Err(Error::EmptyTaskName {
                    phase: p.name.clone(),
                    index: p.tasks.len(),
                });
            }
            if let Some(due) = task.due {
                plan::check_date(zone, due)?;
            }
            vec![Event::TaskAdded {
                phase: *phase,
                task: task.clone(),
                at,
                by,
            }]
        }
        Command::MapCheck { phase, check } => {
            permit(name, managers, ctx)?;
            let p = open_phase(r, *phase)?;
            plan::check_name(&p.name, check)?;
            if p.checks.iter().any(|c| c.name == *check) {
                return Err(Error::DuplicateCheck {
                    phase: p.name.clone(),
                    check: check.clone(),
                });
            }
            vec![Event::CheckMapped {
                phase: *phase,
                check: check.clone(),
                at,
                by,
            }]
        }
        Command::UnmapCheck { phase, check } => {
            permit(name, managers, ctx)?;
            let p = open_phase(r, *phase)?;
            let removed = find_check(p, check)?;
            let mut events = vec![Event::CheckUnmapped {
                phase: *phase,
                check: check.clone(),
                at,
                by,
            }];
            let rest: Vec<String> = p
                .checks
                .iter()
                .filter(|c| c.name != *check)
                .map(|c| c.name.clone())
                .collect();
            if p.status == PhaseStatus::InProgress
                && removed.status != CheckStatus::NotRun
                && !rest.is_empty()
            {
                events.push(Event::ChecksRequested {
                    phase: *phase,
                    checks: rest,
                    at,
                });
            }
            events
        }
        Command::RunChecks => {
            permit(name, managers, ctx)?;
            let (i, p) = current(r)?;
            if p.checks.is_empty() {
                return Ok(Vec::new());
            }
            vec![Event::ChecksRequested {
                phase: i,
                checks: p.checks.iter().map(|c| c.name.clone()).collect(),
                at,
            }]
        }
        Command::RecordCheck { check, compliant } => {
            permit(name, managers, ctx)?;
            let (i, p) = current(r)?;
            find_check(p, check)?;
            let excepted = r
                .exceptions
                .iter()
                .any(|e| e.check == *check && e.from <= at && at < e.to);
            let status = match (compliant, excepted) {
                (true, _) => CheckStatus::Compliant,
                (false, true) => CheckStatus::CompliantWithException,
                (false, false) => CheckStatus::NonCompliant,
            };
            vec![Event::CheckRecorded {
                phase: i,
                check: check.clone(),
                status,
                at,
                by,
            }]
        }
        Command::GrantException {
            check,
            from,
            to,
            justification,
        } => {
            permit(name, managers, ctx)?;
            not_empty(name, "check", check)?;
            not_empty(name, "justification", justification)?;
            if to <= from {
                return Err(Error::ExceptionEndsBeforeStart {
                    check: check.clone(),
                    from: *from,
                    to: *to,
                });
            }
            vec![Event::ExceptionGranted {
                check: check.clone(),
                from: *from,
                to: *to,
                justification: justification.clone(),
                at,
                by,
            }]
        }
        Command::CompletePhase => {
            permit(name, managers, ctx)?;
            let (i, p) = current(r)?;
            let open = p.tasks.iter().filter(|t| !t.status.is_closed());
            if let Some(first) = open.clone().next() {
                return Err(Error::TasksOpen {
                    phase: p.name.clone(),
                    open: open.count(),
                    first: first.name.clone(),
                    status: first.status,
                });
            }
            let failing = p.checks.iter().find(|c| !c.status.passes());
            let forced = match failing {
                None => false,
                Some(_)
                    if policy
                        .override_roles
                        .iter()
                        .any(|o| ctx.actor.roles.contains(o)) =>
                {
                    true
                }
                Some(c) => {
                    return Err(Error::ChecksNotPassing {
                        phase: p.name.clone(),
                        check: c.name.clone(),
                        status: c.status,
                        roles: policy
                            .override_roles
                            .iter()
                            .map(|r| r.as_str().to_owned())
                            .collect(),
                    });
                }
            };
            ctx.sync_allows(i)?;
            vec![Event::PhaseCompleted {
                phase: i,
                forced,
                at,
                by: Some(by),
            }]
        }
        Command::Restart { phase } => {
            permit(name, &policy.restart_roles, ctx)?;
            if r.process != Process::Stage {
                return Err(Error::RestartNeedsStage {
                    release: r.name.clone(),
                });
            }
            let p = phase_at(r, *phase)?;
            if p.status != PhaseStatus::Completed {
                return Err(Error::RestartFromUncompleted {
                    phase: p.name.clone(),
                    status: p.status,
                });
            }
            vec![Event::Restarted {
                from: *phase,
                current: r.current().map(|(i, _)| i),
                tasks: policy.restart_tasks,
                at,
                by,
            }]
        }
        Command::Retarget { readiness } => {
            permit(name, managers, ctx)?;
            let today = plan::today(zone, at).ok_or(Error::DateOutOfRange { date: *readiness })?;
            if !policy.allow_past_dates && *readiness < today {
                return Err(Error::DateInPast {
                    what: "the readiness target".to_owned(),
                    date: *readiness,
                    today,
                });
            }
            plan::check_date(zone, *readiness)?;
            let days = match (r.process, r.readiness) {
                (Process::Timeline, Some(old)) => readiness.signed_duration_since(old).num_days(),
                _ => 0,
            };
            check_shift(r, zone, days)?;
            vec![Event::Retargeted {
                from: r.readiness,
                to: *readiness,
                days,
                at,
                by,
            }]
        }
        Command::BeginReview => {
            permit(name, managers, ctx)?;
            if r.progress() < r.phases.len() {
                return Err(Error::PhasesNotCompleted {
                    completed: r.progress(),
                    phases: r.phases.len(),
                });
            }
            vec![Event::ReviewStarted { at, by: Some(by) }]
        }
        Command::FinishReview { notes } => {
            permit(name, managers, ctx)?;
            not_empty(name, "notes", notes)?;
            let mut events = vec![Event::ReviewFinished {
                notes: notes.clone(),
                at,
                by,
            }];
            if policy.auto_complete {
                events.push(Event::Completed { at, by: None });
            }
            events
        }
        Command::Complete => {
            permit(name, managers, ctx)?;
            vec![Event::Completed { at, by: Some(by) }]
        }
        Command::Cancel { reason } => {
            permit(name, managers, ctx)?;
            not_empty(name, "reason", reason)?;
            vec![Event::Canceled {
                reason: reason.clone(),
                at,
                by,
            }]
        }
    })
}

fn find_check<'p>(p: &'p Phase, check: &str) -> Result<&'p Check, Error> {
    p.checks
        .iter()
        .find(|c| c.name == check)
        .ok_or_else(|| Error::UnknownCheck {
            phase: p.name.clone(),
            check: check.to_owned(),
            checks: p.checks.iter().map(|c| c.name.clone()).collect(),
        })
}

/// Every date a retarget by `days` moves lands on a day that is not a holiday and that
/// the zone can place.
fn check_shift(r: &Release, zone: &Zone, days: i64) -> Result<(), Error> {
    if days == 0 {
        return Ok(());
    }
    let dates = r.phases.iter().filter(|p| moves(p.status)).flat_map(|p| {
        p.start.into_iter().chain(p.end).chain(
            p.tasks
                .iter()
                .filter(|t| !t.status.is_closed())
                .filter_map(|t| t.due),
        )
    });
    let holidays = plan::Holidays::new(&r.holidays);
    for d in dates {
        let moved = holidays
            .shift(d, days)
            .ok_or(Error::CannotMove { date: d, days })?;
        plan::check_date(zone, moved)?;
    }
    Ok(())
}
