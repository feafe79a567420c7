//! The graph as plain data: our own node, edge and group lists.

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum NodeKind {
    /// A service the business sees (online shop, payroll).
    BusinessService,
    /// A service other services use (authentication, payments API).
    TechnicalService,
    /// A configuration item of any class (host, database, switch, cloud resource).
    ConfigurationItem,
    /// A redundancy group (declared in [`GraphSpec::groups`], not in the node list).
    Group,
}

/// A node: a service or a configuration item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct NodeSpec {
    /// A stable id, unique in the graph.
    pub id: String,
    /// Service or configuration item.
    pub kind: NodeKind,
    /// The class, an open set given as data (`application`, `host`, `database`, ...).
    pub class: String,
    /// Criticality tier (1 = most critical).
    #[cfg_attr(feature = "serde", serde(default))]
    pub tier: u8,
    /// The owner, if known.
    #[cfg_attr(feature = "serde", serde(default))]
    pub owner: Option<String>,
    /// The supplier, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub supplier: Option<String>,
    /// The location, if known.
    #[cfg_attr(feature = "serde", serde(default))]
    pub location: Option<String>,
}

impl NodeSpec {
    /// A node with only an id, a kind and a class.
    pub fn new(id: &str, kind: NodeKind, class: &str) -> Self {
        NodeSpec {
            id: id.to_owned(),
            kind,
            class: class.to_owned(),
            tier: 0,
            owner: None,
            supplier: None,
            location: None,
        }
    }
}

/// Which way failure travels along an edge `from -> to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Propagation {
    /// A failure of `to` affects `from` (`from` depends on / runs on / is hosted on `to`).
    ToFrom,
    /// A failure of `from` affects `to` (`from` hosts / contains `to`).
    FromTo,
    /// Both ways (a link between two peers).
    Both,
}

/// A relationship type, given as data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RelationSpec {
    /// Its name (`depends_on`, `runs_on`, `hosted_on`, `connects_to`, ...).
    pub name: String,
    /// Which way failure travels.
    pub propagation: Propagation,
}

/// A typed edge between two nodes (or groups) by id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct EdgeSpec {
    /// One end.
    pub from: String,
    /// The other end.
    pub to: String,
    /// The relationship's name, one of [`GraphSpec::relations`].
    pub relation: String,
}

/// How many members of a group must be up for it to be up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum MinUp {
    /// At least this many.
    Count(u32),
    /// At least this percentage of the members, rounded up (iTop: N x pct / 100).
    Percent(u8),
}

/// A redundancy group: members of which at least `min_up` must be up. The group is a node
/// of its own (kind [`NodeKind::Group`]); edges may point at it like at any node. An edge
/// along which failure reaches the group (the farm depends on a load balancer) is an ordinary
/// input, not a member: the group fails with it, whatever its members.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct GroupSpec {
    /// The group's id, unique among nodes and groups.
    pub id: String,
    /// Its members, by id, each once.
    pub members: Vec<String>,
    /// How many must be up.
    pub min_up: MinUp,
}

/// Severity levels, named by the vendor: level `n` (the last name) is an outage; lower
/// levels are degradations.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SeverityScale {
    /// Names of levels 1 to n, least severe first; at least one.
    pub levels: Vec<String>,
    /// The level a redundancy group reports when it has lost members but still has enough
    /// up (at most the members' own worst level).
    pub group_holding: u8,
}

impl SeverityScale {
    /// Two levels: 1 `degraded`, 2 `outage`; a holding group is degraded.
    pub fn outage_degraded() -> Self {
        SeverityScale {
            levels: vec!["degraded".into(), "outage".into()],
            group_holding: 1,
        }
    }

    /// ServiceNow's event impact levels: 20% and 40% impaired, 60% affected, 100% down; a
    /// redundant path lowers the severity by one level.
    pub fn servicenow() -> Self {
        SeverityScale {
            levels: vec![
                "impaired (20%)".into(),
                "impaired (40%)".into(),
                "affected (60%)".into(),
                "down (100%)".into(),
            ],
            group_holding: 3,
        }
    }
}

impl Default for SeverityScale {
    fn default() -> Self {
        SeverityScale::outage_degraded()
    }
}

/// The whole graph as data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct GraphSpec {
    /// Relationship types.
    pub relations: Vec<RelationSpec>,
    /// Services and configuration items.
    pub nodes: Vec<NodeSpec>,
    /// Redundancy groups.
    #[cfg_attr(feature = "serde", serde(default))]
    pub groups: Vec<GroupSpec>,
    /// Typed edges.
    pub edges: Vec<EdgeSpec>,
    /// Severity levels.
    #[cfg_attr(feature = "serde", serde(default))]
    pub severity: SeverityScale,
}
