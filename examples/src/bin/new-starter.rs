//! A new starter's first day through the service catalogue (itsm-catalogue): the workplace
//! service goes live through its stage gates; the new-starter bundle (a laptop and two
//! software installs) is ordered, first with mistakes (every field error at once), then
//! approved by the manager and walked task by task to fulfilment; then an access request to
//! the payroll application is refused for separation of duties, ordered again, approved by
//! the manager and the application owner, provisioned, expired by a tick and revoked. Every
//! event is printed. Last, the `sla_hook` events of every record (request, item, task) are
//! its timeline for itsm-sla: a request fulfilment SLA and a task OLA
//! (`examples/data/catalogue/sla.json`) are replayed over them and each clock is printed.
//!
//! Run: `cargo run -p itsm-examples --bin new-starter`
#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::process::ExitCode;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use itsm_catalogue::{
    Actor, Catalogue, Command, Context, Event, GroupId, Order, OrderLine, RequestId, Requester,
    ServiceCommand, ServiceEvent, ServiceId, ServiceStage, ServiceState, Stage, State, TaskStage,
    UserId, Value, decide, decide_service, next_deadline,
};
use itsm_examples::sla_replay::SlaConfig;
use itsm_sla::{TicketView, Timeline};

type Res<T> = Result<T, Box<dyn StdError>>;

const CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/catalogue/catalogue.json");
const SLA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/catalogue/sla.json");

const ADA: UserId = UserId::from_u128(0xADA); // the new starter
const GRACE: UserId = UserId::from_u128(0x6ACE); // her manager
const HR: UserId = UserId::from_u128(0x4E); // the HR agent who orders
const TECH: UserId = UserId::from_u128(0x7EC); // the fulfiller
const OWNER: UserId = UserId::from_u128(0xA1); // payroll's owner (catalogue.json)

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("new-starter: {e}");
            ExitCode::FAILURE
        }
    }
}

fn name(user: UserId) -> String {
    match user {
        ADA => "Ada".into(),
        GRACE => "Grace".into(),
        HR => "HR".into(),
        TECH => "Tech".into(),
        OWNER => "Owen (payroll owner)".into(),
        other => other.to_string(),
    }
}

/// One line per event.
fn describe(event: &Event) -> String {
    match event {
        Event::Submitted {
            by,
            lines,
            requested_for,
            ..
        } => format!(
            "submitted by {} for {}: {}",
            name(*by),
            name(*requested_for),
            lines
                .iter()
                .map(|l| l.item.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Event::ApprovalRequested { line, policy, .. } => format!(
            "item {line}: approval requested ({} step(s): {})",
            policy.stages().len(),
            policy
                .stages()
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(" then ")
        ),
        Event::Approval { line, event } => match event {
            itsm_catalogue::itsm_approval::Event::Approved { by, stage, .. } => {
                format!(
                    "item {line}: approval stage {stage}: {} approves",
                    name(*by)
                )
            }
            itsm_catalogue::itsm_approval::Event::StageDecided { explanation, .. } => {
                format!("item {line}: approval stage decided: {explanation}")
            }
            itsm_catalogue::itsm_approval::Event::Requested { .. } => {
                format!("item {line}: approval opened at its first stage")
            }
            other => format!("item {line}: approval {}", other.name()),
        },
        Event::Approved { line, by, .. } => {
            format!("item {line}: approved (last answer {})", name(*by))
        }
        Event::Rejected { line, reason, .. } => format!("item {line}: rejected: {reason}"),
        Event::FulfilmentStarted { line, .. } => {
            format!("item {line}: fulfilment started (no approval)")
        }
        Event::TaskOpened { line, task, .. } => format!("item {line}: task `{task}` opened"),
        Event::TaskStarted { line, task, by, .. } => {
            format!("item {line}: task `{task}` started by {}", name(*by))
        }
        Event::TaskCompleted { line, task, .. } => format!("item {line}: task `{task}` complete"),
        Event::TaskSkipped {
            line, task, reason, ..
        } => format!("item {line}: task `{task}` skipped: {reason}"),
        Event::Fulfilled { line, .. } => format!("item {line}: fulfilled"),
        Event::AccessGranted {
            role, user, until, ..
        } => format!(
            "access granted: {} for {} until {}",
            role,
            name(*user),
            until.map_or("no expiry".to_owned(), |u| u.to_string())
        ),
        Event::AccessExpired { line, task, .. } => {
            format!(
                "item {line}: access expired; revocation task `{}` opened",
                task.name
            )
        }
        Event::AccessRevoked { role, .. } => format!("access revoked: {role}"),
        Event::ItemCanceled { line, reason, .. } => format!("item {line}: canceled: {reason}"),
        Event::SlaHook {
            record,
            state,
            category,
            ..
        } => {
            format!("  sla hook: {record} entered {state} ({category})")
        }
    }
}

struct Host<'a> {
    catalogue: &'a Catalogue,
    now: DateTime<Utc>,
    /// Each record's timeline for the SLA engine, from its `sla_hook` events, by
    /// `0x<request> <record>`.
    timelines: RefCell<BTreeMap<String, Timeline>>,
}

impl Host<'_> {
    /// Sends a command as `user`; prints its events, or the refusal.
    fn send(&self, state: &mut State, user: UserId, command: &Command) -> Res<bool> {
        let actor = Actor::new(user, []);
        let ctx = Context::new(self.now, &actor, self.catalogue);
        match decide(state, command, &ctx) {
            Ok(events) => {
                for e in &events {
                    println!("  {}", describe(e));
                }
                state.apply(&events);
                let request = state
                    .request()
                    .map_or(String::new(), |r| format!("0x{:x}", r.id().0.as_u128()));
                for e in &events {
                    if let Event::SlaHook {
                        at,
                        record,
                        state: entered,
                        category,
                    } = e
                    {
                        // The practice-neutral view the SLA conditions read, with the kind
                        // of record as a field.
                        let mut view = TicketView::new(entered.as_str(), *category);
                        let kind = match record {
                            itsm_catalogue::Record::Request => "request",
                            itsm_catalogue::Record::Item { .. } => "item",
                            itsm_catalogue::Record::Task { .. } => "task",
                        };
                        view.fields.insert("record".to_owned(), kind.to_owned());
                        self.timelines
                            .borrow_mut()
                            .entry(format!("{request} {record}"))
                            .or_default()
                            .push((*at, view));
                    }
                }
                Ok(true)
            }
            Err(e) => {
                println!("  refused: {e}");
                Ok(false)
            }
        }
    }

    fn service(&self, state: &mut ServiceState, command: &ServiceCommand) {
        let actor = Actor::new(HR, []);
        let ctx = Context::new(self.now, &actor, self.catalogue);
        match decide_service(state, command, &ctx) {
            Ok(events) => {
                for e in &events {
                    let text = match e {
                        ServiceEvent::Defined { name, .. } => {
                            format!("service `{name}` defined (strategy, pipeline)")
                        }
                        ServiceEvent::OwnerSet { owner, .. } => {
                            format!("owner set: {}", name(*owner))
                        }
                        ServiceEvent::SupportGroupSet { .. } => "support group set".to_owned(),
                        ServiceEvent::OfferingAdded { item, .. } => {
                            format!("offering added: {item}")
                        }
                        ServiceEvent::OfferingRemoved { item, .. } => {
                            format!("offering removed: {item}")
                        }
                        ServiceEvent::StageMoved { to, .. } => format!("moved to stage {to}"),
                        ServiceEvent::WentLive { .. } => "went live".to_owned(),
                        ServiceEvent::Retired { .. } => "retired".to_owned(),
                    };
                    println!("  {text}");
                }
                state.apply(&events);
            }
            Err(e) => println!("  refused: {e}"),
        }
    }
}

fn run() -> Res<()> {
    let text = std::fs::read_to_string(CATALOGUE)?;
    let catalogue: Catalogue = serde_json::from_str(&text)?;
    println!(
        "catalogue: items {}; bundles {}",
        catalogue.item_names().join(", "),
        catalogue
            .spec()
            .bundles
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut host = Host {
        catalogue: &catalogue,
        now: Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .ok_or("start time")?,
        timelines: RefCell::new(BTreeMap::new()),
    };

    println!("\n== the workplace service into the live catalogue");
    let mut service = ServiceState::new();
    host.service(
        &mut service,
        &ServiceCommand::Define {
            id: ServiceId::from_u128(1),
            name: "workplace".into(),
        },
    );
    host.service(&mut service, &ServiceCommand::GoLive);
    host.service(&mut service, &ServiceCommand::SetOwner { owner: GRACE });
    host.service(
        &mut service,
        &ServiceCommand::SetSupportGroup {
            group: GroupId::from_u128(0xDE5),
        },
    );
    for item in ["laptop", "software_install"] {
        host.service(
            &mut service,
            &ServiceCommand::AddOffering { item: item.into() },
        );
    }
    for stage in [ServiceStage::Design, ServiceStage::Transition] {
        host.service(&mut service, &ServiceCommand::MoveTo { stage });
    }
    host.service(
        &mut service,
        &ServiceCommand::MoveTo {
            stage: ServiceStage::Operation,
        },
    );
    host.service(&mut service, &ServiceCommand::GoLive);
    host.service(
        &mut service,
        &ServiceCommand::MoveTo {
            stage: ServiceStage::Operation,
        },
    );

    println!("\n== the new-starter bundle, ordered by HR for Ada");
    let mut ada = Requester::new(ADA);
    ada.manager = Some(GRACE);
    ada.organisation = Some("finance".into());
    let mut state = State::new();
    // First with mistakes: every one is reported at once.
    let mut wrong = BTreeMap::new();
    wrong.insert(
        0,
        BTreeMap::from([
            ("model".to_owned(), Value::Text("15in".into())),
            ("ram".to_owned(), Value::Number(128)),
            (
                "accessories".to_owned(),
                Value::List(vec!["dock".into(), "headset".into(), "monitor".into()]),
            ),
        ]),
    );
    let lines = catalogue.bundle_lines("new_starter", wrong)?;
    let order = Order::new(RequestId::from_u128(0x1001), ada.clone(), lines);
    host.send(&mut state, HR, &order.into())?;
    let mut answers = BTreeMap::new();
    answers.insert(
        0,
        BTreeMap::from([
            ("ram".to_owned(), Value::Number(32)),
            ("accessories".to_owned(), Value::List(vec!["dock".into()])),
            ("needed_by".to_owned(), Value::Text("2026-03-09".into())),
        ]),
    );
    let lines = catalogue.bundle_lines("new_starter", answers)?;
    let order = Order::new(RequestId::from_u128(0x1001), ada.clone(), lines);
    host.send(&mut state, HR, &order.into())?;
    println!("request: {}", state.stage().map_or("-", Stage::name));

    println!("\n== Grace approves the laptop");
    host.now += Duration::hours(1);
    let approve = |line| Command::Approval {
        line,
        answer: itsm_catalogue::itsm_approval::Command::Approve { comment: None },
    };
    host.send(&mut state, GRACE, &approve(0))?;

    println!("\n== the fulfillers work the open tasks");
    // The VPN client needs no licence: its licence task is skipped.
    host.send(
        &mut state,
        TECH,
        &Command::SkipTask {
            line: 2,
            task: "licence".into(),
            reason: "no licence needed".into(),
        },
    )?;
    while let Some((line, task)) = next_open(&state) {
        host.now += Duration::hours(2);
        host.send(
            &mut state,
            TECH,
            &Command::StartTask {
                line,
                task: task.clone(),
            },
        )?;
        host.send(
            &mut state,
            TECH,
            &Command::CompleteTask {
                line,
                task,
                notes: String::new(),
            },
        )?;
    }
    println!("request 0x1001: {}", state.stage().map_or("-", Stage::name));

    println!("\n== Ada asks for payroll access");
    let mut access = State::new();
    let until = host.now + Duration::days(30);
    let reason = |t: &str| Value::Text(t.into());
    let both = vec![
        OrderLine::new("payroll_access")
            .answer("business_reason", reason("month-end payments"))
            .access("clerk", Some(until)),
        OrderLine::new("payroll_access")
            .answer("business_reason", reason("approve payments"))
            .access("approver", Some(until)),
    ];
    host.send(
        &mut access,
        ADA,
        &Order::new(RequestId::from_u128(0x2001), ada.clone(), both).into(),
    )?;
    let one = vec![
        OrderLine::new("payroll_access")
            .answer("business_reason", reason("month-end payments"))
            .access("clerk", Some(until)),
    ];
    host.send(
        &mut access,
        ADA,
        &Order::new(RequestId::from_u128(0x2001), ada.clone(), one).into(),
    )?;
    host.now += Duration::hours(1);
    host.send(&mut access, GRACE, &approve(0))?;
    host.send(&mut access, OWNER, &approve(0))?;
    host.now += Duration::hours(1);
    host.send(
        &mut access,
        TECH,
        &Command::CompleteTask {
            line: 0,
            task: "provision".into(),
            notes: "account created".into(),
        },
    )?;
    println!(
        "request 0x2001: {}",
        access.stage().map_or("-", Stage::name)
    );

    println!("\n== time passes");
    let deadline = next_deadline(&access).ok_or("no expiry")?;
    println!("next deadline: {deadline}");
    host.now = deadline - Duration::days(1);
    print!("tick a day early:");
    host.send(&mut access, TECH, &Command::Tick)?;
    println!(" (nothing)");
    host.now = deadline;
    println!("tick at the deadline:");
    host.send(&mut access, TECH, &Command::Tick)?;
    host.now += Duration::hours(3);
    host.send(
        &mut access,
        TECH,
        &Command::CompleteTask {
            line: 0,
            task: "revoke".into(),
            notes: "role removed".into(),
        },
    )?;
    let status = access
        .request()
        .and_then(|r| r.items().first())
        .and_then(|i| i.access())
        .map(|a| a.status);
    println!("access: {status:?}");
    sla_section(&host.timelines.borrow(), host.now)
}

/// Replays the SLA definitions over each record's timeline and prints every clock.
fn sla_section(timelines: &BTreeMap<String, Timeline>, now: DateTime<Utc>) -> Res<()> {
    let config: SlaConfig = serde_json::from_str(&std::fs::read_to_string(SLA)?)?;
    println!("\n== SLA clocks (itsm-sla) over the records' sla_hook timelines");
    for note in &config.notes {
        println!("  {note}");
    }
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?;
    let to = NaiveDate::from_ymd_opt(2027, 1, 1).ok_or("date")?;
    let (definitions, calendars) = config.compile(from, to)?;
    let (mut met, mut breached, mut canceled) = (0, 0, 0);
    for (record, timeline) in timelines {
        let replay = itsm_sla::replay(timeline, &definitions, &calendars, Some(now))?;
        for clock in replay.clocks.clocks() {
            // Measured at its end, or now while it runs.
            let m = itsm_sla::measure(clock, now, &definitions, &calendars)?;
            let outcome = match (clock.stage(), clock.is_breached()) {
                (itsm_sla::Stage::Canceled, _) => {
                    canceled += 1;
                    "canceled"
                }
                (_, true) => {
                    breached += 1;
                    "BREACHED"
                }
                (itsm_sla::Stage::Completed, false) => {
                    met += 1;
                    "met"
                }
                _ => "running",
            };
            println!(
                "  {record}: {} {outcome}, {} business minutes of {} ({}%)",
                clock.definition(),
                m.business_elapsed.num_minutes(),
                // The target: elapsed and left add up to it (these clocks never pause).
                (m.business_elapsed + m.time_left).num_minutes(),
                m.percent_hundredths / 100
            );
        }
    }
    println!("SLA clocks: {met} met, {breached} breached, {canceled} canceled");
    Ok(())
}

/// The first open or in-progress task, by line then plan order.
fn next_open(state: &State) -> Option<(usize, String)> {
    let request = state.request()?;
    request.items().iter().enumerate().find_map(|(line, item)| {
        item.tasks()
            .iter()
            .find(|t| t.stage == TaskStage::Open || t.stage == TaskStage::InProgress)
            .map(|t| (line, t.spec.name.clone()))
    })
}
