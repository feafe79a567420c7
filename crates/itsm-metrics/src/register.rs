//! The continual improvement register: initiatives with a baseline, a target and the KPI
//! that measures them, through a small pure state machine.

use chrono::{DateTime, Utc};
use itsm_core::UserId;

use crate::error::Error;
use crate::kpis::{Measure, Value};

itsm_core::id_type!(
    /// An improvement initiative's id (made by the host).
    InitiativeId
);

/// Where an initiative stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum InitiativeStatus {
    /// Proposed, awaiting approval.
    Proposed,
    /// Approved, not started.
    Approved,
    /// Being worked on; measurements are recorded.
    InProgress,
    /// The target was reached (final).
    Achieved,
    /// Given up (final).
    Abandoned,
}

impl InitiativeStatus {
    /// The status's name, as in JSON (`in_progress`).
    pub const fn name(self) -> &'static str {
        match self {
            InitiativeStatus::Proposed => "proposed",
            InitiativeStatus::Approved => "approved",
            InitiativeStatus::InProgress => "in_progress",
            InitiativeStatus::Achieved => "achieved",
            InitiativeStatus::Abandoned => "abandoned",
        }
    }
}

impl std::fmt::Display for InitiativeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of the transition table: a command, the statuses it is allowed in, and the
/// status it leads to (`None`: the status stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The command's name, as in JSON.
    pub command: &'static str,
    /// The statuses that allow it.
    pub from: &'static [InitiativeStatus],
    /// Where it leads.
    pub to: Option<InitiativeStatus>,
}

/// The register's transition table, written once (`propose` creates an initiative in
/// `proposed`; `achieve` also needs the latest measurement to reach the target).
pub const TRANSITIONS: &[Transition] = {
    use InitiativeStatus::{Abandoned, Achieved, Approved, InProgress, Proposed};
    &[
        Transition {
            command: "approve",
            from: &[Proposed],
            to: Some(Approved),
        },
        Transition {
            command: "start",
            from: &[Approved],
            to: Some(InProgress),
        },
        Transition {
            command: "record",
            from: &[InProgress],
            to: None,
        },
        Transition {
            command: "achieve",
            from: &[InProgress],
            to: Some(Achieved),
        },
        Transition {
            command: "abandon",
            from: &[Proposed, Approved, InProgress],
            to: Some(Abandoned),
        },
    ]
};

/// A value of the measure, recorded at an instant by someone.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Measurement {
    /// When.
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub by: UserId,
    /// The value.
    pub value: Value,
}

/// An improvement initiative: what it improves (a [`Measure`]), from where (baseline) to
/// where (target), and how far it got.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Initiative {
    id: InitiativeId,
    title: String,
    measure: Measure,
    baseline: Value,
    target: Value,
    status: InitiativeStatus,
    proposed_by: UserId,
    updated_at: DateTime<Utc>,
    latest: Option<Measurement>,
}

impl Initiative {
    /// Its id.
    pub fn id(&self) -> InitiativeId {
        self.id
    }
    /// Its title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// The KPI it improves.
    pub fn measure(&self) -> Measure {
        self.measure
    }
    /// The value when it was proposed.
    pub fn baseline(&self) -> Value {
        self.baseline
    }
    /// The value it aims for.
    pub fn target(&self) -> Value {
        self.target
    }
    /// Where it stands.
    pub fn status(&self) -> InitiativeStatus {
        self.status
    }
    /// Who proposed it.
    pub fn proposed_by(&self) -> UserId {
        self.proposed_by
    }
    /// When its last event happened.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    /// The latest measurement.
    pub fn latest(&self) -> Option<&Measurement> {
        self.latest.as_ref()
    }

    /// How far `current` is from the baseline toward the target ([`progress`]).
    ///
    /// # Errors
    /// As [`progress`].
    pub fn progress(&self, current: Value) -> Result<Progress, Error> {
        progress(self.measure, self.baseline, self.target, current)
    }
}

/// The register's record of one initiative: none yet, or the initiative.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum State {
    /// Before `propose`.
    #[default]
    Empty,
    /// The initiative.
    Initiative(Box<Initiative>),
}

impl State {
    /// Nothing proposed yet.
    pub fn new() -> Self {
        State::Empty
    }

    /// The initiative, once proposed.
    pub fn initiative(&self) -> Option<&Initiative> {
        match self {
            State::Empty => None,
            State::Initiative(i) => Some(i),
        }
    }

    /// Folds `events` in, in order ([`evolve`]).
    pub fn apply<'e>(&mut self, events: impl IntoIterator<Item = &'e Event>) {
        for event in events {
            *self = evolve(std::mem::take(self), event);
        }
    }
}

/// What a user asks of the register. In JSON the `command` field is the tag.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "command", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Command {
    /// Propose an initiative.
    Propose {
        /// Its id (made by the host).
        id: InitiativeId,
        /// What it is (not empty).
        title: String,
        /// The KPI it improves.
        measure: Measure,
        /// The KPI's value now.
        baseline: Value,
        /// The value it aims for (not the baseline).
        target: Value,
    },
    /// Approve it.
    Approve,
    /// Start the work.
    Start,
    /// Record a measurement of the KPI.
    Record {
        /// The value.
        value: Value,
    },
    /// Declare the target reached (the latest measurement must reach it).
    Achieve,
    /// Give it up.
    Abandon {
        /// Why.
        reason: String,
    },
}

impl Command {
    /// The command's name, as in JSON and [`TRANSITIONS`].
    pub const fn name(&self) -> &'static str {
        match self {
            Command::Propose { .. } => "propose",
            Command::Approve => "approve",
            Command::Start => "start",
            Command::Record { .. } => "record",
            Command::Achieve => "achieve",
            Command::Abandon { .. } => "abandon",
        }
    }
}

/// What happened to an initiative. Every event carries when (`at`) and who (`by`); in JSON
/// the `type` field is the tag.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Event {
    /// Proposed.
    Proposed {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Its id.
        id: InitiativeId,
        /// Its title.
        title: String,
        /// The KPI.
        measure: Measure,
        /// The baseline.
        baseline: Value,
        /// The target.
        target: Value,
    },
    /// Approved.
    Approved {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Work started.
    Started {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// A measurement recorded.
    Recorded {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The value.
        value: Value,
    },
    /// The target reached.
    Achieved {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Given up.
    Abandoned {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Why.
        reason: String,
    },
}

/// The per-call inputs of [`decide`]: the host's clock and the acting user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context {
    /// The current time, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command.
    pub actor: UserId,
}

impl Context {
    /// A context at `now` for `actor`.
    pub fn new(now: DateTime<Utc>, actor: UserId) -> Self {
        Context { now, actor }
    }
}

/// Checks `value` against `measure`: the same kind, a rate in `[0, 1]`, a time not negative.
fn check(measure: Measure, value: Value) -> Result<(), Error> {
    match (measure.is_time(), value) {
        (true, Value::Time(d)) if d < chrono::Duration::zero() => Err(Error::InvalidValue {
            value: value.to_string(),
            what: "time",
            allowed: "a time is not negative",
        }),
        (false, Value::Rate(r)) if !(0.0..=1.0).contains(&r) => Err(Error::InvalidValue {
            value: value.to_string(),
            what: "rate",
            allowed: "a rate is a number from 0 to 1",
        }),
        (true, Value::Time(_)) | (false, Value::Rate(_)) => Ok(()),
        (true, Value::Rate(_)) => Err(Error::MismatchedValue {
            measure,
            expected: "a time",
            got: "rate",
        }),
        (false, Value::Time(_)) => Err(Error::MismatchedValue {
            measure,
            expected: "a rate",
            got: "time",
        }),
    }
}

/// How far a value got from the baseline toward the target.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// `(current - baseline) / (target - baseline)`, clamped to `[0, 1]`: 0 at (or behind)
    /// the baseline, 1 at (or past) the target, whichever direction the target lies in.
    pub fraction: f64,
    /// The same before clamping (negative: worse than the baseline; above 1: past the target).
    pub raw: f64,
    /// The computation in words.
    pub explanation: String,
}

/// How far `current` got from `baseline` toward `target` on `measure` (times compared in
/// seconds): `(current - baseline) / (target - baseline)` clamped to `[0, 1]`, so a lower
/// target (a shorter time, a lower reopen rate) works the same as a higher one.
///
/// # Errors
/// [`Error::MismatchedValue`] or [`Error::InvalidValue`] when a value does not fit the
/// measure; [`Error::TargetIsBaseline`] when the target is the baseline.
///
/// ```
/// use itsm_metrics::{Measure, Value, progress};
///
/// let p = progress(Measure::ReopenRate, Value::Rate(0.08), Value::Rate(0.04), Value::Rate(0.07))?;
/// assert!((p.fraction - 0.25).abs() < 1e-12);
/// assert_eq!(p.explanation, "reopen_rate went from 0.0800 (baseline) to 0.0700; the target is 0.0400: 25% of the way");
/// let worse = progress(Measure::ReopenRate, Value::Rate(0.08), Value::Rate(0.04), Value::Rate(0.09))?;
/// assert_eq!((worse.fraction, worse.raw < 0.0), (0.0, true));
/// # Ok::<(), itsm_metrics::Error>(())
/// ```
pub fn progress(
    measure: Measure,
    baseline: Value,
    target: Value,
    current: Value,
) -> Result<Progress, Error> {
    check(measure, baseline)?;
    check(measure, target)?;
    check(measure, current)?;
    let (b, t, c) = (baseline.number(), target.number(), current.number());
    if t == b {
        return Err(Error::TargetIsBaseline {
            value: baseline.to_string(),
        });
    }
    let raw = (c - b) / (t - b);
    let fraction = raw.clamp(0.0, 1.0);
    let note = if raw > 1.0 {
        " (past the target: counted as 100%)"
    } else if raw < 0.0 {
        " (away from the target: counted as 0%)"
    } else {
        ""
    };
    Ok(Progress {
        fraction,
        raw,
        explanation: format!(
            "{measure} went from {baseline} (baseline) to {current}; the target is {target}: {:.0}% of the way{note}",
            fraction * 100.0
        ),
    })
}

/// Decides what a command does to the register's record of one initiative.
///
/// # Errors
/// [`Error::NotProposed`] before `propose`, [`Error::AlreadyProposed`] for a second one,
/// [`Error::NotAllowed`] when the status does not allow the command ([`TRANSITIONS`]),
/// [`Error::ClockWentBackwards`], the value errors of [`progress`], [`Error::EmptyTitle`],
/// and [`Error::TargetNotReached`] for `achieve` without a measurement reaching the target.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use itsm_core::UserId;
/// use itsm_metrics::{Command, Context, InitiativeId, InitiativeStatus, Measure, State, Value, decide};
///
/// let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let ctx = |h| Context::new(t0 + Duration::hours(h), UserId::from_u128(1));
/// let mut state = State::new();
/// let mut run = |state: &mut State, h, c: Command| -> Result<(), itsm_metrics::Error> {
///     let events = decide(state, &c, &ctx(h))?;
///     state.apply(&events);
///     Ok(())
/// };
/// run(&mut state, 0, Command::Propose {
///     id: InitiativeId::from_u128(7),
///     title: "Knowledge articles for the top ten incident types".into(),
///     measure: Measure::MeanTimeToResolve,
///     baseline: Value::Time(Duration::hours(10)),
///     target: Value::Time(Duration::hours(6)),
/// })?;
/// run(&mut state, 1, Command::Approve)?;
/// run(&mut state, 2, Command::Start)?;
/// run(&mut state, 3, Command::Record { value: Value::Time(Duration::hours(8)) })?;
/// assert!(run(&mut state, 4, Command::Achieve).is_err()); // halfway only
/// run(&mut state, 5, Command::Record { value: Value::Time(Duration::hours(5)) })?;
/// run(&mut state, 6, Command::Achieve)?;
/// assert_eq!(state.initiative().unwrap().status(), InitiativeStatus::Achieved);
/// # Ok::<(), itsm_metrics::Error>(())
/// ```
pub fn decide(state: &State, command: &Command, ctx: &Context) -> Result<Vec<Event>, Error> {
    let (at, by) = (ctx.now, ctx.actor);
    let initiative = match (state, command) {
        (
            State::Empty,
            Command::Propose {
                id,
                title,
                measure,
                baseline,
                target,
            },
        ) => {
            if title.trim().is_empty() {
                return Err(Error::EmptyTitle);
            }
            // Checks both values and that they differ.
            progress(*measure, *baseline, *target, *baseline)?;
            return Ok(vec![Event::Proposed {
                at,
                by,
                id: *id,
                title: title.clone(),
                measure: *measure,
                baseline: *baseline,
                target: *target,
            }]);
        }
        (State::Empty, _) => return Err(Error::NotProposed),
        (State::Initiative(i), Command::Propose { .. }) => {
            return Err(Error::AlreadyProposed {
                id: i.id.to_string(),
            });
        }
        (State::Initiative(i), _) => i,
    };
    if at < initiative.updated_at {
        return Err(Error::ClockWentBackwards {
            now: at,
            last: initiative.updated_at,
        });
    }
    let name = command.name();
    if let Some(row) = TRANSITIONS.iter().find(|t| t.command == name) {
        if !row.from.contains(&initiative.status) {
            return Err(Error::NotAllowed {
                command: name,
                status: initiative.status,
                allowed: row.from.to_vec(),
            });
        }
    }
    Ok(vec![match command {
        Command::Propose { .. } | Command::Approve => Event::Approved { at, by },
        Command::Start => Event::Started { at, by },
        Command::Record { value } => {
            check(initiative.measure, *value)?;
            Event::Recorded {
                at,
                by,
                value: *value,
            }
        }
        Command::Achieve => {
            let Some(latest) = initiative.latest else {
                return Err(Error::TargetNotReached {
                    progress: "no measurement has been recorded".to_owned(),
                });
            };
            let p = initiative.progress(latest.value)?;
            if p.raw < 1.0 {
                return Err(Error::TargetNotReached {
                    progress: p.explanation,
                });
            }
            Event::Achieved { at, by }
        }
        Command::Abandon { reason } => Event::Abandoned {
            at,
            by,
            reason: reason.clone(),
        },
    }])
}

/// Folds one event into the record. Total: an event that does not fit (one before
/// `proposed`) leaves the record as it is.
pub fn evolve(state: State, event: &Event) -> State {
    match (state, event) {
        (
            State::Empty,
            Event::Proposed {
                at,
                by,
                id,
                title,
                measure,
                baseline,
                target,
            },
        ) => State::Initiative(Box::new(Initiative {
            id: *id,
            title: title.clone(),
            measure: *measure,
            baseline: *baseline,
            target: *target,
            status: InitiativeStatus::Proposed,
            proposed_by: *by,
            updated_at: *at,
            latest: None,
        })),
        (State::Initiative(mut i), event) => {
            match event {
                Event::Proposed { .. } => return State::Initiative(i),
                Event::Approved { at, .. } => {
                    i.status = InitiativeStatus::Approved;
                    i.updated_at = *at;
                }
                Event::Started { at, .. } => {
                    i.status = InitiativeStatus::InProgress;
                    i.updated_at = *at;
                }
                Event::Recorded { at, by, value } => {
                    i.latest = Some(Measurement {
                        at: *at,
                        by: *by,
                        value: *value,
                    });
                    i.updated_at = *at;
                }
                Event::Achieved { at, .. } => {
                    i.status = InitiativeStatus::Achieved;
                    i.updated_at = *at;
                }
                Event::Abandoned { at, .. } => {
                    i.status = InitiativeStatus::Abandoned;
                    i.updated_at = *at;
                }
            }
            State::Initiative(i)
        }
        (state @ State::Empty, _) => state,
    }
}
