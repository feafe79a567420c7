//! `docs/change.md`'s generated blocks match the code: the normal model's diagram.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_change::Policy;

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
    itsm_testkit::pin_blocks(
        "docs/change.md",
        &blocks(),
        "UPDATE_DOCS=1 cargo test -p itsm-change --all-features --test docs",
    );
}
