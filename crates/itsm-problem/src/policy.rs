//! Everything a vendor configures, as data.

use itsm_core::{Permissions, Role};

use crate::workflow::Workflow;

/// The problem policy. [`Policy::servicenow`] follows ServiceNow's documented model.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// The lifecycle, checked when loaded; absent in JSON: ServiceNow's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub workflow: Workflow,
    /// Whether `start_fix` needs a confirmed root cause (ServiceNow: a root cause is needed,
    /// confirmation is a practice choice; off by default).
    pub confirmed_cause_before_fix: bool,
    /// Which roles may run which command (by name; a vendor transition by its own name).
    /// Re-analysing is its own command, so it can be gated by its own role.
    pub permissions: Permissions,
}

fn role(name: &str) -> Role {
    match Role::new(name) {
        Ok(role) => role,
        Err(_) => unreachable!("role names in presets are not empty"), // invariant: constant non-empty names
    }
}

impl Default for Policy {
    /// [`Policy::servicenow`].
    fn default() -> Self {
        Policy::servicenow()
    }
}

impl Policy {
    /// ServiceNow's model: its workflow, a root cause (not necessarily confirmed) before the
    /// fix; roles `problem_coordinator` (all commands), `problem_manager` (all, and the only
    /// one who re-analyses or accepts the risk), `agent` (logs and links).
    pub fn servicenow() -> Self {
        let (coordinator, manager, agent) = (
            role("problem_coordinator"),
            role("problem_manager"),
            role("agent"),
        );
        let both = [coordinator.clone(), manager.clone()];
        let mut permissions = Permissions::new()
            .allow("log", [coordinator.clone(), manager.clone(), agent.clone()])
            .allow("link", [coordinator, manager.clone(), agent]);
        for command in [
            "assess",
            "confirm",
            "mark_duplicate",
            "cancel",
            "record_root_cause",
            "start_fix",
            "resolve",
            "close",
        ] {
            permissions = permissions.allow(command, both.clone());
        }
        permissions = permissions
            .allow("accept_risk", [manager.clone()])
            .allow("reanalyse", [manager]);
        Policy {
            workflow: Workflow::servicenow(),
            confirmed_cause_before_fix: false,
            permissions,
        }
    }
}
