//! The configuration (data, serde) and the checked model a run uses.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use itsm_calendar::CalendarSpec;

use crate::arrivals::Arrivals;
use crate::dist::{Sampler, ServiceTime};
#[cfg(doc)]
use crate::model::Model;

/// The longest horizon (and warm-up, and service time): 100 years.
pub const MAX_HORIZON: Duration = Duration::days(100 * 366);
/// The most arrivals a configuration may expect over its horizon: 50 million.
pub const MAX_ARRIVALS: u64 = 50_000_000;
/// The most agents on duty at once.
pub const MAX_AGENTS: u32 = 100_000;
/// The most backlog samples over the horizon.
pub const MAX_SAMPLES: u64 = 1_000_000;
/// The most staffing changes over the horizon (every group's together).
pub const MAX_STAFFING_CHANGES: u64 = 1_000_000;
/// The most resolver groups besides the desk.
pub const MAX_GROUPS: usize = 1_000;
/// The most times one ticket is passed on ([`Reassign`] and its [`Reassign::then`]).
pub const MAX_PASSES: usize = 16;
/// The name of the group [`Config::staffing`] staffs: the service desk, where every class's
/// tickets go first unless [`ClassSpec::group`] names another.
pub const DESK: &str = "desk";

/// One priority's tickets: how they arrive, how long they take, and their SLA targets.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ClassSpec {
    /// The incident priority, 1 (critical) to 5 (planning); lower is served first.
    pub priority: u8,
    /// How tickets arrive.
    pub arrivals: Arrivals,
    /// How long an agent works on one.
    pub service: ServiceTime,
    /// The response target: from creation until an agent starts work. ISO 8601 in JSON.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub response: Duration,
    /// The resolution target: from creation until resolved. ISO 8601 in JSON.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub resolution: Duration,
    /// The business calendar both targets count on (itsm-calendar's spec, as SLA
    /// definitions name theirs): a `PT8H` resolution target on an office calendar is a
    /// working day. Absent: around the clock.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub calendar: Option<CalendarSpec>,
    /// Tickets that wait for their caller part-way through the work; absent: none.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub hold: Option<Hold>,
    /// Tickets their caller reopens after the resolution; absent: none.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub reopen: Option<Reopen>,
    /// The group whose agents take the class's tickets first (a name in
    /// [`Config::groups`], or [`DESK`]); absent: the desk. Routing a class to a group is
    /// how skills are modelled: only that group's agents work on it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub group: Option<String>,
    /// Tickets the first group passes on to another after triage; absent: none.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub reassign: Option<Reassign>,
}

/// Tickets the first group passes on to another (an escalation to a second-line group, or
/// a misrouted ticket sent where it belongs): an agent of the first group spends
/// `triage` on it, then it goes to the queue of group `to`, in arrival order, where its
/// whole work is done unless [`Reassign::then`] passes it on again (a hold or reopen comes
/// to the group that does the work; a reopened ticket returns to the group that resolved
/// it). Its wait and response were measured at its first start, by the first
/// group; its resolution clock runs on. The full path assigns the incident to the new
/// group, which the incident counts as a reassignment.
///
/// A ticket may be passed on again: [`Reassign::then`] lists further passes, in order, each
/// taken by a share of the tickets that came through the one before it, after a triage by
/// the group they are with (a third-line group, or a misrouted ticket bounced back to a
/// group it left). Every pass is counted in [`RunReport::reassigned`](crate::RunReport::reassigned)
/// and in the receiving group's `reassigned_in`.
///
/// In JSON: `{"probability": 0.3, "to": "network", "triage": {"exponential": {"mean":
/// "PT10M"}}}`, and for a second pass `"then": [{"probability": 0.2, "to": "database",
/// "triage": {"exponential": {"mean": "PT20M"}}}]`.
///
/// ```
/// use itsm_sim::chrono::Duration;
/// use itsm_sim::{Hop, Reassign, ServiceTime};
///
/// let reassign = Reassign::new(0.3, "network", ServiceTime::exponential(Duration::minutes(10)));
/// assert_eq!(reassign.to, "network");
/// // A fifth of those go on to `database` after the network group's own triage.
/// let onward = Hop::new(0.2, "database", ServiceTime::exponential(Duration::minutes(20)));
/// let reassign = reassign.with_hop(onward);
/// assert_eq!(reassign.then[0].to, "database");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Reassign {
    /// The share of the class's tickets passed on, from 0 to 1.
    pub probability: f64,
    /// The group they go to: a name in [`Config::groups`], or [`DESK`]; not the class's
    /// first group.
    pub to: String,
    /// How long the first group works on a ticket before passing it on.
    pub triage: ServiceTime,
    /// Further passes, in order, at most [`MAX_PASSES`] in all with this one: each taken by
    /// its share of the tickets that came through the pass before it, to a group other than
    /// the one they are with. Empty (absent in JSON): passed on once.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub then: Vec<Hop>,
}

impl Reassign {
    /// `probability` of passing a ticket on to group `to` after `triage`.
    pub fn new(probability: f64, to: impl Into<String>, triage: ServiceTime) -> Self {
        Reassign {
            probability,
            to: to.into(),
            triage,
            then: Vec::new(),
        }
    }

    /// The same, with `hop` added after the passes it has.
    #[must_use]
    pub fn with_hop(mut self, hop: Hop) -> Self {
        self.then.push(hop);
        self
    }
}

/// A further pass of a ticket already passed on ([`Reassign::then`]): of the tickets that
/// came through the pass before, the share `probability` is triaged for `triage` by the
/// group they are with, then goes to group `to`, which does the work (or passes it on in
/// turn).
///
/// In JSON: `{"probability": 0.2, "to": "database", "triage": {"exponential": {"mean":
/// "PT20M"}}}`.
///
/// ```
/// use itsm_sim::chrono::Duration;
/// use itsm_sim::{Hop, ServiceTime};
///
/// let hop = Hop::new(0.2, "desk", ServiceTime::exponential(Duration::minutes(5)));
/// assert_eq!(hop.probability, 0.2);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Hop {
    /// The share of the tickets that came through the pass before that this one takes, from
    /// 0 to 1.
    pub probability: f64,
    /// The group they go to: a name in [`Config::groups`], or [`DESK`]; not the group they
    /// are with (one they left before is allowed).
    pub to: String,
    /// How long the group they are with works on a ticket before passing it on.
    pub triage: ServiceTime,
}

impl Hop {
    /// `probability` of passing a ticket on again, to group `to`, after `triage`.
    pub fn new(probability: f64, to: impl Into<String>, triage: ServiceTime) -> Self {
        Hop {
            probability,
            to: to.into(),
            triage,
        }
    }
}

/// A resolver group besides the desk (ServiceNow's assignment group, Jira Service
/// Management's team): agents of its own, on a staffing of its own, and a queue of its own
/// per priority. Agents of one group never take another group's tickets.
///
/// In JSON: `{"name": "network", "staffing": {"constant": {"agents": 2}}}`.
///
/// ```
/// use itsm_sim::{GroupSpec, Staffing};
///
/// let network = GroupSpec::new("network", Staffing::Constant { agents: 2 });
/// assert_eq!(network.name, "network");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct GroupSpec {
    /// Its name: not empty, not [`DESK`], unique.
    pub name: String,
    /// Who is on duty in it.
    pub staffing: Staffing,
}

impl GroupSpec {
    /// A group named `name` with `staffing`.
    pub fn new(name: impl Into<String>, staffing: Staffing) -> Self {
        GroupSpec {
            name: name.into(),
            staffing,
        }
    }
}

/// Tickets put on hold awaiting their caller (ServiceNow's "Awaiting Caller"), once each,
/// part-way through the work: the agent stops and takes other work; when the caller
/// answers, the ticket goes back to its queue in arrival order with the work it has left.
/// The resolution clock pauses meanwhile (its deadline moves out by the hold's business
/// time, itsm-sla's pause mode); the response clock has stopped already.
///
/// In JSON: `{"probability": 0.2, "duration": {"exponential": {"mean": "PT4H"}}}`.
///
/// ```
/// use itsm_sim::chrono::Duration;
/// use itsm_sim::{Hold, ServiceTime};
///
/// let hold = Hold::new(0.2, ServiceTime::exponential(Duration::hours(4)));
/// assert_eq!(hold.probability, 0.2);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Hold {
    /// The share of the class's tickets put on hold, from 0 to 1.
    pub probability: f64,
    /// How long the caller takes to answer.
    pub duration: ServiceTime,
}

impl Hold {
    /// `probability` of a hold lasting `duration`. The point in the work where it comes
    /// is uniform over the work.
    pub fn new(probability: f64, duration: ServiceTime) -> Self {
        Hold {
            probability,
            duration,
        }
    }
}

/// Tickets their caller reopens (the fix did not hold, or the caller rejects the resolution),
/// once each: `after` the resolution the ticket goes back to its queue, in arrival order, and
/// needs `work` more. Its wait and response were measured at its first start; its resolution
/// clock does what `clock` says, the SLA engine's [`ReopenMode`](crate::ReopenMode): a
/// new cycle with the full target from the reopen (the default, as ServiceNow attaches a new
/// task SLA and Jira starts a new cycle), the same clock continuing with the time resolved
/// counted as elapsed, or counted as paused. A reopen due at or after the horizon is never
/// seen: the resolution stands.
///
/// In JSON: `{"probability": 0.1, "after": {"exponential": {"mean": "P1D"}}, "work":
/// {"exponential": {"mean": "PT30M"}}, "clock": "continue"}` (`clock` optional).
///
/// ```
/// use itsm_sim::chrono::Duration;
/// use itsm_sim::{Reopen, ReopenMode, ServiceTime};
///
/// let reopen = Reopen::new(
///     0.1,
///     ServiceTime::exponential(Duration::days(1)),
///     ServiceTime::exponential(Duration::minutes(30)),
/// );
/// assert_eq!(reopen.clock, ReopenMode::NewCycle);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Reopen {
    /// The share of the class's tickets reopened, from 0 to 1.
    pub probability: f64,
    /// How long after the resolution the caller reopens it.
    pub after: ServiceTime,
    /// The further work a reopened ticket takes.
    pub work: ServiceTime,
    /// What the resolution clock does at the reopen; default a new cycle.
    #[cfg_attr(feature = "serde", serde(default = "new_cycle"))]
    pub clock: itsm_sla::ReopenMode,
}

#[cfg(feature = "serde")]
fn new_cycle() -> itsm_sla::ReopenMode {
    itsm_sla::ReopenMode::NewCycle
}

impl Reopen {
    /// `probability` of a reopen `after` the resolution, taking `work` more; the resolution
    /// clock starts a new cycle ([`ReopenMode::NewCycle`](itsm_sla::ReopenMode::NewCycle)).
    pub fn new(probability: f64, after: ServiceTime, work: ServiceTime) -> Self {
        Reopen {
            probability,
            after,
            work,
            clock: itsm_sla::ReopenMode::NewCycle,
        }
    }
}

/// A class's reopens, checked and compiled.
#[derive(Debug, Clone)]
pub(crate) struct Reopens {
    pub(crate) probability: f64,
    pub(crate) after: Sampler,
    pub(crate) work: Sampler,
    pub(crate) clock: itsm_sla::ReopenMode,
}

impl ClassSpec {
    /// A class with every field given.
    pub fn new(
        priority: u8,
        arrivals: Arrivals,
        service: ServiceTime,
        response: Duration,
        resolution: Duration,
    ) -> Self {
        ClassSpec {
            priority,
            arrivals,
            service,
            response,
            resolution,
            calendar: None,
            hold: None,
            reopen: None,
            group: None,
            reassign: None,
        }
    }
}

/// Who is on duty when. Agents are interchangeable; a drop in staffing never interrupts a
/// ticket in progress (the agent finishes it, then stops taking work).
///
/// In JSON, externally tagged: `{"constant": {"agents": 5}}`,
/// `{"hourly": {"agents": [1, 1, ..., 4, 4]}}`, `{"shifts": {"shifts": [{"calendar": {...},
/// "agents": 3}]}}`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum Staffing {
    /// The same number of agents all the time.
    Constant {
        /// The agents on duty.
        agents: u32,
    },
    /// Agents by hour, in UTC: 24 entries (hour of the day, from 00:00) or 168 (hour of the
    /// week, from Monday 00:00).
    Hourly {
        /// The agents on duty in each hour.
        agents: Vec<u32>,
    },
    /// Shifts, each a business calendar (itsm-calendar's spec) and the agents on duty while
    /// it is open; overlapping shifts add up.
    Shifts {
        /// The shifts.
        shifts: Vec<Shift>,
    },
}

/// A shift: `agents` on duty while `calendar` is open.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Shift {
    /// When the shift is on duty.
    pub calendar: CalendarSpec,
    /// How many agents it brings.
    pub agents: u32,
}

impl Shift {
    /// A shift of `agents` on `calendar`.
    pub fn new(calendar: CalendarSpec, agents: u32) -> Self {
        Shift { calendar, agents }
    }
}

/// A whole simulation: when it starts, how long it runs, the ticket classes and the
/// staffing. Checked by [`Model::new`].
///
/// In JSON, `warmup` defaults to `"PT0S"` and `sample_every` to `"PT1H"`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Config {
    /// The first instant of the run.
    pub start: DateTime<Utc>,
    /// How long it runs. ISO 8601 in JSON.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub horizon: Duration,
    /// Tickets that arrive before `start + warmup` are simulated but left out of every
    /// figure (so an empty start does not bias them). ISO 8601 in JSON.
    #[cfg_attr(
        feature = "serde",
        serde(with = "itsm_core::duration", default = "zero")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub warmup: Duration,
    /// How often the backlog is sampled (from `start + warmup`). ISO 8601 in JSON.
    #[cfg_attr(
        feature = "serde",
        serde(with = "itsm_core::duration", default = "one_hour")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub sample_every: Duration,
    /// The ticket classes, one per priority.
    pub classes: Vec<ClassSpec>,
    /// Who is on duty at the service desk ([`DESK`]).
    pub staffing: Staffing,
    /// Resolver groups besides the desk, each with its own agents and queues; absent in
    /// JSON: none (every ticket is the desk's).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub groups: Vec<GroupSpec>,
    /// Agents in several groups (overlapping pools): for a group (a name in
    /// [`Config::groups`], or [`DESK`]), the other groups whose tickets its agents take when
    /// none of its own wait, in order of preference. After every event each group's own
    /// agents take its tickets first; then each group with free agents and no ticket of its
    /// own waiting (in [`Model::groups`](crate::Model::groups)' order) takes the most
    /// urgent, oldest tickets of the groups it helps, the first of them first. So a ticket
    /// goes to a helper only when no agent of its own group is free, and the order in
    /// which groups are listed changes nothing where one group helps. The ticket stays its group's (its
    /// waits, holds, reopens and passes on), the agent's time counts in the agent's group.
    /// Not with [`Discipline::PreemptiveResume`]. Absent in JSON: nobody helps.
    ///
    /// In JSON: `{"desk": ["network"], "network": ["desk"]}`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub helps: BTreeMap<String, Vec<String>>,
    /// Whether an urgent arrival interrupts less urgent work (absent in JSON:
    /// non-pre-emptive).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Discipline::is_non_preemptive")
    )]
    pub discipline: Discipline,
}

/// How agents choose work. Either way a free agent takes the oldest ticket of the most
/// urgent non-empty priority.
///
/// ```
/// use itsm_sim::Discipline;
///
/// assert_eq!(Discipline::default(), Discipline::NonPreemptive);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Discipline {
    /// An agent finishes the ticket in hand before taking another.
    #[default]
    NonPreemptive,
    /// Pre-emptive resume: while fewer agents than are on duty work on tickets at least as
    /// urgent as the most urgent waiting one, that ticket interrupts the least urgent ticket
    /// in service (the youngest of them), whose agent takes it at once; the interrupted
    /// ticket returns to its queue, in arrival order, with the work it had left (none is
    /// lost). Its wait and response were measured when its work first started; its
    /// resolution clock runs on. So the most urgent class has exactly the agents it would
    /// have alone, also while agents finish tickets past the end of a shift (a hand-over
    /// keeps the number at work unchanged).
    PreemptiveResume,
}

impl Discipline {
    /// Whether it is [`Discipline::NonPreemptive`] (the default).
    pub fn is_non_preemptive(&self) -> bool {
        *self == Discipline::NonPreemptive
    }
}

#[cfg(feature = "serde")]
fn zero() -> Duration {
    Duration::zero()
}

#[cfg(feature = "serde")]
fn one_hour() -> Duration {
    Duration::hours(1)
}

impl Config {
    /// A configuration with no warm-up and hourly backlog samples.
    pub fn new(
        start: DateTime<Utc>,
        horizon: Duration,
        classes: Vec<ClassSpec>,
        staffing: Staffing,
    ) -> Self {
        Config {
            start,
            horizon,
            warmup: Duration::zero(),
            sample_every: Duration::hours(1),
            classes,
            staffing,
            groups: Vec::new(),
            helps: BTreeMap::new(),
            discipline: Discipline::NonPreemptive,
        }
    }

    /// The M/M/c queue as a service desk: one class (priority 3) arriving at `arrival_rate`
    /// an hour, exponential service at `service_rate` an hour, `agents` agents around the
    /// clock, response and resolution targets of one hour and eight hours, from
    /// 2026-01-05 00:00 UTC (a Monday). What the Erlang C validation and the benchmark run.
    ///
    /// ```
    /// use itsm_sim::chrono::Duration;
    /// use itsm_sim::{Config, Model};
    ///
    /// let config = Config::mmc(4.0, 1.0, 5, Duration::hours(1000));
    /// let model = Model::new(config)?;
    /// assert_eq!(model.expected_arrivals().round(), 4000.0);
    /// # Ok::<(), itsm_sim::Error>(())
    /// ```
    pub fn mmc(arrival_rate: f64, service_rate: f64, agents: u32, horizon: Duration) -> Self {
        let mean = crate::time::duration(if service_rate > 0.0 {
            1.0 / service_rate
        } else {
            0.0
        });
        let start = DateTime::<Utc>::from_timestamp(1_767_571_200, 0).unwrap_or_default();
        Config::new(
            start,
            horizon,
            vec![ClassSpec::new(
                3,
                Arrivals::per_hour(arrival_rate),
                ServiceTime::exponential(mean),
                Duration::hours(1),
                Duration::hours(8),
            )],
            Staffing::Constant { agents },
        )
    }
}
