//! The simulation against queueing theory: for Poisson arrivals and exponential service with
//! c agents (M/M/c), the simulated mean wait must match Erlang C within the 95% confidence
//! interval of independent replications (each with its own seed and a warm-up), and so must
//! the share of tickets that wait. With two priorities, each class's mean wait matches Cobham's
//! formula (non-pre-emptive) and the urgent class's matches Erlang C of its own load alone
//! (pre-emptive resume). The replications run on the fast path: `cargo test`
//! builds in debug, and this test stays within a few seconds there.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

use itsm_sim::chrono::Duration;
use itsm_sim::{Arrivals, Config, Discipline, Engine, Interval, Mmc, Model, simulate};

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

/// Two classes on M/M/c (priority 3 at `l1`, priority 4 at `l2`, both exponential at `mu`)
/// under `discipline`: the intervals of each class's mean wait over ten replications.
fn two_classes(l1: f64, l2: f64, mu: f64, c: u32, discipline: Discipline) -> (Interval, Interval) {
    let (warmup_h, run_h) = (500, 20_000);
    let mut config = Config::mmc(l1, mu, c, Duration::hours(warmup_h + run_h));
    config.warmup = Duration::hours(warmup_h);
    config.sample_every = Duration::hours(run_h);
    let mut low = config.classes[0].clone();
    low.priority = 4;
    low.arrivals = Arrivals::per_hour(l2);
    config.classes.push(low);
    config.discipline = discipline;
    let model = Model::new(config).unwrap();
    let (mut high, mut low) = (Vec::new(), Vec::new());
    for seed in 1..=10 {
        let report = simulate(&model, seed, Engine::Fast).unwrap();
        assert_eq!(
            report.arrivals,
            report.completed + report.in_service + report.queued
        );
        high.push(report.classes[0].waits.mean_hours);
        low.push(report.classes[1].waits.mean_hours);
    }
    (Interval::of(&high).unwrap(), Interval::of(&low).unwrap())
}

#[test]
fn non_preemptive_priorities_match_cobham() {
    // Cobham's formula for non-pre-emptive priorities on M/M/c with one service rate: class
    // k waits C / (c mu) / ((1 - s(k-1)) (1 - s(k))) on average, where C is Erlang C's
    // probability of waiting for the whole load and s(k) the load of classes 1..k over c.
    let (l1, l2, mu, c) = (0.6, 1.0, 1.0, 2);
    let (high, low) = two_classes(l1, l2, mu, c, Discipline::NonPreemptive);
    let all = Mmc::new(l1 + l2, mu, c).unwrap();
    let base = all.probability_of_waiting / (f64::from(c) * mu);
    let s1 = l1 / (f64::from(c) * mu);
    let s2 = (l1 + l2) / (f64::from(c) * mu);
    let (w1, w2) = (base / (1.0 - s1), base / ((1.0 - s1) * (1.0 - s2)));
    eprintln!("Cobham: {w1:.4} and {w2:.4}; simulated {high:?} and {low:?}");
    assert!(high.contains(w1), "{high:?} vs {w1}");
    assert!(low.contains(w2), "{low:?} vs {w2}");
    assert!(high.half_width < 0.1 * w1 && low.half_width < 0.1 * w2);
}

#[test]
fn preemptive_priority_hides_the_less_urgent_load() {
    // Pre-emptive resume with one service rate: the urgent class never waits for the other,
    // so its tickets see M/M/c with their own arrivals alone (Erlang C at l1); without
    // pre-emption they wait longer (the Cobham figure above). (The other class's wait until
    // its work first starts has no such closed form; it is not checked here.)
    let (l1, l2, mu, c) = (0.6, 1.0, 1.0, 2);
    let (high, _) = two_classes(l1, l2, mu, c, Discipline::PreemptiveResume);
    let alone = Mmc::new(l1, mu, c).unwrap().mean_wait;
    eprintln!("pre-emptive: urgent {high:?} vs Erlang C alone {alone:.4}");
    assert!(high.contains(alone), "{high:?} vs {alone}");
    assert!(high.half_width < 0.1 * alone);
    let (plain_high, _) = two_classes(l1, l2, mu, c, Discipline::NonPreemptive);
    assert!(plain_high.mean > high.mean + high.half_width + plain_high.half_width);
}
