//! Events: facts that happened, in the past tense. `evolve` folds them into the state.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::explain::StageExplanation;
use crate::model::Plan;
use crate::serde_tagged::tagged_enum;

tagged_enum! {
    #[tagged(tag = "type", rename_all = "snake_case")]
    /// Something that happened to an approval. Every event carries when (`at`) and who (`by`),
    /// and every value `evolve` needs, so folding events needs no policy and no clock.
    ///
    /// In JSON the `type` field is a stable tag (`requested`, `approved`, ...).
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    pub enum Event {
        /// The approval was requested; its first stage opened.
        Requested {
            /// When.
            at: DateTime<Utc>,
            /// Who asked (the acting user, usually the requester).
            by: UserId,
            /// What the policy and the request fixed: stages, eligible seats, required
            /// counts, exclusions.
            plan: Arc<Plan>,
        },
        /// An approver approved their seat.
        Approved {
            /// When.
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// The stage's index.
            stage: usize,
            /// The seat's index in the stage.
            seat: usize,
            /// Their comment, if any.
            comment: Option<String>,
        },
        /// An approver rejected their seat.
        Rejected {
            /// When.
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// The stage's index.
            stage: usize,
            /// The seat's index in the stage.
            seat: usize,
            /// Why.
            reason: String,
        },
        /// An approver handed their seat to another person.
        Delegated {
            /// When.
            at: DateTime<Utc>,
            /// Who delegated.
            by: UserId,
            /// The stage's index.
            stage: usize,
            /// The seat's index in the stage.
            seat: usize,
            /// The delegate.
            to: UserId,
        },
        /// A stage was decided: approved (the next stage opens, or the approval is approved
        /// when it was the last) or refused (the approval is refused).
        StageDecided {
            /// When.
            at: DateTime<Utc>,
            /// Whose answer decided it.
            by: UserId,
            /// The outcome and why.
            explanation: Box<StageExplanation>,
        },
        /// The approval was canceled before a decision.
        Canceled {
            /// When.
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// Why.
            reason: String,
        },
    }
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Requested { at, .. }
            | Event::Approved { at, .. }
            | Event::Rejected { at, .. }
            | Event::Delegated { at, .. }
            | Event::StageDecided { at, .. }
            | Event::Canceled { at, .. } => *at,
        }
    }

    /// Who did it.
    pub fn by(&self) -> UserId {
        match self {
            Event::Requested { by, .. }
            | Event::Approved { by, .. }
            | Event::Rejected { by, .. }
            | Event::Delegated { by, .. }
            | Event::StageDecided { by, .. }
            | Event::Canceled { by, .. } => *by,
        }
    }

    /// The event's stable tag, as in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Requested { .. } => "requested",
            Event::Approved { .. } => "approved",
            Event::Rejected { .. } => "rejected",
            Event::Delegated { .. } => "delegated",
            Event::StageDecided { .. } => "stage_decided",
            Event::Canceled { .. } => "canceled",
        }
    }
}
