//! `docs/asset.md`'s state diagram matches the code: generated from `STEPS`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

#[test]
fn generated_blocks_match_the_code() {
    let diagram = format!("```mermaid\n{}```\n", itsm_asset::mermaid());
    itsm_testkit::pin_blocks(
        "docs/asset.md",
        &[("mermaid:asset", diagram)],
        "UPDATE_DOCS=1 cargo test -p itsm-asset --all-features --test docs",
    );
}
