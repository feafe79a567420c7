//! The JSON formats, pinned in `docs/schema/`, and the formats as users write them.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-continuity --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::Duration;
use itsm_continuity::{Answers, ContinuitySpec, Disruption, Policy, Sequencing, Template, assess};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_continuity::{Assessment, Gaps, Recovery};
    use itsm_testkit::pin_schema;
    const UPDATE: &str =
        "UPDATE_SCHEMAS=1 cargo test -p itsm-continuity --all-features --test schema";
    pin_schema::<ContinuitySpec>("continuity-spec.json", UPDATE);
    pin_schema::<Policy>("continuity-policy.json", UPDATE);
    pin_schema::<Disruption>("continuity-disruption.json", UPDATE);
    pin_schema::<Recovery>("continuity-recovery.json", UPDATE);
    pin_schema::<Gaps>("continuity-gaps.json", UPDATE);
    pin_schema::<Template>("continuity-template.json", UPDATE);
    pin_schema::<Answers>("continuity-answers.json", UPDATE);
    pin_schema::<Assessment>("continuity-assessment.json", UPDATE);
}

/// A spec, a policy and disruptions as a user writes them: durations in ISO 8601, optional
/// fields left out.
#[test]
fn hand_written_inputs_read() {
    let s: ContinuitySpec = serde_json::from_value(json!({
        "objectives": [{"id": "shop", "rto": "PT4H", "mtpd": "P1D"}],
        "capabilities": [{"id": "db", "rta": "PT2H", "rpa": "PT15M"}, {"id": "app"}]
    }))
    .unwrap();
    assert_eq!(s.objectives[0].rto, Duration::hours(4));
    assert_eq!(s.objectives[0].mtpd, Some(Duration::days(1)));
    assert_eq!(s.capabilities[1].rta, None);
    let p: Policy = serde_json::from_value(json!({"sequencing": "parallel"})).unwrap();
    assert_eq!(p.sequencing, Sequencing::Parallel);
    assert_eq!(
        serde_json::from_value::<Policy>(json!({})).unwrap(),
        Policy::default()
    );
    for (j, d) in [
        (json!("everything"), Disruption::Everything),
        (
            json!({"locations": ["north"]}),
            Disruption::Locations(vec!["north".into()]),
        ),
        (
            json!({"nodes": ["db"]}),
            Disruption::Nodes(vec!["db".into()]),
        ),
    ] {
        assert_eq!(serde_json::from_value::<Disruption>(j).unwrap(), d);
    }
}

/// Unknown fields are refused, naming the field; a month is not a duration.
#[test]
fn bad_json_is_refused() {
    let e = serde_json::from_value::<ContinuitySpec>(json!({"objectivs": []})).unwrap_err();
    assert!(e.to_string().contains("objectivs"), "{e}");
    let e = serde_json::from_value::<ContinuitySpec>(
        json!({"objectives": [{"id": "x", "rto": "P1M"}]}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("P1M"), "{e}");
}

/// A template and answers as a user writes them, assessed.
#[test]
fn a_hand_written_template_assesses() {
    let mut t: Template = serde_json::from_value(json!({
        "timeframes": [{"name": "4 Hours", "starts_at": "PT4H"}, {"name": "1 Day", "starts_at": "P1D"}],
        "tiers": [{"name": "Critical", "timeframes": ["4 Hours"]}, {"name": "Other", "timeframes": ["1 Day"]}],
        "categories": [
            {"name": "Revenue", "contributes": "rto", "maximum_rto": "1 Day",
             "ratings": [{"name": "Low", "value": 1, "tolerable": true}, {"name": "High", "value": 2, "tolerable": false}]},
            {"name": "Data", "contributes": "rpo"}
        ],
        "rpo_bands": [{"lower": 0, "upper": 100, "timeframe": "4 Hours"}]
    }))
    .unwrap();
    let a: Answers = serde_json::from_value(json!({
        "disruption": [{"category": "Revenue", "rating": "Low", "timeframe": "4 Hours"},
                       {"category": "Revenue", "rating": "High", "timeframe": "1 Day"}],
        "scores": [{"category": "Data", "value": 7}]
    }))
    .unwrap();
    let r = assess(&t, &a).unwrap();
    assert_eq!(
        (r.rto.as_deref(), r.tier.as_deref()),
        (Some("1 Day"), Some("Other"))
    );
    assert_eq!(r.rpo.as_deref(), Some("4 Hours"));
    let back: Template = serde_json::from_value(serde_json::to_value(&t).unwrap()).unwrap();
    assert_eq!(back, t);
    t.rating_rule = itsm_continuity::RatingRule::AboveHighestTolerable;
    assert_eq!(
        serde_json::to_value(&t).unwrap()["rating_rule"],
        "above_highest_tolerable"
    );
}
