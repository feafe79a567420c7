//! The ISO 8601 duration codec: canonical forms, refusals with their messages, round trips.

use chrono::Duration;
use itsm_core::{Error, duration};
use proptest::prelude::*;

#[test]
fn canonical_forms() {
    let cases = [
        (Duration::hours(4), "PT4H"),
        (Duration::days(7), "P7D"),
        (Duration::minutes(90), "PT1H30M"),
        (Duration::milliseconds(500), "PT0.5S"),
        (Duration::zero(), "PT0S"),
        (Duration::seconds(59), "PT59S"),
        (Duration::days(1) + Duration::seconds(1), "P1DT1S"),
        (Duration::days(2) + Duration::hours(3), "P2DT3H"),
        (Duration::nanoseconds(1), "PT0.000000001S"),
        (Duration::nanoseconds(1_000_000_010), "PT1.00000001S"),
        (-Duration::minutes(15), "-PT15M"),
        (-Duration::nanoseconds(1), "-PT0.000000001S"),
        (Duration::MAX, "P106751991167DT7H12M55.807S"),
        (Duration::MIN, "-P106751991167DT7H12M55.807S"),
    ];
    for (d, text) in cases {
        assert_eq!(duration::format(d), text, "{d:?}");
        assert_eq!(duration::parse(text), Ok(d), "{text}");
    }
}

#[test]
fn other_accepted_forms() {
    let cases = [
        ("P1W", Duration::days(7)),
        ("P1W2D", Duration::days(9)),
        ("PT36H", Duration::hours(36)),
        ("PT90M", Duration::minutes(90)),
        ("PT3600S", Duration::hours(1)),
        ("P0D", Duration::zero()),
        ("-PT0S", Duration::zero()),
        ("PT0,25S", Duration::milliseconds(250)),
        ("PT1.500S", Duration::milliseconds(1500)),
        ("P007D", Duration::days(7)),
        ("PT1H0M0S", Duration::hours(1)),
    ];
    for (text, d) in cases {
        assert_eq!(duration::parse(text), Ok(d), "{text}");
    }
}

#[test]
fn refusals_name_the_cause_and_the_allowed_form() {
    let allowed = "write an ISO 8601 duration such as PT4H, P7D, PT1H30M or PT0.5S (designators W, D, and after T: H, M, S)";
    let cases = [
        ("P1Y", "years have no fixed length"),
        (
            "P2M",
            "months have no fixed length (minutes are written after T, as in PT30M)",
        ),
        ("4h", "it does not start with P"),
        ("", "it does not start with P"),
        (" PT4H", "it does not start with P"),
        ("+PT4H", "it does not start with P"),
        ("P", "nothing follows P"),
        ("-P", "nothing follows P"),
        ("PT", "nothing follows T"),
        ("P1DT", "nothing follows T"),
        ("P4", "a number has no designator after it"),
        ("PT4H5", "a number has no designator after it"),
        ("PTH", "a designator has no number before it"),
        ("PT4X", "after T only H, M and S are allowed"),
        ("PT4D", "after T only H, M and S are allowed"),
        ("P4H", "before T only W and D are allowed"),
        ("P1D1W", "designators are repeated or out of order"),
        ("PT1M1H", "designators are repeated or out of order"),
        ("PT1H1H", "designators are repeated or out of order"),
        ("PT1.5H", "only seconds may have a fraction"),
        ("P1.5D", "only seconds may have a fraction"),
        (
            "PT0.1234567891S",
            "seconds are not a number with at most 9 fractional digits",
        ),
        (
            "PT.5S",
            "seconds are not a number with at most 9 fractional digits",
        ),
        (
            "PT1.S",
            "seconds are not a number with at most 9 fractional digits",
        ),
        (
            "PT1.2.3S",
            "seconds are not a number with at most 9 fractional digits",
        ),
        ("P106751991168D", "it is too long for a duration"),
        (
            "P99999999999999999999999999999999999999999D",
            "it is too long for a duration",
        ),
        ("PT4H ", "after T only H, M and S are allowed"),
    ];
    for (text, reason) in cases {
        let err = duration::parse(text).unwrap_err();
        assert_eq!(
            err,
            Error::InvalidDuration {
                text: text.to_owned(),
                reason
            },
            "{text}"
        );
        assert_eq!(
            err.to_string(),
            format!("`{text}` is not a valid duration: {reason}; {allowed}")
        );
    }
}

#[cfg(feature = "serde")]
mod serde_tests {
    use chrono::Duration;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Policy {
        #[serde(with = "itsm_core::duration")]
        target: Duration,
        #[serde(default, with = "itsm_core::duration::option")]
        after: Option<Duration>,
    }

    #[test]
    fn fields_round_trip_as_strings() -> Result<(), serde_json::Error> {
        let p = Policy {
            target: Duration::minutes(90),
            after: Some(Duration::days(7)),
        };
        let json = serde_json::to_string(&p)?;
        assert_eq!(json, r#"{"target":"PT1H30M","after":"P7D"}"#);
        assert_eq!(serde_json::from_str::<Policy>(&json)?, p);
        let none: Policy = serde_json::from_str(r#"{"target":"PT1S","after":null}"#)?;
        assert_eq!(none.after, None);
        let missing: Policy = serde_json::from_str(r#"{"target":"PT1S"}"#)?;
        assert_eq!(missing.after, None);
        Ok(())
    }

    #[test]
    fn bad_values_are_refused_with_the_codec_message() {
        let err = serde_json::from_str::<Policy>(r#"{"target":"P1M"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("`P1M` is not a valid duration: months have no fixed length"),
            "{err}"
        );
        let err = serde_json::from_str::<Policy>(r#"{"target":3600}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("expected an ISO 8601 duration such as PT4H"),
            "{err}"
        );
        let err = serde_json::from_str::<Policy>(r#"{"target":"PT1S","after":"P1Y"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("years have no fixed length"), "{err}");
    }
}

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_strings_of_format_duration() {
    #[derive(schemars::JsonSchema, serde::Serialize, serde::Deserialize)]
    #[allow(dead_code)]
    struct Policy {
        #[serde(with = "itsm_core::duration")]
        #[schemars(schema_with = "itsm_core::duration::schema")]
        target: chrono::Duration,
        #[serde(default, with = "itsm_core::duration::option")]
        #[schemars(schema_with = "itsm_core::duration::option::schema")]
        after: Option<chrono::Duration>,
    }
    let schema = schemars::schema_for!(Policy).to_value();
    let properties = &schema["properties"];
    assert_eq!(
        properties["target"],
        serde_json::json!({"type": "string", "format": "duration"})
    );
    // `serde(default)` adds `"default": null`.
    assert_eq!(
        properties["after"],
        serde_json::json!({"type": ["string", "null"], "format": "duration", "default": null})
    );
}

fn any_duration() -> impl Strategy<Value = Duration> {
    let (min, max) = (Duration::MIN.num_seconds(), Duration::MAX.num_seconds());
    (min..=max, 0u32..1_000_000_000)
        .prop_filter_map("in chrono's range", |(s, n)| Duration::new(s, n))
}

proptest! {
    #[test]
    fn format_then_parse_is_the_identity(d in any_duration()) {
        let text = duration::format(d);
        prop_assert_eq!(duration::parse(&text), Ok(d), "{}", text);
    }

    #[test]
    fn small_durations_round_trip(ns in -10_000_000_000_000i64..10_000_000_000_000) {
        let d = Duration::nanoseconds(ns);
        prop_assert_eq!(duration::parse(&duration::format(d)), Ok(d));
    }

    #[test]
    fn parse_never_panics(text in "-?P[0-9WDTHMSY.,]{0,12}|\\PC{0,16}") {
        if let Ok(d) = duration::parse(&text) {
            // Whatever parses formats canonically and parses back to the same duration.
            prop_assert_eq!(duration::parse(&duration::format(d)), Ok(d));
        }
    }
}
