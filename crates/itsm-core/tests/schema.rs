//! The priority matrix's JSON Schema, pinned here as well as in itsm-incident: the type
//! lives in this crate, so this crate's own tests (and a mutation run over it) must see a
//! change to its wire format. Regenerate with
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-core --all-features --test schema
//! ```
#![cfg(feature = "schemars")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use itsm_core::PriorityMatrix;

#[test]
fn priority_matrix_schema_is_pinned() {
    itsm_testkit::pin_schema::<PriorityMatrix>(
        "priority-matrix.json",
        "UPDATE_SCHEMAS=1 cargo test -p itsm-core --all-features --test schema",
    );
}

#[test]
fn the_schema_requires_the_matrix_parts_and_names_the_rule_kinds() {
    let schema: serde_json::Value =
        serde_json::from_str(&itsm_testkit::schema_text::<PriorityMatrix>()).unwrap();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for part in ["name", "impact", "urgency", "priority", "rule"] {
        assert!(
            required.contains(&part),
            "{part} not required: {required:?}"
        );
    }
    let text = schema.to_string();
    assert!(
        text.contains("\"table\""),
        "the table rule kind is in the schema"
    );
}
