//! Bytes -> a CMDB graph (services, configuration items of a few classes at a few locations,
//! redundancy groups nested and members of themselves, edges of four relations with
//! self-loops, parallel edges and cycles, sometimes a long chain, a wide fan or deep group
//! nesting), a cost spec (rate cards, expenses, distribution costs, relationship paths,
//! allocation units, defects) and a policy: never a panic, `Err` exactly for the documented
//! defects (`Cycle` exactly when the carrying arcs have one), every answer equal to the
//! harness's own model of docs/cost.md, the money conserved to the cent.
//!
//! The logic is in `harness/cost.rs`, shared with the stable replay test
//! `crates/itsm-cost/tests/fuzz_corpus.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The corpus test also reads what `run` returns and the names of shapes; this target does
// not.
#[allow(dead_code)]
#[path = "../harness/cost.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::rollup(data));
