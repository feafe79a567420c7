//! Knowledge management as a pure state machine.
//!
//! Knowledge management keeps what the service desk learnt where people find it. This crate
//! holds the rules of a knowledge article's lifecycle as the leading tools document them,
//! with ServiceNow's knowledge management as the default [`Policy`]:
//!
//! - **Statuses** ([`ArticleStatus`]): draft, in review, published, retired, as a pure state
//!   machine ([`decide`], [`evolve`]) whose table, [`TRANSITIONS`], is written once.
//! - **Versions**: revising a published article starts a draft of version N + 1 while
//!   version N stays published; publishing the draft supersedes N. The record keeps the
//!   published version ([`Article::published`]) and the working one ([`Article::working`])
//!   apart.
//! - **Publication** ([`Publication`]): at once (ServiceNow's "Instant Publish"), by a
//!   reviewer who did not write the version (the reviewer rule), or through an approval of
//!   the `itsm-approval` crate (ServiceNow's "Approval Publish"), embedded in the article's
//!   state and event log.
//! - **Review dates**: [`next_deadline`] says when the published version is due for review
//!   (the policy's `review_interval`); a [`Command::Tick`] at or after it flags the article.
//! - **Feedback** ([`Feedback`]): helpful, not helpful, flagged with a reason; a usefulness
//!   score ([`Usefulness::score`], the Wilson lower bound); flags above the policy's
//!   threshold call for a knowledge manager's attention.
//! - **Links** ([`Link`]) to problems and known errors, by id.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. Time, ids, the acting user and the members of approval groups come in
//! as inputs, so the same inputs give the same outputs.
//!
//! # The host's loop
//! 1. Load the article's [`State`] (fold its stored events with [`evolve`], or keep it).
//! 2. Build a [`Context::new`]: `now` from your clock, the acting [`Actor`] with the roles
//!    they hold, your [`Policy`].
//! 3. Call [`decide`] with the [`Command`]. On `Err`, show the [`Error`] (it says what is
//!    allowed); nothing changed.
//! 4. On `Ok(events)`, store the events, then fold them in with [`State::apply`].
//! 5. Ask [`next_deadline`] when to wake up, and send [`Command::Tick`] then (a tick that
//!    comes early, or twice, does nothing).
//!
//! # Example
//! ```
//! use itsm_knowledge::chrono::{Duration, TimeZone, Utc};
//! use itsm_knowledge::{
//!     Actor, ArticleId, ArticleStatus, Command, Content, Context, Event, Policy, Role, State,
//!     UserId, decide, next_deadline,
//! };
//!
//! let mut policy = Policy::peer_review();
//! policy.review_interval = Some(Duration::days(180));
//! let author = Actor::new(UserId::from_u128(1), [Role::new("knowledge")?]);
//! let reviewer = Actor::new(UserId::from_u128(2), [Role::new("knowledge_manager")?]);
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//!
//! let mut state = State::new();
//! let mut run = |state: &mut State, who: &Actor, hours: i64, command: Command| {
//!     let ctx = Context::new(t0 + Duration::hours(hours), who, &policy);
//!     let events = decide(state, &command, &ctx)?;
//!     state.apply(&events);
//!     Ok::<_, itsm_knowledge::Error>(events)
//! };
//! let content = Content::new("Reset a VPN token", "Open the self-service portal, then ...");
//! run(&mut state, &author, 0, Command::create(ArticleId::from_u128(7), content))?;
//! run(&mut state, &author, 1, Command::Submit { approval: None })?;
//! run(&mut state, &reviewer, 2, Command::Approve)?;
//!
//! // A revision: version 2 is a draft while version 1 stays published.
//! run(&mut state, &reviewer, 3, Command::Revise)?;
//! let article = state.article().unwrap();
//! assert_eq!(article.status(), ArticleStatus::Draft);
//! assert_eq!(article.published().map(|p| p.number()), Some(1));
//! assert_eq!(article.working().map(|w| w.number()), Some(2));
//!
//! // Version 1 is due for review 180 days after its publication.
//! let due = next_deadline(&state, &policy).unwrap();
//! assert_eq!(due, t0 + Duration::hours(2) + Duration::days(180));
//! # let policy = policy.clone();
//! let events = decide(&state, &Command::Tick, &Context::new(due, &author, &policy))?;
//! assert!(matches!(events[..], [Event::ReviewDue { version: 1, .. }]));
//! # Ok::<(), itsm_knowledge::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for commands, events, states and policies. Events carry a
//!   stable `type` tag, commands a `command` tag; durations are ISO 8601 strings.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod error;
mod event;
mod lifecycle;
mod machine;
mod model;
mod policy;

pub use command::{ApprovalRequest, Command, Feedback, Link};
pub use error::Error;
pub use event::Event;
pub use lifecycle::{
    PublicationMode, TRANSITIONS, Transition, allowed_commands, lifecycle, target, transitions,
};
pub use machine::{Context, decide, evolve, next_deadline};
pub use model::{
    Article, ArticleId, ArticleStatus, Content, Flag, PublishedVersion, Retirement, State,
    Superseded, Usefulness, Working,
};
pub use policy::{Policy, Publication};

/// The date and time crate of this API, re-exported.
pub use chrono;
/// The approval crate a policy may publish through, re-exported so that a host answers
/// approvals ([`Command::Approval`]) without a second dependency.
pub use itsm_approval;
/// The approval's id, re-exported (the same type as `itsm_approval`'s).
pub use itsm_approval::ApprovalId;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s, so values mix freely with the practice crates).
pub use itsm_core::{
    Actor, Category, GroupId, KnownErrorId, Lifecycle, Permissions, ProblemId, Role, UserId,
};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
