//! The article record, its versions and its state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Category, UserId};

use crate::command::Link;

itsm_core::id_type!(
    /// A knowledge article (made by the host; every version of the article shares it).
    ArticleId
);

/// Where an article is in its lifecycle: the state of its *latest* version. While a revision
/// of a published article is in draft or in review, the article's status is that of the
/// revision, and readers still see the published version ([`Article::published`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ArticleStatus {
    /// A version is being written (the first, or a revision of a published one).
    Draft,
    /// A version waits for its reviewer or its approval.
    InReview,
    /// A version is published and nothing newer is being written.
    Published,
    /// Withdrawn: readers no longer find it.
    Retired,
}

impl ArticleStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ArticleStatus; 4] = [
        ArticleStatus::Draft,
        ArticleStatus::InReview,
        ArticleStatus::Published,
        ArticleStatus::Retired,
    ];

    /// The status's name, as in JSON and diagrams: `draft`, `in_review`, `published`,
    /// `retired`.
    pub const fn name(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::InReview => "in_review",
            ArticleStatus::Published => "published",
            ArticleStatus::Retired => "retired",
        }
    }

    /// The practice-neutral meaning, the nearest of the six: a draft is new, a version in
    /// review waits on someone else (pending), a published article is a solution others
    /// use and may be revised (resolved), a retired one is finished (closed).
    ///
    /// ```
    /// use itsm_knowledge::{ArticleStatus, Category};
    ///
    /// assert_eq!(ArticleStatus::InReview.category(), Category::Pending);
    /// ```
    pub const fn category(self) -> Category {
        match self {
            ArticleStatus::Draft => Category::New,
            ArticleStatus::InReview => Category::Pending,
            ArticleStatus::Published => Category::Resolved,
            ArticleStatus::Retired => Category::Closed,
        }
    }
}

impl std::fmt::Display for ArticleStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a version of an article says.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Content::new`] and set fields.
///
/// ```
/// use itsm_knowledge::Content;
///
/// let mut content = Content::new("Reset a VPN token", "Open the portal, then ...");
/// content.category = Some("network".into());
/// assert_eq!(content.title, "Reset a VPN token");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Content {
    /// The title readers search for (required, non-empty).
    pub title: String,
    /// The text.
    pub body: String,
    /// The vendor's category, if any. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub category: Option<String>,
}

impl Content {
    /// Content with a title and a body, no category.
    pub fn new(title: impl Into<String>, body: impl Into<String>) -> Self {
        Content {
            title: title.into(),
            body: body.into(),
            category: None,
        }
    }
}

/// The version being written: a draft or a version in review, never seen by readers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Working {
    pub(crate) number: u32,
    pub(crate) content: Arc<Content>,
    pub(crate) author: UserId,
    pub(crate) contributors: BTreeSet<UserId>,
    pub(crate) started_at: DateTime<Utc>,
    pub(crate) in_review: bool,
    pub(crate) approval: Option<itsm_approval::State>,
}

impl Working {
    /// Its version number (1 for the first; a revision of version N is N + 1 or more).
    pub fn number(&self) -> u32 {
        self.number
    }
    /// What it says.
    pub fn content(&self) -> &Content {
        &self.content
    }
    /// Who started it (`create`, or `revise` for a revision).
    pub fn author(&self) -> UserId {
        self.author
    }
    /// Who wrote it: the author and everyone who edited it. None of them may approve or
    /// reject it under the reviewer rule.
    pub fn contributors(&self) -> &BTreeSet<UserId> {
        &self.contributors
    }
    /// When it was started.
    pub fn started_at(&self) -> DateTime<Utc> {
        self.started_at
    }
    /// [`ArticleStatus::Draft`] or [`ArticleStatus::InReview`].
    pub fn stage(&self) -> ArticleStatus {
        if self.in_review {
            ArticleStatus::InReview
        } else {
            ArticleStatus::Draft
        }
    }
    /// The approval running (or decided) for it, when the policy publishes through one.
    pub fn approval(&self) -> Option<&itsm_approval::State> {
        self.approval.as_ref()
    }
}

/// The published version: what readers see, and when it is due for review.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PublishedVersion {
    pub(crate) number: u32,
    pub(crate) content: Arc<Content>,
    pub(crate) author: UserId,
    pub(crate) published_at: DateTime<Utc>,
    pub(crate) published_by: UserId,
    pub(crate) review_from: DateTime<Utc>,
    pub(crate) review_due: Option<DateTime<Utc>>,
}

impl PublishedVersion {
    /// Its version number.
    pub fn number(&self) -> u32 {
        self.number
    }
    /// What it says.
    pub fn content(&self) -> &Content {
        &self.content
    }
    /// Who wrote it (its author).
    pub fn author(&self) -> UserId {
        self.author
    }
    /// When it was published.
    pub fn published_at(&self) -> DateTime<Utc> {
        self.published_at
    }
    /// Who published it: the author (instant publication), the reviewer, or the approver
    /// whose answer decided the approval.
    pub fn published_by(&self) -> UserId {
        self.published_by
    }
    /// Where its review clock counts from: its publication, or its last `reaffirm` or
    /// `republish`.
    pub fn review_from(&self) -> DateTime<Utc> {
        self.review_from
    }
    /// The review date a `tick` found passed, until it is handled (a newer version
    /// published, `reaffirm`, `republish`).
    pub fn review_due(&self) -> Option<DateTime<Utc>> {
        self.review_due
    }
}

/// An earlier published version, superseded by a newer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Superseded {
    /// Its version number.
    pub number: u32,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// When the newer version replaced it.
    pub superseded_at: DateTime<Utc>,
}

/// Why and when an article was retired.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Retirement {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: UserId,
    /// Why.
    pub reason: String,
    /// The article that replaces it, if any (readers are sent there).
    pub replacement: Option<ArticleId>,
}

/// An open flag: a reader reported the published version as wrong or inappropriate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Flag {
    /// When.
    pub at: DateTime<Utc>,
    /// The version flagged.
    pub version: u32,
    /// What is wrong, in the reader's words.
    pub reason: String,
}

/// Readers' helpful and not-helpful votes, one per reader per article (a reader's later
/// vote replaces the earlier one). Votes carry over to new versions, as ServiceNow counts a
/// previous version's helpfulness for the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Usefulness {
    /// Readers who found it helpful.
    pub helpful: u32,
    /// Readers who did not.
    pub not_helpful: u32,
}

/// z for a two-sided 95% interval.
const Z: f64 = 1.959_963_984_540_054;

impl Usefulness {
    /// How many readers voted.
    pub fn votes(&self) -> u64 {
        u64::from(self.helpful) + u64::from(self.not_helpful)
    }

    /// The share of votes that say helpful, 0 to 1 (ServiceNow's "helpful percentage" over
    /// 100); `None` before the first vote.
    pub fn share(&self) -> Option<f64> {
        let n = self.votes();
        (n > 0).then(|| f64::from(self.helpful) / n as f64)
    }

    /// The usefulness score, 0 to 1: the lower bound of the 95% Wilson score interval of
    /// the helpful share,
    ///
    /// `(p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`, with `n` votes, `p` the
    /// helpful share and `z` = 1.96; 0 without votes.
    ///
    /// Why this and not the share itself: the share ranks one helpful vote out of one (100%)
    /// above 95 out of 100. The lower bound is what the share is, with 95% confidence, at
    /// least: it grows with the evidence, needs no arbitrary minimum count of votes, and an
    /// article with few votes ranks below one with many equally good ones. It is the
    /// standard ranking for up and down votes.
    ///
    /// ```
    /// use itsm_knowledge::Usefulness;
    ///
    /// let one_of_one = Usefulness { helpful: 1, not_helpful: 0 };
    /// let ninety_five = Usefulness { helpful: 95, not_helpful: 5 };
    /// assert!(one_of_one.score() < ninety_five.score());
    /// assert!((one_of_one.score() - 0.2065).abs() < 1e-4);
    /// assert!((ninety_five.score() - 0.8882).abs() < 1e-4);
    /// assert_eq!(Usefulness::default().score(), 0.0);
    /// ```
    pub fn score(&self) -> f64 {
        let n = self.votes() as f64;
        let Some(p) = self.share() else {
            return 0.0;
        };
        let z2 = Z * Z;
        let centre = p + z2 / (2.0 * n);
        let margin = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        ((centre - margin) / (1.0 + z2 / n)).clamp(0.0, 1.0)
    }
}

/// An article's whole record: its working version and its published version kept apart,
/// the versions it superseded, feedback, links. Read through getters; only events change it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Article {
    pub(crate) id: ArticleId,
    pub(crate) working: Option<Working>,
    pub(crate) published: Option<PublishedVersion>,
    pub(crate) superseded: Vec<Superseded>,
    pub(crate) retired: Option<Retirement>,
    pub(crate) latest: u32,
    pub(crate) rejections: u32,
    pub(crate) links: BTreeSet<Link>,
    pub(crate) votes: BTreeMap<UserId, bool>,
    pub(crate) usefulness: Usefulness,
    pub(crate) flags: BTreeMap<UserId, Flag>,
    pub(crate) flags_total: u32,
    pub(crate) attention: bool,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

impl Article {
    /// The article's id.
    pub fn id(&self) -> ArticleId {
        self.id
    }

    /// Its status: retired, else the working version's stage (draft or in review), else
    /// published.
    pub fn status(&self) -> ArticleStatus {
        if self.retired.is_some() {
            ArticleStatus::Retired
        } else if let Some(working) = &self.working {
            working.stage()
        } else if self.published.is_some() {
            ArticleStatus::Published
        } else {
            // invariant: `evolve` always keeps a working or a published version; a record
            // read from hand-written JSON without either reads as a draft.
            ArticleStatus::Draft
        }
    }

    /// The version being written, if any (a first draft, or a revision).
    pub fn working(&self) -> Option<&Working> {
        self.working.as_ref()
    }

    /// The version readers see: the published version, `None` before the first
    /// publication and once retired.
    pub fn published(&self) -> Option<&PublishedVersion> {
        self.published.as_ref().filter(|_| self.retired.is_none())
    }

    /// The last published version, retired or not (what `republish` brings back).
    pub fn last_published(&self) -> Option<&PublishedVersion> {
        self.published.as_ref()
    }

    /// Earlier published versions superseded by newer ones, oldest first.
    pub fn superseded(&self) -> &[Superseded] {
        &self.superseded
    }

    /// Why it was retired, while it is.
    pub fn retirement(&self) -> Option<&Retirement> {
        self.retired.as_ref()
    }

    /// The highest version number made so far (a discarded revision's number is not reused).
    pub fn latest_version(&self) -> u32 {
        self.latest
    }

    /// How many times a version was rejected in review.
    pub fn rejections(&self) -> u32 {
        self.rejections
    }

    /// The problems and known errors it is linked to.
    pub fn links(&self) -> &BTreeSet<Link> {
        &self.links
    }

    /// Readers' votes, and through [`Usefulness::score`] the usefulness score.
    pub fn usefulness(&self) -> Usefulness {
        self.usefulness
    }

    /// Each reader's current vote (`true`: helpful).
    pub fn votes(&self) -> &BTreeMap<UserId, bool> {
        &self.votes
    }

    /// The open flags, one per reader (a reader's later flag replaces the earlier one).
    /// A revision (`revise`) or `reaffirm` closes them all.
    pub fn flags(&self) -> &BTreeMap<UserId, Flag> {
        &self.flags
    }

    /// Every flag ever raised (open or closed; a reader replacing their open flag counts once).
    pub fn flags_total(&self) -> u32 {
        self.flags_total
    }

    /// Whether more open flags than the policy's threshold call for a knowledge manager's
    /// attention, until a revision or `reaffirm` handles them.
    pub fn needs_attention(&self) -> bool {
        self.attention
    }

    /// Whether the published version is due for review (a `tick` found its date passed).
    pub fn review_due(&self) -> bool {
        self.published().is_some_and(|p| p.review_due.is_some())
    }

    /// When it was created.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When the last event happened.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

/// What folding an article's events gives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "state", content = "article", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum State {
    /// Before `create`.
    #[default]
    Uncreated,
    /// An article.
    Created(Box<Article>),
}

impl State {
    /// Nothing yet.
    pub const fn new() -> Self {
        State::Uncreated
    }

    /// The article, once created.
    pub fn article(&self) -> Option<&Article> {
        match self {
            State::Uncreated => None,
            State::Created(article) => Some(article),
        }
    }

    /// Folds events in place, as [`evolve`](crate::evolve) does one by one.
    pub fn apply<'e>(&mut self, events: impl IntoIterator<Item = &'e crate::Event>) {
        for event in events {
            *self = crate::evolve(std::mem::take(self), event);
        }
    }
}
