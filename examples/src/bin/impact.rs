//! The `itsm-graph` queries on a sample online shop (`examples/data/shop-topology.json`):
//! what an incident affects and why, what a maintenance window hides, which node to look at
//! first when several services alarm, what a core switch takes with it, the single points of
//! failure, how many failures the web shop survives, and which of two change windows hurts
//! less. Then it draws one incident's impact as an SVG (laid out here, in layers) and as a
//! Graphviz file.
//!
//! Run it with `cargo run -p itsm-examples --bin impact [topology.json] [output-folder]`. The
//! pictures go to the workspace's `target/` folder unless a folder is given; the folder must
//! exist (nothing is created but the two files). The queries name nodes of the sample shop;
//! on another topology a query naming a node it lacks is skipped with the graph's error. A
//! topology of more than [`DRAW_ALL`] nodes (say, the shop with a million-node chain below
//! its database) is drawn around the incident only: the affected nodes and their direct
//! neighbours.
//!
//! The sample shop runs in one cloud region (`eu-west-1`, three availability zones) with its
//! warehouse system in a colocation rack (`dub-dc1`, dual power feeds and dual core switches)
//! joined to the cloud by a VPN. Modelling choices worth knowing:
//! - Severity is ServiceNow's four levels: a redundancy group that holds reports "affected
//!   (60%)", one level under an outage, as ServiceNow lowers severity by one level for a
//!   redundant path; an outage anywhere unguarded is "down (100%)".
//! - `product-discovery` is a group of alternatives, not of replicas: shoppers find products
//!   by browsing the catalogue or by searching, so losing search alone degrades the shop.
//! - `checkout-api` and `payments-api` call each other (payments posts the authorisation
//!   result back to checkout): the cycle real CMDBs have. `connects_to` propagates both ways,
//!   so the VPN's two ends form a second, structural cycle.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error as StdError;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use itsm_graph::{
    Explanation, Failure, Graph, GraphSpec, ImpactReport, NodeId, NodeKind, Resilience, Scenario,
};

const DEFAULT_TOPOLOGY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shop-topology.json");
const DEFAULT_OUTPUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../target");
const WIDTH: usize = 96;
/// Topologies up to this many nodes are drawn whole; larger ones around the incident.
const DRAW_ALL: usize = 300;
/// The most nodes a picture draws (a layered SVG of more is unreadable anyway).
const DRAW_MAX: usize = 2_000;

type Res<T> = Result<T, Box<dyn StdError>>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("impact: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Res<()> {
    let mut args = std::env::args_os().skip(1);
    let topology = args
        .next()
        .map_or_else(|| PathBuf::from(DEFAULT_TOPOLOGY), PathBuf::from);
    let output = args
        .next()
        .map_or_else(|| PathBuf::from(DEFAULT_OUTPUT), PathBuf::from);
    existing_folder(&output)?;
    let text = std::fs::read_to_string(&topology)
        .map_err(|e| format!("cannot read {}: {e}", topology.display()))?;
    let spec: GraphSpec = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a graph spec: {e}", topology.display()))?;
    let graph = Graph::from_spec(&spec)?;

    overview(&topology, &spec, &graph);
    let incident = Scenario::outages(&["pg-primary", "payment-provider"]);
    let sections: [(&str, &dyn Fn() -> Res<()>); 7] = [
        ("1. Impact: pg-primary and payment-provider fail", &|| {
            incident_impact(&graph, &incident)
        }),
        (
            "2. The same incident during the payment provider's announced maintenance",
            &|| masked_impact(&graph, &incident),
        ),
        (
            "3. Root causes: customer-support-portal and order-fulfilment alarm",
            &|| root_causes(&graph),
        ),
        ("4. Blast radius of core switch core-sw-1", &|| {
            blast_radius(&graph)
        }),
        ("5. Single points of failure of web-shop", &|| spof(&graph)),
        ("6. Resilience: how many simultaneous failures", &|| {
            resilience(&graph)
        }),
        ("7. What if: two planned change windows", &|| {
            what_if(&graph)
        }),
    ];
    for (title, section) in sections {
        println!("\n== {title} ==");
        if let Err(e) = section() {
            println!("  skipped: {e}");
        }
    }

    println!("\n== 8. Picture of the impact of section 1 ==");
    match graph.impact(&incident) {
        Ok(impact) => {
            let title = "Impact: pg-primary and payment-provider fail";
            let drawn = drawn_nodes(&graph, &impact)?;
            if drawn.len() < graph.node_count() {
                println!(
                    "  {} of {} nodes drawn: the affected ones and their direct neighbours \
                     (topologies of more than {DRAW_ALL} nodes are drawn around the incident)",
                    drawn.len(),
                    graph.node_count()
                );
            }
            let (svg, dot) = write_pictures(&graph, &drawn, &impact, &incident, title, &output)?;
            println!("  svg: {}", svg.display());
            println!("  dot: {}", dot.display());
        }
        Err(e) => println!("  skipped: {e}"),
    }
    Ok(())
}

/// `folder` if it is an existing folder; an error otherwise. The example creates no folder:
/// a mistyped path must not leave new folders behind (even at the root of the file system).
fn existing_folder(folder: &Path) -> Res<()> {
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!("{} is not a folder", folder.display()).into()),
        Err(e) => Err(format!(
            "cannot use {} as the output folder: {e} (create it first; this example creates no folders)",
            folder.display()
        )
        .into()),
    }
}

// ---------------------------------------------------------------------------------------
// The queries
// ---------------------------------------------------------------------------------------

fn overview(path: &Path, spec: &GraphSpec, graph: &Graph) {
    println!("Service impact on {}", path.display());
    println!(
        "  {} nodes and {} redundancy groups ({} graph nodes); {} edges of {} relation types, {} propagation arcs",
        spec.nodes.len(),
        spec.groups.len(),
        graph.node_count(),
        spec.edges.len(),
        spec.relations.len(),
        graph.arc_count()
    );
    let mut kinds: BTreeMap<NodeKind, usize> = BTreeMap::new();
    for n in &spec.nodes {
        *kinds.entry(n.kind).or_default() += 1;
    }
    let kinds: Vec<String> = kinds
        .iter()
        .map(|(k, n)| format!("{n} {}s", kind_name(*k)))
        .collect();
    println!("  {}", kinds.join(", "));
    let scale = graph.severity_scale();
    println!(
        "  severity: {}; a redundancy group that holds reports \"{}\"",
        scale.levels.join(" < "),
        level_name(graph, scale.group_holding)
    );
    let cycles = graph.cycles();
    println!("  cycles: {}", cycles.len());
    for cycle in cycles {
        let ids: BTreeSet<&str> = cycle.iter().map(|n| graph.id(*n)).collect();
        let inside: Vec<String> = spec
            .edges
            .iter()
            .filter(|e| ids.contains(e.from.as_str()) && ids.contains(e.to.as_str()))
            .map(|e| format!("{} {} {}", e.from, e.relation, e.to))
            .collect();
        let ids: Vec<&str> = ids.into_iter().collect();
        println!("    {{{}}}: {}", ids.join(", "), inside.join("; "));
    }
}

fn incident_impact(graph: &Graph, incident: &Scenario) -> Res<()> {
    let impact = graph.impact(incident)?;
    print_impact(graph, &impact);
    Ok(())
}

fn masked_impact(graph: &Graph, incident: &Scenario) -> Res<()> {
    let mut masked = incident.clone();
    masked.maintenance = vec!["payment-provider".into()];
    println!("  maintenance: payment-provider (its outage is planned, so it is left out)");
    let impact = graph.impact(&masked)?;
    print_impact(graph, &impact);
    let diff = graph.what_if(incident, &masked)?;
    println!("  services compared with section 1:");
    for (id, before, after) in &diff.changed {
        println!(
            "    {id:<26} {} -> {}",
            level_name(graph, *before),
            level_name(graph, *after)
        );
    }
    for (id, before) in &diff.only_first {
        println!("    {id:<26} {} -> unaffected", level_name(graph, *before));
    }
    Ok(())
}

fn root_causes(graph: &Graph) -> Res<()> {
    let alarmed = ["customer-support-portal", "order-fulfilment"];
    let candidates = graph.root_causes(&alarmed, 5, 200)?;
    println!(
        "  ranked by alarms explained, then fewest other business services hit, then id; the\n  severity each candidate's outage would cause at the alarmed services:"
    );
    for (rank, c) in candidates.iter().enumerate() {
        let radius = graph.blast_radius(&c.id)?;
        let explains: Vec<String> = c
            .explains
            .iter()
            .map(|s| format!("{s} {}", level_name(graph, radius.severity(s).unwrap_or(0))))
            .collect();
        println!(
            "  {}. {:<11} {} other business services hit\n       {}",
            rank + 1,
            c.id,
            c.also_affects,
            explains.join(", ")
        );
    }
    Ok(())
}

fn blast_radius(graph: &Graph) -> Res<()> {
    let impact = graph.blast_radius("core-sw-1")?;
    print_impact(graph, &impact);
    Ok(())
}

fn spof(graph: &Graph) -> Res<()> {
    let spofs = graph.single_points_of_failure("web-shop")?;
    println!(
        "  {} nodes whose failure alone takes web-shop down:",
        spofs.len()
    );
    let mut services = Vec::new();
    let mut applications = Vec::new();
    let mut infrastructure = Vec::new();
    for id in &spofs {
        let Some(spec) = graph.spec(graph.node(id)?) else {
            continue;
        };
        match spec.kind {
            NodeKind::BusinessService | NodeKind::TechnicalService => services.push(id.clone()),
            _ if spec.class == "application" => applications.push(id.clone()),
            _ => {
                let by = [spec.supplier, spec.location]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                infrastructure.push(format!("{id} ({}, {by})", spec.class));
            }
        }
    }
    print_list("services", &services);
    print_list("applications", &applications);
    print_list("infrastructure", &infrastructure);
    println!(
        "  (the web farm, API cluster, load balancers, database pair, Kafka brokers, search nodes\n  and each availability zone are absent: their redundancy holds)"
    );
    Ok(())
}

fn resilience(graph: &Graph) -> Res<()> {
    for (id, what) in [
        ("web-shop", "the web shop"),
        (
            "wms-host",
            "the warehouse server (dual power, dual core switches)",
        ),
    ] {
        let r = graph.resilience(id, 3, 50_000)?;
        let spofs = graph.single_points_of_failure(id)?.len();
        let text = match r {
            Resilience::MinimumSet { size, example } => format!(
                "survives {} simultaneous failure{}: {} {}",
                size - 1,
                if size == 2 { "" } else { "s" },
                example.join(" + "),
                if size == 1 {
                    format!(
                        "alone takes it down\n    (one of its {spofs} single points of failure)"
                    )
                } else {
                    "together take it down".into()
                }
            ),
            Resilience::AtLeast { checked } => {
                format!("survives any {checked} simultaneous failures (the search stopped there)")
            }
            Resilience::Unbreakable => "depends on nothing: no failure can take it down".into(),
        };
        println!("  {id}, {what}:\n    {text}");
    }
    Ok(())
}

fn what_if(graph: &Graph) -> Res<()> {
    let windows = [
        (
            "A",
            "Sat 02:00-04:00: patch pg-primary (the replica serves), reboot api-1 and api-2;\n     Adyen has announced maintenance in the same hours",
            Scenario::outages(&["pg-primary", "api-1", "api-2", "payment-provider"]),
        ),
        (
            "B",
            "Sun 02:00-04:00: replace core-sw-1, upgrade fw-1's firmware (it reboots),\n     restart Kafka broker kafka-1",
            Scenario::new(
                ["core-sw-1", "fw-1", "kafka-1"]
                    .into_iter()
                    .map(Failure::outage)
                    .collect(),
                &[],
            ),
        ),
    ];
    let mut impacts = Vec::new();
    for (name, text, scenario) in &windows {
        println!("  window {name}: {text}");
        impacts.push(graph.impact(scenario)?);
    }
    println!("  business services during each window:");
    let business: Vec<NodeId> = graph
        .nodes()
        .filter(|n| graph.kind(*n) == Some(NodeKind::BusinessService))
        .collect();
    for n in business {
        let id = graph.id(n);
        let at = |w: usize| {
            or_unaffected(
                graph,
                impacts.get(w).and_then(|i| i.severity(id)).unwrap_or(0),
            )
        };
        println!("    {id:<26} A: {:<16} B: {}", at(0), at(1));
    }
    let [(_, _, a), (_, _, b)] = &windows;
    let diff = graph.what_if(a, b)?;
    let show = |list: &[(String, u8)]| -> Vec<String> {
        list.iter()
            .map(|(id, s)| format!("{id} {}", level_name(graph, *s)))
            .collect()
    };
    println!("  all services, what_if(A, B):");
    print_list("only in A", &show(&diff.only_first));
    print_list("only in B", &show(&diff.only_second));
    let changed: Vec<String> = diff
        .changed
        .iter()
        .map(|(id, x, y)| {
            format!(
                "{id} {} -> {}",
                level_name(graph, *x),
                level_name(graph, *y)
            )
        })
        .collect();
    print_list("A -> B", &changed);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------

fn kind_name(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::BusinessService => "business service",
        NodeKind::TechnicalService => "technical service",
        NodeKind::ConfigurationItem => "configuration item",
        NodeKind::Group => "redundancy group",
    }
}

fn level_name(graph: &Graph, level: u8) -> String {
    graph
        .severity_scale()
        .levels
        .get(usize::from(level).saturating_sub(1))
        .cloned()
        .unwrap_or_default()
}

fn or_unaffected(graph: &Graph, level: u8) -> String {
    if level == 0 {
        "unaffected".into()
    } else {
        level_name(graph, level)
    }
}

/// `label: a, b, c` wrapped under the label.
fn print_list(label: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let head = format!("    {label:<15} ");
    let pad = " ".repeat(head.len());
    let mut line = head;
    let mut first = true;
    for (i, item) in items.iter().enumerate() {
        let text = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        if !first && line.len() + 1 + text.len() > WIDTH {
            println!("{}", line.trim_end());
            line = pad.clone();
            first = true;
        }
        if !first {
            line.push(' ');
        }
        line.push_str(&text);
        first = false;
    }
    println!("{line}");
}

fn print_impact(graph: &Graph, impact: &ImpactReport) {
    println!(
        "  {} of {} nodes affected:",
        impact.affected.len(),
        graph.node_count()
    );
    for level in (1..=graph.outage()).rev() {
        let ids: Vec<String> = impact
            .affected
            .iter()
            .filter(|a| a.severity == level)
            .map(|a| a.id.clone())
            .collect();
        print_list(&level_name(graph, level), &ids);
    }
    println!("  why each business service is affected:");
    for e in &impact.explanations {
        print_explanation(graph, e);
    }
}

fn print_explanation(graph: &Graph, e: &Explanation) {
    println!("    {} is {}", e.service, level_name(graph, e.severity));
    println!("      {}", e.path.join(" -> "));
    for g in &e.groups {
        println!("      {g}");
    }
}

// ---------------------------------------------------------------------------------------
// The picture: a layered layout computed here, written as SVG, and the same graph as DOT
// ---------------------------------------------------------------------------------------

/// Nodes in layers: business services on top, each node one layer below the lowest of the
/// nodes that depend on it (the longest path from a business service over the reverse
/// propagation arcs, cycles broken where a depth-first search meets them).
struct Layout {
    layers: Vec<Vec<NodeId>>,
    layer_of: BTreeMap<NodeId, usize>,
}

/// The nodes a picture of `impact` draws: every node of a topology of at most [`DRAW_ALL`]
/// nodes, else the affected nodes and their direct neighbours (what they depend on and what
/// depends on them); an error past [`DRAW_MAX`].
fn drawn_nodes(graph: &Graph, impact: &ImpactReport) -> Res<BTreeSet<NodeId>> {
    if graph.node_count() <= DRAW_ALL {
        return Ok(graph.nodes().collect());
    }
    let mut drawn = BTreeSet::new();
    for a in &impact.affected {
        let u = graph.node(&a.id)?;
        drawn.insert(u);
        drawn.extend(graph.affects(u));
        drawn.extend(graph.affected_by(u));
        if drawn.len() > DRAW_MAX {
            return Err(format!(
                "the incident's neighbourhood has more than {DRAW_MAX} nodes: too many to draw"
            )
            .into());
        }
    }
    Ok(drawn)
}

/// `graph.affected_by(u)` among the drawn nodes.
fn drawn_deps(graph: &Graph, drawn: &BTreeSet<NodeId>, u: NodeId) -> Vec<NodeId> {
    let mut deps = graph.affected_by(u);
    deps.retain(|d| drawn.contains(d));
    deps
}

fn layout(graph: &Graph, drawn: &BTreeSet<NodeId>) -> Layout {
    let all: Vec<NodeId> = drawn.iter().copied().collect();
    // Roots: the business services, then anything nothing reached (so every node is drawn).
    let roots: Vec<NodeId> = all
        .iter()
        .copied()
        .filter(|u| graph.kind(*u) == Some(NodeKind::BusinessService))
        .chain(all.iter().copied())
        .collect();
    let mut state: BTreeMap<NodeId, u8> = BTreeMap::new(); // 1: on the stack, 2: done
    let mut postorder = Vec::new();
    let mut children: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
    for root in roots {
        if state.contains_key(&root) {
            continue;
        }
        state.insert(root, 1);
        // Each frame holds its node's dependencies, listed once.
        let mut stack: Vec<(NodeId, Vec<NodeId>, usize)> =
            vec![(root, drawn_deps(graph, drawn, root), 0)];
        while let Some((u, deps, next)) = stack.last_mut() {
            let u = *u;
            if let Some(&d) = deps.get(*next) {
                *next += 1;
                match state.get(&d) {
                    Some(1) => {} // a back edge: this is where a cycle is broken
                    Some(_) => children.entry(u).or_default().push(d),
                    None => {
                        children.entry(u).or_default().push(d);
                        state.insert(d, 1);
                        stack.push((d, drawn_deps(graph, drawn, d), 0));
                    }
                }
            } else {
                state.insert(u, 2);
                postorder.push(u);
                stack.pop();
            }
        }
    }
    let mut layer_of: BTreeMap<NodeId, usize> = all.iter().map(|u| (*u, 0)).collect();
    for u in postorder.iter().rev() {
        let lu = layer_of.get(u).copied().unwrap_or(0);
        for d in children.get(u).map_or(&[][..], Vec::as_slice) {
            if let Some(ld) = layer_of.get_mut(d) {
                *ld = (*ld).max(lu + 1);
            }
        }
    }
    // Longest path alone leaves a VM many layers above its availability zone; sink every
    // node that has dependencies to just above the highest of them (dependencies first),
    // so infrastructure lines up at the bottom. Leaves (suppliers) stay near their users.
    for u in &postorder {
        let Some(deps) = children.get(u) else {
            continue;
        };
        let lowest = deps.iter().filter_map(|d| layer_of.get(d)).min().copied();
        if let (Some(lowest), Some(lu)) = (lowest, layer_of.get_mut(u)) {
            if graph.kind(*u) != Some(NodeKind::BusinessService) {
                *lu = (*lu).max(lowest.saturating_sub(1));
            }
        }
    }
    let depth = layer_of.values().copied().max().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<NodeId>> = vec![Vec::new(); depth];
    for (u, l) in &layer_of {
        if let Some(layer) = layers.get_mut(*l) {
            layer.push(*u);
        }
    }
    let mut layout = Layout { layers, layer_of };
    order_layers(graph, drawn, &mut layout);
    layout
}

/// Fewer crossings: a few barycentre sweeps, down then up, positions as fractions of the
/// layer's width.
fn order_layers(graph: &Graph, drawn: &BTreeSet<NodeId>, layout: &mut Layout) {
    let mut pos: BTreeMap<NodeId, f64> = BTreeMap::new();
    let place = |layer: &[NodeId], pos: &mut BTreeMap<NodeId, f64>| {
        let len = layer.len() as f64;
        for (i, u) in layer.iter().enumerate() {
            pos.insert(*u, (i as f64 + 0.5) / len);
        }
    };
    for layer in &layout.layers {
        place(layer, &mut pos);
    }
    let layer_of = &layout.layer_of;
    let neighbours = |u: NodeId, above: bool| -> Vec<NodeId> {
        let lu = layer_of.get(&u).copied().unwrap_or(0);
        graph
            .affects(u)
            .into_iter()
            .chain(graph.affected_by(u))
            .filter(|v| drawn.contains(v))
            .filter(|v| {
                let lv = layer_of.get(v).copied().unwrap_or(0);
                if above { lv < lu } else { lv > lu }
            })
            .collect()
    };
    let depth = layout.layers.len();
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let Some(layer) = layout.layers.get_mut(l) else {
                continue;
            };
            let mut keyed: Vec<(f64, f64, NodeId)> = layer
                .iter()
                .map(|u| {
                    let own = pos.get(u).copied().unwrap_or(0.5);
                    let ns = neighbours(*u, down);
                    let key = if ns.is_empty() {
                        own
                    } else {
                        ns.iter()
                            .map(|v| pos.get(v).copied().unwrap_or(0.5))
                            .sum::<f64>()
                            / ns.len() as f64
                    };
                    (key, own, *u)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            *layer = keyed.into_iter().map(|(_, _, u)| u).collect();
            place(layer, &mut pos);
        }
    }
}

/// Fill and text colours for a severity: the outage red, one level under it orange, then
/// yellows; unaffected white.
fn colours(level: u8, outage: u8) -> (&'static str, &'static str) {
    match outage.saturating_sub(level) {
        _ if level == 0 => ("#ffffff", "#222222"),
        0 => ("#d73027", "#ffffff"),
        1 => ("#fc8d59", "#222222"),
        2 => ("#fee08b", "#222222"),
        _ => ("#ffffbf", "#222222"),
    }
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn dot_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// What a box says under its id: the class (or the group's rule), and the severity.
fn subtitle(graph: &Graph, node: NodeId, level: u8) -> String {
    let what = match graph.group_rule(node) {
        Some((members, need)) => format!("needs {} of {}", members + 1 - need, members),
        None => match graph.kind(node) {
            Some(NodeKind::BusinessService) => "business service".into(),
            Some(NodeKind::TechnicalService) => "technical service".into(),
            _ => graph.spec(node).map(|s| s.class).unwrap_or_default(),
        },
    };
    if level == 0 {
        what
    } else {
        format!("{what} · {}", level_name(graph, level))
    }
}

/// A dependency drawn once per pair: `(dependent, dependency)`, and whether failure also
/// travels the other way (a cycle of two, or `connects_to`).
fn drawn_edges(graph: &Graph, drawn: &BTreeSet<NodeId>) -> Vec<(NodeId, NodeId, bool)> {
    let mut arcs: BTreeSet<(NodeId, NodeId)> = BTreeSet::new(); // (failing, affected)
    for &u in drawn {
        for v in graph.affects(u) {
            if drawn.contains(&v) {
                arcs.insert((u, v));
            }
        }
    }
    let mut out = Vec::new();
    for &(failing, affected) in &arcs {
        let mutual = arcs.contains(&(affected, failing));
        if mutual && failing < affected {
            continue; // drawn from the other arc
        }
        out.push((affected, failing, mutual));
    }
    out
}

struct Box2 {
    x: f64,
    y: f64,
    w: f64,
}

const BOX_H: f64 = 38.0;
const LAYER_GAP: f64 = 96.0;
const GAP: f64 = 14.0;
const TOP: f64 = 118.0;
const MARGIN: f64 = 24.0;

fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * px
}

fn render_svg(
    graph: &Graph,
    drawn: &BTreeSet<NodeId>,
    impact: &ImpactReport,
    scenario: &Scenario,
    title: &str,
) -> String {
    let outage = graph.outage();
    let lay = layout(graph, drawn);
    // The ids are the graph's own, so a report knows each of them.
    let level = |u: NodeId| impact.severity(graph.id(u)).unwrap_or(0);
    let failed: BTreeSet<&str> = scenario.failed.iter().map(|f| f.id.as_str()).collect();
    let masked: BTreeSet<&str> = scenario.maintenance.iter().map(String::as_str).collect();
    let mut on_path: BTreeSet<(String, String)> = BTreeSet::new();
    for e in &impact.explanations {
        for pair in e.path.windows(2) {
            if let [a, b] = pair {
                on_path.insert((a.clone(), b.clone()));
            }
        }
    }

    // Boxes: widths from the labels, each layer centred.
    let mut boxes: BTreeMap<NodeId, Box2> = BTreeMap::new();
    let mut widths = Vec::new();
    for layer in &lay.layers {
        let mut total = 0.0;
        for u in layer {
            let node = *u;
            let w = text_width(graph.id(node), 7.2)
                .max(text_width(&subtitle(graph, node, level(*u)), 5.8))
                + 18.0;
            total += w.max(64.0) + GAP;
        }
        widths.push(total - GAP);
    }
    let width = widths.iter().copied().fold(900.0_f64, f64::max) + 2.0 * MARGIN;
    for (l, (layer, lw)) in lay.layers.iter().zip(&widths).enumerate() {
        let mut x = (width - lw) / 2.0;
        let y = TOP + l as f64 * LAYER_GAP;
        for u in layer {
            let node = *u;
            let w = (text_width(graph.id(node), 7.2)
                .max(text_width(&subtitle(graph, node, level(*u)), 5.8))
                + 18.0)
                .max(64.0);
            boxes.insert(*u, Box2 { x, y, w });
            x += w + GAP;
        }
    }
    let height = TOP + lay.layers.len().saturating_sub(1) as f64 * LAYER_GAP + BOX_H + MARGIN;

    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Helvetica, Arial, sans-serif">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="{MARGIN}" y="30" font-size="20" font-weight="bold">{}</text>
<text x="{MARGIN}" y="50" font-size="12" fill="#444444">{} of {} nodes affected. Upper boxes depend on lower ones; failure travels up. Thick lines: the explanation paths.</text>"##,
        xml(title),
        impact.affected.len(),
        graph.node_count()
    );
    // Legend.
    let mut lx = MARGIN;
    let ly = 66.0;
    let mut legend = |s: &mut String,
                      fill: &str,
                      stroke: &str,
                      dash: bool,
                      width: f64,
                      label: &str| {
        let _ = writeln!(
            s,
            r#"<rect x="{lx}" y="{ly}" width="18" height="14" rx="3" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{}/><text x="{}" y="{}" font-size="11">{}</text>"#,
            if dash {
                r#" stroke-dasharray="4 3""#
            } else {
                ""
            },
            lx + 24.0,
            ly + 11.0,
            xml(label)
        );
        lx += 24.0 + text_width(label, 6.2) + 18.0;
    };
    for l in (1..=outage).rev() {
        let (fill, _) = colours(l, outage);
        legend(&mut s, fill, "#555555", false, 1.0, &level_name(graph, l));
    }
    legend(&mut s, "#ffffff", "#555555", false, 1.0, "unaffected");
    legend(&mut s, "#ffffff", "#000000", false, 3.0, "failed");
    legend(&mut s, "#f0f0f0", "#555555", false, 1.0, "in maintenance");
    legend(&mut s, "#ffffff", "#555555", true, 1.0, "redundancy group");
    let _ = writeln!(
        s,
        r##"<line x1="{lx}" y1="{}" x2="{}" y2="{}" stroke="#7b3294" stroke-width="1.5" stroke-dasharray="5 3"/><text x="{}" y="{}" font-size="11">each depends on the other (cycle, connects_to)</text>"##,
        ly + 7.0,
        lx + 26.0,
        ly + 7.0,
        lx + 32.0,
        ly + 11.0
    );

    // Edges under the boxes.
    for (dependent, dependency, mutual) in drawn_edges(graph, drawn) {
        let (Some(a), Some(b)) = (boxes.get(&dependent), boxes.get(&dependency)) else {
            continue;
        };
        let (ia, ib) = (graph.id(dependent), graph.id(dependency));
        let hot = level(dependent).min(level(dependency));
        let colour = if hot == 0 {
            "#b8b8b8"
        } else if hot == outage {
            "#b2182b"
        } else {
            "#e66101"
        };
        let thick = on_path.contains(&(ib.to_owned(), ia.to_owned()))
            || (mutual && on_path.contains(&(ia.to_owned(), ib.to_owned())));
        let width = if thick { 3.0 } else { 1.2 };
        // Upper box to lower box; a dependency drawn above its dependent is a cycle's edge.
        let back = b.y < a.y;
        let (top, low) = if back { (b, a) } else { (a, b) };
        let (x1, x2) = (top.x + top.w / 2.0, low.x + low.w / 2.0);
        let d = if low.y > top.y {
            let (y1, y2) = (top.y + BOX_H, low.y);
            let mid = (y1 + y2) / 2.0;
            format!("M{x1:.1},{y1:.1} C{x1:.1},{mid:.1} {x2:.1},{mid:.1} {x2:.1},{y2:.1}")
        } else {
            // Same layer: arc over the boxes.
            let (y, lift) = (top.y, top.y - 26.0);
            format!("M{x1:.1},{y:.1} C{x1:.1},{lift:.1} {x2:.1},{lift:.1} {x2:.1},{y:.1}")
        };
        let dash = mutual || back || low.y <= top.y;
        let colour = if dash && hot == 0 { "#7b3294" } else { colour };
        let _ = writeln!(
            s,
            r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}"{}><title>{} depends on {}</title></path>"#,
            if dash {
                r#" stroke-dasharray="5 3""#
            } else {
                ""
            },
            xml(ia),
            xml(ib)
        );
    }

    // Boxes.
    for (u, b) in &boxes {
        let node = *u;
        let id = graph.id(node);
        let lv = level(*u);
        let (mut fill, text) = colours(lv, outage);
        if masked.contains(id) {
            fill = "#f0f0f0";
        }
        let group = graph.group_rule(node).is_some();
        let business = graph.kind(node) == Some(NodeKind::BusinessService);
        let (stroke, sw) = if failed.contains(id) && !masked.contains(id) {
            ("#000000", 3.0)
        } else {
            ("#555555", 1.0)
        };
        let spec = graph.spec(node);
        let tip = spec.map_or_else(String::new, |sp| {
            [
                Some(kind_name(sp.kind).to_owned()),
                (sp.tier > 0).then(|| format!("tier {}", sp.tier)),
                sp.owner.map(|o| format!("owner {o}")),
                sp.supplier.map(|o| format!("supplier {o}")),
                sp.location.map(|o| format!("location {o}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        });
        let _ = writeln!(
            s,
            r#"<g><title>{}: {}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{BOX_H}" rx="{}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{}/>
<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="{text}"{}>{}</text>
<text x="{:.1}" y="{:.1}" font-size="9.5" text-anchor="middle" fill="{text}">{}</text></g>"#,
            xml(id),
            xml(&tip),
            b.x,
            b.y,
            b.w,
            if group { 12 } else { 4 },
            if group {
                r#" stroke-dasharray="5 3""#
            } else {
                ""
            },
            b.x + b.w / 2.0,
            b.y + 16.0,
            if business {
                r#" font-weight="bold""#
            } else {
                ""
            },
            xml(id),
            b.x + b.w / 2.0,
            b.y + 30.0,
            xml(&subtitle(graph, node, lv))
        );
    }
    s.push_str("</svg>\n");
    s
}

fn render_dot(
    graph: &Graph,
    drawn: &BTreeSet<NodeId>,
    impact: &ImpactReport,
    scenario: &Scenario,
    title: &str,
) -> String {
    let outage = graph.outage();
    let failed: BTreeSet<&str> = scenario.failed.iter().map(|f| f.id.as_str()).collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "digraph impact {{\n  graph [label=\"{}\", labelloc=t, fontname=\"Helvetica\", fontsize=18, ranksep=0.6];\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, fillcolor=\"#ffffff\"];\n  edge [color=\"#999999\", arrowsize=0.6];\n  // Edges run dependent -> dependency: failure travels against the arrows.",
        dot_string(title)
    );
    let mut business = Vec::new();
    for &u in drawn {
        let node = u;
        let id = graph.id(node);
        let lv = impact.severity(id).unwrap_or(0);
        let (fill, text) = colours(lv, outage);
        let mut style = String::from("rounded,filled");
        if graph.group_rule(node).is_some() {
            style.push_str(",dashed");
        }
        if graph.kind(node) == Some(NodeKind::BusinessService) {
            style.push_str(",bold");
            business.push(format!("\"{}\"", dot_string(id)));
        }
        let pen = if failed.contains(id) {
            ", penwidth=3"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "  \"{}\" [label=\"{}\\n{}\", fillcolor=\"{fill}\", fontcolor=\"{text}\", style=\"{style}\"{pen}];",
            dot_string(id),
            dot_string(id),
            dot_string(&subtitle(graph, node, lv))
        );
    }
    let _ = writeln!(s, "  {{ rank=source; {}; }}", business.join("; "));
    for (dependent, dependency, mutual) in drawn_edges(graph, drawn) {
        let (a, b) = (graph.id(dependent), graph.id(dependency));
        let hot = impact.severity(a).min(impact.severity(b)).unwrap_or(0);
        let colour = match hot {
            0 if mutual => "#7b3294",
            0 => "#999999",
            h if h == outage => "#b2182b",
            _ => "#e66101",
        };
        let extra = if mutual {
            ", dir=both, style=dashed, constraint=false"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "  \"{}\" -> \"{}\" [color=\"{colour}\"{extra}];",
            dot_string(a),
            dot_string(b)
        );
    }
    s.push_str("}\n");
    s
}

/// Writes `impact.svg` and `impact.dot` into `folder`, which exists (checked at the start:
/// see [`existing_folder`]); nothing else is created.
fn write_pictures(
    graph: &Graph,
    drawn: &BTreeSet<NodeId>,
    impact: &ImpactReport,
    scenario: &Scenario,
    title: &str,
    folder: &Path,
) -> Res<(PathBuf, PathBuf)> {
    let svg = folder.join("impact.svg");
    let dot = folder.join("impact.dot");
    for (path, text) in [
        (&svg, render_svg(graph, drawn, impact, scenario, title)),
        (&dot, render_dot(graph, drawn, impact, scenario, title)),
    ] {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok((svg.canonicalize()?, dot.canonicalize()?))
}
