//! Exact money: taxes rounded half away from zero to the minor unit, splits whose pieces add
//! up to the whole. Every input is within `MAX_AMOUNT`, so `i128` arithmetic never overflows.

use crate::spec::{MAX_AMOUNT, Rate};

/// `value × numerator / denominator`, rounded half away from zero (`denominator > 0`).
fn scaled(value: i64, numerator: i64, denominator: i64) -> i128 {
    let product = i128::from(value) * i128::from(numerator);
    let denominator = i128::from(denominator.max(1));
    let quotient = product / denominator;
    let remainder = product % denominator;
    if remainder.abs() * 2 >= denominator {
        quotient + product.signum()
    } else {
        quotient
    }
}

/// Within ±[`MAX_AMOUNT`] (a renewal's adjusted prices).
pub(crate) fn clamp(value: i128) -> i64 {
    let max = i128::from(MAX_AMOUNT);
    i64::try_from(value.clamp(-max, max)).unwrap_or(0)
}

/// Within `i64`'s range (sums: totals, lifetime costs), saturating at its ends.
pub(crate) fn saturate(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// The tax on `base` at `rate`, rounded half away from zero to the minor unit (exact for
/// checked bases and rates: at most a 100 % rate on [`MAX_AMOUNT`]).
pub(crate) fn tax(base: i64, rate: Option<Rate>) -> i64 {
    rate.map_or(0, |r| saturate(scaled(base, i64::from(r.0), 10_000)))
}

/// `base` with its tax (exact for checked bases and rates: at most twice [`MAX_AMOUNT`]).
pub(crate) fn with_tax(base: i64, rate: Option<Rate>) -> i64 {
    saturate(i128::from(base) + i128::from(tax(base, rate)))
}

/// `amount` changed by `percent` hundredths of a percent, rounded half away from zero,
/// within ±[`MAX_AMOUNT`].
pub(crate) fn adjust_percent(amount: i64, percent: i32) -> i64 {
    clamp(i128::from(amount) + scaled(amount, i64::from(percent), 10_000))
}

/// `total` split into `n` pieces as even as can be: the extra minor units go to the first
/// pieces. Empty for `n == 0`.
pub(crate) fn split_even(total: i64, n: usize) -> Vec<i64> {
    let Ok(count) = i64::try_from(n) else {
        return Vec::new();
    };
    if count == 0 {
        return Vec::new();
    }
    let share = total.div_euclid(count);
    let extra = usize::try_from(total.rem_euclid(count)).unwrap_or(0);
    (0..n).map(|i| share + i64::from(i < extra)).collect()
}

/// `total` split in proportion to `weights` (each at least 0): each piece rounded down,
/// the minor units left over going to the largest remainders (the first on a tie). Even
/// when every weight is 0.
pub(crate) fn split_by(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|&w| i128::from(w.max(0))).sum();
    if sum == 0 {
        return split_even(total, weights.len());
    }
    let total = i128::from(total);
    let mut pieces = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let product = total * i128::from(w.max(0));
        let piece = product.div_euclid(sum);
        given += piece;
        pieces.push(piece);
        remainders.push((product.rem_euclid(sum), i));
    }
    let left = usize::try_from(total - given).unwrap_or(0);
    // Largest remainder first, then the first index.
    remainders.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left) {
        if let Some(piece) = pieces.get_mut(i) {
            *piece += 1;
        }
    }
    pieces.into_iter().map(saturate).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_rounds_half_away_from_zero() {
        assert_eq!(tax(1_000, Some(Rate(825))), 83); // 82.5
        assert_eq!(tax(-1_000, Some(Rate(825))), -83);
        assert_eq!(tax(999, Some(Rate(825))), 82); // 82.4175
        assert_eq!(tax(999, None), 0);
        assert_eq!(with_tax(10_000, Some(Rate(2_000))), 12_000);
        assert_eq!(with_tax(MAX_AMOUNT, Some(Rate::MAX)), 2 * MAX_AMOUNT);
        assert_eq!(saturate(i128::from(i64::MAX) + 1), i64::MAX);
        assert_eq!(saturate(i128::from(i64::MIN) - 1), i64::MIN);
    }

    #[test]
    fn percent_adjustments_round_and_clamp() {
        assert_eq!(adjust_percent(10_000, 300), 10_300);
        assert_eq!(adjust_percent(10_000, -10_000), 0);
        assert_eq!(adjust_percent(333, 5_000), 500); // 499.5
        assert_eq!(adjust_percent(MAX_AMOUNT, 10_000), MAX_AMOUNT);
    }

    #[test]
    fn splits_add_up() {
        assert_eq!(split_even(100, 3), vec![34, 33, 33]);
        assert_eq!(split_even(-100, 3), vec![-33, -33, -34]);
        assert_eq!(split_even(-100, 3).iter().sum::<i64>(), -100);
        assert_eq!(split_even(5, 0), Vec::<i64>::new());
        assert_eq!(split_by(10_000, &[7_000, 3_000]), vec![7_000, 3_000]);
        assert_eq!(split_by(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(split_by(100, &[0, 0]), vec![50, 50]);
        assert_eq!(split_by(10, &[1, 2]), vec![3, 7]); // 3.33 and 6.67: the larger remainder
        assert_eq!(split_by(-10, &[1, 2]).iter().sum::<i64>(), -10);
    }
}
