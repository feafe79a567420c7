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
    /// Two timeframes, tiers or categories of a BIA template share a name.
    #[error("the BIA template has two of kind {kind} named `{}`; names must be unique within a kind", Quoted(.name))]
    DuplicateName {
        /// `timeframe`, `tier` or `category`.
        kind: &'static str,
        /// The name.
        name: String,
    },
    /// Two ratings of one category share a name.
    #[error("category `{}` has two ratings named `{}`; rating names must be unique within a category", Quoted(.category), Quoted(.rating))]
    DuplicateRating {
        /// The category.
        category: String,
        /// The rating.
        rating: String,
    },
    /// A timeframe starts before zero.
    #[error("timeframe `{}` starts at {}, negative; a timeframe is a disruption length, zero or more", Quoted(.name), iso(.starts_at))]
    NegativeTimeframe {
        /// The timeframe.
        name: String,
        /// Its start.
        starts_at: Duration,
    },
    /// A timeframe is named that the template does not define.
    #[error("{used_by} names timeframe `{}`, which the template does not define; use one of its timeframes", Quoted(.name))]
    UnknownTimeframe {
        /// Who names it.
        used_by: String,
        /// The name.
        name: String,
    },
    /// A timeframe is listed by two tiers.
    #[error("timeframe `{}` is in tier `{}` and in tier `{}`; a timeframe belongs to at most one tier", Quoted(.timeframe), Quoted(.first), Quoted(.second))]
    TimeframeInTwoTiers {
        /// The timeframe.
        timeframe: String,
        /// The first tier listing it.
        first: String,
        /// The second.
        second: String,
    },
    /// An RTO category has no ratings.
    #[error("RTO category `{}` has no ratings; it needs at least one (Low, Moderate, High, ...)", Quoted(.category))]
    NoRatings {
        /// The category.
        category: String,
    },
    /// Two ratings of an RTO category share a value.
    #[error("category `{}` has two ratings of value {value}; values must be unique within a category", Quoted(.category))]
    DuplicateRatingValue {
        /// The category.
        category: String,
        /// The value.
        value: u32,
    },
    /// An RTO category has no maximum RTO.
    #[error("RTO category `{}` has no maximum RTO; it is the tolerable downtime when every rating is tolerable, so give one", Quoted(.category))]
    NoMaximumRto {
        /// The category.
        category: String,
    },
    /// A timeframe outside a category's allowed list.
    #[error("category `{}`: {what} is `{}`, not among its timeframes ({}); use one of them", Quoted(.category), Quoted(.timeframe), allowed.join(", "))]
    TimeframeNotAllowed {
        /// The category.
        category: String,
        /// What gives it (`its maximum RTO`, `the answer for Low`).
        what: String,
        /// The timeframe.
        timeframe: String,
        /// The category's timeframes.
        allowed: Vec<String>,
    },
    /// An RPO band whose lower bound is above its upper.
    #[error(
        "the RPO band {lower}..={upper} is reversed; its lower bound must be at most its upper"
    )]
    ReversedBand {
        /// Its lower bound.
        lower: u32,
        /// Its upper bound.
        upper: u32,
    },
    /// Two RPO bands share scores.
    #[error("the RPO bands {}..={} and {}..={} overlap; a score must fall in one band only", first.0, first.1, second.0, second.1)]
    OverlappingBands {
        /// The first band (lower, upper).
        first: (u32, u32),
        /// The second.
        second: (u32, u32),
    },
    /// An answer names a category the template does not have.
    #[error("an answer names category `{}`, which the template does not have", Quoted(.name))]
    UnknownCategory {
        /// The name.
        name: String,
    },
    /// An answer names a rating its category does not have.
    #[error("an answer names rating `{}` of category `{}`, which the category does not have", Quoted(.rating), Quoted(.category))]
    UnknownRating {
        /// The category.
        category: String,
        /// The rating.
        rating: String,
    },
    /// An answer of the wrong kind for its category.
    #[error("category `{}` takes {expected}", Quoted(.category))]
    WrongContribution {
        /// The category.
        category: String,
        /// What it takes.
        expected: &'static str,
    },
    /// Two disruption durations for one rating.
    #[error("rating `{}` of category `{}` is answered twice; give each rating one disruption duration", Quoted(.rating), Quoted(.category))]
    DuplicateAnswer {
        /// The category.
        category: String,
        /// The rating.
        rating: String,
    },
    /// The RTO's timeframe is in no tier.
    #[error("the RTO `{}` is in no recovery tier, so the tier cannot be set; add the timeframe to a tier", Quoted(.timeframe))]
    NoTier {
        /// The timeframe.
        timeframe: String,
    },
    /// A BIA's MTPD is shorter than its RTO.
    #[error("the BIA's MTPD `{}` is shorter than its RTO `{}`; the RTO must be within the MTPD", Quoted(.mtpd), Quoted(.rto))]
    MtpdShorterThanRto {
        /// The RTO's timeframe.
        rto: String,
        /// The MTPD's timeframe.
        mtpd: String,
    },
    /// The RPO score is in no band.
    #[error("the RPO score {score} is in no band of the template; add a band that holds it")]
    NoBand {
        /// The score.
        score: u32,
    },
}
