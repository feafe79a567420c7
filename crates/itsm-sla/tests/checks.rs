//! Static checks: each finding from a minimal definition that has the trap, none from a
//! sensible one, and the explanations pinned.

mod common;

use chrono::Duration;
use common::*;
use itsm_sla::{
    Agreement, Condition, Definition, EscalationRule, Finding, PauseMode, ReopenMode, Target, check,
};

fn with(def: Definition, f: impl FnOnce(&mut Definition)) -> Definition {
    let mut d = def;
    f(&mut d);
    d
}

/// A sensible resolution SLA: what every minimal trap below starts from.
fn sensible() -> Definition {
    resolution("p1", 4, Some(OFFICE))
}

fn findings(def: Definition) -> Vec<Finding> {
    check(&[def])
}

#[test]
fn the_sensible_definition_has_no_findings() {
    assert_eq!(findings(sensible()), []);
    let full = with(sensible(), |d| {
        d.thresholds = vec![50, 75, 100, 150];
        d.escalations = vec![
            // At the start itself: not before it.
            EscalationRule::new("warn", Duration::hours(-4)),
            EscalationRule::new("manager", Duration::seconds(3600)),
        ];
        d.cancel = Some(Condition::CategoryIn(vec![Canceled]));
    });
    assert_eq!(findings(full), []);
}

#[test]
fn never_starts() {
    for start in [
        Condition::Never,
        Condition::PriorityIn(vec![]),
        Condition::All(vec![
            Condition::PriorityIn(vec![1]),
            Condition::PriorityIn(vec![2]),
        ]),
        Condition::All(vec![
            Condition::StateIn(vec!["new".into()]),
            Condition::Not(Box::new(Condition::StateIn(vec!["new".into()]))),
        ]),
    ] {
        let d = with(sensible(), |d| d.start = start.clone());
        assert_eq!(
            findings(d),
            [Finding::NeverStarts {
                definition: "p1".into()
            }],
            "{start:?}"
        );
    }
}

#[test]
fn never_attaches_when_start_is_contained_in_stop() {
    // ServiceNow's trap: start "resolved", stop "resolved or closed".
    let d = with(sensible(), |d| {
        d.start = Condition::CategoryIn(vec![Resolved]);
    });
    assert_eq!(
        findings(d),
        [Finding::NeverAttaches {
            definition: "p1".into()
        }]
    );
}

#[test]
fn paused_from_start_when_start_is_contained_in_pause() {
    let d = with(sensible(), |d| {
        d.start = Condition::CategoryIn(vec![Pending]);
    });
    assert_eq!(
        findings(d.clone()),
        [Finding::PausedFromStart {
            definition: "p1".into()
        }]
    );
    // Without pausing, nothing to say.
    let d = with(d, |d| d.pause_mode = PauseMode::None);
    assert_eq!(findings(d), []);
}

#[test]
fn pause_cancels_when_pausing_always_ends_the_start_condition() {
    // Start only while open: pending is no longer "start", so the default cancel wins.
    let d = with(sensible(), |d| {
        d.start = Condition::CategoryIn(vec![New, Open]);
    });
    assert_eq!(
        findings(d.clone()),
        [Finding::PauseCancels {
            definition: "p1".into()
        }]
    );
    // An explicit cancel condition removes the trap.
    let d = with(d, |d| {
        d.cancel = Some(Condition::CategoryIn(vec![Canceled]))
    });
    assert_eq!(findings(d), []);
}

#[test]
fn unreachable_thresholds() {
    let d = with(sensible(), |d| d.thresholds = vec![0, 50, 50, 1001]);
    let percents: Vec<u16> = findings(d)
        .into_iter()
        .map(|f| match f {
            Finding::UnreachableThreshold {
                definition,
                percent,
            } => {
                assert_eq!(definition, "p1");
                percent
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(percents, [0, 50, 1001]);
}

#[test]
fn an_escalation_before_the_start() {
    let d = with(sensible(), |d| {
        d.escalations = vec![EscalationRule::new(
            "too-early",
            Duration::seconds(-4 * 3600 - 1),
        )];
    });
    assert_eq!(
        findings(d),
        [Finding::EscalationBeforeStart {
            definition: "p1".into(),
            escalation: "too-early".into(),
        }]
    );
}

#[test]
fn too_complex_conditions_are_said_to_be_unchecked() {
    // 101 states x 7 categories x 257 priorities x 2 groups: more than 200,000 tickets.
    let d = with(sensible(), |d| {
        d.start = Condition::All(vec![
            Condition::StateIn((0..100).map(|i| format!("s{i}")).collect()),
            Condition::PriorityIn((0..=254).collect()),
        ]);
    });
    assert_eq!(
        findings(d),
        [Finding::TooComplex {
            definition: "p1".into()
        }]
    );
}

#[test]
fn overlap_between_definitions_of_the_same_target() {
    let p1 = sensible();
    let any = with(resolution("any", 8, Some(OFFICE)), |d| {
        d.start = Condition::Always;
    });
    assert_eq!(
        check(&[p1.clone(), any.clone()]),
        [Finding::Overlap {
            definition: "p1".into(),
            other: "any".into(),
        }]
    );
    // Another target kind, or disjoint starts: no overlap.
    let response = with(any.clone(), |d| d.kind = Target::Response);
    assert_eq!(check(&[p1.clone(), response]), []);
    let p2 = with(any, |d| d.start = Condition::PriorityIn(vec![2]));
    assert_eq!(check(&[p1, p2]), []);
}

/// Response and resolution SLAs per priority, the way ServiceNow ships them: response runs
/// while the ticket is new, resolution until resolved, pausing while pending; P1 and P2 on
/// 24x7, P3 and P4 on office hours. The OLA of the network team deliberately overlaps the
/// resolution SLAs (another agreement, same target kind).
fn servicenow_like() -> Vec<Definition> {
    let mut list = Vec::new();
    for (p, response_h, resolution_h, calendar) in [
        (1u8, 1i64, 4i64, ALWAYS),
        (2, 2, 8, ALWAYS),
        (3, 8, 24, OFFICE),
        (4, 16, 40, OFFICE),
    ] {
        let active = Condition::All(vec![
            Condition::PriorityIn(vec![p]),
            Condition::Not(Box::new(Condition::CategoryIn(vec![Canceled]))),
        ]);
        list.push({
            let mut d = Definition::new(
                format!("p{p}-response"),
                Target::Response,
                Duration::seconds(response_h * 3600),
            );
            d.agreement = Agreement::Sla;
            d.calendar = Some(calendar.into());
            d.start = active.clone();
            d.stop = Condition::Not(Box::new(Condition::CategoryIn(vec![New])));
            d.pause = Condition::Never;
            d.resume = None;
            d.cancel = None;
            d.reset = Condition::Never;
            d.pause_mode = PauseMode::None;
            d.retroactive_start = Some("opened_at".into());
            d.thresholds = vec![50, 75];
            d.escalations = vec![];
            d.reopen = ReopenMode::NewCycle;
            d
        });
        list.push({
            let mut d = Definition::new(
                format!("p{p}-resolution"),
                Target::Resolution,
                Duration::seconds(resolution_h * 3600),
            );
            d.agreement = Agreement::Sla;
            d.calendar = Some(calendar.into());
            d.start = active;
            d.stop = Condition::CategoryIn(vec![Resolved, Closed]);
            d.pause = Condition::CategoryIn(vec![Pending]);
            d.resume = None;
            d.cancel = None;
            d.reset = Condition::Never;
            d.pause_mode = PauseMode::Pause;
            d.retroactive_start = Some("opened_at".into());
            d.thresholds = vec![50, 75];
            d.escalations = vec![EscalationRule::new("manager", Duration::seconds(3600))];
            d.reopen = ReopenMode::NewCycle;
            d
        });
    }
    list.push({
        let mut d = Definition::new(
            "network-ola",
            Target::Resolution,
            Duration::seconds(2 * 3600),
        );
        d.agreement = Agreement::Ola;
        d.calendar = Some(OFFICE.into());
        d.start = Condition::GroupIn(vec!["network".into()]);
        d.stop = Condition::Any(vec![
            Condition::Not(Box::new(Condition::GroupIn(vec!["network".into()]))),
            Condition::CategoryIn(vec![Resolved, Closed]),
        ]);
        d.pause = Condition::CategoryIn(vec![Pending]);
        d.resume = None;
        d.cancel = None;
        d.reset = Condition::Never;
        d.pause_mode = PauseMode::Pause;
        d.retroactive_start = None;
        d.thresholds = vec![75];
        d.escalations = vec![];
        d.reopen = ReopenMode::NewCycle;
        d
    });
    list
}

#[test]
fn servicenow_like_definitions_have_only_the_intended_overlaps() {
    let found = check(&servicenow_like());
    let expected: Vec<Finding> = (1..=4)
        .map(|p| Finding::Overlap {
            definition: format!("p{p}-resolution"),
            other: "network-ola".into(),
        })
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn findings_explain_themselves() {
    assert_eq!(
        Finding::NeverAttaches {
            definition: "p1".into()
        }
        .to_string(),
        "`p1`: the start condition is contained in the stop condition: whenever it would \
         start it is already stopped, so it never attaches"
    );
    assert_eq!(
        Finding::Overlap {
            definition: "p1-resolution".into(),
            other: "network-ola".into(),
        }
        .to_string(),
        "`p1-resolution` and `network-ola` measure the same target and can both attach to \
         one ticket; the selection rule decides which apply"
    );
    assert_eq!(
        Finding::UnreachableThreshold {
            definition: "p1".into(),
            percent: 0,
        }
        .to_string(),
        "`p1`: threshold 0% can never fire usefully (allowed: 1 to 1000, each once)"
    );
}

/// A start on "priority changes to 1" holds on one update only; the cases `check`
/// enumerates have no update before, so it says the conditions are not checked instead of
/// claiming the definition never starts.
#[test]
fn conditions_on_change_are_reported_as_not_checked() {
    let on_change = with(sensible(), |d| {
        d.start = Condition::All(vec![
            Condition::Not(Box::new(Condition::CategoryIn(vec![Canceled]))),
            Condition::ChangesTo {
                field: itsm_sla::ViewField::Priority,
                values: vec!["1".into()],
            },
        ]);
    });
    let found = findings(on_change);
    assert_eq!(
        found,
        [Finding::TestsChanges {
            definition: "p1".into()
        }]
    );
    assert_eq!(
        found[0].to_string(),
        "`p1`: its conditions test changes, which depend on the update before; they are not checked"
    );
    // A reset on change is not among the checked conditions: nothing to report.
    let reset = with(sensible(), |d| {
        d.reset = Condition::Changes(itsm_sla::ViewField::Priority);
    });
    assert_eq!(findings(reset), []);
}

/// Overlaps among many definitions by priority and service: only the pairs that can start
/// together are enumerated (1,000 of them took minutes when every pair was).
#[test]
fn a_thousand_definitions_by_priority_and_service_are_checked() {
    let defs: Vec<Definition> = (0..1000)
        .map(|i| {
            with(sensible(), |d| {
                d.id = format!("d{i}");
                d.start = Condition::All(vec![
                    Condition::PriorityIn(vec![(i % 4 + 1) as u8]),
                    Condition::ServiceIn(vec![format!("s{}", i / 4)]),
                ]);
            })
        })
        .collect();
    assert_eq!(check(&defs), []);
    // One more that covers every service at priority 1 overlaps the 250 at priority 1.
    let mut more = defs;
    more.push(with(sensible(), |d| {
        d.id = "any-p1".into();
        d.start = Condition::PriorityIn(vec![1]);
    }));
    let found = check(&more);
    assert_eq!(found.len(), 250, "{found:?}");
    assert!(
        found
            .iter()
            .all(|f| matches!(f, Finding::Overlap { other, .. } if other == "any-p1"))
    );
}

mod overlap_property {
    use super::*;
    use itsm_sla::{Category, TicketView};
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = Condition> {
        let services = proptest::sample::subsequence(vec!["a", "b", "c"], 0..=3)
            .prop_map(|v| Condition::ServiceIn(v.into_iter().map(String::from).collect()));
        let priorities =
            proptest::sample::subsequence(vec![1u8, 2, 3], 0..=3).prop_map(Condition::PriorityIn);
        prop_oneof![services, priorities, Just(Condition::Always)]
    }

    fn start() -> impl Strategy<Value = Condition> {
        leaf().prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Condition::All),
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Condition::Any),
                inner.prop_map(|c| Condition::Not(Box::new(c))),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Two definitions overlap exactly when some ticket (priority and service each
        /// one of those named, another, or missing) starts both and stops neither.
        #[test]
        fn overlap_agrees_with_every_ticket(a in start(), b in start()) {
            let def = |id: &str, c: &Condition| with(sensible(), |d| {
                d.id = id.into();
                d.start = c.clone();
                d.stop = Condition::CategoryIn(vec![Category::Resolved]);
            });
            let found = check(&[def("a", &a), def("b", &b)])
                .into_iter()
                .any(|f| matches!(f, Finding::Overlap { .. }));
            let mut both = false;
            for p in [None, Some(1u8), Some(2), Some(3), Some(4)] {
                for s in [None, Some("a"), Some("b"), Some("c"), Some("z")] {
                    let mut v = TicketView::new("open", Category::Open);
                    v.priority = p;
                    v.service = s.map(String::from);
                    both |= a.eval(&v) && b.eval(&v);
                }
            }
            prop_assert_eq!(found, both);
        }
    }
}
