//! Decoding stored events and commands fast: internally tagged enums read without buffering
//! (`tagged_enum!`, itsm-core's hidden `__tagged_enum!`, documented there), instants in the
//! form `Serialize` writes read directly (`instant`), shared values read into their `Arc`
//! with one allocation (`arc`). What each accepts and refuses is what serde's derive and
//! chrono accept and refuse.

pub(crate) use itsm_core::__tagged_enum as tagged_enum;

/// Reads an `Arc<T>` with one allocation: serde's own (`rc` feature) reads a `Box<T>`, then
/// moves it into a second allocation for the `Arc`.
#[cfg(feature = "serde")]
pub(crate) fn arc<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    deserializer: D,
) -> Result<std::sync::Arc<T>, D::Error> {
    T::deserialize(deserializer).map(std::sync::Arc::new)
}

/// Reads an instant as chrono's `Deserialize` for `DateTime<Utc>` does (an RFC 3339 string,
/// any offset, converted to UTC; the same errors), with a direct path for the form
/// `Serialize` writes: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, `Z`.
/// chrono's general parser takes several times as long as the rest of a short event.
#[cfg(feature = "serde")]
pub(crate) fn instant<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<chrono::DateTime<chrono::Utc>, D::Error> {
    deserializer.deserialize_str(instant::InstantVisitor)
}

#[cfg(feature = "serde")]
pub(crate) mod instant {
    use std::fmt;

    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
    use serde::de::{Error, Visitor};

    /// chrono's visitor, with the direct path in front.
    pub(super) struct InstantVisitor;

    impl Visitor<'_> for InstantVisitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            // chrono's words, so that errors read the same.
            f.write_str("an RFC 3339 formatted date and time string")
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
            match canonical(v.as_bytes()) {
                Some(instant) => Ok(instant),
                None => v
                    .parse::<DateTime<FixedOffset>>()
                    .map(|instant| instant.with_timezone(&Utc))
                    .map_err(E::custom),
            }
        }
    }

    /// The value of `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`, or `None` for anything else (another
    /// shape, an impossible date, a leap second): chrono's parser then decides.
    pub(crate) fn canonical(s: &[u8]) -> Option<DateTime<Utc>> {
        let (head, rest) = (s.get(..19)?, s.get(19..)?);
        let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
        if !separators.iter().all(|&(i, c)| head.get(i) == Some(&c)) {
            return None;
        }
        let number = |from: usize, to: usize| head.get(from..to).and_then(digits);
        let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
        let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
        let nanos = match rest {
            [b'Z'] => 0,
            [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => {
                let value = digits(fraction)?;
                // Scale to nanoseconds: `.5` is 500,000,000 ns.
                let scale = 10u32.checked_pow(9 - u32::try_from(fraction.len()).ok()?)?;
                value.checked_mul(scale)?
            }
            _ => return None,
        };
        let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
        // `from_hms_nano_opt` refuses second 60; leap seconds go to chrono's parser.
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
        Some(date.and_time(time).and_utc())
    }

    /// The decimal value of ASCII digits (at most 9, so it fits), or `None`.
    fn digits(bytes: &[u8]) -> Option<u32> {
        bytes.iter().try_fold(0u32, |value, &b| {
            b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
        })
    }
}

/// The direct path on its own (mutation testing showed that the tests through JSON cannot
/// tell it from chrono's parser, which gives the same answers): what it reads, and what it
/// leaves to chrono.
#[cfg(all(test, feature = "serde"))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::instant::canonical;
    use chrono::{DateTime, Utc};

    fn chrono(s: &str) -> DateTime<Utc> {
        s.parse::<DateTime<chrono::FixedOffset>>().unwrap().to_utc()
    }

    #[test]
    fn the_form_serialize_writes_is_read_directly_and_agrees_with_chrono() {
        for s in [
            "2026-03-07T22:05:09Z",
            "1999-12-31T23:59:59Z",
            "2026-03-07T22:05:09.5Z",
            "2026-03-07T22:05:09.123456789Z",
            "2026-03-07T22:05:09.000000001Z",
            "2024-02-29T00:00:00.25Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
        ] {
            assert_eq!(canonical(s.as_bytes()), Some(chrono(s)), "{s}");
        }
        // The digits count: every position's value, and the fraction scaled.
        assert_eq!(
            canonical(b"2026-03-07T22:05:09.5Z").map(|t| t.timestamp_subsec_nanos()),
            Some(500_000_000)
        );
        assert_eq!(
            canonical(b"1987-11-23T14:36:58Z").map(|t| t.to_rfc3339()),
            Some("1987-11-23T14:36:58+00:00".to_owned())
        );
    }

    #[test]
    fn any_other_shape_is_left_to_chrono() {
        for s in [
            "2026-03-07T22:05:09+01:00",
            "2026-03-07 22:05:09Z",
            "2026/03/07T22:05:09Z",
            "2026-03-07T22-05:09Z",
            "2026-03-07T22:05:09",
            "2026-03-07T22:05:09z",
            "2026-03-07T22:05:09.Z",
            "2026-03-07T22:05:09.1234567891Z",
            "2026-03-07T22:05:09.5",
            "2026-03-07T22:05:60Z",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-03-07T24:00:00Z",
            "20x6-03-07T22:05:09Z",
            "2026-03-07T22:05:09.12a4Z",
            "2026-03-07T22:05",
            "",
        ] {
            assert_eq!(canonical(s.as_bytes()), None, "{s}");
        }
    }
}
