//! The fuzz harnesses of the incident lifecycle, as plain functions of bytes.
//!
//! The libFuzzer targets in `fuzz/fuzz_targets/` call these functions, and so does the stable
//! test `crates/itsm-incident/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/<target>/`: a corpus found by fuzzing keeps guarding the code in `cargo test`.
//!
//! Only std, serde_json, chrono and the itsm crates are used; bytes are decoded by hand into
//! small domains (a few ids, actors, reasons and time steps), so short inputs reach deep
//! sequences and the same bytes always mean the same thing.
//!
//! A function returns normally when the input is uninteresting or all is well, and panics
//! (through `assert!`) when an invariant breaks.
//!
//! How [`commands`] reads its bytes (each choice is a byte modulo the number of options; a
//! missing byte reads as 0), for writing seeds by hand:
//! - byte 0: the policy variant (bits 0-1 matrix, 2 reopen window, 3-4 auto-close days,
//!   5 auto-close from last update, 6 reassignment counting, 7 resolution code list);
//! - then per step: the actor (caller, agent, agent + major incident manager, system,
//!   integration, guest), the time step (0 s, 1 s, 1 min, 1 h, 1 day, 1 day + 1 s, 7 days,
//!   30 days, one hour back, at the deadline, one second before it), the command (in
//!   [`CommandKind::ALL`] order), then the command's own choices.

use chrono::{DateTime, Duration, Utc};
use itsm_core::{Actor, Role, UserId};
use itsm_core::{ConfigItemId, GroupId, ServiceId};
use itsm_core::{Impact, Urgency};
use itsm_incident::{
    Assignment, ChangeId, Channel, Escalation, EscalationKind, HoldReason, IncidentId, Link, Links,
    ProblemId, Report, Resolution, Snapshot, Status, StatusKind,
};
use itsm_incident::{
    AutoCloseFrom, Command, CommandKind, Condition, Context, Error, Event, MajorState,
    MajorTrigger, Policy, ReassignmentCounting, State, TRANSITIONS, TriggerAction, decide, evolve,
    is_allowed, lifecycle, next_deadline, sync_children,
};
use itsm_incident::{FollowUpField, follow_up};

/// 2026-03-02T09:00:00Z, where every run starts.
const T0: i64 = 1_772_442_000;

/// At most this many commands per input, so each execution stays fast.
const MAX_STEPS: usize = 64;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(T0, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

fn role(name: &str) -> Vec<Role> {
    Role::new(name).into_iter().collect()
}

/// The cast: the roles of the ServiceNow policy, a combination, and someone with no rights.
fn actors() -> Vec<Actor> {
    let both: Vec<Role> = ["agent", "major_incident_manager"]
        .into_iter()
        .flat_map(role)
        .collect();
    vec![
        Actor::new(UserId::from_u128(9), role("caller")),
        Actor::new(UserId::from_u128(2), role("agent")),
        Actor::new(UserId::from_u128(3), both),
        Actor::new(UserId::from_u128(4), role("system")),
        Actor::new(UserId::from_u128(5), role("integration")),
        Actor::new(UserId::from_u128(6), role("guest")),
    ]
}

/// The ServiceNow policy, with a few options changed by the first byte: two times in four
/// ServiceNow's (once with major-incident trigger rules), else iTop's or GLPI's matrix and
/// workflow (with their vendor transitions' permissions).
fn policy_from(byte: u8) -> Policy {
    let mut policy = Policy::servicenow();
    match byte % 4 {
        0 => {}
        // ServiceNow's, with major-incident trigger rules: a P1 is proposed, an incident
        // with children promoted.
        1 => {
            let p1 = MajorTrigger::new("p1", Condition::PriorityIn(vec![1]));
            let mut children = MajorTrigger::new("children", Condition::Always);
            children.children_more_than = Some(0);
            children.action = TriggerAction::Promote;
            policy.major_triggers = vec![p1, children];
        }
        2 => {
            let itop = Policy::itop();
            policy.matrix = itop.matrix;
            policy.workflow = itop.workflow;
            policy.permissions = itop.permissions;
        }
        _ => {
            let glpi = Policy::glpi();
            policy.matrix = glpi.matrix;
            policy.workflow = glpi.workflow;
            policy.permissions = glpi.permissions;
        }
    }
    policy.reopen_window = (byte & 0x04 != 0).then(|| Duration::days(1));
    policy.auto_close_after = match (byte >> 3) & 0x03 {
        0 => Some(Duration::days(7)),
        1 => None,
        2 => Some(Duration::days(1)),
        // The longest duration there is: the deadline overflows chrono's range.
        _ => Some(Duration::MAX),
    };
    policy.auto_close_from = if byte & 0x20 != 0 {
        AutoCloseFrom::LastUpdate
    } else {
        AutoCloseFrom::Resolution
    };
    policy.reassignment_counting = if byte & 0x40 != 0 {
        ReassignmentCounting::GroupOrPersonChange
    } else {
        ReassignmentCounting::GroupChange
    };
    if byte & 0x80 != 0 {
        policy.resolution_codes = vec!["solved".to_owned(), "workaround".to_owned()];
    }
    policy
}

fn hold_reason(b: &mut Bytes<'_>) -> HoldReason {
    match b.pick(7) {
        0 => HoldReason::AwaitingCaller,
        1 => HoldReason::AwaitingChange,
        2 => HoldReason::AwaitingProblem,
        3 => HoldReason::AwaitingVendor,
        4 => HoldReason::AwaitingEvidence,
        5 => HoldReason::Custom("awaiting_parts".to_owned()),
        _ => HoldReason::Custom(String::new()),
    }
}

fn comment(b: &mut Bytes<'_>) -> Option<String> {
    match b.pick(3) {
        0 => None,
        1 => Some(String::new()),
        _ => Some("noted".to_owned()),
    }
}

fn incident_id(b: &mut Bytes<'_>) -> IncidentId {
    IncidentId::from_u128(1 + b.pick(4) as u128)
}

/// Impact and urgency from 0 to 6: on and off every preset's scales.
fn level(b: &mut Bytes<'_>) -> u8 {
    b.byte() % 7
}

fn report(b: &mut Bytes<'_>) -> Report {
    Report {
        id: incident_id(b),
        caller: UserId::from_u128(9),
        channel: b.choose(
            &[
                Channel::Phone,
                Channel::SelfService,
                Channel::Other("pager".to_owned()),
            ],
            Channel::Phone,
        ),
        category: match b.pick(3) {
            0 => None,
            1 => Some(String::new()),
            _ => Some("network".to_owned()),
        },
        configuration_item: b.flag().then(|| ConfigItemId::from_u128(1)),
        service: b.flag().then(|| ServiceId::from_u128(1)),
        impact: Impact(level(b)),
        urgency: Urgency(level(b)),
        description: b.text(&["", "printer offline"]),
    }
}

fn status(b: &mut Bytes<'_>, at: DateTime<Utc>) -> Status {
    match b.pick(6) {
        0 => Status::New,
        1 => Status::InProgress,
        2 => Status::OnHold {
            reason: hold_reason(b),
            since: at,
        },
        3 => Status::Resolved {
            resolution: std::sync::Arc::new(Resolution {
                code: b.text(&["", "solved"]),
                notes: b.text(&["", "done"]),
            }),
            at,
        },
        4 => Status::Closed {
            resolution: std::sync::Arc::new(Resolution {
                code: "solved".into(),
                notes: b.text(&["", "done"]),
            }),
            at,
            auto: b.flag(),
        },
        _ => Status::Canceled {
            reason: b.text(&["", "duplicate"]),
            at,
        },
    }
}

fn snapshot(b: &mut Bytes<'_>, now: DateTime<Utc>) -> Snapshot {
    let report = report(b);
    let id = report.id;
    // Dates in the snapshot may lie before or after `now`.
    let at = now
        .checked_add_signed(Duration::hours(i64::from(b.byte() % 5) - 2))
        .unwrap_or(now);
    Snapshot {
        report,
        status: status(b, at),
        assignment: b.flag().then(|| Assignment {
            group: GroupId::from_u128(1),
            person: None,
        }),
        reassignment_count: b.choose(&[0, 1, u32::MAX], 0),
        reopen_count: b.choose(&[0, 2, u32::MAX], 0),
        escalation: Escalation {
            functional: b.choose(&[0, 1, 3, u8::MAX], 0),
            hierarchical: b.choose(&[0, 2, u8::MAX], 0),
        },
        major: b.flag(),
        links: links(b, id),
        opened_at: at,
    }
}

/// Links as another tool might export them: none, some, out of order, repeated, or pointing
/// at the incident itself.
fn links(b: &mut Bytes<'_>, own: IncidentId) -> Links {
    let id = IncidentId::from_u128;
    let mut links = Links::default();
    match b.pick(6) {
        0 => {}
        1 => {
            links.parent = Some(id(4));
            links.children = vec![id(2), id(3)];
            links.problems = vec![ProblemId::from_u128(1)];
        }
        2 => links.parent = Some(own),
        3 => links.children = vec![id(3), own],
        4 => {
            links.children = vec![id(3), id(2)];
            links.changes = vec![ChangeId::from_u128(2), ChangeId::from_u128(1)];
        }
        _ => links.problems = vec![ProblemId::from_u128(1), ProblemId::from_u128(1)],
    }
    links
}

/// Whether a list is sorted without repeats, as [`Links`] promises.
fn strictly_sorted<T: Ord>(list: &[T]) -> bool {
    list.windows(2).all(|w| matches!(w, [a, b] if a < b))
}

fn command(b: &mut Bytes<'_>, now: DateTime<Utc>) -> Command {
    match b.pick(23) {
        0 => Command::Report(Box::new(report(b))),
        1 => Command::Import(Box::new(snapshot(b, now))),
        2 => Command::Assign {
            group: GroupId::from_u128(1 + b.pick(3) as u128),
            person: match b.pick(3) {
                0 => None,
                n => Some(UserId::from_u128(n as u128)),
            },
        },
        3 => Command::StartWork,
        4 => Command::PutOnHold {
            reason: hold_reason(b),
            comment: comment(b),
        },
        5 => Command::CallerResponded {
            comment: comment(b),
        },
        6 => Command::Resume,
        7 => Command::Reprioritize {
            impact: Impact(level(b)),
            urgency: Urgency(level(b)),
        },
        8 => Command::Escalate {
            kind: if b.flag() {
                EscalationKind::Hierarchical
            } else {
                EscalationKind::Functional
            },
            level: b.byte() % 5,
        },
        9 => Command::DeclareMajor {
            reason: b.text(&["", "outage"]),
        },
        10 => Command::StandDownMajor {
            reason: b.text(&["", "contained"]),
        },
        11 => {
            let id = incident_id(b);
            Command::Link {
                link: match b.pick(5) {
                    0 => Link::Problem(ProblemId::from_u128(id.0.as_u128())),
                    1 => Link::Change(ChangeId::from_u128(id.0.as_u128())),
                    2 => Link::Parent(id),
                    3 => Link::FollowUpOf(id),
                    _ => Link::Child(id),
                },
            }
        }
        12 => Command::Resolve {
            code: b.text(&["solved", "", "workaround", "other"]),
            notes: b.text(&["fixed", ""]),
        },
        13 => Command::Reopen {
            reason: b.text(&["again", ""]),
        },
        14 => Command::Close { resolution: None },
        15 => Command::Cancel {
            reason: b.text(&["duplicate", ""]),
        },
        16 => Command::Unassign,
        17 => Command::Transition {
            name: b.text(&["timeout", "plan", "unplan", "report", ""]),
        },
        18 => Command::ProposeMajor {
            reason: b.text(&["", "outage"]),
            business_impact: b.text(&["", "payments"]),
        },
        19 => Command::AcceptMajor {
            notes: b.text(&["", "bridge"]),
        },
        20 => Command::RejectMajor {
            reason: b.text(&["", "local"]),
        },
        _ => Command::Tick,
    }
}

/// The next time: steps forwards of various sizes, sometimes backwards, and exactly at or
/// just before the pending deadline so that auto-close is hit.
fn next_time(
    b: &mut Bytes<'_>,
    now: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let seconds: i64 = match b.pick(11) {
        0 => 0,
        1 => 1,
        2 => 60,
        3 => 3_600,
        4 => 86_400,
        5 => 86_400 + 1,
        6 => 7 * 86_400,
        7 => 30 * 86_400,
        8 => -3_600,
        9 => return deadline.unwrap_or(now),
        _ => {
            return deadline
                .and_then(|d| d.checked_sub_signed(Duration::seconds(1)))
                .unwrap_or(now);
        }
    };
    now.checked_add_signed(Duration::seconds(seconds))
        .unwrap_or(now)
}

fn replay(log: &[Event]) -> State {
    log.iter().fold(State::new(), evolve)
}

fn json_round_trip<T>(value: &T) -> Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).ok()?;
    serde_json::from_str(&text).ok()
}

/// The counters that only ever go up, and the last update.
fn counters(state: &State) -> Option<(u32, u32, u8, u8, DateTime<Utc>)> {
    let i = state.incident()?;
    Some((
        i.reassignment_count(),
        i.reopen_count(),
        i.escalation().functional,
        i.escalation().hierarchical,
        i.updated_at(),
    ))
}

/// Runs one command through `decide` and `evolve` and checks every invariant of a step.
/// Returns the events it produced (empty when refused or a no-op).
fn step(
    state: &mut State,
    log: &mut Vec<Event>,
    command: &Command,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Vec<Event> {
    let ctx = Context::new(now, actor, policy);
    let result = decide(state, command, &ctx);
    // Deterministic: the same inputs give the same answer.
    assert_eq!(
        result,
        decide(state, command, &ctx),
        "decide is not deterministic"
    );
    let kind = command.kind();
    let before = state.kind();
    let before_name = state
        .incident()
        .map_or(StatusKind::Unreported.name(), |i| i.state_name())
        .to_owned();
    let servicenow = policy.workflow == itsm_incident::Workflow::servicenow();
    let deadline = next_deadline(state, policy);
    if before.is_terminal() {
        // Terminal states accept nothing but a tick, and a tick there does nothing.
        let fine = match (&result, kind) {
            (Ok(events), CommandKind::Tick) => events.is_empty(),
            (Err(Error::ClockWentBackwards { .. }), _) => true,
            (Err(Error::NotAllowed { state: s, .. }), _) => *s == before_name,
            _ => false,
        };
        assert!(
            fine,
            "`{kind}` in terminal state `{before}` gave {result:?}"
        );
    }
    let events =
        match result {
            Ok(events) => events,
            Err(error) => {
                // Every refusal explains itself.
                assert!(!error.to_string().is_empty());
                let command_name = command.name();
                if let Error::NotAllowed {
                    state: s,
                    command,
                    allowed,
                } = &error
                {
                    let name = command.as_str();
                    assert_eq!((s.as_str(), name), (before_name.as_str(), command_name));
                    if before == StatusKind::Unreported {
                        assert!(!is_allowed(before, kind));
                    } else {
                        assert_eq!(policy.workflow.target(&before_name, name), None);
                        assert!(
                            allowed.iter().all(|c| c == "tick"
                                || policy.workflow.target(&before_name, c).is_some())
                        );
                    }
                    if servicenow {
                        assert!(!is_allowed(before, kind));
                        assert!(
                            allowed
                                .iter()
                                .all(|c| c.parse().is_ok_and(|c| is_allowed(before, c)))
                        );
                    }
                }
                return Vec::new();
            }
        };
    if servicenow {
        assert!(is_allowed(before, kind), "`{kind}` accepted in `{before}`");
    }
    let triggered = events.iter().any(|e| match e {
        Event::MajorProposed { trigger, .. } => trigger.is_some(),
        Event::MajorDeclared { reason, .. } => reason.starts_with("trigger rule"),
        _ => false,
    });
    assert!(!triggered || !policy.major_triggers.is_empty());
    assert!(
        events.len() <= 2 + usize::from(triggered),
        "one command, at most two events (a vendor state's `entered`) and a trigger rule's: {events:?}"
    );
    if kind == CommandKind::Tick {
        // Due at the deadline, and not before the incident's last event: a tick from a
        // clock behind the record (a late host's timer) changes nothing.
        let behind = state.incident().is_some_and(|i| now < i.updated_at());
        let due = deadline.is_some_and(|d| now >= d) && !behind;
        assert_eq!(
            !events.is_empty(),
            due,
            "tick at {now}, deadline {deadline:?}"
        );
    }
    let old = counters(state);
    for event in &events {
        assert_eq!(event.at(), now);
        assert_eq!(event.by(), actor.user);
        assert_eq!(
            json_round_trip(event).as_ref(),
            Some(event),
            "event JSON round trip"
        );
        *state = evolve(std::mem::replace(state, State::new()), event);
        log.push(event.clone());
    }
    let after = state.kind();
    if let Some(incident) = state.incident() {
        // The incident is always in a state of the workflow, of the state's own kind.
        assert_eq!(
            policy.workflow.kind_of(incident.state_name()),
            Some(after),
            "`{}` is not a `{after}` state of the workflow",
            incident.state_name()
        );
    }
    if !events.is_empty() {
        // Every change of state is in the transition table (or creates the incident).
        let after_name = state.incident().map(|i| i.state_name().to_owned());
        match before {
            StatusKind::Unreported => {
                assert!(matches!(kind, CommandKind::Report | CommandKind::Import));
                if kind == CommandKind::Report {
                    assert_eq!(after, StatusKind::New);
                    assert_eq!(after_name.as_deref(), Some(policy.workflow.initial()));
                }
            }
            _ if kind == CommandKind::Tick => assert_eq!(after, StatusKind::Closed),
            _ => {
                assert_eq!(
                    policy.workflow.target(&before_name, command.name()),
                    after_name.as_deref(),
                    "`{before_name}` --{}--> `{after_name:?}` is not in the workflow",
                    command.name()
                );
                if servicenow {
                    assert!(
                        TRANSITIONS.contains(&(before, kind, after)),
                        "`{before}` --{kind}--> `{after}` is not in the table"
                    );
                }
            }
        }
        assert_eq!(state.incident().map(|i| i.updated_at()), Some(now));
    } else {
        assert_eq!(before, after);
    }
    // Counters never go down.
    if let (Some(old), Some(new)) = (old, counters(state)) {
        assert!(
            new.0 >= old.0 && new.1 >= old.1,
            "a count went down: {old:?} -> {new:?}"
        );
        assert!(
            new.2 >= old.2 && new.3 >= old.3,
            "escalation went down: {old:?} -> {new:?}"
        );
        assert!(new.4 >= old.4, "updated_at went back: {old:?} -> {new:?}");
    }
    // The major incident state agrees with the flag, and after a change no trigger rule
    // matches an incident it applies to (it would have acted).
    if let Some(incident) = state.incident() {
        assert_eq!(
            incident.is_major(),
            incident.major_state() == MajorState::Accepted
        );
        let applies = matches!(
            incident.status().kind(),
            StatusKind::New | StatusKind::InProgress | StatusKind::OnHold
        ) && incident.links().parent.is_none()
            && !matches!(
                incident.major_state(),
                MajorState::Proposed | MajorState::Accepted
            );
        // (Not after the rejection or demotion the rules would undo.)
        let undone = events.iter().any(|e| {
            matches!(
                e,
                Event::MajorRejected { .. } | Event::MajorStoodDown { .. }
            )
        });
        if !events.is_empty() && kind != CommandKind::Tick && applies && !undone {
            let view = incident.view();
            let children = incident.links().children.len();
            assert!(
                !policy
                    .major_triggers
                    .iter()
                    .any(|rule| rule.matches(&view, children, now)),
                "a trigger rule matches and did not act: {view:?}"
            );
        }
    }
    // Link lists stay sorted and without repeats, and never point at the incident itself.
    if let Some(incident) = state.incident() {
        let links = incident.links();
        assert!(
            strictly_sorted(&links.problems)
                && strictly_sorted(&links.changes)
                && strictly_sorted(&links.children),
            "link lists out of order or repeated: {links:?}"
        );
        assert!(
            links.parent != Some(incident.id()) && !links.children.contains(&incident.id()),
            "the incident links to itself: {links:?}"
        );
    }
    // Replaying the log gives the same state.
    assert_eq!(&replay(log), state, "replay differs from the state");
    if !events.is_empty() {
        assert_eq!(
            json_round_trip(state).as_ref(),
            Some(&*state),
            "state JSON round trip"
        );
    }
    // A deadline exists only for a resolved incident.
    if next_deadline(state, policy).is_some() {
        assert_eq!(after, StatusKind::Resolved);
    }
    events
}

/// Checks that what `sync_children` asks of each child is allowed in the child's state.
fn check_sync(event: &Event, policy: &Policy, children: &[State]) {
    for child in children {
        for (id, command) in sync_children(event, policy, std::slice::from_ref(child)) {
            assert_eq!(Some(id), child.incident().map(|i| i.id()));
            let here = child.incident().map_or("", |i| i.state_name());
            assert!(
                policy.workflow.target(here, command.name()).is_some(),
                "sync_children asks `{}` of a child in `{here}`",
                command.name(),
            );
        }
    }
}

/// Bytes -> a policy variant, then a sequence of (actor, time step, command), each applied
/// through `decide` and `evolve` with every invariant checked after every step.
pub fn commands(data: &[u8]) {
    let mut b = Bytes::new(data);
    let policy = policy_from(b.byte());
    let cast = actors();
    let mut state = State::new();
    let mut log: Vec<Event> = Vec::new();
    let mut seen: Vec<State> = Vec::new();
    let mut now = t0();
    let mut steps = 0;
    while !b.is_empty() && steps < MAX_STEPS {
        steps += 1;
        let actor = b.choose(&cast, Actor::new(UserId::from_u128(0), []));
        now = next_time(&mut b, now, next_deadline(&state, &policy));
        let command = command(&mut b, now);
        let events = step(&mut state, &mut log, &command, &actor, now, &policy);
        for event in &events {
            check_sync(event, &policy, &seen);
        }
        if !events.is_empty() && seen.len() < 8 {
            seen.push(state.clone());
        }
    }
    // The observed states form a path through the lifecycle (an import may start anywhere).
    if matches!(log.first(), Some(Event::Reported { .. })) {
        let mut observed = Vec::new();
        let mut s = State::new();
        for event in &log {
            s = evolve(s, event);
            observed.push(s.kind().name());
        }
        let report = lifecycle().conformance(observed);
        assert!(report.starts_initial);
        assert_eq!(report.rejected, 0, "{:?}", report.steps);
    }
    check_follow_up(&state, &policy, now);
    // Any log `decide` wrote converts to a timeline (what itsm-metrics measures), under the
    // incident's id, ending in the state's category.
    if let (Some(incident), Some(last)) = (state.incident(), log.last()) {
        let timeline = itsm_incident::timeline(&log);
        assert!(
            timeline.is_ok(),
            "no timeline of a decided log: {timeline:?}"
        );
        let Ok(timeline) = timeline else {
            return;
        };
        assert_eq!(timeline.id(), incident.id().to_string());
        assert_eq!(
            timeline.category_at(last.at()),
            Some(state.kind().category()),
            "the timeline ends elsewhere than the incident: {:?}",
            timeline.marks()
        );
    }
}

/// A follow-up is planned for a closed incident only; where its plan runs, the new incident
/// follows up the closed one and holds the fields the policy copies.
fn check_follow_up(state: &State, policy: &Policy, now: DateTime<Utc>) {
    let request = Report::new(
        IncidentId::from_u128(0xF0),
        UserId::from_u128(9),
        Impact(3),
        Urgency(3),
        "it is back",
    );
    let plan = follow_up(state, request, policy);
    let Some(closed) = state.incident() else {
        assert!(matches!(plan, Err(Error::FollowUpOfUnreported)), "{plan:?}");
        return;
    };
    if closed.status().kind() == StatusKind::Canceled {
        assert!(
            matches!(plan, Err(Error::FollowUpOfCanceled { .. })),
            "{plan:?}"
        );
        return;
    }
    if closed.status().kind() != StatusKind::Closed {
        assert!(
            matches!(plan, Err(Error::FollowUpOfOpen { .. })),
            "{plan:?}"
        );
        return;
    }
    if closed.id() == IncidentId::from_u128(0xF0) {
        assert!(
            matches!(plan, Err(Error::FollowUpSameId { .. })),
            "{plan:?}"
        );
        return;
    }
    assert!(plan.is_ok(), "no follow-up of a closed incident: {plan:?}");
    let Ok(plan) = plan else {
        return;
    };
    let actor = everyone(policy);
    let ctx = Context::new(now, &actor, policy);
    // Every policy variant here (ServiceNow's, iTop's and GLPI's workflows) accepts the
    // whole plan: it only plans what the workflow has.
    let run = plan.run(&ctx, &ctx);
    assert!(run.is_ok(), "the follow-up's plan was refused: {run:?}");
    let Ok((new, events)) = run else {
        return;
    };
    assert_eq!(
        replay(&events),
        new,
        "the follow-up's events replay to its state"
    );
    assert_ne!(
        new.kind(),
        StatusKind::Unreported,
        "a run follow-up is reported"
    );
    let Some(follow) = new.incident() else {
        return;
    };
    assert_eq!(follow.links().follow_up_of, Some(closed.id()));
    if policy.follow_up.copies(FollowUpField::Impact) {
        assert_eq!(follow.impact(), closed.impact());
    }
    if policy.follow_up.copies(FollowUpField::Problems) {
        assert_eq!(follow.links().problems, closed.links().problems);
    }
    if policy.follow_up.copies(FollowUpField::AssignmentGroup) {
        assert_eq!(
            follow.assignment().map(|a| a.group),
            closed.assignment().map(|a| a.group)
        );
    }
}

/// An actor holding every role the policy names.
fn everyone(policy: &Policy) -> Actor {
    let mut roles: Vec<Role> = policy
        .permissions
        .actions()
        .flat_map(|a| policy.permissions.roles_for(a).cloned().collect::<Vec<_>>())
        .collect();
    roles.extend(policy.support_roles.iter().cloned());
    Actor::new(UserId::from_u128(1), roles)
}

/// Bytes -> JSON -> a policy. A policy that loads must survive a JSON round trip, explain
/// every pair of its matrix's levels, and run a fixed scenario without breaking an invariant.
pub fn policy_json(data: &[u8]) {
    let Ok(policy) = serde_json::from_slice::<Policy>(data) else {
        return;
    };
    assert_eq!(
        json_round_trip(&policy).as_ref(),
        Some(&policy),
        "policy JSON round trip"
    );
    let spec = policy.matrix.spec();
    for impact in &spec.impact.levels {
        for urgency in &spec.urgency.levels {
            let why = policy
                .matrix
                .explain(Impact(impact.value), Urgency(urgency.value));
            assert!(
                why.is_ok(),
                "a loaded matrix cannot explain a pair: {why:?}"
            );
            if let Ok(why) = why {
                assert!(spec.priority.levels.contains(&why.priority));
            }
        }
    }
    let (Some(impact), Some(urgency)) = (spec.impact.levels.first(), spec.urgency.levels.first())
    else {
        return;
    };
    let actor = everyone(&policy);
    let code = policy
        .resolution_codes
        .first()
        .cloned()
        .unwrap_or_else(|| "solved".to_owned());
    let mut script = vec![
        Command::Report(Box::new(Report {
            id: IncidentId::from_u128(1),
            caller: UserId::from_u128(9),
            channel: Channel::Phone,
            category: Some("network".to_owned()),
            configuration_item: None,
            service: None,
            impact: Impact(impact.value),
            urgency: Urgency(urgency.value),
            description: "printer offline".to_owned(),
        })),
        Command::Assign {
            group: GroupId::from_u128(1),
            person: Some(UserId::from_u128(2)),
        },
        Command::StartWork,
    ];
    if let Some(rule) = policy.hold_reasons.first() {
        script.push(Command::PutOnHold {
            reason: rule.reason.clone(),
            comment: Some("waiting".to_owned()),
        });
        script.push(Command::CallerResponded { comment: None });
        script.push(Command::Resume);
    }
    script.extend([
        Command::Escalate {
            kind: EscalationKind::Functional,
            level: 1,
        },
        Command::Resolve {
            code: code.clone(),
            notes: "fixed".to_owned(),
        },
        Command::Reopen {
            reason: "again".to_owned(),
        },
        Command::Resolve {
            code,
            notes: "fixed".to_owned(),
        },
        Command::Tick,
    ]);
    let mut state = State::new();
    let mut log = Vec::new();
    let mut now = t0();
    for command in &script {
        now = now.checked_add_signed(Duration::minutes(5)).unwrap_or(now);
        step(&mut state, &mut log, command, &actor, now, &policy);
    }
    // Wake up when the policy says, as a host would.
    if let Some(due) = next_deadline(&state, &policy) {
        if due >= now {
            let events = step(&mut state, &mut log, &Command::Tick, &actor, due, &policy);
            assert_eq!(events.len(), 1, "the tick at the deadline closes");
            assert_eq!(state.kind(), StatusKind::Closed);
        }
    }
}

/// The object written with the tag first (the direct path of `Deserialize`) and with the tag
/// last (serde's derived, buffering path): both must load the same value, or both fail.
fn same_in_both_orders<T>(object: &serde_json::Map<String, serde_json::Value>, tag: &str)
where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let Some(tag_value) = object.get(tag) else {
        return;
    };
    let entry = |key: &str, value: &serde_json::Value| {
        serde_json::to_string(key)
            .ok()
            .map(|key| format!("{key}:{value}"))
    };
    let rest: Option<Vec<String>> = object
        .iter()
        .filter(|(key, _)| *key != tag)
        .map(|(key, value)| entry(key, value))
        .collect();
    let (Some(rest), Some(tag_entry)) = (rest, entry(tag, tag_value)) else {
        return;
    };
    let mut first = vec![tag_entry.clone()];
    first.extend(rest.iter().cloned());
    let mut last = rest;
    last.push(tag_entry);
    let (first, last) = (
        format!("{{{}}}", first.join(",")),
        format!("{{{}}}", last.join(",")),
    );
    let (a, b) = (
        serde_json::from_str::<T>(&first).ok(),
        serde_json::from_str::<T>(&last).ok(),
    );
    assert_eq!(a, b, "tag first: {first}\ntag last: {last}");
}

/// Bytes -> JSON -> a command, an event or a state. Whatever loads must survive a JSON round
/// trip, and an event must fold into a state (that round trips too). A JSON object loads as
/// the same command or event (or fails as one) whether its tag comes first or last.
pub fn command_json(data: &[u8]) {
    if let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(data) {
        same_in_both_orders::<Command>(&object, "command");
        same_in_both_orders::<Event>(&object, "type");
    }
    if let Ok(command) = serde_json::from_slice::<Command>(data) {
        assert_eq!(
            json_round_trip(&command).as_ref(),
            Some(&command),
            "command round trip"
        );
        assert!(!command.kind().name().is_empty());
    }
    if let Ok(event) = serde_json::from_slice::<Event>(data) {
        assert_eq!(
            json_round_trip(&event).as_ref(),
            Some(&event),
            "event round trip"
        );
        for start in [State::new(), replay(std::slice::from_ref(&event))] {
            let state = evolve(start, &event);
            assert_eq!(
                json_round_trip(&state).as_ref(),
                Some(&state),
                "state round trip"
            );
        }
    }
    if let Ok(state) = serde_json::from_slice::<State>(data) {
        assert_eq!(
            json_round_trip(&state).as_ref(),
            Some(&state),
            "state round trip"
        );
    }
    if let Ok(log) = serde_json::from_slice::<Vec<Event>>(data) {
        let state = replay(&log);
        assert_eq!(
            json_round_trip(&state).as_ref(),
            Some(&state),
            "state round trip"
        );
    }
}

/// Bytes (read as text, invalid UTF-8 replaced) -> `Event::from_json`, against
/// `serde_json::from_str::<Event>`: the same event where `serde_json` accepts the text, an
/// error where it refuses it. An error places itself inside the text and says what was
/// wrong and what was expected; an accepted event, written again by `Serialize`, decodes to
/// itself.
pub fn event_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let ours = Event::from_json(&text);
    let theirs = serde_json::from_str::<Event>(&text);
    assert_eq!(
        ours.as_ref().ok(),
        theirs.as_ref().ok(),
        "Event::from_json and serde_json disagree on {text:?}: {ours:?}, {theirs:?}"
    );
    match ours {
        Ok(event) => {
            let written = serde_json::to_string(&event);
            assert!(
                written.is_ok(),
                "an event that does not serialize: {event:?}"
            );
            let again = written.map(|written| Event::from_json(&written));
            assert_eq!(
                again.ok().and_then(Result::ok),
                Some(event),
                "event round trip"
            );
        }
        Err(error) => {
            assert!(
                error.offset <= text.len(),
                "{error:?} past the end of {text:?}"
            );
            assert!(
                !error.problem.is_empty() && !error.expected.is_empty(),
                "{error:?}"
            );
        }
    }
}
