//! Running an example's binary from the workspace root and reading its output: shared by
//! the example tests that compare whole lines (whitespace runs collapsed).
#![allow(dead_code, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary at `exe` (an `env!("CARGO_BIN_EXE_...")`) from the workspace root.
pub fn run(exe: &str, args: &[&str]) -> Output {
    Command::new(exe)
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("the binary runs")
}

/// The output's lines with runs of whitespace made one space; the run must have succeeded.
pub fn lines(name: &str, out: &Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Asserts a line equal to `wanted` is among `lines`.
pub fn has(lines: &[String], wanted: &str) {
    assert!(
        lines.iter().any(|l| l == wanted),
        "no line {wanted:?} in:\n{}",
        lines.join("\n")
    );
}
