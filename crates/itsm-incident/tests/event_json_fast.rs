//! `Event::from_json` answers as `serde_json::from_str::<Event>` does, on every text: the
//! same event when `serde_json` accepts it, an error when it refuses it.
//!
//! The texts: events of every variant, written by `Serialize` and then mutated (keys
//! shuffled, whitespace, escaped characters, ids and instants in their other forms, unknown,
//! repeated and missing fields, nulls, numbers out of range or in float forms, structs as
//! arrays, enums as objects, deep nesting, truncation, trailing characters, raw control
//! characters, lone surrogates); hand-written cases for each corner; and every input saved
//! in the fuzz corpora.
#![cfg(feature = "serde")]
// Test code: a failed unwrap is a failed test, with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod json;

use std::sync::Arc;

use itsm_incident::{Event, Priority, StatusKind};
use json::{instant, plain_event, snapshot, text, user};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::Value;

/// Both decoders on `text`: the same event or both an error. Returns whether it decoded.
fn same_answer(text: &str) -> bool {
    let ours = Event::from_json(text);
    let theirs = serde_json::from_str::<Event>(text);
    assert_eq!(
        ours.as_ref().ok(),
        theirs.as_ref().ok(),
        "\ntext: {text:?}\nours: {ours:?}\nserde_json: {theirs:?}"
    );
    if let Err(error) = &ours {
        assert!(error.offset <= text.len(), "{error:?} on {text:?}");
        assert!(
            !error.problem.is_empty() && !error.expected.is_empty(),
            "{error:?}"
        );
    }
    ours.is_ok()
}

// Every variant.

/// Which variant an event is, by a match without a wildcard: a new variant does not compile
/// here until it is added, with its strategy below.
fn variant_number(event: &Event) -> usize {
    match event {
        Event::Reported { .. } => 0,
        Event::Imported { .. } => 1,
        Event::Assigned { .. } => 2,
        Event::WorkStarted { .. } => 3,
        Event::PutOnHold { .. } => 4,
        Event::CallerResponded { .. } => 5,
        Event::Resumed { .. } => 6,
        Event::Reprioritized { .. } => 7,
        Event::Escalated { .. } => 8,
        Event::MajorDeclared { .. } => 9,
        Event::MajorStoodDown { .. } => 10,
        Event::Linked { .. } => 11,
        Event::Resolved { .. } => 12,
        Event::Reopened { .. } => 13,
        Event::Closed { .. } => 14,
        Event::Canceled { .. } => 15,
        Event::Unassigned { .. } => 16,
        Event::Entered { .. } => 17,
        Event::MajorProposed { .. } => 18,
        Event::MajorRejected { .. } => 19,
    }
}

const VARIANTS: usize = 20;

fn status_kind() -> impl Strategy<Value = StatusKind> {
    let kinds: Vec<StatusKind> = std::iter::once(StatusKind::Unreported)
        .chain(StatusKind::ALL)
        .collect();
    proptest::sample::select(kinds)
}

/// Any event, of every variant (`json::plain_event` gives those without a snapshot or a
/// workflow state).
fn any_event() -> BoxedStrategy<Event> {
    let imported =
        (snapshot(), instant(), user(), any::<u8>()).prop_map(|(snapshot, at, by, priority)| {
            Event::Imported {
                at,
                by,
                snapshot: Box::new(snapshot),
                priority: Priority(priority),
            }
        });
    let unassigned = (instant(), user()).prop_map(|(at, by)| Event::Unassigned { at, by });
    let entered = (instant(), user(), text(), status_kind()).prop_map(|(at, by, state, kind)| {
        Event::Entered {
            at,
            by,
            state: Arc::from(state),
            kind,
        }
    });
    prop_oneof![15 => plain_event(), 1 => imported, 1 => unassigned, 1 => entered].boxed()
}

// JSON as text, written our way and mutated.

/// A JSON value as it will be written: `Raw` is written as it stands (numbers in any form,
/// strings with chosen escapes, broken tokens).
#[derive(Debug, Clone)]
enum J {
    Raw(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn from_value(value: &Value) -> J {
        match value {
            Value::Null => J::Raw("null".into()),
            Value::Bool(b) => J::Raw(b.to_string()),
            Value::Number(n) => J::Raw(n.to_string()),
            Value::String(s) => J::Str(s.clone()),
            Value::Array(items) => J::Arr(items.iter().map(J::from_value).collect()),
            Value::Object(map) => J::Obj(
                map.iter()
                    .map(|(k, v)| (k.clone(), J::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// The number of values in the tree (this one included).
    fn count(&self) -> usize {
        1 + match self {
            J::Raw(_) | J::Str(_) => 0,
            J::Arr(items) => items.iter().map(J::count).sum(),
            J::Obj(entries) => entries.iter().map(|(_, v)| v.count()).sum(),
        }
    }

    /// The `n`-th value of the tree in pre-order (0 is this one).
    fn nth(&mut self, n: usize) -> Option<&mut J> {
        if n == 0 {
            return Some(self);
        }
        let mut n = n - 1;
        let children: Vec<&mut J> = match self {
            J::Raw(_) | J::Str(_) => return None,
            J::Arr(items) => items.iter_mut().collect(),
            J::Obj(entries) => entries.iter_mut().map(|(_, v)| v).collect(),
        };
        for child in children {
            let size = child.count();
            if n < size {
                return child.nth(n);
            }
            n -= size;
        }
        None
    }
}

/// A xorshift generator: the mutations are a function of the seed proptest gives.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap()
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.next() % n == 0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// How a text is written: how much whitespace, how many characters escaped.
struct Style {
    rng: Rng,
    spaces: u64,
    escapes: u64,
}

impl Style {
    fn space(&mut self, out: &mut String) {
        if self.spaces > 0 && self.rng.one_in(self.spaces) {
            out.push_str(self.rng.pick(&[" ", "\n", "\t", "\r\n", "  \t "]));
        }
    }

    fn string(&mut self, s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            let escape = self.escapes > 0 && self.rng.one_in(self.escapes);
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' if !escape => out.push_str("\\n"),
                '\t' if !escape => out.push_str("\\t"),
                '/' if escape => out.push_str("\\/"),
                c if u32::from(c) < 0x20 || escape => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        if self.rng.one_in(2) {
                            out.push_str(&format!("\\u{unit:04x}"));
                        } else {
                            out.push_str(&format!("\\u{unit:04X}"));
                        }
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    fn write(&mut self, value: &J, out: &mut String) {
        self.space(out);
        match value {
            J::Raw(raw) => out.push_str(raw),
            J::Str(s) => self.string(s, out),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.write(item, out);
                }
                self.space(out);
                out.push(']');
            }
            J::Obj(entries) => {
                out.push('{');
                for (i, (key, item)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.space(out);
                    self.string(key, out);
                    self.space(out);
                    out.push(':');
                    self.write(item, out);
                }
                self.space(out);
                out.push('}');
            }
        }
        self.space(out);
    }
}

/// Values to put in place of another, or beside it: every JSON kind, numbers at the edges
/// of the integer types and in every form `serde_json` reads differently.
const ODD_VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "1",
    "-0",
    "-1",
    "255",
    "256",
    "32767",
    "32768",
    "-32768",
    "-32769",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "1.0",
    "1e2",
    "1E2",
    "0.5",
    "-0.0",
    "1e400",
    "-1e400",
    "1e-400",
    "0e999999999999",
    "01",
    "00",
    "1.",
    ".5",
    "+1",
    "1e",
    "--1",
    "NaN",
    "nul",
    "tru",
    "\"\"",
    "\"x\"",
    "\"\\ud800\"",
    "\"\\udc00\"",
    "\"\\ud800\\u0041\"",
    "\"\\ud83d\\ude00\"",
    "\"\\x\"",
    "\"\\u12\"",
    "\"\t\"",
    "[]",
    "{}",
    "[1,2,3]",
    "{\"a\":1}",
    "[null]",
    "{\"a\":}",
    "[1,]",
    "{,}",
    "\"functional\"",
    "\"phone\"",
    "{\"phone\":null}",
    "{\"other\":\"x\"}",
    "{\"other\":\"x\",\"other\":\"y\"}",
    "\"2026-03-02T09:00:00Z\"",
    "\"2026-03-02T09:00:00+01:00\"",
    "\"2026-02-30T09:00:00Z\"",
    "\"00000000-0000-0000-0000-000000000001\"",
    "\"00000000000000000000000000000001\"",
    "\"{00000000-0000-0000-0000-000000000001}\"",
    "\"cell\"",
    "\"floor\"",
];

/// Numbers at the edges of `u8`, `i16` and `u32`, and in the forms `serde_json` reads as
/// floats.
const ODD_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "255",
    "256",
    "32767",
    "32768",
    "-32768",
    "-32769",
    "65535",
    "4294967295",
    "4294967296",
    "1.0",
    "1e0",
    "2E1",
    "-0.0",
    "01",
    "1e400",
    "00",
    "18446744073709551616",
    "-9223372036854775809",
];

/// Another form of the same id or instant, when `text` is one: `uuid` and chrono read
/// several.
fn other_form(text: &str, rng: &mut Rng) -> Option<String> {
    if let Ok(id) = uuid::Uuid::parse_str(text) {
        let form = match rng.below(5) {
            0 => id.simple().to_string(),
            1 => id.braced().to_string(),
            2 => id.urn().to_string(),
            3 => id.hyphenated().to_string().to_uppercase(),
            _ => id.hyphenated().to_string(),
        };
        return Some(form);
    }
    if let Ok(at) = text.parse::<chrono::DateTime<chrono::FixedOffset>>() {
        let offset = chrono::FixedOffset::east_opt(
            rng.pick(&["3600", "-19800", "0", "50400"]).parse().unwrap(),
        )?;
        let form = match rng.below(5) {
            0 => at.with_timezone(&offset).to_rfc3339(),
            1 => at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
            2 => text.replace('T', " ").replace('Z', "z"),
            3 => text.replace('T', "t"),
            _ => text.replace('Z', "+00:00"),
        };
        return Some(form);
    }
    None
}

/// Mutates one value of the tree.
fn mutate(root: &mut J, rng: &mut Rng) {
    let n = rng.below(root.count());
    let Some(node) = root.nth(n) else { return };
    match rng.below(12) {
        // Replace by an odd value.
        0 | 1 => {
            let numeric = matches!(node, J::Raw(raw) if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()));
            let values = if numeric && !rng.one_in(4) {
                ODD_NUMBERS
            } else {
                ODD_VALUES
            };
            *node = J::Raw(rng.pick(values).to_owned());
        }
        // An unknown field, or an odd value beside the others.
        2 => {
            if let J::Obj(entries) = node {
                let key = rng.pick(&["zzz", "type", "kind", "at", "", "\u{e9}", "code"]);
                let at = rng.below(entries.len() + 1);
                entries.insert(
                    at,
                    (key.to_owned(), J::Raw(rng.pick(ODD_VALUES).to_owned())),
                );
            }
        }
        // Repeat an entry, with its value or another.
        3 => {
            if let J::Obj(entries) = node {
                if !entries.is_empty() {
                    let (key, value) = entries[rng.below(entries.len())].clone();
                    let value = if rng.one_in(2) {
                        value
                    } else {
                        J::Raw(rng.pick(ODD_VALUES).to_owned())
                    };
                    let at = rng.below(entries.len() + 1);
                    entries.insert(at, (key, value));
                }
            }
        }
        // Drop an entry or an element.
        4 => match node {
            J::Obj(entries) if !entries.is_empty() => {
                entries.remove(rng.below(entries.len()));
            }
            J::Arr(items) if !items.is_empty() => {
                items.remove(rng.below(items.len()));
            }
            _ => {}
        },
        // Shuffle the keys.
        5 => {
            if let J::Obj(entries) = node {
                for i in (1..entries.len()).rev() {
                    entries.swap(i, rng.below(i + 1));
                }
            }
        }
        // A struct as an array of its values; a string as an enum's object form.
        6 => match node {
            J::Obj(entries) => {
                *node = J::Arr(entries.iter().map(|(_, v)| v.clone()).collect());
            }
            J::Str(s) => {
                let value = J::Raw(rng.pick(&["null", "\"x\"", "1", "{}"]).to_owned());
                *node = J::Obj(vec![(s.clone(), value)]);
            }
            _ => {}
        },
        // Another form of an id or an instant; another name for a tag or an enum.
        7 | 8 => {
            if let J::Str(s) = node {
                if let Some(form) = other_form(s, rng) {
                    *s = form;
                } else {
                    *s = match rng.below(4) {
                        0 => s.to_uppercase(),
                        1 => format!("{s} "),
                        2 => rng
                            .pick(&["entered", "unassigned", "imported", "cell", "other"])
                            .to_owned(),
                        _ => s.chars().rev().collect(),
                    };
                }
            }
        }
        // Escapes written by hand: surrogates (paired or not), every short escape.
        9 => {
            if let J::Str(s) = node {
                let escape = rng.pick(&[
                    "\\ud83d\\ude00",
                    "\\ud800",
                    "\\udfff",
                    "\\ud800\\ud800",
                    "\\ud800x",
                    "\\ud800\\n",
                    "\\u00e9",
                    "\\u0000",
                    "\\b\\f\\n\\r\\t\\/\\\\\\\"",
                    "\\u",
                    "\\uD834\\uDD1E",
                    "\\q",
                ]);
                let mut quoted = serde_json::to_string(s).unwrap();
                let at = 1 + rng.below(quoted.len() - 1);
                if quoted.is_char_boundary(at) {
                    quoted.insert_str(at, escape);
                }
                *node = J::Raw(quoted);
            }
        }
        // Deep nesting, around the limit of 128 levels.
        10 => {
            let depth = 120 + rng.below(16);
            let open = if rng.one_in(2) { "[" } else { "{\"a\":" };
            let close = if open == "[" { "]" } else { "}" };
            let nested = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            if let J::Obj(entries) = node {
                entries.push(("deep".to_owned(), J::Raw(nested)));
            } else {
                *node = J::Raw(nested);
            }
        }
        // Nothing: the text-level mutations and the style do the rest.
        _ => {}
    }
}

/// The text, written in a style chosen by the seed, with text-level mutations.
fn mutated_text(event: &Event, seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut tree = J::from_value(&serde_json::to_value(event).unwrap());
    for _ in 0..rng.below(4) {
        mutate(&mut tree, &mut rng);
    }
    let spaces = [0, 0, 2, 5, 20][rng.below(5)];
    let escapes = [0, 0, 3, 10][rng.below(4)];
    let mut style = Style {
        rng: Rng(rng.next() | 1),
        spaces,
        escapes,
    };
    let mut text = String::new();
    style.write(&tree, &mut text);
    match rng.below(10) {
        // Cut short.
        0 => {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        // Something after the value.
        1 => text.push_str(rng.pick(&[" ", "\n", "x", "}", "{}", ",", "\u{0}", " null"])),
        // A raw control character or another byte somewhere.
        2 => {
            let at = rng.below(text.len() + 1);
            if text.is_char_boundary(at) {
                text.insert(
                    at,
                    ['\u{1}', '\u{1f}', '\t', '\u{7f}', '"', '\\', ','][rng.below(7)],
                );
            }
        }
        _ => {}
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any event, written as `Serialize` writes it, decodes to itself.
    #[test]
    fn written_events_decode_to_themselves(event in any_event()) {
        let text = serde_json::to_string(&event).unwrap();
        prop_assert_eq!(Event::from_json(&text), Ok(event));
    }

    /// Any event, written in any style and mutated, decodes as `serde_json` decodes it.
    #[test]
    fn mutated_events_decode_as_serde_json_decodes_them(event in any_event(), seed in any::<u64>()) {
        same_answer(&mutated_text(&event, seed));
    }
}

/// The mutated texts are a real test: most variants are both accepted and refused, by both
/// decoders, over a fixed sample; and every variant is generated.
#[test]
fn the_mutations_reach_both_answers_for_every_variant() {
    let mut runner = TestRunner::deterministic();
    let strategy = any_event();
    let mut accepted = [0usize; VARIANTS];
    let mut refused = [0usize; VARIANTS];
    for round in 0..4000u64 {
        let event = strategy.new_tree(&mut runner).unwrap().current();
        let variant = variant_number(&event);
        let text = mutated_text(&event, round.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        if same_answer(&text) {
            accepted[variant] += 1;
        } else {
            refused[variant] += 1;
        }
    }
    for variant in 0..VARIANTS {
        assert!(
            accepted[variant] > 0 && refused[variant] > 0,
            "variant {variant}: {} accepted, {} refused",
            accepted[variant],
            refused[variant]
        );
    }
    let (yes, no): (usize, usize) = (accepted.iter().sum(), refused.iter().sum());
    assert!(yes > 1000 && no > 1000, "{yes} accepted, {no} refused");
}

// Corners written by hand.

const USER: &str = "00000000-0000-0000-0000-000000030001";

fn head() -> String {
    format!(r#""at":"2026-03-02T09:00:00Z","by":"{USER}""#)
}

/// A `reprioritized` event whose rule is a formula with these offset and divisor.
fn formula(offset: &str, divisor: &str) -> String {
    format!(
        r#"{{"type":"reprioritized",{},"impact":1,"urgency":1,"priority":1,"explanation":{{"matrix":"m","impact":{{"value":1,"label":"a"}},"urgency":{{"value":1,"label":"b"}},"priority":{{"value":1,"label":"c"}},"rule":{{"kind":"formula","offset":{offset},"divisor":{divisor},"rounding":"floor"}}}}}}"#,
        head()
    )
}

/// Every variant in its canonical form, plus each corner around it.
#[test]
fn corners_decode_as_serde_json_decodes_them() {
    let head = head();
    let explanation = r#"{"matrix":"servicenow","impact":{"value":2,"label":"Medium"},"urgency":{"value":3,"label":"Low"},"priority":{"value":4,"label":"Low"},"rule":{"kind":"cell"}}"#;
    let accepted = [
        format!(
            r#"{{"type":"reported",{head},"report":{{"id":"{USER}","caller":"{USER}","channel":"phone","category":"network","configuration_item":null,"service":null,"impact":2,"urgency":3,"description":"VPN"}},"priority":4,"explanation":{explanation}}}"#
        ),
        // Missing options, a channel by name, a formula rule with its tag last.
        format!(
            r#"{{"type":"reported",{head},"report":{{"id":"{USER}","caller":"{USER}","channel":{{"other":"fax"}},"impact":2,"urgency":3,"description":"VPN"}},"priority":4,"explanation":{{"matrix":"m","impact":{{"value":2,"label":"M"}},"urgency":{{"value":3,"label":"L"}},"priority":{{"value":4,"label":"L"}},"rule":{{"offset":-32768,"divisor":255,"rounding":"half_away_from_zero","kind":"formula"}}}}}}"#
        ),
        format!(r#"{{"type":"assigned",{head},"group":"{USER}","reassignment":false}}"#),
        format!(r#"{{"type":"put_on_hold",{head},"reason":"awaiting_caller","comment":"x"}}"#),
        format!(r#"{{"type":"put_on_hold",{head},"reason":"vendor's own","comment":null}}"#),
        format!(r#"{{"type":"caller_responded",{head}}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":"hierarchical","level":255}}"#),
        format!(r#"{{"type":"linked",{head},"link":{{"id":"{USER}","kind":"child"}}}}"#),
        format!(r#"{{"type":"resolved",{head},"code":"fixed"}}"#),
        format!(r#"{{"notes":"n","type":"resolved",{head},"code":"fixed"}}"#),
        format!(r#"{{"type":"reopened",{head},"reason":"again","by_support":true}}"#),
        format!(r#"{{"type":"closed",{head},"auto":false}}"#),
        format!(r#"{{"type":"unassigned",{head}}}"#),
        format!(r#"{{"type":"entered",{head},"state":"assigned","kind":"in_progress"}}"#),
        format!(r#"{{"type":"entered",{head},"state":"","kind":"unreported"}}"#),
        // Whitespace everywhere, escapes in values, the tag in the middle.
        format!(" \n{{ \"at\" : \"2026-03-02T09:00:00Z\" ,\t\"type\"\r: \"major_declared\" , \"by\":\"{USER}\", \"reason\" : \"a\\\"b\\u00e9\\ud83d\\ude00\\/\" }}\n\t"),
        // Ids and instants in their other forms.
        format!(r#"{{"type":"resumed","at":"2026-03-02t10:00:00.123+01:00","by":"urn:uuid:{USER}"}}"#),
        r#"{"type":"resumed","at":"2016-12-31T23:59:60Z","by":"{00000000-0000-0000-0000-000000030001}"}"#.to_owned(),
        r#"{"type":"resumed","at":"2026-03-02 09:00:00Z","by":"000000000000000000000000000300A1"}"#.to_owned(),
        // Unknown fields, even odd ones, beside the tag first (serde skips them unread).
        format!(r#"{{"type":"resumed",{head},"x":1e400,"y":"\udc00","z":{}1{}}}"#, "[".repeat(300), "]".repeat(300)),
        // Numbers serde_json reads as floats, in range, where the tag is not first (then
        // unknown values are read, not skipped).
        format!(r#"{{{head},"x":0e99999999999,"y":1e-99999999999,"z":1.7976931348623157e308,"type":"resumed"}}"#),
        format!(r#"{{{head},"x":123456789012345678901234567890,"y":-0.0000000000000000000001e-300,"type":"resumed"}}"#),
        // Controls escaped, in skipped and read values alike.
        format!(r#"{{"type":"resumed",{head},"x":"\u0001\u001f"}}"#),
        format!(r#"{{{head},"x":"\u0001\u001f","type":"resumed"}}"#),
        // A struct as an array, an enum as an object.
        format!(r#"["resumed","2026-03-02T09:00:00Z","{USER}"]"#),
        format!(r#"{{"type":"escalated",{head},"kind":{{"functional":null}},"level":1}}"#),
        formula("32767", "0"),
        formula("-32768", "255"),
        formula("-1", "1"),
        format!(r#"{{"type":"reprioritized",{head},"impact":1,"urgency":1,"priority":1,"explanation":{{"matrix":"m","impact":[1,"a"],"urgency":{{"value":1,"label":"b"}},"priority":[1,"c"],"rule":{{"kind":"cell","extra":1}}}}}}"#),
    ];
    for text in &accepted {
        assert!(same_answer(text), "refused: {text}");
    }
    let refused = [
        String::new(),
        " ".to_owned(),
        "{}".to_owned(),
        "[]".to_owned(),
        "null".to_owned(),
        format!(r#"{{"type":"resumed",{head}}} x"#),
        format!(r#"{{"type":"resumed",{head},}}"#),
        format!(r#"{{"type":"resumed",{head}"#),
        format!(r#"{{"type":"resumed","type":"resumed",{head}}}"#),
        format!(r#"{{{head},"type":"resumed","type":"resumed"}}"#),
        format!(r#"{{"type":"resumed",{head},"at":"2026-03-02T09:00:00Z"}}"#),
        format!(r#"{{"type":"resolved",{head},"code":"x","code":"y"}}"#),
        format!(r#"{{"type":"resolved",{head},"code":"x","notes":null}}"#),
        format!(r#"{{"type":"closed",{head},"auto":1}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":"functional","level":256}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":"functional","level":-0}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":"functional","level":1.0}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":"functional","level":01}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":"functional","level":1e0}}"#),
        format!(r#"{{"type":"escalated",{head},"kind":{{"functional":null,"x":1}},"level":1}}"#),
        // Buffered (the tag not first): unknown values are read, so these fail.
        format!(r#"{{{head},"x":1e400,"type":"resumed"}}"#),
        format!(r#"{{{head},"x":"\udc00","type":"resumed"}}"#),
        format!(
            r#"{{{head},"x":{}1{},"type":"resumed"}}"#,
            "[".repeat(130),
            "]".repeat(130)
        ),
        format!(r#"{{"type":"resolved",{head},"code":"x","x":1e400}}"#),
        // Numbers out of the floats' range, where values are read.
        format!(r#"{{{head},"x":1e99999999999,"type":"resumed"}}"#),
        format!(r#"{{{head},"x":-1e309,"type":"resumed"}}"#),
        format!(
            r#"{{{head},"x":1797693134862315800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000,"type":"resumed"}}"#
        ),
        // Raw control characters in skipped values too.
        format!("{{\"type\":\"resumed\",{head},\"x\":\"a\u{1}b\"}}"),
        format!("{{\"type\":\"resumed\",{head},\"x\":[\"\u{1f}\"]}}"),
        // Raw control characters and lone surrogates in values.
        format!("{{\"type\":\"canceled\",{head},\"reason\":\"a\u{1}b\"}}"),
        format!(r#"{{"type":"canceled",{head},"reason":"\ud800"}}"#),
        format!(r#"{{"type":"canceled",{head},"reason":"\ud800\u0041"}}"#),
        format!(r#"{{"type":"canceled",{head},"reason":"\udc00"}}"#),
        format!(r#"{{"type":"canceled",{head},"reason":"\x"}}"#),
        // A level with an unknown field (deny_unknown_fields), a rule without its tag.
        format!(
            r#"{{"type":"reprioritized",{head},"impact":1,"urgency":1,"priority":1,"explanation":{{"matrix":"m","impact":{{"value":1,"label":"a","x":0}},"urgency":{{"value":1,"label":"b"}},"priority":{{"value":1,"label":"c"}},"rule":{{"kind":"cell"}}}}}}"#
        ),
        format!(
            r#"{{"type":"reprioritized",{head},"impact":1,"urgency":1,"priority":1,"explanation":{{"matrix":"m","impact":{{"value":1,"label":"a"}},"urgency":{{"value":1,"label":"b"}},"priority":{{"value":1,"label":"c"}},"rule":{{"offset":1}}}}}}"#
        ),
        format!(r#"{{"type":"entered",{head},"state":"x","kind":"pending"}}"#),
        formula("-0", "1"),
        formula("32768", "1"),
        formula("-32769", "1"),
        formula("1", "-0"),
        formula("1", "256"),
        formula("1.0", "1"),
        formula("1", "1e0"),
        format!(r#"{{"type":"exploded",{head}}}"#),
        format!(r#"{{"type":"Resumed",{head}}}"#),
        // Nesting: 128 levels are refused as serde_json refuses them.
        format!("{}{}", "[".repeat(128), "]".repeat(128)),
    ];
    for text in &refused {
        assert!(!same_answer(text), "accepted: {text}");
    }
}

/// The recursion stops at `serde_json`'s nesting limit: a million levels, in a value
/// skipped (`serde_json` accepts them there: it skips without a nesting limit), in a value
/// read (refused past 127 levels), at the top and before the tag (where the tag is searched
/// for), decode as `serde_json` decodes them, on a thread with a 1 MiB stack (the 127 levels
/// that buffered values may reach take a few hundred KiB in a debug build; a million would
/// take gigabytes).
#[test]
fn deep_nesting_decodes_without_deep_recursion() {
    let head = head();
    let deep =
        |open: &str, close: &str| format!("{}1{}", open.repeat(1_000_000), close.repeat(1_000_000));
    let (arrays, objects) = (deep("[", "]"), deep("{\"a\":", "}"));
    let texts = Arc::new(vec![
        (format!(r#"{{"type":"resumed",{head},"x":{arrays}}}"#), true),
        (
            format!(r#"{{"type":"resumed",{head},"x":{objects}}}"#),
            true,
        ),
        (
            format!(r#"{{{head},"x":{arrays},"type":"resumed"}}"#),
            false,
        ),
        (
            format!(r#"{{"x":{objects},{head},"type":"resumed"}}"#),
            false,
        ),
        (
            format!(r#"{{"type":"resolved",{head},"code":"c","x":{arrays}}}"#),
            false,
        ),
        (
            format!(r#"{{"type":"resumed",{head},"x":{}"#, "[".repeat(1_000_000)),
            false,
        ),
        (arrays, false),
        (objects, false),
    ]);
    let shared = Arc::clone(&texts);
    let ours: Vec<bool> = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            shared
                .iter()
                .map(|(text, _)| Event::from_json(text).is_ok())
                .collect()
        })
        .unwrap()
        .join()
        .unwrap();
    for ((text, accepted), ours) in texts.iter().zip(ours) {
        // serde_json on the test's own thread, with its larger stack.
        let theirs = serde_json::from_str::<Event>(text).is_ok();
        assert_eq!((ours, theirs), (*accepted, *accepted), "{}", &text[..80]);
    }
}

/// The error says what was wrong, where, and what was expected.
#[test]
fn errors_say_what_where_and_what_was_expected() {
    let error = Event::from_json(&format!(r#"{{"type":"resolved",{}}}"#, head())).unwrap_err();
    assert_eq!(error.problem, "missing field `code`");
    assert_eq!(error.expected, "field `code`");
    let text = format!(r#"{{"type":"resumed",{}}} x"#, head());
    let error = Event::from_json(&text).unwrap_err();
    assert_eq!(
        (error.offset, error.problem.as_str()),
        (text.len() - 1, "text after the value")
    );
    let error = Event::from_json(r#"{"type":"resumed","at":"2026-02-30T09:00:00Z"}"#).unwrap_err();
    assert_eq!(error.problem, "input is out of range");
    assert_eq!(error.expected, "an RFC 3339 formatted date and time string");
    let error = Event::from_json(r#"{"type":"exploded"}"#).unwrap_err();
    assert!(
        error.expected.starts_with("one of `reported`, `imported`"),
        "{error}"
    );
}

// The fuzz corpora.

/// Every input saved in every fuzz corpus (as text when it is UTF-8; and each JSON value in
/// it, and each object inside that, written out again) decodes as `serde_json` decodes it.
#[test]
fn fuzz_corpora_decode_as_serde_json_decodes_them() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus");
    let (mut texts, mut events) = (0, 0);
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let Ok(text) = String::from_utf8(std::fs::read(&file).unwrap()) else {
                continue;
            };
            texts += 1;
            events += usize::from(same_answer(&text));
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let mut stack = vec![value];
            while let Some(value) = stack.pop() {
                if value.is_object() {
                    texts += 1;
                    events += usize::from(same_answer(&value.to_string()));
                }
                match value {
                    Value::Array(items) => stack.extend(items),
                    Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
                    _ => {}
                }
            }
        }
    }
    assert!(
        texts > 1000 && events > 20,
        "{texts} texts, {events} events"
    );
}
