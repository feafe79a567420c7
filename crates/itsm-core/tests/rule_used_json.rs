//! `RuleUsed` decodes through `__tagged_enum!` (a tag-first object without buffering): it
//! round-trips with its keys in any order, and accepts and refuses what serde's derived
//! internally tagged decoder does, checked against a copy of the enum with that derive.
#![cfg(feature = "serde")]
// A test crate: its helpers may unwrap, index and panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use itsm_core::{Rounding, RuleUsed};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// The enum as it was declared before `__tagged_enum!`: serde's derived decoder.
#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Derived {
    Cell,
    Formula {
        offset: i16,
        divisor: u8,
        rounding: Rounding,
    },
}

impl From<Derived> for RuleUsed {
    fn from(rule: Derived) -> Self {
        match rule {
            Derived::Cell => RuleUsed::Cell,
            Derived::Formula {
                offset,
                divisor,
                rounding,
            } => RuleUsed::Formula {
                offset,
                divisor,
                rounding,
            },
        }
    }
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![
        Just(Rounding::Floor),
        Just(Rounding::Ceil),
        Just(Rounding::HalfAwayFromZero)
    ]
}

fn rule() -> impl Strategy<Value = RuleUsed> {
    prop_oneof![
        Just(RuleUsed::Cell),
        (any::<i16>(), any::<u8>(), rounding()).prop_map(|(offset, divisor, rounding)| {
            RuleUsed::Formula {
                offset,
                divisor,
                rounding,
            }
        }),
    ]
}

/// A JSON value that may or may not be a valid rule: keys from the real ones and a few
/// others, values of several types, in any order, sometimes repeated.
fn near_rule() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("kind"),
        Just("offset"),
        Just("divisor"),
        Just("rounding"),
        Just("other"),
    ];
    let value = prop_oneof![
        Just("\"cell\"".to_owned()),
        Just("\"formula\"".to_owned()),
        Just("\"lookup\"".to_owned()),
        Just("\"floor\"".to_owned()),
        Just("\"ceil\"".to_owned()),
        Just("null".to_owned()),
        any::<i32>().prop_map(|n| n.to_string()),
        Just("[1, 2]".to_owned()),
        Just("{\"kind\": \"cell\"}".to_owned()),
    ];
    prop::collection::vec((key, value), 0..6).prop_map(|entries| {
        let body: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{{}}}", body.join(", "))
    })
}

proptest! {
    #[test]
    fn round_trips_with_keys_in_any_order(rule in rule(), seed in any::<u64>()) {
        let written = serde_json::to_value(rule).unwrap();
        let Value::Object(map) = written.clone() else { panic!("not an object") };
        let mut entries: Vec<(String, Value)> = map.into_iter().collect();
        // A deterministic shuffle from the seed: the tag may come anywhere.
        let len = entries.len();
        if len > 1 {
            for i in 0..len {
                let j = usize::try_from(seed.rotate_left(u32::try_from(i).unwrap()) % len as u64).unwrap();
                entries.swap(i, j);
            }
        }
        let shuffled = Value::Object(entries.into_iter().collect::<Map<_, _>>());
        let text = serde_json::to_string(&shuffled).unwrap();
        prop_assert_eq!(serde_json::from_str::<RuleUsed>(&text).unwrap(), rule);
        let text = serde_json::to_string(&written).unwrap();
        prop_assert_eq!(serde_json::from_str::<RuleUsed>(&text).unwrap(), rule);
    }

    #[test]
    fn agrees_with_the_derived_decoder(text in near_rule()) {
        let fast = serde_json::from_str::<RuleUsed>(&text);
        let derived = serde_json::from_str::<Derived>(&text).map(RuleUsed::from);
        match (&fast, &derived) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "{text}: {fast:?} against {derived:?}"),
        }
    }
}

#[test]
fn refuses_what_the_derived_decoder_refuses() {
    for text in [
        r#"{"kind": "lookup"}"#,
        r#"{"kind": "cell", "kind": "cell"}"#,
        r#"{"kind": "formula", "offset": 0, "divisor": 2}"#,
        r#"{"offset": 0}"#,
        r#"{}"#,
        r#""cell""#,
        r#"7"#,
    ] {
        let fast = serde_json::from_str::<RuleUsed>(text);
        let derived = serde_json::from_str::<Derived>(text);
        assert!(fast.is_err() && derived.is_err(), "{text}: {fast:?}");
    }
    // Unknown variant: the same message, from the same derived identifier.
    let fast = serde_json::from_str::<RuleUsed>(r#"{"kind": "lookup"}"#).unwrap_err();
    assert!(
        fast.to_string()
            .starts_with("unknown variant `lookup`, expected `cell` or `formula`")
    );
    assert_eq!(
        serde_json::from_value::<RuleUsed>(
            json!({"divisor": 2, "kind": "formula", "offset": -1, "rounding": "floor"})
        )
        .unwrap(),
        RuleUsed::Formula {
            offset: -1,
            divisor: 2,
            rounding: Rounding::Floor
        }
    );
}
