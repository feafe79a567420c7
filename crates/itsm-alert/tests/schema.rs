//! The JSON formats, pinned in `docs/schema/`, and the presets read back as themselves.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-alert --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_alert::{Command, Event, Policy, Severity, Signal};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_alert::State;
    use itsm_testkit::pin_schema;
    const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-alert --all-features --test schema";
    pin_schema::<Signal>("alert-signal.json", UPDATE);
    pin_schema::<Command>("alert-command.json", UPDATE);
    pin_schema::<Event>("alert-event.json", UPDATE);
    pin_schema::<Policy>("alert-policy.json", UPDATE);
    pin_schema::<State>("alert-state.json", UPDATE);
}

#[test]
fn presets_round_trip() {
    for policy in [Policy::servicenow(), Policy::alerta()] {
        let text = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&text).unwrap(), policy);
    }
}

#[test]
fn a_signal_reads_from_a_monitoring_tool_s_json() {
    let signal: Signal = serde_json::from_value(json!({
        "source": "SCOM", "node": "db-1", "kind": "Disk", "resource": "C:",
        "metric": "free_mb", "severity": "critical", "description": "2% free"
    }))
    .unwrap();
    assert_eq!(signal.severity, Severity::Critical);
    assert_eq!(signal.message_key().as_str(), "SCOM|Disk|db-1|C:|free_mb");
    let command: Command = serde_json::from_value(json!({
        "command": "ingest",
        "signal": { "source": "SCOM", "severity": "clear" },
        "new_alert": "00000000-0000-0000-0000-000000000001"
    }))
    .unwrap();
    assert_eq!(command.name(), "ingest");
    // Unknown fields and severities are refused, naming what is allowed.
    let e = serde_json::from_value::<Signal>(json!({"source": "x", "severity": "fatal"}))
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown variant `fatal`"), "{e}");
    assert!(
        serde_json::from_value::<Signal>(json!({"source": "x", "severity": "info", "colour": 1}))
            .is_err()
    );
}
