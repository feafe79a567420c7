//! Replays the real UCI ServiceNow log and holds the replay to its targets: every incident
//! replayed, at least 99.5% of state-changing transitions accepted, every rejection by kind.
//!
//! The log is not in the repository: the test finds it through `ITSM_DATA` (the folder that
//! holds `uci-incident-event-log/`). Without the variable it says it skipped and why, so a
//! fresh clone passes; `.ci/run` sets it and fails when the file is missing.

use itsm_examples::replay::replay;
use itsm_examples::uci::{Mapping, load, priority_agreement};
use itsm_examples::uci_policy;

#[test]
fn uci_log_replays_within_targets() {
    let Some(path) = itsm_examples::real_data::locate(
        "uci_log_replays_within_targets",
        "uci-incident-event-log/incident_event_log.csv",
    ) else {
        return;
    };
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        panic!(
            "ITSM_DATA is set but {} cannot be read: {e}",
            path.display()
        )
    });
    let mapping: Mapping =
        serde_json::from_str(include_str!("../data/uci-mapping.json")).expect("mapping parses");
    let policy = uci_policy().expect("the committed matrix is valid");
    let log = load(std::io::BufReader::new(file), &mapping).expect("log loads");
    let report = replay(&log, &policy);

    // Every incident replayed; the -100 rows are bad data, not a crash.
    assert_eq!(report.incidents, 24_918);
    assert_eq!(log.bad_rows.len(), 5);
    assert!(log.bad_rows.iter().all(|b| b.reason.contains("-100")));

    // At least 99.5% of state-changing transitions accepted, every rejection listed by kind.
    assert!(
        report.transitions > 60_000,
        "transitions: {}",
        report.transitions
    );
    assert!(
        report.accepted_pct() >= 99.5,
        "accepted {:.2}%: {:?}",
        report.accepted_pct(),
        report.rejections
    );
    let listed: usize = report.rejections.values().sum();
    assert_eq!(listed, report.transitions - report.accepted);
    // The rejections we expect from a ServiceNow-compatible policy, and no others.
    for kind in report.rejections.keys() {
        assert!(
            kind.contains("missing resolution code")
                || kind.contains("not allowed")
                || kind.contains("no command leads to new")
                || kind.contains("clock went backwards"),
            "unexpected rejection kind: {kind}"
        );
    }

    assert!(
        report.reopen_pct() >= 99.9,
        "reopen agreement {:.2}%",
        report.reopen_pct()
    );

    let priority = priority_agreement(&log, &policy.matrix);
    assert_eq!(priority.rows, 141_707);
    assert_eq!(
        priority.agree, priority.rows,
        "{:?}",
        priority.disagreements
    );
}
