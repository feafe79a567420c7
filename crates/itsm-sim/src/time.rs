//! Simulated time: `f64` hours from the run's start inside the event loop; chrono instants
//! and durations at the API.

use chrono::{DateTime, Duration, Utc};

/// A duration in hours.
pub(crate) fn hours(d: Duration) -> f64 {
    d.num_seconds() as f64 / 3600.0 + f64::from(d.subsec_nanos()) / 3.6e12
}

/// Hours as a duration, to the microsecond (saturating, never panicking).
pub(crate) fn duration(h: f64) -> Duration {
    let micros = (h * 3.6e9).round();
    if micros.is_nan() {
        return Duration::zero();
    }
    // `as` saturates at the ends of i64; chrono's range is smaller, so clamp to it.
    let micros = micros as i64;
    Duration::microseconds(micros.clamp(-MAX_MICROS, MAX_MICROS))
}

/// Whether a clock started at `from` hours and stopped (or looked at) at `to` hours has
/// reached a target of `target` nanoseconds: the SLA engine's rule (a deadline is due at
/// its instant) on the same microsecond instants as the full path.
#[inline]
pub(crate) fn due(from: f64, to: f64, target: i64) -> bool {
    // Ten microseconds, in hours: further from the target than this, the comparison in
    // hours cannot differ from the one on microsecond instants (f64 hours keep far better
    // than a microsecond over the longest horizon).
    const NEAR: f64 = 10.0 / 3.6e9;
    let gap = (to - from) - target as f64 / 3.6e12;
    if gap > NEAR {
        return true;
    }
    if gap < -NEAR {
        return false;
    }
    let micros = |h: f64| duration(h).num_microseconds().unwrap_or(0);
    i128::from(micros(to) - micros(from)) * 1000 >= i128::from(target)
}

/// The instant `h` hours after `start`, to the microsecond.
pub(crate) fn instant(start: DateTime<Utc>, h: f64) -> Option<DateTime<Utc>> {
    start.checked_add_signed(duration(h))
}

/// The largest duration handled, in microseconds: 1000 years.
const MAX_MICROS: i64 = 1000 * 366 * 86_400 * 1_000_000;

/// `#[serde(with = "crate::time::durations")]`: a list of ISO 8601 durations.
#[cfg(feature = "serde")]
pub(crate) mod durations {
    use chrono::Duration;

    pub(crate) fn serialize<S: serde::Serializer>(
        list: &[Duration],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(list.len()))?;
        for d in list {
            seq.serialize_element(&itsm_core::duration::format(*d))?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Duration>, D::Error> {
        let texts: Vec<String> = serde::Deserialize::deserialize(deserializer)?;
        texts
            .iter()
            .map(|t| itsm_core::duration::parse(t).map_err(serde::de::Error::custom))
            .collect()
    }

    /// The JSON Schema: an array of ISO 8601 durations.
    #[cfg(feature = "schemars")]
    pub(crate) fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "array",
            "items": { "type": "string", "format": "duration" }
        })
    }
}
