//! Property tests: evaluation is deterministic; in all-matches mode without stop flags the
//! rules that fire and the record they leave do not depend on the rules' order; the loop
//! bound always ends evaluation (and a run that hits it was flagged by the checker); the
//! checker's "never fires" verdicts (contradiction or shadowing) agree with brute-force
//! evaluation over every distinguishable record on small generated rule sets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

use itsm_rules::chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_rules::{
    Action, Category, Condition, Context, Error, Finding, Input, Memory, Mode, RuleSet,
    RuleSetSpec, RuleSpec, TicketView, Trigger, ViewField, check, evaluate,
};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()
}

fn subset<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> impl Strategy<Value = Vec<T>> {
    proptest::sample::subsequence(items.clone(), 0..=items.len())
}

fn leaf() -> impl Strategy<Value = Condition> {
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    prop_oneof![
        Just(Condition::Always),
        Just(Condition::Never),
        subset(s(&["a", "b"])).prop_map(Condition::StateIn),
        subset(vec![1u8, 2]).prop_map(Condition::PriorityIn),
        subset(s(&["x", "y"])).prop_map(Condition::GroupIn),
        subset(vec![Category::New, Category::Open]).prop_map(Condition::CategoryIn),
        subset(s(&["u", "v"])).prop_map(|values| Condition::FieldIn {
            field: "f".into(),
            values
        }),
        prop_oneof![
            Just(ViewField::Assignee),
            Just(ViewField::Group),
            Just(ViewField::Field("f".into())),
            Just(ViewField::OpenedAt),
            Just(ViewField::Priority),
        ]
        .prop_map(Condition::IsSet),
        prop_oneof![Just(10i64), Just(30)]
            .prop_map(|m| Condition::AgeAtLeast(Duration::minutes(m))),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Condition::All),
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Condition::Any),
            inner.prop_map(|c| Condition::Not(Box::new(c))),
        ]
    })
}

/// Every distinguishable record for the generated conditions: each value they can mention,
/// one they cannot, and empty.
fn universe() -> Vec<TicketView> {
    let mut out = Vec::new();
    for state in ["a", "b", "o"] {
        for category in [
            None,
            Some(Category::New),
            Some(Category::Open),
            Some(Category::Pending),
        ] {
            for priority in [None, Some(1u8), Some(2), Some(3)] {
                for group in [None, Some("x"), Some("y"), Some("o")] {
                    for field in [None, Some("u"), Some("v"), Some("o")] {
                        for assignee in [None, Some("p")] {
                            for age in [None, Some(5i64), Some(15), Some(35)] {
                                let mut v = TicketView::default();
                                v.state = state.into();
                                v.category = category;
                                v.priority = priority;
                                v.group = group.map(Into::into);
                                if let Some(f) = field {
                                    v.fields.insert("f".into(), f.into());
                                }
                                v.assignee = assignee.map(Into::into);
                                v.opened_at = age.map(|m| now() - Duration::minutes(m));
                                out.push(v);
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::FirstMatch), Just(Mode::AllMatches)]
}

fn notify_rules() -> impl Strategy<Value = Vec<RuleSpec>> {
    proptest::collection::vec((condition(), any::<bool>()), 1..5).prop_map(|rules| {
        rules
            .into_iter()
            .enumerate()
            .map(|(i, (c, stop))| {
                let mut r = RuleSpec::new(
                    format!("r{i}"),
                    Trigger::Created,
                    c,
                    vec![Action::Notify {
                        to: vec!["desk".into()],
                        message: format!("r{i}"),
                    }],
                );
                r.stop = stop;
                r
            })
            .collect()
    })
}

/// Rules as [`notify_rules`] makes them, each triggered by creations or by a burst of more
/// than none per group (so the first creation of a group fires it, the next does not).
fn creation_and_burst_rules() -> impl Strategy<Value = Vec<RuleSpec>> {
    (notify_rules(), proptest::collection::vec(any::<bool>(), 5)).prop_map(|(rules, bursts)| {
        rules
            .into_iter()
            .zip(bursts)
            .map(|(mut r, burst)| {
                if burst {
                    r.when = Trigger::Burst {
                        per: ViewField::Group,
                        more_than: 0,
                        within: Duration::hours(1),
                    };
                }
                r
            })
            .collect()
    })
}

/// The rules that fire for two creations of the same record, one after the other: the
/// first makes every burst, the second none (the bursts have fired), so each rule that can
/// fire for some history of creations fires in one of them.
fn fired_twice(set: &RuleSet, view: &TicketView) -> Vec<String> {
    let ctx = Context::new(now());
    let input = Input::Created(view.clone());
    let first = evaluate(set, &input, &ctx, &Memory::default()).unwrap();
    let second = evaluate(set, &input, &ctx, &first.memory).unwrap();
    first
        .firings
        .into_iter()
        .chain(second.firings)
        .map(|f| f.rule)
        .collect()
}

fn fired(set: &RuleSet, view: &TicketView) -> Vec<String> {
    let out = evaluate(
        set,
        &Input::Created(view.clone()),
        &Context::new(now()),
        &Memory::default(),
    )
    .unwrap();
    out.firings.into_iter().map(|f| f.rule).collect()
}

/// The checker's "never fires" verdicts (contradiction or shadowing) against brute force:
/// the rules that `fired` never reports over every distinguishable record.
fn never_fires_agree(
    mode: Mode,
    rules: &[RuleSpec],
    fired: fn(&RuleSet, &TicketView) -> Vec<String>,
) -> Result<(), TestCaseError> {
    let set = RuleSet::new(RuleSetSpec::new(mode, rules.to_vec())).unwrap();
    let mut seen = BTreeSet::new();
    for view in universe() {
        seen.extend(fired(&set, &view));
    }
    let findings = check(&set);
    let mut never = BTreeSet::new();
    for f in &findings {
        match f {
            Finding::NeverFires { rule } | Finding::Shadowed { rule, .. } => {
                never.insert(rule.clone());
            }
            Finding::TooComplex { rule } => prop_assert!(false, "too complex: {rule}"),
            _ => {}
        }
    }
    let brute: BTreeSet<String> = rules
        .iter()
        .map(|r| r.id.clone())
        .filter(|id| !seen.contains(id))
        .collect();
    prop_assert_eq!(never, brute, "findings: {:?}", findings);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn never_fires_verdicts_agree_with_brute_force(mode in mode(), rules in notify_rules()) {
        never_fires_agree(mode, &rules, fired)?;
    }

    #[test]
    fn evaluation_is_deterministic(mode in mode(), rules in notify_rules(), pick in 0usize..6144) {
        let set = RuleSet::new(RuleSetSpec::new(mode, rules)).unwrap();
        let view = universe()[pick].clone();
        let input = Input::Created(view);
        let ctx = Context::new(now());
        let a = evaluate(&set, &input, &ctx, &Memory::default()).unwrap();
        let b = evaluate(&set, &input, &ctx, &Memory::default()).unwrap();
        prop_assert_eq!(&a, &b);
        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_string(&set).unwrap();
            let again: RuleSet = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(evaluate(&again, &input, &ctx, &Memory::default()).unwrap(), a);
        }
    }

    #[test]
    fn all_matches_without_stop_is_order_independent(
        conditions in proptest::collection::vec(condition(), 1..5),
        pick in 0usize..6144,
        seed in any::<u64>(),
    ) {
        let rules: Vec<RuleSpec> = conditions
            .into_iter()
            .enumerate()
            .map(|(i, c)| RuleSpec::new(format!("r{i}"), Trigger::Created, c, vec![
                Action::SetField { field: format!("out{i}"), value: "yes".into() },
                Action::Notify { to: vec!["desk".into()], message: format!("r{i}") },
            ]))
            .collect();
        let mut shuffled = rules.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let view = universe()[pick].clone();
        let run = |rules: Vec<RuleSpec>| {
            let set = RuleSet::new(RuleSetSpec::new(Mode::AllMatches, rules)).unwrap();
            evaluate(&set, &Input::Created(view.clone()), &Context::new(now()), &Memory::default())
                .unwrap()
        };
        let a = run(rules);
        let b = run(shuffled);
        let ids = |o: &itsm_rules::Outcome| o.firings.iter().map(|f| f.rule.clone()).collect::<BTreeSet<_>>();
        prop_assert_eq!(ids(&a), ids(&b));
        prop_assert_eq!(a.view, b.view);
    }

    #[test]
    fn the_loop_bound_always_ends_evaluation(
        rules in proptest::collection::vec(
            (subset(vec!["x".to_owned(), "y".to_owned(), "z".to_owned()]),
             prop_oneof![Just("x"), Just("y"), Just("z")],
             any::<bool>()),
            1..6),
        mode in mode(),
        limit in 1u32..6,
    ) {
        let specs: Vec<RuleSpec> = rules
            .iter()
            .enumerate()
            .map(|(i, (when, to, stop))| {
                let mut r = RuleSpec::new(
                    format!("r{i}"),
                    Trigger::Updated { fields: vec![ViewField::Group] },
                    Condition::GroupIn(when.clone()),
                    vec![Action::AssignGroup((*to).into())],
                );
                r.stop = *stop;
                r
            })
            .collect();
        let set_specs = specs.clone();
        let mut spec = RuleSetSpec::new(mode, specs);
        spec.max_changes = limit;
        let set = RuleSet::new(spec).unwrap();
        let before = TicketView::new("new", Category::New);
        let mut after = before.clone();
        after.group = Some("x".into());
        let input = Input::Updated { before, after };
        match evaluate(&set, &input, &Context::new(now()), &Memory::default()) {
            Ok(out) => {
                let changing = out.firings.iter().filter(|f| f.changed()).count();
                prop_assert!(changing <= limit as usize);
            }
            Err(Error::LoopBound { limit: l, rules }) => {
                prop_assert_eq!(l, limit);
                prop_assert!(!rules.is_empty());
                for r in &rules {
                    prop_assert!(set.get(r).is_some());
                }
                let flagged = check(&set).iter().any(|f| matches!(f, Finding::Cycle { .. } | Finding::SelfRetrigger { .. }));
                if !flagged {
                    // Without a loop the bound can still be hit by a chain of changes
                    // longer than the bound (x -> z -> y with max_changes = 1); such a
                    // chain ends, so a bound above any chain these rules can make
                    // lets the same event finish.
                    let mut wide = RuleSetSpec::new(mode, set_specs.clone());
                    wide.max_changes = 1_000;
                    let wide = RuleSet::new(wide).unwrap();
                    let ended = evaluate(&wide, &input, &Context::new(now()), &Memory::default());
                    prop_assert!(
                        ended.is_ok(),
                        "the checker saw no loop but the run did not end under a bound of 1,000: {:?}",
                        ended
                    );
                }
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}

proptest! {
    // Two evaluations per record: 32 cases take about as long as 64 of the others.
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// A burst runs only on a creation, so an earlier `created` rule that wins (first match,
    /// or its stop flag) and holds whenever the burst's condition does shadows it.
    #[test]
    fn never_fires_verdicts_agree_with_brute_force_with_bursts(
        mode in mode(),
        rules in creation_and_burst_rules(),
    ) {
        never_fires_agree(mode, &rules, fired_twice)?;
    }
}
