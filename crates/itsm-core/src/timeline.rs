//! Practice-neutral ticket timelines (see [`Timeline`]).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};

use crate::lifecycle::Category;
use crate::view::TicketView;

/// Which practice a ticket belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Practice {
    /// An incident: an unplanned interruption.
    Incident,
    /// A service request.
    Request,
    /// A problem: the cause of incidents.
    Problem,
    /// A change.
    Change,
    /// Anything else (a foreign log's case of unknown practice).
    Other,
}

impl Practice {
    /// The practice's name, as in JSON: `incident`, `request`, `problem`, `change`, `other`.
    pub const fn name(self) -> &'static str {
        match self {
            Practice::Incident => "incident",
            Practice::Request => "request",
            Practice::Problem => "problem",
            Practice::Change => "change",
            Practice::Other => "other",
        }
    }
}

impl fmt::Display for Practice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What happened at a [`Mark`]. In JSON: `"resolved"`, `{"assigned": {"group": "db"}}`, ...
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum MarkKind {
    /// Someone took the ticket up (the response): it leaves `new` for `open`.
    Acknowledged,
    /// Assigned to a group. An assignment to a group other than the current one is a
    /// reassignment; the first assignment is not.
    Assigned {
        /// The group.
        group: String,
    },
    /// Waiting on someone else: the ticket is `pending`.
    Paused,
    /// Back to work after a pause.
    Resumed,
    /// A solution is in place: the ticket is `resolved` (it may still be reopened).
    Resolved,
    /// Back to work after a resolution or a closure.
    Reopened,
    /// Finished for good (a closure without a resolution before it also ends the work).
    Closed,
    /// Withdrawn before a resolution.
    Canceled,
    /// For a problem: its root cause and workaround are recorded (it became a known error).
    KnownError,
    /// A named field took a value (kept for [`Timeline::view_at`]).
    FieldSet {
        /// The field.
        field: String,
        /// Its new value.
        value: String,
    },
}

impl MarkKind {
    /// The kind's name, as in JSON (`acknowledged`, `field_set`).
    pub const fn name(&self) -> &'static str {
        match self {
            MarkKind::Acknowledged => "acknowledged",
            MarkKind::Assigned { .. } => "assigned",
            MarkKind::Paused => "paused",
            MarkKind::Resumed => "resumed",
            MarkKind::Resolved => "resolved",
            MarkKind::Reopened => "reopened",
            MarkKind::Closed => "closed",
            MarkKind::Canceled => "canceled",
            MarkKind::KnownError => "known_error",
            MarkKind::FieldSet { .. } => "field_set",
        }
    }

    /// The phase the mark leads to from the phase `from`, or `None` when it is not allowed
    /// there (the table of [`Timeline`]'s docs). Converters use it to leave out a fact
    /// a timeline cannot place.
    ///
    /// ```
    /// use itsm_core::Category;
    /// use itsm_core::MarkKind;
    ///
    /// assert_eq!(MarkKind::Paused.next(Category::Open), Some(Category::Pending));
    /// assert_eq!(MarkKind::Resumed.next(Category::Open), None);
    /// ```
    pub fn next(&self, from: Category) -> Option<Category> {
        self.step(from).ok()
    }

    /// The category the mark leads to from `from`, or the categories it is allowed in when
    /// it is not allowed in `from`.
    fn step(&self, from: Category) -> Result<Category, &'static str> {
        use Category::{Canceled, Closed, New, Open, Pending, Resolved};
        let working = matches!(from, New | Open | Pending);
        match self {
            MarkKind::Acknowledged if working => Ok(Open),
            MarkKind::Acknowledged => Err("new, open or pending"),
            MarkKind::Assigned { .. } | MarkKind::KnownError | MarkKind::FieldSet { .. }
                if from != Canceled =>
            {
                Ok(from)
            }
            MarkKind::Assigned { .. } | MarkKind::KnownError | MarkKind::FieldSet { .. } => {
                Err("anything but canceled")
            }
            MarkKind::Paused if matches!(from, New | Open) => Ok(Pending),
            MarkKind::Paused => Err("new or open"),
            MarkKind::Resumed if from == Pending => Ok(Open),
            MarkKind::Resumed => Err("pending"),
            MarkKind::Resolved if working => Ok(Resolved),
            MarkKind::Resolved => Err("new, open or pending"),
            MarkKind::Reopened if matches!(from, Resolved | Closed | Canceled) => Ok(Open),
            MarkKind::Reopened => Err("resolved, closed or canceled"),
            MarkKind::Closed if working || from == Resolved => Ok(Closed),
            MarkKind::Closed => Err("new, open, pending or resolved"),
            MarkKind::Canceled if working => Ok(Canceled),
            MarkKind::Canceled => Err("new, open or pending"),
        }
    }
}

impl fmt::Display for MarkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One dated fact of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Mark {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: MarkKind,
}

impl Mark {
    /// A mark of `kind` at `at`.
    pub fn new(at: DateTime<Utc>, kind: MarkKind) -> Self {
        Mark { at, kind }
    }
}

/// A change's type, as ITIL names the three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ChangeType {
    /// Pre-approved, from a template.
    Standard,
    /// Assessed and authorised.
    Normal,
    /// Authorised by an emergency board, skipping assessment.
    Emergency,
}

/// How a change turned out, as its post-implementation review records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ChangeOutcome {
    /// Implemented as planned.
    Successful,
    /// Implemented, with issues.
    SuccessfulWithIssues,
    /// Not implemented as planned.
    Failed,
    /// Implemented, then reversed.
    BackedOut,
}

impl ChangeOutcome {
    /// Whether the change achieved its purpose: `successful` or `successful_with_issues`.
    pub const fn is_success(self) -> bool {
        matches!(
            self,
            ChangeOutcome::Successful | ChangeOutcome::SuccessfulWithIssues
        )
    }
}

/// A timeline as data: what a host or a practice crate writes, checked into a [`Timeline`]
/// by [`Timeline::new`]. In JSON every field but `id`, `practice` and `opened_at` is
/// optional.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TimelineSpec {
    /// The ticket's id as its source writes it (a UUID, `INC0000045`, `Case 1`); not empty.
    pub id: String,
    /// Its practice.
    pub practice: Practice,
    /// When it was opened (what every "time to" measures from).
    pub opened_at: DateTime<Utc>,
    /// What happened, in time order.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub marks: Vec<Mark>,
    /// The priority level ([`TicketView::priority`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub priority: Option<u8>,
    /// What the ticket is about ([`TicketView::classification`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub classification: Option<String>,
    /// Whether the source says the ticket was resolved at the first contact (absent: the
    /// source does not say).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub first_contact: Option<bool>,
    /// For a change: its type.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub change_type: Option<ChangeType>,
    /// For a change: its reviewed outcome.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub change_outcome: Option<ChangeOutcome>,
    /// SLA outcomes by the SLA's name: `true` when met, `false` when breached.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub sla: BTreeMap<String, bool>,
    /// The ticket this one follows up, by id: a reopen after closure raised as a new ticket
    /// (ServiceNow opens a new incident when a closed one is reopened by e-mail;
    /// itsm-incident's `follow_up`). Not empty, not the ticket's own id. itsm-metrics can
    /// count it as a reopen of that ticket.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub follow_up_of: Option<String>,
}

impl TimelineSpec {
    /// A ticket opened at `opened_at`, with no marks and no attributes; set the public fields.
    pub fn new(id: impl Into<String>, practice: Practice, opened_at: DateTime<Utc>) -> Self {
        TimelineSpec {
            id: id.into(),
            practice,
            opened_at,
            marks: Vec::new(),
            priority: None,
            classification: None,
            first_contact: None,
            change_type: None,
            change_outcome: None,
            sla: BTreeMap::new(),
            follow_up_of: None,
        }
    }
}

/// Practice-neutral ticket timelines: the history of one ticket (incident, problem, change,
/// request, a case of a foreign log) as dated [`Mark`]s, what `itsm-metrics` measures.
///
/// # Timeline and `TicketView`
/// A [`TicketView`] is a ticket at *one* moment (what SLA conditions and automation rules
/// look at); a [`Timeline`] is its *whole history*. They share one vocabulary: a timeline's
/// phase at an instant is a [`Category`] ([`Timeline::category_at`]), its priority, group and
/// classification are the view's fields of those names, and [`Timeline::view_at`] gives the
/// view of the ticket at any instant. Each practice crate turns its own events into a
/// timeline (`itsm_incident::timeline`, ...), so the metrics crate depends on no practice.
///
/// # What a timeline may say
/// [`Timeline::new`] checks a [`TimelineSpec`] (deserialization goes through it too): marks in
/// time order (ties keep their given order), none before `opened_at`, and each mark allowed
/// in the phase the marks before it lead to:
///
/// | mark | allowed when the ticket is | leads to |
/// |---|---|---|
/// | `acknowledged` | new, open, pending | open |
/// | `assigned`, `known_error`, `field_set` | anything but canceled | (no change) |
/// | `paused` | new or open | pending |
/// | `resumed` | pending | open |
/// | `resolved` | new, open or pending | resolved |
/// | `reopened` | resolved, closed or canceled | open |
/// | `closed` | new, open, pending or resolved | closed |
/// | `canceled` | new, open or pending | canceled |
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use itsm_core::Category;
/// use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
///
/// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
/// let mut spec = TimelineSpec::new("INC1", Practice::Incident, at(8));
/// spec.marks = vec![
///     Mark::new(at(9), MarkKind::Acknowledged),
///     Mark::new(at(10), MarkKind::Resolved),
///     Mark::new(at(11), MarkKind::Reopened),
/// ];
/// let timeline = Timeline::new(spec)?;
/// assert_eq!(timeline.category_at(at(10)), Some(Category::Resolved));
/// assert_eq!(timeline.category_at(at(12)), Some(Category::Open));
///
/// // Reopening an open ticket is refused, with the mark and what is allowed.
/// let mut bad = TimelineSpec::new("INC2", Practice::Incident, at(8));
/// bad.marks = vec![Mark::new(at(9), MarkKind::Reopened)];
/// assert_eq!(
///     Timeline::new(bad).unwrap_err().to_string(),
///     "timeline `INC2`: mark 0 (reopened) cannot come while the ticket is new; allowed when resolved, closed or canceled"
/// );
/// # Ok::<(), itsm_core::Error>(())
/// ```
///
///
///Built by [`Timeline::new`]; its JSON is its [`TimelineSpec`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "TimelineSpec", into = "TimelineSpec")
)]
pub struct Timeline {
    spec: TimelineSpec,
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Timeline {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timeline".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TimelineSpec::json_schema(generator)
    }
}

impl TryFrom<TimelineSpec> for Timeline {
    type Error = crate::Error;

    fn try_from(spec: TimelineSpec) -> Result<Self, crate::Error> {
        Timeline::new(spec)
    }
}

impl From<Timeline> for TimelineSpec {
    fn from(timeline: Timeline) -> Self {
        timeline.spec
    }
}

impl Timeline {
    /// Checks `spec` (see [`Timeline`] for the rules).
    ///
    /// # Errors
    /// [`crate::Error`] naming the first mark that breaks a rule, or an empty id.
    pub fn new(spec: TimelineSpec) -> Result<Timeline, crate::Error> {
        if spec.id.is_empty() {
            return Err(crate::Error::EmptyTimelineId);
        }
        match spec.follow_up_of.as_deref() {
            Some("") => {
                return Err(crate::Error::EmptyFollowUpOf {
                    id: spec.id.clone(),
                });
            }
            Some(of) if of == spec.id => {
                return Err(crate::Error::FollowUpOfItself {
                    id: spec.id.clone(),
                });
            }
            _ => {}
        }
        let mut phase = Category::New;
        let mut previous = spec.opened_at;
        for (index, mark) in spec.marks.iter().enumerate() {
            let kind = mark.kind.name();
            if mark.at < spec.opened_at {
                return Err(crate::Error::MarkBeforeOpened {
                    id: spec.id.clone(),
                    index,
                    kind,
                    at: mark.at,
                    opened_at: spec.opened_at,
                });
            }
            if mark.at < previous {
                return Err(crate::Error::MarkOutOfOrder {
                    id: spec.id.clone(),
                    index,
                    kind,
                    at: mark.at,
                    previous,
                });
            }
            previous = mark.at;
            phase = mark
                .kind
                .step(phase)
                .map_err(|allowed| crate::Error::MarkNotAllowed {
                    id: spec.id.clone(),
                    index,
                    kind,
                    phase,
                    allowed,
                })?;
        }
        Ok(Timeline { spec })
    }

    /// The ticket's id.
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// Its practice.
    pub fn practice(&self) -> Practice {
        self.spec.practice
    }

    /// When it was opened.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.spec.opened_at
    }

    /// Its marks, in time order.
    pub fn marks(&self) -> &[Mark] {
        &self.spec.marks
    }

    /// The ticket it follows up ([`TimelineSpec::follow_up_of`]), if any.
    pub fn follow_up_of(&self) -> Option<&str> {
        self.spec.follow_up_of.as_deref()
    }

    /// The checked data, with the attributes (priority, classification, first-contact
    /// flag, change type and outcome, SLA outcomes) as public fields.
    pub fn spec(&self) -> &TimelineSpec {
        &self.spec
    }

    /// Each mark with the phase it leads to, in order: the phases a walk over the timeline
    /// goes through (the phase before the first mark is [`Category::New`]).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::Category;
    /// use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
    /// let mut spec = TimelineSpec::new("P1", Practice::Problem, at(8));
    /// spec.marks = vec![Mark::new(at(9), MarkKind::Acknowledged), Mark::new(at(10), MarkKind::KnownError)];
    /// let phases: Vec<Category> = Timeline::new(spec)?.phases().map(|(_, c)| c).collect();
    /// assert_eq!(phases, [Category::Open, Category::Open]);
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn phases(&self) -> impl Iterator<Item = (&Mark, Category)> + '_ {
        let mut phase = Category::New;
        self.spec.marks.iter().map(move |mark| {
            // invariant: `new` checked every step, so the fallback is never taken.
            phase = mark.kind.step(phase).unwrap_or(phase);
            (mark, phase)
        })
    }

    /// The ticket's phase at `at` (marks at `at` included), `None` before it was opened.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::Category;
    /// use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
    /// let mut spec = TimelineSpec::new("C1", Practice::Change, at(8));
    /// spec.marks = vec![Mark::new(at(9), MarkKind::Paused), Mark::new(at(10), MarkKind::Canceled)];
    /// let t = Timeline::new(spec)?;
    /// assert_eq!(t.category_at(at(7)), None);
    /// assert_eq!(t.category_at(at(8)), Some(Category::New));
    /// assert_eq!(t.category_at(at(9)), Some(Category::Pending));
    /// assert_eq!(t.category_at(at(10)), Some(Category::Canceled));
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn category_at(&self, at: DateTime<Utc>) -> Option<Category> {
        if at < self.spec.opened_at {
            return None;
        }
        Some(
            self.phases()
                .take_while(|(m, _)| m.at <= at)
                .last()
                .map_or(Category::New, |(_, c)| c),
        )
    }

    /// The ticket as a [`TicketView`] at `at` (marks at `at` included): the state and its
    /// category are the phase (`state` is the category's name), the group the last
    /// assignment's, the fields the last values set, `opened_at` the opening and
    /// `updated_at` the last mark's instant (the opening when there is none), with the
    /// timeline's priority and classification. `None` before the ticket was opened.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::{Category, Condition};
    /// use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
    /// let mut spec = TimelineSpec::new("INC7", Practice::Incident, at(8));
    /// spec.priority = Some(1);
    /// spec.marks = vec![Mark::new(at(9), MarkKind::Assigned { group: "network".into() })];
    /// let view = Timeline::new(spec)?.view_at(at(10)).unwrap();
    /// assert_eq!(view.category, Some(Category::New));
    /// assert_eq!(view.group.as_deref(), Some("network"));
    /// assert!(Condition::PriorityIn(vec![1]).eval(&view));
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn view_at(&self, at: DateTime<Utc>) -> Option<TicketView> {
        let category = self.category_at(at)?;
        let mut view = TicketView::new(category.name(), category);
        view.priority = self.spec.priority;
        view.classification = self.spec.classification.clone();
        view.opened_at = Some(self.spec.opened_at);
        view.updated_at = Some(self.spec.opened_at);
        view.times
            .insert("opened_at".to_owned(), self.spec.opened_at);
        for mark in self.spec.marks.iter().take_while(|m| m.at <= at) {
            view.updated_at = Some(mark.at);
            match &mark.kind {
                MarkKind::Assigned { group } => view.group = Some(group.clone()),
                MarkKind::FieldSet { field, value } => {
                    view.fields.insert(field.clone(), value.clone());
                }
                _ => {}
            }
        }
        Some(view)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap()
    }

    fn spec(marks: Vec<(u32, MarkKind)>) -> TimelineSpec {
        let mut spec = TimelineSpec::new("T", Practice::Incident, at(1));
        spec.marks = marks
            .into_iter()
            .map(|(h, k)| Mark::new(at(h), k))
            .collect();
        spec
    }

    #[test]
    fn a_full_lifecycle_is_accepted() {
        let t = Timeline::new(spec(vec![
            (2, MarkKind::Assigned { group: "a".into() }),
            (2, MarkKind::Acknowledged),
            (3, MarkKind::Paused),
            (4, MarkKind::Resumed),
            (5, MarkKind::Resolved),
            (6, MarkKind::Closed),
            (7, MarkKind::Reopened),
            (8, MarkKind::Resolved),
            (9, MarkKind::Closed),
        ]))
        .unwrap();
        assert_eq!(t.category_at(at(3)), Some(Category::Pending));
        assert_eq!(t.category_at(at(7)), Some(Category::Open));
        assert_eq!(t.category_at(at(20)), Some(Category::Closed));
    }

    #[test]
    fn errors_name_the_mark_and_what_is_allowed() {
        let e = Timeline::new(spec(vec![(2, MarkKind::Resumed)])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "timeline `T`: mark 0 (resumed) cannot come while the ticket is new; allowed when pending"
        );
        let e =
            Timeline::new(spec(vec![(3, MarkKind::Paused), (2, MarkKind::Resumed)])).unwrap_err();
        assert!(
            matches!(e, crate::Error::MarkOutOfOrder { index: 1, .. }),
            "{e}"
        );
        let e = Timeline::new(spec(vec![(0, MarkKind::Acknowledged)])).unwrap_err();
        assert!(
            matches!(e, crate::Error::MarkBeforeOpened { index: 0, .. }),
            "{e}"
        );
        let e = Timeline::new(spec(vec![
            (2, MarkKind::Canceled),
            (
                3,
                MarkKind::FieldSet {
                    field: "x".into(),
                    value: "y".into(),
                },
            ),
        ]))
        .unwrap_err();
        assert_eq!(
            e,
            crate::Error::MarkNotAllowed {
                id: "T".into(),
                index: 1,
                kind: "field_set",
                phase: Category::Canceled,
                allowed: "anything but canceled"
            }
        );
        let mut empty = spec(vec![]);
        empty.id.clear();
        assert_eq!(
            Timeline::new(empty).unwrap_err(),
            crate::Error::EmptyTimelineId
        );
        // No pause while pending, no resolution while resolved.
        for (first, second, allowed) in [
            (MarkKind::Paused, MarkKind::Paused, "new or open"),
            (
                MarkKind::Resolved,
                MarkKind::Resolved,
                "new, open or pending",
            ),
        ] {
            let e = Timeline::new(spec(vec![(2, first), (3, second)])).unwrap_err();
            assert!(
                matches!(e, crate::Error::MarkNotAllowed { index: 1, allowed: a, .. } if a == allowed),
                "{e}"
            );
        }
        // A follow-up names another ticket.
        let mut follow = spec(vec![]);
        follow.follow_up_of = Some(String::new());
        assert_eq!(
            Timeline::new(follow.clone()).unwrap_err().to_string(),
            "timeline `T`: `follow_up_of` is empty; name the ticket it follows up, or leave it out"
        );
        follow.follow_up_of = Some("T".into());
        assert_eq!(
            Timeline::new(follow.clone()).unwrap_err().to_string(),
            "timeline `T` names itself in `follow_up_of`; name the earlier ticket it follows up"
        );
        follow.follow_up_of = Some("S".into());
        assert_eq!(Timeline::new(follow).unwrap().follow_up_of(), Some("S"));
    }

    #[test]
    fn the_view_follows_the_marks() {
        let t = Timeline::new(spec(vec![
            (2, MarkKind::Assigned { group: "a".into() }),
            (3, MarkKind::Assigned { group: "b".into() }),
            (
                4,
                MarkKind::FieldSet {
                    field: "vip".into(),
                    value: "yes".into(),
                },
            ),
        ]))
        .unwrap();
        let v = t.view_at(at(3)).unwrap();
        assert_eq!(v.group.as_deref(), Some("b"));
        assert_eq!(v.updated_at, Some(at(3)));
        assert!(v.fields.is_empty());
        let v = t.view_at(at(4)).unwrap();
        assert_eq!(v.fields.get("vip").map(String::as_str), Some("yes"));
        assert_eq!(t.view_at(at(0)), None);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_goes_through_the_check() {
        let mut s = spec(vec![
            (2, MarkKind::Assigned { group: "a".into() }),
            (5, MarkKind::Resolved),
        ]);
        s.sla.insert("resolution".into(), true);
        s.change_type = Some(ChangeType::Emergency);
        let t = Timeline::new(s).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Timeline>(&json).unwrap(), t);
        assert!(
            json.contains(r#""kind":{"assigned":{"group":"a"}}"#),
            "{json}"
        );
        let bad = r#"{"id":"X","practice":"incident","opened_at":"2026-03-02T01:00:00Z","marks":[{"at":"2026-03-02T02:00:00Z","kind":"resumed"}]}"#;
        let e = serde_json::from_str::<Timeline>(bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("allowed when pending"), "{e}");
    }
}
