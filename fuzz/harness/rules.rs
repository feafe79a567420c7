//! The rules fuzz harness: a rule set from JSON, loaded, checked, and run on a few records
//! with every invariant asserted. Shared by the fuzz target `rules_json` and the stable
//! corpus replay `crates/itsm-rules/tests/fuzz_corpus.rs`.
//!
//! Input: JSON text. An object with a `set` key is read as `{"set": ..., "views": [...]}`
//! (views optional, as itsm-core's `TicketView` JSON); anything else as a rule set alone,
//! run on three built-in views. Every view is run as created, as updated from the first
//! built-in view, and as a tick over the hours after it.
//!
//! Invariants: no panic; loading agrees with the checked decoder; the checker and every
//! evaluation are deterministic; an evaluation changes the record at most `max_changes`
//! times, and a loop-bound error names rules of the set; a rule the checker says never
//! fires (a contradiction, or shadowed) never fires; `next_deadline` is after the instant
//! asked about; a rule set round-trips through JSON.

use itsm_rules::chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_rules::{
    Category, Context, Error, Finding, Input, Memory, RuleSet, RuleSetSpec, TicketView, check,
    evaluate, next_deadline,
};

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

fn built_in() -> Vec<TicketView> {
    let mut a = TicketView::new("new", Category::New);
    a.opened_at = Some(at(8));
    a.updated_at = Some(at(8));
    let mut b = a.clone();
    b.priority = Some(1);
    b.impact = Some(1);
    b.urgency = Some(1);
    b.service = Some("mail".into());
    b.group = Some("service-desk".into());
    b.classification = Some("network".into());
    let mut c = b.clone();
    c.state = "in_progress".into();
    c.category = Some(Category::Open);
    c.assignee = Some("ana".into());
    c.fields.insert("vip".into(), "yes".into());
    vec![a, b, c]
}

pub fn rules_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        assert!(serde_json::from_str::<RuleSet>(text).is_err());
        return;
    };
    let (set_value, views_value) = match value.get("set") {
        Some(set) => (set.clone(), value.get("views").cloned()),
        None => (value.clone(), None),
    };
    let Ok(spec) = serde_json::from_value::<RuleSetSpec>(set_value.clone()) else {
        assert!(serde_json::from_value::<RuleSet>(set_value).is_err());
        return;
    };
    let loaded = RuleSet::new(spec.clone());
    let decoded = serde_json::from_value::<RuleSet>(set_value);
    assert_eq!(loaded.is_ok(), decoded.is_ok());
    let Ok(set) = loaded else {
        return;
    };
    // The set round-trips.
    let json = serde_json::to_string(&set).unwrap_or_default();
    let back = serde_json::from_str::<RuleSet>(&json);
    assert_eq!(back.as_ref().ok(), Some(&set), "round trip of {json}");

    let findings = check(&set);
    assert_eq!(findings, check(&set), "the checker is deterministic");
    for f in &findings {
        assert!(!f.to_string().is_empty());
        for r in f.rules() {
            assert!(set.get(r).is_some(), "finding names unknown rule {r}");
        }
    }
    let never: Vec<&str> = findings
        .iter()
        .filter_map(|f| match f {
            Finding::NeverFires { rule } | Finding::Shadowed { rule, .. } => Some(rule.as_str()),
            _ => None,
        })
        .collect();

    let mut views = built_in();
    if let Some(serde_json::Value::Array(items)) = views_value {
        for item in items.into_iter().take(8) {
            if let Ok(v) = serde_json::from_value::<TicketView>(item) {
                views.push(v);
            }
        }
    }
    let base = views.first().cloned().unwrap_or_default();
    let mut memory = Memory::default();
    for (i, view) in views.iter().enumerate() {
        let now = at(9)
            .checked_add_signed(Duration::minutes(i as i64))
            .unwrap_or(at(9));
        let inputs = [
            Input::Created(view.clone()),
            Input::Updated {
                before: base.clone(),
                after: view.clone(),
            },
            Input::Tick {
                view: view.clone(),
                since: at(8),
            },
        ];
        for input in &inputs {
            let ctx = Context::new(now);
            let first = evaluate(&set, input, &ctx, &memory);
            let second = evaluate(&set, input, &ctx, &memory);
            assert_eq!(first, second, "evaluation is deterministic");
            match first {
                Ok(out) => {
                    let changing = out.firings.iter().filter(|f| f.changed()).count();
                    assert!(changing <= spec.max_changes as usize);
                    for f in &out.firings {
                        assert!(
                            !never.contains(&f.rule.as_str()),
                            "rule {} fired but the checker said never",
                            f.rule
                        );
                        assert!(set.get(&f.rule).is_some());
                    }
                    memory = out.memory;
                }
                Err(Error::LoopBound { limit, rules }) => {
                    assert_eq!(limit, spec.max_changes);
                    assert!(!rules.is_empty());
                    for r in &rules {
                        assert!(set.get(r).is_some());
                    }
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
        if let Ok(Some(d)) = next_deadline(&set, view, now, &Context::new(now)) {
            assert!(d > now);
        }
    }
}
