//! Decimal variables: an amount with at most N decimal places, exact, bounded by the number
//! rules, compared by value in visibility conditions, and read from JSON numbers.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use itsm_catalogue::{
    Bound, Catalogue, CatalogueSpec, Condition, Decimal, Error, ItemSpec, Rule, TaskSpec, Value,
    Variable, VariableKind,
};

fn d(text: &str) -> Value {
    Value::Decimal(text.parse::<Decimal>().unwrap())
}

/// A cloud budget item: a monthly budget in euros (2 places, 0 to 5000), a storage quota in
/// terabytes (1 place), and a justification shown only for a budget of exactly 5000.
fn catalogue() -> Catalogue {
    let mut item = ItemSpec::new("cloud_budget", TaskSpec::new("set_up", "Set up"));
    let mut budget = Variable::new("budget", VariableKind::Decimal(2));
    budget.required = true;
    budget.rules = vec![Rule::Min(0.into()), Rule::Max(5000.into())];
    let quota = Variable::new("quota_tb", VariableKind::Decimal(1));
    let mut why = Variable::new("why", VariableKind::Text);
    why.required = true;
    why.visible_when = Some(Condition::Equals {
        variable: "budget".into(),
        value: d("5000.00"),
    });
    item.variables = vec![budget, quota, why];
    Catalogue::new(CatalogueSpec::new([item])).unwrap()
}

fn errors(answers: &[(&str, Value)]) -> Vec<String> {
    let answers: BTreeMap<String, Value> = answers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    match catalogue().validate("cloud_budget", &answers) {
        Ok(_) => Vec::new(),
        Err(Error::InvalidOrder { errors }) => errors.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn amounts_within_their_places_and_bounds_are_kept_exactly() {
    let answers = BTreeMap::from([
        ("budget".to_owned(), d("1299.90")),
        ("quota_tb".to_owned(), Value::Number(12)),
    ]);
    let kept = catalogue().validate("cloud_budget", &answers).unwrap();
    assert_eq!(kept["budget"].to_string(), "1299.9");
    assert_eq!(kept["quota_tb"], Value::Number(12));
}

#[test]
fn too_many_places_a_bound_broken_or_a_wrong_kind_are_field_errors() {
    assert_eq!(
        errors(&[("budget", d("12.345")), ("quota_tb", d("0.25"))]),
        [
            "line 0, field `budget` (type): 12.345 has 3 decimal places; at most 2 allowed",
            "line 0, field `quota_tb` (type): 0.25 has 2 decimal places; at most 1 allowed",
        ]
    );
    assert_eq!(
        errors(&[("budget", d("5000.01"))]),
        ["line 0, field `budget` (max): 5000.01 is more than 5000"]
    );
    assert_eq!(
        errors(&[("budget", d("-0.5"))]),
        ["line 0, field `budget` (min): -0.5 is less than 0"]
    );
    assert_eq!(
        errors(&[("budget", Value::Text("12".into()))]),
        ["line 0, field `budget` (type): \"12\" is not a decimal value"]
    );
}

#[test]
fn a_whole_number_and_a_decimal_of_the_same_value_are_equal_in_conditions() {
    // The condition says 5000.00; the answer 5000 shows the justification all the same.
    assert_eq!(
        errors(&[("budget", Value::Number(5000))]),
        ["line 0, field `why` (required): a value is required"]
    );
    assert_eq!(
        errors(&[("budget", d("5000.0"))]),
        ["line 0, field `why` (required): a value is required"]
    );
    assert!(errors(&[("budget", d("4999.99"))]).is_empty());
}

#[test]
fn a_number_variable_refuses_a_fraction_and_a_kind_allows_at_most_15_places() {
    let mut item = ItemSpec::new("i", TaskSpec::new("t", ""));
    item.variables = vec![Variable::new("n", VariableKind::Number)];
    let catalogue = Catalogue::new(CatalogueSpec::new([item])).unwrap();
    let answers = BTreeMap::from([("n".to_owned(), d("1.5"))]);
    let Err(Error::InvalidOrder { errors }) = catalogue.validate("i", &answers) else {
        panic!()
    };
    assert_eq!(
        errors[0].to_string(),
        "line 0, field `n` (type): 1.5 is not a whole number; a number variable holds whole numbers"
    );
    let mut item = ItemSpec::new("i", TaskSpec::new("t", ""));
    item.variables = vec![Variable::new("n", VariableKind::Decimal(16))];
    let err = Catalogue::new(CatalogueSpec::new([item])).unwrap_err();
    assert!(
        err.to_string()
            .contains("variable `n` allows 16 decimal places; at most 15"),
        "{err}"
    );
}

#[cfg(feature = "serde")]
#[test]
fn json_numbers_read_as_whole_numbers_or_exact_decimals() {
    let v: Value = serde_json::from_str("12").unwrap();
    assert_eq!(v, Value::Number(12));
    let v: Value = serde_json::from_str("0.1").unwrap();
    assert_eq!(v, d("0.1"));
    assert_eq!(serde_json::to_string(&v).unwrap(), "0.1");
    let v: Value = serde_json::from_str("1299.90").unwrap();
    assert_eq!(v.to_string(), "1299.9");
    // Past 15 digits a number is no decimal (and no other value either).
    assert!(serde_json::from_str::<Value>("0.12345678901234567").is_err());
    // A decimal with no places stays a decimal through JSON.
    let v: Value = serde_json::from_str("5000.0").unwrap();
    assert_eq!(v, d("5000"));
    assert_eq!(serde_json::to_string(&v).unwrap(), "5000.0");
    assert_eq!(serde_json::from_str::<Value>("5000.0").unwrap(), v);
    let kind: VariableKind = serde_json::from_str(r#"{"decimal": 2}"#).unwrap();
    assert_eq!(kind, VariableKind::Decimal(2));
}

/// One item with a variable of `kind` bounded by `min` and `max`; the errors `value` gets.
fn bounded(kind: VariableKind, min: Bound, max: Bound, value: Value) -> Vec<String> {
    let mut item = ItemSpec::new("i", TaskSpec::new("t", "T"));
    let mut v = Variable::new("v", kind);
    v.rules = vec![Rule::Min(min), Rule::Max(max)];
    item.variables = vec![v];
    let answers = BTreeMap::from([("v".to_owned(), value)]);
    match Catalogue::new(CatalogueSpec::new([item]))
        .unwrap()
        .validate("i", &answers)
    {
        Ok(_) => Vec::new(),
        Err(Error::InvalidOrder { errors }) => errors.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn decimal_bounds_are_exact_for_decimals_and_numbers() {
    let dec = |t: &str| Bound::from(t.parse::<Decimal>().unwrap());
    // A dose of 0.5 to 2.25 units, two places: the bounds themselves pass, a hundredth past
    // either fails.
    let kind = || VariableKind::Decimal(2);
    for ok in ["0.5", "0.50", "2.25", "1"] {
        assert_eq!(
            bounded(kind(), dec("0.5"), dec("2.25"), d(ok)),
            Vec::<String>::new(),
            "{ok}"
        );
    }
    assert_eq!(
        bounded(kind(), dec("0.5"), dec("2.25"), d("0.49")),
        ["line 0, field `v` (min): 0.49 is less than 0.5"]
    );
    assert_eq!(
        bounded(kind(), dec("0.5"), dec("2.25"), d("2.26")),
        ["line 0, field `v` (max): 2.26 is more than 2.25"]
    );
    // A whole answer to a decimal variable, against decimal bounds.
    assert_eq!(
        bounded(kind(), dec("0.5"), dec("2.25"), Value::Number(3)),
        ["line 0, field `v` (max): 3 is more than 2.25"]
    );
    // A number variable with decimal bounds: 0.5 to 2.5 takes 1 and 2.
    let n = || VariableKind::Number;
    assert!(bounded(n(), dec("0.5"), dec("2.5"), Value::Number(1)).is_empty());
    assert!(bounded(n(), dec("0.5"), dec("2.5"), Value::Number(2)).is_empty());
    assert_eq!(
        bounded(n(), dec("0.5"), dec("2.5"), Value::Number(0)),
        ["line 0, field `v` (min): 0 is less than 0.5"]
    );
    assert_eq!(
        bounded(n(), dec("0.5"), dec("2.5"), Value::Number(3)),
        ["line 0, field `v` (max): 3 is more than 2.5"]
    );
    // Whole bounds over the whole i64 range, as before.
    assert!(
        bounded(
            n(),
            i64::MIN.into(),
            i64::MAX.into(),
            Value::Number(i64::MAX)
        )
        .is_empty()
    );
    assert!(bounded(kind(), i64::MIN.into(), 0.into(), d("-0.01")).is_empty());
}

#[cfg(feature = "serde")]
#[test]
fn bounds_read_from_json_numbers_whole_or_decimal() {
    let rule: Rule = serde_json::from_str(r#"{"min": 8}"#).unwrap();
    assert_eq!(rule, Rule::Min(Bound::Whole(8)));
    assert_eq!(serde_json::to_string(&rule).unwrap(), r#"{"min":8}"#);
    let rule: Rule = serde_json::from_str(r#"{"max": 0.5}"#).unwrap();
    assert_eq!(rule, Rule::Max("0.5".parse::<Decimal>().unwrap().into()));
    assert_eq!(serde_json::to_string(&rule).unwrap(), r#"{"max":0.5}"#);
    // Whole bounds past a decimal's 15 digits still read, as whole numbers.
    let rule: Rule = serde_json::from_str(r#"{"min": -9223372036854775808}"#).unwrap();
    assert_eq!(rule, Rule::Min(Bound::Whole(i64::MIN)));
    // A fraction past 15 digits, text or a boolean is no bound.
    for bad in [
        r#"{"min": 0.12345678901234567}"#,
        r#"{"min": "1"}"#,
        r#"{"min": true}"#,
    ] {
        assert!(serde_json::from_str::<Rule>(bad).is_err(), "{bad}");
    }
}
