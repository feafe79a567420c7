//! A general importer of incident logs: any CSV event log, read through one mapping file,
//! streamed in bounded memory.
//!
//! Nothing about a source is in code. A [`Mapping`] (JSON, schema in
//! `docs/schema/import-mapping.json`, guide in `docs/import.md`) says how the file is written
//! (delimiter, quote, encoding, header), which column is the case id and which the time (any
//! chrono format, with an offset or in a named zone), how rows are ordered, which columns
//! give the state or the activity and what each value means (a state of the policy's
//! workflow, an action that keeps the state, ignore, or bad data), and where the optional
//! fields, levels and counters are.
//!
//! # How to use it
//! 1. Deserialize a [`Mapping`]; choose the [`Policy`](itsm_incident::Policy) the log will
//!    replay under (state names and hold reasons are checked against it).
//! 2. Call [`open`] with a reader over the file: it reads the header and checks the mapping
//!    against it and the policy, reporting every mistake at once ([`MappingErrors`], each
//!    named by its path in the mapping, such as `states.values["Awaiting X"].reason`).
//! 3. Iterate the [`Rows`]: [`Item::Row`]s come in replay order ([`Rows`] states the
//!    ordering rule); a row that cannot be used is an [`Item::Bad`] with its line (right on
//!    CRLF files), the mapping path and the value, and the reading goes on.
//! 4. Feed the items to [`replay`](crate::replay::Replayer) to drive them through
//!    `itsm-incident`.
//!
//! # Memory
//! The file is never held whole: with contiguous cases the reader keeps one case's rows,
//! with interleaved cases the rows within the time window. The replay keeps one state per
//! case not yet over (and 16 bytes per finished case, to report rows that come after its end).

mod compile;
mod mapping;
mod order;
mod row;
mod text;
pub(crate) mod workflow;

pub use compile::{Compiled, MappingError, MappingErrors};
pub use mapping::{
    Action, Counters, CsvFormat, Encoding, Fields, Layout, Level, LevelReading, Levels, Mapping,
    Order, RowKind, SortKey, StateTarget, States, Target, TimeColumn,
};
pub use order::{Item, OpenError, ReadError, Rows, open};
pub use row::{BadRow, Row, RowProblem};
pub use text::{NotText, decode};
pub use workflow::NOT_IN_LOG;
