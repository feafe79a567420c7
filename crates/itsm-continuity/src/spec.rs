//! What a continuity plan says about a dependency graph's nodes: the objectives a business
//! impact analysis set, and the recovery times the technical teams can achieve.

use chrono::Duration;

/// A node's continuity objectives, as its business impact analysis set them (a business
/// service or process, usually; an application with a BIA of its own too).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Objective {
    /// The node's id in the graph.
    pub id: String,
    /// Recovery time objective: how long after a disruption the node must be back.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub rto: Duration,
    /// Recovery point objective: how much data, as time before the disruption, may be lost.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "itsm_core::duration::option"
        )
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub rpo: Option<Duration>,
    /// Maximum tolerable period of disruption: past it the damage is no longer acceptable.
    /// At least the RTO.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "itsm_core::duration::option"
        )
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub mtpd: Option<Duration>,
}

impl Objective {
    /// An objective of `rto` for node `id`, without RPO or MTPD.
    pub fn new(id: &str, rto: Duration) -> Objective {
        Objective {
            id: id.to_owned(),
            rto,
            rpo: None,
            mtpd: None,
        }
    }

    /// With a recovery point objective.
    #[must_use]
    pub fn with_rpo(mut self, rpo: Duration) -> Objective {
        self.rpo = Some(rpo);
        self
    }

    /// With a maximum tolerable period of disruption.
    #[must_use]
    pub fn with_mtpd(mut self, mtpd: Duration) -> Objective {
        self.mtpd = Some(mtpd);
        self
    }
}

/// What the teams can achieve for a node: how long it takes to bring it back once what it
/// depends on is back (recovery time achievable, ServiceNow's RTA) and how much data it
/// would lose (recovery point achievable: the interval between backups or replications).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Capability {
    /// The node's id in the graph.
    pub id: String,
    /// Recovery time achievable; `None` when nobody knows yet (a lost node without one
    /// makes everything waiting on it [`Status::NoRecoveryTime`](crate::Status)).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "itsm_core::duration::option"
        )
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub rta: Option<Duration>,
    /// Recovery point achievable.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "itsm_core::duration::option"
        )
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub rpa: Option<Duration>,
}

impl Capability {
    /// Node `id` comes back `rta` after what it depends on.
    pub fn new(id: &str, rta: Duration) -> Capability {
        Capability {
            id: id.to_owned(),
            rta: Some(rta),
            rpa: None,
        }
    }

    /// With a recovery point achievable.
    #[must_use]
    pub fn with_rpa(mut self, rpa: Duration) -> Capability {
        self.rpa = Some(rpa);
        self
    }
}

/// The continuity data of one graph: objectives and capabilities, each node at most once
/// per list. Checked against the graph by [`Plan::new`](crate::Plan::new).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ContinuitySpec {
    /// Objectives, from the business impact analyses.
    #[cfg_attr(feature = "serde", serde(default))]
    pub objectives: Vec<Objective>,
    /// Recovery capabilities, from the recovery plans and exercises.
    #[cfg_attr(feature = "serde", serde(default))]
    pub capabilities: Vec<Capability>,
}

impl ContinuitySpec {
    /// A spec of these objectives and capabilities.
    pub fn new(objectives: Vec<Objective>, capabilities: Vec<Capability>) -> ContinuitySpec {
        ContinuitySpec {
            objectives,
            capabilities,
        }
    }
}

/// How recovery proceeds along dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Sequencing {
    /// A lost node's recovery starts once everything it depends on is back (a server is
    /// rebuilt before its database is restored onto it): back after its dependencies plus
    /// its own RTA. The default.
    #[default]
    AfterDependencies,
    /// Every lost node is recovered at once, side by side: back when its own RTA has
    /// passed and its dependencies are back, whichever is later.
    Parallel,
}

/// The choices of a recovery analysis, as data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// How recovery proceeds along dependencies.
    #[cfg_attr(feature = "serde", serde(default))]
    pub sequencing: Sequencing,
}

impl Policy {
    /// This policy with another sequencing.
    #[must_use]
    pub fn with_sequencing(mut self, sequencing: Sequencing) -> Policy {
        self.sequencing = sequencing;
        self
    }
}

/// What a disruption takes down.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Disruption {
    /// Every configuration item: a rebuild from nothing, the bound every recovery plan is
    /// judged against. Services are back when what they depend on is.
    Everything,
    /// These nodes, of any kind but groups (a group is down or up by its members); a service
    /// named here needs an RTA of its own.
    Nodes(Vec<String>),
    /// Every configuration item at one of these locations (a site or data centre lost).
    Locations(Vec<String>),
}
