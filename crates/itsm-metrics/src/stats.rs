//! Exact summaries of durations and counts: nearest-rank percentiles, a mean to the
//! nanosecond, and ratios kept as their two counts.

use chrono::Duration;

/// A part of a whole, kept as two counts so nothing is lost to rounding: `count` of `of`.
/// Its [`value`](Ratio::value) is `None` for an empty whole, never NaN.
///
/// ```
/// use itsm_metrics::Ratio;
///
/// assert_eq!(Ratio::new(1, 4).value(), Some(0.25));
/// assert_eq!(Ratio::new(0, 0).value(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Ratio {
    /// How many have the property.
    pub count: u64,
    /// Out of how many.
    pub of: u64,
}

impl Ratio {
    /// `count` of `of`.
    pub const fn new(count: u64, of: u64) -> Self {
        Ratio { count, of }
    }

    /// `count / of` (in `[0, 1]` whenever `count <= of`, as every ratio this crate computes
    /// is), or `None` when `of` is 0.
    pub fn value(&self) -> Option<f64> {
        // u64 to f64 is exact below 2^53 tickets.
        (self.of > 0).then(|| self.count as f64 / self.of as f64)
    }

    pub(crate) fn add(&mut self, hit: bool) {
        self.of += 1;
        if hit {
            self.count += 1;
        }
    }
}

/// The `p`th percentile of `sorted` (ascending) by the **nearest-rank** method: the value at
/// rank `ceil(p / 100 * n)` (1-based), and the smallest value for `p = 0`. Always one of the
/// values, never an interpolation. `None` when `sorted` is empty or `p > 100`.
///
/// ```
/// use chrono::Duration;
/// use itsm_metrics::percentile;
///
/// let v: Vec<Duration> = [1, 2, 3, 4].map(Duration::minutes).to_vec();
/// assert_eq!(percentile(&v, 50), Some(Duration::minutes(2))); // rank ceil(2.0) = 2
/// assert_eq!(percentile(&v, 51), Some(Duration::minutes(3))); // rank ceil(2.04) = 3
/// assert_eq!(percentile(&v, 100), Some(Duration::minutes(4)));
/// assert_eq!(percentile(&[], 50), None);
/// ```
pub fn percentile(sorted: &[Duration], p: u8) -> Option<Duration> {
    if p > 100 {
        return None;
    }
    let n = sorted.len();
    // ceil(p * n / 100) in integers; rank 0 (p = 0) reads the first value.
    let rank = (usize::from(p) * n).div_ceil(100);
    sorted.get(rank.saturating_sub(1)).copied()
}

/// The arithmetic mean of `values`, exact to the nanosecond (the sum is kept in 128 bits;
/// the quotient is rounded down, toward the past). `None` when `values` is empty.
///
/// ```
/// use chrono::Duration;
/// use itsm_metrics::mean;
///
/// let v = [Duration::seconds(1), Duration::seconds(2)];
/// assert_eq!(mean(&v), Some(Duration::milliseconds(1500)));
/// assert_eq!(mean(&[]), None);
/// ```
pub fn mean(values: &[Duration]) -> Option<Duration> {
    if values.is_empty() {
        return None;
    }
    let sum: i128 = values.iter().map(|d| nanos(*d)).sum();
    let n = i128::try_from(values.len()).ok()?;
    from_nanos(sum.div_euclid(n))
}

fn nanos(d: Duration) -> i128 {
    i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos())
}

fn from_nanos(n: i128) -> Option<Duration> {
    let secs = i64::try_from(n.div_euclid(1_000_000_000)).ok()?;
    let rest = i64::try_from(n.rem_euclid(1_000_000_000)).ok()?;
    Duration::try_seconds(secs)?.checked_add(&Duration::nanoseconds(rest))
}

/// A summary of durations: count, mean, extremes and the nearest-rank median, 90th and
/// 95th percentiles ([`percentile`]). In JSON the durations are ISO 8601 strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DurationStats {
    /// How many durations.
    pub count: u64,
    /// Their mean ([`mean`]).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub mean: Duration,
    /// The smallest.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub min: Duration,
    /// The median (nearest rank: the 50th percentile).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub p50: Duration,
    /// The 90th percentile (nearest rank).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub p90: Duration,
    /// The 95th percentile (nearest rank).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub p95: Duration,
    /// The largest.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub max: Duration,
}

impl DurationStats {
    /// The summary of `values` (in any order; sorted here, O(n log n)), `None` when empty.
    ///
    /// ```
    /// use chrono::Duration;
    /// use itsm_metrics::DurationStats;
    ///
    /// let s = DurationStats::of((1..=10).map(Duration::hours).collect()).unwrap();
    /// assert_eq!((s.count, s.p50, s.p90, s.max), (10, Duration::hours(5), Duration::hours(9), Duration::hours(10)));
    /// assert_eq!(s.mean, Duration::minutes(330));
    /// assert_eq!(DurationStats::of(Vec::new()), None);
    /// ```
    pub fn of(mut values: Vec<Duration>) -> Option<DurationStats> {
        values.sort_unstable();
        Some(DurationStats {
            count: u64::try_from(values.len()).ok()?,
            mean: mean(&values)?,
            min: *values.first()?,
            p50: percentile(&values, 50)?,
            p90: percentile(&values, 90)?,
            p95: percentile(&values, 95)?,
            max: *values.last()?,
        })
    }
}
