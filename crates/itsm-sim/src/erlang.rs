//! Queueing theory to check the simulation against: Erlang B and C, and confidence
//! intervals from independent replications.

/// Erlang B: the probability that a call offered `load` erlangs finds all `servers` busy in
/// a loss system, by the recursion `B(0) = 1`, `B(k) = a B(k-1) / (k + a B(k-1))`, which
/// never overflows (no factorials or powers), so it is exact to rounding for thousands of
/// servers. `None` for a load that is negative or not finite, or for more than 2^24
/// (16,777,216) servers. Time: at most `servers` steps; the loop stops where the result
/// underflows to 0, at about twice the load.
///
/// ```
/// use itsm_sim::erlang_b;
/// // Two servers, one erlang: (1/2) / (1 + 1 + 1/2) = 0.2.
/// assert!((erlang_b(2, 1.0).unwrap() - 0.2).abs() < 1e-12);
/// ```
pub fn erlang_b(servers: u32, load: f64) -> Option<f64> {
    if !(load.is_finite() && load >= 0.0) {
        return None;
    }
    if servers > MAX_SERVERS {
        return None;
    }
    // -0.0 counts as 0.0 (the result is then +0.0 for any number of servers).
    let load = load + 0.0;
    let mut b = 1.0;
    for k in 1..=servers {
        b = load * b / (f64::from(k) + load * b);
        if b == 0.0 {
            // Underflowed: every later step keeps it 0. It gets there at about twice the
            // load (below that it can stay at the smallest subnormal), so a stable queue's
            // many servers cost about twice its load in steps.
            break;
        }
    }
    Some(b)
}

/// The most servers [`erlang_b`] and [`Mmc::new`] take: far beyond any service desk, and
/// few enough that a load as large as the servers (where every step counts) is a fraction
/// of a second.
const MAX_SERVERS: u32 = 1 << 24;

/// The M/M/c queue (Poisson arrivals, exponential service, `servers` agents, first come
/// first served) in steady state, from Erlang C.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Mmc {
    /// The offered load `a = arrival rate / service rate`, in erlangs.
    pub load: f64,
    /// Agent utilisation `a / c`.
    pub utilisation: f64,
    /// Erlang C: the probability that an arrival waits, `c B / (c - a (1 - B))`.
    pub probability_of_waiting: f64,
    /// The mean wait in queue, `C / (c mu - lambda)`, in the time unit of the rates.
    pub mean_wait: f64,
}

impl Mmc {
    /// The steady state of M/M/c with `arrival_rate` (lambda) and `service_rate` (mu) per
    /// time unit and `servers` (c). `None` unless both rates are positive and finite, there
    /// is at least one server (and at most 2^24, as for [`erlang_b`]) and the queue is stable
    /// (`lambda < c mu`).
    ///
    /// ```
    /// use itsm_sim::Mmc;
    /// // M/M/1 with rho = 0.5: Wq = rho / (mu - lambda) = 1.
    /// let q = Mmc::new(0.5, 1.0, 1).unwrap();
    /// assert!((q.mean_wait - 1.0).abs() < 1e-12);
    /// assert!((q.probability_of_waiting - 0.5).abs() < 1e-12);
    /// assert_eq!(Mmc::new(2.0, 1.0, 2), None); // rho = 1: no steady state
    /// ```
    pub fn new(arrival_rate: f64, service_rate: f64, servers: u32) -> Option<Mmc> {
        let ok = |x: f64| x.is_finite() && x > 0.0;
        if !(ok(arrival_rate) && ok(service_rate)) || servers == 0 {
            return None;
        }
        let load = arrival_rate / service_rate;
        let c = f64::from(servers);
        if load.is_nan() || load >= c {
            return None;
        }
        let b = erlang_b(servers, load)?;
        let probability_of_waiting = c * b / (c - load * (1.0 - b));
        Some(Mmc {
            load,
            utilisation: load / c,
            probability_of_waiting,
            mean_wait: probability_of_waiting / (c * service_rate - arrival_rate),
        })
    }
}

/// A confidence interval for a mean.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Interval {
    /// The sample mean.
    pub mean: f64,
    /// Half the interval's width: the interval is `mean ± half_width`.
    pub half_width: f64,
}

impl Interval {
    /// The 95% Student-t interval for the mean of independent samples (the means of
    /// independent replications, or of batches long enough to be nearly independent).
    /// `None` for fewer than two samples or a sample that is not finite.
    ///
    /// ```
    /// use itsm_sim::Interval;
    /// let ci = Interval::of(&[1.0, 2.0, 3.0]).unwrap();
    /// assert_eq!(ci.mean, 2.0);
    /// // s = 1, n = 3, t(0.975, 2) = 4.303.
    /// assert!((ci.half_width - 4.303 / 3f64.sqrt()).abs() < 1e-3);
    /// assert!(ci.contains(4.4) && !ci.contains(4.6));
    /// ```
    pub fn of(samples: &[f64]) -> Option<Interval> {
        let n = samples.len();
        if n < 2 || samples.iter().any(|x| !x.is_finite()) {
            return None;
        }
        let nf = n as f64;
        let mean = samples.iter().sum::<f64>() / nf;
        let var = samples.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (nf - 1.0);
        Some(Interval {
            mean,
            half_width: t975(n - 1) * (var / nf).sqrt(),
        })
    }

    /// Whether `x` lies in the interval (ends included).
    pub fn contains(&self, x: f64) -> bool {
        (x - self.mean).abs() <= self.half_width
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (a table to 30, then the
/// normal quantile with Cornish-Fisher's first two corrections).
fn t975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df.checked_sub(1).and_then(|i| TABLE.get(i)) {
        Some(t) => *t,
        None => {
            let (z, n) = (1.959_964f64, df.max(1) as f64);
            let (z3, z5) = (z.powi(3), z.powi(5));
            z + (z3 + z) / (4.0 * n) + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_the_closed_form_for_small_c() {
        // Closed form with factorials for c = 5, a = 4.
        let (c, a) = (5u32, 4.0f64);
        let fact = |n: u32| (1..=n).map(f64::from).product::<f64>();
        let sum: f64 = (0..c).map(|k| a.powi(k as i32) / fact(k)).sum();
        let top = a.powi(c as i32) / fact(c) * f64::from(c) / (f64::from(c) - a);
        let closed = top / (sum + top);
        let q = Mmc::new(4.0, 1.0, 5).unwrap();
        assert!((q.probability_of_waiting - closed).abs() < 1e-12);
        assert!((q.mean_wait - closed / 1.0).abs() < 1e-12);
    }

    #[test]
    fn erlang_c_is_stable_for_hundreds_of_agents() {
        // 450 erlangs on 500 agents: factorials would overflow; the recursion does not.
        let q = Mmc::new(450.0, 1.0, 500).unwrap();
        assert!(q.probability_of_waiting.is_finite());
        assert!(q.probability_of_waiting > 0.0 && q.probability_of_waiting < 0.05);
        // Near the edge the probability of waiting tends to 1.
        let edge = Mmc::new(499.9, 1.0, 500).unwrap();
        assert!(edge.probability_of_waiting > 0.99 && edge.probability_of_waiting <= 1.0);
    }

    #[test]
    fn t_quantiles_join_the_normal() {
        assert_eq!(t975(1), 12.706);
        assert_eq!(t975(30), 2.042);
        assert!((t975(31) - 2.040).abs() < 0.002);
        assert!((t975(1000) - 1.962).abs() < 0.001);
    }
}
