//! `docs/contract.md`'s state diagram matches the code: generated from the table.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

#[test]
fn generated_blocks_match_the_code() {
    let diagram = format!("```mermaid\n{}```\n", itsm_contract::mermaid());
    itsm_testkit::pin_blocks(
        "docs/contract.md",
        &[("mermaid:contract", diagram)],
        "UPDATE_DOCS=1 cargo test -p itsm-contract --all-features --test docs",
    );
}
