//! The JSON formats, pinned in `docs/schema/`, and policies checked when loaded. After an
//! intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-knowledge --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{Duration, TimeZone, Utc};
use itsm_knowledge::{
    ApprovalId, ApprovalRequest, ArticleId, Command, Content, Event, Feedback, KnownErrorId, Link,
    Policy, Publication, UserId,
};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_knowledge::State;
    use itsm_testkit::pin_schema;
    const UPDATE: &str =
        "UPDATE_SCHEMAS=1 cargo test -p itsm-knowledge --all-features --test schema";
    pin_schema::<Command>("knowledge-command.json", UPDATE);
    pin_schema::<Event>("knowledge-event.json", UPDATE);
    pin_schema::<Policy>("knowledge-policy.json", UPDATE);
    pin_schema::<State>("knowledge-state.json", UPDATE);
}

/// The presets read back as themselves.
#[test]
fn presets_round_trip() {
    for policy in [
        Policy::servicenow(),
        Policy::servicenow_instant(),
        Policy::peer_review(),
    ] {
        let json = serde_json::to_value(&policy).unwrap();
        assert_eq!(serde_json::from_value::<Policy>(json).unwrap(), policy);
    }
}

/// What a vendor writes: the publication by its mode, the interval as an ISO 8601
/// duration, the rest defaulted.
#[test]
fn a_minimal_policy_file_loads_with_documented_defaults() {
    let policy: Policy = serde_json::from_value(json!({
        "publication": {"mode": "review"},
        "permissions": {"approve": ["reviewer"]},
        "review_interval": "P90D"
    }))
    .unwrap();
    assert_eq!(policy.publication, Publication::Review);
    assert_eq!(policy.review_interval, Some(Duration::days(90)));
    assert_eq!(policy.flag_threshold, 0);
    assert!(policy.author_may.is_empty());
    assert!(!policy.publisher_may_retire);
    let json = serde_json::to_value(&policy).unwrap();
    assert_eq!(json["review_interval"], "P90D");
}

/// A policy that cannot work is refused when loaded, naming the problem: a review interval
/// that is not positive, a command name that does not exist, an approval policy that
/// cannot be decided, an unknown field.
#[test]
fn policies_are_checked_when_loaded() {
    let cases = [
        (
            json!({"publication": {"mode": "instant"}, "permissions": {}, "review_interval": "-P1D"}),
            "review_interval must be positive; got -P1D",
        ),
        (
            json!({"publication": {"mode": "instant"}, "permissions": {}, "review_interval": "PT0S"}),
            "review_interval must be positive; got PT0S",
        ),
        (
            json!({"publication": {"mode": "instant"}, "permissions": {}, "author_may": ["aprove"]}),
            "author_may names `aprove`, which is not a command",
        ),
        (
            json!({"publication": {"mode": "approval", "policy": {"name": "x", "stages": []}}, "permissions": {}}),
            "no stages",
        ),
        (
            json!({"publication": {"mode": "instant"}, "permissions": {}, "review_intervall": "P1D"}),
            "unknown field `review_intervall`",
        ),
        (
            json!({"publication": {"mode": "at_once"}, "permissions": {}}),
            "unknown variant `at_once`",
        ),
    ];
    for (json, expected) in cases {
        let err = serde_json::from_value::<Policy>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{err} does not say {expected}");
    }
}

/// The documented JSON forms of commands and events: the `command` and `type` tags, the
/// feedback's `kind`, links as `{"kind", "id"}`, the submit's approval.
#[test]
fn the_json_forms_are_as_documented() {
    let submit = Command::Submit {
        approval: Some(ApprovalRequest::new(ApprovalId::from_u128(1))),
    };
    assert_eq!(
        serde_json::to_value(&submit).unwrap(),
        json!({"command": "submit", "approval": {"id": "00000000-0000-0000-0000-000000000001", "members": {}}})
    );
    let flag: Command = serde_json::from_value(json!({
        "command": "feedback", "feedback": {"kind": "flagged", "reason": "step 3 is wrong"}
    }))
    .unwrap();
    assert_eq!(
        flag,
        Command::Feedback {
            feedback: Feedback::Flagged {
                reason: "step 3 is wrong".into()
            }
        }
    );
    let link: Command = serde_json::from_value(json!({
        "command": "link", "link": {"kind": "known_error", "id": "00000000-0000-0000-0000-000000000006"}
    }))
    .unwrap();
    assert_eq!(
        link,
        Command::Link {
            link: Link::KnownError(KnownErrorId::from_u128(6))
        }
    );
    // Absent optional fields: `submit` without an approval, `retire` without a replacement.
    let bare: Command = serde_json::from_value(json!({"command": "submit"})).unwrap();
    assert_eq!(bare, Command::Submit { approval: None });
    let retire: Command =
        serde_json::from_value(json!({"command": "retire", "reason": "old"})).unwrap();
    assert_eq!(
        retire,
        Command::Retire {
            reason: "old".into(),
            replacement: None
        }
    );
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let created = Event::Created {
        at,
        by: UserId::from_u128(1),
        id: ArticleId::from_u128(2),
        content: Content::new("Title", "Body").into(),
    };
    assert_eq!(
        serde_json::to_value(&created).unwrap(),
        json!({
            "type": "created",
            "at": "2026-03-02T09:00:00Z",
            "by": "00000000-0000-0000-0000-000000000001",
            "id": "00000000-0000-0000-0000-000000000002",
            "content": {"title": "Title", "body": "Body", "category": null}
        })
    );
}
