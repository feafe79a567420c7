//! Replays of whole timelines and counterfactuals over many tickets.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::definition::{Calendars, Definitions, Target, TicketView};
use crate::error::Error;
use crate::event::Event;
use crate::machine::{Context, Input, apply, decide, next_deadline};
use crate::measure::measure;
use crate::model::Clocks;

/// A ticket's views in time order.
pub type Timeline = Vec<(DateTime<Utc>, TicketView)>;

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
