//! On-call schedules and escalations.
//!
//! Who is paged when something breaks at 3 a.m., and who next if they sleep through it. This
//! crate holds the two halves as the leading tools document them (PagerDuty, Opsgenie,
//! ServiceNow On-Call Scheduling), their differences as options:
//!
//! - **Schedules** ([`ScheduleSpec`] compiled into a [`Schedule`]): layers of members
//!   rotating turn by turn ([`Turn`]: hours of elapsed time, or days and weeks on the wall
//!   clock, so a 09:00 handover stays at 09:00 across daylight saving); restrictions to hours
//!   of the week through `itsm-calendar`; start and end dates; time off handed to a cover;
//!   overrides of the whole schedule or of one layer; layers combined as PagerDuty does (the
//!   last layer wins, one person at a time) or as Opsgenie does (everyone on call).
//!   Queries: [`Schedule::on_call`], [`Schedule::layers_at`], [`Schedule::shifts`] (the final
//!   schedule), [`Schedule::gaps`], [`Schedule::conflicts`], [`Schedule::load`] (time on
//!   call per person, and how much of it out of hours).
//! - **Escalations** of one task as a pure state machine ([`decide`], [`evolve`],
//!   [`next_deadline`]): a [`Policy`] of steps notifying users, schedules or rosters, with
//!   reminders, a wait before the next step, repeats of the whole policy, steps with
//!   nobody on call skipped or waited, acknowledgement by anyone or only by someone
//!   notified, acknowledgement timeouts. ServiceNow's "rotate through members" and "rotate
//!   through rosters" are [`Policy::rotate_through_members`] and
//!   [`Policy::rotate_through_rosters`].
//! - **Contact rules** of each person ([`ProfileSpec`] compiled into [`Profiles`], handed
//!   over by [`Context::with_contacts`]): contact methods by [`Channel`], rules tried in
//!   order by urgency (PagerDuty), contact attempt (ServiceNow) and hours of the week
//!   (Opsgenie), each step a method and a delay, repeated; a step's forced channels
//!   ([`Step::channels`]). Each notice is followed by [`Event::ContactsPlanned`], and each
//!   contact is sent as [`Event::Contacted`] when it falls due, until the next notice or an
//!   acknowledgement.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. The time and the acting user come in through the [`Context`]; the
//! schedules too, so the same inputs give the same notifications.
//!
//! # Example
//! ```
//! use itsm_oncall::chrono::{Duration, NaiveDate, TimeZone, Utc};
//! use itsm_oncall::{
//!     Actor, Command, Context, Event, Layer, Policy, Rotation, Schedule, ScheduleSpec,
//!     Schedules, State, Status, Step, Target, Turn, UserId, decide,
//! };
//!
//! let (ann, bob, lead) = (UserId::from_u128(1), UserId::from_u128(2), UserId::from_u128(9));
//! let handover = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap().and_hms_opt(9, 0, 0).unwrap();
//! let daily = Layer::new("primary", vec![ann, bob], Rotation { handover, turn: Turn::Days(1) });
//! let schedules: Schedules = [Schedule::new(&ScheduleSpec::new("ops", vec![daily]))?].into_iter().collect();
//!
//! // Page whoever is on call; after 15 minutes without an answer, the team lead.
//! let policy = Policy::new("ops", vec![
//!     Step::after(vec![Target::Schedule("ops".into())], Duration::minutes(15)),
//!     Step::after(vec![Target::User(lead)], Duration::minutes(15)),
//! ]);
//! let system = Actor::new(UserId::from_u128(0), []);
//! let night = Utc.with_ymd_and_hms(2027, 1, 6, 3, 0, 0).unwrap(); // Bob's turn (from the 5th, 09:00)
//! let mut state = State::new();
//! let events = decide(&state, &Command::Trigger, &Context::new(night, &system, &policy, &schedules))?;
//! state.apply(&events);
//! assert!(matches!(&events[1], Event::Notified { recipients, .. } if recipients == &[bob]));
//!
//! let later = night + Duration::minutes(20);
//! let events = decide(&state, &Command::Tick, &Context::new(later, &system, &policy, &schedules))?;
//! state.apply(&events);
//! assert_eq!(state.recipients(), &[lead]);
//!
//! let events = decide(&state, &Command::Acknowledge, &Context::new(later, &Actor::new(lead, []), &policy, &schedules))?;
//! state.apply(&events);
//! assert_eq!(state.status(), Status::Acknowledged);
//! # Ok::<(), itsm_oncall::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for schedules, policies, commands, events and states. Events
//!   carry a `type` tag, commands a `command` tag; durations are ISO 8601 strings.
//! - `tz` (default): IANA zone names in schedules, through `itsm-calendar`.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod contact;
mod error;
mod event;
mod handoff;
mod machine;
mod policy;
mod schedule;
mod spec;
mod winners;

pub use command::Command;
pub use contact::{
    Channel, Contact, ContactRule, MAX_ATTEMPT, MAX_CONTACT_DELAY_DAYS, MAX_CONTACT_REPEATS,
    MAX_METHODS, MAX_RULE_STEPS, MAX_RULES, Method, Notify, ProfileSpec, Profiles, Repeat,
    Unreachable, Urgency,
};
pub use error::Error;
pub use event::Event;
pub use handoff::{Handoff, HandoffKind, HandoffNotice, HandoffRule};
pub use machine::{
    Context, State, Status, TRANSITIONS, Transition, decide, evolve, mermaid, next_deadline,
};
pub use policy::{
    Acknowledgers, MAX_REMINDERS, MAX_REPEATS, MAX_STEPS, Nobody, Policy, Schedules, Step, Target,
};
pub use schedule::{
    Conflict, Load, MAX_BREAKPOINTS, MAX_TURN_DAYS, OnCall, Schedule, Shift, Span, Via,
};
pub use spec::{Combine, Layer, Override, Restriction, Rotation, ScheduleSpec, TimeOff, Turn};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The calendar crate restrictions and business hours come from, re-exported.
pub use itsm_calendar;
/// The shared vocabulary this crate's API uses, re-exported.
pub use itsm_core::{Actor, UserId};

// The crate's README example is compiled and run as a doctest, so it cannot rot (it names
// an IANA zone: it needs the `tz` feature).
#[cfg(all(doctest, feature = "tz"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
