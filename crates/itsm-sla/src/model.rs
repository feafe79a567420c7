//! Clock state: what folding a ticket's SLA events gives.

use chrono::{DateTime, Utc};

use crate::definition::Target;

/// What the clock is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Stage {
    /// Running.
    InProgress,
    /// Paused or frozen.
    Paused,
    /// Stopped by the stop condition (or by a reset).
    Completed,
    /// Cancelled.
    Cancelled,
}

/// Something due at an instant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", content = "value", rename_all = "snake_case")
)]
pub enum AlarmKind {
    /// A warning threshold, in percent.
    Threshold(u16),
    /// The deadline.
    Breach,
    /// An escalation, by name.
    Escalation(String),
}

/// An alarm still to fire.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Alarm {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: AlarmKind,
}

/// One SLA clock on one ticket. Durations are in nanoseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Clock {
    /// The definition's id.
    pub definition: String,
    /// What it measures.
    pub target: Target,
    /// 1 for the first clock of this definition on the ticket, then 2, ...
    pub cycle: u32,
    /// Its stage.
    pub stage: Stage,
    /// Whether the deadline has passed while it ran.
    pub breached: bool,
    /// When it attached.
    pub attached_at: DateTime<Utc>,
    /// When it counts from (earlier than `attached_at` for a retroactive start).
    pub start: DateTime<Utc>,
    /// The deadline as first computed, never moved.
    pub original_deadline: DateTime<Utc>,
    /// The deadline now (moved out by pauses in [`PauseMode::Pause`]).
    pub deadline: DateTime<Utc>,
    /// Since when it is paused, if it is. A clock that completes or is cancelled while paused
    /// keeps it: its last pause runs to `ended_at` (and, after a reopen, on to the reopen).
    pub paused_since: Option<DateTime<Utc>>,
    /// Paused business time so far (completed pauses).
    pub paused_business_ns: i64,
    /// Paused wall time so far (completed pauses).
    pub paused_actual_ns: i64,
    /// When it completed or was cancelled.
    pub ended_at: Option<DateTime<Utc>>,
    /// Alarms still to fire, earliest first.
    pub alarms: Vec<Alarm>,
}

impl Clock {
    pub(crate) fn running(&self) -> bool {
        matches!(self.stage, Stage::InProgress | Stage::Paused)
    }
}

/// All SLA clocks of one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Clocks {
    pub(crate) clocks: Vec<Clock>,
    pub(crate) last: Option<DateTime<Utc>>,
}

impl Clocks {
    /// No clocks yet.
    pub fn new() -> Self {
        Clocks::default()
    }

    /// Every clock, in attach order.
    pub fn clocks(&self) -> &[Clock] {
        &self.clocks
    }

    /// The latest instant of the events folded in: [`decide`] refuses inputs before it. The
    /// clocks are a pure fold of their events, so an input that changed nothing leaves no
    /// trace here; a host that must refuse such inputs too keeps their times itself (as
    /// [`replay`] does).
    pub fn last_input(&self) -> Option<DateTime<Utc>> {
        self.last
    }

    pub(crate) fn latest(&self, definition: &str) -> Option<&Clock> {
        self.clocks
            .iter()
            .rev()
            .find(|c| c.definition == definition)
    }

    pub(crate) fn latest_mut(&mut self, definition: &str, cycle: u32) -> Option<&mut Clock> {
        self.clocks
            .iter_mut()
            .rev()
            .find(|c| c.definition == definition && c.cycle == cycle)
    }
}
