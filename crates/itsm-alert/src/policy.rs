//! The vendor's configuration: how signals become alerts, when alerts flap, close and ask
//! for incidents, and who may act on them.

use chrono::Duration;
use itsm_core::{Permissions, Role};

use crate::error::Error;
use crate::model::Severity;

/// When an alert is flapping (ServiceNow's `evt_mgmt.flap_interval`, `flap_frequency` and
/// `flap_quiet_interval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Flapping {
    /// The window in which reopenings are counted.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub interval: Duration,
    /// How many reopenings within `interval` make the alert flap (at least 1).
    pub frequency: u32,
    /// How long without a signal ends the flapping.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub quiet: Duration,
}

/// What a more severe signal does to an acknowledged alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Acknowledgement {
    /// Nothing: the acknowledgement stands until the alert closes (ServiceNow's flag).
    #[default]
    Kept,
    /// A signal more severe than the alert takes the acknowledgement back, so the alert
    /// asks for attention again (Alerta: an acknowledged alert reopens when its severity
    /// genuinely rises; a less severe signal leaves it acknowledged).
    UndoneByEscalation,
}

/// When an alert asks for an incident: it has been at least `min_severity` without a break
/// for `after` (zero: at once), so a short blip passes. One request per active stretch; a
/// reopened alert may ask again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct IncidentRule {
    /// The least severity that asks for an incident.
    pub min_severity: Severity,
    /// How long the alert must have been active first (lets short blips pass).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub after: Duration,
}

/// The rules of one tool. Presets: [`Policy::servicenow`] and [`Policy::alerta`]; adjust
/// the public fields, then [`Policy::check`] (which [`decide`](crate::decide) also runs).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// Within this time after a closed alert's last update, a signal of its key reopens it;
    /// later, the signal opens a new alert (ServiceNow's `evt_mgmt.active_interval`).
    /// `None`: a closed alert is always reopened (Alerta).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub active_interval: Option<Duration>,
    /// A signal identical to the alert's last one (same severity and description) within
    /// this time of the alert's last update only counts as a repeat: the alert is not
    /// updated (ServiceNow's `evt_mgmt.update_alert_restricted_fields_elapsed_time`, 24
    /// hours by default). Zero: every signal updates.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub repeat_window: Duration,
    /// When alerts flap; `None`: never.
    pub flapping: Option<Flapping>,
    /// An active alert without a signal for this long is closed as stale by a tick
    /// (Alerta's timeout); `None`: never.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub close_stale_after: Option<Duration>,
    /// What a more severe signal does to an acknowledged alert.
    #[cfg_attr(feature = "serde", serde(default))]
    pub acknowledgement: Acknowledgement,
    /// When an alert asks for an incident; `None`: never.
    #[cfg_attr(feature = "serde", serde(default))]
    pub incident: Option<IncidentRule>,
    /// Who may `acknowledge`, `close` and `reopen` (signals and ticks are the system's).
    pub permissions: Permissions,
}

impl Policy {
    /// ServiceNow's Event Management: a closed alert reopens within an hour of its last
    /// update, identical signals within 24 hours only repeat (the documented default),
    /// flapping at 4 reopenings within an hour, quiet after an hour, no stale closing, the
    /// acknowledgement kept, no incident rule; `evt_mgmt_admin`, `evt_mgmt_operator` and
    /// `evt_mgmt_user` act on alerts. The interval and flapping values are ours (they are
    /// instance properties): set them to your instance's.
    pub fn servicenow() -> Self {
        let roles = ["evt_mgmt_admin", "evt_mgmt_operator", "evt_mgmt_user"];
        Policy {
            active_interval: Some(Duration::hours(1)),
            repeat_window: Duration::hours(24),
            flapping: Some(Flapping {
                interval: Duration::hours(1),
                frequency: 4,
                quiet: Duration::hours(1),
            }),
            close_stale_after: None,
            acknowledgement: Acknowledgement::Kept,
            incident: None,
            permissions: permissions(&roles),
        }
    }

    /// Alerta: a closed alert is reopened by any later signal of its key, every signal
    /// updates (Alerta's duplicates count in [`Alert::signals`](crate::Alert::signals), not
    /// as repeats), no flapping, an alert without a signal for a day
    /// closed as stale (its default timeout, 86,400 seconds; Alerta calls the status
    /// expired), a more severe signal takes an acknowledgement back; `user` and `admin` act
    /// on alerts.
    pub fn alerta() -> Self {
        Policy {
            active_interval: None,
            repeat_window: Duration::zero(),
            flapping: None,
            close_stale_after: Some(Duration::seconds(86_400)),
            acknowledgement: Acknowledgement::UndoneByEscalation,
            incident: None,
            permissions: permissions(&["user", "admin"]),
        }
    }

    /// Checks the values: no negative duration, a flapping frequency of at least 1.
    /// [`Error::InvalidPolicy`] names the first bad field.
    pub fn check(&self) -> Result<(), Error> {
        let negative = |d: Duration| d < Duration::zero();
        let bad =
            |field: &'static str, allowed: &'static str| Error::InvalidPolicy { field, allowed };
        if self.active_interval.is_some_and(negative) {
            return Err(bad(
                "active_interval",
                "a duration of zero or more, or none",
            ));
        }
        if negative(self.repeat_window) {
            return Err(bad("repeat_window", "a duration of zero or more"));
        }
        if self
            .close_stale_after
            .is_some_and(|d| d <= Duration::zero())
        {
            return Err(bad("close_stale_after", "a positive duration, or none"));
        }
        if let Some(f) = &self.flapping {
            if negative(f.interval) || negative(f.quiet) {
                return Err(bad(
                    "flapping",
                    "an interval and a quiet time of zero or more",
                ));
            }
            if f.frequency == 0 {
                return Err(bad("flapping.frequency", "at least 1"));
            }
        }
        if let Some(rule) = &self.incident {
            if negative(rule.after) {
                return Err(bad("incident.after", "a duration of zero or more"));
            }
            if rule.min_severity == Severity::Clear {
                return Err(bad(
                    "incident.min_severity",
                    "info or above (a clear closes)",
                ));
            }
        }
        Ok(())
    }
}

fn permissions(roles: &[&str]) -> Permissions {
    let roles: Vec<Role> = roles.iter().filter_map(|r| Role::new(*r).ok()).collect();
    ["acknowledge", "close", "reopen"]
        .into_iter()
        .fold(Permissions::new(), |p, action| {
            p.allow(action, roles.clone())
        })
}
