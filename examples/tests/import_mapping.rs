//! The mapping format: its JSON forms and their messages, the pinned JSON Schema, every
//! mistake reported at once with its path, and the committed mapping and policy files.
// clippy.toml allows `unwrap` inside `#[test]` functions only; the helpers here are test code too.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use itsm_examples::import::{Action, Mapping, MappingError, OpenError, StateTarget, Target, open};
use itsm_incident::{Policy, ReopenClosed};

fn data(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(name),
    )
    .unwrap()
}

fn header(names: &str) -> Vec<String> {
    names.split(',').map(str::to_owned).collect()
}

/// The UCI log's header (36 columns).
const UCI_HEADER: &str = "number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at";

/// The helpdesk log's header: `Variant` twice.
const HELPDESK_HEADER: &str = "Case ID,Activity,Resource,Complete Timestamp,Variant,Variant index,Variant,seriousness,customer,product,responsible_section,seriousness_2,service_level,service_type,support_section,workgroup";

#[test]
fn the_committed_mappings_fit_their_logs_headers_and_round_trip() {
    let uci_policy = itsm_examples::uci_policy().unwrap();
    for (file, names, policy) in [
        ("uci-mapping.json", UCI_HEADER, &uci_policy),
        (
            "helpdesk-mapping.json",
            HELPDESK_HEADER,
            &Policy::servicenow(),
        ),
    ] {
        let mapping: Mapping = serde_json::from_str(&data(file)).unwrap();
        if let Err(e) = mapping.compile(&header(names), policy) {
            panic!("{file}: {e}");
        }
        let json = serde_json::to_string(&mapping).unwrap();
        assert_eq!(
            serde_json::from_str::<Mapping>(&json).unwrap(),
            mapping,
            "{file}"
        );
    }
}

#[test]
fn the_uci_mapping_says_what_the_data_readme_says() {
    let m: Mapping = serde_json::from_str(&data("uci-mapping.json")).unwrap();
    assert_eq!(m.source, "uci-incident-event-log");
    assert_eq!(m.case, "number");
    assert_eq!(m.time.format, "%d/%m/%Y %H:%M");
    assert_eq!(m.time.zone.as_deref(), Some("UTC"));
    assert_eq!(m.missing, ["?"]);
    let state = |s: &str, r: Option<&str>| {
        Target::State(StateTarget {
            state: s.into(),
            reason: r.map(str::to_owned),
            code: None,
            then: Vec::new(),
        })
    };
    let expected = [
        ("New", state("new", None)),
        ("Active", state("in_progress", None)),
        (
            "Awaiting User Info",
            state("on_hold", Some("awaiting_caller")),
        ),
        ("Awaiting Vendor", state("on_hold", Some("awaiting_vendor"))),
        (
            "Awaiting Problem",
            state("on_hold", Some("awaiting_problem")),
        ),
        (
            "Awaiting Evidence",
            state("on_hold", Some("awaiting_evidence")),
        ),
        ("Resolved", state("resolved", None)),
        ("Closed", state("closed", None)),
        ("-100", Target::BadData),
    ];
    assert_eq!(m.states.values.len(), expected.len());
    for (name, target) in expected {
        assert_eq!(m.states.values.get(name), Some(&target), "{name}");
    }
}

#[test]
fn the_policy_files_are_the_uci_policy_and_its_reopen_from_closed_variant() {
    let uci = itsm_examples::uci_policy().unwrap();
    let file: Policy = serde_json::from_str(&data("uci-policy.json")).unwrap();
    assert_eq!(
        file, uci,
        "uci-policy.json must stay itsm_examples::uci_policy()"
    );
    let reopen: Policy = serde_json::from_str(&data("policy-reopen-closed.json")).unwrap();
    assert_eq!(
        reopen.workflow.spec().reopen_closed,
        ReopenClosed::Within(chrono::Duration::days(60))
    );
    assert_eq!(
        reopen.workflow.target("closed", "reopen"),
        Some("in_progress")
    );
    assert_eq!(uci.workflow.target("closed", "reopen"), None);
    // Everything else is the UCI policy.
    let mut same = reopen.clone();
    same.workflow = uci.workflow.clone();
    assert_eq!(same, uci);
}

#[test]
fn targets_read_in_their_four_forms_and_say_which_form_was_meant() {
    let target = |json: &str| serde_json::from_str::<Target>(json);
    assert_eq!(target(r#""ignore""#).unwrap(), Target::Ignore);
    assert_eq!(target(r#""bad_data""#).unwrap(), Target::BadData);
    assert_eq!(
        target(r#"{"action": "unassign"}"#).unwrap(),
        Target::Action(Action::Unassign)
    );
    assert_eq!(
        target(r#"{"state": "in_progress", "then": ["assign", "comment"], "code": "x"}"#).unwrap(),
        Target::State(StateTarget {
            state: "in_progress".into(),
            reason: None,
            code: Some("x".into()),
            then: vec![Action::Assign, Action::Comment],
        })
    );
    for (json, message) in [
        (
            r#""skip""#,
            "unknown target `skip`: a target is \"ignore\", \"bad_data\", {\"state\": ...} or {\"action\": ...}",
        ),
        (
            r#"{"state": "new", "action": "assign"}"#,
            "a target has `state` or `action`, not both",
        ),
        (
            r#"{"action": "assign", "reason": "x"}"#,
            "an action target takes only `action`",
        ),
        (
            r#"{"reason": "x"}"#,
            "a target object needs `state` or `action`",
        ),
        (
            r#"{"action": "escalate"}"#,
            "unknown variant `escalate`, expected one of `assign`, `reassign`, `unassign`, `reprioritize`, `comment`, `reopen`, `caller_responded`",
        ),
        (
            r#"{"state": "new", "colour": "red"}"#,
            "unknown field `colour`",
        ),
        (
            "7",
            "invalid type: integer `7`, expected \"ignore\", \"bad_data\", {\"state\": ...} or {\"action\": ...}",
        ),
    ] {
        let err = target(json).unwrap_err().to_string();
        assert!(err.starts_with(message), "{json}: {err}");
    }
    // Written back in the same forms.
    for json in [
        r#""ignore""#,
        r#""bad_data""#,
        r#"{"action":"reopen"}"#,
        r#"{"state":"on_hold","reason":"awaiting_caller"}"#,
    ] {
        assert_eq!(serde_json::to_string(&target(json).unwrap()).unwrap(), json);
    }
}

#[test]
fn a_mapping_with_several_mistakes_reports_all_of_them_with_paths() {
    let mapping: Mapping = serde_json::from_str(
        r#"{
        "source": "broken",
        "case": "Ticket",
        "time": {"column": "When", "format": "%d/%m/%Y %H:%M"},
        "order": {"cases": "interleaved", "by": [{"integer": "Seq"}, "time"], "window": "-PT5M"},
        "states": {"columns": ["Status", "Sub Status"], "values": {
            "Open": {"state": "in_progress"},
            "Awaiting X": {"state": "on_hold", "reason": "awaiting_godot"},
            "Parked": {"state": "on_hold"},
            "Done": {"state": "resolved", "reason": "awaiting_caller"},
            "Limbo": {"state": "purgatory"},
            "Queue": {"action": "unassign"},
            "Grab": {"action": "assign"}
        }},
        "levels": {
            "impact": {"column": "Impact", "by": "label", "labels": {"Major": 0, "High": 1}},
            "urgency": {"column": "Urgency", "labels": {"High": 1}},
            "priority": {"by": "label", "default": 3}
        }
    }"#,
    )
    .unwrap();
    let header = header("Ticket,When,Status,Impact,Urgency");
    let errors = mapping.compile(&header, &Policy::servicenow()).unwrap_err();
    let got: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    let expected = [
        "time.zone: the format `%d/%m/%Y %H:%M` has no offset (%z, %:z, %#z) or Unix time (%s), so name the zone its times are in: an IANA name such as `Europe/Rome`, `UTC`, or an offset such as `+02:00`",
        "order.by[0].integer: column `Seq` is not in the header; the header has: Ticket, When, Status, Impact, Urgency",
        "order.by: interleaved cases are replayed in time order, so the first key must be \"time\"",
        "order.window: the window must not be negative",
        "states.columns[1]: column `Sub Status` is not in the header; the header has: Ticket, When, Status, Impact, Urgency",
        "states.values[\"Awaiting X\"].reason: hold reason `awaiting_godot` is not in the policy; it allows: awaiting_caller, awaiting_change, awaiting_problem, awaiting_vendor, awaiting_evidence",
        "states.values[\"Done\"].reason: state `resolved` is not on hold (its kind is `resolved`), so it takes no hold reason",
        "states.values[\"Grab\"].action: `assign` reads fields.group or fields.person, and the mapping names none of them",
        "states.values[\"Limbo\"].state: `purgatory` is not a state of workflow `servicenow`; it has: new, in_progress, on_hold, resolved, closed, canceled",
        "states.values[\"Parked\"].reason: state `on_hold` is on hold, so give a hold reason (`\"reason\": \"awaiting_caller\"`); the policy allows: awaiting_caller, awaiting_change, awaiting_problem, awaiting_vendor, awaiting_evidence",
        "states.values[\"Queue\"].action: workflow `servicenow` accepts `unassign` in no state (its `unassign` option is off)",
        "levels.impact.labels[\"Major\"]: 0 is not on the matrix's impact scale",
        "levels.urgency.labels: labels are read only with `\"by\": \"label\"`",
        "levels.priority.labels: `\"by\": \"label\"` needs labels (`{\"High\": 1, \"Low\": 3}`)",
        "levels.priority.default: the log's priority is compared with the policy's matrix, never assumed; remove the default",
    ];
    assert_eq!(got, expected, "{errors}");
    assert!(
        errors
            .to_string()
            .starts_with("the mapping has 15 mistake(s):\n  - time.zone: ")
    );
}

#[test]
fn zones_and_formats_are_checked() {
    let with_time = |time: &str| -> Vec<MappingError> {
        let json = format!(
            r#"{{"source": "t", "case": "id", "time": {time},
                "levels": {{"impact": {{"default": 1}}, "urgency": {{"default": 1}}}},
                "states": {{"columns": ["s"], "values": {{"x": {{"state": "new"}}}}}}}}"#
        );
        let mapping: Mapping = serde_json::from_str(&json).unwrap();
        match mapping.compile(&header("id,at,s"), &Policy::servicenow()) {
            Ok(_) => Vec::new(),
            Err(e) => e.0,
        }
    };
    assert!(
        with_time(r#"{"column": "at", "format": "%Y-%m-%d %H:%M", "zone": "Europe/Rome"}"#)
            .is_empty()
    );
    assert!(
        with_time(r#"{"column": "at", "format": "%Y-%m-%d %H:%M", "zone": "-03:30"}"#).is_empty()
    );
    assert!(with_time(r#"{"column": "at", "format": "%+"}"#).is_empty());
    assert!(with_time(r#"{"column": "at", "format": "%Y-%m-%d %H:%M %#z"}"#).is_empty());
    assert!(with_time(r#"{"column": "at", "format": "%s"}"#).is_empty());
    assert_eq!(
        with_time(r#"{"column": "at", "format": "%Y-%m-%d %H:%M", "zone": "Mars/Olympus"}"#),
        [MappingError::UnknownZone {
            path: "time.zone".into(),
            zone: "Mars/Olympus".into()
        }]
    );
    assert_eq!(
        with_time(r#"{"column": "at", "format": "%Y-%m-%dT%H:%M:%S%:z", "zone": "UTC"}"#),
        [MappingError::ZoneUnused {
            path: "time.zone".into(),
            zone: "UTC".into()
        }]
    );
    let bad = with_time(r#"{"column": "at", "format": "%Y-%m-%d %Q", "zone": "UTC"}"#);
    assert!(
        matches!(&bad[..], [MappingError::InvalidTimeFormat { path, format, .. }] if path == "time.format" && format == "%Y-%m-%d %Q"),
        "{bad:?}"
    );
}

#[test]
fn a_delimiter_that_cannot_split_the_file_is_reported_with_the_rest() {
    let mapping: Mapping = serde_json::from_str(
        r#"{"source": "t", "csv": {"delimiter": "→", "quote": "→"}, "case": "id",
            "time": {"column": "at", "format": "%s"},
            "states": {"columns": ["s"], "values": {"x": {"state": "nowhere"}}}}"#,
    )
    .unwrap();
    let Err(OpenError::Mapping(errors)) = open(&b"id,at,s\n"[..], &mapping, &Policy::servicenow())
    else {
        panic!("the delimiter is not ASCII")
    };
    let got: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "csv.delimiter: `\\u{2192}` cannot separate or quote fields; use one ASCII character other than a line end (`,`, `;`, a tab, `\"`)",
            "csv.quote: `\\u{2192}` cannot separate or quote fields; use one ASCII character other than a line end (`,`, `;`, a tab, `\"`)",
            "states.values[\"x\"].state: `nowhere` is not a state of workflow `servicenow`; it has: new, in_progress, on_hold, resolved, closed, canceled",
            "levels.impact: the incident's report needs this level: name a column or give a default",
            "levels.urgency: the incident's report needs this level: name a column or give a default",
        ]
    );
}

#[test]
fn vendor_state_names_are_checked_against_the_policy_s_workflow() {
    let mapping: Mapping = serde_json::from_str(
        r#"{"source": "t", "case": "id", "time": {"column": "at", "format": "%s"},
            "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
            "states": {"columns": ["s"], "values": {
                "A": {"state": "assigned"}, "P": {"state": "pending", "reason": "awaiting_vendor"}}}}"#,
    )
    .unwrap();
    let header = header("id,at,s");
    assert!(mapping.compile(&header, &Policy::itop()).is_ok());
    let errors = mapping.compile(&header, &Policy::servicenow()).unwrap_err();
    assert_eq!(errors.0.len(), 2, "{errors}");
}

/// The full example of `docs/import.md` (its first `json` block) fits the header printed
/// above it, under ServiceNow's workflow with `unassign` allowed.
#[test]
fn the_guide_s_full_example_is_a_valid_mapping() {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/import.md"))
            .unwrap();
    let block = |fence: &str| -> String {
        let start = guide.find(fence).unwrap() + fence.len();
        let end = start + guide[start..].find("```").unwrap();
        guide[start..end].trim().to_owned()
    };
    let mapping: Mapping = serde_json::from_str(&block("```json\n")).unwrap();
    let mut spec = itsm_incident::WorkflowSpec::default();
    spec.unassign = true;
    let mut policy = Policy::servicenow();
    policy.workflow = itsm_incident::Workflow::new(spec).unwrap();
    let header: Vec<String> = block("```text\n").split(';').map(str::to_owned).collect();
    if let Err(e) = mapping.compile(&header, &policy) {
        panic!("{e}");
    }
    // Without `unassign`, the guide's mapping is refused, with the path.
    let errors = mapping.compile(&header, &Policy::servicenow()).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "the mapping has 1 mistake(s):\n  - states.values[\"Returned to queue\"].action: workflow `servicenow` accepts `unassign` in no state (its `unassign` option is off)"
    );
}

#[test]
fn the_mapping_schema_is_pinned() {
    itsm_testkit::pin_schema::<Mapping>(
        "import-mapping.json",
        "UPDATE_SCHEMAS=1 cargo test -p itsm-examples --test import_mapping",
    );
}
