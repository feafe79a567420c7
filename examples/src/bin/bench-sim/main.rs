//! The same M/M/c service desk in SimPy and in itsm-sim: both answers next to Erlang C's,
//! and the speed ratio.
//!
//! Installs SimPy into `target/venv-simpy` (a virtual environment; never system-wide; reused
//! when present), runs `examples/scripts/bench_sim.py` (the model in SimPy: same rates,
//! agents, horizon, warm-up and seeds, same measure), then the model in itsm-sim on the fast
//! path (the plain queueing core) and, for reference, on the full path (every ticket through
//! itsm-incident and itsm-sla). Each is timed several times; medians are printed, the ratio
//! is SimPy's median over ours on the fast path, on-CPU time where the kernel reports it.
//!
//! ```text
//! cargo run --release -p itsm-examples --bin bench-sim [-- --quick]
//! ```
//! Prints `ratio vs simpy: X` and `erlang c check: pass` when Erlang C's mean wait lies in
//! both simulators' 95% confidence intervals (over the seeds), `fail` otherwise (exit 1).
//! Without Python, venv or pip it says so and exits 2.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints, times and runs Python

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

use chrono::Duration;
use itsm_examples::bench::{clock_in_use, last_line, load_average, median, thread_cpu_ns};
use itsm_sim::{Config, Engine, Interval, Mmc, Model, simulate};
use serde::Deserialize;

const LAMBDA: f64 = 9.0;
const MU: f64 = 1.0;
const AGENTS: u32 = 10;

#[derive(Deserialize)]
struct Seed {
    mean: f64,
    waited: f64,
    count: u64,
}

#[derive(Deserialize)]
struct Peer {
    simpy: String,
    seeds: Vec<Seed>,
    times: Vec<f64>,
    cpu: Vec<f64>,
}

/// The workspace's root folder.
fn root() -> PathBuf {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    examples.parent().unwrap_or(examples).to_path_buf()
}

/// The virtual environment's interpreter with SimPy importable, installing what is missing.
fn simpy() -> Result<PathBuf, String> {
    let venv = root().join("target/venv-simpy");
    let python = venv.join("bin/python");
    if !python.exists() {
        let out = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .output()
            .map_err(|e| {
                format!(
                    "python3 not found ({e}); the SimPy comparison needs Python 3 with venv and pip"
                )
            })?;
        if !out.status.success() {
            return Err(format!(
                "python3 -m venv {} failed: {} (install Python's venv module, e.g. python3-venv)",
                venv.display(),
                last_line(&out.stderr)
            ));
        }
    }
    let has = |python: &PathBuf| {
        Command::new(python)
            .args(["-c", "import simpy"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has(&python) {
        let out = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "simpy",
            ])
            .output()
            .map_err(|e| format!("pip could not start: {e}"))?;
        if !out.status.success() || !has(&python) {
            return Err(format!(
                "pip install simpy into {} failed: {}",
                venv.display(),
                last_line(&out.stderr)
            ));
        }
    }
    Ok(python)
}

/// Wall and on-CPU seconds of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, Option<f64>) {
    let (wall, cpu) = (Instant::now(), thread_cpu_ns());
    let out = f();
    let cpu = cpu
        .zip(thread_cpu_ns())
        .map(|(a, b)| (b.saturating_sub(a)) as f64 / 1e9);
    (out, wall.elapsed().as_secs_f64(), cpu)
}

fn show(ci: &Interval) -> String {
    format!("{:.4} h ± {:.4}", ci.mean, ci.half_width)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("bench-sim: {e}");
            println!("bench-sim: cannot compare with SimPy: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, String> {
    let quick = std::env::args().any(|a| a == "--quick");
    let (warmup, hours, seeds, peer_runs, our_runs) = if quick {
        (200, 2_000, 5u64, 1usize, 3usize)
    } else {
        (500, 10_000, 10, 3, 7)
    };
    let seed_list: Vec<u64> = (1..=seeds).collect();
    let theory = Mmc::new(LAMBDA, MU, AGENTS).ok_or("the model is not stable")?;
    println!(
        "model: M/M/{AGENTS}, arrivals {LAMBDA}/h, service rate {MU}/h (utilisation {:.2}), {hours} h after {warmup} h of warm-up, seeds 1-{seeds}",
        theory.utilisation
    );
    println!("clock: {}; load average {}", clock_in_use(), load_average());
    println!(
        "erlang c: mean wait {:.4} h, probability of waiting {:.4}",
        theory.mean_wait, theory.probability_of_waiting
    );

    let python = simpy()?;
    let out = Command::new(&python)
        .arg(root().join("examples/scripts/bench_sim.py"))
        .args([
            "--lam",
            &LAMBDA.to_string(),
            "--mu",
            &MU.to_string(),
            "--c",
            &AGENTS.to_string(),
        ])
        .args([
            "--horizon",
            &(warmup + hours).to_string(),
            "--warmup",
            &warmup.to_string(),
        ])
        .arg("--seeds")
        .args(seed_list.iter().map(u64::to_string))
        .args(["--repeats", &peer_runs.to_string()])
        .output()
        .map_err(|e| format!("cannot run the SimPy script: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the SimPy script failed: {}",
            last_line(&out.stderr)
        ));
    }
    let peer: Peer = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("the SimPy script's output is not its JSON: {e}"))?;
    let peer_means: Vec<f64> = peer.seeds.iter().map(|s| s.mean).collect();
    let peer_waited: Vec<f64> = peer.seeds.iter().map(|s| s.waited).collect();
    let peer_count: u64 = peer.seeds.iter().map(|s| s.count).sum();
    let peer_ci = Interval::of(&peer_means).ok_or("too few SimPy seeds")?;
    let peer_pw = Interval::of(&peer_waited).ok_or("too few SimPy seeds")?;
    let peer_wall = median(peer.times.clone()).ok_or("no SimPy timing")?;
    let peer_cpu = median(peer.cpu.clone()).ok_or("no SimPy timing")?;
    println!(
        "simpy {}: mean wait {} (95% CI over seeds), probability of waiting {:.4} ± {:.4}, {peer_count} tickets measured",
        peer.simpy,
        show(&peer_ci),
        peer_pw.mean,
        peer_pw.half_width
    );
    println!(
        "simpy time: median {peer_wall:.3} s wall, {peer_cpu:.3} s CPU of {peer_runs} run(s) (all seeds)"
    );

    let mut config = Config::mmc(LAMBDA, MU, AGENTS, Duration::hours(warmup + hours));
    config.warmup = Duration::hours(warmup);
    config.sample_every = Duration::hours(hours); // one backlog sample: SimPy keeps none
    let model = Model::new(config).map_err(|e| e.to_string())?;
    let all = |engine: Engine| {
        seed_list
            .iter()
            .map(|s| simulate(&model, *s, engine))
            .collect::<Result<Vec<_>, _>>()
    };
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut reports = Vec::new();
    for _ in 0..our_runs {
        let (r, wall, cpu) = timed(|| all(Engine::Fast));
        reports = r.map_err(|e| e.to_string())?;
        walls.push(wall);
        cpus.extend(cpu);
    }
    let means: Vec<f64> = reports.iter().map(|r| r.waits.mean_hours).collect();
    let waited: Vec<f64> = reports.iter().map(|r| r.waits.waited).collect();
    let count: u64 = reports.iter().map(|r| r.waits.count).sum();
    let events: u64 = reports.iter().map(|r| r.arrivals + r.completed).sum();
    let ours_ci = Interval::of(&means).ok_or("too few seeds")?;
    let ours_pw = Interval::of(&waited).ok_or("too few seeds")?;
    let wall = median(walls).ok_or("no timing")?;
    let cpu = median(cpus);
    println!(
        "itsm-sim fast path: mean wait {} (95% CI over seeds), probability of waiting {:.4} ± {:.4}, {count} tickets measured",
        show(&ours_ci),
        ours_pw.mean,
        ours_pw.half_width
    );
    println!(
        "itsm-sim time: median {wall:.4} s wall, {} CPU of {our_runs} runs ({:.1} M events/s)",
        cpu.map_or("n/a".into(), |c| format!("{c:.4} s")),
        events as f64 / cpu.unwrap_or(wall).max(1e-9) / 1e6
    );
    let (full, full_wall, full_cpu) = timed(|| all(Engine::Full));
    let full = full.map_err(|e| e.to_string())?;
    let same = full.iter().zip(&reports).all(|(a, b)| a.waits == b.waits);
    let full_secs = full_cpu.unwrap_or(full_wall);
    println!(
        "itsm-sim full path (itsm-incident + itsm-sla per ticket): same waits as the fast path: {}; {full_wall:.3} s wall, {} CPU, 1 run ({:.1}x SimPy's speed)",
        if same { "yes" } else { "NO" },
        full_cpu.map_or("n/a".into(), |c| format!("{c:.3} s")),
        peer_cpu / full_secs.max(1e-9)
    );
    let ours = cpu.unwrap_or(wall);
    let theirs = if cpu.is_some() { peer_cpu } else { peer_wall };
    println!("ratio vs simpy: {:.0}", theirs / ours.max(1e-9));
    let pass = peer_ci.contains(theory.mean_wait) && ours_ci.contains(theory.mean_wait) && same;
    println!("erlang c check: {}", if pass { "pass" } else { "fail" });
    Ok(pass)
}
