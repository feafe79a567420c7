//! Replays the UCI ServiceNow log through `itsm-sla`: a response and a resolution SLA per
//! priority on a Monday-to-Friday calendar with holidays (the assumptions are in
//! `examples/data/uci-sla.json`), attainment per priority, the ten longest pauses, and an SVG
//! chart of resolution attainment against target length.
//!
//! ```text
//! cargo run --release -p itsm-examples --bin sla-uci -- ../shared/data/uci-incident-event-log/incident_event_log.csv [out.svg]
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints and times

use std::error::Error;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use itsm_examples::sla_replay::{Series, SlaConfig, business, run, svg_chart, timelines};
use itsm_examples::uci::{Mapping, load};
use itsm_sla::{Definitions, Target};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: sla-uci <incident_event_log.csv> [out.svg]")?;
    let out = args.next().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/sla-uci-attainment.svg"
        )
        .to_owned()
    });
    let started = Instant::now();
    let mapping: Mapping = serde_json::from_str(include_str!("../../data/uci-mapping.json"))?;
    let config: SlaConfig = serde_json::from_str(include_str!("../../data/uci-sla.json"))?;
    let from = NaiveDate::from_ymd_opt(2015, 1, 1).ok_or("date")?;
    let to = NaiveDate::from_ymd_opt(2018, 1, 1).ok_or("date")?;
    let (definitions, calendars) = config.compile(from, to)?;
    let file = std::fs::File::open(&path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let log = load(std::io::BufReader::with_capacity(1 << 20, file), &mapping)?;
    let timelines = timelines(&log);
    let report = run(&timelines, &definitions, &calendars)?;

    println!("source: {path}");
    // Rows the mapping could not read are left out, and said so (as `replay` says it).
    println!("bad rows: {} (left out of the replay)", log.bad_rows.len());
    for bad in log.bad_rows.iter().take(3) {
        println!("  line {}: {}", bad.line, bad.problem);
    }
    for note in &config.notes {
        println!("assumption: {note}");
    }
    let findings = itsm_sla::check(definitions.list());
    println!("static checks: {} finding(s)", findings.len());
    for f in &findings {
        println!("  {f}");
    }
    println!();
    println!(
        "incidents: {}, SLA events: {}",
        report.incidents, report.events
    );
    println!("attainment per priority (met / (met + breached); still open or canceled apart):");
    for p in 1..=4 {
        let line: Vec<String> = ["response", "resolution"]
            .iter()
            .map(|kind| {
                let id = format!("p{p}-{kind}");
                let a = report.attainment.get(&id).copied().unwrap_or_default();
                let pct = a.pct().map_or("n/a".to_owned(), |v| format!("{v:.2}%"));
                format!(
                    "{kind} {pct} ({} met, {} breached, {} open)",
                    a.met, a.breached, a.open
                )
            })
            .collect();
        println!("  priority {p}: {}", line.join("; "));
    }
    println!();
    let calendar = calendars.get(&config.calendar.name).ok_or("calendar")?;
    let mut pauses: Vec<(i64, &itsm_examples::sla_replay::Pause)> = report
        .pauses
        .iter()
        .filter_map(|p| business(calendar, p).ok().map(|d| (d.num_minutes(), p)))
        .collect();
    pauses.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.incident.cmp(&b.1.incident)));
    println!(
        "ten longest pauses (business time; wall time in brackets), of {}:",
        report.pauses.len()
    );
    for (minutes, p) in pauses.iter().take(10) {
        let wall = (p.to - p.from).num_hours();
        println!(
            "  {} {}: {}h{:02} business [{}d{:02}h wall] from {} to {}",
            p.incident,
            p.definition,
            minutes / 60,
            minutes % 60,
            wall / 24,
            wall % 24,
            p.from.format("%Y-%m-%d %H:%M"),
            p.to.format("%Y-%m-%d %H:%M")
        );
    }

    // Attainment against target length: the same timelines under other resolution targets.
    let hours = [1i64, 2, 4, 9, 18, 27, 45, 90, 180, 360];
    let mut series: Vec<Series> = (1..=4)
        .map(|p| (format!("priority {p}"), Vec::new()))
        .collect();
    for h in hours {
        let defs: Vec<_> = config
            .definitions
            .iter()
            .filter(|d| d.kind == Target::Resolution)
            .map(|d| {
                let mut d = d.clone();
                d.target = Duration::hours(h);
                d
            })
            .collect();
        let defs = Definitions::new(defs, config.selection)?;
        let r = run(&timelines, &defs, &calendars)?;
        for (p, (_, points)) in (1..=4).zip(series.iter_mut()) {
            if let Some(pct) = r
                .attainment
                .get(&format!("p{p}-resolution"))
                .and_then(|a| a.pct())
            {
                #[allow(clippy::cast_precision_loss)]
                points.push((h as f64, pct));
            }
        }
    }
    println!();
    println!("resolution attainment by target length (business hours):");
    for (label, points) in &series {
        let cells: Vec<String> = points
            .iter()
            .map(|(h, v)| format!("{h}h {v:.1}%"))
            .collect();
        println!("  {label}: {}", cells.join(", "));
    }
    let svg = svg_chart(
        "UCI log: resolution SLA attainment against target length",
        &series,
    );
    std::fs::write(&out, svg).map_err(|e| format!("cannot write {out}: {e}"))?;
    println!();
    let shown = std::fs::canonicalize(&out).map_or(out.clone(), |p| p.display().to_string());
    println!("svg: {shown}");
    println!("elapsed ms: {}", started.elapsed().as_millis());
    Ok(())
}
