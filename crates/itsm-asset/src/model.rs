//! Assets, their states and substates, and the inventory that holds them.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::BuildHasherDefault;

use chrono::{DateTime, Utc};
use itsm_core::UserId;

itsm_core::id_type!(
    /// An asset record. The host makes it (with `Uuid::new_v4`, or `Uuid::new_v5` from its
    /// own key) and passes it in: to register an asset, and wherever a command may split a
    /// quantity off into a new record.
    AssetId
);

/// What kind of asset a record is. The class decides which states and substates it may
/// take (the policy's [`states`](crate::Policy::states) table) and whether it is counted
/// by quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum AssetClass {
    /// A physical item tracked one by one (a laptop, a server). ServiceNow's
    /// `alm_hardware`.
    Hardware,
    /// Items tracked as a group of the same model by quantity (keyboards, toner), split
    /// when part of the group moves and merged when records become identical. ServiceNow's
    /// `alm_consumable`.
    Consumable,
    /// An asset made of others while it is being prepared (ServiceNow's bundles: the only
    /// class with the build state besides [`Other`](AssetClass::Other)).
    Bundle,
    /// Any other asset tracked one by one (a licence, a facility): ServiceNow's base
    /// `alm_asset`.
    Other,
}

impl AssetClass {
    /// Every class, in order.
    pub const ALL: [AssetClass; 4] = [
        AssetClass::Hardware,
        AssetClass::Consumable,
        AssetClass::Bundle,
        AssetClass::Other,
    ];

    /// The class's name as JSON spells it (`hardware`).
    pub fn name(self) -> &'static str {
        match self {
            AssetClass::Hardware => "hardware",
            AssetClass::Consumable => "consumable",
            AssetClass::Bundle => "bundle",
            AssetClass::Other => "other",
        }
    }
}

impl std::fmt::Display for AssetClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Where an asset is in its life (ServiceNow's asset **State**; "you shouldn't modify
/// state values", so they are fixed here and the substates are data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Status {
    /// Ordered, not yet received.
    OnOrder,
    /// Being prepared (bundles and other non-hardware assets).
    Build,
    /// Stored in a stockroom; the substate says whether it can be put to use.
    InStock,
    /// Being transported.
    InTransit,
    /// In use (not for consumables).
    InUse,
    /// Consumed (consumables only): given to a user or an asset.
    Consumed,
    /// Being repaired or maintained.
    InMaintenance,
    /// Lost or stolen.
    Missing,
    /// At the end of its life; may be made active again.
    Retired,
}

impl Status {
    /// Every status, in order.
    pub const ALL: [Status; 9] = [
        Status::OnOrder,
        Status::Build,
        Status::InStock,
        Status::InTransit,
        Status::InUse,
        Status::Consumed,
        Status::InMaintenance,
        Status::Missing,
        Status::Retired,
    ];

    /// The status's name as JSON spells it (`in_stock`).
    pub fn name(self) -> &'static str {
        match self {
            Status::OnOrder => "on_order",
            Status::Build => "build",
            Status::InStock => "in_stock",
            Status::InTransit => "in_transit",
            Status::InUse => "in_use",
            Status::Consumed => "consumed",
            Status::InMaintenance => "in_maintenance",
            Status::Missing => "missing",
            Status::Retired => "retired",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The detail of a status (ServiceNow's **Substate**): which substates exist, with which
/// statuses and classes, is the policy's data. The documented ones are constants; any
/// other name a vendor defines works the same.
///
/// ```
/// use itsm_asset::Substate;
/// assert_eq!(Substate::AVAILABLE.as_str(), "available");
/// assert_eq!(Substate::new("awaiting_badge"), Substate::new("awaiting_badge".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Substate(Cow<'static, str>);

macro_rules! substates {
    ($($(#[$doc:meta])* $name:ident = $text:literal;)*) => {
        impl Substate {
            $($(#[$doc])* pub const $name: Substate = Substate(Cow::Borrowed($text));)*
        }
    };
}

substates! {
    /// In stock or in transit: available for use.
    AVAILABLE = "available";
    /// Reserved for a user (a sourcing request, a transfer's delivery).
    RESERVED = "reserved";
    /// Faulty or inoperative.
    DEFECTIVE = "defective";
    /// Defective, marked for repair by the vendor.
    PENDING_REPAIR = "pending_repair";
    /// Yet to be installed.
    PENDING_INSTALL = "pending_install";
    /// Marked for disposal.
    PENDING_DISPOSAL = "pending_disposal";
    /// Planned to move through a transfer order.
    PENDING_TRANSFER = "pending_transfer";
    /// Ready to be allocated, not yet a financial liability (a quantity of items).
    PRE_ALLOCATED = "pre_allocated";
    /// Not ready: awaiting something (documents).
    ON_HOLD = "on_hold";
    /// Kept for legal reasons.
    LEGAL_HOLD = "legal_hold";
    /// Kept in isolation.
    QUARANTINE = "quarantine";
    /// Functional, awaiting business conditions (billing, sign-off).
    PENDING_FULFILLMENT = "pending_fulfillment";
    /// Awaiting a certificate for disposal.
    PENDING_CERTIFICATE = "pending_certificate";
    /// Leased, yet to be returned.
    PENDING_RETURN = "pending_return";
    /// Being tested, not yet operational.
    TEST = "test";
    /// No longer supported.
    END_OF_SUPPORT = "end_of_support";
    /// At the end of its life: to be sold, disposed of or donated.
    PENDING_RETIREMENT = "pending_retirement";
    /// Awaiting resale.
    PENDING_RESALE = "pending_resale";
    /// Yet to be evaluated.
    PENDING_EVALUATION = "pending_evaluation";
    /// Marked for donation.
    PENDING_DONATION = "pending_donation";
    /// Retired: disposed of.
    DISPOSED = "disposed";
    /// Retired: sold.
    SOLD = "sold";
    /// Retired: donated.
    DONATED = "donated";
    /// Retired: returned to the vendor for a replacement.
    VENDOR_CREDIT = "vendor_credit";
    /// Retired: leased and returned before the contract's end.
    LEASE_RETURN = "lease_return";
    /// Retired: obsolete.
    OBSOLETE = "obsolete";
    /// Retired: returned to or replaced by the vendor (return merchandise authorisation).
    RMA = "rma";
    /// Retired: leased and bought before the contract's end.
    BUY_OUT = "buy_out";
    /// Missing: lost.
    LOST = "lost";
    /// Missing: stolen.
    STOLEN = "stolen";
}

impl Substate {
    /// A substate by name (a vendor's own, or one of the constants').
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Substate(name.into())
    }

    /// Its name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Substate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The stages of a transfer order line (ServiceNow's), in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum TransferStage {
    /// The line is created: in stock, pending transfer.
    Draft,
    /// Requested: in stock, pending transfer.
    Requested,
    /// Being prepared for shipment: in stock, pending transfer.
    ShipmentPreparation,
    /// Shipped: in transit, reserved.
    InTransit,
    /// Received at the destination: in stock there, available.
    Received,
    /// Delivered: in stock, reserved. Advancing once more completes the line.
    Delivered,
}

impl TransferStage {
    /// The stage after this one (`None` after [`Delivered`](TransferStage::Delivered):
    /// the line is complete).
    pub fn next(self) -> Option<TransferStage> {
        match self {
            TransferStage::Draft => Some(TransferStage::Requested),
            TransferStage::Requested => Some(TransferStage::ShipmentPreparation),
            TransferStage::ShipmentPreparation => Some(TransferStage::InTransit),
            TransferStage::InTransit => Some(TransferStage::Received),
            TransferStage::Received => Some(TransferStage::Delivered),
            TransferStage::Delivered => None,
        }
    }

    /// Whether the line may still be canceled (before the shipment leaves).
    pub fn cancelable(self) -> bool {
        self < TransferStage::InTransit
    }

    /// The stage's name as JSON spells it.
    pub fn name(self) -> &'static str {
        match self {
            TransferStage::Draft => "draft",
            TransferStage::Requested => "requested",
            TransferStage::ShipmentPreparation => "shipment_preparation",
            TransferStage::InTransit => "in_transit",
            TransferStage::Received => "received",
            TransferStage::Delivered => "delivered",
        }
    }
}

impl std::fmt::Display for TransferStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A transfer order line under way.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Transfer {
    /// The stockroom it comes from.
    pub from: String,
    /// The stockroom it goes to.
    pub to: String,
    /// Where the line is.
    pub stage: TransferStage,
    /// The substate before the line started, given back if it is canceled.
    #[cfg_attr(feature = "serde", serde(default))]
    pub before: Option<Substate>,
}

/// Where an asset is and who has it: everything a move changes. Each
/// [`Event::Moved`](crate::Event::Moved) carries the whole placement after the move.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Placement {
    /// The state.
    pub status: Status,
    /// The substate (`None`: none).
    pub substate: Option<Substate>,
    /// The stockroom it is in (in stock, and consumed consumables keep theirs);
    /// `None` elsewhere.
    pub stockroom: Option<String>,
    /// Who uses it (in use; consumed consumables: who consumed them).
    pub assigned_to: Option<UserId>,
    /// Whom it is reserved for.
    pub reserved_for: Option<UserId>,
    /// The asset that consumed it (consumables).
    pub consumed_by: Option<AssetId>,
    /// The transfer order line under way.
    pub transfer: Option<Transfer>,
}

impl Placement {
    /// A placement with this status and substate and nothing else.
    pub fn new(status: Status, substate: Option<Substate>) -> Self {
        Placement {
            status,
            substate,
            stockroom: None,
            assigned_to: None,
            reserved_for: None,
            consumed_by: None,
            transfer: None,
        }
    }

    /// The same with this stockroom.
    pub fn in_stockroom(mut self, stockroom: impl Into<String>) -> Self {
        self.stockroom = Some(stockroom.into());
        self
    }

    pub(crate) fn is(&self, status: Status, substate: &Substate) -> bool {
        self.status == status && self.substate.as_ref() == Some(substate)
    }
}

/// One asset record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Asset {
    /// The record's id.
    pub id: AssetId,
    /// Its class.
    pub class: AssetClass,
    /// Its product model ("Dell Latitude 5520", "USB keyboard").
    pub model: String,
    /// How many items the record stands for: 1, except for consumables and pre-allocated
    /// records.
    pub quantity: u32,
    /// The cost of one item, in the currency's minor units (cents).
    pub cost: i64,
    /// The configuration item it is linked to.
    pub ci: Option<String>,
    /// The parent asset, whose state and assignment it follows.
    pub parent: Option<AssetId>,
    /// Where it is and who has it.
    pub placement: Placement,
    /// When it was first put in use (ServiceNow fills the depreciation effective date
    /// then): the date [`value`](crate::value) depreciates from.
    pub in_use_since: Option<DateTime<Utc>>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
}

impl Asset {
    /// Its state.
    pub fn status(&self) -> Status {
        self.placement.status
    }

    /// Its substate.
    pub fn substate(&self) -> Option<&Substate> {
        self.placement.substate.as_ref()
    }
}

/// Every asset record, and the pending restocks of the policy's stock rules: the state
/// [`decide`](crate::decide) reads and [`evolve`](crate::evolve) builds.
///
/// Records are kept in id order, so iterating and serialising are deterministic. A
/// record whose quantity is split away entirely is removed (ServiceNow removes a
/// pre-allocated record once every item is allocated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "StoredInventory", into = "StoredInventory")
)]
pub struct Inventory {
    pub(crate) assets: Records,
    /// What is derived from the records.
    pub(crate) idx: Indexes,
    pub(crate) pending_restock: BTreeSet<String>,
    pub(crate) last_at: Option<DateTime<Utc>>,
}

/// The records by id: a hash map for lookups (a few per command, one memory access each
/// instead of a walk down a tree) and the ids in order beside it, for iterating. Keyed by the
/// id's 128 bits (big-endian, so the set's order is the ids' order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Records {
    map: HashMap<u128, Asset, BuildHasherDefault<IdHasher>>,
    order: BTreeSet<u128>,
}

/// A hasher for 128-bit ids: the two halves folded and mixed by splitmix64's finaliser
/// (sequential and random ids alike spread over the table); other values word by word.
/// Deterministic, and never iterated over (the maps it keys are only looked up).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    /// Eight bytes at a time (rustc's Fx step), the tail byte by byte: what the merge
    /// index hashes (model, CI and placement strings) on every move of a consumable.
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.write_u128(u128::from(n));
    }

    fn write_u128(&mut self, n: u128) {
        let halves = [(n >> 64) as u64, n as u64];
        let mut x = self.0 ^ halves[0].rotate_left(32) ^ halves[1];
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        self.0 = x ^ (x >> 31);
    }
}

impl Records {
    pub(crate) fn get(&self, id: &AssetId) -> Option<&Asset> {
        self.map.get(&id.0.as_u128())
    }

    pub(crate) fn get_mut(&mut self, id: &AssetId) -> Option<&mut Asset> {
        self.map.get_mut(&id.0.as_u128())
    }

    pub(crate) fn contains_key(&self, id: &AssetId) -> bool {
        self.map.contains_key(&id.0.as_u128())
    }

    pub(crate) fn insert(&mut self, id: AssetId, asset: Asset) {
        let key = id.0.as_u128();
        self.map.insert(key, asset);
        self.order.insert(key);
    }

    pub(crate) fn remove(&mut self, id: &AssetId) -> Option<Asset> {
        let key = id.0.as_u128();
        self.order.remove(&key);
        self.map.remove(&key)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &Asset> {
        self.order.iter().filter_map(|k| self.map.get(k))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = AssetId> + '_ {
        self.values().map(|a| a.id)
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub(crate) fn into_values(mut self) -> impl Iterator<Item = Asset> {
        let order = std::mem::take(&mut self.order);
        order.into_iter().filter_map(move |k| self.map.remove(&k))
    }
}

/// What the inventory derives from its records, kept apart so a record can be changed in
/// place while its entries are updated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Indexes {
    /// Each parent's children.
    pub(crate) children: BTreeSet<(AssetId, AssetId)>,
    /// The mergeable consumable records by a hash of what makes them identical (the
    /// model, cost, CI and placement), where merges look: no key is built or allocated, and
    /// a bucket's records are compared in full. Never iterated, so the hash order does not
    /// show.
    pub(crate) mergeable: HashMap<u64, Vec<AssetId>, BuildHasherDefault<IdHasher>>,
    /// Quantity in stock and available by model, then stockroom: what stock rules count.
    pub(crate) available: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Inventory {
    /// An empty inventory.
    pub fn new() -> Self {
        Self::default()
    }

    /// The record with this id.
    pub fn asset(&self, id: AssetId) -> Option<&Asset> {
        self.assets.get(&id)
    }

    /// Every record, in id order.
    pub fn assets(&self) -> impl Iterator<Item = &Asset> {
        self.assets.values()
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.assets.len()
    }

    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// The children of an asset, in id order.
    pub fn children(&self, parent: AssetId) -> impl Iterator<Item = AssetId> + '_ {
        self.idx.children_of(parent)
    }

    /// How many items of a model are in stock and available in a stockroom (what stock
    /// rules count).
    pub fn available(&self, model: &str, stockroom: &str) -> u64 {
        self.idx
            .available
            .get(model)
            .and_then(|rooms| rooms.get(stockroom))
            .copied()
            .unwrap_or(0)
    }

    /// Whether a stock rule's restock is under way (ServiceNow's `pending_delivery`).
    pub fn restock_pending(&self, rule: &str) -> bool {
        self.pending_restock.contains(rule)
    }

    /// The latest instant of any event folded in.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// Folds events in, in order (what [`evolve`](crate::evolve) does one at a time).
    pub fn apply(&mut self, events: &[crate::Event]) {
        for event in events {
            crate::evolve::apply(self, event);
        }
    }
    pub(crate) fn index(&mut self, asset: &Asset) {
        self.idx.index(asset);
    }

    pub(crate) fn unindex(&mut self, asset: &Asset) {
        self.idx.unindex(asset);
    }
}

impl Indexes {
    /// The children of a parent, in id order: the pairs that start with it.
    pub(crate) fn children_of(&self, parent: AssetId) -> impl Iterator<Item = AssetId> + '_ {
        let first = AssetId::from_u128(0);
        self.children
            .range((parent, first)..)
            .take_while(move |(p, _)| *p == parent)
            .map(|(_, child)| *child)
    }

    /// Whether an asset has children.
    pub(crate) fn has_children(&self, parent: AssetId) -> bool {
        self.children_of(parent).next().is_some()
    }

    pub(crate) fn index(&mut self, asset: &Asset) {
        if let Some(parent) = asset.parent {
            self.children.insert((parent, asset.id));
        }
        if let Some(hash) = merge_hash(asset, &asset.placement) {
            self.mergeable.entry(hash).or_default().push(asset.id);
        }
        self.count(asset, true);
    }

    pub(crate) fn unindex(&mut self, asset: &Asset) {
        if let Some(parent) = asset.parent {
            self.children.remove(&(parent, asset.id));
        }
        if let Some(hash) = merge_hash(asset, &asset.placement) {
            if let Some(bucket) = self.mergeable.get_mut(&hash) {
                bucket.retain(|id| *id != asset.id);
                if bucket.is_empty() {
                    self.mergeable.remove(&hash);
                }
            }
        }
        self.count(asset, false);
    }

    fn count(&mut self, asset: &Asset, add: bool) {
        let p = &asset.placement;
        if !p.is(Status::InStock, &Substate::AVAILABLE) {
            return;
        }
        let Some(room) = &p.stockroom else { return };
        let n = u64::from(asset.quantity);
        if add {
            let rooms = match self.available.get_mut(&asset.model) {
                Some(rooms) => rooms,
                None => self.available.entry(asset.model.clone()).or_default(),
            };
            match rooms.get_mut(room) {
                Some(slot) => *slot = slot.saturating_add(n),
                None => {
                    rooms.insert(room.clone(), n);
                }
            }
        } else if let Some(rooms) = self.available.get_mut(&asset.model) {
            if let Some(slot) = rooms.get_mut(room) {
                *slot = slot.saturating_sub(n);
                if *slot == 0 {
                    rooms.remove(room);
                }
            }
            if rooms.is_empty() {
                self.available.remove(&asset.model);
            }
        }
    }
}

/// Whether a record with this placement may merge: a consumable without a parent, not
/// being transferred, not pending disposal.
fn mergeable(asset: &Asset, placement: &Placement) -> bool {
    asset.class == AssetClass::Consumable
        && asset.parent.is_none()
        && placement.transfer.is_none()
        && placement.substate.as_ref() != Some(&Substate::PENDING_DISPOSAL)
}

/// The hash of what makes two consumable records one (the model, cost, CI and placement),
/// if the record with this placement may merge.
fn merge_hash(asset: &Asset, placement: &Placement) -> Option<u64> {
    use std::hash::{BuildHasher, Hash, Hasher};
    if !mergeable(asset, placement) {
        return None;
    }
    let mut h = BuildHasherDefault::<IdHasher>::default().build_hasher();
    asset.model.hash(&mut h);
    asset.cost.hash(&mut h);
    asset.ci.hash(&mut h);
    placement.hash(&mut h);
    Some(h.finish())
}

impl Inventory {
    /// Checks every record against a policy's states table: what a stored inventory
    /// cannot be checked for on reading, having no policy. (Reading checks the rest: ids,
    /// quantities, stockrooms, parents, children placed as their parents, transfer stages.)
    /// [`decide`](crate::decide) keeps both true of every inventory it builds.
    ///
    /// # Errors
    /// [`Error::InvalidInventory`](crate::Error::InvalidInventory) naming the first record
    /// whose state and substate the table does not allow for its class.
    pub fn check(&self, policy: &crate::Policy) -> Result<(), crate::Error> {
        for a in self.assets.values() {
            let p = &a.placement;
            if !policy.allows(a.class, p.status, p.substate.as_ref()) {
                return Err(crate::Error::InvalidInventory {
                    asset: a.id,
                    reason: "its state and substate are not in the policy's states table for its class",
                });
            }
        }
        Ok(())
    }

    /// What is wrong with a record, policy aside, if anything.
    fn structure_problem(&self, a: &Asset) -> Option<&'static str> {
        let p = &a.placement;
        if p.status == Status::InStock && p.stockroom.is_none() {
            return Some("it is in stock without a stockroom");
        }
        if p.stockroom.as_deref() == Some("") || a.model.is_empty() {
            return Some("its model or stockroom is an empty name");
        }
        if a.class != AssetClass::Consumable
            && a.quantity > 1
            && p.substate.as_ref() != Some(&Substate::PRE_ALLOCATED)
        {
            return Some(
                "it stands for more than one item but is neither a consumable nor pre-allocated",
            );
        }
        if let Some(parent) = a.parent.and_then(|id| self.assets.get(&id)) {
            if !is_single(a.class, a.quantity, a.substate())
                || !is_single(parent.class, parent.quantity, parent.substate())
            {
                return Some(
                    "it or its parent is not a single item (a consumable, or pre-allocated)",
                );
            }
            if *p != follow(&parent.placement) {
                return Some("its placement is not its parent's");
            }
        }
        if let Some(t) = &p.transfer {
            let at = |status, substate: &Substate| p.is(status, substate);
            let there = p.stockroom.as_ref() == Some(&t.to);
            let consistent = match t.stage {
                TransferStage::Draft
                | TransferStage::Requested
                | TransferStage::ShipmentPreparation => {
                    at(Status::InStock, &Substate::PENDING_TRANSFER)
                }
                TransferStage::InTransit => at(Status::InTransit, &Substate::RESERVED),
                TransferStage::Received => at(Status::InStock, &Substate::AVAILABLE) && there,
                TransferStage::Delivered => at(Status::InStock, &Substate::RESERVED) && there,
            };
            if !consistent {
                return Some(
                    "its transfer line's stage does not match its state, substate or stockroom",
                );
            }
        }
        None
    }

    /// The mergeable record other than `asset` that `asset` would be identical to with this
    /// placement (at most one: no two mergeable records are ever identical).
    pub(crate) fn merge_target(&self, asset: &Asset, placement: &Placement) -> Option<AssetId> {
        let bucket = self.idx.mergeable.get(&merge_hash(asset, placement)?)?;
        bucket.iter().copied().find(|id| {
            *id != asset.id
                && self.assets.get(id).is_some_and(|o| {
                    o.model == asset.model
                        && o.cost == asset.cost
                        && o.ci == asset.ci
                        && o.placement == *placement
                        && mergeable(o, &o.placement)
                })
        })
    }
}

/// The inventory's JSON form: the records and the pending restocks; the indexes are
/// rebuilt on reading, after checking the records hold together.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub(crate) struct StoredInventory {
    assets: Vec<Asset>,
    #[cfg_attr(feature = "serde", serde(default))]
    pending_restock: BTreeSet<String>,
    #[cfg_attr(feature = "serde", serde(default))]
    last_at: Option<DateTime<Utc>>,
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Inventory {
    fn schema_name() -> Cow<'static, str> {
        "Inventory".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        StoredInventory::json_schema(generator)
    }
}

impl From<Inventory> for StoredInventory {
    fn from(inventory: Inventory) -> Self {
        StoredInventory {
            assets: inventory.assets.into_values().collect(),
            pending_restock: inventory.pending_restock,
            last_at: inventory.last_at,
        }
    }
}

impl TryFrom<StoredInventory> for Inventory {
    type Error = crate::Error;

    fn try_from(stored: StoredInventory) -> Result<Self, Self::Error> {
        let mut inventory = Inventory {
            pending_restock: stored.pending_restock,
            last_at: stored.last_at,
            ..Inventory::default()
        };
        for asset in stored.assets {
            if asset.quantity == 0 {
                return Err(crate::Error::InvalidInventory {
                    asset: asset.id,
                    reason: "its quantity is 0; a record stands for at least one item",
                });
            }
            if inventory.assets.contains_key(&asset.id) {
                return Err(crate::Error::InvalidInventory {
                    asset: asset.id,
                    reason: "it is listed twice",
                });
            }
            if let Some(other) = inventory.merge_target(&asset, &asset.placement) {
                return Err(crate::Error::InvalidInventory {
                    asset: other,
                    reason: "another consumable record is identical to it (same model, cost, CI and placement); merge them",
                });
            }
            inventory.index(&asset);
            inventory.assets.insert(asset.id, asset);
        }
        for a in inventory.assets.values() {
            if let Some(reason) = inventory.structure_problem(a) {
                return Err(crate::Error::InvalidInventory {
                    asset: a.id,
                    reason,
                });
            }
        }
        // Every parent exists and no chain of parents comes back (walked iteratively,
        // each record at most once overall).
        let mut settled: BTreeSet<AssetId> = BTreeSet::new();
        for start in inventory.assets.keys() {
            let mut path: BTreeSet<AssetId> = BTreeSet::new();
            let mut at = start;
            while !settled.contains(&at) {
                if !path.insert(at) {
                    return Err(crate::Error::InvalidInventory {
                        asset: at,
                        reason: "its chain of parents comes back to it",
                    });
                }
                match inventory.assets.get(&at).and_then(|a| a.parent) {
                    None => break,
                    Some(parent) if !inventory.assets.contains_key(&parent) => {
                        return Err(crate::Error::InvalidInventory {
                            asset: at,
                            reason: "its parent is not in the inventory",
                        });
                    }
                    Some(parent) => at = parent,
                }
            }
            settled.extend(path);
        }
        Ok(inventory)
    }
}

/// Whether a record may be a parent or a child: one item, not a consumable, not
/// pre-allocated.
pub(crate) fn is_single(class: AssetClass, quantity: u32, substate: Option<&Substate>) -> bool {
    class != AssetClass::Consumable && quantity == 1 && substate != Some(&Substate::PRE_ALLOCATED)
}

/// A child's placement under a parent's: the state, substate, stockroom, assignment and
/// reservation; never consumed or transferred on its own.
pub(crate) fn follow(parent: &Placement) -> Placement {
    let mut p = parent.clone();
    p.consumed_by = None;
    p.transfer = None;
    p
}
