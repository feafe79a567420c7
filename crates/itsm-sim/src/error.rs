//! Why a configuration is refused or a run cannot go on.

/// A refused configuration, or a run the real state machines stopped. Each variant names
/// what was wrong and what is allowed. Numbers that were refused are kept as written by
/// Rust's `Display` (a `String`), so that the error stays `Eq`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration has no ticket class.
    #[error("the configuration has no ticket class; give at least one priority with its arrivals")]
    NoClasses,
    /// A priority outside the incident matrix's range.
    #[error(
        "priority {priority} is out of range; priorities run from 1 (critical) to 5 (planning)"
    )]
    PriorityOutOfRange {
        /// The priority given.
        priority: u8,
    },
    /// Two classes share a priority.
    #[error("priority {priority} is given twice; give each priority once")]
    DuplicatePriority {
        /// The priority repeated.
        priority: u8,
    },
    /// An arrival rate that is not a positive finite number, or a `per` that is not positive.
    #[error(
        "priority {priority}: the arrival rate {value} is refused; it must be a finite number > 0 per a positive duration"
    )]
    BadRate {
        /// The class's priority.
        priority: u8,
        /// The rate as given.
        value: String,
    },
    /// An hourly arrival profile of the wrong length.
    #[error(
        "priority {priority}: the arrival profile has {len} rates; give 24 (hours of the day) or 168 (hours of the week from Monday 00:00 UTC)"
    )]
    ProfileLength {
        /// The class's priority.
        priority: u8,
        /// The rates given.
        len: usize,
    },
    /// A service-time distribution whose parameters cannot be sampled.
    #[error("priority {priority}: the service time is refused: {reason}")]
    BadServiceTime {
        /// The class's priority.
        priority: u8,
        /// What is wrong, and what is allowed.
        reason: String,
    },
    /// A hold whose probability or duration cannot be used.
    #[error("priority {priority}: the hold is refused: {reason}")]
    BadHold {
        /// The class's priority.
        priority: u8,
        /// What is wrong, and what is allowed.
        reason: String,
    },
    /// A reopen whose probability, delay, work or clock mode cannot be used.
    #[error("priority {priority}: the reopen is refused: {reason}")]
    BadReopen {
        /// The class's priority.
        priority: u8,
        /// What is wrong, and what is allowed.
        reason: String,
    },
    /// An SLA target that is not in `(0, itsm_sla::MAX_TARGET]`.
    #[error(
        "priority {priority}: the {target} target {value} is refused; it must be positive and at most 200 years"
    )]
    BadTarget {
        /// The class's priority.
        priority: u8,
        /// `response` or `resolution`.
        target: &'static str,
        /// The target, as an ISO 8601 duration.
        value: String,
    },
    /// The horizon is not positive or is longer than [`MAX_HORIZON`](crate::MAX_HORIZON).
    #[error("the horizon {value} is refused; it must be positive and at most 100 years")]
    BadHorizon {
        /// The horizon, as an ISO 8601 duration.
        value: String,
    },
    /// The warm-up is negative or not shorter than the horizon.
    #[error(
        "the warm-up {warmup} is refused; it must be at least zero and shorter than the horizon {horizon}"
    )]
    BadWarmup {
        /// The warm-up, as an ISO 8601 duration.
        warmup: String,
        /// The horizon, as an ISO 8601 duration.
        horizon: String,
    },
    /// The backlog sampling interval is not positive or gives too many samples.
    #[error(
        "the sampling interval {value} is refused; it must be positive and give at most {limit} samples over the horizon"
    )]
    BadSampleInterval {
        /// The interval, as an ISO 8601 duration.
        value: String,
        /// The most samples allowed.
        limit: u64,
    },
    /// An hourly staffing table of the wrong length.
    #[error(
        "the hourly staffing table has {len} entries; give 24 (hours of the day) or 168 (hours of the week from Monday 00:00 UTC)"
    )]
    HourlyLength {
        /// The entries given.
        len: usize,
    },
    /// Two resolver groups share a name, or one is named [`DESK`](crate::DESK).
    #[error(
        "the group `{group}` is given twice (the desk is `desk`); give each group a name of its own"
    )]
    DuplicateGroup {
        /// The name repeated.
        group: String,
    },
    /// A class names a group that is not in the configuration.
    #[error("priority {priority}: there is no group `{group}`; the groups are: {known}")]
    UnknownGroup {
        /// The class's priority.
        priority: u8,
        /// The name given.
        group: String,
        /// The groups there are, `desk` first.
        known: String,
    },
    /// A resolver group with no name, a staffing that is refused, or no agent yet tickets
    /// (also the desk's, named `desk`, when there are other groups).
    #[error("the group `{group}` is refused: {reason}")]
    BadGroup {
        /// Its name.
        group: String,
        /// What is wrong, and what is allowed.
        reason: String,
    },
    /// More resolver groups than [`MAX_GROUPS`](crate::MAX_GROUPS).
    #[error("{groups} groups are given; at most {limit} are allowed besides the desk")]
    TooManyGroups {
        /// The groups given.
        groups: usize,
        /// The most allowed.
        limit: usize,
    },
    /// A group's help ([`Config::helps`](crate::Config::helps)) that cannot be used: an
    /// unknown group, a group helping itself or another twice, or help under pre-emption.
    #[error("the help of group `{}` is refused: {reason}", itsm_core::Quoted(.group))]
    BadHelp {
        /// The helping group, as named.
        group: String,
        /// What is wrong, and what is allowed.
        reason: String,
    },
    /// A reassignment whose probability, target group or triage time cannot be used.
    #[error("priority {priority}: the reassignment is refused: {reason}")]
    BadReassign {
        /// The class's priority.
        priority: u8,
        /// What is wrong, and what is allowed.
        reason: String,
    },
    /// Nobody is ever on duty during the horizon.
    #[error("no agent is on duty at any time during the horizon; staff at least one agent")]
    NoAgents,
    /// More agents at once than [`MAX_AGENTS`](crate::MAX_AGENTS); with groups, the sum of
    /// each group's most.
    #[error("{agents} agents on duty at once; at most {limit} are allowed")]
    TooManyAgents {
        /// The agents at the busiest time.
        agents: u64,
        /// The most allowed.
        limit: u32,
    },
    /// A shift's calendar could not be compiled or queried.
    #[error("shift {shift}: its calendar is refused: {reason}")]
    Calendar {
        /// The shift's position in the list (from 0).
        shift: usize,
        /// The calendar crate's message.
        reason: String,
    },
    /// A class's SLA calendar is refused, or never open.
    #[error("priority {priority}: its SLA calendar is refused: {reason}")]
    SlaCalendar {
        /// The class's priority.
        priority: u8,
        /// The calendar crate's message.
        reason: String,
    },
    /// The staffing changes too often over the horizon.
    #[error(
        "the staffing changes {changes} times over the horizon; at most {limit} changes are allowed"
    )]
    TooManyStaffingChanges {
        /// The changes counted (so far).
        changes: u64,
        /// The most allowed.
        limit: u64,
    },
    /// The expected number of arrivals over the horizon is above the limit.
    #[error(
        "about {expected} arrivals expected over the horizon; at most {limit} are allowed (shorten the horizon or lower the rates)"
    )]
    TooManyArrivals {
        /// The expected arrivals, rounded.
        expected: u64,
        /// The most allowed.
        limit: u64,
    },
    /// Too few arrival times to estimate a rate from.
    #[error("{count} arrival times cannot give a rate; give at least two, at different instants")]
    TooFewArrivals {
        /// The arrival times given.
        count: usize,
    },
    /// The real incident or SLA state machine refused a step of the full path (a bug in the
    /// simulator's use of them: please report it).
    #[error("ticket {ticket}: the {machine} state machine refused a step: {reason}")]
    Machine {
        /// The ticket's number in the run (from 0).
        ticket: u64,
        /// `incident` or `sla`.
        machine: &'static str,
        /// Its message.
        reason: String,
    },
    /// An instant outside chrono's range (a start too close to its ends).
    #[error(
        "the run's instants leave the supported date range; start between the years 1 and 9000"
    )]
    DateOverflow,
}
