//! Loading: every dangling or duplicate reference and every malformed value is reported at
//! once, in the order of the data, with messages that say what is wrong and what is allowed.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{clean, payroll};
use itsm_dimensions::chrono::Duration;
use itsm_dimensions::{
    ConfigurationItem, Day, Error, ModelProblem, Organisation, Person, RecordKind, ServiceRole,
    SupportHours, Team, ValueStreamStep,
};

fn problems(spec: itsm_dimensions::OrganisationSpec) -> Vec<ModelProblem> {
    match Organisation::new(spec) {
        Err(Error::InvalidOrganisation { problems }) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn every_dangling_and_duplicate_reference_is_reported_at_once() {
    let mut spec = clean();
    spec.people.push(Person::new("ana", "Another Ana"));
    spec.teams.push(Team::new(
        "night",
        &["zoe", "ana", "ana"],
        &["firefighting"],
    ));
    spec.configuration_items[0].support_team = Some("nobody".into());
    spec.contracts[1].supplier = "ghost".into();
    let p = payroll(&mut spec);
    p.owner = Some("zed".into());
    p.teams.push("ops".into());
    p.roles.push(ServiceRole::new("on-call", &["ana"]));
    p.configuration_items.push("db-9".into());
    p.value_streams[0]
        .steps
        .push(ValueStreamStep::new("detect", &["x"], &["night"]));
    let found = problems(spec);
    let text: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "people: person `ana` is declared twice; ids must be unique",
            "team `night`, its members: unknown person `zoe`; name a declared person",
            "team `night`, its members: person `ana` is listed twice; list each once",
            "team `night`, its practices: unknown practice `firefighting`; name a declared practice",
            "contract `standby`, its supplier: unknown supplier `ghost`; name a declared supplier",
            "configuration item `db-1`, its support team: unknown team `nobody`; name a declared team",
            "service `payroll`, its owner: unknown person `zed`; name a declared person",
            "service `payroll`, its teams: team `ops` is listed twice; list each once",
            "service `payroll`, its roles: role `on-call` is declared twice; ids must be unique",
            "service `payroll`, its configuration items: unknown configuration item `db-9`; name a declared configuration item",
            "service `payroll`, value stream `restore service`, its steps: step `detect` is declared twice; ids must be unique",
            "service `payroll`, value stream `restore service`, step `detect`, its practices: unknown practice `x`; name a declared practice",
        ]
    );
    assert!(matches!(
        &found[1],
        ModelProblem::UnknownReference { kind: RecordKind::Person, id, .. } if id == "zoe"
    ));
}

#[test]
fn the_error_message_counts_and_lists_the_problems() {
    let mut spec = clean();
    payroll(&mut spec).owner = Some("zed".into());
    assert_eq!(
        Organisation::new(spec).unwrap_err().to_string(),
        "the organisation has 1 problem: service `payroll`, its owner: unknown person `zed`; \
         name a declared person; fix each and load it again"
    );
    let mut spec = clean();
    for i in 0..25 {
        payroll(&mut spec)
            .configuration_items
            .push(format!("ghost-{i}"));
    }
    let message = Organisation::new(spec).unwrap_err().to_string();
    assert!(
        message.starts_with("the organisation has 25 problems: "),
        "{message}"
    );
    assert!(
        message.ends_with("; and 5 more; fix each and load it again"),
        "{message}"
    );
}

#[test]
fn ids_are_quoted_with_control_characters_escaped_and_long_ones_cut() {
    let mut spec = clean();
    payroll(&mut spec).owner = Some("z\ned".into());
    let message = Organisation::new(spec).unwrap_err().to_string();
    assert!(message.contains("unknown person `z\\u{a}ed`"), "{message}");
    let mut spec = clean();
    payroll(&mut spec).owner = Some("x".repeat(200));
    let message = Organisation::new(spec).unwrap_err().to_string();
    assert!(message.contains("… (200 bytes)`"), "{message}");
}

#[test]
fn malformed_values_are_refused() {
    let mut spec = clean();
    spec.people.push(Person::new("", "Nobody"));
    {
        let t = &mut payroll(&mut spec).targets;
        t.availability = Some(100.5);
        t.response = Some(Duration::zero());
        t.hours = Some(SupportHours::weekdays("8:00", "18:00"));
    }
    let mut late = SupportHours::weekdays("18:00", "08:00");
    late.days.push(Day::Mon);
    spec.contracts[0].targets.as_mut().unwrap().hours = Some(late);
    let text: Vec<String> = problems(spec).iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "people, #3: the person has an empty id; give it a non-empty one",
            "contract `hosting`, its targets: support hours close at 08:00 before they open at 18:00; close after opening",
            "service `payroll`, its targets: availability 100.5 is outside 0 to 100; give a percentage",
            "service `payroll`, its targets: the response target PT0S is not positive; give a duration above zero",
            "service `payroll`, its targets: support hours time `8:00` is not HH:MM; give a time from 00:00 to 24:00",
        ]
    );
    let mut hours = SupportHours::always();
    hours.days.push(Day::Sun);
    let mut spec = clean();
    payroll(&mut spec).targets.hours = Some(hours);
    assert_eq!(
        problems(spec)[0].to_string(),
        "service `payroll`, its targets: support hours list day `sun` twice; list each once"
    );
    let mut spec = clean();
    payroll(&mut spec).targets.hours = Some(SupportHours::weekdays("00:00", "24:01"));
    assert_eq!(problems(spec).len(), 1);
    let mut spec = clean();
    spec.configuration_items
        .push(ConfigurationItem::new("db-1", "database", None));
    assert_eq!(
        problems(spec)[0].to_string(),
        "configuration items: configuration item `db-1` is declared twice; ids must be unique"
    );
}

#[test]
fn round_the_clock_covers_everything_and_hours_cover_by_day_and_time() {
    let always = SupportHours::always();
    let office = SupportHours::weekdays("08:00", "18:00");
    assert_eq!(always.covers(&office), Some(true));
    assert_eq!(office.covers(&always), Some(false));
    assert_eq!(office.covers(&office), Some(true));
    assert_eq!(
        SupportHours::weekdays("08:00", "17:59").covers(&office),
        Some(false)
    );
    assert_eq!(SupportHours::weekdays("8", "17:59").covers(&office), None);
}

#[cfg(feature = "serde")]
#[test]
fn json_is_checked_when_loaded_and_round_trips() {
    let org = Organisation::new(clean()).unwrap();
    let json = serde_json::to_string(&org).unwrap();
    let back: Organisation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, org);
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["services"][0]["owner"] = "zed".into();
    value["services"][0]["teams"][0] = "nightshift".into();
    let err = serde_json::from_value::<Organisation>(value)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("the organisation has 2 problems: "),
        "{err}"
    );
    let err = serde_json::from_str::<Organisation>(r#"{"servces": []}"#)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("unknown field `servces`"), "{err}");
    let err = serde_json::from_str::<Organisation>(
        r#"{"services": [{"id": "s", "targets": {"response": "P1M"}}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("months have no fixed length"), "{err}");
}
