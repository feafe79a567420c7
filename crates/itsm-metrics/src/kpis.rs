//! The KPIs over a set of timelines, each defined in `docs/metrics.md`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use itsm_core::{ChangeType, Practice, Timeline};

use crate::facts::Facts;
use crate::stats::{DurationStats, Ratio};

/// Business time: how much working time lies between two instants. `itsm_calendar::Calendar`
/// implements it with the `calendar` feature; a host may implement it for its own calendar.
pub trait WorkingTime {
    /// The working time from `from` to `to` (`from <= to`), or `None` when it cannot be
    /// measured (an instant outside the calendar's horizon): the ticket is then left out of
    /// the business-time measures and counted in [`Kpis::business_time_unmeasured`].
    fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Duration>;
}

#[cfg(feature = "calendar")]
impl WorkingTime for itsm_calendar::Calendar {
    fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Duration> {
        self.duration(&from, &to).ok()
    }
}

/// Which resolution "time to resolve" measures to, when a ticket was reopened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Cycle {
    /// To the first resolution (a later reopen does not change it). The default.
    #[default]
    First,
    /// To the final resolution, counting the working time of every cycle but not the time
    /// spent resolved or closed before a reopen; tickets not resolved at the end (reopened
    /// and still open, or canceled) are left out.
    Final,
}

/// Whether time spent pending (paused) counts in the "time to" measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum PausedTime {
    /// Pending time counts: the elapsed time the customer waited. The default.
    #[default]
    Counted,
    /// Pending time does not count (as an SLA clock that pauses).
    Excluded,
}

/// Which tickets count as resolved at the first contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum FirstContact {
    /// The source's flag where it gives one, else [`Derived`](FirstContact::Derived). The
    /// default.
    #[default]
    FlagElseDerived,
    /// Only tickets with a flag count, in the numerator and the denominator.
    FlagOnly,
    /// Ignore the flag: resolved without a reassignment, a pause or a reopen.
    Derived,
}

/// Whether a follow-up (a reopen after closure raised as a new ticket, which names the
/// ticket it follows in [`TimelineSpec::follow_up_of`](itsm_core::TimelineSpec::follow_up_of))
/// counts as a reopen of that ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum FollowUps {
    /// A follow-up is a ticket of its own; the ticket it follows is not reopened by it (as
    /// ServiceNow's reopen count reads). The default.
    #[default]
    Separate,
    /// A ticket that some ticket of the set and of the same practice follows up, opened at
    /// or after the ticket's first resolution, counts as reopened, in the reopen rate and
    /// the derived first-contact resolution (the caller came back about it); the follow-up
    /// stays a ticket of its own in every measure.
    AsReopens,
}

/// The explicit choices of the measures (see `docs/metrics.md`). `Options::default()` is
/// the documented default of each.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Options {
    /// Which resolution after a reopen.
    pub cycle: Cycle,
    /// Whether pending time counts.
    pub paused: PausedTime,
    /// What first-contact resolution reads.
    pub first_contact: FirstContact,
    /// The practices whose timelines the ticket measures (acknowledge, resolve,
    /// first contact, reopen, reassignment, backlog) read. Default: incident, request, other.
    pub ticket_practices: Vec<Practice>,
    /// Whether follow-ups count as reopens of the tickets they follow.
    pub follow_ups: FollowUps,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cycle: Cycle::First,
            paused: PausedTime::Counted,
            first_contact: FirstContact::FlagElseDerived,
            ticket_practices: vec![Practice::Incident, Practice::Request, Practice::Other],
            follow_ups: FollowUps::Separate,
        }
    }
}

impl Options {
    pub(crate) fn is_ticket(&self, t: &Timeline) -> bool {
        self.ticket_practices.contains(&t.practice())
    }
}

/// One ticket's "time to" measures under the options: what [`Kpis::compute`] summarises,
/// for a host that draws a distribution or lists the slowest tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TicketTimes {
    /// From the opening to the first acknowledgement (`None`: never acknowledged).
    pub acknowledge: Option<Duration>,
    /// From the opening to the resolution the [`Cycle`] names (`None`: not resolved).
    pub resolve: Option<Duration>,
}

impl TicketTimes {
    /// The times of `timeline` under `options`, through `clock` when given (then `None`
    /// also when the clock cannot measure).
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
    /// use itsm_metrics::{Options, TicketTimes};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
    /// let mut spec = TimelineSpec::new("A", Practice::Incident, at(8));
    /// spec.marks = vec![Mark::new(at(11), MarkKind::Closed)];
    /// let times = TicketTimes::of(&Timeline::new(spec)?, &Options::default(), None);
    /// assert_eq!((times.acknowledge, times.resolve), (None, Some(Duration::hours(3))));
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn of(timeline: &Timeline, options: &Options, clock: Option<&dyn WorkingTime>) -> Self {
        Self::from_facts(&Facts::of(timeline), options, clock)
    }

    fn from_facts(facts: &Facts, options: &Options, clock: Option<&dyn WorkingTime>) -> Self {
        let resolved_at = match options.cycle {
            Cycle::First => facts.first_resolution,
            Cycle::Final => facts.final_resolution,
        };
        let time = |until: Option<DateTime<Utc>>| facts.counted(until?, options.paused, clock);
        TicketTimes {
            acknowledge: time(facts.acknowledged),
            resolve: time(resolved_at),
        }
    }
}

/// The KPIs of a set of timelines. Durations are `None` and ratios have `of == 0` when no
/// ticket qualifies, never NaN. In JSON durations are ISO 8601 strings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Kpis {
    /// The timelines of the ticket practices ([`Options::ticket_practices`]).
    pub tickets: u64,
    /// From opening to the first acknowledgement, over acknowledged tickets.
    pub time_to_acknowledge: Option<DurationStats>,
    /// From opening to the resolution the [`Cycle`] names, over resolved tickets.
    pub time_to_resolve: Option<DurationStats>,
    /// [`time_to_acknowledge`](Kpis::time_to_acknowledge) in business time (`None`
    /// without a calendar).
    pub business_time_to_acknowledge: Option<DurationStats>,
    /// [`time_to_resolve`](Kpis::time_to_resolve) in business time (`None` without a
    /// calendar).
    pub business_time_to_resolve: Option<DurationStats>,
    /// Tickets the calendar could not measure (left out of the business-time measures).
    pub business_time_unmeasured: u64,
    /// Resolved tickets resolved at the first contact ([`FirstContact`]).
    pub first_contact_resolution: Ratio,
    /// Resolved tickets reopened at least once.
    pub reopen_rate: Ratio,
    /// Assigned tickets reassigned at least once.
    pub reassignment_rate: Ratio,
    /// SLA outcomes met, over every outcome of every timeline (all practices).
    pub sla_attainment: Ratio,
    /// SLA outcomes met, by SLA name.
    pub sla_by_name: BTreeMap<String, Ratio>,
    /// Changes with a successful outcome (`successful` or `successful_with_issues`), over
    /// changes with an outcome.
    pub change_success_rate: Ratio,
    /// Emergency changes, over changes with a type.
    pub emergency_change_ratio: Ratio,
    /// From a problem's opening to its first known-error mark, over problems with one.
    pub time_to_known_error: Option<DurationStats>,
}

impl Kpis {
    /// Computes every KPI of `timelines` under `options`, in business time too when `clock`
    /// is given. O(n log n) in the number of timelines (plus one pass over the marks);
    /// the result does not depend on the order of `timelines`.
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
    /// use itsm_metrics::{Kpis, Options};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
    /// let mut a = TimelineSpec::new("A", Practice::Incident, at(8));
    /// a.marks = vec![Mark::new(at(9), MarkKind::Acknowledged), Mark::new(at(10), MarkKind::Resolved)];
    /// let mut b = TimelineSpec::new("B", Practice::Incident, at(8));
    /// b.marks = vec![
    ///     Mark::new(at(8), MarkKind::Acknowledged),
    ///     Mark::new(at(12), MarkKind::Resolved),
    ///     Mark::new(at(13), MarkKind::Reopened),
    /// ];
    /// let timelines = [Timeline::new(a)?, Timeline::new(b)?];
    /// let kpis = Kpis::compute(&timelines, &Options::default(), None);
    /// let resolve = kpis.time_to_resolve.unwrap();
    /// assert_eq!((resolve.mean, resolve.max), (Duration::hours(3), Duration::hours(4)));
    /// assert_eq!(kpis.reopen_rate.value(), Some(0.5));
    /// assert_eq!(kpis.change_success_rate.value(), None); // no changes
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn compute(
        timelines: &[Timeline],
        options: &Options,
        clock: Option<&dyn WorkingTime>,
    ) -> Kpis {
        let mut tickets = 0u64;
        let (mut ack, mut resolve, mut ack_b, mut resolve_b, mut known) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut unmeasured = 0u64;
        let mut fcr = Ratio::default();
        let mut reopen = Ratio::default();
        let mut reassign = Ratio::default();
        let mut sla = Ratio::default();
        let mut sla_by_name: BTreeMap<String, Ratio> = BTreeMap::new();
        let mut success = Ratio::default();
        let mut emergency = Ratio::default();
        // The tickets some ticket of the same practice follows up, when that counts as a
        // reopen, with the latest opening among their follow-ups.
        let mut followed: BTreeMap<(Practice, &str), DateTime<Utc>> = BTreeMap::new();
        if options.follow_ups == FollowUps::AsReopens {
            for t in timelines.iter().filter(|t| options.is_ticket(t)) {
                if let Some(of) = t.follow_up_of() {
                    let latest = followed.entry((t.practice(), of)).or_insert(t.opened_at());
                    *latest = (*latest).max(t.opened_at());
                }
            }
        }
        for t in timelines {
            let spec = t.spec();
            for (name, met) in &spec.sla {
                sla.add(*met);
                sla_by_name.entry(name.clone()).or_default().add(*met);
            }
            match t.practice() {
                Practice::Change => {
                    if let Some(outcome) = spec.change_outcome {
                        success.add(outcome.is_success());
                    }
                    if let Some(kind) = spec.change_type {
                        emergency.add(kind == ChangeType::Emergency);
                    }
                }
                Practice::Problem => {
                    if let Some(k) = Facts::of(t).known_error {
                        known.push(k.signed_duration_since(t.opened_at()));
                    }
                }
                _ => {}
            }
            if !options.is_ticket(t) {
                continue;
            }
            tickets += 1;
            let facts = Facts::of(t);
            let actual = TicketTimes::from_facts(&facts, options, None);
            ack.extend(actual.acknowledge);
            resolve.extend(actual.resolve);
            if let Some(clock) = clock {
                let business = TicketTimes::from_facts(&facts, options, Some(clock));
                ack_b.extend(business.acknowledge);
                resolve_b.extend(business.resolve);
                // The clock failed where the actual time exists but the business one does not.
                let unmeasurable = (actual.acknowledge.is_some() && business.acknowledge.is_none())
                    || (actual.resolve.is_some() && business.resolve.is_none());
                unmeasured += u64::from(unmeasurable);
            }
            if let Some(resolved) = facts.first_resolution {
                // Followed up after its first resolution (a follow-up opened before it is
                // another ticket about the same thing, not a reopen).
                let followed_up = followed
                    .get(&(t.practice(), t.id()))
                    .is_some_and(|opened| *opened >= resolved);
                let reopened = facts.reopens > 0 || followed_up;
                reopen.add(reopened);
                let derived = facts.reassignments == 0 && !reopened && !facts.paused;
                match (options.first_contact, spec.first_contact) {
                    (FirstContact::Derived, _) | (FirstContact::FlagElseDerived, None) => {
                        fcr.add(derived);
                    }
                    (FirstContact::FlagOnly | FirstContact::FlagElseDerived, Some(flag)) => {
                        fcr.add(flag);
                    }
                    (FirstContact::FlagOnly, None) => {}
                }
            }
            if facts.assignments > 0 {
                reassign.add(facts.reassignments > 0);
            }
        }
        Kpis {
            tickets,
            time_to_acknowledge: DurationStats::of(ack),
            time_to_resolve: DurationStats::of(resolve),
            business_time_to_acknowledge: DurationStats::of(ack_b),
            business_time_to_resolve: DurationStats::of(resolve_b),
            business_time_unmeasured: unmeasured,
            first_contact_resolution: fcr,
            reopen_rate: reopen,
            reassignment_rate: reassign,
            sla_attainment: sla,
            sla_by_name,
            change_success_rate: success,
            emergency_change_ratio: emergency,
            time_to_known_error: DurationStats::of(known),
        }
    }

    /// The value of one measure, for the improvement register (`None` when it has none).
    ///
    /// ```
    /// use itsm_metrics::{Kpis, Measure, Options, Value};
    ///
    /// let kpis = Kpis::compute(&[], &Options::default(), None);
    /// assert_eq!(kpis.value(Measure::ReopenRate), None);
    /// ```
    pub fn value(&self, measure: Measure) -> Option<Value> {
        let time = |s: &Option<DurationStats>, f: fn(&DurationStats) -> Duration| {
            s.as_ref().map(|s| Value::Time(f(s)))
        };
        let rate = |r: &Ratio| r.value().map(Value::Rate);
        match measure {
            Measure::MeanTimeToAcknowledge => time(&self.time_to_acknowledge, |s| s.mean),
            Measure::MeanTimeToResolve => time(&self.time_to_resolve, |s| s.mean),
            Measure::MedianTimeToResolve => time(&self.time_to_resolve, |s| s.p50),
            Measure::P90TimeToResolve => time(&self.time_to_resolve, |s| s.p90),
            Measure::MeanBusinessTimeToResolve => time(&self.business_time_to_resolve, |s| s.mean),
            Measure::FirstContactResolution => rate(&self.first_contact_resolution),
            Measure::ReopenRate => rate(&self.reopen_rate),
            Measure::ReassignmentRate => rate(&self.reassignment_rate),
            Measure::SlaAttainment => rate(&self.sla_attainment),
            Measure::ChangeSuccessRate => rate(&self.change_success_rate),
            Measure::EmergencyChangeRatio => rate(&self.emergency_change_ratio),
            Measure::MeanTimeToKnownError => time(&self.time_to_known_error, |s| s.mean),
        }
    }
}

/// A KPI an improvement initiative measures, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Measure {
    /// [`Kpis::time_to_acknowledge`]'s mean.
    MeanTimeToAcknowledge,
    /// [`Kpis::time_to_resolve`]'s mean.
    MeanTimeToResolve,
    /// [`Kpis::time_to_resolve`]'s median.
    MedianTimeToResolve,
    /// [`Kpis::time_to_resolve`]'s 90th percentile.
    P90TimeToResolve,
    /// [`Kpis::business_time_to_resolve`]'s mean.
    MeanBusinessTimeToResolve,
    /// [`Kpis::first_contact_resolution`].
    FirstContactResolution,
    /// [`Kpis::reopen_rate`].
    ReopenRate,
    /// [`Kpis::reassignment_rate`].
    ReassignmentRate,
    /// [`Kpis::sla_attainment`].
    SlaAttainment,
    /// [`Kpis::change_success_rate`].
    ChangeSuccessRate,
    /// [`Kpis::emergency_change_ratio`].
    EmergencyChangeRatio,
    /// [`Kpis::time_to_known_error`]'s mean.
    MeanTimeToKnownError,
}

impl Measure {
    /// Whether the measure is a time (else a rate in `[0, 1]`).
    pub const fn is_time(self) -> bool {
        matches!(
            self,
            Measure::MeanTimeToAcknowledge
                | Measure::MeanTimeToResolve
                | Measure::MedianTimeToResolve
                | Measure::P90TimeToResolve
                | Measure::MeanBusinessTimeToResolve
                | Measure::MeanTimeToKnownError
        )
    }

    /// The measure's name, as in JSON (`reopen_rate`).
    pub const fn name(self) -> &'static str {
        match self {
            Measure::MeanTimeToAcknowledge => "mean_time_to_acknowledge",
            Measure::MeanTimeToResolve => "mean_time_to_resolve",
            Measure::MedianTimeToResolve => "median_time_to_resolve",
            Measure::P90TimeToResolve => "p90_time_to_resolve",
            Measure::MeanBusinessTimeToResolve => "mean_business_time_to_resolve",
            Measure::FirstContactResolution => "first_contact_resolution",
            Measure::ReopenRate => "reopen_rate",
            Measure::ReassignmentRate => "reassignment_rate",
            Measure::SlaAttainment => "sla_attainment",
            Measure::ChangeSuccessRate => "change_success_rate",
            Measure::EmergencyChangeRatio => "emergency_change_ratio",
            Measure::MeanTimeToKnownError => "mean_time_to_known_error",
        }
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A value of a [`Measure`]: a time or a rate. In JSON `{"time": "PT4H"}` or
/// `{"rate": 0.05}`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Value {
    /// A length of time.
    Time(
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        Duration,
    ),
    /// A rate in `[0, 1]`.
    Rate(f64),
}

impl Value {
    /// The value as a number: seconds (with their fraction) for a time, the rate itself
    /// for a rate.
    pub fn number(self) -> f64 {
        match self {
            Value::Time(d) => d.num_milliseconds() as f64 / 1000.0,
            Value::Rate(r) => r,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Time(d) => f.write_str(&itsm_core::duration::format(*d)),
            Value::Rate(r) => write!(f, "{r:.4}"),
        }
    }
}
