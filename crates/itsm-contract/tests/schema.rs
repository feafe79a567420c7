//! The JSON formats, pinned in `docs/schema/`, and the formats as users write them.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-contract --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_contract::{
    Command, ContractSpec, Distribute, Event, Expiry, Interval, Model, Policy, Rate, State,
};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_testkit::pin_schema;
    const UPDATE: &str =
        "UPDATE_SCHEMAS=1 cargo test -p itsm-contract --all-features --test schema";
    pin_schema::<ContractSpec>("contract-spec.json", UPDATE);
    pin_schema::<Policy>("contract-policy.json", UPDATE);
    pin_schema::<Command>("contract-command.json", UPDATE);
    pin_schema::<Event>("contract-event.json", UPDATE);
    pin_schema::<State>("contract-state.json", UPDATE);
}

const USER: &str = "00000000-0000-0000-0000-000000000005";

/// A spec, a policy and commands as a user writes them, optional fields left out.
#[test]
fn hand_written_inputs_read() {
    let spec: ContractSpec = serde_json::from_value(json!({
        "number": "MNT-2027-014",
        "name": "Storage array support",
        "model": "maintenance",
        "vendor": "Acme Storage",
        "start": "2027-01-01",
        "end": "2027-12-31",
        "approver": USER,
        "payment_amount": 1200000,
        "sales_tax": 825,
        "assets": [{"id": "san-01", "cost": 7000000, "residual": 3000000}, {"id": "san-02"}],
        "rate_cards": [
            {"name": "support", "start": "2027-01-01", "interval": "monthly", "base_cost": 100000,
             "distribute": "asset_cost", "assets": ["san-01", "san-02"], "sales_tax": 825}
        ]
    }))
    .unwrap();
    assert_eq!(spec.model, Model::Maintenance);
    assert_eq!(spec.sales_tax, Some(Rate(825)));
    assert_eq!(spec.assets[1].cost, 0);
    let card = &spec.rate_cards[0];
    assert_eq!(
        (card.interval, card.distribute, card.end),
        (Interval::Monthly, Distribute::AssetCost, None)
    );
    let back: ContractSpec = serde_json::from_value(serde_json::to_value(&spec).unwrap()).unwrap();
    assert_eq!(back, spec);

    let policy: Policy =
        serde_json::from_value(json!({"reminders": [60, 14], "expiry": "after_end_date"})).unwrap();
    assert_eq!(
        (policy.reminders.clone(), policy.expiry),
        (vec![60, 14], Expiry::AfterEndDate)
    );
    assert!(policy.approver_only, "left out: ServiceNow's");

    let command: Command = serde_json::from_value(json!({
        "command": "renew",
        "renewal": {"start": "2028-01-01", "end": "2028-12-31", "percent": 300}
    }))
    .unwrap();
    let Command::Renew { renewal } = &command else {
        panic!("{command:?}")
    };
    assert_eq!((renewal.percent, renewal.submit), (Some(300), false));
    let tick: Command = serde_json::from_value(json!({"command": "tick"})).unwrap();
    assert_eq!(tick, Command::Tick);
}

/// Unknown fields are refused, so a misspelt option is never silently ignored.
#[test]
fn unknown_fields_are_refused() {
    let e = serde_json::from_value::<Policy>(json!({"reminder": [30]})).unwrap_err();
    assert!(e.to_string().contains("unknown field `reminder`"), "{e}");
    let e = serde_json::from_value::<ContractSpec>(
        json!({"number": "X", "model": "lease", "ends": "2027-01-01"}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `ends`"), "{e}");
}

/// Events and states round-trip, with their `type` tags.
#[test]
fn events_and_states_round_trip() {
    let event: Event =
        serde_json::from_value(json!({"type": "expired", "on": "2027-12-31"})).unwrap();
    assert_eq!(event.name(), "expired");
    assert_eq!(serde_json::to_value(&event).unwrap()["type"], "expired");
    let state: State = serde_json::from_value(json!({})).unwrap();
    assert_eq!(state, State::new());
}
