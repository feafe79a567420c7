//! The streaming reader: records in, rows out in replay order, holding only what the
//! ordering rule needs (one case's block, or the rows within the time window).

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};
use std::io::Read as IoRead;

use chrono::{DateTime, Utc};
use csv::ByteRecord;
use itsm_incident::Policy;

use super::compile::{Compiled, MappingErrors};
use super::mapping::{Layout, Mapping};
use super::row::{BadRow, Read, Row, RowProblem};
use super::text::{LineCounter, decode};

/// What the reader hands out, in replay order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The next row to replay.
    Row(Box<Row>),
    /// Contiguous cases: the case's block is over (its rows were handed out before this).
    End {
        /// The case.
        case: String,
        /// The line of the block's last row in file order.
        line: u64,
    },
    /// A row the mapping says to ignore.
    Ignored,
    /// A row that cannot be replayed, and why (including rows that break the ordering rule).
    Bad(BadRow),
}

/// Why the log cannot be read on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the log{}: {message}", .line.map(|l| format!(" at line {l}")).unwrap_or_default())]
pub struct ReadError {
    /// The line where reading failed, when known.
    pub line: Option<u64>,
    /// The reader's message.
    pub message: String,
}

/// Why a log cannot be opened with a mapping.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The header cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The header is not text in the mapping's encoding.
    #[error("csv.encoding: header field {position} is not {encoding} text: {reason}")]
    Header {
        /// The field's 1-based position.
        position: usize,
        /// The mapping's encoding.
        encoding: &'static str,
        /// The decoder's answer.
        reason: super::text::NotText,
    },
    /// The mapping does not fit the header or the policy.
    #[error(transparent)]
    Mapping(#[from] MappingErrors),
}

/// A row waiting in the time window, smallest sort key first.
#[derive(Debug)]
struct Pending(Box<Row>);

impl Pending {
    fn key(&self) -> (&[super::row::KeyValue], u64) {
        (&self.0.keys, self.0.line)
    }
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// The rows of a log in replay order, read as they are needed: an iterator of
/// [`Item`]s. Built by [`open`].
///
/// The ordering rule, by the mapping's `order.cases`:
/// - **contiguous**: each case's rows form one block of consecutive rows (bad and ignored
///   rows do not break a block). A block is sorted by the mapping's keys, then file order,
///   and handed out when the next case begins, followed by [`Item::End`]. A later row of a
///   case whose block has ended is reported by the replay ([`RowProblem::AfterEnd`]).
/// - **interleaved**: the file is sorted by time, except that a row may be up to
///   `order.window` earlier than the latest time above it. Rows wait in the window and are
///   handed out by (keys, file order); a row earlier than the window allows is reported
///   ([`RowProblem::Late`]), not replayed.
pub struct Rows<R: IoRead> {
    csv: csv::Reader<LineCounter<R>>,
    compiled: Compiled,
    record: ByteRecord,
    /// A file without a header: its first record, read to learn the width.
    first: Option<(ByteRecord, u64)>,
    ready: VecDeque<Item>,
    block: Vec<Row>,
    window: BinaryHeap<Reverse<Pending>>,
    latest: Option<DateTime<Utc>>,
    done: bool,
}

impl<R: IoRead> std::fmt::Debug for Rows<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("source", &self.compiled.source)
            .field("waiting", &(self.block.len() + self.window.len()))
            .finish_non_exhaustive()
    }
}

fn read_error(error: &csv::Error) -> ReadError {
    ReadError {
        line: None,
        message: error.to_string(),
    }
}

/// Opens a log: reads the header, checks the mapping against it and the policy, and returns
/// the rows as an iterator that reads the file as it goes.
///
/// ```
/// use itsm_examples::import::{Item, Mapping, open};
///
/// let mapping: Mapping = serde_json::from_str(r#"{
///     "source": "demo",
///     "csv": {"delimiter": ";", "encoding": "latin-1"},
///     "case": "Ticket",
///     "time": {"column": "When", "format": "%d.%m.%Y %H:%M", "zone": "Europe/Berlin"},
///     "levels": {"impact": {"default": 2}, "urgency": {"default": 2}},
///     "states": {"columns": ["Status"], "values": {
///         "Neu": {"state": "new"}, "In Bearbeitung": {"state": "in_progress"}
///     }}
/// }"#)?;
/// let log = b"Ticket;When;Status\r\nT1;02.03.2026 09:00;Neu\r\nT1;02.03.2026 09:30;Gel\xf6scht\r\n";
/// let items: Vec<Item> = open(&log[..], &mapping, &itsm_incident::Policy::servicenow())?
///     .collect::<Result<_, _>>()?;
/// // A bad row is handed out at once; a case's rows when its block ends.
/// let [Item::Bad(bad), Item::Row(row), Item::End { .. }] = &items[..] else { panic!() };
/// assert_eq!(row.at.to_rfc3339(), "2026-03-02T09:00:00+01:00"); // Berlin's offset kept
/// assert_eq!(bad.line, 3); // right on a CRLF file
/// assert_eq!(
///     bad.problem.to_string(),
///     "states.values[\"Gelöscht\"]: `Gelöscht` (column `Status`) is not in the mapping; \
///      add it as a state, an action, \"ignore\" or \"bad_data\"",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// - [`OpenError::Read`]: the header cannot be read;
/// - [`OpenError::Header`]: the header is not text in the mapping's encoding;
/// - [`OpenError::Mapping`]: every mistake of the mapping against the header and policy.
pub fn open<R: IoRead>(
    reader: R,
    mapping: &Mapping,
    policy: &Policy,
) -> Result<Rows<R>, OpenError> {
    if !mapping.splits() {
        // The header cannot be split; report every mistake that does not need it.
        return Err(match mapping.check(None, policy) {
            Err(errors) => OpenError::Mapping(errors),
            Ok(_) => OpenError::Mapping(MappingErrors(Vec::new())),
        });
    }
    let mut builder = csv::ReaderBuilder::new();
    // `splits` checked both are ASCII: the casts keep their value.
    builder
        .delimiter(mapping.csv.delimiter as u8)
        .has_headers(mapping.csv.header)
        .flexible(true);
    match mapping.csv.quote {
        Some(quote) => builder.quote(quote as u8),
        None => builder.quoting(false),
    };
    let mut csv = builder.from_reader(LineCounter::new(reader));
    let encoding = mapping.csv.encoding;
    let (header, first) = if mapping.csv.header {
        let raw = csv.byte_headers().map_err(|e| read_error(&e))?.clone();
        let mut names = Vec::with_capacity(raw.len());
        for (i, field) in raw.iter().enumerate() {
            let name = decode(field, encoding).map_err(|reason| OpenError::Header {
                position: i + 1,
                encoding: encoding.name(),
                reason,
            })?;
            // A UTF-8 byte order mark, if any, sticks to the first name.
            names.push(name.trim_start_matches('\u{feff}').to_owned());
        }
        (names, None)
    } else {
        let mut record = ByteRecord::new();
        let first = if csv
            .read_byte_record(&mut record)
            .map_err(|e| read_error(&e))?
        {
            let start = record.position().map_or(0, csv::Position::byte);
            let line = csv.get_mut().line_at(start);
            Some((record, line))
        } else {
            None
        };
        let width = first.as_ref().map_or(0, |(r, _)| r.len());
        ((1..=width).map(|i| i.to_string()).collect(), first)
    };
    let compiled = mapping.compile(&header, policy)?;
    Ok(Rows {
        csv,
        compiled,
        record: ByteRecord::new(),
        first,
        ready: VecDeque::new(),
        block: Vec::new(),
        window: BinaryHeap::new(),
        latest: None,
        done: false,
    })
}

impl<R: IoRead> Rows<R> {
    /// The compiled mapping the rows are read with.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The next record, read through the mapping; `None` at the end.
    fn next_read(&mut self) -> Result<Option<Read>, ReadError> {
        if let Some((record, line)) = self.first.take() {
            return Ok(Some(self.compiled.read(&record, line)));
        }
        let more = self
            .csv
            .read_byte_record(&mut self.record)
            .map_err(|e| ReadError {
                line: e.position().map(|p| self.csv.get_mut().line_at(p.byte())),
                message: e.to_string(),
            })?;
        if !more {
            return Ok(None);
        }
        let start = self.record.position().map_or(0, csv::Position::byte);
        let line = self.csv.get_mut().line_at(start);
        Ok(Some(self.compiled.read(&self.record, line)))
    }

    fn flush_block(&mut self) {
        let mut block = std::mem::take(&mut self.block);
        let last = block.iter().map(|r| r.line).max().unwrap_or(0);
        // Stable, and the line breaks every remaining tie.
        block.sort_by(|a, b| a.keys.cmp(&b.keys).then(a.line.cmp(&b.line)));
        let case = block.first().map(|r| r.case.clone());
        self.ready
            .extend(block.into_iter().map(|row| Item::Row(Box::new(row))));
        if let Some(case) = case {
            self.ready.push_back(Item::End { case, line: last });
        }
    }

    fn release(&mut self, all: bool) {
        let horizon = self.latest.map(|t| t - self.compiled.window);
        while let Some(Reverse(top)) = self.window.peek() {
            let ready = all || horizon.is_some_and(|h| top.0.instant() < h);
            if !ready {
                break;
            }
            if let Some(Reverse(Pending(row))) = self.window.pop() {
                self.ready.push_back(Item::Row(row));
            }
        }
    }

    fn accept(&mut self, row: Box<Row>) {
        match self.compiled.layout {
            Layout::Contiguous => {
                if self.block.first().is_some_and(|b| b.case != row.case) {
                    self.flush_block();
                }
                self.block.push(*row);
            }
            Layout::Interleaved => {
                let at = row.instant();
                if let Some(latest) = self.latest.filter(|l| at < *l - self.compiled.window) {
                    self.ready.push_back(Item::Bad(BadRow {
                        line: row.line,
                        case: Some(row.case),
                        problem: RowProblem::Late {
                            at,
                            latest,
                            window: itsm_core::duration::format(self.compiled.window),
                        },
                    }));
                    return;
                }
                self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
                self.window.push(Reverse(Pending(row)));
                self.release(false);
            }
        }
    }
}

impl<R: IoRead> Iterator for Rows<R> {
    type Item = Result<Item, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            match self.next_read() {
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Ok(None) => {
                    self.done = true;
                    self.flush_block();
                    self.release(true);
                }
                Ok(Some(Read::Row(row))) => self.accept(row),
                Ok(Some(Read::Ignored)) => self.ready.push_back(Item::Ignored),
                Ok(Some(Read::Bad(bad))) => self.ready.push_back(Item::Bad(bad)),
            }
        }
    }
}
