//! What happened to an escalation.

use chrono::{DateTime, Utc};
use itsm_core::UserId;

/// A fact [`decide`](crate::decide) produced; [`evolve`](crate::evolve) folds it into the
/// state. Each carries the instant it happened at (for due notices: when they fell due, which
/// a late tick may pass).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Event {
    /// Escalation started at the first step.
    Triggered {
        /// When.
        at: DateTime<Utc>,
    },
    /// A step starts (after the one before it ran out, or by hand).
    Escalated {
        /// The step.
        step: usize,
        /// The pass through the policy (0 the first; each repeat adds one).
        round: u32,
        /// Who escalated by hand; `None` when the step before ran out.
        by: Option<UserId>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The step's targets were notified: `reminder` 0 is the first notice, then reminders.
    Notified {
        /// The step.
        step: usize,
        /// The pass.
        round: u32,
        /// 0 for the first notice, n for the n-th reminder.
        reminder: u32,
        /// Who, each once, in the targets' order (the same for the step's reminders: those
        /// on call when the step started).
        recipients: Vec<UserId>,
        /// When.
        at: DateTime<Utc>,
        /// When the next reminder or step falls due.
        next: DateTime<Utc>,
    },
    /// The contacts a notice makes, planned from the recipients' contact profiles (only
    /// when the context carries [`Profiles`](crate::Profiles)); it follows the
    /// [`Event::Notified`] it belongs to. Each contact is sent as a [`Event::Contacted`]
    /// when it falls due, until the next notice, an acknowledgement or the end.
    ContactsPlanned {
        /// The step.
        step: usize,
        /// The pass.
        round: u32,
        /// The notice's number (0 the first notice; contact attempt `reminder + 1`).
        reminder: u32,
        /// The contacts, by due instant, then recipient, then the rule's runs and steps in
        /// order (under the step's channels, the person's methods in order).
        contacts: Vec<crate::contact::Contact>,
        /// Recipients no contact reaches, and why, in recipient order (for one person,
        /// contacts past the range before "too late").
        unreachable: Vec<crate::contact::Unreachable>,
        /// When (the notice's instant).
        at: DateTime<Utc>,
    },
    /// A planned contact fell due: the host sends it.
    Contacted {
        /// The step of the notice that planned it.
        step: usize,
        /// Its pass.
        round: u32,
        /// Its number (contact attempt `reminder + 1`).
        reminder: u32,
        /// Who.
        user: UserId,
        /// The method's name.
        method: String,
        /// Its kind.
        channel: crate::contact::Channel,
        /// The rule that asked for it; `None` under the step's channels.
        rule: Option<String>,
        /// When it fell due.
        at: DateTime<Utc>,
    },
    /// The step's targets had nobody on call.
    NobodyOnCall {
        /// The step.
        step: usize,
        /// The pass.
        round: u32,
        /// When.
        at: DateTime<Utc>,
        /// When the next step falls due (now under [`Nobody::Skip`](crate::Nobody::Skip)).
        next: DateTime<Utc>,
    },
    /// Someone took the task.
    Acknowledged {
        /// Who.
        by: UserId,
        /// When.
        at: DateTime<Utc>,
        /// When escalation starts again unless resolved (the policy's acknowledgement
        /// timeout); `None`: it holds.
        until: Option<DateTime<Utc>>,
    },
    /// An acknowledgement timed out: the step reached starts again (a [`Event::Notified`]
    /// follows, to the one who acknowledged first).
    AcknowledgementExpired {
        /// When.
        at: DateTime<Utc>,
    },
    /// Every step of every pass ran out without an acknowledgement; no more notices are
    /// sent (the last notice's planned contacts still are: its recipients hold the task).
    Exhausted {
        /// When.
        at: DateTime<Utc>,
    },
    /// The task was resolved.
    Resolved {
        /// Who.
        by: UserId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The escalation was called off.
    Canceled {
        /// Who.
        by: UserId,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Triggered { at }
            | Event::Escalated { at, .. }
            | Event::Notified { at, .. }
            | Event::ContactsPlanned { at, .. }
            | Event::Contacted { at, .. }
            | Event::NobodyOnCall { at, .. }
            | Event::Acknowledged { at, .. }
            | Event::AcknowledgementExpired { at }
            | Event::Exhausted { at }
            | Event::Resolved { at, .. }
            | Event::Canceled { at, .. } => *at,
        }
    }
}
