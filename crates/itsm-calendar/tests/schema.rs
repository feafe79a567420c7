//! The JSON format of calendar specs, pinned.
//!
//! The JSON Schema of [`CalendarSpec`] is generated with schemars (draft 2020-12) and
//! compared with the committed copy in `docs/schema/calendar-spec.json`, so any change to the
//! format shows up as a diff in review. After an intended change, regenerate it with
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-calendar --all-features --test schema
//! ```
//!
//! and commit it. The tests below also pin the exact JSON of a spec, check that specs
//! (hand-written and random) read back as the same value, and that a bad spec file is refused
//! with the crate's own message.
#![cfg(feature = "serde")]
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Error, Exception, Holiday, Segment, TimeOfDay, Week};
use proptest::prelude::*;
use serde_json::json;

/// The pinned schema (it needs the `schemars` feature; the rest only `serde`).
#[cfg(feature = "schemars")]
mod pinned {
    use std::path::PathBuf;

    use itsm_calendar::CalendarSpec;

    const UPDATE: &str =
        "UPDATE_SCHEMAS=1 cargo test -p itsm-calendar --all-features --test schema";

    fn path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/calendar-spec.json")
    }

    /// Whether the committed file should be rewritten instead of compared.
    ///
    /// The switch is an environment variable because `cargo test` passes no arguments to a
    /// test; the workspace forbids `std::env::var` in library code, and this test is a tool,
    /// not a library.
    #[allow(
        clippy::disallowed_methods,
        reason = "a developer switch for regenerating pinned files"
    )]
    fn updating() -> bool {
        std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1")
    }

    fn generated() -> String {
        let schema = schemars::schema_for!(CalendarSpec);
        let mut text = serde_json::to_string_pretty(&schema).unwrap();
        text.push('\n');
        text
    }

    #[test]
    fn the_calendar_spec_schema_is_pinned() {
        let generated = generated();
        let path = path();
        if updating() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}; generate it with `{UPDATE}`",
                path.display()
            )
        });
        assert!(
            committed == generated,
            "the JSON Schema in {} differs from what the code generates; if the format change \
             is intended, run `{UPDATE}` and commit the file.\n--- generated ---\n{generated}",
            path.display()
        );
    }

    #[test]
    fn the_schema_describes_the_format() {
        let schema: serde_json::Value = serde_json::from_str(&generated()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["title"], "CalendarSpec");
        assert_eq!(schema["required"], serde_json::json!(["name", "week"]));
        assert_eq!(schema["additionalProperties"], false);
        // Times of day are strings; holidays are tagged by `kind`.
        let text = generated();
        assert!(text.contains("\"TimeOfDay\""), "{text}");
        let time = &schema["$defs"]["TimeOfDay"];
        assert_eq!(time["type"], "string", "{time}");
        let kinds: Vec<&str> = schema["$defs"]["Holiday"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["properties"]["kind"]["const"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["date", "yearly"]);
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn seg(start: &str, end: &str) -> Segment {
    Segment::parse(start, end).unwrap()
}

/// A spec with every feature of the format.
fn rich() -> CalendarSpec {
    CalendarSpec {
        name: "berlin-office".into(),
        week: Week {
            sat: vec![seg("10:00", "14:00:30")],
            sun: vec![seg("22:00", "24:00")],
            ..Week::weekdays(&[seg("08:00", "12:00"), seg("13:00", "17:00")])
        },
        holidays: vec![
            Holiday::Date {
                date: date(2026, 4, 3),
                name: "Good Friday".into(),
            },
            Holiday::Yearly {
                month: 2,
                day: 29,
                name: "Leap day".into(),
            },
        ],
        exceptions: vec![Exception {
            name: "migration".into(),
            start: date(2026, 3, 7).and_hms_opt(20, 0, 0).unwrap(),
            end: date(2026, 3, 8).and_hms_opt(4, 0, 0).unwrap(),
            open: true,
        }],
    }
}

#[test]
fn a_spec_has_this_exact_json() {
    let day = json!([
        {"start": "08:00", "end": "12:00"},
        {"start": "13:00", "end": "17:00"}
    ]);
    assert_eq!(
        serde_json::to_value(rich()).unwrap(),
        json!({
            "name": "berlin-office",
            "week": {
                "mon": day, "tue": day, "wed": day, "thu": day, "fri": day,
                "sat": [{"start": "10:00", "end": "14:00:30"}],
                "sun": [{"start": "22:00", "end": "24:00"}]
            },
            "holidays": [
                {"kind": "date", "date": "2026-04-03", "name": "Good Friday"},
                {"kind": "yearly", "month": 2, "day": 29, "name": "Leap day"}
            ],
            "exceptions": [
                {
                    "name": "migration",
                    "start": "2026-03-07T20:00:00",
                    "end": "2026-03-08T04:00:00",
                    "open": true
                }
            ]
        })
    );
}

#[test]
fn a_spec_round_trips() {
    for spec in [
        rich(),
        CalendarSpec::always_open("24x7"),
        CalendarSpec::default(),
    ] {
        let compact = serde_json::to_string(&spec).unwrap();
        assert_eq!(
            serde_json::from_str::<CalendarSpec>(&compact).unwrap(),
            spec
        );
        let pretty = serde_json::to_string_pretty(&spec).unwrap();
        assert_eq!(serde_json::from_str::<CalendarSpec>(&pretty).unwrap(), spec);
    }
}

/// A policy file as an administrator would write it: days left out are closed, holidays and
/// exceptions may be left out.
const OFFICE: &str = r#"{
  "name": "service-desk",
  "week": {
    "mon": [{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "18:00" }],
    "tue": [{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "18:00" }],
    "wed": [{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "18:00" }],
    "thu": [{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "18:00" }],
    "fri": [{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "16:30" }]
  },
  "holidays": [
    { "kind": "yearly", "month": 1, "day": 1, "name": "New Year" },
    { "kind": "yearly", "month": 12, "day": 25, "name": "Christmas Day" },
    { "kind": "yearly", "month": 12, "day": 26, "name": "Boxing Day" },
    { "kind": "date", "date": "2026-04-03", "name": "Good Friday" },
    { "kind": "date", "date": "2026-04-06", "name": "Easter Monday" }
  ],
  "exceptions": [
    {
      "name": "datacentre move",
      "start": "2026-04-04T09:00:00",
      "end": "2026-04-04T13:00:00",
      "open": true
    },
    {
      "name": "staff day",
      "start": "2026-04-08T12:00:00",
      "end": "2026-04-09T00:00:00",
      "open": false
    }
  ]
}"#;

#[test]
fn a_realistic_spec_file_reads_and_compiles() {
    let spec: CalendarSpec = serde_json::from_str(OFFICE).unwrap();
    assert_eq!(spec.name, "service-desk");
    assert!(spec.week.sat.is_empty() && spec.week.sun.is_empty());
    assert_eq!(spec.week.fri[1], seg("13:00", "16:30"));
    assert_eq!(spec.holidays.len(), 5);
    assert_eq!(spec.exceptions.len(), 2);
    let tz = chrono_tz::Europe::London;
    let cal = Calendar::compile(&spec, &tz, date(2026, 1, 1), date(2027, 1, 1)).unwrap();
    // Reported Thursday 2 April 2026 at 17:00 BST with 8 business hours to go: 1 h on
    // Thursday; Good Friday, the weekend (but for Saturday's 4-hour move) and Easter Monday
    // are closed; 3 h on Tuesday 7th morning finishes it at 11:00.
    let reported = tz.with_ymd_and_hms(2026, 4, 2, 17, 0, 0).unwrap();
    let due = cal.add(&reported, Duration::hours(8)).unwrap();
    assert_eq!(due, Utc.with_ymd_and_hms(2026, 4, 7, 10, 0, 0).unwrap());
    // The staff afternoon closes Wednesday 8th after 12:00.
    let wednesday = tz.with_ymd_and_hms(2026, 4, 8, 11, 0, 0).unwrap();
    assert_eq!(
        cal.end_of_business_day(&wednesday).unwrap(),
        Utc.with_ymd_and_hms(2026, 4, 8, 11, 0, 0).unwrap()
    );
}

#[test]
fn left_out_parts_are_empty() {
    let spec: CalendarSpec = serde_json::from_str(r#"{"name": "n", "week": {}}"#).unwrap();
    assert_eq!(
        spec,
        CalendarSpec {
            name: "n".into(),
            ..CalendarSpec::default()
        }
    );
}

/// The error serde reports for `json` must start with the crate's own message (serde adds
/// the position).
fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str, message: &str) {
    let err = serde_json::from_str::<T>(json).unwrap_err().to_string();
    assert!(
        err.starts_with(message),
        "reading {json}: got `{err}`, expected it to start with `{message}`"
    );
}

#[test]
fn a_bad_spec_file_is_refused() {
    let bad_time = Error::InvalidTimeOfDay {
        text: "25:00".into(),
    }
    .to_string();
    refused::<TimeOfDay>(r#""25:00""#, &bad_time);
    refused::<Segment>(r#"{"start": "25:00", "end": "26:00"}"#, &bad_time);
    refused::<TimeOfDay>(
        r#""9:00""#,
        "`9:00` is not a time of day; write HH:MM or HH:MM:SS from 00:00 to 24:00",
    );
    refused::<TimeOfDay>("540", "invalid type: integer `540`, expected a string");
    refused::<Segment>(
        r#"{"start": "09:00", "end": "17:00", "open": true}"#,
        "unknown field `open`",
    );
    refused::<Week>(r#"{"monday": []}"#, "unknown field `monday`");
    refused::<Holiday>(
        r#"{"kind": "easter", "name": "Easter"}"#,
        "unknown variant `easter`",
    );
    refused::<Holiday>(
        r#"{"kind": "date", "date": "2026-02-30", "name": "x"}"#,
        "input is out of range",
    );
    refused::<Holiday>(
        r#"{"kind": "yearly", "month": 2, "day": 29, "name": "x", "year": 2028}"#,
        "unknown field `year`",
    );
    refused::<Exception>(
        r#"{"name": "x", "start": "2026-03-07T20:00:00", "end": "2026-03-08T04:00:00"}"#,
        "missing field `open`",
    );
    refused::<CalendarSpec>(r#"{"name": "x"}"#, "missing field `week`");
    refused::<CalendarSpec>(
        r#"{"name": "x", "week": {}, "zone": "Europe/Berlin"}"#,
        "unknown field `zone`",
    );
}

/// Yearly holidays read from a file are checked when the calendar is compiled.
#[test]
fn a_holiday_no_year_has_reads_but_does_not_compile() {
    let spec: CalendarSpec = serde_json::from_str(
        r#"{"name": "x", "week": {}, "holidays": [{"kind": "yearly", "month": 2, "day": 30, "name": "bad"}]}"#,
    )
    .unwrap();
    assert_eq!(
        Calendar::compile(&spec, &Utc, date(2026, 1, 1), date(2027, 1, 1)).err(),
        Some(Error::InvalidHoliday {
            calendar: "x".into(),
            name: "bad".into(),
            month: 2,
            day: 30,
        })
    );
}

proptest! {
    #![proptest_config(common::config(128, "proptest-regressions/schema.txt"))]

    /// Random specs read back as the same value.
    #[test]
    fn random_specs_round_trip(case in common::case(common::modern_anchors(), 400)) {
        let json = serde_json::to_string(&case.spec).unwrap();
        prop_assert_eq!(serde_json::from_str::<CalendarSpec>(&json).unwrap(), case.spec);
    }

    /// Every time of day to the second reads back, and prints as `HH:MM` or `HH:MM:SS`.
    #[test]
    fn times_of_day_round_trip(seconds in 0..=86_400u32) {
        let t = TimeOfDay::hms(seconds / 3600, seconds / 60 % 60, seconds % 60).unwrap();
        prop_assert_eq!(t.seconds(), seconds);
        let json = serde_json::to_string(&t).unwrap();
        prop_assert_eq!(json.len(), if seconds % 60 == 0 { 7 } else { 10 });
        prop_assert_eq!(serde_json::from_str::<TimeOfDay>(&json).unwrap(), t);
        prop_assert_eq!(t.to_string().parse::<TimeOfDay>(), Ok(t));
    }
}
