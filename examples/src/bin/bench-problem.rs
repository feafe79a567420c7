//! The recurring-incident detector of `itsm-problem` at scale: a million incidents.
//!
//! The workload is generated deterministically (the seeded xorshift of
//! `itsm_examples::bench`): a year of incidents opened at random minutes, each with a
//! configuration item (one of 2,000; unknown for 9 in 10, as in the UCI log), a category
//! (60), a subcategory (250) and a symptom (500; unknown for 1 in 4), skewed so that a few
//! values are common (each drawn as the smaller of two uniform picks), and 50 injected
//! bursts of 30 incidents within a day on one symptom. Building the records is not timed.
//!
//! Timed, each the median of 5 runs (min and max too), on one thread: `detect` with the
//! documented setting of `problems-uci` (four single-field keys, 3 in 7 days, more than
//! twice the 28-day rate), with the count alone (no burst test), and with one combined key
//! (category + subcategory + symptom).
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-problem [N]` (N incidents,
//! 1,000,000 by default).

// A benchmark host prints and reads the clock.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::hint::black_box;
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use itsm_examples::bench::{Rng, load_average, median_min_max, peak_mb, thread_cpu_ns};
use itsm_examples::problems::documented_spec;
use itsm_problem::{DetectionSpec, Field, IncidentRecord, Key, detect};

fn workload(n: usize) -> Vec<IncidentRecord> {
    let mut rng = Rng::new(0x0070_726f_626c_656d);
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let names = |prefix: &str, count: usize| -> Vec<String> {
        (0..count).map(|i| format!("{prefix} {i}")).collect()
    };
    let (items, categories) = (names("CI", 2000), names("Category", 60));
    let (subcategories, symptoms) = (names("Subcategory", 250), names("Symptom", 500));
    let skewed = |rng: &mut Rng, list: &[String]| -> String {
        let i = rng.index(list.len()).min(rng.index(list.len()));
        list.get(i).cloned().unwrap_or_default()
    };
    let minutes_in_year = 365 * 24 * 60;
    let mut records: Vec<IncidentRecord> = (0..n)
        .map(|_| {
            let mut r =
                IncidentRecord::new(start + Duration::minutes(rng.between(0, minutes_in_year - 1)));
            if rng.one_in_ten() {
                r.item = Some(skewed(&mut rng, &items));
            }
            r.category = Some(skewed(&mut rng, &categories));
            r.subcategory = Some(skewed(&mut rng, &subcategories));
            if !rng.percent(25) {
                r.symptom = Some(skewed(&mut rng, &symptoms));
            }
            r
        })
        .collect();
    for burst in 0..50 {
        let at = start + Duration::minutes(rng.between(0, minutes_in_year - 1440));
        let symptom = format!("Burst symptom {burst}");
        for _ in 0..30 {
            records.push(
                IncidentRecord::new(at + Duration::minutes(rng.between(0, 1439)))
                    .with(Field::Symptom, symptom.clone()),
            );
        }
    }
    records
}

fn main() -> Result<(), Box<dyn Error>> {
    let n: usize = match std::env::args().nth(1) {
        Some(arg) => arg.replace([',', '_'], "").parse()?,
        None => 1_000_000,
    };
    let records = workload(n);
    println!(
        "bench-problem: {} incident records (a year, 50 bursts injected); load average {}",
        records.len(),
        load_average()
    );
    let count_only = {
        let mut spec = documented_spec();
        spec.baseline = None;
        spec
    };
    let mut combined = DetectionSpec::new(
        [Key::new([
            Field::Category,
            Field::Subcategory,
            Field::Symptom,
        ])],
        3,
        Duration::days(7),
    );
    combined.baseline = documented_spec().baseline;
    for (name, spec) in [
        (
            "documented (four keys, 3 in 7 days, > 2x 28-day rate)",
            documented_spec(),
        ),
        ("four keys, count only", count_only),
        ("one combined key, > 2x 28-day rate", combined),
    ] {
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut clusters = 0;
        let mut bursts = 0;
        for _ in 0..5 {
            let (started, cpu_started) = (Instant::now(), thread_cpu_ns());
            let found = black_box(detect(black_box(&records), &spec));
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            if let (Some(a), Some(b)) = (cpu_started, thread_cpu_ns()) {
                #[allow(clippy::cast_precision_loss, reason = "nanoseconds far below 2^52")]
                cpu.push(b.saturating_sub(a) as f64 / 1e6);
            }
            clusters = found.len();
            bursts = found
                .iter()
                .filter(|c| c.values.iter().any(|v| v.starts_with("Burst")))
                .count();
        }
        let (median, min, max) = median_min_max(times).unwrap_or_default();
        let cpu = median_min_max(cpu)
            .map_or_else(String::new, |(m, _, _)| format!(", {m:.0} ms on the CPU"));
        println!(
            "{name}: {median:.0} ms wall (min {min:.0}, max {max:.0}){cpu}, {clusters} clusters, {bursts} of the 50 injected bursts found"
        );
    }
    if let Some(mb) = peak_mb() {
        println!("peak memory: {mb:.0} MB");
    }
    Ok(())
}
