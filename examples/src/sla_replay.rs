//! Replaying a loaded log through `itsm-sla`: ticket views from log rows, SLA configuration
//! from a JSON file, attainment per priority, pauses, and an SVG chart.

use std::collections::BTreeMap;
use std::fmt::Write as _;

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
pub type Series = (String, Vec<(f64, f64)>);

/// A line chart of attainment (%) against target length (hours, log scale), as SVG text.
pub fn svg_chart(title: &str, series: &[Series]) -> String {
    const W: f64 = 720.0;
    const H: f64 = 420.0;
    const L: f64 = 70.0;
    const R: f64 = 160.0;
    const T: f64 = 40.0;
    const B: f64 = 60.0;
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(x, _)| x.max(1e-3).log10()))
        .collect();
    let (x0, x1) = xs
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
    let (x0, x1) = if x0 < x1 { (x0, x1) } else { (0.0, 1.0) };
    let px = |x: f64| L + (x.max(1e-3).log10() - x0) / (x1 - x0) * (W - L - R);
    let py = |y: f64| T + (100.0 - y.clamp(0.0, 100.0)) / 100.0 * (H - T - B);
    let colors = [
        "#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b",
    ];
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15">{title}</text>"#,
        (W - R + L) / 2.0
    );
    for y in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let _ = writeln!(
            s,
            r##"<line x1="{L}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{y}%</text>"##,
            W - R,
            py(y),
            py(y),
            L - 6.0,
            py(y) + 4.0
        );
    }
    let mut tick = 10f64.powf(x0.floor());
    while tick.log10() <= x1 + 1e-9 {
        for m in [1.0, 2.0, 5.0] {
            let v = tick * m;
            if v.log10() >= x0 - 1e-9 && v.log10() <= x1 + 1e-9 {
                let _ = writeln!(
                    s,
                    r##"<line x1="{:.1}" x2="{:.1}" y1="{T}" y2="{}" stroke="#eee"/><text x="{:.1}" y="{}" text-anchor="middle">{v}</text>"##,
                    px(v),
                    px(v),
                    H - B,
                    px(v),
                    H - B + 16.0
                );
            }
        }
        tick *= 10.0;
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">resolution target (business hours, log scale)</text>"#,
        (W - R + L) / 2.0,
        H - 18.0
    );
    let _ = writeln!(
        s,
        r#"<text x="18" y="{}" text-anchor="middle" transform="rotate(-90 18 {})">attainment</text>"#,
        (H - B + T) / 2.0,
        (H - B + T) / 2.0
    );
    let _ = writeln!(
        s,
        r#"<rect x="{L}" y="{T}" width="{}" height="{}" fill="none" stroke="black"/>"#,
        W - L - R,
        H - T - B
    );
    for (k, (label, points)) in series.iter().enumerate() {
        let color = colors.get(k % colors.len()).copied().unwrap_or("black");
        let path: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"/>"#,
            path.join(" ")
        );
        for (x, y) in points {
            let _ = writeln!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{color}"/>"#,
                px(*x),
                py(*y)
            );
        }
        let ly = T + 20.0 + 20.0 * k as f64;
        let _ = writeln!(
            s,
            r#"<line x1="{}" x2="{}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="3"/><text x="{}" y="{}">{label}</text>"#,
            W - R + 12.0,
            W - R + 36.0,
            W - R + 42.0,
            ly + 4.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The business duration of a pause on `calendar`.
///
/// # Errors
/// Outside the calendar's horizon.
pub fn business(calendar: &Calendar, pause: &Pause) -> Result<Duration, itsm_calendar::Error> {
    calendar.duration(&pause.from, &pause.to)
}
