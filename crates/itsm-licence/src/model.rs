//! What reconciliation reads: the software models, the devices, what is installed and
//! subscribed, and the entitlements (the rights bought) with their allocations.

use chrono::NaiveDate;

use crate::metric::Metric;

/// Everything reconciliation looks at, as of one day. The lists may come in any order:
/// the position does not depend on it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Snapshot {
    /// The day the position is for: subscriptions count when it falls within their dates.
    pub as_of: NaiveDate,
    /// Software models with their downgrade rights and licence cost. A model named only by
    /// an install or an entitlement needs no entry here.
    #[cfg_attr(feature = "serde", serde(default))]
    pub models: Vec<SoftwareModel>,
    /// The devices installs are on, with the hardware the core and processor metrics count.
    #[cfg_attr(feature = "serde", serde(default))]
    pub devices: Vec<Device>,
    /// Software installations (or, for CALs, access records), each on a device.
    #[cfg_attr(feature = "serde", serde(default))]
    pub installs: Vec<Install>,
    /// Software subscriptions, each held by a user (what user subscription licences count).
    #[cfg_attr(feature = "serde", serde(default))]
    pub subscriptions: Vec<Subscription>,
    /// The rights bought.
    #[cfg_attr(feature = "serde", serde(default))]
    pub entitlements: Vec<Entitlement>,
}

impl Snapshot {
    /// An empty snapshot for `as_of`.
    pub fn new(as_of: NaiveDate) -> Snapshot {
        Snapshot {
            as_of,
            models: Vec::new(),
            devices: Vec::new(),
            installs: Vec::new(),
            subscriptions: Vec::new(),
            entitlements: Vec::new(),
        }
    }
}

/// A software model: one product, version and edition, such as `Office 2021 Professional`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SoftwareModel {
    /// The model's id, as installs and entitlements name it.
    pub id: String,
    /// The earlier models this model's rights may also license (ServiceNow's downgrade
    /// rights, kept on the model). The list is taken as written, not followed further: list
    /// every model a right may license.
    #[cfg_attr(feature = "serde", serde(default))]
    pub downgrades_to: Vec<String>,
    /// The price of one right, in the currency's minor units, for the true-up cost; without
    /// it the average unit cost of the entitlements is used.
    #[cfg_attr(feature = "serde", serde(default))]
    pub licence_cost: Option<u64>,
}

impl SoftwareModel {
    /// A model with no downgrade rights and no licence cost.
    pub fn new(id: impl Into<String>) -> SoftwareModel {
        SoftwareModel {
            id: id.into(),
            downgrades_to: Vec::new(),
            licence_cost: None,
        }
    }
}

/// A device (a laptop, a server, a virtual machine) that software is installed on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Device {
    /// The device's id.
    pub id: String,
    /// Its processor (socket) count, if discovered.
    #[cfg_attr(feature = "serde", serde(default))]
    pub processors: Option<u32>,
    /// Its cores per processor, if discovered.
    #[cfg_attr(feature = "serde", serde(default))]
    pub cores_per_processor: Option<u32>,
}

impl Device {
    /// A device without hardware data (enough for every metric but per core and per
    /// processor).
    pub fn new(id: impl Into<String>) -> Device {
        Device {
            id: id.into(),
            processors: None,
            cores_per_processor: None,
        }
    }

    /// The same device with `processors` processors of `cores` cores each.
    #[must_use]
    pub fn with_hardware(mut self, processors: u32, cores: u32) -> Device {
        self.processors = Some(processors);
        self.cores_per_processor = Some(cores);
        self
    }
}

/// One installation of a software model on a device (for CAL metrics: one access record).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Install {
    /// The install's id.
    pub id: String,
    /// The software model installed.
    pub model: String,
    /// The device it is on (one of [`Snapshot::devices`]).
    pub device: String,
    /// The user it counts against for the per-user metrics (usually the device's user).
    #[cfg_attr(feature = "serde", serde(default))]
    pub user: Option<String>,
}

impl Install {
    /// An install without a user.
    pub fn new(
        id: impl Into<String>,
        model: impl Into<String>,
        device: impl Into<String>,
    ) -> Install {
        Install {
            id: id.into(),
            model: model.into(),
            device: device.into(),
            user: None,
        }
    }

    /// The same install, counted against `user`.
    #[must_use]
    pub fn by(mut self, user: impl Into<String>) -> Install {
        self.user = Some(user.into());
        self
    }
}

/// One software subscription held by a user (a Creative Cloud or Microsoft 365 seat).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Subscription {
    /// The subscription's id.
    pub id: String,
    /// The software model subscribed to.
    pub model: String,
    /// The user holding it.
    pub user: String,
}

impl Subscription {
    /// A subscription of `user` to `model`.
    pub fn new(
        id: impl Into<String>,
        model: impl Into<String>,
        user: impl Into<String>,
    ) -> Subscription {
        Subscription {
            id: id.into(),
            model: model.into(),
            user: user.into(),
        }
    }
}

/// How many rights an entitlement grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Rights {
    /// This many rights (ServiceNow's active rights).
    Count(u64),
    /// An unlimited licence: any number of installs, never short, taken before counted
    /// rights.
    Unlimited,
}

/// How long an entitlement's rights last.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum LicenceType {
    /// Bought once, used indefinitely; its dates (maintenance, if any) do not end the
    /// rights.
    #[default]
    Perpetual,
    /// Rights only from the start date to the end date, both included.
    Subscription,
}

/// The agreement an entitlement was bought under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Agreement {
    /// An ordinary purchase.
    #[default]
    Generic,
    /// An enterprise or unlimited level agreement (ELA, ULA): installs beyond the rights
    /// are trued up later, so the model is compliant meanwhile (unless the policy says
    /// otherwise).
    Enterprise,
}

/// Rights bought for one software model under one licence metric.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Entitlement {
    /// The entitlement's id.
    pub id: String,
    /// The software model it licenses (and, through its downgrade rights, earlier ones).
    pub model: String,
    /// What one right licenses.
    pub metric: Metric,
    /// How many rights.
    pub rights: Rights,
    /// The price of one right, in the currency's minor units.
    #[cfg_attr(feature = "serde", serde(default))]
    pub unit_cost: u64,
    /// Perpetual or subscription.
    #[cfg_attr(feature = "serde", serde(default))]
    pub licence_type: LicenceType,
    /// The first day of a subscription.
    #[cfg_attr(feature = "serde", serde(default))]
    pub start: Option<NaiveDate>,
    /// The last day of a subscription.
    #[cfg_attr(feature = "serde", serde(default))]
    pub end: Option<NaiveDate>,
    /// A retired entitlement has no active rights.
    #[cfg_attr(feature = "serde", serde(default))]
    pub retired: bool,
    /// The agreement it was bought under.
    #[cfg_attr(feature = "serde", serde(default))]
    pub agreement: Agreement,
    /// Rights set aside for named devices or users.
    #[cfg_attr(feature = "serde", serde(default))]
    pub allocations: Vec<Allocation>,
}

impl Entitlement {
    /// A perpetual entitlement of `rights` rights at no cost, without allocations.
    pub fn new(
        id: impl Into<String>,
        model: impl Into<String>,
        metric: Metric,
        rights: Rights,
    ) -> Entitlement {
        Entitlement {
            id: id.into(),
            model: model.into(),
            metric,
            rights,
            unit_cost: 0,
            licence_type: LicenceType::Perpetual,
            start: None,
            end: None,
            retired: false,
            agreement: Agreement::Generic,
            allocations: Vec::new(),
        }
    }

    /// The same entitlement at `unit_cost` a right.
    #[must_use]
    pub fn costing(mut self, unit_cost: u64) -> Entitlement {
        self.unit_cost = unit_cost;
        self
    }

    /// The same entitlement as a subscription from `start` to `end`, both included.
    #[must_use]
    pub fn subscription(mut self, start: NaiveDate, end: NaiveDate) -> Entitlement {
        self.licence_type = LicenceType::Subscription;
        self.start = Some(start);
        self.end = Some(end);
        self
    }

    /// The same entitlement with `quantity` rights allocated to `to` (a device id for
    /// device metrics, a user id for user metrics).
    #[must_use]
    pub fn allocate(mut self, to: impl Into<String>, quantity: u64) -> Entitlement {
        self.allocations.push(Allocation {
            to: to.into(),
            quantity,
        });
        self
    }

    /// Whether its rights count on `day`: not retired and, for a subscription, `day`
    /// within its dates.
    pub fn is_active(&self, day: NaiveDate) -> bool {
        if self.retired {
            return false;
        }
        match self.licence_type {
            LicenceType::Perpetual => true,
            LicenceType::Subscription => {
                self.start.is_none_or(|s| s <= day) && self.end.is_none_or(|e| day <= e)
            }
        }
    }
}

/// Rights of an entitlement set aside for one device or user (ServiceNow's device and user
/// allocations): that licensee is licensed by this entitlement before any other, and the
/// named metrics license no one else.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Allocation {
    /// The device id (device metrics) or user id (user metrics).
    pub to: String,
    /// The rights set aside (at least one).
    pub quantity: u64,
}
