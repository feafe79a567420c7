//! SLA definitions and conditions: data a vendor configures.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use itsm_calendar::Calendar;
use itsm_core::lifecycle::Category;

use crate::error::Error;

/// A practice-neutral view of a ticket at one moment: what SLA conditions look at. Hosts
/// build it from an incident, a request, a change, or a row of a foreign log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TicketView {
    /// The state, as the practice or vendor names it.
    pub state: String,
    /// What the state means, when known.
    pub category: Option<Category>,
    /// The priority level.
    pub priority: Option<u8>,
    /// The assignment group.
    pub group: Option<String>,
    /// Any other named field.
    pub fields: BTreeMap<String, String>,
    /// Named timestamps (for a retroactive start, for example `opened_at`).
    pub times: BTreeMap<String, DateTime<Utc>>,
}

/// A condition over a [`TicketView`]. In JSON: `"always"`, `{"state_in": ["new"]}`,
/// `{"all": [...]}`, `{"not": {...}}`, ...
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Condition {
    /// Always true.
    Always,
    /// Never true.
    Never,
    /// The state is one of these.
    StateIn(Vec<String>),
    /// The state's category is one of these.
    CategoryIn(Vec<Category>),
    /// The priority is one of these.
    PriorityIn(Vec<u8>),
    /// The assignment group is one of these.
    GroupIn(Vec<String>),
    /// A field has one of these values.
    FieldIn {
        /// The field.
        field: String,
        /// The values.
        values: Vec<String>,
    },
    /// Every condition holds.
    All(Vec<Condition>),
    /// Some condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

impl Condition {
    /// Whether the condition holds for `view`.
    pub fn eval(&self, view: &TicketView) -> bool {
        match self {
            Condition::Always => true,
            Condition::Never => false,
            Condition::StateIn(states) => states.contains(&view.state),
            Condition::CategoryIn(cats) => view.category.is_some_and(|c| cats.contains(&c)),
            Condition::PriorityIn(ps) => view.priority.is_some_and(|p| ps.contains(&p)),
            Condition::GroupIn(gs) => view.group.as_ref().is_some_and(|g| gs.contains(g)),
            Condition::FieldIn { field, values } => {
                view.fields.get(field).is_some_and(|v| values.contains(v))
            }
            Condition::All(cs) => cs.iter().all(|c| c.eval(view)),
            Condition::Any(cs) => cs.iter().any(|c| c.eval(view)),
            Condition::Not(c) => !c.eval(view),
        }
    }
}

/// What the clock measures.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Target {
    /// Time to respond (acknowledge, take ownership).
    Response,
    /// Time to resolve.
    Resolution,
    /// Anything else, by name.
    Custom(String),
}

/// Who the promise is made to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Agreement {
    /// Service level agreement, with the customer.
    Sla,
    /// Operational level agreement, between internal teams.
    Ola,
    /// Underpinning contract, with a supplier.
    UnderpinningContract,
}

/// What a pause does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum PauseMode {
    /// The clock stops and the deadline moves out by the paused business time (ServiceNow,
    /// GLPI).
    Pause,
    /// The clock stops but the deadline stays; what fell due while frozen fires on resume
    /// (Zammad).
    Freeze,
    /// Pause conditions are ignored.
    None,
}

/// What happens when a ticket whose clock was completed by the stop condition starts again
/// (a reopen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ReopenMode {
    /// A new clock (cycle) attaches with the full target (Jira's multi-cycle).
    NewCycle,
    /// The same clock continues; the time spent resolved counts as elapsed.
    Continue,
    /// The same clock continues; the time spent resolved counts as paused.
    PauseWhileResolved,
}

/// An escalation at an offset from the deadline, in business time: negative before it,
/// positive after it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct EscalationRule {
    /// Its name, quoted in events.
    pub name: String,
    /// Seconds of business time from the deadline (negative: before).
    pub offset_seconds: i64,
}

/// An SLA definition: plain data, checked by [`Definitions::new`](crate::Definitions::new).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Definition {
    /// A unique id.
    pub id: String,
    /// What it measures.
    pub target: Target,
    /// Who it is promised to.
    pub agreement: Agreement,
    /// The target, in seconds of business time (of the calendar).
    pub target_seconds: i64,
    /// The calendar's name; `None`: around the clock.
    #[cfg_attr(feature = "serde", serde(default))]
    pub calendar: Option<String>,
    /// When a clock attaches.
    pub start: Condition,
    /// When it completes.
    pub stop: Condition,
    /// When it pauses.
    #[cfg_attr(feature = "serde", serde(default = "never"))]
    pub pause: Condition,
    /// When a paused clock resumes; `None`: when the pause condition no longer holds.
    #[cfg_attr(feature = "serde", serde(default))]
    pub resume: Option<Condition>,
    /// When it is cancelled; `None`: when the start condition no longer holds (ServiceNow's
    /// default).
    #[cfg_attr(feature = "serde", serde(default))]
    pub cancel: Option<Condition>,
    /// When, together with the start condition, it completes and a new clock attaches.
    #[cfg_attr(feature = "serde", serde(default = "never"))]
    pub reset: Condition,
    /// What a pause does.
    pub pause_mode: PauseMode,
    /// A ticket timestamp to count from instead of the attach time (a re-prioritised ticket
    /// counts from creation).
    #[cfg_attr(feature = "serde", serde(default))]
    pub retroactive_start: Option<String>,
    /// Warning thresholds in percent of the target (100 is the breach itself).
    #[cfg_attr(feature = "serde", serde(default))]
    pub thresholds: Vec<u16>,
    /// Escalations at offsets from the deadline.
    #[cfg_attr(feature = "serde", serde(default))]
    pub escalations: Vec<EscalationRule>,
    /// What a reopen does.
    pub reopen: ReopenMode,
}

#[cfg(feature = "serde")]
fn never() -> Condition {
    Condition::Never
}

impl Definition {
    /// The target as a duration.
    pub fn target(&self) -> Duration {
        Duration::try_seconds(self.target_seconds).unwrap_or(Duration::MAX)
    }

    /// Whether the clock should cancel for `view` (explicit condition, or start no longer
    /// true).
    pub(crate) fn cancels(&self, view: &TicketView) -> bool {
        match &self.cancel {
            Some(c) => c.eval(view),
            None => !self.start.eval(view),
        }
    }

    /// Whether a paused clock should resume for `view`.
    pub(crate) fn resumes(&self, view: &TicketView) -> bool {
        match &self.resume {
            Some(c) => c.eval(view),
            None => !self.pause.eval(view),
        }
    }
}

/// Which definitions attach when several match at once, per [`Target`] kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Selection {
    /// Every matching definition attaches (ServiceNow).
    All,
    /// The first matching one in list order, and only if no clock of that target kind is
    /// running.
    FirstMatch,
    /// The matching one with the shortest target, and only if no clock of that target kind
    /// is running (iTop).
    ShortestTarget,
}

/// Compiled calendars by name, as definitions refer to them.
pub type Calendars = BTreeMap<String, Calendar>;

/// A checked list of definitions with the rule for several matching at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definitions {
    list: Vec<Definition>,
    selection: Selection,
}

impl Definitions {
    /// Checks and keeps the definitions, in order.
    ///
    /// # Errors
    /// [`Error::DuplicateDefinition`], [`Error::NonPositiveTarget`], [`Error::TargetTooLong`].
    pub fn new(list: Vec<Definition>, selection: Selection) -> Result<Self, Error> {
        let mut ids = std::collections::BTreeSet::new();
        for d in &list {
            if !ids.insert(d.id.as_str()) {
                return Err(Error::DuplicateDefinition { id: d.id.clone() });
            }
            if d.target_seconds <= 0 {
                return Err(Error::NonPositiveTarget {
                    id: d.id.clone(),
                    seconds: d.target_seconds,
                });
            }
            if d.target_seconds > MAX_TARGET_SECONDS {
                return Err(Error::TargetTooLong {
                    id: d.id.clone(),
                    seconds: d.target_seconds,
                    max: MAX_TARGET_SECONDS,
                });
            }
        }
        Ok(Definitions { list, selection })
    }

    /// The definitions, in order.
    pub fn list(&self) -> &[Definition] {
        &self.list
    }

    /// The selection rule.
    pub fn selection(&self) -> Selection {
        self.selection
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Definition> {
        self.list.iter().find(|d| d.id == id)
    }
}

/// The longest target: 200 years, so every target fits in nanoseconds with room for pauses.
pub const MAX_TARGET_SECONDS: i64 = 200 * 366 * 86_400;
