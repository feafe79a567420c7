//! `docs/dimensions.md` explains every rule with its default severity, and the defaults it
//! states for the settings are the code's.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use itsm_dimensions::{Penalties, RuleId};

fn page() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/dimensions.md");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn every_rule_has_a_row_with_its_default_severity() {
    let page = page();
    for rule in RuleId::ALL {
        let row = format!("| `{}` | {} |", rule.name(), rule.default_severity());
        assert_eq!(
            page.matches(&row).count(),
            1,
            "docs/dimensions.md needs exactly one row starting {row:?}"
        );
    }
    let rows = page.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(
        rows,
        RuleId::ALL.len(),
        "a row for a rule the code does not have"
    );
}

#[test]
fn the_stated_penalties_are_the_defaults() {
    let p = Penalties::default();
    let stated = format!(
        "low {}, medium {}, high {}, critical {}",
        p.low, p.medium, p.high, p.critical
    );
    assert!(
        page().contains(&stated),
        "docs/dimensions.md should say {stated:?}"
    );
}
