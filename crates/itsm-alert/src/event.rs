//! What happened: the facts [`decide`](crate::decide) returns and
//! [`evolve`](crate::evolve) folds.

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::model::{AlertId, AlertStatus, CloseReason, FlapWindow, MessageKey, Severity};

/// Why a signal changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum IgnoreReason {
    /// A clear for a key without an active alert: nothing to close.
    NothingToClear,
}

/// A fact about the board. Every event carries its instant; `evolve` needs nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Event {
    /// A signal opened a new alert.
    Opened {
        /// The new alert.
        alert: AlertId,
        /// Its message key.
        key: MessageKey,
        /// The signal's severity.
        severity: Severity,
        /// The signal's description.
        description: String,
        /// The signal's configuration item.
        ci: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A signal updated an active alert (a new severity or description, or the same after
    /// the repeat window).
    Updated {
        /// The alert.
        alert: AlertId,
        /// The signal's severity (a clear only while the alert flaps).
        severity: Severity,
        /// The signal's description.
        description: String,
        /// The signal's configuration item.
        ci: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A signal repeated an active alert's last one within the repeat window: counted, the
    /// alert otherwise unchanged.
    Repeated {
        /// The alert.
        alert: AlertId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A closed alert opened again: by a signal within the active interval (`by` none), or
    /// by an operator.
    Reopened {
        /// The alert.
        alert: AlertId,
        /// The operator, or none for a signal.
        by: Option<UserId>,
        /// The severity now (the signal's, or the alert's before it closed).
        severity: Severity,
        /// The description now.
        description: String,
        /// The signal's configuration item (none for an operator).
        ci: Option<String>,
        /// The flapping window after this reopening (a signal's, under a flapping policy).
        flap: Option<FlapWindow>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An alert closed.
    Closed {
        /// The alert.
        alert: AlertId,
        /// Why.
        reason: CloseReason,
        /// The operator, for [`CloseReason::Operator`].
        by: Option<UserId>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Reopened often enough within the flap interval: the alert is flapping.
    FlappingStarted {
        /// The alert.
        alert: AlertId,
        /// The reopenings counted in the window.
        count: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// No signal for the quiet time: the alert stops flapping, closed if its last signal
    /// was a clear, reopened otherwise.
    FlappingEnded {
        /// The alert.
        alert: AlertId,
        /// Its status now.
        status: AlertStatus,
        /// When.
        at: DateTime<Utc>,
    },
    /// An operator acknowledged the alert.
    Acknowledged {
        /// The alert.
        alert: AlertId,
        /// Who.
        by: UserId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A more severe signal took the acknowledgement back
    /// ([`Acknowledgement::UndoneByEscalation`](crate::Acknowledgement::UndoneByEscalation)).
    AcknowledgementUndone {
        /// The alert.
        alert: AlertId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The alert asks for an incident ([`IncidentRule`](crate::IncidentRule)); the host
    /// opens one (for example with `itsm-incident`) and links it.
    IncidentRequested {
        /// The alert.
        alert: AlertId,
        /// Its severity.
        severity: Severity,
        /// When.
        at: DateTime<Utc>,
    },
    /// A signal that changed nothing, and why (so that none is dropped without a word).
    Ignored {
        /// The signal's key.
        key: MessageKey,
        /// Why.
        reason: IgnoreReason,
        /// When.
        at: DateTime<Utc>,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Opened { at, .. }
            | Event::Updated { at, .. }
            | Event::Repeated { at, .. }
            | Event::Reopened { at, .. }
            | Event::Closed { at, .. }
            | Event::FlappingStarted { at, .. }
            | Event::FlappingEnded { at, .. }
            | Event::Acknowledged { at, .. }
            | Event::AcknowledgementUndone { at, .. }
            | Event::IncidentRequested { at, .. }
            | Event::Ignored { at, .. } => *at,
        }
    }

    /// The alert it is about (none for [`Event::Ignored`]).
    pub fn alert(&self) -> Option<AlertId> {
        match self {
            Event::Opened { alert, .. }
            | Event::Updated { alert, .. }
            | Event::Repeated { alert, .. }
            | Event::Reopened { alert, .. }
            | Event::Closed { alert, .. }
            | Event::FlappingStarted { alert, .. }
            | Event::FlappingEnded { alert, .. }
            | Event::Acknowledged { alert, .. }
            | Event::AcknowledgementUndone { alert, .. }
            | Event::IncidentRequested { alert, .. } => Some(*alert),
            Event::Ignored { .. } => None,
        }
    }
}
