//! Replays the saved fuzz corpora of the importer on stable.
//!
//! The fuzz targets `import_mapping_json` and `import_rows` (run with
//! `cargo +nightly fuzz run <target>` in `fuzz/`) are thin wrappers around the functions of
//! `fuzz/harness/import.rs`; this test includes the same file and feeds it every input saved
//! in `fuzz/corpus/<target>/`, so each input the fuzzer found interesting (and each past
//! crash, once fixed and saved there) is checked again by `cargo test`.

// The harness is library-like code shared with the fuzz targets: it keeps the workspace's
// lints (it asserts with `assert!`, never unwraps or indexes).
#[path = "../../fuzz/harness/import.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn import_mapping_json_corpus_replays() {
    let n = replay("import_mapping_json", harness::mapping_json);
    assert!(n >= 5, "the import_mapping_json corpus has only {n} inputs");
}

#[test]
fn import_rows_corpus_replays() {
    let n = replay("import_rows", harness::rows);
    assert!(n >= 5, "the import_rows corpus has only {n} inputs");
}
