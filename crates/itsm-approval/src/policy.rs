//! Approval policies as data: stages in sequence, approvers in parallel, a quorum per stage,
//! delegation and the rules that exclude an approver. A [`PolicySpec`] is what a vendor
//! writes; [`Policy::new`] checks it (every problem at once) into the [`Policy`] that
//! [`Context`](crate::Context) carries.

use std::collections::BTreeSet;

use itsm_core::{GroupId, Role, UserId};

use crate::error::{Error, PolicyProblem};

/// A part the request's subject gives a person, named in a policy: the requester and the
/// implementer of a change (or the requester and fulfiller of a service request). Who they
/// are comes with each [`Request`](crate::Request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Party {
    /// Who asked for the approval (the change's requester).
    Requester,
    /// Who will carry the work out (the change's assignee).
    Implementer,
}

impl Party {
    /// Both parties, in declaration order.
    pub const ALL: [Party; 2] = [Party::Requester, Party::Implementer];

    /// The party's name, as in JSON: `requester`, `implementer`.
    pub const fn name(self) -> &'static str {
        match self {
            Party::Requester => "requester",
            Party::Implementer => "implementer",
        }
    }
}

impl std::fmt::Display for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Who may answer in a stage, as a policy names them. In JSON an object with one key:
/// `{"person": "<uuid>"}`, `{"role": "cab_member"}`, `{"group": "<uuid>"}`,
/// `{"party": "implementer"}`.
///
/// Each approver gives the stage *seats*, one answer each:
/// - a person: one seat, theirs (or their delegate's);
/// - a role: one seat, answered by the first person holding the role who answers (ServiceNow's
///   "an approval from each group": anyone of them answers for all);
/// - a group: one seat per member, the members coming with the request (the host resolves
///   them; this crate never looks a group up);
/// - a party: one seat for the person in that part on the request, if any.
///
/// A person holds at most one seat per stage: a person named twice (directly and through a
/// group, say) gets the first seat only.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Approver {
    /// A named person.
    Person(UserId),
    /// Anyone holding the role (one seat).
    Role(Role),
    /// Every member of the group, as the request lists them (one seat each).
    Group(GroupId),
    /// The person in that part on the request.
    Party(Party),
}

impl std::fmt::Display for Approver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Approver::Person(user) => write!(f, "person {user}"),
            Approver::Role(role) => write!(f, "role `{role}`"),
            Approver::Group(group) => write!(f, "group {group}"),
            Approver::Party(party) => write!(f, "the {party}"),
        }
    }
}

/// How many of a stage's eligible seats must approve. In JSON `"any"`, `"all"`,
/// `"majority"`, `{"count": 2}` or `{"percent": 60}`.
///
/// Every quorum is a number of approvals *required* of the *eligible* seats (the seats left
/// once the stage's rules have excluded the parties): see [`Quorum::required`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Quorum {
    /// One approval (ServiceNow's "Anyone approves").
    Any,
    /// Every eligible seat (ServiceNow's "All users approve").
    All,
    /// More than half of the eligible seats.
    Majority,
    /// N of the M eligible seats (ServiceNow's "# of users approve"); N is at least 1 and at
    /// most M.
    Count(u32),
    /// At least this percentage of the eligible seats, rounded up (ServiceNow's "% of users
    /// approve"); 1 to 100.
    Percent(u8),
}

impl Quorum {
    /// How many approvals the quorum needs of `eligible` seats: any one 1; all `eligible`;
    /// a majority `eligible / 2 + 1`; N of M `N`; a percentage `ceil(p * eligible / 100)`.
    /// A stage is approved when that many seats approve, and refused as soon as fewer seats
    /// than that are left to approve.
    ///
    /// ```
    /// use itsm_approval::Quorum;
    ///
    /// assert_eq!(Quorum::Any.required(5), 1);
    /// assert_eq!(Quorum::All.required(5), 5);
    /// assert_eq!(Quorum::Majority.required(4), 3);
    /// assert_eq!(Quorum::Majority.required(5), 3);
    /// assert_eq!(Quorum::Count(2).required(5), 2);
    /// // 50% of 4 is 2 (a tie is enough), 60% of 4 is 2.4, so 3.
    /// assert_eq!(Quorum::Percent(50).required(4), 2);
    /// assert_eq!(Quorum::Percent(60).required(4), 3);
    /// ```
    pub const fn required(self, eligible: u32) -> u32 {
        match self {
            Quorum::Any => 1,
            Quorum::All => eligible,
            Quorum::Majority => eligible / 2 + 1,
            Quorum::Count(n) => n,
            Quorum::Percent(p) => {
                // u64: p * eligible does not fit u32 for large groups.
                let product = p as u64 * eligible as u64;
                let rounded_up = product.div_ceil(100);
                if rounded_up > u32::MAX as u64 {
                    u32::MAX
                } else {
                    rounded_up as u32
                }
            }
        }
    }
}

impl std::fmt::Display for Quorum {
    /// `any one`, `all`, `a majority`, `2 of M`, `60%`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Quorum::Any => f.write_str("any one"),
            Quorum::All => f.write_str("all"),
            Quorum::Majority => f.write_str("a majority"),
            Quorum::Count(n) => write!(f, "{n} of M"),
            Quorum::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// When a rejection refuses a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum RefusalRule {
    /// Refused as soon as the quorum can no longer be met by the seats left (ServiceNow's
    /// "Wait for other responses before deciding"; GLPI's rule: refusals% + required% >
    /// 100%). The default.
    #[default]
    QuorumImpossible,
    /// The first rejection refuses the stage (ServiceNow's "When anyone rejects: Reject the
    /// approval"), and as above when the quorum becomes impossible otherwise. With
    /// [`Quorum::Any`] the first answer decides (ServiceNow's "First response from anyone").
    FirstRejection,
}

/// Whether an approver may hand their seat to another person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Delegation {
    /// No delegation.
    Forbidden,
    /// An approver may delegate their seat once; the delegate may not pass it on. The
    /// default.
    #[default]
    Once,
    /// A delegate may delegate again; a chain that comes back to someone already in it is
    /// refused (no cycles).
    Redelegate,
}

/// One stage: approvers answering in parallel, a quorum, and the rules that exclude an
/// approver. Stages run one after the other.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`StageSpec::new`] and set fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct StageSpec {
    /// The stage's name (`technical`, `cab`), unique in the policy.
    pub name: String,
    /// Who may answer, in order (the order of the seats).
    pub approvers: Vec<Approver>,
    /// How many eligible seats must approve.
    pub quorum: Quorum,
    /// When a rejection refuses the stage. Absent in JSON: `quorum_impossible`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub refusal: RefusalRule,
    /// Separation of duties: the parties who may not approve in this stage (a requester or
    /// implementer may not approve their own change). Their seats are removed when the
    /// request is made, and they may not fill a role's seat or be delegated one. Absent in
    /// JSON: both parties; `[]` turns the rule off.
    #[cfg_attr(feature = "serde", serde(default = "both_parties"))]
    pub separation_of_duties: BTreeSet<Party>,
    /// A role every approver must hold when answering (checked against the acting
    /// [`Actor`](crate::Actor)'s roles). Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub required_role: Option<Role>,
}

#[cfg(feature = "serde")]
fn both_parties() -> BTreeSet<Party> {
    Party::ALL.into_iter().collect()
}

impl StageSpec {
    /// A stage with separation of duties for both parties, the default refusal rule
    /// ([`RefusalRule::QuorumImpossible`]) and no required role.
    ///
    /// ```
    /// use itsm_approval::{Approver, GroupId, Party, Quorum, StageSpec};
    ///
    /// let cab = StageSpec::new("cab", [Approver::Group(GroupId::from_u128(1))], Quorum::Majority);
    /// assert!(cab.separation_of_duties.contains(&Party::Requester));
    /// ```
    pub fn new(
        name: impl Into<String>,
        approvers: impl IntoIterator<Item = Approver>,
        quorum: Quorum,
    ) -> Self {
        StageSpec {
            name: name.into(),
            approvers: approvers.into_iter().collect(),
            quorum,
            refusal: RefusalRule::QuorumImpossible,
            separation_of_duties: Party::ALL.into_iter().collect(),
            required_role: None,
        }
    }

    /// The number of seats the approvers give whatever the request says, when no group is
    /// named (groups' sizes come with the request); `None` with a group.
    fn static_seats(&self) -> Option<usize> {
        if self
            .approvers
            .iter()
            .any(|a| matches!(a, Approver::Group(_)))
        {
            None
        } else {
            Some(self.approvers.len())
        }
    }
}

/// An approval policy as a vendor writes it: a name, stages in order, and the delegation
/// rule. [`Policy::new`] checks it.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`PolicySpec::new`] and set fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "Policy"))]
#[non_exhaustive]
pub struct PolicySpec {
    /// The policy's name (`normal-change`), recorded in every request made under it.
    pub name: String,
    /// The stages, in the order they run.
    pub stages: Vec<StageSpec>,
    /// Whether approvers may delegate. Absent in JSON: `once`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub delegation: Delegation,
}

impl PolicySpec {
    /// A policy with [`Delegation::Once`].
    pub fn new(name: impl Into<String>, stages: impl IntoIterator<Item = StageSpec>) -> Self {
        PolicySpec {
            name: name.into(),
            stages: stages.into_iter().collect(),
            delegation: Delegation::Once,
        }
    }
}

/// A checked approval policy: what [`Context`](crate::Context) carries. Built only by
/// [`Policy::new`] (which JSON loading also goes through) or a preset, so every stage can
/// be decided: it has approvers, its quorum is possible, and its own rules do not exclude
/// every approver where that can be known before a request.
///
/// In JSON a policy is its [`PolicySpec`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PolicySpec", into = "PolicySpec"))]
pub struct Policy {
    spec: PolicySpec,
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Policy {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Policy".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        PolicySpec::json_schema(generator)
    }
}

impl TryFrom<PolicySpec> for Policy {
    type Error = Error;

    fn try_from(spec: PolicySpec) -> Result<Self, Error> {
        Policy::new(spec)
    }
}

impl From<Policy> for PolicySpec {
    fn from(policy: Policy) -> Self {
        policy.spec
    }
}

/// Every problem of a spec, in a stable order: the policy's, then each stage's as listed.
fn check(spec: &PolicySpec) -> Vec<PolicyProblem> {
    let mut problems = Vec::new();
    if spec.name.trim().is_empty() {
        problems.push(PolicyProblem::EmptyPolicyName);
    }
    if spec.stages.is_empty() {
        problems.push(PolicyProblem::NoStages);
    }
    let mut names = BTreeSet::new();
    for (index, stage) in spec.stages.iter().enumerate() {
        let name = stage.name.clone();
        if stage.name.trim().is_empty() {
            problems.push(PolicyProblem::EmptyStageName { index });
        } else if !names.insert(stage.name.as_str()) {
            problems.push(PolicyProblem::DuplicateStage {
                stage: name.clone(),
            });
        }
        if stage.approvers.is_empty() {
            problems.push(PolicyProblem::NoApprovers {
                stage: name.clone(),
            });
        }
        let mut seen = BTreeSet::new();
        for approver in &stage.approvers {
            if !seen.insert(approver) {
                problems.push(PolicyProblem::DuplicateApprover {
                    stage: name.clone(),
                    approver: approver.clone(),
                });
            }
        }
        match stage.quorum {
            Quorum::Count(0) => problems.push(PolicyProblem::ZeroCount {
                stage: name.clone(),
            }),
            Quorum::Count(n) => {
                if let Some(seats) = stage.static_seats() {
                    if usize::try_from(n).map_or(true, |n| n > seats) && seats > 0 {
                        problems.push(PolicyProblem::CountAboveApprovers {
                            stage: name.clone(),
                            count: n,
                            approvers: seats,
                        });
                    }
                }
            }
            Quorum::Percent(p) if p == 0 || p > 100 => {
                problems.push(PolicyProblem::PercentOutOfRange {
                    stage: name.clone(),
                    percent: p,
                });
            }
            _ => {}
        }
        let excluded_party = |a: &Approver| match a {
            Approver::Party(p) => stage.separation_of_duties.contains(p),
            _ => false,
        };
        if !stage.approvers.is_empty() && stage.approvers.iter().all(excluded_party) {
            problems.push(PolicyProblem::AllExcluded { stage: name });
        }
    }
    problems
}

impl Policy {
    /// Checks a spec. Every problem is reported at once: an empty policy or stage name, no
    /// stages, two stages of one name, a stage without approvers, an approver listed twice
    /// in a stage, N of M with N = 0 or (when the stage names no group, so M is known) N > M,
    /// a percentage outside 1 to 100, and a stage whose approvers are all parties its own
    /// separation of duties excludes. What depends on the request (a group's members, who
    /// the parties are) is checked when a request is made (see
    /// [`Error::Undecidable`]).
    ///
    /// # Errors
    /// [`Error::InvalidPolicy`], listing every problem.
    ///
    /// ```
    /// use itsm_approval::{Approver, Error, Party, Policy, PolicyProblem, PolicySpec};
    /// use itsm_approval::{Quorum, StageSpec, UserId};
    ///
    /// let spec = PolicySpec::new(
    ///     "peer-review",
    ///     [
    ///         StageSpec::new("peer", [Approver::Person(UserId::from_u128(1))], Quorum::Count(2)),
    ///         StageSpec::new("self", [Approver::Party(Party::Requester)], Quorum::Any),
    ///     ],
    /// );
    /// let Err(Error::InvalidPolicy { problems, .. }) = Policy::new(spec) else { panic!() };
    /// assert_eq!(
    ///     problems,
    ///     [
    ///         PolicyProblem::CountAboveApprovers { stage: "peer".into(), count: 2, approvers: 1 },
    ///         PolicyProblem::AllExcluded { stage: "self".into() },
    ///     ]
    /// );
    /// ```
    pub fn new(spec: PolicySpec) -> Result<Self, Error> {
        let problems = check(&spec);
        if problems.is_empty() {
            Ok(Policy { spec })
        } else {
            Err(Error::InvalidPolicy {
                policy: spec.name,
                problems,
            })
        }
    }

    /// The spec it was built from.
    pub fn spec(&self) -> &PolicySpec {
        &self.spec
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The stages, in order.
    pub fn stages(&self) -> &[StageSpec] {
        &self.spec.stages
    }

    /// The delegation rule.
    pub fn delegation(&self) -> Delegation {
        self.spec.delegation
    }

    /// A preset built from constants, valid by construction (tests check each one).
    fn preset(spec: PolicySpec) -> Self {
        Policy { spec }
    }

    /// A change advisory board as ServiceNow's normal change policy runs it in Authorize: one
    /// stage, `cab`, in which a majority of the CAB group's members must approve; requester
    /// and implementer excluded; delegation once.
    ///
    /// ```
    /// use itsm_approval::{GroupId, Policy, Quorum};
    ///
    /// let policy = Policy::cab(GroupId::from_u128(7));
    /// assert_eq!(policy.stages()[0].quorum, Quorum::Majority);
    /// ```
    pub fn cab(group: GroupId) -> Self {
        Policy::preset(PolicySpec::new(
            "cab",
            [StageSpec::new(
                "cab",
                [Approver::Group(group)],
                Quorum::Majority,
            )],
        ))
    }

    /// [`Policy::cab`] where any one member's approval is enough (ServiceNow's group approval
    /// "Anyone approves"); the stage is refused only when every eligible member has
    /// rejected.
    pub fn cab_any(group: GroupId) -> Self {
        Policy::preset(PolicySpec::new(
            "cab-any",
            [StageSpec::new("cab", [Approver::Group(group)], Quorum::Any)],
        ))
    }

    /// An emergency change advisory board: one stage, `ecab`, decided by the first answer
    /// of any member (any one approves, the first rejection refuses); requester and
    /// implementer excluded; delegation once.
    pub fn ecab(group: GroupId) -> Self {
        let mut stage = StageSpec::new("ecab", [Approver::Group(group)], Quorum::Any);
        stage.refusal = RefusalRule::FirstRejection;
        Policy::preset(PolicySpec::new("ecab", [stage]))
    }

    /// Two stages: `technical` (any one member of the technical group, as ServiceNow's
    /// assignment-group approval in Assess), then `business` (a majority of the business
    /// group's members). Requester and implementer excluded from both; delegation once.
    pub fn technical_then_business(technical: GroupId, business: GroupId) -> Self {
        Policy::preset(PolicySpec::new(
            "technical-then-business",
            [
                StageSpec::new("technical", [Approver::Group(technical)], Quorum::Any),
                StageSpec::new("business", [Approver::Group(business)], Quorum::Majority),
            ],
        ))
    }

    /// A Mermaid `stateDiagram-v2` of the policy's stages: each stage opens the next when
    /// approved and ends the request when refused; any pending stage may be canceled.
    ///
    /// ```
    /// use itsm_approval::{GroupId, Policy};
    ///
    /// let diagram = Policy::ecab(GroupId::from_u128(1)).to_mermaid();
    /// assert!(diagram.contains("s0 --> approved : approved"));
    /// ```
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n");
        for (i, stage) in self.spec.stages.iter().enumerate() {
            out.push_str(&format!(
                "    state \"{}: {}\" as s{i}\n",
                stage.name.replace('"', "'"),
                stage.quorum
            ));
        }
        if !self.spec.stages.is_empty() {
            out.push_str("    [*] --> s0\n");
        }
        let last = self.spec.stages.len().saturating_sub(1);
        for i in 0..self.spec.stages.len() {
            let next = if i == last {
                "approved".to_owned()
            } else {
                format!("s{}", i + 1)
            };
            out.push_str(&format!("    s{i} --> {next} : approved\n"));
            out.push_str(&format!("    s{i} --> refused : refused\n"));
            out.push_str(&format!("    s{i} --> canceled : cancel\n"));
        }
        for end in ["approved", "refused", "canceled"] {
            out.push_str(&format!("    {end} --> [*]\n"));
        }
        out
    }
}
