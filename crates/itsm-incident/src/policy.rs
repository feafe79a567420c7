//! Everything a vendor configures, as data.

use itsm_core::PriorityMatrix;
use itsm_core::{Permissions, Role};

use crate::command::CommandKind;
use crate::model::HoldReason;
use crate::workflow::Workflow;

/// How one hold reason behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct HoldReasonRule {
    /// The reason.
    pub reason: HoldReason,
    /// Whether putting on hold for this reason needs a comment (ServiceNow: awaiting caller).
    pub comment_required: bool,
    /// Whether a caller's response clears it and returns the incident to in progress.
    pub cleared_by_caller: bool,
    /// Whether a parent on hold for this reason puts its children on hold too.
    pub propagates_to_children: bool,
}

impl HoldReasonRule {
    /// A rule for `reason` with every option off: no comment required, not cleared by the
    /// caller, not copied to children. Turn options on through the public fields.
    pub fn new(reason: HoldReason) -> Self {
        HoldReasonRule {
            reason,
            comment_required: false,
            cleared_by_caller: false,
            propagates_to_children: false,
        }
    }
}

/// From when the auto-close clock counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum AutoCloseFrom {
    /// From the resolution.
    Resolution,
    /// From the last update of the incident.
    LastUpdate,
}

/// Which assignment changes count as a reassignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ReassignmentCounting {
    /// Only a change of group after the first assignment (ServiceNow's `reassignment_count`).
    GroupChange,
    /// A change of group or of person after the first assignment.
    GroupOrPersonChange,
}

/// Fields a command must carry (non-empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RequiredFields {
    /// `report` needs a description.
    pub description: bool,
    /// `report` needs a category.
    pub category: bool,
    /// `resolve` needs a resolution code.
    pub resolution_code: bool,
    /// `resolve` needs resolution notes.
    pub resolution_notes: bool,
    /// `cancel` needs a reason.
    pub cancel_reason: bool,
}

/// The incident policy: everything a vendor configures. [`Policy::servicenow`] follows
/// ServiceNow's documented model.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// The priority matrix (checked when loaded).
    pub matrix: PriorityMatrix,
    /// The hold reasons allowed, with their rules. A reason not listed is refused.
    pub hold_reasons: Vec<HoldReasonRule>,
    /// The resolution codes allowed; empty: any non-empty code.
    pub resolution_codes: Vec<String>,
    /// How long after resolution a reopen is accepted; `None`: any time while resolved
    /// (closure ends the possibility either way). In JSON an ISO 8601 duration (`"P2D"`) or
    /// `null` (the default when absent).
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "itsm_core::duration::option")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub reopen_window: Option<chrono::Duration>,
    /// How long after [`auto_close_from`](Policy::auto_close_from) a resolved incident closes
    /// by itself; `None`: never. Major incidents are never auto-closed. In JSON an ISO 8601
    /// duration (`"P7D"`) or `null`.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub auto_close_after: Option<chrono::Duration>,
    /// From when the auto-close clock counts.
    pub auto_close_from: AutoCloseFrom,
    /// Which assignment changes count as a reassignment.
    pub reassignment_counting: ReassignmentCounting,
    /// The highest escalation level, for both kinds.
    pub max_escalation_level: u8,
    /// Fields commands must carry.
    pub required: RequiredFields,
    /// Roles counted as support staff: a reopen by one of them reopens child incidents too; a
    /// reopen by anyone else (a self-service caller) does not.
    pub support_roles: Vec<Role>,
    /// Which roles may run which command (by command name, e.g. `resolve`; a vendor
    /// transition by its own name, e.g. `timeout`). `tick` needs no role: it is the host's
    /// timer.
    pub permissions: Permissions,
    /// The lifecycle: states, transitions and the documented variants, checked when the
    /// policy is loaded. Absent in JSON: ServiceNow's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub workflow: Workflow,
    /// Major-incident trigger rules, in execution order (ServiceNow's lowest order first):
    /// after every command that changes an active incident that has no parent and is
    /// neither proposed nor accepted, the first rule that matches proposes it as a
    /// candidate or promotes it (see [`MajorTrigger`]). Empty in every preset, as
    /// ServiceNow's base trigger rules are inactive by default. In JSON: optional, names
    /// non-empty and unique, conditions at most
    /// [`MAX_CONDITION_DEPTH`](itsm_core::MAX_CONDITION_DEPTH) deep.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "triggers"
        )
    )]
    pub major_triggers: Vec<MajorTrigger>,
    /// How a closed incident is followed up when its caller asks to reopen it: which fields
    /// the new incident copies, whether it starts in progress (see
    /// [`follow_up`](crate::follow_up)). Absent in JSON: ServiceNow's (every field, started).
    #[cfg_attr(feature = "serde", serde(default))]
    pub follow_up: crate::FollowUpPolicy,
}

/// A major-incident trigger rule (ServiceNow's "Major Incident Trigger Rules"): when its
/// condition holds on the incident's [`view`](crate::Incident::view) and it has more child
/// incidents than `children_more_than` (when set), the rule proposes the incident as a
/// candidate or promotes it directly. ServiceNow's examples: a critical business service
/// (`{"service_in": [...]}` naming the critical services), more than 20 child incidents
/// (`children_more_than: 20`), a P1 incident (`{"priority_in": [1]}`).
///
/// ```
/// use itsm_incident::{Condition, MajorTrigger, TriggerAction};
///
/// let p1 = MajorTrigger::new("p1", Condition::PriorityIn(vec![1]));
/// assert_eq!(p1.action, TriggerAction::Propose);
/// assert_eq!(p1.children_more_than, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MajorTrigger {
    /// The rule's name (non-empty, unique in the policy): the `trigger` of the
    /// `major_proposed` event it makes.
    pub name: String,
    /// What the incident's view must satisfy (default: always).
    #[cfg_attr(feature = "serde", serde(default = "always"))]
    pub condition: itsm_core::Condition,
    /// When set, the incident must have more child incidents than this.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub children_more_than: Option<u32>,
    /// What the rule does (default: propose).
    #[cfg_attr(feature = "serde", serde(default))]
    pub action: TriggerAction,
}

#[cfg(feature = "serde")]
fn always() -> itsm_core::Condition {
    itsm_core::Condition::Always
}

impl MajorTrigger {
    /// A rule that proposes a candidate when `condition` holds, whatever its children.
    pub fn new(name: impl Into<String>, condition: itsm_core::Condition) -> Self {
        MajorTrigger {
            name: name.into(),
            condition,
            children_more_than: None,
            action: TriggerAction::Propose,
        }
    }

    /// Whether the rule matches an incident with this view and this many children, at `now`
    /// (the instant its time tests measure to).
    pub fn matches(
        &self,
        view: &itsm_core::TicketView,
        children: usize,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        self.children_more_than
            .is_none_or(|n| u64::try_from(children).map_or(true, |c| c > u64::from(n)))
            && self.condition.eval_at(view, Some(now))
    }
}

/// What a [`MajorTrigger`] does when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum TriggerAction {
    /// Propose the incident as a candidate (a `major_proposed` event naming the rule), for
    /// a major incident manager to accept or reject.
    #[default]
    Propose,
    /// Promote it to a major incident directly (a `major_declared` event).
    Promote,
}

/// Reads the trigger rules, refusing an empty or repeated name and a condition nested
/// deeper than [`MAX_CONDITION_DEPTH`](itsm_core::MAX_CONDITION_DEPTH).
#[cfg(feature = "serde")]
fn triggers<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<MajorTrigger>, D::Error> {
    use serde::Deserialize as _;
    use serde::de::Error as _;
    let list = Vec::<MajorTrigger>::deserialize(d)?;
    let mut seen = std::collections::BTreeSet::new();
    for rule in &list {
        if rule.name.trim().is_empty() {
            return Err(D::Error::custom(
                "a major-incident trigger rule needs a non-empty name",
            ));
        }
        if !seen.insert(rule.name.as_str()) {
            return Err(D::Error::custom(format_args!(
                "major-incident trigger rule `{}` is named twice; names must be unique",
                itsm_core::Quoted(&rule.name)
            )));
        }
        let depth = rule.condition.depth();
        if depth > itsm_core::MAX_CONDITION_DEPTH {
            return Err(D::Error::custom(format_args!(
                "major-incident trigger rule `{}`: its condition nests {depth} deep; at most {} allowed",
                itsm_core::Quoted(&rule.name),
                itsm_core::MAX_CONDITION_DEPTH
            )));
        }
    }
    Ok(list)
}

fn role(name: &str) -> Role {
    match Role::new(name) {
        Ok(role) => role,
        Err(_) => unreachable!("role names in presets are not empty"), // invariant: constant non-empty names
    }
}

impl Default for Policy {
    /// [`Policy::servicenow`]: the default model of this crate.
    fn default() -> Self {
        Policy::servicenow()
    }
}

impl Policy {
    /// ServiceNow's documented model: its default 3x3 matrix; hold reasons awaiting caller
    /// (comment required, cleared by the caller, not copied to children), change, problem,
    /// vendor, and evidence (copied to children); resolution code and notes required; reopen
    /// any time while resolved; auto-close 7 days after resolution; reassignments counted on
    /// group changes; three escalation levels.
    ///
    /// Roles: `caller` (reports, responds, reopens and closes), `agent` (all the work, and
    /// proposing major-incident candidates), `major_incident_manager` (proposes, accepts and
    /// rejects candidates, declares and stands down major incidents), `system`
    /// (automation: the same commands as an agent), `integration` (imports).
    pub fn servicenow() -> Self {
        let caller = role("caller");
        let agent = role("agent");
        let mim = role("major_incident_manager");
        let system = role("system");
        let integration = role("integration");
        let staff = [agent.clone(), system.clone()];
        let mut permissions = Permissions::new();
        for kind in CommandKind::ALL {
            let roles: Vec<Role> = match kind {
                CommandKind::Report => vec![caller.clone(), agent.clone(), system.clone()],
                CommandKind::Import => vec![integration.clone()],
                CommandKind::CallerResponded | CommandKind::Reopen | CommandKind::Close => {
                    vec![caller.clone(), agent.clone(), system.clone()]
                }
                CommandKind::DeclareMajor
                | CommandKind::StandDownMajor
                | CommandKind::AcceptMajor
                | CommandKind::RejectMajor => vec![mim.clone()],
                CommandKind::ProposeMajor => vec![agent.clone(), system.clone(), mim.clone()],
                CommandKind::Tick => continue,
                _ => staff.to_vec(),
            };
            permissions = permissions.allow(kind.name(), roles);
        }
        let hold =
            |reason, comment_required, cleared_by_caller, propagates_to_children| HoldReasonRule {
                reason,
                comment_required,
                cleared_by_caller,
                propagates_to_children,
            };
        Policy {
            matrix: PriorityMatrix::servicenow(),
            hold_reasons: vec![
                hold(HoldReason::AwaitingCaller, true, true, false),
                hold(HoldReason::AwaitingChange, false, false, true),
                hold(HoldReason::AwaitingProblem, false, false, true),
                hold(HoldReason::AwaitingVendor, false, false, true),
                hold(HoldReason::AwaitingEvidence, false, false, true),
            ],
            resolution_codes: Vec::new(),
            reopen_window: None,
            auto_close_after: Some(chrono::Duration::days(7)),
            auto_close_from: AutoCloseFrom::Resolution,
            reassignment_counting: ReassignmentCounting::GroupChange,
            max_escalation_level: 3,
            required: RequiredFields {
                description: false,
                category: false,
                resolution_code: true,
                resolution_notes: true,
                cancel_reason: true,
            },
            support_roles: vec![agent, system, mim],
            permissions,
            workflow: Workflow::servicenow(),
            major_triggers: Vec::new(),
            follow_up: crate::FollowUpPolicy::default(),
        }
    }

    /// iTop's incident model: its lifecycle ([`Workflow::itop`]), its priority matrix, its
    /// resolution codes; otherwise as [`Policy::servicenow`]. The vendor transition `timeout`
    /// (into the escalated states) is the `system` role's, as iTop's stopwatches send it.
    pub fn itop() -> Self {
        let base = Policy::servicenow();
        Policy {
            matrix: PriorityMatrix::itop(),
            resolution_codes: [
                "assistance",
                "other",
                "software patch",
                "training",
                "hardware repair",
                "system update",
                "bug fixed",
            ]
            .map(str::to_owned)
            .to_vec(),
            required: RequiredFields {
                resolution_notes: true,
                ..base.required
            },
            permissions: base.permissions.clone().allow("timeout", [role("system")]),
            workflow: Workflow::itop(),
            ..base
        }
    }

    /// GLPI's ticket model: its lifecycle ([`Workflow::glpi`]) and priority matrix;
    /// otherwise as [`Policy::servicenow`]. Planning (`plan`, `unplan`) is for staff.
    pub fn glpi() -> Self {
        let base = Policy::servicenow();
        let staff = [role("agent"), role("system")];
        Policy {
            matrix: PriorityMatrix::glpi(),
            permissions: base
                .permissions
                .clone()
                .allow("plan", staff.clone())
                .allow("unplan", staff),
            workflow: Workflow::glpi(),
            ..base
        }
    }

    /// The rule for a hold reason, if the policy allows it.
    ///
    /// ```
    /// use itsm_incident::{HoldReason, Policy};
    ///
    /// let policy = Policy::default(); // ServiceNow's model
    /// assert!(policy.hold_rule(&HoldReason::AwaitingCaller).is_some_and(|r| r.cleared_by_caller));
    /// ```
    pub fn hold_rule(&self, reason: &HoldReason) -> Option<&HoldReasonRule> {
        self.hold_reasons.iter().find(|r| &r.reason == reason)
    }
}
