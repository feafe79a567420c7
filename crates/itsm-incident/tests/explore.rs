//! Exhaustive bounded exploration: from nothing, apply every command of a fixed alphabet to
//! every distinct state up to seven commands deep, with an actor holding every role, and check
//! that the transition table governs `decide` both ways: every accepted change of state is an
//! entry of `TRANSITIONS`, and every entry of `TRANSITIONS` is reached.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use common::{ALICE, NETWORK, OTHER, cmd, fold, superuser, t0};
use itsm_core::{Actor, GroupId, UserId};
use itsm_core::{Exploration, explore};
use itsm_core::{Impact, Urgency};
use itsm_incident::{
    Assignment, EscalationKind, HoldReason, Link, MajorState, Snapshot, State, Status, StatusKind,
};
use itsm_incident::{
    Command, CommandKind, Context, Event, Policy, TRANSITIONS, decide, evolve, lifecycle,
};

const DEPTH: usize = 7;

/// One letter of the alphabet: a command and how far the clock moves before it.
#[derive(Debug, Clone)]
struct Input {
    command: Command,
    advance: Duration,
}

/// An explored state: the incident, the clock, everything that happened, and the events of
/// the last step (to tell a no-op from a change).
#[derive(Debug, Clone)]
struct Sim {
    state: State,
    now: DateTime<Utc>,
    history: Vec<Event>,
    last: Vec<Event>,
}

/// What tells explored states apart. Times are left out on purpose: the alphabet's clock
/// only moves forward, so a state seen earlier behaves the same later.
type Key = (
    StatusKind,
    MajorState,
    u32,
    Option<(GroupId, Option<UserId>)>,
    u32,
    (u8, u8),
    u8,
    Option<HoldReason>,
    usize,
);

fn key(sim: &Sim) -> Key {
    let Some(inc) = sim.state.incident() else {
        return (
            StatusKind::Unreported,
            MajorState::None,
            0,
            None,
            0,
            (0, 0),
            0,
            None,
            0,
        );
    };
    let hold = match inc.status() {
        Status::OnHold { reason, .. } => Some(reason.clone()),
        _ => None,
    };
    (
        sim.state.kind(),
        inc.major_state(),
        inc.reopen_count().min(2),
        inc.assignment().map(|a| (a.group, a.person)),
        inc.reassignment_count().min(2),
        (inc.escalation().functional, inc.escalation().hierarchical),
        inc.priority().0,
        hold,
        inc.links().children.len(),
    )
}

/// One representative of each command kind, with valid data, plus a tick far in the future
/// and a second hold reason (so that changing the reason while on hold, and a caller's
/// response to a hold it does not clear, are explored too).
fn alphabet() -> Vec<Input> {
    let hour = Duration::hours(1);
    let mut snapshot = Snapshot {
        report: common::report(),
        status: Status::InProgress,
        assignment: None,
        reassignment_count: 0,
        reopen_count: 0,
        escalation: Default::default(),
        major: false,
        links: Default::default(),
        opened_at: t0() - Duration::days(3),
    };
    snapshot.assignment = Some(Assignment {
        group: NETWORK,
        person: None,
    });
    let commands = vec![
        cmd::report(),
        Command::Import(Box::new(snapshot)),
        Command::Assign {
            group: NETWORK,
            person: Some(ALICE),
        },
        Command::StartWork,
        cmd::hold(HoldReason::AwaitingCaller),
        cmd::hold(HoldReason::AwaitingVendor),
        cmd::caller_responded(),
        Command::Resume,
        Command::Reprioritize {
            impact: Impact(1),
            urgency: Urgency(1),
        },
        Command::Escalate {
            kind: EscalationKind::Functional,
            level: 1,
        },
        cmd::declare_major(),
        cmd::stand_down(),
        cmd::propose_major(),
        cmd::accept_major(),
        cmd::reject_major(),
        Command::Link {
            link: Link::Child(OTHER),
        },
        cmd::resolve(),
        cmd::reopen(),
        Command::Close { resolution: None },
        cmd::cancel(),
    ];
    let mut alphabet: Vec<Input> = commands
        .into_iter()
        .map(|command| Input {
            command,
            advance: hour,
        })
        .collect();
    alphabet.push(Input {
        command: Command::Tick,
        advance: Duration::days(30),
    });
    alphabet
}

/// Explores under `policy` as `actor`; returns the report and every (from, command, to)
/// seen in an accepted step.
fn run(
    policy: &Policy,
    actor: &Actor,
) -> (Exploration, BTreeSet<(StatusKind, CommandKind, StatusKind)>) {
    let lifecycle = lifecycle();
    let mut seen = BTreeSet::new();
    let initial = Sim {
        state: State::new(),
        now: t0(),
        history: Vec::new(),
        last: Vec::new(),
    };
    let report = explore(
        initial,
        &alphabet(),
        DEPTH,
        key,
        |sim, input| {
            let now = sim.now + input.advance;
            let ctx = Context::new(now, actor, policy);
            let events = decide(&sim.state, &input.command, &ctx)?;
            let state = events.iter().fold(sim.state.clone(), evolve);
            let mut history = sim.history.clone();
            history.extend(events.iter().cloned());
            Ok::<_, itsm_incident::Error>(Sim {
                state,
                now,
                history,
                last: events,
            })
        },
        |before, input, after| {
            let (from, kind, to) = (
                before.state.kind(),
                input.command.kind(),
                after.state.kind(),
            );
            seen.insert((from, kind, to));
            if fold(&after.history) != after.state {
                return Err("replaying the history does not give the state".into());
            }
            if from.is_terminal() && (kind != CommandKind::Tick || !after.last.is_empty()) {
                return Err(format!("{from} accepted {kind}"));
            }
            if after.last.is_empty() {
                if after.state != before.state {
                    return Err(format!("{kind} changed {from} without an event"));
                }
                return Ok(());
            }
            let creation = from == StatusKind::Unreported
                && matches!(kind, CommandKind::Report | CommandKind::Import);
            if !creation && !TRANSITIONS.contains(&(from, kind, to)) {
                return Err(format!("{from} --{kind}--> {to} is not in TRANSITIONS"));
            }
            if !creation
                && from != to
                && !lifecycle
                    .commands_between(from.name(), to.name())
                    .contains(&kind.name())
            {
                return Err(format!("lifecycle() has no {from} --{kind}--> {to}"));
            }
            if let (Some(b), Some(a)) = (before.state.incident(), after.state.incident()) {
                if a.reopen_count() < b.reopen_count()
                    || a.reassignment_count() < b.reassignment_count()
                    || a.escalation().functional < b.escalation().functional
                    || a.escalation().hierarchical < b.escalation().hierarchical
                {
                    return Err(format!("{kind} made a counter go down"));
                }
            }
            Ok(())
        },
    );
    (report, seen)
}

#[test]
fn the_transition_table_governs_decide_both_ways() {
    let (report, seen) = run(&Policy::servicenow(), &superuser());
    assert!(
        report.violations.is_empty(),
        "violations: {:#?}",
        report.violations
    );
    let missing: Vec<_> = TRANSITIONS.iter().filter(|t| !seen.contains(t)).collect();
    assert!(missing.is_empty(), "never exercised: {missing:?}");
    // Every lifecycle state is reached, and the search did not stop early.
    let reached: BTreeSet<StatusKind> = seen.iter().map(|(_, _, to)| *to).collect();
    for s in StatusKind::ALL {
        assert!(reached.contains(&s), "{s} never reached");
    }
    assert_eq!(
        report.depth, DEPTH,
        "new states were still found at the last level"
    );
    assert!(report.states > 500, "only {} states", report.states);
    assert!(report.accepted < report.tried, "some commands are refused");
}

#[test]
fn without_auto_close_only_the_tick_transition_is_unreachable() {
    let policy = {
        let mut policy = Policy::servicenow();
        policy.auto_close_after = None;
        policy
    };
    let (report, seen) = run(&policy, &superuser());
    assert!(report.violations.is_empty(), "{:#?}", report.violations);
    let missing: Vec<_> = TRANSITIONS
        .iter()
        .filter(|t| !seen.contains(t))
        .copied()
        .collect();
    assert_eq!(
        missing,
        [(StatusKind::Resolved, CommandKind::Tick, StatusKind::Closed)]
    );
}

#[test]
fn a_caller_alone_can_only_report_respond_reopen_and_close() {
    let (report, seen) = run(&Policy::servicenow(), &common::caller());
    assert!(report.violations.is_empty(), "{:#?}", report.violations);
    let changes: BTreeSet<_> = seen
        .iter()
        .filter(|(from, _, to)| from != to)
        .copied()
        .collect();
    // From nothing, a caller reports; nobody starts work, so nothing else ever changes.
    assert_eq!(
        changes,
        BTreeSet::from([(StatusKind::Unreported, CommandKind::Report, StatusKind::New)])
    );
    assert_eq!(report.states, 2);
}
