//! Random command sequences, with the invariants checked after every step.
//!
//! Commands are drawn over all seventeen kinds with small value domains (so invalid levels,
//! unknown hold reasons, empty fields and self-links occur), from random actors, at times
//! that usually move forward but sometimes go back, under a few policy variants. The seed is
//! fixed, so every run tries the same cases; failures are persisted in
//! `proptest-regressions/` and replayed first.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use common::{
    ALICE, BOB, ID, NETWORK, OTHER, SERVICE_DESK, THIRD, agent, caller, day, integration, mim,
    nobody, report_of, resolution, system, t0,
};
use itsm_core::Actor;
use itsm_core::{Impact, Urgency};
use itsm_incident::{
    Assignment, ChangeId, Escalation, EscalationKind, HoldReason, IncidentId, Link, Links,
    MajorState, ProblemId, Snapshot, State, Status, StatusKind,
};
use itsm_incident::{
    AutoCloseFrom, Command, CommandKind, Condition, Context, Error, Event, MajorTrigger, Policy,
    ReassignmentCounting, TRANSITIONS, TriggerAction, allowed_commands, decide, evolve, is_allowed,
    next_deadline,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestRunner};

// Enough stories to walk every transition of the table (checked at the end): 256 did until a
// fifth link kind thinned the rarest path (a candidate rejected after resolution).
const CASES: u32 = 384;
const MAX_STEPS: usize = 40;

fn actors() -> [Actor; 6] {
    [caller(), agent(), system(), mim(), integration(), nobody()]
}

// ---------------------------------------------------------------------------------------
// strategies

/// Mostly non-empty, so that commands needing text get through often enough.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 3 => Just("because".to_owned())]
}

fn incident_id() -> impl Strategy<Value = IncidentId> {
    prop_oneof![Just(ID), Just(OTHER), Just(THIRD)]
}

fn hold_reason() -> impl Strategy<Value = HoldReason> {
    // Awaiting caller is the one with rules of its own (a comment, the caller's response).
    prop_oneof![
        4 => Just(HoldReason::AwaitingCaller),
        1 => Just(HoldReason::AwaitingChange),
        1 => Just(HoldReason::AwaitingProblem),
        1 => Just(HoldReason::AwaitingVendor),
        1 => Just(HoldReason::AwaitingEvidence),
        1 => Just(HoldReason::Custom("awaiting_godot".into())),
    ]
}

fn link() -> impl Strategy<Value = Link> {
    prop_oneof![
        (1..=3u128).prop_map(|n| Link::Problem(ProblemId::from_u128(n))),
        (1..=3u128).prop_map(|n| Link::Change(ChangeId::from_u128(n))),
        incident_id().prop_map(Link::Parent),
        incident_id().prop_map(Link::Child),
        incident_id().prop_map(Link::FollowUpOf),
    ]
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::New),
        Just(Status::InProgress),
        hold_reason().prop_map(|reason| Status::OnHold {
            reason,
            since: day(-2)
        }),
        (text(), text()).prop_map(|(code, notes)| Status::Resolved {
            resolution: resolution(&code, &notes),
            at: day(-1)
        }),
        any::<bool>().prop_map(|auto| Status::Closed {
            resolution: resolution("solved", "rebooted"),
            at: day(-1),
            auto
        }),
        text().prop_map(|reason| Status::Canceled {
            reason,
            at: day(-1)
        }),
    ]
}

fn snapshot() -> impl Strategy<Value = Snapshot> {
    (
        (incident_id(), 0..=4u8, 0..=4u8, status()),
        (0..=3u32, 0..=3u32, 0..=4u8, 0..=4u8, any::<bool>()),
        (
            proptest::option::of(incident_id()),
            proptest::sample::subsequence(vec![THIRD, OTHER, ID], 0..=3),
            proptest::option::of((0..2u8, proptest::option::of(0..2u8))),
        ),
    )
        .prop_map(
            |(
                (id, impact, urgency, status),
                (reassignments, reopens, functional, hierarchical, major),
                (parent, children, assignment),
            )| Snapshot {
                report: report_of(id, impact, urgency),
                status,
                assignment: assignment.map(|(g, p)| Assignment {
                    group: [SERVICE_DESK, NETWORK][usize::from(g)],
                    person: p.map(|p| [ALICE, BOB][usize::from(p)]),
                }),
                reassignment_count: reassignments,
                reopen_count: reopens,
                escalation: Escalation {
                    functional,
                    hierarchical,
                },
                major,
                links: {
                    let mut links = Links::default();
                    links.parent = parent;
                    // `subsequence` keeps the (unsorted) order given above.
                    links.children = children;
                    links
                },
                opened_at: day(-10),
            },
        )
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        1 => (incident_id(), 0..=4u8, 0..=4u8, text(), proptest::option::of(text())).prop_map(
            |(id, impact, urgency, description, category)| {
                let mut report = report_of(id, impact, urgency);
                report.description = description;
                report.category = category;
                Command::Report(Box::new(report))
            }
        ),
        1 => snapshot().prop_map(|s| Command::Import(Box::new(s))),
        3 => (0..2usize, proptest::option::of(0..2usize)).prop_map(|(g, p)| Command::Assign {
            group: [SERVICE_DESK, NETWORK][g],
            person: p.map(|p| [ALICE, BOB][p]),
        }),
        2 => Just(Command::StartWork),
        3 => (hold_reason(), proptest::option::weighted(0.8, text()))
            .prop_map(|(reason, comment)| Command::PutOnHold { reason, comment }),
        2 => proptest::option::of(text()).prop_map(|comment| Command::CallerResponded { comment }),
        2 => Just(Command::Resume),
        2 => (0..=4u8, 0..=4u8).prop_map(|(i, u)| Command::Reprioritize {
            impact: Impact(i),
            urgency: Urgency(u),
        }),
        2 => (any::<bool>(), 0..=5u8).prop_map(|(hierarchical, level)| Command::Escalate {
            kind: if hierarchical {
                EscalationKind::Hierarchical
            } else {
                EscalationKind::Functional
            },
            level,
        }),
        3 => text().prop_map(|reason| Command::DeclareMajor { reason }),
        3 => text().prop_map(|reason| Command::StandDownMajor { reason }),
        3 => (text(), text()).prop_map(|(reason, business_impact)| Command::ProposeMajor {
            reason,
            business_impact,
        }),
        2 => text().prop_map(|notes| Command::AcceptMajor { notes }),
        2 => text().prop_map(|reason| Command::RejectMajor { reason }),
        2 => link().prop_map(|link| Command::Link { link }),
        3 => (
            prop_oneof![Just(String::new()), Just("solved".to_owned()), Just("magic".to_owned())],
            text()
        )
            .prop_map(|(code, notes)| Command::Resolve { code, notes }),
        2 => text().prop_map(|reason| Command::Reopen { reason }),
        1 => Just(Command::Close { resolution: None }),
        1 => text().prop_map(|reason| Command::Cancel { reason }),
        3 => Just(Command::Tick),
    ]
}

/// Seconds to move the clock: usually forward by up to two hours, sometimes by days (past
/// auto-close and reopen windows), sometimes back.
fn delta() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => 0..=7_200i64,
        2 => 3_600..=3 * 86_400i64,
        1 => 6 * 86_400..=9 * 86_400i64,
        1 => -7_200..0i64,
    ]
}

#[derive(Debug, Clone)]
struct Step {
    command: Command,
    actor: usize,
    delta: i64,
}

/// An index into [`actors`]: half the time one who may run `command`, so that sequences get
/// deep into the lifecycle; otherwise anyone, so that refusals are exercised too.
fn actor_for(command: &Command) -> BoxedStrategy<usize> {
    let entitled = match command.kind() {
        CommandKind::Import => 4,
        CommandKind::DeclareMajor
        | CommandKind::StandDownMajor
        | CommandKind::AcceptMajor
        | CommandKind::RejectMajor => 3,
        CommandKind::CallerResponded | CommandKind::Reopen | CommandKind::Close => 0,
        _ => 1,
    };
    prop_oneof![Just(entitled), 0..6usize].boxed()
}

fn step() -> impl Strategy<Value = Step> {
    command().prop_flat_map(|command| {
        let actor = actor_for(&command);
        (Just(command), actor, delta()).prop_map(|(command, actor, delta)| Step {
            command,
            actor,
            delta,
        })
    })
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop_oneof![Just(None), Just(Some(Duration::days(2)))],
        prop_oneof![
            Just(Some(Duration::days(7))),
            Just(Some(Duration::days(1))),
            Just(Some(Duration::hours(5))),
            Just(None)
        ],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0..3usize,
    )
        .prop_map(
            |(reopen_window, auto_close_after, last_update, per_person, codes, triggers)| {
                let mut policy = Policy::servicenow();
                policy.reopen_window = reopen_window;
                policy.auto_close_after = auto_close_after;
                policy.auto_close_from = if last_update {
                    AutoCloseFrom::LastUpdate
                } else {
                    AutoCloseFrom::Resolution
                };
                policy.reassignment_counting = if per_person {
                    ReassignmentCounting::GroupOrPersonChange
                } else {
                    ReassignmentCounting::GroupChange
                };
                policy.resolution_codes = if codes {
                    vec!["solved".into(), "workaround".into()]
                } else {
                    vec![]
                };
                // No trigger rules (the presets), or rules that propose a P1 and promote
                // an incident with children, in either order.
                let p1 = MajorTrigger::new("p1", Condition::PriorityIn(vec![1]));
                let mut children = MajorTrigger::new("children", Condition::Always);
                children.children_more_than = Some(0);
                children.action = TriggerAction::Promote;
                policy.major_triggers = match triggers {
                    0 => vec![],
                    1 => vec![p1, children],
                    _ => vec![children, p1],
                };
                policy
            },
        )
}

/// Most stories start with a valid report or an import; some start with anything.
fn first_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => Just(Step { command: Command::Report(Box::new(common::report())), actor: 1, delta: 0 }),
        2 => snapshot().prop_map(|s| Step { command: Command::Import(Box::new(s)), actor: 4, delta: 0 }),
        1 => step(),
    ]
}

fn case() -> impl Strategy<Value = (Policy, Vec<Step>)> {
    (
        policy(),
        first_step(),
        proptest::collection::vec(step(), 0..MAX_STEPS),
    )
        .prop_map(|(policy, first, rest)| {
            let mut steps = vec![first];
            steps.extend(rest);
            (policy, steps)
        })
}

// ---------------------------------------------------------------------------------------
// the invariants

type Seen = BTreeSet<(StatusKind, CommandKind, StatusKind)>;

fn counters(state: &State) -> Option<(u32, u32, Escalation)> {
    state
        .incident()
        .map(|i| (i.reopen_count(), i.reassignment_count(), i.escalation()))
}

fn is_sorted_set<T: Ord>(list: &[T]) -> bool {
    list.windows(2).all(|w| w[0] < w[1])
}

/// Checks one step; returns the state after it.
fn check_step(
    policy: &Policy,
    state: &State,
    stored: &mut State,
    command: &Command,
    actor: &Actor,
    now: DateTime<Utc>,
    seen: &mut Seen,
) -> Result<(State, Vec<Event>), TestCaseError> {
    let ctx = Context::new(now, actor, policy);
    let kind = command.kind();
    let from = state.kind();
    let result = decide(state, command, &ctx);
    prop_assert_eq!(
        &decide(state, command, &ctx),
        &result,
        "decide is deterministic"
    );

    // The gatekeeping order: the clock, then the table, then the role. A `tick` from a
    // drifting host clock (before the last event) does nothing.
    let last = state.incident().map(|i| i.updated_at());
    if let Some(last) = last.filter(|last| now < *last) {
        if kind == CommandKind::Tick {
            prop_assert_eq!(result, Ok(Vec::new()));
            return Ok((state.clone(), Vec::new()));
        }
        prop_assert_eq!(result, Err(Error::ClockWentBackwards { last, now }));
        return Ok((state.clone(), Vec::new()));
    }
    if !is_allowed(from, kind) {
        prop_assert_eq!(
            result,
            Err(Error::NotAllowed {
                state: from.name().to_owned(),
                command: kind.name().to_owned(),
                allowed: allowed_commands(from)
                    .iter()
                    .map(|c| c.name().to_owned())
                    .collect(),
            })
        );
        return Ok((state.clone(), Vec::new()));
    }
    let permission = policy.permissions.check(kind.name(), actor);
    if kind != CommandKind::Tick {
        if let Err(reason) = permission {
            prop_assert_eq!(
                result,
                Err(Error::Denied {
                    command: kind,
                    reason
                })
            );
            return Ok((state.clone(), Vec::new()));
        }
    }
    if let Err(e) = &result {
        prop_assert!(
            !matches!(
                e,
                Error::NotAllowed { .. } | Error::Denied { .. } | Error::ClockWentBackwards { .. }
            ),
            "a gate refused what it should have let through: {e}"
        );
    }

    // Terminal states accept the tick, which does nothing.
    if from.is_terminal() {
        prop_assert_eq!(kind, CommandKind::Tick);
        prop_assert_eq!(&result, &Ok(vec![]));
    }

    let events = match result {
        Ok(events) => events,
        Err(_) => return Ok((state.clone(), Vec::new())), // nothing changed: decide only borrowed the state
    };
    // One event per command, and one more when a trigger rule acts on it.
    let triggered = events.iter().any(|e| match e {
        Event::MajorProposed { trigger, .. } => trigger.is_some(),
        Event::MajorDeclared { reason, .. } => reason.starts_with("trigger rule"),
        _ => false,
    });
    prop_assert!(
        events.len() <= 1 + usize::from(triggered),
        "one command, at most one event (and a trigger rule's)"
    );
    prop_assert!(!triggered || !policy.major_triggers.is_empty());
    for e in &events {
        prop_assert_eq!(e.at(), now);
        prop_assert_eq!(e.by(), actor.user);
    }
    if kind == CommandKind::Tick {
        let due = next_deadline(state, policy).is_some_and(|d| now >= d);
        prop_assert_eq!(
            events.is_empty(),
            !due,
            "a tick acts exactly when due (deadline {:?}, now {})",
            next_deadline(state, policy),
            now
        );
        if due {
            let auto_closed = matches!(events[0], Event::Closed { auto: true, .. });
            prop_assert!(auto_closed, "a due tick auto-closes");
        }
    }

    let after = events.iter().fold(state.clone(), evolve);
    let to = after.kind();
    // Every accepted command counts as exercising (from, command, to); a table entry that
    // keeps the state may well be a no-op (a caller's response while in progress).
    seen.insert((from, kind, to));
    if events.is_empty() {
        // A no-op (a tick before its deadline, a caller's response to a vendor hold, ...).
        prop_assert_eq!(&after, state, "no events, no change");
    } else {
        let creation = from == StatusKind::Unreported
            && matches!(kind, CommandKind::Report | CommandKind::Import);
        prop_assert!(
            creation || TRANSITIONS.contains(&(from, kind, to)),
            "{from} --{kind}--> {to} is not in TRANSITIONS"
        );
    }
    // The host's store: each event written as JSON and read back, then applied to the state
    // rebuilt from the store alone; and the state itself as a JSON snapshot.
    let read_back: Vec<Event> = events.iter().map(common::through_storage).collect();
    stored.apply(&read_back);
    prop_assert_eq!(
        &*stored,
        &after,
        "the events, stored as JSON and read back, rebuild the state"
    );
    prop_assert_eq!(
        &common::snapshot_round_trip(&after),
        &after,
        "the state, stored as a JSON snapshot and read back, is the state"
    );

    // Counters never go down.
    if let (Some(b), Some(a)) = (counters(state), counters(&after)) {
        prop_assert!(a.0 >= b.0, "reopen_count went down");
        prop_assert!(a.1 >= b.1, "reassignment_count went down");
        prop_assert!(
            a.2.functional >= b.2.functional,
            "functional level went down"
        );
        prop_assert!(
            a.2.hierarchical >= b.2.hierarchical,
            "hierarchical level went down"
        );
        prop_assert!(a.1 <= b.1 + 1 && a.0 <= b.0 + 1, "counters step by one");
    }
    if let (Some(b), Some(a)) = (state.incident(), after.incident()) {
        prop_assert_eq!(a.opened_at(), b.opened_at());
        prop_assert_eq!(a.id(), b.id());
        if !events.is_empty() {
            prop_assert_eq!(a.updated_at(), now);
        }
    }
    if let Some(inc) = after.incident() {
        let links = inc.links();
        prop_assert!(
            is_sorted_set(&links.children),
            "children {:?}",
            links.children
        );
        prop_assert!(is_sorted_set(&links.problems));
        prop_assert!(is_sorted_set(&links.changes));
        prop_assert!(links.parent != Some(inc.id()) && !links.children.contains(&inc.id()));
        prop_assert!(links.follow_up_of != Some(inc.id()));
        prop_assert_eq!(
            Ok(inc.priority()),
            policy.matrix.priority(inc.impact(), inc.urgency()),
            "the priority is the matrix's"
        );
        if let Status::OnHold { reason, .. } = inc.status() {
            prop_assert!(policy.hold_rule(reason).is_some(), "on hold for {reason}");
        }
        prop_assert_eq!(inc.is_major(), inc.major_state() == MajorState::Accepted);
        // After a change, no trigger rule matches an incident it applies to: it would have
        // acted (the rules here: priority 1 proposes, any child promotes).
        let applies = matches!(
            inc.status().kind(),
            StatusKind::New | StatusKind::InProgress | StatusKind::OnHold
        ) && links.parent.is_none()
            && !matches!(
                inc.major_state(),
                MajorState::Proposed | MajorState::Accepted
            );
        // (Not after the rejection or demotion the rules would undo: they read the incident
        // again from its next update.)
        let undone = events.iter().any(|e| {
            matches!(
                e,
                Event::MajorRejected { .. } | Event::MajorStoodDown { .. }
            )
        });
        if !events.is_empty() && !policy.major_triggers.is_empty() && applies && !undone {
            prop_assert!(
                inc.priority().0 != 1 && links.children.is_empty(),
                "a trigger rule matches and did not act: {:?}",
                inc.view()
            );
        }
        let due = next_deadline(&after, policy);
        let resolved_minor = matches!(inc.status(), Status::Resolved { .. }) && !inc.is_major();
        prop_assert_eq!(
            due.is_some(),
            resolved_minor && policy.auto_close_after.is_some()
        );
    }
    Ok((after, events))
}

fn run_case(
    policy: &Policy,
    steps: &[Step],
    start: DateTime<Utc>,
    seen: &mut Seen,
) -> Result<(), TestCaseError> {
    let actors = actors();
    let mut state = State::new();
    let mut stored = State::new();
    let mut now = start;
    let mut log = Vec::new();
    for step in steps {
        // At the ends of chrono's range the clock stays put rather than leave it.
        now = now
            .checked_add_signed(Duration::seconds(step.delta))
            .unwrap_or(now);
        let actor = &actors[step.actor];
        let (after, events) =
            check_step(policy, &state, &mut stored, &step.command, actor, now, seen)?;
        state = after;
        log.extend(events);
    }
    // The converter `itsm-metrics` measures (`timeline`) places every fact that changes
    // the incident's phase: after the whole story, the timeline's phase is the incident's
    // own category, and its priority the incident's.
    if let (Some(incident), Some(last)) = (state.incident(), log.last()) {
        let t = itsm_incident::timeline(&log);
        prop_assert!(t.is_ok(), "timeline refused the log: {:?}", t.err());
        let t = t.map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(
            t.category_at(last.at()),
            Some(incident.status().kind().category()),
            "marks {:?}",
            t.marks()
        );
        prop_assert_eq!(t.spec().priority, Some(incident.priority().0));
        prop_assert_eq!(t.id(), incident.id().to_string());
    }
    Ok(())
}

#[test]
fn random_sequences_keep_every_invariant() {
    let config = Config {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        source_file: Some(file!()),
        test_name: Some("random_sequences_keep_every_invariant"),
        rng_seed: RngSeed::Fixed(0x1_7c1d_e475),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let seen = RefCell::new(Seen::new());
    let result = runner.run(&case(), |(policy, steps)| {
        run_case(&policy, &steps, t0(), &mut seen.borrow_mut())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The generator is good enough to walk every transition of the table: a weaker one
    // would make the invariants above pass vacuously.
    let seen = seen.into_inner();
    let missing: Vec<_> = TRANSITIONS.iter().filter(|t| !seen.contains(t)).collect();
    assert!(missing.is_empty(), "never exercised: {missing:?}");
}

/// The same stories within ten days of either end of chrono's range (issue 20): an auto-close
/// or reopen deadline that cannot be represented is refused at `decide` (the invariants above
/// allow that error and require a deadline whenever one is due), never a panic or a silent
/// `None`.
#[test]
fn random_sequences_at_the_ends_of_time_keep_every_invariant() {
    let config = Config {
        cases: 128,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0xe_d0f_71e),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let start = prop_oneof![
        (0..10 * 86_400i64).prop_map(|s| DateTime::<Utc>::MAX_UTC - Duration::seconds(s)),
        (0..10 * 86_400i64).prop_map(|s| DateTime::<Utc>::MIN_UTC + Duration::seconds(s)),
    ];
    let seen = RefCell::new(Seen::new());
    let result = runner.run(&(case(), start), |((policy, steps), start)| {
        run_case(&policy, &steps, start, &mut seen.borrow_mut())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    // Stories got past their first step: the invariants ran on live incidents.
    assert!(seen.len() > 10, "only {} transitions exercised", seen.len());
}
