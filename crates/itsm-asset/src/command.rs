//! What a host asks of the inventory.

use itsm_core::UserId;

use crate::model::{AssetClass, AssetId, Status, Substate};

/// A new record, as [`Command::Register`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewAsset {
    /// Its id (unused so far).
    pub id: AssetId,
    /// Its class.
    pub class: AssetClass,
    /// Its product model.
    pub model: String,
    /// How many items: 1, except consumables and pre-allocated records.
    pub quantity: u32,
    /// The cost of one item in minor units (0 or more).
    #[cfg_attr(feature = "serde", serde(default))]
    pub cost: i64,
    /// Its state (ignored with a parent: a child takes its parent's).
    pub status: Status,
    /// Its substate (ignored with a parent).
    #[cfg_attr(feature = "serde", serde(default))]
    pub substate: Option<Substate>,
    /// Its stockroom (needed in stock; ignored with a parent).
    #[cfg_attr(feature = "serde", serde(default))]
    pub stockroom: Option<String>,
    /// The configuration item it is linked to.
    #[cfg_attr(feature = "serde", serde(default))]
    pub ci: Option<String>,
    /// Its parent asset.
    #[cfg_attr(feature = "serde", serde(default))]
    pub parent: Option<AssetId>,
}

impl NewAsset {
    /// A record of one item, on order, at no cost, without CI or parent.
    pub fn new(id: AssetId, class: AssetClass, model: impl Into<String>) -> Self {
        NewAsset {
            id,
            class,
            model: model.into(),
            quantity: 1,
            cost: 0,
            status: Status::OnOrder,
            substate: None,
            stockroom: None,
            ci: None,
            parent: None,
        }
    }

    /// The same in stock in a stockroom with a substate.
    pub fn in_stock(mut self, stockroom: impl Into<String>, substate: Substate) -> Self {
        self.status = Status::InStock;
        self.substate = Some(substate);
        self.stockroom = Some(stockroom.into());
        self
    }

    /// The same with this quantity.
    pub fn quantity(mut self, quantity: u32) -> Self {
        self.quantity = quantity;
        self
    }

    /// The same with this cost per item.
    pub fn cost(mut self, cost: i64) -> Self {
        self.cost = cost;
        self
    }

    /// The same linked to a configuration item.
    pub fn ci(mut self, ci: impl Into<String>) -> Self {
        self.ci = Some(ci.into());
        self
    }

    /// The same under a parent asset.
    pub fn parent(mut self, parent: AssetId) -> Self {
        self.parent = Some(parent);
        self
    }
}

/// Part of a consumable record, split off into a new record when it is less than the
/// whole: how many, and the id the new record takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Part {
    /// How many items (1 up to the record's quantity).
    pub quantity: u32,
    /// The id of the record split off, when it is not the whole and no identical record
    /// takes it. It must be an unused id whenever the part is less than the whole (it is
    /// checked before the merge is known); when the id ends up unused, the host may reuse
    /// it.
    pub new_asset: AssetId,
}

/// A request to [`decide`](crate::decide). Each is checked against the policy's
/// permissions under its [`name`](Command::name), except stock rule runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Command {
    /// Records a new asset.
    Register {
        /// The record.
        asset: NewAsset,
    },
    /// Sets the state and substate by hand (ServiceNow's form), within the policy's
    /// states table and moves. Into in stock a stockroom is needed (given, or the one it
    /// has). Refused while a transfer is under way, and for a child (it follows its
    /// parent).
    SetState {
        /// Which asset.
        asset: AssetId,
        /// The new state.
        status: Status,
        /// The new substate.
        #[cfg_attr(feature = "serde", serde(default))]
        substate: Option<Substate>,
        /// The stockroom, when in stock.
        #[cfg_attr(feature = "serde", serde(default))]
        stockroom: Option<String>,
    },
    /// An ordered asset arrives: in stock, available, in the stockroom.
    Receive {
        /// Which asset (on order).
        asset: AssetId,
        /// Where it is stored.
        stockroom: String,
    },
    /// Reserves an available asset in stock for a user.
    Reserve {
        /// Which asset (one item, not a consumable).
        asset: AssetId,
        /// For whom.
        user: UserId,
    },
    /// Puts an asset in stock to use by a user: in use, without a substate, out of the
    /// stockroom. From the policy's assignable substates; not an asset reserved for
    /// someone else.
    Assign {
        /// Which asset (one item, not a consumable).
        asset: AssetId,
        /// Who uses it.
        user: UserId,
    },
    /// Brings an asset in use, or consumables consumed, back to a stockroom.
    Return {
        /// Which asset.
        asset: AssetId,
        /// Where to.
        stockroom: String,
        /// Its substate there (`None`: available).
        #[cfg_attr(feature = "serde", serde(default))]
        substate: Option<Substate>,
        /// For consumables, how many (`None`: all).
        #[cfg_attr(feature = "serde", serde(default))]
        part: Option<Part>,
    },
    /// Consumes consumables in stock and available: they are given to a user or an asset
    /// and stay on record (ServiceNow's Consume).
    Consume {
        /// Which consumable record.
        asset: AssetId,
        /// How many, and the id of the consumed record.
        part: Part,
        /// The asset that consumes them (a keyboard for a laptop).
        #[cfg_attr(feature = "serde", serde(default))]
        consumed_by: Option<AssetId>,
        /// The user who consumes them.
        #[cfg_attr(feature = "serde", serde(default))]
        user: Option<UserId>,
    },
    /// Allocates one item of a pre-allocated record: a new record of one item, available,
    /// and one item fewer on the pre-allocated record (removed when none is left).
    Allocate {
        /// The pre-allocated record.
        asset: AssetId,
        /// The id of the new record.
        new_asset: AssetId,
    },
    /// Marks an asset in stock for disposal (in stock, pending disposal); consumables
    /// may mark part of a record.
    MarkForDisposal {
        /// Which asset.
        asset: AssetId,
        /// For consumables, how many (`None`: all).
        #[cfg_attr(feature = "serde", serde(default))]
        part: Option<Part>,
    },
    /// Takes an asset back from disposal (in stock, with a substate).
    CancelDisposal {
        /// Which asset (in stock, pending disposal).
        asset: AssetId,
        /// Its substate (`None`: available).
        #[cfg_attr(feature = "serde", serde(default))]
        substate: Option<Substate>,
    },
    /// Starts a transfer order line to another stockroom (in stock, pending transfer).
    Transfer {
        /// Which asset (in stock, no transfer under way).
        asset: AssetId,
        /// The destination stockroom.
        to: String,
        /// For consumables, how many (`None`: all).
        #[cfg_attr(feature = "serde", serde(default))]
        part: Option<Part>,
    },
    /// Moves a transfer order line to its next stage, completing it after delivery.
    AdvanceTransfer {
        /// Which asset.
        asset: AssetId,
    },
    /// Cancels a transfer order line before it ships (back to in stock, available).
    CancelTransfer {
        /// Which asset.
        asset: AssetId,
    },
    /// Retires an asset, with a substate (disposed, sold, donated...) or none.
    Retire {
        /// Which asset.
        asset: AssetId,
        /// Why.
        #[cfg_attr(feature = "serde", serde(default))]
        substate: Option<Substate>,
    },
    /// Attaches an asset to a parent, whose state and assignment it (and its own
    /// children) then take, or detaches it (`None`: it keeps its placement). Single items
    /// only; no parent may be its own ancestor.
    SetParent {
        /// Which asset.
        asset: AssetId,
        /// Its new parent, or none.
        #[cfg_attr(feature = "serde", serde(default))]
        parent: Option<AssetId>,
    },
    /// Runs the stock rules (ServiceNow's daily Stock Rule Runner): each rule not already
    /// restocking whose count is at its threshold asks for a restock.
    RunStockRules,
    /// A stock rule's restock arrived: the rule may ask again.
    RestockDelivered {
        /// The rule's name.
        rule: String,
    },
}

impl Command {
    /// Every command's name, in declaration order.
    pub const NAMES: [&'static str; 17] = [
        "register",
        "set_state",
        "receive",
        "reserve",
        "assign",
        "return",
        "consume",
        "allocate",
        "mark_for_disposal",
        "cancel_disposal",
        "transfer",
        "advance_transfer",
        "cancel_transfer",
        "retire",
        "set_parent",
        "run_stock_rules",
        "restock_delivered",
    ];

    /// The command's name, as JSON tags it and permissions list it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Register { .. } => "register",
            Command::SetState { .. } => "set_state",
            Command::Receive { .. } => "receive",
            Command::Reserve { .. } => "reserve",
            Command::Assign { .. } => "assign",
            Command::Return { .. } => "return",
            Command::Consume { .. } => "consume",
            Command::Allocate { .. } => "allocate",
            Command::MarkForDisposal { .. } => "mark_for_disposal",
            Command::CancelDisposal { .. } => "cancel_disposal",
            Command::Transfer { .. } => "transfer",
            Command::AdvanceTransfer { .. } => "advance_transfer",
            Command::CancelTransfer { .. } => "cancel_transfer",
            Command::Retire { .. } => "retire",
            Command::SetParent { .. } => "set_parent",
            Command::RunStockRules => "run_stock_rules",
            Command::RestockDelivered { .. } => "restock_delivered",
        }
    }

    /// The asset the command is about, if one.
    pub fn asset(&self) -> Option<AssetId> {
        match self {
            Command::Register { asset } => Some(asset.id),
            Command::SetState { asset, .. }
            | Command::Receive { asset, .. }
            | Command::Reserve { asset, .. }
            | Command::Assign { asset, .. }
            | Command::Return { asset, .. }
            | Command::Consume { asset, .. }
            | Command::Allocate { asset, .. }
            | Command::MarkForDisposal { asset, .. }
            | Command::CancelDisposal { asset, .. }
            | Command::Transfer { asset, .. }
            | Command::AdvanceTransfer { asset }
            | Command::CancelTransfer { asset }
            | Command::Retire { asset, .. }
            | Command::SetParent { asset, .. } => Some(*asset),
            Command::RunStockRules | Command::RestockDelivered { .. } => None,
        }
    }
}
