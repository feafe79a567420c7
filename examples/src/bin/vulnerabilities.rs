//! A quarter of vulnerability response through `itsm-vuln`: the xz backdoor found on two
//! web servers, grouped into one remediation task, investigated and resolved, one server
//! found again by the next scan (the task goes back to investigation) and both fixed (the
//! task closes itself); an OpenSSH flaw on the bastion deferred by an approved exception,
//! then extended; a false positive on a desktop rejected, the desktop's target approaching
//! and then missed; a printer retired. The host ticks only when `next_deadline` says so.
//!
//! ```text
//! cargo run -p itsm-examples --bin vulnerabilities [-- QUARTER.json]
//! ```
//!
//! The bundled file is `examples/data/vuln/quarter.json`: people and their roles, the
//! system account that ticks, names for the ids, an optional policy, the end, and the steps:
//! who sends which command (`itsm-vuln`'s own JSON) at which time, or a report.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use itsm_vuln::{
    Actor, Board, Command, Context, Event, Policy, Role, Status, Subject, UserId, decide,
    next_deadline,
};
use serde::Deserialize;

const DEFAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/vuln/quarter.json");

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    people: BTreeMap<String, UserId>,
    #[serde(default)]
    roles: BTreeMap<String, Vec<Role>>,
    system: String,
    /// Names of items and tasks by id, for the printout.
    names: BTreeMap<uuid::Uuid, String>,
    #[serde(default)]
    policy: Option<Policy>,
    until: DateTime<Utc>,
    steps: Vec<Step>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vulnerabilities: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Desk {
    people: BTreeMap<String, Actor>,
    users: BTreeMap<UserId, String>,
    names: BTreeMap<uuid::Uuid, String>,
    policy: Policy,
    board: Board,
    system: Actor,
}

fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

impl Desk {
    fn user(&self, user: UserId) -> String {
        self.users
            .get(&user)
            .cloned()
            .unwrap_or_else(|| user.to_string())
    }

    fn label(&self, id: uuid::Uuid) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn subject(&self, s: &Subject) -> String {
        match s {
            Subject::Item(i) => self.label(i.0),
            Subject::Task(t) => format!("task {}", self.label(t.0)),
        }
    }

    fn print(&self, event: &Event, now: DateTime<Utc>) {
        let risk = |r: &itsm_vuln::Risk, target: &Option<itsm_vuln::Target>| {
            format!(
                "risk {} {}, due {}",
                r.score,
                r.rating,
                target
                    .as_ref()
                    .map_or_else(|| "never".to_owned(), |t| time(t.due))
            )
        };
        let text = match event {
            Event::Created {
                item,
                risk: r,
                target,
                ..
            } => format!("{}: found, {}", self.label(item.0), risk(r, target)),
            Event::Seen { item, .. } => format!("{}: seen again", self.label(item.0)),
            Event::Reopened {
                item,
                risk: r,
                target,
                ..
            } => format!(
                "{}: found again, reopened, {}",
                self.label(item.0),
                risk(r, target)
            ),
            Event::Closed { item, closure, .. } => {
                format!("{}: closed ({closure})", self.label(item.0))
            }
            Event::TaskCreated { task, items, .. } => format!(
                "task {}: created with {}",
                self.label(task.0),
                items
                    .iter()
                    .map(|i| self.label(i.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Event::Moved { subject, to, .. } => format!("{}: {to}", self.subject(subject)),
            Event::Deferred {
                subject, deferral, ..
            } => format!(
                "{}: deferred until {} ({})",
                self.subject(subject),
                time(deferral.until),
                deferral.reason.map_or("no reason", |r| r.name())
            ),
            Event::Requested { subject, request } => {
                let ask = match request.ask {
                    itsm_vuln::Ask::Exception { until, .. } => {
                        format!("an exception until {}", time(until))
                    }
                    itsm_vuln::Ask::Extension { until, .. } => {
                        format!("an extension until {}", time(until))
                    }
                    itsm_vuln::Ask::FalsePositive => "a false positive".to_owned(),
                    _ => "a request".to_owned(),
                };
                format!(
                    "{}: {} asks {ask}",
                    self.subject(subject),
                    self.user(request.by)
                )
            }
            Event::Approved { subject, by, .. } => {
                format!("{}: approved by {}", self.subject(subject), self.user(*by))
            }
            Event::Rejected {
                subject,
                by,
                comments,
                ..
            } => format!(
                "{}: rejected by {}: {comments}",
                self.subject(subject),
                self.user(*by)
            ),
            Event::TaskClosed { task, closure, .. } => {
                format!("task {}: closed ({closure})", self.label(task.0))
            }
            Event::DeferralEnded { subject, .. } => {
                format!("{}: deferral ended", self.subject(subject))
            }
            Event::Approaching { item, due, .. } => {
                format!("{}: target {} approaching", self.label(item.0), time(*due))
            }
            Event::Missed { item, due, .. } => {
                format!("{}: target {} missed", self.label(item.0), time(*due))
            }
            _ => event.name().to_owned(),
        };
        println!("{} {text}", time(now));
    }

    /// Ticks on every deadline up to `until`.
    fn catch_up(&mut self, until: DateTime<Utc>) -> Res<()> {
        while let Some(due) = next_deadline(&self.board, &self.policy) {
            let due = due.max(self.board.last.unwrap_or(due));
            if due > until {
                return Ok(());
            }
            let system = self.system.clone();
            self.send(due, &system, &Command::Tick)?;
        }
        Ok(())
    }

    fn send(&mut self, now: DateTime<Utc>, actor: &Actor, command: &Command) -> Res<()> {
        match decide(
            &self.board,
            command,
            &Context::new(now, actor, &self.policy),
        ) {
            Ok(events) => {
                let before: Vec<(uuid::Uuid, Status)> = self
                    .board
                    .tasks
                    .values()
                    .map(|t| (t.id.0, t.status))
                    .collect();
                self.board.apply(&events);
                for event in &events {
                    self.print(event, now);
                }
                // Roll-up is the fold's: say which tasks it moved.
                for (id, was) in before {
                    let now_status = self
                        .board
                        .tasks
                        .get(&itsm_vuln::TaskId(id))
                        .map(|t| t.status);
                    if let Some(s) = now_status.filter(|s| *s != was) {
                        let moved_by_command = events.iter().any(|e| {
                            matches!(e, Event::Moved { subject: Subject::Task(t), .. } | Event::Deferred { subject: Subject::Task(t), .. } | Event::Requested { subject: Subject::Task(t), .. } | Event::Rejected { subject: Subject::Task(t), .. } | Event::DeferralEnded { subject: Subject::Task(t), .. } if t.0 == id)
                                || matches!(e, Event::TaskClosed { task, .. } if task.0 == id)
                        });
                        if !moved_by_command {
                            println!(
                                "{} task {}: {was} -> {s} (rolled up from its items)",
                                time(now),
                                self.label(id)
                            );
                        }
                    }
                }
            }
            Err(e) if matches!(command, Command::Tick) => return Err(e.into()),
            Err(e) => println!(
                "{} {}'s {} refused: {e}",
                time(now),
                self.user(actor.user),
                command.name()
            ),
        }
        Ok(())
    }

    fn report(&self, now: DateTime<Utc>) {
        println!("\nreport at {}", time(now));
        for task in self.board.tasks.values() {
            println!(
                "  task {:<12} {:<24} {} items, deferred {}",
                self.label(task.id.0),
                task.status.name(),
                task.items.len(),
                task.deferrals
            );
        }
        for item in self.board.items.values() {
            println!(
                "  {:<22} {:<24} risk {:>3} {:<8} {:<18} reopened {} deferred {}",
                self.label(item.id.0),
                item.status.name(),
                item.risk.score,
                item.risk.rating.name(),
                item.progress(now).name(),
                item.reopened,
                item.deferrals
            );
        }
        println!();
    }
}

fn run() -> Res<()> {
    let path = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from(DEFAULT), PathBuf::from);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: File = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let people: BTreeMap<String, Actor> = file
        .people
        .iter()
        .map(|(name, &id)| {
            let roles = file.roles.get(name).cloned().unwrap_or_default();
            (name.clone(), Actor::new(id, roles))
        })
        .collect();
    let system = people.get(&file.system).cloned().ok_or_else(|| {
        format!(
            "the system account `{}` is not among the people",
            file.system
        )
    })?;
    let mut desk = Desk {
        users: file.people.iter().map(|(n, &id)| (id, n.clone())).collect(),
        people,
        names: file.names,
        policy: file.policy.unwrap_or_default(),
        board: Board::new(),
        system,
    };
    desk.policy.check()?;
    println!(
        "{} steps from {}, ticking on each next deadline\n",
        file.steps.len(),
        path.display()
    );
    for step in &file.steps {
        desk.catch_up(step.at)?;
        if step.report {
            desk.report(step.at);
        }
        if let Some(command) = &step.command {
            let by = step
                .by
                .as_deref()
                .ok_or("a step with a command needs `by`")?;
            let actor = desk
                .people
                .get(by)
                .cloned()
                .ok_or_else(|| format!("unknown person `{by}`"))?;
            desk.send(step.at, &actor, command)?;
        }
    }
    desk.catch_up(file.until)?;
    desk.report(file.until);
    Ok(())
}
