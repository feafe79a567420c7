//! `docs/release.md`'s state diagrams match the code: generated from the tables.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

#[test]
fn generated_blocks_match_the_code() {
    let release = format!("```mermaid\n{}```\n", itsm_release::mermaid());
    let phase = format!("```mermaid\n{}```\n", itsm_release::phase_mermaid());
    itsm_testkit::pin_blocks(
        "docs/release.md",
        &[
            ("mermaid:release", release),
            ("mermaid:release-phase", phase),
        ],
        "UPDATE_DOCS=1 cargo test -p itsm-release --all-features --test docs",
    );
}
