//! Service availability measured against a commitment: how long a service was down in a
//! period, inside and outside its schedule, and whether that met the target.
//!
//! The input is a list of [`Outage`]s of one service (or configuration item), each with a
//! begin, an end (or none while it goes on) and a kind; the [`Commitment`] says what the
//! service promises (a target percentage, what planned outages and degradations count as,
//! how an ongoing outage is read, service credits); the schedule is any [`WorkingTime`] (an
//! `itsm_calendar::Calendar` with the `calendar` feature), or none for 24x7. Every figure is
//! computed exactly from the instants (to the nanosecond); only the percentages are floats.
//!
//! The rules (ServiceNow's Service Portfolio Management where it documents one; every other
//! choice is an option or written in `docs/metrics.md`):
//! - only unplanned outages are downtime by default; planned outages and degradations are
//!   not ([`PlannedOutages`], [`Degradations`]);
//! - unplanned time that overlaps a planned outage does not count as downtime;
//! - overlapping or touching outages count once, as one outage;
//! - an ongoing outage (no end) is left out by default ([`Ongoing`]);
//! - an outage that crosses a period's bounds counts its part inside the period, in each
//!   period it touches;
//! - the commitment's figures count only scheduled time: an outage entirely outside the
//!   schedule is no commitment outage, and two outages separated only by unscheduled time
//!   are one.

use chrono::{
    DateTime, Datelike, Duration, MappedLocalTime, Months, NaiveDate, NaiveDateTime, Offset,
    TimeZone, Utc,
};

use crate::error::Error;
use crate::kpis::WorkingTime;

/// What an outage record says happened (ServiceNow's outage types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum OutageKind {
    /// An unplanned outage: the service could not be used. The default.
    #[default]
    Outage,
    /// A planned outage (maintenance, an upgrade): what it counts as is
    /// [`Commitment::planned`].
    Planned,
    /// The service worked, but worse (slow, partial, intermittent): what it counts as is
    /// [`Commitment::degradations`].
    Degradation,
}

/// One outage of a service: from `begin` to `end` (half-open), or still going on when `end`
/// is `None`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use itsm_metrics::{Outage, OutageKind};
///
/// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
/// let outage = Outage::new(at(9), Some(at(10)), OutageKind::Outage);
/// assert_eq!(outage.kind, OutageKind::Outage);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Outage {
    /// When it began.
    pub begin: DateTime<Utc>,
    /// When it ended (not before `begin`), or `None` while it goes on.
    #[cfg_attr(feature = "serde", serde(default))]
    pub end: Option<DateTime<Utc>>,
    /// What kind of outage it was (`outage` when left out).
    #[cfg_attr(feature = "serde", serde(default))]
    pub kind: OutageKind,
}

impl Outage {
    /// An outage of the given kind.
    pub fn new(begin: DateTime<Utc>, end: Option<DateTime<Utc>>, kind: OutageKind) -> Self {
        Outage { begin, end, kind }
    }

    /// The unplanned outage a ticket stands for, as ServiceNow's "real availability" reads a
    /// priority-1 case: from its opening to its first resolution (or closure, whichever
    /// comes first), ongoing while neither has come; `None` for a ticket canceled before
    /// either (it was no outage). Which tickets stand for outages (priority 1, a service's
    /// classification) is the host's filter.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
    /// use itsm_metrics::{Outage, OutageKind};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
    /// let mut spec = TimelineSpec::new("INC1", Practice::Incident, at(8));
    /// spec.priority = Some(1);
    /// spec.marks = vec![Mark::new(at(11), MarkKind::Resolved), Mark::new(at(12), MarkKind::Reopened)];
    /// let incident = Timeline::new(spec)?;
    /// assert_eq!(Outage::from_timeline(&incident), Some(Outage::new(at(8), Some(at(11)), OutageKind::Outage)));
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn from_timeline(timeline: &itsm_core::Timeline) -> Option<Outage> {
        use itsm_core::MarkKind;
        let end = timeline.marks().iter().find_map(|mark| match mark.kind {
            MarkKind::Resolved | MarkKind::Closed => Some(Some(mark.at)),
            MarkKind::Canceled => Some(None),
            _ => None,
        });
        match end {
            Some(None) => None,
            Some(Some(end)) => Some(Outage::new(
                timeline.opened_at(),
                Some(end),
                OutageKind::Outage,
            )),
            None => Some(Outage::new(timeline.opened_at(), None, OutageKind::Outage)),
        }
    }
}

/// What a planned outage counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum PlannedOutages {
    /// As uptime, and unplanned time inside it is no downtime either (ServiceNow: only
    /// unplanned outages count). The default.
    #[default]
    Uptime,
    /// Left out of the measured time altogether, neither up nor down (monitoring tools such
    /// as Centreon leave planned downtime out of the availability rate); unplanned time
    /// inside it is left out too.
    Excluded,
    /// As downtime, like an unplanned outage (the users' view: down is down).
    Downtime,
}

/// What a degradation counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Degradations {
    /// As uptime (ServiceNow: a degradation does not disrupt the service). The default.
    #[default]
    Uptime,
    /// As downtime, like an unplanned outage.
    Downtime,
}

/// How an outage without an end is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Ongoing {
    /// Left out until it has an end (ServiceNow: an outage needs an end date to count). The
    /// default.
    #[default]
    Ignored,
    /// Counted up to this instant, the host's "now" (left out if it began at or after it).
    Until(DateTime<Utc>),
}

/// A service credit: availability strictly below `below` percent earns `credit` percent
/// (of the period's fee, say). Where several tiers apply, the largest credit is earned.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CreditTier {
    /// The availability, in percent (above 0, at most 100), below which the credit is earned.
    pub below: f64,
    /// The credit, in percent (0 to 100).
    pub credit: f64,
}

/// What a service promises about its availability, and how outages are read against it
/// ([`Commitment::measure`] has an example).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Commitment {
    /// The availability promised, in percent of the scheduled time (0 to 100; `99.9`).
    pub target: f64,
    /// What planned outages count as.
    #[cfg_attr(feature = "serde", serde(default))]
    pub planned: PlannedOutages,
    /// What degradations count as.
    #[cfg_attr(feature = "serde", serde(default))]
    pub degradations: Degradations,
    /// How an outage without an end is read.
    #[cfg_attr(feature = "serde", serde(default))]
    pub ongoing: Ongoing,
    /// Service credits earned below a level of availability (none by default).
    #[cfg_attr(feature = "serde", serde(default))]
    pub credits: Vec<CreditTier>,
}

/// A period availability is measured over: from `start` to `end`, half-open, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Period {
    /// Its first instant.
    pub start: DateTime<Utc>,
    /// The instant after it.
    pub end: DateTime<Utc>,
}

impl Period {
    /// The period from `start` to `end`, or [`Error::EmptyPeriod`] unless `start < end`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, Error> {
        if start < end {
            Ok(Period { start, end })
        } else {
            Err(Error::EmptyPeriod {
                index: 0,
                start,
                end,
            })
        }
    }
}

/// The availability of a service over one period, against one commitment.
///
/// The `total_` figures are wall-clock time, independent of the schedule; the others count
/// only scheduled time (the same as the total ones when there is no schedule). An outage
/// here is a stretch of counted downtime: overlapping records are one, and two stretches
/// count as one when no counted uptime lies between them. In JSON the durations are ISO 8601
/// strings.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Availability {
    /// The period measured.
    pub period: Period,
    /// The period's wall-clock length (less planned outages when they are
    /// [`Excluded`](PlannedOutages::Excluded)).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub total_time: Duration,
    /// Wall-clock downtime in the period.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub total_downtime: Duration,
    /// Outages in the period, whether scheduled or not.
    pub total_outages: u64,
    /// `(total_time - total_downtime) / total_time`, in percent; `None` when `total_time` is 0.
    pub total_availability: Option<f64>,
    /// The scheduled time in the period (ServiceNow's committed uptime), less planned
    /// outages when they are excluded.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub scheduled_time: Duration,
    /// Scheduled time left out because planned outages are excluded (0 otherwise).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub excluded_time: Duration,
    /// Downtime within the schedule (the commitment's downtime).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub downtime: Duration,
    /// Outages with downtime within the schedule.
    pub outages: u64,
    /// `(scheduled_time - downtime) / scheduled_time`, in percent; `None` when nothing was
    /// scheduled.
    pub availability: Option<f64>,
    /// The downtime the target allows: `scheduled_time * (100 - target) / 100`.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub acceptable_downtime: Duration,
    /// `acceptable_downtime - downtime`: what is left of the error budget (negative once the
    /// target is missed).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub budget_left: Duration,
    /// Whether the availability is at least the target (compared exactly, to a billionth of
    /// the scheduled time); `None` when nothing was scheduled.
    pub met: Option<bool>,
    /// Mean time between failures: scheduled uptime (`scheduled_time - downtime`) divided by
    /// `outages`; `None` without outages.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub mtbf: Option<Duration>,
    /// Mean time to restore service: `downtime` divided by `outages`; `None` without outages.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub mtrs: Option<Duration>,
    /// Mean time between service incidents: `scheduled_time` divided by `outages` (MTBF plus
    /// MTRS, to the nanosecond); `None` without outages.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub mtbsi: Option<Duration>,
    /// The service credit earned, in percent: the largest of the tiers whose `below` the
    /// availability is under; `None` when none is (or nothing was scheduled).
    pub credit: Option<f64>,
}

/// A billion, the scale of targets and tiers in exact comparisons.
const SCALE: i128 = 1_000_000_000;

impl Commitment {
    /// A commitment to `target` percent, with every other choice at its default
    /// (ServiceNow's reading): planned outages and degradations are uptime, ongoing outages
    /// are left out, no credits.
    pub fn new(target: f64) -> Self {
        Commitment {
            target,
            planned: PlannedOutages::default(),
            degradations: Degradations::default(),
            ongoing: Ongoing::default(),
            credits: Vec::new(),
        }
    }

    /// Checks the target and the credit tiers: [`Error::InvalidValue`] names the first value
    /// out of range.
    pub fn check(&self) -> Result<(), Error> {
        percent(
            self.target,
            "availability target",
            "give a percentage from 0 to 100",
        )?;
        for tier in &self.credits {
            if !(tier.below > 0.0 && tier.below <= 100.0) {
                return Err(invalid(
                    tier.below,
                    "credit tier's availability",
                    "give a percentage above 0 and at most 100",
                ));
            }
            percent(
                tier.credit,
                "service credit",
                "give a percentage from 0 to 100",
            )?;
        }
        Ok(())
    }

    /// The availability in each of `periods` (in their order) of a service with these
    /// `outages` (in any order), within `schedule` (every instant, when `None`).
    ///
    /// Errors: the commitment's values out of range ([`Error::InvalidValue`]), an outage that
    /// ends before it begins ([`Error::OutageEndsBeforeBegin`]), a period that does not end
    /// after it starts ([`Error::EmptyPeriod`]), a span the schedule cannot measure
    /// ([`Error::Unmeasured`]).
    ///
    /// Time: `O(k log k + p log k + s)` for `k` outages, `p` periods and `s` stretches of
    /// downtime or planned time summed over the periods (each with one schedule lookup):
    /// `s` is about `k` for periods that do not overlap, up to `p k` for periods that each
    /// cover everything.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_metrics::{Commitment, Outage, OutageKind, Period};
    ///
    /// let at = |d, h| Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap();
    /// let commitment = Commitment::new(99.0);
    /// let outages = [Outage::new(at(2, 9), Some(at(2, 18)), OutageKind::Outage)];
    /// let march = Period::new(at(1, 0), Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap())?;
    ///
    /// let all = commitment.measure(&outages, &[march], None)?;
    /// let a = &all[0];
    /// assert_eq!(a.downtime.num_hours(), 9);
    /// assert_eq!(a.acceptable_downtime.num_minutes(), 744 * 60 / 100); // 1% of 31 days
    /// assert_eq!(a.met, Some(false));
    /// # Ok::<(), itsm_metrics::Error>(())
    /// ```
    pub fn measure(
        &self,
        outages: &[Outage],
        periods: &[Period],
        schedule: Option<&dyn WorkingTime>,
    ) -> Result<Vec<Availability>, Error> {
        self.check()?;
        for (index, period) in periods.iter().enumerate() {
            if period.start >= period.end {
                return Err(Error::EmptyPeriod {
                    index,
                    start: period.start,
                    end: period.end,
                });
            }
        }
        let (down, planned) = self.stretches(outages)?;
        let clock = Clock { schedule };
        periods
            .iter()
            .map(|period| self.one(period, &down, &planned, &clock))
            .collect()
    }

    /// The counted downtime and the planned time to subtract or exclude, each sorted and
    /// merged (disjoint, not touching), the downtime already without the planned time.
    fn stretches(&self, outages: &[Outage]) -> Result<(Vec<Span>, Vec<Span>), Error> {
        let mut down = Vec::new();
        let mut planned = Vec::new();
        for (index, outage) in outages.iter().enumerate() {
            let end = match (outage.end, self.ongoing) {
                (Some(end), _) if end < outage.begin => {
                    return Err(Error::OutageEndsBeforeBegin {
                        index,
                        begin: outage.begin,
                        end,
                    });
                }
                (Some(end), _) => end,
                (None, Ongoing::Ignored) => continue,
                (None, Ongoing::Until(now)) => now,
            };
            if end <= outage.begin {
                continue;
            }
            let span = Span {
                start: outage.begin,
                end,
            };
            match (outage.kind, self.planned, self.degradations) {
                (OutageKind::Outage, ..)
                | (OutageKind::Planned, PlannedOutages::Downtime, _)
                | (OutageKind::Degradation, _, Degradations::Downtime) => down.push(span),
                (OutageKind::Planned, ..) => planned.push(span),
                (OutageKind::Degradation, _, Degradations::Uptime) => {}
            }
        }
        let down = union(down);
        let planned = union(planned);
        Ok((subtract(&down, &planned), planned))
    }

    fn one<'s>(
        &self,
        period: &Period,
        down: &'s [Span],
        planned: &'s [Span],
        clock: &Clock<'_>,
    ) -> Result<Availability, Error> {
        let excluding = self.planned == PlannedOutages::Excluded;
        // The spans that overlap the period, clipped to it (no copy: a million periods over
        // a million spans allocate nothing per period).
        let within = |spans: &'s [Span]| {
            let first = spans.partition_point(|s| s.end <= period.start);
            spans
                .get(first..)
                .unwrap_or_default()
                .iter()
                .take_while(move |s| s.start < period.end)
                .map(move |s| Span {
                    start: s.start.max(period.start),
                    end: s.end.min(period.end),
                })
        };
        let down = within(down);
        let excluded = within(if excluding { planned } else { &[] });

        // Walk the stretches in time order; each one's wall and scheduled length, and the
        // counted uptime since the last stretch of downtime (wall and scheduled), decide
        // whether a stretch of downtime is a new outage.
        let mut wall = Tally::new(period.start);
        let mut sched = Tally::new(period.start);
        let mut excluded_wall = Duration::zero();
        let mut excluded_sched = Duration::zero();
        let (mut d, mut x) = (down.peekable(), excluded.peekable());
        loop {
            let take_down = match (d.peek(), x.peek()) {
                (Some(a), Some(b)) => a.start < b.start,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_down {
                let Some(span) = d.next() else { break };
                wall.down(&span, span.end - span.start, |a, b| Ok(b - a))?;
                let length = clock.measure(span.start, span.end)?;
                sched.down(&span, length, |a, b| clock.measure(a, b))?;
            } else {
                let Some(span) = x.next() else { break };
                let length = span.end - span.start;
                excluded_wall += length;
                wall.excluded_since += length;
                let length = clock.measure(span.start, span.end)?;
                excluded_sched += length;
                sched.excluded_since += length;
            }
        }

        let total_time = (period.end - period.start) - excluded_wall;
        let scheduled_time = clock.measure(period.start, period.end)? - excluded_sched;
        let (sched_ns, down_ns) = (nanos(scheduled_time), nanos(sched.downtime));
        let up_ns = sched_ns - down_ns;
        let target = scaled(self.target);
        let acceptable_downtime = from_nanos(sched_ns * (SCALE - target) / SCALE);
        let per_outage =
            |ns: i128| (sched.outages > 0).then(|| from_nanos(ns / i128::from(sched.outages)));
        let credit = (sched_ns > 0)
            .then(|| {
                self.credits
                    .iter()
                    .filter(|tier| up_ns * SCALE < scaled(tier.below) * sched_ns)
                    .map(|tier| tier.credit)
                    .fold(None, |best: Option<f64>, c| {
                        Some(best.map_or(c, |b| b.max(c)))
                    })
            })
            .flatten();
        Ok(Availability {
            period: *period,
            total_time,
            total_downtime: wall.downtime,
            total_outages: wall.outages,
            total_availability: ratio(nanos(total_time), nanos(wall.downtime)),
            scheduled_time,
            excluded_time: excluded_sched,
            downtime: sched.downtime,
            outages: sched.outages,
            availability: ratio(sched_ns, down_ns),
            acceptable_downtime,
            budget_left: acceptable_downtime - sched.downtime,
            met: (sched_ns > 0).then(|| up_ns * SCALE >= target * sched_ns),
            mtbf: per_outage(up_ns),
            mtrs: per_outage(down_ns),
            mtbsi: per_outage(sched_ns),
            credit,
        })
    }
}

/// A half-open stretch of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// Downtime and outages counted on one clock (wall or scheduled).
struct Tally {
    downtime: Duration,
    outages: u64,
    /// Where the last stretch of downtime with a positive length on this clock ended (the
    /// period's start before the first).
    last_end: DateTime<Utc>,
    /// Whether a stretch of downtime was counted yet.
    any: bool,
    /// Excluded time on this clock since `last_end`.
    excluded_since: Duration,
}

impl Tally {
    fn new(start: DateTime<Utc>) -> Self {
        Tally {
            downtime: Duration::zero(),
            outages: 0,
            last_end: start,
            any: false,
            excluded_since: Duration::zero(),
        }
    }

    /// Counts a stretch of downtime of `length` on this clock; a new outage unless counted
    /// uptime (the clock's time since the last one, less excluded time) is zero.
    fn down(
        &mut self,
        span: &Span,
        length: Duration,
        measure: impl Fn(DateTime<Utc>, DateTime<Utc>) -> Result<Duration, Error>,
    ) -> Result<(), Error> {
        if length <= Duration::zero() {
            return Ok(());
        }
        let new = !self.any
            || measure(self.last_end, span.start)? - self.excluded_since > Duration::zero();
        if new {
            self.outages += 1;
        }
        self.any = true;
        self.downtime += length;
        self.last_end = span.end;
        self.excluded_since = Duration::zero();
        Ok(())
    }
}

/// The schedule, or the wall clock.
struct Clock<'a> {
    schedule: Option<&'a dyn WorkingTime>,
}

impl Clock<'_> {
    /// The time from `from` to `to` (`from <= to`) on this clock. A schedule's answer is
    /// clamped to between zero and the span, so that no sum of them can overflow whatever a
    /// host's `WorkingTime` returns.
    fn measure(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Duration, Error> {
        let span = to - from;
        match self.schedule {
            None => Ok(span),
            Some(schedule) => schedule
                .working_time(from, to)
                .map(|time| time.clamp(Duration::zero(), span))
                .ok_or(Error::Unmeasured { from, to }),
        }
    }
}

/// Sorted, merged (overlapping or touching spans become one).
fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_unstable_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// `a` without `b` (both sorted and merged).
fn subtract(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::with_capacity(a.len());
    let mut j = 0;
    for span in a {
        let mut start = span.start;
        while let Some(cut) = b.get(j) {
            if cut.end <= start {
                j += 1;
                continue;
            }
            if cut.start >= span.end {
                break;
            }
            if cut.start > start {
                out.push(Span {
                    start,
                    end: cut.start,
                });
            }
            if cut.end >= span.end {
                start = span.end;
                break;
            }
            start = cut.end;
            j += 1;
        }
        if start < span.end {
            out.push(Span {
                start,
                end: span.end,
            });
        }
    }
    out
}

fn nanos(d: Duration) -> i128 {
    i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos())
}

fn from_nanos(ns: i128) -> Duration {
    // Every value passed here lies between zero and a period's length, which chrono holds.
    let secs = i64::try_from(ns.div_euclid(SCALE))
        .ok()
        .and_then(Duration::try_seconds);
    let rest = Duration::nanoseconds(i64::try_from(ns.rem_euclid(SCALE)).unwrap_or(0));
    secs.and_then(|s| s.checked_add(&rest))
        .unwrap_or(Duration::MAX)
}

fn ratio(whole: i128, down: i128) -> Option<f64> {
    (whole > 0).then(|| (whole - down) as f64 / whole as f64 * 100.0)
}

/// A checked percentage as billionths of the whole.
fn scaled(percent: f64) -> i128 {
    // In [0, 100] after `check`, so the product is at most 1e9 and the cast exact.
    (percent * 10_000_000.0).round() as i128
}

fn invalid(value: f64, what: &'static str, allowed: &'static str) -> Error {
    Error::InvalidValue {
        value: value.to_string(),
        what,
        allowed,
    }
}

fn percent(value: f64, what: &'static str, allowed: &'static str) -> Result<(), Error> {
    if (0.0..=100.0).contains(&value) {
        Ok(())
    } else {
        Err(invalid(value, what, allowed))
    }
}

/// The length of the periods [`periods`] cuts time into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Interval {
    /// Local days, from midnight.
    Daily,
    /// Local weeks, from Monday's midnight (ISO 8601 weeks).
    Weekly,
    /// Local calendar months, from the first's midnight.
    Monthly,
    /// Local calendar years, from 1 January's midnight.
    Annually,
}

/// The whole periods of `interval` in `zone`'s local calendar that overlap `from` to `to`
/// (half-open): the first starts at or before `from`, the last ends at or after `to`. A
/// local midnight that daylight saving skips starts at the first instant after it; a day a
/// zone skips entirely has no period.
///
/// Lazy, so that a span of centuries cut into days costs nothing until it is walked.
/// [`Error::EmptyPeriod`] unless `from < to`; [`Error::OutOfRange`] when a bound's period
/// would start or end outside chrono's range.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use itsm_metrics::{Interval, periods};
///
/// let from = Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap();
/// let to = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
/// let months: Vec<_> = periods(Interval::Monthly, &Utc, from, to)?.collect();
/// assert_eq!(months.len(), 2); // January and February
/// assert_eq!(months[0].start, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
/// assert_eq!(months[1].end, to);
/// # Ok::<(), itsm_metrics::Error>(())
/// ```
pub fn periods<Tz: TimeZone>(
    interval: Interval,
    zone: &Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Periods<Tz>, Error> {
    if from >= to {
        return Err(Error::EmptyPeriod {
            index: 0,
            start: from,
            end: to,
        });
    }
    let out_of_range = || Error::OutOfRange { from, to };
    let first = local_day(zone, from)
        .and_then(|day| first_day(interval, day))
        .ok_or_else(out_of_range)?;
    let start = midnight(zone, first).ok_or_else(out_of_range)?;
    // The period holding the instant before `to` must end inside chrono's range.
    to.checked_sub_signed(Duration::nanoseconds(1))
        .and_then(|last| local_day(zone, last))
        .and_then(|day| first_day(interval, day))
        .and_then(|last| next_day(interval, last))
        .and_then(|day| midnight(zone, day))
        .ok_or_else(out_of_range)?;
    Ok(Periods {
        interval,
        zone: zone.clone(),
        day: first,
        start,
        to,
    })
}

/// The periods [`periods`] returns, in time order.
#[derive(Debug, Clone)]
pub struct Periods<Tz: TimeZone> {
    interval: Interval,
    zone: Tz,
    /// The local date the next period starts on.
    day: NaiveDate,
    /// Its first instant.
    start: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl<Tz: TimeZone> Iterator for Periods<Tz> {
    type Item = Period;

    fn next(&mut self) -> Option<Period> {
        if self.start >= self.to {
            return None;
        }
        // Checked in `periods`: every day up to the one after `to`'s period has a start. A
        // day a zone skipped entirely (Samoa's 30 December 2011) starts where the next one
        // does: no period of its own.
        let mut day = self.day;
        loop {
            day = next_day(self.interval, day)?;
            let end = midnight(&self.zone, day)?;
            if end > self.start {
                let period = Period {
                    start: self.start,
                    end,
                };
                self.day = day;
                self.start = end;
                return Some(period);
            }
        }
    }
}

/// The local date of `at` in `zone`, or `None` where it falls outside chrono's dates (at
/// the ends of its range, where `with_timezone` would panic).
fn local_day<Tz: TimeZone>(zone: &Tz, at: DateTime<Utc>) -> Option<NaiveDate> {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    at.naive_utc()
        .checked_add_offset(offset)
        .map(|local| local.date())
}

fn first_day(interval: Interval, day: NaiveDate) -> Option<NaiveDate> {
    match interval {
        Interval::Daily => Some(day),
        Interval::Weekly => day.checked_sub_signed(Duration::days(i64::from(
            day.weekday().num_days_from_monday(),
        ))),
        Interval::Monthly => day.with_day(1),
        Interval::Annually => day.with_ordinal(1),
    }
}

fn next_day(interval: Interval, day: NaiveDate) -> Option<NaiveDate> {
    match interval {
        Interval::Daily => day.succ_opt(),
        Interval::Weekly => day.checked_add_signed(Duration::days(7)),
        Interval::Monthly => day.checked_add_months(Months::new(1)),
        Interval::Annually => day.checked_add_months(Months::new(12)),
    }
}

/// The first instant of `day` in `zone`: its midnight, or, where daylight saving (or a zone
/// moving across the date line) skips it, the first instant whose local date is `day` or
/// later, found by bisection to the nanosecond. `None` outside chrono's range.
fn midnight<Tz: TimeZone>(zone: &Tz, day: NaiveDate) -> Option<DateTime<Utc>> {
    let midnight = day.and_hms_opt(0, 0, 0)?;
    match zone.offset_from_local_datetime(&midnight) {
        MappedLocalTime::None => {}
        found => {
            return found
                .earliest()
                .and_then(|offset| midnight.checked_sub_offset(offset.fix()))
                .map(|utc| utc.and_utc());
        }
    }
    // Skipped: local time jumps over midnight somewhere in the 50 hours around it (offsets
    // are under a day either way). Bisect for the first instant at or past local midnight.
    let reached = |utc: NaiveDateTime| {
        utc.checked_add_offset(zone.offset_from_utc_datetime(&utc).fix())
            .is_some_and(|local| local >= midnight)
    };
    let mut lo = midnight.checked_sub_signed(Duration::hours(25))?;
    let mut hi = midnight.checked_add_signed(Duration::hours(25))?;
    while hi.signed_duration_since(lo) > Duration::nanoseconds(1) {
        let half = hi.signed_duration_since(lo) / 2;
        let mid = lo.checked_add_signed(half)?;
        if reached(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi.and_utc())
}
