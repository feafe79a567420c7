//! A schedule compiled from its spec, and what it answers: who is on call at an instant,
//! the final schedule over a window, gaps, conflicts and each person's load.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Zone};
use itsm_core::UserId;

use crate::error::Error;
use crate::spec::{Combine, Layer, Override, Restriction, ScheduleSpec, TimeOff, Turn};
use crate::winners::Winners;

/// A listed period: its index, from, to.
type Period = (usize, DateTime<Utc>, DateTime<Utc>);

/// The longest turn: 36,600 days (about a hundred years).
pub const MAX_TURN_DAYS: u32 = 36_600;

/// The most instants at which a window's answer may change before [`Schedule::shifts`] and
/// the queries built on it refuse the window ([`Error::WindowTooLong`]): five million, a
/// century of hourly turns in a dozen layers. Ask for shorter windows one after another.
pub const MAX_BREAKPOINTS: u64 = 5_000_000;

/// A stretch of time `[from, to)`.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// Someone on call, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OnCall {
    /// Who.
    pub user: UserId,
    /// The layer whose turn it is (its index in the spec); `None` for a schedule-wide
    /// override.
    pub layer: Option<usize>,
    /// Why this person.
    pub via: Via,
}

/// Why someone is on call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "via", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Via {
    /// Their turn in the layer's rotation.
    Rotation,
    /// Covering for a member on time off.
    Cover {
        /// The member whose turn it is (the first one away, when covers hand on).
        member: UserId,
    },
    /// An override (its index in the spec).
    Override {
        /// Which one.
        index: usize,
    },
}

/// A stretch of time with the same people on call: one line of the final schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Shift {
    /// From (inclusive).
    pub from: DateTime<Utc>,
    /// To (exclusive).
    pub to: DateTime<Utc>,
    /// Who is on call throughout, in layer order; empty in a gap.
    pub on_call: Vec<OnCall>,
}

/// A user on call in two layers at once (ServiceNow: "a user is assigned as both the
/// primary and secondary point of contact for a shift").
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Conflict {
    /// From (inclusive).
    pub from: DateTime<Utc>,
    /// To (exclusive).
    pub to: DateTime<Utc>,
    /// Who.
    pub user: UserId,
    /// The layers (indices), two or more, in order.
    pub layers: Vec<usize>,
}

/// One person's on-call time over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// Who.
    pub user: UserId,
    /// Time on call (in the final schedule).
    pub on_call: Duration,
    /// The part of it outside the business calendar given (all of it without one): the
    /// nights and weekends a fair rotation shares out.
    pub outside_hours: Duration,
    /// Stretches on call (a shift continued across a handover counts once).
    pub shifts: u32,
}

/// A layer ready to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Compiled {
    name: String,
    members: Vec<UserId>,
    turn: Turn,
    handover: NaiveDateTime,
    /// Turn 0's start, for turns of elapsed hours.
    origin: DateTime<Utc>,
    starts: Option<DateTime<Utc>>,
    ends: Option<DateTime<Utc>>,
    restriction: Option<Calendar>,
    /// At most how many restriction edges a day has (each segment opens and closes once,
    /// plus a day the clocks change).
    edges_per_day: u64,
}

/// A schedule ready to answer queries. Build it once with [`Schedule::new`]; every query is
/// read-only, so one schedule serves many threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    name: String,
    zone: Zone,
    combine: Combine,
    layers: Vec<Compiled>,
    time_off: Vec<TimeOff>,
    /// Each member's time off: which entry holds an instant.
    time_off_of: BTreeMap<UserId, Winners>,
    /// With the layer's index resolved.
    overrides: Vec<(Override, Option<usize>)>,
    /// The overrides of each layer (`[layers]`: the schedule-wide ones): which holds an
    /// instant.
    overrides_of: Vec<Winners>,
}

impl Schedule {
    /// Checks `spec` and compiles it.
    ///
    /// # Errors
    /// [`Error::UnknownZone`], [`Error::NoLayers`], [`Error::DuplicateLayer`],
    /// [`Error::NoMembers`], [`Error::InvalidTurn`], [`Error::LayerEndsBeforeStart`],
    /// [`Error::InvalidRestriction`], [`Error::EmptyPeriod`], [`Error::CoverIsMember`],
    /// [`Error::UnknownLayer`], [`Error::OutOfRange`] (a handover at the ends of chrono's
    /// range); each names the schedule and the layer or entry.
    ///
    /// ```
    /// use itsm_oncall::chrono::{NaiveDate, TimeZone, Utc};
    /// use itsm_oncall::{Layer, Rotation, Schedule, ScheduleSpec, Turn, UserId};
    ///
    /// let (ann, bob) = (UserId::from_u128(1), UserId::from_u128(2));
    /// let handover = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap().and_hms_opt(9, 0, 0).unwrap();
    /// let weekly = Layer::new("primary", vec![ann, bob], Rotation { handover, turn: Turn::Weeks(1) });
    /// let schedule = Schedule::new(&ScheduleSpec::new("ops", vec![weekly]))?;
    /// let monday_next = Utc.with_ymd_and_hms(2027, 1, 11, 10, 0, 0).unwrap();
    /// assert_eq!(schedule.on_call(monday_next)?[0].user, bob);
    /// # Ok::<(), itsm_oncall::Error>(())
    /// ```
    pub fn new(spec: &ScheduleSpec) -> Result<Schedule, Error> {
        let schedule = || spec.name.clone();
        let zone = match &spec.zone {
            None => Zone::Utc,
            Some(text) => Zone::parse(text).ok_or_else(|| Error::UnknownZone {
                schedule: schedule(),
                zone: text.clone(),
                allowed: Zone::ALLOWED,
            })?,
        };
        if spec.layers.is_empty() {
            return Err(Error::NoLayers {
                schedule: schedule(),
            });
        }
        let mut layers = Vec::with_capacity(spec.layers.len());
        for (i, layer) in spec.layers.iter().enumerate() {
            if spec.layers.iter().take(i).any(|l| l.name == layer.name) {
                return Err(Error::DuplicateLayer {
                    schedule: schedule(),
                    layer: layer.name.clone(),
                });
            }
            layers.push(compile(spec, zone, layer)?);
        }
        for (index, off) in spec.time_off.iter().enumerate() {
            if off.to <= off.from {
                return Err(Error::EmptyPeriod {
                    schedule: schedule(),
                    what: "time off",
                    index,
                });
            }
            if off.cover == Some(off.member) {
                return Err(Error::CoverIsMember {
                    schedule: schedule(),
                    index,
                });
            }
        }
        let mut overrides = Vec::with_capacity(spec.overrides.len());
        for (index, o) in spec.overrides.iter().enumerate() {
            if o.to <= o.from {
                return Err(Error::EmptyPeriod {
                    schedule: schedule(),
                    what: "override",
                    index,
                });
            }
            let layer = match &o.layer {
                None => None,
                Some(name) => Some(
                    spec.layers
                        .iter()
                        .position(|l| &l.name == name)
                        .ok_or_else(|| Error::UnknownLayer {
                            schedule: schedule(),
                            layer: name.clone(),
                            index,
                        })?,
                ),
            };
            overrides.push((o.clone(), layer));
        }
        let mut periods_of: BTreeMap<UserId, Vec<Period>> = BTreeMap::new();
        for (i, off) in spec.time_off.iter().enumerate() {
            periods_of
                .entry(off.member)
                .or_default()
                .push((i, off.from, off.to));
        }
        let time_off_of = periods_of
            .into_iter()
            .map(|(member, periods)| (member, Winners::new(&periods)))
            .collect();
        let mut per_layer: Vec<Vec<Period>> = vec![Vec::new(); layers.len() + 1];
        for (i, (o, layer)) in overrides.iter().enumerate() {
            if let Some(list) = per_layer.get_mut(layer.unwrap_or(layers.len())) {
                list.push((i, o.from, o.to));
            }
        }
        let overrides_of = per_layer.iter().map(|p| Winners::new(p)).collect();
        Ok(Schedule {
            name: spec.name.clone(),
            zone,
            combine: spec.combine,
            layers,
            time_off: spec.time_off.clone(),
            time_off_of,
            overrides,
            overrides_of,
        })
    }

    /// The schedule's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The layers' names, in order.
    pub fn layer_names(&self) -> impl Iterator<Item = &str> {
        self.layers.iter().map(|l| l.name.as_str())
    }

    /// The index of the layer named `name`.
    pub fn layer_index(&self, name: &str) -> Option<usize> {
        self.layers.iter().position(|l| l.name == name)
    }

    /// Who is on call at `at`: under [`Combine::LastLayer`] at most one person (a
    /// schedule-wide override, else the last layer with someone on call); under
    /// [`Combine::All`] everyone on call in any layer, in layer order, each once (a
    /// schedule-wide override alone). Empty in a gap. Time: O(layers x log(time off +
    /// overrides)); under [`Combine::LastLayer`] from the last layer, stopping at the first
    /// with someone.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] when a turn near `at` starts outside chrono's range.
    pub fn on_call(&self, at: DateTime<Utc>) -> Result<Vec<OnCall>, Error> {
        if let Some((index, o)) = self.winning_override(at, None) {
            return Ok(vec![OnCall {
                user: o.user,
                layer: None,
                via: Via::Override { index },
            }]);
        }
        if self.combine == Combine::LastLayer {
            // The last layer with someone on call wins: look from the last.
            for i in (0..self.layers.len()).rev() {
                if let Some(entry) = self.layer_on_call(i, at, 0)? {
                    return Ok(vec![entry]);
                }
            }
            return Ok(Vec::new());
        }
        let per_layer = self.layers_at(at)?;
        Ok(self.combined(per_layer))
    }

    /// Who each layer has on call at `at` (its overrides and time off applied, the
    /// schedule-wide overrides not), in layer order: ServiceNow's rosters notified one after
    /// another.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] as [`Schedule::on_call`].
    pub fn layers_at(&self, at: DateTime<Utc>) -> Result<Vec<OnCall>, Error> {
        let mut out = Vec::new();
        for i in 0..self.layers.len() {
            if let Some(entry) = self.layer_on_call(i, at, 0)? {
                out.push(entry);
            }
        }
        Ok(out)
    }

    /// Who layer `layer` has on call at `at`, counting `next` members on in its rotation
    /// (0: the turn's member, 1: the one after, as ServiceNow's "rotate through members"
    /// escalates within a roster). An override of the layer answers for `next` 0; time off
    /// hands a member's place to the cover, or the cover's cover when they are away too
    /// (nobody without one, or when the chain comes back). `None` outside the layer's
    /// dates and restriction, for a layer index out of range, and for an uncovered absence.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] as [`Schedule::on_call`].
    pub fn layer_on_call(
        &self,
        layer: usize,
        at: DateTime<Utc>,
        next: u32,
    ) -> Result<Option<OnCall>, Error> {
        let Some(l) = self.layers.get(layer) else {
            return Ok(None);
        };
        if l.starts.is_some_and(|s| at < s) || l.ends.is_some_and(|e| at >= e) {
            return Ok(None);
        }
        if let Some(cal) = &l.restriction {
            if !cal.is_open(&at).map_err(|_| Error::OutOfRange { at })? {
                return Ok(None);
            }
        }
        if next == 0 {
            if let Some((index, o)) = self.winning_override(at, Some(layer)) {
                return Ok(Some(OnCall {
                    user: o.user,
                    layer: Some(layer),
                    via: Via::Override { index },
                }));
            }
        }
        let k = self.turn_at(l, at)?;
        let len = i64::try_from(l.members.len()).map_err(|_| Error::OutOfRange { at })?;
        let idx = k
            .checked_add(i64::from(next))
            .ok_or(Error::OutOfRange { at })?
            .rem_euclid(len);
        let Some(&member) = usize::try_from(idx).ok().and_then(|i| l.members.get(i)) else {
            return Ok(None);
        };
        // The last time off listed that holds `at` decides.
        let Some(first) = self.away(member, at) else {
            return Ok(Some(OnCall {
                user: member,
                layer: Some(layer),
                via: Via::Rotation,
            }));
        };
        // A cover away too hands on to their own cover, until someone is in or nobody is
        // named (a chain that comes back to someone already asked is nobody).
        let mut cover = first.cover;
        let mut asked = vec![member];
        while let Some(c) = cover {
            if asked.contains(&c) {
                return Ok(None);
            }
            match self.away(c, at) {
                None => {
                    return Ok(Some(OnCall {
                        user: c,
                        layer: Some(layer),
                        via: Via::Cover { member },
                    }));
                }
                Some(off) => {
                    asked.push(c);
                    cover = off.cover;
                }
            }
        }
        Ok(None)
    }

    /// When the turn holding `at` started in layer `layer` and when the next one starts
    /// (PagerDuty's handoffs), whatever the layer's dates and restriction. `None` for a
    /// layer index out of range.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] when either end lies outside chrono's range.
    pub fn turn(&self, layer: usize, at: DateTime<Utc>) -> Result<Option<Span>, Error> {
        let Some(l) = self.layers.get(layer) else {
            return Ok(None);
        };
        let k = self.turn_at(l, at)?;
        let start = self.turn_start(l, k).ok_or(Error::OutOfRange { at })?;
        let end = k
            .checked_add(1)
            .and_then(|k| self.turn_start(l, k))
            .ok_or(Error::OutOfRange { at })?;
        Ok(Some((start, end)))
    }

    /// The final schedule over `[from, to)`: stretches with the same people on call, in
    /// order, covering the window without gaps or overlaps (a stretch with nobody is a gap),
    /// neighbours always different. Time: O(b x the cost of [`Schedule::on_call`]) for the b
    /// instants at which an answer may change (handovers, restriction edges, dates).
    ///
    /// # Errors
    /// [`Error::ReversedWindow`]; [`Error::WindowTooLong`] past [`MAX_BREAKPOINTS`];
    /// [`Error::OutOfRange`].
    pub fn shifts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Shift>, Error> {
        self.stretches(from, to, |at| self.on_call(at))
    }

    /// The stretches of `[from, to)` with nobody on call ([`Schedule::shifts`] with an empty
    /// list): PagerDuty's "no one is on-call during a given time period", ServiceNow's gaps.
    ///
    /// # Errors
    /// As [`Schedule::shifts`].
    pub fn gaps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Span>, Error> {
        Ok(self
            .shifts(from, to)?
            .into_iter()
            .filter(|s| s.on_call.is_empty())
            .map(|s| (s.from, s.to))
            .collect())
    }

    /// The stretches of `[from, to)` in which someone is on call in two layers or more at
    /// once ([`Schedule::layers_at`], before layers are combined), in order of time then
    /// person; one per person and stretch of the same layers (a conflict that goes on across
    /// another layer's handover is one).
    ///
    /// # Errors
    /// As [`Schedule::shifts`].
    pub fn conflicts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Conflict>, Error> {
        let stretches = self.stretches(from, to, |at| self.layers_at(at))?;
        let mut out: Vec<Conflict> = Vec::new();
        let mut last_of: BTreeMap<UserId, usize> = BTreeMap::new();
        for s in stretches {
            let mut by_user: BTreeMap<UserId, Vec<usize>> = BTreeMap::new();
            for e in &s.on_call {
                if let Some(layer) = e.layer {
                    by_user.entry(e.user).or_default().push(layer);
                }
            }
            for (user, layers) in by_user {
                if layers.len() < 2 {
                    continue;
                }
                // A conflict that goes on across a handover elsewhere is one conflict.
                let last = last_of.get(&user).and_then(|&i| out.get_mut(i));
                match last {
                    Some(c) if c.to == s.from && c.layers == layers => c.to = s.to,
                    _ => {
                        last_of.insert(user, out.len());
                        out.push(Conflict {
                            from: s.from,
                            to: s.to,
                            user,
                            layers,
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    /// Each person's on-call time over `[from, to)` in the final schedule, and the part of
    /// it outside `business` (a calendar of working hours; all of it without one), ordered
    /// by user.
    ///
    /// # Errors
    /// As [`Schedule::shifts`]; [`Error::Calendar`] when `business` cannot answer.
    pub fn load(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        business: Option<&Calendar>,
    ) -> Result<Vec<Load>, Error> {
        let mut loads: BTreeMap<UserId, Load> = BTreeMap::new();
        let mut previous: Vec<UserId> = Vec::new();
        for s in self.shifts(from, to)? {
            let length = s.to - s.from;
            let inside = match business {
                Some(cal) => cal
                    .duration(&s.from, &s.to)
                    .map_err(|e| Error::Calendar(Box::new(e)))?,
                None => Duration::zero(),
            };
            let mut users: Vec<UserId> = s.on_call.iter().map(|e| e.user).collect();
            users.dedup();
            for &user in &users {
                let load = loads.entry(user).or_insert(Load {
                    user,
                    on_call: Duration::zero(),
                    outside_hours: Duration::zero(),
                    shifts: 0,
                });
                load.on_call += length;
                load.outside_hours += length - inside;
                if !previous.contains(&user) {
                    load.shifts += 1;
                }
            }
            previous = users;
        }
        Ok(loads.into_values().collect())
    }

    /// Splits `[from, to)` at every instant an answer of `at` may change and merges equal
    /// neighbours.
    fn stretches(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        at: impl Fn(DateTime<Utc>) -> Result<Vec<OnCall>, Error>,
    ) -> Result<Vec<Shift>, Error> {
        if to < from {
            return Err(Error::ReversedWindow { from, to });
        }
        let points = self.breakpoints(from, to)?;
        let mut out: Vec<Shift> = Vec::new();
        for (i, &p) in points.iter().enumerate() {
            let end = points.get(i + 1).copied().unwrap_or(to);
            let on_call = at(p)?;
            match out.last_mut() {
                Some(last) if last.on_call == on_call => last.to = end,
                _ => out.push(Shift {
                    from: p,
                    to: end,
                    on_call,
                }),
            }
        }
        Ok(out)
    }

    /// `from` and every instant in `(from, to)` at which a layer's turn, restriction or
    /// dates, a time off or an override begins or ends; sorted, each once.
    fn breakpoints(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, Error> {
        if from == to {
            return Ok(Vec::new());
        }
        let estimate = self.estimate(from, to);
        if estimate > MAX_BREAKPOINTS {
            return Err(Error::WindowTooLong {
                from,
                to,
                estimate,
                max: MAX_BREAKPOINTS,
            });
        }
        let mut points = vec![from];
        let mut push = |t: DateTime<Utc>| {
            if from < t && t < to {
                points.push(t);
            }
        };
        for l in &self.layers {
            l.starts.into_iter().chain(l.ends).for_each(&mut push);
            let mut k = self.turn_at(l, from)?;
            loop {
                k = k.checked_add(1).ok_or(Error::OutOfRange { at: from })?;
                match self.turn_start(l, k) {
                    Some(t) if t < to => push(t),
                    // A turn past chrono's range starts after any window.
                    _ => break,
                }
            }
            if let Some(cal) = &l.restriction {
                let spans = cal
                    .intervals_between(&from, &to)
                    .map_err(|_| Error::OutOfRange { at: from })?;
                for (a, b) in spans {
                    push(a);
                    push(b);
                }
            }
        }
        for o in &self.time_off {
            push(o.from);
            push(o.to);
        }
        for (o, _) in &self.overrides {
            push(o.from);
            push(o.to);
        }
        points.sort_unstable();
        points.dedup();
        Ok(points)
    }

    /// An upper bound on the breakpoints of `[from, to)`, without building them.
    fn estimate(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
        let seconds = u64::try_from((to - from).num_seconds()).unwrap_or(u64::MAX);
        let days = seconds / 86_400 + 2;
        let mut n: u64 = 1 + 2 * (self.time_off.len() + self.overrides.len()) as u64;
        for l in &self.layers {
            // A wall-clock day lasts at least 23 hours.
            let turn = match l.turn {
                Turn::Hours(h) => u64::from(h) * 3_600,
                Turn::Days(d) => u64::from(d) * 82_800,
                Turn::Weeks(w) => u64::from(w) * 7 * 82_800,
            };
            n = n.saturating_add(seconds / turn.max(1) + 2);
            n = n.saturating_add(days.saturating_mul(l.edges_per_day));
        }
        n
    }

    /// The schedule-wide override (`layer` `None`) or the layer's that holds `at`, the
    /// last listed winning.
    fn winning_override(
        &self,
        at: DateTime<Utc>,
        layer: Option<usize>,
    ) -> Option<(usize, &Override)> {
        let i = self
            .overrides_of
            .get(layer.unwrap_or(self.layers.len()))?
            .at(at)?;
        self.overrides.get(i).map(|(o, _)| (i, o))
    }

    /// The time off of `member` that holds `at` (the last listed).
    fn away(&self, member: UserId, at: DateTime<Utc>) -> Option<&TimeOff> {
        let i = self.time_off_of.get(&member)?.at(at)?;
        self.time_off.get(i)
    }

    /// Layers combined as the spec says.
    fn combined(&self, per_layer: Vec<OnCall>) -> Vec<OnCall> {
        match self.combine {
            Combine::LastLayer => per_layer.into_iter().last().into_iter().collect(),
            Combine::All => {
                let mut out: Vec<OnCall> = Vec::with_capacity(per_layer.len());
                for e in per_layer {
                    if !out.iter().any(|o| o.user == e.user) {
                        out.push(e);
                    }
                }
                out
            }
        }
    }

    /// The number of the turn holding `at` (negative before the handover).
    fn turn_at(&self, l: &Compiled, at: DateTime<Utc>) -> Result<i64, Error> {
        let out = || Error::OutOfRange { at };
        match l.turn {
            Turn::Hours(h) => {
                let len = i64::from(h) * 3_600;
                // Whole seconds since turn 0, rounded down (a part of a second before the
                // origin is the second before it, not the origin's).
                let d = at - l.origin;
                let since = d.num_seconds() - i64::from(d.subsec_nanos() < 0);
                Ok(since.div_euclid(len))
            }
            Turn::Days(_) | Turn::Weeks(_) => {
                let len = i64::from(turn_days(l.turn)) * 86_400;
                // Past chrono's range the reading is off by the offset at most: the steps
                // below correct it.
                let local = self.zone.local(at).unwrap_or(at.naive_utc());
                let mut k = (local - l.handover).num_seconds().div_euclid(len);
                // The wall clock's estimate is off by at most one turn around a change of
                // offset: step to the turn whose start is the last at or before `at`.
                for _ in 0..4 {
                    let start = self.turn_start(l, k).ok_or_else(out)?;
                    if start > at {
                        k -= 1;
                        continue;
                    }
                    match k.checked_add(1).and_then(|n| self.turn_start(l, n)) {
                        Some(next) if next <= at => k += 1,
                        _ => return Ok(k),
                    }
                }
                Ok(k)
            }
        }
    }

    /// When turn `k` starts; `None` outside chrono's range.
    fn turn_start(&self, l: &Compiled, k: i64) -> Option<DateTime<Utc>> {
        match l.turn {
            Turn::Hours(h) => {
                let secs = k.checked_mul(i64::from(h) * 3_600)?;
                l.origin.checked_add_signed(Duration::try_seconds(secs)?)
            }
            Turn::Days(_) | Turn::Weeks(_) => {
                let days = k.checked_mul(i64::from(turn_days(l.turn)))?;
                let local = l.handover.checked_add_signed(Duration::try_days(days)?)?;
                self.zone.first_at_or_after(local)
            }
        }
    }
}

/// A wall-clock turn's days.
fn turn_days(turn: Turn) -> u32 {
    match turn {
        Turn::Hours(_) => 0,
        Turn::Days(d) => d,
        Turn::Weeks(w) => w.saturating_mul(7),
    }
}

/// Checks one layer and compiles it.
fn compile(spec: &ScheduleSpec, zone: Zone, layer: &Layer) -> Result<Compiled, Error> {
    let schedule = || spec.name.clone();
    let name = || layer.name.clone();
    if layer.members.is_empty() {
        return Err(Error::NoMembers {
            schedule: schedule(),
            layer: name(),
        });
    }
    let days = match layer.rotation.turn {
        Turn::Hours(h) => u64::from(h).div_ceil(24),
        Turn::Days(d) => u64::from(d),
        Turn::Weeks(w) => u64::from(w) * 7,
    };
    let zero = match layer.rotation.turn {
        Turn::Hours(h) => h == 0,
        Turn::Days(d) => d == 0,
        Turn::Weeks(w) => w == 0,
    };
    if zero || days > u64::from(MAX_TURN_DAYS) {
        return Err(Error::InvalidTurn {
            schedule: schedule(),
            layer: name(),
            turn: layer.rotation.turn,
            max_days: MAX_TURN_DAYS,
        });
    }
    if let (Some(s), Some(e)) = (layer.starts, layer.ends) {
        if e <= s {
            return Err(Error::LayerEndsBeforeStart {
                schedule: schedule(),
                layer: name(),
            });
        }
    }
    let origin = zone
        .first_at_or_after(layer.rotation.handover)
        .ok_or_else(|| Error::OutOfRange {
            at: layer.rotation.handover.and_utc(),
        })?;
    let restriction = match &layer.restriction {
        None => None,
        Some(r) => Some(restriction(spec, layer, r)?),
    };
    let edges_per_day = layer.restriction.as_ref().map_or(0, |r| {
        let w = &r.week;
        let most = [&w.mon, &w.tue, &w.wed, &w.thu, &w.fri, &w.sat, &w.sun]
            .iter()
            .map(|d| d.len())
            .max()
            .unwrap_or(0);
        // Today's segments and yesterday's crossing midnight, each opening and closing.
        2 * (2 * most as u64 + 1)
    });
    Ok(Compiled {
        name: name(),
        members: layer.members.clone(),
        turn: layer.rotation.turn,
        handover: layer.rotation.handover,
        origin,
        starts: layer.starts,
        ends: layer.ends,
        restriction,
        edges_per_day,
    })
}

/// A restriction as a calendar in the schedule's zone.
fn restriction(spec: &ScheduleSpec, layer: &Layer, r: &Restriction) -> Result<Calendar, Error> {
    let mut cal = CalendarSpec::new(format!("{}/{}", spec.name, layer.name), r.week.clone());
    cal.zone.clone_from(&spec.zone);
    cal.holidays.clone_from(&r.holidays);
    Calendar::new(&cal).map_err(|source| Error::InvalidRestriction {
        schedule: spec.name.clone(),
        layer: layer.name.clone(),
        source: Box::new(source),
    })
}
