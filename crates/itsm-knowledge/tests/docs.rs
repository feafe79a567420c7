//! `docs/knowledge.md`'s generated blocks match the code: one state diagram per publication
//! mode, from `TRANSITIONS`.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_knowledge::{PublicationMode, lifecycle};

#[test]
fn generated_blocks_match_the_code() {
    let names: Vec<String> = PublicationMode::ALL
        .into_iter()
        .map(|mode| format!("mermaid:{mode}"))
        .collect();
    let blocks: Vec<(&str, String)> = PublicationMode::ALL
        .into_iter()
        .zip(&names)
        .map(|(mode, name)| {
            let diagram = format!("```mermaid\n{}```\n", lifecycle(mode).to_mermaid());
            (name.as_str(), diagram)
        })
        .collect();
    itsm_testkit::pin_blocks(
        "docs/knowledge.md",
        &blocks,
        "UPDATE_DOCS=1 cargo test -p itsm-knowledge --all-features --test docs",
    );
}
