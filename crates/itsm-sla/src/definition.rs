//! SLA definitions (the spec a vendor writes) and the checked list of definitions. The
//! views and conditions they use are itsm-core's, shared with automation rules.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use itsm_calendar::Calendar;
use itsm_core::{Category, Condition, TicketView, ViewField};

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
    /// Where a retroactive start counts from in a new cycle (after a reset or a reopen in
    /// [`ReopenMode::NewCycle`]); default [`CycleStart::FromAttach`].
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_default"))]
    pub new_cycle_start: CycleStart,
    /// With a retroactive start, whether the time the ticket spent paused (by this
    /// definition's pause condition) between that start and the attach counts as paused
    /// (ServiceNow's "retroactive pause"; [`PauseMode::Pause`] only). The history is read
    /// from the view's chain of [`previous`](TicketView::previous) views, each dated by
    /// its `updated_at` (when it took effect); [`replay`](crate::replay) builds that chain.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_default"))]
    pub retroactive_pause: bool,
    /// A field of the view that names the calendar (ServiceNow's schedule source "task
    /// field"); when the view leaves it empty, [`calendar`](Definition::calendar) applies.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub calendar_from: Option<ViewField>,
    /// Where the calendar's time zone comes from; default [`ZoneSource::Calendar`].
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_default"))]
    pub zone_source: ZoneSource,
    /// The SLA definition's time zone: what [`ZoneSource::Definition`] selects and the
    /// fallback of the other sources (an IANA name, `"UTC"` or an offset, as the calendar
    /// specs write them).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub zone: Option<String>,
    /// A deadline relative to the start instead of `target` business time (then `target`
    /// is not used for the deadline). Needs a calendar.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub relative: Option<RelativeTarget>,
}

#[cfg(feature = "serde")]
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
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
            new_cycle_start: CycleStart::FromAttach,
            retroactive_pause: false,
            calendar_from: None,
            zone_source: ZoneSource::Calendar,
            zone: None,
            relative: None,
        }
    }

    /// The calendar a clock attached for `view` counts on, among `calendars`: the name
    /// from [`calendar_from`](Definition::calendar_from), else [`calendar`](Definition::calendar),
    /// suffixed `@zone` with the first zone found ([`zone_source`](Definition::zone_source)'s
    /// field of the view, then [`zone`](Definition::zone)) whose calendar the host passed.
    /// A name or zone the host did not pass falls back to the next, as ServiceNow falls
    /// back to a default zone, so a ticket with an unexpected value still gets a clock (the
    /// clock's [`calendar`](crate::Clock::calendar) shows which applied). `None`: around
    /// the clock.
    ///
    /// ```
    /// use itsm_sla::chrono::Duration;
    /// use itsm_sla::{Calendar, CalendarSpec, Calendars, Category, Definition, Target};
    /// use itsm_sla::{TicketView, ZoneSource};
    ///
    /// let mut calendars = Calendars::new();
    /// for (name, zone) in [("office", "UTC"), ("office@+09:00", "+09:00")] {
    ///     let mut spec = CalendarSpec::always_open(name);
    ///     spec.zone = Some(zone.into());
    ///     calendars.insert(name.into(), Calendar::new(&spec)?);
    /// }
    /// let mut d = Definition::new("resolution", Target::Resolution, Duration::hours(8));
    /// d.calendar = Some("office".into());
    /// d.zone_source = ZoneSource::Caller;
    /// let mut view = TicketView::new("new", Category::New);
    /// assert_eq!(d.calendar_for(&view, &calendars).as_deref(), Some("office"));
    /// view.fields.insert("caller_time_zone".into(), "+09:00".into());
    /// assert_eq!(d.calendar_for(&view, &calendars).as_deref(), Some("office@+09:00"));
    /// // A zone the host compiled no calendar for: the calendar as named.
    /// view.fields.insert("caller_time_zone".into(), "+05:00".into());
    /// assert_eq!(d.calendar_for(&view, &calendars).as_deref(), Some("office"));
    /// # Ok::<(), itsm_sla::Error>(())
    /// ```
    pub fn calendar_for(&self, view: &TicketView, calendars: &Calendars) -> Option<String> {
        self.choose_calendar(view, calendars).0
    }

    /// The calendar chosen for `view` and the zone its local times are read in (the zone
    /// of an `@zone` calendar, else [`zone`](Definition::zone)).
    pub(crate) fn choose_calendar(
        &self,
        view: &TicketView,
        calendars: &Calendars,
    ) -> (Option<String>, Option<String>) {
        let mut names: Vec<String> = Vec::new();
        let from_ticket = self
            .calendar_from
            .as_ref()
            .and_then(|f| view.get(f))
            .filter(|n| !n.is_empty());
        for name in from_ticket.into_iter().chain(self.calendar.clone()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let zones = self.zones_for(view);
        for name in &names {
            for zone in &zones {
                let key = format!("{name}@{zone}");
                if calendars.contains_key(&key) {
                    return (Some(key), Some(zone.clone()));
                }
            }
            if calendars.contains_key(name) {
                return (Some(name.clone()), self.zone.clone());
            }
        }
        // Nothing the host passed: the definition's own calendar, so that the error names
        // what the configuration lacks.
        let fallback = self.calendar.clone().or_else(|| names.first().cloned());
        (
            fallback,
            zones.first().cloned().or_else(|| self.zone.clone()),
        )
    }

    /// The time zones [`zone_source`](Definition::zone_source) names for `view`, in the order
    /// they are tried: the view's field, then [`zone`](Definition::zone). None for
    /// [`ZoneSource::Calendar`].
    pub fn zones_for(&self, view: &TicketView) -> Vec<String> {
        if self.zone_source == ZoneSource::Calendar {
            return Vec::new();
        }
        let mut zones: Vec<String> = Vec::new();
        let from_ticket = self
            .zone_source
            .field()
            .and_then(|f| view.fields.get(f))
            .filter(|z| !z.is_empty())
            .cloned();
        for zone in from_ticket.into_iter().chain(self.zone.clone()) {
            if !zones.contains(&zone) {
                zones.push(zone);
            }
        }
        zones
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
    /// running. A reopen of a continue-style [`ReopenMode`] is a candidate like any other:
    /// it continues only if no clock of that target kind is running.
    FirstMatch,
    /// The matching one with the shortest target, and only if no clock of that target kind
    /// is running; a running clock keeps its definition when the ticket changes (our
    /// convention). Reopens compete as in [`Selection::FirstMatch`].
    ShortestTarget,
    /// iTop's: one clock per target kind whose goal is recomputed on every update. The
    /// matching definition with the shortest target attaches when no clock of that kind is
    /// running; when another definition of the kind becomes the shortest match while a clock
    /// runs, the clock moves to it ([`Event::Retargeted`](crate::Event::Retargeted)),
    /// keeping the time spent and the time paused: only the goal, the deadline and the
    /// alarms change. Only a definition that counts on the clock's calendar for the ticket
    /// takes it over (its time spent is business time on that calendar), and the goal is
    /// the definition's `target` (a [`RelativeTarget`] is not recomputed).
    ShortestTargetRecomputed,
}

/// Where a retroactive start counts from when a clock attaches as a new cycle (after a
/// reset, or a reopen in [`ReopenMode::NewCycle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum CycleStart {
    /// From the new cycle's attach: it does not re-count the cycle before (our default).
    #[default]
    FromAttach,
    /// From the field named by [`Definition::retroactive_start`] again, as ServiceNow
    /// does: a new cycle after a reopen counts from, say, the ticket's creation, so it
    /// starts late (often breached at once).
    FromField,
}

/// Where the time zone of a clock's calendar comes from (ServiceNow's "Timezone source").
///
/// A zone found selects the calendar named `"{calendar}@{zone}"` in the [`Calendars`] the
/// host passes (`"office@Europe/Berlin"`: the host compiles the office hours in each zone
/// it serves). When the source has no value, the definition's [`zone`](Definition::zone)
/// applies (ServiceNow falls back to a default zone); without one, the calendar as named,
/// in its own zone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ZoneSource {
    /// The calendar's own zone (the default; [`Definition::zone`] is not read).
    #[default]
    Calendar,
    /// The SLA definition's time zone, [`Definition::zone`].
    Definition,
    /// The caller's time zone: the view's field `caller_time_zone`.
    Caller,
    /// The time zone of the caller's location: the view's field
    /// `caller_location_time_zone`.
    CallerLocation,
    /// The time zone of the configuration item's location: the view's field
    /// `config_item_location_time_zone`.
    ConfigItemLocation,
    /// The time zone of the assignment group's location: the view's field
    /// `group_location_time_zone`.
    GroupLocation,
    /// Any named field of the view.
    Field(String),
}

impl ZoneSource {
    /// The key of [`TicketView::fields`] this source reads, if it reads one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ZoneSource::Calendar | ZoneSource::Definition => None,
            ZoneSource::Caller => Some("caller_time_zone"),
            ZoneSource::CallerLocation => Some("caller_location_time_zone"),
            ZoneSource::ConfigItemLocation => Some("config_item_location_time_zone"),
            ZoneSource::GroupLocation => Some("group_location_time_zone"),
            ZoneSource::Field(name) => Some(name),
        }
    }
}

/// A deadline relative to the start, in business days of the clock's calendar
/// (ServiceNow's relative durations, as data): "end of the next business day" is
/// `{"business_days": 1}`, "by 10:00 two business days later" is
/// `{"business_days": 2, "by": "10:00"}`.
///
/// Day 0 is the business day of the start (a start in closed time belongs to the next
/// business day, when the clock starts counting); day `n` is the `n`-th business day after
/// it. The deadline is the end of day `n`'s business hours, or, with `by`, that local time
/// on day `n` (at the day's opening when it opens later). With `cutoff`, a start at or
/// after that local time counts one day more ("next business day by 16:00 if before
/// 14:00"). Local times are read in the clock's zone: that of the `@zone` calendar chosen
/// ([`Definition::calendar_for`]), else [`Definition::zone`], else UTC (name the zone when
/// the calendar's own is not UTC). The clock's target is the business time from the
/// start to that deadline; pauses then move it as any other.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RelativeTarget {
    /// Business days after the start's.
    pub business_days: u32,
    /// A local time (`"HH:MM"`) on that day; `None`: the end of its business hours.
    #[cfg_attr(feature = "serde", serde(default))]
    pub by: Option<String>,
    /// A local time (`"HH:MM"`) from which a start counts as the next day's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub cutoff: Option<String>,
}

impl RelativeTarget {
    /// `business_days` after the start's, at the end of that day's business hours.
    pub fn end_of_day(business_days: u32) -> Self {
        RelativeTarget {
            business_days,
            by: None,
            cutoff: None,
        }
    }

    /// `business_days` after the start's, by the local time `by` (`"10:00"`).
    pub fn by(business_days: u32, by: impl Into<String>) -> Self {
        RelativeTarget {
            business_days,
            by: Some(by.into()),
            cutoff: None,
        }
    }
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

/// The most business days a [`RelativeTarget`] counts: about forty years of working days
/// (each day is a few calendar queries).
pub const MAX_BUSINESS_DAYS: u32 = 10_000;

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
    /// [`Error::ConditionTooDeep`] when a condition nests `all`, `any` and `not` deeper than
    /// [`MAX_CONDITION_DEPTH`](itsm_core::MAX_CONDITION_DEPTH);
    /// [`Error::NonPositiveTarget`] or [`Error::TargetTooLong`] when a target is not in
    /// `(0, MAX_TARGET]`; for a [`RelativeTarget`], [`Error::RelativeWithoutCalendar`]
    /// without a calendar, [`Error::RelativeTooLong`] past [`MAX_BUSINESS_DAYS`], and
    /// [`Error::Calendar`] for a `by` or `cutoff` that is not a time of day (`"HH:MM"`), or
    /// a [`zone`](Definition::zone) that is not one (an IANA name needs the `tz` feature).
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
            let conditions = [
                ("start", Some(&d.start)),
                ("stop", Some(&d.stop)),
                ("pause", Some(&d.pause)),
                ("resume", d.resume.as_ref()),
                ("cancel", d.cancel.as_ref()),
                ("reset", Some(&d.reset)),
            ];
            for (which, condition) in conditions {
                let depth = condition.map_or(0, Condition::depth);
                if depth > itsm_core::MAX_CONDITION_DEPTH {
                    return Err(Error::ConditionTooDeep {
                        id: d.id.clone(),
                        condition: which,
                        depth,
                        max: itsm_core::MAX_CONDITION_DEPTH,
                    });
                }
            }
            if d.target <= Duration::zero() {
                return Err(Error::NonPositiveTarget {
                    id: d.id.clone(),
                    target: d.target,
                });
            }
            if let Some(zone) = &d.zone {
                // The zone must be one calendars understand: a relative target reads local
                // times in it.
                let mut spec = itsm_calendar::CalendarSpec::always_open(d.id.clone());
                spec.zone = Some(zone.clone());
                Calendar::new(&spec)?;
            }
            if let Some(rel) = &d.relative {
                if d.calendar.is_none() && d.calendar_from.is_none() {
                    return Err(Error::RelativeWithoutCalendar { id: d.id.clone() });
                }
                if rel.business_days > MAX_BUSINESS_DAYS {
                    return Err(Error::RelativeTooLong {
                        id: d.id.clone(),
                        days: rel.business_days,
                        max: MAX_BUSINESS_DAYS,
                    });
                }
                for t in [&rel.by, &rel.cutoff].into_iter().flatten() {
                    itsm_calendar::Segment::parse(t, "24:00")?;
                }
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
