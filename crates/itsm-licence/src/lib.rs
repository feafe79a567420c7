//! Software licence reconciliation: are the installs and subscriptions covered by the
//! rights bought, and what does it cost to close the gap?
//!
//! Software asset management's central question, answered as ServiceNow's Software Asset
//! Management answers it ([`Policy::servicenow`]; `docs/licence.md` has every rule with its
//! source):
//!
//! - **Entitlements** ([`Entitlement`]) grant rights for a software model under a licence
//!   [`Metric`]: per device, per user (with a most installs a right), per named device or
//!   user (allocated only), per core (`processors * max(min cores a processor, cores)`, at
//!   least the minimum a server), per processor (up to a core count each), device and user
//!   CALs, and user subscriptions. Perpetual or subscription (rights only between its
//!   dates), retired (no rights), counted or unlimited, generic or enterprise agreements.
//! - **Allocations** set rights aside for a device or user, which takes them first; the
//!   named metrics license no one else.
//! - **Downgrade rights**: a model's rights also license the earlier models it lists.
//! - **The position** ([`reconcile`] → [`Position`]): per model compliant or not, unlicensed
//!   installs and subscriptions, per metric the rights owned, used, available, allocated in
//!   use, not allocated in use, allocated not in use, allocations needed, the over-licensed
//!   amount and the remediation options; purchase options per metric and the true-up cost
//!   (the cheapest); what licensed each install.
//!
//! # Purity
//! [`reconcile`] reads only its arguments: no clock (the day is [`Snapshot::as_of`]), no
//! files, no environment. The same snapshot gives the same position, whatever the order of
//! its lists.
//!
//! # The host's loop
//! 1. Export the day's devices, installs (or access records), subscriptions and
//!    entitlements with their allocations into a [`Snapshot`] (JSON with the `serde`
//!    feature).
//! 2. Call [`reconcile`] with the [`Policy`] you report under.
//! 3. Show the [`ModelPosition`]s; act on the purchase options and remediations; store the
//!    position to compare with next week's.
//!
//! # Example
//! ```
//! use chrono::NaiveDate;
//! use itsm_licence::{Device, Entitlement, Install, Metric, Policy, Rights, Snapshot, SoftwareModel, Status, reconcile};
//!
//! let mut snapshot = Snapshot::new(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
//! // Office 2024 rights may license Office 2021 (a downgrade right).
//! let mut office = SoftwareModel::new("Office 2024");
//! office.downgrades_to = vec!["Office 2021".into()];
//! snapshot.models = vec![office];
//! snapshot.devices = vec![Device::new("lap-1"), Device::new("lap-2"), Device::new("lap-3")];
//! snapshot.installs = vec![
//!     Install::new("i1", "Office 2024", "lap-1").by("ana"),
//!     Install::new("i2", "Office 2021", "lap-2").by("ben"),
//!     Install::new("i3", "Office 2024", "lap-3").by("ana"), // Ana's second device
//! ];
//! snapshot.entitlements = vec![
//!     Entitlement::new("E1", "Office 2024", Metric::PER_USER, Rights::Count(2)).costing(25_000),
//! ];
//!
//! let position = reconcile(&snapshot, &Policy::servicenow())?;
//! assert!(position.is_compliant());
//! let office = position.model("Office 2024").unwrap();
//! assert_eq!(office.metrics[0].rights_used, 2); // Ana and Ben
//! assert_eq!(office.metrics[0].downgrades[0].installs, 1); // Ben's Office 2021
//! assert!(position.install("i2").unwrap().downgrade);
//! # Ok::<(), itsm_licence::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for snapshots, policies and positions.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod answer;
mod error;
mod metric;
mod model;
mod policy;
mod position;
mod prepare;
mod reconcile;

pub use answer::MAX_PURCHASE_OPTIONS;
pub use chrono;
pub use error::Error;
pub use metric::{Licensee, Metric};
pub use model::{
    Agreement, Allocation, Device, Entitlement, Install, LicenceType, Rights, Snapshot,
    SoftwareModel, Subscription,
};
pub use policy::Policy;
pub use position::{
    Coverage, DowngradeUse, MetricPosition, ModelPosition, Position, PurchaseOption, Remediation,
    Status,
};
pub use reconcile::reconcile;

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
