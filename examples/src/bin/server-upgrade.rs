//! A server upgrade from request to closure, through every crate the change practice uses:
//! raised as a normal change, its impact computed on the shop topology (itsm-graph), its risk
//! assessed (itsm-change), authorised by the CAB with separation of duties (itsm-approval
//! inside the change), scheduled into the next free window inside the database's maintenance
//! window and outside the month-end freeze (itsm-schedule, itsm-calendar), implemented,
//! reviewed and closed. Every event and every decision's explanation is printed.
//!
//! Run: `cargo run -p itsm-examples --bin server-upgrade`
#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error as StdError;
use std::process::ExitCode;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
use itsm_change::{
    Actor, CalendarCheck, ChangeId, ChangeTaskId, ChangeTaskKind, Command, ConfigItemId, Context,
    Event, Impact, Models, Phase, Policy, Request, ReviewOutcome, RiskCondition, RiskFacts,
    RiskLevel, RiskRule, Role, State, UserId, Window, decide,
};
use itsm_core::GroupId;
use itsm_graph::{Graph, GraphSpec, Scenario};
use itsm_schedule::{
    Blackout, Checks, Limits, Maintenance, Proposal, Rules, Schedule, ScheduledChange, Search,
};

type Res<T> = Result<T, Box<dyn StdError>>;

const TOPOLOGY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shop-topology.json");
/// The server being upgraded, and the items it runs.
const SERVER: &str = "db-vm-1";
const CAB: GroupId = GroupId::from_u128(0xCAB);

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server-upgrade: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A configuration item's id from its name in the topology (the host's mapping).
fn item(name: &str) -> ConfigItemId {
    ConfigItemId(uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        name.as_bytes(),
    ))
}

fn at(day: u32, hour: u32) -> Res<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .ok_or_else(|| "no such instant".into())
}

fn person(id: u128, roles: &[&str]) -> Res<Actor> {
    let roles = roles
        .iter()
        .map(|r| Role::new(*r))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Actor::new(UserId::from_u128(id), roles))
}

fn run() -> Res<()> {
    // The topology: which services the server carries, and its neighbours.
    let text = std::fs::read_to_string(TOPOLOGY)?;
    let spec: GraphSpec = serde_json::from_str(&text)?;
    let graph = Graph::from_spec(&spec)?;
    let value: serde_json::Value = serde_json::from_str(&text)?;
    let mut neighbours: BTreeMap<ConfigItemId, Vec<ConfigItemId>> = BTreeMap::new();
    let edges = value.get("edges").and_then(serde_json::Value::as_array);
    for edge in edges.into_iter().flatten() {
        let end = |key: &str| edge.get(key).and_then(serde_json::Value::as_str);
        if let (Some(from), Some(to)) = (end("from"), end("to")) {
            neighbours.entry(item(from)).or_default().push(item(to));
            neighbours.entry(item(to)).or_default().push(item(from));
        }
    }
    let topology = move |i: &ConfigItemId| neighbours.get(i).cloned().unwrap_or_default();

    println!("== 1. Impact of taking {SERVER} down (itsm-graph, shop-topology.json)");
    let report = graph.impact(&Scenario::outages(&[SERVER]))?;
    let levels = &spec.severity.levels;
    let mut worst = 0u8;
    for (service, severity) in report.services() {
        let name = levels
            .get(usize::from(severity).saturating_sub(1))
            .map_or("?", String::as_str);
        println!("  {service:<26} {name}");
        worst = worst.max(severity);
    }
    // The worst service level as the change's impact: down is 1 (most severe), affected 2.
    let impact = Impact(match worst {
        4 => 1,
        3 => 2,
        _ => 3,
    });
    println!(
        "  change impact: {} (the worst service is at level {worst} of 4)",
        impact.0
    );

    // The policy: ServiceNow's, the normal model authorised by the CAB's majority, and a risk
    // rule for database servers.
    let mut policy = Policy::servicenow();
    let mut models = policy.models.all().to_vec();
    for model in &mut models {
        if model.name == "normal" {
            model.approval = Some(itsm_approval::Policy::cab(CAB));
            model.authorized_by.clear();
        }
    }
    policy.models = Models::new(models)?;
    policy.risk.rules.push(RiskRule {
        name: "database servers".into(),
        when: RiskCondition::Item(item(SERVER)),
        risk: RiskLevel::High,
    });

    let requester = person(1, &["requester"])?;
    let manager = person(2, &["change_manager"])?;
    let implementer = person(3, &["implementer"])?;
    let (ana, ben) = (person(11, &[])?, person(12, &[])?);

    // The change calendar: the database's maintenance window is Saturday night, the last
    // days of the month are frozen, and another change already holds the first Saturday.
    let week = Week {
        sat: vec![Segment::parse("22:00", "04:00")?],
        ..Week::default()
    };
    let nights = Calendar::new(&CalendarSpec::new("db-saturday-nights", week))?;
    let freeze = itsm_schedule::Window::new(at(27, 0)?, at(31, 23)?)?;
    let rules = Rules::new(
        Checks::all(),
        vec![Maintenance::new(nights, vec![item(SERVER)])],
        vec![Blackout::windows("month-end freeze", vec![freeze])],
    )?;
    let other = ChangeId::from_u128(41);
    let (schedule, refused) = Schedule::build(
        [ScheduledChange::new(
            other,
            vec![item("pg-primary")],
            Some(at(7, 22)?),
            Some(at(8, 2)?),
        )],
        &Limits::new(),
    );
    if !refused.is_empty() {
        return Err(format!("bad calendar records: {refused:?}").into());
    }

    let change_id = ChangeId::from_u128(42);
    let mut request = Request::new(
        change_id,
        "normal",
        requester.user,
        "Upgrade db-vm-1 to the new kernel",
    );
    request.implementer = Some(implementer.user);
    request.items = vec![item(SERVER)];
    let mut state = State::new();
    let mut step = |label: &str, command: Command, actor: &Actor, now: DateTime<Utc>| -> Res<()> {
        let ctx = Context::new(now, actor, &policy)
            .with_calendar(CalendarCheck::new(&schedule, &rules, &topology));
        let events = decide(&state, &command, &ctx)?;
        println!("  {now} {label}");
        for event in &events {
            println!("    {}", describe(event));
        }
        state.apply(&events);
        Ok(())
    };

    println!("\n== 2. Raised, assessed (itsm-change)");
    let t0 = at(2, 9)?;
    step("raise", request.into(), &requester, t0)?;
    step("submit", Command::Submit, &requester, t0)?;
    let facts = RiskFacts {
        model: String::new(),
        items: vec![],
        services: vec![],
        impact,
        likelihood: 2,
        outside_maintenance: false,
        answers: vec![],
    };
    step(
        "assess",
        Command::Assess(Box::new(facts)),
        &manager,
        t0 + Duration::hours(1),
    )?;

    println!("\n== 3. The next free window (itsm-schedule)");
    let length = Duration::hours(2);
    let mut proposal = Proposal::new(
        vec![item(SERVER)],
        itsm_schedule::Window::starting(at(3, 0)?, length)?,
    );
    proposal.change = Some(change_id);
    proposal.assignee = Some(implementer.user);
    let first_try = itsm_schedule::Window::starting(at(7, 22)?, length)?;
    let mut tried = proposal.clone();
    tried.window = first_try;
    for conflict in schedule.check(&tried, &rules, &topology)? {
        println!(
            "  {} to {}: {}",
            first_try.start(),
            first_try.end(),
            humanize(&conflict.to_string())
        );
    }
    let free = schedule.next_windows(&proposal, &Search::new(), &rules, &topology)?;
    let chosen = free.first().ok_or("no free window in the next 90 days")?;
    println!(
        "  {} free windows found; the first: {} to {}",
        free.len(),
        chosen.start(),
        chosen.end()
    );
    let window = Window::new(chosen.start(), chosen.end());
    step(
        "plan",
        Command::Plan { window },
        &manager,
        t0 + Duration::hours(2),
    )?;
    step(
        "complete_assessment",
        Command::CompleteAssessment,
        &manager,
        t0 + Duration::hours(2),
    )?;

    println!("\n== 4. CAB approval (itsm-approval inside authorize)");
    // The implementer sits on the CAB: separation of duties takes them out.
    let members = BTreeMap::from([(CAB, BTreeSet::from([ana.user, ben.user, implementer.user]))]);
    let approval = itsm_approval::ApprovalId::from_u128(1);
    step(
        "request_approval",
        Command::RequestApproval {
            id: approval,
            members,
        },
        &manager,
        t0 + Duration::hours(3),
    )?;
    let approve = || Command::Approval {
        answer: itsm_approval::Command::Approve {
            comment: Some("back-out plan reviewed".into()),
        },
    };
    step("approval by ana", approve(), &ana, t0 + Duration::hours(20))?;
    step("approval by ben", approve(), &ben, t0 + Duration::hours(21))?;
    // The work as change tasks: the implementation within the window, then a test.
    let (upgrade, smoke) = (
        ChangeTaskId::from_u128(0x7A5C_0001),
        ChangeTaskId::from_u128(0x7A5C_0002),
    );
    step(
        "add_task",
        Command::AddTask {
            task: upgrade,
            kind: ChangeTaskKind::Implementation,
            description: "upgrade the kernel on db-vm-1".into(),
            window: Some(window),
            pending: false,
        },
        &manager,
        t0 + Duration::hours(22),
    )?;
    step(
        "add_task",
        Command::AddTask {
            task: smoke,
            kind: ChangeTaskKind::Testing,
            description: "smoke-test the database".into(),
            window: None,
            pending: true,
        },
        &manager,
        t0 + Duration::hours(22),
    )?;

    println!("\n== 5. Implemented (tasks closed), reviewed, closed");
    step("implement", Command::Implement, &implementer, window.start)?;
    for (task, from, to, notes) in [
        (upgrade, 0, 60, "kernel 6.8 installed, host rebooted"),
        (smoke, 60, 90, "queries and replication checked"),
    ] {
        let at = |minutes| window.start + Duration::minutes(minutes);
        step(
            "start_task",
            Command::StartTask { task },
            &implementer,
            at(from),
        )?;
        step(
            "close_task",
            Command::CloseTask {
                task,
                code: "successful".into(),
                notes: notes.into(),
            },
            &implementer,
            at(to),
        )?;
    }
    step("complete", Command::Complete, &implementer, window.end)?;
    step(
        "close",
        Command::Close {
            outcome: ReviewOutcome::Successful,
            close_code: "successful".into(),
            notes: "kernel upgraded; no incident in the window".into(),
        },
        &manager,
        window.end + Duration::hours(10),
    )?;
    let phase = state.stage().ok_or("no change")?;
    println!("\nchange CHG42: {phase}");
    if phase != Phase::Closed {
        return Err("the change did not close".into());
    }
    Ok(())
}

/// Ids as the people reading the output know them: configuration items by their name in the
/// topology, people and records by a label.
fn humanize(text: &str) -> String {
    let mut names: Vec<(String, String)> = ["db-vm-1", "pg-primary", "db-vm-2", "pg-replica"]
        .iter()
        .map(|n| (item(n).to_string(), (*n).to_owned()))
        .collect();
    for (id, label) in [
        (1, "requester"),
        (2, "change manager"),
        (3, "implementer"),
        (11, "ana"),
        (12, "ben"),
    ] {
        names.push((UserId::from_u128(id).to_string(), label.to_owned()));
    }
    names.push((ChangeId::from_u128(41).to_string(), "CHG41".to_owned()));
    names.push((ChangeId::from_u128(42).to_string(), "CHG42".to_owned()));
    names.push((CAB.to_string(), "CAB".to_owned()));
    names.push((
        ChangeTaskId::from_u128(0x7A5C_0001).to_string(),
        "CTASK1".to_owned(),
    ));
    names.push((
        ChangeTaskId::from_u128(0x7A5C_0002).to_string(),
        "CTASK2".to_owned(),
    ));
    names
        .iter()
        .fold(text.to_owned(), |text, (id, name)| text.replace(id, name))
}

/// One line per event, with the decision's explanation where there is one.
fn describe(event: &Event) -> String {
    humanize(&describe_raw(event))
}

fn describe_raw(event: &Event) -> String {
    match event {
        Event::Raised { request, .. } => {
            format!("raised: {} ({})", request.description, request.model)
        }
        Event::Submitted { to, .. } => format!("submitted: to {to}"),
        Event::RiskAssessed { assessment, .. } => format!("risk assessed: {assessment}"),
        Event::AssessmentCompleted { to, .. } => format!("assessment completed: to {to}"),
        Event::Authorized {
            explanation, to, ..
        } => format!("authorised: to {to}; {explanation}"),
        Event::Rejected { reason, .. } => format!("rejected: {reason}"),
        Event::Planned {
            window, conflicts, ..
        } => {
            let mut line = format!("planned: {} to {}", window.start, window.end);
            for c in conflicts {
                line.push_str(&format!("; conflict: {c}"));
            }
            line
        }
        Event::ImplementationStarted { .. } => "implementation started".to_owned(),
        Event::Completed { .. } => "implementation completed: to review".to_owned(),
        Event::Closed { review, .. } => format!(
            "closed: {} ({}), {}",
            review.outcome, review.close_code, review.notes
        ),
        Event::PutOnHold { reason, .. } => format!("on hold: {reason}"),
        Event::Resumed { .. } => "resumed".to_owned(),
        Event::Canceled { reason, .. } => format!("canceled: {reason}"),
        Event::Entered { state, phase, .. } => format!("entered: {state} ({phase})"),
        Event::Retyped { model, .. } => format!("retyped: now a {model} change"),
        Event::TaskAdded { task, .. } => format!("task added: {}", task.description),
        Event::TaskStarted { task, .. } => format!("task {task} started"),
        Event::TaskClosed { task, code, .. } => format!("task {task} closed: {code}"),
        Event::TaskCanceled { task, reason, .. } => format!("task {task} canceled: {reason}"),
        Event::TaskPutOnHold { task, reason, .. } => format!("task {task} on hold: {reason}"),
        Event::TaskResumed { task, .. } => format!("task {task} off hold"),
        Event::Approval { event } => format!("approval: {} by {}", event.name(), event.by()),
    }
}
