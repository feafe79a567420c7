//! `Policy::check` names each kind of bad table, and the CI status mapping picks the rule
//! naming the substate before the one that names none.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use itsm_asset::{
    AssetClass, CiStatusRule, Error, Policy, RestockSource, StateRule, Status, StockRule, Substate,
};

fn field(policy: &Policy) -> &'static str {
    match policy.check() {
        Err(Error::InvalidPolicy { field, .. }) => field,
        other => panic!("expected an invalid policy, got {other:?}"),
    }
}

fn rule(name: &str, order: u64) -> StockRule {
    StockRule {
        name: name.into(),
        model: "keyboard".into(),
        stockroom: "Dublin".into(),
        threshold: 5,
        order,
        source: RestockSource::Vendor("acme".into()),
    }
}

#[test]
fn the_preset_is_valid() {
    assert_eq!(Policy::servicenow().check(), Ok(()));
}

#[test]
fn bad_state_tables_are_named() {
    let mut p = Policy::servicenow();
    p.states.push(StateRule {
        status: Status::InStock,
        substate: Some(Substate::new("")),
        classes: vec![AssetClass::Hardware],
    });
    assert_eq!(field(&p), "states.substate");
    let mut p = Policy::servicenow();
    p.states.push(StateRule {
        status: Status::InStock,
        substate: Some(Substate::new("awaiting_badge")),
        classes: vec![],
    });
    assert_eq!(field(&p), "states.classes");
    // The same pair twice for one class; for another class it is fine.
    let mut p = Policy::servicenow();
    p.states.push(StateRule {
        status: Status::Build,
        substate: None,
        classes: vec![AssetClass::Other],
    });
    assert_eq!(field(&p), "states");
    let mut p = Policy::servicenow();
    p.states.push(StateRule {
        status: Status::Build,
        substate: None,
        classes: vec![AssetClass::Hardware],
    });
    assert_eq!(p.check(), Ok(()));
    // The same substate with another state is another pair.
    let mut p = Policy::servicenow();
    p.states.push(StateRule {
        status: Status::InMaintenance,
        substate: Some(Substate::AVAILABLE),
        classes: vec![AssetClass::Hardware],
    });
    assert_eq!(p.check(), Ok(()));
    // Assignable substates must exist with in stock.
    let mut p = Policy::servicenow();
    p.assignable.push(Substate::LOST);
    assert_eq!(field(&p), "assignable");
}

#[test]
fn bad_ci_mappings_are_named() {
    for (ci_status, substate) in [("", None), ("installed", Some(Substate::new("")))] {
        let mut p = Policy::servicenow();
        p.ci_status.push(CiStatusRule {
            status: Status::InUse,
            substate,
            ci_status: ci_status.into(),
        });
        assert_eq!(field(&p), "ci_status");
    }
}

#[test]
fn bad_stock_rules_are_named() {
    for bad in [
        StockRule {
            name: String::new(),
            ..rule("x", 1)
        },
        StockRule {
            model: String::new(),
            ..rule("x", 1)
        },
        StockRule {
            stockroom: String::new(),
            ..rule("x", 1)
        },
    ] {
        let mut p = Policy::servicenow();
        p.stock_rules.push(bad);
        assert_eq!(field(&p), "stock_rules");
    }
    let mut p = Policy::servicenow();
    p.stock_rules.push(rule("x", 0));
    assert_eq!(field(&p), "stock_rules.order");
    // Names used twice, in a short list and in a long one (checked through a set).
    for n in [2usize, 300] {
        let mut p = Policy::servicenow();
        p.stock_rules = (0..n).map(|i| rule(&format!("r{i}"), 1)).collect();
        assert_eq!(p.check(), Ok(()), "{n} distinct names");
        p.stock_rules.push(rule("r1", 1));
        assert_eq!(field(&p), "stock_rules.name", "{n} names and a repeat");
    }
}

#[test]
fn the_ci_rule_naming_the_substate_wins() {
    let mut p = Policy::servicenow();
    p.ci_status = vec![
        CiStatusRule {
            status: Status::InStock,
            substate: None,
            ci_status: "in_stock".into(),
        },
        CiStatusRule {
            status: Status::InStock,
            substate: Some(Substate::DEFECTIVE),
            ci_status: "broken".into(),
        },
        CiStatusRule {
            status: Status::Missing,
            substate: Some(Substate::LOST),
            ci_status: "absent".into(),
        },
    ];
    assert_eq!(
        p.ci_status_of(Status::InStock, Some(&Substate::DEFECTIVE)),
        Some("broken")
    );
    assert_eq!(
        p.ci_status_of(Status::InStock, Some(&Substate::AVAILABLE)),
        Some("in_stock")
    );
    assert_eq!(p.ci_status_of(Status::InStock, None), Some("in_stock"));
    // A rule naming a substate applies to that substate only, and only with its state.
    assert_eq!(
        p.ci_status_of(Status::Missing, Some(&Substate::STOLEN)),
        None
    );
    assert_eq!(
        p.ci_status_of(Status::Missing, Some(&Substate::LOST)),
        Some("absent")
    );
    assert_eq!(
        p.ci_status_of(Status::InUse, Some(&Substate::DEFECTIVE)),
        None
    );
    assert_eq!(p.ci_status_of(Status::Retired, None), None);
}
