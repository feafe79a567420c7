//! The one error type of this crate.

use chrono::NaiveDate;
use itsm_core::Quoted;

/// The most node ids a [`Error::Cycle`] message names.
pub const CYCLE_SHOWN: usize = 8;

fn cycle_text(nodes: &[String], length: usize) -> String {
    let mut s = String::new();
    for (k, id) in nodes.iter().enumerate() {
        if k > 0 {
            s.push_str(" -> ");
        }
        s.push_str(&format!("`{}`", Quoted(id)));
    }
    if length > nodes.len() {
        s.push_str(&format!(" -> ... ({length} nodes in all)"));
    }
    if let Some(first) = nodes.first() {
        s.push_str(&format!(" -> `{}`", Quoted(first)));
    }
    s
}

/// Everything that makes a cost spec, a graph or a budget impossible to evaluate. Each
/// variant says what was found and what is allowed; ids and names are quoted capped and
/// escaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two nodes or groups of the graph share an id.
    #[error("the graph has two nodes or groups with id `{}`; ids must be unique", Quoted(.id))]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// Two relationship types of the graph share a name.
    #[error("the graph declares relationship `{}` twice; relation names must be unique", Quoted(.name))]
    DuplicateRelation {
        /// The name.
        name: String,
    },
    /// An edge or a relationship path names a relationship type the graph does not declare.
    #[error("{list} name relationship `{}`, which the graph does not declare; use one of its relations", Quoted(.name))]
    UnknownRelation {
        /// Where it was named (`the graph's edges`, `the relationship paths`).
        list: &'static str,
        /// The name.
        name: String,
    },
    /// A record names a node the graph does not have.
    #[error("{list} name node `{}`, which the graph does not have; use one of its node ids", Quoted(.id))]
    UnknownNode {
        /// Where it was named (`the rate cards`, `the expenses`, `the distribution costs`,
        /// `the allocation units`, `the graph's edges`, `the graph's groups`, `queries`).
        list: &'static str,
        /// The id.
        id: String,
    },
    /// A cost record names a redundancy group.
    #[error("{list} name redundancy group `{}`; a group costs nothing of its own (its members' costs reach it), so name its members", Quoted(.id))]
    GroupNamed {
        /// Where it was named.
        list: &'static str,
        /// The group's id.
        id: String,
    },
    /// Two rate cards, two costs of one card or two distribution costs share a name.
    #[error("two {kind}s are named `{}`; names must be unique, as the expense lines name them", Quoted(.name))]
    DuplicateName {
        /// `rate card`, `rate card cost`, `distribution cost`, `task rate card` or
        /// `labour rate card`.
        kind: &'static str,
        /// The name.
        name: String,
    },
    /// A rate card or a distribution cost with neither a condition nor listed nodes.
    #[error("{kind} `{}` selects nothing: it has no condition (classes, locations) and lists no nodes; give it one or the other", Quoted(.name))]
    EmptySelector {
        /// `rate card` or `distribution cost`.
        kind: &'static str,
        /// Its name.
        name: String,
    },
    /// A service has two allocation unit records.
    #[error("service `{}` has two allocation unit records; give each service one", Quoted(.id))]
    DuplicateUnits {
        /// The service.
        id: String,
    },
    /// A cost centre appears twice among one service's consumers.
    #[error("service `{}` lists cost centre `{}` twice; give each consumer one record with its units", Quoted(.service), Quoted(.cost_centre))]
    DuplicateConsumer {
        /// The service.
        service: String,
        /// The cost centre.
        cost_centre: String,
    },
    /// A service providing no units.
    #[error("service `{}` provides 0 units; its total units must be 1 or more", Quoted(.id))]
    ZeroUnits {
        /// The service.
        id: String,
    },
    /// More units allocated to cost centres than the service provides.
    #[error("service `{}` allocates {allocated} units of its {total}; the cost centres' units must add up to at most the total", Quoted(.id))]
    OverAllocated {
        /// The service.
        id: String,
        /// Its total units.
        total: u64,
        /// The units its consumers use, added up.
        allocated: u128,
    },
    /// A node's direct, inherited or total cost, or a pool's, past what 64 bits of minor
    /// units hold (about 92 million billion either way).
    #[error("the cost of `{}` is past what 64-bit minor units hold (from -2^63 to 2^63 - 1); check the amounts that reach it", Quoted(.id))]
    Overflow {
        /// The node (for a pool, its first member).
        id: String,
    },
    /// A budget's projection or remaining amount past what 128 bits hold.
    #[error("budget `{}`: the projection or the remaining amount is past what 128-bit minor units hold; check the actual given", Quoted(.name))]
    BudgetOverflow {
        /// The budget.
        name: String,
    },
    /// A node of kind `group` in the graph's node list.
    #[error("node `{}` has kind group in the node list; declare redundancy groups in the graph's groups", Quoted(.id))]
    GroupInNodes {
        /// The node.
        id: String,
    },
    /// A group with no members.
    #[error("group `{}` has no members; a group needs at least one", Quoted(.group))]
    EmptyGroup {
        /// The group.
        group: String,
    },
    /// A group listing a member twice.
    #[error("group `{}` lists member `{}` twice; list each member once", Quoted(.group), Quoted(.member))]
    DuplicateMember {
        /// The group.
        group: String,
        /// The member.
        member: String,
    },
    /// Cost would go round a cycle of relationship paths forever (under
    /// [`Cycles::Refuse`](crate::Cycles::Refuse)).
    #[error("cost would go round a cycle forever: {}; leave one of its relationships out of the relationship paths", cycle_text(.nodes, *.length))]
    Cycle {
        /// The cycle's nodes in the order cost travels, from the one first in the graph's
        /// order (nodes, then groups); at most [`CYCLE_SHOWN`].
        nodes: Vec<String>,
        /// How many nodes the cycle has.
        length: usize,
    },
    /// Two workers share an id.
    #[error("two workers have id `{}`; worker ids must be unique", Quoted(.id))]
    DuplicateWorker {
        /// The id.
        id: String,
    },
    /// Negative time worked.
    #[error("task `{}`: `{}` worked a negative time; time worked is zero or more", Quoted(.task), Quoted(.user))]
    NegativeTime {
        /// The task.
        task: String,
        /// The worker.
        user: String,
    },
    /// A task's time or a line's amount past 64 bits.
    #[error("task `{}`: its time worked or a line's amount is past what 64 bits hold; check its time entries and rates", Quoted(.task))]
    TaskOverflow {
        /// The task.
        task: String,
    },
    /// A budget that ends before it starts.
    #[error("budget `{}` ends on {end}, before it starts on {start}; the end is on or after the start", Quoted(.name))]
    BudgetEndsBeforeStart {
        /// The budget.
        name: String,
        /// Its start.
        start: NaiveDate,
        /// Its end.
        end: NaiveDate,
    },
    /// A projection asked for before the budget starts.
    #[error("budget `{}` starts on {start}, after {as_of}; project it on its first day or later", Quoted(.name))]
    BeforeBudget {
        /// The budget.
        name: String,
        /// Its start.
        start: NaiveDate,
        /// The day asked for.
        as_of: NaiveDate,
    },
}
