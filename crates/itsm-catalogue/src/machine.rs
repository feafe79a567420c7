//! `decide`, `evolve` and `next_deadline` for requests.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Actor, UserId};

use crate::catalogue::{AppRole, Catalogue, ItemApprover, ItemSpec};
use crate::command::Command;
use crate::error::{Error, FieldError};
use crate::event::{Event, SubmittedLine};
use crate::model::{
    Access, AccessStatus, Item, ItemApproval, Order, Record, Request, Stage, State,
    TASK_TRANSITIONS, Task, TaskStage,
};

/// What `decide` needs besides the state and the command: the time, who acts, and the
/// catalogue. Nothing is read from the environment.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The current time, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command.
    pub actor: &'a Actor,
    /// The checked catalogue (items, bundles, rules, gates, permissions).
    pub catalogue: &'a Catalogue,
}

impl<'a> Context<'a> {
    /// The context of one call.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, catalogue: &'a Catalogue) -> Self {
        Context {
            now,
            actor,
            catalogue,
        }
    }
}

/// Checks the catalogue's permissions for `command`, when it has any.
pub(crate) fn permit(ctx: &Context<'_>, command: &str) -> Result<(), Error> {
    match &ctx.catalogue.spec().permissions {
        None => Ok(()),
        Some(p) => p.check(command, ctx.actor).map_err(|reason| Error::Denied {
            command: command.to_owned(),
            reason,
        }),
    }
}

/// The approval policy an item's steps resolve to for this manager and owner.
pub(crate) fn approval_policy(
    item: &ItemSpec,
    manager: UserId,
    owner: UserId,
) -> itsm_approval::PolicySpec {
    let stages = item.approval.iter().map(|step| {
        let approvers = step.approvers.iter().map(|a| match a {
            ItemApprover::Manager => itsm_approval::Approver::Person(manager),
            ItemApprover::Owner => itsm_approval::Approver::Person(owner),
            ItemApprover::Person(p) => itsm_approval::Approver::Person(*p),
            ItemApprover::Role(r) => itsm_approval::Approver::Role(r.clone()),
            ItemApprover::Group(g) => itsm_approval::Approver::Group(*g),
        });
        let mut stage = itsm_approval::StageSpec::new(step.name.clone(), approvers, step.quorum);
        stage.refusal = step.refusal;
        // Whoever ordered may not approve their own order.
        stage.separation_of_duties = [itsm_approval::Party::Requester].into_iter().collect();
        stage
    });
    itsm_approval::PolicySpec::new(format!("item:{}", item.name), stages)
}

/// The id of a line's approval: the request's id plus the line plus one, as 128-bit
/// numbers (wrapping), so that the host need not make one per line and replays agree.
pub fn approval_id(request: crate::RequestId, line: usize) -> itsm_approval::ApprovalId {
    let n = request
        .0
        .as_u128()
        .wrapping_add(line as u128)
        .wrapping_add(1);
    itsm_approval::ApprovalId::from_u128(n)
}

/// When the host should send a [`Command::Tick`]: the earliest expiry of active access.
///
/// ```
/// # use itsm_catalogue::{next_deadline, State};
/// assert_eq!(next_deadline(&State::new()), None);
/// ```
pub fn next_deadline(state: &State) -> Option<DateTime<Utc>> {
    state
        .request()?
        .items
        .iter()
        .filter_map(|i| i.access.as_ref())
        .filter(|a| a.status == AccessStatus::Active)
        .filter_map(|a| a.until)
        .min()
}

/// The commands a task in `stage` accepts, from [`TASK_TRANSITIONS`].
pub fn task_commands(stage: TaskStage) -> Vec<&'static str> {
    TASK_TRANSITIONS
        .iter()
        .filter(|(f, c, _)| *f == stage && c.ends_with("_task"))
        .map(|(_, c, _)| *c)
        .collect()
}

/// Decides what a command does to a request: the events, or why it is refused. Each
/// answer ends with the [`Event::SlaHook`]s of every record whose state it changed.
///
/// The checks run in a fixed order: the catalogue's permissions (when it has any); the
/// clock must not go backwards (a tick before the last event is a no-op); the command must
/// be allowed where the record is; then the command's own rules.
///
/// # Errors
/// Every variant of [`Error`] about requests; each names what was wrong and what is allowed.
///
/// ```
/// use itsm_catalogue::chrono::{TimeZone, Utc};
/// use itsm_catalogue::{
///     Actor, Catalogue, CatalogueSpec, Command, Context, ItemSpec, Order, OrderLine,
///     RequestId, Requester, Stage, State, TaskSpec, UserId, decide,
/// };
///
/// let catalogue = Catalogue::new(CatalogueSpec::new([ItemSpec::new(
///     "mouse",
///     TaskSpec::new("ship", "Ship a mouse"),
/// )]))?;
/// let me = Actor::new(UserId::from_u128(1), []);
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let ctx = Context::new(now, &me, &catalogue);
/// let order = Order::new(RequestId::from_u128(7), Requester::new(me.user), vec![OrderLine::new("mouse")]);
/// let mut state = State::new();
/// state.apply(&decide(&state, &order.into(), &ctx)?);
/// assert_eq!(state.stage(), Some(Stage::InFulfilment));
/// let done = Command::CompleteTask { line: 0, task: "ship".into(), notes: String::new() };
/// state.apply(&decide(&state, &done, &ctx)?);
/// assert_eq!(state.stage(), Some(Stage::Fulfilled));
/// # Ok::<(), itsm_catalogue::Error>(())
/// ```
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let name = command.name();
    if !matches!(command, Command::Tick) {
        permit(ctx, name)?;
    }
    let request = match (state, command) {
        (State::Unsubmitted, Command::Submit(order)) => {
            let events = submit(order, ctx)?;
            return Ok(with_hooks(state, events, ctx.now));
        }
        (State::Unsubmitted, _) => {
            return Err(Error::NotAllowed {
                place: "before the request is submitted".to_owned(),
                command: name.to_owned(),
                allowed: vec!["submit".to_owned()],
            });
        }
        (State::Submitted(request), _) => request,
    };
    if ctx.now < request.updated_at {
        if let Command::Tick = command {
            return Ok(Vec::new());
        }
        return Err(Error::ClockWentBackwards {
            last: request.updated_at,
            now: ctx.now,
        });
    }
    let events = match command {
        Command::Submit(_) => {
            return Err(Error::NotAllowed {
                place: format!("on a request that is {}", request.stage()),
                command: name.to_owned(),
                allowed: request_commands(request),
            });
        }
        Command::Approval { line, answer } => approval(request, *line, answer, ctx)?,
        Command::StartTask { line, task } => task_command(request, *line, task, command, ctx)?,
        Command::CompleteTask { line, task, .. } => {
            task_command(request, *line, task, command, ctx)?
        }
        Command::SkipTask { line, task, reason } => {
            if reason.trim().is_empty() {
                return Err(Error::MissingField {
                    command: "skip_task",
                    field: "reason",
                });
            }
            task_command(request, *line, task, command, ctx)?
        }
        Command::CancelItem { line, reason } => {
            if reason.trim().is_empty() {
                return Err(Error::MissingField {
                    command: "cancel_item",
                    field: "reason",
                });
            }
            let item = item_at(request, *line)?;
            if item.stage.is_terminal() {
                return Err(Error::NotAllowed {
                    place: format!("on item {line} in state {}", item.stage),
                    command: name.to_owned(),
                    allowed: Vec::new(),
                });
            }
            cancel_item(*line, item, reason, ctx)
        }
        Command::Cancel { reason } => {
            if reason.trim().is_empty() {
                return Err(Error::MissingField {
                    command: "cancel",
                    field: "reason",
                });
            }
            let open: Vec<(usize, &Item)> = request
                .items
                .iter()
                .enumerate()
                .filter(|(_, i)| !i.stage.is_terminal())
                .collect();
            if open.is_empty() {
                return Err(Error::NotAllowed {
                    place: format!("on a request that is {}", request.stage()),
                    command: name.to_owned(),
                    allowed: request_commands(request),
                });
            }
            open.into_iter()
                .flat_map(|(line, item)| cancel_item(line, item, reason, ctx))
                .collect()
        }
        Command::Tick => tick(request, ctx.now),
    };
    Ok(with_hooks(state, events, ctx.now))
}

/// The commands a request accepts as a whole, for refusals.
fn request_commands(request: &Request) -> Vec<String> {
    let mut out = Vec::new();
    if request.items.iter().any(|i| !i.stage.is_terminal()) {
        out.extend([
            "approval",
            "start_task",
            "complete_task",
            "skip_task",
            "cancel_item",
            "cancel",
        ]);
    }
    out.push("tick");
    out.into_iter().map(str::to_owned).collect()
}

fn item_at(request: &Request, line: usize) -> Result<&Item, Error> {
    request.items.get(line).ok_or(Error::UnknownLine {
        line,
        count: request.items.len(),
    })
}

/// Appends an SLA hook for every record (request, item, task) whose state `events` change.
fn with_hooks(state: &State, mut events: Vec<Event>, at: DateTime<Utc>) -> Vec<Event> {
    if events.is_empty() {
        return events;
    }
    let mut after = state.clone();
    after.apply(&events);
    let (Some(new), old) = (after.request(), state.request()) else {
        return events;
    };
    let mut hooks = Vec::new();
    let old_stage = old.map(Request::stage);
    if old_stage != Some(new.stage()) {
        hooks.push(hook(
            at,
            Record::Request,
            new.stage().name(),
            new.stage().category(),
        ));
    }
    for (line, item) in new.items.iter().enumerate() {
        let before = old.and_then(|r| r.items.get(line));
        if before.map(|i| i.stage) != Some(item.stage) {
            hooks.push(hook(
                at,
                Record::Item { line },
                item.stage.name(),
                item.stage.category(),
            ));
        }
        for task in &item.tasks {
            let was = before
                .and_then(|i| i.task(&task.spec.name))
                .map(|t| t.stage);
            if was != Some(task.stage) {
                hooks.push(hook(
                    at,
                    Record::Task {
                        line,
                        task: task.spec.name.clone(),
                    },
                    task.stage.name(),
                    task.stage.category(),
                ));
            }
        }
    }
    events.extend(hooks);
    events
}

fn hook(at: DateTime<Utc>, record: Record, state: &str, category: itsm_core::Category) -> Event {
    Event::SlaHook {
        at,
        record,
        state: state.to_owned(),
        category,
    }
}

fn submit(order: &Order, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let (at, by, catalogue) = (ctx.now, ctx.actor.user, ctx.catalogue);
    if order.lines.is_empty() {
        return Err(Error::EmptyOrder);
    }
    let who = &order.requested_for;
    let mut items: Vec<&ItemSpec> = Vec::new();
    for (line, ordered) in order.lines.iter().enumerate() {
        let item = catalogue
            .item(&ordered.item)
            .ok_or_else(|| Error::UnknownItem {
                line,
                item: ordered.item.clone(),
                allowed: catalogue.item_names(),
            })?;
        if !item.entitlement.allows(who) {
            return Err(Error::NotEntitled {
                line,
                item: item.name.clone(),
                user: who.user,
                needs: item.entitlement.describe(),
            });
        }
        items.push(item);
    }
    let mut field_errors: Vec<FieldError> = Vec::new();
    let mut kept = Vec::new();
    for (line, (ordered, item)) in order.lines.iter().zip(&items).enumerate() {
        match crate::variable::validate(line, &item.variables, &ordered.answers) {
            Ok(answers) => kept.push(answers),
            Err(errors) => {
                field_errors.extend(errors);
                kept.push(BTreeMap::new());
            }
        }
    }
    if !field_errors.is_empty() {
        return Err(Error::InvalidOrder {
            errors: field_errors,
        });
    }
    // Access: a role the application offers, a future expiry, no separation-of-duties
    // conflict with what the person holds or with another line of the order.
    let mut asked: Vec<(usize, AppRole)> = Vec::new();
    let mut lines = Vec::new();
    for ((line, (ordered, item)), answers) in order.lines.iter().zip(&items).enumerate().zip(kept) {
        let access = match (&item.access, &ordered.access) {
            (None, None) => None,
            (Some(_), None) => {
                return Err(Error::AccessLine {
                    line,
                    reason: "an access item needs the role asked for (`access`)",
                });
            }
            (None, Some(_)) => {
                return Err(Error::AccessLine {
                    line,
                    reason: "only an access item takes a role (`access`)",
                });
            }
            (Some(spec), Some(ask)) => {
                if !spec.roles.contains(&ask.role) {
                    return Err(Error::UnknownRole {
                        line,
                        application: spec.application.clone(),
                        role: ask.role.clone(),
                        allowed: spec.roles.clone(),
                    });
                }
                if let Some(until) = ask.until {
                    if until <= at {
                        return Err(Error::InvalidExpiry {
                            line,
                            until,
                            now: at,
                        });
                    }
                }
                let role = AppRole::new(spec.application.clone(), ask.role.clone());
                sod(catalogue, line, &role, who, &asked)?;
                asked.push((line, role.clone()));
                Some((role, ask.until, spec.revoke.clone()))
            }
        };
        lines.push(SubmittedLine {
            item: item.name.clone(),
            answers,
            tasks: item.tasks.clone(),
            access,
        });
    }
    let mut events = vec![Event::Submitted {
        at,
        by,
        id: order.id,
        requested_for: who.user,
        lines: Arc::new(lines),
    }];
    for (line, item) in items.iter().enumerate() {
        if item.approval.is_empty() {
            events.push(Event::FulfilmentStarted { at, line });
            events.extend(open_roots(line, &item.tasks, at));
            continue;
        }
        let manager = if item
            .approval
            .iter()
            .any(|s| s.approvers.contains(&ItemApprover::Manager))
        {
            who.manager.ok_or_else(|| Error::MissingManager {
                line,
                item: item.name.clone(),
                user: who.user,
            })?
        } else {
            UserId::from_u128(0)
        };
        let owner = item
            .access
            .as_ref()
            .map_or(UserId::from_u128(0), |a| a.owner);
        let policy = Arc::new(itsm_approval::Policy::new(approval_policy(
            item, manager, owner,
        ))?);
        let mut request = itsm_approval::Request::new(approval_id(order.id, line), by);
        request.members.clone_from(&order.members);
        let actx = itsm_approval::Context::new(at, ctx.actor, &policy);
        let inner = itsm_approval::decide(
            &itsm_approval::State::new(),
            &itsm_approval::Command::Request(Box::new(request)),
            &actx,
        )?;
        events.push(Event::ApprovalRequested {
            at,
            line,
            policy: Arc::clone(&policy),
        });
        events.extend(
            inner
                .into_iter()
                .map(|event| Event::Approval { line, event }),
        );
    }
    Ok(events)
}

/// Refuses `role` when the person holds, or the order asks for, a role it conflicts with.
fn sod(
    catalogue: &Catalogue,
    line: usize,
    role: &AppRole,
    who: &crate::Requester,
    asked: &[(usize, AppRole)],
) -> Result<(), Error> {
    for rule in &catalogue.spec().separation_of_duties {
        let [a, b] = &rule.roles;
        let other = if a == role {
            b
        } else if b == role {
            a
        } else {
            continue;
        };
        let held = if who.access.contains(other) {
            Some("which they hold".to_owned())
        } else {
            asked
                .iter()
                .find(|(_, r)| r == other)
                .map(|(l, _)| format!("asked for on line {l}"))
        };
        if let Some(held) = held {
            return Err(Error::SeparationOfDuties {
                line,
                rule: rule.name.clone(),
                conflict: format!("`{role}` conflicts with `{other}`, {held}"),
                reason: rule.reason.clone(),
            });
        }
    }
    Ok(())
}

/// `task_opened` for every task that waits for nothing.
fn open_roots(line: usize, tasks: &[crate::TaskSpec], at: DateTime<Utc>) -> Vec<Event> {
    tasks
        .iter()
        .filter(|t| t.after.is_empty())
        .map(|t| Event::TaskOpened {
            at,
            line,
            task: t.name.clone(),
        })
        .collect()
}

fn approval(
    request: &Request,
    line: usize,
    answer: &itsm_approval::Command,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let item = item_at(request, line)?;
    let Some(running) = &item.approval else {
        return Err(Error::ApprovalRound {
            line,
            reason: "the item has no approval",
        });
    };
    if item.stage != Stage::AwaitingApproval {
        return Err(Error::NotAllowed {
            place: format!("on item {line} in state {}", item.stage),
            command: "approval".to_owned(),
            allowed: Vec::new(),
        });
    }
    if let itsm_approval::Command::Request(_) = answer {
        return Err(Error::ApprovalRound {
            line,
            reason: "an item's approval is requested by `submit`",
        });
    }
    let (at, by) = (ctx.now, ctx.actor.user);
    let actx = itsm_approval::Context::new(at, ctx.actor, &running.policy);
    let inner = itsm_approval::decide(&running.state, answer, &actx)?;
    let mut after = running.state.clone();
    after.apply(&inner);
    let mut events: Vec<Event> = inner
        .into_iter()
        .map(|event| Event::Approval { line, event })
        .collect();
    match after.outcome() {
        itsm_approval::Outcome::Approved { decisions } => {
            let explanation = decisions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            events.push(Event::Approved {
                at,
                by,
                line,
                explanation,
            });
            let specs: Vec<crate::TaskSpec> = item.tasks.iter().map(|t| t.spec.clone()).collect();
            events.extend(open_roots(line, &specs, at));
        }
        itsm_approval::Outcome::Refused { explanation } => events.push(Event::Rejected {
            at,
            by,
            line,
            reason: explanation.to_string(),
        }),
        _ => {}
    }
    Ok(events)
}

fn task_command(
    request: &Request,
    line: usize,
    name: &str,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let (at, by) = (ctx.now, ctx.actor.user);
    let item = item_at(request, line)?;
    let Some(task) = item.task(name) else {
        return Err(Error::UnknownTask {
            line,
            task: name.to_owned(),
            allowed: item.tasks.iter().map(|t| t.spec.name.clone()).collect(),
        });
    };
    let revocation = item
        .access
        .as_ref()
        .is_some_and(|a| a.status == AccessStatus::Expired && a.revoke.name == name);
    let verb = command.name();
    if revocation && matches!(command, Command::SkipTask { .. }) {
        // Expired access must be taken away: its revocation cannot be waved through.
        return Err(Error::NotAllowed {
            place: format!("on the revocation task `{name}` of item {line}"),
            command: verb.to_owned(),
            allowed: vec!["start_task".to_owned(), "complete_task".to_owned()],
        });
    }
    if item.stage != Stage::InFulfilment && !revocation {
        return Err(Error::NotAllowed {
            place: format!("on item {line} in state {}", item.stage),
            command: verb.to_owned(),
            allowed: Vec::new(),
        });
    }
    if task.stage == TaskStage::Pending && !matches!(command, Command::SkipTask { .. }) {
        let waiting: Vec<String> = task
            .spec
            .after
            .iter()
            .filter(|d| !item.task(d).is_some_and(|t| t.stage.is_done()))
            .cloned()
            .collect();
        return Err(Error::Waiting {
            line,
            task: name.to_owned(),
            waiting,
        });
    }
    let allowed = task_commands(task.stage);
    if !allowed.contains(&verb) {
        return Err(Error::NotAllowed {
            place: format!("on task `{name}` of item {line} in state {}", task.stage),
            command: verb.to_owned(),
            allowed: allowed.into_iter().map(str::to_owned).collect(),
        });
    }
    let task = name.to_owned();
    let first = match command {
        Command::StartTask { .. } => Event::TaskStarted { at, by, line, task },
        Command::CompleteTask { notes, .. } => Event::TaskCompleted {
            at,
            by,
            line,
            task,
            notes: notes.clone(),
        },
        Command::SkipTask { reason, .. } => Event::TaskSkipped {
            at,
            by,
            line,
            task,
            reason: reason.clone(),
        },
        _ => return Ok(Vec::new()),
    };
    let done = !matches!(first, Event::TaskStarted { .. });
    let mut events = vec![first];
    if !done {
        return Ok(events);
    }
    if revocation {
        if let (Command::CompleteTask { .. }, Some(access)) = (command, &item.access) {
            events.push(Event::AccessRevoked {
                at,
                by,
                line,
                role: access.role.clone(),
            });
        }
        return Ok(events);
    }
    // Open what now waits for nothing; fulfil the item when every task is done.
    let is_done = |t: &Task| t.spec.name == name || t.stage.is_done();
    for t in item
        .tasks
        .iter()
        .filter(|t| t.stage == TaskStage::Pending && t.spec.name != name)
    {
        let ready = t
            .spec
            .after
            .iter()
            .all(|d| item.task(d).is_some_and(is_done));
        if ready {
            events.push(Event::TaskOpened {
                at,
                line,
                task: t.spec.name.clone(),
            });
        }
    }
    if item.tasks.iter().all(is_done) {
        events.push(Event::Fulfilled { at, line });
        if let Some(access) = &item.access {
            events.push(Event::AccessGranted {
                at,
                line,
                user: request.requested_for,
                role: access.role.clone(),
                until: access.until,
            });
        }
    }
    Ok(events)
}

fn cancel_item(line: usize, item: &Item, reason: &str, ctx: &Context<'_>) -> Vec<Event> {
    let (at, by) = (ctx.now, ctx.actor.user);
    let mut events = Vec::new();
    if let Some(running) = &item.approval {
        if let itsm_approval::Outcome::Pending { .. } = running.state.outcome() {
            let actx = itsm_approval::Context::new(at, ctx.actor, &running.policy);
            let cancel = itsm_approval::Command::Cancel {
                reason: reason.to_owned(),
            };
            if let Ok(inner) = itsm_approval::decide(&running.state, &cancel, &actx) {
                events.extend(
                    inner
                        .into_iter()
                        .map(|event| Event::Approval { line, event }),
                );
            }
        }
    }
    events.push(Event::ItemCanceled {
        at,
        by,
        line,
        reason: reason.to_owned(),
    });
    events
}

fn tick(request: &Request, now: DateTime<Utc>) -> Vec<Event> {
    request
        .items
        .iter()
        .enumerate()
        .filter_map(|(line, item)| {
            let access = item.access.as_ref()?;
            let due =
                access.status == AccessStatus::Active && access.until.is_some_and(|u| u <= now);
            due.then(|| Event::AccessExpired {
                at: now,
                line,
                task: access.revoke.clone(),
            })
        })
        .collect()
}

/// Folds one event into the state. Total: it never fails and checks no rules (`decide`
/// did), so replaying stored events always rebuilds the same state. An event that cannot
/// apply (a line or task the request does not have) leaves the state as it is.
pub fn evolve(state: State, event: &Event) -> State {
    match state {
        State::Unsubmitted => match event {
            Event::Submitted {
                at,
                by,
                id,
                requested_for,
                lines,
            } => State::Submitted(Box::new(Request {
                id: *id,
                requester: *by,
                requested_for: *requested_for,
                items: lines
                    .iter()
                    .map(|l| Item {
                        item: l.item.clone(),
                        answers: l.answers.clone(),
                        stage: Stage::Submitted,
                        approval: None,
                        tasks: l
                            .tasks
                            .iter()
                            .map(|t| Task {
                                spec: t.clone(),
                                stage: TaskStage::Pending,
                            })
                            .collect(),
                        access: l.access.as_ref().map(|(role, until, revoke)| Access {
                            role: role.clone(),
                            until: *until,
                            status: AccessStatus::Requested,
                            revoke: revoke.clone(),
                        }),
                    })
                    .collect(),
                opened_at: *at,
                updated_at: *at,
            })),
            _ => State::Unsubmitted,
        },
        State::Submitted(mut request) => {
            apply(&mut request, event);
            request.updated_at = request.updated_at.max(event.at());
            State::Submitted(request)
        }
    }
}

fn set_task(item: &mut Item, name: &str, stage: TaskStage) {
    if let Some(t) = item.tasks.iter_mut().find(|t| t.spec.name == name) {
        t.stage = stage;
    }
}

fn apply(request: &mut Request, event: &Event) {
    let line = match event {
        Event::Submitted { .. } | Event::SlaHook { .. } => return,
        Event::ApprovalRequested { line, .. }
        | Event::Approval { line, .. }
        | Event::Approved { line, .. }
        | Event::Rejected { line, .. }
        | Event::FulfilmentStarted { line, .. }
        | Event::TaskOpened { line, .. }
        | Event::TaskStarted { line, .. }
        | Event::TaskCompleted { line, .. }
        | Event::TaskSkipped { line, .. }
        | Event::Fulfilled { line, .. }
        | Event::AccessGranted { line, .. }
        | Event::AccessExpired { line, .. }
        | Event::AccessRevoked { line, .. }
        | Event::ItemCanceled { line, .. } => *line,
    };
    let Some(item) = request.items.get_mut(line) else {
        return;
    };
    match event {
        Event::ApprovalRequested { policy, .. } => {
            item.stage = Stage::AwaitingApproval;
            item.approval = Some(ItemApproval {
                policy: Arc::clone(policy),
                state: itsm_approval::State::new(),
            });
        }
        Event::Approval { event, .. } => {
            if let Some(running) = &mut item.approval {
                running.state = itsm_approval::evolve(std::mem::take(&mut running.state), event);
            }
        }
        Event::Approved { .. } | Event::FulfilmentStarted { .. } => {
            item.stage = Stage::InFulfilment;
        }
        Event::Rejected { .. } => {
            item.stage = Stage::Rejected;
            for t in &mut item.tasks {
                if !t.stage.is_terminal() {
                    t.stage = TaskStage::Canceled;
                }
            }
        }
        Event::TaskOpened { task, .. } => set_task(item, task, TaskStage::Open),
        Event::TaskStarted { task, .. } => set_task(item, task, TaskStage::InProgress),
        Event::TaskCompleted { task, .. } => set_task(item, task, TaskStage::Complete),
        Event::TaskSkipped { task, .. } => set_task(item, task, TaskStage::Skipped),
        Event::Fulfilled { .. } => item.stage = Stage::Fulfilled,
        Event::AccessGranted { .. } => {
            if let Some(a) = &mut item.access {
                a.status = AccessStatus::Active;
            }
        }
        Event::AccessExpired { task, .. } => {
            if let Some(a) = &mut item.access {
                a.status = AccessStatus::Expired;
            }
            if item.task(&task.name).is_none() {
                item.tasks.push(Task {
                    spec: task.clone(),
                    stage: TaskStage::Open,
                });
            }
        }
        Event::AccessRevoked { .. } => {
            if let Some(a) = &mut item.access {
                a.status = AccessStatus::Revoked;
            }
        }
        Event::ItemCanceled { .. } => {
            item.stage = Stage::Canceled;
            for t in &mut item.tasks {
                if !t.stage.is_terminal() {
                    t.stage = TaskStage::Canceled;
                }
            }
        }
        Event::Submitted { .. } | Event::SlaHook { .. } => {}
    }
}
