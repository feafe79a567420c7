//! Reads an incident log (the UCI ServiceNow log or the 4TU helpdesk log, told apart by
//! the header) through the general importer with its committed mapping, and turns each
//! case's rows into a practice-neutral timeline.
//!
//! How rows become marks (the host's choices, printed by the example):
//! - the opening is the log's `opened_at` when it has one, else the case's first row (and
//!   never after the first row);
//! - the first row whose state leaves `new` for anything but `canceled` acknowledges it;
//! - a state of kind `on_hold` pauses, `in_progress` after a hold resumes, any working state
//!   after `resolved` or `closed` reopens, `resolved` resolves, `closed` closes, `canceled`
//!   cancels; a change of assignment group is an assignment (a reassignment when a group was
//!   set before);
//! - a row dated before a row replayed before it is left out and counted: the UCI log
//!   orders an incident's rows by its update counter, and where a row's date contradicts
//!   that order (5 rows of 5 incidents) neither can be trusted to place it;
//! - rows that cannot move the ticket (a `resolved` row after closure, anything after
//!   cancelation) are counted as ignored steps, not guessed at.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

use chrono::{DateTime, Utc};
use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
use itsm_examples::import::{BadRow, Item, Mapping, Target, open};
use itsm_incident::{Policy, StatusKind};

/// Which public log a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UCI dataset #498 (ServiceNow audit log).
    Uci,
    /// The 4TU helpdesk log.
    Helpdesk,
}

impl Format {
    /// Tells the format from the header line.
    pub fn detect(header: &str) -> Option<Format> {
        let columns: Vec<&str> = header.trim_end().split(',').map(str::trim).collect();
        let has = |c: &str| columns.contains(&c);
        if has("number") && has("incident_state") && has("sys_mod_count") {
            Some(Format::Uci)
        } else if has("Case ID") && has("Activity") && has("Complete Timestamp") {
            Some(Format::Helpdesk)
        } else {
            None
        }
    }

    /// The format's name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Uci => "UCI incident event log (ServiceNow)",
            Format::Helpdesk => "4TU helpdesk log",
        }
    }

    fn mapping(self) -> Result<Mapping, serde_json::Error> {
        serde_json::from_str(match self {
            Format::Uci => include_str!("../../../data/uci-mapping.json"),
            Format::Helpdesk => include_str!("../../../data/helpdesk-mapping.json"),
        })
    }
}

/// A log read into timelines.
pub struct Loaded {
    /// The format.
    pub format: Format,
    /// One timeline per case, in the order cases first appear.
    pub timelines: Vec<Timeline>,
    /// Rows the importer could not use.
    pub bad_rows: Vec<BadRow>,
    /// Cases whose marks did not make a valid timeline (id, reason).
    pub bad_cases: Vec<(String, String)>,
    /// Rows whose state could not move the ticket (see the module docs).
    pub ignored_steps: u64,
    /// Rows dated before a row replayed before them (left out): case and line.
    pub out_of_order: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    New,
    Open,
    Pending,
    Resolved,
    Closed,
    Canceled,
}

struct Case {
    id: String,
    opened_at: Option<DateTime<Utc>>,
    first_row: Option<DateTime<Utc>>,
    last_row: Option<DateTime<Utc>>,
    marks: Vec<Mark>,
    phase: Phase,
    group: Option<String>,
    priority: Option<u8>,
    classification: Option<String>,
}

impl Case {
    fn new(id: String) -> Case {
        Case {
            id,
            opened_at: None,
            first_row: None,
            last_row: None,
            marks: Vec::new(),
            phase: Phase::New,
            group: None,
            priority: None,
            classification: None,
        }
    }

    /// Moves the case to the state of `kind` at `at`; false when the move is ignored.
    fn step(&mut self, at: DateTime<Utc>, kind: StatusKind) -> bool {
        use Phase::*;
        let working = matches!(self.phase, New | Open | Pending);
        let push = |marks: &mut Vec<Mark>, k: MarkKind| marks.push(Mark::new(at, k));
        let target = match kind {
            StatusKind::New => New,
            StatusKind::InProgress => Open,
            StatusKind::OnHold => Pending,
            StatusKind::Resolved => Resolved,
            StatusKind::Closed => Closed,
            StatusKind::Canceled => Canceled,
            StatusKind::Unreported => return false,
        };
        if target == self.phase || self.phase == Canceled {
            return target == self.phase;
        }
        if self.phase == New && target != Canceled {
            push(&mut self.marks, MarkKind::Acknowledged);
            self.phase = Open;
        }
        match target {
            New | Open | Pending => {
                if matches!(self.phase, Resolved | Closed) {
                    push(&mut self.marks, MarkKind::Reopened);
                    self.phase = Open;
                }
                match (self.phase, target) {
                    (Pending, New | Open) => push(&mut self.marks, MarkKind::Resumed),
                    (Open, Pending) => push(&mut self.marks, MarkKind::Paused),
                    _ => {}
                }
                self.phase = if target == Pending { Pending } else { Open };
            }
            Resolved if working => {
                push(&mut self.marks, MarkKind::Resolved);
                self.phase = Resolved;
            }
            Closed if working || self.phase == Resolved => {
                push(&mut self.marks, MarkKind::Closed);
                self.phase = Closed;
            }
            Canceled if working => {
                push(&mut self.marks, MarkKind::Canceled);
                self.phase = Canceled;
            }
            _ => return false,
        }
        true
    }

    fn finish(self) -> Result<Timeline, String> {
        // Every mark is at or after the first row (earlier rows are left out).
        let first = self.first_row;
        let opened_at = match (self.opened_at, first) {
            (Some(o), Some(f)) => o.min(f),
            (Some(o), None) => o,
            (None, Some(f)) => f,
            (None, None) => return Err("no rows".to_owned()),
        };
        let mut spec = TimelineSpec::new(self.id, Practice::Incident, opened_at);
        spec.marks = self.marks;
        spec.priority = self.priority;
        spec.classification = self.classification;
        Timeline::new(spec).map_err(|e| e.to_string())
    }
}

/// Reads `reader` (a whole log, header first).
pub fn load(reader: impl Read) -> Result<Loaded, Box<dyn std::error::Error>> {
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let mut header = String::new();
    reader.read_line(&mut header)?;
    let format = Format::detect(header.trim_start_matches('\u{feff}')).ok_or_else(|| {
        format!(
            "unknown log format: the header `{}` is neither the UCI log's nor the helpdesk log's",
            header.trim_end()
        )
    })?;
    let mapping = format.mapping()?;
    let policy = Policy::servicenow();
    // The importer reads the header itself: hand it back in front of the rest.
    let rows = open(header.as_bytes().chain(reader), &mapping, &policy)?;
    let mut order: Vec<String> = Vec::new();
    let mut cases: BTreeMap<String, Case> = BTreeMap::new();
    let mut bad_rows = Vec::new();
    let mut ignored_steps = 0u64;
    let mut out_of_order = Vec::new();
    for item in rows {
        let row = match item? {
            Item::Row(row) => row,
            Item::Bad(bad) => {
                bad_rows.push(bad);
                continue;
            }
            Item::End { .. } | Item::Ignored => continue,
        };
        let case = cases.entry(row.case.clone()).or_insert_with(|| {
            order.push(row.case.clone());
            Case::new(row.case.clone())
        });
        let at = row.instant();
        if case.last_row.is_some_and(|last| at < last) {
            out_of_order.push((row.case.clone(), row.line));
            continue;
        }
        case.last_row = Some(at);
        case.first_row.get_or_insert(at);
        if let Some(o) = row.opened_at {
            case.opened_at = Some(o.with_timezone(&Utc));
        }
        if row.priority.is_some() {
            case.priority = row.priority;
        }
        if row.category.is_some() {
            case.classification.clone_from(&row.category);
        }
        if let Target::State(t) = &*row.target {
            match policy.workflow.kind_of(&t.state) {
                Some(kind) => {
                    if !case.step(at, kind) {
                        ignored_steps += 1;
                    }
                }
                None => ignored_steps += 1,
            }
        }
        if let Some(g) = &row.group {
            if case.group.as_ref() != Some(g) && case.phase != Phase::Canceled {
                case.marks
                    .push(Mark::new(at, MarkKind::Assigned { group: g.clone() }));
                case.group = Some(g.clone());
            }
        }
    }
    let mut timelines = Vec::with_capacity(order.len());
    let mut bad_cases = Vec::new();
    for id in order {
        let Some(case) = cases.remove(&id) else {
            continue;
        };
        match case.finish() {
            Ok(t) => timelines.push(t),
            Err(why) => bad_cases.push((id, why)),
        }
    }
    Ok(Loaded {
        format,
        timelines,
        bad_rows,
        bad_cases,
        ignored_steps,
        out_of_order,
    })
}
