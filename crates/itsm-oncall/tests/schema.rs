//! The JSON formats, pinned in `docs/schema/`, and the formats as users write them.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-oncall --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{Duration, TimeZone, Utc};
use itsm_oncall::{
    Acknowledgers, Combine, Command, Event, Nobody, Policy, Schedule, ScheduleSpec, State, Target,
    Turn, UserId,
};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_testkit::pin_schema;
    const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-oncall --all-features --test schema";
    pin_schema::<ScheduleSpec>("oncall-schedule.json", UPDATE);
    pin_schema::<Policy>("oncall-policy.json", UPDATE);
    pin_schema::<Command>("oncall-command.json", UPDATE);
    pin_schema::<Event>("oncall-event.json", UPDATE);
    pin_schema::<State>("oncall-state.json", UPDATE);
    pin_schema::<itsm_oncall::Shift>("oncall-shift.json", UPDATE);
    pin_schema::<itsm_oncall::ProfileSpec>("oncall-profile.json", UPDATE);
}

const ANN: &str = "00000000-0000-0000-0000-000000000001";
const BOB: &str = "00000000-0000-0000-0000-000000000002";

/// A schedule and a policy as a user writes them, optional fields left out.
#[test]
fn hand_written_inputs_read_and_answer() {
    let spec: ScheduleSpec = serde_json::from_value(json!({
        "name": "ops",
        "zone": "Europe/Berlin",
        "layers": [
            {"name": "primary", "members": [ANN, BOB],
             "rotation": {"handover": "2027-01-04T09:00:00", "turn": {"weeks": 1}}},
            {"name": "nights", "members": [BOB],
             "rotation": {"handover": "2027-01-04T19:00:00", "turn": {"days": 1}},
             "restriction": {"week": {"weekdays": ["19:00-07:00"]}, "holidays": ["--12-25"]}}
        ],
        "time_off": [{"member": ANN, "from": "2027-01-05T00:00:00Z", "to": "2027-01-06T00:00:00+01:00"}],
        "overrides": [{"user": ANN, "from": "2027-02-01T00:00:00Z", "to": "2027-02-02T00:00:00Z", "layer": "nights"}]
    }))
    .unwrap();
    assert_eq!(spec.combine, Combine::LastLayer);
    assert_eq!(spec.layers[0].rotation.turn, Turn::Weeks(1));
    assert_eq!(
        spec.time_off[0].to,
        Utc.with_ymd_and_hms(2027, 1, 5, 23, 0, 0).unwrap()
    );
    let s = Schedule::new(&spec).unwrap();
    let tuesday_noon = Utc.with_ymd_and_hms(2027, 1, 5, 11, 0, 0).unwrap();
    assert!(
        s.on_call(tuesday_noon).unwrap().is_empty(),
        "Ann away, uncovered"
    );
    let back = serde_json::to_value(&spec).unwrap();
    assert_eq!(serde_json::from_value::<ScheduleSpec>(back).unwrap(), spec);

    let policy: Policy = serde_json::from_value(json!({
        "name": "ops",
        "steps": [
            {"targets": [{"schedule": "ops"}], "reminders": 2, "between_reminders": "PT10M", "wait": "PT10M"},
            {"targets": [{"roster": {"schedule": "ops", "layer": "primary", "next": 1}}, {"user": BOB}], "wait": "PT30M"}
        ],
        "repeat": 2,
        "ack_timeout": "PT4H"
    }))
    .unwrap();
    assert_eq!(policy.nobody, Nobody::Skip);
    assert_eq!(policy.acknowledgers, Acknowledgers::Anyone);
    assert_eq!(policy.ack_timeout, Some(Duration::hours(4)));
    assert_eq!(policy.steps[1].between_reminders, Duration::zero());
    assert!(
        matches!(policy.steps[1].targets[1], Target::User(u) if u == BOB.parse::<UserId>().unwrap())
    );
    let schedules: itsm_oncall::Schedules = [s].into_iter().collect();
    policy.check(&schedules).unwrap();

    // Commands and events as a host stores them.
    let c: Command = serde_json::from_value(json!({"command": "escalate", "step": 1})).unwrap();
    assert_eq!(c, Command::Escalate { step: 1 });
    let e = Event::Acknowledged {
        by: ANN.parse().unwrap(),
        at: tuesday_noon,
        until: None,
    };
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["type"], "acknowledged");
    assert_eq!(serde_json::from_value::<Event>(v).unwrap(), e);
    let state = State::new();
    let v = serde_json::to_value(&state).unwrap();
    assert_eq!(serde_json::from_value::<State>(v).unwrap(), state);
}

/// A contact profile as a user writes it, and an escalation's state holding its plan.
#[test]
fn hand_written_profiles_read_and_plan() {
    use itsm_oncall::{Channel, ProfileSpec, Profiles, Urgency};
    let spec: ProfileSpec = serde_json::from_value(json!({
        "user": ANN,
        "zone": "+01:00",
        "methods": [
            {"name": "app", "channel": "push"},
            {"name": "mobile", "channel": "voice"},
            {"name": "old pager", "channel": "sms", "enabled": false}
        ],
        "rules": [
            {"name": "nights", "urgency": "high", "hours": {"week": {"daily": ["22:00-07:00"]}},
             "steps": [{"method": "mobile"}]},
            {"name": "default", "attempt": 1,
             "steps": [{"method": "app"}, {"after": "PT3M", "method": "mobile"}],
             "repeat": {"every": "PT10M", "times": 2}}
        ]
    }))
    .unwrap();
    assert!(spec.methods[0].enabled && !spec.methods[2].enabled);
    assert_eq!(spec.rules[0].urgency, Some(Urgency::High));
    assert_eq!(spec.rules[1].steps[0].after, Duration::zero());
    assert_eq!(spec.rules[1].steps[1].after, Duration::minutes(3));
    let back = serde_json::to_value(&spec).unwrap();
    assert_eq!(serde_json::from_value::<ProfileSpec>(back).unwrap(), spec);
    let profiles = Profiles::new(&[spec]).unwrap();

    let policy = Policy::new(
        "p",
        vec![itsm_oncall::Step::after(
            vec![Target::User(ANN.parse().unwrap())],
            Duration::minutes(30),
        )],
    );
    let schedules = itsm_oncall::Schedules::new();
    let system = itsm_oncall::Actor::new(UserId::from_u128(0), []);
    let noon = Utc.with_ymd_and_hms(2027, 1, 5, 12, 0, 0).unwrap();
    let ctx =
        itsm_oncall::Context::new(noon, &system, &policy, &schedules).with_contacts(&profiles);
    let events = itsm_oncall::decide(&State::new(), &Command::Trigger, &ctx).unwrap();
    let mut state = State::new();
    state.apply(&events);
    let planned = serde_json::to_value(&events[2]).unwrap();
    assert_eq!(planned["type"], "contacts_planned");
    assert_eq!(planned["contacts"].as_array().unwrap().len(), 6);
    assert_eq!(planned["contacts"][1]["channel"], "voice");
    assert_eq!(serde_json::from_value::<Event>(planned).unwrap(), events[2]);
    assert!(matches!(
        &events[3],
        Event::Contacted {
            channel: Channel::Push,
            ..
        }
    ));
    let v = serde_json::to_value(&state).unwrap();
    assert_eq!(v["sent"], 1);
    assert_eq!(serde_json::from_value::<State>(v).unwrap(), state);
    assert_eq!(state.pending_contacts().len(), 5);
    // A state stored before contact rules existed still reads.
    let mut old = serde_json::to_value(State::new()).unwrap();
    old.as_object_mut().unwrap().remove("sent");
    assert_eq!(serde_json::from_value::<State>(old).unwrap(), State::new());
}

#[test]
fn unknown_fields_are_refused() {
    let e =
        serde_json::from_value::<ScheduleSpec>(json!({"name": "x", "layers": [], "zones": "UTC"}))
            .unwrap_err();
    assert!(e.to_string().contains("unknown field `zones`"));
}
