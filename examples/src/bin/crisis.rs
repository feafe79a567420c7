//! An actual crisis run through its recovery plans: a flooded data centre, a failover plan
//! whose database task runs a referred plan, customer communications beside it, an automated
//! DNS switch that fails and is re-triggered by hand, a submission refused while a plan is
//! open, an ad-hoc task, and each asset checked against its recovery time objective.
//!
//! ```text
//! cargo run -p itsm-examples --bin crisis [-- CRISIS.json]
//! ```
//!
//! The bundled file is `examples/data/crisis/crisis.json`: people and their roles, an
//! optional policy, and the steps: who sends which command when (the commands' JSON, the
//! first one a `create` with the event's spec in `itsm-crisis`'s own JSON), a report, or
//! the planned timeline from the step's time (each asset's planned recovery against its RTO,
//! to compare with what happened).

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use itsm_crisis::{
    Actor, Command, Context, Crisis, Event, Policy, Role, State, TaskRef, UserId, decide,
};
use serde::Deserialize;

const DEFAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/crisis/crisis.json");

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    at: DateTime<Utc>,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    command: Option<Command>,
    #[serde(default)]
    report: bool,
    /// Print the planned timeline from this step's time.
    #[serde(default)]
    planned: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    people: BTreeMap<String, UserId>,
    #[serde(default)]
    roles: BTreeMap<String, Vec<Role>>,
    #[serde(default)]
    policy: Option<Policy>,
    steps: Vec<Step>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crisis: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [] => PathBuf::from(DEFAULT),
        [p] => PathBuf::from(p),
        _ => return Err("usage: crisis [CRISIS.json]".into()),
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
    let mut state = State::new();
    for (n, step) in file.steps.iter().enumerate() {
        let time = step.at.format("%H:%M");
        if step.planned {
            match state.crisis() {
                Some(crisis) => planned(crisis, step.at)?,
                None => println!("{time} planned: no event yet"),
            }
            continue;
        }
        if step.report {
            match state.crisis() {
                Some(crisis) => report(crisis, step.at)?,
                None => println!("{time} report: no event yet"),
            }
            continue;
        }
        let (Some(by), Some(command)) = (&step.by, &step.command) else {
            return Err(format!(
                "step {n}: give `by` and `command`, `report: true` or `planned: true`"
            )
            .into());
        };
        let id = file
            .people
            .get(by)
            .ok_or_else(|| format!("step {n}: unknown person `{by}`"))?;
        let who = Actor::new(*id, file.roles.get(by).cloned().unwrap_or_default());
        let what = match command {
            Command::Create { spec, .. } => format!("create \"{}\"", spec.name),
            c => match task_of(c) {
                Some(t) => format!("{} {}", c.name().replace('_', " "), label(&state, t)),
                None => c.name().replace('_', " "),
            },
        };
        println!("{time} {by}: {what}");
        match decide(&state, command, &Context::new(step.at, &who, &policy)) {
            Ok(events) => {
                state.apply(&events);
                if let Some(crisis) = state.crisis() {
                    for e in &events {
                        if let Some(line) = describe(crisis, e, &names) {
                            println!("  {line}");
                        }
                    }
                }
            }
            Err(e) => println!("  refused: {e}"),
        }
    }
    Ok(())
}

fn task_of(command: &Command) -> Option<TaskRef> {
    match command {
        Command::Trigger { task }
        | Command::Work { task, .. }
        | Command::Close { task, .. }
        | Command::Skip { task }
        | Command::Retrigger { task }
        | Command::RetriggerAutomation { task }
        | Command::Assign { task, .. } => Some(*task),
        _ => None,
    }
}

/// `#plan/task "name"`, the name when the task exists.
fn label(state: &State, task: TaskRef) -> String {
    let name = state
        .crisis()
        .and_then(|c| c.task(task))
        .map(|t| format!(" \"{}\"", t.name))
        .unwrap_or_default();
    format!("#{}/{}{name}", task.plan, task.task)
}

fn plan_label(crisis: &Crisis, plan: u32) -> String {
    let name = crisis.plan(plan).map_or("?", |p| p.name.as_str());
    format!("plan #{plan} \"{name}\"")
}

fn describe(crisis: &Crisis, event: &Event, names: &BTreeMap<UserId, &str>) -> Option<String> {
    let who = |u: &UserId| names.get(u).copied().unwrap_or("?");
    let task = |t: &TaskRef| {
        let name = crisis.task(*t).map_or("?", |x| x.name.as_str());
        format!("#{}/{} \"{name}\"", t.plan, t.task)
    };
    Some(match event {
        Event::Created { activated, .. } => {
            let plans: Vec<String> = (0u32..)
                .zip(activated)
                .map(|(n, a)| format!("{} ({}, level {})", plan_label(crisis, n), a.kind, a.level))
                .collect();
            format!("activated {}", plans.join(", "))
        }
        Event::Started { circular, .. } if circular.is_empty() => "started".to_owned(),
        Event::Started { circular, .. } => {
            let named: Vec<String> = circular.iter().map(task).collect();
            format!("started; trigger by hand: {}", named.join(", "))
        }
        Event::PlanOpened { plan, .. } => format!("{} open", plan_label(crisis, *plan)),
        Event::PlanStarted { plan, .. } => format!("{} in progress", plan_label(crisis, *plan)),
        Event::PlanClosed { plan, outcome, .. } => {
            format!("{} closed {outcome}", plan_label(crisis, *plan))
        }
        Event::PlanReopened { plan, .. } => format!("{} reopened", plan_label(crisis, *plan)),
        Event::TaskTriggered { task: t, .. } => format!("{} triggered", task(t)),
        Event::AutomationRequested { task: t, .. } => format!("{} automation requested", task(t)),
        Event::TaskStarted { task: t, .. } => format!("{} in progress", task(t)),
        Event::TaskClosed {
            task: t, status, ..
        } => {
            format!("{} {}", task(t), status.name().replace('_', " "))
        }
        Event::BackupNotified { task: t, user, .. } => {
            format!("{} failed: backup {} told", task(t), who(user))
        }
        Event::TaskRetriggered { task: t, .. } => {
            format!("{} re-triggered as a manual task", task(t))
        }
        Event::TaskAssigned { task: t, user, .. } => {
            format!("{} assigned to {}", task(t), who(user))
        }
        Event::TaskAdded { task: t, .. } => format!("{} added", task(t)),
        Event::ResultRecorded { result, .. } => format!("result: {result}"),
        Event::Submitted { .. } => "submitted for approval".to_owned(),
        Event::Approved { by, .. } => format!("approved by {}", who(by)),
        Event::Returned { by, .. } => format!("returned by {}", who(by)),
        Event::Closed { outcome, .. } => format!("event closed {outcome}"),
        Event::Canceled { .. } => "event canceled".to_owned(),
        _ => return None,
    })
}

/// The planned timeline from `start`: each plan's planned end, each asset's planned
/// recovery against its RTO.
fn planned(crisis: &Crisis, start: DateTime<Utc>) -> Res<()> {
    let planned = crisis.planned(start)?;
    println!(
        "{} planned from {}:",
        start.format("%H:%M"),
        start.format("%H:%M")
    );
    for (n, span) in (0u32..).zip(&planned.plans) {
        let end = span.map_or("never (a circular dependency)".to_owned(), |s| {
            s.end.format("%H:%M").to_string()
        });
        println!("  {} ends {end}", plan_label(crisis, n));
    }
    recoveries(crisis, &planned, start, "")
}

/// Each asset's planned or forecast recovery against its RTO from `start`.
fn recoveries(
    crisis: &Crisis,
    planned: &itsm_crisis::Planned,
    start: DateTime<Utc>,
    prefix: &str,
) -> Res<()> {
    let rto: BTreeMap<&str, chrono::Duration> = crisis
        .assets
        .iter()
        .filter_map(|a| Some((a.name.as_str(), a.rto?)))
        .collect();
    for asset in &planned.assets {
        let back = asset.back.map_or("never".to_owned(), |b| {
            format!(
                "{} ({})",
                b.format("%H:%M"),
                hm(b.signed_duration_since(start))
            )
        });
        let verdict = match (asset.within_rto, rto.get(asset.name.as_str())) {
            (Some(true), Some(r)) => format!(", within its RTO of {}", hm(*r)),
            (Some(false), Some(r)) => format!(", PAST its RTO of {}", hm(*r)),
            _ => String::new(),
        };
        println!("  {prefix}asset {} back {back}{verdict}", asset.name);
    }
    Ok(())
}

fn hm(d: chrono::Duration) -> String {
    format!("{}h{:02}", d.num_hours(), d.num_minutes() % 60)
}

fn report(crisis: &Crisis, at: DateTime<Utc>) -> Res<()> {
    println!(
        "{} report: event {}",
        at.format("%H:%M"),
        crisis.status.name().replace('_', " ")
    );
    for (n, plan) in (0u32..).zip(&crisis.plans) {
        let progress = plan.progress()?;
        let effort = progress.effort.map_or("-".to_owned(), hm);
        let taken = progress.time_taken.map_or("-".to_owned(), hm);
        println!(
            "  {} {}: effort {effort}, time taken {taken}",
            plan_label(crisis, n),
            plan.status.name().replace('_', " ")
        );
    }
    for asset in crisis.assets()? {
        let back = match (asset.recovered_at, crisis.started) {
            (Some(t), Some(s)) => format!(" after {}", hm(t.signed_duration_since(s))),
            _ => String::new(),
        };
        let rto = match (asset.rto, asset.within_rto) {
            (Some(rto), Some(true)) => format!(", within its RTO of {}", hm(rto)),
            (Some(rto), Some(false)) => format!(", MISSED its RTO of {}", hm(rto)),
            (Some(rto), None) => format!(", RTO {}", hm(rto)),
            (None, _) => String::new(),
        };
        println!(
            "  asset {}: {}{back}{rto}",
            asset.name,
            asset.status.name().replace('_', " ")
        );
    }
    // While the event runs, where it stands says when each asset will be back.
    if let (itsm_crisis::Status::WorkInProgress, Some(start)) = (crisis.status, crisis.started) {
        recoveries(crisis, &crisis.forecast(at)?, start, "forecast: ")?;
    }
    Ok(())
}
