//! Cost roll-up speed: `itsm_cost` on a generated CMDB of about a million nodes (and deep and
//! wide shapes), against the roll-up a user would otherwise write in Python with networkx
//! (`examples/bench/cost_rollup.py`: the condensation of the graph, a topological pass over
//! it, the same rules), in one run, with the ratio.
//!
//! The CMDB is generated deterministically (a seeded xorshift) over 20 sites: 2,000 power
//! feeds, 200,000 hosts powered by them, 400,000 virtual machines on hosts, 300,000
//! applications on a machine or a cluster (a redundancy group of two to four machines) and
//! on earlier applications, 98,000 services on one to three applications, one service in
//! fifty calling another that calls it back (a cycle: costed as a pool). Costs: rate cards
//! for hosts, machines and power feeds, one site's power distributed over its items (twenty
//! distribution costs), an expense on every application, and every service's cost allocated
//! to one to three of fifty cost centres by units.
//!
//! Timed, each the median of [`REPS`] runs on the wall clock (and the thread's CPU time):
//! `Costing::new` (the checks, direct costs, the roll-up, the allocations) and the totals.
//! Both sides print a summary (what services keep, stranded, allocated, unallocated, and a
//! checksum over every node's total); the two must agree. Deep and wide: a million-node
//! chain, a million-node cycle costed as one pool, a million-member group on a node a
//! million nodes depend on.
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-cost` (`--no-python` skips the
//! peer, `--deep-only` runs only the deep and wide shapes). The peer's networkx is installed
//! into the benchmarks' virtual environment under the Cargo target folder (never system-wide).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::fmt::Write as _;
use std::io::Write;
use std::time::Instant;

use itsm_cost::{
    AllocationUnits, CostSpec, Costing, Cycles, Distribution, Expense, Policy, RateCard, Selector,
};
use itsm_examples::bench::{
    Rng, cpus_visible, load_average, python_env, python_script, run_lines, target_dir, time_median,
};
use itsm_graph::{
    EdgeSpec, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
};

type Res<T> = Result<T, Box<dyn Error>>;

/// Repetitions of each measurement (odd: the median is one run).
const REPS: usize = 5;
const SITES: u32 = 20;
const POWER: u32 = 2_000;
const HOSTS: u32 = 200_000;
const VMS: u32 = 400_000;
const APPS: u32 = 300_000;
const SERVICES: u32 = 98_000;
const CENTRES: u32 = 50;

/// Median wall and CPU milliseconds of `f` over [`REPS`] runs, and its last answer.
fn time<T>(f: impl FnMut() -> Res<T>) -> Res<(f64, f64, T)> {
    time_median(REPS, f)
}

fn cmdb() -> Res<(GraphSpec, CostSpec)> {
    let mut rng = Rng::new(0x00C0_FFEE);
    let mut nodes = Vec::new();
    let mut groups = Vec::new();
    let mut edges = Vec::new();
    let ci = |id: String, class: &str, site: Option<u32>| {
        let mut n = NodeSpec::new(&id, NodeKind::ConfigurationItem, class);
        n.location = site.map(|s| format!("site-{s:02}"));
        n
    };
    for i in 0..POWER {
        nodes.push(ci(format!("pdu{i}"), "pdu", Some(i % SITES)));
    }
    let mut host_site = Vec::new();
    for i in 0..HOSTS {
        let site = rng.below_u32(SITES);
        nodes.push(ci(format!("host{i}"), "host", Some(site)));
        let p = rng.below_u32(POWER / SITES) * SITES + site;
        edges.push(EdgeSpec::new(
            &format!("host{i}"),
            &format!("pdu{p}"),
            "powered_by",
        ));
        host_site.push(site);
    }
    for i in 0..VMS {
        let h = rng.below_u32(HOSTS);
        let site = host_site.get(h as usize).copied().unwrap_or(0);
        nodes.push(ci(format!("vm{i}"), "vm", Some(site)));
        edges.push(EdgeSpec::new(
            &format!("vm{i}"),
            &format!("host{h}"),
            "runs_on",
        ));
    }
    let mut expenses = Vec::new();
    for i in 0..APPS {
        let id = format!("app{i}");
        nodes.push(ci(id.clone(), "app", None));
        if rng.percent(50) {
            let k = rng.between_u32(2, 4);
            let g = format!("cluster{}", groups.len());
            let mut members: Vec<String> = Vec::new();
            while members.len() < k as usize {
                let v = format!("vm{}", rng.below_u32(VMS));
                if !members.contains(&v) {
                    members.push(v);
                }
            }
            let refs: Vec<&str> = members.iter().map(String::as_str).collect();
            groups.push(GroupSpec::new(&g, &refs, MinUp::Count(1)));
            edges.push(EdgeSpec::new(&id, &g, "runs_on"));
        } else {
            edges.push(EdgeSpec::new(
                &id,
                &format!("vm{}", rng.below_u32(VMS)),
                "runs_on",
            ));
        }
        for _ in 0..rng.below(3) {
            if i > 0 {
                edges.push(EdgeSpec::new(
                    &id,
                    &format!("app{}", rng.below_u32(i)),
                    "depends_on",
                ));
            }
        }
        expenses.push(Expense::new(&id, rng.between(0, 500_000), "licence"));
    }
    let mut units = Vec::new();
    for i in 0..SERVICES {
        let id = format!("svc{i}");
        nodes.push(NodeSpec::new(&id, NodeKind::BusinessService, "service"));
        for _ in 0..rng.between(1, 3) {
            edges.push(EdgeSpec::new(
                &id,
                &format!("app{}", rng.below_u32(APPS)),
                "depends_on",
            ));
        }
        if i % 50 == 1 {
            edges.push(EdgeSpec::new(&id, &format!("svc{}", i - 1), "depends_on"));
            edges.push(EdgeSpec::new(&format!("svc{}", i - 1), &id, "depends_on"));
        }
        let mut left = 100u64;
        let mut consumers = Vec::new();
        for _ in 0..rng.between(1, 3) {
            let c = format!("cc-{:02}", rng.below_u32(CENTRES));
            let u = rng.below(left + 1);
            if !consumers.iter().any(|(x, _): &(String, u64)| *x == c) {
                left -= u;
                consumers.push((c, u));
            }
        }
        let refs: Vec<(&str, u64)> = consumers.iter().map(|(c, u)| (c.as_str(), *u)).collect();
        units.push(AllocationUnits::new(&id, 100, &refs));
    }
    let graph = GraphSpec::new(
        vec![
            RelationSpec::new("depends_on", Propagation::ToFrom),
            RelationSpec::new("runs_on", Propagation::ToFrom),
            RelationSpec::new("powered_by", Propagation::ToFrom),
        ],
        nodes,
        groups,
        edges,
    );
    let mut spec = CostSpec::new(
        vec![
            RateCard::new(
                "hosts",
                Selector::classes(&["host"]),
                &[("lease", 50_000), ("support", 7_500)],
            ),
            RateCard::new(
                "vms",
                Selector::classes(&["vm"]),
                &[("compute", 12_000), ("backup", 1_500)],
            ),
            RateCard::new(
                "power feeds",
                Selector::classes(&["pdu"]),
                &[("maintenance", 8_000)],
            ),
        ],
        expenses,
        (0..SITES)
            .map(|s| {
                let site = format!("site-{s:02}");
                Distribution::new(
                    &format!("{site} power"),
                    10_000_003,
                    Selector::locations(&[&site]),
                )
            })
            .collect(),
    );
    spec.units = units;
    Ok((graph, spec))
}

fn pooled() -> Policy {
    let mut p = Policy::default();
    p.cycles = Cycles::Pool;
    p
}

/// What services keep, stranded, allocated, unallocated, and a checksum over every node's
/// total (total times its index mod 1000 plus one), as the peer prints it.
fn summary(graph: &GraphSpec, c: &Costing) -> Res<String> {
    let t = c.totals();
    let mut check: i128 = 0;
    let ids = graph
        .nodes
        .iter()
        .map(|n| &n.id)
        .chain(graph.groups.iter().map(|g| &g.id));
    for (i, id) in ids.enumerate() {
        check += i128::from(c.cost(id)?.total) * (i as i128 % 1000 + 1);
    }
    Ok(format!(
        "services {} stranded {} allocated {} unallocated {} pools {} check {check}",
        t.kept_by_services,
        t.stranded,
        t.allocated,
        t.unallocated,
        c.pools().len()
    ))
}

/// The graph and spec for the Python peer, by index: nodes (kind, class, site), edges
/// (from, to; all relations carry cost the same way), groups (members), rate cards per
/// class, distributions per site, expenses, units.
fn write_input(graph: &GraphSpec, spec: &CostSpec, path: &std::path::Path) -> Res<()> {
    let mut index = std::collections::HashMap::new();
    for (i, id) in graph
        .nodes
        .iter()
        .map(|n| &n.id)
        .chain(graph.groups.iter().map(|g| &g.id))
        .enumerate()
    {
        index.insert(id.as_str(), i);
    }
    let at = |id: &str| {
        index
            .get(id)
            .copied()
            .ok_or_else(|| format!("no node {id}"))
    };
    let mut out = String::new();
    writeln!(out, "nodes {} {}", graph.nodes.len(), graph.groups.len())?;
    for n in &graph.nodes {
        let kind = if n.kind == NodeKind::ConfigurationItem {
            'c'
        } else {
            's'
        };
        writeln!(
            out,
            "{kind} {} {}",
            n.class,
            n.location.as_deref().unwrap_or("-")
        )?;
    }
    writeln!(out, "edges {}", graph.edges.len())?;
    for e in &graph.edges {
        writeln!(out, "{} {}", at(&e.from)?, at(&e.to)?)?;
    }
    writeln!(out, "groups {}", graph.groups.len())?;
    for g in &graph.groups {
        let members: Vec<String> = g
            .members
            .iter()
            .map(|m| at(m).map(|i| i.to_string()))
            .collect::<Result<_, _>>()?;
        writeln!(out, "{}", members.join(" "))?;
    }
    writeln!(out, "cards {}", spec.rate_cards.len())?;
    for card in &spec.rate_cards {
        let per: i64 = card.costs.iter().map(|c| c.amount).sum();
        writeln!(out, "{} {per}", card.applies_to.classes.join(","))?;
    }
    writeln!(out, "distributions {}", spec.distributions.len())?;
    for d in &spec.distributions {
        writeln!(out, "{} {}", d.to.locations.join(","), d.amount)?;
    }
    writeln!(out, "expenses {}", spec.expenses.len())?;
    for e in &spec.expenses {
        writeln!(out, "{} {}", at(&e.node)?, e.amount)?;
    }
    writeln!(out, "units {}", spec.units.len())?;
    for u in &spec.units {
        let c: Vec<String> = u
            .consumers
            .iter()
            .map(|c| format!("{}:{}", c.cost_centre, c.units))
            .collect();
        writeln!(out, "{} {} {}", at(&u.service)?, u.total, c.join(" "))?;
    }
    std::fs::File::create(path)?.write_all(out.as_bytes())?;
    Ok(())
}

fn chain(len: usize, cycle: bool) -> GraphSpec {
    let mut nodes = vec![NodeSpec::new("svc", NodeKind::BusinessService, "s")];
    nodes.extend(
        (0..len).map(|i| NodeSpec::new(&format!("n{i}"), NodeKind::ConfigurationItem, "x")),
    );
    let mut edges = vec![EdgeSpec::new("svc", "n0", "depends_on")];
    edges.extend(
        (1..len).map(|i| EdgeSpec::new(&format!("n{}", i - 1), &format!("n{i}"), "depends_on")),
    );
    if cycle {
        edges.push(EdgeSpec::new(&format!("n{}", len - 1), "n0", "depends_on"));
    }
    GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        nodes,
        vec![],
        edges,
    )
}

fn main() -> Res<()> {
    let python = !std::env::args().any(|a| a == "--no-python");
    let deep_only = std::env::args().any(|a| a == "--deep-only");
    println!(
        "bench-cost: {} CPUs visible, load {}",
        cpus_visible(),
        load_average()
    );
    if deep_only {
        return deep();
    }
    let t0 = Instant::now();
    let (graph, spec) = cmdb()?;
    println!(
        "cmdb: {} nodes, {} groups, {} edges, {} expenses, {} services with units (generated in {:.0} ms)",
        graph.nodes.len(),
        graph.groups.len(),
        graph.edges.len(),
        spec.expenses.len(),
        spec.units.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );
    let policy = pooled();
    let (ms, cpu, costing) = time(|| Ok(Costing::new(&graph, &spec, &policy)?))?;
    println!("costing (checks, direct costs, roll-up, allocations): {ms:.0} ms (CPU {cpu:.0} ms)");
    let headline = ms;
    let (ms, cpu, _) = time(|| Ok(costing.totals()))?;
    println!("totals: {ms:.0} ms (CPU {cpu:.0} ms)");
    let (ms, _, lines) = time(|| Ok(costing.lines("vm399999")?))?;
    println!(
        "lines of the last machine (its rank among its site's items): {ms:.1} ms, {} lines",
        lines.len()
    );
    let ours = summary(&graph, &costing)?;
    println!("summary: {ours}");

    deep()?;
    if python {
        peer(&graph, &spec, &ours, headline)?;
    }
    Ok(())
}

/// Deep and wide shapes: a million-node chain, a million-node cycle as one pool, a group of
/// a million members on one hub.
fn deep() -> Res<()> {
    let mut worst: f64 = 0.0;
    for (name, g, p) in [
        (
            "a million-node chain",
            chain(1_000_000, false),
            Policy::default(),
        ),
        (
            "a million-node cycle as one pool",
            chain(1_000_000, true),
            pooled(),
        ),
    ] {
        let spec = CostSpec::new(
            vec![RateCard::new("x", Selector::classes(&["x"]), &[("run", 1)])],
            vec![],
            vec![],
        );
        let (ms, _, c) = time(|| Ok(Costing::new(&g, &spec, &p)?))?;
        println!(
            "deep: {name}: {ms:.0} ms (svc total {})",
            c.cost("svc")?.total
        );
        worst = worst.max(ms);
    }
    {
        let n = 1_000_000;
        let mut nodes = vec![
            NodeSpec::new("svc", NodeKind::BusinessService, "s"),
            NodeSpec::new("hub", NodeKind::ConfigurationItem, "x"),
        ];
        nodes.extend(
            (0..n).map(|i| NodeSpec::new(&format!("w{i}"), NodeKind::ConfigurationItem, "w")),
        );
        let members: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
        let refs: Vec<&str> = members.iter().map(String::as_str).collect();
        let mut edges = vec![EdgeSpec::new("svc", "farm", "depends_on")];
        edges.extend((0..n).map(|i| EdgeSpec::new(&format!("w{i}"), "hub", "depends_on")));
        let g = GraphSpec::new(
            vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
            nodes,
            vec![GroupSpec::new("farm", &refs, MinUp::Count(1))],
            edges,
        );
        let spec = CostSpec::new(
            vec![],
            vec![Expense::new("hub", 1_000_003, "")],
            vec![Distribution::new(
                "power",
                5_000_001,
                Selector::classes(&["w"]),
            )],
        );
        let (ms, _, c) = time(|| Ok(Costing::new(&g, &spec, &Policy::default())?))?;
        println!(
            "wide: a group of a million members on one hub, the hub's cost split a million ways: {ms:.0} ms (svc total {})",
            c.cost("svc")?.total
        );
        worst = worst.max(ms);
    }
    println!("worst deep or wide ms: {worst:.0}");
    Ok(())
}

/// The Python peer on the same CMDB; its summary must be ours.
fn peer(graph: &GraphSpec, spec: &CostSpec, ours: &str, headline: f64) -> Res<()> {
    {
        let dir = target_dir().join("bench-cost");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("cmdb.txt");
        write_input(graph, spec, &path)?;
        match python_env(&["networkx"]) {
            Err(why) => println!("python peer: skipped ({why})"),
            Ok(py) => {
                let mut cmd = python_script(&py, "cost_rollup.py");
                cmd.arg(&path).arg(REPS.to_string());
                let mut agree = false;
                let mut theirs_ms = None;
                run_lines(cmd, |line| {
                    println!("{line}");
                    if let Some(s) = line.strip_prefix("python summary: ") {
                        agree = s == ours;
                    }
                    if let Some(v) = line.strip_prefix("python costing ms: ") {
                        theirs_ms = v.trim().parse::<f64>().ok();
                    }
                    Ok(())
                })?;
                println!(
                    "python networkx agrees with itsm-cost: {}",
                    if agree { "yes" } else { "NO" }
                );
                if let Some(t) = theirs_ms.filter(|_| headline > 0.0) {
                    println!(
                        "ratio python networkx / itsm-cost (costing): {:.1}",
                        t / headline
                    );
                }
            }
        }
    }
    Ok(())
}
