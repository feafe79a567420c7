//! Why `decide` refuses a command.

use chrono::{DateTime, Utc};
use itsm_core::{ProblemId, Quoted};

/// A refused command. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The policy's workflow has no such transition from this state.
    #[error("`{}` is not allowed in state `{}`; allowed there: {}", Quoted(.command), Quoted(.state), names(.allowed))]
    NotAllowed {
        /// The current state's name (`unlogged` before `log`).
        state: String,
        /// The command refused.
        command: String,
        /// The commands the state accepts.
        allowed: Vec<String>,
    },
    /// The actor holds none of the roles the policy allows for the command.
    #[error("`{command}` refused: {reason}")]
    Denied {
        /// The command refused.
        command: String,
        /// The permission check's answer, printed as part of this message (not a `source`).
        reason: itsm_core::Error,
    },
    /// The time in the context is earlier than the problem's last event.
    #[error(
        "the clock went backwards: now is {now} but the problem was last updated at {last}; time must not decrease"
    )]
    ClockWentBackwards {
        /// The last update.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// A field the command needs is empty.
    #[error("`{command}` needs a non-empty {field}")]
    MissingField {
        /// The command.
        command: &'static str,
        /// The field.
        field: &'static str,
    },
    /// A problem cannot duplicate itself.
    #[error("problem {id} cannot be a duplicate of itself")]
    SelfDuplicate {
        /// The problem.
        id: ProblemId,
    },
    /// The fix (or resolution) needs a root cause first.
    #[error("the problem has no root cause; send `record_root_cause` before `{command}`")]
    NoRootCause {
        /// The command refused.
        command: &'static str,
    },
    /// The policy asks for a confirmed root cause before the fix.
    #[error(
        "the root cause is not confirmed; the policy needs a confirmed root cause before `start_fix`"
    )]
    RootCauseNotConfirmed,
    /// A known error's workaround is empty where it must not be.
    #[error("the known error has no workaround; it cannot be published without one")]
    NoWorkaround,
    /// An error of the shared vocabulary, passed through.
    #[error(transparent)]
    Core(#[from] itsm_core::Error),
}

pub(crate) fn names<T: std::fmt::Display>(values: &[T]) -> String {
    if values.is_empty() {
        return "nothing".to_owned();
    }
    let parts: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    parts.join(", ")
}
