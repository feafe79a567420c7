//! Formats: the sample rule sets in `examples/rules/` load and check as documented (the
//! service-desk set clean, the broken set with each planted fault), JSON round trips, the
//! JSON short forms, and the pinned JSON Schema `docs/schema/rules-set.json`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use itsm_rules::chrono::Duration;
use itsm_rules::{
    Action, Anchor, Condition, Error, Finding, Mode, RuleSet, RuleSetSpec, Trigger, ViewField,
    check,
};
use itsm_testkit::workspace_root;

fn load(name: &str) -> RuleSet {
    let path = workspace_root().join("examples/rules").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_service_desk_set_is_clean() {
    let set = load("service-desk.json");
    assert_eq!(set.mode(), Mode::AllMatches);
    assert_eq!(check(&set), []);
}

#[test]
fn the_broken_set_shows_each_planted_fault() {
    let set = load("broken.json");
    let lines: Vec<String> = check(&set).iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "never fires: rule `p1-and-p2` has a condition no record can meet (a contradiction, with what its trigger implies)",
            "never fires: rule `route-network-p1` is shadowed: whenever it matches, earlier rule(s) `route-network`, run by every event that runs it, match too and win",
            "no deadline: time rule `breach-follow-up` never comes due: it counts from time `breached_at`, which the vocabulary does not declare, so no record has it",
            "unknown group: rule `unknown-names` names group `Group 999`, which the vocabulary does not declare",
            "unknown state: rule `unknown-names` names state `reslved`, which the vocabulary does not declare",
            "unknown field: rule `unknown-names` names field `vipp`, which the vocabulary does not declare",
            "conflict: rules `impact-from-priority` and `impact-from-urgency` can both fire for one event and set impact to `1` and `2`; which value stays depends on the order",
            "loop: rule `vip-watch` changes field `vip`, which its own trigger watches, and still matches afterwards: it fires again for the same event",
            "loop: rules trigger each other in a cycle: `ping`, `pong` -> `ping`",
        ]
    );
}

#[test]
fn json_short_forms_read_as_documented() {
    let spec: RuleSetSpec = serde_json::from_str(
        r#"{"mode": "first_match", "rules": [
            {"id": "a", "when": {"after": {"anchor": {"time": "resolved_at"}, "delay": "PT2H", "calendar": "office"}},
             "condition": {"all": [{"is_set": {"field": "vip"}}, {"idle_at_least": "P1D"}]},
             "actions": [{"link": {"relation": "problem", "to": "PRB1"}}, {"add_watcher": "ana"}]},
            {"id": "b", "when": {"updated": {}}, "actions": [{"set_urgency": 1}]}
        ]}"#,
    )
    .unwrap();
    assert_eq!(spec.max_changes, itsm_rules::DEFAULT_MAX_CHANGES);
    assert_eq!(
        spec.rules[0].when,
        Trigger::After {
            anchor: Anchor::Time("resolved_at".into()),
            delay: Duration::hours(2),
            calendar: Some("office".into()),
        }
    );
    assert_eq!(
        spec.rules[0].condition,
        Condition::All(vec![
            Condition::IsSet(ViewField::Field("vip".into())),
            Condition::IdleAtLeast(Duration::days(1)),
        ])
    );
    assert_eq!(spec.rules[1].when, Trigger::Updated { fields: vec![] });
    assert_eq!(spec.rules[1].condition, Condition::Always);
    assert_eq!(spec.rules[1].actions, [Action::SetUrgency(1)]);
    let set = RuleSet::new(spec.clone()).unwrap();
    let back: RuleSetSpec = serde_json::from_str(&serde_json::to_string(&set).unwrap()).unwrap();
    assert_eq!(back, spec);
}

#[test]
fn a_rule_set_is_checked_when_read() {
    let e = serde_json::from_str::<RuleSet>(
        r#"{"mode": "all_matches", "max_changes": 0, "rules": []}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("max_changes is 0"), "{e}");
    let e = serde_json::from_str::<RuleSet>(
        r#"{"mode": "all_matches", "rules": [{"id": "x", "when": "created", "actions": []}]}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("rule `x` has no actions"), "{e}");
    let unknown =
        serde_json::from_str::<RuleSet>(r#"{"mode": "all_matches", "rules": [], "colour": 1}"#);
    assert!(unknown.is_err());
    let _ = Error::InvalidMaxChanges;
    let _ = Finding::NeverFires {
        rule: String::new(),
    };
}

#[cfg(feature = "schemars")]
mod pinned {
    use itsm_rules::RuleSetSpec;
    use itsm_testkit::pin_schema;

    const HOW: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-rules --all-features --test formats";

    #[test]
    fn the_rule_set_schema_is_pinned() {
        pin_schema::<RuleSetSpec>("rules-set.json", HOW);
    }
}
