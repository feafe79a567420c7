//! Properties over random plans, policies and command sequences: the invariants the docs
//! state hold whatever the commands, and status changes follow the tables.
//! 256 cases by default; `PROPTEST_CASES=20000` by hand.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_release::{
    Actor, Command, Context, Event, Factors, Holiday, Outcome, PHASE_TRANSITIONS, PhaseSpec,
    PhaseStatus, Plan, Policy, Process, ReleaseId, RestartTasks, State, Status, TRANSITIONS,
    TaskRef, TaskSpec, decide, evolve, next_deadline, risk,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    plan: Plan,
    policy: Policy,
    steps: Vec<(u8, i64, Command, (u8, usize))>,
}

fn plan_strategy() -> impl Strategy<Value = Plan> {
    let phase = (0usize..4, 0usize..3, any::<u8>(), 0usize..3);
    (
        any::<bool>(),
        prop::collection::vec(phase, 1..5),
        prop::option::of(0u32..40),
        prop::collection::vec(0u32..40, 0..4),
    )
        .prop_map(|(timeline, phases, readiness, holidays)| {
            let process = if timeline {
                Process::Timeline
            } else {
                Process::Stage
            };
            let phases = phases
                .into_iter()
                .enumerate()
                .map(|(i, (tasks, checks, approvals, length))| {
                    let start = day(3, 8) + Duration::days(7 * i as i64);
                    let mut p = PhaseSpec::new(format!("p{i}"))
                        .dates(start, start + Duration::days(length as i64));
                    for j in 0..tasks {
                        let mut t = TaskSpec::new(format!("t{i}.{j}"));
                        if approvals & (1 << j) != 0 {
                            t = t.approval(CAB);
                        }
                        if approvals & (16 << j) != 0 {
                            t = t.due(start + Duration::days(j as i64));
                        }
                        p = p.task(t);
                    }
                    for k in 0..checks {
                        p = p.check(format!("c{k}"));
                    }
                    p
                })
                .collect();
            let mut plan = Plan::new("r", process, phases);
            plan.readiness = readiness.map(|d| day(3, 8) + Duration::days(d.into()));
            plan.holidays = holidays
                .into_iter()
                .map(|d| Holiday::date(day(3, 8) + Duration::days(d.into())))
                .collect();
            plan
        })
}

fn policy_strategy() -> impl Strategy<Value = Policy> {
    (any::<[bool; 6]>(), prop::option::of(0u32..4)).prop_map(|(b, notice)| {
        let mut p = Policy::servicenow();
        p.sequential_tasks = b[0];
        p.auto_advance = b[1];
        p.auto_review = b[2];
        p.auto_complete = b[3];
        p.restart_tasks = if b[4] {
            RestartTasks::AllOpen
        } else {
            RestartTasks::AsPhaseStart
        };
        p.allow_past_dates = b[5];
        p.task_notice_days = notice;
        p
    })
}

fn command_strategy() -> impl Strategy<Value = Command> {
    let task = (0usize..5, 0usize..4).prop_map(|(p, t)| TaskRef::new(p, t));
    let outcome = prop_oneof![
        Just(Outcome::Complete),
        Just(Outcome::Incomplete),
        Just(Outcome::Skipped)
    ];
    prop_oneof![
        4 => Just(Command::Tick),
        2 => Just(Command::Start),
        2 => task.clone().prop_map(|task| Command::StartTask { task }),
        6 => (task.clone(), outcome).prop_map(|(task, outcome)| Command::CloseTask { task, outcome }),
        3 => task.clone().prop_map(|task| Command::Approve { task }),
        1 => task.clone().prop_map(|task| Command::Reject { task, reason: "no".into() }),
        1 => task.prop_map(|task| Command::Rerequest { task }),
        1 => (0usize..5).prop_map(|phase| Command::AddTask { phase, task: TaskSpec::new("added") }),
        1 => (0usize..5, 0u8..4).prop_map(|(phase, k)| Command::MapCheck { phase, check: format!("c{k}") }),
        1 => (0usize..5, 0u8..4).prop_map(|(phase, k)| Command::UnmapCheck { phase, check: format!("c{k}") }),
        3 => Just(Command::RunChecks),
        4 => (0u8..3, any::<bool>()).prop_map(|(k, compliant)| Command::RecordCheck { check: format!("c{k}"), compliant }),
        1 => (0u8..3, 0i64..200).prop_map(|(k, h)| Command::GrantException {
            check: format!("c{k}"),
            from: at(3, 1, 0),
            to: at(3, 1, 0) + Duration::hours(h * 10),
            justification: "accepted".into(),
        }),
        2 => Just(Command::CompletePhase),
        1 => (0usize..5).prop_map(|phase| Command::Restart { phase }),
        1 => (0i64..60).prop_map(|d| Command::Retarget { readiness: day(3, 1) + Duration::days(d) }),
        1 => Just(Command::BeginReview),
        1 => Just(Command::FinishReview { notes: "fine".into() }),
        1 => Just(Command::Complete),
        1 => Just(Command::Cancel { reason: "dropped".into() }),
    ]
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        plan_strategy(),
        policy_strategy(),
        prop::collection::vec(
            (0u8..4, -6i64..60, command_strategy(), (0u8..6, 0usize..5)),
            1..40,
        ),
    )
        .prop_map(|(plan, policy, steps)| Case {
            plan,
            policy,
            steps,
        })
}

fn actor(i: u8) -> Actor {
    match i {
        0 => admin(),
        1 => manager(),
        2 => engineer(),
        _ => approver(),
    }
}

/// The invariants docs/release.md states for any release.
fn check_invariants(state: &State, policy: &Policy, held: bool) -> Result<(), TestCaseError> {
    let Some(r) = state.release() else {
        return Ok(());
    };
    let phases = r.phases();
    let in_progress: Vec<usize> = (0..phases.len())
        .filter(|i| phases[*i].status() == PhaseStatus::InProgress)
        .collect();
    prop_assert!(
        in_progress.len() <= 1,
        "two phases in progress: {in_progress:?}"
    );
    match r.status() {
        Status::Draft => {
            prop_assert!(phases.iter().all(|p| p.status() == PhaseStatus::Pending))
        }
        Status::Review | Status::Completed => prop_assert!(
            phases.iter().all(|p| p.status() == PhaseStatus::Completed),
            "review with a phase not completed"
        ),
        Status::Canceled => prop_assert!(
            phases
                .iter()
                .all(|p| matches!(p.status(), PhaseStatus::Completed | PhaseStatus::Canceled))
        ),
        Status::InProgress => {
            // Completed phases first, then at most one in progress, then pending.
            let k = r.progress();
            for (i, p) in phases.iter().enumerate() {
                if i < k {
                    prop_assert_eq!(p.status(), PhaseStatus::Completed);
                } else if i > k {
                    prop_assert_eq!(p.status(), PhaseStatus::Pending, "phase {} after {}", i, k);
                }
            }
            if let Some((i, p)) = r.current() {
                prop_assert_eq!(i, k);
                // A done stage phase does not wait unless the policy or the multi-product
                // rules say so.
                prop_assert!(
                    held || !(r.process() == Process::Stage && policy.auto_advance && p.is_done()),
                    "stage phase {} done and still in progress",
                    i
                );
            } else {
                prop_assert!(
                    k == phases.len() || r.process() == Process::Timeline,
                    "a stage release in progress between phases"
                );
                prop_assert!(k == 0 || k == phases.len(), "between phases {}", k);
            }
        }
        _ => {}
    }
    Ok(())
}

fn run_case(case: &Case) -> Result<(), TestCaseError> {
    let mut state = State::new();
    let mut now = at(3, 1, 9);
    let admin_ = admin();
    let ctx = Context::new(now, &admin_, &case.policy);
    let created = decide(
        &state,
        &Command::create(ReleaseId::from_u128(1), case.plan.clone()),
        &ctx,
    );
    let Ok(events) = created else {
        return Ok(());
    };
    state.apply(&events);
    for (who, hours, command, (multi, progress)) in &case.steps {
        now += Duration::hours(*hours);
        let actor = actor(*who);
        // Mostly a release on its own; sometimes included in a main release at `progress`,
        // or a main release with one included release there.
        let included = [*progress];
        let ctx = match multi {
            0 => Context::new(now, &actor, &case.policy).included_in(*progress),
            1 => Context::new(now, &actor, &case.policy).with_included(&included),
            _ => Context::new(now, &actor, &case.policy),
        };
        let held = *multi < 2;
        let result = decide(&state, command, &ctx);
        prop_assert_eq!(
            &result,
            &decide(&state, command, &ctx),
            "decide is deterministic"
        );
        let Ok(events) = result else {
            continue;
        };
        let last = state.release().unwrap().last_at();
        let mut t = last;
        for e in &events {
            // The multi-product rules: an included release completes no phase ahead of the
            // main one; a main release none its included release has not reached.
            if let Event::PhaseCompleted { phase, .. } = e {
                prop_assert!(
                    *multi >= 2 || phase <= progress,
                    "phase {phase} completed against progress {progress} ({multi})"
                );
            }
            prop_assert!(
                e.at() >= t && e.at() <= now,
                "{e:?} out of order (last {last}, now {now})"
            );
            t = e.at();
        }
        let mut folded = state.clone();
        for e in &events {
            let before = folded.clone();
            folded = evolve(folded, e);
            check_transitions(&before, &folded)?;
        }
        state.apply(&events);
        prop_assert_eq!(&folded, &state, "evolve folds as apply");
        check_invariants(&state, &case.policy, held)?;
        let r = state.release().unwrap();
        if let Some(d) = next_deadline(&state, &case.policy) {
            prop_assert!(d >= r.last_at(), "deadline {d} before the last event");
            if matches!(command, Command::Tick) && now >= last {
                prop_assert!(
                    d > now,
                    "after a tick at {now} the deadline {d} is not after it"
                );
            }
        }
        let score = risk(&state, now, &case.policy);
        prop_assert!(score.score <= 100);
        if let Factors::Stage {
            tasks,
            closed,
            runs,
            non_compliant,
            days_remaining,
            ..
        } = score.factors
        {
            prop_assert_eq!(
                score.score,
                stage_model(tasks, closed, runs, non_compliant, days_remaining)
            );
        }
        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_string(&state).unwrap();
            prop_assert_eq!(&serde_json::from_str::<State>(&json).unwrap(), &state);
            let json = serde_json::to_string(&events).unwrap();
            prop_assert_eq!(serde_json::from_str::<Vec<Event>>(&json).unwrap(), events);
        }
    }
    Ok(())
}

/// The stage risk formula in floating point, straight from ServiceNow's page, rounded
/// half up (the crate computes it exactly; the cases here never sit within 1e-9 of a half).
fn stage_model(t: usize, c: usize, k: usize, nc: usize, days: Option<i64>) -> u32 {
    let (t, c, k, nc) = (t as f64, c as f64, k as f64, nc as f64);
    let work = if t <= 1.0 { 0.0 } else { 1.0 - c / t };
    let policy = if k == 0.0 { 0.0 } else { nc / k };
    let progress = if t == 0.0 {
        0.0
    } else {
        (1.0 - (c / t) / 0.2).max(0.0)
    };
    let x = match days {
        Some(d) => {
            let time = if d < 0 {
                1.0
            } else {
                (1.0 - d as f64 / 14.0).clamp(0.0, 1.0)
            };
            0.3 * work + 0.4 * policy + 0.1 * progress + 0.2 * time
        }
        None => 0.5 * work + 0.4 * policy + 0.1 * progress,
    };
    let x = x * 100.0;
    ((x + 0.5 + 1e-9).floor()).min(100.0) as u32
}

/// Every change one event makes to the release's status is a row of `TRANSITIONS`; to a
/// phase's status, a row of `PHASE_TRANSITIONS`.
fn check_transitions(before: &State, after: &State) -> Result<(), TestCaseError> {
    let (Some(b), Some(a)) = (before.release(), after.release()) else {
        return Ok(());
    };
    if b.status() != a.status() {
        prop_assert!(
            TRANSITIONS
                .iter()
                .any(|t| t.from == b.status() && t.to == a.status()),
            "release {} -> {} is not in the table",
            b.status(),
            a.status()
        );
    }
    for (p, q) in b.phases().iter().zip(a.phases()) {
        if p.status() != q.status() {
            prop_assert!(
                PHASE_TRANSITIONS
                    .iter()
                    .any(|t| t.from == p.status() && t.to == q.status()),
                "phase {} -> {} is not in the table",
                p.status(),
                q.status()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_releases_keep_the_documented_invariants(case in case_strategy()) {
        run_case(&case)?;
    }

    /// A retarget never leaves a moved date on a holiday, and keeps dates in order.
    #[test]
    fn retargeted_dates_avoid_holidays(plan in plan_strategy(), to in 0i64..80) {
        let mut plan = plan;
        plan.process = Process::Timeline;
        plan.readiness = Some(day(3, 20));
        let mut policy = Policy::servicenow();
        policy.allow_past_dates = true;
        let mut run = Run::new(plan.clone(), policy, at(3, 1, 9));
        let target = day(3, 1) + Duration::days(to);
        if run.run(&admin(), at(3, 1, 10), Command::Retarget { readiness: target }).is_err() {
            return Ok(());
        }
        let holidays: Vec<_> = plan.holidays.iter().map(|h| match h { Holiday::Date { date, .. } => *date, _ => unreachable!() }).collect();
        let moved = (target - day(3, 20)).num_days() != 0;
        let mut last_start = None;
        for p in run.release().phases() {
            for d in [p.start(), p.end()].into_iter().chain(p.tasks().iter().map(|t| t.due())).flatten() {
                if moved {
                    prop_assert!(!holidays.contains(&d), "{d} is a holiday");
                }
            }
            prop_assert!(p.start() <= p.end());
            prop_assert!(last_start <= p.start());
            last_start = p.start();
        }
    }
}

#[test]
fn the_model_rounds_as_the_page_says() {
    // 0.52 exactly -> 52; 0.605 -> 61 (half up).
    assert_eq!(stage_model(10, 1, 4, 1, Some(7)), 52);
    assert_eq!(stage_model(10, 1, 4, 1, None), 60);
    let _: DateTime<Utc> = at(3, 1, 0);
}
