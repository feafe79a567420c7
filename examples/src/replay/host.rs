//! The host side of a replay: files, the choice of policy, the report's header.

use std::path::{Path, PathBuf};

use itsm_core::{LifecycleProblem, Quoted};
use itsm_incident::{Policy, Workflow, WorkflowSpec};

use super::{ReplayReport, replay};
use crate::import::{Mapping, OpenError, ReadError};

/// Why a replay from files could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// A file cannot be read.
    #[error("cannot read {path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        reason: std::io::Error,
    },
    /// The mapping file is not a valid mapping.
    #[error("{path} is not a valid mapping: {reason}")]
    Mapping {
        /// The file.
        path: PathBuf,
        /// The JSON error (with line and column).
        reason: serde_json::Error,
    },
    /// The policy file is not a valid policy.
    #[error("{path} is not a valid policy: {reason}")]
    Policy {
        /// The file.
        path: PathBuf,
        /// The JSON error (with line and column).
        reason: serde_json::Error,
    },
    /// The policy file's workflow is not a valid lifecycle: every problem, one a line.
    #[error("{path} is refused: its workflow `{}` has {} problem(s):\n{}", Quoted(.lifecycle), .problems.len(), problem_lines(.problems))]
    Lifecycle {
        /// The file.
        path: PathBuf,
        /// The workflow's name.
        lifecycle: String,
        /// Every problem found.
        problems: Vec<LifecycleProblem>,
    },
    /// The log does not open with the mapping.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The log cannot be read on.
    #[error(transparent)]
    Read(#[from] ReadError),
}

fn problem_lines(problems: &[LifecycleProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A policy file read, its workflow checked first: a workflow that is not a valid lifecycle
/// is refused with every problem listed ([`RunError::Lifecycle`]); any other mistake is the
/// JSON error with its line and column ([`RunError::Policy`]).
fn load_policy(path: &Path, text: &str) -> Result<Policy, RunError> {
    serde_json::from_str(text).map_err(|reason| {
        // The policy's own error names the workflow's problems on one line; to list them,
        // the workflow alone is checked again.
        let workflow = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|mut v| v.get_mut("workflow").map(serde_json::Value::take))
            .and_then(|w| serde_json::from_value::<WorkflowSpec>(w).ok())
            .map(Workflow::new);
        match workflow {
            // Only when that is the error the policy stopped at (not, say, its matrix's).
            Some(Err(e)) if reason.to_string().starts_with(&e.to_string()) => match e {
                itsm_core::Error::InvalidLifecycle {
                    lifecycle,
                    problems,
                } => RunError::Lifecycle {
                    path: path.to_owned(),
                    lifecycle,
                    problems,
                },
                _ => RunError::Policy {
                    path: path.to_owned(),
                    reason,
                },
            },
            _ => RunError::Policy {
                path: path.to_owned(),
                reason,
            },
        }
    })
}

/// The policy presets `--policy` accepts by name.
pub const PRESETS: [&str; 3] = ["servicenow", "itop", "glpi"];

fn preset(name: &str) -> Option<Policy> {
    match name {
        "servicenow" => Some(Policy::servicenow()),
        "itop" => Some(Policy::itop()),
        "glpi" => Some(Policy::glpi()),
        _ => None,
    }
}

fn read(path: &Path) -> Result<String, RunError> {
    std::fs::read_to_string(path).map_err(|reason| RunError::File {
        path: path.to_owned(),
        reason,
    })
}

/// The policy a replay runs under: `choice` (a preset's name or a file), else the file the
/// mapping names (relative to the mapping's folder), else ServiceNow's preset. Returns the
/// policy and where it came from, for the report.
///
/// # Errors
/// [`RunError::File`] when the file cannot be read, [`RunError::Lifecycle`] when its workflow
/// is not a valid lifecycle (every problem listed), [`RunError::Policy`] when it is not a
/// valid policy otherwise.
pub fn choose_policy(
    choice: Option<&str>,
    mapping: &Mapping,
    mapping_path: &Path,
) -> Result<(Policy, String), RunError> {
    let from_file = |path: &Path, how: &str| -> Result<(Policy, String), RunError> {
        let text = read(path)?;
        let policy = load_policy(path, &text)?;
        Ok((policy, format!("file {}{how}", path.display())))
    };
    match (choice, &mapping.policy) {
        (Some(name), _) => match preset(name) {
            Some(policy) => Ok((policy, format!("preset {name}"))),
            None => from_file(Path::new(name), ""),
        },
        (None, Some(file)) => {
            let dir = mapping_path.parent().unwrap_or(Path::new("."));
            from_file(&dir.join(file), " (named by the mapping)")
        }
        (None, None) => Ok((
            Policy::servicenow(),
            "preset servicenow (the default)".to_owned(),
        )),
    }
}

/// A replay's header lines and its report.
#[derive(Debug, Clone)]
pub struct Run {
    /// `source:`, `mapping:`, `policy:` and `ordering:` lines.
    pub header: Vec<String>,
    /// The report.
    pub report: ReplayReport,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for line in &self.header {
            writeln!(f, "{line}")?;
        }
        writeln!(f)?;
        write!(f, "{}", self.report)
    }
}

/// How a policy is described in a report: where it came from, its workflow, matrix and
/// auto-close rule.
pub fn describe_policy(policy: &Policy, origin: &str) -> String {
    let auto_close = match policy.auto_close_after {
        Some(d) if d.num_seconds() % 86_400 == 0 => {
            format!("auto-close after {} days", d.num_days())
        }
        Some(d) => format!("auto-close after {}", itsm_core::duration::format(d)),
        None => "no auto-close".to_owned(),
    };
    format!(
        "policy: {origin}: workflow `{}`, matrix `{}`, {auto_close}",
        Quoted(policy.workflow.name()),
        Quoted(policy.matrix.name())
    )
}

/// Replays the log at `log` with the mapping file at `mapping_path`, under the policy
/// [`choose_policy`] picks from `policy`: what the `replay` binary runs.
///
/// # Errors
/// A [`RunError`]: a file that cannot be read, a mapping or policy that is not valid, a
/// mapping that does not fit the log (every mistake named), a log that cannot be read on.
pub fn run(mapping_path: &Path, policy: Option<&str>, log: &Path) -> Result<Run, RunError> {
    let text = read(mapping_path)?;
    let mapping: Mapping = serde_json::from_str(&text).map_err(|reason| RunError::Mapping {
        path: mapping_path.to_owned(),
        reason,
    })?;
    let (policy, origin) = choose_policy(policy, &mapping, mapping_path)?;
    let file = std::fs::File::open(log).map_err(|reason| RunError::File {
        path: log.to_owned(),
        reason,
    })?;
    let rows = crate::import::open(
        std::io::BufReader::with_capacity(1 << 20, file),
        &mapping,
        &policy,
    )?;
    let header = vec![
        format!("source: {}", log.display()),
        format!(
            "mapping: {} ({})",
            mapping_path.display(),
            Quoted(&mapping.source)
        ),
        describe_policy(&policy, &origin),
        format!("ordering: {}", rows.compiled().ordering()),
    ];
    let report = replay(rows, &policy)?;
    Ok(Run { header, report })
}
