//! Why a stage was decided: who approved and rejected, the quorum, whether it was decided
//! before every seat answered, and who the stage's rules excluded.

use itsm_core::UserId;

use crate::model::{Exclusion, Holder, StagePlan, StageProgress, Vote};
use crate::policy::{Quorum, RefusalRule};

/// A stage's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum StageOutcome {
    /// The quorum was met.
    Approved,
    /// The quorum became impossible, or a rejection refused the stage under
    /// [`RefusalRule::FirstRejection`].
    Refused,
}

impl std::fmt::Display for StageOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StageOutcome::Approved => "approved",
            StageOutcome::Refused => "refused",
        })
    }
}

/// Which rule decided a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum DecidedBy {
    /// As many seats approved as the quorum requires.
    QuorumMet,
    /// Fewer seats than the quorum requires are left to approve (those approved plus those
    /// not answered).
    QuorumImpossible,
    /// A seat rejected, and the stage refuses on the first rejection.
    FirstRejection,
}

/// A rejection, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Rejection {
    /// Who rejected.
    pub by: UserId,
    /// Why.
    pub reason: String,
}

/// A seat handed from one person to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Handover {
    /// Who delegated.
    pub from: UserId,
    /// To whom.
    pub to: UserId,
}

/// Why a stage was decided the way it was. `Display` writes it as one paragraph:
///
/// ```text
/// stage 1 `cab` approved: 3 approvals of 4 eligible seats, a majority needs 3 (approved by
/// A, B, C); decided early, 1 seat had not answered (D); excluded: E (group G), as the
/// requester (separation of duties)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StageExplanation {
    /// The stage's index (0 for the first).
    pub stage: usize,
    /// The stage's name.
    pub name: String,
    /// Approved or refused.
    pub outcome: StageOutcome,
    /// The rule that decided it.
    pub decided_by: DecidedBy,
    /// The policy's quorum.
    pub quorum: Quorum,
    /// The approvals it required.
    pub required: u32,
    /// The eligible seats (M).
    pub eligible: u32,
    /// Who approved, in seat order.
    pub approvals: Vec<UserId>,
    /// Who rejected and why, in seat order.
    pub rejections: Vec<Rejection>,
    /// The seats that had not answered: the stage was decided early when this is not empty.
    pub unanswered: Vec<Holder>,
    /// Who the stage's rules excluded when the request was made.
    pub excluded: Vec<Exclusion>,
    /// The delegations in the stage, in seat order.
    pub delegations: Vec<Handover>,
}

impl StageExplanation {
    /// Whether the stage was decided before every seat answered.
    pub fn early(&self) -> bool {
        !self.unanswered.is_empty()
    }
}

/// The decision a stage's answers give now, if any: approved once the quorum is met;
/// refused once it cannot be met, or on a rejection when the stage refuses on the first.
pub(crate) fn judge(
    plan: &StagePlan,
    progress: &StageProgress,
) -> Option<(StageOutcome, DecidedBy)> {
    let tally = progress.tally();
    if tally.approved >= plan.required {
        Some((StageOutcome::Approved, DecidedBy::QuorumMet))
    } else if plan.refusal == RefusalRule::FirstRejection && tally.rejected > 0 {
        Some((StageOutcome::Refused, DecidedBy::FirstRejection))
    } else if tally.approved.saturating_add(tally.unanswered) < plan.required {
        Some((StageOutcome::Refused, DecidedBy::QuorumImpossible))
    } else {
        None
    }
}

/// The explanation of stage `stage` decided as `decision`.
pub(crate) fn explain(
    stage: usize,
    plan: &StagePlan,
    progress: &StageProgress,
    (outcome, decided_by): (StageOutcome, DecidedBy),
) -> StageExplanation {
    let mut approvals = Vec::new();
    let mut rejections = Vec::new();
    let mut unanswered = Vec::new();
    let mut delegations = Vec::new();
    for (seat, live) in plan.seats.iter().zip(progress.seats()) {
        let mut from = match &seat.holder {
            Holder::Person(user) => Some(*user),
            Holder::Role(_) => None,
        };
        for to in live.delegates() {
            if let Some(previous) = from {
                delegations.push(Handover {
                    from: previous,
                    to: *to,
                });
            }
            from = Some(*to);
        }
        match live.answer() {
            Some(answer) => match &answer.vote {
                Vote::Approve { .. } => approvals.push(answer.by),
                Vote::Reject { reason } => rejections.push(Rejection {
                    by: answer.by,
                    reason: reason.clone(),
                }),
            },
            None => unanswered.push(live.holder().clone()),
        }
    }
    StageExplanation {
        stage,
        name: plan.name.clone(),
        outcome,
        decided_by,
        quorum: plan.quorum,
        required: plan.required,
        eligible: plan.eligible(),
        approvals,
        rejections,
        unanswered,
        excluded: plan.excluded.clone(),
        delegations,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::fmt::Display for StageExplanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let eligible = plural(
            usize::try_from(self.eligible).unwrap_or(usize::MAX),
            "eligible seat",
            "eligible seats",
        );
        let approvals = plural(self.approvals.len(), "approval", "approvals");
        write!(
            f,
            "stage {} `{}` {}: ",
            self.stage.saturating_add(1),
            self.name,
            self.outcome
        )?;
        match self.decided_by {
            DecidedBy::QuorumMet => write!(
                f,
                "{approvals} of {eligible}, {} needs {}",
                self.quorum, self.required
            )?,
            DecidedBy::QuorumImpossible => {
                let possible = self.approvals.len().saturating_add(self.unanswered.len());
                write!(
                    f,
                    "{} of {eligible}, so at most {possible} approvals remain possible and {} needs {}",
                    plural(self.rejections.len(), "rejection", "rejections"),
                    self.quorum,
                    self.required
                )?;
            }
            DecidedBy::FirstRejection => write!(
                f,
                "a rejection refuses the stage (first rejection), {approvals} of {eligible} so far",
            )?,
        }
        if !self.approvals.is_empty() {
            write!(f, " (approved by {})", list(&self.approvals))?;
        }
        if !self.rejections.is_empty() {
            let reasons: Vec<String> = self
                .rejections
                .iter()
                .map(|r| format!("{}: \"{}\"", r.by, r.reason))
                .collect();
            write!(f, " (rejected by {})", reasons.join(", "))?;
        }
        if self.early() {
            write!(
                f,
                "; decided early, {} had not answered ({})",
                plural(self.unanswered.len(), "seat", "seats"),
                list(&self.unanswered)
            )?;
        }
        if !self.delegations.is_empty() {
            let handovers: Vec<String> = self
                .delegations
                .iter()
                .map(|h| format!("{} to {}", h.from, h.to))
                .collect();
            write!(f, "; delegated: {}", handovers.join(", "))?;
        }
        if !self.excluded.is_empty() {
            write!(f, "; excluded: {}", list(&self.excluded))?;
        }
        Ok(())
    }
}
