//! What both paths share: finding the end of a run of plain string bytes, decoding escapes
//! as `serde_json` does, and the syntax errors with their words.

use super::DecodeError;

/// A syntax error, as `serde_json` distinguishes them (its `ErrorCode`s that a `&str` input
/// can meet), with what was wrong and what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    EofWhileParsingString,
    EofWhileParsingValue,
    EofWhileParsingList,
    EofWhileParsingObject,
    ControlCharacterWhileParsingString,
    InvalidEscape,
    LoneSurrogate,
    UnexpectedEndOfHexEscape,
    ExpectedSomeIdent,
    ExpectedSomeValue,
    InvalidNumber,
    NumberOutOfRange,
    ExpectedColon,
    ExpectedListCommaOrEnd,
    ExpectedObjectCommaOrEnd,
    KeyMustBeAString,
    TrailingComma,
    TrailingCharacters,
    RecursionLimitExceeded,
    ExpectedNumericKey,
    ExpectedDoubleQuote,
    /// Not `serde_json`'s: a borrowed slice that is not text (never happens: strings start
    /// and end at ASCII quotes of a `&str`, and escapes write whole characters).
    NotText,
}

impl Syntax {
    /// What was wrong, and what was expected.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Syntax::EofWhileParsingString => ("end of input inside a string", "`\"`"),
            Syntax::EofWhileParsingValue => ("end of input", "a value"),
            Syntax::EofWhileParsingList => ("end of input inside an array", "`,` or `]`"),
            Syntax::EofWhileParsingObject => ("end of input inside an object", "`,` or `}`"),
            Syntax::ControlCharacterWhileParsingString => (
                "control character in a string",
                "an escape such as `\\n` or `\\u0000`",
            ),
            Syntax::InvalidEscape => (
                "invalid escape",
                "`\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` or `\\u` and 4 hex digits",
            ),
            Syntax::LoneSurrogate => (
                "lone surrogate in a `\\u` escape",
                "a leading surrogate followed by a trailing one",
            ),
            Syntax::UnexpectedEndOfHexEscape => (
                "leading surrogate without its trailing surrogate",
                "`\\u` and a trailing surrogate",
            ),
            Syntax::ExpectedSomeIdent => ("unknown literal", "`null`, `true` or `false`"),
            Syntax::ExpectedSomeValue => ("unexpected character", "a value"),
            Syntax::InvalidNumber => ("invalid number", "a JSON number"),
            Syntax::NumberOutOfRange => ("number out of range", "a finite number"),
            Syntax::ExpectedColon => ("unexpected character", "`:`"),
            Syntax::ExpectedListCommaOrEnd => ("unexpected character", "`,` or `]`"),
            Syntax::ExpectedObjectCommaOrEnd => ("unexpected character", "`,` or `}`"),
            Syntax::KeyMustBeAString => ("key that is not a string", "a string key"),
            Syntax::TrailingComma => ("trailing comma", "a value after `,`"),
            Syntax::TrailingCharacters => ("text after the value", "the end of the input"),
            Syntax::RecursionLimitExceeded => (
                "more than 127 nested arrays or objects",
                "at most 127 levels of nesting",
            ),
            Syntax::ExpectedNumericKey => ("key that is not a number", "a number in quotes"),
            Syntax::ExpectedDoubleQuote => ("unexpected character", "`\"`"),
            Syntax::NotText => ("bytes that are not UTF-8", "text"),
        }
    }

    /// The error at `offset`.
    pub(super) fn at(self, offset: usize) -> DecodeError {
        let (problem, expected) = self.words();
        DecodeError {
            offset,
            problem: problem.to_owned(),
            expected: expected.to_owned(),
        }
    }
}

/// Whether `byte` is JSON whitespace.
#[inline]
pub(super) fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\t' | b'\r')
}

const ONES: u64 = u64::MAX / 255;
const HIGH: u64 = ONES << 7;

/// The position of the first byte at or after `from` that ends a run of plain string bytes:
/// `"`, `\`, or (when `controls`) a control character (below 0x20); `bytes.len()` if none.
/// Eight bytes at a time.
#[inline]
pub(super) fn plain_run_end(bytes: &[u8], from: usize, controls: bool) -> usize {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i.wrapping_add(8)) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        // A byte's high bit is set in `x.wrapping_sub(ONES) & !x` when that byte of `x` is
        // zero (and possibly in higher bytes after it: only the lowest hit is used).
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let mut hits =
            (quote.wrapping_sub(ONES) & !quote) | (backslash.wrapping_sub(ONES) & !backslash);
        if controls {
            hits |= word.wrapping_sub(ONES * 0x20) & !word;
        }
        let hits = hits & HIGH;
        if hits != 0 {
            // invariant: trailing_zeros of a nonzero u64 is below 64, so /8 is below 8.
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&byte) = bytes.get(i) {
        if byte == b'"' || byte == b'\\' || (controls && byte < 0x20) {
            return i;
        }
        i += 1;
    }
    i
}

/// The value of four hex digits at `bytes[at..at + 4]`; `serde_json`'s reading of a `\u`
/// escape's digits: too few left is the end of the string, a non-hex digit an invalid escape.
/// Returns the value and the position after the digits.
fn hex4(bytes: &[u8], at: usize) -> Result<(u16, usize), (Syntax, usize)> {
    let Some(digits) = bytes.get(at..at.wrapping_add(4)) else {
        return Err((Syntax::EofWhileParsingString, bytes.len()));
    };
    let mut value = 0u16;
    for &digit in digits {
        let nibble = match digit {
            b'0'..=b'9' => digit - b'0',
            b'a'..=b'f' => digit - b'a' + 10,
            b'A'..=b'F' => digit - b'A' + 10,
            _ => return Err((Syntax::InvalidEscape, at + 4)),
        };
        value = (value << 4) | u16::from(nibble);
    }
    Ok((value, at + 4))
}

/// Appends a code point (a surrogate too, when not validating) in UTF-8 (WTF-8 for
/// surrogates), as `serde_json` does.
fn push_code_point(n: u32, out: &mut Vec<u8>) {
    // The casts keep the low bits on purpose: each is masked to the bits of its byte.
    match n {
        0..=0x7F => out.push(n as u8),
        0x80..=0x7FF => out.extend_from_slice(&[0xC0 | (n >> 6) as u8, 0x80 | (n & 0x3F) as u8]),
        0x800..=0xFFFF => out.extend_from_slice(&[
            0xE0 | (n >> 12) as u8,
            0x80 | ((n >> 6) & 0x3F) as u8,
            0x80 | (n & 0x3F) as u8,
        ]),
        _ => out.extend_from_slice(&[
            0xF0 | ((n >> 18) & 0x07) as u8,
            0x80 | ((n >> 12) & 0x3F) as u8,
            0x80 | ((n >> 6) & 0x3F) as u8,
            0x80 | (n & 0x3F) as u8,
        ]),
    }
}

/// Decodes the escape whose backslash is just before `at` into `out`, as `serde_json`'s
/// `parse_escape` does (`validate`: surrogates must pair, as for a string; otherwise, as for
/// bytes, a lone surrogate is kept). Returns the position after it, or the error and where.
pub(super) fn escape(
    bytes: &[u8],
    at: usize,
    validate: bool,
    out: &mut Vec<u8>,
) -> Result<usize, (Syntax, usize)> {
    let Some(&kind) = bytes.get(at) else {
        return Err((Syntax::EofWhileParsingString, at));
    };
    let plain = match kind {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => b'\x08',
        b'f' => b'\x0c',
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => return unicode_escape(bytes, at + 1, validate, out),
        _ => return Err((Syntax::InvalidEscape, at + 1)),
    };
    out.push(plain);
    Ok(at + 1)
}

/// `serde_json`'s `parse_unicode_escape`: `at` is just after `\u`.
fn unicode_escape(
    bytes: &[u8],
    at: usize,
    validate: bool,
    out: &mut Vec<u8>,
) -> Result<usize, (Syntax, usize)> {
    let (mut n, mut at) = hex4(bytes, at)?;
    if validate && (0xDC00..=0xDFFF).contains(&n) {
        return Err((Syntax::LoneSurrogate, at));
    }
    loop {
        if !(0xD800..=0xDBFF).contains(&n) {
            push_code_point(u32::from(n), out);
            return Ok(at);
        }
        let lead = n;
        match bytes.get(at) {
            None => return Err((Syntax::EofWhileParsingString, at)),
            Some(b'\\') => at += 1,
            Some(_) if validate => return Err((Syntax::UnexpectedEndOfHexEscape, at + 1)),
            Some(_) => {
                push_code_point(u32::from(lead), out);
                return Ok(at);
            }
        }
        match bytes.get(at) {
            None => return Err((Syntax::EofWhileParsingString, at)),
            Some(b'u') => at += 1,
            Some(_) if validate => return Err((Syntax::UnexpectedEndOfHexEscape, at + 1)),
            Some(_) => {
                push_code_point(u32::from(lead), out);
                // The backslash read began another escape: a simple one, so no deep calls.
                return escape(bytes, at, validate, out);
            }
        }
        let (trail, after) = hex4(bytes, at)?;
        at = after;
        if !(0xDC00..=0xDFFF).contains(&trail) {
            if validate {
                return Err((Syntax::LoneSurrogate, at));
            }
            push_code_point(u32::from(lead), out);
            n = trail;
            continue;
        }
        let code = (((u32::from(lead) - 0xD800) << 10) | (u32::from(trail) - 0xDC00)) + 0x1_0000;
        push_code_point(code, out);
        return Ok(at);
    }
}

/// `serde_json`'s `ignore_escape`: checks the escape whose backslash is just before `at`
/// without decoding it (a `\u` escape needs four hex digits, surrogates or not).
pub(super) fn skip_escape(bytes: &[u8], at: usize) -> Result<usize, (Syntax, usize)> {
    match bytes.get(at) {
        None => Err((Syntax::EofWhileParsingString, at)),
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(at + 1),
        Some(b'u') => hex4(bytes, at + 1).map(|(_, after)| after),
        Some(_) => Err((Syntax::InvalidEscape, at + 1)),
    }
}
