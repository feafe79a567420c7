//! Replays the UCI ServiceNow incident log through `itsm-incident` and reports what our
//! lifecycle accepts, why it rejects the rest, and how our counters compare with the log's.
//!
//! ```text
//! cargo run --release -p itsm-examples --bin replay-uci -- $ITSM_DATA/uci-incident-event-log/incident_event_log.csv
//! ```
//!
//! The mapping of the log's vocabulary (`examples/data/uci-mapping.json`) and the instance's
//! priority matrix (`examples/data/uci-priority-matrix.json`) are data; see
//! `itsm_examples::replay` for how rows become commands and `itsm_examples::uci_policy` for
//! the policy.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints and times

use std::error::Error;
use std::time::Instant;

use itsm_examples::replay::replay;
use itsm_examples::uci::{Mapping, load, priority_agreement};
use itsm_examples::uci_policy;

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: replay-uci <path to incident_event_log.csv>")?;
    let started = Instant::now();
    let mapping: Mapping = serde_json::from_str(include_str!("../../data/uci-mapping.json"))?;
    let policy = uci_policy()?;
    let file = std::fs::File::open(&path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let log = load(std::io::BufReader::with_capacity(1 << 20, file), &mapping)?;
    let loaded = started.elapsed();
    let report = replay(&log, &policy);
    let replayed = started.elapsed();
    let priority = priority_agreement(&log, &policy.matrix);

    println!("source: {path}");
    println!(
        "policy: ServiceNow model, matrix `{}`, auto-close after {} days",
        policy.matrix.name(),
        policy.auto_close_after.map_or(0, |d| d.num_days())
    );
    println!();
    println!("bad rows: {} (left out of the replay)", log.bad_rows.len());
    for bad in &log.bad_rows {
        println!("  line {} ({}): {}", bad.line, bad.id, bad.reason);
    }
    println!();
    println!("rejected transitions by kind:");
    let mut kinds: Vec<(&String, &usize)> = report.rejections.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (kind, count) in kinds {
        let examples = report
            .rejection_examples
            .get(kind)
            .map(|e| e.join(", "))
            .unwrap_or_default();
        println!("  {count:>6}  {kind}  (e.g. {examples})");
    }
    if !report.other_rejections.is_empty() {
        println!("rejected state-keeping commands (assign, reprioritize) by kind:");
        for (kind, count) in &report.other_rejections {
            println!("  {count:>6}  {kind}");
        }
    }
    if !report.reopen_mismatches.is_empty() {
        println!("reopen_count differences (incident: ours vs the log's):");
        for (id, ours, theirs) in &report.reopen_mismatches {
            println!("  {id}: {ours} vs {theirs}");
        }
    }
    if !priority.disagreements.is_empty() || !priority.off_scale.is_empty() {
        println!("priority disagreements (impact, urgency, log priority) -> ours x rows:");
        for ((i, u, p), (ours, n)) in &priority.disagreements {
            println!("  ({i}, {u}, {p}) -> {ours} x {n}");
        }
        for ((i, u, p), n) in &priority.off_scale {
            println!("  ({i}, {u}, {p}) -> off the matrix's scales x {n}");
        }
    }
    println!();
    println!("rows: {} good, {} bad", log.good_rows(), log.bad_rows.len());
    println!(
        "seeded by import (log starts mid-life): {}",
        report.seeded_by_import
    );
    println!("state-keeping commands: {}", report.other_commands);
    println!(
        "closed: {} automatically (tick), {} by hand",
        report.auto_closed, report.closed_by_hand
    );
    println!("load ms: {}", loaded.as_millis());
    println!("load+replay ms: {}", replayed.as_millis());
    println!(
        "reassignment_count agreement: {:.2}%",
        report.reassignment_pct()
    );
    println!("incidents: {}", report.incidents);
    println!(
        "transitions: {} observed, {} accepted, {} rejected",
        report.transitions,
        report.accepted,
        report.transitions - report.accepted
    );
    println!("transitions accepted: {:.2}%", report.accepted_pct());
    println!("reopen_count agreement: {:.2}%", report.reopen_pct());
    println!(
        "priority agreement: {:.2}%",
        priority.share().unwrap_or(0.0) * 100.0
    );
    Ok(())
}
