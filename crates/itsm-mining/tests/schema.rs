//! The JSON format of an event log, pinned: its schema is compared with the committed copy
//! in `docs/schema/`. After an intended change:
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-mining --all-features --test schema
//! ```
#![cfg(feature = "schemars")]

use itsm_mining::EventLog;
use itsm_testkit::pin_schema;

const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-mining --all-features --test schema";

#[test]
fn event_log_schema_is_pinned() {
    pin_schema::<EventLog>("mining-event-log.json", UPDATE);
}
