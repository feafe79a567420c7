//! The checked, compiled form of a [`Config`]: [`Model`] and what the event loop reads.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use itsm_calendar::Calendar;
use itsm_core::Category;

use crate::arrivals::{Arrivals, Profile, hours_into};
use crate::config::{
    ClassSpec, Config, DESK, Discipline, Hold, MAX_AGENTS, MAX_ARRIVALS, MAX_GROUPS, MAX_HORIZON,
    MAX_PASSES, MAX_SAMPLES, MAX_STAFFING_CHANGES, Reassign, Reopen, Reopens, Staffing,
};
use crate::dist::{Sampler, ServiceTime};
use crate::error::Error;
use crate::time::hours;

/// The instants `from` and `to` hours after `start`, to the microsecond.
fn instants(
    start: DateTime<Utc>,
    from: f64,
    to: f64,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Error> {
    crate::time::instant(start, from)
        .zip(crate::time::instant(start, to))
        .ok_or(Error::DateOverflow)
}

/// One checked class, in hours.
#[derive(Debug, Clone)]
pub(crate) struct Class {
    pub(crate) priority: u8,
    /// The mean rate an hour.
    pub(crate) rate: f64,
    /// The hourly profile, if any (then `rate` is its mean).
    pub(crate) profile: Option<Profile>,
    pub(crate) service: Sampler,
    /// The targets in nanoseconds, as the SLA engine counts them.
    pub(crate) response: i64,
    pub(crate) resolution: i64,
    /// The calendar the targets count on; `None`: around the clock.
    pub(crate) calendar: Option<Calendar>,
    /// The share of tickets put on hold and the hold's duration, if any.
    pub(crate) hold: Option<(f64, Sampler)>,
    /// Its reopens, if any.
    pub(crate) reopen: Option<Reopens>,
    /// The group that takes its tickets first (0: the desk).
    pub(crate) pool: u32,
    /// Its reassignments, if any.
    pub(crate) reassign: Option<Reassigns>,
}

/// A class's reassignments, checked and compiled.
#[derive(Debug, Clone)]
pub(crate) struct Reassigns {
    pub(crate) probability: f64,
    /// The group passed to.
    pub(crate) to: u32,
    pub(crate) triage: Sampler,
    /// The passes after the first, in order ([`Reassign::then`]).
    pub(crate) then: Vec<Onward>,
}

/// A further pass, checked and compiled: of the tickets that came through the pass
/// before, the share `probability` goes on to group `to` after `triage`.
#[derive(Debug, Clone)]
pub(crate) struct Onward {
    pub(crate) probability: f64,
    pub(crate) to: u32,
    pub(crate) triage: Sampler,
}

impl Reassigns {
    /// Every pass in order as (probability, group passed to, triage), the first included.
    pub(crate) fn passes(&self) -> impl Iterator<Item = (f64, u32, &Sampler)> {
        std::iter::once((self.probability, self.to, &self.triage))
            .chain(self.then.iter().map(|o| (o.probability, o.to, &o.triage)))
    }
}

/// One group of agents: the desk (0) or a resolver group, its seats numbered from `first`.
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    pub(crate) name: String,
    /// The most agents on duty in it at once.
    pub(crate) seats: u32,
    /// Its first seat.
    pub(crate) first: u32,
    /// The groups whose tickets its agents take when none of its own wait, in order.
    pub(crate) helps: Vec<u32>,
    /// The groups whose agents take its tickets when none of its own agents is free, in
    /// group order.
    pub(crate) helpers: Vec<u32>,
}

impl Class {
    /// Whether a target of `target` nanoseconds, counted from `from` hours, is due at `to`
    /// hours (the SLA engine's rule: due at its deadline's instant). On the class's calendar
    /// the deadline is the calendar's `add` from the start instant, as itsm-sla computes it,
    /// on the same microsecond instants as the full path.
    ///
    /// `paused` is the business time the clock spent paused, in nanoseconds: the deadline
    /// moves out by it (itsm-sla's pause mode).
    #[inline]
    pub(crate) fn due(
        &self,
        start: DateTime<Utc>,
        from: f64,
        to: f64,
        target: i64,
        paused: i64,
    ) -> Result<bool, Error> {
        let target = target.checked_add(paused).ok_or(Error::DateOverflow)?;
        let Some(calendar) = &self.calendar else {
            return Ok(crate::time::due(from, to, target));
        };
        let (from, to) = instants(start, from, to)?;
        let deadline = calendar
            .add(&from, Duration::nanoseconds(target))
            .map_err(|e| Error::SlaCalendar {
                priority: self.priority,
                reason: e.to_string(),
            })?;
        Ok(to >= deadline)
    }

    /// The business time from `from` to `to` hours, in nanoseconds, on the class's
    /// calendar (around the clock without one), on the microsecond instants the SLA engine
    /// sees: how far a pause from `from` to `to` moves the deadline.
    pub(crate) fn business(&self, start: DateTime<Utc>, from: f64, to: f64) -> Result<i64, Error> {
        let (from, to) = instants(start, from, to)?;
        let span = match &self.calendar {
            None => to - from,
            Some(calendar) => calendar
                .duration(&from, &to)
                .map_err(|e| Error::SlaCalendar {
                    priority: self.priority,
                    reason: e.to_string(),
                })?,
        };
        span.num_nanoseconds().ok_or(Error::DateOverflow)
    }
}

/// A checked configuration, ready to run: classes in priority order, the staffing as a step
/// function, the SLA definitions and the incident policy the full path uses.
#[derive(Debug, Clone)]
pub struct Model {
    config: Config,
    pub(crate) classes: Vec<Class>,
    /// `(from hour, group, agents)` for every group, in time order (then by group); each
    /// group's from 0, consecutive values different.
    pub(crate) staffing: Vec<(f64, u32, u32)>,
    /// The desk (0) and the resolver groups, in [`Config::groups`]'s order.
    pub(crate) pools: Vec<Pool>,
    /// The group of each seat.
    pub(crate) seat_pool: Vec<u32>,
    /// Every group's seats together.
    pub(crate) seats: u32,
    pub(crate) horizon: f64,
    pub(crate) warmup: f64,
    pub(crate) sample_every: f64,
    pub(crate) definitions: itsm_sla::Definitions,
    pub(crate) policy: itsm_incident::Policy,
    /// Pre-emptive resume ([`Discipline::PreemptiveResume`]).
    pub(crate) preemptive: bool,
}

impl Model {
    /// Checks `config` and compiles it.
    ///
    /// ```
    /// use itsm_sim::chrono::Duration;
    /// use itsm_sim::{Config, Error, Model, Staffing};
    ///
    /// let mut config = Config::mmc(4.0, 1.0, 5, Duration::hours(100));
    /// config.staffing = Staffing::Constant { agents: 0 };
    /// assert_eq!(Model::new(config).unwrap_err(), Error::NoAgents);
    /// ```
    ///
    /// # Errors
    /// One variant per cause: [`Error::NoClasses`], [`Error::PriorityOutOfRange`],
    /// [`Error::DuplicatePriority`], [`Error::BadRate`], [`Error::BadServiceTime`],
    /// [`Error::BadTarget`], [`Error::BadHorizon`], [`Error::BadWarmup`],
    /// [`Error::BadSampleInterval`], [`Error::HourlyLength`], [`Error::NoAgents`],
    /// [`Error::TooManyAgents`], [`Error::Calendar`], [`Error::SlaCalendar`], [`Error::BadHold`],
    /// [`Error::BadReopen`], [`Error::DuplicateGroup`], [`Error::UnknownGroup`],
    /// [`Error::BadGroup`], [`Error::TooManyGroups`], [`Error::BadReassign`], [`Error::BadHelp`],
    /// [`Error::TooManyStaffingChanges`], [`Error::TooManyArrivals`], [`Error::DateOverflow`].
    pub fn new(config: Config) -> Result<Model, Error> {
        let fmt = itsm_core::duration::format;
        if config.horizon <= Duration::zero() || config.horizon > MAX_HORIZON {
            return Err(Error::BadHorizon {
                value: fmt(config.horizon),
            });
        }
        if config.warmup < Duration::zero() || config.warmup >= config.horizon {
            return Err(Error::BadWarmup {
                warmup: fmt(config.warmup),
                horizon: fmt(config.horizon),
            });
        }
        let end = config
            .start
            .checked_add_signed(config.horizon + Duration::days(1))
            .ok_or(Error::DateOverflow)?;
        if end.year() > 9000 || config.start.year() < 1 {
            return Err(Error::DateOverflow);
        }
        let horizon = hours(config.horizon);
        let warmup = hours(config.warmup);
        let sample_every = hours(config.sample_every);
        if config.sample_every <= Duration::zero()
            || (horizon - warmup) / sample_every > MAX_SAMPLES as f64
        {
            return Err(Error::BadSampleInterval {
                value: fmt(config.sample_every),
                limit: MAX_SAMPLES,
            });
        }
        if config.classes.is_empty() {
            return Err(Error::NoClasses);
        }
        // The desk is group 0; the others follow in their order.
        if config.groups.len() > MAX_GROUPS {
            return Err(Error::TooManyGroups {
                groups: config.groups.len(),
                limit: MAX_GROUPS,
            });
        }
        let mut groups: BTreeMap<&str, u32> = BTreeMap::from([(DESK, 0)]);
        for (i, g) in config.groups.iter().enumerate() {
            if g.name.trim().is_empty() {
                return Err(Error::BadGroup {
                    group: g.name.clone(),
                    reason: "its name is empty; give each group a name".into(),
                });
            }
            // invariant: at most MAX_GROUPS + 1 groups, far below u32::MAX.
            let ix = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if groups.insert(&g.name, ix).is_some() {
                return Err(Error::DuplicateGroup {
                    group: g.name.clone(),
                });
            }
        }
        let group = |name: &str, p: u8| {
            groups
                .get(name)
                .copied()
                .ok_or_else(|| Error::UnknownGroup {
                    priority: p,
                    group: name.to_string(),
                    known: std::iter::once(DESK)
                        .chain(config.groups.iter().map(|g| g.name.as_str()))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        };
        let mut used = vec![false; config.groups.len() + 1];
        let mut classes = Vec::with_capacity(config.classes.len());
        let mut expected = 0.0;
        for spec in &config.classes {
            let p = spec.priority;
            if !(1..=5).contains(&p) {
                return Err(Error::PriorityOutOfRange { priority: p });
            }
            if classes.iter().any(|c: &Class| c.priority == p) {
                return Err(Error::DuplicatePriority { priority: p });
            }
            let rate = spec.arrivals.rate_per_hour();
            let bad = |value: &f64| Error::BadRate {
                priority: p,
                value: value.to_string(),
            };
            let profile = match &spec.arrivals {
                Arrivals::Poisson { rate: given, per } => {
                    if !(rate.is_finite() && rate > 0.0 && *per > Duration::zero()) {
                        return Err(bad(given));
                    }
                    None
                }
                Arrivals::Profile { rates, per } => {
                    let len = rates.len();
                    if len != 24 && len != 168 {
                        return Err(Error::ProfileLength { priority: p, len });
                    }
                    if let Some(r) = rates.iter().find(|r| !(r.is_finite() && **r >= 0.0)) {
                        return Err(bad(r));
                    }
                    if !(rate.is_finite() && rate > 0.0 && *per > Duration::zero()) {
                        return Err(bad(&rate));
                    }
                    let scale = hours(*per);
                    let shape: Vec<f64> = rates.iter().map(|r| r / scale).collect();
                    let max = shape.iter().copied().fold(0.0, f64::max);
                    Some(Profile {
                        into: hours_into(config.start, len),
                        shape,
                        max,
                    })
                }
            };
            for (target, value) in [("response", spec.response), ("resolution", spec.resolution)] {
                if value <= Duration::zero() || value > itsm_sla::MAX_TARGET {
                    return Err(Error::BadTarget {
                        priority: p,
                        target,
                        value: fmt(value),
                    });
                }
            }
            expected += rate * horizon;
            let calendar = match &spec.calendar {
                None => None,
                Some(c) => {
                    let bad = |reason: String| Error::SlaCalendar {
                        priority: p,
                        reason,
                    };
                    let calendar = Calendar::new(c).map_err(|e| bad(e.to_string()))?;
                    // Every deadline of the run must exist: one counted from the horizon
                    // is the latest, so a calendar whose open time runs out (open
                    // exceptions only) is refused here, not half-way through a run.
                    let longest = spec.response.max(spec.resolution);
                    let run_end = config.start + config.horizon;
                    calendar.add(&run_end, longest).map_err(|e| {
                        bad(format!(
                            "it has less than {} of open time after the run's end: {e}",
                            fmt(longest)
                        ))
                    })?;
                    Some(calendar)
                }
            };
            let pool = match &spec.group {
                None => 0,
                Some(name) => group(name, p)?,
            };
            let reassign = match &spec.reassign {
                None => None,
                Some(r) => {
                    // The count first, so that a long list is refused as long whatever
                    // names it holds.
                    passes(r, p)?;
                    let first = group(&r.to, p)?;
                    let then = r
                        .then
                        .iter()
                        .map(|hop| group(&hop.to, p))
                        .collect::<Result<Vec<u32>, Error>>()?;
                    Some(reassigns(r, spec, pool, first, &then)?)
                }
            };
            // A group that only a share of nought is passed to receives no ticket.
            if let Some(u) = used.get_mut(pool as usize) {
                *u = true;
            }
            if let Some(r) = &reassign {
                let mut reached = 1.0;
                for (probability, to, _) in r.passes() {
                    reached *= probability;
                    if reached > 0.0 {
                        if let Some(u) = used.get_mut(to as usize) {
                            *u = true;
                        }
                    }
                }
            }
            classes.push(Class {
                priority: p,
                rate,
                profile,
                service: spec.service.compile(p)?,
                // invariant: both checked above against `MAX_TARGET` (200 years), which
                // `i64` nanoseconds hold (about 292 years): the fallback is never taken.
                response: spec.response.num_nanoseconds().unwrap_or(i64::MAX),
                resolution: spec.resolution.num_nanoseconds().unwrap_or(i64::MAX),
                calendar,
                hold: match &spec.hold {
                    None => None,
                    Some(hold) => Some(holds(hold, spec, &config)?),
                },
                reopen: match &spec.reopen {
                    None => None,
                    Some(reopen) => Some(reopens(reopen, spec, &config)?),
                },
                pool,
                reassign,
            });
        }
        if expected.is_nan() || expected > MAX_ARRIVALS as f64 {
            return Err(Error::TooManyArrivals {
                expected: expected as u64,
                limit: MAX_ARRIVALS,
            });
        }
        classes.sort_by_key(|c| c.priority);
        let (helps, helpers) = compile_helps(&config, &groups)?;
        // Each group's staffing, then all of them merged in time order.
        let mut steps: Vec<(f64, u32, u32)> = Vec::new();
        // Groups tickets reach with no agent of their own, but helped: checked once every
        // group's agents are known.
        let mut helped_only: Vec<(usize, String)> = Vec::new();
        let mut pools: Vec<Pool> = Vec::with_capacity(config.groups.len() + 1);
        let mut seats = 0u64;
        let all = std::iter::once((DESK, &config.staffing))
            .chain(config.groups.iter().map(|g| (g.name.as_str(), &g.staffing)));
        for (ix, (name, staff)) in all.enumerate() {
            let desk = ix == 0;
            let own = staffing(staff, &config, horizon).map_err(|e| match e {
                e if desk => e,
                e => Error::BadGroup {
                    group: name.to_string(),
                    reason: format!("its staffing is refused: {e}"),
                },
            })?;
            let most = own.iter().map(|(_, a)| *a).max().unwrap_or(0);
            let helped = helpers.get(ix).is_some_and(|h| !h.is_empty());
            if most == 0 && helped && used.get(ix).copied().unwrap_or(false) {
                helped_only.push((ix, name.to_string()));
            } else if most == 0 && used.get(ix).copied().unwrap_or(false) {
                // The desk alone keeps its error of before groups.
                return Err(if desk && config.groups.is_empty() {
                    Error::NoAgents
                } else {
                    Error::BadGroup {
                        group: name.to_string(),
                        reason: "no agent is on duty in it at any time during the horizon, yet tickets go to it; staff at least one agent".into(),
                    }
                });
            }
            // invariant: at most MAX_GROUPS + 1 groups.
            let ix = u32::try_from(ix).unwrap_or(u32::MAX);
            if steps.len() as u64 + own.len() as u64 > MAX_STAFFING_CHANGES {
                return Err(Error::TooManyStaffingChanges {
                    changes: steps.len() as u64 + own.len() as u64,
                    limit: MAX_STAFFING_CHANGES,
                });
            }
            steps.extend(own.into_iter().map(|(at, agents)| (at, ix, agents)));
            pools.push(Pool {
                name: name.to_string(),
                seats: most,
                // invariant: below MAX_AGENTS when the model is built (checked below).
                first: u32::try_from(seats).unwrap_or(u32::MAX),
                helps: helps.get(ix as usize).cloned().unwrap_or_default(),
                helpers: helpers.get(ix as usize).cloned().unwrap_or_default(),
            });
            seats += u64::from(most);
        }
        for (ix, name) in helped_only {
            let staffed = |g: &u32| pools.get(*g as usize).is_some_and(|p| p.seats > 0);
            if !pools.get(ix).is_some_and(|p| p.helpers.iter().any(staffed)) {
                return Err(Error::BadGroup {
                    group: name,
                    reason: "no agent is on duty in it or in a group that helps it at any time during the horizon, yet tickets go to it; staff at least one agent".into(),
                });
            }
        }
        if seats > u64::from(MAX_AGENTS) {
            return Err(Error::TooManyAgents {
                agents: seats,
                limit: MAX_AGENTS,
            });
        }
        if seats == 0 {
            return Err(Error::NoAgents);
        }
        // Stable: at one instant, the groups in order.
        steps.sort_by(|a, b| a.0.total_cmp(&b.0));
        let seat_pool: Vec<u32> = pools
            .iter()
            .zip(0u32..)
            .flat_map(|(pool, ix)| std::iter::repeat_n(ix, pool.seats as usize))
            .collect();
        // invariant: at most MAX_AGENTS, checked above.
        let seats = u32::try_from(seats).unwrap_or(MAX_AGENTS);
        let staffing = steps;
        let definitions = definitions(&classes, &config.classes)?;
        let preemptive = config.discipline == Discipline::PreemptiveResume;
        Ok(Model {
            config,
            classes,
            staffing,
            pools,
            seat_pool,
            seats,
            horizon,
            warmup,
            sample_every,
            definitions,
            policy: itsm_incident::Policy::servicenow(),
            preemptive,
        })
    }

    /// The SLA calendars of the classes that have one, by the name their definitions use
    /// (`p<N>`): what the full path passes to itsm-sla.
    pub fn calendars(&self) -> itsm_sla::Calendars {
        self.classes
            .iter()
            .filter_map(|c| Some((calendar_name(c.priority), c.calendar.clone()?)))
            .collect()
    }

    /// The configuration it was built from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The mean number of arrivals over the horizon (the sum of rate times horizon).
    pub fn expected_arrivals(&self) -> f64 {
        self.classes.iter().map(|c| c.rate * self.horizon).sum()
    }

    /// The offered load in agents: the sum over classes of rate times mean work per ticket
    /// (Erlang's `a`; the desk is stable on average only with more agents than this). A
    /// class's work per ticket is its mean service time, plus the reopen probability times
    /// the reopen's mean work, plus the reassignment probability times the mean triage:
    /// every group's [`Model::group_loads`] together.
    ///
    /// ```
    /// use itsm_sim::chrono::Duration;
    /// use itsm_sim::{Config, Model, Reopen, ServiceTime};
    ///
    /// // 4 an hour, an hour each: 4 agents' worth; a quarter reopened for two hours more: 6.
    /// let mut config = Config::mmc(4.0, 1.0, 8, Duration::days(1));
    /// assert!((Model::new(config.clone()).unwrap().offered_load() - 4.0).abs() < 1e-9);
    /// let two_hours = ServiceTime::Deterministic { value: Duration::hours(2) };
    /// config.classes[0].reopen = Some(Reopen::new(0.25, two_hours.clone(), two_hours));
    /// assert!((Model::new(config).unwrap().offered_load() - 6.0).abs() < 1e-9);
    /// ```
    pub fn offered_load(&self) -> f64 {
        self.group_loads().iter().sum()
    }

    /// The offered load of each group, in agents, in [`Model::groups`]'s order: a class's
    /// first group does the work of the tickets it keeps (with their reopens) and the
    /// triage of those it passes on; the group they go to does their work (with their
    /// reopens, which come back to it), or, for the share it passes on again
    /// ([`Reassign::then`]), the triage, and so on along the passes. Each group is stable on average only with more
    /// agents than its own load. It is the load of each group's tickets: with
    /// [`Config::helps`], agents of other groups may carry part of it.
    ///
    /// ```
    /// use itsm_sim::chrono::Duration;
    /// use itsm_sim::{Config, GroupSpec, Model, Reassign, ServiceTime, Staffing};
    ///
    /// // 4 an hour, an hour each; a quarter passed on to `network` after 12 minutes.
    /// let mut config = Config::mmc(4.0, 1.0, 8, Duration::days(1));
    /// config.groups = vec![GroupSpec::new("network", Staffing::Constant { agents: 2 })];
    /// let triage = ServiceTime::Deterministic { value: Duration::minutes(12) };
    /// config.classes[0].reassign = Some(Reassign::new(0.25, "network", triage));
    /// let loads = Model::new(config).unwrap().group_loads();
    /// assert!((loads[0] - 3.2).abs() < 1e-9); // 3 an hour worked, 1 an hour triaged
    /// assert!((loads[1] - 1.0).abs() < 1e-9);
    /// ```
    pub fn group_loads(&self) -> Vec<f64> {
        let mut loads = vec![0.0; self.pools.len()];
        for (spec, class) in self
            .config
            .classes
            .iter()
            .zip(&self.classes_in_config_order())
        {
            let rework = spec
                .reopen
                .as_ref()
                .map_or(0.0, |r| r.probability * r.work.mean_hours());
            let work = spec.service.mean_hours() + rework;
            let rate = spec.arrivals.rate_per_hour();
            // The group a ticket is with after each pass, the chance it got there, and
            // what it does there: triage for those it passes on, the work for the rest.
            let mut at = class.pool;
            let mut reached = 1.0;
            if let (Some(given), Some(r)) = (spec.reassign.as_ref(), class.reassign.as_ref()) {
                let triages =
                    std::iter::once(&given.triage).chain(given.then.iter().map(|h| &h.triage));
                for ((probability, to, _), triage) in r.passes().zip(triages) {
                    let on = reached * probability;
                    if let Some(load) = loads.get_mut(at as usize) {
                        *load += rate * ((reached - on) * work + on * triage.mean_hours());
                    }
                    (at, reached) = (to, on);
                }
            }
            if let Some(load) = loads.get_mut(at as usize) {
                *load += rate * reached * work;
            }
        }
        loads
    }

    /// The compiled classes in the configuration's order (they are kept by priority).
    fn classes_in_config_order(&self) -> Vec<&Class> {
        self.config
            .classes
            .iter()
            .filter_map(|spec| self.classes.iter().find(|c| c.priority == spec.priority))
            .collect()
    }

    /// The most agents on duty at once: with [`Config::groups`], the sum of each group's
    /// most (the desk's included).
    pub fn max_agents(&self) -> u32 {
        self.seats
    }

    /// The groups' names: [`DESK`] first, then [`Config::groups`] in order (the order of
    /// [`RunReport::groups`](crate::RunReport::groups)).
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.pools.iter().map(|p| p.name.as_str())
    }

    /// The SLA definitions the full path runs: `p<N>-response` (from creation until work
    /// starts) and `p<N>-resolution` (until resolved) for each priority, around the clock
    /// or on the class's calendar (named `p<N>` in [`Model::calendars`]).
    pub fn definitions(&self) -> &itsm_sla::Definitions {
        &self.definitions
    }
}

/// Why `probability` is not a share from 0 to 1, if it is not.
fn share(probability: f64) -> Result<(), String> {
    if probability.is_finite() && (0.0..=1.0).contains(&probability) {
        Ok(())
    } else {
        Err(format!(
            "the probability {probability} must be a number from 0 to 1"
        ))
    }
}

/// Why the class's resolution target plus the horizon (the most a pause, `what`, can move
/// its deadline by) does not stay within the nanoseconds both paths count in (292 years),
/// if it does not.
fn pause_fits(spec: &ClassSpec, config: &Config, what: &str) -> Result<(), String> {
    let fits = spec
        .resolution
        .num_nanoseconds()
        .zip(config.horizon.num_nanoseconds())
        .and_then(|(a, b)| a.checked_add(b))
        .is_some();
    if fits {
        return Ok(());
    }
    Err(format!(
        "the resolution target {} plus the horizon {} is over 292 years, the longest deadline {what} may move to; shorten either",
        itsm_core::duration::format(spec.resolution),
        itsm_core::duration::format(config.horizon)
    ))
}

/// `time`, a part of a hold or reopen named `what`, compiled for priority `p`; its fault
/// becomes the part's (`bad`).
fn part(
    time: &ServiceTime,
    p: u8,
    what: &str,
    bad: impl Fn(String) -> Error,
) -> Result<Sampler, Error> {
    time.compile(p).map_err(|e| match e {
        Error::BadServiceTime { reason, .. } => bad(format!("its {what}: {reason}")),
        other => other,
    })
}

/// Checks and compiles a class's hold: its share and duration.
fn holds(hold: &Hold, spec: &ClassSpec, config: &Config) -> Result<(f64, Sampler), Error> {
    let p = spec.priority;
    let bad = |reason: String| Error::BadHold {
        priority: p,
        reason,
    };
    share(hold.probability).map_err(bad)?;
    // A hold moves the resolution deadline out by at most the horizon (a release after
    // it is never seen).
    pause_fits(spec, config, "a hold's pause").map_err(bad)?;
    Ok((hold.probability, part(&hold.duration, p, "duration", bad)?))
}

/// Checks and compiles a class's reopens.
fn reopens(reopen: &Reopen, spec: &ClassSpec, config: &Config) -> Result<Reopens, Error> {
    use itsm_sla::ReopenMode;
    let p = spec.priority;
    let bad = |reason: String| Error::BadReopen {
        priority: p,
        reason,
    };
    share(reopen.probability).map_err(bad)?;
    match reopen.clock {
        ReopenMode::NewCycle | ReopenMode::Continue => {}
        // The time resolved moves the deadline out by at most the horizon, as a hold does.
        ReopenMode::PauseWhileResolved => {
            pause_fits(spec, config, "the time resolved").map_err(bad)?;
        }
        // A mode this crate does not know yet (the enum is non-exhaustive).
        #[allow(unreachable_patterns)]
        other => {
            return Err(bad(format!(
                "the clock mode {other:?} is not simulated; allowed: new_cycle, continue, pause_while_resolved"
            )));
        }
    }
    Ok(Reopens {
        probability: reopen.probability,
        after: part(&reopen.after, p, "delay (after)", bad)?,
        work: part(&reopen.work, p, "work", bad)?,
        clock: reopen.clock,
    })
}

/// Checks and compiles [`Config::helps`]: for each group (by index), the groups it helps in
/// the order given, and the groups that help it in group order.
#[allow(clippy::type_complexity)]
fn compile_helps(
    config: &Config,
    groups: &BTreeMap<&str, u32>,
) -> Result<(Vec<Vec<u32>>, Vec<Vec<u32>>), Error> {
    let n = config.groups.len() + 1;
    let (mut helps, mut helpers) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    let known = || {
        std::iter::once(DESK)
            .chain(config.groups.iter().map(|g| g.name.as_str()))
            .map(|g| format!("`{}`", itsm_core::Quoted(g)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (name, list) in &config.helps {
        let bad = |reason: String| Error::BadHelp {
            group: name.clone(),
            reason,
        };
        let Some(&from) = groups.get(name.as_str()) else {
            return Err(bad(format!(
                "there is no such group; the groups are: {}",
                known()
            )));
        };
        if config.discipline == Discipline::PreemptiveResume && !list.is_empty() {
            return Err(bad("help between groups is not simulated with pre-emptive priority (an urgent ticket would interrupt another group's agents); use the non-pre-emptive discipline".into()));
        }
        for to in list {
            let Some(&ix) = groups.get(to.as_str()) else {
                return Err(bad(format!(
                    "it names `{}`, which is not a group; the groups are: {}",
                    itsm_core::Quoted(to),
                    known()
                )));
            };
            if ix == from {
                return Err(bad(
                    "it names itself; list the other groups whose tickets its agents take".into(),
                ));
            }
            let Some(own) = helps.get_mut(from as usize) else {
                continue;
            };
            if own.contains(&ix) {
                return Err(bad(format!(
                    "it names `{}` twice; name each group once, in order of preference",
                    itsm_core::Quoted(to)
                )));
            }
            own.push(ix);
            if let Some(h) = helpers.get_mut(ix as usize) {
                h.push(from);
            }
        }
    }
    for h in &mut helpers {
        h.sort_unstable();
    }
    Ok((helps, helpers))
}

/// Checks that a class's reassignment passes a ticket on at most [`MAX_PASSES`] times.
fn passes(reassign: &Reassign, p: u8) -> Result<(), Error> {
    let passes = reassign.then.len().saturating_add(1);
    if passes > MAX_PASSES {
        return Err(Error::BadReassign {
            priority: p,
            reason: format!(
                "it passes a ticket on {passes} times (its `then` lists {}); at most {MAX_PASSES} passes are allowed",
                reassign.then.len()
            ),
        });
    }
    Ok(())
}

/// Checks and compiles a class's reassignments from group `from`: the first pass to group
/// `first`, those of [`Reassign::then`] to the groups `rest` (in order).
fn reassigns(
    reassign: &Reassign,
    spec: &ClassSpec,
    from: u32,
    first: u32,
    rest: &[u32],
) -> Result<Reassigns, Error> {
    let p = spec.priority;
    let bad = |reason: String| Error::BadReassign {
        priority: p,
        reason,
    };
    share(reassign.probability).map_err(bad)?;
    if from == first {
        return Err(bad(format!(
            "it passes tickets to `{}`, the group that takes them first; name another group",
            reassign.to
        )));
    }
    let triage = part(&reassign.triage, p, "triage", bad)?;
    let mut then = Vec::with_capacity(reassign.then.len());
    let mut at = first;
    for (n, (hop, &to)) in reassign.then.iter().zip(rest).enumerate() {
        // Passes are numbered from 1, the first being `reassign` itself.
        let pass = n + 2;
        share(hop.probability).map_err(|e| bad(format!("pass {pass} (`then`): {e}")))?;
        if to == at {
            return Err(bad(format!(
                "pass {pass} (`then`) passes tickets to `{}`, the group they are with after pass {}; name another group",
                hop.to,
                pass - 1
            )));
        }
        let what = format!("pass {pass}'s triage");
        then.push(Onward {
            probability: hop.probability,
            to,
            triage: part(&hop.triage, p, &what, bad)?,
        });
        at = to;
    }
    Ok(Reassigns {
        probability: reassign.probability,
        to: first,
        triage,
        then,
    })
}

/// The staffing as a step function over `[0, horizon)` hours.
fn staffing(staffing: &Staffing, config: &Config, horizon: f64) -> Result<Vec<(f64, u32)>, Error> {
    let too_many = |agents: u64| Error::TooManyAgents {
        agents,
        limit: MAX_AGENTS,
    };
    let mut steps: Vec<(f64, u32)> = Vec::new();
    let push = |steps: &mut Vec<(f64, u32)>, at: f64, agents: u64| -> Result<(), Error> {
        if agents > u64::from(MAX_AGENTS) {
            return Err(too_many(agents));
        }
        let agents = agents as u32;
        match steps.last_mut() {
            Some(last) if last.1 == agents => {}
            Some(last) if last.0 >= at => last.1 = agents,
            _ => {
                if steps.len() as u64 > MAX_STAFFING_CHANGES {
                    return Err(Error::TooManyStaffingChanges {
                        changes: steps.len() as u64,
                        limit: MAX_STAFFING_CHANGES,
                    });
                }
                steps.push((at, agents));
            }
        }
        Ok(())
    };
    match staffing {
        Staffing::Constant { agents } => push(&mut steps, 0.0, u64::from(*agents))?,
        Staffing::Hourly { agents } => {
            let len = agents.len();
            if len != 24 && len != 168 {
                return Err(Error::HourlyLength { len });
            }
            // Hours since the last boundary of the table's period (a day or a week).
            let into = hours_into(config.start, len);
            let mut slot = into.floor() as usize;
            let mut at = 0.0;
            while at < horizon {
                let agents = agents.get(slot % len).copied().unwrap_or(0);
                push(&mut steps, at, u64::from(agents))?;
                slot += 1;
                at = slot as f64 - into;
            }
        }
        Staffing::Shifts { shifts } => {
            let end = config
                .start
                .checked_add_signed(config.horizon)
                .ok_or(Error::DateOverflow)?;
            // +agents when a shift opens, -agents when it closes, in hours from the start.
            let mut changes: Vec<(f64, i64)> = Vec::new();
            for (i, shift) in shifts.iter().enumerate() {
                let bad = |e: itsm_calendar::Error| Error::Calendar {
                    shift: i,
                    reason: e.to_string(),
                };
                if shift.agents == 0 {
                    continue;
                }
                let calendar = Calendar::new(&shift.calendar).map_err(bad)?;
                let spans = calendar
                    .intervals_between(&config.start, &end)
                    .map_err(bad)?;
                for (from, to) in spans {
                    if changes.len() as u64 > 2 * MAX_STAFFING_CHANGES {
                        return Err(Error::TooManyStaffingChanges {
                            changes: changes.len() as u64 / 2,
                            limit: MAX_STAFFING_CHANGES,
                        });
                    }
                    let agents = i64::from(shift.agents);
                    changes.push((hours(from - config.start), agents));
                    changes.push((hours(to - config.start), -agents));
                }
            }
            changes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            push(&mut steps, 0.0, 0)?;
            let mut on = 0i64;
            let mut i = 0;
            while let Some(&(at, _)) = changes.get(i) {
                // Every change at the same instant at once, so a handover is no dip.
                while let Some(&(t, delta)) = changes.get(i) {
                    if t != at {
                        break;
                    }
                    on += delta;
                    i += 1;
                }
                if at < horizon {
                    push(&mut steps, at.max(0.0), on.max(0) as u64)?;
                }
            }
        }
    }
    Ok(steps)
}

/// The name the full path gives a class's SLA calendar (one per class, whatever the spec
/// calls it, so two classes never share a name for two calendars).
pub(crate) fn calendar_name(priority: u8) -> String {
    format!("p{priority}")
}

/// The SLA definitions of the classes: response and resolution per priority.
fn definitions(classes: &[Class], specs: &[ClassSpec]) -> Result<itsm_sla::Definitions, Error> {
    use itsm_sla::{Condition, Definition, PauseMode, Target};
    let mut list = Vec::with_capacity(2 * classes.len());
    for spec in specs {
        let p = spec.priority;
        let calendar = spec.calendar.as_ref().map(|_| calendar_name(p));
        let mut response =
            Definition::new(format!("p{p}-response"), Target::Response, spec.response);
        response.calendar.clone_from(&calendar);
        response.start = Condition::PriorityIn(vec![p]);
        response.stop = Condition::CategoryIn(vec![
            Category::Open,
            Category::Pending,
            Category::Resolved,
            Category::Closed,
        ]);
        response.pause = Condition::Never;
        response.pause_mode = PauseMode::None;
        let mut resolution = Definition::new(
            format!("p{p}-resolution"),
            Target::Resolution,
            spec.resolution,
        );
        resolution.start = Condition::PriorityIn(vec![p]);
        resolution.calendar = calendar;
        if let Some(reopen) = &spec.reopen {
            resolution.reopen = reopen.clock;
        }
        list.push(response);
        list.push(resolution);
    }
    itsm_sla::Definitions::new(list, itsm_sla::Selection::All).map_err(|e| Error::BadTarget {
        priority: classes.first().map_or(0, |c| c.priority),
        target: "resolution",
        value: e.to_string(),
    })
}
