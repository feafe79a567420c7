//! Release management at scale: every public call of `itsm-release` timed on releases of
//! 10,000, 100,000 and 1,000,000 tasks (and as many phases), with the growth exponent between
//! the two largest sizes (log of the time ratio over log of the size ratio: 1.0 is linear).
//!
//! There is no release-management library to compare with (ServiceNow's rules live in its
//! platform; Python has none), so this is a scale run, not a race: it shows that each call is
//! linear in the release's size, as docs/release.md states, and how long a release of a
//! million tasks takes per command.
//!
//! Timed, each a median of [`REPS`] runs on a fresh copy of the state:
//! - `create`: a timeline release of N tasks (due dates spread over the phase) in 10 phases;
//! - `start+tick`: `start`, then one tick a month late: every phase starts, opens its tasks
//!   and sends every task's notice;
//! - `close_task`: one task closed in a phase of N / 10 open tasks;
//! - `retarget`: every key date moved a week, off 100 holidays;
//! - `risk`, `next_deadline`: on the started release;
//! - `stage chain`: a stage release of N empty phases run through by `start`.
//!
//! Run: `taskset -c 1 cargo run --release -p itsm-examples --bin bench-release` (`--quick`
//! for a smoke run at 1,000 / 10,000 / 100,000).

// A benchmark host must print its figures and read the clock; the workspace lints forbid
// both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use itsm_examples::bench::{load_average, time_median};
use itsm_release::{
    Actor, Command, Context, Holiday, Outcome, PhaseSpec, Plan, Policy, Process, ReleaseId, Role,
    State, TaskRef, TaskSpec, UserId, decide, next_deadline, risk,
};

type Res<T> = Result<T, Box<dyn Error>>;

/// Repetitions of each measurement (odd: the median is one run).
const REPS: usize = 5;

fn day(d: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 1).unwrap_or_default() + Duration::days(d)
}

fn at(days: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::days(days)
}

/// A timeline release of `n` tasks in 10 phases of a week each, from 8 March.
fn plan(n: usize) -> Plan {
    let phases = (0..10)
        .map(|i| {
            let start = day(7 + 7 * i);
            let mut p = PhaseSpec::new(format!("p{i}")).dates(start, start + Duration::days(4));
            p.tasks = (0..n / 10)
                .map(|j| TaskSpec::new(format!("t{j}")).due(start + Duration::days((j % 5) as i64)))
                .collect();
            p.checks = vec!["scan".into()];
            p
        })
        .collect();
    let holidays = (0..100).map(|d| Holiday::date(day(3 * d + 1))).collect();
    Plan::new("bench", Process::Timeline, phases)
        .with_readiness(day(80))
        .with_holidays(holidays)
}

fn run(
    state: &mut State,
    who: &Actor,
    policy: &Policy,
    when: DateTime<Utc>,
    c: Command,
) -> Res<usize> {
    let events = decide(state, &c, &Context::new(when, who, policy))?;
    state.apply(&events);
    Ok(events.len())
}

fn main() -> Res<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: [usize; 3] = if quick {
        [1_000, 10_000, 100_000]
    } else {
        [10_000, 100_000, 1_000_000]
    };
    let admin = Actor::new(UserId::from_u128(1), [Role::new("release_admin")?]);
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    println!(
        "itsm-release at scale, medians of {REPS} runs (ms); load average {}",
        load_average()
    );
    let names = [
        "create",
        "start+tick",
        "close_task",
        "retarget",
        "risk",
        "next_deadline",
        "stage chain",
    ];
    let mut table: Vec<Vec<f64>> = Vec::new();
    for &n in &sizes {
        let mut row = Vec::new();
        let p = plan(n);
        let (ms, _, created) = time_median(REPS, || {
            let mut s = State::new();
            run(
                &mut s,
                &admin,
                &policy,
                at(0),
                Command::create(ReleaseId::from_u128(1), p.clone()),
            )?;
            Ok(s)
        })?;
        row.push(ms);
        let (ms, _, started) = time_median(REPS, || {
            let mut s = created.clone();
            run(&mut s, &admin, &policy, at(0), Command::Start)?;
            let k = run(&mut s, &admin, &policy, at(9), Command::Tick)?;
            Ok((s, k))
        })?;
        row.push(ms);
        let (started, events) = started;
        let (ms, _, _) = time_median(REPS, || {
            let mut s = started.clone();
            run(
                &mut s,
                &admin,
                &policy,
                at(9),
                Command::CloseTask {
                    task: TaskRef::new(0, 0),
                    outcome: Outcome::Complete,
                },
            )
        })?;
        row.push(ms);
        let (ms, _, _) = time_median(REPS, || {
            let mut s = started.clone();
            run(
                &mut s,
                &admin,
                &policy,
                at(9),
                Command::Retarget { readiness: day(87) },
            )
        })?;
        row.push(ms);
        let (ms, _, score) = time_median(REPS, || Ok(risk(&started, at(9), &policy).score))?;
        row.push(ms);
        let (ms, _, next) = time_median(REPS, || Ok(next_deadline(&started, &policy)))?;
        row.push(ms);
        let chain = Plan::new(
            "chain",
            Process::Stage,
            (0..n).map(|i| PhaseSpec::new(format!("p{i}"))).collect(),
        );
        let mut fresh = State::new();
        run(
            &mut fresh,
            &admin,
            &policy,
            at(0),
            Command::create(ReleaseId::from_u128(2), chain),
        )?;
        let (ms, _, _) = time_median(REPS, || {
            let mut s = fresh.clone();
            run(&mut s, &admin, &policy, at(0), Command::Start)
        })?;
        row.push(ms);
        println!(
            "n = {n}: {events} events in the late tick, risk {score}, next deadline {}",
            next.map_or_else(|| "none".to_owned(), |d| d.to_rfc3339())
        );
        table.push(row);
    }
    println!();
    print!("{:<15}", "call");
    for n in sizes {
        print!("{:>14}", n);
    }
    println!("{:>9}", "growth");
    let (Some(small), Some(large)) = (sizes.get(1), sizes.get(2)) else {
        return Ok(());
    };
    let ratio = (*large as f64 / *small as f64).ln();
    for (i, name) in names.iter().enumerate() {
        print!("{name:<15}");
        let mut values = Vec::new();
        for row in &table {
            let v = row.get(i).copied().unwrap_or(f64::NAN);
            values.push(v);
            print!("{v:>14.3}");
        }
        let growth = match (values.get(1), values.get(2)) {
            (Some(a), Some(b)) if *a > 0.0 && *b > 0.0 => (b / a).ln() / ratio,
            _ => f64::NAN,
        };
        println!("{growth:>9.2}");
        println!("growth {name}: {growth:.2}");
    }
    Ok(())
}
