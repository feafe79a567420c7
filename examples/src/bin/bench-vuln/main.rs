//! Vulnerability response's throughput: some 60,000 vulnerable items found over a simulated
//! year by weekly scans, driven by `itsm_vuln::decide`, `Board::apply` and `next_deadline`,
//! against the plain Python a user would otherwise write (`examples/bench/vuln_run.py`,
//! standard library only, the rules of the crate's documentation for the same commands:
//! there is no Python library for vulnerability response), in one run, with the ratio.
//!
//! The workload is generated deterministically (a seeded xorshift) and blind to how the
//! rules answer: what the world does and what people plan to do. Each week some 1,150 new
//! detections, in batches of one vulnerability on 1 to 40 configuration items (and every
//! other week a widespread one on 100 to 3,000); the scanner finds each item every Monday
//! while it is there, reports it fixed the week it is gone (most at the week its owners aim
//! for, one in ten later or never, one in twenty back for a while after), keeps finding
//! false positives, stops seeing a few configuration items (their items go stale) and
//! retires a few; vulnerabilities get listed as exploited, EPSS drifts and the CMDB changes a
//! criticality (risk rating changes). Batches become remediation tasks (some assigned
//! later, some never), investigated, awaiting implementation, resolved the days before the
//! patch week, split; exceptions asked (a few longer than the policy's 180 days, a few by an
//! owner who also approves and then tries to approve it), approved or rejected, extended;
//! administrators' deferrals (a few tried by owners); false positives on items and tasks;
//! items resolved and reopened by hand; tasks closed as canceled or fixed with exception (a
//! few as fixed, which is refused); each week a cross-cutting task over recent items, most
//! already in a task (items in two tasks).
//!
//! The host runs the commands in time order and the schedule at `next_deadline`: worked out
//! at the start of each day and after each tick, and ticked (at the later of it and the last
//! time) before the first command after it. Both sides print a summary (commands accepted
//! and refused, refused by command, ticks, ticks without events, events by type, items by
//! status, closure, rating and progress at the end, tasks by status, targets missed,
//! reopenings and deferrals); the two must agree (`mismatches: 0`).
//!
//! Also timed at scale (100,000 and 1,000,000 items; 10,000 and 100,000 with `--quick`),
//! with the growth exponent between them: see `scale.rs`.
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-vuln` (`--quick` for a smoke run,
//! `--no-python` skips the peer, `--scale-only`, `--workload-only`).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use itsm_examples::bench::{
    Args, Opt, Ours, Rng, clock_in_use, compare_with_peer, cpus_visible, load_average,
    median_min_max, peak_mb, target_dir, thread_cpu_ns, usage,
};
use itsm_vuln::chrono::{DateTime, Utc};
use itsm_vuln::{
    Actor, Board, Closure, Command, ConfigItemId, Context, Criticality, Event, Facts, GroupId,
    ItemId, Policy, Progress, Rating, Reason, Recalculation, Role, Severity, Status, Subject,
    TaskId, UserId, decide, next_deadline,
};

type Res<T> = Result<T, Box<dyn Error>>;

/// What one run measures: full or `--quick`.
struct Sizes {
    /// Vulnerable items found over the year (about).
    items: u64,
    /// Weeks simulated.
    weeks: u32,
    /// Runs of the simulation, and the peer's.
    reps: usize,
    py_reps: usize,
    /// The sizes of the scale runs, and their runs.
    scale: [u64; 2],
    scale_reps: usize,
}

impl Sizes {
    fn weeks_u64(&self) -> u64 {
        u64::from(self.weeks)
    }
}

const FULL: Sizes = Sizes {
    items: 60_000,
    weeks: 52,
    reps: 5,
    py_reps: 5,
    scale: [100_000, 1_000_000],
    scale_reps: 5,
};

const QUICK: Sizes = Sizes {
    items: 3_000,
    weeks: 26,
    reps: 1,
    py_reps: 1,
    scale: [10_000, 100_000],
    scale_reps: 3,
};

/// The first day: Monday 2027-01-04, midnight UTC.
const BASE: i64 = 1_799_020_800;

// The actors: the scanner integration, four remediation owners, an administrator, two
// approvers, an owner who is also an approver, the host's system account.
const SCANNER: u8 = 0;
const OWNERS: u8 = 1;
const N_OWNERS: u8 = 4;
const ADMIN: u8 = 5;
const APPROVER: u8 = 6;
const OWNER_APPROVER: u8 = 8;
const SYSTEM: u8 = 9;

fn actors() -> Res<Vec<Actor>> {
    let role = |n: &str| Role::new(n);
    let owner = role("sn_vul.remediation_owner")?;
    let approver = role("sn_vul.exception_approver")?;
    let mut out = vec![Actor::new(
        UserId::from_u128(1),
        [role("sn_vul.integration")?],
    )];
    for i in 0..u128::from(N_OWNERS) {
        out.push(Actor::new(UserId::from_u128(11 + i), [owner.clone()]));
    }
    out.push(Actor::new(
        UserId::from_u128(20),
        [role("sn_vul.vulnerability_admin")?],
    ));
    out.push(Actor::new(UserId::from_u128(30), [approver.clone()]));
    out.push(Actor::new(UserId::from_u128(31), [approver.clone()]));
    out.push(Actor::new(UserId::from_u128(40), [owner, approver]));
    out.push(Actor::new(UserId::from_u128(2), []));
    Ok(out)
}

/// The benchmark's policy: ServiceNow's, with targets recalculated to the earliest date
/// when the rating rises (the recalculated one when it falls), exceptions of at most 180
/// days, and items not found for 35 days closed as stale.
fn policy() -> Policy {
    let mut p = Policy::servicenow();
    p.recalculation = Recalculation::EarliestWhenRising;
    p.max_exception_days = Some(180);
    p.stale_days = Some(35);
    p
}

fn time(secs: i64) -> Res<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0).ok_or_else(|| format!("no time {secs}").into())
}

mod workload;
use workload::{Op, workload};

/// Every event type, in the order the summaries list them.
const EVENTS: [&str; 16] = [
    "created",
    "seen",
    "reopened",
    "closed",
    "task_created",
    "split",
    "assigned",
    "moved",
    "deferred",
    "requested",
    "approved",
    "rejected",
    "task_closed",
    "deferral_ended",
    "approaching",
    "missed",
];

const COMMANDS: [&str; 18] = [
    "found",
    "fixed",
    "retired",
    "create_task",
    "split",
    "assign",
    "start_investigation",
    "await_implementation",
    "resolve",
    "defer",
    "request_exception",
    "request_extension",
    "mark_false_positive",
    "approve",
    "reject",
    "reopen",
    "close_task",
    "tick",
];

const STATUSES: [Status; 7] = [
    Status::Open,
    Status::UnderInvestigation,
    Status::AwaitingImplementation,
    Status::InReview,
    Status::Resolved,
    Status::Deferred,
    Status::Closed,
];

const CLOSURES: [Closure; 6] = [
    Closure::Fixed,
    Closure::FalsePositive,
    Closure::Canceled,
    Closure::FixedWithException,
    Closure::Stale,
    Closure::CiDecommissioned,
];

const RATINGS: [Rating; 5] = [
    Rating::Critical,
    Rating::High,
    Rating::Medium,
    Rating::Low,
    Rating::None,
];

const PROGRESS: [Progress; 6] = [
    Progress::NoTarget,
    Progress::OnTrack,
    Progress::ApproachingTarget,
    Progress::TargetMissed,
    Progress::TargetMet,
    Progress::ClosedLate,
];

#[derive(Default, Clone, Debug)]
struct Tally {
    accepted: u64,
    refused: BTreeMap<&'static str, u64>,
    ticks: u64,
    idle: u64,
    stuck: u64,
    deadlines: u64,
    by_type: BTreeMap<&'static str, u64>,
    errors: BTreeMap<String, u64>,
}

impl Tally {
    fn count(&mut self, events: &[Event]) {
        for e in events {
            *self.by_type.entry(e.name()).or_default() += 1;
        }
    }
}

/// The host's schedule: the next deadline it knows of.
struct Schedule {
    due: Option<DateTime<Utc>>,
    last: DateTime<Utc>,
}

/// Ticks while the known deadline is at or before `until`.
fn run_due(
    board: &mut Board,
    s: &mut Schedule,
    until: DateTime<Utc>,
    ctx_actor: &Actor,
    policy: &Policy,
    tally: &mut Tally,
) -> Res<()> {
    let mut guard = 0u32;
    while let Some(d) = s.due.filter(|d| *d <= until) {
        let now = d.max(s.last);
        let events = decide(board, &Command::Tick, &Context::new(now, ctx_actor, policy))?;
        tally.ticks += 1;
        tally.count(&events);
        board.apply(&events);
        s.last = now;
        tally.deadlines += 1;
        s.due = next_deadline(board, policy);
        if events.is_empty() {
            tally.idle += 1;
            if s.due.is_some_and(|x| x <= now) {
                // Due and nothing to do: a deadline the schedule does not honour.
                tally.stuck += 1;
                s.due = None;
            }
        }
        guard += 1;
        if guard > 10_000 {
            return Err(format!("the schedule does not settle at {now}").into());
        }
    }
    Ok(())
}

fn simulate(ops: &[Op], end: i64, actors: &[Actor], policy: &Policy) -> Res<(Tally, Board)> {
    let mut board = Board::new();
    let mut tally = Tally::default();
    let system = actors.get(usize::from(SYSTEM)).ok_or("no system actor")?;
    let mut s = Schedule {
        due: None,
        last: time(BASE)?,
    };
    let mut day = i64::MIN;
    for op in ops {
        let at = time(op.at)?;
        let d = op.at.div_euclid(86_400);
        if d != day {
            day = d;
            tally.deadlines += 1;
            s.due = next_deadline(&board, policy);
        }
        run_due(&mut board, &mut s, at, system, policy, &mut tally)?;
        let actor = actors.get(usize::from(op.actor)).ok_or("no actor")?;
        match decide(&board, &op.command, &Context::new(at, actor, policy)) {
            Ok(events) => {
                tally.accepted += 1;
                tally.count(&events);
                board.apply(&events);
            }
            Err(e) => {
                *tally.refused.entry(op.command.name()).or_default() += 1;
                let debug = format!("{e:?}");
                let variant = debug
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("")
                    .to_owned();
                *tally
                    .errors
                    .entry(format!("{} {variant}", op.command.name()))
                    .or_default() += 1;
            }
        }
        s.last = s.last.max(at);
    }
    // The rest of the year's schedule.
    let end = time(end - 1)?;
    tally.deadlines += 1;
    s.due = next_deadline(&board, policy);
    run_due(&mut board, &mut s, end, system, policy, &mut tally)?;
    Ok((tally, board))
}

/// One more in `counts` at `at` (a slot past the end counts nowhere).
fn add(counts: &mut [u64], at: usize) {
    if let Some(n) = counts.get_mut(at) {
        *n += 1;
    }
}

fn describe(t: &Tally, board: &Board, end: i64) -> Res<String> {
    let now = time(end - 1)?;
    let refused: u64 = t.refused.values().sum();
    let events: u64 = t.by_type.values().sum();
    let mut out = format!(
        "accepted {} refused {refused} ticks {} idle_ticks {} stuck_ticks {} deadlines {} events {events}",
        t.accepted, t.ticks, t.idle, t.stuck, t.deadlines
    );
    for c in COMMANDS {
        out.push_str(&format!(
            " refused_{c} {}",
            t.refused.get(c).copied().unwrap_or(0)
        ));
    }
    for e in EVENTS {
        out.push_str(&format!(" {e} {}", t.by_type.get(e).copied().unwrap_or(0)));
    }
    let mut by_status = [0u64; 7];
    let mut by_closure = [0u64; 7];
    let mut by_rating = [0u64; 5];
    let mut by_progress = [0u64; 6];
    let (mut missed, mut reopened, mut deferrals, mut requests, mut own, mut in_tasks) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut score = 0u64;
    for i in board.items.values() {
        let k = STATUSES.iter().position(|s| *s == i.status).unwrap_or(0);
        add(&mut by_status, k);
        let c = i
            .closure
            .and_then(|c| CLOSURES.iter().position(|x| *x == c))
            .unwrap_or(6);
        add(&mut by_closure, c);
        let r = RATINGS
            .iter()
            .position(|x| *x == i.risk.rating)
            .unwrap_or(0);
        add(&mut by_rating, r);
        let p = PROGRESS
            .iter()
            .position(|x| *x == i.progress(now))
            .unwrap_or(0);
        add(&mut by_progress, p);
        missed += u64::from(i.target.as_ref().is_some_and(|t| t.missed));
        reopened += u64::from(i.reopened);
        deferrals += u64::from(i.deferrals);
        requests += u64::from(i.request.is_some());
        own += u64::from(i.own.is_some());
        in_tasks += i.tasks.len() as u64;
        score += u64::from(i.risk.score);
    }
    out.push_str(&format!(" items {}", board.items.len()));
    for (s, n) in STATUSES.iter().zip(by_status) {
        out.push_str(&format!(" item_{s} {n}"));
    }
    for (c, n) in CLOSURES.iter().zip(by_closure) {
        out.push_str(&format!(" item_closure_{c} {n}"));
    }
    for (r, n) in RATINGS.iter().zip(by_rating) {
        out.push_str(&format!(" rating_{r} {n}"));
    }
    for (p, n) in PROGRESS.iter().zip(by_progress) {
        out.push_str(&format!(" progress_{p} {n}"));
    }
    out.push_str(&format!(
        " targets_missed {missed} reopenings {reopened} item_deferrals {deferrals} \
         item_requests {requests} item_own {own} memberships {in_tasks} score_sum {score}"
    ));
    let mut task_status = [0u64; 7];
    let mut task_closure = [0u64; 7];
    let (mut t_deferrals, mut t_requests, mut t_items) = (0u64, 0u64, 0u64);
    for task in board.tasks.values() {
        let k = STATUSES.iter().position(|s| *s == task.status).unwrap_or(0);
        add(&mut task_status, k);
        let c = task
            .closure
            .and_then(|c| CLOSURES.iter().position(|x| *x == c))
            .unwrap_or(6);
        add(&mut task_closure, c);
        t_deferrals += u64::from(task.deferrals);
        t_requests += u64::from(task.request.is_some());
        t_items += task.items.len() as u64;
    }
    out.push_str(&format!(" tasks {}", board.tasks.len()));
    for (s, n) in STATUSES.iter().zip(task_status) {
        out.push_str(&format!(" task_{s} {n}"));
    }
    for (c, n) in CLOSURES.iter().zip(task_closure) {
        out.push_str(&format!(" task_closure_{c} {n}"));
    }
    out.push_str(&format!(
        " task_deferrals {t_deferrals} task_requests {t_requests} task_items {t_items}"
    ));
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The peer.

/// The workload as the peer reads it: a header (the first time, the end, the policy and the
/// actors in the crate's JSON), then one line per command: its time (seconds since the
/// epoch) and actor, a tab each, and the command in the crate's JSON.
fn write_input(
    dir: &Path,
    ops: &[Op],
    end: i64,
    actors: &[Actor],
    policy: &Policy,
) -> Res<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("workload.tsv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let header = serde_json::json!({
        "start": BASE,
        "end": end,
        "system": SYSTEM,
        "policy": policy,
        "actors": actors,
    });
    writeln!(out, "{header}")?;
    for op in ops {
        writeln!(
            out,
            "{}\t{}\t{}",
            op.at,
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
        "vuln_run.py",
        &[path.as_os_str(), reps.as_ref()],
        Ours {
            name: "itsm-vuln",
            summary: ours,
            ms: rust_ms,
            cpu_ms: rust_cpu_ms,
        },
        false,
    )
}

mod scale;
use scale::scale_runs;

fn main() -> Res<()> {
    let allowed = [
        Opt::flag(
            "--quick",
            "a smoke run (3,000 items over half a year, scale runs at 10,000 and 100,000)",
        ),
        Opt::flag("--no-python", "skip the Python peer"),
        Opt::flag(
            "--workload-only",
            "stop after the main workload (and its peer)",
        ),
        Opt::flag("--scale-only", "only the runs at scale"),
    ];
    let args = Args::from_env(&allowed)?;
    if args.help() {
        println!("{}", usage("bench-vuln", &allowed));
        return Ok(());
    }
    let quick = args.flag("--quick");
    let sizes = if quick { &QUICK } else { &FULL };
    println!(
        "bench-vuln: single thread; {} CPUs visible; load average at start {}",
        cpus_visible(),
        load_average()
    );
    println!("clock: {}", clock_in_use());
    let actors = actors()?;
    let policy = policy();
    if !args.flag("--scale-only") {
        let clock = Instant::now();
        let ops = workload(0x7u64 << 40 | 0x5CA7, sizes, BASE, &actors);
        let end = BASE + i64::from(sizes.weeks) * 7 * 86_400;
        let mut mix: BTreeMap<&str, usize> = BTreeMap::new();
        for op in &ops {
            *mix.entry(op.command.name()).or_default() += 1;
        }
        let mix: Vec<String> = mix.iter().map(|(c, n)| format!("{c} {n}")).collect();
        println!(
            "workload: {} weeks from {}, {} commands generated in {:.1} s ({})",
            sizes.weeks,
            time(BASE)?.date_naive(),
            ops.len(),
            clock.elapsed().as_secs_f64(),
            mix.join(", ")
        );
        let (mut walls, mut cpus) = (Vec::new(), Vec::new());
        let mut line = String::new();
        let mut why = String::new();
        for _ in 0..sizes.reps {
            let cpu0 = thread_cpu_ns();
            let clock = Instant::now();
            let (tally, board) = simulate(&ops, end, &actors, &policy)?;
            walls.push(clock.elapsed().as_secs_f64() * 1e3);
            if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
                cpus.push(b.saturating_sub(a) as f64 / 1e6);
            }
            let this = describe(&tally, &board, end)?;
            why = tally
                .errors
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            drop(board);
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
            "itsm-vuln run ms: {median:.0} (median of {}, min {min:.0}, max {max:.0}; on CPU {cpu:.0})",
            sizes.reps
        );
        if !args.flag("--no-python") {
            let path = write_input(
                &target_dir().join("bench-vuln"),
                &ops,
                end,
                &actors,
                &policy,
            )?;
            peer(&path, sizes.py_reps, &line, median, cpu)?;
        }
        if args.flag("--workload-only") {
            return Ok(());
        }
    }
    let growths = scale_runs(sizes, &actors, &policy)?;
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
    // One pass over every item is the yardstick: between these sizes it grows faster than
    // 1 (the larger board leaves the caches), so a case growing no faster does linear work.
    let yardstick = growths
        .iter()
        .find(|(n, _)| n == "scan")
        .map_or(1.0, |(_, g)| *g);
    println!("yardstick: scan (one pass over every item) grows {yardstick:.2} between these sizes");
    let bound = (yardstick + 0.15).max(1.25);
    println!(
        "slower than linear (growth over {bound:.2}): {}",
        list(&|_, g| g > bound)
    );
    println!(
        "growing with N per single command (growth over 0.5; the task-wide roll-downs are linear by nature): {}",
        list(&|n, g| g > 0.5 && n != "scan")
    );
    if let Some(mb) = peak_mb() {
        println!("peak resident: {mb:.0} MB");
    }
    Ok(())
}
