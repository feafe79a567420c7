//! The guided tour: an incident's whole life on bundled data (`examples/data/tour.json`),
//! printing every command, the events it produced, and why.
//!
//! Run it with `cargo run -p itsm-examples --bin tour`. Pass another script as the first
//! argument to tour your own scenario.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::error::Error as StdError;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use itsm_core::{Actor, Role, UserId};
use itsm_examples::sla_replay::SlaConfig;
use itsm_incident::{
    Command, Context, Event, Policy, decide, evolve, follow_up, next_deadline, sync_children,
};
use itsm_incident::{IncidentId, State, Status};
use itsm_sla::{TicketView, Timeline};
use serde::Deserialize;

#[derive(Deserialize)]
struct Script {
    title: String,
    actors: BTreeMap<String, ActorSpec>,
    incidents: BTreeMap<String, IncidentId>,
    steps: Vec<Step>,
    #[serde(default)]
    sla: Option<SlaConfig>,
}

#[derive(Deserialize)]
struct ActorSpec {
    id: UserId,
    roles: Vec<Role>,
}

#[derive(Deserialize)]
struct Step {
    at: DateTime<Utc>,
    actor: String,
    incident: String,
    #[serde(default)]
    say: Option<String>,
    #[serde(default)]
    command: Option<Command>,
    #[serde(default)]
    wait_for_deadline: bool,
    /// The closed incident this step's `report` follows up (the caller asked to reopen it).
    #[serde(default)]
    follow_up_of: Option<String>,
}

struct Desk {
    policy: Policy,
    names: BTreeMap<IncidentId, String>,
    states: BTreeMap<IncidentId, State>,
    system: Actor,
    /// Each incident's views after every change, for the SLA replay.
    history: BTreeMap<IncidentId, Timeline>,
}

impl Desk {
    fn name(&self, id: IncidentId) -> &str {
        self.names.get(&id).map_or("?", String::as_str)
    }

    fn state(&self, id: IncidentId) -> State {
        self.states.get(&id).cloned().unwrap_or(State::Unreported)
    }

    /// Runs one command on one incident, prints what happened, and follows the parent/child
    /// sync down to the children.
    fn run(
        &mut self,
        id: IncidentId,
        command: &Command,
        actor: &Actor,
        now: DateTime<Utc>,
        depth: usize,
    ) {
        let pad = "   ".repeat(depth + 1);
        let state = self.state(id);
        let json = serde_json::to_string(command).unwrap_or_else(|e| format!("<{e}>"));
        println!("{pad}> {} {json}", self.name(id));
        let ctx = Context::new(now, actor, &self.policy);
        match decide(&state, command, &ctx) {
            Err(e) => println!("{pad}< rejected: {e}"),
            Ok(events) if events.is_empty() => println!("{pad}< no events (nothing to do yet)"),
            Ok(events) => {
                let mut next = state;
                for event in &events {
                    println!("{pad}< {}", describe(event));
                    for line in explain(event, &self.policy) {
                        println!("{pad}  why: {line}");
                    }
                    next = evolve(next, event);
                }
                let children: Vec<State> = next
                    .incident()
                    .map(|i| i.links().children.iter().map(|c| self.state(*c)).collect())
                    .unwrap_or_default();
                println!("{pad}  state: {}", summary(&next));
                if let Some(view) = ticket_view(&next) {
                    self.history.entry(id).or_default().push((now, view));
                }
                self.states.insert(id, next);
                for event in &events {
                    let follow = sync_children(event, &self.policy, &children);
                    if !follow.is_empty() {
                        println!(
                            "{pad}  sync: the parent's `{}` reaches {} child(ren)",
                            event.name(),
                            follow.len()
                        );
                    }
                    let system = self.system.clone();
                    for (child, cmd) in follow {
                        self.run(child, &cmd, &system, now, depth + 1);
                    }
                }
            }
        }
    }
}

fn describe(event: &Event) -> String {
    let detail = match event {
        Event::Reported {
            priority, report, ..
        } => {
            format!(
                "priority {} for impact {} / urgency {}",
                priority.0, report.impact.0, report.urgency.0
            )
        }
        Event::Assigned { reassignment, .. } => {
            if *reassignment {
                "counted as a reassignment".into()
            } else {
                "first assignment".into()
            }
        }
        Event::PutOnHold { reason, .. } => format!("reason {reason}"),
        Event::Reprioritized { priority, .. } => format!("priority now {}", priority.0),
        Event::Escalated { kind, level, .. } => format!("{kind} level {level}"),
        Event::Resolved { resolution, .. } => format!("code {}", resolution.code),
        Event::Reopened { by_support, .. } => {
            if *by_support {
                "by support staff".into()
            } else {
                "by the caller (self-service)".into()
            }
        }
        Event::Closed { auto, .. } => {
            if *auto {
                "automatically".into()
            } else {
                "by hand".into()
            }
        }
        Event::MajorProposed {
            trigger: Some(rule),
            ..
        } => format!("a candidate, by trigger rule {rule}"),
        Event::MajorProposed { reason, .. } => format!("a candidate: {reason}"),
        Event::MajorDeclared { reason, .. } => format!("a major incident: {reason}"),
        Event::MajorRejected { reason, .. } => format!("candidate rejected: {reason}"),
        Event::Linked { link, .. } => serde_json::to_value(link)
            .ok()
            .and_then(|v| {
                Some(format!(
                    "{} {}",
                    v.get("kind")?.as_str()?,
                    v.get("id")?.as_str()?
                ))
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    if detail.is_empty() {
        event.name().to_owned()
    } else {
        format!("{} ({detail})", event.name())
    }
}

/// The policy rules behind an event, in words.
fn explain(event: &Event, policy: &Policy) -> Vec<String> {
    match event {
        Event::Reported { explanation, .. } | Event::Reprioritized { explanation, .. } => {
            vec![explanation.to_string()]
        }
        Event::PutOnHold { reason, .. } => policy
            .hold_rule(reason)
            .map(|r| {
                vec![format!(
                    "hold reason `{reason}` {} comment, {} cleared by the caller's response, and {} to child incidents",
                    if r.comment_required { "needs a" } else { "needs no" },
                    if r.cleared_by_caller { "is" } else { "is not" },
                    if r.propagates_to_children { "propagates" } else { "does not propagate" },
                )]
            })
            .unwrap_or_default(),
        Event::Reopened { by_support, .. } => vec![if *by_support {
            "reopened by support: resolved children reopen too".into()
        } else {
            "reopened by a self-service caller: children stay as they are (ServiceNow)".into()
        }],
        Event::Closed { auto: true, .. } => vec![format!(
            "auto-close after {} days from resolution; major incidents never auto-close",
            policy.auto_close_after.map_or(0, |d| d.num_days())
        )],
        _ => Vec::new(),
    }
}

/// The practice-neutral view SLA conditions look at.
fn ticket_view(state: &State) -> Option<TicketView> {
    let incident = state.incident()?;
    let kind = state.kind();
    let mut view = TicketView::new(kind.name(), kind.category());
    view.priority = Some(incident.priority().0);
    Some(view)
}

fn sla_section(desk: &Desk, config: &SlaConfig) -> Result<(), Box<dyn StdError>> {
    println!();
    println!("SLA clocks (itsm-sla), replaying each incident's timeline:");
    for note in &config.notes {
        println!("   {note}");
    }
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?;
    let to = NaiveDate::from_ymd_opt(2027, 1, 1).ok_or("date")?;
    let (definitions, calendars) = config.compile(from, to)?;
    for (id, timeline) in &desk.history {
        let until = timeline.last().map(|(t, _)| *t);
        let replay = itsm_sla::replay(timeline, &definitions, &calendars, until)?;
        println!("   {}:", desk.name(*id));
        for event in &replay.events {
            println!("      {}", sla_event(event));
        }
        for clock in replay.clocks.clocks() {
            let m = itsm_sla::measure(
                clock,
                until.unwrap_or(clock.start()),
                &definitions,
                &calendars,
            )?;
            println!(
                "      {} cycle {}: {:?}{}, business time used {}m of target, paused {}m, deadline {} (originally {})",
                clock.definition(),
                clock.cycle(),
                clock.stage(),
                match (clock.is_breached(), clock.stage()) {
                    (true, _) => ", breached",
                    (false, itsm_sla::Stage::Completed) => ", met",
                    (false, _) => ", within target so far",
                },
                m.business_elapsed.num_minutes(),
                m.business_paused.num_minutes(),
                clock.deadline().format("%a %H:%M"),
                clock.original_deadline().format("%a %H:%M"),
            );
        }
    }
    Ok(())
}

fn sla_event(event: &itsm_sla::Event) -> String {
    use itsm_sla::Event as E;
    let t = |at: &DateTime<Utc>| at.format("%a %H:%M").to_string();
    match event {
        E::Attached { clock } => format!(
            "{} {} attached, counting from {}, due {}",
            t(&clock.attached_at()),
            clock.definition(),
            t(&clock.start()),
            t(&clock.deadline())
        ),
        E::Paused { definition, at, .. } => format!("{} {definition} paused", t(at)),
        E::Resumed {
            definition,
            at,
            deadline,
            reopened,
            ..
        } => format!(
            "{} {definition} {}, due {}",
            t(at),
            if *reopened {
                "continues after the reopen (time resolved counted as paused)"
            } else {
                "resumed"
            },
            t(deadline)
        ),
        E::ThresholdReached {
            definition,
            percent,
            at,
            ..
        } => format!("{} {definition} reached {percent}%", t(at)),
        E::Breached { definition, at, .. } => format!("{} {definition} BREACHED", t(at)),
        E::EscalationDue {
            definition,
            name,
            at,
            ..
        } => format!("{} {definition} escalation `{name}` due", t(at)),
        E::Completed {
            definition,
            at,
            breached,
            ..
        } => format!(
            "{} {definition} completed{}",
            t(at),
            if *breached { " late" } else { " in time" }
        ),
        E::Canceled { definition, at, .. } => format!("{} {definition} canceled", t(at)),
        E::Retargeted {
            definition,
            to,
            at,
            deadline,
            ..
        } => format!(
            "{} {definition} now runs to {to}'s goal, due {}",
            t(at),
            t(deadline)
        ),
    }
}

impl Desk {
    /// Plans the follow-up of the closed incident `of` from the caller's `request`, prints
    /// the plan, and runs it: the report as the caller, the rest as the system.
    fn follow_up(
        &mut self,
        of: IncidentId,
        request: &itsm_incident::Report,
        caller: &Actor,
        now: DateTime<Utc>,
    ) {
        match follow_up(&self.state(of), request.clone(), &self.policy) {
            Err(e) => println!("   follow-up refused: {e}"),
            Ok(plan) => {
                let copied: Vec<String> = self
                    .policy
                    .follow_up
                    .copy
                    .iter()
                    .map(|f| {
                        serde_json::to_string(f)
                            .unwrap_or_default()
                            .replace('"', "")
                    })
                    .collect();
                println!(
                    "   follow_up({}): a new incident, {} copied, then {} command(s)",
                    self.name(of),
                    copied.join(", "),
                    plan.then.len()
                );
                self.run(
                    request.id,
                    &Command::Report(Box::new(plan.report)),
                    caller,
                    now,
                    0,
                );
                let system = self.system.clone();
                for command in &plan.then {
                    self.run(request.id, command, &system, now, 0);
                }
            }
        }
    }
}

fn summary(state: &State) -> String {
    let Some(i) = state.incident() else {
        return "unreported".into();
    };
    let status = match i.status() {
        Status::OnHold { reason, .. } => format!("on_hold ({reason})"),
        other => other.kind().to_string(),
    };
    format!(
        "{status}, priority {}, reassignments {}, reopens {}, major incident state {}",
        i.priority().0,
        i.reassignment_count(),
        i.reopen_count(),
        i.major_state()
    )
}

fn main() -> Result<(), Box<dyn StdError>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/data/tour.json").to_owned());
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let script: Script = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let actors: BTreeMap<String, Actor> = script
        .actors
        .into_iter()
        .map(|(name, spec)| (name, Actor::new(spec.id, spec.roles)))
        .collect();
    let system = actors
        .get("system")
        .cloned()
        .ok_or("the script needs an actor named `system`")?;
    let mut desk = Desk {
        policy: Policy::servicenow(),
        names: script
            .incidents
            .iter()
            .map(|(n, id)| (*id, n.clone()))
            .collect(),
        states: BTreeMap::new(),
        system,
        history: BTreeMap::new(),
    };
    println!("itsm-rs tour: {}", script.title);
    println!(
        "policy: ServiceNow's documented model (matrix `{}`)",
        desk.policy.matrix.name()
    );
    for (n, step) in script.steps.iter().enumerate() {
        let actor = actors
            .get(&step.actor)
            .ok_or_else(|| format!("step {}: unknown actor {}", n + 1, step.actor))?;
        let id = *script
            .incidents
            .get(&step.incident)
            .ok_or_else(|| format!("step {}: unknown incident {}", n + 1, step.incident))?;
        let roles: Vec<&str> = actor.roles.iter().map(Role::as_str).collect();
        println!();
        println!(
            "step {} · {} · {} ({})",
            n + 1,
            step.at.format("%Y-%m-%d %H:%M UTC"),
            step.actor,
            roles.join(", ")
        );
        if let Some(say) = &step.say {
            println!("   {say}");
        }
        match (&step.follow_up_of, &step.command) {
            (Some(of), Some(Command::Report(request))) => {
                let of = *script
                    .incidents
                    .get(of)
                    .ok_or_else(|| format!("step {}: unknown incident {of}", n + 1))?;
                if request.id != id {
                    return Err(format!(
                        "step {}: the follow-up's report is not for {}",
                        n + 1,
                        step.incident
                    )
                    .into());
                }
                desk.follow_up(of, request, actor, step.at);
            }
            (Some(_), _) => {
                return Err(
                    format!("step {}: a follow-up step needs a `report` command", n + 1).into(),
                );
            }
            (None, Some(command)) => desk.run(id, command, actor, step.at, 0),
            (None, None) => {}
        }
        if step.wait_for_deadline {
            match next_deadline(&desk.state(id), &desk.policy) {
                None => println!(
                    "   next_deadline({}) = none: nothing to wait for",
                    desk.name(id)
                ),
                Some(due) => {
                    println!(
                        "   next_deadline({}) = {}",
                        desk.name(id),
                        due.format("%Y-%m-%d %H:%M UTC")
                    );
                    desk.run(id, &Command::Tick, actor, due - Duration::seconds(1), 0);
                    desk.run(id, &Command::Tick, actor, due, 0);
                }
            }
        }
    }
    println!();
    println!("final:");
    for (id, name) in &desk.names {
        println!("   {name}: {}", summary(&desk.state(*id)));
    }
    if let Some(config) = &script.sla {
        sla_section(&desk, config)?;
    }
    more();
    Ok(())
}

/// Where to go next: the other practices' demos on bundled data, one command each.
fn more() {
    println!();
    println!("More of the workspace on bundled data: cargo run -p itsm-examples --bin NAME");
    for (name, what) in [
        (
            "impact",
            "what a failure takes down on a shop's CMDB, and why (itsm-graph)",
        ),
        (
            "alerts",
            "a morning of monitoring signals deduplicated, correlated, escalated (itsm-alert)",
        ),
        (
            "server-upgrade",
            "a change from request to closure: impact, risk, CAB approval (itsm-change)",
        ),
        (
            "knowledge-flow",
            "a recurring cluster to a problem, a known error, a workaround offered (itsm-problem, itsm-knowledge)",
        ),
        (
            "new-starter",
            "a catalogue bundle ordered, approved and fulfilled task by task (itsm-catalogue)",
        ),
        (
            "availability",
            "configuration-item outages turned into service availability and credits (itsm-metrics)",
        ),
        (
            "assets",
            "a quarter of laptops and consumables through their lifecycle (itsm-asset)",
        ),
        (
            "licences",
            "a software estate reconciled against its entitlements (itsm-licence)",
        ),
        (
            "continuity",
            "impact analyses, recovery objectives and when each service is back after a disaster (itsm-continuity)",
        ),
        (
            "costs",
            "a month of IT costs rolled up the CMDB to services and cost centres, against budgets (itsm-cost)",
        ),
        (
            "oncall",
            "two teams' on-call schedules, their gaps and conflicts, and incidents paged through escalation policies, each person reached by their own contact rules (itsm-oncall)",
        ),
        (
            "releases",
            "four releases through their phases: checks and exceptions, a retarget around Good Friday, a restart, a main release waiting for the product it includes (itsm-release)",
        ),
        (
            "contracts",
            "a year of vendor contracts: review and approval, monthly charges by asset value and per seat, reminders, a renewal with a price rise, an extension, a cancellation (itsm-contract)",
        ),
        (
            "vulnerabilities",
            "a quarter of vulnerability response: the xz backdoor grouped, resolved, found again and fixed, an exception and its extension, a false positive rejected, a target missed (itsm-vuln)",
        ),
        (
            "crisis",
            "a flooded data centre run through its recovery plans: referred plans, a failed automation, assets against their RTO (itsm-crisis)",
        ),
        (
            "dimensions",
            "a retailer assessed along the four dimensions of service management (itsm-dimensions)",
        ),
    ] {
        println!("   {name:<15} {what}");
    }
}
