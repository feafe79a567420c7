//! Properties over random plan libraries, policies and command streams: after every
//! command, whatever was accepted or refused, the record holds the rules' invariants (no
//! ready task left pending, plans closed exactly when their tasks are done, the counters the
//! cascades keep equal to a recount), `decide` changes nothing, `evolve` folds as
//! `State::apply` does, and events and states read back from JSON.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;
use itsm_crisis::chrono::{DateTime, Duration, Utc};
use itsm_crisis::{
    AdHocTask, Closing, Command, Context, Crisis, CrisisId, CrisisSpec, Event, ExerciseResult,
    Kind, Order, Outcome, PlanSpec, PlanStatus, Policy, RecoveryLevel, State, Status, TaskRef,
    TaskSpec, TaskStatus, decide, evolve,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct TaskGen {
    deps: Vec<u32>,
    refers: Option<usize>,
    automatic: bool,
    level: u8,
    hours: Option<i64>,
    excluded: bool,
}

#[derive(Debug, Clone)]
struct PlanGen {
    tasks: Vec<TaskGen>,
    related: Vec<usize>,
    after: Vec<usize>,
}

fn plan_gen() -> impl Strategy<Value = PlanGen> {
    let task = (
        proptest::collection::vec(1u32..=5, 0..3),
        proptest::option::weighted(0.3, 0usize..4),
        proptest::bool::weighted(0.2),
        0u8..3,
        proptest::option::of(0i64..5),
        proptest::bool::weighted(0.2),
    )
        .prop_map(
            |(deps, refers, automatic, level, hours, excluded)| TaskGen {
                deps,
                refers,
                automatic,
                level,
                hours,
                excluded,
            },
        );
    (
        proptest::collection::vec(task, 0..6),
        proptest::collection::vec(0usize..4, 0..3),
        proptest::collection::vec(0usize..4, 0..2),
    )
        .prop_map(|(tasks, related, after)| PlanGen {
            tasks,
            related,
            after,
        })
}

fn build(plans: &[PlanGen]) -> CrisisSpec {
    let n = plans.len();
    let specs = plans
        .iter()
        .enumerate()
        .map(|(p, g)| {
            let count = g.tasks.len() as u32;
            let tasks = g
                .tasks
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let id = i as u32 + 1;
                    let mut spec = TaskSpec::new(id, format!("t{id}"))
                        .after(t.deps.iter().copied().filter(|d| *d != id && *d <= count));
                    spec.depends_on.sort_unstable();
                    spec.depends_on.dedup();
                    if let Some(r) = t.refers {
                        spec = spec.refers(format!("p{}", r % n));
                    }
                    if t.automatic {
                        spec = spec.automatic(Some(BACKUP));
                    }
                    if let Some(hours) = t.hours {
                        spec = spec.takes(Duration::hours(hours));
                    }
                    if t.excluded {
                        spec = spec.excluded_from_time();
                    }
                    let level = [
                        RecoveryLevel::None,
                        RecoveryLevel::PartiallyRecovered,
                        RecoveryLevel::Recovered,
                    ][t.level as usize];
                    spec.asset(format!("a{}", (p + i) % 3), level)
                })
                .collect();
            let mut plan = PlanSpec::new(format!("p{p}"), tasks);
            plan.related = g.related.iter().map(|r| format!("p{}", r % n)).collect();
            plan.depends_on = g.after.iter().map(|r| format!("p{}", r % n)).collect();
            plan
        })
        .collect();
    CrisisSpec::new("random", Kind::Exercise, specs, ["p0"])
}

fn command(kind: u8, plan: u32, task: u32, back: bool) -> Command {
    let t = TaskRef::new(plan, task);
    let closing = [Closing::Complete, Closing::Incomplete, Closing::Failed][(task % 3) as usize];
    match kind {
        0 => Command::Start,
        1 => Command::Trigger { task: t },
        2..=4 => Command::Work {
            task: t,
            started: None,
        },
        5..=7 => Command::Close {
            task: t,
            closing,
            ended: back.then(|| at(-1)),
        },
        8 => Command::Skip { task: t },
        9 => Command::Retrigger { task: t },
        10 => Command::RetriggerAutomation { task: t },
        11 => Command::AddTask {
            plan,
            task: AdHocTask::new("ad hoc"),
        },
        12 => Command::ClosePlan {
            plan,
            outcome: if back {
                Outcome::Complete
            } else {
                Outcome::Incomplete
            },
        },
        13 => Command::RecordResult {
            result: ExerciseResult::Successful,
        },
        14 => Command::Submit { ended: None },
        15 => Command::Approve,
        16 => Command::Reject,
        17 => Command::CloseEvent {
            outcome: Outcome::Complete,
        },
        18 => Command::Assign {
            task: t,
            user: MEMBER,
        },
        _ => Command::Cancel,
    }
}

/// The forecast at `now`: done tasks at their actual times, work not started from now on,
/// every span ordered, nothing ending before the tasks it depends on.
fn check_forecast(crisis: &Crisis, now: DateTime<Utc>) {
    let forecast = crisis.forecast(now).unwrap();
    for (n, plan) in crisis.plans.iter().enumerate() {
        for (i, task) in plan.tasks.iter().enumerate() {
            let Some(span) = forecast.tasks[n][i] else {
                continue;
            };
            assert!(span.start <= span.end, "plan {n} task {}", task.id);
            match task.status {
                TaskStatus::ClosedComplete | TaskStatus::ClosedIncomplete => {
                    assert_eq!(Some(span.end), task.ended);
                }
                TaskStatus::ClosedSkipped => assert_eq!(span.start, span.end),
                TaskStatus::WorkInProgress => {
                    assert_eq!(Some(span.start), task.started);
                    assert!(span.end >= now);
                }
                _ => {
                    assert!(span.start >= now);
                    for d in &task.depends_on {
                        let j = plan.tasks.iter().position(|t| t.id == *d).unwrap();
                        if let Some(dep) = forecast.tasks[n][j] {
                            assert!(
                                span.start >= dep.end,
                                "task {} starts before {d} ends",
                                task.id
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The rules' invariants on a record, recounted from scratch.
fn check(crisis: &Crisis) {
    let json = serde_json::to_value(crisis).unwrap();
    for (n, plan) in crisis.plans.iter().enumerate() {
        let done = |id: &u32| plan.task(*id).is_some_and(|t| t.status.is_done());
        let running = plan.status != PlanStatus::Pending;
        for (i, task) in plan.tasks.iter().enumerate() {
            let waiting = task.depends_on.iter().filter(|d| !done(d)).count();
            assert_eq!(
                json["plans"][n]["tasks"][i]["waiting"], waiting,
                "waiting count of {n}/{}",
                task.id
            );
            if crisis.status == Status::WorkInProgress
                && running
                && task.status == TaskStatus::Pending
            {
                assert!(
                    waiting > 0,
                    "task {} of plan {n} is ready but pending",
                    task.id
                );
            }
            if task.status == TaskStatus::WorkInProgress {
                assert_eq!(
                    plan.status,
                    PlanStatus::WorkInProgress,
                    "plan {n} with work in progress"
                );
                assert!(task.started.is_some());
            }
            if task.status == TaskStatus::ClosedSkipped {
                assert_eq!((task.started, task.ended), (None, None));
            }
        }
        let remaining = plan.tasks.iter().filter(|t| !t.status.is_done()).count();
        let incomplete = plan
            .tasks
            .iter()
            .filter(|t| t.status == TaskStatus::ClosedIncomplete)
            .count();
        assert_eq!(json["plans"][n]["remaining"], remaining);
        assert_eq!(json["plans"][n]["incomplete"], incomplete);
        let plans_waiting = plan
            .depends_on
            .iter()
            .filter(|d| !crisis.plans[**d as usize].status.is_closed())
            .count();
        assert_eq!(json["plans"][n]["waiting"], plans_waiting);
        if running && !plan.closed_by_hand && crisis.status == Status::WorkInProgress {
            let all_done = !plan.tasks.is_empty() && remaining == 0;
            assert_eq!(
                plan.status.is_closed(),
                all_done,
                "plan {n}: closed exactly when every task is done"
            );
            if all_done {
                let complete = incomplete == 0;
                assert_eq!(plan.status == PlanStatus::ClosedComplete, complete);
            }
        }
        if plan.status == PlanStatus::WorkInProgress {
            assert!(plan.started.is_some());
        }
        if plan.status.is_closed() {
            assert!(plan.ended.is_some());
        }
    }
    crisis.assets().unwrap();
    for plan in &crisis.plans {
        plan.progress().unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_streams_keep_the_rules(
        plans in proptest::collection::vec(plan_gen(), 1..5),
        task_id_order in any::<bool>(),
        levels in 1u8..4,
        approval in any::<bool>(),
        commands in proptest::collection::vec((0u8..20, 0u32..6, 0u32..7, proptest::bool::weighted(0.1), 0u8..3), 1..60),
    ) {
        let mut policy = Policy::servicenow();
        policy.order = if task_id_order { Order::TaskId } else { Order::Dependencies };
        policy.max_levels = levels;
        policy.approval_required = approval;
        let spec = build(&plans);
        let mut state = State::new();
        let pm = program_manager();
        let ctx = Context::new(at(0), &pm, &policy);
        let events = decide(&state, &Command::create(CrisisId::from_u128(1), spec), &ctx).unwrap();
        state.apply(&events);
        check(state.crisis().unwrap());
        let people = [program_manager(), planner(), member()];
        for (step, (kind, plan, task, back, who)) in commands.into_iter().enumerate() {
            let command = command(kind, plan, task, back);
            let ctx = Context::new(at(0) + Duration::minutes(step as i64), &people[who as usize], &policy);
            let before = state.clone();
            match decide(&state, &command, &ctx) {
                Ok(events) => {
                    let folded = events.iter().fold(state.clone(), evolve);
                    state.apply(&events);
                    prop_assert_eq!(&folded, &state);
                    let text = serde_json::to_string(&events).unwrap();
                    prop_assert_eq!(serde_json::from_str::<Vec<Event>>(&text).unwrap(), events);
                }
                Err(e) => {
                    prop_assert_eq!(&state, &before);
                    prop_assert!(!e.to_string().is_empty());
                }
            }
            check(state.crisis().unwrap());
            check_forecast(state.crisis().unwrap(), ctx.now);
        }
        let text = serde_json::to_string(&state).unwrap();
        prop_assert_eq!(serde_json::from_str::<State>(&text).unwrap(), state);
    }
}

/// A start and an end.
type Pair = (DateTime<Utc>, DateTime<Utc>);

/// The planned timeline by another method: every value computed once its inputs are known,
/// pass after pass until nothing changes (no queue, no counters).
fn planned_model(
    crisis: &Crisis,
    t0: DateTime<Utc>,
) -> (Vec<Option<Pair>>, Vec<Vec<Option<Pair>>>) {
    let mut plans: Vec<Option<Pair>> = vec![None; crisis.plans.len()];
    let mut plan_start: Vec<Option<DateTime<Utc>>> = vec![None; crisis.plans.len()];
    let mut tasks: Vec<Vec<Option<Pair>>> = crisis
        .plans
        .iter()
        .map(|p| vec![None; p.tasks.len()])
        .collect();
    let mut task_start: Vec<Vec<Option<DateTime<Utc>>>> = crisis
        .plans
        .iter()
        .map(|p| vec![None; p.tasks.len()])
        .collect();
    loop {
        let mut changed = false;
        for (n, plan) in crisis.plans.iter().enumerate() {
            if plan_start[n].is_none() {
                let start = match plan.activation.parent {
                    Some(parent) => {
                        let pos = crisis.plans[parent.plan as usize]
                            .tasks
                            .iter()
                            .position(|t| t.id == parent.task)
                            .unwrap();
                        task_start[parent.plan as usize][pos]
                    }
                    None => {
                        let ends: Option<Vec<_>> = plan
                            .depends_on
                            .iter()
                            .map(|d| plans[*d as usize].map(|s| s.1))
                            .collect();
                        ends.map(|e| e.into_iter().fold(t0, DateTime::max))
                    }
                };
                if start.is_some() {
                    plan_start[n] = start;
                    changed = true;
                }
            }
            for (i, task) in plan.tasks.iter().enumerate() {
                if task_start[n][i].is_none() {
                    if let Some(ps) = plan_start[n] {
                        let ends: Option<Vec<_>> = task
                            .depends_on
                            .iter()
                            .map(|d| {
                                tasks[n][plan.tasks.iter().position(|t| t.id == *d).unwrap()]
                                    .map(|s| s.1)
                            })
                            .collect();
                        if let Some(e) = ends {
                            task_start[n][i] = Some(e.into_iter().fold(ps, DateTime::max));
                            changed = true;
                        }
                    }
                }
                if tasks[n][i].is_none() {
                    if let Some(start) = task_start[n][i] {
                        let own = start + task.duration.unwrap_or_default();
                        let end = match task.child {
                            Some(c) => plans[c as usize].map(|s| s.1.max(own)),
                            None => Some(own),
                        };
                        if let Some(end) = end {
                            tasks[n][i] = Some((start, end));
                            changed = true;
                        }
                    }
                }
            }
            if plans[n].is_none() {
                if let Some(start) = plan_start[n] {
                    let all: Option<Vec<_>> = tasks[n].iter().copied().collect();
                    if let Some(all) = all {
                        let timed: Vec<_> = plan
                            .tasks
                            .iter()
                            .zip(&all)
                            .filter(|(t, _)| !t.exclude_from_time)
                            .map(|(_, s)| s.1)
                            .collect();
                        let last = if timed.is_empty() {
                            all.iter().map(|s| s.1).max()
                        } else {
                            timed.into_iter().max()
                        };
                        plans[n] = Some((start, last.map_or(start, |l| l.max(start))));
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    (plans, tasks)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_planned_timeline_matches_a_fixpoint_model(
        plans in proptest::collection::vec(plan_gen(), 1..5),
        task_id_order in any::<bool>(),
        levels in 1u8..4,
    ) {
        let mut policy = Policy::servicenow();
        policy.order = if task_id_order { Order::TaskId } else { Order::Dependencies };
        policy.max_levels = levels;
        let mut state = State::new();
        let pm = program_manager();
        let ctx = Context::new(at(0), &pm, &policy);
        state.apply(&decide(&state, &Command::create(CrisisId::from_u128(1), build(&plans)), &ctx).unwrap());
        let crisis = state.crisis().unwrap();
        let planned = crisis.planned(at(0)).unwrap();
        // Before the start, the forecast from now is the plan from now.
        prop_assert_eq!(&crisis.forecast(at(0)).unwrap(), &planned);
        let (model_plans, model_tasks) = planned_model(crisis, at(0));
        let got_plans: Vec<_> = planned.plans.iter().map(|s| s.map(|s| (s.start, s.end))).collect();
        prop_assert_eq!(got_plans, model_plans);
        let got_tasks: Vec<Vec<_>> = planned.tasks.iter().map(|v| v.iter().map(|s| s.map(|s| (s.start, s.end))).collect()).collect();
        prop_assert_eq!(got_tasks, model_tasks);
    }
}
