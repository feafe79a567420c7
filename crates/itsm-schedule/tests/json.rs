//! The JSON forms: examples read and written, windows checked when read, and the schemas
//! pinned in `docs/schema/` (regenerate with `UPDATE_SCHEMAS=1 cargo test -p itsm-schedule
//! --all-features --test json`).
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::Duration;
use itsm_core::{ChangeId, ConfigItemId};
use itsm_schedule::{Checks, Conflict, Limits, Pair, Proposal, ScheduledChange, Search, Window};
use serde_json::json;

#[test]
fn a_scheduled_change_reads_with_missing_ends_and_writes_back() {
    let text = json!({
        "change": "00000000-0000-0000-0000-000000000001",
        "items": ["00000000-0000-0000-0000-00000000000a"],
        "start": "2026-03-07T22:00:00Z",
        "end": null
    });
    let change: ScheduledChange = serde_json::from_value(text.clone()).unwrap();
    assert_eq!(change.change, ChangeId::from_u128(1));
    assert_eq!(change.items, [ConfigItemId::from_u128(10)]);
    assert_eq!(change.end, None);
    assert_eq!(serde_json::to_value(&change).unwrap(), text);
    assert!(
        serde_json::from_value::<ScheduledChange>(
            json!({"change": "00000000-0000-0000-0000-000000000001", "when": 1})
        )
        .is_err()
    );
}

#[test]
fn windows_are_checked_when_read() {
    let ok: Window = serde_json::from_value(
        json!({"start": "2026-03-07T22:00:00Z", "end": "2026-03-08T02:00:00Z"}),
    )
    .unwrap();
    assert_eq!(ok.length(), Duration::hours(4));
    let err = serde_json::from_value::<Window>(
        json!({"start": "2026-03-07T22:00:00Z", "end": "2026-03-07T22:00:00Z"}),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("does not end after it starts"),
        "{err}"
    );
    assert_eq!(ok.to_string(), "2026-03-07T22:00:00Z/2026-03-08T02:00:00Z");
}

#[test]
fn settings_read_with_defaults_in_iso_8601() {
    let limits: Limits = serde_json::from_value(json!({})).unwrap();
    assert_eq!(limits, Limits::new());
    assert_eq!(
        serde_json::to_value(Limits::new()).unwrap(),
        json!({"longest": "P366D"})
    );
    let search: Search = serde_json::from_value(json!({"horizon": "P30D"})).unwrap();
    assert_eq!(
        (search.horizon, search.count, search.step),
        (Duration::days(30), 100, Duration::hours(1))
    );
    let checks: Checks = serde_json::from_value(json!({"assignee": false})).unwrap();
    assert!(!checks.assignee && checks.same_item);
}

#[test]
fn conflicts_and_pairs_are_tagged_and_flat() {
    let c = Conflict::ItemScheduled {
        item: ConfigItemId::from_u128(10),
        change: ChangeId::from_u128(1),
    };
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        json!({"reason": "item_scheduled", "item": "00000000-0000-0000-0000-00000000000a", "change": "00000000-0000-0000-0000-000000000001"})
    );
    let p = Pair::new(ChangeId::from_u128(2), ChangeId::from_u128(1)).unwrap();
    assert_eq!(
        serde_json::to_value(p).unwrap(),
        json!({"first": "00000000-0000-0000-0000-000000000001", "second": "00000000-0000-0000-0000-000000000002"})
    );
    let proposal: Proposal = serde_json::from_value(json!({"items": [], "window": {"start": "2026-03-07T22:00:00Z", "end": "2026-03-07T23:00:00Z"}})).unwrap();
    assert_eq!(proposal.change, None);
}

#[cfg(feature = "schemars")]
mod schema {
    use super::*;

    const HOW: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-schedule --all-features --test json";

    #[test]
    fn schemas_are_pinned() {
        itsm_testkit::pin_schema::<ScheduledChange>("schedule-change.json", HOW);
        itsm_testkit::pin_schema::<Proposal>("schedule-proposal.json", HOW);
        itsm_testkit::pin_schema::<Conflict>("schedule-conflict.json", HOW);
        itsm_testkit::pin_schema::<Search>("schedule-search.json", HOW);
        itsm_testkit::pin_schema::<Checks>("schedule-checks.json", HOW);
        itsm_testkit::pin_schema::<Limits>("schedule-limits.json", HOW);
    }
}
