//! The KPIs of `itsm-metrics` on a real incident log: the UCI ServiceNow log or the 4TU
//! helpdesk log (told apart by the header), read through the general importer into
//! practice-neutral timelines. Prints a table of the KPIs and writes two SVG charts: the
//! distribution of resolution times and the backlog over time.
//!
//! ```text
//! cargo run --release -p itsm-examples --bin kpis -- ../shared/data/uci-incident-event-log/incident_event_log.csv [OUT_DIR]
//! cargo run --release -p itsm-examples --bin kpis -- ../shared/data/helpdesk/helpdesk.csv
//! ```
//!
//! The charts go to `OUT_DIR` (default `target/kpis/` of the workspace), named after the
//! log (`uci-resolution.svg`, `uci-backlog.svg`, `helpdesk-...`); the paths are printed.
//! Every definition is in `docs/metrics.md`; the choices of this host (what acknowledges,
//! the business calendar) are printed as assumptions.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints and times

mod logs;
mod plot;

use std::collections::HashMap;
use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Duration, DurationRound, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
use itsm_core::Timeline;
use itsm_metrics::{
    Cycle, DurationStats, Kpis, Options, PausedTime, Ratio, TicketTimes, WorkingTime, backlog,
};

use crate::logs::{Format, load};

/// Business time through an `itsm-calendar` calendar (the metrics crate's `calendar`
/// feature does the same; this host implements the trait itself).
struct Office(Calendar);

impl WorkingTime for Office {
    fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Duration> {
        self.0.duration(&from, &to).ok()
    }
}

fn hours(d: Duration) -> String {
    format!("{:.2} h", d.num_seconds() as f64 / 3600.0)
}

fn stats(name: &str, s: &Option<DurationStats>) {
    match s {
        Some(s) => println!(
            "{name:<34} n={:<6} mean {:>10}  p50 {:>10}  p90 {:>10}  p95 {:>10}  max {:>10}",
            s.count,
            hours(s.mean),
            hours(s.p50),
            hours(s.p90),
            hours(s.p95),
            hours(s.max)
        ),
        None => println!("{name:<34} none"),
    }
}

fn ratio(name: &str, r: &Ratio) {
    match r.value() {
        Some(v) => println!("{name:<34} {v:.4} ({} of {})", r.count, r.of),
        None => println!("{name:<34} none (0 of 0)"),
    }
}

/// The UCI log's own `made_sla` per incident, from its last row (by `sys_mod_count`, ties
/// by file order): the SLA outcome the instance recorded.
fn made_sla(path: &str) -> Result<HashMap<String, bool>, Box<dyn Error>> {
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or(format!("no column {name}"))
    };
    let (number, count, made) = (col("number")?, col("sys_mod_count")?, col("made_sla")?);
    let mut last: HashMap<String, (u64, bool)> = HashMap::new();
    for record in reader.records() {
        let Ok(record) = record else { continue };
        let (Some(n), Some(c), Some(m)) = (record.get(number), record.get(count), record.get(made))
        else {
            continue;
        };
        let (Ok(c), Ok(m)) = (c.parse::<u64>(), m.parse::<bool>()) else {
            continue;
        };
        let slot = last.entry(n.to_owned()).or_insert((c, m));
        if c >= slot.0 {
            *slot = (c, m);
        }
    }
    Ok(last.into_iter().map(|(k, (_, m))| (k, m)).collect())
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: kpis <log.csv> [OUT_DIR]")?;
    let out_dir = args.next().map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/kpis")),
        PathBuf::from,
    );
    let started = Instant::now();
    let file = std::fs::File::open(&path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let loaded = load(file)?;
    let mut timelines = loaded.timelines;
    let sla_source = if loaded.format == Format::Uci {
        let made = made_sla(&path)?;
        timelines = timelines
            .into_iter()
            .map(|t| {
                let mut spec = t.spec().clone();
                if let Some(m) = made.get(t.id()) {
                    spec.sla.insert("made_sla".to_owned(), *m);
                }
                // Adding an attribute keeps a valid timeline valid.
                Timeline::new(spec).map_err(|e| e.to_string())
            })
            .collect::<Result<_, _>>()?;
        "the log's made_sla column (last row of each incident)"
    } else {
        "none in this log"
    };
    let loaded_in = started.elapsed();

    let office = Office(Calendar::new(&CalendarSpec::new(
        "office",
        Week::weekdays(&[Segment::parse("08:00", "18:00")?]),
    ))?);
    let options = Options::default();
    let computing = Instant::now();
    let kpis = Kpis::compute(&timelines, &options, Some(&office));
    let mut final_excluded = Options::default();
    final_excluded.cycle = Cycle::Final;
    final_excluded.paused = PausedTime::Excluded;
    let alt = Kpis::compute(&timelines, &final_excluded, None);
    let computed_in = computing.elapsed();

    println!("source: {path}");
    println!("format: {}", loaded.format.name());
    println!(
        "bad rows: {} (left out by the importer)",
        loaded.bad_rows.len()
    );
    for bad in loaded.bad_rows.iter().take(3) {
        println!("  line {}: {}", bad.line, bad.problem);
    }
    println!(
        "bad cases: {} (marks that do not make a valid timeline)",
        loaded.bad_cases.len()
    );
    for (id, why) in loaded.bad_cases.iter().take(3) {
        println!("  {id}: {why}");
    }
    println!(
        "ignored steps: {} (rows whose state cannot move the ticket, such as resolved after closed)",
        loaded.ignored_steps
    );
    println!(
        "out-of-order rows: {} (dated before a row the log orders before them; left out)",
        loaded.out_of_order.len()
    );
    for (case, line) in loaded.out_of_order.iter().take(5) {
        println!("  line {line}: {case}");
    }
    println!(
        "assumption: acknowledged = the first row that leaves `new` (for anything but canceled)"
    );
    println!(
        "assumption: business time = Monday to Friday 08:00-18:00 in the log's time (read as UTC), no holidays"
    );
    println!("assumption: SLA outcomes from {sla_source}");
    println!(
        "definitions: docs/metrics.md; options: first resolution, paused time counted, first contact derived (no flag in the log)"
    );
    println!();
    println!("incidents: {}", kpis.tickets);
    println!("KPI                                value");
    stats("time to acknowledge", &kpis.time_to_acknowledge);
    stats("time to resolve", &kpis.time_to_resolve);
    stats("  final cycle, pauses excluded", &alt.time_to_resolve);
    stats(
        "business time to acknowledge",
        &kpis.business_time_to_acknowledge,
    );
    stats("business time to resolve", &kpis.business_time_to_resolve);
    ratio("first-contact resolution", &kpis.first_contact_resolution);
    ratio("reopen rate", &kpis.reopen_rate);
    ratio("reassignment rate", &kpis.reassignment_rate);
    ratio("SLA attainment", &kpis.sla_attainment);
    ratio("change success rate", &kpis.change_success_rate);
    ratio("emergency change ratio", &kpis.emergency_change_ratio);
    stats("time to known error", &kpis.time_to_known_error);
    println!(
        "reopened: {} of {} resolved incidents",
        kpis.reopen_rate.count, kpis.reopen_rate.of
    );

    // The backlog at 00:00 UTC of every day from the first opening to the last mark.
    let first = timelines.iter().map(Timeline::opened_at).min();
    let last = timelines
        .iter()
        .flat_map(|t| t.marks().last().map(|m| m.at).or(Some(t.opened_at())))
        .max();
    let mut samples = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let mut day = first.duration_trunc(Duration::days(1))? + Duration::days(1);
        while day <= last {
            samples.push(day);
            day += Duration::days(1);
        }
    }
    let bounds = [Duration::days(1), Duration::days(7), Duration::days(30)];
    let series = backlog(&timelines, &options, &samples, &bounds)?;
    if let Some(peak) = series
        .iter()
        .max_by_key(|s| (s.open, std::cmp::Reverse(s.at)))
    {
        println!(
            "backlog peak: {} open on {} (by age <1d, 1-7d, 7-30d, >30d: {:?})",
            peak.open,
            peak.at.format("%Y-%m-%d"),
            peak.by_age
        );
    }
    if let Some(end) = series.last() {
        println!(
            "backlog at the end: {} open on {} (by age: {:?})",
            end.open,
            end.at.format("%Y-%m-%d"),
            end.by_age
        );
    }

    let resolve: Vec<Duration> = timelines
        .iter()
        .filter_map(|t| TicketTimes::of(t, &options, None).resolve)
        .collect();
    let stem = match loaded.format {
        Format::Uci => "uci",
        Format::Helpdesk => "helpdesk",
    };
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let histogram = out_dir.join(format!("{stem}-resolution.svg"));
    std::fs::write(
        &histogram,
        plot::histogram(
            &format!("{}: time to resolve", loaded.format.name()),
            &plot::bin(&resolve),
        ),
    )?;
    let backlog_svg = out_dir.join(format!("{stem}-backlog.svg"));
    let points: Vec<(DateTime<Utc>, u64)> = series.iter().map(|s| (s.at, s.open)).collect();
    std::fs::write(
        &backlog_svg,
        plot::backlog(&format!("{}: backlog", loaded.format.name()), &points),
    )?;
    println!("plot: {}", histogram.display());
    println!("plot: {}", backlog_svg.display());
    println!(
        "timing: load {:.2} s, KPIs (twice, one with business time) {:.3} s",
        loaded_in.as_secs_f64(),
        computed_in.as_secs_f64()
    );
    Ok(())
}
