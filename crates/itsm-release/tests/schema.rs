//! The JSON formats, pinned in `docs/schema/`, and the formats as users write them.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-release --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::NaiveDate;
use itsm_release::{Command, Event, Holiday, Outcome, Plan, Policy, Process, State, TaskRef};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_testkit::pin_schema;
    const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-release --all-features --test schema";
    pin_schema::<Plan>("release-plan.json", UPDATE);
    pin_schema::<Policy>("release-policy.json", UPDATE);
    pin_schema::<Command>("release-command.json", UPDATE);
    pin_schema::<Event>("release-event.json", UPDATE);
    pin_schema::<State>("release-state.json", UPDATE);
}

const CAB: &str = "00000000-0000-0000-0000-000000000009";

/// A plan and a policy as a user writes them, optional fields left out.
#[test]
fn hand_written_inputs_read() {
    let plan: Plan = serde_json::from_value(json!({
        "name": "payments 4.2",
        "process": "timeline",
        "zone": "Europe/Berlin",
        "readiness": "2027-03-22",
        "holidays": ["2027-03-26", "--12-25"],
        "phases": [
            {"name": "build", "start": "2027-03-08", "end": "2027-03-12",
             "tasks": [{"name": "package", "due": "2027-03-10"}, {"name": "sign-off", "approver": CAB}],
             "checks": ["no_critical_vulnerabilities"]},
            {"name": "deploy", "start": "2027-03-15", "end": "2027-03-19"}
        ]
    }))
    .unwrap();
    assert_eq!(plan.process, Process::Timeline);
    assert_eq!(plan.holidays[1], Holiday::yearly(12, 25));
    assert_eq!(plan.phases[0].tasks[1].approver.unwrap().to_string(), CAB);
    assert!(plan.phases[1].tasks.is_empty());
    let back = serde_json::to_value(&plan).unwrap();
    assert_eq!(serde_json::from_value::<Plan>(back).unwrap(), plan);

    let policy: Policy = serde_json::from_value(json!({
        "sequential_tasks": false,
        "managers": ["release_manager"],
        "restart_tasks": "as_phase_start",
        "risk_weights": {"overdue": 70, "check_failure": 30}
    }))
    .unwrap();
    assert!(!policy.sequential_tasks);
    assert!(policy.auto_review, "left out: ServiceNow's default");
    assert_eq!(policy.task_notice_days, Some(2));
    policy.check().unwrap();

    let c: Command = serde_json::from_value(
        json!({"command": "close_task", "task": {"phase": 0, "task": 1}, "outcome": "skipped"}),
    )
    .unwrap();
    assert_eq!(
        c,
        Command::CloseTask {
            task: TaskRef::new(0, 1),
            outcome: Outcome::Skipped
        }
    );
    let e = Event::Retargeted {
        from: None,
        to: NaiveDate::from_ymd_opt(2027, 3, 29).unwrap(),
        days: 0,
        at: chrono::DateTime::UNIX_EPOCH,
        by: CAB.parse().unwrap(),
    };
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["type"], "retargeted");
    assert_eq!(serde_json::from_value::<Event>(v).unwrap(), e);
    let state = State::new();
    let v = serde_json::to_value(&state).unwrap();
    assert_eq!(serde_json::from_value::<State>(v).unwrap(), state);
}

#[test]
fn unknown_fields_are_refused() {
    let e = serde_json::from_value::<Plan>(
        json!({"name": "x", "process": "stage", "phases": [], "zones": "UTC"}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `zones`"));
    let e = serde_json::from_value::<Policy>(json!({"sequential": true})).unwrap_err();
    assert!(e.to_string().contains("unknown field `sequential`"));
}
