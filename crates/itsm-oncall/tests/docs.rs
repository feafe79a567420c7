//! `docs/oncall.md`'s state diagram matches the code: generated from `TRANSITIONS`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

#[test]
fn generated_blocks_match_the_code() {
    let diagram = format!("```mermaid\n{}```\n", itsm_oncall::mermaid());
    itsm_testkit::pin_blocks(
        "docs/oncall.md",
        &[("mermaid:oncall", diagram)],
        "UPDATE_DOCS=1 cargo test -p itsm-oncall --all-features --test docs",
    );
}
