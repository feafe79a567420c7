//! `docs/change.md`'s generated blocks match the code: the normal model's diagram.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use itsm_change::Policy;

fn page_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/change.md")
}

#[allow(
    clippy::disallowed_methods,
    reason = "a developer switch for regenerating the page's blocks"
)]
fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1")
}

fn blocks() -> Vec<(&'static str, String)> {
    let policy = Policy::servicenow();
    let diagram = |name: &str| {
        let model = policy.models.get(name).unwrap();
        format!(
            "```mermaid\n{}```\n",
            model.lifecycle().unwrap().to_mermaid()
        )
    };
    vec![("mermaid-normal", diagram("normal"))]
}

#[test]
fn generated_blocks_match_the_code() {
    let path = page_path();
    let mut page = std::fs::read_to_string(&path).unwrap();
    let mut stale = Vec::new();
    for (name, generated) in blocks() {
        let begin = format!("<!-- {name}:begin -->\n");
        let end = format!("<!-- {name}:end -->");
        assert_eq!(
            page.matches(&begin).count(),
            1,
            "`{begin}` must appear once"
        );
        assert_eq!(page.matches(&end).count(), 1, "`{end}` must appear once");
        let start = page.find(&begin).unwrap() + begin.len();
        let stop = page.find(&end).unwrap();
        if page[start..stop] != generated {
            stale.push(name);
            page.replace_range(start..stop, &generated);
        }
    }
    if updating() {
        std::fs::write(&path, &page).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "the generated blocks {stale:?} of docs/change.md differ from the code; run \
         `UPDATE_DOCS=1 cargo test -p itsm-change --test docs` and commit the page"
    );
}
