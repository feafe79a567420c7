//! Commands: what someone asks of an article. `decide` accepts or refuses them.

use std::collections::{BTreeMap, BTreeSet};

use itsm_approval::ApprovalId;
use itsm_core::{GroupId, KnownErrorId, ProblemId, UserId};

use crate::model::{ArticleId, Content};

/// A record an article links to, by id. In JSON `{"kind": "problem", "id": "<uuid>"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", content = "id", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Link {
    /// A problem the article explains or works around.
    Problem(ProblemId),
    /// A known error whose workaround the article publishes.
    KnownError(KnownErrorId),
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Link::Problem(id) => write!(f, "problem {id}"),
            Link::KnownError(id) => write!(f, "known error {id}"),
        }
    }
}

/// A reader's feedback on the published version. In JSON `{"kind": "helpful"}`,
/// `{"kind": "not_helpful"}`, `{"kind": "flagged", "reason": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Feedback {
    /// "Helpful? Yes."
    Helpful,
    /// "Helpful? No."
    NotHelpful,
    /// The article is wrong or inappropriate.
    Flagged {
        /// What is wrong (required, non-empty).
        reason: String,
    },
}

/// The approval `submit` starts when the policy publishes through one: its id (made by the
/// host, a new one for each round) and the members of every group the approval policy
/// names, from the host's directory, now. The requester is the version's author.
///
/// ```
/// use itsm_knowledge::{ApprovalId, ApprovalRequest, GroupId, UserId};
///
/// let managers = GroupId::from_u128(7);
/// let request = ApprovalRequest::new(ApprovalId::from_u128(1))
///     .with_members(managers, [UserId::from_u128(3), UserId::from_u128(4)]);
/// assert_eq!(request.members[&managers].len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ApprovalRequest {
    /// The approval's id.
    pub id: ApprovalId,
    /// The members of each group the approval policy names. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub members: BTreeMap<GroupId, BTreeSet<UserId>>,
}

impl ApprovalRequest {
    /// A request without group members (enough for policies naming roles or people).
    pub fn new(id: ApprovalId) -> Self {
        ApprovalRequest {
            id,
            members: BTreeMap::new(),
        }
    }

    /// This request with `members` added to `group`'s members.
    #[must_use]
    pub fn with_members(
        mut self,
        group: GroupId,
        members: impl IntoIterator<Item = UserId>,
    ) -> Self {
        self.members.entry(group).or_default().extend(members);
        self
    }
}

/// Something asked of an article. The acting user and the time come in the
/// [`Context`](crate::Context). In JSON the `command` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "command", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Command {
    /// Create the article: its first version, a draft, written by the acting user.
    Create {
        /// The article's id (made by the host).
        id: ArticleId,
        /// What the first version says.
        content: Box<Content>,
    },
    /// Replace the working version's content (the same content changes nothing).
    Edit {
        /// The new content.
        content: Box<Content>,
    },
    /// Send the draft for review: to the reviewers, or to the policy's approval.
    Submit {
        /// The approval to start, when the policy publishes through one (and only then).
        /// Absent in JSON: none.
        #[cfg_attr(feature = "serde", serde(default))]
        approval: Option<ApprovalRequest>,
    },
    /// Publish the draft at once (a policy of instant publication).
    Publish,
    /// Take the version back from review to draft (a pending approval is canceled).
    Recall,
    /// A reviewer approves the version in review: it is published.
    Approve,
    /// A reviewer rejects the version in review: back to draft.
    Reject {
        /// Why (required, non-empty).
        reason: String,
    },
    /// An approver's answer (`approve`, `reject`, `delegate`) to the running approval; when it
    /// decides the approval, the version is published (approved) or back to draft (refused).
    Approval {
        /// The approval command.
        answer: itsm_approval::Command,
    },
    /// Start a new version from the published one (a draft of version N + 1, its content
    /// copied); the published version stays published until the new one is.
    Revise,
    /// Drop the working revision; the published version stays as it is.
    Discard,
    /// Withdraw the published article (only with no revision under way).
    Retire {
        /// Why (required, non-empty).
        reason: String,
        /// The article that replaces it, if any. Absent in JSON: none.
        #[cfg_attr(feature = "serde", serde(default))]
        replacement: Option<ArticleId>,
    },
    /// Publish a retired article again, as its last published version.
    Republish,
    /// The published version was checked and stays as it is: its review clock restarts and
    /// its open flags close.
    Reaffirm,
    /// A reader's feedback on the published version.
    Feedback {
        /// Helpful, not helpful, or a flag with its reason.
        feedback: Feedback,
    },
    /// Link a problem or a known error (a link already there changes nothing).
    Link {
        /// The record.
        link: Link,
    },
    /// Remove a link (a link not there changes nothing).
    Unlink {
        /// The record.
        link: Link,
    },
    /// The host's timer: at or after [`next_deadline`](crate::next_deadline) the published
    /// version is flagged due for review; before it, or earlier than the last event,
    /// nothing happens.
    Tick,
}

impl Command {
    /// Every command's name, in declaration order.
    pub const NAMES: [&'static str; 17] = [
        "create",
        "edit",
        "submit",
        "publish",
        "recall",
        "approve",
        "reject",
        "approval",
        "revise",
        "discard",
        "retire",
        "republish",
        "reaffirm",
        "feedback",
        "link",
        "unlink",
        "tick",
    ];

    /// The command's name, as in JSON, the transition table and the permission table.
    ///
    /// ```
    /// use itsm_knowledge::Command;
    ///
    /// assert_eq!(Command::Reaffirm.name(), "reaffirm");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Command::Create { .. } => "create",
            Command::Edit { .. } => "edit",
            Command::Submit { .. } => "submit",
            Command::Publish => "publish",
            Command::Recall => "recall",
            Command::Approve => "approve",
            Command::Reject { .. } => "reject",
            Command::Approval { .. } => "approval",
            Command::Revise => "revise",
            Command::Discard => "discard",
            Command::Retire { .. } => "retire",
            Command::Republish => "republish",
            Command::Reaffirm => "reaffirm",
            Command::Feedback { .. } => "feedback",
            Command::Link { .. } => "link",
            Command::Unlink { .. } => "unlink",
            Command::Tick => "tick",
        }
    }

    /// [`Command::Create`].
    pub fn create(id: ArticleId, content: Content) -> Self {
        Command::Create {
            id,
            content: Box::new(content),
        }
    }

    /// [`Command::Edit`].
    pub fn edit(content: Content) -> Self {
        Command::Edit {
            content: Box::new(content),
        }
    }
}
