//! `vulnerabilities` on the bundled file: the lines below were worked out by hand from
//! `examples/data/vuln/quarter.json` and the rules in docs/vulnerability.md. Bad inputs are
//! messages, not panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Output;

mod common;

use common::has;

fn run(args: &[&str]) -> Output {
    common::run(env!("CARGO_BIN_EXE_vulnerabilities"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("vulnerabilities", out)
}

#[test]
fn the_bundled_quarter_shows_each_rule() {
    let out = lines(&run(&[]));
    // Default risk rule: critical 50 + high criticality 15 + exploit 15 + internet 10 +
    // EPSS 0.9 of 5 = 94.5, rounded 95: critical, 15 days.
    has(
        &out,
        "2027-03-01 06:00 xz on web-01: found, risk 95 critical, due 2027-03-16 06:00",
    );
    // High 25 + low criticality 5 + exploit 15 + EPSS 0.5 of 5 = 47.5, rounded 48: medium, 90 days.
    has(
        &out,
        "2027-03-01 06:00 libwebp on desk-07: found, risk 48 medium, due 2027-05-30 06:00",
    );
    // Only an exception approver approves.
    has(
        &out,
        "2027-03-02 10:05 priya's approve refused: `approve` needs one of the roles `sn_vul.exception_approver`",
    );
    has(
        &out,
        "2027-03-02 11:00 task REGRESSHION: deferred until 2027-03-31 00:00 (fix_unavailable)",
    );
    // A rejected false positive goes back to open (the report).
    has(
        &out,
        "2027-03-03 15:00 libwebp on desk-07: rejected by lena: Chrome 116 is still installed",
    );
    // Found again after the task was resolved: reopened with a fresh target, the assigned
    // task back under investigation.
    has(
        &out,
        "2027-03-05 06:00 xz on web-02: found again, reopened, risk 95 critical, due 2027-03-20 06:00",
    );
    has(
        &out,
        "2027-03-05 06:00 task XZ-BACKDOOR: resolved -> under_investigation (rolled up from its items)",
    );
    // The last item fixed closes the task.
    has(
        &out,
        "2027-03-06 06:00 task XZ-BACKDOOR: resolved -> closed (rolled up from its items)",
    );
    // The extension moves the date; the deferral ends on it, on the tick.
    has(
        &out,
        "2027-03-26 09:00 task REGRESSHION: deferred until 2027-04-30 00:00 (fix_unavailable)",
    );
    has(&out, "2027-04-30 00:00 task REGRESSHION: deferral ended");
    has(
        &out,
        "2027-04-10 09:00 telnetd on printer-3: closed (ci_decommissioned)",
    );
    // Medium: reminded 14 days before its 90-day target, then missed.
    has(
        &out,
        "2027-05-16 06:00 libwebp on desk-07: target 2027-05-30 06:00 approaching",
    );
    has(
        &out,
        "2027-05-30 06:00 libwebp on desk-07: target 2027-05-30 06:00 missed",
    );
    assert!(
        out.iter().any(
            |l| l.trim_start().starts_with("libwebp on desk-07") && l.contains("target_missed")
        ),
        "{out:#?}"
    );
    assert!(
        out.iter()
            .any(|l| l.trim_start().starts_with("task REGRESSHION")
                && l.contains("closed")
                && l.contains("deferred 2")),
        "{out:#?}"
    );
}

#[test]
fn bad_files_are_messages() {
    let dir = std::env::temp_dir().join(format!("itsm-vuln-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"people\": {}, \"system\": \"nobody\", \"names\": {}, \"until\": \"2027-01-01T00:00:00Z\", \"steps\": []}").unwrap();
    let out = run(&[bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the system account `nobody` is not among the people"),
        "{err}"
    );
    let missing = run(&[dir.join("missing.json").to_str().unwrap()]);
    assert!(!missing.status.success());
    std::fs::remove_dir_all(&dir).ok();
}
