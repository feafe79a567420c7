//! `docs/vulnerability.md`'s state diagram matches the code: generated from the table.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

#[test]
fn generated_blocks_match_the_code() {
    let diagram = format!("```mermaid\n{}```\n", itsm_vuln::mermaid());
    itsm_testkit::pin_blocks(
        "docs/vulnerability.md",
        &[("mermaid:vuln", diagram)],
        "UPDATE_DOCS=1 cargo test -p itsm-vuln --all-features --test docs",
    );
}
