//! `decide` for the task commands of a change.

use crate::command::Command;
use crate::error::Error;
use crate::event::Event;
use crate::machine::{Context, check_clock, permit};
use crate::model::Change;
use crate::task::{ChangeTask, ChangeTaskHold, ChangeTaskKind, ChangeTaskState};

/// The task commands (`None` for any other command): checked after the clock, against the
/// change's phase (not closed nor canceled), the permission of the command's name, and the
/// task's own state. Tasks are not part of the model's path: every model has them.
pub(crate) fn task_command(
    change: &Change,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Option<Vec<Event>>, Error> {
    let id = match command {
        Command::AddTask { task, .. }
        | Command::StartTask { task }
        | Command::CloseTask { task, .. }
        | Command::CancelTask { task, .. }
        | Command::HoldTask { task, .. }
        | Command::ResumeTask { task } => *task,
        _ => return Ok(None),
    };
    let (at, by, policy) = (ctx.now, ctx.actor.user, ctx.policy);
    let name = command.name();
    check_clock(change, at)?;
    if change.stage.is_terminal() {
        return Err(Error::NotAllowed {
            model: change.request.model.clone(),
            phase: change.state_name().to_owned(),
            command: name.to_owned(),
            allowed: Vec::new(),
        });
    }
    permit(ctx, name)?;
    let required = |value: &str, field: &'static str| {
        if value.trim().is_empty() {
            Err(Error::MissingField {
                command: name,
                field,
            })
        } else {
            Ok(())
        }
    };
    if let Command::AddTask {
        kind,
        description,
        window,
        pending,
        ..
    } = command
    {
        if change.task(id).is_some() {
            return Err(Error::DuplicateTask { task: id });
        }
        required(description, "description")?;
        if let Some(w) = window {
            if w.end <= w.start {
                return Err(Error::InvalidWindow {
                    start: w.start,
                    end: w.end,
                });
            }
            let inside = change
                .window
                .is_some_and(|c| c.start <= w.start && w.end <= c.end);
            if *kind == ChangeTaskKind::Implementation && !inside {
                return Err(Error::TaskOutsideWindow {
                    task: id,
                    change: change.window,
                });
            }
        }
        let state = if *pending {
            ChangeTaskState::Pending
        } else {
            ChangeTaskState::Open
        };
        // A task added to a change on hold is on hold with it.
        let hold = change.on_hold.as_ref().map(|reason| ChangeTaskHold {
            reason: reason.clone(),
            from_change: true,
        });
        let task = ChangeTask {
            id,
            kind: *kind,
            description: description.clone(),
            window: *window,
            state,
            hold,
        };
        return Ok(Some(vec![Event::TaskAdded { at, by, task }]));
    }
    let task = change.task(id).ok_or(Error::UnknownTask { task: id })?;
    if !task.state.is_active() {
        return Err(Error::TaskFinished {
            task: id,
            state: task.state.name(),
        });
    }
    let on_hold = |task: &ChangeTask| match &task.hold {
        Some(hold) if hold.from_change => Err(Error::TaskHeldByChange { task: id }),
        Some(hold) => Err(Error::TaskOnHold {
            task: id,
            reason: hold.reason.clone(),
        }),
        None => Ok(()),
    };
    let event = match command {
        Command::StartTask { .. } => {
            on_hold(task)?;
            if task.state == ChangeTaskState::InProgress {
                return Ok(Some(Vec::new()));
            }
            Event::TaskStarted { at, by, task: id }
        }
        Command::CloseTask { code, notes, .. } => {
            on_hold(task)?;
            required(code, "close code")?;
            required(notes, "close notes")?;
            let known: Vec<String> = policy
                .close_codes
                .iter()
                .flat_map(|c| c.codes.iter().cloned())
                .collect();
            if !known.is_empty() && !known.contains(code) {
                return Err(Error::UnknownTaskCloseCode {
                    code: code.clone(),
                    allowed: known,
                });
            }
            Event::TaskClosed {
                at,
                by,
                task: id,
                code: code.clone(),
                notes: notes.clone(),
            }
        }
        Command::CancelTask { reason, .. } => {
            required(reason, "reason")?;
            Event::TaskCanceled {
                at,
                by,
                task: id,
                reason: reason.clone(),
            }
        }
        Command::HoldTask { reason, .. } => {
            required(reason, "reason")?;
            on_hold(task)?;
            Event::TaskPutOnHold {
                at,
                by,
                task: id,
                reason: reason.clone(),
            }
        }
        Command::ResumeTask { .. } => match &task.hold {
            None => return Err(Error::TaskNotOnHold { task: id }),
            // The change's own hold is lifted with the change.
            Some(hold) if hold.from_change => {
                return Err(Error::TaskHeldByChange { task: id });
            }
            Some(_) => Event::TaskResumed { at, by, task: id },
        },
        _ => return Ok(None),
    };
    Ok(Some(vec![event]))
}
