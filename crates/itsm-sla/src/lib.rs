//! SLA clocks as a pure state machine over a ticket's timeline.
//!
//! Due dates that silently move, pauses over weekends counted twice, pause time lost when a
//! definition changes, time spent resolved miscounted after a reopen: the complaints every
//! ITSM tool's users file. This crate keeps deadline, elapsed and paused time apart and makes
//! every such choice an explicit, tested option.
//!
//! - A [`Definition`] is data (serde + JSON Schema): target kind (response, resolution,
//!   custom), agreement (SLA, OLA, underpinning contract), target duration, calendar, and
//!   start, stop, pause, resume, cancel and reset [`Condition`]s over a practice-neutral
//!   [`TicketView`]; [`PauseMode`] (pause moves the deadline, freeze does not, or none);
//!   retroactive start (and, per [`CycleStart`], in new cycles) and retroactive pause;
//!   warning thresholds; escalations before or after the deadline; [`ReopenMode`] (new
//!   cycle, continue, or count time resolved as paused); a [`RelativeTarget`] ("end of the
//!   next business day"); the calendar and its time zone chosen per ticket
//!   ([`Definition::calendar_from`], [`ZoneSource`]).
//! - Conditions may test a change ([`Condition::ChangesTo`] and its kin, against
//!   [`TicketView::previous`]), so a reset fires on the update that changes a field.
//! - Every difference between the tools is an option: `docs/sla.md` in the repository
//!   tabulates each rule as ServiceNow and iTop document it and the option that selects
//!   it; `tests/conformance.rs` checks each row.
//! - [`decide`] evaluates them in ServiceNow's documented order (stop, reset, cancel, pause,
//!   resume) on each [`Input`], [`evolve`] folds the [`Event`]s, [`next_deadline`] says when
//!   to tick; ticks in between emit nothing.
//! - [`replay`] recomputes a ticket's whole SLA history as a fold; [`counterfactual`] tells
//!   which tickets change breach status under other definitions; [`check`] explains
//!   definitions that can never work.
//!
//! Business time comes from `itsm-calendar`: compile each calendar once and pass them by
//! name in [`Calendars`]. A definition without a calendar runs around the clock.
//!
//! # Purity
//! No clock, no I/O: `now` is an input. The same inputs give the same events.
//!
//! # The host's loop
//! 1. Keep a [`Clocks`] per ticket (or rebuild it by folding stored events with [`evolve`]).
//! 2. When the ticket changes, build its [`TicketView`] and call [`decide`] with
//!    [`Input::Update`] and a [`Context::new`] (`now`, the [`Definitions`], the
//!    [`Calendars`]); store the events and fold them with [`Clocks::apply`].
//! 3. Ask [`next_deadline`] and, at that instant, call [`decide`] with [`Input::Tick`]: it
//!    fires thresholds, the breach and escalations, each stamped with its own instant. A
//!    tick before the deadline returns no events.
//! 4. Read a clock's figures with [`measure`]; recompute a ticket's history with [`replay`].
//!
//! # Example
//! ```
//! use itsm_sla::chrono::{Duration, TimeZone, Utc};
//! use itsm_sla::{
//!     Calendars, Category, Clocks, Condition, Context, Definition, Definitions, Event, Input,
//!     Selection, Stage, Target, TicketView, decide, next_deadline,
//! };
//!
//! // Priority 1: resolved within 4 hours, paused while pending (the defaults of `new`).
//! let mut resolution = Definition::new("p1-resolution", Target::Resolution, Duration::hours(4));
//! resolution.start = Condition::PriorityIn(vec![1]);
//! let definitions = Definitions::new(vec![resolution], Selection::All)?;
//! let calendars = Calendars::new(); // no calendar named: around the clock
//! let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
//! let view = |state: &str, category| {
//!     let mut v = TicketView::new(state, category);
//!     v.priority = Some(1);
//!     v
//! };
//!
//! let mut clocks = Clocks::new();
//! let mut run = |clocks: &mut Clocks, input: Input, now| {
//!     let events = decide(clocks, &input, &Context::new(now, &definitions, &calendars))?;
//!     clocks.apply(&events); // a product stores the events first
//!     Ok::<_, itsm_sla::Error>(events)
//! };
//! run(&mut clocks, Input::Update(view("new", Category::Open)), at(9))?;
//! run(&mut clocks, Input::Update(view("on_hold", Category::Pending)), at(10))?;
//! run(&mut clocks, Input::Update(view("in_progress", Category::Open)), at(11))?;
//!
//! // An hour on hold moved the deadline from 13:00 to 14:00; the host wakes up then.
//! assert_eq!(next_deadline(&clocks), Some(at(14)));
//! let fired = run(&mut clocks, Input::Tick, at(14))?;
//! assert!(matches!(fired.as_slice(), [Event::Breached { .. }]));
//! run(&mut clocks, Input::Update(view("resolved", Category::Resolved)), at(15))?;
//!
//! let clock = &clocks.clocks()[0];
//! assert_eq!((clock.original_deadline(), clock.deadline()), (at(13), at(14)));
//! assert_eq!((clock.stage(), clock.is_breached()), (Stage::Completed, true));
//! # Ok::<(), itsm_sla::Error>(())
//! ```
//!
//! # Durations
//! Targets, escalation offsets and paused time are [`chrono::Duration`]s; in JSON they are
//! ISO 8601 strings (`"PT4H"`, `"-PT30M"`, `"P2D"`, a day being 24 hours), read and written
//! by `itsm_core::duration`.
//!
//! # Stability
//! [`Event`], [`Stage`], [`AlarmKind`], [`Input`] and [`Target`] are matched exhaustively by
//! hosts: a new variant is a breaking change (0.x: [`Event::Retargeted`] was one). Specs ([`Definition`], [`EscalationRule`],
//! [`Condition`], [`TicketView`] and the option enums), [`Context`], results ([`Measure`],
//! [`Replay`], [`Outcome`], [`BreachChange`], [`Finding`]) and [`Error`] may grow
//! (`#[non_exhaustive]`): build them with their constructors. The state ([`Clock`],
//! [`Clocks`], [`Alarm`]) is read through getters.
//!
//! # Features
//! - `serde` (default): JSON for definitions, views, clocks, events and measures. Events
//!   carry a stable `type` tag.
//! - `tz` (default): IANA zone names in the calendar specs of [`Calendars`], through
//!   itsm-calendar's feature of the same name.
//! - `schemars`: the JSON Schema of a definition (the pinned copy is
//!   `docs/schema/sla-definition.json` in the repository).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod checks;
mod definition;
mod error;
mod event;
mod machine;
mod measure;
mod model;
mod replay;
mod time;

pub use checks::{Finding, check};
pub use definition::{
    Agreement, Calendars, CycleStart, Definition, Definitions, EscalationRule, MAX_BUSINESS_DAYS,
    MAX_TARGET, PauseMode, RelativeTarget, ReopenMode, Selection, Target, ZoneSource,
};
pub use error::Error;
pub use event::Event;
pub use machine::{Context, Input, decide, evolve, next_deadline};
pub use measure::{Measure, measure};
pub use model::{Alarm, AlarmKind, Clock, Clocks, Stage};
pub use replay::{BreachChange, Outcome, Replay, Timeline, counterfactual, replay};

/// The date and time crate of this API (`DateTime<Utc>` instants, `Duration`s), re-exported
/// so that a host needs no second dependency to build them.
pub use chrono;
/// The foundation types this crate's API uses, re-exported (the very types of `itsm_core`
/// and `itsm_calendar`, so values mix freely with other crates): the category of a ticket's
/// state, the ticket view and the conditions over it (the predicate language automation
/// rules share; the time tests `age_at_least` and `idle_at_least` are false in SLA
/// conditions, which are evaluated without an instant), and the calendars business time is counted on, with what a weekly calendar is
/// built from (holidays and exceptions are in `itsm_calendar`).
pub use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
pub use itsm_core::{Category, Condition, TicketView, ViewField};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
