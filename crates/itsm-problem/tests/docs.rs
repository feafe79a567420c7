//! `docs/problem.md`'s generated blocks match the code.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use itsm_problem::Workflow;

#[allow(
    clippy::disallowed_methods,
    reason = "a developer switch for regenerating the page's blocks"
)]
fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1")
}

#[test]
fn generated_blocks_match_the_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/problem.md");
    let mut page = std::fs::read_to_string(&path).unwrap();
    let generated = format!(
        "```mermaid\n{}```\n",
        Workflow::servicenow().lifecycle().to_mermaid()
    );
    let (begin, end) = ("<!-- mermaid:begin -->\n", "<!-- mermaid:end -->");
    assert_eq!(page.matches(begin).count(), 1);
    assert_eq!(page.matches(end).count(), 1);
    let start = page.find(begin).unwrap() + begin.len();
    let stop = page.find(end).unwrap();
    let stale = page[start..stop] != generated;
    if updating() {
        page.replace_range(start..stop, &generated);
        std::fs::write(&path, &page).unwrap();
        return;
    }
    assert!(
        !stale,
        "docs/problem.md's diagram differs from the code; run \
         `UPDATE_DOCS=1 cargo test -p itsm-problem --test docs` and commit the page"
    );
}
