//! The one error type of this crate.

use chrono::{DateTime, Utc};

use crate::kpis::Measure;
use crate::register::InitiativeStatus;

/// Everything that can go wrong in `itsm-metrics`. Each variant says what was found and
/// what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An age bucket bound of the backlog is not positive or not above the one before.
    #[error(
        "age bucket bound {index} ({bound}) must be positive and greater than the bound before it"
    )]
    InvalidBounds {
        /// The bound's position.
        index: usize,
        /// The bound, as an ISO 8601 duration.
        bound: String,
    },
    /// A value's kind does not fit its measure (a rate for a time measure, or the reverse).
    #[error("{measure} is {expected}, but a {got} was given")]
    MismatchedValue {
        /// The measure.
        measure: Measure,
        /// What it takes: `a time` or `a rate`.
        expected: &'static str,
        /// What was given: `time` or `rate`.
        got: &'static str,
    },
    /// A value is out of range (a rate outside `[0, 1]` or not a number, a negative time).
    #[error("{value} is not a valid {what}; {allowed}")]
    InvalidValue {
        /// The value as given.
        value: String,
        /// What it was meant to be.
        what: &'static str,
        /// What is allowed.
        allowed: &'static str,
    },
    /// An initiative's target equals its baseline: there is nothing to improve.
    #[error("the target equals the baseline ({value}); give a target that differs from it")]
    TargetIsBaseline {
        /// The value of both.
        value: String,
    },
    /// An initiative's title is empty.
    #[error("an initiative's title must not be empty")]
    EmptyTitle,
    /// A command other than `propose` before the initiative was proposed.
    #[error("no initiative has been proposed yet; propose one first")]
    NotProposed,
    /// `propose` on an initiative that exists.
    #[error("the initiative {id} is already proposed; propose a new one under a new id")]
    AlreadyProposed {
        /// Its id.
        id: String,
    },
    /// A command that the initiative's status does not allow.
    #[error("cannot {command} an initiative that is {status}; allowed when {}", list(.allowed))]
    NotAllowed {
        /// The command's name.
        command: &'static str,
        /// The initiative's status.
        status: InitiativeStatus,
        /// The statuses that allow it.
        allowed: Vec<InitiativeStatus>,
    },
    /// `achieve` while the latest measurement does not reach the target.
    #[error("the target is not reached: {progress}; record a measurement that reaches it")]
    TargetNotReached {
        /// The progress, explained.
        progress: String,
    },
    /// The context's `now` is before the initiative's last event.
    #[error("the clock went backwards: now is {now}, but the last event was at {last}")]
    ClockWentBackwards {
        /// The context's instant.
        now: DateTime<Utc>,
        /// The last event's instant.
        last: DateTime<Utc>,
    },
    /// A period (or the span given to `periods`) that does not end after it starts.
    #[error(
        "period {index} starts at {start} and ends at {end}; a period must end after it starts"
    )]
    EmptyPeriod {
        /// Its position in the list (0 for `periods`' span).
        index: usize,
        /// Its start.
        start: DateTime<Utc>,
        /// Its end.
        end: DateTime<Utc>,
    },
    /// An outage whose end is before its begin.
    #[error(
        "outage {index} ends at {end}, before it begins at {begin}; give an end at or after the begin"
    )]
    OutageEndsBeforeBegin {
        /// Its position in the list.
        index: usize,
        /// Its begin.
        begin: DateTime<Utc>,
        /// Its end.
        end: DateTime<Utc>,
    },
    /// The schedule cannot measure a span (an instant outside its calendar's horizon).
    #[error(
        "the schedule cannot measure the time from {from} to {to}; give a schedule that covers it"
    )]
    Unmeasured {
        /// The span's start.
        from: DateTime<Utc>,
        /// Its end.
        to: DateTime<Utc>,
    },
    /// A period around a bound of `periods` would start or end outside chrono's range.
    #[error(
        "the periods around {from} to {to} would start or end outside the representable dates; give bounds inside them"
    )]
    OutOfRange {
        /// The span's start.
        from: DateTime<Utc>,
        /// Its end.
        to: DateTime<Utc>,
    },
}

fn list(statuses: &[InitiativeStatus]) -> String {
    let names: Vec<&str> = statuses.iter().map(|s| s.name()).collect();
    names.join(" or ")
}
