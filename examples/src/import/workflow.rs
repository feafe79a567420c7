//! Everything the importer and the replay ask of the policy's workflow, in one place: state
//! names and kinds, hold reasons, and the command that reaches a mapped state or performs a
//! mapped action. Vendor states and transitions work through these without code changes:
//! a target state is reached by whichever command the workflow's table says leads there.

use chrono::{DateTime, Utc};
use itsm_core::{GroupId, Impact, Urgency, UserId};
use itsm_incident::{
    Command, CommandKind, HoldReason, Policy, Resolution, State, Status, StatusKind, next_deadline,
};

use super::mapping::{Action, StateTarget};

/// Placeholder for texts the log does not carry (notes, reasons, comments).
pub const NOT_IN_LOG: &str = "(not in the log)";

/// The workflow's name.
pub(crate) fn name(policy: &Policy) -> &str {
    policy.workflow.name()
}

/// The workflow's state names, in order.
pub(crate) fn state_names(policy: &Policy) -> Vec<String> {
    policy
        .workflow
        .spec()
        .states
        .iter()
        .map(|s| s.name.clone())
        .collect()
}

/// The kind of a state of the workflow.
pub(crate) fn kind_of(policy: &Policy, state: &str) -> Option<StatusKind> {
    policy.workflow.kind_of(state)
}

/// Where a reported incident starts.
pub(crate) fn initial(policy: &Policy) -> &str {
    policy.workflow.initial()
}

/// The policy's hold reasons, by code.
pub(crate) fn hold_reasons(policy: &Policy) -> Vec<String> {
    policy
        .hold_reasons
        .iter()
        .map(|r| r.reason.code().to_owned())
        .collect()
}

/// Whether the policy lists the hold reason.
pub(crate) fn has_hold_reason(policy: &Policy, code: &str) -> bool {
    policy.hold_rule(&HoldReason::from_code(code)).is_some()
}

/// The command an action sends, if it sends one.
pub(crate) const fn action_command_name(action: Action) -> Option<&'static str> {
    match action {
        Action::Assign | Action::Reassign => Some("assign"),
        Action::Unassign => Some("unassign"),
        Action::Reprioritize => Some("reprioritize"),
        Action::Reopen => Some("reopen"),
        Action::CallerResponded => Some("caller_responded"),
        Action::Comment => None,
    }
}

/// Whether some state of the workflow accepts the command.
pub(crate) fn accepts_anywhere(policy: &Policy, command: &str) -> bool {
    policy
        .workflow
        .spec()
        .states
        .iter()
        .any(|s| policy.workflow.target(&s.name, command).is_some())
}

/// The name of the state the incident is in (`unreported` before it exists).
pub(crate) fn state_name(state: &State) -> &str {
    state
        .incident()
        .map_or(StatusKind::Unreported.name(), |i| i.state_name())
}

/// The hold reason of an incident on hold.
pub(crate) fn hold_reason(state: &State) -> Option<&HoldReason> {
    match state.incident().map(|i| i.status()) {
        Some(Status::OnHold { reason, .. }) => Some(reason),
        _ => None,
    }
}

/// Whether `command` would move the incident to another state (the workflow leads it
/// elsewhere from the current one): then it is part of a transition, not a command that
/// keeps the state.
pub(crate) fn moves(policy: &Policy, state: &State, command: &str) -> bool {
    let from = state_name(state);
    policy
        .workflow
        .target(from, command)
        .is_some_and(|to| to != from)
}

/// Whether no command leads out of the state (to another state): a case there is over.
pub(crate) fn is_final(policy: &Policy, state: &str) -> bool {
    policy.workflow.commands_from(state).iter().all(|c| {
        policy
            .workflow
            .target(state, c)
            .is_none_or(|to| to == state)
    })
}

/// What a row offers as a command's arguments.
#[derive(Debug, Clone)]
pub(crate) struct Args {
    pub(crate) group: Option<GroupId>,
    pub(crate) person: Option<UserId>,
    pub(crate) impact: Option<Impact>,
    pub(crate) urgency: Option<Urgency>,
    /// The resolution code: the row's, else the target's.
    pub(crate) code: Option<String>,
    /// The group used when an assignment names none and the incident has none.
    pub(crate) fallback_group: GroupId,
}

/// The command that takes the incident from its state to the mapped state `target`, chosen
/// from the workflow's table:
/// - among the commands leading there, `tick` when the auto-close deadline has passed at
///   `at` (otherwise it is left out), `caller_responded` only when the current hold reason
///   is one the caller's answer clears, then the first in the table's command order;
/// - on hold to on hold with another reason: `put_on_hold`.
///
/// # Errors
/// Why no command can be sent, in words for the report.
pub(crate) fn command_to(
    policy: &Policy,
    state: &State,
    target: &StateTarget,
    args: &Args,
    at: DateTime<Utc>,
) -> Result<Command, String> {
    let from = state_name(state);
    let to = target.state.as_str();
    let leading: Vec<String> = policy
        .workflow
        .commands_from(from)
        .into_iter()
        .filter(|c| policy.workflow.target(from, c) == Some(to))
        .collect();
    let due = next_deadline(state, policy).is_some_and(|due| at >= due);
    let cleared_by_caller = hold_reason(state)
        .and_then(|r| policy.hold_rule(r))
        .is_some_and(|r| r.cleared_by_caller);
    // The deadline's and the caller's commands come first when they apply.
    let preferred = |c: &&String| match c.as_str() {
        "tick" => 0,
        "caller_responded" => 1,
        _ => 2,
    };
    let mut usable: Vec<&String> = leading
        .iter()
        .filter(|c| match c.as_str() {
            "tick" => due,
            "caller_responded" => cleared_by_caller,
            // Keeping the state is not a way to reach it, except a new hold reason.
            _ => from != to || c.as_str() == "put_on_hold",
        })
        .collect();
    usable.sort_by_key(preferred);
    let chosen = usable.first();
    let Some(chosen) = chosen else {
        return Err(match leading.first() {
            Some(only) if only == "tick" => {
                "`tick` before the auto-close deadline does nothing".to_owned()
            }
            _ => format!("no transition in workflow `{}`", name(policy)),
        });
    };
    command_named(policy, state, chosen, target, args)
}

/// The command called `command` (a built-in command's or a vendor transition's), with its
/// arguments from the row and the mapping.
fn command_named(
    policy: &Policy,
    state: &State,
    command: &str,
    target: &StateTarget,
    args: &Args,
) -> Result<Command, String> {
    let code = || args.code.clone().unwrap_or_default();
    let Ok(kind) = command.parse::<CommandKind>() else {
        return Ok(Command::Transition {
            name: command.to_owned(),
        });
    };
    Ok(match kind {
        CommandKind::StartWork => Command::StartWork,
        CommandKind::PutOnHold => Command::PutOnHold {
            reason: HoldReason::from_code(target.reason.as_deref().unwrap_or_default()),
            comment: Some(NOT_IN_LOG.to_owned()),
        },
        CommandKind::CallerResponded => Command::CallerResponded { comment: None },
        CommandKind::Resume => Command::Resume,
        CommandKind::Resolve => Command::Resolve {
            code: code(),
            notes: NOT_IN_LOG.to_owned(),
        },
        CommandKind::Reopen => Command::Reopen {
            reason: NOT_IN_LOG.to_owned(),
        },
        CommandKind::Close => Command::Close {
            // A resolved incident keeps its resolution; an open one closes with the row's.
            resolution: (state.kind() != StatusKind::Resolved).then(|| Resolution {
                code: code(),
                notes: NOT_IN_LOG.to_owned(),
            }),
        },
        CommandKind::Cancel => Command::Cancel {
            reason: NOT_IN_LOG.to_owned(),
        },
        CommandKind::Tick => Command::Tick,
        CommandKind::Unassign => Command::Unassign,
        CommandKind::Assign => {
            let (group, person) = assignment(state, args);
            Command::Assign { group, person }
        }
        CommandKind::Reprioritize => reprioritize(state, args).ok_or_else(|| {
            "`reprioritize` needs a change of impact or urgency the row does not show".to_owned()
        })?,
        other => {
            return Err(format!(
                "`{other}` takes arguments a log row does not carry (workflow `{}`)",
                name(policy)
            ));
        }
    })
}

/// The assignment a row asks for: its group (or the current one, or the fallback) and its
/// person; the current assignment when the row names neither.
fn assignment(state: &State, args: &Args) -> (GroupId, Option<UserId>) {
    let current = state.incident().and_then(|i| i.assignment());
    match (args.group, args.person, current) {
        (None, None, Some(a)) => (a.group, a.person),
        (group, person, current) => (
            group
                .or(current.map(|a| a.group))
                .unwrap_or(args.fallback_group),
            person,
        ),
    }
}

/// An assignment as the row asks for, or `None` when that is the assignment already.
fn assign(state: &State, args: &Args) -> Option<Command> {
    let current = state.incident().and_then(|i| i.assignment());
    let (group, person) = assignment(state, args);
    (current.map(|a| (a.group, a.person)) != Some((group, person)))
        .then_some(Command::Assign { group, person })
}

/// A change of impact and urgency to the row's (the current ones where the row has none), or
/// `None` when nothing changes.
fn reprioritize(state: &State, args: &Args) -> Option<Command> {
    let incident = state.incident()?;
    let impact = args.impact.unwrap_or(incident.impact());
    let urgency = args.urgency.unwrap_or(incident.urgency());
    ((impact, urgency) != (incident.impact(), incident.urgency()))
        .then_some(Command::Reprioritize { impact, urgency })
}

/// The command an action sends in the incident's state, or `None` when it has nothing to do
/// (a comment; an assignment, reprioritization or unassignment that changes nothing).
pub(crate) fn action_command(state: &State, action: Action, args: &Args) -> Option<Command> {
    match action {
        Action::Assign | Action::Reassign => assign(state, args),
        Action::Unassign => state
            .incident()
            .and_then(|i| i.assignment())
            .map(|_| Command::Unassign),
        Action::Reprioritize => reprioritize(state, args),
        Action::Comment => None,
        Action::Reopen => Some(Command::Reopen {
            reason: NOT_IN_LOG.to_owned(),
        }),
        Action::CallerResponded => Some(Command::CallerResponded { comment: None }),
    }
}

/// The record's status for a mapped state, for `import` (a vendor state is imported as its
/// kind; `import` puts the incident in the workflow's first state of that kind).
pub(crate) fn status_for(
    policy: &Policy,
    target: &StateTarget,
    code: Option<&str>,
    at: DateTime<Utc>,
) -> Option<Status> {
    let resolution = || {
        std::sync::Arc::new(Resolution {
            code: code.unwrap_or_default().to_owned(),
            notes: NOT_IN_LOG.to_owned(),
        })
    };
    Some(match kind_of(policy, &target.state)? {
        StatusKind::Unreported => return None,
        StatusKind::New => Status::New,
        StatusKind::InProgress => Status::InProgress,
        StatusKind::OnHold => Status::OnHold {
            reason: HoldReason::from_code(target.reason.as_deref().unwrap_or_default()),
            since: at,
        },
        StatusKind::Resolved => Status::Resolved {
            resolution: resolution(),
            at,
        },
        StatusKind::Closed => Status::Closed {
            resolution: resolution(),
            at,
            auto: false,
        },
        StatusKind::Canceled => Status::Canceled {
            reason: NOT_IN_LOG.to_owned(),
            at,
        },
    })
}
