//! Scale and deep input, each on a thread with a 256 kB stack (so that recursion whose depth
//! follows the input fails loudly): a million tasks in a phase, a hundred thousand phases, a
//! hundred thousand checks, a long holiday run, dates at chrono's ends. Each finishes in well
//! under a second in the test profile; a quadratic pass would not finish.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use itsm_release::{
    Command, Event, Holiday, Outcome, PhaseSpec, PhaseStatus, Plan, Policy, Process, Status,
    TaskRef, TaskSpec, next_deadline, risk,
};

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_million_tasks_in_one_phase() {
    on_small_stack(|| {
        const N: usize = 1_000_000;
        let mut phase = PhaseSpec::new("build").dates(day(3, 8), day(3, 12));
        phase.tasks = (0..N)
            .map(|i| TaskSpec::new(format!("t{i}")).due(day(3, 8) + Duration::days((i % 5) as i64)))
            .collect();
        let plan = Plan::new(
            "big",
            Process::Timeline,
            vec![
                phase,
                PhaseSpec::new("deploy").dates(day(3, 15), day(3, 19)),
            ],
        );
        let mut policy = Policy::servicenow();
        policy.sequential_tasks = false;
        let mut run = Run::new(plan, policy, at(3, 1, 9));
        run.ok(&admin(), at(3, 1, 10), Command::Start);
        // One tick starts the phase, opens every task and sends every due notice.
        let events = run.ok(&admin(), at(3, 20, 0), Command::Tick);
        // Notices of tasks due on the 8th and 9th fall due before the phase starts.
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::TasksOpened { tasks, .. } if tasks.len() == N))
        );
        let notices = events
            .iter()
            .filter(|e| matches!(e, Event::TaskDueSoon { .. }))
            .count();
        assert_eq!(notices, N);
        assert!(events.windows(2).all(|w| w[0].at() <= w[1].at()));
        run.ok(
            &engineer(),
            at(3, 20, 1),
            Command::CloseTask {
                task: TaskRef::new(0, N - 1),
                outcome: Outcome::Complete,
            },
        );
        assert_eq!(
            run.phase(0).tasks()[N - 1].status(),
            itsm_release::TaskStatus::ClosedComplete
        );
        let r = risk(&run.state, at(3, 20, 2), &run.policy);
        assert_eq!(
            r.score, 1,
            "all but one overdue (score 2), no checks: 2 x 50 / 100, all days elapsed"
        );
        assert_eq!(
            next_deadline(&run.state, &run.policy),
            None,
            "nothing more falls due"
        );
        run.ok(
            &admin(),
            at(3, 20, 3),
            Command::Retarget {
                readiness: day(4, 1),
            },
        );
    });
}

#[test]
fn a_hundred_thousand_phases_run_through_in_one_command() {
    on_small_stack(|| {
        const N: usize = 100_000;
        let phases = (0..N).map(|i| PhaseSpec::new(format!("p{i}"))).collect();
        let mut run = Run::new(
            Plan::new("long", Process::Stage, phases),
            Policy::servicenow(),
            at(3, 1, 9),
        );
        let events = run.ok(&admin(), at(3, 1, 10), Command::Start);
        // Started, then each phase started and completed, then review.
        assert_eq!(events.len(), 1 + 2 * N + 1);
        assert_eq!(run.release().status(), Status::Review);
        assert_eq!(run.release().progress(), N);
    });
}

#[test]
fn a_hundred_thousand_timeline_phases_after_a_late_tick() {
    on_small_stack(|| {
        const N: usize = 100_000;
        let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let phases = (0..N)
            .map(|i| {
                let d = start + Duration::days(i as i64);
                PhaseSpec::new(format!("p{i}")).dates(d, d)
            })
            .collect();
        let plan = Plan::new("long", Process::Timeline, phases);
        let mut policy = Policy::servicenow();
        policy.allow_past_dates = true;
        let mut run = Run::new(plan, policy, at(1, 1, 0));
        run.ok(&admin(), at(1, 1, 0), Command::Start);
        let late = start + Duration::days(N as i64 + 1);
        let events = run.ok(
            &admin(),
            late.and_hms_opt(0, 0, 0).unwrap().and_utc(),
            Command::Tick,
        );
        // The first phase started with the release (its date had come); then every phase
        // completed and the next started, then review.
        assert_eq!(events.len(), 2 * N);
        assert_eq!(run.phase(N - 1).status(), PhaseStatus::Completed);
        assert_eq!(run.release().status(), Status::Review);
    });
}

#[test]
fn a_hundred_thousand_checks_run_and_unmap() {
    on_small_stack(|| {
        const N: usize = 100_000;
        let mut phase = PhaseSpec::new("build");
        phase.checks = (0..N).map(|i| format!("c{i}")).collect();
        let mut run = Run::new(
            Plan::new("c", Process::Stage, vec![phase]),
            Policy::servicenow(),
            at(3, 1, 9),
        );
        run.ok(&admin(), at(3, 1, 10), Command::Start);
        run.ok(&admin(), at(3, 1, 11), Command::RunChecks);
        run.ok(
            &admin(),
            at(3, 1, 12),
            Command::RecordCheck {
                check: "c7".into(),
                compliant: false,
            },
        );
        let events = run.ok(
            &admin(),
            at(3, 1, 13),
            Command::UnmapCheck {
                phase: 0,
                check: "c7".into(),
            },
        );
        assert!(
            matches!(&events[1], Event::ChecksRequested { checks, .. } if checks.len() == N - 1)
        );
    });
}

#[test]
fn a_long_holiday_run_and_many_holidays() {
    on_small_stack(|| {
        // 100,000 dated holidays from 2027 on, with a gap every 300 days.
        let first = NaiveDate::from_ymd_opt(2027, 3, 20).unwrap();
        let holidays: Vec<Holiday> = (0..100_000)
            .filter(|i| i % 300 != 0)
            .map(|i| Holiday::date(first + Duration::days(i)))
            .collect();
        let plan = Plan::new(
            "h",
            Process::Timeline,
            vec![
                PhaseSpec::new("a").dates(day(3, 8), day(3, 12)),
                PhaseSpec::new("b").dates(day(3, 15), day(3, 19)),
            ],
        )
        .with_readiness(day(3, 22))
        .with_holidays(holidays);
        let mut run = Run::new(plan, Policy::servicenow(), at(3, 1, 9));
        run.ok(
            &admin(),
            at(3, 1, 10),
            Command::Retarget {
                readiness: day(9, 22),
            },
        );
        // Every moved date falls in the run of holidays and goes back to the last day
        // before it (the gap on 20 March).
        assert_eq!(run.phase(1).end(), Some(day(3, 20)));
        assert_eq!(run.phase(0).start(), Some(day(3, 20)));
    });
}

#[test]
fn dates_at_chronos_ends_are_refused_not_panicked_on() {
    on_small_stack(|| {
        for date in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::MIN + Duration::days(365),
        ] {
            let mut run = Run::new(
                Plan::new(
                    "ok",
                    Process::Stage,
                    vec![PhaseSpec::new("a").task(TaskSpec::new("t"))],
                ),
                Policy::servicenow(),
                at(3, 1, 9),
            );
            let e = run.err(
                &admin(),
                at(3, 1, 10),
                Command::AddTask {
                    phase: 0,
                    task: TaskSpec::new("late").due(date),
                },
            );
            assert!(e.contains("out of range"), "{e}");
            let e = run.err(
                &admin(),
                at(3, 1, 10),
                Command::Retarget { readiness: date },
            );
            assert!(
                e.contains("out of range") || e.contains("before today"),
                "{e}"
            );
        }
        // A release created a year inside the range retargets by the largest step there is.
        let inside = NaiveDate::MAX - Duration::days(400);
        let plan = Plan::new(
            "edge",
            Process::Timeline,
            vec![PhaseSpec::new("a").dates(inside, inside)],
        )
        .with_readiness(inside);
        let mut run = Run::new(plan, Policy::servicenow(), at(3, 1, 9));
        let e = run.err(
            &admin(),
            at(3, 1, 10),
            Command::Retarget {
                readiness: NaiveDate::MIN + Duration::days(400),
            },
        );
        assert!(e.contains("before today"), "{e}");
        let mut policy = Policy::servicenow();
        policy.allow_past_dates = true;
        run.policy = policy;
        run.ok(
            &admin(),
            at(3, 1, 10),
            Command::Retarget {
                readiness: NaiveDate::MAX - Duration::days(370),
            },
        );
        assert_eq!(run.phase(0).start(), Some(inside + Duration::days(30)));
        // The last date chrono has cannot be placed (its end is past the range).
        let e = run.err(
            &admin(),
            at(3, 1, 11),
            Command::Retarget {
                readiness: NaiveDate::MAX,
            },
        );
        assert_eq!(
            e,
            "date +262142-12-31 is out of range; key dates must be at least a year inside chrono's range (years -262143 to 262142)"
        );
        // Ticks far in the future answer.
        let far = chrono::DateTime::<chrono::Utc>::MAX_UTC;
        run.ok(&admin(), far, Command::Tick);
    });
}
