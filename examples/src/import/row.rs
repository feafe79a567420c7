//! One CSV record read through a compiled mapping: a typed [`Row`], a row the mapping says
//! to ignore, or a [`BadRow`] saying what is wrong, where in the mapping, and with which
//! value.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use csv::ByteRecord;
use itsm_core::Quoted;
use itsm_incident::Channel;

use super::compile::{Col, Compiled, Key, LevelReader, TimeProblem, key_path, quoted_list};
use super::mapping::{LevelReading, Target};
use super::text::{NotText, decode};

/// One row of the log, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line of the file where the row starts (the header is line 1).
    pub line: u64,
    /// The case (incident) id.
    pub case: String,
    /// When the row happened, with the offset it was written in (or its zone's).
    pub at: DateTime<FixedOffset>,
    /// The value of the state or activity columns (several joined by the separator).
    pub value: String,
    /// What the value means.
    pub target: Arc<Target>,
    /// Who made the update.
    pub actor: Option<String>,
    /// When the incident was opened.
    pub opened_at: Option<DateTime<FixedOffset>>,
    /// Who reported it.
    pub caller: Option<String>,
    /// How it was reported.
    pub channel: Option<Channel>,
    /// Its category.
    pub category: Option<String>,
    /// The configuration item concerned.
    pub configuration_item: Option<String>,
    /// The assignment group.
    pub group: Option<String>,
    /// The assigned person.
    pub person: Option<String>,
    /// The resolution code (translated by the mapping's `resolution_codes`).
    pub resolution_code: Option<String>,
    /// The impact (the column's, else the mapping's default).
    pub impact: Option<u8>,
    /// The urgency (the column's, else the mapping's default).
    pub urgency: Option<u8>,
    /// The priority the source recorded (its column only).
    pub priority: Option<u8>,
    /// The log's running count of reopenings.
    pub reopens: Option<u32>,
    /// The log's running count of reassignments.
    pub reassignments: Option<u32>,
    /// The values of the sort keys other than time, in the mapping's order.
    pub(crate) keys: Vec<KeyValue>,
}

impl Row {
    /// The row's instant.
    pub fn instant(&self) -> DateTime<Utc> {
        self.at.with_timezone(&Utc)
    }
}

/// A sort key's value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum KeyValue {
    Time(DateTime<Utc>),
    Integer(u64),
    Text(String),
}

/// A row left out of the replay: its line, its case id when it has one, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// The case id, when the row has a readable one.
    pub case: Option<String>,
    /// What is wrong.
    pub problem: RowProblem,
}

/// What is wrong with a row: each names the mapping path and the column involved, and the
/// value found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowProblem {
    /// A value that must be there is empty or a missing-value marker.
    #[error("{path}: column `{}` has no value (`{}`)", Quoted(.column), Quoted(.value))]
    MissingValue {
        /// The mapping entry that names the column.
        path: String,
        /// The column (several joined with `+`).
        column: String,
        /// What the row has.
        value: String,
    },
    /// Every state or activity column is empty or a missing-value marker.
    #[error("{path}: the row has no value in {columns}")]
    NoState {
        /// `states.columns`.
        path: String,
        /// The columns, each quoted with [`Quoted`], joined with ` + `.
        columns: String,
    },
    /// The row has fewer fields than the column's position.
    #[error("{path}: column `{}` is absent: the row has {fields} fields", Quoted(.column))]
    Absent {
        /// The mapping entry that names the column.
        path: String,
        /// The column.
        column: String,
        /// How many fields the row has.
        fields: usize,
    },
    /// A value is not text in the mapping's encoding.
    #[error("{path}: column `{}`: {reason}", Quoted(.column))]
    NotText {
        /// The mapping entry that names the column.
        path: String,
        /// The column.
        column: String,
        /// The decoder's answer.
        reason: NotText,
    },
    /// The state or activity value is not in the mapping.
    #[error(
        "{path}: `{}` (column {columns}) is not in the mapping; add it as a state, an action, \"ignore\" or \"bad_data\"",
        Quoted(.value)
    )]
    Unmapped {
        /// Where it would go: `states.values["..."]`.
        path: String,
        /// The state columns, each quoted with [`Quoted`], joined with ` + `.
        columns: String,
        /// The value.
        value: String,
    },
    /// The mapping marks the value as bad data.
    #[error("{path}: `{}` is marked bad data by the mapping", Quoted(.value))]
    MarkedBadData {
        /// `states.values["..."]`.
        path: String,
        /// The value.
        value: String,
    },
    /// A time does not match the format.
    #[error("{path}: `{}` (column `{}`) does not match the format `{}`: {reason}", Quoted(.value), Quoted(.column), Quoted(.format))]
    BadTime {
        /// `time.column` or `fields.opened_at`.
        path: String,
        /// The column.
        column: String,
        /// The value.
        value: String,
        /// The mapping's format.
        format: String,
        /// What chrono said.
        reason: String,
    },
    /// A wall-clock time that does not exist in the zone (skipped by daylight saving).
    #[error(
        "{path}: `{}` (column `{}`) does not exist in zone {zone}: the clocks skipped it",
        Quoted(.value),
        Quoted(.column)
    )]
    SkippedTime {
        /// `time.column` or `fields.opened_at`.
        path: String,
        /// The column.
        column: String,
        /// The value.
        value: String,
        /// The zone.
        zone: String,
    },
    /// A level that is not a number, or does not start with one.
    #[error("{path}: `{}` (column `{}`) is not {expected}", Quoted(.value), Quoted(.column))]
    BadLevel {
        /// `levels.impact`, ...
        path: String,
        /// The column.
        column: String,
        /// The value.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A level label the mapping does not list.
    #[error("{path}: label `{}` (column `{}`) is not listed; the mapping lists: {}", Quoted(.value), Quoted(.column), quoted_list(.labels))]
    UnknownLabel {
        /// `levels.impact.labels`, ...
        path: String,
        /// The column.
        column: String,
        /// The value.
        value: String,
        /// The labels listed.
        labels: Vec<String>,
    },
    /// A counter or integer sort key that is not an unsigned integer.
    #[error("{path}: `{}` (column `{}`) is not an unsigned integer", Quoted(.value), Quoted(.column))]
    BadInteger {
        /// `counters.reopens`, `order.by[0].integer`, ...
        path: String,
        /// The column.
        column: String,
        /// The value.
        value: String,
    },
    /// Interleaved cases: the row is earlier than the window allows, so rows after it in
    /// time may already have been replayed.
    #[error(
        "order.window: the row's time {at} is more than {window} before {latest}, the latest time above it; the file must be sorted by time within the window"
    )]
    Late {
        /// The row's time.
        at: DateTime<Utc>,
        /// The latest time of the rows above it.
        latest: DateTime<Utc>,
        /// The window, as ISO 8601.
        window: String,
    },
    /// The row's case was already replayed to its end: its block ended (contiguous cases)
    /// or it reached a final state (interleaved cases).
    #[error(
        "order.cases: case `{}` ended at line {ended_at} ({why}); its later rows cannot be replayed",
        Quoted(.case)
    )]
    AfterEnd {
        /// The case.
        case: String,
        /// The line of its last replayed row.
        ended_at: u64,
        /// Why it ended.
        why: &'static str,
    },
}

impl RowProblem {
    /// The value at fault, when one is.
    pub fn value(&self) -> Option<&str> {
        match self {
            RowProblem::MissingValue { value, .. }
            | RowProblem::Unmapped { value, .. }
            | RowProblem::MarkedBadData { value, .. }
            | RowProblem::BadTime { value, .. }
            | RowProblem::SkippedTime { value, .. }
            | RowProblem::BadLevel { value, .. }
            | RowProblem::UnknownLabel { value, .. }
            | RowProblem::BadInteger { value, .. } => Some(value),
            RowProblem::Absent { .. }
            | RowProblem::NoState { .. }
            | RowProblem::NotText { .. }
            | RowProblem::Late { .. }
            | RowProblem::AfterEnd { .. } => None,
        }
    }

    /// What the report groups rows by: the mapping path and the kind of problem, without
    /// the values that vary from row to row (an unmapped or bad-data value is part of its
    /// path, so each such value is its own group).
    pub fn group(&self) -> String {
        match self {
            RowProblem::MissingValue { path, column, .. } => {
                format!("{path}: column `{}` has no value", Quoted(column))
            }
            RowProblem::NoState { path, columns } => format!("{path}: no value in {columns}"),
            RowProblem::Absent { path, column, .. } => {
                format!(
                    "{path}: column `{}` is absent (the row is too short)",
                    Quoted(column)
                )
            }
            RowProblem::NotText { path, column, .. } => {
                format!(
                    "{path}: column `{}` is not text in the mapping's encoding",
                    Quoted(column)
                )
            }
            RowProblem::Unmapped { path, columns, .. } => {
                format!("{path}: not in the mapping (column {columns})")
            }
            RowProblem::MarkedBadData { path, .. } => format!("{path}: marked bad data"),
            RowProblem::BadTime {
                path,
                column,
                format,
                ..
            } => format!(
                "{path}: column `{}` does not match the format `{}`",
                Quoted(column),
                Quoted(format)
            ),
            RowProblem::SkippedTime { path, column, .. } => {
                format!(
                    "{path}: column `{}` names a time the clocks skipped",
                    Quoted(column)
                )
            }
            RowProblem::BadLevel {
                path,
                column,
                expected,
                ..
            } => format!("{path}: column `{}` is not {expected}", Quoted(column)),
            RowProblem::UnknownLabel { path, column, .. } => {
                format!(
                    "{path}: column `{}` has a label the mapping does not list",
                    Quoted(column)
                )
            }
            RowProblem::BadInteger { path, column, .. } => {
                format!(
                    "{path}: column `{}` is not an unsigned integer",
                    Quoted(column)
                )
            }
            RowProblem::Late { window, .. } => format!(
                "order.window: earlier than {window} before the latest time above it (the file is not sorted by time within the window)"
            ),
            RowProblem::AfterEnd { why, .. } => {
                format!("order.cases: the case had ended ({why})")
            }
        }
    }
}

/// What a record turned into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Read {
    /// A row to replay.
    Row(Box<Row>),
    /// A row the mapping says to leave out.
    Ignored,
    /// A row that cannot be used.
    Bad(BadRow),
}

impl Compiled {
    fn text<'r>(&self, record: &'r ByteRecord, col: &Col) -> Result<Cow<'r, str>, RowProblem> {
        let bytes = record.get(col.index).ok_or_else(|| RowProblem::Absent {
            path: col.path.clone(),
            column: col.name.clone(),
            fields: record.len(),
        })?;
        let text = decode(bytes, self.encoding).map_err(|reason| RowProblem::NotText {
            path: col.path.clone(),
            column: col.name.clone(),
            reason,
        })?;
        Ok(if self.trim {
            match text {
                Cow::Borrowed(s) => Cow::Borrowed(s.trim_matches([' ', '\t'])),
                Cow::Owned(s) => Cow::Owned(s.trim_matches([' ', '\t']).to_owned()),
            }
        } else {
            text
        })
    }

    fn is_missing(&self, value: &str) -> bool {
        value.is_empty() || self.missing.iter().any(|m| m == value)
    }

    /// A value, `None` when missing.
    fn optional<'r>(
        &self,
        record: &'r ByteRecord,
        col: Option<&Col>,
    ) -> Result<Option<Cow<'r, str>>, RowProblem> {
        let Some(col) = col else { return Ok(None) };
        let value = self.text(record, col)?;
        Ok((!self.is_missing(&value)).then_some(value))
    }

    fn owned(&self, record: &ByteRecord, col: Option<&Col>) -> Result<Option<String>, RowProblem> {
        Ok(self.optional(record, col)?.map(Cow::into_owned))
    }

    fn required<'r>(&self, record: &'r ByteRecord, col: &Col) -> Result<Cow<'r, str>, RowProblem> {
        let value = self.text(record, col)?;
        if self.is_missing(&value) {
            Err(RowProblem::MissingValue {
                path: col.path.clone(),
                column: col.name.clone(),
                value: value.into_owned(),
            })
        } else {
            Ok(value)
        }
    }

    fn time(&self, value: &str, col: &Col) -> Result<DateTime<FixedOffset>, RowProblem> {
        self.time_reader
            .read(value)
            .map_err(|problem| match problem {
                TimeProblem::Format(reason) => RowProblem::BadTime {
                    path: col.path.clone(),
                    column: col.name.clone(),
                    value: value.to_owned(),
                    format: self.time_reader.format.clone(),
                    reason,
                },
                TimeProblem::Skipped(zone) => RowProblem::SkippedTime {
                    path: col.path.clone(),
                    column: col.name.clone(),
                    value: value.to_owned(),
                    zone,
                },
            })
    }

    fn integer(&self, value: &str, col: &Col) -> Result<u64, RowProblem> {
        value.parse().map_err(|_| RowProblem::BadInteger {
            path: col.path.clone(),
            column: col.name.clone(),
            value: value.to_owned(),
        })
    }

    fn counter(&self, record: &ByteRecord, col: Option<&Col>) -> Result<Option<u32>, RowProblem> {
        let (Some(col), Some(value)) = (col, self.optional(record, col)?) else {
            return Ok(None);
        };
        u32::try_from(self.integer(&value, col)?)
            .map(Some)
            .map_err(|_| RowProblem::BadInteger {
                path: col.path.clone(),
                column: col.name.clone(),
                value: value.into_owned(),
            })
    }

    fn level(
        &self,
        record: &ByteRecord,
        level: Option<&LevelReader>,
    ) -> Result<Option<u8>, RowProblem> {
        let Some(level) = level else { return Ok(None) };
        let Some(col) = &level.column else {
            return Ok(level.default);
        };
        let Some(value) = self.optional(record, Some(col))? else {
            return Ok(level.default);
        };
        let bad = |expected| RowProblem::BadLevel {
            path: level.path.clone(),
            column: col.name.clone(),
            value: value.to_string(),
            expected,
        };
        match level.by {
            LevelReading::Number => value
                .parse()
                .map(Some)
                .map_err(|_| bad("a level number from 0 to 255")),
            LevelReading::LeadingNumber => {
                let digits = value.bytes().take_while(u8::is_ascii_digit).count();
                value
                    .get(..digits)
                    .and_then(|n| n.parse().ok())
                    .map(Some)
                    .ok_or_else(|| bad("a value starting with a level number from 0 to 255"))
            }
            LevelReading::Label => match level.labels.get(value.as_ref()) {
                Some(l) => Ok(Some(*l)),
                None => {
                    let mut labels: Vec<String> = level.labels.keys().cloned().collect();
                    labels.sort();
                    Err(RowProblem::UnknownLabel {
                        path: format!("{}.labels", level.path),
                        column: col.name.clone(),
                        value: value.into_owned(),
                        labels,
                    })
                }
            },
        }
    }

    /// The state or activity value: the columns' values joined by the separator, missing
    /// ones left out.
    fn state_value(&self, record: &ByteRecord) -> Result<String, RowProblem> {
        let mut key = String::new();
        for col in &self.state_columns {
            if let Some(value) = self.optional(record, Some(col))? {
                if !key.is_empty() {
                    key.push_str(&self.separator);
                }
                key.push_str(&value);
            }
        }
        if key.is_empty() {
            return Err(RowProblem::NoState {
                path: "states.columns".to_owned(),
                columns: self.state_columns_names(),
            });
        }
        Ok(key)
    }

    fn state_columns_names(&self) -> String {
        self.state_columns
            .iter()
            .map(|c| format!("`{}`", Quoted(&c.name)))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// Reads one record: a row, an ignored row, or a bad row.
    pub(crate) fn read(&self, record: &ByteRecord, line: u64) -> Read {
        let case = match self.required(record, &self.case) {
            Ok(case) => case.into_owned(),
            Err(problem) => {
                return Read::Bad(BadRow {
                    line,
                    case: None,
                    problem,
                });
            }
        };
        match self.row(record, line, &case) {
            Ok(Some(row)) => Read::Row(Box::new(row)),
            Ok(None) => Read::Ignored,
            Err(problem) => Read::Bad(BadRow {
                line,
                case: Some(case),
                problem,
            }),
        }
    }

    fn row(&self, record: &ByteRecord, line: u64, case: &str) -> Result<Option<Row>, RowProblem> {
        // The state first: an unmapped value is the most telling reason.
        let value = self.state_value(record)?;
        let target = match self.values.get(&value) {
            Some(target) => Arc::clone(target),
            None => {
                return Err(RowProblem::Unmapped {
                    path: key_path("states.values", &value),
                    columns: self.state_columns_names(),
                    value,
                });
            }
        };
        match *target {
            Target::Ignore => return Ok(None),
            Target::BadData => {
                return Err(RowProblem::MarkedBadData {
                    path: key_path("states.values", &value),
                    value,
                });
            }
            Target::State(_) | Target::Action(_) => {}
        }
        let at = self.time(&self.required(record, &self.time)?, &self.time)?;
        let opened_at = match (
            &self.opened_at,
            self.optional(record, self.opened_at.as_ref())?,
        ) {
            (Some(col), Some(value)) => Some(self.time(&value, col)?),
            _ => None,
        };
        let mut keys = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            keys.push(match key {
                Key::Time => KeyValue::Time(at.with_timezone(&Utc)),
                Key::Integer(col) => {
                    KeyValue::Integer(self.integer(&self.required(record, col)?, col)?)
                }
                Key::Text(col) => KeyValue::Text(self.required(record, col)?.into_owned()),
            });
        }
        let channel = self.optional(record, self.channel.as_ref())?.map(|c| {
            match self.channels.get(c.as_ref()) {
                Some(channel) => channel.clone(),
                None => Channel::Other(c.into_owned()),
            }
        });
        let resolution_code = self
            .optional(record, self.resolution_code.as_ref())?
            .map(|c| match self.resolution_codes.get(c.as_ref()) {
                Some(code) => code.clone(),
                None => c.into_owned(),
            });
        Ok(Some(Row {
            line,
            case: case.to_owned(),
            at,
            value,
            target,
            actor: self.owned(record, self.actor.as_ref())?,
            opened_at,
            caller: self.owned(record, self.caller.as_ref())?,
            channel,
            category: self.owned(record, self.category.as_ref())?,
            configuration_item: self.owned(record, self.configuration_item.as_ref())?,
            group: self.owned(record, self.group.as_ref())?,
            person: self.owned(record, self.person.as_ref())?,
            resolution_code,
            impact: self.level(record, self.impact.as_ref())?,
            urgency: self.level(record, self.urgency.as_ref())?,
            priority: self.level(record, self.priority.as_ref())?,
            reopens: self.counter(record, self.reopens.as_ref())?,
            reassignments: self.counter(record, self.reassignments.as_ref())?,
            keys,
        }))
    }
}
