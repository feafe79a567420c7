//! Tests of the UCI incident log importer: the loader on small inline logs, the committed
//! mapping and matrix files, and the real log when `ITSM_DATA` points at it.
// clippy.toml allows `unwrap` inside `#[test]` functions only; the helpers here are test code too.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use itsm_core::{Impact, Priority, PriorityMatrix, Urgency};
use itsm_examples::uci::{
    BadRow, LevelFormat, LoadError, Log, MappedState, Mapping, load, priority_agreement,
};

fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

fn mapping() -> Mapping {
    let text = std::fs::read_to_string(data_file("uci-mapping.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn matrix() -> PriorityMatrix {
    let text = std::fs::read_to_string(data_file("uci-priority-matrix.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The mapped columns only, in an order unlike the real file's, to show lookup is by name.
const HEADER: &str = "number,incident_state,sys_mod_count,sys_updated_at,sys_updated_by,opened_at,caller_id,contact_type,category,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,closed_code,reopen_count,reassignment_count";

/// A full row with ordinary values for everything but the four fields that matter most.
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

fn load_str(text: &str) -> Log {
    load(text.as_bytes(), &mapping()).unwrap()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

#[test]
fn the_mapping_file_says_what_the_brief_says() {
    let m = mapping();
    assert_eq!(m.source, "uci-incident-event-log");
    assert_eq!(m.columns.id, "number");
    assert_eq!(m.columns.order, "sys_mod_count");
    assert_eq!(m.columns.resolution_code, "closed_code");
    assert_eq!(m.timestamp_format, "%d/%m/%Y %H:%M");
    assert_eq!(m.missing, "?");
    assert_eq!(m.level_format, LevelFormat::LeadingInteger);
    let hold = |r: &str| MappedState::OnHold(r.to_owned());
    let expected = [
        ("New", MappedState::New),
        ("Active", MappedState::InProgress),
        ("Awaiting User Info", hold("awaiting_caller")),
        ("Awaiting Vendor", hold("awaiting_vendor")),
        ("Awaiting Problem", hold("awaiting_problem")),
        ("Awaiting Evidence", hold("awaiting_evidence")),
        ("Resolved", MappedState::Resolved),
        ("Closed", MappedState::Closed),
    ];
    assert_eq!(m.states.len(), expected.len());
    for (name, state) in expected {
        assert_eq!(m.states.get(name), Some(&state), "{name}");
    }
    assert!(!m.states.contains_key("-100"));
    // Round trip.
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<Mapping>(&json).unwrap(), m);
}

#[test]
fn mapped_states_read_as_documented_in_json() {
    let on_hold: MappedState =
        serde_json::from_str(r#"{"status":"on_hold","reason":"awaiting_caller"}"#).unwrap();
    assert_eq!(on_hold, MappedState::OnHold("awaiting_caller".into()));
    let new: MappedState = serde_json::from_str(r#"{"status":"new"}"#).unwrap();
    assert_eq!(new, MappedState::New);
    assert_eq!(
        serde_json::to_string(&MappedState::InProgress).unwrap(),
        r#"{"status":"in_progress"}"#
    );
    assert!(serde_json::from_str::<MappedState>(r#"{"status":"paused"}"#).is_err());
}

#[test]
fn the_mapping_rejects_unknown_fields() {
    let mut value = serde_json::to_value(mapping()).unwrap();
    value["colour"] = serde_json::json!("blue");
    assert!(serde_json::from_value::<Mapping>(value.clone()).is_err());
    let mut value = serde_json::to_value(mapping()).unwrap();
    value["columns"]["colour"] = serde_json::json!("blue");
    assert!(serde_json::from_value::<Mapping>(value).is_err());
}

#[test]
fn the_matrix_file_is_servicenows_scales_with_this_instances_cells() {
    let m = matrix();
    assert_eq!(m.name(), "uci-servicenow-instance");
    let p = |i, u| m.priority(Impact(i), Urgency(u)).unwrap();
    // The instance departs from ServiceNow's default at one cell: (3, 3) gives 4, not 5.
    assert_eq!(p(3, 3), Priority(4));
    assert_eq!(
        PriorityMatrix::servicenow()
            .priority(Impact(3), Urgency(3))
            .unwrap(),
        Priority(5)
    );
    for (i, u, want) in [
        (1, 1, 1),
        (1, 2, 2),
        (1, 3, 3),
        (2, 1, 2),
        (2, 2, 3),
        (2, 3, 4),
        (3, 1, 3),
        (3, 2, 4),
    ] {
        assert_eq!(p(i, u), Priority(want), "impact {i}, urgency {u}");
    }
}

#[test]
fn the_timestamp_format_reads_day_first_dates_without_leading_zeros() {
    let format = mapping().timestamp_format;
    let leap = NaiveDateTime::parse_from_str("29/2/2016 01:16", &format).unwrap();
    assert_eq!(
        leap,
        NaiveDate::from_ymd_opt(2016, 2, 29)
            .unwrap()
            .and_hms_opt(1, 16, 0)
            .unwrap()
    );
    let first = NaiveDateTime::parse_from_str("1/3/2016 9:05", &format).unwrap();
    assert_eq!(first.and_utc(), utc(2016, 3, 1, 9, 5));
    // Day first: 3/1 is the 3rd of January, and 13/1 is not month 13.
    let third = NaiveDateTime::parse_from_str("3/1/2016 00:00", &format).unwrap();
    assert_eq!(third.and_utc(), utc(2016, 1, 3, 0, 0));
}

#[test]
fn a_small_log_is_parsed_field_by_field() {
    let text = csv(&[
        "INC1,New,0,29/2/2016 01:23,Updated by 21,29/2/2016 01:16,Caller 2403,Phone,Category 55,?,2 - Medium,3 - Low,4 - Low,Group 56,?,code 5,0,0".to_owned(),
        "INC1,Awaiting Vendor,1,1/3/2016 9:05,?,29/2/2016 01:16,?,Self service,?,CI 4,1 - High,2 - Medium,2 - High,?,Resolver 7,?,1,2".to_owned(),
    ]);
    let log = load_str(&text);
    assert_eq!(log.bad_rows, Vec::<BadRow>::new());
    assert_eq!(log.incidents.len(), 1);
    let incident = &log.incidents[0];
    assert_eq!(incident.id, "INC1");
    let [first, second] = incident.rows.as_slice() else {
        panic!("expected two rows, got {:?}", incident.rows);
    };
    assert_eq!(first.line, 2);
    assert_eq!(first.state, MappedState::New);
    assert_eq!(first.order, 0);
    assert_eq!(first.updated_at, utc(2016, 2, 29, 1, 23));
    assert_eq!(first.updated_by.as_deref(), Some("Updated by 21"));
    assert_eq!(first.opened_at, Some(utc(2016, 2, 29, 1, 16)));
    assert_eq!(first.caller.as_deref(), Some("Caller 2403"));
    assert_eq!(first.channel.as_deref(), Some("Phone"));
    assert_eq!(first.category.as_deref(), Some("Category 55"));
    assert_eq!(first.configuration_item, None);
    assert_eq!((first.impact, first.urgency, first.priority), (2, 3, 4));
    assert_eq!(first.assignment_group.as_deref(), Some("Group 56"));
    assert_eq!(first.assigned_to, None);
    assert_eq!(first.resolution_code.as_deref(), Some("code 5"));
    assert_eq!((first.reopen_count, first.reassignment_count), (0, 0));

    assert_eq!(second.line, 3);
    assert_eq!(second.state, MappedState::OnHold("awaiting_vendor".into()));
    assert_eq!(second.updated_at, utc(2016, 3, 1, 9, 5));
    assert_eq!(second.updated_by, None);
    assert_eq!(second.caller, None);
    assert_eq!(second.category, None);
    assert_eq!(second.configuration_item.as_deref(), Some("CI 4"));
    assert_eq!((second.impact, second.urgency, second.priority), (1, 2, 2));
    assert_eq!(second.assignment_group, None);
    assert_eq!(second.assigned_to.as_deref(), Some("Resolver 7"));
    assert_eq!(second.resolution_code, None);
    assert_eq!((second.reopen_count, second.reassignment_count), (1, 2));
}

#[test]
fn values_keep_their_inner_spaces_and_quoted_commas() {
    let text = csv(&[
        "INC1,New,0,29/2/2016 01:23,\"Updated by  8, night shift\",29/2/2016 01:16,Caller 1,Phone,Category 1,?,2 - Medium,2 - Medium,3 - Moderate,?,?,code 5,0,0".to_owned(),
    ]);
    let log = load_str(&text);
    assert_eq!(
        log.incidents[0].rows[0].updated_by.as_deref(),
        Some("Updated by  8, night shift")
    );
}

#[test]
fn an_unknown_state_is_a_bad_row_with_its_line() {
    let text = csv(&[
        row("INC1", "New", "0", "29/2/2016 01:23"),
        row("INC1", "-100", "1", "29/2/2016 02:00"),
        row("INC1", "Resolved", "2", "29/2/2016 03:00"),
    ]);
    let log = load_str(&text);
    assert_eq!(log.bad_rows.len(), 1);
    let bad = &log.bad_rows[0];
    assert_eq!((bad.line, bad.id.as_str()), (3, "INC1"));
    assert!(bad.reason.contains("`-100`"), "{}", bad.reason);
    assert!(bad.reason.contains("incident_state"), "{}", bad.reason);
    let states: Vec<_> = log.incidents[0].rows.iter().map(|r| &r.state).collect();
    assert_eq!(states, [&MappedState::New, &MappedState::Resolved]);
    assert_eq!(log.good_rows(), 2);
}

#[test]
fn fields_that_do_not_parse_are_bad_rows_and_the_load_goes_on() {
    let mut short = row("INC2", "New", "0", "29/2/2016 01:23");
    short.truncate(short.find(",Caller").unwrap());
    let mut bad_level = row("INC3", "New", "0", "29/2/2016 01:23");
    bad_level = bad_level.replacen("2 - Medium", "Medium", 1);
    let text = csv(&[
        row("INC1", "New", "x", "29/2/2016 01:23"),
        short,
        row("INC1", "New", "1", "30/2/2016 01:23"),
        bad_level,
        row("INC4", "New", "0", "?"),
        row("?", "New", "0", "29/2/2016 01:23"),
        row("INC5", "New", "99999999999", "29/2/2016 01:23"),
        row("INC6", "New", "0", "29/2/2016 01:23"),
    ]);
    let log = load_str(&text);
    let got: Vec<(u64, &str)> = log
        .bad_rows
        .iter()
        .map(|b| (b.line, b.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "INC1"),
            (3, "INC2"),
            (4, "INC1"),
            (5, "INC3"),
            (6, "INC4"),
            (7, ""),
            (8, "INC5")
        ]
    );
    let reasons: Vec<&str> = log.bad_rows.iter().map(|b| b.reason.as_str()).collect();
    assert_eq!(
        reasons[0],
        "column `sys_mod_count`: `x` is not an unsigned integer"
    );
    assert_eq!(
        reasons[1],
        "column `caller_id` is absent: the row has 6 fields"
    );
    assert!(
        reasons[2].starts_with(
            "column `sys_updated_at`: `30/2/2016 01:23` does not match the timestamp format `%d/%m/%Y %H:%M`"
        ),
        "{}",
        reasons[2]
    );
    assert_eq!(
        reasons[3],
        "column `impact`: `Medium` does not start with a level number from 0 to 255"
    );
    assert_eq!(reasons[4], "column `sys_updated_at` is missing (`?`)");
    assert_eq!(reasons[5], "column `number` is missing (`?`)");
    assert_eq!(
        reasons[6],
        "column `sys_mod_count`: `99999999999` is not an unsigned integer"
    );
    // Incidents whose every row is bad are still listed, with no rows; a row without an id
    // makes no incident.
    let listed: Vec<(&str, usize)> = log
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i.rows.len()))
        .collect();
    assert_eq!(
        listed,
        [
            ("INC1", 0),
            ("INC2", 0),
            ("INC3", 0),
            ("INC4", 0),
            ("INC5", 0),
            ("INC6", 1)
        ]
    );
}

#[test]
fn a_column_missing_from_the_header_is_a_load_error() {
    let mut m = mapping();
    m.columns.channel = "channel_of_contact".to_owned();
    let err = load(csv(&[]).as_bytes(), &m).unwrap_err();
    let LoadError::MissingColumn {
        field,
        column,
        header,
    } = &err
    else {
        panic!("expected MissingColumn, got {err:?}");
    };
    assert_eq!((*field, column.as_str()), ("channel", "channel_of_contact"));
    assert_eq!(header.len(), 18);
    assert!(
        err.to_string().starts_with(
            "the mapping's column `channel_of_contact` (for channel) is not in the header; the header has: number, incident_state,"
        ),
        "{err}"
    );
}

#[test]
fn a_column_named_twice_in_the_header_is_a_load_error() {
    let text = format!("{HEADER},number\n");
    let err = load(text.as_bytes(), &mapping()).unwrap_err();
    assert_eq!(
        err,
        LoadError::AmbiguousColumn {
            field: "id",
            column: "number".into(),
            positions: vec![0, 18],
        }
    );
}

#[test]
fn an_invalid_timestamp_format_is_a_load_error() {
    let mut m = mapping();
    m.timestamp_format = "%d/%m/%Y %Q".to_owned();
    let err = load(csv(&[]).as_bytes(), &m).unwrap_err();
    assert!(
        matches!(&err, LoadError::TimestampFormat { format, .. } if format == "%d/%m/%Y %Q"),
        "{err:?}"
    );
}

#[test]
fn empty_input_has_no_header_and_is_a_load_error() {
    let err = load(&b""[..], &mapping()).unwrap_err();
    assert!(
        matches!(&err, LoadError::MissingColumn { field: "id", .. }),
        "{err:?}"
    );
}

#[test]
fn a_header_only_log_is_empty() {
    let log = load_str(&csv(&[]));
    assert_eq!(log.incidents.len(), 0);
    assert_eq!(log.bad_rows.len(), 0);
}

#[test]
fn rows_are_sorted_by_order_then_by_update_time() {
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
    ]);
    let log = load_str(&text);
    let got: Vec<(u32, u64)> = log.incidents[0]
        .rows
        .iter()
        .map(|r| (r.order, r.line))
        .collect();
    // Order 10 sorts after 3: the order is compared as an integer, not as text.
    assert_eq!(
        got,
        [(0, 6), (1, 4), (1, 3), (2, 5), (3, 2), (10, 7), (10, 8)]
    );
}

#[test]
fn incidents_keep_the_order_their_ids_first_appear() {
    let text = csv(&[
        row("INC9", "New", "0", "29/2/2016 01:00"),
        row("INC2", "New", "0", "29/2/2016 02:00"),
        row("INC9", "Active", "1", "29/2/2016 03:00"),
        row("INC5", "New", "0", "29/2/2016 04:00"),
        row("INC2", "Active", "1", "29/2/2016 05:00"),
    ]);
    let log = load_str(&text);
    let got: Vec<(&str, usize)> = log
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i.rows.len()))
        .collect();
    assert_eq!(got, [("INC9", 2), ("INC2", 2), ("INC5", 1)]);
}

#[test]
fn line_numbers_count_lines_not_records() {
    // A quoted value spanning two lines: the next row starts on line 4.
    let first =
        row("INC1", "New", "0", "29/2/2016 01:00").replacen("Caller 2403", "\"Caller\n2403\"", 1);
    let text = csv(&[first, row("INC1", "-100", "1", "29/2/2016 02:00")]);
    let log = load_str(&text);
    assert_eq!(
        log.incidents[0].rows[0].caller.as_deref(),
        Some("Caller\n2403")
    );
    assert_eq!(log.bad_rows[0].line, 4);
}

#[test]
fn priority_agreement_counts_agreements_disagreements_and_levels_off_the_scale() {
    let with_levels = |id: &str, levels: &str| {
        row(id, "New", "0", "29/2/2016 01:00").replacen(
            "2 - Medium,2 - Medium,3 - Moderate",
            levels,
            1,
        )
    };
    let text = csv(&[
        with_levels("INC1", "2 - Medium,2 - Medium,3 - Moderate"),
        with_levels("INC2", "3 - Low,3 - Low,4 - Low"),
        with_levels("INC3", "3 - Low,3 - Low,4 - Low"),
        with_levels("INC4", "4 - Tiny,1 - High,3 - Moderate"),
    ]);
    let log = load_str(&text);
    let sn = priority_agreement(&log, &PriorityMatrix::servicenow());
    assert_eq!((sn.rows, sn.agree), (4, 1));
    assert_eq!(
        sn.disagreements.into_iter().collect::<Vec<_>>(),
        [((3, 3, 4), (5, 2))]
    );
    assert_eq!(
        sn.off_scale.into_iter().collect::<Vec<_>>(),
        [((4, 1, 3), 1)]
    );
    let ours = priority_agreement(&log, &matrix());
    assert_eq!((ours.rows, ours.agree), (4, 3));
    assert!(ours.disagreements.is_empty());
    assert_eq!(ours.share(), Some(0.75));
}

/// The real log, when `ITSM_DATA` names the folder that holds `uci-incident-event-log/`.
#[test]
fn the_real_log_loads_with_five_bad_rows_and_full_priority_agreement() {
    let Some(path) = itsm_examples::real_data::locate(
        "the_real_log_loads_with_five_bad_rows_and_full_priority_agreement",
        "uci-incident-event-log/incident_event_log.csv",
    ) else {
        return;
    };
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        panic!(
            "ITSM_DATA is set but {} cannot be opened: {e}; fix ITSM_DATA or unset it to skip this test",
            path.display()
        )
    });
    let log = load(std::io::BufReader::new(file), &mapping()).unwrap();

    assert_eq!(log.incidents.len(), 24_918);
    assert_eq!(log.good_rows(), 141_707);
    assert_eq!(log.bad_rows.len(), 5, "{:#?}", log.bad_rows);
    for bad in &log.bad_rows {
        assert!(bad.reason.contains("-100"), "{bad:?}");
    }
    let bad: Vec<(u64, &str)> = log
        .bad_rows
        .iter()
        .map(|b| (b.line, b.id.as_str()))
        .collect();
    assert_eq!(
        bad,
        [
            (115_643, "INC0028089"),
            (115_644, "INC0028089"),
            (124_509, "INC0030413"),
            (124_510, "INC0030413"),
            (124_511, "INC0030413")
        ]
    );
    assert_eq!(log.incidents[0].id, "INC0000045");
    for incident in &log.incidents {
        assert!(!incident.rows.is_empty(), "{}", incident.id);
        assert!(
            incident
                .rows
                .windows(2)
                .all(|w| (w[0].order, w[0].updated_at) <= (w[1].order, w[1].updated_at)),
            "{}",
            incident.id
        );
        // Every incident ends closed in this log.
        assert_eq!(
            incident.rows.last().map(|r| &r.state),
            Some(&MappedState::Closed),
            "{}",
            incident.id
        );
    }

    let agreement = priority_agreement(&log, &matrix());
    assert_eq!(agreement.rows, 141_707);
    assert!(agreement.disagreements.is_empty(), "{agreement:?}");
    assert!(agreement.off_scale.is_empty(), "{agreement:?}");
    assert_eq!(agreement.agree, agreement.rows);
    // ServiceNow's default matrix disagrees on exactly the (3, 3) cell.
    let default = priority_agreement(&log, &PriorityMatrix::servicenow());
    assert_eq!(
        default.disagreements.into_iter().collect::<Vec<_>>(),
        [((3, 3, 4), (5, 3_431))]
    );
}
