//! What the independent review found (its model of the documented rules against the crate
//! over 1.65 M random commands), one test per finding, with the choice made.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use chrono::NaiveDate;
use common::{Inv, id, t, user};
use itsm_asset::{
    AssetClass, Command, Error, Event, Method, NewAsset, Part, Policy, RestockSource, Schedule,
    Status, StockRule, Substate, value,
};

fn keyboards(n: u128, quantity: u32, room: &str, substate: Substate) -> Command {
    Command::Register {
        asset: NewAsset::new(id(n), AssetClass::Consumable, "USB keyboard")
            .in_stock(room, substate)
            .quantity(quantity),
    }
}

// "You can retire an asset at any time" (ServiceNow, Retire assets): lost on the way, a
// shipped asset is recorded missing or retired, and the transfer line ends.
#[test]
fn an_asset_lost_in_transit_is_recorded_missing_or_retired() {
    for last in [
        Command::SetState {
            asset: id(1),
            status: Status::Missing,
            substate: Some(Substate::STOLEN),
            stockroom: None,
        },
        Command::Retire {
            asset: id(1),
            substate: Some(Substate::DISPOSED),
        },
    ] {
        let mut inv = Inv::new(Policy::servicenow());
        inv.laptop(1, "Dublin");
        inv.run(Command::Transfer {
            asset: id(1),
            to: "Cork".into(),
            part: None,
        });
        for _ in 0..3 {
            inv.run(Command::AdvanceTransfer { asset: id(1) });
        }
        assert_eq!(inv.get(1).status(), Status::InTransit);
        inv.refuse(Command::CancelTransfer { asset: id(1) });
        // Other hand edits still wait for the line.
        let e = inv.refuse(Command::SetState {
            asset: id(1),
            status: Status::InMaintenance,
            substate: None,
            stockroom: None,
        });
        assert!(matches!(e, Error::TransferUnderWay { .. }));
        inv.run(last);
        assert_eq!(inv.get(1).placement.transfer, None);
        assert!(matches!(
            inv.get(1).status(),
            Status::Missing | Status::Retired
        ));
    }
}

// A merge never loses items: past the most a record holds, the move is refused.
#[test]
fn a_merge_past_the_largest_quantity_is_refused() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.run(keyboards(1, u32::MAX, "Dublin", Substate::AVAILABLE));
    inv.run(keyboards(2, 3, "Cork", Substate::AVAILABLE));
    let e = inv.refuse(Command::SetState {
        asset: id(2),
        status: Status::InStock,
        substate: Some(Substate::AVAILABLE),
        stockroom: Some("Dublin".into()),
    });
    assert_eq!(
        e,
        Error::QuantityOverflow {
            asset: id(1),
            holds: u32::MAX,
            added: 3
        }
    );
    let e = inv.refuse(keyboards(3, 1, "Dublin", Substate::AVAILABLE));
    assert!(matches!(e, Error::QuantityOverflow { .. }));
}

// The items moved join the record on file (docs/asset.md), whatever the ids.
#[test]
fn merged_items_join_the_record_on_file() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.run(keyboards(1, 2, "Dublin", Substate::DEFECTIVE));
    inv.run(keyboards(2, 3, "Dublin", Substate::AVAILABLE));
    let events = inv.run(Command::SetState {
        asset: id(1),
        status: Status::InStock,
        substate: Some(Substate::AVAILABLE),
        stockroom: None,
    });
    assert!(
        matches!(events[..], [Event::Merged { from, into, quantity: 2, .. }] if from == id(1) && into == id(2))
    );
    assert_eq!(inv.get(2).quantity, 5);
}

// "Each year's value is rounded to the minor unit, half up", both methods alike.
#[test]
fn straight_line_rounds_the_value_half_up_like_declining_balance() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let straight = Schedule {
        method: Method::StraightLine,
        life_years: 2,
    };
    let declining = Schedule {
        method: Method::DecliningBalance { percent: 50 },
        life_years: 2,
    };
    let after_a_year = |s| {
        value(&s, 1, 0, day(2021, 1, 1), day(2022, 1, 1))
            .unwrap()
            .residual
    };
    assert_eq!((after_a_year(straight), after_a_year(declining)), (1, 1));
    // Within a year, between the rounded year values (the review's case).
    let s = Schedule {
        method: Method::StraightLine,
        life_years: 9,
    };
    let v = value(&s, 6_055_932, 0, day(2023, 3, 1), day(2024, 12, 18)).unwrap();
    assert_eq!(v.residual, 4_844_745);
}

// A record whose quantity changes has changed: its `updated_at` moves.
#[test]
fn a_split_or_merge_source_is_updated() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.run(keyboards(1, 5, "Dublin", Substate::AVAILABLE));
    inv.run(Command::Consume {
        asset: id(1),
        part: Part {
            quantity: 1,
            new_asset: id(2),
        },
        consumed_by: None,
        user: None,
    });
    assert_eq!((inv.get(1).quantity, inv.get(1).updated_at), (4, t(2)));
    inv.run(Command::Consume {
        asset: id(1),
        part: Part {
            quantity: 1,
            new_asset: id(3),
        },
        consumed_by: None,
        user: None,
    });
    assert_eq!((inv.get(1).quantity, inv.get(1).updated_at), (3, t(3)));
    assert_eq!((inv.get(2).quantity, inv.get(2).updated_at), (2, t(3)));
}

// Naming a record as its own consumer says so, rather than "there is no asset".
#[test]
fn a_consumable_cannot_consume_itself() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.run(keyboards(1, 3, "Dublin", Substate::AVAILABLE));
    let e = inv.refuse(Command::Consume {
        asset: id(1),
        part: Part {
            quantity: 1,
            new_asset: id(2),
        },
        consumed_by: Some(id(1)),
        user: None,
    });
    assert_eq!(e, Error::ConsumedByItself { asset: id(1) });
    assert_eq!(
        e.to_string(),
        format!(
            "asset {} cannot consume itself; name the asset that consumes it, or none",
            id(1)
        )
    );
}

// A move asks for the CI's status whether the items get a record of their own or join one.
#[test]
fn a_merge_asks_for_the_ci_status_too() {
    let mut inv = Inv::new(Policy::servicenow());
    let mut retired = NewAsset::new(id(9), AssetClass::Consumable, "Toner")
        .quantity(4)
        .ci("printer-1");
    retired.status = Status::Retired;
    let mut repaired = NewAsset::new(id(1), AssetClass::Consumable, "Toner")
        .quantity(1)
        .ci("printer-1");
    repaired.status = Status::InMaintenance;
    inv.run(Command::Register { asset: retired });
    inv.run(Command::Register { asset: repaired });
    let events = inv.run(Command::Retire {
        asset: id(1),
        substate: None,
    });
    assert!(matches!(events[0], Event::Merged { .. }));
    assert!(events.iter().any(|e| matches!(e, Event::CiStatusSet { asset, ci_status, .. } if *asset == id(1) && ci_status == "retired")));
}

// An allocated item is a new record: the model (and cost), not the CI or the use history.
#[test]
fn an_allocated_record_has_no_ci_or_use_history() {
    let mut inv = Inv::new(Policy::servicenow());
    let mut batch = NewAsset::new(id(1), AssetClass::Hardware, "Latitude 5520").ci("lt-batch");
    batch.status = Status::InUse;
    inv.run(Command::Register { asset: batch });
    inv.run(Command::SetState {
        asset: id(1),
        status: Status::InStock,
        substate: Some(Substate::PRE_ALLOCATED),
        stockroom: Some("Dublin".into()),
    });
    let events = inv.run(Command::Allocate {
        asset: id(1),
        new_asset: id(2),
    });
    assert!(matches!(
        events[0],
        Event::Split {
            allocated: true,
            ..
        }
    ));
    let new = inv.get(2);
    assert_eq!((new.ci.as_deref(), new.in_use_since), (None, None));
    assert_eq!(new.model, "Latitude 5520");
}

// decide leaves the tables to `Policy::check`, but the stock commands check their rules.
#[test]
fn stock_commands_check_their_rules() {
    let mut policy = Policy::servicenow();
    policy.stock_rules.push(StockRule {
        name: "r".into(),
        model: "m".into(),
        stockroom: "s".into(),
        threshold: 1,
        order: 0,
        source: RestockSource::Vendor("v".into()),
    });
    let mut inv = Inv::new(policy);
    let e = inv.refuse(Command::RunStockRules);
    assert_eq!(
        e,
        Error::InvalidPolicy {
            field: "stock_rules.order",
            allowed: "at least 1"
        }
    );
}

// Parents and children are single items: a parent is not made pre-allocated.
#[test]
fn a_parent_or_child_is_not_pre_allocated() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.laptop(1, "Dublin");
    inv.register(NewAsset::new(id(2), AssetClass::Hardware, "Dock").parent(id(1)));
    let e = inv.refuse(Command::SetState {
        asset: id(1),
        status: Status::InStock,
        substate: Some(Substate::PRE_ALLOCATED),
        stockroom: None,
    });
    assert!(matches!(e, Error::NotSingleItem { .. }));
}

// A child is detached (then moved on its own) and attached to another parent, whose
// placement it and its own children take; no parent is its own ancestor.
#[test]
fn children_are_detached_and_attached() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.laptop(1, "Dublin");
    inv.laptop(2, "Cork");
    inv.register(NewAsset::new(id(3), AssetClass::Hardware, "Dock").parent(id(1)));
    inv.register(NewAsset::new(id(4), AssetClass::Other, "Licence").parent(id(3)));
    inv.run(Command::Assign {
        asset: id(2),
        user: user(42),
    });
    // Attach the dock (and its licence) to laptop 2: both in use by 42.
    let events = inv.run(Command::SetParent {
        asset: id(3),
        parent: Some(id(2)),
    });
    assert!(matches!(events[0], Event::ParentSet { .. }));
    for n in [3, 4] {
        assert_eq!(inv.get(n).placement.assigned_to, Some(user(42)));
    }
    assert_eq!(
        inv.inventory.children(id(2)).collect::<Vec<_>>(),
        vec![id(3)]
    );
    assert_eq!(inv.inventory.children(id(1)).count(), 0);
    // No cycles.
    let e = inv.refuse(Command::SetParent {
        asset: id(2),
        parent: Some(id(4)),
    });
    assert_eq!(
        e,
        Error::ParentCycle {
            asset: id(2),
            parent: id(4)
        }
    );
    inv.refuse(Command::SetParent {
        asset: id(2),
        parent: Some(id(2)),
    });
    // Detached, the dock keeps its placement and moves on its own.
    inv.run(Command::SetParent {
        asset: id(3),
        parent: None,
    });
    inv.run(Command::SetState {
        asset: id(3),
        status: Status::InMaintenance,
        substate: None,
        stockroom: None,
    });
    assert_eq!(inv.get(3).status(), Status::InMaintenance);
    assert_eq!(inv.get(4).status(), Status::InMaintenance);
}

// A canceled transfer gives the substate back: a record pending disposal stays so.
#[test]
fn a_canceled_transfer_gives_the_substate_back() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.laptop(1, "Dublin");
    inv.run(Command::MarkForDisposal {
        asset: id(1),
        part: None,
    });
    inv.run(Command::Transfer {
        asset: id(1),
        to: "Cork".into(),
        part: None,
    });
    inv.run(Command::CancelTransfer { asset: id(1) });
    assert_eq!(inv.get(1).substate(), Some(&Substate::PENDING_DISPOSAL));
}

// A stored inventory is checked on reading (records that hold together), and against a
// policy by `Inventory::check`.
#[cfg(feature = "serde")]
#[test]
fn stored_inventories_are_checked() {
    use itsm_asset::Inventory;
    let mut inv = Inv::new(Policy::servicenow());
    inv.laptop(1, "Dublin");
    inv.register(NewAsset::new(id(2), AssetClass::Hardware, "Dock").parent(id(1)));
    let good = serde_json::to_value(&inv.inventory).unwrap();
    let reason = |value: serde_json::Value| {
        serde_json::from_value::<Inventory>(value)
            .unwrap_err()
            .to_string()
    };
    let mut moved_child = good.clone();
    moved_child["assets"][1]["placement"]["stockroom"] = "Cork".into();
    assert!(reason(moved_child).contains("its placement is not its parent's"));
    let mut no_room = good.clone();
    no_room["assets"][0]["placement"]["stockroom"] = serde_json::Value::Null;
    no_room["assets"][1]["placement"]["stockroom"] = serde_json::Value::Null;
    assert!(reason(no_room).contains("in stock without a stockroom"));
    let mut many = good.clone();
    many["assets"][0]["quantity"] = 5.into();
    assert!(reason(many).contains("neither a consumable nor pre-allocated"));
    let back: Inventory = serde_json::from_value(good).unwrap();
    assert_eq!(back, inv.inventory);
    // Against a policy that has no in-stock available hardware.
    let mut strict = Policy::servicenow();
    strict.states.retain(|r| r.status != Status::InStock);
    assert!(back.check(&Policy::servicenow()).is_ok());
    let e = back.check(&strict).unwrap_err();
    assert!(matches!(e, Error::InvalidInventory { .. }));
}
