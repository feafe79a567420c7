//! `decide` and `evolve` for problems.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::Actor;

use crate::command::{Command, Link};
use crate::error::Error;
use crate::event::Event;
use crate::model::{Problem, ProblemStatus, Resolution, State, Statement};
use crate::policy::Policy;

/// What `decide` needs besides the state and the command: the time, who acts, the policy.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The current time, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command.
    pub actor: &'a Actor,
    /// The vendor's configuration.
    pub policy: &'a Policy,
}

impl<'a> Context<'a> {
    /// The context of one call.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context { now, actor, policy }
    }
}

/// Problems have no timers: nothing happens to a problem by itself. Always `None`; here so
/// that every practice crate has the same host loop.
pub fn next_deadline(_state: &State) -> Option<DateTime<Utc>> {
    None
}

/// Decides what a command does to a problem: the events, or why it is refused.
///
/// The checks run in a fixed order: the clock; the policy's workflow must allow the command
/// in the current state; the actor's role; then the command's own rules (reasons given, a
/// root cause before the fix, not a duplicate of itself).
///
/// # Errors
/// Every variant of [`Error`].
///
/// ```
/// use itsm_problem::chrono::{TimeZone, Utc};
/// use itsm_problem::{Actor, Command, Context, Policy, ProblemId, Role, State, Statement, UserId, decide};
///
/// let policy = Policy::servicenow();
/// let pm = Actor::new(UserId::from_u128(2), [Role::new("problem_manager")?]);
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let mut state = State::new();
/// state.apply(&decide(&state, &Statement::new(ProblemId::from_u128(1), "VPN drops").into(), &Context::new(now, &pm, &policy))?);
/// let err = decide(&state, &Command::Resolve { notes: String::new() }, &Context::new(now, &pm, &policy))
///     .unwrap_err();
/// assert_eq!(err.to_string(), "`resolve` is not allowed in state `new`; allowed there: `assess`, `cancel`, `link`");
/// # Ok::<(), itsm_problem::Error>(())
/// ```
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let (at, by, policy) = (ctx.now, ctx.actor.user, ctx.policy);
    let problem = match state {
        State::Unlogged => return log(command, ctx),
        State::Logged(problem) => problem,
    };
    if at < problem.updated_at {
        return Err(Error::ClockWentBackwards {
            last: problem.updated_at,
            now: at,
        });
    }
    let current = problem.state_name();
    let name = command.name();
    let Some((target, kind)) = policy.workflow.step(current, name) else {
        return Err(Error::NotAllowed {
            state: current.to_owned(),
            command: name.to_owned(),
            allowed: policy.workflow.commands_from(current),
        });
    };
    policy
        .permissions
        .check(name, ctx.actor)
        .map_err(|reason| Error::Denied {
            command: name.to_owned(),
            reason,
        })?;
    let reason_of = |command: &'static str, reason: &str| {
        if reason.is_empty() {
            Err(Error::MissingField {
                command,
                field: "reason",
            })
        } else {
            Ok(reason.to_owned())
        }
    };
    let mut events = match command {
        Command::Log(_) | Command::Transition { .. } => Vec::new(),
        Command::Assess => vec![Event::Assessed { at, by }],
        Command::Confirm => vec![Event::Confirmed { at, by }],
        Command::MarkDuplicate { of } => {
            if *of == problem.id() {
                return Err(Error::SelfDuplicate { id: *of });
            }
            vec![Event::MarkedDuplicate { at, by, of: *of }]
        }
        Command::Cancel { reason } => vec![Event::Canceled {
            at,
            by,
            reason: reason_of("cancel", reason)?,
        }],
        Command::RecordRootCause(root_cause) => {
            if root_cause.description.is_empty() {
                return Err(Error::MissingField {
                    command: "record_root_cause",
                    field: "description",
                });
            }
            if problem.root_cause.as_ref() == Some(&**root_cause) {
                return Ok(Vec::new());
            }
            vec![Event::RootCauseRecorded {
                at,
                by,
                root_cause: (**root_cause).clone(),
            }]
        }
        Command::StartFix { change } => {
            match &problem.root_cause {
                None => {
                    return Err(Error::NoRootCause {
                        command: "start_fix",
                    });
                }
                Some(cause) if policy.confirmed_cause_before_fix && !cause.confirmed => {
                    return Err(Error::RootCauseNotConfirmed);
                }
                Some(_) => {}
            }
            vec![Event::FixStarted {
                at,
                by,
                change: *change,
            }]
        }
        Command::AcceptRisk { reason } => vec![Event::RiskAccepted {
            at,
            by,
            reason: reason_of("accept_risk", reason)?,
        }],
        Command::Resolve { notes } => {
            if problem.root_cause.is_none() {
                return Err(Error::NoRootCause { command: "resolve" });
            }
            vec![Event::Resolved {
                at,
                by,
                notes: notes.clone(),
            }]
        }
        Command::Close => vec![Event::Closed { at, by }],
        Command::Reanalyse { reason } => vec![Event::Reanalysed {
            at,
            by,
            reason: reason_of("reanalyse", reason)?,
        }],
        Command::Link { link } => {
            let linked = match link {
                Link::Incident(id) => problem.incidents.contains(id),
                Link::Change(id) => problem.changes.contains(id),
                Link::Item(id) => problem.items.contains(id),
            };
            if linked {
                return Ok(Vec::new());
            }
            vec![Event::Linked {
                at,
                by,
                link: *link,
            }]
        }
    };
    // The name `evolve` will give: an event setting the status resets it to the status's own.
    let after = match events.iter().rev().find_map(Event::sets_status) {
        Some(status) => status.name(),
        None => current,
    };
    if after != &**target {
        events.push(Event::Entered {
            at,
            by,
            state: Arc::clone(target),
            kind,
        });
    }
    Ok(events)
}

fn log(command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let Command::Log(statement) = command else {
        return Err(Error::NotAllowed {
            state: "unlogged".to_owned(),
            command: command.name().to_owned(),
            allowed: vec!["log".to_owned()],
        });
    };
    ctx.policy
        .permissions
        .check("log", ctx.actor)
        .map_err(|reason| Error::Denied {
            command: "log".to_owned(),
            reason,
        })?;
    if statement.title.is_empty() {
        return Err(Error::MissingField {
            command: "log",
            field: "title",
        });
    }
    let (at, by) = (ctx.now, ctx.actor.user);
    let mut events = vec![Event::Logged {
        at,
        by,
        statement: Arc::new(Statement::clone(statement)),
    }];
    if let Some(initial) = ctx.policy.workflow.initial() {
        if &**initial != ProblemStatus::New.name() {
            events.push(Event::Entered {
                at,
                by,
                state: Arc::clone(initial),
                kind: ProblemStatus::New,
            });
        }
    }
    Ok(events)
}

/// Folds one event into the state. Total: it never fails and checks no rules.
pub fn evolve(state: State, event: &Event) -> State {
    match state {
        State::Unlogged => match event {
            Event::Logged { at, statement, .. } => State::Logged(Box::new(Problem {
                incidents: statement.incidents.iter().copied().collect(),
                statement: Arc::clone(statement),
                status: ProblemStatus::New,
                state_name: None,
                changes: Default::default(),
                items: Default::default(),
                root_cause: None,
                resolution: None,
                analyses: 0,
                opened_at: *at,
                updated_at: *at,
            })),
            _ => State::Unlogged,
        },
        State::Logged(mut problem) => {
            apply(&mut problem, event);
            State::Logged(problem)
        }
    }
}

fn apply(problem: &mut Problem, event: &Event) {
    if let Some(status) = event.sets_status() {
        problem.status = status;
        problem.state_name = None;
    }
    match event {
        Event::Logged { .. } => return,
        Event::Confirmed { .. } | Event::Reanalysed { .. } => {
            problem.analyses = problem.analyses.saturating_add(1);
            problem.resolution = None;
        }
        Event::MarkedDuplicate { of, .. } => {
            problem.resolution = Some(Resolution::Duplicate { of: *of });
        }
        Event::RootCauseRecorded { root_cause, .. } => {
            problem.root_cause = Some(root_cause.clone())
        }
        Event::FixStarted { change, .. } => {
            if let Some(change) = change {
                problem.changes.insert(*change);
            }
        }
        Event::RiskAccepted { reason, .. } => {
            problem.resolution = Some(Resolution::RiskAccepted {
                reason: reason.clone(),
            });
        }
        Event::Resolved { notes, .. } => {
            problem.resolution = Some(Resolution::FixApplied {
                notes: notes.clone(),
            });
        }
        Event::Linked { link, .. } => {
            match link {
                Link::Incident(id) => problem.incidents.insert(*id),
                Link::Change(id) => problem.changes.insert(*id),
                Link::Item(id) => problem.items.insert(*id),
            };
        }
        Event::Entered { state, kind, .. } => {
            // A workflow's own transitions keep the kind (checked at load); the name changes.
            if *kind == problem.status {
                problem.state_name = (&**state != kind.name()).then(|| Arc::clone(state));
            }
        }
        Event::Assessed { .. } | Event::Canceled { .. } | Event::Closed { .. } => {}
    }
    problem.updated_at = event.at();
}
