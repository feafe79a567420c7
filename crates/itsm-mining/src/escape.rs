//! Escaping text for the JSON and XML the writers produce.
//!
//! ```
//! use itsm_mining::escape::{json_string, xml_text};
//!
//! assert_eq!(json_string("a \"b\"\n"), r#""a \"b\"\n""#);
//! assert_eq!(xml_text("<a & 'b'>\u{0}"), "&lt;a &amp; &apos;b&apos;&gt;\u{FFFD}");
//! ```

use std::fmt::Write as _;

/// `text` as a JSON string literal, quotes included: `"` and `\` escaped, control characters
/// (U+0000 to U+001F) as `\n`, `\r`, `\t` or `\u00XX`. Every Rust string is valid Unicode,
/// so the result always parses back to `text`.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_json_string(&mut out, text);
    out
}

/// Appends [`json_string`] of `text` to `out`.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether XML 1.0 may carry `c` at all (its `Char` production): tab, line feed, carriage
/// return, and U+0020 upwards except U+FFFE and U+FFFF. Others cannot be written even as a
/// character reference.
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// `text` escaped for XML 1.0 text and attribute values (both quote styles): `&`, `<`,
/// `>`, `"` and `'` as entities; tab, line feed and carriage return as character references
/// (an attribute value would otherwise have them normalised to spaces by the reader); each
/// character XML 1.0 cannot carry at all (the other controls below U+0020, U+FFFE, U+FFFF)
/// replaced by U+FFFD, the replacement character. That last step is the only loss.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml_text(&mut out, text);
    out
}

/// Appends [`xml_text`] of `text` to `out`.
pub(crate) fn push_xml_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if xml_allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_quotes_backslashes_and_controls() {
        assert_eq!(json_string(""), "\"\"");
        assert_eq!(json_string("\\"), "\"\\\\\"");
        assert_eq!(json_string("\u{1}\u{1f}\u{7f}"), "\"\\u0001\\u001f\u{7f}\"");
        assert_eq!(json_string("é😀"), "\"é😀\"");
    }

    #[test]
    fn xml_replaces_what_it_cannot_carry() {
        assert_eq!(
            xml_text("\u{8}\u{FFFE}\u{FFFF}"),
            "\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(xml_text("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
        assert_eq!(xml_text("]]>"), "]]&gt;");
        assert_eq!(xml_text("\u{85}é"), "\u{85}é");
    }
}
