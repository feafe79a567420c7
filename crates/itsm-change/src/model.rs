//! The change record and its state.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Category, ChangeId, ConfigItemId, ServiceId, UserId};

use crate::risk::RiskAssessment;

/// The built-in states of a change, in lifecycle order. A change model is a path through
/// them (standard changes skip assessment and authorisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Phase {
    /// Recorded, not yet submitted.
    New,
    /// Risk and impact being assessed (ServiceNow: technical approval by the change manager).
    Assess,
    /// Waiting for authorisation (the CAB, or the emergency board).
    Authorize,
    /// Authorised, with a planned window.
    Scheduled,
    /// Being implemented.
    Implement,
    /// Implemented; the post-implementation review records the outcome.
    Review,
    /// Finished.
    Closed,
    /// Withdrawn.
    Canceled,
}

impl Phase {
    /// Every state, in lifecycle order.
    pub const ALL: [Phase; 8] = [
        Phase::New,
        Phase::Assess,
        Phase::Authorize,
        Phase::Scheduled,
        Phase::Implement,
        Phase::Review,
        Phase::Closed,
        Phase::Canceled,
    ];

    /// The state's name, as in JSON and diagrams.
    pub const fn name(self) -> &'static str {
        match self {
            Phase::New => "new",
            Phase::Assess => "assess",
            Phase::Authorize => "authorize",
            Phase::Scheduled => "scheduled",
            Phase::Implement => "implement",
            Phase::Review => "review",
            Phase::Closed => "closed",
            Phase::Canceled => "canceled",
        }
    }

    /// What the state means whatever a vendor calls it: new; being worked on (assess,
    /// implement); waiting (authorize, scheduled); work done, outcome under review (review);
    /// closed; canceled.
    ///
    /// ```
    /// use itsm_change::{Category, Phase};
    ///
    /// assert_eq!(Phase::Authorize.category(), Category::Pending);
    /// ```
    pub const fn category(self) -> Category {
        match self {
            Phase::New => Category::New,
            Phase::Assess | Phase::Implement => Category::Open,
            Phase::Authorize | Phase::Scheduled => Category::Pending,
            Phase::Review => Category::Resolved,
            Phase::Closed => Category::Closed,
            Phase::Canceled => Category::Canceled,
        }
    }

    /// Whether nothing more can happen.
    pub const fn is_terminal(self) -> bool {
        matches!(self, Phase::Closed | Phase::Canceled)
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A planned window `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Window {
    /// The first instant.
    pub start: DateTime<Utc>,
    /// The first instant after the window.
    pub end: DateTime<Utc>,
}

impl Window {
    /// A window; `decide` refuses one that does not end after it starts.
    pub const fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Window { start, end }
    }
}

/// What a requester raises: everything `raise` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Request {
    /// The new change's id (made by the host).
    pub id: ChangeId,
    /// The change model (type) by name: `standard`, `normal`, `emergency` or a vendor's.
    pub model: String,
    /// The standard change template it comes from (required for models that need one).
    pub template: Option<String>,
    /// Who asks for the change.
    pub requester: UserId,
    /// Who will implement it, if known.
    pub implementer: Option<UserId>,
    /// The configuration items it touches.
    pub items: Vec<ConfigItemId>,
    /// The services it may affect.
    pub services: Vec<ServiceId>,
    /// What is to be done and why.
    pub description: String,
}

impl Request {
    /// A request with the fields every change needs; no template, implementer, items or
    /// services. Set the others through the public fields.
    ///
    /// ```
    /// use itsm_change::{ChangeId, Request, UserId};
    ///
    /// let request = Request::new(ChangeId::from_u128(1), "normal", UserId::from_u128(9), "Upgrade db01");
    /// assert!(request.items.is_empty());
    /// ```
    pub fn new(id: ChangeId, model: &str, requester: UserId, description: &str) -> Self {
        Request {
            id,
            model: model.to_owned(),
            template: None,
            requester,
            implementer: None,
            items: Vec::new(),
            services: Vec::new(),
            description: description.to_owned(),
        }
    }
}

/// The outcome a post-implementation review records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ReviewOutcome {
    /// Implemented as planned.
    Successful,
    /// Implemented, with issues.
    SuccessfulWithIssues,
    /// Not implemented as planned.
    Failed,
    /// Implemented, then reversed.
    BackedOut,
}

impl ReviewOutcome {
    /// The outcome's name, as in JSON (`successful_with_issues`).
    pub const fn name(self) -> &'static str {
        match self {
            ReviewOutcome::Successful => "successful",
            ReviewOutcome::SuccessfulWithIssues => "successful_with_issues",
            ReviewOutcome::Failed => "failed",
            ReviewOutcome::BackedOut => "backed_out",
        }
    }

    /// Whether the change achieved its purpose (for the change success rate).
    pub const fn is_success(self) -> bool {
        matches!(
            self,
            ReviewOutcome::Successful | ReviewOutcome::SuccessfulWithIssues
        )
    }
}

impl std::fmt::Display for ReviewOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The post-implementation review.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Review {
    /// How it went.
    pub outcome: ReviewOutcome,
    /// The close code, from the policy's list for the outcome.
    pub close_code: String,
    /// What was learnt.
    pub notes: String,
}

/// A change's whole record. Read through getters; only events change it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Change {
    pub(crate) request: Arc<Request>,
    pub(crate) stage: Phase,
    /// The vendor's name of the state, when it is not the phase's own name.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub(crate) state_name: Option<Arc<str>>,
    pub(crate) on_hold: Option<String>,
    pub(crate) risk: Option<RiskAssessment>,
    pub(crate) window: Option<Window>,
    pub(crate) review: Option<Review>,
    pub(crate) rejections: u32,
    /// The approval of the current (or last) authorisation round.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub(crate) approval: Option<itsm_approval::State>,
    pub(crate) cancel_reason: Option<String>,
    pub(crate) opened_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    /// Its tasks, in the order they were added.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub(crate) tasks: Vec<crate::task::ChangeTask>,
}

impl Change {
    /// The change's id.
    pub fn id(&self) -> ChangeId {
        self.request.id
    }
    /// What was requested.
    pub fn request(&self) -> &Request {
        &self.request
    }
    /// Where it is: the built-in phase whose rules it follows.
    pub fn stage(&self) -> Phase {
        self.stage
    }
    /// The state it is in under the model's name ([`ChangeModel::states`](crate::ChangeModel)):
    /// the phase's own name unless a vendor's state says otherwise.
    pub fn state_name(&self) -> &str {
        self.state_name.as_deref().unwrap_or(self.stage.name())
    }
    /// Why it is on hold, if it is (on hold is a flag, not a state).
    pub fn on_hold(&self) -> Option<&str> {
        self.on_hold.as_deref()
    }
    /// The last risk assessment, if any.
    pub fn risk(&self) -> Option<&RiskAssessment> {
        self.risk.as_ref()
    }
    /// The planned window, if scheduled.
    pub fn window(&self) -> Option<Window> {
        self.window
    }
    /// The post-implementation review, once closed.
    pub fn review(&self) -> Option<&Review> {
        self.review.as_ref()
    }
    /// How many times authorisation or assessment was refused (each returns it to new).
    pub fn rejections(&self) -> u32 {
        self.rejections
    }
    /// The approval of the current (or last) authorisation round, if the model has one.
    pub fn approval(&self) -> Option<&itsm_approval::State> {
        self.approval.as_ref()
    }
    /// Why it was canceled, if it was.
    pub fn cancel_reason(&self) -> Option<&str> {
        self.cancel_reason.as_deref()
    }
    /// When it was raised.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.opened_at
    }
    /// When the last event happened.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    /// Its tasks, in the order they were added.
    pub fn tasks(&self) -> &[crate::task::ChangeTask] {
        &self.tasks
    }
    /// The task with this id, if it is on the change.
    pub fn task(&self, id: crate::task::ChangeTaskId) -> Option<&crate::task::ChangeTask> {
        self.tasks.iter().find(|t| t.id == id)
    }
    /// The tasks still active (neither closed nor canceled).
    pub fn active_tasks(&self) -> impl Iterator<Item = &crate::task::ChangeTask> + '_ {
        self.tasks.iter().filter(|t| t.state.is_active())
    }
}

/// What folding a change's events gives: nothing yet, or a change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "state", content = "change", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum State {
    /// Before `raise`.
    #[default]
    Unraised,
    /// A change.
    Raised(Box<Change>),
}

impl State {
    /// Nothing yet.
    pub const fn new() -> Self {
        State::Unraised
    }

    /// The change, once raised.
    pub fn change(&self) -> Option<&Change> {
        match self {
            State::Unraised => None,
            State::Raised(change) => Some(change),
        }
    }

    /// The change's stage, `None` before it is raised.
    pub fn stage(&self) -> Option<Phase> {
        self.change().map(Change::stage)
    }

    /// Folds events in place, as [`evolve`](crate::evolve) does one by one.
    pub fn apply(&mut self, events: &[crate::Event]) {
        for event in events {
            *self = crate::evolve(std::mem::take(self), event);
        }
    }
}
