//! The JSON formats, pinned: the schemas of commands, events, policies and states are compared
//! with the committed copies in `docs/schema/`. After an intended change:
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-change --all-features --test schema
//! ```
#![cfg(feature = "schemars")]
#![allow(clippy::unwrap_used, clippy::panic)]

use itsm_change::{Command, Event, Policy, State};
use itsm_testkit::pin_schema;

const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-change --all-features --test schema";

#[test]
fn command_schema_is_pinned() {
    pin_schema::<Command>("change-command.json", UPDATE);
}

#[test]
fn event_schema_is_pinned() {
    pin_schema::<Event>("change-event.json", UPDATE);
}

#[test]
fn policy_schema_is_pinned() {
    pin_schema::<Policy>("change-policy.json", UPDATE);
}

#[test]
fn state_schema_is_pinned() {
    pin_schema::<State>("change-state.json", UPDATE);
}

/// The preset policy reads back as itself, and a policy with a broken model is refused at
/// load with the model named.
#[test]
fn policies_are_checked_when_loaded() {
    let json = serde_json::to_value(Policy::servicenow()).unwrap();
    let back: Policy = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, Policy::servicenow());
    let mut broken = json;
    broken["models"][0]["path"] = serde_json::json!(["new", "implement", "closed"]);
    let err = serde_json::from_value::<Policy>(broken)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("model `standard`: the path must include `scheduled`"),
        "{err}"
    );
    assert!(
        err.contains("model `standard`: the path must include `review`"),
        "{err}"
    );
}
