//! What reconciliation answers: the licence position of each software model, each metric's
//! rights, what licensed each install, and what to do about the gaps.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::metric::Metric;

/// Whether a model's use is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Status {
    /// Every install and subscription licensed (or an enterprise agreement covers it).
    Compliant,
    /// Some install or subscription is not licensed.
    NotCompliant,
}

/// The licence position on one day: one entry per software model, and what licensed each
/// install and subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Position {
    /// The day reconciled.
    pub as_of: NaiveDate,
    /// Every model that is installed, subscribed, entitled or listed, by id.
    pub models: Vec<ModelPosition>,
    /// Every install, by id.
    pub installs: Vec<Coverage>,
    /// Every subscription, by id.
    pub subscriptions: Vec<Coverage>,
}

impl Position {
    /// The position of `model`, if it is known.
    pub fn model(&self, model: &str) -> Option<&ModelPosition> {
        self.models
            .binary_search_by(|m| m.model.as_str().cmp(model))
            .ok()
            .and_then(|i| self.models.get(i))
    }

    /// What licensed install `id`, if it exists.
    pub fn install(&self, id: &str) -> Option<&Coverage> {
        find(&self.installs, id)
    }

    /// What licensed subscription `id`, if it exists.
    pub fn subscription(&self, id: &str) -> Option<&Coverage> {
        find(&self.subscriptions, id)
    }

    /// Whether every model is compliant.
    pub fn is_compliant(&self) -> bool {
        self.models.iter().all(|m| m.status == Status::Compliant)
    }

    /// The sum of the models' true-up costs, or `None` if some model's cannot be priced
    /// (or the sum exceeds `u64`).
    pub fn true_up_cost(&self) -> Option<u64> {
        self.models.iter().try_fold(0u64, |sum, m| {
            if m.unlicensed_installs == 0 && m.unlicensed_subscriptions == 0 {
                Some(sum)
            } else {
                sum.checked_add(m.true_up_cost?)
            }
        })
    }

    /// The sum of the models' over-licensed amounts (saturating at `u64::MAX`).
    pub fn over_licensed_amount(&self) -> u64 {
        self.models
            .iter()
            .fold(0u64, |sum, m| sum.saturating_add(m.over_licensed_amount))
    }
}

fn find<'a>(list: &'a [Coverage], id: &str) -> Option<&'a Coverage> {
    list.binary_search_by(|c| c.id.as_str().cmp(id))
        .ok()
        .and_then(|i| list.get(i))
}

/// What licensed one install or subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Coverage {
    /// The install's or subscription's id.
    pub id: String,
    /// Its model (shared by the records of the model).
    pub model: Arc<str>,
    /// The entitlement whose rights license it (`None`: unlicensed).
    pub entitlement: Option<Arc<str>>,
    /// Whether that entitlement is for a later model (a downgrade right).
    pub downgrade: bool,
    /// Whether the right was allocated to its device or user.
    pub allocated: bool,
}

/// The licence position of one software model (ServiceNow's software model result).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ModelPosition {
    /// The model.
    pub model: String,
    /// Compliant or not.
    pub status: Status,
    /// Whether an active enterprise agreement covers the model.
    pub enterprise_agreement: bool,
    /// Its installs.
    pub installs: u64,
    /// Its installs no entitlement licenses.
    pub unlicensed_installs: u64,
    /// Its subscriptions.
    pub subscriptions: u64,
    /// Its subscriptions no entitlement licenses.
    pub unlicensed_subscriptions: u64,
    /// Unlicensed installs that a per-user entitlement for the model could have licensed
    /// had the install a user.
    pub needs_user: u64,
    /// Unlicensed installs that a per-core or per-processor entitlement could have licensed
    /// had the device its processor and core counts.
    pub needs_hardware: u64,
    /// The rights of the entitlements for this model, one entry per metric.
    pub metrics: Vec<MetricPosition>,
    /// Ways to buy the rights the unlicensed installs and subscriptions need, one per
    /// metric that could license them.
    pub purchase_options: Vec<PurchaseOption>,
    /// Install metrics left out of `purchase_options` past
    /// [`MAX_PURCHASE_OPTIONS`](crate::MAX_PURCHASE_OPTIONS) (a model bought under that many
    /// metric variants; the subscription option is always listed); the true-up is the
    /// cheapest of those listed.
    pub purchase_options_omitted: u64,
    /// The cheapest complete, priced purchase: for the installs, the cheapest option that
    /// licenses them all; for the subscriptions, the same; their sum. `None` when a part
    /// that is unlicensed has no such option (no price, or every option leaves some
    /// unlicensable); 0 when all is licensed. The rights counted are those the unlicensed
    /// records need, as if no right were left: rights idle because a licensee is never
    /// licensed by two entitlements at once show in `over_licensed_amount`.
    pub true_up_cost: Option<u64>,
    /// The cost of the rights owned but not used, over every metric.
    pub over_licensed_amount: u64,
}

/// The rights of one model's entitlements under one metric (ServiceNow's licence metric
/// result).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct MetricPosition {
    /// The metric.
    pub metric: Metric,
    /// The active entitlements, by id.
    pub entitlements: Vec<String>,
    /// The entitlements whose rights do not count today (retired, or a subscription
    /// outside its dates), by id.
    pub inactive: Vec<String>,
    /// Whether this is the result of the metric's unlimited licences, kept apart from the
    /// counted ones as ServiceNow keeps them: rights owned, available, not allocated and
    /// the over-licensed amount are then 0, and nothing is suggested.
    pub unlimited: bool,
    /// The sum of the active rights.
    pub rights_owned: u64,
    /// Rights used to license installs or subscriptions (allocated in use plus not
    /// allocated in use).
    pub rights_used: u64,
    /// Counted rights owned but not used (`rights_owned - rights used from them`).
    pub rights_available: u64,
    /// Rights allocated and used.
    pub allocated_in_use: u64,
    /// Rights used but not allocated.
    pub not_allocated_in_use: u64,
    /// Rights allocated to a device or user that has none of the software.
    pub allocated_not_in_use: u64,
    /// Counted rights not allocated (`rights owned - allocated`).
    pub not_allocated: u64,
    /// Named metrics: the unlicensed devices or users an allocation would license.
    pub allocations_needed: u64,
    /// The cost of the unused counted rights.
    pub over_licensed_amount: u64,
    /// Installs of earlier models these rights license, per model.
    pub downgrades: Vec<DowngradeUse>,
    /// What the numbers suggest doing.
    pub remediations: Vec<Remediation>,
}

/// Installs of an earlier model licensed by a later model's rights.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DowngradeUse {
    /// The earlier model.
    pub model: String,
    /// Its installs licensed.
    pub installs: u64,
}

/// A remediation option (ServiceNow's remediation options of a software model result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Remediation {
    /// Lock today's not-allocated use in with allocations (not for CALs).
    CreateAllocations,
    /// Or remove the installs that use rights without an allocation (not for CALs).
    RemoveUnallocatedInstalls,
    /// Remove allocations to devices or users that do not use the software.
    RemoveAllocations,
}

/// Rights to buy to license what is unlicensed, under one metric.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PurchaseOption {
    /// The metric.
    pub metric: Metric,
    /// The rights needed.
    pub rights_needed: u64,
    /// Unlicensed installs this metric cannot license (no user, or no hardware data):
    /// buying this option alone leaves them unlicensed.
    pub unlicensable: u64,
    /// The price of one right: the model's licence cost, else the average unit cost of the
    /// entitlements with this metric that cover the model (`None`: nothing to price by).
    pub unit_price: Option<u64>,
    /// `rights_needed * unit_price`.
    pub cost: Option<u64>,
}
