//! `docs/knowledge.md`'s generated blocks match the code: one state diagram per publication
//! mode, from `TRANSITIONS`.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use itsm_knowledge::{PublicationMode, lifecycle};

#[allow(
    clippy::disallowed_methods,
    reason = "a developer switch for regenerating the page's blocks"
)]
fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1")
}

#[test]
fn generated_blocks_match_the_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/knowledge.md");
    let mut page = std::fs::read_to_string(&path).unwrap();
    let mut stale = Vec::new();
    for mode in PublicationMode::ALL {
        let generated = format!("```mermaid\n{}```\n", lifecycle(mode).to_mermaid());
        let begin = format!("<!-- mermaid:{mode}:begin -->\n");
        let end = format!("<!-- mermaid:{mode}:end -->");
        assert_eq!(page.matches(&begin).count(), 1, "{begin}");
        assert_eq!(page.matches(&end).count(), 1, "{end}");
        let start = page.find(&begin).unwrap() + begin.len();
        let stop = page.find(&end).unwrap();
        if page[start..stop] != generated {
            stale.push(mode);
            page.replace_range(start..stop, &generated);
        }
    }
    if updating() {
        std::fs::write(&path, &page).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "docs/knowledge.md's diagrams for {stale:?} differ from the code; run \
         `UPDATE_DOCS=1 cargo test -p itsm-knowledge --test docs` and commit the page"
    );
}
