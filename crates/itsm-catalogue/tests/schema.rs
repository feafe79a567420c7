//! The JSON formats, pinned: the schemas of commands, events, states and catalogues are
//! compared with the committed copies in `docs/schema/`. After an intended change:
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-catalogue --all-features --test schema
//! ```
#![cfg(feature = "schemars")]
#![allow(clippy::unwrap_used, clippy::panic)]

use itsm_catalogue::{
    Catalogue, Command, Event, ServiceCommand, ServiceEvent, ServiceState, State,
};
use itsm_testkit::pin_schema;

const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-catalogue --all-features --test schema";

#[test]
fn command_schema_is_pinned() {
    pin_schema::<Command>("catalogue-command.json", UPDATE);
}

#[test]
fn event_schema_is_pinned() {
    pin_schema::<Event>("catalogue-event.json", UPDATE);
}

#[test]
fn state_schema_is_pinned() {
    pin_schema::<State>("catalogue-state.json", UPDATE);
}

#[test]
fn catalogue_schema_is_pinned() {
    pin_schema::<Catalogue>("catalogue.json", UPDATE);
}

#[test]
fn service_schemas_are_pinned() {
    pin_schema::<ServiceCommand>("catalogue-service-command.json", UPDATE);
    pin_schema::<ServiceEvent>("catalogue-service-event.json", UPDATE);
    pin_schema::<ServiceState>("catalogue-service-state.json", UPDATE);
}

/// The example catalogue reads back as itself, and a catalogue with a task cycle is refused
/// at load with the cycle named.
#[test]
fn catalogues_are_checked_when_loaded() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/data/catalogue/catalogue.json"),
    )
    .unwrap();
    let catalogue: Catalogue = serde_json::from_str(&text).unwrap();
    let json = serde_json::to_value(&catalogue).unwrap();
    let back: Catalogue = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, catalogue);
    let mut broken = json;
    broken["items"][0]["tasks"][0]["after"] = serde_json::json!(["deliver"]);
    let err = serde_json::from_value::<Catalogue>(broken)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "item `laptop`: its tasks form a cycle: order_hardware -> deliver -> image -> order_hardware"
        ),
        "{err}"
    );
}
