//! The simulation harness's `sim_config` (see `harness/sim.rs`, shared with the stable
//! replay `crates/itsm-sim/tests/fuzz_corpus.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../harness/sim.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::sim_config(data));
