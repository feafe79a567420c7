//! Service-time distributions, sampled by inverse transform from one uniform draw.

use chrono::Duration;
use rand::Rng;

use crate::error::Error;
use crate::time::hours;

/// How long an agent works on one ticket. Every distribution is sampled by inverse
/// transform from one uniform draw of the seeded generator, so a run is reproducible.
///
/// In JSON, externally tagged: `{"exponential": {"mean": "PT45M"}}`,
/// `{"deterministic": {"value": "PT30M"}}`,
/// `{"lognormal": {"median": "PT40M", "sigma": 0.8}}`,
/// `{"empirical": {"samples": ["PT10M", "PT25M", "PT2H"]}}`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum ServiceTime {
    /// Exponential with this mean (the M of M/M/c).
    Exponential {
        /// The mean, positive.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        mean: Duration,
    },
    /// Always this long (the D of M/D/c).
    Deterministic {
        /// The service time, positive.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        value: Duration,
    },
    /// Lognormal: the logarithm of the time is normal with mean `ln(median)` and standard
    /// deviation `sigma` (the usual shape of ticket work times: many short, a long tail).
    Lognormal {
        /// The median, positive.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        median: Duration,
        /// The standard deviation of the logarithm, finite and at least 0 (at most 10).
        sigma: f64,
    },
    /// One of these observed times, each equally likely (the empirical distribution).
    Empirical {
        /// The observed times, each positive; at least one.
        #[cfg_attr(feature = "serde", serde(with = "crate::time::durations"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "crate::time::durations::schema")
        )]
        samples: Vec<Duration>,
    },
}

impl ServiceTime {
    /// Exponential service with this mean.
    pub fn exponential(mean: Duration) -> Self {
        ServiceTime::Exponential { mean }
    }

    /// The distribution's mean, in hours (for the expected load).
    pub(crate) fn mean_hours(&self) -> f64 {
        match self {
            ServiceTime::Exponential { mean } => hours(*mean),
            ServiceTime::Deterministic { value } => hours(*value),
            ServiceTime::Lognormal { median, sigma } => {
                hours(*median) * (sigma * sigma / 2.0).exp()
            }
            ServiceTime::Empirical { samples } => {
                let n = samples.len().max(1) as f64;
                samples.iter().map(|d| hours(*d)).sum::<f64>() / n
            }
        }
    }

    /// Checks the parameters and builds the sampler.
    pub(crate) fn compile(&self, priority: u8) -> Result<Sampler, Error> {
        let bad = |reason: String| Error::BadServiceTime { priority, reason };
        let positive = |what: &str, d: Duration| {
            if d > Duration::zero() && d <= crate::MAX_HORIZON {
                Ok(hours(d))
            } else {
                Err(bad(format!(
                    "the {what} {} must be positive and at most 100 years",
                    itsm_core::duration::format(d)
                )))
            }
        };
        Ok(match self {
            ServiceTime::Exponential { mean } => Sampler::Exponential(positive("mean", *mean)?),
            ServiceTime::Deterministic { value } => {
                Sampler::Deterministic(positive("value", *value)?)
            }
            ServiceTime::Lognormal { median, sigma } => {
                let median = positive("median", *median)?;
                if !(sigma.is_finite() && (0.0..=10.0).contains(sigma)) {
                    return Err(bad(format!(
                        "sigma {sigma} must be a finite number from 0 to 10"
                    )));
                }
                Sampler::Lognormal {
                    mu: median.ln(),
                    sigma: *sigma,
                }
            }
            ServiceTime::Empirical { samples } => {
                if samples.is_empty() {
                    return Err(bad(
                        "the empirical distribution has no samples; give at least one".into(),
                    ));
                }
                let mut values = Vec::with_capacity(samples.len());
                for d in samples {
                    values.push(positive("sample", *d)?);
                }
                Sampler::Empirical(values)
            }
        })
    }
}

/// A checked distribution over hours.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sampler {
    Exponential(f64),
    Deterministic(f64),
    Lognormal { mu: f64, sigma: f64 },
    Empirical(Vec<f64>),
}

impl Sampler {
    /// One draw, in hours, from one uniform number of `rng`.
    #[inline]
    pub(crate) fn sample<R: Rng>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Exponential(mean) => exponential(rng, *mean),
            Sampler::Deterministic(value) => *value,
            Sampler::Lognormal { mu, sigma } => {
                let u = open_uniform(rng);
                (mu + sigma * normal_quantile(u)).exp()
            }
            Sampler::Empirical(values) => {
                let u: f64 = rng.random();
                // The inverse of the empirical distribution function: value k for u in
                // [k/n, (k+1)/n). `u < 1`, so the index is below `n`; `get` keeps it total.
                let k = (u * values.len() as f64) as usize;
                values.get(k).or(values.last()).copied().unwrap_or(0.0)
            }
        }
    }
}

/// An exponential draw with this mean: `-mean ln(1 - u)`, `u` in `[0, 1)`.
#[inline]
pub(crate) fn exponential<R: Rng>(rng: &mut R, mean: f64) -> f64 {
    let u: f64 = rng.random();
    -mean * (1.0 - u).ln()
}

/// A uniform draw in the open interval `(0, 1)`.
fn open_uniform<R: Rng>(rng: &mut R) -> f64 {
    loop {
        let u: f64 = rng.random();
        if u > 0.0 {
            return u;
        }
    }
}

/// The standard normal quantile function (Acklam's rational approximation, relative error
/// below 1.2e-9 over `(0, 1)`), for the lognormal's inverse transform.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_matches_known_values() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.025, -1.959_963_984_540_054),
            (0.999, 3.090_232_306_167_813),
            (0.001, -3.090_232_306_167_813),
            (0.841_344_746_068_542_9, 1.0),
        ] {
            assert!(
                (normal_quantile(p) - z).abs() < 1e-8,
                "p {p}: {}",
                normal_quantile(p)
            );
        }
    }
}
