//! Major-incident trigger rules ([`Policy::major_triggers`](crate::Policy::major_triggers)),
//! run by `decide` after a command's own events.

use crate::command::CommandKind as C;
use crate::event::Event;
use crate::machine::{Context, evolve};
use crate::model::{MajorState, State, StatusKind as S};
use crate::policy::TriggerAction;

/// Appends what the policy's major-incident trigger rules do after `events`, as ServiceNow
/// runs them: on every creation (a report or an import) and update (a command that produced
/// events; not a tick, which only closes), only for an
/// incident that is active (new, open or pending), not a child (no parent) and neither
/// proposed nor accepted; the rules in the policy's order (ServiceNow's lowest execution
/// order first), the first that matches acting and the rest not read. The rule acts only
/// where the workflow accepts its command (`propose_major` or `declare_major`) in the
/// incident's state, and not after the rejection or demotion it would undo (the rules read
/// such an incident again from its next update). Nothing is computed
/// when the policy has no trigger rules (ServiceNow's base rules are inactive by default).
pub(crate) fn apply_triggers(state: &State, events: &mut Vec<Event>, ctx: &Context<'_>) {
    let triggers = &ctx.policy.major_triggers;
    if triggers.is_empty() || events.is_empty() {
        return;
    }
    // A manager's rejection or demotion stands for the command that made it: the rules read
    // the incident again from its next update.
    if events.iter().any(|e| {
        matches!(
            e,
            Event::MajorRejected { .. } | Event::MajorStoodDown { .. }
        )
    }) {
        return;
    }
    let after = events.iter().fold(state.clone(), evolve);
    let Some(incident) = after.incident() else {
        return;
    };
    let active = matches!(incident.status.kind(), S::New | S::InProgress | S::OnHold);
    let candidate = matches!(
        incident.major_state(),
        MajorState::Proposed | MajorState::Accepted
    );
    if !active || candidate || incident.links.parent.is_some() {
        return;
    }
    let view = incident.view();
    let children = incident.links.children.len();
    let Some(rule) = triggers
        .iter()
        .find(|rule| rule.matches(&view, children, ctx.now))
    else {
        return;
    };
    // The rule acts as its command would: only where the workflow accepts that command (a
    // vendor workflow without the candidate flow gets no candidates).
    let command = match rule.action {
        TriggerAction::Propose => C::ProposeMajor,
        TriggerAction::Promote => C::DeclareMajor,
    };
    if ctx
        .policy
        .workflow
        .step(incident.state_name(), command.name())
        .is_none()
    {
        return;
    }
    let (at, by) = (ctx.now, ctx.actor.user);
    let reason = format!("trigger rule `{}`", itsm_core::Quoted(&rule.name));
    events.push(match rule.action {
        TriggerAction::Propose => Event::MajorProposed {
            at,
            by,
            reason,
            business_impact: String::new(),
            trigger: Some(rule.name.clone()),
        },
        TriggerAction::Promote => Event::MajorDeclared { at, by, reason },
    });
}
