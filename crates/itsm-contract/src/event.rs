//! What happened to a contract: the facts `decide` produces and `evolve` folds.

use chrono::NaiveDate;
use itsm_core::UserId;

use crate::command::Edit;
use crate::model::{ContractId, Request, Review};
use crate::spec::{ContractSpec, CoveredAsset, RateCardSpec};

/// An expense line: part of a rate card's charge, on the contract, an asset or a user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Line {
    /// The asset it is on (none: the contract or a user).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub asset: Option<String>,
    /// The user it is on.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub user: Option<UserId>,
    /// The amount with tax, in minor units (negative: a credit).
    pub amount: i64,
}

/// An event of the contract's history. `by` is the user whose command caused it; the daily
/// job's events (activation on the start date, renewal, expiry, reminders, charges) have
/// none.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Event {
    /// Created as a draft awaiting review.
    Created {
        /// Its id.
        id: ContractId,
        /// What it is.
        spec: Box<ContractSpec>,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// A draft's fields changed.
    Edited {
        /// The changes.
        edit: Edit,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// A renewal or extension was asked for (saved or sent for review).
    Requested {
        /// The request.
        request: Request,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// Sent to the approver.
    Submitted {
        /// What.
        review: Review,
        /// The approver.
        approver: UserId,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// Approved.
    Approved {
        /// What.
        review: Review,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// Rejected.
    Rejected {
        /// What.
        review: Review,
        /// Why.
        comments: String,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// In effect: an approved draft on its start date, or an expired contract extended or
    /// renewed past today.
    Activated {
        /// The day.
        on: NaiveDate,
    },
    /// Renewed in place: the new term and the prices after the adjustment.
    Renewed {
        /// The new start date.
        start: NaiveDate,
        /// The new end date.
        end: NaiveDate,
        /// The new payment amount.
        payment_amount: i64,
        /// Each rate card's new base cost, in the cards' order.
        base_costs: Vec<i64>,
        /// The day.
        on: NaiveDate,
    },
    /// The end date moved by an approved extension.
    Extended {
        /// The new end date.
        end: NaiveDate,
        /// The day.
        on: NaiveDate,
    },
    /// Dates or payment amount adjusted.
    Adjusted {
        /// The start date after.
        start: Option<NaiveDate>,
        /// The end date after.
        end: Option<NaiveDate>,
        /// The payment amount after.
        payment_amount: i64,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// Past its end date.
    Expired {
        /// The day.
        on: NaiveDate,
    },
    /// Discontinued: its rate cards stop, a renewal or extension under way is dropped.
    Canceled {
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// The administrator was reminded of the end date.
    Reminded {
        /// Days before the end date (0: on the day).
        days: u32,
        /// The end date.
        end: NaiveDate,
        /// Who is told: the administrator (none: nobody is named; the host decides).
        to: Option<UserId>,
        /// The day.
        on: NaiveDate,
    },
    /// A rate card charged: its expense lines for one charge date.
    Charged {
        /// The card's position among the contract's rate cards.
        card: u32,
        /// The charge date.
        date: NaiveDate,
        /// The lines; they add up to the card's charge with tax.
        lines: Vec<Line>,
        /// The day.
        on: NaiveDate,
    },
    /// A charge date outside the contract's current term passed without a charge.
    Passed {
        /// The card's position.
        card: u32,
        /// The charge date.
        date: NaiveDate,
        /// The day.
        on: NaiveDate,
    },
    /// An asset covered.
    Covered {
        /// The asset.
        asset: CoveredAsset,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// An asset no longer covered.
    Uncovered {
        /// Its id.
        asset: String,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// A user covered.
    UserAdded {
        /// The user.
        user: UserId,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// A user no longer covered.
    UserRemoved {
        /// The user.
        user: UserId,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// A rate card added.
    RateCardAdded {
        /// The card.
        card: Box<RateCardSpec>,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
    /// A rate card stopped.
    RateCardDeactivated {
        /// Its position.
        card: u32,
        /// The day.
        on: NaiveDate,
        /// Who.
        by: UserId,
    },
}

impl Event {
    /// The day it happened.
    pub fn on(&self) -> NaiveDate {
        match self {
            Event::Created { on, .. }
            | Event::Edited { on, .. }
            | Event::Requested { on, .. }
            | Event::Submitted { on, .. }
            | Event::Approved { on, .. }
            | Event::Rejected { on, .. }
            | Event::Activated { on }
            | Event::Renewed { on, .. }
            | Event::Extended { on, .. }
            | Event::Adjusted { on, .. }
            | Event::Expired { on }
            | Event::Canceled { on, .. }
            | Event::Reminded { on, .. }
            | Event::Charged { on, .. }
            | Event::Passed { on, .. }
            | Event::Covered { on, .. }
            | Event::Uncovered { on, .. }
            | Event::UserAdded { on, .. }
            | Event::UserRemoved { on, .. }
            | Event::RateCardAdded { on, .. }
            | Event::RateCardDeactivated { on, .. } => *on,
        }
    }

    /// Its `type` tag.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Created { .. } => "created",
            Event::Edited { .. } => "edited",
            Event::Requested { .. } => "requested",
            Event::Submitted { .. } => "submitted",
            Event::Approved { .. } => "approved",
            Event::Rejected { .. } => "rejected",
            Event::Activated { .. } => "activated",
            Event::Renewed { .. } => "renewed",
            Event::Extended { .. } => "extended",
            Event::Adjusted { .. } => "adjusted",
            Event::Expired { .. } => "expired",
            Event::Canceled { .. } => "canceled",
            Event::Reminded { .. } => "reminded",
            Event::Charged { .. } => "charged",
            Event::Passed { .. } => "passed",
            Event::Covered { .. } => "covered",
            Event::Uncovered { .. } => "uncovered",
            Event::UserAdded { .. } => "user_added",
            Event::UserRemoved { .. } => "user_removed",
            Event::RateCardAdded { .. } => "rate_card_added",
            Event::RateCardDeactivated { .. } => "rate_card_deactivated",
        }
    }
}
