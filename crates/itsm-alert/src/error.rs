//! Why `decide` refuses a command.

use chrono::{DateTime, Utc};

use crate::model::{AlertId, AlertStatus};

/// A refused command. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The context's `now` is before the board's last event.
    #[error(
        "the clock went backwards: now is {now} but the board was last updated at {last}; time must not decrease (only `tick` may come earlier, and then does nothing)"
    )]
    ClockWentBackwards {
        /// The last event's instant.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// No alert has this id.
    #[error("there is no alert {alert}; give the id of an alert on the board")]
    UnknownAlert {
        /// The id given.
        alert: AlertId,
    },
    /// The id given for a new alert is already an alert's.
    #[error("alert {alert} exists already; give a new id for the alert this signal opens")]
    AlertIdInUse {
        /// The id given.
        alert: AlertId,
    },
    /// The alert's status does not allow the command.
    #[error("cannot {command} alert {alert}: it is {status}; allowed when {}", names(.allowed))]
    NotAllowed {
        /// The command.
        command: &'static str,
        /// The alert.
        alert: AlertId,
        /// Its status.
        status: AlertStatus,
        /// The statuses that allow the command.
        allowed: Vec<AlertStatus>,
    },
    /// Only the latest alert of a key can be reopened.
    #[error(
        "cannot reopen alert {alert}: alert {latest} took over its key since; act on that one (reopen it if it is closed)"
    )]
    Superseded {
        /// The alert given.
        alert: AlertId,
        /// The key's latest alert.
        latest: AlertId,
    },
    /// The actor holds none of the roles the policy allows for the command.
    #[error("`{command}` refused: {reason}")]
    Denied {
        /// The command refused.
        command: &'static str,
        /// The permission check's answer, printed as part of this message (not a `source`).
        reason: itsm_core::Error,
    },
    /// The signal has no message key and every field a key is made of is empty.
    #[error(
        "the signal names nothing to key it by: give a message_key, or at least one of source, kind, node, resource and metric"
    )]
    EmptyKey,
    /// A policy value is out of range.
    #[error("the policy's {field} is invalid; give {allowed}")]
    InvalidPolicy {
        /// The field.
        field: &'static str,
        /// What is allowed.
        allowed: &'static str,
    },
}

fn names(statuses: &[AlertStatus]) -> String {
    let names: Vec<&str> = statuses.iter().map(|s| s.name()).collect();
    names.join(" or ")
}
