//! `docs/catalogue.md`'s generated blocks match the code: the request, item, task and
//! service state diagrams from their tables, and the rule deriving a request's state.
//! After an intended change: `UPDATE_DOCS=1 cargo test -p itsm-catalogue --test docs`.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_catalogue::{
    REQUEST_RULE, item_lifecycle, request_lifecycle, service_lifecycle, task_lifecycle,
};

fn blocks() -> Vec<(&'static str, String)> {
    let diagram = |lc: itsm_catalogue::Lifecycle| format!("```mermaid\n{}```\n", lc.to_mermaid());
    let mut rule = String::from("| request | when (first match wins) |\n|---|---|\n");
    for (stage, when) in REQUEST_RULE {
        rule.push_str(&format!("| `{stage}` | {when} |\n"));
    }
    vec![
        ("mermaid-request", diagram(request_lifecycle().unwrap())),
        ("request-rule", rule),
        ("mermaid-item", diagram(item_lifecycle().unwrap())),
        ("mermaid-task", diagram(task_lifecycle().unwrap())),
        ("mermaid-service", diagram(service_lifecycle().unwrap())),
    ]
}

#[test]
fn generated_blocks_match_the_code() {
    itsm_testkit::pin_blocks(
        "docs/catalogue.md",
        &blocks(),
        "UPDATE_DOCS=1 cargo test -p itsm-catalogue --all-features --test docs",
    );
}

/// The derived rule and the request table agree: every pair of item states the rule can
/// move between is listed (checked over every reachable list of up to three item states and
/// every single-item move; the property test covers the moves of many items at once).
#[test]
fn the_request_table_lists_every_derived_move() {
    use itsm_catalogue::{ITEM_TRANSITIONS, REQUEST_TRANSITIONS, Stage, derive_stage};
    let mut sets: Vec<Vec<Stage>> = vec![vec![]];
    for _ in 0..3 {
        let mut next = Vec::new();
        for s in &sets {
            for st in Stage::ALL {
                let mut t = s.clone();
                t.push(st);
                next.push(t);
            }
        }
        sets.extend(next);
    }
    // Items leave `submitted` in the answer that submits them, before any item can close:
    // a submitted item sits only beside open ones.
    let reachable = |s: &&Vec<Stage>| {
        let submitted_beside_closed =
            s.contains(&Stage::Submitted) && s.iter().any(|x| x.is_terminal());
        !s.is_empty() && !submitted_beside_closed
    };
    for items in sets.iter().filter(reachable) {
        for (i, from) in items.iter().enumerate() {
            for (_, _, to) in ITEM_TRANSITIONS.iter().filter(|(f, _, _)| f == from) {
                let mut after = items.clone();
                after[i] = *to;
                if !reachable(&&after) {
                    continue;
                }
                let (a, b) = (derive_stage(items.clone()), derive_stage(after));
                if a != b {
                    assert!(
                        REQUEST_TRANSITIONS
                            .iter()
                            .any(|(x, _, y)| *x == a && *y == b),
                        "{items:?}: request {a} -> {b} is missing"
                    );
                }
            }
        }
    }
}
