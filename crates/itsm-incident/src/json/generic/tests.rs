//! The generic reader against `serde_json`, as a whole `Deserializer` and piece by piece.

use super::{Fault, one_of, read};
use serde::Deserialize;

/// `T` read from `text` by the reader (the whole text), as `serde_json::from_str` reads
/// it: the same value, or an error at the same column (or the one before, where
/// `serde_json` counts a peeked character); the error's problem, in our words.
fn same_as_serde_json<T>(text: &str) -> Result<T, String>
where
    T: for<'a> Deserialize<'a> + PartialEq + std::fmt::Debug,
{
    match (read::<T>(text), serde_json::from_str::<T>(text)) {
        (Ok(ours), Ok(theirs)) => {
            assert_eq!(ours, theirs, "{text:?}");
            Ok(ours)
        }
        (Err(ours), Err(theirs)) => {
            // serde_json counts a character it peeked at (and refused) as read.
            let peeked = theirs.column().checked_sub(ours.offset);
            assert!(matches!(peeked, Some(0 | 1)), "{text:?}: {theirs}");
            Err(ours.problem)
        }
        (ours, theirs) => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
}

/// 128-bit integers (no event has one, but the reader is a whole `Deserializer`): the
/// digits as `serde_json` scans them, a leading zero refused, the sign where allowed.
#[test]
fn integers_of_128_bits_read_as_serde_json_reads_them() {
    assert_eq!(same_as_serde_json::<u128>("0"), Ok(0));
    assert_eq!(same_as_serde_json::<u128>(" 7"), Ok(7));
    assert_eq!(
        same_as_serde_json::<u128>("340282366920938463463374607431768211455"),
        Ok(u128::MAX)
    );
    assert_eq!(same_as_serde_json::<i128>("-12"), Ok(-12));
    assert_eq!(same_as_serde_json::<i128>("9050"), Ok(9050));
    for bad in [
        "01",
        "-",
        "x",
        "\"1\"",
        "-01",
        "340282366920938463463374607431768211456",
    ] {
        assert!(same_as_serde_json::<u128>(bad).is_err(), "{bad}");
    }
    for bad in ["00", "-x", "--1", "1x"] {
        assert!(same_as_serde_json::<i128>(bad).is_err(), "{bad}");
    }
    assert_eq!(
        same_as_serde_json::<u128>("-1"),
        Err("number out of range".to_owned())
    );
    // A leading zero followed by a digit is refused as a number, not read as 0 and left.
    for text in ["01", "-01"] {
        assert_eq!(
            same_as_serde_json::<i128>(text),
            Err("invalid number".to_owned()),
            "{text}"
        );
    }
}

/// Where the reader and `serde_json` stop on `text` read as `T`: our offset and
/// problem, and `serde_json`'s column (one-based, so our offset for an error at the
/// character just read).
fn stops<T: for<'a> Deserialize<'a> + std::fmt::Debug>(text: &str) -> (usize, String, usize) {
    let ours = read::<T>(text).expect_err(text);
    let theirs = serde_json::from_str::<T>(text).expect_err(text);
    (ours.offset, ours.problem, theirs.column())
}

/// Bytes, as a visitor that asks for them gets them (no event has any: the reader is a
/// whole `Deserializer`).
#[derive(Debug, PartialEq)]
struct Bytes(Vec<u8>);

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
        struct Take;
        impl<'de> serde::de::Visitor<'de> for Take {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
        }
        d.deserialize_bytes(Take)
    }
}

/// A leading surrogate not followed by `\u` and a trailing one: refused in a string,
/// where `serde_json` refuses it, and kept as WTF-8 in bytes, as `serde_json` keeps it.
#[test]
fn a_lone_leading_surrogate_is_refused_in_text_and_kept_in_bytes() {
    for text in [r#""\ud800x""#, r#""ab\ud800\n""#] {
        let (offset, problem, column) = stops::<String>(text);
        assert_eq!(
            problem, "leading surrogate without its trailing surrogate",
            "{text}"
        );
        assert_eq!(offset, column, "{text}");
    }
    for text in [
        r#""\ud800x""#,
        r#""ab\ud800\n""#,
        r#""\ud800\ud801""#,
        r#""\ud800\ude00""#,
        r#""\udc00""#,
    ] {
        let bytes = same_as_serde_json::<Bytes>(text);
        assert!(bytes.is_ok(), "{text}: {bytes:?}");
    }
    assert_eq!(
        same_as_serde_json::<String>(r#""\ud83d\ude00 \u00e9""#),
        Ok("\u{1f600} \u{e9}".to_owned())
    );
    assert_eq!(
        same_as_serde_json::<Bytes>(r#""\ud800x""#),
        Ok(Bytes(vec![0xED, 0xA0, 0x80, b'x']))
    );
}

/// A sequence its visitor ends early (a tuple) must end there: `]`, or a trailing comma
/// or more values refused in `serde_json`'s words.
#[test]
fn a_sequence_ends_where_its_visitor_stops() {
    assert_eq!(same_as_serde_json::<(u8,)>("[1]"), Ok((1,)));
    assert_eq!(same_as_serde_json::<(u8,)>(" [ 1 ] "), Ok((1,)));
    assert_eq!(
        same_as_serde_json::<(u8,)>("[1,]"),
        Err("trailing comma".to_owned())
    );
    assert_eq!(
        same_as_serde_json::<(u8,)>("[1,2]"),
        Err("text after the value".to_owned())
    );
    assert_eq!(
        same_as_serde_json::<(u8,)>("[1 2]"),
        Err("text after the value".to_owned())
    );
    assert_eq!(
        same_as_serde_json::<(u8,)>("[1"),
        Err("end of input inside an array".to_owned())
    );
}

/// A value of the wrong type is named as `serde_json` names it (the token read whole
/// first, so a broken one is a syntax error instead).
#[test]
fn a_value_of_the_wrong_type_is_named_as_serde_json_names_it() {
    let named = [
        ("null", "invalid type: null"),
        ("true", "invalid type: boolean `true`"),
        ("false", "invalid type: boolean `false`"),
        ("-12", "invalid type: integer `-12`"),
        ("12", "invalid type: integer `12`"),
        ("1.5", "invalid type: floating point `1.5`"),
        ("[1]", "invalid type: sequence"),
        ("{}", "invalid type: map"),
    ];
    for (token, problem) in named {
        assert_eq!(
            same_as_serde_json::<String>(token),
            Err(problem.to_owned()),
            "{token}"
        );
    }
    assert_eq!(
        same_as_serde_json::<u8>("\"x\\ny\""),
        Err("invalid type: string \"x\\u{a}y\"".to_owned())
    );
    assert_eq!(
        same_as_serde_json::<bool>("\"yes\""),
        Err("invalid type: string \"yes\"".to_owned())
    );
    // A token that is not one: the syntax error, where the token breaks.
    for broken in ["nul", "tru", "fals", "-x", "\"ab"] {
        let problem = same_as_serde_json::<u8>(broken).expect_err(broken);
        assert!(!problem.starts_with("invalid type"), "{broken}: {problem}");
    }
}

/// The names serde hands to `unknown_variant` and `unknown_field`, in serde's words:
/// none, one, several.
#[test]
fn expected_names_read_as_serde_words() {
    assert_eq!(one_of(&[]), "nothing");
    assert_eq!(one_of(&["a"]), "`a`");
    assert_eq!(one_of(&["a", "b"]), "one of `a`, `b`");
}

/// A fault shown through `Display` (as serde's own decoders do when they wrap one) says
/// what was wrong and what was expected.
#[test]
fn a_fault_displays_its_problem_and_what_was_expected() {
    let fault = Fault::new("unknown field `x`".to_owned(), "`a`".to_owned());
    assert_eq!(fault.to_string(), "unknown field `x`, expected `a`");
}

/// Number keys inside their quotes (no event has a map with them: the reader is a whole
/// `Deserializer`): read as `serde_json` reads them, a key that does not start as a number
/// or goes on after it refused.
#[test]
fn number_keys_are_read_inside_their_quotes() {
    use std::collections::BTreeMap;
    assert_eq!(
        same_as_serde_json::<BTreeMap<i32, u8>>(r#"{"1":2, "-30":4}"#),
        Ok(BTreeMap::from([(1, 2), (-30, 4)]))
    );
    assert_eq!(
        same_as_serde_json::<BTreeMap<u64, bool>>(r#"{"7":true}"#),
        Ok(BTreeMap::from([(7, true)]))
    );
    assert_eq!(
        same_as_serde_json::<BTreeMap<i32, u8>>(r#"{"x":1}"#),
        Err("key that is not a number".to_owned())
    );
    assert_eq!(
        same_as_serde_json::<BTreeMap<i32, u8>>(r#"{"1x":1}"#),
        Err("unexpected character".to_owned())
    );
}
