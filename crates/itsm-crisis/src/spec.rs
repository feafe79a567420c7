//! What an exercise or a crisis event is made of: the recovery plans it may activate, their
//! recovery tasks, and the assets they bring back.

use chrono::Duration;
use itsm_core::UserId;

pub(crate) use itsm_core::named_enum as named;

/// The most plans a spec may hold.
pub const MAX_PLANS: usize = 100_000;
/// The most tasks all the plans of one event may hold once activated (a plan referred from
/// several tasks is activated once per task, so activation can multiply the spec's tasks).
pub const MAX_TASKS: usize = 4_000_000;
/// The deepest plan hierarchy an event activates (ServiceNow's
/// `sn_recovery.max_activated_plan_levels` goes up to 10).
pub const MAX_LEVELS: u8 = 10;

named! {
    /// An exercise (a test of the plans) or an actual crisis (ServiceNow's event type).
    Kind {
        /// A planned test of the recovery plans.
        Exercise => "exercise",
        /// A real disruption.
        Actual => "actual",
    }
}

named! {
    /// Whether a person or an automated flow carries out a task.
    Classification {
        /// Someone does it and records its progress.
        Manual => "manual",
        /// An automated flow runs it when it is triggered (the host runs the flow and
        /// reports the outcome); a failure notifies the task's backup assignee.
        Automatic => "automatic",
    }
}

named! {
    /// The phase of the recovery a task belongs to (ServiceNow's six phases; informational).
    Phase {
        /// Before the recovery proper.
        Preparation => "preparation",
        /// Bringing the assets back.
        Recovery => "recovery",
        /// Checking that they are back.
        RecoveryValidation => "recovery_validation",
        /// Going back to normal operation.
        ReturnToNormal => "return_to_normal",
        /// Checking the return to normal.
        ReturnToNormalValidation => "return_to_normal_validation",
        /// The review afterwards.
        PostIncidentReview => "post_incident_review",
    }
}

named! {
    /// Which recovery level of its assets a task counts towards (ServiceNow's "asset
    /// recovery level").
    RecoveryLevel {
        /// None given: the asset is recovered once every task tagged with it is done.
        None => "none",
        /// The asset is partially recovered once every task at this level is done.
        PartiallyRecovered => "partially_recovered",
        /// The asset is recovered once every task at this level is done (the tasks at the
        /// partial level need not be).
        Recovered => "recovered",
    }
}

// The enum comes from `named!`, which derives no `Default`.
#[allow(clippy::derivable_impls)]
impl Default for RecoveryLevel {
    fn default() -> Self {
        RecoveryLevel::None
    }
}

// The enum comes from `named!`, which derives no `Default`.
#[allow(clippy::derivable_impls)]
impl Default for Classification {
    fn default() -> Self {
        Classification::Manual
    }
}

// The enum comes from `named!`, which derives no `Default`.
#[allow(clippy::derivable_impls)]
impl Default for Phase {
    fn default() -> Self {
        Phase::Recovery
    }
}

/// A recovery task of a plan (an event task once the plan is activated).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TaskSpec {
    /// The Task ID: unique within its plan; the plan's tasks run in this order when the
    /// policy orders by Task ID.
    pub id: u32,
    /// What to do.
    pub name: String,
    /// Manual or automatic.
    #[cfg_attr(feature = "serde", serde(default))]
    pub classification: Classification,
    /// The recovery phase.
    #[cfg_attr(feature = "serde", serde(default))]
    pub phase: Phase,
    /// The Task IDs of the same plan that must be done first.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub depends_on: Vec<u32>,
    /// A plan this task refers to (ServiceNow's "refer a different plan"): activated as a
    /// child plan below the task's plan, run when the task is triggered, and the task is
    /// done when it is.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub refers: Option<String>,
    /// The assets the task helps bring back.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub assets: Vec<String>,
    /// The recovery level of those assets the task counts towards.
    #[cfg_attr(feature = "serde", serde(default))]
    pub level: RecoveryLevel,
    /// Left out of the plan's and the assets' times and efforts ("do not include this task
    /// in time calculation").
    #[cfg_attr(feature = "serde", serde(default))]
    pub exclude_from_time: bool,
    /// How long it is planned to take ("planned duration"; none: no time of its own).
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
    pub duration: Option<Duration>,
    /// Who carries it out.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub assignee: Option<UserId>,
    /// Who is told when its automation fails.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub backup: Option<UserId>,
}

impl TaskSpec {
    /// A manual recovery-phase task with no dependencies, assets or assignee.
    pub fn new(id: u32, name: impl Into<String>) -> Self {
        TaskSpec {
            id,
            name: name.into(),
            classification: Classification::Manual,
            phase: Phase::Recovery,
            depends_on: Vec::new(),
            refers: None,
            assets: Vec::new(),
            level: RecoveryLevel::None,
            exclude_from_time: false,
            duration: None,
            assignee: None,
            backup: None,
        }
    }

    /// The same task, depending on these Task IDs of its plan.
    #[must_use]
    pub fn after(mut self, ids: impl IntoIterator<Item = u32>) -> Self {
        self.depends_on.extend(ids);
        self
    }

    /// The same task, referring to the plan `plan`.
    #[must_use]
    pub fn refers(mut self, plan: impl Into<String>) -> Self {
        self.refers = Some(plan.into());
        self
    }

    /// The same task, bringing back `asset` towards `level`.
    #[must_use]
    pub fn asset(mut self, asset: impl Into<String>, level: RecoveryLevel) -> Self {
        self.assets.push(asset.into());
        self.level = level;
        self
    }

    /// The same task, run by an automated flow, its failures told to `backup`.
    #[must_use]
    pub fn automatic(mut self, backup: Option<UserId>) -> Self {
        self.classification = Classification::Automatic;
        self.backup = backup;
        self
    }

    /// The same task, assigned to `user`.
    #[must_use]
    pub fn assign(mut self, user: UserId) -> Self {
        self.assignee = Some(user);
        self
    }

    /// The same task in `phase`.
    #[must_use]
    pub fn phase(mut self, phase: Phase) -> Self {
        self.phase = phase;
        self
    }

    /// The same task, planned to take `duration`.
    #[must_use]
    pub fn takes(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// The same task, left out of time calculations.
    #[must_use]
    pub fn excluded_from_time(mut self) -> Self {
        self.exclude_from_time = true;
        self
    }
}

/// A business continuity plan: its recovery tasks and the plans related to it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlanSpec {
    /// Its name, unique in the spec.
    pub name: String,
    /// Its recovery tasks.
    #[cfg_attr(feature = "serde", serde(default))]
    pub tasks: Vec<TaskSpec>,
    /// Plans related to it but to none of its tasks: activated beside it (as related
    /// plans) when it is activated as a primary plan.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub related: Vec<String>,
    /// Plans whose activation must be closed before this one's tasks start (ServiceNow's
    /// dependencies between first-level activated plans, the primary and related ones;
    /// ignored for child plans, on either side).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub depends_on: Vec<String>,
}

impl PlanSpec {
    /// A plan with these tasks.
    pub fn new(name: impl Into<String>, tasks: Vec<TaskSpec>) -> Self {
        PlanSpec {
            name: name.into(),
            tasks,
            related: Vec::new(),
            depends_on: Vec::new(),
        }
    }

    /// The same plan with `plan` related to it.
    #[must_use]
    pub fn related(mut self, plan: impl Into<String>) -> Self {
        self.related.push(plan.into());
        self
    }

    /// The same plan, started after `plan` closes.
    #[must_use]
    pub fn after(mut self, plan: impl Into<String>) -> Self {
        self.depends_on.push(plan.into());
        self
    }
}

/// An asset an event tracks, with the recovery time objective its business impact analysis
/// gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AssetSpec {
    /// Its name, as tasks tag it.
    pub name: String,
    /// Its recovery time objective, from the event's start.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "itsm_core::duration::option")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub rto: Option<Duration>,
}

impl AssetSpec {
    /// An asset with a recovery time objective.
    pub fn new(name: impl Into<String>, rto: Option<Duration>) -> Self {
        AssetSpec {
            name: name.into(),
            rto,
        }
    }
}

/// An exercise or crisis event as the host creates it: the plans it may draw on (the plan
/// library), the ones it activates, and the assets it tracks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CrisisSpec {
    /// A short description.
    pub name: String,
    /// An exercise or an actual crisis.
    pub kind: Kind,
    /// Every plan the event may activate, with the plans they relate and refer to.
    pub plans: Vec<PlanSpec>,
    /// The plans added to the event (its primary plans), by name.
    pub activate: Vec<String>,
    /// Assets with their recovery time objectives (assets tasks tag but this list leaves
    /// out are tracked without one).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub assets: Vec<AssetSpec>,
    /// The event's coordinator ("assigned to").
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub coordinator: Option<UserId>,
}

impl CrisisSpec {
    /// An event of `kind` drawing on `plans`, activating the plans named in `activate`.
    pub fn new(
        name: impl Into<String>,
        kind: Kind,
        plans: Vec<PlanSpec>,
        activate: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        CrisisSpec {
            name: name.into(),
            kind,
            plans,
            activate: activate.into_iter().map(Into::into).collect(),
            assets: Vec::new(),
            coordinator: None,
        }
    }

    /// The same spec tracking `asset`.
    #[must_use]
    pub fn asset(mut self, asset: AssetSpec) -> Self {
        self.assets.push(asset);
        self
    }
}
