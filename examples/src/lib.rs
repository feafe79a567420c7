//! Host-side helpers shared by the itsm-rs examples: importers of real logs.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bench;
pub mod change_import;
pub mod import;
pub mod problems;
pub mod real_data;
pub mod replay;
pub mod sla_replay;
pub mod svg;
pub mod uci;

/// The policy the UCI replay runs under: ServiceNow's documented model
/// ([`Policy::servicenow`](itsm_incident::Policy::servicenow)) with two settings read off
/// that instance: its priority matrix (`examples/data/uci-priority-matrix.json`, which maps
/// impact 3 and urgency 3 to 4, not 5) and auto-close after 5 days (21,114 of the log's
/// 24,916 closures come 5.0 days after resolution).
///
/// # Errors
/// When the committed matrix file does not parse or is not a valid matrix.
pub fn uci_policy() -> Result<itsm_incident::Policy, serde_json::Error> {
    let matrix = serde_json::from_str(include_str!("../data/uci-priority-matrix.json"))?;
    Ok({
        let mut policy = itsm_incident::Policy::servicenow();
        policy.matrix = matrix;
        policy.auto_close_after = Some(chrono::Duration::days(5));
        policy
    })
}

/// Reads a JSON file the examples take as input, saying which file and what it should have
/// been when it cannot be read or parsed (`cannot read PATH: ...`, `PATH: not a WHAT: ...`).
///
/// # Errors
/// The file cannot be read, or is not JSON of type `T`.
pub fn read_json<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    what: &str,
) -> Result<T, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not a {what}: {e}", path.display()).into())
}

// The README's examples are compiled and run as doctests here, where every crate is a
// dependency, so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

// The same for the import guide.
#[cfg(doctest)]
#[doc = include_str!("../../docs/import.md")]
struct ImportDoctests;

// The same for the embedding guide.
#[cfg(doctest)]
#[doc = include_str!("../../docs/embedding.md")]
struct EmbeddingDoctests;
