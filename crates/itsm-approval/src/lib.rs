//! Approvals as a pure state machine, shared by the practices that need someone's
//! authorisation: change management (a CAB authorising a change), service requests (a
//! manager approving access), and any other.
//!
//! An approval [`Policy`] is data: [stages](StageSpec) that run one after the other; in each,
//! [approvers](Approver) answering in parallel (people, anyone holding a role, the members
//! of a group, or the request's parties), a [`Quorum`] (any one, all, a majority, N of M, a
//! percentage), the rules that exclude an approver (separation of duties: the requester or
//! implementer may not approve their own change; a role every approver must hold) and
//! whether approvers may [delegate](Delegation). [`Policy::new`] checks a policy, listing every
//! problem, so that every stage can be decided.
//!
//! A stage is decided as soon as its outcome can no longer change: approved when its quorum
//! is met, refused as soon as too few seats are left to meet it. Then the next stage opens,
//! or the approval is approved or refused. Every decision carries a [`StageExplanation`]:
//! who approved and rejected, the quorum, whether it was decided early, who was excluded
//! and by which rule.
//!
//! # Purity
//! [`decide`] and [`evolve`] never read the clock, the environment, files or the network,
//! make ids or log. Time, ids, the acting user and the members of groups come in as inputs,
//! so the same inputs give the same outputs and a product can replay, test and audit
//! everything.
//!
//! # The host's loop
//! 1. Load the approval's [`State`] (fold its stored events with [`evolve`], or keep it).
//! 2. Build a [`Context::new`]: `now` from your clock, the acting [`Actor`] (with the roles
//!    they hold), your [`Policy`].
//! 3. Call [`decide`] with the [`Command`]: [`Command::Request`] first, with a [`Request`]
//!    naming the parties and the members of each group the policy names; then approvers'
//!    [`Approve`](Command::Approve), [`Reject`](Command::Reject) and
//!    [`Delegate`](Command::Delegate), or [`Cancel`](Command::Cancel). On `Err`, show the
//!    [`Error`] (it says what is allowed); nothing changed.
//! 4. On `Ok(events)`, store the events, then fold them into the state with
//!    [`State::apply`] (or [`evolve`] one by one).
//! 5. Read [`State::outcome`]: pending with the open stage (whom to notify), approved, or
//!    refused with the explanation.
//!
//! There is no timer: an approval waits for answers. A host that wants due dates sends
//! `cancel` (or its own reminder) when its own timer fires.
//!
//! # Example
//! ```
//! use itsm_approval::chrono::{TimeZone, Utc};
//! use itsm_approval::{
//!     Actor, ApprovalId, Command, Context, GroupId, Outcome, Policy, Request, State, UserId,
//!     decide,
//! };
//!
//! let (technical, business) = (GroupId::from_u128(1), GroupId::from_u128(2));
//! let policy = Policy::technical_then_business(technical, business);
//! let (requester, ana, ben, cat, dan) =
//!     (UserId::from_u128(10), UserId::from_u128(11), UserId::from_u128(12),
//!      UserId::from_u128(13), UserId::from_u128(14));
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//!
//! let mut state = State::new();
//! let mut run = |state: &mut State, user: UserId, command: Command| {
//!     let actor = Actor::new(user, []);
//!     let events = decide(state, &command, &Context::new(now, &actor, &policy))?;
//!     state.apply(&events);
//!     Ok::<_, itsm_approval::Error>(events)
//! };
//!
//! // The host resolves the groups' members when it asks; the requester sits on the
//! // business board, so separation of duties takes them out of it.
//! let request = Request::new(ApprovalId::from_u128(1), requester)
//!     .with_members(technical, [ana])
//!     .with_members(business, [requester, ben, cat, dan]);
//! run(&mut state, requester, request.into())?;
//! run(&mut state, ana, Command::Approve { comment: None })?;          // technical: approved
//! run(&mut state, ben, Command::Reject { reason: "cost".into() })?;
//! run(&mut state, cat, Command::Reject { reason: "timing".into() })?; // 2 of 3 rejected
//!
//! let Outcome::Refused { explanation } = state.outcome() else { panic!() };
//! // A majority of the 3 eligible members needs 2 approvals; at most 1 remained possible.
//! assert_eq!((explanation.required, explanation.eligible), (2, 3));
//! assert!(explanation.early());
//! assert_eq!(explanation.excluded[0].user, requester);
//! # Ok::<(), itsm_approval::Error>(())
//! ```
//!
//! # Embedding an approval in another practice's state
//! A practice such as change management runs an approval inside one of its states (a
//! change's Authorize). Its record keeps an `itsm_approval::State` beside its own fields,
//! and its events wrap this crate's events, so one event log holds both and `evolve` stays
//! total:
//!
//! 1. **Events.** Give the practice's `Event` a variant holding an approval event
//!    (`Approval(itsm_approval::Event)`); its `evolve` passes it to [`evolve`] on the
//!    record's approval state.
//! 2. **Start.** When the record enters the state that needs authorisation, build a
//!    [`Request`] from its parties (requester, implementer) and the members of the groups
//!    the policy names (from the host's directory, at that moment), and `decide` a
//!    [`Command::Request`] on a fresh [`State::new`]; wrap the events. A new round (after a
//!    rejection sent the change back to New) starts again from [`State::new`] with a new
//!    [`ApprovalId`].
//! 3. **Answers.** The practice's approve, reject and delegate commands call [`decide`] on the
//!    record's approval state with the same `now` and actor, and wrap the events.
//! 4. **Outcome.** Fold the answer's events into a copy of the approval state and read
//!    [`State::outcome`]: on [`Outcome::Approved`] add the practice's own event that leaves
//!    the state (to Scheduled); on [`Outcome::Refused`] the one that sends it back (to New),
//!    quoting the explanation; on [`Outcome::Pending`] nothing.
//! 5. **Cancel.** When the record is canceled or leaves the state otherwise, `decide` a
//!    [`Command::Cancel`] if the approval is still pending, so its log says why it stopped.
//!
//! ```
//! use itsm_approval as approval;
//! use itsm_approval::chrono::{DateTime, TimeZone, Utc};
//! use itsm_approval::{Actor, ApprovalId, GroupId, Outcome, Policy, Request, UserId};
//!
//! /// A practice's record, reduced to what the approval needs.
//! #[derive(Default)]
//! struct Change { authorized: bool, approval: approval::State }
//!
//! /// Its events: its own, and the approval's wrapped.
//! enum ChangeEvent { Authorized, Approval(approval::Event) }
//!
//! fn evolve(mut change: Change, event: &ChangeEvent) -> Change {
//!     match event {
//!         ChangeEvent::Authorized => change.authorized = true,
//!         ChangeEvent::Approval(e) => change.approval = approval::evolve(change.approval, e),
//!     }
//!     change
//! }
//!
//! /// The practice's decide for an approval command: wrap the events, then add its own
//! /// when the approval is decided.
//! fn decide_approval(
//!     change: &Change, command: &approval::Command, ctx: &approval::Context<'_>,
//! ) -> Result<Vec<ChangeEvent>, approval::Error> {
//!     let events = approval::decide(&change.approval, command, ctx)?;
//!     let mut after = change.approval.clone();
//!     after.apply(&events);
//!     let mut out: Vec<ChangeEvent> = events.into_iter().map(ChangeEvent::Approval).collect();
//!     if let Outcome::Approved { .. } = after.outcome() {
//!         out.push(ChangeEvent::Authorized);
//!     }
//!     Ok(out)
//! }
//!
//! let cab = GroupId::from_u128(7);
//! let policy = Policy::cab(cab);
//! let (requester, implementer) = (UserId::from_u128(1), UserId::from_u128(2));
//! let members = [UserId::from_u128(3), UserId::from_u128(4), implementer];
//! let now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//!
//! let mut change = Change::default();
//! let request = Request::new(ApprovalId::from_u128(9), requester)
//!     .with_implementer(implementer)
//!     .with_members(cab, members);
//! for (user, command) in [
//!     (requester, request.into()),
//!     (UserId::from_u128(3), approval::Command::Approve { comment: None }),
//!     (UserId::from_u128(4), approval::Command::Approve { comment: None }),
//! ] {
//!     let actor = Actor::new(user, []);
//!     let ctx = approval::Context::new(now, &actor, &policy);
//!     for event in decide_approval(&change, &command, &ctx)? {
//!         change = evolve(change, &event);
//!     }
//! }
//! // The implementer was excluded: a majority of the 2 eligible members is 2.
//! assert!(change.authorized);
//! # Ok::<(), approval::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for commands, events, states and policies. Events carry a
//!   stable `type` tag, commands a `command` tag; a policy is checked when it is loaded.
//! - `schemars`: JSON Schemas for them (the pinned copies are in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod command;
mod error;
mod event;
mod explain;
mod machine;
mod model;
mod policy;
mod serde_tagged;

pub use command::{Command, CommandKind};
pub use error::{Error, PolicyProblem};
pub use event::Event;
pub use explain::{DecidedBy, Handover, Rejection, StageExplanation, StageOutcome};
pub use machine::{Context, TRANSITIONS, allowed_commands, decide, evolve, is_allowed, lifecycle};
pub use model::{
    Answer, Approval, ApprovalId, Exclusion, Holder, Outcome, Plan, Request, Seat, SeatProgress,
    StagePlan, StageProgress, State, Status, StatusKind, Tally, Vote,
};
pub use policy::{Approver, Delegation, Party, Policy, PolicySpec, Quorum, RefusalRule, StageSpec};

/// The date and time crate of this API (`DateTime<Utc>` instants), re-exported so that a
/// host needs no second dependency to build them.
pub use chrono;
/// The shared vocabulary this crate's API uses, re-exported (the same types as
/// `itsm_core`'s, so values mix freely with the practice crates).
pub use itsm_core::{Actor, Category, GroupId, Lifecycle, Role, UserId};

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
