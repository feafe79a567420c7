//! Our choices where ServiceNow's documentation is silent (docs/crisis.md, "Choices"), and
//! every error with its message.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;
use itsm_crisis::{
    AdHocTask, AssetSpec, Closing, Command, CrisisId, CrisisSpec, Error, Event, Kind, MAX_LEVELS,
    MAX_TASKS, Order, Outcome, PlanSpec, PlanStatus, Policy, State, Status, TaskRef, TaskSpec,
    TaskStatus, decide,
};

fn spec(plans: Vec<PlanSpec>, activate: &[&str]) -> CrisisSpec {
    CrisisSpec::new("outage", Kind::Actual, plans, activate.iter().copied())
}

fn one(tasks: Vec<TaskSpec>) -> CrisisSpec {
    spec(vec![PlanSpec::new("p", tasks)], &["p"])
}

fn create_error(spec: CrisisSpec, policy: &Policy) -> Error {
    let pm = program_manager();
    let ctx = itsm_crisis::Context::new(at(0), &pm, policy);
    decide(
        &State::new(),
        &Command::create(CrisisId::from_u128(1), spec),
        &ctx,
    )
    .unwrap_err()
}

#[test]
fn every_spec_error_names_what_is_wrong() {
    let p = Policy::servicenow();
    let cases: Vec<(CrisisSpec, &str)> = vec![
        (
            CrisisSpec::new(" ", Kind::Actual, vec![PlanSpec::new("p", vec![])], ["p"]),
            "the event's name is empty; give it a name",
        ),
        (
            spec(vec![PlanSpec::new("", vec![])], &[""]),
            "the plan's name is empty; give it a name",
        ),
        (
            one(vec![TaskSpec::new(1, "")]),
            "the task's name is empty; give it a name",
        ),
        (
            spec(
                vec![PlanSpec::new("p", vec![]), PlanSpec::new("p", vec![])],
                &["p"],
            ),
            "two plans are named `p`; give each plan its own name",
        ),
        (
            spec(vec![PlanSpec::new("p", vec![])], &["q"]),
            "the event's plans to activate names plan `q`, which the spec does not have; name one of its plans",
        ),
        (
            one(vec![TaskSpec::new(1, "a").refers("nowhere")]),
            "task 1 of plan `p` names plan `nowhere`, which the spec does not have; name one of its plans",
        ),
        (
            spec(vec![PlanSpec::new("p", vec![]).related("r")], &["p"]),
            "plan `p`'s related plans names plan `r`, which the spec does not have; name one of its plans",
        ),
        (
            spec(vec![PlanSpec::new("p", vec![]).after("r")], &["p"]),
            "plan `p`'s dependencies names plan `r`, which the spec does not have; name one of its plans",
        ),
        (
            spec(vec![PlanSpec::new("p", vec![])], &[]),
            "the event activates no plan; name at least one plan of the spec in `activate`",
        ),
        (
            spec(vec![PlanSpec::new("p", vec![])], &["p", "p"]),
            "the event activates plan `p` twice; name each plan once",
        ),
        (
            one(vec![TaskSpec::new(1, "a"), TaskSpec::new(1, "b")]),
            "plan `p` has two tasks with Task ID 1; give each task its own",
        ),
        (
            one(vec![TaskSpec::new(1, "a").after([2])]),
            "task 1 of plan `p` depends on Task ID 2, which the plan does not have; name a task of the same plan",
        ),
        (
            one(vec![TaskSpec::new(1, "a").after([1])]),
            "task 1 of plan `p` depends on itself; name other tasks",
        ),
        (
            one(vec![])
                .asset(AssetSpec::new("db", None))
                .asset(AssetSpec::new("db", None)),
            "the spec lists asset `db` twice; list each asset once",
        ),
        (
            one(vec![]).asset(AssetSpec::new("", None)),
            "the asset's name is empty; give it a name",
        ),
    ];
    for (spec, message) in cases {
        assert_eq!(create_error(spec, &p).to_string(), message);
    }
    let mut bad = Policy::servicenow();
    for levels in [0, MAX_LEVELS + 1] {
        bad.max_levels = levels;
        assert_eq!(
            create_error(one(vec![]), &bad).to_string(),
            format!("the policy activates {levels} levels of plans; give 1 to 10")
        );
    }
    let many = spec(
        (0..=itsm_crisis::MAX_PLANS)
            .map(|i| PlanSpec::new(format!("p{i}"), vec![]))
            .collect(),
        &["p0"],
    );
    assert_eq!(
        create_error(many, &p),
        Error::TooManyPlans {
            count: itsm_crisis::MAX_PLANS + 1,
            max: itsm_crisis::MAX_PLANS
        }
    );
}

/// Ten levels of a plan whose two tasks both refer to the next level: 2^10 activations of
/// a plan with 4,001 tasks is past `MAX_TASKS`, refused at create rather than built.
#[test]
fn activation_that_multiplies_past_the_task_limit_is_refused() {
    let mut plans = Vec::new();
    for level in 0..10 {
        // 4,001 tasks a plan: no sum of whole plans lands on the limit exactly.
        let mut tasks: Vec<TaskSpec> = (1..=4_001).map(|i| TaskSpec::new(i, "work")).collect();
        tasks[0] = TaskSpec::new(1, "a").refers(format!("l{}", level + 1));
        tasks[1] = TaskSpec::new(2, "b").refers(format!("l{}", level + 1));
        plans.push(PlanSpec::new(format!("l{level}"), tasks));
    }
    plans.push(PlanSpec::new("l10", vec![]));
    let mut p = Policy::servicenow();
    p.max_levels = MAX_LEVELS;
    let e = create_error(spec(plans, &["l0"]), &p);
    assert_eq!(e, Error::TooManyTasks { max: MAX_TASKS });
    assert!(e.to_string().contains("activate fewer levels or plans"));
}

#[test]
fn every_command_error_says_what_is_allowed() {
    let ctx_policy = Policy::servicenow();
    let pm = program_manager();
    let ctx = itsm_crisis::Context::new(at(0), &pm, &ctx_policy);
    assert_eq!(
        decide(&State::new(), &Command::Start, &ctx).unwrap_err(),
        Error::NotCreated
    );
    let mut run = Run::new(one(vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b")]));
    let msg = |e: Error| e.to_string();
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::create(CrisisId::from_u128(2), one(vec![]))
        )),
        "the event exists already; `create` makes a new one only"
    );
    assert_eq!(
        msg(run.err(&member(), Command::Start)),
        "`start` needs one of the roles `sn_bcm.planner`, `sn_bcm.program_manager`; the actor has none of them"
    );
    let a = TaskRef::new(0, 1);
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::Work {
                task: a,
                started: None
            }
        )),
        "`work` applies to an event that is in progress; this one is `pending`"
    );
    run.pm(Command::Start);
    assert_eq!(
        msg(run.err(&program_manager(), Command::Start)),
        "`start` applies to an event that is pending; this one is `work_in_progress`"
    );
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::Work {
                task: TaskRef::new(0, 9),
                started: None
            }
        )),
        "the event has no task 9 of plan 0"
    );
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::AddTask {
                plan: 3,
                task: AdHocTask::new("x")
            }
        )),
        "the event has no activated plan 3; its plans are numbered 0 to 0"
    );
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::AddTask {
                plan: 0,
                task: AdHocTask::new(" ")
            }
        )),
        "the task's name is empty; give it a name"
    );
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::Close {
                task: a,
                closing: Closing::Complete,
                ended: None
            }
        )),
        "`close` applies to a task that is in progress; task 1 of plan 0 is `open`"
    );
    assert_eq!(
        msg(run.err(
            &stranger(),
            Command::Work {
                task: a,
                started: None
            }
        )),
        "`work` needs one of the roles `sn_bcm.planner`, `sn_bcm.program_manager` (or being the task's assignee or the event's coordinator); the actor has none of them"
    );
    run.hour = 2;
    run.pm(Command::Work {
        task: a,
        started: None,
    });
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::Close {
                task: a,
                closing: Closing::Complete,
                ended: Some(at(1))
            }
        )),
        "task 1 of plan 0 would end at 2027-05-03 09:00:00 UTC, before it started at 2027-05-03 10:00:00 UTC; give an end at or after its start"
    );
    assert_eq!(
        msg(run.err(&program_manager(), Command::RetriggerAutomation { task: a })),
        "task 1 of plan 0 is not run by an automated flow (manual, or re-triggered as manual); re-trigger it with `retrigger`"
    );
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::ClosePlan {
                plan: 0,
                outcome: Outcome::Complete
            }
        )),
        "plan 0 has tasks neither closed complete nor skipped; close it as incomplete"
    );
    assert_eq!(
        msg(run.err(&program_manager(), Command::Submit { ended: None })),
        "all activated plans must be closed before submitting the event for an approval; plan 0 is not"
    );
    run.pm(Command::ClosePlan {
        plan: 0,
        outcome: Outcome::Incomplete,
    });
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::ClosePlan {
                plan: 0,
                outcome: Outcome::Incomplete
            }
        )),
        "plan 0 is closed; it cannot be closed again"
    );
    assert_eq!(
        msg(run.err(&program_manager(), Command::Retrigger { task: a })),
        "plan 0 is closed; it was closed by hand, so none of its tasks runs again"
    );
    assert_eq!(
        msg(run.err(&program_manager(), Command::Submit { ended: Some(at(-1)) })),
        "the event would end at 2027-05-03 07:00:00 UTC, before it started at 2027-05-03 10:00:00 UTC; give an end at or after its start"
            .replace("10:00:00", "08:00:00")
    );
    assert_eq!(
        msg(run.err(&program_manager(), Command::Approve)),
        "`approve` applies to an event that is pending approval; this one is `work_in_progress`"
    );
    assert_eq!(
        msg(run.err(
            &program_manager(),
            Command::CloseEvent {
                outcome: Outcome::Complete
            }
        )),
        "`close_event` applies to an event that is approved or returned; this one is `work_in_progress`"
    );
    let mut run = Run::new(CrisisSpec::new(
        "drill",
        Kind::Exercise,
        vec![PlanSpec::new("p", vec![])],
        ["p"],
    ));
    run.pm(Command::Start);
    run.pm(Command::ClosePlan {
        plan: 0,
        outcome: Outcome::Complete,
    });
    assert_eq!(
        msg(run.err(&program_manager(), Command::Submit { ended: None })),
        "an exercise needs its result recorded (`record_result`) before it is submitted"
    );
}

/// A policy that lists no role refuses everyone, and says so.
#[test]
fn a_policy_without_roles_refuses_and_says_why() {
    let mut p = Policy::servicenow();
    p.managers.clear();
    let pm = program_manager();
    let ctx = itsm_crisis::Context::new(at(0), &pm, &p);
    let e = decide(
        &State::new(),
        &Command::create(CrisisId::from_u128(1), one(vec![])),
        &ctx,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`create` needs one of the roles (none: the policy lists no role); the actor has none of them"
    );
}

/// Our choice: a referring task stays open until its plan closes, then closes itself as the
/// plan did; closing it by hand first lets the tasks after it run and leaves its plan
/// running.
#[test]
fn a_referring_task_closes_with_its_plan_or_by_hand() {
    let plans = || {
        vec![
            PlanSpec::new(
                "main",
                vec![
                    TaskSpec::new(1, "branch").refers("sub"),
                    TaskSpec::new(2, "after").after([1]),
                ],
            ),
            PlanSpec::new("sub", vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b")]),
        ]
    };
    let mut run = Run::new(spec(plans(), &["main"]));
    run.pm(Command::Start);
    assert_eq!(run.status(0, 1), TaskStatus::Open);
    run.complete(1, 1);
    let task = TaskRef::new(1, 2);
    run.pm(Command::Work {
        task,
        started: None,
    });
    let events = run.pm(Command::Close {
        task,
        closing: Closing::Incomplete,
        ended: None,
    });
    assert_eq!(run.crisis().plans[1].status, PlanStatus::ClosedIncomplete);
    assert_eq!(run.status(0, 1), TaskStatus::ClosedIncomplete);
    assert_eq!(triggered(&events), [TaskRef::new(0, 2)]);

    let mut run = Run::new(spec(plans(), &["main"]));
    run.pm(Command::Start);
    let events = run.pm(Command::Skip {
        task: TaskRef::new(0, 1),
    });
    assert_eq!(triggered(&events), [TaskRef::new(0, 2)]);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::Open);
    // Its plan closing later leaves the skipped task skipped.
    run.complete(1, 1);
    run.complete(1, 2);
    assert_eq!(run.status(0, 1), TaskStatus::ClosedSkipped);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::ClosedComplete);
}

/// Our choice: a plan with no tasks never closes by itself; `close_plan` closes it; a plan
/// closed by hand skips its open tasks and keeps failed ones failed.
#[test]
fn plans_closed_by_hand() {
    let plans = vec![
        PlanSpec::new(
            "p",
            vec![
                TaskSpec::new(1, "a"),
                TaskSpec::new(2, "b"),
                TaskSpec::new(3, "c").after([2]),
            ],
        )
        .related("empty"),
        PlanSpec::new("empty", vec![]),
    ];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::Open);
    run.pm(Command::ClosePlan {
        plan: 1,
        outcome: Outcome::Complete,
    });
    assert_eq!(run.crisis().plans[1].status, PlanStatus::ClosedComplete);
    let a = TaskRef::new(0, 1);
    run.pm(Command::Work {
        task: a,
        started: None,
    });
    run.pm(Command::Close {
        task: a,
        closing: Closing::Failed,
        ended: None,
    });
    let events = run.pm(Command::ClosePlan {
        plan: 0,
        outcome: Outcome::Incomplete,
    });
    assert!(
        triggered(&events).is_empty(),
        "no task is triggered by the skips"
    );
    assert_eq!(run.status(0, 1), TaskStatus::ClosedFailed);
    assert_eq!(run.status(0, 2), TaskStatus::ClosedSkipped);
    assert_eq!(run.status(0, 3), TaskStatus::ClosedSkipped);
    let plan = &run.crisis().plans[0];
    assert!(plan.closed_by_hand);
    assert_eq!(plan.status, PlanStatus::ClosedIncomplete);
}

/// Our choice: a task re-triggered in a plan its last task closed opens the plan again (in
/// progress, as it had started), and the plans after it wait again only if not yet opened.
#[test]
fn retriggering_reopens_a_plan_its_last_task_closed() {
    let plans = vec![
        PlanSpec::new("p", vec![TaskSpec::new(1, "a")]).related("q"),
        PlanSpec::new("q", vec![TaskSpec::new(1, "b")]).after("p"),
    ];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    run.complete(0, 1);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::Open);
    let events = run.pm(Command::Retrigger {
        task: TaskRef::new(0, 1),
    });
    assert!(matches!(events[1], Event::PlanReopened { plan: 0, .. }));
    let plan = &run.crisis().plans[0];
    assert_eq!(
        (plan.status, plan.ended),
        (PlanStatus::WorkInProgress, None)
    );
    assert_eq!(run.crisis().plans[1].status, PlanStatus::Open);
    let events = run.complete(0, 1);
    assert!(matches!(
        events.last(),
        Some(Event::PlanClosed { plan: 0, .. })
    ));
}

/// Our choice: `trigger` on a task of a plan not running yet opens the plan too.
#[test]
fn triggering_a_task_of_a_waiting_plan_opens_the_plan() {
    let plans = vec![
        PlanSpec::new("p", vec![TaskSpec::new(1, "a")]).related("q"),
        PlanSpec::new(
            "q",
            vec![
                TaskSpec::new(1, "b"),
                TaskSpec::new(2, "c"),
                TaskSpec::new(3, "d").after([2]),
            ],
        )
        .after("p"),
    ];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    let events = run.pm(Command::Trigger {
        task: TaskRef::new(1, 3),
    });
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::PlanOpened { plan: 1, .. }))
    );
    assert_eq!(
        triggered(&events),
        [TaskRef::new(1, 3), TaskRef::new(1, 1), TaskRef::new(1, 2)]
    );
}

/// Plans waiting on each other in a cycle are named at the start.
#[test]
fn plans_in_a_dependency_cycle_are_named() {
    let plans = vec![
        PlanSpec::new("p", vec![TaskSpec::new(1, "a")])
            .related("q")
            .related("r")
            .related("s")
            .related("t"),
        PlanSpec::new("q", vec![TaskSpec::new(1, "b")]).after("r"),
        PlanSpec::new("r", vec![TaskSpec::new(1, "c")]).after("q"),
        // A chain after p: waiting, but on no cycle.
        PlanSpec::new("s", vec![TaskSpec::new(1, "d")]).after("p"),
        PlanSpec::new("t", vec![TaskSpec::new(1, "e")]).after("s"),
    ];
    let mut run = Run::new(spec(plans, &["p"]));
    let events = run.pm(Command::Start);
    let Event::Started {
        circular_plans,
        circular,
        ..
    } = &events[0]
    else {
        panic!()
    };
    assert_eq!(circular_plans, &[1, 2]);
    assert!(circular.is_empty());
    assert_eq!(triggered(&events), [TaskRef::new(0, 1)]);
}

/// Ordered by Task ID, a task's own dependencies still hold.
#[test]
fn task_id_order_keeps_explicit_dependencies() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![
            TaskSpec::new(1, "a"),
            TaskSpec::new(2, "b"),
            TaskSpec::new(5, "c").after([1]),
        ],
    )];
    let mut policy = Policy::servicenow();
    policy.order = Order::TaskId;
    let mut run = Run::with_policy(spec(plans, &["p"]), policy);
    run.pm(Command::Start);
    assert_eq!(run.crisis().plans[0].tasks[2].depends_on, [1, 2]);
    run.pm(Command::Skip {
        task: TaskRef::new(0, 1),
    });
    assert_eq!(run.status(0, 5), TaskStatus::Pending);
    assert_eq!(triggered(&run.complete(0, 2)), [TaskRef::new(0, 5)]);
}

/// Without approval (a policy option), a manager closes the event from in progress once
/// every plan is closed; `cancel` calls it off before submission.
#[test]
fn closing_without_approval_and_canceling() {
    let mut policy = Policy::servicenow();
    policy.approval_required = false;
    let mut run = Run::with_policy(one(vec![TaskSpec::new(1, "a")]), policy);
    run.pm(Command::Start);
    assert!(matches!(
        run.err(
            &program_manager(),
            Command::CloseEvent {
                outcome: Outcome::Complete
            }
        ),
        Error::PlansOpen { .. }
    ));
    run.complete(0, 1);
    run.pm(Command::CloseEvent {
        outcome: Outcome::Complete,
    });
    assert_eq!(run.crisis().status, Status::ClosedComplete);
    assert_eq!(run.crisis().closed, Some(at(1)));

    let mut run = Run::new(one(vec![TaskSpec::new(1, "a")]));
    run.pm(Command::Cancel);
    assert_eq!(run.crisis().status, Status::Canceled);
    assert!(run.crisis().status.is_final());
    assert!(matches!(
        run.err(&program_manager(), Command::Start),
        Error::WrongStatus { .. }
    ));
}

/// An ad-hoc task takes the plan's highest Task ID plus one; none past `u32::MAX`. Added
/// before the start it waits and runs at the start.
#[test]
fn ad_hoc_task_ids() {
    let mut run = Run::new(one(vec![TaskSpec::new(u32::MAX, "last")]));
    assert_eq!(
        run.err(
            &program_manager(),
            Command::AddTask {
                plan: 0,
                task: AdHocTask::new("x")
            }
        ),
        Error::TaskIdsExhausted { plan: 0 }
    );
    let mut run = Run::new(spec(vec![PlanSpec::new("p", vec![])], &["p"]));
    run.pm(Command::AddTask {
        plan: 0,
        task: AdHocTask::new("x"),
    });
    assert_eq!(run.status(0, 1), TaskStatus::Pending);
    assert!(run.crisis().task(TaskRef::new(0, 1)).unwrap().ad_hoc);
    assert_eq!(triggered(&run.pm(Command::Start)), [TaskRef::new(0, 1)]);
}

/// The coordinator works on any task; assigning hands a task to a member.
#[test]
fn coordinator_and_assignment() {
    let mut s = one(vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b")]);
    s.coordinator = Some(STRANGER);
    let mut run = Run::new(s);
    run.pm(Command::Start);
    run.ok(
        &stranger(),
        Command::Work {
            task: TaskRef::new(0, 1),
            started: None,
        },
    );
    let b = TaskRef::new(0, 2);
    assert!(matches!(
        run.err(
            &member(),
            Command::Work {
                task: b,
                started: None
            }
        ),
        Error::Forbidden { .. }
    ));
    run.ok(
        &planner(),
        Command::Assign {
            task: b,
            user: MEMBER,
        },
    );
    run.ok(
        &member(),
        Command::Work {
            task: b,
            started: None,
        },
    );
    assert_eq!(run.crisis().task(b).unwrap().assignee, Some(MEMBER));
}

/// Efforts that add up past what a duration holds (about 292 million years: 560 tasks each
/// across chrono's whole range) are an error, never a wrong total.
#[test]
fn an_effort_past_a_duration_is_an_error() {
    let tasks =
        (1..=600).map(|i| TaskSpec::new(i, "a").asset("db", itsm_crisis::RecoveryLevel::None));
    let mut run = Run::new(one(tasks.collect()));
    run.pm(Command::Start);
    let min = itsm_crisis::chrono::DateTime::<itsm_crisis::chrono::Utc>::MIN_UTC;
    let max = itsm_crisis::chrono::DateTime::<itsm_crisis::chrono::Utc>::MAX_UTC;
    for task in 1..=600 {
        let task = TaskRef::new(0, task);
        run.pm(Command::Work {
            task,
            started: Some(min),
        });
        run.pm(Command::Close {
            task,
            closing: Closing::Complete,
            ended: Some(max),
        });
    }
    assert_eq!(
        run.crisis().plans[0].progress().unwrap_err(),
        Error::EffortOverflow
    );
    assert_eq!(run.crisis().assets().unwrap_err(), Error::EffortOverflow);
}

/// Found by the property test: an automatic task triggered by hand in a plan still waiting
/// opened the plan after its flow started, leaving work in progress in an open plan. The plan
/// now opens first and is in progress with the flow; likewise a skipped task re-triggered in a
/// waiting plan opens it.
#[test]
fn work_in_a_waiting_plan_opens_it_first() {
    let plans = vec![
        PlanSpec::new("p", vec![TaskSpec::new(1, "a")]).related("q"),
        PlanSpec::new(
            "q",
            vec![
                TaskSpec::new(1, "flow").automatic(None),
                TaskSpec::new(2, "b"),
            ],
        )
        .after("p"),
    ];
    let mut run = Run::new(spec(plans.clone(), &["p"]));
    run.pm(Command::Start);
    let events = run.pm(Command::Trigger {
        task: TaskRef::new(1, 1),
    });
    assert!(matches!(events[0], Event::PlanOpened { plan: 1, .. }));
    assert!(matches!(events[1], Event::TaskTriggered { .. }));
    assert!(matches!(events[2], Event::AutomationRequested { .. }));
    assert!(matches!(events[3], Event::PlanStarted { plan: 1, .. }));
    // Each task triggered once, though the plan's opening queued the flow again.
    assert_eq!(triggered(&events), [TaskRef::new(1, 1), TaskRef::new(1, 2)]);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::WorkInProgress);
    assert_eq!(run.status(1, 2), TaskStatus::Open);

    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    run.pm(Command::Skip {
        task: TaskRef::new(1, 2),
    });
    assert_eq!(run.crisis().plans[1].status, PlanStatus::Pending);
    let events = run.pm(Command::Retrigger {
        task: TaskRef::new(1, 2),
    });
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::PlanOpened { plan: 1, .. }))
    );
    assert_eq!(
        run.status(1, 1),
        TaskStatus::WorkInProgress,
        "the plan's ready flow started"
    );
}

/// Found by the benchmark's author: a child plan run by hand-triggered tasks and closed
/// before its referring task was triggered left that task open for ever. It now closes at
/// its trigger, as its plan did.
#[test]
fn a_referring_task_triggered_after_its_plan_closed_closes_at_once() {
    let plans = vec![
        PlanSpec::new(
            "main",
            vec![
                TaskSpec::new(1, "first"),
                TaskSpec::new(2, "branch").after([1]).refers("sub"),
                TaskSpec::new(3, "after").after([2]),
            ],
        ),
        PlanSpec::new("sub", vec![TaskSpec::new(1, "a")]),
    ];
    let mut run = Run::new(spec(plans, &["main"]));
    run.pm(Command::Start);
    run.pm(Command::Trigger {
        task: TaskRef::new(1, 1),
    });
    run.complete(1, 1);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::ClosedComplete);
    assert_eq!(run.status(0, 2), TaskStatus::Pending);
    let events = run.complete(0, 1);
    assert_eq!(run.status(0, 2), TaskStatus::ClosedComplete);
    assert_eq!(triggered(&events), [TaskRef::new(0, 2), TaskRef::new(0, 3)]);
}

/// A primary plan may wait for its own related plan: both are first-level plans
/// (ServiceNow's top level), whatever `max_levels` counts.
#[test]
fn a_primary_plan_may_wait_for_its_related_plan() {
    let plans = vec![
        PlanSpec::new("main", vec![TaskSpec::new(1, "a")])
            .related("prep")
            .after("prep"),
        PlanSpec::new("prep", vec![TaskSpec::new(1, "b")]),
    ];
    let mut run = Run::new(spec(plans, &["main"]));
    assert_eq!(triggered(&run.pm(Command::Start)), [TaskRef::new(1, 1)]);
    assert_eq!(triggered(&run.complete(1, 1)), [TaskRef::new(0, 1)]);
}

/// `evolve` takes whatever a stored `Created` event holds: a hand-made one with a task
/// depending on itself and on a Task ID its plan lacks (which `decide` refuses) builds the
/// task without them, so it runs at the start.
#[test]
fn a_hand_made_created_event_drops_dependencies_decide_would_refuse() {
    let mut bad = spec(
        vec![PlanSpec::new(
            "p",
            vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b")],
        )],
        &["p"],
    );
    bad.plans[0].tasks[0].depends_on = vec![1, 9];
    let created = Event::Created {
        id: CrisisId::from_u128(1),
        spec: Box::new(bad),
        activated: vec![itsm_crisis::Activation {
            spec: 0,
            kind: itsm_crisis::PlanKind::Primary,
            level: 1,
            parent: None,
        }],
        order: Order::Dependencies,
        at: at(0),
        by: PROGRAM_MANAGER,
    };
    let state = itsm_crisis::evolve(State::new(), &created);
    assert!(
        state.crisis().unwrap().plans[0].tasks[0]
            .depends_on
            .is_empty()
    );
    let pm = program_manager();
    let policy = Policy::servicenow();
    let events = decide(
        &state,
        &Command::Start,
        &itsm_crisis::Context::new(at(1), &pm, &policy),
    )
    .unwrap();
    assert_eq!(triggered(&events), [TaskRef::new(0, 1), TaskRef::new(0, 2)]);
}

/// The limits are inclusive: a spec of exactly `MAX_PLANS` plans is taken.
#[test]
fn a_spec_of_exactly_the_most_plans_is_taken() {
    let most = spec(
        (0..itsm_crisis::MAX_PLANS)
            .map(|i| PlanSpec::new(format!("p{i}"), vec![]))
            .collect(),
        &["p0"],
    );
    let pm = program_manager();
    let policy = Policy::servicenow();
    let ctx = itsm_crisis::Context::new(at(0), &pm, &policy);
    assert!(
        decide(
            &State::new(),
            &Command::create(CrisisId::from_u128(1), most),
            &ctx
        )
        .is_ok()
    );
}

/// Exactly `MAX_TASKS` once activated is taken: a million tasks each referring to a plan of
/// three (a million child plans).
#[test]
fn exactly_the_most_tasks_once_activated_is_taken() {
    let tasks: Vec<TaskSpec> = (1..=1_000_000)
        .map(|i| TaskSpec::new(i, "branch").refers("three"))
        .collect();
    let three = PlanSpec::new("three", (1..=3).map(|i| TaskSpec::new(i, "work")).collect());
    let pm = program_manager();
    let policy = Policy::servicenow();
    let ctx = itsm_crisis::Context::new(at(0), &pm, &policy);
    let events = decide(
        &State::new(),
        &Command::create(
            CrisisId::from_u128(1),
            spec(vec![PlanSpec::new("p", tasks), three], &["p"]),
        ),
        &ctx,
    )
    .unwrap();
    let Event::Created { activated, .. } = &events[0] else {
        panic!()
    };
    assert_eq!(activated.len(), 1_000_001);
}

/// A task done in a plan not running yet (skipped while its plan waits for another) triggers
/// nothing and closes nothing; the plan runs, and closes, when it opens.
#[test]
fn work_done_in_a_waiting_plan_waits_for_the_plan() {
    let plans = vec![
        PlanSpec::new("p", vec![TaskSpec::new(1, "a")]).related("q"),
        PlanSpec::new(
            "q",
            vec![TaskSpec::new(1, "b"), TaskSpec::new(2, "c").after([1])],
        )
        .after("p"),
    ];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    assert!(
        triggered(&run.pm(Command::Skip {
            task: TaskRef::new(1, 1)
        }))
        .is_empty()
    );
    assert_eq!(run.status(1, 2), TaskStatus::Pending);
    run.pm(Command::Skip {
        task: TaskRef::new(1, 2),
    });
    assert_eq!(
        run.crisis().plans[1].status,
        PlanStatus::Pending,
        "all done, not running"
    );
    let events = run.complete(0, 1);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::PlanOpened { plan: 1, .. }))
    );
    assert!(matches!(
        events.last(),
        Some(Event::PlanClosed {
            plan: 1,
            outcome: Outcome::Complete,
            ..
        })
    ));
}

/// A plan waiting for two plans opens when the second closes, not the first.
#[test]
fn a_plan_waits_for_every_plan_it_depends_on() {
    let plans = vec![
        PlanSpec::new("p", vec![TaskSpec::new(1, "a")])
            .related("r")
            .related("q"),
        PlanSpec::new("r", vec![TaskSpec::new(1, "b")]),
        PlanSpec::new("q", vec![TaskSpec::new(1, "c")])
            .after("p")
            .after("r"),
    ];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    assert!(triggered(&run.complete(0, 1)).is_empty());
    assert_eq!(run.crisis().plans[2].status, PlanStatus::Pending);
    assert_eq!(triggered(&run.complete(1, 1)), [TaskRef::new(2, 1)]);
}

/// A child plan run by hand and closed incomplete: its referring task, triggered later,
/// closes incomplete at once.
#[test]
fn a_referring_task_after_its_plan_closed_incomplete_closes_incomplete() {
    let plans = vec![
        PlanSpec::new(
            "main",
            vec![
                TaskSpec::new(1, "first"),
                TaskSpec::new(2, "branch").after([1]).refers("sub"),
            ],
        ),
        PlanSpec::new("sub", vec![TaskSpec::new(1, "a")]),
    ];
    let mut run = Run::new(spec(plans, &["main"]));
    run.pm(Command::Start);
    let a = TaskRef::new(1, 1);
    run.pm(Command::Trigger { task: a });
    run.pm(Command::Work {
        task: a,
        started: None,
    });
    run.pm(Command::Close {
        task: a,
        closing: Closing::Incomplete,
        ended: None,
    });
    run.complete(0, 1);
    assert_eq!(run.status(0, 2), TaskStatus::ClosedIncomplete);
}

/// Boundaries the mutation run found untested: a zero planned duration is taken (only a
/// negative one is refused); an event may end the instant it started; only the closed and
/// canceled statuses are final; a plan's time taken stays blank while a task is not done.
#[test]
fn boundaries_of_durations_ends_and_final_statuses() {
    let mut run = Run::new(one(vec![
        TaskSpec::new(1, "a").takes(itsm_crisis::chrono::Duration::zero()),
        TaskSpec::new(2, "b"),
    ]));
    let mut task = AdHocTask::new("now");
    task.duration = Some(itsm_crisis::chrono::Duration::zero());
    run.pm(Command::AddTask { plan: 0, task });
    for status in [
        Status::Pending,
        Status::WorkInProgress,
        Status::PendingApproval,
        Status::Returned,
        Status::Approved,
    ] {
        assert!(!status.is_final(), "{status}");
    }
    for status in [
        Status::ClosedComplete,
        Status::ClosedIncomplete,
        Status::Canceled,
    ] {
        assert!(status.is_final(), "{status}");
    }
    run.pm(Command::Start);
    run.complete(0, 1);
    let progress = run.crisis().plans[0].progress().unwrap();
    assert_eq!(
        (progress.time_taken, progress.effort, progress.ended),
        (None, None, None)
    );
    run.pm(Command::ClosePlan {
        plan: 0,
        outcome: Outcome::Incomplete,
    });
    // The event started at hour 0: it may end then.
    run.pm(Command::Submit { ended: Some(at(0)) });
    assert_eq!(run.crisis().ended, Some(at(0)));
}
