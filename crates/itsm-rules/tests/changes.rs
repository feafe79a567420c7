//! Conditions on change in rules: the same `Condition::Changes*` as SLA definitions
//! (ServiceNow's "changes", "changes to", "changes from" operators), read against the
//! record before the change.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code

use chrono::{TimeZone, Utc};
use itsm_rules::{
    Action, Category, Condition, Context, Input, Memory, Mode, RuleSet, RuleSetSpec, RuleSpec,
    TicketView, Trigger, ViewField, evaluate,
};

fn set(rules: Vec<RuleSpec>) -> RuleSet {
    RuleSet::new(RuleSetSpec::new(Mode::AllMatches, rules)).unwrap()
}

fn ticket(priority: u8) -> TicketView {
    let mut v = TicketView::new("open", Category::Open);
    v.priority = Some(priority);
    v
}

fn fired(set: &RuleSet, input: &Input) -> Vec<String> {
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let out = evaluate(set, input, &Context::new(now), &Memory::default()).unwrap();
    out.firings.iter().map(|f| f.rule.clone()).collect()
}

#[test]
fn a_rule_on_changes_to_fires_on_the_update_that_changes_the_field() {
    let escalate = RuleSpec::new(
        "p1-to-major",
        Trigger::Updated { fields: vec![] },
        Condition::ChangesTo {
            field: ViewField::Priority,
            values: vec!["1".into()],
        },
        vec![Action::AssignGroup("major".into())],
    );
    let set = set(vec![escalate]);
    let raised = Input::Updated {
        before: ticket(3),
        after: ticket(1),
    };
    assert_eq!(fired(&set, &raised), ["p1-to-major"]);
    // Still priority 1, another field changed: no change of priority.
    let mut later = ticket(1);
    later.assignee = Some("ana".into());
    let other = Input::Updated {
        before: ticket(1),
        after: later,
    };
    assert!(fired(&set, &other).is_empty());
}

#[test]
fn on_creation_the_fields_set_count_as_changed() {
    let rule = RuleSpec::new(
        "created-p1",
        Trigger::Created,
        Condition::ChangesFrom {
            field: ViewField::Priority,
            values: vec!["3".into()],
        },
        vec![Action::AssignGroup("never".into())],
    );
    let changes = RuleSpec::new(
        "created-with-priority",
        Trigger::Created,
        Condition::Changes(ViewField::Priority),
        vec![Action::AssignGroup("triage".into())],
    );
    let set = set(vec![rule, changes]);
    assert_eq!(
        fired(&set, &Input::Created(ticket(1))),
        ["created-with-priority"]
    );
}

#[test]
fn a_later_round_sees_the_change_an_earlier_rule_made() {
    let route = RuleSpec::new(
        "route",
        Trigger::Created,
        Condition::Always,
        vec![Action::AssignGroup("network".into())],
    );
    let follow = RuleSpec::new(
        "on-group-change",
        Trigger::Updated {
            fields: vec![ViewField::Group],
        },
        Condition::ChangesTo {
            field: ViewField::Group,
            values: vec!["network".into()],
        },
        vec![Action::SetField {
            field: "routed".into(),
            value: "yes".into(),
        }],
    );
    let set = set(vec![route, follow]);
    assert_eq!(
        fired(&set, &Input::Created(ticket(2))),
        ["route", "on-group-change"]
    );
}
