//! The backlog over time: how many tickets are open at each sample instant, by age.

use chrono::{DateTime, Duration, Utc};
use itsm_core::Timeline;

use crate::error::Error;
use crate::facts::Facts;
use crate::kpis::Options;

/// The backlog at one instant: the tickets open then, and how many fall in each age bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct BacklogSample {
    /// The instant.
    pub at: DateTime<Utc>,
    /// Tickets open at `at`: opened at or before it, and in the new, open or pending phase.
    pub open: u64,
    /// The open tickets by age (`at` minus the opening): one count per bucket of
    /// [`backlog`]'s `bounds` (`[0, b1)`, `[b1, b2)`, ..., `[bk, ∞)`), so `bounds.len() + 1`
    /// counts that add up to `open`.
    pub by_age: Vec<u64>,
}

/// An open stretch of a ticket: its start, its end (`None`: still open) and the ticket's
/// opening.
type Stretch = (DateTime<Utc>, Option<DateTime<Utc>>, DateTime<Utc>);

/// A Fenwick tree of counts over positions `0..n`.
struct Fenwick(Vec<i64>);

impl Fenwick {
    fn add(&mut self, pos: usize, delta: i64) {
        let mut i = pos + 1;
        while let Some(slot) = self.0.get_mut(i) {
            *slot += delta;
            i += i & i.wrapping_neg();
        }
    }

    /// The sum over positions `0..end`.
    fn prefix(&self, end: usize) -> i64 {
        let mut i = end.min(self.0.len().saturating_sub(1));
        let mut sum = 0;
        while i > 0 {
            sum += self.0.get(i).copied().unwrap_or(0);
            i -= i & i.wrapping_neg();
        }
        sum
    }
}

/// The backlog of the ticket practices' timelines ([`Options::ticket_practices`]) at each
/// of `samples` (in the order given), with ages bucketed by `bounds` (strictly increasing,
/// positive). A ticket is open on `[start, end)` of each stretch it spends in the new, open
/// or pending phase, so one resolved at an instant is not open at that instant, and one
/// reopened counts again from the reopening; its age is measured from the first opening.
/// Exact, in O((n + k·b) log n) for n tickets, k samples and b bounds.
///
/// # Errors
/// [`Error::InvalidBounds`] when a bound is not positive or not greater than the one
/// before.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
/// use itsm_metrics::{Options, backlog};
///
/// let day = |d| Utc.with_ymd_and_hms(2026, 3, d, 0, 0, 0).unwrap();
/// let mut a = TimelineSpec::new("A", Practice::Incident, day(1));
/// a.marks = vec![Mark::new(day(3), MarkKind::Resolved)];
/// let b = TimelineSpec::new("B", Practice::Incident, day(2));
/// let timelines = [Timeline::new(a)?, Timeline::new(b)?];
/// let samples = backlog(&timelines, &Options::default(), &[day(1), day(2), day(3)], &[Duration::days(1)])?;
/// let open: Vec<u64> = samples.iter().map(|s| s.open).collect();
/// assert_eq!(open, [1, 2, 1]);
/// assert_eq!(samples[1].by_age, [1, 1]); // B is 0 days old, A is 1 day old
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn backlog(
    timelines: &[Timeline],
    options: &Options,
    samples: &[DateTime<Utc>],
    bounds: &[Duration],
) -> Result<Vec<BacklogSample>, Error> {
    let mut previous = Duration::zero();
    for (index, b) in bounds.iter().enumerate() {
        if *b <= previous {
            return Err(Error::InvalidBounds {
                index,
                bound: itsm_core::duration::format(*b),
            });
        }
        previous = *b;
    }
    // Each open stretch: (start, end, opened_at).
    let mut stretches: Vec<Stretch> = Vec::new();
    for t in timelines.iter().filter(|t| options.is_ticket(t)) {
        let facts = Facts::of(t);
        let mut current: Option<(DateTime<Utc>, Option<DateTime<Utc>>)> = None;
        for s in &facts.segments {
            // Consecutive working segments (open then pending) are one open stretch.
            match &mut current {
                Some((_, end)) if *end == Some(s.from) => *end = s.to,
                _ => {
                    if let Some((from, to)) = current.take() {
                        stretches.push((from, to, facts.opened_at));
                    }
                    current = Some((s.from, s.to));
                }
            }
        }
        if let Some((from, to)) = current {
            stretches.push((from, to, facts.opened_at));
        }
    }
    // Compressed coordinates of the opening instants.
    let mut openings: Vec<DateTime<Utc>> = stretches.iter().map(|s| s.2).collect();
    openings.sort_unstable();
    openings.dedup();
    let position = |t: DateTime<Utc>| openings.partition_point(|o| *o < t);
    // Sweep events: at an instant, ends and starts apply before the sample reads.
    let mut events: Vec<(DateTime<Utc>, usize, i64)> = Vec::with_capacity(stretches.len() * 2);
    for (from, to, opened) in &stretches {
        let pos = position(*opened);
        events.push((*from, pos, 1));
        if let Some(to) = to {
            events.push((*to, pos, -1));
        }
    }
    events.sort_unstable();
    let mut order: Vec<usize> = (0..samples.len()).collect();
    order.sort_by_key(|i| samples.get(*i));
    let mut tree = Fenwick(vec![0; openings.len() + 1]);
    let mut open: i64 = 0;
    let mut next = 0;
    let mut out: Vec<Option<BacklogSample>> = vec![None; samples.len()];
    for i in order {
        let Some(at) = samples.get(i).copied() else {
            continue;
        };
        while let Some((t, pos, delta)) = events.get(next).copied() {
            if t > at {
                break;
            }
            tree.add(pos, delta);
            open += delta;
            next += 1;
        }
        // Bucket j holds ages in [b_j, b_{j+1}): openings in (at - b_{j+1}, at - b_j].
        // Counting openings at or before an instant gives the cumulative counts.
        let at_or_before = |t: Option<DateTime<Utc>>| -> i64 {
            match t {
                Some(t) => tree.prefix(openings.partition_point(|o| *o <= t)),
                None => 0,
            }
        };
        let mut by_age = Vec::with_capacity(bounds.len() + 1);
        let mut upper = open; // openings at or before `at - 0`
        for b in bounds {
            let older = at_or_before(at.checked_sub_signed(*b));
            by_age.push(u64::try_from(upper - older).unwrap_or(0));
            upper = older;
        }
        by_age.push(u64::try_from(upper).unwrap_or(0));
        if let Some(slot) = out.get_mut(i) {
            *slot = Some(BacklogSample {
                at,
                open: u64::try_from(open).unwrap_or(0),
                by_age,
            });
        }
    }
    Ok(out.into_iter().flatten().collect())
}
