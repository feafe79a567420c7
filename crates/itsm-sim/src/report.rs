//! What a run reports.

use chrono::{DateTime, Duration, Utc};

use crate::time::duration;

/// Which engine drove the tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Engine {
    /// The plain queueing core: SLA attainment by comparing each ticket's wait and time to
    /// resolve with its targets (the same rule as the SLA engine: met when strictly under
    /// the target; a ticket still open at the horizon past its deadline is breached).
    Fast,
    /// The same event loop, and every ticket driven through itsm-incident's `decide` and
    /// `evolve` (reported, assigned and in progress when an agent picks it up, resolved)
    /// and itsm-sla's clocks (response and resolution per priority); attainment is read
    /// from the clocks.
    Full,
}

/// How many of a target's clocks were met and breached. Clocks still running at the
/// horizon and not yet past their deadline are in neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Attainment {
    /// Completed before the deadline.
    pub met: u64,
    /// Completed late, or still running past the deadline at the horizon.
    pub breached: u64,
}

impl Attainment {
    /// The share met, `met / (met + breached)`; `None` when nothing was measured.
    ///
    /// ```
    /// use itsm_sim::Attainment;
    /// let mut a = Attainment::default();
    /// assert_eq!(a.ratio(), None);
    /// a.met = 3;
    /// a.breached = 1;
    /// assert_eq!(a.ratio(), Some(0.75));
    /// ```
    pub fn ratio(&self) -> Option<f64> {
        let total = self.met + self.breached;
        (total > 0).then(|| self.met as f64 / total as f64)
    }
}

/// Waiting times (from creation until an agent starts work) of the tickets that arrived
/// after the warm-up and were picked up before the horizon. Percentiles are nearest-rank.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Waits {
    /// How many waits were measured.
    pub count: u64,
    /// Their mean. ISO 8601 in JSON.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub mean: Duration,
    /// The median.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub p50: Duration,
    /// The 90th percentile.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub p90: Duration,
    /// The 95th percentile.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub p95: Duration,
    /// The 99th percentile.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub p99: Duration,
    /// The longest.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub max: Duration,
    /// The share of tickets that waited at all (a wait above zero).
    pub waited: f64,
    /// The mean in hours, unrounded (what the Erlang C comparison uses).
    pub mean_hours: f64,
}

/// One priority's figures.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ClassReport {
    /// The priority.
    pub priority: u8,
    /// Tickets that arrived after the warm-up.
    pub arrivals: u64,
    /// Their waits.
    pub waits: Waits,
    /// The response target (until work starts).
    pub response: Attainment,
    /// The resolution target.
    pub resolution: Attainment,
}

/// One group's figures ([`Config::groups`](crate::Config::groups); the desk first).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct GroupReport {
    /// Its name (`desk` for the desk).
    pub name: String,
    /// The waits in its queues: from when a ticket came to the group (its arrival, or its
    /// reassignment to it) until one of its agents first started work on it, for tickets
    /// that arrived after the warm-up.
    pub waits: Waits,
    /// Its agents' busy time over their time on duty, after the warm-up.
    pub utilisation: f64,
    /// Tickets passed on to it during the run ([`Reassign`](crate::Reassign)).
    pub reassigned_in: u64,
}

/// The backlog at one instant: tickets waiting and tickets in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct BacklogPoint {
    /// When.
    pub at: DateTime<Utc>,
    /// Tickets waiting for an agent.
    pub queued: u64,
    /// Tickets being worked on.
    pub in_service: u64,
    /// Tickets on hold awaiting their caller.
    #[cfg_attr(feature = "serde", serde(default))]
    pub on_hold: u64,
    /// Agents on duty.
    pub agents: u32,
}

/// What one run gives. The counters cover the whole run, warm-up included; every other
/// figure only the tickets that arrived after the warm-up (and time after it).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RunReport {
    /// The engine used.
    pub engine: Engine,
    /// The seed given.
    pub seed: u64,
    /// Per priority, most urgent first.
    pub classes: Vec<ClassReport>,
    /// Every class's waits together.
    pub waits: Waits,
    /// Busy agent time over agent time on duty after the warm-up (an agent finishing a
    /// ticket after the end of a shift counts as on duty).
    pub utilisation: f64,
    /// The backlog every `sample_every` from the end of the warm-up.
    pub backlog: Vec<BacklogPoint>,
    /// Tickets that arrived during the run.
    pub arrivals: u64,
    /// Resolutions: a ticket reopened and resolved again counts twice.
    pub completed: u64,
    /// Tickets in progress at the horizon.
    pub in_service: u64,
    /// Tickets waiting at the horizon.
    pub queued: u64,
    /// Tickets on hold at the horizon. `arrivals + reopened = completed + in_service +
    /// queued + on_hold`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub on_hold: u64,
    /// Reopens during the run ([`Reopen`](crate::Reopen)).
    #[cfg_attr(feature = "serde", serde(default))]
    pub reopened: u64,
    /// Reassignments during the run ([`Reassign`](crate::Reassign)): a ticket passed on
    /// moves from one queue to another, so it is in none of the counts above twice.
    #[cfg_attr(feature = "serde", serde(default))]
    pub reassigned: u64,
    /// Per group, the desk first, then [`Config::groups`](crate::Config::groups) in order.
    #[cfg_attr(feature = "serde", serde(default))]
    pub groups: Vec<GroupReport>,
}

/// Mean, nearest-rank percentiles and maximum (reorders `values`): linear-time selection of
/// each rank in turn, each on the part above the previous one, instead of a sort.
pub(crate) fn waits(values: &mut [f64]) -> Waits {
    let n = values.len();
    if n == 0 {
        return Waits::default();
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let waited = values.iter().filter(|w| **w > 0.0).count() as f64 / n as f64;
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut ranks = [0.0f64; 4];
    let mut from = 0usize;
    for (slot, p) in ranks.iter_mut().zip([0.5, 0.9, 0.95, 0.99]) {
        let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
        if let Some(rest) = values.get_mut(from..) {
            if let Some(k) = i.checked_sub(from) {
                if k < rest.len() {
                    rest.select_nth_unstable_by(k, f64::total_cmp);
                }
            }
        }
        *slot = values.get(i).copied().unwrap_or(0.0);
        from = from.max(i);
    }
    let [p50, p90, p95, p99] = ranks;
    Waits {
        count: n as u64,
        mean: duration(mean),
        p50: duration(p50),
        p90: duration(p90),
        p95: duration(p95),
        p99: duration(p99),
        max: duration(max),
        waited,
        mean_hours: mean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};

    #[test]
    fn selected_percentiles_are_the_sorted_nearest_ranks() {
        let mut rng = SmallRng::seed_from_u64(5);
        for n in [1usize, 2, 3, 10, 99, 100, 101, 1000] {
            let values: Vec<f64> = (0..n)
                .map(|i| {
                    if i % 3 == 0 {
                        0.0
                    } else {
                        rng.random::<f64>() * 10.0
                    }
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let rank = |p: f64| sorted[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
            let w = waits(&mut values.clone());
            assert_eq!(w.count, n as u64);
            assert_eq!(w.p50, duration(rank(0.5)), "n {n}");
            assert_eq!(w.p90, duration(rank(0.9)), "n {n}");
            assert_eq!(w.p95, duration(rank(0.95)), "n {n}");
            assert_eq!(w.p99, duration(rank(0.99)), "n {n}");
            assert_eq!(w.max, duration(sorted[n - 1]));
            let zeros = values.iter().filter(|v| **v == 0.0).count();
            assert_eq!(w.waited, (n - zeros) as f64 / n as f64);
        }
        assert_eq!(waits(&mut []), Waits::default());
    }
}
