//! Escalation policies as data, and the schedules they read.

use std::collections::BTreeMap;

use chrono::Duration;
use itsm_core::UserId;

use crate::error::Error;
use crate::schedule::Schedule;

/// The most steps a policy may have.
pub const MAX_STEPS: usize = 50;
/// The most reminders a step may send after its first notice.
pub const MAX_REMINDERS: u32 = 20;
/// The most times a policy may repeat after its first pass (PagerDuty allows 9, Opsgenie's
/// successor 20).
pub const MAX_REPEATS: u32 = 20;

/// How an escalation runs: steps notified one after another until someone acknowledges.
///
/// A step notifies its targets when it starts, reminds them `reminders` times
/// `between_reminders` apart, then waits `wait` after the last notice before the next step
/// starts. After the last step the policy starts over from the first, `repeat` times; then
/// the escalation is exhausted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Policy {
    /// The policy's name.
    pub name: String,
    /// The steps, first notified first.
    pub steps: Vec<Step>,
    /// How many times to start over from the first step after the last one's wait
    /// (PagerDuty's "if no one acknowledges, repeat this policy N times").
    #[cfg_attr(feature = "serde", serde(default))]
    pub repeat: u32,
    /// What a step whose targets have nobody on call does.
    #[cfg_attr(feature = "serde", serde(default))]
    pub nobody: Nobody,
    /// After an acknowledgement, how long until the escalation starts again at the step it
    /// reached if the task is not resolved, notifying the one who acknowledged and whoever
    /// the step's targets have on call then (PagerDuty's acknowledgement timeout); `None`:
    /// an acknowledgement holds.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            with = "itsm_core::duration::option",
            skip_serializing_if = "Option::is_none"
        )
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub ack_timeout: Option<Duration>,
    /// Who may acknowledge.
    #[cfg_attr(feature = "serde", serde(default))]
    pub acknowledgers: Acknowledgers,
}

impl Policy {
    /// A policy of `steps`, run once, a step with nobody on call skipped, anyone allowed
    /// to acknowledge, an acknowledgement holding.
    pub fn new(name: impl Into<String>, steps: Vec<Step>) -> Self {
        Policy {
            name: name.into(),
            steps,
            repeat: 0,
            nobody: Nobody::Skip,
            ack_timeout: None,
            acknowledgers: Acknowledgers::Anyone,
        }
    }

    /// ServiceNow's "rotate through members" for a shift with one roster: the roster's
    /// member on turn first, then the next in rotation order, `members` steps in all, each
    /// reminded `reminders` times `between` apart and escalated `between` after its last
    /// reminder (so "time before escalation" is `(reminders + 1) x between`).
    pub fn rotate_through_members(
        schedule: &str,
        roster: &str,
        members: u32,
        reminders: u32,
        between: Duration,
    ) -> Self {
        let steps = (0..members)
            .map(|next| {
                Step::servicenow(
                    vec![Target::Roster {
                        schedule: schedule.to_owned(),
                        layer: roster.to_owned(),
                        next,
                    }],
                    reminders,
                    between,
                )
            })
            .collect();
        Policy::new(format!("{schedule}: rotate through members"), steps)
    }

    /// ServiceNow's "rotate through rosters" for a shift with several: each roster's member
    /// on turn, roster by roster, with the rosters' reminder settings as
    /// [`Policy::rotate_through_members`].
    pub fn rotate_through_rosters(
        schedule: &str,
        rosters: &[&str],
        reminders: u32,
        between: Duration,
    ) -> Self {
        let steps = rosters
            .iter()
            .map(|roster| {
                Step::servicenow(
                    vec![Target::Roster {
                        schedule: schedule.to_owned(),
                        layer: (*roster).to_owned(),
                        next: 0,
                    }],
                    reminders,
                    between,
                )
            })
            .collect();
        Policy::new(format!("{schedule}: rotate through rosters"), steps)
    }

    /// Checks the policy against the schedules it names.
    ///
    /// # Errors
    /// [`Error::NoSteps`], [`Error::TooManySteps`], [`Error::NoTargets`],
    /// [`Error::TooManyReminders`], [`Error::TooManyRepeats`], [`Error::InvalidAckTimeout`],
    /// [`Error::NegativeDuration`],
    /// [`Error::UnknownSchedule`], [`Error::UnknownRoster`].
    pub fn check(&self, schedules: &Schedules) -> Result<(), Error> {
        if self.steps.is_empty() {
            return Err(Error::NoSteps {
                policy: self.name.clone(),
            });
        }
        if self.steps.len() > MAX_STEPS {
            return Err(Error::TooManySteps {
                policy: self.name.clone(),
                steps: self.steps.len(),
                max: MAX_STEPS,
            });
        }
        if self.repeat > MAX_REPEATS {
            return Err(Error::TooManyRepeats {
                policy: self.name.clone(),
                repeat: self.repeat,
                max: MAX_REPEATS,
            });
        }
        if self.ack_timeout.is_some_and(|d| d <= Duration::zero()) {
            return Err(Error::InvalidAckTimeout {
                policy: self.name.clone(),
            });
        }
        for (i, step) in self.steps.iter().enumerate() {
            if step.targets.is_empty() {
                return Err(Error::NoTargets {
                    policy: self.name.clone(),
                    step: i,
                });
            }
            if step.reminders > MAX_REMINDERS {
                return Err(Error::TooManyReminders {
                    policy: self.name.clone(),
                    step: i,
                    reminders: step.reminders,
                    max: MAX_REMINDERS,
                });
            }
            for (field, d) in [
                ("between_reminders", step.between_reminders),
                ("wait", step.wait),
            ] {
                if d < Duration::zero() {
                    return Err(Error::NegativeDuration {
                        policy: self.name.clone(),
                        field,
                        step: i,
                    });
                }
            }
            for target in &step.targets {
                target.check(self, i, schedules)?;
            }
        }
        Ok(())
    }
}

/// One step of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Step {
    /// Who is notified, all at once.
    pub targets: Vec<Target>,
    /// Reminders after the first notice (ServiceNow's "number of reminders").
    #[cfg_attr(feature = "serde", serde(default))]
    pub reminders: u32,
    /// Time between notices (ServiceNow's "time between reminders").
    #[cfg_attr(
        feature = "serde",
        serde(default = "zero", with = "itsm_core::duration")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub between_reminders: Duration,
    /// From the last notice to the next step (ServiceNow's "time to next step", PagerDuty's
    /// escalation timeout).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub wait: Duration,
    /// Channels that override everyone's contact rules for this step's notices: each
    /// recipient is contacted at the notice on every enabled method of theirs on one of
    /// these channels (ServiceNow's forced communication channel of a roster, and its
    /// override of a shift's contact preferences). Empty: each person's own rules.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub channels: Vec<crate::contact::Channel>,
}

/// The serde default of a duration left out: none (also for contact rules' steps).
#[cfg(feature = "serde")]
pub(crate) fn zero() -> Duration {
    Duration::zero()
}

impl Step {
    /// A step that notifies `targets` once and escalates after `timeout` (PagerDuty's
    /// escalation rule).
    pub fn after(targets: Vec<Target>, timeout: Duration) -> Self {
        Step {
            targets,
            reminders: 0,
            between_reminders: Duration::zero(),
            wait: timeout,
            channels: Vec::new(),
        }
    }

    /// A step as a ServiceNow roster runs it: `reminders` reminders `between` apart, the
    /// next step `between` after the last.
    pub fn servicenow(targets: Vec<Target>, reminders: u32, between: Duration) -> Self {
        Step {
            targets,
            reminders,
            between_reminders: between,
            wait: between,
            channels: Vec::new(),
        }
    }
}

/// Who a step notifies.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Target {
    /// One person.
    User(UserId),
    /// Whoever the schedule has on call ([`Schedule::on_call`]).
    Schedule(String),
    /// Whoever a layer (roster) of a schedule has on call, `next` members on in its
    /// rotation ([`Schedule::layer_on_call`]).
    Roster {
        /// The schedule.
        schedule: String,
        /// The layer's name.
        layer: String,
        /// Members on from the turn's (0: the turn's own).
        #[cfg_attr(feature = "serde", serde(default))]
        next: u32,
    },
}

impl Target {
    fn check(&self, policy: &Policy, step: usize, schedules: &Schedules) -> Result<(), Error> {
        let known = |name: &str| {
            schedules.get(name).ok_or_else(|| Error::UnknownSchedule {
                policy: policy.name.clone(),
                step,
                schedule: name.to_owned(),
            })
        };
        match self {
            Target::User(_) => Ok(()),
            Target::Schedule(name) => known(name).map(|_| ()),
            Target::Roster {
                schedule, layer, ..
            } => {
                if known(schedule)?.layer_index(layer).is_none() {
                    return Err(Error::UnknownRoster {
                        policy: policy.name.clone(),
                        step,
                        schedule: schedule.clone(),
                        layer: layer.clone(),
                    });
                }
                Ok(())
            }
        }
    }
}

/// What a step whose targets have nobody on call does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Nobody {
    /// Go on to the next step at once.
    #[default]
    Skip,
    /// Wait the step's time as if someone had been notified.
    Wait,
}

/// Who may acknowledge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Acknowledgers {
    /// Anyone (PagerDuty: any responder can acknowledge).
    #[default]
    Anyone,
    /// Only someone this escalation has notified (ServiceNow: the member notified replies).
    Notified,
}

/// The schedules escalations read, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedules {
    by_name: BTreeMap<String, Schedule>,
}

impl Schedules {
    /// No schedules.
    pub fn new() -> Self {
        Schedules::default()
    }

    /// Adds `schedule` under its name, replacing one of that name.
    pub fn insert(&mut self, schedule: Schedule) -> &mut Self {
        self.by_name.insert(schedule.name().to_owned(), schedule);
        self
    }

    /// The schedule named `name`.
    pub fn get(&self, name: &str) -> Option<&Schedule> {
        self.by_name.get(name)
    }

    /// The schedules, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Schedule> {
        self.by_name.values()
    }
}

impl FromIterator<Schedule> for Schedules {
    fn from_iter<I: IntoIterator<Item = Schedule>>(iter: I) -> Self {
        let mut s = Schedules::new();
        for schedule in iter {
            s.insert(schedule);
        }
        s
    }
}
