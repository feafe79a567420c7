//! Sweeps staffing levels of a simulated service desk (itsm-sim, full path: every ticket
//! through itsm-incident and itsm-sla) and writes an SVG plot of SLA attainment against
//! agents.
//!
//! The arrival rates per priority are estimated from the UCI ServiceNow log when it is given
//! (a path argument, or `ITSM_DATA`), else a built-in model is used. The log has no work
//! times, so service times and SLA targets are stated assumptions (printed). With
//! `--reopen`, callers reopen tickets: each priority's share of reopened incidents and the
//! delays from resolution to reopen come from the log (a resolved row followed by an open
//! one), or a built-in assumption without one; the rework is half the priority's median
//! work, and each reopen starts a new resolution cycle (ServiceNow's task SLA). With
//! `--second-line`, the desk passes a share of each priority's tickets on to a second-line
//! group after a triage: the share of incidents whose assignment group changed in the log
//! (or a built-in assumption), the triage a stated assumption; the second line is staffed
//! to be busy at most 80% of the time (or `--second-line-agents N`), and the sweep varies
//! the desk. With `--bounce-back` (which implies `--second-line`), a share of the tickets
//! passed on comes back: the second line looks at it (the same triage assumption) and sends
//! it back to the desk, which then does the work; the share is that of the log's passed-on
//! incidents whose next group was their first one again (or a built-in assumption). With
//! `--shared` (which implies `--second-line`), the second line's agents also take the
//! desk's tickets whenever none of their own wait (members of both groups).
//!
//! ```text
//! cargo run --release -p itsm-examples --bin staffing -- [--quick] [--profile] [--preemptive] [--reopen] [--second-line] [--second-line-agents N] [--bounce-back] [--shared] [--max-agents N] [--out FILE.svg] [incident_event_log.csv]
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints, times and reads its arguments

mod plot;

use std::collections::BTreeMap;
use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_examples::uci::MappedState;
use itsm_sim::{
    Arrivals, Attainment, ClassSpec, Config, Engine, GroupSpec, Hop, Model, Reassign, Reopen,
    RunReport, ServiceTime, Staffing, estimate_profiles, estimate_rates, simulate,
};

/// The assumptions per priority: (median work time in minutes, response target, resolution
/// target). Work times are lognormal with sigma 0.8 (mean = median x 1.38).
const ASSUMED: [(u8, i64, Duration, Duration); 4] = [
    (1, 90, Duration::minutes(15), Duration::hours(4)),
    (2, 60, Duration::hours(1), Duration::hours(8)),
    (3, 40, Duration::hours(4), Duration::hours(24)),
    (4, 30, Duration::hours(8), Duration::hours(72)),
];
const SIGMA: f64 = 0.8;

/// The built-in arrival rates per hour (about the UCI log's mix, at a smaller desk's volume).
const BUILT_IN: [(u8, f64); 4] = [(1, 0.05), (2, 0.15), (3, 2.2), (4, 0.1)];

/// The built-in reopen assumption: the share of each priority's tickets reopened, and the
/// mean delay from resolution to reopen (exponential).
const BUILT_IN_REOPEN: (f64, Duration) = (0.02, Duration::days(1));

/// The built-in share of each priority's tickets passed on to the second line.
const BUILT_IN_SECOND_LINE: f64 = 0.4;

/// The built-in share of the tickets passed on that the second line sends back.
const BUILT_IN_BOUNCE: f64 = 0.15;

/// The desk's triage before passing a ticket on: lognormal, this median, sigma [`SIGMA`].
const TRIAGE: Duration = Duration::minutes(10);

/// The second line's name.
const SECOND_LINE: &str = "second line";

const USAGE: &str = "usage: staffing [--quick] [--profile] [--preemptive] [--reopen] [--second-line] [--second-line-agents N] [--bounce-back] [--shared] [--max-agents N] [--out FILE.svg] [incident_event_log.csv]";
struct Options {
    log: Option<PathBuf>,
    quick: bool,
    profile: bool,
    preemptive: bool,
    reopen: bool,
    second_line: bool,
    second_line_agents: Option<u32>,
    bounce_back: bool,
    shared: bool,
    max_agents: Option<u32>,
    out: PathBuf,
}

/// The agents an option gives: a whole number from 1.
fn count(option: &str, value: Option<String>) -> Result<u32, String> {
    let value = value.ok_or_else(|| format!("{option} needs a number of agents"))?;
    match value.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "{option} needs a whole number of agents from 1, not `{}`",
            itsm_core::Quoted(&value)
        )),
    }
}

fn options() -> Result<Options, Box<dyn Error>> {
    let mut o = Options {
        log: None,
        quick: false,
        profile: false,
        preemptive: false,
        reopen: false,
        second_line: false,
        second_line_agents: None,
        bounce_back: false,
        shared: false,
        max_agents: None,
        out: std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("target/staffing-attainment.svg"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--profile" => o.profile = true,
            "--preemptive" => o.preemptive = true,
            "--reopen" => o.reopen = true,
            "--second-line" => o.second_line = true,
            "--second-line-agents" => {
                o.second_line = true;
                o.second_line_agents = Some(count("--second-line-agents", args.next())?);
            }
            "--shared" => {
                o.second_line = true;
                o.shared = true;
            }
            "--bounce-back" => {
                o.second_line = true;
                o.bounce_back = true;
            }
            "--max-agents" => o.max_agents = Some(count("--max-agents", args.next())?),
            "--out" => o.out = PathBuf::from(args.next().ok_or("--out needs a path")?),
            "-h" | "--help" => {
                return Err(USAGE.into());
            }
            _ => o.log = Some(PathBuf::from(a)),
        }
    }
    if o.shared && o.preemptive {
        return Err("--shared is not simulated with --preemptive (help between groups is refused under pre-emptive priority)".into());
    }
    if o.log.is_none() {
        if let Some(root) = std::env::var_os("ITSM_DATA").filter(|r| !r.is_empty()) {
            o.log = Some(PathBuf::from(root).join("uci-incident-event-log/incident_event_log.csv"));
        }
    }
    Ok(o)
}

/// An arrival: its priority and when it was opened.
type Arrival = (u8, DateTime<Utc>);

/// What the staffing model takes from a log: the arrivals, and per priority the incidents
/// and those reopened, with the delay from resolution to each incident's first reopen, and
/// the incidents whose assignment group changed (and of those, the ones whose next group
/// was their first one again).
struct Observed {
    arrivals: Vec<Arrival>,
    reopens: BTreeMap<u8, (u64, Vec<Duration>)>,
    passed_on: BTreeMap<u8, (u64, u64)>,
}

/// The arrivals of the UCI log (each incident's first row) and its reopens (a resolved row
/// followed by one in an open state: new, in progress or on hold).
fn uci_log(path: &std::path::Path) -> Result<Observed, Box<dyn Error>> {
    let mapping = itsm_examples::uci::mapping()?;
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let log = itsm_examples::uci::load(std::io::BufReader::with_capacity(1 << 20, file), &mapping)?;
    let mut observed = Observed {
        arrivals: Vec::with_capacity(log.incidents.len()),
        reopens: BTreeMap::new(),
        passed_on: BTreeMap::new(),
    };
    for incident in &log.incidents {
        let Some(first) = incident.rows.first() else {
            continue;
        };
        observed
            .arrivals
            .push((first.priority, first.opened_at.unwrap_or(first.updated_at)));
        // Passed on: a group recorded, then a different one (a missing group in between
        // is no change); sent back: the next different group after that is the first.
        let mut groups = incident
            .rows
            .iter()
            .filter_map(|r| r.assignment_group.as_ref());
        if let Some(first_group) = groups.next() {
            let mut groups = groups.skip_while(|g| *g == first_group);
            if let Some(second) = groups.next() {
                let entry = observed.passed_on.entry(first.priority).or_default();
                entry.0 += 1;
                if groups.find(|g| *g != second) == Some(first_group) {
                    entry.1 += 1;
                }
            }
        }
        let entry = observed.reopens.entry(first.priority).or_default();
        entry.0 += 1;
        let mut resolved: Option<DateTime<Utc>> = None;
        for row in &incident.rows {
            match (&row.state, resolved) {
                (MappedState::Resolved, None) => resolved = Some(row.updated_at),
                (MappedState::New | MappedState::InProgress | MappedState::OnHold(_), Some(at)) => {
                    // Its first reopen only: the simulation reopens a ticket once.
                    if row.updated_at > at {
                        entry.1.push(row.updated_at - at);
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    Ok(observed)
}

fn fmt_wait(hours: f64) -> String {
    if hours < 2.0 {
        format!("{:.1} min", hours * 60.0)
    } else {
        format!("{hours:.1} h")
    }
}

fn pct(a: Attainment) -> String {
    a.ratio()
        .map_or("n/a".into(), |r| format!("{:.1}%", 100.0 * r))
}

fn add(a: &mut Attainment, b: Attainment) {
    a.met += b.met;
    a.breached += b.breached;
}

fn main() -> Result<(), Box<dyn Error>> {
    let o = options()?;
    let mut reopens: BTreeMap<u8, (u64, Vec<Duration>)> = BTreeMap::new();
    let mut passed_on: Option<BTreeMap<u8, (u64, u64)>> = None;
    let rates: BTreeMap<u8, Arrivals> = match &o.log {
        Some(path) => {
            let Observed {
                arrivals: seen,
                reopens: counted,
                passed_on: changed,
            } = uci_log(path)?;
            reopens = counted;
            passed_on = Some(changed);
            let first = seen
                .iter()
                .map(|(_, t)| *t)
                .min()
                .ok_or("the log has no incidents")?;
            let last = seen
                .iter()
                .map(|(_, t)| *t)
                .max()
                .ok_or("the log has no incidents")?;
            println!(
                "model: arrival rates from {} ({} incidents opened {} to {})",
                path.display(),
                seen.len(),
                first.format("%Y-%m-%d"),
                last.format("%Y-%m-%d")
            );
            if o.profile {
                let profiles = estimate_profiles(&seen, 168)?;
                let hourly: Vec<f64> = (0..168)
                    .map(|h| {
                        profiles
                            .values()
                            .map(|a| match a {
                                Arrivals::Profile { rates, .. } => {
                                    rates.get(h).copied().unwrap_or(0.0)
                                }
                                _ => 0.0,
                            })
                            .sum()
                    })
                    .collect();
                let (busy, quiet) = hourly
                    .iter()
                    .fold((f64::MIN, f64::MAX), |(a, b), r| (a.max(*r), b.min(*r)));
                println!(
                    "arrivals: by hour of the week (UTC), from {quiet:.2} to {busy:.2} an hour"
                );
                profiles
            } else {
                estimate_rates(&seen, Duration::hours(1))?
            }
        }
        None if o.profile => {
            return Err("--profile needs a log to estimate the profile from".into());
        }
        None => {
            println!("model: built-in (no log given and ITSM_DATA unset)");
            BUILT_IN
                .iter()
                .map(|(p, r)| (*p, Arrivals::per_hour(*r)))
                .collect()
        }
    };
    // The delays to reopen, pooled over priorities (the urgent ones have one each).
    let mut delays: Vec<Duration> = reopens.values().flat_map(|(_, d)| d.clone()).collect();
    delays.sort();
    let mut classes = Vec::new();
    let mut reopen_line: Vec<String> = Vec::new();
    let mut second_line: Vec<String> = Vec::new();
    let mut bounce_line: Vec<String> = Vec::new();
    for (p, arrivals) in &rates {
        let Some((_, median, response, resolution)) = ASSUMED.iter().find(|a| a.0 == *p) else {
            println!("priority {p}: no assumptions, left out");
            continue;
        };
        let mut class = ClassSpec::new(
            *p,
            arrivals.clone(),
            ServiceTime::Lognormal {
                median: Duration::minutes(*median),
                sigma: SIGMA,
            },
            *response,
            *resolution,
        );
        if o.reopen {
            // Half the priority's median work again, lognormal as the first.
            let work = ServiceTime::Lognormal {
                median: Duration::minutes(*median) / 2,
                sigma: SIGMA,
            };
            let reopen = if delays.is_empty() {
                let (share, after) = BUILT_IN_REOPEN;
                Reopen::new(share, ServiceTime::exponential(after), work)
            } else {
                // From the log: the share reopened, and the delays seen, as they are.
                let (incidents, seen) = reopens.get(p).map_or((0, 0), |(n, seen)| (*n, seen.len()));
                let share = seen as f64 / incidents.max(1) as f64;
                reopen_line.push(format!(
                    "p{p} {:.2}% ({seen} of {incidents})",
                    100.0 * share
                ));
                let after = ServiceTime::Empirical {
                    samples: delays.clone(),
                };
                Reopen::new(share, after, work)
            };
            class.reopen = Some(reopen);
        }
        if o.second_line {
            let (share, back) = match &passed_on {
                // From the log: the share of the priority's incidents whose group changed,
                // and of those the share whose next group was the first again.
                Some(changed) => {
                    let incidents = reopens.get(p).map_or(0, |(n, _)| *n);
                    let (moved, bounced) = changed.get(p).copied().unwrap_or((0, 0));
                    let share = moved as f64 / incidents.max(1) as f64;
                    let back = bounced as f64 / moved.max(1) as f64;
                    second_line.push(format!(
                        "p{p} {:.1}% ({moved} of {incidents})",
                        100.0 * share
                    ));
                    bounce_line.push(format!("p{p} {:.1}% ({bounced} of {moved})", 100.0 * back));
                    (share, back)
                }
                None => (BUILT_IN_SECOND_LINE, BUILT_IN_BOUNCE),
            };
            let triage = ServiceTime::Lognormal {
                median: TRIAGE,
                sigma: SIGMA,
            };
            let mut reassign = Reassign::new(share, SECOND_LINE, triage.clone());
            if o.bounce_back {
                reassign = reassign.with_hop(Hop::new(back, itsm_sim::DESK, triage));
            }
            class.reassign = Some(reassign);
        }
        classes.push(class);
    }
    let line: Vec<String> = classes
        .iter()
        .map(|c| format!("p{} {:.4}", c.priority, c.arrivals.rate_per_hour()))
        .collect();
    let total: f64 = classes.iter().map(|c| c.arrivals.rate_per_hour()).sum();
    println!("arrivals per hour: {} (total {total:.4})", line.join(", "));
    let line: Vec<String> = ASSUMED
        .iter()
        .map(|(p, m, r, s)| {
            format!(
                "p{p} work median {m} min, response {}, resolution {}",
                itsm_core::duration::format(*r),
                itsm_core::duration::format(*s)
            )
        })
        .collect();
    println!(
        "assumed (lognormal work, sigma {SIGMA}): {}",
        line.join("; ")
    );
    if o.reopen {
        let (share, after) = match delays.get(delays.len() / 2) {
            Some(median) => (
                reopen_line.join(", "),
                format!(
                    "after the log's delays (median {:.1} h of {})",
                    median.num_minutes() as f64 / 60.0,
                    delays.len()
                ),
            ),
            None => (
                format!(
                    "{:.0}% of each priority (assumed)",
                    100.0 * BUILT_IN_REOPEN.0
                ),
                format!(
                    "after an exponential delay of mean {} (assumed)",
                    itsm_core::duration::format(BUILT_IN_REOPEN.1)
                ),
            ),
        };
        println!(
            "reopens: {share}; {after}; half the median work again, a new resolution cycle each"
        );
    }

    if o.second_line {
        let shares = if second_line.is_empty() {
            format!(
                "{:.0}% of each priority (assumed)",
                100.0 * BUILT_IN_SECOND_LINE
            )
        } else {
            second_line.join(", ")
        };
        let rest = if o.bounce_back {
            "the work done there unless sent back"
        } else {
            "the whole work done there"
        };
        println!(
            "second line: {shares} passed on after a triage of median {} min (assumed), {rest}",
            TRIAGE.num_minutes()
        );
        if o.bounce_back {
            let shares = if bounce_line.is_empty() {
                format!(
                    "{:.0}% of those passed on (assumed)",
                    100.0 * BUILT_IN_BOUNCE
                )
            } else {
                bounce_line.join(", ")
            };
            println!(
                "sent back: {shares} back to the desk after a look of median {} min in the second line (assumed), the work then done at the desk",
                TRIAGE.num_minutes()
            );
        }
        if o.shared {
            println!(
                "shared: the second line's agents also take the desk's tickets whenever none of their own wait"
            );
        }
    }

    let (weeks, warmup_days, seeds) = if o.quick { (2, 2, 2u64) } else { (8, 7, 5) };
    let start = Utc
        .with_ymd_and_hms(2026, 1, 5, 0, 0, 0)
        .single()
        .ok_or("date")?;
    let mut config = Config::new(
        start,
        Duration::weeks(weeks) + Duration::days(warmup_days),
        classes,
        Staffing::Constant { agents: 1 },
    );
    config.warmup = Duration::days(warmup_days);
    if o.preemptive {
        config.discipline = itsm_sim::Discipline::PreemptiveResume;
    }
    config.sample_every = Duration::hours(6);
    if o.second_line {
        config.groups = vec![GroupSpec::new(
            SECOND_LINE,
            Staffing::Constant { agents: 1 },
        )];
    }
    if o.shared {
        // Its members are in the desk's group too: they take desk tickets when idle.
        config.helps = [(SECOND_LINE.to_owned(), vec![itsm_sim::DESK.to_owned()])].into();
    }
    let model = Model::new(config.clone())?;
    let load = model.offered_load();
    // The desk's own load (all of it without a second line).
    let loads = model.group_loads();
    let desk = loads.first().copied().unwrap_or(load);
    let max = o.max_agents.unwrap_or(desk.ceil() as u32 + 4).max(1);
    if let (true, Some(second)) = (o.second_line, loads.get(1)) {
        // Busy at most 80% of the time, unless told.
        let agents = o
            .second_line_agents
            .unwrap_or((second / 0.8).ceil() as u32)
            .max(1);
        config.groups = vec![GroupSpec::new(SECOND_LINE, Staffing::Constant { agents })];
        println!(
            "offered load: {load:.2} agents, of which the desk {desk:.2} and the second line {second:.2} (staffed with {agents})"
        );
    } else {
        println!("offered load: {load:.2} agents (the desk needs more than this on duty)");
    }
    println!(
        "runs: {weeks} weeks after {warmup_days} days of warm-up, seeds 1-{seeds}, path full (itsm-incident decide/evolve and itsm-sla clocks per ticket), agents around the clock, {}",
        if o.preemptive {
            "pre-emptive priority (an urgent arrival interrupts less urgent work)"
        } else {
            "non-pre-emptive (an agent finishes the ticket in hand)"
        }
    );
    println!();
    let priorities: Vec<u8> = config.classes.iter().map(|c| c.priority).collect();
    let head: Vec<String> = priorities.iter().map(|p| format!("p{p} resp")).collect();
    let extra = if o.second_line {
        format!("  {:>8}  {:>10}", "2nd util", "2nd wait")
    } else {
        String::new()
    };
    println!(
        "{:>6}  {:>6}  {:>10}  {:>10}  {}  {:>10}{extra}",
        "agents",
        "util",
        "mean wait",
        "p90 wait",
        head.iter()
            .map(|h| format!("{h:>8}"))
            .collect::<Vec<_>>()
            .join("  "),
        "resolution"
    );
    let started = Instant::now();
    let mut tickets = 0u64;
    let mut lines: Vec<plot::Line> = priorities
        .iter()
        .map(|p| (format!("p{p} response"), Vec::new()))
        .collect();
    lines.push(("all resolution".into(), Vec::new()));
    let mut enough: Option<u32> = None;
    for agents in 1..=max {
        config.staffing = Staffing::Constant { agents };
        let model = Model::new(config.clone())?;
        let reports: Vec<RunReport> = (1..=seeds)
            .map(|seed| simulate(&model, seed, Engine::Full))
            .collect::<Result<_, _>>()?;
        tickets += reports.iter().map(|r| r.arrivals).sum::<u64>();
        let n = reports.len() as f64;
        // The desk's (with a second line, the whole figure would mix the two).
        let util = reports
            .iter()
            .map(|r| r.groups.first().map_or(r.utilisation, |g| g.utilisation))
            .sum::<f64>()
            / n;
        let extra = if o.second_line {
            let util = reports
                .iter()
                .map(|r| r.groups.get(1).map_or(0.0, |g| g.utilisation))
                .sum::<f64>()
                / n;
            let (count, total) =
                reports
                    .iter()
                    .filter_map(|r| r.groups.get(1))
                    .fold((0u64, 0.0), |(c, t), g| {
                        (
                            c + g.waits.count,
                            t + g.waits.mean_hours * g.waits.count as f64,
                        )
                    });
            format!(
                "  {:>7.1}%  {:>10}",
                100.0 * util,
                fmt_wait(total / count.max(1) as f64)
            )
        } else {
            String::new()
        };
        let count: u64 = reports.iter().map(|r| r.waits.count).sum();
        let mean = reports
            .iter()
            .map(|r| r.waits.mean_hours * r.waits.count as f64)
            .sum::<f64>()
            / count.max(1) as f64;
        let p90 = reports
            .iter()
            .map(|r| r.waits.p90.num_milliseconds() as f64 / 3.6e6)
            .sum::<f64>()
            / n;
        let mut response = vec![Attainment::default(); priorities.len()];
        let mut resolution = Attainment::default();
        for r in &reports {
            for (i, c) in r.classes.iter().enumerate() {
                if let Some(a) = response.get_mut(i) {
                    add(a, c.response);
                }
                add(&mut resolution, c.resolution);
            }
        }
        let cells: Vec<String> = response.iter().map(|a| format!("{:>8}", pct(*a))).collect();
        println!(
            "{agents:>6}  {:>5.1}%  {:>10}  {:>10}  {}  {:>10}{extra}",
            100.0 * util,
            fmt_wait(mean),
            fmt_wait(p90),
            cells.join("  "),
            pct(resolution)
        );
        for (line, a) in lines.iter_mut().zip(response.iter().chain([&resolution])) {
            if let Some(r) = a.ratio() {
                line.1.push((f64::from(agents), 100.0 * r));
            }
        }
        if enough.is_none() && response.iter().all(|a| a.ratio().is_some_and(|r| r >= 0.9)) {
            enough = Some(agents);
        }
    }
    println!();
    match enough {
        Some(n) => println!("fewest agents meeting every response target 90% of the time: {n}"),
        None => {
            println!("fewest agents meeting every response target 90% of the time: more than {max}")
        }
    }
    let svg = plot::chart("Simulated SLA attainment against staffing", &lines);
    if let Some(dir) = o.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&o.out, svg).map_err(|e| format!("cannot write {}: {e}", o.out.display()))?;
    println!("plot: {}", o.out.display());
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "simulated {tickets} tickets in {secs:.2} s ({:.0} tickets/s on the full path)",
        tickets as f64 / secs.max(1e-9)
    );
    Ok(())
}
