//! `releases` on the bundled file: the lines below were worked out by hand from
//! `examples/data/release/releases.json` and the rules in docs/release.md. Bad inputs are
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
    common::run(env!("CARGO_BIN_EXE_releases"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("releases", out)
}

#[test]
fn the_bundled_releases_show_each_rule() {
    let out = lines(&run(&[]));
    // Timeline: the first phase starts on its start date, midnight in Berlin; the package
    // task is due on the 10th, so its notice falls two days before, at the same instant.
    has(&out, "Mon 08 Mar 00:00 phase build started");
    has(
        &out,
        "Mon 08 Mar 00:00 build/package artefacts due Wed 10 Mar",
    );
    // A failure recorded after the exception was granted counts as compliant with it.
    has(
        &out,
        "Wed 10 Mar 14:00 check no_critical_vulnerabilities: compliant_with_exception",
    );
    // Done on the 10th, the phase waits for the end of its end date (Friday the 12th).
    has(&out, "Sat 13 Mar 00:00 phase build completed");
    // On the 19th both test tasks are past due (17th, 18th) and the one check failed:
    // scores 2 and 2, (2 x 50 + 2 x 50) / 100 x 11 / 18 days = 1.22 -> 1.
    has(
        &out,
        "risk 1 (low): 2 of 2 tasks overdue (score 2), 1 of 1 checks failed (score 2), day 11 of 18",
    );
    // Retargeted a week later: the test phase's end moves to Friday the 26th, Good Friday,
    // and back to Thursday; the completed build phase stays.
    has(
        &out,
        "dates: build Mon 08 Mar - Fri 12 Mar, test Mon 22 Mar - Thu 25 Mar, deploy Mon 29 Mar - Fri 02 Apr",
    );
    has(&out, "Fri 26 Mar 00:00 phase test completed");
    // Berlin is on summer time by then: the end of Friday 2 April is still midnight there.
    has(&out, "Sat 03 Apr 00:00 phase deploy completed");
    // Stage risk with a readiness target 10 days away: checks 0.4, progress 0.1, time
    // 0.2 x 4/14: 55.7 -> 56 (one task: no work risk).
    has(
        &out,
        "risk 56: 0 of 1 tasks closed, 1 of 1 check runs non-compliant, 10 days to the readiness target",
    );
    has(
        &out,
        "refused: `restart` needs one of the roles `release_admin`; the actor holds none of them",
    );
    has(
        &out,
        "Tue 06 Apr 10:00 restarted from build (uat was in progress)",
    );
    // The main release waits for the ledger release to reach its deploy phase, and
    // completes at the tick after it has.
    has(
        &out,
        "refused: phase 1 cannot complete: included release 0 is at phase 0; every included release must reach the main release's phase first",
    );
    has(&out, "Tue 13 Apr 09:05 phase deploy completed");
    has(
        &out,
        "payments 4.2: completed, 3 of 3 phases completed; review: ready a week late after the retarget; CVE-2027-1234 to be fixed by 30 April",
    );
}

#[test]
fn bad_inputs_are_messages() {
    let out = run(&["/nonexistent/releases.json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("releases: cannot read /nonexistent/releases.json"),
        "{err}"
    );
    let out = run(&["a.json", "b.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: releases"));
}
