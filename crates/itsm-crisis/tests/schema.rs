//! The JSON formats, pinned in `docs/schema/`, and the formats as users write them.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-crisis --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_crisis::chrono::Duration;
use itsm_crisis::{
    Classification, Command, CrisisSpec, Event, Kind, Order, Phase, Policy, RecoveryLevel, State,
    TaskRef,
};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_testkit::pin_schema;
    const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-crisis --all-features --test schema";
    pin_schema::<CrisisSpec>("crisis-spec.json", UPDATE);
    pin_schema::<Policy>("crisis-policy.json", UPDATE);
    pin_schema::<Command>("crisis-command.json", UPDATE);
    pin_schema::<Event>("crisis-event.json", UPDATE);
    pin_schema::<State>("crisis-state.json", UPDATE);
}

const BACKUP: &str = "00000000-0000-0000-0000-000000000005";

/// A spec and a policy as a user writes them, optional fields left out.
#[test]
fn hand_written_inputs_read() {
    let spec: CrisisSpec = serde_json::from_value(json!({
        "name": "data centre A flooded",
        "kind": "actual",
        "plans": [
            {"name": "failover", "related": ["comms"], "tasks": [
                {"id": 1, "name": "declare"},
                {"id": 2, "name": "switch DNS", "depends_on": [1], "classification": "automatic",
                 "backup": BACKUP, "assets": ["web-shop"], "level": "partially_recovered",
                 "phase": "recovery_validation", "exclude_from_time": true, "refers": "db"}
            ]},
            {"name": "comms"},
            {"name": "db", "depends_on": ["comms"], "tasks": []}
        ],
        "activate": ["failover"],
        "assets": [{"name": "web-shop", "rto": "PT2H"}, {"name": "payments"}]
    }))
    .unwrap();
    assert_eq!(spec.kind, Kind::Actual);
    let task = &spec.plans[0].tasks[1];
    assert_eq!(task.classification, Classification::Automatic);
    assert_eq!(task.phase, Phase::RecoveryValidation);
    assert_eq!(task.level, RecoveryLevel::PartiallyRecovered);
    assert_eq!(task.refers.as_deref(), Some("db"));
    assert_eq!(
        spec.plans[0].tasks[0].classification,
        Classification::Manual
    );
    assert!(spec.plans[1].tasks.is_empty());
    assert_eq!(spec.assets[0].rto, Some(Duration::hours(2)));
    assert_eq!(spec.assets[1].rto, None);
    let back = serde_json::to_value(&spec).unwrap();
    assert_eq!(serde_json::from_value::<CrisisSpec>(back).unwrap(), spec);

    let policy: Policy =
        serde_json::from_value(json!({"order": "task_id", "max_levels": 5})).unwrap();
    assert_eq!(policy.order, Order::TaskId);
    assert_eq!(policy.max_levels, 5);
    assert!(policy.approval_required, "left out: ServiceNow's default");
    policy.check().unwrap();
    assert!(
        serde_json::from_value::<Policy>(json!({"levels": 5})).is_err(),
        "unknown fields are refused"
    );

    let c: Command = serde_json::from_value(json!({
        "command": "close", "task": {"plan": 0, "task": 2}, "closing": "failed"
    }))
    .unwrap();
    assert!(matches!(c, Command::Close { task, ended: None, .. } if task == TaskRef::new(0, 2)));
    let c: Command = serde_json::from_value(
        json!({"command": "add_task", "plan": 1, "task": {"name": "call the insurer"}}),
    )
    .unwrap();
    assert_eq!(c.name(), "add_task");
}

/// An event's JSON as stored: the `type` tag and snake_case names.
#[test]
fn events_carry_a_type_tag() {
    let e: Event = serde_json::from_value(json!({
        "type": "task_closed", "task": {"plan": 0, "task": 1}, "status": "closed_skipped",
        "ended": null, "at": "2027-05-03T08:00:00Z", "by": null
    }))
    .unwrap();
    assert!(matches!(e, Event::TaskClosed { by: None, .. }));
    assert_eq!(serde_json::to_value(&e).unwrap()["type"], "task_closed");
}
