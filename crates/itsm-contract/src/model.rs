//! The contract record as its events made it, and what it says about costs and expiry.

use std::collections::HashMap;

use chrono::NaiveDate;
use itsm_core::UserId;

use crate::money;
use crate::spec::{CoveredAsset, Interval, Model, Rate, RateCardSpec, named};

itsm_core::id_type!(
    /// A contract record (made by the host).
    ContractId
);

named! {
    /// Where a contract stands (ServiceNow's contract states).
    Status {
        /// Being prepared, reviewed and approved; not in effect yet.
        Draft => "draft",
        /// Approved and past its start date: in effect.
        Active => "active",
        /// Past its end date.
        Expired => "expired",
        /// Discontinued.
        Canceled => "canceled",
    }
}

named! {
    /// Where the contract's review, renewal or extension stands (ServiceNow's substates).
    Substate {
        /// Nothing under way.
        None => "none",
        /// Being prepared for review (a new draft, or a renewal or extension saved but not
        /// submitted).
        AwaitingReview => "awaiting_review",
        /// Sent to the approver.
        UnderReview => "under_review",
        /// A draft approved, waiting for its start date.
        Approved => "approved",
        /// A draft rejected: edit it and submit it again.
        Rejected => "rejected",
        /// A renewal approved, waiting for its start date.
        RenewalApproved => "renewal_approved",
        /// A renewal rejected.
        RenewalRejected => "renewal_rejected",
        /// An extension approved (the end date has moved).
        ExtensionApproved => "extension_approved",
        /// An extension rejected.
        ExtensionRejected => "extension_rejected",
    }
}

named! {
    /// What a review is about.
    Review {
        /// The contract itself (a draft).
        Contract => "contract",
        /// A renewal of an active or expired contract.
        Renewal => "renewal",
        /// An extension of its end date.
        Extension => "extension",
    }
}

named! {
    /// Where a renewal or extension request stands.
    Stage {
        /// Saved, not sent to the approver.
        Saved => "saved",
        /// Sent to the approver.
        UnderReview => "under_review",
        /// Approved (a renewal waiting for its start date).
        Approved => "approved",
    }
}

/// A renewal or extension under way.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Request {
    /// A renewal or an extension.
    pub review: Review,
    /// Who approves it.
    pub approver: UserId,
    /// A renewal's start date (none for an extension).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub start: Option<NaiveDate>,
    /// The new end date.
    pub end: NaiveDate,
    /// A renewal's price change in hundredths of a percent.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub percent: Option<i32>,
    /// A renewal's price change in minor units.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub amount: Option<i64>,
    /// Where it stands.
    pub stage: Stage,
}

/// A covered asset and when it was covered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Coverage<T> {
    /// The asset or user.
    pub item: T,
    /// The day it was added (ServiceNow's "Date added").
    pub added: NaiveDate,
    /// The day it was removed ("Date removed"): not covered from that day.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub removed: Option<NaiveDate>,
}

impl<T> Coverage<T> {
    /// Whether it is covered on `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.added <= day && self.removed.is_none_or(|r| day < r)
    }
}

/// A rate card of the contract and how far it has charged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RateCard {
    /// What it charges (its base cost as renewals adjusted it).
    pub spec: RateCardSpec,
    /// Charging (ServiceNow's Active box: a canceled contract's cards are inactive).
    pub active: bool,
    /// How many of its charge dates have been processed.
    pub processed: u32,
    /// The last day it charged.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub last_processed: Option<NaiveDate>,
}

impl RateCard {
    /// Its next charge date ("Next process"); none past chrono's last date.
    pub fn next_process(&self) -> Option<NaiveDate> {
        self.spec.interval.nth(self.spec.start, self.processed)
    }
}

named! {
    /// Why a contract's dates changed.
    DateChange {
        /// Adjusted by hand.
        Adjusted => "adjusted",
        /// Renewed.
        Renewed => "renewed",
        /// Extended.
        Extended => "extended",
    }
}

/// A change of the contract's dates (ServiceNow's Contract History).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct History {
    /// Why.
    pub change: DateChange,
    /// The day it happened.
    pub on: NaiveDate,
    /// The start before.
    pub start_before: Option<NaiveDate>,
    /// The end before.
    pub end_before: Option<NaiveDate>,
    /// The start after.
    pub start_after: Option<NaiveDate>,
    /// The end after.
    pub end_after: Option<NaiveDate>,
}

/// Where each asset and user covered now sits in the coverage lists: built on first use,
/// kept up to date by the fold, never serialized or compared (two records with the same
/// coverage are equal whether or not one has built it).
#[derive(Default, Clone)]
pub(crate) struct Lookup(std::sync::OnceLock<Positions>);

#[derive(Default, Clone)]
pub(crate) struct Positions {
    pub(crate) assets: HashMap<String, usize>,
    pub(crate) users: HashMap<UserId, usize>,
}

impl PartialEq for Lookup {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Lookup {}

impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup")
    }
}

impl Lookup {
    /// The positions, built from `assets` and `users` on first use.
    fn get(&self, assets: &[Coverage<CoveredAsset>], users: &[Coverage<UserId>]) -> &Positions {
        self.0.get_or_init(|| Positions {
            assets: assets
                .iter()
                .enumerate()
                .filter(|(_, c)| c.removed.is_none())
                .map(|(i, c)| (c.item.id.clone(), i))
                .collect(),
            users: users
                .iter()
                .enumerate()
                .filter(|(_, c)| c.removed.is_none())
                .map(|(i, c)| (c.item, i))
                .collect(),
        })
    }

    /// The positions if built (the fold keeps them up to date then).
    pub(crate) fn built(&mut self) -> Option<&mut Positions> {
        self.0.get_mut()
    }
}

/// A contract record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Contract {
    /// Its id.
    pub id: ContractId,
    /// The vendor's number.
    pub number: String,
    /// Its name.
    pub name: String,
    /// Its model.
    pub model: Model,
    /// The vendor.
    pub vendor: Option<String>,
    /// The day it takes effect.
    pub start: Option<NaiveDate>,
    /// The day it expires (none: open-ended).
    pub end: Option<NaiveDate>,
    /// Who receives the reminders.
    pub administrator: Option<UserId>,
    /// Who approves it.
    pub approver: Option<UserId>,
    /// The amount before tax.
    pub payment_amount: i64,
    /// When payments fall due.
    pub payment_schedule: Option<Interval>,
    /// Sales tax on the payment amount.
    pub sales_tax: Option<Rate>,
    /// A purchase agreement's discount.
    pub discount: Option<u8>,
    /// Where it stands.
    pub status: Status,
    /// Where its review, renewal or extension stands.
    pub substate: Substate,
    /// A renewal or extension under way.
    pub request: Option<Request>,
    /// The assets it covers and covered.
    pub assets: Vec<Coverage<CoveredAsset>>,
    /// The users it covers and covered.
    pub users: Vec<Coverage<UserId>>,
    /// Its rate cards.
    pub rate_cards: Vec<RateCard>,
    /// Changes of its dates.
    pub history: Vec<History>,
    /// The reminder last sent for the current end date (days before it).
    pub reminded: Option<u32>,
    /// The sum of its expense lines (ServiceNow's lifetime cost).
    pub lifetime_cost: i64,
    /// How many expense lines it has generated.
    pub lines: u64,
    /// The day it was created.
    pub created: NaiveDate,
    /// Where the covered assets and users sit.
    #[cfg_attr(feature = "serde", serde(skip))]
    #[cfg_attr(feature = "schemars", schemars(skip))]
    pub(crate) lookup: Lookup,
}

/// Projected costs from the active rate cards (ServiceNow's "Calculate projected costs").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Projection {
    /// A month's cost: the annual cost over twelve, rounded half away from zero.
    pub monthly: i64,
    /// A year's cost: each card's charge with tax times its charges a year.
    pub annual: i64,
}

impl Contract {
    /// The assets covered on `day`.
    pub fn assets_on(&self, day: NaiveDate) -> impl Iterator<Item = &CoveredAsset> {
        self.assets
            .iter()
            .filter(move |c| c.covers(day))
            .map(|c| &c.item)
    }

    /// The assets covered now (not removed).
    pub fn covered_assets(&self) -> impl Iterator<Item = &CoveredAsset> {
        self.assets
            .iter()
            .filter(|c| c.removed.is_none())
            .map(|c| &c.item)
    }

    /// The users covered now (not removed).
    pub fn covered_users(&self) -> impl Iterator<Item = UserId> + '_ {
        self.users
            .iter()
            .filter(|c| c.removed.is_none())
            .map(|c| c.item)
    }

    /// Whether the asset is covered now (constant time after the first call).
    pub fn covers_asset(&self, id: &str) -> bool {
        self.lookup
            .get(&self.assets, &self.users)
            .assets
            .contains_key(id)
    }

    /// Whether the user is covered now (constant time after the first call).
    pub fn covers_user(&self, user: UserId) -> bool {
        self.lookup
            .get(&self.assets, &self.users)
            .users
            .contains_key(&user)
    }

    /// The position in `assets` of the asset covered now, if it is.
    pub(crate) fn asset_position(&self, id: &str) -> Option<usize> {
        self.lookup
            .get(&self.assets, &self.users)
            .assets
            .get(id)
            .copied()
    }

    /// The position in `users` of the user covered now, if they are.
    pub(crate) fn user_position(&self, user: UserId) -> Option<usize> {
        self.lookup
            .get(&self.assets, &self.users)
            .users
            .get(&user)
            .copied()
    }

    /// The rate card of this name.
    pub fn rate_card(&self, name: &str) -> Option<&RateCard> {
        self.rate_cards.iter().find(|c| c.spec.name == name)
    }

    /// The active rate cards (a canceled contract's and deactivated cards no longer count).
    fn active_cards(&self) -> impl Iterator<Item = &RateCard> {
        self.rate_cards.iter().filter(|c| c.active)
    }

    /// The tax on the payment amount, or on the active rate cards' base costs ("Calculate
    /// totals with tax").
    pub fn tax_cost(&self) -> i64 {
        if self.rate_cards.is_empty() {
            money::tax(self.payment_amount, self.sales_tax)
        } else {
            money::saturate(
                self.active_cards()
                    .map(|c| i128::from(money::tax(c.spec.base_cost, c.spec.sales_tax)))
                    .sum(),
            )
        }
    }

    /// The contract's cost: the payment amount with its tax or, with rate cards, every
    /// active card's charge with its tax ("if a contract has one or more rate cards, this
    /// field shows the combined value of all rate cards").
    pub fn total_cost(&self) -> i64 {
        if self.rate_cards.is_empty() {
            money::with_tax(self.payment_amount, self.sales_tax)
        } else {
            money::saturate(
                self.active_cards()
                    .map(|c| i128::from(c.spec.total_cost()))
                    .sum(),
            )
        }
    }

    /// The payment amount shown: with rate cards, the active cards' base costs' sum.
    pub fn shown_payment_amount(&self) -> i64 {
        if self.rate_cards.is_empty() {
            self.payment_amount
        } else {
            money::saturate(
                self.active_cards()
                    .map(|c| i128::from(c.spec.base_cost))
                    .sum(),
            )
        }
    }

    /// The total cost over the covered assets, rounded half away from zero ("Update
    /// contract cost per asset"); none without a covered asset.
    pub fn cost_per_asset(&self) -> Option<i64> {
        let count = i64::try_from(self.covered_assets().count()).ok()?;
        if count == 0 {
            return None;
        }
        let total = i128::from(self.total_cost());
        let count = i128::from(count);
        let (q, r) = (total / count, total % count);
        Some(money::saturate(if r.abs() * 2 >= count {
            q + total.signum()
        } else {
            q
        }))
    }

    /// Monthly and annual costs from the active rate cards of a draft or active contract
    /// (an expired or canceled one projects nothing).
    pub fn projected(&self) -> Projection {
        let running = matches!(self.status, Status::Draft | Status::Active);
        let annual: i128 = self
            .active_cards()
            .filter(|_| running)
            .map(|c| i128::from(c.spec.total_cost()) * i128::from(c.spec.interval.per_year()))
            .sum();
        let monthly = {
            let (q, r) = (annual / 12, annual % 12);
            if r.abs() * 2 >= 12 {
                q + annual.signum()
            } else {
                q
            }
        };
        Projection {
            monthly: money::saturate(monthly),
            annual: money::saturate(annual),
        }
    }

    /// The expiration level on `today`: the smallest reminder threshold (days before the
    /// end) already reached, for an active contract with an end date (ServiceNow's daily
    /// condition checker sets it); none before the first or without an end.
    pub fn expiration_level(&self, today: NaiveDate, reminders: &[u32]) -> Option<u32> {
        if self.status != Status::Active {
            return None;
        }
        let end = self.end?;
        reminders
            .iter()
            .copied()
            .filter(|&days| reached(end, days, today))
            .min()
    }
}

/// Whether `today` is `days` or fewer before `end` (a day before chrono's first counts as
/// reached).
pub(crate) fn reached(end: NaiveDate, days: u32, today: NaiveDate) -> bool {
    end.checked_sub_days(chrono::Days::new(u64::from(days)))
        .is_none_or(|day| day <= today)
}

/// The record of one contract: none before it is created.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct State {
    /// The contract, once created.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub contract: Option<Contract>,
    /// The last day a command ran on it: a later command may not come from an earlier day.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub last: Option<NaiveDate>,
}

impl State {
    /// No contract yet.
    pub fn new() -> Self {
        State::default()
    }

    /// The contract, once created.
    pub fn contract(&self) -> Option<&Contract> {
        self.contract.as_ref()
    }

    /// Folds events into the state, in order (as [`evolve`](crate::evolve) does).
    pub fn apply(&mut self, events: &[crate::Event]) {
        for event in events {
            crate::machine::apply(self, event);
        }
    }
}
