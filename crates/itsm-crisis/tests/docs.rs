//! `docs/crisis.md`'s state diagrams match the code: generated from the tables.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

#[test]
fn generated_blocks_match_the_code() {
    let event = format!("```mermaid\n{}```\n", itsm_crisis::mermaid());
    let task = format!("```mermaid\n{}```\n", itsm_crisis::task_mermaid());
    itsm_testkit::pin_blocks(
        "docs/crisis.md",
        &[("mermaid:crisis", event), ("mermaid:crisis-task", task)],
        "UPDATE_DOCS=1 cargo test -p itsm-crisis --all-features --test docs",
    );
}
