//! `docs/problem.md`'s generated blocks match the code.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_problem::Workflow;

#[test]
fn generated_blocks_match_the_code() {
    let diagram = format!(
        "```mermaid\n{}```\n",
        Workflow::servicenow().lifecycle().to_mermaid()
    );
    itsm_testkit::pin_blocks(
        "docs/problem.md",
        &[("mermaid", diagram)],
        "UPDATE_DOCS=1 cargo test -p itsm-problem --all-features --test docs",
    );
}
