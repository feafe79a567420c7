//! Why a schedule, a policy or a command is refused.

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use itsm_core::Quoted;

use crate::machine::Status;

/// Everything this crate refuses. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The schedule's zone is not one the crate reads.
    #[error("schedule `{}`: unknown time zone `{}`; give {}", Quoted(.schedule), Quoted(.zone), .allowed)]
    UnknownZone {
        /// The schedule.
        schedule: String,
        /// The zone as written.
        zone: String,
        /// What may be written.
        allowed: &'static str,
    },
    /// A schedule without layers.
    #[error("schedule `{}` has no layers; give at least one layer with members", Quoted(.schedule))]
    NoLayers {
        /// The schedule.
        schedule: String,
    },
    /// Two layers of a schedule share a name.
    #[error("schedule `{}` has two layers named `{}`; layer names must be unique (policies and overrides name them)", Quoted(.schedule), Quoted(.layer)
    )]
    DuplicateLayer {
        /// The schedule.
        schedule: String,
        /// The name.
        layer: String,
    },
    /// A layer without members.
    #[error("schedule `{}`, layer `{}`: no members; give at least one", Quoted(.schedule), Quoted(.layer))]
    NoMembers {
        /// The schedule.
        schedule: String,
        /// The layer.
        layer: String,
    },
    /// A turn of no time, or longer than the crate allows.
    #[error("schedule `{}`, layer `{}`: a turn of {} is not allowed; give at least one hour, day or week and at most {} days ({} hours, {} weeks)", Quoted(.schedule), Quoted(.layer), turn_text(.turn), .max_days, *.max_days as u64 * 24, .max_days / 7)]
    InvalidTurn {
        /// The schedule.
        schedule: String,
        /// The layer.
        layer: String,
        /// The turn given.
        turn: crate::spec::Turn,
        /// The longest turn, in days.
        max_days: u32,
    },
    /// A layer that ends before (or when) it starts.
    #[error("schedule `{}`, layer `{}`: `ends` must be after `starts`", Quoted(.schedule), Quoted(.layer))]
    LayerEndsBeforeStart {
        /// The schedule.
        schedule: String,
        /// The layer.
        layer: String,
    },
    /// A restriction the calendar crate refuses (a bad segment, or hours that never open).
    #[error("schedule `{}`, layer `{}`: invalid restriction: {}", Quoted(.schedule), Quoted(.layer), .source)]
    InvalidRestriction {
        /// The schedule.
        schedule: String,
        /// The layer.
        layer: String,
        /// The calendar's reason, printed as part of this message (boxed: it is large).
        source: Box<itsm_calendar::Error>,
    },
    /// A time off or override that ends before (or when) it starts.
    #[error("schedule `{}`: {} {} must end after it starts", Quoted(.schedule), .what, .index)]
    EmptyPeriod {
        /// The schedule.
        schedule: String,
        /// `"time off"` or `"override"`.
        what: &'static str,
        /// Its index in the spec's list.
        index: usize,
    },
    /// A time off covered by the member away.
    #[error("schedule `{}`: time off {} names its own member as cover; give someone else, or no cover", Quoted(.schedule), .index
    )]
    CoverIsMember {
        /// The schedule.
        schedule: String,
        /// Its index.
        index: usize,
    },
    /// An override of a layer the schedule does not have.
    #[error("schedule `{}`: override {} names layer `{}`, which the schedule does not have; name one of its layers, or none for the whole schedule", Quoted(.schedule), .index, Quoted(.layer)
    )]
    UnknownLayer {
        /// The schedule.
        schedule: String,
        /// The name given.
        layer: String,
        /// The override's index.
        index: usize,
    },
    /// A turn or handover outside chrono's range of instants.
    #[error(
        "the turns around {at} lie outside the representable range of dates; ask within years -262,000 to 262,000"
    )]
    OutOfRange {
        /// The instant asked about (for a handover: the wall-clock time read as UTC).
        at: DateTime<Utc>,
    },
    /// A window whose end is before its start.
    #[error("the window ends ({to}) before it starts ({from}); give from <= to")]
    ReversedWindow {
        /// Its start.
        from: DateTime<Utc>,
        /// Its end.
        to: DateTime<Utc>,
    },
    /// A window with too many handovers to list at once.
    #[error(
        "the window {from} to {to} has up to {estimate} handovers and edges, more than {max}; ask for shorter windows one after another"
    )]
    WindowTooLong {
        /// Its start.
        from: DateTime<Utc>,
        /// Its end.
        to: DateTime<Utc>,
        /// The estimate.
        estimate: u64,
        /// The most allowed.
        max: u64,
    },
    /// A business calendar that could not answer for a shift.
    #[error("the business calendar could not measure a shift: {0}")]
    Calendar(Box<itsm_calendar::Error>),
    /// A policy without steps.
    #[error("policy `{}` has no steps; give at least one", Quoted(.policy))]
    NoSteps {
        /// The policy.
        policy: String,
    },
    /// A policy with more steps than allowed.
    #[error("policy `{}` has {} steps; at most {} are allowed", Quoted(.policy), .steps, .max)]
    TooManySteps {
        /// The policy.
        policy: String,
        /// How many.
        steps: usize,
        /// The most allowed.
        max: usize,
    },
    /// A step without targets.
    #[error("policy `{}`, step {}: no targets; give at least one user, schedule or roster", Quoted(.policy), .step
    )]
    NoTargets {
        /// The policy.
        policy: String,
        /// The step.
        step: usize,
    },
    /// A step with more reminders than allowed.
    #[error("policy `{}`, step {}: {} reminders; at most {} are allowed", Quoted(.policy), .step, .reminders, .max)]
    TooManyReminders {
        /// The policy.
        policy: String,
        /// The step.
        step: usize,
        /// How many.
        reminders: u32,
        /// The most allowed.
        max: u32,
    },
    /// A policy that repeats more than allowed.
    #[error("policy `{}` repeats {} times; at most {} are allowed", Quoted(.policy), .repeat, .max)]
    TooManyRepeats {
        /// The policy.
        policy: String,
        /// How many.
        repeat: u32,
        /// The most allowed.
        max: u32,
    },
    /// A step's duration below zero.
    #[error("policy `{}`, step {}: `{}` must not be negative", Quoted(.policy), .step, .field)]
    NegativeDuration {
        /// The policy.
        policy: String,
        /// The field: `wait` or `between_reminders`.
        field: &'static str,
        /// The step.
        step: usize,
    },
    /// An acknowledgement timeout of no time or less.
    #[error("policy `{}`: `ack_timeout` must be positive; leave it out for an acknowledgement that holds", Quoted(.policy))]
    InvalidAckTimeout {
        /// The policy.
        policy: String,
    },
    /// A target names a schedule the context does not hold.
    #[error("policy `{}`, step {}: no schedule `{}` among the context's schedules; add it, or name one of them", Quoted(.policy), .step, Quoted(.schedule)
    )]
    UnknownSchedule {
        /// The policy.
        policy: String,
        /// The step.
        step: usize,
        /// The name given.
        schedule: String,
    },
    /// A roster target names a layer its schedule does not have.
    #[error("policy `{}`, step {}: schedule `{}` has no layer `{}`; name one of its layers", Quoted(.policy), .step, Quoted(.schedule), Quoted(.layer)
    )]
    UnknownRoster {
        /// The policy.
        policy: String,
        /// The step.
        step: usize,
        /// The schedule.
        schedule: String,
        /// The layer given.
        layer: String,
    },
    /// The context's `now` is before the escalation's last event.
    #[error(
        "the clock went backwards: now is {now} but the escalation was last updated at {last}; time must not decrease (only `tick` may come earlier, and then does nothing)"
    )]
    ClockWentBackwards {
        /// The last event's instant.
        last: DateTime<Utc>,
        /// The time given.
        now: DateTime<Utc>,
    },
    /// The escalation's status does not allow the command.
    #[error("cannot {command}: the escalation is {status}; allowed when {}", names(.allowed))]
    NotAllowed {
        /// The command.
        command: &'static str,
        /// The status.
        status: Status,
        /// The statuses that allow it.
        allowed: Vec<Status>,
    },
    /// A step the policy does not have.
    #[error("there is no step {step}; the policy has steps 0 to {}", steps.saturating_sub(1))]
    UnknownStep {
        /// The step given.
        step: usize,
        /// How many the policy has.
        steps: usize,
    },
    /// Under [`Acknowledgers::Notified`](crate::Acknowledgers::Notified), someone not
    /// notified tried to acknowledge.
    #[error(
        "user {user} was not notified by this escalation; under this policy only someone notified may acknowledge"
    )]
    NotNotified {
        /// Who tried.
        user: UserId,
    },
    /// A due time past chrono's range.
    #[error(
        "{what} after {at} falls past the representable range of dates; shorten the policy's durations"
    )]
    TimeOverflow {
        /// What was being computed.
        what: &'static str,
        /// From when.
        at: DateTime<Utc>,
    },
    /// Two contact profiles for one person.
    #[error("user {user} has two contact profiles; give one per person")]
    DuplicateProfile {
        /// Who.
        user: UserId,
    },
    /// A contact profile's zone is not one the crate reads.
    #[error("contact profile of user {user}: unknown time zone `{}`; give {}", Quoted(.zone), .allowed)]
    UnknownProfileZone {
        /// Whose profile.
        user: UserId,
        /// The zone as written.
        zone: String,
        /// What may be written.
        allowed: &'static str,
    },
    /// More contact methods than allowed.
    #[error("contact profile of user {user}: {methods} contact methods; at most {max} are allowed")]
    TooManyMethods {
        /// Whose profile.
        user: UserId,
        /// How many.
        methods: usize,
        /// The most allowed.
        max: usize,
    },
    /// More contact rules than allowed.
    #[error("contact profile of user {user}: {rules} rules; at most {max} are allowed")]
    TooManyRules {
        /// Whose profile.
        user: UserId,
        /// How many.
        rules: usize,
        /// The most allowed.
        max: usize,
    },
    /// A contact method or rule without a name.
    #[error(
        "contact profile of user {user}: a {what} has an empty or blank name; give each a name"
    )]
    InvalidName {
        /// Whose profile.
        user: UserId,
        /// `method` or `rule`.
        what: &'static str,
    },
    /// Two contact methods, or two rules, of one person share a name.
    #[error("contact profile of user {user}: two {what}s are named `{}`; names must be unique (rules and events name them)", Quoted(.name))]
    DuplicateName {
        /// Whose profile.
        user: UserId,
        /// `method` or `rule`.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A contact rule without steps.
    #[error("contact profile of user {user}, rule `{}`: no steps; give at least one method and delay", Quoted(.rule))]
    NoRuleSteps {
        /// Whose profile.
        user: UserId,
        /// The rule.
        rule: String,
    },
    /// A contact rule with more steps than allowed.
    #[error("contact profile of user {user}, rule `{}`: {steps} steps; at most {max} are allowed", Quoted(.rule))]
    TooManyRuleSteps {
        /// Whose profile.
        user: UserId,
        /// The rule.
        rule: String,
        /// How many.
        steps: usize,
        /// The most allowed.
        max: usize,
    },
    /// A contact rule's step names a method the person does not have.
    #[error("contact profile of user {user}, rule `{}`: no contact method `{}`; the profile has {}", Quoted(.rule), Quoted(.method), method_list(.known))]
    UnknownMethod {
        /// Whose profile.
        user: UserId,
        /// The rule.
        rule: String,
        /// The method named.
        method: String,
        /// The methods the profile has.
        known: Vec<String>,
    },
    /// A contact step's delay below zero or too long.
    #[error("contact profile of user {user}, rule `{}`: a delay of {} is not allowed; give from zero to {max_days} days", Quoted(.rule), itsm_core::duration::format(*.given))]
    InvalidDelay {
        /// Whose profile.
        user: UserId,
        /// The rule.
        rule: String,
        /// The delay given.
        given: chrono::Duration,
        /// The longest delay, in days.
        max_days: i64,
    },
    /// A contact rule's repeat out of bounds.
    #[error("contact profile of user {user}, rule `{}`: `repeat` needs `every` above zero and at most {max_days} days, and `times` from 1 to {max_times}", Quoted(.rule))]
    InvalidRepeat {
        /// Whose profile.
        user: UserId,
        /// The rule.
        rule: String,
        /// The most repeats.
        max_times: u32,
        /// The longest interval, in days.
        max_days: i64,
    },
    /// A contact rule for attempt 0.
    #[error("contact profile of user {user}, rule `{}`: `attempt` counts from 1 (the first notice) to {} (a step's last reminder); leave it out for every attempt", Quoted(.rule), crate::contact::MAX_ATTEMPT)]
    InvalidAttempt {
        /// Whose profile.
        user: UserId,
        /// The rule.
        rule: String,
    },
    /// A contact rule's hours the calendar crate refuses.
    #[error("contact profile of user {user}, rule `{}`: invalid hours: {}", Quoted(.rule), .source)]
    InvalidHours {
        /// Whose profile.
        user: UserId,
        /// The rule.
        rule: String,
        /// The calendar's reason, printed as part of this message (boxed: it is large).
        source: Box<itsm_calendar::Error>,
    },
}

/// At most five method names, quoted, and how many more.
fn method_list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".to_owned();
    }
    let mut out: Vec<String> = names
        .iter()
        .take(5)
        .map(|n| format!("`{}`", Quoted(n)))
        .collect();
    if names.len() > 5 {
        out.push(format!("and {} more", names.len() - 5));
    }
    out.join(", ")
}

fn turn_text(turn: &crate::spec::Turn) -> String {
    use crate::spec::Turn;
    match turn {
        Turn::Hours(n) => format!("{n} hours"),
        Turn::Days(n) => format!("{n} days"),
        Turn::Weeks(n) => format!("{n} weeks"),
    }
}

fn names(statuses: &[Status]) -> String {
    let names: Vec<&str> = statuses.iter().map(|s| s.name()).collect();
    names.join(" or ")
}
