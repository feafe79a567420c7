//! The UCI ServiceNow log's replay: a thin alias of `replay` with the UCI mapping
//! (`examples/data/uci-mapping.json`, which names its policy, `examples/data/uci-policy.json`).
//!
//! ```text
//! cargo run --release -p itsm-examples --bin replay-uci -- $ITSM_DATA/uci-incident-event-log/incident_event_log.csv
//! ```
//!
//! is the same as
//!
//! ```text
//! cargo run --release -p itsm-examples --bin replay -- --mapping examples/data/uci-mapping.json $ITSM_DATA/uci-incident-event-log/incident_event_log.csv
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints and times

use std::path::Path;
use std::time::Instant;

use itsm_examples::replay::run;

fn main() {
    let Some(log) = std::env::args().nth(1) else {
        eprintln!("usage: replay-uci <path to incident_event_log.csv>");
        std::process::exit(2);
    };
    let mapping = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/uci-mapping.json");
    let started = Instant::now();
    match run(&mapping, None, Path::new(&log)) {
        Ok(run) => {
            for line in &run.header {
                println!("{line}");
            }
            println!("load+replay ms: {}", started.elapsed().as_millis());
            println!();
            println!("{}", run.report);
        }
        Err(e) => {
            eprintln!("replay-uci: {e}");
            std::process::exit(1);
        }
    }
}
