//! Bytes -> `Event::from_json`, differential against `serde_json::from_str::<Event>`: the same
//! event or both an error, on any text.
//!
//! The logic is in `harness/incident.rs`, shared with the stable replay test
//! `crates/itsm-incident/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness/incident.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::event_json(data));
