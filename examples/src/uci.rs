//! The data side of replaying a real ServiceNow incident log: the UCI "Incident management
//! process enriched event log" (UCI dataset #498, Amaral, Fantinato, Reijers, Peres, 2018).
//!
//! The log has one CSV row per update of an incident. This module reads it into typed rows,
//! grouped by incident and put in update order, ready to be driven through a state machine.
//! Nothing about the source is hard-coded: a [`Mapping`] (a JSON file, for this log
//! `examples/data/uci-mapping.json`) names the columns, the timestamp format, the missing-value
//! marker, how levels such as `2 - Medium` are written and how the source's states translate
//! into ours. Another log with the same kind of content needs a new mapping file, not new code.
//!
//! # How to use it
//! 1. Deserialize a [`Mapping`] from its JSON file.
//! 2. Call [`load`] with a reader over the CSV. It fails ([`LoadError`]) only when the file
//!    cannot be read at all or lacks a column the mapping names; a row that does not parse,
//!    or whose state the mapping does not know, becomes a [`BadRow`] with its line number and
//!    the reason, and the load goes on.
//! 3. Walk [`Log::incidents`]: each incident's [`Row`]s come sorted by the order column (the
//!    update counter), ties broken by the update time.
//! 4. Optionally check the log's own priorities against a matrix with [`priority_agreement`].
//!
//! # Time
//! The log's timestamps carry no zone. They are read as UTC, which keeps their order and the
//! durations between them; they do not say what the wall clock showed at the service desk.
//!
//! # Example
//! ```
//! use itsm_examples::uci::{load, MappedState, Mapping};
//!
//! let mapping: Mapping = serde_json::from_str(include_str!(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/data/uci-mapping.json"
//! )))?;
//! let csv = "\
//! number,incident_state,sys_mod_count,sys_updated_at,sys_updated_by,opened_at,caller_id,contact_type,category,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,closed_code,reopen_count,reassignment_count
//! INC1,Awaiting User Info,1,1/3/2016 09:05,Updated by 2,29/2/2016 23:50,Caller 7,Phone,Category 3,?,2 - Medium,2 - Medium,3 - Moderate,Group 5,Resolver 1,code 6,0,1
//! INC1,New,0,29/2/2016 23:50,Updated by 1,29/2/2016 23:50,Caller 7,Phone,Category 3,?,2 - Medium,2 - Medium,3 - Moderate,?,?,code 6,0,0
//! INC1,-100,2,1/3/2016 09:06,Updated by 2,29/2/2016 23:50,Caller 7,Phone,Category 3,?,2 - Medium,2 - Medium,3 - Moderate,Group 5,Resolver 1,code 6,0,1
//! ";
//! let log = load(csv.as_bytes(), &mapping)?;
//! let incident = &log.incidents[0];
//! assert_eq!(incident.id, "INC1");
//! // Sorted by the update counter, not by file order.
//! assert_eq!(incident.rows[0].state, MappedState::New);
//! assert_eq!(incident.rows[1].state, MappedState::OnHold("awaiting_caller".into()));
//! assert_eq!(incident.rows[0].assignment_group, None); // `?` is missing
//! assert_eq!(incident.rows[1].updated_at.to_rfc3339(), "2016-03-01T09:05:00+00:00");
//! // The unknown state is reported with its line, not fatal.
//! assert_eq!(log.bad_rows[0].line, 4);
//! assert!(log.bad_rows[0].reason.contains("-100"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, Utc};
use csv::ByteRecord;
use itsm_core::{Impact, PriorityMatrix, Urgency};
use serde::{Deserialize, Serialize};

/// How a source log is laid out and how its vocabulary translates into ours: plain data,
/// deserialized from a JSON file such as `examples/data/uci-mapping.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A name for the source, for example `uci-incident-event-log`.
    pub source: String,
    /// Free text for the people who maintain the file (JSON has no comments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Which CSV column holds each field.
    pub columns: Columns,
    /// A chrono `strftime` format for every timestamp column, read as UTC. Numeric fields such
    /// as `%d` and `%m` also accept one digit, so `%d/%m/%Y %H:%M` reads `1/3/2016 09:05`.
    pub timestamp_format: String,
    /// The value that means "no value", for example `?`. An empty field is missing as well.
    pub missing: String,
    /// How the impact, urgency and priority columns write a level.
    pub level_format: LevelFormat,
    /// The source's state names and the state each one means here. A row whose state is not
    /// listed becomes a [`BadRow`].
    pub states: BTreeMap<String, MappedState>,
}

/// The CSV column (by header name) that holds each field of a [`Row`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The incident's id, which groups rows into incidents.
    pub id: String,
    /// The incident's state after the update, in the source's vocabulary.
    pub state: String,
    /// The update counter that orders an incident's rows (an unsigned integer).
    pub order: String,
    /// When the update was made.
    pub updated_at: String,
    /// Who made the update.
    pub updated_by: String,
    /// When the incident was opened.
    pub opened_at: String,
    /// Who reported the incident.
    pub caller: String,
    /// How the incident was reported (phone, email, self service, ...).
    pub channel: String,
    /// The incident's category.
    pub category: String,
    /// The affected configuration item.
    pub configuration_item: String,
    /// The impact level.
    pub impact: String,
    /// The urgency level.
    pub urgency: String,
    /// The priority level the source computed.
    pub priority: String,
    /// The group the incident is assigned to.
    pub assignment_group: String,
    /// The person the incident is assigned to.
    pub assigned_to: String,
    /// The resolution (close) code.
    pub resolution_code: String,
    /// The source's running count of reopenings.
    pub reopen_count: String,
    /// The source's running count of reassignments.
    pub reassignment_count: String,
}

/// How a level (impact, urgency, priority) is written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelFormat {
    /// The level is the integer the field starts with; the rest is a label and is ignored:
    /// `2 - Medium` is level 2, `3` is level 3.
    LeadingInteger,
}

/// A state of our incident lifecycle that a source state maps to.
///
/// In JSON: `{"status": "in_progress"}`, or with a hold reason code,
/// `{"status": "on_hold", "reason": "awaiting_caller"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(
    tag = "status",
    content = "reason",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum MappedState {
    /// Logged, not yet worked on.
    New,
    /// Being worked on.
    InProgress,
    /// Paused; the string is the hold reason code, for example `awaiting_caller`.
    OnHold(String),
    /// A fix is in place, awaiting confirmation.
    Resolved,
    /// Finished.
    Closed,
    /// Withdrawn without a resolution.
    Canceled,
}

/// A loaded log: the incidents with their good rows, and the rows that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    /// The incidents, in the order their ids first appear in the file. An incident is listed
    /// even if every one of its rows is bad (its `rows` is then empty).
    pub incidents: Vec<IncidentRows>,
    /// The rows left out, in file order.
    pub bad_rows: Vec<BadRow>,
}

impl Log {
    /// How many good rows the incidents hold.
    pub fn good_rows(&self) -> usize {
        self.incidents.iter().map(|i| i.rows.len()).sum()
    }
}

/// One incident's id and its good rows in update order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRows {
    /// The incident's id as the source writes it, for example `INC0000045`.
    pub id: String,
    /// The good rows, sorted by [`Row::order`] then [`Row::updated_at`]; rows equal in both
    /// keep their file order.
    pub rows: Vec<Row>,
}

/// One update of an incident, parsed. Optional text fields are `None` where the source has
/// its missing-value marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line of the file where the row starts.
    pub line: u64,
    /// The state after the update, in our vocabulary.
    pub state: MappedState,
    /// The source's update counter.
    pub order: u32,
    /// When the update was made (the source's zone-less time read as UTC).
    pub updated_at: DateTime<Utc>,
    /// Who made the update.
    pub updated_by: Option<String>,
    /// When the incident was opened (read as UTC).
    pub opened_at: Option<DateTime<Utc>>,
    /// Who reported the incident.
    pub caller: Option<String>,
    /// How the incident was reported.
    pub channel: Option<String>,
    /// The incident's category.
    pub category: Option<String>,
    /// The affected configuration item.
    pub configuration_item: Option<String>,
    /// The impact level.
    pub impact: u8,
    /// The urgency level.
    pub urgency: u8,
    /// The priority level the source computed.
    pub priority: u8,
    /// The group the incident is assigned to.
    pub assignment_group: Option<String>,
    /// The person the incident is assigned to.
    pub assigned_to: Option<String>,
    /// The resolution code. In the UCI log it is the final value, copied onto every row.
    pub resolution_code: Option<String>,
    /// The source's running count of reopenings.
    pub reopen_count: u32,
    /// The source's running count of reassignments.
    pub reassignment_count: u32,
}

/// A row left out of the log, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BadRow {
    /// The 1-based line of the file where the row starts (the header is line 1).
    pub line: u64,
    /// The incident id on the row, or an empty string if the row has none.
    pub id: String,
    /// What is wrong, naming the column and the value found.
    pub reason: String,
}

/// Why a log could not be loaded at all. Problems with single rows are [`BadRow`]s instead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadError {
    /// The input could not be read (an I/O error; with flexible row lengths and byte records,
    /// the CSV reader has no other failure).
    Csv {
        /// The line where reading failed, if known.
        line: Option<u64>,
        /// The CSV reader's message.
        message: String,
    },
    /// A column the mapping names is not in the header.
    MissingColumn {
        /// The field of [`Columns`] that names it, for example `order`.
        field: &'static str,
        /// The column name the mapping gives.
        column: String,
        /// The columns the header has.
        header: Vec<String>,
    },
    /// A column the mapping names appears more than once in the header.
    AmbiguousColumn {
        /// The field of [`Columns`] that names it.
        field: &'static str,
        /// The column name the mapping gives.
        column: String,
        /// The 0-based positions where the header has it.
        positions: Vec<usize>,
    },
    /// The mapping's timestamp format is not a valid chrono format.
    TimestampFormat {
        /// The format the mapping gives.
        format: String,
        /// What chrono reported.
        message: String,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Csv {
                line: Some(line),
                message,
            } => write!(f, "cannot read the csv at line {line}: {message}"),
            LoadError::Csv {
                line: None,
                message,
            } => write!(f, "cannot read the csv: {message}"),
            LoadError::MissingColumn {
                field,
                column,
                header,
            } => write!(
                f,
                "the mapping's column `{column}` (for {field}) is not in the header; the header has: {}",
                header.join(", ")
            ),
            LoadError::AmbiguousColumn {
                field,
                column,
                positions,
            } => {
                let at: Vec<String> = positions.iter().map(usize::to_string).collect();
                write!(
                    f,
                    "the mapping's column `{column}` (for {field}) appears more than once in the header, at positions {}",
                    at.join(", ")
                )
            }
            LoadError::TimestampFormat { format, message } => {
                write!(f, "the timestamp format `{format}` is invalid: {message}")
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    fn csv(error: &csv::Error) -> Self {
        LoadError::Csv {
            line: error.position().map(csv::Position::line),
            message: error.to_string(),
        }
    }
}

/// Reads a CSV log with a mapping.
///
/// Rows are grouped by the id column, incidents in order of first appearance, and each
/// incident's rows are sorted by the order column, then by the update time. Column indices are
/// looked up once from the header; rows are read into one reused record.
///
/// # Errors
/// - [`LoadError::TimestampFormat`]: the mapping's timestamp format is invalid;
/// - [`LoadError::Csv`]: the input cannot be read (an I/O error);
/// - [`LoadError::MissingColumn`], [`LoadError::AmbiguousColumn`]: a column the mapping names
///   is not in the header (empty input has an empty header), or is there twice.
///
/// A row that does not fit (a state missing from the mapping, a field that does not parse, too
/// few fields, text that is not UTF-8) is not an error: it is returned in [`Log::bad_rows`].
pub fn load(reader: impl std::io::Read, mapping: &Mapping) -> Result<Log, LoadError> {
    let items = StrftimeItems::new(&mapping.timestamp_format)
        .parse_to_owned()
        .map_err(|e| LoadError::TimestampFormat {
            format: mapping.timestamp_format.clone(),
            message: e.to_string(),
        })?;
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header: Vec<String> = csv
        .byte_headers()
        .map_err(|e| LoadError::csv(&e))?
        .iter()
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    let parser = Parser {
        layout: Layout::new(&mapping.columns, &header)?,
        mapping,
        items,
    };

    let mut incidents: Vec<IncidentRows> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut bad_rows = Vec::new();
    let mut record = ByteRecord::new();
    while csv
        .read_byte_record(&mut record)
        .map_err(|e| LoadError::csv(&e))?
    {
        let line = record.position().map_or(0, csv::Position::line);
        let id = match parser.id(&record) {
            Ok(id) => id,
            Err(reason) => {
                bad_rows.push(BadRow {
                    line,
                    id: String::new(),
                    reason,
                });
                continue;
            }
        };
        // The UCI log keeps an incident's rows together, so the last incident is the usual hit.
        let slot = match incidents.last() {
            Some(last) if last.id == id => incidents.len() - 1,
            _ => match by_id.get(id) {
                Some(&slot) => slot,
                None => {
                    by_id.insert(id.to_owned(), incidents.len());
                    incidents.push(IncidentRows {
                        id: id.to_owned(),
                        rows: Vec::new(),
                    });
                    incidents.len() - 1
                }
            },
        };
        match parser.row(&record, line) {
            Ok(row) => {
                if let Some(incident) = incidents.get_mut(slot) {
                    incident.rows.push(row);
                }
            }
            Err(reason) => bad_rows.push(BadRow {
                line,
                id: id.to_owned(),
                reason,
            }),
        }
    }
    for incident in &mut incidents {
        // Stable: rows equal in both keys keep their file order.
        incident.rows.sort_by_key(|row| (row.order, row.updated_at));
    }
    Ok(Log {
        incidents,
        bad_rows,
    })
}

/// A column's header name and its position.
#[derive(Debug, Clone, Copy)]
struct Col<'m> {
    name: &'m str,
    index: usize,
}

/// The position of every mapped column, found once from the header.
struct Layout<'m> {
    id: Col<'m>,
    state: Col<'m>,
    order: Col<'m>,
    updated_at: Col<'m>,
    updated_by: Col<'m>,
    opened_at: Col<'m>,
    caller: Col<'m>,
    channel: Col<'m>,
    category: Col<'m>,
    configuration_item: Col<'m>,
    impact: Col<'m>,
    urgency: Col<'m>,
    priority: Col<'m>,
    assignment_group: Col<'m>,
    assigned_to: Col<'m>,
    resolution_code: Col<'m>,
    reopen_count: Col<'m>,
    reassignment_count: Col<'m>,
}

impl<'m> Layout<'m> {
    fn new(columns: &'m Columns, header: &[String]) -> Result<Self, LoadError> {
        let find = |field: &'static str, name: &'m str| -> Result<Col<'m>, LoadError> {
            let positions: Vec<usize> = header
                .iter()
                .enumerate()
                // A UTF-8 byte order mark, if any, sticks to the first name.
                .filter(|(_, h)| h.trim_start_matches('\u{feff}') == name)
                .map(|(i, _)| i)
                .collect();
            match positions.as_slice() {
                [index] => Ok(Col {
                    name,
                    index: *index,
                }),
                [] => Err(LoadError::MissingColumn {
                    field,
                    column: name.to_owned(),
                    header: header.to_vec(),
                }),
                _ => Err(LoadError::AmbiguousColumn {
                    field,
                    column: name.to_owned(),
                    positions,
                }),
            }
        };
        // In declaration order, so the first wrong field is the one reported.
        Ok(Layout {
            id: find("id", &columns.id)?,
            state: find("state", &columns.state)?,
            order: find("order", &columns.order)?,
            updated_at: find("updated_at", &columns.updated_at)?,
            updated_by: find("updated_by", &columns.updated_by)?,
            opened_at: find("opened_at", &columns.opened_at)?,
            caller: find("caller", &columns.caller)?,
            channel: find("channel", &columns.channel)?,
            category: find("category", &columns.category)?,
            configuration_item: find("configuration_item", &columns.configuration_item)?,
            impact: find("impact", &columns.impact)?,
            urgency: find("urgency", &columns.urgency)?,
            priority: find("priority", &columns.priority)?,
            assignment_group: find("assignment_group", &columns.assignment_group)?,
            assigned_to: find("assigned_to", &columns.assigned_to)?,
            resolution_code: find("resolution_code", &columns.resolution_code)?,
            reopen_count: find("reopen_count", &columns.reopen_count)?,
            reassignment_count: find("reassignment_count", &columns.reassignment_count)?,
        })
    }
}

/// Turns records into rows; every failure is a reason string for a [`BadRow`].
struct Parser<'m> {
    layout: Layout<'m>,
    mapping: &'m Mapping,
    items: Vec<Item<'static>>,
}

impl Parser<'_> {
    fn text<'r>(&self, record: &'r ByteRecord, col: Col<'_>) -> Result<&'r str, String> {
        let bytes = record.get(col.index).ok_or_else(|| {
            format!(
                "column `{}` is absent: the row has {} fields",
                col.name,
                record.len()
            )
        })?;
        std::str::from_utf8(bytes).map_err(|e| format!("column `{}` is not UTF-8: {e}", col.name))
    }

    fn is_missing(&self, value: &str) -> bool {
        value.is_empty() || value == self.mapping.missing
    }

    /// A value that must be present.
    fn present<'r>(&self, record: &'r ByteRecord, col: Col<'_>) -> Result<&'r str, String> {
        let value = self.text(record, col)?;
        if self.is_missing(value) {
            Err(format!("column `{}` is missing (`{value}`)", col.name))
        } else {
            Ok(value)
        }
    }

    fn optional(&self, record: &ByteRecord, col: Col<'_>) -> Result<Option<String>, String> {
        Ok(self.optional_str(record, col)?.map(str::to_owned))
    }

    fn id<'r>(&self, record: &'r ByteRecord) -> Result<&'r str, String> {
        self.present(record, self.layout.id)
    }

    fn state(&self, record: &ByteRecord) -> Result<MappedState, String> {
        let col = self.layout.state;
        let value = self.text(record, col)?;
        self.mapping.states.get(value).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.mapping.states.keys().map(String::as_str).collect();
            format!(
                "column `{}`: state `{value}` is not in the mapping; it knows: {}",
                col.name,
                known.join(", ")
            )
        })
    }

    fn count(&self, record: &ByteRecord, col: Col<'_>) -> Result<u32, String> {
        let value = self.present(record, col)?;
        value.parse().map_err(|_| {
            format!(
                "column `{}`: `{value}` is not an unsigned integer",
                col.name
            )
        })
    }

    fn level(&self, record: &ByteRecord, col: Col<'_>) -> Result<u8, String> {
        let value = self.present(record, col)?;
        match self.mapping.level_format {
            LevelFormat::LeadingInteger => {
                let trimmed = value.trim_start();
                let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
                trimmed
                    .get(..digits)
                    .and_then(|number| number.parse().ok())
                    .ok_or_else(|| {
                        format!(
                            "column `{}`: `{value}` does not start with a level number from 0 to 255",
                            col.name
                        )
                    })
            }
        }
    }

    fn time(&self, value: &str, col: Col<'_>) -> Result<DateTime<Utc>, String> {
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, value, self.items.iter())
            .and_then(|()| parsed.to_naive_datetime_with_offset(0))
            .map(|naive| naive.and_utc())
            .map_err(|e| {
                format!(
                    "column `{}`: `{value}` does not match the timestamp format `{}`: {e}",
                    col.name, self.mapping.timestamp_format
                )
            })
    }

    fn row(&self, record: &ByteRecord, line: u64) -> Result<Row, String> {
        let l = &self.layout;
        // The state first: an unknown state is the most telling reason.
        let state = self.state(record)?;
        let opened_at = match self.optional_str(record, l.opened_at)? {
            Some(value) => Some(self.time(value, l.opened_at)?),
            None => None,
        };
        Ok(Row {
            line,
            state,
            order: self.count(record, l.order)?,
            updated_at: self.time(self.present(record, l.updated_at)?, l.updated_at)?,
            updated_by: self.optional(record, l.updated_by)?,
            opened_at,
            caller: self.optional(record, l.caller)?,
            channel: self.optional(record, l.channel)?,
            category: self.optional(record, l.category)?,
            configuration_item: self.optional(record, l.configuration_item)?,
            impact: self.level(record, l.impact)?,
            urgency: self.level(record, l.urgency)?,
            priority: self.level(record, l.priority)?,
            assignment_group: self.optional(record, l.assignment_group)?,
            assigned_to: self.optional(record, l.assigned_to)?,
            resolution_code: self.optional(record, l.resolution_code)?,
            reopen_count: self.count(record, l.reopen_count)?,
            reassignment_count: self.count(record, l.reassignment_count)?,
        })
    }

    fn optional_str<'r>(
        &self,
        record: &'r ByteRecord,
        col: Col<'_>,
    ) -> Result<Option<&'r str>, String> {
        let value = self.text(record, col)?;
        Ok((!self.is_missing(value)).then_some(value))
    }
}

/// How often a matrix gives the priority the log recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriorityAgreement {
    /// The good rows compared.
    pub rows: usize,
    /// The rows where the matrix gives the log's priority.
    pub agree: usize,
    /// The rows where it does not, keyed by (impact, urgency, the log's priority), with the
    /// matrix's priority and how many rows.
    pub disagreements: BTreeMap<(u8, u8, u8), (u8, usize)>,
    /// The rows whose impact or urgency is not on the matrix's scales, keyed by (impact,
    /// urgency, the log's priority), with how many rows. They count in `rows` only.
    pub off_scale: BTreeMap<(u8, u8, u8), usize>,
}

impl PriorityAgreement {
    /// The share of rows that agree, from 0 to 1; `None` when no rows were compared.
    pub fn share(&self) -> Option<f64> {
        // Row counts are far below 2^52, so the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        (self.rows > 0).then(|| self.agree as f64 / self.rows as f64)
    }
}

/// Compares the matrix's priority for each good row's impact and urgency with the priority the
/// log recorded.
///
/// ```
/// use itsm_core::PriorityMatrix;
/// use itsm_examples::uci::{priority_agreement, Log};
///
/// let empty = Log { incidents: Vec::new(), bad_rows: Vec::new() };
/// let agreement = priority_agreement(&empty, &PriorityMatrix::servicenow());
/// assert_eq!((agreement.rows, agreement.share()), (0, None));
/// ```
pub fn priority_agreement(log: &Log, matrix: &PriorityMatrix) -> PriorityAgreement {
    let mut result = PriorityAgreement::default();
    for row in log.incidents.iter().flat_map(|i| i.rows.iter()) {
        result.rows += 1;
        let key = (row.impact, row.urgency, row.priority);
        match matrix.priority(Impact(row.impact), Urgency(row.urgency)) {
            Ok(ours) if ours.0 == row.priority => result.agree += 1,
            Ok(ours) => result.disagreements.entry(key).or_insert((ours.0, 0)).1 += 1,
            Err(_) => *result.off_scale.entry(key).or_insert(0) += 1,
        }
    }
    result
}
