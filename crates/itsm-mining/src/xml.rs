//! A small, iterative, non-validating XML 1.0 tokenizer: just what reading XES needs.
//!
//! It yields start and end tags with their attributes (entity and character references
//! decoded, attribute values normalised as XML 1.0 says: each tab, line feed and carriage
//! return, or carriage return and line feed pair, becomes one space); it skips the XML
//! declaration, processing instructions, comments, CDATA sections, text and a document type
//! declaration without an internal subset. It refuses what it cannot read faithfully: an
//! internal subset (entities declared there would be unknown), an unknown entity, a
//! character XML 1.0 does not allow (raw or as a reference) in an attribute value, a tag
//! left open or closed twice, a repeated attribute. No recursion: nesting depth is a `Vec`.

use std::borrow::Cow;

/// A start tag (`empty` for `<a/>`) or an end tag; the end of a `<a/>` is not repeated.
#[derive(Debug, PartialEq)]
pub(crate) enum Token<'a> {
    /// `<name attributes>` or `<name attributes/>`.
    Start {
        /// The name, prefix included.
        name: &'a str,
        /// The attributes in document order, values decoded.
        attributes: Vec<(&'a str, Cow<'a, str>)>,
        /// Whether the tag closed itself (`/>`).
        empty: bool,
    },
    /// `</name>`.
    End,
}

/// Why the text is not XML the tokenizer reads, and the line (1-based) where it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub(crate) line: usize,
    pub(crate) reason: String,
}

pub(crate) struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
    /// The line of `pos` (1-based), counted as the text is passed.
    line: usize,
    /// Names of the open elements, innermost last.
    open: Vec<&'a str>,
    /// Whether the root element has been seen (and, with `open` empty, closed).
    rooted: bool,
}

/// Whether XML 1.0 may carry `c` (its `Char` production), raw or as a reference.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn ends_name(b: u8) -> bool {
    is_space(b) || matches!(b, b'/' | b'>' | b'=' | b'<' | b'"' | b'\'')
}

/// `value` with references decoded and white space normalised; borrowed when it has
/// neither.
fn attribute_value(value: &str) -> Result<Cow<'_, str>, String> {
    if !value
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return Ok(Cow::Borrowed(value));
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        match c {
            '&' => {
                let Some(end) = rest.find(';') else {
                    return Err(format!(
                        "`&` without `;` in attribute value `{}`; write `&amp;` for a literal `&`",
                        itsm_core::Quoted(value)
                    ));
                };
                let entity = rest.get(1..end).unwrap_or_default();
                out.push(reference(entity)?);
                rest = rest.get(end + 1..).unwrap_or_default();
            }
            '\r' => {
                out.push(' ');
                rest = rest.get(1..).unwrap_or_default();
                if rest.starts_with('\n') {
                    rest = rest.get(1..).unwrap_or_default();
                }
            }
            '\t' | '\n' => {
                out.push(' ');
                rest = rest.get(1..).unwrap_or_default();
            }
            c => {
                out.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or_default();
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// The character an entity or character reference (between `&` and `;`) stands for.
fn reference(entity: &str) -> Result<char, String> {
    let named = match entity {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    };
    if let Some(c) = named {
        return Ok(c);
    }
    // Digits only: `from_str_radix` and `parse` would also take a leading `+`.
    // XML's hexadecimal references have a lower-case `x` only.
    let code = if let Some(hex) = entity.strip_prefix("#x") {
        hex.bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| u32::from_str_radix(hex, 16).ok())
            .flatten()
    } else if let Some(decimal) = entity.strip_prefix('#') {
        decimal
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| decimal.parse::<u32>().ok())
            .flatten()
    } else {
        return Err(format!(
            "unknown entity `&{};`; XML without a DTD knows &amp; &lt; &gt; &quot; &apos; and character references",
            itsm_core::Quoted(entity)
        ));
    };
    code.and_then(char::from_u32)
        .filter(|&c| allowed(c))
        .ok_or_else(|| {
            format!(
                "character reference `&{};` is not a character XML can carry",
                itsm_core::Quoted(entity)
            )
        })
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        // A byte order mark is not part of the document.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Tokenizer {
            text,
            pos: 0,
            line: 1,
            open: Vec::new(),
            rooted: false,
        }
    }

    /// The line (1-based) the tokenizer has reached: that of the last token's end.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    fn error(&self, reason: impl Into<String>) -> XmlError {
        XmlError {
            line: self.line,
            reason: reason.into(),
        }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    /// Moves to byte `to` (a char boundary), counting the lines passed.
    fn advance_to(&mut self, to: usize) {
        let passed = self.text.get(self.pos..to).unwrap_or_default();
        self.line += passed.bytes().filter(|&b| b == b'\n').count();
        self.pos = to;
    }

    /// Skips to just after `delimiter`, or fails saying what was left open.
    fn skip_past(&mut self, delimiter: &str, what: &str) -> Result<(), XmlError> {
        match self.rest().find(delimiter) {
            Some(at) => {
                self.advance_to(self.pos + at + delimiter.len());
                Ok(())
            }
            None => Err(self.error(format!(
                "{what} is not closed by `{delimiter}` before the end"
            ))),
        }
    }

    fn skip_spaces(&mut self) {
        let skip = self.rest().bytes().take_while(|&b| is_space(b)).count();
        self.advance_to(self.pos + skip);
    }

    fn name(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest.bytes().take_while(|&b| !ends_name(b)).count();
        self.advance_to(self.pos + len);
        rest.get(..len).unwrap_or_default()
    }

    /// The next tag, `None` at the end of a well-formed document.
    pub(crate) fn next_token(&mut self) -> Result<Option<Token<'a>>, XmlError> {
        loop {
            let Some(at) = self.rest().find('<') else {
                let tail = self.rest();
                if !self.open.is_empty() {
                    let name = self.open.last().copied().unwrap_or_default();
                    return Err(self.error(format!(
                        "the document ends with `<{}>` still open",
                        itsm_core::Quoted(name)
                    )));
                }
                if !self.rooted {
                    return Err(self.error("the document has no element"));
                }
                if !tail.bytes().all(is_space) {
                    return Err(self.error(
                        "text after the root element; only comments, processing instructions and white space may follow it",
                    ));
                }
                self.advance_to(self.text.len());
                return Ok(None);
            };
            if self.open.is_empty()
                && !self
                    .rest()
                    .get(..at)
                    .unwrap_or_default()
                    .bytes()
                    .all(is_space)
            {
                return Err(self.error(if self.rooted {
                    "text after the root element; only comments, processing instructions and white space may follow it"
                } else {
                    "text before the root element; only an XML declaration, comments, processing instructions, a document type declaration and white space may precede it"
                }));
            }
            self.advance_to(self.pos + at);
            let rest = self.rest();
            if rest.starts_with("<?") {
                self.skip_past("?>", "a processing instruction")?;
            } else if rest.starts_with("<!--") {
                self.skip_past("-->", "a comment")?;
            } else if rest.starts_with("<![CDATA[") {
                if self.open.is_empty() {
                    return Err(self.error("a CDATA section outside the root element"));
                }
                self.skip_past("]]>", "a CDATA section")?;
            } else if rest.starts_with("<!DOCTYPE") {
                let end = rest.find('>').unwrap_or(rest.len());
                if rest.get(..end).unwrap_or_default().contains('[') {
                    return Err(self.error(
                        "a document type declaration with an internal subset; its entity declarations are not read, so the document is refused rather than read wrongly",
                    ));
                }
                self.skip_past(">", "a document type declaration")?;
            } else if rest.starts_with("</") {
                self.advance_to(self.pos + 2);
                let name = self.name();
                self.skip_spaces();
                if !self.rest().starts_with('>') {
                    return Err(self.error(format!(
                        "end tag `</{}` is not closed by `>`",
                        itsm_core::Quoted(name)
                    )));
                }
                self.advance_to(self.pos + 1);
                match self.open.pop() {
                    Some(open) if open == name => return Ok(Some(Token::End)),
                    Some(open) => {
                        return Err(self.error(format!(
                            "end tag `</{}>` closes `<{}>`; tags must nest",
                            itsm_core::Quoted(name),
                            itsm_core::Quoted(open)
                        )));
                    }
                    None => {
                        return Err(self.error(format!(
                            "end tag `</{}>` with no element open",
                            itsm_core::Quoted(name)
                        )));
                    }
                }
            } else {
                return self.start_tag().map(Some);
            }
        }
    }

    fn start_tag(&mut self) -> Result<Token<'a>, XmlError> {
        if self.open.is_empty() && self.rooted {
            return Err(self.error("a second root element; a document has one"));
        }
        self.advance_to(self.pos + 1);
        let name = self.name();
        if name.is_empty() {
            return Err(
                self.error("`<` not followed by a tag name; write `&lt;` for a literal `<`")
            );
        }
        let mut attributes: Vec<(&'a str, Cow<'a, str>)> = Vec::new();
        // The names seen, for the repeated-attribute check (a lookup, not a scan: a tag
        // may have thousands).
        let mut names: std::collections::BTreeSet<&'a str> = std::collections::BTreeSet::new();
        loop {
            let before = self.pos;
            self.skip_spaces();
            let rest = self.rest();
            if rest.starts_with("/>") {
                self.advance_to(self.pos + 2);
                self.rooted = true;
                return Ok(Token::Start {
                    name,
                    attributes,
                    empty: true,
                });
            }
            if rest.starts_with('>') {
                self.advance_to(self.pos + 1);
                self.rooted = true;
                self.open.push(name);
                return Ok(Token::Start {
                    name,
                    attributes,
                    empty: false,
                });
            }
            if rest.is_empty() {
                return Err(self.error(format!(
                    "tag `<{}` is not closed before the end",
                    itsm_core::Quoted(name)
                )));
            }
            if self.pos == before {
                return Err(self.error(format!(
                    "tag `<{}`: attributes must be separated by white space",
                    itsm_core::Quoted(name)
                )));
            }
            let key = self.name();
            if key.is_empty() {
                return Err(self.error(format!(
                    "tag `<{}`: expected an attribute name, `>` or `/>`",
                    itsm_core::Quoted(name)
                )));
            }
            self.skip_spaces();
            if !self.rest().starts_with('=') {
                return Err(self.error(format!(
                    "attribute `{}` has no `=` and value",
                    itsm_core::Quoted(key)
                )));
            }
            self.advance_to(self.pos + 1);
            self.skip_spaces();
            let quote = match self.rest().bytes().next() {
                Some(q @ (b'"' | b'\'')) => q,
                _ => {
                    return Err(self.error(format!(
                        "the value of attribute `{}` is not quoted",
                        itsm_core::Quoted(key)
                    )));
                }
            };
            self.advance_to(self.pos + 1);
            let rest = self.rest();
            let Some(len) = rest.bytes().position(|b| b == quote) else {
                return Err(self.error(format!(
                    "the value of attribute `{}` is not closed",
                    itsm_core::Quoted(key)
                )));
            };
            let raw = rest.get(..len).unwrap_or_default();
            if raw.contains('<') {
                return Err(self.error(format!(
                    "the value of attribute `{}` holds a `<`; write `&lt;`",
                    itsm_core::Quoted(key)
                )));
            }
            if let Some(c) = raw.chars().find(|&c| !allowed(c)) {
                return Err(self.error(format!(
                    "the value of attribute `{}` holds U+{:04X}, a character XML 1.0 does not allow",
                    itsm_core::Quoted(key),
                    u32::from(c)
                )));
            }
            let value = attribute_value(raw).map_err(|reason| self.error(reason))?;
            self.advance_to(self.pos + len + 1);
            if !names.insert(key) {
                return Err(self.error(format!(
                    "attribute `{}` is repeated in one tag",
                    itsm_core::Quoted(key)
                )));
            }
            attributes.push((key, value));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Result<Vec<Token<'_>>, XmlError> {
        let mut t = Tokenizer::new(text);
        let mut out = Vec::new();
        while let Some(token) = t.next_token()? {
            out.push(token);
        }
        Ok(out)
    }

    #[test]
    fn reads_tags_attributes_and_references() {
        let text = "\u{feff}<?xml version=\"1.0\"?>\n<!-- c --><a x='1 &amp; &#x3C;&#62;'>\n text <![CDATA[<b>]]><b y=\"a\tb\r\nc\"/></a>\n";
        let got = tokens(text).unwrap();
        assert_eq!(
            got,
            [
                Token::Start {
                    name: "a",
                    attributes: vec![("x", Cow::Owned("1 & <>".to_owned()))],
                    empty: false
                },
                Token::Start {
                    name: "b",
                    attributes: vec![("y", Cow::Owned("a b c".to_owned()))],
                    empty: true
                },
                Token::End,
            ]
        );
    }

    #[test]
    fn refuses_what_it_cannot_read_faithfully() {
        for (text, line, says) in [
            ("<a><b></a>", 1, "closes `<b>`"),
            ("<a>\n<b>", 2, "still open"),
            ("<a/><b/>", 1, "second root"),
            ("<a x='&nbsp;'/>", 1, "unknown entity"),
            ("<a x='&#0;'/>", 1, "not a character"),
            ("<a x='&#x1;'/>", 1, "not a character"),
            ("<a x='&#xFFFE;'/>", 1, "not a character"),
            ("<a x='&#x+41;'/>", 1, "not a character"),
            ("<a x='&#+65;'/>", 1, "not a character"),
            ("<a x='&#X41;'/>", 1, "not a character"),
            ("<a x='\u{1}'/>", 1, "U+0001"),
            ("<a x='1' x='2'/>", 1, "repeated"),
            ("<a x=1/>", 1, "not quoted"),
            ("<!DOCTYPE a [<!ENTITY e 'x'>]><a/>", 1, "internal subset"),
            ("", 1, "no element"),
            ("text<a/>", 1, "before the root"),
            ("<a/>text", 1, "after the root"),
            ("<a x='<'/>", 1, "holds a `<`"),
            ("<a x='1'y='2'/>", 1, "separated"),
            ("<a", 1, "not closed"),
            ("<!-- open", 1, "not closed by `-->`"),
            ("</a>", 1, "no element open"),
            ("< a/>", 1, "not followed by a tag name"),
        ] {
            let err = tokens(text).unwrap_err();
            assert!(err.reason.contains(says), "{text:?}: {err:?}");
            assert_eq!(err.line, line, "{text:?}: {err:?}");
        }
    }

    #[test]
    fn many_attributes_in_one_tag_are_checked_in_linear_time() {
        let n = 200_000;
        let tag: String = (0..n).map(|i| format!(" a{i}=''")).collect();
        let text = format!("<log{tag}/>");
        let got = tokens(&text).unwrap();
        let Some(Token::Start { attributes, .. }) = got.first() else {
            panic!("{got:?}")
        };
        assert_eq!(attributes.len(), n);
        let repeated = format!("<log{tag} a7=''/>");
        assert!(tokens(&repeated).unwrap_err().reason.contains("repeated"));
    }

    #[test]
    fn deep_nesting_needs_no_stack() {
        let depth = 200_000;
        let text = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        assert_eq!(tokens(&text).unwrap().len(), 2 * depth);
    }
}
