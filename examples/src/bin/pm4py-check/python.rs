//! The Python side: a virtual environment with pm4py, made once and reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use itsm_examples::bench::last_line;

/// Whether `python` imports pm4py.
fn has_pm4py(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import pm4py"])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// The interpreter of the virtual environment `venv` with pm4py installed: reused when it is
/// there; otherwise made with `python3 -m venv` and pip (into the environment, never
/// system-wide), printing how long the install took.
///
/// # Errors
/// Why it cannot run: no `python3`, no `venv` module, pip failing (no network, no wheel for
/// this Python), each with the tool's last line of errors.
pub fn ensure_pm4py(venv: &Path) -> Result<PathBuf, String> {
    let python = venv.join("bin").join("python");
    if python.exists() && has_pm4py(&python) {
        println!("pm4py: reusing {}", venv.display());
        return Ok(python);
    }
    let started = Instant::now();
    if !python.exists() {
        let out = Command::new("python3")
            .args(["-m", "venv"])
            .arg(venv)
            .output()
            .map_err(|e| {
                format!(
                    "cannot run: python3 is not available ({e}); install Python 3 to run this check"
                )
            })?;
        if !out.status.success() {
            return Err(format!(
                "cannot run: `python3 -m venv {}` failed: {} (on Debian and Ubuntu: apt install python3-venv)",
                venv.display(),
                last_line(&out.stderr)
            ));
        }
    }
    println!("pm4py: installing into {} (once) ...", venv.display());
    let out = Command::new(venv.join("bin").join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "pm4py"])
        .output()
        .map_err(|e| format!("cannot run: pip of {} does not start: {e}", venv.display()))?;
    if !out.status.success() {
        return Err(format!(
            "cannot run: `pip install pm4py` failed: {} (no network, or no pm4py for this Python?)",
            last_line(&out.stderr)
        ));
    }
    if !has_pm4py(&python) {
        return Err("cannot run: pm4py was installed but does not import".to_owned());
    }
    println!(
        "pm4py: installed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(python)
}
