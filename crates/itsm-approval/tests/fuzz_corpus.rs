//! Replays the saved fuzz corpus on stable.
//!
//! The fuzz targets `approval_commands` and `approval_policy_json` (run with
//! `cargo +nightly fuzz run <target>` in `fuzz/`) are thin wrappers around the functions of
//! `fuzz/harness/approval.rs`; this test includes the same file and feeds it every input
//! saved in `fuzz/corpus/<target>/`, so each input the fuzzer found interesting (and each past
//! crash, once fixed and saved there) is checked again by `cargo test`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

// The harness is library-like code shared with the fuzz targets: it keeps the workspace's
// lints (it asserts with `assert!`, never unwraps or indexes).
#[warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#[path = "../../../fuzz/harness/approval.rs"]
mod harness;

mod common;

use itsm_testkit::replay_corpus as replay;

#[test]
fn approval_commands_corpus_replays() {
    let n = replay("approval_commands", harness::commands);
    assert!(n >= 8, "the approval_commands corpus has only {n} inputs");
}

#[test]
fn approval_policy_json_corpus_replays() {
    let n = replay("approval_policy_json", harness::policy_json);
    assert!(
        n >= 8,
        "the approval_policy_json corpus has only {n} inputs"
    );
}

/// Inputs built from the code itself pass: the presets, a stored state and its events, and
/// bytes that are not JSON at all.
#[test]
fn inputs_built_from_the_code_pass() {
    use common::{ANA, BEN, CAB, TECH, approve, by, given, open, reject, request};
    use itsm_approval::Policy;

    for policy in [
        Policy::cab(CAB),
        Policy::cab_any(CAB),
        Policy::ecab(CAB),
        Policy::technical_then_business(TECH, CAB),
    ] {
        harness::policy_json(&serde_json::to_vec(&policy).unwrap());
    }
    let (state, log) = given(
        &Policy::cab(CAB),
        &[
            open(request(&[(CAB, &[ANA, BEN])])),
            by(ANA, approve()),
            by(BEN, reject("no")),
        ],
    );
    harness::policy_json(&serde_json::to_vec(&state).unwrap());
    for event in &log {
        harness::policy_json(&serde_json::to_vec(event).unwrap());
    }
    harness::policy_json(&[0xff, 0x00]);
    harness::commands(&[]);
    harness::commands(&[0xff; 300]);
}
