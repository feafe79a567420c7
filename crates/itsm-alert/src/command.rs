//! What a host asks of the board.

use crate::model::{AlertId, Signal};

/// A request to [`decide`](crate::decide). Signals and ticks are the system's; the others
/// an operator's (checked against the policy's permissions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Command {
    /// A signal from a monitoring tool, arriving at the context's `now`. `new_alert` is the
    /// id to give the alert if the signal opens one (unused otherwise, so the host may
    /// reuse it).
    Ingest {
        /// The signal.
        signal: Signal,
        /// The id of a new alert, should one open.
        new_alert: AlertId,
    },
    /// An operator acknowledges an active alert.
    Acknowledge {
        /// Which alert.
        alert: AlertId,
    },
    /// An operator closes an active alert.
    Close {
        /// Which alert.
        alert: AlertId,
    },
    /// An operator reopens a closed alert (the latest of its key).
    Reopen {
        /// Which alert.
        alert: AlertId,
    },
    /// Time passes: flapping that went quiet ends, stale alerts close, incidents fall due
    /// ([`next_deadline`](crate::next_deadline) says when).
    Tick,
}

impl Command {
    /// The command's name, as JSON tags it and permissions list it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Ingest { .. } => "ingest",
            Command::Acknowledge { .. } => "acknowledge",
            Command::Close { .. } => "close",
            Command::Reopen { .. } => "reopen",
            Command::Tick => "tick",
        }
    }

    /// A signal to ingest, opening `new_alert` if it opens one.
    pub fn ingest(signal: Signal, new_alert: AlertId) -> Self {
        Command::Ingest { signal, new_alert }
    }
}
