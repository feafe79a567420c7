//! The one error type of this crate.

use chrono::Duration;
use itsm_core::Quoted;

/// Writes a duration as ISO 8601 (`PT4H`), as the JSON has it.
fn iso(d: &Duration) -> String {
    itsm_core::duration::format(*d)
}

/// Everything that makes a continuity spec, a disruption or a business impact analysis
/// impossible to evaluate. Each variant says what was found and what is allowed; ids are
/// quoted capped and escaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A record or a disruption names a node the graph does not have.
    #[error("{list} name node `{}`, which the graph does not have; use one of its node ids", Quoted(.id))]
    UnknownNode {
        /// Where it was named (`the objectives`, `the capabilities`, `the disruption`).
        list: &'static str,
        /// The id.
        id: String,
    },
    /// A node appears twice in one list.
    #[error("{list} name node `{}` twice; give each node at most one record", Quoted(.id))]
    DuplicateNode {
        /// The list (`the objectives`, `the capabilities`).
        list: &'static str,
        /// The id.
        id: String,
    },
    /// A record or a disruption names a redundancy group.
    #[error("{list} name redundancy group `{}`; a group has no objective, recovery time or outage of its own (it is up or down by its members), so name its members", Quoted(.id))]
    GroupNamed {
        /// Where it was named.
        list: &'static str,
        /// The group's id.
        id: String,
    },
    /// A duration is negative.
    #[error("node `{}`: {field} is {}, negative; a recovery time or point is zero or more", Quoted(.id), iso(.value))]
    NegativeDuration {
        /// The node.
        id: String,
        /// The field (`rto`, `rpo`, `mtpd`, `rta`, `rpa`).
        field: &'static str,
        /// The value given.
        value: Duration,
    },
    /// A maximum tolerable period of disruption shorter than the recovery time objective.
    #[error("node `{}`: the MTPD {} is shorter than the RTO {}; the RTO must be within the MTPD", Quoted(.id), iso(.mtpd), iso(.rto))]
    MtpdBeforeRto {
        /// The node.
        id: String,
        /// Its RTO.
        rto: Duration,
        /// Its MTPD.
        mtpd: Duration,
    },
    /// A disruption names a location no node of the graph has.
    #[error("the disruption names location `{}`, which no node of the graph has; use a node's location", Quoted(.location))]
    UnknownLocation {
        /// The location.
        location: String,
    },
    /// A time past what a duration can hold (about 292 million years).
    #[error("node `{}` is back only after more time than a duration can hold; check the recovery times along its dependencies", Quoted(.id))]
    Overflow {
        /// The node.
        id: String,
    },
    /// A business impact analysis template is not usable; the message says why.
    #[error("the BIA template: {reason}")]
    Template {
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// An answer of a business impact analysis does not fit its template.
    #[error("the BIA's answers: {reason}")]
    Answer {
        /// What is wrong and what is allowed.
        reason: String,
    },
}
