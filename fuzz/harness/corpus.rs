//! Replaying a saved fuzz corpus on stable, shared by the crates' `tests/fuzz_corpus.rs`
//! (each includes this file with `#[path]`, next to its own harness).

use std::path::{Path, PathBuf};

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

/// Runs `harness` on every file of the target's corpus; fails naming the inputs that fail.
/// Returns how many inputs were replayed.
pub fn replay(target: &str, harness: fn(&[u8])) -> usize {
    let dir = corpus(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the corpus {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap();
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
