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
    /// A redundancy group, declared in [`GraphSpec::groups`] (refused in the node list).
    Group,
}

/// A node: a service or a configuration item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    /// A node with an id, a kind and a class; tier 0, no owner, supplier or location (set
    /// them through the fields).
    ///
    /// ```
    /// use itsm_graph::{NodeKind, NodeSpec};
    ///
    /// let mut db = NodeSpec::new("db", NodeKind::ConfigurationItem, "database");
    /// db.tier = 1;
    /// db.owner = Some("dba".into());
    /// assert_eq!(db.location, None);
    /// ```
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
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RelationSpec {
    /// Its name (`depends_on`, `runs_on`, `hosted_on`, `connects_to`, ...).
    pub name: String,
    /// Which way failure travels.
    pub propagation: Propagation,
}

impl RelationSpec {
    /// A relationship type named `name` along which failure travels as `propagation` says.
    ///
    /// ```
    /// use itsm_graph::{Propagation, RelationSpec};
    ///
    /// let runs_on = RelationSpec::new("runs_on", Propagation::ToFrom);
    /// assert_eq!(runs_on.name, "runs_on");
    /// ```
    pub fn new(name: &str, propagation: Propagation) -> Self {
        RelationSpec {
            name: name.to_owned(),
            propagation,
        }
    }
}

/// A typed edge between two nodes (or groups) by id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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

impl EdgeSpec {
    /// An edge `from -> to` of the relationship type named `relation`.
    ///
    /// ```
    /// use itsm_graph::EdgeSpec;
    ///
    /// let edge = EdgeSpec::new("shop", "db", "depends_on");
    /// assert_eq!((edge.from.as_str(), edge.to.as_str()), ("shop", "db"));
    /// ```
    pub fn new(from: &str, to: &str, relation: &str) -> Self {
        EdgeSpec {
            from: from.to_owned(),
            to: to.to_owned(),
            relation: relation.to_owned(),
        }
    }
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
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct GroupSpec {
    /// The group's id, unique among nodes and groups.
    pub id: String,
    /// Its members, by id, each once.
    pub members: Vec<String>,
    /// How many must be up (in influence, when the members carry one).
    pub min_up: MinUp,
    /// ServiceNow's cluster member influence: one per member, in the members' order; the
    /// group then counts influence rather than members (`min_up` is influence that must be
    /// up). Empty (the default): each member counts one.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub influence: Vec<u32>,
}

impl GroupSpec {
    /// A group `id` of `members` (by id), of which `min_up` must be up.
    ///
    /// ```
    /// use itsm_graph::{GroupSpec, MinUp};
    ///
    /// let farm = GroupSpec::new("web-farm", &["web-1", "web-2", "web-3"], MinUp::Count(2));
    /// assert_eq!(farm.members.len(), 3);
    /// ```
    pub fn new(id: &str, members: &[&str], min_up: MinUp) -> Self {
        GroupSpec {
            id: id.to_owned(),
            members: members.iter().map(|m| (*m).to_owned()).collect(),
            min_up,
            influence: Vec::new(),
        }
    }

    /// ServiceNow's cluster: members with their influence, the cluster down when its failed
    /// members' influence reaches `down_at` (ServiceNow's "Influence" on the cluster; an
    /// influence sum that reaches it, as in its example of three members at 30% and 90%).
    /// Stored as `min_up: Count(total - down_at + 1)`; a `down_at` above the total gives a
    /// group that never fails, and 0 one that is refused when built.
    ///
    /// ```
    /// use itsm_graph::{GroupSpec, MinUp};
    ///
    /// // ServiceNow's example: children at 34%, 34%, 34% and 70%, the parent at 100%.
    /// let c = GroupSpec::with_influence("cluster", &[("c1", 34), ("c2", 34), ("c3", 34), ("c4", 70)], 100);
    /// assert_eq!(c.min_up, MinUp::Count(73));
    /// ```
    pub fn with_influence(id: &str, members: &[(&str, u32)], down_at: u32) -> Self {
        let total: u32 = members.iter().map(|(_, w)| *w).fold(0, u32::saturating_add);
        GroupSpec {
            id: id.to_owned(),
            members: members.iter().map(|(m, _)| (*m).to_owned()).collect(),
            min_up: MinUp::Count(
                total
                    .saturating_add(1)
                    .saturating_sub(down_at.min(total.saturating_add(1))),
            ),
            influence: members.iter().map(|(_, w)| *w).collect(),
        }
    }
}

/// Severity levels, named by the vendor: level `n` (the last name) is an outage; lower
/// levels are degradations.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SeverityScale {
    /// Names of levels 1 to n, least severe first; at least one.
    pub levels: Vec<String>,
    /// The level a redundancy group reports when it has lost members but still has enough
    /// up (at most the members' own worst level, lowered by `redundancy_lowers`).
    pub group_holding: u8,
    /// Levels by which a redundancy group that holds lowers its members' worst level (never
    /// below level 1): 0 (the default) reports the members' worst level, capped at
    /// `group_holding`; ServiceNow's redundancy rule lowers it by one level.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_zero"))]
    pub redundancy_lowers: u8,
    /// ServiceNow's cluster rule: a node that depends directly on at least this many
    /// affected redundancy groups (clusters) is at the outage level. `None` (the default):
    /// no such rule, a node takes the worst of its inputs.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub clusters_down: Option<std::num::NonZeroU32>,
}

#[cfg(feature = "serde")]
fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl SeverityScale {
    /// Levels named `levels` (least severe first, the last an outage), with groups that hold
    /// reporting level `group_holding`. Checked when a graph is built.
    ///
    /// ```
    /// use itsm_graph::SeverityScale;
    ///
    /// let scale = SeverityScale::new(&["minor", "major", "down"], 2);
    /// assert_eq!(scale.levels.len(), 3);
    /// ```
    pub fn new(levels: &[&str], group_holding: u8) -> Self {
        SeverityScale {
            levels: levels.iter().map(|l| (*l).to_owned()).collect(),
            group_holding,
            redundancy_lowers: 0,
            clusters_down: None,
        }
    }

    /// Two levels: 1 `degraded`, 2 `outage`; a holding group is degraded.
    pub fn outage_degraded() -> Self {
        SeverityScale {
            levels: vec!["degraded".into(), "outage".into()],
            group_holding: 1,
            redundancy_lowers: 0,
            clusters_down: None,
        }
    }

    /// ServiceNow's event impact levels and rules (its page "Alert impact calculation"):
    /// 20% and 40% impaired, 60% affected, 100% down; a redundant path lowers the severity by
    /// one level (a redundancy group that holds reports its members' worst level one level
    /// lower: an outage of a member gives 60%, a member at 60% gives 40%); and a node that
    /// depends on two or more affected clusters is down.
    ///
    /// ```
    /// use itsm_graph::SeverityScale;
    ///
    /// let scale = SeverityScale::servicenow();
    /// assert_eq!((scale.group_holding, scale.redundancy_lowers), (3, 1));
    /// assert_eq!(scale.clusters_down.map(|n| n.get()), Some(2));
    /// ```
    pub fn servicenow() -> Self {
        SeverityScale {
            levels: vec![
                "impaired (20%)".into(),
                "impaired (40%)".into(),
                "affected (60%)".into(),
                "down (100%)".into(),
            ],
            group_holding: 3,
            redundancy_lowers: 1,
            clusters_down: std::num::NonZeroU32::new(2),
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
#[non_exhaustive]
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

impl GraphSpec {
    /// A graph of these relationship types, nodes, groups and edges, on the default severity
    /// scale ([`SeverityScale::outage_degraded`]); compile it with
    /// [`Graph::from_spec`](crate::Graph::from_spec). With the `serde` feature a spec also
    /// loads from JSON (see the crate's documentation).
    pub fn new(
        relations: Vec<RelationSpec>,
        nodes: Vec<NodeSpec>,
        groups: Vec<GroupSpec>,
        edges: Vec<EdgeSpec>,
    ) -> Self {
        GraphSpec {
            relations,
            nodes,
            groups,
            edges,
            severity: SeverityScale::default(),
        }
    }
}
