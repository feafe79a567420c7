//! Exact decimal numbers for variables that hold amounts (a cost centre's budget, a storage
//! quota in terabytes): no binary rounding, so `0.1 + 0.2` questions never arise and a
//! value keeps the places it was given.

use std::cmp::Ordering;
use std::str::FromStr;

/// The most digits a decimal holds (integer and fraction together): 15, so that every
/// decimal is also exactly a JSON number (an `f64` carries 15 significant digits exactly).
pub const MAX_DIGITS: u32 = 15;

/// An exact decimal number: `units` at `places` decimal places (12.5 is 125 at 1 place),
/// normalized (no trailing zero in the fraction, so 12.50 and 12.5 are equal and print
/// `12.5`), at most [`MAX_DIGITS`] digits. In JSON a number (`12.5`); a whole number reads
/// as a decimal with no places.
///
/// ```
/// use itsm_catalogue::Decimal;
///
/// let price: Decimal = "1299.90".parse()?;
/// assert_eq!((price.units(), price.places()), (12999, 1));
/// assert_eq!(price.to_string(), "1299.9");
/// assert!(price > Decimal::whole(1299).unwrap());
/// assert!("1234567890.1234567".parse::<Decimal>().is_err()); // 17 digits
/// # Ok::<(), itsm_catalogue::DecimalError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    units: i64,
    places: u8,
}

/// Why a text or number is not a [`Decimal`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecimalError {
    /// Not digits with at most one decimal point and an optional sign.
    #[error("`{}` is not a decimal number; write digits with an optional sign and decimal point, such as 12.5 or -0.25", itsm_core::Quoted(.text))]
    Syntax {
        /// The text.
        text: String,
    },
    /// More digits than a decimal holds.
    #[error("`{}` has {digits} digits; a decimal holds at most 15", itsm_core::Quoted(.text))]
    TooManyDigits {
        /// The text.
        text: String,
        /// Its digits, integer and fraction together.
        digits: u32,
    },
}

/// One more than the largest number of units.
const LIMIT: i64 = 10i64.pow(MAX_DIGITS);

impl Decimal {
    /// `units` at `places` decimal places, normalized; `None` past [`MAX_DIGITS`] digits.
    pub fn new(units: i64, places: u8) -> Option<Self> {
        if u32::from(places) > MAX_DIGITS || units.checked_abs().is_none_or(|a| a >= LIMIT) {
            return None;
        }
        let (mut units, mut places) = (units, places);
        while places > 0 && units % 10 == 0 {
            units /= 10;
            places -= 1;
        }
        Some(Decimal { units, places })
    }

    /// A whole number as a decimal; `None` past [`MAX_DIGITS`] digits.
    pub fn whole(n: i64) -> Option<Self> {
        Decimal::new(n, 0)
    }

    /// The units (12.5 has 125).
    pub fn units(&self) -> i64 {
        self.units
    }

    /// The decimal places (12.5 has 1; 12 has 0).
    pub fn places(&self) -> u8 {
        self.places
    }

    /// The number as an `f64`: exact for every decimal (at most 15 digits).
    pub fn to_f64(&self) -> f64 {
        // Through the text: `units / 10^places` in floating point could round twice.
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The decimal an `f64` spells in its shortest form (`0.1` is 0.1), or why not: NaN and
    /// infinities, or more than [`MAX_DIGITS`] digits.
    ///
    /// # Errors
    /// [`DecimalError`] as for text.
    pub fn from_f64(x: f64) -> Result<Self, DecimalError> {
        // `Display` of an f64 is its shortest round-tripping form, without an exponent.
        format!("{x}").parse()
    }

    /// `units * 10^(scale - places)` as i128: the number at `scale` places.
    fn at(&self, scale: u8) -> i128 {
        i128::from(self.units) * 10i128.pow(u32::from(scale.saturating_sub(self.places)))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.places.max(other.places);
        self.at(scale).cmp(&other.at(scale))
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<i64> for Decimal {
    fn eq(&self, n: &i64) -> bool {
        self.cmp_whole(*n) == Ordering::Equal
    }
}

impl Decimal {
    /// How this compares with the whole number `n` (any `i64`).
    pub fn cmp_whole(&self, n: i64) -> Ordering {
        self.at(self.places)
            .cmp(&(i128::from(n) * 10i128.pow(u32::from(self.places))))
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.places == 0 {
            return write!(f, "{}", self.units);
        }
        let sign = if self.units < 0 { "-" } else { "" };
        let digits = self.units.unsigned_abs().to_string();
        let places = usize::from(self.places);
        let padded = format!("{digits:0>width$}", width = places + 1);
        let (whole, fraction) = padded.split_at(padded.len() - places);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let syntax = || DecimalError::Syntax {
            text: text.to_owned(),
        };
        let t = text.trim();
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction)
        {
            return Err(syntax());
        }
        // Leading zeros of the whole part and trailing zeros of the fraction hold nothing.
        let whole = whole.trim_start_matches('0');
        let fraction = fraction.trim_end_matches('0');
        let digits = u32::try_from(whole.len() + fraction.len()).unwrap_or(u32::MAX);
        if digits > MAX_DIGITS {
            return Err(DecimalError::TooManyDigits {
                text: text.to_owned(),
                digits,
            });
        }
        let units: i64 = format!("{whole}{fraction}").parse::<i64>().unwrap_or(0);
        let places = u8::try_from(fraction.len()).map_err(|_| syntax())?;
        Decimal::new(if negative { -units } else { units }, places).ok_or_else(syntax)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Decimal {
    /// Always as a float (`5000.0` for a decimal with no places): written as an integer it
    /// would read back as a whole number, not a decimal (the fuzz seed with a decimal
    /// condition `5000.0` found it). Exact: a decimal has at most 15 digits.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.to_f64())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Decimal;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number of at most 15 digits")
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Decimal, E> {
                Decimal::whole(n).ok_or_else(|| {
                    E::custom(format!(
                        "{n} has more than 15 digits; a decimal holds at most 15"
                    ))
                })
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Decimal, E> {
                i64::try_from(n)
                    .ok()
                    .and_then(Decimal::whole)
                    .ok_or_else(|| {
                        E::custom(format!(
                            "{n} has more than 15 digits; a decimal holds at most 15"
                        ))
                    })
            }

            fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<Decimal, E> {
                Decimal::from_f64(x).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
impl schemars::JsonSchema for Decimal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact decimal number of at most 15 digits, such as 12.5.",
            "type": "number"
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_reads_exactly_and_prints_normalized() {
        for (text, units, places, shown) in [
            ("12.50", 125, 1, "12.5"),
            ("-0.05", -5, 2, "-0.05"),
            ("+3", 3, 0, "3"),
            ("007.100", 71, 1, "7.1"),
            (".5", 5, 1, "0.5"),
            ("5.", 5, 0, "5"),
            ("0.000", 0, 0, "0"),
            ("999999999999999", 999_999_999_999_999, 0, "999999999999999"),
            ("0.000000000000001", 1, 15, "0.000000000000001"),
        ] {
            let d: Decimal = text.parse().unwrap();
            assert_eq!(
                (d.units(), d.places(), d.to_string().as_str()),
                (units, places, shown),
                "{text}"
            );
            assert_eq!(d.to_string().parse::<Decimal>().unwrap(), d);
            assert_eq!(Decimal::from_f64(d.to_f64()).unwrap(), d, "{text}");
        }
        for bad in ["", ".", "-", "1.2.3", "1e5", "abc", "1,5", " - 1"] {
            assert!(
                matches!(bad.parse::<Decimal>(), Err(DecimalError::Syntax { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            "1000000000000000".parse::<Decimal>(),
            Err(DecimalError::TooManyDigits { digits: 16, .. })
        ));
    }

    #[test]
    fn order_is_numeric_across_places() {
        let d = |t: &str| t.parse::<Decimal>().unwrap();
        assert!(d("0.5") > d("0.25"));
        assert!(d("-0.5") < d("-0.25"));
        assert_eq!(d("2.50"), d("2.5"));
        assert_eq!(d("12").cmp_whole(12), Ordering::Equal);
        assert_eq!(d("12.01").cmp_whole(12), Ordering::Greater);
        assert_eq!(d("999999999999999").cmp_whole(i64::MAX), Ordering::Less);
        assert_eq!(d("-0.1").cmp_whole(i64::MIN), Ordering::Greater);
        assert!(Decimal::new(i64::MIN, 0).is_none());
        assert!(Decimal::new(1, 16).is_none());
    }
}
