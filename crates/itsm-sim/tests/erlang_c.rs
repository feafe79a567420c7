//! The simulation against queueing theory: for Poisson arrivals and exponential service with
//! c agents (M/M/c), the simulated mean wait must match Erlang C within the 95% confidence
//! interval of independent replications (each with its own seed and a warm-up), and so must
//! the share of tickets that wait. The replications run on the fast path: `cargo test`
//! builds in debug, and this test stays within a few seconds there.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

use itsm_sim::chrono::Duration;
use itsm_sim::{Config, Engine, Interval, Mmc, Model, simulate};

/// Runs `reps` replications of M/M/c and returns the intervals of the mean wait and of the
/// share that waited.
fn replicate(
    lambda: f64,
    mu: f64,
    c: u32,
    warmup_h: i64,
    run_h: i64,
    reps: u64,
) -> (Interval, Interval) {
    let mut config = Config::mmc(lambda, mu, c, Duration::hours(warmup_h + run_h));
    config.warmup = Duration::hours(warmup_h);
    config.sample_every = Duration::hours(run_h); // the backlog is not under test here
    let model = Model::new(config).unwrap();
    let (mut means, mut waited) = (Vec::new(), Vec::new());
    for seed in 1..=reps {
        let report = simulate(&model, seed, Engine::Fast).unwrap();
        assert_eq!(
            report.arrivals,
            report.completed + report.in_service + report.queued
        );
        means.push(report.waits.mean_hours);
        waited.push(report.waits.waited);
    }
    (
        Interval::of(&means).unwrap(),
        Interval::of(&waited).unwrap(),
    )
}

fn check(lambda: f64, mu: f64, c: u32, warmup_h: i64, run_h: i64) {
    let theory = Mmc::new(lambda, mu, c).unwrap();
    let (wait, waited) = replicate(lambda, mu, c, warmup_h, run_h, 10);
    eprintln!(
        "M/M/{c} lambda {lambda} mu {mu}: Erlang C wait {:.4}, simulated {:.4} ± {:.4}; P(wait) {:.4}, simulated {:.4} ± {:.4}",
        theory.mean_wait,
        wait.mean,
        wait.half_width,
        theory.probability_of_waiting,
        waited.mean,
        waited.half_width
    );
    assert!(
        wait.contains(theory.mean_wait),
        "mean wait {wait:?} vs Erlang C {}",
        theory.mean_wait
    );
    assert!(
        waited.contains(theory.probability_of_waiting),
        "P(wait) {waited:?} vs Erlang C {}",
        theory.probability_of_waiting
    );
    // The interval is narrow enough to mean something: within 10% of the value.
    assert!(wait.half_width < 0.1 * theory.mean_wait, "{wait:?}");
}

#[test]
fn mmc_4_1_5_matches_erlang_c() {
    check(4.0, 1.0, 5, 200, 4_000);
}

#[test]
fn mmc_9_1_10_matches_erlang_c() {
    check(9.0, 1.0, 10, 500, 20_000);
}

#[test]
fn mmc_half_fifth_3_matches_erlang_c() {
    check(0.5, 0.2, 3, 2_000, 150_000);
}

#[test]
fn a_wrong_theory_falls_outside_the_interval() {
    // The check has teeth: Erlang C for one agent fewer is far outside.
    let (wait, _) = replicate(4.0, 1.0, 5, 200, 4_000, 10);
    let wrong = Mmc::new(4.0, 1.0, 6).unwrap().mean_wait;
    assert!(!wait.contains(wrong));
    let wrong = 1.1 * Mmc::new(4.0, 1.0, 5).unwrap().mean_wait;
    assert!(!wait.contains(wrong), "{wait:?}");
}
