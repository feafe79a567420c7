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
    use itsm_calendar::CalendarSpec;

    const UPDATE: &str =
        "UPDATE_SCHEMAS=1 cargo test -p itsm-calendar --all-features --test schema";

    fn generated() -> String {
        itsm_testkit::schema_text::<CalendarSpec>()
    }

    #[test]
    fn the_schema_is_pinned() {
        itsm_testkit::pin_schema::<CalendarSpec>("calendar-spec.json", UPDATE);
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
        assert_eq!(
            schema["properties"]["zone"]["type"],
            serde_json::json!(["string", "null"])
        );
        // Times of day are strings; segments strings or objects; holidays short strings or
        // objects tagged by `kind`; a week may say `daily` or `weekdays`.
        let defs = &schema["$defs"];
        assert_eq!(defs["TimeOfDay"]["type"], "string");
        assert_eq!(defs["Segment"]["anyOf"][0]["type"], "string");
        assert_eq!(defs["Segment"]["anyOf"][1]["$ref"], "#/$defs/SegmentObject");
        assert_eq!(defs["Holiday"]["anyOf"][0]["format"], "date");
        assert_eq!(
            defs["Holiday"]["anyOf"][1]["pattern"],
            "^--[0-9]{2}-[0-9]{2}$"
        );
        let kinds: Vec<&str> = defs["HolidayObject"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["properties"]["kind"]["const"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["date", "yearly"]);
        let mut days: Vec<&str> = defs["Week"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        days.sort_unstable();
        assert_eq!(
            days,
            [
                "daily", "fri", "mon", "sat", "sun", "thu", "tue", "wed", "weekdays"
            ]
        );
        assert_eq!(defs["Week"]["additionalProperties"], false);
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
    let mut spec = CalendarSpec::new(
        "berlin-office",
        Week {
            sat: vec![seg("10:00", "14:00:30")],
            sun: vec![seg("22:00", "06:00")],
            ..Week::weekdays(&[seg("08:00", "12:00"), seg("13:00", "17:00")])
        },
    );
    spec.zone = Some("Europe/Berlin".into());
    spec.holidays = vec![
        Holiday::date(date(2026, 4, 3)).named("Good Friday"),
        Holiday::yearly(2, 29).named("Leap day"),
        Holiday::date(date(2026, 5, 1)),
        Holiday::yearly(12, 25),
    ];
    spec.exceptions = vec![Exception::open(
        "migration",
        date(2026, 3, 7).and_hms_opt(20, 0, 0).unwrap(),
        date(2026, 3, 8).and_hms_opt(4, 0, 0).unwrap(),
    )];
    spec
}

#[test]
fn a_spec_has_this_exact_json() {
    assert_eq!(
        serde_json::to_value(rich()).unwrap(),
        json!({
            "name": "berlin-office",
            "zone": "Europe/Berlin",
            "week": {
                "weekdays": ["08:00-12:00", "13:00-17:00"],
                "sat": ["10:00-14:00:30"],
                "sun": ["22:00-06:00"]
            },
            "holidays": [
                {"kind": "date", "date": "2026-04-03", "name": "Good Friday"},
                {"kind": "yearly", "month": 2, "day": 29, "name": "Leap day"},
                "2026-05-01",
                "--12-25"
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

/// A week is written in its shortest form.
#[test]
fn a_week_has_a_short_form() {
    let office = [seg("09:00", "17:00")];
    for (week, written) in [
        (Week::always(), json!({"daily": ["00:00-24:00"]})),
        (
            Week::every_day(&[seg("22:00", "06:00")]),
            json!({"daily": ["22:00-06:00"]}),
        ),
        (
            Week::weekdays(&office),
            json!({"weekdays": ["09:00-17:00"]}),
        ),
        (
            Week {
                sun: vec![seg("10:00", "12:00")],
                ..Week::weekdays(&office)
            },
            json!({"weekdays": ["09:00-17:00"], "sun": ["10:00-12:00"]}),
        ),
        (
            Week {
                wed: vec![],
                ..Week::weekdays(&office)
            },
            json!({"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}),
        ),
        (Week::default(), json!({})),
    ] {
        assert_eq!(serde_json::to_value(&week).unwrap(), written);
        assert_eq!(serde_json::from_value::<Week>(written).unwrap(), week);
    }
    // Named days override `weekdays`, which overrides `daily`; an empty list closes a day.
    let week: Week = serde_json::from_value(json!({
        "daily": ["08:00-20:00"],
        "weekdays": ["07:00-22:00"],
        "fri": [{"start": "07:00", "end": "18:00"}],
        "sun": []
    }))
    .unwrap();
    assert_eq!(
        week,
        Week {
            fri: vec![seg("07:00", "18:00")],
            sat: vec![seg("08:00", "20:00")],
            sun: vec![],
            ..Week::weekdays(&[seg("07:00", "22:00")])
        }
    );
}

/// A holiday is a bare date or month-day, or an object with an optional name.
#[test]
fn a_holiday_has_a_short_form() {
    let read = |v: serde_json::Value| serde_json::from_value::<Holiday>(v).unwrap();
    assert_eq!(read(json!("2026-12-25")), Holiday::date(date(2026, 12, 25)));
    assert_eq!(read(json!("--12-25")), Holiday::yearly(12, 25));
    assert_eq!(read(json!("--02-29")), Holiday::yearly(2, 29));
    assert_eq!(
        read(json!({"kind": "date", "date": "2026-12-25"})),
        Holiday::date(date(2026, 12, 25))
    );
    assert_eq!(
        read(json!({"kind": "yearly", "month": 12, "day": 25, "name": "Christmas"})),
        Holiday::yearly(12, 25).named("Christmas")
    );
    assert_eq!(
        Holiday::yearly(12, 25).named("Christmas").name(),
        Some("Christmas")
    );
    assert_eq!(Holiday::yearly(12, 25).name(), None);
    // Without a name, the short form is written.
    assert_eq!(
        serde_json::to_value(Holiday::yearly(1, 6)).unwrap(),
        json!("--01-06")
    );
}

/// A segment is `"HH:MM-HH:MM"` or `{start, end}`; it is written as the first.
#[test]
fn a_segment_has_a_short_form() {
    for (text, segment) in [
        ("08:00-12:00", seg("08:00", "12:00")),
        ("22:00-06:00", seg("22:00", "06:00")),
        ("17:30:15-24:00", seg("17:30:15", "24:00")),
    ] {
        assert_eq!(text.parse::<Segment>(), Ok(segment));
        assert_eq!(segment.to_string(), text);
        assert_eq!(serde_json::to_value(segment).unwrap(), json!(text));
        assert_eq!(
            serde_json::from_value::<Segment>(json!(text)).unwrap(),
            segment
        );
        let object = json!({"start": segment.start, "end": segment.end});
        assert_eq!(serde_json::from_value::<Segment>(object).unwrap(), segment);
    }
    assert!(seg("22:00", "06:00").crosses_midnight());
    assert!(seg("22:00", "00:00").crosses_midnight());
    assert!(!seg("22:00", "24:00").crosses_midnight());
}

#[test]
fn a_spec_round_trips() {
    for spec in [
        rich(),
        CalendarSpec::always_open("24x7"),
        CalendarSpec::new("closed", Week::default()),
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

/// A calendar file with its zone compiles with nothing else.
#[test]
fn a_calendar_file_is_complete() {
    let spec: CalendarSpec = serde_json::from_str(
        r#"{
          "name": "night-desk",
          "zone": "+01:00",
          "week": { "daily": ["22:00-06:00"] },
          "holidays": ["2026-12-24", "--12-31"]
        }"#,
    )
    .unwrap();
    let cal = Calendar::new(&spec).unwrap();
    // Thursday 24 December is a holiday: its night is closed; Wednesday's night runs into it.
    let at = |d, h| Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap();
    assert_eq!(cal.is_open(&at(24, 4)), Ok(true));
    assert_eq!(cal.is_open(&at(24, 22)), Ok(false));
    assert_eq!(cal.next_open(&at(24, 6)), Ok(at(25, 21)));
    assert_eq!(
        cal.duration(&at(24, 0), &at(26, 0)),
        Ok(Duration::hours(5 + 3))
    );
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
    assert_eq!(spec, CalendarSpec::new("n", Week::default()));
    assert_eq!(spec.zone, None);
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
        r#"{"name": "x", "week": {}, "timezone": "Europe/Berlin"}"#,
        "unknown field `timezone`",
    );
    refused::<Week>(r#"{"everyday": []}"#, "unknown field `everyday`");
    let bad_segment = |text: &str| Error::InvalidSegmentText { text: text.into() }.to_string();
    for text in [
        "08:00",
        "08:00-",
        "8:00-12:00",
        "08:00 - 12:00",
        "08:00-12:00-13:00",
        "",
    ] {
        refused::<Segment>(&format!("\"{text}\""), &bad_segment(text));
        assert_eq!(
            text.parse::<Segment>(),
            Err(Error::InvalidSegmentText { text: text.into() })
        );
    }
    assert_eq!(
        bad_segment("08:00"),
        "`08:00` is not a segment; write HH:MM-HH:MM, such as 08:00-12:00 or 22:00-06:00"
    );
    refused::<Segment>("17", "invalid type: integer `17`, expected a segment");
    let bad_holiday = |text: &str| Error::InvalidHolidayText { text: text.into() }.to_string();
    for text in [
        "2026-02-30",
        "12-25",
        "--1-25",
        "--12-5",
        "--12-25-",
        "christmas",
        "",
    ] {
        refused::<Holiday>(&format!("\"{text}\""), &bad_holiday(text));
    }
    assert_eq!(
        bad_holiday("12-25"),
        "`12-25` is not a holiday; write a date, YYYY-MM-DD, or a day every year, --MM-DD"
    );
    refused::<Holiday>(
        r#"{"kind": "date", "date": "2026-12-25", "name": "x", "observed": true}"#,
        "unknown field `observed`",
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
            name: Some("bad".into()),
            month: 2,
            day: 30,
        })
    );
    // So are bare ones.
    let spec: CalendarSpec =
        serde_json::from_str(r#"{"name": "x", "week": {}, "holidays": ["--13-01"]}"#).unwrap();
    assert_eq!(spec.holidays, [Holiday::yearly(13, 1)]);
    assert!(matches!(
        Calendar::new(&spec),
        Err(Error::InvalidHoliday {
            name: None,
            month: 13,
            day: 1,
            ..
        })
    ));
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
