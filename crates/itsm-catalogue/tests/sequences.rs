//! Random command sequences on the example catalogue, with the invariants of
//! `fuzz/harness/catalogue.rs` checked after every step: determinism, every request, item
//! and task move in its table, the request's state derived from its items, events' JSON
//! round trips, and replaying the log equal to the state.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[allow(dead_code)]
#[path = "../../../fuzz/harness/catalogue.rs"]
mod harness;

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_sequences_keep_the_invariants(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        harness::commands(&data);
    }

    #[test]
    fn random_json_is_refused_or_read_back(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        harness::json(&data);
    }
}
