//! The escalation of one task: its state, `decide`, `evolve` and `next_deadline`.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use itsm_core::{Actor, UserId};

use crate::command::Command;
use crate::contact::{Contact, Profiles, Urgency};
use crate::error::Error;
use crate::event::Event;
use crate::policy::{Acknowledgers, Nobody, Policy, Schedules, Step, Target};

/// Where an escalation stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Status {
    /// Not triggered yet.
    #[default]
    Idle,
    /// Notifying step by step.
    Escalating,
    /// Someone took the task; nothing is sent (until the acknowledgement times out).
    Acknowledged,
    /// Every step ran out; no more notices are sent (the last notice's planned contacts
    /// still are), but the task may still be acknowledged.
    Exhausted,
    /// The task was resolved.
    Resolved,
    /// Called off.
    Canceled,
}

impl Status {
    /// Its name in messages, JSON and the state diagram.
    pub fn name(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Escalating => "escalating",
            Status::Acknowledged => "acknowledged",
            Status::Exhausted => "exhausted",
            Status::Resolved => "resolved",
            Status::Canceled => "canceled",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The escalation of one task, as its events made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct State {
    status: Status,
    step: usize,
    round: u32,
    reminder: u32,
    recipients: Vec<UserId>,
    notified: Vec<UserId>,
    next_at: Option<DateTime<Utc>>,
    acknowledged_by: Option<UserId>,
    last_at: Option<DateTime<Utc>>,
    notices: u64,
    /// The current notice's planned contacts, and how many of them were sent. Shared, so
    /// the copies `decide` makes cost nothing however long the plan; dropped once all are
    /// sent.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "no_contacts"))]
    plan: Arc<[Contact]>,
    #[cfg_attr(feature = "serde", serde(default))]
    sent: usize,
}

impl State {
    /// An escalation not triggered yet.
    pub fn new() -> Self {
        State::default()
    }

    /// Folds `events` in order ([`evolve`] each).
    pub fn apply(&mut self, events: &[Event]) {
        for e in events {
            *self = evolve(std::mem::take(self), e);
        }
    }

    /// Where it stands.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The step reached (0 before the trigger).
    pub fn step(&self) -> usize {
        self.step
    }

    /// The pass through the policy (0 the first).
    pub fn round(&self) -> u32 {
        self.round
    }

    /// Who the current step notified (empty when it found nobody).
    pub fn recipients(&self) -> &[UserId] {
        &self.recipients
    }

    /// Everyone notified so far, ordered by id.
    pub fn notified(&self) -> &[UserId] {
        &self.notified
    }

    /// Who acknowledged, while acknowledged (and after, once resolved).
    pub fn acknowledged_by(&self) -> Option<UserId> {
        self.acknowledged_by
    }

    /// Notices sent so far, reminders included, counted once per notice (not per person).
    pub fn notices(&self) -> u64 {
        self.notices
    }

    /// The instant of the last event.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// The current notice's contacts not sent yet, earliest first (empty without contact
    /// profiles, and once a later notice, an acknowledgement or the end dropped them).
    pub fn pending_contacts(&self) -> &[Contact] {
        self.plan.get(self.sent..).unwrap_or_default()
    }

    /// Drops the current notice's contacts.
    fn drop_plan(&mut self) {
        self.plan = Arc::default();
        self.sent = 0;
    }
}

#[cfg(feature = "serde")]
fn no_contacts(plan: &Arc<[Contact]>) -> bool {
    plan.is_empty()
}

/// What `decide` needs besides the state and the command: the time, who acts, the policy
/// and the schedules it reads. Nothing is read from the environment.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The current time, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command (for triggers and ticks, the system's account).
    pub actor: &'a Actor,
    /// The escalation policy.
    pub policy: &'a Policy,
    /// The schedules its targets name.
    pub schedules: &'a Schedules,
    /// Everyone's contact profiles; `None` (the default): notices only, no contacts planned.
    pub contacts: Option<&'a Profiles>,
    /// The task's urgency, for the contact rules that ask (default high).
    pub urgency: Urgency,
}

impl<'a> Context<'a> {
    /// The context of one call.
    pub const fn new(
        now: DateTime<Utc>,
        actor: &'a Actor,
        policy: &'a Policy,
        schedules: &'a Schedules,
    ) -> Self {
        Context {
            now,
            actor,
            policy,
            schedules,
            contacts: None,
            urgency: Urgency::High,
        }
    }

    /// The same context with contact profiles: each notice then plans its contacts
    /// ([`Event::ContactsPlanned`]) and sends them as they fall due ([`Event::Contacted`]).
    /// Give the same profiles on every call of one escalation, as its policy.
    #[must_use]
    pub const fn with_contacts(mut self, contacts: &'a Profiles) -> Self {
        self.contacts = Some(contacts);
        self
    }

    /// The same context for a task of `urgency`.
    #[must_use]
    pub const fn with_urgency(mut self, urgency: Urgency) -> Self {
        self.urgency = urgency;
        self
    }
}

/// A status change the rules make, and what makes it: the table `docs/oncall.md` draws,
/// checked against [`decide`] by the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The status before.
    pub from: Status,
    /// What makes the change.
    pub trigger: &'static str,
    /// The status after.
    pub to: Status,
}

const fn t(from: Status, trigger: &'static str, to: Status) -> Transition {
    Transition { from, trigger, to }
}

use Status::{Acknowledged, Canceled, Escalating, Exhausted, Idle, Resolved};

/// Every status change, written once.
pub const TRANSITIONS: &[Transition] = &[
    t(Idle, "trigger", Escalating),
    t(Escalating, "acknowledge", Acknowledged),
    t(Escalating, "last step of the last pass ran out", Exhausted),
    t(Acknowledged, "acknowledgement timed out", Escalating),
    t(Acknowledged, "escalate", Escalating),
    t(Exhausted, "escalate", Escalating),
    t(Exhausted, "acknowledge", Acknowledged),
    t(Escalating, "resolve", Resolved),
    t(Acknowledged, "resolve", Resolved),
    t(Exhausted, "resolve", Resolved),
    t(Escalating, "cancel", Canceled),
    t(Acknowledged, "cancel", Canceled),
    t(Exhausted, "cancel", Canceled),
];

/// [`TRANSITIONS`] as a Mermaid state diagram (what `docs/oncall.md` shows), one arrow per
/// pair of statuses with its triggers joined by ` / `.
///
/// ```
/// assert!(itsm_oncall::mermaid().starts_with("stateDiagram-v2\n    [*] --> idle\n    idle --> escalating : trigger\n"));
/// ```
pub fn mermaid() -> String {
    let mut arrows: Vec<(Status, Status, Vec<&str>)> = Vec::new();
    for t in TRANSITIONS {
        match arrows
            .iter_mut()
            .find(|(f, d, _)| *f == t.from && *d == t.to)
        {
            Some((_, _, triggers)) => triggers.push(t.trigger),
            None => arrows.push((t.from, t.to, vec![t.trigger])),
        }
    }
    let mut out = String::from("stateDiagram-v2\n    [*] --> idle\n");
    for (from, to, triggers) in arrows {
        out.push_str(&format!("    {from} --> {to} : {}\n", triggers.join(" / ")));
    }
    out.push_str("    resolved --> [*]\n    canceled --> [*]\n");
    out
}

/// When the host should next send [`Command::Tick`]: the next reminder, step or planned
/// contact while escalating, the end of an acknowledgement's timeout while acknowledged,
/// the next planned contact of the last notice once exhausted; `None` otherwise.
///
/// ```
/// use itsm_oncall::{State, next_deadline};
///
/// assert_eq!(next_deadline(&State::new()), None);
/// ```
pub fn next_deadline(state: &State) -> Option<DateTime<Utc>> {
    let contact = state.plan.get(state.sent).map(|c| c.due);
    match state.status {
        Escalating => match (state.next_at, contact) {
            (Some(n), Some(c)) => Some(n.min(c)),
            (n, c) => n.or(c),
        },
        Acknowledged => state.next_at,
        Exhausted => contact,
        Idle | Resolved | Canceled => None,
    }
}

/// The next planned contact, when it falls due before the next notice (at the same
/// instant the notice goes first, and a new notice drops the old contacts).
fn contact_first(state: &State) -> Option<&Contact> {
    let c = state.plan.get(state.sent)?;
    match state.status {
        Escalating => state.next_at.is_none_or(|n| c.due < n).then_some(c),
        Exhausted => Some(c),
        Idle | Acknowledged | Resolved | Canceled => None,
    }
}

/// Folds one event into the state. Never fails: events are facts `decide` produced.
pub fn evolve(mut state: State, event: &Event) -> State {
    state.last_at = Some(state.last_at.map_or(event.at(), |l| l.max(event.at())));
    match event {
        Event::Triggered { .. } => {
            state.status = Escalating;
            state.step = 0;
            state.round = 0;
            state.reminder = 0;
            state.recipients.clear();
            state.drop_plan();
        }
        Event::Escalated { step, round, .. } => {
            state.status = Escalating;
            state.step = *step;
            state.round = *round;
            state.reminder = 0;
            state.recipients.clear();
            state.acknowledged_by = None;
            state.next_at = None;
            state.drop_plan();
        }
        Event::Notified {
            reminder,
            recipients,
            next,
            ..
        } => {
            state.reminder = *reminder;
            state.recipients.clone_from(recipients);
            // One sort, not an insertion each (quadratic for a big step).
            state.notified.extend_from_slice(recipients);
            state.notified.sort_unstable();
            state.notified.dedup();
            state.notices = state.notices.saturating_add(1);
            state.next_at = Some(*next);
            state.drop_plan();
        }
        Event::ContactsPlanned { contacts, .. } => {
            state.plan = Arc::from(contacts.as_slice());
            state.sent = 0;
        }
        Event::Contacted { .. } => {
            state.sent = state.sent.saturating_add(1);
            if state.sent >= state.plan.len() {
                state.drop_plan();
            }
        }
        Event::NobodyOnCall { next, .. } => {
            state.reminder = 0;
            state.recipients.clear();
            state.next_at = Some(*next);
            state.drop_plan();
        }
        Event::Acknowledged { by, until, .. } => {
            state.status = Acknowledged;
            state.acknowledged_by = Some(*by);
            state.next_at = *until;
            state.drop_plan();
        }
        Event::AcknowledgementExpired { .. } => {
            state.status = Escalating;
            state.acknowledged_by = None;
            state.reminder = 0;
            state.recipients.clear();
            state.next_at = None;
            state.drop_plan();
        }
        Event::Exhausted { .. } => {
            state.status = Exhausted;
            state.next_at = None;
        }
        Event::Resolved { .. } => {
            state.status = Resolved;
            state.next_at = None;
            state.drop_plan();
        }
        Event::Canceled { .. } => {
            state.status = Canceled;
            state.next_at = None;
            state.drop_plan();
        }
    }
    state
}

/// Decides what a command does to the escalation: the events, or why it is refused.
///
/// Checks, in order: the policy against the schedules ([`Policy::check`]); `tick` never
/// fails for its time (before the last event it returns no events); the clock (any other
/// command earlier than the last event is refused); the status.
///
/// The rules:
/// 1. `trigger` notifies the first step's targets now: everyone they have on call, each
///    once, in order. A step whose targets have nobody on call is skipped at once (or waits
///    its time, [`Nobody::Wait`]).
/// 2. A step reminds the same recipients `reminders` times, `between_reminders` apart; the
///    next step starts `wait` after its last notice. After the last step the policy starts
///    over `repeat` times, then the escalation is exhausted.
/// 3. `acknowledge` stops notifications ([`Acknowledgers::Notified`]: only from someone
///    notified); an acknowledgement times out after `ack_timeout` and the step reached
///    starts again, notifying the one who acknowledged and whoever its targets have on
///    call then (PagerDuty). A second acknowledgement returns no events.
/// 4. `escalate` starts a step now, from escalating, acknowledged or exhausted.
/// 5. `resolve` and `cancel` end it.
///
/// Whatever falls due by `now` is sent in the same call, each at the instant it fell due.
///
/// # Errors
/// Every variant of [`Error`] a policy check or command can give; each names what was wrong
/// and what is allowed.
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    ctx.policy.check(ctx.schedules)?;
    let now = ctx.now;
    if let Command::Tick = command {
        if state.last_at.is_some_and(|last| now < last) {
            return Ok(Vec::new());
        }
        return run_due(state, ctx);
    }
    if let Some(last) = state.last_at.filter(|last| now < *last) {
        return Err(Error::ClockWentBackwards { last, now });
    }
    // What fell due before the command counts first.
    let due = run_due(state, ctx)?;
    let mut current = state.clone();
    current.apply(&due);
    let done = due.len();
    let by = ctx.actor.user;
    let mut events = due;
    match command {
        // Answered above.
        Command::Tick => {}
        Command::Trigger => {
            allowed(&current, command, &[Idle])?;
            events.push(Event::Triggered { at: now });
            events.extend(start_step(0, 0, now, None, ctx)?);
        }
        Command::Acknowledge => {
            if current.status == Acknowledged {
                return Ok(events);
            }
            allowed(&current, command, &[Escalating, Acknowledged, Exhausted])?;
            if ctx.policy.acknowledgers == Acknowledgers::Notified
                && current.notified.binary_search(&by).is_err()
            {
                return Err(Error::NotNotified { user: by });
            }
            let until = match ctx.policy.ack_timeout {
                None => None,
                Some(d) => Some(later(now, d, "the acknowledgement's timeout")?),
            };
            events.push(Event::Acknowledged { by, at: now, until });
            return Ok(events);
        }
        Command::Escalate { step } => {
            allowed(&current, command, &[Escalating, Acknowledged, Exhausted])?;
            if *step >= ctx.policy.steps.len() {
                return Err(Error::UnknownStep {
                    step: *step,
                    steps: ctx.policy.steps.len(),
                });
            }
            events.push(Event::Escalated {
                step: *step,
                round: current.round,
                by: Some(by),
                at: now,
            });
            events.extend(start_step(*step, current.round, now, None, ctx)?);
        }
        Command::Resolve => {
            allowed(&current, command, &[Escalating, Acknowledged, Exhausted])?;
            events.push(Event::Resolved { by, at: now });
            return Ok(events);
        }
        Command::Cancel { reason } => {
            allowed(&current, command, &[Escalating, Acknowledged, Exhausted])?;
            events.push(Event::Canceled {
                by,
                reason: reason.clone(),
                at: now,
            });
            return Ok(events);
        }
    }
    // A step that found nobody may be over at once (the due events are in `current`
    // already; fold in only the command's).
    current.apply(events.get(done..).unwrap_or_default());
    let more = run_due(&current, ctx)?;
    events.extend(more);
    Ok(events)
}

/// Refuses `command` unless the status is one of `allowed`.
fn allowed(state: &State, command: &Command, allowed: &[Status]) -> Result<(), Error> {
    if allowed.contains(&state.status) {
        Ok(())
    } else {
        Err(Error::NotAllowed {
            command: command.name(),
            status: state.status,
            allowed: allowed.to_vec(),
        })
    }
}

/// `at + d`, or the error naming what overflowed.
fn later(at: DateTime<Utc>, d: Duration, what: &'static str) -> Result<DateTime<Utc>, Error> {
    at.checked_add_signed(d)
        .ok_or(Error::TimeOverflow { what, at })
}

/// Everything due by `ctx.now`, in order.
fn run_due(state: &State, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let policy = ctx.policy;
    let mut events = Vec::new();
    let mut s = state.clone();
    // Each round of the loop moves a step's notice, the step or the pass on, so it ends;
    // the bound only guards against a bug.
    let steps = u64::try_from(policy.steps.len()).unwrap_or(u64::MAX);
    let bound = steps
        .saturating_mul(u64::from(crate::policy::MAX_REMINDERS) + 2)
        .saturating_mul(u64::from(policy.repeat) + 2)
        .saturating_add(8);
    let mut rounds = 0u64;
    while let Some(due) = next_deadline(&s).filter(|d| *d <= ctx.now) {
        // A contact consumes its notice's finite plan, which only a notice replaces, so
        // only notices count against the bound.
        if let Some(c) = contact_first(&s) {
            let e = Event::Contacted {
                step: s.step,
                round: s.round,
                reminder: s.reminder,
                user: c.user,
                method: c.method.clone(),
                channel: c.channel,
                rule: c.rule.clone(),
                at: c.due,
            };
            s = evolve(s, &e);
            events.push(e);
            continue;
        }
        rounds += 1;
        if rounds > bound {
            break;
        }
        let batch = match s.status {
            Acknowledged => {
                // PagerDuty: the one who acknowledged is notified again, with whoever the
                // step's targets have on call now.
                let mut b = vec![Event::AcknowledgementExpired { at: due }];
                b.extend(start_step(s.step, s.round, due, s.acknowledged_by, ctx)?);
                b
            }
            _ => advance(&s, due, ctx)?,
        };
        s.apply(&batch);
        events.extend(batch);
    }
    Ok(events)
}

/// What an escalating state does at its due instant `at`: the next reminder, else the next
/// step, else the next pass, else exhaustion.
fn advance(s: &State, at: DateTime<Utc>, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let policy = ctx.policy;
    let step = policy.steps.get(s.step).ok_or(Error::UnknownStep {
        step: s.step,
        steps: policy.steps.len(),
    })?;
    if !s.recipients.is_empty() && s.reminder < step.reminders {
        let reminder = s.reminder + 1;
        let next = after_notice(step, reminder, at)?;
        let mut out = vec![Event::Notified {
            step: s.step,
            round: s.round,
            reminder,
            recipients: s.recipients.clone(),
            at,
            next,
        }];
        let notice = (s.step, s.round, reminder);
        out.extend(planned(notice, &s.recipients, at, next, ctx)?);
        return Ok(out);
    }
    let (step, round) = if s.step + 1 < policy.steps.len() {
        (s.step + 1, s.round)
    } else if s.round < policy.repeat {
        (0, s.round + 1)
    } else {
        return Ok(vec![Event::Exhausted { at }]);
    };
    let mut out = vec![Event::Escalated {
        step,
        round,
        by: None,
        at,
    }];
    out.extend(start_step(step, round, at, None, ctx)?);
    Ok(out)
}

/// When the step is next due after its notice number `reminder` at `at`.
fn after_notice(step: &Step, reminder: u32, at: DateTime<Utc>) -> Result<DateTime<Utc>, Error> {
    if reminder < step.reminders {
        later(at, step.between_reminders, "the next reminder")
    } else {
        later(at, step.wait, "the next step")
    }
}

/// The first notice of step `index` at `at` (to `first` too, before the targets), or that
/// it found nobody.
fn start_step(
    index: usize,
    round: u32,
    at: DateTime<Utc>,
    first: Option<UserId>,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let step = ctx.policy.steps.get(index).ok_or(Error::UnknownStep {
        step: index,
        steps: ctx.policy.steps.len(),
    })?;
    let mut recipients: Vec<UserId> = first.into_iter().collect();
    for u in self::recipients(index, step, at, ctx)? {
        if first != Some(u) {
            recipients.push(u);
        }
    }
    if recipients.is_empty() {
        let next = match ctx.policy.nobody {
            Nobody::Skip => at,
            Nobody::Wait => {
                let reminders = step
                    .between_reminders
                    .checked_mul(i32::try_from(step.reminders).unwrap_or(i32::MAX))
                    .ok_or(Error::TimeOverflow {
                        what: "the step's reminders",
                        at,
                    })?;
                let end = later(at, reminders, "the step's reminders")?;
                later(end, step.wait, "the next step")?
            }
        };
        return Ok(vec![Event::NobodyOnCall {
            step: index,
            round,
            at,
            next,
        }]);
    }
    let next = after_notice(step, 0, at)?;
    let plan = planned((index, round, 0), &recipients, at, next, ctx)?;
    let mut out = vec![Event::Notified {
        step: index,
        round,
        reminder: 0,
        next,
        recipients,
        at,
    }];
    out.extend(plan);
    Ok(out)
}

/// The contacts notice `(step, round, reminder)` at `at` makes, when the context has
/// contact profiles; `next` is when the step is next due (a notice, unless this is the last
/// notice of the last step of the last pass: then exhaustion, which drops nothing).
fn planned(
    (index, round, reminder): (usize, u32, u32),
    recipients: &[UserId],
    at: DateTime<Utc>,
    next: DateTime<Utc>,
    ctx: &Context<'_>,
) -> Result<Option<Event>, Error> {
    let Some(profiles) = ctx.contacts else {
        return Ok(None);
    };
    let policy = ctx.policy;
    let step = policy.steps.get(index).ok_or(Error::UnknownStep {
        step: index,
        steps: policy.steps.len(),
    })?;
    let last = reminder >= step.reminders
        && index.saturating_add(1) >= policy.steps.len()
        && round >= policy.repeat;
    let cut = (!last).then_some(next);
    let attempt = reminder.saturating_add(1);
    let (contacts, unreachable) =
        profiles.plan(recipients, &step.channels, ctx.urgency, attempt, at, cut)?;
    Ok(Some(Event::ContactsPlanned {
        step: index,
        round,
        reminder,
        contacts,
        unreachable,
        at,
    }))
}

/// Everyone `step`'s targets have on call at `at`, each once, in order.
fn recipients(
    index: usize,
    step: &Step,
    at: DateTime<Utc>,
    ctx: &Context<'_>,
) -> Result<Vec<UserId>, Error> {
    // `Policy::check` found every schedule and roster; this only keeps the code total.
    let unknown = |schedule: &str| Error::UnknownSchedule {
        policy: ctx.policy.name.clone(),
        step: index,
        schedule: schedule.to_owned(),
    };
    // Each once, in order: a set beside the list keeps a step of many targets linear.
    let mut out: Vec<UserId> = Vec::new();
    let mut seen: std::collections::HashSet<UserId> = std::collections::HashSet::new();
    let mut add = |u: UserId| {
        if seen.insert(u) {
            out.push(u);
        }
    };
    for target in &step.targets {
        match target {
            Target::User(u) => add(*u),
            Target::Schedule(name) => {
                let schedule = ctx.schedules.get(name).ok_or_else(|| unknown(name))?;
                for e in schedule.on_call(at)? {
                    add(e.user);
                }
            }
            Target::Roster {
                schedule,
                layer,
                next,
            } => {
                let s = ctx
                    .schedules
                    .get(schedule)
                    .ok_or_else(|| unknown(schedule))?;
                let roster = s.layer_index(layer).ok_or_else(|| unknown(schedule))?;
                if let Some(e) = s.layer_on_call(roster, at, *next)? {
                    add(e.user);
                }
            }
        }
    }
    Ok(out)
}
