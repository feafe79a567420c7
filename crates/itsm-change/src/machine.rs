//! `decide`, `evolve` and `next_deadline`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Actor, Permissions};

use crate::command::Command;
use crate::error::Error;
use crate::event::Event;
use crate::model::{Change, Phase, Review, State};
use crate::policy::{ChangeModel, ConflictHandling, Policy, on_path};
use crate::task::{ChangeTaskHold, ChangeTaskId, ChangeTaskState};

/// What `decide` needs besides the state and the command: the time, who acts, the
/// policy, and (to check planned windows for conflicts) the change calendar. Nothing is read
/// from the environment.
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
    /// The change calendar to check `plan` against; `None`: no conflict check.
    pub calendar: Option<CalendarCheck<'a>>,
}

impl<'a> Context<'a> {
    /// The context of one call: the host's `now`, the acting user, the policy; no calendar.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context {
            now,
            actor,
            policy,
            calendar: None,
        }
    }

    /// The same context, checking planned windows against a change calendar.
    #[must_use]
    pub const fn with_calendar(mut self, calendar: CalendarCheck<'a>) -> Self {
        self.calendar = Some(calendar);
        self
    }
}

/// The change calendar `plan` checks a window against (`itsm-schedule`): the scheduled
/// changes, the rules (which checks, maintenance windows, blackouts) and the host's topology
/// of related items.
#[derive(Clone, Copy)]
pub struct CalendarCheck<'a> {
    /// The scheduled changes.
    pub schedule: &'a itsm_schedule::Schedule,
    /// Which checks run, maintenance windows and blackouts.
    pub rules: &'a itsm_schedule::Rules,
    /// Which items are related (a closure will do).
    pub topology: &'a dyn itsm_schedule::Topology,
}

impl<'a> CalendarCheck<'a> {
    /// A calendar check.
    pub fn new(
        schedule: &'a itsm_schedule::Schedule,
        rules: &'a itsm_schedule::Rules,
        topology: &'a dyn itsm_schedule::Topology,
    ) -> Self {
        CalendarCheck {
            schedule,
            rules,
            topology,
        }
    }
}

impl std::fmt::Debug for CalendarCheck<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CalendarCheck")
            .field("changes", &self.schedule.len())
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

/// When the host may want to act: the planned window's start while scheduled, its end while
/// implementing; `None` otherwise. Nothing happens by itself at these instants (a change is
/// moved by people), so there is no tick: it is a reminder for the host's calendar.
///
/// ```
/// # use itsm_change::{next_deadline, State};
/// assert_eq!(next_deadline(&State::new()), None);
/// ```
pub fn next_deadline(state: &State) -> Option<DateTime<Utc>> {
    let change = state.change()?;
    let window = change.window?;
    match change.stage {
        Phase::Scheduled => Some(window.start),
        Phase::Implement => Some(window.end),
        _ => None,
    }
}

/// The commands a change of `model` accepts in the first state of `phase`, by name, in
/// [`Command::NAMES`] order ([`ChangeModel::commands_in`] answers for a state by name).
///
/// ```
/// use itsm_change::{Phase, Policy, allowed_commands};
///
/// let policy = Policy::servicenow();
/// let normal = policy.models.get("normal").unwrap();
/// assert_eq!(
///     allowed_commands(normal, Phase::Authorize),
///     ["authorize", "reject", "plan", "put_on_hold", "resume", "cancel"]
/// );
/// ```
pub fn allowed_commands(model: &ChangeModel, phase: Phase) -> Vec<&'static str> {
    model
        .first_state(phase)
        .map_or_else(Vec::new, |s| model.commands_in(&s.name))
}

/// The phase `command` leads a change of `model` to from the first state of `phase`, if the
/// model allows it ([`ChangeModel::target`] answers for a state by name).
pub fn target(model: &ChangeModel, phase: Phase, command: &str) -> Option<Phase> {
    let from = model.first_state(phase)?;
    model.target(&from.name, command).map(|s| s.phase)
}

/// Decides what a command does to a change: the events it produces, or why it is refused.
///
/// The checks run in a fixed order: the clock must not go backwards; the change's model must
/// allow the command in the current phase; the actor must hold a role the policy allows for
/// it (for `authorize`, and `reject` in authorisation, a role of the model's
/// `authorized_by`); a change on hold moves nowhere; then the command's own rules
/// (templates, a risk assessment before leaving assessment, a window before scheduling, not
/// before the window, close codes).
///
/// # Errors
/// Every variant of [`Error`]; each names what was wrong and what is allowed.
///
/// A model with a vendor's states ([`ChangeModel::states`]) gets the same events, plus
/// [`Event::Entered`] after `raised` and after a move when the state entered is not named
/// after its phase; a move between two states of one phase gives `entered` alone (with
/// `authorized` first when a board or an approval authorised it).
///
/// ```
/// use itsm_change::chrono::{TimeZone, Utc};
/// use itsm_change::{Actor, ChangeId, Command, Context, Policy, Request, Role, State, UserId, decide};
///
/// let policy = Policy::servicenow();
/// let requester = Actor::new(UserId::from_u128(9), [Role::new("requester")?]);
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let request = Request::new(ChangeId::from_u128(1), "standard", requester.user, "Patch web01");
/// let err = decide(&State::new(), &request.into(), &Context::new(now, &requester, &policy))
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "a `standard` change comes from a pre-approved template; allowed: `os_patch`, `service_restart`"
/// );
/// # Ok::<(), itsm_change::Error>(())
/// ```
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let change = match state {
        State::Unraised => return raise(command, ctx),
        State::Raised(change) => change,
    };
    if let Command::Retype { model, template } = command {
        return retype(change, model, template.as_ref(), ctx);
    }
    if let Some(events) = crate::task_machine::task_command(change, command, ctx)? {
        return Ok(events);
    }
    let events = decide_raised(change, command, ctx)?;
    match ctx.policy.models.get(&change.request.model) {
        Some(model) if !model.states.is_empty() => Ok(name_states(model, change, events)),
        _ => Ok(events),
    }
}

/// Adds the vendor's states to the events of a move: `entered` after a move to a state not
/// named after its phase; `entered` instead of the move's own event between two states of
/// one phase (but after `authorized`, which carries the authorisation's explanation).
fn name_states(model: &ChangeModel, change: &Change, events: Vec<Event>) -> Vec<Event> {
    let states = model.state_list();
    let path = on_path(&states);
    let mut here = path
        .iter()
        .position(|s| s.name == change.state_name())
        .or_else(|| path.iter().position(|s| s.phase == change.stage));
    let mut out = Vec::with_capacity(events.len() + 1);
    for event in events {
        let to = match &event {
            Event::Submitted { .. }
            | Event::AssessmentCompleted { .. }
            | Event::Authorized { .. }
            | Event::ImplementationStarted { .. }
            | Event::Completed { .. }
            | Event::Closed { .. } => here.map(|i| i + 1),
            Event::Rejected { .. } => Some(0),
            Event::Canceled { .. } => None,
            _ => {
                out.push(event);
                continue;
            }
        };
        let target = match to {
            Some(i) => path.get(i).copied(),
            None => states.iter().find(|s| s.phase == Phase::Canceled),
        };
        let Some(target) = target else {
            out.push(event);
            continue;
        };
        let from_phase = here.and_then(|i| path.get(i)).map(|s| s.phase);
        let within = from_phase == Some(target.phase) && to.is_some();
        let (at, by) = (event.at(), event.by());
        if !within || matches!(event, Event::Authorized { .. }) {
            out.push(event);
        }
        if within || target.name != target.phase.name() {
            out.push(Event::Entered {
                at,
                by,
                state: target.name.clone(),
                phase: target.phase,
            });
        }
        here = to;
    }
    out
}

/// `decide` for a raised change, by phase.
fn decide_raised(
    change: &Change,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let (at, by, policy) = (ctx.now, ctx.actor.user, ctx.policy);
    check_clock(change, at)?;
    let model = model_of(policy, &change.request.model)?;
    let phase = change.stage;
    let here = change.state_name();
    let name = command.name();
    let Some(to_state) = model.target(here, name) else {
        return Err(Error::NotAllowed {
            model: model.name.clone(),
            phase: here.to_owned(),
            command: name.to_owned(),
            allowed: model
                .commands_in(here)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        });
    };
    if let (Command::Authorize { .. }, Some(_)) = (command, &model.approval) {
        return Err(Error::AuthorizedByApproval {
            model: model.name.clone(),
        });
    }
    let board = phase == Phase::Authorize
        && matches!(command, Command::Authorize { .. } | Command::Reject { .. });
    if let Command::Approval { .. } = command {
        // The approval's own rules decide who may answer (eligible seats, delegation).
        Ok(())
    } else if board {
        Permissions::new()
            .allow(name, model.authorized_by.iter().cloned())
            .check(name, ctx.actor)
    } else {
        policy.permissions.check(name, ctx.actor)
    }
    .map_err(|reason| Error::Denied {
        command: name.to_owned(),
        reason,
    })?;
    let to = to_state.phase;
    let moves = to_state.name != here || matches!(command, Command::Close { .. });
    if let (Some(reason), true) = (&change.on_hold, moves) {
        if !matches!(command, Command::Cancel { .. }) {
            return Err(Error::OnHold {
                reason: reason.clone(),
            });
        }
    }
    let event = match command {
        Command::Raise(_)
        | Command::Retype { .. }
        | Command::AddTask { .. }
        | Command::StartTask { .. }
        | Command::CloseTask { .. }
        | Command::CancelTask { .. }
        | Command::HoldTask { .. }
        | Command::ResumeTask { .. } => {
            return Err(Error::NotAllowed {
                model: model.name.clone(),
                phase: phase.name().to_owned(),
                command: name.to_owned(),
                allowed: Vec::new(),
            });
        }
        Command::Submit => {
            if to == Phase::Scheduled && change.window.is_none() {
                return Err(Error::WindowRequired);
            }
            Event::Submitted { at, by, to }
        }
        Command::Assess(facts) => {
            policy.risk.check()?;
            let mut facts = (**facts).clone();
            // The facts of the record itself come from the record, not the caller.
            facts.model.clone_from(&change.request.model);
            facts.items.clone_from(&change.request.items);
            facts.services.clone_from(&change.request.services);
            Event::RiskAssessed {
                at,
                by,
                assessment: policy.risk.assess(&facts)?,
            }
        }
        Command::CompleteAssessment => {
            if change.risk.is_none() {
                return Err(Error::RiskNotAssessed);
            }
            if to == Phase::Scheduled && change.window.is_none() {
                return Err(Error::WindowRequired);
            }
            Event::AssessmentCompleted { at, by, to }
        }
        Command::Authorize { explanation } => {
            if to == Phase::Scheduled && change.window.is_none() {
                return Err(Error::WindowRequired);
            }
            Event::Authorized {
                at,
                by,
                explanation: explanation.clone(),
                to,
            }
        }
        Command::RequestApproval { id, members } => {
            let Some(approval_policy) = &model.approval else {
                return Err(Error::ApprovalRound(
                    "this model has no approval; it is authorised by hand",
                ));
            };
            if change
                .approval
                .as_ref()
                .is_some_and(|a| matches!(a.outcome(), itsm_approval::Outcome::Pending { .. }))
            {
                return Err(Error::ApprovalRound(
                    "an approval is already pending; answer or cancel it first",
                ));
            }
            let next = next_phase(model, here);
            if next == Some(Phase::Scheduled) && change.window.is_none() {
                return Err(Error::WindowRequired);
            }
            let mut request = itsm_approval::Request::new(*id, change.request.requester);
            request.implementer = change.request.implementer;
            request.members.clone_from(members);
            let actx = itsm_approval::Context::new(at, ctx.actor, approval_policy);
            let fresh = itsm_approval::State::new();
            let events = itsm_approval::decide(
                &fresh,
                &itsm_approval::Command::Request(Box::new(request)),
                &actx,
            )?;
            return Ok(conclude(next, fresh, events, at, by));
        }
        Command::Approval { answer } => {
            let (Some(approval_policy), Some(running)) = (&model.approval, &change.approval) else {
                return Err(Error::ApprovalRound(
                    "no approval is running; send `request_approval` first",
                ));
            };
            if let itsm_approval::Command::Request(_) = answer {
                return Err(Error::ApprovalRound(
                    "an approval starts with `request_approval`, which names the change's parties",
                ));
            }
            let actx = itsm_approval::Context::new(at, ctx.actor, approval_policy);
            let events = itsm_approval::decide(running, answer, &actx)?;
            let next = next_phase(model, here);
            return Ok(conclude(next, running.clone(), events, at, by));
        }
        Command::Reject { reason } => {
            if reason.is_empty() {
                return Err(Error::MissingField {
                    command: "reject",
                    field: "reason",
                });
            }
            Event::Rejected {
                at,
                by,
                reason: reason.clone(),
            }
        }
        Command::Plan { window } => {
            if window.end <= window.start {
                return Err(Error::InvalidWindow {
                    start: window.start,
                    end: window.end,
                });
            }
            if change.window == Some(*window) {
                return Ok(Vec::new());
            }
            let conflicts = match &ctx.calendar {
                None => Vec::new(),
                Some(calendar) => conflicts(change, *window, calendar)?,
            };
            if !conflicts.is_empty() && policy.conflicts == ConflictHandling::Block {
                return Err(Error::Conflicts { conflicts });
            }
            Event::Planned {
                at,
                by,
                window: *window,
                conflicts,
            }
        }
        Command::Implement => {
            if let Some(window) = change.window {
                if !policy.implement_before_window && at < window.start {
                    return Err(Error::BeforeWindow {
                        start: window.start,
                        now: at,
                    });
                }
            }
            Event::ImplementationStarted { at, by }
        }
        Command::Complete => Event::Completed { at, by },
        Command::Close {
            outcome,
            close_code,
            notes,
        } => {
            if close_code.is_empty() {
                return Err(Error::MissingField {
                    command: "close",
                    field: "close code",
                });
            }
            let open: Vec<ChangeTaskId> = change.active_tasks().map(|t| t.id).collect();
            if !open.is_empty() {
                return Err(Error::OpenTasks { tasks: open });
            }
            let allowed = policy.close_codes_for(*outcome);
            if !allowed.is_empty() && !allowed.contains(close_code) {
                return Err(Error::UnknownCloseCode {
                    code: close_code.clone(),
                    outcome: *outcome,
                    allowed: allowed.to_vec(),
                });
            }
            Event::Closed {
                at,
                by,
                review: Review {
                    outcome: *outcome,
                    close_code: close_code.clone(),
                    notes: notes.clone(),
                },
            }
        }
        Command::PutOnHold { reason } => {
            if reason.is_empty() {
                return Err(Error::MissingField {
                    command: "put_on_hold",
                    field: "reason",
                });
            }
            if change.on_hold.as_deref() == Some(reason.as_str()) {
                return Ok(Vec::new());
            }
            Event::PutOnHold {
                at,
                by,
                reason: reason.clone(),
            }
        }
        Command::Resume => {
            if change.on_hold.is_none() {
                return Err(Error::NotOnHold);
            }
            Event::Resumed { at, by }
        }
        Command::Cancel { reason } => {
            if reason.is_empty() {
                return Err(Error::MissingField {
                    command: "cancel",
                    field: "reason",
                });
            }
            let mut events = Vec::new();
            // A pending approval is canceled too, so its log says why it stopped.
            if let (Some(approval_policy), Some(running)) = (&model.approval, &change.approval) {
                if let itsm_approval::Outcome::Pending { .. } = running.outcome() {
                    let actx = itsm_approval::Context::new(at, ctx.actor, approval_policy);
                    let cancel = itsm_approval::Command::Cancel {
                        reason: reason.clone(),
                    };
                    if let Ok(inner) = itsm_approval::decide(running, &cancel, &actx) {
                        events.extend(inner.into_iter().map(|event| Event::Approval { event }));
                    }
                }
            }
            events.push(Event::Canceled {
                at,
                by,
                reason: reason.clone(),
            });
            return Ok(events);
        }
    };
    Ok(vec![event])
}

/// The conflicts of a planned window in the change calendar, explained.
fn conflicts(
    change: &Change,
    window: crate::model::Window,
    calendar: &CalendarCheck<'_>,
) -> Result<Vec<String>, Error> {
    let window = itsm_schedule::Window::new(window.start, window.end)?;
    let mut proposal = itsm_schedule::Proposal::new(change.request.items.clone(), window);
    proposal.change = Some(change.request.id);
    proposal.assignee = change.request.implementer;
    let found = calendar
        .schedule
        .check(&proposal, calendar.rules, calendar.topology)?;
    Ok(found.iter().map(ToString::to_string).collect())
}

/// The phase of the state after the state named `here` on the model's path.
fn next_phase(model: &ChangeModel, here: &str) -> Option<Phase> {
    let states = model.state_list();
    let path = on_path(&states);
    let i = path.iter().position(|s| s.name == here)?;
    path.get(i + 1).map(|s| s.phase)
}

/// Wraps an approval's events and, when they decide it, adds the change's own: authorised
/// (to `next`, the next state's phase) or rejected (back to `new`), quoting the explanation.
fn conclude(
    next: Option<Phase>,
    mut approval: itsm_approval::State,
    events: Vec<itsm_approval::Event>,
    at: DateTime<Utc>,
    by: itsm_core::UserId,
) -> Vec<Event> {
    approval.apply(&events);
    let mut out: Vec<Event> = events
        .into_iter()
        .map(|event| Event::Approval { event })
        .collect();
    match approval.outcome() {
        itsm_approval::Outcome::Approved { decisions } => {
            if let Some(to) = next {
                let explanation = decisions
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                out.push(Event::Authorized {
                    at,
                    by,
                    explanation,
                    to,
                });
            }
        }
        itsm_approval::Outcome::Refused { explanation } => out.push(Event::Rejected {
            at,
            by,
            reason: explanation.to_string(),
        }),
        _ => {}
    }
    out
}

fn model_of<'p>(policy: &'p Policy, name: &str) -> Result<&'p ChangeModel, Error> {
    policy.models.get(name).ok_or_else(|| Error::UnknownModel {
        model: name.to_owned(),
        allowed: policy.models.all().iter().map(|m| m.name.clone()).collect(),
    })
}

fn raise(command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let Command::Raise(request) = command else {
        return Err(Error::NotAllowed {
            model: String::new(),
            phase: "unraised".to_owned(),
            command: command.name().to_owned(),
            allowed: vec!["raise".to_owned()],
        });
    };
    permit(ctx, "raise")?;
    let model = model_of(ctx.policy, &request.model)?;
    check_template(model, request.template.as_ref())?;
    if request.description.is_empty() {
        return Err(Error::MissingField {
            command: "raise",
            field: "description",
        });
    }
    let mut events = vec![Event::Raised {
        at: ctx.now,
        by: ctx.actor.user,
        request: Arc::new(Request::clone(request)),
    }];
    // A vendor's first state under its own name (`draft`, say) is entered at once.
    events.extend(enter_first(model, ctx));
    Ok(events)
}

/// Refuses a `now` earlier than the change's last event.
pub(crate) fn check_clock(change: &Change, at: DateTime<Utc>) -> Result<(), Error> {
    if at < change.updated_at {
        return Err(Error::ClockWentBackwards {
            last: change.updated_at,
            now: at,
        });
    }
    Ok(())
}

/// The policy's permission for the command named `name`.
pub(crate) fn permit(ctx: &Context<'_>, name: &str) -> Result<(), Error> {
    ctx.policy
        .permissions
        .check(name, ctx.actor)
        .map_err(|reason| Error::Denied {
            command: name.to_owned(),
            reason,
        })
}

/// `entered` for a model whose first state has a name of its own (`draft`, say).
fn enter_first(model: &ChangeModel, ctx: &Context<'_>) -> Option<Event> {
    let first = model.states.first()?;
    (first.name != first.phase.name()).then(|| Event::Entered {
        at: ctx.now,
        by: ctx.actor.user,
        state: first.name.clone(),
        phase: first.phase,
    })
}

/// Refuses a template the model does not list when the model requires one.
fn check_template(model: &ChangeModel, template: Option<&String>) -> Result<(), Error> {
    if model.template_required && !template.is_some_and(|t| model.templates.contains(t)) {
        return Err(Error::Template {
            model: model.name.clone(),
            template: template.cloned(),
            allowed: model.templates.clone(),
        });
    }
    Ok(())
}

/// `retype`: a new change whose approval was never requested takes another model (and
/// template), entering the new model's first state; the same model and template change
/// nothing. Checked as `raise` checks a request (the model exists, its template), by the
/// `retype` permission.
fn retype(
    change: &Change,
    model_name: &str,
    template: Option<&String>,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let (at, by) = (ctx.now, ctx.actor.user);
    check_clock(change, at)?;
    permit(ctx, "retype")?;
    let why = if change.stage.is_terminal() {
        Some("closed or canceled")
    } else if change.stage != Phase::New {
        Some("submitted")
    } else if change.approval.is_some() {
        Some("an approval was requested")
    } else {
        None
    };
    if let Some(why) = why {
        return Err(Error::TypeLocked {
            state: change.state_name().to_owned(),
            why,
        });
    }
    let model = model_of(ctx.policy, model_name)?;
    check_template(model, template)?;
    let request = &change.request;
    if request.model == model_name && request.template.as_ref() == template {
        return Ok(Vec::new());
    }
    let mut events = vec![Event::Retyped {
        at,
        by,
        model: model_name.to_owned(),
        template: template.cloned(),
    }];
    // The new model's first state under its own name, as `raise` enters it.
    events.extend(enter_first(model, ctx));
    Ok(events)
}

use crate::model::Request;

/// Folds one event into the state. Total: it never fails and checks no rules (`decide` did),
/// so replaying stored events always rebuilds the same state. An event that cannot apply
/// (anything but `raised` before the change exists, or `raised` after) leaves the state as
/// it is.
pub fn evolve(state: State, event: &Event) -> State {
    match state {
        State::Unraised => match event {
            Event::Raised { at, request, .. } => State::Raised(Box::new(Change {
                request: Arc::clone(request),
                stage: Phase::New,
                state_name: None,
                on_hold: None,
                risk: None,
                window: None,
                review: None,
                rejections: 0,
                approval: None,
                cancel_reason: None,
                opened_at: *at,
                updated_at: *at,
                tasks: Vec::new(),
            })),
            _ => State::Unraised,
        },
        State::Raised(mut change) => {
            apply(&mut change, event);
            State::Raised(change)
        }
    }
}

fn apply(change: &mut Change, event: &Event) {
    match event {
        Event::Raised { .. } => return,
        Event::Submitted { to, .. }
        | Event::AssessmentCompleted { to, .. }
        | Event::Authorized { to, .. } => {
            change.stage = *to;
            change.state_name = None;
        }
        Event::Entered { state, phase, .. } => {
            change.stage = *phase;
            change.state_name = (state != phase.name()).then(|| Arc::from(state.as_str()));
        }
        Event::Retyped {
            model, template, ..
        } => {
            change.request = Arc::new(Request {
                model: model.clone(),
                template: template.clone(),
                ..Request::clone(&change.request)
            });
            change.stage = Phase::New;
            change.state_name = None;
            // A risk worked out for the previous model no longer applies.
            change.risk = None;
        }
        Event::RiskAssessed { assessment, .. } => change.risk = Some(assessment.clone()),
        Event::Rejected { .. } => {
            change.stage = Phase::New;
            change.state_name = None;
            change.rejections = change.rejections.saturating_add(1);
        }
        Event::Planned { window, .. } => change.window = Some(*window),
        Event::Approval { event } => {
            // A request starts a new round from nothing.
            let running = match event {
                itsm_approval::Event::Requested { .. } => itsm_approval::State::new(),
                _ => change.approval.take().unwrap_or_default(),
            };
            change.approval = Some(itsm_approval::evolve(running, event));
        }
        Event::ImplementationStarted { .. } => {
            change.stage = Phase::Implement;
            change.state_name = None;
        }
        Event::Completed { .. } => {
            change.stage = Phase::Review;
            change.state_name = None;
        }
        Event::Closed { review, .. } => {
            change.stage = Phase::Closed;
            change.state_name = None;
            change.review = Some(review.clone());
        }
        Event::PutOnHold { reason, .. } => {
            change.on_hold = Some(reason.clone());
            // Active tasks not on hold by hand take the change's hold and reason.
            for task in change.tasks.iter_mut().filter(|t| t.state.is_active()) {
                if task.hold.as_ref().is_none_or(|h| h.from_change) {
                    task.hold = Some(ChangeTaskHold {
                        reason: reason.clone(),
                        from_change: true,
                    });
                }
            }
        }
        Event::Resumed { .. } => {
            change.on_hold = None;
            // Holds copied from the change are cleared; holds set by hand stay.
            for task in &mut change.tasks {
                if task.hold.as_ref().is_some_and(|h| h.from_change) {
                    task.hold = None;
                }
            }
        }
        Event::Canceled { reason, .. } => {
            change.stage = Phase::Canceled;
            change.state_name = None;
            change.on_hold = None;
            change.cancel_reason = Some(reason.clone());
            // Its active tasks are canceled with it.
            for task in change.tasks.iter_mut().filter(|t| t.state.is_active()) {
                task.state = ChangeTaskState::Canceled {
                    reason: reason.clone(),
                };
                task.hold = None;
            }
        }
        Event::TaskAdded { task, .. } => change.tasks.push(task.clone()),
        Event::TaskStarted { task, .. } => {
            if let Some(t) = change.tasks.iter_mut().find(|t| t.id == *task) {
                t.state = ChangeTaskState::InProgress;
            }
        }
        Event::TaskClosed {
            task, code, notes, ..
        } => {
            if let Some(t) = change.tasks.iter_mut().find(|t| t.id == *task) {
                t.state = ChangeTaskState::Closed {
                    code: code.clone(),
                    notes: notes.clone(),
                };
                t.hold = None;
            }
        }
        Event::TaskCanceled { task, reason, .. } => {
            if let Some(t) = change.tasks.iter_mut().find(|t| t.id == *task) {
                t.state = ChangeTaskState::Canceled {
                    reason: reason.clone(),
                };
                t.hold = None;
            }
        }
        Event::TaskPutOnHold { task, reason, .. } => {
            if let Some(t) = change.tasks.iter_mut().find(|t| t.id == *task) {
                t.hold = Some(ChangeTaskHold {
                    reason: reason.clone(),
                    from_change: false,
                });
            }
        }
        Event::TaskResumed { task, .. } => {
            if let Some(t) = change.tasks.iter_mut().find(|t| t.id == *task) {
                t.hold = None;
            }
        }
    }
    change.updated_at = event.at();
}
