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
    /// A text is not a segment.
    #[error("`{text}` is not a segment; write HH:MM-HH:MM, such as 08:00-12:00 or 22:00-06:00")]
    InvalidSegmentText {
        /// The text.
        text: String,
    },
    /// A text is not a holiday.
    #[error("`{text}` is not a holiday; write a date, YYYY-MM-DD, or a day every year, --MM-DD")]
    InvalidHolidayText {
        /// The text.
        text: String,
    },
    /// A segment ends where it starts, or starts at `24:00`.
    #[error(
        "calendar `{calendar}`: the {day} segment {start}-{end} is empty or starts at 24:00; a segment whose end is earlier than its start crosses midnight"
    )]
    InvalidSegment {
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
    /// A segment that crosses midnight runs into a segment of the next day.
    #[error(
        "calendar `{calendar}`: the {day} segment {overnight} runs into the {next} segment {segment}; segments may touch but not overlap"
    )]
    OvernightOverlap {
        /// The calendar.
        calendar: String,
        /// The day the segment that crosses midnight belongs to.
        day: Weekday,
        /// That segment, as `HH:MM-HH:MM`.
        overnight: String,
        /// The next day.
        next: Weekday,
        /// The next day's segment it runs into.
        segment: String,
    },
    /// A yearly holiday names a day that no year has.
    #[error(
        "calendar `{calendar}`: {} is on month {month}, day {day}, which no year has",
        holiday(name)
    )]
    InvalidHoliday {
        /// The calendar.
        calendar: String,
        /// The holiday's name, if it has one.
        name: Option<String>,
        /// Its month.
        month: u32,
        /// Its day.
        day: u32,
    },
    /// An exception does not end after it starts.
    #[error(
        "calendar `{calendar}`: exception `{name}` from {start} to {end} does not end after it starts"
    )]
    InvalidException {
        /// The calendar.
        calendar: String,
        /// The exception.
        name: String,
        /// Its start.
        start: NaiveDateTime,
        /// Its end.
        end: NaiveDateTime,
    },
    /// The spec's zone is not one this build knows.
    #[error("calendar `{calendar}`: unknown time zone `{zone}`; write {allowed}")]
    UnknownZone {
        /// The calendar.
        calendar: String,
        /// The zone as written.
        zone: String,
        /// What may be written (without the `tz` feature, no IANA names).
        allowed: &'static str,
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
    /// A calendar without a horizon is never open: its weekly hours are empty (or every day
    /// is a yearly holiday) and no exception opens it.
    #[error(
        "calendar `{calendar}` is never open: no weekly hours outside yearly holidays and no open exception"
    )]
    NeverOpen {
        /// The calendar.
        calendar: String,
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
    /// A calendar without a horizon runs out of open time: it opens only through
    /// exceptions, and none is left in the direction asked.
    #[error("calendar `{calendar}` has no open time left for {what} from {at}")]
    OutOfOpenTime {
        /// The calendar.
        calendar: String,
        /// What was asked.
        what: &'static str,
        /// The instant the query started from.
        at: DateTime<Utc>,
    },
    /// The result of a query lies past the instants chrono represents.
    #[error("{what} from {at} goes past the instants chrono represents")]
    DateOverflow {
        /// What was asked.
        what: &'static str,
        /// The instant the query started from.
        at: DateTime<Utc>,
    },
    /// A text given to [`ics::read`](crate::ics::read) is not an iCalendar object.
    #[error("iCalendar line {line}: {reason}")]
    InvalidIcs {
        /// The line (1-based).
        line: usize,
        /// What was wrong.
        reason: String,
    },
    /// An all-day iCalendar event (`DTSTART` a date) whose `DTEND` is a date-time.
    #[error(
        "iCalendar line {line}: DTEND is a date-time, but DTSTART is a date; an all-day event ends on a date (DTEND;VALUE=DATE:YYYYMMDD, excluded) or lasts a DURATION"
    )]
    IcsEndNotADate {
        /// The line of the `DTEND` (1-based).
        line: usize,
    },
    /// An iCalendar `DTSTART`, `DTEND` or `DURATION` that does not read.
    #[error(
        "iCalendar line {line}: {property} `{}` is not a date (YYYYMMDD), a date-time (YYYYMMDDTHHMMSS, with Z or TZID for a zoned one) or, for DURATION, a duration such as P1D or PT2H",
        itsm_core::Quoted(.value)
    )]
    InvalidIcsValue {
        /// The line (1-based).
        line: usize,
        /// The property.
        property: String,
        /// The value as given.
        value: String,
    },
}

fn holiday(name: &Option<String>) -> String {
    match name {
        Some(name) => format!("holiday `{name}`"),
        None => "a yearly holiday".to_owned(),
    }
}
