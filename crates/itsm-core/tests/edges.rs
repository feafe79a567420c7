//! Edges that a mutation run (docs/mutants.md) showed no test pinned: exact canonical
//! duration strings around each unit's boundary, signs before numbers, the messages for
//! wrongly typed values, the one-line readings of conditions and categories, and time
//! conditions exactly at their threshold.
// A test crate: its helpers may unwrap, index and panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{Duration, TimeZone, Utc};
use itsm_core::duration::{format, parse};
use itsm_core::{Category, Condition, TicketView, ViewField};

#[test]
fn canonical_durations_around_every_unit_boundary() {
    let ns = Duration::nanoseconds;
    let s = Duration::seconds;
    let cases = [
        (s(0), "PT0S"),
        (ns(1), "PT0.000000001S"),
        (s(59), "PT59S"),
        (s(60), "PT1M"),
        (s(61), "PT1M1S"),
        (s(3_599), "PT59M59S"),
        (s(3_600), "PT1H"),
        (s(3_601), "PT1H1S"),
        (s(3_660), "PT1H1M"),
        (s(86_399), "PT23H59M59S"),
        (s(86_400), "P1D"),
        (s(86_401), "P1DT1S"),
        (s(86_460), "P1DT1M"),
        (s(90_000), "P1DT1H"),
        (s(86_400) + ns(1), "P1DT0.000000001S"),
        (s(2 * 86_400 + 3_723) + ns(400_000_000), "P2DT1H2M3.4S"),
        (-s(86_400), "-P1D"),
        (-ns(1), "-PT0.000000001S"),
    ];
    for (duration, text) in cases {
        assert_eq!(format(duration), text, "format of {duration:?}");
        assert_eq!(parse(text).unwrap(), duration, "parse of {text}");
    }
}

#[test]
fn a_sign_inside_a_number_is_refused() {
    // Rust's integer parser takes a leading `+` or `-`; the ISO 8601 grammar does not.
    for text in ["PT+5S", "P+1D", "PT+1H", "PT-5M", "P-1D", "PT+0.5S"] {
        assert!(parse(text).is_err(), "{text} must be refused");
    }
}

#[test]
fn leading_zeros_do_not_count_towards_the_length_limit() {
    let zeros = "0".repeat(40);
    assert_eq!(parse(&format!("P{zeros}1D")).unwrap(), Duration::days(1));
    assert_eq!(
        parse(&format!("PT{zeros}90S")).unwrap(),
        Duration::seconds(90)
    );
    // Thirty-one significant digits are too long, whatever the unit.
    let long = format!("1{}", "0".repeat(30));
    for text in [format!("PT{long}S"), format!("P{long}D")] {
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("too long"), "{text}: {err}");
    }
}

#[cfg(feature = "serde")]
mod serde_messages {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Required {
        #[serde(with = "itsm_core::duration")]
        d: Duration,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Optional {
        #[serde(with = "itsm_core::duration::option", default)]
        d: Option<Duration>,
    }

    #[test]
    fn a_number_where_a_duration_belongs_names_what_is_allowed() {
        let err = serde_json::from_str::<Required>(r#"{"d": 5}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("invalid type: integer `5`, expected "),
            "{err}"
        );
        assert!(err.contains("ISO 8601"), "{err}");
        // serde_json hands a present value to the inner duration reader, so the message is
        // the required one's.
        let err = serde_json::from_str::<Optional>(r#"{"d": 5}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ISO 8601"), "{err}");
    }

    #[test]
    fn an_optional_duration_reads_null_a_string_and_absence() {
        let read = |json: &str| serde_json::from_str::<Optional>(json).unwrap().d;
        assert_eq!(read(r#"{"d": null}"#), None);
        assert_eq!(read(r#"{}"#), None);
        assert_eq!(read(r#"{"d": "PT2H"}"#), Some(Duration::hours(2)));
    }

    #[test]
    fn a_tagged_enum_given_a_number_says_what_it_expected() {
        let err = serde_json::from_str::<itsm_core::RuleUsed>("7")
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected"), "{err}");
        assert!(err.contains("RuleUsed"), "{err}");
        let err = serde_json::from_str::<itsm_core::RuleUsed>(r#"{"kind": 7}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected"), "{err}");
    }
}

#[test]
fn categories_read_as_their_names() {
    let names: Vec<String> = Category::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        ["new", "open", "pending", "resolved", "closed", "canceled"]
    );
    for category in Category::ALL {
        assert_eq!(category.to_string().parse::<Category>().unwrap(), category);
    }
}

#[test]
fn every_view_field_reads_as_its_json_name() {
    let fields = [
        (ViewField::State, "state"),
        (ViewField::Category, "category"),
        (ViewField::Priority, "priority"),
        (ViewField::Impact, "impact"),
        (ViewField::Urgency, "urgency"),
        (ViewField::Classification, "classification"),
        (ViewField::Service, "service"),
        (ViewField::ConfigItem, "config_item"),
        (ViewField::Group, "group"),
        (ViewField::Assignee, "assignee"),
        (ViewField::OpenedAt, "opened_at"),
        (ViewField::UpdatedAt, "updated_at"),
        (ViewField::Field("vip".into()), "field `vip`"),
    ];
    for (field, text) in fields {
        assert_eq!(field.to_string(), text);
    }
}

#[test]
fn conditions_read_as_one_line() {
    let list = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let cases = [
        (Condition::Always, "always"),
        (Condition::Never, "never"),
        (Condition::All(vec![]), "always"),
        (Condition::Any(vec![]), "never"),
        (
            Condition::StateIn(list(&["new", "open"])),
            r#"state in ["new", "open"]"#,
        ),
        (
            Condition::CategoryIn(vec![Category::Pending, Category::Open]),
            "category in [pending, open]",
        ),
        (Condition::PriorityIn(vec![1, 2]), "priority in [1, 2]"),
        (Condition::ImpactIn(vec![3]), "impact in [3]"),
        (Condition::UrgencyIn(vec![]), "urgency in []"),
        (Condition::GroupIn(list(&["db"])), r#"group in ["db"]"#),
        (
            Condition::FieldIn {
                field: "vip".into(),
                values: list(&["yes"]),
            },
            r#"field `vip` in ["yes"]"#,
        ),
        (
            Condition::ClassificationIn(list(&["network"])),
            r#"classification in ["network"]"#,
        ),
        (
            Condition::ServiceIn(list(&["vpn"])),
            r#"service in ["vpn"]"#,
        ),
        (
            Condition::ConfigItemIn(list(&["db1"])),
            r#"config_item in ["db1"]"#,
        ),
        (
            Condition::AssigneeIn(list(&["ann"])),
            r#"assignee in ["ann"]"#,
        ),
        (Condition::IsSet(ViewField::Assignee), "assignee is set"),
        (
            Condition::AgeAtLeast(Duration::minutes(30)),
            "age at least PT30M",
        ),
        (
            Condition::IdleAtLeast(Duration::hours(2)),
            "idle at least PT2H",
        ),
        (
            Condition::Not(Box::new(Condition::IsSet(ViewField::Group))),
            "not (group is set)",
        ),
        (
            Condition::All(vec![
                Condition::PriorityIn(vec![1]),
                Condition::Any(vec![Condition::Always, Condition::Never]),
                Condition::Never,
            ]),
            "(priority in [1] and (always or never) and never)",
        ),
        (Condition::Any(vec![Condition::Always]), "(always)"),
    ];
    for (condition, text) in cases {
        assert_eq!(condition.to_string(), text, "{condition:?}");
    }
}

#[test]
fn time_conditions_hold_exactly_at_their_threshold() {
    let opened = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let mut view = TicketView::new("new", Category::New);
    view.opened_at = Some(opened);
    view.updated_at = Some(opened + Duration::minutes(10));
    let age = Condition::AgeAtLeast(Duration::minutes(30));
    let idle = Condition::IdleAtLeast(Duration::minutes(30));
    let at = |minutes| Some(opened + Duration::minutes(minutes));
    let just_before = Some(opened + Duration::minutes(30) - Duration::nanoseconds(1));
    assert!(!age.eval_at(&view, just_before));
    assert!(age.eval_at(&view, at(30)));
    assert!(age.eval_at(&view, at(31)));
    assert!(!idle.eval_at(&view, at(39)));
    assert!(idle.eval_at(&view, at(40)));
    assert!(
        !age.eval_at(&view, None),
        "no instant: a time test is false"
    );
    assert!(!age.eval(&view));
}

#[cfg(feature = "serde")]
mod repeated_tags {
    use itsm_core::RuleUsed;
    use serde::de::value::{BorrowedBytesDeserializer, BytesDeserializer, Error, MapDeserializer};
    use serde::de::{Deserialize, IntoDeserializer};

    fn refused(result: Result<RuleUsed, String>, how: &str) {
        let err = result.unwrap_err();
        assert!(err.contains("duplicate field `kind`"), "{how}: {err}");
    }

    #[test]
    fn a_repeated_tag_is_refused_however_the_key_is_read() {
        // serde_json hands keys it must unescape, and every key read from an `io::Read`,
        // as transient strings rather than borrowed ones.
        for json in [
            r#"{"kind": "cell", "kind": "cell"}"#,
            r#"{"kind": "cell", "k\u0069nd": "cell"}"#,
        ] {
            refused(
                serde_json::from_str(json).map_err(|e| e.to_string()),
                "from_str",
            );
            refused(
                serde_json::from_reader(json.as_bytes()).map_err(|e| e.to_string()),
                "from_reader",
            );
        }
    }

    #[test]
    fn a_repeated_tag_is_refused_in_a_format_with_byte_keys() {
        let entries = || {
            [b"kind".as_slice(), b"kind".as_slice()]
                .into_iter()
                .map(|k| (k, "cell"))
        };
        let owned = MapDeserializer::<_, Error>::new(
            entries().map(|(k, v)| (BytesDeserializer::<Error>::new(k), v)),
        );
        refused(
            RuleUsed::deserialize(owned).map_err(|e| e.to_string()),
            "bytes",
        );
        let borrowed = MapDeserializer::<_, Error>::new(
            entries().map(|(k, v)| (BorrowedBytesDeserializer::<Error>::new(k), v)),
        );
        refused(
            RuleUsed::deserialize(borrowed).map_err(|e| e.to_string()),
            "borrowed bytes",
        );
        // One tag read as bytes is a cell.
        let once = MapDeserializer::<_, Error>::new(
            [(
                BytesDeserializer::<Error>::new(b"kind"),
                "cell".into_deserializer(),
            )]
            .into_iter(),
        );
        assert_eq!(RuleUsed::deserialize(once).unwrap(), RuleUsed::Cell);
    }
}
