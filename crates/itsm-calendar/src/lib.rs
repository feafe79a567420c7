//! Business calendars and business-time arithmetic, exact and fast.
//!
//! SLA arithmetic is where every ITSM tool's users hurt most: pauses over weekends,
//! holidays, lunch breaks, time zones with daylight saving, deadlines that silently move.
//! This crate gets it right once:
//!
//! - a [`CalendarSpec`] is data (serde + JSON Schema): weekly hours with several segments a
//!   day (a segment may end at `24:00`), holidays (dated or yearly), one-off open or closed
//!   exceptions; 24x7 is a calendar too ([`CalendarSpec::always_open`]);
//! - [`Calendar::compile`] resolves it once in any chrono [`TimeZone`](chrono::TimeZone)
//!   (chrono-tz's IANA zones, `Utc`, a fixed offset) over a horizon of local days, into
//!   sorted UTC intervals with prefix sums and lookup tables;
//! - queries are then O(1) on average, whatever the span: [`Calendar::is_open`],
//!   [`Calendar::next_open`], [`Calendar::duration`], [`Calendar::add`] (negative durations
//!   go backward), [`Calendar::end_of_business_day`]; and for maintenance and blackout
//!   windows, which are calendars whose open time is the window: [`Calendar::covers`],
//!   [`Calendar::overlaps`], [`Calendar::next_fit`].
//!
//! Intervals are half-open: a segment `09:00-17:00` is open at 09:00 and closed at 17:00.
//! Instants may be given in any zone; the answers are the same.
//!
//! # Purity
//! No clock, no files, no environment, no time-zone database: the host passes the zone.
//!
//! # Example
//! ```
//! use chrono::{Duration, NaiveDate, TimeZone};
//! use chrono_tz::Europe::Berlin;
//! use itsm_calendar::{Calendar, CalendarSpec, Holiday, Segment, Week};
//!
//! let spec = CalendarSpec {
//!     name: "berlin-office".into(),
//!     week: Week::weekdays(&[Segment::parse("08:00", "12:00")?, Segment::parse("13:00", "17:00")?]),
//!     holidays: vec![Holiday::Yearly { month: 12, day: 25, name: "Christmas".into() }],
//!     exceptions: vec![],
//! };
//! let cal = Calendar::compile(
//!     &spec,
//!     &Berlin,
//!     NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
//!     NaiveDate::from_ymd_opt(2028, 1, 1).unwrap(),
//! )?;
//! // Reported on Christmas Eve at 16:00 with 4 business hours to go: due on the 28th at 11:00
//! // (the 25th is a holiday; the 26th and 27th are a weekend).
//! let reported = Berlin.with_ymd_and_hms(2026, 12, 24, 16, 0, 0).unwrap();
//! let due = cal.add(&reported, Duration::hours(4))?;
//! assert_eq!(due.with_timezone(&Berlin), Berlin.with_ymd_and_hms(2026, 12, 28, 11, 0, 0).unwrap());
//! assert_eq!(cal.duration(&reported, &due)?, Duration::hours(4));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): specs to and from JSON (`"09:00"` times, `"2026-12-25"` dates).
//! - `schemars`: the JSON Schema of [`CalendarSpec`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod calendar;
mod error;
mod spec;

pub use calendar::{Calendar, MAX_HORIZON_YEARS};
pub use error::Error;
pub use spec::{CalendarSpec, Exception, Holiday, Segment, TimeOfDay, Week};
