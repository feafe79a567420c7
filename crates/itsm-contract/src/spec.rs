//! What a contract is made of when it is created: its parties, dates, money, the assets and
//! users it covers and its rate cards.

use chrono::NaiveDate;
use itsm_core::UserId;

pub(crate) use itsm_core::named_enum as named;

/// The largest amount (in minor units, either sign) the crate takes: ten trillion in a
/// currency of cents. Every sum and split stays exact below it.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;
/// The most assets (and, apart, the most users) one contract covers.
pub const MAX_COVERED: usize = 5_000_000;
/// The most rate cards one contract has.
pub const MAX_RATE_CARDS: usize = 10_000;

named! {
    /// What kind of agreement a contract is (ServiceNow's contract models).
    Model {
        /// A lease.
        Lease => "lease",
        /// Maintenance of hardware or software.
        Maintenance => "maintenance",
        /// A warranty.
        Warranty => "warranty",
        /// A service contract.
        Service => "service",
        /// A software licence.
        SoftwareLicense => "software_license",
        /// A subscription.
        Subscription => "subscription",
        /// A purchase agreement: a vendor, dates and a discount of 0 to 99 apply.
        PurchaseAgreement => "purchase_agreement",
        /// A non-disclosure agreement: a vendor and dates apply.
        Nda => "nda",
        /// Any other kind.
        Other => "other",
    }
}

impl Model {
    /// Whether a contract of this model needs a vendor, a start date and an end date
    /// (ServiceNow: required when Purchase Agreement or NDA is selected).
    pub fn needs_vendor_and_dates(self) -> bool {
        matches!(self, Model::PurchaseAgreement | Model::Nda)
    }
}

named! {
    /// How often a rate card charges (and a contract's payment schedule).
    Interval {
        /// Every day.
        Daily => "daily",
        /// Every seven days.
        Weekly => "weekly",
        /// Every month, on the start's day of the month (the month's last day when it is
        /// shorter).
        Monthly => "monthly",
        /// Every three months.
        Quarterly => "quarterly",
        /// Every six months.
        SemiAnnually => "semi_annually",
        /// Every year.
        Annually => "annually",
    }
}

impl Interval {
    /// The `n`-th charge date of a rate card starting on `start` (the 0th is `start`),
    /// counted from `start` each time so month ends do not drift (31 January, 28 February,
    /// 31 March). `None` past chrono's last date.
    pub fn nth(self, start: NaiveDate, n: u32) -> Option<NaiveDate> {
        let months = |per: u32| {
            n.checked_mul(per)
                .and_then(|m| start.checked_add_months(chrono::Months::new(m)))
        };
        match self {
            Interval::Daily => start.checked_add_days(chrono::Days::new(u64::from(n))),
            Interval::Weekly => {
                start.checked_add_days(chrono::Days::new(u64::from(n).saturating_mul(7)))
            }
            Interval::Monthly => months(1),
            Interval::Quarterly => months(3),
            Interval::SemiAnnually => months(6),
            Interval::Annually => months(12),
        }
    }

    /// How many charges a year makes, for projections (a year of 365 days, 52 weeks).
    pub fn per_year(self) -> u32 {
        match self {
            Interval::Daily => 365,
            Interval::Weekly => 52,
            Interval::Monthly => 12,
            Interval::Quarterly => 4,
            Interval::SemiAnnually => 2,
            Interval::Annually => 1,
        }
    }
}

named! {
    /// How a rate card's charge is split into expense lines (ServiceNow's "Distribute cost").
    Distribute {
        /// One line on the contract ("Allocate cost to contract").
        Contract => "contract",
        /// Evenly over the card's covered assets ("Allocate and distribute cost per asset").
        PerAsset => "per_asset",
        /// Over the card's covered assets in proportion to their cost ("based on value",
        /// Cost).
        AssetCost => "asset_cost",
        /// Over the card's covered assets in proportion to their residual cost ("based on
        /// value", Residual Cost).
        AssetResidual => "asset_residual",
        /// Evenly over the card's covered users ("Allocate and distribute cost per user").
        PerUser => "per_user",
    }
}

// The enum comes from `named_enum!`, which derives no `Default`.
#[allow(clippy::derivable_impls)]
impl Default for Distribute {
    fn default() -> Self {
        Distribute::Contract
    }
}

impl Distribute {
    /// Whether the charge goes to assets.
    pub fn by_asset(self) -> bool {
        matches!(
            self,
            Distribute::PerAsset | Distribute::AssetCost | Distribute::AssetResidual
        )
    }
}

named! {
    /// A reporting category of a rate card and its lines.
    Summary {
        /// Growing the business.
        Grow => "grow",
        /// Running the business.
        Run => "run",
        /// Transforming the business.
        Transform => "transform",
    }
}

/// A rate in hundredths of a percent (basis points): `825` is 8.25 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Rate(pub u32);

impl Rate {
    /// The most a tax rate may be: 100 %.
    pub const MAX: Rate = Rate(10_000);
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02} %", self.0 / 100, self.0 % 100)
    }
}

/// An asset a contract covers, with the values a by-value split reads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CoveredAsset {
    /// The asset's id in the host (an asset tag, a sys_id): unique among the contract's
    /// covered assets.
    pub id: String,
    /// Its cost, in minor units (at least 0).
    #[cfg_attr(feature = "serde", serde(default))]
    pub cost: i64,
    /// Its residual cost, in minor units (at least 0).
    #[cfg_attr(feature = "serde", serde(default))]
    pub residual: i64,
}

impl CoveredAsset {
    /// An asset with its cost and residual cost.
    pub fn new(id: impl Into<String>, cost: i64, residual: i64) -> Self {
        CoveredAsset {
            id: id.into(),
            cost,
            residual,
        }
    }
}

/// A contract rate card: a recurring charge that generates expense lines (ServiceNow's
/// Contract Rate Card form).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RateCardSpec {
    /// Its name: unique within the contract.
    pub name: String,
    /// The first charge date: not before the contract's start.
    pub start: NaiveDate,
    /// No charge after this date: not after the contract's end. None: the contract's end
    /// date, whatever it becomes (none for an open-ended contract).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub end: Option<NaiveDate>,
    /// How often it charges.
    pub interval: Interval,
    /// What each charge costs before tax, in minor units (negative: a credit).
    pub base_cost: i64,
    /// Sales tax on each charge; none: exempt.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub sales_tax: Option<Rate>,
    /// How a charge is split into lines (left out: to the contract).
    #[cfg_attr(feature = "serde", serde(default))]
    pub distribute: Distribute,
    /// The covered assets it charges (ids of the contract's covered assets).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub assets: Vec<String>,
    /// The covered users it charges.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub users: Vec<UserId>,
    /// Its reporting category.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub summary: Option<Summary>,
}

impl RateCardSpec {
    /// A card charging `base_cost` every `interval` from `start`, to the contract.
    pub fn new(
        name: impl Into<String>,
        start: NaiveDate,
        interval: Interval,
        base_cost: i64,
    ) -> Self {
        RateCardSpec {
            name: name.into(),
            start,
            end: None,
            interval,
            base_cost,
            sales_tax: None,
            distribute: Distribute::Contract,
            assets: Vec::new(),
            users: Vec::new(),
            summary: None,
        }
    }

    /// With an end date.
    pub fn until(mut self, end: NaiveDate) -> Self {
        self.end = Some(end);
        self
    }

    /// With sales tax.
    pub fn taxed(mut self, rate: Rate) -> Self {
        self.sales_tax = Some(rate);
        self
    }

    /// Split over these covered assets.
    pub fn over_assets<S: Into<String>>(
        mut self,
        distribute: Distribute,
        assets: impl IntoIterator<Item = S>,
    ) -> Self {
        self.distribute = distribute;
        self.assets = assets.into_iter().map(Into::into).collect();
        self
    }

    /// Split evenly over these covered users.
    pub fn over_users(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.distribute = Distribute::PerUser;
        self.users = users.into_iter().collect();
        self
    }

    /// What each charge costs with its tax.
    pub fn total_cost(&self) -> i64 {
        crate::money::with_tax(self.base_cost, self.sales_tax)
    }
}

/// A contract as it is created (ServiceNow's Contract form).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ContractSpec {
    /// The number the vendor gave it (required).
    pub number: String,
    /// Its name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
    /// Its model.
    pub model: Model,
    /// The vendor (required for purchase agreements and NDAs).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub vendor: Option<String>,
    /// The day it takes effect (required for purchase agreements and NDAs; none: it takes
    /// effect once approved).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub start: Option<NaiveDate>,
    /// The day it expires (required for purchase agreements and NDAs; none: open-ended).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub end: Option<NaiveDate>,
    /// Who manages it and receives the expiration reminders.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub administrator: Option<UserId>,
    /// Who approves or rejects it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub approver: Option<UserId>,
    /// The contract's amount before tax, in minor units (ServiceNow's payment amount; with
    /// rate cards, their base costs' sum is shown instead).
    #[cfg_attr(feature = "serde", serde(default))]
    pub payment_amount: i64,
    /// When payments fall due (informational; projections use the rate cards).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub payment_schedule: Option<Interval>,
    /// Sales tax on the payment amount; none: exempt.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub sales_tax: Option<Rate>,
    /// A purchase agreement's discount, 0 to 99 (percent).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub discount: Option<u8>,
    /// The assets it covers.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub assets: Vec<CoveredAsset>,
    /// The users it covers.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub users: Vec<UserId>,
    /// Its rate cards.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub rate_cards: Vec<RateCardSpec>,
}

impl ContractSpec {
    /// A contract with its number, model and dates; nothing else set.
    pub fn new(
        number: impl Into<String>,
        model: Model,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    ) -> Self {
        ContractSpec {
            number: number.into(),
            name: String::new(),
            model,
            vendor: None,
            start,
            end,
            administrator: None,
            approver: None,
            payment_amount: 0,
            payment_schedule: None,
            sales_tax: None,
            discount: None,
            assets: Vec::new(),
            users: Vec::new(),
            rate_cards: Vec::new(),
        }
    }

    /// With a name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// With a vendor.
    pub fn vendor(mut self, vendor: impl Into<String>) -> Self {
        self.vendor = Some(vendor.into());
        self
    }

    /// With an approver.
    pub fn approver(mut self, approver: UserId) -> Self {
        self.approver = Some(approver);
        self
    }

    /// With an administrator.
    pub fn administrator(mut self, administrator: UserId) -> Self {
        self.administrator = Some(administrator);
        self
    }

    /// With a payment amount.
    pub fn payment(mut self, amount: i64) -> Self {
        self.payment_amount = amount;
        self
    }

    /// Covering an asset.
    pub fn asset(mut self, asset: CoveredAsset) -> Self {
        self.assets.push(asset);
        self
    }

    /// Covering a user.
    pub fn user(mut self, user: UserId) -> Self {
        self.users.push(user);
        self
    }

    /// With a rate card.
    pub fn rate_card(mut self, card: RateCardSpec) -> Self {
        self.rate_cards.push(card);
        self
    }
}
