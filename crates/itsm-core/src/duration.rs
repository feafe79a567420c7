//! Durations in data: ISO 8601 duration strings to and from [`chrono::Duration`].
//!
//! Every itsm-rs crate writes a duration in JSON as an ISO 8601 duration string (`"PT4H"`,
//! `"P7D"`, `"PT1H30M"`, `"PT0.5S"`) and holds it as a [`chrono::Duration`] in its API. This
//! module is the one codec.
//!
//! # The accepted form
//! `[-]P[nW][nD][T[nH][nM][n[.f]S]]`, designators in that order, at least one of them:
//! - `W` is 7 days and `D` exactly 24 hours: a duration is an exact length of time, and
//!   business calendars, not this codec, deal with days that are not 24 hours long;
//! - years (`Y`) and months (`M` before `T`) are refused: they have no fixed length;
//! - only seconds may have a fraction, of up to 9 digits (nanoseconds), after `.` or `,`;
//! - a leading `-` makes the duration negative (an escalation before a deadline).
//!
//! [`format()`] writes the canonical form: days, hours, minutes and seconds, each only when not
//! zero, the fraction without trailing zeros, and `PT0S` for zero (`PT4H`, `P7D`, `PT1H30M`,
//! `PT0.5S`, `-PT15M`). Every [`chrono::Duration`] formats and parses back to itself.
//!
//! # Example
//! ```
//! use chrono::Duration;
//! use itsm_core::duration;
//!
//! assert_eq!(duration::parse("PT1H30M")?, Duration::minutes(90));
//! assert_eq!(duration::parse("P1W")?, Duration::days(7));
//! assert_eq!(duration::format(Duration::hours(36)), "P1DT12H");
//! assert_eq!(duration::format(Duration::milliseconds(-500)), "-PT0.5S");
//! assert!(duration::parse("P1M").is_err()); // a month has no fixed length
//! # Ok::<(), itsm_core::Error>(())
//! ```
//!
//! # In serde data types
//! ```
//! # #[cfg(feature = "serde")] {
//! use chrono::Duration;
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Policy {
//!     #[serde(with = "itsm_core::duration")]
//!     target: Duration,
//!     #[serde(default, with = "itsm_core::duration::option")]
//!     auto_close_after: Option<Duration>,
//! }
//!
//! let p: Policy = serde_json::from_str(r#"{"target": "PT4H"}"#)?;
//! assert_eq!(p.target, Duration::hours(4));
//! assert_eq!(p.auto_close_after, None);
//! assert_eq!(serde_json::to_string(&p)?, r#"{"target":"PT4H","auto_close_after":null}"#);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//! With the `schemars` feature, add `#[schemars(schema_with = "itsm_core::duration::schema")]`
//! (or `itsm_core::duration::option::schema`) to such a field: its schema is then
//! `{"type": "string", "format": "duration"}`.

use chrono::Duration;

use crate::Error;

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// What the message of an [`Error::InvalidDuration`] ends with: the allowed form.
pub(crate) const ALLOWED: &str = "an ISO 8601 duration such as PT4H, P7D, PT1H30M or PT0.5S (designators W, D, and after T: H, M, S)";

/// Parses an ISO 8601 duration (see the [module docs](self) for the accepted form).
///
/// # Errors
/// [`Error::InvalidDuration`] naming the text and what is wrong with it: years or months,
/// designators out of order or repeated, a fraction on anything but seconds, more than 9
/// fractional digits, no designator at all, or a duration beyond [`chrono::Duration`]'s range.
///
/// # Example
/// ```
/// use chrono::Duration;
///
/// assert_eq!(itsm_core::duration::parse("P1DT2H")?, Duration::hours(26));
/// assert_eq!(itsm_core::duration::parse("-PT0.25S")?, Duration::milliseconds(-250));
/// let err = itsm_core::duration::parse("P1Y").unwrap_err();
/// assert!(err.to_string().contains("years have no fixed length"));
/// # Ok::<(), itsm_core::Error>(())
/// ```
pub fn parse(text: &str) -> Result<Duration, Error> {
    let invalid = |reason: &'static str| Error::InvalidDuration {
        text: text.to_owned(),
        reason,
    };
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let Some(rest) = rest.strip_prefix('P') else {
        return Err(invalid("it does not start with P"));
    };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => {
            if time.is_empty() {
                return Err(invalid("nothing follows T"));
            }
            (date, Some(time))
        }
        None => (rest, None),
    };
    if date.is_empty() && time.is_none() {
        return Err(invalid("nothing follows P"));
    }
    // Each designator with its length in nanoseconds, in the order they must appear.
    const DATE: [(u8, i128); 2] = [
        (b'W', 7 * 86_400 * NANOS_PER_SECOND),
        (b'D', 86_400 * NANOS_PER_SECOND),
    ];
    const TIME: [(u8, i128); 3] = [
        (b'H', 3_600 * NANOS_PER_SECOND),
        (b'M', 60 * NANOS_PER_SECOND),
        (b'S', NANOS_PER_SECOND),
    ];
    let mut total: i128 = 0;
    for (part, designators, in_time) in [
        (date, &DATE[..], false),
        (time.unwrap_or(""), &TIME[..], true),
    ] {
        let mut next = 0; // index of the first designator still allowed
        let mut digits = part;
        while !digits.is_empty() {
            let end = digits
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .ok_or_else(|| invalid("a number has no designator after it"))?;
            let (number, after) = digits.split_at(end);
            let mut chars = after.chars();
            let designator = chars
                .next()
                .ok_or_else(|| invalid("a number has no designator after it"))?;
            digits = chars.as_str();
            if !in_time && designator == 'Y' {
                return Err(invalid("years have no fixed length"));
            }
            if !in_time && designator == 'M' {
                return Err(invalid(
                    "months have no fixed length (minutes are written after T, as in PT30M)",
                ));
            }
            let Some((position, unit)) = designators
                .iter()
                .enumerate()
                .find(|(_, (d, _))| char::from(*d) == designator)
                .map(|(position, (_, unit))| (position, *unit))
            else {
                return Err(invalid(if in_time {
                    "after T only H, M and S are allowed"
                } else {
                    "before T only W and D are allowed"
                }));
            };
            if position < next {
                return Err(invalid("designators are repeated or out of order"));
            }
            next = position + 1;
            if number.is_empty() {
                return Err(invalid("a designator has no number before it"));
            }
            let amount = if designator == 'S' {
                if !seconds_shape(number) {
                    return Err(invalid(
                        "seconds are not a number with at most 9 fractional digits",
                    ));
                }
                seconds(number).ok_or_else(|| invalid("it is too long for a duration"))?
            } else {
                if number.contains(['.', ',']) {
                    return Err(invalid("only seconds may have a fraction"));
                }
                whole(number)
                    .and_then(|n| n.checked_mul(unit))
                    .ok_or_else(|| invalid("it is too long for a duration"))?
            };
            total = total
                .checked_add(amount)
                .ok_or_else(|| invalid("it is too long for a duration"))?;
        }
    }
    if negative {
        total = -total;
    }
    let secs = i64::try_from(total.div_euclid(NANOS_PER_SECOND));
    let nanos = u32::try_from(total.rem_euclid(NANOS_PER_SECOND));
    match (secs, nanos) {
        (Ok(secs), Ok(nanos)) => Duration::new(secs, nanos),
        _ => None,
    }
    .ok_or_else(|| invalid("it is too long for a duration"))
}

/// A string of ASCII digits as a number; `None` if it is not one or is too large.
fn whole(digits: &str) -> Option<i128> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // 30 digits cannot overflow an i128 (which holds 38).
    if digits.trim_start_matches('0').len() > 30 {
        return None;
    }
    digits.parse().ok()
}

/// Whether `number` is written as seconds may be: digits, then optionally a `.` or `,` and
/// one to nine digits (whether it fits is [`seconds`]' question).
fn seconds_shape(number: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match number.split_once(['.', ',']) {
        Some((int, frac)) => digits(int) && digits(frac) && frac.len() <= 9,
        None => digits(number),
    }
}

/// Seconds with an optional fraction of up to 9 digits, in nanoseconds.
fn seconds(number: &str) -> Option<i128> {
    let (int, frac) = match number.split_once(['.', ',']) {
        Some((int, frac)) => (int, Some(frac)),
        None => (number, None),
    };
    let mut nanos = whole(int)?.checked_mul(NANOS_PER_SECOND)?;
    if let Some(frac) = frac {
        if frac.is_empty() || frac.len() > 9 {
            return None;
        }
        let padded = format!("{frac:0<9}");
        nanos = nanos.checked_add(whole(&padded)?)?;
    }
    Some(nanos)
}

/// Writes `duration` in the canonical ISO 8601 form (see the [module docs](self)).
///
/// # Example
/// ```
/// use chrono::Duration;
/// use itsm_core::duration::format;
///
/// assert_eq!(format(Duration::hours(4)), "PT4H");
/// assert_eq!(format(Duration::days(7)), "P7D");
/// assert_eq!(format(Duration::minutes(90)), "PT1H30M");
/// assert_eq!(format(Duration::milliseconds(500)), "PT0.5S");
/// assert_eq!(format(Duration::zero()), "PT0S");
/// assert_eq!(format(-Duration::minutes(15)), "-PT15M");
/// ```
pub fn format(duration: Duration) -> String {
    use std::fmt::Write as _;

    let sign = if duration < Duration::zero() { "-" } else { "" };
    // `Duration::MIN` is `-Duration::MAX`, so `abs` never overflows.
    let d = duration.abs();
    let total = d.num_seconds();
    let nanos = d.subsec_nanos();
    let (days, hours, minutes, secs) = (
        total / 86_400,
        total % 86_400 / 3_600,
        total % 3_600 / 60,
        total % 60,
    );
    let mut out = format!("{sign}P");
    if days > 0 {
        let _ = write!(out, "{days}D");
    }
    if hours > 0 || minutes > 0 || secs > 0 || nanos > 0 || days == 0 {
        out.push('T');
        if hours > 0 {
            let _ = write!(out, "{hours}H");
        }
        if minutes > 0 {
            let _ = write!(out, "{minutes}M");
        }
        if secs > 0 || nanos > 0 || (hours == 0 && minutes == 0) {
            let _ = write!(out, "{secs}");
            if nanos > 0 {
                let fraction = format!("{nanos:09}");
                let _ = write!(out, ".{}", fraction.trim_end_matches('0'));
            }
            out.push('S');
        }
    }
    out
}

/// Serializes a [`Duration`] as its ISO 8601 string: `#[serde(with = "itsm_core::duration")]`.
///
/// # Errors
/// What the serializer returns.
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub fn serialize<S: serde::Serializer>(
    duration: &Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*duration))
}

/// Deserializes a [`Duration`] from its ISO 8601 string: `#[serde(with = "itsm_core::duration")]`.
///
/// # Errors
/// The deserializer's error carrying [`Error::InvalidDuration`]'s message when the string is
/// not a duration, or its own when the value is not a string.
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub fn deserialize<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Duration, D::Error> {
    deserializer.deserialize_str(Visitor)
}

#[cfg(feature = "serde")]
struct Visitor;

#[cfg(feature = "serde")]
impl serde::de::Visitor<'_> for Visitor {
    type Value = Duration;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(ALLOWED)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Duration, E> {
        parse(text).map_err(E::custom)
    }
}

/// The JSON Schema of a duration, `{"type": "string", "format": "duration"}`:
/// `#[schemars(schema_with = "itsm_core::duration::schema")]`.
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
pub fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "format": "duration" })
}

/// `Option<Duration>` as an ISO 8601 string or `null`:
/// `#[serde(default, with = "itsm_core::duration::option")]`.
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod option {
    use chrono::Duration;

    /// Serializes `Some` as the ISO 8601 string, `None` as `null`.
    ///
    /// # Errors
    /// What the serializer returns.
    pub fn serialize<S: serde::Serializer>(
        duration: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match duration {
            Some(d) => serializer.serialize_some(&super::format(*d)),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes an ISO 8601 string as `Some`, `null` as `None`.
    ///
    /// # Errors
    /// As [`super::deserialize`].
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        deserializer.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> serde::de::Visitor<'de> for OptionVisitor {
        type Value = Option<Duration>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{} or null", super::ALLOWED)
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: serde::Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            super::deserialize(deserializer).map(Some)
        }
    }

    /// The JSON Schema of an optional duration, `{"type": ["string", "null"], "format":
    /// "duration"}`: `#[schemars(schema_with = "itsm_core::duration::option::schema")]`.
    #[cfg(feature = "schemars")]
    #[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
    pub fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["string", "null"], "format": "duration" })
    }
}
