//! Properties of the byte and CSV layer: the hand-written decoders lose nothing, and every
//! row's line is its physical line whatever the line ends (LF, CRLF, CR), blank lines and
//! multi-line quoted values.
// clippy.toml allows `unwrap` inside `#[test]` functions only; proptest bodies are closures.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::HashMap;

use itsm_examples::import::{Encoding, Item, Mapping, decode, open};
use itsm_incident::Policy;
use proptest::prelude::*;

fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn latin_1_decodes_every_byte_to_the_code_point_of_its_value(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let text = decode(&bytes, Encoding::Latin1).unwrap();
        prop_assert_eq!(text.chars().count(), bytes.len());
        prop_assert_eq!(latin1(&text), bytes);
    }

    #[test]
    fn windows_1252_decodes_bytes_one_to_one(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        // The inverse table, from decoding each byte alone: 256 distinct characters.
        let inverse: HashMap<char, u8> = (0..=255u8)
            .map(|b| (decode(&[b], Encoding::Windows1252).unwrap().chars().next().unwrap(), b))
            .collect();
        prop_assert_eq!(inverse.len(), 256);
        let text = decode(&bytes, Encoding::Windows1252).unwrap();
        let back: Vec<u8> = text.chars().map(|c| inverse[&c]).collect();
        prop_assert_eq!(back, bytes);
    }

    #[test]
    fn utf_8_text_decodes_as_itself(text in "\\PC{0,32}") {
        prop_assert_eq!(decode(text.as_bytes(), Encoding::Utf8).unwrap(), text.as_str());
    }

    /// Records of Latin-1 text, each quoted value made of one to three segments joined by a
    /// line break, separated by LF, CRLF or CR (one per file), some after a blank line, some
    /// with a state the mapping does not know. Every row comes back with its text and the
    /// line it starts on, counted here by construction.
    #[test]
    fn rows_come_back_with_their_text_and_physical_line(
        end in 0..3usize,
        records in proptest::collection::vec(
            (proptest::collection::vec("[\\x20-\\xff]{0,6}", 1..4), any::<bool>(), any::<bool>()),
            1..16,
        ),
    ) {
        let end = ["\n", "\r\n", "\r"][end];
        let mapping: Mapping = serde_json::from_str(r#"{
            "source": "props", "csv": {"delimiter": ";", "encoding": "latin-1"},
            "case": "n", "time": {"column": "at", "format": "%s"},
            "levels": {"impact": {"default": 1}, "urgency": {"default": 1}},
            "fields": {"caller": "text"},
            "states": {"columns": ["state"], "values": {"ok": {"state": "new"}}}}"#).unwrap();
        let mut file = format!("n;at;state;text{end}");
        let mut line = 2u64;
        let mut expected = Vec::new();
        for (n, (segments, good, blank)) in records.iter().enumerate() {
            if *blank {
                file.push_str(end);
                line += 1;
            }
            let text = segments.join(end);
            let state = if *good { "ok".to_owned() } else { format!("bad{n}") };
            file.push_str(&format!("{n};{n};{state};\"{}\"{end}", text.replace('"', "\"\"")));
            expected.push((n, *good, text, line));
            line += segments.len() as u64;
        }
        let items: Vec<Item> = open(&latin1(&file)[..], &mapping, &Policy::servicenow())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // A bad row is handed out at once, a good one when its case's block ends: compare by
        // record.
        let mut by_record: HashMap<String, &Item> = HashMap::new();
        for item in &items {
            let key = match item {
                Item::Row(row) => row.case.clone(),
                Item::Bad(bad) => bad.case.clone().unwrap_or_default(),
                _ => continue,
            };
            prop_assert!(by_record.insert(key, item).is_none());
        }
        prop_assert_eq!(by_record.len(), expected.len());
        for (n, good, text, line) in expected {
            match by_record.get(&n.to_string()) {
                Some(Item::Row(row)) if good => {
                    prop_assert_eq!(row.line, line, "record {}", n);
                    prop_assert_eq!(row.caller.as_deref(), (!text.is_empty()).then_some(text.as_str()));
                }
                Some(Item::Bad(bad)) if !good => {
                    prop_assert_eq!(bad.line, line, "record {}", n);
                    let state = format!("bad{n}");
                    prop_assert_eq!(bad.problem.value(), Some(state.as_str()));
                }
                other => prop_assert!(false, "record {}: got {:?}", n, other),
            }
        }
    }
}
