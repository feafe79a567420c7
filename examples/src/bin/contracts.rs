//! A year of vendor contracts through `itsm-contract`: a storage maintenance contract
//! rejected, corrected and approved before its start date, charged monthly by the arrays'
//! value and renewed with a 3 % rise; an NDA refused without its vendor; a subscription
//! charged per seat, a seat removed, extended (the wrong approver refused first); a rack
//! lease adjusted and canceled. The host runs the daily job only on the days
//! `next_deadline` names, as a real scheduler would.
//!
//! ```text
//! cargo run -p itsm-examples --bin contracts [-- CONTRACTS.json]
//! ```
//!
//! The bundled file is `examples/data/contracts/contracts.json`: people and their roles,
//! the system account that runs the job, an optional policy, the last day, and the steps:
//! who sends which command on which day to which contract (the commands' JSON, a `create`
//! with the contract's spec in `itsm-contract`'s own JSON), or a report.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use itsm_contract::{
    Actor, Command, Context, Event, Policy, Role, State, UserId, decide, next_deadline,
};
use serde::Deserialize;

const DEFAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/contracts/contracts.json");

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    on: NaiveDate,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    contract: Option<String>,
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
    #[serde(default)]
    policy: Option<Policy>,
    until: NaiveDate,
    steps: Vec<Step>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("contracts: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Minor units as money: `1234567` is `12,345.67`.
fn money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

struct Desk {
    people: BTreeMap<String, Actor>,
    names: BTreeMap<UserId, String>,
    policy: Policy,
    /// Each contract by number, in the order created.
    contracts: BTreeMap<String, State>,
    system: Actor,
}

impl Desk {
    fn name(&self, user: Option<UserId>) -> String {
        user.and_then(|u| self.names.get(&u).cloned())
            .unwrap_or_else(|| "nobody".to_owned())
    }

    fn print(&self, number: &str, state: &State, event: &Event) {
        let on = event.on();
        let card = |i: u32| {
            state
                .contract()
                .and_then(|c| c.rate_cards.get(i as usize))
                .map_or_else(|| format!("#{i}"), |c| c.spec.name.clone())
        };
        let text = match event {
            Event::Created { spec, .. } => format!("created as a draft ({})", spec.model),
            Event::Submitted {
                review, approver, ..
            } => {
                format!("{review} sent to {} for review", self.name(Some(*approver)))
            }
            Event::Approved { review, by, .. } => {
                format!("{review} approved by {}", self.name(Some(*by)))
            }
            Event::Rejected {
                review,
                comments,
                by,
                ..
            } => {
                format!("{review} rejected by {}: {comments}", self.name(Some(*by)))
            }
            Event::Requested { request, .. } => {
                format!("{} to {} asked", request.review, request.end)
            }
            Event::Edited { .. } => "edited".to_owned(),
            Event::Activated { .. } => "active".to_owned(),
            Event::Expired { .. } => "expired".to_owned(),
            Event::Renewed {
                start,
                end,
                payment_amount,
                base_costs,
                ..
            } => format!(
                "renewed {start} to {end}, payment {}, card base costs {}",
                money(*payment_amount),
                base_costs
                    .iter()
                    .map(|&c| money(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Event::Extended { end, .. } => format!("extended to {end}"),
            Event::Adjusted { end, .. } => format!(
                "adjusted: ends {}",
                end.map_or_else(|| "never".to_owned(), |e| e.to_string())
            ),
            Event::Canceled { .. } => "canceled; its rate cards stop".to_owned(),
            Event::Reminded { days, end, to, .. } => {
                format!("reminder to {}: ends {end}, in {days} days", self.name(*to))
            }
            Event::Charged {
                card: i,
                date,
                lines,
                ..
            } => {
                let total: i64 = lines.iter().map(|l| l.amount).sum();
                let split = lines
                    .iter()
                    .map(|l| {
                        let on = l
                            .asset
                            .clone()
                            .or_else(|| l.user.map(|u| self.name(Some(u))))
                            .unwrap_or_else(|| "contract".to_owned());
                        format!("{on} {}", money(l.amount))
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "charged {} for {date}: {} ({split})",
                    card(*i),
                    money(total)
                )
            }
            Event::Passed { card: i, date, .. } => {
                format!("{} passed {date}: outside the term", card(*i))
            }
            Event::Covered { asset, .. } => format!("covers {}", asset.id),
            Event::Uncovered { asset, .. } => format!("no longer covers {asset}"),
            Event::UserAdded { user, .. } => format!("covers {}", self.name(Some(*user))),
            Event::UserRemoved { user, .. } => {
                format!("no longer covers {}", self.name(Some(*user)))
            }
            Event::RateCardAdded { card, .. } => format!("rate card {} added", card.name),
            Event::RateCardDeactivated { card: i, .. } => format!("rate card {} stopped", card(*i)),
            _ => event.name().to_owned(),
        };
        println!("{on} {number:<11} {text}");
    }

    /// Runs the job on every contract due on or before `until`, day by day.
    fn catch_up(&mut self, until: NaiveDate) -> Res<()> {
        loop {
            let due = self
                .contracts
                .iter()
                .filter_map(|(n, s)| {
                    next_deadline(s, &self.policy).map(|d| (d.max(s.last.unwrap_or(d)), n.clone()))
                })
                .filter(|(d, _)| *d <= until)
                .min();
            let Some((day, number)) = due else {
                return Ok(());
            };
            self.send(day, &number, &self.system.clone(), &Command::Tick)?;
        }
    }

    fn send(&mut self, on: NaiveDate, number: &str, actor: &Actor, command: &Command) -> Res<()> {
        let state = self.contracts.entry(number.to_owned()).or_default();
        match decide(state, command, &Context::new(on, actor, &self.policy)) {
            Ok(events) => {
                state.apply(&events);
                let state = state.clone();
                for event in &events {
                    self.print(number, &state, event);
                }
            }
            Err(e) if matches!(command, Command::Tick) => return Err(e.into()),
            Err(e) => {
                let created = state.contract().is_some();
                if !created {
                    self.contracts.remove(number);
                }
                let who = self.name(Some(actor.user));
                println!("{on} {number:<11} {who}'s {} refused: {e}", command.name());
            }
        }
        Ok(())
    }

    fn report(&self, on: NaiveDate) {
        println!("\nreport on {on}");
        for (number, state) in &self.contracts {
            let Some(c) = state.contract() else { continue };
            let projected = c.projected();
            println!(
                "  {number:<11} {:<8} substate {:<17} ends {:<10} lifetime {:>10}  total {:>10}  per asset {:>9}  projected {}/month {}/year  expiration level {}",
                c.status.name(),
                c.substate.name(),
                c.end.map_or_else(|| "never".to_owned(), |e| e.to_string()),
                money(c.lifetime_cost),
                money(c.total_cost()),
                c.cost_per_asset().map_or_else(|| "-".to_owned(), money),
                money(projected.monthly),
                money(projected.annual),
                c.expiration_level(on, &self.policy.reminders)
                    .map_or_else(|| "-".to_owned(), |d| format!("{d} days")),
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
        names: file.people.iter().map(|(n, &id)| (id, n.clone())).collect(),
        people,
        policy: file.policy.unwrap_or_default(),
        contracts: BTreeMap::new(),
        system,
    };
    desk.policy.check()?;
    println!(
        "{} steps from {}, the job run on each contract's next deadline\n",
        file.steps.len(),
        path.display()
    );
    for step in &file.steps {
        // The job runs the mornings before the step's day, then on the day.
        desk.catch_up(step.on)?;
        if step.report {
            desk.report(step.on);
        }
        if let (Some(command), Some(number)) = (&step.command, &step.contract) {
            let by = step
                .by
                .as_deref()
                .ok_or("a step with a command needs `by`")?;
            let actor = desk
                .people
                .get(by)
                .cloned()
                .ok_or_else(|| format!("unknown person `{by}`"))?;
            desk.send(step.on, number, &actor, command)?;
        }
    }
    desk.catch_up(file.until)?;
    Ok(())
}
