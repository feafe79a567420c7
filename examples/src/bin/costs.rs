//! IT financial management on the shop topology: what each service costs a month (rate
//! cards, expenses and a data centre's facilities carried up the CMDB), which cost centres pay
//! for it, what is left as IT overhead or stranded, and where the quarter's budgets are
//! heading.
//!
//! ```text
//! cargo run -p itsm-examples --bin costs [-- TOPOLOGY.json COSTS.json]
//! ```
//!
//! The bundled files are `examples/data/shop-topology.json` (the graph the `impact` demo
//! uses) and `examples/data/cost/shop-costs.json`: the month's rate cards, expenses,
//! distribution costs, relationship paths and allocation units, one-off costs per month, and
//! the quarter's budgets. Amounts are euro cents.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use itsm_cost::{Budget, CostSpec, Costing, Expense, Policy, Task, TaskRates, cost_tasks};
use itsm_graph::{GraphSpec, NodeKind};
use serde::Deserialize;

const DEFAULT_TOPOLOGY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shop-topology.json");
const DEFAULT_COSTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/cost/shop-costs.json");

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One month: the recurring spec plus these one-off expenses and the tasks closed in it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Month {
    name: String,
    one_offs: Vec<Expense>,
    #[serde(default)]
    tasks: Vec<Task>,
}

/// The cost file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CostFile {
    #[allow(dead_code, reason = "documentation inside the data file")]
    #[serde(default)]
    notes: Vec<String>,
    spec: CostSpec,
    #[serde(default)]
    policy: Policy,
    months: Vec<Month>,
    #[serde(default)]
    task_rates: TaskRates,
    budgets: Vec<Budget>,
    as_of: NaiveDate,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("costs: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Minor units as money: `12,345.67`, `-0.05`.
fn money(cents: i128) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::new();
    for (k, c) in units.chars().enumerate() {
        if k > 0 && (units.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

fn run() -> Res<()> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (topology, costs) = match paths.as_slice() {
        [] => (
            PathBuf::from(DEFAULT_TOPOLOGY),
            PathBuf::from(DEFAULT_COSTS),
        ),
        [t, c] => (t.clone(), c.clone()),
        _ => return Err("usage: costs [TOPOLOGY.json COSTS.json]".into()),
    };
    let graph: GraphSpec = itsm_examples::read_json(&topology, "graph spec")?;
    let file: CostFile = itsm_examples::read_json(&costs, "cost file")?;
    let Some(last) = file.months.last() else {
        return Err(format!("{}: no months to cost", costs.display()).into());
    };
    let names: Vec<&str> = file.months.iter().map(|m| m.name.as_str()).collect();
    println!("IT costs of the shop, {} (euro)", names.join(" and "));
    println!();

    // The shop's CMDB has services that call each other: refused, then pooled.
    let mut refuse = file.policy;
    refuse.cycles = itsm_cost::Cycles::Refuse;
    match Costing::new(&graph, &file.spec, &refuse) {
        Err(e) => println!("cycles refused: {e}"),
        Ok(_) => println!("cycles refused: none in the paths"),
    }

    let mut months = Vec::new();
    for month in &file.months {
        let mut spec = file.spec.clone();
        spec.expenses.extend(month.one_offs.iter().cloned());
        if !month.tasks.is_empty() {
            let tasks = cost_tasks(&file.task_rates, &month.tasks)
                .map_err(|e| format!("month {}: {e}", month.name))?;
            println!(
                "task costs, {}: {} line(s), {}{}",
                month.name,
                tasks.lines.len(),
                money(tasks.total()),
                if tasks.unpriced.is_empty() {
                    String::new()
                } else {
                    format!(" (no rate card for {})", tasks.unpriced.join(", "))
                }
            );
            for line in &tasks.lines {
                let how = line.labour.as_ref().map_or(String::new(), |l| {
                    format!(
                        ": {} {} min at {} an hour{}",
                        l.user,
                        l.seconds / 60,
                        money(l.hourly.into()),
                        if l.card.is_none() {
                            " (the default)"
                        } else {
                            ""
                        }
                    )
                });
                println!(
                    "   {} on {}: {}, {}{how}",
                    line.task,
                    line.node.as_deref().unwrap_or("-"),
                    line.card,
                    money(line.amount.into())
                );
            }
            spec.expenses.extend(tasks.expenses());
        }
        let costing = Costing::new(&graph, &spec, &file.policy)
            .map_err(|e| format!("month {}: {e}", month.name))?;
        months.push((month, costing));
    }
    let Some((_, costing)) = months.last() else {
        return Err("no months".into());
    };
    for pool in costing.pools() {
        println!(
            "cycles pooled: {}: {} out by {} paths",
            pool.members.join(" + "),
            money(pool.amount.into()),
            pool.exits
        );
    }
    println!();
    for (month, c) in &months {
        let t = c.totals();
        println!(
            "month {}: entered {}; at services {}; stranded {}; allocated {}; unallocated {}",
            month.name,
            money(t.direct + t.undistributed),
            money(t.kept_by_services),
            money(t.stranded),
            money(t.allocated),
            money(t.unallocated)
        );
    }

    println!();
    println!("business services, {}:", last.name);
    for node in &graph.nodes {
        if node.kind != NodeKind::BusinessService {
            continue;
        }
        let cost = costing.cost(&node.id)?;
        let mut received = costing.received(&node.id)?;
        received.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.node.cmp(&b.node)));
        let top: Vec<String> = received
            .iter()
            .take(3)
            .filter(|s| s.amount != 0)
            .map(|s| format!("{} {}", s.node, money(s.amount.into())))
            .collect();
        println!(
            "  {:<24} {:>10}  (largest inputs: {})",
            node.id,
            money(cost.total.into()),
            top.join(", ")
        );
    }
    let stranded: Vec<_> = costing
        .holders()
        .into_iter()
        .filter(|h| !h.service)
        .collect();
    if !stranded.is_empty() {
        println!(
            "stranded, {} (cost no relationship path carries to a service):",
            last.name
        );
        for h in &stranded {
            let lines = costing.lines(&h.id)?;
            println!(
                "  {:<24} {:>10}  ({} own line(s), the rest inherited)",
                h.id,
                money(h.amount.into()),
                lines.len()
            );
        }
    }

    println!();
    println!("cost centres, {}:", last.name);
    for centre in costing.cost_centres() {
        let parts: Vec<String> = costing
            .allocations()
            .iter()
            .filter(|a| a.cost_centre == centre.name)
            .map(|a| format!("{} {} units {}", a.service, a.units, money(a.amount.into())))
            .collect();
        println!(
            "  {:<24} {:>10}  ({})",
            centre.name,
            money(centre.amount),
            parts.join("; ")
        );
    }
    for u in costing.unallocated() {
        if u.amount != 0 {
            println!(
                "  unallocated: {} ({} unused units): {}",
                u.service,
                u.units,
                money(u.amount.into())
            );
        }
    }

    println!();
    println!("budgets on {}:", file.as_of);
    for budget in &file.budgets {
        let mut actual = 0i128;
        let mut counted = Vec::new();
        for (month, c) in &months {
            let first = NaiveDate::parse_from_str(&format!("{}-01", month.name), "%Y-%m-%d")
                .map_err(|e| format!("month {}: not YYYY-MM: {e}", month.name))?;
            if first >= budget.start && first <= budget.end && first <= file.as_of {
                actual += c.allocated_to(&budget.cost_centres);
                counted.push(month.name.as_str());
            }
        }
        let s = budget.status(actual, file.as_of)?;
        println!(
            "  {}: planned {}, actual {} ({}), remaining {}, projected {} ({} of {} days)",
            budget.name,
            money(s.planned.into()),
            money(s.actual),
            counted.join(", "),
            money(s.remaining),
            money(s.projected),
            s.elapsed_days,
            s.period_days
        );
    }

    let t = costing.totals();
    println!();
    println!(
        "conserved, {}: entered {} = at services {} + stranded {} + undistributed {}: {}",
        last.name,
        money(t.direct + t.undistributed),
        money(t.kept_by_services),
        money(t.stranded),
        money(t.undistributed),
        if t.direct == t.kept_by_services + t.stranded {
            "yes"
        } else {
            "NO"
        }
    );
    Ok(())
}
