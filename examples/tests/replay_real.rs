//! The `replay` contract on the two real logs, through the same function the binary runs:
//! the UCI ServiceNow log (24,918 incidents, at least 99.5% of transitions accepted, every
//! priority agreeing with the instance's matrix), the same log under a policy that reopens
//! closed incidents, and the 4TU Helpdesk activity log.
//!
//! The logs are not in the repository: the tests find them through `ITSM_DATA` (see README,
//! Real data). Without it they say they skipped and why; `.ci/run` sets it and fails when a
//! file is missing.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use itsm_examples::replay::{Run, run};

const UCI: &str = "uci-incident-event-log/incident_event_log.csv";
const HELPDESK: &str = "helpdesk/helpdesk.csv";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

fn replay(test: &str, log: &str, mapping: &str, policy: Option<&Path>) -> Option<Run> {
    let path = itsm_examples::real_data::locate(test, log)?;
    let policy = policy.map(|p| p.to_str().unwrap().to_owned());
    match run(&data(mapping), policy.as_deref(), &path) {
        Ok(run) => Some(run),
        Err(e) => panic!("{test}: {e}"),
    }
}

/// The report's last lines, as the binary prints them.
fn tail(run: &Run, n: usize) -> Vec<String> {
    let text = run.report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

#[test]
fn the_uci_log_replays_with_its_figures() {
    let Some(run) = replay(
        "the_uci_log_replays_with_its_figures",
        UCI,
        "uci-mapping.json",
        None,
    ) else {
        return;
    };
    assert!(
        run.header[2].ends_with(
            "uci-policy.json (named by the mapping): workflow `servicenow`, matrix `uci-servicenow-instance`, auto-close after 5 days"
        ),
        "{}",
        run.header[2]
    );
    let report = &run.report;
    assert_eq!(
        tail(&run, 6),
        [
            "reassignment_count agreement: 85.82%",
            "incidents: 24918",
            "transitions: 64033 observed, 63897 accepted, 136 rejected",
            "transitions accepted: 99.79%",
            "reopen_count agreement: 99.94%",
            "priority agreement: 100.00%",
        ]
    );
    assert!(report.accepted_pct().unwrap() >= 99.5);
    assert_eq!(
        (report.rows, report.replayed, report.seeded_by_import),
        (141_712, 141_707, 8_522)
    );
    // The -100 rows are bad data, not a crash.
    let bad: Vec<(&String, usize)> = report.bad.iter().map(|(k, t)| (k, t.count)).collect();
    assert_eq!(
        bad,
        [(&"states.values[\"-100\"]: marked bad data".to_owned(), 5)]
    );
    // Every rejection listed by kind, and only the kinds a ServiceNow-compatible policy gives.
    let listed: usize = report.rejections.values().map(|t| t.count).sum();
    assert_eq!(listed, report.transitions - report.accepted);
    for (kind, tally) in &report.rejections {
        assert!(
            kind.ends_with("missing resolution code")
                || kind.ends_with("no transition in workflow `servicenow`")
                || kind.ends_with("clock went backwards"),
            "unexpected rejection kind: {kind}"
        );
        assert!((1..=2).contains(&tally.examples.len()), "{kind}");
    }
    assert_eq!(
        report.rejections["closed -> in_progress: no transition in workflow `servicenow`"].count,
        12
    );
    let priority = report.priority.as_ref().unwrap();
    assert_eq!((priority.rows, priority.agree), (141_707, 141_707));
    assert_eq!((report.auto_closed, report.closed_by_hand), (24_672, 244));
}

#[test]
fn a_policy_that_reopens_closed_incidents_accepts_the_uci_reopens() {
    let policy = data("policy-reopen-closed.json");
    let Some(run) = replay(
        "a_policy_that_reopens_closed_incidents_accepts_the_uci_reopens",
        UCI,
        "uci-mapping.json",
        Some(&policy),
    ) else {
        return;
    };
    assert!(
        run.header[2].starts_with(&format!(
            "policy: file {}: workflow `servicenow-reopen-closed`",
            policy.display()
        )),
        "{}",
        run.header[2]
    );
    let report = &run.report;
    // The 12 reopens after closure are accepted; nothing else changes.
    assert_eq!((report.transitions, report.accepted), (64_033, 63_909));
    assert!(
        !report
            .rejections
            .keys()
            .any(|k| k.starts_with("closed -> in_progress"))
    );
    assert_eq!(tail(&run, 3)[1], "reopen_count agreement: 99.99%");
}

#[test]
fn the_helpdesk_activity_log_replays_with_its_figures() {
    let Some(run) = replay(
        "the_helpdesk_activity_log_replays_with_its_figures",
        HELPDESK,
        "helpdesk-mapping.json",
        None,
    ) else {
        return;
    };
    assert_eq!(
        run.header[2],
        "policy: preset servicenow (the default): workflow `servicenow`, matrix `servicenow`, auto-close after 7 days"
    );
    assert_eq!(
        tail(&run, 6),
        [
            "reassignment_count agreement: n/a (no reassignment counter in the log)",
            "incidents: 4580",
            "transitions: 15694 observed, 15688 accepted, 6 rejected",
            "transitions accepted: 99.96%",
            "reopen_count agreement: n/a (no reopen counter in the log)",
            "priority agreement: n/a (no priority in the log)",
        ]
    );
    let report = &run.report;
    assert_eq!(
        (report.rows, report.replayed, report.ignored),
        (21_348, 21_340, 8)
    );
    assert_eq!(report.bad_rows(), 0);
    assert_eq!(report.actions.get("assign"), Some(&5_060));
}
