//! The request, its resolved plan, and the approval's state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Category, GroupId, Role, UserId};

use crate::explain::StageExplanation;
use crate::policy::{Approver, Delegation, Party, Quorum, RefusalRule};

itsm_core::id_type!(
    /// An approval request (made by the host, for example from the change's id with
    /// `Uuid::new_v5`, or a fresh one for each round of approval).
    ApprovalId
);

/// What the host gives to open an approval: the id, the subject's parties, and the members
/// of every group the policy names (resolved by the host when asking; never looked up).
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Request::new`] and the `with_`
/// methods.
///
/// ```
/// use itsm_approval::{ApprovalId, GroupId, Request, UserId};
///
/// let cab = GroupId::from_u128(7);
/// let request = Request::new(ApprovalId::from_u128(1), UserId::from_u128(10))
///     .with_implementer(UserId::from_u128(11))
///     .with_members(cab, [UserId::from_u128(20), UserId::from_u128(21)]);
/// assert_eq!(request.members[&cab].len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Request {
    /// The approval's id.
    pub id: ApprovalId,
    /// Who asks (the change's requester).
    pub requester: UserId,
    /// Who will carry the work out, if known. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub implementer: Option<UserId>,
    /// The members of each group the policy names, as the host's directory lists them now.
    /// Absent in JSON: none (a policy naming a group then refuses the request).
    #[cfg_attr(feature = "serde", serde(default))]
    pub members: BTreeMap<GroupId, BTreeSet<UserId>>,
}

impl Request {
    /// A request without an implementer and without group members.
    pub fn new(id: ApprovalId, requester: UserId) -> Self {
        Request {
            id,
            requester,
            implementer: None,
            members: BTreeMap::new(),
        }
    }

    /// This request with an implementer.
    #[must_use]
    pub fn with_implementer(mut self, implementer: UserId) -> Self {
        self.implementer = Some(implementer);
        self
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

    /// The person in `party`'s part, if any.
    pub fn party(&self, party: Party) -> Option<UserId> {
        match party {
            Party::Requester => Some(self.requester),
            Party::Implementer => self.implementer,
        }
    }
}

/// Who holds a seat: a person, or anyone holding a role. In JSON `{"person": "<uuid>"}` or
/// `{"role": "cab_member"}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Holder {
    /// This person (or, after a delegation, their delegate).
    Person(UserId),
    /// The first person holding this role who answers.
    Role(Role),
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Holder::Person(user) => write!(f, "{user}"),
            Holder::Role(role) => write!(f, "anyone with role `{role}`"),
        }
    }
}

/// One answer a stage waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Seat {
    /// Who answers.
    pub holder: Holder,
    /// The policy's approver entry that gave the seat.
    pub via: Approver,
}

/// A person a stage's rule took out of the stage when the request was made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Exclusion {
    /// Who.
    pub user: UserId,
    /// The approver entry that would have seated them.
    pub via: Approver,
    /// The party they are on the request: separation of duties excludes them.
    pub party: Party,
}

impl std::fmt::Display for Exclusion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}), as the {} (separation of duties)",
            self.user, self.via, self.party
        )
    }
}

/// One stage as the request resolved it: its eligible seats, how many must approve, and who
/// was excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StagePlan {
    /// The stage's name in the policy.
    pub name: String,
    /// The policy's quorum.
    pub quorum: Quorum,
    /// The approvals the quorum needs of the eligible seats ([`Quorum::required`]); at least
    /// 1 and at most the number of seats.
    pub required: u32,
    /// When a rejection refuses the stage.
    pub refusal: RefusalRule,
    /// The eligible seats, in the policy's order (a group's members by id).
    pub seats: Vec<Seat>,
    /// Who the stage's rules took out, in the same order.
    pub excluded: Vec<Exclusion>,
    /// The parties who may not answer (they may not fill a role's seat or be delegated one).
    pub separation_of_duties: BTreeSet<Party>,
    /// The role an approver must hold when answering, if any.
    pub required_role: Option<Role>,
}

impl StagePlan {
    /// The number of eligible seats (M).
    pub fn eligible(&self) -> u32 {
        u32::try_from(self.seats.len()).unwrap_or(u32::MAX)
    }
}

/// Everything the policy and the request fixed when the approval was requested: a later
/// change of policy does not touch a running approval, and `evolve` needs no policy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Plan {
    /// The approval's id.
    pub id: ApprovalId,
    /// The policy's name.
    pub policy: String,
    /// Who asked.
    pub requester: UserId,
    /// Who will carry the work out, if known.
    pub implementer: Option<UserId>,
    /// The policy's delegation rule.
    pub delegation: Delegation,
    /// The stages, in order; never empty.
    pub stages: Vec<StagePlan>,
}

impl Plan {
    /// The person in `party`'s part, if any.
    pub fn party(&self, party: Party) -> Option<UserId> {
        match party {
            Party::Requester => Some(self.requester),
            Party::Implementer => self.implementer,
        }
    }

    /// The party `user` is on the request among `parties`, if any (the requester first).
    pub fn party_of(&self, user: UserId, parties: &BTreeSet<Party>) -> Option<Party> {
        parties
            .iter()
            .copied()
            .find(|p| self.party(*p) == Some(user))
    }
}

/// An approver's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "vote", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Vote {
    /// Approved, with an optional comment.
    Approve {
        /// The comment, if any.
        comment: Option<String>,
    },
    /// Rejected, with a reason.
    Reject {
        /// Why.
        reason: String,
    },
}

/// An answer given to a seat.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Answer {
    /// Who answered.
    pub by: UserId,
    /// When.
    pub at: DateTime<Utc>,
    /// Approve or reject.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub vote: Vote,
}

/// A seat as the approval stands: who holds it now, who handed it on, and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SeatProgress {
    holder: Holder,
    delegates: Vec<UserId>,
    answer: Option<Answer>,
}

impl SeatProgress {
    fn new(seat: &Seat) -> Self {
        SeatProgress {
            holder: seat.holder.clone(),
            delegates: Vec::new(),
            answer: None,
        }
    }

    /// Who answers now: the seat's holder, or the last delegate.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// The people the seat was delegated to, in order (empty when never delegated).
    pub fn delegates(&self) -> &[UserId] {
        &self.delegates
    }

    /// The answer, once given.
    pub fn answer(&self) -> Option<&Answer> {
        self.answer.as_ref()
    }

    /// Whether the seat was approved.
    pub fn approved(&self) -> bool {
        matches!(
            self.answer,
            Some(Answer {
                vote: Vote::Approve { .. },
                ..
            })
        )
    }

    /// Whether the seat was rejected.
    pub fn rejected(&self) -> bool {
        matches!(
            self.answer,
            Some(Answer {
                vote: Vote::Reject { .. },
                ..
            })
        )
    }
}

/// A stage's counts of answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Seats approved.
    pub approved: u32,
    /// Seats rejected.
    pub rejected: u32,
    /// Seats not answered yet.
    pub unanswered: u32,
}

/// A stage's seats as the approval stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StageProgress {
    seats: Vec<SeatProgress>,
}

impl StageProgress {
    /// The seats, in the plan's order.
    pub fn seats(&self) -> &[SeatProgress] {
        &self.seats
    }

    /// How many seats approved, rejected, and have not answered.
    pub fn tally(&self) -> Tally {
        let mut tally = Tally::default();
        for seat in &self.seats {
            let count = if seat.approved() {
                &mut tally.approved
            } else if seat.rejected() {
                &mut tally.rejected
            } else {
                &mut tally.unanswered
            };
            *count = count.saturating_add(1);
        }
        tally
    }
}

/// Where the approval is, with the data valid only there.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Status {
    /// A stage is open and waits for answers.
    Pending {
        /// The open stage's index.
        stage: usize,
    },
    /// Every stage was approved.
    Approved {
        /// When the last stage was.
        at: DateTime<Utc>,
    },
    /// A stage was refused; the stages after it never opened.
    Refused {
        /// When.
        at: DateTime<Utc>,
        /// The refused stage's index.
        stage: usize,
    },
    /// Canceled before a decision.
    Canceled {
        /// When.
        at: DateTime<Utc>,
        /// Who canceled.
        by: UserId,
        /// Why.
        reason: String,
    },
}

impl Status {
    /// The state's name without data.
    pub fn kind(&self) -> StatusKind {
        match self {
            Status::Pending { .. } => StatusKind::Pending,
            Status::Approved { .. } => StatusKind::Approved,
            Status::Refused { .. } => StatusKind::Refused,
            Status::Canceled { .. } => StatusKind::Canceled,
        }
    }
}

/// The state names of the lifecycle, without data: what the transition table, errors and
/// diagrams speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum StatusKind {
    /// Before `request`: no approval yet.
    Unrequested,
    /// See [`Status::Pending`].
    Pending,
    /// See [`Status::Approved`].
    Approved,
    /// See [`Status::Refused`].
    Refused,
    /// See [`Status::Canceled`].
    Canceled,
}

impl StatusKind {
    /// Every state, in lifecycle order (`unrequested` first).
    pub const ALL: [StatusKind; 5] = [
        StatusKind::Unrequested,
        StatusKind::Pending,
        StatusKind::Approved,
        StatusKind::Refused,
        StatusKind::Canceled,
    ];

    /// The state's name, as in diagrams and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            StatusKind::Unrequested => "unrequested",
            StatusKind::Pending => "pending",
            StatusKind::Approved => "approved",
            StatusKind::Refused => "refused",
            StatusKind::Canceled => "canceled",
        }
    }

    /// Whether nothing more can happen.
    pub const fn is_terminal(self) -> bool {
        matches!(
            self,
            StatusKind::Approved | StatusKind::Refused | StatusKind::Canceled
        )
    }

    /// What the state means to practice-neutral readers: unrequested is new, pending is
    /// pending, approved and refused are closed, canceled is canceled.
    pub const fn category(self) -> Category {
        match self {
            StatusKind::Unrequested => Category::New,
            StatusKind::Pending => Category::Pending,
            StatusKind::Approved | StatusKind::Refused => Category::Closed,
            StatusKind::Canceled => Category::Canceled,
        }
    }
}

impl std::fmt::Display for StatusKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for StatusKind {
    type Err = crate::Error;
    /// Parses a state's name as [`StatusKind::name`] writes it.
    ///
    /// ```
    /// use itsm_approval::StatusKind;
    ///
    /// assert_eq!("refused".parse::<StatusKind>()?, StatusKind::Refused);
    /// assert!("rejected".parse::<StatusKind>().is_err());
    /// # Ok::<(), itsm_approval::Error>(())
    /// ```
    fn from_str(name: &str) -> Result<Self, crate::Error> {
        StatusKind::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| crate::Error::UnknownStatus {
                name: name.to_owned(),
            })
    }
}

/// An approval once requested: the plan, each stage's seats, the decisions so far, and where
/// it is. Read through getters; only events change it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Approval {
    plan: Arc<Plan>,
    requested_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    stages: Vec<StageProgress>,
    decisions: Vec<StageExplanation>,
    status: Status,
}

impl Approval {
    pub(crate) fn new(plan: &Arc<Plan>, at: DateTime<Utc>) -> Self {
        Approval {
            stages: plan
                .stages
                .iter()
                .map(|s| StageProgress {
                    seats: s.seats.iter().map(SeatProgress::new).collect(),
                })
                .collect(),
            plan: Arc::clone(plan),
            requested_at: at,
            updated_at: at,
            decisions: Vec::new(),
            status: Status::Pending { stage: 0 },
        }
    }

    /// The approval's id.
    pub fn id(&self) -> ApprovalId {
        self.plan.id
    }

    /// What the request fixed: stages, seats, required counts, exclusions.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// When it was requested.
    pub fn requested_at(&self) -> DateTime<Utc> {
        self.requested_at
    }

    /// When it last changed.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// Where it is.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Each stage's seats, in order (stages not opened yet have no answers).
    pub fn stages(&self) -> &[StageProgress] {
        &self.stages
    }

    /// The decided stages' explanations, in order.
    pub fn decisions(&self) -> &[StageExplanation] {
        &self.decisions
    }

    /// The open stage's index, while pending.
    pub fn open_stage(&self) -> Option<usize> {
        match self.status {
            Status::Pending { stage } => Some(stage),
            _ => None,
        }
    }

    pub(crate) fn touch(&mut self, at: DateTime<Utc>) {
        self.updated_at = self.updated_at.max(at);
    }

    pub(crate) fn seat_mut(&mut self, stage: usize, seat: usize) -> Option<&mut SeatProgress> {
        self.stages.get_mut(stage)?.seats.get_mut(seat)
    }

    pub(crate) fn answer(&mut self, stage: usize, seat: usize, answer: Answer) {
        // An event naming a decided stage or an answered seat changes nothing: decided stages
        // never change, and `evolve` stays total.
        if self.open_stage() != Some(stage) {
            return;
        }
        if let Some(seat) = self.seat_mut(stage, seat) {
            if seat.answer.is_none() {
                seat.answer = Some(answer);
            }
        }
    }

    pub(crate) fn delegate(&mut self, stage: usize, seat: usize, to: UserId) {
        if self.open_stage() != Some(stage) {
            return;
        }
        if let Some(seat) = self.seat_mut(stage, seat) {
            if seat.answer.is_none() {
                seat.holder = Holder::Person(to);
                seat.delegates.push(to);
            }
        }
    }

    pub(crate) fn decide_stage(&mut self, explanation: &StageExplanation, at: DateTime<Utc>) {
        let stage = explanation.stage;
        if self.open_stage() != Some(stage) {
            return;
        }
        self.decisions.push(explanation.clone());
        self.status = match explanation.outcome {
            crate::explain::StageOutcome::Refused => Status::Refused { at, stage },
            crate::explain::StageOutcome::Approved => {
                // A hand-made state may hold any stage number: no overflow past the last.
                match stage
                    .checked_add(1)
                    .filter(|next| *next < self.plan.stages.len())
                {
                    Some(next) => Status::Pending { stage: next },
                    None => Status::Approved { at },
                }
            }
        };
    }

    pub(crate) fn cancel(&mut self, at: DateTime<Utc>, by: UserId, reason: &str) {
        if self.open_stage().is_some() {
            self.status = Status::Canceled {
                at,
                by,
                reason: reason.to_owned(),
            };
        }
    }
}

/// The approval's state: nothing yet, or a requested approval.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "state", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum State {
    /// Before `request`.
    #[default]
    Unrequested,
    /// Requested (pending, approved, refused or canceled).
    Requested(Box<Approval>),
}

/// Where an approval stands, for the practice that runs it: [`State::outcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// Not requested yet.
    Unrequested,
    /// A stage is open.
    Pending {
        /// The open stage's index.
        stage: usize,
        /// The open stage as the request resolved it (name, seats, required count).
        plan: &'a StagePlan,
        /// Its seats' answers so far.
        progress: &'a StageProgress,
    },
    /// Every stage was approved.
    Approved {
        /// Each stage's explanation, in order.
        decisions: &'a [StageExplanation],
    },
    /// A stage was refused.
    Refused {
        /// Why: the refused stage's explanation.
        explanation: &'a StageExplanation,
    },
    /// Canceled before a decision.
    Canceled {
        /// Who canceled.
        by: UserId,
        /// Why.
        reason: &'a str,
    },
}

impl State {
    /// The state before anything happened.
    pub const fn new() -> Self {
        State::Unrequested
    }

    /// Folds `events` into the state in place, as [`evolve`](crate::evolve) does one by one.
    pub fn apply<'e>(&mut self, events: impl IntoIterator<Item = &'e crate::Event>) {
        for event in events {
            let state = std::mem::take(self);
            *self = crate::evolve(state, event);
        }
    }

    /// The lifecycle state's name.
    pub fn kind(&self) -> StatusKind {
        match self {
            State::Unrequested => StatusKind::Unrequested,
            State::Requested(approval) => approval.status.kind(),
        }
    }

    /// The approval, once requested.
    pub fn approval(&self) -> Option<&Approval> {
        match self {
            State::Unrequested => None,
            State::Requested(approval) => Some(approval),
        }
    }

    /// Where the approval stands: pending with the open stage, approved with every stage's
    /// explanation, refused with the refused stage's explanation, or canceled.
    ///
    /// ```
    /// use itsm_approval::chrono::{TimeZone, Utc};
    /// use itsm_approval::{Actor, ApprovalId, Command, Context, GroupId, Outcome, Policy};
    /// use itsm_approval::{Request, State, UserId, decide};
    ///
    /// let board = GroupId::from_u128(7);
    /// let policy = Policy::ecab(board);
    /// let (requester, member) = (UserId::from_u128(1), UserId::from_u128(2));
    /// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let request = Request::new(ApprovalId::from_u128(1), requester).with_members(board, [member]);
    ///
    /// let mut state = State::new();
    /// let by = Actor::new(requester, []);
    /// state.apply(&decide(&state, &request.into(), &Context::new(now, &by, &policy))?);
    /// assert!(matches!(state.outcome(), Outcome::Pending { stage: 0, .. }));
    ///
    /// let by = Actor::new(member, []);
    /// let approve = Command::Approve { comment: None };
    /// state.apply(&decide(&state, &approve, &Context::new(now, &by, &policy))?);
    /// let Outcome::Approved { decisions } = state.outcome() else { panic!() };
    /// assert_eq!(decisions[0].approvals, [member]);
    /// # Ok::<(), itsm_approval::Error>(())
    /// ```
    pub fn outcome(&self) -> Outcome<'_> {
        let State::Requested(approval) = self else {
            return Outcome::Unrequested;
        };
        match &approval.status {
            Status::Pending { stage } => {
                match (
                    approval.plan.stages.get(*stage),
                    approval.stages.get(*stage),
                ) {
                    (Some(plan), Some(progress)) => Outcome::Pending {
                        stage: *stage,
                        plan,
                        progress,
                    },
                    // invariant: `evolve` opens only stages of the plan; a hand-made state
                    // without them reads as unrequested rather than panicking.
                    _ => Outcome::Unrequested,
                }
            }
            Status::Approved { .. } => Outcome::Approved {
                decisions: &approval.decisions,
            },
            Status::Refused { .. } => match approval.decisions.last() {
                Some(explanation) => Outcome::Refused { explanation },
                None => Outcome::Unrequested,
            },
            Status::Canceled { by, reason, .. } => Outcome::Canceled { by: *by, reason },
        }
    }
}
