//! Properties over random command streams and policies: the inventory always holds
//! together, whatever is accepted or refused.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::{Inv, id, user};
use itsm_asset::{
    AssetClass, CiStatusRule, Command, Event, Inventory, Move, NewAsset, Part, Policy,
    RestockSource, STEPS, Status, StockRule, Substate, evolve,
};
use proptest::prelude::*;

const MODELS: [&str; 2] = ["USB keyboard", "Latitude 5520"];
const ROOMS: [&str; 3] = ["Dublin", "Cork", "Galway"];

fn substate() -> impl Strategy<Value = Option<Substate>> {
    prop_oneof![
        Just(None),
        Just(Some(Substate::AVAILABLE)),
        Just(Some(Substate::RESERVED)),
        Just(Some(Substate::DEFECTIVE)),
        Just(Some(Substate::PENDING_DISPOSAL)),
        Just(Some(Substate::PRE_ALLOCATED)),
        Just(Some(Substate::LOST)),
        Just(Some(Substate::SOLD)),
    ]
}

fn class() -> impl Strategy<Value = AssetClass> {
    proptest::sample::select(AssetClass::ALL.to_vec())
}

fn room() -> impl Strategy<Value = String> {
    proptest::sample::select(ROOMS.to_vec()).prop_map(String::from)
}

fn part() -> impl Strategy<Value = Part> {
    (
        prop_oneof![1 => Just(0u32), 8 => 1u32..6, 1 => 6u32..20],
        1u128..16,
    )
        .prop_map(|(quantity, n)| Part {
            quantity,
            new_asset: id(n),
        })
}

/// A state and substate from the ServiceNow table (some classes cannot take it).
fn pair() -> impl Strategy<Value = (Status, Option<Substate>)> {
    proptest::sample::select(Policy::servicenow().states).prop_map(|r| (r.status, r.substate))
}

/// Mostly records the policy accepts, some it refuses.
fn new_asset() -> impl Strategy<Value = NewAsset> {
    let n = 1u128..10;
    prop_oneof![
        3 => (n.clone(), room(), 1u32..12).prop_map(|(n, r, q)| NewAsset::new(id(n), AssetClass::Consumable, MODELS[0])
            .in_stock(r, Substate::AVAILABLE).quantity(q).cost(500)),
        3 => (n.clone(), room()).prop_map(|(n, r)| NewAsset::new(id(n), AssetClass::Hardware, MODELS[1])
            .in_stock(r, Substate::AVAILABLE).cost(120_000).ci(format!("ci-{n}"))),
        1 => (n.clone(), room(), 1u32..4).prop_map(|(n, r, q)| NewAsset::new(id(n), AssetClass::Hardware, MODELS[1])
            .in_stock(r, Substate::PRE_ALLOCATED).quantity(q)),
        1 => n.clone().prop_map(|n| NewAsset::new(id(n), AssetClass::Hardware, MODELS[1])),
        2 => (n.clone(), 1u128..10, class()).prop_map(|(n, p, c)| NewAsset::new(id(n), c, "Dock").parent(id(p))),
        1 => (n, class(), 0usize..2, 0u32..6, pair(), proptest::option::of(room()), any::<bool>())
            .prop_map(|(n, class, m, quantity, (status, substate), stockroom, ci)| {
                let mut new = NewAsset::new(id(n), class, MODELS[m]).quantity(quantity).cost(1_000);
                new.status = status;
                new.substate = substate;
                new.stockroom = stockroom;
                if ci {
                    new.ci = Some(format!("ci-{n}"));
                }
                new
            }),
    ]
}

fn command() -> impl Strategy<Value = Command> {
    let asset = || (1u128..10).prop_map(id);
    prop_oneof![
        5 => new_asset().prop_map(|asset| Command::Register { asset }),
        3 => (asset(), pair(), proptest::option::of(room()))
            .prop_map(|(asset, (status, substate), stockroom)| Command::SetState { asset, status, substate, stockroom }),
        1 => (asset(), room()).prop_map(|(asset, stockroom)| Command::Receive { asset, stockroom }),
        1 => (asset(), 40u128..43).prop_map(|(asset, u)| Command::Reserve { asset, user: user(u) }),
        2 => (asset(), 40u128..43).prop_map(|(asset, u)| Command::Assign { asset, user: user(u) }),
        2 => (asset(), room(), substate(), proptest::option::of(part()))
            .prop_map(|(asset, stockroom, substate, part)| Command::Return { asset, stockroom, substate, part }),
        3 => (asset(), part(), proptest::option::of(asset()), proptest::option::of(40u128..43))
            .prop_map(|(asset, part, consumed_by, u)| Command::Consume { asset, part, consumed_by, user: u.map(user) }),
        1 => (asset(), 1u128..16).prop_map(|(asset, n)| Command::Allocate { asset, new_asset: id(n) }),
        1 => (asset(), proptest::option::of(part())).prop_map(|(asset, part)| Command::MarkForDisposal { asset, part }),
        1 => (asset(), substate()).prop_map(|(asset, substate)| Command::CancelDisposal { asset, substate }),
        2 => (asset(), room(), proptest::option::of(part())).prop_map(|(asset, to, part)| Command::Transfer { asset, to, part }),
        4 => asset().prop_map(|asset| Command::AdvanceTransfer { asset }),
        1 => asset().prop_map(|asset| Command::CancelTransfer { asset }),
        1 => (asset(), substate()).prop_map(|(asset, substate)| Command::Retire { asset, substate }),
        1 => (asset(), proptest::option::of(asset())).prop_map(|(asset, parent)| Command::SetParent { asset, parent }),
        1 => Just(Command::RunStockRules),
        1 => Just(Command::RestockDelivered { rule: "keyboards".into() }),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(moves, ci, stock)| {
        let mut p = Policy::servicenow();
        if moves {
            // Retired is final; everything else as before.
            let mut list = Vec::new();
            for from in Status::ALL {
                for to in Status::ALL {
                    if from != Status::Retired {
                        list.push(Move { from, to });
                    }
                }
            }
            p.moves = Some(list);
        }
        if ci {
            p.ci_status.push(CiStatusRule {
                status: Status::InUse,
                substate: None,
                ci_status: "installed".into(),
            });
            p.ci_status.push(CiStatusRule {
                status: Status::InStock,
                substate: Some(Substate::DEFECTIVE),
                ci_status: "broken".into(),
            });
        }
        if stock {
            p.stock_rules.push(StockRule {
                name: "keyboards".into(),
                model: MODELS[0].into(),
                stockroom: ROOMS[0].into(),
                threshold: 5,
                order: 10,
                source: RestockSource::Vendor("Logitech".into()),
            });
        }
        p
    })
}

/// Points a command's asset at a record on file: ids 1 to 8 stand for the n-th record
/// (so most commands hit one), 9 stays itself (usually unknown).
fn retarget(command: Command, inventory: &Inventory) -> Command {
    let ids: Vec<_> = inventory.assets().map(|a| a.id).collect();
    let pick = |a: itsm_asset::AssetId| -> itsm_asset::AssetId {
        let n = a.0.as_u128();
        if ids.is_empty() || n > 8 {
            return a;
        }
        ids[usize::try_from(n).unwrap() % ids.len()]
    };
    let mut command = command;
    match &mut command {
        Command::SetState { asset, .. }
        | Command::Receive { asset, .. }
        | Command::Reserve { asset, .. }
        | Command::Assign { asset, .. }
        | Command::Return { asset, .. }
        | Command::Allocate { asset, .. }
        | Command::MarkForDisposal { asset, .. }
        | Command::CancelDisposal { asset, .. }
        | Command::Transfer { asset, .. }
        | Command::AdvanceTransfer { asset }
        | Command::CancelTransfer { asset }
        | Command::Retire { asset, .. } => *asset = pick(*asset),
        Command::Consume {
            asset, consumed_by, ..
        } => {
            *asset = pick(*asset);
            *consumed_by = consumed_by.map(pick);
        }
        Command::Register { asset } => asset.parent = asset.parent.map(pick),
        Command::SetParent { asset, parent } => {
            *asset = pick(*asset);
            *parent = parent.map(pick);
        }
        _ => {}
    }
    command
}

fn consumable_totals(inventory: &Inventory) -> BTreeMap<String, u64> {
    let mut totals = BTreeMap::new();
    for a in inventory
        .assets()
        .filter(|a| a.class == AssetClass::Consumable)
    {
        *totals.entry(a.model.clone()).or_insert(0) += u64::from(a.quantity);
    }
    totals
}

fn check(inventory: &Inventory, policy: &Policy) {
    let mut recount: BTreeMap<(String, String), u64> = BTreeMap::new();
    let assets: Vec<_> = inventory.assets().collect();
    for a in &assets {
        let p = &a.placement;
        assert!(
            policy.allows(a.class, p.status, p.substate.as_ref()),
            "{a:?}"
        );
        assert!(a.quantity >= 1);
        if p.status == Status::InStock {
            assert!(p.stockroom.is_some(), "{a:?}");
        }
        if a.class != AssetClass::Consumable
            && p.substate.as_ref() != Some(&Substate::PRE_ALLOCATED)
        {
            assert_eq!(a.quantity, 1, "{a:?}");
        }
        if let Some(parent) = a.parent {
            let parent = inventory.asset(parent).unwrap();
            let mut expected = parent.placement.clone();
            expected.consumed_by = None;
            expected.transfer = None;
            assert_eq!(p, &expected, "child {a:?} of {parent:?}");
        }
        if p.status == Status::InStock && p.substate.as_ref() == Some(&Substate::AVAILABLE) {
            let key = (a.model.clone(), p.stockroom.clone().unwrap());
            *recount.entry(key).or_insert(0) += u64::from(a.quantity);
        }
    }
    for ((model, room), n) in &recount {
        assert_eq!(inventory.available(model, room), *n);
    }
    for model in MODELS {
        for room in ROOMS {
            let key = (model.to_string(), room.to_string());
            assert_eq!(
                inventory.available(model, room),
                recount.get(&key).copied().unwrap_or(0)
            );
        }
    }
    // No two mergeable consumable records are identical.
    let mergeable: Vec<_> = assets
        .iter()
        .filter(|a| {
            a.class == AssetClass::Consumable
                && a.placement.transfer.is_none()
                && a.placement.substate.as_ref() != Some(&Substate::PENDING_DISPOSAL)
        })
        .collect();
    for (i, a) in mergeable.iter().enumerate() {
        for b in mergeable.iter().skip(i + 1) {
            let same = a.model == b.model
                && a.cost == b.cost
                && a.ci == b.ci
                && a.placement == b.placement;
            assert!(!same, "identical records left apart: {a:?} {b:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn inventories_hold_together(policy in policy(), commands in proptest::collection::vec(command(), 1..60)) {
        let mut inv = Inv::new(policy.clone());
        let mut log: Vec<Event> = Vec::new();
        for command in commands {
            let command = retarget(command, &inv.inventory);
            let before = inv.inventory.clone();
            let totals = consumable_totals(&before);
            let name = command.name();
            let Ok(events) = inv.try_run(command.clone()) else {
                prop_assert_eq!(&inv.inventory, &before);
                continue;
            };
            check(&inv.inventory, &policy);
            if name != "register" {
                prop_assert_eq!(consumable_totals(&inv.inventory), totals, "{:?}", command);
            }
            // Every state change of a workflow command is a row of STEPS.
            if !matches!(name, "register" | "set_state" | "set_parent") {
                for e in &events {
                    if let Event::Moved { asset, placement, .. } = e {
                        let from = before.asset(*asset).map(|a| a.status());
                        if let Some(from) = from {
                            let to = placement.status;
                            prop_assert!(
                                STEPS.iter().any(|s| s.command == name && s.from == from && s.to == to),
                                "{} moved {} to {}", name, from, to
                            );
                        }
                    }
                }
            }
            log.extend(events);
        }
        // The events replay to the same inventory, and it reads back from JSON.
        let replayed = log.iter().fold(Inventory::new(), evolve);
        prop_assert_eq!(&replayed, &inv.inventory);
        #[cfg(feature = "serde")]
        {
            let text = serde_json::to_string(&inv.inventory).unwrap();
            let back: Inventory = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&back, &inv.inventory);
        }
    }
}
