//! Our choices where the vendors' pages are silent (docs/release.md, "Our choices"), and
//! every error with its message.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;
use itsm_release::{
    CheckStatus, Command, Event, Factors, Holiday, Outcome, PhaseSpec, PhaseStatus, Plan, Policy,
    Process, ReleaseId, RestartTasks, State, Status, TaskRef, TaskStatus, decide, next_deadline,
    phase_check_status, risk,
};

fn stage(phases: Vec<PhaseSpec>) -> Plan {
    Plan::new("r", Process::Stage, phases)
}

/// Three timeline phases: a 8-12 March, b 15-19, c 22-26.
fn three_weeks(a: PhaseSpec, b: PhaseSpec, c: PhaseSpec) -> Plan {
    Plan::new(
        "r",
        Process::Timeline,
        vec![
            a.dates(day(3, 8), day(3, 12)),
            b.dates(day(3, 15), day(3, 19)),
            c.dates(day(3, 22), day(3, 26)),
        ],
    )
}

#[test]
fn a_timeline_phase_completed_early_starts_the_next_at_once() {
    let mut run = started(
        three_weeks(
            PhaseSpec::new("a"),
            PhaseSpec::new("b").task(task("x")),
            PhaseSpec::new("c"),
        ),
        Policy::servicenow(),
    );
    run.ok(&admin(), at(3, 8, 0), Command::Tick);
    let events = run.ok(&admin(), at(3, 9, 9), Command::CompletePhase);
    assert!(matches!(events[1], Event::PhaseStarted { phase: 1, at } if at == at_(3, 9, 9)));
    assert_eq!(
        run.phase(1).status(),
        PhaseStatus::InProgress,
        "before its planned start"
    );
}

fn at_(m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    at(m, d, h)
}

#[test]
fn a_late_tick_runs_each_phase_at_its_instant() {
    // Phases without tasks or checks are done: each completes at the end of its end date.
    let mut run = started(
        three_weeks(
            PhaseSpec::new("a"),
            PhaseSpec::new("b"),
            PhaseSpec::new("c"),
        ),
        Policy::servicenow(),
    );
    let events = run.ok(&admin(), at(4, 30, 0), Command::Tick);
    let times: Vec<_> = events.iter().map(|e| (e.at(), kind(e))).collect();
    assert_eq!(
        times,
        [
            (at(3, 8, 0), "start 0"),
            (at(3, 13, 0), "complete 0"),
            (at(3, 13, 0), "start 1"),
            (at(3, 20, 0), "complete 1"),
            (at(3, 20, 0), "start 2"),
            (at(3, 27, 0), "complete 2"),
            (at(3, 27, 0), "review"),
        ]
    );
    assert_eq!(run.release().status(), Status::Review);
    assert_eq!(next_deadline(&run.state, &run.policy), None);
}

fn kind(e: &Event) -> &'static str {
    match e {
        Event::PhaseStarted { phase: 0, .. } => "start 0",
        Event::PhaseStarted { phase: 1, .. } => "start 1",
        Event::PhaseStarted { phase: 2, .. } => "start 2",
        Event::PhaseCompleted { phase: 0, .. } => "complete 0",
        Event::PhaseCompleted { phase: 1, .. } => "complete 1",
        Event::PhaseCompleted { phase: 2, .. } => "complete 2",
        Event::ReviewStarted { .. } => "review",
        Event::PhaseEndReached { .. } => "end reached",
        _ => "other",
    }
}

#[test]
fn a_timeline_phase_not_done_at_its_end_gets_one_notice_and_completes_when_done() {
    let mut run = started(
        three_weeks(
            PhaseSpec::new("a").task(task("x")),
            PhaseSpec::new("b").task(task("y")),
            PhaseSpec::new("c").task(task("z")),
        ),
        Policy::servicenow(),
    );
    let events = run.ok(&admin(), at(3, 14, 0), Command::Tick);
    assert_eq!(
        events.iter().filter(|e| kind(e) == "end reached").count(),
        1
    );
    assert!(run.ok(&admin(), at(3, 14, 1), Command::Tick).is_empty());
    // Closing the last task after the end date completes the phase at once.
    let events = run.ok(&engineer(), at(3, 14, 9), close(0, 0));
    assert!(matches!(events[1], Event::PhaseCompleted { phase: 0, at, .. } if at == at_(3, 14, 9)));
}

#[test]
fn a_command_lets_time_pass_first() {
    let mut run = started(
        three_weeks(
            PhaseSpec::new("a").task(task("x")),
            PhaseSpec::new("b"),
            PhaseSpec::new("c"),
        ),
        Policy::servicenow(),
    );
    // No tick on the 8th: closing the task on the 9th first starts the phase.
    let events = run.ok(&engineer(), at(3, 9, 9), close(0, 0));
    assert!(matches!(events[0], Event::PhaseStarted { phase: 0, at } if at == at_(3, 8, 0)));
    assert!(matches!(events[2], Event::TaskClosed { .. }));
}

#[test]
fn restart_as_phase_start_reopens_in_order() {
    let mut policy = Policy::servicenow();
    policy.restart_tasks = RestartTasks::AsPhaseStart;
    let mut run = started(
        stage(vec![
            PhaseSpec::new("a").task(task("x")).task(task("y")),
            PhaseSpec::new("b").task(task("z")),
        ]),
        policy,
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    run.ok(&engineer(), at(3, 2, 10), close(0, 1));
    run.ok(&admin(), at(3, 3, 9), Command::Restart { phase: 0 });
    let a: Vec<_> = run.phase(0).tasks().iter().map(|t| t.status()).collect();
    assert_eq!(a, [TaskStatus::Open, TaskStatus::Pending]);
    assert_eq!(run.phase(1).tasks()[0].status(), TaskStatus::Pending);
}

#[test]
fn restart_after_the_last_phase_resets_to_the_end() {
    let mut policy = Policy::servicenow();
    policy.auto_review = false;
    let mut run = started(
        stage(vec![
            PhaseSpec::new("a").task(task("x")),
            PhaseSpec::new("b").task(task("y")),
        ]),
        policy,
    );
    run.ok(&engineer(), at(3, 2, 9), close(0, 0));
    run.ok(&engineer(), at(3, 2, 10), close(1, 0));
    assert!(run.release().current().is_none());
    run.ok(&admin(), at(3, 3, 9), Command::Restart { phase: 1 });
    assert_eq!(run.phase(0).status(), PhaseStatus::Completed);
    assert_eq!(run.phase(1).status(), PhaseStatus::InProgress);
    assert_eq!(run.phase(1).restarts(), 0, "no phase was in progress");
}

#[test]
fn retarget_moves_only_what_is_ahead() {
    let mut run = started(
        three_weeks(
            PhaseSpec::new("a"),
            PhaseSpec::new("b")
                .task(task("x").due(day(3, 16)))
                .task(task("y").due(day(3, 17))),
            PhaseSpec::new("c"),
        )
        .with_readiness(day(3, 29)),
        Policy::servicenow(),
    );
    run.ok(&admin(), at(3, 13, 1), Command::Tick);
    assert_eq!(run.phase(0).status(), PhaseStatus::Completed);
    run.ok(&engineer(), at(3, 15, 9), close(1, 0));
    run.ok(
        &admin(),
        at(3, 15, 10),
        Command::Retarget {
            readiness: day(4, 5),
        },
    );
    assert_eq!(run.phase(0).end(), Some(day(3, 12)), "completed: not moved");
    assert_eq!(run.phase(1).start(), Some(day(3, 22)), "in progress: moved");
    assert_eq!(
        run.phase(1).tasks()[0].due(),
        Some(day(3, 16)),
        "closed: not moved"
    );
    assert_eq!(run.phase(1).tasks()[1].due(), Some(day(3, 24)));
    assert_eq!(run.phase(2).end(), Some(day(4, 2)));
    // Moving back by the same 7 days, with the 12th a holiday: nothing else moved by holidays.
    run.ok(
        &admin(),
        at(3, 15, 11),
        Command::Retarget {
            readiness: day(3, 29),
        },
    );
    assert_eq!(run.phase(1).tasks()[1].due(), Some(day(3, 17)));
}

#[test]
fn a_retarget_announces_again_only_dates_still_ahead() {
    // The independent review's case: the phase ended on the 6th unfinished and was
    // announced; a retarget a day earlier moves its end to the 5th, already past.
    let plan = Plan::new(
        "r",
        Process::Timeline,
        vec![
            PhaseSpec::new("a")
                .dates(day(3, 5), day(3, 6))
                .task(task("t").due(day(3, 6))),
        ],
    )
    .with_readiness(day(3, 20));
    let mut run = started(plan, Policy::servicenow());
    let events = run.ok(&admin(), at(3, 10, 0), Command::Tick);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::PhaseEndReached { .. }))
            .count(),
        1
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::TaskDueSoon { .. }))
            .count(),
        1
    );
    let events = run.ok(
        &admin(),
        at(3, 10, 1),
        Command::Retarget {
            readiness: day(3, 19),
        },
    );
    assert_eq!(events.len(), 1, "nothing announced again: {events:?}");
    // Moved a fortnight later, both dates are ahead again and announced for their new dates.
    let events = run.ok(
        &admin(),
        at(3, 10, 2),
        Command::Retarget {
            readiness: day(4, 2),
        },
    );
    assert_eq!(events.len(), 1);
    assert_eq!(run.phase(0).end(), Some(day(3, 19)));
    let events = run.ok(&admin(), at(3, 20, 0), Command::Tick);
    assert_eq!(kinds(&events), ["TaskDueSoon", "PhaseEndReached"]);
    // The readiness notice: sent once; a retarget to the same date does not re-send it.
    run.ok(&admin(), at(4, 1, 0), Command::Tick);
    let events = run.ok(
        &admin(),
        at(4, 1, 1),
        Command::Retarget {
            readiness: day(4, 2),
        },
    );
    assert_eq!(events.len(), 1);
    assert!(run.ok(&admin(), at(4, 1, 2), Command::Tick).is_empty());
}

#[test]
fn a_stage_retarget_or_a_first_target_moves_no_date() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("a")
                .dates(day(3, 8), day(3, 12))
                .task(task("x")),
        ]),
        Policy::servicenow(),
    );
    run.ok(
        &admin(),
        at(3, 2, 9),
        Command::Retarget {
            readiness: day(4, 1),
        },
    );
    run.ok(
        &admin(),
        at(3, 2, 10),
        Command::Retarget {
            readiness: day(5, 1),
        },
    );
    assert_eq!(run.phase(0).start(), Some(day(3, 8)));
    let mut run = started(
        three_weeks(
            PhaseSpec::new("a"),
            PhaseSpec::new("b"),
            PhaseSpec::new("c"),
        ),
        Policy::servicenow(),
    );
    let events = run.ok(
        &admin(),
        at(3, 2, 9),
        Command::Retarget {
            readiness: day(4, 1),
        },
    );
    assert!(matches!(
        events[0],
        Event::Retargeted {
            from: None,
            days: 0,
            ..
        }
    ));
    assert_eq!(run.phase(2).end(), Some(day(3, 26)));
}

#[test]
fn a_holiday_run_moves_a_date_back_past_all_of_it() {
    let mut plan = three_weeks(
        PhaseSpec::new("a"),
        PhaseSpec::new("b"),
        PhaseSpec::new("c"),
    )
    .with_readiness(day(3, 29));
    // Moving a week later puts c's end on the 2nd of April; 31 March to 2 April are holidays.
    plan.holidays = vec![
        Holiday::date(day(3, 31)),
        Holiday::yearly(4, 1),
        Holiday::date(day(4, 2)),
    ];
    let mut run = started(plan, Policy::servicenow());
    run.ok(
        &admin(),
        at(3, 2, 9),
        Command::Retarget {
            readiness: day(4, 5),
        },
    );
    assert_eq!(run.phase(2).end(), Some(day(3, 30)));
    assert_eq!(run.phase(2).start(), Some(day(3, 29)));
}

#[test]
fn a_holiday_every_day_cannot_be_moved_off() {
    let mut plan = three_weeks(
        PhaseSpec::new("a"),
        PhaseSpec::new("b"),
        PhaseSpec::new("c"),
    )
    .with_readiness(day(3, 29));
    plan.holidays = (1..=12)
        .flat_map(|m| (1..=31).map(move |d| Holiday::yearly(m, d)))
        .collect();
    let mut run = started(plan, Policy::servicenow());
    let e = run.err(
        &admin(),
        at(3, 2, 9),
        Command::Retarget {
            readiness: day(4, 5),
        },
    );
    assert_eq!(
        e,
        "date 2027-03-08 cannot move by 7 days: it would leave chrono's range or the holiday schedule leaves no working day"
    );
}

#[test]
fn skipped_tasks_count_as_closed_for_stage_risk() {
    let mut policy = Policy::servicenow();
    policy.sequential_tasks = false;
    let mut phase = PhaseSpec::new("a");
    for i in 0..10 {
        phase = phase.task(task(&format!("t{i}")));
    }
    let mut run = started(stage(vec![phase]), policy);
    for i in 0..2 {
        run.ok(
            &engineer(),
            at(3, 2, 9),
            Command::CloseTask {
                task: TaskRef::new(0, i),
                outcome: Outcome::Skipped,
            },
        );
    }
    let r = risk(&run.state, at(3, 2, 10), &run.policy);
    assert!(matches!(r.factors, Factors::Stage { closed: 2, .. }));
    assert_eq!(r.score, 40, "work 0.8 x 0.5, progress 0");
}

#[test]
fn a_one_day_release_has_one_risk_day() {
    let mut run = started(
        Plan::new(
            "r",
            Process::Timeline,
            vec![
                PhaseSpec::new("a")
                    .dates(day(3, 8), day(3, 8))
                    .task(task("x").due(day(3, 7))),
            ],
        ),
        {
            let mut p = Policy::servicenow();
            p.allow_past_dates = true;
            p
        },
    );
    run.ok(&admin(), at(3, 8, 1), Command::Tick);
    let r = risk(&run.state, at(3, 8, 12), &run.policy);
    assert!(matches!(
        r.factors,
        Factors::Timeline {
            total_days: 1,
            elapsed_days: 0,
            overdue: 1,
            ..
        }
    ));
    assert_eq!(r.score, 0, "no day elapsed yet");
}

#[test]
fn a_phase_rolls_its_checks_up_in_one_order() {
    use CheckStatus::*;
    assert_eq!(
        phase_check_status(&[Compliant, CompliantWithException]),
        CompliantWithException
    );
    assert_eq!(
        phase_check_status(&[NotRun, CompliantWithException]),
        NotRun
    );
    assert_eq!(
        phase_check_status(&[NotRun, Running, NonCompliant]),
        NonCompliant
    );
    assert_eq!(phase_check_status(&[Compliant]), Compliant);
}

#[test]
fn approval_tasks_answer_to_their_approver_only() {
    let mut run = started(
        stage(vec![
            PhaseSpec::new("a")
                .task(task("go/no-go").approval(CAB))
                .task(task("x")),
        ]),
        Policy::servicenow(),
    );
    let go = TaskRef::new(0, 0);
    assert_eq!(
        run.err(&admin(), at(3, 2, 9), Command::Approve { task: go }),
        "task `go/no-go` is approved or rejected by its approver 00000000-0000-0000-0000-000000000009 only"
    );
    assert_eq!(
        run.err(&admin(), at(3, 2, 9), close(0, 0)),
        "task `go/no-go` is an approval task; it closes when its approver approves it"
    );
    assert_eq!(
        run.err(
            &approver(),
            at(3, 2, 9),
            Command::Reject {
                task: go,
                reason: "".into()
            }
        ),
        "`reject` needs a non-empty `reason`"
    );
    run.ok(
        &approver(),
        at(3, 2, 9),
        Command::Reject {
            task: go,
            reason: "no rollback plan".into(),
        },
    );
    assert_eq!(
        run.phase(0).tasks()[0].rejection(),
        Some("no rollback plan")
    );
    assert_eq!(
        run.phase(0).tasks()[1].status(),
        TaskStatus::Pending,
        "a rejected task is still active"
    );
    assert_eq!(
        run.err(&approver(), at(3, 2, 10), Command::Approve { task: go }),
        "task `go/no-go` is rejected; `approve` acts on a task that is `requested`"
    );
    run.ok(&admin(), at(3, 2, 11), Command::Rerequest { task: go });
    run.ok(&approver(), at(3, 2, 12), Command::Approve { task: go });
    assert_eq!(run.phase(0).tasks()[1].status(), TaskStatus::Open);
    assert_eq!(
        run.err(
            &admin(),
            at(3, 2, 13),
            Command::Approve {
                task: TaskRef::new(0, 1)
            }
        ),
        "task `x` is not an approval task; only tasks with an approver are approved or rejected"
    );
}

#[test]
fn a_refused_command_leaves_the_release_as_it_was_and_a_tick_never_fails() {
    let mut run = started(
        stage(vec![PhaseSpec::new("a").task(task("x"))]),
        Policy::servicenow(),
    );
    assert!(
        run.ok(&engineer(), at(2, 1, 0), Command::Tick).is_empty(),
        "a tick in the past"
    );
    assert_eq!(
        run.err(&engineer(), at(2, 1, 0), close(0, 0)),
        "the clock went backwards: the last event was at 2027-03-01 10:00:00 UTC, the command at 2027-02-01 00:00:00 UTC; commands come in time order"
    );
}

#[test]
fn every_plan_error_says_what_is_allowed() {
    let p = |n: &str| PhaseSpec::new(n);
    let cases: Vec<(Plan, &str)> = vec![
        (
            stage(vec![]).tap(|x| x.name = " ".into()),
            "the release's name is empty; give it a name",
        ),
        (
            stage(vec![]),
            "release `r` has no phases; give at least one",
        ),
        (
            stage(vec![p("a"), p("")]),
            "phase 1 has an empty name; give every phase a name",
        ),
        (
            stage(vec![p("a"), p("a")]),
            "two phases are named `a`; phase names must be unique",
        ),
        (
            Plan::new("r", Process::Timeline, vec![p("a")]),
            "phase `a` has no planned start or end date; a timeline release needs both on every phase",
        ),
        (
            stage(vec![p("a").dates(day(3, 9), day(3, 8))]),
            "phase `a` ends on 2027-03-08, before it starts on 2027-03-09; the end date must be on or after the start date",
        ),
        (
            stage(vec![
                p("a").dates(day(3, 9), day(3, 10)),
                p("b").dates(day(3, 8), day(3, 10)),
            ]),
            "phase `b` starts on 2027-03-08, before phase `a` listed before it (2027-03-09); list phases in the order they run",
        ),
        (
            stage(vec![p("a").task(task(""))]),
            "phase `a`: task 0 has an empty name; give every task a name",
        ),
        (
            stage(vec![p("a").check("")]),
            "phase `a`: a check has an empty name; name every check",
        ),
        (
            stage(vec![p("a").check("c").check("c")]),
            "phase `a` already has check `c`; a check is mapped to a phase once",
        ),
        (
            stage(vec![p("a").task(task("x").due(chrono::NaiveDate::MAX))]),
            "date +262142-12-31 is out of range; key dates must be at least a year inside chrono's range (years -262143 to 262142)",
        ),
        (
            stage(vec![p("a").task(task("x").due(chrono::NaiveDate::MIN))]),
            "date -262143-01-01 is out of range; key dates must be at least a year inside chrono's range (years -262143 to 262142)",
        ),
        (
            stage(vec![p("a")]).with_zone("Mars/Olympus"),
            if cfg!(feature = "tz") {
                "release `r`: unknown time zone `Mars/Olympus`; give an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00"
            } else {
                "release `r`: unknown time zone `Mars/Olympus`; give UTC or an offset such as +02:00 (IANA names need the `tz` feature)"
            },
        ),
    ];
    for (plan, message) in cases {
        assert_eq!(plan_err(plan), message);
    }
}

trait Tap: Sized {
    fn tap(self, f: impl FnOnce(&mut Self)) -> Self;
}

impl Tap for Plan {
    fn tap(mut self, f: impl FnOnce(&mut Self)) -> Self {
        f(&mut self);
        self
    }
}

#[test]
fn every_command_error_says_what_is_allowed() {
    let policy = Policy::servicenow();
    let admin_ = admin();
    let ctx = itsm_release::Context::new(at(3, 1, 9), &admin_, &policy);
    assert_eq!(
        decide(&State::new(), &Command::Start, &ctx)
            .unwrap_err()
            .to_string(),
        "`start` needs a release; `create` it first"
    );
    let mut run = started(
        stage(vec![
            PhaseSpec::new("a")
                .task(task("x"))
                .task(task("y"))
                .check("scan"),
            PhaseSpec::new("b"),
        ]),
        Policy::servicenow(),
    );
    let t = at(3, 2, 9);
    let cases: Vec<(Command, &str)> = vec![
        (
            Command::create(ReleaseId::from_u128(2), stage(vec![PhaseSpec::new("a")])),
            "the release exists already; `create` makes a new one",
        ),
        (
            Command::AddTask {
                phase: 5,
                task: task("z"),
            },
            "there is no phase 5; the release has 2 (0 to 1)",
        ),
        (
            Command::StartTask {
                task: TaskRef::new(0, 7),
            },
            "phase `a` has no task 7; it has 2",
        ),
        (
            Command::StartTask {
                task: TaskRef::new(0, 1),
            },
            "task `y` is pending; `start_task` acts on a task that is `open`",
        ),
        (
            Command::RecordCheck {
                check: "lint".into(),
                compliant: true,
            },
            "phase `a` has no check `lint`; its checks: `scan`",
        ),
        (
            Command::GrantException {
                check: "scan".into(),
                from: t,
                to: t,
                justification: "x".into(),
            },
            "the exception for check `scan` ends at 2027-03-02 09:00:00 UTC, not after it starts at 2027-03-02 09:00:00 UTC",
        ),
        (
            Command::CompletePhase,
            "phase `a` has 2 task(s) not closed (the first, `x`, is open); close them first",
        ),
        (
            Command::Restart { phase: 1 },
            "phase `b` is pending; a release restarts from a completed phase",
        ),
        (
            Command::BeginReview,
            "0 of 2 phases completed; the review begins when all have",
        ),
        (
            Command::Complete,
            "`complete` is not allowed in status `in_progress`; allowed there: `start_task`, `close_task`, `approve`, `reject`, `rerequest`, `add_task`, `map_check`, `unmap_check`, `run_checks`, `record_check`, `grant_exception`, `complete_phase`, `restart`, `retarget`, `begin_review`, `cancel`, `tick`",
        ),
    ];
    for (command, message) in cases {
        assert_eq!(run.err(&admin(), t, command), message);
    }
    assert_eq!(
        run.err(&engineer(), t, Command::RunChecks),
        "`run_checks` needs one of the roles `release_admin`, `product_manager`; the actor holds none of them"
    );

    // A timeline release before its first start date has no phase in progress.
    let mut run = started(
        Plan::new(
            "t",
            Process::Timeline,
            vec![PhaseSpec::new("a").dates(day(3, 8), day(3, 9))],
        ),
        Policy::servicenow(),
    );
    assert_eq!(
        run.err(&admin(), t, Command::RunChecks),
        "no phase is in progress (0 of 1 completed); a timeline release's first phase starts on its start date"
    );
    assert_eq!(
        run.err(&admin(), t, Command::Restart { phase: 0 }),
        "release `t` is timeline-oriented; only stage-oriented releases restart from a completed phase"
    );
}

#[test]
fn every_policy_error_says_what_is_allowed() {
    let mut policy = Policy::servicenow();
    policy.task_notice_days = Some(400);
    assert_eq!(
        policy.check().unwrap_err().to_string(),
        "`task_notice_days` is 400 days; give at most 366"
    );
    // decide refuses a bad policy before anything else.
    let admin = admin();
    let ctx = itsm_release::Context::new(at(3, 1, 9), &admin, &policy);
    assert!(decide(&State::new(), &Command::Tick, &ctx).is_err());
}
