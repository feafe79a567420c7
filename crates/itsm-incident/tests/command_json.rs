//! Command JSON: `Deserialize` (from `tagged_enum!`) reads an object whose first key is the
//! tag directly, and any other object through the buffered (derived) path. Both must give the
//! same command, or an error, for the same object (the same message where the error is at
//! the top level: the tag, a missing field, a field of the wrong type).
#![cfg(feature = "serde")]
// Test code: a failed unwrap is a failed test, with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod json;

use itsm_incident::{Command, EscalationKind, GroupId, Impact, Urgency};
use json::{escalation_kind, hold_reason, id, link, orders, report, snapshot, text, user};
use proptest::prelude::*;
use serde_json::Value;

/// The result of decoding, with the error's position dropped (the buffered path reports
/// errors at the end of the object, the direct one where they occur).
fn decode(text: &str) -> Result<Command, String> {
    json::decode(text)
}

/// The object with the tag first (the direct path) and with the tag last (the buffered path).
fn both_orders(value: &Value) -> Option<(String, String)> {
    let mut all = orders(value, "command", 0).into_iter();
    Some((all.next()?, all.next()?))
}

/// The same command, or the same error message, in both orders.
fn assert_same(value: &Value) {
    let Some((first, last)) = both_orders(value) else {
        return;
    };
    assert_eq!(
        decode(&first),
        decode(&last),
        "tag first: {first}\ntag last: {last}"
    );
}

/// The same command, or an error, in both orders. Errors deep inside a field's value may be
/// worded differently: the buffered path reads values from serde's buffer, whose messages
/// differ from serde_json's for a few bad shapes (an enum written as a map with two keys).
fn assert_same_outcome(value: &Value) {
    let Some((first, last)) = both_orders(value) else {
        return;
    };
    match (decode(&first), decode(&last)) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "tag first: {first}\ntag last: {last}"),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("tag first: {first} -> {a:?}\ntag last: {last} -> {b:?}"),
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Any command.
fn command() -> impl Strategy<Value = Command> {
    let reason = || text();
    prop_oneof![
        report().prop_map(|report| Command::Report(Box::new(report))),
        snapshot().prop_map(|snapshot| Command::Import(Box::new(snapshot))),
        (id(), proptest::option::of(user())).prop_map(|(group, person)| Command::Assign {
            group: GroupId::from_u128(group),
            person,
        }),
        Just(Command::StartWork),
        (hold_reason(), proptest::option::of(text()))
            .prop_map(|(reason, comment)| Command::PutOnHold { reason, comment }),
        proptest::option::of(text()).prop_map(|comment| Command::CallerResponded { comment }),
        Just(Command::Resume),
        (any::<u8>(), any::<u8>()).prop_map(|(impact, urgency)| Command::Reprioritize {
            impact: Impact(impact),
            urgency: Urgency(urgency),
        }),
        (escalation_kind(), any::<u8>())
            .prop_map(|(kind, level): (EscalationKind, u8)| Command::Escalate { kind, level }),
        reason().prop_map(|reason| Command::DeclareMajor { reason }),
        reason().prop_map(|reason| Command::StandDownMajor { reason }),
        link().prop_map(|link| Command::Link { link }),
        (text(), text()).prop_map(|(code, notes)| Command::Resolve { code, notes }),
        reason().prop_map(|reason| Command::Reopen { reason }),
        Just(Command::Close { resolution: None }),
        reason().prop_map(|reason| Command::Cancel { reason }),
        Just(Command::Tick),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any command reads back the same from its JSON with the keys in any order: the tag
    /// first (the direct path), last, in the middle, or anywhere.
    #[test]
    fn any_command_round_trips_with_its_keys_in_any_order(
        command in command(),
        seed in any::<u64>(),
    ) {
        let written = serde_json::to_string(&command).unwrap();
        prop_assert!(written.starts_with(r#"{"command":"#), "{}", written);
        prop_assert_eq!(&decode(&written), &Ok(command.clone()));
        let value: Value = serde_json::from_str(&written).unwrap();
        for text in orders(&value, "command", seed) {
            prop_assert_eq!(&decode(&text), &Ok(command.clone()), "{}", text);
            prop_assert_eq!(
                serde_json::from_reader::<_, Command>(text.as_bytes()).ok(),
                Some(command.clone())
            );
        }
        prop_assert_eq!(serde_json::from_value::<Command>(value).ok(), Some(command));
    }
}

#[test]
fn every_variant_reads_the_same_with_the_tag_first_or_last() {
    let id = "00000000-0000-0000-0000-000000010001";
    let user = "00000000-0000-0000-0000-000000030001";
    let group = "00000000-0000-0000-0000-000000020001";
    let cases = [
        format!(
            r#"{{"command":"report","id":"{id}","caller":"{user}","channel":"phone","category":"network","configuration_item":null,"impact":2,"urgency":3,"description":"VPN"}}"#
        ),
        format!(r#"{{"command":"assign","group":"{group}","person":"{user}"}}"#),
        format!(r#"{{"command":"assign","group":"{group}"}}"#),
        r#"{"command":"start_work"}"#.to_owned(),
        r#"{"command":"put_on_hold","reason":"awaiting_caller","comment":"call back"}"#.to_owned(),
        r#"{"command":"put_on_hold","reason":"custom_code"}"#.to_owned(),
        r#"{"command":"caller_responded","comment":null}"#.to_owned(),
        r#"{"command":"caller_responded"}"#.to_owned(),
        r#"{"command":"resume"}"#.to_owned(),
        r#"{"command":"reprioritize","impact":1,"urgency":1}"#.to_owned(),
        r#"{"command":"escalate","kind":"functional","level":2}"#.to_owned(),
        r#"{"command":"declare_major","reason":"outage"}"#.to_owned(),
        r#"{"command":"stand_down_major","reason":"contained"}"#.to_owned(),
        format!(r#"{{"command":"link","link":{{"kind":"parent","id":"{id}"}}}}"#),
        r#"{"command":"resolve","code":"fixed","notes":"rebooted"}"#.to_owned(),
        r#"{"command":"reopen","reason":"again"}"#.to_owned(),
        r#"{"command":"close"}"#.to_owned(),
        r#"{"command":"cancel","reason":"duplicate"}"#.to_owned(),
        r#"{"command":"tick"}"#.to_owned(),
    ];
    for case in &cases {
        let command = decode(case).unwrap_or_else(|e| panic!("{case}: {e}"));
        // The serialized form starts with the tag, and reads back (the direct path).
        let written = serde_json::to_string(&command).unwrap();
        assert!(written.starts_with(r#"{"command":"#), "{written}");
        assert_eq!(decode(&written), Ok(command.clone()));
        assert_same(&json(case));
        // Unknown fields are ignored, on both paths.
        let mut extra = json(case);
        extra
            .as_object_mut()
            .unwrap()
            .insert("zzz_unknown".into(), json(r#"{"a":[1,2,null]}"#));
        assert_same(&extra);
        let (first, last) = both_orders(&extra).unwrap();
        assert_eq!(decode(&first), Ok(command.clone()));
        assert_eq!(decode(&last), Ok(command));
    }
}

#[test]
fn bad_inputs_fail_the_same_way_on_both_paths() {
    let group = "00000000-0000-0000-0000-000000020001";
    let cases = [
        // Unknown variant, wrong tag type, variant index (accepted by the derived identifier).
        r#"{"command":"explode","reason":"x"}"#.to_owned(),
        r#"{"command":true,"reason":"x"}"#.to_owned(),
        r#"{"command":null}"#.to_owned(),
        r#"{"command":13,"reason":"again"}"#.to_owned(),
        r#"{"command":0}"#.to_owned(),
        r#"{"command":99}"#.to_owned(),
        r#"{"command":-1}"#.to_owned(),
        // Missing and mistyped fields.
        r#"{"command":"resolve","code":"fixed"}"#.to_owned(),
        r#"{"command":"resolve","code":"fixed","notes":7}"#.to_owned(),
        r#"{"command":"escalate","kind":"functional","level":300}"#.to_owned(),
        r#"{"command":"escalate","kind":"functional","level":-1}"#.to_owned(),
        r#"{"command":"escalate","kind":"functional","level":1.5}"#.to_owned(),
        r#"{"command":"escalate","kind":"sideways","level":1}"#.to_owned(),
        r#"{"command":"assign","person":null}"#.to_owned(),
        format!(r#"{{"command":"assign","group":"{group}","person":"not a uuid"}}"#),
        r#"{"command":"link","link":{"kind":"parent"}}"#.to_owned(),
        r#"{"command":"report","id":"x"}"#.to_owned(),
        r#"{"command":"import"}"#.to_owned(),
        r#"{"command":"reprioritize","impact":"high","urgency":1}"#.to_owned(),
    ];
    for case in &cases {
        let value = json(case);
        assert!(decode(case).is_err(), "{case} decoded");
        assert_same(&value);
    }
    // A variant index is refused, as serde_json refuses it for the derived identifier.
    assert_eq!(
        decode(r#"{"command":13,"reason":"again"}"#),
        Err("invalid type: integer `13`, expected variant identifier".to_owned())
    );

    // A repeated tag, whether the first one comes first or not.
    for text in [
        r#"{"command":"tick","command":"tick"}"#,
        r#"{"command":"reopen","reason":"x","command":"reopen"}"#,
        r#"{"reason":"x","command":"reopen","command":"reopen"}"#,
        r#"{"command":"report","command":"report"}"#,
    ] {
        assert_eq!(
            decode(text),
            Err("duplicate field `command`".to_owned()),
            "{text}"
        );
    }
    // A repeated field inside the variant.
    assert_eq!(
        decode(r#"{"command":"reopen","reason":"x","reason":"y"}"#),
        decode(r#"{"reason":"x","reason":"y","command":"reopen"}"#),
    );

    // No tag, or not an object at all.
    for text in [
        "{}",
        r#"{"reason":"x"}"#,
        "[]",
        "\"tick\"",
        "7",
        "null",
        "true",
    ] {
        let error = decode(text).unwrap_err();
        assert!(
            error.contains("command") || error.contains("internally tagged enum Command"),
            "{text}: {error}"
        );
    }
    assert_eq!(decode("{}"), Err("missing field `command`".to_owned()));
    assert_eq!(
        decode(r#"{"reason":"x"}"#),
        Err("missing field `command`".to_owned())
    );
    assert_eq!(
        decode("\"tick\""),
        Err(r#"invalid type: string "tick", expected internally tagged enum Command"#.to_owned())
    );
    // The sequence form the derived enum accepts: the tag, then the fields in order.
    assert_eq!(
        decode(r#"["reopen","again"]"#),
        Ok(Command::Reopen {
            reason: "again".into()
        })
    );
}

/// Every saved fuzz input that is a JSON object with a tag reads the same in both orders.
#[test]
fn fuzz_corpus_reads_the_same_with_the_tag_first_or_last() {
    let mut compared = 0;
    for value in json::corpus_values() {
        if both_orders(&value).is_some() {
            assert_same_outcome(&value);
            compared += 1;
        }
    }
    assert!(
        compared >= 5,
        "only {compared} tagged objects in the corpus"
    );
}
