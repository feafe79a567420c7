//! Event management on a morning of monitoring signals: alerts, flapping, incidents, and the
//! graph's root cause of a burst of alerts.
//!
//! ```text
//! cargo run -p itsm-examples --bin alerts [-- SIGNALS.json [TOPOLOGY.json]]
//! ```
//!
//! 1. Each signal of the bundled stream (`examples/data/alerts/shop-signals.json`) goes
//!    through `itsm_alert::decide` at its arrival time, with ticks in between at
//!    `next_deadline` (flapping that went quiet ends, incidents fall due), and every event is
//!    printed.
//! 2. The alerts of a burst (opened within five minutes of each other; the largest burst),
//!    as the board stood when the last of them opened, are the alarms of `itsm-graph`'s
//!    root-cause query on the shop topology (`examples/data/shop-topology.json`): the configuration
//!    item whose failure explains most of them is the primary alert's, the others are
//!    secondary (ServiceNow's correlated alerts), and one incident would do where the rule
//!    asked for several.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use itsm_alert::{
    Actor, AlertId, Command, Context, Event, IncidentRule, Policy, Severity, Signal, State, UserId,
    decide, next_deadline,
};
use itsm_core::Quoted;
use itsm_graph::{Alarm, Graph, GraphSpec, RootCauseQuery};
use serde::Deserialize;

const DEFAULT_SIGNALS: &str = "examples/data/alerts/shop-signals.json";
const DEFAULT_TOPOLOGY: &str = "examples/data/shop-topology.json";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stream {
    #[allow(dead_code, reason = "documentation inside the data file")]
    notes: Vec<String>,
    day: NaiveDate,
    policy: PolicyChoice,
    signals: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyChoice {
    preset: String,
    #[serde(default)]
    incident: Option<IncidentRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    at: NaiveTime,
    #[serde(default = "nagios")]
    source: String,
    node: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    resource: String,
    severity: Severity,
    #[serde(default)]
    description: String,
}

fn nagios() -> String {
    "nagios".to_owned()
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("alerts: {e}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &PathBuf) -> Res<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()).into())
}

fn run() -> Res<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.len() > 2 {
        return Err("at most two files: SIGNALS.json and TOPOLOGY.json".into());
    }
    let signals_path = args
        .first()
        .cloned()
        .unwrap_or_else(|| DEFAULT_SIGNALS.into());
    let topology_path = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| DEFAULT_TOPOLOGY.into());
    let stream: Stream = serde_json::from_str(&read(&signals_path)?)
        .map_err(|e| format!("{} is not a signal stream: {e}", signals_path.display()))?;
    let spec: GraphSpec = serde_json::from_str(&read(&topology_path)?)
        .map_err(|e| format!("{} is not a graph spec: {e}", topology_path.display()))?;
    let graph = Graph::from_spec(&spec)?;
    let mut policy = match stream.policy.preset.as_str() {
        "servicenow" => Policy::servicenow(),
        "alerta" => Policy::alerta(),
        other => {
            return Err(format!(
                "unknown policy preset `{}`; use servicenow or alerta",
                Quoted(other)
            )
            .into());
        }
    };
    policy.incident = stream.policy.incident;
    policy.check()?;

    let system = Actor::new(UserId::from_u128(0), []);
    let mut state = State::new();
    let mut next_id = 1u128;
    let mut incidents: Vec<(DateTime<Utc>, AlertId)> = Vec::new();
    let mut burst: Option<Burst> = None;
    let mut current: Option<Burst> = None;
    let mut key_of: BTreeMap<AlertId, String> = BTreeMap::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    println!(
        "alerts: {} signals on {} from {} ({} nodes), policy {}",
        stream.signals.len(),
        stream.day,
        signals_path.display(),
        graph.node_count(),
        stream.policy.preset
    );

    let mut step = |state: &mut State, now: DateTime<Utc>, command: Command| -> Res<Vec<Event>> {
        let events = decide(state, &command, &Context::new(now, &system, &policy))?;
        state.apply(&events);
        for event in &events {
            if let Event::Opened { alert, key, .. } = event {
                key_of.insert(*alert, key.to_string());
            }
            let name = describe(event, &key_of, &mut incidents);
            *counts.entry(name.0).or_default() += 1;
            println!("  {} {:<22} {}", now.format("%H:%M"), name.0, name.1);
        }
        Ok(events)
    };

    for (index, entry) in stream.signals.iter().enumerate() {
        let now = stream.day.and_time(entry.at).and_utc();
        if state.last_at().is_some_and(|last| now < last) {
            return Err(format!(
                "signal {index} at {} comes before the one before it; give the signals in time order",
                entry.at
            )
            .into());
        }
        // Ticks due before this signal.
        while let Some(due) = next_deadline(&state, &policy).filter(|d| *d <= now) {
            step(&mut state, due, Command::Tick)?;
        }
        let signal = Signal::new(entry.source.clone(), entry.node.clone(), entry.severity)
            .with_kind(entry.kind.clone())
            .with_resource(entry.resource.clone())
            .with_description(entry.description.clone())
            .with_ci(entry.node.clone());
        next_id += 1;
        let events = step(
            &mut state,
            now,
            Command::ingest(signal, AlertId::from_u128(next_id)),
        )?;
        // Bursts: alerts opened within five minutes of a burst's first (ServiceNow groups
        // alerts by time as well as by the CMDB). The largest is correlated below.
        if let Some(&Event::Opened { alert, .. }) = events.first() {
            let joins = current
                .as_ref()
                .is_some_and(|b| now - b.at <= Duration::minutes(5));
            if !joins {
                if let Some(done) = current.take() {
                    keep_largest(&mut burst, done);
                }
                current = Some(Burst {
                    at: now,
                    members: Vec::new(),
                    alarms: Vec::new(),
                    active_cis: std::collections::BTreeSet::new(),
                });
            }
            if let Some(b) = current.as_mut() {
                b.members.push(alert);
                // The board as it stands when the burst's latest alert opened.
                b.alarms = b
                    .members
                    .iter()
                    .filter_map(|id| state.alert(*id))
                    .filter(|a| a.status().is_active())
                    .filter_map(|a| Some((a.key().to_string(), a.ci()?.to_owned(), a.severity())))
                    .collect();
                b.active_cis = state
                    .active()
                    .filter_map(|a| a.ci().map(str::to_owned))
                    .collect();
            }
        }
    }
    if let Some(done) = current.take() {
        keep_largest(&mut burst, done);
    }
    // The rest of the day's ticks.
    while let Some(due) = next_deadline(&state, &policy) {
        step(&mut state, due, Command::Tick)?;
    }

    let alerts = state.alerts().count();
    let repeats: u64 = state.alerts().map(|a| a.repeats()).sum();
    let reopens: u32 = state.alerts().map(|a| a.reopens()).sum();
    println!(
        "alerts: {} signals -> {alerts} alerts ({repeats} repeats, {reopens} reopenings, {} flapping, {} ignored), {} incidents requested",
        stream.signals.len(),
        counts.get("flapping started").copied().unwrap_or(0),
        counts.get("ignored").copied().unwrap_or(0),
        incidents.len()
    );

    if let Some(b) = burst {
        let keys: Vec<&str> = b.alarms.iter().map(|(key, _, _)| key.as_str()).collect();
        let alarms: Vec<Alarm> = b
            .alarms
            .iter()
            .map(|(_, ci, severity)| match severity {
                Severity::Critical => Alarm::outage(ci),
                _ => Alarm::at(ci, graph.outage().saturating_sub(1).max(1)),
            })
            .collect();
        println!(
            "burst at {}: {} alerts opened within five minutes: {}",
            b.at.format("%H:%M"),
            keys.len(),
            keys.join(", ")
        );
        // The graph ranks candidates by alarms explained, then by other business services
        // hit. The host knows more: which nodes are monitored. A candidate whose failure
        // would have taken down monitored nodes that stayed silent is less likely.
        let monitored: std::collections::BTreeSet<&str> =
            stream.signals.iter().map(|e| e.node.as_str()).collect();
        // Silent: monitored, and without an active alert when the burst's last alert opened.
        let alarmed = &b.active_cis;
        let mut ranked = Vec::new();
        for c in graph.root_causes_for(&RootCauseQuery::new(alarms.clone(), 5, 200))? {
            let radius = graph.blast_radius(&c.id)?;
            let silent = monitored
                .iter()
                .filter(|n| {
                    !alarmed.contains(**n)
                        && radius.severity(n).is_some_and(|s| s >= graph.outage())
                })
                .count();
            ranked.push((c, silent));
        }
        ranked.sort_by(|(a, sa), (b, sb)| {
            b.explains
                .len()
                .cmp(&a.explains.len())
                .then(sa.cmp(sb))
                .then(a.also_affects.cmp(&b.also_affects))
                .then(a.id.cmp(&b.id))
        });
        for (rank, (c, silent)) in ranked.iter().take(3).enumerate() {
            println!(
                "  root cause {}: {} explains {} of {} alarms, {silent} monitored nodes it would take down stayed silent, {} other business services hit",
                rank + 1,
                c.id,
                c.explains.len(),
                alarms.len(),
                c.also_affects
            );
        }
        if let Some((top, _)) = ranked.first() {
            let requested = incidents
                .iter()
                .filter(|(_, id)| b.members.contains(id))
                .count();
            println!(
                "primary alert: the failure of {} ({} of {} alarms explained); {requested} incidents requested for the burst's alerts, where one would do",
                top.id,
                top.explains.len(),
                alarms.len()
            );
        }
    }
    Ok(())
}

/// Alerts opened within five minutes of the first, and the board when the last of them
/// opened.
struct Burst {
    at: DateTime<Utc>,
    members: Vec<AlertId>,
    /// Each member still active then: its key, configuration item and severity.
    alarms: Vec<(String, String, Severity)>,
    /// The configuration items of every alert active then.
    active_cis: std::collections::BTreeSet<String>,
}

/// Keeps the larger of two bursts (the earlier on a tie).
fn keep_largest(best: &mut Option<Burst>, candidate: Burst) {
    if best
        .as_ref()
        .is_none_or(|b| candidate.members.len() > b.members.len())
    {
        *best = Some(candidate);
    }
}

/// An event's name and what it says.
fn describe(
    event: &Event,
    key_of: &BTreeMap<AlertId, String>,
    incidents: &mut Vec<(DateTime<Utc>, AlertId)>,
) -> (&'static str, String) {
    let key = |id: &AlertId| key_of.get(id).cloned().unwrap_or_else(|| id.to_string());
    match event {
        Event::Opened {
            key,
            severity,
            description,
            ..
        } => ("opened", format!("{key} {severity}: {description}")),
        Event::Updated {
            alert,
            severity,
            description,
            ..
        } => (
            "updated",
            format!("{} {severity}: {description}", key(alert)),
        ),
        Event::Repeated { alert, .. } => ("repeated", key(alert)),
        Event::Reopened {
            alert, severity, ..
        } => ("reopened", format!("{} {severity}", key(alert))),
        Event::Closed { alert, reason, .. } => ("closed", format!("{} ({reason:?})", key(alert))),
        Event::FlappingStarted { alert, count, .. } => (
            "flapping started",
            format!("{} after {count} reopenings", key(alert)),
        ),
        Event::FlappingEnded { alert, status, .. } => {
            ("flapping ended", format!("{} now {status}", key(alert)))
        }
        Event::Acknowledged { alert, .. } => ("acknowledged", key(alert)),
        Event::AcknowledgementUndone { alert, .. } => ("acknowledgement undone", key(alert)),
        Event::IncidentRequested {
            alert,
            severity,
            at,
            ..
        } => {
            incidents.push((*at, *alert));
            ("incident requested", format!("{} {severity}", key(alert)))
        }
        Event::Ignored { key, .. } => ("ignored", format!("{key}: a clear with nothing to close")),
    }
}
