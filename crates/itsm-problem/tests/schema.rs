//! The JSON formats, pinned in `docs/schema/`. After an intended change:
//! `UPDATE_SCHEMAS=1 cargo test -p itsm-problem --all-features --test schema`.
#![cfg(feature = "schemars")]
#![allow(clippy::unwrap_used, clippy::panic)]

use itsm_problem::{
    Cluster, Command, DetectionSpec, Event, KnownErrorCommand, KnownErrorEvent, Policy, State,
};
use itsm_testkit::pin_schema;

const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-problem --all-features --test schema";

#[test]
fn schemas_are_pinned() {
    pin_schema::<Command>("problem-command.json", UPDATE);
    pin_schema::<Event>("problem-event.json", UPDATE);
    pin_schema::<Policy>("problem-policy.json", UPDATE);
    pin_schema::<State>("problem-state.json", UPDATE);
    pin_schema::<KnownErrorCommand>("known-error-command.json", UPDATE);
    pin_schema::<KnownErrorEvent>("known-error-event.json", UPDATE);
    pin_schema::<DetectionSpec>("problem-detection-spec.json", UPDATE);
    pin_schema::<Cluster>("problem-cluster.json", UPDATE);
}

/// The preset reads back as itself; a broken workflow is refused at load, naming the problem.
#[test]
fn policies_are_checked_when_loaded() {
    let json = serde_json::to_value(Policy::servicenow()).unwrap();
    assert_eq!(
        serde_json::from_value::<Policy>(json.clone()).unwrap(),
        Policy::servicenow()
    );
    let mut broken = json;
    broken["workflow"] =
        serde_json::json!({"transitions": [{"from": "new", "command": "close", "to": "closed"}]});
    let err = serde_json::from_value::<Policy>(broken)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`close` cannot run in a state of kind `new`"),
        "{err}"
    );
}
