//! The one error type of this crate.

use chrono::{DateTime, Duration, Utc};
use itsm_core::duration::format;

/// Everything that can go wrong defining or running SLA clocks.
///
/// Errors of the foundation crates convert with `?` ([`Error::Core`], [`Error::Calendar`]),
/// so a host that compiles calendars and definitions and runs clocks needs one error type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two definitions share an id.
    #[error("two SLA definitions have the id `{id}`; ids must be unique")]
    DuplicateDefinition {
        /// The id.
        id: String,
    },
    /// One of a definition's conditions nests `all`, `any` and `not` deeper than
    /// [`MAX_CONDITION_DEPTH`](itsm_core::MAX_CONDITION_DEPTH).
    #[error(
        "SLA definition `{id}`: its {condition} condition nests {depth} deep; at most {max} levels of `all`, `any` and `not` are allowed"
    )]
    ConditionTooDeep {
        /// The definition.
        id: String,
        /// Which condition: `start`, `stop`, `pause`, `resume`, `cancel` or `reset`.
        condition: &'static str,
        /// How deep it nests.
        depth: usize,
        /// The most allowed.
        max: usize,
    },
    /// A target is zero or negative.
    #[error("SLA definition `{id}` has a target of {}; it must be positive", format(*.target))]
    NonPositiveTarget {
        /// The definition.
        id: String,
        /// The target given.
        target: Duration,
    },
    /// A target is longer than supported.
    #[error(
        "SLA definition `{id}` has a target of {}; at most {} (200 years) is supported",
        format(*.target),
        format(*.max)
    )]
    TargetTooLong {
        /// The definition.
        id: String,
        /// The target given.
        target: Duration,
        /// The longest target, [`MAX_TARGET`](crate::MAX_TARGET).
        max: Duration,
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
    /// Business time on a definition's calendar could not be computed (for example, past the
    /// calendar's horizon). The message names the definition and the calendar; the
    /// calendar's own error is the [`source`](std::error::Error::source).
    #[error("SLA definition `{id}`: business time on calendar `{calendar}` cannot be computed")]
    CalendarQuery {
        /// The definition.
        id: String,
        /// The calendar's name.
        calendar: String,
        /// The calendar's answer (boxed: it is large, and errors travel in every `Result`).
        source: Box<itsm_calendar::Error>,
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
    /// Instant or duration arithmetic went past what chrono (or the nanoseconds of business
    /// time, about 292 years) can represent.
    #[error("SLA definition `{id}`: the date overflows computing {what}")]
    DateOverflow {
        /// The definition.
        id: String,
        /// What was computed.
        what: &'static str,
    },
    /// A definition with a relative target names no calendar to count business days on.
    #[error(
        "SLA definition `{id}` has a relative target but no calendar; name one in `calendar` or `calendar_from`"
    )]
    RelativeWithoutCalendar {
        /// The definition.
        id: String,
    },
    /// A relative target counts more business days than supported.
    #[error(
        "SLA definition `{id}` has a relative target of {days} business days; at most {max} are supported"
    )]
    RelativeTooLong {
        /// The definition.
        id: String,
        /// The business days given.
        days: u32,
        /// The most supported, [`MAX_BUSINESS_DAYS`](crate::MAX_BUSINESS_DAYS).
        max: u32,
    },
    /// An error of `itsm-core` (a duration that does not parse, for example), as is.
    #[error(transparent)]
    Core(#[from] itsm_core::Error),
    /// An error of `itsm-calendar` (a calendar spec that does not compile, for example), as
    /// is.
    #[error(transparent)]
    Calendar(#[from] itsm_calendar::Error),
}
