//! A business calendar as plain data: what a policy file holds.

use chrono::{NaiveDate, NaiveDateTime, Weekday};

use crate::error::Error;

/// A time of day from `00:00` to `24:00` inclusive, to the second. `24:00` may only end a
/// segment. In JSON: `"09:00"`, `"17:30:15"`, `"24:00"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(with = "String"))]
pub struct TimeOfDay(u32);

impl TimeOfDay {
    /// Midnight at the start of the day.
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);
    /// Midnight at the end of the day (`24:00`).
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(86_400);

    /// A time from hours and minutes; `24:00` is allowed.
    ///
    /// # Errors
    /// [`Error::InvalidTimeOfDay`] past `24:00` or with minutes past 59.
    pub fn hm(hour: u32, minute: u32) -> Result<Self, Error> {
        Self::hms(hour, minute, 0)
    }

    /// A time from hours, minutes and seconds; `24:00:00` is allowed.
    ///
    /// # Errors
    /// [`Error::InvalidTimeOfDay`] past `24:00:00` or with minutes or seconds past 59.
    pub fn hms(hour: u32, minute: u32, second: u32) -> Result<Self, Error> {
        let secs = hour
            .checked_mul(3600)
            .and_then(|h| h.checked_add(minute.saturating_mul(60)))
            .and_then(|hm| hm.checked_add(second));
        match secs {
            Some(s) if minute < 60 && second < 60 && s <= 86_400 => Ok(TimeOfDay(s)),
            _ => Err(Error::InvalidTimeOfDay {
                text: format!("{hour:02}:{minute:02}:{second:02}"),
            }),
        }
    }

    /// Seconds since midnight (86,400 for `24:00`).
    pub const fn seconds(self) -> u32 {
        self.0
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if s == 0 {
            write!(f, "{h:02}:{m:02}")
        } else {
            write!(f, "{h:02}:{m:02}:{s:02}")
        }
    }
}

impl std::str::FromStr for TimeOfDay {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        let bad = || Error::InvalidTimeOfDay {
            text: text.to_owned(),
        };
        let mut parts = text.split(':');
        let mut next = |required: bool| -> Result<u32, Error> {
            match parts.next() {
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map_err(|_| bad())
                }
                None if !required => Ok(0),
                _ => Err(bad()),
            }
        };
        let (h, m, s) = (next(true)?, next(true)?, next(false)?);
        if parts.next().is_some() {
            return Err(bad());
        }
        TimeOfDay::hms(h, m, s).map_err(|_| bad())
    }
}

impl TryFrom<String> for TimeOfDay {
    type Error = Error;
    fn try_from(text: String) -> Result<Self, Error> {
        text.parse()
    }
}

impl From<TimeOfDay> for String {
    fn from(t: TimeOfDay) -> Self {
        t.to_string()
    }
}

/// An open segment of a day, half-open: open from `start` (included) to `end` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Segment {
    /// Opening time.
    pub start: TimeOfDay,
    /// Closing time (may be `24:00`).
    pub end: TimeOfDay,
}

impl Segment {
    /// A segment from `HH:MM` texts.
    ///
    /// # Errors
    /// [`Error::InvalidTimeOfDay`] when a text is not a time of day.
    pub fn parse(start: &str, end: &str) -> Result<Self, Error> {
        Ok(Segment {
            start: start.parse()?,
            end: end.parse()?,
        })
    }
}

/// Open segments for each day of the week; a day with no segments is closed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Week {
    /// Monday.
    pub mon: Vec<Segment>,
    /// Tuesday.
    pub tue: Vec<Segment>,
    /// Wednesday.
    pub wed: Vec<Segment>,
    /// Thursday.
    pub thu: Vec<Segment>,
    /// Friday.
    pub fri: Vec<Segment>,
    /// Saturday.
    pub sat: Vec<Segment>,
    /// Sunday.
    pub sun: Vec<Segment>,
}

impl Week {
    /// The segments of `day`.
    pub fn day(&self, day: Weekday) -> &[Segment] {
        match day {
            Weekday::Mon => &self.mon,
            Weekday::Tue => &self.tue,
            Weekday::Wed => &self.wed,
            Weekday::Thu => &self.thu,
            Weekday::Fri => &self.fri,
            Weekday::Sat => &self.sat,
            Weekday::Sun => &self.sun,
        }
    }

    /// The same segments on Monday to Friday, weekends closed.
    pub fn weekdays(segments: &[Segment]) -> Self {
        Week {
            mon: segments.to_vec(),
            tue: segments.to_vec(),
            wed: segments.to_vec(),
            thu: segments.to_vec(),
            fri: segments.to_vec(),
            sat: Vec::new(),
            sun: Vec::new(),
        }
    }

    /// Open around the clock, every day.
    pub fn always() -> Self {
        let all = [Segment {
            start: TimeOfDay::MIDNIGHT,
            end: TimeOfDay::END_OF_DAY,
        }];
        Week {
            sat: all.to_vec(),
            sun: all.to_vec(),
            ..Week::weekdays(&all)
        }
    }
}

/// A day on which the weekly hours do not apply (closed all day).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Holiday {
    /// One date.
    Date {
        /// The date.
        date: NaiveDate,
        /// Its name.
        name: String,
    },
    /// The same day every year (a 29 February holiday applies in leap years only).
    Yearly {
        /// Month, 1 to 12.
        month: u32,
        /// Day of the month, 1 to 31.
        day: u32,
        /// Its name.
        name: String,
    },
}

/// A one-off change of the hours: an extra open period (a weekend migration) or an extra
/// closed one (a site closure), in local time. Exceptions apply after holidays, in list
/// order, so a later one wins where they overlap.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Exception {
    /// What it is.
    pub name: String,
    /// Local start (included).
    pub start: NaiveDateTime,
    /// Local end (excluded).
    pub end: NaiveDateTime,
    /// Open (`true`) or closed (`false`) during the period.
    pub open: bool,
}

/// A business calendar as data: weekly hours, holidays, exceptions. The time zone is not
/// part of the spec: [`Calendar::compile`](crate::Calendar::compile) takes any chrono
/// [`TimeZone`](chrono::TimeZone), so the host resolves IANA names (for example with
/// chrono-tz) and the library stays free of a time-zone database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CalendarSpec {
    /// A name that errors and reports quote.
    pub name: String,
    /// The weekly hours.
    pub week: Week,
    /// Days closed all day.
    #[cfg_attr(feature = "serde", serde(default))]
    pub holidays: Vec<Holiday>,
    /// One-off open or closed periods.
    #[cfg_attr(feature = "serde", serde(default))]
    pub exceptions: Vec<Exception>,
}

impl CalendarSpec {
    /// Open around the clock: a 24x7 calendar is a calendar too.
    pub fn always_open(name: &str) -> Self {
        CalendarSpec {
            name: name.to_owned(),
            week: Week::always(),
            holidays: Vec::new(),
            exceptions: Vec::new(),
        }
    }
}
