//! Why `decide` refuses a command, why an order's answers are refused, and why a catalogue
//! is refused.

use chrono::{DateTime, Utc};
use itsm_core::Quoted;

/// One answer of an order that breaks a rule: which line, which field, which rule, and what
/// is allowed. [`Error::InvalidOrder`] carries every one found, so a form can mark them all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct FieldError {
    /// The order line (0-based).
    pub line: usize,
    /// The variable's name (or the unknown name given).
    pub field: String,
    /// The rule broken: `required`, `type`, `choice`, `unknown`, `min_length`,
    /// `max_length`, `min`, `max`, `min_items`, `max_items`, `not_before`, `not_after`.
    pub rule: String,
    /// What was wrong and what is allowed.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(
        line: usize,
        field: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            line,
            field: field.into(),
            rule: rule.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    /// `line 0, field `ram` (max): 128 is more than 64`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, field `{}` ({}): {}",
            self.line,
            Quoted(&self.field),
            self.rule,
            self.message
        )
    }
}

/// A refused command, a refused order or an unsound catalogue. Each variant names what was
/// wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The command is not accepted where the record is (the request, an item, a task or a
    /// service).
    #[error("`{command}` is not allowed {place}; allowed there: {}", names(.allowed))]
    NotAllowed {
        /// Where: `before the request is submitted`, `on item 0 in state awaiting_approval`,
        /// `on task \`ship\` of item 0 in state pending`.
        place: String,
        /// The command refused.
        command: String,
        /// The commands allowed there.
        allowed: Vec<String>,
    },
    /// The actor holds none of the roles the catalogue's permissions allow for the command.
    #[error("`{command}` refused: {reason}")]
    Denied {
        /// The command refused.
        command: String,
        /// The permission check's answer, printed as part of this message (not a `source`).
        reason: itsm_core::Error,
    },
    /// The time in the context is earlier than the record's last event.
    #[error(
        "the clock went backwards: now is {now} but the record was last updated at {last}; time must not decrease"
    )]
    ClockWentBackwards {
        /// The record's last update.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// An order without lines.
    #[error("an order needs at least one line; it has none")]
    EmptyOrder,
    /// The order names an item the catalogue does not have.
    #[error("line {line}: item `{}` is not in the catalogue; allowed: {}", Quoted(.item), names(.allowed))]
    UnknownItem {
        /// The order line.
        line: usize,
        /// The item named.
        item: String,
        /// The catalogue's items.
        allowed: Vec<String>,
    },
    /// The order names a bundle the catalogue does not have.
    #[error("bundle `{}` is not in the catalogue; allowed: {}", Quoted(.bundle), names(.allowed))]
    UnknownBundle {
        /// The bundle named.
        bundle: String,
        /// The catalogue's bundles.
        allowed: Vec<String>,
    },
    /// The person the item is for is not entitled to it.
    #[error("line {line}: {user} may not order `{item}`; it is for {needs}")]
    NotEntitled {
        /// The order line.
        line: usize,
        /// The item.
        item: String,
        /// The person it is for.
        user: itsm_core::UserId,
        /// Who may order it (roles, groups, organisations).
        needs: String,
    },
    /// One or more answers break the item's rules: every one found, at once.
    #[error("the order's answers are invalid: {}", errors_text(.errors))]
    InvalidOrder {
        /// Every field error, in line then variable order.
        errors: Vec<FieldError>,
    },
    /// An access item ordered without the role asked for, or another item with one.
    #[error("line {line}: {reason}")]
    AccessLine {
        /// The order line.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The role asked for is not one the application offers.
    #[error("line {line}: `{}` is not a role of application `{application}`; allowed: {}", Quoted(.role), names(.allowed))]
    UnknownRole {
        /// The order line.
        line: usize,
        /// The application.
        application: String,
        /// The role asked for.
        role: String,
        /// The application's roles.
        allowed: Vec<String>,
    },
    /// Access that would end before it starts.
    #[error(
        "line {line}: access until {until} ends before now ({now}); give a later expiry or none"
    )]
    InvalidExpiry {
        /// The order line.
        line: usize,
        /// The expiry asked for.
        until: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// Separation of duties: the role asked for conflicts with one the person holds or
    /// another line asks for.
    #[error("line {line}: {conflict} (separation of duties rule `{rule}`: {reason})")]
    SeparationOfDuties {
        /// The order line.
        line: usize,
        /// The rule's name.
        rule: String,
        /// The conflict: `` `payroll/admin` conflicts with `payroll/approver`, which they hold ``
        /// (or `asked for on line N`).
        conflict: String,
        /// The rule's explanation.
        reason: String,
    },
    /// An approval step needs the requested-for person's manager and the order gives none.
    #[error(
        "line {line}: item `{item}` is approved by the manager, and the order names no manager for {user}"
    )]
    MissingManager {
        /// The order line.
        line: usize,
        /// The item.
        item: String,
        /// The person it is for.
        user: itsm_core::UserId,
    },
    /// A command names an order line the request does not have.
    #[error("the request has no line {line}; it has {count}")]
    UnknownLine {
        /// The line named.
        line: usize,
        /// How many lines the request has.
        count: usize,
    },
    /// A command names a task the item's plan does not have.
    #[error("item {line} has no task `{}`; allowed: {}", Quoted(.task), names(.allowed))]
    UnknownTask {
        /// The order line.
        line: usize,
        /// The task named.
        task: String,
        /// The item's tasks.
        allowed: Vec<String>,
    },
    /// A task's dependencies are not all done.
    #[error("task `{task}` of item {line} waits for {}; finish them first", names(.waiting))]
    Waiting {
        /// The order line.
        line: usize,
        /// The task.
        task: String,
        /// The tasks it still waits for.
        waiting: Vec<String>,
    },
    /// A field the command needs is empty.
    #[error("`{command}` needs a non-empty {field}")]
    MissingField {
        /// The command.
        command: &'static str,
        /// The field.
        field: &'static str,
    },
    /// An approval command where no approval is running, or one that starts a new one.
    #[error("item {line}: {reason}")]
    ApprovalRound {
        /// The order line.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A service stage gate is not met: every unmet requirement.
    #[error("`{command}` refused by gate `{gate}`: {}", .unmet.join("; "))]
    GateNotMet {
        /// The command.
        command: String,
        /// The gate's name.
        gate: String,
        /// Each unmet requirement, explained.
        unmet: Vec<String>,
    },
    /// A service may not move from its lifecycle stage to that one.
    #[error("a service may not move from stage `{from}` to `{to}`; allowed: {}", names(.allowed))]
    StageMove {
        /// The stage it is in.
        from: String,
        /// The stage asked for.
        to: String,
        /// The stages it may move to.
        allowed: Vec<String>,
    },
    /// An offering named that is not an item of the catalogue, or removed but not there.
    #[error("`{}` is not {reason}", Quoted(.offering))]
    Offering {
        /// The offering named.
        offering: String,
        /// `an item of the catalogue` or `one of the service's offerings`.
        reason: &'static str,
    },
    /// The catalogue is unsound: every problem found.
    #[error("the catalogue is invalid: {}", .problems.join("; "))]
    InvalidCatalogue {
        /// Every problem found, in a stable order.
        problems: Vec<String>,
    },
    /// The running approval refused the command (an approver not eligible, a delegation not
    /// allowed, ...); its own error says why.
    #[error(transparent)]
    Approval(#[from] itsm_approval::Error),
    /// An error of the shared vocabulary, passed through so that a host composes results
    /// with `?`.
    #[error(transparent)]
    Core(#[from] itsm_core::Error),
}

pub(crate) fn names<T: std::fmt::Display>(values: &[T]) -> String {
    if values.is_empty() {
        return "nothing".to_owned();
    }
    let mut parts: Vec<String> = values
        .iter()
        .take(MAX_NAMES)
        .map(|v| format!("`{}`", Quoted(&v.to_string())))
        .collect();
    if let Some(more) = values.len().checked_sub(MAX_NAMES).filter(|m| *m > 0) {
        parts.push(format!("and {more} more"));
    }
    parts.join(", ")
}

/// How many names a message lists before it says how many more there are (an item with
/// thousands of variables or options keeps its messages short).
const MAX_NAMES: usize = 20;

fn errors_text(errors: &[FieldError]) -> String {
    let parts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    parts.join("; ")
}
