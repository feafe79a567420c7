//! The vendor's configuration: who may do what, how tasks are ordered and how deep plans
//! are activated.

use itsm_core::Role;

use crate::error::Error;
use crate::spec::MAX_LEVELS;

crate::spec::named! {
    /// In what order an activated plan's tasks run.
    Order {
        /// Each task after the tasks it depends on; tasks with none start together when
        /// their plan opens (ServiceNow BCM since its dependency-based execution: "the
        /// event tasks that do not have any dependency between them are executed").
        Dependencies => "dependencies",
        /// One after another by Task ID, each after the one before it and after its own
        /// dependencies ("the flow of execution is sequenced as per the Task ID and no
        /// event task is skipped in between").
        TaskId => "task_id",
    }
}

/// How a vendor runs exercises and crisis events. [`Policy::servicenow`] (also `Default`)
/// is ServiceNow Business Continuity Management's; every field is an option a vendor sets
/// as data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// The order tasks run in.
    pub order: Order,
    /// How many levels of plans an event activates, 1 to 10
    /// (`sn_recovery.max_activated_plan_levels`): 1 the plans added by hand only, 2 those and
    /// their related and referred plans (the behaviour before the property existed: "the
    /// hierarchy of execution stops with the first level"), and so on down referred plans.
    pub max_levels: u8,
    /// Who runs the event (create, start, add tasks, assign, re-trigger, close plans, record
    /// the result, submit, close, cancel): any of these roles (`sn_bcm.planner`,
    /// `sn_bcm.program_manager`).
    pub managers: Vec<Role>,
    /// Who may trigger and skip tasks and approve or reject the event (the BCM program
    /// manager).
    pub program_managers: Vec<Role>,
    /// An exercise needs a recorded result (successful, with issues, unsuccessful) before it
    /// is submitted.
    pub exercise_result_required: bool,
    /// The event is closed only after approval; otherwise a manager may close it from work
    /// in progress once every activated plan is closed.
    pub approval_required: bool,
}

impl Policy {
    /// ServiceNow BCM's behaviour.
    pub fn servicenow() -> Self {
        let role = |name: &str| Role::new(name).ok();
        Policy {
            order: Order::Dependencies,
            max_levels: 2,
            managers: ["sn_bcm.planner", "sn_bcm.program_manager"]
                .into_iter()
                .filter_map(role)
                .collect(),
            program_managers: ["sn_bcm.program_manager"]
                .into_iter()
                .filter_map(role)
                .collect(),
            exercise_result_required: true,
            approval_required: true,
        }
    }

    /// Checks the policy: the levels between 1 and [`MAX_LEVELS`].
    pub fn check(&self) -> Result<(), Error> {
        if self.max_levels == 0 || self.max_levels > MAX_LEVELS {
            return Err(Error::InvalidLevels {
                levels: self.max_levels,
                max: MAX_LEVELS,
            });
        }
        Ok(())
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::servicenow()
    }
}
