//! The fuzz harnesses of the log importer (`itsm_examples::import`) and the replay, as plain
//! functions of bytes.
//!
//! The libFuzzer targets `import_mapping_json` and `import_rows` call these functions, and so
//! does the stable test `examples/tests/import_fuzz_corpus.rs`, which replays every saved
//! input of `fuzz/corpus/<target>/`.
//!
//! - [`mapping_json`]: the bytes as a mapping file. A mapping that loads survives a JSON round
//!   trip; it is checked against two headers (its own columns, and a fixed one) under two
//!   policies (ServiceNow's and iTop's): either it compiles, or every mistake has a path;
//!   when it compiles, a small log written from its own values (each state value on a row,
//!   times written with its format) is read and replayed under the report's invariants.
//! - [`rows`]: byte 0 picks one of four fixed mappings (UTF-8 snapshots with commas; Latin-1
//!   activities with semicolons, interleaved within ten minutes; Windows-1252 without a header,
//!   tab separated; two state columns with offsets); the rest is the file. Whatever the bytes,
//!   the reader and the replay do not panic, every line is within the file, every row read
//!   is accounted for once, and the replay is deterministic.
//!
//! A function returns normally when the input is uninteresting or all is well, and panics
//! (through `assert!`) when an invariant breaks.

use std::fmt::Write as _;

use itsm_examples::import::{Item, Mapping, SortKey, open};
use itsm_examples::replay::{ReplayReport, Replayer};
use itsm_incident::Policy;

/// At most this many bytes of a file are read, so each execution stays fast.
const MAX_FILE: usize = 4096;

/// Line ends in `data`: `\n`, `\r\n` (once) and a `\r` not followed by `\n`.
fn line_ends(data: &[u8]) -> u64 {
    let mut n = 0;
    let mut bytes = data.iter().peekable();
    while let Some(&b) = bytes.next() {
        if b == b'\n' || (b == b'\r' && bytes.peek() != Some(&&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Whether a message is safe on a terminal: the values it quotes from the log or the mapping
/// went through `itsm_core::Quoted`, so no control character (but its own line ends) and no
/// invisible formatting character is left raw.
fn safe(message: &str) -> bool {
    !message.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    })
}

/// Reads and replays `data` with `mapping`; `None` when the mapping does not fit the file.
/// Checks the invariants of every item and of the report.
fn replay(data: &[u8], mapping: &Mapping, policy: &Policy) -> Option<ReplayReport> {
    let rows = match open(data, mapping, policy) {
        Ok(rows) => rows,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return None;
        }
    };
    let last_line = line_ends(data) + 1;
    let mut replayer = Replayer::new(policy, rows.compiled());
    let mut read = 0usize;
    for item in rows {
        let Ok(item) = item else {
            // An I/O error cannot happen on bytes in memory; a CSV error ends the file.
            return None;
        };
        let line = match &item {
            Item::Row(row) => Some(row.line),
            Item::Bad(bad) => {
                let message = bad.problem.to_string();
                assert!(!message.is_empty());
                assert!(safe(&message), "{message:?}");
                Some(bad.line)
            }
            Item::End { line, .. } => Some(*line),
            Item::Ignored => None,
        };
        if let Some(line) = line {
            assert!(
                (1..=last_line).contains(&line),
                "line {line} outside 1..={last_line}"
            );
        }
        if !matches!(item, Item::End { .. }) {
            read += 1;
        }
        replayer.feed(item);
    }
    let report = replayer.finish_all();
    assert_eq!(report.rows, read);
    assert_eq!(
        report.replayed + report.bad_rows() + report.ignored,
        report.rows,
        "{report:?}"
    );
    assert!(report.accepted <= report.transitions);
    let rejected: usize = report.rejections.values().map(|t| t.count).sum();
    assert_eq!(rejected, report.transitions - report.accepted);
    assert!(report.incidents <= report.replayed);
    assert!(report.seeded_by_import <= report.incidents);
    if let Some(pct) = report.accepted_pct() {
        assert!((0.0..=100.0).contains(&pct));
    } else {
        assert_eq!(report.transitions, 0);
    }
    for tally in report
        .rejections
        .values()
        .chain(report.command_rejections.values())
    {
        assert!(tally.count >= 1 && tally.examples.len() <= 2);
    }
    // The report prints, quoting what the log gave, and ends with the priority line.
    let text = report.to_string();
    assert!(safe(&text), "{text:?}");
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.starts_with("priority agreement: ")),
        "{text}"
    );
    Some(report)
}

/// The column names a mapping mentions, in a stable order, without repeats.
fn columns(mapping: &Mapping) -> Vec<String> {
    let mut names = vec![mapping.case.clone(), mapping.time.column.clone()];
    names.extend(mapping.states.columns.iter().cloned());
    for key in &mapping.order.by {
        if let SortKey::Integer(c) | SortKey::Text(c) = key {
            names.push(c.clone());
        }
    }
    let f = &mapping.fields;
    for c in [
        &f.actor,
        &f.opened_at,
        &f.caller,
        &f.channel,
        &f.category,
        &f.configuration_item,
        &f.group,
        &f.person,
        &f.resolution_code,
        &mapping.counters.reopens,
        &mapping.counters.reassignments,
    ]
    .into_iter()
    .flatten()
    {
        names.push(c.clone());
    }
    for level in [
        &mapping.levels.impact,
        &mapping.levels.urgency,
        &mapping.levels.priority,
    ]
    .into_iter()
    .flatten()
    {
        if let Some(c) = &level.column {
            names.push(c.clone());
        }
    }
    let mut seen = Vec::new();
    for name in names {
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
}

/// A field written for the mapping's CSV format, or `None` when it cannot be.
fn field(value: &str, mapping: &Mapping) -> Option<String> {
    let delimiter = mapping.csv.delimiter;
    match mapping.csv.quote {
        Some(q) => {
            let doubled = value.replace(q, &format!("{q}{q}"));
            Some(format!("{q}{doubled}{q}"))
        }
        None if value.contains(delimiter) || value.contains(['\n', '\r']) => None,
        None => Some(value.to_owned()),
    }
}

/// A small log in the mapping's own shape: its header (unless it has none) and one row per
/// state value (at most eight), cases alternating, times a minute apart.
fn log_for(mapping: &Mapping) -> Option<Vec<u8>> {
    let names = columns(mapping);
    let delimiter = mapping.csv.delimiter.to_string();
    let items = chrono::format::StrftimeItems::new(&mapping.time.format)
        .parse()
        .ok()?;
    let mut text = String::new();
    if mapping.csv.header {
        let header: Vec<String> = names
            .iter()
            .map(|n| field(n, mapping))
            .collect::<Option<_>>()?;
        text.push_str(&header.join(&delimiter));
        text.push('\n');
    }
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").ok()?;
    for (i, value) in mapping.states.values.keys().take(8).enumerate() {
        let at = start + chrono::Duration::minutes(i64::try_from(i).ok()?);
        let mut time = String::new();
        write!(time, "{}", at.format_with_items(items.iter())).ok()?;
        let row: Vec<String> = names
            .iter()
            .map(|name| {
                let value = if *name == mapping.case {
                    format!("C{}", i % 2)
                } else if *name == mapping.time.column {
                    time.clone()
                } else if mapping.states.columns.first() == Some(name) {
                    value.clone()
                } else {
                    "1".to_owned()
                };
                field(&value, mapping)
            })
            .collect::<Option<_>>()?;
        text.push_str(&row.join(&delimiter));
        text.push('\n');
    }
    let bytes = match mapping.csv.encoding {
        itsm_examples::import::Encoding::Utf8 => text.into_bytes(),
        // The single-byte encodings: characters past U+00FF cannot be written.
        _ => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect::<Option<Vec<u8>>>()?,
    };
    Some(bytes)
}

/// Bytes as a mapping file: see the module's documentation.
pub fn mapping_json(data: &[u8]) {
    let Ok(mapping) = serde_json::from_slice::<Mapping>(data) else {
        return;
    };
    let json = serde_json::to_string(&mapping);
    assert!(json.is_ok(), "a mapping always serializes");
    if let Ok(json) = json {
        let back = serde_json::from_str::<Mapping>(&json);
        assert!(
            back.as_ref().is_ok_and(|b| *b == mapping),
            "round trip: {json} gave {back:?}"
        );
    }
    let fixed: Vec<String> = ["id", "at", "status", "group", "impact"]
        .map(str::to_owned)
        .to_vec();
    for policy in [Policy::servicenow(), Policy::itop()] {
        for header in [columns(&mapping), fixed.clone()] {
            if let Err(errors) = mapping.compile(&header, &policy) {
                assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    // Every mistake names its path first, and quotes what it echoes.
                    let text = e.to_string();
                    assert!(text.contains(": "), "{text}");
                    assert!(safe(&text), "{text:?}");
                }
            }
        }
        if let Some(log) = log_for(&mapping) {
            let first = replay(&log, &mapping, &policy);
            let second = replay(&log, &mapping, &policy);
            assert_eq!(first, second, "the replay is deterministic");
        }
    }
}

/// The four mappings [`rows`] picks from.
const MAPPINGS: [&str; 4] = [
    r#"{"source": "snapshots", "missing": ["?"], "case": "id",
        "time": {"column": "at", "format": "%d/%m/%Y %H:%M", "zone": "UTC"},
        "order": {"by": [{"integer": "seq"}, "time"]},
        "states": {"columns": ["state"], "values": {
            "N": {"state": "new"}, "A": {"state": "in_progress"},
            "W": {"state": "on_hold", "reason": "awaiting_caller"},
            "V": {"state": "on_hold", "reason": "awaiting_vendor"},
            "R": {"state": "resolved"}, "C": {"state": "closed"}, "X": {"state": "canceled"},
            "I": "ignore", "B": "bad_data"}},
        "fields": {"actor": "who", "group": "group", "person": "who", "resolution_code": "code",
                   "opened_at": "opened"},
        "levels": {"impact": {"column": "impact", "by": "leading_number"},
                   "urgency": {"column": "urgency", "by": "leading_number"},
                   "priority": {"column": "priority", "by": "leading_number"}},
        "counters": {"reopens": "reopens", "reassignments": "moves"}}"#,
    r#"{"source": "activities", "csv": {"delimiter": ";", "encoding": "latin-1"},
        "case": "id", "time": {"column": "at", "format": "%Y-%m-%d %H:%M", "zone": "Europe/Rome"},
        "order": {"cases": "interleaved", "window": "PT10M"}, "rows": "activities",
        "states": {"columns": ["what"], "values": {
            "new": {"state": "new"}, "work": {"state": "in_progress", "then": ["assign"]},
            "wait": {"state": "on_hold", "reason": "awaiting_caller"},
            "assign": {"action": "assign"}, "move": {"action": "reassign"},
            "queue": {"action": "unassign"}, "prio": {"action": "reprioritize"},
            "note": {"action": "comment"}, "reopen": {"action": "reopen"},
            "answer": {"action": "caller_responded"},
            "solve": {"state": "resolved", "code": "fixed"}, "close": {"state": "closed"},
            "drop": "ignore", "junk": "bad_data"}},
        "fields": {"actor": "who", "group": "group", "person": "who"},
        "levels": {"impact": {"column": "impact", "by": "label", "labels": {"High": 1, "Medium": 2, "Low": 3}, "default": 2},
                   "urgency": {"column": "urgency", "default": 2}}}"#,
    r#"{"source": "headerless", "csv": {"header": false, "delimiter": "\t", "quote": null, "encoding": "windows-1252"},
        "trim": true, "case": "1", "time": {"column": "2", "format": "%s"},
        "states": {"columns": ["3"], "values": {
            "1": {"state": "new"}, "2": {"state": "in_progress"}, "3": {"state": "resolved"},
            "4": {"state": "closed"}, "5": {"action": "comment"}}},
        "levels": {"impact": {"default": 3}, "urgency": {"default": 3}}}"#,
    r#"{"source": "two columns", "case": "ref",
        "time": {"column": "when", "format": "%Y-%m-%dT%H:%M:%S%:z"},
        "order": {"by": ["time", {"text": "ref"}]},
        "states": {"columns": ["status", "sub"], "values": {
            "Open": {"state": "new"}, "Open / Mine": {"state": "in_progress"},
            "Pending / Vendor": {"state": "on_hold", "reason": "awaiting_vendor"},
            "Done": {"state": "resolved"}, "Done / Closed": {"state": "closed"}}},
        "fields": {"group": "team"},
        "levels": {"impact": {"default": 2}, "urgency": {"default": 2}},
        "counters": {"reopens": "reopened"}}"#,
];

/// Byte 0 picks a mapping, the rest is the file: see the module's documentation.
pub fn rows(data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let Some(json) = MAPPINGS.get(usize::from(pick) % MAPPINGS.len()) else {
        return;
    };
    let mapping = serde_json::from_str::<Mapping>(json);
    assert!(mapping.is_ok(), "{mapping:?}");
    let Ok(mapping) = mapping else { return };
    let file = file.get(..MAX_FILE).unwrap_or(file);
    let policy = Policy::servicenow();
    let first = replay(file, &mapping, &policy);
    let second = replay(file, &mapping, &policy);
    assert_eq!(first, second, "the replay is deterministic");
}
