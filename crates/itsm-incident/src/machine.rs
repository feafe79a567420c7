//! The transition table, `decide`, `evolve` and `next_deadline`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::Actor;
use itsm_core::Lifecycle;
use itsm_core::{Impact, Urgency};

use crate::command::{Command, CommandKind};
use crate::error::Error;
use crate::event::Event;
use crate::model::{
    Assignment, Incident, Link, MajorState, Report, Resolution, State, Status, StatusKind,
};
use crate::policy::{AutoCloseFrom, Policy, ReassignmentCounting};
use crate::workflow::{ReopenClosed, TRANSITIONS};

/// What `decide` needs besides the state and the command: the time, who acts, and the
/// policy. Nothing is read from the environment.
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
    /// The context of one call: the host's `now`, the acting user, the policy.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context { now, actor, policy }
    }
}

use CommandKind as C;
use StatusKind as S;

/// Whether ServiceNow's table ([`TRANSITIONS`]) allows `command` in `state` (`tick` is
/// allowed everywhere). A policy's own workflow answers with [`Workflow::target`](crate::Workflow::target).
pub fn is_allowed(state: StatusKind, command: CommandKind) -> bool {
    match (state, command) {
        (_, C::Tick) => true,
        (S::Unreported, C::Report | C::Import) => true,
        _ => TRANSITIONS
            .iter()
            .any(|(from, cmd, _)| *from == state && *cmd == command),
    }
}

/// The commands accepted in `state`, in [`CommandKind::ALL`] order.
pub fn allowed_commands(state: StatusKind) -> Vec<CommandKind> {
    CommandKind::ALL
        .into_iter()
        .filter(|c| is_allowed(state, *c))
        .collect()
}

/// ServiceNow's incident lifecycle as data, built from [`TRANSITIONS`]: for diagrams
/// ([`Lifecycle::to_mermaid`]) and for conformance checks of real logs. A policy's own
/// workflow gives its lifecycle through [`Workflow::lifecycle`](crate::Workflow::lifecycle).
pub fn lifecycle() -> Lifecycle {
    crate::Workflow::servicenow().lifecycle()
}

/// When the host should next send [`Command::Tick`]: the auto-close deadline of a resolved
/// incident, or `None` when nothing is due (not resolved, a major incident, auto-close off).
///
/// ```
/// # use itsm_incident::{next_deadline, Policy, State};
/// assert_eq!(next_deadline(&State::new(), &Policy::servicenow()), None);
/// ```
pub fn next_deadline(state: &State, policy: &Policy) -> Option<DateTime<Utc>> {
    let incident = state.incident()?;
    let Status::Resolved { at, .. } = incident.status else {
        return None;
    };
    let after = policy.auto_close_after.filter(|_| !incident.major)?;
    auto_close_start(policy, at, incident.updated_at).checked_add_signed(after)
}

/// Where the auto-close delay counts from, as the policy says: the resolution or the last
/// update.
fn auto_close_start(
    policy: &Policy,
    resolved_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
) -> DateTime<Utc> {
    match policy.auto_close_from {
        AutoCloseFrom::Resolution => resolved_at,
        AutoCloseFrom::LastUpdate => updated_at,
    }
}

/// Decides what a command does to an incident: the events it produces, or why it is refused.
///
/// The checks run in a fixed order: the clock must not go backwards; the transition table
/// must allow the command in the current state; the actor must hold a role the policy allows
/// for it; then the command's own rules (required fields, hold reasons, windows, levels). A
/// command that would change nothing (assigning to the same group and person, a caller's
/// response when not awaiting the caller, a tick before its deadline) returns no events.
///
/// # Errors
/// Every variant of [`Error`]; each names the state, the command, and what is allowed.
///
/// ```
/// use itsm_incident::chrono::{TimeZone, Utc};
/// use itsm_incident::{Actor, Command, Context, Policy, Role, State, UserId, decide};
///
/// let policy = Policy::servicenow();
/// let agent = Actor::new(UserId::from_u128(7), [Role::new("agent")?]);
/// let now = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let err = decide(&State::new(), &Command::StartWork, &Context::new(now, &agent, &policy))
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "`start_work` is not allowed in state `unreported`; allowed there: `report`, `import`, `tick`"
/// );
/// # Ok::<(), itsm_incident::Error>(())
/// ```
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let incident = match state {
        State::Unreported => return decide_unreported(command, ctx),
        State::Reported(incident) => incident,
    };
    let (at, by) = (ctx.now, ctx.actor.user);
    if let Command::Tick = command {
        return Ok(tick(state, incident, ctx));
    }
    if at < incident.updated_at {
        return Err(Error::ClockWentBackwards {
            last: incident.updated_at,
            now: at,
        });
    }
    let workflow = &ctx.policy.workflow;
    let current = incident.state_name();
    let Some((target, target_kind)) = workflow.step(current, command.name()) else {
        return Err(Error::NotAllowed {
            state: current.to_owned(),
            command: command.name().to_owned(),
            allowed: workflow.commands_from(current),
        });
    };
    permit(command.name(), command.kind(), ctx)?;
    let mut events = command_events(incident, command, ctx)?;
    // A command its own rules make a no-op moves between states of one kind only (a
    // caller's response that clears no hold must not leave a vendor's hold state).
    if !events.is_empty() || target_kind == incident.status.kind() {
        enter(&mut events, incident, target, target_kind, at, by);
    }
    crate::triggers::apply_triggers(state, &mut events, ctx);
    check_deadline(incident, &events, ctx)?;
    Ok(events)
}

/// Refuses events after which the auto-close deadline could not be computed (an instant
/// near chrono's limits plus the policy's delay): an incident whose deadline overflows would
/// never close and nobody would be told. Any events that leave the incident resolved and not
/// major are checked, under the policy given now: the deadline counts from this instant when
/// they resolve it or when it counts from the last update, and otherwise from the resolution
/// it has (which may never have been checked: an incident imported as a major incident has
/// no deadline until it is stood down; and a policy may have grown its delay since).
fn check_deadline(incident: &Incident, events: &[Event], ctx: &Context<'_>) -> Result<(), Error> {
    let policy = ctx.policy;
    let Some(after) = policy.auto_close_after else {
        return Ok(());
    };
    if events.is_empty() {
        return Ok(());
    }
    let ends = events
        .iter()
        .rev()
        .find_map(sets_kind)
        .unwrap_or_else(|| incident.status.kind());
    let major = events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::MajorDeclared { .. } => Some(true),
            Event::MajorStoodDown { .. } => Some(false),
            _ => None,
        })
        .unwrap_or(incident.major);
    if ends != S::Resolved || major {
        return Ok(());
    }
    let resolves = events.iter().any(|e| matches!(e, Event::Resolved { .. }));
    let resolved_at = match &incident.status {
        Status::Resolved { at, .. } if !resolves => *at,
        _ => ctx.now,
    };
    // The events update the incident now.
    let from = auto_close_start(policy, resolved_at, ctx.now);
    if from.checked_add_signed(after).is_none() {
        let what = if from == ctx.now {
            "the auto-close deadline (this instant plus the policy's auto_close_after)"
        } else {
            "the auto-close deadline (the incident's resolution plus the policy's \
             auto_close_after)"
        };
        return Err(Error::DateOverflow { what });
    }
    Ok(())
}

/// The name `evolve` gives the state after `events`: an event that sets the kind resets the
/// name to the kind's own.
fn name_after<'a>(incident: &'a Incident, events: &[Event]) -> &'a str {
    match events.iter().rev().find_map(sets_kind) {
        Some(kind) => kind.name(),
        None => incident.state_name(),
    }
}

/// The kind an event sets, for the events that set one.
fn sets_kind(event: &Event) -> Option<StatusKind> {
    match event {
        Event::WorkStarted { .. }
        | Event::Resumed { .. }
        | Event::CallerResponded { .. }
        | Event::Reopened { .. } => Some(S::InProgress),
        Event::PutOnHold { .. } => Some(S::OnHold),
        Event::Resolved { .. } => Some(S::Resolved),
        Event::Closed { .. } => Some(S::Closed),
        Event::Canceled { .. } => Some(S::Canceled),
        _ => None,
    }
}

/// Adds [`Event::Entered`] when the workflow's target is not the state the events lead to.
fn enter(
    events: &mut Vec<Event>,
    incident: &Incident,
    target: &Arc<str>,
    kind: StatusKind,
    at: DateTime<Utc>,
    by: itsm_core::UserId,
) {
    if name_after(incident, events) != &**target {
        events.push(Event::Entered {
            at,
            by,
            state: Arc::clone(target),
            kind,
        });
    }
}

/// `tick`: the host's timer. Before the incident's last event (two hosts' clocks drift) or
/// before the auto-close deadline it does nothing.
fn tick(state: &State, incident: &Incident, ctx: &Context<'_>) -> Vec<Event> {
    let (at, by) = (ctx.now, ctx.actor.user);
    match next_deadline(state, ctx.policy) {
        Some(deadline) if at >= deadline && at >= incident.updated_at => {
            let mut events = vec![Event::Closed { at, by, auto: true }];
            let workflow = &ctx.policy.workflow;
            let target = workflow
                .step(incident.state_name(), "tick")
                .or_else(|| workflow.first_of(S::Closed));
            if let Some((target, kind)) = target {
                enter(&mut events, incident, target, kind, at, by);
            }
            events
        }
        _ => Vec::new(),
    }
}

/// The events of a command's own rules, for the state's kind (the workflow allowed it).
fn command_events(
    incident: &Incident,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let kind = command.kind();
    let status = incident.status.kind();
    let (at, by) = (ctx.now, ctx.actor.user);
    let policy = ctx.policy;
    let event = match command {
        // A workflow never has these (checked at load); kept for exhaustiveness.
        Command::Report(_) | Command::Import(_) | Command::Tick => return Ok(Vec::new()),
        Command::Transition { .. } => return Ok(Vec::new()),
        Command::Unassign => {
            if incident.assignment.is_none() {
                return Ok(Vec::new());
            }
            Event::Unassigned { at, by }
        }
        Command::Assign { group, person } => {
            let wanted = Assignment {
                group: *group,
                person: *person,
            };
            let reassignment = match incident.assignment {
                Some(current) if current == wanted => return Ok(Vec::new()),
                None => false,
                Some(current) => match policy.reassignment_counting {
                    ReassignmentCounting::GroupChange => current.group != wanted.group,
                    ReassignmentCounting::GroupOrPersonChange => true,
                },
            };
            Event::Assigned {
                at,
                by,
                group: *group,
                person: *person,
                reassignment,
            }
        }
        Command::StartWork => Event::WorkStarted { at, by },
        Command::PutOnHold { reason, comment } => {
            let Some(rule) = policy.hold_rule(reason) else {
                return Err(Error::UnknownHoldReason {
                    reason: reason.clone(),
                    allowed: policy
                        .hold_reasons
                        .iter()
                        .map(|r| r.reason.clone())
                        .collect(),
                });
            };
            if rule.comment_required && comment.as_deref().is_none_or(str::is_empty) {
                return Err(Error::MissingField {
                    command: kind,
                    field: "comment",
                });
            }
            if let Status::OnHold {
                reason: current, ..
            } = &incident.status
            {
                if current == reason {
                    return Ok(Vec::new());
                }
            }
            Event::PutOnHold {
                at,
                by,
                reason: reason.clone(),
                comment: comment.clone(),
            }
        }
        Command::CallerResponded { comment } => match &incident.status {
            Status::OnHold { reason, .. }
                if policy
                    .hold_rule(reason)
                    .is_some_and(|r| r.cleared_by_caller) =>
            {
                Event::CallerResponded {
                    at,
                    by,
                    comment: comment.clone(),
                }
            }
            _ => return Ok(Vec::new()),
        },
        Command::Resume => Event::Resumed { at, by },
        Command::Reprioritize { impact, urgency } => {
            if *impact == incident.impact() && *urgency == incident.urgency() {
                return Ok(Vec::new());
            }
            let explanation = explain(policy, *impact, *urgency)?;
            Event::Reprioritized {
                at,
                by,
                impact: *impact,
                urgency: *urgency,
                priority: itsm_core::Priority(explanation.priority.value),
                explanation: Box::new(explanation),
            }
        }
        Command::Escalate { kind: which, level } => {
            let current = incident.escalation.level(*which);
            let max = policy.max_escalation_level;
            if *level <= current || *level > max {
                return Err(Error::EscalationLevel {
                    kind: *which,
                    current,
                    requested: *level,
                    max,
                });
            }
            Event::Escalated {
                at,
                by,
                kind: *which,
                level: *level,
            }
        }
        Command::DeclareMajor { reason } => {
            if incident.major {
                return Err(Error::AlreadyMajor);
            }
            Event::MajorDeclared {
                at,
                by,
                reason: reason.clone(),
            }
        }
        Command::StandDownMajor { reason } => {
            if !incident.major {
                return Err(Error::NotMajor);
            }
            Event::MajorStoodDown {
                at,
                by,
                reason: reason.clone(),
            }
        }
        Command::ProposeMajor {
            reason,
            business_impact,
        } => {
            match incident.major_state() {
                MajorState::Accepted => return Err(Error::AlreadyMajor),
                MajorState::Proposed => return Err(Error::AlreadyProposed),
                _ => {}
            }
            reason_given(reason, kind)?;
            Event::MajorProposed {
                at,
                by,
                reason: reason.clone(),
                business_impact: business_impact.clone(),
                trigger: None,
            }
        }
        Command::AcceptMajor { notes } => {
            candidate(incident, kind)?;
            Event::MajorDeclared {
                at,
                by,
                reason: notes.clone(),
            }
        }
        Command::RejectMajor { reason } => {
            candidate(incident, kind)?;
            reason_given(reason, kind)?;
            Event::MajorRejected {
                at,
                by,
                reason: reason.clone(),
            }
        }
        Command::Link { link } => {
            let id = incident.report.id;
            match link {
                Link::Parent(other) | Link::Child(other) | Link::FollowUpOf(other)
                    if *other == id =>
                {
                    return Err(Error::SelfLink { id });
                }
                Link::FollowUpOf(other) => {
                    if let Some(current) = incident.links.follow_up_of {
                        if current != *other {
                            return Err(Error::FollowUpOfAlreadySet {
                                current,
                                requested: *other,
                            });
                        }
                    }
                }
                Link::Parent(other) => {
                    if let Some(current) = incident.links.parent {
                        if current != *other {
                            return Err(Error::ParentAlreadySet {
                                current,
                                requested: *other,
                            });
                        }
                    }
                }
                _ => {}
            }
            if incident.links.contains(link) {
                return Ok(Vec::new());
            }
            Event::Linked {
                at,
                by,
                link: *link,
            }
        }
        Command::Resolve { code, notes } => {
            let resolution = Resolution {
                code: code.clone(),
                notes: notes.clone(),
            };
            check_resolution(
                policy,
                kind,
                &resolution,
                policy.required.resolution_code,
                policy.required.resolution_notes,
            )?;
            Event::Resolved {
                at,
                by,
                resolution: Arc::new(resolution),
            }
        }
        Command::Reopen { reason } => {
            if let (
                Status::Resolved {
                    at: resolved_at, ..
                },
                Some(window),
            ) = (&incident.status, policy.reopen_window)
            {
                let until = resolved_at
                    .checked_add_signed(window)
                    .ok_or(Error::DateOverflow {
                        what: "the end of the reopen window",
                    })?;
                if at > until {
                    return Err(Error::ReopenWindowPassed {
                        resolved_at: *resolved_at,
                        window,
                        until,
                        now: at,
                    });
                }
            }
            if let (Status::Closed { at: closed_at, .. }, ReopenClosed::Within(window)) =
                (&incident.status, policy.workflow.spec().reopen_closed)
            {
                let until = closed_at
                    .checked_add_signed(window)
                    .ok_or(Error::DateOverflow {
                        what: "the end of the reopen window after closure",
                    })?;
                if at > until {
                    return Err(Error::ReopenClosedWindowPassed {
                        closed_at: *closed_at,
                        window,
                        until,
                        now: at,
                    });
                }
            }
            let by_support = ctx
                .actor
                .roles
                .iter()
                .any(|r| policy.support_roles.contains(r));
            Event::Reopened {
                at,
                by,
                reason: reason.clone(),
                by_support,
            }
        }
        Command::Close { resolution } => {
            let closed = Event::Closed {
                at,
                by,
                auto: false,
            };
            if status == S::Resolved {
                closed
            } else {
                // Closing without a resolve step: resolved and closed at the same instant.
                let code_required = policy.workflow.spec().close_unresolved.code_required;
                match resolution {
                    Some(resolution) => {
                        check_resolution(policy, kind, resolution, code_required, false)?;
                        let resolved = Event::Resolved {
                            at,
                            by,
                            resolution: Arc::new(resolution.clone()),
                        };
                        return Ok(vec![resolved, closed]);
                    }
                    None if code_required => {
                        return Err(Error::MissingField {
                            command: kind,
                            field: "resolution code",
                        });
                    }
                    None => closed,
                }
            }
        }
        Command::Cancel { reason } => {
            if policy.required.cancel_reason && reason.is_empty() {
                return Err(Error::MissingField {
                    command: kind,
                    field: "reason",
                });
            }
            Event::Canceled {
                at,
                by,
                reason: reason.clone(),
            }
        }
    };
    Ok(vec![event])
}

/// The policy's checks of a resolution: required code and notes, and the list of codes.
fn check_resolution(
    policy: &Policy,
    kind: CommandKind,
    resolution: &Resolution,
    code_required: bool,
    notes_required: bool,
) -> Result<(), Error> {
    if code_required && resolution.code.is_empty() {
        return Err(Error::MissingField {
            command: kind,
            field: "resolution code",
        });
    }
    if notes_required && resolution.notes.is_empty() {
        return Err(Error::MissingField {
            command: kind,
            field: "resolution notes",
        });
    }
    // `resolve` checks even an empty code against the list; closing without a resolve step
    // checks the code it was given.
    if (kind == C::Resolve || !resolution.code.is_empty())
        && !policy.resolution_codes.is_empty()
        && !policy.resolution_codes.contains(&resolution.code)
    {
        return Err(Error::UnknownResolutionCode {
            code: resolution.code.clone(),
            allowed: policy.resolution_codes.clone(),
        });
    }
    Ok(())
}

/// The permission check, by the command's name in the workflow (a vendor transition's own).
fn permit(name: &str, kind: CommandKind, ctx: &Context<'_>) -> Result<(), Error> {
    ctx.policy
        .permissions
        .check(name, ctx.actor)
        .map_err(|reason| Error::Denied {
            command: kind,
            reason,
        })
}

fn explain(
    policy: &Policy,
    impact: Impact,
    urgency: Urgency,
) -> Result<itsm_core::PriorityExplanation, Error> {
    policy
        .matrix
        .explain(impact, urgency)
        .map_err(|reason| Error::Priority { reason })
}

fn decide_unreported(command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let kind = command.kind();
    let at = ctx.now;
    let by = ctx.actor.user;
    let policy = ctx.policy;
    match command {
        Command::Tick => Ok(Vec::new()),
        Command::Report(report) => {
            permit(kind.name(), kind, ctx)?;
            if policy.required.description && report.description.is_empty() {
                return Err(Error::MissingField {
                    command: kind,
                    field: "description",
                });
            }
            if policy.required.category && report.category.as_deref().is_none_or(str::is_empty) {
                return Err(Error::MissingField {
                    command: kind,
                    field: "category",
                });
            }
            let explanation = explain(policy, report.impact, report.urgency)?;
            let mut events = vec![Event::Reported {
                at,
                by,
                priority: itsm_core::Priority(explanation.priority.value),
                report: Arc::new(Report::clone(report)),
                explanation: Box::new(explanation),
            }];
            let workflow = &policy.workflow;
            if let Some((initial, kind)) = workflow.first_of(S::New) {
                if &**initial != S::New.name() {
                    events.push(Event::Entered {
                        at,
                        by,
                        state: Arc::clone(initial),
                        kind,
                    });
                }
            }
            crate::triggers::apply_triggers(&State::Unreported, &mut events, ctx);
            Ok(events)
        }
        Command::Import(snapshot) => {
            permit(kind.name(), kind, ctx)?;
            let status = snapshot.status.kind();
            let Some((state, _)) = policy.workflow.first_of(status) else {
                return Err(Error::KindNotInWorkflow {
                    kind: status,
                    workflow: policy.workflow.name().to_owned(),
                });
            };
            let priority = policy
                .matrix
                .priority(snapshot.report.impact, snapshot.report.urgency)
                .map_err(|reason| Error::Priority { reason })?;
            if let Status::OnHold { reason, .. } = &snapshot.status {
                if policy.hold_rule(reason).is_none() {
                    return Err(Error::UnknownHoldReason {
                        reason: reason.clone(),
                        allowed: policy
                            .hold_reasons
                            .iter()
                            .map(|r| r.reason.clone())
                            .collect(),
                    });
                }
            }
            // The `link` command refuses self-links; an import must not smuggle one in (a
            // host walking parents and children would loop).
            let id = snapshot.report.id;
            if snapshot.links.parent == Some(id) || snapshot.links.children.contains(&id) {
                return Err(Error::SelfLink { id });
            }
            // An imported resolved incident gets its auto-close deadline at once: one that
            // cannot be represented is refused here, as `check_deadline` does for the others.
            if let (Status::Resolved { at: resolved, .. }, Some(after), false) =
                (&snapshot.status, policy.auto_close_after, snapshot.major)
            {
                if auto_close_start(policy, *resolved, at)
                    .checked_add_signed(after)
                    .is_none()
                {
                    return Err(Error::DateOverflow {
                        what: "the auto-close deadline (the imported incident's resolution or \
                               this instant plus the policy's auto_close_after)",
                    });
                }
            }
            let mut events = vec![Event::Imported {
                at,
                by,
                snapshot: snapshot.clone(),
                priority,
            }];
            if &**state != status.name() {
                events.push(Event::Entered {
                    at,
                    by,
                    state: Arc::clone(state),
                    kind: status,
                });
            }
            crate::triggers::apply_triggers(&State::Unreported, &mut events, ctx);
            Ok(events)
        }
        _ => Err(Error::NotAllowed {
            state: S::Unreported.name().to_owned(),
            command: command.name().to_owned(),
            allowed: allowed_commands(S::Unreported)
                .iter()
                .map(|c| c.name().to_owned())
                .collect(),
        }),
    }
}

/// Folds one event into the state. Total: it never fails and checks no rules (`decide` did),
/// so replaying stored events always rebuilds the same state. An event that cannot apply
/// (anything but `reported` or `imported` before the incident exists, or those two after)
/// leaves the state as it is.
///
/// ```
/// use itsm_incident::chrono::{TimeZone, Utc};
/// use itsm_incident::{Actor, Context, Impact, IncidentId, Policy, Report, Role, State};
/// use itsm_incident::{Urgency, UserId, decide, evolve};
///
/// let policy = Policy::servicenow();
/// let caller = Actor::new(UserId::from_u128(1), [Role::new("caller")?]);
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
/// let report = Report::new(IncidentId::from_u128(42), caller.user, Impact(2), Urgency(2), "VPN down");
/// let events = decide(&State::new(), &report.into(), &Context::new(now, &caller, &policy))?;
/// let state = events.iter().fold(State::new(), evolve);
/// assert_eq!(state.incident().map(|i| i.priority().0), Some(3));
/// # Ok::<(), itsm_incident::Error>(())
/// ```
pub fn evolve(state: State, event: &Event) -> State {
    match state {
        State::Unreported => match event {
            Event::Reported {
                at,
                report,
                priority,
                ..
            } => State::Reported(Box::new(Incident {
                report: Arc::clone(report),
                reassessed: None,
                priority: *priority,
                status: Status::New,
                assignment: None,
                reassignment_count: 0,
                reopen_count: 0,
                escalation: Default::default(),
                major: false,
                major_review: None,
                links: Default::default(),
                opened_at: *at,
                updated_at: *at,
                state_name: None,
            })),
            Event::Imported {
                at,
                snapshot,
                priority,
                ..
            } => {
                let s = (**snapshot).clone();
                State::Reported(Box::new(Incident {
                    report: Arc::new(s.report),
                    reassessed: None,
                    priority: *priority,
                    status: s.status,
                    assignment: s.assignment,
                    reassignment_count: s.reassignment_count,
                    reopen_count: s.reopen_count,
                    escalation: s.escalation,
                    major: s.major,
                    major_review: None,
                    links: s.links.normalized(),
                    opened_at: s.opened_at,
                    updated_at: *at,
                    state_name: None,
                }))
            }
            _ => State::Unreported,
        },
        State::Reported(mut incident) => {
            apply(&mut incident, event);
            State::Reported(incident)
        }
    }
}

fn apply(incident: &mut Incident, event: &Event) {
    if sets_kind(event).is_some() {
        incident.state_name = None;
    }
    match event {
        Event::Reported { .. } | Event::Imported { .. } => return,
        Event::Assigned {
            group,
            person,
            reassignment,
            ..
        } => {
            incident.assignment = Some(Assignment {
                group: *group,
                person: *person,
            });
            if *reassignment {
                incident.reassignment_count = incident.reassignment_count.saturating_add(1);
            }
        }
        Event::WorkStarted { .. } | Event::Resumed { .. } | Event::CallerResponded { .. } => {
            incident.status = Status::InProgress;
        }
        Event::PutOnHold { at, reason, .. } => {
            incident.status = Status::OnHold {
                reason: reason.clone(),
                since: *at,
            };
        }
        Event::Reprioritized {
            impact,
            urgency,
            priority,
            ..
        } => {
            // Kept beside the shared report, which stays as reported (and is not touched).
            incident.reassessed = Some((*impact, *urgency));
            incident.priority = *priority;
        }
        Event::Escalated { kind, level, .. } => {
            let slot = match kind {
                crate::model::EscalationKind::Functional => &mut incident.escalation.functional,
                crate::model::EscalationKind::Hierarchical => &mut incident.escalation.hierarchical,
            };
            *slot = (*slot).max(*level);
        }
        Event::MajorDeclared { .. } => {
            incident.major = true;
            incident.major_review = None;
        }
        Event::MajorStoodDown { .. } => {
            incident.major = false;
            incident.major_review = Some(MajorState::Canceled);
        }
        Event::MajorProposed { .. } => incident.major_review = Some(MajorState::Proposed),
        Event::MajorRejected { .. } => incident.major_review = Some(MajorState::Rejected),
        Event::Linked { link, .. } => incident.links.add(*link),
        Event::Resolved { at, resolution, .. } => {
            incident.status = Status::Resolved {
                resolution: Arc::clone(resolution),
                at: *at,
            };
        }
        Event::Reopened { .. } => {
            incident.status = Status::InProgress;
            incident.reopen_count = incident.reopen_count.saturating_add(1);
        }
        Event::Closed { at, auto, .. } => {
            let resolution = match std::mem::replace(&mut incident.status, Status::New) {
                Status::Resolved { resolution, .. } | Status::Closed { resolution, .. } => {
                    resolution
                }
                _ => Arc::default(),
            };
            incident.status = Status::Closed {
                resolution,
                at: *at,
                auto: *auto,
            };
        }
        Event::Canceled { at, reason, .. } => {
            incident.status = Status::Canceled {
                reason: reason.clone(),
                at: *at,
            };
        }
        Event::Unassigned { .. } => incident.assignment = None,
        Event::Entered { state, kind, .. } => {
            // Only a move into new or in progress changes the kind here (the workflow's check
            // allows no other); the other kinds carry data that their own events set.
            let open = matches!(
                incident.status,
                Status::New | Status::InProgress | Status::OnHold { .. }
            );
            match kind {
                S::New if open => incident.status = Status::New,
                S::InProgress if open => incident.status = Status::InProgress,
                _ => {}
            }
            incident.state_name =
                (&**state != incident.status.kind().name()).then(|| Arc::clone(state));
        }
    }
    incident.updated_at = event.at();
}

/// Refuses `command` unless the incident is a proposed major-incident candidate.
fn candidate(incident: &Incident, command: CommandKind) -> Result<(), Error> {
    let state = incident.major_state();
    if state != MajorState::Proposed {
        return Err(Error::NotACandidate { command, state });
    }
    Ok(())
}

/// Refuses an empty (or blank) reason for `command`.
fn reason_given(reason: &str, command: CommandKind) -> Result<(), Error> {
    if reason.trim().is_empty() {
        return Err(Error::MissingField {
            command,
            field: "reason",
        });
    }
    Ok(())
}
