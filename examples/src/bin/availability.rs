//! Service availability against commitments, from outage records.
//!
//! ```text
//! cargo run -p itsm-examples --bin availability [-- MONTH.json [TOPOLOGY.json]] [--uci LOG.csv]
//! ```
//!
//! 1. A month of configuration-item outages on the online-shop topology (bundled:
//!    `examples/data/availability/shop-march.json` and `examples/data/shop-topology.json`)
//!    becomes the services' outages through the graph (`itsm-graph`), interval by interval,
//!    so that redundancy groups hold or fall as they did: a service down only because of
//!    planned outages has a planned outage, one down when unplanned outages join in has an
//!    unplanned one, one affected below the top of the scale a degradation.
//! 2. Each service's outages are measured against its commitment (`itsm_metrics::Commitment`),
//!    24x7 or in business hours (an `itsm_calendar::Calendar`): availability, downtime,
//!    outages, MTBF, MTRS, the error budget left, met or not, service credits; per week too.
//! 3. With `--uci`, the UCI ServiceNow log's priority-1 incidents are read as outages of their
//!    category (ServiceNow's "real availability" counts priority-1 cases as outages), per
//!    month, 24x7, against 99.5%. Bad rows are reported, not guessed at.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use itsm_calendar::{Calendar, CalendarSpec};
use itsm_core::Quoted;
use itsm_graph::{Failure, Graph, GraphSpec, Scenario};
use itsm_metrics::{
    Availability, Commitment, Interval, Outage, OutageKind, Period, WorkingTime, periods,
};
use serde::Deserialize;

const DEFAULT_MONTH: &str = "examples/data/availability/shop-march.json";
const DEFAULT_TOPOLOGY: &str = "examples/data/shop-topology.json";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The bundled month: outage records of configuration items and the services' commitments.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Month {
    #[allow(dead_code, reason = "documentation inside the data file")]
    notes: Vec<String>,
    /// The host's "now": an ongoing record lasts until it.
    as_of: DateTime<Utc>,
    period: Period,
    zone: String,
    calendars: BTreeMap<String, CalendarSpec>,
    commitments: Vec<ServiceCommitment>,
    ci_outages: Vec<CiOutage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceCommitment {
    service: String,
    /// A calendar of `calendars`, or none for 24x7.
    calendar: Option<String>,
    commitment: Commitment,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CiOutage {
    ci: String,
    begin: DateTime<Utc>,
    #[serde(default)]
    end: Option<DateTime<Utc>>,
    #[serde(default)]
    kind: OutageKind,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("availability: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Res<()> {
    let mut positional = Vec::new();
    let mut uci = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--uci" {
            uci = Some(PathBuf::from(
                args.next().ok_or("--uci needs the log's path")?,
            ));
        } else if arg.to_string_lossy().starts_with("--") {
            return Err(format!(
                "unknown option `{}`; use [MONTH.json [TOPOLOGY.json]] [--uci LOG.csv]",
                Quoted(&arg.to_string_lossy())
            )
            .into());
        } else {
            positional.push(PathBuf::from(arg));
        }
    }
    if positional.len() > 2 {
        return Err("at most two files: MONTH.json and TOPOLOGY.json".into());
    }
    let month_path = positional
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_MONTH));
    let topology_path = positional
        .get(1)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_TOPOLOGY));
    shop(&month_path, &topology_path)?;
    if let Some(log) = uci {
        uci_p1(&log)?;
    }
    Ok(())
}

fn read(path: &PathBuf) -> Res<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()).into())
}

// ---------------------------------------------------------------------------------------
// 1 and 2: the shop's month
// ---------------------------------------------------------------------------------------

/// A service's derived outage, with the configuration items that caused it.
struct Derived {
    outage: Outage,
    causes: Vec<String>,
}

fn shop(month_path: &PathBuf, topology_path: &PathBuf) -> Res<()> {
    let month: Month = serde_json::from_str(&read(month_path)?)
        .map_err(|e| format!("{} is not an availability month: {e}", month_path.display()))?;
    let spec: GraphSpec = serde_json::from_str(&read(topology_path)?)
        .map_err(|e| format!("{} is not a graph spec: {e}", topology_path.display()))?;
    let graph = Graph::from_spec(&spec)?;
    let zone: chrono_tz::Tz = month.zone.parse().map_err(|_| {
        format!(
            "unknown time zone `{}`; give an IANA name",
            Quoted(&month.zone)
        )
    })?;
    let mut calendars = BTreeMap::new();
    for (name, spec) in &month.calendars {
        calendars.insert(name.clone(), Calendar::new(spec)?);
    }
    println!(
        "availability: {} ({} nodes), {} outage records of configuration items, {} to {} ({})",
        topology_path.display(),
        graph.node_count(),
        month.ci_outages.len(),
        month.period.start.format("%Y-%m-%d"),
        month.period.end.format("%Y-%m-%d"),
        month.zone
    );

    let services: Vec<&str> = month
        .commitments
        .iter()
        .map(|c| c.service.as_str())
        .collect();
    let derived = derive(&graph, &month, &services)?;
    println!("service outages derived through the graph (redundancy groups applied):");
    for (service, list) in &derived {
        for d in list {
            let end = d.outage.end.map_or("ongoing".to_owned(), |e| {
                e.format("%m-%d %H:%M").to_string()
            });
            let length = d.outage.end.map_or(String::new(), |e| {
                format!(" ({})", minutes(e - d.outage.begin))
            });
            println!(
                "  {service:<24} {:<11} {} -> {end}{length}  caused by {}",
                kind_name(d.outage.kind),
                d.outage.begin.format("%m-%d %H:%M"),
                d.causes.join(", ")
            );
        }
    }

    println!(
        "{:<24} {:<22} {:>7} {:>9} {:>9} {:>7} {:>9} {:>8} {:>6} {:>6} {:>11}",
        "service",
        "schedule",
        "target",
        "avail %",
        "downtime",
        "outages",
        "MTBF",
        "MTRS",
        "met",
        "credit",
        "budget left"
    );
    let mut report = Vec::new();
    for c in &month.commitments {
        let outages: Vec<Outage> = derived
            .get(c.service.as_str())
            .map(|list| list.iter().map(|d| d.outage).collect())
            .unwrap_or_default();
        let schedule = match &c.calendar {
            None => None,
            Some(name) => Some(calendars.get(name).ok_or_else(|| {
                format!(
                    "{} names the calendar `{}`, which is not defined",
                    c.service,
                    Quoted(name)
                )
            })?),
        };
        let clock = schedule.map(|cal| cal as &dyn WorkingTime);
        let all = c.commitment.measure(&outages, &[month.period], clock)?;
        let Some(a) = all.first() else {
            continue;
        };
        print_row(
            &c.service,
            c.calendar.as_deref().unwrap_or("24x7"),
            c.commitment.target,
            a,
        );
        report.push((c, outages, clock));
    }

    // Per week, for the first service.
    if let Some((c, outages, clock)) = report.first() {
        // ISO weeks, cut to the month (the first and last run into the months around it).
        let weeks: Vec<Period> = periods(
            Interval::Weekly,
            &zone,
            month.period.start,
            month.period.end,
        )?
        .filter_map(|w| {
            Period::new(w.start.max(month.period.start), w.end.min(month.period.end)).ok()
        })
        .collect();
        println!(
            "{} per ISO week, within the month ({}):",
            c.service, month.zone
        );
        for a in c.commitment.measure(outages, &weeks, *clock)? {
            println!(
                "  from {}: {} down, {} outage(s), {}",
                a.period.start.with_timezone(&zone).format("%Y-%m-%d"),
                minutes(a.downtime),
                a.outages,
                percent(a.availability)
            );
        }
    }

    // The ongoing outage at the month's end, read up to "now" instead of left out.
    for (c, outages, clock) in &report {
        if outages.iter().all(|o| o.end.is_some()) {
            continue;
        }
        let mut until = c.commitment.clone();
        until.ongoing = itsm_metrics::Ongoing::Until(month.as_of);
        let counted = until.measure(outages, &[month.period], *clock)?;
        if let Some(a) = counted.first() {
            println!(
                "{}: the ongoing outage is left out (it has no end); counted up to {} instead: {} down, {}",
                c.service,
                month.as_of.format("%Y-%m-%d %H:%M"),
                minutes(a.downtime),
                percent(a.availability)
            );
        }
    }
    Ok(())
}

/// Every service's outages, by sweeping the records' boundaries: in each interval between
/// two boundaries, the graph's impact of the records active in it.
fn derive<'a>(
    graph: &Graph,
    month: &Month,
    services: &[&'a str],
) -> Res<BTreeMap<&'a str, Vec<Derived>>> {
    for (index, o) in month.ci_outages.iter().enumerate() {
        if let Some(end) = o.end.filter(|end| *end < o.begin) {
            return Err(format!(
                "outage record {index} of {} ends at {end}, before it begins at {}; give an end at or after the begin",
                Quoted(&o.ci),
                o.begin
            )
            .into());
        }
        if let Some(end) = o.end.filter(|end| *end > month.as_of) {
            return Err(format!(
                "outage record {index} of {} ends at {end}, after as_of {}; records may not end after the host's now",
                Quoted(&o.ci),
                month.as_of
            )
            .into());
        }
        if o.end.is_none() && o.begin > month.as_of {
            return Err(format!(
                "outage record {index} of {} begins at {}, after as_of {}; an ongoing record must have begun by then",
                Quoted(&o.ci),
                o.begin,
                month.as_of
            )
            .into());
        }
    }
    if graph.outage() < 2
        && month
            .ci_outages
            .iter()
            .any(|o| o.kind == OutageKind::Degradation)
    {
        return Err("the topology's severity scale has one level, so a degradation record cannot be told from an outage; give the scale a level below the outage".into());
    }
    let end_of = |o: &CiOutage| o.end.unwrap_or(month.as_of);
    let mut bounds: Vec<DateTime<Utc>> = month
        .ci_outages
        .iter()
        .flat_map(|o| [o.begin, end_of(o)])
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let outage_level = graph.outage();
    let failure = |o: &CiOutage| match o.kind {
        OutageKind::Degradation => Failure::at(&o.ci, outage_level - 1),
        _ => Failure::outage(&o.ci),
    };
    // What each record alone does to the services (for the causes listed).
    let mut alone: Vec<BTreeMap<String, u8>> = Vec::new();
    for o in &month.ci_outages {
        alone.push(
            graph
                .impact(&Scenario::new(vec![failure(o)], &[]))?
                .services(),
        );
    }
    // A service's kind of outage in an interval: planned when the planned records alone do
    // to it all that every record does; else a degradation below the top of the scale, an
    // outage at it.
    let classify = |records: &[&CiOutage]| -> Res<BTreeMap<String, (u8, OutageKind)>> {
        let all = Scenario::new(records.iter().map(|o| failure(o)).collect(), &[]);
        let planned = Scenario::new(
            records
                .iter()
                .filter(|o| o.kind == OutageKind::Planned)
                .map(|o| failure(o))
                .collect(),
            &[],
        );
        let planned_hit = graph.impact(&planned)?.services();
        Ok(graph
            .impact(&all)?
            .services()
            .into_iter()
            .map(|(service, severity)| {
                let kind = if planned_hit.get(&service).is_some_and(|p| *p >= severity) {
                    OutageKind::Planned
                } else if severity < outage_level {
                    OutageKind::Degradation
                } else {
                    OutageKind::Outage
                };
                (service, (severity, kind))
            })
            .collect())
    };
    let mut out: BTreeMap<&str, Vec<Derived>> = BTreeMap::new();
    for pair in bounds.windows(2) {
        let &[from, to] = pair else {
            continue;
        };
        let active: Vec<(usize, &CiOutage)> = month
            .ci_outages
            .iter()
            .enumerate()
            .filter(|(_, o)| o.begin <= from && end_of(o) >= to && o.begin < end_of(o))
            .collect();
        if active.is_empty() {
            continue;
        }
        let records: Vec<&CiOutage> = active.iter().map(|(_, o)| *o).collect();
        let hit = classify(&records)?;
        // In the last interval, a service's outage goes on past as_of only if the records
        // without an end alone do the same to it.
        let unended: Vec<&CiOutage> = records
            .iter()
            .copied()
            .filter(|o| o.end.is_none())
            .collect();
        let goes_on = if to == month.as_of && !unended.is_empty() {
            classify(&unended)?
        } else {
            BTreeMap::new()
        };
        for &service in services {
            let Some(&(_, kind)) = hit.get(service) else {
                continue;
            };
            let ongoing = goes_on.get(service).is_some_and(|(_, k)| *k == kind);
            let end = (!ongoing).then_some(to);
            let causes: Vec<String> = active
                .iter()
                .filter(|(i, _)| alone.get(*i).is_some_and(|hit| hit.contains_key(service)))
                .map(|(_, o)| o.ci.clone())
                .collect();
            let list = out.entry(service).or_default();
            match list.last_mut() {
                Some(last) if last.outage.kind == kind && last.outage.end == Some(from) => {
                    last.outage.end = end;
                    for c in causes {
                        if !last.causes.contains(&c) {
                            last.causes.push(c);
                        }
                    }
                }
                _ => list.push(Derived {
                    outage: Outage::new(from, end, kind),
                    causes,
                }),
            }
        }
    }
    Ok(out)
}

fn print_row(service: &str, schedule: &str, target: f64, a: &Availability) {
    let met = match a.met {
        Some(true) => "yes",
        Some(false) => "no",
        None => "-",
    };
    println!(
        "{service:<24} {schedule:<22} {target:>6.2}% {:>9} {:>9} {:>7} {:>9} {:>8} {met:>6} {:>6} {:>11}",
        percent(a.availability),
        minutes(a.downtime),
        a.outages,
        a.mtbf.map_or("-".to_owned(), hours),
        a.mtrs.map_or("-".to_owned(), minutes),
        a.credit.map_or("-".to_owned(), |c| format!("{c}%")),
        minutes(a.budget_left),
    );
    println!(
        "availability {service}: {} (target {target:.2}%, {})",
        percent(a.availability),
        match a.met {
            Some(true) => "met",
            Some(false) => "missed",
            None => "nothing scheduled",
        }
    );
}

fn kind_name(kind: OutageKind) -> &'static str {
    match kind {
        OutageKind::Outage => "outage",
        OutageKind::Planned => "planned",
        OutageKind::Degradation => "degradation",
    }
}

fn percent(p: Option<f64>) -> String {
    p.map_or("-".to_owned(), |p| format!("{p:.3}%"))
}

fn minutes(d: Duration) -> String {
    let m = d.num_milliseconds() as f64 / 60_000.0;
    if m.fract() == 0.0 {
        format!("{m:.0}m")
    } else {
        format!("{m:.1}m")
    }
}

fn hours(d: Duration) -> String {
    format!("{:.1}h", d.num_milliseconds() as f64 / 3_600_000.0)
}

// ---------------------------------------------------------------------------------------
// 3: the UCI log's priority-1 incidents as outages
// ---------------------------------------------------------------------------------------

fn uci_time(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text.trim(), "%d/%m/%Y %H:%M")
        .ok()
        .map(|t| t.and_utc())
}

fn uci_p1(path: &PathBuf) -> Res<()> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{} has no column {name}", path.display()))
    };
    let [number, mod_count, priority, category, opened, resolved] = [
        column("number")?,
        column("sys_mod_count")?,
        column("priority")?,
        column("category")?,
        column("opened_at")?,
        column("resolved_at")?,
    ];
    // An incident's last row (by its update counter, then by line) holds its final priority
    // and category; opened_at and resolved_at are the final values on every row.
    struct Last {
        count: u64,
        line: usize,
        fields: [String; 4],
    }
    let mut last: BTreeMap<String, Last> = BTreeMap::new();
    let (mut rows, mut bad) = (0u64, Vec::new());
    for (line, record) in reader.records().enumerate() {
        rows += 1;
        let line = line + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                bad.push(format!("line {line}: not a CSV row: {e}"));
                continue;
            }
        };
        let field = |i: usize| record.get(i).unwrap_or("").to_owned();
        let Ok(count) = field(mod_count).trim().parse::<u64>() else {
            bad.push(format!(
                "line {line}: sys_mod_count `{}` is not a count",
                Quoted(&field(mod_count))
            ));
            continue;
        };
        let row = Last {
            count,
            line,
            fields: [
                field(priority),
                field(category),
                field(opened),
                field(resolved),
            ],
        };
        match last.get(&field(number)) {
            Some(seen) if seen.count > count => {}
            _ => {
                last.insert(field(number), row);
            }
        }
    }
    let mut by_category: BTreeMap<String, Vec<Outage>> = BTreeMap::new();
    let (mut unresolved, mut p1, mut lengths) = (0u64, 0u64, Vec::new());
    for incident in last.values() {
        let [priority, category, opened, resolved] = &incident.fields;
        let line = incident.line;
        if !priority.starts_with("1 ") {
            continue;
        }
        p1 += 1;
        let Some(begin) = uci_time(opened) else {
            bad.push(format!(
                "line {line}: opened_at `{}` is not a date",
                Quoted(opened)
            ));
            continue;
        };
        let end = match resolved.as_str() {
            "?" => {
                unresolved += 1;
                None
            }
            text => match uci_time(text) {
                Some(end) if end >= begin => Some(end),
                Some(_) => {
                    bad.push(format!(
                        "line {line}: resolved_at `{}` is before opened_at",
                        Quoted(text)
                    ));
                    continue;
                }
                None => {
                    bad.push(format!(
                        "line {line}: resolved_at `{}` is not a date",
                        Quoted(text)
                    ));
                    continue;
                }
            },
        };
        if let Some(end) = end {
            lengths.push(end - begin);
        }
        by_category
            .entry(category.clone())
            .or_default()
            .push(Outage::new(begin, end, OutageKind::Outage));
    }
    lengths.sort_unstable();
    let median = itsm_metrics::percentile(&lengths, 50).map_or("-".to_owned(), hours);
    println!(
        "uci: {rows} rows, {} incidents, {p1} of priority 1 (final) read as outages of their category from opened to resolved (median {median}; {unresolved} never resolved: ongoing, left out), {} bad rows",
        last.len(),
        bad.len()
    );
    for b in bad.iter().take(5) {
        println!("  bad row: {b}");
    }
    let all: Vec<&Outage> = by_category.values().flatten().collect();
    let (Some(first), Some(last)) = (
        all.iter().map(|o| o.begin).min(),
        all.iter().filter_map(|o| o.end).max(),
    ) else {
        return Ok(());
    };
    let months: Vec<Period> = periods(Interval::Monthly, &Utc, first, last)?.collect();
    let span = Period::new(
        months.first().map_or(first, |p| p.start),
        months.last().map_or(last, |p| p.end),
    )?;
    let commitment = Commitment::new(99.5);
    let mut rows: Vec<(String, usize, Availability, usize)> = Vec::new();
    for (category, outages) in &by_category {
        let whole = commitment.measure(outages, &[span], None)?;
        let monthly = commitment.measure(outages, &months, None)?;
        let met = monthly.iter().filter(|a| a.met == Some(true)).count();
        if let Some(a) = whole.into_iter().next() {
            rows.push((category.clone(), outages.len(), a, met));
        }
    }
    rows.sort_by(|a, b| b.2.downtime.cmp(&a.2.downtime).then(a.0.cmp(&b.0)));
    let records: usize = rows.iter().map(|r| r.1).sum();
    let merged: u64 = rows.iter().map(|r| r.2.outages).sum();
    println!(
        "uci: {records} priority-1 records in {} categories merged into {merged} outages (overlapping records of a category count once), {} months from {}",
        rows.len(),
        months.len(),
        span.start.format("%Y-%m")
    );
    println!(
        "  {:<14} {:>7} {:>7} {:>10} {:>9} {:>9} {:>9} {:>12}",
        "category", "records", "outages", "downtime", "avail %", "MTBF", "MTRS", "months met"
    );
    for (category, records, a, met) in rows.iter().take(5) {
        println!(
            "  {category:<14} {records:>7} {:>7} {:>10} {:>9} {:>9} {:>9} {:>12}",
            a.outages,
            hours(a.downtime),
            percent(a.availability),
            a.mtbf.map_or("-".to_owned(), hours),
            a.mtrs.map_or("-".to_owned(), hours),
            format!("{met} of {}", months.len())
        );
    }
    Ok(())
}
