//! Conformance with ServiceNow Business Continuity Management's documentation: one test per
//! documented rule, each naming the page (ServiceNow docs, Australia release, Governance,
//! Risk, and Compliance > Business Continuity Management).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;
use itsm_crisis::chrono::Duration;
use itsm_crisis::{
    AdHocTask, AssetSpec, AssetStatus, Closing, Command, CrisisSpec, Error, Event, ExerciseResult,
    Kind, Order, Outcome, PlanKind, PlanSpec, PlanStatus, Policy, RecoveryLevel, Status,
    TASK_TRANSITIONS, TaskRef, TaskSpec, TaskStatus,
};

fn spec(plans: Vec<PlanSpec>, activate: &[&str]) -> CrisisSpec {
    CrisisSpec::new(
        "data centre A lost",
        Kind::Actual,
        plans,
        activate.iter().copied(),
    )
}

fn policy(levels: u8) -> Policy {
    let mut p = Policy::servicenow();
    p.max_levels = levels;
    p
}

/// The multi-level example of "Using nested plans".
fn nested() -> Vec<PlanSpec> {
    vec![
        PlanSpec::new(
            "Plan 1",
            vec![
                TaskSpec::new(1, "Task 1"),
                TaskSpec::new(2, "Task 2").refers("Plan 2"),
                TaskSpec::new(3, "Task 3"),
            ],
        )
        .related("Plan 3"),
        PlanSpec::new(
            "Plan 2",
            vec![
                TaskSpec::new(1, "Task 1"),
                TaskSpec::new(2, "Task 2").refers("Plan 4"),
                TaskSpec::new(3, "Task 3"),
            ],
        ),
        PlanSpec::new("Plan 3", vec![TaskSpec::new(1, "Task 1")]),
        PlanSpec::new("Plan 4", vec![TaskSpec::new(1, "Task 1")]),
    ]
}

fn activated(run: &Run) -> Vec<(String, PlanKind, u8)> {
    run.crisis()
        .plans
        .iter()
        .map(|p| (p.name.clone(), p.activation.kind, p.activation.level))
        .collect()
}

/// "Using nested plans": Plan 1 primary, Plan 3 related (no task associated), Plan 2 a
/// child of task 2, Plan 4 a child of Plan 2's task 2 once the levels allow it; 1 level is
/// "only the plans added manually", 2 "the primary plan and its first-level related plans".
#[test]
fn nested_plans_are_activated_down_to_the_levels_property() {
    let names = |levels| {
        activated(&Run::with_policy(
            spec(nested(), &["Plan 1"]),
            policy(levels),
        ))
    };
    let one = |n: &str, k, l| (n.to_owned(), k, l);
    assert_eq!(names(1), [one("Plan 1", PlanKind::Primary, 1)]);
    assert_eq!(
        names(2),
        [
            one("Plan 1", PlanKind::Primary, 1),
            one("Plan 3", PlanKind::Related, 2),
            one("Plan 2", PlanKind::Child, 2),
        ]
    );
    assert_eq!(names(3).last().unwrap(), &one("Plan 4", PlanKind::Child, 3));
    assert_eq!(names(3).len(), 4);
    let run = Run::with_policy(spec(nested(), &["Plan 1"]), policy(3));
    assert_eq!(
        run.crisis().plans[2].activation.parent,
        Some(TaskRef::new(0, 2))
    );
    assert_eq!(
        run.crisis().plans[3].activation.parent,
        Some(TaskRef::new(2, 2))
    );
    assert_eq!(run.crisis().plans[0].tasks[1].child, Some(2));
}

/// "Data flow, planning, and execution in an event", note: with the default behaviour
/// "the application executes only the referred sub-plan but does not execute any other
/// related plan that the sub-plan might have".
#[test]
fn by_default_only_the_first_level_of_referred_plans_runs() {
    let run = Run::new(spec(nested(), &["Plan 1"]));
    assert!(!activated(&run).iter().any(|(n, _, _)| n == "Plan 4"));
    assert_eq!(run.crisis().plans[2].tasks[1].child, None);
}

/// "Creating similar tasks groups": "when the same plan is activated multiple times, it can
/// result in multiple redundant tasks": a plan referred from two tasks runs twice.
#[test]
fn a_plan_referred_twice_is_activated_twice() {
    let plans = vec![
        PlanSpec::new(
            "main",
            vec![
                TaskSpec::new(1, "restore east").refers("restore"),
                TaskSpec::new(2, "restore west").refers("restore"),
            ],
        ),
        PlanSpec::new("restore", vec![TaskSpec::new(1, "from backup")]),
    ];
    let run = Run::new(spec(plans, &["main"]));
    assert_eq!(run.crisis().plans.len(), 3);
    assert_eq!(
        run.crisis().plans[1].activation.parent,
        Some(TaskRef::new(0, 1))
    );
    assert_eq!(
        run.crisis().plans[2].activation.parent,
        Some(TaskRef::new(0, 2))
    );
}

/// "States for an exercise and crisis event": "When an event is started, its event tasks
/// that do not have a dependent recovery task move to the Open state"; the others are
/// Pending; "Start an event": the activated plans are displayed as Open.
#[test]
fn start_opens_the_plans_and_the_tasks_without_dependencies() {
    let plans = vec![PlanSpec::new(
        "failover",
        vec![
            TaskSpec::new(1, "declare"),
            TaskSpec::new(2, "page the DBAs"),
            TaskSpec::new(3, "fail over").after([1, 2]),
        ],
    )];
    let mut run = Run::new(spec(plans, &["failover"]));
    assert_eq!(run.crisis().status, Status::Pending);
    assert_eq!(run.status(0, 1), TaskStatus::Pending);
    let events = run.pm(Command::Start);
    assert_eq!(run.crisis().status, Status::WorkInProgress);
    assert_eq!(run.crisis().started, Some(at(0)));
    assert_eq!(triggered(&events), [TaskRef::new(0, 1), TaskRef::new(0, 2)]);
    assert_eq!(run.crisis().plans[0].status, PlanStatus::Open);
    assert_eq!(run.status(0, 3), TaskStatus::Pending);
}

/// "Start an event": "When a task is completed, the subsequent tasks that depend on it are
/// executed"; "States for an exercise and crisis event", Pending: "After the dependent tasks
/// are closed, the parent event task moves to the Open state".
#[test]
fn a_task_runs_once_every_task_it_depends_on_is_done() {
    let plans = vec![PlanSpec::new(
        "failover",
        vec![
            TaskSpec::new(1, "declare"),
            TaskSpec::new(2, "page the DBAs"),
            TaskSpec::new(3, "fail over").after([1, 2]),
        ],
    )];
    let mut run = Run::new(spec(plans, &["failover"]));
    run.pm(Command::Start);
    assert!(triggered(&run.complete(0, 1)).is_empty());
    assert_eq!(run.status(0, 3), TaskStatus::Pending);
    assert_eq!(triggered(&run.complete(0, 2)), [TaskRef::new(0, 3)]);
}

/// "Start an event": "If the task transitions to the Closed failed state, then its dependent
/// tasks are not triggered", "the event task is not considered as complete"; Closed
/// incomplete, complete and skipped are the complete states.
#[test]
fn a_failed_task_holds_up_the_tasks_after_it_and_the_other_closed_states_do_not() {
    for (closing, runs) in [
        (Some(Closing::Failed), false),
        (Some(Closing::Incomplete), true),
        (Some(Closing::Complete), true),
        (None, true), // skipped
    ] {
        let plans = vec![PlanSpec::new(
            "failover",
            vec![
                TaskSpec::new(1, "declare"),
                TaskSpec::new(2, "fail over").after([1]),
            ],
        )];
        let mut run = Run::new(spec(plans, &["failover"]));
        run.pm(Command::Start);
        let task = TaskRef::new(0, 1);
        let events = match closing {
            Some(closing) => {
                run.pm(Command::Work {
                    task,
                    started: None,
                });
                run.pm(Command::Close {
                    task,
                    closing,
                    ended: None,
                })
            }
            None => run.pm(Command::Skip { task }),
        };
        assert_eq!(triggered(&events).len(), usize::from(runs), "{closing:?}");
        assert_eq!(run.status(0, 2) == TaskStatus::Open, runs);
    }
}

/// "Data flow, planning, and execution in an event": tasks run "in the order of Task ID
/// sequentially", and a task with a referred plan "branches off to that plan and executes all
/// the tasks listed in that plan ... and completes the sequence before coming back to the
/// original main plan from where it branched off to complete the rest of the tasks".
#[test]
fn by_task_id_the_referred_plan_runs_in_the_middle_of_the_sequence() {
    let plans = vec![
        PlanSpec::new(
            "Data center B",
            vec![
                TaskSpec::new(1, "assess"),
                TaskSpec::new(2, "recover Data center A first").refers("Data center A"),
                TaskSpec::new(3, "recover B"),
            ],
        ),
        PlanSpec::new(
            "Data center A",
            vec![TaskSpec::new(1, "power"), TaskSpec::new(2, "network")],
        ),
    ];
    let mut p = Policy::servicenow();
    p.order = Order::TaskId;
    let mut run = Run::with_policy(spec(plans, &["Data center B"]), p);
    assert_eq!(triggered(&run.pm(Command::Start)), [TaskRef::new(0, 1)]);
    // Task 2 branches off: Data center A's first task, not its second, nor task 3.
    let events = run.complete(0, 1);
    assert_eq!(triggered(&events), [TaskRef::new(0, 2), TaskRef::new(1, 1)]);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::Open);
    assert_eq!(triggered(&run.complete(1, 1)), [TaskRef::new(1, 2)]);
    // The referred plan's last task closes it, then task 2, then task 3 runs.
    let events = run.complete(1, 2);
    assert!(events.iter().any(|e| matches!(
        e,
        Event::PlanClosed {
            plan: 1,
            outcome: Outcome::Complete,
            by: None,
            ..
        }
    )));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::TaskClosed { task, status: TaskStatus::ClosedComplete, by: None, .. }
            if *task == TaskRef::new(0, 2)
    )));
    assert_eq!(triggered(&events), [TaskRef::new(0, 3)]);
}

/// "Using nested plans", "Configuring cross-plan dependencies": "an activated plan
/// (ACP0010119) that depends on another activated plan (ACP0010118)"; dependencies only
/// between first-level activated plans.
#[test]
fn a_first_level_plan_waits_for_the_plans_it_depends_on() {
    let plans = vec![
        PlanSpec::new("ACP0010118", vec![TaskSpec::new(1, "first")]).related("ACP0010119"),
        PlanSpec::new("ACP0010119", vec![TaskSpec::new(1, "second")]).after("ACP0010118"),
    ];
    let mut run = Run::new(spec(plans, &["ACP0010118"]));
    assert_eq!(triggered(&run.pm(Command::Start)), [TaskRef::new(0, 1)]);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::Pending);
    let events = run.complete(0, 1);
    assert_eq!(triggered(&events), [TaskRef::new(1, 1)]);
    assert_eq!(run.crisis().plans[1].status, PlanStatus::Open);
}

/// "Add a task to the crisis event", step 9: "If the event task has a circular dependency,
/// you have to trigger the tasks manually for this event"; "States for an exercise and crisis
/// event", Trigger: "moves the task to the Open state irrespective of its dependencies".
#[test]
fn tasks_on_a_circular_dependency_are_named_and_triggered_by_hand() {
    let plans = vec![PlanSpec::new(
        "failover",
        vec![
            TaskSpec::new(1, "a").after([2]),
            TaskSpec::new(2, "b").after([1]),
            TaskSpec::new(3, "after the loop").after([2]),
            TaskSpec::new(4, "free"),
            TaskSpec::new(5, "after the free one").after([4]),
            TaskSpec::new(6, "after both").after([4, 5]),
        ],
    )];
    let mut run = Run::new(spec(plans, &["failover"]));
    let events = run.pm(Command::Start);
    let Event::Started { circular, .. } = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(
        circular,
        &[TaskRef::new(0, 1), TaskRef::new(0, 2), TaskRef::new(0, 3)]
    );
    assert_eq!(triggered(&events), [TaskRef::new(0, 4)]);
    let events = run.pm(Command::Trigger {
        task: TaskRef::new(0, 1),
    });
    assert!(matches!(
        events[0],
        Event::TaskTriggered {
            by: Some(PROGRAM_MANAGER),
            ..
        }
    ));
    assert_eq!(run.status(0, 1), TaskStatus::Open);
    // Once task 1 is done, task 2 runs by itself.
    assert_eq!(triggered(&run.complete(0, 1)), [TaskRef::new(0, 2)]);
}

/// "States for an exercise and crisis event": Trigger and Skip Task are "available only if
/// you have logged in as the BCM program manager", Skip only with the event in progress;
/// skipping leaves the actual start and end empty.
#[test]
fn trigger_and_skip_are_the_program_managers() {
    let plans = vec![PlanSpec::new(
        "failover",
        vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b").after([1])],
    )];
    let mut run = Run::new(spec(plans, &["failover"]));
    let b = TaskRef::new(0, 2);
    assert!(matches!(
        run.err(&program_manager(), Command::Skip { task: b }),
        Error::WrongStatus {
            status: Status::Pending,
            ..
        }
    ));
    run.pm(Command::Start);
    for who in [planner(), member()] {
        assert!(matches!(
            run.err(&who, Command::Trigger { task: b }),
            Error::Forbidden { .. }
        ));
        assert!(matches!(
            run.err(&who, Command::Skip { task: b }),
            Error::Forbidden { .. }
        ));
    }
    let a = TaskRef::new(0, 1);
    run.pm(Command::Work {
        task: a,
        started: None,
    });
    run.pm(Command::Skip { task: a });
    let task = run.crisis().task(a).unwrap();
    assert_eq!(
        (task.status, task.started, task.ended),
        (TaskStatus::ClosedSkipped, None, None)
    );
    assert_eq!(run.status(0, 2), TaskStatus::Open);
}

/// Puts task 1 of a two-task plan in `status` (task 2 for `Pending`) (through the commands a user would send).
fn task_in(status: TaskStatus) -> Run {
    let plans = vec![PlanSpec::new(
        "p",
        vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b").after([1])],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    let (a, b) = (TaskRef::new(0, 1), TaskRef::new(0, 2));
    let work = Command::Work {
        task: a,
        started: None,
    };
    let close = |closing| Command::Close {
        task: a,
        closing,
        ended: None,
    };
    match status {
        TaskStatus::Pending => {
            // The task under test is then task 2, waiting for task 1.
            assert_eq!(run.crisis().task(b).unwrap().status, TaskStatus::Pending);
            return run;
        }
        TaskStatus::Open => {}
        TaskStatus::WorkInProgress => drop(run.pm(work)),
        TaskStatus::ClosedComplete => drop((run.pm(work), run.pm(close(Closing::Complete)))),
        TaskStatus::ClosedIncomplete => drop((run.pm(work), run.pm(close(Closing::Incomplete)))),
        TaskStatus::ClosedFailed => drop((run.pm(work), run.pm(close(Closing::Failed)))),
        TaskStatus::ClosedSkipped => drop(run.pm(Command::Skip { task: a })),
        _ => unreachable!(),
    }
    assert_eq!(run.status(0, 1), status);
    run
}

/// "Structured workflows for Crisis events": the table of permitted state transitions for
/// an event task. Every command is tried on a task in each state; the states it can reach
/// are exactly the table's row.
#[test]
fn event_task_transitions_are_the_documented_table() {
    const ALL: [TaskStatus; 7] = [
        TaskStatus::Pending,
        TaskStatus::Open,
        TaskStatus::WorkInProgress,
        TaskStatus::ClosedComplete,
        TaskStatus::ClosedIncomplete,
        TaskStatus::ClosedSkipped,
        TaskStatus::ClosedFailed,
    ];
    for from in ALL {
        let task = if from == TaskStatus::Pending {
            TaskRef::new(0, 2)
        } else {
            TaskRef::new(0, 1)
        };
        let commands = [
            Command::Trigger { task },
            Command::Work {
                task,
                started: None,
            },
            Command::Close {
                task,
                closing: Closing::Complete,
                ended: None,
            },
            Command::Close {
                task,
                closing: Closing::Incomplete,
                ended: None,
            },
            Command::Close {
                task,
                closing: Closing::Failed,
                ended: None,
            },
            Command::Skip { task },
            Command::Retrigger { task },
        ];
        let mut reached = std::collections::BTreeSet::new();
        for command in commands {
            let mut run = task_in(from);
            if run.try_as(&program_manager(), command).is_ok() {
                let to = run.crisis().task(task).unwrap().status;
                reached.insert(to.name());
            }
        }
        let table: std::collections::BTreeSet<_> = TASK_TRANSITIONS
            .iter()
            .filter(|(f, _)| *f == from)
            .map(|(_, t)| t.name())
            .collect();
        assert_eq!(reached, table, "from {from}");
    }
}

/// "Structured workflows for Crisis events": "Only users with access to the event can
/// reopen the event task. While recovery task members can change the status of the event
/// task, they cannot reopen it."
#[test]
fn task_members_work_on_their_tasks_but_only_event_users_reopen_them() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![TaskSpec::new(1, "a").assign(MEMBER)],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    let task = TaskRef::new(0, 1);
    assert!(matches!(
        run.err(
            &stranger(),
            Command::Work {
                task,
                started: None
            }
        ),
        Error::Forbidden { .. }
    ));
    run.ok(
        &member(),
        Command::Work {
            task,
            started: None,
        },
    );
    run.ok(
        &member(),
        Command::Close {
            task,
            closing: Closing::Complete,
            ended: None,
        },
    );
    assert!(matches!(
        run.err(&member(), Command::Retrigger { task }),
        Error::Forbidden { .. }
    ));
    run.ok(&planner(), Command::Retrigger { task });
    assert_eq!(run.status(0, 1), TaskStatus::Open);
}

/// "States for an exercise and crisis event": Work In Progress records the actual start
/// given, "If you do not update the actual start time, the current date and time are
/// recorded"; Closed Complete and Incomplete record the actual end likewise.
#[test]
fn actual_start_and_end_are_the_ones_given_or_now() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b")],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    run.hour = 5;
    let (a, b) = (TaskRef::new(0, 1), TaskRef::new(0, 2));
    run.pm(Command::Work {
        task: a,
        started: Some(at(2)),
    });
    run.pm(Command::Work {
        task: b,
        started: None,
    });
    run.pm(Command::Close {
        task: a,
        closing: Closing::Complete,
        ended: Some(at(4)),
    });
    run.pm(Command::Close {
        task: b,
        closing: Closing::Incomplete,
        ended: None,
    });
    let t = |r| run.crisis().task(r).unwrap().clone();
    assert_eq!((t(a).started, t(a).ended), (Some(at(2)), Some(at(4))));
    assert_eq!((t(b).started, t(b).ended), (Some(at(5)), Some(at(5))));
}

/// "Start an event": an automated task in Closed failed: "An email notification is sent to
/// the backup assignee, informing them that the automated flow has encountered an error";
/// "Re-trigger as a manual task ... The task transitions to the Open state".
#[test]
fn a_failed_automation_tells_the_backup_and_may_be_retriggered_by_hand() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![TaskSpec::new(1, "restart the cluster").automatic(Some(BACKUP))],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    let events = run.pm(Command::Start);
    let task = TaskRef::new(0, 1);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::AutomationRequested { task: t, .. } if *t == task))
    );
    assert_eq!(run.status(0, 1), TaskStatus::WorkInProgress);
    run.hour = 1;
    let events = run.pm(Command::Close {
        task,
        closing: Closing::Failed,
        ended: None,
    });
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::BackupNotified { user: BACKUP, .. }))
    );
    // Run again as automation, fail again, then by hand.
    run.pm(Command::RetriggerAutomation { task });
    run.pm(Command::Close {
        task,
        closing: Closing::Failed,
        ended: None,
    });
    run.pm(Command::Retrigger { task });
    let t = run.crisis().task(task).unwrap();
    assert!(t.manual && !t.is_automated());
    assert_eq!(t.status, TaskStatus::Open);
    // A manual failure tells nobody.
    run.pm(Command::Work {
        task,
        started: None,
    });
    let events = run.pm(Command::Close {
        task,
        closing: Closing::Failed,
        ended: None,
    });
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::BackupNotified { .. }))
    );
    assert!(matches!(
        run.err(&program_manager(), Command::RetriggerAutomation { task }),
        Error::NotAutomated { .. }
    ));
}

/// "Add a task to the crisis event", step 8: an ad-hoc task added while the event is in
/// progress is Open if its activated plan is in progress, Pending if the plan is pending;
/// none on a plan closed complete or incomplete. "Create Event Task form": its Task ID is
/// the next number of the plan's tasks.
#[test]
fn ad_hoc_tasks_follow_their_plan() {
    let plans = vec![
        PlanSpec::new("first", vec![TaskSpec::new(7, "a")]).related("second"),
        PlanSpec::new("second", vec![TaskSpec::new(1, "b")]).after("first"),
    ];
    let mut run = Run::new(spec(plans, &["first"]));
    run.pm(Command::Start);
    run.pm(Command::Work {
        task: TaskRef::new(0, 7),
        started: None,
    });
    let add = |plan| Command::AddTask {
        plan,
        task: AdHocTask::new("call the insurer"),
    };
    let events = run.pm(add(0));
    assert!(matches!(events[0], Event::TaskAdded { task, .. } if task == TaskRef::new(0, 8)));
    assert_eq!(run.status(0, 8), TaskStatus::Open);
    run.pm(add(1));
    assert_eq!(run.status(1, 2), TaskStatus::Pending);
    for task in [7, 8] {
        run.pm(Command::Skip {
            task: TaskRef::new(0, task),
        });
    }
    assert_eq!(run.crisis().plans[0].status, PlanStatus::ClosedComplete);
    assert!(matches!(
        run.err(&program_manager(), add(0)),
        Error::PlanClosed { plan: 0, .. }
    ));
    // The second plan opened: its ad-hoc task too.
    assert_eq!(run.status(1, 2), TaskStatus::Open);
}

/// "Start an event", steps 2 and 3: plans are Open at the start, Work in Progress once
/// work starts on one of their tasks (the actual start recorded), and when all their tasks
/// are completed the actual end is recorded; "Event assets": "Once all tasks in a plan are
/// completed ... Closed complete", "The Total Effort column is calculated by adding up the
/// durations of all tasks of the plan", blank "if any tasks remain in the Open state".
#[test]
fn a_plan_opens_starts_and_closes_with_its_tasks() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b")],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    assert_eq!(run.crisis().plans[0].status, PlanStatus::Open);
    run.hour = 1;
    run.pm(Command::Work {
        task: TaskRef::new(0, 1),
        started: None,
    });
    assert_eq!(run.crisis().plans[0].status, PlanStatus::WorkInProgress);
    assert_eq!(run.crisis().plans[0].started, Some(at(1)));
    run.hour = 3;
    run.pm(Command::Close {
        task: TaskRef::new(0, 1),
        closing: Closing::Complete,
        ended: None,
    });
    let progress = run.crisis().plans[0].progress().unwrap();
    assert_eq!((progress.effort, progress.ended), (None, None));
    run.pm(Command::Work {
        task: TaskRef::new(0, 2),
        started: None,
    });
    run.hour = 4;
    run.pm(Command::Close {
        task: TaskRef::new(0, 2),
        closing: Closing::Complete,
        ended: None,
    });
    let plan = &run.crisis().plans[0];
    assert_eq!(plan.status, PlanStatus::ClosedComplete);
    let progress = plan.progress().unwrap();
    assert_eq!(progress.effort, Some(Duration::hours(3)));
    assert_eq!(progress.time_taken, Some(Duration::hours(3)));
    assert_eq!(progress.ended, Some(at(4)));
}

/// "Create Event Task form", "Do not include this task in time calculation": "Any task that
/// is excluded is not considered in the plan and asset time calculation"; "Start an event":
/// "if Steps 5 and 6 are marked to be excluded ... the system calculates the time up to Step
/// 4 only".
#[test]
fn tasks_excluded_from_time_count_in_no_total() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![
            TaskSpec::new(1, "a").asset("payments", RecoveryLevel::None),
            TaskSpec::new(2, "tidy up")
                .after([1])
                .excluded_from_time()
                .asset("payments", RecoveryLevel::None),
        ],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    run.complete(0, 1);
    run.hour += 5;
    run.complete(0, 2);
    let plan = run.crisis().plans[0].progress().unwrap();
    assert_eq!(plan.effort, Some(Duration::hours(1)));
    // The plan closed at hour 7 with the excluded task; its time runs to step 1's end.
    assert_eq!(run.crisis().plans[0].ended, Some(at(7)));
    assert_eq!(
        (plan.ended, plan.time_taken),
        (Some(at(1)), Some(Duration::hours(1)))
    );
    let asset = &run.crisis().assets().unwrap()[0];
    assert_eq!(asset.progress.effort, Some(Duration::hours(1)));
    assert_eq!(asset.progress.ended, Some(at(1)));
}

/// "Start an event", step 6, and "Event assets": an asset is partially recovered once its
/// partially-recovered tasks are done, recovered once its recovered tasks are ("you don't
/// need to complete the tasks marked as partially recovered"), with no level "only after all
/// associated tasks are completed", and not recovered while a task tagged with it failed; a
/// re-triggered task moves the asset back.
#[test]
fn assets_follow_their_tasks_recovery_levels() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![
            TaskSpec::new(1, "core").asset("Facebook", RecoveryLevel::PartiallyRecovered),
            TaskSpec::new(2, "full").asset("Facebook", RecoveryLevel::Recovered),
            TaskSpec::new(3, "a").asset("Photoshop", RecoveryLevel::None),
            TaskSpec::new(4, "b").asset("Photoshop", RecoveryLevel::None),
        ],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    let status = |run: &Run| {
        run.crisis()
            .assets()
            .unwrap()
            .iter()
            .map(|a| a.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        status(&run),
        [AssetStatus::NotRecovered, AssetStatus::NotRecovered]
    );
    run.complete(0, 1);
    run.complete(0, 3);
    assert_eq!(
        status(&run),
        [AssetStatus::PartiallyRecovered, AssetStatus::NotRecovered]
    );
    run.pm(Command::Retrigger {
        task: TaskRef::new(0, 1),
    });
    assert_eq!(status(&run)[0], AssetStatus::NotRecovered);
    run.complete(0, 2);
    assert_eq!(
        status(&run)[0],
        AssetStatus::Recovered,
        "the partial task need not be done"
    );
    let task = TaskRef::new(0, 4);
    run.pm(Command::Work {
        task,
        started: None,
    });
    run.pm(Command::Close {
        task,
        closing: Closing::Failed,
        ended: None,
    });
    assert_eq!(status(&run)[1], AssetStatus::NotRecovered);
    run.pm(Command::Retrigger { task });
    run.complete(0, 4);
    assert_eq!(status(&run)[1], AssetStatus::Recovered);
    // Levels chosen, partial only: done, the asset is partially recovered, never recovered
    // ("you can mark an asset as partially recovered after completing critical steps").
    let plans = vec![PlanSpec::new(
        "p",
        vec![TaskSpec::new(1, "core").asset("mail", RecoveryLevel::PartiallyRecovered)],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    run.complete(0, 1);
    assert_eq!(status(&run)[0], AssetStatus::PartiallyRecovered);
    // A failed task at another level holds back the recovered level too.
    let plans = vec![PlanSpec::new(
        "p",
        vec![
            TaskSpec::new(1, "full").asset("db", RecoveryLevel::Recovered),
            TaskSpec::new(2, "tidy").asset("db", RecoveryLevel::None),
        ],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    run.complete(0, 1);
    assert_eq!(status(&run)[0], AssetStatus::Recovered);
    let task = TaskRef::new(0, 2);
    run.pm(Command::Work {
        task,
        started: None,
    });
    run.pm(Command::Close {
        task,
        closing: Closing::Failed,
        ended: None,
    });
    assert_eq!(status(&run)[0], AssetStatus::NotRecovered);
}

/// "Event assets", "Enhanced event asset management": the RTO from the BIA compared with the
/// actual recovery time.
#[test]
fn an_asset_is_checked_against_its_rto() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![
            TaskSpec::new(1, "db").asset("payments", RecoveryLevel::Recovered),
            TaskSpec::new(2, "mail").asset("mail", RecoveryLevel::Recovered),
        ],
    )];
    let spec = spec(plans, &["p"])
        .asset(AssetSpec::new("mail", Some(Duration::hours(1))))
        .asset(AssetSpec::new("payments", Some(Duration::hours(4))));
    let mut run = Run::new(spec);
    run.pm(Command::Start);
    run.complete(0, 1);
    run.hour = 2;
    run.complete(0, 2);
    let assets = run.crisis().assets().unwrap();
    assert_eq!(assets[0].name, "mail");
    assert_eq!(
        (assets[0].recovered_at, assets[0].within_rto),
        (Some(at(3)), Some(false))
    );
    assert_eq!(
        (assets[1].recovered_at, assets[1].within_rto),
        (Some(at(1)), Some(true))
    );
}

/// "Request an approval and approve the crisis event", step 4: "All activated plans must be
/// closed before submitting the event for an approval".
#[test]
fn submission_needs_every_activated_plan_closed() {
    let plans = vec![
        PlanSpec::new("p", vec![TaskSpec::new(1, "a")]).related("q"),
        PlanSpec::new("q", vec![]),
    ];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    let e = run.err(&planner(), Command::Submit { ended: None });
    assert_eq!(e, Error::PlansOpen { plans: vec![0, 1] });
    assert_eq!(
        e.to_string(),
        "all activated plans must be closed before submitting the event for an approval; plans 0, 1 are not"
    );
    run.complete(0, 1);
    run.pm(Command::ClosePlan {
        plan: 1,
        outcome: Outcome::Complete,
    });
    run.ok(&planner(), Command::Submit { ended: None });
    assert_eq!(run.crisis().status, Status::PendingApproval);
    assert_eq!(run.crisis().ended, Some(at(1)));
}

/// "States for an exercise and crisis event": Pending Approval, then a BCM program manager
/// approves or rejects; Returned "can be moved to the Submit for Approval, Closed Complete,
/// or Closed Incomplete states"; Approved may be closed complete or incomplete; from
/// Returned "you can only add your comments and the attachments to the event task".
#[test]
fn approval_return_and_closure() {
    let plans = vec![PlanSpec::new(
        "p",
        vec![TaskSpec::new(1, "a"), TaskSpec::new(2, "b")],
    )];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    run.complete(0, 1);
    run.complete(0, 2);
    run.ok(&planner(), Command::Submit { ended: None });
    assert!(matches!(
        run.err(&planner(), Command::Approve),
        Error::Forbidden { .. }
    ));
    run.pm(Command::Reject);
    assert_eq!(run.crisis().status, Status::Returned);
    assert!(matches!(
        run.err(
            &program_manager(),
            Command::Retrigger {
                task: TaskRef::new(0, 1)
            }
        ),
        Error::WrongStatus {
            status: Status::Returned,
            ..
        }
    ));
    run.ok(&planner(), Command::Submit { ended: None });
    run.pm(Command::Approve);
    assert_eq!(run.crisis().status, Status::Approved);
    run.ok(
        &planner(),
        Command::CloseEvent {
            outcome: Outcome::Incomplete,
        },
    );
    assert_eq!(run.crisis().status, Status::ClosedIncomplete);
    // A returned event closes too.
    let plans = vec![PlanSpec::new("p", vec![TaskSpec::new(1, "a")])];
    let mut run = Run::new(spec(plans, &["p"]));
    run.pm(Command::Start);
    run.complete(0, 1);
    run.pm(Command::Submit { ended: None });
    run.pm(Command::Reject);
    run.pm(Command::CloseEvent {
        outcome: Outcome::Complete,
    });
    assert_eq!(run.crisis().status, Status::ClosedComplete);
}

/// "Review event details and start an exercise event", step 8: the results are entered
/// before an exercise is submitted for approval.
#[test]
fn an_exercise_is_submitted_with_its_result() {
    let plans = vec![PlanSpec::new("p", vec![TaskSpec::new(1, "a")])];
    let mut run = Run::new(CrisisSpec::new("drill", Kind::Exercise, plans, ["p"]));
    run.pm(Command::Start);
    run.complete(0, 1);
    assert_eq!(
        run.err(&planner(), Command::Submit { ended: None }),
        Error::ResultMissing
    );
    run.pm(Command::RecordResult {
        result: ExerciseResult::SuccessfulWithIssues,
    });
    run.pm(Command::Submit { ended: None });
    assert_eq!(
        run.crisis().result,
        Some(ExerciseResult::SuccessfulWithIssues)
    );
}
