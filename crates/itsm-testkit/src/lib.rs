//! Test scaffolding shared by the itsm-rs crates' tests, written once: pinned files (JSON
//! Schemas and other generated text compared with committed copies), generated blocks of the
//! docs pages, and the replay of saved fuzz corpora on stable. Only the crates' `[dev-dependencies]` use it; it is not published.
//!
//! Tests are tools, not libraries: a failed comparison panics with a message that says what
//! differs and how to regenerate the file.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![allow(clippy::panic, clippy::indexing_slicing, clippy::print_stderr)]

use std::path::{Path, PathBuf};

/// The workspace's root folder (the one holding `crates/`, `docs/` and `fuzz/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether pinned files should be rewritten instead of compared: `UPDATE_SCHEMAS=1`.
///
/// An environment variable because `cargo test` passes no arguments to a test; the workspace
/// forbids `std::env::var` in library code, and this crate is a test tool.
#[allow(
    clippy::disallowed_methods,
    reason = "a developer switch for regenerating pinned files"
)]
pub fn updating() -> bool {
    std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1")
}

/// A type's JSON Schema (draft 2020-12, as schemars writes it), pretty-printed with a final
/// newline: the form committed under `docs/schema/`.
pub fn schema_text<T: schemars::JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    let mut text = serde_json::to_string_pretty(&schema)
        .unwrap_or_else(|e| panic!("a JSON Schema always serializes: {e}"));
    text.push('\n');
    text
}

/// Whether generated blocks of docs pages should be rewritten instead of compared:
/// `UPDATE_DOCS=1`.
#[allow(
    clippy::disallowed_methods,
    reason = "a developer switch for regenerating the pages' blocks"
)]
pub fn updating_docs() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1")
}

/// Pins the generated blocks of a docs page: each `(name, text)` must stand between the
/// page's `<!-- name:begin -->` line and its `<!-- name:end -->` marker, each present once.
/// With `UPDATE_DOCS=1` the stale blocks are rewritten instead; otherwise a difference panics
/// naming the stale blocks and the command (`regenerate`) that rewrites them. `page` is the
/// page's path from the workspace root (`docs/change.md`).
#[track_caller]
pub fn pin_blocks(page: &str, blocks: &[(&str, String)], regenerate: &str) {
    let path = workspace_root().join(page);
    let mut text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut stale = Vec::new();
    for (name, generated) in blocks {
        let begin = format!("<!-- {name}:begin -->\n");
        let end = format!("<!-- {name}:end -->");
        assert_eq!(
            text.matches(&begin).count(),
            1,
            "{page}: `{begin}` must appear once"
        );
        assert_eq!(
            text.matches(&end).count(),
            1,
            "{page}: `{end}` must appear once"
        );
        let start = text.find(&begin).map_or(0, |i| i + begin.len());
        let stop = text.find(&end).unwrap_or(0);
        assert!(start <= stop, "{page}: `{end}` comes before `{begin}`");
        if text[start..stop] != *generated {
            stale.push(*name);
            text.replace_range(start..stop, generated);
        }
    }
    if updating_docs() {
        if !stale.is_empty() {
            std::fs::write(&path, &text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
        return;
    }
    assert!(
        stale.is_empty(),
        "the generated blocks {stale:?} of {page} differ from the code; run `{regenerate}` and \
         review the diff"
    );
}

/// Pins `T`'s JSON Schema to `docs/schema/<file>`: see [`pin`].
#[track_caller]
pub fn pin_schema<T: schemars::JsonSchema>(file: &str, regenerate: &str) {
    pin(
        &workspace_root().join("docs/schema").join(file),
        &schema_text::<T>(),
        regenerate,
    );
}

/// Compares `generated` with the committed file at `path`, or rewrites the file when
/// [`updating`]. On a difference it panics naming the first differing line, a few lines of
/// each version around it, and the command (`regenerate`) that rewrites the file.
#[track_caller]
pub fn pin(path: &Path, generated: &str, regenerate: &str) {
    if updating() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        std::fs::write(path, generated)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; generate it with `{regenerate}`",
            path.display()
        )
    });
    if committed == generated {
        return;
    }
    // Point at the first difference rather than printing two whole files.
    let line = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    let around = |text: &str| -> String {
        let lines: Vec<&str> = text.lines().skip(line.saturating_sub(3)).take(7).collect();
        lines.join("\n")
    };
    panic!(
        "{} differs from what the code generates, from line {}; if the change is intended, \
         run `{regenerate}` and commit the file.\n--- committed ---\n{}\n--- generated ---\n{}",
        path.display(),
        line + 1,
        around(&committed),
        around(generated)
    );
}

/// Runs `harness` on every file of the saved fuzz corpus `fuzz/corpus/<target>/`, in name
/// order, and fails naming the inputs that panic (each breaks an invariant the harness
/// asserts). Returns how many inputs were replayed.
///
/// The fuzz targets are thin wrappers around the same harness functions, so every input the
/// fuzzer found interesting, and every past crash once fixed and saved, is checked again by
/// `cargo test` on stable, without nightly or libFuzzer.
#[track_caller]
pub fn replay_corpus(target: &str, harness: fn(&[u8])) -> usize {
    let dir = workspace_root().join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the corpus {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let mut failed = Vec::new();
    for path in &files {
        let data =
            std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if std::panic::catch_unwind(|| harness(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} inputs of {target} break an invariant (reproduce with `cargo +nightly fuzz run {target} <file>` in fuzz/):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    files.len()
}

/// The stack the deep tests run on: small enough that a recursion whose depth follows the
/// input (a million-node chain) overflows it and fails loudly.
pub const SMALL_STACK: usize = 256 * 1024;

/// Runs `f` on a thread with a [`SMALL_STACK`] and waits for it; a panic inside is passed
/// on as it was, and an overflow aborts the test process.
pub fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let thread = std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .unwrap_or_else(|e| panic!("cannot start a thread: {e}"));
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = workspace_root().join("target/itsm-testkit");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        dir.join(name)
    }

    #[test]
    fn a_pinned_file_that_matches_passes_and_one_that_differs_names_the_line() {
        let path = scratch("pinned.txt");
        std::fs::write(&path, "a\nb\nc\n").unwrap_or_else(|e| panic!("{e}"));
        pin(&path, "a\nb\nc\n", "regen");
        let differs = std::panic::catch_unwind(|| pin(&path, "a\nB\nc\n", "regen"));
        let message = differs
            .err()
            .and_then(|e| e.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(message.contains("from line 2"), "{message}");
        assert!(message.contains("run `regen`"), "{message}");
    }

    #[test]
    fn a_missing_pinned_file_says_how_to_generate_it() {
        let path = scratch("never-written.txt");
        let missing = std::panic::catch_unwind(|| pin(&path, "x\n", "regen"));
        let message = missing
            .err()
            .and_then(|e| e.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(message.contains("generate it with `regen`"), "{message}");
    }
}
