//! `evolve`: folding events into the inventory.

use crate::event::Event;
use crate::model::{Inventory, Status};

/// Folds one event into the inventory.
///
/// ```
/// use itsm_asset::chrono::{TimeZone, Utc};
/// use itsm_asset::{Actor, AssetClass, AssetId, Command, Context, Inventory, NewAsset, Policy, Role, UserId, decide, evolve};
///
/// let policy = Policy::servicenow();
/// let clerk = Actor::new(UserId::from_u128(7), [Role::new("asset")?]);
/// let ctx = Context::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(), &clerk, &policy);
/// let new = NewAsset::new(AssetId::from_u128(1), AssetClass::Hardware, "Latitude 5520");
/// let events = decide(&Inventory::new(), &Command::Register { asset: new }, &ctx)?;
/// let inventory = events.iter().fold(Inventory::new(), evolve);
/// assert_eq!(inventory.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evolve(mut inventory: Inventory, event: &Event) -> Inventory {
    apply(&mut inventory, event);
    inventory
}

pub(crate) fn apply(inv: &mut Inventory, event: &Event) {
    let at = event.at();
    inv.last_at = Some(inv.last_at.map_or(at, |l| l.max(at)));
    match event {
        Event::Registered { asset } => {
            if let Some(old) = inv.assets.remove(&asset.id) {
                inv.unindex(&old);
            }
            inv.index(asset);
            inv.assets.insert(asset.id, (**asset).clone());
        }
        Event::Moved {
            asset, placement, ..
        } => {
            if let Some(a) = inv.assets.get_mut(asset) {
                inv.idx.unindex(a);
                a.placement.clone_from(placement);
                a.updated_at = at;
                if placement.status == Status::InUse && a.in_use_since.is_none() {
                    a.in_use_since = Some(at);
                }
                inv.idx.index(a);
            }
        }
        Event::Split {
            from,
            into,
            quantity,
            allocated,
            ..
        } => {
            let Some(source) = inv.assets.get_mut(from) else {
                return;
            };
            inv.idx.unindex(source);
            let moved = (*quantity).min(source.quantity);
            let mut new = source.clone();
            new.id = *into;
            new.quantity = moved;
            new.updated_at = at;
            if *allocated {
                new.ci = None;
                new.in_use_since = None;
            }
            source.quantity -= moved;
            source.updated_at = at;
            if source.quantity > 0 {
                inv.idx.index(source);
            } else {
                inv.assets.remove(from);
            }
            if moved > 0 {
                if let Some(old) = inv.assets.remove(into) {
                    inv.idx.unindex(&old);
                }
                inv.idx.index(&new);
                inv.assets.insert(new.id, new);
            }
        }
        Event::Merged {
            from,
            into,
            quantity,
            ..
        } => {
            if from == into || !inv.assets.contains_key(into) {
                return;
            }
            let Some(source) = inv.assets.get_mut(from) else {
                return;
            };
            inv.idx.unindex(source);
            let moved = (*quantity).min(source.quantity);
            source.quantity -= moved;
            source.updated_at = at;
            if source.quantity > 0 {
                inv.idx.index(source);
            } else {
                inv.assets.remove(from);
            }
            if let Some(target) = inv.assets.get_mut(into) {
                inv.idx.unindex(target);
                target.quantity = target.quantity.saturating_add(moved);
                target.updated_at = at;
                inv.idx.index(target);
            }
        }
        Event::ParentSet { asset, parent, .. } => {
            if let Some(a) = inv.assets.get_mut(asset) {
                inv.idx.unindex(a);
                a.parent = *parent;
                a.updated_at = at;
                inv.idx.index(a);
            }
        }
        Event::CiStatusSet { .. } => {}
        Event::RestockRequested { rule, .. } => {
            inv.pending_restock.insert(rule.clone());
        }
        Event::RestockDelivered { rule, .. } => {
            inv.pending_restock.remove(rule);
        }
    }
}
