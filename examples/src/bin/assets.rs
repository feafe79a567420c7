//! IT asset management over a quarter: a log of asset commands replayed through
//! `itsm_asset::decide`, then the inventory by stockroom, the stock rules' restocks, the CI
//! updates and the estate's depreciated value.
//!
//! ```text
//! cargo run -p itsm-examples --bin assets [-- LOG.json]
//! ```
//!
//! The bundled log (`examples/data/assets/estate-q1.json`) is a small company's first
//! quarter of 2026: laptops reserved, assigned, repaired, returned, stolen, sold and moved
//! between stockrooms (their docking stations following them), a pre-allocated batch
//! allocated, keyboards and toner consumed by the box, a stock rule restocking Dublin from
//! Cork. Each entry is a `Command` in its JSON form plus `at`; ids and users are names,
//! mapped to ids here as a host would. Refused commands print why and change nothing.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use itsm_asset::{
    Actor, AssetId, CiStatusRule, Command, Context, Event, Inventory, Method, Policy, Role,
    Schedule, Status, StockRule, UserId, decide, value,
};
use itsm_core::Quoted;
use serde::Deserialize;
use serde_json::Value;

const DEFAULT_LOG: &str = "examples/data/assets/estate-q1.json";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Log {
    #[allow(dead_code, reason = "documentation inside the data file")]
    notes: Vec<String>,
    policy: PolicyChoice,
    depreciation: Depreciation,
    log: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyChoice {
    preset: String,
    #[serde(default)]
    stock_rules: Vec<StockRule>,
    #[serde(default)]
    ci_status: Vec<CiStatusRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Depreciation {
    on: NaiveDate,
    method: Method,
    life_years: u32,
    salvage_percent: i64,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("assets: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Names to ids, in the order they are first seen (the host's mapping of its own keys).
#[derive(Default)]
struct Names {
    assets: BTreeMap<String, AssetId>,
    users: BTreeMap<String, UserId>,
    by_id: BTreeMap<AssetId, String>,
}

impl Names {
    fn asset(&mut self, name: &str) -> AssetId {
        let next = u128::try_from(self.assets.len()).unwrap_or(u128::MAX) + 1;
        let id = *self
            .assets
            .entry(name.to_owned())
            .or_insert_with(|| AssetId::from_u128(next));
        self.by_id.entry(id).or_insert_with(|| name.to_owned());
        id
    }

    fn user(&mut self, name: &str) -> UserId {
        let next = u128::try_from(self.users.len()).unwrap_or(u128::MAX) + 1000;
        *self
            .users
            .entry(name.to_owned())
            .or_insert_with(|| UserId::from_u128(next))
    }

    fn name(&self, id: AssetId) -> String {
        self.by_id
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// Replaces the names in a command's JSON with ids.
    fn map(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    match (key.as_str(), &*v) {
                        (
                            "asset" | "new_asset" | "consumed_by" | "parent" | "id",
                            Value::String(s),
                        ) => {
                            *v = Value::String(self.asset(&s.clone()).to_string());
                        }
                        ("user", Value::String(s)) => {
                            *v = Value::String(self.user(&s.clone()).to_string());
                        }
                        _ => self.map(v),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.map(v)),
            _ => {}
        }
    }
}

fn run() -> Res<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.len() > 1 {
        return Err("at most one file: LOG.json".into());
    }
    let path = args.first().cloned().unwrap_or_else(|| DEFAULT_LOG.into());
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let log: Log = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not an asset log: {e}", path.display()))?;
    let mut policy = match log.policy.preset.as_str() {
        "servicenow" => Policy::servicenow(),
        other => {
            return Err(
                format!("unknown policy preset `{}`; use servicenow", Quoted(other)).into(),
            );
        }
    };
    policy.stock_rules = log.policy.stock_rules;
    policy.ci_status = log.policy.ci_status;
    policy.check()?;
    let clerk = Actor::new(UserId::from_u128(1), [Role::new("asset")?]);

    let mut names = Names::default();
    let mut inventory = Inventory::new();
    let (mut accepted, mut refused) = (0usize, 0usize);
    let mut restocks: Vec<String> = Vec::new();
    let mut ci_updates: Vec<String> = Vec::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    println!(
        "assets: {} commands from {}, policy {}",
        log.log.len(),
        path.display(),
        log.policy.preset
    );
    for (line, entry) in log.log.into_iter().enumerate() {
        let mut entry = entry;
        let at = entry
            .as_object_mut()
            .and_then(|o| o.remove("at"))
            .ok_or_else(|| format!("entry {}: no `at`", line + 1))?;
        let at: DateTime<Utc> = serde_json::from_value(at)
            .map_err(|e| format!("entry {}: `at` is not a UTC instant: {e}", line + 1))?;
        names.map(&mut entry);
        let command: Command = serde_json::from_value(entry)
            .map_err(|e| format!("entry {}: not a command: {e}", line + 1))?;
        let ctx = Context::new(at, &clerk, &policy);
        match decide(&inventory, &command, &ctx) {
            Ok(events) => {
                accepted += 1;
                for e in &events {
                    match e {
                        Event::RestockRequested {
                            rule,
                            available,
                            order,
                            at,
                            ..
                        } => restocks.push(format!(
                            "{} restock requested: {rule} ({available} available, {order} ordered)",
                            at.format("%Y-%m-%d")
                        )),
                        Event::CiStatusSet {
                            ci, ci_status, at, ..
                        } => ci_updates
                            .push(format!("{} ci {ci}: {ci_status}", at.format("%Y-%m-%d"))),
                        Event::Split { .. } => *counts.entry("split").or_default() += 1,
                        Event::Merged { .. } => *counts.entry("merged").or_default() += 1,
                        _ => {}
                    }
                }
                inventory.apply(&events);
            }
            Err(e) => {
                refused += 1;
                let asset = command.asset().map(|a| names.name(a)).unwrap_or_default();
                println!(
                    "refused {} {} {asset}: {}",
                    at.format("%Y-%m-%d %H:%M"),
                    command.name(),
                    named(&e.to_string(), &names)
                );
            }
        }
    }
    println!(
        "commands: {accepted} accepted, {refused} refused; {} records split, {} merged",
        counts.get("split").copied().unwrap_or(0),
        counts.get("merged").copied().unwrap_or(0)
    );
    println!();
    println!("stock rules:");
    for r in &restocks {
        println!("  {r}");
    }
    println!();
    println!("CI updates ({}):", ci_updates.len());
    for u in &ci_updates {
        println!("  {u}");
    }

    println!();
    println!("inventory ({} records):", inventory.len());
    for a in inventory.assets() {
        let p = &a.placement;
        let mut place = p.status.name().to_owned();
        if let Some(s) = &p.substate {
            place.push('/');
            place.push_str(s.as_str());
        }
        if let Some(room) = &p.stockroom {
            place.push_str(" @");
            place.push_str(room);
        }
        if let Some(user) = p.assigned_to {
            let who = names
                .users
                .iter()
                .find(|(_, id)| **id == user)
                .map_or_else(|| user.to_string(), |(n, _)| n.clone());
            place.push_str(" for ");
            place.push_str(&who);
        }
        if let Some(parent) = a.parent {
            place.push_str(" (child of ");
            place.push_str(&names.name(parent));
            place.push(')');
        }
        println!(
            "  {:<12} {:<15} x{:<3} {place}",
            names.name(a.id),
            a.model,
            a.quantity
        );
    }
    println!();
    let mut by_status: BTreeMap<Status, u64> = BTreeMap::new();
    for a in inventory.assets() {
        *by_status.entry(a.status()).or_default() += u64::from(a.quantity);
    }
    let summary: Vec<String> = by_status.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!("items by state: {}", summary.join(", "));
    for room in ["Dublin", "Cork"] {
        println!(
            "available in {room}: {} Latitude 5520, {} USB keyboard",
            inventory.available("Latitude 5520", room),
            inventory.available("USB keyboard", room)
        );
    }

    // The value of what was put in use (ServiceNow fills the depreciation effective date
    // then), retired and missing items left out.
    let d = &log.depreciation;
    let schedule = Schedule {
        method: d.method,
        life_years: d.life_years,
    };
    let (mut cost, mut residual) = (0i64, 0i64);
    println!();
    let method = match d.method {
        Method::StraightLine => "straight line".to_owned(),
        Method::DecliningBalance { percent } => format!("declining balance {percent}% a year"),
    };
    println!(
        "depreciation on {} ({method}, {} years, salvage {}%) of what was put in use:",
        d.on, d.life_years, d.salvage_percent
    );
    for a in inventory.assets() {
        let Some(since) = a.in_use_since else {
            continue;
        };
        if matches!(a.status(), Status::Retired | Status::Missing) {
            continue;
        }
        let salvage = a.cost * d.salvage_percent / 100;
        let v = value(&schedule, a.cost, salvage, since.date_naive(), d.on)?;
        cost += a.cost;
        residual += v.residual;
        println!(
            "  {:<12} in use since {}: cost {}, residual {}, end of life {}",
            names.name(a.id),
            since.date_naive(),
            money(a.cost),
            money(v.residual),
            v.residual_date
        );
    }
    println!(
        "estate put in use: cost {}, residual {}, depreciated {}",
        money(cost),
        money(residual),
        money(cost - residual)
    );
    Ok(())
}

fn money(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, (minor % 100).abs())
}

/// An error message with the ids it names replaced by their names.
fn named(message: &str, names: &Names) -> String {
    let mut out = message.to_owned();
    for (name, id) in &names.assets {
        out = out.replace(&id.to_string(), name);
    }
    for (name, id) in &names.users {
        out = out.replace(&id.to_string(), name);
    }
    out
}
