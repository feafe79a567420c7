//! The importer's generality, on small synthetic logs in the shapes real tools export: each
//! fixture under `tests/fixtures/<name>/` is a log, its mapping and the exact report the
//! `replay` binary prints for it (`expected.txt`; after a deliberate change of the report,
//! `UPDATE_SCHEMAS=1 cargo test -p itsm-examples --test import_fixtures` rewrites them, and
//! the diff is the review).
//!
//! - `european`: `;`, Latin-1, CRLF line ends, wall-clock times in Berlin across the start of
//!   summer time (a skipped time is a bad row), levels as labels (`High`, `Medium`, `Low`,
//!   `Major`), no counters; an unmapped value and an unknown label with their lines.
//! - `two-column`: the state from `Status` + `Sub Status`, Windows-1252, times with their
//!   offsets (the wall-clock order in the file is not the instants' order), resolution codes
//!   translated, the log's counters compared with ours.
//! - `activity`: an activity log (assign, reassign, return to queue, caller's update,
//!   comment, reprioritize, reopen, ignore, bad data), cases interleaved and sorted by time
//!   within ten minutes (a late row and a row after its case closed are reported), New York
//!   wall-clock times across the start of daylight saving time, a policy file that allows
//!   `unassign`.
//! - `itop`: vendor states (`assigned`, `pending`) under the `itop` preset.
//! - `empty`: a header only: nothing replayed, and no percentage claimed.
// A test helper: a fixture that does not run fails the test with the reason.
#![allow(clippy::panic)]

use std::path::Path;

use itsm_examples::replay::run;

/// Runs a fixture as `replay --mapping tests/fixtures/<name>/mapping.json [--policy P]
/// tests/fixtures/<name>/log.csv` would (paths relative to the package, as `cargo test`
/// runs), and pins the output.
#[track_caller]
fn check(name: &str, policy: Option<&str>) {
    let dir = Path::new("tests/fixtures").join(name);
    let output = match run(&dir.join("mapping.json"), policy, &dir.join("log.csv")) {
        Ok(run) => format!("{run}\n"),
        Err(e) => panic!("fixture {name} does not run: {e}"),
    };
    itsm_testkit::pin(
        &dir.join("expected.txt"),
        &output,
        "UPDATE_SCHEMAS=1 cargo test -p itsm-examples --test import_fixtures",
    );
}

#[test]
fn semicolons_latin_1_crlf_and_berlin_wall_time() {
    check("european", None);
}

#[test]
fn a_two_column_status_in_windows_1252_with_offsets_and_counters() {
    check("two-column", None);
}

#[test]
fn an_interleaved_activity_log_in_new_york_time() {
    check("activity", None);
}

#[test]
fn vendor_states_under_the_itop_preset() {
    check("itop", Some("itop"));
}

#[test]
fn a_log_without_rows_claims_no_percentage() {
    check("empty", None);
}
