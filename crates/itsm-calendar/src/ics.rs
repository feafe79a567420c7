//! Holiday feeds in iCalendar (RFC 5545), as governments and calendar services publish them:
//! the all-day events of a `.ics` file become [`Holiday`]s, timed events in floating local
//! time become closed [`Exception`]s, and everything a calendar spec cannot say is listed,
//! never dropped without a word.
//!
//! ```
//! use itsm_calendar::{ics, CalendarSpec, Holiday, Week, Segment};
//! use chrono::NaiveDate;
//!
//! let feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Holidays//EN\r\n\
//! BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261227\r\n\
//! SUMMARY:Christmas\\, Boxing Day\r\nEND:VEVENT\r\n\
//! BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY\r\n\
//! SUMMARY:New Year\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
//! let feed = ics::read(feed)?;
//! let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
//! assert_eq!(feed.holidays, [
//!     Holiday::date(day(25)).named("Christmas, Boxing Day"),
//!     Holiday::date(day(26)).named("Christmas, Boxing Day"),
//!     Holiday::yearly(1, 1).named("New Year"),
//! ]);
//! assert!(feed.skipped.is_empty());
//!
//! let mut spec = CalendarSpec::new("office", Week::weekdays(&[Segment::parse("09:00", "17:00")?]));
//! spec.holidays.extend(feed.holidays);
//! let calendar = itsm_calendar::Calendar::new(&spec)?;
//! let boxing_day = chrono::NaiveDate::from_ymd_opt(2026, 12, 26).unwrap().and_hms_opt(10, 0, 0).unwrap().and_utc();
//! assert!(!calendar.is_open(&boxing_day)?);
//! # Ok::<(), itsm_calendar::Error>(())
//! ```
//!
//! What is read, per `VEVENT` (RFC 5545 section numbers in brackets):
//! - `DTSTART;VALUE=DATE` (all day, [3.3.4]) with `DTEND` (a date, exclusive, [3.6.1]) or
//!   `DURATION` ([3.3.6]; a part of a day marks the day it reaches, so `PT1H` is one day);
//!   none of them: one day. Each day is a dated holiday named by `SUMMARY` (text unescaped,
//!   [3.3.11]). At most 366 days per event.
//! - `RRULE:FREQ=YEARLY` ([3.3.10]) on a one-day event: without `COUNT` or `UNTIL` a yearly
//!   holiday (month and day); with them, each date (at most 1,000; a 29 February start
//!   skips the years without one, as the RFC says of invalid dates; none at all is said).
//!   `INTERVAL=1`, `BYMONTH` equal to the start's month and, with it, `BYMONTHDAY` equal to
//!   its day are accepted; other parts (`BYDAY` for "first Monday of May", `INTERVAL=2`,
//!   `BYMONTHDAY` alone, which means every month) are skipped: a spec has no rule for them.
//!   So are `EXDATE` and `RDATE`, with or without a rule, and a recurring event of several
//!   days.
//! - `DTSTART` and `DTEND` (or `DURATION`) as floating local date-times (no `Z`, no `TZID`):
//!   a closed exception in the calendar's own zone; one with a rule is skipped (a spec's
//!   exceptions do not recur).
//! - `STATUS:CANCELLED` ([3.8.1.11]): skipped, said.
//!
//! Lines are unfolded ([3.1]: a line starting with a space or tab continues the previous
//! one), `CRLF` or `LF`. A stream of several calendars ([3.4]) is read whole. What a feed
//! gives is bounded by its size: holidays that would take more than 16 times the feed and a
//! mebibyte (48 bytes each and their names) are skipped (`OverBudget`), not built. An event
//! stands directly in a calendar; one anywhere else is an error, not an event lost. Components other than `VEVENT` (`VTIMEZONE`, `VTODO`, an event's
//! `VALARM`) are passed over. The nesting is tracked without recursion.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use itsm_core::Quoted;

use crate::error::Error;
use crate::spec::{Exception, Holiday};

/// What a feed gave: holidays and closed exceptions to add to a [`CalendarSpec`]
/// (`spec.holidays.extend(...)`), and the events it could not turn into either.
///
/// [`CalendarSpec`]: crate::CalendarSpec
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Feed {
    /// The all-day events, in the feed's order.
    pub holidays: Vec<Holiday>,
    /// The timed events in floating local time, as closed periods.
    pub exceptions: Vec<Exception>,
    /// The events left out, each with why.
    pub skipped: Vec<SkippedEvent>,
}

/// An event of the feed that is neither a holiday nor an exception.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedEvent {
    /// The line (1-based, after unfolding: the first physical line of the logical one) of
    /// the event's `BEGIN:VEVENT`.
    pub line: usize,
    /// Its `SUMMARY`, if it has one.
    pub summary: Option<String>,
    /// Why it was left out.
    pub reason: SkipReason,
}

/// Why an event was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// `STATUS:CANCELLED`.
    Cancelled,
    /// A recurrence a spec cannot say: the rule as written (`FREQ=YEARLY;BYDAY=1MO;BYMONTH=5`).
    Recurrence(String),
    /// `EXDATE` or `RDATE` (with or without a rule).
    RecurrenceDates,
    /// A time in UTC (`Z`) or in a named zone (`TZID=`): a spec's exceptions are local times
    /// in its own zone; add it by hand in that zone.
    ZonedTime,
    /// No `DTSTART`.
    NoStart,
    /// An all-day event longer than 366 days, a recurrence of more than 1,000 dates, or a
    /// `DURATION` too long for any calendar.
    TooLong,
    /// An end not after the start.
    EndBeforeStart,
    /// A recurrence that gives no date (`COUNT=0`, `UNTIL` before the start).
    NoOccurrence,
    /// A recurring event that spans several days: a yearly holiday is one day.
    MultiDayRecurrence,
    /// Its holidays would take more than the feed's budget: 16 times the feed's size and a
    /// mebibyte, counting each holiday as 48 bytes and its name (a long `SUMMARY` copied into
    /// a thousand recurrences, say).
    OverBudget,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Cancelled => f.write_str("it is cancelled"),
            SkipReason::Recurrence(rule) => write!(
                f,
                "its recurrence `{}` is not one a spec can say (a yearly date, plain or with COUNT or UNTIL)",
                Quoted(rule)
            ),
            SkipReason::RecurrenceDates => f.write_str(
                "it has EXDATE or RDATE dates, which a spec cannot say beside its own; add them by hand",
            ),
            SkipReason::ZonedTime => f.write_str(
                "its times are in UTC or a named zone; a spec's exceptions are local times in its own zone",
            ),
            SkipReason::NoStart => f.write_str("it has no DTSTART"),
            SkipReason::TooLong => f.write_str(
                "it lasts more than 366 days or recurs more than 1,000 times",
            ),
            SkipReason::EndBeforeStart => f.write_str("it does not end after it starts"),
            SkipReason::NoOccurrence => {
                f.write_str("its recurrence gives no date (COUNT=0, or UNTIL before the start)")
            }
            SkipReason::MultiDayRecurrence => f.write_str(
                "it recurs and spans several days; a yearly holiday is one day",
            ),
            SkipReason::OverBudget => f.write_str(
                "its holidays would make the answer more than 16 times the feed's size",
            ),
        }
    }
}

impl std::fmt::Display for SkippedEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.summary {
            Some(s) => write!(f, "line {}: `{}`: {}", self.line, Quoted(s), self.reason),
            None => write!(f, "line {}: an event: {}", self.line, self.reason),
        }
    }
}

/// Most days one all-day event may cover.
const MAX_DAYS: i64 = 366;
/// Most dates one bounded recurrence may give.
const MAX_OCCURRENCES: usize = 1_000;

/// One content line: its name (upper case), parameters and value.
struct Property<'a> {
    name: String,
    params: Vec<(String, &'a str)>,
    value: &'a str,
}

impl Property<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim_matches('"'))
    }
}

/// Splits a content line (`NAME;P=V;Q="a:b":value`) at the first colon outside quotes.
fn property(line: &str) -> Option<Property<'_>> {
    let mut quoted = false;
    let mut colon = None;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let colon = colon?;
    let head = line.get(..colon)?;
    let value = line.get(colon + 1..)?;
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in head.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                parts.push(head.get(start..i)?);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(head.get(start..)?);
    let mut parts = parts.into_iter();
    let name = parts.next()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let params = parts
        .filter_map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_ascii_uppercase(), v))
        })
        .collect();
    Some(Property {
        name,
        params,
        value,
    })
}

/// TEXT unescaped ([3.3.11]): `\\`, `\;`, `\,`, `\n` or `\N`.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A DATE (`20261225`).
fn date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(value, "%Y%m%d").ok()
}

/// A start or end: all day, floating local, or zoned.
#[derive(Clone, Copy)]
enum When {
    Day(NaiveDate),
    Local(NaiveDateTime),
    Zoned,
}

fn when(p: &Property<'_>, line: usize) -> Result<When, Error> {
    let bad = || Error::InvalidIcsValue {
        line,
        property: p.name.clone(),
        value: p.value.to_owned(),
    };
    let value = p.value.trim();
    if p.param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        || value.len() == 8
    {
        return date(value).map(When::Day).ok_or_else(bad);
    }
    let local = value.strip_suffix('Z').unwrap_or(value);
    let t = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
    if local.len() != value.len() || p.param("TZID").is_some() {
        return Ok(When::Zoned);
    }
    Ok(When::Local(t))
}

/// A DURATION ([3.3.6]): `P3D`, `P1W`, `PT2H30M`, `P1DT12H`, optionally with `+`; `-` is
/// refused (an event lasts forwards). `Err` when it does not read; `Ok(None)` when it reads
/// but does not fit a `Duration`.
fn duration(value: &str) -> Result<Option<Duration>, ()> {
    let rest = value.trim().strip_prefix('+').unwrap_or(value.trim());
    let Some(mut rest) = rest.strip_prefix('P') else {
        return Err(());
    };
    let mut total = Duration::zero();
    let mut in_time = false;
    let mut any = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('T') {
            // One `T`, followed by a time part.
            if in_time || r.is_empty() {
                return Err(());
            }
            in_time = true;
            rest = r;
            continue;
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let number = rest.get(..digits).ok_or(())?;
        let unit = rest
            .get(digits..)
            .and_then(|r| r.chars().next())
            .ok_or(())?;
        if number.is_empty()
            || !matches!(
                (in_time, unit),
                (false, 'W' | 'D') | (true, 'H' | 'M' | 'S')
            )
        {
            return Err(());
        }
        rest = rest.get(digits + 1..).ok_or(())?;
        any = true;
        // Digits that do not fit: a duration too long for any calendar.
        let Ok(n) = number.parse::<i64>() else {
            return Ok(None);
        };
        let part = match unit {
            'W' => Duration::try_weeks(n),
            'D' => Duration::try_days(n),
            'H' => Duration::try_hours(n),
            'M' => Duration::try_minutes(n),
            _ => Duration::try_seconds(n),
        };
        let Some(sum) = part.and_then(|p| total.checked_add(&p)) else {
            return Ok(None);
        };
        total = sum;
    }
    if any { Ok(Some(total)) } else { Err(()) }
}

/// The parts of an event that matter here.
#[derive(Default)]
struct RawEvent<'a> {
    line: usize,
    summary: Option<String>,
    start: Option<When>,
    end: Option<(When, usize)>,
    duration: Option<(&'a str, usize)>,
    rrule: Option<&'a str>,
    /// How many `RRULE` lines the event has (more than one is a set a spec cannot say).
    rules: usize,
    dates: bool,
    cancelled: bool,
}

/// A yearly rule's bound, when it has one.
enum Bound {
    Forever,
    Count(usize),
    Until(NaiveDate),
}

/// The bound of `rule` if it is a yearly date a spec can say for `start`.
fn yearly(rule: &str, start: NaiveDate) -> Option<Bound> {
    // COUNT and UNTIL together are not allowed (RFC 5545, 3.3.10).
    let upper = rule.to_ascii_uppercase();
    if upper.contains("COUNT=") && upper.contains("UNTIL=") {
        return None;
    }
    let mut yearly = false;
    let mut bound = Bound::Forever;
    // Under YEARLY, BYMONTHDAY alone means that day of every month.
    let (mut by_month, mut by_month_day) = (false, false);
    for part in rule.trim().split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=')?;
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => yearly = value.eq_ignore_ascii_case("YEARLY"),
            "INTERVAL" if value == "1" => {}
            "BYMONTH" if value.parse::<u32>().ok()? == start.month() => by_month = true,
            "BYMONTHDAY" if value.parse::<u32>().ok()? == start.day() => by_month_day = true,
            "COUNT" => bound = Bound::Count(value.parse().ok()?),
            "UNTIL" => {
                let day = value.get(..8)?;
                bound = Bound::Until(date(day)?);
            }
            "WKST" => {}
            _ => return None,
        }
    }
    (yearly && (by_month || !by_month_day)).then_some(bound)
}

/// What the holidays read may still hold, in bytes: 16 times the feed's size (and a
/// mebibyte), so that no feed makes an answer out of proportion to itself.
struct Budget(usize);

impl Budget {
    /// Takes `count` holidays named `name`, if they fit.
    fn take(&mut self, count: usize, name: Option<&str>) -> bool {
        let each = 48 + name.map_or(0, str::len);
        match count.checked_mul(each) {
            Some(cost) if cost <= self.0 => {
                self.0 -= cost;
                true
            }
            _ => false,
        }
    }
}

fn finish(raw: RawEvent<'_>, feed: &mut Feed, budget: &mut Budget) -> Result<(), Error> {
    let skip = |reason: SkipReason, feed: &mut Feed, summary: Option<String>| {
        feed.skipped.push(SkippedEvent {
            line: raw.line,
            summary,
            reason,
        });
    };
    let summary = raw.summary.clone();
    if raw.cancelled {
        skip(SkipReason::Cancelled, feed, summary);
        return Ok(());
    }
    let Some(start) = raw.start else {
        skip(SkipReason::NoStart, feed, summary);
        return Ok(());
    };
    let length = match raw.duration {
        Some((text, line)) => match duration(text) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                skip(SkipReason::TooLong, feed, summary);
                return Ok(());
            }
            Err(()) => {
                return Err(Error::InvalidIcsValue {
                    line,
                    property: "DURATION".to_owned(),
                    value: text.to_owned(),
                });
            }
        },
        None => None,
    };
    if raw.dates {
        skip(SkipReason::RecurrenceDates, feed, summary);
        return Ok(());
    }
    match start {
        When::Zoned => skip(SkipReason::ZonedTime, feed, summary),
        When::Day(first) => {
            let days = match (raw.end, length) {
                (Some((When::Day(end), _)), _) => (end - first).num_days(),
                (Some((_, line)), _) => return Err(Error::IcsEndNotADate { line }),
                (None, Some(d)) => {
                    // All day: whole days (a part of a day still marks the day).
                    let whole = d.num_days();
                    if d > Duration::days(whole) {
                        whole + 1
                    } else {
                        whole
                    }
                }
                (None, None) => 1,
            };
            if days < 1 {
                skip(SkipReason::EndBeforeStart, feed, summary);
                return Ok(());
            }
            if days > MAX_DAYS {
                skip(SkipReason::TooLong, feed, summary);
                return Ok(());
            }
            let name = summary.clone();
            let holiday = |d: NaiveDate| match &name {
                Some(n) => Holiday::date(d).named(n.clone()),
                None => Holiday::date(d),
            };
            let Some(rule) = raw.rrule else {
                let days_count = usize::try_from(days).unwrap_or(usize::MAX);
                if !budget.take(days_count, name.as_deref()) {
                    skip(SkipReason::OverBudget, feed, summary);
                    return Ok(());
                }
                for i in 0..days {
                    if let Some(d) = first.checked_add_signed(Duration::days(i)) {
                        feed.holidays.push(holiday(d));
                    }
                }
                return Ok(());
            };
            if days > 1 {
                skip(SkipReason::MultiDayRecurrence, feed, summary);
                return Ok(());
            }
            let bound = if raw.rules > 1 {
                None
            } else {
                yearly(rule, first)
            };
            let Some(bound) = bound else {
                skip(SkipReason::Recurrence(rule.to_owned()), feed, summary);
                return Ok(());
            };
            match bound {
                Bound::Forever if !budget.take(1, name.as_deref()) => {
                    skip(SkipReason::OverBudget, feed, summary);
                }
                Bound::Forever => feed.holidays.push(match summary {
                    Some(n) => Holiday::yearly(first.month(), first.day()).named(n),
                    None => Holiday::yearly(first.month(), first.day()),
                }),
                Bound::Count(n) if n > MAX_OCCURRENCES => {
                    skip(SkipReason::TooLong, feed, summary);
                }
                bound => {
                    let mut dates = Vec::new();
                    let mut year = first.year();
                    // Years without the date (29 February) are passed over, not counted.
                    while dates.len() < MAX_OCCURRENCES + 1 {
                        let Some(d) = NaiveDate::from_ymd_opt(year, first.month(), first.day())
                        else {
                            if year > 9999 + first.year() {
                                break;
                            }
                            year += 1;
                            continue;
                        };
                        let more = match bound {
                            Bound::Count(n) => dates.len() < n,
                            Bound::Until(until) => d <= until,
                            Bound::Forever => false,
                        };
                        if !more {
                            break;
                        }
                        dates.push(d);
                        year += 1;
                    }
                    if dates.len() > MAX_OCCURRENCES {
                        skip(SkipReason::TooLong, feed, summary);
                    } else if dates.is_empty() {
                        skip(SkipReason::NoOccurrence, feed, summary);
                    } else if !budget.take(dates.len(), name.as_deref()) {
                        skip(SkipReason::OverBudget, feed, summary);
                    } else {
                        feed.holidays.extend(dates.into_iter().map(holiday));
                    }
                }
            }
        }
        When::Local(from) => {
            let to = match (raw.end, length) {
                (Some((When::Local(t), _)), _) => t,
                (Some((When::Zoned, _)), _) => {
                    skip(SkipReason::ZonedTime, feed, summary);
                    return Ok(());
                }
                (Some((When::Day(d), _)), _) => d.and_time(NaiveTime::MIN),
                (None, Some(d)) => match from.checked_add_signed(d) {
                    Some(t) => t,
                    None => {
                        skip(SkipReason::TooLong, feed, summary);
                        return Ok(());
                    }
                },
                // A date-time start alone is an instant ([3.6.1]): it closes nothing.
                (None, None) => from,
            };
            if raw.rrule.is_some() {
                skip(
                    SkipReason::Recurrence(raw.rrule.unwrap_or_default().to_owned()),
                    feed,
                    summary,
                );
                return Ok(());
            }
            if to <= from {
                skip(SkipReason::EndBeforeStart, feed, summary);
                return Ok(());
            }
            feed.exceptions.push(Exception::closed(
                summary.unwrap_or_else(|| "closed".to_owned()),
                from,
                to,
            ));
        }
    }
    Ok(())
}

/// Reads an iCalendar feed's events as holidays and closed exceptions (see the module
/// documentation for what each becomes).
///
/// # Errors
/// [`Error::InvalidIcs`] when the text is not an iCalendar object (it does not open with
/// `BEGIN:VCALENDAR`, a component is left open or closed out of order, a calendar or an
/// event stands where it may not, a content line has no `:`, something other than another
/// calendar follows one), [`Error::InvalidIcsValue`] for a `DTSTART`, `DTEND` or `DURATION`
/// that does not read, and [`Error::IcsEndNotADate`] for an all-day event ending at a time;
/// each with the line.
pub fn read(text: &str) -> Result<Feed, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut feed = Feed::default();
    let mut budget = Budget(text.len().saturating_mul(16).saturating_add(1 << 20));
    let mut open: Vec<String> = Vec::new();
    let mut calendars = 0usize;
    let mut event: Option<RawEvent<'_>> = None;
    // Unfolded logical lines with their first physical line.
    let mut logical: Vec<(usize, String)> = Vec::new();
    for (i, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        if let Some(rest) = physical
            .strip_prefix(' ')
            .or_else(|| physical.strip_prefix('\t'))
        {
            if let Some((_, last)) = logical.last_mut() {
                last.push_str(rest);
                continue;
            }
        }
        if !physical.trim().is_empty() {
            logical.push((i + 1, physical.to_owned()));
        }
    }
    let malformed = |line: usize, reason: String| Error::InvalidIcs { line, reason };
    for (n, (line, content)) in logical.iter().enumerate() {
        let line = *line;
        let Some(p) = property(content) else {
            return Err(malformed(
                line,
                format!("`{}` is not a content line NAME:VALUE", Quoted(content)),
            ));
        };
        // Outside a calendar (first, or after one ends: a stream may hold several) only
        // another may begin.
        if open.is_empty()
            && !(p.name == "BEGIN" && p.value.trim().eq_ignore_ascii_case("VCALENDAR"))
        {
            return Err(malformed(
                line,
                if n == 0 {
                    "an iCalendar object opens with BEGIN:VCALENDAR".to_owned()
                } else {
                    "after END:VCALENDAR only another BEGIN:VCALENDAR may follow".to_owned()
                },
            ));
        }
        match p.name.as_str() {
            "BEGIN" => {
                let name = p.value.trim().to_ascii_uppercase();
                // A calendar stands at the top, an event directly in a calendar: anything
                // else would hide an event's properties or lose it.
                if name == "VCALENDAR" && !open.is_empty() {
                    return Err(malformed(
                        line,
                        "BEGIN:VCALENDAR inside another component; a calendar stands at the top"
                            .to_owned(),
                    ));
                }
                if name == "VEVENT" && open.len() != 1 {
                    return Err(malformed(
                        line,
                        "BEGIN:VEVENT inside another component; an event stands directly in a VCALENDAR"
                            .to_owned(),
                    ));
                }
                if name == "VEVENT" {
                    event = Some(RawEvent {
                        line,
                        ..RawEvent::default()
                    });
                }
                open.push(name);
            }
            "END" => {
                let name = p.value.trim().to_ascii_uppercase();
                match open.pop() {
                    Some(top) if top == name => {}
                    Some(top) => {
                        return Err(malformed(
                            line,
                            format!(
                                "END:{} closes BEGIN:{}; components must nest",
                                Quoted(&name),
                                Quoted(&top)
                            ),
                        ));
                    }
                    None => {
                        return Err(malformed(
                            line,
                            format!("END:{} with no component open", Quoted(&name)),
                        ));
                    }
                }
                if name == "VEVENT" && open.last().is_some_and(|c| c == "VCALENDAR") {
                    if let Some(raw) = event.take() {
                        finish(raw, &mut feed, &mut budget)?;
                    }
                }
                if open.is_empty() {
                    calendars += 1;
                }
            }
            _ => {
                // Properties of the event itself, not of a component nested in it.
                let Some(raw) = event
                    .as_mut()
                    .filter(|_| open.last().is_some_and(|c| c == "VEVENT") && open.len() == 2)
                else {
                    continue;
                };
                match p.name.as_str() {
                    "SUMMARY" => raw.summary = Some(unescape(p.value)),
                    "DTSTART" => raw.start = Some(when(&p, line)?),
                    "DTEND" => raw.end = Some((when(&p, line)?, line)),
                    "DURATION" => raw.duration = Some((p.value, line)),
                    "RRULE" => {
                        raw.rules += 1;
                        raw.rrule = Some(p.value);
                    }
                    "EXDATE" | "RDATE" => raw.dates = true,
                    "STATUS" => raw.cancelled = p.value.trim().eq_ignore_ascii_case("CANCELLED"),
                    _ => {}
                }
            }
        }
    }
    let last = logical.last().map_or(1, |(line, _)| *line);
    match open.last() {
        Some(top) => Err(malformed(
            last,
            format!("the text ends with BEGIN:{} still open", Quoted(top)),
        )),
        None if calendars == 0 => Err(malformed(
            last,
            "the text holds no BEGIN:VCALENDAR".to_owned(),
        )),
        None => Ok(feed),
    }
}
