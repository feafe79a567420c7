//! Replaying a loaded log through `itsm-sla`: ticket views from log rows, SLA configuration
//! from a JSON file, attainment per priority, pauses, and an SVG chart.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use itsm_calendar::{Calendar, CalendarSpec};
use itsm_core::Category;
use itsm_sla::{Calendars, Definition, Definitions, Event, Selection, TicketView, Timeline};
use serde::Deserialize;

use crate::uci::{Log, MappedState, Row};

/// The SLA configuration file (`examples/data/uci-sla.json`): notes on the assumptions, the
/// calendar and the definitions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaConfig {
    /// Assumptions, in words.
    pub notes: Vec<String>,
    /// How several matching definitions attach.
    pub selection: Selection,
    /// The business calendar.
    pub calendar: CalendarSpec,
    /// The definitions.
    pub definitions: Vec<Definition>,
}

/// Errors of the SLA replay.
#[derive(Debug, thiserror::Error)]
pub enum SlaReplayError {
    /// The configuration does not parse (the JSON error is the source).
    #[error("the SLA configuration does not parse")]
    Config(#[from] serde_json::Error),
    /// A calendar does not compile, a definition is refused or a replay fails (calendar
    /// errors arrive as `itsm_sla::Error::Calendar`).
    #[error(transparent)]
    Sla(#[from] itsm_sla::Error),
}

impl SlaConfig {
    /// Checks the definitions and compiles the calendar for `from..to` (local days; the log
    /// has no zone, so UTC).
    ///
    /// # Errors
    /// When a definition is refused or the calendar does not compile.
    pub fn compile(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Definitions, Calendars), SlaReplayError> {
        let definitions = Definitions::new(self.definitions.clone(), self.selection)?;
        let calendar =
            Calendar::compile(&self.calendar, &Utc, from, to).map_err(itsm_sla::Error::from)?;
        let mut calendars = Calendars::new();
        calendars.insert(self.calendar.name.clone(), calendar);
        Ok((definitions, calendars))
    }
}

fn category(state: &MappedState) -> Category {
    match state {
        MappedState::New => Category::New,
        MappedState::InProgress => Category::Open,
        MappedState::OnHold(_) => Category::Pending,
        MappedState::Resolved => Category::Resolved,
        MappedState::Closed => Category::Closed,
        MappedState::Canceled => Category::Canceled,
    }
}

fn view(row: &Row) -> TicketView {
    let mut times = BTreeMap::new();
    if let Some(opened) = row.opened_at {
        // The retroactive start counts from creation, never from after the first update.
        times.insert("opened_at".to_owned(), opened.min(row.updated_at));
    }
    let mut view = TicketView::new(format!("{:?}", row.state), category(&row.state));
    view.priority = Some(row.priority);
    view.group.clone_from(&row.assignment_group);
    view.times = times;
    view
}

/// Each incident's timeline: one view per row whose time does not go backwards (rows that
/// would are skipped, as the SLA engine refuses time going backwards). An incident whose
/// rows were all bad (in [`Log::bad_rows`]) has no timeline and is not counted.
pub fn timelines(log: &Log) -> Vec<(String, Timeline)> {
    log.incidents
        .iter()
        .filter(|incident| !incident.rows.is_empty())
        .map(|incident| {
            let mut timeline: Timeline = Vec::with_capacity(incident.rows.len());
            for row in &incident.rows {
                if timeline.last().is_some_and(|(t, _)| row.updated_at < *t) {
                    continue;
                }
                timeline.push((row.updated_at, view(row)));
            }
            (incident.id.clone(), timeline)
        })
        .collect()
}

/// Met and breached clocks of one definition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attainment {
    /// Clocks that completed in time.
    pub met: usize,
    /// Clocks that breached (completed late, or still running past the deadline).
    pub breached: usize,
    /// Clocks still running within their deadline at the end, or canceled.
    pub open: usize,
}

impl Attainment {
    /// Met as a percentage of met and breached; `None` without any.
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    pub fn pct(&self) -> Option<f64> {
        let n = self.met + self.breached;
        (n > 0).then(|| 100.0 * self.met as f64 / n as f64)
    }
}

/// One pause of a clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// The incident.
    pub incident: String,
    /// The definition.
    pub definition: String,
    /// When it paused.
    pub from: DateTime<Utc>,
    /// When it resumed (or the clock ended).
    pub to: DateTime<Utc>,
}

/// The result of [`run`].
#[derive(Debug, Clone, Default)]
pub struct SlaReport {
    /// Per definition id.
    pub attainment: BTreeMap<String, Attainment>,
    /// Every completed pause.
    pub pauses: Vec<Pause>,
    /// Incidents replayed.
    pub incidents: usize,
    /// Events produced.
    pub events: usize,
}

/// Replays every timeline under the definitions, each up to its last view.
///
/// # Errors
/// The first replay that fails.
pub fn run(
    timelines: &[(String, Timeline)],
    definitions: &Definitions,
    calendars: &Calendars,
) -> Result<SlaReport, SlaReplayError> {
    let mut report = SlaReport::default();
    for d in definitions.list() {
        report
            .attainment
            .insert(d.id.clone(), Attainment::default());
    }
    for (id, timeline) in timelines {
        let until = timeline.last().map(|(t, _)| *t);
        let r = itsm_sla::replay(timeline, definitions, calendars, until)?;
        report.incidents += 1;
        report.events += r.events.len();
        let mut open_pauses: BTreeMap<(String, u32), DateTime<Utc>> = BTreeMap::new();
        for e in &r.events {
            match e {
                Event::Paused {
                    definition,
                    cycle,
                    at,
                } => {
                    open_pauses.insert((definition.clone(), *cycle), *at);
                }
                Event::Resumed {
                    definition,
                    cycle,
                    at,
                    reopened: false,
                    ..
                }
                | Event::Completed {
                    definition,
                    cycle,
                    at,
                    ..
                }
                | Event::Canceled {
                    definition,
                    cycle,
                    at,
                } => {
                    if let Some(from) = open_pauses.remove(&(definition.clone(), *cycle)) {
                        report.pauses.push(Pause {
                            incident: id.clone(),
                            definition: definition.clone(),
                            from,
                            to: *at,
                        });
                    }
                }
                _ => {}
            }
        }
        for c in r.clocks.clocks() {
            let a = report
                .attainment
                .entry(c.definition().to_owned())
                .or_default();
            match (c.stage(), c.is_breached()) {
                (_, true) => a.breached += 1,
                (itsm_sla::Stage::Completed, false) => a.met += 1,
                _ => a.open += 1,
            }
        }
    }
    Ok(report)
}

/// One line of the chart: a label and (target hours, attainment %) points.
pub type Series = crate::svg::Series;

/// A line chart of attainment (%) against target length (hours, log scale), as SVG text.
pub fn svg_chart(title: &str, series: &[Series]) -> String {
    crate::svg::LineChart {
        title,
        x_label: "resolution target (business hours, log scale)",
        y_label: "attainment",
        x_axis: crate::svg::XAxis::Log10,
        y_ticks: &[0.0, 25.0, 50.0, 75.0, 100.0],
    }
    .render(series)
}

/// The business duration of a pause on `calendar`.
///
/// # Errors
/// Outside the calendar's horizon.
pub fn business(calendar: &Calendar, pause: &Pause) -> Result<Duration, itsm_calendar::Error> {
    calendar.duration(&pause.from, &pause.to)
}
