//! Exercises and crisis events' throughput: `itsm_crisis::decide` and `State::apply` over a
//! million event-task commands on an event of 11,026 activated plans, against the plain
//! Python a user would otherwise write (`examples/bench/crisis_run.py`, standard library
//! only, the same rules for the same commands), in one run, with the ratio.
//!
//! The event is generated deterministically (a seeded xorshift): a library of 3,000 plans of
//! 5 to 50 tasks each (Task IDs 10, 20, ...), each task depending on up to three earlier
//! tasks of its plan (a DAG), one in ten automatic (with a backup assignee), one in
//! seventeen referring to another plan of the library; 2,000 plans are activated, with the
//! plans related to them, and the referred plans down to `max_levels` 3 (a plan referred
//! from several tasks is activated once per task): 305,207 tasks; a few first-level plans
//! wait for another.
//! After `create` and `start` (not timed), a million commands come from a seeded generator
//! that aims as a crisis team does, at the tasks as the events so far left them (its view is
//! built from the events of one untimed pass): work an open task, close one in progress
//! (complete, incomplete or failed), re-trigger a failed one (now and then a done one, or a
//! failed automation), skip a pending or open one, trigger one by hand, add an ad-hoc task,
//! close a plan by hand; and some commands aimed at random tasks, as a busy team's stale
//! screens send (mostly refused). The same commands, fixed, are then timed on both sides.
//! Both print a summary (accepted, refused, events, tasks triggered, plan closings,
//! reopenings, backups told, tasks in each status, plans closed); the two must agree.
//!
//! Also timed at scale, each a median of [`REPS`] runs at 100,000 and 1,000,000, with the
//! growth exponent between them (log of the time ratio over log 10; 1.0 is linear):
//! - `chain`: a plan of N tasks run by Task ID ([`Order::TaskId`]), worked on and closed one
//!   by one, 2N commands (each close triggers the next task);
//! - `fan`: N tasks waiting on one task: its close triggers them all (one cascade);
//! - `close_plan`: a plan of N open tasks closed by hand (N skips);
//! - `assets`: `Crisis::assets` over N tasks tagged with 1,000 assets at mixed levels (half
//!   the tasks skipped by closing their plan, a sixth more skipped one by one);
//! - `create`: activation of a library of five or six plans of ten tasks, each task
//!   referring to the next plan, so that activation multiplies by ten per level
//!   (`max_levels` 5 and 6: 11,111 plans of 111,110 tasks, 111,111 of 1,111,110);
//! - `start`: the start of that event, every plan opened and every task triggered.
//!
//! What is measured, each the median of [`REPS`] runs (the peer: [`PY_REPS`]): commands per
//! second on the wall clock and on the thread's CPU (`/proc/thread-self/schedstat`).
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-crisis` (`--no-python` skips the
//! peer; `--workload-only` stops after the main workload, `--scale-only` runs only the runs
//! at scale).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::collections::HashMap;
use std::error::Error;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_crisis::{
    Actor, AdHocTask, AssetSpec, AssetStatus, Closing, Command, Context, CrisisId, CrisisSpec,
    Event, Kind, Order, Outcome, PlanSpec, Policy, RecoveryLevel, Role, State, TaskRef, TaskSpec,
    TaskStatus, UserId, decide,
};
use itsm_examples::bench::{
    Args, Opt, Rng, clock_in_use, cpus_visible, load_average, median_min_max, memory_latency,
    peak_mb, python_script, run_lines, target_dir, thread_cpu_ns,
};

type Res<T> = Result<T, Box<dyn Error>>;

/// Plans in the library, and how many of them the event activates (the first ones).
const PLANS: u64 = 3_000;
const PRIMARY: u64 = 2_000;
/// How deep referred plans are activated.
const LEVELS: u8 = 3;
/// One task in `REFER` refers to a plan of the library.
const REFER: u64 = 17;
/// Commands in the workload.
const COMMANDS: usize = 1_000_000;
/// Repetitions of each measurement (odd: the median is one run); the peer's.
const REPS: usize = 5;
const PY_REPS: usize = 3;
/// The sizes of the scale runs (the growth is between them).
const SIZES: [u32; 2] = [100_000, 1_000_000];

/// One generated command: a code, the activated plan, the task's Task ID and an argument
/// (how a task closes, how a plan closes), as the TSV gives it to Python.
#[derive(Clone, Copy, Debug)]
struct Op {
    code: char,
    plan: u32,
    task: u32,
    arg: u32,
}

fn command(op: &Op, n: usize) -> Command {
    let task = TaskRef::new(op.plan, op.task);
    match op.code {
        'W' => Command::Work {
            task,
            started: None,
        },
        'C' => Command::Close {
            task,
            closing: match op.arg {
                0 => Closing::Complete,
                1 => Closing::Incomplete,
                _ => Closing::Failed,
            },
            ended: None,
        },
        'S' => Command::Skip { task },
        'T' => Command::Trigger { task },
        'R' => Command::Retrigger { task },
        'A' => Command::RetriggerAutomation { task },
        'N' => Command::AddTask {
            plan: op.plan,
            task: AdHocTask::new(format!("ad hoc {n}")),
        },
        _ => Command::ClosePlan {
            plan: op.plan,
            outcome: if op.arg == 0 {
                Outcome::Complete
            } else {
                Outcome::Incomplete
            },
        },
    }
}

fn plan_name(n: u64) -> String {
    format!("plan-{n}")
}

/// The plan library and the event's spec.
fn library(seed: u64) -> CrisisSpec {
    let mut rng = Rng::new(seed);
    let mut plans = Vec::new();
    for p in 0..PLANS {
        let count = 5 + rng.below(46);
        let tasks: Vec<TaskSpec> = (0..count)
            .map(|k| {
                let id = u32::try_from(10 * (k + 1)).unwrap_or(u32::MAX);
                let mut t = TaskSpec::new(id, format!("step {k} of plan {p}"));
                if k > 0 {
                    let mut deps: Vec<u32> = (0..rng.below(4))
                        .map(|_| u32::try_from(10 * (1 + rng.below(k))).unwrap_or(0))
                        .collect();
                    deps.sort_unstable();
                    deps.dedup();
                    t.depends_on = deps;
                }
                if rng.percent(10) {
                    t = t.automatic(Some(UserId::from_u128(1_000 + u128::from(rng.below(50)))));
                }
                if rng.below(REFER) == 0 {
                    t = t.refers(plan_name(rng.below(PLANS)));
                }
                t
            })
            .collect();
        let mut plan = PlanSpec::new(plan_name(p), tasks);
        if p < PRIMARY && rng.percent(15) {
            plan = plan.related(plan_name(PRIMARY + rng.below(PLANS - PRIMARY)));
        }
        if p > 0 && p < PRIMARY && rng.percent(3) {
            plan = plan.after(plan_name(rng.below(p)));
        }
        plans.push(plan);
    }
    let mut spec = CrisisSpec::new(
        "regional power loss",
        Kind::Actual,
        plans,
        (0..PRIMARY).map(plan_name),
    );
    spec.coordinator = Some(UserId::from_u128(7));
    spec
}

fn at(t0: DateTime<Utc>, seconds: usize) -> DateTime<Utc> {
    t0 + Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX))
}

fn exec(
    state: &mut State,
    who: &Actor,
    policy: &Policy,
    now: DateTime<Utc>,
    c: &Command,
) -> Res<Vec<Event>> {
    let events = decide(state, c, &Context::new(now, who, policy))?;
    state.apply(&events);
    Ok(events)
}

/// The event created and started.
fn started(spec: &CrisisSpec, who: &Actor, policy: &Policy, t0: DateTime<Utc>) -> Res<State> {
    let mut state = State::new();
    exec(
        &mut state,
        who,
        policy,
        t0,
        &Command::create(CrisisId::from_u128(1), spec.clone()),
    )?;
    exec(&mut state, who, policy, t0, &Command::Start)?;
    Ok(state)
}

// ---------------------------------------------------------------------------------------
// The generator's view: the tasks by where they stand, as the events left them.

/// A set with a uniform pick.
#[derive(Default)]
struct Bag {
    items: Vec<TaskRef>,
    at: HashMap<TaskRef, usize>,
}

impl Bag {
    fn insert(&mut self, t: TaskRef) {
        if !self.at.contains_key(&t) {
            self.at.insert(t, self.items.len());
            self.items.push(t);
        }
    }

    fn remove(&mut self, t: TaskRef) {
        if let Some(i) = self.at.remove(&t) {
            self.items.swap_remove(i);
            if let Some(moved) = self.items.get(i) {
                self.at.insert(*moved, i);
            }
        }
    }

    fn pick(&self, rng: &mut Rng) -> Option<TaskRef> {
        self.items.get(rng.index(self.items.len())).copied()
    }
}

const PENDING: usize = 0;
const OPEN: usize = 1;
const WIP: usize = 2;
const FAILED: usize = 3;
const DONE: usize = 4;

fn category(status: TaskStatus) -> usize {
    match status {
        TaskStatus::Pending => PENDING,
        TaskStatus::Open => OPEN,
        TaskStatus::WorkInProgress => WIP,
        TaskStatus::ClosedFailed => FAILED,
        _ => DONE,
    }
}

#[derive(Default)]
struct View {
    bags: [Bag; 5],
    of: HashMap<TaskRef, usize>,
}

impl View {
    fn sync(&mut self, state: &State, t: TaskRef) {
        let Some(status) = state.crisis().and_then(|c| c.task(t)).map(|t| t.status) else {
            return;
        };
        let new = category(status);
        let old = self.of.insert(t, new);
        if old == Some(new) {
            return;
        }
        if let Some(bag) = old.and_then(|o| self.bags.get_mut(o)) {
            bag.remove(t);
        }
        if let Some(bag) = self.bags.get_mut(new) {
            bag.insert(t);
        }
    }

    fn pick(&self, bag: usize, rng: &mut Rng) -> Option<TaskRef> {
        self.bags.get(bag).and_then(|b| b.pick(rng))
    }
}

fn task_of(e: &Event) -> Option<TaskRef> {
    match e {
        Event::TaskTriggered { task, .. }
        | Event::AutomationRequested { task, .. }
        | Event::TaskStarted { task, .. }
        | Event::TaskClosed { task, .. }
        | Event::TaskRetriggered { task, .. }
        | Event::TaskAdded { task, .. } => Some(*task),
        _ => None,
    }
}

/// The command stream: one untimed pass through the rules, each command chosen from the
/// view the events so far give.
fn workload(
    seed: u64,
    mut state: State,
    who: &Actor,
    policy: &Policy,
    t0: DateTime<Utc>,
) -> Res<Vec<Op>> {
    let mut rng = Rng::new(seed);
    let mut view = View::default();
    let plans = state.crisis().map_or(0, |c| c.plans.len());
    if let Some(c) = state.crisis() {
        for (n, p) in (0u32..).zip(&c.plans) {
            for t in &p.tasks {
                view.sync(&state, TaskRef::new(n, t.id));
            }
        }
    }
    let mut ops = Vec::with_capacity(COMMANDS);
    for i in 0..COMMANDS {
        let op = |code, t: TaskRef, arg| Op {
            code,
            plan: t.plan,
            task: t.task,
            arg,
        };
        let roll = rng.below(1000);
        let aimed = match roll {
            0..340 => view.pick(OPEN, &mut rng).map(|t| op('W', t, 0)),
            340..680 => view.pick(WIP, &mut rng).map(|t| {
                let how = match rng.below(100) {
                    0..75 => 0,
                    75..85 => 1,
                    _ => 2,
                };
                op('C', t, how)
            }),
            680..750 => view.pick(FAILED, &mut rng).map(|t| op('R', t, 0)),
            750..770 => view.pick(DONE, &mut rng).map(|t| op('R', t, 0)),
            770..775 => view.pick(FAILED, &mut rng).map(|t| op('A', t, 0)),
            775..795 => view.pick(PENDING, &mut rng).map(|t| op('S', t, 0)),
            795..815 => view.pick(OPEN, &mut rng).map(|t| op('S', t, 0)),
            815..835 => view.pick(PENDING, &mut rng).map(|t| op('T', t, 0)),
            835..845 => Some(Op {
                code: 'N',
                plan: u32::try_from(rng.index(plans)).unwrap_or(0),
                task: 0,
                arg: 0,
            }),
            845..847 => Some(Op {
                code: 'P',
                plan: u32::try_from(rng.index(plans)).unwrap_or(0),
                task: 0,
                arg: u32::from(!rng.percent(30)),
            }),
            _ => None,
        };
        // A stale screen: a random command on a random task (some Task IDs that do not exist).
        let op = match aimed {
            Some(op) => op,
            None => {
                let plan = rng.index(plans);
                let tasks = state
                    .crisis()
                    .and_then(|c| c.plans.get(plan))
                    .map_or(&[][..], |p| p.tasks.as_slice());
                let id = if rng.percent(5) {
                    0
                } else {
                    tasks.get(rng.index(tasks.len())).map_or(0, |t| t.id)
                };
                let code = *[b'W', b'C', b'S', b'T', b'R']
                    .get(rng.index(5))
                    .unwrap_or(&b'W');
                Op {
                    code: char::from(code),
                    plan: u32::try_from(plan).unwrap_or(0),
                    task: id,
                    arg: u32::try_from(rng.below(3)).unwrap_or(0),
                }
            }
        };
        if let Ok(events) = decide(
            &state,
            &command(&op, i),
            &Context::new(at(t0, i + 1), who, policy),
        ) {
            state.apply(&events);
            for t in events.iter().filter_map(task_of) {
                view.sync(&state, t);
            }
        }
        ops.push(op);
    }
    Ok(ops)
}

// ---------------------------------------------------------------------------------------
// The summary both sides print.

#[derive(Default, Debug, Clone, PartialEq, Eq)]
struct Tally {
    accepted: u64,
    refused: u64,
    events: u64,
    triggered: u64,
    plan_closings: u64,
    reopened: u64,
    notified: u64,
}

fn describe(t: &Tally, state: &State) -> String {
    let mut by_status = [0u64; 7];
    let (mut plans, mut closed) = (0, 0);
    if let Some(c) = state.crisis() {
        plans = c.plans.len();
        for p in &c.plans {
            closed += usize::from(p.status.is_closed());
            for task in &p.tasks {
                let k = match task.status {
                    TaskStatus::Pending => 0,
                    TaskStatus::Open => 1,
                    TaskStatus::WorkInProgress => 2,
                    TaskStatus::ClosedComplete => 3,
                    TaskStatus::ClosedIncomplete => 4,
                    TaskStatus::ClosedSkipped => 5,
                    _ => 6,
                };
                if let Some(n) = by_status.get_mut(k) {
                    *n += 1;
                }
            }
        }
    }
    let [p, o, w, cc, ci, cs, cf] = by_status;
    format!(
        "accepted {} refused {} events {} triggered {} plan_closings {} reopened {} notified {} \
         tasks pending {p} open {o} work_in_progress {w} closed_complete {cc} closed_incomplete {ci} \
         closed_skipped {cs} closed_failed {cf} plans {plans} closed {closed}",
        t.accepted, t.refused, t.events, t.triggered, t.plan_closings, t.reopened, t.notified
    )
}

/// The commands through `decide` and `apply`, a second apart after the start; the tally,
/// the wall-clock seconds and the thread's CPU seconds.
fn run(
    state: &mut State,
    commands: &[Command],
    who: &Actor,
    policy: &Policy,
    t0: DateTime<Utc>,
) -> (Tally, f64, Option<f64>) {
    let mut tally = Tally::default();
    let cpu0 = thread_cpu_ns();
    let start = Instant::now();
    for (i, c) in commands.iter().enumerate() {
        match decide(state, c, &Context::new(at(t0, i + 1), who, policy)) {
            Ok(events) => {
                tally.accepted += 1;
                tally.events += events.len() as u64;
                for e in &events {
                    match e {
                        Event::TaskTriggered { .. } => tally.triggered += 1,
                        Event::PlanClosed { .. } => tally.plan_closings += 1,
                        Event::PlanReopened { .. } => tally.reopened += 1,
                        Event::BackupNotified { .. } => tally.notified += 1,
                        _ => {}
                    }
                }
                state.apply(&events);
            }
            Err(_) => tally.refused += 1,
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu0
        .zip(thread_cpu_ns())
        .map(|(a, b)| b.saturating_sub(a) as f64 / 1e9);
    (tally, wall, cpu)
}

// ---------------------------------------------------------------------------------------
// Scale.

/// `reps` runs of `run` on a fresh `prepare()` (not timed; dropped after the clock stops):
/// the median wall-clock and CPU milliseconds and the last run's answer.
fn timed<S, T>(
    reps: usize,
    mut prepare: impl FnMut() -> Res<S>,
    mut run: impl FnMut(&mut S) -> Res<T>,
) -> Res<(f64, f64, T)> {
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..reps {
        let mut s = prepare()?;
        let cpu0 = thread_cpu_ns();
        let clock = Instant::now();
        let out = run(&mut s)?;
        walls.push(clock.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
            cpus.push(b.saturating_sub(a) as f64 / 1e6);
        }
        drop(s);
        last = Some(out);
    }
    let med = |v: Vec<f64>| median_min_max(v).map_or(0.0, |m| m.0);
    Ok((med(walls), med(cpus), last.ok_or("no run")?))
}

/// One plan of `tasks`, the event's only one.
fn one_plan(tasks: Vec<TaskSpec>) -> CrisisSpec {
    CrisisSpec::new(
        "scale",
        Kind::Exercise,
        vec![PlanSpec::new("big", tasks)],
        ["big"],
    )
}

fn ids(n: u32) -> impl Iterator<Item = u32> {
    1..=n
}

/// Times one scale case at each size; prints a line per size and the growth.
fn scale(name: &str, what: &str, mut case: impl FnMut(u32) -> Res<(f64, f64, String)>) -> Res<()> {
    let mut times = Vec::new();
    for n in SIZES {
        let (ms, cpu, detail) = case(n)?;
        println!("scale {name} n={n}: {ms:.1} ms (CPU {cpu:.1} ms; {what}; {detail})");
        times.push(ms);
    }
    if let [a, b] = times[..] {
        let sizes = f64::from(SIZES[1]) / f64::from(SIZES[0]);
        let growth = if a > 0.0 && b > 0.0 {
            (b / a).ln() / sizes.ln()
        } else {
            f64::NAN
        };
        println!("growth {name}: {growth:.2}");
    }
    Ok(())
}

fn scale_runs(who: &Actor, t0: DateTime<Utc>) -> Res<()> {
    let policy = Policy::servicenow();
    let mut by_id = Policy::servicenow();
    by_id.order = Order::TaskId;

    // A chain by Task ID, worked through command by command.
    scale(
        "chain",
        "Order::TaskId, every task worked on and closed, 2N commands",
        |n| {
            let spec = one_plan(ids(n).map(|i| TaskSpec::new(i, "step")).collect());
            let fresh = started(&spec, who, &by_id, t0)?;
            let commands: Vec<Command> = ids(n)
                .flat_map(|i| {
                    let task = TaskRef::new(0, i);
                    [
                        Command::Work {
                            task,
                            started: None,
                        },
                        Command::Close {
                            task,
                            closing: Closing::Complete,
                            ended: None,
                        },
                    ]
                })
                .collect();
            let (ms, cpu, closed) = timed(
                REPS,
                || Ok(fresh.clone()),
                |s| {
                    for (i, c) in commands.iter().enumerate() {
                        exec(s, who, &by_id, at(t0, i + 1), c)?;
                    }
                    Ok(s.crisis().and_then(|c| c.plans.first()).map(|p| p.status))
                },
            )?;
            let each = ms * 1e3 / commands.len() as f64;
            let closed = closed.map_or("none".to_owned(), |s| s.to_string());
            Ok((ms, cpu, format!("{each:.2} us a command, plan {closed}")))
        },
    )?;

    // A fan: N tasks wait on one; its close triggers them all.
    scale(
        "fan",
        "one close triggers N tasks in one cascade, decide and apply",
        |n| {
            let mut tasks = vec![TaskSpec::new(1, "root")];
            tasks.extend((2..=n + 1).map(|i| TaskSpec::new(i, "leaf").after([1])));
            let mut fresh = started(&one_plan(tasks), who, &policy, t0)?;
            let root = TaskRef::new(0, 1);
            exec(
                &mut fresh,
                who,
                &policy,
                t0,
                &Command::Work {
                    task: root,
                    started: None,
                },
            )?;
            let close = Command::Close {
                task: root,
                closing: Closing::Complete,
                ended: None,
            };
            let (ms, cpu, (events, open)) = timed(
                REPS,
                || Ok(fresh.clone()),
                |s| {
                    let events = exec(s, who, &policy, at(t0, 1), &close)?.len();
                    let open = s.crisis().and_then(|c| c.plans.first()).map_or(0, |p| {
                        p.tasks
                            .iter()
                            .filter(|t| t.status == TaskStatus::Open)
                            .count()
                    });
                    Ok((events, open))
                },
            )?;
            Ok((ms, cpu, format!("{events} events, {open} tasks open")))
        },
    )?;

    // A plan of N open tasks closed by hand.
    scale(
        "close_plan",
        "a plan of N open tasks closed by hand, decide and apply",
        |n| {
            let spec = one_plan(ids(n).map(|i| TaskSpec::new(i, "step")).collect());
            let fresh = started(&spec, who, &policy, t0)?;
            let close = Command::ClosePlan {
                plan: 0,
                outcome: Outcome::Incomplete,
            };
            let (ms, cpu, events) = timed(
                REPS,
                || Ok(fresh.clone()),
                |s| Ok(exec(s, who, &policy, at(t0, 1), &close)?.len()),
            )?;
            Ok((ms, cpu, format!("{events} events")))
        },
    )?;

    // Crisis::assets over N tagged tasks, two thirds of them done.
    scale(
        "assets",
        "Crisis::assets over N tasks at mixed levels tagged with 1,000 assets, 2/3 done",
        |n| {
            let level = |i: u32| match i % 3 {
                0 => RecoveryLevel::None,
                1 => RecoveryLevel::PartiallyRecovered,
                _ => RecoveryLevel::Recovered,
            };
            // The first half's tasks bring back assets 0-499, the second half's 500-999.
            let half = |from: u32, to: u32, offset: u32| -> Vec<TaskSpec> {
                (from..to)
                    .map(|i| {
                        let asset = format!("asset-{}", offset + i % 500);
                        TaskSpec::new(i, "step").asset(asset, level(i))
                    })
                    .collect()
            };
            let mut spec = CrisisSpec::new(
                "scale",
                Kind::Exercise,
                vec![
                    PlanSpec::new("done", half(1, n / 2 + 1, 0)),
                    PlanSpec::new("open", half(n / 2 + 1, n + 1, 500)),
                ],
                ["done", "open"],
            );
            for a in 0..900u32 {
                spec = spec.asset(AssetSpec::new(
                    format!("asset-{a}"),
                    Some(Duration::hours(i64::from(a % 48 + 1))),
                ));
            }
            let mut state = started(&spec, who, &policy, t0)?;
            exec(
                &mut state,
                who,
                &policy,
                at(t0, 60),
                &Command::ClosePlan {
                    plan: 0,
                    outcome: Outcome::Incomplete,
                },
            )?;
            // The second half's tasks at the partial level skipped: its assets partly back.
            for i in (n / 2 + 1..=n).filter(|i| level(*i) == RecoveryLevel::PartiallyRecovered) {
                let skip = Command::Skip {
                    task: TaskRef::new(1, i),
                };
                exec(&mut state, who, &policy, at(t0, 120), &skip)?;
            }
            let crisis = state.crisis().ok_or("no event")?;
            let (ms, cpu, (count, back, partial)) = timed(
                REPS,
                || Ok(()),
                |_| {
                    let assets = crisis.assets()?;
                    let count = |status| assets.iter().filter(|a| a.status == status).count();
                    Ok((
                        assets.len(),
                        count(AssetStatus::Recovered),
                        count(AssetStatus::PartiallyRecovered),
                    ))
                },
            )?;
            Ok((
                ms,
                cpu,
                format!("{count} assets: {back} recovered, {partial} partially"),
            ))
        },
    )?;

    // Activation of a library whose referred plans multiply tenfold per level.
    let tree = |levels: u8| -> CrisisSpec {
        let plans = (0..=levels)
            .map(|l| {
                PlanSpec::new(
                    format!("level-{l}"),
                    (1..=10)
                        .map(|i| {
                            let t = TaskSpec::new(i, format!("step {i}"));
                            if l < levels {
                                t.refers(format!("level-{}", l + 1))
                            } else {
                                t
                            }
                        })
                        .collect(),
                )
            })
            .collect();
        CrisisSpec::new("scale", Kind::Exercise, plans, ["level-0"])
    };
    let levels_for = |n: u32| -> u8 { if n >= 1_000_000 { 6 } else { 5 } };
    let mut created: HashMap<u32, (State, Policy)> = HashMap::new();
    scale(
        "create",
        "activation of referred plans ten to a task, decide and apply",
        |n| {
            let levels = levels_for(n);
            let spec = tree(levels - 1);
            let mut deep = Policy::servicenow();
            deep.max_levels = levels;
            let create = Command::create(CrisisId::from_u128(1), spec);
            let (ms, cpu, ()) = timed(
                REPS,
                || Ok(State::new()),
                |s| {
                    exec(s, who, &deep, t0, &create)?;
                    Ok(())
                },
            )?;
            // Once more for the start's runs (a copy inside the timed runs would be timed).
            let mut state = State::new();
            exec(&mut state, who, &deep, t0, &create)?;
            let (plans, tasks) = state.crisis().map_or((0, 0), |c| {
                (
                    c.plans.len(),
                    c.plans.iter().map(|p| p.tasks.len()).sum::<usize>(),
                )
            });
            created.insert(n, (state, deep));
            Ok((
                ms,
                cpu,
                format!("max_levels {levels}: {plans} plans, {tasks} tasks"),
            ))
        },
    )?;
    scale(
        "start",
        "the start of that event: every plan opened, every task triggered",
        |n| {
            let (state, deep) = created.get(&n).ok_or("not created")?;
            let (ms, cpu, events) = timed(
                REPS,
                || Ok(state.clone()),
                |s| Ok(exec(s, who, deep, t0, &Command::Start)?.len()),
            )?;
            Ok((ms, cpu, format!("{events} events")))
        },
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The peer.

fn write_input(dir: &Path, spec: &CrisisSpec, ops: &[Op]) -> Res<(String, String)> {
    std::fs::create_dir_all(dir)?;
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, serde_json::to_string(spec)?)?;
    let ops_path = dir.join("commands.tsv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&ops_path)?);
    for op in ops {
        writeln!(out, "{}\t{}\t{}\t{}", op.code, op.plan, op.task, op.arg)?;
    }
    out.flush()?;
    Ok((
        spec_path.to_string_lossy().into_owned(),
        ops_path.to_string_lossy().into_owned(),
    ))
}

/// `key value` pairs of a summary, for the difference.
fn pairs(summary: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = summary.split_whitespace().collect();
    let mut out = Vec::new();
    let mut prefix = "";
    let mut i = 0;
    while let Some(word) = words.get(i) {
        if *word == "tasks" {
            prefix = "tasks ";
            i += 1;
            continue;
        }
        if *word == "plans" {
            prefix = "plans ";
        }
        let value = words.get(i + 1).copied().unwrap_or("");
        out.push((format!("{prefix}{word}"), value.to_owned()));
        i += 2;
    }
    out
}

fn main() -> Res<()> {
    let allowed = [
        Opt::flag("--no-python", "skip the Python peer"),
        Opt::flag(
            "--workload-only",
            "stop after the main workload (and its peer), for a profiler",
        ),
        Opt::flag("--scale-only", "only the runs at scale"),
    ];
    let args = Args::from_env(&allowed)?;
    if args.help() {
        println!("{}", itsm_examples::bench::usage("bench-crisis", &allowed));
        return Ok(());
    }
    println!(
        "bench-crisis: single thread; {} CPUs visible (1 when pinned with taskset); load average at start {}",
        cpus_visible(),
        load_average()
    );
    println!("clock: {}", clock_in_use());
    println!("memory: {}", memory_latency());
    let mut policy = Policy::servicenow();
    policy.max_levels = LEVELS;
    let who = Actor::new(UserId::from_u128(1), [Role::new("sn_bcm.program_manager")?]);
    let t0 = Utc
        .with_ymd_and_hms(2027, 5, 3, 8, 0, 0)
        .single()
        .ok_or("no start instant")?;
    if args.flag("--scale-only") {
        return scale_runs(&who, t0);
    }

    let spec = library(0x0C21_5150);
    let fresh = started(&spec, &who, &policy, t0)?;
    let crisis = fresh.crisis().ok_or("no event")?;
    let activated_tasks: usize = crisis.plans.iter().map(|p| p.tasks.len()).sum();
    let library_tasks: usize = spec.plans.iter().map(|p| p.tasks.len()).sum();
    let open_at_start = crisis
        .plans
        .iter()
        .flat_map(|p| &p.tasks)
        .filter(|t| t.status != TaskStatus::Pending)
        .count();
    println!(
        "event: a library of {PLANS} plans ({library_tasks} tasks), {PRIMARY} activated with max_levels {LEVELS}: {} plans, {activated_tasks} tasks ({open_at_start} triggered at the start)",
        crisis.plans.len()
    );
    let clock = Instant::now();
    let ops = workload(0x05EE_DC21, fresh.clone(), &who, &policy, t0)?;
    let commands: Vec<Command> = ops.iter().enumerate().map(|(i, o)| command(o, i)).collect();
    let mut mix: Vec<(char, usize)> = Vec::new();
    for op in &ops {
        match mix.iter_mut().find(|(c, _)| *c == op.code) {
            Some((_, n)) => *n += 1,
            None => mix.push((op.code, 1)),
        }
    }
    let mix: Vec<String> = mix.iter().map(|(c, n)| format!("{c} {n}")).collect();
    println!(
        "workload: {COMMANDS} commands generated in {:.1} s (W work, C close, R retrigger, A retrigger automation, S skip, T trigger, N add task, P close plan: {})",
        clock.elapsed().as_secs_f64(),
        mix.join(", ")
    );

    let (mut rates, mut cpu_rates) = (Vec::new(), Vec::new());
    let mut line = String::new();
    for _ in 0..REPS {
        let mut state = fresh.clone();
        let (tally, wall, cpu) = run(&mut state, &commands, &who, &policy, t0);
        rates.push(COMMANDS as f64 / wall);
        if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
            cpu_rates.push(COMMANDS as f64 / cpu);
        }
        let this = describe(&tally, &state);
        if !line.is_empty() && line != this {
            return Err(format!("two runs disagree: {line} / {this}").into());
        }
        line = this;
    }
    let (median, min, max) = median_min_max(rates).unwrap_or_default();
    let cpu_median = median_min_max(cpu_rates).map_or(0.0, |m| m.0);
    println!("summary: {line}");
    println!(
        "itsm-crisis commands/s: {median:.0} (median of {REPS}, min {min:.0}, max {max:.0}; on CPU {cpu_median:.0})"
    );

    if !args.flag("--no-python") {
        let (spec_path, ops_path) = write_input(&target_dir().join("bench-crisis"), &spec, &ops)?;
        let mut cmd = python_script(Path::new("python3"), "crisis_run.py");
        cmd.arg(&spec_path)
            .arg(&ops_path)
            .arg(LEVELS.to_string())
            .arg(PY_REPS.to_string());
        let (mut theirs, mut theirs_cpu, mut summary) = (0.0, 0.0, None);
        let ran = run_lines(cmd, |l| {
            println!("{l}");
            if let Some(rest) = l.strip_prefix("python commands/s: ") {
                let mut words = rest.split_whitespace();
                theirs = words.next().and_then(|w| w.parse().ok()).unwrap_or(0.0);
                theirs_cpu = rest
                    .split_once("on CPU ")
                    .and_then(|(_, c)| c.trim_end_matches(')').trim().parse().ok())
                    .unwrap_or(0.0);
            }
            if let Some(s) = l.strip_prefix("python summary: ") {
                summary = Some(s.to_owned());
            }
            Ok(())
        });
        match (ran, summary) {
            (Err(e), _) => println!("python peer: skipped ({e})"),
            (Ok(()), None) => println!("mismatches: 1 (the peer printed no summary)"),
            (Ok(()), Some(s)) => {
                let (ours, peer) = (pairs(&line), pairs(&s));
                let differ: Vec<String> = ours
                    .iter()
                    .zip(&peer)
                    .filter(|(a, b)| a != b)
                    .map(|((k, a), (_, b))| format!("{k} {a} / python {b}"))
                    .collect();
                if differ.is_empty() && ours.len() == peer.len() {
                    println!("mismatches: 0");
                } else {
                    println!(
                        "mismatches: {} ({})",
                        differ.len().max(1),
                        differ.join(", ")
                    );
                }
                let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
                println!(
                    "ratio: {:.1} (itsm-crisis {median:.0} / python {theirs:.0} commands/s, medians; on CPU {:.1})",
                    ratio(median, theirs),
                    ratio(cpu_median, theirs_cpu)
                );
            }
        }
    }
    if args.flag("--workload-only") {
        return Ok(());
    }
    drop(fresh);
    scale_runs(&who, t0)?;
    if let Some(mb) = peak_mb() {
        println!("peak resident: {mb:.0} MB");
    }
    Ok(())
}
