//! Measures: a clock's figures at an instant.

use chrono::{DateTime, Duration, Utc};

use crate::definition::{Calendars, Definitions, PauseMode};
use crate::error::Error;
use crate::model::Clock;
use crate::time::{PAUSED, PAUSED_BUSINESS, PERCENT, Time, target_ns};

/// A clock's figures at an instant, business and wall time kept apart. In JSON the
/// durations are ISO 8601 strings.
///
/// A result: it may gain fields (`#[non_exhaustive]`); read its public fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Measure {
    /// Wall time elapsed, pauses excluded.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    pub actual_elapsed: Duration,
    /// Business time elapsed, pauses excluded.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    pub business_elapsed: Duration,
    /// Wall time paused, the current pause included.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    pub actual_paused: Duration,
    /// Business time paused, the current pause included.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    pub business_paused: Duration,
    /// Business time from the measure's instant to the deadline (negative past it). In
    /// [`PauseMode::Pause`] the deadline counted is where the current pause will move it, so
    /// the time left stands still while paused; in [`PauseMode::Freeze`] it keeps running out.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    pub time_left: Duration,
    /// Business time elapsed as a percentage of the target, in hundredths of a percent
    /// (7550 = 75.50%): integer, so a report never shows a breach early by rounding. A zero
    /// target (possible for a relative target) reads 10000 however long the clock runs: used
    /// up from the start (a percentage of nothing has no other meaning), where a breached
    /// non-zero target keeps rising past 10000.
    pub percent_hundredths: i64,
}

/// Measures `clock` at `now` (or at its end, if it ended before; a `now` before the clock's
/// start measures at the start, where everything is zero).
///
/// Figures are computed in nanoseconds of `i64`: one past about 292 years (only a
/// hand-made clock decoded from JSON can hold that much) is an error, never a figure
/// clamped; so is a percentage past `i64` hundredths (a target of nanoseconds measured over
/// days).
///
/// # Errors
/// [`Error::UnknownDefinition`] when `clock`'s definition is not in `definitions`;
/// [`Error::UnknownCalendar`], [`Error::CalendarQuery`] (for instance past the horizon),
/// [`Error::DateOverflow`] (a span, a paused total or the clock's own target past 292
/// years; the percentage past `i64`).
///
/// # Example
/// ```
/// use itsm_sla::chrono::{Duration, NaiveDate, TimeZone, Utc};
/// use itsm_sla::{Calendar, CalendarSpec, Calendars, Category, Definition, Definitions};
/// use itsm_sla::{Segment, Selection, Target, TicketView, Week, measure, replay};
///
/// // Office hours 09:00-17:00 on weekdays; a 16-hour (two business days) target.
/// let mut office = CalendarSpec::always_open("office");
/// office.week = Week::weekdays(&[Segment::parse("09:00", "17:00")?]);
/// let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// let to = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
/// let mut calendars = Calendars::new();
/// calendars.insert("office".into(), Calendar::compile(&office, &Utc, from, to)?);
/// let mut fix = Definition::new("fix", Target::Resolution, Duration::hours(16));
/// fix.calendar = Some("office".into());
/// let definitions = Definitions::new(vec![fix], Selection::All)?;
///
/// // Opened on Friday at 15:00; on Monday at 11:00 four business hours have elapsed.
/// let opened = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
/// let timeline = vec![(opened, TicketView::new("new", Category::New))];
/// let r = replay(&timeline, &definitions, &calendars, None)?;
/// let monday = Utc.with_ymd_and_hms(2026, 3, 9, 11, 0, 0).unwrap();
/// let m = measure(&r.clocks.clocks()[0], monday, &definitions, &calendars)?;
/// assert_eq!(m.business_elapsed, Duration::hours(4));
/// assert_eq!(m.actual_elapsed, Duration::hours(68));
/// assert_eq!(m.time_left, Duration::hours(12));
/// assert_eq!(m.percent_hundredths, 2500); // 25.00%
/// # Ok::<(), itsm_sla::Error>(())
/// ```
pub fn measure(
    clock: &Clock,
    now: DateTime<Utc>,
    definitions: &Definitions,
    calendars: &Calendars,
) -> Result<Measure, Error> {
    let def = definitions
        .get(&clock.definition)
        .ok_or_else(|| Error::UnknownDefinition {
            id: clock.definition.clone(),
            known: definitions.list().iter().map(|d| d.id.clone()).collect(),
        })?;
    let time = Time::of_clock(def, clock, calendars)?;
    let at = clock.ended_at.unwrap_or(now).max(clock.start);
    let mut paused_b = time.exact(clock.paused_business, PAUSED_BUSINESS)?;
    let mut paused_a = time.exact(clock.paused_actual, PAUSED)?;
    let mut current_b = 0;
    if let Some(since) = clock.paused_since {
        current_b = time.between(since, at)?;
        paused_b = time.sum(paused_b, current_b, PAUSED_BUSINESS)?;
        paused_a = time.sum(paused_a, time.exact(at - since, PAUSED)?, PAUSED)?;
    }
    let wall = time.exact(at - clock.start, "the time elapsed")?;
    let business = time.difference(
        time.between(clock.start, at)?,
        paused_b,
        "the business time elapsed",
    )?;
    let mut left = time.between(at, clock.deadline)?;
    if def.pause_mode == PauseMode::Pause {
        // The current pause will move the deadline out by its business time: while paused
        // the time left stands still.
        left = time.sum(left, current_b, "the time left")?;
    }
    let target = target_ns(def, Some(clock))?;
    // A zero target (a relative target whose deadline is the start: "same day by 10:00"
    // attached after 10:00) is used up at once: 100%, as the breach says, not 0% of nothing.
    // Past `i64` only for a target of microseconds measured over years (a target of 1 ns
    // after 11 days): an error naming it, never a percentage clamped.
    let pct = if target <= 0 {
        10_000
    } else {
        i64::try_from(i128::from(business) * 10_000 / i128::from(target))
            .map_err(|_| time.overflow(PERCENT))?
    };
    Ok(Measure {
        actual_elapsed: Duration::nanoseconds(time.difference(
            wall,
            paused_a,
            "the time elapsed",
        )?),
        business_elapsed: Duration::nanoseconds(business),
        actual_paused: Duration::nanoseconds(paused_a),
        business_paused: Duration::nanoseconds(paused_b),
        time_left: Duration::nanoseconds(left),
        percent_hundredths: pct,
    })
}
