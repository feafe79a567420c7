//! Clocks, events, `decide`, `evolve`, `next_deadline`, measures, replay, counterfactuals.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use itsm_calendar::Calendar;

use crate::definition::{Definition, PauseMode, ReopenMode, Selection, Target, TicketView};
use crate::error::Error;

/// A ticket's views in time order.
pub type Timeline = Vec<(DateTime<Utc>, TicketView)>;

/// Compiled calendars by name, as definitions refer to them.
pub type Calendars = BTreeMap<String, Calendar>;

/// A checked list of definitions with the rule for several matching at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definitions {
    list: Vec<Definition>,
    selection: Selection,
}

impl Definitions {
    /// Checks and keeps the definitions, in order.
    ///
    /// # Errors
    /// [`Error::DuplicateDefinition`], [`Error::NonPositiveTarget`], [`Error::TargetTooLong`].
    pub fn new(list: Vec<Definition>, selection: Selection) -> Result<Self, Error> {
        let mut ids = std::collections::BTreeSet::new();
        for d in &list {
            if !ids.insert(d.id.as_str()) {
                return Err(Error::DuplicateDefinition { id: d.id.clone() });
            }
            if d.target_seconds <= 0 {
                return Err(Error::NonPositiveTarget {
                    id: d.id.clone(),
                    seconds: d.target_seconds,
                });
            }
            if d.target_seconds > MAX_TARGET_SECONDS {
                return Err(Error::TargetTooLong {
                    id: d.id.clone(),
                    seconds: d.target_seconds,
                    max: MAX_TARGET_SECONDS,
                });
            }
        }
        Ok(Definitions { list, selection })
    }

    /// The definitions, in order.
    pub fn list(&self) -> &[Definition] {
        &self.list
    }

    /// The selection rule.
    pub fn selection(&self) -> Selection {
        self.selection
    }

    fn get(&self, id: &str) -> Option<&Definition> {
        self.list.iter().find(|d| d.id == id)
    }
}

/// What the clock is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Stage {
    /// Running.
    InProgress,
    /// Paused or frozen.
    Paused,
    /// Stopped by the stop condition (or by a reset).
    Completed,
    /// Cancelled.
    Cancelled,
}

/// Something due at an instant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", content = "value", rename_all = "snake_case")
)]
pub enum AlarmKind {
    /// A warning threshold, in percent.
    Threshold(u16),
    /// The deadline.
    Breach,
    /// An escalation, by name.
    Escalation(String),
}

/// An alarm still to fire.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Alarm {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: AlarmKind,
}

/// One SLA clock on one ticket. Durations are in nanoseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Clock {
    /// The definition's id.
    pub definition: String,
    /// What it measures.
    pub target: Target,
    /// 1 for the first clock of this definition on the ticket, then 2, ...
    pub cycle: u32,
    /// Its stage.
    pub stage: Stage,
    /// Whether the deadline has passed while it ran.
    pub breached: bool,
    /// When it attached.
    pub attached_at: DateTime<Utc>,
    /// When it counts from (earlier than `attached_at` for a retroactive start).
    pub start: DateTime<Utc>,
    /// The deadline as first computed, never moved.
    pub original_deadline: DateTime<Utc>,
    /// The deadline now (moved out by pauses in [`PauseMode::Pause`]).
    pub deadline: DateTime<Utc>,
    /// Since when it is paused, if it is. A clock that completes or is cancelled while paused
    /// keeps it: its last pause runs to `ended_at` (and, after a reopen, on to the reopen).
    pub paused_since: Option<DateTime<Utc>>,
    /// Paused business time so far (completed pauses).
    pub paused_business_ns: i64,
    /// Paused wall time so far (completed pauses).
    pub paused_actual_ns: i64,
    /// When it completed or was cancelled.
    pub ended_at: Option<DateTime<Utc>>,
    /// Alarms still to fire, earliest first.
    pub alarms: Vec<Alarm>,
}

impl Clock {
    fn running(&self) -> bool {
        matches!(self.stage, Stage::InProgress | Stage::Paused)
    }
}

/// Everything that happens to a ticket's SLA clocks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum Event {
    /// A clock attached.
    Attached {
        /// The clock as it starts.
        clock: Box<Clock>,
    },
    /// A clock paused (or froze).
    Paused {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// A clock resumed, or a completed one continued after a reopen.
    Resumed {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
        /// Whether this continues a completed clock after a reopen.
        reopened: bool,
        /// Paused business time in total.
        paused_business_ns: i64,
        /// Paused wall time in total.
        paused_actual_ns: i64,
        /// The deadline now.
        deadline: DateTime<Utc>,
        /// The alarms still to fire, recomputed.
        alarms: Vec<Alarm>,
    },
    /// A warning threshold was reached.
    ThresholdReached {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// The threshold.
        percent: u16,
        /// When it was reached.
        at: DateTime<Utc>,
    },
    /// The deadline passed.
    Breached {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// The deadline.
        at: DateTime<Utc>,
    },
    /// An escalation fell due.
    EscalationDue {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// The escalation's name.
        name: String,
        /// When it fell due.
        at: DateTime<Utc>,
    },
    /// The stop condition (or a reset) completed the clock.
    Completed {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
        /// Whether it ended breached.
        breached: bool,
    },
    /// The clock was cancelled.
    Cancelled {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
    },
}

/// What happens at an instant: the ticket changed, or time passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The ticket as it is now.
    Update(TicketView),
    /// Time passed (send it at [`next_deadline`]); alone it never attaches or stops clocks.
    Tick,
}

/// All SLA clocks of one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Clocks {
    clocks: Vec<Clock>,
    last: Option<DateTime<Utc>>,
}

impl Clocks {
    /// No clocks yet.
    pub fn new() -> Self {
        Clocks::default()
    }

    /// Every clock, in attach order.
    pub fn clocks(&self) -> &[Clock] {
        &self.clocks
    }

    /// The latest instant of the events folded in: [`decide`] refuses inputs before it. The
    /// clocks are a pure fold of their events, so an input that changed nothing leaves no
    /// trace here; a host that must refuse such inputs too keeps their times itself (as
    /// [`replay`] does).
    pub fn last_input(&self) -> Option<DateTime<Utc>> {
        self.last
    }

    fn latest(&self, definition: &str) -> Option<&Clock> {
        self.clocks
            .iter()
            .rev()
            .find(|c| c.definition == definition)
    }

    fn latest_mut(&mut self, definition: &str, cycle: u32) -> Option<&mut Clock> {
        self.clocks
            .iter_mut()
            .rev()
            .find(|c| c.definition == definition && c.cycle == cycle)
    }
}

/// What `decide` needs: the time, the definitions and the calendars.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Now, from the host's clock (or the log's timestamp in a replay).
    pub now: DateTime<Utc>,
    /// The definitions.
    pub definitions: &'a Definitions,
    /// The calendars they name.
    pub calendars: &'a Calendars,
}

/// Business-time arithmetic for one definition: its calendar, or wall time.
struct Time<'a> {
    id: &'a str,
    calendar: Option<&'a Calendar>,
}

impl<'a> Time<'a> {
    fn of(def: &'a Definition, calendars: &'a Calendars) -> Result<Self, Error> {
        let calendar = match &def.calendar {
            None => None,
            Some(name) => Some(calendars.get(name).ok_or_else(|| Error::UnknownCalendar {
                id: def.id.clone(),
                calendar: name.clone(),
                known: calendars.keys().cloned().collect(),
            })?),
        };
        Ok(Time {
            id: &def.id,
            calendar,
        })
    }

    fn cal_err(&self, source: itsm_calendar::Error) -> Error {
        Error::Calendar {
            id: self.id.to_owned(),
            source,
        }
    }

    fn add(&self, t: DateTime<Utc>, ns: i64) -> Result<DateTime<Utc>, Error> {
        let d = Duration::nanoseconds(ns);
        match self.calendar {
            Some(c) => c.add(&t, d).map_err(|e| self.cal_err(e)),
            None => t.checked_add_signed(d).ok_or(Error::Overflow {
                id: self.id.to_owned(),
                what: "a deadline",
            }),
        }
    }

    fn between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<i64, Error> {
        let d = match self.calendar {
            Some(c) => c.duration(&a, &b).map_err(|e| self.cal_err(e))?,
            None => b - a,
        };
        d.num_nanoseconds().ok_or(Error::Overflow {
            id: self.id.to_owned(),
            what: "a duration",
        })
    }
}

/// The longest target: 200 years, so every target fits in nanoseconds with room for pauses.
pub const MAX_TARGET_SECONDS: i64 = 200 * 366 * 86_400;

fn target_ns(def: &Definition) -> i64 {
    // `Definitions::new` bounds the target, so this never saturates in practice.
    def.target_seconds.saturating_mul(1_000_000_000)
}

/// The deadline and the alarms still to fire, for a clock that has been paused
/// `paused_ns` of business time, keeping only the alarm kinds in `keep` (all when `None`).
fn schedule(
    def: &Definition,
    time: &Time<'_>,
    start: DateTime<Utc>,
    paused_ns: i64,
    keep: Option<&[Alarm]>,
) -> Result<(DateTime<Utc>, Vec<Alarm>), Error> {
    let target = target_ns(def);
    let over = |what| Error::Overflow {
        id: def.id.clone(),
        what,
    };
    let deadline = time.add(
        start,
        target.checked_add(paused_ns).ok_or(over("a deadline"))?,
    )?;
    let wanted = |kind: &AlarmKind| keep.is_none_or(|k| k.iter().any(|a| &a.kind == kind));
    let mut alarms = Vec::new();
    for p in &def.thresholds {
        let kind = AlarmKind::Threshold(*p);
        if *p == 0 || *p == 100 || !wanted(&kind) {
            continue;
        }
        let part = i64::try_from(i128::from(target) * i128::from(*p) / 100)
            .map_err(|_| over("a threshold"))?;
        let at = time.add(
            start,
            part.checked_add(paused_ns).ok_or(over("a threshold"))?,
        )?;
        alarms.push(Alarm { at, kind });
    }
    if wanted(&AlarmKind::Breach) {
        alarms.push(Alarm {
            at: deadline,
            kind: AlarmKind::Breach,
        });
    }
    for e in &def.escalations {
        let kind = AlarmKind::Escalation(e.name.clone());
        if !wanted(&kind) {
            continue;
        }
        let offset = e
            .offset_seconds
            .checked_mul(1_000_000_000)
            .ok_or(over("an escalation"))?;
        let at = time.add(deadline, offset)?;
        alarms.push(Alarm { at, kind });
    }
    alarms.sort();
    Ok((deadline, alarms))
}

/// The earliest instant at which a [`Input::Tick`] has something to do: the next threshold,
/// breach or escalation of a running, unpaused clock. `None` when nothing is pending.
pub fn next_deadline(state: &Clocks) -> Option<DateTime<Utc>> {
    state
        .clocks
        .iter()
        .filter(|c| c.stage == Stage::InProgress)
        .filter_map(|c| c.alarms.first().map(|a| a.at))
        .min()
}

/// Fires, in time order, every alarm due at or before `now`.
fn fire_due(sim: &mut Clocks, events: &mut Vec<Event>, now: DateTime<Utc>) {
    loop {
        // Only the latest clock of a (definition, cycle) pair is live: `apply` acts on that
        // one, so an older twin (possible in a hand-made event log) must not be chosen.
        let clocks = &sim.clocks;
        let due = clocks
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                !clocks
                    .iter()
                    .skip(i + 1)
                    .any(|d| d.definition == c.definition && d.cycle == c.cycle)
            })
            .map(|(_, c)| c)
            .filter(|c| c.stage == Stage::InProgress)
            .filter_map(|c| {
                c.alarms
                    .first()
                    .map(|a| (a.clone(), c.definition.clone(), c.cycle))
            })
            .filter(|(a, _, _)| a.at <= now)
            .min();
        let Some((alarm, definition, cycle)) = due else {
            return;
        };
        let event = match alarm.kind {
            AlarmKind::Threshold(percent) => Event::ThresholdReached {
                definition,
                cycle,
                percent,
                at: alarm.at,
            },
            AlarmKind::Breach => Event::Breached {
                definition,
                cycle,
                at: alarm.at,
            },
            AlarmKind::Escalation(name) => Event::EscalationDue {
                definition,
                cycle,
                name,
                at: alarm.at,
            },
        };
        apply(sim, &event);
        events.push(event);
    }
}

fn push(sim: &mut Clocks, events: &mut Vec<Event>, event: Event) {
    apply(sim, &event);
    events.push(event);
}

/// Decides what an input does to a ticket's clocks: the events, in order.
///
/// First every alarm due by `now` fires (thresholds, breach, escalations, each at its own
/// instant). Then, for an update, each definition is evaluated in ServiceNow's documented
/// order. A ticket with no running clock of a definition: start and not stop attaches one
/// (start and stop both true attach nothing; after a completed clock, what attaches is the
/// definition's [`ReopenMode`]). A running clock: stop completes it; reset with start
/// completes it and attaches a new cycle; cancel (by default: start no longer true) cancels
/// it; pause pauses it; resume (by default: pause no longer true) resumes it. When several
/// definitions of the same target kind would attach at once, [`Selection`] chooses. A clock
/// that attaches (or continues after a reopen) while the pause condition holds is paused at
/// once. A retroactive start applies unless the definition's previous clock on the ticket
/// completed (a reset or a reopen in [`ReopenMode::NewCycle`] counts from now: the new cycle
/// must not re-count the old one).
///
/// # Errors
/// [`Error::ClockWentBackwards`] when `now` is before the latest event folded into `state`
/// ([`Clocks::last_input`]);
/// [`Error::UnknownCalendar`] or [`Error::Calendar`] when a deadline cannot be computed.
pub fn decide(state: &Clocks, input: &Input, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let now = ctx.now;
    if let Some(last) = state.last {
        if now < last {
            return Err(Error::ClockWentBackwards { last, now });
        }
    }
    let mut sim = state.clone();
    let mut events = Vec::new();
    fire_due(&mut sim, &mut events, now);
    let Input::Update(view) = input else {
        return Ok(events);
    };
    let mut candidates: Vec<&Definition> = Vec::new();
    // Definitions whose clock starts running in this update (attached or reopened).
    let mut started: Vec<&Definition> = Vec::new();
    for def in ctx.definitions.list() {
        let time = Time::of(def, ctx.calendars)?;
        let latest = sim.latest(&def.id).cloned();
        match latest {
            Some(clock) if clock.running() => {
                let (definition, cycle) = (def.id.clone(), clock.cycle);
                if def.stop.eval(view) {
                    let frozen_late = clock.stage == Stage::Paused
                        && def.pause_mode == PauseMode::Freeze
                        && now >= clock.deadline;
                    let breached = clock.breached || frozen_late;
                    push(
                        &mut sim,
                        &mut events,
                        Event::Completed {
                            definition,
                            cycle,
                            at: now,
                            breached,
                        },
                    );
                } else if def.reset.eval(view) && def.start.eval(view) {
                    let breached = clock.breached
                        || (clock.stage == Stage::Paused
                            && def.pause_mode == PauseMode::Freeze
                            && now >= clock.deadline);
                    push(
                        &mut sim,
                        &mut events,
                        Event::Completed {
                            definition,
                            cycle,
                            at: now,
                            breached,
                        },
                    );
                    candidates.push(def);
                } else if def.cancels(view) {
                    push(
                        &mut sim,
                        &mut events,
                        Event::Cancelled {
                            definition,
                            cycle,
                            at: now,
                        },
                    );
                } else if clock.stage == Stage::Paused && def.resumes(view) {
                    let since = clock.paused_since.unwrap_or(now);
                    let moves = def.pause_mode == PauseMode::Pause;
                    let event = resume(def, &time, &clock, &[(since, now, moves)], now, false)?;
                    push(&mut sim, &mut events, event);
                } else if clock.stage == Stage::InProgress
                    && def.pause_mode != PauseMode::None
                    && def.pause.eval(view)
                {
                    push(
                        &mut sim,
                        &mut events,
                        Event::Paused {
                            definition,
                            cycle,
                            at: now,
                        },
                    );
                }
            }
            latest => {
                if def.start.eval(view) && !def.stop.eval(view) {
                    match latest {
                        Some(clock)
                            if clock.stage == Stage::Completed
                                && def.reopen != ReopenMode::NewCycle =>
                        {
                            let ended = clock.ended_at.unwrap_or(now);
                            // A clock completed while paused: that pause ran to the end.
                            let mut pauses: Vec<(DateTime<Utc>, DateTime<Utc>, bool)> = clock
                                .paused_since
                                .map(|since| (since, ended, def.pause_mode == PauseMode::Pause))
                                .into_iter()
                                .collect();
                            if def.reopen == ReopenMode::PauseWhileResolved {
                                pauses.push((ended, now, true));
                            }
                            let event = resume(def, &time, &clock, &pauses, now, true)?;
                            push(&mut sim, &mut events, event);
                            started.push(def);
                        }
                        _ => candidates.push(def),
                    }
                }
            }
        }
    }
    for def in select(&candidates, ctx.definitions.selection(), &sim) {
        let time = Time::of(def, ctx.calendars)?;
        let after_completed = sim
            .latest(&def.id)
            .is_some_and(|c| c.stage == Stage::Completed);
        let start = def
            .retroactive_start
            .as_ref()
            .filter(|_| !after_completed)
            .and_then(|f| view.times.get(f))
            .copied()
            .filter(|t| *t <= now)
            .unwrap_or(now);
        let (deadline, alarms) = schedule(def, &time, start, 0, None)?;
        let cycle = sim.latest(&def.id).map_or(1, |c| c.cycle.saturating_add(1));
        let clock = Clock {
            definition: def.id.clone(),
            target: def.target.clone(),
            cycle,
            stage: Stage::InProgress,
            breached: false,
            attached_at: now,
            start,
            original_deadline: deadline,
            deadline,
            paused_since: None,
            paused_business_ns: 0,
            paused_actual_ns: 0,
            ended_at: None,
            alarms,
        };
        push(
            &mut sim,
            &mut events,
            Event::Attached {
                clock: Box::new(clock),
            },
        );
        started.push(def);
    }
    // A retroactive start (or a clock continued late) may be due at once.
    fire_due(&mut sim, &mut events, now);
    // A clock that starts while the pause condition holds is paused from the start (a
    // ticket created pending, reopened into pending).
    for def in started {
        if def.pause_mode == PauseMode::None || !def.pause.eval(view) {
            continue;
        }
        let Some(clock) = sim.latest(&def.id) else {
            continue;
        };
        if clock.stage == Stage::InProgress {
            let cycle = clock.cycle;
            push(
                &mut sim,
                &mut events,
                Event::Paused {
                    definition: def.id.clone(),
                    cycle,
                    at: now,
                },
            );
        }
    }
    Ok(events)
}

/// The resume event at `now` (after a pause, or a reopen). `pauses` are the spans that
/// end paused, each `(from, to, moves)`: `moves` when the deadline moves out by its
/// business time ([`PauseMode::Pause`], or time resolved counted as paused). The deadline
/// is moved from where it stands (not recomputed from all paused time), so frozen time
/// never moves it.
fn resume(
    def: &Definition,
    time: &Time<'_>,
    clock: &Clock,
    pauses: &[(DateTime<Utc>, DateTime<Utc>, bool)],
    now: DateTime<Utc>,
    reopened: bool,
) -> Result<Event, Error> {
    let mut paused_business_ns = clock.paused_business_ns;
    let mut paused_actual_ns = clock.paused_actual_ns;
    let mut shift: i64 = 0;
    for (from, to, moves) in pauses {
        let business = time.between(*from, *to)?;
        paused_business_ns = paused_business_ns.saturating_add(business);
        paused_actual_ns =
            paused_actual_ns.saturating_add((*to - *from).num_nanoseconds().unwrap_or(i64::MAX));
        if *moves {
            shift = shift.saturating_add(business);
        }
    }
    let (deadline, alarms) = if shift == 0 {
        (clock.deadline, clock.alarms.clone())
    } else {
        // How far the deadline has moved so far, in business time: exact, since business
        // time is additive.
        let moved = time
            .between(clock.original_deadline, clock.deadline)?
            .saturating_add(shift);
        schedule(def, time, clock.start, moved, Some(&clock.alarms))?
    };
    Ok(Event::Resumed {
        definition: def.id.clone(),
        cycle: clock.cycle,
        at: now,
        reopened,
        paused_business_ns,
        paused_actual_ns,
        deadline,
        alarms,
    })
}

fn select<'d>(
    candidates: &[&'d Definition],
    selection: Selection,
    sim: &Clocks,
) -> Vec<&'d Definition> {
    if selection == Selection::All {
        return candidates.to_vec();
    }
    let mut chosen: Vec<&Definition> = Vec::new();
    for def in candidates {
        let busy = sim
            .clocks
            .iter()
            .any(|c| c.running() && c.target == def.target);
        if busy {
            continue;
        }
        match chosen.iter_mut().find(|c| c.target == def.target) {
            None => chosen.push(def),
            Some(current) => {
                if selection == Selection::ShortestTarget
                    && def.target_seconds < current.target_seconds
                {
                    *current = def;
                }
            }
        }
    }
    chosen
}

/// Folds one event into the clocks. Total: an event that names no clock changes nothing.
pub fn evolve(mut state: Clocks, event: &Event) -> Clocks {
    apply(&mut state, event);
    state
}

fn apply(state: &mut Clocks, event: &Event) {
    let at = match event {
        Event::Attached { clock } => {
            state.clocks.push((**clock).clone());
            clock.attached_at
        }
        Event::Paused {
            definition,
            cycle,
            at,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.stage = Stage::Paused;
                c.paused_since = Some(*at);
            }
            *at
        }
        Event::Resumed {
            definition,
            cycle,
            at,
            paused_business_ns,
            paused_actual_ns,
            deadline,
            alarms,
            ..
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.stage = Stage::InProgress;
                c.paused_since = None;
                c.ended_at = None;
                c.paused_business_ns = *paused_business_ns;
                c.paused_actual_ns = *paused_actual_ns;
                c.deadline = *deadline;
                c.alarms.clone_from(alarms);
            }
            *at
        }
        Event::ThresholdReached {
            definition,
            cycle,
            percent,
            at,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.alarms
                    .retain(|a| a.kind != AlarmKind::Threshold(*percent));
            }
            *at
        }
        Event::Breached {
            definition,
            cycle,
            at,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.breached = true;
                c.alarms.retain(|a| a.kind != AlarmKind::Breach);
            }
            *at
        }
        Event::EscalationDue {
            definition,
            cycle,
            name,
            at,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.alarms
                    .retain(|a| a.kind != AlarmKind::Escalation(name.clone()));
            }
            *at
        }
        Event::Completed {
            definition,
            cycle,
            at,
            breached,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                // A clock completed while paused keeps `paused_since`: its business length
                // needs the calendar, which `evolve` does not have; `measure` counts it to
                // `ended_at`, a reopen to the reopen.
                c.stage = Stage::Completed;
                c.breached = *breached;
                c.ended_at = Some(*at);
            }
            *at
        }
        Event::Cancelled {
            definition,
            cycle,
            at,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.stage = Stage::Cancelled;
                c.ended_at = Some(*at);
            }
            *at
        }
    };
    state.last = Some(state.last.map_or(at, |l| l.max(at)));
}

/// A clock's figures at an instant, business and wall time kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Measure {
    /// Wall time elapsed, pauses excluded.
    pub actual_elapsed: Duration,
    /// Business time elapsed, pauses excluded.
    pub business_elapsed: Duration,
    /// Wall time paused, the current pause included.
    pub actual_paused: Duration,
    /// Business time paused, the current pause included.
    pub business_paused: Duration,
    /// Business time from the measure's instant to the deadline (negative past it). In
    /// [`PauseMode::Pause`] the deadline counted is where the current pause will move it, so
    /// the time left stands still while paused; in [`PauseMode::Freeze`] it keeps running out.
    pub time_left: Duration,
    /// Business time elapsed as a percentage of the target, in hundredths of a percent
    /// (7550 = 75.50%): integer, so a report never shows a breach early by rounding.
    pub percent_hundredths: i64,
}

/// Measures `clock` at `now` (or at its end, if it ended before).
///
/// # Errors
/// [`Error::UnknownDefinition`] when `clock`'s definition is not in `definitions`;
/// [`Error::UnknownCalendar`], [`Error::Calendar`] (for instance past the horizon).
pub fn measure(
    clock: &Clock,
    now: DateTime<Utc>,
    definitions: &Definitions,
    calendars: &Calendars,
) -> Result<Measure, Error> {
    let def = definitions
        .get(&clock.definition)
        .ok_or_else(|| Error::UnknownDefinition {
            id: clock.definition.clone(),
            known: definitions.list().iter().map(|d| d.id.clone()).collect(),
        })?;
    let time = Time::of(def, calendars)?;
    let at = clock.ended_at.unwrap_or(now).max(clock.start);
    let (mut paused_b, mut paused_a) = (clock.paused_business_ns, clock.paused_actual_ns);
    let mut current_b = 0;
    if let Some(since) = clock.paused_since {
        current_b = time.between(since, at)?;
        paused_b = paused_b.saturating_add(current_b);
        paused_a = paused_a.saturating_add((at - since).num_nanoseconds().unwrap_or(0));
    }
    let wall = (at - clock.start).num_nanoseconds().unwrap_or(i64::MAX);
    let business = time.between(clock.start, at)?.saturating_sub(paused_b);
    let mut left = time.between(at, clock.deadline)?;
    if def.pause_mode == PauseMode::Pause {
        // The current pause will move the deadline out by its business time: while paused
        // the time left stands still.
        left = left.saturating_add(current_b);
    }
    let target = target_ns(def).max(1);
    let pct = i64::try_from(i128::from(business) * 10_000 / i128::from(target)).unwrap_or(i64::MAX);
    Ok(Measure {
        actual_elapsed: Duration::nanoseconds(wall.saturating_sub(paused_a)),
        business_elapsed: Duration::nanoseconds(business),
        actual_paused: Duration::nanoseconds(paused_a),
        business_paused: Duration::nanoseconds(paused_b),
        time_left: Duration::nanoseconds(left),
        percent_hundredths: pct,
    })
}

/// The result of [`replay`]: the clocks at the end and every event, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// The clocks after the last input.
    pub clocks: Clocks,
    /// Every event, in order.
    pub events: Vec<Event>,
}

/// Replays a ticket's whole timeline (its views in time order) as a pure fold, ticking at
/// every deadline in between and, when `until` is given, up to it. A product recomputes its
/// SLAs after a configuration change by replaying.
///
/// # Errors
/// [`Error::ClockWentBackwards`] when the timeline is out of time order (even where the
/// earlier view changed nothing); otherwise what [`decide`] returns, for the first input it
/// refuses.
pub fn replay(
    timeline: &[(DateTime<Utc>, TicketView)],
    definitions: &Definitions,
    calendars: &Calendars,
    until: Option<DateTime<Utc>>,
) -> Result<Replay, Error> {
    let mut run = Run {
        clocks: Clocks::new(),
        events: Vec::new(),
        last_input: None,
        definitions,
        calendars,
    };
    for (t, view) in timeline {
        run.tick_until(*t, false)?;
        run.step(&Input::Update(view.clone()), *t)?;
    }
    if let Some(end) = until {
        run.tick_until(end, true)?;
    }
    let Run { clocks, events, .. } = run;
    Ok(Replay { clocks, events })
}

struct Run<'a> {
    clocks: Clocks,
    events: Vec<Event>,
    /// The time of the last input, events or not: the clocks only know their events'.
    last_input: Option<DateTime<Utc>>,
    definitions: &'a Definitions,
    calendars: &'a Calendars,
}

impl Run<'_> {
    fn step(&mut self, input: &Input, now: DateTime<Utc>) -> Result<(), Error> {
        if let Some(last) = self.last_input {
            if now < last {
                return Err(Error::ClockWentBackwards { last, now });
            }
        }
        let ctx = Context {
            now,
            definitions: self.definitions,
            calendars: self.calendars,
        };
        let new = decide(&self.clocks, input, &ctx)?;
        for e in &new {
            apply(&mut self.clocks, e);
        }
        self.last_input = Some(now);
        self.events.extend(new);
        Ok(())
    }

    fn tick_until(&mut self, t: DateTime<Utc>, inclusive: bool) -> Result<(), Error> {
        while let Some(due) = next_deadline(&self.clocks) {
            if due > t || (!inclusive && due == t) {
                break;
            }
            self.step(&Input::Tick, due)?;
        }
        Ok(())
    }
}

/// One ticket's outcome for one target kind: the last clock of that kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The definition.
    pub definition: String,
    /// Whether it breached.
    pub breached: bool,
    /// Business time left at its end (negative: overrun).
    pub margin: Duration,
}

/// A ticket whose breach status differs between two sets of definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The ticket.
    pub ticket: String,
    /// The target kind.
    pub target: Target,
    /// Under the first set.
    pub before: Option<Outcome>,
    /// Under the second set.
    pub after: Option<Outcome>,
}

/// Which tickets change breach status when definitions `a` are replaced by `b`, and by how
/// much (the margins): a what-if before editing a live configuration.
///
/// # Errors
/// What [`replay`] returns for any ticket.
pub fn counterfactual(
    a: &Definitions,
    b: &Definitions,
    calendars: &Calendars,
    tickets: &[(String, Timeline)],
    until: DateTime<Utc>,
) -> Result<Vec<Change>, Error> {
    let outcomes = |defs: &Definitions, timeline| -> Result<BTreeMap<Target, Outcome>, Error> {
        let r = replay(timeline, defs, calendars, Some(until))?;
        let mut out = BTreeMap::new();
        for c in r.clocks.clocks() {
            let m = measure(c, until, defs, calendars)?;
            out.insert(
                c.target.clone(),
                Outcome {
                    definition: c.definition.clone(),
                    breached: c.breached,
                    margin: m.time_left,
                },
            );
        }
        Ok(out)
    };
    let mut changes = Vec::new();
    for (ticket, timeline) in tickets {
        let (mut x, mut y) = (outcomes(a, timeline)?, outcomes(b, timeline)?);
        let targets: std::collections::BTreeSet<Target> =
            x.keys().chain(y.keys()).cloned().collect();
        for target in targets {
            let (before, after) = (x.remove(&target), y.remove(&target));
            let breach = |o: &Option<Outcome>| o.as_ref().is_some_and(|o| o.breached);
            if breach(&before) != breach(&after) {
                changes.push(Change {
                    ticket: ticket.clone(),
                    target,
                    before,
                    after,
                });
            }
        }
    }
    Ok(changes)
}
