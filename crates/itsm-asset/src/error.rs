//! Why `decide` refuses a command (and why a depreciation or a stored inventory is
//! refused).

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::model::{AssetClass, AssetId, Status, Substate, TransferStage};

/// A refused command or value. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The context's `now` is before the inventory's last event.
    #[error(
        "the clock went backwards: now is {now} but the inventory was last updated at {last}; time must not decrease"
    )]
    ClockWentBackwards {
        /// The last event's instant.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// No record has this id.
    #[error("there is no asset {asset}; give the id of a record in the inventory")]
    UnknownAsset {
        /// The id given.
        asset: AssetId,
    },
    /// The id given for a new record is already a record's (or the command's own asset).
    #[error("asset {asset} exists already; give an unused id for the new record")]
    AssetIdInUse {
        /// The id given.
        asset: AssetId,
    },
    /// A new record names a parent that is not in the inventory.
    #[error(
        "asset {asset} names parent {parent}, which is not in the inventory; register the parent first"
    )]
    UnknownParent {
        /// The new record.
        asset: AssetId,
        /// The parent named.
        parent: AssetId,
    },
    /// Only single items (not consumables, not quantities) have parents and children.
    #[error(
        "asset {asset} cannot be {role}: it is a {class} record of {quantity}; parents and children are single items, not consumables and not pre-allocated"
    )]
    NotSingleItem {
        /// The record.
        asset: AssetId,
        /// "a parent" or "a child".
        role: &'static str,
        /// Its class.
        class: AssetClass,
        /// Its quantity.
        quantity: u32,
    },
    /// The policy's states table does not allow this state and substate for the class.
    #[error(
        "a {class} cannot be {status}{}; {}",
        with(.substate.as_ref()),
        choices(*.class, *.status, .allowed)
    )]
    StateNotAllowed {
        /// The record's class.
        class: AssetClass,
        /// The state asked for.
        status: Status,
        /// The substate asked for.
        substate: Option<Substate>,
        /// The substates the class may have with that state (`None`: none).
        allowed: Vec<Option<Substate>>,
    },
    /// A child cannot take the state its parent is given.
    #[error(
        "asset {child}, a child of the asset moved, is a {class} and cannot be {status}{}; detach the child first (set_parent without a parent)",
        with(.substate.as_ref())
    )]
    ChildCannotFollow {
        /// The child.
        child: AssetId,
        /// Its class.
        class: AssetClass,
        /// The parent's new state.
        status: Status,
        /// The parent's new substate.
        substate: Option<Substate>,
    },
    /// The policy's moves do not allow this state change by hand.
    #[error(
        "asset {asset} cannot go from {from} to {to} by hand: the policy's moves do not list it"
    )]
    MoveNotAllowed {
        /// The asset.
        asset: AssetId,
        /// Its state.
        from: Status,
        /// The state asked for.
        to: Status,
    },
    /// The record's state does not allow the command.
    #[error("cannot {command} asset {asset}: it is {status}{}; allowed when {expected}", with(.substate.as_ref()))]
    WrongState {
        /// The command.
        command: &'static str,
        /// The asset.
        asset: AssetId,
        /// Its state.
        status: Status,
        /// Its substate.
        substate: Option<Substate>,
        /// The states that allow the command.
        expected: &'static str,
    },
    /// The command is for consumables and the record is not one, or the other way round.
    #[error("cannot {command} asset {asset}: it is a {class} record; {expected}")]
    WrongClass {
        /// The command.
        command: &'static str,
        /// The asset.
        asset: AssetId,
        /// Its class.
        class: AssetClass,
        /// Which classes the command takes.
        expected: &'static str,
    },
    /// A merge would pass the most items a record holds.
    #[error(
        "asset {asset} holds {holds} items and {added} more would pass the most a record holds (4,294,967,295); move fewer"
    )]
    QuantityOverflow {
        /// The record the items would join.
        asset: AssetId,
        /// Its quantity.
        holds: u32,
        /// The items moved.
        added: u32,
    },
    /// A consumable named as its own consumer.
    #[error("asset {asset} cannot consume itself; name the asset that consumes it, or none")]
    ConsumedByItself {
        /// The record.
        asset: AssetId,
    },
    /// A parent that is, or would be, its own ancestor.
    #[error(
        "asset {parent} cannot be the parent of asset {asset}: it is {asset} or one of its descendants"
    )]
    ParentCycle {
        /// The child.
        asset: AssetId,
        /// The parent given.
        parent: AssetId,
    },
    /// A quantity of zero.
    #[error("a quantity of 0 was given; give at least 1")]
    ZeroQuantity,
    /// More items asked for than the record holds.
    #[error("asset {asset} holds {holds} items but {asked} were asked for; give at most {holds}")]
    QuantityAbove {
        /// The record.
        asset: AssetId,
        /// Its quantity.
        holds: u32,
        /// The quantity asked for.
        asked: u32,
    },
    /// A record of more than one item that is neither consumable nor pre-allocated.
    #[error(
        "a {class} record of {quantity} items must be pre-allocated (or a consumable); other records stand for one item"
    )]
    QuantityNotOne {
        /// The class.
        class: AssetClass,
        /// The quantity given.
        quantity: u32,
    },
    /// A cost below zero.
    #[error("a cost of {cost} was given; give 0 or more (minor units)")]
    NegativeCost {
        /// The cost given.
        cost: i64,
    },
    /// A name that must not be empty is.
    #[error("the {field} is empty; give a name")]
    EmptyName {
        /// The field.
        field: &'static str,
    },
    /// In stock needs a stockroom and none is given or held.
    #[error("asset {asset} would be in stock without a stockroom; give the stockroom")]
    StockroomRequired {
        /// The asset.
        asset: AssetId,
    },
    /// A child's state and assignment follow its parent's.
    #[error("asset {asset} follows its parent {parent}: act on the parent")]
    FollowsParent {
        /// The child.
        asset: AssetId,
        /// Its parent.
        parent: AssetId,
    },
    /// The asset is reserved for someone else.
    #[error(
        "asset {asset} is reserved for user {reserved_for}; assign it to them, or make it available (set_state) and reserve it again"
    )]
    ReservedForAnother {
        /// The asset.
        asset: AssetId,
        /// Whom it is reserved for.
        reserved_for: UserId,
    },
    /// A transfer order line is under way.
    #[error(
        "asset {asset} is being transferred (stage {stage}); advance or cancel the transfer first"
    )]
    TransferUnderWay {
        /// The asset.
        asset: AssetId,
        /// The line's stage.
        stage: TransferStage,
    },
    /// No transfer order line is under way.
    #[error("asset {asset} is not being transferred; start a transfer first")]
    NoTransfer {
        /// The asset.
        asset: AssetId,
    },
    /// The transfer has shipped and can no longer be canceled.
    #[error(
        "the transfer of asset {asset} is at stage {stage}; it can be canceled only before it ships"
    )]
    TransferShipped {
        /// The asset.
        asset: AssetId,
        /// The line's stage.
        stage: TransferStage,
    },
    /// A transfer to the stockroom the asset is in.
    #[error("asset {asset} is in stockroom {stockroom} already; transfer it to another")]
    SameStockroom {
        /// The asset.
        asset: AssetId,
        /// The stockroom.
        stockroom: String,
    },
    /// The policy has no stock rule of this name.
    #[error("there is no stock rule {rule:?}; give the name of one of the policy's")]
    UnknownStockRule {
        /// The name given.
        rule: String,
    },
    /// The stock rule is not waiting for a restock.
    #[error("stock rule {rule:?} has no restock under way")]
    RestockNotPending {
        /// The rule.
        rule: String,
    },
    /// The actor holds none of the roles the policy allows for the command.
    #[error("`{command}` refused: {reason}")]
    Denied {
        /// The command refused.
        command: &'static str,
        /// The permission check's answer, printed as part of this message (not a `source`).
        reason: itsm_core::Error,
    },
    /// A policy value is invalid.
    #[error("the policy's {field} is invalid; give {allowed}")]
    InvalidPolicy {
        /// The field.
        field: &'static str,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A stored inventory does not hold together.
    #[error("the stored inventory is invalid: asset {asset}: {reason}")]
    InvalidInventory {
        /// The record at fault.
        asset: AssetId,
        /// What is wrong.
        reason: &'static str,
    },
    /// A depreciation's salvage value above the cost.
    #[error("the salvage value {salvage} is above the cost {cost}; give at most the cost")]
    SalvageAboveCost {
        /// The salvage value.
        salvage: i64,
        /// The cost.
        cost: i64,
    },
    /// A negative amount in a depreciation.
    #[error("the {field} is {amount}; give 0 or more")]
    NegativeAmount {
        /// The field.
        field: &'static str,
        /// The amount.
        amount: i64,
    },
    /// A depreciation schedule value out of range.
    #[error("the depreciation schedule's {field} is {value}; give {allowed}")]
    InvalidSchedule {
        /// The field.
        field: &'static str,
        /// The value given.
        value: u32,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A depreciation date beyond what the calendar arithmetic reaches.
    #[error(
        "the depreciation's end of life ({years} years after {effective}) is beyond the last date representable"
    )]
    DateOutOfRange {
        /// The effective date.
        effective: chrono::NaiveDate,
        /// The life in years.
        years: u32,
    },
}

fn with(substate: Option<&Substate>) -> String {
    substate.map_or(String::new(), |s| format!(" ({s})"))
}

fn choices(class: AssetClass, status: Status, allowed: &[Option<Substate>]) -> String {
    if allowed.is_empty() {
        return format!("the policy gives {class} records no {status} state");
    }
    let names: Vec<String> = allowed
        .iter()
        .map(|s| {
            s.as_ref()
                .map_or("without a substate".into(), |s| s.to_string())
        })
        .collect();
    format!("with {status} it may be {}", names.join(", "))
}
