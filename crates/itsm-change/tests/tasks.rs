//! Change tasks, one test per rule of ServiceNow's pages: "Create a change task"
//! (create-a-change-task) and "Place a change request on hold"
//! (t_PlaceAChangeRequestOnHold). The pages are cited, not copied.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_change::{
    Actor, ChangeId, ChangeTaskHold, ChangeTaskId, ChangeTaskKind, ChangeTaskState, Command,
    Context, Error, Event, Phase, Policy, Request, ReviewOutcome, Role, State, UserId, Window,
    decide,
};

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
}

fn manager() -> Actor {
    Actor::new(UserId::from_u128(2), [Role::new("change_manager").unwrap()])
}

fn implementer() -> Actor {
    Actor::new(UserId::from_u128(3), [Role::new("implementer").unwrap()])
}

const A: ChangeTaskId = ChangeTaskId::from_u128(0xA);
const B: ChangeTaskId = ChangeTaskId::from_u128(0xB);
const C: ChangeTaskId = ChangeTaskId::from_u128(0xC);

/// A standard change with a window from hour 48 to hour 52, scheduled at hour 1.
fn scheduled() -> State {
    let policy = Policy::servicenow();
    let mut request = Request::new(
        ChangeId::from_u128(1),
        "standard",
        UserId::from_u128(9),
        "Patch web01",
    );
    request.template = Some("os_patch".into());
    let mut state = State::new();
    for (h, command) in [
        (0, request.into()),
        (
            0,
            Command::Plan {
                window: Window::new(t(48), t(52)),
            },
        ),
        (1, Command::Submit),
    ] {
        let events = decide(&state, &command, &Context::new(t(h), &manager(), &policy)).unwrap();
        state.apply(&events);
    }
    assert_eq!(state.stage(), Some(Phase::Scheduled));
    state
}

/// Runs `command` as `actor` at hour `h`; panics on a refusal.
fn run(state: &mut State, h: i64, actor: &Actor, command: Command) -> Vec<Event> {
    let policy = Policy::servicenow();
    let events = decide(state, &command, &Context::new(t(h), actor, &policy))
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    state.apply(&events);
    events
}

fn refused(state: &State, h: i64, actor: &Actor, command: Command) -> Error {
    let policy = Policy::servicenow();
    decide(state, &command, &Context::new(t(h), actor, &policy)).unwrap_err()
}

fn add(task: ChangeTaskId, kind: ChangeTaskKind, window: Option<Window>) -> Command {
    Command::AddTask {
        task,
        kind,
        description: "do it".into(),
        window,
        pending: false,
    }
}

fn task_state(state: &State, id: ChangeTaskId) -> ChangeTaskState {
    state.change().unwrap().task(id).unwrap().state.clone()
}

fn hold_of(state: &State, id: ChangeTaskId) -> Option<ChangeTaskHold> {
    state.change().unwrap().task(id).unwrap().hold.clone()
}

fn close_task(task: ChangeTaskId) -> Command {
    Command::CloseTask {
        task,
        code: "successful".into(),
        notes: "patched".into(),
    }
}

/// "Create a change task": the states pending (not yet ready), open, in progress, closed
/// (with a close code and notes set first) and canceled; once closed, a task cannot go back.
#[test]
fn servicenow_a_task_goes_pending_to_closed_and_never_back() {
    let mut s = scheduled();
    run(
        &mut s,
        2,
        &manager(),
        Command::AddTask {
            task: A,
            kind: ChangeTaskKind::Testing,
            description: "smoke test".into(),
            window: None,
            pending: true,
        },
    );
    assert_eq!(task_state(&s, A), ChangeTaskState::Pending);
    run(&mut s, 3, &implementer(), Command::StartTask { task: A });
    assert_eq!(task_state(&s, A), ChangeTaskState::InProgress);
    let no_notes = Command::CloseTask {
        task: A,
        code: "successful".into(),
        notes: String::new(),
    };
    assert_eq!(
        refused(&s, 4, &implementer(), no_notes),
        Error::MissingField {
            command: "close_task",
            field: "close notes"
        }
    );
    assert!(matches!(
        refused(
            &s,
            4,
            &implementer(),
            Command::CloseTask {
                task: A,
                code: "done".into(),
                notes: "x".into()
            }
        ),
        Error::UnknownTaskCloseCode { .. }
    ));
    run(&mut s, 4, &implementer(), close_task(A));
    assert_eq!(
        task_state(&s, A),
        ChangeTaskState::Closed {
            code: "successful".into(),
            notes: "patched".into()
        }
    );
    for command in [
        Command::StartTask { task: A },
        Command::CancelTask {
            task: A,
            reason: "x".into(),
        },
    ] {
        assert_eq!(
            refused(&s, 5, &manager(), command),
            Error::TaskFinished {
                task: A,
                state: "closed"
            }
        );
    }
    assert_eq!(
        refused(&s, 5, &manager(), add(A, ChangeTaskKind::Planning, None)),
        Error::DuplicateTask { task: A }
    );
    assert_eq!(
        refused(&s, 5, &manager(), Command::StartTask { task: B }),
        Error::UnknownTask { task: B }
    );
}

/// Same page: an implementation task's planned dates must fall within the change's.
#[test]
fn servicenow_an_implementation_task_is_planned_within_the_change() {
    let mut s = scheduled();
    let outside = Window::new(t(50), t(53));
    assert_eq!(
        refused(
            &s,
            2,
            &manager(),
            add(A, ChangeTaskKind::Implementation, Some(outside))
        ),
        Error::TaskOutsideWindow {
            task: A,
            change: Some(Window::new(t(48), t(52)))
        }
    );
    // Other kinds are not tied to the change's window.
    run(
        &mut s,
        2,
        &manager(),
        add(B, ChangeTaskKind::Testing, Some(outside)),
    );
    run(
        &mut s,
        2,
        &manager(),
        add(
            A,
            ChangeTaskKind::Implementation,
            Some(Window::new(t(48), t(50))),
        ),
    );
    assert_eq!(s.change().unwrap().tasks().len(), 2);
}

/// "Place a change request on hold": the change's hold and reason are copied to its active
/// tasks, and taken off them when the change is taken off hold.
#[test]
fn servicenow_the_changes_hold_is_copied_to_its_active_tasks() {
    let mut s = scheduled();
    run(
        &mut s,
        2,
        &manager(),
        add(A, ChangeTaskKind::Planning, None),
    );
    run(
        &mut s,
        2,
        &manager(),
        add(B, ChangeTaskKind::Planning, None),
    );
    run(&mut s, 3, &implementer(), close_task(B));
    run(
        &mut s,
        4,
        &manager(),
        Command::PutOnHold {
            reason: "vendor patch late".into(),
        },
    );
    assert_eq!(
        hold_of(&s, A),
        Some(ChangeTaskHold {
            reason: "vendor patch late".into(),
            from_change: true
        })
    );
    assert_eq!(hold_of(&s, B), None, "a closed task is not active");
    for command in [
        Command::StartTask { task: A },
        Command::ResumeTask { task: A },
    ] {
        assert_eq!(
            refused(&s, 5, &implementer(), command),
            Error::TaskHeldByChange { task: A }
        );
    }
    run(&mut s, 5, &manager(), Command::Resume);
    assert_eq!(hold_of(&s, A), None);
}

/// Same page: tasks placed on hold by hand are not overwritten when the change goes on
/// hold, and stay on hold when it is taken off hold.
#[test]
fn servicenow_a_task_held_by_hand_keeps_its_hold() {
    let mut s = scheduled();
    run(
        &mut s,
        2,
        &manager(),
        add(A, ChangeTaskKind::Planning, None),
    );
    run(
        &mut s,
        3,
        &implementer(),
        Command::HoldTask {
            task: A,
            reason: "waiting for access".into(),
        },
    );
    run(
        &mut s,
        4,
        &manager(),
        Command::PutOnHold {
            reason: "freeze".into(),
        },
    );
    let by_hand = Some(ChangeTaskHold {
        reason: "waiting for access".into(),
        from_change: false,
    });
    assert_eq!(hold_of(&s, A), by_hand);
    run(&mut s, 5, &manager(), Command::Resume);
    assert_eq!(hold_of(&s, A), by_hand);
    assert!(matches!(
        refused(&s, 6, &implementer(), Command::StartTask { task: A }),
        Error::TaskOnHold { .. }
    ));
    run(&mut s, 6, &implementer(), Command::ResumeTask { task: A });
    assert_eq!(hold_of(&s, A), None);
    assert_eq!(
        refused(&s, 7, &implementer(), Command::ResumeTask { task: A }),
        Error::TaskNotOnHold { task: A }
    );
}

/// Same page: when the change is canceled, its active tasks are canceled too.
#[test]
fn servicenow_canceling_the_change_cancels_its_active_tasks() {
    let mut s = scheduled();
    run(
        &mut s,
        2,
        &manager(),
        add(A, ChangeTaskKind::Planning, None),
    );
    run(
        &mut s,
        2,
        &manager(),
        add(B, ChangeTaskKind::Planning, None),
    );
    run(&mut s, 3, &implementer(), close_task(B));
    run(
        &mut s,
        4,
        &manager(),
        Command::Cancel {
            reason: "superseded".into(),
        },
    );
    assert_eq!(
        task_state(&s, A),
        ChangeTaskState::Canceled {
            reason: "superseded".into()
        }
    );
    assert!(matches!(task_state(&s, B), ChangeTaskState::Closed { .. }));
    // Nothing is added to a canceled change.
    assert!(matches!(
        refused(&s, 5, &manager(), add(C, ChangeTaskKind::Planning, None)),
        Error::NotAllowed { .. }
    ));
}

/// Same page: a change closes only when all its active tasks are closed or canceled.
#[test]
fn servicenow_a_change_with_open_tasks_cannot_close() {
    let mut s = scheduled();
    run(
        &mut s,
        2,
        &manager(),
        add(
            A,
            ChangeTaskKind::Implementation,
            Some(Window::new(t(48), t(50))),
        ),
    );
    run(&mut s, 2, &manager(), add(B, ChangeTaskKind::Review, None));
    run(&mut s, 48, &implementer(), Command::Implement);
    run(&mut s, 49, &implementer(), close_task(A));
    run(&mut s, 50, &implementer(), Command::Complete);
    let close = Command::Close {
        outcome: ReviewOutcome::Successful,
        close_code: "successful".into(),
        notes: "done".into(),
    };
    assert_eq!(
        refused(&s, 51, &manager(), close.clone()),
        Error::OpenTasks { tasks: vec![B] }
    );
    assert_eq!(
        refused(&s, 51, &manager(), close.clone()).to_string(),
        format!(
            "the change has 1 active task(s) ({B}); close or cancel them before closing the change"
        )
    );
    run(
        &mut s,
        51,
        &manager(),
        Command::CancelTask {
            task: B,
            reason: "review held in the CAB".into(),
        },
    );
    run(&mut s, 52, &manager(), close);
    assert_eq!(s.stage(), Some(Phase::Closed));
}
