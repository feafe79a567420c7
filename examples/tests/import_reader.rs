//! The row reader on small inline logs: fields, bad rows with their lines and messages,
//! column mistakes, ordering (contiguous and interleaved), line numbers on every kind of line
//! end, encodings, headerless files.
// clippy.toml allows `unwrap` inside `#[test]` functions only; the helpers here are test code too.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, FixedOffset};
use itsm_examples::import::{
    BadRow, Item, Mapping, MappingError, OpenError, Row, RowProblem, Target, open,
};
use itsm_examples::replay::Replayer;
use itsm_incident::{Channel, Policy};

fn uci() -> Mapping {
    itsm_examples::uci::mapping().unwrap()
}

/// The mapped UCI columns only, in an order unlike the real file's, to show lookup is by name.
const HEADER: &str = "number,incident_state,sys_mod_count,sys_updated_at,sys_updated_by,opened_at,caller_id,contact_type,category,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,closed_code,reopen_count,reassignment_count";

/// A full UCI row with ordinary values for everything but the four fields that matter most.
fn row(id: &str, state: &str, order: &str, updated_at: &str) -> String {
    format!(
        "{id},{state},{order},{updated_at},Updated by  1,29/2/2016 01:16,Caller 2403,Phone,Category 55,?,2 - Medium,2 - Medium,3 - Moderate,Group 56,?,code 5,0,0"
    )
}

fn csv(rows: &[String]) -> String {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    text
}

fn items_with(text: &[u8], mapping: &Mapping) -> Vec<Item> {
    open(text, mapping, &Policy::servicenow())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn items(text: &str) -> Vec<Item> {
    items_with(text.as_bytes(), &uci())
}

fn rows(items: &[Item]) -> Vec<&Row> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Row(r) => Some(&**r),
            _ => None,
        })
        .collect()
}

fn bad(items: &[Item]) -> Vec<&BadRow> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Bad(b) => Some(b),
            _ => None,
        })
        .collect()
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn mapping_json(json: &str) -> Mapping {
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_small_log_is_read_field_by_field() {
    let text = csv(&[
        "INC1,New,0,29/2/2016 01:23,Updated by 21,29/2/2016 01:16,Caller 2403,Phone,Category 55,?,2 - Medium,3 - Low,4 - Low,Group 56,?,code 5,0,0".to_owned(),
        "INC1,Awaiting Vendor,1,1/3/2016 9:05,?,29/2/2016 01:16,?,Self service,?,CI 4,1 - High,2 - Medium,2 - High,?,Resolver 7,?,1,2".to_owned(),
    ]);
    let items = items(&text);
    assert_eq!(bad(&items), Vec::<&BadRow>::new());
    let [first, second] = rows(&items)[..] else {
        panic!("expected two rows, got {items:?}");
    };
    assert_eq!((first.line, first.case.as_str()), (2, "INC1"));
    assert_eq!(first.value, "New");
    assert!(matches!(&*first.target, Target::State(t) if t.state == "new"));
    assert_eq!(first.at, at("2016-02-29T01:23:00+00:00"));
    assert_eq!(first.actor.as_deref(), Some("Updated by 21"));
    assert_eq!(first.opened_at, Some(at("2016-02-29T01:16:00+00:00")));
    assert_eq!(first.caller.as_deref(), Some("Caller 2403"));
    assert_eq!(first.channel, Some(Channel::Phone));
    assert_eq!(first.category.as_deref(), Some("Category 55"));
    assert_eq!(first.configuration_item, None);
    assert_eq!(
        (first.impact, first.urgency, first.priority),
        (Some(2), Some(3), Some(4))
    );
    assert_eq!(first.group.as_deref(), Some("Group 56"));
    assert_eq!(first.person, None);
    assert_eq!(first.resolution_code.as_deref(), Some("code 5"));
    assert_eq!((first.reopens, first.reassignments), (Some(0), Some(0)));

    assert_eq!(second.line, 3);
    assert!(
        matches!(&*second.target, Target::State(t) if t.state == "on_hold" && t.reason.as_deref() == Some("awaiting_vendor"))
    );
    assert_eq!(second.at, at("2016-03-01T09:05:00+00:00"));
    assert_eq!(second.actor, None);
    assert_eq!(second.caller, None);
    assert_eq!(second.channel, Some(Channel::SelfService));
    assert_eq!(second.configuration_item.as_deref(), Some("CI 4"));
    assert_eq!(
        (second.impact, second.urgency, second.priority),
        (Some(1), Some(2), Some(2))
    );
    assert_eq!(second.group, None);
    assert_eq!(second.person.as_deref(), Some("Resolver 7"));
    assert_eq!(second.resolution_code, None);
    assert_eq!((second.reopens, second.reassignments), (Some(1), Some(2)));
}

#[test]
fn values_keep_inner_spaces_and_quoted_commas_and_unlisted_channels_are_kept() {
    let text = csv(&[row("INC1", "New", "0", "29/2/2016 01:23")
        .replacen("Updated by  1", "\"Updated by  8, night shift\"", 1)
        .replacen("Phone", "Carrier pigeon", 1)]);
    let items = items(&text);
    let row = rows(&items)[0];
    assert_eq!(row.actor.as_deref(), Some("Updated by  8, night shift"));
    assert_eq!(row.channel, Some(Channel::Other("Carrier pigeon".into())));
}

#[test]
fn bad_rows_name_the_mapping_path_the_column_and_the_value_and_the_reading_goes_on() {
    let mut short = row("INC2", "New", "0", "29/2/2016 01:23");
    short.truncate(short.find(",Caller").unwrap());
    let text = csv(&[
        row("INC1", "New", "x", "29/2/2016 01:23"),
        short,
        row("INC1", "New", "1", "30/2/2016 01:23"),
        row("INC3", "New", "0", "29/2/2016 01:23").replacen("2 - Medium", "Medium", 1),
        row("INC4", "New", "0", "?"),
        row("?", "New", "0", "29/2/2016 01:23"),
        row("INC5", "New", "99999999999999999999", "29/2/2016 01:23"),
        row("INC6", "Pending", "0", "29/2/2016 01:23"),
        row("INC7", "-100", "0", "29/2/2016 01:23"),
        row("INC8", "New", "0", "29/2/2016 01:23").replacen(",0,0", ",-1,0", 1),
        row("INC9", "New", "0", "29/2/2016 01:23"),
    ]);
    let items = items(&text);
    let got: Vec<(u64, Option<&str>, String)> = bad(&items)
        .iter()
        .map(|b| (b.line, b.case.as_deref(), b.problem.to_string()))
        .collect();
    let expected: Vec<(u64, Option<&str>, &str)> = vec![
        (
            2,
            Some("INC1"),
            "order.by[0].integer: `x` (column `sys_mod_count`) is not an unsigned integer",
        ),
        (
            3,
            Some("INC2"),
            "fields.channel: column `contact_type` is absent: the row has 6 fields",
        ),
        (
            4,
            Some("INC1"),
            "time.column: `30/2/2016 01:23` (column `sys_updated_at`) does not match the format `%d/%m/%Y %H:%M`: input is out of range",
        ),
        (
            5,
            Some("INC3"),
            "levels.impact: `Medium` (column `impact`) is not a value starting with a level number from 0 to 255",
        ),
        (
            6,
            Some("INC4"),
            "time.column: column `sys_updated_at` has no value (`?`)",
        ),
        (7, None, "case: column `number` has no value (`?`)"),
        (
            8,
            Some("INC5"),
            "order.by[0].integer: `99999999999999999999` (column `sys_mod_count`) is not an unsigned integer",
        ),
        (
            9,
            Some("INC6"),
            "states.values[\"Pending\"]: `Pending` (column `incident_state`) is not in the mapping; add it as a state, an action, \"ignore\" or \"bad_data\"",
        ),
        (
            10,
            Some("INC7"),
            "states.values[\"-100\"]: `-100` is marked bad data by the mapping",
        ),
        (
            11,
            Some("INC8"),
            "counters.reopens: `-1` (column `reopen_count`) is not an unsigned integer",
        ),
    ];
    assert_eq!(
        got,
        expected
            .into_iter()
            .map(|(l, c, m)| (l, c, m.to_owned()))
            .collect::<Vec<_>>()
    );
    let good: Vec<(&str, u64)> = rows(&items)
        .iter()
        .map(|r| (r.case.as_str(), r.line))
        .collect();
    assert_eq!(good, [("INC9", 12)]);
}

#[test]
fn every_column_mistake_is_reported_at_once_with_its_path() {
    let mut mapping = uci();
    mapping.fields.channel = Some("channel_of_contact".into());
    mapping.counters.reopens = Some("reopens".into());
    let text = format!("{HEADER},number\n");
    let Err(OpenError::Mapping(errors)) = open(text.as_bytes(), &mapping, &Policy::servicenow())
    else {
        panic!("expected mapping errors");
    };
    let header: Vec<String> = format!("{HEADER},number")
        .split(',')
        .map(str::to_owned)
        .collect();
    assert_eq!(
        errors.0,
        [
            MappingError::AmbiguousColumn {
                path: "case".into(),
                column: "number".into(),
                positions: vec![1, 19],
            },
            MappingError::UnknownColumn {
                path: "fields.channel".into(),
                column: "channel_of_contact".into(),
                header: header.clone(),
            },
            MappingError::UnknownColumn {
                path: "counters.reopens".into(),
                column: "reopens".into(),
                header,
            },
        ]
    );
    assert!(
        errors.to_string().starts_with(
            "the mapping has 3 mistake(s):\n  - case: column `number` is in the header 2 times (positions 1, 19)"
        ),
        "{errors}"
    );
}

#[test]
fn empty_input_has_an_empty_header_and_a_header_only_log_is_empty() {
    let Err(OpenError::Mapping(errors)) = open(&b""[..], &uci(), &Policy::servicenow()) else {
        panic!("an empty file has no columns");
    };
    assert!(
        errors
            .0
            .iter()
            .all(|e| matches!(e, MappingError::UnknownColumn { .. }))
    );
    assert_eq!(
        errors.0.len(),
        18,
        "case, time, the sort key, the state, nine fields, three levels, two counters: {errors}"
    );
    assert_eq!(items(&csv(&[])), Vec::<Item>::new());
}

#[test]
fn a_case_is_sorted_by_its_integer_key_then_time_then_file_order_and_ends_with_its_block() {
    // Like INC0000137 in the real log: order 1 twice, the later row in the file is earlier.
    let text = csv(&[
        row("INC1", "Closed", "3", "5/3/2016 12:00"),
        row("INC1", "New", "1", "29/2/2016 11:10"),
        row("INC1", "New", "1", "29/2/2016 09:52"),
        row("INC1", "Resolved", "2", "29/2/2016 11:03"),
        row("INC1", "New", "0", "29/2/2016 09:50"),
        // Equal in both keys: file order is kept.
        row("INC1", "Active", "10", "6/3/2016 10:00"),
        row("INC1", "Resolved", "10", "6/3/2016 10:00"),
        row("INC2", "New", "0", "1/3/2016 10:00"),
    ]);
    let items = items(&text);
    let order: Vec<String> = items
        .iter()
        .map(|i| match i {
            Item::Row(r) => format!("{}@{}", r.case, r.line),
            Item::End { case, line } => format!("end {case}@{line}"),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    // Order 10 sorts after 3: the key is compared as an integer, not as text.
    assert_eq!(
        order,
        [
            "INC1@6",
            "INC1@4",
            "INC1@3",
            "INC1@5",
            "INC1@2",
            "INC1@7",
            "INC1@8",
            "end INC1@8",
            "INC2@9",
            "end INC2@9"
        ]
    );
}

#[test]
fn a_case_whose_rows_are_not_contiguous_is_reported_after_its_block() {
    let text = csv(&[
        row("INC9", "New", "0", "29/2/2016 01:00"),
        row("INC2", "New", "0", "29/2/2016 02:00"),
        row("INC9", "Active", "1", "29/2/2016 03:00"),
    ]);
    let mapping = uci();
    let policy = Policy::servicenow();
    let rows = open(text.as_bytes(), &mapping, &policy).unwrap();
    let mut replayer = Replayer::new(&policy, rows.compiled());
    for item in rows {
        replayer.feed(item.unwrap());
    }
    let report = replayer.finish_all();
    assert_eq!(report.incidents, 2);
    let groups: Vec<(&String, usize, &Vec<String>)> = report
        .bad
        .iter()
        .map(|(k, t)| (k, t.count, &t.examples))
        .collect();
    assert_eq!(
        groups,
        [(
            &"order.cases: the case had ended (its block of rows ended)".to_owned(),
            1,
            &vec!["line 4 (INC9)".to_owned()]
        )]
    );
}

#[test]
fn line_numbers_count_physical_lines_whatever_the_line_ends() {
    // The state of the third record is bad, so its line is reported. A quoted value spans two
    // lines in the first record; a blank line sits before the last.
    for end in ["\n", "\r\n", "\r"] {
        let text = format!(
            "id,at,state{end}A,2026-01-01T00:00:00Z,\"open{end}still\"{end}A,2026-01-01T00:01:00Z,open{end}{end}A,2026-01-01T00:02:00Z,bad{end}"
        );
        let mapping = mapping_json(
            r#"{"source": "t", "case": "id",
                "time": {"column": "at", "format": "%Y-%m-%dT%H:%M:%SZ", "zone": "UTC"},
                "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
                "states": {"columns": ["state"], "values": {"open": {"state": "new"}}}}"#,
        );
        let items = items_with(text.as_bytes(), &mapping);
        let bad = bad(&items);
        assert_eq!(bad.len(), 2, "{end:?}: {items:?}");
        assert_eq!(bad[0].line, 2, "{end:?}: the multi-line value's record");
        assert_eq!(bad[0].problem.value(), Some(&*format!("open{end}still")));
        assert_eq!(bad[1].line, 6, "{end:?}: after a blank line");
        assert_eq!(rows(&items)[0].line, 4, "{end:?}");
    }
}

#[test]
fn a_utf8_byte_order_mark_is_not_part_of_the_first_column_name() {
    let mapping = mapping_json(
        r#"{"source": "t", "case": "id",
            "time": {"column": "at", "format": "%s"},
            "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
            "states": {"columns": ["state"], "values": {"open": {"state": "new"}}}}"#,
    );
    let items = items_with(
        "\u{feff}id,at,state\nA,1767225600,open\n".as_bytes(),
        &mapping,
    );
    assert_eq!(rows(&items)[0].at, at("2026-01-01T00:00:00+00:00"));
}

#[test]
fn text_that_is_not_utf8_is_a_bad_row_naming_the_encoding_choice() {
    let mapping = mapping_json(
        r#"{"source": "t", "case": "id",
            "time": {"column": "at", "format": "%s"},
            "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
            "states": {"columns": ["state"], "values": {"open": {"state": "new"}}}}"#,
    );
    let items = items_with(b"id,at,state\nCaf\xe9,1767225600,open\n", &mapping);
    assert_eq!(
        bad(&items)[0].problem.to_string(),
        "case: column `id`: the bytes are not UTF-8 after 3 bytes (is the file in latin-1 or windows-1252?)"
    );
}

#[test]
fn a_file_without_a_header_names_its_columns_by_position() {
    let mapping = mapping_json(
        r#"{"source": "t", "csv": {"header": false, "delimiter": "\t", "quote": null},
            "case": "1", "time": {"column": "2", "format": "%Y-%m-%d %H:%M", "zone": "+05:30"},
            "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
            "states": {"columns": ["3"], "values": {"open": {"state": "new"}}}}"#,
    );
    let items = items_with(
        b"A\t2026-01-01 10:00\topen\nB\t2026-01-01 11:00\t\"open\"\n",
        &mapping,
    );
    let rows = rows(&items);
    assert_eq!(
        (rows[0].line, rows[0].at),
        (1, at("2026-01-01T10:00:00+05:30"))
    );
    // Without quoting, quotes are part of the value.
    assert_eq!(bad(&items)[0].problem.value(), Some("\"open\""));
    let wrong = mapping_json(
        r#"{"source": "t", "csv": {"header": false}, "case": "4",
            "time": {"column": "2", "format": "%s"},
            "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
            "states": {"columns": ["3"], "values": {"open": {"state": "new"}}}}"#,
    );
    let Err(OpenError::Mapping(errors)) = open(&b"A,1,open\n"[..], &wrong, &Policy::servicenow())
    else {
        panic!("column 4 of a three-column file");
    };
    assert_eq!(
        errors.0[0].to_string(),
        "case: column `4` is not in the header; the header has: 1, 2, 3"
    );
}

#[test]
fn missing_markers_trimming_and_level_readings() {
    let mapping = mapping_json(
        r#"{"source": "t", "missing": ["n/a", "-"], "trim": true, "case": "id",
            "time": {"column": "at", "format": "%Y-%m-%dT%H:%M:%S%.f%:z"},
            "fields": {"group": "group"},
            "levels": {
                "impact": {"column": "impact", "by": "number", "default": 3},
                "urgency": {"column": "urgency", "by": "label", "labels": {"Major": 1, "High": 1, "Medium": 2, "Low": 3}},
                "priority": {"column": "priority", "by": "leading_number"}},
            "states": {"columns": ["state"], "values": {"open": {"state": "new"}}}}"#,
    );
    let text = "id,at,state,group,impact,urgency,priority\n\
                A , 2026-01-01T10:00:00.250+01:00 , open , n/a , - , Major , 1 (critical)\n\
                B,2026-01-01T10:00:00+01:00,open,-,2,Medium,\n";
    let items = items_with(text.as_bytes(), &mapping);
    let rows = rows(&items);
    assert_eq!(rows[0].case, "A");
    assert_eq!(rows[0].at, at("2026-01-01T10:00:00.250+01:00"));
    assert_eq!(rows[0].group, None);
    // A missing impact takes the default; a priority is never assumed.
    assert_eq!(
        (rows[0].impact, rows[0].urgency, rows[0].priority),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!(
        (rows[1].impact, rows[1].urgency, rows[1].priority),
        (Some(2), Some(2), None)
    );
}

#[test]
fn interleaved_cases_are_released_in_time_order_within_the_window_and_late_rows_reported() {
    let mapping = mapping_json(
        r#"{"source": "t", "case": "id",
            "time": {"column": "at", "format": "%Y-%m-%d %H:%M", "zone": "UTC"},
            "order": {"cases": "interleaved", "window": "PT5M"},
            "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
            "states": {"columns": ["state"], "values": {"s": {"state": "new"}}}}"#,
    );
    let text = "id,at,state\nA,2026-01-01 10:00,s\nB,2026-01-01 10:04,s\nA,2026-01-01 10:01,s\n\
                B,2026-01-01 10:10,s\nA,2026-01-01 10:04,s\nB,2026-01-01 10:06,s\nA,2026-01-01 10:05,s\n";
    let items = items_with(text.as_bytes(), &mapping);
    let order: Vec<String> = items
        .iter()
        .map(|i| match i {
            Item::Row(r) => format!("{}@{}", r.case, r.at.format("%H:%M")),
            Item::Bad(b) => format!("late line {}", b.line),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    // 10:04 (line 6) comes 6 minutes after 10:10: late. 10:06 and 10:05 are within 5.
    assert_eq!(
        order,
        [
            "A@10:00",
            "A@10:01",
            "B@10:04",
            "late line 6",
            "A@10:05",
            "B@10:06",
            "B@10:10"
        ]
    );
    let Some(Item::Bad(late)) = items.get(3) else {
        panic!()
    };
    assert_eq!(
        late.problem,
        RowProblem::Late {
            at: at("2026-01-01T10:04:00Z").into(),
            latest: at("2026-01-01T10:10:00Z").into(),
            window: "PT5M".into(),
        }
    );
}

#[test]
fn several_state_columns_combine_and_a_missing_sub_status_is_left_out() {
    let mapping = mapping_json(
        r#"{"source": "t", "case": "id",
            "time": {"column": "at", "format": "%s"},
            "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
            "states": {"columns": ["status", "sub"], "separator": " > ", "values": {
                "Open": {"state": "new"}, "Open > Assigned": {"state": "in_progress"}}}}"#,
    );
    let items = items_with(
        b"id,at,status,sub\nA,1,Open,\nA,2,Open,Assigned\nA,3,,Assigned\nA,4,,\n",
        &mapping,
    );
    let values: Vec<&str> = rows(&items).iter().map(|r| r.value.as_str()).collect();
    assert_eq!(values, ["Open", "Open > Assigned"]);
    let problems: Vec<String> = bad(&items).iter().map(|b| b.problem.to_string()).collect();
    assert_eq!(
        problems,
        [
            "states.values[\"Assigned\"]: `Assigned` (column `status` + `sub`) is not in the mapping; add it as a state, an action, \"ignore\" or \"bad_data\"",
            "states.columns: the row has no value in `status` + `sub`",
        ]
    );
}

#[test]
fn ignored_rows_are_counted_not_replayed() {
    let mut mapping = uci();
    mapping.states.values.insert("Draft".into(), Target::Ignore);
    let text = csv(&[row("INC1", "Draft", "0", "nonsense")]);
    let items = items_with(text.as_bytes(), &mapping);
    assert_eq!(items, [Item::Ignored]);
}

#[test]
fn messages_quote_log_values_capped_and_escaped_and_the_report_stays_bounded() {
    // An unmapped state 200 characters long with a bell and a bidirectional override, and
    // an unreadable time with an escape character: the messages quote them through
    // `itsm_core::Quoted` (80 characters, then the length; control and invisible characters
    // escaped), while the problems keep the whole values.
    let long = format!("\u{202e}{}\u{7}", "x".repeat(200));
    let text = csv(&[
        row("INC1", &long, "0", "29/2/2016 01:23"),
        row("INC1", "New", "1", "29/2/2016 \u{1b}[31m01:24"),
    ]);
    let items = items(&text);
    let bad = bad(&items);
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].problem.value(), Some(long.as_str()));
    let message = bad[0].problem.to_string();
    assert!(!message.contains(['\u{7}', '\u{202e}']), "{message}");
    assert!(message.contains("`\\u{202e}xxx"), "{message}");
    assert!(
        message.contains(&format!("… ({} bytes)`", long.len())),
        "{message}"
    );
    assert!(message.len() < 400, "{message}");
    let message = bad[1].problem.to_string();
    assert!(
        message.contains("`29/2/2016 \\u{1b}[31m01:24`"),
        "{message}"
    );
    // The report's kinds and examples are quoted the same way.
    let policy = Policy::servicenow();
    let mapping = uci();
    let rows = open(text.as_bytes(), &mapping, &policy).unwrap();
    let mut replayer = Replayer::new(&policy, rows.compiled());
    for item in rows {
        replayer.feed(item.unwrap());
    }
    let report = replayer.finish_all().to_string();
    assert!(
        !report.contains(['\u{7}', '\u{1b}', '\u{202e}']),
        "{report}"
    );

    // Every distinct unmapped value is a kind of bad row of its own, up to 100 kinds; the
    // rest are counted together, so a log of endless distinct values keeps a small report.
    let rows: Vec<String> = (0..150)
        .map(|i| {
            row(
                &format!("INC{i}"),
                &format!("State {i}"),
                "0",
                "29/2/2016 01:23",
            )
        })
        .collect();
    let text = csv(&rows);
    let rows = open(text.as_bytes(), &mapping, &policy).unwrap();
    let mut replayer = Replayer::new(&policy, rows.compiled());
    for item in rows {
        replayer.feed(item.unwrap());
    }
    let report = replayer.finish_all();
    assert_eq!(report.bad_rows(), 150, "every bad row is counted");
    assert_eq!(report.bad.len(), 101);
    let other = report
        .bad
        .iter()
        .find(|(kind, _)| kind.starts_with("(other kinds"))
        .unwrap();
    assert_eq!(other.1.count, 50);
}
