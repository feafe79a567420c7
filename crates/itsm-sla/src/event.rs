//! Events: past-tense facts about a ticket's SLA clocks.

use chrono::{DateTime, Duration, Utc};

use crate::model::{Alarm, Clock};

/// Everything that happens to a ticket's SLA clocks: past-tense facts, each carrying the
/// instant it happened at and everything [`evolve`](crate::evolve) needs. In JSON each
/// carries a `type` tag (`"attached"`, `"paused"`, ...) and durations are ISO 8601 strings.
///
/// Hosts match it exhaustively: a new event would be a breaking change, listed in the
/// changelog.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum Event {
    /// A clock attached.
    Attached {
        /// The clock as it starts.
        clock: Box<Clock>,
    },
    /// A clock paused (or froze).
    Paused {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// A clock resumed, or a completed one continued after a reopen.
    Resumed {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
        /// Whether this continues a completed clock after a reopen.
        reopened: bool,
        /// Paused business time in total.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        paused_business: Duration,
        /// Paused wall time in total.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        paused_actual: Duration,
        /// The deadline now.
        deadline: DateTime<Utc>,
        /// The alarms still to fire, recomputed.
        alarms: Vec<Alarm>,
    },
    /// A warning threshold was reached.
    ThresholdReached {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// The threshold.
        percent: u16,
        /// When it was reached.
        at: DateTime<Utc>,
    },
    /// The deadline passed.
    Breached {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// The deadline.
        at: DateTime<Utc>,
    },
    /// An escalation fell due.
    EscalationDue {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// The escalation's name.
        name: String,
        /// When it fell due.
        at: DateTime<Utc>,
    },
    /// The stop condition (or a reset) completed the clock.
    Completed {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
        /// Whether it ended breached.
        breached: bool,
    },
    /// The clock was canceled.
    Canceled {
        /// The definition.
        definition: String,
        /// The cycle.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// A running clock moved to another definition of its target kind, whose goal now
    /// applies ([`Selection::ShortestTargetRecomputed`](crate::Selection::ShortestTargetRecomputed),
    /// iTop's recomputation on every update): its start and time paused stay, its goal,
    /// deadline and alarms change.
    Retargeted {
        /// The definition it ran under.
        definition: String,
        /// Its cycle under that definition.
        cycle: u32,
        /// When.
        at: DateTime<Utc>,
        /// The definition it runs under now.
        to: String,
        /// Its cycle under that definition.
        to_cycle: u32,
        /// The calendar it keeps, when not the new definition's.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        calendar: Option<String>,
        /// The new goal.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        target: Duration,
        /// The deadline of the new goal without pauses.
        original_deadline: DateTime<Utc>,
        /// The deadline now.
        deadline: DateTime<Utc>,
        /// The alarms still to fire, recomputed.
        alarms: Vec<Alarm>,
    },
}
