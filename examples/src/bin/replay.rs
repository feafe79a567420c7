//! Replays any incident log through `itsm-incident` with a mapping file, and reports what the
//! policy's workflow accepts, why it rejects the rest, and how our counters and priorities
//! compare with the log's.
//!
//! ```text
//! cargo run --release -p itsm-examples --bin replay -- --mapping M.json [--policy P] LOG.csv
//! ```
//!
//! `--policy` takes a preset's name (`servicenow`, `itop`, `glpi`) or a policy file; without
//! it, the policy file the mapping names, else ServiceNow's preset. The mapping format is in
//! `docs/import.md`; `examples/data/uci-mapping.json` and `examples/data/helpdesk-mapping.json`
//! are the mappings of the two public logs.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints and times

use std::path::PathBuf;
use std::time::Instant;

use itsm_examples::replay::run;

const USAGE: &str =
    "usage: replay --mapping MAPPING.json [--policy POLICY.json|servicenow|itop|glpi] LOG.csv";

struct Args {
    mapping: PathBuf,
    policy: Option<String>,
    log: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut mapping = None;
    let mut policy = None;
    let mut log = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--mapping" => mapping = Some(args.next().ok_or("--mapping needs a file")?),
            "--policy" => policy = Some(args.next().ok_or("--policy needs a file or a preset")?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other}\n{USAGE}"));
            }
            other if log.is_none() => log = Some(other.to_owned()),
            other => return Err(format!("one log at a time; also got {other}\n{USAGE}")),
        }
    }
    Ok(Args {
        mapping: mapping.ok_or(USAGE)?.into(),
        policy,
        log: log.ok_or(USAGE)?.into(),
    })
}

fn main() {
    let args = match args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    match run(&args.mapping, args.policy.as_deref(), &args.log) {
        Ok(run) => {
            for line in &run.header {
                println!("{line}");
            }
            println!("load+replay ms: {}", started.elapsed().as_millis());
            println!();
            println!("{}", run.report);
        }
        Err(e) => {
            eprintln!("replay: {e}");
            std::process::exit(1);
        }
    }
}
