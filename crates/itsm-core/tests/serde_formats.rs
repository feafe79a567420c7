//! JSON formats: round trips, a pinned shape per policy type, and deserialization that goes
//! through the checked constructors.
#![cfg(feature = "serde")]
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use itsm_core::{Actor, GroupId, Permissions, Role, UserId};
use itsm_core::{ConfigItemId, ServiceId};
use itsm_core::{
    Direction, Impact, MatrixSpec, PriorityExplanation, PriorityMatrix, Rounding, Rule, Scale,
    Urgency,
};
use serde_json::{Value, json};

fn presets() -> Vec<PriorityMatrix> {
    vec![
        PriorityMatrix::servicenow(),
        PriorityMatrix::itop(),
        PriorityMatrix::glpi(),
        PriorityMatrix::floor_average(),
    ]
}

fn tiny() -> PriorityMatrix {
    let scale = Scale::numbered(Direction::LowerIsMoreSevere, &["High", "Low"]);
    PriorityMatrix::new(MatrixSpec {
        name: "tiny".into(),
        impact: scale.clone(),
        urgency: scale.clone(),
        priority: scale,
        rule: Rule::Formula {
            offset: 0,
            divisor: 2,
            rounding: Rounding::Ceil,
        },
    })
    .unwrap()
}

/// Deserializes a matrix, returning the error text.
fn matrix_from(value: Value) -> Result<PriorityMatrix, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[test]
fn every_preset_round_trips_to_an_equal_matrix() {
    for m in presets() {
        let text = serde_json::to_string(&m).unwrap();
        let back: PriorityMatrix = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m, "{}", m.name());
        // A matrix serializes as its spec, and the spec deserializes to the same spec.
        let spec: MatrixSpec = serde_json::from_str(&text).unwrap();
        assert_eq!(&spec, m.spec());
        // The round trip keeps every value, not just equality of the struct.
        for i in &m.spec().impact.levels {
            for u in &m.spec().urgency.levels {
                assert_eq!(
                    back.explain(Impact(i.value), Urgency(u.value)),
                    m.explain(Impact(i.value), Urgency(u.value))
                );
            }
        }
    }
}

#[test]
fn a_matrix_has_a_stable_json_shape() {
    assert_eq!(
        serde_json::to_value(tiny()).unwrap(),
        json!({
            "name": "tiny",
            "impact": {"direction": "lower_is_more_severe", "levels": [{"value": 1, "label": "High"}, {"value": 2, "label": "Low"}]},
            "urgency": {"direction": "lower_is_more_severe", "levels": [{"value": 1, "label": "High"}, {"value": 2, "label": "Low"}]},
            "priority": {"direction": "lower_is_more_severe", "levels": [{"value": 1, "label": "High"}, {"value": 2, "label": "Low"}]},
            "rule": {"kind": "formula", "offset": 0, "divisor": 2, "rounding": "ceil"}
        })
    );
    let glpi = serde_json::to_value(PriorityMatrix::glpi()).unwrap();
    assert_eq!(glpi["impact"]["direction"], "higher_is_more_severe");
    assert_eq!(glpi["rule"]["kind"], "table");
    assert_eq!(
        glpi["rule"]["cells"][0],
        json!({"impact": 1, "urgency": 1, "priority": 1})
    );
    assert_eq!(
        serde_json::to_value(Rounding::HalfAwayFromZero).unwrap(),
        "half_away_from_zero"
    );
}

#[test]
fn deserializing_an_invalid_spec_fails_through_the_checked_constructor() {
    // A missing cell.
    let mut value = serde_json::to_value(PriorityMatrix::servicenow()).unwrap();
    value["rule"]["cells"].as_array_mut().unwrap().pop();
    let err = matrix_from(value.clone()).unwrap_err();
    assert!(
        err.starts_with(
            "the priority table has no cell for impact 3 and urgency 3; a table must cover every pair"
        ),
        "{err}"
    );
    // The plain spec still reads: only the matrix is checked.
    let spec: MatrixSpec = serde_json::from_value(value).unwrap();
    assert!(matches!(spec.rule, Rule::Table { ref cells } if cells.len() == 8));

    // Not monotone.
    let mut value = serde_json::to_value(PriorityMatrix::servicenow()).unwrap();
    value["rule"]["cells"][0]["priority"] = json!(5);
    let err = matrix_from(value).unwrap_err();
    assert!(err.starts_with("the matrix is not monotone"), "{err}");

    // A formula off the scale and a zero divisor.
    let mut value = serde_json::to_value(tiny()).unwrap();
    value["rule"]["offset"] = json!(5);
    let err = matrix_from(value).unwrap_err();
    assert!(
        err.starts_with("the formula gives 4 for impact 1 and urgency 1"),
        "{err}"
    );
    let mut value = serde_json::to_value(tiny()).unwrap();
    value["rule"]["divisor"] = json!(0);
    let err = matrix_from(value).unwrap_err();
    assert!(err.starts_with("the formula divides by zero"), "{err}");

    // An empty scale.
    let mut value = serde_json::to_value(tiny()).unwrap();
    value["urgency"]["levels"] = json!([]);
    let err = matrix_from(value).unwrap_err();
    assert!(err.starts_with("the urgency scale has no levels"), "{err}");
}

#[test]
fn unknown_fields_in_a_spec_are_refused() {
    let mut value = serde_json::to_value(tiny()).unwrap();
    value["colour"] = json!("red");
    let err = matrix_from(value).unwrap_err();
    assert!(err.contains("unknown field `colour`"), "{err}");

    let mut value = serde_json::to_value(tiny()).unwrap();
    value["rule"]["extra"] = json!(1);
    let err = matrix_from(value).unwrap_err();
    assert!(err.contains("unknown field `extra`"), "{err}");

    let mut value = serde_json::to_value(tiny()).unwrap();
    value["rule"]["kind"] = json!("lookup");
    let err = matrix_from(value).unwrap_err();
    assert!(err.contains("unknown variant `lookup`"), "{err}");
}

#[test]
fn an_explanation_round_trips_and_has_a_stable_shape() {
    let why = tiny().explain(Impact(1), Urgency(2)).unwrap();
    let value = serde_json::to_value(&why).unwrap();
    assert_eq!(
        value,
        json!({
            "matrix": "tiny",
            "impact": {"value": 1, "label": "High"},
            "urgency": {"value": 2, "label": "Low"},
            "priority": {"value": 2, "label": "Low"},
            "rule": {"kind": "formula", "offset": 0, "divisor": 2, "rounding": "ceil"}
        })
    );
    let back: PriorityExplanation = serde_json::from_value(value).unwrap();
    assert_eq!(back, why);
    let cell = PriorityMatrix::itop()
        .explain(Impact(1), Urgency(1))
        .unwrap();
    assert_eq!(
        serde_json::to_value(&cell).unwrap()["rule"],
        json!({"kind": "cell"})
    );
}

#[test]
fn roles_read_from_json_must_not_be_empty() {
    let role: Role = serde_json::from_str("\"agent\"").unwrap();
    assert_eq!(role.as_str(), "agent");
    assert_eq!(serde_json::to_string(&role).unwrap(), "\"agent\"");
    let err = serde_json::from_str::<Role>("\"\"")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("a role name must not be empty"), "{err}");
}

#[test]
fn permissions_round_trip_as_a_map_of_action_to_roles() {
    let agent = Role::new("agent").unwrap();
    let manager = Role::new("manager").unwrap();
    let perms = Permissions::new()
        .allow("resolve", [manager.clone(), agent.clone()])
        .allow("close", [manager]);
    let value = serde_json::to_value(&perms).unwrap();
    assert_eq!(
        value,
        json!({"close": ["manager"], "resolve": ["agent", "manager"]})
    );
    let back: Permissions = serde_json::from_value(value).unwrap();
    assert_eq!(back, perms);

    let err = serde_json::from_value::<Permissions>(json!({"close": ["agent", ""]}))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("a role name must not be empty"), "{err}");
}

#[test]
fn actors_round_trip() {
    let actor = Actor::new(
        UserId::from_u128(0x2a),
        [Role::new("caller").unwrap(), Role::new("agent").unwrap()],
    );
    let value = serde_json::to_value(&actor).unwrap();
    assert_eq!(
        value,
        json!({"user": "00000000-0000-0000-0000-00000000002a", "roles": ["agent", "caller"]})
    );
    let back: Actor = serde_json::from_value(value).unwrap();
    assert_eq!(back, actor);
    let err = serde_json::from_value::<Actor>(
        json!({"user": "00000000-0000-0000-0000-00000000002a", "roles": [""]}),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("a role name must not be empty"), "{err}");
}

#[test]
fn ids_are_plain_uuid_strings() {
    let id = GroupId::from_u128(7);
    assert_eq!(id.to_string(), "00000000-0000-0000-0000-000000000007");
    assert_eq!(
        serde_json::to_value(id).unwrap(),
        json!("00000000-0000-0000-0000-000000000007")
    );
    let back: ServiceId =
        serde_json::from_value(json!("00000000-0000-0000-0000-000000000007")).unwrap();
    assert_eq!(back, ServiceId::from_u128(7));
    assert!(serde_json::from_value::<ConfigItemId>(json!("not-a-uuid")).is_err());
}
