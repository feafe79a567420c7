//! Replays the saved fuzz corpus on stable.
//!
//! The fuzz targets `graph_queries` and `graph_spec_json` in `fuzz/` (run with
//! `cargo +nightly fuzz run <target>`) are thin wrappers around the functions of
//! `fuzz/harness/graph.rs`; this test includes a copy of it (`tests/support/graph_harness.rs`, updated for issue 21, to replace the original) and feeds it every input saved
//! in `fuzz/corpus/<target>/`, so each input the fuzzer found interesting (and each past
//! crash, once fixed and saved there) is checked again by `cargo test`, without nightly or
//! libFuzzer.
#![cfg(feature = "serde")]
// Test code: a failed unwrap is a failed test, with its message.
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
#[path = "../../../fuzz/harness/graph.rs"]
mod harness;

use itsm_testkit::replay_corpus as replay;

#[test]
fn graph_queries_corpus_replays() {
    let n = replay("graph_queries", harness::queries);
    assert!(n >= 10, "the graph_queries corpus has only {n} inputs");
}

#[test]
fn graph_spec_json_corpus_replays() {
    let n = replay("graph_spec_json", harness::spec_json);
    assert!(n >= 5, "the graph_spec_json corpus has only {n} inputs");
}

/// Inputs built from the code itself pass: the crate's example graph and scenario, specs
/// that are not valid, inputs that are not JSON at all, and a few byte strings.
#[test]
fn inputs_built_from_the_code_pass() {
    let shop = r#"{
      "relations": [{ "name": "depends_on", "propagation": "to_from" }],
      "nodes": [
        { "id": "shop", "kind": "business_service", "class": "service" },
        { "id": "web-1", "kind": "configuration_item", "class": "host" },
        { "id": "web-2", "kind": "configuration_item", "class": "host" },
        { "id": "db", "kind": "configuration_item", "class": "database" }
      ],
      "groups": [{ "id": "web-farm", "members": ["web-1", "web-2"], "min_up": { "count": 1 } }],
      "edges": [
        { "from": "shop", "to": "web-farm", "relation": "depends_on" },
        { "from": "shop", "to": "db", "relation": "depends_on" }
      ]
    }"#;
    harness::spec_json(shop.as_bytes());
    harness::spec_json(
        br#"{"relations": [], "nodes": [], "edges": [{"from": "a", "to": "b", "relation": "x"}]}"#,
    );
    harness::spec_json(br#"{"failed": [{"id": "web-1"}], "maintenance": ["web-2"]}"#);
    harness::spec_json(br#"{"failed": [{"id": "shop", "severity": 3}]}"#);
    harness::spec_json(&[0xff, 0x00]);
    harness::queries(&[]);
    // Four nodes, a group of the first two needing one up, edges in a cycle, two scenarios,
    // then one query of each kind.
    harness::queries(&[
        0, 3, 0, 0, 6, 0, 6, 0, 8, 0, 1, 3, 0, 0, 4, 0, 1, 0, 1, 2, 2, 2, 0, 0, 3, 4, 2, 1, 1, 2,
        0, 1, 1, 0, 3, 0, 3, 2, 0, 1, 4, 3, 1, 0, 2, 1, 0, 1, 1, 4, 2, 0, 3,
    ]);
}

/// The large shapes of `harness::queries` (its input's last byte): a long chain below `n0`,
/// a wide fan above it and deep group nesting around it, on one-node and two-node graphs of
/// every severity scale (the flags byte's bits 2-4), smallest and largest sizes.
#[test]
fn long_chains_wide_fans_and_deep_nesting_pass() {
    for scale in 0u8..6 {
        for shape in [5u8, 6, 7] {
            // The largest sizes on two scales only: the debug run stays within seconds.
            let sizes: &[u8] = if scale % 3 == 0 { &[0, 255] } else { &[0] };
            for &size in sizes {
                // One configuration item; no groups, edges, scenarios or queries.
                harness::queries(&[scale << 2, 0, 6, 0, 0, 0, 0, size, shape]);
                // Two nodes, n1 depending on n0.
                harness::queries(&[scale << 2, 1, 6, 0, 0, 0, 0, 1, 1, 0, 0, 0, size, shape]);
            }
        }
    }
}
