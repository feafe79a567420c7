//! `docs/alert.md`'s state diagram matches the code: generated from `TRANSITIONS`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

#[test]
fn generated_blocks_match_the_code() {
    let diagram = format!("```mermaid\n{}```\n", itsm_alert::mermaid());
    itsm_testkit::pin_blocks(
        "docs/alert.md",
        &[("mermaid:alert", diagram)],
        "UPDATE_DOCS=1 cargo test -p itsm-alert --all-features --test docs",
    );
}
