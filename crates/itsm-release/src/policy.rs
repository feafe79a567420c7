//! The vendor's configuration: who may do what and how phases and tasks move.

use itsm_core::Role;

use crate::error::Error;
use crate::plan::MAX_NOTICE_DAYS;

/// What a restart does to the tasks of the phases it resets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum RestartTasks {
    /// Every task of every reset phase is open again (approval tasks requested again), as
    /// ServiceNow's restart page says.
    #[default]
    AllOpen,
    /// Tasks go back to pending, and the restarted phase opens them as a phase start does
    /// (under a sequential policy, the first one only).
    AsPhaseStart,
}

/// The weights of a timeline release's risk score, in percent; they add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RiskWeights {
    /// The weight of overdue tasks.
    pub overdue: u32,
    /// The weight of failed checks.
    pub check_failure: u32,
}

impl Default for RiskWeights {
    fn default() -> Self {
        RiskWeights {
            overdue: 50,
            check_failure: 50,
        }
    }
}

/// How a vendor runs releases. [`Policy::servicenow`] (also `Default`) is ServiceNow Digital
/// Product Release's defaults; every field is an option a vendor sets as data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// Open a phase's tasks one at a time, in order, each when the one before closes
    /// (`sn_dpr.sequential_task_execution`, true); otherwise all at the phase's start.
    pub sequential_tasks: bool,
    /// A stage release completes a phase as soon as its tasks are closed and its checks pass
    /// (`sn_dpr.stage_workflow_auto_transition`, true); otherwise only by
    /// [`Command::CompletePhase`](crate::Command::CompletePhase). Timeline releases always
    /// complete a finished phase at its end date.
    pub auto_advance: bool,
    /// Move the release to review when its last phase completes
    /// (`sn_dpr.auto_transition_release_to_review`, true); otherwise
    /// [`Command::BeginReview`](crate::Command::BeginReview).
    pub auto_review: bool,
    /// Complete the release when its review is finished
    /// (`sn_dpr.auto_transition_release_to_completed`, false); otherwise
    /// [`Command::Complete`](crate::Command::Complete).
    pub auto_complete: bool,
    /// Who runs the release (start, complete phases, map and run checks, retarget, review,
    /// cancel): any of these roles (ServiceNow's release admin and product manager).
    pub managers: Vec<Role>,
    /// Who may complete a phase whose checks do not all pass
    /// (`sn_dpr.complete_phase_override`: the release admin).
    pub override_roles: Vec<Role>,
    /// Who may restart a stage release from a completed phase (the release admin).
    pub restart_roles: Vec<Role>,
    /// What a restart does to tasks.
    pub restart_tasks: RestartTasks,
    /// A stage release must have a readiness target (`sn_dpr.mandate_release_target`,
    /// false).
    pub require_readiness: bool,
    /// Allow key dates before today when a release is created (its readiness target, its
    /// phases' dates, its tasks' due dates) and a retarget to a date before today
    /// (`sn_dpr_model.allow_any_release_dates`, false).
    pub allow_past_dates: bool,
    /// Send [`Event::TaskDueSoon`](crate::Event::TaskDueSoon) this many days before a task's
    /// due date (ServiceNow: 2); `None` sends none.
    pub task_notice_days: Option<u32>,
    /// Send [`Event::ReadinessNear`](crate::Event::ReadinessNear) this many days before the
    /// readiness target (ServiceNow: 1); `None` sends none.
    pub readiness_notice_days: Option<u32>,
    /// The weights of a timeline release's risk score.
    pub risk_weights: RiskWeights,
}

fn role(name: &str) -> Vec<Role> {
    Role::new(name).into_iter().collect()
}

impl Policy {
    /// ServiceNow Digital Product Release's defaults.
    pub fn servicenow() -> Self {
        let mut managers = role("release_admin");
        managers.extend(role("product_manager"));
        Policy {
            sequential_tasks: true,
            auto_advance: true,
            auto_review: true,
            auto_complete: false,
            managers,
            override_roles: role("release_admin"),
            restart_roles: role("release_admin"),
            restart_tasks: RestartTasks::AllOpen,
            require_readiness: false,
            allow_past_dates: false,
            task_notice_days: Some(2),
            readiness_notice_days: Some(1),
            risk_weights: RiskWeights::default(),
        }
    }

    /// Checks the policy: risk weights adding up to 100, notices at most
    /// [`MAX_NOTICE_DAYS`](crate::MAX_NOTICE_DAYS) ahead.
    ///
    /// # Errors
    /// [`Error::InvalidRiskWeights`], [`Error::NoticeTooEarly`].
    ///
    /// ```
    /// use itsm_release::Policy;
    ///
    /// let mut policy = Policy::servicenow();
    /// policy.risk_weights.overdue = 70;
    /// assert_eq!(
    ///     policy.check().unwrap_err().to_string(),
    ///     "risk weights 70 (overdue tasks) and 50 (failed checks) add up to 120; they must add up to 100"
    /// );
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        let w = self.risk_weights;
        if w.overdue.checked_add(w.check_failure) != Some(100) {
            return Err(Error::InvalidRiskWeights {
                overdue: w.overdue,
                check_failure: w.check_failure,
            });
        }
        for (field, days) in [
            ("task_notice_days", self.task_notice_days),
            ("readiness_notice_days", self.readiness_notice_days),
        ] {
            if let Some(days) = days.filter(|d| *d > MAX_NOTICE_DAYS) {
                return Err(Error::NoticeTooEarly {
                    field,
                    days,
                    max: MAX_NOTICE_DAYS,
                });
            }
        }
        Ok(())
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::servicenow()
    }
}
