//! The one error type of this crate, and where an unknown node or relation was named.

use itsm_core::Quoted;

/// Everything that can go wrong building or querying a graph. Each variant names the
/// offending record and says what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two nodes (or a node and a group) share an id.
    #[error("id `{}` is used twice (node or group #{first} and #{second}); ids must be unique", Quoted(.id))]
    DuplicateId {
        /// The id.
        id: String,
        /// Position of the first record (nodes first, then groups).
        first: usize,
        /// Position of the second.
        second: usize,
    },
    /// A graph edit removes an edge the spec does not have.
    #[error(
        "graph edit #{edit} removes edge `{}` -> `{}` ({}), which the graph does not have; remove an edge of the spec, with its relation",
        Quoted(.from),
        Quoted(.to),
        Quoted(.relation)
    )]
    UnknownEdge {
        /// The edit's position in the list.
        edit: usize,
        /// The edge's `from`.
        from: String,
        /// Its `to`.
        to: String,
        /// Its relation.
        relation: String,
    },
    /// Two relationship types share a name.
    #[error("relation `{}` is declared twice; relation names must be unique", Quoted(.name))]
    DuplicateRelation {
        /// The name.
        name: String,
    },
    /// A node or group id that the graph does not declare: in a spec's edge or group, in a
    /// query, or a [`NodeId`](crate::NodeId) that this builder or graph did not make.
    #[error("{named_in} names unknown node `{}`; name a declared node or group", Quoted(.id))]
    UnknownNode {
        /// The unknown id (for a [`NodeId`](crate::NodeId), its `#index`).
        id: String,
        /// Where it was named.
        named_in: NamedIn,
    },
    /// A relationship type that was not declared: in a spec's edge, or a
    /// [`RelationId`](crate::RelationId) that this builder did not make.
    #[error("{named_in} uses undeclared relation `{}`; declared: {}", Quoted(.relation), names(.declared))]
    UnknownRelation {
        /// The relation (for a [`RelationId`](crate::RelationId), its `#index`).
        relation: String,
        /// Where it was named.
        named_in: NamedIn,
        /// The declared relations.
        declared: Vec<String>,
    },
    /// A builder was asked to make a node a member of a node that is not a redundancy
    /// group.
    #[error(
        "`{}` cannot be a member of `{}`: it is not a redundancy group; members join groups made with `GraphBuilder::group`",
        Quoted(.member),
        Quoted(.id)
    )]
    UnknownGroup {
        /// The node that is not a group.
        id: String,
        /// The would-be member.
        member: String,
    },
    /// A node (not a group) declared with kind [`NodeKind::Group`](crate::NodeKind::Group):
    /// it would have no members and no threshold.
    #[error(
        "node `{}` has kind `group`; redundancy groups are declared among the groups, with their members",
        Quoted(.id)
    )]
    InvalidNodeKind {
        /// The node's id.
        id: String,
    },
    /// A group lists a member twice.
    #[error("group `{}` lists member `{}` twice; list each member once", Quoted(.group), Quoted(.member))]
    DuplicateMember {
        /// The group.
        group: String,
        /// The member listed twice.
        member: String,
    },
    /// A group has no members.
    #[error("group `{}` has no members; a group needs at least one", Quoted(.group))]
    EmptyGroup {
        /// The group.
        group: String,
    },
    /// A group needs more members up than it has (a count larger than the group, or a
    /// percentage over 100, rounded up).
    #[error("group `{}` needs {min_up} members up but has only {members}", Quoted(.group))]
    GroupThreshold {
        /// The group.
        group: String,
        /// Members needed.
        min_up: u32,
        /// Members it has.
        members: u32,
    },
    /// A group's influences do not match its members one for one.
    #[error(
        "group `{}` has {members} members and {influences} influences; give one influence per member, in the members' order, or none",
        Quoted(.group)
    )]
    InfluenceCount {
        /// The group.
        group: String,
        /// Members listed.
        members: usize,
        /// Influences listed.
        influences: usize,
    },
    /// A group's members' influences add up to more than a group can count.
    #[error(
        "group `{}`'s influences add up to {}, past the most a group can count ({}); use smaller influences",
        Quoted(.group), "4294967295 or more", u32::MAX - 1
    )]
    InfluenceTooLarge {
        /// The group.
        group: String,
    },
    /// The severity scale has no levels.
    #[error("the severity scale has no levels; give 1 to 250 levels, least severe first")]
    EmptySeverityScale,
    /// The severity scale has more levels than a severity byte holds.
    #[error("the severity scale has {count} levels; at most {max} are allowed")]
    TooManySeverityLevels {
        /// Levels given.
        count: usize,
        /// The most allowed.
        max: usize,
    },
    /// The level a holding group reports is not a level of the scale.
    #[error(
        "groups hold at severity {level}, outside the scale 1..={max}; give a level of the scale"
    )]
    UnknownHoldingLevel {
        /// The holding level given.
        level: u8,
        /// The highest level of the scale.
        max: u8,
    },
    /// A query gives a severity outside the scale.
    #[error("severity {level} is outside the scale 1..={max}")]
    UnknownSeverity {
        /// The level.
        level: u8,
        /// The highest level.
        max: u8,
    },
    /// The graph is larger than the compact form supports.
    #[error("the graph has {count} {what}; at most {max} are supported")]
    TooLarge {
        /// Nodes, edges or relations.
        what: &'static str,
        /// How many.
        count: usize,
        /// The limit.
        max: usize,
    },
}

/// Where an unknown node or relation was named (see [`Error::UnknownNode`] and
/// [`Error::UnknownRelation`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NamedIn {
    /// Edge number `edge` (from 0) of a spec, `from -> to`.
    Edge {
        /// The edge's position in [`GraphSpec::edges`](crate::GraphSpec::edges).
        edge: usize,
        /// Its `from`.
        from: String,
        /// Its `to`.
        to: String,
    },
    /// The member list of a spec's group.
    Group {
        /// The group's id.
        group: String,
    },
    /// A query's argument: a scenario's failures or maintenance, an alarm, a service.
    Query,
    /// A call to [`GraphBuilder::member`](crate::GraphBuilder::member) or
    /// [`GraphBuilder::edge`](crate::GraphBuilder::edge).
    Builder,
    /// A seed or a node in maintenance given to [`Workspace::run`](crate::Workspace::run).
    Workspace,
    /// Edit number `edit` (from 0) of a what-if over graph edits
    /// ([`GraphSpec::edited`](crate::GraphSpec::edited)).
    Edit {
        /// The edit's position in the list.
        edit: usize,
    },
}

impl std::fmt::Display for NamedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NamedIn::Edge { edge, from, to } => {
                write!(f, "edge #{edge} ({} -> {})", Quoted(from), Quoted(to))
            }
            NamedIn::Group { group } => write!(f, "group `{}`", Quoted(group)),
            NamedIn::Query => f.write_str("a query"),
            NamedIn::Builder => f.write_str("a builder call"),
            NamedIn::Workspace => f.write_str("a workspace query"),
            NamedIn::Edit { edit } => write!(f, "graph edit #{edit}"),
        }
    }
}

/// The declared names, each quoted, at most ten (then how many more).
fn names(declared: &[String]) -> String {
    let mut parts: Vec<String> = declared
        .iter()
        .take(10)
        .map(|name| Quoted(name).to_string())
        .collect();
    if declared.len() > 10 {
        parts.push(format!("and {} more", declared.len() - 10));
    }
    parts.join(", ")
}
