//! Measures: a clock's figures at an instant.

use chrono::{DateTime, Duration, Utc};

use crate::definition::{Calendars, Definitions, PauseMode};
use crate::error::Error;
use crate::machine::{Time, target_ns};
use crate::model::Clock;

/// A clock's figures at an instant, business and wall time kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Measure {
    /// Wall time elapsed, pauses excluded.
    pub actual_elapsed: Duration,
    /// Business time elapsed, pauses excluded.
    pub business_elapsed: Duration,
    /// Wall time paused, the current pause included.
    pub actual_paused: Duration,
    /// Business time paused, the current pause included.
    pub business_paused: Duration,
    /// Business time from the measure's instant to the deadline (negative past it). In
    /// [`PauseMode::Pause`] the deadline counted is where the current pause will move it, so
    /// the time left stands still while paused; in [`PauseMode::Freeze`] it keeps running out.
    pub time_left: Duration,
    /// Business time elapsed as a percentage of the target, in hundredths of a percent
    /// (7550 = 75.50%): integer, so a report never shows a breach early by rounding.
    pub percent_hundredths: i64,
}

/// Measures `clock` at `now` (or at its end, if it ended before).
///
/// # Errors
/// [`Error::UnknownDefinition`] when `clock`'s definition is not in `definitions`;
/// [`Error::UnknownCalendar`], [`Error::Calendar`] (for instance past the horizon).
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
    let time = Time::of(def, calendars)?;
    let at = clock.ended_at.unwrap_or(now).max(clock.start);
    let (mut paused_b, mut paused_a) = (clock.paused_business_ns, clock.paused_actual_ns);
    let mut current_b = 0;
    if let Some(since) = clock.paused_since {
        current_b = time.between(since, at)?;
        paused_b = paused_b.saturating_add(current_b);
        paused_a = paused_a.saturating_add((at - since).num_nanoseconds().unwrap_or(0));
    }
    let wall = (at - clock.start).num_nanoseconds().unwrap_or(i64::MAX);
    let business = time.between(clock.start, at)?.saturating_sub(paused_b);
    let mut left = time.between(at, clock.deadline)?;
    if def.pause_mode == PauseMode::Pause {
        // The current pause will move the deadline out by its business time: while paused
        // the time left stands still.
        left = left.saturating_add(current_b);
    }
    let target = target_ns(def).max(1);
    let pct = i64::try_from(i128::from(business) * 10_000 / i128::from(target)).unwrap_or(i64::MAX);
    Ok(Measure {
        actual_elapsed: Duration::nanoseconds(wall.saturating_sub(paused_a)),
        business_elapsed: Duration::nanoseconds(business),
        actual_paused: Duration::nanoseconds(paused_a),
        business_paused: Duration::nanoseconds(paused_b),
        time_left: Duration::nanoseconds(left),
        percent_hundredths: pct,
    })
}
