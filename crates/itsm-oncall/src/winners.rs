//! Which of several listed periods holds an instant, the last listed winning, answered by a
//! binary search: the periods swept once into disjoint stretches, each with its winner.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Utc};

/// Disjoint stretches `[from, to)` in order, each with the index of the last listed period
/// holding it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Winners {
    stretches: Vec<(DateTime<Utc>, DateTime<Utc>, usize)>,
}

impl Winners {
    /// Sweeps `periods` (index, from, to), each with `from < to`. Time: O(n log n).
    pub(crate) fn new(periods: &[(usize, DateTime<Utc>, DateTime<Utc>)]) -> Self {
        // Every instant at which the winner may change.
        let mut points: Vec<DateTime<Utc>> = periods.iter().flat_map(|p| [p.1, p.2]).collect();
        points.sort_unstable();
        points.dedup();
        let mut by_start: Vec<&(usize, DateTime<Utc>, DateTime<Utc>)> = periods.iter().collect();
        by_start.sort_unstable_by_key(|p| p.1);
        // Open periods by index, the highest on top; ended ones are dropped when they surface.
        let mut open: BinaryHeap<(usize, Reverse<DateTime<Utc>>)> = BinaryHeap::new();
        let mut next = by_start.into_iter().peekable();
        let mut stretches: Vec<(DateTime<Utc>, DateTime<Utc>, usize)> = Vec::new();
        for (k, &p) in points.iter().enumerate() {
            while let Some(q) = next.next_if(|q| q.1 <= p) {
                open.push((q.0, Reverse(q.2)));
            }
            while open.peek().is_some_and(|(_, Reverse(end))| *end <= p) {
                open.pop();
            }
            let (Some(&(winner, _)), Some(&end)) = (open.peek(), points.get(k + 1)) else {
                continue;
            };
            match stretches.last_mut() {
                Some(last) if last.2 == winner && last.1 == p => last.1 = end,
                _ => stretches.push((p, end, winner)),
            }
        }
        Winners { stretches }
    }

    /// The winner at `at`.
    pub(crate) fn at(&self, at: DateTime<Utc>) -> Option<usize> {
        let i = self.stretches.partition_point(|s| s.1 <= at);
        self.stretches.get(i).filter(|s| s.0 <= at).map(|s| s.2)
    }
}
