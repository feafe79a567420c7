//! `docs/approval.md` is checked against the code.
//!
//! The page's generated blocks (the lifecycle diagram, the commands that keep the state, the
//! quorum table, the presets and their diagrams, and an example explanation) sit between
//! `<!-- name:begin -->` and `<!-- name:end -->` markers. This test regenerates each block
//! from the code and fails when the page differs, so the page cannot drift from
//! [`TRANSITIONS`], [`Quorum::required`] and the presets. After a change, rewrite the blocks
//! with
//!
//! ```text
//! UPDATE_DOCS=1 cargo test -p itsm-approval --all-features --test docs
//! ```
//!
//! and commit the page. Text outside the markers is never touched.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::PathBuf;

use common::{
    ANA, BEN, CAB, CAT, DAN, EVE, OUTSIDER, REQUESTER, approve, by, delegate, given, open, reject,
    request,
};
use itsm_approval::{
    CommandKind, GroupId, Outcome, Policy, Quorum, RefusalRule, StatusKind, TRANSITIONS, UserId,
    lifecycle,
};

fn fenced(lang: &str, text: &str) -> String {
    format!("```{lang}\n{text}```\n")
}

/// The commands that keep the state: the [`TRANSITIONS`] entries with `from == to`.
fn kept_state_table() -> String {
    let mut out = String::from("| command | keeps the state in | when |\n|---|---|---|\n");
    for command in CommandKind::ALL {
        for state in StatusKind::ALL {
            if TRANSITIONS.contains(&(state, command, state)) {
                let when = match command {
                    CommandKind::Approve => {
                        "the open stage's quorum is not met yet, or it is met and a later stage opens"
                    }
                    CommandKind::Reject => {
                        "the open stage's quorum is still possible (and the stage does not refuse on the first rejection)"
                    }
                    CommandKind::Delegate => {
                        "always: a delegation hands a seat on, it decides nothing"
                    }
                    _ => "",
                };
                out.push_str(&format!("| `{command}` | `{state}` | {when} |\n"));
            }
        }
    }
    out
}

/// Approvals required of M eligible seats, for M from 1 to 7.
fn quorum_table() -> String {
    let quorums = [
        Quorum::Any,
        Quorum::All,
        Quorum::Majority,
        Quorum::Count(2),
        Quorum::Percent(50),
        Quorum::Percent(60),
        Quorum::Percent(100),
    ];
    let mut out = String::from("| quorum | JSON |");
    for m in 1..=7 {
        out.push_str(&format!(" M = {m} |"));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(7));
    out.push('\n');
    for quorum in quorums {
        let json = serde_json::to_string(&quorum).unwrap();
        out.push_str(&format!("| {quorum} | `{json}` |"));
        for m in 1..=7u32 {
            let required = quorum.required(m);
            if required > m {
                // N of M above M: the request is refused as undecidable.
                out.push_str(" refused |");
            } else {
                out.push_str(&format!(" {required} |"));
            }
        }
        out.push('\n');
    }
    out
}

fn presets() -> Vec<(&'static str, Policy)> {
    let (a, b) = (GroupId::from_u128(1), GroupId::from_u128(2));
    vec![
        ("Policy::cab(group)", Policy::cab(a)),
        ("Policy::cab_any(group)", Policy::cab_any(a)),
        ("Policy::ecab(group)", Policy::ecab(a)),
        (
            "Policy::technical_then_business(technical, business)",
            Policy::technical_then_business(a, b),
        ),
    ]
}

fn presets_table() -> String {
    let mut out = String::from(
        "| preset | name | stages (quorum, refusal) | separation of duties | delegation |\n|---|---|---|---|---|\n",
    );
    for (call, policy) in presets() {
        let stages: Vec<String> = policy
            .stages()
            .iter()
            .map(|s| {
                let refusal = match s.refusal {
                    RefusalRule::QuorumImpossible => "when impossible",
                    RefusalRule::FirstRejection => "first rejection",
                };
                format!("`{}` ({}, {refusal})", s.name, s.quorum)
            })
            .collect();
        let parties: Vec<String> = policy.stages()[0]
            .separation_of_duties
            .iter()
            .map(ToString::to_string)
            .collect();
        let delegation = serde_json::to_value(policy.delegation()).unwrap();
        out.push_str(&format!(
            "| `{call}` | `{}` | {} | {} | `{}` |\n",
            policy.name(),
            stages.join(" then "),
            parties.join(", "),
            delegation.as_str().unwrap()
        ));
    }
    out
}

/// A CAB story whose explanation the page quotes: people are shown by their ids.
fn explanation() -> String {
    let members: &[UserId] = &[ANA, BEN, CAT, DAN, OUTSIDER, REQUESTER];
    let (state, _) = given(
        &Policy::cab(CAB),
        &[
            open(request(&[(CAB, members)])),
            by(ANA, delegate(EVE)),
            by(EVE, approve()),
            by(BEN, reject("no backout plan")),
            by(CAT, approve()),
            by(DAN, approve()),
        ],
    );
    let Outcome::Approved { decisions } = state.outcome() else {
        panic!("{state:?}")
    };
    fenced("text", &format!("{}\n", decisions[0]))
}

/// Every generated block of the page: its marker name and its content now.
fn blocks() -> Vec<(&'static str, String)> {
    vec![
        ("mermaid", fenced("mermaid", &lifecycle().to_mermaid())),
        ("kept", kept_state_table()),
        ("quorums", quorum_table()),
        ("presets", presets_table()),
        (
            "mermaid-technical-then-business",
            fenced("mermaid", &presets()[3].1.to_mermaid()),
        ),
        ("explanation", explanation()),
    ]
}

#[test]
fn generated_blocks_match_the_code() {
    itsm_testkit::pin_blocks(
        "docs/approval.md",
        &blocks(),
        "UPDATE_DOCS=1 cargo test -p itsm-approval --all-features --test docs",
    );
}

#[test]
fn the_diagram_draws_every_state_changing_transition() {
    let diagram = lifecycle().to_mermaid();
    for (from, command, to) in TRANSITIONS.iter().filter(|(f, _, t)| f != t) {
        assert!(
            diagram.contains(&format!("{from} --> {to} : {command}")),
            "no edge {from} --{command}--> {to} in\n{diagram}"
        );
    }
    assert!(diagram.contains("[*] --> unrequested"));
    for terminal in StatusKind::ALL.into_iter().filter(|s| s.is_terminal()) {
        assert!(diagram.contains(&format!("{terminal} --> [*]")));
    }
}

fn page() -> String {
    std::fs::read_to_string(itsm_testkit::workspace_root().join("docs/approval.md")).unwrap()
}

#[test]
fn every_policy_field_is_documented() {
    let page = page();
    let policy = serde_json::to_value(Policy::ecab(CAB)).unwrap();
    let fields = policy.as_object().unwrap();
    let stage = fields["stages"][0].as_object().unwrap();
    for field in fields.keys().chain(stage.keys()) {
        assert!(
            page.contains(&format!("| `{field}` |")),
            "docs/approval.md has no table row for the policy field `{field}`"
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
        .filter(|name| name.starts_with("approval-"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4, "{files:?}");
    for file in files {
        assert!(
            page.contains(&format!("schema/{file}")),
            "docs/approval.md does not link docs/schema/{file}"
        );
    }
}

#[test]
fn every_error_of_decide_is_named_on_the_page() {
    let page = page();
    for variant in [
        "NotAllowed",
        "ClockWentBackwards",
        "MissingMembers",
        "Undecidable",
        "NotAnApprover",
        "SeparationOfDuties",
        "MissingRole",
        "AlreadyAnswered",
        "SeatDelegated",
        "DelegationForbidden",
        "RedelegationForbidden",
        "DelegationCycle",
        "DelegateExcluded",
        "DelegateAlreadySeated",
        "RoleSeatNotDelegable",
        "MissingField",
    ] {
        assert!(
            page.contains(&format!("`{variant}`")),
            "docs/approval.md does not name `{variant}`"
        );
    }
}
