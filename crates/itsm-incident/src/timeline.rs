//! An incident's events as a practice-neutral [`Timeline`], what `itsm-metrics` measures.

use itsm_core::Category;
use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};

use crate::event::Event;
use crate::model::{Link, StatusKind};

/// The timeline of one incident from its events, under the incident's id (in the order `evolve` folds them).
///
/// - `reported` opens it (with the priority); `imported` opens it at the snapshot's
///   `opened_at` and brings it, at the import, to the snapshot's status (its counters
///   are not replayed: the reopens and reassignments before the import are not marks);
/// - `work_started` acknowledges it; `assigned` assigns it to the group (by id);
///   `put_on_hold` pauses it; `resumed` and `caller_responded` resume it; `resolved`,
///   `reopened`, `closed` and `canceled` are the marks of those names;
///   `reprioritized` updates the priority (the last one is the timeline's); a `linked`
///   event with [`Link::FollowUpOf`] sets [`TimelineSpec::follow_up_of`] (the incident is a
///   reopen after closure raised anew), as does an imported snapshot's `follow_up_of` link;
/// - `entered` (a vendor's state, such as iTop's `assigned`, which `assign` enters) is the
///   mark that leads to its kind's category when it changes the category: in progress
///   acknowledges (or resumes from on hold), on hold pauses, and so on;
/// - the other events (links, escalations, major incident steps, `unassigned`) are not
///   marks. A fact the timeline's rules cannot place where it comes is left out.
///
/// # Errors
/// [`itsm_core::Error::MissingOpening`] when the first event neither reports nor imports an
/// incident; the other [`itsm_core::Error`]s only for events out of time order.
///
/// ```
/// use itsm_core::MarkKind;
/// use itsm_incident::chrono::{Duration, TimeZone, Utc};
/// use itsm_incident::{
///     Actor, Command, Context, GroupId, HoldReason, Impact, IncidentId, Policy, Report, Role,
///     State, Urgency, UserId, decide, timeline,
/// };
///
/// let policy = Policy::servicenow();
/// let agent = Actor::new(UserId::from_u128(2), [Role::new("agent")?]);
/// let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let (mut state, mut log) = (State::new(), Vec::new());
/// let report = Report::new(IncidentId::from_u128(1), UserId::from_u128(9), Impact(1), Urgency(2), "VPN down");
/// let commands = [
///     report.into(),
///     Command::Assign { group: GroupId::from_u128(7), person: None },
///     Command::StartWork,
///     Command::Resolve { code: "solved".into(), notes: "token".into() },
/// ];
/// for (h, command) in commands.into_iter().enumerate() {
///     let now = t0 + Duration::hours(h as i64);
///     let events = decide(&state, &command, &Context::new(now, &agent, &policy))?;
///     state.apply(&events);
///     log.extend(events);
/// }
/// let t = timeline(&log)?;
/// let kinds: Vec<&str> = t.marks().iter().map(|m| m.kind.name()).collect();
/// assert_eq!(kinds, ["assigned", "acknowledged", "resolved"]);
/// assert_eq!((t.opened_at(), t.spec().priority), (t0, Some(2)));
/// assert_eq!(t.id(), IncidentId::from_u128(1).to_string());
/// assert!(timeline(&log[1..]).is_err()); // no opening
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeline(events: &[Event]) -> Result<Timeline, itsm_core::Error> {
    let (first, rest) = events
        .split_first()
        .ok_or(itsm_core::Error::MissingOpening)?;
    let mut marks: Vec<Mark> = Vec::new();
    let (mut spec, mut phase) = match first {
        Event::Reported {
            at,
            priority,
            report,
            ..
        } => {
            let mut spec = TimelineSpec::new(report.id.to_string(), Practice::Incident, *at);
            spec.priority = Some(priority.0);
            (spec, Category::New)
        }
        Event::Imported {
            at,
            snapshot,
            priority,
            ..
        } => {
            let mut spec = TimelineSpec::new(
                snapshot.report.id.to_string(),
                Practice::Incident,
                snapshot.opened_at.min(*at),
            );
            spec.priority = Some(priority.0);
            // A migrated follow-up keeps the incident it follows (not itself).
            spec.follow_up_of = snapshot
                .links
                .follow_up_of
                .map(|id| id.to_string())
                .filter(|of| *of != spec.id);
            let kinds: &[MarkKind] = match snapshot.status.kind() {
                StatusKind::InProgress => &[MarkKind::Acknowledged],
                StatusKind::OnHold => &[MarkKind::Acknowledged, MarkKind::Paused],
                StatusKind::Resolved => &[MarkKind::Resolved],
                StatusKind::Closed => &[MarkKind::Closed],
                StatusKind::Canceled => &[MarkKind::Canceled],
                StatusKind::New | StatusKind::Unreported => &[],
            };
            let mut phase = Category::New;
            for kind in kinds {
                push(&mut marks, &mut phase, *at, kind.clone());
            }
            (spec, phase)
        }
        _ => return Err(itsm_core::Error::MissingOpening),
    };
    for event in rest {
        let at = event.at();
        let kind = match event {
            Event::WorkStarted { .. } => MarkKind::Acknowledged,
            Event::Assigned { group, .. } => MarkKind::Assigned {
                group: group.to_string(),
            },
            Event::PutOnHold { .. } => MarkKind::Paused,
            Event::Resumed { .. } | Event::CallerResponded { .. } => MarkKind::Resumed,
            Event::Resolved { .. } => MarkKind::Resolved,
            Event::Reopened { .. } => MarkKind::Reopened,
            Event::Closed { .. } => MarkKind::Closed,
            Event::Canceled { .. } => MarkKind::Canceled,
            Event::Reprioritized { priority, .. } => {
                spec.priority = Some(priority.0);
                continue;
            }
            Event::Linked {
                link: Link::FollowUpOf(original),
                ..
            } => {
                // A link to itself is not a follow-up (and not placed).
                let original = original.to_string();
                if original != spec.id {
                    spec.follow_up_of = Some(original);
                }
                continue;
            }
            Event::Entered { kind, .. } => match entered(phase, *kind) {
                Some(mark) => mark,
                None => continue,
            },
            _ => continue,
        };
        push(&mut marks, &mut phase, at, kind);
    }
    spec.marks = marks;
    Timeline::new(spec)
}

/// The mark that takes a timeline in `phase` to the category of a vendor's state of `kind`,
/// when the state is in another category.
fn entered(phase: Category, kind: StatusKind) -> Option<MarkKind> {
    let to = kind.category();
    if to == phase {
        return None;
    }
    Some(match to {
        Category::Open if phase == Category::Pending => MarkKind::Resumed,
        Category::Open if phase == Category::New => MarkKind::Acknowledged,
        Category::Open => MarkKind::Reopened,
        Category::Pending => MarkKind::Paused,
        Category::Resolved => MarkKind::Resolved,
        Category::Closed => MarkKind::Closed,
        Category::Canceled => MarkKind::Canceled,
        _ => return None,
    })
}

/// Appends the mark when the phase allows it (acknowledging only once).
fn push(
    marks: &mut Vec<Mark>,
    phase: &mut Category,
    at: chrono::DateTime<chrono::Utc>,
    kind: MarkKind,
) {
    if kind == MarkKind::Acknowledged && marks.iter().any(|m| m.kind == kind) {
        return;
    }
    if let Some(next) = kind.next(*phase) {
        *phase = next;
        marks.push(Mark::new(at, kind));
    }
}
