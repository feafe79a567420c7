//! `decide`: what a command does to the inventory.

use chrono::{DateTime, Utc};
use itsm_core::Actor;

use crate::command::{Command, NewAsset, Part};
use crate::error::Error;
use crate::event::Event;
use crate::model::{
    Asset, AssetClass, AssetId, Inventory, Placement, Status, Substate, Transfer, TransferStage,
    follow, is_single,
};
use crate::policy::Policy;

use Status::{Consumed, InStock, InTransit, InUse, OnOrder, Retired};

/// What `decide` needs besides the state and the command: the time, who acts, the policy.
/// Nothing is read from the environment.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The current time, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command (for stock rule runs, the system's account).
    pub actor: &'a Actor,
    /// The vendor's configuration.
    pub policy: &'a Policy,
}

impl<'a> Context<'a> {
    /// The context of one call.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context { now, actor, policy }
    }
}

/// Decides what a command does to the inventory: the events to store, or why not.
///
/// Checks, in order: the clock (`now` not before the last event); the actor's permission
/// for the command (not for [`Command::RunStockRules`]); then the command's own rules. The
/// policy's tables are not checked here (it would cost more than the command): run
/// [`Policy::check`] once when a policy is built or read. Whatever the tables hold, every
/// placement `decide` makes is one they allow. Moves follow the policy's
/// states table; a parent's move is each child's (ServiceNow: a child's state and
/// assignment are its parent's, read only); a consumable record that becomes identical to
/// another joins it ([`Event::Merged`]); a state the policy maps sets the linked CI's
/// status ([`Event::CiStatusSet`]).
///
/// ```
/// use itsm_asset::chrono::{TimeZone, Utc};
/// use itsm_asset::{
///     Actor, AssetClass, AssetId, Command, Context, Inventory, NewAsset, Policy, Role, Status,
///     Substate, UserId, decide,
/// };
///
/// let policy = Policy::servicenow();
/// let clerk = Actor::new(UserId::from_u128(7), [Role::new("asset")?]);
/// let ctx = Context::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(), &clerk, &policy);
/// let laptop = AssetId::from_u128(1);
/// let mut inventory = Inventory::new();
/// let new = NewAsset::new(laptop, AssetClass::Hardware, "Latitude 5520").in_stock("Dublin", Substate::AVAILABLE);
/// inventory.apply(&decide(&inventory, &Command::Register { asset: new }, &ctx)?);
/// let assign = Command::Assign { asset: laptop, user: UserId::from_u128(42) };
/// inventory.apply(&decide(&inventory, &assign, &ctx)?);
/// assert_eq!(inventory.asset(laptop).map(|a| a.status()), Some(Status::InUse));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decide(inv: &Inventory, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    if let Some(last) = inv.last_at {
        if ctx.now < last {
            return Err(Error::ClockWentBackwards { last, now: ctx.now });
        }
    }
    let name = command.name();
    if !matches!(command, Command::RunStockRules) {
        ctx.policy
            .permissions
            .check(name, ctx.actor)
            .map_err(|reason| Error::Denied {
                command: name,
                reason,
            })?;
    }
    let mut out = Out {
        inv,
        ctx,
        events: Vec::new(),
    };
    match command {
        Command::Register { asset } => out.register(asset)?,
        Command::SetState {
            asset,
            status,
            substate,
            stockroom,
        } => {
            // Lost or stolen on the way: recording it missing ends the transfer line.
            let a = if *status == Status::Missing {
                out.parentless(*asset)?
            } else {
                out.free(*asset)?
            };
            if !ctx.policy.may_move(a.placement.status, *status) {
                return Err(Error::MoveNotAllowed {
                    asset: *asset,
                    from: a.placement.status,
                    to: *status,
                });
            }
            let mut p = a.placement.clone();
            p.status = *status;
            p.substate.clone_from(substate);
            if let Some(room) = stockroom {
                nonempty(room, "stockroom")?;
                p.stockroom = Some(room.clone());
            }
            if !matches!(status, InStock | Consumed) {
                p.stockroom = None;
            }
            if !matches!(status, InUse | Consumed) {
                p.assigned_to = None;
            }
            if p.substate.as_ref() != Some(&Substate::RESERVED) {
                p.reserved_for = None;
            }
            if *status != Consumed {
                p.consumed_by = None;
            }
            p.transfer = None;
            out.place(a, Take::Whole, p)?;
        }
        Command::Receive { asset, stockroom } => {
            let a = out.free(*asset)?;
            out.require(a, name, |p| p.status == OnOrder, "on order")?;
            nonempty(stockroom, "stockroom")?;
            let p = Placement::new(InStock, Some(Substate::AVAILABLE)).in_stockroom(stockroom);
            out.place(a, Take::Whole, p)?;
        }
        Command::Reserve { asset, user } => {
            let a = out.free(*asset)?;
            single(a, name)?;
            out.require(
                a,
                name,
                |p| p.is(InStock, &Substate::AVAILABLE),
                "in stock and available",
            )?;
            let mut p = a.placement.clone();
            p.substate = Some(Substate::RESERVED);
            p.reserved_for = Some(*user);
            out.place(a, Take::Whole, p)?;
        }
        Command::Assign { asset, user } => {
            let a = out.free(*asset)?;
            single(a, name)?;
            let assignable = &ctx.policy.assignable;
            out.require(
                a,
                name,
                |p| {
                    p.status == InStock
                        && p.substate.as_ref().is_some_and(|s| assignable.contains(s))
                },
                "in stock with one of the policy's assignable substates",
            )?;
            if let Some(other) = a.placement.reserved_for.filter(|r| r != user) {
                return Err(Error::ReservedForAnother {
                    asset: *asset,
                    reserved_for: other,
                });
            }
            let mut p = Placement::new(InUse, None);
            p.assigned_to = Some(*user);
            out.place(a, Take::Whole, p)?;
        }
        Command::Return {
            asset,
            stockroom,
            substate,
            part,
        } => {
            let a = out.free(*asset)?;
            let expected = if a.class == AssetClass::Consumable {
                Consumed
            } else {
                InUse
            };
            out.require(
                a,
                name,
                |p| p.status == expected,
                "in use (consumables: consumed)",
            )?;
            nonempty(stockroom, "stockroom")?;
            let take = out.take(a, part.as_ref(), name)?;
            let p = Placement::new(
                InStock,
                Some(substate.clone().unwrap_or(Substate::AVAILABLE)),
            )
            .in_stockroom(stockroom);
            out.place(a, take, p)?;
        }
        Command::Consume {
            asset,
            part,
            consumed_by,
            user,
        } => {
            let a = out.free(*asset)?;
            consumable(a, name)?;
            out.require(
                a,
                name,
                |p| p.is(InStock, &Substate::AVAILABLE),
                "in stock and available",
            )?;
            if let Some(by) = consumed_by {
                if by == asset {
                    return Err(Error::ConsumedByItself { asset: *asset });
                }
                if !inv.assets.contains_key(by) {
                    return Err(Error::UnknownAsset { asset: *by });
                }
            }
            let take = out.take(a, Some(part), name)?;
            let mut p = Placement::new(Consumed, None);
            p.stockroom.clone_from(&a.placement.stockroom);
            p.assigned_to = *user;
            p.consumed_by = *consumed_by;
            out.place(a, take, p)?;
        }
        Command::Allocate { asset, new_asset } => {
            let a = out.free(*asset)?;
            out.require(
                a,
                name,
                |p| {
                    matches!(p.status, InStock | InTransit)
                        && p.substate.as_ref() == Some(&Substate::PRE_ALLOCATED)
                },
                "in stock or in transit, pre-allocated",
            )?;
            // A pre-allocated record is never a parent (registering a child under it, setting
            // it as a parent, and making a parent pre-allocated are all refused), so the
            // record taken away when its last item goes leaves no child behind.
            out.unused(*new_asset, *asset)?;
            let mut p = a.placement.clone();
            p.substate = Some(Substate::AVAILABLE);
            out.place(
                a,
                Take::Allocated {
                    new_asset: *new_asset,
                },
                p,
            )?;
        }
        Command::MarkForDisposal { asset, part } => {
            let a = out.free(*asset)?;
            out.require(
                a,
                name,
                |p| p.status == InStock && p.substate.as_ref() != Some(&Substate::PENDING_DISPOSAL),
                "in stock and not pending disposal",
            )?;
            let take = out.take(a, part.as_ref(), name)?;
            let mut p = a.placement.clone();
            p.substate = Some(Substate::PENDING_DISPOSAL);
            p.reserved_for = None;
            out.place(a, take, p)?;
        }
        Command::CancelDisposal { asset, substate } => {
            let a = out.free(*asset)?;
            out.require(
                a,
                name,
                |p| p.is(InStock, &Substate::PENDING_DISPOSAL),
                "in stock and pending disposal",
            )?;
            let mut p = a.placement.clone();
            p.substate = Some(substate.clone().unwrap_or(Substate::AVAILABLE));
            out.place(a, Take::Whole, p)?;
        }
        Command::Transfer { asset, to, part } => {
            let a = out.free(*asset)?;
            out.require(a, name, |p| p.status == InStock, "in stock")?;
            nonempty(to, "destination stockroom")?;
            let from = a.placement.stockroom.clone().unwrap_or_default();
            if &from == to {
                return Err(Error::SameStockroom {
                    asset: *asset,
                    stockroom: from,
                });
            }
            let take = out.take(a, part.as_ref(), name)?;
            let mut p = a.placement.clone();
            p.substate = Some(Substate::PENDING_TRANSFER);
            p.reserved_for = None;
            p.transfer = Some(Transfer {
                from,
                to: to.clone(),
                stage: TransferStage::Draft,
                before: a.placement.substate.clone(),
            });
            out.place(a, take, p)?;
        }
        Command::AdvanceTransfer { asset } => {
            let a = out.parentless(*asset)?;
            let Some(t) = &a.placement.transfer else {
                return Err(Error::NoTransfer { asset: *asset });
            };
            let p = match t.stage.next() {
                Some(stage) => {
                    let line = Some(Transfer { stage, ..t.clone() });
                    let mut p = match stage {
                        TransferStage::Draft
                        | TransferStage::Requested
                        | TransferStage::ShipmentPreparation => a.placement.clone(),
                        TransferStage::InTransit => {
                            Placement::new(InTransit, Some(Substate::RESERVED))
                        }
                        TransferStage::Received => {
                            Placement::new(InStock, Some(Substate::AVAILABLE)).in_stockroom(&t.to)
                        }
                        TransferStage::Delivered => {
                            Placement::new(InStock, Some(Substate::RESERVED)).in_stockroom(&t.to)
                        }
                    };
                    p.transfer = line;
                    p
                }
                None => Placement::new(InStock, Some(Substate::RESERVED)).in_stockroom(&t.to),
            };
            out.place(a, Take::Whole, p)?;
        }
        Command::CancelTransfer { asset } => {
            let a = out.parentless(*asset)?;
            let Some(t) = &a.placement.transfer else {
                return Err(Error::NoTransfer { asset: *asset });
            };
            if !t.stage.cancelable() {
                return Err(Error::TransferShipped {
                    asset: *asset,
                    stage: t.stage,
                });
            }
            let substate = t.before.clone().or(Some(Substate::AVAILABLE));
            let p = Placement::new(InStock, substate).in_stockroom(&t.from);
            out.place(a, Take::Whole, p)?;
        }
        Command::Retire { asset, substate } => {
            // "You can retire an asset at any time": a transfer line under way ends.
            let a = out.parentless(*asset)?;
            out.require(a, name, |p| p.status != Retired, "not retired")?;
            out.place(a, Take::Whole, Placement::new(Retired, substate.clone()))?;
        }
        Command::SetParent { asset, parent } => out.set_parent(*asset, *parent)?,
        Command::RunStockRules => {
            ctx.policy.check_stock_rules()?;
            for rule in &ctx.policy.stock_rules {
                if inv.pending_restock.contains(&rule.name) {
                    continue;
                }
                let available = inv.available(&rule.model, &rule.stockroom);
                if available <= rule.threshold {
                    out.events.push(Event::RestockRequested {
                        rule: rule.name.clone(),
                        model: rule.model.clone(),
                        stockroom: rule.stockroom.clone(),
                        available,
                        order: rule.order,
                        source: rule.source.clone(),
                        at: ctx.now,
                    });
                }
            }
        }
        Command::RestockDelivered { rule } => {
            ctx.policy.check_stock_rules()?;
            if !ctx.policy.stock_rules.iter().any(|r| &r.name == rule) {
                return Err(Error::UnknownStockRule { rule: rule.clone() });
            }
            if !inv.pending_restock.contains(rule) {
                return Err(Error::RestockNotPending { rule: rule.clone() });
            }
            out.events.push(Event::RestockDelivered {
                rule: rule.clone(),
                at: ctx.now,
            });
        }
    }
    Ok(out.events)
}

/// How much of a record a move takes.
#[derive(Debug, Clone, Copy)]
enum Take {
    Whole,
    Part {
        quantity: u32,
        new_asset: AssetId,
    },
    /// One item of a pre-allocated record: a new record without its CI or use history.
    Allocated {
        new_asset: AssetId,
    },
}

impl Take {
    fn new_asset(self) -> Option<AssetId> {
        match self {
            Take::Whole => None,
            Take::Part { new_asset, .. } | Take::Allocated { new_asset } => Some(new_asset),
        }
    }
}

struct Out<'i, 'c> {
    inv: &'i Inventory,
    ctx: &'c Context<'c>,
    events: Vec<Event>,
}

fn nonempty(name: &str, field: &'static str) -> Result<(), Error> {
    if name.is_empty() {
        Err(Error::EmptyName { field })
    } else {
        Ok(())
    }
}

fn single(a: &Asset, command: &'static str) -> Result<(), Error> {
    if a.class == AssetClass::Consumable {
        return Err(Error::WrongClass {
            command,
            asset: a.id,
            class: a.class,
            expected: "it takes single items, not consumables",
        });
    }
    Ok(())
}

fn consumable(a: &Asset, command: &'static str) -> Result<(), Error> {
    if a.class != AssetClass::Consumable {
        return Err(Error::WrongClass {
            command,
            asset: a.id,
            class: a.class,
            expected: "it takes consumables only",
        });
    }
    Ok(())
}

impl<'i, 'c> Out<'i, 'c> {
    fn get(&self, id: AssetId) -> Result<&'i Asset, Error> {
        self.inv
            .assets
            .get(&id)
            .ok_or(Error::UnknownAsset { asset: id })
    }

    /// The record, if it is not a child.
    fn parentless(&self, id: AssetId) -> Result<&'i Asset, Error> {
        let a = self.get(id)?;
        if let Some(parent) = a.parent {
            return Err(Error::FollowsParent { asset: id, parent });
        }
        Ok(a)
    }

    /// The record, if it is not a child and not being transferred.
    fn free(&self, id: AssetId) -> Result<&'i Asset, Error> {
        let a = self.parentless(id)?;
        if let Some(t) = &a.placement.transfer {
            return Err(Error::TransferUnderWay {
                asset: id,
                stage: t.stage,
            });
        }
        Ok(a)
    }

    /// The record's placement passes `ok`, or the command is refused naming what it
    /// takes.
    fn require(
        &self,
        a: &Asset,
        command: &'static str,
        ok: impl Fn(&Placement) -> bool,
        expected: &'static str,
    ) -> Result<(), Error> {
        if ok(&a.placement) {
            Ok(())
        } else {
            Err(Error::WrongState {
                command,
                asset: a.id,
                status: a.placement.status,
                substate: a.placement.substate.clone(),
                expected,
            })
        }
    }

    fn unused(&self, new: AssetId, own: AssetId) -> Result<(), Error> {
        if new == own || self.inv.assets.contains_key(&new) {
            Err(Error::AssetIdInUse { asset: new })
        } else {
            Ok(())
        }
    }

    fn take(&self, a: &Asset, part: Option<&Part>, command: &'static str) -> Result<Take, Error> {
        let Some(part) = part else {
            return Ok(Take::Whole);
        };
        consumable(a, command)?;
        if part.quantity == 0 {
            return Err(Error::ZeroQuantity);
        }
        if part.quantity > a.quantity {
            return Err(Error::QuantityAbove {
                asset: a.id,
                holds: a.quantity,
                asked: part.quantity,
            });
        }
        if part.quantity == a.quantity {
            return Ok(Take::Whole);
        }
        self.unused(part.new_asset, a.id)?;
        Ok(Take::Part {
            quantity: part.quantity,
            new_asset: part.new_asset,
        })
    }

    fn register(&mut self, new: &NewAsset) -> Result<(), Error> {
        if self.inv.assets.contains_key(&new.id) {
            return Err(Error::AssetIdInUse { asset: new.id });
        }
        nonempty(&new.model, "model")?;
        if new.ci.as_deref() == Some("") {
            return Err(Error::EmptyName { field: "ci" });
        }
        if new.quantity == 0 {
            return Err(Error::ZeroQuantity);
        }
        if new.cost < 0 {
            return Err(Error::NegativeCost { cost: new.cost });
        }
        let placement = match new.parent {
            Some(parent_id) => {
                let parent = self
                    .inv
                    .assets
                    .get(&parent_id)
                    .ok_or(Error::UnknownParent {
                        asset: new.id,
                        parent: parent_id,
                    })?;
                if !is_single(parent.class, parent.quantity, parent.substate()) {
                    return Err(Error::NotSingleItem {
                        asset: parent_id,
                        role: "a parent",
                        class: parent.class,
                        quantity: parent.quantity,
                    });
                }
                if !is_single(new.class, new.quantity, None) {
                    return Err(Error::NotSingleItem {
                        asset: new.id,
                        role: "a child",
                        class: new.class,
                        quantity: new.quantity,
                    });
                }
                follow(&parent.placement)
            }
            None => {
                let mut p = Placement::new(new.status, new.substate.clone());
                if matches!(new.status, InStock | Consumed) {
                    if let Some(room) = &new.stockroom {
                        nonempty(room, "stockroom")?;
                    }
                    p.stockroom.clone_from(&new.stockroom);
                }
                p
            }
        };
        let asset = Asset {
            id: new.id,
            class: new.class,
            model: new.model.clone(),
            quantity: new.quantity,
            cost: new.cost,
            ci: new.ci.clone(),
            parent: new.parent,
            placement: Placement::new(Status::OnOrder, None),
            in_use_since: None,
            updated_at: self.ctx.now,
        };
        self.check_placement(asset.id, asset.class, asset.quantity, &placement)?;
        let mut first = asset.clone();
        first.placement = placement.clone();
        if placement.status == InUse {
            first.in_use_since = Some(self.ctx.now);
        }
        self.events.push(Event::Registered {
            asset: Box::new(first.clone()),
        });
        self.events
            .extend(self.ci_event(first.id, first.ci.as_ref(), None, &placement));
        if let Some(into) = self.inv.merge_target(&first, &placement) {
            self.merge(first.id, into, first.quantity)?;
        }
        Ok(())
    }

    /// Items of `from` joining the identical record `into`, unless that would pass the
    /// most a record holds.
    fn merge(&mut self, from: AssetId, into: AssetId, quantity: u32) -> Result<(), Error> {
        let holds = self.get(into)?.quantity;
        if holds.checked_add(quantity).is_none() {
            return Err(Error::QuantityOverflow {
                asset: into,
                holds,
                added: quantity,
            });
        }
        self.events.push(Event::Merged {
            from,
            into,
            quantity,
            at: self.ctx.now,
        });
        Ok(())
    }

    /// `SetParent`: detaches a child (it keeps its placement), or attaches an asset to a
    /// parent whose placement it and its own children then take; no asset becomes its own
    /// ancestor.
    fn set_parent(&mut self, asset: AssetId, parent: Option<AssetId>) -> Result<(), Error> {
        let a = self.get(asset)?;
        if let Some(t) = &a.placement.transfer {
            return Err(Error::TransferUnderWay {
                asset,
                stage: t.stage,
            });
        }
        let Some(parent_id) = parent else {
            if a.parent.is_some() {
                self.events.push(Event::ParentSet {
                    asset,
                    parent: None,
                    at: self.ctx.now,
                });
            }
            return Ok(());
        };
        let p = self
            .inv
            .assets
            .get(&parent_id)
            .ok_or(Error::UnknownParent {
                asset,
                parent: parent_id,
            })?;
        for (record, role) in [(p, "a parent"), (a, "a child")] {
            if !is_single(record.class, record.quantity, record.substate()) {
                return Err(Error::NotSingleItem {
                    asset: record.id,
                    role,
                    class: record.class,
                    quantity: record.quantity,
                });
            }
        }
        // No cycle: the new parent's ancestors, walked up, never reach the asset.
        let mut at = Some(parent_id);
        let mut steps = 0usize;
        while let Some(up) = at {
            if up == asset || steps > self.inv.assets.len() {
                return Err(Error::ParentCycle {
                    asset,
                    parent: parent_id,
                });
            }
            steps += 1;
            at = self.inv.assets.get(&up).and_then(|x| x.parent);
        }
        self.events.push(Event::ParentSet {
            asset,
            parent: Some(parent_id),
            at: self.ctx.now,
        });
        let theirs = follow(&p.placement);
        self.check_placement(a.id, a.class, a.quantity, &theirs)
            .map_err(|_| Error::ChildCannotFollow {
                child: asset,
                class: a.class,
                status: theirs.status,
                substate: theirs.substate.clone(),
            })?;
        self.moved(a.id, a.ci.as_ref(), &a.placement, theirs.clone());
        self.cascade(a.id, &theirs)
    }

    /// The rules every placement keeps: the states table, a stockroom in stock, one item
    /// per record unless consumable or pre-allocated.
    fn check_placement(
        &self,
        id: AssetId,
        class: AssetClass,
        quantity: u32,
        p: &Placement,
    ) -> Result<(), Error> {
        let policy = self.ctx.policy;
        if !policy.allows(class, p.status, p.substate.as_ref()) {
            return Err(Error::StateNotAllowed {
                class,
                status: p.status,
                substate: p.substate.clone(),
                allowed: policy.substates(class, p.status),
            });
        }
        if p.status == InStock && p.stockroom.is_none() {
            return Err(Error::StockroomRequired { asset: id });
        }
        if class != AssetClass::Consumable
            && quantity > 1
            && p.substate.as_ref() != Some(&Substate::PRE_ALLOCATED)
        {
            return Err(Error::QuantityNotOne { class, quantity });
        }
        Ok(())
    }

    /// Moves all or part of a record to a placement: merged into an identical consumable
    /// record, or moved (split off first for a part), with the CI status and the children
    /// following.
    fn place(&mut self, a: &Asset, take: Take, p: Placement) -> Result<(), Error> {
        let now = self.ctx.now;
        let quantity = match take {
            Take::Whole => a.quantity,
            Take::Part { quantity, .. } => quantity,
            Take::Allocated { .. } => 1,
        };
        self.check_placement(a.id, a.class, quantity, &p)?;
        let has_children = self.inv.idx.has_children(a.id);
        if p.substate.as_ref() == Some(&Substate::PRE_ALLOCATED)
            && (a.parent.is_some() || has_children)
        {
            return Err(Error::NotSingleItem {
                asset: a.id,
                role: "pre-allocated while it is a parent or a child",
                class: a.class,
                quantity,
            });
        }
        let allocated = matches!(take, Take::Allocated { .. });
        let ci = if allocated { None } else { a.ci.as_ref() };
        if let Some(into) = self.inv.merge_target(a, &p) {
            self.merge(a.id, into, quantity)?;
            self.events
                .extend(self.ci_event(a.id, ci, self.ci_status(&a.placement), &p));
            return Ok(());
        }
        if let Some(new_asset) = take.new_asset() {
            self.events.push(Event::Split {
                from: a.id,
                into: new_asset,
                quantity,
                allocated,
                at: now,
            });
        }
        let id = take.new_asset().unwrap_or(a.id);
        if !has_children {
            self.moved(id, ci, &a.placement, p);
            return Ok(());
        }
        let theirs = follow(&p);
        self.moved(id, ci, &a.placement, p);
        self.cascade(a.id, &theirs)
    }

    /// The children of `parent`, and theirs, take `placement` (walked iteratively).
    fn cascade(&mut self, parent: AssetId, placement: &Placement) -> Result<(), Error> {
        let mut stack: Vec<AssetId> = self.inv.children(parent).collect();
        while let Some(child) = stack.pop() {
            let c = self.get(child)?;
            if !self
                .ctx
                .policy
                .allows(c.class, placement.status, placement.substate.as_ref())
            {
                return Err(Error::ChildCannotFollow {
                    child,
                    class: c.class,
                    status: placement.status,
                    substate: placement.substate.clone(),
                });
            }
            stack.extend(self.inv.children(child));
            self.moved(c.id, c.ci.as_ref(), &c.placement, placement.clone());
        }
        Ok(())
    }

    /// The CI status the policy maps a placement to, if any.
    fn ci_status(&self, p: &Placement) -> Option<&'c str> {
        self.ctx.policy.ci_status_of(p.status, p.substate.as_ref())
    }

    /// The CI status request a move to `new` makes, if the policy maps `new` to another
    /// status than `before` (the old placement's; none for a new record) and the record has
    /// a CI.
    fn ci_event(
        &self,
        id: AssetId,
        ci: Option<&String>,
        before: Option<&str>,
        new: &Placement,
    ) -> Option<Event> {
        match (ci, self.ci_status(new)) {
            (Some(ci), Some(status)) if before != Some(status) => Some(Event::CiStatusSet {
                asset: id,
                ci: ci.clone(),
                ci_status: status.to_owned(),
                at: self.ctx.now,
            }),
            _ => None,
        }
    }

    /// A record's move to `p` from `old`, and its CI's new status if the policy maps one.
    fn moved(&mut self, id: AssetId, ci: Option<&String>, old: &Placement, p: Placement) {
        let ci_event = self.ci_event(id, ci, self.ci_status(old), &p);
        self.events.push(Event::Moved {
            asset: id,
            placement: p,
            at: self.ctx.now,
        });
        self.events.extend(ci_event);
    }
}
