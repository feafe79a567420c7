//! The one error type of this crate.

use chrono::NaiveDate;
use itsm_core::Quoted;

/// Everything that makes a snapshot impossible to reconcile. Each variant says what was
/// found and what is allowed; ids are quoted capped and escaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An id is empty.
    #[error(
        "{what} has an empty id; every model, device, install, subscription and entitlement needs one"
    )]
    EmptyId {
        /// What has it (`a device`, `install 3's model`, ...).
        what: String,
    },
    /// Two records of one kind share an id.
    #[error("two {kind} have the id `{}`; ids must be unique within a kind", Quoted(.id))]
    DuplicateId {
        /// The kind (`models`, `devices`, `installs`, `subscriptions`, `entitlements`).
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// An install or a device allocation names a device that is not in the snapshot.
    #[error("{referrer} names device `{}`, which is not among the snapshot's devices; add it or correct the id", Quoted(.device))]
    UnknownDevice {
        /// Who names it (`install X`, `an allocation of entitlement Y`).
        referrer: String,
        /// The device id.
        device: String,
    },
    /// A metric attribute that must be at least 1 is 0.
    #[error("entitlement `{}`: {attribute} is 0; it must be at least 1 (or left out where it may be unlimited)", Quoted(.entitlement))]
    ZeroAttribute {
        /// The entitlement.
        entitlement: String,
        /// The attribute.
        attribute: &'static str,
    },
    /// A subscription ends before it starts.
    #[error("entitlement `{}` ends on {end}, before it starts on {start}; the end must be on or after the start", Quoted(.entitlement))]
    EndBeforeStart {
        /// The entitlement.
        entitlement: String,
        /// Its start.
        start: NaiveDate,
        /// Its end.
        end: NaiveDate,
    },
    /// An allocation sets aside no rights.
    #[error("entitlement `{}` allocates 0 rights to `{}`; an allocation sets aside at least one", Quoted(.entitlement), Quoted(.to))]
    ZeroAllocation {
        /// The entitlement.
        entitlement: String,
        /// The device or user.
        to: String,
    },
    /// An entitlement allocates to the same device or user twice.
    #[error("entitlement `{}` allocates to `{}` twice; give one allocation the sum of the quantities", Quoted(.entitlement), Quoted(.to))]
    DuplicateAllocation {
        /// The entitlement.
        entitlement: String,
        /// The device or user.
        to: String,
    },
    /// Active allocations set aside more rights than the entitlement has.
    #[error("entitlement `{}` allocates {allocated} rights but has {rights}; allocations may not exceed the active rights", Quoted(.entitlement))]
    AllocationsExceedRights {
        /// The entitlement.
        entitlement: String,
        /// The rights allocated in all.
        allocated: u128,
        /// Its active rights.
        rights: u64,
    },
    /// A model lists itself among its downgrades.
    #[error("model `{}` lists itself in downgrades_to; list only earlier models", Quoted(.model))]
    SelfDowngrade {
        /// The model.
        model: String,
    },
    /// A model lists the same downgrade twice.
    #[error("model `{}` lists `{}` in downgrades_to twice; list each model once", Quoted(.model), Quoted(.to))]
    DuplicateDowngrade {
        /// The model.
        model: String,
        /// The downgrade listed twice.
        to: String,
    },
    /// The policy's default metric cannot price installs.
    #[error(
        "the policy's default_metric {metric} {reason}; use an install metric with attributes of at least 1, such as per_device"
    )]
    DefaultMetric {
        /// The metric, as ServiceNow names it.
        metric: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A sum of rights or a cost does not fit in 64 bits.
    #[error("model `{}`: {what} exceeds {}; rights and costs (in minor units) must fit in 64 bits", Quoted(.model), u64::MAX)]
    Overflow {
        /// The model.
        model: String,
        /// Which sum (`the rights owned`, `the true-up cost`, ...).
        what: &'static str,
    },
}
