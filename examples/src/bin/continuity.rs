//! IT service continuity on the shop topology: each business service's impact analysis
//! (RTO, tier, RPO by ServiceNow's rules), what every component must achieve for them, the
//! gaps before anything happens, and when each service is back after a zone, a data centre
//! or everything is lost.
//!
//! ```text
//! cargo run -p itsm-examples --bin continuity [-- TOPOLOGY.json PLAN.json] [--json]
//! ```
//!
//! The bundled files are `examples/data/shop-topology.json` (the graph the `impact` demo
//! uses) and `examples/data/continuity/shop-plan.json`: a template and one business impact
//! analysis per business service (with its MTPD), each configuration item's recovery time
//! and data loss achievable, and the disruptions to play. `--json` prints the assessments,
//! the gaps and each scenario's recovery as JSON instead of the report.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Duration;
use itsm_continuity::{
    Answers, Assessment, Capability, ContinuitySpec, Disruption, Plan, Policy, Recovery, Status,
    Template, assess,
};
use itsm_core::Quoted;
use itsm_graph::{Graph, GraphSpec};
use serde::{Deserialize, Serialize};

const DEFAULT_TOPOLOGY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shop-topology.json");
const DEFAULT_PLAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/continuity/shop-plan.json"
);

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One business impact analysis: the service it is for, its MTPD, its answers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bia {
    service: String,
    #[serde(default, with = "itsm_core::duration::option")]
    mtpd: Option<Duration>,
    answers: Answers,
}

/// A disruption to play, and how.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    disruption: Disruption,
    #[serde(default)]
    policy: Policy,
}

/// The plan file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    #[allow(dead_code, reason = "documentation inside the data file")]
    #[serde(default)]
    notes: Vec<String>,
    template: Template,
    bias: Vec<Bia>,
    capabilities: Vec<Capability>,
    scenarios: Vec<Scenario>,
}

/// What `--json` prints.
#[derive(Serialize)]
struct Report<'a> {
    assessments: Vec<(&'a str, &'a Assessment)>,
    gaps: itsm_continuity::Gaps,
    scenarios: Vec<(&'a str, Recovery)>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("continuity: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A duration for people: `4 h`, `1 h 30 min`, `2 d 4 h`, `15 min`, `0`.
fn human(d: Duration) -> String {
    let mins = d.num_minutes();
    let (days, hours, minutes) = (mins / 1440, mins % 1440 / 60, mins % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days} d"));
    }
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if minutes > 0 {
        parts.push(format!("{minutes} min"));
    }
    if parts.is_empty() {
        "0".to_owned()
    } else {
        parts.join(" ")
    }
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Unaffected => "unaffected",
        Status::Met => "met",
        Status::Missed => "MISSED",
        Status::Intolerable => "PAST ITS MTPD",
        Status::NoRecoveryTime => "NO RECOVERY TIME",
        Status::Circular => "NEVER BACK (a cycle)",
    }
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
    let (topology, plan_path) = match paths.as_slice() {
        [] => (PathBuf::from(DEFAULT_TOPOLOGY), PathBuf::from(DEFAULT_PLAN)),
        [t, p] => (t.clone(), p.clone()),
        _ => {
            return Err("give both files, TOPOLOGY.json PLAN.json, or neither (and --json)".into());
        }
    };
    let spec: GraphSpec = itsm_examples::read_json(&topology, "graph spec")?;
    let graph = Graph::from_spec(&spec).map_err(|e| format!("{}: {e}", topology.display()))?;
    let file: PlanFile = itsm_examples::read_json(&plan_path, "continuity plan")?;

    // The impact analyses, then the objectives they set.
    let mut assessments = Vec::with_capacity(file.bias.len());
    let mut objectives = Vec::with_capacity(file.bias.len());
    for b in &file.bias {
        let a = assess(&file.template, &b.answers)
            .map_err(|e| format!("the BIA of `{}`: {e}", Quoted(&b.service)))?;
        let mut o = a.objective(&b.service).ok_or_else(|| {
            format!(
                "the BIA of `{}` sets no RTO yet (a category is pending)",
                Quoted(&b.service)
            )
        })?;
        o.mtpd = b.mtpd;
        objectives.push(o);
        assessments.push((b.service.as_str(), a));
    }
    let cspec = ContinuitySpec::new(objectives, file.capabilities.clone());
    let plan = Plan::new(&graph, &cspec).map_err(|e| format!("{}: {e}", plan_path.display()))?;
    let gaps = plan.gaps();
    let mut recoveries = Vec::with_capacity(file.scenarios.len());
    for s in &file.scenarios {
        let r = plan
            .recover(&s.disruption, &s.policy)
            .map_err(|e| format!("scenario `{}`: {e}", Quoted(&s.name)))?;
        recoveries.push((s.name.as_str(), r));
    }
    if json {
        let report = Report {
            assessments: assessments.iter().map(|(s, a)| (*s, a)).collect(),
            gaps,
            scenarios: recoveries,
        };
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }

    println!(
        "Business impact analyses (ServiceNow's rules: the first intolerable rating of each category, the shortest category, its tier; the RPO band of the highest score):"
    );
    for ((service, a), o) in assessments.iter().zip(&cspec.objectives) {
        println!(
            "   {service}: RTO {} ({}), RPO {} (score {}), MTPD {}",
            a.rto.as_deref().unwrap_or("-"),
            a.tier.as_deref().unwrap_or("no tier"),
            a.rpo.as_deref().unwrap_or("-"),
            a.rpo_score
                .map_or_else(|| "-".to_owned(), |s| s.to_string()),
            o.mtpd.map_or_else(|| "-".to_owned(), human),
        );
    }

    println!();
    println!("What the shared components must achieve (the shortest RTO depending on each):");
    for id in [
        "pg-primary",
        "kafka-1",
        "api-1",
        "dns",
        "wms-app",
        "zendesk",
    ] {
        if let Some(r) = plan.required_rto(id)? {
            let tier = file
                .template
                .tier_for(r.value)
                .map_or("no tier", |t| t.name.as_str());
            println!(
                "   {id}: within {} for {} ({tier})",
                human(r.value),
                r.set_by
            );
        }
    }

    println!();
    println!("Gaps before any disruption:");
    for g in &gaps.rto {
        println!(
            "   recovery time: {} takes {}, {} needs it within {}",
            g.id,
            human(g.achieves),
            g.required.set_by,
            human(g.required.value)
        );
    }
    for g in &gaps.rpo {
        println!(
            "   data loss: {} loses up to {}, {} accepts {}",
            g.id,
            human(g.achieves),
            g.required.set_by,
            human(g.required.value)
        );
    }
    for g in gaps.objective_rto.iter().chain(&gaps.objective_rpo) {
        println!(
            "   objective: {} aims at {}, {} needs {}",
            g.id,
            human(g.achieves),
            g.required.set_by,
            human(g.required.value)
        );
    }
    for u in &gaps.no_rta {
        println!(
            "   no recovery time: {} ({} needs it within {})",
            u.id,
            u.required.set_by,
            human(u.required.value)
        );
    }

    for (name, r) in &recoveries {
        println!();
        println!("Disruption: {name}");
        for o in &r.outcomes {
            let mut line = format!("   {}: {}", o.id, status(o.status));
            if let Some(b) = o.back_after.filter(|_| o.status != Status::Unaffected) {
                line.push_str(&format!(", back after {} (RTO {}", human(b), human(o.rto)));
                if let Some(l) = o.late_by {
                    line.push_str(&format!(", late by {}", human(l)));
                }
                line.push(')');
            }
            if let Some(w) = &o.waits_on {
                line.push_str(&format!(", waits on {w}"));
            }
            println!("{line}");
            if !o.critical_path.is_empty() {
                let more = if o.path_omitted > 0 {
                    format!("({} more) ", o.path_omitted)
                } else {
                    String::new()
                };
                println!(
                    "      critical path: {more}{}",
                    o.critical_path.join(" -> ")
                );
            }
        }
        let s = &r.summary;
        println!(
            "   {} lost, {} down, {} never back; all back after {}",
            s.lost,
            s.down,
            s.never_back,
            s.all_back_after.map_or_else(|| "-".to_owned(), human)
        );
    }
    Ok(())
}
