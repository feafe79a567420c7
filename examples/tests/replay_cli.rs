//! The `replay` binary itself, as issue 14's "Checked by" runs it: its exit code, what it
//! prints on standard output and standard error.
//!
//! - a deliberately broken lifecycle policy (`examples/data/policy-broken-lifecycle.json`: an
//!   unreachable state and a dead end) is refused before the log is read, every problem
//!   named, with a non-zero exit;
//! - a policy whose workflow is fine but which is otherwise invalid keeps serde's error with
//!   its line and column;
//! - on the real logs (through `ITSM_DATA`, see `real_data`), the lines the issue names are
//!   among the last lines of standard output: `incidents: 24918`, `transitions accepted:`,
//!   `reopen_count agreement:` and `priority agreement: 100.00%` for UCI (and the policy that
//!   reopens closed incidents named in the header), `incidents:` and `transitions accepted:`
//!   for the 4TU Helpdesk log.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use itsm_examples::replay::{RunError, run};

const REPLAY: &str = env!("CARGO_BIN_EXE_replay");

fn package(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn replay(args: &[&Path]) -> Output {
    Command::new(REPLAY)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {REPLAY}: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_broken_lifecycle_policy_is_refused_with_every_problem_named() {
    let policy = package("data/policy-broken-lifecycle.json");
    let out = replay(&[
        Path::new("--mapping"),
        &package("tests/fixtures/european/mapping.json"),
        Path::new("--policy"),
        &policy,
        &package("tests/fixtures/european/log.csv"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        out.stdout.is_empty(),
        "nothing replayed: {}",
        text(&out.stdout)
    );
    assert_eq!(
        text(&out.stderr),
        format!(
            "replay: {} is refused: its workflow `broken-on-purpose` has 2 problem(s):\n  \
             - state `parked` cannot be reached from an initial state\n  \
             - no terminal state can be reached from state `escalated`\n",
            policy.display()
        )
    );
}

#[test]
fn the_lifecycle_problems_are_structured_for_a_library_host() {
    let err = run(
        &package("tests/fixtures/european/mapping.json"),
        Some(
            package("data/policy-broken-lifecycle.json")
                .to_str()
                .unwrap(),
        ),
        &package("tests/fixtures/european/log.csv"),
    )
    .unwrap_err();
    let RunError::Lifecycle {
        lifecycle,
        problems,
        ..
    } = err
    else {
        panic!("not a lifecycle error: {err}");
    };
    assert_eq!(lifecycle, "broken-on-purpose");
    assert_eq!(
        problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "state `parked` cannot be reached from an initial state",
            "no terminal state can be reached from state `escalated`",
        ]
    );
}

#[test]
fn another_policy_mistake_keeps_its_line_and_column() {
    let dir = std::env::temp_dir().join(format!("itsm-replay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.json");
    // The UCI policy (ServiceNow's workflow) with a duration in years, which has no fixed
    // length and is refused.
    let uci = std::fs::read_to_string(package("data/uci-policy.json")).unwrap();
    let line = 1 + uci[..uci.find("\"P5D\"").unwrap()].matches('\n').count();
    std::fs::write(&policy, uci.replace("\"P5D\"", "\"P1Y\"")).unwrap();
    let out = replay(&[
        Path::new("--mapping"),
        &package("tests/fixtures/european/mapping.json"),
        Path::new("--policy"),
        &policy,
        &package("tests/fixtures/european/log.csv"),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "replay: {} is not a valid policy: ",
            policy.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("at line {line} column")),
        "{stderr}"
    );
}

#[test]
fn usage_mistakes_exit_with_2() {
    let out = replay(&[Path::new("log.csv")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("usage: replay --mapping"));
}

/// The binary's standard output on a real log, or `None` when `ITSM_DATA` is not set.
fn real(test: &str, log: &str, mapping: &str, policy: Option<&str>) -> Option<Vec<String>> {
    let log = itsm_examples::real_data::locate(test, log)?;
    let mapping = package(mapping);
    let policy = policy.map(package);
    let mut args: Vec<&Path> = vec![Path::new("--mapping"), &mapping];
    if let Some(policy) = &policy {
        args.extend([Path::new("--policy"), policy]);
    }
    args.push(&log);
    let out = replay(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    Some(text(&out.stdout).lines().map(str::to_owned).collect())
}

fn percent(lines: &[String], prefix: &str) -> f64 {
    let line = lines
        .iter()
        .rev()
        .take(8)
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` among the last lines: {lines:?}"));
    line[prefix.len()..]
        .strip_suffix('%')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a percentage: {line}"))
}

fn among_last(lines: &[String], line: &str) {
    assert!(
        lines.iter().rev().take(8).any(|l| l == line),
        "`{line}` is not among the last lines: {:?}",
        &lines[lines.len().saturating_sub(8)..]
    );
}

#[test]
fn the_uci_log_prints_the_checked_lines() {
    let Some(lines) = real(
        "the_uci_log_prints_the_checked_lines",
        "uci-incident-event-log/incident_event_log.csv",
        "data/uci-mapping.json",
        None,
    ) else {
        return;
    };
    among_last(&lines, "incidents: 24918");
    assert!(percent(&lines, "transitions accepted: ") >= 99.5);
    assert!(percent(&lines, "reopen_count agreement: ") > 99.0);
    among_last(&lines, "priority agreement: 100.00%");
}

#[test]
fn the_uci_log_under_the_reopen_closed_policy_names_it() {
    let Some(lines) = real(
        "the_uci_log_under_the_reopen_closed_policy_names_it",
        "uci-incident-event-log/incident_event_log.csv",
        "data/uci-mapping.json",
        Some("data/policy-reopen-closed.json"),
    ) else {
        return;
    };
    let policy = lines.iter().find(|l| l.starts_with("policy: ")).unwrap();
    assert!(
        policy.contains("policy-reopen-closed.json: workflow `servicenow-reopen-closed`"),
        "{policy}"
    );
    // The log's reopens after closure are accepted: none is listed as rejected.
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("closed -> in_progress: no transition")),
        "{lines:?}"
    );
    among_last(&lines, "incidents: 24918");
    among_last(&lines, "reopen_count agreement: 99.99%");
}

#[test]
fn the_helpdesk_log_prints_its_incidents_and_accepted_share() {
    let Some(lines) = real(
        "the_helpdesk_log_prints_its_incidents_and_accepted_share",
        "helpdesk/helpdesk.csv",
        "data/helpdesk-mapping.json",
        None,
    ) else {
        return;
    };
    among_last(&lines, "incidents: 4580");
    assert!(percent(&lines, "transitions accepted: ") >= 99.5);
}
