//! Exact splits of whole minor units: the pieces add up to the whole, the leftover units
//! placed by a stated rule.

/// Splits `amount` into `weights.len()` pieces in proportion to `weights` (out of
/// `denominator`, at least their sum), exactly: each piece is its share rounded towards zero,
/// and the minor units left over go one each to the pieces with the largest remainders (the
/// first on ties); a negative amount is split as its magnitude, then negated. With a
/// denominator above the weights' sum, the rest is the last element of the answer.
pub(crate) fn split(amount: i64, weights: &[u64], denominator: u128) -> Vec<i64> {
    let magnitude = i128::from(amount).unsigned_abs();
    let sign: i128 = if amount < 0 { -1 } else { 1 };
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let rest_weight = denominator.saturating_sub(sum);
    let mut pieces: Vec<(u128, u128)> = Vec::with_capacity(weights.len() + 1);
    // magnitude <= 2^63 and w < 2^64: the product fits in a u128.
    let share = |w: u128| match magnitude.checked_mul(w) {
        Some(p) if denominator > 0 => (p / denominator, p % denominator),
        _ => (0, 0),
    };
    for &w in weights {
        pieces.push(share(u128::from(w)));
    }
    pieces.push(share(rest_weight));
    let given: u128 = pieces.iter().map(|p| p.0).sum();
    let mut left = magnitude.saturating_sub(given);
    if left > 0 {
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        order.sort_by(|&a, &b| {
            let ra = pieces.get(a).map_or(0, |p| p.1);
            let rb = pieces.get(b).map_or(0, |p| p.1);
            rb.cmp(&ra).then(a.cmp(&b))
        });
        let mut k = 0;
        while left > 0 && !order.is_empty() {
            if let Some(p) = order.get(k % order.len()).and_then(|&i| pieces.get_mut(i)) {
                p.0 += 1;
            }
            left -= 1;
            k += 1;
        }
    }
    pieces
        .iter()
        .map(|p| i64::try_from(sign * p.0 as i128).unwrap_or(0))
        .collect()
}

/// The `rank`-th of `count` even pieces of `amount`: rounded towards zero, the first
/// `|amount % count|` pieces one minor unit more (of the amount's sign).
pub(crate) fn even_piece(amount: i64, count: u64, rank: u64) -> i64 {
    let Ok(count) = i64::try_from(count) else {
        return 0;
    };
    if count <= 0 {
        return 0;
    }
    let base = amount / count;
    let rest = amount % count;
    let extra = if (rank as i128) < i128::from(rest.unsigned_abs()) {
        rest.signum()
    } else {
        0
    };
    base + extra
}
