//! SLA definitions (the spec a vendor writes) and the checked list of definitions. The
//! views and conditions they use are itsm-core's, shared with automation rules.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use itsm_calendar::Calendar;
use itsm_core::{Category, Condition, TicketView};

use crate::error::Error;

/// What a clock measures: its kind. [`Selection`] and [`counterfactual`](crate::counterfactual)
/// group clocks by it.
///
/// Hosts may match it exhaustively: a new kind is a [`Target::Custom`] name.
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub enum ReopenMode {
    /// A new clock (cycle) attaches with the full target (Jira's multi-cycle).
    NewCycle,
    /// The same clock continues; the time spent resolved counts as elapsed.
    Continue,
    /// The same clock continues; the time spent resolved counts as paused.
    PauseWhileResolved,
}

/// An escalation at an offset from the deadline, in business time: negative before it,
/// positive after it. In JSON: `{"name": "duty manager", "offset": "-PT1H"}`; in Rust,
/// [`EscalationRule::new`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct EscalationRule {
    /// Its name, quoted in events.
    pub name: String,
    /// Business time from the deadline (negative: before it). In JSON an ISO 8601 duration
    /// (`"-PT1H"`).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub offset: Duration,
}

impl EscalationRule {
    /// An escalation `offset` from the deadline (negative: before it).
    pub fn new(name: impl Into<String>, offset: Duration) -> Self {
        EscalationRule {
            name: name.into(),
            offset,
        }
    }
}

/// An SLA definition: plain data, checked by [`Definitions::new`]. In Rust, build one with
/// [`Definition::new`] and adjust its public fields.
///
/// In JSON, `id`, `kind`, `agreement`, `target`, `start`, `stop`, `pause_mode` and `reopen`
/// are required; the others default to none (no calendar, never pause, never reset, no
/// thresholds or escalations): a file states what it wants, while [`Definition::new`] gives
/// the usual resolution-style defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Definition {
    /// A unique id.
    pub id: String,
    /// What it measures.
    pub kind: Target,
    /// Who it is promised to.
    pub agreement: Agreement,
    /// The target: business time (of the calendar) from start to deadline. In JSON an ISO
    /// 8601 duration (`"PT4H"`, `"P3D"`: a day is 24 hours, so on an office calendar write
    /// business hours, `"PT27H"` for three 9-hour days).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub target: Duration,
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
    /// When it is canceled; `None`: when the start condition no longer holds (ServiceNow's
    /// default).
    #[cfg_attr(feature = "serde", serde(default))]
    pub cancel: Option<Condition>,
    /// When, together with the start condition, it completes and a new clock attaches.
    #[cfg_attr(feature = "serde", serde(default = "never"))]
    pub reset: Condition,
    /// What a pause does.
    pub pause_mode: PauseMode,
    /// A ticket timestamp (a key of [`TicketView::times`]) to count from instead of the
    /// attach time, so that a re-prioritised ticket counts from creation. When the view has
    /// no such time, or it lies after the attach, the clock counts from the attach, as
    /// ServiceNow does with an empty retroactive field; the clock's
    /// [`start`](crate::Clock::start) shows which applied.
    #[cfg_attr(feature = "serde", serde(default))]
    pub retroactive_start: Option<String>,
    /// Warning thresholds in percent of the target. 100 is the breach itself and 0 would
    /// fire on attach: neither adds an alarm, and [`check`](crate::check) reports 0, values
    /// over 1000 and repeats.
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
    /// A definition of `kind` with `target` business time and the defaults of a resolution
    /// SLA as most tools ship it:
    ///
    /// | field | default |
    /// |---|---|
    /// | `agreement` | [`Agreement::Sla`] |
    /// | `calendar` | `None`: around the clock |
    /// | `start` | any ticket not in the [`Category::Canceled`] category |
    /// | `stop` | categories [`Resolved`](Category::Resolved) and [`Closed`](Category::Closed) |
    /// | `pause` | category [`Pending`](Category::Pending) (on hold, awaiting the caller) |
    /// | `resume` | `None`: when the pause condition no longer holds |
    /// | `cancel` | `None`: when the start condition no longer holds (the ticket is canceled) |
    /// | `reset` | [`Condition::Never`] |
    /// | `pause_mode` | [`PauseMode::Pause`]: the deadline moves out by the time paused |
    /// | `retroactive_start` | `None`: count from the attach |
    /// | `thresholds`, `escalations` | none: only the breach |
    /// | `reopen` | [`ReopenMode::NewCycle`]: a reopened ticket gets a new clock |
    ///
    /// Narrow `start` to the tickets it applies to (a priority, a service) and adjust the
    /// rest through the public fields; [`Definitions::new`] checks the result.
    ///
    /// ```
    /// use itsm_sla::chrono::Duration;
    /// use itsm_sla::{Category, Condition, Definition, EscalationRule, Target, TicketView};
    ///
    /// let d = Definition::new("resolution", Target::Resolution, Duration::hours(8));
    /// let on_hold = TicketView::new("on_hold", Category::Pending);
    /// assert!(d.start.eval(&on_hold) && d.pause.eval(&on_hold) && !d.stop.eval(&on_hold));
    /// assert!(!d.start.eval(&TicketView::new("canceled", Category::Canceled)));
    ///
    /// // Priority 1 on office hours, with warnings and an escalation an hour before.
    /// let mut p1 = Definition::new("p1-resolution", Target::Resolution, Duration::hours(4));
    /// p1.start = Condition::PriorityIn(vec![1]);
    /// p1.calendar = Some("office".into());
    /// p1.thresholds = vec![50, 75];
    /// p1.escalations.push(EscalationRule::new("duty manager", -Duration::hours(1)));
    /// ```
    pub fn new(id: impl Into<String>, kind: Target, target: Duration) -> Self {
        Definition {
            id: id.into(),
            kind,
            agreement: Agreement::Sla,
            target,
            calendar: None,
            start: Condition::Not(Box::new(Condition::CategoryIn(vec![Category::Canceled]))),
            stop: Condition::CategoryIn(vec![Category::Resolved, Category::Closed]),
            pause: Condition::CategoryIn(vec![Category::Pending]),
            resume: None,
            cancel: None,
            reset: Condition::Never,
            pause_mode: PauseMode::Pause,
            retroactive_start: None,
            thresholds: Vec::new(),
            escalations: Vec::new(),
            reopen: ReopenMode::NewCycle,
        }
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
#[non_exhaustive]
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

/// Compiled calendars by the names definitions give them in [`Definition::calendar`].
///
/// Compile each calendar once (for the years the clocks will span) and share the map.
///
/// ```
/// use itsm_sla::chrono::{Duration, NaiveDate, Utc};
/// use itsm_sla::{Calendar, CalendarSpec, Calendars, Segment, Week};
///
/// let mut office = CalendarSpec::always_open("office");
/// office.week = Week::weekdays(&[Segment::parse("09:00", "17:00")?]);
/// let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// let to = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
/// let mut calendars = Calendars::new();
/// calendars.insert("office".into(), Calendar::compile(&office, &Utc, from, to)?);
/// assert_eq!(calendars["office"].total_open(), Duration::hours(8 * 261));
/// # Ok::<(), itsm_sla::Error>(())
/// ```
pub type Calendars = BTreeMap<String, Calendar>;

/// The longest target: 200 years, so that every target, with its pauses, fits in the
/// nanoseconds that business-time arithmetic uses.
pub const MAX_TARGET: Duration = Duration::days(200 * 366);

/// The compiled form of a list of [`Definition`]s: checked, in order, with the rule for
/// several matching at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definitions {
    list: Vec<Definition>,
    selection: Selection,
}

impl Definitions {
    /// Checks and keeps the definitions, in order.
    ///
    /// # Errors
    /// [`Error::DuplicateDefinition`] when two definitions share an id;
    /// [`Error::NonPositiveTarget`] or [`Error::TargetTooLong`] when a target is not in
    /// `(0, MAX_TARGET]`.
    ///
    /// ```
    /// use itsm_sla::chrono::Duration;
    /// use itsm_sla::{Condition, Definition, Definitions, Error, Selection, Target};
    ///
    /// let mut p1 = Definition::new("p1-resolution", Target::Resolution, Duration::hours(4));
    /// p1.start = Condition::PriorityIn(vec![1]);
    /// let mut p2 = Definition::new("p2-resolution", Target::Resolution, Duration::hours(8));
    /// p2.start = Condition::PriorityIn(vec![2]);
    /// let definitions = Definitions::new(vec![p1.clone(), p2], Selection::All)?;
    /// assert_eq!(definitions.list().len(), 2);
    ///
    /// let refused = Definitions::new(vec![p1.clone(), p1], Selection::All);
    /// assert_eq!(refused, Err(Error::DuplicateDefinition { id: "p1-resolution".into() }));
    /// # Ok::<(), itsm_sla::Error>(())
    /// ```
    pub fn new(list: Vec<Definition>, selection: Selection) -> Result<Self, Error> {
        let mut ids = BTreeSet::new();
        for d in &list {
            if !ids.insert(d.id.as_str()) {
                return Err(Error::DuplicateDefinition { id: d.id.clone() });
            }
            if d.target <= Duration::zero() {
                return Err(Error::NonPositiveTarget {
                    id: d.id.clone(),
                    target: d.target,
                });
            }
            if d.target > MAX_TARGET {
                return Err(Error::TargetTooLong {
                    id: d.id.clone(),
                    target: d.target,
                    max: MAX_TARGET,
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

    /// The definition with this id.
    pub fn get(&self, id: &str) -> Option<&Definition> {
        self.list.iter().find(|d| d.id == id)
    }
}
