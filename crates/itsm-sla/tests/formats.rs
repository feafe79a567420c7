//! The JSON formats: definitions round trip and read with their defaults; events and clocks
//! from a real run round trip; the JSON Schema of a definition is pinned in
//! `docs/schema/sla-definition.json`. After an intended change to the format, regenerate it
//! with
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-sla --all-features --test formats
//! ```
//!
//! and commit the file.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // helpers outside #[test] functions

mod common;

use chrono::Duration;
use common::*;
use itsm_sla::{
    Clocks, Condition, CycleStart, Definition, EscalationRule, Event, PauseMode, RelativeTarget,
    ReopenMode, Selection, Target, ViewField, ZoneSource, evolve,
};

fn round_trip<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let json = serde_json::to_string(value).unwrap();
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e} while reading back {json}"))
}

/// Every optional part set, every condition kind used.
fn everything() -> Definition {
    {
        let mut d = Definition::new("vip-fix", Target::Custom("fix".into()), Duration::hours(2));
        d.agreement = itsm_sla::Agreement::UnderpinningContract;
        d.calendar = Some(OFFICE.into());
        d.start = Condition::All(vec![
            Condition::Any(vec![
                Condition::PriorityIn(vec![1, 2]),
                Condition::FieldIn {
                    field: "vip".into(),
                    values: vec!["yes".into()],
                },
            ]),
            Condition::Not(Box::new(Condition::StateIn(vec!["draft".into()]))),
            Condition::Always,
        ]);
        d.stop = Condition::CategoryIn(vec![Resolved, Closed]);
        d.pause = Condition::GroupIn(vec!["vendor".into()]);
        d.resume = Some(Condition::CategoryIn(vec![Open]));
        d.cancel = Some(Condition::Never);
        d.reset = Condition::FieldIn {
            field: "reset".into(),
            values: vec!["yes".into()],
        };
        d.pause_mode = PauseMode::Freeze;
        d.retroactive_start = Some("opened_at".into());
        d.thresholds = vec![50, 75];
        d.escalations = vec![EscalationRule::new("manager", Duration::seconds(-900))];
        d.reopen = ReopenMode::PauseWhileResolved;
        d.new_cycle_start = CycleStart::FromField;
        d.retroactive_pause = true;
        d.calendar_from = Some(ViewField::Field("schedule".into()));
        d.zone_source = ZoneSource::CallerLocation;
        d.zone = Some("+01:00".into());
        let mut relative = RelativeTarget::by(2, "10:00");
        relative.cutoff = Some("14:00".into());
        d.relative = Some(relative);
        d.cancel = Some(Condition::ChangesFrom {
            field: ViewField::Group,
            values: vec!["vendor".into()],
        });
        d
    }
}

/// The options of issue 21 in JSON: each left out when it has its default, so files and
/// stored definitions of before read and write unchanged.
#[test]
fn the_conformance_options_read_and_write_as_documented() {
    let d = everything();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["new_cycle_start"], "from_field");
    assert_eq!(json["retroactive_pause"], true);
    assert_eq!(
        json["calendar_from"],
        serde_json::json!({"field": "schedule"})
    );
    assert_eq!(json["zone_source"], "caller_location");
    assert_eq!(
        json["relative"],
        serde_json::json!({"business_days": 2, "by": "10:00", "cutoff": "14:00"})
    );
    assert_eq!(
        json["cancel"],
        serde_json::json!({"changes_from": {"field": "group", "values": ["vendor"]}})
    );
    let plain = serde_json::to_value(resolution("p1", 4, None)).unwrap();
    for key in [
        "new_cycle_start",
        "retroactive_pause",
        "calendar_from",
        "zone_source",
        "zone",
        "relative",
    ] {
        assert!(plain.get(key).is_none(), "{key} written at its default");
    }
    let field: ZoneSource = serde_json::from_str(r#"{"field": "tz"}"#).unwrap();
    assert_eq!(field, ZoneSource::Field("tz".into()));
}

#[test]
fn definitions_round_trip() {
    for d in [
        everything(),
        resolution("p1", 4, None),
        resolution("p3", 24, Some(OFFICE)),
    ] {
        assert_eq!(round_trip(&d), d);
        let pretty = serde_json::to_string_pretty(&d).unwrap();
        assert_eq!(serde_json::from_str::<Definition>(&pretty).unwrap(), d);
    }
    for s in [
        Selection::All,
        Selection::FirstMatch,
        Selection::ShortestTarget,
        Selection::ShortestTargetRecomputed,
    ] {
        assert_eq!(round_trip(&s), s);
    }
}

#[test]
fn a_definition_file_reads_with_its_defaults() {
    let file = r#"{
        "id": "p1-resolution",
        "kind": "resolution",
        "agreement": "sla",
        "target": "PT4H",
        "start": {"all": [{"priority_in": [1]}, {"not": {"category_in": ["canceled"]}}]},
        "stop": {"category_in": ["resolved", "closed"]},
        "pause_mode": "pause",
        "reopen": "new_cycle"
    }"#;
    let d: Definition = serde_json::from_str(file).unwrap();
    assert_eq!(d, {
        let mut d = Definition::new("p1-resolution", Target::Resolution, Duration::hours(4));
        d.agreement = itsm_sla::Agreement::Sla;
        d.calendar = None;
        d.start = Condition::All(vec![
            Condition::PriorityIn(vec![1]),
            Condition::Not(Box::new(Condition::CategoryIn(vec![Canceled]))),
        ]);
        d.stop = Condition::CategoryIn(vec![Resolved, Closed]);
        // JSON's defaults: never pause, never reset, resume when pause no longer
        // holds, cancel when start no longer holds, no retroactive start, no alarms
        // but the breach.
        d.pause = Condition::Never;
        d.resume = None;
        d.cancel = None;
        d.reset = Condition::Never;
        d.pause_mode = PauseMode::Pause;
        d.retroactive_start = None;
        d.thresholds = vec![];
        d.escalations = vec![];
        d.reopen = ReopenMode::NewCycle;
        d
    });
}

#[test]
fn durations_are_iso_8601_strings() {
    let mut d = resolution("p1", 4, Some(OFFICE));
    d.target = Duration::minutes(90);
    d.escalations = vec![EscalationRule::new("manager", -Duration::minutes(15))];
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["target"], "PT1H30M");
    assert_eq!(json["escalations"][0]["offset"], "-PT15M");
    // Pause and reopen totals in events and clocks, and measures, too.
    let r = run(
        &defs(vec![resolution("p1", 4, None)]),
        &[
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Pending)),
            (at(MON, 11, 30), view(Open)),
        ],
        None,
    );
    let resumed = serde_json::to_value(&r.events[2]).unwrap();
    assert_eq!(resumed["type"], "resumed");
    assert_eq!(resumed["paused_business"], "PT1H30M");
    assert_eq!(resumed["paused_actual"], "PT1H30M");
    let clocks = serde_json::to_value(&r.clocks).unwrap();
    assert_eq!(clocks["clocks"][0]["paused_business"], "PT1H30M");
    assert_eq!(clocks["clocks"][0]["kind"], "resolution");
    let m = itsm_sla::measure(
        &r.clocks.clocks()[0],
        at(MON, 12, 0),
        &defs(vec![resolution("p1", 4, None)]),
        &calendars(),
    )
    .unwrap();
    let json = serde_json::to_value(m).unwrap();
    assert_eq!(json["business_elapsed"], "PT1H30M");
    assert_eq!(json["time_left"], "PT2H30M");
    assert_eq!(
        serde_json::from_value::<itsm_sla::Measure>(json).unwrap(),
        m
    );
}

#[test]
fn a_duration_that_is_not_iso_8601_is_refused_naming_the_allowed_form() {
    let mut value = serde_json::to_value(resolution("p1", 4, None)).unwrap();
    value["target"] = serde_json::json!(14_400);
    let err = serde_json::from_value::<Definition>(value.clone())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected an ISO 8601 duration such as PT4H"),
        "{err}"
    );
    value["target"] = serde_json::json!("P1M");
    let err = serde_json::from_value::<Definition>(value)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("`P1M` is not a valid duration: months have no fixed length"),
        "{err}"
    );
}

#[test]
fn the_condition_format_is_plain() {
    let json = |c: &Condition| serde_json::to_string(c).unwrap();
    assert_eq!(json(&Condition::Always), r#""always""#);
    assert_eq!(
        json(&Condition::StateIn(vec!["new".into()])),
        r#"{"state_in":["new"]}"#
    );
    assert_eq!(
        json(&Condition::FieldIn {
            field: "vip".into(),
            values: vec!["yes".into()]
        }),
        r#"{"field_in":{"field":"vip","values":["yes"]}}"#
    );
    assert_eq!(
        json(&Condition::Not(Box::new(Condition::CategoryIn(vec![
            Pending
        ])))),
        r#"{"not":{"category_in":["pending"]}}"#
    );
    assert_eq!(
        serde_json::to_string(&Target::Custom("fix".into())).unwrap(),
        r#"{"custom":"fix"}"#
    );
}

#[test]
fn bad_definition_files_are_refused_naming_the_problem() {
    let mut value = serde_json::to_value(resolution("p1", 4, None)).unwrap();
    value["pause_condition"] = serde_json::json!("never");
    let err = serde_json::from_value::<Definition>(value).unwrap_err();
    assert!(err.to_string().contains("pause_condition"), "{err}");

    let mut value = serde_json::to_value(resolution("p1", 4, None)).unwrap();
    value.as_object_mut().unwrap().remove("pause_mode");
    let err = serde_json::from_value::<Definition>(value).unwrap_err();
    assert!(err.to_string().contains("pause_mode"), "{err}");

    let mut value = serde_json::to_value(resolution("p1", 4, None)).unwrap();
    value["start"] = serde_json::json!({"priority_is": [1]});
    let err = serde_json::from_value::<Definition>(value).unwrap_err();
    assert!(err.to_string().contains("priority_is"), "{err}");
}

#[test]
fn events_and_clocks_of_a_real_run_round_trip_with_their_tag() {
    let mut d = resolution("p1", 4, Some(OFFICE));
    d.thresholds = vec![50];
    d.escalations = vec![EscalationRule::new("manager", Duration::seconds(3600))];
    d.reopen = ReopenMode::Continue;
    let r = run(
        &defs(vec![d]),
        &[
            (at(MON, 9, 0), view(Open)),
            (at(MON, 10, 0), view(Pending)),
            (at(MON, 11, 0), view(Open)),
            (at(MON, 12, 30), view(Resolved)),
            (at(TUE, 9, 0), view(Open)),
            (at(TUE, 10, 0), with_priority(view(Open), 2)),
        ],
        Some(at(TUE, 12, 0)),
    );
    let tags: Vec<String> = r
        .events
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        tags,
        [
            "attached",
            "paused",
            "resumed",
            "threshold_reached",
            "completed",
            // Continued on Tuesday: the time resolved counts, so the breach (Monday 15:00)
            // and the escalation an hour later fire at once.
            "resumed",
            "breached",
            "escalation_due",
            "canceled",
        ]
    );
    for e in &r.events {
        assert_eq!(round_trip(e), *e);
    }
    assert_eq!(round_trip(&r.clocks), r.clocks);
    // A stored log, read back, folds to the same clocks.
    let stored = serde_json::to_string(&r.events).unwrap();
    let read: Vec<Event> = serde_json::from_str(&stored).unwrap();
    assert_eq!(read.iter().fold(Clocks::new(), evolve), r.clocks);
}

/// The pinned schema (it needs the `schemars` feature; the rest only `serde`).
#[cfg(feature = "schemars")]
mod pinned {
    use itsm_sla::Definition;
    use itsm_testkit::{pin_schema, schema_text};

    const HOW: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-sla --all-features --test formats";

    #[test]
    fn the_definition_schema_is_pinned() {
        pin_schema::<Definition>("sla-definition.json", HOW);
    }

    #[test]
    fn the_schema_is_draft_2020_12_and_knows_the_defaults() {
        let schema: serde_json::Value = serde_json::from_str(&schema_text::<Definition>()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["title"], "Definition");
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            required,
            [
                "id",
                "kind",
                "agreement",
                "target",
                "start",
                "stop",
                "pause_mode",
                "reopen"
            ]
        );
        // Durations are ISO 8601 strings.
        for duration in [
            &schema["properties"]["target"],
            &schema["$defs"]["EscalationRule"]["properties"]["offset"],
        ] {
            assert_eq!(
                (&duration["type"], &duration["format"]),
                (&"string".into(), &"duration".into())
            );
        }
        assert_eq!(schema["properties"]["pause"]["default"], "never");
        assert_eq!(schema["properties"]["reset"]["default"], "never");
        assert_eq!(schema["additionalProperties"], false);
    }
}

/// iTop's recomputed goal, a relative target and a calendar chosen by the ticket in JSON:
/// the `retargeted` event and the clock's own `target` and `calendar` round trip, and a
/// clock stored before them (without the two fields) reads as its definition's.
#[test]
fn a_retargeted_clock_and_its_event_round_trip() {
    let p1 = resolution("p1", 4, None);
    let mut p3 = resolution("p3", 8, None);
    p3.start = Condition::PriorityIn(vec![1, 2, 3]);
    let definitions =
        itsm_sla::Definitions::new(vec![p1, p3], Selection::ShortestTargetRecomputed).unwrap();
    let r = run(
        &definitions,
        &[
            (at(MON, 9, 0), with_priority(view(Open), 3)),
            (at(MON, 10, 0), view(Open)),
        ],
        None,
    );
    let retargeted = r
        .events
        .iter()
        .find(|e| matches!(e, Event::Retargeted { .. }))
        .unwrap();
    let json = serde_json::to_value(retargeted).unwrap();
    assert_eq!(json["type"], "retargeted");
    assert_eq!(
        (json["to"].as_str(), json["target"].as_str()),
        (Some("p1"), Some("PT4H"))
    );
    assert!(
        json.get("calendar").is_none(),
        "the new definition's calendar: left out"
    );
    assert_eq!(round_trip(retargeted), *retargeted);
    let clock = &r.clocks.clocks()[0];
    let stored = serde_json::to_value(clock).unwrap();
    assert_eq!(stored["target"], "PT4H");
    assert_eq!(round_trip(clock), *clock);

    let mut relative = resolution("rel", 4, Some(OFFICE8));
    relative.relative = Some(RelativeTarget::end_of_day(1));
    relative.calendar_from = Some(ViewField::Field("schedule".into()));
    let r = run(
        &defs(vec![relative]),
        &[(at(MON, 9, 0), with_field(view(Open), "schedule", OFFICE))],
        None,
    );
    let clock = &r.clocks.clocks()[0];
    let stored = serde_json::to_value(clock).unwrap();
    // Two office days of 7 hours (lunch closed): Monday 09:00 to Tuesday 17:00.
    assert_eq!(
        (stored["calendar"].as_str(), stored["target"].as_str()),
        (Some(OFFICE), Some("PT14H"))
    );
    assert_eq!(round_trip(clock), *clock);
    let mut old = stored;
    let object = old.as_object_mut().unwrap();
    object.remove("calendar");
    object.remove("target");
    let read: itsm_sla::Clock = serde_json::from_value(old).unwrap();
    assert_eq!((read.calendar(), read.target()), (None, None));
}

/// The fuzz seeds of issue 21 (`fuzz/corpus/sla_definitions_json/issue21-*.json`) are
/// definitions, so the corpus replay runs them through the host's loop: one list accepted,
/// one refused for its relative target.
#[test]
fn the_issue_21_fuzz_seeds_read_as_definitions() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/corpus/sla_definitions_json"
    );
    let read = |name: &str| -> Vec<Definition> {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let accepted = read("issue21-conventions.json");
    assert_eq!(accepted.len(), 3);
    assert!(itsm_sla::Definitions::new(accepted, Selection::FirstMatch).is_ok());
    let refused = read("issue21-relative-refused.json");
    assert_eq!(
        itsm_sla::Definitions::new(refused, Selection::All),
        Err(itsm_sla::Error::RelativeWithoutCalendar {
            id: "no-calendar".into()
        })
    );
}
