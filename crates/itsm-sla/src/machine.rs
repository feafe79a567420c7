//! The state machine: `decide`, `evolve`, `next_deadline`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

use chrono::{DateTime, Duration, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};

use crate::definition::{
    Calendars, CycleStart, Definition, Definitions, MAX_BUSINESS_DAYS, PauseMode, RelativeTarget,
    ReopenMode, Selection,
};
use crate::error::Error;
use crate::event::Event;
use crate::model::{Alarm, AlarmKind, Clock, Clocks, Stage};
use crate::time::{PAUSED, PAUSED_BUSINESS, Time, ns, target_ns};
use itsm_core::TicketView;

/// What happens at an instant: the ticket changed, or time passed.
///
/// Hosts match it exhaustively: a new input would be a breaking change, listed in the
/// changelog.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "an input is built once per call and passed by reference; boxing the view would change the API"
)]
pub enum Input {
    /// The ticket as it is now.
    Update(TicketView),
    /// Time passed (send it at [`next_deadline`]); alone it never attaches or stops clocks.
    Tick,
}

/// What [`decide`] needs besides the clocks and the input: the time, the definitions and the
/// calendars. Nothing is read from the environment.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// Now, from the host's clock (or the log's timestamp in a replay).
    pub now: DateTime<Utc>,
    /// The definitions.
    pub definitions: &'a Definitions,
    /// The calendars they name.
    pub calendars: &'a Calendars,
}

impl<'a> Context<'a> {
    /// The context of one call: the host's `now`, the definitions and their calendars.
    pub const fn new(
        now: DateTime<Utc>,
        definitions: &'a Definitions,
        calendars: &'a Calendars,
    ) -> Self {
        Context {
            now,
            definitions,
            calendars,
        }
    }
}

/// The deadline and the alarms still to fire, for a clock that has been paused
/// `paused_ns` of business time, keeping only the alarm kinds in `keep` (all when `None`).
fn schedule(
    def: &Definition,
    time: &Time<'_>,
    target: i64,
    start: DateTime<Utc>,
    paused_ns: i64,
    keep: Option<&[Alarm]>,
) -> Result<(DateTime<Utc>, Vec<Alarm>), Error> {
    let over = |what| Error::DateOverflow {
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
        let offset = e.offset.num_nanoseconds().ok_or(over("an escalation"))?;
        let at = time.add(deadline, offset)?;
        alarms.push(Alarm { at, kind });
    }
    alarms.sort();
    Ok((deadline, alarms))
}

/// The earliest instant at which a [`Input::Tick`] has something to do: the next threshold,
/// breach or escalation of a running, unpaused clock. `None` when nothing is pending. A tick
/// before it returns no events, so an early wake-up is harmless.
///
/// ```
/// use itsm_sla::chrono::{Duration, TimeZone, Utc};
/// use itsm_sla::{Calendars, Category, Clocks, Context, Definition, Definitions, Input};
/// use itsm_sla::{Selection, Target, TicketView, decide, next_deadline};
///
/// let mut response = Definition::new("response", Target::Response, Duration::hours(1));
/// response.thresholds = vec![50];
/// let definitions = Definitions::new(vec![response], Selection::All)?;
/// let calendars = Calendars::new();
/// let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let ctx = |now| Context::new(now, &definitions, &calendars);
///
/// let mut clocks = Clocks::new();
/// let new = Input::Update(TicketView::new("new", Category::New));
/// clocks.apply(&decide(&clocks, &new, &ctx(t0))?);
/// // The 50% warning is the first thing due.
/// let due = next_deadline(&clocks);
/// assert_eq!(due, Some(t0 + Duration::minutes(30)));
/// assert!(decide(&clocks, &Input::Tick, &ctx(t0 + Duration::minutes(29)))?.is_empty());
/// assert_eq!(decide(&clocks, &Input::Tick, &ctx(t0 + Duration::minutes(30)))?.len(), 1);
/// # Ok::<(), itsm_sla::Error>(())
/// ```
pub fn next_deadline(state: &Clocks) -> Option<DateTime<Utc>> {
    state
        .clocks
        .iter()
        .filter(|c| c.stage == Stage::InProgress)
        .filter_map(|c| c.alarms.first().map(|a| a.at))
        .min()
}

/// Fires, in time order, every alarm due at or before `now`.
///
/// Only the latest clock of a (definition, cycle) pair is live: `apply` acts on that one,
/// so an older twin (possible in a hand-made event log) must not be chosen. Firing an alarm
/// changes only its own clock's alarms, so the live clocks are found once and their first
/// due alarms kept in a heap: O((c + a) log c) for c clocks and a alarms fired, where
/// looking for the next alarm among all clocks each time took O(a c^2).
fn fire_due(sim: &mut Clocks, events: &mut Vec<Event>, now: DateTime<Utc>) {
    let live: Vec<usize> = {
        let mut seen: HashSet<(&str, u32)> = HashSet::new();
        sim.clocks
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, c)| seen.insert((c.definition.as_str(), c.cycle)))
            .map(|(i, _)| i)
            .collect()
    };
    // The first alarm of a live running clock, if due, as (alarm, definition, cycle, index):
    // the smallest fires first, as before.
    let due = |sim: &Clocks, i: usize| {
        let c = sim.clocks.get(i)?;
        let a = c.alarms.first()?;
        (c.stage == Stage::InProgress && a.at <= now)
            .then(|| Reverse((a.clone(), c.definition.clone(), c.cycle, i)))
    };
    let mut heap: BinaryHeap<_> = live.iter().filter_map(|&i| due(sim, i)).collect();
    while let Some(Reverse((alarm, definition, cycle, i))) = heap.pop() {
        let (kind, at) = (alarm.kind.clone(), alarm.at);
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
        // What `apply` does for this event, on the clock already found (`apply` would look
        // for the pair's latest clock again, a scan of the clocks per alarm).
        if let Some(c) = sim.clocks.get_mut(i) {
            fired(c, &kind);
        }
        sim.last = Some(sim.last.map_or(at, |l| l.max(at)));
        events.push(event);
        if let Some(next) = due(sim, i) {
            heap.push(next);
        }
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
/// definitions of the same target kind would attach at once, [`Selection`] chooses; under
/// an exclusive selection a reopen that would continue a completed clock is a candidate
/// like an attach, so it continues only if no clock of its kind runs. Under
/// [`Selection::ShortestTargetRecomputed`] each running clock first moves to the shortest
/// matching definition of its kind ([`Event::Retargeted`]). A clock that attaches (or
/// continues after a reopen) while the pause condition holds is paused at once. A
/// retroactive start applies unless the definition's previous clock on the ticket completed
/// (a reset or a reopen in [`ReopenMode::NewCycle`] counts from now, so the new cycle does
/// not re-count the old one) and [`Definition::new_cycle_start`] is
/// [`CycleStart::FromAttach`]. The clock's calendar is [`Definition::calendar_for`] the
/// view and the calendars; a [`RelativeTarget`] becomes the business time from the start to its deadline.
///
/// # Errors
/// [`Error::ClockWentBackwards`] when `now` is before the latest event folded into `state`
/// ([`Clocks::last_input`]);
/// [`Error::UnknownCalendar`], [`Error::CalendarQuery`] (past a calendar's horizon, for
/// example) or [`Error::DateOverflow`] when a deadline cannot be computed (a calendar chosen
/// by the ticket that the host did not pass is `UnknownCalendar` too);
/// [`Error::RelativeWithoutCalendar`] or [`Error::Calendar`] (a zone that does not parse)
/// for a relative target. Nothing changed: `state` is only read.
///
/// # Example
/// ```
/// use itsm_sla::chrono::{Duration, TimeZone, Utc};
/// use itsm_sla::{Calendars, Category, Clocks, Context, Definition, Definitions, Event};
/// use itsm_sla::{Input, Selection, Target, TicketView, decide};
///
/// let resolution = Definition::new("resolution", Target::Resolution, Duration::hours(4));
/// let definitions = Definitions::new(vec![resolution], Selection::All)?;
/// let calendars = Calendars::new(); // no calendar named: around the clock
/// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
///
/// let mut clocks = Clocks::new();
/// let mut step = |clocks: &mut Clocks, now, view: TicketView| {
///     let events = decide(clocks, &Input::Update(view), &Context::new(now, &definitions, &calendars))?;
///     clocks.apply(&events);
///     Ok::<_, itsm_sla::Error>(events)
/// };
/// step(&mut clocks, at(9), TicketView::new("new", Category::New))?;
/// let paused = step(&mut clocks, at(10), TicketView::new("on_hold", Category::Pending))?;
/// assert!(matches!(paused.as_slice(), [Event::Paused { .. }]));
/// let resumed = step(&mut clocks, at(12), TicketView::new("in_progress", Category::Open))?;
/// // Two hours on hold move the deadline from 13:00 to 15:00.
/// assert!(matches!(resumed.as_slice(), [Event::Resumed { deadline, .. }] if *deadline == at(15)));
/// # Ok::<(), itsm_sla::Error>(())
/// ```
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
    let selection = ctx.definitions.selection();
    if selection == Selection::ShortestTargetRecomputed {
        retarget(&mut sim, &mut events, view, ctx)?;
    }
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    // Definitions whose clock starts running in this update (attached or reopened).
    let mut started: Vec<&Definition> = Vec::new();
    for def in ctx.definitions.list() {
        // The definition's own calendar must exist, whatever the ticket chooses.
        Time::of(def, ctx.calendars)?;
        let latest = sim.latest(&def.id).cloned();
        match latest {
            Some(clock) if clock.running() => {
                let time = Time::of_clock(def, &clock, ctx.calendars)?;
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
                    candidates.push((def, None));
                } else if def.cancels(view) {
                    push(
                        &mut sim,
                        &mut events,
                        Event::Canceled {
                            definition,
                            cycle,
                            at: now,
                        },
                    );
                } else if clock.stage == Stage::Paused && def.resumes(view) {
                    // A paused clock made by `evolve` always has `paused_since`; a hand-made
                    // one without it counts a pause of zero length.
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
                            if selection == Selection::All {
                                let event = reopen(def, &clock, now, ctx.calendars)?;
                                push(&mut sim, &mut events, event);
                                started.push(def);
                            } else {
                                // An exclusive selection decides whether it continues: only
                                // if no clock of its target kind runs.
                                candidates.push((def, Some(clock)));
                            }
                        }
                        _ => candidates.push((def, None)),
                    }
                }
            }
        }
    }
    for (def, reopened) in select(candidates, selection, &sim) {
        if let Some(clock) = reopened {
            let event = reopen(def, &clock, now, ctx.calendars)?;
            push(&mut sim, &mut events, event);
            started.push(def);
            continue;
        }
        let clock = attach(def, view, &sim, now, ctx.calendars)?;
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

/// The event that continues a completed clock after a reopen, per its definition's
/// [`ReopenMode`].
fn reopen(
    def: &Definition,
    clock: &Clock,
    now: DateTime<Utc>,
    calendars: &Calendars,
) -> Result<Event, Error> {
    let time = Time::of_clock(def, clock, calendars)?;
    // A completed clock made by `evolve` always has `ended_at`; a hand-made one without it
    // ends now.
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
    resume(def, &time, clock, &pauses, now, true)
}

/// A new clock of `def` for `view`, attached at `now`.
fn attach(
    def: &Definition,
    view: &TicketView,
    sim: &Clocks,
    now: DateTime<Utc>,
    calendars: &Calendars,
) -> Result<Clock, Error> {
    let (calendar, zone) = def.choose_calendar(view, calendars);
    let time = Time::named(def, calendar.as_deref(), calendars)?;
    let after_completed = sim
        .latest(&def.id)
        .is_some_and(|c| c.stage == Stage::Completed);
    let start = def
        .retroactive_start
        .as_ref()
        .filter(|_| !after_completed || def.new_cycle_start == CycleStart::FromField)
        .and_then(|f| view.times.get(f))
        .copied()
        .filter(|t| *t <= now)
        .unwrap_or(now);
    let target = match &def.relative {
        None => ns(def.target),
        Some(rel) => relative_target(def, rel, &time, start, zone.as_deref().unwrap_or("UTC"))?,
    };
    let (paused_business, paused_actual) =
        if def.retroactive_pause && def.pause_mode == PauseMode::Pause && start < now {
            retroactive_pauses(def, view, &time, start, now)?
        } else {
            (0, 0)
        };
    let (original_deadline, _) = schedule(def, &time, target, start, 0, Some(&[]))?;
    let (deadline, alarms) = schedule(def, &time, target, start, paused_business, None)?;
    let cycle = sim.latest(&def.id).map_or(1, |c| c.cycle.saturating_add(1));
    Ok(Clock {
        definition: def.id.clone(),
        kind: def.kind.clone(),
        cycle,
        stage: Stage::InProgress,
        breached: false,
        attached_at: now,
        start,
        original_deadline,
        deadline,
        paused_since: None,
        paused_business: Duration::nanoseconds(paused_business),
        paused_actual: Duration::nanoseconds(paused_actual),
        ended_at: None,
        alarms,
        calendar: calendar.filter(|c| Some(c) != def.calendar.as_ref()),
        target: (target != ns(def.target)).then(|| Duration::nanoseconds(target)),
    })
}

/// A calendar open every day from the local time `from` to midnight in `zone`: how local
/// times of day are found (the business calendar does not say its zone).
fn local_times(zone: &str, from: &str) -> Result<Calendar, Error> {
    let mut spec = CalendarSpec::new(
        "local time",
        Week::every_day(&[Segment::parse(from, "24:00")?]),
    );
    spec.zone = Some(zone.to_owned());
    Ok(Calendar::new(&spec)?)
}

/// The business time from `start` to the deadline a [`RelativeTarget`] names.
fn relative_target(
    def: &Definition,
    rel: &RelativeTarget,
    time: &Time<'_>,
    start: DateTime<Utc>,
    zone: &str,
) -> Result<i64, Error> {
    let Some((name, cal)) = time.calendar else {
        return Err(Error::RelativeWithoutCalendar { id: def.id.clone() });
    };
    let q = |e| time.calendar_error(name, e);
    // `Definitions::new` refuses more; a hand-made list is bounded here all the same.
    let mut days = rel.business_days.min(MAX_BUSINESS_DAYS);
    if let Some(cutoff) = &rel.cutoff {
        if local_times(zone, cutoff)?.is_open(&start)? {
            days = days.saturating_add(1);
        }
    }
    // Day 0: the business day of the start (in closed time, the next one).
    let mut opening = if cal.is_open(&start).map_err(q)? {
        start
    } else {
        cal.next_open(&start).map_err(q)?
    };
    let mut end = cal.end_of_business_day(&opening).map_err(q)?;
    for _ in 0..days {
        opening = cal.next_open(&end).map_err(q)?;
        end = cal.end_of_business_day(&opening).map_err(q)?;
    }
    let deadline = match &rel.by {
        None => end,
        Some(by) => local_times(zone, by)?.next_open(&opening)?,
    };
    time.between(start, deadline.max(start))
}

/// Business and wall time the ticket spent paused (by `def`'s pause condition) between
/// `start` and `now`, read from the view's chain of previous views, each in effect from its
/// `updated_at` to the next one's (the newest to `now`). The walk stops at a view without
/// `updated_at` or at `start`.
fn retroactive_pauses(
    def: &Definition,
    view: &TicketView,
    time: &Time<'_>,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(i64, i64), Error> {
    let (mut business, mut actual) = (0_i64, 0_i64);
    let mut end = now;
    let mut previous = view.previous.as_deref();
    while let Some(p) = previous {
        let Some(from) = p.updated_at else {
            break;
        };
        let clipped = from.max(start);
        if clipped < end && def.pause.eval(p) {
            business = time.sum(business, time.between(clipped, end)?, PAUSED_BUSINESS)?;
            actual = time.sum(actual, time.exact(end - clipped, PAUSED)?, PAUSED)?;
        }
        if from <= start {
            break;
        }
        end = end.min(from);
        previous = p.previous.as_deref();
    }
    Ok((business, actual))
}

/// [`Selection::ShortestTargetRecomputed`]: moves each running clock whose definition is
/// no longer the shortest match of its target kind to the one that is, keeping its start,
/// calendar and paused time.
fn retarget(
    sim: &mut Clocks,
    events: &mut Vec<Event>,
    view: &TicketView,
    ctx: &Context<'_>,
) -> Result<(), Error> {
    let now = ctx.now;
    let running: Vec<Clock> = sim.clocks.iter().filter(|c| c.running()).cloned().collect();
    for clock in running {
        let Some(current) = ctx.definitions.get(&clock.definition) else {
            continue;
        };
        // The clock keeps its calendar (its time spent is business time on it): only a
        // definition that counts on the same calendar for this ticket takes it over.
        let calendar = clock.calendar.clone().or_else(|| current.calendar.clone());
        let best = ctx
            .definitions
            .list()
            .iter()
            .filter(|d| d.kind == clock.kind && d.start.eval(view) && !d.stop.eval(view))
            .filter(|d| d.calendar_for(view, ctx.calendars) == calendar)
            .min_by_key(|d| d.target);
        let Some(best) = best else {
            continue;
        };
        if best.id == current.id || ns(best.target) == target_ns(current, Some(&clock))? {
            continue;
        }
        let time = Time::named(best, calendar.as_deref(), ctx.calendars)?;
        let target = ns(best.target);
        let moved = time.between(clock.original_deadline, clock.deadline)?;
        let (original_deadline, _) = schedule(best, &time, target, clock.start, 0, Some(&[]))?;
        let (deadline, mut alarms) = schedule(best, &time, target, clock.start, moved, None)?;
        // An alarm fires once per clock: of the kinds the old definition had, only those
        // still pending stay; the new definition's other kinds are added when still ahead
        // (what would have fallen due before the move is not fired late).
        let had = |kind: &AlarmKind| match kind {
            AlarmKind::Breach => true,
            AlarmKind::Threshold(p) => current.thresholds.contains(p),
            AlarmKind::Escalation(name) => current.escalations.iter().any(|e| &e.name == name),
        };
        alarms.retain(|a| {
            if had(&a.kind) {
                clock.alarms.iter().any(|b| b.kind == a.kind)
            } else {
                a.at > now
            }
        });
        let to_cycle = sim
            .latest(&best.id)
            .map_or(1, |c| c.cycle.saturating_add(1));
        push(
            sim,
            events,
            Event::Retargeted {
                definition: clock.definition.clone(),
                cycle: clock.cycle,
                at: now,
                to: best.id.clone(),
                to_cycle,
                calendar: calendar.filter(|c| Some(c) != best.calendar.as_ref()),
                target: best.target,
                original_deadline,
                deadline,
                alarms,
            },
        );
    }
    Ok(())
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
    let mut paused_business_ns = time.exact(clock.paused_business, PAUSED_BUSINESS)?;
    let mut paused_actual_ns = time.exact(clock.paused_actual, PAUSED)?;
    let mut shift: i64 = 0;
    for (from, to, moves) in pauses {
        let business = time.between(*from, *to)?;
        paused_business_ns = time.sum(paused_business_ns, business, PAUSED_BUSINESS)?;
        paused_actual_ns = time.sum(paused_actual_ns, time.exact(*to - *from, PAUSED)?, PAUSED)?;
        if *moves {
            shift = time.sum(shift, business, "how far the deadline moves")?;
        }
    }
    let (deadline, alarms) = if shift == 0 {
        (clock.deadline, clock.alarms.clone())
    } else {
        // How far the deadline has moved so far, in business time: exact, since business
        // time is additive.
        let moved = time.sum(
            time.between(clock.original_deadline, clock.deadline)?,
            shift,
            "how far the deadline moves",
        )?;
        let target = target_ns(def, Some(clock))?;
        schedule(def, time, target, clock.start, moved, Some(&clock.alarms))?
    };
    Ok(Event::Resumed {
        definition: def.id.clone(),
        cycle: clock.cycle,
        at: now,
        reopened,
        paused_business: Duration::nanoseconds(paused_business_ns),
        paused_actual: Duration::nanoseconds(paused_actual_ns),
        deadline,
        alarms,
    })
}

/// A definition that would start a clock in this update: a new attach, or (`Some`) the
/// completed clock a continue-style reopen would continue.
type Candidate<'d> = (&'d Definition, Option<Clock>);

/// What starts, per [`Selection`]: every candidate, or per target kind one, and only when
/// no clock of that kind runs.
fn select<'d>(
    candidates: Vec<Candidate<'d>>,
    selection: Selection,
    sim: &Clocks,
) -> Vec<Candidate<'d>> {
    if selection == Selection::All {
        return candidates;
    }
    let mut chosen: Vec<Candidate<'d>> = Vec::new();
    for (def, reopen) in candidates {
        let busy = sim.clocks.iter().any(|c| c.running() && c.kind == def.kind);
        if busy {
            continue;
        }
        match chosen.iter_mut().find(|(c, _)| c.kind == def.kind) {
            None => chosen.push((def, reopen)),
            Some(current) => {
                if selection != Selection::FirstMatch && def.target < current.0.target {
                    *current = (def, reopen);
                }
            }
        }
    }
    chosen
}

/// Folds one event into the clocks. Total: it checks no rules, and an event that names no
/// clock changes nothing, so any stored event stream can be replayed. [`Clocks::apply`]
/// folds a slice in place.
///
/// ```
/// use itsm_sla::chrono::{Duration, TimeZone, Utc};
/// use itsm_sla::{Calendars, Category, Clocks, Context, Definition, Definitions, Input};
/// use itsm_sla::{Selection, Target, TicketView, decide, evolve};
///
/// let resolution = Definition::new("resolution", Target::Resolution, Duration::hours(4));
/// let definitions = Definitions::new(vec![resolution], Selection::All)?;
/// let calendars = Calendars::new();
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let input = Input::Update(TicketView::new("new", Category::New));
/// let events = decide(&Clocks::new(), &input, &Context::new(now, &definitions, &calendars))?;
///
/// // A host rebuilds the clocks from its stored events.
/// let clocks = events.iter().fold(Clocks::new(), evolve);
/// assert_eq!(clocks.clocks()[0].deadline(), now + Duration::hours(4));
/// # Ok::<(), itsm_sla::Error>(())
/// ```
pub fn evolve(mut state: Clocks, event: &Event) -> Clocks {
    apply(&mut state, event);
    state
}

pub(crate) fn apply(state: &mut Clocks, event: &Event) {
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
            paused_business,
            paused_actual,
            deadline,
            alarms,
            ..
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.stage = Stage::InProgress;
                c.paused_since = None;
                c.ended_at = None;
                c.paused_business = *paused_business;
                c.paused_actual = *paused_actual;
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
                fired(c, &AlarmKind::Threshold(*percent));
            }
            *at
        }
        Event::Breached {
            definition,
            cycle,
            at,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                fired(c, &AlarmKind::Breach);
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
                fired(c, &AlarmKind::Escalation(name.clone()));
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
        Event::Canceled {
            definition,
            cycle,
            at,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.stage = Stage::Canceled;
                c.ended_at = Some(*at);
            }
            *at
        }
        Event::Retargeted {
            definition,
            cycle,
            at,
            to,
            to_cycle,
            calendar,
            target,
            original_deadline,
            deadline,
            alarms,
        } => {
            if let Some(c) = state.latest_mut(definition, *cycle) {
                c.definition.clone_from(to);
                c.cycle = *to_cycle;
                c.calendar.clone_from(calendar);
                c.target = Some(*target);
                c.original_deadline = *original_deadline;
                c.deadline = *deadline;
                c.alarms.clone_from(alarms);
            }
            *at
        }
    };
    state.last = Some(state.last.map_or(at, |l| l.max(at)));
}

/// What an alarm of `kind` firing does to its clock: the alarm is gone, and a breach marks
/// the clock breached.
fn fired(c: &mut Clock, kind: &AlarmKind) {
    if *kind == AlarmKind::Breach {
        c.breached = true;
    }
    c.alarms.retain(|a| a.kind != *kind);
}
