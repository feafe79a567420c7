//! Scale and deep input, each on a thread with a 256 kB stack (so that recursion whose depth
//! follows the input fails loudly): a million-task chain worked through to the end, a
//! million tasks waiting on one, a million tasks skipped by closing their plan, a million
//! assets, ten levels of referred plans closing in one cascade, a hundred thousand plans
//! in a chain of plan dependencies; the planned timeline of each. Each command touches what it changes only: the chain's
//! two million commands finish in seconds in the test profile, where copying the state per
//! command would not finish.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;
use itsm_crisis::{
    Closing, Command, Context, CrisisId, CrisisSpec, Event, Kind, MAX_LEVELS, Order, Outcome,
    PlanSpec, PlanStatus, Policy, RecoveryLevel, State, Status, TaskRef, TaskSpec, TaskStatus,
    decide,
};

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// Runs a command as the program manager at hour `hour`, folding the events in.
fn run(state: &mut State, policy: &Policy, hour: i64, command: Command) -> Vec<Event> {
    let pm = program_manager();
    let events = decide(state, &command, &Context::new(at(hour), &pm, policy)).unwrap();
    state.apply(&events);
    events
}

fn created(spec: CrisisSpec, policy: &Policy) -> State {
    let mut state = State::new();
    run(
        &mut state,
        policy,
        0,
        Command::create(CrisisId::from_u128(1), spec),
    );
    run(&mut state, policy, 0, Command::Start);
    state
}

const N: u32 = 1_000_000;

#[test]
fn a_million_task_chain_worked_through() {
    on_small_stack(|| {
        // By Task ID: each task waits for the one before it.
        let tasks = (1..=N)
            .map(|i| {
                TaskSpec::new(i, "step")
                    .asset("core", RecoveryLevel::Recovered)
                    .takes(itsm_crisis::chrono::Duration::minutes(1))
            })
            .collect();
        let mut policy = Policy::servicenow();
        policy.order = Order::TaskId;
        let spec = CrisisSpec::new(
            "chain",
            Kind::Actual,
            vec![PlanSpec::new("p", tasks)],
            ["p"],
        );
        let mut state = created(spec, &policy);
        // Planned: a minute each, one after another.
        let planned = state.crisis().unwrap().planned(at(0)).unwrap();
        let end = planned.plans[0].unwrap().end;
        assert_eq!(end.signed_duration_since(at(0)).num_minutes(), i64::from(N));
        assert_eq!(planned.assets[0].back, Some(end));
        for i in 1..=N {
            let task = TaskRef::new(0, i);
            run(
                &mut state,
                &policy,
                1,
                Command::Work {
                    task,
                    started: None,
                },
            );
            let events = run(
                &mut state,
                &policy,
                2,
                Command::Close {
                    task,
                    closing: Closing::Complete,
                    ended: None,
                },
            );
            if i < N {
                assert!(
                    matches!(events[1], Event::TaskTriggered { task: t, .. } if t.task == i + 1)
                );
            }
        }
        let crisis = state.crisis().unwrap();
        assert_eq!(crisis.plans[0].status, PlanStatus::ClosedComplete);
        let assets = crisis.assets().unwrap();
        assert_eq!(assets[0].progress.effort.unwrap().num_hours(), i64::from(N));
        // Re-triggering the first task reopens the plan in one step.
        let events = run(
            &mut state,
            &policy,
            3,
            Command::Retrigger {
                task: TaskRef::new(0, 1),
            },
        );
        assert_eq!(events.len(), 2);
    });
}

#[test]
fn a_million_tasks_waiting_on_one_start_in_one_cascade() {
    on_small_stack(|| {
        let mut tasks: Vec<TaskSpec> = (2..=N + 1)
            .map(|i| TaskSpec::new(i, "fan").after([1]))
            .collect();
        tasks.push(TaskSpec::new(1, "root"));
        let policy = Policy::servicenow();
        let spec = CrisisSpec::new("fan", Kind::Actual, vec![PlanSpec::new("p", tasks)], ["p"]);
        let mut state = created(spec, &policy);
        run(
            &mut state,
            &policy,
            1,
            Command::Work {
                task: TaskRef::new(0, 1),
                started: None,
            },
        );
        let events = run(
            &mut state,
            &policy,
            2,
            Command::Close {
                task: TaskRef::new(0, 1),
                closing: Closing::Complete,
                ended: None,
            },
        );
        assert_eq!(triggered(&events).len(), N as usize);
        let crisis = state.crisis().unwrap();
        assert!(
            crisis.plans[0].tasks[1..]
                .iter()
                .all(|t| t.status == TaskStatus::Open)
        );
        // Closing the plan by hand skips the million open tasks in one command.
        let events = run(
            &mut state,
            &policy,
            3,
            Command::ClosePlan {
                plan: 0,
                outcome: Outcome::Incomplete,
            },
        );
        assert_eq!(events.len(), N as usize + 1);
        run(&mut state, &policy, 4, Command::Submit { ended: None });
        assert_eq!(state.crisis().unwrap().status, Status::PendingApproval);
    });
}

#[test]
fn a_million_assets() {
    on_small_stack(|| {
        let tasks = (1..=N)
            .map(|i| TaskSpec::new(i, "bring back").asset(format!("a{i}"), RecoveryLevel::None))
            .collect();
        let policy = Policy::servicenow();
        let spec = CrisisSpec::new("wide", Kind::Actual, vec![PlanSpec::new("p", tasks)], ["p"]);
        let state = created(spec, &policy);
        let assets = state.crisis().unwrap().assets().unwrap();
        assert_eq!(assets.len(), N as usize);
    });
}

/// Ten levels of referred plans, each plan's only task referring to the next: the last
/// plan's task closes all ten plans and ten referring tasks in one cascade.
#[test]
fn ten_levels_of_referred_plans_close_in_one_cascade() {
    on_small_stack(|| {
        let levels = u32::from(MAX_LEVELS);
        let mut plans: Vec<PlanSpec> = (0..levels - 1)
            .map(|l| {
                PlanSpec::new(
                    format!("l{l}"),
                    vec![TaskSpec::new(1, "down").refers(format!("l{}", l + 1))],
                )
            })
            .collect();
        plans.push(PlanSpec::new(
            format!("l{}", levels - 1),
            vec![TaskSpec::new(1, "work")],
        ));
        let mut policy = Policy::servicenow();
        policy.max_levels = MAX_LEVELS;
        let mut state = created(
            CrisisSpec::new("deep", Kind::Actual, plans, ["l0"]),
            &policy,
        );
        let last = levels - 1;
        assert_eq!(state.crisis().unwrap().plans.len(), levels as usize);
        // Planned: the ten plans nest inside their referring tasks, all ending together.
        let planned = state.crisis().unwrap().planned(at(0)).unwrap();
        assert!(
            planned
                .plans
                .iter()
                .all(|p| p.is_some_and(|s| s.end == at(0)))
        );
        let task = TaskRef::new(last, 1);
        assert_eq!(
            state.crisis().unwrap().task(task).unwrap().status,
            TaskStatus::Open
        );
        run(
            &mut state,
            &policy,
            1,
            Command::Work {
                task,
                started: None,
            },
        );
        let events = run(
            &mut state,
            &policy,
            2,
            Command::Close {
                task,
                closing: Closing::Complete,
                ended: None,
            },
        );
        let closed = events
            .iter()
            .filter(|e| matches!(e, Event::PlanClosed { .. }))
            .count();
        assert_eq!(closed, levels as usize);
        assert!(state.crisis().unwrap().open_plans().is_empty());
    });
}

/// A hundred thousand first-level plans, each depending on the one before: each plan's
/// closing opens the next.
#[test]
fn a_hundred_thousand_plans_in_a_chain() {
    on_small_stack(|| {
        const P: usize = 100_000;
        let mut plans: Vec<PlanSpec> = (0..P)
            .map(|i| {
                let p = PlanSpec::new(format!("p{i}"), vec![TaskSpec::new(1, "work")]);
                if i == 0 {
                    p
                } else {
                    p.after(format!("p{}", i - 1))
                }
            })
            .collect();
        plans[0].related = (1..P).map(|i| format!("p{i}")).collect();
        let policy = Policy::servicenow();
        let mut state = created(
            CrisisSpec::new("plans", Kind::Actual, plans, ["p0"]),
            &policy,
        );
        let planned = state.crisis().unwrap().planned(at(0)).unwrap();
        assert!(planned.plans.iter().all(Option::is_some));
        for i in 0..P as u32 {
            let events = run(
                &mut state,
                &policy,
                1,
                Command::Skip {
                    task: TaskRef::new(i, 1),
                },
            );
            if (i as usize) < P - 1 {
                assert!(
                    matches!(events.last(), Some(Event::TaskTriggered { task, .. }) if task.plan == i + 1)
                );
            }
        }
        assert!(state.crisis().unwrap().open_plans().is_empty());
    });
}
