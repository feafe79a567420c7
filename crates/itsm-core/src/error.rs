//! The one error type of this crate.

use crate::actor::Role;

/// Which axis of a priority matrix a level belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Axis {
    /// How widely the service is affected.
    Impact,
    /// How soon the business needs a resolution.
    Urgency,
    /// The result of the matrix.
    Priority,
}

impl std::fmt::Display for Axis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Axis::Impact => "impact",
            Axis::Urgency => "urgency",
            Axis::Priority => "priority",
        })
    }
}

/// Everything that can go wrong in `itsm-core`.
///
/// Each variant names what was found and what is allowed, so a vendor editing a policy file
/// can fix it from the message alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A scale of a priority matrix has no levels.
    #[error("the {axis} scale has no levels; give at least one")]
    EmptyScale {
        /// The scale.
        axis: Axis,
    },
    /// A scale lists the same level twice.
    #[error("the {axis} scale lists level {value} twice; each level must be unique")]
    DuplicateLevel {
        /// The scale.
        axis: Axis,
        /// The repeated level.
        value: u8,
    },
    /// A level is not on its scale (in a matrix cell or in a lookup).
    #[error("{axis} {value} is not on the {axis} scale; allowed: {}", list(.allowed))]
    UnknownLevel {
        /// The scale.
        axis: Axis,
        /// The level that was given.
        value: u8,
        /// The levels of the scale.
        allowed: Vec<u8>,
    },
    /// A priority table has no cell for a pair of levels.
    #[error(
        "the priority table has no cell for impact {impact} and urgency {urgency}; a table must cover every pair"
    )]
    MissingCell {
        /// Impact of the missing cell.
        impact: u8,
        /// Urgency of the missing cell.
        urgency: u8,
    },
    /// A priority table has two cells for the same pair of levels.
    #[error(
        "the priority table has two cells for impact {impact} and urgency {urgency}; give each pair once"
    )]
    DuplicateCell {
        /// Impact of the repeated cell.
        impact: u8,
        /// Urgency of the repeated cell.
        urgency: u8,
    },
    /// Making one axis more severe made the priority less severe.
    #[error(
        "the matrix is not monotone at impact {impact}, urgency {urgency}: a more severe {axis} ({more_severe}) gives priority {worse_priority}, less severe than priority {priority}"
    )]
    NotMonotone {
        /// The axis that was made more severe.
        axis: Axis,
        /// Impact of the cell.
        impact: u8,
        /// Urgency of the cell.
        urgency: u8,
        /// Priority of the cell.
        priority: u8,
        /// The more severe level on `axis`.
        more_severe: u8,
        /// The priority of the neighbouring cell, which is less severe than `priority`.
        worse_priority: u8,
    },
    /// A formula gives a value that is not a priority level.
    #[error(
        "the formula gives {computed} for impact {impact} and urgency {urgency}, which is not on the priority scale; allowed: {}",
        list(.allowed)
    )]
    FormulaOutOfScale {
        /// Impact of the cell.
        impact: u8,
        /// Urgency of the cell.
        urgency: u8,
        /// What the formula computed.
        computed: i32,
        /// The levels of the priority scale.
        allowed: Vec<u8>,
    },
    /// A formula divides by zero.
    #[error("the formula divides by zero; the divisor must be at least 1")]
    ZeroDivisor,
    /// The actor holds none of the roles that may perform an action.
    #[error("{}", denied(.action, .allowed, .held))]
    PermissionDenied {
        /// The action that was attempted.
        action: String,
        /// The roles that may perform it (empty: nobody may).
        allowed: Vec<Role>,
        /// The roles the actor holds.
        held: Vec<Role>,
    },
    /// A role name is empty.
    #[error("a role name must not be empty")]
    EmptyRole,
    /// A lifecycle is not sound: every problem found, in a stable order (states as listed,
    /// then transitions as listed).
    #[error("lifecycle `{lifecycle}` is invalid: {}", problems_text(.problems))]
    InvalidLifecycle {
        /// The lifecycle.
        lifecycle: String,
        /// What is wrong, at least one.
        problems: Vec<crate::lifecycle::LifecycleProblem>,
    },
    /// A text is not an id: ids are UUIDs (`67e55044-10b1-426f-9247-bb680e5fe0c8`, with or
    /// without hyphens, braces or a `urn:uuid:` prefix).
    #[error(
        "`{}` is not a valid {kind}; an id is a UUID such as `67e55044-10b1-426f-9247-bb680e5fe0c8`", Quoted(.text)
    )]
    InvalidId {
        /// The id type (`UserId`, `IncidentId`, ...).
        kind: &'static str,
        /// The text given.
        text: String,
    },
    /// A name is not one of the state categories.
    #[error(
        "`{}` is not a state category; allowed: new, open, pending, resolved, closed, canceled", Quoted(.name)
    )]
    UnknownCategory {
        /// The name given.
        name: String,
    },
    /// A text is not a duration as [`duration`](crate::duration) reads them.
    #[error(
        "`{}` is not a valid duration: {reason}; write {}",
        Quoted(.text),
        crate::duration::ALLOWED
    )]
    InvalidDuration {
        /// The text given.
        text: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    // Timelines (`timeline.rs`).
    /// The id is empty.
    #[error("a timeline's id must not be empty")]
    EmptyTimelineId,
    /// A timeline's `follow_up_of` is empty.
    #[error(
        "timeline `{}`: `follow_up_of` is empty; name the ticket it follows up, or leave it out", Quoted(.id)
    )]
    EmptyFollowUpOf {
        /// The ticket.
        id: String,
    },
    /// A timeline follows itself up.
    #[error(
        "timeline `{}` names itself in `follow_up_of`; name the earlier ticket it follows up", Quoted(.id)
    )]
    FollowUpOfItself {
        /// The ticket.
        id: String,
    },
    /// A practice's events do not open the ticket (a converter's input).
    #[error(
        "the events do not open a ticket; the first event must report, import, log or raise it"
    )]
    MissingOpening,
    /// A mark comes before the ticket was opened.
    #[error(
        "timeline `{}`: mark {index} ({kind}) at {at} comes before the ticket was opened at {opened_at}; marks start at the opening", Quoted(.id)
    )]
    MarkBeforeOpened {
        /// The ticket.
        id: String,
        /// The mark's position.
        index: usize,
        /// Its kind's name.
        kind: &'static str,
        /// Its instant.
        at: chrono::DateTime<chrono::Utc>,
        /// The opening.
        opened_at: chrono::DateTime<chrono::Utc>,
    },
    /// A mark comes before the mark preceding it.
    #[error(
        "timeline `{}`: mark {index} ({kind}) at {at} comes before the previous mark at {previous}; marks must be in time order", Quoted(.id)
    )]
    MarkOutOfOrder {
        /// The ticket.
        id: String,
        /// The mark's position.
        index: usize,
        /// Its kind's name.
        kind: &'static str,
        /// Its instant.
        at: chrono::DateTime<chrono::Utc>,
        /// The previous mark's instant.
        previous: chrono::DateTime<chrono::Utc>,
    },
    /// A mark is not allowed in the phase the marks before it lead to.
    #[error(
        "timeline `{}`: mark {index} ({kind}) cannot come while the ticket is {phase}; allowed when {allowed}", Quoted(.id)
    )]
    MarkNotAllowed {
        /// The ticket.
        id: String,
        /// The mark's position.
        index: usize,
        /// Its kind's name.
        kind: &'static str,
        /// The phase the marks before it lead to.
        phase: crate::Category,
        /// The phases it is allowed in.
        allowed: &'static str,
    },
}

/// A text someone gave, as an error message quotes it: at most [`Quoted::MAX_CHARS`]
/// characters, then `…` and the text's whole length; control characters and invisible
/// formatting characters (bidirectional marks and overrides, zero-width and invisible
/// operators, line and paragraph separators, soft hyphens) escaped as `\u{..}`.
/// Errors keep the whole text in their fields; only their messages are cut, so a 100 kB
/// value makes a short line and a binary header cannot reach a terminal raw.
///
/// ```
/// use itsm_core::Quoted;
///
/// assert_eq!(Quoted("VPN down").to_string(), "VPN down");
/// assert_eq!(Quoted("bell\u{7}").to_string(), "bell\\u{7}");
/// let long = "x".repeat(100_000);
/// assert_eq!(Quoted(&long).to_string(), format!("{}… (100000 bytes)", "x".repeat(80)));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a>(pub &'a str);

impl Quoted<'_> {
    /// The most characters a message quotes.
    pub const MAX_CHARS: usize = 80;
}

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        for (shown, c) in self.0.chars().enumerate() {
            if shown == Quoted::MAX_CHARS {
                return write!(f, "… ({} bytes)", self.0.len());
            }
            let invisible = matches!(
                c,
                '\u{ad}'
                    | '\u{61c}'
                    | '\u{200b}'..='\u{200f}'
                    | '\u{2028}'..='\u{202e}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{feff}'
            );
            if c.is_control() || invisible {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

fn list(values: &[u8]) -> String {
    let parts: Vec<String> = values.iter().map(u8::to_string).collect();
    parts.join(", ")
}

fn denied(action: &str, allowed: &[Role], held: &[Role]) -> String {
    if allowed.is_empty() {
        format!("no role may {action}; the actor has {}", roles(held))
    } else {
        format!(
            "{action} needs one of the roles {}; the actor has {}",
            roles(allowed),
            roles(held)
        )
    }
}

fn roles(values: &[Role]) -> String {
    if values.is_empty() {
        return "(none)".to_owned();
    }
    let parts: Vec<&str> = values.iter().map(Role::as_str).collect();
    parts.join(", ")
}

fn problems_text(problems: &[crate::lifecycle::LifecycleProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
