//! The JSON formats, pinned: the schemas of the KPI options and results, of availability's
//! commitment, outages and results, and of the
//! improvement register's commands, events and state are compared with the committed copies
//! in `docs/schema/`. After an intended change:
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-metrics --all-features --test schema
//! ```
#![cfg(feature = "schemars")]

use itsm_metrics::{Availability, Command, Commitment, Event, Kpis, Options, Outage, State};
use itsm_testkit::pin_schema;

const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-metrics --all-features --test schema";

#[test]
fn kpi_options_schema_is_pinned() {
    pin_schema::<Options>("metrics-options.json", UPDATE);
}

#[test]
fn kpis_schema_is_pinned() {
    pin_schema::<Kpis>("metrics-kpis.json", UPDATE);
}

#[test]
fn register_command_schema_is_pinned() {
    pin_schema::<Command>("metrics-register-command.json", UPDATE);
}

#[test]
fn register_event_schema_is_pinned() {
    pin_schema::<Event>("metrics-register-event.json", UPDATE);
}

#[test]
fn register_state_schema_is_pinned() {
    pin_schema::<State>("metrics-register-state.json", UPDATE);
}

#[test]
fn availability_commitment_schema_is_pinned() {
    pin_schema::<Commitment>("metrics-availability-commitment.json", UPDATE);
}

#[test]
fn availability_outages_schema_is_pinned() {
    pin_schema::<Vec<Outage>>("metrics-availability-outages.json", UPDATE);
}

#[test]
fn availability_results_schema_is_pinned() {
    pin_schema::<Vec<Availability>>("metrics-availability-results.json", UPDATE);
}
