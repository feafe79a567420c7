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
///
/// A segment whose end is earlier than its start crosses midnight: `22:00-06:00` is open
/// from 22:00 on its day to 06:00 the next morning, and belongs to the day it starts on (a
/// holiday on that day closes it; a holiday on the next day does not). `24:00` may end a
/// segment but not start one, and a segment may not end where it starts (write
/// `00:00-24:00` for a whole day).
///
/// In JSON: `"08:00-12:00"`, or the object `{"start": "08:00", "end": "12:00"}`; it is
/// written back in the first form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Segment {
    /// Opening time.
    pub start: TimeOfDay,
    /// Closing time: `24:00` for midnight at the end of the day, or earlier than `start`
    /// for a segment that crosses midnight.
    pub end: TimeOfDay,
}

impl Segment {
    /// A segment from `HH:MM` texts.
    ///
    /// # Errors
    /// [`Error::InvalidTimeOfDay`] when a text is not a time of day.
    ///
    /// ```
    /// use itsm_calendar::Segment;
    ///
    /// let night = Segment::parse("22:00", "06:00")?;
    /// assert!(night.crosses_midnight());
    /// assert_eq!(night.to_string(), "22:00-06:00");
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn parse(start: &str, end: &str) -> Result<Self, Error> {
        Ok(Segment {
            start: start.parse()?,
            end: end.parse()?,
        })
    }

    /// Whether the segment runs past midnight into the next day (its end is earlier than its
    /// start).
    pub fn crosses_midnight(&self) -> bool {
        self.end < self.start
    }

    /// Where the segment runs, in seconds from its day's midnight; the end is past 86,400
    /// for a segment that crosses midnight.
    pub(crate) fn span(&self) -> (u32, u32) {
        let (s, e) = (self.start.seconds(), self.end.seconds());
        if e < s { (s, e + 86_400) } else { (s, e) }
    }
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// `HH:MM-HH:MM` (each time may carry seconds).
impl std::str::FromStr for Segment {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        text.split_once('-')
            .and_then(|(start, end)| Segment::parse(start, end).ok())
            .ok_or_else(|| Error::InvalidSegmentText {
                text: text.to_owned(),
            })
    }
}

/// Open segments for each day of the week; a day with no segments is closed.
///
/// In JSON, days are `mon` to `sun`; `daily` gives the same segments to every day and
/// `weekdays` to Monday to Friday. Named days override `weekdays`, which overrides `daily`:
/// `{"daily": ["08:00-20:00"], "sun": []}` is open 08:00-20:00 every day but Sunday. A week
/// is written back in the shortest of these forms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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

    /// The same segments every day of the week (`"daily"` in JSON).
    ///
    /// ```
    /// use itsm_calendar::{Segment, Week};
    ///
    /// // A night shift, every night: open from 22:00 to 06:00 the next morning.
    /// let nights = Week::every_day(&[Segment::parse("22:00", "06:00")?]);
    /// assert_eq!(nights.sun, nights.mon);
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn every_day(segments: &[Segment]) -> Self {
        Week {
            sat: segments.to_vec(),
            sun: segments.to_vec(),
            ..Week::weekdays(segments)
        }
    }

    /// Open around the clock, every day.
    pub fn always() -> Self {
        Week::every_day(&[Segment {
            start: TimeOfDay::MIDNIGHT,
            end: TimeOfDay::END_OF_DAY,
        }])
    }
}

/// A day on which the weekly hours do not apply: the segments that start on it are closed
/// (a night shift that started the evening before runs to its end).
///
/// In JSON, a date `"2026-12-25"` or a day every year `"--12-25"` (ISO 8601's month-day);
/// or, to give it a name, `{"kind": "date", "date": "2026-12-25", "name": "Christmas"}` and
/// `{"kind": "yearly", "month": 12, "day": 25, "name": "Christmas"}`. A holiday without a
/// name is written back as the short form.
///
/// Build one with [`Holiday::date`] or [`Holiday::yearly`], then [`Holiday::named`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Holiday {
    /// One date.
    #[non_exhaustive]
    Date {
        /// The date.
        date: NaiveDate,
        /// Its name, if it has one.
        name: Option<String>,
    },
    /// The same day every year (a 29 February holiday applies in leap years only).
    #[non_exhaustive]
    Yearly {
        /// Month, 1 to 12.
        month: u32,
        /// Day of the month, 1 to 31.
        day: u32,
        /// Its name, if it has one.
        name: Option<String>,
    },
}

impl Holiday {
    /// A holiday on one date, without a name.
    pub fn date(date: NaiveDate) -> Self {
        Holiday::Date { date, name: None }
    }

    /// A holiday on the same day every year, without a name. The day is checked when the
    /// calendar is compiled ([`Error::InvalidHoliday`] for a day no year has).
    ///
    /// ```
    /// use itsm_calendar::Holiday;
    ///
    /// let christmas = Holiday::yearly(12, 25).named("Christmas");
    /// assert_eq!(christmas.name(), Some("Christmas"));
    /// ```
    pub fn yearly(month: u32, day: u32) -> Self {
        Holiday::Yearly {
            month,
            day,
            name: None,
        }
    }

    /// The same holiday with a name.
    #[must_use]
    pub fn named(self, name: impl Into<String>) -> Self {
        let name = Some(name.into());
        match self {
            Holiday::Date { date, .. } => Holiday::Date { date, name },
            Holiday::Yearly { month, day, .. } => Holiday::Yearly { month, day, name },
        }
    }

    /// Its name, if it has one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Holiday::Date { name, .. } | Holiday::Yearly { name, .. } => name.as_deref(),
        }
    }
}

/// A one-off change of the hours: an extra open period (a weekend migration) or an extra
/// closed one (a site closure), in local time. Exceptions apply after holidays, in list
/// order, so a later one wins where they overlap. An open exception opens its local times
/// on the date each falls on; a closed one closes them whichever day's segment they belong
/// to.
///
/// Build one with [`Exception::open`] or [`Exception::closed`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
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

impl Exception {
    /// An extra open period, local `start` (included) to `end` (excluded).
    pub fn open(name: impl Into<String>, start: NaiveDateTime, end: NaiveDateTime) -> Self {
        Exception {
            name: name.into(),
            start,
            end,
            open: true,
        }
    }

    /// An extra closed period, local `start` (included) to `end` (excluded).
    pub fn closed(name: impl Into<String>, start: NaiveDateTime, end: NaiveDateTime) -> Self {
        Exception {
            open: false,
            ..Exception::open(name, start, end)
        }
    }
}

/// A business calendar as data: its time zone, weekly hours, holidays and exceptions. A
/// calendar file holds everything needed to compile it with
/// [`Calendar::new`](crate::Calendar::new).
///
/// Build one with [`CalendarSpec::new`] or [`CalendarSpec::always_open`], then set the
/// public fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CalendarSpec {
    /// A name that errors and reports quote.
    pub name: String,
    /// The time zone the hours are read in: an IANA name (`"Europe/Berlin"`, which needs
    /// the `tz` feature), `"UTC"`, or a fixed offset (`"+02:00"`). `None` (left out in
    /// JSON) is UTC.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub zone: Option<String>,
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
    /// A calendar open on `week`'s hours, in UTC, without holidays or exceptions.
    ///
    /// ```
    /// use itsm_calendar::{CalendarSpec, Holiday, Segment, Week};
    ///
    /// let mut spec = CalendarSpec::new("berlin-office", Week::weekdays(&[Segment::parse("08:00", "17:00")?]));
    /// spec.zone = Some("Europe/Berlin".into());
    /// spec.holidays.push(Holiday::yearly(12, 25).named("Christmas"));
    /// # Ok::<(), itsm_calendar::Error>(())
    /// ```
    pub fn new(name: impl Into<String>, week: Week) -> Self {
        CalendarSpec {
            name: name.into(),
            zone: None,
            week,
            holidays: Vec::new(),
            exceptions: Vec::new(),
        }
    }

    /// Open around the clock: a 24x7 calendar is a calendar too.
    pub fn always_open(name: impl Into<String>) -> Self {
        CalendarSpec::new(name, Week::always())
    }
}
