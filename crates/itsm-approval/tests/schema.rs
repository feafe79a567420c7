//! The JSON formats, pinned.
//!
//! The JSON Schemas of commands, events, policies and states are generated with schemars
//! (draft 2020-12) and compared with the committed copies in `docs/schema/`, so any change to
//! a wire format shows up as a diff in review. After an intended change, regenerate them with
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-approval --all-features --test schema
//! ```
//!
//! and commit them. The tests below check that JSON written by the crate reads back as the
//! same value, whatever the position of the tag, and what the formats look like.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{
    ANA, BEN, CAB, CAT, DAN, EVE, IMPLEMENTER, approve, by, given, open, reject, request,
};
use itsm_approval::{Command, Event, Policy, State};
use serde_json::{Value, json};

/// The pinned schemas (they need the `schemars` feature; the round trips below only `serde`).
#[cfg(feature = "schemars")]
mod pinned {
    use itsm_approval::{Command, Event, Policy, State};
    use itsm_testkit::pin_schema;

    const UPDATE: &str =
        "UPDATE_SCHEMAS=1 cargo test -p itsm-approval --all-features --test schema";

    #[test]
    fn command_schema_is_pinned() {
        pin_schema::<Command>("approval-command.json", UPDATE);
    }

    #[test]
    fn event_schema_is_pinned() {
        pin_schema::<Event>("approval-event.json", UPDATE);
    }

    #[test]
    fn policy_schema_is_pinned() {
        pin_schema::<Policy>("approval-policy.json", UPDATE);
    }

    #[test]
    fn state_schema_is_pinned() {
        pin_schema::<State>("approval-state.json", UPDATE);
    }

    #[test]
    fn schemas_are_draft_2020_12_and_name_their_tags() {
        let command: serde_json::Value =
            serde_json::from_str(&itsm_testkit::schema_text::<Command>()).unwrap();
        assert_eq!(
            command["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let text = itsm_testkit::schema_text::<Command>();
        for tag in ["request", "approve", "reject", "delegate", "cancel"] {
            assert!(text.contains(&format!("\"const\": \"{tag}\"")), "{tag}");
        }
        let text = itsm_testkit::schema_text::<Event>();
        for tag in [
            "requested",
            "approved",
            "rejected",
            "delegated",
            "stage_decided",
            "canceled",
        ] {
            assert!(text.contains(&format!("\"const\": \"{tag}\"")), "{tag}");
        }
    }
}

/// A full story: a request with an exclusion, a delegation, answers, a refusal.
fn story() -> (State, Vec<Event>) {
    let members: &[itsm_approval::UserId] = &[ANA, BEN, CAT, DAN, IMPLEMENTER];
    given(
        &Policy::cab(CAB),
        &[
            open(request(&[(CAB, members)])),
            by(ANA, approve()),
            by(BEN, Command::Delegate { to: EVE }),
            by(CAT, reject("no backout plan")),
            by(DAN, reject("in the freeze")),
        ],
    )
}

#[test]
fn events_states_and_commands_round_trip() {
    let (state, log) = story();
    assert_eq!(state.kind(), itsm_approval::StatusKind::Refused);
    for event in &log {
        let json = serde_json::to_string(event).unwrap();
        assert_eq!(
            &serde_json::from_str::<Event>(&json).unwrap(),
            event,
            "{json}"
        );
    }
    let json = serde_json::to_string(&state).unwrap();
    assert_eq!(serde_json::from_str::<State>(&json).unwrap(), state);
    let log_json = serde_json::to_string(&log).unwrap();
    let replayed = serde_json::from_str::<Vec<Event>>(&log_json)
        .unwrap()
        .iter()
        .fold(State::new(), itsm_approval::evolve);
    assert_eq!(replayed, state);
    for command in [
        approve(),
        Command::Approve {
            comment: Some("ok".into()),
        },
        reject("no"),
        Command::Delegate { to: ANA },
        Command::Cancel {
            reason: "dup".into(),
        },
        request(&[(CAB, &[ANA, BEN])]).into(),
    ] {
        let json = serde_json::to_string(&command).unwrap();
        assert_eq!(
            serde_json::from_str::<Command>(&json).unwrap(),
            command,
            "{json}"
        );
    }
}

/// Moves the tag of a JSON object to its end, where serde's derived decoder (the slow path)
/// reads it.
fn tag_last(value: &Value, tag: &str) -> String {
    let object = value.as_object().unwrap();
    let mut text = String::from("{");
    for (key, field) in object.iter().filter(|(k, _)| *k != tag) {
        text.push_str(&format!("{}:{},", json!(key), field));
    }
    text.push_str(&format!("{}:{}}}", json!(tag), object[tag]));
    text
}

#[test]
fn the_tag_may_come_anywhere() {
    let (_, log) = story();
    for event in &log {
        let value = serde_json::to_value(event).unwrap();
        let last = tag_last(&value, "type");
        assert_eq!(
            &serde_json::from_str::<Event>(&last).unwrap(),
            event,
            "{last}"
        );
    }
    let command: Command = request(&[(CAB, &[ANA])]).into();
    let last = tag_last(&serde_json::to_value(&command).unwrap(), "command");
    assert_eq!(serde_json::from_str::<Command>(&last).unwrap(), command);
}

#[test]
fn the_formats_read_as_documented() {
    let command: Command = serde_json::from_str(
        r#"{"command": "request", "id": "00000000-0000-0000-0000-00000000000a",
            "requester": "00000000-0000-0000-0000-000000000001",
            "implementer": "00000000-0000-0000-0000-000000000002",
            "members": {"00000000-0000-0000-0000-000000000007": ["00000000-0000-0000-0000-000000000003"]}}"#,
    )
    .unwrap();
    let Command::Request(request) = &command else {
        panic!()
    };
    assert_eq!(request.members.len(), 1);
    assert_eq!(
        serde_json::from_str::<Command>(r#"{"command": "approve"}"#).unwrap(),
        approve()
    );
    assert_eq!(
        serde_json::to_value(reject("risk")).unwrap(),
        json!({"command": "reject", "reason": "risk"})
    );
    let (_, log) = story();
    let decided = serde_json::to_value(log.last().unwrap()).unwrap();
    assert_eq!(decided["type"], "stage_decided");
    assert_eq!(decided["explanation"]["outcome"], "refused");
    assert_eq!(decided["explanation"]["decided_by"], "quorum_impossible");
    assert_eq!(decided["explanation"]["quorum"], "majority");
    assert_eq!(
        decided["explanation"]["excluded"][0]["party"],
        "implementer"
    );
    let requested = serde_json::to_value(&log[0]).unwrap();
    assert_eq!(
        requested["plan"]["stages"][0]["seats"][0],
        json!({"holder": {"person": ANA.to_string()}, "via": {"group": CAB.to_string()}})
    );
    let policy = serde_json::to_value(Policy::ecab(CAB)).unwrap();
    assert_eq!(
        policy,
        json!({"name": "ecab", "delegation": "once", "stages": [{
            "name": "ecab", "approvers": [{"group": CAB.to_string()}], "quorum": "any",
            "refusal": "first_rejection", "separation_of_duties": ["requester", "implementer"],
            "required_role": null
        }]})
    );
}

#[test]
fn a_stored_state_decides_like_the_original() {
    let policy = Policy::cab(CAB);
    let members: &[itsm_approval::UserId] = &[ANA, BEN, CAT];
    let (state, _) = given(
        &policy,
        &[open(request(&[(CAB, members)])), by(ANA, approve())],
    );
    let stored: State = serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
    let ben = common::actor(BEN, &[]);
    let ctx = itsm_approval::Context::new(common::t(5), &ben, &policy);
    assert_eq!(
        itsm_approval::decide(&stored, &approve(), &ctx),
        itsm_approval::decide(&state, &approve(), &ctx)
    );
}

/// `Event::name` is the event's JSON tag, for every kind of event.
#[test]
fn event_names_are_their_json_tags() {
    let (state, mut log) = story();
    let pending = given(&Policy::cab(CAB), &[open(request(&[(CAB, &[ANA, BEN])]))]);
    let cancel = Command::Cancel {
        reason: "withdrawn".into(),
    };
    let canceled = itsm_approval::decide(
        &pending.0,
        &cancel,
        &itsm_approval::Context::new(common::t(5), &common::actor(ANA, &[]), &Policy::cab(CAB)),
    )
    .unwrap();
    log.extend(canceled);
    let mut names: Vec<&str> = log.iter().map(Event::name).collect();
    for event in &log {
        assert_eq!(serde_json::to_value(event).unwrap()["type"], event.name());
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names,
        [
            "approved",
            "canceled",
            "delegated",
            "rejected",
            "requested",
            "stage_decided"
        ],
        "every kind of event is checked"
    );
    assert_eq!(state.kind(), itsm_approval::StatusKind::Refused);
}

/// A pending approval whose open stage is not in its plan can only be a state made by hand
/// (decoded from JSON): it answers nothing but can still be canceled.
#[test]
fn a_hand_made_state_past_its_plan_can_only_be_canceled() {
    let policy = Policy::cab(CAB);
    let (state, _) = given(&policy, &[open(request(&[(CAB, &[ANA, BEN])]))]);
    let mut json = serde_json::to_value(&state).unwrap();
    let text = json.to_string();
    assert!(text.contains(r#""status":"pending""#), "{text}");
    // The open stage moved past the plan's only stage.
    fn past_the_plan(v: &mut Value) -> bool {
        match v {
            Value::Object(map) if map.get("status") == Some(&json!("pending")) => {
                map.insert("stage".into(), json!(7));
                true
            }
            Value::Object(map) => map.values_mut().any(past_the_plan),
            Value::Array(items) => items.iter_mut().any(past_the_plan),
            _ => false,
        }
    }
    assert!(past_the_plan(&mut json));
    let broken: State = serde_json::from_value(json).unwrap();
    let ana = common::actor(ANA, &[]);
    let ctx = itsm_approval::Context::new(common::t(5), &ana, &policy);
    let err = itsm_approval::decide(&broken, &approve(), &ctx).unwrap_err();
    assert_eq!(
        err,
        itsm_approval::Error::NotAllowed {
            state: itsm_approval::StatusKind::Pending,
            command: itsm_approval::CommandKind::Approve,
            allowed: vec![itsm_approval::CommandKind::Cancel],
        }
    );
    let cancel = Command::Cancel {
        reason: "stuck".into(),
    };
    let events = itsm_approval::decide(&broken, &cancel, &ctx).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].name(), "canceled");
    let after = events.iter().fold(broken, itsm_approval::evolve);
    assert_eq!(after.kind(), itsm_approval::StatusKind::Canceled);
}

/// A hand-made state and event whose stage number is the largest there is: `evolve` stays
/// total (no overflow in debug builds, no wrap to the first stage in release builds) and the
/// explanation still prints. (The next stage was `stage + 1`.)
#[test]
fn a_stage_number_at_the_end_of_the_range_neither_overflows_nor_wraps() {
    let policy = Policy::cab(CAB);
    let (_, log) = given(
        &policy,
        &[
            open(request(&[(CAB, &[ANA, BEN])])),
            by(ANA, approve()),
            by(BEN, approve()),
        ],
    );
    let decided = log
        .iter()
        .find(|e| e.name() == "stage_decided")
        .expect("the CAB decided")
        .clone();
    let (opened, _) = given(&policy, &[open(request(&[(CAB, &[ANA, BEN])]))]);
    fn set_stage(v: &mut Value, status: bool) -> bool {
        match v {
            Value::Object(map)
                if (status && map.get("status") == Some(&json!("pending")))
                    || (!status && map.contains_key("outcome") && map.contains_key("stage")) =>
            {
                map.insert("stage".into(), json!(u64::MAX));
                true
            }
            Value::Object(map) => map.values_mut().any(|x| set_stage(x, status)),
            Value::Array(items) => items.iter_mut().any(|x| set_stage(x, status)),
            _ => false,
        }
    }
    let mut state = serde_json::to_value(&opened).unwrap();
    assert!(set_stage(&mut state, true));
    let mut event = serde_json::to_value(&decided).unwrap();
    assert!(set_stage(&mut event, false), "{event}");
    let state: State = serde_json::from_value(state).unwrap();
    let event: Event = serde_json::from_value(event).unwrap();
    let after = itsm_approval::evolve(state, &event);
    assert_eq!(after.kind(), itsm_approval::StatusKind::Approved);
    let Event::StageDecided { explanation, .. } = &event else {
        panic!("{event:?}")
    };
    assert!(
        explanation
            .to_string()
            .starts_with("stage 18446744073709551615 "),
        "{explanation}"
    );
}
