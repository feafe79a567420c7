//! Continuity queries' speed: `itsm_continuity` on a generated CMDB of about a million nodes
//! (and deep and wide shapes), against the recovery-time calculation a user would otherwise
//! write in Python with networkx (`examples/bench/continuity_recover.py`: strongly connected
//! components and a topological pass, the same rules), in one run, with the ratio.
//!
//! The CMDB is generated deterministically (a seeded xorshift) over 20 sites: 2,000 power
//! feeds, 200,000 hosts on them, 400,000 virtual machines on hosts, 300,000 applications on a
//! machine or a cluster (a redundancy group of two to four machines needing one to all) and on
//! earlier applications, 98,000 services on one to three applications, one service in fifty
//! calling another that calls it back (a cycle, recovered side by side). Every configuration
//! item has an RTA of one minute to four hours, one in a thousand none; every service an RTO
//! of one to 24 hours.
//!
//! Timed, each the median of [`REPS`] runs on the wall clock (and the thread's CPU time):
//! the plan (`Plan::new`: checks and required objectives), its gaps, and the recovery after
//! everything is lost (after dependencies, and side by side) and after one site is lost.
//! Both sides print a summary per scenario (objectives met, missed, never back; the sum of
//! their times; when all is back); the two must agree. Deep and wide: a million-node chain,
//! a million-node cycle, a group of a million members, a hundred thousand objectives along a
//! million-node chain, a node a million nodes depend on.
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-continuity` (`--no-python` skips the
//! peer). The peer's networkx is installed into the benchmarks' virtual environment under the
//! Cargo target folder (never system-wide).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::fmt::Write as _;
use std::io::Write;
use std::time::Instant;

use chrono::Duration;
use itsm_continuity::{
    Capability, ContinuitySpec, Disruption, Objective, Plan, Policy, Recovery, Sequencing, Status,
};
use itsm_examples::bench::{
    Rng, cpus_visible, load_average, python_env, python_script, run_lines, target_dir, time_median,
};
use itsm_graph::{
    Graph, GraphBuilder, MinUp, NodeId, NodeKind, NodeSpec, Propagation, RelationSpec,
    SeverityScale,
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

/// Median wall and CPU milliseconds of `f` over [`REPS`] runs, and its last answer.
fn time<T>(f: impl FnMut() -> Res<T>) -> Res<(f64, f64, T)> {
    time_median(REPS, f)
}

/// The generated CMDB and its continuity spec.
struct Cmdb {
    graph: Graph,
    spec: ContinuitySpec,
}

fn cmdb() -> Res<Cmdb> {
    let mut rng = Rng::new(0x00C0_FFEE);
    let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
    let dep = b.relation(RelationSpec::new("depends_on", Propagation::ToFrom))?;
    let mut caps = Vec::new();
    let node = |b: &mut GraphBuilder, id: String, kind, site: Option<u32>| -> Res<NodeId> {
        let mut spec = NodeSpec::new(&id, kind, "x");
        spec.location = site.map(|s| format!("site-{s:02}"));
        Ok(b.node(&spec)?)
    };
    let mut power = Vec::new();
    for i in 0..POWER {
        power.push(node(
            &mut b,
            format!("pdu{i}"),
            NodeKind::ConfigurationItem,
            Some(i % SITES),
        )?);
    }
    let mut hosts = Vec::new();
    for i in 0..HOSTS {
        let site = rng.below_u32(SITES);
        let h = node(
            &mut b,
            format!("host{i}"),
            NodeKind::ConfigurationItem,
            Some(site),
        )?;
        // A power feed of the same site.
        let p = power
            .get((rng.below_u32(POWER / SITES) * SITES + site) as usize)
            .copied()
            .ok_or("power")?;
        b.edge(h, p, dep)?;
        hosts.push((h, site));
    }
    let mut vms = Vec::new();
    for i in 0..VMS {
        let (h, site) = hosts.get(rng.index(hosts.len())).copied().ok_or("host")?;
        let v = node(
            &mut b,
            format!("vm{i}"),
            NodeKind::ConfigurationItem,
            Some(site),
        )?;
        b.edge(v, h, dep)?;
        vms.push(v);
    }
    let mut apps: Vec<NodeId> = Vec::new();
    let mut groups = 0u32;
    for i in 0..APPS {
        let a = node(&mut b, format!("app{i}"), NodeKind::ConfigurationItem, None)?;
        if rng.percent(50) {
            let k = rng.between_u32(2, 4);
            let g = b.group(
                &format!("cluster{groups}"),
                MinUp::Count(rng.between_u32(1, k)),
            )?;
            groups += 1;
            let mut seen = Vec::new();
            while seen.len() < k as usize {
                let v = vms.get(rng.index(vms.len())).copied().ok_or("vm")?;
                if !seen.contains(&v) {
                    seen.push(v);
                    b.member(g, v)?;
                }
            }
            b.edge(a, g, dep)?;
        } else {
            b.edge(a, vms.get(rng.index(vms.len())).copied().ok_or("vm")?, dep)?;
        }
        for _ in 0..rng.below(3) {
            if let Some(&x) = apps.get(rng.index(apps.len().max(1))) {
                b.edge(a, x, dep)?;
            }
        }
        apps.push(a);
    }
    let mut objectives = Vec::new();
    let mut services = Vec::new();
    for i in 0..SERVICES {
        let id = format!("svc{i}");
        let s = node(&mut b, id.clone(), NodeKind::BusinessService, None)?;
        for _ in 0..rng.between(1, 3) {
            b.edge(
                s,
                apps.get(rng.index(apps.len())).copied().ok_or("app")?,
                dep,
            )?;
        }
        // One in fifty calls the one before, which calls it back.
        if i % 50 == 1 {
            if let Some(&p) = services.last() {
                b.edge(s, p, dep)?;
                b.edge(p, s, dep)?;
            }
        }
        services.push(s);
        objectives.push(Objective::new(
            &id,
            Duration::minutes(rng.between(60, 24 * 60)),
        ));
    }
    let graph = b.build()?;
    for v in graph.nodes() {
        if graph.kind(v) != Some(NodeKind::ConfigurationItem) {
            continue;
        }
        let id = graph.id(v);
        if rng.per_mille(1) {
            let mut c = Capability::new(id, Duration::zero());
            c.rta = None;
            caps.push(c);
        } else {
            caps.push(Capability::new(id, Duration::minutes(rng.between(1, 240))));
        }
    }
    Ok(Cmdb {
        graph,
        spec: ContinuitySpec::new(objectives, caps),
    })
}

/// Per scenario: objectives met (or unaffected), missed (or past the MTPD), never back; the
/// sum of their times in seconds; when all is back.
fn summary(r: &Recovery) -> String {
    let (mut ok, mut late, mut never, mut sum) = (0u64, 0u64, 0u64, 0i64);
    for o in &r.outcomes {
        match o.status {
            Status::Unaffected | Status::Met => ok += 1,
            Status::Missed | Status::Intolerable => late += 1,
            _ => never += 1,
        }
        sum += o.back_after.map_or(0, |d| d.num_seconds());
    }
    let all = r.summary.all_back_after.map_or(-1, |d| d.num_seconds());
    format!("ok {ok} late {late} never {never} sum {sum} all {all}")
}

/// The graph and spec for the Python peer: nodes (kind, RTA seconds, site, group need),
/// failure arcs (from, to, passes, counts), objectives (node, RTO seconds).
fn write_input(c: &Cmdb, path: &std::path::Path) -> Res<()> {
    let g = &c.graph;
    let mut rta = vec![None; g.node_count()];
    for cap in &c.spec.capabilities {
        let v = g.node(&cap.id)?;
        if let Some(slot) = rta.get_mut(v.index()) {
            *slot = Some(cap.rta.map_or(-1, |d| d.num_seconds()));
        }
    }
    let mut out = String::new();
    writeln!(out, "nodes {}", g.node_count())?;
    for v in g.nodes() {
        let kind = match g.kind(v) {
            Some(NodeKind::ConfigurationItem) => 'c',
            Some(NodeKind::Group) => 'g',
            _ => 's',
        };
        let r = rta.get(v.index()).copied().flatten().unwrap_or(-1);
        let site = g.location(v).unwrap_or("-");
        let need = g.group_rule(v).map_or(0, |(total, down_at)| {
            (i64::from(total) + 1 - i64::from(down_at)).max(0)
        });
        writeln!(out, "{kind} {r} {site} {need}")?;
    }
    writeln!(out, "arcs {}", g.arc_count())?;
    for u in g.nodes() {
        for a in g.arcs_from(u) {
            writeln!(
                out,
                "{} {} {} {}",
                u.index(),
                a.to.index(),
                u8::from(a.passes),
                a.counts.unwrap_or(0)
            )?;
        }
    }
    writeln!(out, "objectives {}", c.spec.objectives.len())?;
    for o in &c.spec.objectives {
        writeln!(out, "{} {}", g.node(&o.id)?.index(), o.rto.num_seconds())?;
    }
    std::fs::File::create(path)?.write_all(out.as_bytes())?;
    Ok(())
}

/// A chain `svc <- n0 <- ... <- n{len-1}`, optionally closed into a cycle, every node with
/// an RTA of a second and `objectives` of them with an objective.
fn chain(len: usize, cycle: bool, objectives: usize) -> Res<(Graph, ContinuitySpec)> {
    let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
    let dep = b.relation(RelationSpec::new("depends_on", Propagation::ToFrom))?;
    let svc = b.node(&NodeSpec::new("svc", NodeKind::BusinessService, "s"))?;
    let mut ids = Vec::with_capacity(len);
    for i in 0..len {
        ids.push(b.node(&NodeSpec::new(
            &format!("n{i}"),
            NodeKind::ConfigurationItem,
            "x",
        ))?);
    }
    let first = ids.first().copied().ok_or("empty chain")?;
    b.edge(svc, first, dep)?;
    for w in ids.windows(2) {
        if let [a, c] = w {
            b.edge(*a, *c, dep)?;
        }
    }
    if cycle {
        b.edge(ids.last().copied().ok_or("empty")?, first, dep)?;
    }
    let g = b.build()?;
    let caps = (0..len)
        .map(|i| Capability::new(&format!("n{i}"), Duration::seconds(1)))
        .collect();
    let mut objs = vec![Objective::new("svc", Duration::hours(1))];
    let step = (len / objectives.max(1)).max(1);
    objs.extend(
        (0..len)
            .step_by(step)
            .take(objectives)
            .map(|i| Objective::new(&format!("n{i}"), Duration::hours(1))),
    );
    Ok((g, ContinuitySpec::new(objs, caps)))
}

fn main() -> Res<()> {
    let python = !std::env::args().any(|a| a == "--no-python");
    println!(
        "bench-continuity: {} CPUs visible, load {}",
        cpus_visible(),
        load_average()
    );
    let t0 = Instant::now();
    let c = cmdb()?;
    println!(
        "cmdb: {} nodes, {} arcs, {} objectives, {} capabilities (generated and built in {:.0} ms)",
        c.graph.node_count(),
        c.graph.arc_count(),
        c.spec.objectives.len(),
        c.spec.capabilities.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );
    let (ms, cpu, plan) = time(|| Ok(Plan::new(&c.graph, &c.spec)?))?;
    println!("plan (checks, required RTO and RPO): {ms:.0} ms (CPU {cpu:.0} ms)");
    let (ms, cpu, gaps) = time(|| Ok(plan.gaps()))?;
    println!(
        "gaps: {ms:.0} ms (CPU {cpu:.0} ms): {} RTA gaps, {} items without an RTA",
        gaps.rto.len(),
        gaps.no_rta.len()
    );
    let scenarios = [
        (
            "everything-after",
            Disruption::Everything,
            Sequencing::AfterDependencies,
        ),
        (
            "everything-parallel",
            Disruption::Everything,
            Sequencing::Parallel,
        ),
        (
            "site-03",
            Disruption::Locations(vec!["site-03".into()]),
            Sequencing::AfterDependencies,
        ),
    ];
    let mut ours = Vec::new();
    let mut headline = 0.0;
    for (name, d, seq) in &scenarios {
        let policy = Policy::default().with_sequencing(*seq);
        let (ms, cpu, r) = time(|| Ok(plan.recover(d, &policy)?))?;
        let s = summary(&r);
        println!("recover {name}: {ms:.0} ms (CPU {cpu:.0} ms): {s}");
        if *name == "everything-after" {
            headline = ms;
        }
        ours.push((*name, s));
    }

    // Deep and wide.
    let mut worst: f64 = 0.0;
    for (name, len, cycle, objectives) in [
        ("a million-node chain", 1_000_000, false, 0),
        ("a million-node cycle", 1_000_000, true, 0),
        (
            "100,000 objectives on a million-node chain",
            1_000_000,
            false,
            100_000,
        ),
    ] {
        let (g, spec) = chain(len, cycle, objectives)?;
        let (ms, _, r) = time(|| {
            let plan = Plan::new(&g, &spec)?;
            let gaps = plan.gaps();
            Ok((
                plan.recover(&Disruption::Everything, &Policy::default())?,
                gaps.rto.len(),
            ))
        })?;
        println!(
            "deep: {name}: plan, gaps and recovery {ms:.0} ms (svc back after {} s)",
            r.0.outcomes
                .first()
                .and_then(|o| o.back_after)
                .map_or(-1, |d| d.num_seconds())
        );
        worst = worst.max(ms);
    }
    {
        // A group of a million members, and a node a million nodes depend on.
        let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
        let dep = b.relation(RelationSpec::new("depends_on", Propagation::ToFrom))?;
        let svc = b.node(&NodeSpec::new("svc", NodeKind::BusinessService, "s"))?;
        let hub = b.node(&NodeSpec::new("hub", NodeKind::ConfigurationItem, "x"))?;
        let farm = b.group("farm", MinUp::Count(500_000))?;
        b.edge(svc, farm, dep)?;
        let mut caps = vec![Capability::new("hub", Duration::seconds(3))];
        let mut objs = vec![Objective::new("svc", Duration::hours(1))];
        for i in 0..1_000_000u32 {
            let id = format!("w{i}");
            let m = b.node(&NodeSpec::new(&id, NodeKind::ConfigurationItem, "x"))?;
            b.member(farm, m)?;
            b.edge(m, hub, dep)?;
            caps.push(Capability::new(&id, Duration::seconds(i64::from(i % 1000))));
            if i % 10 == 0 {
                objs.push(Objective::new(&id, Duration::seconds(600)));
            }
        }
        let g = b.build()?;
        let spec = ContinuitySpec::new(objs, caps);
        let (ms, _, r) = time(|| {
            let plan = Plan::new(&g, &spec)?;
            Ok(plan.recover(&Disruption::Everything, &Policy::default())?)
        })?;
        println!(
            "wide: a group of a million members on one hub, 100,000 objectives: plan and recovery {ms:.0} ms (svc back after {} s)",
            r.outcomes
                .first()
                .and_then(|o| o.back_after)
                .map_or(-1, |d| d.num_seconds())
        );
        worst = worst.max(ms);
    }
    println!("worst deep or wide ms: {worst:.0}");

    if python {
        let dir = target_dir().join("bench-continuity");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("cmdb.txt");
        write_input(&c, &path)?;
        match python_env(&["networkx"]) {
            Err(why) => println!("python peer: skipped ({why})"),
            Ok(py) => {
                let mut cmd = python_script(&py, "continuity_recover.py");
                cmd.arg(&path).arg(REPS.to_string());
                let mut agree = 0;
                let mut theirs_ms = None;
                run_lines(cmd, |line| {
                    println!("{line}");
                    if let Some(rest) = line.strip_prefix("python summary ") {
                        if let Some((name, s)) = rest.split_once(": ") {
                            if ours.iter().any(|(n, o)| *n == name && o == s) {
                                agree += 1;
                            }
                        }
                    }
                    if let Some(v) = line.strip_prefix("python everything-after ms: ") {
                        theirs_ms = v.trim().parse::<f64>().ok();
                    }
                    Ok(())
                })?;
                println!(
                    "python networkx agrees with itsm-continuity: {}",
                    if agree == scenarios.len() {
                        "yes"
                    } else {
                        "NO"
                    }
                );
                if let Some(t) = theirs_ms.filter(|_| headline > 0.0) {
                    println!(
                        "ratio python networkx / itsm-continuity (everything lost, after dependencies): {:.1}",
                        t / headline
                    );
                }
            }
        }
    }
    Ok(())
}
