//! Replays of whole timelines and counterfactuals over many tickets.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::definition::{Calendars, Definitions, Target};
use crate::error::Error;
use crate::event::Event;
use crate::machine::{Context, Input, decide, next_deadline};
use crate::measure::measure;
use crate::model::Clocks;
use itsm_core::TicketView;

/// A ticket's views in time order.
pub type Timeline = Vec<(DateTime<Utc>, TicketView)>;

/// The result of [`replay`]: the clocks at the end and every event, in order.
///
/// A result: it may gain fields (`#[non_exhaustive]`); read its public fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
/// A view without a [`previous`](TicketView::previous) is given the one before it (its
/// `updated_at`, when empty, set to its instant in the timeline), so conditions on change
/// hold on the update that made the change; when a definition has
/// [`retroactive_pause`](crate::Definition::retroactive_pause), the chain reaches back up to
/// 512 views. The first view has none: a change test is false on it.
///
/// # Errors
/// [`Error::ClockWentBackwards`] when the timeline is out of time order (even where the
/// earlier view changed nothing); otherwise what [`decide`] returns, for the first input it
/// refuses.
///
/// # Example
/// ```
/// use itsm_sla::chrono::{Duration, TimeZone, Utc};
/// use itsm_sla::{Calendars, Category, Definition, Definitions, Event, Selection, Stage};
/// use itsm_sla::{Target, TicketView, replay};
///
/// let mut response = Definition::new("response", Target::Response, Duration::hours(1));
/// response.stop = itsm_sla::Condition::Not(Box::new(itsm_sla::Condition::CategoryIn(vec![
///     Category::New,
/// ])));
/// let definitions = Definitions::new(vec![response], Selection::All)?;
/// let t = |h, m| Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap();
/// let timeline = vec![
///     (t(9, 0), TicketView::new("new", Category::New)),
///     (t(10, 30), TicketView::new("in_progress", Category::Open)),
/// ];
/// let r = replay(&timeline, &definitions, &Calendars::new(), None)?;
/// // The breach fired at 10:00, on its own instant, before the ticket was taken at 10:30.
/// assert!(r.events.iter().any(|e| matches!(e, Event::Breached { at, .. } if *at == t(10, 0))));
/// let clock = &r.clocks.clocks()[0];
/// assert_eq!((clock.stage(), clock.is_breached()), (Stage::Completed, true));
/// # Ok::<(), itsm_sla::Error>(())
/// ```
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
    // Each view is given the one before as its `previous` (when the host gave none), so
    // that change conditions hold on the update that made the change; with a retroactive
    // pause the whole history is chained (up to `MAX_HISTORY` views).
    let history = definitions.list().iter().any(|d| d.retroactive_pause);
    let mut before: Option<TicketView> = None;
    for (t, view) in timeline {
        run.tick_until(*t, false)?;
        let mut view = view.clone();
        if view.previous.is_none() {
            view.previous = before.take().map(Box::new);
        }
        let input = Input::Update(view);
        run.step(&input, *t)?;
        // The view is kept (not copied) as the next one's `previous`, dated by its instant.
        if let Input::Update(mut last) = input {
            last.updated_at = last.updated_at.or(Some(*t));
            if history {
                trim(&mut last, MAX_HISTORY);
            } else {
                last.previous = None;
            }
            before = Some(last);
        }
    }
    if let Some(end) = until {
        run.tick_until(end, true)?;
    }
    let Run { clocks, events, .. } = run;
    Ok(Replay { clocks, events })
}

/// The longest history [`replay`] chains for a retroactive pause: older views are dropped
/// (a deeper chain would cost quadratic time and a deep recursion to drop).
pub(crate) const MAX_HISTORY: usize = 512;

/// Keeps at most `depth` previous views under `view`.
fn trim(view: &mut TicketView, depth: usize) {
    let mut cur = view;
    for _ in 0..depth {
        match cur.previous.as_deref_mut() {
            Some(p) => cur = p,
            None => return,
        }
    }
    cur.previous = None;
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
        let ctx = Context::new(now, self.definitions, self.calendars);
        let new = decide(&self.clocks, input, &ctx)?;
        self.clocks.apply(&new);
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
///
/// A result: it may gain fields (`#[non_exhaustive]`); read its public fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The definition.
    pub definition: String,
    /// Whether it breached.
    pub breached: bool,
    /// Business time left at its end (negative: overrun).
    pub margin: Duration,
}

/// A ticket whose breach status differs between two sets of definitions.
///
/// A result: it may gain fields (`#[non_exhaustive]`); read its public fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BreachChange {
    /// The ticket.
    pub ticket: String,
    /// The target kind.
    pub kind: Target,
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
///
/// # Example
/// ```
/// use itsm_sla::chrono::{Duration, TimeZone, Utc};
/// use itsm_sla::{Calendars, Category, Definition, Definitions, Selection, Target};
/// use itsm_sla::{TicketView, Timeline, counterfactual};
///
/// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
/// let fix = |hours| Definition::new("fix", Target::Resolution, Duration::hours(hours));
/// let today = Definitions::new(vec![fix(4)], Selection::All)?;
/// let proposed = Definitions::new(vec![fix(8)], Selection::All)?;
/// // Resolved after six hours: breached under 4 hours, met under 8.
/// let timeline: Timeline = vec![
///     (at(9), TicketView::new("new", Category::New)),
///     (at(15), TicketView::new("resolved", Category::Resolved)),
/// ];
/// let tickets = vec![("INC1".to_owned(), timeline)];
/// let changes = counterfactual(&today, &proposed, &Calendars::new(), &tickets, at(18))?;
/// assert_eq!(changes.len(), 1);
/// let change = &changes[0];
/// assert_eq!(change.before.as_ref().map(|o| (o.breached, o.margin)), Some((true, -Duration::hours(2))));
/// assert_eq!(change.after.as_ref().map(|o| (o.breached, o.margin)), Some((false, Duration::hours(2))));
/// # Ok::<(), itsm_sla::Error>(())
/// ```
pub fn counterfactual(
    a: &Definitions,
    b: &Definitions,
    calendars: &Calendars,
    tickets: &[(String, Timeline)],
    until: DateTime<Utc>,
) -> Result<Vec<BreachChange>, Error> {
    let outcomes = |defs: &Definitions, timeline| -> Result<BTreeMap<Target, Outcome>, Error> {
        let r = replay(timeline, defs, calendars, Some(until))?;
        let mut out = BTreeMap::new();
        for c in r.clocks.clocks() {
            let m = measure(c, until, defs, calendars)?;
            out.insert(
                c.kind.clone(),
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
                changes.push(BreachChange {
                    ticket: ticket.clone(),
                    kind: target,
                    before,
                    after,
                });
            }
        }
    }
    Ok(changes)
}
