//! The dimensions fuzz harness: an organisation from JSON, loaded (every problem listed or
//! none), assessed with every invariant checked, and compared. Shared by the fuzz target
//! `dimensions_json` and the stable corpus replay `crates/itsm-dimensions/tests/fuzz_corpus.rs`.
//!
//! Input: JSON text. An object with an `organisation` key is read as
//! `{"organisation": ..., "dependencies": [...], "settings": {...}}` (the last two optional);
//! anything else as an organisation alone. Settings default to 2026-03-02 with the defaults.

use std::collections::BTreeSet;

use itsm_dimensions::chrono::NaiveDate;
use itsm_dimensions::{
    Dependencies, Dependency, Dimension, Error, Organisation, OrganisationSpec, Settings, assess,
    assess_service, compare,
};

pub fn organisation_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        // Not JSON: the typed decoder must refuse it too, without panicking.
        assert!(serde_json::from_str::<Organisation>(text).is_err());
        return;
    };
    let (org_value, deps_value, settings_value) = match value.get("organisation") {
        Some(org) => (
            org.clone(),
            value.get("dependencies").cloned(),
            value.get("settings").cloned(),
        ),
        None => (value.clone(), None, None),
    };
    // The typed decoder straight from text agrees with loading the spec and checking it.
    let direct = if value.get("organisation").is_none() {
        Some(serde_json::from_str::<Organisation>(text).is_ok())
    } else {
        None
    };
    let Ok(spec) = serde_json::from_value::<OrganisationSpec>(org_value) else {
        assert_ne!(
            direct,
            Some(true),
            "an organisation loaded that its spec refuses"
        );
        return;
    };
    let org = match Organisation::new(spec.clone()) {
        Ok(org) => org,
        Err(Error::InvalidOrganisation { problems }) => {
            assert!(!problems.is_empty(), "refused with no problem");
            assert_ne!(
                direct,
                Some(true),
                "loaded from text although its spec is refused"
            );
            let message = Error::InvalidOrganisation { problems }.to_string();
            assert!(message.starts_with("the organisation has "));
            return;
        }
        Err(e) => panic!("loading gave another error: {e}"),
    };
    // (Text with a key given twice is refused by the typed decoder but not by `Value`, so
    // only one direction holds.)
    // Round trip.
    let json = serde_json::to_string(&org).expect("an organisation serializes");
    let back: Organisation = serde_json::from_str(&json).expect("what serializes loads");
    assert_eq!(back, org);

    let edges: Vec<Dependency> = deps_value
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let deps = match Dependencies::new(edges.clone()) {
        Ok(deps) => deps,
        Err(Error::EmptyDependency { index, .. }) => {
            assert!(edges.get(index).is_some_and(|e| e.on.is_empty()));
            Dependencies::none()
        }
        Err(e) => panic!("dependencies gave another error: {e}"),
    };
    let today = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
    let settings: Settings = settings_value
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_else(|| Settings::new(today));
    let report = match assess(&org, &deps, &settings) {
        Ok(report) => report,
        Err(Error::InvalidNotice { .. } | Error::ZeroWeights | Error::DateOverflow { .. }) => {
            assert!(settings.horizon().is_err());
            return;
        }
        Err(e) => panic!("assessment gave another error: {e}"),
    };
    check(&org, &deps, &settings, &report);
}

fn check(
    org: &Organisation,
    deps: &Dependencies,
    settings: &Settings,
    report: &itsm_dimensions::Assessment,
) {
    assert_eq!(report.today, settings.today);
    assert_eq!(report.services.len(), org.services().len());
    for (service, assessed) in org.services().iter().zip(&report.services) {
        assert_eq!(assessed.service, service.id);
        let order: Vec<Dimension> = assessed.dimensions.iter().map(|d| d.dimension).collect();
        assert_eq!(order, Dimension::ALL);
        assert!(assessed.score <= 100);
        let (mut sum, mut weights) = (0u64, 0u64);
        for d in &assessed.dimensions {
            assert!(d.coverage.covered <= d.coverage.total);
            assert!(d.coverage.percent() <= 100);
            let mut penalty = 0u64;
            for f in &d.findings {
                assert_eq!(f.rule.dimension(), d.dimension);
                assert_eq!(f.severity, settings.severity(f.rule));
                assert!(!f.message.is_empty());
                penalty += u64::from(settings.penalties.of(f.severity));
            }
            assert!(
                d.findings
                    .windows(2)
                    .all(|w| w[0].severity >= w[1].severity)
            );
            assert_eq!(u64::from(d.score), 100u64.saturating_sub(penalty));
            let w = u64::from(settings.weights.of(d.dimension));
            sum += w * u64::from(d.score);
            weights += w;
        }
        assert_eq!(u64::from(assessed.score), (sum + weights / 2) / weights);
        let concentrated: BTreeSet<&str> = assessed
            .concentration
            .iter()
            .map(|c| c.supplier.as_str())
            .collect();
        assert_eq!(concentrated.len(), assessed.concentration.len());
        let flagged: BTreeSet<&str> = assessed
            .findings()
            .filter(|f| f.rule == itsm_dimensions::RuleId::SupplierConcentration)
            .map(|f| f.subject.as_str())
            .collect();
        assert_eq!(flagged, concentrated);
        if deps.node_count() <= 64 {
            assert_eq!(concentrated, reference(org, deps, &service.id));
        }
        let one = assess_service(org, &service.id, deps, settings);
        // A service id listed twice is refused at load, so the lookup finds this one.
        assert_eq!(one.as_ref().ok(), Some(assessed));
    }
    assert_eq!(&assess(org, deps, settings).expect("it ran once"), report);
    assert!(compare(report, report).is_unchanged());
    let json = serde_json::to_string(report).expect("an assessment serializes");
    let back: itsm_dimensions::Assessment = serde_json::from_str(&json).expect("and loads");
    assert_eq!(&back, report);
}

/// The suppliers whose failure alone fails `root`, by brute force: for each supplier, fail
/// the nodes it provides (its own id, and configuration items it supplies) and repeat until
/// nothing changes.
fn reference<'a>(org: &'a Organisation, deps: &Dependencies, root: &str) -> BTreeSet<&'a str> {
    let spec = org.spec();
    let mut nodes: BTreeSet<&str> = BTreeSet::new();
    for e in deps.edges() {
        nodes.insert(&e.from);
        nodes.extend(e.on.iter().map(String::as_str));
    }
    let mut reached: BTreeSet<&str> = BTreeSet::from([root]);
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        for e in deps.edges().iter().filter(|e| e.from == n) {
            for a in &e.on {
                if reached.insert(a) {
                    stack.push(a);
                }
            }
        }
    }
    let provides = |supplier: &str, node: &str| {
        node == supplier
            || spec
                .configuration_items
                .iter()
                .any(|c| c.id == node && c.supplier.as_deref() == Some(supplier))
    };
    let mut out = BTreeSet::new();
    for s in &spec.suppliers {
        if !reached.iter().any(|n| provides(&s.id, n)) {
            continue;
        }
        let mut failed: BTreeSet<&str> = nodes
            .iter()
            .copied()
            .filter(|n| provides(&s.id, n))
            .collect();
        loop {
            let before = failed.len();
            for e in deps.edges() {
                if !e.on.is_empty() && e.on.iter().all(|a| failed.contains(a.as_str())) {
                    failed.insert(&e.from);
                }
            }
            if failed.len() == before {
                break;
            }
        }
        if failed.contains(root) {
            out.insert(s.id.as_str());
        }
    }
    out
}
