//! A loader of change logs into the change calendar (`itsm-schedule`), driven by a mapping
//! file: nothing about a source is in code.
//!
//! A change log in CSV has one row per change and configuration item (a change on three
//! items has three rows), with the planned start and end and, optionally, the assignee and
//! a column whose equal values make items related (a service component, say). A
//! [`ChangeMapping`] (JSON, schema in `docs/schema/schedule-change-mapping.json`) names the
//! columns and says how the file is written: the `csv` section is the incident importer's
//! ([`CsvFormat`]: delimiter, quote, encoding, header; decoded by
//! [`decode`]), and the planned times are read with a chrono format,
//! with an offset or in a named zone.
//!
//! [`load`] gathers the rows into [`ScheduledChange`]s (the first row of a change gives its
//! window; a time that does not read leaves the window without that end, so the schedule
//! refuses it and names the change), each item's related keys, and counts; it keeps each
//! change's first row as written, so [`ChangeLog::explain`] can say which line of the file
//! a refusal comes from and quote what it holds ([`Quoted`]: capped, control characters
//! escaped). [`all_pairs`] is the straightforward scan the sweeps are checked against.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::format::{Fixed, Item, Numeric, Parsed, StrftimeItems};
use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use itsm_core::duration::format as iso;
use itsm_core::{ChangeId, ConfigItemId, Quoted, UserId};
use itsm_schedule::{Booking, Error as Refusal, Pair, ScheduledChange};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::import::{CsvFormat, decode};

/// How a change log is laid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeMapping {
    /// A name for the source, for example `bank-change-calendar`.
    pub source: String,
    /// Free text for the people who maintain the file (JSON has no comments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// How the file is written: delimiter, quote, encoding, header row (the incident
    /// importer's section).
    #[serde(default)]
    pub csv: CsvFormat,
    /// Values that mean "no value" (an empty field always does), for example `NULL`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// The column of the change number, which groups rows into changes.
    pub change: String,
    /// The column of the configuration item.
    pub item: String,
    /// The column of the planned start.
    pub start: String,
    /// The column of the planned end.
    pub end: String,
    /// How the planned times are written.
    pub time: TimeFormat,
    /// The column of the assignee, if the log has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The column whose equal values make items related (a service component, a cluster),
    /// if the log has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<String>,
}

/// How the planned start and end are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeFormat {
    /// A chrono `strftime` format, for example `%d/%m/%Y %H:%M` or `%Y-%m-%dT%H:%M:%S%:z`;
    /// a format of a date alone reads midnight.
    pub format: String,
    /// The zone the times are written in, required exactly when the format has no offset
    /// (`%z`, `%:z`) and no Unix timestamp (`%s`): an IANA name (`Europe/London`, `UTC`) or
    /// a fixed offset (`+02:00`). A time with an offset keeps it; a wall-clock time repeated
    /// when daylight saving ends reads as the earlier instant; one skipped when it starts
    /// does not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

/// Why a log cannot be loaded at all. Messages quote what the mapping or file gave with
/// [`Quoted`].
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file is not text in the mapping's encoding.
    #[error("{0}")]
    Text(#[from] crate::import::NotText),
    /// The CSV does not parse.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The delimiter or quote is not one ASCII character other than a line end.
    #[error("{path}: `{}` cannot separate or quote fields; use one ASCII character other than a line end (`,`, `;`, a tab, `\"`)", .character.escape_default())]
    InvalidCharacter {
        /// `csv.delimiter` or `csv.quote`.
        path: &'static str,
        /// The character given.
        character: char,
    },
    /// The delimiter and the quote are the same character.
    #[error("csv.quote: the delimiter and the quote are both `{}`; they must differ", .character.escape_default())]
    DelimiterIsQuote {
        /// The character.
        character: char,
    },
    /// A column the mapping names is not in the header.
    #[error(
        "the mapping names column `{}` ({field}), which the file does not have; it has {header}", Quoted(.column)
    )]
    UnknownColumn {
        /// The mapping's field.
        field: &'static str,
        /// The column named.
        column: String,
        /// The columns the file has, each quoted (or why it has none by name).
        header: String,
    },
    /// The format has no offset and the mapping gives no zone, or a zone that is unknown or
    /// never used.
    #[error("time.zone: {0}")]
    Zone(String),
    /// The time format does not parse.
    #[error("time.format `{}` is not a chrono format", Quoted(.format))]
    Format {
        /// The format.
        format: String,
    },
}

/// A change log gathered for the schedule.
#[derive(Debug, Clone, Default)]
pub struct ChangeLog {
    /// One record per change, in order of first appearance.
    pub changes: Vec<ScheduledChange>,
    /// Each item's related keys.
    pub keys: HashMap<ConfigItemId, BTreeSet<String>>,
    /// Change numbers and item names by id, for messages.
    pub change_names: HashMap<ChangeId, String>,
    /// Item names by id.
    pub item_names: HashMap<ConfigItemId, String>,
    /// How many data rows the file has.
    pub rows: usize,
    /// How many rows each change has.
    pub rows_of: HashMap<ChangeId, usize>,
    /// Rows whose planned window differs from the first row of their change (the first
    /// row's is kept).
    pub disagreeing_rows: usize,
    /// Planned starts and ends that are written but do not read (no such date, a
    /// wall-clock time skipped by daylight saving, another format): the window is then
    /// missing that end.
    pub unreadable_times: usize,
    /// Rows without a change number (left out), by line.
    pub rows_without_change: Vec<u64>,
    /// Each change's first row as written: the one its window comes from.
    pub first_rows: HashMap<ChangeId, FirstRow>,
}

/// A change's first row, as the file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstRow {
    /// Its line in the file (1-based; the header is line 1).
    pub line: u64,
    /// The change number.
    pub number: String,
    /// The planned start and end fields, trimmed (empty when the row has no such field).
    pub start: Planned,
    /// The planned end.
    pub end: Planned,
}

/// A planned start or end field as written, and how it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The text, trimmed.
    pub text: String,
    /// How it read.
    pub reading: Reading,
}

/// How a planned time field read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// It read as an instant.
    Read,
    /// Empty, or one of the mapping's `missing` values.
    Missing,
    /// It does not match the time format.
    Unreadable,
    /// A wall-clock time the zone skips (the clocks go forward).
    Skipped,
}

impl ChangeLog {
    /// Why the schedule refused a change of this log, in the file's terms: the line of the
    /// change's first row (whose window the change has), the change number and the fields
    /// at fault as written, quoted with [`Quoted`]; and how many rows the change has.
    /// `None` for an error that names no change of this log.
    pub fn explain(&self, refusal: &Refusal, mapping: &ChangeMapping) -> Option<String> {
        let change = refusal.change()?;
        let row = self.first_rows.get(&change)?;
        let field = |name: &str, p: &Planned| match p.reading {
            Reading::Missing if p.text.is_empty() => format!("no planned {name}"),
            Reading::Missing => format!("planned {name} `{}`, a missing value", Quoted(&p.text)),
            Reading::Unreadable => format!(
                "planned {name} `{}` does not read as `{}`",
                Quoted(&p.text),
                Quoted(&mapping.time.format)
            ),
            Reading::Skipped => format!(
                "planned {name} `{}` is a time {} skips (the clocks go forward)",
                Quoted(&p.text),
                Quoted(mapping.time.zone.as_deref().unwrap_or("the zone"))
            ),
            Reading::Read => format!("planned {name} `{}`", Quoted(&p.text)),
        };
        let why = match refusal {
            Refusal::MissingWindow { .. } => [("start", &row.start), ("end", &row.end)]
                .into_iter()
                .filter(|(_, p)| p.reading != Reading::Read)
                .map(|(name, p)| field(name, p))
                .collect::<Vec<_>>()
                .join(", "),
            Refusal::InvalidPlannedWindow { .. } => format!(
                "planned end `{}` is not after planned start `{}`",
                Quoted(&row.end.text),
                Quoted(&row.start.text)
            ),
            Refusal::WindowTooLong {
                length, longest, ..
            } => format!(
                "planned window `{}` to `{}` lasts {}, longer than the longest allowed, {}",
                Quoted(&row.start.text),
                Quoted(&row.end.text),
                iso(*length),
                iso(*longest)
            ),
            Refusal::PlannedWindowOutOfRange { .. } => format!(
                "planned window `{}` to `{}` lies outside 1677-09-21 to 2262-04-11",
                Quoted(&row.start.text),
                Quoted(&row.end.text)
            ),
            other => other.to_string(),
        };
        let rows = self.rows_of.get(&change).copied().unwrap_or(1);
        let more = match rows {
            0 | 1 => String::new(),
            2 => " (and its other row)".to_owned(),
            n => format!(" (and its {} other rows)", n - 1),
        };
        Some(format!(
            "line {}: change `{}`: {why}{more}",
            row.line,
            Quoted(&row.number)
        ))
    }
}

/// The namespaces the ids of a log are made in (UUID v5 of the text).
const CHANGES: Uuid = Uuid::from_u128(0x6368_616e_6765_2d6c_6f67_2d63_6861_6e67);
const ITEMS: Uuid = Uuid::from_u128(0x6368_616e_6765_2d6c_6f67_2d69_7465_6d73);
const USERS: Uuid = Uuid::from_u128(0x6368_616e_6765_2d6c_6f67_2d75_7365_7273);

/// The id of change number `text`.
pub fn change_id(text: &str) -> ChangeId {
    ChangeId(Uuid::new_v5(&CHANGES, text.as_bytes()))
}

/// The id of configuration item `text`.
pub fn item_id(text: &str) -> ConfigItemId {
    ConfigItemId(Uuid::new_v5(&ITEMS, text.as_bytes()))
}

fn user_id(text: &str) -> UserId {
    UserId(Uuid::new_v5(&USERS, text.as_bytes()))
}

/// The zone a format without an offset is read in.
#[derive(Debug, Clone, Copy)]
enum Zone {
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

/// Reads the planned times.
struct TimeReader {
    items: Vec<Item<'static>>,
    zone: Option<Zone>,
}

impl TimeReader {
    fn new(time: &TimeFormat) -> Result<TimeReader, LoadError> {
        let items: Vec<Item<'static>> =
            StrftimeItems::new(&time.format)
                .parse_to_owned()
                .map_err(|_| LoadError::Format {
                    format: time.format.clone(),
                })?;
        // The incident importer's test: an offset or a Unix time anywhere in the format.
        let has_offset = time.format.contains("%#z")
            || items.iter().any(|item| {
                matches!(
                    item,
                    Item::Fixed(
                        Fixed::TimezoneOffset
                            | Fixed::TimezoneOffsetColon
                            | Fixed::TimezoneOffsetDoubleColon
                            | Fixed::TimezoneOffsetTripleColon
                            | Fixed::TimezoneOffsetColonZ
                            | Fixed::TimezoneOffsetZ
                            | Fixed::RFC2822
                            | Fixed::RFC3339
                    ) | Item::Numeric(Numeric::Timestamp, _)
                )
            });
        let zone = match (&time.zone, has_offset) {
            (None, true) => None,
            (None, false) => {
                return Err(LoadError::Zone(format!(
                    "the format `{}` has no offset (%z, %:z, %#z) or Unix time (%s), so name the zone its times are in: an IANA name such as `Europe/London`, `UTC`, or an offset such as `+02:00`",
                    Quoted(&time.format)
                )));
            }
            (Some(zone), true) => {
                return Err(LoadError::Zone(format!(
                    "the format carries an offset (or Unix time), so zone `{}` would never be used; remove it",
                    Quoted(zone)
                )));
            }
            (Some(zone), false) => Some(if let Ok(offset) = zone.parse::<FixedOffset>() {
                Zone::Fixed(offset)
            } else {
                Zone::Named(zone.parse::<chrono_tz::Tz>().map_err(|_| {
                    LoadError::Zone(format!(
                        "`{}` is neither an IANA zone name nor an offset such as +02:00",
                        Quoted(zone)
                    ))
                })?)
            }),
        };
        Ok(TimeReader { items, zone })
    }

    /// The instant `value` stands for, or why it does not read.
    fn read(&self, value: &str) -> Result<DateTime<Utc>, Reading> {
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, value, self.items.iter())
            .map_err(|_| Reading::Unreadable)?;
        let Some(zone) = self.zone else {
            // A Unix time without an offset is UTC.
            if parsed.offset().is_none() {
                parsed.set_offset(0).map_err(|_| Reading::Unreadable)?;
            }
            return parsed
                .to_datetime()
                .map(|t| t.to_utc())
                .map_err(|_| Reading::Unreadable);
        };
        let naive: NaiveDateTime = parsed
            .to_naive_datetime_with_offset(0)
            .ok()
            .or_else(|| {
                parsed
                    .to_naive_date()
                    .ok()
                    .map(|d: NaiveDate| d.and_time(chrono::NaiveTime::MIN))
            })
            .ok_or(Reading::Unreadable)?;
        let local = match zone {
            Zone::Fixed(offset) => offset.from_local_datetime(&naive).map(|t| t.to_utc()),
            Zone::Named(tz) => tz.from_local_datetime(&naive).map(|t| t.to_utc()),
        };
        match local {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t),
            LocalResult::None => Err(Reading::Skipped),
        }
    }
}

/// Whether `c` can separate or quote fields.
fn splits(c: char) -> bool {
    c.is_ascii() && c != '\n' && c != '\r'
}

/// Reads a change log with `mapping`.
///
/// # Errors
/// When the delimiter or quote cannot split a file (not one ASCII character other than a
/// line end, or both the same), the bytes are not text in the mapping's encoding, the CSV
/// does not parse, a column the mapping names is missing, or the time format or zone is not
/// usable (no zone for a format without an offset, a zone for one with an offset, a zone
/// that is unknown). Rows are never refused here: a row without a change number is counted
/// in [`ChangeLog::rows_without_change`], a time that does not read leaves the window
/// without that end (and the schedule then refuses the change).
pub fn load(bytes: &[u8], mapping: &ChangeMapping) -> Result<ChangeLog, LoadError> {
    for (path, c) in [
        ("csv.delimiter", Some(mapping.csv.delimiter)),
        ("csv.quote", mapping.csv.quote),
    ] {
        if let Some(character) = c.filter(|c| !splits(*c)) {
            return Err(LoadError::InvalidCharacter { path, character });
        }
    }
    if mapping.csv.quote == Some(mapping.csv.delimiter) {
        return Err(LoadError::DelimiterIsQuote {
            character: mapping.csv.delimiter,
        });
    }
    let text = decode(bytes, mapping.csv.encoding)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let times = TimeReader::new(&mapping.time)?;
    let mut reader = csv::ReaderBuilder::new();
    reader
        .has_headers(false)
        .flexible(true)
        .delimiter(u8::try_from(mapping.csv.delimiter).unwrap_or(b','));
    // Both checked above to be ASCII: the fallbacks are never taken.
    match mapping.csv.quote {
        Some(q) => reader.quote(u8::try_from(q).unwrap_or(b'"')),
        None => reader.quoting(false),
    };
    let mut records = reader.from_reader(text.as_bytes()).into_records();
    let header: Vec<String> = if mapping.csv.header {
        match records.next() {
            Some(first) => first?.iter().map(str::to_owned).collect(),
            None => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let column = |field: &'static str, name: &str| -> Result<usize, LoadError> {
        if mapping.csv.header {
            header.iter().position(|h| h == name)
        } else {
            name.parse::<usize>().ok().and_then(|n| n.checked_sub(1))
        }
        .ok_or_else(|| LoadError::UnknownColumn {
            field,
            column: name.to_owned(),
            header: if !mapping.csv.header {
                "no header row (csv.header is false): name columns by their position, from 1"
                    .to_owned()
            } else if header.is_empty() {
                "no columns (the file is empty)".to_owned()
            } else {
                header
                    .iter()
                    .map(|h| format!("`{}`", Quoted(h)))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })
    };
    let change_col = column("change", &mapping.change)?;
    let item_col = column("item", &mapping.item)?;
    let start_col = column("start", &mapping.start)?;
    let end_col = column("end", &mapping.end)?;
    let assignee_col = mapping
        .assignee
        .as_deref()
        .map(|c| column("assignee", c))
        .transpose()?;
    let related_col = mapping
        .related
        .as_deref()
        .map(|c| column("related", c))
        .transpose()?;

    let mut log = ChangeLog::default();
    let mut position: HashMap<ChangeId, usize> = HashMap::new();
    let mut items_of: Vec<BTreeSet<ConfigItemId>> = Vec::new();
    for record in records {
        let record = record?;
        log.rows += 1;
        let line = record.position().map_or(0, csv::Position::line);
        let raw = |col: usize| record.get(col).map_or("", str::trim);
        let field = |col: usize| -> Option<&str> {
            let value = raw(col);
            (!value.is_empty() && !mapping.missing.iter().any(|m| m == value)).then_some(value)
        };
        let Some(number) = field(change_col) else {
            log.rows_without_change.push(line);
            continue;
        };
        let id = change_id(number);
        *log.rows_of.entry(id).or_default() += 1;
        let mut read = |col: usize| {
            let text = raw(col).to_owned();
            let (time, reading) = match field(col).map(|v| times.read(v)) {
                None => (None, Reading::Missing),
                Some(Ok(t)) => (Some(t), Reading::Read),
                Some(Err(why)) => {
                    log.unreadable_times += 1;
                    (None, why)
                }
            };
            (time, Planned { text, reading })
        };
        let ((start, start_text), (end, end_text)) = (read(start_col), read(end_col));
        let at = *position.entry(id).or_insert_with(|| {
            log.change_names.insert(id, number.to_owned());
            log.first_rows.insert(
                id,
                FirstRow {
                    line,
                    number: number.to_owned(),
                    start: start_text,
                    end: end_text,
                },
            );
            let mut change = ScheduledChange::new(id, Vec::new(), start, end);
            change.assignee = assignee_col.and_then(field).map(user_id);
            log.changes.push(change);
            items_of.push(BTreeSet::new());
            log.changes.len() - 1
        });
        if let Some(change) = log.changes.get(at) {
            if (change.start, change.end) != (start, end) {
                log.disagreeing_rows += 1;
            }
        }
        if let Some(name) = field(item_col) {
            let item = item_id(name);
            log.item_names
                .entry(item)
                .or_insert_with(|| name.to_owned());
            if let Some(items) = items_of.get_mut(at) {
                items.insert(item);
            }
            if let Some(key) = related_col.and_then(field) {
                log.keys.entry(item).or_default().insert(key.to_owned());
            }
        }
    }
    for (change, items) in log.changes.iter_mut().zip(items_of) {
        change.items = items.into_iter().collect();
    }
    Ok(log)
}

/// The straightforward scan: every pair of bookings tried, those whose windows overlap and
/// that `share` something kept. O(n²): the reference the sweeps are checked against.
pub fn all_pairs(bookings: &[Booking], share: impl Fn(&Booking, &Booking) -> bool) -> Vec<Pair> {
    let mut out = BTreeSet::new();
    for (i, a) in bookings.iter().enumerate() {
        let (a_start, a_end) = (a.window().start(), a.window().end());
        for b in bookings.iter().skip(i + 1) {
            if b.window().start() < a_end && a_start < b.window().end() && share(a, b) {
                out.extend(Pair::new(a.change(), b.change()));
            }
        }
    }
    out.into_iter().collect()
}

/// Whether two bookings share an item (their item lists are sorted).
pub fn share_item(a: &Booking, b: &Booking) -> bool {
    let (mut x, mut y) = (a.items().iter().peekable(), b.items().iter().peekable());
    while let (Some(p), Some(q)) = (x.peek(), y.peek()) {
        match p.cmp(q) {
            std::cmp::Ordering::Less => {
                x.next();
            }
            std::cmp::Ordering::Greater => {
                y.next();
            }
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Each booking's related keys (through its items), for [`all_pairs`].
pub fn keys_by_change<K: Ord + Clone>(
    bookings: &[Booking],
    keys: impl Fn(&ConfigItemId) -> Vec<K>,
) -> BTreeMap<ChangeId, BTreeSet<K>> {
    bookings
        .iter()
        .map(|b| (b.change(), b.items().iter().flat_map(&keys).collect()))
        .collect()
}

/// How many pairs are in one list and not the other, both ways.
pub fn mismatches(a: &[Pair], b: &[Pair]) -> usize {
    let (a, b): (BTreeSet<&Pair>, BTreeSet<&Pair>) = (a.iter().collect(), b.iter().collect());
    a.symmetric_difference(&b).count()
}
