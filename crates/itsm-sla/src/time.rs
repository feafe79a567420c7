//! Business-time arithmetic for the state machine and `measure`: a definition's calendar
//! (or wall time), nanosecond sums that refuse what does not fit, and targets.

use chrono::{DateTime, Duration, Utc};
use itsm_calendar::Calendar;

use crate::definition::{Calendars, Definition};
use crate::error::Error;
use crate::model::Clock;

/// Business-time arithmetic for one definition: its calendar, or wall time.
pub(crate) struct Time<'a> {
    id: &'a str,
    /// The calendar with its name; `None`: wall time.
    pub(crate) calendar: Option<(&'a str, &'a Calendar)>,
}

impl<'a> Time<'a> {
    /// The definition's own calendar.
    pub(crate) fn of(def: &'a Definition, calendars: &'a Calendars) -> Result<Self, Error> {
        Time::named(def, def.calendar.as_deref(), calendars)
    }

    /// The calendar a clock counts on: the one the ticket chose, else its definition's.
    pub(crate) fn of_clock(
        def: &'a Definition,
        clock: &'a Clock,
        calendars: &'a Calendars,
    ) -> Result<Self, Error> {
        Time::named(
            def,
            clock.calendar.as_deref().or(def.calendar.as_deref()),
            calendars,
        )
    }

    /// The calendar called `name` (`None`: wall time).
    pub(crate) fn named(
        def: &'a Definition,
        name: Option<&'a str>,
        calendars: &'a Calendars,
    ) -> Result<Self, Error> {
        let calendar = match name {
            None => None,
            Some(name) => {
                let calendar = calendars.get(name).ok_or_else(|| Error::UnknownCalendar {
                    id: def.id.clone(),
                    calendar: name.to_owned(),
                    known: calendars.keys().cloned().collect(),
                })?;
                Some((name, calendar))
            }
        };
        Ok(Time {
            id: &def.id,
            calendar,
        })
    }

    /// A calendar's refusal, named with the definition and the calendar.
    pub(crate) fn calendar_error(&self, calendar: &str, source: itsm_calendar::Error) -> Error {
        Error::CalendarQuery {
            id: self.id.to_owned(),
            calendar: calendar.to_owned(),
            source: Box::new(source),
        }
    }

    /// `ns` nanoseconds of business time after `t`.
    pub(crate) fn add(&self, t: DateTime<Utc>, ns: i64) -> Result<DateTime<Utc>, Error> {
        let d = Duration::nanoseconds(ns);
        match self.calendar {
            Some((name, c)) => c.add(&t, d).map_err(|e| self.calendar_error(name, e)),
            None => t.checked_add_signed(d).ok_or(Error::DateOverflow {
                id: self.id.to_owned(),
                what: "a deadline",
            }),
        }
    }

    /// Business time from `a` to `b`, in nanoseconds.
    pub(crate) fn between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<i64, Error> {
        let d = match self.calendar {
            Some((name, c)) => c
                .duration(&a, &b)
                .map_err(|e| self.calendar_error(name, e))?,
            None => b - a,
        };
        d.num_nanoseconds().ok_or(Error::DateOverflow {
            id: self.id.to_owned(),
            what: "a duration",
        })
    }

    /// `d` in nanoseconds, or [`Error::DateOverflow`] naming `what` past about 292 years
    /// (a hand-made clock decoded from JSON can hold more).
    pub(crate) fn exact(&self, d: Duration, what: &'static str) -> Result<i64, Error> {
        d.num_nanoseconds().ok_or_else(|| self.overflow(what))
    }

    /// `a + b` nanoseconds, or [`Error::DateOverflow`] naming `what` past about 292 years.
    pub(crate) fn sum(&self, a: i64, b: i64, what: &'static str) -> Result<i64, Error> {
        a.checked_add(b).ok_or_else(|| self.overflow(what))
    }

    /// `a - b` nanoseconds, or [`Error::DateOverflow`] naming `what` past about 292 years.
    pub(crate) fn difference(&self, a: i64, b: i64, what: &'static str) -> Result<i64, Error> {
        a.checked_sub(b).ok_or_else(|| self.overflow(what))
    }

    /// [`Error::DateOverflow`] naming this definition and `what`.
    pub(crate) fn overflow(&self, what: &'static str) -> Error {
        Error::DateOverflow {
            id: self.id.to_owned(),
            what,
        }
    }
}

/// A definition's target `d` in nanoseconds: exact, since [`Definitions::new`] refuses
/// targets over [`MAX_TARGET`](crate::MAX_TARGET) (200 years, where `i64` nanoseconds hold
/// about 292); the saturation at the ends of `i64` is a guard, never taken. A clock's own
/// target goes through [`target_ns`], and paused totals and elapsed time through
/// [`Time::exact`] and [`Time::sum`], which refuse what does not fit.
pub(crate) fn ns(d: Duration) -> i64 {
    d.num_nanoseconds().unwrap_or(if d < Duration::zero() {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// What [`Error::DateOverflow`] names when a clock's paused business time passes about 292
/// years.
pub(crate) const PAUSED_BUSINESS: &str = "the paused business time";
/// What [`Error::DateOverflow`] names when a clock's paused time passes about 292 years.
pub(crate) const PAUSED: &str = "the paused time";

/// What [`Error::DateOverflow`] names when the business time elapsed, as hundredths of a
/// percent of the target, passes `i64` (a target of nanoseconds measured over days).
pub(crate) const PERCENT: &str = "the percentage of the target elapsed";

/// What [`Error::DateOverflow`] names when a clock's own target (a hand-made clock decoded
/// from JSON) passes about 292 years.
pub(crate) const CLOCK_TARGET: &str = "the clock's target";

/// A clock's target in nanoseconds (its own, else its definition's). A definition's is
/// exact, since [`Definitions::new`] refuses targets over [`MAX_TARGET`](crate::MAX_TARGET);
/// a clock's own past about 292 years (only a hand-made clock decoded from JSON holds one)
/// is [`Error::DateOverflow`] naming [`CLOCK_TARGET`], never a target clamped.
pub(crate) fn target_ns(def: &Definition, clock: Option<&Clock>) -> Result<i64, Error> {
    clock
        .and_then(|c| c.target)
        .unwrap_or(def.target)
        .num_nanoseconds()
        .ok_or_else(|| Error::DateOverflow {
            id: def.id.clone(),
            what: CLOCK_TARGET,
        })
}
