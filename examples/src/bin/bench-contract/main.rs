//! Contract management's throughput: a portfolio of 100,000 contracts driven day by day
//! through two simulated years by `itsm_contract::decide`, `State::apply` and
//! `next_deadline`, against the plain Python a user would otherwise write
//! (`examples/bench/contract_run.py`, standard library only, the same rules of
//! `docs/contract.md` for the same commands: there is no Python library for contract
//! lifecycles), in one run, with the ratio.
//!
//! The portfolio is generated deterministically (a seeded xorshift): every model, start dates
//! from eight months before the contract is created to three months after (one in twenty
//! none), end dates three weeks to two and a half years after (one in ten open-ended), 0 to
//! 20 covered assets with costs and residual costs, users on two contracts in five, 0 to 3
//! rate cards of every interval (mostly monthly, one in a hundred daily) charging the
//! contract, evenly per asset, by the assets' cost or residual cost, or per user, with taxes
//! in hundredths of a percent (a few cards are credits), one spec in two hundred invalid.
//! Each contract gets the script its users would follow, blind to how the rules answer:
//! created, sometimes edited, submitted, approved (or rejected, edited, resubmitted and
//! approved; a few approved first by the wrong approver; a few left under review), then
//! renewals with percentage or amount adjustments (saved or submitted, approved or
//! rejected, some chained), extensions, adjustments, cancellations, assets and users covered
//! and uncovered, rate cards added and deactivated, and some stale approvals. Commands the
//! rules refuse are refused by both sides.
//!
//! The host runs the days in order: each day the users' commands of that day, then the
//! daily job (`Command::Tick`) for every contract whose `next_deadline` has come, kept in a
//! `BTreeMap` of due days (a contract is ticked again at once while its deadline is today,
//! as `max_lines_per_tick` asks; the policy allows 500 lines a tick, so that catch-ups take
//! several). Both sides print a summary (ticks, ticks without events, ticks due today that
//! did nothing, commands accepted and refused, events by type, expense lines, charges of a
//! card split over assets or users that went to the contract, total lifetime cost, total
//! cost, tax cost, payment amount shown, cost per asset and projections summed, contracts per
//! expiration level and per final status); the two must agree (`mismatches: 0`). The Rust side also prints its refusals by
//! command and error (an adjustment of the end date or the payment amount alone is counted
//! apart).
//!
//! Also timed at scale, each a median of several runs at 100,000 and 1,000,000 (10,000 and
//! 100,000 with `--quick`), with the growth exponent between them (log of the time ratio over
//! log of the size ratio; 1.0 is linear, 0 constant):
//! - `tick_by_value`: one tick charging a monthly card split by value over N covered assets
//!   (N expense lines), and `apply_by_value`, its events folded;
//! - `tick_daily_span`: one tick charging a daily card over N days (N charges; the policy's
//!   `max_lines_per_tick` is N), `apply_daily_span`, and `catch_up`: the same span with at
//!   most 10,000 lines a tick, the host ticking again while `next_deadline` is today;
//! - `tick_to_contract`: one tick charging a card to the contract (one line) on a contract
//!   covering N assets;
//! - `create`: a contract covering N assets created (checked and folded);
//! - the queries on a contract covering N assets: `cost_per_asset`, `projected`,
//!   `total_cost`, `covered_assets`, `assets_on`, `next_deadline`, `expiration_level`;
//! - single commands on a contract already covering N assets (or N users): `cover`,
//!   `uncover` (the last asset), `apply_uncovered`, `add_user`, `add_rate_card` (a card over
//!   all N assets);
//! - deep: `renew` and `next_deadline` on a contract renewed N/10 times (its history).
//!
//! A single pass over the coverage (`covered_assets`) is the yardstick: between these sizes
//! it grows faster than 1 (the smaller size fits in the last-level cache, the larger does
//! not), so a case is called slower than linear only when it grows clearly faster than the
//! yardstick; the single commands and one-line ticks whose time grows with N are listed
//! apart (a host covering N assets one command at a time does O(N²) work).
//!
//! What is measured: the whole simulation in milliseconds on the wall clock and on the
//! thread's CPU (`/proc/thread-self/schedstat`), the median of [`Sizes::reps`] runs (the
//! peer: [`Sizes::py_reps`]). The peer runs in the benchmarks' virtual environment under
//! the Cargo target folder (made with `python3 -m venv` if missing; no package installed).
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-contract` (about five minutes;
//! `--quick` for a smoke run of ten seconds, `--no-python` skips the peer, `--scale-only`
//! runs only the runs at scale, `--workload-only` stops after the main workload).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use itsm_contract::chrono::{Datelike, Days, NaiveDate};
use itsm_contract::{
    Actor, Command, Context, ContractId, ContractSpec, CoveredAsset, Distribute, Edit, Event,
    Interval, Model, Policy, Rate, RateCardSpec, Renewal, Role, State, Status, Summary, UserId,
    decide, next_deadline,
};
use itsm_examples::bench::{
    Args, Opt, Ours, Rng, clock_in_use, compare_with_peer, cpus_visible, load_average,
    median_min_max, memory_latency, peak_mb, target_dir, thread_cpu_ns, usage,
};

type Res<T> = Result<T, Box<dyn Error>>;

/// What one run measures: full or `--quick`.
struct Sizes {
    /// Contracts in the portfolio.
    contracts: u64,
    /// Days simulated.
    days: u32,
    /// Runs of the simulation (odd: the median is one run), and the peer's.
    reps: usize,
    py_reps: usize,
    /// The sizes of the scale runs (the growth is between them), and their runs.
    scale: [u64; 2],
    scale_reps: usize,
}

const FULL: Sizes = Sizes {
    contracts: 100_000,
    days: 730,
    reps: 5,
    py_reps: 3,
    scale: [100_000, 1_000_000],
    scale_reps: 5,
};

const QUICK: Sizes = Sizes {
    contracts: 5_000,
    days: 365,
    reps: 1,
    py_reps: 1,
    scale: [10_000, 100_000],
    scale_reps: 3,
};

/// The most expense lines one tick generates in the portfolio (small enough that the
/// catch-up of a backdated contract with a daily card over many assets takes several).
const LINES_PER_TICK: u32 = 500;
/// The lines a tick of the `catch_up` scale run generates.
const CATCH_UP_LINES: u32 = 10_000;
/// The simulation's first day.
const BASE: (i32, u32, u32) = (2026, 1, 1);

// The actors: a contract manager, a finance user, the host's system account for the job,
// and twenty approvers (each a contract manager too).
const MANAGER: u8 = 0;
const FINANCE: u8 = 1;
const SYSTEM: u8 = 2;
const APPROVERS: u64 = 20;

fn approver_actor(i: u64) -> u8 {
    u8::try_from(3 + i % APPROVERS).unwrap_or(3)
}

fn approver_user(i: u64) -> UserId {
    UserId::from_u128(100 + u128::from(i % APPROVERS))
}

fn actors() -> Res<Vec<Actor>> {
    let manager = Role::new("contract_manager")?;
    let mut out = vec![
        Actor::new(UserId::from_u128(1), [manager.clone()]),
        Actor::new(UserId::from_u128(2), [Role::new("financial_mgmt_user")?]),
        Actor::new(UserId::from_u128(3), []),
    ];
    for i in 0..APPROVERS {
        out.push(Actor::new(approver_user(i), [manager.clone()]));
    }
    Ok(out)
}

fn base() -> Res<NaiveDate> {
    NaiveDate::from_ymd_opt(BASE.0, BASE.1, BASE.2).ok_or_else(|| "no base date".into())
}

/// `base` moved by `days` (either sign).
fn shift(base: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        base.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        base.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(base)
}

// ---------------------------------------------------------------------------------------
// The workload: the portfolio and its users' commands.

mod workload;
use workload::{Op, workload};

/// Every event type, in the order the summaries list them.
const EVENTS: [&str; 21] = [
    "created",
    "edited",
    "requested",
    "submitted",
    "approved",
    "rejected",
    "activated",
    "renewed",
    "extended",
    "adjusted",
    "expired",
    "canceled",
    "reminded",
    "charged",
    "passed",
    "covered",
    "uncovered",
    "user_added",
    "user_removed",
    "rate_card_added",
    "rate_card_deactivated",
];

fn event_index(e: &Event) -> usize {
    match e {
        Event::Created { .. } => 0,
        Event::Edited { .. } => 1,
        Event::Requested { .. } => 2,
        Event::Submitted { .. } => 3,
        Event::Approved { .. } => 4,
        Event::Rejected { .. } => 5,
        Event::Activated { .. } => 6,
        Event::Renewed { .. } => 7,
        Event::Extended { .. } => 8,
        Event::Adjusted { .. } => 9,
        Event::Expired { .. } => 10,
        Event::Canceled { .. } => 11,
        Event::Reminded { .. } => 12,
        Event::Charged { .. } => 13,
        Event::Passed { .. } => 14,
        Event::Covered { .. } => 15,
        Event::Uncovered { .. } => 16,
        Event::UserAdded { .. } => 17,
        Event::UserRemoved { .. } => 18,
        Event::RateCardAdded { .. } => 19,
        Event::RateCardDeactivated { .. } => 20,
        _ => EVENTS.len(),
    }
}

#[derive(Default, Clone, Debug)]
struct Tally {
    ticks: u64,
    idle: u64,
    stuck: u64,
    accepted: u64,
    refused: u64,
    by_type: [u64; EVENTS.len() + 1],
    /// Charges of a card split over assets or users that went to the contract (none of them
    /// covered on the charge date).
    fallbacks: u64,
    /// The refused commands (their command's name) and why, for the breakdown.
    refusals: Vec<(&'static str, itsm_contract::Error)>,
}

impl Tally {
    /// Counts `events` by type (before they are folded into `state`).
    fn count(&mut self, state: &State, events: &[Event]) {
        for e in events {
            if let Some(n) = self.by_type.get_mut(event_index(e)) {
                *n += 1;
            }
            if let Event::Charged { card, lines, .. } = e {
                let split = state
                    .contract()
                    .and_then(|c| c.rate_cards.get(*card as usize))
                    .is_some_and(|c| c.spec.distribute != Distribute::Contract);
                if split
                    && matches!(&lines[..], [line] if line.asset.is_none() && line.user.is_none())
                {
                    self.fallbacks += 1;
                }
            }
        }
    }
}

/// The due days: each contract's next tick, kept once (a stale entry is skipped).
struct Due {
    at: Vec<Option<NaiveDate>>,
    days: BTreeMap<NaiveDate, Vec<u32>>,
}

impl Due {
    fn new(n: usize) -> Self {
        Due {
            at: vec![None; n],
            days: BTreeMap::new(),
        }
    }

    fn set(&mut self, k: u32, day: Option<NaiveDate>) {
        let Some(slot) = self.at.get_mut(k as usize) else {
            return;
        };
        if *slot != day {
            *slot = day;
            if let Some(day) = day {
                self.days.entry(day).or_default().push(k);
            }
        }
    }
}

/// The daily job for contract `k` on `today`, again while its deadline is today.
fn tick(
    state: &mut State,
    k: u32,
    today: NaiveDate,
    ctx: &Context<'_>,
    due: &mut Due,
    tally: &mut Tally,
) -> Res<()> {
    loop {
        tally.ticks += 1;
        let events = decide(state, &Command::Tick, ctx)?;
        tally.count(state, &events);
        state.apply(&events);
        match next_deadline(state, ctx.policy) {
            Some(next) if next <= today => {
                if events.is_empty() {
                    // Due today and nothing to do: a deadline the job does not honour.
                    tally.stuck += 1;
                    due.set(k, today.succ_opt());
                    return Ok(());
                }
            }
            next => {
                if events.is_empty() {
                    tally.idle += 1;
                }
                due.set(k, next);
                return Ok(());
            }
        }
    }
}

/// The days in order: the users' commands, then the job for the contracts due.
fn simulate(
    ops: &[Op],
    contracts: usize,
    days: u32,
    base: NaiveDate,
    actors: &[Actor],
    policy: &Policy,
) -> Res<(Tally, Vec<State>)> {
    let mut states = vec![State::new(); contracts];
    let mut due = Due::new(contracts);
    let mut tally = Tally::default();
    let system = actors.get(usize::from(SYSTEM)).ok_or("no system actor")?;
    let mut next = 0;
    for d in 0..days {
        let today = shift(base, i64::from(d));
        while let Some(op) = ops.get(next).filter(|o| o.day == i64::from(d)) {
            next += 1;
            let actor = actors.get(usize::from(op.actor)).ok_or("no actor")?;
            let state = states
                .get_mut(op.contract as usize)
                .ok_or("no such contract")?;
            match decide(state, &op.command, &Context::new(today, actor, policy)) {
                Ok(events) => {
                    tally.accepted += 1;
                    tally.count(state, &events);
                    state.apply(&events);
                    let next = next_deadline(state, policy).map(|n| n.max(today));
                    due.set(op.contract, next);
                }
                Err(e) => {
                    tally.refused += 1;
                    let name = match &op.command {
                        // The start unchanged: refused only for what the start already was.
                        Command::Adjust { start: None, .. } => "adjust(end/payment only)",
                        c => c.name(),
                    };
                    tally.refusals.push((name, e));
                }
            }
        }
        let ctx = Context::new(today, system, policy);
        while let Some(entry) = due.days.first_entry() {
            if *entry.key() > today {
                break;
            }
            let (day, list) = entry.remove_entry();
            for k in list {
                if due.at.get(k as usize).copied().flatten() != Some(day) {
                    continue;
                }
                if let Some(slot) = due.at.get_mut(k as usize) {
                    *slot = None;
                }
                let state = states.get_mut(k as usize).ok_or("no such contract")?;
                tick(state, k, today, &ctx, &mut due, &mut tally)?;
            }
        }
    }
    Ok((tally, states))
}

/// The refusals by command and error variant, the most frequent first.
fn refusals(t: &Tally) -> String {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for (command, e) in &t.refusals {
        let debug = format!("{e:?}");
        let variant = debug
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_owned();
        *by.entry(format!("{command} {variant}")).or_default() += 1;
    }
    let mut list: Vec<(String, usize)> = by.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(t: &Tally, states: &[State], last_day: NaiveDate, policy: &Policy) -> String {
    let mut by_status = [0u64; 4];
    let mut levels: BTreeMap<u32, u64> = policy.reminders.iter().map(|&d| (d, 0)).collect();
    let (mut lines, mut lifetime, mut total, mut taxes, mut shown) =
        (0u64, 0i128, 0i128, 0i128, 0i128);
    let (mut annual, mut monthly, mut per_asset) = (0i128, 0i128, 0i128);
    for c in states.iter().filter_map(State::contract) {
        let k = match c.status {
            Status::Draft => 0,
            Status::Active => 1,
            Status::Expired => 2,
            _ => 3,
        };
        if let Some(n) = by_status.get_mut(k) {
            *n += 1;
        }
        lines += c.lines;
        lifetime += i128::from(c.lifetime_cost);
        total += i128::from(c.total_cost());
        taxes += i128::from(c.tax_cost());
        shown += i128::from(c.shown_payment_amount());
        let p = c.projected();
        annual += i128::from(p.annual);
        monthly += i128::from(p.monthly);
        per_asset += i128::from(c.cost_per_asset().unwrap_or(0));
        if let Some(level) = c.expiration_level(last_day, &policy.reminders) {
            *levels.entry(level).or_default() += 1;
        }
    }
    let mut out = format!(
        "ticks {} idle_ticks {} stuck_ticks {} accepted {} refused {} events {}",
        t.ticks,
        t.idle,
        t.stuck,
        t.accepted,
        t.refused,
        t.by_type.iter().sum::<u64>()
    );
    for (name, n) in EVENTS.iter().zip(&t.by_type) {
        out.push_str(&format!(" {name} {n}"));
    }
    out.push_str(&format!(
        " lines {lines} fallback_charges {} lifetime_cost {lifetime} total_cost {total} \
         tax_cost {taxes} payment_shown {shown} projected_annual {annual} \
         projected_monthly {monthly} cost_per_asset {per_asset}",
        t.fallbacks
    ));
    for (level, n) in levels.iter().rev() {
        out.push_str(&format!(" level_{level} {n}"));
    }
    let [d, a, e, c] = by_status;
    out.push_str(&format!(" draft {d} active {a} expired {e} canceled {c}"));
    out
}

// ---------------------------------------------------------------------------------------
// The peer.

/// The workload as the peer reads it: a header (the first day, the days, the policy and the
/// actors in the crate's JSON), then one line per command: its day, contract and actor, a
/// tab each, and the command in the crate's JSON.
fn write_input(
    dir: &Path,
    ops: &[Op],
    sizes: &Sizes,
    base: NaiveDate,
    actors: &[Actor],
    policy: &Policy,
) -> Res<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("workload.tsv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let header = serde_json::json!({
        "start": base,
        "days": sizes.days,
        "contracts": sizes.contracts,
        "policy": policy,
        "actors": actors,
    });
    writeln!(out, "{header}")?;
    for op in ops {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            op.day,
            op.contract,
            op.actor,
            serde_json::to_string(&op.command)?
        )?;
    }
    out.flush()?;
    Ok(path)
}

/// Runs the peer; prints its lines, the mismatches and the ratio.
fn peer(path: &Path, reps: usize, ours: &str, rust_ms: f64, rust_cpu_ms: f64) -> Res<()> {
    let reps = reps.to_string();
    compare_with_peer(
        "contract_run.py",
        &[path.as_os_str(), reps.as_ref()],
        Ours {
            name: "itsm-contract",
            summary: ours,
            ms: rust_ms,
            cpu_ms: rust_cpu_ms,
        },
        true,
    )
}

// ---------------------------------------------------------------------------------------
// Scale.

mod scale;
use scale::scale_runs;

fn main() -> Res<()> {
    let allowed = [
        Opt::flag(
            "--quick",
            "a smoke run (5,000 contracts over a year, scale runs at 10,000 and 100,000)",
        ),
        Opt::flag("--no-python", "skip the Python peer"),
        Opt::flag(
            "--workload-only",
            "stop after the main workload (and its peer), for a profiler",
        ),
        Opt::flag("--scale-only", "only the runs at scale"),
    ];
    let args = Args::from_env(&allowed)?;
    if args.help() {
        println!("{}", usage("bench-contract", &allowed));
        return Ok(());
    }
    let quick = args.flag("--quick");
    let sizes = if quick { &QUICK } else { &FULL };
    println!(
        "bench-contract: single thread; {} CPUs visible (1 when pinned with taskset); load average at start {}",
        cpus_visible(),
        load_average()
    );
    println!("clock: {}", clock_in_use());
    if !quick {
        println!("memory: {}", memory_latency());
    }
    let actors = actors()?;
    let manager = actors
        .get(usize::from(MANAGER))
        .ok_or("no manager")?
        .clone();
    let scale_flag = args.flag("--scale-only");

    if !scale_flag {
        let base = base()?;
        let mut policy = Policy::servicenow();
        policy.max_lines_per_tick = LINES_PER_TICK;
        let clock = Instant::now();
        let ops = workload(0xC0_47AC7, sizes, base);
        let mut mix: BTreeMap<&str, usize> = BTreeMap::new();
        for op in &ops {
            *mix.entry(op.command.name()).or_default() += 1;
        }
        let mix: Vec<String> = mix.iter().map(|(c, n)| format!("{c} {n}")).collect();
        println!(
            "workload: {} contracts over {} days from {base}, {} users' commands generated in {:.1} s ({}); max_lines_per_tick {LINES_PER_TICK}",
            sizes.contracts,
            sizes.days,
            ops.len(),
            clock.elapsed().as_secs_f64(),
            mix.join(", ")
        );
        let contracts = usize::try_from(sizes.contracts)?;
        let last_day = shift(base, i64::from(sizes.days) - 1);
        let (mut walls, mut cpus) = (Vec::new(), Vec::new());
        let mut line = String::new();
        let mut why = String::new();
        for _ in 0..sizes.reps {
            let cpu0 = thread_cpu_ns();
            let clock = Instant::now();
            let (tally, states) = simulate(&ops, contracts, sizes.days, base, &actors, &policy)?;
            walls.push(clock.elapsed().as_secs_f64() * 1e3);
            if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
                cpus.push(b.saturating_sub(a) as f64 / 1e6);
            }
            let this = describe(&tally, &states, last_day, &policy);
            why = refusals(&tally);
            drop(states);
            if !line.is_empty() && line != this {
                return Err(format!("two runs disagree: {line} / {this}").into());
            }
            line = this;
        }
        let (median, min, max) = median_min_max(walls).unwrap_or_default();
        let cpu = median_min_max(cpus).map_or(0.0, |m| m.0);
        println!("summary: {line}");
        println!("refusals (command, error): {why}");
        println!(
            "itsm-contract run ms: {median:.0} (median of {}, min {min:.0}, max {max:.0}; on CPU {cpu:.0})",
            sizes.reps
        );
        if !args.flag("--no-python") {
            let path = write_input(
                &target_dir().join("bench-contract"),
                &ops,
                sizes,
                base,
                &actors,
                &policy,
            )?;
            peer(&path, sizes.py_reps, &line, median, cpu)?;
        }
        if args.flag("--workload-only") {
            return Ok(());
        }
    }

    let growths = scale_runs(sizes, &manager)?;
    // A single pass over the coverage is the yardstick: between these sizes its growth is
    // over 1 (the smaller fits in the last-level cache, the larger does not), so a case
    // growing no faster does linear work.
    let yardstick = growths
        .iter()
        .find(|(n, _)| n == "covered_assets")
        .map_or(1.0, |(_, g)| *g);
    println!(
        "yardstick: covered_assets (one pass over the coverage) grows {yardstick:.2} between these sizes; up to it, the work is linear (the larger size leaves the caches)"
    );
    let bound = (yardstick + 0.15).max(1.25);
    let list = |keep: &dyn Fn(&str, f64) -> bool| {
        let picked: Vec<String> = growths
            .iter()
            .filter(|(n, g)| keep(n, *g))
            .map(|(n, g)| format!("{n} {g:.2}"))
            .collect();
        if picked.is_empty() {
            "none".to_owned()
        } else {
            picked.join(", ")
        }
    };
    println!(
        "slower than linear (growth over {bound:.2}): {}",
        list(&|_, g| g > bound)
    );
    println!(
        "O(N) per single command or one-line tick (growth over 0.5): {}",
        list(&|n, g| {
            g > 0.5
                && matches!(
                    n,
                    "cover" | "uncover" | "apply_uncovered" | "add_user" | "tick_to_contract"
                )
        })
    );
    if let Some(mb) = peak_mb() {
        println!("peak resident: {mb:.0} MB");
    }
    Ok(())
}
