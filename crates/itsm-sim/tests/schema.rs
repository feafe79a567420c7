//! The JSON formats, pinned: the schemas of a simulation's configuration and of its report
//! are compared with the committed copies in `docs/schema/`. After an intended change:
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-sim --all-features --test schema
//! ```
#![cfg(feature = "schemars")]
#![allow(clippy::unwrap_used)]

use itsm_sim::{Config, RunReport};
use itsm_testkit::pin_schema;

const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-sim --all-features --test schema";

#[test]
fn config_schema_is_pinned() {
    pin_schema::<Config>("sim-config.json", UPDATE);
}

#[test]
fn report_schema_is_pinned() {
    pin_schema::<RunReport>("sim-report.json", UPDATE);
}

/// The schema says durations are strings, as the JSON reader wants them.
#[test]
fn the_config_schema_describes_durations_as_strings() {
    let schema = serde_json::to_value(schemars::schema_for!(Config)).unwrap();
    assert_eq!(schema["properties"]["horizon"]["type"], "string");
    assert_eq!(schema["properties"]["horizon"]["format"], "duration");
}
