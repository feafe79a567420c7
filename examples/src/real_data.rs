//! Where the tests and examples find the real logs: the folder named by `ITSM_DATA`.
//!
//! The logs are not in the repository (see README, "Real data"). Without `ITSM_DATA` a test
//! that needs them skips, and says so on the terminal even when the test harness captures
//! output, so the user sees it; with `ITSM_REQUIRE_DATA` set (as `.ci/run` does) a skip is a
//! failure instead, so CI always runs them.

use std::io::Write;
use std::path::PathBuf;

/// The path of `relative` under `ITSM_DATA`, or `None` (after one visible `skipped:` line on
/// standard error) when `ITSM_DATA` is not set.
///
/// # Panics
/// When `ITSM_DATA` is set but the file is missing, and when `ITSM_REQUIRE_DATA` is set but
/// `ITSM_DATA` is not: a test must fail rather than silently skip there.
#[allow(
    clippy::disallowed_methods,
    reason = "the host reads where its data is from the environment"
)]
#[allow(
    clippy::panic,
    reason = "a test helper: a misconfigured data folder must fail the test"
)]
pub fn locate(test: &str, relative: &str) -> Option<PathBuf> {
    let Some(root) = std::env::var_os("ITSM_DATA") else {
        let why = format!(
            "ITSM_DATA is not set; set it to the folder holding {relative} (see README, Real data)"
        );
        if std::env::var_os("ITSM_REQUIRE_DATA").is_some() {
            panic!("{test}: ITSM_REQUIRE_DATA is set, so this test may not skip: {why}");
        }
        // Written to the process's standard error directly, not through `eprintln!`, which
        // the test harness captures and shows only on failure.
        let _ = writeln!(std::io::stderr(), "skipped: {test}: {why}");
        return None;
    };
    let path = PathBuf::from(root).join(relative);
    if !path.is_file() {
        panic!(
            "{test}: ITSM_DATA is set but {} is not a file; fix ITSM_DATA or unset it to skip",
            path.display()
        );
    }
    Some(path)
}
