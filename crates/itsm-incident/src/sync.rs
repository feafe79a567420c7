//! Parent/child synchronisation as a pure function, with ServiceNow's documented semantics.

use crate::command::Command;
use crate::event::Event;
use crate::model::{IncidentId, State, Status};
use crate::policy::Policy;

/// The commands to apply to a parent's children after the parent's `event`, one per child
/// that must follow, in the order the children are given.
///
/// ServiceNow's rules, with the policy's hold-reason table:
/// - the parent goes in progress (work started, resumed, caller responded): new children
///   start work, children on hold resume;
/// - the parent goes on hold for a reason that propagates (change, problem, vendor,
///   evidence by default; never awaiting caller): open children go on hold for the same reason;
/// - the parent is resolved: open children are resolved with the same code and notes;
/// - the parent is reopened by support staff: resolved children are reopened (a self-service
///   reopen does not touch them);
/// - closing or canceling the parent does nothing to its children.
///
/// The host applies each command through `decide` with its own system actor, so the
/// children's policy and permissions still hold.
///
/// ```
/// # use itsm_incident::{sync_children, Event, Policy, State};
/// # use itsm_core::UserId;
/// # use chrono::{TimeZone, Utc};
/// let closed = Event::Closed { at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), by: UserId::from_u128(1), auto: false };
/// assert!(sync_children(&closed, &Policy::servicenow(), &[State::new()]).is_empty());
/// ```
pub fn sync_children(
    parent_event: &Event,
    policy: &Policy,
    children: &[State],
) -> Vec<(IncidentId, Command)> {
    children
        .iter()
        .filter_map(|child| {
            let incident = child.incident()?;
            let command = child_command(parent_event, policy, incident.status())?;
            // Only what the child's state accepts in the policy's workflow (iTop has no
            // `start_work`, for one).
            policy
                .workflow
                .target(incident.state_name(), command.name())
                .map(|_| (incident.id(), command))
        })
        .collect()
}

fn child_command(parent_event: &Event, policy: &Policy, child: &Status) -> Option<Command> {
    let open = matches!(
        child,
        Status::New | Status::InProgress | Status::OnHold { .. }
    );
    match parent_event {
        Event::WorkStarted { .. } | Event::Resumed { .. } | Event::CallerResponded { .. } => {
            match child {
                Status::New => Some(Command::StartWork),
                Status::OnHold { .. } => Some(Command::Resume),
                _ => None,
            }
        }
        Event::PutOnHold { reason, .. } => {
            let propagates = policy
                .hold_rule(reason)
                .is_some_and(|r| r.propagates_to_children);
            let already = matches!(child, Status::OnHold { reason: r, .. } if r == reason);
            (propagates && open && !already).then(|| Command::PutOnHold {
                reason: reason.clone(),
                comment: Some("parent incident put on hold".to_owned()),
            })
        }
        Event::Resolved { resolution, .. } => open.then(|| Command::Resolve {
            code: resolution.code.clone(),
            notes: resolution.notes.clone(),
        }),
        Event::Reopened {
            by_support: true,
            reason,
            ..
        } => matches!(child, Status::Resolved { .. }).then(|| Command::Reopen {
            reason: reason.clone(),
        }),
        _ => None,
    }
}

/// The commands that resolve a resolved problem's incidents: ServiceNow's "Resolve
/// Incidents" from a problem, which resolves only the linked incidents on hold awaiting the
/// problem (the reason [`HoldReason::AwaitingProblem`](crate::HoldReason::AwaitingProblem)),
/// with the resolution code and notes the user enters. One `resolve` per such incident, in
/// the order given; an incident not linked to `problem`, not on hold, or on hold for another
/// reason gets none.
///
/// The practice crates do not depend on each other, so the host calls this when its problem
/// is resolved (`itsm-problem`'s `resolved` event) and applies each command through
/// `decide` with its own system actor, so the incidents' policy and permissions still hold.
///
/// ```
/// # use itsm_incident::{resolve_for_problem, ProblemId, State};
/// // No incidents, nothing to resolve.
/// assert!(resolve_for_problem(ProblemId::from_u128(1), "fix applied", "MTU raised", &[State::new()]).is_empty());
/// ```
pub fn resolve_for_problem(
    problem: crate::model::ProblemId,
    code: &str,
    notes: &str,
    incidents: &[State],
) -> Vec<(IncidentId, Command)> {
    incidents
        .iter()
        .filter_map(|state| {
            let incident = state.incident()?;
            let waiting = matches!(
                incident.status(),
                Status::OnHold {
                    reason: crate::model::HoldReason::AwaitingProblem,
                    ..
                }
            );
            let linked = incident.links().problems.binary_search(&problem).is_ok();
            (waiting && linked).then(|| {
                (
                    incident.id(),
                    Command::Resolve {
                        code: code.to_owned(),
                        notes: notes.to_owned(),
                    },
                )
            })
        })
        .collect()
}
