//! What users and the host ask of a contract.

use chrono::NaiveDate;
use itsm_core::UserId;

use crate::model::ContractId;
use crate::spec::{ContractSpec, CoveredAsset, RateCardSpec};

/// Fields of a draft to change (none: unchanged).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Edit {
    /// A new start date.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub start: Option<NaiveDate>,
    /// A new end date.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub end: Option<NaiveDate>,
    /// A new payment amount (not with rate cards).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub payment_amount: Option<i64>,
    /// A new approver.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub approver: Option<UserId>,
    /// A new administrator.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub administrator: Option<UserId>,
}

impl Edit {
    /// A new start date.
    pub fn start(mut self, start: NaiveDate) -> Self {
        self.start = Some(start);
        self
    }

    /// A new end date.
    pub fn end(mut self, end: NaiveDate) -> Self {
        self.end = Some(end);
        self
    }

    /// A new payment amount.
    pub fn payment_amount(mut self, amount: i64) -> Self {
        self.payment_amount = Some(amount);
        self
    }

    /// A new approver.
    pub fn approver(mut self, approver: UserId) -> Self {
        self.approver = Some(approver);
        self
    }

    /// A new administrator.
    pub fn administrator(mut self, administrator: UserId) -> Self {
        self.administrator = Some(administrator);
        self
    }
}

/// A renewal asked for (ServiceNow's Renew the Contract form).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Renewal {
    /// Who approves it (none: the contract's approver).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub approver: Option<UserId>,
    /// The day the renewed term starts: after the contract's start.
    pub start: NaiveDate,
    /// The day it ends: not before its start.
    pub end: NaiveDate,
    /// A price change in hundredths of a percent (negative: a decrease); not with `amount`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub percent: Option<i32>,
    /// A price change in minor units (negative: a decrease); not with `percent`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub amount: Option<i64>,
    /// Sent for review at once ("Submit for Review"); otherwise saved ("Save") and sent
    /// later with [`Command::Submit`].
    #[cfg_attr(feature = "serde", serde(default))]
    pub submit: bool,
}

impl Renewal {
    /// A renewal from `start` to `end`, at the same price, submitted at once.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Self {
        Renewal {
            approver: None,
            start,
            end,
            percent: None,
            amount: None,
            submit: true,
        }
    }

    /// With a price change in hundredths of a percent.
    pub fn percent(mut self, percent: i32) -> Self {
        self.percent = Some(percent);
        self
    }

    /// With a price change in minor units.
    pub fn amount(mut self, amount: i64) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Saved, not submitted.
    pub fn saved(mut self) -> Self {
        self.submit = false;
        self
    }

    /// Approved by someone else than the contract's approver.
    pub fn approver(mut self, approver: UserId) -> Self {
        self.approver = Some(approver);
        self
    }
}

/// A command. Each names what a user (or, for [`Command::Tick`], the host's daily job)
/// asks; [`decide`](crate::decide) answers with events or an error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Command {
    /// Creates the contract as a draft awaiting review.
    Create {
        /// Its id.
        id: ContractId,
        /// What it is.
        spec: Box<ContractSpec>,
    },
    /// Changes fields of a draft awaiting review or rejected.
    Edit {
        /// The changes.
        edit: Edit,
    },
    /// Sends a draft, or a saved renewal or extension, to its approver ("Submit for
    /// Review").
    Submit {
        /// The approver (a draft's may change only before it is sent).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        approver: Option<UserId>,
    },
    /// Approves what is under review.
    Approve,
    /// Rejects what is under review, saying why.
    Reject {
        /// Why (required).
        comments: String,
    },
    /// Asks for a renewal of an active or expired contract.
    Renew {
        /// The renewal.
        renewal: Renewal,
    },
    /// Asks to move the end date of an active or expired contract later.
    Extend {
        /// The new end date.
        end: NaiveDate,
        /// Who approves it (none: the contract's approver).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        approver: Option<UserId>,
        /// Sent for review at once; otherwise saved.
        #[cfg_attr(feature = "serde", serde(default))]
        submit: bool,
    },
    /// Changes the start date, end date or payment amount of an active contract.
    Adjust {
        /// A new start date.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        start: Option<NaiveDate>,
        /// A new end date.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        end: Option<NaiveDate>,
        /// A new payment amount (not with rate cards).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        payment_amount: Option<i64>,
    },
    /// Discontinues an active contract.
    Cancel,
    /// Covers an asset from today.
    Cover {
        /// The asset.
        asset: CoveredAsset,
    },
    /// Stops covering an asset from today.
    Uncover {
        /// Its id.
        asset: String,
    },
    /// Covers a user from today.
    AddUser {
        /// The user.
        user: UserId,
    },
    /// Stops covering a user from today.
    RemoveUser {
        /// The user.
        user: UserId,
    },
    /// Adds a rate card.
    AddRateCard {
        /// The card.
        card: Box<RateCardSpec>,
    },
    /// Stops a rate card charging.
    DeactivateRateCard {
        /// Its name.
        card: String,
    },
    /// The daily compliance job: activates approved contracts on their start date, renews
    /// approved renewals on theirs, expires contracts, sends reminders and generates
    /// expense lines. Harmless on any day: nothing due, no events.
    Tick,
}

impl Command {
    /// A `Create` command.
    pub fn create(id: ContractId, spec: ContractSpec) -> Self {
        Command::Create {
            id,
            spec: Box::new(spec),
        }
    }

    /// Its name in messages.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Create { .. } => "create",
            Command::Edit { .. } => "edit",
            Command::Submit { .. } => "submit",
            Command::Approve => "approve",
            Command::Reject { .. } => "reject",
            Command::Renew { .. } => "renew",
            Command::Extend { .. } => "extend",
            Command::Adjust { .. } => "adjust",
            Command::Cancel => "cancel",
            Command::Cover { .. } => "cover",
            Command::Uncover { .. } => "uncover",
            Command::AddUser { .. } => "add_user",
            Command::RemoveUser { .. } => "remove_user",
            Command::AddRateCard { .. } => "add_rate_card",
            Command::DeactivateRateCard { .. } => "deactivate_rate_card",
            Command::Tick => "tick",
        }
    }
}
