//! Size: the checker on rule sets of hundreds to thousands of rules. Each answer is checked;
//! a search that branched on every earlier rule (the first-match case below took 59 s at 500
//! rules before 2026-12-05), or a comparison of every pair, would not finish in the time of
//! `cargo test`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use itsm_rules::{
    Action, Condition, Finding, Mode, RuleSet, RuleSetSpec, RuleSpec, Trigger, check,
};

const RULES: usize = 600;

/// Rule `r{i}`: the classification in `classes` and the priority in `priorities`.
fn route(i: usize, classes: Vec<String>, priorities: Vec<u8>) -> RuleSpec {
    RuleSpec::new(
        format!("r{i}"),
        Trigger::Created,
        Condition::All(vec![
            Condition::ClassificationIn(classes),
            Condition::PriorityIn(priorities),
        ]),
        vec![Action::AssignGroup(format!("g{}", i % 50))],
    )
}

fn classes(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("c{i}")).collect()
}

#[test]
fn a_rule_shadowed_by_six_hundred_earlier_rules_together_is_found() {
    // r0..r599 route one classification each at priorities 1 to 3; the last two route all
    // of them at priority 1 or 2, and all of them or one more. Only the first of the two is
    // shadowed, by every earlier rule together: each earlier rule fails in one of two ways,
    // so a search that branched on each would need 600 choices deep (the search gives up
    // past 400) and 2^600 ways.
    let mut rules: Vec<RuleSpec> = (0..RULES)
        .map(|i| route(i, vec![format!("c{i}")], vec![1, 2, 3]))
        .collect();
    rules.push(route(RULES, classes(RULES), vec![1, 2]));
    let mut wider = classes(RULES);
    wider.push("other".into());
    rules.push(route(RULES + 1, wider, vec![1, 2]));
    let set = RuleSet::new(RuleSetSpec::new(Mode::FirstMatch, rules)).unwrap();
    let findings = check(&set);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let Finding::Shadowed { rule, by } = &findings[0] else {
        panic!("{findings:?}");
    };
    assert_eq!(rule, &format!("r{RULES}"));
    assert_eq!(by.len(), RULES);
    assert_eq!(by[RULES - 1], format!("r{}", RULES - 1));
}

/// A routing table's size: rules are indexed by the values they require, so each is
/// compared with the few that can hold with it (2,000 such rules took 2.2-2.4 s in a
/// release build when every pair was compared).
const TABLE: usize = 20_000;

#[test]
fn twenty_thousand_routing_rules_on_distinct_classifications_check_clean() {
    // Every rule sets the group, to one of 50 values: pairs clash on the field, but no two
    // can hold together, in either mode.
    for mode in [Mode::FirstMatch, Mode::AllMatches] {
        let rules: Vec<RuleSpec> = (0..TABLE)
            .map(|i| route(i, vec![format!("c{i}")], vec![(i % 4 + 1) as u8]))
            .collect();
        let set = RuleSet::new(RuleSetSpec::new(mode, rules)).unwrap();
        assert_eq!(check(&set), [], "{mode:?}");
    }
}

fn one_rule(condition: Condition) -> Vec<Finding> {
    let rule = RuleSpec::new(
        "r",
        Trigger::Created,
        condition,
        vec![Action::AssignGroup("g".into())],
    );
    check(&RuleSet::new(RuleSetSpec::new(Mode::FirstMatch, vec![rule])).unwrap())
}

#[test]
fn one_condition_of_sixteen_thousand_choices_is_decided() {
    const N: usize = 16_000;
    // Each clause: classification c(i) or group g(i). A record has one classification, so
    // all but one clause need their own group: a contradiction, found by narrowing each
    // choice once a classification is picked, not by trying 2^16000 ways.
    let contradiction = Condition::All(
        (0..N)
            .map(|i| {
                Condition::Any(vec![
                    Condition::ClassificationIn(vec![format!("c{i}")]),
                    Condition::GroupIn(vec![format!("g{i}")]),
                ])
            })
            .collect(),
    );
    assert_eq!(
        one_rule(contradiction),
        [Finding::NeverFires { rule: "r".into() }]
    );
    // Each clause: not (classification c(i mod 7) and group g(i mod 5)): a record outside
    // those classifications satisfies every clause.
    let possible = Condition::All(
        (0..N)
            .map(|i| {
                Condition::Not(Box::new(Condition::All(vec![
                    Condition::ClassificationIn(vec![format!("c{}", i % 7)]),
                    Condition::GroupIn(vec![format!("g{}", i % 5)]),
                ])))
            })
            .collect(),
    );
    assert_eq!(one_rule(possible), []);
}
