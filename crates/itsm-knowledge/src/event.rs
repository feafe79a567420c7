//! Events: facts that happened, in the past tense. `evolve` folds them into the state.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::command::{Feedback, Link};
use crate::model::{ArticleId, Content};

/// Something that happened to an article. Every event carries when (`at`) and who (`by`)
/// (an approval's events carry their own), and every value `evolve` needs, so folding events
/// needs no policy and no clock. In JSON the `type` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Event {
    /// Created: version 1, a draft, written by `by`.
    Created {
        /// When.
        at: DateTime<Utc>,
        /// Who (the first version's author).
        by: UserId,
        /// The article's id.
        id: ArticleId,
        /// What version 1 says.
        content: Arc<Content>,
    },
    /// The working version's content replaced.
    Edited {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The working version.
        version: u32,
        /// The new content.
        content: Arc<Content>,
    },
    /// The working version sent for review.
    Submitted {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The version.
        version: u32,
    },
    /// Taken back from review to draft.
    Recalled {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The version.
        version: u32,
    },
    /// Rejected in review (by a reviewer, or by the approval's refusal): back to draft.
    Rejected {
        /// When.
        at: DateTime<Utc>,
        /// Who (the reviewer, or the approver whose answer decided).
        by: UserId,
        /// The version.
        version: u32,
        /// Why (the approval's explanation when it refused).
        reason: String,
    },
    /// The working version published; the version published before is superseded.
    Published {
        /// When.
        at: DateTime<Utc>,
        /// Who (the author, the reviewer, or the approver whose answer decided).
        by: UserId,
        /// The version now published.
        version: u32,
    },
    /// A new working version started from the published one; open flags close.
    Revised {
        /// When.
        at: DateTime<Utc>,
        /// Who (the new version's author).
        by: UserId,
        /// The new version's number.
        version: u32,
    },
    /// The working revision dropped.
    Discarded {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The version dropped.
        version: u32,
    },
    /// Retired.
    Retired {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The published version withdrawn.
        version: u32,
        /// Why.
        reason: String,
        /// The article replacing it, if any.
        replacement: Option<ArticleId>,
    },
    /// Published again after retirement, as its last published version.
    Republished {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The version.
        version: u32,
    },
    /// The published version confirmed as it is: its review clock restarts, open flags close.
    Reaffirmed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The version.
        version: u32,
    },
    /// The published version is due for review (a `tick` at or after its review date).
    ReviewDue {
        /// When the tick came.
        at: DateTime<Utc>,
        /// Who sent it (the host's timer account).
        by: UserId,
        /// The version.
        version: u32,
        /// The review date that passed.
        due: DateTime<Utc>,
    },
    /// A reader's feedback on the published version.
    FeedbackGiven {
        /// When.
        at: DateTime<Utc>,
        /// The reader.
        by: UserId,
        /// The version read.
        version: u32,
        /// The feedback.
        feedback: Feedback,
    },
    /// More open flags than the policy's threshold: the article needs a knowledge manager's
    /// attention.
    AttentionNeeded {
        /// When.
        at: DateTime<Utc>,
        /// Whose flag crossed the threshold.
        by: UserId,
        /// The version.
        version: u32,
        /// The open flags, counted.
        open_flags: u32,
    },
    /// A link added.
    Linked {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The record.
        link: Link,
    },
    /// A link removed.
    Unlinked {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The record.
        link: Link,
    },
    /// An event of the approval running for the version in review (its own `at` and `by`
    /// inside).
    Approval {
        /// The approval's event.
        event: itsm_approval::Event,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Created { at, .. }
            | Event::Edited { at, .. }
            | Event::Submitted { at, .. }
            | Event::Recalled { at, .. }
            | Event::Rejected { at, .. }
            | Event::Published { at, .. }
            | Event::Revised { at, .. }
            | Event::Discarded { at, .. }
            | Event::Retired { at, .. }
            | Event::Republished { at, .. }
            | Event::Reaffirmed { at, .. }
            | Event::ReviewDue { at, .. }
            | Event::FeedbackGiven { at, .. }
            | Event::AttentionNeeded { at, .. }
            | Event::Linked { at, .. }
            | Event::Unlinked { at, .. } => *at,
            Event::Approval { event } => event.at(),
        }
    }

    /// Who did it.
    pub fn by(&self) -> UserId {
        match self {
            Event::Created { by, .. }
            | Event::Edited { by, .. }
            | Event::Submitted { by, .. }
            | Event::Recalled { by, .. }
            | Event::Rejected { by, .. }
            | Event::Published { by, .. }
            | Event::Revised { by, .. }
            | Event::Discarded { by, .. }
            | Event::Retired { by, .. }
            | Event::Republished { by, .. }
            | Event::Reaffirmed { by, .. }
            | Event::ReviewDue { by, .. }
            | Event::FeedbackGiven { by, .. }
            | Event::AttentionNeeded { by, .. }
            | Event::Linked { by, .. }
            | Event::Unlinked { by, .. } => *by,
            Event::Approval { event } => event.by(),
        }
    }

    /// The event's stable tag, as in JSON.
    ///
    /// ```
    /// use itsm_knowledge::Event;
    /// use itsm_knowledge::chrono::{TimeZone, Utc};
    /// use itsm_knowledge::UserId;
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let event = Event::Published { at, by: UserId::from_u128(1), version: 2 };
    /// assert_eq!(event.name(), "published");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Event::Created { .. } => "created",
            Event::Edited { .. } => "edited",
            Event::Submitted { .. } => "submitted",
            Event::Recalled { .. } => "recalled",
            Event::Rejected { .. } => "rejected",
            Event::Published { .. } => "published",
            Event::Revised { .. } => "revised",
            Event::Discarded { .. } => "discarded",
            Event::Retired { .. } => "retired",
            Event::Republished { .. } => "republished",
            Event::Reaffirmed { .. } => "reaffirmed",
            Event::ReviewDue { .. } => "review_due",
            Event::FeedbackGiven { .. } => "feedback_given",
            Event::AttentionNeeded { .. } => "attention_needed",
            Event::Linked { .. } => "linked",
            Event::Unlinked { .. } => "unlinked",
            Event::Approval { .. } => "approval",
        }
    }
}
