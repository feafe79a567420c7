//! What happened: the facts [`decide`](crate::decide) returns and
//! [`evolve`](crate::evolve) folds.

use chrono::{DateTime, Utc};

use crate::model::{Asset, AssetId, Placement};
use crate::policy::RestockSource;

/// A fact about the inventory. Every event carries its instant; `evolve` needs nothing
/// else.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Event {
    /// A record was added.
    Registered {
        /// The record as it starts (boxed: the other events are much smaller).
        asset: Box<Asset>,
    },
    /// A record's placement changed (state, substate, stockroom, assignment, transfer).
    Moved {
        /// The record.
        asset: AssetId,
        /// Its whole placement after the move.
        placement: Placement,
        /// When.
        at: DateTime<Utc>,
    },
    /// Part of a record became a new record, placed as the old one is (a [`Moved`]
    /// usually follows). A record split away entirely is removed.
    ///
    /// [`Moved`]: Event::Moved
    Split {
        /// The record split.
        from: AssetId,
        /// The new record.
        into: AssetId,
        /// How many items moved.
        quantity: u32,
        /// An item allocated from a pre-allocated record: the new record has no CI and no
        /// use history (ServiceNow copies the model and parent).
        #[cfg_attr(feature = "serde", serde(default))]
        allocated: bool,
        /// When.
        at: DateTime<Utc>,
    },
    /// Consumables joined an identical record (same model, cost, CI and placement; none
    /// marked for disposal or being transferred). A record emptied is removed.
    Merged {
        /// The record they left.
        from: AssetId,
        /// The record they joined.
        into: AssetId,
        /// How many items moved.
        quantity: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// A record's parent changed (`None`: detached). Its placement, and its children's,
    /// follow in [`Moved`](Event::Moved) events.
    ParentSet {
        /// The record.
        asset: AssetId,
        /// Its parent now.
        parent: Option<AssetId>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The asset's state set its linked CI's status (the policy's mapping). The CI lives
    /// in the host's CMDB: this is the request to update it.
    CiStatusSet {
        /// The asset.
        asset: AssetId,
        /// Its CI.
        ci: String,
        /// The CI's status.
        ci_status: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A stock rule asked for a restock; it asks again only after
    /// [`RestockDelivered`](Event::RestockDelivered).
    RestockRequested {
        /// The rule.
        rule: String,
        /// The model.
        model: String,
        /// The stockroom.
        stockroom: String,
        /// The quantity available when the rule ran.
        available: u64,
        /// How many to restock.
        order: u64,
        /// From where.
        source: RestockSource,
        /// When.
        at: DateTime<Utc>,
    },
    /// A stock rule's restock arrived.
    RestockDelivered {
        /// The rule.
        rule: String,
        /// When.
        at: DateTime<Utc>,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Registered { asset } => asset.updated_at,
            Event::Moved { at, .. }
            | Event::Split { at, .. }
            | Event::Merged { at, .. }
            | Event::ParentSet { at, .. }
            | Event::CiStatusSet { at, .. }
            | Event::RestockRequested { at, .. }
            | Event::RestockDelivered { at, .. } => *at,
        }
    }
}
