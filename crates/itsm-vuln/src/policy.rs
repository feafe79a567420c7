//! The vendor's configuration: who may do what, the calculators and target rules, and the
//! limits of exceptions.

use itsm_core::Role;

use crate::error::Error;
use crate::grouping::TaskRule;
use crate::risk::{
    CalculatorRule, Condition, Rating, RatingScale, Recalculation, TargetRule, check_rules,
    default_risk_rule,
};

/// How a vendor runs vulnerability response. [`Policy::servicenow`] (also `Default`) is
/// ServiceNow Vulnerability Response's behaviour with our default rules; every field is an
/// option a vendor sets as data. Check it with [`Policy::check`] before use (a policy
/// failing it still never panics; its rules apply as written).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// Scanner integrations (found, fixed, retired): `sn_vul.integration` (our name).
    pub scanners: Vec<Role>,
    /// Remediation owners (create, split, assign, investigate, resolve, request exceptions,
    /// extensions and false positives, reopen): `sn_vul.remediation_owner`.
    pub owners: Vec<Role>,
    /// Administrators (everything an owner may, defer without review, close tasks):
    /// `sn_vul.vulnerability_admin`.
    pub admins: Vec<Role>,
    /// Approvers of exceptions, extensions and false positives:
    /// `sn_vul.exception_approver`.
    pub approvers: Vec<Role>,
    /// The requester may approve or reject their own request (ServiceNow routes it to an
    /// approver; off).
    pub self_approval: bool,
    /// Calculator rules, first match wins (default: one weighted risk rule).
    pub calculators: Vec<CalculatorRule>,
    /// Risk rating bounds (ServiceNow's risk score weights).
    pub scale: RatingScale,
    /// Remediation target rules; the most restrictive (earliest) applies.
    pub targets: Vec<TargetRule>,
    /// Remediation task rules, first match wins: found and reopened items are grouped into
    /// tasks automatically (none: the host groups them with [`Command::CreateTask`]).
    ///
    /// [`Command::CreateTask`]: crate::Command::CreateTask
    pub task_rules: Vec<TaskRule>,
    /// How a target changes when the rating changes (ServiceNow's default keeps it).
    pub recalculation: Recalculation,
    /// The longest exception or extension, in days from the request (ServiceNow's
    /// *Exception Management* duration; none: unlimited).
    pub max_exception_days: Option<u32>,
    /// Open items not found by a scanner for this many days close as stale (ServiceNow's
    /// auto-close configuration; none: never).
    pub stale_days: Option<u32>,
    /// Items of a retired configuration item close as decommissioned (ServiceNow's
    /// `auto_close_vis_linked_retired_cis`, off by default; on here, as a vendor would set
    /// it for [`Command::Retired`](crate::Command::Retired) to mean anything).
    pub close_retired: bool,
}

impl Policy {
    /// ServiceNow Vulnerability Response's behaviour, with a weighted risk rule and target
    /// rules of 15, 30, 90 and 180 days for critical, high, medium and low risk (reminders
    /// 3, 7, 14 and 30 days before): our defaults, since the base system ships none.
    pub fn servicenow() -> Self {
        let roles = |names: &[&str]| names.iter().filter_map(|n| Role::new(*n).ok()).collect();
        let rule = |rating: Rating, days, remind| {
            TargetRule::new(
                format!("{rating} risk"),
                Condition::any().rating([rating]),
                days,
            )
            .remind(remind)
        };
        Policy {
            scanners: roles(&["sn_vul.integration"]),
            owners: roles(&["sn_vul.remediation_owner"]),
            admins: roles(&["sn_vul.vulnerability_admin"]),
            approvers: roles(&["sn_vul.exception_approver"]),
            self_approval: false,
            calculators: vec![default_risk_rule()],
            scale: RatingScale::servicenow(),
            targets: vec![
                rule(Rating::Critical, 15, 3),
                rule(Rating::High, 30, 7),
                rule(Rating::Medium, 90, 14),
                rule(Rating::Low, 180, 30),
            ],
            task_rules: Vec::new(),
            recalculation: Recalculation::Keep,
            max_exception_days: None,
            stale_days: None,
            close_retired: true,
        }
    }

    /// Checks the rules: names given (task rules' too), points within 0 to 100, weights adding up to at most
    /// 100 %, a descending rating scale, target days within range, at most
    /// [`MAX_RULES`](crate::MAX_RULES) of each.
    pub fn check(&self) -> Result<(), Error> {
        check_rules(&self.calculators, &self.scale, &self.targets)?;
        crate::grouping::check(&self.task_rules)
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::servicenow()
    }
}
