//! The conflicts of a real change calendar: a change log in CSV (one row per change and
//! configuration item), read through a mapping file, loaded into `itsm-schedule`, and
//! scanned for every pair of changes whose planned windows overlap and that share an item,
//! and separately a related key (the mapping's `related` column).
//!
//! Run: `cargo run --release -p itsm-examples --bin change-conflicts -- --mapping
//! examples/data/change-mapping.json examples/data/change-log.csv`; `--check` compares the
//! sweeps with a straightforward all-pairs scan; `--refusals` prints why each refused change
//! was refused.

// A host prints and reads files; the workspace lints forbid both in library code.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use itsm_core::ConfigItemId;
use itsm_examples::change_import::{
    ChangeMapping, all_pairs, keys_by_change, load, mismatches, share_item,
};
use itsm_schedule::{Limits, Schedule};

struct Options {
    mapping: PathBuf,
    log: PathBuf,
    check: bool,
    refusals: bool,
}

fn options() -> Result<Options, String> {
    let usage = "usage: change-conflicts --mapping MAPPING.json [--check] [--refusals] CHANGES.csv";
    let (mut mapping, mut log, mut check, mut refusals) = (None, None, false, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--mapping" => mapping = Some(args.next().ok_or(usage)?.into()),
            "--check" => check = true,
            "--refusals" => refusals = true,
            "--help" | "-h" => return Err(usage.to_owned()),
            _ if !arg.starts_with("--") && log.is_none() => log = Some(arg.into()),
            _ => return Err(format!("unknown argument {arg}; {usage}")),
        }
    }
    Ok(Options {
        mapping: mapping.ok_or(usage)?,
        log: log.ok_or(usage)?,
        check,
        refusals,
    })
}

fn run(o: &Options) -> Result<(), Box<dyn Error>> {
    let mapping: ChangeMapping = serde_json::from_slice(&std::fs::read(&o.mapping)?)
        .map_err(|e| format!("{}: {e}", o.mapping.display()))?;
    let log =
        load(&std::fs::read(&o.log)?, &mapping).map_err(|e| format!("{}: {e}", o.log.display()))?;
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
    println!("source: {}", mapping.source);
    println!("rows: {}", log.rows);
    println!("changes: {}", log.changes.len());
    println!("rows without a valid window: {bad_rows}");
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
    if o.refusals {
        for e in &refused {
            let name = e
                .change()
                .and_then(|c| log.change_names.get(&c))
                .map_or("?", String::as_str);
            println!("refused {name}: {e}");
        }
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
    match options().map_err(Into::into).and_then(|o| run(&o)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("change-conflicts: {e}");
            ExitCode::FAILURE
        }
    }
}
