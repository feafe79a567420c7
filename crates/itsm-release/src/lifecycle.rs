//! The status tables of releases and phases, the diagrams drawn from them, and the commands each release status accepts.

use crate::model::{PhaseStatus, Status};

/// A status change the rules make, and what makes it: the tables `docs/release.md` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition<S: 'static> {
    /// The status before.
    pub from: S,
    /// What makes the change.
    pub trigger: &'static str,
    /// The status after.
    pub to: S,
}

const fn t<S>(from: S, trigger: &'static str, to: S) -> Transition<S> {
    Transition { from, trigger, to }
}

/// Every change of a release's status, written once.
pub const TRANSITIONS: &[Transition<Status>] = &[
    t(Status::Draft, "start", Status::InProgress),
    t(
        Status::InProgress,
        "last phase completed (auto_review)",
        Status::Review,
    ),
    t(Status::InProgress, "begin_review", Status::Review),
    t(Status::Review, "complete", Status::Completed),
    t(
        Status::Review,
        "finish_review (auto_complete)",
        Status::Completed,
    ),
    t(Status::Draft, "cancel", Status::Canceled),
    t(Status::InProgress, "cancel", Status::Canceled),
    t(Status::Review, "cancel", Status::Canceled),
];

/// Every change of a phase's status, written once.
pub const PHASE_TRANSITIONS: &[Transition<PhaseStatus>] = &[
    t(
        PhaseStatus::Pending,
        "the first phase at start (stage) or on its start date (timeline)",
        PhaseStatus::InProgress,
    ),
    t(
        PhaseStatus::Pending,
        "the phase before completed",
        PhaseStatus::InProgress,
    ),
    t(
        PhaseStatus::InProgress,
        "done (stage, auto_advance)",
        PhaseStatus::Completed,
    ),
    t(
        PhaseStatus::InProgress,
        "done at its end date (timeline)",
        PhaseStatus::Completed,
    ),
    t(
        PhaseStatus::InProgress,
        "complete_phase",
        PhaseStatus::Completed,
    ),
    t(
        PhaseStatus::Completed,
        "restart from it",
        PhaseStatus::InProgress,
    ),
    t(
        PhaseStatus::Completed,
        "restart from an earlier phase",
        PhaseStatus::Pending,
    ),
    t(
        PhaseStatus::InProgress,
        "restart from an earlier phase",
        PhaseStatus::Pending,
    ),
    t(PhaseStatus::Pending, "cancel", PhaseStatus::Canceled),
    t(PhaseStatus::InProgress, "cancel", PhaseStatus::Canceled),
];

/// A table as a Mermaid state diagram, one arrow per pair of statuses with its triggers
/// joined by ` / `; `first` is where it starts, `last` where it may end.
fn diagram<S: Copy + PartialEq + std::fmt::Display>(
    table: &[Transition<S>],
    first: S,
    last: &[S],
) -> String {
    let mut arrows: Vec<(S, S, Vec<&str>)> = Vec::new();
    for t in table {
        match arrows
            .iter_mut()
            .find(|(f, d, _)| *f == t.from && *d == t.to)
        {
            Some((_, _, triggers)) => triggers.push(t.trigger),
            None => arrows.push((t.from, t.to, vec![t.trigger])),
        }
    }
    let mut out = format!("stateDiagram-v2\n    [*] --> {first}\n");
    for (from, to, triggers) in arrows {
        out.push_str(&format!("    {from} --> {to} : {}\n", triggers.join(" / ")));
    }
    for s in last {
        out.push_str(&format!("    {s} --> [*]\n"));
    }
    out
}

/// [`TRANSITIONS`] as a Mermaid state diagram (what `docs/release.md` shows).
///
/// ```
/// assert!(itsm_release::mermaid().starts_with("stateDiagram-v2\n    [*] --> draft\n    draft --> in_progress : start\n"));
/// ```
pub fn mermaid() -> String {
    diagram(
        TRANSITIONS,
        Status::Draft,
        &[Status::Completed, Status::Canceled],
    )
}

/// [`PHASE_TRANSITIONS`] as a Mermaid state diagram (what `docs/release.md` shows).
///
/// ```
/// assert!(itsm_release::phase_mermaid().starts_with("stateDiagram-v2\n    [*] --> pending\n"));
/// ```
pub fn phase_mermaid() -> String {
    diagram(
        PHASE_TRANSITIONS,
        PhaseStatus::Pending,
        &[PhaseStatus::Completed, PhaseStatus::Canceled],
    )
}

/// The commands a release in `status` accepts (`tick` always).
pub fn allowed_commands(status: Status) -> &'static [&'static str] {
    match status {
        Status::Draft => &[
            "start",
            "add_task",
            "map_check",
            "unmap_check",
            "grant_exception",
            "retarget",
            "cancel",
            "tick",
        ],
        Status::InProgress => &[
            "start_task",
            "close_task",
            "approve",
            "reject",
            "rerequest",
            "add_task",
            "map_check",
            "unmap_check",
            "run_checks",
            "record_check",
            "grant_exception",
            "complete_phase",
            "restart",
            "retarget",
            "begin_review",
            "cancel",
            "tick",
        ],
        Status::Review => &["finish_review", "complete", "cancel", "tick"],
        Status::Completed | Status::Canceled => &["tick"],
    }
}

/// The release's lifecycle as data, for diagrams and conformance checks (`itsm_core`'s
/// [`Lifecycle`](itsm_core::Lifecycle), as every practice crate gives one): draft initial,
/// completed and canceled terminal; the rows of [`TRANSITIONS`], and each command a status
/// accepts without leaving it as a row back to itself.
///
/// ```
/// let l = itsm_release::lifecycle();
/// assert_eq!(l.states().len(), 5);
/// assert!(l.to_mermaid().contains("draft --> in_progress : start"));
/// ```
pub fn lifecycle() -> itsm_core::Lifecycle {
    use itsm_core::{Category, StateSpec, TransitionSpec};
    let all = [
        Status::Draft,
        Status::InProgress,
        Status::Review,
        Status::Completed,
        Status::Canceled,
    ];
    let states = all
        .into_iter()
        .map(|s| match s {
            Status::Draft => StateSpec::initial(s.name(), Category::New),
            Status::InProgress => StateSpec::new(s.name(), Category::Open),
            Status::Review => StateSpec::new(s.name(), Category::Resolved),
            Status::Completed => StateSpec::new(s.name(), Category::Closed).terminal(),
            Status::Canceled => StateSpec::new(s.name(), Category::Canceled).terminal(),
        })
        .collect();
    let leaving = ["start", "begin_review", "complete", "cancel"];
    let mut rows: Vec<TransitionSpec> = TRANSITIONS
        .iter()
        .map(|t| TransitionSpec::new(t.from.name(), t.trigger, t.to.name()))
        .collect();
    for s in all {
        for c in allowed_commands(s).iter().filter(|c| !leaving.contains(c)) {
            rows.push(TransitionSpec::new(s.name(), c, s.name()));
        }
    }
    match itsm_core::Lifecycle::new("release", states, rows) {
        Ok(lifecycle) => lifecycle,
        Err(e) => unreachable!("the release table is sound: {e}"), // invariant: constant tables, tested by the doctest above
    }
}
