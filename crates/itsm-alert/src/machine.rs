//! `decide`, `evolve` and `next_deadline`.

use chrono::{DateTime, Duration, Utc};
use itsm_core::Actor;

use crate::command::Command;
use crate::error::Error;
use crate::event::{Event, IgnoreReason};
use crate::model::{
    Alert, AlertId, AlertStatus, CloseReason, Core, FlapWindow, MessageKey, Severity, Signal, State,
};
use crate::policy::{Acknowledgement, Policy};

/// What `decide` needs besides the state and the command: the time, who acts, the policy.
/// Nothing is read from the environment.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The current time, from the host's clock (for a signal: when it arrived).
    pub now: DateTime<Utc>,
    /// Who issues the command (for signals and ticks, the system's account).
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

/// A status change the rules make, and what makes it: the table `docs/alert.md` draws,
/// checked against [`decide`] by the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The status before (`None`: no alert yet).
    pub from: Option<AlertStatus>,
    /// What makes the change.
    pub trigger: &'static str,
    /// The status after.
    pub to: AlertStatus,
}

const fn t(from: Option<AlertStatus>, trigger: &'static str, to: AlertStatus) -> Transition {
    Transition { from, trigger, to }
}

use AlertStatus::{Closed, Flapping, Open, Reopened};

/// Every status change, written once.
pub const TRANSITIONS: &[Transition] = &[
    t(None, "signal", Open),
    t(Some(Open), "clear", Closed),
    t(Some(Reopened), "clear", Closed),
    t(Some(Open), "close", Closed),
    t(Some(Reopened), "close", Closed),
    t(Some(Flapping), "close", Closed),
    t(Some(Open), "stale", Closed),
    t(Some(Reopened), "stale", Closed),
    t(Some(Flapping), "stale", Closed),
    t(Some(Closed), "signal within the active interval", Reopened),
    t(Some(Closed), "reopen", Reopened),
    t(Some(Reopened), "flap count reaches the frequency", Flapping),
    t(Some(Flapping), "quiet, last signal a clear", Closed),
    t(Some(Flapping), "quiet, last signal not a clear", Reopened),
];

/// [`TRANSITIONS`] as a Mermaid state diagram (what `docs/alert.md` shows), one arrow per
/// pair of statuses with its triggers joined by ` / `.
///
/// ```
/// let diagram = itsm_alert::mermaid();
/// assert!(diagram.starts_with("stateDiagram-v2\n    [*] --> open : signal\n"));
/// ```
pub fn mermaid() -> String {
    let mut arrows: Vec<(String, String, Vec<&str>)> = Vec::new();
    for t in TRANSITIONS {
        let from = t.from.map_or("[*]".to_owned(), |s| s.name().to_owned());
        let to = t.to.name().to_owned();
        match arrows.iter_mut().find(|(f, d, _)| *f == from && *d == to) {
            Some((_, _, triggers)) => triggers.push(t.trigger),
            None => arrows.push((from, to, vec![t.trigger])),
        }
    }
    let mut out = String::from("stateDiagram-v2\n");
    for (from, to, triggers) in arrows {
        out.push_str(&format!("    {from} --> {to} : {}\n", triggers.join(" / ")));
    }
    out
}

/// When the host should next send [`Command::Tick`]: the earliest instant at which a
/// flapping alert has been quiet long enough, an active alert goes stale, or an incident
/// falls due. `None` when nothing is pending. Time: one pass over the active alerts.
///
/// ```
/// use itsm_alert::{Policy, State, next_deadline};
///
/// assert_eq!(next_deadline(&State::new(), &Policy::servicenow()), None);
/// ```
pub fn next_deadline(state: &State, policy: &Policy) -> Option<DateTime<Utc>> {
    let due = state
        .alerts
        .values()
        .filter(|a| a.status.is_active())
        .flat_map(|a| due(&a.core(), policy))
        .flatten()
        .min()?;
    // Never before the last event: a tick there would do nothing, and a host that ticks at
    // the deadline would wait forever.
    Some(state.last_at.map_or(due, |last| due.max(last)))
}

/// How long a flapping alert must be quiet (none under a policy without flapping: an alert
/// left flapping by a policy change stops at the next signal or tick).
fn quiet(policy: &Policy) -> Duration {
    policy.flapping.map_or(Duration::zero(), |f| f.quiet)
}

/// When a flapping alert's quiet time ends.
fn quiet_due(alert: &Core, policy: &Policy) -> Option<DateTime<Utc>> {
    match (alert.status, alert.flap) {
        (Flapping, Some(w)) => w.last_update.checked_add_signed(quiet(policy)),
        _ => None,
    }
}

/// The instants at which a tick would change `alert`: quiet flapping, staleness (counted
/// from its last signal or its reopening, whichever is later), an incident.
fn due(alert: &Core, policy: &Policy) -> [Option<DateTime<Utc>>; 3] {
    let quiet = quiet_due(alert, policy);
    let stale = policy.close_stale_after.and_then(|d| {
        alert
            .last_signal_at
            .max(alert.active_since)
            .checked_add_signed(d)
    });
    let incident = policy
        .incident
        .filter(|_| !alert.incident_requested)
        .and_then(|rule| {
            let since = alert
                .at_least_since
                .get(rule.min_severity.rank())
                .copied()
                .flatten()?;
            since.checked_add_signed(rule.after)
        });
    [quiet, stale, incident]
}

/// Decides what a command does to the board: the events, or why it is refused.
///
/// Checks, in order: the policy ([`Policy::check`]); `tick` never fails (before the last
/// event it returns no events); the clock (any other command earlier than the last event
/// is refused); for operator commands the permission, then the alert and its status.
///
/// A signal, by ServiceNow's rules (Alerta's as the policy's options):
/// 1. its key is the tool's message key, or made from its fields ([`Signal::message_key`]);
/// 2. a flapping alert quiet for the policy's time stops flapping first;
/// 3. for an active alert: a clear closes it (a flapping alert only records it); the same
///    severity, description and configuration item (when the signal names one) within the
///    repeat window is a repeat; anything else updates it (and, under
///    [`Acknowledgement::UndoneByEscalation`], a more severe one takes an acknowledgement
///    back);
/// 4. for a closed alert: a clear is ignored (and said so); another signal reopens it if it
///    came within the active interval of the alert's last update (counting a flap, which
///    may start flapping), else opens a new alert;
/// 5. without an alert: a clear is ignored, another signal opens one;
/// 6. then the incident rule: an alert at least its severity without a break for its time
///    asks for an incident, once per active stretch.
///
/// Acknowledging an acknowledged alert returns no events.
///
/// # Errors
/// Every variant of [`Error`]; each names what was wrong and what is allowed.
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    ctx.policy.check()?;
    let now = ctx.now;
    if let Command::Tick = command {
        return Ok(tick(state, ctx));
    }
    if let Some(last) = state.last_at.filter(|last| now < *last) {
        return Err(Error::ClockWentBackwards { last, now });
    }
    match command {
        Command::Ingest { signal, new_alert } => ingest(state, signal, *new_alert, ctx),
        Command::Acknowledge { alert } => {
            let a = operator(state, command, *alert, ctx, &[Open, Reopened, Flapping])?;
            if a.acknowledged {
                return Ok(Vec::new());
            }
            Ok(vec![Event::Acknowledged {
                alert: a.id,
                by: ctx.actor.user,
                at: now,
            }])
        }
        Command::Close { alert } => {
            let a = operator(state, command, *alert, ctx, &[Open, Reopened, Flapping])?;
            Ok(vec![Event::Closed {
                alert: a.id,
                reason: CloseReason::Operator,
                by: Some(ctx.actor.user),
                at: now,
            }])
        }
        Command::Reopen { alert } => {
            let a = operator(state, command, *alert, ctx, &[Closed])?;
            if let Some(&latest) = state.latest.get(&a.key).filter(|l| **l != a.id) {
                return Err(Error::Superseded {
                    alert: a.id,
                    latest,
                });
            }
            let reopened = Event::Reopened {
                alert: a.id,
                by: Some(ctx.actor.user),
                severity: a.severity,
                description: a.description.clone(),
                ci: None,
                flap: None,
                at: now,
            };
            let mut after = a.core();
            apply_core(&mut after, &reopened);
            let mut events = vec![reopened];
            incident(&after, &mut events, ctx);
            Ok(events)
        }
        Command::Tick => Ok(tick(state, ctx)),
    }
}

/// The alert an operator command is about, after the permission and status checks.
fn operator<'s>(
    state: &'s State,
    command: &Command,
    id: AlertId,
    ctx: &Context<'_>,
    allowed: &[AlertStatus],
) -> Result<&'s Alert, Error> {
    let name = command.name();
    ctx.policy
        .permissions
        .check(name, ctx.actor)
        .map_err(|reason| Error::Denied {
            command: name,
            reason,
        })?;
    let alert = state
        .alerts
        .get(&id)
        .ok_or(Error::UnknownAlert { alert: id })?;
    if !allowed.contains(&alert.status) {
        return Err(Error::NotAllowed {
            command: name,
            alert: id,
            status: alert.status,
            allowed: allowed.to_vec(),
        });
    }
    Ok(alert)
}

fn ingest(
    state: &State,
    signal: &Signal,
    new_alert: AlertId,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    use crate::model::Severity::Clear;
    let now = ctx.now;
    let policy = ctx.policy;
    // The tool's key is looked up as it is; a key made from the fields is built once.
    let made;
    let key: &str = if signal.message_key.is_empty() {
        made = signal.message_key();
        made.as_str()
    } else {
        &signal.message_key
    };
    let owned = || MessageKey(key.to_owned());
    if signal.message_key.is_empty()
        && [
            &signal.source,
            &signal.kind,
            &signal.node,
            &signal.resource,
            &signal.metric,
        ]
        .iter()
        .all(|f| f.is_empty())
    {
        return Err(Error::EmptyKey);
    }
    let mut events = Vec::new();
    let Some(existing) = state.latest.get(key).and_then(|id| state.alerts.get(id)) else {
        if signal.severity == Clear {
            return Ok(vec![Event::Ignored {
                key: owned(),
                reason: IgnoreReason::NothingToClear,
                at: now,
            }]);
        }
        return open(state, signal, new_alert, owned(), ctx);
    };
    // A working copy of the plain values, so that each step sees the steps before it (the
    // strings are read from the alert itself: no step before the signal's own changes them).
    let mut alert = existing.core();
    let id = alert.id;
    let mut push = |alert: &mut Core, event: Event| {
        apply_core(alert, &event);
        events.push(event);
    };

    if let Some(event) = quiet_end(&alert, policy, now) {
        push(&mut alert, event);
    }

    if alert.status.is_active() {
        if signal.severity == Clear && alert.status != Flapping {
            push(
                &mut alert,
                Event::Closed {
                    alert: id,
                    reason: CloseReason::Cleared,
                    by: None,
                    at: now,
                },
            );
        } else if signal.severity == alert.last_severity()
            && signal.description == existing.description
            && (signal.ci.is_none() || signal.ci == existing.ci)
            && now.signed_duration_since(alert.updated_at) < policy.repeat_window
        {
            push(&mut alert, Event::Repeated { alert: id, at: now });
        } else {
            let escalated = signal.severity > alert.severity;
            push(
                &mut alert,
                Event::Updated {
                    alert: id,
                    severity: signal.severity,
                    description: signal.description.clone(),
                    ci: signal.ci.clone(),
                    at: now,
                },
            );
            if escalated
                && alert.acknowledged
                && policy.acknowledgement == Acknowledgement::UndoneByEscalation
            {
                push(
                    &mut alert,
                    Event::AcknowledgementUndone { alert: id, at: now },
                );
            }
        }
    } else if signal.severity == Clear {
        push(
            &mut alert,
            Event::Ignored {
                key: owned(),
                reason: IgnoreReason::NothingToClear,
                at: now,
            },
        );
    } else {
        let within = match policy.active_interval {
            None => true,
            Some(interval) => now.signed_duration_since(alert.updated_at) <= interval,
        };
        if !within {
            return open(state, signal, new_alert, owned(), ctx);
        }
        let flap = policy.flapping.map(|f| match alert.flap {
            Some(w) if now.signed_duration_since(w.start) <= f.interval => FlapWindow {
                start: w.start,
                count: w.count.saturating_add(1),
                last_update: now,
            },
            _ => FlapWindow {
                start: now,
                count: 1,
                last_update: now,
            },
        });
        push(
            &mut alert,
            Event::Reopened {
                alert: id,
                by: None,
                severity: signal.severity,
                description: signal.description.clone(),
                ci: signal.ci.clone(),
                flap,
                at: now,
            },
        );
        if let (Some(f), Some(w)) = (policy.flapping, flap) {
            if w.count >= f.frequency {
                push(
                    &mut alert,
                    Event::FlappingStarted {
                        alert: id,
                        count: w.count,
                        at: now,
                    },
                );
            }
        }
    }
    incident(&alert, &mut events, ctx);
    Ok(events)
}

/// A signal opens a new alert under `new_alert`.
fn open(
    state: &State,
    signal: &Signal,
    new_alert: AlertId,
    key: MessageKey,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    if state.alerts.contains_key(&new_alert) {
        return Err(Error::AlertIdInUse { alert: new_alert });
    }
    let opened = Event::Opened {
        alert: new_alert,
        key,
        severity: signal.severity,
        description: signal.description.clone(),
        ci: signal.ci.clone(),
        at: ctx.now,
    };
    let mut alert = Core::new(new_alert, ctx.now);
    apply_core(&mut alert, &opened);
    let mut events = vec![opened];
    incident(&alert, &mut events, ctx);
    Ok(events)
}

/// Asks for an incident if `alert`, as the events so far leave it, falls under the rule.
fn incident(alert: &Core, events: &mut Vec<Event>, ctx: &Context<'_>) {
    if !alert.status.is_active() {
        return;
    }
    let [_, _, due] = due(alert, ctx.policy);
    if due.is_some_and(|due| due <= ctx.now) {
        events.push(Event::IncidentRequested {
            alert: alert.id,
            severity: alert.severity,
            at: ctx.now,
        });
    }
}

/// Flapping that went quiet ends, stale alerts close, incidents fall due.
fn tick(state: &State, ctx: &Context<'_>) -> Vec<Event> {
    let now = ctx.now;
    let policy = ctx.policy;
    if state.last_at.is_some_and(|last| now < last) {
        return Vec::new();
    }
    let mut events = Vec::new();
    for alert in state.active() {
        let mut alert = alert.core();
        let [_, stale, _] = due(&alert, policy);
        if let Some(event) = quiet_end(&alert, policy, now) {
            apply_core(&mut alert, &event);
            events.push(event);
        }
        if alert.status.is_active() && stale.is_some_and(|s| s <= now) {
            let event = Event::Closed {
                alert: alert.id,
                reason: CloseReason::Stale,
                by: None,
                at: now,
            };
            apply_core(&mut alert, &event);
            events.push(event);
        }
        incident(&alert, &mut events, ctx);
    }
    events
}

/// The end of a flapping alert's quiet time, if it has come by `now`: closed if its last
/// signal was a clear, reopened otherwise. One rule for a signal and a tick.
fn quiet_end(alert: &Core, policy: &Policy, now: DateTime<Utc>) -> Option<Event> {
    quiet_due(alert, policy).filter(|q| *q <= now)?;
    Some(Event::FlappingEnded {
        alert: alert.id,
        status: if alert.cleared { Closed } else { Reopened },
        at: now,
    })
}

/// Folds one event into the board. Total: an event about an unknown alert (other than
/// `opened`) changes only the board's last instant.
///
/// ```
/// use itsm_alert::chrono::{TimeZone, Utc};
/// use itsm_alert::{AlertId, Event, MessageKey, Severity, State, evolve};
///
/// let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let opened = Event::Opened {
///     alert: AlertId::from_u128(1),
///     key: MessageKey("db-1 disk".into()),
///     severity: Severity::Major,
///     description: "disk 95% full".into(),
///     ci: None,
///     at,
/// };
/// let state = evolve(State::new(), &opened);
/// assert_eq!(state.active().count(), 1);
/// ```
pub fn evolve(mut state: State, event: &Event) -> State {
    apply(&mut state, event);
    state
}

pub(crate) fn apply(state: &mut State, event: &Event) {
    state.last_at = Some(state.last_at.map_or(event.at(), |l| l.max(event.at())));
    match event {
        Event::Opened { alert, key, at, .. } => {
            let mut new = Alert::new(Core::new(*alert, *at), key.clone());
            apply_to(&mut new, event);
            state.latest.insert(key.clone(), *alert);
            state.alerts.insert(*alert, new);
        }
        Event::Ignored { .. } => {}
        _ => {
            if let Some(a) = event.alert().and_then(|id| state.alerts.get_mut(&id)) {
                apply_to(a, event);
            }
        }
    }
}

/// One event's effect on its alert: the plain values ([`apply_core`]), then the strings.
fn apply_to(alert: &mut Alert, event: &Event) {
    let mut core = alert.core();
    apply_core(&mut core, event);
    alert.set_core(core);
    match event {
        Event::Opened {
            description, ci, ..
        } => {
            alert.description.clone_from(description);
            alert.ci.clone_from(ci);
        }
        Event::Updated {
            description, ci, ..
        } => {
            alert.description.clone_from(description);
            if ci.is_some() {
                alert.ci.clone_from(ci);
            }
        }
        Event::Reopened {
            by,
            description,
            ci,
            ..
        } => {
            alert.description.clone_from(description);
            if by.is_none() && ci.is_some() {
                alert.ci.clone_from(ci);
            }
        }
        _ => {}
    }
}

/// One event's effect on an alert's plain values: the one place the rules of `evolve` live
/// (`decide` applies it to copies, to see each step's result).
fn apply_core(alert: &mut Core, event: &Event) {
    let flapping_signal = |alert: &mut Core, at: DateTime<Utc>| {
        if alert.status == Flapping {
            if let Some(w) = alert.flap.as_mut() {
                w.last_update = at;
            }
        }
    };
    match event {
        Event::Opened { severity, at, .. } => {
            alert.status = Open;
            alert.signals = 1;
            alert.opened_at = *at;
            alert.updated_at = *at;
            alert.last_signal_at = *at;
            alert.active_since = *at;
            alert.at_least_since = [None; 6];
            set_severity(alert, *severity, *at);
        }
        Event::Updated { severity, at, .. } => {
            set_severity(alert, *severity, *at);
            alert.signals = alert.signals.saturating_add(1);
            alert.updated_at = *at;
            alert.last_signal_at = *at;
            flapping_signal(alert, *at);
        }
        Event::Repeated { at, .. } => {
            alert.signals = alert.signals.saturating_add(1);
            alert.repeats = alert.repeats.saturating_add(1);
            alert.last_signal_at = *at;
            flapping_signal(alert, *at);
        }
        Event::Reopened {
            by,
            severity,
            flap,
            at,
            ..
        } => {
            alert.status = Reopened;
            alert.closed = None;
            alert.reopens = alert.reopens.saturating_add(1);
            alert.active_since = *at;
            alert.updated_at = *at;
            alert.incident_requested = false;
            alert.acknowledged = false;
            alert.at_least_since = [None; 6];
            set_severity(alert, *severity, *at);
            if by.is_none() {
                alert.signals = alert.signals.saturating_add(1);
                alert.last_signal_at = *at;
            }
            if flap.is_some() {
                alert.flap = *flap;
            }
        }
        Event::Closed { reason, at, .. } => {
            alert.status = Closed;
            alert.closed = Some((*at, *reason));
            alert.updated_at = *at;
            alert.acknowledged = false;
            alert.at_least_since = [None; 6];
            if *reason == CloseReason::Cleared {
                // The clear is a signal the alert took.
                alert.cleared = true;
                alert.signals = alert.signals.saturating_add(1);
                alert.last_signal_at = *at;
            }
        }
        Event::FlappingStarted { at, .. } => {
            alert.status = Flapping;
            alert.updated_at = *at;
            if let Some(w) = alert.flap.as_mut() {
                w.last_update = *at;
            }
        }
        Event::FlappingEnded { status, at, .. } => {
            alert.status = *status;
            alert.updated_at = *at;
            // Counting starts afresh: the reopening that follows quiet is a new issue.
            alert.flap = None;
            if *status == Closed {
                alert.closed = Some((*at, CloseReason::Cleared));
                alert.acknowledged = false;
                alert.at_least_since = [None; 6];
            }
        }
        Event::Acknowledged { at, .. } => {
            alert.acknowledged = true;
            alert.updated_at = *at;
        }
        Event::AcknowledgementUndone { .. } => alert.acknowledged = false,
        Event::IncidentRequested { .. } => alert.incident_requested = true,
        Event::Ignored { .. } => {}
    }
}

/// A signal's severity: a clear is only recorded (the alert keeps the severity before it);
/// any other sets the severity and, per level, since when the alert has been at least that
/// severe.
fn set_severity(alert: &mut Core, severity: Severity, at: DateTime<Utc>) {
    if severity == Severity::Clear {
        alert.cleared = true;
        alert.at_least_since = [None; 6];
        return;
    }
    alert.cleared = false;
    alert.severity = severity;
    for (rank, since) in alert.at_least_since.iter_mut().enumerate() {
        if rank <= severity.rank() {
            since.get_or_insert(at);
        } else {
            *since = None;
        }
    }
}
