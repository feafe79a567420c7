//! Shared helpers for the behavioural tests: actors, fixed times, event builders and the
//! given/when/then `check`.
#![allow(dead_code)] // each test file uses a different part of this module
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_core::GroupId;
use itsm_core::{Actor, Role, UserId};
use itsm_core::{Impact, Priority, PriorityMatrix, Urgency};
use itsm_incident::{
    Channel, Escalation, HoldReason, IncidentId, Links, Report, Resolution, Snapshot, State, Status,
};
use itsm_incident::{Command, Context, Error, Event, Policy, decide, evolve};

/// The incident most tests talk about.
pub const ID: IncidentId = IncidentId::from_u128(0x1_0001);
/// Other incidents (parents, children, link targets).
pub const OTHER: IncidentId = IncidentId::from_u128(0x1_0002);
pub const THIRD: IncidentId = IncidentId::from_u128(0x1_0003);

/// Assignment groups and people.
pub const SERVICE_DESK: GroupId = GroupId::from_u128(0x2_0001);
pub const NETWORK: GroupId = GroupId::from_u128(0x2_0002);
pub const ALICE: UserId = UserId::from_u128(0x3_0001);
pub const BOB: UserId = UserId::from_u128(0x3_0002);

fn role(name: &str) -> Role {
    Role::new(name).unwrap()
}

fn with_roles(user: u128, roles: &[&str]) -> Actor {
    Actor::new(UserId::from_u128(user), roles.iter().map(|r| role(r)))
}

/// The affected user, through self-service.
pub fn caller() -> Actor {
    with_roles(1, &["caller"])
}
/// A service desk agent.
pub fn agent() -> Actor {
    with_roles(2, &["agent"])
}
/// Automation (the host's own account, also used for parent/child sync).
pub fn system() -> Actor {
    with_roles(3, &["system"])
}
/// A major incident manager (only that role).
pub fn mim() -> Actor {
    with_roles(4, &["major_incident_manager"])
}
/// An importer from another tool.
pub fn integration() -> Actor {
    with_roles(5, &["integration"])
}
/// Someone with no role at all.
pub fn nobody() -> Actor {
    Actor::new(UserId::from_u128(6), [])
}
/// Someone holding every role of the ServiceNow preset.
pub fn superuser() -> Actor {
    with_roles(
        7,
        &[
            "caller",
            "agent",
            "system",
            "major_incident_manager",
            "integration",
        ],
    )
}

/// Monday 2 March 2026, 09:00 UTC: the start of every story.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}
/// `hours` after [`t0`].
pub fn t(hours: i64) -> DateTime<Utc> {
    t0() + Duration::hours(hours)
}
/// `days` after [`t0`].
pub fn day(days: i64) -> DateTime<Utc> {
    t0() + Duration::days(days)
}

/// A report with ServiceNow levels.
pub fn report_of(id: IncidentId, impact: u8, urgency: u8) -> Report {
    Report {
        id,
        caller: caller().user,
        channel: Channel::SelfService,
        category: Some("network".into()),
        configuration_item: None,
        service: None,
        impact: Impact(impact),
        urgency: Urgency(urgency),
        description: "VPN drops every ten minutes".into(),
    }
}

/// A shared resolution of `code` and `notes`.
pub fn resolution(code: &str, notes: &str) -> Arc<Resolution> {
    Arc::new(Resolution {
        code: code.to_owned(),
        notes: notes.to_owned(),
    })
}

/// The standard report: incident [`ID`], impact 2, urgency 2 (priority 3 Moderate).
pub fn report() -> Report {
    report_of(ID, 2, 2)
}

/// A snapshot of the standard report in `status`.
pub fn snapshot(status: Status) -> Snapshot {
    Snapshot {
        report: report(),
        status,
        assignment: None,
        reassignment_count: 0,
        reopen_count: 0,
        escalation: Escalation::default(),
        major: false,
        links: Links::default(),
        opened_at: day(-10),
    }
}

/// Event builders for `given` lists and expected results. Each uses the actor who would
/// normally act (an agent unless said otherwise).
pub mod ev {
    use super::*;

    pub fn reported_as(id: IncidentId, impact: u8, urgency: u8, at: DateTime<Utc>) -> Event {
        let explanation = PriorityMatrix::servicenow()
            .explain(Impact(impact), Urgency(urgency))
            .unwrap();
        Event::Reported {
            at,
            by: agent().user,
            report: Arc::new(report_of(id, impact, urgency)),
            priority: Priority(explanation.priority.value),
            explanation: Box::new(explanation),
        }
    }
    pub fn reported(at: DateTime<Utc>) -> Event {
        reported_as(ID, 2, 2, at)
    }
    pub fn imported(at: DateTime<Utc>, snapshot: Snapshot) -> Event {
        let priority = PriorityMatrix::servicenow()
            .priority(snapshot.report.impact, snapshot.report.urgency)
            .unwrap();
        Event::Imported {
            at,
            by: integration().user,
            snapshot: Box::new(snapshot),
            priority,
        }
    }
    pub fn assigned(
        at: DateTime<Utc>,
        group: GroupId,
        person: Option<UserId>,
        reassignment: bool,
    ) -> Event {
        Event::Assigned {
            at,
            by: agent().user,
            group,
            person,
            reassignment,
        }
    }
    pub fn started(at: DateTime<Utc>) -> Event {
        Event::WorkStarted {
            at,
            by: agent().user,
        }
    }
    pub fn on_hold(at: DateTime<Utc>, reason: HoldReason) -> Event {
        let comment = (reason == HoldReason::AwaitingCaller).then(|| "which browser?".to_owned());
        Event::PutOnHold {
            at,
            by: agent().user,
            reason,
            comment,
        }
    }
    pub fn caller_responded(at: DateTime<Utc>) -> Event {
        Event::CallerResponded {
            at,
            by: caller().user,
            comment: Some("Firefox".into()),
        }
    }
    pub fn reprioritized(at: DateTime<Utc>, impact: u8, urgency: u8) -> Event {
        let explanation = PriorityMatrix::servicenow()
            .explain(Impact(impact), Urgency(urgency))
            .unwrap();
        Event::Reprioritized {
            at,
            by: agent().user,
            impact: Impact(impact),
            urgency: Urgency(urgency),
            priority: Priority(explanation.priority.value),
            explanation: Box::new(explanation),
        }
    }
    pub fn resumed(at: DateTime<Utc>) -> Event {
        Event::Resumed {
            at,
            by: agent().user,
        }
    }
    pub fn escalated(at: DateTime<Utc>, kind: itsm_incident::EscalationKind, level: u8) -> Event {
        Event::Escalated {
            at,
            by: agent().user,
            kind,
            level,
        }
    }
    pub fn major(at: DateTime<Utc>) -> Event {
        Event::MajorDeclared {
            at,
            by: mim().user,
            reason: "whole site down".into(),
        }
    }
    pub fn stood_down(at: DateTime<Utc>) -> Event {
        Event::MajorStoodDown {
            at,
            by: mim().user,
            reason: "contained".into(),
        }
    }
    pub fn linked(at: DateTime<Utc>, link: itsm_incident::Link) -> Event {
        Event::Linked {
            at,
            by: agent().user,
            link,
        }
    }
    pub fn resolved(at: DateTime<Utc>) -> Event {
        Event::Resolved {
            at,
            by: agent().user,
            resolution: super::resolution("solved", "replaced the cable"),
        }
    }
    pub fn reopened(at: DateTime<Utc>, by: &Actor, by_support: bool) -> Event {
        Event::Reopened {
            at,
            by: by.user,
            reason: "still broken".into(),
            by_support,
        }
    }
    pub fn closed(at: DateTime<Utc>, by: &Actor, auto: bool) -> Event {
        Event::Closed {
            at,
            by: by.user,
            auto,
        }
    }
    pub fn canceled(at: DateTime<Utc>) -> Event {
        Event::Canceled {
            at,
            by: agent().user,
            reason: "duplicate".into(),
        }
    }
}

/// Command builders with valid data.
pub mod cmd {
    use super::*;

    pub fn report() -> Command {
        Command::Report(Box::new(super::report()))
    }
    pub fn hold(reason: HoldReason) -> Command {
        let comment = (reason == HoldReason::AwaitingCaller).then(|| "which browser?".to_owned());
        Command::PutOnHold { reason, comment }
    }
    pub fn caller_responded() -> Command {
        Command::CallerResponded {
            comment: Some("Firefox".into()),
        }
    }
    pub fn resolve() -> Command {
        Command::Resolve {
            code: "solved".into(),
            notes: "replaced the cable".into(),
        }
    }
    pub fn reopen() -> Command {
        Command::Reopen {
            reason: "still broken".into(),
        }
    }
    pub fn cancel() -> Command {
        Command::Cancel {
            reason: "duplicate".into(),
        }
    }
    pub fn declare_major() -> Command {
        Command::DeclareMajor {
            reason: "whole site down".into(),
        }
    }
    pub fn stand_down() -> Command {
        Command::StandDownMajor {
            reason: "contained".into(),
        }
    }
    pub fn propose_major() -> Command {
        Command::ProposeMajor {
            reason: "every branch reports it".into(),
            business_impact: "no payments".into(),
        }
    }
    pub fn accept_major() -> Command {
        Command::AcceptMajor {
            notes: "bridge opened".into(),
        }
    }
    pub fn reject_major() -> Command {
        Command::RejectMajor {
            reason: "one branch only".into(),
        }
    }
}

/// Folds events into a state from the beginning.
pub fn fold(events: &[Event]) -> State {
    events.iter().fold(State::new(), evolve)
}

/// An event as a host gets it back from its store: written as JSON and read back (with the
/// `serde` feature; without it, a copy).
pub fn through_storage(event: &Event) -> Event {
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(event).unwrap_or_else(|e| panic!("{event:?}: {e}"));
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    #[cfg(not(feature = "serde"))]
    event.clone()
}

/// A state as a host gets it back from a stored snapshot: written as JSON and read back (with
/// the `serde` feature; without it, a copy).
pub fn snapshot_round_trip(state: &State) -> State {
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(state).unwrap_or_else(|e| panic!("{state:?}: {e}"));
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    #[cfg(not(feature = "serde"))]
    state.clone()
}

/// The state a host rebuilds from its store: every event read back from JSON, then applied.
pub fn rebuild_from_storage(events: &[Event]) -> State {
    let stored: Vec<Event> = events.iter().map(through_storage).collect();
    let mut state = State::new();
    state.apply(&stored);
    state
}

/// Given these events happened, when `actor` sends `when` at `now` under `policy`, then
/// `decide` answers exactly `then`. On success the new events are folded in, and a host that
/// stored the whole history as JSON (or the state as a JSON snapshot) and reads it back gets
/// the same state; the state after is returned (the state before, unchanged, on a rejection).
#[track_caller]
pub fn check_with(
    policy: &Policy,
    given: &[Event],
    when: Command,
    actor: &Actor,
    now: DateTime<Utc>,
    then: Result<Vec<Event>, Error>,
) -> State {
    let before = fold(given);
    let ctx = Context::new(now, actor, policy);
    let got = decide(&before, &when, &ctx);
    assert_eq!(got, then, "\ngiven: {given:#?}\nwhen: {when:?} at {now}");
    match got {
        Ok(events) => {
            let after = events.iter().fold(before, evolve);
            let history: Vec<Event> = given.iter().chain(&events).cloned().collect();
            assert_eq!(
                rebuild_from_storage(&history),
                after,
                "the history, stored as JSON and read back, rebuilds another state"
            );
            assert_eq!(
                snapshot_round_trip(&after),
                after,
                "the state, stored as a JSON snapshot and read back, differs"
            );
            after
        }
        Err(_) => before,
    }
}

/// [`check_with`] under [`Policy::servicenow`].
#[track_caller]
pub fn check(
    given: &[Event],
    when: Command,
    actor: &Actor,
    now: DateTime<Utc>,
    then: Result<Vec<Event>, Error>,
) -> State {
    check_with(&Policy::servicenow(), given, when, actor, now, then)
}

/// Runs `command` on `state` and folds the events in; panics with the error otherwise.
#[track_caller]
pub fn run(
    state: &State,
    command: &Command,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> (State, Vec<Event>) {
    let ctx = Context::new(now, actor, policy);
    match decide(state, command, &ctx) {
        Ok(events) => (events.iter().fold(state.clone(), evolve), events),
        Err(e) => panic!("{command:?} at {now} refused: {e}"),
    }
}

/// The status of a reported incident.
#[track_caller]
pub fn status(state: &State) -> &Status {
    state.incident().expect("reported").status()
}
