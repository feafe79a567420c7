//! Shared test helpers: hostile strings, a tiny XML reader for our own output, and
//! lifecycle generators.
#![allow(
    dead_code,
    clippy::expect_used,
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

use chrono::{DateTime, TimeZone, Utc};

/// Strings that break naive writers: quotes, markup, ampersands, controls, Unicode.
pub const HOSTILE: [&str; 10] = [
    "a\"b",
    "<script>&amp;</script>",
    "it's",
    "tab\there\nline\rcr",
    "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}",
    "\\\"\\",
    "]]><!--",
    "\u{FFFE}\u{FFFF}",
    "é 😀 \u{85} \u{2028}",
    "{\"json\": [1, 2]}",
];

pub fn t(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, hour % 24, 0, 0).unwrap()
}

/// What XML 1.0 keeps of `s`: characters it cannot carry become U+FFFD.
pub fn xml_kept(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}') {
                c
            } else {
                '\u{FFFD}'
            }
        })
        .collect()
}

/// Decodes the five entities and decimal character references: enough for our writers'
/// output, and strict (panics on anything else after `&`).
pub fn xml_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').expect("an entity ends with ;") + i;
        let entity = &rest[i + 1..end];
        match entity {
            "amp" => out.push('&'),
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "quot" => out.push('"'),
            "apos" => out.push('\''),
            e if e.starts_with('#') => {
                out.push(char::from_u32(e[1..].parse().expect("decimal")).expect("a char"))
            }
            e => panic!("unknown entity {e}"),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every value of `key="..."` attributes in `xml`, unescaped, in document order.
pub fn attribute_values(xml: &str, key: &str) -> Vec<String> {
    let needle = format!("{key}=\"");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&needle) {
        let start = i + needle.len();
        let end = rest[start..].find('"').expect("a closing quote") + start;
        out.push(xml_unescape(&rest[start..end]));
        rest = &rest[end + 1..];
    }
    out
}

/// Checks that `xml` has no raw character XML cannot carry, no `<` or `&` inside attribute
/// values, and balanced elements (a rough well-formedness check of our own output).
pub fn assert_well_formed(xml: &str) {
    for c in xml.chars() {
        assert!(
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'),
            "raw {c:?} in XML"
        );
    }
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').expect("a tag ends") + i;
        let tag = &rest[i + 1..end];
        assert!(!tag.contains('<'), "`<` inside tag {tag}");
        // Attribute values: quotes balanced, no raw `&` except entities.
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in {tag}"
        );
        if tag.starts_with('?') {
        } else if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or("").to_owned();
            stack.push(name);
        }
        // Text between tags decodes (panics on a stray `&`).
        let next = rest[end + 1..]
            .find('<')
            .map_or(rest.len(), |j| j + end + 1);
        xml_unescape(&rest[end + 1..next]);
        // Every attribute value decodes (panics on a stray `&`).
        attribute_values(tag, "");
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed elements {stack:?}");
}
