//! Software licence reconciliation on a day's snapshot: the position of each software
//! model, the rights by metric, what to buy (the true-up) and what is paid for but unused.
//!
//! ```text
//! cargo run -p itsm-examples --bin licences [-- SNAPSHOT.json] [--json]
//! ```
//!
//! The bundled snapshot (`examples/data/licences/estate-2026-06.json`) is a small company's
//! estate on 30 June 2026: Office with downgrade rights, Visio per user, SQL Server per core
//! with an allocation, AutoCAD per named user, Acrobat on a renewed subscription, Creative
//! Cloud user subscriptions, Exchange user CALs, endpoint protection under an enterprise
//! agreement and a tool no one bought. A file is either a `Snapshot` as JSON or
//! `{"notes": [...], "policy": "servicenow" | {Policy}, "snapshot": {Snapshot}}`. `--json`
//! prints the `Position` as JSON instead of the report.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use itsm_licence::{Policy, Position, Remediation, Snapshot, Status, reconcile};
use serde::Deserialize;
use serde_json::Value;

const DEFAULT_SNAPSHOT: &str = "examples/data/licences/estate-2026-06.json";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapped {
    #[allow(dead_code, reason = "documentation inside the data file")]
    #[serde(default)]
    notes: Vec<String>,
    policy: PolicyChoice,
    snapshot: Snapshot,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PolicyChoice {
    Preset(String),
    Custom(Policy),
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("licences: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Minor units as `units.cents`.
fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn maybe_money(cents: Option<u64>) -> String {
    cents.map_or_else(|| "unpriced".to_owned(), money)
}

fn run() -> Res<()> {
    let mut json = false;
    let mut paths = Vec::new();
    for arg in std::env::args_os().skip(1) {
        if arg == "--json" {
            json = true;
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    if paths.len() > 1 {
        return Err("at most one file: SNAPSHOT.json (and --json)".into());
    }
    let path = paths
        .first()
        .cloned()
        .unwrap_or_else(|| DEFAULT_SNAPSHOT.into());
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let (policy_name, policy, snapshot) = if value.get("snapshot").is_some() {
        let w: Wrapped = serde_json::from_value(value)
            .map_err(|e| format!("{}: not a wrapped snapshot: {e}", path.display()))?;
        match w.policy {
            PolicyChoice::Preset(name) if name == "servicenow" => {
                (name, Policy::servicenow(), w.snapshot)
            }
            PolicyChoice::Preset(name) => {
                return Err(format!(
                    "{}: unknown policy preset `{}`; use \"servicenow\" or a policy object",
                    path.display(),
                    itsm_core::Quoted(&name)
                )
                .into());
            }
            PolicyChoice::Custom(p) => ("the file's policy".to_owned(), p, w.snapshot),
        }
    } else {
        let s: Snapshot = serde_json::from_value(value)
            .map_err(|e| format!("{}: not a snapshot: {e}", path.display()))?;
        ("servicenow".to_owned(), Policy::servicenow(), s)
    };
    let position = reconcile(&snapshot, &policy).map_err(|e| format!("{}: {e}", path.display()))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&position)?);
        return Ok(());
    }
    report(&snapshot, &position, &policy_name);
    Ok(())
}

fn report(snapshot: &Snapshot, p: &Position, policy: &str) {
    let compliant = p
        .models
        .iter()
        .filter(|m| m.status == Status::Compliant)
        .count();
    println!(
        "licence position on {} under {policy}: {} models, {compliant} compliant, {} not compliant",
        p.as_of,
        p.models.len(),
        p.models.len() - compliant
    );
    println!(
        "{:<28} {:<13} {:>8} {:>10} {:>5} {:>10} {:>10} {:>13}",
        "model",
        "status",
        "installs",
        "unlicensed",
        "subs",
        "unlicensed",
        "true-up",
        "over-licensed"
    );
    for m in &p.models {
        let status = match (m.status, m.enterprise_agreement) {
            (Status::Compliant, true) if m.unlicensed_installs > 0 => "compliant ELA",
            (Status::Compliant, _) => "compliant",
            (Status::NotCompliant, _) => "NOT compliant",
        };
        println!(
            "{:<28} {:<13} {:>8} {:>10} {:>5} {:>10} {:>10} {:>13}",
            m.model,
            status,
            m.installs,
            m.unlicensed_installs,
            m.subscriptions,
            m.unlicensed_subscriptions,
            maybe_money(m.true_up_cost),
            money(m.over_licensed_amount)
        );
    }

    println!("rights by metric:");
    for m in &p.models {
        for r in &m.metrics {
            let owned = if r.unlimited {
                format!("{} + unlimited", r.rights_owned)
            } else {
                r.rights_owned.to_string()
            };
            let mut line = format!(
                "  {}, {}: owned {owned}, used {}, available {}; allocated in use {}, not allocated in use {}, allocated not in use {}",
                m.model,
                r.metric,
                r.rights_used,
                r.rights_available,
                r.allocated_in_use,
                r.not_allocated_in_use,
                r.allocated_not_in_use
            );
            if r.allocations_needed > 0 {
                line += &format!("; allocations needed {}", r.allocations_needed);
            }
            if !r.downgrades.is_empty() {
                let d: Vec<String> = r
                    .downgrades
                    .iter()
                    .map(|d| format!("{} {}", d.model, d.installs))
                    .collect();
                line += &format!("; by downgrade: {}", d.join(", "));
            }
            if !r.inactive.is_empty() {
                line += &format!("; inactive: {}", r.inactive.join(", "));
            }
            if !r.remediations.is_empty() {
                let names: Vec<&str> = r
                    .remediations
                    .iter()
                    .map(|x| match x {
                        Remediation::CreateAllocations => "create allocations",
                        Remediation::RemoveUnallocatedInstalls => "or remove unallocated installs",
                        Remediation::RemoveAllocations => "remove unused allocations",
                    })
                    .collect();
                line += &format!("; suggest: {}", names.join(", "));
            }
            println!("{line}");
        }
    }

    println!("purchase options:");
    for m in p.models.iter().filter(|m| !m.purchase_options.is_empty()) {
        for o in &m.purchase_options {
            let price = o
                .unit_price
                .map_or_else(|| "no price".to_owned(), |u| format!("at {}", money(u)));
            let mut line = format!(
                "  {}: {}, {} rights {price} = {}",
                m.model,
                o.metric,
                o.rights_needed,
                maybe_money(o.cost)
            );
            if o.unlicensable > 0 {
                line += &format!(" (leaves {} unlicensable)", o.unlicensable);
            }
            if o.cost.is_some() && o.cost == m.true_up_cost {
                line += " (the true-up)";
            }
            println!("{line}");
        }
    }

    let installs: BTreeMap<&str, _> = snapshot
        .installs
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let unlicensed: Vec<String> = p
        .installs
        .iter()
        .filter(|c| c.entitlement.is_none())
        .filter_map(|c| installs.get(c.id.as_str()))
        .map(|i| match &i.user {
            Some(u) => format!("{} {} on {} ({u})", i.id, i.model, i.device),
            None => format!("{} {} on {}", i.id, i.model, i.device),
        })
        .collect();
    println!("unlicensed installs: {}", unlicensed.len());
    for u in unlicensed {
        println!("  {u}");
    }
    let subs: Vec<&str> = p
        .subscriptions
        .iter()
        .filter(|c| c.entitlement.is_none())
        .map(|c| c.id.as_str())
        .collect();
    if subs.is_empty() {
        println!("unlicensed subscriptions: none");
    } else {
        println!("unlicensed subscriptions: {}", subs.join(", "));
    }
    println!(
        "total: true-up {}, over-licensed {}, {}",
        maybe_money(p.true_up_cost()),
        money(p.over_licensed_amount()),
        if p.is_compliant() {
            "compliant"
        } else {
            "not compliant"
        }
    );
}
