//! The one error type of this crate.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc, Weekday};

/// Everything that can go wrong building or querying a calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A text is not a time of day.
    #[error("`{text}` is not a time of day; write HH:MM or HH:MM:SS from 00:00 to 24:00")]
    InvalidTimeOfDay {
        /// The text.
        text: String,
    },
    /// A segment does not end after it starts.
    #[error("calendar `{calendar}`: the {day} segment {start}-{end} does not end after it starts")]
    InvertedSegment {
        /// The calendar.
        calendar: String,
        /// The day.
        day: Weekday,
        /// Its start.
        start: String,
        /// Its end.
        end: String,
    },
    /// Two segments of a day overlap.
    #[error(
        "calendar `{calendar}`: on {day} the segments {first} and {second} overlap; segments may touch but not overlap"
    )]
    OverlappingSegments {
        /// The calendar.
        calendar: String,
        /// The day.
        day: Weekday,
        /// One segment, as `HH:MM-HH:MM`.
        first: String,
        /// The other.
        second: String,
    },
    /// A holiday names a day that no year has.
    #[error(
        "calendar `{calendar}`: holiday `{name}` is on month {month}, day {day}, which no year has"
    )]
    InvalidHoliday {
        /// The calendar.
        calendar: String,
        /// The holiday.
        name: String,
        /// Its month.
        month: u32,
        /// Its day.
        day: u32,
    },
    /// An exception does not end after it starts.
    #[error(
        "calendar `{calendar}`: exception `{name}` from {start} to {end} does not end after it starts"
    )]
    InvertedException {
        /// The calendar.
        calendar: String,
        /// The exception.
        name: String,
        /// Its start.
        start: NaiveDateTime,
        /// Its end.
        end: NaiveDateTime,
    },
    /// The horizon is empty, too long or out of the supported range.
    #[error(
        "horizon {from} to {to} is not supported; it must be non-empty, at most {max_years} years long, within the years 1700 to 2200"
    )]
    InvalidHorizon {
        /// First day.
        from: NaiveDate,
        /// Day after the last.
        to: NaiveDate,
        /// The longest horizon supported.
        max_years: u32,
    },
    /// The calendar is never open in its horizon: no positive business duration could ever
    /// be added, so it is refused up front rather than searched for ever.
    #[error("calendar `{calendar}` has no open time between {from} and {to}")]
    NoOpenTime {
        /// The calendar.
        calendar: String,
        /// First day.
        from: NaiveDate,
        /// Day after the last.
        to: NaiveDate,
    },
    /// An instant outside the compiled horizon.
    #[error("{at} is outside the calendar's horizon, {from} to {to}; compile a longer horizon")]
    OutOfHorizon {
        /// The instant.
        at: DateTime<Utc>,
        /// Start of the horizon.
        from: DateTime<Utc>,
        /// End of the horizon.
        to: DateTime<Utc>,
    },
    /// The result of a query lies beyond the compiled horizon (or before it).
    #[error(
        "{what} from {at} goes past the calendar's horizon, {from} to {to}; compile a longer horizon"
    )]
    PastHorizon {
        /// What was asked.
        what: &'static str,
        /// The instant the query started from.
        at: DateTime<Utc>,
        /// Start of the horizon.
        from: DateTime<Utc>,
        /// End of the horizon.
        to: DateTime<Utc>,
    },
}
