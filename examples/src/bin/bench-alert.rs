//! Event management's throughput: `itsm_alert::decide` and `State::apply` over a stream of a
//! million signals, against the plain Python loop a user would otherwise write
//! (`examples/bench/alert_fold.py`, standard library only), in one run, with the ratio.
//!
//! The stream is generated deterministically (a seeded xorshift): [`SIGNALS`] signals on
//! [`KEYS`] message keys (a node and a check each), 40 to 200 ms apart (about 33 hours),
//! severities with a third of them clears, two descriptions; so alerts open, repeat, update,
//! close, reopen within the active interval, open anew after it, and flap. Policy:
//! `Policy::servicenow()` without an incident rule. Both loops print a summary (alerts
//! opened, repeats, reopenings, flapping, clears ignored); the two must agree.
//!
//! Also timed, deep and wide: a million signals on one key (one alert reopened and flapping
//! again and again), and `next_deadline` over a board with [`WIDE`] active alerts.
//!
//! What is measured, each the median of [`REPS`] runs: signals per second on the wall clock
//! and on the thread's CPU (`/proc/thread-self/schedstat`).
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-alert` (`--no-python` skips the
//! peer).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::io::Write;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_alert::{
    Actor, AlertId, Command, Context, Event, Policy, Severity, Signal, State, UserId, decide,
    next_deadline,
};
use itsm_examples::bench::{
    Rng, cpus_visible, load_average, median_min_max, python_peer, target_dir, thread_cpu_ns,
};

type Res<T> = Result<T, Box<dyn Error>>;

/// Signals in the main stream.
const SIGNALS: usize = 1_000_000;
/// Message keys in it.
const KEYS: u64 = 5_000;
/// Active alerts for the `next_deadline` scan.
const WIDE: usize = 100_000;
/// Repetitions of each measurement (odd: the median is one run).
const REPS: usize = 5;

const SEVERITIES: [Severity; 6] = [
    Severity::Clear,
    Severity::Info,
    Severity::Warning,
    Severity::Minor,
    Severity::Major,
    Severity::Critical,
];

/// One generated signal: milliseconds since the start, the key's node and check, the
/// severity's index, the description.
struct Generated {
    at_ms: i64,
    node: u64,
    check: u64,
    severity: usize,
    description: &'static str,
}

fn stream(n: usize, keys: u64, seed: u64) -> Vec<Generated> {
    let mut rng = Rng::new(seed);
    let mut at_ms = 0i64;
    (0..n)
        .map(|_| {
            at_ms += 40 + i64::try_from(rng.next_u64() % 161).unwrap_or(0);
            let key = rng.next_u64() % keys;
            let roll = rng.next_u64() % 100;
            let severity = if roll < 34 {
                0
            } else {
                1 + usize::try_from(roll % 5).unwrap_or(0)
            };
            Generated {
                at_ms,
                node: key / 4,
                check: key % 4,
                severity,
                description: if rng.next_u64() % 4 == 0 { "b" } else { "a" },
            }
        })
        .collect()
}

fn signal(g: &Generated) -> Signal {
    let severity = SEVERITIES
        .get(g.severity)
        .copied()
        .unwrap_or(Severity::Info);
    Signal::new("bench", format!("n{}", g.node), severity)
        .with_kind(
            ["CPU", "Disk", "HTTP", "Ping"]
                .get(usize::try_from(g.check).unwrap_or(0))
                .copied()
                .unwrap_or("CPU"),
        )
        .with_description(g.description)
}

#[derive(Default, PartialEq, Eq, Debug)]
struct Summary {
    alerts: u64,
    repeats: u64,
    reopens: u64,
    flapping: u64,
    ignored: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "alerts {} repeats {} reopens {} flapping {} ignored {}",
            self.alerts, self.repeats, self.reopens, self.flapping, self.ignored
        )
    }
}

/// The commands of a stream, built before any timing (as the Python peer holds its stream
/// decoded in memory).
fn commands(signals: &[Signal]) -> Vec<Command> {
    signals
        .iter()
        .enumerate()
        .map(|(i, signal)| Command::Ingest {
            signal: signal.clone(),
            new_alert: AlertId::from_u128(u128::try_from(i).unwrap_or(0) + 1),
        })
        .collect()
}

/// Runs the commands through `decide` and `apply`; the summary, wall and CPU seconds.
fn run(
    commands: &[Command],
    times: &[DateTime<Utc>],
    policy: &Policy,
) -> Res<(Summary, State, f64, Option<f64>)> {
    let system = Actor::new(UserId::from_u128(0), []);
    let mut state = State::new();
    let mut summary = Summary::default();
    let cpu0 = thread_cpu_ns();
    let start = Instant::now();
    for (command, now) in commands.iter().zip(times) {
        let events = decide(&state, command, &Context::new(*now, &system, policy))?;
        for event in &events {
            match event {
                Event::Opened { .. } => summary.alerts += 1,
                Event::Repeated { .. } => summary.repeats += 1,
                Event::Reopened { .. } => summary.reopens += 1,
                Event::FlappingStarted { .. } => summary.flapping += 1,
                Event::Ignored { .. } => summary.ignored += 1,
                _ => {}
            }
        }
        state.apply(&events);
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu0
        .zip(thread_cpu_ns())
        .map(|(a, b)| (b.saturating_sub(a)) as f64 / 1e9);
    Ok((summary, state, wall, cpu))
}

fn main() -> Res<()> {
    let python = !std::env::args().any(|a| a == "--no-python");
    println!(
        "bench-alert: single thread; {} CPUs visible; load average at start {}",
        cpus_visible(),
        load_average()
    );
    let mut policy = Policy::servicenow();
    policy.incident = None;
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 0, 0, 0)
        .single()
        .ok_or("no start instant")?;

    let generated = stream(SIGNALS, KEYS, 0x5eed);
    let signals: Vec<Signal> = generated.iter().map(signal).collect();
    // The tool's key on every signal, as the Python peer is given it; the keys made from
    // the fields are timed apart below.
    let keyed: Vec<Command> = commands(
        &signals
            .iter()
            .map(|s| s.clone().with_key(s.message_key().as_str()))
            .collect::<Vec<_>>(),
    );
    let unkeyed = commands(&signals);
    let times: Vec<DateTime<Utc>> = generated
        .iter()
        .map(|g| t0 + Duration::milliseconds(g.at_ms))
        .collect();
    let mut rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let mut summary = Summary::default();
    let mut board = State::new();
    for _ in 0..REPS {
        let (s, state, wall, cpu) = run(&keyed, &times, &policy)?;
        rates.push(SIGNALS as f64 / wall);
        if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
            cpu_rates.push(SIGNALS as f64 / cpu);
        }
        summary = s;
        board = state;
    }
    let (median, min, max) = median_min_max(rates).unwrap_or_default();
    println!(
        "stream: {SIGNALS} signals on {KEYS} keys over {:.1} hours",
        generated.last().map_or(0.0, |g| g.at_ms as f64 / 3.6e6)
    );
    println!("summary: {summary}");
    println!(
        "itsm-alert signals/s: {median:.0} (median of {REPS}, min {min:.0}, max {max:.0}; on CPU {:.0})",
        median_min_max(cpu_rates).map_or(0.0, |m| m.0)
    );
    println!(
        "board: {} alerts, {} active",
        board.alerts().count(),
        board.active().count()
    );
    let (main_rate, main_summary) = (median, summary.to_string());
    let mut made = Vec::new();
    for _ in 0..REPS {
        let (s, _, wall, _) = run(&unkeyed, &times, &policy)?;
        made.push(SIGNALS as f64 / wall);
        if s.to_string() != main_summary {
            println!("keys made from fields: summary differs: {s}");
        }
    }
    println!(
        "itsm-alert signals/s, keys made from the fields: {:.0}",
        median_min_max(made).map_or(0.0, |m| m.0)
    );

    // Deep: a million signals on one key.
    let deep: Vec<Signal> = (0..SIGNALS)
        .map(|i| {
            Signal::new(
                "bench",
                "n0",
                if i % 2 == 0 {
                    Severity::Critical
                } else {
                    Severity::Clear
                },
            )
        })
        .collect();
    let deep_times: Vec<DateTime<Utc>> = (0..SIGNALS)
        .map(|i| t0 + Duration::seconds(i64::try_from(i).unwrap_or(0)))
        .collect();
    let mut deep_ms = Vec::new();
    for _ in 0..REPS {
        let (s, _, wall, _) = run(&commands(&deep), &deep_times, &policy)?;
        deep_ms.push(wall * 1e3);
        summary = s;
    }
    let (median, _, _) = median_min_max(deep_ms).unwrap_or_default();
    println!("deep: {SIGNALS} signals on one key in {median:.0} ms ({summary})");

    // Wide: next_deadline over many active alerts (each with a stale deadline).
    let mut wide_policy = Policy::alerta();
    wide_policy.incident = None;
    let wide: Vec<Signal> = (0..WIDE)
        .map(|i| Signal::new("bench", format!("w{i}"), Severity::Major))
        .collect();
    let wide_times: Vec<DateTime<Utc>> = (0..WIDE)
        .map(|i| t0 + Duration::milliseconds(i64::try_from(i).unwrap_or(0)))
        .collect();
    let (_, wide_board, _, _) = run(&commands(&wide), &wide_times, &wide_policy)?;
    let mut scan_ms = Vec::new();
    let mut due = None;
    for _ in 0..REPS {
        let start = Instant::now();
        due = std::hint::black_box(next_deadline(&wide_board, &wide_policy));
        scan_ms.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let (median, _, _) = median_min_max(scan_ms).unwrap_or_default();
    println!(
        "wide: next_deadline over {} active alerts in {median:.1} ms (due {})",
        wide_board.active().count(),
        due.map_or("never".to_owned(), |d| d.to_rfc3339())
    );

    if python {
        let dir = target_dir().join("bench-alert");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("signals.tsv");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for (g, s) in generated.iter().zip(&signals) {
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                g.at_ms,
                s.message_key(),
                g.severity,
                g.description
            )?;
        }
        out.flush()?;
        drop(out);
        python_peer(
            concat!(env!("CARGO_MANIFEST_DIR"), "/bench/alert_fold.py"),
            &path,
            "signals",
            "itsm-alert",
            &main_summary,
            main_rate,
        );
    }
    Ok(())
}
