//! Why `decide` refuses a command.

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::lifecycle::PublicationMode;
use crate::model::ArticleId;

/// A refused command. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The table has no such transition from this status under the policy's publication.
    #[error("`{command}` is not allowed in state `{state}`; allowed there: {}", names(.allowed))]
    NotAllowed {
        /// The current status's name (`uncreated` before `create`).
        state: &'static str,
        /// The command refused.
        command: &'static str,
        /// The commands the status accepts (`tick` aside, accepted everywhere).
        allowed: Vec<&'static str>,
    },
    /// The actor holds none of the roles the policy allows for the command (and is not the
    /// author or publisher the policy lets through).
    #[error("`{command}` refused: {reason}")]
    Denied {
        /// The command refused.
        command: &'static str,
        /// The permission check's answer, printed as part of this message (not a `source`).
        reason: itsm_core::Error,
    },
    /// The time in the context is earlier than the article's last event.
    #[error(
        "the clock went backwards: now is {now} but the article was last updated at {last}; time must not decrease (only `tick` may come earlier, and then does nothing)"
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
    /// The command is about the published version, and nothing is published yet.
    #[error("`{command}` needs a published version and the article has none yet; publish it first")]
    NothingPublished {
        /// The command.
        command: &'static str,
    },
    /// The reviewer rule: nobody who wrote a version approves or rejects it.
    #[error(
        "user {user} wrote or edited version {version}, so may not `{command}` it; another reviewer must (its author may `recall` it)"
    )]
    OwnVersion {
        /// The command refused.
        command: &'static str,
        /// The version in review.
        version: u32,
        /// The actor.
        user: UserId,
    },
    /// Under an approval, the decision is the approval's outcome.
    #[error(
        "the policy publishes through an approval, so `{command}` is the approval's outcome; approvers answer with `approval`"
    )]
    DecidedByApproval {
        /// The command refused (`approve` or `reject`).
        command: &'static str,
    },
    /// The policy publishes through an approval and `submit` names none.
    #[error(
        "the policy publishes through an approval; `submit` needs one: its id and the members of the groups the approval policy names"
    )]
    ApprovalRequired,
    /// An approval given where the policy has none.
    #[error("the policy has no approval (it publishes by `{mode}`); send `submit` without one")]
    NoApprovalPolicy {
        /// The policy's publication mode.
        mode: PublicationMode,
    },
    /// An answer with no approval running for the version in review.
    #[error("no approval is running for the version in review; `submit` starts one")]
    NoApprovalRunning,
    /// An approval command that is not an approver's answer.
    #[error(
        "`{answer}` is not an approver's answer; `submit` starts the approval and `recall` withdraws it; approvers send `approve`, `reject` or `delegate`"
    )]
    NotAnAnswer {
        /// The approval command sent.
        answer: itsm_approval::CommandKind,
    },
    /// An article named as its own replacement.
    #[error("article {id} cannot replace itself; name another article or none")]
    SelfReplacement {
        /// The article.
        id: ArticleId,
    },
    /// Every version number has been used.
    #[error(
        "the article has used every version number (up to {}); no new version can be made",
        u32::MAX
    )]
    TooManyVersions,
    /// The published version's review date (the instant it counts from plus the policy's
    /// `review_interval`) leaves chrono's range: the article would never come up for review
    /// and nobody would be told. It counts from this instant for a version the command
    /// publishes, reaffirms or republishes, otherwise from the version's last review start
    /// (the policy may have grown its interval since).
    #[error(
        "the review date ({from} plus the policy's review_interval {}) is past the latest representable date; give a shorter review_interval or none",
        itsm_core::duration::format(*.interval)
    )]
    DateOverflow {
        /// The instant the review date counts from.
        from: DateTime<Utc>,
        /// The policy's review interval.
        interval: chrono::Duration,
    },
    /// An error of the approval, passed through (a request the approval policy cannot
    /// decide, an answer from someone without a seat, ...).
    #[error(transparent)]
    Approval(#[from] itsm_approval::Error),
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
