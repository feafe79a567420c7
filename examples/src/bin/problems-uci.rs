//! Proactive problem management on a real log: the recurring-incident detector of
//! `itsm-problem` over the UCI ServiceNow log, measured against the incidents the
//! organisation linked to problems.
//!
//! Run: `cargo run --release -p itsm-examples --bin problems-uci -- PATH/incident_event_log.csv`
//!
//! Prints what was read, the settings table (a few settings around the documented one, for
//! the docs), the documented setting's top clusters with their evidence and the detector's
//! time, and last the three figures (`recall`, `precision`, `median lead days`) defined in
//! the header it prints and in `itsm_examples::problems`.

// A host prints and reads the clock to time the detector; the workspace lints forbid both
// in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::time::Instant;

use itsm_examples::problems::{
    describe, documented_spec, evaluate, load, settings, summary, table_row,
};
use itsm_problem::detect;

const HEADER: &str = "\
Definitions (see itsm_examples::problems):
  record      one per incident: opened_at; cmdb_ci, category, subcategory, u_symptom as first
              recorded (the incident's first row by sys_mod_count); `?` is unknown
  linked      an incident with a problem_id on any row; its link time is the sys_updated_at
              of its first row carrying one (the log has no time of linking)
  recall      linked incidents in a detected cluster / linked incidents
  precision   linked incidents in a detected cluster / incidents in a detected cluster
              (base rate: linked / all incidents, what a random selection scores)
  lead days   per cluster holding a linked incident: its earliest link time minus the
              instant the cluster became detectable, in days (negative: detected later);
              median over those clusters";

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: problems-uci PATH/incident_event_log.csv")?;
    let log = load(std::fs::File::open(&path).map_err(|e| format!("{path}: {e}"))?)?;
    println!("problems-uci: recurring incidents in {path}");
    println!("{HEADER}");
    println!();
    let spec = documented_spec();
    let all = evaluate(&log, &[]);
    println!(
        "incidents: {} ({} skipped), linked to a problem: {} ({} problems), base rate: {:.2}%",
        all.incidents,
        log.skipped.len(),
        all.linked,
        all.problems,
        all.base_rate().unwrap_or(0.0) * 100.0
    );
    println!();
    println!(
        "| setting | recall | precision | lift | median lead days | clusters | clustered incidents |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, s) in settings() {
        println!(
            "{}",
            table_row(name, &evaluate(&log, &detect(&log.records, &s)))
        );
    }
    println!();
    let started = Instant::now();
    let clusters = detect(&log.records, &spec);
    let elapsed = started.elapsed();
    println!("documented setting: {}", serde_json::to_string(&spec)?);
    println!("top clusters:");
    for (i, c) in clusters.iter().take(5).enumerate() {
        println!("  {}", describe(i + 1, c, &log));
    }
    let figures = evaluate(&log, &clusters);
    println!(
        "detector: {} records, {} clusters in {:.1} ms",
        log.records.len(),
        clusters.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    println!(
        "clustered incidents: {}, linked among them: {}, problems with a clustered incident: {} of {}",
        figures.clustered, figures.linked_clustered, figures.problems_found, figures.problems
    );
    print!("{}", summary(&figures));
    Ok(())
}
