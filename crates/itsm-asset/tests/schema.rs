//! The JSON formats, pinned in `docs/schema/`, the presets read back as themselves, and a
//! stored inventory that does not hold together refused.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-asset --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use itsm_asset::{
    Actor, AssetClass, AssetId, Command, Context, Error, Event, Inventory, Method, Move, NewAsset,
    Part, Policy, RestockSource, Role, Schedule, Status, StockRule, Substate, UserId, decide,
};
use serde_json::{Value, json};

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_testkit::pin_schema;
    const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-asset --all-features --test schema";
    pin_schema::<Command>("asset-command.json", UPDATE);
    pin_schema::<Event>("asset-event.json", UPDATE);
    pin_schema::<Policy>("asset-policy.json", UPDATE);
    pin_schema::<Inventory>("asset-inventory.json", UPDATE);
    pin_schema::<Schedule>("asset-schedule.json", UPDATE);
}

fn id(n: u128) -> AssetId {
    AssetId::from_u128(n)
}

/// ServiceNow's preset with a stock rule on keyboards in Dublin.
fn policy() -> Policy {
    let mut policy = Policy::servicenow();
    policy.stock_rules.push(StockRule {
        name: "keyboards-dublin".into(),
        model: "USB keyboard".into(),
        stockroom: "Dublin".into(),
        threshold: 10,
        order: 20,
        source: RestockSource::Vendor("Acme".into()),
    });
    policy
}

/// Runs commands a minute apart from an empty inventory; each must be accepted.
fn run(policy: &Policy, commands: Vec<Command>) -> Inventory {
    let clerk = Actor::new(UserId::from_u128(7), [Role::new("asset").unwrap()]);
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let mut inventory = Inventory::new();
    for (i, command) in commands.into_iter().enumerate() {
        let now = start + Duration::minutes(i64::try_from(i).unwrap());
        let ctx = Context::new(now, &clerk, policy);
        let events = decide(&inventory, &command, &ctx)
            .unwrap_or_else(|e| panic!("{} refused: {e}", command.name()));
        inventory.apply(&events);
    }
    inventory
}

/// A laptop with a docking station as its child, twenty keyboards of which three are
/// consumed, a monitor being transferred, and a restock asked for.
fn stocked() -> Inventory {
    let keyboards = NewAsset::new(id(3), AssetClass::Consumable, "USB keyboard")
        .in_stock("Dublin", Substate::AVAILABLE)
        .quantity(20)
        .cost(1_500);
    run(
        &policy(),
        vec![
            Command::Register {
                asset: NewAsset::new(id(1), AssetClass::Hardware, "Latitude 5520")
                    .in_stock("Dublin", Substate::AVAILABLE)
                    .cost(120_000)
                    .ci("laptop-0042"),
            },
            Command::Register {
                asset: NewAsset::new(id(2), AssetClass::Hardware, "WD19 dock").parent(id(1)),
            },
            Command::Register { asset: keyboards },
            Command::Consume {
                asset: id(3),
                part: Part {
                    quantity: 12,
                    new_asset: id(4),
                },
                consumed_by: Some(id(1)),
                user: Some(UserId::from_u128(42)),
            },
            Command::Assign {
                asset: id(1),
                user: UserId::from_u128(42),
            },
            Command::Register {
                asset: NewAsset::new(id(5), AssetClass::Hardware, "P2422H monitor")
                    .in_stock("Dublin", Substate::AVAILABLE),
            },
            Command::Transfer {
                asset: id(5),
                to: "Cork".into(),
                part: None,
            },
            Command::AdvanceTransfer { asset: id(5) },
            Command::RunStockRules,
        ],
    )
}

#[test]
fn presets_round_trip() {
    let mut restricted = policy();
    restricted.moves = Some(vec![Move {
        from: Status::InStock,
        to: Status::InUse,
    }]);
    for policy in [Policy::servicenow(), restricted] {
        let text = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&text).unwrap(), policy);
    }
    for method in [
        Method::StraightLine,
        Method::DecliningBalance { percent: 50 },
    ] {
        let schedule = Schedule {
            method,
            life_years: 5,
        };
        let text = serde_json::to_string(&schedule).unwrap();
        assert_eq!(serde_json::from_str::<Schedule>(&text).unwrap(), schedule);
    }
}

#[test]
fn the_inventory_round_trips_after_commands() {
    let inventory = stocked();
    assert!(inventory.restock_pending("keyboards-dublin"));
    assert_eq!(inventory.available("USB keyboard", "Dublin"), 8);
    let text = serde_json::to_string(&inventory).unwrap();
    let back: Inventory = serde_json::from_str(&text).unwrap();
    // Equal down to the indexes rebuilt on reading (children, counts, merge keys).
    assert_eq!(back, inventory);
    assert_eq!(back.children(id(1)).collect::<Vec<_>>(), vec![id(2)]);
    assert_eq!(back.available("USB keyboard", "Dublin"), 8);
    assert_eq!(back.last_at(), inventory.last_at());
    // The events of a further command are the same on the copy read back.
    let clerk = Actor::new(UserId::from_u128(7), [Role::new("asset").unwrap()]);
    let policy = policy();
    let ctx = Context::new(inventory.last_at().unwrap(), &clerk, &policy);
    let consume = Command::Consume {
        asset: id(3),
        part: Part {
            quantity: 8,
            new_asset: id(6),
        },
        consumed_by: Some(id(1)),
        user: Some(UserId::from_u128(42)),
    };
    let events = decide(&inventory, &consume, &ctx).unwrap();
    assert!(matches!(events[0], Event::Merged { quantity: 8, .. }));
    assert_eq!(decide(&back, &consume, &ctx).unwrap(), events);
    let text = serde_json::to_string(&events).unwrap();
    assert_eq!(serde_json::from_str::<Vec<Event>>(&text).unwrap(), events);
}

#[test]
fn a_command_and_a_policy_read_from_hand_written_json() {
    let command: Command = serde_json::from_value(json!({
        "command": "consume",
        "asset": "00000000-0000-0000-0000-000000000003",
        "part": { "quantity": 3, "new_asset": "00000000-0000-0000-0000-000000000009" },
        "user": "00000000-0000-0000-0000-00000000002a"
    }))
    .unwrap();
    assert_eq!(
        command,
        Command::Consume {
            asset: id(3),
            part: Part {
                quantity: 3,
                new_asset: id(9),
            },
            consumed_by: None,
            user: Some(UserId::from_u128(42)),
        }
    );
    let register: Command = serde_json::from_value(json!({
        "command": "register",
        "asset": {
            "id": "00000000-0000-0000-0000-000000000003", "class": "consumable",
            "model": "USB keyboard", "quantity": 20, "status": "in_stock",
            "substate": "available", "stockroom": "Dublin"
        }
    }))
    .unwrap();
    let expected = NewAsset::new(id(3), AssetClass::Consumable, "USB keyboard")
        .in_stock("Dublin", Substate::AVAILABLE)
        .quantity(20);
    assert_eq!(register, Command::Register { asset: expected });

    // A small vendor policy: keyboards in stock or consumed, one stock rule, no moves by hand
    // but from in stock to retired.
    let policy: Policy = serde_json::from_value(json!({
        "states": [
            { "status": "in_stock", "substate": "available", "classes": ["consumable"] },
            { "status": "consumed", "classes": ["consumable"] },
            { "status": "retired", "substate": null, "classes": ["consumable", "hardware"] }
        ],
        "moves": [{ "from": "in_stock", "to": "retired" }],
        "assignable": ["available"],
        "ci_status": [{ "status": "retired", "ci_status": "retired" }],
        "stock_rules": [{
            "name": "kb", "model": "USB keyboard", "stockroom": "Dublin",
            "threshold": 17, "order": 10, "source": { "stockroom": "Cork" }
        }],
        "permissions": { "register": ["asset"], "consume": ["asset"] }
    }))
    .unwrap();
    policy.check().unwrap();
    assert!(policy.allows(AssetClass::Consumable, Status::Consumed, None));
    assert!(!policy.may_move(Status::Consumed, Status::InStock));
    let inventory = run(&policy, vec![register, command, Command::RunStockRules]);
    assert!(inventory.restock_pending("kb"));
    assert_eq!(inventory.available("USB keyboard", "Dublin"), 17);
}

#[test]
fn unknown_fields_and_names_are_refused() {
    let e = serde_json::from_value::<Command>(json!({
        "command": "retire", "asset": "00000000-0000-0000-0000-000000000001", "colour": "red"
    }))
    .unwrap_err()
    .to_string();
    assert!(e.contains("unknown field `colour`"), "{e}");
    let e = serde_json::from_value::<Command>(json!({
        "command": "scrap", "asset": "00000000-0000-0000-0000-000000000001"
    }))
    .unwrap_err()
    .to_string();
    assert!(e.contains("unknown variant `scrap`"), "{e}");
    let mut policy = serde_json::to_value(Policy::servicenow()).unwrap();
    policy["colour"] = json!("red");
    assert!(serde_json::from_value::<Policy>(policy).is_err());
    let mut stock_rule = serde_json::to_value(policy_rule()).unwrap();
    stock_rule["colour"] = json!("red");
    assert!(serde_json::from_value::<StockRule>(stock_rule).is_err());
    // In the inventory: at the top, in a record, in its placement.
    let good = serde_json::to_value(stocked()).unwrap();
    for pointer in ["", "/assets/0", "/assets/0/placement"] {
        let mut bad = good.clone();
        bad.pointer_mut(pointer).unwrap()["colour"] = json!("red");
        let e = serde_json::from_value::<Inventory>(bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `colour`"), "{pointer}: {e}");
    }
    assert!(serde_json::from_value::<Inventory>(good).is_ok());
}

fn policy_rule() -> StockRule {
    policy().stock_rules.remove(0)
}

/// The inventory `stocked()` as JSON, changed by `edit`, must be refused with this error.
#[track_caller]
fn refused(edit: impl FnOnce(&mut Vec<Value>), asset: u128, reason: &'static str) {
    let mut value = serde_json::to_value(stocked()).unwrap();
    edit(value["assets"].as_array_mut().unwrap());
    let e = serde_json::from_value::<Inventory>(value)
        .unwrap_err()
        .to_string();
    let expected = Error::InvalidInventory {
        asset: id(asset),
        reason,
    }
    .to_string();
    assert!(e.starts_with(&expected), "{e}\nexpected: {expected}");
}

/// The record of this id in the inventory's JSON.
fn record(assets: &mut [Value], n: u128) -> &mut Value {
    let key = json!(id(n));
    assets.iter_mut().find(|a| a["id"] == key).unwrap()
}

#[test]
fn an_inventory_that_does_not_hold_together_is_refused() {
    refused(
        |assets| {
            let copy = record(assets, 5).clone();
            assets.push(copy);
        },
        5,
        "it is listed twice",
    );
    refused(
        |assets| record(assets, 4)["quantity"] = json!(0),
        4,
        "its quantity is 0; a record stands for at least one item",
    );
    refused(
        |assets| record(assets, 2)["parent"] = json!(id(99)),
        2,
        "its parent is not in the inventory",
    );
    // The laptop under its own docking station: 1 -> 2 -> 1.
    refused(
        |assets| record(assets, 1)["parent"] = json!(id(2)),
        1,
        "its chain of parents comes back to it",
    );
    refused(
        |assets| {
            let mut copy = record(assets, 3).clone();
            copy["id"] = json!(id(9));
            assets.push(copy);
        },
        3,
        "another consumable record is identical to it (same model, cost, CI and placement); merge them",
    );
}

#[test]
fn a_schedule_reads_from_hand_written_json() {
    let schedule: Schedule = serde_json::from_value(json!({
        "method": { "declining_balance": { "percent": 50 } }, "life_years": 5
    }))
    .unwrap();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    // ServiceNow's example: $10,000 halved each year: $2,500 after two years.
    let v = itsm_asset::value(&schedule, 1_000_000, 0, day(2024, 1, 1), day(2026, 1, 1)).unwrap();
    assert_eq!(v.residual, 250_000);
    assert!(
        serde_json::from_value::<Schedule>(
            json!({"method": "straight_line", "life_years": 4, "years": 4})
        )
        .is_err()
    );
}
