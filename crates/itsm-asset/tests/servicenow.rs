//! Conformance with ServiceNow's Asset Management documentation: one test per documented
//! rule, each naming its page.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use chrono::NaiveDate;
use common::{Inv, id, user};
use itsm_asset::{
    Actor, AssetClass, Command, Error, Event, Method, NewAsset, Part, Policy, RestockSource,
    Schedule, Status, StockRule, Substate, TransferStage, value,
};

fn set(asset: u128, status: Status, substate: Option<Substate>) -> Command {
    Command::SetState {
        asset: id(asset),
        status,
        substate,
        stockroom: None,
    }
}

// "Set asset states and substates" (t_SettingAssetStatesAndSubstates): the table of states
// and their available substates. Pending disposal is available with in stock, in transit
// and retired; on order and in maintenance have none; in use takes pending fulfillment, end
// of support, pending retirement or none; missing is lost or stolen.
#[test]
fn servicenow_states_take_the_documented_substates() {
    let p = Policy::servicenow();
    let hw = AssetClass::Hardware;
    for status in [Status::InStock, Status::InTransit, Status::Retired] {
        assert!(
            p.allows(hw, status, Some(&Substate::PENDING_DISPOSAL)),
            "{status}"
        );
    }
    for status in [Status::InUse, Status::OnOrder, Status::Missing] {
        assert!(
            !p.allows(hw, status, Some(&Substate::PENDING_DISPOSAL)),
            "{status}"
        );
    }
    assert_eq!(p.substates(hw, Status::OnOrder), vec![None]);
    assert_eq!(p.substates(hw, Status::InMaintenance), vec![None]);
    assert_eq!(
        p.substates(hw, Status::InUse),
        vec![
            None,
            Some(Substate::PENDING_FULFILLMENT),
            Some(Substate::END_OF_SUPPORT),
            Some(Substate::PENDING_RETIREMENT)
        ]
    );
    assert_eq!(
        p.substates(hw, Status::Missing),
        vec![Some(Substate::LOST), Some(Substate::STOLEN)]
    );
    assert_eq!(p.substates(hw, Status::InStock).len(), 19);
    assert_eq!(p.substates(hw, Status::InTransit).len(), 8);
    assert!(p.allows(hw, Status::InTransit, Some(&Substate::PENDING_DONATION)));
    assert!(!p.allows(hw, Status::InStock, Some(&Substate::PENDING_DONATION)));

    // Through decide: an in-stock asset marked pending disposal, then a substate the state
    // does not have, refused with the list of those it has.
    let mut inv = Inv::new(p);
    inv.laptop(1, "Dublin");
    inv.run(set(1, Status::InStock, Some(Substate::PENDING_DISPOSAL)));
    assert_eq!(inv.get(1).substate(), Some(&Substate::PENDING_DISPOSAL));
    let e = inv.refuse(set(1, Status::InMaintenance, Some(Substate::DEFECTIVE)));
    assert!(matches!(
        &e,
        Error::StateNotAllowed { status: Status::InMaintenance, allowed, .. } if *allowed == vec![None]
    ));
    assert_eq!(
        e.to_string(),
        "a hardware cannot be in_maintenance (defective); with in_maintenance it may be without a substate"
    );
    // Missing needs lost or stolen.
    inv.refuse(set(1, Status::Missing, None));
    inv.run(set(1, Status::Missing, Some(Substate::STOLEN)));
    assert_eq!(inv.get(1).status(), Status::Missing);
    // In stock always has a stockroom: missing kept none, so it must be given.
    let e = inv.refuse(set(1, Status::InStock, Some(Substate::AVAILABLE)));
    assert_eq!(e, Error::StockroomRequired { asset: id(1) });
    inv.run(Command::SetState {
        asset: id(1),
        status: Status::InStock,
        substate: Some(Substate::AVAILABLE),
        stockroom: Some("Cork".into()),
    });
    assert_eq!(inv.get(1).placement.stockroom.as_deref(), Some("Cork"));
}

// Same page: "In use: this option is available for non-consumables only"; "Build: hardware
// and consumables don't have a Build state".
#[test]
fn servicenow_in_use_is_not_for_consumables_and_build_not_for_hardware() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.keyboards(1, "Dublin", 5);
    let e = inv.refuse(set(1, Status::InUse, None));
    assert!(
        matches!(e, Error::StateNotAllowed { class: AssetClass::Consumable, status: Status::InUse, ref allowed, .. } if allowed.is_empty())
    );
    inv.laptop(2, "Dublin");
    let e = inv.refuse(set(2, Status::Build, None));
    assert!(matches!(
        e,
        Error::StateNotAllowed {
            class: AssetClass::Hardware,
            status: Status::Build,
            ..
        }
    ));
    inv.refuse(set(1, Status::Build, None));
    inv.register(NewAsset::new(id(3), AssetClass::Bundle, "Starter kit"));
    inv.run(set(3, Status::Build, None));
    assert_eq!(inv.get(3).status(), Status::Build);
}

// "Retire assets" (t_RetiringAssets): an asset can be retired at any time; the substate is
// not required; "when you retire an asset, the status of related CIs also changes to
// Retired"; "when you manually change the state of the asset from Retired to any other
// value such as In use the asset becomes active again".
#[test]
fn servicenow_retiring_retires_the_ci_and_can_be_undone() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.register(
        NewAsset::new(id(1), AssetClass::Hardware, "PowerEdge R750")
            .in_stock("DC1", Substate::AVAILABLE)
            .ci("db-1"),
    );
    inv.run(Command::Assign {
        asset: id(1),
        user: user(42),
    });
    let events = inv.run(Command::Retire {
        asset: id(1),
        substate: None,
    });
    assert!(events.iter().any(|e| matches!(
        e,
        Event::CiStatusSet { ci, ci_status, .. } if ci == "db-1" && ci_status == "retired"
    )));
    assert_eq!(inv.get(1).status(), Status::Retired);
    assert_eq!(inv.get(1).placement.assigned_to, None);
    // Retiring again is refused; a substate is accepted from any other state.
    assert!(matches!(
        inv.refuse(Command::Retire {
            asset: id(1),
            substate: Some(Substate::SOLD)
        }),
        Error::WrongState {
            expected: "not retired",
            ..
        }
    ));
    // Active again by hand: in use, and no second CI retirement.
    let events = inv.run(set(1, Status::InUse, None));
    assert_eq!(inv.get(1).status(), Status::InUse);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::CiStatusSet { .. }))
    );
    // Retired from in stock with a documented substate.
    inv.laptop(2, "Dublin");
    inv.run(Command::Retire {
        asset: id(2),
        substate: Some(Substate::DONATED),
    });
    assert_eq!(inv.get(2).substate(), Some(&Substate::DONATED));
}

// "Consumables life cycle" (c_FollowLifeCycleConsumbl): consumables are tracked as a group
// of the same model; their stages include consumed; "consumables cannot be pre-allocated".
#[test]
fn servicenow_consumables_are_counted_and_cannot_be_pre_allocated() {
    let mut inv = Inv::new(Policy::servicenow());
    let e = inv.refuse(Command::Register {
        asset: NewAsset::new(id(1), AssetClass::Consumable, "Toner")
            .in_stock("Dublin", Substate::PRE_ALLOCATED)
            .quantity(10),
    });
    assert!(matches!(
        e,
        Error::StateNotAllowed {
            class: AssetClass::Consumable,
            ..
        }
    ));
    // Hardware can be, and only a pre-allocated hardware record holds more than one item.
    inv.register(
        NewAsset::new(id(2), AssetClass::Hardware, "Latitude 5520")
            .in_stock("Dublin", Substate::PRE_ALLOCATED)
            .quantity(10),
    );
    let e = inv.refuse(Command::Register {
        asset: NewAsset::new(id(3), AssetClass::Hardware, "Latitude 5520")
            .in_stock("Dublin", Substate::AVAILABLE)
            .quantity(10),
    });
    assert_eq!(
        e,
        Error::QuantityNotOne {
            class: AssetClass::Hardware,
            quantity: 10
        }
    );
    // Consumed is for consumables only.
    inv.laptop(4, "Dublin");
    inv.refuse(set(4, Status::Consumed, None));
}

// "Consume consumable assets" (t_ConsumingConsumableAssets): consuming needs in stock and
// available; the quantity falls; "the Consumables list contains two records ... one in
// stock and available (if you did not consume the entire quantity), and one consumed";
// "if a consumable is not in the process of being transferred to a different stockroom and
// information in the data record is the same, similar records merge automatically"; the
// consumed record stays for reporting.
#[test]
fn servicenow_consuming_splits_and_similar_records_merge() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.keyboards(1, "Dublin", 10);
    inv.laptop(9, "Dublin");
    let consume = |quantity, new| Command::Consume {
        asset: id(1),
        part: Part {
            quantity,
            new_asset: id(new),
        },
        consumed_by: Some(id(9)),
        user: Some(user(42)),
    };
    let events = inv.run(consume(3, 2));
    assert!(matches!(events[0], Event::Split { quantity: 3, .. }));
    assert_eq!(
        (inv.get(1).quantity, inv.get(1).status()),
        (7, Status::InStock)
    );
    assert_eq!(
        (inv.get(2).quantity, inv.get(2).status()),
        (3, Status::Consumed)
    );
    assert_eq!(inv.get(2).placement.consumed_by, Some(id(9)));
    assert_eq!(inv.get(2).placement.stockroom.as_deref(), Some("Dublin"));
    // The same again: the consumed items join the identical consumed record.
    let events = inv.run(consume(2, 3));
    assert!(matches!(events[..], [Event::Merged { quantity: 2, .. }]));
    assert_eq!(inv.inventory.asset(id(3)), None);
    assert_eq!((inv.get(1).quantity, inv.get(2).quantity), (5, 5));
    // The whole rest: no in-stock record is left, the consumed one holds all ten.
    inv.run(consume(5, 4));
    assert_eq!(inv.inventory.asset(id(1)), None);
    assert_eq!(inv.get(2).quantity, 10);
    assert_eq!(inv.inventory.available("USB keyboard", "Dublin"), 0);
    // Only in stock and available: a defective record is refused, and more than it holds.
    inv.register(
        NewAsset::new(id(5), AssetClass::Consumable, "USB keyboard")
            .in_stock("Dublin", Substate::DEFECTIVE)
            .quantity(4),
    );
    let e = inv.refuse(Command::Consume {
        asset: id(5),
        part: Part {
            quantity: 1,
            new_asset: id(6),
        },
        consumed_by: None,
        user: None,
    });
    assert!(matches!(
        e,
        Error::WrongState {
            command: "consume",
            expected: "in stock and available",
            ..
        }
    ));
    inv.run(set(5, Status::InStock, Some(Substate::AVAILABLE)));
    let e = inv.refuse(Command::Consume {
        asset: id(5),
        part: Part {
            quantity: 5,
            new_asset: id(6),
        },
        consumed_by: None,
        user: None,
    });
    assert_eq!(
        e,
        Error::QuantityAbove {
            asset: id(5),
            holds: 4,
            asked: 5
        }
    );
    // A laptop is not consumed.
    inv.laptop(7, "Dublin");
    assert!(matches!(
        inv.refuse(Command::Consume {
            asset: id(7),
            part: Part {
                quantity: 1,
                new_asset: id(8)
            },
            consumed_by: None,
            user: None
        }),
        Error::WrongClass { .. }
    ));
}

// Same page: records being transferred do not merge.
#[test]
fn servicenow_consumables_in_transfer_do_not_merge() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.keyboards(1, "Dublin", 10);
    let part = |q, n| {
        Some(Part {
            quantity: q,
            new_asset: id(n),
        })
    };
    inv.run(Command::Transfer {
        asset: id(1),
        to: "Cork".into(),
        part: part(4, 2),
    });
    inv.run(Command::Transfer {
        asset: id(1),
        to: "Cork".into(),
        part: part(4, 3),
    });
    // Two lines, two records, identical but for their ids: not merged.
    assert_eq!(inv.get(2).placement, inv.get(3).placement);
    assert_eq!(
        (
            inv.get(1).quantity,
            inv.get(2).quantity,
            inv.get(3).quantity
        ),
        (2, 4, 4)
    );
    // Completed, they are the same record in Cork.
    for asset in [2, 3] {
        for _ in 0..6 {
            inv.run(Command::AdvanceTransfer { asset: id(asset) });
        }
    }
    assert_eq!(inv.inventory.asset(id(3)), None);
    assert_eq!(inv.get(2).quantity, 8);
    assert_eq!(inv.get(2).placement.stockroom.as_deref(), Some("Cork"));
}

// "Return consumable assets to stockrooms" (return-consumables): a consumable in the consumed
// state goes back to a stockroom, the whole quantity or part of it, with a chosen substate;
// only consumed consumables.
#[test]
fn servicenow_consumed_consumables_return_in_whole_or_part() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.keyboards(1, "Dublin", 10);
    inv.run(Command::Consume {
        asset: id(1),
        part: Part {
            quantity: 6,
            new_asset: id(2),
        },
        consumed_by: None,
        user: Some(user(42)),
    });
    let e = inv.refuse(Command::Return {
        asset: id(1),
        stockroom: "Dublin".into(),
        substate: None,
        part: None,
    });
    assert!(matches!(
        e,
        Error::WrongState {
            command: "return",
            ..
        }
    ));
    // Two back to Cork, defective: a new record.
    inv.run(Command::Return {
        asset: id(2),
        stockroom: "Cork".into(),
        substate: Some(Substate::DEFECTIVE),
        part: Some(Part {
            quantity: 2,
            new_asset: id(3),
        }),
    });
    assert_eq!(inv.get(3).placement.stockroom.as_deref(), Some("Cork"));
    assert_eq!(inv.get(3).substate(), Some(&Substate::DEFECTIVE));
    assert_eq!(inv.get(3).placement.assigned_to, None);
    // The rest back to Dublin, available: they join the four still there.
    inv.run(Command::Return {
        asset: id(2),
        stockroom: "Dublin".into(),
        substate: None,
        part: None,
    });
    assert_eq!(inv.inventory.asset(id(2)), None);
    assert_eq!(inv.get(1).quantity, 8);
    assert_eq!(inv.inventory.available("USB keyboard", "Dublin"), 8);
}

// "Dispose of consumable assets" (dispose-consumables): mark for disposal only in stock and
// not yet marked; a partial quantity makes a new record pending disposal; "after you mark a
// consumable for disposal, it does not get merged with another consumable record"; cancel
// from disposal sets a substate.
#[test]
fn servicenow_marked_for_disposal_does_not_merge_until_canceled() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.keyboards(1, "Dublin", 10);
    let mark = |q, n| Command::MarkForDisposal {
        asset: id(1),
        part: Some(Part {
            quantity: q,
            new_asset: id(n),
        }),
    };
    inv.run(mark(2, 2));
    inv.run(mark(3, 3));
    assert_eq!(inv.get(2).placement, inv.get(3).placement);
    assert_eq!(inv.get(2).substate(), Some(&Substate::PENDING_DISPOSAL));
    assert_eq!(inv.get(1).quantity, 5);
    // Not twice.
    let e = inv.refuse(Command::MarkForDisposal {
        asset: id(2),
        part: None,
    });
    assert!(matches!(
        e,
        Error::WrongState {
            expected: "in stock and not pending disposal",
            ..
        }
    ));
    // Canceled back to available: it joins the available record again.
    inv.run(Command::CancelDisposal {
        asset: id(2),
        substate: None,
    });
    assert_eq!(inv.inventory.asset(id(2)), None);
    assert_eq!(inv.get(1).quantity, 7);
    // Canceled to another substate: stays apart.
    inv.run(Command::CancelDisposal {
        asset: id(3),
        substate: Some(Substate::QUARANTINE),
    });
    assert_eq!(inv.get(3).substate(), Some(&Substate::QUARANTINE));
    let e = inv.refuse(Command::CancelDisposal {
        asset: id(3),
        substate: None,
    });
    assert!(matches!(
        e,
        Error::WrongState {
            command: "cancel_disposal",
            ..
        }
    ));
}

// "Allocate a pre-allocated asset" (t_AllocatingAPreAllocatedAsset): allocating creates a new
// record with the same model and parent information and a quantity of one, and reduces the
// pre-allocated record's quantity by one; when all are allocated the record is removed.
#[test]
fn servicenow_allocating_splits_one_item_off_until_none_is_left() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.register(
        NewAsset::new(id(1), AssetClass::Hardware, "Latitude 5520")
            .in_stock("Dublin", Substate::PRE_ALLOCATED)
            .quantity(2)
            .cost(120_000),
    );
    inv.run(Command::Allocate {
        asset: id(1),
        new_asset: id(2),
    });
    let new = inv.get(2);
    assert_eq!(
        (new.quantity, new.model.as_str(), new.cost),
        (1, "Latitude 5520", 120_000)
    );
    assert_eq!(new.substate(), Some(&Substate::AVAILABLE));
    assert_eq!(inv.get(1).quantity, 1);
    inv.run(Command::Allocate {
        asset: id(1),
        new_asset: id(3),
    });
    assert_eq!(inv.inventory.asset(id(1)), None);
    assert_eq!(inv.inventory.len(), 2);
    // Only pre-allocated records.
    let e = inv.refuse(Command::Allocate {
        asset: id(2),
        new_asset: id(4),
    });
    assert!(matches!(
        e,
        Error::WrongState {
            command: "allocate",
            ..
        }
    ));
}

// "Create pre-allocated assets" (t_CreatingPreAllocatedAssets), the Parent field: "when a
// parent asset is defined, the Assignment and State fields of the child asset are
// automatically populated based on the parent asset and are read-only".
#[test]
fn servicenow_children_follow_their_parent() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.laptop(1, "Dublin");
    inv.register(NewAsset::new(id(2), AssetClass::Hardware, "Docking station").parent(id(1)));
    inv.register(NewAsset::new(id(3), AssetClass::Other, "Licence").parent(id(2)));
    assert_eq!(inv.get(2).placement, inv.get(1).placement);
    // Read only.
    let e = inv.refuse(set(2, Status::InMaintenance, None));
    assert_eq!(
        e,
        Error::FollowsParent {
            asset: id(2),
            parent: id(1)
        }
    );
    // The parent's assignment is the children's, and theirs.
    inv.run(Command::Assign {
        asset: id(1),
        user: user(42),
    });
    for n in [2, 3] {
        assert_eq!(inv.get(n).status(), Status::InUse);
        assert_eq!(inv.get(n).placement.assigned_to, Some(user(42)));
        assert!(inv.get(n).in_use_since.is_some());
    }
    // A consumable is neither a parent nor a child.
    inv.keyboards(4, "Dublin", 3);
    let e = inv.refuse(Command::Register {
        asset: NewAsset::new(id(5), AssetClass::Hardware, "Mouse").parent(id(4)),
    });
    assert!(matches!(
        e,
        Error::NotSingleItem {
            role: "a parent",
            ..
        }
    ));
}

// "Summary of transfer order line tasks" (r_SummaryOfTransferOrderStages): draft, requested
// and shipment preparation keep in stock, pending transfer; in transit sets in transit,
// reserved; received sets in stock, available, in the destination stockroom; delivered sets
// in stock, reserved; closing delivered completes the line.
#[test]
fn servicenow_transfer_order_line_stages_set_state_and_substate() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.laptop(1, "Dublin");
    inv.run(Command::Transfer {
        asset: id(1),
        to: "Cork".into(),
        part: None,
    });
    let a = inv.get(1);
    assert_eq!(
        (a.status(), a.substate()),
        (Status::InStock, Some(&Substate::PENDING_TRANSFER))
    );
    let expected = [
        (
            TransferStage::Requested,
            Status::InStock,
            Substate::PENDING_TRANSFER,
            Some("Dublin"),
        ),
        (
            TransferStage::ShipmentPreparation,
            Status::InStock,
            Substate::PENDING_TRANSFER,
            Some("Dublin"),
        ),
        (
            TransferStage::InTransit,
            Status::InTransit,
            Substate::RESERVED,
            None,
        ),
        (
            TransferStage::Received,
            Status::InStock,
            Substate::AVAILABLE,
            Some("Cork"),
        ),
        (
            TransferStage::Delivered,
            Status::InStock,
            Substate::RESERVED,
            Some("Cork"),
        ),
    ];
    for (stage, status, substate, room) in expected {
        inv.run(Command::AdvanceTransfer { asset: id(1) });
        let a = inv.get(1);
        assert_eq!(a.placement.transfer.as_ref().map(|t| t.stage), Some(stage));
        assert_eq!(
            (a.status(), a.substate()),
            (status, Some(&substate)),
            "{stage}"
        );
        assert_eq!(a.placement.stockroom.as_deref(), room, "{stage}");
    }
    inv.run(Command::AdvanceTransfer { asset: id(1) });
    assert_eq!(inv.get(1).placement.transfer, None);
    assert!(matches!(
        inv.refuse(Command::AdvanceTransfer { asset: id(1) }),
        Error::NoTransfer { .. }
    ));
    // Canceled before it ships: back where it was, with the substate it had (reserved,
    // as delivered); after, refused.
    inv.run(Command::Transfer {
        asset: id(1),
        to: "Galway".into(),
        part: None,
    });
    inv.run(Command::CancelTransfer { asset: id(1) });
    assert_eq!(inv.get(1).placement.stockroom.as_deref(), Some("Cork"));
    assert_eq!(inv.get(1).substate(), Some(&Substate::RESERVED));
    inv.run(Command::Transfer {
        asset: id(1),
        to: "Galway".into(),
        part: None,
    });
    for _ in 0..3 {
        inv.run(Command::AdvanceTransfer { asset: id(1) });
    }
    let e = inv.refuse(Command::CancelTransfer { asset: id(1) });
    assert_eq!(
        e,
        Error::TransferShipped {
            asset: id(1),
            stage: TransferStage::InTransit
        }
    );
    // Retiring at any time ends the line ("Retire assets").
    inv.run(Command::Retire {
        asset: id(1),
        substate: None,
    });
    assert_eq!(inv.get(1).placement.transfer, None);
}

// "Stock rules" (c_StockRules): when the inventory of a model in a stockroom reaches the
// threshold, a transfer from another stockroom or an order from a vendor is created; "if
// restocking is in progress, the system doesn't create duplicate ... transfer orders"; the
// pending_delivery flag set false lets the rule run again.
#[test]
fn servicenow_stock_rules_restock_once_until_delivered() {
    let mut policy = Policy::servicenow();
    policy.stock_rules.push(StockRule {
        name: "keyboards-dublin".into(),
        model: "USB keyboard".into(),
        stockroom: "Dublin".into(),
        threshold: 10,
        order: 50,
        source: RestockSource::Stockroom("Central".into()),
    });
    let mut inv = Inv::new(policy);
    inv.keyboards(1, "Dublin", 11);
    assert!(inv.run(Command::RunStockRules).is_empty());
    inv.run(Command::Consume {
        asset: id(1),
        part: Part {
            quantity: 1,
            new_asset: id(2),
        },
        consumed_by: None,
        user: None,
    });
    let events = inv.run(Command::RunStockRules);
    assert!(matches!(
        &events[..],
        [Event::RestockRequested { available: 10, order: 50, source: RestockSource::Stockroom(s), .. }] if s == "Central"
    ));
    assert!(inv.inventory.restock_pending("keyboards-dublin"));
    assert!(inv.run(Command::RunStockRules).is_empty());
    inv.run(Command::RestockDelivered {
        rule: "keyboards-dublin".into(),
    });
    assert_eq!(inv.run(Command::RunStockRules).len(), 1);
    assert_eq!(
        inv.refuse(Command::RestockDelivered {
            rule: "nope".into()
        }),
        Error::UnknownStockRule {
            rule: "nope".into()
        }
    );
}

// "Create fixed assets", "Use depreciation with fixed assets" (c_CreatingFixedAssets): a
// $10,000.00 asset over five years: declining balance 5000, 2500, 1250, 625, 0; straight
// line 8000, 6000, 4000, 2000, 0.
#[test]
fn servicenow_depreciation_table_for_both_methods() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let start = day(2021, 1, 1);
    let straight = Schedule {
        method: Method::StraightLine,
        life_years: 5,
    };
    let declining = Schedule {
        method: Method::DecliningBalance { percent: 50 },
        life_years: 5,
    };
    let declining_expected = [500_000, 250_000, 125_000, 62_500, 0];
    let straight_expected = [800_000, 600_000, 400_000, 200_000, 0];
    for year in 1..=5 {
        let on = day(2021 + year, 1, 1);
        let i = usize::try_from(year - 1).unwrap();
        assert_eq!(
            value(&declining, 1_000_000, 0, start, on).unwrap().residual,
            declining_expected[i]
        );
        assert_eq!(
            value(&straight, 1_000_000, 0, start, on).unwrap().residual,
            straight_expected[i]
        );
    }
}

// "Add depreciation to an asset" (t_AddingDepreciationToAnAsset): $1000.00 straight line,
// exactly two years passed: residual $500.00 (a four-year life); a future effective date
// depreciates nothing; a salvage value greater than the cost is refused.
#[test]
fn servicenow_depreciation_two_years_future_and_salvage() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let s = Schedule {
        method: Method::StraightLine,
        life_years: 4,
    };
    // Across a leap year, still exactly half.
    let v = value(&s, 100_000, 0, day(2023, 6, 15), day(2025, 6, 15)).unwrap();
    assert_eq!((v.residual, v.depreciated), (50_000, 50_000));
    let v = value(&s, 100_000, 10_000, day(2030, 1, 1), day(2026, 1, 1)).unwrap();
    assert_eq!((v.residual, v.depreciated), (100_000, 0));
    assert_eq!(
        value(&s, 100_000, 100_001, day(2023, 1, 1), day(2026, 1, 1)),
        Err(Error::SalvageAboveCost {
            salvage: 100_001,
            cost: 100_000
        })
    );
}

// The pages above: "Role required: asset".
#[test]
fn servicenow_asset_commands_need_the_asset_role() {
    let mut inv = Inv::new(Policy::servicenow());
    inv.clerk = Actor::new(user(8), []);
    let e = inv.refuse(Command::Register {
        asset: NewAsset::new(id(1), AssetClass::Hardware, "Latitude 5520"),
    });
    assert!(matches!(
        e,
        Error::Denied {
            command: "register",
            ..
        }
    ));
    // Stock rule runs are the system's.
    assert!(inv.try_run(Command::RunStockRules).is_ok());
}
