//! What a host asks of an escalation.

/// A command to [`decide`](crate::decide). Who issues it is the context's actor; when, its
/// `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Command {
    /// Start escalating (a trigger rule matched the task): the first step is notified now.
    Trigger,
    /// Send what has fallen due by now: reminders, the next steps, the policy's repeats, the
    /// end of an acknowledgement's timeout. Never refused for its time (before the last
    /// event it does nothing).
    Tick,
    /// The actor takes the task: notifications stop.
    Acknowledge,
    /// Jump to a step now (PagerDuty's "escalate to level N"), notifying it; from an
    /// acknowledged or exhausted escalation too.
    Escalate {
        /// The step (0 is the first).
        step: usize,
    },
    /// The task is resolved: the escalation ends.
    Resolve,
    /// The escalation no longer applies (ServiceNow cancels it when the task moves to a group
    /// without a matching trigger rule).
    Cancel {
        /// Why, for the log.
        reason: String,
    },
}

impl Command {
    /// The command's name in messages and JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Trigger => "trigger",
            Command::Tick => "tick",
            Command::Acknowledge => "acknowledge",
            Command::Escalate { .. } => "escalate",
            Command::Resolve => "resolve",
            Command::Cancel { .. } => "cancel",
        }
    }
}
