//! The fuzz harness of process-mining export, as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/mining_export.rs` calls [`export`], and so does
//! the stable test `crates/itsm-mining/tests/fuzz_corpus.rs`, which replays every saved
//! input of `fuzz/corpus/mining_export/`.
//!
//! How [`export`] reads its bytes (each choice a byte modulo the number of options; a
//! missing byte reads as 0):
//! - byte 0: the number of objects (0-5); byte 1: of events (0-9); byte 2: the case type;
//! - a text: one byte; below 128 it picks one of [`POOL`], else its low 3 bits give a
//!   length and that many raw bytes follow (decoded lossily as UTF-8);
//! - an object: id (text), type (byte: a built-in type or, past them, a custom text),
//!   attributes (byte mod 3, each a name text and a value), relations (byte mod 3, each a
//!   target text and a qualifier text);
//! - a value: a byte picks string (text), integer, float (8 bytes of bits, so NaN and
//!   infinities come), boolean or time (8 bytes of seconds since 1970);
//! - an event: id, activity (texts), time (8 bytes of seconds), attributes, relations;
//! - then a lifecycle: states (byte mod 5 plus 1; each a name text and a flags byte:
//!   bit 0 initial, bit 1 terminal) and transitions (byte mod 8; from, command, to texts).
//!
//! The invariants: building the log never panics and refuses only with problems listed; a
//! valid log's OCEL JSON parses back with its objects and events, its XES has one event per
//! (case, event), no character XML cannot carry reaches the XML; a valid lifecycle's net has
//! a place per state plus two, and its PNML carries no such character either.

use chrono::{DateTime, Utc};
use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec};
use itsm_mining::pnml::{Labels, PetriNet};
use itsm_mining::{Error, Event, EventLog, Object, ObjectType, Value, ocel, xes};

#[path = "bytes.rs"]
pub mod bytes;
use bytes::Bytes;

/// The texts a pool byte picks from: ids that repeat, reserved and empty names, hostile text.
pub const POOL: [&str; 12] = [
    "",
    "a",
    "b",
    "INC1",
    "incident",
    "concept:name",
    "<&\"'>",
    "\u{0}\u{1f}",
    "\t\n\r",
    "\u{FFFE}",
    "é😀",
    "]]>",
];

fn text(b: &mut Bytes) -> String {
    let choice = b.byte();
    if choice < 128 {
        return POOL
            .get(usize::from(choice) % POOL.len())
            .copied()
            .unwrap_or("")
            .to_owned();
    }
    let n = usize::from(choice & 7);
    let raw: Vec<u8> = (0..n).map(|_| b.byte()).collect();
    String::from_utf8_lossy(&raw).into_owned()
}

fn eight(b: &mut Bytes) -> [u8; 8] {
    let mut bytes = [0u8; 8];
    for x in &mut bytes {
        *x = b.byte();
    }
    bytes
}

fn i64_of(b: &mut Bytes) -> i64 {
    i64::from_le_bytes(eight(b))
}

fn time(b: &mut Bytes) -> DateTime<Utc> {
    // Seconds within about ±300,000 years, so both sides of years 0001-9999 come.
    DateTime::from_timestamp(i64_of(b) % 10_000_000_000_000, 0).unwrap_or_default()
}

fn value(b: &mut Bytes) -> Value {
    match b.pick(5) {
        0 => Value::String(text(b)),
        1 => Value::Integer(i64_of(b)),
        2 => Value::Float(f64::from_bits(u64::from_le_bytes(eight(b)))),
        3 => Value::Boolean(b.flag()),
        _ => Value::Time(time(b)),
    }
}

fn object_type(b: &mut Bytes) -> ObjectType {
    let i = b.pick(ObjectType::BUILT_IN.len() + 1);
    ObjectType::BUILT_IN
        .get(i)
        .cloned()
        .unwrap_or_else(|| ObjectType::Other(text(b)))
}

fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Bytes -> a log, written as OCEL JSON and XES, and a lifecycle, written as PNML; the
/// invariants of the module documentation asserted.
pub fn export(data: &[u8]) {
    let mut b = Bytes::new(data);
    let (n_objects, n_events) = (b.pick(6), b.pick(10));
    let case_type = object_type(&mut b);
    let mut objects = Vec::new();
    for _ in 0..n_objects {
        let id = text(&mut b);
        let mut o = Object::new(&id, object_type(&mut b));
        for _ in 0..b.pick(3) {
            let name = text(&mut b);
            o = o.with(&name, value(&mut b));
        }
        for _ in 0..b.pick(3) {
            let (to, q) = (text(&mut b), text(&mut b));
            o = o.related(&to, &q);
        }
        objects.push(o);
    }
    let mut events = Vec::new();
    for _ in 0..n_events {
        let (id, activity) = (text(&mut b), text(&mut b));
        let mut e = Event::new(&id, &activity, time(&mut b));
        for _ in 0..b.pick(3) {
            let name = text(&mut b);
            e = e.with(&name, value(&mut b));
        }
        for _ in 0..b.pick(3) {
            let (to, q) = (text(&mut b), text(&mut b));
            e = e.related(&to, &q);
        }
        events.push(e);
    }
    match EventLog::new(objects.clone(), events.clone()) {
        Err(Error::InvalidLog { problems }) => assert!(!problems.is_empty()),
        Err(other) => panic!("unexpected error {other}"),
        Ok(log) => {
            let json: serde_json::Value =
                serde_json::from_str(&ocel::to_json(&log)).expect("OCEL JSON parses");
            let ids = |key: &str| -> Vec<String> {
                json[key]
                    .as_array()
                    .expect("an array")
                    .iter()
                    .map(|x| x["id"].as_str().expect("an id").to_owned())
                    .collect()
            };
            assert_eq!(
                ids("objects"),
                objects.iter().map(|o| o.id.clone()).collect::<Vec<_>>()
            );
            assert_eq!(
                ids("events"),
                events.iter().map(|e| e.id.clone()).collect::<Vec<_>>()
            );
            let xml = xes::to_xes(&log, &case_type);
            assert!(
                xml.chars().all(allowed_in_xml),
                "a raw character XML cannot carry"
            );
            let n: usize = log.cases(&case_type).iter().map(|(_, e)| e.len()).sum();
            assert_eq!(xml.matches("<event>").count(), n);
        }
    }
    let mut states = Vec::new();
    for _ in 0..=b.pick(5) {
        let name = text(&mut b);
        let flags = b.byte();
        let mut s = StateSpec::new(&name, Category::Open);
        s.initial = flags & 1 == 1;
        s.terminal = flags & 2 == 2;
        states.push(s);
    }
    let mut transitions = Vec::new();
    for _ in 0..b.pick(8) {
        let (from, command, to) = (text(&mut b), text(&mut b), text(&mut b));
        transitions.push(TransitionSpec::new(&from, &command, &to));
    }
    if let Ok(lc) = Lifecycle::new("fuzz", states, transitions) {
        for labels in [Labels::Commands, Labels::States] {
            let net = PetriNet::from_lifecycle(&lc, labels);
            assert_eq!(net.places.len(), lc.states().len() + 2);
            let pnml = net.to_pnml();
            assert!(
                pnml.chars().all(allowed_in_xml),
                "a raw character XML cannot carry"
            );
            assert_eq!(pnml.matches("<transition ").count(), net.transitions.len());
        }
    }
}
