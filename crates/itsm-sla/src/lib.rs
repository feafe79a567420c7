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
//!   retroactive start; warning thresholds; escalations before or after the deadline; and
//!   [`ReopenMode`] (new cycle, continue, or count time resolved as paused).
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
//!    [`Input::Update`]; store and fold the events.
//! 3. Ask [`next_deadline`] and, at that instant, call [`decide`] with [`Input::Tick`]: it
//!    fires thresholds, the breach and escalations, each stamped with its own instant.
//!
//! # Example
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use itsm_core::lifecycle::Category;
//! use itsm_sla::*;
//!
//! let resolution = Definition {
//!     id: "p1-resolution".into(),
//!     target: Target::Resolution,
//!     agreement: Agreement::Sla,
//!     target_seconds: 4 * 3600,
//!     calendar: None,
//!     start: Condition::PriorityIn(vec![1]),
//!     stop: Condition::CategoryIn(vec![Category::Resolved, Category::Closed]),
//!     pause: Condition::CategoryIn(vec![Category::Pending]),
//!     resume: None,
//!     cancel: None,
//!     reset: Condition::Never,
//!     pause_mode: PauseMode::Pause,
//!     retroactive_start: None,
//!     thresholds: vec![50, 75],
//!     escalations: vec![],
//!     reopen: ReopenMode::NewCycle,
//! };
//! let defs = Definitions::new(vec![resolution], Selection::All)?;
//! let calendars = Calendars::new();
//! let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
//! let view = |category| TicketView { state: "x".into(), category: Some(category), priority: Some(1), ..TicketView::default() };
//! let timeline = vec![
//!     (at(9), view(Category::Open)),
//!     (at(10), view(Category::Pending)),  // paused for an hour: the deadline moves out
//!     (at(11), view(Category::Open)),
//!     (at(15), view(Category::Resolved)),
//! ];
//! let r = replay(&timeline, &defs, &calendars, None)?;
//! let clock = &r.clocks.clocks()[0];
//! assert_eq!(clock.original_deadline, at(13));
//! assert_eq!(clock.deadline, at(14));
//! assert!(clock.breached); // resolved at 15:00, an hour late
//! # Ok::<(), itsm_sla::Error>(())
//! ```
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

pub use checks::{Finding, check};
pub use definition::{
    Agreement, Calendars, Condition, Definition, Definitions, EscalationRule, MAX_TARGET_SECONDS,
    PauseMode, ReopenMode, Selection, Target, TicketView,
};
pub use error::Error;
pub use event::Event;
pub use machine::{Context, Input, decide, evolve, next_deadline};
pub use measure::{Measure, measure};
pub use model::{Alarm, AlarmKind, Clock, Clocks, Stage};
pub use replay::{Change, Outcome, Replay, Timeline, counterfactual, replay};
