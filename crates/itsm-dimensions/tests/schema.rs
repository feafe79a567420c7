//! The JSON formats, pinned in `docs/schema/`. After an intended change:
//! `UPDATE_SCHEMAS=1 cargo test -p itsm-dimensions --all-features --test schema`.
#![cfg(feature = "schemars")]
#![allow(clippy::unwrap_used)]

use itsm_dimensions::{Assessment, Comparison, Dependencies, OrganisationSpec, Settings};
use itsm_testkit::pin_schema;

const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-dimensions --all-features --test schema";

#[test]
fn schemas_are_pinned() {
    pin_schema::<OrganisationSpec>("dimensions-organisation.json", UPDATE);
    pin_schema::<Dependencies>("dimensions-dependencies.json", UPDATE);
    pin_schema::<Settings>("dimensions-settings.json", UPDATE);
    pin_schema::<Assessment>("dimensions-assessment.json", UPDATE);
    pin_schema::<Comparison>("dimensions-comparison.json", UPDATE);
}

#[test]
fn settings_default_in_json() {
    let s: Settings = serde_json::from_str(r#"{"today": "2026-03-02"}"#).unwrap();
    assert_eq!(
        s,
        Settings::new(itsm_dimensions::chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap())
    );
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"today":"2026-03-02","notice":"P90D","penalties":{"low":2,"medium":5,"high":15,"critical":40},"weights":{"organizations_and_people":1,"information_and_technology":1,"partners_and_suppliers":1,"value_streams_and_processes":1},"severities":{}}"#
    );
    let s: Settings =
        serde_json::from_str(r#"{"today": "2026-03-02", "severities": {"no_owner": "low"}}"#)
            .unwrap();
    assert_eq!(
        s.severity(itsm_dimensions::RuleId::NoOwner),
        itsm_dimensions::Severity::Low
    );
}
