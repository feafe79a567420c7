//! A change's events as a practice-neutral [`Timeline`], what `itsm-metrics` measures (the
//! change success rate and the emergency change ratio).

use chrono::{DateTime, Utc};
use itsm_core::Category;
use itsm_core::{ChangeOutcome, ChangeType, Mark, MarkKind, Practice, Timeline, TimelineSpec};

use crate::event::Event;
use crate::model::ReviewOutcome;

/// The timeline of one change from its events (in the order `evolve` folds them), under
/// the change's id.
///
/// - `raised` opens it; its model gives the type when it is `standard`, `normal` or
///   `emergency` (a vendor's model name leaves the type unset), and `retyped` changes it;
/// - `submitted` acknowledges it; `completed` (implementation finished) resolves it;
///   `closed` closes it and its review gives the outcome; `put_on_hold` pauses it,
///   `resumed` resumes it, `canceled` cancels it;
/// - the other events (assessment, authorisation, planning, approvals, rejection,
///   `implementation_started`) are not marks. A fact the timeline's rules cannot place
///   where it comes is left out.
///
/// # Errors
/// [`itsm_core::Error::MissingOpening`] when the first event does not raise a change; the
/// other [`itsm_core::Error`]s only for events out of time order.
///
/// ```
/// use itsm_change::chrono::{Duration, TimeZone, Utc};
/// use itsm_change::{
///     Actor, ChangeId, Command, Context, Policy, Request, ReviewOutcome, Role, State, Window,
///     decide, timeline,
/// };
/// use itsm_core::{ChangeOutcome, ChangeType};
///
/// let policy = Policy::servicenow();
/// let manager = Actor::new(itsm_change::UserId::from_u128(2), [Role::new("change_manager")?]);
/// let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let mut request = Request::new(ChangeId::from_u128(1), "standard", manager.user, "Patch web01");
/// request.template = Some("os_patch".into());
/// let window = Window::new(t0 + Duration::days(1), t0 + Duration::days(1) + Duration::hours(2));
/// let steps = [
///     (request.into(), t0),
///     (Command::Plan { window }, t0),
///     (Command::Submit, t0),
///     (Command::Implement, window.start),
///     (Command::Complete, window.end),
///     (Command::Close { outcome: ReviewOutcome::BackedOut, close_code: "unsuccessful".into(), notes: String::new() }, window.end),
/// ];
/// let (mut state, mut log) = (State::new(), Vec::new());
/// for (command, now) in steps {
///     let events = decide(&state, &command, &Context::new(now, &manager, &policy))?;
///     state.apply(&events);
///     log.extend(events);
/// }
/// let t = timeline(&log)?;
/// let kinds: Vec<&str> = t.marks().iter().map(|m| m.kind.name()).collect();
/// assert_eq!(kinds, ["acknowledged", "resolved", "closed"]);
/// assert_eq!(t.spec().change_type, Some(ChangeType::Standard));
/// assert_eq!(t.spec().change_outcome, Some(ChangeOutcome::BackedOut));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeline(events: &[Event]) -> Result<Timeline, itsm_core::Error> {
    let Some((Event::Raised { at, request, .. }, rest)) = events.split_first() else {
        return Err(itsm_core::Error::MissingOpening);
    };
    let mut spec = TimelineSpec::new(request.id.to_string(), Practice::Change, *at);
    spec.change_type = change_type(&request.model);
    let mut phase = Category::New;
    let mut once: Vec<MarkKind> = Vec::new();
    for event in rest {
        let kind = match event {
            Event::Submitted { .. } => MarkKind::Acknowledged,
            Event::Completed { .. } => MarkKind::Resolved,
            Event::Closed { review, .. } => {
                spec.change_outcome = Some(match review.outcome {
                    ReviewOutcome::Successful => ChangeOutcome::Successful,
                    ReviewOutcome::SuccessfulWithIssues => ChangeOutcome::SuccessfulWithIssues,
                    ReviewOutcome::Failed => ChangeOutcome::Failed,
                    ReviewOutcome::BackedOut => ChangeOutcome::BackedOut,
                });
                MarkKind::Closed
            }
            Event::PutOnHold { .. } => MarkKind::Paused,
            Event::Resumed { .. } => MarkKind::Resumed,
            Event::Canceled { .. } => MarkKind::Canceled,
            Event::Retyped { model, .. } => {
                spec.change_type = change_type(model);
                continue;
            }
            _ => continue,
        };
        push(&mut spec.marks, &mut phase, &mut once, event.at(), kind);
    }
    Timeline::new(spec)
}

/// The type a model name stands for (a vendor's model name: none).
fn change_type(model: &str) -> Option<ChangeType> {
    match model {
        "standard" => Some(ChangeType::Standard),
        "normal" => Some(ChangeType::Normal),
        "emergency" => Some(ChangeType::Emergency),
        _ => None,
    }
}

/// Appends the mark when the phase allows it (acknowledging only once: `once` holds the
/// once-only kinds already marked, so a long log is not rescanned for them).
fn push(
    marks: &mut Vec<Mark>,
    phase: &mut Category,
    once: &mut Vec<MarkKind>,
    at: DateTime<Utc>,
    kind: MarkKind,
) {
    if kind == MarkKind::Acknowledged && once.contains(&kind) {
        return;
    }
    if let Some(next) = kind.next(*phase) {
        *phase = next;
        if kind == MarkKind::Acknowledged {
            once.push(kind.clone());
        }
        marks.push(Mark::new(at, kind));
    }
}
