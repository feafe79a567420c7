//! The JSON formats, pinned in `docs/schema/`, and the snapshot format as users write it.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-licence --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_licence::{Error, LicenceType, Metric, Policy, Rights, Snapshot, reconcile};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_licence::Position;
    use itsm_testkit::pin_schema;
    const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-licence --all-features --test schema";
    pin_schema::<Snapshot>("licence-snapshot.json", UPDATE);
    pin_schema::<Policy>("licence-policy.json", UPDATE);
    pin_schema::<Position>("licence-position.json", UPDATE);
}

/// A snapshot as a user writes it: optional fields left out take their defaults.
#[test]
fn a_hand_written_snapshot_reads() {
    let s: Snapshot = serde_json::from_value(json!({
        "as_of": "2026-06-30",
        "devices": [{"id": "srv", "processors": 2, "cores_per_processor": 8}, {"id": "lap"}],
        "installs": [{"id": "i1", "model": "DB", "device": "srv"}, {"id": "i2", "model": "Viewer", "device": "lap", "user": "ana"}],
        "entitlements": [
            {"id": "E1", "model": "DB", "metric": {"kind": "per_core"}, "rights": {"count": 16}, "unit_cost": 1000},
            {"id": "E2", "model": "Viewer", "metric": {"kind": "per_user", "max_installs_per_right": 2},
             "rights": "unlimited", "licence_type": "subscription", "start": "2026-01-01", "end": "2026-12-31",
             "allocations": [{"to": "ana", "quantity": 1}]}
        ]
    }))
    .unwrap();
    assert_eq!(s.entitlements[0].metric, Metric::PER_CORE);
    assert_eq!(s.entitlements[1].rights, Rights::Unlimited);
    assert_eq!(s.entitlements[1].licence_type, LicenceType::Subscription);
    let p = reconcile(&s, &Policy::servicenow()).unwrap();
    assert!(p.is_compliant());
    assert!(p.install("i2").unwrap().allocated);
}

/// Unknown fields are refused, naming the field.
#[test]
fn unknown_fields_are_refused() {
    let e = serde_json::from_value::<Snapshot>(json!({"as_of": "2026-06-30", "entitlments": []}))
        .unwrap_err();
    assert!(e.to_string().contains("entitlments"), "{e}");
    let e = serde_json::from_value::<Policy>(json!({"downgrade_rights": true})).unwrap_err();
    assert!(e.to_string().contains("missing field"), "{e}");
}

/// ServiceNow's preset reads back as itself.
#[test]
fn the_preset_round_trips() {
    let json = serde_json::to_value(Policy::servicenow()).unwrap();
    assert_eq!(
        json,
        json!({"downgrade_rights": true, "enterprise_agreement_compliant": true, "default_metric": {"kind": "per_device", "max_installs_per_right": null}})
    );
    assert_eq!(
        serde_json::from_value::<Policy>(json).unwrap(),
        Policy::servicenow()
    );
}

/// Error messages quote ids capped and escaped, and say what is allowed.
#[test]
fn errors_quote_ids_capped() {
    let long = "x".repeat(10_000);
    let s: Snapshot = serde_json::from_value(json!({
        "as_of": "2026-06-30",
        "installs": [{"id": "i1", "model": "M", "device": format!("{long}\u{7}")}]
    }))
    .unwrap();
    let e = reconcile(&s, &Policy::servicenow()).unwrap_err();
    assert!(matches!(e, Error::UnknownDevice { .. }));
    let text = e.to_string();
    assert!(text.len() < 300, "{text}");
    assert!(
        text.contains("(10001 bytes)") && text.contains("add it or correct the id"),
        "{text}"
    );
}
