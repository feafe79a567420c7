//! Events: facts that happened, in the past tense. `evolve` folds them into the state.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::GroupId;
use itsm_core::UserId;
use itsm_core::{Impact, Priority, PriorityExplanation, Urgency};

use crate::model::{EscalationKind, HoldReason, Link, Report, Resolution, Snapshot, StatusKind};
use crate::serde_tagged::tagged_enum;

tagged_enum! {
    #[tagged(tag = "type", rename_all = "snake_case")]
    /// Something that happened to an incident. Every event carries when (`at`) and who (`by`),
    /// and every value `evolve` needs, so folding events needs no policy and no clock.
    ///
    /// In JSON the `type` field is a stable tag (`reported`, `assigned`, ...).
    // `Serialize` and `Deserialize` come from `tagged_enum!`: objects whose first key is the
    // tag, as `Serialize` writes them, decode without buffering; the tag may come anywhere.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    pub enum Event {
        /// The incident was recorded.
        Reported {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who recorded it.
            by: UserId,
            /// What was reported.
            // Shared with the command and the incident: `evolve` copies no text.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::arc"))]
            report: Arc<Report>,
            /// The priority computed.
            priority: Priority,
            /// Why that priority.
            explanation: Box<PriorityExplanation>,
        },
        /// The incident was brought in from elsewhere.
        Imported {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who imported it.
            by: UserId,
            /// The record.
            snapshot: Box<Snapshot>,
            /// The priority computed from the policy's matrix.
            priority: Priority,
        },
        /// Assigned or reassigned.
        Assigned {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// The group.
            group: GroupId,
            /// The person, if any.
            person: Option<UserId>,
            /// Whether this counts as a reassignment.
            reassignment: bool,
        },
        /// Work started.
        WorkStarted {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
        },
        /// Put on hold.
        PutOnHold {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// Why.
            reason: HoldReason,
            /// The comment, if any.
            comment: Option<String>,
        },
        /// The caller responded and the awaiting-caller hold was cleared.
        CallerResponded {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// What they said, if recorded.
            comment: Option<String>,
        },
        /// Taken off hold.
        Resumed {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
        },
        /// Impact or urgency changed, and with them the priority.
        Reprioritized {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// The new impact.
            impact: Impact,
            /// The new urgency.
            urgency: Urgency,
            /// The new priority.
            priority: Priority,
            /// Why that priority.
            explanation: Box<PriorityExplanation>,
        },
        /// Escalated.
        Escalated {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// Functional or hierarchical.
            kind: EscalationKind,
            /// The level reached.
            level: u8,
        },
        /// Declared a major incident.
        MajorDeclared {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// Why.
            reason: String,
        },
        /// Stood down as a major incident.
        MajorStoodDown {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// Why.
            reason: String,
        },
        /// Proposed as a major-incident candidate, by hand or by a trigger rule.
        MajorProposed {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who (for a trigger rule: the actor whose command it followed).
            by: UserId,
            /// Why.
            reason: String,
            /// The business impact stated (may be empty).
            business_impact: String,
            /// The trigger rule that proposed it; `None`: proposed by hand.
            trigger: Option<String>,
        },
        /// The major-incident candidate was rejected.
        MajorRejected {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// Why.
            reason: String,
        },
        /// Linked to another record.
        Linked {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// The link.
            link: Link,
        },
        /// Resolved.
        Resolved {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// The resolution code and notes (in JSON, `code` and `notes` beside `at` and `by`).
            #[cfg_attr(
                feature = "serde",
                serde(flatten, deserialize_with = "crate::serde_tagged::arc")
            )]
            resolution: Arc<Resolution>,
        },
        /// Reopened.
        Reopened {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// Why.
            reason: String,
            /// Whether a support role reopened it (then children reopen too).
            by_support: bool,
        },
        /// Closed.
        Closed {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who (for an auto-close, the actor of the tick).
            by: UserId,
            /// Whether the auto-close rule closed it.
            auto: bool,
        },
        /// Canceled.
        Canceled {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// Why.
            reason: String,
        },
        /// Returned to the queue: the assignment was cleared.
        Unassigned {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
        },
        /// A state of the policy's workflow was entered, where the events before it (in the
        /// same `decide` answer) do not say which: a vendor's own state (iTop's `assigned`,
        /// GLPI's `planned`), or another state of the same kind. `evolve` needs no policy to
        /// apply it: the event carries the state's kind.
        Entered {
            /// When.
            #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::serde_tagged::instant"))]
            at: DateTime<Utc>,
            /// Who.
            by: UserId,
            /// The workflow state's name (shared with the incidents folded from this event).
            state: Arc<str>,
            /// Its kind: the built-in state whose rules it follows.
            kind: StatusKind,
        },
    }
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Reported { at, .. }
            | Event::Imported { at, .. }
            | Event::Assigned { at, .. }
            | Event::WorkStarted { at, .. }
            | Event::PutOnHold { at, .. }
            | Event::CallerResponded { at, .. }
            | Event::Resumed { at, .. }
            | Event::Reprioritized { at, .. }
            | Event::Escalated { at, .. }
            | Event::MajorDeclared { at, .. }
            | Event::MajorStoodDown { at, .. }
            | Event::MajorProposed { at, .. }
            | Event::MajorRejected { at, .. }
            | Event::Linked { at, .. }
            | Event::Resolved { at, .. }
            | Event::Reopened { at, .. }
            | Event::Closed { at, .. }
            | Event::Canceled { at, .. }
            | Event::Unassigned { at, .. }
            | Event::Entered { at, .. } => *at,
        }
    }

    /// Who did it.
    pub fn by(&self) -> UserId {
        match self {
            Event::Reported { by, .. }
            | Event::Imported { by, .. }
            | Event::Assigned { by, .. }
            | Event::WorkStarted { by, .. }
            | Event::PutOnHold { by, .. }
            | Event::CallerResponded { by, .. }
            | Event::Resumed { by, .. }
            | Event::Reprioritized { by, .. }
            | Event::Escalated { by, .. }
            | Event::MajorDeclared { by, .. }
            | Event::MajorStoodDown { by, .. }
            | Event::MajorProposed { by, .. }
            | Event::MajorRejected { by, .. }
            | Event::Linked { by, .. }
            | Event::Resolved { by, .. }
            | Event::Reopened { by, .. }
            | Event::Closed { by, .. }
            | Event::Canceled { by, .. }
            | Event::Unassigned { by, .. }
            | Event::Entered { by, .. } => *by,
        }
    }

    /// The event's stable tag, as in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Reported { .. } => "reported",
            Event::Imported { .. } => "imported",
            Event::Assigned { .. } => "assigned",
            Event::WorkStarted { .. } => "work_started",
            Event::PutOnHold { .. } => "put_on_hold",
            Event::CallerResponded { .. } => "caller_responded",
            Event::Resumed { .. } => "resumed",
            Event::Reprioritized { .. } => "reprioritized",
            Event::Escalated { .. } => "escalated",
            Event::MajorDeclared { .. } => "major_declared",
            Event::MajorStoodDown { .. } => "major_stood_down",
            Event::MajorProposed { .. } => "major_proposed",
            Event::MajorRejected { .. } => "major_rejected",
            Event::Linked { .. } => "linked",
            Event::Resolved { .. } => "resolved",
            Event::Reopened { .. } => "reopened",
            Event::Closed { .. } => "closed",
            Event::Canceled { .. } => "canceled",
            Event::Unassigned { .. } => "unassigned",
            Event::Entered { .. } => "entered",
        }
    }
}
