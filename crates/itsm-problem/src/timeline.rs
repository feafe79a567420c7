//! A problem's events as a practice-neutral [`Timeline`], what `itsm-metrics` measures
//! (the time from a problem to its known error).

use chrono::{DateTime, Utc};
use itsm_core::Category;
use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};

use crate::event::Event;

/// The timeline of one problem from its events (in the order `evolve` folds them), under
/// the problem's id.
///
/// - `logged` opens it (with its category as the classification); `assessed`
///   acknowledges it;
/// - the first `root_cause_recorded` is its **known error** mark: the instant its root
///   cause (and so its workaround) is documented, as ServiceNow marks a known error;
/// - `resolved` and `risk_accepted` resolve it; `closed` and `marked_duplicate` close it;
///   `canceled` cancels it; `reanalysed` reopens it;
/// - the other events (`confirmed`, `fix_started`, `linked`, `entered`) are not marks. A
///   fact the timeline's rules cannot place where it comes is left out.
///
/// # Errors
/// [`itsm_core::Error::MissingOpening`] when the first event does not log a problem; the other
/// [`itsm_core::Error`]s only for events out of time order.
///
/// ```
/// use itsm_problem::chrono::{Duration, TimeZone, Utc};
/// use itsm_problem::{
///     Actor, CauseCategory, Command, Context, Method, Policy, ProblemId, Role, RootCause, State,
///     Statement, UserId, decide, timeline,
/// };
///
/// let policy = Policy::servicenow();
/// let pm = Actor::new(UserId::from_u128(2), [Role::new("problem_manager")?]);
/// let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let cause = RootCause {
///     description: "the MTU is too small".into(),
///     category: CauseCategory::Configuration,
///     method: Method::FiveWhys { whys: vec!["fragmentation".into()] },
///     confirmed: true,
/// };
/// let commands = [
///     Statement::new(ProblemId::from_u128(1), "VPN drops").into(),
///     Command::Assess,
///     Command::Confirm,
///     Command::RecordRootCause(Box::new(cause)),
///     Command::StartFix { change: None },
///     Command::Resolve { notes: "MTU raised".into() },
/// ];
/// let (mut state, mut log) = (State::new(), Vec::new());
/// for (h, command) in commands.into_iter().enumerate() {
///     let ctx = Context::new(t0 + Duration::hours(h as i64), &pm, &policy);
///     let events = decide(&state, &command, &ctx)?;
///     state.apply(&events);
///     log.extend(events);
/// }
/// let t = timeline(&log)?;
/// let kinds: Vec<&str> = t.marks().iter().map(|m| m.kind.name()).collect();
/// assert_eq!(kinds, ["acknowledged", "known_error", "resolved"]);
/// assert_eq!(t.marks()[1].at, t0 + Duration::hours(3));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeline(events: &[Event]) -> Result<Timeline, itsm_core::Error> {
    let Some((Event::Logged { at, statement, .. }, rest)) = events.split_first() else {
        return Err(itsm_core::Error::MissingOpening);
    };
    let mut spec = TimelineSpec::new(statement.id.to_string(), Practice::Problem, *at);
    spec.classification.clone_from(&statement.category);
    let mut phase = Category::New;
    let mut once: Vec<MarkKind> = Vec::new();
    for event in rest {
        let kind = match event {
            Event::Assessed { .. } => MarkKind::Acknowledged,
            Event::RootCauseRecorded { .. } => MarkKind::KnownError,
            Event::Resolved { .. } | Event::RiskAccepted { .. } => MarkKind::Resolved,
            Event::Closed { .. } | Event::MarkedDuplicate { .. } => MarkKind::Closed,
            Event::Canceled { .. } => MarkKind::Canceled,
            Event::Reanalysed { .. } => MarkKind::Reopened,
            _ => continue,
        };
        push(&mut spec.marks, &mut phase, &mut once, event.at(), kind);
    }
    Timeline::new(spec)
}

/// Appends the mark when the phase allows it (acknowledging and marking the known error
/// only once).
fn push(
    marks: &mut Vec<Mark>,
    phase: &mut Category,
    once: &mut Vec<MarkKind>,
    at: DateTime<Utc>,
    kind: MarkKind,
) {
    // `once` holds the once-only kinds already marked (at most two), so a long log is not
    // rescanned for them.
    let only_once = matches!(kind, MarkKind::Acknowledged | MarkKind::KnownError);
    if only_once && once.contains(&kind) {
        return;
    }
    if let Some(next) = kind.next(*phase) {
        *phase = next;
        if only_once {
            once.push(kind.clone());
        }
        marks.push(Mark::new(at, kind));
    }
}
