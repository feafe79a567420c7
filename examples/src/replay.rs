//! Replaying a foreign incident log through `itsm-incident`.
//!
//! [`replay`] drives each incident of a loaded [`Log`] through `decide` and
//! `evolve`, one observed change at a time, and reports, per incident, which observed
//! transitions our lifecycle accepts and why it rejects the others, then compares the
//! counters we derive (reopens, reassignments) with the log's own.
//!
//! # How an observed row becomes commands
//! - The first row seeds the incident: `report` when it is new; otherwise the log starts in
//!   the middle of the incident's life and the row is brought in with `import`, with the
//!   log's counters at that point. Seeding is not counted as a transition.
//! - A change of assignment group or person becomes `assign`; a change of impact or urgency
//!   becomes `reprioritize`. These keep the state and are counted apart.
//! - A change of state (hold reasons included) becomes the one command that leads there:
//!   `start_work` from new, `caller_responded` from a hold the caller's answer clears,
//!   `resume` from other holds, `reopen` from resolved or closed, `put_on_hold`, `resolve`
//!   (with the log's resolution code), `close` (or `tick`, when the auto-close deadline has
//!   passed), `cancel`. No command leads back to new.
//! - The log has no comments or notes. Where the policy requires one (a hold awaiting the
//!   caller, resolution notes) the importer passes a placeholder that says so.
//! - A rejected transition is recorded with its reason; then the replay resynchronises by
//!   importing the incident afresh in the observed state, with the counters we had, so one
//!   rejection does not cascade into the rest of the incident.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::GroupId;
use itsm_core::{Actor, Role, UserId};
use itsm_core::{Impact, Urgency};
use itsm_incident::{
    Channel, Escalation, HoldReason, IncidentId, Links, Report, Resolution, Snapshot, State,
    Status, StatusKind,
};
use itsm_incident::{Command, Context, Error, Policy, decide, evolve, next_deadline};
use uuid::Uuid;

use crate::uci::{IncidentRows, Log, MappedState, Row};

/// Placeholder for texts the log does not carry.
pub const NOT_IN_LOG: &str = "(not in the log)";

/// What a replay found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplayReport {
    /// Incidents replayed.
    pub incidents: usize,
    /// Incidents whose first row is not `new` (seeded with `import`).
    pub seeded_by_import: usize,
    /// Observed changes of state.
    pub transitions: usize,
    /// Of those, accepted by the lifecycle and policy.
    pub accepted: usize,
    /// Rejections, by kind (`from -> to: reason`), with how many.
    pub rejections: BTreeMap<String, usize>,
    /// Up to three example incidents per rejection kind.
    pub rejection_examples: BTreeMap<String, Vec<String>>,
    /// Closures by the auto-close rule (`tick`).
    pub auto_closed: usize,
    /// Closures by hand (`close`).
    pub closed_by_hand: usize,
    /// State-keeping commands (assign, reprioritize) issued.
    pub other_commands: usize,
    /// Of those, rejected, by reason.
    pub other_rejections: BTreeMap<String, usize>,
    /// Incidents whose final reopen count equals the log's.
    pub reopen_agree: usize,
    /// Incidents whose final reassignment count equals the log's.
    pub reassignment_agree: usize,
    /// Up to ten incidents whose reopen count differs: (id, ours, the log's).
    pub reopen_mismatches: Vec<(String, u32, u32)>,
}

impl ReplayReport {
    /// Accepted transitions as a percentage of observed ones.
    pub fn accepted_pct(&self) -> f64 {
        pct(self.accepted, self.transitions)
    }
    /// Reopen-count agreement as a percentage of incidents.
    pub fn reopen_pct(&self) -> f64 {
        pct(self.reopen_agree, self.incidents)
    }
    /// Reassignment-count agreement as a percentage of incidents.
    pub fn reassignment_pct(&self) -> f64 {
        pct(self.reassignment_agree, self.incidents)
    }
}

#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// A deterministic id for a foreign key: a name-based (v5) UUID, so the same log always
/// gives the same ids.
pub fn foreign_id(kind: &str, key: &str) -> Uuid {
    let ns = Uuid::new_v5(&Uuid::NAMESPACE_OID, kind.as_bytes());
    Uuid::new_v5(&ns, key.as_bytes())
}

fn role(name: &str) -> Role {
    Role::new(name).unwrap_or_else(|_| unreachable!()) // invariant: non-empty constant
}

struct Actors {
    agent_role: Role,
    integration: Actor,
    system: Actor,
}

impl Actors {
    fn agent(&self, name: Option<&str>) -> Actor {
        let user = UserId(foreign_id("user", name.unwrap_or("unknown")));
        Actor::new(user, [self.agent_role.clone()])
    }
}

fn channel(name: Option<&str>) -> Channel {
    match name.unwrap_or("") {
        "Phone" => Channel::Phone,
        "Email" => Channel::Email,
        "Self service" => Channel::SelfService,
        other => Channel::Other(other.to_owned()),
    }
}

fn status_of(state: &MappedState, row: &Row) -> Status {
    let at = row.updated_at;
    let resolution = || {
        Arc::new(Resolution {
            code: row.resolution_code.clone().unwrap_or_default(),
            notes: NOT_IN_LOG.to_owned(),
        })
    };
    match state {
        MappedState::New => Status::New,
        MappedState::InProgress => Status::InProgress,
        MappedState::OnHold(reason) => Status::OnHold {
            reason: HoldReason::from_code(reason),
            since: at,
        },
        MappedState::Resolved => Status::Resolved {
            resolution: resolution(),
            at,
        },
        MappedState::Closed => Status::Closed {
            resolution: resolution(),
            at,
            auto: false,
        },
        MappedState::Canceled => Status::Canceled {
            reason: NOT_IN_LOG.to_owned(),
            at,
        },
    }
}

fn kind_of(state: &MappedState) -> StatusKind {
    match state {
        MappedState::New => StatusKind::New,
        MappedState::InProgress => StatusKind::InProgress,
        MappedState::OnHold(_) => StatusKind::OnHold,
        MappedState::Resolved => StatusKind::Resolved,
        MappedState::Closed => StatusKind::Closed,
        MappedState::Canceled => StatusKind::Canceled,
    }
}

fn report_of(id: IncidentId, row: &Row) -> Report {
    Report {
        id,
        caller: UserId(foreign_id(
            "user",
            row.caller.as_deref().unwrap_or("unknown"),
        )),
        channel: channel(row.channel.as_deref()),
        category: row.category.clone(),
        configuration_item: None,
        service: None,
        impact: Impact(row.impact),
        urgency: Urgency(row.urgency),
        description: NOT_IN_LOG.to_owned(),
    }
}

/// Short name of an error's cause, for grouping rejections.
fn cause(error: &Error) -> String {
    match error {
        Error::NotAllowed { command, .. } => format!("`{command}` not allowed"),
        Error::MissingField { field, .. } => format!("missing {field}"),
        Error::ClockWentBackwards { .. } => "clock went backwards".to_owned(),
        other => other.to_string(),
    }
}

/// The command that leads from the current state to the observed one, or `None` when no
/// command does (back to `new`).
fn command_for(
    current: &State,
    target: &MappedState,
    row: &Row,
    policy: &Policy,
) -> Option<Command> {
    let status = current.incident().map(|i| i.status().clone());
    Some(match target {
        MappedState::New => return None,
        MappedState::InProgress => match status {
            Some(Status::New) => Command::StartWork,
            Some(Status::OnHold { reason, .. }) => {
                if policy
                    .hold_rule(&reason)
                    .is_some_and(|r| r.cleared_by_caller)
                {
                    Command::CallerResponded { comment: None }
                } else {
                    Command::Resume
                }
            }
            Some(Status::Resolved { .. } | Status::Closed { .. }) => Command::Reopen {
                reason: NOT_IN_LOG.to_owned(),
            },
            _ => Command::StartWork,
        },
        MappedState::OnHold(reason) => Command::PutOnHold {
            reason: HoldReason::from_code(reason),
            comment: Some(NOT_IN_LOG.to_owned()),
        },
        MappedState::Resolved => Command::Resolve {
            code: row.resolution_code.clone().unwrap_or_default(),
            notes: NOT_IN_LOG.to_owned(),
        },
        MappedState::Closed => match next_deadline(current, policy) {
            Some(due) if row.updated_at >= due => Command::Tick,
            _ => Command::Close { resolution: None },
        },
        MappedState::Canceled => Command::Cancel {
            reason: NOT_IN_LOG.to_owned(),
        },
    })
}

fn run(
    state: State,
    command: &Command,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<State, (State, Error)> {
    let ctx = Context::new(now, actor, policy);
    match decide(&state, command, &ctx) {
        Ok(events) => Ok(events.iter().fold(state, evolve)),
        Err(e) => Err((state, e)),
    }
}

/// Brings the incident in afresh in `status`, keeping what we derived so far.
fn import(
    state: &State,
    id: IncidentId,
    row: &Row,
    status: Status,
    counters: Option<(u32, u32)>,
    actors: &Actors,
    policy: &Policy,
) -> State {
    let mut snapshot = match state.incident() {
        Some(incident) => incident.snapshot(),
        None => Snapshot {
            report: report_of(id, row),
            status: Status::New,
            assignment: None,
            reassignment_count: 0,
            reopen_count: 0,
            escalation: Escalation::default(),
            major: false,
            links: Links::default(),
            opened_at: row.opened_at.unwrap_or(row.updated_at),
        },
    };
    snapshot.status = status;
    snapshot.report.impact = Impact(row.impact);
    snapshot.report.urgency = Urgency(row.urgency);
    if let Some((reopens, reassignments)) = counters {
        snapshot.reopen_count = reopens;
        snapshot.reassignment_count = reassignments;
    }
    let command = Command::Import(Box::new(snapshot));
    match run(
        State::new(),
        &command,
        &actors.integration,
        row.updated_at,
        policy,
    ) {
        Ok(next) => next,
        // Only a hold reason unknown to the policy or an off-scale level can refuse an
        // import; the replay then keeps what it had.
        Err(_) => state.clone(),
    }
}

/// Replays every incident of `log` under `policy`.
pub fn replay(log: &Log, policy: &Policy) -> ReplayReport {
    let actors = Actors {
        agent_role: role("agent"),
        integration: Actor::new(
            UserId(foreign_id("user", "integration")),
            [role("integration")],
        ),
        system: Actor::new(UserId(foreign_id("user", "system")), [role("system")]),
    };
    let mut report = ReplayReport::default();
    for incident in &log.incidents {
        replay_one(incident, policy, &actors, &mut report);
    }
    report
}

fn replay_one(
    incident: &IncidentRows,
    policy: &Policy,
    actors: &Actors,
    report: &mut ReplayReport,
) {
    let Some(first) = incident.rows.first() else {
        return;
    };
    report.incidents += 1;
    let id = IncidentId(foreign_id("incident", &incident.id));
    let mut state = if first.state == MappedState::New {
        let actor = actors.agent(first.updated_by.as_deref());
        let cmd = Command::Report(Box::new(report_of(id, first)));
        let at = first
            .opened_at
            .unwrap_or(first.updated_at)
            .min(first.updated_at);
        match run(State::new(), &cmd, &actor, at, policy) {
            Ok(s) => s,
            Err((s, e)) => {
                *report
                    .other_rejections
                    .entry(format!("report: {}", cause(&e)))
                    .or_default() += 1;
                s
            }
        }
    } else {
        report.seeded_by_import += 1;
        let counters = Some((first.reopen_count, first.reassignment_count));
        import(
            &State::new(),
            id,
            first,
            status_of(&first.state, first),
            counters,
            actors,
            policy,
        )
    };
    let mut observed = first.state.clone();
    for (n, row) in incident.rows.iter().enumerate() {
        let actor = actors.agent(row.updated_by.as_deref());
        // State-keeping commands first: assignment and priority as the row shows them.
        let mut keep = Vec::new();
        if let (Some(group), Some(current)) = (row.assignment_group.as_deref(), state.incident()) {
            let group = GroupId(foreign_id("group", group));
            let person = row
                .assigned_to
                .as_deref()
                .map(|p| UserId(foreign_id("user", p)));
            let now = current.assignment();
            if now.map(|a| (a.group, a.person)) != Some((group, person)) {
                keep.push(Command::Assign { group, person });
            }
        }
        if let Some(current) = state.incident() {
            if (current.impact().0, current.urgency().0) != (row.impact, row.urgency) {
                keep.push(Command::Reprioritize {
                    impact: Impact(row.impact),
                    urgency: Urgency(row.urgency),
                });
            }
        }
        for cmd in keep {
            report.other_commands += 1;
            state = match run(state, &cmd, &actor, row.updated_at, policy) {
                Ok(s) => s,
                Err((s, e)) => {
                    let key = format!("{}: {}", cmd.kind(), cause(&e));
                    *report.other_rejections.entry(key).or_default() += 1;
                    s
                }
            };
        }
        if n == 0 || row.state == observed {
            continue;
        }
        report.transitions += 1;
        let from = kind_of(&observed);
        let to = kind_of(&row.state);
        let outcome = match command_for(&state, &row.state, row, policy) {
            None => Err((state, format!("no command leads to {to}"))),
            Some(cmd) => {
                let who = if cmd == Command::Tick {
                    &actors.system
                } else {
                    &actor
                };
                match run(state, &cmd, who, row.updated_at, policy) {
                    Ok(s) => {
                        match cmd {
                            Command::Tick => report.auto_closed += 1,
                            Command::Close { .. } => report.closed_by_hand += 1,
                            _ => {}
                        }
                        Ok(s)
                    }
                    Err((s, e)) => Err((s, cause(&e))),
                }
            }
        };
        state = match outcome {
            Ok(s) => {
                report.accepted += 1;
                s
            }
            Err((s, why)) => reject(report, incident, from, to, &why, s, id, row, actors, policy),
        };
        observed = row.state.clone();
    }
    let (ours_reopen, ours_reassign) = state
        .incident()
        .map_or((0, 0), |i| (i.reopen_count(), i.reassignment_count()));
    if let Some(last) = incident.rows.last() {
        if ours_reopen == last.reopen_count {
            report.reopen_agree += 1;
        } else if report.reopen_mismatches.len() < 10 {
            report
                .reopen_mismatches
                .push((incident.id.clone(), ours_reopen, last.reopen_count));
        }
        if ours_reassign == last.reassignment_count {
            report.reassignment_agree += 1;
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn reject(
    report: &mut ReplayReport,
    incident: &IncidentRows,
    from: StatusKind,
    to: StatusKind,
    why: &str,
    state: State,
    id: IncidentId,
    row: &Row,
    actors: &Actors,
    policy: &Policy,
) -> State {
    let key = format!("{from} -> {to}: {why}");
    let examples = report.rejection_examples.entry(key.clone()).or_default();
    if examples.len() < 3 {
        examples.push(incident.id.clone());
    }
    *report.rejections.entry(key).or_default() += 1;
    import(
        &state,
        id,
        row,
        status_of(&row.state, row),
        None,
        actors,
        policy,
    )
}
