//! Where tools differ: the choices reconciliation makes, as data.

use crate::metric::Metric;

/// The choices reconciliation makes; [`Policy::servicenow`] is ServiceNow's behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Policy {
    /// Whether an entitlement's rights also license the earlier models its model lists in
    /// [`downgrades_to`](crate::SoftwareModel::downgrades_to) (ServiceNow: yes).
    pub downgrade_rights: bool,
    /// Whether a model covered by an active enterprise agreement is compliant even with
    /// unlicensed installs (ServiceNow: yes).
    pub enterprise_agreement_compliant: bool,
    /// The metric the true-up is priced in for installs of a model that no entitlement
    /// covers (subscriptions always use [`Metric::UserSubscription`]).
    pub default_metric: Metric,
}

impl Policy {
    /// ServiceNow Software Asset Management's behaviour: downgrade rights honoured,
    /// enterprise agreements compliant, unlicensed models priced per device.
    pub fn servicenow() -> Policy {
        Policy {
            downgrade_rights: true,
            enterprise_agreement_compliant: true,
            default_metric: Metric::PER_DEVICE,
        }
    }
}

impl Default for Policy {
    /// [`Policy::servicenow`].
    fn default() -> Policy {
        Policy::servicenow()
    }
}
