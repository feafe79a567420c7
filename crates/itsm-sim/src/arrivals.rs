//! Arrival processes: Poisson at a constant rate or by hour of the day or week, and their
//! estimation from the arrival instants of a log.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};

use crate::dist::exponential;
use crate::error::Error;
use crate::model::Class;
use crate::time::hours;
use rand::Rng;
use rand::rngs::SmallRng;

/// How tickets of one priority arrive.
///
/// In JSON: `{"poisson": {"rate": 4.5, "per": "PT1H"}}`, or with a rate for each hour,
/// `{"profile": {"rates": [0.5, 0.5, ..., 8, 9, ...], "per": "PT1H"}}`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum Arrivals {
    /// A Poisson process: `rate` arrivals on average per `per` (exponential gaps).
    Poisson {
        /// The mean number of arrivals per `per`: finite and positive.
        rate: f64,
        /// The period the rate counts over (`"PT1H"`, `"P1D"`): positive.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        per: Duration,
    },
    /// A Poisson process whose rate changes by the hour, in UTC: 24 rates (hour of the day,
    /// from 00:00) or 168 (hour of the week, from Monday 00:00), each the mean number of
    /// arrivals per `per` during that hour. Sampled by thinning (Lewis and Shedler):
    /// candidates at the highest rate, each kept with probability rate / highest rate.
    Profile {
        /// The rates, each finite and at least 0, some above 0.
        rates: Vec<f64>,
        /// The period the rates count over: positive.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        per: Duration,
    },
}

impl Arrivals {
    /// A Poisson process of `rate` arrivals an hour.
    ///
    /// ```
    /// use itsm_sim::Arrivals;
    /// assert_eq!(Arrivals::per_hour(4.0).rate_per_hour(), 4.0);
    /// ```
    pub fn per_hour(rate: f64) -> Self {
        Arrivals::Poisson {
            rate,
            per: Duration::hours(1),
        }
    }

    /// The mean arrivals an hour (over a day or a week for a profile).
    ///
    /// ```
    /// use itsm_sim::Arrivals;
    /// use itsm_sim::chrono::Duration;
    ///
    /// let mut rates = vec![0.0; 24];
    /// rates[9..17].fill(6.0); // 6 an hour from 09:00 to 17:00
    /// let office = Arrivals::Profile { rates, per: Duration::hours(1) };
    /// assert_eq!(office.rate_per_hour(), 2.0);
    /// ```
    pub fn rate_per_hour(&self) -> f64 {
        match self {
            Arrivals::Poisson { rate, per } => rate / hours(*per),
            Arrivals::Profile { rates, per } => {
                rates.iter().sum::<f64>() / rates.len().max(1) as f64 / hours(*per)
            }
        }
    }
}

/// The first arrival and the hours from it to the last: the window a rate is estimated
/// over.
///
/// # Errors
/// [`Error::TooFewArrivals`] for fewer than two instants or a window of zero length.
fn arrival_window(arrivals: &[(u8, DateTime<Utc>)]) -> Result<(DateTime<Utc>, f64), Error> {
    let too_few = || Error::TooFewArrivals {
        count: arrivals.len(),
    };
    let mut times = arrivals.iter().map(|(_, t)| *t);
    let start = times.next().ok_or_else(too_few)?;
    let (first, last) = times.fold((start, start), |(a, b), t| (a.min(t), b.max(t)));
    let window = hours(last - first);
    if arrivals.len() < 2 || window <= 0.0 {
        return Err(too_few());
    }
    Ok((first, window))
}

/// Estimates a Poisson rate per priority from observed arrival instants (for example the
/// `opened_at` of each incident of a log): the maximum-likelihood rate of priority `p` is
/// the count of its arrivals over the whole observation window, from the first arrival of
/// any priority to the last. Rates are given per `per`.
///
/// ```
/// use itsm_sim::chrono::{Duration, TimeZone, Utc};
/// use itsm_sim::estimate_rates;
///
/// let t = |h| Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap() + Duration::hours(h);
/// // Priority 1 three times and priority 3 once in 10 hours.
/// let seen = [(1, t(0)), (3, t(2)), (1, t(5)), (1, t(10))];
/// let rates = estimate_rates(&seen, Duration::hours(1))?;
/// assert_eq!(rates[&1].rate_per_hour(), 0.3);
/// assert_eq!(rates[&3].rate_per_hour(), 0.1);
/// # Ok::<(), itsm_sim::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewArrivals`] for fewer than two instants or a window of zero length;
/// [`Error::BadRate`] when `per` is not positive.
pub fn estimate_rates(
    arrivals: &[(u8, DateTime<Utc>)],
    per: Duration,
) -> Result<BTreeMap<u8, Arrivals>, Error> {
    let (_, window) = arrival_window(arrivals)?;
    if per <= Duration::zero() {
        return Err(Error::BadRate {
            priority: arrivals.first().map_or(0, |(p, _)| *p),
            value: itsm_core::duration::format(per),
        });
    }
    let mut counts: BTreeMap<u8, u64> = BTreeMap::new();
    for (p, _) in arrivals {
        *counts.entry(*p).or_default() += 1;
    }
    Ok(counts
        .into_iter()
        .map(|(p, n)| {
            (
                p,
                Arrivals::Poisson {
                    rate: n as f64 / window * hours(per),
                    per,
                },
            )
        })
        .collect())
}

/// Estimates an hourly arrival profile per priority from observed arrival instants: for
/// each hour of the day (`len` 24) or of the week (`len` 168, from Monday 00:00), in UTC,
/// the count of arrivals in that hour over the time the observation window spent in it (the
/// maximum-likelihood rate of a periodic Poisson process). The window runs from the first
/// arrival of any priority to the last. Rates are per hour.
///
/// ```
/// use itsm_sim::chrono::{Duration, TimeZone, Utc};
/// use itsm_sim::{Arrivals, estimate_profiles};
///
/// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
/// // Ten days, one arrival at 09:00 and one at 09:30 each day, the last at 23:00 on day 10.
/// let mut seen = Vec::new();
/// for day in 0..10 {
///     let nine = monday + Duration::days(day) + Duration::hours(9);
///     seen.extend([(2, nine), (2, nine + Duration::minutes(30))]);
/// }
/// seen.push((2, monday + Duration::days(9) + Duration::hours(23)));
/// let profiles = estimate_profiles(&seen, 24)?;
/// let Arrivals::Profile { rates, .. } = &profiles[&2] else { unreachable!() };
/// assert_eq!(rates[9], 2.0); // 20 arrivals in 10 hours between 09:00 and 10:00
/// assert_eq!(rates[23], 1.0 / 9.0); // the window ends at 23:00 on day 10
/// # Ok::<(), itsm_sim::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewArrivals`] for fewer than two instants or a window of zero length;
/// [`Error::ProfileLength`] (priority 0) when `len` is neither 24 nor 168. Time: linear in
/// the arrivals, plus at most two days (or weeks) of hourly steps whatever the window's
/// length.
pub fn estimate_profiles(
    arrivals: &[(u8, DateTime<Utc>)],
    len: usize,
) -> Result<BTreeMap<u8, Arrivals>, Error> {
    if len != 24 && len != 168 {
        return Err(Error::ProfileLength { priority: 0, len });
    }
    let (first, window) = arrival_window(arrivals)?;
    // Hours of the window in each slot, walking from one hour boundary to the next.
    let start = hours_into(first, len);
    let mut exposure = vec![0.0f64; len];
    let mut t = 0.0f64;
    let step = |t: f64, exposure: &mut [f64]| {
        let at = start + t;
        let next = (at.floor() + 1.0 - start).min(window);
        if let Some(e) = exposure.get_mut(at.floor() as usize % len) {
            *e += next - t;
        }
        next
    };
    // Hour by hour up to the first boundary of a day (or week), then whole days (weeks) at
    // once, one hour to every slot each, then hour by hour to the end: at most two days
    // (weeks) of steps, however long the window (a log whose instants span millennia took
    // a minute, hour by hour).
    let cycle = len as f64;
    let to_boundary = ((start / cycle).floor() + 1.0) * cycle - start;
    while t < window && t < to_boundary {
        t = step(t, &mut exposure);
    }
    let whole = ((window - t) / cycle).floor();
    if whole >= 1.0 {
        for e in &mut exposure {
            *e += whole;
        }
        t += whole * cycle;
    }
    while t < window {
        t = step(t, &mut exposure);
    }
    let mut counts: BTreeMap<u8, Vec<u64>> = BTreeMap::new();
    for (p, at) in arrivals {
        let slot = (start + hours(*at - first)).floor() as usize % len;
        let row = counts.entry(*p).or_insert_with(|| vec![0; len]);
        if let Some(c) = row.get_mut(slot) {
            *c += 1;
        }
    }
    Ok(counts
        .into_iter()
        .map(|(p, row)| {
            let rates = row
                .iter()
                .zip(&exposure)
                .map(|(n, e)| if *e > 0.0 { *n as f64 / e } else { 0.0 })
                .collect();
            (
                p,
                Arrivals::Profile {
                    rates,
                    per: Duration::hours(1),
                },
            )
        })
        .collect())
}

/// An hourly arrival profile, in arrivals an hour.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// The rate of each hour of the period (24 or 168 entries).
    pub(crate) shape: Vec<f64>,
    /// The highest of them (the thinning's candidate rate).
    pub(crate) max: f64,
    /// Hours into the period at the run's start.
    pub(crate) into: f64,
}

impl Profile {
    /// The rate at `t` hours from the start.
    #[inline]
    pub(crate) fn rate(&self, t: f64) -> f64 {
        let len = self.shape.len().max(1);
        let slot = (self.into + t).floor() as usize % len;
        self.shape.get(slot).copied().unwrap_or(0.0)
    }
}

/// Hours from the start of the period (a day for 24 hourly entries, else a week from Monday
/// 00:00 UTC) to `start`.
pub(crate) fn hours_into(start: DateTime<Utc>, len: usize) -> f64 {
    let into_day = f64::from(start.num_seconds_from_midnight()) / 3600.0
        + f64::from(start.nanosecond() % 1_000_000_000) / 3.6e12;
    if len == 24 {
        into_day
    } else {
        f64::from(start.weekday().num_days_from_monday()) * 24.0 + into_day
    }
}

/// The class's next arrival after `now`: an exponential gap, or by thinning under an hourly
/// profile (candidates at the highest rate, each kept with probability rate / highest; at
/// most the profile's length in candidates per arrival on average). Stops at the horizon.
#[inline]
pub(crate) fn next_arrival(class: &Class, rng: &mut SmallRng, now: f64, horizon: f64) -> f64 {
    let Some(profile) = &class.profile else {
        return now + exponential(rng, 1.0 / class.rate);
    };
    let mut t = now;
    loop {
        t += exponential(rng, 1.0 / profile.max);
        if t >= horizon || rng.random::<f64>() * profile.max < profile.rate(t) {
            return t;
        }
    }
}

#[cfg(test)]
mod profile_tests {
    use super::*;
    use crate::config::Config;
    use crate::model::Model;
    use chrono::Duration;
    use rand::SeedableRng;

    #[test]
    fn thinning_follows_the_hourly_profile() {
        // 24 rates: none at night, 6 an hour from 09:00 to 17:00, 1 an hour otherwise; a
        // start at 06:30 so that the hours are offset from the run's.
        let mut rates = vec![1.0; 24];
        rates[..6].fill(0.0);
        rates[9..17].fill(6.0);
        let mut config = Config::mmc(1.0, 1.0, 1, Duration::days(400));
        config.start += Duration::minutes(6 * 60 + 30);
        config.classes[0].arrivals = Arrivals::Profile {
            rates: rates.clone(),
            per: Duration::hours(1),
        };
        let model = Model::new(config).unwrap();
        let class = &model.classes[0];
        let mut rng = SmallRng::seed_from_u64(1);
        let mut counts = [0u64; 24];
        let mut t = 0.0;
        loop {
            t = next_arrival(class, &mut rng, t, model.horizon);
            if t >= model.horizon {
                break;
            }
            counts[((t + 6.5).floor() as usize) % 24] += 1;
        }
        for (hour, (count, rate)) in counts.iter().zip(&rates).enumerate() {
            let expected = rate * 400.0;
            // Poisson: within five standard deviations (and exactly none where the rate is 0).
            assert!(
                (*count as f64 - expected).abs() <= 5.0 * expected.sqrt(),
                "hour {hour}: {count} arrivals, expected {expected}"
            );
        }
        assert!(
            (model.expected_arrivals() - 400.0 * 24.0 * rates.iter().sum::<f64>() / 24.0).abs()
                < 1e-6
        );
    }
}
