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
    /// Roles: `caller` (reports, responds, reopens and closes), `agent` (all the work),
    /// `major_incident_manager` (declares and stands down major incidents), `system`
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
                CommandKind::DeclareMajor | CommandKind::StandDownMajor => vec![mim.clone()],
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
