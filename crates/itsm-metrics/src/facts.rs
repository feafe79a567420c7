//! One walk over a timeline: what every measure reads of one ticket.

use chrono::{DateTime, Duration, Utc};
use itsm_core::Category;
use itsm_core::{MarkKind, Timeline};

use crate::kpis::{PausedTime, WorkingTime};

/// A stretch of time in a working phase (new, open or pending).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub from: DateTime<Utc>,
    /// `None`: still working at the end of the timeline.
    pub to: Option<DateTime<Utc>>,
    /// In the pending phase.
    pub paused: bool,
}

/// What the measures read of one ticket.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub opened_at: DateTime<Utc>,
    pub acknowledged: Option<DateTime<Utc>>,
    pub first_resolution: Option<DateTime<Utc>>,
    /// The last resolution, when the ticket ends resolved or closed.
    pub final_resolution: Option<DateTime<Utc>>,
    pub reopens: u32,
    pub assignments: u32,
    pub reassignments: u32,
    pub paused: bool,
    pub known_error: Option<DateTime<Utc>>,
    pub segments: Vec<Segment>,
}

fn working(c: Category) -> bool {
    matches!(c, Category::New | Category::Open | Category::Pending)
}

impl Facts {
    pub fn of(timeline: &Timeline) -> Facts {
        let opened_at = timeline.opened_at();
        let mut facts = Facts {
            opened_at,
            acknowledged: None,
            first_resolution: None,
            final_resolution: None,
            reopens: 0,
            assignments: 0,
            reassignments: 0,
            paused: false,
            known_error: None,
            segments: Vec::new(),
        };
        let mut phase = Category::New;
        let mut start = opened_at;
        let mut group: Option<&str> = None;
        for (mark, after) in timeline.phases() {
            let at = mark.at;
            match &mark.kind {
                MarkKind::Acknowledged => {
                    facts.acknowledged.get_or_insert(at);
                }
                MarkKind::Assigned { group: g } => {
                    facts.assignments += 1;
                    if group.is_some_and(|current| current != g) {
                        facts.reassignments += 1;
                    }
                    group = Some(g);
                }
                MarkKind::Paused => facts.paused = true,
                MarkKind::Reopened => facts.reopens += 1,
                MarkKind::KnownError => {
                    facts.known_error.get_or_insert(at);
                }
                _ => {}
            }
            if after != phase {
                if working(phase) {
                    facts.segments.push(Segment {
                        from: start,
                        to: Some(at),
                        paused: phase == Category::Pending,
                    });
                    if matches!(after, Category::Resolved | Category::Closed) {
                        facts.first_resolution.get_or_insert(at);
                        facts.final_resolution = Some(at);
                    }
                }
                if working(after) {
                    facts.final_resolution = None;
                }
                start = at;
                phase = after;
            }
        }
        if working(phase) {
            facts.segments.push(Segment {
                from: start,
                to: None,
                paused: phase == Category::Pending,
            });
        }
        if phase == Category::Canceled {
            facts.final_resolution = None;
        }
        facts
    }

    /// The time counted from the opening up to `until`: the working segments before it,
    /// without the pending ones when `paused` says so; through `clock` when given (`None`
    /// when the clock cannot measure a segment).
    pub fn counted(
        &self,
        until: DateTime<Utc>,
        paused: PausedTime,
        clock: Option<&dyn WorkingTime>,
    ) -> Option<Duration> {
        let mut total = Duration::zero();
        for s in &self.segments {
            if s.from >= until {
                break;
            }
            if s.paused && paused == PausedTime::Excluded {
                continue;
            }
            let to = s.to.map_or(until, |t| t.min(until));
            let d = match clock {
                Some(c) => c.working_time(s.from, to)?,
                None => to.signed_duration_since(s.from),
            };
            total = total.checked_add(&d)?;
        }
        Some(total)
    }
}
