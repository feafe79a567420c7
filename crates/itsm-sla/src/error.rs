//! The one error type of this crate.

use chrono::{DateTime, Utc};

/// Everything that can go wrong defining or running SLA clocks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two definitions share an id.
    #[error("two SLA definitions have the id `{id}`; ids must be unique")]
    DuplicateDefinition {
        /// The id.
        id: String,
    },
    /// A target is zero or negative.
    #[error("SLA definition `{id}` has a target of {seconds} seconds; it must be positive")]
    NonPositiveTarget {
        /// The definition.
        id: String,
        /// The target given.
        seconds: i64,
    },
    /// A target is longer than supported.
    #[error(
        "SLA definition `{id}` has a target of {seconds} seconds; at most {max} (200 years) is supported"
    )]
    TargetTooLong {
        /// The definition.
        id: String,
        /// The target given.
        seconds: i64,
        /// The longest target.
        max: i64,
    },
    /// A definition names a calendar the host did not provide.
    #[error("SLA definition `{id}` uses calendar `{calendar}`, which is not among the calendars given; known: {}", .known.join(", "))]
    UnknownCalendar {
        /// The definition.
        id: String,
        /// The calendar named.
        calendar: String,
        /// The calendars given.
        known: Vec<String>,
    },
    /// A clock names a definition that is not among the definitions given (measuring a
    /// clock under another set of definitions).
    #[error("no SLA definition has the id `{id}`; known: {}", .known.join(", "))]
    UnknownDefinition {
        /// The definition the clock names.
        id: String,
        /// The definitions given.
        known: Vec<String>,
    },
    /// A calendar query failed (for example, past the calendar's horizon).
    #[error("SLA definition `{id}`: {source}")]
    Calendar {
        /// The definition.
        id: String,
        /// The calendar's answer.
        source: itsm_calendar::Error,
    },
    /// Time went backwards between two inputs.
    #[error(
        "the clock went backwards: now is {now} but the last input was at {last}; time must not decrease"
    )]
    ClockWentBackwards {
        /// The last input's time.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// A date computation overflowed.
    #[error("SLA definition `{id}`: the date overflows computing {what}")]
    Overflow {
        /// The definition.
        id: String,
        /// What was computed.
        what: &'static str,
    },
}
