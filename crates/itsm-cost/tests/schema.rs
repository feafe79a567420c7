//! The JSON formats, pinned in `docs/schema/`, and the formats as users write them.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-cost --all-features --test schema`.
// Amounts are written as units_cents (2_500_00 is 2,500.00).
#![allow(clippy::inconsistent_digit_grouping)]
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_cost::{Allocate, Budget, CostSpec, Costing, Policy, UnitMethod};
use itsm_graph::GraphSpec;
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_cost::{BudgetStatus, NodeCost, Totals};
    use itsm_testkit::pin_schema;
    const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-cost --all-features --test schema";
    pin_schema::<CostSpec>("cost-spec.json", UPDATE);
    pin_schema::<Policy>("cost-policy.json", UPDATE);
    pin_schema::<Budget>("cost-budget.json", UPDATE);
    pin_schema::<BudgetStatus>("cost-budget-status.json", UPDATE);
    pin_schema::<NodeCost>("cost-node.json", UPDATE);
    pin_schema::<Totals>("cost-totals.json", UPDATE);
    pin_schema::<itsm_cost::TaskRates>("cost-task-rates.json", UPDATE);
    pin_schema::<itsm_cost::Task>("cost-task.json", UPDATE);
    pin_schema::<itsm_cost::TaskCosting>("cost-task-costing.json", UPDATE);
}

/// A graph, a spec and a policy as a user writes them, optional fields left out, costed.
#[test]
fn hand_written_inputs_read_and_cost() {
    let graph: GraphSpec = serde_json::from_value(json!({
        "relations": [{"name": "depends_on", "propagation": "to_from"}],
        "nodes": [
            {"id": "shop", "kind": "business_service", "class": "service"},
            {"id": "db", "kind": "configuration_item", "class": "database", "location": "dc1"}
        ],
        "edges": [{"from": "shop", "to": "db", "relation": "depends_on"}]
    }))
    .unwrap();
    let spec: CostSpec = serde_json::from_value(json!({
        "rate_cards": [{"name": "databases", "applies_to": {"classes": ["database"]},
                        "costs": [{"name": "support", "amount": 40000}]}],
        "expenses": [{"node": "db", "amount": 2500}],
        "distributions": [{"name": "dc1 power", "amount": 10000, "to": {"locations": ["dc1"]}}],
        "paths": [{"child_class": "database", "relation": "depends_on"}],
        "units": [{"service": "shop", "total": 4, "consumers": [{"cost_centre": "sales", "units": 1}]}]
    }))
    .unwrap();
    let policy: Policy = serde_json::from_value(json!({"unit_method": "allocated_units"})).unwrap();
    assert_eq!(policy.unit_method, UnitMethod::AllocatedUnits);
    assert_eq!(policy.allocate, Allocate::Total);
    assert_eq!(
        serde_json::from_value::<Policy>(json!({})).unwrap(),
        Policy::default()
    );
    let c = Costing::new(&graph, &spec, &policy).unwrap();
    assert_eq!(c.cost("shop").unwrap().total, 52_500);
    assert_eq!(c.allocations()[0].amount, 52_500);
    // Answers serialize as vendors store them.
    let line = serde_json::to_value(&c.lines("db").unwrap()[0]).unwrap();
    assert_eq!(
        line,
        json!({"source": {"rate_card": {"card": "databases", "cost": "support"}}, "amount": 40000})
    );
    let totals = serde_json::to_value(c.totals()).unwrap();
    assert_eq!(totals["kept_by_services"], json!(52_500));
    let b: Budget = serde_json::from_value(json!({
        "name": "FY", "start": "2026-01-01", "end": "2026-12-31", "planned": 100, "cost_centres": ["sales"]
    }))
    .unwrap();
    assert_eq!(b.planned, 100);
}

/// Unknown fields are refused, naming the field; amounts are whole minor units.
#[test]
fn bad_json_is_refused() {
    let e = serde_json::from_value::<CostSpec>(json!({"expences": []})).unwrap_err();
    assert!(e.to_string().contains("expences"), "{e}");
    let e =
        serde_json::from_value::<CostSpec>(json!({"expenses": [{"node": "db", "amount": 12.5}]}))
            .unwrap_err();
    assert!(e.to_string().contains("12.5"), "{e}");
    let e = serde_json::from_value::<Policy>(json!({"unit_method": "some_units"})).unwrap_err();
    assert!(e.to_string().contains("some_units"), "{e}");
}

/// Task rates and tasks as a user writes them: a flat rate, time worked in ISO 8601.
#[test]
fn hand_written_tasks_read_and_cost() {
    let rates: itsm_cost::TaskRates = serde_json::from_value(json!({
        "task_cards": [
            {"name": "P1", "table": "incident", "condition": {"priority": ["1"]}, "rate": {"flat": 15000}},
            {"name": "Timed", "order": 5, "table": "change_request",
             "rate": {"time_worked": {"default_hourly": 25000}}}
        ],
        "labour_cards": [{"name": "Dev", "hourly": 10000, "rate_type": "Standard",
                          "condition": {"department": ["Development"]}}],
        "workers": [{"id": "ann", "fields": {"department": "Development"}}],
        "time_lines": "per_entry"
    }))
    .unwrap();
    let tasks: Vec<itsm_cost::Task> = serde_json::from_value(json!([
        {"id": "CHG1", "table": "change_request", "node": "db",
         "worked": [{"user": "ann", "time": "PT1H30M", "rate_type": "Standard"}]}
    ]))
    .unwrap();
    let c = itsm_cost::cost_tasks(&rates, &tasks).unwrap();
    assert_eq!(c.lines[0].amount, 15_000);
    let e = serde_json::from_value::<itsm_cost::TaskRates>(json!({"task_cards": [
        {"name": "x", "table": "incident", "rate": {"hourly": 1}}]}))
    .unwrap_err();
    assert!(e.to_string().contains("hourly"), "{e}");
}
