//! What a release is planned as: its process, phases, tasks, checks and key dates.

use std::collections::BTreeSet;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use itsm_calendar::{Holiday, Zone};
use itsm_core::{Quoted, UserId};

use crate::error::Error;

/// How a release's phases move: ServiceNow Digital Product Release's two processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Process {
    /// Fixed dates: every phase has planned start and end dates; the first phase starts on
    /// its start date, and a phase whose tasks are closed and checks pass ends on its end
    /// date (or when completed by hand). Retargeting moves the key dates.
    Timeline,
    /// Objectives first: the first phase starts when the release starts, a phase ends as
    /// soon as its tasks are closed and its checks pass (the policy's `auto_advance`), and
    /// the release may restart from a completed phase.
    Stage,
}

impl Process {
    /// Its name in messages and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Process::Timeline => "timeline",
            Process::Stage => "stage",
        }
    }
}

/// A release as planned: what [`Command::Create`](crate::Command::Create) records.
///
/// Dates are calendar dates read in the plan's `zone`: a date starts at its first instant
/// there, and an end date runs to the start of the next date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Plan {
    /// A name that messages quote.
    pub name: String,
    /// How the phases move.
    pub process: Process,
    /// The time zone the dates are read in: an IANA name (`"Europe/Berlin"`, with the `tz`
    /// feature), `"UTC"` or a fixed offset (`"+02:00"`). `None` (left out in JSON) is UTC.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub zone: Option<String>,
    /// The release readiness target: the date by which the release must be ready.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub readiness: Option<NaiveDate>,
    /// The release's holiday schedule: a key date that a retarget moves onto one of these
    /// days moves back to the last day before it that is not one (ServiceNow).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub holidays: Vec<Holiday>,
    /// The phases, in the order they run. At least one.
    pub phases: Vec<PhaseSpec>,
}

impl Plan {
    /// A plan with phases and nothing else: UTC, no readiness target, no holidays.
    pub fn new(name: impl Into<String>, process: Process, phases: Vec<PhaseSpec>) -> Self {
        Plan {
            name: name.into(),
            process,
            zone: None,
            readiness: None,
            holidays: Vec::new(),
            phases,
        }
    }

    /// The same plan with a readiness target.
    #[must_use]
    pub fn with_readiness(mut self, date: NaiveDate) -> Self {
        self.readiness = Some(date);
        self
    }

    /// The same plan read in another zone.
    #[must_use]
    pub fn with_zone(mut self, zone: impl Into<String>) -> Self {
        self.zone = Some(zone.into());
        self
    }

    /// The same plan with a holiday schedule.
    #[must_use]
    pub fn with_holidays(mut self, holidays: Vec<Holiday>) -> Self {
        self.holidays = holidays;
        self
    }
}

/// One phase of a plan: its tasks, the checks it must pass, its planned dates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PhaseSpec {
    /// Its name, unique in the plan.
    pub name: String,
    /// The planned start date (required by the timeline process).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub start: Option<NaiveDate>,
    /// The planned end date, inclusive (required by the timeline process).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub end: Option<NaiveDate>,
    /// The tasks, in the order a sequential policy opens them.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub tasks: Vec<TaskSpec>,
    /// The checks the phase must pass (ServiceNow's release policies): names, unique in the
    /// phase, whose results the host records.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub checks: Vec<String>,
}

impl PhaseSpec {
    /// A phase with a name and nothing else.
    pub fn new(name: impl Into<String>) -> Self {
        PhaseSpec {
            name: name.into(),
            start: None,
            end: None,
            tasks: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// The same phase with planned dates (the end inclusive).
    #[must_use]
    pub fn dates(mut self, start: NaiveDate, end: NaiveDate) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }

    /// The same phase with one more task.
    #[must_use]
    pub fn task(mut self, task: TaskSpec) -> Self {
        self.tasks.push(task);
        self
    }

    /// The same phase with one more check.
    #[must_use]
    pub fn check(mut self, name: impl Into<String>) -> Self {
        self.checks.push(name.into());
        self
    }
}

/// One task of a phase.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TaskSpec {
    /// Its name (messages quote it).
    pub name: String,
    /// The due date, inclusive. A task without one is due on its phase's end date (for
    /// overdue counts and risk).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub due: Option<NaiveDate>,
    /// Whoever approves it, for an approval task: opened as requested, closed by their
    /// approval. Fixed once the task exists (ServiceNow).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub approver: Option<UserId>,
}

impl TaskSpec {
    /// A task with a name and nothing else.
    pub fn new(name: impl Into<String>) -> Self {
        TaskSpec {
            name: name.into(),
            due: None,
            approver: None,
        }
    }

    /// The same task with a due date.
    #[must_use]
    pub fn due(mut self, date: NaiveDate) -> Self {
        self.due = Some(date);
        self
    }

    /// The same task as an approval task.
    #[must_use]
    pub fn approval(mut self, approver: UserId) -> Self {
        self.approver = Some(approver);
        self
    }
}

/// Reads a plan's zone (UTC when none is given).
pub(crate) fn zone_of(plan_name: &str, zone: Option<&str>) -> Result<Zone, Error> {
    match zone {
        None => Ok(Zone::Utc),
        Some(text) => Zone::parse(text).ok_or_else(|| Error::UnknownZone {
            release: plan_name.to_owned(),
            zone: text.to_owned(),
            allowed: Zone::ALLOWED,
        }),
    }
}

/// The first instant of `date` in `zone`.
pub(crate) fn day_start(zone: &Zone, date: NaiveDate) -> Option<DateTime<Utc>> {
    zone.first_at_or_after(date.and_time(NaiveTime::MIN))
}

/// The first instant after `date` (the start of the next date).
pub(crate) fn day_end(zone: &Zone, date: NaiveDate) -> Option<DateTime<Utc>> {
    day_start(zone, date.checked_add_days(Days::new(1))?)
}

/// The date `at` falls on in `zone`.
pub(crate) fn today(zone: &Zone, at: DateTime<Utc>) -> Option<NaiveDate> {
    zone.local(at).map(|t| t.date())
}

/// A holiday schedule indexed for lookups: dates and yearly days.
pub(crate) struct Holidays {
    dates: BTreeSet<NaiveDate>,
    yearly: BTreeSet<(u32, u32)>,
}

impl Holidays {
    pub(crate) fn new(holidays: &[Holiday]) -> Self {
        let mut dates = BTreeSet::new();
        let mut yearly = BTreeSet::new();
        for h in holidays {
            match h {
                Holiday::Date { date, .. } => {
                    dates.insert(*date);
                }
                Holiday::Yearly { month, day, .. } => {
                    yearly.insert((*month, *day));
                }
                _ => {}
            }
        }
        Holidays { dates, yearly }
    }

    /// Whether `date` is one of them.
    pub(crate) fn contains(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        self.dates.contains(&date) || self.yearly.contains(&(date.month(), date.day()))
    }

    /// `date` moved by `days`, then back to the last day that is not a holiday. `None`
    /// when the date leaves chrono's range or every day is a holiday.
    pub(crate) fn shift(&self, date: NaiveDate, days: i64) -> Option<NaiveDate> {
        let mut d = if days >= 0 {
            date.checked_add_days(Days::new(days.unsigned_abs()))?
        } else {
            date.checked_sub_days(Days::new(days.unsigned_abs()))?
        };
        // A run of consecutive holidays shorter than a year matches each holiday at most
        // once, so more steps than holidays (or than a leap year's days) means every day is
        // one.
        let bound = (self.dates.len() + self.yearly.len()).min(366);
        for _ in 0..=bound {
            if !self.contains(d) {
                return Some(d);
            }
            d = d.pred_opt()?;
        }
        None
    }
}

/// Checks a plan; returns its zone. `today` is the creation date in that zone: no key date
/// may be before it unless `allow_past` is set.
pub(crate) fn check(
    plan: &Plan,
    today_: Option<NaiveDate>,
    allow_past: bool,
) -> Result<Zone, Error> {
    let release = plan.name.as_str();
    if release.trim().is_empty() {
        return Err(Error::EmptyName { what: "release" });
    }
    let zone = zone_of(release, plan.zone.as_deref())?;
    if plan.phases.is_empty() {
        return Err(Error::NoPhases {
            release: release.to_owned(),
        });
    }
    let mut previous: Option<&PhaseSpec> = None;
    let mut names = BTreeSet::new();
    for (i, phase) in plan.phases.iter().enumerate() {
        if phase.name.trim().is_empty() {
            return Err(Error::EmptyPhaseName { index: i });
        }
        if !names.insert(phase.name.as_str()) {
            return Err(Error::DuplicatePhase {
                phase: phase.name.clone(),
            });
        }
        if plan.process == Process::Timeline && (phase.start.is_none() || phase.end.is_none()) {
            return Err(Error::MissingDates {
                phase: phase.name.clone(),
            });
        }
        if let (Some(s), Some(e)) = (phase.start, phase.end) {
            if e < s {
                return Err(Error::PhaseEndsBeforeStart {
                    phase: phase.name.clone(),
                    start: s,
                    end: e,
                });
            }
        }
        // Against the last phase with a start date (phases without dates between them
        // do not break the order).
        if let (Some(prev), Some(s)) = (previous, phase.start) {
            if let Some(prev_start) = prev.start.filter(|p| s < *p) {
                return Err(Error::PhasesOutOfOrder {
                    phase: phase.name.clone(),
                    start: s,
                    previous: prev.name.clone(),
                    previous_start: prev_start,
                });
            }
        }
        for (j, task) in phase.tasks.iter().enumerate() {
            if task.name.trim().is_empty() {
                return Err(Error::EmptyTaskName {
                    phase: phase.name.clone(),
                    index: j,
                });
            }
        }
        let mut checks = BTreeSet::new();
        for c in &phase.checks {
            check_name(&phase.name, c)?;
            if !checks.insert(c.as_str()) {
                return Err(Error::DuplicateCheck {
                    phase: phase.name.clone(),
                    check: c.clone(),
                });
            }
        }
        if phase.start.is_some() {
            previous = Some(phase);
        }
    }
    check_dates(plan, &zone)?;
    if let (Some(today), false) = (today_, allow_past) {
        check_not_past(plan, today)?;
    }
    Ok(zone)
}

/// No key date before today: the readiness target, the phases' dates, the tasks' due
/// dates (ServiceNow restricts "releases creation and retargeting with dates before today").
fn check_not_past(plan: &Plan, today: NaiveDate) -> Result<(), Error> {
    let past = |what: String, date: NaiveDate| Err(Error::DateInPast { what, date, today });
    if let Some(r) = plan.readiness.filter(|r| *r < today) {
        return past("the readiness target".to_owned(), r);
    }
    for p in &plan.phases {
        if let Some(s) = p.start.filter(|s| *s < today) {
            return past(format!("phase `{}`'s start date", Quoted(&p.name)), s);
        }
        if let Some(e) = p.end.filter(|e| *e < today) {
            return past(format!("phase `{}`'s end date", Quoted(&p.name)), e);
        }
        let due = p
            .tasks
            .iter()
            .find_map(|t| t.due.filter(|d| *d < today).map(|d| (t, d)));
        if let Some((t, d)) = due {
            return past(format!("task `{}`'s due date", Quoted(&t.name)), d);
        }
    }
    Ok(())
}

/// A check's name must not be empty.
pub(crate) fn check_name(phase: &str, check: &str) -> Result<(), Error> {
    if check.trim().is_empty() {
        return Err(Error::EmptyCheckName {
            phase: phase.to_owned(),
        });
    }
    Ok(())
}

/// Every key date of the plan has a first instant and a next date in its zone (a date at
/// chrono's ends may not), so the machine never meets a date it cannot place.
pub(crate) fn check_dates(plan: &Plan, zone: &Zone) -> Result<(), Error> {
    let dates = plan
        .readiness
        .into_iter()
        .chain(plan.phases.iter().flat_map(|p| {
            p.start
                .into_iter()
                .chain(p.end)
                .chain(p.tasks.iter().filter_map(|t| t.due))
        }));
    for d in dates {
        check_date(zone, d)?;
    }
    Ok(())
}

/// One key date: its start and its end have instants, and so do the dates a year either
/// side (notices count days back from it; the documented margin is the same at both ends).
pub(crate) fn check_date(zone: &Zone, date: NaiveDate) -> Result<(), Error> {
    let year = Days::new(MAX_NOTICE_DAYS.into());
    let ok = day_start(zone, date).is_some()
        && day_end(zone, date).is_some()
        && date
            .checked_sub_days(year)
            .and_then(|d| day_start(zone, d))
            .is_some()
        && date
            .checked_add_days(year)
            .and_then(|d| day_end(zone, d))
            .is_some();
    if ok {
        Ok(())
    } else {
        Err(Error::DateOutOfRange { date })
    }
}

/// The most days ahead a notice may be sent (the policy's `task_notice_days` and
/// `readiness_notice_days`).
pub const MAX_NOTICE_DAYS: u32 = 366;
