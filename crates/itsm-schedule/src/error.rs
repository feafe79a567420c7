//! The one error type of this crate.

use chrono::{DateTime, Duration, Utc};
use itsm_core::duration::format;
use itsm_core::{ChangeId, ConfigItemId};

/// Everything that can go wrong building a schedule or querying it. Each variant names the
/// change, window or setting at fault and says what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A window that does not end after it starts ([`Window::new`](crate::Window::new)).
    #[error(
        "the window {start} to {end} does not end after it starts; a window must end after its start"
    )]
    InvalidWindow {
        /// Its start.
        start: DateTime<Utc>,
        /// Its end.
        end: DateTime<Utc>,
    },
    /// A window with an end outside the instants the schedule represents.
    #[error(
        "the window {start} to {end} lies outside 1677-09-21 to 2262-04-11, the instants a schedule represents"
    )]
    WindowOutOfRange {
        /// Its start.
        start: DateTime<Utc>,
        /// Its end.
        end: DateTime<Utc>,
    },
    /// A scheduled change without a planned start or end (or both).
    #[error("change {change} has no planned {}; a scheduled change needs a planned start and end", missing(.start, .end))]
    MissingWindow {
        /// The change.
        change: ChangeId,
        /// Its planned start, if it has one.
        start: Option<DateTime<Utc>>,
        /// Its planned end, if it has one.
        end: Option<DateTime<Utc>>,
    },
    /// A scheduled change whose planned end is not after its planned start.
    #[error(
        "change {change}: the planned window {start} to {end} does not end after it starts; the planned end must come after the planned start"
    )]
    InvalidPlannedWindow {
        /// The change.
        change: ChangeId,
        /// Its planned start.
        start: DateTime<Utc>,
        /// Its planned end.
        end: DateTime<Utc>,
    },
    /// A scheduled change planned outside the instants the schedule represents.
    #[error(
        "change {change}: the planned window {start} to {end} lies outside 1677-09-21 to 2262-04-11, the instants a schedule represents"
    )]
    PlannedWindowOutOfRange {
        /// The change.
        change: ChangeId,
        /// Its planned start.
        start: DateTime<Utc>,
        /// Its planned end.
        end: DateTime<Utc>,
    },
    /// A scheduled change whose window is longer than [`Limits::longest`](crate::Limits::longest).
    #[error("change {change}: the planned window {start} to {end} lasts {}, longer than the longest allowed, {}", format(*.length), format(*.longest))]
    WindowTooLong {
        /// The change.
        change: ChangeId,
        /// Its planned start.
        start: DateTime<Utc>,
        /// Its planned end.
        end: DateTime<Utc>,
        /// How long it lasts.
        length: Duration,
        /// The longest window allowed.
        longest: Duration,
    },
    /// A change given twice: the first is kept.
    #[error("change {change} is given twice; each change is scheduled once (the first is kept)")]
    DuplicateChange {
        /// The change.
        change: ChangeId,
    },
    /// More changes than the schedule indexes (2^32 - 1, and as many item bookings, a change
    /// on three items counting three): the rest are refused.
    #[error(
        "change {change} is past what a schedule holds: {max} changes, and as many item bookings (a change on three items counts three)"
    )]
    TooManyChanges {
        /// The first change refused.
        change: ChangeId,
        /// How many a schedule holds.
        max: u64,
    },
    /// A configuration item given two maintenance calendars.
    #[error(
        "configuration item {item} has two maintenance calendars, `{first}` and `{second}`; give each item at most one"
    )]
    DuplicateMaintenance {
        /// The item.
        item: ConfigItemId,
        /// The calendar it had.
        first: String,
        /// The calendar given again.
        second: String,
    },
    /// A search whose horizon is not positive.
    #[error("a search horizon of {} is not positive; search at least a moment ahead (the default is 90 days)", format(*.horizon))]
    InvalidSearchHorizon {
        /// The horizon given.
        horizon: Duration,
    },
    /// A search whose step between suggestions is not positive.
    #[error("a step of {} between suggested windows is not positive; give a step above zero (the default is an hour)", format(*.step))]
    InvalidSearchStep {
        /// The step given.
        step: Duration,
    },
    /// A maintenance or blackout calendar could not answer (an instant outside its explicit
    /// horizon, say).
    #[error(transparent)]
    Calendar(#[from] itsm_calendar::Error),
}

impl Error {
    /// The change a refusal of [`Schedule::build`](crate::Schedule::build) names (`None`
    /// for the errors of queries and rules).
    ///
    /// ```
    /// use itsm_core::ChangeId;
    /// use itsm_schedule::{Limits, Schedule, ScheduledChange};
    ///
    /// let (_, refused) = Schedule::build([ScheduledChange::new(ChangeId::from_u128(1), vec![], None, None)], &Limits::new());
    /// assert_eq!(refused[0].change(), Some(ChangeId::from_u128(1)));
    /// ```
    pub fn change(&self) -> Option<ChangeId> {
        match self {
            Error::MissingWindow { change, .. }
            | Error::InvalidPlannedWindow { change, .. }
            | Error::PlannedWindowOutOfRange { change, .. }
            | Error::WindowTooLong { change, .. }
            | Error::DuplicateChange { change }
            | Error::TooManyChanges { change, .. } => Some(*change),
            _ => None,
        }
    }
}

fn missing(start: &Option<DateTime<Utc>>, end: &Option<DateTime<Utc>>) -> &'static str {
    match (start, end) {
        (None, None) => "start and end",
        (None, Some(_)) => "start",
        _ => "end",
    }
}
