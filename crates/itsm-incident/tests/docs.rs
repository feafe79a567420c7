//! `docs/incident.md` is checked against the code.
//!
//! The page's generated blocks (the state diagram, the table of commands that keep the state,
//! the ServiceNow permissions and hold reasons, and the ServiceNow policy as JSON) sit between
//! `<!-- name:begin -->` and `<!-- name:end -->` markers. This test regenerates each block
//! from the code and fails when the page differs, so the page cannot drift from
//! [`TRANSITIONS`] and [`Policy::servicenow`]. After a change to either, rewrite the blocks with
//!
//! ```text
//! UPDATE_DOCS=1 cargo test -p itsm-incident --all-features --test docs
//! ```
//!
//! and commit the page. Text outside the markers is never touched.
#![cfg(feature = "serde")]
// Test code: a failed unwrap is a failed test, with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use itsm_incident::StatusKind;
use itsm_incident::{CommandKind, Policy, TRANSITIONS, Workflow, lifecycle};

fn page_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/incident.md")
}

fn mermaid() -> String {
    format!("```mermaid\n{}```\n", lifecycle().to_mermaid())
}

fn workflow_mermaid(workflow: &Workflow) -> String {
    format!("```mermaid\n{}```\n", workflow.lifecycle().to_mermaid())
}

/// The commands that keep the state, from the [`TRANSITIONS`] entries with `from == to`, in
/// [`CommandKind::ALL`] order, with the states in lifecycle order.
fn kept_state_table() -> String {
    let mut out = String::from("| command | keeps the state in |\n|---|---|\n");
    for command in CommandKind::ALL {
        let states: Vec<String> = StatusKind::ALL
            .into_iter()
            .filter(|s| TRANSITIONS.contains(&(*s, command, *s)))
            .map(|s| format!("`{s}`"))
            .collect();
        if !states.is_empty() {
            out.push_str(&format!("| `{command}` | {} |\n", states.join(", ")));
        }
    }
    out
}

fn permissions_table() -> String {
    let policy = Policy::servicenow();
    let mut out = String::from("| command | roles allowed |\n|---|---|\n");
    for command in CommandKind::ALL {
        let roles: Vec<String> = policy
            .permissions
            .roles_for(command.name())
            .map(|r| format!("`{r}`"))
            .collect();
        let roles = if roles.is_empty() {
            "none needed (the host's timer)".to_owned()
        } else {
            roles.join(", ")
        };
        out.push_str(&format!("| `{command}` | {roles} |\n"));
    }
    out
}

fn hold_reasons_table() -> String {
    let yes = |b: bool| if b { "yes" } else { "no" };
    let mut out = String::from(
        "| reason | comment required | cleared by the caller | copied to children |\n|---|---|---|---|\n",
    );
    for rule in Policy::servicenow().hold_reasons {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            rule.reason,
            yes(rule.comment_required),
            yes(rule.cleared_by_caller),
            yes(rule.propagates_to_children)
        ));
    }
    out
}

fn policy_json() -> String {
    let json = serde_json::to_string_pretty(&Policy::servicenow()).unwrap();
    format!("```json\n{json}\n```\n")
}

/// Every generated block of the page: its marker name and its content now.
fn blocks() -> Vec<(&'static str, String)> {
    vec![
        ("mermaid", mermaid()),
        ("mermaid-itop", workflow_mermaid(&Workflow::itop())),
        ("mermaid-glpi", workflow_mermaid(&Workflow::glpi())),
        ("table", kept_state_table()),
        ("permissions", permissions_table()),
        ("hold-reasons", hold_reasons_table()),
        ("policy", policy_json()),
    ]
}

#[test]
fn generated_blocks_match_the_code() {
    itsm_testkit::pin_blocks(
        "docs/incident.md",
        &blocks(),
        "UPDATE_DOCS=1 cargo test -p itsm-incident --all-features --test docs",
    );
}

#[test]
fn the_diagram_draws_every_state_changing_transition() {
    let diagram = mermaid();
    for (from, command, to) in TRANSITIONS.iter().filter(|(f, _, t)| f != t) {
        let edge = diagram
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{from} --> {to} : ")))
            .unwrap_or_else(|| panic!("no edge {from} --> {to} in\n{diagram}"));
        assert!(
            edge.split(" : ")
                .nth(1)
                .unwrap()
                .split(" / ")
                .any(|c| c == command.name()),
            "edge `{edge}` does not name `{command}`"
        );
    }
    assert!(diagram.contains("[*] --> new"));
    for terminal in StatusKind::ALL.into_iter().filter(|s| s.is_terminal()) {
        assert!(diagram.contains(&format!("{terminal} --> [*]")));
    }
}

#[test]
fn the_table_lists_every_command_that_keeps_the_state() {
    let table = kept_state_table();
    let kept = TRANSITIONS.iter().filter(|(f, _, t)| f == t).count();
    let listed: usize = table
        .lines()
        .skip(2)
        .map(|row| row.matches("| `").count() - 1 + row.matches(", `").count())
        .sum();
    assert_eq!(listed, kept, "{table}");
}

fn page() -> String {
    std::fs::read_to_string(page_path()).unwrap()
}

#[test]
fn every_policy_field_is_documented() {
    let page = page();
    let policy = serde_json::to_value(Policy::servicenow()).unwrap();
    let fields = policy.as_object().unwrap();
    let required = fields["required"].as_object().unwrap();
    for field in fields.keys().chain(required.keys()) {
        assert!(
            page.contains(&format!("| `{field}` |")),
            "docs/incident.md has no table row for the policy field `{field}`"
        );
    }
}

#[test]
fn every_schema_file_is_named_on_the_page() {
    let page = page();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("incident-") || name == "priority-matrix.json")
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "{files:?}");
    for file in files {
        assert!(
            page.contains(&format!("schema/{file}")),
            "docs/incident.md does not link docs/schema/{file}"
        );
    }
}
