//! The change calendar: scheduled work windows on configuration items, and the conflicts a
//! change manager must see before a change is approved.
//!
//! - [`Schedule::build`] takes the host's scheduled changes ([`ScheduledChange`]: a change,
//!   its configuration items, its planned window `[start, end)`, its assignee). Real change
//!   calendars are dirty, so each bad record is refused with an [`Error`] naming the change
//!   (a missing window, an end not after the start, a window longer than [`Limits`] allow, a
//!   change given twice) and the rest are kept: the refusals come back beside the schedule.
//! - [`Schedule::check`] lists every [`Conflict`] of a [`Proposal`], naming the other change
//!   or window: the same item already scheduled, a related item already scheduled (related
//!   through a [`Topology`] the host supplies, a closure will do), outside an item's
//!   maintenance window, inside a blackout (freeze), the assignee already booked. Which
//!   checks run, the maintenance windows ([`Maintenance`], an `itsm-calendar`
//!   [`Calendar`](itsm_calendar::Calendar) per item or group) and the blackouts
//!   ([`Blackout`], a calendar or a list of windows, for every item or some) are the
//!   [`Rules`]. The names a conflict gives (of a calendar or a blackout) are `Arc<str>`
//!   shared with the rules, so a conflict copies no text; in JSON they are strings, and a
//!   `&str` or `String` becomes one with `.into()`.
//! - [`Schedule::next_windows`] finds the first free windows of a proposal's length ahead
//!   of it (ServiceNow's defaults: 100 windows in 90 days, [`Search`]).
//! - [`Schedule::checker`] joins a schedule and its rules once for many checks: a
//!   [`Checker`] gives the same answers, finding each item's bookings and maintenance
//!   calendar with one hash lookup instead of two.
//! - [`Schedule::scan`] and [`Schedule::scan_related`] list every [`Pair`] of changes whose
//!   windows overlap and that share an item, or a related key the host gives.
//!
//! Windows are half-open: a change that ends at 02:00 and one that starts at 02:00 do not
//! conflict. The rules follow ServiceNow's conflict detection (see `docs/schedule.md` in
//! the repository for each rule and the page it comes from).
//!
//! # Speed
//! Each item's (and assignee's) bookings are an implicit interval tree (sorted by start,
//! each node keeping the largest end below it; no pointers, no recursion), so a check costs
//! a hash lookup and O(log n) per item plus the overlaps it reports, however long and
//! nested the windows. The whole-calendar scan sweeps each item's bookings in start order,
//! retiring a booking once a later one starts after its end: O(n log n + pairs), never the
//! square of a dense item's bookings unless they all overlap.
//!
//! # Purity
//! No clock, no I/O, no randomness: the same records and queries give the same answers, in
//! a documented order (conflicts and pairs sorted). No panics on any input.
//!
//! # Example
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
//! use itsm_core::{ChangeId, ConfigItemId, UserId};
//! use itsm_schedule::{
//!     Blackout, Checks, Conflict, Limits, Maintenance, Proposal, Rules, Schedule, ScheduledChange,
//!     Search, Window,
//! };
//!
//! let at = |d, h| Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap();
//! let (app, db) = (ConfigItemId::from_u128(1), ConfigItemId::from_u128(2));
//! let patch = ChangeId::from_u128(100);
//! let (schedule, refused) = Schedule::build(
//!     [
//!         ScheduledChange::new(patch, vec![db], Some(at(7, 22)), Some(at(8, 1))),
//!         ScheduledChange::new(ChangeId::from_u128(101), vec![app], None, Some(at(9, 0))),
//!     ],
//!     &Limits::new(),
//! );
//! assert_eq!(refused.len(), 1); // no planned start
//!
//! // The database may change on Saturday nights only; nothing changes on the 14th.
//! let mut week = Week::default();
//! week.sat = vec![Segment::parse("22:00", "04:00")?];
//! let nights = Calendar::new(&CalendarSpec::new("saturday-nights", week))?;
//! let rules = Rules::new(
//!     Checks::all(),
//!     vec![Maintenance::new(nights, vec![db])],
//!     vec![Blackout::windows("audit", vec![Window::new(at(14, 0), at(15, 0))?])],
//! )?;
//! // The app depends on the database.
//! let topology = |item: &ConfigItemId| if *item == app { vec![db] } else { vec![] };
//!
//! let upgrade = Proposal::new(vec![app], Window::starting(at(7, 23), Duration::hours(2))?);
//! let conflicts = schedule.check(&upgrade, &rules, &topology)?;
//! assert_eq!(conflicts, [Conflict::RelatedItemScheduled { item: app, related: db, change: patch }]);
//! assert_eq!(conflicts[0].to_string(), format!("configuration item {db}, related to {app}, is already scheduled in change {patch}"));
//!
//! // The next free two hours on the database: after the patch, still on Saturday night.
//! let on_db = Proposal::new(vec![db], Window::starting(at(7, 22), Duration::hours(2))?);
//! let free = schedule.next_windows(&on_db, &Search::new(), &rules, &topology)?;
//! assert_eq!(free[0], Window::starting(at(8, 1), Duration::hours(2))?);
//! // The next Saturday night is frozen until midnight.
//! assert_eq!(free[2].start(), at(15, 0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for [`ScheduledChange`], [`Window`] (checked when read),
//!   [`Proposal`], [`Conflict`] (tagged `reason`), [`Pair`], [`Limits`], [`Checks`] and
//!   [`Search`] (durations in ISO 8601). Without it the crate has no dependency on serde.
//! - `schemars`: their JSON Schemas (implies `serde`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod check;
mod checker;
mod error;
mod hash;
mod index;
mod inline;
mod rules;
mod scan;
mod schedule;
mod tree;
mod window;

pub use check::{Conflict, NoTopology, Proposal, Search, Topology};
pub use checker::Checker;
pub use error::Error;
pub use rules::{Blackout, Checks, Maintenance, Rules};
pub use scan::Pair;
pub use schedule::{Booking, Limits, Schedule, ScheduledChange};
pub use window::Window;

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
