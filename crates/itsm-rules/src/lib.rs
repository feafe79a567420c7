//! Automation rules for ITSM records: routing, assignment and business rules that are
//! predictable and checkable before they run.
//!
//! Every tool embeds an engine of its own (ServiceNow's assignment and business rules,
//! GLPI's business rules, Zammad's triggers, Jira automation), and users fight the same
//! surprises: rules that never fire, rules that fight each other, loops. This crate keeps
//! the rules as data and answers, before anything runs, which of those a rule set has.
//!
//! - A rule ([`RuleSpec`]) has a [`Trigger`] (created, updated with a field changed, state
//!   entered, a delay after an instant in business time, or a burst of records sharing a
//!   value), a [`Condition`] over a practice-neutral [`TicketView`] (the one predicate
//!   language, from `itsm-core`, that SLA definitions use too), and [`Action`]s: changes
//!   and intents for the practice crates (assign, set impact or urgency, escalate, propose
//!   a major incident, add a watcher, link) and notifications the host delivers.
//! - A [`RuleSet`] is evaluated in list order in a [`Mode`] (first match, or all matches
//!   with a stop flag per rule); changes made by rules trigger `updated` rules in further
//!   rounds, up to a loop bound that ends evaluation with [`Error::LoopBound`] naming the
//!   rules. [`evaluate`] explains each firing: trigger, clauses that held, each change.
//! - Assignment strategies are pure functions: [`round_robin`] (state carried in
//!   [`Memory`]), [`least_loaded`] (loads as input), [`skills_match`], and a fixed person
//!   or group; ties are broken by load, then by list order.
//! - [`check`] finds rules that never fire (a contradiction, or shadowed by earlier rules),
//!   conflicting rules, rules that re-trigger themselves and cycles (named), time rules
//!   without a deadline, and unknown groups, states, fields and calendars.
//! - [`next_deadline`] tells the host when time rules next come due.
//!
//! # Purity
//! No clock, no I/O, no threads, no logging: the instant is [`Context::now`], people's
//! loads and calendars are inputs, counts and round-robin picks are carried in [`Memory`]
//! (state in, state out). The same inputs give the same [`Outcome`].
//!
//! # The host's loop
//! 1. Load the rule set ([`RuleSet::new`], or JSON) and run [`check`]; refuse or show the
//!    findings.
//! 2. When a record is created or changes, build its [`TicketView`] and call [`evaluate`]
//!    with [`Input::Created`] or [`Input::Updated`]; apply the changes through the practice
//!    crate's commands (`Assign`, `Reprioritize`, `Escalate`, ...), deliver the
//!    [`Notification`]s, and keep [`Outcome::memory`] for the next call.
//! 3. Ask [`next_deadline`] for the record and, at that instant, call [`evaluate`] with
//!    [`Input::Tick`] (`since`: the previous evaluation's instant).
//!
//! # Example
//! ```
//! use itsm_rules::chrono::{TimeZone, Utc};
//! use itsm_rules::{
//!     Action, Category, Condition, Context, Input, Memory, Mode, RuleSet, RuleSetSpec,
//!     RuleSpec, TicketView, Trigger, check, evaluate,
//! };
//!
//! let rules = RuleSet::new(RuleSetSpec::new(Mode::FirstMatch, vec![
//!     RuleSpec::new("p1-to-major", Trigger::Created, Condition::PriorityIn(vec![1]),
//!         vec![Action::AssignGroup("major-incidents".into()), Action::Escalate(1)]),
//!     RuleSpec::new("network", Trigger::Created,
//!         Condition::ClassificationIn(vec!["network".into()]),
//!         vec![Action::AssignGroup("network".into())]),
//! ]))?;
//! assert!(check(&rules).is_empty());
//!
//! let mut view = TicketView::new("new", Category::New);
//! view.priority = Some(1);
//! view.classification = Some("network".into());
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let out = evaluate(&rules, &Input::Created(view), &Context::new(now), &Memory::default())?;
//! // First match: the P1 rule wins, the network rule does not run.
//! assert_eq!(out.view.group.as_deref(), Some("major-incidents"));
//! assert_eq!(out.firings.len(), 1);
//! assert_eq!(out.firings[0].rule, "p1-to-major");
//! assert_eq!(out.firings[0].applied[1].note, "intent: escalate to level 1");
//! # Ok::<(), itsm_rules::Error>(())
//! ```
//!
//! # Stability
//! Specs ([`RuleSetSpec`], [`RuleSpec`], [`Trigger`], [`Action`], [`Pool`], [`Member`],
//! [`Strategy`], [`Vocabulary`], [`Mode`], [`Anchor`]), results ([`Outcome`], [`Firing`],
//! [`Applied`], [`Change`], [`Notification`], [`Finding`]), [`Input`], [`Context`] and
//! [`Error`] may grow (`#[non_exhaustive]`): build them with their constructors.
//!
//! # Features
//! - `serde` (default): JSON for rule sets (a [`RuleSet`] deserializes through its
//!   checks), inputs, outcomes, memory and findings.
//! - `schemars`: the JSON Schema of a rule set (pinned as `docs/schema/rules-set.json` in
//!   the repository).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod assign;
mod check;
mod engine;
mod error;
mod sat;
mod spec;

pub use assign::{least_loaded, round_robin, skills_match};
pub use check::{Finding, check};
pub use engine::{
    Applied, Calendars, Change, Context, Firing, Input, Loads, Memory, Notification, Outcome,
    RuleSet, evaluate, next_deadline,
};
pub use error::Error;
pub use spec::{
    Action, Anchor, DEFAULT_MAX_CHANGES, Member, Mode, Pool, RuleSetSpec, RuleSpec, Strategy,
    Trigger, Vocabulary,
};

/// The date and time crate of this API, re-exported so a host needs no second dependency.
pub use chrono;
/// The foundation types this crate's API uses, re-exported (the very types of `itsm_core`
/// and `itsm_calendar`): the view and the predicate language shared with SLA definitions,
/// the category of a state, and the calendars business time is counted on, with what a
/// weekly calendar is built from.
pub use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
pub use itsm_core::{Category, Condition, TicketView, ViewField};
