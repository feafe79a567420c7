//! The invariants every approval state keeps, checked after every step by the proptest
//! sequences and the bounded exploration.
#![allow(dead_code)]

use std::collections::BTreeSet;

use itsm_approval::{
    DecidedBy, Holder, RefusalRule, StageOutcome, State, Status, TRANSITIONS, Tally,
};

/// Why `state` breaks an invariant, if it does:
/// - the decisions match the status (one per decided stage, all approved but a refused
///   last one);
/// - a decision's outcome and rule match its stage's answers: approved exactly when the
///   quorum is met; refused for `quorum_impossible` exactly when too few seats are left,
///   for `first_rejection` only when the stage refuses on the first rejection and one came;
/// - the open stage is undecided by those rules (early decision is never late), and stages
///   after it have no answers and no delegations;
/// - the approval is approved only when every stage's quorum is met by eligible approvals
///   (answers by people separation of duties does not exclude);
/// - one person holds one seat and gives one answer per stage; no excluded party holds a
///   seat.
pub fn check(state: &State) -> Result<(), String> {
    let Some(approval) = state.approval() else {
        return Ok(());
    };
    let plan = approval.plan();
    let decisions = approval.decisions();
    let stages = approval.stages();
    if plan.stages.is_empty() || stages.len() != plan.stages.len() {
        return Err("a plan without stages, or progress of another length".into());
    }
    let decided = match approval.status() {
        Status::Pending { stage } => *stage,
        Status::Approved { .. } => plan.stages.len(),
        Status::Refused { stage, .. } => stage + 1,
        Status::Canceled { .. } => decisions.len(),
    };
    if decisions.len() != decided {
        return Err(format!(
            "{} decisions for status {:?}",
            decisions.len(),
            approval.status()
        ));
    }
    for (i, decision) in decisions.iter().enumerate() {
        let refused_last = matches!(approval.status(), Status::Refused { .. }) && i + 1 == decided;
        let want = if refused_last {
            StageOutcome::Refused
        } else {
            StageOutcome::Approved
        };
        if decision.outcome != want || decision.stage != i {
            return Err(format!("decision {i} is {decision:?}, expected {want:?}"));
        }
    }
    // The stage that was open last: pending now, or when the approval was canceled.
    let open = match approval.status() {
        Status::Pending { stage } => Some(*stage),
        Status::Canceled { .. } => Some(decisions.len()),
        _ => None,
    };
    for (i, (stage, progress)) in plan.stages.iter().zip(stages).enumerate() {
        let Tally {
            approved,
            rejected,
            unanswered,
        } = progress.tally();
        let required = stage.required;
        if required == 0 || required > stage.eligible() {
            return Err(format!(
                "stage {i} requires {required} of {}",
                stage.eligible()
            ));
        }
        let met = approved >= required;
        let impossible = approved + unanswered < required;
        let first = stage.refusal == RefusalRule::FirstRejection && rejected > 0;
        if let Some(decision) = decisions.get(i) {
            let consistent = match decision.decided_by {
                DecidedBy::QuorumMet => met && decision.outcome == StageOutcome::Approved,
                DecidedBy::QuorumImpossible => {
                    impossible && !met && decision.outcome == StageOutcome::Refused
                }
                DecidedBy::FirstRejection => {
                    first && !met && decision.outcome == StageOutcome::Refused
                }
            };
            if !consistent {
                return Err(format!(
                    "stage {i} decided {:?} by {:?} with {approved} approved, {rejected} rejected, {unanswered} unanswered of {required} required",
                    decision.outcome, decision.decided_by
                ));
            }
            if u32::try_from(decision.approvals.len()).ok() != Some(approved)
                || u32::try_from(decision.unanswered.len()).ok() != Some(unanswered)
            {
                return Err(format!(
                    "stage {i}'s explanation does not count its answers"
                ));
            }
        } else if open == Some(i) {
            if met || impossible || first {
                return Err(format!(
                    "stage {i} is still open with {approved} approved, {rejected} rejected, {unanswered} unanswered of {required} required"
                ));
            }
        } else if progress
            .seats()
            .iter()
            .any(|s| s.answer().is_some() || !s.delegates().is_empty())
        {
            return Err(format!("stage {i} never opened but has answers"));
        }
        let mut answered_by = BTreeSet::new();
        let mut held_by = BTreeSet::new();
        for seat in progress.seats() {
            if let Some(answer) = seat.answer() {
                if !answered_by.insert(answer.by) {
                    return Err(format!("{} answered twice in stage {i}", answer.by));
                }
                if plan
                    .party_of(answer.by, &stage.separation_of_duties)
                    .is_some()
                {
                    return Err(format!("excluded {} answered in stage {i}", answer.by));
                }
            }
            if let Holder::Person(user) = seat.holder() {
                if !held_by.insert(*user) {
                    return Err(format!("{user} holds two seats in stage {i}"));
                }
                if plan.party_of(*user, &stage.separation_of_duties).is_some() {
                    return Err(format!("excluded {user} holds a seat in stage {i}"));
                }
            }
        }
    }
    if matches!(approval.status(), Status::Approved { .. }) {
        for (i, (stage, progress)) in plan.stages.iter().zip(stages).enumerate() {
            if progress.tally().approved < stage.required {
                return Err(format!("approved, but stage {i}'s quorum is not met"));
            }
        }
    }
    Ok(())
}

/// Whether a step from `before` to `after` by `command` is an entry of [`TRANSITIONS`].
pub fn in_table(
    before: itsm_approval::StatusKind,
    command: itsm_approval::CommandKind,
    after: itsm_approval::StatusKind,
) -> bool {
    TRANSITIONS.contains(&(before, command, after))
}
