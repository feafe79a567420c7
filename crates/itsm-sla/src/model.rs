//! Clock state: what folding a ticket's SLA events gives.

use chrono::{DateTime, Duration, Utc};

use crate::definition::Target;
use crate::event::Event;

/// What the clock is doing.
///
/// Hosts match it exhaustively: a new stage would be a breaking change, listed in the
/// changelog.
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
    /// Canceled (by the cancel condition; by default, the start condition no longer holds).
    Canceled,
}

/// Something due at an instant. Hosts match it exhaustively, as they match [`Event`]: each
/// kind fires as its own event.
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

/// An alarm still to fire: part of a [`Clock`]'s state, read through getters. Alarms order
/// by instant first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Alarm {
    pub(crate) at: DateTime<Utc>,
    pub(crate) kind: AlarmKind,
}

impl Alarm {
    /// When it falls due.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// What falls due.
    pub fn kind(&self) -> &AlarmKind {
        &self.kind
    }
}

/// One SLA clock on one ticket: state, made and changed only by folding [`Event`]s, read
/// through getters.
///
/// Business time is time the definition's calendar is open (all time without a calendar);
/// wall time is all time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Clock {
    pub(crate) definition: String,
    pub(crate) kind: Target,
    pub(crate) cycle: u32,
    pub(crate) stage: Stage,
    pub(crate) breached: bool,
    pub(crate) attached_at: DateTime<Utc>,
    pub(crate) start: DateTime<Utc>,
    pub(crate) original_deadline: DateTime<Utc>,
    pub(crate) deadline: DateTime<Utc>,
    pub(crate) paused_since: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    pub(crate) paused_business: Duration,
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    pub(crate) paused_actual: Duration,
    pub(crate) ended_at: Option<DateTime<Utc>>,
    pub(crate) alarms: Vec<Alarm>,
    /// The calendar it counts on when the ticket chose it (schedule or zone source);
    /// `None`: its definition's.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub(crate) calendar: Option<String>,
    /// Its target when it is not its definition's (a relative target, a recomputed goal).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "itsm_core::duration::option"
        )
    )]
    pub(crate) target: Option<Duration>,
}

impl Clock {
    /// The definition's id.
    pub fn definition(&self) -> &str {
        &self.definition
    }

    /// What it measures (its definition's [`kind`](crate::Definition::kind)).
    pub fn kind(&self) -> &Target {
        &self.kind
    }

    /// 1 for the first clock of this definition on the ticket, then 2, ...
    pub fn cycle(&self) -> u32 {
        self.cycle
    }

    /// Its stage.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Whether the deadline passed while it ran (or, frozen, before it completed).
    pub fn is_breached(&self) -> bool {
        self.breached
    }

    /// When it attached.
    pub fn attached_at(&self) -> DateTime<Utc> {
        self.attached_at
    }

    /// When it counts from (earlier than [`attached_at`](Clock::attached_at) for a
    /// retroactive start).
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The deadline as first computed, never moved.
    pub fn original_deadline(&self) -> DateTime<Utc> {
        self.original_deadline
    }

    /// The deadline now (moved out by pauses in [`PauseMode::Pause`](crate::PauseMode::Pause)).
    pub fn deadline(&self) -> DateTime<Utc> {
        self.deadline
    }

    /// Since when it is paused, if it is. A clock that completes or is canceled while paused
    /// keeps it: its last pause runs to [`ended_at`](Clock::ended_at) (and, after a reopen,
    /// on to the reopen).
    pub fn paused_since(&self) -> Option<DateTime<Utc>> {
        self.paused_since
    }

    /// Business time paused in completed pauses ([`measure`](crate::measure) adds the
    /// current one).
    pub fn paused_business(&self) -> Duration {
        self.paused_business
    }

    /// Wall time paused in completed pauses ([`measure`](crate::measure) adds the current
    /// one).
    pub fn paused_actual(&self) -> Duration {
        self.paused_actual
    }

    /// When it completed or was canceled.
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.ended_at
    }

    /// Alarms still to fire, earliest first.
    pub fn alarms(&self) -> &[Alarm] {
        &self.alarms
    }

    /// The calendar it counts on when the ticket chose it
    /// ([`Definition::calendar_for`](crate::Definition::calendar_for) differs from the
    /// definition's calendar); `None`: its definition's.
    pub fn calendar(&self) -> Option<&str> {
        self.calendar.as_deref()
    }

    /// Its own target, when it is not its definition's: a
    /// [relative target](crate::RelativeTarget) made business time at the attach, or a goal
    /// recomputed by [`Selection::ShortestTargetRecomputed`](crate::Selection::ShortestTargetRecomputed).
    pub fn target(&self) -> Option<Duration> {
        self.target
    }

    pub(crate) fn running(&self) -> bool {
        matches!(self.stage, Stage::InProgress | Stage::Paused)
    }
}

/// All SLA clocks of one ticket: the state that [`decide`](crate::decide) reads and
/// [`evolve`](crate::evolve) (or [`Clocks::apply`]) folds events into.
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

    /// The latest instant of the events folded in: [`decide`](crate::decide) refuses inputs
    /// before it. The clocks are a pure fold of their events, so an input that changed
    /// nothing leaves no trace here; a host that must refuse such inputs too keeps their
    /// times itself (as [`replay`](crate::replay) does).
    pub fn last_input(&self) -> Option<DateTime<Utc>> {
        self.last
    }

    /// Folds `events` into the clocks in place, as [`evolve`](crate::evolve) does one by
    /// one: a host holding `&mut Clocks` stores the events [`decide`](crate::decide)
    /// returned, then applies them.
    ///
    /// ```
    /// use itsm_sla::chrono::{Duration, TimeZone, Utc};
    /// use itsm_sla::{Calendars, Category, Clocks, Context, Definition, Definitions, Input};
    /// use itsm_sla::{Selection, Stage, Target, TicketView, decide};
    ///
    /// let resolution = Definition::new("resolution", Target::Resolution, Duration::hours(8));
    /// let definitions = Definitions::new(vec![resolution], Selection::All)?;
    /// let calendars = Calendars::new();
    /// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    ///
    /// let mut clocks = Clocks::new();
    /// let input = Input::Update(TicketView::new("new", Category::New));
    /// let events = decide(&clocks, &input, &Context::new(now, &definitions, &calendars))?;
    /// clocks.apply(&events);
    /// assert_eq!(clocks.clocks()[0].stage(), Stage::InProgress);
    /// assert_eq!(clocks.last_input(), Some(now));
    /// # Ok::<(), itsm_sla::Error>(())
    /// ```
    pub fn apply<'e>(&mut self, events: impl IntoIterator<Item = &'e Event>) {
        for event in events {
            crate::machine::apply(self, event);
        }
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
