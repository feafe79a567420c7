//! The one error type of this crate.

/// Everything that can go wrong building or querying a graph. Each variant names the
/// offending record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two nodes (or a node and a group) share an id.
    #[error("id `{id}` is used twice (node or group #{first} and #{second}); ids must be unique")]
    DuplicateId {
        /// The id.
        id: String,
        /// Position of the first record (nodes first, then groups).
        first: usize,
        /// Position of the second.
        second: usize,
    },
    /// Two relationship types share a name.
    #[error("relation `{name}` is declared twice")]
    DuplicateRelation {
        /// The name.
        name: String,
    },
    /// An edge names a node that does not exist.
    #[error("edge #{edge} ({from} -> {to}) names unknown node `{id}`")]
    UnknownNode {
        /// The edge's position.
        edge: usize,
        /// Its `from`.
        from: String,
        /// Its `to`.
        to: String,
        /// The unknown id.
        id: String,
    },
    /// An edge uses an undeclared relationship type.
    #[error("edge #{edge} ({from} -> {to}) uses undeclared relation `{relation}`; declared: {}", .declared.join(", "))]
    UnknownRelation {
        /// The edge's position.
        edge: usize,
        /// Its `from`.
        from: String,
        /// Its `to`.
        to: String,
        /// The relation.
        relation: String,
        /// The declared relations.
        declared: Vec<String>,
    },
    /// A group names a member that does not exist.
    #[error("group `{group}` names unknown member `{member}`")]
    UnknownMember {
        /// The group.
        group: String,
        /// The unknown member.
        member: String,
    },
    /// A group lists a member twice.
    #[error("group `{group}` lists member `{member}` twice")]
    DuplicateMember {
        /// The group.
        group: String,
        /// The member listed twice.
        member: String,
    },
    /// A group has no members.
    #[error("group `{group}` has no members")]
    EmptyGroup {
        /// The group.
        group: String,
    },
    /// A group needs more members up than it has (a count larger than the group, or a
    /// percentage over 100, rounded up).
    #[error("group `{group}` needs {min_up} members up but has only {members}")]
    GroupThreshold {
        /// The group.
        group: String,
        /// Members needed.
        min_up: u32,
        /// Members it has.
        members: u32,
    },
    /// The severity scale has no levels, too many, or a holding level outside it.
    #[error("severity scale: {reason}")]
    SeverityScale {
        /// What is wrong.
        reason: String,
    },
    /// A query names a node that does not exist.
    #[error("no node `{id}` in the graph")]
    NoSuchNode {
        /// The id.
        id: String,
    },
    /// A query gives a severity outside the scale.
    #[error("severity {level} is outside the scale 1..={max}")]
    NoSuchSeverity {
        /// The level.
        level: u8,
        /// The highest level.
        max: u8,
    },
    /// The graph is larger than the compact form supports.
    #[error("the graph has {count} {what}; at most {max} are supported")]
    TooLarge {
        /// Nodes or edges.
        what: &'static str,
        /// How many.
        count: usize,
        /// The limit.
        max: usize,
    },
}
