//! Reading and writing process-mining logs: itsm-mining against pm4py, on the same files.
//!
//! ```text
//! cargo run --release -p itsm-examples --bin bench-mining [-- --quick] [--incidents N] [--runs R] [--peer-runs P]
//! ```
//!
//! 1. Generates a service desk's log (seeded, so every run makes the same one): N incidents
//!    (default 25,000, about the UCI log's size) of 3 to 9 events each, every event related
//!    to its incident, a configuration item (of 2,000) and an assignment group (of 50), with
//!    integer, float, boolean and text attributes; incidents related to their items.
//! 2. Ours: writes it as XES flattened on incidents (`xes::to_xes`) and as OCEL 2.0 JSON
//!    (`ocel::to_json`) into `target/bench-mining/`, and reads both files back
//!    (`xes::from_xes`; `serde_json` into `ocel::Document`, then `ocel::from_document`), the
//!    file read included, R times each (default 5).
//! 3. pm4py (installed into `target/venv-pm4py`, never system-wide; shared with
//!    `pm4py-check`): `examples/bench/bench_mining.py` reads the same two files with
//!    `read_xes` and `read_ocel2_json` and writes what it read with `write_xes` and
//!    `write_ocel2_json`, P times each (default 3).
//! 4. Checks that pm4py read the cases, events and objects we wrote (`mismatches: 0`; its
//!    OCEL reader keeps only the objects some event concerns, which is said), that
//!    our readers read pm4py's own files with the same counts, and prints each operation's
//!    median wall-clock time on both sides and `ratio vs pm4py` (pm4py's median over ours).
//!
//! A benchmark, not a test: run it on a quiet machine. Exits 1 on a mismatch, 2 when pm4py
//! cannot be had (saying why).
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints, times and runs Python

#[path = "../pm4py-check/python.rs"]
mod python;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use itsm_examples::bench::{Args, Opt, Rng, load_average, median, run_lines, usage};
use itsm_mining::{Event, EventLog, Object, ObjectType, ocel, xes};
use serde::Deserialize;

const OPTIONS: [Opt; 4] = [
    Opt::flag(
        "--quick",
        "2,000 incidents, 3 runs of ours and 1 of pm4py (a smoke run)",
    ),
    Opt::value("--incidents", "N", "incidents in the log (default 25000)"),
    Opt::value("--runs", "R", "runs of each of our operations (default 5)"),
    Opt::value(
        "--peer-runs",
        "P",
        "runs of each pm4py operation (default 3)",
    ),
];

/// The workspace's root folder.
fn root() -> PathBuf {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    examples.parent().unwrap_or(examples).to_path_buf()
}

/// The generated log: incidents, configuration items, groups and their events.
fn generate(incidents: usize) -> Result<EventLog, itsm_mining::Error> {
    let mut rng = Rng::new(2026);
    let start = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap_or_default(); // 2026-01-01
    let mut objects = Vec::with_capacity(incidents + 2_050);
    for i in 0..2_000 {
        objects.push(
            Object::new(&format!("ci:{i}"), ObjectType::ConfigurationItem).with(
                "class",
                match i % 3 {
                    0 => "server",
                    1 => "database",
                    _ => "application",
                },
            ),
        );
    }
    for g in 0..50 {
        objects.push(Object::new(&format!("group:{g}"), ObjectType::Group));
    }
    let activities = [
        "new",
        "assign",
        "in_progress",
        "on_hold",
        "resolve",
        "close",
    ];
    let mut events = Vec::with_capacity(incidents * 6);
    for n in 0..incidents {
        let id = format!("INC{n:07}");
        let ci = format!("ci:{}", rng.below(2_000));
        objects.push(
            Object::new(&id, ObjectType::Incident)
                .with("category", format!("Category {}", rng.below(60)).as_str())
                .with("priority", rng.between(1, 5))
                .related(&ci, "affects"),
        );
        let mut at = start + Duration::minutes(rng.between(0, 525_600));
        let steps = rng.between(3, 9);
        for step in 0..steps {
            let activity = activities
                .get(usize::try_from(step).unwrap_or(0).min(activities.len() - 1))
                .copied()
                .unwrap_or("update");
            let group = format!("group:{}", rng.below(50));
            events.push(
                Event::new(&format!("e{n}-{step}"), activity, at)
                    .related(&id, "incident")
                    .related(&ci, "affects")
                    .related(&group, "assigned_to")
                    .with(
                        "updated_by",
                        format!("Updated by {}", rng.below(900)).as_str(),
                    )
                    .with("reassignments", rng.between(0, 4))
                    .with("effort_hours", rng.below(4_000) as f64 / 100.0)
                    .with("breached", rng.percent(7)),
            );
            at += Duration::minutes(rng.between(1, 2_880));
        }
    }
    EventLog::new(objects, events)
}

/// Runs `f` `runs` times; the median wall-clock milliseconds and the last answer.
fn timed<T>(
    runs: usize,
    mut f: impl FnMut() -> Result<T, Box<dyn std::error::Error>>,
) -> Result<(f64, T), Box<dyn std::error::Error>> {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let answer = f()?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(answer);
    }
    let answer = last.ok_or("no run")?;
    Ok((median(times).unwrap_or(f64::NAN), answer))
}

#[derive(Deserialize)]
struct Times {
    wall: Vec<f64>,
}

#[derive(Deserialize)]
struct Peer {
    pm4py: String,
    xes_read: Times,
    ocel_read: Times,
    xes_write: Times,
    ocel_write: Times,
    cases: usize,
    events: usize,
    ocel_events: usize,
    ocel_objects: usize,
    ocel_relations: usize,
}

fn peer_ms(times: &Times) -> f64 {
    median(times.wall.iter().map(|s| s * 1000.0).collect()).unwrap_or(f64::NAN)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("bench-mining: {e}");
            ExitCode::from(2)
        }
    }
}

fn read_xes(path: &std::path::Path) -> Result<itsm_mining::Imported, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    Ok(xes::from_xes(&text, &ObjectType::Incident)?)
}

fn read_ocel(path: &std::path::Path) -> Result<itsm_mining::Imported, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    let document: ocel::Document = serde_json::from_str(&text)?;
    Ok(ocel::from_document(document)?)
}

fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let args = Args::from_env(&OPTIONS)?;
    if args.help() {
        println!("{}", usage("bench-mining", &OPTIONS));
        return Ok(true);
    }
    let quick = args.flag("--quick");
    let incidents: usize = args
        .value("--incidents")?
        .unwrap_or(if quick { 2_000 } else { 25_000 });
    let runs: usize = args.value("--runs")?.unwrap_or(if quick { 3 } else { 5 });
    let peer_runs: usize = args
        .value("--peer-runs")?
        .unwrap_or(if quick { 1 } else { 3 });
    let python = python::ensure_pm4py(&root().join("target/venv-pm4py"))?;

    let started = Instant::now();
    let log = generate(incidents)?;
    let cases = log.cases(&ObjectType::Incident);
    let case_events: usize = cases.iter().map(|(_, e)| e.len()).sum();
    let relations: usize = log.events().iter().map(|e| e.relations.len()).sum();
    // pm4py's OCEL reader keeps only the objects some event concerns.
    let concerned = log
        .events()
        .iter()
        .flat_map(|e| e.relations.iter().map(|r| r.object.as_str()))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    println!(
        "bench-mining: {} incidents, {} events, {} objects, {relations} event-object relations (generated and checked in {} ms); load average {}",
        cases.len(),
        log.events().len(),
        log.objects().len(),
        started.elapsed().as_millis(),
        load_average()
    );
    let dir = root().join("target/bench-mining");
    std::fs::create_dir_all(&dir)?;
    let (xes_path, ocel_path) = (dir.join("log.xes"), dir.join("log.ocel.json"));

    // Ours: write (the string, then the file), read (the file, then the log).
    let (write_xes_ms, xml) = timed(runs, || {
        let xml = xes::to_xes(&log, &ObjectType::Incident);
        std::fs::write(&xes_path, &xml)?;
        Ok(xml)
    })?;
    let (write_ocel_ms, json) = timed(runs, || {
        let json = ocel::to_json(&log);
        std::fs::write(&ocel_path, &json)?;
        Ok(json)
    })?;
    let (read_xes_ms, ours_xes) = timed(runs, || read_xes(&xes_path))?;
    let (read_ocel_ms, ours_ocel) = timed(runs, || read_ocel(&ocel_path))?;
    println!(
        "files: {} ({} MB), {} ({} MB)",
        xes_path.display(),
        xml.len() / 1_000_000,
        ocel_path.display(),
        json.len() / 1_000_000
    );

    // pm4py on the same files.
    println!("pm4py: {peer_runs} run(s) of each operation ...");
    let mut command = std::process::Command::new(&python);
    command
        .arg(root().join("examples/bench/bench_mining.py"))
        .arg(&xes_path)
        .arg(&ocel_path)
        .arg(&dir)
        .arg(peer_runs.to_string());
    let mut peer: Option<Peer> = None;
    run_lines(command, |line| {
        if line.starts_with('{') {
            peer = Some(serde_json::from_str(line)?);
        }
        Ok(())
    })?;
    let peer = peer.ok_or("the pm4py script printed no result")?;

    // Agreement: pm4py read what we wrote; we read what pm4py wrote.
    let theirs_xes = read_xes(&dir.join("pm4py.xes"))?;
    let theirs_ocel = read_ocel(&dir.join("pm4py.ocel.json"))?;
    let checks = [
        ("pm4py's XES cases", peer.cases, cases.len()),
        ("pm4py's XES events", peer.events, case_events),
        ("pm4py's OCEL events", peer.ocel_events, log.events().len()),
        ("pm4py's OCEL objects", peer.ocel_objects, concerned),
        ("pm4py's OCEL relations", peer.ocel_relations, relations),
        ("our XES cases", ours_xes.log.objects().len(), cases.len()),
        ("our XES events", ours_xes.log.events().len(), case_events),
        (
            "our OCEL events",
            ours_ocel.log.events().len(),
            log.events().len(),
        ),
        (
            "our OCEL objects",
            ours_ocel.log.objects().len(),
            log.objects().len(),
        ),
        (
            "our read of pm4py's XES: cases",
            theirs_xes.log.objects().len(),
            cases.len(),
        ),
        (
            "our read of pm4py's XES: events",
            theirs_xes.log.events().len(),
            case_events,
        ),
        (
            "our read of pm4py's OCEL: events",
            theirs_ocel.log.events().len(),
            log.events().len(),
        ),
        (
            "our read of pm4py's OCEL: objects",
            theirs_ocel.log.objects().len(),
            concerned,
        ),
    ];
    let mut mismatches = 0;
    for (what, got, expected) in checks {
        if got != expected {
            mismatches += 1;
            println!("MISMATCH {what}: {got}, expected {expected}");
        }
    }

    println!();
    println!(
        "pm4py {} (medians of {peer_runs} runs; ours of {runs}; wall clock, files on a warm page cache)",
        peer.pm4py
    );
    for (operation, ours, theirs) in [
        ("read XES", read_xes_ms, peer_ms(&peer.xes_read)),
        ("read OCEL 2.0 JSON", read_ocel_ms, peer_ms(&peer.ocel_read)),
        ("write XES", write_xes_ms, peer_ms(&peer.xes_write)),
        (
            "write OCEL 2.0 JSON",
            write_ocel_ms,
            peer_ms(&peer.ocel_write),
        ),
    ] {
        println!(
            "{operation} ms: ours {ours:.0}, pm4py {theirs:.0}; ratio vs pm4py: {:.1}",
            theirs / ours
        );
    }
    println!(
        "pm4py's OCEL reader keeps the {concerned} objects some event concerns and drops the other {} (ours keeps all {})",
        log.objects().len() - concerned,
        log.objects().len()
    );
    println!("mismatches: {mismatches}");
    Ok(mismatches == 0)
}
