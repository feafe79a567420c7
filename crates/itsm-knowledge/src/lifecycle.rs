//! The article lifecycle, written once: which command leads where, under each way of
//! publishing.

use itsm_core::{Lifecycle, StateSpec, TransitionSpec};

use crate::model::ArticleStatus;

/// How a policy publishes a draft: the data-less kind of [`Publication`](crate::Publication).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PublicationMode {
    /// The author publishes at once (ServiceNow's "Knowledge - Instant Publish").
    Instant,
    /// A reviewer holding a role approves; not someone who wrote the version.
    Review,
    /// An `itsm-approval` approval decides (ServiceNow's "Knowledge - Approval Publish").
    Approval,
}

impl PublicationMode {
    /// Every mode.
    pub const ALL: [PublicationMode; 3] = [
        PublicationMode::Instant,
        PublicationMode::Review,
        PublicationMode::Approval,
    ];

    /// The mode's name, as in the policy's JSON: `instant`, `review`, `approval`.
    pub const fn name(self) -> &'static str {
        match self {
            PublicationMode::Instant => "instant",
            PublicationMode::Review => "review",
            PublicationMode::Approval => "approval",
        }
    }
}

impl std::fmt::Display for PublicationMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of the table: in status `from`, command `command` leads to `to`, under the
/// publication modes listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The status before.
    pub from: ArticleStatus,
    /// The command's name.
    pub command: &'static str,
    /// The status after (the same: a command that keeps it).
    pub to: ArticleStatus,
    /// The publication modes that have this row.
    pub modes: &'static [PublicationMode],
}

use ArticleStatus as S;
use PublicationMode as M;

const ALL: &[M] = &M::ALL;
const REVIEWED: &[M] = &[M::Review, M::Approval];

const fn row(
    from: ArticleStatus,
    command: &'static str,
    to: ArticleStatus,
    modes: &'static [PublicationMode],
) -> Transition {
    Transition {
        from,
        command,
        to,
        modes,
    }
}

/// The lifecycle, written once (ServiceNow's knowledge article states, with versions kept
/// apart): a draft is edited, then published at once (`publish`, instant publication) or
/// sent for review (`submit`); a version in review is recalled, approved (published) or
/// rejected (back to draft). Under an approval, `approve` and `reject` are the approval's
/// outcome, reached through `approval` answers, never sent by hand. A published article is
/// revised (a new draft version while the published one stays), retired, or reaffirmed; a
/// revision may be discarded (back to the published version); a retired article is
/// republished. Feedback, links and `reaffirm` keep the status; `tick` is outside the table
/// (the host's timer, never changing the status).
pub const TRANSITIONS: &[Transition] = &[
    row(S::Draft, "publish", S::Published, &[M::Instant]),
    row(S::Draft, "submit", S::InReview, REVIEWED),
    row(S::Draft, "discard", S::Published, ALL),
    row(S::InReview, "recall", S::Draft, REVIEWED),
    row(S::InReview, "approve", S::Published, REVIEWED),
    row(S::InReview, "reject", S::Draft, REVIEWED),
    row(S::Published, "revise", S::Draft, ALL),
    row(S::Published, "retire", S::Retired, ALL),
    row(S::Retired, "republish", S::Published, ALL),
    // Commands that keep the status.
    row(S::Draft, "edit", S::Draft, ALL),
    row(S::Draft, "feedback", S::Draft, ALL),
    row(S::Draft, "link", S::Draft, ALL),
    row(S::Draft, "unlink", S::Draft, ALL),
    row(S::InReview, "approval", S::InReview, &[M::Approval]),
    row(S::InReview, "feedback", S::InReview, REVIEWED),
    row(S::InReview, "link", S::InReview, REVIEWED),
    row(S::InReview, "unlink", S::InReview, REVIEWED),
    row(S::Published, "reaffirm", S::Published, ALL),
    row(S::Published, "feedback", S::Published, ALL),
    row(S::Published, "link", S::Published, ALL),
    row(S::Published, "unlink", S::Published, ALL),
];

/// The rows a publication mode has, in table order.
pub fn transitions(mode: PublicationMode) -> impl Iterator<Item = &'static Transition> {
    TRANSITIONS.iter().filter(move |t| t.modes.contains(&mode))
}

/// Where `command` leads from `from` under `mode`, if the table allows it there.
///
/// ```
/// use itsm_knowledge::{ArticleStatus, PublicationMode, target};
///
/// assert_eq!(
///     target(PublicationMode::Instant, ArticleStatus::Draft, "publish"),
///     Some(ArticleStatus::Published)
/// );
/// assert_eq!(target(PublicationMode::Approval, ArticleStatus::Draft, "publish"), None);
/// ```
pub fn target(mode: PublicationMode, from: ArticleStatus, command: &str) -> Option<ArticleStatus> {
    transitions(mode)
        .find(|t| t.from == from && t.command == command)
        .map(|t| t.to)
}

/// The commands accepted in `status` under `mode`, in table order (`tick` aside: it is
/// accepted everywhere and changes no status).
///
/// ```
/// use itsm_knowledge::{ArticleStatus, PublicationMode, allowed_commands};
///
/// assert_eq!(
///     allowed_commands(PublicationMode::Review, ArticleStatus::InReview),
///     ["recall", "approve", "reject", "feedback", "link", "unlink"]
/// );
/// ```
pub fn allowed_commands(mode: PublicationMode, status: ArticleStatus) -> Vec<&'static str> {
    transitions(mode)
        .filter(|t| t.from == status)
        .map(|t| t.command)
        .collect()
}

/// The lifecycle under `mode` as data, for diagrams ([`Lifecycle::to_mermaid`]) and
/// conformance checks: the statuses the mode's rows use (instant publication has no review),
/// draft initial, retired terminal.
///
/// ```
/// use itsm_knowledge::{PublicationMode, lifecycle};
///
/// let diagram = lifecycle(PublicationMode::Instant).to_mermaid();
/// assert!(diagram.contains("draft --> published : publish / discard"));
/// assert!(!diagram.contains("in_review"));
/// ```
pub fn lifecycle(mode: PublicationMode) -> Lifecycle {
    let states = ArticleStatus::ALL
        .into_iter()
        .filter(|s| *s == S::Draft || transitions(mode).any(|t| t.from == *s || t.to == *s))
        .map(|s| {
            let spec = match s {
                S::Draft => StateSpec::initial(s.name(), s.category()),
                _ => StateSpec::new(s.name(), s.category()),
            };
            if s == S::Retired {
                spec.terminal()
            } else {
                spec
            }
        })
        .collect();
    let rows = transitions(mode)
        .map(|t| TransitionSpec::new(t.from.name(), t.command, t.to.name()))
        .collect();
    match Lifecycle::new(&format!("knowledge-{mode}"), states, rows) {
        Ok(lifecycle) => lifecycle,
        Err(e) => unreachable!("the knowledge table is sound under every mode: {e}"), // invariant: constant table, tested for every mode
    }
}
