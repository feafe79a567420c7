//! Event JSON: an object whose first key is the tag (`type`, as `Serialize` writes it) is read
//! directly; any other object goes through serde's derived (buffering) decoder. Both must
//! give the same event, or an error, for the same object, whatever the order of its keys; and
//! the direct reading of instants must agree with chrono's.
#![cfg(feature = "serde")]
// Test code: a failed unwrap is a failed test, with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod json;

use chrono::{DateTime, Utc};
use itsm_incident::{Event, Priority};
use json::{decode, instant, orders, plain_event, snapshot, user};
use proptest::prelude::*;
use serde_json::Value;

/// The same event, or the same error message, with the tag first and last.
fn assert_same(value: &Value) {
    let all = orders(value, "type", 0);
    let [first, last, ..] = all.as_slice() else {
        return;
    };
    assert_eq!(
        decode::<Event>(first),
        decode::<Event>(last),
        "tag first: {first}\ntag last: {last}"
    );
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Any event.
fn event() -> impl Strategy<Value = Event> {
    let imported =
        (snapshot(), instant(), user(), any::<u8>()).prop_map(|(snapshot, at, by, priority)| {
            Event::Imported {
                at,
                by,
                snapshot: Box::new(snapshot),
                priority: Priority(priority),
            }
        });
    prop_oneof![8 => plain_event(), 1 => imported]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any event reads back the same from its JSON with the keys in any order: the tag
    /// first (the direct path), last, in the middle, or anywhere.
    #[test]
    fn any_event_round_trips_with_its_keys_in_any_order(event in event(), seed in any::<u64>()) {
        let written = serde_json::to_string(&event).unwrap();
        prop_assert!(written.starts_with(r#"{"type":"#), "{}", written);
        prop_assert_eq!(&decode::<Event>(&written), &Ok(event.clone()));
        let value: Value = serde_json::from_str(&written).unwrap();
        for text in orders(&value, "type", seed) {
            prop_assert_eq!(&decode::<Event>(&text), &Ok(event.clone()), "{}", text);
            // From bytes as well as from a string, and through a reader (owned strings).
            prop_assert_eq!(serde_json::from_slice::<Event>(text.as_bytes()).ok(), Some(event.clone()));
            prop_assert_eq!(serde_json::from_reader::<_, Event>(text.as_bytes()).ok(), Some(event.clone()));
        }
        // From a `Value` (a deserializer that owns its strings).
        prop_assert_eq!(serde_json::from_value::<Event>(value).ok(), Some(event));
    }

    /// An instant written in any RFC 3339 shape (or almost) reads as chrono reads it: the
    /// same instant, or the same error.
    #[test]
    fn instants_read_as_chrono_reads_them(
        text in prop_oneof![
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?(Z|z|[+-][0-9]{2}:[0-9]{2})",
            "[0-2][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-4]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,10})?Z",
            "\\PC{0,24}",
        ],
    ) {
        let quoted = serde_json::to_string(&text).unwrap();
        let event = format!(
            r#"{{"type":"work_started","at":{quoted},"by":"00000000-0000-0000-0000-000000000001"}}"#
        );
        let ours = decode::<Event>(&event).map(|event| event.at());
        let chrono = decode::<DateTime<Utc>>(&quoted);
        prop_assert_eq!(ours, chrono, "{}", text);
    }
}

#[test]
fn every_variant_reads_the_same_with_the_tag_first_or_last() {
    let user = "00000000-0000-0000-0000-000000030001";
    let group = "00000000-0000-0000-0000-000000020001";
    let id = "00000000-0000-0000-0000-000000010001";
    let head = format!(r#""at":"2026-03-02T09:00:00Z","by":"{user}""#);
    let explanation = r#"{"matrix":"servicenow","impact":{"value":2,"label":"Medium"},"urgency":{"value":3,"label":"Low"},"priority":{"value":4,"label":"Low"},"rule":{"kind":"cell"}}"#;
    let cases = [
        format!(
            r#"{{"type":"reported",{head},"report":{{"id":"{id}","caller":"{user}","channel":"phone","category":"network","configuration_item":null,"service":null,"impact":2,"urgency":3,"description":"VPN"}},"priority":4,"explanation":{explanation}}}"#
        ),
        format!(
            r#"{{"type":"assigned",{head},"group":"{group}","person":"{user}","reassignment":false}}"#
        ),
        format!(r#"{{"type":"assigned",{head},"group":"{group}","reassignment":true}}"#),
        format!(r#"{{"type":"work_started",{head}}}"#),
        format!(r#"{{"type":"put_on_hold",{head},"reason":"awaiting_caller","comment":"x"}}"#),
        format!(r#"{{"type":"caller_responded",{head},"comment":null}}"#),
        format!(r#"{{"type":"resumed",{head}}}"#),
        format!(
            r#"{{"type":"reprioritized",{head},"impact":1,"urgency":1,"priority":1,"explanation":{explanation}}}"#
        ),
        format!(r#"{{"type":"escalated",{head},"kind":"functional","level":2}}"#),
        format!(r#"{{"type":"major_declared",{head},"reason":"outage"}}"#),
        format!(r#"{{"type":"major_stood_down",{head},"reason":"contained"}}"#),
        format!(r#"{{"type":"linked",{head},"link":{{"kind":"parent","id":"{id}"}}}}"#),
        format!(r#"{{"type":"resolved",{head},"code":"fixed","notes":"rebooted"}}"#),
        // Notes absent: empty (records written before closed incidents kept their notes).
        format!(r#"{{"type":"resolved",{head},"code":"fixed"}}"#),
        format!(r#"{{"type":"reopened",{head},"reason":"again","by_support":true}}"#),
        format!(r#"{{"type":"closed",{head},"auto":true}}"#),
        format!(r#"{{"type":"canceled",{head},"reason":"duplicate"}}"#),
        // Instants in other RFC 3339 shapes: an offset, a fraction, lower case, a space.
        format!(r#"{{"type":"resumed","at":"2026-03-02T10:30:00.25+01:30","by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":"2026-03-02t09:00:00z","by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":"2026-03-02 09:00:00.123456789Z","by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":"2016-12-31T23:59:60.5Z","by":"{user}"}}"#),
    ];
    for case in &cases {
        let event: Event = decode(case).unwrap_or_else(|e| panic!("{case}: {e}"));
        // The serialized form starts with the tag, and reads back (the direct path).
        let written = serde_json::to_string(&event).unwrap();
        assert!(written.starts_with(r#"{"type":"#), "{written}");
        assert_eq!(decode::<Event>(&written), Ok(event.clone()));
        assert_same(&json(case));
        // Unknown fields are ignored, on both paths.
        let mut extra = json(case);
        extra
            .as_object_mut()
            .unwrap()
            .insert("zzz_unknown".into(), json(r#"{"a":[1,2,null]}"#));
        assert_same(&extra);
        for text in orders(&extra, "type", 7) {
            assert_eq!(decode::<Event>(&text), Ok(event.clone()), "{text}");
        }
    }
}

#[test]
fn bad_inputs_fail_the_same_way_on_both_paths() {
    let user = "00000000-0000-0000-0000-000000030001";
    let head = format!(r#""at":"2026-03-02T09:00:00Z","by":"{user}""#);
    let cases = [
        // Unknown variant, wrong tag type, a command's tag.
        format!(r#"{{"type":"exploded",{head}}}"#),
        format!(r#"{{"type":true,{head}}}"#),
        format!(r#"{{"type":null,{head}}}"#),
        format!(r#"{{"type":3,{head}}}"#),
        format!(r#"{{"type":"resolve",{head},"code":"x"}}"#),
        // Missing and mistyped fields.
        r#"{"type":"work_started"}"#.to_owned(),
        format!(r#"{{"type":"work_started","by":"{user}"}}"#),
        format!(r#"{{"type":"resolved",{head}}}"#),
        format!(r#"{{"type":"resolved",{head},"code":7}}"#),
        format!(r#"{{"type":"closed",{head},"auto":"yes"}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":"functional","level":300}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":"sideways","level":1}}"#),
        format!(r#"{{"type":"linked",{head},"link":{{"kind":"parent"}}}}"#),
        format!(r#"{{"type":"reported",{head}}}"#),
        format!(r#"{{"type":"imported",{head},"priority":1}}"#),
        // Bad instants: chrono's messages, on both paths.
        format!(r#"{{"type":"resumed","at":"2026-02-30T09:00:00Z","by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":"2026-03-02T24:00:00Z","by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":"2026-03-02T09:00:00","by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":"2026-03-02T09:00:00.Z","by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":"2026-03-02","by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":1772442000,"by":"{user}"}}"#),
        format!(r#"{{"type":"resumed","at":null,"by":"{user}"}}"#),
    ];
    for case in &cases {
        let value = json(case);
        assert!(decode::<Event>(case).is_err(), "{case} decoded");
        assert_same(&value);
    }
    // The messages the derived decoder gives, pinned.
    assert_eq!(
        decode::<Event>(&format!(r#"{{"type":"exploded",{head}}}"#)),
        Err(
            "unknown variant `exploded`, expected one of `reported`, `imported`, `assigned`, \
             `work_started`, `put_on_hold`, `caller_responded`, `resumed`, `reprioritized`, \
             `escalated`, `major_declared`, `major_stood_down`, `major_proposed`, \
             `major_rejected`, `linked`, `resolved`, `reopened`, `closed`, `canceled`, \
             `unassigned`, `entered`"
                .to_owned()
        )
    );
    assert_eq!(
        decode::<Event>(&format!(r#"{{"type":3,{head}}}"#)),
        Err("invalid type: integer `3`, expected variant identifier".to_owned())
    );
    assert_eq!(
        decode::<Event>(&format!(r#"{{"type":"resolved",{head}}}"#)),
        Err("missing field `code`".to_owned())
    );
    assert_eq!(
        decode::<Event>(&format!(r#"{{"type":"work_started","by":"{user}"}}"#)),
        Err("missing field `at`".to_owned())
    );
    assert_eq!(
        decode::<Event>(&format!(
            r#"{{"type":"resumed","at":"2026-02-30T09:00:00Z","by":"{user}"}}"#
        )),
        Err("input is out of range".to_owned())
    );
    assert_eq!(
        decode::<Event>(&format!(r#"{{"type":"resumed","at":7,"by":"{user}"}}"#)),
        Err(
            "invalid type: integer `7`, expected an RFC 3339 formatted date and time string"
                .to_owned()
        )
    );

    // A repeated tag, whether the first one comes first or not.
    for text in [
        format!(r#"{{"type":"resumed","type":"resumed",{head}}}"#),
        format!(r#"{{"type":"resumed",{head},"type":"resumed"}}"#),
        format!(r#"{{{head},"type":"resumed","type":"resumed"}}"#),
        format!(r#"{{"type":"resolved","code":"x","type":"resolved",{head}}}"#),
    ] {
        assert_eq!(
            decode::<Event>(&text),
            Err("duplicate field `type`".to_owned()),
            "{text}"
        );
    }
    // A repeated field inside the variant, and inside the flattened resolution.
    for field in [r#""at":"2026-03-02T09:00:00Z""#, r#""code":"y""#] {
        let first = format!(r#"{{"type":"resolved",{head},"code":"x",{field}}}"#);
        let last = format!(r#"{{{head},"code":"x",{field},"type":"resolved"}}"#);
        assert!(decode::<Event>(&first).is_err(), "{first}");
        assert_eq!(decode::<Event>(&first), decode::<Event>(&last));
    }

    // No tag, or not an object at all.
    assert_eq!(
        decode::<Event>("{}"),
        Err("missing field `type`".to_owned())
    );
    assert_eq!(
        decode::<Event>(&format!("{{{head}}}")),
        Err("missing field `type`".to_owned())
    );
    for (text, shown) in [
        ("\"resumed\"", r#"string "resumed""#),
        ("7", "integer `7`"),
        ("null", "null"),
        ("true", "boolean `true`"),
    ] {
        assert_eq!(
            decode::<Event>(text),
            Err(format!(
                "invalid type: {shown}, expected internally tagged enum Event"
            ))
        );
    }
    // The sequence form the derived enum accepts: the tag, then the fields in order.
    assert_eq!(
        decode::<Event>(&format!(r#"["resumed","2026-03-02T09:00:00Z","{user}"]"#)),
        Ok(Event::Resumed {
            at: "2026-03-02T09:00:00Z".parse().unwrap(),
            by: user.parse().unwrap(),
        })
    );
}

/// Every saved fuzz input that is a JSON object with a `type` tag reads the same in both
/// orders (or fails on both).
#[test]
fn fuzz_corpus_events_read_the_same_with_the_tag_first_or_last() {
    let mut compared = 0;
    for value in json::corpus_values() {
        let all = orders(&value, "type", 0);
        if let [first, last, ..] = all.as_slice() {
            match (decode::<Event>(first), decode::<Event>(last)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "tag first: {first}\ntag last: {last}"),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("tag first: {first} -> {a:?}\ntag last: {last} -> {b:?}"),
            }
            compared += 1;
        }
    }
    assert!(compared >= 3, "only {compared} events in the corpus");
}
