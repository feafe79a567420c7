//! The two paths against each other and against `serde_json` (a dev-dependency), each on its
//! own: the public `Event::from_json` is tested in `tests/event_json_fast.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::{fast, generic};
use crate::event::Event;

/// What the fast path says, what the generic path says, and what `serde_json` says, agree:
/// the generic path accepts exactly what `serde_json` accepts with the same event, and the
/// fast path, when it answers, gives that event. Returns whether the fast path answered.
fn agree(text: &str) -> bool {
    let expected = serde_json::from_str::<Event>(text).ok();
    let generic = generic::event(text);
    assert_eq!(
        generic.as_ref().ok(),
        expected.as_ref(),
        "generic path on {text:?}: {generic:?}"
    );
    match fast::event(text) {
        Some(event) => {
            assert_eq!(Some(&event), expected.as_ref(), "fast path on {text:?}");
            true
        }
        None => false,
    }
}

const USER: &str = "00000000-0000-0000-0000-000000000002";

fn work_started(rest: &str) -> String {
    format!(r#"{{"type":"work_started","at":"2026-03-02T09:00:00Z","by":"{USER}"{rest}}}"#)
}

#[test]
fn the_canonical_form_takes_the_fast_path() {
    assert!(agree(&work_started("")));
    assert!(agree(&format!(
        r#"{{"at":"2026-03-02T09:00:00Z","type":"resumed","by":"{USER}"}}"#
    )));
    assert!(agree(&format!(
        r#"  {{ "type" : "resolved" , "by" : "{USER}", "at":"2026-03-02T09:00:00.5Z","code":"x\u00e9\n\"","notes":"\ud83d\ude00"}} "#
    )));
    assert!(agree(&format!(
        r#"{{"type":"resolved","by":"{USER}","at":"2026-03-02T10:00:00+01:00","code":"x"}}"#
    )));
}

#[test]
fn what_the_fast_path_leaves_is_decided_by_the_generic_path() {
    for text in [
        work_started(r#","extra":1e400"#),
        work_started(r#","extra":"\udc00""#),
        work_started(r#","type":"work_started""#),
        work_started(r#","at":"2026-03-02T09:00:00Z""#),
        format!(r#"{{"at":"2026-03-02T09:00:00Z","type":"resumed","by":"{USER}","x":1e400}}"#),
        format!(r#"{{"at":"2026-03-02T09:00:00Z","type":"resumed","by":"{USER}","x":"\udc00"}}"#),
        format!(
            r#"{{"type":"resolved","by":"{USER}","at":"2026-03-02T09:00:00Z","code":"x","x":1e400}}"#
        ),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":{{"functional":null}},"level":1}}"#
        ),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":"functional","level":1.0}}"#
        ),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":"functional","level":-0}}"#
        ),
        format!(
            r#"{{"type":"escalated","by":"{USER}","at":"2026-03-02T09:00:00Z","kind":"functional","level":256}}"#
        ),
        format!(r#"["work_started","2026-03-02T09:00:00Z","{USER}"]"#),
        format!(r#"{{"typ\u0065":"work_started","at":"2026-03-02T09:00:00Z","by":"{USER}"}}"#),
        "{}".to_owned(),
        String::new(),
        "[".repeat(200),
        work_started(&format!(r#","x":{}{}"#, "[".repeat(200), "]".repeat(200))),
    ] {
        assert!(!agree(&text), "{text}");
    }
}
