//! Business calendars and business-time arithmetic, exact and fast.
//!
//! SLA arithmetic is where every ITSM tool's users hurt most: pauses over weekends,
//! holidays, lunch breaks, time zones with daylight saving, deadlines that silently move.
//! This crate gets it right once:
//!
//! - a [`CalendarSpec`] is data (serde + JSON Schema) that a vendor keeps in one file: the
//!   time zone (an IANA name such as `Europe/Berlin`, `UTC` or an offset), weekly hours
//!   with several segments a day (a segment may end at `24:00` or cross midnight,
//!   `22:00-06:00`; `"daily"` and `"weekdays"` shorten the week), holidays (dated or
//!   yearly, named or not: `"2026-12-25"`, `"--12-25"`), one-off open or closed
//!   exceptions; 24x7 is a calendar too ([`CalendarSpec::always_open`]); public holiday
//!   feeds in iCalendar read into holidays and closed exceptions ([`ics::read`]);
//! - [`Calendar::new`] compiles it with no horizon to guess: each UTC year is compiled the
//!   first time a query needs it, into sorted UTC intervals with prefix sums and lookup
//!   tables, and kept; queries across years add up per-year totals, and years far from
//!   today repeat every 400 years, so a query spanning any number of years compiles at
//!   most a few hundred of them. [`Calendar::compile`] (any chrono
//!   [`TimeZone`](chrono::TimeZone)) and [`Calendar::with_horizon`] compile an explicit
//!   horizon up front instead;
//! - queries are then O(1) on average within a year, whatever the span:
//!   [`Calendar::is_open`], [`Calendar::next_open`], [`Calendar::duration`],
//!   [`Calendar::add`] (negative durations go backward), [`Calendar::end_of_business_day`];
//!   and for maintenance and blackout windows, which are calendars whose open time is the
//!   window: [`Calendar::covers`], [`Calendar::overlaps`], [`Calendar::next_fit`].
//!
//! An instant is open exactly when the local wall clock reads a time inside a segment, so
//! daylight saving is exact: where the clocks go back, a segment that ends inside the
//! repeated hour is open on the first pass up to its closing time and again from the start
//! of the repeat; a boundary inside a skipped hour moves to the end of the gap. Intervals
//! are half-open: a segment `09:00-17:00` is open at 09:00 and closed at 17:00. Instants
//! may be given in any zone; the answers are the same.
//!
//! # Purity
//! No clock, no files, no environment. Time-zone rules come compiled into chrono-tz (the
//! `tz` feature) or from the host, through [`Calendar::compile`]. A calendar without a
//! horizon fills its table of years as queries arrive, but the same year always compiles to
//! the same intervals, so every answer is a function of the spec and the query; the table
//! is filled through `std::sync::OnceLock`s, so a calendar is `Send + Sync` and may be
//! shared between threads.
//!
//! # Example
//! ```
//! # #[cfg(all(feature = "serde", feature = "tz"))] {
//! use chrono::{Duration, TimeZone};
//! use chrono_tz::Europe::Berlin;
//! use itsm_calendar::{Calendar, CalendarSpec};
//!
//! let spec: CalendarSpec = serde_json::from_str(r#"{
//!     "name": "berlin-office",
//!     "zone": "Europe/Berlin",
//!     "week": { "weekdays": ["08:00-12:00", "13:00-17:00"] },
//!     "holidays": ["--12-25", { "kind": "yearly", "month": 12, "day": 26, "name": "Boxing Day" }]
//! }"#)?;
//! let cal = Calendar::new(&spec)?;
//! // Reported on Christmas Eve at 16:00 with 4 business hours to go: due on the 28th at 11:00
//! // (the 25th and 26th are holidays, the 26th and 27th a weekend).
//! let reported = Berlin.with_ymd_and_hms(2026, 12, 24, 16, 0, 0).unwrap();
//! let due = cal.add(&reported, Duration::hours(4))?;
//! assert_eq!(due.with_timezone(&Berlin), Berlin.with_ymd_and_hms(2026, 12, 28, 11, 0, 0).unwrap());
//! assert_eq!(cal.duration(&reported, &due)?, Duration::hours(4));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): specs to and from JSON (`"09:00"` times, `"08:00-12:00"` segments,
//!   `"2026-12-25"` dates).
//! - `tz` (default): IANA zone names in specs, resolved through chrono-tz. Without it a
//!   spec's zone may be `UTC` or an offset such as `+02:00`, and [`Calendar::compile`]
//!   still takes any chrono zone the host resolves.
//! - `schemars`: the JSON Schema of [`CalendarSpec`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod build;
mod calendar;
mod error;
mod flat;
pub mod ics;
#[cfg(feature = "serde")]
mod json;
mod lazy;
mod rules;
mod sparse;
mod spec;
mod years;
mod zone;

pub use calendar::{Calendar, MAX_HORIZON_YEARS};
pub use error::Error;
pub use spec::{CalendarSpec, Exception, Holiday, Segment, TimeOfDay, Week};
pub use zone::Zone;

// The crate's README example is compiled and run as a doctest, so it cannot rot (it reads
// JSON and names an IANA zone: it needs the default features).
#[cfg(all(doctest, feature = "serde", feature = "tz"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The date and time crate of this API (`DateTime`, `NaiveDate`, `Duration`), re-exported so
/// that a host needs no second dependency to build instants and durations.
pub use chrono;
