//! The time zone a spec names.

use chrono::FixedOffset;

/// A zone a spec can name: UTC, a fixed offset, or (with the `tz` feature) an IANA zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    Utc,
    Fixed(FixedOffset),
    #[cfg(feature = "tz")]
    Iana(chrono_tz::Tz),
}

/// What a spec's `zone` may be, for the error that refuses one.
#[cfg(feature = "tz")]
pub(crate) const ALLOWED: &str =
    "an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00";
#[cfg(not(feature = "tz"))]
pub(crate) const ALLOWED: &str =
    "UTC or an offset such as +02:00 (IANA names need the `tz` feature)";

impl Zone {
    /// `UTC`, `+HH:MM` / `-HH:MM`, or (with the `tz` feature) an IANA name.
    pub(crate) fn parse(text: &str) -> Option<Zone> {
        if text == "UTC" {
            return Some(Zone::Utc);
        }
        if let Some(offset) = parse_offset(text) {
            return Some(Zone::Fixed(offset));
        }
        #[cfg(feature = "tz")]
        if let Ok(tz) = text.parse::<chrono_tz::Tz>() {
            return Some(Zone::Iana(tz));
        }
        None
    }
}

/// `+HH:MM` or `-HH:MM`, less than 24 hours.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let two = |p: &str| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i32>().ok())
            .flatten()
    };
    let (h, m) = (two(h)?, two(m)?);
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}
