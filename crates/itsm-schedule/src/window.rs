//! A planned window `[start, end)` and the nanosecond clock the indexes run on.

use std::fmt;

use chrono::{DateTime, Duration, SecondsFormat, Utc};

use crate::error::Error;

/// A window of time `[start, end)`: it includes its start and excludes its end, so two
/// windows that touch (one ends where the next starts) do not overlap, and back-to-back
/// changes are allowed.
///
/// A window always ends after it starts and lies within the instants a signed 64-bit count
/// of nanoseconds since 1970 represents (1677-09-21 to 2262-04-11), the clock the
/// schedule's indexes run on; [`Window::new`] refuses anything else.
///
/// In JSON: `{"start": "2026-03-07T22:00:00Z", "end": "2026-03-08T02:00:00Z"}`, checked when
/// read.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use itsm_schedule::Window;
///
/// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
/// let night = Window::new(at(22), at(23))?;
/// assert!(night.overlaps(&Window::new(at(21), at(23))?));
/// // Touching is not overlapping.
/// assert!(!night.overlaps(&Window::new(at(20), at(22))?));
/// assert_eq!(night.length(), chrono::Duration::hours(1));
/// # Ok::<(), itsm_schedule::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawWindow", into = "RawWindow"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(with = "RawWindow"))]
pub struct Window {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// A window as JSON writes it, before it is checked.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "Window"))]
struct RawWindow {
    /// The first instant of the window (included).
    start: DateTime<Utc>,
    /// The instant after the window (excluded); after `start`.
    end: DateTime<Utc>,
}

impl TryFrom<RawWindow> for Window {
    type Error = Error;

    fn try_from(raw: RawWindow) -> Result<Self, Error> {
        Window::new(raw.start, raw.end)
    }
}

impl From<Window> for RawWindow {
    fn from(window: Window) -> Self {
        RawWindow {
            start: window.start,
            end: window.end,
        }
    }
}

/// Nanoseconds since 1970, when `t` has them in 64 bits.
pub(crate) fn nanos(t: DateTime<Utc>) -> Option<i64> {
    t.timestamp_nanos_opt()
}

/// The instant `ns` nanoseconds after 1970.
pub(crate) fn instant(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

impl Window {
    /// The window `[start, end)`.
    ///
    /// # Errors
    /// [`Error::InvalidWindow`] when `end` is not after `start`;
    /// [`Error::WindowOutOfRange`] when either end lies outside 1677-09-21 to 2262-04-11.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_schedule::{Error, Window};
    ///
    /// let noon = Utc.with_ymd_and_hms(2026, 3, 7, 12, 0, 0).unwrap();
    /// assert!(matches!(Window::new(noon, noon), Err(Error::InvalidWindow { .. })));
    /// ```
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Window, Error> {
        if nanos(start).is_none() || nanos(end).is_none() {
            return Err(Error::WindowOutOfRange { start, end });
        }
        if end <= start {
            return Err(Error::InvalidWindow { start, end });
        }
        Ok(Window { start, end })
    }

    /// The window of `length` from `start`.
    ///
    /// # Errors
    /// As [`Window::new`]; a length that is not positive is [`Error::InvalidWindow`], one
    /// past chrono's range [`Error::WindowOutOfRange`].
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_schedule::Window;
    ///
    /// let start = Utc.with_ymd_and_hms(2026, 3, 7, 22, 0, 0).unwrap();
    /// assert_eq!(Window::starting(start, Duration::hours(4))?.end(), Utc.with_ymd_and_hms(2026, 3, 8, 2, 0, 0).unwrap());
    /// # Ok::<(), itsm_schedule::Error>(())
    /// ```
    pub fn starting(start: DateTime<Utc>, length: Duration) -> Result<Window, Error> {
        match start.checked_add_signed(length) {
            Some(end) => Window::new(start, end),
            None => Err(Error::WindowOutOfRange {
                start,
                end: DateTime::<Utc>::MAX_UTC,
            }),
        }
    }

    /// Built from nanoseconds the caller knows to be ordered and in range.
    pub(crate) fn from_nanos(start: i64, end: i64) -> Window {
        Window {
            start: instant(start),
            end: instant(end),
        }
    }

    /// The first instant of the window.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The instant after the window (not in it).
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// How long the window lasts (always positive).
    pub fn length(&self) -> Duration {
        self.end - self.start
    }

    /// Whether the two windows share an instant: `a.start < b.end && b.start < a.end`.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `t` lies in the window: at or after its start, before its end.
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_schedule::Window;
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    /// let night = Window::new(at(22), at(23))?;
    /// assert!(night.contains(at(22)));
    /// assert!(night.contains(at(23) - Duration::nanoseconds(1)));
    /// assert!(!night.contains(at(23)));
    /// assert!(!night.contains(at(22) - Duration::nanoseconds(1)));
    /// # Ok::<(), itsm_schedule::Error>(())
    /// ```
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }

    /// The window in nanoseconds since 1970 (in range by construction).
    pub(crate) fn span(&self) -> (i64, i64) {
        (
            nanos(self.start).unwrap_or(i64::MIN),
            nanos(self.end).unwrap_or(i64::MAX),
        )
    }
}

impl fmt::Display for Window {
    /// ISO 8601's interval form, `start/end`, in UTC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            self.start.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            self.end.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        )
    }
}
