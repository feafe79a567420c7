//! The fuzz harness of the process-mining readers, as plain functions of bytes.
//!
//! The libFuzzer targets `fuzz/fuzz_targets/mining_read_xes.rs` and `mining_read_ocel.rs`
//! call [`read_xes`] and [`read_ocel`], and so does the stable test
//! `crates/itsm-mining/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/mining_read_xes/` and `mining_read_ocel/`.
// Each target uses one of the two functions.
#![allow(dead_code)]

use itsm_mining::{EventLog, ObjectType, ocel, xes};

/// Bytes (as text, lossily) -> `xes::from_xes`: never a panic; a log read is written with
/// `to_xes` and read again with the same cases that have events, the same event ids and
/// activities.
pub fn read_xes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(read) = xes::from_xes(&text, &ObjectType::Incident) else {
        return;
    };
    let written = xes::to_xes(&read.log, &ObjectType::Incident);
    let again = xes::from_xes(&written, &ObjectType::Incident).expect("our own XES reads back");
    let with_events: Vec<&str> = read
        .log
        .cases(&ObjectType::Incident)
        .iter()
        .map(|(o, _)| o.id.as_str())
        .collect();
    let ids: Vec<&str> = again.log.objects().iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, with_events);
    let events = |log: &EventLog| -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = log
            .events()
            .iter()
            .map(|e| (e.id.clone(), e.activity.clone()))
            .collect();
        list.sort();
        list
    };
    assert_eq!(events(&again.log), events(&read.log));
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
}

/// Bytes -> JSON -> `ocel::Document` -> `ocel::from_document`: never a panic; a log read is
/// written with `to_json` and read again with the same objects and events.
pub fn read_ocel(data: &[u8]) {
    let Ok(document) = serde_json::from_slice::<ocel::Document>(data) else {
        return;
    };
    let Ok(read) = ocel::from_document(document) else {
        return;
    };
    let again: ocel::Document =
        serde_json::from_str(&ocel::to_json(&read.log)).expect("our own OCEL JSON parses");
    let again = ocel::from_document(again).expect("our own OCEL JSON reads back");
    let ids = |log: &EventLog| -> (Vec<String>, Vec<(String, String)>) {
        (
            log.objects().iter().map(|o| o.id.clone()).collect(),
            log.events()
                .iter()
                .map(|e| (e.id.clone(), e.activity.clone()))
                .collect(),
        )
    };
    assert_eq!(ids(&again.log), ids(&read.log));
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
}
