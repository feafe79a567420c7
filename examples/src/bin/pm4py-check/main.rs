//! Checks our process-mining exports against a real client, pm4py.
//!
//! ```text
//! cargo run --release -p itsm-examples --bin pm4py-check -- ../shared/data/uci-incident-event-log/incident_event_log.csv
//! ```
//!
//! 1. Reads the UCI log with the committed mapping and policy (`examples/data/uci-mapping.json`,
//!    `uci-policy.json`) into an object-centric event log (`itsm-mining`): one event per row
//!    (activity: the workflow state the row shows), incidents, configuration items and
//!    assignment groups as objects.
//! 2. Writes it as OCEL 2.0 JSON and as XES (flattened on incidents), and the policy's
//!    incident lifecycle (the one the replay uses) as a PNML Petri net labelled by states,
//!    under `target/pm4py-check/`.
//! 3. Makes the virtual environment `target/venv-pm4py` (`python3 -m venv`) and installs
//!    pm4py there with pip unless it is already there (never system-wide), timing it.
//! 4. Runs `examples/scripts/pm4py_check.py`, which reads the three files with pm4py, counts
//!    cases, events and activities and runs token-based replay of the XES log on our net.
//! 5. Compares pm4py's counts with ours (`cases agree: yes`, `events agree: yes`), prints
//!    `pm4py fitness`, our own replay's acceptance rate and why the two differ.
//! 6. Reads the XES and OCEL 2.0 files pm4py wrote of the same logs with its own writers
//!    (`xes::from_xes`, `ocel::from_document`), timing them, and checks that they hold our
//!    cases, objects, events (ids, activities, times) and relations (`pm4py's own files read
//!    back by ours: yes`).
//!
//! Exits 1 when Python or pm4py cannot be had (saying why), or when the counts disagree.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // a host prints and times

mod convert;
mod python;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use itsm_core::Verdict;
use itsm_examples::replay::{choose_policy, run};
use itsm_mining::pnml::{Labels, PetriNet};
use itsm_mining::{ObjectType, ocel, xes};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Strings that break naive writers.
const HOSTILE: [&str; 9] = [
    "a\"b",
    "<script>&amp;</script>",
    "it's",
    "tab\there\nline\rcr",
    "\u{1}\u{8}\u{1f}",
    "\\\"\\",
    "]]><!--",
    "\u{FFFE}",
    "é 😀 \u{85} \u{2028}",
];

/// What XML 1.0 keeps of `s`: the characters it cannot carry become U+FFFD.
fn xml_kept(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}') {
                c
            } else {
                '\u{FFFD}'
            }
        })
        .collect()
}

/// One incident per hostile string, named by it, with one event whose activity is it.
fn hostile_log() -> Result<itsm_mining::EventLog, itsm_mining::Error> {
    let at = chrono::DateTime::from_timestamp(1_456_704_960, 0).unwrap_or_default();
    let objects = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, s)| itsm_mining::Object::new(&format!("{s}#{i}"), ObjectType::Incident))
        .collect();
    let events = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, s)| {
            itsm_mining::Event::new(&format!("e{i}"), s, at)
                .related(&format!("{s}#{i}"), "incident")
                .with("note", *s)
        })
        .collect();
    itsm_mining::EventLog::new(objects, events)
}

fn yes(ok: bool) -> &'static str {
    if ok { "yes" } else { "NO" }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [log_path] = args.as_slice() else {
        eprintln!("usage: pm4py-check <path to incident_event_log.csv>");
        return ExitCode::from(2);
    };
    match check(Path::new(log_path)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("pm4py-check: pm4py's counts differ from ours (see above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("pm4py-check: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(log_path: &Path) -> Result<bool, Box<dyn std::error::Error>> {
    let root = workspace();
    let mapping_path = root.join("examples/data/uci-mapping.json");
    let mapping = itsm_examples::uci::mapping()?;
    let (policy, origin) = choose_policy(None, &mapping, &mapping_path)?;
    let lifecycle = policy.workflow.lifecycle();

    // 3 first, so that a missing Python is said before the work: Python and pm4py.
    let venv = root.join("target/venv-pm4py");
    let python = python::ensure_pm4py(&venv)?;

    // 1-2: convert and write.
    let started = Instant::now();
    let file = std::fs::File::open(log_path)
        .map_err(|e| format!("cannot open {}: {e}", log_path.display()))?;
    let converted = convert::convert(
        std::io::BufReader::with_capacity(1 << 20, file),
        &mapping,
        &policy,
    )?;
    let log = &converted.log;
    let out_dir = root.join("target/pm4py-check");
    std::fs::create_dir_all(&out_dir)?;
    let ocel_path = out_dir.join("uci.ocel.json");
    let xes_path = out_dir.join("uci-incidents.xes");
    let pnml_path = out_dir.join("incident-lifecycle.pnml");
    std::fs::write(&ocel_path, ocel::to_json(log))?;
    std::fs::write(&xes_path, xes::to_xes(log, &ObjectType::Incident))?;
    let net = PetriNet::from_lifecycle(&lifecycle, Labels::States);
    std::fs::write(&pnml_path, net.to_pnml())?;
    std::fs::write(out_dir.join("incident-lifecycle.md"), net.to_markdown())?;
    let (hostile_ocel, hostile_xes) = (
        out_dir.join("hostile.ocel.json"),
        out_dir.join("hostile.xes"),
    );
    let hostile = hostile_log()?;
    std::fs::write(&hostile_ocel, ocel::to_json(&hostile))?;
    std::fs::write(&hostile_xes, xes::to_xes(&hostile, &ObjectType::Incident))?;
    // The incident crate's built-in lifecycle and the other presets' workflows, labelled by
    // commands: pm4py must read any lifecycle.
    let mut extra_nets = Vec::new();
    for (name, lc) in [
        ("builtin-incident", itsm_incident::lifecycle()),
        ("itop", itsm_incident::Workflow::itop().lifecycle()),
        ("glpi", itsm_incident::Workflow::glpi().lifecycle()),
    ] {
        let net = PetriNet::from_lifecycle(&lc, Labels::Commands);
        let path = out_dir.join(format!("{name}.pnml"));
        std::fs::write(&path, net.to_pnml())?;
        extra_nets.push((name, path, net));
    }
    let convert_ms = started.elapsed().as_millis();

    let cases = log.cases(&ObjectType::Incident);
    let xes_events: usize = cases.iter().map(|(_, events)| events.len()).sum();
    let incidents = log
        .objects()
        .iter()
        .filter(|o| o.object_type == ObjectType::Incident)
        .count();
    let activities = log.activities().len();
    let relations: usize = log.events().iter().map(|e| e.relations.len()).sum();
    let o2o: usize = log.objects().iter().map(|o| o.relations.len()).sum();
    println!("source: {}", log_path.display());
    println!(
        "{}",
        itsm_examples::replay::describe_policy(&policy, &origin)
    );
    println!(
        "ours: {} events ({} bad rows and {} ignored rows left out), {} objects ({} incidents), {} activities, {} event-object and {} object-object relations",
        log.events().len(),
        converted.bad_rows,
        converted.ignored_rows,
        log.objects().len(),
        incidents,
        activities,
        relations,
        o2o
    );
    println!(
        "ours: XES {} cases, {} events; net {} places, {} transitions ({} silent); convert+write ms: {convert_ms}",
        cases.len(),
        xes_events,
        net.places.len(),
        net.transitions.len(),
        net.transitions.iter().filter(|t| t.label.is_none()).count()
    );
    println!(
        "files: {}, {}, {}",
        ocel_path.display(),
        xes_path.display(),
        pnml_path.display()
    );

    // Our own checks of the same traces on the same lifecycle.
    let (mut steps, mut accepted, mut starts_initial, mut ends_terminal) = (0, 0, 0, 0);
    for (_, events) in &cases {
        let report = lifecycle.conformance(events.iter().map(|e| e.activity.as_str()));
        steps += report.steps.len();
        accepted += report
            .steps
            .iter()
            .filter(|s| matches!(s.verdict, Verdict::Accepted(_)))
            .count();
        starts_initial += usize::from(report.starts_initial);
        let last = events.last().map(|e| e.activity.as_str());
        ends_terminal += usize::from(
            last.and_then(|s| lifecycle.state(s))
                .is_some_and(|s| s.terminal),
        );
    }
    let replay = run(&mapping_path, None, log_path)?.report;

    // 4: the script.
    let mut command = std::process::Command::new(&python);
    command
        .arg(root.join("examples/scripts/pm4py_check.py"))
        .args([
            &ocel_path,
            &xes_path,
            &pnml_path,
            &hostile_ocel,
            &hostile_xes,
        ])
        .args(extra_nets.iter().map(|(_, path, _)| path));
    let started = Instant::now();
    let mut theirs: BTreeMap<String, String> = BTreeMap::new();
    itsm_examples::bench::run_lines(command, |line| {
        if let Some((key, value)) = line
            .strip_prefix("pm4py ")
            .and_then(|rest| rest.split_once(": "))
        {
            theirs.insert(key.to_owned(), value.trim().to_owned());
        }
        Ok(())
    })?;
    let script_s = started.elapsed().as_secs_f64();
    let get = |key: &str| -> Result<String, String> {
        theirs
            .get(key)
            .cloned()
            .ok_or_else(|| format!("the pm4py script printed no `{key}`"))
    };
    let number =
        |key: &str| -> Result<f64, Box<dyn std::error::Error>> { Ok(get(key)?.parse::<f64>()?) };
    let count = |key: &str| -> Result<usize, Box<dyn std::error::Error>> {
        Ok(get(key)?.parse::<usize>()?)
    };

    // 5: compare and explain.
    println!();
    println!(
        "pm4py {} (script {script_s:.1} s: OCEL read {} s, XES read {} s, replay {} s)",
        get("version")?,
        get("ocel seconds")?,
        get("xes seconds")?,
        get("replay seconds")?
    );
    println!(
        "pm4py read: OCEL {} events, {} objects ({} incidents), {} activities, {} event-object and {} object-object relations; XES {} cases, {} events, {} activities",
        get("ocel events")?,
        get("ocel objects")?,
        get("ocel incidents")?,
        get("ocel activities")?,
        get("ocel relations")?,
        get("ocel o2o")?,
        get("xes cases")?,
        get("xes events")?,
        get("xes activities")?
    );
    println!(
        "pm4py read the net: {} places, {} transitions ({} silent), initial marking {}, final marking {}",
        get("net places")?,
        get("net transitions")?,
        get("net silent")?,
        get("initial marking")?,
        get("final marking")?
    );
    let cases_agree = count("xes cases")? == cases.len() && count("ocel incidents")? == incidents;
    let events_agree =
        count("xes events")? == xes_events && count("ocel events")? == log.events().len();
    let activities_agree =
        count("xes activities")? == activities && count("ocel activities")? == activities;
    let relations_agree = count("ocel relations")? == relations && count("ocel o2o")? == o2o;
    let net_agrees = count("net places")? == net.places.len()
        && count("net transitions")? == net.transitions.len();
    let mut extra_agree = true;
    for (name, path, net) in &extra_nets {
        let stem = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let ours = format!(
            "{} places, {} transitions ({} silent)",
            net.places.len(),
            net.transitions.len(),
            net.transitions.iter().filter(|t| t.label.is_none()).count()
        );
        let theirs = get(&format!("net {stem}"))?;
        extra_agree &= theirs == ours;
        println!("pm4py read the {name} net (command labels): {theirs}; ours: {ours}");
    }
    let strings = |key: &str| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        Ok(serde_json::from_str(&get(key)?)?)
    };
    let sorted = |list: Vec<String>| {
        let mut list = list;
        list.sort();
        list.dedup();
        list
    };
    let hostile_agree = strings("hostile ocel activities")?
        == sorted(HOSTILE.map(str::to_owned).to_vec())
        && strings("hostile ocel objects")?
            == sorted(
                HOSTILE
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!("{s}#{i}"))
                    .collect(),
            )
        && strings("hostile xes activities")?
            == sorted(HOSTILE.iter().map(|s| xml_kept(s)).collect())
        && strings("hostile xes cases")?
            == sorted(
                HOSTILE
                    .iter()
                    .enumerate()
                    .map(|(i, s)| xml_kept(&format!("{s}#{i}")))
                    .collect(),
            );
    println!(
        "hostile strings read back: {} (quotes, <, &, controls, Unicode; XML has U+FFFD for what it cannot carry)",
        yes(hostile_agree)
    );
    let written_agree = read_back(&get("wrote xes")?, &get("wrote ocel")?, log)?;
    println!(
        "pm4py's own files read back by ours: {} (pm4py wrote them in {} s)",
        yes(written_agree),
        get("write seconds")?
    );
    println!("cases agree: {}", yes(cases_agree));
    println!("events agree: {}", yes(events_agree));
    println!("activities agree: {}", yes(activities_agree));
    println!("relations agree: {}", yes(relations_agree));
    println!("nets agree: {}", yes(net_agrees && extra_agree));
    let fitness = number("log fitness")?;
    println!("pm4py fitness: {fitness:.2}");
    println!(
        "pm4py: log fitness {fitness:.4}, average trace fitness {:.4}, fitting traces {:.2}%; tokens missing {}, consumed {}, remaining {}, produced {}",
        number("average trace fitness")?,
        number("fitting traces percent")?,
        get("missing tokens")?,
        get("consumed tokens")?,
        get("remaining tokens")?,
        get("produced tokens")?
    );
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    println!(
        "ours: transitions accepted: {} ({} of {} by the incident replay through decide/evolve)",
        replay
            .accepted_pct()
            .map_or("n/a".to_owned(), |p| format!("{p:.2}%")),
        replay.accepted,
        replay.transitions
    );
    println!(
        "ours: lifecycle conformance of the same XES traces: {:.2}% of {steps} changes of state accepted; {:.2}% of cases start in an initial state, {:.2}% end in a terminal one",
        pct(accepted, steps),
        pct(starts_initial, cases.len()),
        pct(ends_terminal, cases.len())
    );
    let missing = count("missing tokens")?;
    let consumed = count("consumed tokens")?;
    let rejected_graph = steps - accepted;
    let rejected_replay = replay.transitions - replay.accepted;
    let mut kinds: Vec<(&String, usize)> = replay
        .rejections
        .iter()
        .map(|(k, t)| (k, t.count))
        .collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kinds = kinds
        .iter()
        .take(3)
        .map(|(k, n)| format!("{k}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    println!();
    println!("why they differ (they measure different things):");
    println!(
        "- pm4py's fitness is token-based replay of whole traces on the net: 1/2 (1 - missing/consumed) + 1/2 (1 - remaining/produced); a change of state the net lacks costs about one missing and one remaining token ({missing} missing here, against {rejected_graph} changes our lifecycle check of the same traces rejects)"
    );
    println!(
        "- the denominators differ: pm4py divides by every token consumed ({consumed}: the self-loop of each row that repeats a state and the silent start and end included), we by changes of state ({steps} in the XES traces, {} in the replay), so each deviation weighs about {:.1} times less in the fitness",
        replay.transitions,
        if steps == 0 {
            0.0
        } else {
            consumed as f64 / steps as f64
        }
    );
    println!(
        "- our replay runs each change through decide with the policy, not only the graph: it rejects {rejected_replay} changes where the graph rejects {rejected_graph} (its rejections: {kinds})"
    );
    println!(
        "- a case that starts mid-life ({:.2}% of them) is seeded by import in our replay and not counted; in the net the silent start puts the token on the initial state, whose edge to the observed state fires, so it costs no token either where that edge exists",
        100.0 - pct(starts_initial, cases.len())
    );
    println!(
        "- a case still open when the log ends would leave its token short of the sink in token replay (remaining and missing tokens) but costs nothing in our rate ({:.2}% of cases end in a terminal state here)",
        pct(ends_terminal, cases.len())
    );
    Ok(cases_agree
        && written_agree
        && events_agree
        && activities_agree
        && relations_agree
        && net_agrees
        && extra_agree
        && hostile_agree)
}

/// Step 6: reads pm4py's own XES and OCEL 2.0 files of `log` with our readers and checks
/// that they hold the same cases, objects, events and relations.
fn read_back(
    xes_path: &str,
    ocel_path: &str,
    log: &itsm_mining::EventLog,
) -> Result<bool, Box<dyn std::error::Error>> {
    type Facts = Vec<(String, String, chrono::DateTime<chrono::Utc>)>;
    let facts = |events: &mut dyn Iterator<Item = &itsm_mining::Event>| -> Facts {
        let mut list: Facts = events
            .map(|e| (e.id.clone(), e.activity.clone(), e.time))
            .collect();
        list.sort();
        list
    };

    let text = std::fs::read_to_string(xes_path)
        .map_err(|e| format!("cannot read pm4py's XES {xes_path}: {e}"))?;
    let started = Instant::now();
    let read = xes::from_xes(&text, &ObjectType::Incident)
        .map_err(|e| format!("our XES reader refused pm4py's {xes_path}: {e}"))?;
    let xes_ms = started.elapsed().as_millis();
    let cases = log.cases(&ObjectType::Incident);
    let mut case_ids: Vec<&str> = cases.iter().map(|(o, _)| o.id.as_str()).collect();
    let mut read_ids: Vec<&str> = read.log.objects().iter().map(|o| o.id.as_str()).collect();
    case_ids.sort_unstable();
    read_ids.sort_unstable();
    let xes_agree = case_ids == read_ids
        && facts(&mut cases.iter().flat_map(|(_, events)| events.iter().copied()))
            == facts(&mut read.log.events().iter());
    println!(
        "ours read pm4py's XES: {} cases, {} events, {} activities in {xes_ms} ms ({} MB); same cases and events (ids, activities, times): {}",
        read.log.objects().len(),
        read.log.events().len(),
        read.log.activities().len(),
        text.len() / 1_000_000,
        yes(xes_agree)
    );
    for s in &read.skipped {
        println!("  left out: {s}");
    }

    let text = std::fs::read_to_string(ocel_path)
        .map_err(|e| format!("cannot read pm4py's OCEL {ocel_path}: {e}"))?;
    let started = Instant::now();
    let document: ocel::Document = serde_json::from_str(&text)
        .map_err(|e| format!("pm4py's {ocel_path} is not an OCEL 2.0 JSON document: {e}"))?;
    let read = ocel::from_document(document)
        .map_err(|e| format!("our OCEL reader refused pm4py's {ocel_path}: {e}"))?;
    let ocel_ms = started.elapsed().as_millis();
    let objects = |log: &itsm_mining::EventLog| -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = log
            .objects()
            .iter()
            .map(|o| (o.id.clone(), o.object_type.name().to_owned()))
            .collect();
        list.sort();
        list
    };
    let relations = |log: &itsm_mining::EventLog| -> (usize, usize) {
        (
            log.events().iter().map(|e| e.relations.len()).sum(),
            log.objects().iter().map(|o| o.relations.len()).sum(),
        )
    };
    let ocel_agree = objects(&read.log) == objects(log)
        && facts(&mut read.log.events().iter()) == facts(&mut log.events().iter())
        && relations(&read.log) == relations(log);
    println!(
        "ours read pm4py's OCEL 2.0: {} objects, {} events, {} event-object and {} object-object relations in {ocel_ms} ms ({} MB, JSON parsing by serde_json included); same objects, events and relations: {}",
        read.log.objects().len(),
        read.log.events().len(),
        relations(&read.log).0,
        relations(&read.log).1,
        text.len() / 1_000_000,
        yes(ocel_agree)
    );
    for s in &read.skipped {
        println!("  left out: {s}");
    }
    Ok(xes_agree && ocel_agree)
}
