//! The vendor's configuration: who may do what, when reminders go out and when a contract
//! expires.

use itsm_core::Role;

use crate::error::Error;
use crate::spec::named;

/// The furthest ahead of the end date a reminder may be set (ten years).
pub const MAX_REMINDER_DAYS: u32 = 3_660;

named! {
    /// On which day an active contract expires.
    Expiry {
        /// On its end date (ServiceNow: "changes the contract state to Expired if the
        /// contract state is Active and reaches the end date").
        OnEndDate => "on_end_date",
        /// The day after its end date (the end date is the last day covered).
        AfterEndDate => "after_end_date",
    }
}

/// How a vendor runs contracts. [`Policy::servicenow`] (also `Default`) is ServiceNow
/// Contract Management's; every field is an option a vendor sets as data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// Who manages contracts (create, edit, submit, renew, extend, adjust, cancel, cover
    /// assets and users): any of these roles (`contract_manager`, `admin`).
    pub managers: Vec<Role>,
    /// Who else may add and deactivate rate cards (`financial_mgmt_user`, `asset`).
    pub finance: Vec<Role>,
    /// Only the contract's approver approves or rejects it (ServiceNow: the approval goes
    /// to the approver named on the contract); otherwise any manager may too.
    pub approver_only: bool,
    /// How many days before the end date the administrator is reminded (ServiceNow's
    /// `contract.expiration` event: 90, 60 and 30 days ahead and on the day).
    pub reminders: Vec<u32>,
    /// When an active contract expires.
    pub expiry: Expiry,
    /// A draft contract may be canceled too (ServiceNow cancels active contracts only).
    pub cancel_drafts: bool,
    /// A tick stops charging once it has generated this many expense lines (a charge's
    /// lines are never split, so the last charge may take it past); the rest come with the
    /// next tick, which [`next_deadline`](crate::next_deadline) then asks for at once.
    pub max_lines_per_tick: u32,
}

impl Policy {
    /// ServiceNow Contract Management's behaviour.
    pub fn servicenow() -> Self {
        let roles = |names: &[&str]| names.iter().filter_map(|n| Role::new(*n).ok()).collect();
        Policy {
            managers: roles(&["contract_manager", "admin"]),
            finance: roles(&["financial_mgmt_user", "asset"]),
            approver_only: true,
            reminders: vec![90, 60, 30, 0],
            expiry: Expiry::OnEndDate,
            cancel_drafts: false,
            max_lines_per_tick: 1_000_000,
        }
    }

    /// Checks the policy: reminders at most [`MAX_REMINDER_DAYS`] ahead, each once; at
    /// least one line per tick.
    pub fn check(&self) -> Result<(), Error> {
        let mut seen = std::collections::BTreeSet::new();
        for &days in &self.reminders {
            if days > MAX_REMINDER_DAYS {
                return Err(Error::ReminderTooFar {
                    days,
                    max: MAX_REMINDER_DAYS,
                });
            }
            if !seen.insert(days) {
                return Err(Error::DuplicateReminder { days });
            }
        }
        if self.max_lines_per_tick == 0 {
            return Err(Error::NoLinesPerTick);
        }
        Ok(())
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::servicenow()
    }
}
