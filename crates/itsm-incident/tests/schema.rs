//! The JSON formats, pinned.
//!
//! The JSON Schemas of commands, events, policies, states and priority matrices are generated
//! with schemars (draft 2020-12) and compared with the committed copies in `docs/schema/`, so
//! any change to a wire format shows up as a diff in review. After an intended change,
//! regenerate the files with
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-incident --all-features --test schema
//! ```
//!
//! and commit them. The round-trip tests below check that JSON written by the crate reads back
//! as the same value, and that a policy file is checked when it is loaded.
#![cfg(feature = "serde")]
// Test code: a failed unwrap is a failed test, with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::{DateTime, TimeZone, Utc};
use itsm_core::{Actor, Role, UserId};
use itsm_core::{ConfigItemId, GroupId, ServiceId};
use itsm_core::{Impact, PriorityMatrix, Urgency};
use itsm_incident::{
    ChangeId, Channel, EscalationKind, HoldReason, IncidentId, Link, ProblemId, Report, StatusKind,
};
use itsm_incident::{Command, Context, Event, Policy, State, decide, evolve};

/// The pinned schemas (they need the `schemars` feature; the round trips below only `serde`).
#[cfg(feature = "schemars")]
mod pinned {
    use itsm_core::PriorityMatrix;
    use itsm_incident::{Command, Event, Policy, State};
    use itsm_testkit::pin_schema;

    /// How to regenerate the committed schemas.
    const UPDATE: &str =
        "UPDATE_SCHEMAS=1 cargo test -p itsm-incident --all-features --test schema";

    fn pin<T: schemars::JsonSchema>(file: &str) {
        pin_schema::<T>(file, UPDATE);
    }

    #[test]
    fn command_schema_is_pinned() {
        pin::<Command>("incident-command.json");
    }

    #[test]
    fn event_schema_is_pinned() {
        pin::<Event>("incident-event.json");
    }

    #[test]
    fn policy_schema_is_pinned() {
        pin::<Policy>("incident-policy.json");
    }

    #[test]
    fn state_schema_is_pinned() {
        pin::<State>("incident-state.json");
    }

    #[test]
    fn priority_matrix_schema_is_pinned() {
        pin::<PriorityMatrix>("priority-matrix.json");
    }

    #[test]
    fn schemas_are_draft_2020_12_and_name_their_tags() {
        let command: serde_json::Value =
            serde_json::from_str(&itsm_testkit::schema_text::<Command>()).unwrap();
        assert_eq!(
            command["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        // The stable tags are part of the format: `command` on commands, `type` on events.
        let command_text = itsm_testkit::schema_text::<Command>();
        assert!(command_text.contains("\"command\""));
        assert!(command_text.contains("\"start_work\""));
        let event_text = itsm_testkit::schema_text::<Event>();
        assert!(event_text.contains("\"type\""));
        assert!(event_text.contains("\"work_started\""));
        // The matrix's schema is its spec's: a policy file holds the spec, checked on load.
        let matrix: serde_json::Value =
            serde_json::from_str(&itsm_testkit::schema_text::<PriorityMatrix>()).unwrap();
        assert_eq!(matrix["title"], "PriorityMatrix");
        assert!(matrix["properties"]["rule"].is_object());
    }
}

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

fn round_trip<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let json = serde_json::to_string(value).unwrap();
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e} while reading back {json}"))
}

#[test]
fn the_servicenow_policy_round_trips() {
    let policy = Policy::servicenow();
    assert_eq!(round_trip(&policy), policy);
    let pretty = serde_json::to_string_pretty(&policy).unwrap();
    assert_eq!(serde_json::from_str::<Policy>(&pretty).unwrap(), policy);
}

#[test]
fn a_policy_with_another_matrix_round_trips() {
    for matrix in [
        PriorityMatrix::itop(),
        PriorityMatrix::glpi(),
        PriorityMatrix::floor_average(),
    ] {
        let policy = {
            let mut policy = Policy::servicenow();
            policy.matrix = matrix;
            policy.reopen_window = Some(chrono::Duration::days(10));
            policy
        };
        assert_eq!(round_trip(&policy), policy);
    }
}

fn report(id: u128) -> Report {
    Report {
        id: IncidentId::from_u128(id),
        caller: UserId::from_u128(9),
        channel: Channel::Other("pager".into()),
        category: Some("network".into()),
        configuration_item: Some(ConfigItemId::from_u128(5)),
        service: Some(ServiceId::from_u128(6)),
        impact: Impact(1),
        urgency: Urgency(2),
        description: "Core switch down".into(),
    }
}

fn sample_commands() -> Vec<Command> {
    vec![
        Command::Report(Box::new(report(1))),
        Command::Assign {
            group: GroupId::from_u128(20),
            person: Some(UserId::from_u128(21)),
        },
        Command::Assign {
            group: GroupId::from_u128(22),
            person: None,
        },
        Command::StartWork,
        Command::PutOnHold {
            reason: HoldReason::AwaitingCaller,
            comment: Some("asked for the serial number".into()),
        },
        Command::PutOnHold {
            reason: HoldReason::Custom("awaiting_parts".into()),
            comment: None,
        },
        Command::CallerResponded { comment: None },
        Command::Resume,
        Command::Reprioritize {
            impact: Impact(2),
            urgency: Urgency(3),
        },
        Command::Escalate {
            kind: EscalationKind::Hierarchical,
            level: 2,
        },
        Command::DeclareMajor {
            reason: "all stores offline".into(),
        },
        Command::StandDownMajor {
            reason: "contained".into(),
        },
        Command::Link {
            link: Link::Problem(ProblemId::from_u128(30)),
        },
        Command::Link {
            link: Link::Change(ChangeId::from_u128(31)),
        },
        Command::Link {
            link: Link::Parent(IncidentId::from_u128(32)),
        },
        Command::Link {
            link: Link::Child(IncidentId::from_u128(33)),
        },
        Command::Resolve {
            code: "solved".into(),
            notes: "replaced the switch".into(),
        },
        Command::Reopen {
            reason: "down again".into(),
        },
        Command::Close { resolution: None },
        Command::Cancel {
            reason: "duplicate".into(),
        },
        Command::Tick,
    ]
}

#[test]
fn commands_round_trip_with_their_tag() {
    for command in sample_commands() {
        assert_eq!(round_trip(&command), command);
        let value = serde_json::to_value(&command).unwrap();
        assert_eq!(value["command"], command.kind().name(), "{value}");
    }
}

#[test]
fn events_and_states_from_a_real_run_round_trip() {
    let policy = Policy::servicenow();
    let agent = Actor::new(
        UserId::from_u128(2),
        [
            Role::new("agent").unwrap(),
            Role::new("major_incident_manager").unwrap(),
        ],
    );
    let script = [
        Command::Report(Box::new(report(1))),
        Command::Assign {
            group: GroupId::from_u128(20),
            person: None,
        },
        Command::Assign {
            group: GroupId::from_u128(22),
            person: Some(UserId::from_u128(21)),
        },
        Command::StartWork,
        Command::PutOnHold {
            reason: HoldReason::AwaitingCaller,
            comment: Some("which floor?".into()),
        },
        Command::CallerResponded {
            comment: Some("third".into()),
        },
        Command::PutOnHold {
            reason: HoldReason::AwaitingVendor,
            comment: None,
        },
        Command::Resume,
        Command::Reprioritize {
            impact: Impact(3),
            urgency: Urgency(3),
        },
        Command::Escalate {
            kind: EscalationKind::Functional,
            level: 1,
        },
        Command::DeclareMajor {
            reason: "spreading".into(),
        },
        Command::StandDownMajor {
            reason: "contained".into(),
        },
        Command::Link {
            link: Link::Child(IncidentId::from_u128(7)),
        },
        Command::Resolve {
            code: "solved".into(),
            notes: "rebooted".into(),
        },
        Command::Reopen {
            reason: "again".into(),
        },
        Command::Resolve {
            code: "solved".into(),
            notes: "replaced".into(),
        },
        Command::Tick,
    ];
    let mut state = State::new();
    let mut log = Vec::new();
    for (hour, command) in (0u32..).zip(script.iter()) {
        // The last tick comes after the auto-close deadline.
        let now = if matches!(command, Command::Tick) {
            t(20, 0)
        } else {
            t(2, hour)
        };
        let ctx = Context::new(now, &agent, &policy);
        let events = decide(&state, command, &ctx).unwrap_or_else(|e| panic!("{command:?}: {e}"));
        assert_eq!(events.len(), 1, "{command:?} changes something");
        for event in &events {
            assert_eq!(round_trip(event), *event);
            let value = serde_json::to_value(event).unwrap();
            assert_eq!(value["type"], event.name(), "{value}");
            state = evolve(state, event);
            assert_eq!(round_trip(&state), state);
        }
        log.extend(events);
    }
    assert_eq!(state.kind(), StatusKind::Closed);
    // A stored log, read back, replays to the same state.
    let stored = serde_json::to_string(&log).unwrap();
    let read: Vec<Event> = serde_json::from_str(&stored).unwrap();
    assert_eq!(read.iter().fold(State::new(), evolve), state);
}

#[test]
fn hold_reasons_are_plain_strings() {
    let json = serde_json::to_string(&HoldReason::AwaitingCaller).unwrap();
    assert_eq!(json, "\"awaiting_caller\"");
    let custom: HoldReason = serde_json::from_str("\"awaiting_parts\"").unwrap();
    assert_eq!(custom, HoldReason::Custom("awaiting_parts".into()));
}

#[test]
fn resolutions_are_flat_in_json_and_old_closed_records_still_load() {
    use itsm_incident::{Resolution, Status};
    use std::sync::Arc;
    let resolution = Arc::new(Resolution {
        code: "solved".into(),
        notes: "rebooted".into(),
    });
    let event = Event::Resolved {
        at: t(2, 9),
        by: UserId::from_u128(7),
        resolution: Arc::clone(&resolution),
    };
    assert_eq!(
        serde_json::to_string(&event).unwrap(),
        r#"{"type":"resolved","at":"2026-03-02T09:00:00Z","by":"00000000-0000-0000-0000-000000000007","code":"solved","notes":"rebooted"}"#
    );
    let closed = Status::Closed {
        resolution,
        at: t(3, 9),
        auto: true,
    };
    assert_eq!(
        serde_json::to_string(&closed).unwrap(),
        r#"{"status":"closed","code":"solved","notes":"rebooted","at":"2026-03-03T09:00:00Z","auto":true}"#
    );
    // A closed status written before closed incidents kept their notes.
    let old: Status = serde_json::from_str(
        r#"{"status":"closed","code":"solved","at":"2026-03-03T09:00:00Z","auto":false}"#,
    )
    .unwrap();
    assert_eq!(
        old,
        Status::Closed {
            resolution: Arc::new(Resolution {
                code: "solved".into(),
                notes: String::new(),
            }),
            at: t(3, 9),
            auto: false,
        }
    );
}

fn policy_json_with_matrix(matrix: serde_json::Value) -> String {
    let mut policy = serde_json::to_value(Policy::servicenow()).unwrap();
    policy["matrix"] = matrix;
    serde_json::to_string_pretty(&policy).unwrap()
}

#[test]
fn an_incomplete_matrix_in_a_policy_is_rejected_on_load() {
    let mut matrix = serde_json::to_value(PriorityMatrix::servicenow()).unwrap();
    let cells = matrix["rule"]["cells"].as_array_mut().unwrap();
    let dropped = cells.pop().unwrap();
    assert_eq!(
        (dropped["impact"].as_u64(), dropped["urgency"].as_u64()),
        (Some(3), Some(3))
    );
    let err = serde_json::from_str::<Policy>(&policy_json_with_matrix(matrix)).unwrap_err();
    let expected = itsm_core::Error::MissingCell {
        impact: 3,
        urgency: 3,
    }
    .to_string();
    assert!(
        err.to_string().starts_with(&expected),
        "got `{err}`, expected it to start with `{expected}`"
    );
}

#[test]
fn a_non_monotone_matrix_in_a_policy_is_rejected_on_load() {
    // Impact 1 / urgency 1 is the most severe pair; giving it priority 5 (Planning) makes it
    // less severe than its neighbour impact 1 / urgency 2 (priority 2).
    let mut matrix = serde_json::to_value(PriorityMatrix::servicenow()).unwrap();
    let cells = matrix["rule"]["cells"].as_array_mut().unwrap();
    let first = cells.first_mut().unwrap();
    assert_eq!(
        (first["impact"].as_u64(), first["urgency"].as_u64()),
        (Some(1), Some(1))
    );
    first["priority"] = 5.into();
    let err = serde_json::from_str::<Policy>(&policy_json_with_matrix(matrix)).unwrap_err();
    let expected = itsm_core::Error::NotMonotone {
        axis: itsm_core::Axis::Urgency,
        impact: 1,
        urgency: 2,
        priority: 2,
        more_severe: 1,
        worse_priority: 5,
    }
    .to_string();
    assert!(
        err.to_string().starts_with(&expected),
        "got `{err}`, expected it to start with `{expected}`"
    );
}

#[test]
fn unknown_policy_fields_are_rejected_on_load() {
    let mut policy = serde_json::to_value(Policy::servicenow()).unwrap();
    policy["auto_close_hours"] = 5.into();
    let err = serde_json::from_value::<Policy>(policy).unwrap_err();
    assert!(err.to_string().contains("auto_close_hours"), "got `{err}`");
}

#[test]
fn an_empty_role_in_a_policy_is_rejected_on_load() {
    let mut policy = serde_json::to_value(Policy::servicenow()).unwrap();
    policy["support_roles"] = serde_json::json!(["agent", ""]);
    let err = serde_json::from_value::<Policy>(policy).unwrap_err();
    assert!(
        err.to_string()
            .contains(&itsm_core::Error::EmptyRole.to_string()),
        "got `{err}`"
    );
}
