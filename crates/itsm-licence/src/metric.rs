//! Licence metrics: what one right licenses, and how many rights a device or user needs.

use core::fmt;

use crate::model::Device;

/// What one right of an entitlement licenses: ServiceNow's common metric group, with each
/// metric's attributes (`docs/licence.md` has the formulas and their sources).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Metric {
    /// A device, for up to `max_installs_per_right` installs a right (`None`: any number).
    PerDevice {
        /// Installs one right licenses (at least 1; `None`: unlimited).
        #[cfg_attr(feature = "serde", serde(default))]
        max_installs_per_right: Option<u32>,
    },
    /// A user, for up to `max_installs_per_right` installs a right, on any device.
    PerUser {
        /// Installs one right licenses (at least 1; `None`: unlimited).
        #[cfg_attr(feature = "serde", serde(default))]
        max_installs_per_right: Option<u32>,
    },
    /// A device named by an allocation; a device without one is not licensed.
    PerNamedDevice {
        /// Installs one right licenses (at least 1; `None`: unlimited).
        #[cfg_attr(feature = "serde", serde(default))]
        max_installs_per_right: Option<u32>,
    },
    /// A user named by an allocation; a user without one is not licensed.
    PerNamedUser {
        /// Installs one right licenses (at least 1; `None`: unlimited).
        #[cfg_attr(feature = "serde", serde(default))]
        max_installs_per_right: Option<u32>,
    },
    /// Cores: `max(processors * max(min_cores_per_processor, cores), min_cores_per_server)`
    /// rights a device.
    PerCore {
        /// The fewest core rights a processor takes (at least 1; ServiceNow's common
        /// default 1).
        #[cfg_attr(feature = "serde", serde(default = "one"))]
        min_cores_per_processor: u32,
        /// The fewest core rights a device takes (0: no minimum).
        #[cfg_attr(feature = "serde", serde(default))]
        min_cores_per_server: u32,
    },
    /// Processors: `processors * ceil(cores / max_cores_per_processor)` rights a device
    /// (`None`: one a processor).
    PerProcessor {
        /// Cores one processor right covers (at least 1; `None`: any number).
        #[cfg_attr(feature = "serde", serde(default))]
        max_cores_per_processor: Option<u32>,
    },
    /// A device client access licence: one right for each device that uses the software.
    DeviceCal,
    /// A user client access licence: one right for each user, whatever the devices.
    UserCal,
    /// One right for each subscription a user holds; counts subscriptions, not installs.
    UserSubscription,
}

#[cfg(feature = "serde")]
const fn one() -> u32 {
    1
}

/// Who a right licenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Licensee {
    /// A device.
    Device,
    /// A user.
    User,
}

impl Metric {
    /// A per-device metric with any number of installs a right.
    pub const PER_DEVICE: Metric = Metric::PerDevice {
        max_installs_per_right: None,
    };
    /// A per-user metric with any number of installs a right.
    pub const PER_USER: Metric = Metric::PerUser {
        max_installs_per_right: None,
    };
    /// A per-core metric with ServiceNow's common defaults (no minimums).
    pub const PER_CORE: Metric = Metric::PerCore {
        min_cores_per_processor: 1,
        min_cores_per_server: 0,
    };
    /// A per-processor metric, one right a processor.
    pub const PER_PROCESSOR: Metric = Metric::PerProcessor {
        max_cores_per_processor: None,
    };

    /// Whether a right licenses a device or a user.
    pub fn licensee(&self) -> Licensee {
        match self {
            Metric::PerDevice { .. }
            | Metric::PerNamedDevice { .. }
            | Metric::PerCore { .. }
            | Metric::PerProcessor { .. }
            | Metric::DeviceCal => Licensee::Device,
            Metric::PerUser { .. }
            | Metric::PerNamedUser { .. }
            | Metric::UserCal
            | Metric::UserSubscription => Licensee::User,
        }
    }

    /// Whether only allocated devices or users are licensed.
    pub fn is_named(&self) -> bool {
        matches!(
            self,
            Metric::PerNamedDevice { .. } | Metric::PerNamedUser { .. }
        )
    }

    /// Whether it counts subscriptions (only [`Metric::UserSubscription`]) rather than
    /// installs.
    pub fn counts_subscriptions(&self) -> bool {
        matches!(self, Metric::UserSubscription)
    }

    /// Whether the rights may license earlier models (ServiceNow: not for user
    /// subscriptions).
    pub fn allows_downgrade(&self) -> bool {
        !self.counts_subscriptions()
    }

    /// Whether not-allocated use leads to the create-allocations remediation (ServiceNow:
    /// every metric but the CALs).
    pub fn suggests_allocations(&self) -> bool {
        !matches!(self, Metric::DeviceCal | Metric::UserCal)
    }

    /// The rights a licensee with `records` installs (or subscriptions) of the models a
    /// right covers needs; `device` is the licensee for device metrics. `None` when a per-core
    /// or per-processor metric meets a device without its processor and core counts (or
    /// with zero of either), and for no records at all.
    ///
    /// ```
    /// use itsm_licence::{Device, Metric};
    ///
    /// let server = Device::new("srv").with_hardware(2, 6);
    /// let core = Metric::PerCore { min_cores_per_processor: 8, min_cores_per_server: 16 };
    /// assert_eq!(core.rights_required(Some(&server), 1), Some(16)); // 2 * max(8, 6)
    /// let device = Metric::PerDevice { max_installs_per_right: Some(2) };
    /// assert_eq!(device.rights_required(None, 3), Some(2)); // ceil(3 / 2)
    /// ```
    pub fn rights_required(&self, device: Option<&Device>, records: u64) -> Option<u64> {
        if records == 0 {
            return None;
        }
        let per_install = |max: Option<u32>| match max {
            // ServiceNow's explanation: installs over installs a right, at least one right.
            Some(max) if max > 0 => Some(records.div_ceil(u64::from(max)).max(1)),
            _ => Some(1),
        };
        let hardware = || {
            let d = device?;
            match (d.processors, d.cores_per_processor) {
                (Some(p), Some(c)) if p > 0 && c > 0 => Some((u64::from(p), u64::from(c))),
                _ => None,
            }
        };
        match *self {
            Metric::PerDevice {
                max_installs_per_right,
            }
            | Metric::PerUser {
                max_installs_per_right,
            }
            | Metric::PerNamedDevice {
                max_installs_per_right,
            }
            | Metric::PerNamedUser {
                max_installs_per_right,
            } => per_install(max_installs_per_right),
            Metric::PerCore {
                min_cores_per_processor,
                min_cores_per_server,
            } => {
                let (p, c) = hardware()?;
                let cores = p * c.max(u64::from(min_cores_per_processor));
                Some(cores.max(u64::from(min_cores_per_server)))
            }
            Metric::PerProcessor {
                max_cores_per_processor,
            } => {
                let (p, c) = hardware()?;
                match max_cores_per_processor {
                    Some(max) if max > 0 => Some(p * c.div_ceil(u64::from(max))),
                    _ => Some(p),
                }
            }
            Metric::DeviceCal | Metric::UserCal => Some(1),
            Metric::UserSubscription => Some(records),
        }
    }

    /// The attribute that must be at least 1 but is 0, if any.
    pub(crate) fn zero_attribute(&self) -> Option<&'static str> {
        match *self {
            Metric::PerDevice {
                max_installs_per_right: Some(0),
            }
            | Metric::PerUser {
                max_installs_per_right: Some(0),
            }
            | Metric::PerNamedDevice {
                max_installs_per_right: Some(0),
            }
            | Metric::PerNamedUser {
                max_installs_per_right: Some(0),
            } => Some("max_installs_per_right"),
            Metric::PerCore {
                min_cores_per_processor: 0,
                ..
            } => Some("min_cores_per_processor"),
            Metric::PerProcessor {
                max_cores_per_processor: Some(0),
            } => Some("max_cores_per_processor"),
            _ => None,
        }
    }
}

impl fmt::Display for Metric {
    /// The metric's name as ServiceNow writes it, with its attributes when they are set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let installs = |f: &mut fmt::Formatter<'_>, name: &str, max: Option<u32>| match max {
            Some(max) => write!(f, "{name} ({max} installs a right)"),
            None => f.write_str(name),
        };
        match *self {
            Metric::PerDevice {
                max_installs_per_right,
            } => installs(f, "Per Device", max_installs_per_right),
            Metric::PerUser {
                max_installs_per_right,
            } => installs(f, "Per User", max_installs_per_right),
            Metric::PerNamedDevice {
                max_installs_per_right,
            } => installs(f, "Per Named Device", max_installs_per_right),
            Metric::PerNamedUser {
                max_installs_per_right,
            } => installs(f, "Per Named User", max_installs_per_right),
            Metric::PerCore {
                min_cores_per_processor,
                min_cores_per_server,
            } => {
                f.write_str("Per Core")?;
                match (min_cores_per_processor > 1, min_cores_per_server > 0) {
                    (true, true) => write!(
                        f,
                        " (at least {min_cores_per_processor} a processor, {min_cores_per_server} a server)"
                    ),
                    (true, false) => write!(f, " (at least {min_cores_per_processor} a processor)"),
                    (false, true) => write!(f, " (at least {min_cores_per_server} a server)"),
                    (false, false) => Ok(()),
                }
            }
            Metric::PerProcessor {
                max_cores_per_processor,
            } => match max_cores_per_processor {
                Some(max) => write!(f, "Per Processor (up to {max} cores each)"),
                None => f.write_str("Per Processor"),
            },
            Metric::DeviceCal => f.write_str("Device CAL"),
            Metric::UserCal => f.write_str("User CAL"),
            Metric::UserSubscription => f.write_str("User Subscription"),
        }
    }
}
