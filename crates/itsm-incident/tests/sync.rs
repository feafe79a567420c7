//! Parent/child synchronisation with ServiceNow's semantics: the commands `sync_children`
//! returns for each parent event, and what they do to the children when the host runs them
//! through `decide` with its system actor.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use chrono::{DateTime, Utc};
use common::{agent, caller, cmd, ev, resolution, run, status, system, t};
use itsm_core::{Actor, UserId};
use itsm_incident::{Command, Event, HoldReasonRule, Policy, sync_children};
use itsm_incident::{HoldReason, IncidentId, Link, State, Status, StatusKind};

fn child_id(n: u128) -> IncidentId {
    IncidentId::from_u128(0x100 + n)
}

/// A child incident `n`, reported at `t(0)`, then taken through `commands` by an agent at
/// `t(1)`, `t(2)`, ...
fn child(n: u128, commands: &[Command]) -> State {
    let policy = Policy::servicenow();
    let report = Command::Report(Box::new(common::report_of(child_id(n), 3, 3)));
    let (mut state, _) = run(&State::new(), &report, &agent(), t(0), &policy);
    for (i, command) in commands.iter().enumerate() {
        let actor = if command.kind() == itsm_incident::CommandKind::Close {
            caller()
        } else {
            agent()
        };
        state = run(&state, command, &actor, t(1 + i as i64), &policy).0;
    }
    state
}

fn new_child(n: u128) -> State {
    child(n, &[])
}
fn in_progress_child(n: u128) -> State {
    child(n, &[Command::StartWork])
}
fn on_hold_child(n: u128, reason: HoldReason) -> State {
    child(n, &[Command::StartWork, cmd::hold(reason)])
}
fn resolved_child(n: u128) -> State {
    child(n, &[Command::StartWork, cmd::resolve()])
}
fn closed_child(n: u128) -> State {
    child(
        n,
        &[
            Command::StartWork,
            cmd::resolve(),
            Command::Close { resolution: None },
        ],
    )
}
fn canceled_child(n: u128) -> State {
    child(n, &[cmd::cancel()])
}

/// Runs the sync commands on the children, as the host does: with its system actor.
fn apply(
    children: &[State],
    commands: &[(IncidentId, Command)],
    actor: &Actor,
    now: DateTime<Utc>,
) -> Vec<State> {
    let policy = Policy::servicenow();
    let mut children = children.to_vec();
    for (id, command) in commands {
        let child = children
            .iter_mut()
            .find(|c| c.incident().map(|i| i.id()) == Some(*id))
            .unwrap();
        *child = run(child, command, actor, now, &policy).0;
    }
    children
}

fn kinds(children: &[State]) -> Vec<StatusKind> {
    children.iter().map(State::kind).collect()
}

fn hold_command(reason: HoldReason) -> Command {
    Command::PutOnHold {
        reason,
        comment: Some("parent incident put on hold".into()),
    }
}

#[test]
fn a_parent_going_in_progress_starts_new_children_and_resumes_held_ones() {
    let children = vec![
        new_child(1),
        on_hold_child(2, HoldReason::AwaitingVendor),
        on_hold_child(3, HoldReason::AwaitingCaller),
        in_progress_child(4),
        resolved_child(5),
        closed_child(6),
        canceled_child(7),
    ];
    let parent_events = [
        ev::started(t(10)),
        ev::resumed(t(10)),
        ev::caller_responded(t(10)),
    ];
    for event in parent_events {
        let commands = sync_children(&event, &Policy::servicenow(), &children);
        assert_eq!(
            commands,
            vec![
                (child_id(1), Command::StartWork),
                (child_id(2), Command::Resume),
                (child_id(3), Command::Resume),
            ],
            "after {}",
            event.name()
        );
        let after = apply(&children, &commands, &system(), t(10));
        assert_eq!(
            kinds(&after),
            [
                StatusKind::InProgress,
                StatusKind::InProgress,
                StatusKind::InProgress,
                StatusKind::InProgress,
                StatusKind::Resolved,
                StatusKind::Closed,
                StatusKind::Canceled,
            ]
        );
    }
}

#[test]
fn hold_reasons_propagate_except_awaiting_caller() {
    let children = |reason: &HoldReason| {
        vec![
            new_child(1),
            in_progress_child(2),
            on_hold_child(3, HoldReason::AwaitingCaller),
            on_hold_child(4, reason.clone()),
            resolved_child(5),
            canceled_child(6),
        ]
    };
    for reason in [
        HoldReason::AwaitingChange,
        HoldReason::AwaitingProblem,
        HoldReason::AwaitingVendor,
        HoldReason::AwaitingEvidence,
    ] {
        let children = children(&reason);
        let event = ev::on_hold(t(10), reason.clone());
        let commands = sync_children(&event, &Policy::servicenow(), &children);
        // Child 4 already waits for the same reason.
        assert_eq!(
            commands,
            vec![
                (child_id(1), hold_command(reason.clone())),
                (child_id(2), hold_command(reason.clone())),
                (child_id(3), hold_command(reason.clone())),
            ]
        );
        let after = apply(&children, &commands, &system(), t(10));
        for c in &after[..3] {
            assert_eq!(
                status(c),
                &Status::OnHold {
                    reason: reason.clone(),
                    since: t(10)
                }
            );
        }
        assert_eq!(
            after[3], children[3],
            "already on hold for {reason}: untouched"
        );
        assert_eq!(
            kinds(&after[4..]),
            [StatusKind::Resolved, StatusKind::Canceled]
        );
    }
    // Awaiting caller concerns the parent's caller only.
    let children = children(&HoldReason::AwaitingVendor);
    let event = ev::on_hold(t(10), HoldReason::AwaitingCaller);
    assert_eq!(
        sync_children(&event, &Policy::servicenow(), &children),
        vec![]
    );
}

#[test]
fn whether_a_hold_propagates_is_the_policy_rule() {
    let godot = HoldReason::Custom("awaiting_godot".into());
    let children = vec![new_child(1), in_progress_child(2)];
    let event = ev::on_hold(t(10), godot.clone());
    for propagates in [true, false] {
        let mut policy = Policy::servicenow();
        let mut rule = HoldReasonRule::new(godot.clone());
        rule.propagates_to_children = propagates;
        policy.hold_reasons.push(rule);
        let commands = sync_children(&event, &policy, &children);
        assert_eq!(commands.len(), if propagates { 2 } else { 0 });
    }
    // A reason the policy does not list does not propagate.
    assert_eq!(
        sync_children(&event, &Policy::servicenow(), &children),
        vec![]
    );
}

#[test]
fn a_resolved_parent_resolves_open_children_with_its_code_and_notes() {
    let children = vec![
        new_child(1),
        in_progress_child(2),
        on_hold_child(3, HoldReason::AwaitingProblem),
        resolved_child(4),
        closed_child(5),
        canceled_child(6),
    ];
    let event = Event::Resolved {
        at: t(10),
        by: agent().user,
        resolution: resolution("workaround", "failover to the second line"),
    };
    let commands = sync_children(&event, &Policy::servicenow(), &children);
    let resolve = Command::Resolve {
        code: "workaround".into(),
        notes: "failover to the second line".into(),
    };
    assert_eq!(
        commands,
        vec![
            (child_id(1), resolve.clone()),
            (child_id(2), resolve.clone()),
            (child_id(3), resolve),
        ]
    );
    let after = apply(&children, &commands, &system(), t(10));
    for c in &after[..3] {
        assert_eq!(
            status(c),
            &Status::Resolved {
                resolution: resolution("workaround", "failover to the second line"),
                at: t(10)
            }
        );
    }
    assert_eq!(after[3..], children[3..], "finished children are untouched");
}

#[test]
fn closing_or_canceling_a_parent_does_nothing_to_children() {
    let children = vec![
        new_child(1),
        in_progress_child(2),
        on_hold_child(3, HoldReason::AwaitingVendor),
        resolved_child(4),
    ];
    for event in [
        ev::closed(t(10), &caller(), false),
        ev::closed(t(10), &system(), true),
        ev::canceled(t(10)),
    ] {
        assert_eq!(
            sync_children(&event, &Policy::servicenow(), &children),
            vec![],
            "after {}",
            event.name()
        );
    }
}

#[test]
fn a_support_reopen_reopens_resolved_children_a_self_service_reopen_does_not() {
    let children = vec![
        resolved_child(1),
        in_progress_child(2),
        closed_child(3),
        resolved_child(4),
    ];
    let commands = sync_children(
        &ev::reopened(t(10), &agent(), true),
        &Policy::servicenow(),
        &children,
    );
    assert_eq!(
        commands,
        vec![(child_id(1), cmd::reopen()), (child_id(4), cmd::reopen()),]
    );
    let after = apply(&children, &commands, &system(), t(10));
    assert_eq!(
        kinds(&after),
        [
            StatusKind::InProgress,
            StatusKind::InProgress,
            StatusKind::Closed,
            StatusKind::InProgress
        ]
    );
    assert_eq!(after[0].incident().unwrap().reopen_count(), 1);
    assert_eq!(
        sync_children(
            &ev::reopened(t(10), &caller(), false),
            &Policy::servicenow(),
            &children
        ),
        vec![]
    );
}

#[test]
fn who_reopens_the_parent_decides_whether_children_follow() {
    let policy = Policy::servicenow();
    let parent = child(0, &[Command::StartWork, cmd::resolve()]);
    let children = vec![resolved_child(1)];
    for (actor, follows) in [(caller(), false), (agent(), true), (system(), true)] {
        let (_, events) = run(&parent, &cmd::reopen(), &actor, t(10), &policy);
        let commands = sync_children(&events[0], &policy, &children);
        assert_eq!(!commands.is_empty(), follows, "reopen by {:?}", actor.roles);
    }
}

#[test]
fn unreported_children_are_skipped_and_order_is_kept() {
    let children = vec![
        new_child(3),
        State::new(),
        new_child(1),
        State::new(),
        new_child(2),
    ];
    let commands = sync_children(&ev::started(t(10)), &Policy::servicenow(), &children);
    assert_eq!(
        commands,
        vec![
            (child_id(3), Command::StartWork),
            (child_id(1), Command::StartWork),
            (child_id(2), Command::StartWork),
        ]
    );
}

#[test]
fn other_parent_events_do_not_touch_children() {
    let children = vec![new_child(1), in_progress_child(2), resolved_child(3)];
    let nobody_special = UserId::from_u128(99);
    let events = [
        ev::reported(t(10)),
        ev::assigned(t(10), common::NETWORK, None, false),
        ev::escalated(t(10), itsm_incident::EscalationKind::Functional, 1),
        ev::major(t(10)),
        ev::stood_down(t(10)),
        ev::linked(t(10), Link::Child(child_id(1))),
        Event::Reprioritized {
            at: t(10),
            by: nobody_special,
            impact: itsm_core::Impact(1),
            urgency: itsm_core::Urgency(1),
            priority: itsm_core::Priority(1),
            explanation: Box::new(
                itsm_core::PriorityMatrix::servicenow()
                    .explain(itsm_core::Impact(1), itsm_core::Urgency(1))
                    .unwrap(),
            ),
        },
    ];
    for event in events {
        assert_eq!(
            sync_children(&event, &Policy::servicenow(), &children),
            vec![],
            "after {}",
            event.name()
        );
    }
}

/// A whole story: a parent and three children, the host syncing after every parent event.
#[test]
fn a_parent_story_carries_its_children_along() {
    let policy = Policy::servicenow();
    let mut parent = child(0, &[]);
    let mut children = vec![new_child(1), new_child(2), in_progress_child(3)];
    let step = |parent: &mut State,
                children: &mut Vec<State>,
                command: Command,
                actor: &Actor,
                hour: i64| {
        let (next, events) = run(parent, &command, actor, t(hour), &policy);
        *parent = next;
        for event in &events {
            let commands = sync_children(event, &policy, children);
            *children = apply(children, &commands, &system(), t(hour));
        }
    };
    step(&mut parent, &mut children, Command::StartWork, &agent(), 10);
    assert_eq!(kinds(&children), [StatusKind::InProgress; 3]);
    step(
        &mut parent,
        &mut children,
        cmd::hold(HoldReason::AwaitingVendor),
        &agent(),
        11,
    );
    assert_eq!(kinds(&children), [StatusKind::OnHold; 3]);
    step(&mut parent, &mut children, Command::Resume, &agent(), 12);
    assert_eq!(kinds(&children), [StatusKind::InProgress; 3]);
    step(&mut parent, &mut children, cmd::resolve(), &agent(), 13);
    assert_eq!(kinds(&children), [StatusKind::Resolved; 3]);
    step(&mut parent, &mut children, cmd::reopen(), &caller(), 14);
    assert_eq!(
        kinds(&children),
        [StatusKind::Resolved; 3],
        "a self-service reopen leaves the children resolved"
    );
    step(&mut parent, &mut children, cmd::resolve(), &agent(), 15);
    step(&mut parent, &mut children, cmd::reopen(), &agent(), 16);
    assert_eq!(kinds(&children), [StatusKind::InProgress; 3]);
    for c in &children {
        assert_eq!(c.incident().unwrap().reopen_count(), 1);
    }
    step(&mut parent, &mut children, cmd::resolve(), &agent(), 17);
    step(
        &mut parent,
        &mut children,
        Command::Close { resolution: None },
        &caller(),
        18,
    );
    assert_eq!(parent.kind(), StatusKind::Closed);
    assert_eq!(
        kinds(&children),
        [StatusKind::Resolved; 3],
        "closing the parent does not close the children"
    );
}

/// ServiceNow, "Resolve related incidents from a problem" (problem management,
/// t_CloseRelatedIncFromAPRB): only the related incidents on hold with the reason awaiting
/// problem are resolved, with the values the user enters.
#[test]
fn servicenow_resolving_a_problem_resolves_only_its_incidents_awaiting_it() {
    let problem = itsm_incident::ProblemId::from_u128(0x77);
    let other = itsm_incident::ProblemId::from_u128(0x78);
    let link = |p| Command::Link {
        link: Link::Problem(p),
    };
    let incidents = [
        child(1, &[link(problem), cmd::hold(HoldReason::AwaitingProblem)]),
        child(2, &[link(problem), cmd::hold(HoldReason::AwaitingVendor)]),
        child(3, &[link(problem), Command::StartWork]),
        child(4, &[link(other), cmd::hold(HoldReason::AwaitingProblem)]),
        child(5, &[cmd::hold(HoldReason::AwaitingProblem)]),
    ];
    let commands =
        itsm_incident::resolve_for_problem(problem, "fix applied", "MTU raised", &incidents);
    assert_eq!(
        commands,
        vec![(
            child_id(1),
            Command::Resolve {
                code: "fix applied".into(),
                notes: "MTU raised".into()
            }
        )]
    );
    // The host runs it with its system actor: the incident is resolved with those values.
    let (after, _) = run(
        &incidents[0],
        &commands[0].1,
        &system(),
        t(5),
        &Policy::servicenow(),
    );
    assert_eq!(
        status(&after),
        &Status::Resolved {
            resolution: resolution("fix applied", "MTU raised"),
            at: t(5)
        }
    );
}
