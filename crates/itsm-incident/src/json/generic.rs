//! The path that decides: serde's own `Deserialize` for [`Event`], driven by [`Reader`], a
//! `serde::Deserializer` over the text that behaves as `serde_json`'s `Deserializer` over a
//! `&str` does (version 1.0, default features: no `arbitrary_precision`, no
//! `float_roundtrip`, the nesting limit of 128). Each method reads the same tokens, calls the
//! same visitor methods with the same values, and fails where `serde_json`'s fails, so
//! `Event::deserialize` answers as it does under `serde_json::from_str`, whatever path
//! serde's derived code takes (buffering into its private `Content`, flattened fields, structs
//! as arrays, enums as objects, ignored values). Error messages are ours.
//!
//! Each function is named after the `serde_json` one it follows, so the two read side by side.

use std::fmt;

use itsm_core::Quoted;
use serde::Deserialize;
use serde::de::{self, Expected, Unexpected, Visitor};

use super::DecodeError;
use super::text::{self, Syntax, is_space, plain_run_end};
use crate::event::Event;

mod deserializer;
use deserializer::{MapAccess, SeqAccess};

/// Decodes an event as `serde_json::from_str` does.
pub(super) fn event(text: &str) -> std::result::Result<Event, DecodeError> {
    read(text)
}

/// Decodes a `T` filling the whole text, as `serde_json::from_str` does.
fn read<'de, T: Deserialize<'de>>(text: &'de str) -> std::result::Result<T, DecodeError> {
    let mut reader = Reader::new(text);
    let value = T::deserialize(&mut reader).map_err(|fault| fault.into_error(reader.pos))?;
    reader.end().map_err(|fault| fault.into_error(reader.pos))?;
    Ok(value)
}

/// An error on the way out: where (once known), what, and what was expected.
#[derive(Debug)]
pub(super) struct Fault {
    offset: Option<usize>,
    problem: String,
    expected: String,
}

impl Fault {
    fn syntax(code: Syntax, offset: usize) -> Fault {
        let DecodeError {
            offset,
            problem,
            expected,
        } = code.at(offset);
        Fault {
            offset: Some(offset),
            problem,
            expected,
        }
    }

    fn new(problem: String, expected: String) -> Fault {
        Fault {
            offset: None,
            problem,
            expected,
        }
    }

    /// The fault, placed at `offset` unless placed already (`serde_json`'s `fix_position`).
    fn or_at(mut self, offset: usize) -> Fault {
        self.offset.get_or_insert(offset);
        self
    }

    /// The fault, expecting `expected` unless it says already.
    fn or_expecting(mut self, expected: String) -> Fault {
        if self.expected.is_empty() {
            self.expected = expected;
        }
        self
    }

    fn into_error(self, offset: usize) -> DecodeError {
        DecodeError {
            offset: self.offset.unwrap_or(offset),
            problem: self.problem,
            expected: if self.expected.is_empty() {
                "a valid value".to_owned()
            } else {
                self.expected
            },
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, expected {}", self.problem, self.expected)
    }
}

impl std::error::Error for Fault {}

impl de::Error for Fault {
    fn custom<T: fmt::Display>(message: T) -> Fault {
        Fault::new(message.to_string(), String::new())
    }

    fn invalid_type(found: Unexpected<'_>, expected: &dyn Expected) -> Fault {
        Fault::new(
            format!("invalid type: {}", Found(found)),
            expected.to_string(),
        )
    }

    fn invalid_value(found: Unexpected<'_>, expected: &dyn Expected) -> Fault {
        Fault::new(
            format!("invalid value: {}", Found(found)),
            expected.to_string(),
        )
    }

    fn invalid_length(len: usize, expected: &dyn Expected) -> Fault {
        Fault::new(format!("invalid length {len}"), expected.to_string())
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Fault {
        Fault::new(
            format!("unknown variant `{}`", Quoted(variant)),
            one_of(expected),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Fault {
        Fault::new(
            format!("unknown field `{}`", Quoted(field)),
            one_of(expected),
        )
    }

    fn missing_field(field: &'static str) -> Fault {
        Fault::new(
            format!("missing field `{field}`"),
            format!("field `{field}`"),
        )
    }

    fn duplicate_field(field: &'static str) -> Fault {
        Fault::new(
            format!("duplicate field `{field}`"),
            format!("field `{field}` once"),
        )
    }
}

/// What was found, as serde names it, with text from the input quoted through
/// [`Quoted`] (at most 80 characters, controls escaped) so that a long or hostile value does
/// not make a long or hostile message.
struct Found<'a>(Unexpected<'a>);

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Str(s) => write!(f, "string \"{}\"", Quoted(s)),
            Unexpected::Bytes(bytes) => {
                write!(f, "bytes \"{}\"", Quoted(&String::from_utf8_lossy(bytes)))
            }
            Unexpected::Other(s) => write!(f, "{}", Quoted(s)),
            // JSON's word, as `serde_json` says it (serde's is "unit value").
            Unexpected::Unit => write!(f, "null"),
            other => write!(f, "{other}"),
        }
    }
}

/// `one of \`a\`, \`b\``, or `nothing` for an empty list (serde's words).
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_owned(),
        [one] => format!("`{one}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

/// What a visitor expects, in its words (for errors that do not say, such as chrono's).
fn expecting<'de, V: Visitor<'de>>(visitor: &V) -> String {
    (visitor as &dyn Expected).to_string()
}

type Result<T> = std::result::Result<T, Fault>;

/// A number as `serde_json` reads it before handing it to a visitor.
#[derive(Debug, Clone, Copy)]
enum Number {
    F64(f64),
    U64(u64),
    I64(i64),
}

impl Number {
    fn visit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Number::F64(x) => visitor.visit_f64(x),
            Number::U64(x) => visitor.visit_u64(x),
            Number::I64(x) => visitor.visit_i64(x),
        }
    }

    fn unexpected(self) -> Unexpected<'static> {
        match self {
            Number::F64(x) => Unexpected::Float(x),
            Number::U64(x) => Unexpected::Unsigned(x),
            Number::I64(x) => Unexpected::Signed(x),
        }
    }
}

/// A string read: between its quotes in the input, or in the scratch buffer (it held an
/// escape).
enum Str<'s> {
    Borrowed,
    Copied(&'s [u8]),
}

/// `serde_json`'s `Deserializer<StrRead>`, in safe code.
pub(super) struct Reader<'de> {
    text: &'de str,
    bytes: &'de [u8],
    pos: usize,
    /// Levels of arrays and objects still allowed (`serde_json` starts at 128 and refuses
    /// the level that brings it to 0).
    remaining_depth: u8,
    scratch: Vec<u8>,
}

/// `serde_json`'s `POW10`: the powers of ten as written (correctly rounded literals).
#[rustfmt::skip]
static POW10: [f64; 309] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29,
    1e30, 1e31, 1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39,
    1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47, 1e48, 1e49,
    1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59,
    1e60, 1e61, 1e62, 1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69,
    1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76, 1e77, 1e78, 1e79,
    1e80, 1e81, 1e82, 1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89,
    1e90, 1e91, 1e92, 1e93, 1e94, 1e95, 1e96, 1e97, 1e98, 1e99,
    1e100, 1e101, 1e102, 1e103, 1e104, 1e105, 1e106, 1e107, 1e108, 1e109,
    1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119,
    1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129,
    1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139,
    1e140, 1e141, 1e142, 1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149,
    1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157, 1e158, 1e159,
    1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169,
    1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179,
    1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189,
    1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196, 1e197, 1e198, 1e199,
    1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209,
    1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219,
    1e220, 1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229,
    1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239,
    1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249,
    1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259,
    1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269,
    1e270, 1e271, 1e272, 1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279,
    1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287, 1e288, 1e289,
    1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299,
    1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

/// Whether `a * 10 + b` would exceed `max` (`serde_json`'s `overflow!`).
fn overflows_u64(a: u64, b: u64) -> bool {
    a >= u64::MAX / 10 && (a > u64::MAX / 10 || b > u64::MAX % 10)
}

fn overflows_i32(a: i32, b: i32) -> bool {
    a >= i32::MAX / 10 && (a > i32::MAX / 10 || b > i32::MAX % 10)
}

impl<'de> Reader<'de> {
    pub(super) fn new(text: &'de str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            remaining_depth: 128,
            scratch: Vec::new(),
        }
    }

    // Tokens.

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn eat_char(&mut self) {
        self.pos += 1;
    }

    fn next_char(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    fn error(&self, code: Syntax) -> Fault {
        Fault::syntax(code, self.pos)
    }

    fn parse_whitespace(&mut self) -> Option<u8> {
        while let Some(byte) = self.peek() {
            if !is_space(byte) {
                return Some(byte);
            }
            self.pos += 1;
        }
        None
    }

    /// Only whitespace is left.
    pub(super) fn end(&mut self) -> Result<()> {
        match self.parse_whitespace() {
            Some(_) => Err(self.error(Syntax::TrailingCharacters)),
            None => Ok(()),
        }
    }

    fn parse_ident(&mut self, ident: &[u8]) -> Result<()> {
        for &expected in ident {
            match self.next_char() {
                None => return Err(self.error(Syntax::EofWhileParsingValue)),
                Some(next) if next != expected => {
                    return Err(self.error(Syntax::ExpectedSomeIdent));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Runs `body` one level deeper (`serde_json`'s `check_recursion!`).
    fn deeper<T>(&mut self, body: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.remaining_depth = self.remaining_depth.saturating_sub(1);
        if self.remaining_depth == 0 {
            return Err(self.error(Syntax::RecursionLimitExceeded));
        }
        let result = body(self);
        self.remaining_depth = self.remaining_depth.saturating_add(1);
        result
    }

    // Strings.

    /// The string whose opening quote was just eaten (`parse_str_bytes`); `validate`: as a
    /// string (control characters refused, surrogates paired) rather than as bytes.
    fn parse_str_bytes(&mut self, validate: bool) -> Result<Str<'_>> {
        self.scratch.clear();
        let bytes = self.bytes;
        let mut start = self.pos;
        loop {
            self.pos = plain_run_end(bytes, self.pos, validate);
            match bytes.get(self.pos) {
                None => return Err(self.error(Syntax::EofWhileParsingString)),
                Some(b'"') => {
                    let run = bytes.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    if self.scratch.is_empty() {
                        return Ok(Str::Borrowed);
                    }
                    self.scratch.extend_from_slice(run);
                    return Ok(Str::Copied(&self.scratch));
                }
                Some(b'\\') => {
                    let run = bytes.get(start..self.pos).unwrap_or_default();
                    self.scratch.extend_from_slice(run);
                    self.pos = text::escape(bytes, self.pos + 1, validate, &mut self.scratch)
                        .map_err(|(code, at)| Fault::syntax(code, at))?;
                    start = self.pos;
                }
                Some(_) => {
                    self.pos += 1;
                    return Err(self.error(Syntax::ControlCharacterWhileParsingString));
                }
            }
        }
    }

    /// Hands the string whose opening quote was just eaten to the visitor as text.
    fn visit_str<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let expected = expecting(&visitor);
        let text = self.text;
        let start = self.pos;
        let value = match self.parse_str_bytes(true)? {
            Str::Borrowed => {
                // The slice between the quotes, borrowed from the input for `'de`.
                let end = self.pos.saturating_sub(1);
                match text.get(start..end) {
                    Some(s) => visitor.visit_borrowed_str(s),
                    None => Err(Fault::syntax(Syntax::NotText, start)),
                }
            }
            Str::Copied(bytes) => match std::str::from_utf8(bytes) {
                Ok(s) => visitor.visit_str(s),
                Err(_) => Err(Fault::syntax(Syntax::NotText, start)),
            },
        };
        value.map_err(|fault| fault.or_expecting(expected))
    }

    /// Hands the string whose opening quote was just eaten to the visitor as bytes.
    fn visit_bytes<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let bytes = self.bytes;
        let start = self.pos;
        match self.parse_str_bytes(false)? {
            Str::Borrowed => {
                let end = self.pos.saturating_sub(1);
                visitor.visit_borrowed_bytes(bytes.get(start..end).unwrap_or_default())
            }
            Str::Copied(copied) => visitor.visit_bytes(copied),
        }
    }

    /// `ignore_str`: the string whose opening quote was just eaten, checked and skipped.
    fn ignore_str(&mut self) -> Result<()> {
        loop {
            // Control characters are refused in skipped strings too.
            self.pos = plain_run_end(self.bytes, self.pos, true);
            match self.peek() {
                None => return Err(self.error(Syntax::EofWhileParsingString)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos = text::skip_escape(self.bytes, self.pos + 1)
                        .map_err(|(code, at)| Fault::syntax(code, at))?;
                }
                Some(_) => return Err(self.error(Syntax::ControlCharacterWhileParsingString)),
            }
        }
    }

    // Numbers.

    fn parse_integer(&mut self, positive: bool) -> Result<Number> {
        match self.next_char() {
            None => Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b'0') => match self.peek_or_null() {
                b'0'..=b'9' => Err(self.error(Syntax::InvalidNumber)),
                _ => self.parse_number(positive, 0),
            },
            Some(c @ b'1'..=b'9') => {
                let mut significand = u64::from(c - b'0');
                loop {
                    match self.peek_or_null() {
                        c @ b'0'..=b'9' => {
                            let digit = u64::from(c - b'0');
                            if overflows_u64(significand, digit) {
                                return Ok(Number::F64(
                                    self.parse_long_integer(positive, significand)?,
                                ));
                            }
                            self.eat_char();
                            significand = significand * 10 + digit;
                        }
                        _ => return self.parse_number(positive, significand),
                    }
                }
            }
            Some(_) => Err(self.error(Syntax::InvalidNumber)),
        }
    }

    fn parse_number(&mut self, positive: bool, significand: u64) -> Result<Number> {
        Ok(match self.peek_or_null() {
            b'.' => Number::F64(self.parse_decimal(positive, significand, 0)?),
            b'e' | b'E' => Number::F64(self.parse_exponent(positive, significand, 0)?),
            _ if positive => Number::U64(significand),
            _ => {
                // `serde_json`'s reading: the bits as an i64, negated; a float on `-0` and
                // below `i64::MIN`.
                let negated = (significand as i64).wrapping_neg();
                if negated >= 0 {
                    Number::F64(-(significand as f64))
                } else {
                    Number::I64(negated)
                }
            }
        })
    }

    fn parse_decimal(&mut self, positive: bool, mut significand: u64, before: i32) -> Result<f64> {
        self.eat_char();
        let mut after = 0i32;
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            let digit = u64::from(c - b'0');
            if overflows_u64(significand, digit) {
                return self.parse_decimal_overflow(
                    positive,
                    significand,
                    before.wrapping_add(after),
                );
            }
            self.eat_char();
            significand = significand * 10 + digit;
            after = after.wrapping_sub(1);
        }
        if after == 0 {
            return Err(match self.peek() {
                Some(_) => self.error(Syntax::InvalidNumber),
                None => self.error(Syntax::EofWhileParsingValue),
            });
        }
        let exponent = before.wrapping_add(after);
        match self.peek_or_null() {
            b'e' | b'E' => self.parse_exponent(positive, significand, exponent),
            _ => self.f64_from_parts(positive, significand, exponent),
        }
    }

    fn parse_exponent(&mut self, positive: bool, significand: u64, starting: i32) -> Result<f64> {
        self.eat_char();
        let positive_exp = match self.peek_or_null() {
            b'+' => {
                self.eat_char();
                true
            }
            b'-' => {
                self.eat_char();
                false
            }
            _ => true,
        };
        let mut exp = match self.next_char() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
            Some(_) => return Err(self.error(Syntax::InvalidNumber)),
        };
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
            let digit = i32::from(c - b'0');
            if overflows_i32(exp, digit) {
                return self.parse_exponent_overflow(positive, significand == 0, positive_exp);
            }
            exp = exp * 10 + digit;
        }
        let exponent = if positive_exp {
            starting.saturating_add(exp)
        } else {
            starting.saturating_sub(exp)
        };
        self.f64_from_parts(positive, significand, exponent)
    }

    fn f64_from_parts(
        &mut self,
        positive: bool,
        significand: u64,
        mut exponent: i32,
    ) -> Result<f64> {
        let mut f = significand as f64;
        loop {
            let index = usize::try_from(exponent.wrapping_abs()).unwrap_or(usize::MAX);
            match POW10.get(index) {
                Some(&pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(Syntax::NumberOutOfRange));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(Syntax::NumberOutOfRange));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }

    fn parse_long_integer(&mut self, positive: bool, significand: u64) -> Result<f64> {
        let mut exponent = 0i32;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.eat_char();
                    exponent = exponent.wrapping_add(1);
                }
                b'.' => return self.parse_decimal(positive, significand, exponent),
                b'e' | b'E' => return self.parse_exponent(positive, significand, exponent),
                _ => return self.f64_from_parts(positive, significand, exponent),
            }
        }
    }

    fn parse_decimal_overflow(
        &mut self,
        positive: bool,
        significand: u64,
        exponent: i32,
    ) -> Result<f64> {
        while let b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
        }
        match self.peek_or_null() {
            b'e' | b'E' => self.parse_exponent(positive, significand, exponent),
            _ => self.f64_from_parts(positive, significand, exponent),
        }
    }

    fn parse_exponent_overflow(
        &mut self,
        positive: bool,
        zero: bool,
        positive_exp: bool,
    ) -> Result<f64> {
        if !zero && positive_exp {
            return Err(self.error(Syntax::NumberOutOfRange));
        }
        while let b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
        }
        Ok(if positive { 0.0 } else { -0.0 })
    }

    /// `parse_any_number` with the sign read: a number after an eaten `-`, or at a digit.
    fn parse_signed(&mut self, negative: bool) -> Result<Number> {
        if negative {
            self.eat_char();
        }
        self.parse_integer(!negative)
    }

    /// `scan_integer128`: the digits of an integer into `buf`.
    fn scan_integer128(&mut self, buf: &mut String) -> Result<()> {
        match self.next_char() {
            Some(b'0') => {
                buf.push('0');
                match self.peek_or_null() {
                    b'0'..=b'9' => Err(self.error(Syntax::InvalidNumber)),
                    _ => Ok(()),
                }
            }
            Some(c @ b'1'..=b'9') => {
                buf.push(char::from(c));
                while let c @ b'0'..=b'9' = self.peek_or_null() {
                    self.eat_char();
                    buf.push(char::from(c));
                }
                Ok(())
            }
            _ => Err(self.error(Syntax::InvalidNumber)),
        }
    }

    // Values.

    /// The error for a value of the wrong type at the next token (`peek_invalid_type`):
    /// reads the token to name it, as `serde_json` does.
    fn peek_invalid_type(&mut self, expected: &dyn Expected) -> Fault {
        let found = match self.peek_or_null() {
            b'n' => {
                self.eat_char();
                if let Err(fault) = self.parse_ident(b"ull") {
                    return fault;
                }
                Unexpected::Unit
            }
            b't' => {
                self.eat_char();
                if let Err(fault) = self.parse_ident(b"rue") {
                    return fault;
                }
                Unexpected::Bool(true)
            }
            b'f' => {
                self.eat_char();
                if let Err(fault) = self.parse_ident(b"alse") {
                    return fault;
                }
                Unexpected::Bool(false)
            }
            c @ (b'-' | b'0'..=b'9') => match self.parse_signed(c == b'-') {
                Ok(number) => number.unexpected(),
                Err(fault) => return fault,
            },
            b'"' => {
                self.eat_char();
                let start = self.pos;
                if let Err(fault) = self.parse_str_bytes(true) {
                    return fault;
                }
                let end = self.pos.saturating_sub(1);
                let copy = self.scratch.clone();
                let text = if copy.is_empty() {
                    self.text.get(start..end).unwrap_or_default().to_owned()
                } else {
                    String::from_utf8_lossy(&copy).into_owned()
                };
                return de::Error::invalid_type(Unexpected::Str(&text), expected);
            }
            b'[' => Unexpected::Seq,
            b'{' => Unexpected::Map,
            _ => return self.error(Syntax::ExpectedSomeValue),
        };
        <Fault as de::Error>::invalid_type(found, expected).or_at(self.pos)
    }

    /// `deserialize_number`: the integer or float at the next token.
    fn deserialize_number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(c @ (b'-' | b'0'..=b'9')) => self.parse_signed(c == b'-')?.visit(visitor),
            Some(_) => Err(self.peek_invalid_type(&visitor)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    /// `ignore_value`: skips a value, checked as JSON, without the nesting limit (it keeps
    /// its own stack of open brackets).
    fn ignore_value(&mut self) -> Result<()> {
        let mut stack: Vec<u8> = Vec::new();
        let mut enclosing: Option<u8> = None;
        loop {
            let frame = match self.parse_whitespace() {
                None => return Err(self.error(Syntax::EofWhileParsingValue)),
                Some(b'n') => {
                    self.eat_char();
                    self.parse_ident(b"ull")?;
                    None
                }
                Some(b't') => {
                    self.eat_char();
                    self.parse_ident(b"rue")?;
                    None
                }
                Some(b'f') => {
                    self.eat_char();
                    self.parse_ident(b"alse")?;
                    None
                }
                Some(b'-') => {
                    self.eat_char();
                    self.ignore_integer()?;
                    None
                }
                Some(b'0'..=b'9') => {
                    self.ignore_integer()?;
                    None
                }
                Some(b'"') => {
                    self.eat_char();
                    self.ignore_str()?;
                    None
                }
                Some(frame @ (b'[' | b'{')) => {
                    stack.extend(enclosing.take());
                    self.eat_char();
                    Some(frame)
                }
                Some(_) => return Err(self.error(Syntax::ExpectedSomeValue)),
            };
            let (mut accept_comma, mut frame) = match frame {
                Some(frame) => (false, frame),
                None => match enclosing.take().or_else(|| stack.pop()) {
                    Some(frame) => (true, frame),
                    None => return Ok(()),
                },
            };
            loop {
                match self.parse_whitespace() {
                    Some(b',') if accept_comma => {
                        self.eat_char();
                        break;
                    }
                    Some(b']') if frame == b'[' => {}
                    Some(b'}') if frame == b'{' => {}
                    Some(_) if accept_comma => {
                        return Err(self.error(if frame == b'[' {
                            Syntax::ExpectedListCommaOrEnd
                        } else {
                            Syntax::ExpectedObjectCommaOrEnd
                        }));
                    }
                    Some(_) => break,
                    None => {
                        return Err(self.error(if frame == b'[' {
                            Syntax::EofWhileParsingList
                        } else {
                            Syntax::EofWhileParsingObject
                        }));
                    }
                }
                self.eat_char();
                frame = match stack.pop() {
                    Some(frame) => frame,
                    None => return Ok(()),
                };
                accept_comma = true;
            }
            if frame == b'{' {
                match self.parse_whitespace() {
                    Some(b'"') => self.eat_char(),
                    Some(_) => return Err(self.error(Syntax::KeyMustBeAString)),
                    None => return Err(self.error(Syntax::EofWhileParsingObject)),
                }
                self.ignore_str()?;
                match self.parse_whitespace() {
                    Some(b':') => self.eat_char(),
                    Some(_) => return Err(self.error(Syntax::ExpectedColon)),
                    None => return Err(self.error(Syntax::EofWhileParsingObject)),
                }
            }
            enclosing = Some(frame);
        }
    }

    fn ignore_integer(&mut self) -> Result<()> {
        match self.next_char().unwrap_or(0) {
            b'0' => {
                if let b'0'..=b'9' = self.peek_or_null() {
                    return Err(self.error(Syntax::InvalidNumber));
                }
            }
            b'1'..=b'9' => {
                while let b'0'..=b'9' = self.peek_or_null() {
                    self.eat_char();
                }
            }
            _ => return Err(self.error(Syntax::InvalidNumber)),
        }
        match self.peek_or_null() {
            b'.' => self.ignore_decimal(),
            b'e' | b'E' => self.ignore_exponent(),
            _ => Ok(()),
        }
    }

    fn ignore_decimal(&mut self) -> Result<()> {
        self.eat_char();
        let mut digits = false;
        while let b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
            digits = true;
        }
        if !digits {
            return Err(self.error(Syntax::InvalidNumber));
        }
        match self.peek_or_null() {
            b'e' | b'E' => self.ignore_exponent(),
            _ => Ok(()),
        }
    }

    fn ignore_exponent(&mut self) -> Result<()> {
        self.eat_char();
        if let b'+' | b'-' = self.peek_or_null() {
            self.eat_char();
        }
        match self.next_char().unwrap_or(0) {
            b'0'..=b'9' => {}
            _ => return Err(self.error(Syntax::InvalidNumber)),
        }
        while let b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
        }
        Ok(())
    }

    fn parse_object_colon(&mut self) -> Result<()> {
        match self.parse_whitespace() {
            Some(b':') => {
                self.eat_char();
                Ok(())
            }
            Some(_) => Err(self.error(Syntax::ExpectedColon)),
            None => Err(self.error(Syntax::EofWhileParsingObject)),
        }
    }

    fn end_seq(&mut self) -> Result<()> {
        match self.parse_whitespace() {
            Some(b']') => {
                self.eat_char();
                Ok(())
            }
            Some(b',') => {
                self.eat_char();
                match self.parse_whitespace() {
                    Some(b']') => Err(self.error(Syntax::TrailingComma)),
                    _ => Err(self.error(Syntax::TrailingCharacters)),
                }
            }
            Some(_) => Err(self.error(Syntax::TrailingCharacters)),
            None => Err(self.error(Syntax::EofWhileParsingList)),
        }
    }

    fn end_map(&mut self) -> Result<()> {
        match self.parse_whitespace() {
            Some(b'}') => {
                self.eat_char();
                Ok(())
            }
            Some(b',') => Err(self.error(Syntax::TrailingComma)),
            Some(_) => Err(self.error(Syntax::TrailingCharacters)),
            None => Err(self.error(Syntax::EofWhileParsingObject)),
        }
    }

    /// An array whose `[` is next: its elements to the visitor, then its end.
    fn visit_array<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let value = self.deeper(|reader| {
            reader.eat_char();
            visitor.visit_seq(SeqAccess {
                reader,
                first: true,
            })
        })?;
        self.end_seq()?;
        Ok(value)
    }

    /// An object whose `{` is next: its entries to the visitor, then its end.
    fn visit_object<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let value = self.deeper(|reader| {
            reader.eat_char();
            visitor.visit_map(MapAccess {
                reader,
                first: true,
            })
        })?;
        self.end_map()?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests;
