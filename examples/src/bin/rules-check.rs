//! Checks a rule set before it runs: loads it (a malformed set is refused with the reason)
//! and lists every finding of `itsm_rules::check`, one per line.
//!
//! Run: `cargo run -p itsm-examples --bin rules-check -- examples/rules/broken.json`
//!
//! Exit status: 0 when the set loads and the checker finds nothing, 1 when it finds
//! something (never fires, conflict, loop, no deadline, unknown names), 2 when the file
//! cannot be read or loaded.

// A host prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use itsm_rules::{RuleSet, check};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: rules-check PATH/rules.json");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("rules-check: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let set: RuleSet = match serde_json::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("rules-check: {path}: not a valid rule set: {e}");
            return ExitCode::from(2);
        }
    };
    let findings = check(&set);
    println!("rules-check: {path}: {} rules", set.rules().len());
    for f in &findings {
        println!("- {f}");
    }
    if findings.is_empty() {
        println!("no findings");
        ExitCode::SUCCESS
    } else {
        println!("{} finding(s)", findings.len());
        ExitCode::from(1)
    }
}
