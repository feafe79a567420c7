//! The two paths against each other and against `serde_json` (a dev-dependency), each on its
//! own: the public `Event::from_json` is tested in `tests/event_json_fast.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::{fast, generic};
use crate::event::Event;

/// What the fast path says, what the generic path says, and what `serde_json` says, agree:
/// the generic path accepts exactly what `serde_json` accepts with the same event, and the
/// fast path, when it answers, gives that event. Returns whether the fast path answered.
fn agree(text: &str) -> bool {
    let expected = serde_json::from_str::<Event>(text).ok();
    let generic = generic::event(text);
    assert_eq!(
        generic.as_ref().ok(),
        expected.as_ref(),
        "generic path on {text:?}: {generic:?}"
    );
    match fast::event(text) {
        Some(event) => {
            assert_eq!(Some(&event), expected.as_ref(), "fast path on {text:?}");
            true
        }
        None => false,
    }
}

const USER: &str = "00000000-0000-0000-0000-000000000002";

fn work_started(rest: &str) -> String {
    format!(r#"{{"type":"work_started","at":"2026-03-02T09:00:00Z","by":"{USER}"{rest}}}"#)
}

/// A reported event whose explanation's rule is a formula with `offset`, as written.
fn formula(offset: &str) -> String {
    format!(
        r#"{{"type":"reported","at":"2026-03-02T09:00:00Z","by":"{USER}","report":{{"id":"{USER}","caller":"{USER}","channel":{{"other":"fax"}},"impact":2,"urgency":3,"description":"x"}},"priority":4,"explanation":{{"matrix":"m","impact":{{"value":2,"label":"M"}},"urgency":{{"value":3,"label":"L"}},"priority":{{"value":4,"label":"L"}},"rule":{{"kind":"formula","offset":{offset},"divisor":10,"rounding":"floor"}}}}}}"#
    )
}

#[test]
fn the_canonical_form_takes_the_fast_path() {
    assert!(agree(&work_started("")));
    assert!(agree(&format!(
        r#"{{"at":"2026-03-02T09:00:00Z","type":"resumed","by":"{USER}"}}"#
    )));
    assert!(agree(&format!(
        r#"  {{ "type" : "resolved" , "by" : "{USER}", "at":"2026-03-02T09:00:00.5Z","code":"x\u00e9\n\"","notes":"\ud83d\ude00"}} "#
    )));
    assert!(agree(&format!(
        r#"{{"type":"resolved","by":"{USER}","at":"2026-03-02T10:00:00+01:00","code":"x"}}"#
    )));
}

/// Each variant's event as `Serialize` writes it (the fuzz corpus's seeds) takes the fast
/// path (mutants: a variant's arm deleted from the fast path, whose answers the generic
/// path would give all the same).
#[test]
fn every_variant_written_canonically_takes_the_fast_path() {
    for text in [
        include_str!("../../../../fuzz/corpus/incident_command_json/seed-event-00-reported.json"),
        include_str!("../../../../fuzz/corpus/incident_command_json/seed-event-01-assigned.json"),
        include_str!(
            "../../../../fuzz/corpus/incident_command_json/seed-event-02-work_started.json"
        ),
        include_str!(
            "../../../../fuzz/corpus/incident_command_json/seed-event-03-put_on_hold.json"
        ),
        include_str!(
            "../../../../fuzz/corpus/incident_command_json/seed-event-04-caller_responded.json"
        ),
        include_str!(
            "../../../../fuzz/corpus/incident_command_json/seed-event-05-reprioritized.json"
        ),
        include_str!("../../../../fuzz/corpus/incident_command_json/seed-event-06-escalated.json"),
        include_str!(
            "../../../../fuzz/corpus/incident_command_json/seed-event-07-major_declared.json"
        ),
        include_str!(
            "../../../../fuzz/corpus/incident_command_json/seed-event-08-major_stood_down.json"
        ),
        include_str!("../../../../fuzz/corpus/incident_command_json/seed-event-09-linked.json"),
        include_str!("../../../../fuzz/corpus/incident_command_json/seed-event-10-linked.json"),
        include_str!("../../../../fuzz/corpus/incident_command_json/seed-event-11-resolved.json"),
        include_str!("../../../../fuzz/corpus/incident_command_json/seed-event-12-reopened.json"),
        include_str!("../../../../fuzz/corpus/incident_command_json/seed-event-13-canceled.json"),
    ] {
        assert!(agree(text.trim()), "{text}");
    }
    let by = format!(r#""by":"{USER}""#);
    for text in [
        format!(r#"{{"type":"closed","at":"2026-03-09T08:00:00Z",{by},"auto":true}}"#),
        format!(r#"{{"type":"unassigned","at":"2026-03-02T09:00:00Z",{by}}}"#),
        format!(
            r#"{{"type":"entered","at":"2026-03-02T09:00:00Z",{by},"state":"assigned","kind":"in_progress"}}"#
        ),
        // The tag after a string with escapes, a literal and a number, which the tag's
        // search skips.
        format!(
            r#"{{"notes":"a \"quoted\" \\ note","code":"fixed",{by},"at":"2026-03-02T09:00:00Z","type":"resolved"}}"#
        ),
        format!(r#"{{"auto":true,"at":"2026-03-09T08:00:00Z",{by},"type":"closed"}}"#),
        format!(
            r#"{{"at":"2026-03-02T09:00:00Z","impact":2,{by},"type":"reprioritized","urgency":3,"priority":4,"explanation":{{"matrix":"servicenow","impact":{{"value":2,"label":"Medium"}},"urgency":{{"value":3,"label":"Low"}},"priority":{{"value":4,"label":"Low"}},"rule":{{"kind":"cell"}}}}}}"#
        ),
        // A formula's rule: the smallest offset, then zero (one digit, no leading zero).
        include_str!("../../../../fuzz/corpus/incident_event_json/seed-02-reported-formula")
            .trim()
            .to_owned(),
        formula("0"),
        formula("17"),
        // The tag after a nested object, which the tag's search skips.
        format!(
            r#"{{"at":"2026-03-02T09:00:00Z",{by},"report":{{"id":"00000000-0000-0000-0000-000000000001","caller":"00000000-0000-0000-0000-000000000009","channel":{{"other":"pager"}},"category":"network","configuration_item":null,"service":null,"impact":1,"urgency":2,"description":"switch [down]"}},"type":"reported","priority":2,"explanation":{{"matrix":"servicenow","impact":{{"value":1,"label":"High"}},"urgency":{{"value":2,"label":"Medium"}},"priority":{{"value":2,"label":"High"}},"rule":{{"kind":"cell"}}}}}}"#
        ),
    ] {
        assert!(agree(&text), "{text}");
    }
}

/// Every value of the enums the fast path reads by name takes the fast path: channels,
/// roundings, escalation kinds, link kinds (mutants: each name's arm deleted). A cell rule
/// with a formula's keys beside it is answered as `serde_json` answers it, whichever path
/// answers (`serde_json` ignores them too, so the guard that leaves it to the generic path
/// decides the path only: its mutants are equivalent, see docs/mutants.md).
#[test]
fn every_named_value_takes_the_fast_path() {
    let at = r#""at":"2026-03-02T09:00:00Z""#;
    let by = format!(r#""by":"{USER}""#);
    let mut texts = Vec::new();
    for channel in [
        "phone",
        "email",
        "self_service",
        "chat",
        "walk_in",
        "monitoring",
        "unspecified",
    ] {
        let text = formula("3").replace(r#"{"other":"fax"}"#, &format!(r#""{channel}""#));
        assert!(text.contains(channel), "{text}");
        texts.push(text);
    }
    for rounding in ["floor", "ceil", "half_away_from_zero"] {
        texts.push(formula("3").replace(r#""floor""#, &format!(r#""{rounding}""#)));
    }
    for kind in ["functional", "hierarchical"] {
        texts.push(format!(
            r#"{{"type":"escalated",{at},{by},"kind":"{kind}","level":2}}"#
        ));
    }
    for kind in ["problem", "change", "parent", "child", "follow_up_of"] {
        texts.push(format!(
            r#"{{"type":"linked",{at},{by},"link":{{"kind":"{kind}","id":"{USER}"}}}}"#
        ));
    }
    for text in &texts {
        assert!(agree(text), "{text}");
    }
    for extra in [r#","offset":1"#, r#","divisor":2"#, r#","rounding":"ceil""#] {
        let text = formula("3").replace(
            r#"{"kind":"formula","offset":3,"divisor":10,"rounding":"floor"}"#,
            &format!(r#"{{"kind":"cell"{extra}}}"#),
        );
        assert!(text.contains(r#""kind":"cell""#), "{text}");
        agree(&text);
    }
}

#[test]
fn what_the_fast_path_leaves_is_decided_by_the_generic_path() {
    for text in [
        work_started(r#","extra":1e400"#),
        work_started(r#","extra":"\udc00""#),
        work_started(r#","type":"work_started""#),
        work_started(r#","at":"2026-03-02T09:00:00Z""#),
        format!(r#"{{"at":"2026-03-02T09:00:00Z","type":"resumed","by":"{USER}","x":1e400}}"#),
        format!(r#"{{"at":"2026-03-02T09:00:00Z","type":"resumed","by":"{USER}","x":"\udc00"}}"#),
        format!(
            r#"{{"type":"resolved","by":"{USER}","at":"2026-03-02T09:00:00Z","code":"x","x":1e400}}"#
        ),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":{{"functional":null}},"level":1}}"#
        ),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":"functional","level":1.0}}"#
        ),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":"functional","level":-0}}"#
        ),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":"functional","level":256}}"#
        ),
        format!(r#"["work_started","2026-03-02T09:00:00Z","{USER}"]"#),
        format!(r#"{{"typ\u0065":"work_started","at":"2026-03-02T09:00:00Z","by":"{USER}"}}"#),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":"functional","level":01}}"#
        ),
        formula("-0"),
        formula("-32769"),
        formula("32768"),
        formula("007"),
        "{}".to_owned(),
        String::new(),
        "[".repeat(200),
        work_started(&format!(r#","x":{}{}"#, "[".repeat(200), "]".repeat(200))),
    ] {
        assert!(!agree(&text), "{text}");
    }
}

/// Any JSON value, as `serde_json::Value` reads it through the generic path's reader and
/// through `serde_json`: the same value (floats to the bit) or both an error. This checks
/// the reader on every token, beyond the shapes `Event` asks for.
fn same_value(text: &str) -> bool {
    use serde::Deserialize;
    let theirs = serde_json::from_str::<serde_json::Value>(text).ok();
    let mut reader = generic::Reader::new(text);
    let ours = serde_json::Value::deserialize(&mut reader)
        .ok()
        .filter(|_| reader.end().is_ok());
    // `Display` tells -0.0 from 0.0 and prints floats exactly enough to round trip.
    assert_eq!(
        ours.as_ref().map(ToString::to_string),
        theirs.as_ref().map(ToString::to_string),
        "on {text:?}"
    );
    theirs.is_some()
}

/// JSON texts built from tokens: numbers of every shape (long, with big exponents, at the
/// edges of `u64`, `i64` and `f64`), strings with escapes, nesting, and truncated.
fn json_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let number = prop_oneof![
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,12})?",
        "-?[0-9]{1,3}(\\.[0-9]{0,2})?([eE][+-]?)?",
        prop::sample::select(vec![
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "4.9e-324",
            "2.4e-324",
            "1e-400",
            "0e99999999999",
            "-0",
            "-0.0",
            "1e2147483647",
            "1e2147483648",
            "123456789012345678901234567890e-30",
        ])
        .prop_map(str::to_owned),
    ];
    let string = "\"([a-z \\\\u00e9]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}|\\\\u[dD][89abAB][0-9a-f]{2}\\\\u[dD][c-fC-F][0-9a-f]{2}|\\\\x)*\"";
    let leaf = prop_oneof![
        4 => number,
        2 => string,
        1 => prop::sample::select(vec!["null", "true", "false", "nul", "[]", "{}"]).prop_map(str::to_owned),
    ];
    let tree = leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec(("\"[a-z]{0,2}\"", inner), 0..5).prop_map(|entries| {
                let entries: Vec<String> = entries
                    .into_iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect();
                format!("{{{}}}", entries.join(","))
            }),
        ]
    });
    (tree, any::<u16>(), any::<bool>()).prop_map(|(text, cut, truncate)| {
        if truncate && !text.is_empty() {
            let mut at = usize::from(cut) % text.len();
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text[..at].to_owned()
        } else {
            text
        }
    })
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(2000))]

    #[test]
    fn the_reader_reads_any_json_as_serde_json_does(text in json_text()) {
        let _accepted = same_value(&text);
    }
}

#[test]
fn the_reader_reads_numbers_at_the_edges_as_serde_json_does() {
    for text in [
        "0",
        "-0",
        "-0.0",
        "1e308",
        "1e309",
        "-1e309",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "4.9e-324",
        "2.4e-324",
        "1e-400",
        "0e99999999999",
        "1e2147483647",
        "1e2147483648",
        "1e-2147483648",
        "1e-2147483649",
        "18446744073709551615",
        "18446744073709551616",
        "184467440737095516150",
        "-9223372036854775808",
        "-9223372036854775809",
        "0.1",
        "0.30000000000000004",
        "123456789012345678901234567890",
        "1.23456789012345678901234567890e-290",
        "01",
        "1.",
        ".5",
        "1e",
        "1e+",
        "-",
        "--1",
        "+1",
        "1.e5",
        "[1,]",
        "{\"a\":1,}",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud83d\\ude00\"",
        "\"\u{1}\"",
        "[\"\u{1f}\"]",
    ] {
        same_value(text);
    }
}

/// The generated texts are a real test: many are accepted, many refused.
#[test]
fn the_generated_json_reaches_both_answers() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = json_text();
    let accepted = (0..1000)
        .filter(|_| same_value(&strategy.new_tree(&mut runner).unwrap().current()))
        .count();
    assert!(
        (200..=800).contains(&accepted),
        "{accepted} of 1000 accepted"
    );
}

/// Malformed strings, literals and numbers, in fields the event reads and in one it skips:
/// the generic path refuses each as `serde_json` does and stops at the byte `serde_json`
/// names, found from `serde_json`'s own error: its column (1-based, one line) is the byte it
/// consumed last, which is where the generic path stands after it; for what it finds by
/// peeking (a digit after a leading zero, a stray character in an array) the byte it peeked,
/// one after where the generic path stands.
#[test]
fn malformed_tokens_stop_where_serde_json_does() {
    let base = format!(r#"{{"type":"resolved","by":"{USER}","at":"2026-03-02T09:00:00Z","code":"#);
    let consumed = [
        ("\"a\u{1}b\"}", "control character in a string"),
        ("\"ab\\n\u{1}\"}", "control character in a string"),
        ("\"a\tb\u{1}c\"}", "control character in a string"),
        ("\"a\\qb\"}", "invalid escape"),
        ("\"a\\u00e9\\x\"}", "invalid escape"),
        // In a field the event does not have, skipped unread.
        (
            "\"x\",\"zz\":\"a\\n\u{1}\"}",
            "control character in a string",
        ),
        ("\"x\",\"zz\":\"ab\\q\"}", "invalid escape"),
        ("\"x\",\"zz\":\"a\\u00e9\\q\"}", "invalid escape"),
        (
            "\"x\",\"zz\":\"a\\u00e9\\n\u{1}\"}",
            "control character in a string",
        ),
        ("\"x\",\"zz\":trux}", "unknown literal"),
        ("\"x\",\"zz\":nul}", "unknown literal"),
        ("\"x\",\"zz\":fals}", "unknown literal"),
    ];
    let peeked = [
        ("\"x\",\"zz\":01}", "invalid number"),
        ("\"x\"   ,  \"zz\":[1,2 x]}", "unexpected character"),
    ];
    // A field `work_started` does not have, after its tag: skipped unread, not buffered
    // (`resolved`'s fields above are buffered, so read as values). 0 or 1 as above.
    let skipped = [
        ("\"ab\\q\"", "invalid escape", 0),
        ("\"a\\u00e9\\x\"", "invalid escape", 0),
        ("\"a\\n\u{1}\"", "control character in a string", 0),
        ("{\"k\":\"ab\\q\"}", "invalid escape", 0),
        ("[\"a\\u00e9\\q\"]", "invalid escape", 0),
        ("trux", "unknown literal", 0),
        ("01", "invalid number", 1),
        // Brackets that do not pair, and values without their comma.
        ("{\"a\":1]", "unexpected character", 1),
        ("[1}", "unexpected character", 1),
        ("[1 2]", "unexpected character", 1),
        ("{\"a\":1 \"b\":2}", "unexpected character", 1),
        ("[[1] [2]]", "unexpected character", 1),
    ]
    .map(|(value, problem, after)| (work_started(&format!(",\"zz\":{value}")), problem, after));
    let base = &base;
    let read = [(&consumed[..], 0), (&peeked[..], 1)]
        .into_iter()
        .flat_map(|(tails, after)| {
            tails
                .iter()
                .map(move |(tail, problem)| (format!("{base}{tail}"), *problem, after))
        });
    for (text, problem, after) in read.chain(skipped) {
        let theirs = serde_json::from_str::<Event>(&text).expect_err(&text);
        let ours = generic::event(&text).expect_err(&text);
        assert_eq!(ours.problem, problem, "{text:?}");
        assert_eq!(ours.offset + after, theirs.column(), "{text:?}: {theirs}");
    }
}

/// Values of every shape in a field the event does not have are skipped as `serde_json`
/// skips them: numbers with fractions and exponents, nested arrays and objects (found by
/// mutation testing: a skipped fraction was never read).
#[test]
fn skipped_values_of_every_shape_are_accepted_as_serde_json_accepts_them() {
    for value in [
        "0",
        "-0",
        "1.5",
        "-0.25e3",
        "10E-2",
        "[]",
        "{}",
        "[1,{\"a\":[null,true,false]},\"x\"]",
        "{\"a\":{\"b\":[{}]},\"c\":-7}",
        "\"a\\\"b\"",
        "\"\\\\\"",
        "[\"\\/\\b\\f\\n\\r\\t\\u00e9\"]",
    ] {
        let text = work_started(&format!(",\"zz\":{value}"));
        agree(&text);
        assert!(generic::event(&text).is_ok(), "{text}");
    }
}

/// A broken skipped value says what its array or object wanted next, and where the input
/// ended inside one, which (found by mutation testing: the two could be swapped unseen).
#[test]
fn a_broken_skipped_value_names_what_its_bracket_wanted() {
    let open = work_started("");
    let open = open.strip_suffix('}').unwrap_or(&open);
    let cases = [
        (
            work_started(",\"zz\":[1 2]"),
            "unexpected character",
            "`,` or `]`",
        ),
        (
            work_started(",\"zz\":{\"a\":1 \"b\":2}"),
            "unexpected character",
            "`,` or `}`",
        ),
        (
            format!("{open},\"zz\":[1"),
            "end of input inside an array",
            "`,` or `]`",
        ),
        (
            format!("{open},\"zz\":{{\"a\":1"),
            "end of input inside an object",
            "`,` or `}`",
        ),
    ];
    for (text, problem, expected) in cases {
        assert!(serde_json::from_str::<Event>(&text).is_err(), "{text}");
        let ours = generic::event(&text).expect_err(&text);
        assert_eq!(
            (ours.problem.as_str(), ours.expected.as_str()),
            (problem, expected),
            "{text}"
        );
    }
}
