//! The one error type of this crate.

use chrono::{DateTime, Duration, Utc};
use itsm_core::Quoted;
use itsm_core::duration::format;

/// Everything that can go wrong loading a rule set or running it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule's id is empty.
    #[error("rule number {position} has an empty id; every rule needs a unique, non-empty id")]
    EmptyRuleId {
        /// Its position in the list, from 1.
        position: usize,
    },
    /// Two rules share an id.
    #[error("two rules have the id `{}`; ids must be unique", Quoted(.id))]
    DuplicateRule {
        /// The id.
        id: String,
    },
    /// A rule has no actions.
    #[error("rule `{}` has no actions; give it at least one (a notification will do)", Quoted(.rule))]
    NoActions {
        /// The rule.
        rule: String,
    },
    /// A rule's condition nests `all`, `any` and `not` deeper than
    /// [`MAX_CONDITION_DEPTH`](itsm_core::MAX_CONDITION_DEPTH).
    #[error(
        "rule `{}`: its condition nests {depth} deep; at most {max} levels of `all`, `any` and `not` are allowed",
        Quoted(.rule)
    )]
    ConditionTooDeep {
        /// The rule.
        rule: String,
        /// How deep its condition nests.
        depth: usize,
        /// The most allowed.
        max: usize,
    },
    /// A time trigger's delay is negative.
    #[error(
        "rule `{}` fires {} after its anchor; the delay must be zero or positive",
        Quoted(.rule),
        format(*.delay)
    )]
    NegativeDelay {
        /// The rule.
        rule: String,
        /// The delay given.
        delay: Duration,
    },
    /// A burst trigger's window is not positive.
    #[error(
        "rule `{}` counts records within {}; the window must be positive",
        Quoted(.rule),
        format(*.within)
    )]
    InvalidWindow {
        /// The rule.
        rule: String,
        /// The window given.
        within: Duration,
    },
    /// The loop bound is zero.
    #[error("max_changes is 0; it must be at least 1 (the default is 10)")]
    InvalidMaxChanges,
    /// An action names a pool the rule set does not declare.
    #[error(
        "rule `{}` assigns through pool `{}`, which is not declared; declared pools: {}",
        Quoted(.rule),
        Quoted(.pool),
        list(.declared)
    )]
    UnknownPool {
        /// The rule.
        rule: String,
        /// The pool named.
        pool: String,
        /// The pools declared.
        declared: Vec<String>,
    },
    /// A pool has no members.
    #[error("pool `{}` has no members; list at least one person", Quoted(.pool))]
    EmptyPool {
        /// The pool.
        pool: String,
    },
    /// A pool lists a person twice.
    #[error("pool `{}` lists `{}` twice; list each person once", Quoted(.pool), Quoted(.person))]
    DuplicateMember {
        /// The pool.
        pool: String,
        /// The person.
        person: String,
    },
    /// A time rule names a calendar the host did not pass.
    #[error(
        "rule `{}` counts business time on calendar `{}`, which is not among the calendars given; given: {}",
        Quoted(.rule),
        Quoted(.calendar),
        list(.given)
    )]
    UnknownCalendar {
        /// The rule.
        rule: String,
        /// The calendar named.
        calendar: String,
        /// The calendars the host passed.
        given: Vec<String>,
    },
    /// A calendar could not compute a rule's deadline (past its horizon, say).
    #[error("rule `{}`: the deadline on calendar `{}` cannot be computed: {reason}", Quoted(.rule), Quoted(.calendar))]
    Calendar {
        /// The rule.
        rule: String,
        /// The calendar.
        calendar: String,
        /// The calendar's own message.
        reason: String,
    },
    /// A deadline falls outside the range of instants.
    #[error("rule `{}`: its deadline is past the range of representable instants", Quoted(.rule))]
    DateOverflow {
        /// The rule.
        rule: String,
    },
    /// A tick says time went backwards.
    #[error("the tick runs from {since} back to {now}; `since` must not be after `now`")]
    ClockWentBackwards {
        /// The previous tick.
        since: DateTime<Utc>,
        /// This tick.
        now: DateTime<Utc>,
    },
    /// Rules changed one record more often than the bound allows for one event: a loop.
    #[error(
        "rules changed the record {limit} times for one event and would go on; the loop bound is max_changes = {limit}; rules involved: {}",
        list(.rules)
    )]
    LoopBound {
        /// The bound ([`RuleSetSpec::max_changes`](crate::RuleSetSpec::max_changes)).
        limit: u32,
        /// The rules that changed the record, in the order they first fired.
        rules: Vec<String>,
    },
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".to_owned();
    }
    let shown: Vec<String> = items
        .iter()
        .take(10)
        .map(|s| format!("`{}`", Quoted(s)))
        .collect();
    let more = items.len().saturating_sub(10);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
