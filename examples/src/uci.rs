//! The UCI ServiceNow log (UCI dataset #498, "Incident management process enriched event
//! log", Amaral, Fantinato, Reijers, Peres, 2018) in memory, for consumers that need each
//! incident's whole timeline at once (the SLA replay).
//!
//! The log is read by the general importer ([`crate::import`]) with its mapping file,
//! `examples/data/uci-mapping.json`; this module only gathers the rows per incident and
//! names each row's state in our six kinds. The replay of incidents streams instead (see
//! [`crate::replay`]).
//!
//! # Example
//! ```
//! use itsm_examples::uci::{load, mapping, MappedState};
//!
//! let csv = "\
//! number,incident_state,sys_mod_count,sys_updated_at,sys_updated_by,opened_at,caller_id,contact_type,category,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,closed_code,reopen_count,reassignment_count
//! INC1,Awaiting User Info,1,1/3/2016 09:05,Updated by 2,29/2/2016 23:50,Caller 7,Phone,Category 3,?,2 - Medium,2 - Medium,3 - Moderate,Group 5,Resolver 1,code 6,0,1
//! INC1,New,0,29/2/2016 23:50,Updated by 1,29/2/2016 23:50,Caller 7,Phone,Category 3,?,2 - Medium,2 - Medium,3 - Moderate,?,?,code 6,0,0
//! INC1,-100,2,1/3/2016 09:06,Updated by 2,29/2/2016 23:50,Caller 7,Phone,Category 3,?,2 - Medium,2 - Medium,3 - Moderate,Group 5,Resolver 1,code 6,0,1
//! ";
//! let log = load(csv.as_bytes(), &mapping()?)?;
//! let incident = &log.incidents[0];
//! assert_eq!(incident.id, "INC1");
//! // Sorted by the update counter, not by file order.
//! assert_eq!(incident.rows[0].state, MappedState::New);
//! assert_eq!(incident.rows[1].state, MappedState::OnHold("awaiting_caller".into()));
//! assert_eq!(incident.rows[0].assignment_group, None); // `?` is missing
//! assert_eq!(incident.rows[1].updated_at.to_rfc3339(), "2016-03-01T09:05:00+00:00");
//! // The bad state is reported with its line, not fatal.
//! assert_eq!(log.bad_rows[0].line, 4);
//! assert_eq!(log.bad_rows[0].problem.value(), Some("-100"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use itsm_incident::{Policy, StatusKind};

pub use crate::import::{BadRow, Mapping};
use crate::import::{Item, OpenError, ReadError, RowProblem, Target, open};

/// The committed UCI mapping (`examples/data/uci-mapping.json`).
///
/// # Errors
/// When the committed file is not a valid mapping.
pub fn mapping() -> Result<Mapping, serde_json::Error> {
    serde_json::from_str(include_str!("../data/uci-mapping.json"))
}

/// One of our six state kinds, with the hold reason of a hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MappedState {
    /// Logged, not yet worked on.
    New,
    /// Being worked on.
    InProgress,
    /// Paused; the string is the hold reason's code.
    OnHold(String),
    /// A fix is in place, awaiting confirmation.
    Resolved,
    /// Finished.
    Closed,
    /// Withdrawn without a resolution.
    Canceled,
}

/// A loaded log: the incidents with their rows, and the rows that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    /// The incidents, in the order they first appear.
    pub incidents: Vec<IncidentRows>,
    /// The rows left out, in the order they were read.
    pub bad_rows: Vec<BadRow>,
}

/// One incident's id and its rows in replay order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRows {
    /// The incident's id as the source writes it.
    pub id: String,
    /// The rows, in the mapping's order.
    pub rows: Vec<Row>,
}

/// What the SLA replay reads of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line of the file where the row starts.
    pub line: u64,
    /// The state after the row (an action keeps the state before it).
    pub state: MappedState,
    /// When the row happened.
    pub updated_at: DateTime<Utc>,
    /// When the incident was opened.
    pub opened_at: Option<DateTime<Utc>>,
    /// The priority the source recorded.
    pub priority: u8,
    /// The assignment group.
    pub assignment_group: Option<String>,
}

/// Why a log could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The log does not open with the mapping.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The log cannot be read on.
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// Reads a log with a mapping into memory, rows grouped by incident. State names are
/// checked against ServiceNow's preset workflow; a row without a priority is a bad row
/// here (the SLA replay selects definitions by priority).
///
/// # Errors
/// [`LoadError`] when the mapping does not fit the log or the log cannot be read; single
/// rows that do not fit are [`Log::bad_rows`].
pub fn load(reader: impl std::io::Read, mapping: &Mapping) -> Result<Log, LoadError> {
    let policy = Policy::servicenow();
    let rows = open(reader, mapping, &policy)?;
    let mut incidents: Vec<IncidentRows> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut bad_rows = Vec::new();
    for item in rows {
        let row = match item? {
            Item::Row(row) => row,
            Item::Bad(bad) => {
                bad_rows.push(bad);
                continue;
            }
            Item::End { .. } | Item::Ignored => continue,
        };
        let Some(priority) = row.priority else {
            bad_rows.push(BadRow {
                line: row.line,
                case: Some(row.case.clone()),
                problem: RowProblem::MissingValue {
                    path: "levels.priority".to_owned(),
                    column: "priority".to_owned(),
                    value: String::new(),
                },
            });
            continue;
        };
        let slot = *by_id.entry(row.case.clone()).or_insert_with(|| {
            incidents.push(IncidentRows {
                id: row.case.clone(),
                rows: Vec::new(),
            });
            incidents.len() - 1
        });
        let Some(incident) = incidents.get_mut(slot) else {
            continue;
        };
        let before = incident.rows.last().map(|r| r.state.clone());
        let state = match &*row.target {
            Target::State(t) => match policy.workflow.kind_of(&t.state) {
                Some(StatusKind::OnHold) => {
                    MappedState::OnHold(t.reason.clone().unwrap_or_default())
                }
                Some(StatusKind::InProgress) => MappedState::InProgress,
                Some(StatusKind::Resolved) => MappedState::Resolved,
                Some(StatusKind::Closed) => MappedState::Closed,
                Some(StatusKind::Canceled) => MappedState::Canceled,
                _ => MappedState::New,
            },
            _ => before.unwrap_or(MappedState::New),
        };
        incident.rows.push(Row {
            line: row.line,
            state,
            updated_at: row.instant(),
            opened_at: row.opened_at.map(|o| o.with_timezone(&Utc)),
            priority,
            assignment_group: row.group.clone(),
        });
    }
    Ok(Log {
        incidents,
        bad_rows,
    })
}
