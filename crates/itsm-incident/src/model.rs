//! The incident record and its state.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{
    Category, ConfigItemId, GroupId, Impact, Priority, ServiceId, TicketView, Urgency, UserId,
};

pub use itsm_core::{ChangeId, IncidentId, ProblemId};

/// How the incident reached the service desk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Channel {
    /// A phone call.
    Phone,
    /// An e-mail.
    Email,
    /// The self-service portal.
    SelfService,
    /// Chat.
    Chat,
    /// In person.
    WalkIn,
    /// An alert from monitoring.
    Monitoring,
    /// Any other channel, by name.
    Other(String),
    /// Not recorded (the default of [`Report::new`]).
    Unspecified,
}

impl Default for Channel {
    /// [`Channel::Unspecified`]: the host did not say.
    fn default() -> Self {
        Channel::Unspecified
    }
}

/// Why an incident is on hold. The five built-in reasons have fixed meanings; a vendor adds
/// its own as `Custom` and lists them in the policy. In JSON every reason is a plain string
/// (`"awaiting_caller"`, or the custom code itself).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "String", into = "String"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(with = "String"))]
pub enum HoldReason {
    /// Waiting for the caller (ServiceNow's "Awaiting Caller"); a caller's update clears it.
    AwaitingCaller,
    /// Waiting for a change to be implemented.
    AwaitingChange,
    /// Waiting for a problem to be fixed.
    AwaitingProblem,
    /// Waiting for a supplier.
    AwaitingVendor,
    /// Waiting for evidence.
    AwaitingEvidence,
    /// A reason a vendor defines as data.
    Custom(String),
}

impl HoldReason {
    /// The reason's code, as written in JSON and policies.
    pub fn code(&self) -> &str {
        match self {
            HoldReason::AwaitingCaller => "awaiting_caller",
            HoldReason::AwaitingChange => "awaiting_change",
            HoldReason::AwaitingProblem => "awaiting_problem",
            HoldReason::AwaitingVendor => "awaiting_vendor",
            HoldReason::AwaitingEvidence => "awaiting_evidence",
            HoldReason::Custom(code) => code,
        }
    }

    /// The reason for a code: a built-in one, or `Custom`.
    pub fn from_code(code: &str) -> Self {
        match code {
            "awaiting_caller" => HoldReason::AwaitingCaller,
            "awaiting_change" => HoldReason::AwaitingChange,
            "awaiting_problem" => HoldReason::AwaitingProblem,
            "awaiting_vendor" => HoldReason::AwaitingVendor,
            "awaiting_evidence" => HoldReason::AwaitingEvidence,
            other => HoldReason::Custom(other.to_owned()),
        }
    }
}

impl From<String> for HoldReason {
    fn from(code: String) -> Self {
        HoldReason::from_code(&code)
    }
}

impl From<HoldReason> for String {
    fn from(reason: HoldReason) -> Self {
        reason.code().to_owned()
    }
}

impl std::fmt::Display for HoldReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Functional escalation moves the incident to a more skilled group (second line, third
/// line); hierarchical escalation informs management.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum EscalationKind {
    /// To a more skilled support level.
    Functional,
    /// Up the management line.
    Hierarchical,
}

impl std::fmt::Display for EscalationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EscalationKind::Functional => "functional",
            EscalationKind::Hierarchical => "hierarchical",
        })
    }
}

/// A link from an incident to another record (ids only: practice crates do not depend on
/// each other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", content = "id", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Link {
    /// The problem behind this incident.
    Problem(ProblemId),
    /// A change that caused or fixes it.
    Change(ChangeId),
    /// The parent incident (this one is a child).
    Parent(IncidentId),
    /// A child incident.
    Child(IncidentId),
    /// The closed incident this one follows up: it was asked to be reopened after closure
    /// (see [`follow_up`](crate::follow_up)).
    FollowUpOf(IncidentId),
}

/// What a caller reports: everything `report` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Report {
    /// The new incident's id (made by the host).
    pub id: IncidentId,
    /// Who is affected.
    pub caller: UserId,
    /// How it arrived.
    pub channel: Channel,
    /// The vendor's category, if any.
    pub category: Option<String>,
    /// The configuration item concerned, if known.
    pub configuration_item: Option<ConfigItemId>,
    /// The service concerned, if known.
    pub service: Option<ServiceId>,
    /// Impact on the matrix's scale.
    pub impact: Impact,
    /// Urgency on the matrix's scale.
    pub urgency: Urgency,
    /// What happened.
    pub description: String,
}

impl Report {
    /// A report with the fields every incident needs; the optional ones are empty and the
    /// channel is [`Channel::Unspecified`]. Set the others through the public fields.
    ///
    /// ```
    /// use itsm_incident::{Channel, Impact, IncidentId, Report, Urgency, UserId};
    ///
    /// let mut report = Report::new(
    ///     IncidentId::from_u128(1), UserId::from_u128(9), Impact(2), Urgency(1), "Mail is down",
    /// );
    /// report.channel = Channel::Email;
    /// assert_eq!(report.category, None);
    /// ```
    pub fn new(
        id: IncidentId,
        caller: UserId,
        impact: Impact,
        urgency: Urgency,
        description: impl Into<String>,
    ) -> Self {
        Report {
            id,
            caller,
            channel: Channel::Unspecified,
            category: None,
            configuration_item: None,
            service: None,
            impact,
            urgency,
            description: description.into(),
        }
    }
}

/// How an incident was resolved. The `resolved` event and every state folded from it share
/// one allocation, so `evolve` copies no text and touches one reference count.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Resolution {
    /// The resolution code (ServiceNow's close code), from the policy's list if it has one.
    pub code: String,
    /// The resolution notes (absent in JSON: empty, as in records written before closed
    /// incidents kept their notes).
    #[cfg_attr(feature = "serde", serde(default))]
    pub notes: String,
}

/// Who works on the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Assignment {
    /// The assignment group.
    pub group: GroupId,
    /// The person in the group, if any.
    pub person: Option<UserId>,
}

/// Where the incident is in its lifecycle, with the data valid only there.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Status {
    /// Recorded, nobody working on it yet.
    New,
    /// Being worked on.
    InProgress,
    /// Waiting, for a reason.
    OnHold {
        /// Why.
        reason: HoldReason,
        /// Since when.
        since: DateTime<Utc>,
    },
    /// A solution is in place; the caller may still reopen.
    Resolved {
        /// The resolution code and notes (in JSON, `code` and `notes` beside `at`).
        #[cfg_attr(feature = "serde", serde(flatten))]
        resolution: Arc<Resolution>,
        /// When it was resolved.
        at: DateTime<Utc>,
    },
    /// Finished.
    Closed {
        /// The resolution it was closed with (empty if it was closed without one).
        #[cfg_attr(feature = "serde", serde(flatten))]
        resolution: Arc<Resolution>,
        /// When it was closed.
        at: DateTime<Utc>,
        /// Whether the auto-close rule closed it.
        auto: bool,
    },
    /// Withdrawn before resolution.
    Canceled {
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
}

/// The state names of the lifecycle, without data: what transition tables, errors and
/// diagrams speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum StatusKind {
    /// Before `report` (or `import`): no incident yet.
    Unreported,
    /// See [`Status::New`].
    New,
    /// See [`Status::InProgress`].
    InProgress,
    /// See [`Status::OnHold`].
    OnHold,
    /// See [`Status::Resolved`].
    Resolved,
    /// See [`Status::Closed`].
    Closed,
    /// See [`Status::Canceled`].
    Canceled,
}

impl StatusKind {
    /// Every lifecycle state (not `Unreported`), in lifecycle order.
    pub const ALL: [StatusKind; 6] = [
        StatusKind::New,
        StatusKind::InProgress,
        StatusKind::OnHold,
        StatusKind::Resolved,
        StatusKind::Closed,
        StatusKind::Canceled,
    ];

    /// The state's name, as in diagrams and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            StatusKind::Unreported => "unreported",
            StatusKind::New => "new",
            StatusKind::InProgress => "in_progress",
            StatusKind::OnHold => "on_hold",
            StatusKind::Resolved => "resolved",
            StatusKind::Closed => "closed",
            StatusKind::Canceled => "canceled",
        }
    }

    /// Whether nothing more can happen.
    pub const fn is_terminal(self) -> bool {
        matches!(self, StatusKind::Closed | StatusKind::Canceled)
    }

    /// What the state means whatever a vendor calls it, for SLAs, KPIs and importers
    /// (`Unreported` counts as new).
    ///
    /// ```
    /// use itsm_incident::{Category, StatusKind};
    ///
    /// assert_eq!(StatusKind::OnHold.category(), Category::Pending);
    /// ```
    pub const fn category(self) -> Category {
        match self {
            StatusKind::Unreported | StatusKind::New => Category::New,
            StatusKind::InProgress => Category::Open,
            StatusKind::OnHold => Category::Pending,
            StatusKind::Resolved => Category::Resolved,
            StatusKind::Closed => Category::Closed,
            StatusKind::Canceled => Category::Canceled,
        }
    }
}

impl std::str::FromStr for StatusKind {
    type Err = crate::Error;
    /// Parses a state's name as [`StatusKind::name`] writes it (`unreported` included).
    ///
    /// ```
    /// use itsm_incident::StatusKind;
    ///
    /// assert_eq!("on_hold".parse::<StatusKind>()?, StatusKind::OnHold);
    /// assert!("pending".parse::<StatusKind>().is_err());
    /// # Ok::<(), itsm_incident::Error>(())
    /// ```
    fn from_str(name: &str) -> Result<Self, crate::Error> {
        std::iter::once(StatusKind::Unreported)
            .chain(StatusKind::ALL)
            .find(|s| s.name() == name)
            .ok_or_else(|| crate::Error::UnknownStatus {
                name: name.to_owned(),
            })
    }
}

impl std::fmt::Display for StatusKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Status {
    /// The state's name without data.
    pub fn kind(&self) -> StatusKind {
        match self {
            Status::New => StatusKind::New,
            Status::InProgress => StatusKind::InProgress,
            Status::OnHold { .. } => StatusKind::OnHold,
            Status::Resolved { .. } => StatusKind::Resolved,
            Status::Closed { .. } => StatusKind::Closed,
            Status::Canceled { .. } => StatusKind::Canceled,
        }
    }
}

/// Levels of escalation reached, per kind (0 = not escalated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Escalation {
    /// Functional level.
    pub functional: u8,
    /// Hierarchical level.
    pub hierarchical: u8,
}

impl Escalation {
    /// The level reached for `kind`.
    pub fn level(&self, kind: EscalationKind) -> u8 {
        match kind {
            EscalationKind::Functional => self.functional,
            EscalationKind::Hierarchical => self.hierarchical,
        }
    }
}

/// Links to other records, each list sorted and without repeats.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Links {
    /// Problems.
    pub problems: Vec<ProblemId>,
    /// Changes.
    pub changes: Vec<ChangeId>,
    /// The parent incident.
    pub parent: Option<IncidentId>,
    /// Child incidents.
    pub children: Vec<IncidentId>,
    /// The closed incident this one follows up (absent in JSON: none).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub follow_up_of: Option<IncidentId>,
}

impl Links {
    /// Whether `link` is already recorded.
    pub fn contains(&self, link: &Link) -> bool {
        match link {
            Link::Problem(id) => self.problems.binary_search(id).is_ok(),
            Link::Change(id) => self.changes.binary_search(id).is_ok(),
            Link::Parent(id) => self.parent == Some(*id),
            Link::Child(id) => self.children.binary_search(id).is_ok(),
            Link::FollowUpOf(id) => self.follow_up_of == Some(*id),
        }
    }

    /// The same links with each list sorted and without repeats, as `contains` and `add`
    /// expect; an imported snapshot's lists come in whatever order the other tool used.
    pub(crate) fn normalized(mut self) -> Self {
        fn tidy<T: Ord>(list: &mut Vec<T>) {
            list.sort_unstable();
            list.dedup();
        }
        tidy(&mut self.problems);
        tidy(&mut self.changes);
        tidy(&mut self.children);
        self
    }

    pub(crate) fn add(&mut self, link: Link) {
        fn insert<T: Ord>(list: &mut Vec<T>, id: T) {
            if let Err(at) = list.binary_search(&id) {
                list.insert(at, id);
            }
        }
        match link {
            Link::Problem(id) => insert(&mut self.problems, id),
            Link::Change(id) => insert(&mut self.changes, id),
            Link::Parent(id) => self.parent = Some(id),
            Link::Child(id) => insert(&mut self.children, id),
            Link::FollowUpOf(id) => self.follow_up_of = Some(id),
        }
    }
}

/// An incident's whole record. Fields are read through getters; only events change them.
///
/// A [`Snapshot`] is the same record as plain public data, for import and export.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Incident {
    // Shared with the `reported` event it came from (and with every state folded from that
    // event), so that `evolve` copies no text. It is never written: a reassessment is kept
    // beside it, so `reprioritized` neither copies the report nor reads it (on a log folded
    // from memory, the report is usually the one cold cache line an incident costs).
    pub(crate) report: Arc<Report>,
    /// Impact and urgency after the last reprioritization, absent until the first one (the
    /// report itself keeps the first assessment).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub(crate) reassessed: Option<(Impact, Urgency)>,
    pub(crate) priority: Priority,
    pub(crate) status: Status,
    pub(crate) assignment: Option<Assignment>,
    pub(crate) reassignment_count: u32,
    pub(crate) reopen_count: u32,
    pub(crate) escalation: Escalation,
    pub(crate) major: bool,
    /// Where a major-incident review stands when the incident is not a major incident:
    /// proposed, rejected or demoted (`canceled`); absent when none was ever made (and while
    /// it is a major incident: then [`MajorState::Accepted`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub(crate) major_review: Option<MajorState>,
    pub(crate) links: Links,
    pub(crate) opened_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    /// The workflow state's name when it is not the kind's own (a vendor's state such as
    /// iTop's `assigned`); absent for the built-in names.
    #[cfg_attr(
        feature = "serde",
        serde(default, rename = "state", skip_serializing_if = "Option::is_none")
    )]
    pub(crate) state_name: Option<Arc<str>>,
}

impl Incident {
    /// The name of the incident's state in the policy's workflow: a vendor's name (iTop's
    /// `assigned`) or the kind's own ([`StatusKind::name`]).
    pub fn state_name(&self) -> &str {
        self.state_name
            .as_deref()
            .unwrap_or_else(|| self.status.kind().name())
    }
    /// The incident's id.
    pub fn id(&self) -> IncidentId {
        self.report.id
    }
    /// What was reported, as the caller gave it: impact and urgency as first assessed. The
    /// current ones are [`Incident::impact`] and [`Incident::urgency`].
    pub fn report(&self) -> &Report {
        &self.report
    }
    /// The impact now: the reported one, or the last one a `reprioritized` event set.
    pub fn impact(&self) -> Impact {
        self.reassessed
            .map_or(self.report.impact, |(impact, _)| impact)
    }
    /// The urgency now: the reported one, or the last one a `reprioritized` event set.
    pub fn urgency(&self) -> Urgency {
        self.reassessed
            .map_or(self.report.urgency, |(_, urgency)| urgency)
    }
    /// The priority, from the policy's matrix.
    pub fn priority(&self) -> Priority {
        self.priority
    }
    /// The lifecycle state with its data.
    pub fn status(&self) -> &Status {
        &self.status
    }
    /// Who works on it.
    pub fn assignment(&self) -> Option<Assignment> {
        self.assignment
    }
    /// How many times it moved to another group (or person, as the policy says).
    pub fn reassignment_count(&self) -> u32 {
        self.reassignment_count
    }
    /// How many times it was reopened.
    pub fn reopen_count(&self) -> u32 {
        self.reopen_count
    }
    /// Escalation levels reached.
    pub fn escalation(&self) -> Escalation {
        self.escalation
    }
    /// Whether it is a major incident now.
    pub fn is_major(&self) -> bool {
        self.major
    }
    /// Where it stands as a major incident (ServiceNow's "Major incident state"): a
    /// candidate, accepted, rejected, demoted, or none of these.
    ///
    /// ```
    /// use itsm_incident::chrono::{TimeZone, Utc};
    /// use itsm_incident::{
    ///     Actor, Command, Context, Impact, IncidentId, MajorState, Policy, Report, Role, State,
    ///     Urgency, UserId, decide,
    /// };
    ///
    /// let policy = Policy::servicenow();
    /// let agent = Actor::new(UserId::from_u128(2), [Role::new("agent")?]);
    /// let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let report = Report::new(IncidentId::from_u128(1), UserId::from_u128(9), Impact(1), Urgency(1), "Site down");
    /// let mut state = State::new();
    /// state.apply(&decide(&state, &report.into(), &Context::new(t0, &agent, &policy))?);
    /// assert_eq!(state.incident().unwrap().major_state(), MajorState::None);
    /// let propose = Command::ProposeMajor { reason: "all branches".into(), business_impact: String::new() };
    /// state.apply(&decide(&state, &propose, &Context::new(t0, &agent, &policy))?);
    /// assert_eq!(state.incident().unwrap().major_state(), MajorState::Proposed);
    /// # Ok::<(), itsm_incident::Error>(())
    /// ```
    pub fn major_state(&self) -> MajorState {
        match (self.major, self.major_review) {
            (true, _) => MajorState::Accepted,
            // Only a review's own states are read from it: a stored state written by hand
            // with `accepted` there but no `major` flag is not a major incident.
            (
                false,
                Some(review @ (MajorState::Proposed | MajorState::Rejected | MajorState::Canceled)),
            ) => review,
            (false, _) => MajorState::None,
        }
    }
    /// The practice-neutral view of the incident that conditions test (the major-incident
    /// trigger rules of [`Policy::major_triggers`](crate::Policy::major_triggers); an SLA
    /// or automation host may use it too): the workflow state's name and category,
    /// priority, impact, urgency, the reported category as `classification`, the service
    /// and configuration item, the assignment group and person (their ids), when it was
    /// opened and updated, and the field `major_state` ([`MajorState::name`]).
    ///
    /// ```
    /// use itsm_incident::chrono::{TimeZone, Utc};
    /// use itsm_incident::{
    ///     Actor, Category, Context, Impact, IncidentId, Policy, Report, Role, ServiceId, State,
    ///     Urgency, UserId, decide,
    /// };
    ///
    /// let policy = Policy::servicenow();
    /// let agent = Actor::new(UserId::from_u128(2), [Role::new("agent")?]);
    /// let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let mut report = Report::new(IncidentId::from_u128(1), UserId::from_u128(9), Impact(1), Urgency(2), "VPN down");
    /// report.service = Some(ServiceId::from_u128(5));
    /// let mut state = State::new();
    /// state.apply(&decide(&state, &report.into(), &Context::new(t0, &agent, &policy))?);
    /// let view = state.incident().unwrap().view();
    /// assert_eq!((view.state.as_str(), view.category, view.priority), ("new", Some(Category::New), Some(2)));
    /// assert_eq!(view.service, Some(ServiceId::from_u128(5).to_string()));
    /// assert_eq!(view.fields.get("major_state").map(String::as_str), Some("none"));
    /// # Ok::<(), itsm_incident::Error>(())
    /// ```
    pub fn view(&self) -> TicketView {
        let kind = self.status.kind();
        let mut view = TicketView::new(self.state_name(), kind.category());
        view.priority = Some(self.priority.0);
        view.impact = Some(self.impact().0);
        view.urgency = Some(self.urgency().0);
        view.classification = self.report.category.clone();
        view.service = self.report.service.map(|s| s.to_string());
        view.config_item = self.report.configuration_item.map(|c| c.to_string());
        view.group = self.assignment.map(|a| a.group.to_string());
        view.assignee = self
            .assignment
            .and_then(|a| a.person)
            .map(|p| p.to_string());
        view.opened_at = Some(self.opened_at);
        view.updated_at = Some(self.updated_at);
        view.fields.insert(
            "major_state".to_owned(),
            self.major_state().name().to_owned(),
        );
        view
    }
    /// Links to problems, changes, parent and children.
    pub fn links(&self) -> &Links {
        &self.links
    }
    /// When it was opened.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.opened_at
    }
    /// When the last event happened.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// The record as plain data, for export or to import elsewhere.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            report: Report {
                impact: self.impact(),
                urgency: self.urgency(),
                ..Report::clone(&self.report)
            },
            status: self.status.clone(),
            assignment: self.assignment,
            reassignment_count: self.reassignment_count,
            reopen_count: self.reopen_count,
            escalation: self.escalation,
            major: self.major,
            links: self.links.clone(),
            opened_at: self.opened_at,
        }
    }
}

/// Where an incident stands as a major incident: ServiceNow's "Major incident state". A
/// candidate is proposed (by hand or by a trigger rule), then accepted (it becomes a major
/// incident) or rejected (the incident's own state is unchanged); a major incident may be
/// demoted, which ServiceNow records as `canceled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum MajorState {
    /// Never proposed nor declared.
    #[default]
    None,
    /// A candidate, waiting for a major incident manager.
    Proposed,
    /// A major incident (accepted from a candidate, or declared directly).
    Accepted,
    /// The candidate was rejected.
    Rejected,
    /// The major incident was demoted (stood down).
    Canceled,
}

impl MajorState {
    /// The state's name, as in JSON and views (`none`, `proposed`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            MajorState::None => "none",
            MajorState::Proposed => "proposed",
            MajorState::Accepted => "accepted",
            MajorState::Rejected => "rejected",
            MajorState::Canceled => "canceled",
        }
    }
}

impl std::fmt::Display for MajorState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An incident record as plain data: what `import` takes, to migrate from another tool or to
/// resynchronise a replay with a log. The priority is recomputed from the policy's matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Snapshot {
    /// What was reported, with impact and urgency as they are now.
    pub report: Report,
    /// Where it is.
    pub status: Status,
    /// Who works on it.
    pub assignment: Option<Assignment>,
    /// Reassignments so far.
    pub reassignment_count: u32,
    /// Reopens so far.
    pub reopen_count: u32,
    /// Escalation levels.
    pub escalation: Escalation,
    /// Whether it is a major incident.
    pub major: bool,
    /// Links.
    pub links: Links,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
}

/// The state a lifecycle folds over: nothing yet, or an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "state", content = "incident", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum State {
    /// Before `report` or `import`.
    Unreported,
    /// An incident exists.
    Reported(Box<Incident>),
}

impl Default for State {
    /// [`State::Unreported`]: nothing has happened yet.
    fn default() -> Self {
        State::Unreported
    }
}

impl State {
    /// The state before anything happened.
    pub const fn new() -> Self {
        State::Unreported
    }

    /// Folds `events` into the state in place, as [`evolve`](crate::evolve) does one by one:
    /// a host holding `&mut State` stores the events `decide` returned, then applies them.
    ///
    /// ```
    /// use itsm_incident::{Command, Context, Impact, IncidentId, Policy, Report, State};
    /// use itsm_incident::{Actor, Role, StatusKind, Urgency, UserId, decide};
    /// use itsm_incident::chrono::{TimeZone, Utc};
    ///
    /// let policy = Policy::servicenow();
    /// let agent = Actor::new(UserId::from_u128(2), [Role::new("agent")?]);
    /// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let ctx = Context::new(now, &agent, &policy);
    /// let report = Report::new(
    ///     IncidentId::from_u128(1), UserId::from_u128(9), Impact(2), Urgency(1), "Mail is down",
    /// );
    /// let mut state = State::new();
    /// let events = decide(&state, &report.into(), &ctx)?;
    /// state.apply(&events);
    /// assert_eq!(state.kind(), StatusKind::New);
    /// # Ok::<(), itsm_incident::Error>(())
    /// ```
    pub fn apply<'e>(&mut self, events: impl IntoIterator<Item = &'e crate::Event>) {
        for event in events {
            let state = std::mem::take(self);
            *self = crate::evolve(state, event);
        }
    }

    /// The lifecycle state's name.
    pub fn kind(&self) -> StatusKind {
        match self {
            State::Unreported => StatusKind::Unreported,
            State::Reported(incident) => incident.status.kind(),
        }
    }

    /// The incident, once reported.
    pub fn incident(&self) -> Option<&Incident> {
        match self {
            State::Unreported => None,
            State::Reported(incident) => Some(incident),
        }
    }
}
