//! The `pm4py-check` example on the UCI log: pm4py reads our OCEL 2.0 and XES files back with
//! the same case, event and activity counts as ours, and replays the XES log on our PNML
//! net; and our readers read the XES and OCEL files pm4py writes of the same logs back with
//! the same cases, objects, events and relations. Runs when the virtual environment `target/venv-pm4py` has pm4py (the example makes
//! it; this test never installs anything) and the real data is there (`ITSM_DATA`); otherwise
//! it says why it skipped.
//!
//! The pm4py calls the script makes are those of pm4py's API reference (pm4py.fit.fraunhofer.de,
//! "API Reference": `pm4py.read_ocel2_json`, `pm4py.read_xes`, `pm4py.read_pnml`,
//! `pm4py.fitness_token_based_replay`, `pm4py.write_xes`, `pm4py.write_ocel2_json`); the OCEL file follows the OCEL 2.0 specification
//! (ocel-standard.org, "OCEL 2.0 JSON format").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

fn skip(why: &str) {
    // Straight to standard error, so the reason shows even when the harness captures output.
    let _ = writeln!(std::io::stderr(), "skipped: pm4py_check: {why}");
}

#[test]
fn pm4py_reads_our_exports_of_the_uci_log() {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/venv-pm4py");
    let python = venv.join("bin/python");
    if !python.exists() {
        skip(&format!(
            "no virtual environment at {}; run `cargo run --release -p itsm-examples --bin pm4py-check -- <UCI log>` once to make it",
            venv.display()
        ));
        return;
    }
    let imports = Command::new(&python)
        .args(["-c", "import pm4py"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !imports {
        skip(&format!("pm4py does not import in {}", venv.display()));
        return;
    }
    let Some(log) = itsm_examples::real_data::locate(
        "pm4py_check",
        "uci-incident-event-log/incident_event_log.csv",
    ) else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_pm4py-check"))
        .arg(&log)
        .output()
        .expect("pm4py-check runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pm4py-check failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "cases agree: yes",
        "events agree: yes",
        "activities agree: yes",
        "relations agree: yes",
        "nets agree: yes",
        "hostile strings read back: yes (quotes, <, &, controls, Unicode; XML has U+FFFD for what it cannot carry)",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "no `{line}` in:\n{stdout}"
        );
    }
    // Our readers read pm4py's own XES and OCEL files of the same logs back whole.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("pm4py's own files read back by ours: yes")),
        "{stdout}"
    );
    // The figures measured on the UCI log (docs/mining.md): 24,918 cases, 141,707 events
    // (the 5 rows of state -100 left out).
    assert!(
        stdout.contains("XES 24918 cases, 141707 events"),
        "{stdout}"
    );
    let fitness: f64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("pm4py fitness: "))
        .expect("a fitness line")
        .parse()
        .expect("a number");
    assert!((0.99..=1.0).contains(&fitness), "fitness {fitness}");
    assert!(stdout.contains("transitions accepted: 99.79%"), "{stdout}");
}
