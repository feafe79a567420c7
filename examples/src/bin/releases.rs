//! Release management for four releases: a timeline release in Berlin through a check
//! failure, an exception and a retarget around Good Friday; a stage release restarted after
//! a failed acceptance test; a main release waiting for the product it includes.
//!
//! ```text
//! cargo run -p itsm-examples --bin releases [-- RELEASES.json]
//! ```
//!
//! The bundled file is `examples/data/release/releases.json`: people and their roles, the
//! releases' plans (in `itsm-release`'s own JSON), and the steps: who sends which command
//! when (the commands' JSON), or a report (a tick, then the status, risk and next deadline).

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use itsm_release::{
    Actor, Command, Context, Event, Factors, Plan, Policy, Release, ReleaseId, Role, State,
    TaskRef, UserId, decide, next_deadline, risk,
};
use serde::Deserialize;

const DEFAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/release/releases.json");

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseEntry {
    key: String,
    #[serde(default)]
    main: Option<String>,
    plan: Plan,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    at: DateTime<Utc>,
    release: String,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    command: Option<Command>,
    #[serde(default)]
    report: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    people: BTreeMap<String, UserId>,
    #[serde(default)]
    roles: BTreeMap<String, Vec<Role>>,
    #[serde(default)]
    policy: Option<Policy>,
    releases: Vec<ReleaseEntry>,
    steps: Vec<Step>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("releases: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One release as the example drives it.
struct Tracked {
    key: String,
    main: Option<String>,
    zone: Tz,
    plan: Plan,
    state: State,
}

fn run() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [] => PathBuf::from(DEFAULT),
        [p] => PathBuf::from(p),
        _ => return Err("usage: releases [RELEASES.json]".into()),
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: File = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let policy = file.policy.clone().unwrap_or_default();
    policy.check()?;
    let names: BTreeMap<UserId, &str> = file
        .people
        .iter()
        .map(|(name, id)| (*id, name.as_str()))
        .collect();
    let actor = |name: &str| -> Res<Actor> {
        let id = file
            .people
            .get(name)
            .ok_or_else(|| format!("unknown person `{name}`"))?;
        let roles = file.roles.get(name).cloned().unwrap_or_default();
        Ok(Actor::new(*id, roles))
    };
    let mut releases: Vec<Tracked> = Vec::new();
    for r in &file.releases {
        let zone = match r.plan.zone.as_deref() {
            None => Tz::UTC,
            Some(z) => z
                .parse::<Tz>()
                .map_err(|_| format!("release `{}`: unknown zone `{z}`", r.key))?,
        };
        releases.push(Tracked {
            key: r.key.clone(),
            main: r.main.clone(),
            zone,
            plan: r.plan.clone(),
            state: State::new(),
        });
    }
    let creator = file
        .roles
        .iter()
        .find(|(_, roles)| roles.iter().any(|r| policy.managers.contains(r)))
        .map(|(name, _)| name.clone())
        .ok_or("nobody holds a manager role to create the releases")?;
    let creator = actor(&creator)?;

    for (n, step) in file.steps.iter().enumerate() {
        let index = releases
            .iter()
            .position(|r| r.key == step.release)
            .ok_or_else(|| format!("step {n}: unknown release `{}`", step.release))?;
        let progress_of = |key: &str| {
            releases
                .iter()
                .find(|r| r.key == key)
                .and_then(|r| r.state.release())
                .map_or(0, Release::progress)
        };
        let main_progress = releases
            .get(index)
            .and_then(|r| r.main.as_deref())
            .map(progress_of);
        let included: Vec<usize> = releases
            .iter()
            .filter(|r| r.main.as_deref() == Some(step.release.as_str()))
            .map(|r| r.state.release().map_or(0, Release::progress))
            .collect();
        let Some(tracked) = releases.get_mut(index) else {
            continue;
        };
        let zone = tracked.zone;
        if tracked.state.release().is_none() {
            let ctx = Context::new(step.at, &creator, &policy);
            let id = ReleaseId::from_u128(index as u128 + 1);
            let events = decide(
                &tracked.state,
                &Command::create(id, tracked.plan.clone()),
                &ctx,
            )
            .map_err(|e| format!("release `{}`: {e}", tracked.key))?;
            tracked.state.apply(&events);
            println!("{} created {}", stamp(&zone, step.at), tracked.plan.name);
        }
        let (who, command) = match (&step.by, &step.command, step.report) {
            (Some(by), Some(c), false) => (actor(by)?, c.clone()),
            (_, None, true) => (creator.clone(), Command::Tick),
            _ => {
                return Err(format!("step {n}: give `by` and `command`, or `report: true`").into());
            }
        };
        let mut ctx = Context::new(step.at, &who, &policy).with_included(&included);
        if let Some(m) = main_progress {
            ctx = ctx.included_in(m);
        }
        let name = tracked.plan.name.clone();
        if !step.report {
            let by = names.get(&who.user).copied().unwrap_or("?");
            println!(
                "{} {name}: {by} {}",
                stamp(&zone, step.at),
                command.name().replace('_', " ")
            );
        } else {
            println!("{} {name}: report", stamp(&zone, step.at));
        }
        match decide(&tracked.state, &command, &ctx) {
            Ok(events) => {
                tracked.state.apply(&events);
                let Some(r) = tracked.state.release() else {
                    continue;
                };
                for e in &events {
                    println!("  {} {}", stamp(&zone, e.at()), describe(r, e, &names));
                }
                if matches!(command, Command::Retarget { .. }) {
                    println!("  dates: {}", dates(r));
                }
            }
            Err(e) => println!("  refused: {e}"),
        }
        if step.report {
            if let Some(r) = tracked.state.release() {
                report(r, &tracked.state, step.at, &policy, &zone);
            }
        }
    }
    println!();
    for t in &releases {
        if let Some(r) = t.state.release() {
            println!(
                "{}: {}, {} of {} phases completed{}",
                r.name(),
                r.status(),
                r.progress(),
                r.phases().len(),
                r.review()
                    .map(|n| format!("; review: {n}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// An instant on the release's wall clock.
fn stamp(zone: &Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(zone).format("%a %d %b %H:%M").to_string()
}

fn day(d: NaiveDate) -> String {
    d.format("%a %d %b").to_string()
}

fn task_name(r: &Release, at: TaskRef) -> String {
    r.phases()
        .get(at.phase)
        .and_then(|p| {
            p.tasks()
                .get(at.task)
                .map(|t| format!("{}/{}", p.name(), t.name()))
        })
        .unwrap_or_else(|| format!("{}/{}", at.phase, at.task))
}

fn phase_name(r: &Release, i: usize) -> String {
    r.phases()
        .get(i)
        .map_or_else(|| i.to_string(), |p| p.name().to_owned())
}

fn describe(r: &Release, e: &Event, names: &BTreeMap<UserId, &str>) -> String {
    let who = |u: &UserId| names.get(u).copied().unwrap_or("?").to_owned();
    match e {
        Event::Created { .. } => "created".into(),
        Event::Started { .. } => "release started".into(),
        Event::PhaseStarted { phase, .. } => format!("phase {} started", phase_name(r, *phase)),
        Event::TasksOpened { tasks, .. } => {
            let list: Vec<String> = tasks
                .iter()
                .map(|t| {
                    let requested = r
                        .phases()
                        .get(t.phase)
                        .and_then(|p| p.tasks().get(t.task))
                        .is_some_and(|x| x.approver().is_some());
                    let name = task_name(r, *t);
                    if requested {
                        format!("{name} (approval requested)")
                    } else {
                        name
                    }
                })
                .collect();
            format!("opened {}", list.join(", "))
        }
        Event::TaskStarted { task, by, .. } => {
            format!("{} in progress ({})", task_name(r, *task), who(by))
        }
        Event::TaskClosed {
            task, outcome, by, ..
        } => format!(
            "{} closed {} ({})",
            task_name(r, *task),
            format!("{outcome:?}").to_lowercase(),
            who(by)
        ),
        Event::TaskApproved { task, by, .. } => {
            format!("{} approved by {}", task_name(r, *task), who(by))
        }
        Event::TaskRejected {
            task, reason, by, ..
        } => format!("{} rejected by {}: {reason}", task_name(r, *task), who(by)),
        Event::TaskRerequested { task, .. } => {
            format!("{} requested again", task_name(r, *task))
        }
        Event::TaskAdded { phase, task, .. } => {
            format!("task {} added to {}", task.name, phase_name(r, *phase))
        }
        Event::CheckMapped { phase, check, .. } => {
            format!("check {check} mapped to {}", phase_name(r, *phase))
        }
        Event::CheckUnmapped { phase, check, .. } => {
            format!("check {check} removed from {}", phase_name(r, *phase))
        }
        Event::ChecksRequested { checks, .. } => format!("running {}", checks.join(", ")),
        Event::CheckRecorded { check, status, .. } => format!("check {check}: {status}"),
        Event::ExceptionGranted { check, to, .. } => {
            format!("exception for {check} until {}", to.format("%d %b"))
        }
        Event::PhaseCompleted {
            phase, forced, by, ..
        } => {
            let how = match (by, forced) {
                (None, _) => String::new(),
                (Some(u), false) => format!(" by {}", who(u)),
                (Some(u), true) => format!(" by {}, checks overridden", who(u)),
            };
            format!("phase {} completed{how}", phase_name(r, *phase))
        }
        Event::Restarted { from, current, .. } => format!(
            "restarted from {}{}",
            phase_name(r, *from),
            current
                .map(|c| format!(" ({} was in progress)", phase_name(r, c)))
                .unwrap_or_default()
        ),
        Event::Retargeted { from, to, days, .. } => format!(
            "readiness target {} -> {} (key dates moved {days} days)",
            from.map_or_else(|| "none".to_owned(), day),
            day(*to)
        ),
        Event::PhaseEndReached { phase, .. } => {
            format!(
                "phase {} reached its end date not done",
                phase_name(r, *phase)
            )
        }
        Event::TaskDueSoon { task, due, .. } => {
            format!("{} due {}", task_name(r, *task), day(*due))
        }
        Event::ReadinessNear { readiness, .. } => {
            format!("readiness target {} is near", day(*readiness))
        }
        Event::ReviewStarted { .. } => "review started".into(),
        Event::ReviewFinished { notes, .. } => format!("review: {notes}"),
        Event::Completed { .. } => "release completed".into(),
        Event::Canceled { reason, .. } => format!("release canceled: {reason}"),
        _ => format!("{e:?}"),
    }
}

fn dates(r: &Release) -> String {
    r.phases()
        .iter()
        .map(|p| match (p.start(), p.end()) {
            (Some(s), Some(e)) => format!("{} {} - {}", p.name(), day(s), day(e)),
            _ => p.name().to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn report(r: &Release, state: &State, now: DateTime<Utc>, policy: &Policy, zone: &Tz) {
    match r.current() {
        Some((i, p)) => println!(
            "  status {}, phase {} ({} of {})",
            r.status(),
            p.name(),
            i + 1,
            r.phases().len()
        ),
        None => println!("  status {}", r.status()),
    }
    let score = risk(state, now, policy);
    match score.factors {
        Factors::Timeline {
            tasks,
            overdue,
            overdue_score,
            checks,
            failed,
            failure_score,
            elapsed_days,
            total_days,
            ..
        } => println!(
            "  risk {} ({}): {overdue} of {tasks} tasks overdue (score {overdue_score}), {failed} of {checks} checks failed (score {failure_score}), day {elapsed_days} of {total_days}",
            score.score,
            score
                .level
                .map_or("-".to_owned(), |l| format!("{l:?}").to_lowercase())
        ),
        Factors::Stage {
            tasks,
            closed,
            runs,
            non_compliant,
            days_remaining,
            ..
        } => println!(
            "  risk {}: {closed} of {tasks} tasks closed, {non_compliant} of {runs} check runs non-compliant, {}",
            score.score,
            days_remaining.map_or("no readiness target".to_owned(), |d| format!(
                "{d} days to the readiness target"
            ))
        ),
        _ => println!("  risk {}", score.score),
    }
    match next_deadline(state, policy) {
        Some(d) => println!("  next: {}", stamp(zone, d)),
        None => println!("  next: nothing due"),
    }
}
