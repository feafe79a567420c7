//! What a calendar without a horizon costs, measured: `cargo run --release -p itsm-calendar
//! --example costs`.
//!
//! The calendar is bench-sla's (Monday to Friday 09:00-12:00 and 13:00-17:00), with two
//! yearly holidays, in UTC and in Europe/London. Printed: building it; the first query in a
//! year (which compiles that year); queries within compiled years against the same queries
//! on an explicit horizon; spans of ten, a thousand and a hundred thousand years, cold and
//! warm; five years of business time added; a window that never fits. Times are this
//! thread's on-CPU time, the median of seven samples of at least 200 ms each.
// A measuring host: it reads the clock and prints, which the library lints forbid.
#![allow(clippy::print_stdout, clippy::disallowed_methods, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration as Elapsed, Instant};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Holiday, Segment, Week};

const QUERIES: usize = 50_000;
const RUNS: usize = 7;

fn spec(zone: &str) -> CalendarSpec {
    let week = Week::weekdays(&[
        Segment::parse("09:00", "12:00").unwrap(),
        Segment::parse("13:00", "17:00").unwrap(),
    ]);
    let mut spec = CalendarSpec::new("office", week);
    spec.zone = Some(zone.to_owned());
    spec.holidays = vec![Holiday::yearly(1, 1), Holiday::yearly(12, 25)];
    spec
}

fn median(mut times: Vec<Elapsed>) -> Elapsed {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// This thread's on-CPU time (the machine is shared: other processes' time does not count),
/// or the wall clock where Linux's schedstat is missing.
fn now() -> Elapsed {
    let cpu = std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok());
    match cpu {
        Some(ns) => Elapsed::from_nanos(ns),
        None => {
            static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
            START.get_or_init(Instant::now).elapsed()
        }
    }
}

/// The median over `RUNS` samples of one call of `f`, each sample repeating `f` for at
/// least 200 ms of CPU time (the on-CPU clock advances by scheduler ticks).
fn time<T>(mut f: impl FnMut() -> T) -> Elapsed {
    median(
        (0..RUNS)
            .map(|_| {
                // Batches that double, so that reading the clock costs nothing per call.
                let t0 = now();
                let (mut n, mut batch) = (0u32, 1u32);
                while n == 0 || now() - t0 < Elapsed::from_millis(200) {
                    for _ in 0..batch {
                        black_box(f());
                    }
                    n += batch;
                    batch = batch.saturating_mul(2);
                }
                (now() - t0) / n
            })
            .collect(),
    )
}

/// A seeded xorshift, so every run asks the same queries.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn main() {
    for zone in ["UTC", "Europe/London"] {
        let spec = spec(zone);
        println!("calendar: weekdays 09:00-12:00, 13:00-17:00, two yearly holidays, in {zone}");
        let build = time(|| Calendar::new(&spec).unwrap());
        println!("  Calendar::new: {:.1} µs", build.as_secs_f64() * 1e6);
        let t = Utc.with_ymd_and_hms(2026, 6, 1, 10, 0, 0).unwrap();
        let first = time(|| Calendar::new(&spec).unwrap().is_open(&t).unwrap());
        println!(
            "  first query in a year (compiles the year): {:.1} µs",
            (first - build).as_secs_f64() * 1e6
        );
        let horizon = (
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2029, 1, 1).unwrap(),
        );
        let year = time(|| Calendar::with_horizon(&spec, horizon.0, horizon.1).unwrap());
        println!(
            "  explicit horizon of the same 3 years: {:.1} µs",
            year.as_secs_f64() * 1e6
        );

        // Queries within compiled years: starts over 2026, spans up to a year.
        let open = Calendar::new(&spec).unwrap();
        let fixed = Calendar::with_horizon(&spec, horizon.0, horizon.1).unwrap();
        let mut rng = Rng(0x5eed_ca1e_2026_0001);
        let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let pairs: Vec<(DateTime<Utc>, DateTime<Utc>, Duration)> = (0..QUERIES)
            .map(|_| {
                let a = base + Duration::seconds((rng.next() % (365 * 86_400)) as i64);
                let b = a + Duration::seconds((rng.next() % (365 * 86_400)) as i64);
                let d = Duration::seconds((rng.next() % (1_750 * 3_600)) as i64);
                (a, b, d)
            })
            .collect();
        for (name, cal) in [("explicit horizon", &fixed), ("no horizon", &open)] {
            // Warm both: every year the pairs reach is compiled.
            for (a, b, d) in &pairs {
                black_box(cal.duration(a, b).unwrap());
                black_box(cal.add(a, *d).unwrap());
            }
            let duration = time(|| {
                pairs
                    .iter()
                    .map(|(a, b, _)| cal.duration(a, b).unwrap())
                    .fold(Duration::zero(), |s, d| s + d)
            });
            let add = time(|| pairs.iter().map(|(a, _, d)| cal.add(a, *d).unwrap()).max());
            let open_at = time(|| {
                pairs
                    .iter()
                    .filter(|(a, _, _)| cal.is_open(a).unwrap())
                    .count()
            });
            let per = |e: Elapsed| e.as_secs_f64() * 1e9 / QUERIES as f64;
            println!(
                "  {name}: duration {:.1} ns, add {:.1} ns, is_open {:.1} ns per query",
                per(duration),
                per(add),
                per(open_at)
            );
        }

        // Spans of many years.
        let (a, b) = (
            Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2036, 1, 5, 9, 0, 0).unwrap(),
        );
        let cold = time(|| Calendar::new(&spec).unwrap().duration(&a, &b).unwrap());
        let warm = time(|| open.duration(&a, &b).unwrap());
        println!(
            "  duration over 10 years: cold {:.1} µs (compiles 11 years), warm {:.0} ns",
            (cold - build).as_secs_f64() * 1e6,
            warm.as_secs_f64() * 1e9
        );
        let five = Duration::hours(7 * 250 * 5);
        let cold = time(|| Calendar::new(&spec).unwrap().add(&a, five).unwrap());
        let warm = time(|| open.add(&a, five).unwrap());
        println!(
            "  add 5 years of business time: cold {:.1} µs, warm {:.0} ns",
            (cold - build).as_secs_f64() * 1e6,
            warm.as_secs_f64() * 1e9
        );
        let c = Utc.with_ymd_and_hms(3026, 1, 5, 9, 0, 0).unwrap();
        let cold = time(|| Calendar::new(&spec).unwrap().duration(&a, &c).unwrap());
        let warm = time(|| open.duration(&a, &c).unwrap());
        println!(
            "  duration over 1,000 years: cold {:.1} ms, warm {:.0} ns",
            (cold - build).as_secs_f64() * 1e3,
            warm.as_secs_f64() * 1e9
        );
        let far = Utc.with_ymd_and_hms(102_026, 1, 5, 9, 0, 0).unwrap();
        let cold = time(|| Calendar::new(&spec).unwrap().duration(&a, &far).unwrap());
        let warm = time(|| open.duration(&a, &far).unwrap());
        println!(
            "  duration over 100,000 years: cold {:.1} ms, warm {:.0} ns",
            (cold - build).as_secs_f64() * 1e3,
            warm.as_secs_f64() * 1e9
        );
        let never = time(|| open.next_fit(&a, Duration::hours(9)).unwrap());
        println!(
            "  a window that never fits (9 hours): {:.0} ns",
            never.as_secs_f64() * 1e9
        );
    }
}
