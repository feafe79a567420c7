//! The conflicts of a real change calendar: a change log in CSV (one row per change and
//! configuration item), read through a mapping file, loaded into `itsm-schedule`, and
//! scanned for every pair of changes whose planned windows overlap and that share an item,
//! and separately a related key (the mapping's `related` column).
//!
//! Run: `cargo run --release -p itsm-examples --bin change-conflicts -- --mapping
//! examples/data/change-mapping.json examples/data/change-log.csv`; `--check` compares the
//! sweeps with a straightforward all-pairs scan; `--refusals` prints why each refused change
//! was refused (by default the first few), with the line of the file and the fields at fault
//! quoted as written. Nothing is written to disk.

// A host prints, reads files and times itself (on standard error); the workspace lints
// forbid all three in library code.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)]

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use itsm_core::{ConfigItemId, Quoted};
use itsm_examples::change_import::{
    ChangeMapping, all_pairs, keys_by_change, load, mismatches, share_item,
};
use itsm_schedule::{Limits, Schedule};

/// How many refusals are shown without `--refusals`.
const FIRST: usize = 5;

/// ` (lines 4, 9, ...)`: the first few of `lines`, or nothing.
fn lines(lines: &[u64]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let first: Vec<String> = lines.iter().take(FIRST).map(u64::to_string).collect();
    let more = if lines.len() > FIRST { ", ..." } else { "" };
    format!(" (lines {}{more})", first.join(", "))
}

struct Options {
    mapping: PathBuf,
    log: PathBuf,
    check: bool,
    refusals: bool,
}

const USAGE: &str =
    "usage: change-conflicts --mapping MAPPING.json [--check] [--refusals] CHANGES.csv";

/// The options, or `None` for `--help`.
fn options() -> Result<Option<Options>, String> {
    let (mut mapping, mut log, mut check, mut refusals) = (None, None, false, false);
    // Arguments as the OS gives them: a path need not be UTF-8.
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--mapping") => {
                mapping = Some(PathBuf::from(
                    args.next()
                        .ok_or_else(|| format!("--mapping needs a file; {USAGE}"))?,
                ));
            }
            Some("--check") => check = true,
            Some("--refusals") => refusals = true,
            Some("--help" | "-h") => return Ok(None),
            Some(a) if a.starts_with('-') => {
                return Err(format!("unknown option `{}`; {USAGE}", Quoted(a)));
            }
            _ if log.is_none() => log = Some(PathBuf::from(arg)),
            _ => {
                return Err(format!(
                    "one change log at a time: `{}` is a second; {USAGE}",
                    Quoted(&arg.to_string_lossy())
                ));
            }
        }
    }
    Ok(Some(Options {
        mapping: mapping.ok_or_else(|| format!("no --mapping given; {USAGE}"))?,
        log: log.ok_or_else(|| format!("no change log given; {USAGE}"))?,
        check,
        refusals,
    }))
}

/// The bytes of `path`, or an error naming it.
fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(o: &Options) -> Result<(), Box<dyn Error>> {
    let mapping: ChangeMapping = serde_json::from_slice(&read(&o.mapping)?)
        .map_err(|e| format!("{}: {e}", o.mapping.display()))?;
    let log = load(&read(&o.log)?, &mapping).map_err(|e| format!("{}: {e}", o.log.display()))?;
    let started = Instant::now();
    let (schedule, refused) = Schedule::build(log.changes.clone(), &Limits::new());
    let keys = |item: &ConfigItemId| -> Vec<String> {
        log.keys
            .get(item)
            .map(|k| k.iter().cloned().collect())
            .unwrap_or_default()
    };
    let on_item = schedule.scan();
    let on_key = schedule.scan_related(keys);
    let took = started.elapsed();
    let bad_rows: usize = refused
        .iter()
        .filter_map(|e| e.change())
        .map(|c| log.rows_of.get(&c).copied().unwrap_or(0))
        .sum();
    println!("source: {}", Quoted(&mapping.source));
    println!("rows: {}", log.rows);
    println!("changes: {}", log.changes.len());
    println!("rows without a valid window: {bad_rows}");
    println!(
        "rows without a change number: {}{}",
        log.rows_without_change.len(),
        lines(&log.rows_without_change)
    );
    println!("planned times that do not read: {}", log.unreadable_times);
    println!("changes refused: {}", refused.len());
    println!("changes scheduled: {}", schedule.len());
    println!(
        "rows whose window differs from their change's first row: {}",
        log.disagreeing_rows
    );
    println!("pairs on a shared item: {}", on_item.len());
    println!("pairs on a shared related key: {}", on_key.len());
    eprintln!("built and scanned in {:.1} ms", took.as_secs_f64() * 1e3);
    let shown = if o.refusals { refused.len() } else { FIRST };
    for e in refused.iter().take(shown) {
        match log.explain(e, &mapping) {
            Some(why) => println!("refused: {why}"),
            None => println!("refused: {e}"),
        }
    }
    if refused.len() > shown {
        println!(
            "refused: {} more (--refusals lists them all)",
            refused.len() - shown
        );
    }
    if o.check {
        let bookings = schedule.bookings();
        let by_change = keys_by_change(bookings, keys);
        let shared_key = |a: &itsm_schedule::Booking, b: &itsm_schedule::Booking| match (
            by_change.get(&a.change()),
            by_change.get(&b.change()),
        ) {
            (Some(x), Some(y)) => !x.is_disjoint(y),
            _ => false,
        };
        let want_item = all_pairs(bookings, share_item);
        let want_key = all_pairs(bookings, shared_key);
        println!(
            "mismatches: {}",
            mismatches(&on_item, &want_item) + mismatches(&on_key, &want_key)
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let run = match options() {
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Some(o)) => run(&o),
        Err(e) => Err(e.into()),
    };
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("change-conflicts: {e}");
            ExitCode::FAILURE
        }
    }
}
